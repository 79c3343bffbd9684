"""The AHP form of a workshop: each participant compares an axis' criteria in pairs on Saaty's scale.

One row per pair of the axis' criteria, with a slider from "9 ←" (the left criterion is 9 times as
important) through "1" (equal) to "→ 9" (the right one is). Beside it, the participant's weights and
consistency ratio (with the most inconsistent judgements when CR > 10 %) and the group's weights, CR and
consensus S*, all computed by `kamlib.scenarios.ahp`: the form only collects judgements and shows results.
`AhpForm.scenario` returns the scenario to save, its weights the group's and its judgements kept.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from kamlib.engagement import Engagement, load
from kamlib.errors import KamError
from kamlib.i18n import check_lang, number_text
from kamlib.method import AXES, AXIS_LABELS
from kamlib.scenarios.ahp import RANDOM_INDEX, SAATY_SCALE, Elicitation, Judgement, Priorities, scale_text
from kamlib.scenarios.scenario import Scenario, load_scenario, scenario_from_elicitation
from kamlib.scenarios.store import ScenarioExistsError, save_named_scenario, scenario_dir
from kamlib.widgets.saving import SaveButton

SLIDER_OPTIONS: tuple[tuple[str, float], ...] = tuple(
    (f"{scale_text(v)} ←" if v > 1 else "1" if v == 1 else f"→ {scale_text(1 / v)}", v) for v in SAATY_SCALE[::-1]
)
"""The slider's positions, left to right: the left criterion 9 times as important … equal … the right one 9 times."""

UI_TEXTS: dict[str, dict[str, str]] = {
    "es": {
        "participant": "Participante",
        "new": "Nombre del nuevo participante",
        "add": "Añadir",
        "axis": "Eje",
        "hint": "Mueva hacia el criterio más importante: 1 es igual de importante, 9 extremadamente más. Un eje "
        "cuenta para un participante en cuanto mueve uno de sus controles; los demás quedan en igual importancia.",
        "weights_of": "Pesos de {name}",
        "group": "Grupo: {n} participante(s), media geométrica de sus juicios",
        "criterion": "Criterio",
        "weight": "Peso",
        "cr": "Razón de consistencia (CR)",
        "consensus": "Consenso S* (Goepel)",
        "not_judged": "{name} aún no ha juzgado este eje.",
        "no_participant": "Añada un participante para empezar.",
        "name_needed": "Escriba el nombre del participante.",
        "exists": "Ya hay un participante llamado {name}.",
        "scenario_name": "Nombre del escenario",
        "save": "Guardar escenario",
        "replace": "Sustituir escenario",
        "saved": "Escenario «{name}» guardado: los pesos del grupo y los juicios.",
        "scenario_exists": "Ya existe un escenario llamado «{name}»: pulse «Sustituir escenario» para reemplazarlo, "
        "o escriba otro nombre.",
        "save_failed": "No se ha podido guardar el escenario «{name}»: {reason}",
    },
    "en": {
        "participant": "Participant",
        "new": "New participant's name",
        "add": "Add",
        "axis": "Axis",
        "hint": "Move towards the more important criterion: 1 is equally important, 9 extremely more. An axis "
        "counts for a participant once they move one of its sliders; the others stay at equal importance.",
        "weights_of": "Weights of {name}",
        "group": "Group: {n} participant(s), geometric mean of their judgements",
        "criterion": "Criterion",
        "weight": "Weight",
        "cr": "Consistency ratio (CR)",
        "consensus": "Consensus S* (Goepel)",
        "not_judged": "{name} has not judged this axis yet.",
        "no_participant": "Add a participant to start.",
        "name_needed": "Type the participant's name.",
        "exists": "There is already a participant named {name}.",
        "scenario_name": "Scenario name",
        "save": "Save scenario",
        "replace": "Replace scenario",
        "saved": "Scenario “{name}” saved: the group's weights and the judgements.",
        "scenario_exists": "A scenario named “{name}” already exists: press “Replace scenario” to overwrite it, or "
        "type another name.",
        "save_failed": "The scenario “{name}” could not be saved: {reason}",
    },
}


class AhpForm:
    """Pairwise comparisons of the criteria of each axis, by participant, with their result live."""

    def __init__(self, engagement: Engagement, base: Scenario | None, lang: str, folder: Path | None = None):
        self.lang = check_lang(lang)
        self.folder = scenario_dir(engagement) if folder is None else Path(folder)
        """Where "Save scenario" writes: the engagement's scenario folder, which the live matrix lists."""
        self.base = base
        """The scenario the form goes on from: its cut lines and note are kept when saving."""
        criteria = engagement.default_criteria  # the judgements weigh the default rows (a segment's: its own)
        labels = criteria[f"label_{lang}"].where(criteria[f"label_{lang}"].notna(), criteria["criterion_id"])
        self.labels = dict(zip(criteria["criterion_id"], labels.astype(str), strict=True))
        self.criteria = {
            axis: ids for axis in AXES if (ids := criteria.loc[criteria["axis"] == axis, "criterion_id"].tolist())
        }
        self.judgements: dict[str, dict[str, dict[tuple[str, str], float]]] = {}
        self.touched: dict[str, set[str]] = {}
        """The axes each participant has judged: an axis counts once one of its sliders has been moved."""
        elicitation = None if base is None else base.elicitation
        for participant, axes in (elicitation.judgements if elicitation else {}).items():
            self.judgements[participant] = {axis: self._values(axis, judged) for axis, judged in axes.items()}
            self.touched[participant] = set(axes)
        self._loading = False
        text = UI_TEXTS[lang]
        self.participant = widgets.Dropdown(description=text["participant"], options=list(self.judgements))
        self.new_name = widgets.Text(placeholder=text["new"], layout=widgets.Layout(width="240px"))
        self.add_button = widgets.Button(description=text["add"])
        self.axis = widgets.ToggleButtons(options=[(AXIS_LABELS[a][lang], a) for a in self.criteria])
        self.sliders: dict[str, dict[tuple[str, str], widgets.SelectionSlider]] = {}
        self.rows = widgets.VBox()
        self.participant_result = widgets.HTML()
        self.group_result = widgets.HTML()
        self.status = widgets.HTML()
        self.scenario_name = widgets.Text(placeholder=text["scenario_name"], layout=widgets.Layout(width="320px"))
        self.saving = SaveButton(
            self.scenario_name, lambda: (UI_TEXTS[self.lang]["save"], UI_TEXTS[self.lang]["replace"]), icon="save"
        )
        self.save_button = self.saving.button
        results = widgets.HBox([self.participant_result, self.group_result])
        bar = widgets.HBox([self.participant, self.new_name, self.add_button])
        hint = widgets.HTML(f"<small>{html.escape(text['hint'])}</small>")
        saving = widgets.HBox([self.scenario_name, self.save_button])
        self.view = widgets.VBox([bar, self.axis, hint, self.rows, results, saving, self.status])
        self.add_button.on_click(lambda _: self.add_participant(self.new_name.value))
        self.saving.on_save(self.save)
        self.participant.observe(self._select, names="value")
        self.axis.observe(self._select, names="value")
        self._select()

    # ---- what the facilitator does

    def add_participant(self, name: str) -> bool:
        """Add a participant (every pair starts at 1, equal importance) and show their sliders; False if refused."""
        name = name.strip()
        if not name or name in self.judgements:
            key = "exists" if name else "name_needed"
            self.status.value = html.escape(UI_TEXTS[self.lang][key].format(name=name))
            return False
        self.judgements[name] = {axis: dict.fromkeys(self._pairs(axis), 1.0) for axis in self.criteria}
        self.touched[name] = set()
        self.participant.options = list(self.judgements)
        self.participant.value = name
        self.new_name.value = ""
        self.status.value = ""
        return True

    @property
    def elicitation(self) -> Elicitation:
        """The judgements collected so far, with their result (`kamlib.scenarios.ahp.Elicitation`).

        Only the axes a participant has judged count: an axis nobody touched keeps the workbook's weights.
        """
        judgements = {
            participant: {
                axis: [{"a": a, "b": b, "value": value} for (a, b), value in pairs.items()]
                for axis, pairs in axes.items()
                if axis in self.touched[participant]
            }
            for participant, axes in self.judgements.items()
            if self.touched[participant]
        }
        return Elicitation.model_validate({"criteria": self.criteria, "judgements": judgements})

    def scenario(self, name: str, note: str = "") -> Scenario:
        """Return the scenario to save: the group's weights (percent of each axis), the judgements and the result."""
        if not name.strip():
            raise KamError("a scenario needs a name", "un escenario necesita un nombre")
        base = self.base
        note = note or (base.note if base else "")
        return scenario_from_elicitation(name.strip(), self.elicitation, note, base.cuts if base else None)

    def save(self, name: str, replace: bool = False) -> Path | None:
        """Save the scenario as `name` in the engagement's scenario folder; say so by name (or what is wrong).

        A name already saved is not overwritten unless `replace`: the status says so and the save button turns
        into "Replace scenario", which a second press confirms.
        """
        text = UI_TEXTS[self.lang]
        name = name.strip()
        try:
            path = save_named_scenario(self.scenario(name), self.folder, replace)
        except ScenarioExistsError:
            self.saving.ask(name)
            self.status.value = html.escape(text["scenario_exists"].format(name=name))
            return None
        except KamError as exc:
            self.status.value = html.escape(exc.render(self.lang))
            return None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.status.value = html.escape(text["save_failed"].format(name=name, reason=reason))
            return None
        self.saving.saved()
        self.status.value = html.escape(text["saved"].format(name=name))
        return path

    # ---- plumbing

    def _pairs(self, axis: str) -> list[tuple[str, str]]:
        ids = self.criteria[axis]
        return [(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]]

    def _values(self, axis: str, judged: list[Judgement]) -> dict[tuple[str, str], float]:
        """Put saved judgements on this form's pairs ("b over a" is 1/value of "a over b")."""
        given = {(j.a, j.b): float(j.value) for j in judged} | {(j.b, j.a): 1 / j.value for j in judged}
        return {pair: given[pair] for pair in self._pairs(axis)}

    def _slider_rows(self, axis: str) -> list[widgets.HBox]:
        if axis not in self.sliders:
            self.sliders[axis] = {}
            for pair in self._pairs(axis):
                slider = widgets.SelectionSlider(options=SLIDER_OPTIONS, value=1.0, layout={"width": "420px"})
                slider.observe(lambda change, pair=pair: self._judged(pair, change["new"]), names="value")
                self.sliders[axis][pair] = slider
        label = {"width": "220px"}
        return [
            widgets.HBox(
                [
                    widgets.Label(self.labels[a], layout={**label, "justify_content": "flex-end"}),
                    slider,
                    widgets.Label(self.labels[b], layout=label),
                ]
            )
            for (a, b), slider in self.sliders[axis].items()
        ]

    def _select(self, _: object = None) -> None:
        """Show the sliders of the chosen participant and axis, set to their judgements."""
        axis, participant = self.axis.value, self.participant.value
        if axis is None:
            return
        rows = self._slider_rows(axis)
        self._loading = True
        try:
            judged = self.judgements.get(participant, {}).get(axis, {})
            for pair, slider in self.sliders[axis].items():
                slider.value = judged.get(pair, 1.0)
                slider.disabled = participant is None
        finally:
            self._loading = False
        self.rows.children = rows
        self._show()

    def _judged(self, pair: tuple[str, str], value: float) -> None:
        participant, axis = self.participant.value, self.axis.value
        if self._loading or participant is None:
            return
        self.judgements[participant].setdefault(axis, dict.fromkeys(self._pairs(axis), 1.0))[pair] = value
        self.touched[participant].add(axis)
        self._show()

    def _show(self) -> None:
        """Show the chosen participant's result on the axis and the group's."""
        text, axis, participant = UI_TEXTS[self.lang], self.axis.value, self.participant.value
        if participant is None:
            self.participant_result.value = html.escape(text["no_participant"])
            self.group_result.value = ""
            return
        result = self.elicitation.result.get(axis)
        mine = None if result is None else result.participants.get(participant)
        if mine is None or result is None:
            self.participant_result.value = html.escape(text["not_judged"].format(name=participant))
        else:
            warning = result.warning(participant, axis, self.labels)
            said = "" if warning is None else f"<p style='color:#b45309'>⚠ {html.escape(warning.render(self.lang))}</p>"
            self.participant_result.value = self._table(text["weights_of"].format(name=participant), mine) + said
        if result is None:
            self.group_result.value = ""
            return
        group = self._table(text["group"].format(n=len(result.participants)), result.group)
        consensus = f"<p>{html.escape(text['consensus'])}: <b>{html.escape(result.consensus_text(self.lang))}</b></p>"
        self.group_result.value = group + consensus

    def _table(self, title: str, priorities: Priorities) -> str:
        """An HTML table of weights in percent, then the CR; every name escaped."""
        text = UI_TEXTS[self.lang]
        rows = "".join(
            f"<tr><td>{html.escape(self.labels[c])}</td>"
            f"<td style='text-align:right'>{number_text(100 * w, self.lang, 1)} %</td></tr>"
            for c, w in priorities.weights.items()
        )
        head = f"<tr><th>{html.escape(text['criterion'])}</th><th>{html.escape(text['weight'])}</th></tr>"
        cr = f"<p>{html.escape(text['cr'])}: <b>{number_text(100 * priorities.cr, self.lang, 1)} %</b></p>"
        return f"<div style='margin-right:2em'><b>{html.escape(title)}</b><table>{head}{rows}</table>{cr}</div>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


def make_ahp_form(
    workbook: Engagement | Path | str | None = None,
    scenario: Scenario | Path | str | None = None,
    lang: str = "es",
    folder: Path | str | None = None,
) -> AhpForm:
    """Open the AHP form on an engagement (default: the bundled sample), going on from a scenario's judgements.

    "Save scenario" writes to `folder` (default: the engagement's scenario folder, the live matrix's).
    """
    engagement = workbook if isinstance(workbook, Engagement) else load(workbook)
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario).check_against(engagement, Path(scenario).name)
    elif scenario is not None:
        scenario.check_against(engagement)
    most = max(RANDOM_INDEX)
    crowded = {a: n for a, n in engagement.default_criteria["axis"].value_counts().items() if n > most}
    if crowded:
        axes = ", ".join(f"{a} ({n})" for a, n in crowded.items())
        raise KamError(
            f"pairwise comparison takes up to {most} criteria per axis (Saaty's random index table); {axes} has more",
            f"la comparación por pares admite hasta {most} criterios por eje (tabla del índice aleatorio de Saaty); "
            f"{axes} tiene más",
        )
    return AhpForm(engagement, scenario, lang, None if folder is None else Path(folder))
