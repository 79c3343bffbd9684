"""The colours of quadrants and KPI statuses, shared by the charts, the HTML of reports and the deck (no plotting
library needed here).

Colours are the Okabe–Ito set (distinguishable with the common colour-vision deficiencies); each quadrant
keeps its colour in every chart, table and language.
"""

from __future__ import annotations

from types import MappingProxyType

QUADRANT_COLOURS = MappingProxyType(
    {
        "invest": "#009E73",  # bluish green
        "selective": "#E69F00",  # orange
        "maintain": "#0072B2",  # blue
        "milk": "#CC79A7",  # reddish purple
    }
)
"""Fill colour of each quadrant's bubbles and (lightly) of its background."""

QUADRANT_TEXT_COLOURS = MappingProxyType(
    {
        "invest": "#00684C",
        "selective": "#8F6300",
        "maintain": "#004C77",
        "milk": "#8E3F72",
    }
)
"""Darker shade of each quadrant colour for text on white (contrast ≥ 4.5:1)."""


KPI_STATUS_COLOURS = MappingProxyType(
    {
        "met": "#009E73",  # bluish green
        "near": "#E69F00",  # orange
        "missed": "#D55E00",  # vermillion
        "no_target": "#9AA5B1",
        "not_measured": "#9AA5B1",
        "to_define": "#9AA5B1",
    }
)
"""Fill colour of each status (Okabe–Ito, greys for no data), for charts."""


KPI_STATUS_TEXT_COLOURS = MappingProxyType(
    {
        "met": "#00684C",
        "near": "#8F6300",
        "missed": "#A63F00",
        "no_target": "#52606D",
        "not_measured": "#52606D",
        "to_define": "#52606D",
    }
)
"""Darker shade of each status colour, for white text on it or for text on white (contrast ≥ 4.5:1)."""


KPI_TREND_TEXT_COLOURS = MappingProxyType(
    {"better": "#00684C", "worse": "#A63F00", "flat": "#52606D", "new": "#52606D"}
)
