"""The team's agreement as tables and HTML for people (kamlib.agreement.tables, kamlib.views.agreement)."""

from __future__ import annotations

import html
import re

import pandas as pd

from kamlib.agreement import account_agreement_table, agreement_table, cell_spread, rule_text
from kamlib.views.agreement import account_agreement_html, portfolio_agreement_html
from tests.agreement.helpers import criteria_frame, scores_frame
from tests.client_grade import problems

# Default thresholds: fit (1–10) 2.25, share (0–100) 25, service (1–5) 1.
# X: fit 2, 5, 9 (range 7, 7/9 of the scale: contested); share 20, 60 (range 40: contested); service 3, 4 (range 1,
#    on the line: not contested). Y: one score per cell. Z: fit 4, 5 (range 1, 1/9: not contested).
ROWS = [
    ("X", "fit", 2, "Ana", "R1"),
    ("X", "fit", 5, "<b>Ben</b>", "R1"),
    ("X", "fit", 9, None, "R1"),
    ("X", "share", 20, "Ana", "R1"),
    ("X", "share", 60, "<b>Ben</b>", "R1"),
    ("X", "service", 3, "Ana", "R1"),
    ("X", "service", 4, "<b>Ben</b>", "R1"),
    ("Y", "fit", 5, "Ana", "R1"),
    ("Z", "fit", 4, "Ana", "R1"),
    ("Z", "fit", 5, "Cai", "R1"),
]
ACCOUNTS = pd.DataFrame({"account_id": ["X", "Y", "Z"], "name": ["<script>x</script>", "Cuenta Y", "Cuenta Z"]})


def spread() -> pd.DataFrame:
    return cell_spread(scores_frame(ROWS), criteria_frame())


def test_the_portfolio_table_has_a_row_per_account_with_several_assessors_widest_first() -> None:
    table = agreement_table(spread(), ACCOUNTS, criteria_frame(), "en")
    assert table.columns.tolist() == [
        "Account", "Criteria with several assessors", "Contested", "Widest gap", "% of the scale", "Contested criteria"
    ]  # fmt: skip
    assert table["Account"].tolist() == ["<script>x</script>", "Cuenta Z"]  # Y has one score per cell
    assert table["Criteria with several assessors"].tolist() == [3, 1]
    assert table["Contested"].tolist() == [2, 0]
    assert table["Widest gap"].tolist() == ["Fit: 7.0", "Fit: 1.0"]
    assert table["% of the scale"].round(1).tolist() == [77.8, 11.1] and table.attrs["units"]["% of the scale"]
    assert table["Contested criteria"].iloc[0] == "2 criteria contested: Fit (range 7.0), Share (%) (range 40.0)"
    assert table["Contested criteria"].iloc[1] == "No criterion contested"


def test_an_accounts_table_names_each_assessors_score_widest_first() -> None:
    table = account_agreement_table(spread(), scores_frame(ROWS), criteria_frame(), "X", "es")
    assert table["Criterio"].tolist() == ["Encaje", "Cuota (%)", "Servicio"]
    assert table["Puntuaciones"].tolist() == [
        "Ana 2 · <b>Ben</b> 5 · sin nombre 9", "Ana 20 · <b>Ben</b> 60", "Ana 3 · <b>Ben</b> 4"
    ]  # fmt: skip
    assert table["Media (la que usa la matriz)"].round(2).tolist() == [5.33, 40.0, 3.5]
    assert table["Rango"].tolist() == [7.0, 40.0, 1.0] and table["En disputa"].tolist() == [True, True, False]
    assert account_agreement_table(spread(), scores_frame(ROWS), criteria_frame(), "Y", "es").empty


def test_the_html_escapes_workbook_text_and_is_client_grade() -> None:
    page = account_agreement_html(spread(), scores_frame(ROWS), criteria_frame(), "X", "en")
    assert "<b>Ben</b>" not in page and "&lt;b&gt;Ben&lt;/b&gt;" in page
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    assert "The team's scores" in text and "2 criteria contested: Fit (range 7.0), Share (%) (range 40.0)." in text
    assert rule_text("en") in text and "more than 25% of its scale apart" in text
    assert problems(text, "en") == []
    portfolio = portfolio_agreement_html(spread(), ACCOUNTS, criteria_frame(), "es")
    assert "<script>x</script>" not in portfolio and "&lt;script&gt;x&lt;/script&gt;" in portfolio
    assert "4 celdas con varios evaluadores, 2 en disputa, en 1 cuenta." in portfolio
    assert "más del 25\xa0% de su escala" in portfolio


def test_with_one_score_per_cell_there_is_nothing_to_show() -> None:
    single = cell_spread(scores_frame([r for r in ROWS if r[0] == "Y"]), criteria_frame())
    assert account_agreement_html(single, scores_frame(ROWS), criteria_frame(), "Y", "en") == ""
    assert portfolio_agreement_html(single, ACCOUNTS, criteria_frame(), "en") == ""
