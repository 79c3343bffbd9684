"""Charts as a widget, for dashboards served by Voilà: the specs travel as data, Vega comes bundled.

Voilà (rightly) runs no script found in a notebook's HTML output, so the offline `kamlib` renderer,
which works in JupyterLab and in nbconvert's HTML, shows nothing there. `chart_widget` draws the same
altair charts through an anywidget whose JavaScript carries Vega, Vega-Lite and vega-embed (from
vl-convert): nothing is fetched, and workbook text reaches the page only as chart data, never as HTML.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from kamlib.charts.export import chart_spec

HERE = Path(__file__).resolve().parent


@functools.cache
def _bundle() -> str:
    """Return charts.js bundled with Vega, Vega-Lite and vega-embed (vl-convert; nothing fetched)."""
    import vl_convert as vlc

    from kamlib.charts.export import _vl_version

    return vlc.javascript_bundle((HERE / "charts.js").read_text(encoding="utf-8"), vl_version=_vl_version())


class ChartsWidget(anywidget.AnyWidget):
    """One or more Vega-Lite charts, one under the other."""

    specs = traitlets.List(traitlets.Dict()).tag(sync=True)

    def __init__(self, **kwargs: Any):
        type(self)._esm = _bundle()
        super().__init__(**kwargs)


def chart_widget(*charts: Any) -> ChartsWidget:
    """Return a widget drawing these altair charts (their data inlined), for notebooks served by Voilà."""
    return ChartsWidget(specs=[chart_spec(chart) for chart in charts])
