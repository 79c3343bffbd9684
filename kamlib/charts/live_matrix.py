"""The live account matrix's chart: the same look as `matrix_chart`, fed by the browser.

The spec has no account data of its own: the live widget computes composites and
quadrants in the browser on every slider move and streams them into two named
datasets, `accounts` and `labels`; the cut lines are the params `cut_potential` and
`cut_position`. So the chart answers within a frame, with no kernel round trip.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from kamlib.charts import theme
from kamlib.charts.export import chart_spec
from kamlib.charts.matrix import (
    TEXTS,
    axis_scale,
    bubble_layer,
    label_layers,
    quadrant_names,
    shading_layer,
)
from kamlib.method import AXIS_LABELS

ACCOUNTS_DATA = "accounts"
LABELS_DATA = "labels"
CUT_PARAMS = {"potential": "cut_potential", "position": "cut_position"}

LIVE_TEXTS = {
    "strongest": {"es": "Criterios más fuertes", "en": "Strongest criteria"},
    "weakest": {"es": "Criterios más débiles", "en": "Weakest criteria"},
}


def live_matrix_spec(lang: str, size_title: str, cuts: dict[str, float]) -> dict[str, Any]:
    """Return the Vega-Lite spec of the live matrix in `lang` (data and cut values arrive from the browser).

    The browser sends `size` as a share of the largest value (0–1), and the value itself as `size_value`.
    """
    theme.check_lang(lang)
    cut_potential = alt.param(name=CUT_PARAMS["potential"], value=cuts["potential"])
    cut_position = alt.param(name=CUT_PARAMS["position"], value=cuts["position"])
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("potential:Q", title=AXIS_LABELS["potential"][lang], format=".2f"),
        alt.Tooltip("position:Q", title=AXIS_LABELS["position"][lang], format=".2f"),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
        alt.Tooltip("strong:N", title=LIVE_TEXTS["strongest"][lang]),
        alt.Tooltip("weak:N", title=LIVE_TEXTS["weakest"][lang]),
        alt.Tooltip("size_value:Q", title=size_title, format=",.0f"),
    ]
    accounts = alt.NamedData(name=ACCOUNTS_DATA)
    labels = alt.NamedData(name=LABELS_DATA)
    layers = [
        _shading(),
        *_cut_rules(),
        *quadrant_names(lang),
        bubble_layer(accounts, lang, tooltip, 1.0),
        *label_layers(labels, "left"),
        *label_layers(labels, "right"),
    ]
    chart = (
        alt.layer(*layers)
        .add_params(cut_potential, cut_position)
        .properties(
            width=theme.chart_width,
            height=theme.chart_height,
            title=alt.TitleParams(TEXTS["title"][lang]),
            usermeta={"embedOptions": {**theme.locale_options(lang), "renderer": "canvas"}, "lang": lang},
        )
    )
    return chart_spec(theme.apply_theme(chart))


def _shading() -> alt.Chart:
    """Shade each quadrant in its colour, bounded by the cut-line params."""
    lo, hi = 0.0, 10.0
    rows = [
        {"quadrant": "invest", "x": "cut", "x2": hi, "y": "cut", "y2": hi},
        {"quadrant": "selective", "x": lo, "x2": "cut", "y": "cut", "y2": hi},
        {"quadrant": "maintain", "x": "cut", "x2": hi, "y": lo, "y2": "cut"},
        {"quadrant": "milk", "x": lo, "x2": "cut", "y": lo, "y2": "cut"},
    ]
    for row in rows:
        row["colour"] = theme.QUADRANT_COLOURS[row["quadrant"]]
    position, potential = CUT_PARAMS["position"], CUT_PARAMS["potential"]
    base = alt.Chart(alt.InlineData(values=rows)).transform_calculate(
        x0=f"datum.x === 'cut' ? {position} : datum.x",
        x1=f"datum.x2 === 'cut' ? {position} : datum.x2",
        y0=f"datum.y === 'cut' ? {potential} : datum.y",
        y1=f"datum.y2 === 'cut' ? {potential} : datum.y2",
    )
    return shading_layer(base, ("x0", "x1", "y0", "y1"))


def _cut_rules() -> list[alt.Chart]:
    """Draw both cut lines where the params put them."""
    style = {"color": theme.CUT_LINE_COLOUR, "strokeWidth": 2, "strokeDash": [8, 5], "tooltip": False}
    one_row = alt.InlineData(values=[{}])
    horizontal = (
        alt.Chart(one_row)
        .transform_calculate(potential_cut=CUT_PARAMS["potential"])
        .mark_rule(**style)
        .encode(y=alt.Y("potential_cut:Q", scale=axis_scale()))
        .properties(name="potential_cut")
    )
    vertical = (
        alt.Chart(one_row)
        .transform_calculate(position_cut=CUT_PARAMS["position"])
        .mark_rule(**style)
        .encode(x=alt.X("position_cut:Q", scale=axis_scale()))
        .properties(name="position_cut")
    )
    return [horizontal, vertical]
