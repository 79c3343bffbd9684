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

**Teams**: for an account whose minimum levels no single allowed KAM meets, the smallest team of two or three
whose combined levels (the best level per competence among its members) meet them all, preferring the team of
highest fit with those combined levels; capacity is not applied to teams (a proposal to discuss).
"""

from __future__ import annotations

import html
import itertools
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
    level_text,
    requirement_text,
)
from kamlib.errors import KamError, check_lang, list_known, number_text
from kamlib.method import STRATEGY_NAMES

_MAX_SLOT_CELLS = 40_000_000
"""Above this many cells (accounts × places, 320 MB) the count problem goes to the grouped MILP instead."""
_GROUPS_FOR_MILP = 6
"""The count problem goes to the grouped MILP when the accounts form fewer than A / this many groups (measured
on 2,000 accounts × 50 KAMs: the two solvers take the same time near A / 6 groups)."""
_TOLERANCE = 1e-9
LANGS = ("en", "es")


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
        check_lang(lang)
        a = _position(self.plan["account_id"], account_id, "account")
        k = _position(self.kams["kam_id"], kam_id, "kam")
        ids = self.settings.competence_ids()
        points = self.contributions[a]  # (K, C)
        others = np.delete(np.arange(points.shape[0]), k)
        others = others[~np.isnan(points[others]).any(axis=1)]
        level = self.levels.levels[k]
        weight = self.needs.importance[a] * ~np.isnan(level)
        required = self.needs.minimum[a]
        frame = pd.DataFrame(
            {
                "competence": ids,
                "label": [self.settings.label(c, lang) for c in ids],
                "importance": self.needs.importance[a],
                "weight": 100.0 * weight / weight.sum() if weight.sum() > 0 else np.nan,
                "level": level,
                "required": required,
                "met": np.where(np.isnan(required), None, level >= required),
                "contribution": points[k],
                "others_mean": points[others].mean(axis=0) if len(others) else np.nan,
            }
        )
        frame["versus_others"] = frame["contribution"] - frame["others_mean"]
        frame["note"] = [_note(r, lang) for r in frame.itertuples(index=False)]
        frame.attrs["fit"] = float(np.sum(points[k])) if not np.isnan(points[k]).any() else np.nan
        frame.attrs["others_mean_fit"] = float(points[others].sum(axis=1).mean()) if len(others) else np.nan
        return frame.sort_values(["versus_others", "contribution"], ascending=False, ignore_index=True)

    def summary(self, lang: str = "en") -> pd.DataFrame:
        """One row per KAM for people: places and hours, planned against now, mean fit; headers in `lang`."""
        check_lang(lang)
        frame = self.kams.round({"effort_planned": 0, "use_planned": 1, "fit_current": 1, "fit_planned": 1})
        return frame.rename(columns={c: _HEADERS[c][lang] for c in frame.columns})

    def changes(self, lang: str = "en") -> pd.DataFrame:
        """The accounts that change KAM (or have none), for people: strategy, KAM now → planned by name, fit, why."""
        check_lang(lang)
        names = kam_names(self.kams)
        rows = self.plan[self.plan["change"] | self.plan["kam_id"].isna()]
        words = _TABLE_WORDS[lang]
        return pd.DataFrame(
            {
                words["account"]: rows["name"].to_numpy(),
                words["strategy"]: [STRATEGY_NAMES[q][lang] if isinstance(q, str) else "" for q in rows["quadrant"]],
                words["now"]: rows["current_kam_id"].map(names).fillna("").to_numpy(),
                words["planned"]: rows["kam_id"].map(names).fillna("").to_numpy(),
                words["fit_now"]: rows["fit_current"].round(1).to_numpy(),
                words["fit_planned"]: rows["fit"].round(1).to_numpy(),
                words["why"]: rows[f"reason_{lang}"].to_numpy(),
            }
        )

    def team_table(self, lang: str = "en") -> pd.DataFrame:
        """The KAM teams proposed, for people: account, strategy, what no single KAM covers, the team, in words."""
        check_lang(lang)
        words = _TABLE_WORDS[lang]
        teams = self.teams
        return pd.DataFrame(
            {
                words["account"]: teams["name"].to_numpy(),
                words["strategy"]: [STRATEGY_NAMES[q][lang] if isinstance(q, str) else "" for q in teams["quadrant"]],
                words["needs"]: teams[f"needs_{lang}"].to_numpy(),
                words["team"]: teams["members"].to_numpy(),
                words["why"]: teams[f"message_{lang}"].to_numpy(),
            }
        )

    def competence_table(self, lang: str = "en") -> pd.DataFrame:
        """Each KAM's level per competence (1–5) for people: KAMs by name down, competences across; where the
        customer rated too, the customer's view follows in brackets."""
        check_lang(lang)
        table = self.levels.table
        names = kam_names(self.kams)

        def cell(row: pd.Series) -> str:
            if pd.isna(row["level"]):
                return ""
            text = number_text(row["supplier"] if pd.notna(row["supplier"]) else row["level"], lang, 1)
            if pd.notna(row["customer"]):
                text += f" ({_TABLE_WORDS[lang]['customer']} {number_text(row['customer'], lang, 1)})"
            return text

        shown = table.assign(text=table.apply(cell, axis=1))
        pivot = shown.pivot(index="kam_id", columns="competence", values="text")
        pivot = pivot.reindex(index=self.kams["kam_id"], columns=self.settings.competence_ids())
        pivot.index = [names[k] for k in pivot.index]
        pivot.columns = [self.settings.label(c, lang) for c in pivot.columns]
        return pivot

    def account_html(self, account_id: str, lang: str = "en") -> str:
        """One account's KAM and fit as an HTML fragment for its report: its KAM now and their fit, the KAM the plan
        proposes and why, and the competences that raise or lower the fit. Names escaped; nothing loaded."""
        check_lang(lang)
        a = _position(self.plan["account_id"], account_id, "account")
        row = self.plan.iloc[a]
        words = _TABLE_WORDS[lang]
        esc = html.escape
        names = kam_names(self.kams)
        lines = [f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(words["title"])}</h3>']
        if self.status in NO_PLAN:
            lines.append(f"<p>{esc(self._headline(lang))}</p>")
            return "<section>" + "".join(lines) + "</section>"
        now = names.get(row["current_kam_id"], "") if pd.notna(row["current_kam_id"]) else ""
        fit_now = "" if pd.isna(row["fit_current"]) else number_text(row["fit_current"], lang, 1)
        planned = names.get(row["kam_id"], "") if pd.notna(row["kam_id"]) else ""
        fit = "" if pd.isna(row["fit"]) else number_text(row["fit"], lang, 1)
        lines.append(f"<p>{esc(words['sentence'].format(now=now or '—', fit_now=fit_now or '—'))}</p>")
        lines.append(f"<p><b>{esc(words['proposal'].format(kam=planned or '—', fit=fit or '—'))}</b> ")
        lines.append(f"{esc(str(row[f'reason_{lang}']))}</p>")
        if pd.notna(row["kam_id"]):
            explained = self.explain(account_id, str(row["kam_id"]), lang)
            apart = explained[explained["versus_others"].abs() >= 0.05].head(3)  # what sets the fit apart
            items = "".join(f"<li>{esc(str(r.label))}: {esc(str(r.note))}</li>" for r in apart.itertuples(index=False))
            if items:
                lines.append(f"<p style='margin:4px 0 0'>{esc(words['because'])}</p><ul style='margin:0'>{items}</ul>")
        team = self.teams[self.teams["account_id"] == account_id]
        if len(team):
            lines.append(f"<p>{esc(str(team.iloc[0][f'message_{lang}']))}</p>")
        return '<section style="font-size:18px;line-height:1.45">' + "".join(lines) + "</section>"

    def messages(self, lang: str = "en") -> list[str]:
        """The headline of the plan, then the findings, as sentences in `lang`."""
        check_lang(lang)
        return [self._headline(lang), *self.findings[f"message_{lang}"]]

    def _headline(self, lang: str) -> str:
        plan = self.plan
        n = {
            "accounts": len(plan),
            "kams": len(self.kams),
            "changes": int(plan["change"].sum()),
            "none": len(self.unassignable),
        }
        total, now, gain = (number_text(v, lang, 1) for v in (self.total_fit, self.total_fit_current, self.gain))
        sign = "+" if self.gain >= 0 else ""
        if self.problem is not None:
            return _WORDS["infeasible"][lang].format(problem=self.problem.render(lang))
        if self.status == "unknown":
            return _WORDS["no_plan"][lang].format(**n)
        return _WORDS["headline"][lang].format(
            **n, capacity=_WORDS[f"capacity_{self.capacity}"][lang], total=total, now=now, gain=sign + gain
        )


_HEADERS = {
    "kam_id": {"en": "KAM", "es": "KAM"},
    "name": {"en": "Name", "es": "Nombre"},
    "max_accounts": {"en": "Most accounts", "es": "Máximo de cuentas"},
    "capacity_hours": {"en": "Hours available", "es": "Horas disponibles"},
    "accounts_current": {"en": "Accounts now", "es": "Cuentas ahora"},
    "accounts_planned": {"en": "Accounts planned", "es": "Cuentas en el plan"},
    "effort_planned": {"en": "Hours planned", "es": "Horas en el plan"},
    "use_planned": {"en": "Capacity used %", "es": "Capacidad usada %"},
    "fit_current": {"en": "Mean fit now", "es": "Encaje medio ahora"},
    "fit_planned": {"en": "Mean fit planned", "es": "Encaje medio en el plan"},
}

_TABLE_WORDS = {
    "en": {
        "account": "Account",
        "strategy": "Strategy",
        "now": "KAM now",
        "planned": "KAM planned",
        "fit_now": "Fit now",
        "fit_planned": "Fit planned",
        "why": "Why",
        "needs": "Needs",
        "team": "Team",
        "customer": "customer",
        "title": "KAM and fit",
        "sentence": "Managed today by {now} (fit {fit_now} of 100).",
        "proposal": "The plan of highest total fit proposes {kam} (fit {fit}).",
        "because": "The competences that set this fit apart from the other KAMs':",
    },
    "es": {
        "account": "Cuenta",
        "strategy": "Estrategia",
        "now": "KAM ahora",
        "planned": "KAM en el plan",
        "fit_now": "Encaje ahora",
        "fit_planned": "Encaje en el plan",
        "why": "Por qué",
        "needs": "Necesita",
        "team": "Equipo",
        "customer": "cliente",
        "title": "KAM y encaje",
        "sentence": "La lleva hoy {now} (encaje {fit_now} sobre 100).",
        "proposal": "El plan de mayor encaje total propone a {kam} (encaje {fit}).",
        "because": "Las competencias que distinguen este encaje del de los demás KAM:",
    },
}

NO_PLAN = ("unknown", "infeasible")
"""Statuses of an assignment without a plan: the current KAMs stay."""

_WORDS = {
    "infeasible": {
        "en": "No plan: {problem}. The current KAMs stay.",
        "es": "Sin plan: {problem}. Se mantienen los KAM actuales.",
    },
    "headline": {
        "en": "Plan for {accounts} accounts and {kams} KAMs ({capacity}): total fit {total} against {now} now "
        "({gain}); {changes} changes; {none} accounts no KAM can take.",
        "es": "Plan para {accounts} cuentas y {kams} KAM ({capacity}): encaje total {total} frente a {now} ahora "
        "({gain}); {changes} cambios; {none} cuentas que ningún KAM puede llevar.",
    },
    "no_plan": {
        "en": "No plan for {accounts} accounts and {kams} KAMs: no fit is known (no competence assessment); the "
        "current KAMs stay.",
        "es": "Sin plan para {accounts} cuentas y {kams} KAM: no se conoce ningún encaje (no hay evaluación de "
        "competencias); se mantienen los KAM actuales.",
    },
    "capacity_accounts": {"en": "capacity: max_accounts", "es": "capacidad: max_accounts"},
    "capacity_hours": {"en": "capacity: hours by strategy", "es": "capacidad: horas según estrategia"},
    "capacity_both": {"en": "capacity: max_accounts and hours", "es": "capacidad: max_accounts y horas"},
    "capacity_none": {"en": "no capacity limit", "es": "sin límite de capacidad"},
    "no_room_accounts": {"en": "no room (max_accounts 0)", "es": "sin capacidad (max_accounts 0)"},
    "no_room_hours": {
        "en": "no room (its effort is above capacity_hours)",
        "es": "sin capacidad (su esfuerzo supera capacity_hours)",
    },
    "no_room_both": {
        "en": "no room (max_accounts 0, or its effort is above capacity_hours)",
        "es": "sin capacidad (max_accounts 0, o su esfuerzo supera capacity_hours)",
    },
}


def _position(ids: pd.Series, value: str, what: str) -> int:
    """The position of an id, or a `KamError` naming the known ones."""
    found = np.flatnonzero(ids.to_numpy() == value)
    if not len(found):
        words = {"account": ("account", "la cuenta"), "kam": ("KAM", "el KAM")}[what]
        known = list_known(ids)
        raise KamError(
            f"unknown {words[0]} {value!r}; known: {known}", f"no existe {words[1]} {value!r}; existentes: {known}"
        )
    return int(found[0])


def _note(row, lang: str) -> str:
    """One competence of an explanation in words."""
    if np.isnan(row.level):
        return {
            "en": "not assessed: counts as the lowest level (no evidence)",
            "es": "sin evaluar: cuenta como el nivel más bajo (sin constancia)",
        }[lang]
    parts = [("level " if lang == "en" else "nivel ") + level_text(row.level, lang)]
    if not np.isnan(row.required):
        met = row.level >= row.required
        words = {"en": ("required", "met", "short"), "es": ("exigido", "cumple", "no llega")}[lang]
        parts.append(f"{words[0]} {level_text(row.required, lang)} ({words[1] if met else words[2]})")
    points = number_text(row.contribution, lang, 1)
    parts.append(f"{points} {'points' if lang == 'en' else 'puntos'}")
    if not np.isnan(row.versus_others):
        diff = ("+" if row.versus_others >= 0 else "") + number_text(row.versus_others, lang, 1)
        parts.append(f"{diff} {'against the other KAMs' if lang == 'en' else 'frente a los demás KAM'}")
    return "; ".join(parts)


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

    why_not = {"forbidden": forbidden, "below": below, "no_room": no_room}
    nobody = ~takeable if status not in NO_PLAN else np.zeros(n_acc, bool)  # with no fit known, no plan: none left out
    unassignable = _unassignable(scored, nobody, why_not, fit, kam_ids, settings, mode)
    plan = _plan(scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status)
    plan["effort_hours"] = needs.effort
    reasons = unassignable.set_index("account_id")
    for lang in LANGS:
        lost = plan["account_id"].isin(reasons.index)
        plan.loc[lost, f"reason_{lang}"] = plan.loc[lost, "account_id"].map(reasons[f"reason_{lang}"])
    teams = _teams(scored, levels.levels, needs, forbidden, kam_ids, settings)
    findings = _findings(scored, kam_ids, levels, unassignable, teams, fixed, fit, settings, status, gap)
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
    en = [_WORDS[f"capacity_{mode}"]["en"]]
    es = [_WORDS[f"capacity_{mode}"]["es"]]
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


def _fit_words(value: float, lang: str) -> str:
    """A fit for people: 72.5 (72,5 in Spanish), or unknown."""
    return {"en": "unknown", "es": "desconocido"}[lang] if np.isnan(value) else number_text(value, lang, 1)


def _unassignable(scored, nobody, why_not, fit, kam_ids, settings, mode) -> pd.DataFrame:
    """One row per account no KAM may take, with the reason: which KAMs are forbidden, below the minimum fit or
    without room."""
    out = []
    for a in np.flatnonzero(nobody):
        forbidden = why_not["forbidden"][a]
        below = why_not["below"][a] & ~forbidden
        room = why_not["no_room"][a] & ~forbidden & ~below
        reason = {}
        for lang in LANGS:
            parts = []
            if forbidden.any():
                who = list_known([kam_ids[k] for k in np.flatnonzero(forbidden)], 6)
                parts.append(("forbidden: " if lang == "en" else "prohibidos: ") + who)
            if below.any():
                order = np.flatnonzero(below)[np.argsort(-np.nan_to_num(fit[a, below], nan=-1.0), kind="stable")]
                who = list_known([f"{kam_ids[k]} ({_fit_words(fit[a, k], lang)})" for k in order], 4)
                head = "below the minimum fit" if lang == "en" else "por debajo del encaje mínimo"
                parts.append(f"{head} {number_text(settings.min_fit, lang, 1)}: {who}")
            if room.any():
                who = list_known([kam_ids[k] for k in np.flatnonzero(room)], 6)
                parts.append(f"{_WORDS[f'no_room_{mode}'][lang]}: {who}")
            head = "no KAM can take it" if lang == "en" else "ningún KAM puede llevarla"
            reason[lang] = f"{head}: " + "; ".join(parts)
        out.append(
            {
                "account_id": scored["account_id"].iloc[a],
                "name": scored["name"].iloc[a] if "name" in scored else None,
                "current_kam_id": scored["kam_id"].iloc[a],
                "reason_es": reason["es"],
                "reason_en": reason["en"],
            }
        )
    return pd.DataFrame(out, columns=["account_id", "name", "current_kam_id", "reason_es", "reason_en"])


def _plan(scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status):
    """The plan: one row per account with its planned and current KAM, their fit, and the reason in both languages."""
    n_acc = len(scored)
    rows = np.arange(n_acc)
    names = np.array([*kam_ids, None], dtype=object)
    fit_plan = np.where(planned >= 0, fit[rows, planned], np.nan)
    fit_now = np.where(current >= 0, fit[rows, current], np.nan)
    best = np.where(allowed, np.nan_to_num(fit), -np.inf).argmax(axis=1)  # an unknown fit counts 0, as in the plan
    codes, reasons = [], {"en": [], "es": []}
    for a in rows:
        code, words = _reason(a, names, fit, current[a], planned[a], best[a], is_fixed[a], contributions, why_not,
                              settings, status)  # fmt: skip
        codes.append(code)
        for lang in LANGS:
            reasons[lang].append(words[lang])
    return pd.DataFrame(
        {
            "account_id": scored["account_id"].to_numpy(dtype=object),
            "kam_id": names[planned],
            "current_kam_id": scored["kam_id"].to_numpy(dtype=object),
            "fit": fit_plan,
            "fit_current": fit_now,
            "gain": np.nan_to_num(fit_plan) - np.nan_to_num(fit_now),
            "change": (planned >= 0) & (planned != current),
            "status": codes,
            "reason_es": reasons["es"],
            "reason_en": reasons["en"],
            "name": scored["name"].to_numpy(dtype=object) if "name" in scored else None,
            "quadrant": scored["quadrant"].to_numpy(dtype=object),
        }
    )


def _reason(a, names, fit, c, k, b, fixed, contributions, why_not, settings, status) -> tuple[str, dict[str, str]]:
    """Why account `a` gets KAM `k` (current `c`, best allowed `b`): a status code and a sentence per language."""
    if status == "infeasible":
        stays = names[c] if c >= 0 else "—"
        return "infeasible", {
            "en": f"no plan meets the constraints; {stays} stays",
            "es": f"ningún plan cumple las condiciones; se mantiene {stays}",
        }
    if status == "unknown":
        if c >= 0:
            return "unknown", {
                "en": f"no competence assessment: fit unknown; {names[c]} stays",
                "es": f"sin evaluación de competencias: encaje desconocido; se mantiene {names[c]}",
            }
        return "unknown", {
            "en": "no competence assessment and no current KAM: no proposal",
            "es": "sin evaluación de competencias ni KAM actual: sin propuesta",
        }
    if k < 0:
        return "unassignable", {"en": "", "es": ""}  # the reason comes from the unassignable table
    f = {lang: _fit_words(fit[a, k], lang) for lang in LANGS}
    if fixed:
        was = {"en": f" (was {names[c]})", "es": f" (antes {names[c]})"} if 0 <= c != k else {"en": "", "es": ""}
        return "fixed", {
            "en": f"fixed to {names[k]} in the assignment settings{was['en']}; fit {f['en']}",
            "es": f"fijada a {names[k]} en los ajustes de asignación{was['es']}; encaje {f['es']}",
        }
    better = np.nan_to_num(fit[a, b]) - np.nan_to_num(fit[a, k])
    d = {lang: number_text(better, lang, 1) for lang in LANGS}
    capacity = {
        "en": f"{names[b]} fits {d['en']} points more, but its capacity goes to accounts where it adds more",
        "es": f"{names[b]} encaja {d['es']} puntos más, pero su capacidad va a cuentas donde aporta más",
    }
    if k == c:
        if better <= 1e-9:
            return "kept", {
                "en": f"kept {names[k]}: the best fit among the KAMs allowed ({f['en']})",
                "es": f"se mantiene {names[k]}: el mejor encaje entre los KAM admitidos ({f['es']})",
            }
        if better <= settings.continuity_bonus + 1e-9:
            bonus = {lang: number_text(settings.continuity_bonus, lang, 1) for lang in LANGS}
            return "kept", {
                "en": f"kept {names[k]} for continuity: {names[b]} fits {d['en']} points more, within the continuity "
                f"bonus of {bonus['en']}",
                "es": f"se mantiene {names[k]} por continuidad: {names[b]} encaja {d['es']} puntos más, dentro de la "
                f"bonificación por continuidad de {bonus['es']}",
            }
        return "kept", {"en": f"kept {names[k]} (fit {f['en']}): " + capacity["en"],
                        "es": f"se mantiene {names[k]} (encaje {f['es']}): " + capacity["es"]}  # fmt: skip
    if c < 0:
        if better <= 1e-9:
            return "new", {
                "en": f"no current KAM; {names[k]} is the best fit among the KAMs allowed ({f['en']})",
                "es": f"sin KAM actual; {names[k]} es el mejor encaje entre los KAM admitidos ({f['es']})",
            }
        return "new", {"en": f"no current KAM; {names[k]} (fit {f['en']}): " + capacity["en"],
                       "es": f"sin KAM actual; {names[k]} (encaje {f['es']}): " + capacity["es"]}  # fmt: skip
    head = f"{names[c]} → {names[k]}: "
    now = {lang: _fit_words(fit[a, c], lang) for lang in LANGS}
    if why_not["forbidden"][a, c]:
        words = {"en": f"{names[c]} is forbidden for this account in the assignment settings",
                 "es": f"{names[c]} está prohibido para esta cuenta en los ajustes de asignación"}  # fmt: skip
    elif why_not["below"][a, c]:
        m = {lang: number_text(settings.min_fit, lang, 1) for lang in LANGS}
        words = {"en": f"{names[c]}'s fit {now['en']} is below the minimum fit {m['en']}",
                 "es": f"el encaje de {names[c]}, {now['es']}, está por debajo del mínimo {m['es']}"}  # fmt: skip
    elif why_not["no_room"][a, c]:
        words = {"en": f"{names[c]} has no room for it", "es": f"{names[c]} no tiene capacidad para ella"}
    elif np.isnan(fit[a, c]):
        words = {"en": f"{names[c]} has no assessment (fit unknown); {names[k]} fits {f['en']}",
                 "es": f"{names[c]} no tiene evaluación (encaje desconocido); {names[k]} encaja {f['es']}"}  # fmt: skip
    elif fit[a, k] > fit[a, c] + 1e-9:
        words = {lang: _better_words(a, k, c, names, fit, contributions, settings, lang) for lang in LANGS}
    else:
        words = {
            "en": f"{names[c]} (fit {now['en']}) is needed for accounts where it adds more, within its capacity; "
            f"{names[k]} fits {f['en']}",
            "es": f"{names[c]} (encaje {now['es']}) hace falta en cuentas donde aporta más, dentro de su capacidad; "
            f"{names[k]} encaja {f['es']}",
        }
    return "moved", {lang: head + words[lang] for lang in LANGS}


def _better_words(a, k, c, names, fit, contributions, settings, lang: str) -> str:
    """Say why KAM k beats the current c, e.g. K03 fits better: 82.0 against 61.0 (+21.0); most of it from …"""
    diff = contributions[a, k] - contributions[a, c]
    ids = settings.competence_ids()
    top = [j for j in np.argsort(-diff, kind="stable")[:2] if diff[j] > 0.05]
    parts = ", ".join(f"{settings.label(ids[j], lang)} (+{number_text(diff[j], lang, 1)})" for j in top)
    gain = number_text(fit[a, k] - fit[a, c], lang, 1)
    new, old = number_text(fit[a, k], lang, 1), number_text(fit[a, c], lang, 1)
    if lang == "es":
        return f"{names[k]} encaja mejor: {new} frente a {old} (+{gain}); sobre todo por {parts}"
    return f"{names[k]} fits better: {new} against {old} (+{gain}); most of it from {parts}"


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


def _teams(scored, levels, needs: AccountNeeds, forbidden, kam_ids, settings) -> pd.DataFrame:
    """For each account whose minimum levels no single allowed KAM meets, the smallest covering team of 2 or 3."""
    key = np.column_stack([needs.importance, np.nan_to_num(needs.minimum, nan=0.0), forbidden])
    groups = np.unique(key, axis=0, return_inverse=True)[1].ravel()
    if np.isnan(levels).all():  # no assessment yet: nothing to say about teams
        return pd.DataFrame(columns=_TEAM_COLUMNS)
    answer = {}  # group → (members, team fit, competences nobody reaches), for groups that need a team
    for g, a in enumerate(np.unique(groups, return_index=True)[1]):
        need = np.flatnonzero(~np.isnan(needs.minimum[a]))
        ok = np.flatnonzero(~forbidden[a])
        meets = levels[np.ix_(ok, need)] >= needs.minimum[a, need]
        if not len(need) or meets.all(axis=1).any():
            continue
        members, team_fit = (), np.nan
        for size in (2, 3):
            combos = np.array(list(itertools.combinations(range(len(ok)), size)), dtype=np.intp).reshape(-1, size)
            cover = meets[combos].any(axis=1).all(axis=1)
            if cover.any():
                candidates = combos[cover]
                team_levels = np.fmax.reduce(levels[ok][candidates], axis=1)
                fits = fit_matrix(team_levels, needs.importance[a : a + 1], needs.minimum[a : a + 1])[0]
                pick = int(np.argmax(np.nan_to_num(fits, nan=-1.0)))
                members, team_fit = tuple(kam_ids[ok[i]] for i in candidates[pick]), float(fits[pick])
                break
        answer[g] = (members, team_fit, need[~meets.any(axis=0)])
    out = []
    for a in np.flatnonzero(np.isin(groups, list(answer))):
        members, team_fit, nobody = answer[groups[a]]
        account = scored["account_id"].iloc[a]
        needs_text = {lang: requirement_text(needs.minimum[a], settings, lang) for lang in LANGS}
        if members:
            team = " + ".join(members)
            f = {lang: number_text(team_fit, lang, 1) for lang in LANGS}
            message = {
                "en": f"{account}: no single KAM meets {needs_text['en']}; the team {team} does (team fit {f['en']}).",
                "es": f"{account}: ningún KAM cumple por sí solo {needs_text['es']}; el equipo {team} sí (encaje del "
                f"equipo {f['es']}).",
            }
        else:
            lack = {
                lang: ", ".join(settings.label(settings.competence_ids()[j], lang) for j in nobody) for lang in LANGS
            }
            message = {
                "en": f"{account}: no team of up to three KAMs meets {needs_text['en']}"
                + (f"; nobody reaches the level in {lack['en']}." if len(nobody) else "."),
                "es": f"{account}: ningún equipo de hasta tres KAM cumple {needs_text['es']}"
                + (f"; nadie alcanza el nivel en {lack['es']}." if len(nobody) else "."),
            }
        out.append(
            {
                "account_id": account,
                "name": scored["name"].iloc[a] if "name" in scored else None,
                "quadrant": scored["quadrant"].iloc[a],
                "needs_es": needs_text["es"],
                "needs_en": needs_text["en"],
                "members": " + ".join(members),
                "size": len(members),
                "team_fit": team_fit,
                "message_es": message["es"],
                "message_en": message["en"],
            }
        )
    return pd.DataFrame(out, columns=_TEAM_COLUMNS)


_TEAM_COLUMNS = ["account_id", "name", "quadrant", "needs_es", "needs_en", "members", "size", "team_fit", "message_es",
                 "message_en"]  # fmt: skip


def _findings(scored, kam_ids, levels, unassignable, teams, fixed, fit, settings, status, gap) -> pd.DataFrame:
    """What a consultant should look at, in both languages: the solver, accounts, teams, the assessment."""
    rows: list[dict[str, object]] = []

    def add(kind, en, es, account=None, kam=None, competence=None, value=np.nan, limit=np.nan):
        rows.append({"kind": kind, "account_id": account, "kam_id": kam, "competence": competence, "value": value,
                     "limit": limit, "message_en": en, "message_es": es})  # fmt: skip

    if status == "stopped":
        g = {lang: number_text(100 * gap, lang, 2) for lang in LANGS}
        add(
            "stopped",
            f"The solver stopped at the time limit ({settings.time_limit:g} s): the plan is within {g['en']} % of the "
            "optimum.",
            f"El optimizador se detuvo en el límite de tiempo ({number_text(settings.time_limit, 'es', 1)} s): el "
            f"plan está a menos del {g['es']} % del óptimo.",
            value=gap,
        )
    for r in unassignable.itertuples(index=False):
        add("unassignable", f"{r.account_id}: {r.reason_en}.", f"{r.account_id}: {r.reason_es}.", r.account_id)
    for r in teams.itertuples(index=False):
        add("team" if r.size else "no_team", r.message_en, r.message_es, r.account_id, value=r.team_fit)
    for a in np.flatnonzero(fixed >= 0):
        k = fixed[a]
        if settings.min_fit > 0 and not fit[a, k] >= settings.min_fit:
            account = scored["account_id"].iloc[a]
            f = {lang: _fit_words(fit[a, k], lang) for lang in LANGS}
            add(
                "fixed_below_min_fit",
                f"{account}: fixed to {kam_ids[k]}, whose fit {f['en']} is below the minimum fit {settings.min_fit:g}.",
                f"{account}: fijada a {kam_ids[k]}, cuyo encaje {f['es']} está por debajo del mínimo "
                f"{number_text(settings.min_fit, 'es', 1)}.",
                account,
                kam_ids[k],
                value=fit[a, k],
                limit=settings.min_fit,
            )
    unplaced = scored.loc[scored["quadrant"].isna(), "account_id"].tolist()
    if unplaced:
        who = list_known(unplaced)
        add(
            "unplaced",
            f"{len(unplaced)} accounts have no quadrant (left out of the matrix): they are taken to need the mean of "
            f"the four strategies: {who}.",
            f"{len(unplaced)} cuentas no tienen cuadrante (fuera de la matriz): se les supone la media de las cuatro "
            f"estrategias: {who}.",
        )
    assessed = ~np.isnan(levels.levels).all(axis=1)
    if not assessed.any():
        add(
            "no_assessment",
            "No KAM has a competence assessment yet (sheet competences): every fit is unknown, so no plan is proposed.",
            "Ningún KAM tiene aún evaluación de competencias (hoja competences): todo encaje es desconocido y no se "
            "propone plan.",
        )
    else:
        for k in np.flatnonzero(~assessed):
            add(
                "unassessed_kam",
                f"{kam_ids[k]} has no competence assessment: fit unknown, counted as 0 in the plan.",
                f"{kam_ids[k]} no tiene evaluación de competencias: encaje desconocido, cuenta como 0 en el plan.",
                kam=kam_ids[k],
            )
        ids = settings.competence_ids()
        for k in np.flatnonzero(assessed):
            missing = [ids[c] for c in np.flatnonzero(np.isnan(levels.levels[k]))]
            if missing:
                en = ", ".join(settings.label(c, "en") for c in missing)
                es = ", ".join(settings.label(c, "es") for c in missing)
                add(
                    "partly_assessed",
                    f"{kam_ids[k]} is not assessed on {en}: counted as the lowest level until someone rates it.",
                    f"{kam_ids[k]} no está evaluado en {es}: cuenta como el nivel más bajo hasta que alguien lo "
                    "evalúe.",
                    kam=kam_ids[k],
                )
    for r in levels.findings.itertuples(index=False):
        add(r.kind, r.message_en, r.message_es, None, r.kam_id, r.competence, r.value, r.limit)
    columns = ["kind", "account_id", "kam_id", "competence", "value", "limit", "message_en", "message_es"]
    return pd.DataFrame(rows, columns=columns)
