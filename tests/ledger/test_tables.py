"""The sales ledger's views for people: an account's metrics beside the others', distributions, whitespace."""

from __future__ import annotations

import shutil

import pytest

import kamlib
from kamlib.engagement import ledger_periods
from kamlib.errors import WorkbookError
from kamlib.ledger.scores import ingest_scores
from kamlib.ledger.tables import (
    account_metrics,
    account_status,
    account_whitespace,
    account_whitespace_summary,
    distribution,
    distribution_table,
    family_gap_table,
    family_gaps,
    ingest_frames,
    ledger_of,
    ledger_summary,
    metrics_table,
    preview_ingest,
    ranks,
    score_rules,
)
from kamlib.views.ledger import account_ledger_html

# Four accounts in 2026-06, three of them also in 2025-12 (the period before).
METRICS = """account_id,period,as_of,status,volume,volume_prior,growth,margin,families,frequency,recency,share_of_wallet
A1,2025-12,2025-12-31,active,1000,800,25,30,2,1,10,
A2,2025-12,2025-12-31,active,500,600,-16.7,20,1,0.5,40,
A3,2025-12,2025-12-31,activo,300,100,200,25,1,0.25,90,
A1,2026-06,2026-06-30,active,1200,1000,20,32,3,1.5,5,40
A2,2026-06,2026-06-30,active,400,500,-20,18,1,0.5,30,
A3,2026-06,2026-06-30,active,400,300,33.3,28,2,0.75,30,10
A4,2026-06,2026-06-30,nuevo,100,0,,50,1,0.25,120,
"""
WHITESPACE = """account_id,period,family,buyers,buyer_share
A2,2025-12,F2,1,33.3
A2,2026-06,F2,2,50
A2,2026-06,F3,1,25
A3,2026-06,F3,1,25
A4,2026-06,F2,2,50
A4,2026-06,<b>F3</b>,1,25
"""


@pytest.fixture
def ledger_wb(tmp_path, tiny_path):
    wb = tmp_path / "wb"
    shutil.copytree(tiny_path, wb)
    (wb / "ledger_metrics.csv").write_text(METRICS, encoding="utf-8")
    (wb / "whitespace.csv").write_text(WHITESPACE.replace("A4,2026-06,<b>F3</b>", "A4,2026-06,F3"), encoding="utf-8")
    return wb


@pytest.fixture
def engagement(ledger_wb):
    return kamlib.load(ledger_wb)


def test_the_latest_period_and_the_one_before(engagement):
    assert ledger_periods(engagement) == ["2025-12", "2026-06"]
    metrics, space = ledger_of(engagement)
    assert metrics.attrs["period"] == "2026-06" and metrics.attrs["as_of"] == "2026-06-30"
    assert metrics["account_id"].tolist() == ["A1", "A2", "A3", "A4"]
    assert metrics["name"].tolist()[:2] == ["Supermercados Peñíscola", "Hoteles Mirasol"]
    assert metrics["status"].tolist() == ["active", "active", "active", "new"]  # Spanish spellings read
    assert metrics.attrs["previous"].loc["A3", "volume"] == 300
    assert len(space) == 5
    earlier, space = ledger_of(engagement, "2025-12")
    assert len(earlier) == 3 and earlier.attrs["previous"].empty and len(space) == 1


def test_ranks_count_from_the_best_and_ties_share_the_better_rank(engagement):
    metrics, _ = ledger_of(engagement)
    assert ranks(metrics, "volume").tolist() == [1.0, 2.0, 2.0, 4.0]  # A2 and A3 tie at 400: both 2nd
    assert ranks(metrics, "recency").tolist() == [1.0, 2.0, 2.0, 4.0]  # fewer days is better
    assert ranks(metrics, "share_of_wallet").tolist()[:3] == [1.0, pytest.approx(float("nan"), nan_ok=True), 2.0]


def test_an_accounts_metrics_beside_the_others(engagement):
    metrics, _ = ledger_of(engagement)
    table = account_metrics(metrics, "A3", "en")
    assert list(table.columns) == ["Value", "Accounts' median", "Rank", "Previous period"]
    rows = table.to_dict("index")
    assert rows["Net revenue, last 12 months"] == {
        "Value": "400",
        "Accounts' median": "400",
        "Rank": "2 of 4",
        "Previous period": "300",
    }
    assert rows["Growth year over year (%)"]["Value"] == "+33.3"
    assert rows["Growth year over year (%)"]["Rank"] == "1 of 3"  # A4 is new: no growth, no rank
    assert rows["Share of the customer's spend (%)"] == {
        "Value": "10.0",
        "Accounts' median": "25.0",
        "Rank": "2 of 2",
        "Previous period": "–",
    }
    new = account_metrics(metrics, "A4", "es").to_dict("index")
    assert new["Crecimiento interanual (%)"]["Valor"] == "–"
    assert new["Facturación neta, últimos 12 meses"]["Periodo anterior"] == "–"
    assert account_metrics(metrics, "A9", "en").empty
    earlier, _ = ledger_of(engagement, "2025-12")
    assert "Previous period" not in account_metrics(earlier, "A1", "en").columns  # no period before


def test_an_accounts_status_line(engagement):
    metrics, _ = ledger_of(engagement)
    assert account_status(metrics, "A4", "en") == "Sales ledger, period 2026-06 (12 months to 2026-06-30): new account."
    assert account_status(metrics, "A1", "es") == (
        "Libro de ventas, periodo 2026-06 (12 meses hasta 2026-06-30): cuenta activa."
    )
    earlier, _ = ledger_of(engagement, "2025-12")
    assert account_status(earlier, "A4", "en") == "The sales ledger of period 2025-12 does not have this account."


def test_distribution_is_the_quartiles_of_each_metric_with_values(engagement):
    metrics, _ = ledger_of(engagement)
    frame = distribution(metrics).set_index("metric")
    assert frame.loc["volume"].tolist() == [4, 100, 325, 400, 600, 1200]
    assert frame.loc["share_of_wallet", "accounts"] == 2
    assert frame.loc["growth", "median"] == pytest.approx(20)
    table = distribution_table(metrics, "es")
    assert table.loc["Facturación neta, últimos 12 meses"].tolist() == [4, "100", "325", "400", "600", "1.200"]
    assert table.loc["Crecimiento interanual (%)", "Mínimo"] == "−20,0"


def test_family_gaps_most_missed_first_with_the_largest_accounts_named(engagement):
    metrics, space = ledger_of(engagement)
    gaps = family_gaps(metrics, space)
    assert gaps["family"].tolist() == ["F3", "F2"]  # F3 missed by three accounts, F2 by two
    assert gaps.set_index("family").loc["F3", "missing_volume"] == 900
    assert gaps.set_index("family").loc["F3", "accounts"] == [
        "Hoteles Mirasol",  # 400, before Distribuciones Cantábrico's 400 (the sheet's order)
        "Distribuciones Cantábrico",
        "Épicerie Lumière",
    ]
    table = family_gap_table(gaps, "en", names=1)
    assert table.loc["F3"].tolist() == [3, "900", "25", "Hoteles Mirasol and 2 more"]
    assert list(table.columns) == [
        "Accounts not buying it",
        "Their revenue (12 months)",
        "Customers buying it (%)",
        "Largest accounts not buying it",
    ]


def test_an_accounts_whitespace_most_bought_first(engagement):
    metrics, space = ledger_of(engagement)
    assert account_whitespace(space, "A2", "es").index.tolist() == ["F2", "F3"]
    assert account_whitespace(space, "A2", "es")["Clientes que la compran (%)"].tolist() == ["50", "25"]
    summary = account_whitespace_summary(metrics, space, "A2", "en")
    assert summary == "Does not buy 2 families that other customers do: F2, F3."
    summary = account_whitespace_summary(metrics, space, "A1", "es")
    assert summary == "Compra todas las familias que compran los demás clientes."


def test_a_lost_account_or_a_ledger_without_families_is_not_said_to_buy_everything(ledger_wb):
    text = (ledger_wb / "ledger_metrics.csv").read_text(encoding="utf-8")
    lost = text.replace(
        "A4,2026-06,2026-06-30,nuevo,100,0,,50,1,0.25,120,", "A4,2026-06,2026-06-30,lost,0,90,-100,,0,0,400,"
    )
    (ledger_wb / "ledger_metrics.csv").write_text(lost, encoding="utf-8")
    (ledger_wb / "whitespace.csv").write_text("account_id,period,family,buyers,buyer_share\n", encoding="utf-8")
    metrics, space = ledger_of(kamlib.load(ledger_wb))
    assert account_whitespace_summary(metrics, space, "A4", "en") == "Bought nothing in the last 12 months."
    assert account_whitespace_summary(metrics, space, "A1", "en") == "Buys every family the other customers buy."
    no_families = metrics.assign(families=float("nan"))
    expected = "The ledger has no product families: there is no whitespace to show."
    assert account_whitespace_summary(no_families, space, "A1", "en") == expected
    assert ledger_summary(no_families, space, "en").endswith("New: 0; lost: 1. " + expected)


def test_periods_are_ordered_by_their_as_of_date(ledger_wb):
    text = (ledger_wb / "ledger_metrics.csv").read_text(encoding="utf-8")
    later = "".join(line.replace("2026-06,2026-06-30", "2026-12,2026-12-31") + "\n" for line in text.splitlines()[4:])
    (ledger_wb / "ledger_metrics.csv").write_text(text + later, encoding="utf-8")
    engagement = kamlib.load(ledger_wb)
    assert ledger_periods(engagement) == ["2025-12", "2026-06", "2026-12"]
    text = (ledger_wb / "ledger_metrics.csv").read_text(encoding="utf-8").replace("2026-06,", "2026-H1,")
    (ledger_wb / "ledger_metrics.csv").write_text(text, encoding="utf-8")  # "2026-12" < "2026-H1" as labels
    engagement = kamlib.load(ledger_wb)
    assert ledger_periods(engagement) == ["2025-12", "2026-H1", "2026-12"]
    metrics, _ = ledger_of(engagement)
    assert metrics.attrs["period"] == "2026-12" and metrics.attrs["previous"].loc["A1", "volume"] == 1200
    assert engagement.summary().endswith("; from the sales ledger: metrics of 4 accounts (period 2026-12)")


def test_the_portfolio_summary(engagement):
    metrics, space = ledger_of(engagement)
    assert ledger_summary(metrics, space, "en") == (
        "Sales ledger, period 2026-06 (12 months to 2026-06-30): 4 accounts, 2,100 net revenue; median growth "
        "+20.0 %, median margin 30.0 %. New: 1; lost: 0. The family most accounts do not buy: F3 (3 accounts, "
        "with 900 revenue in total over 12 months)."
    )
    assert ledger_summary(metrics, space, "es").startswith(
        "Libro de ventas, periodo 2026-06 (12 meses hasta 2026-06-30): 4 cuentas, 2.100 de facturación neta; "
        "crecimiento mediano +20,0 %, margen mediano 30,0 %. Nuevas: 1; perdidas: 0."
    )


def test_without_a_ledger_the_views_say_so_in_the_clients_words(tiny):
    metrics, space = ledger_of(tiny)
    assert metrics.empty and space.empty and metrics.attrs["period"] is None
    assert ledger_summary(metrics, space, "en") == "No sales-ledger metrics in this engagement."
    page = account_ledger_html(metrics, space, "A1", "es")
    assert "Sin métricas del libro de ventas en este encargo." in page and "kam ingest" not in page


def test_the_account_section_escapes_what_the_workbook_says(ledger_wb):
    (ledger_wb / "whitespace.csv").write_text(WHITESPACE, encoding="utf-8")
    metrics, space = ledger_of(kamlib.load(ledger_wb))
    page = account_ledger_html(metrics, space, "A4", "en")
    assert "<b>F3</b>" not in page and "&lt;b&gt;F3&lt;/b&gt;" in page
    assert page.startswith('<section lang="en"') and "Sales ledger" in page and "new account" in page
    assert "<table" in page and "2 families" in page
    one = ledger_summary(metrics.iloc[:1], space.iloc[:0], "en")
    assert "): 1 account, 1,200 net revenue" in one  # one account, not "1 accounts"


def test_the_ledger_sheets_are_checked_like_the_others(ledger_wb):
    text = (ledger_wb / "ledger_metrics.csv").read_text(encoding="utf-8")
    (ledger_wb / "ledger_metrics.csv").write_text(text.replace("A4,2026-06", "A9,2026-06").replace("nuevo", "newish"))
    with pytest.raises(WorkbookError) as error:
        kamlib.load(ledger_wb)
    message = str(error.value)
    assert "ledger_metrics.csv" in message and "A9" in message and "newish" in message


def test_ingest_frames_show_every_customer_before_anything_is_written(tiny, tmp_path):
    from tests.ledger.test_ingest import LEDGER, PERIOD

    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    result = ingest_scores(ledger, None, tiny)
    metrics, space = ingest_frames(result, tiny.accounts.set_index("account_id")["name"])
    assert metrics["account_id"].tolist() == ["A1", "A2", "C9"]
    assert metrics["name"].tolist() == ["Supermercados Peñíscola", "Hoteles Mirasol", "Nueva Cía"]
    assert (metrics.attrs["period"], metrics.attrs["as_of"]) == (PERIOD, "2025-12-31")
    assert space["name"].tolist() == ["Supermercados Peñíscola", "Hoteles Mirasol", "Nueva Cía"]
    assert account_status(metrics, "C9", "en") == (
        f"Sales ledger, period {PERIOD} (12 months to 2025-12-31): active account."
    )
    assert distribution_table(metrics, "en").loc["Net revenue, last 12 months", "Maximum"] == "1,800"


def test_a_row_twice_in_the_ledger_sheets_is_a_workbook_problem(ledger_wb):
    with (ledger_wb / "ledger_metrics.csv").open("a", encoding="utf-8") as f:
        f.write("A1,2026-06,2026-06-30,active,5,5,0,30,1,1,1,\n")
    with (ledger_wb / "whitespace.csv").open("a", encoding="utf-8") as f:
        f.write("A3,2026-06, f3 ,1,25\n")
    with pytest.raises(WorkbookError) as error:
        kamlib.load(ledger_wb)
    assert error.value.render("en").splitlines() == [
        'wb/ledger_metrics.csv, sheet "ledger_metrics", row 9, column "account_id": account \'A1\' in period '
        "2026-06 is already in row 5; allowed: one row per account and period (kam ingest replaces a period's rows).",
        'wb/whitespace.csv, sheet "whitespace", row 8, column "family": family \'f3\' of account A3 in period 2026-06 '
        "is already in row 5; allowed: one row per account, period and family.",
    ]
    assert "la cuenta 'A1' en el periodo 2026-06 ya está en la fila 5" in error.value.render("es")


def test_score_rules_say_how_each_metric_became_a_score(tiny, tmp_path):
    from kamlib.ledger.mapping import LedgerMapping
    from tests.ledger.test_ingest import LEDGER

    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    mapping = LedgerMapping.model_validate(
        {
            "criteria": {"volume": "volume", "growth": "growth", "recency": "incidents"},
            "rules": {
                "growth": {"rule": "thresholds", "low": -20, "high": 30},
                "recency": {"rule": "thresholds", "low": 0, "high": 100},
            },
        }
    )
    result = ingest_scores(ledger, mapping, tiny)
    table = score_rules(result.detail, result.mapping, tiny.criteria, "en").to_dict("index")
    assert table["Net revenue, last 12 months"] == {
        "Criterion": "Business volume (volume)",
        "Rule": "quantiles: its rank among the 3 customers with a value",
        "Scale": "1–10",
        "Customers scored": 3,
        "Scores (min / median / max)": "1 / 5.5 / 10",
    }
    assert table["Growth year over year (%)"]["Rule"] == (
        "thresholds: -20 scores 1, 30 scores 10, linear in between; new customers: the others' median"
    )
    # fewer days is better and fewer incidents is better: 0 days is written as 0 incidents, the best
    assert table["Days since the last purchase"]["Rule"] == "thresholds: 0 scores 0, 100 scores 20, linear in between"
    days = result.detail[result.detail["metric"] == "recency"].set_index("customer")
    assert days.at["C9", "value"] == 0 and days.at["C9", "score"] == 0
    spanish = score_rules(result.detail, result.mapping, tiny.criteria, "es")
    assert spanish.loc["Crecimiento interanual (%)", "Regla"].startswith("umbrales: -20 da 1, 30 da 10")


def test_a_preview_and_its_table_of_every_customer(tmp_path, tiny_path):
    from tests.ledger.test_ingest import LEDGER

    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    preview = preview_ingest(tiny_path, ledger, period="2026-Q1")
    assert preview.result.period == "2026-Q1" and preview.names.to_dict() == {
        "A1": "Supermercados Peñíscola",
        "A2": "Hoteles Mirasol",
        "C9": "Nueva Cía",
    }
    table = metrics_table(preview.metrics, "es")
    assert table.index.tolist() == ["Supermercados Peñíscola", "Nueva Cía", "Hoteles Mirasol"]  # by revenue
    assert table.loc["Hoteles Mirasol"].to_dict() == {
        "Situación": "activa",
        "Facturación neta, últimos 12 meses": "300",
        "Crecimiento interanual (%)": "−57,1",
        "Margen bruto (%)": "33,3",
        "Familias de producto compradas": "1",
        "Pedidos al mes": "0,1",
        "Días desde la última compra": "199",
    }
    assert preview.score_rules("en").index.tolist() == ["Net revenue, last 12 months", "Growth year over year (%)"]
    sample = preview_ingest(None)  # the sample ledger, its mapping and wallet, on the sample workbook
    assert sample.result.lines == 14_099 and sample.result.wallet_estimates == 49


def test_amounts_carry_the_ledgers_currency(ledger_wb):
    lines = (ledger_wb / "ledger_metrics.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ",currency", *(line + ",EUR" for line in lines[1:])]) + "\n"
    (ledger_wb / "ledger_metrics.csv").write_text(text, encoding="utf-8")
    metrics, space = ledger_of(kamlib.load(ledger_wb))
    assert metrics.attrs["currency"] == "EUR"
    assert "4 accounts, 2,100 EUR net revenue" in ledger_summary(metrics, space, "en")
    assert "(3 cuentas, que facturan 900 EUR en total en 12 meses)" in ledger_summary(metrics, space, "es")
    assert "Net revenue, last 12 months (EUR)" in account_metrics(metrics, "A1", "en").index
    assert family_gap_table(family_gaps(metrics, space), "en").loc["F3", "Their revenue (12 months)"] == "900 EUR"
