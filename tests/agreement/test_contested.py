"""The contested criteria per account and the portfolio's count (kamlib.agreement.contested)."""

import numpy as np
import pytest

from kamlib.agreement.contested import (
    CONTESTED_COLUMNS,
    agreement_summary,
    contested_by_account,
    contested_text,
    criterion_labels,
    summary_text,
)
from kamlib.agreement.spread import cell_spread
from kamlib.errors import KamError
from tests.agreement.helpers import criteria_frame, scores_frame

# Default thresholds: fit (1–10) 2.25, share (0–100) 25, service (1–5) 1.
# X: fit 2, 5, 9 → range 7 (7/9 = 0.78 of its scale), contested; share 20, 60 → range 40 (0.40), contested;
#    service 3, 4 → range 1 (0.25), on the line: not contested. Widest first: fit, then share.
# Y: one assessor on fit and share: nothing to spread. Z: fit 4, 5 → range 1 (0.11): not contested.
ROWS = [
    ("X", "fit", 2, "Ana", "R1"),
    ("X", "fit", 5, "Ben", "R1"),
    ("X", "fit", 9, "Cai", "R1"),
    ("X", "share", 20, "Ana", "R1"),
    ("X", "share", 60, "Ben", "R1"),
    ("X", "service", 3, "Ana", "R1"),
    ("X", "service", 4, "Ben", "R1"),
    ("Y", "fit", 5, "Ana", "R1"),
    ("Y", "share", 40, "Ana", "R1"),
    ("Z", "fit", 4, "Ana", "R1"),
    ("Z", "fit", 5, "Ben", "R1"),
]


@pytest.fixture
def spread():
    return cell_spread(scores_frame(ROWS), criteria_frame())


def test_contested_criteria_per_account_widest_first(spread):
    by_account = contested_by_account(spread)
    assert list(by_account.columns) == ["account_id", *CONTESTED_COLUMNS]
    x, y, z = by_account.itertuples(index=False)
    assert (x.account_id, x.cells, x.multi_assessor, x.contested) == ("X", 3, 3, 2)
    assert (x.contested_criteria, x.contested_ranges) == (("fit", "share"), (7.0, 40.0))
    assert (x.widest_criterion, x.widest_range) == ("fit", 7.0) and x.widest_share == pytest.approx(7 / 9)
    assert (y.cells, y.multi_assessor, y.contested, y.contested_criteria, y.contested_ranges) == (2, 0, 0, (), ())
    assert (y.widest_criterion, y.widest_range) == ("fit", 0.0)  # all 0: the first criterion
    assert (z.contested, z.widest_criterion, z.widest_range) == (0, "fit", 1.0)


def test_the_portfolio_in_figures(spread):
    summary = agreement_summary(spread)
    figures = (summary.cells, summary.multi_assessor_cells, summary.contested_cells)
    assert figures == (6, 4, 2)
    assert (summary.accounts, summary.multi_assessor_accounts, summary.contested_accounts) == (3, 2, 1)
    assert summary.criteria.values.tolist() == [["fit", 2, 1], ["share", 1, 1], ["service", 1, 0]]


def test_one_sentence_per_account_in_both_languages(spread):
    rows = contested_by_account(spread).set_index("account_id")
    criteria = criteria_frame()
    assert (
        contested_text(rows.loc["X"], criteria, "en") == "2 criteria contested: Fit (range 7.0), Share (%) (range 40.0)"
    )
    assert contested_text(rows.loc["X"], criteria, "es") == (
        "2 criterios en disputa: Encaje (rango 7,0), Cuota (%) (rango 40,0)"
    )
    assert contested_text(rows.loc["X"], criteria, "en", limit=1) == "2 criteria contested: Fit (range 7.0), and 1 more"
    assert (
        contested_text(rows.loc["X"], criteria, "es", limit=1) == "2 criterios en disputa: Encaje (rango 7,0), y 1 más"
    )
    assert contested_text(rows.loc["Y"], criteria, "en") == "One assessor per criterion: no spread to show"
    assert (
        contested_text(rows.loc["Y"], criteria, "es") == "Un solo evaluador por criterio: no hay dispersión que mostrar"
    )
    assert contested_text(rows.loc["Z"], criteria, "en") == "No criterion contested"
    assert contested_text(rows.loc["Z"], criteria, "es") == "Ningún criterio en disputa"


def test_one_contested_criterion_is_singular_and_numbers_are_the_language_s():
    rows = [("X", "share", 10, "Ana", None), ("X", "share", 62.55, "Ben", None)]  # range 52.55 → 52.6 (half up)
    account = contested_by_account(cell_spread(scores_frame(rows), criteria_frame())).iloc[0]
    assert contested_text(account, criteria_frame(), "en") == "1 criterion contested: Share (%) (range 52.6)"
    assert contested_text(account, criteria_frame(), "es") == "1 criterio en disputa: Cuota (%) (rango 52,6)"


def test_a_criterion_without_a_label_is_named_by_its_id():
    criteria = criteria_frame().assign(label_en=["", None, "Service"]).drop(columns=["label_es"])
    assert criterion_labels(criteria, "en") == {"fit": "fit", "share": "share", "service": "Service"}
    assert criterion_labels(criteria, "es") == {"fit": "fit", "share": "share", "service": "service"}


def test_the_portfolio_in_one_sentence(spread):
    summary = agreement_summary(spread)
    assert summary_text(summary, "en") == "4 cells with several assessors, 2 contested, in 1 account"
    assert summary_text(summary, "es") == "4 celdas con varios evaluadores, 2 en disputa, en 1 cuenta"
    calm = agreement_summary(cell_spread(scores_frame(ROWS), criteria_frame(), threshold={"fit": 9, "share": 100}))
    assert summary_text(calm, "en") == "4 cells with several assessors, no cell contested"
    assert summary_text(calm, "es") == "4 celdas con varios evaluadores, ninguna en disputa"


def test_no_scores_and_single_assessors_have_nothing_contested():
    for rows in ([], [("X", "fit", 5, "Ana", None), ("Y", "fit", 7, None, None)]):
        spread = cell_spread(scores_frame(rows), criteria_frame())
        by_account = contested_by_account(spread)
        assert list(by_account.columns) == ["account_id", *CONTESTED_COLUMNS]
        assert (by_account["contested"] == 0).all() and by_account["contested"].dtype == np.int64
        summary = agreement_summary(spread)
        assert (summary.multi_assessor_cells, summary.contested_cells, summary.contested_accounts) == (0, 0, 0)
        assert summary_text(summary, "en") == "One assessor per cell: no spread to show"
        assert summary_text(summary, "es") == "Un solo evaluador por celda: no hay dispersión que mostrar"


def test_an_unknown_language_is_refused(spread):
    with pytest.raises(KamError, match=r"unknown language 'fr'; allowed: es, en"):
        contested_text(contested_by_account(spread).iloc[0], criteria_frame(), "fr")
