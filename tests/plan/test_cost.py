"""The cost to serve and the whale curve (`kamlib.plan.cost`): the rule worked by hand, the period, hours without a
rate, a survey, the sentences and tables for people, the HTML views and the chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.plan.cost import ACCOUNT_COLUMNS, CURVE_COLUMNS, CostToServe, cost_to_serve
from kamlib.views.cost import account_cost_html, portfolio_cost_html
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")
# the tiny engagement places A1 invest, A2 selective, A3 maintain, A4 milk; K1 (A1, A2) costs 60 an hour of its own,
# K2 (A3, A4) the engagement's 50
TIME = [
    ("K1", "A1", "relationships", 100, "2025-03"),  # 100 × 60 = 6,000
    ("K1", "A1", "selling", 50, "2026-02"),  # 50 × 60 = 3,000, outside 2025
    ("K1", None, "reporting", 12, "2025-01"),  # on no account: no account's cost
    ("K1", "A2", "selling", 40, "2025-05"),  # 40 × 60 = 2,400
    ("K2", "A3", "negotiation", 20, "2025-01"),  # 20 × 50 = 1,000
    ("K2", "A4", "relationships", 200, "2025-02"),  # 200 × 50 = 10,000
    ("K2", "A4", "problem_solving", 24, None),  # 24 × 50 = 1,200, in every period
]
COSTS = [
    ("A1", "logística", 20000, "2025"),
    ("A1", "rápeles", 15000, "2025"),
    ("A1", "logística", 5000, "2026"),
    ("A2", "muestras", 2000, None),
    ("A4", "logística", 18000, "2025"),
    ("A4", "servicio especial", 12000, "2025"),
]
LEDGER = [  # A2's latest period gives 640,000 × 25 / 100 = 160,000; A1's is ignored (its own wins), A3's has no %
    ("A2", "2025", "2025-12-31", "active", 500000, 20),
    ("A1", "2026-H1", "2026-06-30", "active", 2500000, 10),
    ("A2", "2026-H1", "2026-06-30", "active", 640000, 25),
    ("A3", "2026-H1", "2026-06-30", "active", 1200000, None),
]
MARGINS = {"A1": 30000, "A4": 28300}
XSS = "<script>alert(1)</script>"


def build(
    rate: str | None = "50",
    margins: dict[str, float] = MARGINS,
    time: list[tuple] | pd.DataFrame = TIME,
    costs: list[tuple] = COSTS,
    ledger: list[tuple] = LEDGER,
    names: dict[str, str] | None = None,
) -> kamlib.Engagement:
    """The tiny engagement with gross margins, KAM rates, a time log, cost items and a sales ledger."""
    tiny = kamlib.load(TINY)
    frames = {name: getattr(tiny, name) for name in SHEETS}
    accounts = frames["accounts"].copy()
    accounts["gross_margin"] = [margins.get(a, math.nan) for a in accounts["account_id"]]
    accounts["name"] = [(names or {}).get(a, n) for a, n in zip(accounts["account_id"], accounts["name"], strict=True)]
    kams = frames["kams"].copy()
    kams["cost_per_hour"] = [60.0, math.nan]
    frames |= {"accounts": accounts, "kams": kams}
    if not isinstance(time, pd.DataFrame):
        time = pd.DataFrame(time, columns=["kam_id", "account_id", "activity", "hours", "period"])
    frames["time"] = time
    frames["cost_to_serve"] = pd.DataFrame(costs, columns=["account_id", "item", "amount", "period"])
    columns = ["account_id", "period", "as_of", "status", "volume", "margin"]
    frames["ledger_metrics"] = pd.DataFrame(ledger, columns=columns)
    identity = [("currency", "EUR"), *([("cost_per_hour", rate)] if rate is not None else [])]
    frames["engagement"] = pd.DataFrame(identity, columns=["key", "value"])
    return kamlib.Engagement.from_frames(frames, "tiny")


def rows_of(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The rows a chart layer draws, inline or from the top-level datasets."""
    from tests.charts.specs import unit

    data = unit(spec, name)["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def worked(engagement: kamlib.Engagement, period: str | None = None) -> CostToServe:
    return cost_to_serve(engagement, kamlib.score_scenario(engagement), period)


@pytest.fixture(scope="module")
def full() -> CostToServe:
    return worked(build())


def test_the_rule_worked_by_hand(full: CostToServe) -> None:
    frame = full.accounts.set_index("account_id")
    assert full.accounts.columns.tolist() == list(ACCOUNT_COLUMNS)
    assert full.accounts["account_id"].tolist() == ["A1", "A2", "A3", "A4"]  # workbook order
    assert frame["quadrant"].tolist() == ["invest", "selective", "maintain", "milk"]
    # A1: its own margin 30,000; 150 h × 60 = 9,000; logística 25,000 + rápeles 15,000; 49,000; 30,000 − 49,000
    # A2: the ledger's 160,000; 40 h × 60 = 2,400; muestras 2,000; 4,400; 155,600
    # A3: no margin (the ledger's % is empty); 20 h × 50 = 1,000; nothing else; profit unknown
    # A4: 28,300; 224 h × 50 = 11,200; logística 18,000 + servicio especial 12,000; 41,200; −12,900
    assert frame["gross_margin"].fillna(-1).tolist() == [30000, 160000, -1, 28300]
    assert frame["margin_source"].tolist() == ["accounts", "ledger", None, "accounts"]
    assert frame["kam_hours"].tolist() == [150, 40, 20, 224]
    assert frame["unpriced_hours"].tolist() == [0, 0, 0, 0]
    assert frame["kam_cost"].tolist() == [9000, 2400, 1000, 11200]
    assert frame["other_cost"].tolist() == [40000, 2000, 0, 30000]
    assert frame["cost_to_serve"].tolist() == [49000, 4400, 1000, 41200]
    assert frame["profit"].fillna(-1).tolist() == [-19000, 155600, -1, -12900]
    assert frame["unprofitable"].tolist() == [True, False, False, True]
    assert full.items.values.tolist() == [
        ["A1", "logística", 25000.0], ["A1", "rápeles", 15000.0], ["A2", "muestras", 2000.0],
        ["A4", "logística", 18000.0], ["A4", "servicio especial", 12000.0],
    ]  # fmt: skip
    assert (full.currency, full.period, full.ledger_period, full.available) == ("EUR", None, "2026-H1", True)


def test_the_period_counts_its_rows_and_those_without_a_period() -> None:
    cost = worked(build(), "2025")
    frame = cost.accounts.set_index("account_id")
    # A1 loses the 2026 hours (3,000) and the 2026 logística (5,000): 6,000 + 35,000 = 41,000, 30,000 − 41,000;
    # A2's muestras and A4's 24 hours have no period: they count
    assert frame["kam_cost"].tolist() == [6000, 2400, 1000, 11200]
    assert frame["other_cost"].tolist() == [35000, 2000, 0, 30000]
    assert frame["profit"].fillna(-1).tolist() == [-11000, 155600, -1, -12900]
    assert cost.items["amount"].tolist() == [20000, 15000, 2000, 18000, 12000]
    assert cost.period == "2025"
    assert cost.summary("es") == (
        "En 3 cuentas con margen y coste conocidos (periodo 2025), un margen bruto de 218.300\xa0€ menos 86.600\xa0€ "
        "de coste de servir deja 131.700\xa0€ de beneficio; 2 cuestan más de servir de lo que dejan, y el 33\xa0% "
        "más rentable de ellas gana el 118\xa0% del beneficio."
    )  # 155,600 / 131,700 = 118.1 %
    later = worked(build(), "2026").accounts.set_index("account_id")
    assert later["kam_cost"].tolist() == [3000, 0, 0, 1200] and later["other_cost"].tolist() == [5000, 2000, 0, 0]


def test_the_whale_curve_and_its_peak(full: CostToServe) -> None:
    curve = full.curve()
    assert curve.columns.tolist() == list(CURVE_COLUMNS)
    # A2 155,600 → 155,600; A4 −12,900 → 142,700; A1 −19,000 → 123,700 (the total); A3 is not ranked
    assert curve["account_id"].tolist() == ["A2", "A4", "A1"]
    assert curve["rank"].tolist() == [1, 2, 3]
    assert curve["cumulative_profit"].tolist() == [155600, 142700, 123700]
    assert curve["accounts_share"].tolist() == pytest.approx([100 / 3, 200 / 3, 100])
    assert curve["profit_share"].tolist() == pytest.approx([155600 / 1237, 142700 / 1237, 100])  # 125.8, 115.4
    assert full.peak() == pytest.approx((100 / 3, 155600 / 1237))


def test_a_loss_in_total_has_no_profit_share() -> None:
    cost = worked(build(margins={"A1": 30000, "A4": 28300, "A2": 1000}, ledger=[]))
    # A2: 1,000 − 4,400 = −3,400; A4 −12,900; A1 −19,000: the highest point is the first account
    assert cost.curve()["cumulative_profit"].tolist() == [-3400, -16300, -35300]
    assert cost.curve()["profit_share"].isna().all()
    assert cost.peak() == pytest.approx((100 / 3, math.nan), nan_ok=True)
    assert cost.summary("en") == (
        "On the 3 accounts whose margin and cost are known, a gross margin of €59,300 less €94,600 of cost to serve "
        "leaves −€35,300 of profit; 3 cost more to serve than they earn."
    )


def test_the_findings_and_the_summary_in_both_languages(full: CostToServe) -> None:
    # the Milk account first though Invest's A1 loses more
    assert full.findings("es") == [
        "Ordeñar · Épicerie Lumière: servirla cuesta 41.200\xa0€ y deja 28.300\xa0€ de margen (−12.900\xa0€).",
        "Invertir · Supermercados Peñíscola: servirla cuesta 49.000\xa0€ y deja 30.000\xa0€ de margen (−19.000\xa0€).",
        "No se conoce el margen bruto de 1 cuenta: su beneficio tras el coste de servir queda sin calcular.",
    ]
    assert full.findings("en") == [
        "Milk · Épicerie Lumière: serving it costs €41,200 and it leaves €28,300 of margin (−€12,900).",
        "Invest · Supermercados Peñíscola: serving it costs €49,000 and it leaves €30,000 of margin (−€19,000).",
        "The gross margin of 1 account is not known: its profit after the cost to serve cannot be worked out.",
    ]
    # 30,000 + 160,000 + 28,300 = 218,300; 49,000 + 4,400 + 41,200 = 94,600; 123,700
    assert full.summary("es") == (
        "En 3 cuentas con margen y coste conocidos, un margen bruto de 218.300\xa0€ menos 94.600\xa0€ de coste de "
        "servir deja 123.700\xa0€ de beneficio; 2 cuestan más de servir de lo que dejan, y el 33\xa0% más rentable "
        "de ellas gana el 126\xa0% del beneficio."
    )
    assert full.summary("en") == (
        "On the 3 accounts whose margin and cost are known, a gross margin of €218,300 less €94,600 of cost to serve "
        "leaves €123,700 of profit; 2 cost more to serve than they earn, and the most profitable 33% of them earn "
        "126% of the profit."
    )


def test_hours_of_a_kam_without_any_rate_leave_the_cost_unknown() -> None:
    cost = worked(build(rate=None))  # K2 has no rate of its own and the engagement gives none
    frame = cost.accounts.set_index("account_id")
    assert frame["unpriced_hours"].tolist() == [0, 0, 20, 224]
    assert frame["kam_cost"].isna().tolist() == [False, False, True, True]
    assert frame["cost_to_serve"].isna().tolist() == [False, False, True, True]
    assert frame["profit"].isna().tolist() == [False, False, True, True]
    assert cost.findings("en") == [
        "Invest · Supermercados Peñíscola: serving it costs €49,000 and it leaves €30,000 of margin (−€19,000).",
        "Without an hourly cost: 244 hours of KAM time on 2 accounts; the profit after the cost to serve there cannot "
        "be worked out.",
        "The gross margin of 1 account is not known: its profit after the cost to serve cannot be worked out.",
    ]
    assert cost.findings("es")[1] == (
        "Sin coste por hora: 244 horas de KAM en 2 cuentas; el beneficio tras el coste de servir queda ahí sin "
        "calcular."
    )
    assert cost.account_lines("A4", "en") == [
        "224 hours of KAM time on it have no hourly cost: its cost to serve cannot be worked out (other costs: "
        "€30,000).",
        "Its gross margin is €28,300.",
    ]
    table = cost.account_table("A4", "es")
    assert table["Concepto"].tolist()[1] == "Tiempo del KAM (224 horas sin coste por hora)"
    assert table["Importe"].isna().tolist() == [False, True, False, False, True, True]


def test_a_survey_has_no_hours_so_no_kam_cost() -> None:
    survey = pd.DataFrame(
        [("K1", None, "relationships", 60, "2025"), ("K1", None, "reporting", 40, "2025"),
         ("K2", None, "negotiation", 100, "2025")],
        columns=["kam_id", "account_id", "activity", "percent", "period"],
    )  # fmt: skip
    engagement = build(time=survey)
    assert engagement.time_unit == "percent"
    cost = worked(engagement)
    assert cost.accounts["kam_cost"].isna().all() and cost.accounts["profit"].isna().all()
    assert cost.accounts["other_cost"].tolist() == [40000, 2000, 0, 30000]
    assert not cost.available and cost.findings("en") == [] and cost.curve().empty
    assert cost.summary("es") == (
        "El tiempo de los KAM se dio en porcentajes, no en horas: su coste en cada cuenta, y con él el beneficio "
        "tras el coste de servir, no se puede calcular."
    )
    assert cost.summary("en") == (
        "The KAMs' time was given as shares, not in hours: its cost on each account, and with it the profit after "
        "the cost to serve, cannot be worked out."
    )
    assert portfolio_cost_html(cost, "es") == "" and account_cost_html(cost, "A1", "es") == ""


def test_nothing_known_is_said_plainly() -> None:
    no_margin = worked(build(margins={}, ledger=[]))
    assert not no_margin.available and no_margin.findings("es") == []
    assert no_margin.summary("es") == (
        "No se conoce el margen bruto de ninguna cuenta: el beneficio tras el coste de servir no se puede calcular."
    )
    assert no_margin.summary("en") == (
        "No account's gross margin is known: the profit after the cost to serve cannot be worked out."
    )
    no_cost = worked(build(time=[("K1", None, "reporting", 12, "2025-01")], costs=[]))
    assert no_cost.accounts["profit"].notna().sum() == 3 and not no_cost.available  # a margin with nothing against it
    assert no_cost.summary("en") == (
        "The accounts' gross margin is known, but not what serving them costs (neither KAM hours on them nor other "
        "costs): the profit after the cost to serve cannot be worked out."
    )
    assert no_cost.summary("es") == (
        "Se conoce el margen bruto de las cuentas, pero no lo que cuesta servirlas (ni horas de los KAM en ellas ni "
        "otros costes): el beneficio tras el coste de servir no se puede calcular."
    )
    assert portfolio_cost_html(no_cost, "en") == "" and account_cost_html(no_cost, "A1", "en") == ""
    assert no_cost.account_lines("A1", "en") == [] and no_cost.account_table("A1", "en").empty


def test_the_tables_for_people_and_their_units(full: CostToServe) -> None:
    table = full.by_strategy("es")
    assert table.columns.tolist() == [
        "Estrategia", "Cuentas", "Margen bruto", "Coste de servir", "Beneficio tras el coste de servir",
        "Cuentas no rentables",
    ]  # fmt: skip
    assert table.fillna(-1).values.tolist() == [
        ["Invertir", 1, 30000, 49000, -19000, 1],
        ["Inversión selectiva", 1, 160000, 4400, 155600, 0],
        ["Mantener", 1, -1, -1, -1, 0],  # A3's profit is unknown: no figures
        ["Ordeñar", 1, 28300, 41200, -12900, 1],
    ]
    assert table.attrs["units"] == {
        "Cuentas": "integer", "Cuentas no rentables": "integer", "Margen bruto": "money", "Coste de servir": "money",
        "Beneficio tras el coste de servir": "money",
    }  # fmt: skip
    losers = full.unprofitable_table("en")
    assert losers.columns.tolist() == [
        "Account", "Strategy", "Gross margin", "KAM time", "Other costs", "Profit after cost to serve",
    ]  # fmt: skip
    assert losers.values.tolist() == [  # the largest loss first
        ["Supermercados Peñíscola", "Invest", 30000, 9000, 40000, -19000],
        ["Épicerie Lumière", "Milk", 28300, 11200, 30000, -12900],
    ]
    assert set(losers.attrs["units"].values()) == {"money"} and len(losers.attrs["units"]) == 4
    account = full.account_table("A4", "en")
    assert account.columns.tolist() == ["Item", "Amount"] and account.attrs["units"] == {"Amount": "money"}
    assert account.values.tolist() == [
        ["Gross margin", 28300], ["KAM time (224 hours × €50.00)", 11200], ["logística", 18000],
        ["servicio especial", 12000], ["Cost to serve", 41200], ["Profit after cost to serve", -12900],
    ]  # fmt: skip
    assert full.account_table("A9", "en").empty


def test_one_accounts_lines(full: CostToServe) -> None:
    assert full.account_lines("A4", "es") == [
        "Servirla cuesta 41.200\xa0€: 11.200\xa0€ de tiempo del KAM (224 horas) y 30.000\xa0€ de otros costes "
        "(logística, servicio especial).",
        "Con un margen bruto de 28.300\xa0€, deja −12.900\xa0€ tras el coste de servir: cuesta más servirla de lo "
        "que deja.",
    ]
    assert full.account_lines("A2", "en") == [
        "Serving it costs €4,400: €2,400 of KAM time (40 hours) and €2,000 of other costs (muestras).",
        "With a gross margin of €160,000 (from the sales of period 2026-H1), it leaves €155,600 after the cost to "
        "serve.",
    ]
    assert full.account_lines("A3", "en") == [
        "Serving it costs €1,000: €1,000 of KAM time (20 hours).",
        "Its gross margin is not known: its profit after the cost to serve cannot be worked out.",
    ]
    assert full.account_lines("A9", "en") == []


def test_the_views_escape_every_workbook_text() -> None:
    cost = worked(build(names={"A4": XSS}, costs=[*COSTS, ("A4", "<b>muestras</b>", 100, "2025")]))
    page = portfolio_cost_html(cost, "es")
    assert page.startswith("<section>") and "Coste de servir</h3>" in page
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<li>Ordeñar · &lt;script&gt;" in page  # the Milk account's finding, first in the list
    assert "19.000\xa0€</td>" in page and "155.600\xa0€</td>" in page
    assert "Cuentas que cuestan más de servir de lo que dejan" in page
    account = account_cost_html(cost, "A4", "en")
    assert "<b>" not in account and "&lt;b&gt;muestras&lt;/b&gt;" in account and "Cost to serve</h3>" in account
    assert ">€100</td>" in account


def test_the_whale_chart_has_its_layers_and_renders(full: CostToServe, tmp_path: Path) -> None:
    from kamlib.charts.cost import (
        EMPTY_LAYER,
        LINE_LAYER,
        PEAK_LABEL_LAYER,
        PEAK_LAYER,
        POINT_LAYER,
        RULE_LAYER,
        whale_chart,
    )
    from kamlib.charts.export import chart_spec, save_chart
    from tests.charts.specs import unit, units

    spec = chart_spec(whale_chart(full, "es"))
    names = [u.get("name") for u in units(spec)]
    assert names == [RULE_LAYER, LINE_LAYER, POINT_LAYER, PEAK_LAYER, PEAK_LABEL_LAYER]
    assert spec["title"]["text"] == "Curva de la ballena: beneficio tras el coste de servir"
    assert spec["title"]["subtitle"][1] == (
        "El 33\xa0% más rentable de las cuentas gana el 126\xa0% del beneficio; las demás devuelven la diferencia."
    )
    points = unit(spec, POINT_LAYER)
    rows = [r for r in rows_of(spec, POINT_LAYER) if r["rank"] > 0]
    assert [(r["name"], r["strategy"], r["profit_text"]) for r in rows] == [
        ("Hoteles Mirasol", "Inversión selectiva", "155.600\xa0€"),
        ("Épicerie Lumière", "Ordeñar", "−12.900\xa0€"),
        ("Supermercados Peñíscola", "Invertir", "−19.000\xa0€"),
    ]
    assert [t["field"] for t in points["encoding"]["tooltip"]] == ["name", "strategy", "profit_text", "cumulative_text"]
    assert rows_of(spec, RULE_LAYER) == [{"profit_share": 100.0}]
    assert unit(spec, RULE_LAYER)["mark"]["strokeDash"] == [6, 4]
    assert rows_of(spec, PEAK_LABEL_LAYER)[0]["label"] == "33\xa0% de las cuentas: 126\xa0% del beneficio"
    english = chart_spec(whale_chart(full, "en"))
    assert rows_of(english, PEAK_LABEL_LAYER)[0]["label"] == "33% of the accounts: 126% of the profit"
    empty = chart_spec(whale_chart(worked(build(margins={}, ledger=[])), "en"))
    assert [u.get("name") for u in units(empty)] == [EMPTY_LAYER]
    assert " ".join(empty["title"]["subtitle"]).startswith("No account's gross margin is known")
    png = save_chart(whale_chart(full, "en"), tmp_path / "whale.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


known_profits = st.lists(
    st.tuples(st.one_of(st.none(), st.floats(-1e7, 1e7, allow_nan=False)), st.sampled_from(["Ana", "Bea", "Ñu"])),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(known_profits)
def test_the_curve_ends_at_the_known_total_and_at_100_percent_of_the_accounts(rows: list[tuple]) -> None:
    profits = [math.nan if p is None else p for p, _ in rows]
    accounts = pd.DataFrame({column: [math.nan] * len(rows) for column in ACCOUNT_COLUMNS})
    accounts["account_id"] = [f"A{i}" for i in range(len(rows))]
    accounts["name"] = [name for _, name in rows]
    accounts["quadrant"] = None
    accounts["profit"] = profits
    cost = CostToServe(accounts, pd.DataFrame(columns=["account_id", "item", "amount"]))
    curve = cost.curve()
    known = [p for p in profits if not math.isnan(p)]
    assert len(curve) == len(known)
    if known:
        assert curve["cumulative_profit"].iloc[-1] == pytest.approx(sum(known), abs=1e-6)
        assert curve["accounts_share"].iloc[-1] == pytest.approx(100.0)
        assert curve["profit"].is_monotonic_decreasing
        _, profit = cost.peak()
        assert profit >= 100.0 - 1e-9 if sum(known) > 0 else math.isnan(profit)


def test_a_portfolio_where_no_account_loses_money_has_no_loser_and_no_peak_ring() -> None:
    engagement = build(margins={"A1": 900_000, "A2": 500_000, "A3": 400_000, "A4": 300_000})
    scored = kamlib.score_scenario(engagement)
    cost = cost_to_serve(engagement, scored)
    assert cost.available and not cost.accounts["unprofitable"].any()
    assert cost.findings("es", losers_only=True) == [] and cost.findings("en") == []
    assert "ninguna cuesta más de servir de lo que deja" in cost.summary("es")
    from kamlib.plan.attention import attention

    assert not attention(engagement, scored, cost=cost)["loss"].any()


def test_a_loss_is_an_attention_reason_only_when_the_cost_to_serve_is_known() -> None:
    from kamlib.charts.cost import whale_chart
    from kamlib.plan.attention import attention

    unknown = build(margins={"A1": -1000}, time=TIME[:0], costs=[])  # a loss of margin, but no cost at all
    scored = kamlib.score_scenario(unknown)
    assert not cost_to_serve(unknown, scored).available
    assert not attention(unknown, scored)["loss"].any()
    losing = build(margins={"A1": 10, "A2": 10, "A3": 10, "A4": 10})  # every account loses money
    scored = kamlib.score_scenario(losing)
    cost = cost_to_serve(losing, scored)
    assert cost.available and cost.accounts["unprofitable"].sum() == 4
    assert attention(losing, scored, cost=cost)["loss"].sum() == 4
    layers = {layer.get("name") for layer in whale_chart(cost, "es").to_dict()["layer"]}
    assert "whale_peak" not in layers and "whale_line" in layers  # no peak to ring when all give money back
