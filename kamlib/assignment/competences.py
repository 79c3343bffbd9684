"""The KAM competence model: the method's competences, what each account strategy needs, and the KAMs' levels.

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
quadrants (each counted once), their minimum levels by the same rule, and the mean effort.

Effort, for capacities in hours: hours a KAM gives one account over the span `kams.capacity_hours` covers
(a year in the sample), including its share of planning, internal coordination and reporting (METHOD.md §2):
Invest 320, Selective 220, Maintain 160, Milk 60 (ours: a 1,700-hour year holds about five Invest or
twenty-eight Milk accounts; edit them to your engagement).

All of it is editable in a YAML file (`load_assignment_settings`; what the file does not name keeps its
default; unknown keys, quadrants and competences are refused, naming file and field):

    competences: {digital_selling: {es: Venta digital, en: Digital selling}}   # add (or relabel) competences
    importance: {milk: {drive: 2}, invest: {digital_selling: 2}}   # 0–3 per quadrant and competence
    required_level: {3: 4, 2: 3}       # importance ≥ key → minimum level (1 = no minimum)
    effort_hours: {invest: 300}        # hours per account and capacity span
    account_requirements: {A007: {cultural_versatility: 4}}   # minimum level per account
    continuity_bonus: 0                # fit points for keeping the current KAM
    min_fit: 0                         # 0–100: pairs below are not allowed
    fixed: [{account_id: A001, kam_id: K01}]
    forbidden: [{account_id: A002, kam_id: K03}]
    capacity: auto                     # auto | accounts | hours | both | none
    big_gap: 1.0                       # a customer − supplier gap of this many points is flagged
    time_limit: 60                     # seconds for the solver with hours
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known, show_value
from kamlib.fileio import write_text
from kamlib.i18n import number_text
from kamlib.method import QUADRANTS
from kamlib.workbook.cells import cell_text, parse_number
from kamlib.workbook.sheets import COMPETENCE_SCALE, SIDES
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


class AssignmentSettings(BaseModel):
    """Everything the assignment of KAMs to accounts depends on besides the workbook (see the module's docstring).

    `capacity`: `accounts` limits each KAM to `kams.max_accounts` (empty = no limit); `hours` limits the
    effort of a KAM's accounts to `kams.capacity_hours`; `both` applies the two; `none` applies neither;
    `auto` (the default) is `accounts` when any KAM has a `max_accounts`, else `hours`.
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
    "fixed, forbidden, capacity, big_gap, time_limit"
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
# continuity_bonus: fit points for keeping the current KAM (0 = pure best fit) / puntos por mantener al KAM
# min_fit: pairs below this fit (0-100) are not allowed / encaje mínimo admitido
# fixed, forbidden: lists of {account_id, kam_id} / pares fijos y prohibidos
# capacity: auto | accounts (max_accounts) | hours (capacity_hours) | both | none / capacidad que se aplica
# big_gap: flag a customer - supplier gap of this many points / diferencia cliente - proveedor señalada
# time_limit: seconds the solver may take with hours / segundos para el optimizador con horas
"""


def save_assignment_settings(settings: AssignmentSettings, path: Path | str) -> Path:
    """Write assignment settings as YAML with every field and a bilingual header (the file documents itself)."""
    import yaml

    body = yaml.safe_dump(settings.model_dump(), allow_unicode=True, sort_keys=False)
    return write_text(path, _FILE_HEADER + body)


# --- the KAMs' levels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetenceLevels:
    """Each KAM's level per competence, from the assessments (1–5 scale; gaps in points of it)."""

    table: pd.DataFrame
    """One row per KAM × competence (all pairs, in the given order): kam_id, competence, supplier (mean of the
    supplier's assessors), customer (mean of the customer's), level (used for fit), gap (customer − supplier),
    n_supplier, n_customer (assessors)."""
    levels: np.ndarray
    """The level column as a (KAMs, competences) array, NaN where nobody assessed."""
    finding_rows: pd.DataFrame
    """Big gaps between the customer's and the supplier's view: kind, kam_id, competence, value (the gap), limit,
    message_en, message_es."""


def competence_levels(
    competences: pd.DataFrame, kam_ids: Sequence[str], settings: AssignmentSettings | None = None
) -> CompetenceLevels:
    """Average the assessments into one level per KAM and competence, and compare the customer's view with ours.

    Each assessor counts once (their rows for a KAM and competence are averaged first; a row with no assessor is
    an assessor of its own); assessors are then averaged per side (`side` missing = supplier). The level used
    for fit is the mean of the two sides' means where both rated (the method: the role must be seen as
    beneficial by both sides), else the one side's mean. Raise `KamError` listing every assessment of an unknown
    KAM or competence, a bad side or a score outside 1–5.
    """
    settings = settings or AssignmentSettings()
    kam_ids = list(kam_ids)
    competence_ids = list(settings.competence_ids())
    _check_assessments(competences, kam_ids, competence_ids)
    n_kam, n_comp = len(kam_ids), len(competence_ids)
    sums = np.zeros((2, n_kam * n_comp))
    counts = np.zeros((2, n_kam * n_comp))
    if len(competences):
        frame = pd.DataFrame(
            {
                "cell": pd.Categorical(competences["kam_id"], categories=kam_ids).codes.astype(np.int64) * n_comp
                + pd.Categorical(competences["competence"], categories=competence_ids).codes,
                "side": _sides(competences).map({s: i for i, s in enumerate(SIDES)}).to_numpy(),
                "assessor": _assessors(competences),
                "score": competences["score"].to_numpy(dtype=np.float64),
            }
        )
        per_assessor = frame.groupby(["side", "cell", "assessor"], sort=False)["score"].mean().reset_index()
        for side in (0, 1):
            rows = per_assessor[per_assessor["side"] == side]
            cells = rows["cell"].to_numpy(dtype=np.int64)
            sums[side] = np.bincount(cells, weights=rows["score"].to_numpy(), minlength=n_kam * n_comp)
            counts[side] = np.bincount(cells, minlength=n_kam * n_comp)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    supplier, customer = means
    level = np.where(np.isnan(supplier), customer, np.where(np.isnan(customer), supplier, (supplier + customer) / 2))
    table = pd.DataFrame(
        {
            "kam_id": np.repeat(np.array(kam_ids, dtype=object), n_comp),
            "competence": np.tile(np.array(competence_ids, dtype=object), n_kam),
            "supplier": supplier,
            "customer": customer,
            "level": level,
            "gap": customer - supplier,
            "n_supplier": counts[0].astype(np.int64),
            "n_customer": counts[1].astype(np.int64),
        }
    )
    return CompetenceLevels(table, level.reshape(n_kam, n_comp), _gap_findings(table, settings))


def _sides(competences: pd.DataFrame) -> pd.Series:
    """The side of each assessment; missing = supplier."""
    if "side" not in competences:
        return pd.Series(SIDES[0], index=competences.index)
    return competences["side"].where(competences["side"].notna(), SIDES[0])


def _assessors(competences: pd.DataFrame) -> np.ndarray:
    """Each row's assessor; a row with none gets a name of its own (it is one more assessor)."""
    named = competences["assessor"] if "assessor" in competences else pd.Series(None, index=competences.index)
    own = pd.Series(
        [f"\uffffrow{i}" for i in range(len(competences))], index=competences.index
    )  # no NUL: numpy<2 cuts at it
    return named.astype(object).where(named.notna(), own).astype(str).to_numpy()


def check_competence_names(engagement: Engagement, settings: AssignmentSettings | None = None) -> None:
    """Raise one `KamError` naming the file, sheet, Excel rows and column of every competence in the workbook's
    `competences` sheet that the settings do not know (a typo, or a new competence not declared yet)."""
    settings = settings or AssignmentSettings()
    table = engagement.competences
    known = settings.competence_ids()
    unknown = table.loc[~table["competence"].isin(known), "competence"].unique()
    en, es = [], []
    for name in unknown:
        file, rows = engagement.locate("competences", np.flatnonzero((table["competence"] == name).to_numpy()))
        where = f'{file}, sheet "competences", rows {list_known(rows.tolist(), 8)}, column "competence"'
        donde = f'{file}, hoja "competences", filas {list_known(rows.tolist(), 8)}, columna "competence"'
        en.append(
            f"{where}: unknown competence {name!r}; allowed: {list_known(known, 20)}, or a new one declared under "
            "competences in the assignment settings"
        )
        es.append(
            f"{donde}: competencia desconocida {name!r}; se admite: {list_known(known, 20)}, o una nueva declarada "
            "en competences de los ajustes de asignación"
        )
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _check_assessments(competences: pd.DataFrame, kam_ids: list[str], competence_ids: list[str]) -> None:
    """Raise one `KamError` with a line per unknown KAM, unknown competence, bad side or score outside 1–5."""
    missing = [c for c in ("kam_id", "competence", "score") if c not in competences]
    if missing:
        raise KamError(
            f"competences: missing column {', '.join(missing)}; required: kam_id, competence, score",
            f"competences: falta la columna {', '.join(missing)}; obligatorias: kam_id, competence, score",
        )
    en, es = [], []
    kams = competences["kam_id"]
    for kam in kams[~kams.isin(kam_ids)].unique():
        en.append(f"competences: unknown KAM {kam!r}; known: {list_known(kam_ids)}")
        es.append(f"competences: no existe el KAM {kam!r}; existentes: {list_known(kam_ids)}")
    names = competences["competence"]
    known = list_known(competence_ids, 20)
    for name in names[~names.isin(competence_ids)].unique():
        who = list_known(kams[names == name].unique(), 6)
        en.append(
            f"competences: unknown competence {name!r} (rated for {who}); known: {known}; a new competence needs a "
            "label under competences in the assignment settings"
        )
        es.append(
            f"competences: competencia desconocida {name!r} (evaluada en {who}); existentes: {known}; una "
            "competencia nueva necesita su nombre en competences de los ajustes de asignación"
        )
    scores = pd.to_numeric(competences["score"], errors="coerce")
    bad = competences[~scores.between(SCALE_MIN, SCALE_MAX)]
    for r in bad[["kam_id", "competence", "score"]].itertuples(index=False):
        got = show_value(r.score)
        en.append(f"competences: KAM {r.kam_id}, {r.competence}: got {got}; allowed: {SCALE_MIN:g} to {SCALE_MAX:g}")
        es.append(
            f"competences: KAM {r.kam_id}, {r.competence}: valor {show_value(r.score, 'es')}; se admite: de "
            f"{SCALE_MIN:g} a {SCALE_MAX:g}"
        )
    sides = _sides(competences)
    for side in sides[~sides.isin(SIDES)].unique():
        en.append(f"competences: side {side!r}; allowed: {', '.join(SIDES)}")
        es.append(f"competences: side {side!r}; se admite: {', '.join(SIDES)}")
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _gap_findings(table: pd.DataFrame, settings: AssignmentSettings) -> pd.DataFrame:
    """A finding per KAM and competence where the customer's view differs from ours by `big_gap` points or more."""
    big = table[table["gap"].abs() >= settings.big_gap].sort_values("gap", key=np.abs, ascending=False)
    rows = []
    for r in big.itertuples(index=False):
        words = {lang: settings.label(r.competence, lang) for lang in ("en", "es")}
        n = {lang: {k: level_text(getattr(r, k), lang) for k in ("customer", "supplier")} for lang in ("en", "es")}
        gap = {lang: ("+" if r.gap > 0 else "") + level_text(r.gap, lang) for lang in ("en", "es")}
        rows.append(
            {
                "kind": "customer_gap",
                "kam_id": r.kam_id,
                "competence": r.competence,
                "value": r.gap,
                "limit": settings.big_gap,
                "message_en": f"{r.kam_id}, {words['en']}: the customer rates {n['en']['customer']}, we rate "
                f"{n['en']['supplier']} (customer − supplier: {gap['en']}); the role must be seen as beneficial by "
                "both sides.",
                "message_es": f"{r.kam_id}, {words['es']}: el cliente puntúa {n['es']['customer']}, nosotros "
                f"{n['es']['supplier']} (cliente − proveedor: {gap['es']}); "
                "el papel debe percibirse como beneficioso por ambas partes.",
            }
        )
    columns = ["kind", "kam_id", "competence", "value", "limit", "message_en", "message_es"]
    return pd.DataFrame(rows, columns=columns)


# --- what each account needs ------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountNeeds:
    """What each account needs, as arrays in account order × `settings.competence_ids()`."""

    importance: np.ndarray
    """(A, C) importance 0–3 (the mean of the quadrants' for an account with no quadrant)."""
    minimum: np.ndarray
    """(A, C) minimum level 1–5 to cover the account, NaN = none."""
    effort: np.ndarray
    """(A,) hours the account takes over the span of `kams.capacity_hours`."""


def account_needs(
    account_ids: Sequence[str], quadrants: Sequence[object], settings: AssignmentSettings | None = None
) -> AccountNeeds:
    """Derive each account's competence importance, minimum levels and effort from its quadrant and the settings.

    A quadrant that is missing (an account left out of the matrix) gets the mean of the four quadrants' importance
    and effort. A per-account requirement sets that competence's minimum level and makes it essential (3). Raise
    `KamError` if `account_requirements` names an account that is not in `account_ids`.
    """
    settings = settings or AssignmentSettings()
    account_ids = list(account_ids)
    unknown = [a for a in settings.account_requirements if a not in account_ids]
    if unknown:
        names, known = ", ".join(repr(a) for a in unknown), list_known(account_ids)
        raise KamError(
            f"assignment settings, account_requirements: unknown account {names}; known: {known}",
            f"ajustes de asignación, account_requirements: no existe la cuenta {names}; existentes: {known}",
        )
    by_quadrant = settings.importance_matrix()
    codes = pd.Categorical(pd.Series(quadrants, dtype=object), categories=QUADRANTS).codes
    table = np.vstack([by_quadrant, by_quadrant.mean(axis=0)])  # code -1 (no quadrant) picks the last row: the mean
    importance = table[codes]
    efforts = settings.effort_vector()
    effort = np.append(efforts, efforts.mean())[codes]
    minimum = settings.required_levels(importance)
    position = {a: i for i, a in enumerate(account_ids)}
    column = {c: j for j, c in enumerate(settings.competence_ids())}
    for account, row in settings.account_requirements.items():
        for competence, level in row.items():
            importance[position[account], column[competence]] = IMPORTANCE_MAX
            minimum[position[account], column[competence]] = level
    return AccountNeeds(importance, minimum, effort)


def requirement_text(minimum: np.ndarray, settings: AssignmentSettings, lang: str) -> str:
    """Name the minimum levels of one account (a (C,) row), e.g. "Empathy ≥ 4, Drive to improve ≥ 3"."""
    ids = settings.competence_ids()
    return ", ".join(
        f"{settings.label(ids[j], lang)} ≥ {level_text(minimum[j], lang)}" for j in np.flatnonzero(~np.isnan(minimum))
    )


def level_text(level: float, lang: str) -> str:
    """Write a level on the 1–5 scale for people: 4, 3.5 (3,5 in Spanish)."""
    return number_text(level, lang, 0 if float(level).is_integer() else 1)
