"""Assigning KAMs to accounts: the fit of every pair, the plan of highest total fit, and KAM teams.

METHOD.md §3: assess each KAM's capabilities and give each account to the most suitable person for its
strategic role; where no one person has what an account needs, pool the competences of a KAM team.

**Fit** (0–100) of KAM k for account a, from the KAM's levels Lc (1–5, `kamlib.competences.competence_levels`)
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
`kamlib.teams`; the reasons for each account, the findings and the tables for people are in
`kamlib.assignment_reasons`. Both build on this module, which imports them only inside `assign` and the
`Assignment` methods (never at import time), so the dependency runs one way.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from kamlib.competences import (
    SCALE_MAX,
    SCALE_MIN,
    AccountNeeds,
    AssignmentSettings,
    CompetenceLevels,
    account_needs,
    competence_levels,
)
from kamlib.errors import LANGS, KamError, list_known, number_text

_MAX_SLOT_CELLS = 40_000_000
"""Above this many cells (accounts × places, 320 MB) the count problem goes to the grouped MILP instead."""
_GROUPS_FOR_MILP = 6
"""The count problem goes to the grouped MILP when the accounts form fewer than A / this many groups (measured
on 2,000 accounts × 50 KAMs: the two solvers take the same time near A / 6 groups)."""
_TOLERANCE = 1e-9


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
        return (hours <= capacity * (1 + _TOLERANCE) + _TOLERANCE) & (np.bincount(kam, minlength=n_kam) <= limit)

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


# --- the result ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Assignment:
    """The plan, the fit of every pair with its explanation, the KAMs' load, KAM teams and the findings."""

    settings: AssignmentSettings
    capacity: str
    """The capacity applied: `accounts` (max_accounts), `hours` (capacity_hours), `both` or `none`."""
    plan: pd.DataFrame
    """One row per account: account_id, kam_id (planned; empty if no one can take it), current_kam_id, fit,
    fit_current, gain (fit − fit_current; an unknown fit counts 0), change (bool), status (kept, moved, new, fixed,
    unassignable, unknown), reason_es, reason_en, name, quadrant, effort_hours."""
    fit_table: pd.DataFrame
    """One row per account × KAM: account_id, kam_id, fit, allowed (bool), current (bool), planned (bool), then
    `contribution_<competence>`: the points of fit each competence gives (they add up to the fit)."""
    kams: pd.DataFrame
    """One row per KAM: kam_id, name, max_accounts, capacity_hours, accounts_current, accounts_planned,
    effort_planned (hours), use_planned (% of capacity_hours), fit_current, fit_planned (mean fit of its accounts)."""
    teams: pd.DataFrame
    """One row per account whose minimum levels no single allowed KAM meets: account_id, name, quadrant, needs_es,
    needs_en, members ("K01 + K04"; empty if no team of three covers them), size (0 if none), team_fit,
    message_es, message_en."""
    unassignable: pd.DataFrame
    """Accounts no KAM may take: account_id, name, current_kam_id, reason_es, reason_en."""
    levels: CompetenceLevels
    findings: pd.DataFrame
    """What deserves a look: kind, account_id, kam_id, competence, value, limit, message_en, message_es."""
    status: str
    """The solver's status: `optimal`, `stopped` (time limit: the plan is within `gap` of the optimum),
    `infeasible` (`assign(..., strict=False)` and no plan meets the constraints: see `problem`), or `unknown` (no
    fit known: no plan was computed)."""
    gap: float
    contributions: np.ndarray
    """(A, K, C) points of fit per account × KAM × competence (`fit_contributions`)."""
    needs: AccountNeeds
    problem: KamError | None = None
    """Why no plan meets the constraints, when `assign(..., strict=False)` found none (status `infeasible`)."""

    @property
    def total_fit(self) -> float:
        """Sum of the planned pairs' fit (an unknown fit counts 0)."""
        return float(np.nansum(self.plan["fit"]))

    @property
    def total_fit_current(self) -> float:
        """Sum of the current pairs' fit (no KAM or an unknown fit counts 0)."""
        return float(np.nansum(self.plan["fit_current"]))

    @property
    def gain(self) -> float:
        """Total fit of the plan minus that of the current assignment, in fit points."""
        return self.total_fit - self.total_fit_current

    def explain(self, account_id: str, kam_id: str, lang: str = "en") -> pd.DataFrame:
        """Tell which competences raise or lower the fit of `kam_id` for `account_id`, against what the account
        needs and against the other KAMs; one row per competence, the most favourable first.

        Columns: competence, label, importance, weight (% of the weight counted), level, required, met,
        contribution (points; they add up to the fit), others_mean (the mean contribution over the other KAMs
        of known fit), versus_others (the difference; they add up to fit − the others' mean fit), note (in
        `lang`). The fit and the others' mean fit are in `.attrs`.
        """
        from kamlib import assignment_reasons

        return assignment_reasons.explain(self, account_id, kam_id, lang)

    def summary(self, lang: str = "en") -> pd.DataFrame:
        """One row per KAM for people: places and hours, planned against now, mean fit; headers in `lang`."""
        from kamlib import assignment_reasons

        return assignment_reasons.summary(self, lang)

    def changes(self, lang: str = "en") -> pd.DataFrame:
        """The accounts that change KAM (or have none), for people: strategy, KAM now → planned by name, fit, why."""
        from kamlib import assignment_reasons

        return assignment_reasons.changes(self, lang)

    def team_table(self, lang: str = "en") -> pd.DataFrame:
        """The KAM teams proposed, for people: account, strategy, what no single KAM covers, the team, in words."""
        from kamlib import assignment_reasons

        return assignment_reasons.team_table(self, lang)

    def competence_table(self, lang: str = "en") -> pd.DataFrame:
        """Each KAM's level per competence (1–5) for people: KAMs by name down, competences across; where the
        customer rated too, the customer's view follows in brackets."""
        from kamlib import assignment_reasons

        return assignment_reasons.competence_table(self, lang)

    def account_html(self, account_id: str, lang: str = "en") -> str:
        """One account's KAM and fit as an HTML fragment for its report: its KAM now and their fit, the KAM the plan
        proposes and why, and the competences that raise or lower the fit. Names escaped; nothing loaded."""
        from kamlib import assignment_reasons

        return assignment_reasons.account_html(self, account_id, lang)

    def messages(self, lang: str = "en") -> list[str]:
        """The headline of the plan, then the findings, as sentences in `lang`."""
        from kamlib import assignment_reasons

        return assignment_reasons.messages(self, lang)


NO_PLAN = ("unknown", "infeasible")
"""Statuses of an assignment without a plan: the current KAMs stay."""


CAPACITY_WORDS = {
    "accounts": {"en": "capacity: max_accounts", "es": "capacidad: max_accounts"},
    "hours": {"en": "capacity: hours by strategy", "es": "capacidad: horas según estrategia"},
    "both": {"en": "capacity: max_accounts and hours", "es": "capacidad: max_accounts y horas"},
    "none": {"en": "no capacity limit", "es": "sin límite de capacidad"},
}
"""The capacity applied (`Assignment.capacity`) in words, for the headline and for `KamError`s."""


# --- the checked function --------------------------------------------------------------------------


def kam_names(kams: pd.DataFrame) -> dict[str, str]:
    """KAM id → its name for people (the id when the name is empty)."""
    names = kams["name"].where(kams["name"].notna() & (kams["name"].astype(str) != ""), kams["kam_id"])
    return dict(zip(kams["kam_id"], names.astype(str), strict=True))


def assign(
    scored: pd.DataFrame,
    kams: pd.DataFrame,
    competences: pd.DataFrame,
    settings: AssignmentSettings | None = None,
    strict: bool = True,
) -> Assignment:
    """Propose the KAM of each account (see the module's docstring): the plan of highest total fit under the settings.

    `scored` is `score_scenario`'s frame (account_id, name, kam_id = the current KAM, quadrant), `kams` the
    workbook's sheet (kam_id, name, capacity_hours, optional max_accounts), `competences` the assessments
    (kam_id, competence, score, assessor, side; may be empty: then no fit is known and the current KAMs stay).
    Raise `KamError` in plain words for unknown ids in the settings, fixed pairs that break a rule, capacity
    below what the accounts need, or constraints that no plan meets together; with `strict=False` (reports,
    dashboards) those last three give an `infeasible` result instead: the current KAMs, and the reason said.
    """
    settings = settings or AssignmentSettings()
    account_ids = scored["account_id"].tolist()
    kam_ids = kams["kam_id"].tolist()
    n_acc, n_kam = len(account_ids), len(kam_ids)
    levels = competence_levels(competences, kam_ids, settings)
    needs = account_needs(account_ids, scored["quadrant"], settings)
    contributions = fit_contributions(levels.levels, needs.importance, needs.minimum)
    fit = contributions.sum(axis=2)
    current = pd.Categorical(scored["kam_id"], categories=kam_ids).codes.astype(np.int64)
    fixed, forbidden = _pairs(settings, account_ids, kam_ids)
    mode = _capacity_mode(settings, kams)
    slots = _column(kams, "max_accounts") if mode in ("accounts", "both") else None
    hours = _column(kams, "capacity_hours") if mode in ("hours", "both") else None
    rows = np.arange(n_acc)

    below = ~(fit >= settings.min_fit) if settings.min_fit > 0 else np.zeros((n_acc, n_kam), bool)
    no_room = np.zeros((n_acc, n_kam), bool)
    if slots is not None:
        no_room |= (slots == 0)[None, :]
    if hours is not None:
        no_room |= needs.effort[:, None] > hours[None, :]
    allowed = ~(forbidden | below | no_room)
    is_fixed = fixed >= 0
    problem: KamError | None = None
    try:
        _check_fixed(fixed, slots, hours, needs.effort, account_ids, kam_ids)
    except KamError as exc:
        if strict:
            raise
        problem = exc
    allowed[is_fixed] = False
    allowed[rows[is_fixed], fixed[is_fixed]] = True
    takeable = allowed.any(axis=1)

    planned = np.where(current >= 0, current, -1)
    status, gap = "unknown", np.nan
    if np.isfinite(fit).any() and problem is None:
        try:
            _check_capacity(slots, hours, needs.effort, allowed, takeable, account_ids, kam_ids)
            solve_rows = np.flatnonzero(takeable)
            score = np.nan_to_num(fit[solve_rows], nan=0.0)
            args = (allowed[solve_rows], current[solve_rows], settings.continuity_bonus)
            if hours is None:
                count = np.full(n_kam, np.nan) if slots is None else slots
                solution = solve_counts(score, count, *args)
            else:
                solution = solve_hours(score, needs.effort[solve_rows], hours, *args, slots, settings.time_limit)
            if solution.kam is None:
                raise _no_plan(solution.status, mode, settings)
            planned = np.full(n_acc, -1)
            planned[solve_rows] = solution.kam
            status, gap = solution.status, solution.gap
        except KamError as exc:
            if strict:
                raise
            problem = exc
    if problem is not None:  # no plan meets the constraints: the current KAMs stay, and the reason is said
        status = "infeasible"

    # the words and the teams build on this module (they import it), so they are imported here, not at the top
    from kamlib.assignment_reasons import collect_findings, plan_with_reasons, unassignable_accounts
    from kamlib.teams import propose_teams

    why_not = {"forbidden": forbidden, "below": below, "no_room": no_room}
    nobody = ~takeable if status not in NO_PLAN else np.zeros(n_acc, bool)  # with no fit known, no plan: none left out
    unassignable = unassignable_accounts(scored, nobody, why_not, fit, kam_ids, settings, mode)
    plan = plan_with_reasons(
        scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status
    )
    plan["effort_hours"] = needs.effort
    reasons = unassignable.set_index("account_id")
    for lang in LANGS:
        lost = plan["account_id"].isin(reasons.index)
        plan.loc[lost, f"reason_{lang}"] = plan.loc[lost, "account_id"].map(reasons[f"reason_{lang}"])
    teams = propose_teams(scored, levels.levels, needs, forbidden, kam_ids, settings)
    findings = collect_findings(scored, kam_ids, levels, unassignable, teams, fixed, fit, settings, status, gap)
    return Assignment(
        settings=settings,
        capacity=mode,
        plan=plan,
        fit_table=_fit_table(account_ids, kam_ids, fit, allowed, current, planned, contributions, settings),
        kams=_kam_table(kams, fit, current, planned, needs.effort),
        teams=teams,
        unassignable=unassignable,
        levels=levels,
        findings=findings,
        status=status,
        gap=gap,
        contributions=contributions,
        needs=needs,
        problem=problem,
    )


def _column(kams: pd.DataFrame, name: str) -> np.ndarray:
    """A capacity column as floats; an empty cell (NaN) means no limit (infinite); a fraction of an account is
    no place, so max_accounts is rounded down (everywhere: the checks and the solver agree)."""
    values = np.nan_to_num(kams[name].to_numpy(dtype=np.float64), nan=np.inf)
    return np.floor(values) if name == "max_accounts" else values


def _capacity_mode(settings: AssignmentSettings, kams: pd.DataFrame) -> str:
    """The capacity applied: `auto` is accounts when any KAM has max_accounts, else hours."""
    has_counts = "max_accounts" in kams and bool(kams["max_accounts"].notna().any())
    mode = settings.capacity
    if mode == "auto":
        return "accounts" if has_counts else "hours"
    if mode in ("accounts", "both") and "max_accounts" not in kams:
        raise KamError(
            f"assignment settings, capacity: {mode} needs the column max_accounts in sheet kams; allowed: add it "
            "(empty = no limit for that KAM), or capacity: hours",
            f"ajustes de asignación, capacity: {mode} necesita la columna max_accounts en la hoja kams; se admite: "
            "añadirla (vacía = sin límite para ese KAM), o capacity: hours",
        )
    return mode


def _pairs(settings: AssignmentSettings, account_ids: list[str], kam_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Fixed pairs as each account's KAM index (-1: none) and forbidden pairs as an (A, K) mask; raise `KamError`
    for unknown ids, an account fixed to two KAMs or a pair both fixed and forbidden."""
    account_at = {a: i for i, a in enumerate(account_ids)}
    kam_at = {k: j for j, k in enumerate(kam_ids)}
    en, es = [], []
    for field in ("fixed", "forbidden"):
        for pair in getattr(settings, field):
            if pair.account_id not in account_at:
                known = list_known(account_ids)
                en.append(f"assignment settings, {field}: unknown account {pair.account_id!r}; known: {known}")
                es.append(
                    f"ajustes de asignación, {field}: no existe la cuenta {pair.account_id!r}; existentes: {known}"
                )
            if pair.kam_id not in kam_at:
                known = list_known(kam_ids)
                en.append(f"assignment settings, {field}: unknown KAM {pair.kam_id!r}; known: {known}")
                es.append(f"ajustes de asignación, {field}: no existe el KAM {pair.kam_id!r}; existentes: {known}")
    if en:
        raise KamError("\n".join(en), "\n".join(es))
    fixed = np.full(len(account_ids), -1)
    for pair in settings.fixed:
        a, k = account_at[pair.account_id], kam_at[pair.kam_id]
        if fixed[a] >= 0 and fixed[a] != k:
            en.append(
                f"assignment settings, fixed: account {pair.account_id} is fixed to {kam_ids[fixed[a]]} and to "
                f"{pair.kam_id}; allowed: one KAM per account"
            )
            es.append(
                f"ajustes de asignación, fixed: la cuenta {pair.account_id} está fijada a {kam_ids[fixed[a]]} y a "
                f"{pair.kam_id}; se admite: un KAM por cuenta"
            )
        fixed[a] = k
    forbidden = np.zeros((len(account_ids), len(kam_ids)), bool)
    for pair in settings.forbidden:
        a, k = account_at[pair.account_id], kam_at[pair.kam_id]
        forbidden[a, k] = True
        if fixed[a] == k:
            en.append(f"assignment settings: the pair {pair.account_id}–{pair.kam_id} is both fixed and forbidden")
            es.append(f"ajustes de asignación: el par {pair.account_id}–{pair.kam_id} está fijado y prohibido a la vez")
    if en:
        raise KamError("\n".join(dict.fromkeys(en)), "\n".join(dict.fromkeys(es)))
    return fixed, forbidden


def _check_fixed(fixed, slots, hours, effort, account_ids: list[str], kam_ids: list[str]) -> None:
    """Raise `KamError` if a KAM's fixed accounts alone pass its max_accounts or its hours."""
    en, es = [], []
    for k, kam in enumerate(kam_ids):
        mine = np.flatnonzero(fixed == k)
        names = list_known([account_ids[a] for a in mine], 8)
        if slots is not None and len(mine) > slots[k]:
            en.append(f"fixed pairs: {kam} has {len(mine)} fixed accounts ({names}) but max_accounts {slots[k]:g}")
            es.append(f"pares fijos: {kam} tiene {len(mine)} cuentas fijadas ({names}) y max_accounts {slots[k]:g}")
        if hours is not None and effort[mine].sum() > hours[k] * (1 + _TOLERANCE):
            need = {lang: number_text(effort[mine].sum(), lang, 0) for lang in LANGS}
            has = {lang: number_text(hours[k], lang, 0) for lang in LANGS}
            en.append(f"fixed pairs: {kam}'s fixed accounts ({names}) need {need['en']} h; capacity_hours {has['en']}")
            es.append(
                f"pares fijos: las cuentas fijadas de {kam} ({names}) necesitan {need['es']} h; capacity_hours "
                f"{has['es']}"
            )
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _check_capacity(slots, hours, effort, allowed, takeable, account_ids: list[str], kam_ids: list[str]) -> None:
    """Raise `KamError` in plain words when capacity cannot hold the accounts that need a KAM: in total, or for
    the accounts that only one KAM may take."""
    n_need = int(takeable.sum())
    en, es = [], []
    if slots is not None:
        places = np.minimum(slots, allowed.sum(axis=0)).sum()
        if places < n_need:
            en.append(
                f"capacity: the KAMs can take {places:g} accounts in all (kams.max_accounts; an empty cell is no "
                f"limit) but {n_need} accounts need a KAM; raise max_accounts, or allow more pairs (forbidden, min_fit)"
            )
            es.append(
                f"capacidad: los KAM pueden llevar {places:g} cuentas en total (kams.max_accounts; una celda vacía es "
                f"sin límite) y {n_need} cuentas necesitan KAM; suba max_accounts, o admita más pares (forbidden, "
                "min_fit)"
            )
    if hours is not None:
        need, has = effort[takeable].sum(), hours.sum()
        if need > has * (1 + _TOLERANCE):
            en.append(
                f"capacity: the accounts need {number_text(need, 'en', 0)} h (effort_hours by strategy) but the KAMs "
                f"have {number_text(has, 'en', 0)} h (kams.capacity_hours); raise capacity_hours or lower effort_hours"
            )
            es.append(
                f"capacidad: las cuentas necesitan {number_text(need, 'es', 0)} h (effort_hours según estrategia) y "
                f"los KAM tienen {number_text(has, 'es', 0)} h (kams.capacity_hours); suba capacity_hours o baje "
                "effort_hours"
            )
    only = takeable & (allowed.sum(axis=1) == 1)
    sole = allowed.argmax(axis=1)
    for k, kam in enumerate(kam_ids):
        mine = np.flatnonzero(only & (sole == k))
        names = list_known([account_ids[a] for a in mine], 8)
        over_count = slots is not None and len(mine) > slots[k]
        over_hours = hours is not None and effort[mine].sum() > hours[k] * (1 + _TOLERANCE)
        if over_count or over_hours:
            limit = f"max_accounts {slots[k]:g}" if over_count else f"capacity_hours {number_text(hours[k], 'en', 0)}"
            limit_es = (
                f"max_accounts {slots[k]:g}" if over_count else f"capacity_hours {number_text(hours[k], 'es', 0)}"
            )
            en.append(
                f"capacity: {kam} is the only KAM allowed for {len(mine)} accounts ({names}), more than its {limit}; "
                "allow other KAMs for them (fixed, forbidden, min_fit) or raise its capacity"
            )
            es.append(
                f"capacidad: {kam} es el único KAM admitido para {len(mine)} cuentas ({names}), más que su {limit_es}; "
                "admita otros KAM para ellas (fixed, forbidden, min_fit) o suba su capacidad"
            )
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _no_plan(status: str, mode: str, settings: AssignmentSettings) -> KamError:
    """The solver found no plan: name the constraints in force, or the time limit."""
    if status == "stopped":
        return KamError(
            f"the solver found no plan within the time limit of {settings.time_limit:g} s; raise time_limit in the "
            "assignment settings",
            f"el optimizador no encontró un plan en el límite de {number_text(settings.time_limit, 'es', 1)} s; "
            "suba time_limit en los ajustes de asignación",
        )
    en = [CAPACITY_WORDS[mode]["en"]]
    es = [CAPACITY_WORDS[mode]["es"]]
    if settings.forbidden:
        en.append(f"{len(settings.forbidden)} forbidden pairs")
        es.append(f"{len(settings.forbidden)} pares prohibidos")
    if settings.min_fit > 0:
        en.append(f"min_fit {settings.min_fit:g}")
        es.append(f"min_fit {number_text(settings.min_fit, 'es', 1)}")
    if settings.fixed:
        en.append(f"{len(settings.fixed)} fixed pairs")
        es.append(f"{len(settings.fixed)} pares fijos")
    return KamError(
        "no plan meets these constraints together: " + "; ".join(en) + ". Each account has a KAM allowed and the "
        "totals fit, but not all at once: relax one of them",
        "ningún plan cumple a la vez estas condiciones: " + "; ".join(es) + ". Cada cuenta tiene algún KAM "
        "admitido y los totales caben, pero no todo a la vez: relaje alguna",
    )


# --- the frames ------------------------------------------------------------------------------------


def _fit_table(account_ids, kam_ids, fit, allowed, current, planned, contributions, settings) -> pd.DataFrame:
    """Every account × KAM pair: its fit, whether it is allowed, current, planned, and the points per competence."""
    n_acc, n_kam = fit.shape
    kam_range = np.arange(n_kam)
    columns = {
        "account_id": np.repeat(np.array(account_ids, dtype=object), n_kam),
        "kam_id": np.tile(np.array(kam_ids, dtype=object), n_acc),
        "fit": fit.ravel(),
        "allowed": allowed.ravel(),
        "current": (current[:, None] == kam_range).ravel(),
        "planned": (planned[:, None] == kam_range).ravel(),
    }
    for j, competence in enumerate(settings.competence_ids()):
        columns[f"contribution_{competence}"] = contributions[:, :, j].ravel()
    return pd.DataFrame(columns)


def _mean_by(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Mean of the known values per code (codes -1 skipped); NaN where a code has none."""
    keep = (codes >= 0) & ~np.isnan(values)
    total = np.bincount(codes[keep], weights=values[keep], minlength=n)
    count = np.bincount(codes[keep], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _kam_table(kams: pd.DataFrame, fit, current, planned, effort) -> pd.DataFrame:
    """Per KAM: capacity, accounts now and planned, planned hours and their share of capacity, mean fit."""
    n_kam = len(kams)
    rows = np.arange(len(current))
    capacity = kams["capacity_hours"].to_numpy(dtype=np.float64)
    has = planned >= 0
    hours = np.bincount(planned[has], weights=effort[has], minlength=n_kam)
    with np.errstate(invalid="ignore", divide="ignore"):
        use = np.where(capacity > 0, 100.0 * hours / capacity, np.nan)
    now = current >= 0
    return pd.DataFrame(
        {
            "kam_id": kams["kam_id"].to_numpy(dtype=object),
            "name": kams["name"].to_numpy(dtype=object),
            "max_accounts": kams["max_accounts"].to_numpy(dtype=np.float64) if "max_accounts" in kams else np.nan,
            "capacity_hours": capacity,
            "accounts_current": np.bincount(current[now], minlength=n_kam),
            "accounts_planned": np.bincount(planned[has], minlength=n_kam),
            "effort_planned": hours,
            "use_planned": use,
            "fit_current": _mean_by(current, np.where(now, fit[rows, current], np.nan), n_kam),
            "fit_planned": _mean_by(planned, np.where(has, fit[rows, planned], np.nan), n_kam),
        }
    )
