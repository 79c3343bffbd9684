"""The sales ledger's charts: a panel per metric with the accounts as ticks, and the whitespace grid."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

import kamlib
from kamlib.charts import save_chart
from kamlib.charts.ledger import (
    BAND_LAYER,
    BOUGHT_LAYER,
    EMPTY_LAYER,
    GAP_LAYER,
    HIGHLIGHT_LABEL_LAYER,
    HIGHLIGHT_LAYER,
    MEDIAN_LAYER,
    TICK_LAYER,
    distribution_chart,
    whitespace_chart,
)
from kamlib.ledger.tables import ledger_of
from tests.ledger.test_tables import METRICS, WHITESPACE


def layers(spec: dict) -> list[dict]:
    """Every unit spec, through vconcat, hconcat and layer."""
    for key in ("vconcat", "hconcat", "layer"):
        if key in spec:
            return [u for child in spec[key] for u in layers(child)]
    return [spec]


def rows_of(spec: dict, unit: dict) -> list[dict]:
    """A unit's rows (its own data, or the chart's when its layers share it)."""
    return spec["datasets"][unit.get("data", spec.get("data"))["name"]]


def named(units: list[dict], name: str) -> list[dict]:
    """The units called `name` (Altair numbers repeated names in a concatenation: name_0, name_1 …)."""
    return [u for u in units if re.fullmatch(rf"{name}(_\d+)?", u.get("name", ""))]


@pytest.fixture
def ledger(tmp_path, tiny_path):
    wb = tmp_path / "wb"
    shutil.copytree(tiny_path, wb)
    (wb / "ledger_metrics.csv").write_text(METRICS, encoding="utf-8")
    (wb / "whitespace.csv").write_text(WHITESPACE, encoding="utf-8")
    return ledger_of(kamlib.load(wb))


def test_a_panel_per_metric_with_values_and_the_account_highlighted(ledger):
    metrics, _ = ledger
    spec = distribution_chart(metrics, "en", highlight="A3").to_dict()
    units = layers(spec)
    panels = named(units, TICK_LAYER)
    assert [p["encoding"]["x"]["title"] for p in panels] == [
        "Net revenue, last 12 months",
        "Growth year over year (%)",
        "Gross margin (%)",
        "Product families bought",
        "Orders per month",
        "Days since the last purchase",
        "Share of the customer's spend (%)",
    ]
    assert [r["value"] for r in rows_of(spec, panels[1])] == [20, -20, 33.3]  # the new account has no growth
    medians = [rows_of(spec, u)[0]["median"] for u in named(units, MEDIAN_LAYER)]
    assert medians[0] == 400 and medians[1] == 20
    assert len(named(units, BAND_LAYER)) == 7
    dots = [rows_of(spec, u)[0] for u in named(units, HIGHLIGHT_LAYER)]
    assert dots[0] == {"account": "Distribuciones Cantábrico", "value": 400.0} and len(dots) == 7
    assert len(named(units, HIGHLIGHT_LABEL_LAYER)) == 7
    assert spec["title"]["subtitle"].startswith("Period 2026-06, 12 months to 2026-06-30")
    plain = distribution_chart(metrics, "es").to_dict()
    assert not named(layers(plain), HIGHLIGHT_LAYER) and len(named(layers(plain), TICK_LAYER)) == 7
    assert plain["title"]["text"] == "Libro de ventas: las métricas de las cuentas"


def test_the_whitespace_grid_marks_what_each_account_does_not_buy(ledger):
    metrics, space = ledger
    spec = whitespace_chart(metrics, space, "en").to_dict()
    (bought,) = named(layers(spec), BOUGHT_LAYER)
    cells = rows_of(spec, bought)  # one dataset for both layers, filtered by "bought"
    assert len(cells) == 4 * 3  # four accounts buying × the three families someone misses
    grid = {(c["account"], c["family"]): c["bought"] for c in cells}
    assert grid[("Hoteles Mirasol", "F2")] is False and grid[("Supermercados Peñíscola", "F2")] is True
    assert grid[("Épicerie Lumière", "<b>F3</b>")] is False  # a name is data, shown as text
    assert bought["encoding"]["y"]["sort"][0] == "Supermercados Peñíscola"  # the largest first
    assert len(named(layers(spec), GAP_LAYER)) == 1
    assert spec["title"]["subtitle"] == "Filled: bought; red outline: not bought. The 4 accounts buying."
    small = whitespace_chart(metrics, space, "es", accounts=2, families=1).to_dict()
    assert small["title"]["subtitle"] == (
        "Relleno: la compra; borde rojo: no la compra. Las 2 mayores de 4 cuentas que compran. Las 1 familias más "
        "ausentes de 3."
    )
    assert len(rows_of(small, layers(small)[0])) == 2


def test_without_a_ledger_or_gaps_the_charts_say_so(tiny, ledger):
    metrics, space = ledger_of(tiny)
    for chart in (distribution_chart(metrics, "en"), whitespace_chart(metrics, space, "en")):
        (unit,) = layers(chart.to_dict())
        assert unit["name"] == EMPTY_LAYER
    metrics, _ = ledger
    full = whitespace_chart(metrics, space.iloc[:0], "en").to_dict()
    assert rows_of(full, layers(full)[0]) == [{"text": "Every account buys every family"}]


def test_the_charts_render_offline(ledger, tmp_path):
    metrics, space = ledger
    save_chart(distribution_chart(metrics, "es", highlight="A1"), tmp_path / "d.svg")
    save_chart(whitespace_chart(metrics, space, "es"), tmp_path / "w.svg")
    svg = (tmp_path / "w.svg").read_text(encoding="utf-8")
    assert "&lt;b&gt;F3&lt;/b&gt;" in svg and "<b>F3" not in svg
    assert "Supermercados Peñíscola" in (tmp_path / "d.svg").read_text(encoding="utf-8")


def test_notebooks_show_a_tables_long_text_whole():
    """Importing kamlib.charts (as every notebook does) lifts pandas' 50-character cut of a cell."""
    import pandas as pd

    import kamlib.charts  # noqa: F401

    rule = "thresholds: -20 scores 1, 30 scores 10, linear in between; new customers: the others' median"
    assert rule in pd.DataFrame({"rule": [rule]})._repr_html_()


def test_a_metric_to_score_panel_per_scored_metric(tiny, tmp_path):
    from kamlib.charts.ledger import SCORE_LAYER, score_mapping_chart
    from kamlib.ledger.scores import ingest_scores
    from tests.ledger.test_ingest import LEDGER

    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    detail = ingest_scores(ledger, None, tiny).detail
    names = pd.Series({"A1": "Supermercados Peñíscola", "C9": "Nueva Cía"})
    spec = score_mapping_chart(detail, "en", names).to_dict()
    panels = [u for u in layers(spec) if u.get("name", "").startswith(SCORE_LAYER)]
    assert [p["encoding"]["y"]["title"] for p in panels] == ["Score: volume", "Score: growth"]
    assert len({p["name"] for p in panels}) == 2  # one name each, or Vega's scales clash
    rows = {r["customer"]: (r["value"], r["score"]) for r in rows_of(spec, panels[0])}
    assert rows == {"Supermercados Peñíscola": (1800.0, 10.0), "A2": (300.0, 1.0), "Nueva Cía": (900.0, 5.5)}
    save_chart(score_mapping_chart(detail, "es"), tmp_path / "s.png")  # renders: no clash of scale names
    (empty,) = layers(score_mapping_chart(detail.iloc[:0], "en").to_dict())
    assert empty["name"] == EMPTY_LAYER
