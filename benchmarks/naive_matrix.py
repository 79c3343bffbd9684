"""The naive live matrix, kept only as the benchmark's baseline.

Every slider event re-scores in the kernel and re-renders a new Altair chart (altair's offline
JupyterChart) into an Output widget (issue 3 measured such a build at about 0.6 s per move).
kamlib's live matrix (kamlib/widgets) recomputes in the browser instead.
"""

from __future__ import annotations

import warnings

import altair as alt
import ipywidgets as widgets

import kamlib
from kamlib.charts import matrix_chart

alt.JupyterChart.enable_offline()  # Voilà runs no script inside HTML outputs; the widget chart renders offline


def make_naive_app(workbook: str | None = None) -> widgets.Widget:
    """Return sliders (one per criterion weight) and an Output that redraws the whole chart on each change."""
    engagement = kamlib.load(workbook)
    criteria = engagement.criteria
    sliders = {
        c.criterion_id: widgets.FloatSlider(
            value=c.weight, min=0, max=2 * criteria["weight"].max(), description=c.criterion_id
        )
        for c in criteria.itertuples()
    }
    out = widgets.Output()

    def redraw(_: object = None) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scored = kamlib.score_accounts(engagement, {k: s.value for k, s in sliders.items()})
        # The Output's outputs are set, not captured with `with out:`: nbclient (papermill, the test suite) answers
        # a capturing Output on the kernel's shell channel while it waits there for the cell's reply, and may
        # then never see the reply (jupyter/nbclient#312).
        out.outputs = ()
        out.append_display_data(alt.JupyterChart(matrix_chart(scored, lang="es")))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.HBox([widgets.VBox(list(sliders.values())), out])
