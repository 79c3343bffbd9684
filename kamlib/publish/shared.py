"""What every report of an engagement computes alike — the workbook read and checked, its scoring, the KAMs'
time, the KAM plan — done once per Jupyter kernel instead of once per report.

A `kam report` worker keeps one warm kernel for all its reports (`kamlib.publish.reports`); this keeps, in that
kernel, the last engagement's shared results, keyed by a digest of every input (the workbook's files, the
scenario and assignment settings files, kamlib's own code: `kamlib.publish.record.inputs_digest`) and the
parameters. A report run on its own (papermill, Jupyter) computes them as before; a changed input is a new key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kamlib.publish.record import inputs_digest

if TYPE_CHECKING:
    import pandas as pd

    from kamlib.assignment import Assignment
    from kamlib.engagement import Engagement
    from kamlib.timealloc import TimeAllocation


@dataclass(frozen=True)
class Shared:
    """An engagement's results every report uses."""

    engagement: Engagement
    scored: pd.DataFrame
    time: TimeAllocation
    assignment: Assignment


_KEPT: dict[tuple, Shared] = {}


def shared(workbook: Path | str | None, scenario: Path | str | None, settings: Path | str | None) -> Shared:
    """The shared results of `workbook` (None: `KAM_WORKBOOK`, else the bundled sample, as `kamlib.load`) scored
    with `scenario` and planned with the assignment `settings` (None: the defaults): computed now, or kept from
    the last call with the same inputs."""
    from kamlib.assignment import assign_engagement
    from kamlib.assignment.competences import load_assignment_settings
    from kamlib.engagement import SAMPLE_PATH, load
    from kamlib.scenarios.scenario import score_scenario
    from kamlib.timealloc import allocate_time

    book = Path(workbook if workbook is not None else os.environ.get("KAM_WORKBOOK") or SAMPLE_PATH)  # as `load`
    files = [None if f is None else Path(f) for f in (scenario, settings)]
    key = (inputs_digest(book, *files), *(str(None if f is None else f.resolve()) for f in (book, *files)))
    if key not in _KEPT:
        engagement = load(book)
        scored = score_scenario(engagement, scenario)
        time = allocate_time(engagement, scored=scored, normalise=True)
        assignment = assign_engagement(engagement, scored, load_assignment_settings(settings), strict=False)
        _KEPT.clear()  # one engagement at a time: a kernel's memory stays that of one report
        _KEPT[key] = Shared(engagement, scored, time, assignment)
    return _KEPT[key]
