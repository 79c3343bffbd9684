"""The shared look of kamlib's charts: palette, fonts and sizes readable on a projector.

Colours are the Okabe–Ito set (distinguishable with the common colour-vision
deficiencies); each quadrant keeps its colour in every chart and language.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from kamlib import colours

LANGS: tuple[str, ...] = ("es", "en")
"""Languages every chart text exists in."""

QUADRANT_COLOURS = colours.QUADRANT_COLOURS
QUADRANT_TEXT_COLOURS = colours.QUADRANT_TEXT_COLOURS

FONT = "'Source Sans 3', 'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
TEXT_COLOUR = "#1F2933"
MUTED_COLOUR = "#52606D"
GRID_COLOUR = "#E4E7EB"
CUT_LINE_COLOUR = "#3E4C59"

TITLE_SIZE = 24
SUBTITLE_SIZE = 16
AXIS_TITLE_SIZE = 17
AXIS_LABEL_SIZE = 15
LEGEND_TITLE_SIZE = 16
LEGEND_LABEL_SIZE = 15
QUADRANT_LABEL_SIZE = 20
NAME_LABEL_SIZE = 14

QUADRANT_SHADE_OPACITY = 0.09
BUBBLE_OPACITY = 0.78
MAX_BUBBLE_AREA = 2600.0
"""Area in px² of the largest bubble; the others scale in proportion to it."""

chart_width = 760
chart_height = 560

Chart = TypeVar("Chart", bound=alt.TopLevelMixin)


def check_lang(lang: str) -> str:
    """Return `lang` if charts can be written in it, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(repr(x) for x in LANGS)}; got {lang!r}")
    return lang


def apply_theme(chart: Chart) -> Chart:
    """Return `chart` configured with kamlib's fonts, sizes and colours.

    One `configure` call: each one copies the whole chart (every layer of every panel), so five calls, one per
    part of the configuration, cost five copies."""
    return chart.configure(
        font=FONT,
        background="white",
        padding={"left": 10, "right": 10, "top": 10, "bottom": 10},
        view={"stroke": "#9AA5B1", "strokeWidth": 1},
        title={
            "fontSize": TITLE_SIZE,
            "subtitleFontSize": SUBTITLE_SIZE,
            "color": TEXT_COLOUR,
            "subtitleColor": MUTED_COLOUR,
            "anchor": "start",
            "offset": 14,
            "subtitlePadding": 6,
            "fontWeight": "bold",
        },
        axis={
            "titleFontSize": AXIS_TITLE_SIZE,
            "labelFontSize": AXIS_LABEL_SIZE,
            "titleColor": TEXT_COLOUR,
            "labelColor": MUTED_COLOUR,
            "titleFontWeight": "bold",
            "gridColor": GRID_COLOUR,
            "domainColor": "#9AA5B1",
            "tickColor": "#9AA5B1",
            "titlePadding": 12,
        },
        legend={
            "titleFontSize": LEGEND_TITLE_SIZE,
            "labelFontSize": LEGEND_LABEL_SIZE,
            "titleColor": TEXT_COLOUR,
            "labelColor": TEXT_COLOUR,
            "symbolSize": 260,
            "rowPadding": 8,
            "titlePadding": 8,
            "labelLimit": 240,
        },
    )


SPANISH_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]}
"""d3-format locale of Spanish numbers: 1.234,5 and 12 €."""


def chart_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return `frame` as JSON-safe records for inline chart data (NaN → None, numpy scalars → Python)."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def locale_options(lang: str) -> dict[str, Any]:
    """Return the vega-embed options every export honours: SVG renderer, the number locale of `lang`."""
    options: dict[str, Any] = {"renderer": "svg"}
    if lang == "es":
        options["formatLocale"] = SPANISH_LOCALE
    return options
