"""The live account matrix a consultant projects in a workshop (the edge: widgets and the browser).

`make_matrix_app` puts together:

- `MatrixWidget`, an anywidget whose browser side (matrix.js, bundled offline with Vega by
  vl-convert) holds the sliders and recomputes composites and quadrants on every move, so
  the chart answers within a frame without waiting on the kernel;
- a scenario bar (ipywidgets): save the current weights and cut lines as a named scenario,
  load one, choose the reference the "changed quadrant" list compares against;
- an autosave: every change the browser reports is written atomically to the workshop
  folder, and reopening the matrix restores it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from kamlib.charts import theme
from kamlib.charts.live_matrix import live_matrix_spec
from kamlib.charts.matrix import CHAR_WIDTH_PX, LABEL_GAP_PX, LABEL_LIMIT_PX, TEXTS
from kamlib.engagement import Engagement, load
from kamlib.errors import KamError
from kamlib.method import AXIS_LABELS, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.live import LiveMatrixData, composites_for, live_matrix_data, numeric_cuts, reference_quadrants
from kamlib.scenarios.scenario import Scenario, load_scenario, save_scenario
from kamlib.scenarios.store import (
    WorkshopState,
    list_scenarios,
    load_state,
    save_state,
    scenario_dir,
    scenario_file,
    state_scenario,
)

HERE = Path(__file__).resolve().parent
WORKBOOK_REFERENCE = ""
"""The reference value meaning "the workbook's weights" (any other is a saved scenario's name)."""

UI_TEXTS: dict[str, dict[str, Any]] = {
    lang: {
        "axes": [AXIS_LABELS["potential"][lang], AXIS_LABELS["position"][lang]],
        "strategies": {q: STRATEGY_NAMES[q][lang] for q in QUADRANTS},
        "strategy": TEXTS["strategy"][lang],
        "revenue": TEXTS["revenue"][lang],
        **texts,
    }
    for lang, texts in {
        "es": {
            "cuts": "Líneas de corte",
            "filters": "Filtros",
            "filter_names": {"sector": "Sector", "kam_id": "KAM", "country": "País"},
            "all": "Todos",
            "size_by": "Tamaño de burbuja",
            "reset": "Volver a los pesos del libro",
            "accounts": "Cuentas",
            "per_quadrant": "Cuentas y facturación por cuadrante",
            "movers": "Cambian de cuadrante frente a",
            "no_movers": "Ninguna cuenta cambia de cuadrante.",
            "more": "… y {n} más",
            "workbook": "pesos del libro",
            "scenario": "Escenario",
            "save": "Guardar escenario",
            "load": "Cargar",
            "reference": "Comparar con",
            "saved": "Guardado en {path}",
            "restored": "Se ha recuperado la sesión guardada automáticamente ({path}).",
            "name_needed": "Escriba un nombre para el escenario.",
        },
        "en": {
            "cuts": "Cut lines",
            "filters": "Filters",
            "filter_names": {"sector": "Sector", "kam_id": "KAM", "country": "Country"},
            "all": "All",
            "size_by": "Bubble size",
            "reset": "Back to the workbook's weights",
            "accounts": "Accounts",
            "per_quadrant": "Accounts and revenue per quadrant",
            "movers": "Changed quadrant against",
            "no_movers": "No account changes quadrant.",
            "more": "… and {n} more",
            "workbook": "workbook's weights",
            "scenario": "Scenario",
            "save": "Save scenario",
            "load": "Load",
            "reference": "Compare with",
            "saved": "Saved to {path}",
            "restored": "The autosaved session was restored ({path}).",
            "name_needed": "Type a name for the scenario.",
        },
    }.items()
}

GEOMETRY = {
    "width": theme.chart_width,
    "height": theme.chart_height,
    "fontSize": theme.NAME_LABEL_SIZE,
    "charWidth": CHAR_WIDTH_PX,
    "gap": LABEL_GAP_PX,
    "limit": LABEL_LIMIT_PX,
    "maxArea": theme.MAX_BUBBLE_AREA,
}
"""Geometry the browser's label placement shares with `kamlib.charts.matrix.place_labels`."""


@functools.cache
def matrix_bundle() -> str:
    """Return matrix.js bundled with Vega, Vega-Lite and vega-embed (vl-convert; nothing fetched)."""
    import vl_convert as vlc

    from kamlib.charts.export import vl_version

    return vlc.javascript_bundle((HERE / "matrix.js").read_text(encoding="utf-8"), vl_version=vl_version())


class MatrixWidget(anywidget.AnyWidget):
    """The live matrix: sliders, chart and side tables, computed in the browser."""

    _css = HERE / "matrix.css"
    spec = traitlets.Dict().tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    geometry = traitlets.Dict().tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    weights = traitlets.Dict().tag(sync=True)
    default_weights = traitlets.Dict().tag(sync=True)
    cuts = traitlets.Dict().tag(sync=True)
    filters = traitlets.Dict().tag(sync=True)
    lang = traitlets.Unicode("es").tag(sync=True)
    size_by = traitlets.Unicode("revenue").tag(sync=True)
    reference = traitlets.Dict().tag(sync=True)
    reference_name = traitlets.Unicode("").tag(sync=True)
    label_top = traitlets.Int(8).tag(sync=True)

    def __init__(self, **kwargs: Any):
        type(self)._esm = matrix_bundle()
        super().__init__(**kwargs)


def start_state(engagement: Engagement, scenario: Scenario | None, lang: str) -> WorkshopState:
    """Return the state the matrix opens in: the workbook's weights, or a scenario's over them."""
    weights = dict(zip(engagement.criteria["criterion_id"], engagement.criteria["weight"], strict=True))
    if scenario is None:
        return WorkshopState(lang=lang, weights=weights)
    scenario.check_against(engagement)
    return WorkshopState(lang=lang, weights=weights | scenario.weights, cuts=scenario.cuts)


def matrix_values(engagement: Engagement, data: LiveMatrixData, state: WorkshopState) -> dict[str, Any]:
    """Return the browser side's initial model: data, texts, geometry and the state to show."""
    workbook_weights = dict(zip(engagement.criteria["criterion_id"], engagement.criteria["weight"], strict=True))
    return {
        "data": {"accounts": data.accounts, "criteria": data.criteria, "sizes": data.sizes, "filters": data.filters},
        "geometry": GEOMETRY,
        "texts": UI_TEXTS,
        "weights": state.weights,
        "default_weights": workbook_weights,
        "cuts": numeric_cuts(state.cuts.model_dump(), composites_for(engagement, state.weights)),
        "filters": state.filters,
        "lang": state.lang,
        "size_by": state.size_by if state.size_by in data.sizes else "revenue",
    }


class MatrixApp:
    """The live matrix with its scenario bar and autosave, for one engagement."""

    def __init__(self, engagement: Engagement, scenario: Scenario | None, lang: str, folder: Path, restore: bool):
        theme.check_lang(lang)
        self.engagement = engagement
        self.folder = folder
        self.data = live_matrix_data(engagement)
        restored = load_state(folder, engagement) if restore and scenario is None else None
        state = restored or start_state(engagement, scenario, lang)
        self.widget = MatrixWidget(**matrix_values(engagement, self.data, state))
        self.name = widgets.Text(layout=widgets.Layout(width="260px"))
        self.save_button = widgets.Button(icon="")
        self.load_choice = widgets.Dropdown(layout=widgets.Layout(width="220px"))
        self.load_button = widgets.Button()
        self.reference_choice = widgets.Dropdown(layout=widgets.Layout(width="240px"))
        self.status = widgets.HTML()
        bar = widgets.HBox([self.name, self.save_button, self.load_choice, self.load_button, self.reference_choice])
        self.view = widgets.VBox([self.widget, bar, self.status])
        self.save_button.on_click(lambda _: self.save(self.name.value))
        self.load_button.on_click(lambda _: self.load(self.load_choice.value))
        self.reference_choice.observe(lambda change: self.set_reference(change["new"]), names="value")
        self.widget.observe(self._changed, names=["weights", "cuts", "filters", "size_by"])
        self.widget.observe(self._language, names=["lang", "size_by"])
        self._language()
        self.set_reference(state.reference if state.reference in self._scenarios() else WORKBOOK_REFERENCE)
        if restored is not None:
            self.status.value = self._text("restored").format(path=folder / ".autosave.yaml")

    # ---- what the consultant does

    @property
    def state(self) -> WorkshopState:
        """The state the browser last reported."""
        w = self.widget
        return WorkshopState(
            weights=w.weights,
            cuts=w.cuts,
            filters=w.filters,
            lang=w.lang,
            size_by=w.size_by,
            reference=self.reference_choice.value or WORKBOOK_REFERENCE,
        )

    def save(self, name: str) -> Path | None:
        """Save the current weights and cut lines as a named scenario; return its file."""
        if not name.strip():
            self.status.value = self._text("name_needed")
            return None
        path = save_scenario(state_scenario(self.state, name.strip()), scenario_file(self.folder, name))
        self.status.value = self._text("saved").format(path=path)
        self._refresh_choices()
        return path

    def load(self, name: str | None) -> None:
        """Put a saved scenario's weights and cut lines on the sliders."""
        if not name:
            return
        scenario = load_scenario(self._scenarios()[name]).check_against(self.engagement)
        weights = dict(self.widget.default_weights) | scenario.weights
        self.widget.cuts = numeric_cuts(scenario.cuts.model_dump(), composites_for(self.engagement, weights))
        self.widget.weights = weights

    def set_reference(self, name: str | None) -> None:
        """Compare quadrants against the workbook's weights ("") or a saved scenario."""
        name = name or WORKBOOK_REFERENCE
        if name == WORKBOOK_REFERENCE:
            self.widget.reference = reference_quadrants(self.engagement)
        else:
            scenario = load_scenario(self._scenarios()[name]).check_against(self.engagement)
            self.widget.reference = reference_quadrants(self.engagement, scenario.weights, scenario.cuts.model_dump())
        self.widget.reference_name = name or self._text("workbook")
        self._changed()

    # ---- plumbing

    def _text(self, key: str) -> str:
        return UI_TEXTS[self.widget.lang][key]

    def _scenarios(self) -> dict[str, Path]:
        return list_scenarios(self.folder)

    def _refresh_choices(self) -> None:
        names = list(self._scenarios())
        self.load_choice.options = names
        current = self.reference_choice.value
        self.reference_choice.options = [(self._text("workbook"), WORKBOOK_REFERENCE), *((n, n) for n in names)]
        self.reference_choice.value = current if current in (WORKBOOK_REFERENCE, *names) else WORKBOOK_REFERENCE

    def _changed(self, _: object = None) -> None:
        try:
            save_state(self.state, self.folder)
        except (OSError, KamError) as exc:  # a read-only folder must not break the workshop
            self.status.value = f"autosave: {exc}"

    def _language(self, _: object = None) -> None:
        lang = self.widget.lang
        size_title = UI_TEXTS[lang]["revenue"] if self.widget.size_by == "revenue" else self.widget.size_by
        self.widget.spec = live_matrix_spec(lang, size_title, self.widget.cuts)
        self.name.placeholder = self._text("scenario")
        self.save_button.description = self._text("save")
        self.load_button.description = self._text("load")
        self.reference_choice.description = self._text("reference")
        self._refresh_choices()
        if self.widget.reference_name in (UI_TEXTS["es"]["workbook"], UI_TEXTS["en"]["workbook"]):
            self.widget.reference_name = self._text("workbook")
        self._changed()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


def make_matrix_app(
    workbook: Engagement | Path | str | None = None,
    scenario: Scenario | Path | str | None = None,
    lang: str = "es",
    folder: Path | str | None = None,
    restore: bool = True,
) -> MatrixApp:
    """Open the live matrix on an engagement (default: the bundled sample), optionally with a scenario.

    Scenarios and the autosave go to `folder` (default: `kamlib.scenarios.store.scenario_dir`); with
    `restore`, an autosaved session of the same engagement is picked up where it was left.
    """
    engagement = workbook if isinstance(workbook, Engagement) else load(workbook)
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return MatrixApp(engagement, scenario, lang, Path(folder) if folder else scenario_dir(engagement), restore)
