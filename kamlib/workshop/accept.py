"""Accept a workshop's results: its scores into the engagement workbook as a new period, the way `kam ingest`
writes; its weights as a named scenario of the engagement (pairwise judgements kept with their weights, or the mean
100-point allocation of an axis nobody compared in pairs). `accept_room` does both, as `kam workshop accept` and
the facilitator's screen do.

    backup = accept_scores(wb, store.scores("2026-W1"), "2026-W1")
    scenario = accept_weights(engagement, store, "Taller 2026-W1")

One row per participant and cell (`assessor` = the participant's code), so the workbook's own rule (per cell
the latest period counts, its assessors averaged) gives the group's score. The period must be new and sort
after every period of the workbook, or the room's scores would be blended with, or outranked by, older ones.
Writing is `kamlib.workbook.rewrite`'s: the new workbook validated first, then an atomic replace, a dated backup
kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kamlib.engagement import load
from kamlib.errors import KamError
from kamlib.fileio import fingerprint, workbook_lock
from kamlib.i18n import count_text
from kamlib.periods import period_key, sorts_last
from kamlib.scenarios.ahp import Elicitation
from kamlib.scenarios.scenario import Scenario, scenario_from_elicitation
from kamlib.scenarios.store import ScenarioExistsError, save_named_scenario, scenario_dir, scenario_file
from kamlib.workbook.rewrite import rewrite_workbook
from kamlib.workshop.answers import SCORE_COLUMNS
from kamlib.workshop.checks import CUSTOMER

if TYPE_CHECKING:
    from kamlib.engagement import Engagement
    from kamlib.workshop.store import WorkshopStore

MAX_PERIOD = 40
"""The longest period label a workshop writes."""
COMMAND = "kam workshop accept"
"""How the accept step names itself in messages (and its scratch folders beside the workbook)."""


def accept_scores(workbook: Path | str, scores: pd.DataFrame, period: str, wait: float = 60.0) -> Path:
    """Append a workshop's scores to the workbook's `scores` sheet as period `period`; return the backup.

    `scores` is shaped as the `scores` sheet (`WorkshopStore.scores`): account_id, criterion_id, score,
    assessor and, when some rows are the customer's view of our position, side; its period column, if any, is
    replaced by `period`. Every other sheet and row is kept as it was.
    Refused, with nothing written: no score to accept, a period the scores sheet already has, or one that
    does not sort after its latest (`kamlib.periods`). The new workbook is validated as `kamlib.load` validates
    one (a score out of its criterion's scale, an unknown account: the `WorkbookError` lists them) before it
    replaces the old one. The workbook's lock is held from reading it to replacing it: a second writer waits up
    to `wait` seconds.
    """
    period = str(period).strip()
    missing = [c for c in SCORE_COLUMNS if c != "period" and c not in scores.columns]
    if missing:
        raise KamError(
            f"workshop scores: missing column(s) {', '.join(missing)}; allowed: {', '.join(SCORE_COLUMNS)}",
            f"puntuaciones del taller: faltan la(s) columna(s) {', '.join(missing)}; se admite: "
            f"{', '.join(SCORE_COLUMNS)}",
        )
    if scores.empty:
        raise KamError(
            "workshop scores: no score to accept (every answer a don't-know, or none given); nothing was written",
            "puntuaciones del taller: ninguna puntuación que aceptar (todas «no sé», o ninguna); no se ha escrito nada",
        )
    if not period or len(period) > MAX_PERIOD or any(unicodedata.category(c) in ("Cc", "Cf") for c in period):
        raise KamError(
            f"workshop scores: period {period[:60]!r}; allowed: a new label of 1 to {MAX_PERIOD} characters, no "
            "control or invisible characters, such as 2026-W1",
            f"puntuaciones del taller: periodo {period[:60]!r}; se admite: una etiqueta nueva de 1 a {MAX_PERIOD} "
            "caracteres, sin caracteres de control ni invisibles, como 2026-W1",
        )
    rows = scores.assign(period=period)[[*SCORE_COLUMNS, *(["side"] if "side" in scores.columns else [])]]
    with workbook_lock(workbook, wait):
        read_as = fingerprint(Path(workbook))
        _check_period(Path(workbook), period, load(workbook).all_periods)
        return rewrite_workbook(workbook, {"scores": rows}, read_as=read_as, command=COMMAND)


def accept_weights(
    engagement: Engagement, store: WorkshopStore, name: str, round: int | None = None, replace: bool = False
) -> Path:
    """Save the group's weights of round `round` (None: each item's current round) as the engagement's scenario
    `name`, beside its other scenarios (`scenario_dir`); return its file.

    An axis compared in pairs takes the group's AHP weights (the geometric mean of the judgements), kept with every
    participant's judgements (`kamlib.scenarios.scenario.scenario_from_elicitation`); an axis only allocated in
    100 points takes the mean of the allocations; an axis neither keeps the workbook's weights. Refused with
    nothing saved: no judgement nor allocation yet, judgements that do not fit the engagement's criteria, a
    participant who has not judged every pair of an axis they judged (`kamlib.scenarios.ahp` says which), or a
    scenario of that name already saved (unless `replace`)."""
    return save_named_scenario(weights_scenario(engagement, store, name, round), scenario_dir(engagement), replace)


def weights_scenario(engagement: Engagement, store: WorkshopStore, name: str, round: int | None = None) -> Scenario:
    """The scenario `accept_weights` saves, checked against the engagement, not saved yet."""
    note = f"{COMMAND}: {store.session.created_at}"
    judgements = store.judgements(round)
    allocated = allocation_weights(store.allocations(round))
    if judgements or not allocated:
        elicitation = Elicitation(criteria=store.pair_criteria(), judgements=judgements)
        scenario = scenario_from_elicitation(name, elicitation, note=note)
    else:
        scenario = Scenario(name=name, note=note)
    judged_axes = {axis for axes in judgements.values() for axis in axes}
    extra = {c: w for axis, weights in allocated.items() if axis not in judged_axes for c, w in weights.items()}
    scenario = scenario.model_copy(update={"weights": {**scenario.weights, **extra}})
    scenario.check_against(engagement, name)
    return scenario


@dataclass(frozen=True)
class Accepted:
    """What `accept_room` wrote: how many scores of how many participants, the workbook's backup, and the
    weights' scenario file (None when no name was given)."""

    period: str
    scores: int
    people: int
    backup: Path
    scenario: Path | None
    customer: int = 0
    """Of the scores, how many are the customer's view of our position (side customer)."""

    def text(self, lang: str) -> str:
        """Say it in `lang`: "12 scores of 3 participants written as period 2026-W1; backup: …"."""
        es = lang == "es"
        scores = count_text(
            ("{n} puntuación", "{n} puntuaciones") if es else ("{n} score", "{n} scores"), self.scores, lang
        )
        people = count_text(
            ("{n} participante", "{n} participantes") if es else ("{n} participant", "{n} participants"),
            self.people,
            lang,
        )
        if self.customer:
            scores += f" ({self.customer} del cliente)" if es else f" ({self.customer} the customer's)"
        said = (
            f"{scores} de {people} escritas como el periodo {self.period}; copia: {self.backup.name}"
            if es
            else f"{scores} of {people} written as period {self.period}; backup: {self.backup.name}"
        )
        if self.scenario is not None:
            said += (
                f"; pesos guardados como el escenario {self.scenario.stem}"
                if es
                else f"; weights saved as scenario {self.scenario.stem}"
            )
        return said


def accept_room(
    workbook: Path | str, store: WorkshopStore, period: str, weights: str | None = None, round: int | None = None
) -> Accepted:
    """Accept what the room agreed, as `kam workshop accept` and the facilitator's screen do: the scores of round
    `round` as the new `period` (`accept_scores`) — our side's, and the customer's participants' view of our
    position as rows with side customer — and, with a name, the group's weights as the scenario `weights`
    (`accept_weights`). The scenario is made and its name checked before the workbook is written, so a
    refusal of either leaves both as they were."""
    period = str(period).strip()
    scenario = None
    folder = None
    if weights:
        engagement = load(workbook)
        scenario = weights_scenario(engagement, store, weights, round)
        folder = scenario_dir(engagement)
        if scenario_file(folder, scenario.name).exists():
            raise ScenarioExistsError(scenario.name)
    scores = store.scores(period, round)
    theirs = store.scores(period, round, side=CUSTOMER)
    if len(theirs):
        scores = pd.concat([scores.assign(side=None), theirs.assign(side=CUSTOMER)], ignore_index=True)
    backup = accept_scores(workbook, scores, period)
    saved = None if scenario is None or folder is None else save_named_scenario(scenario, folder)
    return Accepted(period, len(scores), int(scores["assessor"].nunique()), backup, saved, len(theirs))


def allocation_weights(allocations: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """The group's weights from 100-point allocations (`WorkshopStore.allocations`): per axis, each criterion's
    mean points, in percent of the axis (4 decimals), as a scenario's weights read.

    >>> allocation_weights({"ana": {"potential": {"a": 60, "b": 40}}, "ben": {"potential": {"a": 20, "b": 80}}})
    {'potential': {'a': 40.0, 'b': 60.0}}
    """
    by_axis: dict[str, list[dict[str, float]]] = {}
    for axes in allocations.values():
        for axis, points in axes.items():
            by_axis.setdefault(axis, []).append(points)
    return {
        axis: {c: round(sum(p[c] for p in given) / len(given), 4) for c in given[0]} for axis, given in by_axis.items()
    }


def _check_period(workbook: Path, period: str, periods: list[str]) -> None:
    """Refuse a period the scores sheet has (or one that sorts as the same), or one that sorts before its latest."""
    known = ", ".join(periods)
    if any(period_key(str(p)) == period_key(period) for p in periods):
        raise KamError(
            f"{workbook.name}: period {period!r} already has scores; the workshop's round must be a new period; "
            f"the workbook has: {known}; nothing was written",
            f"{workbook.name}: el periodo {period!r} ya tiene puntuaciones; la ronda del taller debe ser un periodo "
            f"nuevo; el libro tiene: {known}; no se ha escrito nada",
        )
    if not sorts_last(period, periods):
        latest = max(periods, key=lambda p: period_key(str(p)))
        raise KamError(
            f"{workbook.name}: period {period!r} sorts before the workbook's latest, {latest!r}, whose scores would "
            f"outrank the workshop's (per criterion the latest period counts); the workbook has: {known}; nothing "
            "was written. Allowed: a label that sorts after it",
            f"{workbook.name}: el periodo {period!r} va antes que el último del libro, {latest!r}, cuyas "
            f"puntuaciones prevalecerían sobre las del taller (en cada criterio cuenta el último periodo); el libro "
            f"tiene: {known}; no se ha escrito nada. Se admite: una etiqueta que vaya después",
        )


__all__ = [
    "COMMAND",
    "Accepted",
    "accept_room",
    "accept_scores",
    "accept_weights",
    "allocation_weights",
    "weights_scenario",
]
