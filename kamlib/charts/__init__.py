"""Charts of the method (the edge layer: the only part of kamlib that imports altair)."""

from __future__ import annotations

from kamlib.charts.export import save_chart
from kamlib.charts.matrix import matrix_chart

__all__ = ["matrix_chart", "save_chart"]
