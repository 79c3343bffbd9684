"""The quadrants' colours, shared by the charts and the HTML of reports (no plotting library needed here).

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
