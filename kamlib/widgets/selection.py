"""Selecting key accounts live (the edge: ipywidgets and altair): move the weights and the cut-off, see who changes.

`SelectionApp` shows one slider per selection criterion's weight and one for the cut-off; every change
(on release of a slider) runs `kamlib.plan.selection.select_accounts` again, which is the whole computation,
and redraws the chart (`kamlib.charts.selection.selection_chart`), the summary and the table of who
enters and who leaves. A request the library refuses (every weight at zero) is said under the sliders,
and the last good result stays on screen.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets

from kamlib.charts.selection import selection_chart
from kamlib.engagement import Engagement, load
from kamlib.errors import KamError
from kamlib.i18n import check_lang
from kamlib.plan.selection import DEFAULT_CUTOFF, Selection, select_accounts, selection_criteria
from kamlib.views.selection import changes_html

SLIDER_MAX_WEIGHT = 10.0
"""A weight slider goes from 0 to this (or to the criterion's own weight when larger)."""

UI_TEXTS: dict[str, dict[str, str]] = {
    "es": {
        "weights": "Pesos de los criterios de selección",
        "cutoff": "Corte (0–10)",
        "reset": "Volver a los pesos del libro",
    },
    "en": {
        "weights": "Weights of the selection criteria",
        "cutoff": "Cut-off (0–10)",
        "reset": "Back to the workbook's weights",
    },
}


class SelectionApp:
    """Sliders for the selection weights and the cut-off, the ranked chart and who enters or leaves."""

    def __init__(self, engagement: Engagement, lang: str = "es", cutoff: float = DEFAULT_CUTOFF):
        self.lang = check_lang(lang)
        self.engagement = engagement
        criteria = selection_criteria(engagement)
        self.default_weights: dict[str, float] = dict(
            zip(criteria["criterion_id"], criteria["weight"].astype(float), strict=True)
        )
        """The workbook's weights (or the defaults'), which "reset" puts back."""
        labels = dict(zip(criteria["criterion_id"], criteria[f"label_{lang}"], strict=True))
        slider = {"continuous_update": False, "style": {"description_width": "260px"}, "layout": {"width": "560px"}}
        self.weight_sliders: dict[str, widgets.FloatSlider] = {
            cid: widgets.FloatSlider(
                value=w, min=0.0, max=max(SLIDER_MAX_WEIGHT, w), step=0.1, description=labels[cid], **slider
            )
            for cid, w in self.default_weights.items()
        }
        text = UI_TEXTS[lang]
        self.cutoff_slider = widgets.FloatSlider(
            value=float(cutoff), min=0.0, max=10.0, step=0.1, description=text["cutoff"], **slider
        )
        self.reset_button = widgets.Button(description=text["reset"], layout={"width": "260px"})
        self.status = widgets.HTML()
        """Why the last change was refused, if it was (empty otherwise)."""
        self.summary = widgets.HTML()
        self.chart_output = widgets.Output()
        self.changes = widgets.HTML()
        """Who enters and who leaves, and why (`kamlib.views.selection.changes_html`)."""
        self.selection: Selection | None = None
        """The selection on screen."""
        self.chart: alt.LayerChart | None = None
        """The chart on screen."""
        controls = widgets.VBox(
            [
                widgets.HTML(f"<b>{html.escape(text['weights'])}</b>"),
                *self.weight_sliders.values(),
                self.cutoff_slider,
                self.reset_button,
                self.status,
            ]
        )
        self.view = widgets.VBox([controls, self.summary, self.chart_output, self.changes])
        for control in (*self.weight_sliders.values(), self.cutoff_slider):
            control.observe(self.update, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.update()

    @property
    def weights(self) -> dict[str, float]:
        """The weights on the sliders, by criterion id."""
        return {cid: float(s.value) for cid, s in self.weight_sliders.items()}

    def reset(self) -> None:
        """Put the workbook's weights back on the sliders (one redraw)."""
        self._hold = True
        try:
            for cid, w in self.default_weights.items():
                self.weight_sliders[cid].value = w
        finally:
            self._hold = False
        self.update()

    def update(self, _: object = None) -> None:
        """Select again with the sliders' weights and cut-off, and redraw the chart, summary and changes."""
        if getattr(self, "_hold", False):
            return
        try:
            selection = select_accounts(self.engagement, float(self.cutoff_slider.value), None, self.weights)
        except KamError as exc:
            self.status.value = f'<span style="color:#B00020">{html.escape(exc.render(self.lang))}</span>'
            return
        self.status.value = ""
        self.selection = selection
        self.chart = selection_chart(selection, self.lang)
        self.summary.value = f"<p>{html.escape(selection.summary(self.lang))}</p>"
        self.changes.value = changes_html(selection, self.lang)
        data = self.chart._repr_mimebundle_()
        bundle = data[0] if isinstance(data, tuple) else data
        self.chart_output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


def make_selection_app(workbook: Engagement | Path | str | None = None, lang: str = "es") -> SelectionApp:
    """Open the key-account selection on an engagement (a loaded one, a workbook path, or the sample)."""
    engagement = workbook if isinstance(workbook, Engagement) else load(workbook)
    return SelectionApp(engagement, lang)
