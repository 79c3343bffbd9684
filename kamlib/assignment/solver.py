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

**The plan** maximises the total fit minus the cost of each change of KAM (`change_cost` by the account's
quadrant, plus `continuity_bonus`: written as a bonus on each account's current pair), subject to capacity,
`max_changes` (the most accounts with a KAM now whose KAM may change, not counting those whose current KAM the
settings rule out), fixed pairs (forced), forbidden pairs and `min_fit` (pairs below are not allowed). A change
happens only if its gain in fit pays its cost, or if capacity forces it. With capacity in accounts only
(`kams.max_accounts`) and no limit on changes it is an assignment problem, solved exactly by
`scipy.optimize.linear_sum_assignment` on a matrix with one column per place (each KAM repeated `max_accounts`
times, never more than the accounts it may take). With capacity in hours (each account's effort against
`kams.capacity_hours`) or a limit on changes it is solved by `scipy.optimize.milp` (HiGHS) to a zero gap. Accounts
with the same scores, allowed KAMs, effort and change cost are interchangeable, so the MILP counts how many of each
such group go to each KAM (an exact reformulation, much smaller than one binary per pair). Fits come from a few
requirement profiles, so accounts usually form few groups; the place matrix is then degenerate and slow for
`linear_sum_assignment`, and counts go to the grouped MILP too (`solve_counts`). Among plans of equal value, each
account keeps its current KAM where it can. If the best KAM of every account has room (and the changes are within
the limit), that is the optimum and no solver runs.

**When no plan keeps every KAM within their hours** (the accounts need more than the team has, or the accounts
some KAMs alone may take need more than they have, or `max_changes` keeps an overloaded KAM's accounts), the
hours above capacity are made as small as they can be first (`least_overload`): each hour over a KAM's capacity
weighs 1 up to 5 % over, 2 up to 10 %, 4 up to 20 % and 8 beyond (`OVERLOAD_STEPS`, ours), so the overload is
spread rather than piled on one person; then the plan of highest value among those with that least overload is
solved (`solve_hours(..., overload_budget=)`). Both are exact.

Capacity in places comes first, in plain numbers: the total places against the accounts that need a KAM, fixed
pairs against their KAM's places, accounts that only one KAM may take, and accounts that nobody may take (these
are left out of the plan and reported, with the reason); only then the solver runs, and if it still finds no
plan, a `KamError` names the constraints in force. Hours never stop a plan: they are stretched as said above.

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


OVERLOAD_STEPS: tuple[tuple[float, float], ...] = ((0.05, 1.0), (0.10, 2.0), (0.20, 4.0), (np.inf, 8.0))
"""How much an hour above a KAM's capacity weighs, by how far over they are: (up to this share of their capacity
over, weight per hour). Rising weights spread the overload rather than pile it on one person (ours)."""


def overload_penalty(hours: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Weigh each KAM's hours above capacity by `OVERLOAD_STEPS`: what `least_overload` minimises, per KAM. A KAM
    with no hours at all (capacity 0) may not go over (infinite), one with no limit (inf) never does.

    >>> overload_penalty(np.array([90.0, 108.0, 130.0, 1.0]), np.array([100.0, 100.0, 100.0, 0.0])).tolist()
    [0.0, 11.0, 135.0, inf]
    """
    capacity = np.asarray(capacity, dtype=np.float64)
    limited = np.isfinite(capacity)
    room = np.where(limited, capacity, 0.0)
    over = np.where(limited, np.maximum(0.0, np.asarray(hours, dtype=np.float64) - room), 0.0)
    total = np.zeros_like(over)
    low = 0.0
    for high, weight in OVERLOAD_STEPS:
        width = np.full_like(room, np.inf) if np.isinf(high) else (high - low) * room
        total += weight * np.clip(over - low * room, 0.0, width)
        low = high
    return np.where(limited & (room <= 0) & (over > 0), np.inf, total)


def solve_counts(
    score: np.ndarray,
    slots: np.ndarray,
    allowed: np.ndarray,
    current: np.ndarray | None = None,
    bonus: float | np.ndarray = 0.0,
    method: Literal["auto", "places", "groups"] = "auto",
    max_changes: int | None = None,
) -> Solution:
    """Give each account (row) one KAM (column), at most `slots[k]` accounts per KAM, maximising the total score.

    `score` (A, K) in fit points; `slots` (K,) places per KAM (NaN: no limit); `allowed` (A, K) bool, at least one
    per row; `current` (A,) each account's KAM index (-1: none), whose pair earns `bonus` more (points, one for all
    or (A,) per account); `max_changes` caps the accounts whose current KAM is allowed and changes. `places`
    solves it with `linear_sum_assignment` on the (A, Σ slots) place matrix; `groups` with the grouped MILP of
    `solve_hours` (one hour per account, slots as hours). Both are exact; a limit on changes always takes groups;
    else `auto` takes groups when the accounts form fewer than A / `_GROUPS_FOR_MILP` groups of interchangeable
    ones (the place matrix is then degenerate and slow to solve: 1.6 s against 0.03 s for 2,000 accounts in 8
    groups) or when the place matrix passes `_MAX_SLOT_CELLS`, places otherwise (0.1–0.2 s against 1–2.4 s when
    most accounts differ).
    """
    n_acc, n_kam = score.shape
    bonus = _per_account(bonus, n_acc)
    slots = np.minimum(np.nan_to_num(np.asarray(slots, dtype=float), nan=n_acc), allowed.sum(axis=0)).astype(int)

    def room(kam: np.ndarray) -> np.ndarray:
        return np.bincount(kam, minlength=n_kam) <= slots

    best = _best_if_room(score, allowed, current, bonus, room, max_changes)
    if best is not None:
        return Solution(best, "optimal", 0.0)
    groups = _groups(score, allowed, None, bonus)
    if max_changes is not None:
        method = "groups"
    elif method == "auto":
        few = (groups.max() + 1) * _GROUPS_FOR_MILP <= n_acc
        method = "groups" if few or n_acc * slots.sum() > _MAX_SLOT_CELLS else "places"
    if method == "groups":
        return solve_hours(score, np.ones(n_acc), slots.astype(float), allowed, current, bonus, max_changes=max_changes)
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
    bonus: float | np.ndarray = 0.0,
    slots: np.ndarray | None = None,
    time_limit: float | None = None,
    max_changes: int | None = None,
    overload_budget: float | None = None,
) -> Solution:
    """Give each account one KAM, the effort (hours, (A,)) of a KAM's accounts within `capacity` (hours, (K,)).

    Arguments as in `solve_counts`; `slots` (K,) adds a limit on the number of accounts. With `overload_budget`
    (from `least_overload`), KAMs may go above capacity as long as their `overload_penalty` adds up to no more
    than it. A mixed-integer program solved by `scipy.optimize.milp` (HiGHS) to a zero gap: y[g, k] = accounts of
    group g (same scores, allowed KAMs, effort and bonus) given to KAM k, and, with a bonus or a limit on changes,
    z[g, k] ≤ y[g, k] those of them whose current KAM is k (whole numbers too: with a limit on changes HiGHS then
    proves the optimum of 2,000 accounts × 50 KAMs in about 2 s instead of stopping at the time limit).
    """
    n_acc, n_kam = score.shape
    bonus = _per_account(bonus, n_acc)
    limit = np.full(n_kam, np.inf) if slots is None else np.nan_to_num(np.asarray(slots, float), nan=np.inf)

    def room(kam: np.ndarray) -> np.ndarray:
        hours = np.bincount(kam, weights=effort, minlength=n_kam)
        return (hours <= capacity * (1 + TOLERANCE) + TOLERANCE) & (np.bincount(kam, minlength=n_kam) <= limit)

    best = _best_if_room(score, allowed, current, bonus, room, max_changes)
    if best is not None:
        return Solution(best, "optimal", 0.0)
    program = _Program(score, effort, capacity, allowed, current, bonus, slots, max_changes)
    result = program.solve("fit", time_limit, overload_budget)
    if result.x is None:
        return Solution(None, "infeasible" if result.status == 2 else "stopped", np.nan)
    kam = program.plan(result.x)
    gap = float(result.mip_gap or 0.0)
    return Solution(_prefer_current(kam, program.groups, current), "optimal" if result.status == 0 else "stopped", gap)


class Overload(NamedTuple):
    """`least_overload`'s answer: the least penalty and a plan that has it."""

    penalty: float
    """The least total `overload_penalty` (0: a plan keeps every KAM within capacity)."""
    kam: np.ndarray
    """A plan with that penalty (each account's KAM index), the fit not considered."""
    status: str
    """`optimal`, or `stopped` (the time limit ran out: the penalty is the best found, maybe not the least)."""


def least_overload(
    effort: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray,
    current: np.ndarray | None = None,
    slots: np.ndarray | None = None,
    time_limit: float | None = None,
    max_changes: int | None = None,
) -> Overload | None:
    """Find the least total `overload_penalty` any plan can have (0: one keeps every KAM within capacity), or None
    when no plan meets the other constraints (places, allowed pairs, `max_changes`) whatever the hours.

    Arguments as in `solve_hours`; the fit plays no part. The same grouped MILP, with the hours over each KAM's
    capacity as continuous variables in the steps of `OVERLOAD_STEPS`.
    """
    n_acc, n_kam = allowed.shape
    program = _Program(
        np.zeros((n_acc, n_kam)), effort, capacity, allowed, current, np.zeros(n_acc), slots, max_changes
    )
    result = program.solve("overload", time_limit, None)
    if result.x is None:
        return None
    kam = _prefer_current(program.plan(result.x), program.groups, current)
    return Overload(max(0.0, float(result.fun)), kam, "optimal" if result.status == 0 else "stopped")


class _Program:
    """The grouped MILP of `solve_hours` and `least_overload`: variables y (accounts of a group per KAM, integer),
    z (those of them kept by their current KAM) and o (hours over capacity per KAM and step of `OVERLOAD_STEPS`)."""

    def __init__(self, score, effort, capacity, allowed, current, bonus, slots, max_changes) -> None:
        n_acc, n_kam = score.shape
        self.n_acc, self.n_kam = n_acc, n_kam
        self.groups = groups = _groups(score, allowed, effort, bonus)
        first = np.unique(groups, return_index=True)[1]
        size = np.bincount(groups)
        self.n_groups = n_groups = len(first)
        self.g, self.k = g, k = np.nonzero(allowed[first])
        self.n_y = n_y = len(g)
        y_of = np.full((n_groups, n_kam), -1)
        y_of[g, k] = np.arange(n_y)
        kept = np.zeros((n_groups, n_kam))
        if current is not None and (bonus.any() or max_changes is not None):
            has = current >= 0
            np.add.at(kept, (groups[has], current[has]), 1.0)
        zg, zk = np.nonzero((kept > 0) & (y_of >= 0))
        n_z = len(zg)
        capacity = np.asarray(capacity, dtype=np.float64)
        finite = np.flatnonzero(np.isfinite(capacity))
        over_kam = np.repeat(finite, len(OVERLOAD_STEPS))  # an o variable per KAM with a limit × step
        over_step = np.tile(np.arange(len(OVERLOAD_STEPS)), len(finite))
        n_o = len(over_kam)
        n_var = n_y + n_z + n_o
        self.gain = np.r_[score[first][g, k], bonus[first][zg], np.zeros(n_o)]
        steps = np.array(OVERLOAD_STEPS)
        lows = np.r_[0.0, steps[:-1, 0]]
        share = (steps[:, 0] - lows)[over_step]  # the share of capacity each step spans (the last: no end)
        room = capacity[over_kam]
        width = np.zeros(len(room))
        width[room > 0] = share[room > 0] * room[room > 0]  # a KAM with no hours may go over by none
        self.weight = np.r_[np.zeros(n_y + n_z), steps[over_step, 1]]
        self.upper = np.r_[size[g], kept[zg, zk], width]
        self.integrality = np.r_[np.ones(n_y + n_z), np.zeros(n_o)]
        from scipy.optimize import LinearConstraint
        from scipy.sparse import csr_matrix

        def rows(row: np.ndarray, values: np.ndarray, n_rows: int) -> csr_matrix:
            return csr_matrix((values, (row, np.arange(n_y))), shape=(n_rows, n_var))

        hours = rows(k, effort[first][g], n_kam)
        self.hard = LinearConstraint(hours, -np.inf, capacity)
        over = csr_matrix((-np.ones(n_o), (over_kam, n_y + n_z + np.arange(n_o))), shape=(n_kam, n_var))
        self.soft = LinearConstraint(hours + over, -np.inf, capacity)
        self.fixed = [LinearConstraint(rows(g, np.ones(n_y), n_groups), size, size)]
        if slots is not None:
            limit = np.nan_to_num(np.asarray(slots, float), nan=np.inf)
            self.fixed.append(LinearConstraint(rows(k, np.ones(n_y), n_kam), -np.inf, limit))
        if n_z:
            link = csr_matrix(
                (
                    np.r_[np.ones(n_z), -np.ones(n_z)],
                    (np.tile(np.arange(n_z), 2), np.r_[n_y + np.arange(n_z), y_of[zg, zk]]),
                ),
                shape=(n_z, n_var),
            )
            self.fixed.append(LinearConstraint(link, -np.inf, 0.0))
        if max_changes is not None:
            keep = csr_matrix((np.ones(n_z), (np.zeros(n_z, int), n_y + np.arange(n_z))), shape=(1, n_var))
            self.fixed.append(LinearConstraint(keep, kept[zg, zk].sum() - max_changes, np.inf))

    def solve(self, goal: Literal["fit", "overload"], time_limit: float | None, budget: float | None):
        """Solve for the highest value (`fit`, within `budget` of overload, or within capacity if None) or the
        least overload; return scipy's `OptimizeResult`."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        constraints = list(self.fixed)
        if goal == "fit" and budget is None:
            constraints.append(self.hard)
            upper = np.where(self.weight > 0, 0.0, self.upper)
        else:
            constraints.append(self.soft)
            upper = self.upper
        if goal == "fit" and budget is not None:
            penalty = self.weight[None, :]
            constraints.append(LinearConstraint(penalty, -np.inf, budget * (1 + 1e-7) + 1e-6))
        cost = -self.gain if goal == "fit" else self.weight
        with _quiet_stdout():
            return milp(
                cost,
                constraints=constraints,
                integrality=self.integrality,
                bounds=Bounds(0.0, upper),
                options={"mip_rel_gap": 0.0, **({"time_limit": time_limit} if time_limit else {})},
            )

    def plan(self, x: np.ndarray) -> np.ndarray:
        """Each account's KAM from a solution's counts (in group order; `_prefer_current` then orders them)."""
        count = np.zeros((self.n_groups, self.n_kam), dtype=np.int64)
        count[self.g, self.k] = np.round(x[: self.n_y]).astype(np.int64)
        kam = np.empty(self.n_acc, dtype=np.int64)
        kam[np.argsort(self.groups, kind="stable")] = np.repeat(
            np.tile(np.arange(self.n_kam), self.n_groups), count.ravel()
        )
        return kam


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


def _per_account(bonus: float | np.ndarray, n_acc: int) -> np.ndarray:
    """The bonus as one value per account."""
    return np.broadcast_to(np.asarray(bonus, dtype=np.float64), (n_acc,)).copy()


def countable(current: np.ndarray | None, allowed: np.ndarray) -> np.ndarray:
    """Accounts whose change of KAM counts against `max_changes`: those with a current KAM that is allowed for them
    (a change the settings impose, or a first KAM, does not count)."""
    n_acc = allowed.shape[0]
    if current is None:
        return np.zeros(n_acc, bool)
    rows = np.arange(n_acc)
    return (current >= 0) & allowed[rows, np.maximum(current, 0)]


def _with_bonus(score: np.ndarray, current: np.ndarray | None, bonus: np.ndarray) -> np.ndarray:
    """The score with each account's bonus added to its current pair."""
    total = score.astype(np.float64, copy=True)
    if current is not None and bonus.any():
        has = np.flatnonzero(current >= 0)
        total[has, current[has]] += bonus[has]
    return total


def _best_if_room(score, allowed, current, bonus, room, max_changes=None) -> np.ndarray | None:
    """Each account's best allowed KAM (the current one among equals) if `room(kam)` holds for every KAM and the
    changes are within `max_changes`: then it is the optimum (no plan can do better than every account's best);
    else None."""
    total = np.where(allowed, _with_bonus(score, current, bonus), -np.inf)
    best = total.argmax(axis=1)
    if current is not None:
        rows = np.flatnonzero(current >= 0)
        tie = total[rows, current[rows]] >= total[rows, best[rows]]
        best[rows[tie]] = current[rows[tie]]
        if max_changes is not None and int((countable(current, allowed) & (best != current)).sum()) > max_changes:
            return None
    return best if bool(np.all(room(best))) else None


def _groups(
    score: np.ndarray, allowed: np.ndarray, effort: np.ndarray | None = None, bonus: np.ndarray | None = None
) -> np.ndarray:
    """Label accounts that are interchangeable for the solver: the same scores, allowed KAMs (effort and bonus)."""
    key = np.where(allowed, score, -np.inf)
    for column in (effort, bonus):
        if column is not None:
            key = np.column_stack([key, column])
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
