"""The scores that count on each cell (one account × one criterion): checked, of the period scoring uses, each with
its assessor or none.

Which rows count is scoring's rule, not a second copy of it: per cell the latest period (natural order, undated
rows older than any dated one), or with `period` the latest up to and including it (`kamlib.scoring.score_matrix`).
`current_scores` asks `score_matrix` itself: fed each row's period code in place of its score, it returns per cell
the code of the period it averages (every row it averages has that period, so their mean is that code), and the
rows whose code matches are exactly the rows scoring averages into the cell's score.

Assessors (METHOD.md is silent; ours): a name is stripped of spaces; an empty one is anonymous (None). Every row is
one score, as scoring counts it: two anonymous rows on a cell are two people (a workbook without the `assessor`
column holds a team's scores that way), and a name twice on a cell counts twice, as it weighs twice in scoring's
mean. An empty score is no score (the `scores` sheet's rule), so its row is dropped first.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real

import numpy as np
import pandas as pd

from kamlib.errors import KamError, list_known, show_value
from kamlib.scoring import score_matrix
from kamlib.workbook.sheets import CRITERIA

CELL_KEYS = ("criterion_id",)
"""A cell's key after the row's id column (`account_id`, or `customer_id` for selection scores)."""
CURRENT_COLUMNS = ("criterion_id", "score", "assessor", "period")
"""The columns of `current_scores` after the id column."""
SCALE_COLUMNS = ("scale_min", "scale_max")
"""The criteria's scale, in their own points; absent or empty: the workbook's defaults (1 to 10)."""
MAX_PROBLEMS = 20
"""At most this many bad scores are named in one error (then how many more)."""


def check_criteria(criteria: pd.DataFrame) -> pd.DataFrame:
    """Return `criteria` with numeric `scale_min`/`scale_max` (the workbook's defaults where absent or empty).

    Raise `KamError` when `criterion_id` is missing, an id repeats, or a scale's minimum is not below its maximum.
    """
    if "criterion_id" not in criteria:
        raise KamError(
            "the criteria have no column 'criterion_id'",
            "los criterios no tienen la columna 'criterion_id'",
        )
    out = criteria.copy()
    out["criterion_id"] = out["criterion_id"].astype(object)
    for name in SCALE_COLUMNS:
        default = float(CRITERIA.column(name).default)
        given = out[name] if name in out else pd.Series(np.nan, index=out.index)
        out[name] = pd.to_numeric(given, errors="coerce").fillna(default).astype(float)
    repeated = out["criterion_id"][out["criterion_id"].duplicated()].tolist()
    if repeated:
        raise KamError(
            f"criterion {repeated[0]!r} appears twice in the criteria; allowed: each id once",
            f"el criterio {repeated[0]!r} aparece dos veces en los criterios; se admite: cada identificador una vez",
        )
    broken = out[out["scale_min"] >= out["scale_max"]]
    if len(broken):
        c = broken.iloc[0]
        raise KamError(
            f"criterion {c.criterion_id!r}: scale_min {c.scale_min:g} is not below scale_max {c.scale_max:g}",
            f"criterio {c.criterion_id!r}: scale_min {c.scale_min:g} no es menor que scale_max {c.scale_max:g}",
        )
    return out


def assessor_names(values: pd.Series) -> pd.Series:
    """Return each row's assessor: the name stripped of spaces, None when empty (anonymous)."""
    text = values.astype(object).where(values.notna(), None)
    named = [None if v is None else (str(v).strip() or None) for v in text]
    return pd.Series(named, index=values.index, dtype=object)


def period_labels(values: pd.Series) -> pd.Series:
    """Return each row's period label as text, None when undated (empty)."""
    text = values.astype(object).where(values.notna(), None)
    labels = [None if v is None else (str(v).strip() or None) for v in text]
    return pd.Series(labels, index=values.index, dtype=object)


def current_scores(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    period: str | None = None,
    id_column: str = "account_id",
) -> pd.DataFrame:
    """Return the rows that make each cell's score, checked: `id_column`, criterion_id, score, assessor, period.

    The rows scoring averages (the module's rule: the latest period per cell, or as of `period`), in the order
    given; assessor None = anonymous, period None = undated; rows with an empty score are left out. Raise
    `KamError` naming every problem at once: a missing column, a criterion not in `criteria`, a score that is not
    a number or lies outside its criterion's scale.
    """
    missing = [c for c in (id_column, "criterion_id", "score") if c not in scores]
    if missing:
        required = ", ".join((id_column, "criterion_id", "score"))
        raise KamError(
            f"the scores have no column {missing[0]!r}; required: {required} (assessor, period optional)",
            f"las puntuaciones no tienen la columna {missing[0]!r}; obligatorias: {required} (assessor y period, "
            "opcionales)",
        )
    criteria = check_criteria(criteria)
    criterion_ids = pd.Index(criteria["criterion_id"])
    given = scores["score"].astype(object).where(scores["score"].notna(), None)
    values = pd.to_numeric(scores["score"], errors="coerce").astype(float)
    kept = np.array([v is not None and not (isinstance(v, str) and not v.strip()) for v in given], dtype=bool)
    frame = pd.DataFrame(
        {
            id_column: scores[id_column].astype(object).to_numpy()[kept],
            "criterion_id": scores["criterion_id"].astype(object).to_numpy()[kept],
            "score": values.to_numpy()[kept],
            "assessor": _optional(scores, "assessor", assessor_names, kept),
            "period": _optional(scores, "period", period_labels, kept),
        }
    )
    _check_rows(frame, given.to_numpy()[kept], criteria, id_column)
    if not len(frame):
        return frame
    codes, _ = pd.factorize(frame["period"])  # one number per label, -1 undated
    probe = frame[[id_column, "criterion_id", "period"]].assign(score=codes.astype(float))
    row_ids = pd.Index(pd.unique(frame[id_column]))
    latest = score_matrix(probe, row_ids, criterion_ids, id_column, None if period is None else str(period))
    used = latest[row_ids.get_indexer(frame[id_column]), criterion_ids.get_indexer(frame["criterion_id"])]
    return frame[used == codes].reset_index(drop=True)


def _optional(
    scores: pd.DataFrame, column: str, clean: Callable[[pd.Series], pd.Series], kept: np.ndarray
) -> pd.Series:
    """An optional column's kept values, cleaned, None where empty or absent (object dtype, so None stays None)."""
    values = clean(scores[column]).to_numpy()[kept] if column in scores else np.full(int(kept.sum()), None)
    return pd.Series(values, dtype=object)


def _check_rows(frame: pd.DataFrame, given: np.ndarray, criteria: pd.DataFrame, id_column: str) -> None:
    """Raise one `KamError` naming every unknown criterion, non-number and score outside its scale."""
    en: list[str] = []
    es: list[str] = []
    known = criteria["criterion_id"]
    unknown = pd.unique(frame.loc[~frame["criterion_id"].isin(known), "criterion_id"])
    for c in unknown:
        en.append(f"unknown criterion {c!r} in the scores; known: {list_known(known)}")
        es.append(f"criterio desconocido {c!r} en las puntuaciones; existentes: {list_known(known)}")
    scale = criteria.set_index("criterion_id")[list(SCALE_COLUMNS)]
    low = frame["criterion_id"].map(scale["scale_min"]).to_numpy(dtype=float)
    high = frame["criterion_id"].map(scale["scale_max"]).to_numpy(dtype=float)
    score = frame["score"].to_numpy(dtype=float)
    not_number = ~np.isfinite(score)
    outside = ~not_number & ((score < low) | (score > high))  # NaN bounds (unknown criterion) compare False
    for i in np.flatnonzero(not_number | outside):
        where = f"{id_column} {frame[id_column].iat[i]!r}, criterion {frame['criterion_id'].iat[i]!r}"
        donde = f"{id_column} {frame[id_column].iat[i]!r}, criterio {frame['criterion_id'].iat[i]!r}"
        value = show_value(given[i] if not_number[i] else score[i])
        if not_number[i]:
            en.append(f"score of {where}: got {value}; allowed: a number")
            es.append(f"puntuación de {donde}: valor {value}; se admite: un número")
        else:
            en.append(f"score of {where}: got {value}; allowed: {low[i]:g} to {high[i]:g}")
            es.append(f"puntuación de {donde}: valor {value}; se admite: de {low[i]:g} a {high[i]:g}")
    if en:
        more = len(en) - MAX_PROBLEMS
        tail = ([f"… and {more} more"], [f"… y {more} más"]) if more > 0 else ([], [])
        raise KamError("\n".join(en[:MAX_PROBLEMS] + tail[0]), "\n".join(es[:MAX_PROBLEMS] + tail[1]))


def check_points(value: object, what: str, que: str) -> float:
    """Return `value` as a float if it is a finite number ≥ 0 (not a bool), else raise `KamError` naming it.

    `what` and `que` name it in English and Spanish, `{value}` standing for the value: "threshold {value} of
    criterion 'fit'", "el umbral {value} del criterio 'fit'".
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(float(value)) or value < 0:
        raise KamError(
            f"{what.format(value=show_value(value))} is not allowed; allowed: a number ≥ 0",
            f"{que.format(value=show_value(value, 'es'))} no se admite; se admite: un número ≥ 0",
        )
    return float(value)
