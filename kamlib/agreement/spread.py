"""How far apart a team's scores are on each cell (one account × one criterion), in the criterion's own points.

Scores are a team's judgement; scoring averages the assessors of a cell (`kamlib.scoring`), and this module shows
what the average hides. Per cell, over the scores that make its score (`kamlib.agreement.cells.current_scores`):

- n_scores, mean, median, min, max, range = max − min, and std, the *population* standard deviation (divided by
  n, not n − 1): the scores are the whole team that judged the cell, not a sample drawn to estimate some wider
  set of assessors, and so one score has std 0, as it has range 0 (the sample std would be undefined).
- `disagreement`: the range is greater than the cell's threshold (on it: not flagged).
- `outliers`: with at least three scores, the assessors farther from the cell's median than the threshold,
  farthest first (None for an anonymous one). With two scores the median is their midpoint, both are equally far
  from it and neither is nearer the group than the other, so a pair has no outlier: its `disagreement` says it.

The threshold is in the criterion's own points. Default (ours; METHOD.md is silent): a quarter of the scale's
width (`DISAGREEMENT_SHARE`): 2.25 points on 1–10, 1 on 1–5, 25 on 0–100, 5 on 0–20; so on 1–10 a gap of 3 is
flagged and one of 2 is not, on 1–5 two steps are and one is not. That is where the usual limit of interrater
agreement falls for two assessors: rwg = 1 − s²/σ²ᵤ below 0.70 (James, Demaree & Wolf 1984, "Estimating
within-group interrater reliability with and without response bias", J. Appl. Psychol. 69(1); the 0.70
convention: LeBreton & Senter 2008, Organ. Res. Methods 11(4)), s² the pair's variance, σ²ᵤ that of a uniform
answer; on a 1–10 or 1–5 scale it flags exactly the same whole-point gaps, on a continuous scale its limit is
22.4 % of the width. A number given instead applies to every criterion, a mapping to the criteria it names.
Distances and ranges are compared rounded to `kamlib.scoring.DECIMALS`, so 3.7 − 1 is on a 2.7 line, not past it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kamlib.agreement.cells import check_criteria, check_points, current_scores
from kamlib.errors import KamError, list_known
from kamlib.i18n import check_lang, percent_text
from kamlib.scoring import DECIMALS

if TYPE_CHECKING:
    from kamlib.engagement import Engagement

DISAGREEMENT_SHARE = 0.25
"""The default threshold, as a share of each criterion's scale width (scale_max − scale_min)."""
OUTLIER_MIN_SCORES = 3
"""A cell needs at least this many scores to have outliers (a pair's two scores are equally far from its median)."""

Threshold = float | Mapping[str, float] | None
"""A disagreement threshold in scale points: one number for every criterion, a mapping criterion_id → points
(the default for the others), or None for the default (`DISAGREEMENT_SHARE` of each scale's width)."""

SPREAD_COLUMNS: tuple[str, ...] = (
    "criterion_id",
    "axis",
    "period",
    "n_scores",
    "anonymous",
    "mean",
    "median",
    "min",
    "max",
    "range",
    "range_share",
    "std",
    "threshold",
    "disagreement",
    "outliers",
)
"""The columns of `cell_spread` after the id column; `axis` only when the criteria have one."""


def disagreement_thresholds(
    criteria: pd.DataFrame, threshold: Threshold = None, share: float = DISAGREEMENT_SHARE
) -> pd.Series:
    """Return each criterion's threshold in its own points (indexed by criterion_id, in the criteria's order).

    None: `share` of its scale's width; a number: that many points on every criterion; a mapping: its points on
    the criteria it names (each must be one of them), `share` of the width on the others. Every number must be
    finite and ≥ 0, else `KamError`.
    """
    criteria = check_criteria(criteria)
    share = check_points(share, "threshold share {value}", "la proporción del umbral {value}")
    width = (criteria["scale_max"] - criteria["scale_min"]).to_numpy(dtype=float)
    out = pd.Series(np.round(share * width, DECIMALS), index=pd.Index(criteria["criterion_id"], name="criterion_id"))
    if threshold is None:
        pass
    elif isinstance(threshold, Mapping):
        unknown = [c for c in threshold if c not in out.index]
        if unknown:
            known = list_known(out.index)
            raise KamError(
                f"unknown criterion {unknown[0]!r} in the thresholds; known: {known}",
                f"criterio desconocido {unknown[0]!r} en los umbrales; existentes: {known}",
            )
        for criterion, points in threshold.items():
            out[criterion] = check_points(
                points,
                f"threshold {{value}} of criterion {criterion!r}",
                f"el umbral {{value}} del criterio {criterion!r}",
            )
    else:
        out[:] = check_points(threshold, "threshold {value}", "el umbral {value}")
    return out.rename("threshold")


def cell_spread(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    threshold: Threshold = None,
    period: str | None = None,
    id_column: str = "account_id",
) -> pd.DataFrame:
    """Return the spread of every cell with at least one score: one row per `id_column` × criterion (`SPREAD_COLUMNS`).

    The scores are those scoring uses (latest period per cell, or as of `period`); the numbers are in the
    criterion's own points (`range_share` is the range as a share of the scale's width, to compare criteria); the
    rules are the module's. Rows in the order the ids first appear, then the criteria's order. No scores: no rows.
    """
    criteria = check_criteria(criteria)
    limits = disagreement_thresholds(criteria, threshold).to_numpy(dtype=float)
    rows = current_scores(scores, criteria, period, id_column)
    columns = [id_column, *(c for c in SPREAD_COLUMNS if c != "axis" or "axis" in criteria)]
    if not len(rows):
        return _empty(columns)
    ids = pd.Index(pd.unique(rows[id_column]))
    n_crit = len(criteria)
    crit = pd.Index(criteria["criterion_id"]).get_indexer(rows["criterion_id"])
    code = ids.get_indexer(rows[id_column]) * n_crit + crit
    order = np.lexsort((rows["score"].to_numpy(dtype=float), code))  # by cell, each cell's scores ascending
    code, score = code[order], rows["score"].to_numpy(dtype=float)[order]
    figures = spread_figures(code, score)
    at = figures["start"]
    c = code[at] % n_crit
    width = (criteria["scale_max"] - criteria["scale_min"]).to_numpy(dtype=float)[c]
    cells = pd.DataFrame(
        {
            id_column: ids.to_numpy(dtype=object)[code[at] // n_crit],
            "criterion_id": criteria["criterion_id"].to_numpy(dtype=object)[c],
            "axis": criteria["axis"].to_numpy(dtype=object)[c] if "axis" in criteria else None,
            "period": pd.Series(rows["period"].to_numpy(dtype=object)[order][at], dtype=object),
            "n_scores": figures["n"],
            "anonymous": np.add.reduceat(rows["assessor"].isna().to_numpy()[order], at).astype(np.int64),
            "mean": figures["mean"],
            "median": figures["median"],
            "min": figures["min"],
            "max": figures["max"],
            "range": figures["range"],
            "range_share": np.round(figures["range"] / width, DECIMALS),
            "std": figures["std"],
            "threshold": limits[c],
        }
    )
    cells["disagreement"] = figures["range"] > limits[c]
    cells["outliers"] = _outliers(figures, score, rows["assessor"].to_numpy(dtype=object)[order], limits[c])
    return cells[columns]


def engagement_spread(engagement: Engagement, threshold: Threshold = None, period: str | None = None) -> pd.DataFrame:
    """Return `cell_spread` of the engagement's own scores, each account's cells in its segment's points: with
    criteria per segment (`Engagement.segments`) a segment's scale sets its cells' threshold and range share. Rows
    in the order the accounts first appear in the scores, then the criteria's order."""
    groups = engagement.segments
    if groups.count == 1:
        return cell_spread(engagement.scores, engagement.criteria, threshold, period)
    disagreement_thresholds(engagement.criteria, threshold)  # an unknown criterion or a bad number is said once
    ids = engagement.accounts["account_id"].to_numpy(dtype=object)
    scores = engagement.scores
    parts = []
    for group in np.unique(groups.codes):
        criteria = engagement.criteria.assign(
            scale_min=groups.scale_min[group],
            scale_max=groups.scale_max[group],
            higher_is_better=groups.higher_is_better[group],
        )[groups.applies[group]]
        given = {c: p for c, p in threshold.items() if c in set(criteria["criterion_id"])} if isinstance(
            threshold, Mapping) else threshold  # fmt: skip
        mine = scores[scores["account_id"].isin(set(ids[groups.codes == group]))]
        parts.append(cell_spread(mine, criteria, given, period))
    out = pd.concat(parts, ignore_index=True)
    first = {a: i for i, a in enumerate(pd.unique(scores["account_id"]))}
    order = {c: i for i, c in enumerate(engagement.criteria["criterion_id"])}
    keys = np.lexsort((out["criterion_id"].map(order).to_numpy(), out["account_id"].map(first).to_numpy()))
    return out.iloc[keys].reset_index(drop=True)


def spread_figures(cell: np.ndarray, score: np.ndarray) -> dict[str, np.ndarray]:
    """Return each cell's figures from scores sorted by cell, then by score: the bare array function, no checks.

    Keys: start (each cell's first position), n, mean, median, min, max, range (rounded to `DECIMALS`), std
    (population), and distance (each score's distance from its cell's median, rounded), cell by cell.

    >>> figures = spread_figures(np.array([0, 0, 0, 1]), np.array([2.0, 5.0, 9.0, 4.0]))
    >>> figures["median"].tolist(), figures["range"].tolist(), figures["distance"].tolist()
    ([5.0, 4.0], [7.0, 0.0], [3.0, 0.0, 4.0, 0.0])
    """
    start = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    n = np.diff(np.r_[start, len(cell)])
    mean = np.add.reduceat(score, start) / n
    median = (score[start + (n - 1) // 2] + score[start + n // 2]) / 2.0
    std = np.sqrt(np.add.reduceat((score - np.repeat(mean, n)) ** 2, start) / n)
    low, high = score[start], score[start + n - 1]
    return {
        "start": start,
        "n": n.astype(np.int64),
        "mean": mean,
        "median": median,
        "min": low,
        "max": high,
        "range": np.round(high - low, DECIMALS),
        "std": std,
        "distance": np.round(np.abs(score - np.repeat(median, n)), DECIMALS),
    }


def _outliers(
    figures: dict[str, np.ndarray], score: np.ndarray, assessor: np.ndarray, limits: np.ndarray
) -> list[tuple[str | None, ...]]:
    """Each cell's outliers (the module's rule), farthest first, then by name; a name once, anonymous ones each."""
    n = figures["n"]
    out: list[tuple[str | None, ...]] = [()] * len(n)
    cell_of = np.repeat(np.arange(len(n)), n)
    far = (np.repeat(n, n) >= OUTLIER_MIN_SCORES) & (figures["distance"] > np.repeat(limits, n))
    if not far.any():
        return out
    named = pd.Series(assessor[far], dtype=object)  # object: None stays None
    found = pd.DataFrame({"cell": cell_of[far], "distance": figures["distance"][far], "assessor": named})
    found["anonymous"] = found["assessor"].isna()  # after the named ones at the same distance
    found = found.sort_values(["cell", "distance", "anonymous", "assessor"], ascending=[True, False, True, True])
    for cell, names in found.groupby("cell", sort=False)["assessor"]:
        out[int(cell)] = _once(names)
    return out


def _once(names: Iterable[str | None]) -> tuple[str | None, ...]:
    """The names in order, a name once; every None (an anonymous assessor) kept."""
    seen: set[str] = set()
    kept: list[str | None] = []
    for name in names:
        if name is None or name not in seen:
            kept.append(name)
        if name is not None:
            seen.add(name)
    return tuple(kept)


def _empty(columns: list[str]) -> pd.DataFrame:
    """A spread with no cells, its columns typed."""
    kinds = {
        "n_scores": np.int64,
        "anonymous": np.int64,
        "disagreement": bool,
        **dict.fromkeys(("mean", "median", "min", "max", "range", "range_share", "std", "threshold"), float),
    }
    return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in columns})


def rule_text(lang: str, share: float = DISAGREEMENT_SHARE) -> str:
    """The rule in one sentence for a client page: when a criterion counts as contested."""
    check_lang(lang)
    limit = percent_text(100.0 * share, lang, 0)
    if lang == "es":
        return f"Un criterio está en disputa cuando sus puntuaciones se separan más del {limit} de su escala."
    return f"A criterion is contested when its scores are more than {limit} of its scale apart."
