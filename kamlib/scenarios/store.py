"""The workshop's state on disk: saved scenarios and the autosave of the live matrix.

A consultant's session survives a kernel crash or a closed tab: every change of the
live matrix is written (atomically) to an autosave file, and reopening the matrix on
the same workbook restores it. Scenarios are the YAML files of `kamlib.scenarios.scenario`,
kept in a folder beside the workbook (`<workbook>_scenarios/`); the bundled sample, which lives inside the
installed package, keeps them in the user's data folder (`KAM_DATA`, else the platform's, e.g.
`~/.local/share/kamlib/sample/scenarios/` on Linux).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import platformdirs
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kamlib.engagement import SAMPLE_PATH, Engagement
from kamlib.errors import KamError
from kamlib.fileio import write_text
from kamlib.scenarios.scenario import Cuts, Scenario, load_scenario

AUTOSAVE = ".autosave.yaml"


def user_data() -> Path:
    """The folder for what kamlib keeps of its own (the sample's scenarios): `KAM_DATA` (`~` expanded, a relative
    path taken from the current folder), else the platform's."""
    return Path(os.environ.get("KAM_DATA") or platformdirs.user_data_dir("kamlib")).expanduser().resolve()


class WorkshopState(BaseModel):
    """Everything the live matrix shows, so it can be restored exactly."""

    model_config = ConfigDict(extra="ignore")
    weights: dict[str, float] = Field(default_factory=dict)
    cuts: Cuts = Field(default_factory=Cuts)
    filters: dict[str, str] = Field(default_factory=dict)
    lang: str = "es"
    size_by: str = "revenue"
    reference: str = ""


def scenario_dir(engagement: Engagement) -> Path:
    """Return the folder where this engagement's scenarios and autosave live."""
    source = engagement.source
    if source is None or source.resolve() == SAMPLE_PATH.resolve():
        return user_data() / engagement.name / "scenarios"
    return source.parent / f"{engagement.name}_scenarios"


def scenario_file(folder: Path, name: str) -> Path:
    """Return a safe file path for a scenario name: letters, digits, - and _ only, never outside `folder`.

    >>> scenario_file(Path("s"), "Taller: más peso a la rentabilidad").name
    'taller-mas-peso-a-la-rentabilidad.yaml'
    >>> scenario_file(Path("s"), "../../etc/passwd").name
    'etc-passwd.yaml'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_name.lower()).strip("-_")[:80] or "scenario"
    return folder / f"{slug}.yaml"


def list_scenarios(folder: Path) -> dict[str, Path]:
    """Return the scenarios saved in `folder`, by name (files that do not read as scenarios are skipped)."""
    found = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path.name == AUTOSAVE:
            continue
        try:
            found[load_scenario(path).name] = path
        except KamError:
            continue
    return found


def save_state(state: WorkshopState, folder: Path) -> Path:
    """Write the autosave file atomically and return its path."""
    return write_text(folder / AUTOSAVE, yaml.safe_dump(state.model_dump(), allow_unicode=True, sort_keys=False))


def load_state(folder: Path, engagement: Engagement) -> WorkshopState | None:
    """Read the autosave if there is one that fits this engagement (same criteria), else None."""
    path = folder / AUTOSAVE
    if not path.is_file():
        return None
    try:
        state = WorkshopState.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError):
        return None
    if set(state.weights) != set(engagement.criteria["criterion_id"]):
        return None
    return state


def state_scenario(state: WorkshopState, name: str, note: str = "") -> Scenario:
    """Turn the current state into a named scenario (weights and cut lines)."""
    return Scenario(name=name, note=note, weights=state.weights, cuts=state.cuts)
