"""The balanced scorecard: statuses at their boundaries, trends, KPI identity, suggestions, portfolio, display."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.errors import KamError
from kamlib.method import CONTROL_METRICS, QUADRANTS
from kamlib.plan.playbook import play
from kamlib.plan.scorecard import (
    HISTORY_COLUMNS,
    LATEST_COLUMNS,
    PORTFOLIO_COLUMNS,
    SUGGESTED_COLUMNS,
    kpi_attainment,
    kpi_status,
    kpi_trend,
    portfolio_scorecard,
    portfolio_scorecard_table,
    scorecard,
    scorecard_table,
)
from kamlib.views.scorecard import scorecard_html
from kamlib.workbook.cells import name_key
from kamlib.workbook.sheets import PERSPECTIVES

SHEETS = ("accounts", "criteria", "scores", "kams", "time")
KPI_COLUMNS = ("account_id", "perspective", "kpi", "target", "actual", "period", "higher_is_better")
XSS = "<script>window.__kam_xss=1</script>"


def with_kpis(tiny: kamlib.Engagement, rows: list[tuple], **sheets: pd.DataFrame) -> kamlib.Engagement:
    """tiny with a `kpis` sheet of `rows` (as typed in a workbook: text cells, decimal commas, sí/no)."""
    frames = {name: getattr(tiny, name) for name in SHEETS}
    return kamlib.Engagement.from_frames({**frames, "kpis": pd.DataFrame(rows, columns=list(KPI_COLUMNS)), **sheets})


def latest_of(card: kamlib.Engagement, kpi: str) -> pd.Series:
    (row,) = [r for _, r in card.latest.iterrows() if r["kpi_key"] == name_key(kpi)]
    return row


# --- the status of one KPI ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "higher", "status"),
    [
        (100, 100, True, "met"),  # exactly at target
        (100, 130, True, "met"),
        (100, 90, True, "near"),  # exactly 10 % short
        (100, 89.99, True, "missed"),
        (100, 100, False, "met"),
        (100, 70, False, "met"),
        (100, 110, False, "near"),  # lower is better: exactly 10 % over
        (100, 110.01, False, "missed"),
        (1.1, 0.99, True, "near"),  # 1.1 − 0.99 is 0.1100000000000001 in binary: still exactly 10 %
        (1.1, 1.21, False, "near"),
        (-10, -11, True, "near"),  # a negative target: 10 % of |target|
        (-10, -11.5, True, "missed"),
        (0, 0, True, "met"),
        (0, -0.001, True, "missed"),  # a target of 0 leaves no room to be near
        (0, 0.5, False, "missed"),
        (None, 5, True, "no_target"),
        (5, None, True, "not_measured"),
        (None, None, True, "not_measured"),
    ],
)
def test_status_at_its_boundaries(target: float | None, actual: float | None, higher: bool, status: str) -> None:
    assert kpi_status(target, actual, higher) == status


def test_statuses_read_from_a_workbook(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "Financiera", "Ventas", "1000", "1000", "2026-H1", "sí"),
        ("A1", "cliente", "Cuota", "1,1", "0,99", "2026-H1", None),
        ("A1", "procesos", "Coste de servir", "100", "110", "2026-H1", "no"),
        ("A1", "interna", "Plazo de entrega", "100", "110,5", "2026-H1", "no"),
        ("A1", "aprendizaje", "Formación", None, "3", "2026-H1", "sí"),
        ("A1", "learning", "Visitas", "12", None, "2026-H1", "sí"),
    ]
    card = scorecard(with_kpis(tiny, rows), "A1")
    assert card.latest["status"].tolist() == ["met", "near", "near", "missed", "no_target", "not_measured"]
    assert card.latest["perspective"].tolist() == [
        "financial",
        "customer",
        "internal",
        "internal",
        "learning",
        "learning",
    ]
    assert card.latest["higher_is_better"].tolist() == [True, True, False, False, True, True]
    assert card.latest["attainment"].tolist()[:4] == pytest.approx([100.0, 90.0, 90.0, 89.5])
    assert np.isnan(card.latest["attainment"].iloc[4]) and np.isnan(card.latest["attainment"].iloc[5])
    assert card.latest.columns.tolist() == list(LATEST_COLUMNS)
    assert card.history.columns.tolist() == list(HISTORY_COLUMNS)


@pytest.mark.parametrize(
    ("target", "actual", "higher", "attainment"),
    [
        (200, 150, True, 75.0),
        (100, 110, False, 90.0),  # a cost 10 % over its target
        (100, 90, False, 110.0),
        (100, 300, False, -100.0),  # never clipped
        (-10, -11, True, 90.0),
        (-10, -9, True, 110.0),
    ],
)
def test_attainment(target: float, actual: float, higher: bool, attainment: float) -> None:
    assert kpi_attainment(target, actual, higher) == pytest.approx(attainment)


@pytest.mark.parametrize(("target", "actual"), [(0, 5), (None, 5), (5, None)])
def test_attainment_is_undefined_without_a_scale(target: float | None, actual: float | None) -> None:
    assert math.isnan(kpi_attainment(target, actual))


# --- properties of the rules -------------------------------------------------------------------------------

integers = st.integers(min_value=-10_000, max_value=10_000)
floats = st.just(0.0) | st.builds(
    lambda sign, size: sign * size, st.sampled_from([-1.0, 1.0]), st.floats(min_value=1e-6, max_value=1e6)
)  # no values so small that scaling by 2⁻²⁰ leaves the normal floats


@settings(max_examples=300, deadline=None)
@given(target=integers, actual=integers, factor=st.integers(min_value=1, max_value=1000), higher=st.booleans())
def test_status_ignores_the_unit(target: int, actual: int, factor: int, higher: bool) -> None:
    """Euros or thousands of euros: scaling target and actual by one positive factor keeps the status."""
    assert kpi_status(target * factor, actual * factor, higher) == kpi_status(target, actual, higher)
    assert kpi_status(target / factor, actual / factor, higher) == kpi_status(target, actual, higher)


@settings(max_examples=300, deadline=None)
@given(target=floats, actual=floats, exponent=st.integers(min_value=-20, max_value=20), higher=st.booleans())
def test_status_and_attainment_ignore_a_power_of_two(target: float, actual: float, exponent: int, higher: bool) -> None:
    factor = 2.0**exponent  # exact in binary, so any float pair must keep its status
    assert kpi_status(target * factor, actual * factor, higher) == kpi_status(target, actual, higher)
    before, after = kpi_attainment(target, actual, higher), kpi_attainment(target * factor, actual * factor, higher)
    assert (math.isnan(before) and math.isnan(after)) or after == pytest.approx(before)


@settings(max_examples=300, deadline=None)
@given(target=floats, actual=floats, higher=st.booleans())
def test_flipping_the_direction_and_the_signs_keeps_the_status(target: float, actual: float, higher: bool) -> None:
    """A cost of 90 against 100 (lower is better) is a saving of −90 against −100 (higher is better)."""
    assert kpi_status(-target, -actual, not higher) == kpi_status(target, actual, higher)
    assert kpi_trend(-target, -actual, not higher) == kpi_trend(target, actual, higher)


@settings(max_examples=200, deadline=None)
@given(previous=integers, latest=integers, factor=st.integers(min_value=1, max_value=1000), higher=st.booleans())
def test_trend_ignores_the_unit(previous: int, latest: int, factor: int, higher: bool) -> None:
    assert kpi_trend(previous * factor, latest * factor, higher) == kpi_trend(previous, latest, higher)


# --- trends ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "latest", "higher", "trend"),
    [
        (200, 202, True, "flat"),  # exactly 1 %
        (200, 198, True, "flat"),
        (200, 203, True, "better"),
        (200, 197, True, "worse"),
        (10, 8, False, "better"),  # a cost that falls
        (10, 12, False, "worse"),
        (0, 0, True, "flat"),
        (0, 0.001, True, "better"),  # with a previous of 0 only no change is flat
        (None, 5, True, "new"),
        (5, None, True, None),
    ],
)
def test_trend_rules(previous: float | None, latest: float | None, higher: bool, trend: str | None) -> None:
    assert kpi_trend(previous, latest, higher) == trend


def test_trends_over_periods(tiny: kamlib.Engagement) -> None:
    rows = [
        # Natural order: 2025-9 before 2025-10 (as text it would come after).
        ("A1", "financial", "Ventas", "100", "200", "2025-10", "sí"),
        ("A1", "financial", "Ventas", "100", "150", "2025-9", "sí"),
        ("A1", "financial", "Margen", "10", "10", "2025-10", "sí"),
        ("A1", "internal", "Coste de servir", "50", "60", "2025-9", "no"),
        ("A1", "internal", "Coste de servir", "50", None, "2025-10", "no"),  # not measured yet
        ("A1", "internal", "Coste de servir", "50", "55", "2025-11", "no"),  # against 2025-9, 60
        ("A1", "customer", "Satisfacción", "8", "7", "2025-9", "sí"),
        ("A1", "customer", "Satisfacción", "8", None, "2025-11", "sí"),
    ]
    card = scorecard(with_kpis(tiny, rows), "A1")
    sales = latest_of(card, "Ventas")
    assert (sales["period"], sales["actual"], sales["previous"], sales["previous_period"], sales["trend"]) == (
        "2025-10",
        200.0,
        150.0,
        "2025-9",
        "better",
    )
    margin = latest_of(card, "Margen")
    assert margin["trend"] == "new" and np.isnan(margin["previous"]) and margin["previous_period"] is None
    cost = latest_of(card, "Coste de servir")
    assert (cost["period"], cost["previous"], cost["previous_period"], cost["trend"]) == (
        "2025-11",
        60.0,
        "2025-9",
        "better",
    )
    # A target entered ahead (2025-11, no actual yet) does not hide the last result: 7 against 8 in 2025-9.
    satisfaction = latest_of(card, "Satisfacción")
    assert (satisfaction["period"], satisfaction["status"], satisfaction["trend"]) == ("2025-9", "missed", "new")
    assert np.isnan(satisfaction["previous"]) and satisfaction["previous_period"] is None
    never = latest_of(
        scorecard(with_kpis(tiny, [("A1", "learning", "Formación", "5", None, "2026", None)]), "A1"), "Formación"
    )
    assert (never["period"], never["status"], never["trend"]) == ("2026", "not_measured", None)
    history = card.history[card.history["kpi_key"] == "ventas"]
    assert history["period"].tolist() == ["2025-9", "2025-10"]
    assert card.periods == ["2025-9", "2025-10", "2025-11"]


# --- identity, order, period -------------------------------------------------------------------------------


def test_a_kpi_is_its_name_ignoring_case_accents_and_spaces(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "cliente", "Cuota en el cliente", "30", "25", "2025-H2", "sí"),
        ("A1", "customer", "  cuota EN el  Cliente ", "30", "31", "2026-H1", "sí"),
        ("A1", "aprendizaje", "Formación", "5", "5", "2025-H2", "sí"),
        ("A1", "aprendizaje_y_crecimiento", "FORMACION", "5", "6", "2026-H1", "sí"),
        ("A2", "customer", "Cuota en el cliente", "30", "10", "2026-H1", "sí"),  # another account's KPI
    ]
    card = scorecard(with_kpis(tiny, rows), "A1")
    assert card.latest["kpi"].tolist() == ["cuota EN el  Cliente", "FORMACION"]  # the latest row's spelling
    assert card.latest["trend"].tolist() == ["better", "better"]
    assert card.latest["previous"].tolist() == [25.0, 5.0]
    assert len(card.history) == 4 and set(card.history["kpi"]) == {"cuota EN el  Cliente", "FORMACION"}


def test_perspectives_in_balanced_scorecard_order(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "aprendizaje", "Formación", "5", "5", "2026-H1", None),
        ("A1", "procesos_internos", "Plazo", "5", "5", "2026-H1", None),
        ("A1", "cliente", "Cuota", "5", "5", "2026-H1", None),
        ("A1", "finanzas", "Ventas", "5", "5", "2026-H1", None),
        ("A1", "Financiera", "Margen", "5", "5", "2026-H1", None),
    ]
    card = scorecard(with_kpis(tiny, rows), "A1")
    assert card.latest["perspective"].tolist() == ["financial", "financial", "customer", "internal", "learning"]
    assert card.latest["kpi"].tolist() == ["Ventas", "Margen", "Cuota", "Plazo", "Formación"]  # sheet order within


def test_period_limits_the_card(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", "100", "90", "2025-H2", None),
        ("A1", "financial", "Ventas", "100", "120", "2026-H1", None),
        ("A1", "customer", "Cuota", "30", "20", "2026-H2", None),
    ]
    engagement = with_kpis(tiny, rows)
    card = scorecard(engagement, "A1", period="2025")
    assert card.latest["period"].tolist() == ["2025-H2"] and card.latest["status"].tolist() == ["near"]
    assert card.history["period"].tolist() == ["2025-H2"] and card.period == "2025"
    assert scorecard(engagement, "A1", period="2026-H1").latest["period"].tolist() == ["2026-H1"]
    whole = scorecard(engagement, "A1")
    assert whole.latest["period"].tolist() == ["2026-H1", "2026-H2"]  # each KPI its own latest
    assert scorecard(engagement, "A1", period="2024").latest.empty


# --- what a person can get wrong ---------------------------------------------------------------------------


def test_a_kpi_twice_in_a_period_is_a_workbook_problem(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", "100", "90", "2026-H1", None),
        ("A1", "customer", "Cuota en el cliente", "30", "20", "2026-H1", None),
        ("A1", "financial", "Ventas", "100", "95", "2025-H2", None),
        ("A1", "customer", " cuota en el CLIENTE", "30", "25", "2026-h1", None),  # same KPI, same period
        ("A2", "financial", "Margen", "1", "1", "2026", None),
        ("A2", "financial", "margen", "1", "1", "2026", None),
        ("A2", "financial", "MÁRGEN", "1", "1", "2026", None),
    ]
    with pytest.raises(kamlib.WorkbookError) as raised:
        with_kpis(tiny, rows)
    assert raised.value.render("en").splitlines() == [
        'engagement, sheet "kpis", row 5, column "kpi": KPI \'cuota en el CLIENTE\' of account A1 in period 2026-h1 is '
        "already in row 3; allowed: one row per account, KPI and period (names compared ignoring case, accents and "
        "spaces).",
        'engagement, sheet "kpis", row 7, column "kpi": KPI \'margen\' of account A2 in period 2026 is already in '
        "row 6; allowed: one row per account, KPI and period (names compared ignoring case, accents and spaces).",
        'engagement, sheet "kpis", row 8, column "kpi": KPI \'MÁRGEN\' of account A2 in period 2026 is already in '
        "row 6; allowed: one row per account, KPI and period (names compared ignoring case, accents and spaces).",
    ]
    assert 'hoja "kpis", fila 5, columna "kpi": el indicador' in raised.value.render("es")
    assert "ya está en la fila 3" in raised.value.render("es")


def test_unknown_account_lists_the_known(tiny: kamlib.Engagement) -> None:
    with pytest.raises(KamError, match=r"unknown account 'A9'; known: A1, A2, A3, A4$") as raised:
        scorecard(tiny, "A9")
    assert raised.value.render("es") == "no existe la cuenta 'A9'; existentes: A1, A2, A3, A4"


def test_unknown_strategy_lists_the_four(tiny: kamlib.Engagement) -> None:
    with pytest.raises(KamError, match=r"unknown strategy 'grow'; allowed: invest \(Invertir\), selective"):
        scorecard(tiny, "A1", strategy="grow")
    assert scorecard(tiny, "A1", strategy="Ordeñar").strategy == "milk"
    assert scorecard(tiny, "A1", strategy="Inversión selectiva").strategy == "selective"


# --- KPIs to define, from the playbook ---------------------------------------------------------------------


@pytest.mark.parametrize("strategy", QUADRANTS)
def test_an_account_without_kpis_gets_its_strategys_metrics(tiny: kamlib.Engagement, strategy: str) -> None:
    card = scorecard(tiny, "A3", strategy=strategy)
    assert card.latest.empty and card.history.empty
    assert card.suggested.columns.tolist() == list(SUGGESTED_COLUMNS)
    expected = sorted(CONTROL_METRICS[strategy], key=lambda m: PERSPECTIVES.index(m[0]))  # stable: method order
    assert list(card.suggested[["perspective", "es", "en"]].itertuples(index=False, name=None)) == expected
    assert set(card.suggested["status"]) == {"to_define"}
    assert len(card.suggested) == len(play(tiny, strategy).metrics)


def test_no_strategy_no_suggestions(tiny: kamlib.Engagement) -> None:
    card = scorecard(tiny, "A3")
    assert card.suggested.empty and card.suggested.columns.tolist() == list(SUGGESTED_COLUMNS)
    assert card.strategy is None and card.name == "Distribuciones Cantábrico"


def test_a_tracked_kpi_in_either_language_is_not_suggested_again(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "customer", "Share of customer", "30", "28", "2026-H1", None),  # English
        ("A1", "financial", " margen BRUTO", "20", "21", "2026-H1", None),  # Spanish, another case
        ("A1", "customer", "Satisfaccion del cliente", "8", "8", "2025-H2", None),  # no accent, an earlier period
    ]
    card = scorecard(with_kpis(tiny, rows), "A1", strategy="maintain")
    assert card.suggested["es"].tolist() == ["Coste de servir"]
    assert card.suggested["perspective"].tolist() == ["internal"]


def test_the_engagements_playbook_changes_the_metrics(tiny: kamlib.Engagement) -> None:
    playbook = pd.DataFrame(
        [
            ("mantener", "métrica", "Pedidos perfectos", "Perfect orders", "procesos"),
            ("maintain", "metric", "NPS del cliente", "Customer NPS", "cliente"),
            ("maintain", "metric", "Cuota en el cliente", "Share of customer", "customer"),
        ],
        columns=["strategy", "element", "es", "en", "perspective"],
    )
    rows = [("A1", "customer", "cuota en el cliente", "30", "28", "2026-H1", None)]
    engagement = with_kpis(tiny, rows, playbook=playbook)
    card = scorecard(engagement, "A1", strategy="maintain")
    assert list(card.suggested[["perspective", "es", "en"]].itertuples(index=False, name=None)) == [
        ("customer", "NPS del cliente", "Customer NPS"),
        ("internal", "Pedidos perfectos", "Perfect orders"),
    ]
    # Only Maintain's metrics were replaced; Milk keeps the method's.
    milk = scorecard(engagement, "A1", strategy="milk").suggested
    assert milk["en"].tolist() == ["Account profitability", "Gross margin", "Cost to serve"]


# --- the portfolio -----------------------------------------------------------------------------------------


def test_portfolio_counts_each_accounts_latest_period(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", "100", "100", "2026-H1", None),  # met
        ("A1", "financial", "Margen", "100", "95", "2026-H1", None),  # near
        ("A1", "customer", "Cuota", "100", "50", "2026-H1", None),  # missed
        ("A1", "internal", "Coste", None, "50", "2026-H1", "no"),  # no target
        ("A1", "learning", "Formación", "5", None, "2026-H1", None),  # not measured
        ("A1", "learning", "Visitas", "5", "9", "2025-H2", None),  # an earlier period: not counted
        ("A2", "financial", "Ventas", "100", "80", "2025-Q4", None),
        ("A2", "financial", "Ventas", "100", None, "2026-Q1", None),
        ("A4", "financial", "Ventas", "100", "100", "2027", None),
    ]
    engagement = with_kpis(tiny, rows)
    portfolio = portfolio_scorecard(engagement)
    assert portfolio.columns.tolist() == list(PORTFOLIO_COLUMNS)
    assert portfolio["account_id"].tolist() == ["A1", "A2", "A4"]  # A3 has no KPIs
    a1, a2, a4 = (portfolio.iloc[i] for i in range(3))
    # Each KPI at its latest measured period: A1's Visitas (2025-H2, met) counts beside the 2026-H1 ones.
    assert (a1["period"], a1["kpis"], a1["met"], a1["near"], a1["missed"], a1["no_data"]) == ("2026-H1", 6, 2, 1, 1, 2)
    assert a1["share_met"] == pytest.approx(50.0)
    # A2's 2026-Q1 row has no actual yet: its 2025-Q4 result (80 of 100) still shows.
    assert (a2["period"], a2["kpis"], a2["missed"], a2["no_data"], a2["share_met"]) == ("2025-Q4", 1, 1, 0, 0.0)
    assert (a4["met"], a4["share_met"]) == (1, 100.0)
    as_of = portfolio_scorecard(engagement, period="2025")
    assert as_of["account_id"].tolist() == ["A1", "A2"]
    assert as_of.iloc[0][["period", "kpis", "met"]].tolist() == ["2025-H2", 1, 1]
    assert as_of.iloc[1][["period", "missed"]].tolist() == ["2025-Q4", 1]


def test_portfolio_without_kpis_is_empty(tiny: kamlib.Engagement) -> None:
    portfolio = portfolio_scorecard(kamlib.Engagement.from_frames({name: getattr(tiny, name) for name in SHEETS}))
    assert portfolio.empty and portfolio.columns.tolist() == list(PORTFOLIO_COLUMNS)


# --- for people --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def card(tiny: kamlib.Engagement) -> kamlib.Engagement:
    rows = [
        ("A1", "aprendizaje", "Formación", "5", None, "2026-H1", None),
        ("A1", "cliente", "Cuota en el cliente", "30", "27", "2026-H1", None),
        ("A1", "financiera", "Ventas", "1000", "1234,5", "2025-H2", None),
        ("A1", "financiera", "Ventas", "1000", "1100", "2026-H1", None),
        ("A1", "procesos", "Coste de servir", "100", "90", "2025-H2", "no"),
        ("A1", "procesos", "Coste de servir", "100", "95", "2026-H1", "no"),
    ]
    return scorecard(with_kpis(tiny, rows), "A1", strategy="maintain")


def test_table_in_spanish(card) -> None:
    table = scorecard_table(card, "es")
    assert table.index.names == ["Perspectiva", "Indicador"]
    assert table.columns.tolist() == [
        "Periodo",
        "Mejor si",
        "Objetivo",
        "Real",
        "Anterior",
        "Cumplimiento",
        "Estado",
        "Tendencia",
    ]
    assert table.index.tolist() == [
        ("Financiera", "Ventas"),
        ("Financiera", "Margen bruto"),
        ("Cliente", "Cuota en el cliente"),
        ("Cliente", "Satisfacción del cliente"),
        ("Procesos internos", "Coste de servir"),
        ("Aprendizaje", "Formación"),
    ]
    sales = table.loc[("Financiera", "Ventas")]
    assert sales.tolist() == ["2026-H1", "sube", "1.000", "1.100", "1.234,5", "110,0\xa0%", "Cumplido", "▼ Empeora"]
    cost = table.loc[("Procesos internos", "Coste de servir")]
    assert cost.tolist() == ["2026-H1", "baja", "100", "95", "90", "105,0\xa0%", "Cumplido", "▼ Empeora"]
    assert table.loc[("Cliente", "Cuota en el cliente"), "Estado"] == "Cerca"
    assert table.loc[("Cliente", "Cuota en el cliente"), "Tendencia"] == "● Nuevo"
    assert table.loc[("Aprendizaje", "Formación")][["Real", "Estado", "Tendencia"]].tolist() == ["—", "Sin medir", "—"]
    assert table.loc[("Financiera", "Margen bruto"), "Estado"] == "Por definir"


def test_table_in_english(card) -> None:
    table = scorecard_table(card, "en")
    assert table.index.names == ["Perspective", "KPI"]
    assert [p for p, _ in table.index] == [
        "Financial",
        "Financial",
        "Customer",
        "Customer",
        "Internal processes",
        "Learning and growth",
    ]
    sales = table.loc[("Financial", "Ventas")]
    assert sales[["Target", "Actual", "Previous", "Attainment"]].tolist() == ["1,000", "1,100", "1,234.5", "110.0%"]
    assert table.loc[("Financial", "Gross margin"), "Status"] == "To define"
    assert set(table["Trend"]) == {"▼ Worse", "● New", "—"}
    with pytest.raises(KamError, match=r"unknown language 'fr'; allowed: es, en"):
        scorecard_table(card, "fr")


def test_trend_arrows(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", None, "100", "2025", None),
        ("A1", "financial", "Ventas", None, "150", "2026", None),
        ("A1", "financial", "Margen", None, "100", "2025", None),
        ("A1", "financial", "Margen", None, "100,5", "2026", None),
    ]
    table = scorecard_table(scorecard(with_kpis(tiny, rows), "A1"), "en")
    assert table["Trend"].tolist() == ["▲ Better", "▬ Flat"]
    assert table["Status"].tolist() == ["No target", "No target"]


def with_units(tiny: kamlib.Engagement, rows: list[tuple], **sheets: pd.DataFrame) -> kamlib.Engagement:
    """tiny with a `kpis` sheet whose rows end with a `unit` cell (any spelling a person may type)."""
    frames = {name: getattr(tiny, name) for name in SHEETS}
    kpis = pd.DataFrame(rows, columns=[*KPI_COLUMNS, "unit"])
    return kamlib.Engagement.from_frames({**frames, "kpis": kpis, **sheets})


UNIT_ROWS = [
    ("A1", "financial", "Volumen de ventas", "2500000", "2312345,6", "2025-H2", None, "importe"),
    ("A1", "financial", "Volumen de ventas", "2500000", "2700000", "2026-H1", None, "currency"),
    ("A1", "financial", "Crecimiento de ventas", "6", "5,6", "2025-H2", None, "porcentaje"),
    ("A1", "financial", "Crecimiento de ventas", "6", "6,75", "2026-H1", None, "%"),
    ("A1", "internal", "Plazo de cobro", "45", "50", "2025-H2", "no", "Días"),
    ("A1", "internal", "Plazo de cobro", "45", "44", "2026-H1", "no", "days"),
    ("A1", "customer", "Satisfacción del cliente", "8", "7,5", "2026-H1", None, None),  # empty: a number
]
"""A KPI in each unit: an amount, a percentage in points, days, and a plain number."""

UNIT_TABLES = {
    "es": {
        "Volumen de ventas": ["2.500.000\xa0€", "2.700.000\xa0€", "2.312.346\xa0€", "108,0\xa0%"],
        "Crecimiento de ventas": ["6,0\xa0%", "6,8\xa0%", "5,6\xa0%", "112,5\xa0%"],
        "Satisfacción del cliente": ["8", "7,5", "—", "93,8\xa0%"],
        "Plazo de cobro": ["45 días", "44 días", "50 días", "102,2\xa0%"],
    },
    "en": {
        "Volumen de ventas": ["€2,500,000", "€2,700,000", "€2,312,346", "108.0%"],
        "Crecimiento de ventas": ["6.0%", "6.8%", "5.6%", "112.5%"],
        "Satisfacción del cliente": ["8", "7.5", "—", "93.8%"],
        "Plazo de cobro": ["45 days", "44 days", "50 days", "102.2%"],
    },
}
"""Target, actual, previous and attainment of each of UNIT_ROWS' KPIs, as each language writes them."""


def test_a_kpis_unit_is_read_in_any_spelling_and_empty_is_a_number(tiny: kamlib.Engagement) -> None:
    card = scorecard(with_units(tiny, UNIT_ROWS), "A1")
    assert dict(zip(card.latest["kpi"], card.latest["unit"], strict=True)) == {
        "Volumen de ventas": "currency",
        "Crecimiento de ventas": "%",
        "Satisfacción del cliente": "number",
        "Plazo de cobro": "days",
    }
    assert card.history["unit"].tolist() == ["currency", "currency", "%", "%", "number", "days", "days"]
    assert card.currency == "EUR"
    # Without the column every KPI is a number.
    assert set(
        scorecard(with_kpis(tiny, [("A1", "financial", "Ventas", "1", "1", "2026", None)]), "A1").latest["unit"]
    ) == {"number"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_each_value_is_shown_in_its_kpis_unit(tiny: kamlib.Engagement, lang: str) -> None:
    table = scorecard_table(scorecard(with_units(tiny, UNIT_ROWS), "A1"), lang)
    values = table.droplevel(0).iloc[:, 2:6]  # target, actual, previous, attainment
    assert {kpi: row.tolist() for kpi, row in values.iterrows()} == UNIT_TABLES[lang]


def test_the_unit_changes_how_a_value_reads_not_its_status(tiny: kamlib.Engagement) -> None:
    plain = [(*r[:-1], None) for r in UNIT_ROWS]
    with_unit, without = scorecard(with_units(tiny, UNIT_ROWS), "A1"), scorecard(with_units(tiny, plain), "A1")
    columns = ["status", "attainment", "trend", "target", "actual", "previous"]
    pd.testing.assert_frame_equal(with_unit.latest[columns], without.latest[columns])


def test_amounts_are_in_the_engagements_currency(tiny: kamlib.Engagement) -> None:
    identity = pd.DataFrame({"key": ["moneda"], "value": ["usd"]})
    card = scorecard(with_units(tiny, UNIT_ROWS, engagement=identity), "A1")
    assert card.currency == "USD"
    assert scorecard_table(card, "en").iloc[0]["Target"] == "US$2,500,000"
    assert scorecard_table(card, "es").iloc[0]["Objetivo"] == "2.500.000\xa0US$"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_html_shows_each_value_in_its_kpis_unit(tiny: kamlib.Engagement, lang: str) -> None:
    page = scorecard_html(scorecard(with_units(tiny, UNIT_ROWS), "A1"), lang)
    cells = re.findall(r'text-align:right;white-space:nowrap">([^<]*)</td>', page)
    assert sorted(cells) == sorted(v for values in UNIT_TABLES[lang].values() for v in values)


def test_the_unit_of_a_kpi_is_its_latest_rows(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Margen bruto", "24", "22", "2025-H2", None, None),
        ("A1", "financial", "Margen bruto", "24", "25", "2026-H1", None, "pct"),
    ]
    card = scorecard(with_units(tiny, rows), "A1")
    assert card.history["unit"].tolist() == ["%", "%"]
    assert scorecard_table(card, "en").iloc[0][["Target", "Actual", "Previous"]].tolist() == ["24.0%", "25.0%", "22.0%"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_samples_scorecards_show_no_raw_fraction(sample_path, lang: str) -> None:
    """The sample states percentages in points and amounts in euros: no 0.06 for 6 % in any card."""
    engagement = kamlib.load(sample_path)
    cells = []
    for account_id in dict.fromkeys(engagement.kpis["account_id"]):
        page = scorecard_html(scorecard(engagement, account_id), lang)
        cells += re.findall(r'text-align:right;white-space:nowrap">([^<]*)</td>', page)
    assert len(cells) == 4 * int(portfolio_scorecard(engagement)["kpis"].sum())  # target, actual, previous, attainment
    assert not [c for c in cells if re.fullmatch(r"0[.,]\d+", c)]
    sign = {"es": ("\xa0%", "\xa0€"), "en": ("%", "€")}[lang]
    assert any(c.endswith(sign[0]) and c != "—" for c in cells)
    assert any(sign[1] in c for c in cells)


def test_an_unknown_unit_is_refused_naming_the_four(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", "1", "1", "2026", None, "kg"),
        ("A1", "customer", "NPS", "1", "1", "2026", None, "puntos"),
    ]
    with pytest.raises(kamlib.WorkbookError) as raised:
        with_units(tiny, rows)
    assert raised.value.render("en").splitlines() == [
        'engagement, sheet "kpis", row 2, column "unit": got \'kg\'; allowed: number, %, currency, days.',
        'engagement, sheet "kpis", row 3, column "unit": got \'puntos\'; allowed: number, %, currency, days.',
    ]
    assert raised.value.render("es").splitlines()[0] == (
        'engagement, hoja "kpis", fila 2, columna "unit": valor \'kg\'; se admite: number (número), % (porcentaje), '
        "currency (moneda), days (días)."
    )


def test_html_groups_by_perspective_and_escapes(tiny: kamlib.Engagement) -> None:
    accounts = tiny.accounts.assign(name=tiny.accounts["name"].where(tiny.accounts["account_id"] != "A1", XSS))
    rows = [
        ("A1", "aprendizaje", XSS, "5", "5", "2026-H1", None),
        ("A1", "financiera", "Ventas & <b>margen</b>", "100", "80", "2026-H1", None),
    ]
    card = scorecard(with_kpis(tiny, rows, accounts=accounts), "A1", strategy="milk")
    page = scorecard_html(card, "es")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in page
    assert "Ventas &amp; &lt;b&gt;margen&lt;/b&gt;" in page
    headings = [part.split("</h3>")[0] for part in page.split('font-size:20px">')[1:]]
    assert headings == ["Financiera", "Procesos internos", "Aprendizaje"]
    assert page.count('data-status="met"') == 1 and page.count('data-status="missed"') == 1
    assert page.count('data-status="to_define"') == 3  # Milk's three metrics
    assert "background:#A63F00" in page and "background:#00684C" in page
    english = scorecard_html(card, "en")
    assert "Balanced scorecard" in english and "strategy Milk" in english and "Missed" in english


def test_html_of_an_account_without_kpis(tiny: kamlib.Engagement) -> None:
    page = scorecard_html(scorecard(tiny, "A3", strategy="selective"), "en")
    assert "The account has no KPIs yet." in page and "KPIs its strategy suggests tracking:" in page
    assert "Share of customer" in page and page.count('data-status="to_define"') == 4
    bare = scorecard_html(scorecard(tiny, "A3"), "es")
    assert "La cuenta aún no tiene indicadores." in bare and "<table" not in bare


def test_importing_the_scorecard_does_not_load_altair() -> None:
    code = "import kamlib.plan.scorecard, sys; assert 'altair' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_portfolio_table_for_people(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "financial", "Ventas", "100", "100", "2026-H1", None),
        ("A1", "customer", "Cuota", "100", "50", "2026-H1", None),
        ("A1", "customer", "Visitas", "3", "3", "2026-H1", None),
        ("A2", "financial", "Ventas", None, "80", "2026-H1", None),
    ]
    es = portfolio_scorecard_table(with_kpis(tiny, rows), "es")
    assert es.index.name == "Cuenta" and es.index.tolist() == ["A1", "A2"]
    assert es.columns.tolist() == [
        *("Nombre", "Periodo", "Indicadores", "Cumplido", "Cerca", "No cumplido", "Sin datos", "Cumplidos (%)")
    ]
    assert es.loc["A1", "Cumplidos (%)"] == "66,7" and es.loc["A2", "Cumplidos (%)"] == "—"  # the header says %
    en = portfolio_scorecard_table(with_kpis(tiny, rows), "en")
    assert en.loc["A1", "Met (%)"] == "66.7" and en.loc["A1", "Missed"] == 1


def test_portfolio_summary_counts_measured_kpis_or_says_what_to_add(tiny: kamlib.Engagement) -> None:
    from kamlib.plan.scorecard import scorecard_summary

    rows = [
        ("A1", "financial", "Ventas", "100", "100", "2026-H1", None),  # met
        ("A1", "customer", "Cuota", "100", "50", "2026-H1", None),  # missed
        ("A2", "financial", "Ventas", None, "80", "2026-H1", None),  # no target: not counted
        ("A3", "financial", "Ventas", "10", "10", "2026-H1", None),  # met
    ]
    assert scorecard_summary(with_kpis(tiny, rows), "en") == (
        "3 of 4 accounts track KPIs; in their latest period 2 of 3 measured KPIs with a target are met (67%)."
    )
    assert scorecard_summary(with_kpis(tiny, rows), "es").endswith(
        "se cumplen 2 de 3 indicadores medidos con objetivo (67\xa0%)."
    )
    bare = kamlib.Engagement.from_frames({name: getattr(tiny, name) for name in SHEETS})
    assert scorecard_summary(bare, "es").startswith("Ninguna cuenta clave tiene indicadores aún")
