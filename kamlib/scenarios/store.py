"""The workshop's state on disk: saved scenarios and the autosave of the live matrix.

A consultant's session survives a kernel crash or a closed tab: every change of the
live matrix is written (atomically) to an autosave file, and reopening the matrix on
the same workbook restores it. The autosave carries a revision, one up at every write: a session remembers the
revision it read or last wrote, and a write over a newer one (another tab or kernel saved since) is refused
(`StaleAutosaveError`), so two tabs never silently undo each other.

Scenarios are the YAML files of `kamlib.scenarios.scenario`, kept in a folder beside the workbook
(`<workbook>_scenarios/`); the bundled sample, which lives inside the installed package, keeps them in the
user's data folder (`KAM_DATA`, else the platform's, e.g. `~/.local/share/kamlib/sample/scenarios/` on Linux).
Each name has a file of its own: a slug of the name that keeps the letters of any script, and when that file
already holds another scenario (or is no scenario at all), the slug plus a short hash of the exact name.
Saving under a name that is already saved raises `ScenarioExistsError` unless told to replace it.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, NamedTuple

import platformdirs
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kamlib.engagement import SAMPLE_PATH, Engagement
from kamlib.errors import KamError
from kamlib.fileio import write_text
from kamlib.scenarios.scenario import Cuts, Scenario, load_scenario, save_scenario

AUTOSAVE = ".autosave.yaml"
AUTOSAVE_LOCK = ".autosave.lock"
"""Held while the autosave's revision is checked and the file replaced, so two kernels cannot both pass the
check (an advisory lock, where the platform has them)."""
SLUG_CHARACTERS = 60
SLUG_BYTES = 120
"""A slug's limits: short enough to read, and with its hash and suffix far below a file name's 255 bytes."""


def user_data() -> Path:
    """The folder for what kamlib keeps of its own (the sample's scenarios): `KAM_DATA` (`~` expanded, a relative
    path taken from the current folder), else the platform's."""
    return Path(os.environ.get("KAM_DATA") or platformdirs.user_data_dir("kamlib")).expanduser().resolve()


class WorkshopState(BaseModel):
    """Everything the live matrix shows, so it can be restored exactly."""

    model_config = ConfigDict(extra="ignore")
    weights: dict[str, float] = Field(default_factory=dict)
    """The default rows' weights (every criterion that has one)."""
    segment_weights: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Each segment of sheet criteria's weights, every criterion that applies to it (none without segments)."""
    cuts: Cuts = Field(default_factory=Cuts)
    filters: dict[str, str] = Field(default_factory=dict)
    lang: str = "es"
    size_by: str = "revenue"
    reference: str = ""
    position_by: Literal["ours", "customer"] = "ours"
    """Whose view of our position the scenario moved here places the accounts by (kept, never shown: the live
    matrix moves our own view's weights)."""


def scenario_dir(engagement: Engagement) -> Path:
    """Return the folder where this engagement's scenarios and autosave live."""
    source = engagement.source
    if source is None or source.resolve() == SAMPLE_PATH.resolve():
        return user_data() / engagement.name / "scenarios"
    return source.parent / f"{engagement.name}_scenarios"


def scenario_slug(name: str) -> str:
    """Return the file stem a scenario name starts from: its letters and digits in any script, lower case, the
    rest turned into "-"; accents of Latin letters dropped; "scenario" when nothing is left.

    >>> scenario_slug("Taller: más peso a la rentabilidad")
    'taller-mas-peso-a-la-rentabilidad'
    >>> scenario_slug("../../etc/passwd"), scenario_slug("作業"), scenario_slug("Σενάριο"), scenario_slug("!!!")
    ('etc-passwd', '作業', 'σενάριο', 'scenario')
    """
    kept: list[str] = []
    for character in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(character) and kept and kept[-1].isascii():
            continue  # the accent of a Latin letter: á is a
        kept.append(character if unicodedata.category(character)[0] in "LMN" or character == "_" else "-")
    slug = "-".join(part for part in unicodedata.normalize("NFC", "".join(kept)).casefold().split("-") if part)
    slug = slug[:SLUG_CHARACTERS]
    while len(slug.encode("utf-8")) > SLUG_BYTES:
        slug = slug[:-1]
    return slug.strip("-_") or "scenario"


def scenario_file(folder: Path, name: str) -> Path:
    """Return the file for the scenario `name` in `folder`, never outside it: the file that already holds
    exactly that name, else a free one; the slug first, then the slug plus a hash of the exact name, so that
    names with the same slug ("Taller A", "taller-a") never share a file.

    >>> scenario_file(Path("s"), "Taller: más peso a la rentabilidad").name
    'taller-mas-peso-a-la-rentabilidad.yaml'
    >>> scenario_file(Path("s"), "../../etc/passwd").name
    'etc-passwd.yaml'
    """
    saved = list_scenarios(folder)
    if name in saved:
        return saved[name]
    slug = scenario_slug(name)
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    for stem in (slug, f"{slug}-{digest[:8]}", f"{slug}-{digest}"):
        path = folder / f"{stem}.yaml"
        if not path.exists():  # a file that holds another scenario, or none, is never taken over
            return path
    raise KamError(  # two different names with the same SHA-256: not in this universe
        f"{name!r}: no free file for this scenario name in the scenario folder; allowed: another name",
        f"{name!r}: no queda archivo libre para este nombre de escenario en la carpeta; se admite: otro nombre",
    )


class ScenarioExistsError(KamError):
    """A scenario of this name is saved already: replacing it needs asking."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f'a scenario named "{name}" is already saved; allowed: another name, or replacing it',
            f'ya hay un escenario guardado con el nombre "{name}"; se admite: otro nombre, o sustituirlo',
        )


def save_named_scenario(scenario: Scenario, folder: Path, replace: bool = False) -> Path:
    """Save a scenario in `folder` under its name (`scenario_file`) and return its file.

    Raise `ScenarioExistsError` if a scenario of exactly that name is saved already, unless `replace`.
    """
    path = scenario_file(folder, scenario.name)
    if path.exists() and not replace:
        raise ScenarioExistsError(scenario.name)
    return save_scenario(scenario, path)


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


class Autosave(NamedTuple):
    """What the autosave holds: the state to restore (None when there is none that fits) and its revision."""

    state: WorkshopState | None
    revision: int


class StaleAutosaveError(KamError):
    """The autosave is newer than the revision a session read or last wrote: another tab or kernel saved since."""

    def __init__(self, loaded: int, found: int):
        self.loaded, self.found = loaded, found
        super().__init__(
            f"{AUTOSAVE}: revision {found} was saved by another tab or session after this one's {loaded}; "
            "not overwritten; allowed: reloading the page to go on from it",
            f"{AUTOSAVE}: otra pestaña o sesión guardó la revisión {found} después de la {loaded} de esta; no se "
            "sobrescribe; se admite: recargar la página para seguir desde ella",
        )


def _read(path: Path) -> object:
    """The autosave's YAML, or None when there is none or it does not read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _revision(data: object) -> int:
    revision = data.get("revision") if isinstance(data, dict) else None
    return revision if isinstance(revision, int) and not isinstance(revision, bool) and revision >= 0 else 0


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's autosave lock (an advisory lock; where the platform has none, just go on)."""
    try:
        import fcntl
    except ImportError:  # Windows: the revision check alone still refuses all but a write in the same instant
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / AUTOSAVE_LOCK, "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_autosave(folder: Path, engagement: Engagement) -> Autosave:
    """Read the autosave: its state if it fits this engagement (same criteria), and its revision (0: none, or one
    saved before revisions)."""
    data = _read(folder / AUTOSAVE)
    revision = _revision(data)
    if not isinstance(data, dict):
        return Autosave(None, revision)
    try:
        state = WorkshopState.model_validate(data)
    except ValidationError:
        return Autosave(None, revision)
    if state_weights(engagement) != (
        set(state.weights),
        {segment: set(given) for segment, given in state.segment_weights.items()},
    ):
        return Autosave(None, revision)
    return Autosave(state, revision)


def state_weights(engagement: Engagement) -> tuple[set[str], dict[str, set[str]]]:
    """What a state's weights must name to fit an engagement: the criteria with a default row, and per segment of
    sheet criteria the criteria that apply to it."""
    groups = engagement.segments
    ids = engagement.criteria["criterion_id"].to_numpy(dtype=object)
    return set(ids[groups.applies[0]]), {
        name: set(ids[groups.applies[group]]) for group, name in enumerate(groups.names) if group
    }


def save_state(state: WorkshopState, folder: Path, loaded: int | None = None) -> int:
    """Write the autosave atomically, one revision above the file's, and return that revision.

    `loaded` is the revision the session read or last wrote: when the file holds a newer one (another tab or
    kernel saved since), raise `StaleAutosaveError` and write nothing. None writes whatever the file holds.
    """
    path = folder / AUTOSAVE
    with _locked(folder):
        found = _revision(_read(path))
        if loaded is not None and found > loaded:
            raise StaleAutosaveError(loaded, found)
        revision = max(found, loaded or 0) + 1
        data = {"revision": revision, **state.model_dump()}
        write_text(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return revision


def load_state(folder: Path, engagement: Engagement) -> WorkshopState | None:
    """Read the autosave if there is one that fits this engagement (same criteria), else None."""
    return read_autosave(folder, engagement).state


def state_scenario(state: WorkshopState, name: str, note: str = "") -> Scenario:
    """Turn the current state into a named scenario (weights, cut lines and whose view places the accounts)."""
    return Scenario(
        name=name,
        note=note,
        weights=state.weights,
        segment_weights=state.segment_weights,
        cuts=state.cuts,
        position_by=state.position_by,
    )
