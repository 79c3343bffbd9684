"""The live account matrix a consultant projects in a workshop (the edge: widgets and the browser).

`make_matrix_app` puts together:

- `MatrixWidget`, an anywidget whose browser side (matrix.js, bundled offline with Vega by
  vl-convert) holds the sliders and recomputes composites and quadrants on every move, so
  the chart answers within a frame without waiting on the kernel;
- a scenario bar (ipywidgets): save the current weights and cut lines as a named scenario,
  load one, choose the reference the "changed quadrant" list compares against;
- an autosave: every change the browser reports is written atomically to the workshop
  folder, and reopening the matrix restores it.

The autosave is read when the matrix is first displayed in a page (matrix.js sends `{"event": "displayed"}`
from its render), not when the kernel runs the notebook: `kam serve` keeps a kernel preheated, which runs the
notebook before anybody opens the page, and would otherwise show the session as it was then. Until displayed,
nothing is read or written. The session keeps the autosave's revision it read or last wrote, and a change over
a newer one (another tab saved since) is refused and said in the page rather than written.

Status messages are escaped HTML and name scenarios, never paths: a folder's name is no markup, and the
server's folders are nobody's business.
"""

from __future__ import annotations

import functools
import html
import os
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
from kamlib.scenarios.live import (
    LiveMatrixData,
    composites_for,
    live_matrix_data,
    numeric_cuts,
    reference_quadrants,
    segment_weight_table,
)
from kamlib.scenarios.scenario import Scenario, load_scenario
from kamlib.scenarios.store import (
    ScenarioExistsError,
    StaleAutosaveError,
    WorkshopState,
    list_scenarios,
    read_autosave,
    save_named_scenario,
    save_state,
    scenario_dir,
    state_scenario,
)
from kamlib.widgets.saving import SaveButton

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
            "segment": "Pesos del segmento",
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
            "replace": "Sustituir escenario",
            "saved": "Escenario «{name}» guardado.",
            "exists": "Ya existe un escenario llamado «{name}»: pulse «Sustituir escenario» para reemplazarlo, o "
            "escriba otro nombre.",
            "save_failed": "No se ha podido guardar el escenario «{name}»: {reason}",
            "restored": "Se ha recuperado la sesión guardada automáticamente.",
            "stale": "Otra pestaña o sesión ha guardado la matriz después de que esta la abriera: este cambio no se "
            "ha guardado automáticamente, para no borrar aquel. Recargue la página para seguir desde lo guardado (o "
            "guarde lo que ve como escenario).",
            "autosave_failed": "No se ha podido guardar la sesión automáticamente: {reason}",
            "name_needed": "Escriba un nombre para el escenario.",
            "customer_view": "El escenario «{name}» sitúa las cuentas por cómo nos ve el cliente: aquí se mueven los "
            "pesos de nuestra propia visión; los informes, la presentación y el cuadro de mando aplican la del "
            "cliente, y guardar desde aquí la conserva.",
        },
        "en": {
            "cuts": "Cut lines",
            "filters": "Filters",
            "filter_names": {"sector": "Sector", "kam_id": "KAM", "country": "Country"},
            "all": "All",
            "size_by": "Bubble size",
            "reset": "Back to the workbook's weights",
            "segment": "Weights of segment",
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
            "replace": "Replace scenario",
            "saved": "Scenario “{name}” saved.",
            "exists": "A scenario named “{name}” already exists: press “Replace scenario” to overwrite it, or type "
            "another name.",
            "save_failed": "The scenario “{name}” could not be saved: {reason}",
            "restored": "The autosaved session was restored.",
            "stale": "Another tab or session saved the matrix after this one opened it: this change was not "
            "autosaved, so as not to overwrite that one. Reload the page to continue from what was saved (or save "
            "what you see as a scenario).",
            "autosave_failed": "The session could not be autosaved: {reason}",
            "name_needed": "Type a name for the scenario.",
            "customer_view": "The scenario “{name}” places the accounts by how the customer sees us: here the weights "
            "move our own view; the reports, the deck and the dashboard apply the customer's, and saving from here "
            "keeps it.",
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
    segment_weights = traitlets.Dict().tag(sync=True)
    default_segment_weights = traitlets.Dict().tag(sync=True)
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
    """Return the state the matrix opens in: the workbook's weights, or a scenario's over them (each segment's
    weights in full: its sliders are its own)."""
    if scenario is None:
        weights, segment_weights = segment_weight_table(engagement)
        return WorkshopState(lang=lang, weights=weights, segment_weights=segment_weights)
    scenario.check_against(engagement)
    weights, segment_weights = segment_weight_table(engagement, scenario.weights, scenario.segment_weights)
    return WorkshopState(
        lang=lang,
        weights=weights,
        segment_weights=segment_weights,
        cuts=scenario.cuts,
        position_by=scenario.position_by,
    )


def matrix_values(engagement: Engagement, data: LiveMatrixData, state: WorkshopState) -> dict[str, Any]:
    """Return the browser side's initial model: data, texts, geometry and the state to show."""
    workbook_weights, workbook_segment_weights = segment_weight_table(engagement)
    composites = composites_for(engagement, state.weights, segment_weights=state.segment_weights)
    return {
        "data": {
            "accounts": data.accounts,
            "criteria": data.criteria,
            "segments": data.segments,
            "sizes": data.sizes,
            "filters": data.filters,
        },
        "geometry": GEOMETRY,
        "texts": UI_TEXTS,
        "weights": state.weights,
        "default_weights": workbook_weights,
        "segment_weights": state.segment_weights,
        "default_segment_weights": workbook_segment_weights,
        "cuts": numeric_cuts(state.cuts.model_dump(), composites),
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
        self.restore = restore and scenario is None
        """Whether the first display restores the autosave (never over a scenario asked for)."""
        self.revision: int | None = None
        """The autosave's revision this session read or last wrote; None until the matrix is displayed."""
        self._autosaved: WorkshopState | None = None
        """The state last read from or written to the autosave (None: none yet); an equal state is not written."""
        self._autosave_problem = ""
        """The status message of the last failed autosave, cleared by the next one that succeeds."""
        self.data = live_matrix_data(engagement)
        state = start_state(engagement, scenario, lang)
        self.position_by = state.position_by
        """Whose view of our position the scenario being moved places the accounts by: the matrix moves our own
        view's weights, and a scenario saved from it keeps this (`kamlib.scoring.POSITION_VIEWS`)."""
        self.widget = MatrixWidget(**matrix_values(engagement, self.data, state))
        self.name = widgets.Text(layout=widgets.Layout(width="260px"))
        self.saving = SaveButton(self.name, lambda: (self._text("save"), self._text("replace")))
        self.save_button = self.saving.button
        self.load_choice = widgets.Dropdown(layout=widgets.Layout(width="220px"))
        self.load_button = widgets.Button()
        self.reference_choice = widgets.Dropdown(layout=widgets.Layout(width="240px"))
        self.status = widgets.HTML()
        bar = widgets.HBox([self.name, self.save_button, self.load_choice, self.load_button, self.reference_choice])
        self.view = widgets.VBox([self.widget, bar, self.status])
        self.saving.on_save(self.save)
        self.load_button.on_click(lambda _: self.load(self.load_choice.value))
        self.reference_choice.observe(lambda change: self.set_reference(change["new"]), names="value")
        self.widget.observe(self._changed, names=["weights", "segment_weights", "cuts", "filters", "size_by"])
        self.widget.observe(self._language, names=["lang", "size_by"])
        self.widget.on_msg(self._message)
        self._language()
        self.set_reference(WORKBOOK_REFERENCE)

    def displayed(self) -> None:
        """The matrix is on a page (matrix.js says so when it renders): restore the autosave as it is now, and
        from now on autosave every change. Only the first display counts; the kernel's state is the session's."""
        if self.revision is not None:
            return
        saved = read_autosave(self.folder, self.engagement)
        restored = saved.state if self.restore else None
        if restored is not None:
            self._show(restored)
            self._say("restored")
        self.revision = saved.revision
        self._autosaved = None if restored is None else self.state

    # ---- what the consultant does

    @property
    def state(self) -> WorkshopState:
        """The state the browser last reported."""
        w = self.widget
        return WorkshopState(
            weights=w.weights,
            segment_weights=w.segment_weights,
            cuts=w.cuts,
            filters=w.filters,
            lang=w.lang,
            size_by=w.size_by,
            reference=self.reference_choice.value or WORKBOOK_REFERENCE,
            position_by=self.position_by,
        )

    def save(self, name: str, replace: bool = False) -> Path | None:
        """Save the current weights and cut lines as a named scenario; return its file.

        A name already saved is not overwritten unless `replace`: the status says so and the save button turns
        into "Replace scenario", which a second press confirms.
        """
        name = name.strip()
        if not name:
            self._say("name_needed")
            return None
        try:
            path = save_named_scenario(state_scenario(self.state, name), self.folder, replace)
        except ScenarioExistsError:
            self.saving.ask(name)
            self._say("exists", name=name)
            return None
        except (OSError, KamError) as exc:
            self._say("save_failed", name=name, reason=self._reason(exc))
            return None
        self.saving.saved()
        self._say("saved", name=name)
        self._refresh_choices()
        return path

    def load(self, name: str | None) -> None:
        """Put a saved scenario's weights and cut lines on the sliders."""
        if not name:
            return
        scenario = load_scenario(self._scenarios()[name]).check_against(self.engagement)
        weights, segment_weights = segment_weight_table(self.engagement, scenario.weights, scenario.segment_weights)
        composites = composites_for(self.engagement, weights, segment_weights=segment_weights)
        self.widget.cuts = numeric_cuts(scenario.cuts.model_dump(), composites)
        with self.widget.hold_sync():
            self.widget.weights = weights
            self.widget.segment_weights = segment_weights
        self.position_by = scenario.position_by
        if scenario.position_by != "ours":
            self._say("customer_view", name=name)

    def set_reference(self, name: str | None) -> None:
        """Compare quadrants against the workbook's weights ("") or a saved scenario."""
        name = name or WORKBOOK_REFERENCE
        if name == WORKBOOK_REFERENCE:
            self.widget.reference = reference_quadrants(self.engagement)
        else:
            scenario = load_scenario(self._scenarios()[name]).check_against(self.engagement)
            self.widget.reference = reference_quadrants(
                self.engagement, scenario.weights, scenario.cuts.model_dump(), segment_weights=scenario.segment_weights
            )
        self.widget.reference_name = name or self._text("workbook")
        self._changed()

    # ---- plumbing

    def _text(self, key: str) -> str:
        return UI_TEXTS[self.widget.lang][key]

    def _say(self, key: str, **values: str) -> str:
        """Show a status message, escaped (names and reasons are text, never markup); return its HTML."""
        self.status.value = html.escape(self._text(key).format(**values))
        return self.status.value

    def _reason(self, exc: OSError | KamError) -> str:
        """What went wrong, without the server's folders: an OS error's reason, a message with paths cut to names."""
        if isinstance(exc, OSError):
            return exc.strerror or type(exc).__name__
        text = exc.render(self.widget.lang)
        for folder in {str(self.folder), str(self.folder.resolve())}:
            text = text.replace(folder + os.sep, "").replace(folder, self.folder.name)
        return text

    def _message(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("event") == "displayed":
            self.displayed()

    def _show(self, state: WorkshopState) -> None:
        """Put a state on the matrix (the browser follows): weights, cut lines, filters, language, size, reference."""
        values = matrix_values(self.engagement, self.data, state)
        self.position_by = state.position_by
        with self.widget.hold_sync():
            for key in ("weights", "segment_weights", "cuts", "filters", "size_by", "lang"):
                setattr(self.widget, key, values[key])
        self.set_reference(state.reference if state.reference in self._scenarios() else WORKBOOK_REFERENCE)

    def _scenarios(self) -> dict[str, Path]:
        return list_scenarios(self.folder)

    def _refresh_choices(self) -> None:
        names = list(self._scenarios())
        self.load_choice.options = names
        current = self.reference_choice.value
        self.reference_choice.options = [(self._text("workbook"), WORKBOOK_REFERENCE), *((n, n) for n in names)]
        self.reference_choice.value = current if current in (WORKBOOK_REFERENCE, *names) else WORKBOOK_REFERENCE

    def _changed(self, _: object = None) -> None:
        if self.revision is None:
            return  # not displayed yet: the autosave is neither read nor written before the matrix is on a page
        state = self.state
        if state == self._autosaved:
            return  # nothing new: a tab that only looks never makes another tab's session stale
        try:
            self.revision = save_state(state, self.folder, self.revision)
        except StaleAutosaveError:  # another tab saved since: its state stays, and this tab says so
            self._autosave_problem = self._say("stale")
            return
        except (OSError, KamError) as exc:  # a read-only folder must not break the workshop
            self._autosave_problem = self._say("autosave_failed", reason=self._reason(exc))
            return
        self._autosaved = state
        if self._autosave_problem and self.status.value == self._autosave_problem:
            self.status.value = ""  # saved again: the problem said before is over
        self._autosave_problem = ""

    def _language(self, _: object = None) -> None:
        lang = self.widget.lang
        size_title = UI_TEXTS[lang]["revenue"] if self.widget.size_by == "revenue" else self.widget.size_by
        self.widget.spec = live_matrix_spec(lang, size_title, self.widget.cuts)
        self.name.placeholder = self._text("scenario")
        self.saving.relabel()
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
    `restore`, an autosaved session of the same engagement is picked up where it was left, when the matrix is
    first displayed (`MatrixApp.displayed`).
    """
    engagement = workbook if isinstance(workbook, Engagement) else load(workbook)
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return MatrixApp(engagement, scenario, lang, Path(folder) if folder else scenario_dir(engagement), restore)
