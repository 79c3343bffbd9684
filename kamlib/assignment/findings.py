"""What a KAM plan's reader should look at, most important first, in Spanish and English.

`assign` collects them into `Assignment.finding_rows` (kind, account_id, kam_id, competence, value, limit,
message_en, message_es), ordered by `FINDING_ORDER` (ours): first what makes the plan impossible or unsafe as it
stands (no assessment at all; hours that no plan keeps, and each KAM planned above capacity; accounts no KAM may
take), then what the plan costs the relationships (the churn: accounts and revenue that change KAM; the limit on
changes when it holds accounts back; today's overloads the plan relieves), then KAMs left with no account or with
less than half their hours planned (`UNDERUSED`), then the lesser ones (the solver's time limit, fixed pairs below
the minimum fit, teams, accounts with no quadrant, missing assessments, the customer's view against ours). Within
a kind, the largest first (overloads by share of capacity); never by KAM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from kamlib.assignment.reasons import fit_words
from kamlib.assignment.solver import NO_PLAN, TOLERANCE, kam_names
from kamlib.errors import list_known
from kamlib.i18n import LANGS, count_text, money_text, number_text, percent_text, short_text

if TYPE_CHECKING:  # the result type only: `kamlib.assignment.proposal` uses this module
    from kamlib.assignment.proposal import Assignment

FINDING_ORDER: tuple[str, ...] = (
    "no_assessment",
    "capacity_short",
    "overload",
    "unassignable",
    "churn",
    "max_changes",
    "overload_now",
    "empty_kam",
    "underused",
    "stopped",
    "fixed_below_min_fit",
    "no_team",
    "team",
    "unplaced",
    "unassessed_kam",
    "partly_assessed",
    "customer_gap",
)
"""The kinds of finding, most important first: the order of `Assignment.finding_rows`."""

UNDERUSED = 50.0
"""A KAM planned below this share of their hours (%) has room for more accounts: a finding (ours)."""

COLUMNS = ["kind", "account_id", "kam_id", "competence", "value", "limit", "message_en", "message_es"]


class CapacityNote(NamedTuple):
    """Why the plan could not keep every KAM within their hours, when it could not."""

    short: bool = False
    """No plan keeps every KAM within their hours: the plan has the least overload possible."""
    need: float = np.nan
    """Hours the accounts in the plan take."""
    have: float = np.nan
    """Hours the KAMs with a limit have."""
    limit_blocks: bool = False
    """A plan with no limit on changes would keep every KAM within their hours: `max_changes` stands in the way."""


class _Rows(list):
    """The findings as rows, added one by one."""

    def add(self, kind, en, es, account=None, kam=None, competence=None, value=np.nan, limit=np.nan) -> None:
        self.append(dict(zip(COLUMNS, (kind, account, kam, competence, value, limit, en, es), strict=True)))


def collect_findings(result: Assignment, fixed: np.ndarray, fit: np.ndarray, note: CapacityNote) -> pd.DataFrame:
    """What deserves a look in `result` (its `finding_rows` not yet filled), most important first (`FINDING_ORDER`).

    `fixed` is each account's fixed KAM (index, -1 none), `fit` the (A, K) fit, `note` what the solver found about
    the hours.
    """
    rows = _Rows()
    planned = result.status not in NO_PLAN
    if planned:
        _capacity(result, note, rows)
        _churn(result, rows)
        _empty_kams(result, rows)
    for r in result.unassignable.itertuples(index=False):
        rows.add("unassignable", f"{r.account_id}: {r.reason_en}.", f"{r.account_id}: {r.reason_es}.", r.account_id)
    _lesser(result, fixed, fit, rows)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    rank = frame["kind"].map({kind: i for i, kind in enumerate(FINDING_ORDER)}).fillna(len(FINDING_ORDER))
    return frame.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


# --- capacity ----------------------------------------------------------------------------------------


def _capacity(result: Assignment, note: CapacityNote, rows: _Rows) -> None:
    """Hours no plan keeps; each KAM planned above capacity (the most over first); today's overloads."""
    kams = result.kams
    names = kam_names(kams)
    if note.short:
        need = {lang: number_text(note.need, lang, 0) for lang in LANGS}
        have = {lang: number_text(note.have, lang, 0) for lang in LANGS}
        if note.need > note.have * (1 + TOLERANCE):
            share = {lang: percent_text(100.0 * note.need / note.have, lang) for lang in LANGS}
            en = (
                f"No plan keeps every KAM within their hours: the accounts need {need['en']} h and the KAMs have "
                f"{have['en']} h ({share['en']}); the hours over are spread as thinly as they can be. Raise "
                "capacity_hours, lower effort_hours, or take accounts out."
            )
            es = (
                f"Ningún plan deja a cada KAM dentro de sus horas: las cuentas necesitan {need['es']} h y los KAM "
                f"tienen {have['es']} h ({share['es']}); las horas de más se reparten lo más posible. Suba "
                "capacity_hours, baje effort_hours o saque cuentas."
            )
        elif note.limit_blocks:
            limit = {lang: number_text(result.change_limit or 0, lang, 0) for lang in LANGS}
            en = (
                f"No plan that changes at most {limit['en']} accounts (max_changes) keeps every KAM within their "
                "hours; one that changes more does: raise max_changes."
            )
            es = (
                f"Ningún plan que cambie como mucho {limit['es']} cuentas (max_changes) deja a cada KAM dentro de sus "
                "horas; uno que cambie más sí: suba max_changes."
            )
        else:
            en = (
                f"No plan keeps every KAM within their hours, though the team has {have['en']} h for {need['en']} h: "
                "the accounts do not divide among the KAMs (their size, fixed and forbidden pairs, min_fit); the "
                "hours over are as few as they can be."
            )
            es = (
                f"Ningún plan deja a cada KAM dentro de sus horas, aunque el equipo tiene {have['es']} h para "
                f"{need['es']} h: las cuentas no se reparten entre los KAM (su tamaño, pares fijos y prohibidos, "
                "min_fit); las horas de más son las menos posibles."
            )
        rows.add("capacity_short", en, es, value=note.need, limit=note.have)
    applied = result.capacity in ("hours", "both")
    over = kams[kams["over_planned"] > 0].sort_values("use_planned", ascending=False, kind="stable")
    for r in over.itertuples(index=False):
        h = {lang: number_text(r.effort_planned, lang, 0) for lang in LANGS}
        cap = {lang: number_text(r.capacity_hours, lang, 0) for lang in LANGS}
        more = {lang: number_text(r.over_planned, lang, 0) for lang in LANGS}
        share = {lang: percent_text(r.use_planned, lang) for lang in LANGS}
        en = (
            f"{names[r.kam_id]} is planned above capacity: {h['en']} of {cap['en']} h, {more['en']} h over "
            f"({share['en']} of their hours)."
        )
        es = (
            f"{names[r.kam_id]} queda por encima de su capacidad en el plan: {h['es']} de {cap['es']} h, "
            f"{more['es']} h de más ({share['es']} de sus horas)."
        )
        if not applied:
            en += f" Hours are not applied (capacity: {result.capacity}); capacity: both would apply them."
            es += f" No se aplican las horas (capacity: {result.capacity}); capacity: both las aplicaría."
        rows.add("overload", en, es, kam=r.kam_id, value=r.over_planned, limit=r.capacity_hours)
    if not applied:
        return
    busy = kams["effort_current"] > kams["capacity_hours"] * (1 + TOLERANCE) + TOLERANCE
    busy &= kams["over_planned"] <= 0  # those the plan leaves over are said above
    for r in kams[busy].sort_values("use_current", ascending=False, kind="stable").itertuples(index=False):
        now = {lang: number_text(r.effort_current, lang, 0) for lang in LANGS}
        cap = {lang: number_text(r.capacity_hours, lang, 0) for lang in LANGS}
        share = {lang: percent_text(r.use_current, lang) for lang in LANGS}
        then = {lang: number_text(r.effort_planned, lang, 0) for lang in LANGS}
        share_then = {lang: percent_text(r.use_planned, lang) for lang in LANGS}
        rows.add(
            "overload_now",
            f"Today {names[r.kam_id]}'s accounts take {now['en']} of their {cap['en']} h ({share['en']}); the plan "
            f"brings them to {then['en']} h ({share_then['en']}).",
            f"Hoy las cuentas de {names[r.kam_id]} suponen {now['es']} de sus {cap['es']} h ({share['es']}); el plan "
            f"las deja en {then['es']} h ({share_then['es']}).",
            kam=r.kam_id,
            value=r.effort_current,
            limit=r.capacity_hours,
        )


# --- churn and empty KAMs ----------------------------------------------------------------------------


def _churn(result: Assignment, rows: _Rows) -> None:
    """How many accounts and how much revenue change KAM, and why; accounts held back by `max_changes`."""
    plan = result.plan
    moved = plan["change"].to_numpy(dtype=bool)
    n_moved, n_all = int(moved.sum()), len(plan)
    constraint = plan["constraint"].to_numpy(dtype=object)
    by_capacity = int((moved & np.isin(constraint, ["hours", "accounts"])).sum())
    imposed = int((moved & (constraint == "rules")).sum())
    first = int((plan["current_kam_id"].isna() & plan["kam_id"].notna()).sum())
    share = 100.0 * n_moved / n_all if n_all else 0.0
    words = {}
    for lang in LANGS:
        n = number_text(n_moved, lang, 0)
        if not n_moved:
            text = {"en": "The plan changes no account's KAM", "es": "El plan no cambia el KAM de ninguna cuenta"}[lang]
        elif lang == "en":
            text = f"The plan changes the KAM of {n} of {count_text(('{n} account', '{n} accounts'), n_all, lang)}"
        else:
            text = f"El plan cambia el KAM de {n} de {count_text(('{n} cuenta', '{n} cuentas'), n_all, lang)}"
        if n_moved:
            text += f" ({percent_text(share, lang)})" + _revenue_words(plan, moved, result.currency, lang)
        if by_capacity:
            text += {
                "en": f"; {number_text(by_capacity, lang, 0)} of them because a KAM is at capacity",
                "es": f"; {number_text(by_capacity, lang, 0)} de ellas porque un KAM está al límite de su capacidad",
            }[lang]
        if imposed:
            text += {
                "en": f"; {number_text(imposed, lang, 0)} because the settings rule out their KAM",
                "es": f"; {number_text(imposed, lang, 0)} porque los ajustes excluyen a su KAM",
            }[lang]
        if first:
            words_first = {
                "en": ("{n} account with no KAM gets one", "{n} accounts with no KAM get one"),
                "es": ("{n} cuenta sin KAM recibe uno", "{n} cuentas sin KAM reciben uno"),
            }[lang]
            text += "; " + count_text(words_first, first, lang)
        words[lang] = text + "."
    limit = np.nan if result.change_limit is None else result.change_limit
    rows.add("churn", words["en"], words["es"], value=n_moved, limit=limit)
    held = int((constraint == "max_changes").sum())
    if held and result.change_limit is not None:
        most = {lang: number_text(result.change_limit, lang, 0) for lang in LANGS}
        more = {
            "en": count_text(("{n} more account would gain", "{n} more accounts would each gain"), held, "en"),
            "es": count_text(("{n} cuenta más ganaría", "{n} cuentas más ganarían cada una"), held, "es"),
        }
        rows.add(
            "max_changes",
            f"The plan makes the most changes max_changes allows ({most['en']}): {more['en']} more than their change "
            "cost with a KAM who has room (see their reasons); raise max_changes to let them move.",
            f"El plan hace tantos cambios como permite max_changes ({most['es']}): {more['es']} más que su coste de "
            "cambio con un KAM que tiene hueco (vea sus motivos); suba max_changes para que cambien.",
            value=held,
            limit=result.change_limit,
        )


def _revenue_words(plan: pd.DataFrame, moved: np.ndarray, currency: str, lang: str) -> str:
    """ ", €3,456,789 of €68,000,000 revenue (5.1%)", or nothing when the plan has no revenue."""
    if "revenue" not in plan:
        return ""
    revenue = plan["revenue"].to_numpy(dtype=np.float64)
    total = float(np.nansum(revenue))
    if not total > 0:
        return ""
    part = float(np.nansum(revenue[moved]))
    amounts = {lang: (money_text(part, lang, currency), money_text(total, lang, currency)) for lang in LANGS}
    share = percent_text(100.0 * part / total, lang)
    if lang == "es":
        return f", {amounts['es'][0]} de {amounts['es'][1]} de facturación ({share})"
    return f", {amounts['en'][0]} of {amounts['en'][1]} in revenue ({share})"


def _empty_kams(result: Assignment, rows: _Rows) -> None:
    """Each KAM the plan leaves with no account, then each with less than `UNDERUSED` % of their hours planned
    (the emptiest first)."""
    names = kam_names(result.kams)
    kams = result.kams
    idle = (kams["accounts_planned"] > 0) & (kams["use_planned"] < UNDERUSED) & np.isfinite(kams["capacity_hours"])
    for r in kams[idle].sort_values("use_planned", kind="stable").itertuples(index=False):
        share = {lang: percent_text(r.use_planned, lang) for lang in LANGS}
        h = {lang: number_text(r.effort_planned, lang, 0) for lang in LANGS}
        cap = {lang: number_text(r.capacity_hours, lang, 0) for lang in LANGS}
        rows.add(
            "underused",
            f"{names[r.kam_id]} is planned at {share['en']} of their hours ({h['en']} of {cap['en']} h): room for "
            "more accounts.",
            f"{names[r.kam_id]} queda en el plan al {share['es']} de sus horas ({h['es']} de {cap['es']} h): tiene "
            "hueco para más cuentas.",
            kam=r.kam_id,
            value=r.use_planned,
            limit=UNDERUSED,
        )
    for r in result.kams[result.kams["accounts_planned"] == 0].itertuples(index=False):
        today = {
            "en": count_text(("{n} account today", "{n} accounts today"), int(r.accounts_current), "en"),
            "es": count_text(("{n} cuenta hoy", "{n} cuentas hoy"), int(r.accounts_current), "es"),
        }
        hours = {"en": "", "es": ""}
        if np.isfinite(r.capacity_hours) and r.capacity_hours > 0:
            hours = {
                "en": f"their {number_text(r.capacity_hours, 'en', 0)} h go unused; ",
                "es": f"sus {number_text(r.capacity_hours, 'es', 0)} h quedan sin uso; ",
            }
        rows.add(
            "empty_kam",
            f"{names[r.kam_id]} has no account in the plan ({today['en']}): {hours['en']}fix accounts to them "
            "(fixed) or review their assessment.",
            f"{names[r.kam_id]} no tiene ninguna cuenta en el plan ({today['es']}): {hours['es']}fíjele cuentas "
            "(fixed) o revise su evaluación.",
            kam=r.kam_id,
            value=r.accounts_current,
        )


# --- the lesser ones -----------------------------------------------------------------------------------


def _lesser(result: Assignment, fixed: np.ndarray, fit: np.ndarray, rows: _Rows) -> None:
    """The solver's time limit, teams, fixed pairs below the minimum fit, accounts with no quadrant, missing
    assessments and the customer's view against ours."""
    settings = result.settings
    kam_ids = result.kams["kam_id"].tolist()
    plan = result.plan
    if result.status == "stopped":
        seconds = {lang: short_text(settings.time_limit, lang, 1) for lang in LANGS}
        if np.isfinite(result.gap):
            g = {lang: percent_text(100 * result.gap, lang, 2) for lang in LANGS}
            en = f"the plan is within {g['en']} of the optimum."
            es = f"el plan está a menos del {g['es']} del óptimo."
        else:
            en = "the plan is the best found, maybe not the best there is; raise time_limit to look further."
            es = "el plan es el mejor encontrado, quizá no el mejor posible; suba time_limit para buscar más."
        rows.add(
            "stopped",
            f"The solver stopped at the time limit ({seconds['en']} s): {en}",
            f"El optimizador se detuvo en el límite de tiempo ({seconds['es']} s): {es}",
            value=result.gap,
        )
    for r in result.teams.itertuples(index=False):
        rows.add("team" if r.size else "no_team", r.message_en, r.message_es, r.account_id, value=r.team_fit)
    for a in np.flatnonzero(fixed >= 0):
        k = fixed[a]
        if settings.min_fit > 0 and not fit[a, k] >= settings.min_fit:
            account = plan["account_id"].iloc[a]
            f = {lang: fit_words(fit[a, k], lang) for lang in LANGS}
            m = {lang: number_text(settings.min_fit, lang, 1) for lang in LANGS}
            rows.add(
                "fixed_below_min_fit",
                f"{account}: fixed to {kam_ids[k]}, whose fit {f['en']} is below the minimum fit {m['en']}.",
                f"{account}: fijada a {kam_ids[k]}, cuyo encaje {f['es']} está por debajo del mínimo {m['es']}.",
                account,
                kam_ids[k],
                value=fit[a, k],
                limit=settings.min_fit,
            )
    unplaced = plan.loc[plan["quadrant"].isna(), "account_id"].tolist()
    if unplaced:
        who = list_known(unplaced)
        n = len(unplaced)
        en = count_text(("{n} account has", "{n} accounts have"), n, "en")
        es = count_text(("{n} cuenta no tiene", "{n} cuentas no tienen"), n, "es")
        rows.add(
            "unplaced",
            f"{en} no quadrant (left out of the matrix): they are taken to need the mean of the four strategies: "
            f"{who}.",
            f"{es} cuadrante (fuera de la matriz): se les supone la media de las cuatro estrategias: {who}.",
        )
    levels = result.levels
    assessed = ~np.isnan(levels.levels).all(axis=1)
    if not assessed.any():
        rows.add(
            "no_assessment",
            "No KAM has a competence assessment yet: every fit is unknown, so no plan is proposed.",
            "Ningún KAM tiene aún evaluación de competencias: todo encaje es desconocido y no se propone plan.",
        )
    else:
        for k in np.flatnonzero(~assessed):
            rows.add(
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
                rows.add(
                    "partly_assessed",
                    f"{kam_ids[k]} is not assessed on {en}: counted as the lowest level until someone rates it.",
                    f"{kam_ids[k]} no está evaluado en {es}: cuenta como el nivel más bajo hasta que alguien lo "
                    "evalúe.",
                    kam=kam_ids[k],
                )
    for r in levels.finding_rows.itertuples(index=False):
        rows.add(r.kind, r.message_en, r.message_es, None, r.kam_id, r.competence, r.value, r.limit)
