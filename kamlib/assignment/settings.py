"""The assignment settings and their defaults: the competences, what each strategy needs, effort, continuity.

METHOD.md §3–4: assess each KAM's capabilities objectively and give each account to the most suitable
person for its strategic role; pool competences in KAM teams where no one person has them all. The
eight default competences are the method's (ids ours, from both seed articles); scores are on a 1–5
scale (1 = very weak … 5 = excellent, `kamlib.workbook.sheets.COMPETENCE_SCALE`).

What an account needs follows from its quadrant (METHOD.md §1), by our default table of importance
(0 = irrelevant, 1 = useful, 2 = important, 3 = essential):

| competence | invest | selective | maintain | milk |
|---|---|---|---|---|
| analysis_planning | 3 | 3 | 1 | 1 |
| emotional_leadership | 2 | 2 | 1 | 2 |
| relational_intelligence | 3 | 2 | 3 | 1 |
| empathy | 2 | 2 | 3 | 1 |
| drive | 2 | 3 | 2 | 1 |
| senior_negotiation | 3 | 2 | 2 | 1 |
| cultural_versatility | 1 | 1 | 1 | 0 |
| profitability_orientation | 1 | 2 | 2 | 3 |

Why (METHOD.md §1, §3, §4): *Invest* accounts call for many long-term initiatives planned jointly,
an interdependent or integrated relationship and large contracts with senior counterparts (analysis and
planning, relational intelligence, senior negotiation essential). *Selective* accounts are attractive but
we are weak: projections to back only the best return within three years, and drive with tolerance of
frustration (analysis and planning, drive essential). *Maintain* accounts keep an existing interdependence
and need motivation not to lose weight; they are the cash that funds the others (relational intelligence
and empathy essential, profitability important). *Milk* accounts get a basic relationship, kept basic, and
maximum profitability, sometimes with a confrontational customer (profitability orientation essential,
emotional leadership important). Cultural versatility belongs to global accounts, which the quadrant
does not tell: name it per account (`account_requirements`).

An important competence also needs a minimum level for the account to be *covered* (what KAM teams are
formed for): importance ≥ 3 → level 4 (strong), ≥ 2 → level 3 (adequate), below → no minimum (ours).
A per-account requirement (a minimum level) replaces the quadrant's and makes the competence essential (3)
for that account. Accounts left out of the matrix (no quadrant) need the mean importance of the four
quadrants (each counted once), their minimum levels by the same rule, the mean effort and the mean change cost.

**Effort**, for capacity in hours: hours a KAM gives one account over the span `kams.capacity_hours` covers
(a year in the sample), including its share of planning, internal coordination and reporting (METHOD.md §2):
Invest 320, Selective 220, Maintain 160, Milk 60 (ours: a 1,700-hour year holds about five Invest or
twenty-eight Milk accounts; edit them to your engagement). Where the workbook's time log names an account, its
real hours replace this estimate (`kamlib.assignment.effort`).

**Continuity.** The relationship is the asset (METHOD.md §1 and §3: the KAM's relationship half; an Invest
account lives on an interdependent or integrated relationship, a Selective one on a cooperative relationship
being built toward interdependence, a Maintain one on an existing interdependence, a Milk one on a basic
relationship), so changing an account's KAM has a cost, in fit points, by its quadrant (`change_cost`, ours):
Invest 20, Selective 15, Maintain 10, Milk 5 (an account with no quadrant: their mean, 12.5). Invest and
Selective cost most: there the relationship is what we invest in, and a new KAM starts it again; a Maintain
account's interdependence rests more on the supplier than on the person; a Milk account's relationship is kept
basic on purpose. For scale, 25 points is one whole level on every competence an account needs. The plan moves
an account to another KAM only when its gain in fit pays that cost, or when capacity forces it (and then says
which KAM is at capacity). `continuity_bonus` adds the same points to every quadrant's cost.

**Churn.** `max_changes` caps the accounts whose KAM the plan changes: a number of accounts, or a share of those
that have a KAM now (`"10%"`, the default, rounded up so that any portfolio allows one change; ours: about one
account in ten a year is what a sales team absorbs without putting its relationships at risk). Accounts with no
KAM now do not count, nor do changes the settings impose (a fixed pair, a forbidden current KAM, a current KAM
below `min_fit` or without the hours for the account); `null` is no limit.

All of it is editable in a YAML file (`load_assignment_settings`; what the file does not name keeps its
default; unknown keys, quadrants and competences are refused, naming file and field):

    competences: {digital_selling: {es: Venta digital, en: Digital selling}}   # add (or relabel) competences
    importance: {milk: {drive: 2}, invest: {digital_selling: 2}}   # 0–3 per quadrant and competence
    required_level: {3: 4, 2: 3}       # importance ≥ key → minimum level (1 = no minimum)
    effort_hours: {invest: 300}        # hours per account and capacity span
    account_requirements: {A007: {cultural_versatility: 4}}   # minimum level per account
    change_cost: {invest: 25}          # fit points a change of KAM costs, per quadrant
    max_changes: 10%                   # most accounts whose KAM changes: a number, a share, or null
    continuity_bonus: 0                # fit points added to every change cost
    min_fit: 0                         # 0–100: pairs below are not allowed
    fixed: [{account_id: A001, kam_id: K01}]
    forbidden: [{account_id: A002, kam_id: K03}]
    capacity: auto                     # auto | accounts | hours | both | none
    big_gap: 1.0                       # a customer − supplier gap of this many points is flagged
    time_limit: 60                     # seconds for the solver
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from kamlib.errors import list_known
from kamlib.fileio import write_text
from kamlib.method import QUADRANTS
from kamlib.workbook.cells import cell_text, parse_number
from kamlib.workbook.sheets import COMPETENCE_SCALE
from kamlib.yamlfiles import describe, read_yaml_mapping

SCALE_MIN, SCALE_MAX = COMPETENCE_SCALE
"""Competence scores and levels run from 1 (very weak) to 5 (excellent)."""

SCALE_LABELS = MappingProxyType(
    {
        1: {"es": "muy débil", "en": "very weak"},
        2: {"es": "débil", "en": "weak"},
        3: {"es": "adecuado", "en": "adequate"},
        4: {"es": "fuerte", "en": "strong"},
        5: {"es": "excelente", "en": "excellent"},
    }
)

COMPETENCES: tuple[str, ...] = (
    "analysis_planning",
    "emotional_leadership",
    "relational_intelligence",
    "empathy",
    "drive",
    "senior_negotiation",
    "cultural_versatility",
    "profitability_orientation",
)
"""The default competence ids (METHOD.md §4, ours from both seed articles), in this order everywhere."""

COMPETENCE_LABELS = MappingProxyType(
    {
        "analysis_planning": {"es": "Análisis y planificación", "en": "Analysis and planning"},
        "emotional_leadership": {"es": "Liderazgo emocional", "en": "Emotional leadership"},
        "relational_intelligence": {"es": "Inteligencia relacional", "en": "Relational intelligence"},
        "empathy": {"es": "Empatía", "en": "Empathy"},
        "drive": {"es": "Afán de mejora", "en": "Drive to improve"},
        "senior_negotiation": {"es": "Negociación al más alto nivel", "en": "Senior negotiation"},
        "cultural_versatility": {"es": "Versatilidad cultural", "en": "Cultural versatility"},
        "profitability_orientation": {"es": "Orientación a la rentabilidad", "en": "Profitability orientation"},
    }
)
"""Short labels; METHOD.md §4 says more: self-confidence (emotional leadership), emotional and relational
intelligence, empathy with the own team and the customer's decision makers, drive to improve and tolerance of
frustration, leading large contracts with senior counterparts, global competence (§3), efficiency and
profitability (§3)."""

IMPORTANCE_MAX = 3
"""Importance runs 0 (irrelevant), 1 (useful), 2 (important), 3 (essential)."""

_TABLE = {  # competence: importance for invest, selective, maintain, milk (see the module's docstring)
    "analysis_planning": (3, 3, 1, 1),
    "emotional_leadership": (2, 2, 1, 2),
    "relational_intelligence": (3, 2, 3, 1),
    "empathy": (2, 2, 3, 1),
    "drive": (2, 3, 2, 1),
    "senior_negotiation": (3, 2, 2, 1),
    "cultural_versatility": (1, 1, 1, 0),
    "profitability_orientation": (1, 2, 2, 3),
}
DEFAULT_IMPORTANCE = MappingProxyType(
    {q: MappingProxyType({c: _TABLE[c][i] for c in COMPETENCES}) for i, q in enumerate(QUADRANTS)}
)
"""Importance (0–3) of each competence for each quadrant's accounts: the table in the module's docstring."""

DEFAULT_REQUIRED_LEVEL = MappingProxyType({2: 3.0, 3: 4.0})
"""Importance at or above the key → the minimum level (1–5) an account needs; below every key, no minimum."""

DEFAULT_EFFORT_HOURS = MappingProxyType({"invest": 320.0, "selective": 220.0, "maintain": 160.0, "milk": 60.0})
"""Hours a KAM gives one account of each quadrant over the span `kams.capacity_hours` covers (ours)."""

DEFAULT_CHANGE_COST = MappingProxyType({"invest": 20.0, "selective": 15.0, "maintain": 10.0, "milk": 5.0})
"""Fit points that changing the KAM of an account of each quadrant costs the plan (ours; the module's docstring)."""

DEFAULT_MAX_CHANGES = "10%"
"""The most accounts whose KAM one plan changes: a tenth of those that have a KAM now, rounded up (ours)."""

BIG_GAP = 1.0
"""A customer − supplier gap of at least this many points on the 1–5 scale is a finding."""

Importance = Annotated[int, Field(ge=0, le=IMPORTANCE_MAX)]
Level = Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX, allow_inf_nan=False)]
Points = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


def _numbers(value: object) -> object:
    """Read "7,5" as 7.5, as in the workbook; leave anything else to pydantic."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None else number
    return value


def _text(value: object) -> object:
    """Ids typed as numbers are text, as in the workbook (7 is "7")."""
    return cell_text(value) or "" if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class CompetenceLabel(BaseModel):
    """A competence's name for people, in Spanish and English."""

    model_config = ConfigDict(extra="forbid")
    es: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Pair(BaseModel):
    """An account and a KAM, for fixed and forbidden pairs."""

    model_config = ConfigDict(extra="forbid")
    account_id: str = Field(min_length=1)
    kam_id: str = Field(min_length=1)

    @field_validator("account_id", "kam_id", mode="before")
    @classmethod
    def _read_id(cls, value: object) -> object:
        return _text(value)


CapacityMode = Literal["auto", "accounts", "hours", "both", "none"]


def _read_max_changes(value: object) -> int | str | None:
    """A whole number of accounts (7, "7", 7.0), a share of them ("10%", "12,5 %"), or None (no limit); raise
    `PydanticCustomError` for anything else."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null", "none")):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        share = parse_number(value.strip()[:-1].strip())
        if share is None or not 0 <= share <= 100:
            raise PydanticCustomError("max_changes", "bad max_changes")
        return f"{share:g}%"
    number = _numbers(value)
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not float(number).is_integer():
        raise PydanticCustomError("max_changes", "bad max_changes")
    if number < 0:
        raise PydanticCustomError("max_changes", "bad max_changes")
    return int(number)


class AssignmentSettings(BaseModel):
    """Everything the assignment of KAMs to accounts depends on besides the workbook (see the module's docstring).

    `capacity`: `accounts` limits each KAM to `kams.max_accounts` (empty = no limit); `hours` limits the
    effort of a KAM's accounts to `kams.capacity_hours`; `both` applies the two; `none` applies neither;
    `auto` (the default) is `both` when any KAM has a `max_accounts`, else `hours`: the hours are always in
    force, since every workbook has `capacity_hours` and every account an effort. `change_cost` and
    `max_changes`: see the module's docstring.
    """

    model_config = ConfigDict(extra="forbid")
    competences: dict[str, CompetenceLabel] = Field(
        default_factory=lambda: {c: CompetenceLabel(**COMPETENCE_LABELS[c]) for c in COMPETENCES}
    )
    importance: dict[str, dict[str, Importance]] = Field(
        default_factory=lambda: {q: dict(DEFAULT_IMPORTANCE[q]) for q in QUADRANTS}
    )
    required_level: dict[Annotated[int, Field(ge=1, le=IMPORTANCE_MAX)], Level] = Field(
        default_factory=lambda: dict(DEFAULT_REQUIRED_LEVEL)
    )
    effort_hours: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(
        default_factory=lambda: dict(DEFAULT_EFFORT_HOURS)
    )
    account_requirements: dict[str, dict[str, Level]] = Field(default_factory=dict)
    continuity_bonus: Points = 0.0
    min_fit: Points = 0.0
    fixed: list[Pair] = Field(default_factory=list)
    forbidden: list[Pair] = Field(default_factory=list)
    capacity: CapacityMode = "auto"
    change_cost: dict[str, Points] = Field(default_factory=lambda: dict(DEFAULT_CHANGE_COST))
    max_changes: int | str | None = DEFAULT_MAX_CHANGES
    big_gap: Annotated[float, Field(gt=0, le=SCALE_MAX - SCALE_MIN, allow_inf_nan=False)] = BIG_GAP
    time_limit: Annotated[float, Field(gt=0, le=3600, allow_inf_nan=False)] = 60.0

    @field_validator("competences", mode="before")
    @classmethod
    def _read_competences(cls, value: object) -> object:
        """Add the file's competences to the defaults; a plain text is the label in both languages."""
        if not isinstance(value, dict):
            return value
        read = {str(_text(k)): {"es": v, "en": v} if isinstance(v, str) else v for k, v in value.items()}
        return {**{c: dict(COMPETENCE_LABELS[c]) for c in COMPETENCES}, **read}

    @field_validator("importance", mode="before")
    @classmethod
    def _read_importance(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, dict):
            return value
        _check_keys(value, QUADRANTS, "quadrant")
        known = _known_competences(info)
        out = {q: dict(DEFAULT_IMPORTANCE[q]) for q in QUADRANTS}
        for quadrant, row in value.items():
            if isinstance(row, dict):
                _check_keys(row, known, "competence")
                out[quadrant].update({str(c): _numbers(v) for c, v in row.items()})
            else:
                out[quadrant] = row
        return out

    @field_validator("required_level", mode="before")
    @classmethod
    def _read_levels(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {**DEFAULT_REQUIRED_LEVEL, **{_numbers(k): _numbers(v) for k, v in value.items()}}

    @field_validator("effort_hours", mode="before")
    @classmethod
    def _read_effort(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        _check_keys(value, QUADRANTS, "quadrant")
        return {**DEFAULT_EFFORT_HOURS, **{str(q): _numbers(v) for q, v in value.items()}}

    @field_validator("account_requirements", mode="before")
    @classmethod
    def _read_requirements(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, dict):
            return value
        known = _known_competences(info)
        out = {}
        for account, row in value.items():
            if isinstance(row, dict):
                _check_keys(row, known, "competence")
                row = {str(c): _numbers(v) for c, v in row.items()}
            out[str(_text(account))] = row
        return out

    @field_validator("change_cost", mode="before")
    @classmethod
    def _read_change_cost(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        _check_keys(value, QUADRANTS, "quadrant")
        return {**DEFAULT_CHANGE_COST, **{str(q): _numbers(v) for q, v in value.items()}}

    @field_validator("max_changes", mode="before")
    @classmethod
    def _read_limit(cls, value: object) -> object:
        return _read_max_changes(value)

    @field_validator("continuity_bonus", "min_fit", "big_gap", "time_limit", mode="before")
    @classmethod
    def _read_number(cls, value: object) -> object:
        return _numbers(value)

    @field_validator("capacity", mode="before")
    @classmethod
    def _read_mode(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    def competence_ids(self) -> tuple[str, ...]:
        """The competences known to these settings: the eight defaults, then any the file adds, in its order."""
        return tuple(self.competences)

    def label(self, competence: str, lang: str) -> str:
        """A competence's label in `lang`; the id itself for a competence the settings do not name."""
        known = self.competences.get(competence)
        return getattr(known, lang) if known is not None else competence

    def importance_matrix(self) -> np.ndarray:
        """Importance as a (4, C) array: quadrants in the order of `QUADRANTS` × `competence_ids()`; 0 if unnamed."""
        return np.array([[self.importance[q].get(c, 0) for c in self.competence_ids()] for q in QUADRANTS], float)

    def required_levels(self, importance: np.ndarray) -> np.ndarray:
        """Minimum level for each importance (any shape): the level of the highest key ≤ it; NaN = no minimum.

        >>> AssignmentSettings().required_levels(np.array([0.0, 1.0, 2.0, 2.5, 3.0])).tolist()
        [nan, nan, 3.0, 3.0, 4.0]
        """
        out = np.full(np.shape(importance), np.nan)
        for key in sorted(self.required_level):
            out = np.where(importance >= key, self.required_level[key], out)
        return out

    def effort_vector(self) -> np.ndarray:
        """Effort hours per account of each quadrant, in the order of `QUADRANTS`."""
        return np.array([self.effort_hours[q] for q in QUADRANTS], dtype=np.float64)

    def change_costs(self, quadrants: Sequence[object]) -> np.ndarray:
        """Fit points that changing each account's KAM costs: its quadrant's `change_cost` (the mean of the four
        for an account with no quadrant) plus `continuity_bonus`.

        >>> AssignmentSettings().change_costs(["invest", "milk", None]).tolist()
        [20.0, 5.0, 12.5]
        """
        by_quadrant = np.array([self.change_cost[q] for q in QUADRANTS], dtype=np.float64)
        codes = pd.Categorical(pd.Series(list(quadrants), dtype=object), categories=QUADRANTS).codes
        return np.append(by_quadrant, by_quadrant.mean())[codes] + self.continuity_bonus

    def change_limit(self, with_kam: int) -> int | None:
        """The most accounts whose KAM the plan may change, out of `with_kam` accounts that have one now; None is
        no limit. A share is rounded up, so that it allows one change in any portfolio.

        >>> AssignmentSettings().change_limit(48), AssignmentSettings(max_changes=3).change_limit(48)
        (5, 3)
        """
        limit = self.max_changes
        if limit is None or isinstance(limit, int):
            return limit
        return math.ceil(float(limit[:-1]) * with_kam / 100 - 1e-9)


def _known_competences(info: ValidationInfo) -> tuple[str, ...]:
    """The competence ids validated so far (the field `competences` comes first), or the defaults."""
    labels = info.data.get("competences")
    return tuple(labels) if labels is not None else COMPETENCES


def _check_keys(value: dict, known: Sequence[str], what: str) -> None:
    unknown = [str(k) for k in value if str(_text(k)) not in known]
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise PydanticCustomError(f"unknown_{what}", "unknown key", {"names": names, "known": list_known(known, 20)})


_FIELDS = (
    "competences, importance, required_level, effort_hours, account_requirements, continuity_bonus, min_fit, "
    "fixed, forbidden, capacity, change_cost, max_changes, big_gap, time_limit"
)

_MESSAGES = {
    "extra_forbidden": (
        f"unknown field; allowed: {_FIELDS} (a competence: es, en; a pair: account_id, kam_id)",
        f"campo desconocido; se admite: {_FIELDS} (una competencia: es, en; un par: account_id, kam_id)",
    ),
    "greater_than": ("allowed: a number > {gt}", "se admite: un número > {gt}"),
    "dict_type": ("allowed: a mapping", "se admite: un mapa"),
    "list_type": ("allowed: a list of {account_id, kam_id}", "se admite: una lista de {account_id, kam_id}"),
    "int_parsing": ("allowed: a whole number", "se admite: un número entero"),
    "int_from_float": ("allowed: a whole number", "se admite: un número entero"),
    "int_type": ("allowed: a whole number", "se admite: un número entero"),
    "missing": ("a required field is missing", "falta un campo obligatorio"),
    "literal_error": (
        "allowed: auto, accounts, hours, both or none",
        "se admite: auto, accounts, hours, both o none",
    ),
    "max_changes": (
        "allowed: a whole number of accounts ≥ 0, a share of them such as 10%, or null (no limit)",
        "se admite: un número entero de cuentas ≥ 0, una parte de ellas como 10%, o null (sin límite)",
    ),
    "unknown_quadrant": (
        "unknown quadrant {names}; known: {known}",
        "cuadrante desconocido {names}; existentes: {known}",
    ),
    "unknown_competence": (
        "unknown competence {names}; known: {known} (a new competence needs a label under competences)",
        "competencia desconocida {names}; existentes: {known} (una competencia nueva necesita su nombre en "
        "competences)",
    ),
}


def load_assignment_settings(path: Path | str | None = None) -> AssignmentSettings:
    """Read an assignment settings YAML file (None: the defaults); raise `KamError` naming file and field."""
    if path is None:
        return AssignmentSettings()
    path = Path(path)
    data = read_yaml_mapping(
        path,
        ("assignment settings", "ajustes de asignación"),
        ("importance, effort_hours, min_fit, …", "importance, effort_hours, min_fit, …"),
    )
    try:
        return AssignmentSettings.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, path.name, _MESSAGES) from None


_FILE_HEADER = """\
# kamlib assignment settings / ajustes de asignación de KAM (kam assign WB --settings THIS.yaml)
# competences: id -> {es, en} labels; add your own / competencias y sus nombres; se pueden añadir
# importance: 0-3 per quadrant and competence (0 irrelevant, 3 essential) / importancia por cuadrante
# required_level: importance >= key -> minimum level 1-5 to cover an account / nivel mínimo por importancia
# effort_hours: hours per account over the span of kams.capacity_hours / horas por cuenta según estrategia
# account_requirements: account -> competence -> minimum level / nivel mínimo por cuenta (p. ej. global)
# continuity_bonus: fit points added to every change cost / puntos que se suman a todo coste de cambio
# min_fit: pairs below this fit (0-100) are not allowed / encaje mínimo admitido
# fixed, forbidden: lists of {account_id, kam_id} / pares fijos y prohibidos
# capacity: auto | accounts (max_accounts) | hours (capacity_hours) | both | none / capacidad que se aplica
# change_cost: fit points a change of KAM costs, per quadrant / puntos de encaje que cuesta cambiar de KAM
# max_changes: most accounts whose KAM changes: 7, 10% or null / máximo de cuentas que cambian de KAM
# big_gap: flag a customer - supplier gap of this many points / diferencia cliente - proveedor señalada
# time_limit: seconds the solver may take / segundos para el optimizador
"""


def save_assignment_settings(settings: AssignmentSettings, path: Path | str) -> Path:
    """Write assignment settings as YAML with every field and a bilingual header (the file documents itself)."""
    import yaml

    body = yaml.safe_dump(settings.model_dump(), allow_unicode=True, sort_keys=False)
    return write_text(path, _FILE_HEADER + body)
