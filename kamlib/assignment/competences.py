"""The KAM competence model at work: each KAM's levels from the assessments, and what each account needs.

METHOD.md §3–4: assess each KAM's capabilities objectively (several assessors averaged; the customer's view beside
the supplier's) and derive from each account's strategy the competences it needs, their minimum levels and the
effort it takes. The defaults (the eight competences, the importance table, minimum levels, effort, change costs)
and the settings file are `kamlib.assignment.settings`, whose names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.assignment.settings import (
    BIG_GAP,
    COMPETENCE_LABELS,
    COMPETENCES,
    DEFAULT_CHANGE_COST,
    DEFAULT_EFFORT_HOURS,
    DEFAULT_IMPORTANCE,
    DEFAULT_MAX_CHANGES,
    DEFAULT_REQUIRED_LEVEL,
    IMPORTANCE_MAX,
    SCALE_LABELS,
    SCALE_MAX,
    SCALE_MIN,
    AssignmentSettings,
    CapacityMode,
    CompetenceLabel,
    Pair,
    load_assignment_settings,
    save_assignment_settings,
)
from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known, show_value
from kamlib.i18n import number_text, signed_text
from kamlib.method import QUADRANTS
from kamlib.workbook.sheets import SIDES

__all__ = [
    "BIG_GAP",
    "COMPETENCES",
    "COMPETENCE_LABELS",
    "DEFAULT_CHANGE_COST",
    "DEFAULT_EFFORT_HOURS",
    "DEFAULT_IMPORTANCE",
    "DEFAULT_MAX_CHANGES",
    "DEFAULT_REQUIRED_LEVEL",
    "IMPORTANCE_MAX",
    "SCALE_LABELS",
    "SCALE_MAX",
    "SCALE_MIN",
    "AccountNeeds",
    "AssignmentSettings",
    "CapacityMode",
    "CompetenceLabel",
    "CompetenceLevels",
    "Pair",
    "account_needs",
    "check_competence_names",
    "competence_levels",
    "level_text",
    "load_assignment_settings",
    "requirement_text",
    "save_assignment_settings",
]

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
        gap = {lang: signed_text(r.gap, lang) for lang in ("en", "es")}  # a true minus: −2.5
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
