"""Charts of the method (the edge layer: the only part of kamlib that imports altair).

Importing this package makes altair render offline in notebooks (see `render`).
"""

from __future__ import annotations

from kamlib.charts.export import save_chart
from kamlib.charts.matrix import matrix_chart
from kamlib.charts.render import use_offline_renderer

use_offline_renderer()

__all__ = ["matrix_chart", "save_chart", "use_offline_renderer"]
