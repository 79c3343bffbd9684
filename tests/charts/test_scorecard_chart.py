"""The scorecard chart: a panel per KPI by perspective, periods in natural order, target dashed, latest by status."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import kamlib
from kamlib.charts import save_chart
from kamlib.charts.scorecard import (
    ACTUAL_LINE_LAYER,
    ACTUAL_POINT_LAYER,
    EMPTY_LAYER,
    LATEST_LAYER,
    TARGET_LINE_LAYER,
    TARGET_TICK_LAYER,
    TEXTS,
    scorecard_chart,
    value_axis,
)
from kamlib.colours import KPI_STATUS_COLOURS
from kamlib.plan.scorecard import Scorecard, scorecard
from tests.charts.specs import unit, units

SHEETS = ("accounts", "criteria", "scores", "kams", "time")
KPI_COLUMNS = ("account_id", "perspective", "kpi", "target", "actual", "period", "higher_is_better")
XSS = "<script>window.__kam_xss=1</script>"


def card_of(tiny: kamlib.Engagement, rows: list[tuple], account: str = "A1", **options: Any) -> Scorecard:
    frames = {name: getattr(tiny, name) for name in SHEETS}
    kpis = pd.DataFrame(rows, columns=list(KPI_COLUMNS))
    return scorecard(kamlib.Engagement.from_frames({**frames, "kpis": kpis}), account, **options)


ROWS = [
    ("A1", "aprendizaje", "Formación", "5", None, "2025-10", None),  # target only: not measured
    ("A1", "financiera", "Ventas", "100", "80", "2025-9", None),
    ("A1", "financiera", "Ventas", "100", "95", "2025-10", None),  # near; 2025-10 after 2025-9
    ("A1", "financiera", "Ventas", "110", "120", "2025-11", None),  # latest: met
    ("A1", "cliente", XSS, None, "7", "2025-11", None),  # no target, one period
    ("A1", "financiera", "Margen", "20", "15", "2025-11", None),  # missed, one period
]


@pytest.fixture(scope="module")
def card(tiny: kamlib.Engagement) -> Scorecard:
    return card_of(tiny, ROWS)


def rows_of(spec: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a part of `spec` (its own data or, when altair lifted it, the chart's; inline or named)."""
    data = node.get("data") or spec["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def drawn(spec: dict[str, Any], section: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a layer of a perspective's panels draws, after its filter (the few filters this chart uses)."""
    rows = rows_of(spec, section)
    for step in layer.get("transform", []):
        expr = step["filter"]
        if "datum.latest" in expr:
            rows = [r for r in rows if r["latest"]]
        if "isValid(datum.actual)" in expr:
            rows = [r for r in rows if r["actual"] is not None]
        if "isValid(datum.target)" in expr:
            rows = [r for r in rows if r["target"] is not None]
    return rows


def named(section: dict[str, Any], prefix: str) -> dict[str, Any]:
    (found,) = [u for u in units(section) if u.get("name", "").startswith(prefix)]
    return found


def test_a_section_per_perspective_a_panel_per_kpi(card: Scorecard) -> None:
    spec = scorecard_chart(card, lang="es").to_dict()
    sections = spec["vconcat"]
    assert [s["title"]["text"] for s in sections] == ["Financiera", "Cliente", "Aprendizaje"]
    financial = sections[0]
    assert financial["facet"]["field"] == "kpi" and financial["facet"]["sort"] == ["Ventas", "Margen"]
    assert financial["resolve"]["scale"] == {"x": "independent", "y": "independent"}
    assert financial["columns"] == 3
    assert [r["period"] for r in rows_of(spec, financial) if r["kpi"] == "Ventas"] == ["2025-9", "2025-10", "2025-11"]
    x = unit(financial, "kpi_actual_line_financial")["encoding"]["x"]
    assert x["field"] == "period" and x["type"] == "ordinal"
    assert x["sort"] == ["2025-9", "2025-10", "2025-11"]  # natural order, not text order
    layers = [u["name"] for section in sections for u in units(section) if "name" in u]
    assert len(set(layers)) == len(layers) == 3 * 5  # Vega needs unique names
    names = set(layers)
    assert {f"{layer}_customer" for layer in (ACTUAL_POINT_LAYER, TARGET_TICK_LAYER, LATEST_LAYER)} <= names


def test_target_dashed_with_ticks_latest_coloured_by_status(card: Scorecard) -> None:
    spec = scorecard_chart(card, lang="en").to_dict()
    financial = spec["vconcat"][0]
    target = named(financial, TARGET_LINE_LAYER)
    assert target["mark"]["strokeDash"] == [6, 4] and target["encoding"]["y"]["field"] == "target"
    ticks = named(financial, TARGET_TICK_LAYER)
    assert ticks["mark"]["type"] == "tick"
    assert [(r["kpi"], r["period"], r["target"]) for r in drawn(spec, financial, ticks)] == [
        ("Ventas", "2025-9", 100.0),
        ("Ventas", "2025-10", 100.0),
        ("Ventas", "2025-11", 110.0),
        ("Margen", "2025-11", 20.0),
    ]
    line = named(financial, ACTUAL_LINE_LAYER)
    assert line["encoding"]["y"]["field"] == "actual" and line["mark"]["type"] == "line"
    latest = named(financial, LATEST_LAYER)
    assert [(r["kpi"], r["period"], r["status"]) for r in drawn(spec, financial, latest)] == [
        ("Ventas", "2025-11", "met"),
        ("Margen", "2025-11", "missed"),
    ]
    colour = latest["encoding"]["color"]
    assert colour["field"] == "status_label"
    assert colour["scale"]["domain"] == ["Met", "Near", "Missed", "No target"]
    assert colour["scale"]["range"] == [KPI_STATUS_COLOURS[s] for s in ("met", "near", "missed", "no_target")]
    assert colour["legend"]["title"] == "Status"
    tooltip = {t["field"]: t["title"] for t in latest["encoding"]["tooltip"]}
    assert tooltip["actual_text"] == "Actual" and tooltip["target_text"] == "Target"
    assert tooltip["attainment_text"] == "Attainment" and tooltip["status_label"] == "Status"
    # Earlier periods keep their own status in the tooltips: 95 against 100 was near.
    (october,) = [r for r in rows_of(spec, financial) if r["period"] == "2025-10"]
    assert (october["status_label"], october["attainment"], october["latest"]) == ("Near", 95.0, False)
    assert (october["actual_text"], october["target_text"], october["attainment_text"]) == ("95", "100", "95.0%")


def test_kpis_without_target_or_actual(card: Scorecard) -> None:
    spec = scorecard_chart(card, lang="es").to_dict()
    customer, learning = spec["vconcat"][1], spec["vconcat"][2]
    assert drawn(spec, customer, named(customer, TARGET_TICK_LAYER)) == []
    (point,) = drawn(spec, customer, named(customer, LATEST_LAYER))
    assert point["kpi"] == XSS and point["status_label"] == "Sin objetivo"
    assert drawn(spec, learning, named(learning, LATEST_LAYER)) == []  # not measured: no dot
    (tick,) = drawn(spec, learning, named(learning, TARGET_TICK_LAYER))
    assert (tick["target"], tick["status_label"]) == (5.0, "Sin medir")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_texts_in_each_language(tiny: kamlib.Engagement, lang: str) -> None:
    card = card_of(tiny, ROWS, strategy="maintain", period="2025-11")
    spec = scorecard_chart(card, lang=lang).to_dict()
    title = {"es": "Cuadro de mando integral: ", "en": "Balanced scorecard: "}[lang]
    assert spec["title"]["text"] == title + "Supermercados Peñíscola"
    counts = {
        "es": "4 indicadores · periodos 2025-9 a 2025-11 (hasta 2025-11)",
        "en": "4 KPIs · periods 2025-9 to 2025-11 (up to 2025-11)",
    }
    suggested = {
        "es": "Mantener propone además: Margen bruto, Cuota en el cliente, Satisfacción del cliente, Coste de servir",
        "en": "Maintain also suggests: Gross margin, Share of customer, Customer satisfaction, Cost to serve",
    }
    assert spec["title"]["subtitle"] == [counts[lang], TEXTS["key"][lang], suggested[lang]]
    assert [s["title"]["text"] for s in spec["vconcat"]] == {
        "es": ["Financiera", "Cliente", "Aprendizaje"],
        "en": ["Financial", "Customer", "Learning and growth"],
    }[lang]
    assert spec["usermeta"]["lang"] == lang
    assert ("formatLocale" in spec["usermeta"]["embedOptions"]) == (lang == "es")


def test_one_period(tiny: kamlib.Engagement) -> None:
    card = card_of(tiny, [("A1", "financial", "Ventas", "100", "100", "2026", None)])
    spec = scorecard_chart(card, lang="en").to_dict()
    (section,) = spec["vconcat"]
    assert drawn(spec, section, named(section, LATEST_LAYER))[0]["status"] == "met"
    assert spec["title"]["subtitle"][0] == "1 KPI · period 2026"


def test_nothing_to_show_is_still_a_chart(tiny: kamlib.Engagement, tmp_path: Path) -> None:
    spec = scorecard_chart(scorecard(tiny, "A3", strategy="selective"), lang="en").to_dict()
    (section,) = spec["vconcat"]
    texts = [r["text"] for r in rows_of(spec, section["layer"][0])]
    assert texts == [
        "Nothing to show: the account has no KPIs yet",
        "KPIs its strategy suggests tracking:",
        "• Sales volume",  # by perspective: the financial ones first
        "• Projected three-year return",
        "• Share of customer",
        "• Relationship quality",
    ]
    assert unit(section, EMPTY_LAYER)["mark"]["fontWeight"] == "bold"
    assert spec["title"]["subtitle"] == []
    bare = scorecard_chart(scorecard(tiny, "A3", period="2025"), lang="es").to_dict()
    assert [r["text"] for r in rows_of(bare, bare["vconcat"][0]["layer"][0])] == [
        "No hay indicadores que mostrar hasta 2025"
    ]
    svg = save_chart(scorecard_chart(scorecard(tiny, "A3"), lang="es"), tmp_path / "empty.svg").read_text("utf-8")
    assert "No hay indicadores que mostrar" in svg


def test_the_chart_renders_and_names_stay_text(card: Scorecard, tmp_path: Path) -> None:
    svg = save_chart(scorecard_chart(card, lang="es"), tmp_path / "card.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg and "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in svg
    assert "Formación" in svg and "2025-10" in svg


def test_bad_language_is_refused(card: Scorecard) -> None:
    with pytest.raises(ValueError, match=r"lang must be one of 'es', 'en'; got 'fr'"):
        scorecard_chart(card, lang="fr")


UNIT_ROWS = [
    ("A1", "financial", "Volumen de ventas", "2500000", "2312345,6", "2025-H2", None, "importe"),
    ("A1", "financial", "Volumen de ventas", "2500000", "2700000", "2026-H1", None, "currency"),
    ("A1", "customer", "Crecimiento de ventas", "6", "5,6", "2025-H2", None, "porcentaje"),
    ("A1", "customer", "Crecimiento de ventas", "6", "6,75", "2026-H1", None, "%"),
    ("A1", "internal", "Plazo de cobro", "45", "50", "2025-H2", "no", "Días"),
    ("A1", "internal", "Plazo de cobro", "45", "44", "2026-H1", "no", "days"),
    ("A1", "learning", "Satisfacción", "8", "7,5", "2026-H1", None, None),  # a number beside a percentage
    ("A1", "learning", "Cuota", "30", "27,5", "2026-H1", None, "pct"),
]
"""A perspective per unit (amounts, percentages in points, days), and one that mixes a number and a %."""

AXES = {
    "es": {
        "financial": ("Volumen de ventas", 'datum.label + "\xa0€"', "2.500.000\xa0€"),
        "customer": ("Crecimiento de ventas", 'datum.label + "\xa0%"', "6,5\xa0%"),
        "internal": ("Plazo de cobro", 'datum.label + " días"', "46 días"),
    },
    "en": {
        "financial": ("Volumen de ventas", '"€" + datum.label', "€2,500,000"),
        "customer": ("Crecimiento de ventas", 'datum.label + "%"', "6.5%"),
        "internal": ("Plazo de cobro", 'datum.label + " days"', "46 days"),
    },
}
"""Per perspective of UNIT_ROWS: its KPI, its value axis's label expression, and one label the axis shows."""


@pytest.fixture(scope="module")
def unit_card(tiny: kamlib.Engagement) -> Scorecard:
    frames = {name: getattr(tiny, name) for name in SHEETS}
    kpis = pd.DataFrame(UNIT_ROWS, columns=[*KPI_COLUMNS, "unit"])
    return scorecard(kamlib.Engagement.from_frames({**frames, "kpis": kpis}), "A1")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_value_axes_in_the_unit_their_kpis_share(unit_card: Scorecard, lang: str, tmp_path: Path) -> None:
    chart = scorecard_chart(unit_card, lang=lang)
    spec = chart.to_dict()
    sections = dict(zip(["financial", "customer", "internal", "learning"], spec["vconcat"], strict=True))
    for perspective, (kpi, label, _) in AXES[lang].items():
        section = sections[perspective]
        for layer in (ACTUAL_LINE_LAYER, TARGET_TICK_LAYER, LATEST_LAYER):
            axis = unit(section, f"{layer}_{perspective}")["encoding"]["y"]["axis"]
            assert axis == {"format": ",~f", "labelExpr": label}
        assert f'"{kpi}"' in section["facet"]["header"]["labelExpr"]
    # Mixed units: a plain axis, and the header names the unit of the KPI that has one.
    learning = sections["learning"]
    assert "axis" not in unit(learning, f"{ACTUAL_LINE_LAYER}_learning")["encoding"]["y"]
    assert '["Cuota (%)"]' in learning["facet"]["header"]["labelExpr"]
    assert '["Satisfacción"]' in learning["facet"]["header"]["labelExpr"]
    # The axes as drawn, in the chart's locale, and the tooltips as the table writes the values.
    svg = save_chart(chart, tmp_path / "units.svg").read_text(encoding="utf-8")
    labels = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for _, _, shown in AXES[lang].values():
        assert shown in labels
    assert not [t for t in labels if re.fullmatch(r"0[.,]\d+", t)]
    rows = {(r["kpi"], r["period"]): r for r in rows_of(spec, sections["customer"])}
    growth = rows[("Crecimiento de ventas", "2026-H1")]
    assert (growth["actual"], growth["actual_text"]) == (6.75, {"es": "6,8\xa0%", "en": "6.8%"}[lang])
    assert growth["attainment_text"] == {"es": "112,5\xa0%", "en": "112.5%"}[lang]
    sales = rows_of(spec, sections["financial"])[0]
    assert sales["target_text"] == {"es": "2.500.000\xa0€", "en": "€2,500,000"}[lang]


def test_an_axis_in_another_currency() -> None:
    assert value_axis("currency", "en", "GBP") == {"format": ",~f", "labelExpr": '"£" + datum.label'}
    assert value_axis("currency", "es", "USD") == {"format": ",~f", "labelExpr": 'datum.label + "\xa0US$"'}
    assert value_axis("number", "es") == {} and value_axis(None, "en") == {}
