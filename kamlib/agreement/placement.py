"""Whose quadrant depends on who is asked: each account placed as each assessor sees it, beside the group.

The group's place is scoring's (`kamlib.scoring`): every cell at the mean of its scores, the engagement's weights
(or those given), the cut lines. An assessor's place of an account (ours; METHOD.md is silent) takes that
assessor's own score on every cell of the account they scored (the mean of their rows there, if they wrote
several) and the group's score on the others, with the same weights and the same cut lines: so it moves the
account only as far as that person's judgement differs from the group's, on what they actually judged, and the
account keeps the same scored criteria (no axis is emptied by someone who scored only one criterion). Cut lines
given as "median" are the median of the group's placement and stay put for every assessor: an assessor moves
accounts, not the lines. Anonymous scores (no assessor) count in the group's mean but are nobody's place.

Per account: the group's composites and quadrant; each assessor who scored it, their composites and quadrant; the
*cross*, the extent of each axis over the assessors' places and the group's (so it always passes through the
group's point; with every score named and one per assessor and cell, the assessors' deviations from the mean sum to
zero and the group lies within their extent anyway); the quadrants reached; `depends_on_assessor` when they are
more than one. An account the group cannot place (no weighted score on an axis) is no one's to place either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.agreement.cells import current_scores
from kamlib.engagement import Engagement
from kamlib.errors import check_accounts
from kamlib.method import AXES, QUADRANTS
from kamlib.scoring import (
    CutSpec,
    SegmentWeights,
    axis_codes,
    axis_composites,
    classify,
    normalise,
    resolve_cuts,
    scales,
    score_matrix,
    weight_vector,
)

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "account_id",
    "name",
    "potential",
    "position",
    "quadrant",
    "placed",
    "n_assessors",
    "potential_min",
    "potential_max",
    "position_min",
    "position_max",
    "quadrants",
    "depends_on_assessor",
)
"""The columns of `Placements.accounts`."""
ASSESSOR_COLUMNS: tuple[str, ...] = (
    "account_id",
    "assessor",
    "own_scores",
    "potential",
    "position",
    "quadrant",
    "moved",
)
"""The columns of `Placements.assessors`."""

_QUADRANT_OF = np.array([*QUADRANTS, None], dtype=object)
"""A quadrant code (index into `QUADRANTS`, -1 unplaced) → its id (None)."""
_REACHED = [tuple(q for i, q in enumerate(QUADRANTS) if mask >> i & 1) for mask in range(1 << len(QUADRANTS))]
"""A bit mask of quadrant codes → the tuple of quadrant ids it holds, in `QUADRANTS` order."""


@dataclass(frozen=True)
class Placements:
    """The matrix as the group places each account and as each assessor would (the module's rule)."""

    accounts: pd.DataFrame
    """One row per account, in the workbook's order (`ACCOUNT_COLUMNS`): the group's composites and quadrant,
    n_assessors (who scored it by name), the cross (`potential_min` … `position_max`), `quadrants` reached (a tuple
    in `QUADRANTS` order) and `depends_on_assessor`."""
    assessors: pd.DataFrame
    """One row per account × assessor who scored it by name (`ASSESSOR_COLUMNS`): own_scores (cells where their
    score replaced the group's), their composites and quadrant, `moved` (placed, and not in the group's quadrant)."""
    cuts: Mapping[str, float]
    """The cut lines used, per axis (0–10)."""


def assessor_tables(
    rows: pd.DataFrame, assessors: pd.Index, account_ids: pd.Index, criterion_ids: pd.Index
) -> np.ndarray:
    """Return each assessor's raw scores as an assessors × accounts × criteria array, NaN where they gave none.

    `rows` are scores already chosen (`current_scores`) with named assessors; several rows of one assessor on a
    cell are averaged.
    """
    n_a, n_acc, n_crit = len(assessors), len(account_ids), len(criterion_ids)
    flat = (
        assessors.get_indexer(rows["assessor"]) * (n_acc * n_crit)
        + account_ids.get_indexer(rows["account_id"]) * n_crit
        + criterion_ids.get_indexer(rows["criterion_id"])
    )
    size = n_a * n_acc * n_crit
    total = np.bincount(flat, weights=rows["score"].to_numpy(dtype=float), minlength=size)
    count = np.bincount(flat, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan).reshape(n_a, n_acc, n_crit)


def place_by_assessor(
    engagement: Engagement,
    weights: Mapping[str, float] | None = None,
    cuts: Mapping[str, CutSpec] | None = None,
    period: str | None = None,
    scores: pd.DataFrame | None = None,
    segment_weights: SegmentWeights | None = None,
) -> Placements:
    """Place every account as the group does and as each of its assessors would (the module's rule).

    `weights`, `cuts` and `segment_weights` as `kamlib.scoring.score_accounts` takes them (a scenario's:
    `scenario.weights`, `scenario.cuts.model_dump()`, `scenario.segment_weights`); the scores used per cell are
    scoring's (the latest period, or as of `period`). `scores` replaces the engagement's (a workshop round's sheet:
    same columns); its accounts and criteria must be the engagement's, else `KamError`.
    """
    criteria = engagement.criteria
    # each account's scores lie in its segment's scale (the workbook's rule, checked when it was read; the room asks
    # one scale per criterion): the envelope of the segments' scales only keeps out what no account may score
    envelope = engagement.segments.envelope(criteria)
    rows = current_scores(engagement.scores if scores is None else scores, envelope, period)
    account_ids = pd.Index(engagement.accounts["account_id"])
    criterion_ids = pd.Index(criteria["criterion_id"])
    check_accounts(pd.unique(rows["account_id"]), account_ids)
    w = weight_vector(engagement, weights, segment_weights)
    codes_of_axis = axis_codes(engagement)
    scale = scales(engagement)  # per criterion, or per account and criterion (its segment's)
    group = score_matrix(rows, account_ids, criterion_ids, "account_id")
    group_xy = axis_composites(normalise(group, *scale), w, codes_of_axis)
    cut_values = resolve_cuts(cuts, group_xy)
    group_q = classify(group_xy, cut_values)

    named = rows[rows["assessor"].notna()]
    assessors = pd.Index(sorted(pd.unique(named["assessor"])))
    own = assessor_tables(named, assessors, account_ids, criterion_ids)
    n_a, n_acc, n_crit = own.shape
    seen = np.where(np.isnan(own), group[np.newaxis], own).reshape(n_a * n_acc, n_crit)
    each = [np.tile(a, (n_a, 1)) if np.ndim(a) == 2 else a for a in (*scale, w)]  # one row per assessor and account
    xy = axis_composites(normalise(seen, *each[:3]), each[3], codes_of_axis)
    q = classify(xy, cut_values).reshape(n_a, n_acc)
    xy = xy.reshape(n_a, n_acc, len(AXES))
    scored = (~np.isnan(own)).sum(axis=2)  # assessors × accounts: cells where their own score counts
    present = scored > 0

    cross = np.concatenate([np.where(present[..., np.newaxis], xy, np.nan), group_xy[np.newaxis]])
    low, high = np.fmin.reduce(cross, axis=0), np.fmax.reduce(cross, axis=0)
    bits = np.where(present & (q >= 0), np.left_shift(1, np.maximum(q, 0)), 0)
    mask = np.bitwise_or.reduce(bits, axis=0) | np.where(group_q >= 0, np.left_shift(1, np.maximum(group_q, 0)), 0)
    reached = [_REACHED[m] for m in mask]

    accounts = pd.DataFrame(
        {
            "account_id": account_ids.to_numpy(dtype=object),
            "name": engagement.accounts["name"].to_numpy(dtype=object),
            "potential": group_xy[:, 0],
            "position": group_xy[:, 1],
            "quadrant": _QUADRANT_OF[group_q],
            "placed": group_q >= 0,
            "n_assessors": present.sum(axis=0).astype(np.int64),
            "potential_min": low[:, 0],
            "potential_max": high[:, 0],
            "position_min": low[:, 1],
            "position_max": high[:, 1],
            "quadrants": reached,
            "depends_on_assessor": np.array([len(r) > 1 for r in reached], dtype=bool),
        }
    )
    account_at, assessor_at = np.nonzero(present.T)  # by account, then assessor
    mine = q[assessor_at, account_at]
    pairs = pd.DataFrame(
        {
            "account_id": account_ids.to_numpy(dtype=object)[account_at],
            "assessor": assessors.to_numpy(dtype=object)[assessor_at],
            "own_scores": scored[assessor_at, account_at].astype(np.int64),
            "potential": xy[assessor_at, account_at, 0],
            "position": xy[assessor_at, account_at, 1],
            "quadrant": _QUADRANT_OF[mine],
            "moved": (mine >= 0) & (mine != group_q[account_at]),
        }
    )
    return Placements(accounts, pairs, {axis: float(v) for axis, v in zip(AXES, cut_values, strict=True)})
