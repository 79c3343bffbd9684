"""The KAM assignment as a result: `assign` checks the workbook and the settings, works out each account's hours
(`kamlib.assignment.effort`) and change cost, runs the solver (`kamlib.assignment.solver`) and returns an
`Assignment`: the plan with the reason for each account, the fit of every pair, the KAMs' load, KAM teams
(`kamlib.assignment.teams`) and the findings, most important first (`kamlib.assignment.findings`);
`kamlib.assignment.reasons` turns the result into sentences and tables for people.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.assignment import reasons
from kamlib.assignment.competences import (
    AccountNeeds,
    AssignmentSettings,
    CompetenceLevels,
    account_needs,
    competence_levels,
)
from kamlib.assignment.effort import logged_effort
from kamlib.assignment.findings import CapacityNote, collect_findings
from kamlib.assignment.reasons import Room, plan_with_reasons, unassignable_accounts
from kamlib.assignment.solver import (
    CAPACITY_WORDS,
    NO_PLAN,
    TOLERANCE,
    Solution,
    countable,
    fit_contributions,
    kam_names,
    least_overload,
    solve_counts,
    solve_hours,
)
from kamlib.assignment.teams import propose_teams
from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.i18n import LANGS, check_lang, number_text, short_text

# --- the result ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Assignment:
    """The plan, the fit of every pair with its explanation, the KAMs' load, KAM teams and the findings."""

    settings: AssignmentSettings
    capacity: str
    """The capacity applied: `accounts` (max_accounts), `hours` (capacity_hours), `both` or `none`."""
    plan: pd.DataFrame
    """One row per account: account_id, kam_id (planned; empty if no one can take it), current_kam_id, fit,
    fit_current, gain (fit − fit_current; an unknown fit counts 0), change (bool: it has a KAM now and the plan gives
    it another), status (kept, moved, new, fixed, unassignable, unknown, infeasible), reason_es, reason_en, name,
    quadrant, effort_hours (the hours it takes), effort_source (`strategy` or `log`, `kamlib.assignment.effort`),
    change_cost (fit points a change of its KAM costs), constraint (what decided its KAM against the best fit:
    `hours` or `accounts` when a KAM is at capacity, `max_changes`, `rules` when the settings rule out its current
    KAM, or empty), revenue (when `scored` has it)."""
    fit_table: pd.DataFrame
    """One row per account × KAM: account_id, kam_id, fit, allowed (bool), current (bool), planned (bool), then
    `contribution_<competence>`: the points of fit each competence gives (they add up to the fit)."""
    kams: pd.DataFrame
    """One row per KAM: kam_id, name, max_accounts, capacity_hours, accounts_current, accounts_planned,
    effort_planned (hours), use_planned (% of capacity_hours), fit_current, fit_planned (mean fit of its accounts),
    effort_current (hours of its accounts now), use_current (%), over_planned (hours planned above capacity_hours)."""
    teams: pd.DataFrame
    """One row per account whose minimum levels no single allowed KAM meets: account_id, name, quadrant, needs_es,
    needs_en, members ("K01 + K04"; empty if no team of three covers them), size (0 if none), team_fit,
    message_es, message_en."""
    unassignable: pd.DataFrame
    """Accounts no KAM may take: account_id, name, current_kam_id, reason_es, reason_en."""
    levels: CompetenceLevels
    finding_rows: pd.DataFrame
    """What deserves a look, most important first (`kamlib.assignment.findings.FINDING_ORDER`): kind, account_id,
    kam_id, competence, value, limit, message_en, message_es."""
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
    change_limit: int | None = None
    """The most changes of KAM the plan was allowed (`settings.max_changes` for this portfolio; None: no limit)."""
    capacity_met: bool = True
    """False when no plan keeps every KAM within their hours: the plan then has the least overload possible."""
    currency: str = "EUR"
    """The currency of `plan.revenue`, for the findings."""

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

    @property
    def changes_count(self) -> int:
        """The accounts whose KAM the plan changes (those with no KAM now not counted)."""
        return int(self.plan["change"].sum())

    def explain(self, account_id: str, kam_id: str, lang: str = "en") -> pd.DataFrame:
        """Tell which competences raise or lower the fit of `kam_id` for `account_id`, against what the account
        needs and against the other KAMs; one row per competence, the most favourable first.

        Columns: competence, label, importance, weight (% of the weight counted), level, required, met,
        contribution (points; they add up to the fit), others_mean (the mean contribution over the other KAMs
        of known fit), versus_others (the difference; they add up to fit − the others' mean fit), note (in
        `lang`). The fit and the others' mean fit are in `.attrs`.
        """
        return reasons.explain(self, account_id, kam_id, lang)

    def summary(self, lang: str = "en") -> str:
        """The plan in one sentence: accounts, KAMs, capacity, total fit against now, changes; or why there is none."""
        return reasons.headline(self, check_lang(lang))

    def findings(self, lang: str = "en") -> list[str]:
        """What deserves a look (the rows of `finding_rows`), most important first, as sentences in `lang`."""
        return self.finding_rows[f"message_{check_lang(lang)}"].tolist()

    def kam_table(self, lang: str = "en") -> pd.DataFrame:
        """One row per KAM for people: places and hours, planned against now, mean fit; headers in `lang`."""
        return reasons.kam_table(self, lang)

    def changes(self, lang: str = "en") -> pd.DataFrame:
        """The accounts that change KAM (or get one, or have none), for people: strategy, KAM now → planned by name,
        fit, why."""
        return reasons.changes(self, lang)

    def team_table(self, lang: str = "en") -> pd.DataFrame:
        """The KAM teams proposed, for people: account, strategy, what no single KAM covers, the team, in words."""
        return reasons.team_table(self, lang)

    def competence_table(self, lang: str = "en") -> pd.DataFrame:
        """Each KAM's level per competence (1–5) for people: KAMs by name down, competences across; where the
        customer rated too, the customer's view follows in brackets."""
        return reasons.competence_table(self, lang)


# --- the checked function --------------------------------------------------------------------------


def assign(
    scored: pd.DataFrame,
    kams: pd.DataFrame,
    competences: pd.DataFrame,
    settings: AssignmentSettings | None = None,
    strict: bool = True,
    *,
    time: pd.DataFrame | None = None,
    currency: str = "EUR",
) -> Assignment:
    """Propose the KAM of each account (see the module's docstring): the plan of highest total fit less the cost of
    its changes, under the settings.

    `scored` is `score_scenario`'s frame (account_id, name, kam_id = the current KAM, quadrant, optional revenue),
    `kams` the workbook's sheet (kam_id, name, capacity_hours, optional max_accounts), `competences` the assessments
    (kam_id, competence, score, assessor, side; may be empty: then no fit is known and the current KAMs stay),
    `time` the workbook's time sheet (its hours on accounts replace the strategy's estimate: see
    `kamlib.assignment.effort`; None: estimates only), `currency` that of the revenue. Raise `KamError` in plain
    words for unknown ids in the settings, fixed pairs that break a rule, places below what the accounts need, or
    constraints that no plan meets together; with `strict=False` (reports, dashboards) those last three give an
    `infeasible` result instead: the current KAMs, and the reason said. Hours never stop a plan: when no plan keeps
    every KAM within them, the plan has the least overload possible and the findings name each KAM over.
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
    logged = logged_effort(time, account_ids, kam_ids)
    effort = np.where(np.isnan(logged), needs.effort, logged)
    cost = settings.change_costs(scored["quadrant"])
    limit = settings.change_limit(int((current >= 0).sum()))
    rows = np.arange(n_acc)

    below = ~(fit >= settings.min_fit) if settings.min_fit > 0 else np.zeros((n_acc, n_kam), bool)
    no_room = np.zeros((n_acc, n_kam), bool)
    if slots is not None:
        no_room |= (slots == 0)[None, :]
    if hours is not None:
        no_room |= effort[:, None] > hours[None, :]
    allowed = ~(forbidden | below | no_room)
    is_fixed = fixed >= 0
    problem: KamError | None = None
    try:
        _check_fixed(fixed, slots, account_ids, kam_ids)
    except KamError as exc:
        if strict:
            raise
        problem = exc
    allowed[is_fixed] = False
    allowed[rows[is_fixed], fixed[is_fixed]] = True
    takeable = allowed.any(axis=1)

    planned = np.where(current >= 0, current, -1)
    status, gap = "unknown", np.nan
    note = CapacityNote()
    if np.isfinite(fit).any() and problem is None:
        try:
            _check_capacity(slots, allowed, takeable, account_ids, kam_ids)
            solve_rows = np.flatnonzero(takeable)
            solution, note = _solve(fit[solve_rows], effort[solve_rows], allowed[solve_rows], current[solve_rows],
                                    cost[solve_rows], slots, hours, settings, limit)  # fmt: skip
            if solution.kam is None:
                raise _no_plan(solution.status, mode, settings, limit)
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
    unassignable = unassignable_accounts(scored, nobody, why_not, fit, kam_ids, settings, mode)
    has = planned >= 0
    room = Room(
        names=np.array([kam_names(kams)[k] for k in kam_ids], dtype=object),
        hours=np.bincount(planned[has], weights=effort[has], minlength=n_kam),
        capacity=hours,
        counts=np.bincount(planned[has], minlength=n_kam),
        slots=slots,
        effort=effort,
        cost=cost,
        limit=limit,
        changes=int((countable(current, allowed) & has & (planned != current)).sum()),
    )
    plan = plan_with_reasons(
        scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status, room
    )
    plan["effort_hours"] = effort
    plan["effort_source"] = np.where(np.isnan(logged), "strategy", "log").astype(object)
    plan["change_cost"] = cost
    plan = plan[[*plan.columns.drop("constraint"), "constraint"]]
    if "revenue" in scored:
        plan["revenue"] = pd.to_numeric(scored["revenue"], errors="coerce").to_numpy(dtype=np.float64)
    reasons_of = unassignable.set_index("account_id")
    for lang in LANGS:
        lost = plan["account_id"].isin(reasons_of.index)
        plan.loc[lost, f"reason_{lang}"] = plan.loc[lost, "account_id"].map(reasons_of[f"reason_{lang}"])
    teams = propose_teams(scored, levels.levels, needs, forbidden, kam_ids, settings)
    result = Assignment(
        settings=settings,
        capacity=mode,
        plan=plan,
        fit_table=_fit_table(account_ids, kam_ids, fit, allowed, current, planned, contributions, settings),
        kams=_kam_table(kams, fit, current, planned, effort),
        teams=teams,
        unassignable=unassignable,
        levels=levels,
        finding_rows=pd.DataFrame(),
        status=status,
        gap=gap,
        contributions=contributions,
        needs=needs,
        problem=problem,
        change_limit=limit,
        capacity_met=not note.short,
        currency=currency,
    )
    finding_rows = collect_findings(result, fixed, fit, note)
    return dataclasses.replace(result, finding_rows=finding_rows)


def assign_engagement(
    engagement: Engagement,
    scored: pd.DataFrame,
    settings: AssignmentSettings | None = None,
    strict: bool = True,
) -> Assignment:
    """`assign` on an engagement: its KAMs, competence assessments, time log (real hours per account) and currency,
    with `scored` from `score_scenario(engagement, scenario)`."""
    return assign(
        scored,
        engagement.kams,
        engagement.competences,
        settings,
        strict,
        time=engagement.time,
        currency=engagement.identity.currency,
    )


def _solve(fit, effort, allowed, current, cost, slots, hours, settings, limit) -> tuple[Solution, CapacityNote]:
    """The plan of the accounts some KAM may take: in places only (`solve_counts`), or in hours (`solve_hours`);
    when no plan keeps every KAM within their hours, the best of those with the least overload."""
    score = np.nan_to_num(fit, nan=0.0)
    args = (allowed, current, cost)
    if hours is None:
        count = np.full(score.shape[1], np.nan) if slots is None else slots
        return solve_counts(score, count, *args, max_changes=limit), CapacityNote()
    solution = solve_hours(score, effort, hours, *args, slots, settings.time_limit, limit)
    if solution.kam is not None or solution.status != "infeasible":
        return solution, CapacityNote()
    least = least_overload(effort, hours, allowed, current, slots, settings.time_limit, limit)
    if least is None:  # places, rules or the limit on changes: no plan whatever the hours
        return solution, CapacityNote()
    solution = solve_hours(score, effort, hours, *args, slots, settings.time_limit, limit, least.penalty)
    if solution.kam is None:  # none found in time: the plan of least overload, its fit not weighed
        solution = Solution(least.kam, "stopped", np.nan)
    elif least.status != "optimal":  # the overload is the least found, maybe not the least there is
        solution = solution._replace(status="stopped", gap=np.nan)
    return solution, _capacity_note(effort, hours, allowed, current, slots, settings, limit)


def _capacity_note(effort, hours, allowed, current, slots, settings, limit) -> CapacityNote:
    """Why no plan keeps every KAM within their hours: the totals, and whether `max_changes` is what stands in the
    way (a plan with no limit on changes would keep them)."""
    finite = np.isfinite(hours)
    free = None if limit is None else least_overload(effort, hours, allowed, current, slots, settings.time_limit)
    blocks = free is not None and free.status == "optimal" and free.penalty <= 1e-6
    return CapacityNote(True, float(effort.sum()), float(hours[finite].sum()), blocks)


def _column(kams: pd.DataFrame, name: str) -> np.ndarray:
    """A capacity column as floats; an empty cell (NaN) means no limit (infinite); a fraction of an account is
    no place, so max_accounts is rounded down (everywhere: the checks and the solver agree)."""
    values = np.nan_to_num(kams[name].to_numpy(dtype=np.float64), nan=np.inf)
    return np.floor(values) if name == "max_accounts" else values


def _capacity_mode(settings: AssignmentSettings, kams: pd.DataFrame) -> str:
    """The capacity applied: `auto` is both (places and hours) when any KAM has max_accounts, else hours."""
    has_counts = "max_accounts" in kams and bool(kams["max_accounts"].notna().any())
    mode = settings.capacity
    if mode == "auto":
        return "both" if has_counts else "hours"
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


def _check_fixed(fixed, slots, account_ids: list[str], kam_ids: list[str]) -> None:
    """Raise `KamError` if a KAM's fixed accounts alone pass its max_accounts (hours never stop a plan: an overload
    is a finding)."""
    en, es = [], []
    for k, kam in enumerate(kam_ids):
        mine = np.flatnonzero(fixed == k)
        names = list_known([account_ids[a] for a in mine], 8)
        if slots is not None and len(mine) > slots[k]:
            n = {lang: number_text(len(mine), lang, 0) for lang in LANGS}
            most = {lang: number_text(slots[k], lang, 0) for lang in LANGS}
            en.append(f"fixed pairs: {kam} has {n['en']} fixed accounts ({names}) but max_accounts {most['en']}")
            es.append(f"pares fijos: {kam} tiene {n['es']} cuentas fijadas ({names}) y max_accounts {most['es']}")
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _check_capacity(slots, allowed, takeable, account_ids: list[str], kam_ids: list[str]) -> None:
    """Raise `KamError` in plain words when the places (max_accounts) cannot hold the accounts that need a KAM: in
    total, or for the accounts that only one KAM may take. Hours are not checked here: they never stop a plan."""
    if slots is None:
        return
    n_need = int(takeable.sum())
    en, es = [], []
    places = np.minimum(slots, allowed.sum(axis=0)).sum()
    if places < n_need:
        has = {lang: number_text(places, lang, 0) for lang in LANGS}
        need = {lang: number_text(n_need, lang, 0) for lang in LANGS}
        en.append(
            f"capacity: the KAMs can take {has['en']} accounts in all (kams.max_accounts; an empty cell is no "
            f"limit) but {need['en']} accounts need a KAM; raise max_accounts, or allow more pairs (forbidden, min_fit)"
        )
        es.append(
            f"capacidad: los KAM pueden llevar {has['es']} cuentas en total (kams.max_accounts; una celda vacía es "
            f"sin límite) y {need['es']} cuentas necesitan KAM; suba max_accounts, o admita más pares (forbidden, "
            "min_fit)"
        )
    only = takeable & (allowed.sum(axis=1) == 1)
    sole = allowed.argmax(axis=1)
    for k, kam in enumerate(kam_ids):
        mine = np.flatnonzero(only & (sole == k))
        if len(mine) > slots[k]:
            names = list_known([account_ids[a] for a in mine], 8)
            n = {lang: number_text(len(mine), lang, 0) for lang in LANGS}
            most = {lang: number_text(slots[k], lang, 0) for lang in LANGS}
            en.append(
                f"capacity: {kam} is the only KAM allowed for {n['en']} accounts ({names}), more than its max_accounts "
                f"{most['en']}; allow other KAMs for them (fixed, forbidden, min_fit) or raise its capacity"
            )
            es.append(
                f"capacidad: {kam} es el único KAM admitido para {n['es']} cuentas ({names}), más que su max_accounts "
                f"{most['es']}; admita otros KAM para ellas (fixed, forbidden, min_fit) o suba su capacidad"
            )
    if en:
        raise KamError("\n".join(en), "\n".join(es))


def _no_plan(status: str, mode: str, settings: AssignmentSettings, limit: int | None) -> KamError:
    """The solver found no plan: name the constraints in force, or the time limit."""
    seconds = {lang: short_text(settings.time_limit, lang, 1) for lang in LANGS}
    if status == "stopped":
        return KamError(
            f"the solver found no plan within the time limit of {seconds['en']} s; raise time_limit in the "
            "assignment settings",
            f"el optimizador no encontró un plan en el límite de {seconds['es']} s; suba time_limit en los ajustes "
            "de asignación",
        )
    words = {lang: [CAPACITY_WORDS[mode][lang]] for lang in LANGS}
    n_forbidden, n_fixed = len(settings.forbidden), len(settings.fixed)
    for lang in LANGS:
        if limit is not None:
            words[lang].append(f"max_changes {number_text(limit, lang, 0)}")
        if n_forbidden:
            words[lang].append(f"{number_text(n_forbidden, lang, 0)} " + _WORDS["forbidden"][lang])
        if settings.min_fit > 0:
            words[lang].append(f"min_fit {number_text(settings.min_fit, lang, 1)}")
        if n_fixed:
            words[lang].append(f"{number_text(n_fixed, lang, 0)} " + _WORDS["fixed"][lang])
    return KamError(
        "no plan meets these constraints together: " + "; ".join(words["en"]) + ". Each account has a KAM allowed "
        "and the totals fit, but not all at once: relax one of them",
        "ningún plan cumple a la vez estas condiciones: " + "; ".join(words["es"]) + ". Cada cuenta tiene algún KAM "
        "admitido y los totales caben, pero no todo a la vez: relaje alguna",
    )


_WORDS = {
    "forbidden": {"en": "forbidden pairs", "es": "pares prohibidos"},
    "fixed": {"en": "fixed pairs", "es": "pares fijos"},
}


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
    """Per KAM: capacity, accounts now and planned, planned hours and their share of capacity, mean fit; the hours
    of its accounts now and their share; the hours planned above capacity."""
    n_kam = len(kams)
    rows = np.arange(len(current))
    capacity = kams["capacity_hours"].to_numpy(dtype=np.float64)
    has = planned >= 0
    now = current >= 0
    hours = np.bincount(planned[has], weights=effort[has], minlength=n_kam)
    hours_now = np.bincount(current[now], weights=effort[now], minlength=n_kam)
    with np.errstate(invalid="ignore", divide="ignore"):
        use = np.where(capacity > 0, 100.0 * hours / capacity, np.nan)
        use_now = np.where(capacity > 0, 100.0 * hours_now / capacity, np.nan)
    over = np.where(hours > capacity * (1 + TOLERANCE) + TOLERANCE, hours - capacity, 0.0)
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
            "effort_current": hours_now,
            "use_current": use_now,
            "over_planned": np.nan_to_num(over, nan=0.0),
        }
    )
