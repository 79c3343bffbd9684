"""The assignment solver: the fit of every KAM × account pair and the plan of highest total fit, as array functions
without checks (the hot path); `kamlib.assignment.proposal.assign` checks the inputs around them.

METHOD.md §3: assess each KAM's capabilities and give each account to the most suitable person for its
strategic role; where no one person has what an account needs, pool the competences of a KAM team.

**Fit** (0–100) of KAM k for account a, from the KAM's levels Lc (1–5, `competences.competence_levels`)
and the account's importance wc (0–3) and minimum levels Mc (`account_needs`):

    value_c = max(0, Lc − 1 − max(0, Mc − Lc)) / 4        # 0–1; each point short of the minimum costs one more
    fit     = 100 × Σ wc·value_c / Σ wc                    # over the competences assessed for the KAM

so each competence contributes 100·wc·value_c / Σ wc points and the contributions add up to the fit. A
competence nobody assessed for a KAM who has other assessments counts as the lowest level (no evidence: no
points, and it fails its minimum), so a KAM rated on one strong competence cannot outscore one rated on all; a
KAM with no assessment at all has an unknown fit, which counts as 0 in the plan and is not allowed when a
minimum fit is asked for.

**The plan** maximises the total fit, plus `continuity_bonus` points for each account that keeps its current KAM,
subject to capacity, fixed pairs (forced), forbidden pairs and `min_fit` (pairs below are not allowed). With
capacity in accounts (`kams.max_accounts`) it is an assignment problem, solved exactly by
`scipy.optimize.linear_sum_assignment` on a matrix with one column per place (each KAM repeated `max_accounts`
times, never more than the accounts it may take). With capacity in hours (each account's effort by its strategy
against `kams.capacity_hours`) it is solved by `scipy.optimize.milp` (HiGHS) to a zero gap. Accounts with the
same scores, allowed KAMs and effort are interchangeable, so the MILP counts how many of each such group go to
each KAM (an exact reformulation, much smaller than one binary per pair). Fits come from a few requirement
profiles, so accounts usually form few groups; the place matrix is then degenerate and slow for
`linear_sum_assignment`, and counts go to the grouped MILP too (`solve_counts`). Among plans of equal value, each
account keeps its current KAM where it can. If the best KAM of every account has room, that is the optimum and
no solver runs.

Capacity in plain numbers comes first: the total places or hours against what the accounts need, fixed pairs
against their KAM's capacity, accounts that only one KAM may take, and accounts that nobody may take (these
are left out of the plan and reported, with the reason); only then the solver runs, and if it still finds no
plan, a `KamError` names the constraints in force.

**Teams** of two or three KAMs, for accounts whose minimum levels no single allowed KAM meets, are proposed by
`kamlib.assignment.teams`; the reasons for each account, the findings and the tables for people are in
`kamlib.assignment.reasons`; `kamlib.assignment.proposal` brings them together. All of them build on this module,
which imports none of them.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from kamlib.assignment.competences import (
    SCALE_MAX,
    SCALE_MIN,
)

_MAX_SLOT_CELLS = 40_000_000
"""Above this many cells (accounts × places, 320 MB) the count problem goes to the grouped MILP instead."""
_GROUPS_FOR_MILP = 6
"""The count problem goes to the grouped MILP when the accounts form fewer than A / this many groups (measured
on 2,000 accounts × 50 KAMs: the two solvers take the same time near A / 6 groups)."""
TOLERANCE = 1e-9


# --- the array functions (no checks: the hot path) ------------------------------------------------


def fit_contributions(levels: np.ndarray, importance: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    """Return the points of fit each competence gives: (A, K, C) from levels (K, C), importance and minimum (A, C).

    Levels are 1–5 (NaN = not assessed), importance ≥ 0, minimum 1–5 (NaN = none). Summed over the
    competences they give the fit (0–100). A competence not assessed for a KAM who has other assessments counts
    as the lowest level (no evidence: 0 points, and it fails its minimum); a KAM with no assessment at all, or an
    account with no importance anywhere, has an unknown fit (NaN).

    >>> fit_contributions(np.array([[5.0, 1.0]]), np.array([[3.0, 1.0]]), np.array([[4.0, np.nan]])).tolist()
    [[[75.0, 0.0]]]
    """
    known = ~np.isnan(levels)
    level = np.where(known, levels, SCALE_MIN)[None, :, :]  # not assessed: no evidence, the lowest level
    floor = np.where(np.isnan(minimum), -np.inf, minimum)[:, None, :]
    value = np.maximum(0.0, level - SCALE_MIN - np.maximum(0.0, floor - level)) / (SCALE_MAX - SCALE_MIN)
    weight = np.broadcast_to(importance[:, None, :], value.shape)
    total = importance.sum(axis=1)[:, None, None]
    assessed = known.any(axis=1)[None, :, None]  # a KAM nobody assessed at all has an unknown fit
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(assessed & (total > 0), 100.0 * weight * value / total, np.nan)


def fit_matrix(levels: np.ndarray, importance: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    """Return the fit (0–100) of every account × KAM: (A, K); see `fit_contributions` for the shapes.

    >>> fit_matrix(np.array([[5.0, 1.0], [3.0, 5.0]]), np.array([[3.0, 1.0]]), np.array([[4.0, np.nan]])).round(1)
    array([[75. , 43.8]])
    """
    return fit_contributions(levels, importance, minimum).sum(axis=2)


class Solution(NamedTuple):
    """A solver's answer: each account's KAM (index), or None when no plan meets the constraints."""

    kam: np.ndarray | None
    status: str
    """`optimal`, `stopped` (the time limit ran out: the best plan found, or none) or `infeasible`."""
    gap: float
    """Relative gap between the plan and the best bound (0 when optimal)."""


def solve_counts(
    score: np.ndarray,
    slots: np.ndarray,
    allowed: np.ndarray,
    current: np.ndarray | None = None,
    bonus: float = 0.0,
    method: Literal["auto", "places", "groups"] = "auto",
) -> Solution:
    """Give each account (row) one KAM (column), at most `slots[k]` accounts per KAM, maximising the total score.

    `score` (A, K) in fit points; `slots` (K,) places per KAM (NaN: no limit); `allowed` (A, K) bool, at least one
    per row; `current` (A,) each account's KAM index (-1: none), whose pair earns `bonus` more. `places` solves it
    with `linear_sum_assignment` on the (A, Σ slots) place matrix; `groups` with the grouped MILP of
    `solve_hours` (one hour per account, slots as hours). Both are exact; `auto` takes groups when the accounts
    form fewer than A / `_GROUPS_FOR_MILP` groups of interchangeable ones (the place matrix is then degenerate
    and slow to solve: 1.6 s against 0.03 s for 2,000 accounts in 8 groups) or when the place matrix passes
    `_MAX_SLOT_CELLS`, places otherwise (0.1–0.2 s against 1–2.4 s when most accounts differ).
    """
    n_acc, n_kam = score.shape
    slots = np.minimum(np.nan_to_num(np.asarray(slots, dtype=float), nan=n_acc), allowed.sum(axis=0)).astype(int)
    best = _best_if_room(score, allowed, current, bonus, lambda kam: np.bincount(kam, minlength=n_kam) <= slots)
    if best is not None:
        return Solution(best, "optimal", 0.0)
    groups = _groups(score, allowed)
    if method == "auto":
        few = (groups.max() + 1) * _GROUPS_FOR_MILP <= n_acc
        method = "groups" if few or n_acc * slots.sum() > _MAX_SLOT_CELLS else "places"
    if method == "groups":
        return solve_hours(score, np.ones(n_acc), slots.astype(float), allowed, current, bonus)
    from scipy.optimize import linear_sum_assignment

    total = np.where(allowed, _with_bonus(score, current, bonus), -np.inf)
    total -= total.max(axis=1, keepdims=True)  # the same optimum; fewer ties for the solver to walk through
    place_kam = np.repeat(np.arange(n_kam), slots)
    try:
        rows, places = linear_sum_assignment(-total[:, place_kam])
    except ValueError:  # scipy: the cost matrix is infeasible
        return Solution(None, "infeasible", np.nan)
    if len(rows) < n_acc:
        return Solution(None, "infeasible", np.nan)
    kam = np.empty(n_acc, dtype=np.int64)
    kam[rows] = place_kam[places]
    return Solution(_prefer_current(kam, groups, current), "optimal", 0.0)


def solve_hours(
    score: np.ndarray,
    effort: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray,
    current: np.ndarray | None = None,
    bonus: float = 0.0,
    slots: np.ndarray | None = None,
    time_limit: float | None = None,
) -> Solution:
    """Give each account one KAM, the effort (hours, (A,)) of a KAM's accounts within `capacity` (hours, (K,)).

    Arguments as in `solve_counts`; `slots` (K,) adds a limit on the number of accounts. A mixed-integer program
    solved by `scipy.optimize.milp` (HiGHS) to a zero gap: y[g, k] = accounts of group g (same scores, allowed
    KAMs and effort) given to KAM k, and, with a bonus, z[g, k] ≤ y[g, k] those of them whose current KAM is k.
    """
    n_acc, n_kam = score.shape
    limit = np.full(n_kam, np.inf) if slots is None else np.nan_to_num(np.asarray(slots, float), nan=np.inf)

    def room(kam: np.ndarray) -> np.ndarray:
        hours = np.bincount(kam, weights=effort, minlength=n_kam)
        return (hours <= capacity * (1 + TOLERANCE) + TOLERANCE) & (np.bincount(kam, minlength=n_kam) <= limit)

    best = _best_if_room(score, allowed, current, bonus, room)
    if best is not None:
        return Solution(best, "optimal", 0.0)
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    groups = _groups(score, allowed, effort)
    first = np.unique(groups, return_index=True)[1]
    size = np.bincount(groups)
    n_groups = len(first)
    g, k = np.nonzero(allowed[first])
    n_y = len(g)
    y_of = np.full((n_groups, n_kam), -1)
    y_of[g, k] = np.arange(n_y)
    kept = np.zeros((n_groups, n_kam))
    if current is not None and bonus > 0:
        has = current >= 0
        np.add.at(kept, (groups[has], current[has]), 1.0)
    zg, zk = np.nonzero((kept > 0) & (y_of >= 0))
    n_z = len(zg)
    columns = np.arange(n_y)

    def rows(row: np.ndarray, values: np.ndarray, n_rows: int) -> csr_matrix:
        return csr_matrix((values, (row, columns)), shape=(n_rows, n_y + n_z))

    constraints = [
        LinearConstraint(rows(g, np.ones(n_y), n_groups), size, size),
        LinearConstraint(rows(k, effort[first][g], n_kam), -np.inf, capacity),
    ]
    if slots is not None:
        constraints.append(LinearConstraint(rows(k, np.ones(n_y), n_kam), -np.inf, limit))
    if n_z:
        link = csr_matrix(
            (
                np.r_[np.ones(n_z), -np.ones(n_z)],
                (np.tile(np.arange(n_z), 2), np.r_[n_y + np.arange(n_z), y_of[zg, zk]]),
            ),
            shape=(n_z, n_y + n_z),
        )
        constraints.append(LinearConstraint(link, -np.inf, 0.0))
    with _quiet_stdout():
        result = milp(
            -np.r_[score[first][g, k], np.full(n_z, bonus)],
            constraints=constraints,
            integrality=np.r_[np.ones(n_y), np.zeros(n_z)],
            bounds=Bounds(0.0, np.r_[size[g], kept[zg, zk]]),
            options={"mip_rel_gap": 0.0, **({"time_limit": time_limit} if time_limit else {})},
        )
    if result.x is None:
        return Solution(None, "infeasible" if result.status == 2 else "stopped", np.nan)
    count = np.zeros((n_groups, n_kam), dtype=np.int64)
    count[g, k] = np.round(result.x[:n_y]).astype(np.int64)
    kam = np.empty(n_acc, dtype=np.int64)
    kam[np.argsort(groups, kind="stable")] = np.repeat(np.tile(np.arange(n_kam), n_groups), count.ravel())
    gap = float(result.mip_gap or 0.0)
    return Solution(_prefer_current(kam, groups, current), "optimal" if result.status == 0 else "stopped", gap)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send the process's standard output (file descriptor 1) to nowhere while HiGHS runs: it may print a debug line
    there that no option silences (HiGHS issue 2783), which would land in the middle of a command's output."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _with_bonus(score: np.ndarray, current: np.ndarray | None, bonus: float) -> np.ndarray:
    """The score with `bonus` added to each account's current pair."""
    total = score.astype(np.float64, copy=True)
    if current is not None and bonus:
        has = np.flatnonzero(current >= 0)
        total[has, current[has]] += bonus
    return total


def _best_if_room(score, allowed, current, bonus, room) -> np.ndarray | None:
    """Each account's best allowed KAM (the current one among equals) if `room(kam)` holds for every KAM: then it
    is the optimum (no plan can do better than every account's best); else None."""
    total = np.where(allowed, _with_bonus(score, current, bonus), -np.inf)
    best = total.argmax(axis=1)
    if current is not None:
        rows = np.flatnonzero(current >= 0)
        tie = total[rows, current[rows]] >= total[rows, best[rows]]
        best[rows[tie]] = current[rows[tie]]
    return best if bool(np.all(room(best))) else None


def _groups(score: np.ndarray, allowed: np.ndarray, effort: np.ndarray | None = None) -> np.ndarray:
    """Label accounts that are interchangeable for the solver: the same scores, allowed KAMs (and effort)."""
    key = np.where(allowed, score, -np.inf)
    if effort is not None:
        key = np.column_stack([key, effort])
    return np.unique(key, axis=0, return_inverse=True)[1].ravel()


def _prefer_current(kam: np.ndarray, groups: np.ndarray, current: np.ndarray | None) -> np.ndarray:
    """Within each group of interchangeable accounts, give the same KAMs back so that most keep their current one."""
    if current is None:
        return kam
    out = kam.copy()
    order = np.argsort(groups, kind="stable")
    for members in np.split(order, np.flatnonzero(np.diff(groups[order])) + 1):
        if len(members) < 2 or np.array_equal(out[members], current[members]):
            continue
        pool = Counter(out[members].tolist())
        rest = []
        for m in members.tolist():
            if pool[current[m]] > 0:
                out[m] = current[m]
                pool[current[m]] -= 1
            else:
                rest.append(m)
        out[rest] = list(pool.elements())
    return out


NO_PLAN = ("unknown", "infeasible")
"""Statuses of an assignment without a plan: the current KAMs stay."""


CAPACITY_WORDS = {
    "accounts": {"en": "capacity: max_accounts", "es": "capacidad: max_accounts"},
    "hours": {"en": "capacity: hours by strategy", "es": "capacidad: horas según estrategia"},
    "both": {"en": "capacity: max_accounts and hours", "es": "capacidad: max_accounts y horas"},
    "none": {"en": "no capacity limit", "es": "sin límite de capacidad"},
}
"""The capacity applied (`Assignment.capacity`) in words, for the headline and for `KamError`s."""


def kam_names(kams: pd.DataFrame) -> dict[str, str]:
    """KAM id → its name for people (the id when the name is empty)."""
    names = kams["name"].where(kams["name"].notna() & (kams["name"].astype(str) != ""), kams["kam_id"])
    return dict(zip(kams["kam_id"], names.astype(str), strict=True))
