"""The KAM assignment in words: why each account gets its KAM, and the tables for people.

`kamlib.assignment.proposal` computes the plan; this says it. `assign` builds here the plan's reasons (kept, moved,
new, fixed, unassignable, …), naming the constraint that decided an account's KAM against its best fit (a KAM at
capacity, the limit on changes, the settings) and the accounts no KAM may take, in Spanish and English; the
findings are `kamlib.assignment.findings`. The `Assignment` methods (`explain`, `kam_table`, `changes`,
`team_table`, `competence_table`) are the functions below of the same name, taking the result, and `summary` is
`headline`. `kamlib.assignment.proposal` imports this module; this one names `Assignment` in annotations only. One
account's KAM and fit as HTML is `kamlib.views.assignment`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from kamlib.assignment.competences import level_text
from kamlib.assignment.solver import CAPACITY_WORDS, TOLERANCE, kam_names
from kamlib.errors import KamError, list_known
from kamlib.i18n import LANGS, check_lang, count_text, number_text
from kamlib.method import STRATEGY_NAMES

if TYPE_CHECKING:  # the result type only: `Assignment` itself uses this module
    from kamlib.assignment.proposal import Assignment

_EPS = 1e-9
"""Fit differences below this are ties."""

Words = dict[str, str]
"""A sentence in each language: {"en": …, "es": …}."""

# --- the reasons per account (built by `assign`) ---------------------------------------------------


class Room(NamedTuple):
    """What the reasons need to know of the plan's load and of continuity (arrays over KAMs (K,) or accounts (A,))."""

    names: np.ndarray
    """(K,) each KAM's name for people."""
    hours: np.ndarray
    """(K,) the hours of each KAM's planned accounts."""
    capacity: np.ndarray | None
    """(K,) `capacity_hours` when hours are in force (inf: no limit), else None."""
    counts: np.ndarray
    """(K,) each KAM's planned accounts."""
    slots: np.ndarray | None
    """(K,) places (`max_accounts`) when they are in force (inf: no limit), else None."""
    effort: np.ndarray
    """(A,) the hours each account takes."""
    cost: np.ndarray
    """(A,) the fit points a change of each account's KAM costs."""
    limit: int | None
    """The most changes the plan may make (None: no limit)."""
    changes: int
    """The changes the plan makes that count against the limit."""


def fit_words(value: float, lang: str) -> str:
    """A fit for people: 72.5 (72,5 in Spanish), or unknown."""
    return {"en": "unknown", "es": "desconocido"}[lang] if np.isnan(value) else number_text(value, lang, 1)


def unassignable_accounts(scored, nobody, why_not, fit, kam_ids, settings, mode) -> pd.DataFrame:
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
                who = list_known([f"{kam_ids[k]} ({fit_words(fit[a, k], lang)})" for k in order], 4)
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


def plan_with_reasons(
    scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status, room: Room
) -> pd.DataFrame:
    """The plan: one row per account with its planned and current KAM, their fit, the reason in both languages and
    the constraint that decided it (see `Assignment.plan`)."""
    n_acc = len(scored)
    rows = np.arange(n_acc)
    ids = np.array([*kam_ids, None], dtype=object)
    fit_plan = np.where(planned >= 0, fit[rows, planned], np.nan)
    fit_now = np.where(current >= 0, fit[rows, current], np.nan)
    quadrants = scored["quadrant"].to_numpy(dtype=object)
    codes, constraints, reasons = [], [], {"en": [], "es": []}
    for a in rows:
        why = _Why(a, current[a], planned[a], bool(is_fixed[a]), quadrants[a])
        code, constraint, words = _reason(why, fit, allowed, contributions, why_not, settings, status, room)
        codes.append(code)
        constraints.append(constraint)
        for lang in LANGS:
            reasons[lang].append(words[lang])
    return pd.DataFrame(
        {
            "account_id": scored["account_id"].to_numpy(dtype=object),
            "kam_id": ids[planned],
            "current_kam_id": scored["kam_id"].to_numpy(dtype=object),
            "fit": fit_plan,
            "fit_current": fit_now,
            "gain": np.nan_to_num(fit_plan) - np.nan_to_num(fit_now),
            "change": (planned >= 0) & (current >= 0) & (planned != current),
            "status": codes,
            "reason_es": reasons["es"],
            "reason_en": reasons["en"],
            "name": scored["name"].to_numpy(dtype=object) if "name" in scored else None,
            "quadrant": quadrants,
            "constraint": constraints,
        }
    )


class _Why(NamedTuple):
    """One account's case: its position, current KAM c and planned KAM k (indices, -1 none)."""

    a: int
    c: int
    k: int
    fixed: bool
    quadrant: object


def _reason(why: _Why, fit, allowed, contributions, why_not, settings, status, room: Room) -> tuple[str, str, Words]:
    """Why account `a` gets KAM `k`: a status code, the constraint that decided it (or ""), a sentence per language."""
    a, c, k = why.a, why.c, why.k
    names = room.names
    if status in ("infeasible", "unknown"):
        return status, "", _no_plan_words(status, names[c] if c >= 0 else None)
    if k < 0:
        return "unassignable", "rules", {"en": "", "es": ""}  # the reason comes from the unassignable table
    f = {lang: fit_words(fit[a, k], lang) for lang in LANGS}
    if why.fixed:
        was = {"en": f" (was {names[c]})", "es": f" (antes {names[c]})"} if 0 <= c != k else {"en": "", "es": ""}
        words = {
            "en": f"fixed to {names[k]} in the assignment settings{was['en']}; fit {f['en']}",
            "es": f"fijada a {names[k]} en los ajustes de asignación{was['es']}; encaje {f['es']}",
        }
        return "fixed", "rules" if 0 <= c != k else "", words
    if k == c or c < 0:
        return _stay_words(why, fit, allowed, room)
    head = f"{names[c]} → {names[k]}: "
    now = {lang: fit_words(fit[a, c], lang) for lang in LANGS}
    constraint, words = "rules", None
    if why_not["forbidden"][a, c]:
        words = {"en": f"{names[c]} is forbidden for this account in the assignment settings",
                 "es": f"{names[c]} está prohibido para esta cuenta en los ajustes de asignación"}  # fmt: skip
    elif why_not["below"][a, c]:
        m = {lang: number_text(settings.min_fit, lang, 1) for lang in LANGS}
        words = {"en": f"{names[c]}'s fit {now['en']} is below the minimum fit {m['en']}",
                 "es": f"el encaje de {names[c]}, {now['es']}, está por debajo del mínimo {m['es']}"}  # fmt: skip
    elif why_not["no_room"][a, c]:
        words = {"en": f"{names[c]} has no room for it", "es": f"{names[c]} no tiene capacidad para ella"}
        if room.capacity is not None and room.effort[a] > room.capacity[c]:
            h = {lang: number_text(room.effort[a], lang, 0) for lang in LANGS}
            cap = {lang: number_text(room.capacity[c], lang, 0) for lang in LANGS}
            words = {
                "en": f"{names[c]} has no room for it: it takes {h['en']} h, more than their {cap['en']} h",
                "es": f"{names[c]} no tiene capacidad para ella: necesita {h['es']} h, más que sus {cap['es']} h",
            }
    elif np.isnan(fit[a, c]):
        constraint = ""
        words = {"en": f"{names[c]} has no assessment (fit unknown); {names[k]} fits {f['en']}",
                 "es": f"{names[c]} no tiene evaluación (encaje desconocido); {names[k]} encaja {f['es']}"}  # fmt: skip
    elif fit[a, k] - fit[a, c] > room.cost[a] + _EPS:  # worth its change cost
        constraint = ""
        cost = {lang: _cost_words(room.cost[a], why.quadrant, lang) if room.cost[a] > 0 else None for lang in LANGS}
        words = {lang: _better_words(a, k, c, names, fit, contributions, settings, cost[lang], lang) for lang in LANGS}
    else:  # not worth its change cost by itself: the current KAM's capacity moved it
        full = _at_capacity(room, c, a)
        constraint = full[0] if full is not None else ""
        if full is not None:
            words = {
                "en": f"{names[c]} is {full[1]['en']}; {names[k]} fits {f['en']} against {now['en']}",
                "es": f"{names[c]} está {full[1]['es']}; {names[k]} encaja {f['es']} frente a {now['es']}",
            }
        else:
            words = {
                "en": f"{names[c]} (fit {now['en']}) is needed for accounts where they add more, within their "
                f"capacity; {names[k]} fits {f['en']}",
                "es": f"{names[c]} (encaje {now['es']}) hace falta en cuentas donde aporta más, dentro de su "
                f"capacidad; {names[k]} encaja {f['es']}",
            }
    return "moved", constraint, {lang: head + words[lang] for lang in LANGS}


def _no_plan_words(status: str, stays: str | None) -> Words:
    """The reason of every account when there is no plan: the constraints cannot all be met, or no fit is known."""
    if status == "infeasible":
        return {
            "en": f"no plan meets the constraints; {stays or '—'} stays",
            "es": f"ningún plan cumple las condiciones; se mantiene {stays or '—'}",
        }
    if stays is not None:
        return {
            "en": f"no competence assessment: fit unknown; {stays} stays",
            "es": f"sin evaluación de competencias: encaje desconocido; se mantiene {stays}",
        }
    return {
        "en": "no competence assessment and no current KAM: no proposal",
        "es": "sin evaluación de competencias ni KAM actual: sin propuesta",
    }


def _stay_words(why: _Why, fit, allowed, room: Room) -> tuple[str, str, Words]:
    """Why an account keeps its KAM (or, with none now, gets `k`) when another fits it better: the change cost,
    the better KAMs' capacity, or the limit on changes."""
    a, c, k = why.a, why.c, why.k
    names = room.names
    code = "kept" if c >= 0 else "new"
    f = {lang: fit_words(fit[a, k], lang) for lang in LANGS}
    if c >= 0:
        head = {"en": f"kept {names[k]}", "es": f"se mantiene {names[k]}"}
    else:
        head = {"en": f"no current KAM; {names[k]}", "es": f"sin KAM actual; {names[k]}"}
    gain = np.where(allowed[a], np.nan_to_num(fit[a]) - np.nan_to_num(fit[a, k]), -np.inf)
    b = int(np.argmax(gain))
    if gain[b] <= _EPS:
        best = {"en": "the best fit among the KAMs allowed", "es": "el mejor encaje entre los KAM admitidos"}
        if c < 0:
            best = {"en": "is " + best["en"], "es": "es " + best["es"]}
        sep = ": " if c >= 0 else " "
        return code, "", {lang: f"{head[lang]}{sep}{best[lang]} ({f[lang]})" for lang in LANGS}
    cost = room.cost[a] if c >= 0 else 0.0
    if gain[b] <= cost + _EPS:
        d = {lang: number_text(gain[b], lang, 1) for lang in LANGS}
        paid = {lang: _cost_words(cost, why.quadrant, lang) for lang in LANGS}
        words = {
            "en": f"{head['en']} for continuity: {names[b]} fits {d['en']} points more, less than the change cost "
            f"({paid['en']})",
            "es": f"{head['es']} por continuidad: {names[b]} encaja {d['es']} puntos más, menos que el coste de "
            f"cambio ({paid['es']})",
        }
        return code, "", words
    worth = np.flatnonzero(gain > cost + _EPS)
    worth = worth[np.argsort(-gain[worth], kind="stable")]
    free = [j for j in worth if _at_capacity(room, j, a) is None]
    opening = {
        "en": f"{head['en']} (fit {f['en']}): {{who}} fits {{d}} points more",
        "es": f"{head['es']} (encaje {f['es']}): {{who}} encaja {{d}} puntos más",
    }
    if free and c >= 0 and room.limit is not None and room.changes >= room.limit:
        j = free[0]
        n = {lang: count_text(_COUNTS["accounts"][lang], room.changes, lang) for lang in LANGS}
        tail = {
            "en": f" and has room, but the plan already changes {n['en']}, the most max_changes allows",
            "es": f" y tiene hueco, pero el plan ya cambia {n['es']}, el máximo que permite max_changes",
        }
        return code, "max_changes", _opening(opening, names[j], gain[j], tail)
    if not free:
        full = _at_capacity(room, b, a)
        tail = {"en": f" but is {full[1]['en']}", "es": f" pero está {full[1]['es']}"}
        return code, full[0], _opening(opening, names[b], gain[b], tail)
    tail = {"en": ", but their capacity goes to accounts where they add more",
            "es": ", pero su capacidad va a cuentas donde aporta más"}  # fmt: skip
    return code, "", _opening(opening, names[free[0]], gain[free[0]], tail)


def _opening(opening: Words, who: str, gain: float, tail: Words) -> Words:
    """Fill in "… {who} fits {d} points more" and add the tail, in both languages."""
    return {lang: opening[lang].format(who=who, d=number_text(gain, lang, 1)) + tail[lang] for lang in LANGS}


def _at_capacity(room: Room, j: int, a: int) -> tuple[str, Words] | None:
    """If KAM j could not take account a on top of the plan: which capacity stops it (`hours` or `accounts`) and
    the words, e.g. "at capacity: 1,640 of 1,600 h with this account" (after "María is"); else None."""
    if room.capacity is not None and np.isfinite(room.capacity[j]):
        with_it = room.hours[j] + room.effort[a]
        if with_it > room.capacity[j] * (1 + TOLERANCE) + TOLERANCE:
            h = {lang: number_text(with_it, lang, 0) for lang in LANGS}
            cap = {lang: number_text(room.capacity[j], lang, 0) for lang in LANGS}
            return "hours", {
                "en": f"at capacity: {h['en']} of {cap['en']} h with this account",
                "es": f"al límite de su capacidad: {h['es']} de {cap['es']} h con esta cuenta",
            }
    if room.slots is not None and np.isfinite(room.slots[j]) and room.counts[j] + 1 > room.slots[j]:
        n = {lang: number_text(room.counts[j] + 1, lang, 0) for lang in LANGS}
        most = {lang: number_text(room.slots[j], lang, 0) for lang in LANGS}
        return "accounts", {
            "en": f"at capacity: {n['en']} of {most['en']} accounts with this one",
            "es": f"al límite de su capacidad: {n['es']} de {most['es']} cuentas con esta",
        }
    return None


def _cost_words(cost: float, quadrant: object, lang: str) -> str:
    """A change cost for people, with the strategy it comes from: "Invest: 20.0" ("Invertir: 20,0")."""
    strategy = STRATEGY_NAMES[quadrant][lang] if isinstance(quadrant, str) and quadrant in STRATEGY_NAMES else None
    strategy = strategy or {"en": "no quadrant", "es": "sin cuadrante"}[lang]
    return f"{strategy}: {number_text(cost, lang, 1)}"


def _better_words(a, k, c, names, fit, contributions, settings, cost: str | None, lang: str) -> str:
    """Say why KAM k beats the current c, e.g. "Carmen fits better: 82.0 against 61.0 (+21.0, more than the change
    cost, Invest: 20.0); most of it from …" (`cost` None: no change cost to name)."""
    diff = contributions[a, k] - contributions[a, c]
    ids = settings.competence_ids()
    top = [j for j in np.argsort(-diff, kind="stable")[:2] if diff[j] > 0.05]
    parts = ", ".join(f"{settings.label(ids[j], lang)} (+{number_text(diff[j], lang, 1)})" for j in top)
    gain = number_text(fit[a, k] - fit[a, c], lang, 1)
    new, old = number_text(fit[a, k], lang, 1), number_text(fit[a, c], lang, 1)
    if lang == "es":
        paid = f", más que el coste de cambio, {cost}" if cost else ""
        return f"{names[k]} encaja mejor: {new} frente a {old} (+{gain}{paid}); sobre todo por {parts}"
    paid = f", more than the change cost, {cost}" if cost else ""
    return f"{names[k]} fits better: {new} against {old} (+{gain}{paid}); most of it from {parts}"


# --- the result for people (the `Assignment` methods) ----------------------------------------------


def explain(result: Assignment, account_id: str, kam_id: str, lang: str = "en") -> pd.DataFrame:
    """Tell which competences raise or lower the fit of `kam_id` for `account_id`, against what the account
    needs and against the other KAMs; one row per competence, the most favourable first.

    Columns: competence, label, importance, weight (% of the weight counted), level, required, met,
    contribution (points; they add up to the fit), others_mean (the mean contribution over the other KAMs
    of known fit), versus_others (the difference; they add up to fit − the others' mean fit), note (in
    `lang`). The fit and the others' mean fit are in `.attrs`.
    """
    check_lang(lang)
    a = position_of(result.plan["account_id"], account_id, "account")
    k = position_of(result.kams["kam_id"], kam_id, "kam")
    ids = result.settings.competence_ids()
    points = result.contributions[a]  # (K, C)
    others = np.delete(np.arange(points.shape[0]), k)
    others = others[~np.isnan(points[others]).any(axis=1)]
    level = result.levels.levels[k]
    weight = result.needs.importance[a] * ~np.isnan(level)
    required = result.needs.minimum[a]
    frame = pd.DataFrame(
        {
            "competence": ids,
            "label": [result.settings.label(c, lang) for c in ids],
            "importance": result.needs.importance[a],
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


def kam_table(result: Assignment, lang: str = "en") -> pd.DataFrame:
    """One row per KAM for people: places and hours, planned against now, mean fit; headers in `lang`."""
    check_lang(lang)
    rounding = {"effort_planned": 0, "use_planned": 1, "fit_current": 1, "fit_planned": 1, "effort_current": 0}
    frame = result.kams.round(rounding | {"use_current": 1, "over_planned": 0})
    return frame.rename(columns={c: _HEADERS[c][lang] for c in frame.columns})


def changes(result: Assignment, lang: str = "en") -> pd.DataFrame:
    """The accounts that change KAM (or get one, or have none), for people: strategy, KAM now → planned by name,
    fit, why."""
    check_lang(lang)
    names = kam_names(result.kams)
    plan = result.plan
    rows = plan[plan["change"] | plan["kam_id"].isna() | (plan["current_kam_id"].isna() & plan["kam_id"].notna())]
    words = TABLE_WORDS[lang]
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


def team_table(result: Assignment, lang: str = "en") -> pd.DataFrame:
    """The KAM teams proposed, for people: account, strategy, what no single KAM covers, the team, in words."""
    check_lang(lang)
    words = TABLE_WORDS[lang]
    teams = result.teams
    return pd.DataFrame(
        {
            words["account"]: teams["name"].to_numpy(),
            words["strategy"]: [STRATEGY_NAMES[q][lang] if isinstance(q, str) else "" for q in teams["quadrant"]],
            words["needs"]: teams[f"needs_{lang}"].to_numpy(),
            words["team"]: teams["members"].to_numpy(),
            words["why"]: teams[f"message_{lang}"].to_numpy(),
        }
    )


def competence_table(result: Assignment, lang: str = "en") -> pd.DataFrame:
    """Each KAM's level per competence (1–5) for people: KAMs by name down, competences across; where the
    customer rated too, the customer's view follows in brackets."""
    check_lang(lang)
    table = result.levels.table
    names = kam_names(result.kams)

    def cell(row: pd.Series) -> str:
        if pd.isna(row["level"]):
            return ""
        text = number_text(row["supplier"] if pd.notna(row["supplier"]) else row["level"], lang, 1)
        if pd.notna(row["customer"]):
            text += f" ({TABLE_WORDS[lang]['customer']} {number_text(row['customer'], lang, 1)})"
        return text

    shown = table.assign(text=table.apply(cell, axis=1))
    pivot = shown.pivot(index="kam_id", columns="competence", values="text")
    pivot = pivot.reindex(index=result.kams["kam_id"], columns=result.settings.competence_ids())
    pivot.index = [names[k] for k in pivot.index]
    pivot.columns = [result.settings.label(c, lang) for c in pivot.columns]
    return pivot


def headline(result: Assignment, lang: str) -> str:
    """The plan in one sentence: accounts, KAMs, capacity, total fit against now, changes of KAM (and their limit);
    or why there is none."""
    plan = result.plan
    counts = {
        "accounts": len(plan),
        "kams": len(result.kams),
        "changes": int(plan["change"].sum()),
        "none": len(result.unassignable),
    }
    n = {key: count_text(_COUNTS[key][lang], value, lang) for key, value in counts.items()}
    total, now, gain = (number_text(v, lang, 1) for v in (result.total_fit, result.total_fit_current, result.gain))
    sign = "+" if result.gain >= 0 else ""
    if result.problem is not None:
        return _WORDS["infeasible"][lang].format(problem=result.problem.render(lang))
    if result.status == "unknown":
        return _WORDS["no_plan"][lang].format(**n)
    limit = ""
    if result.change_limit is not None:
        limit = _WORDS["limit"][lang].format(limit=number_text(result.change_limit, lang, 0))
    return _WORDS["headline"][lang].format(
        **n, capacity=CAPACITY_WORDS[result.capacity][lang], total=total, now=now, gain=sign + gain, limit=limit
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
    "effort_current": {"en": "Hours now", "es": "Horas ahora"},
    "use_current": {"en": "Capacity used now %", "es": "Capacidad usada ahora %"},
    "over_planned": {"en": "Hours over capacity", "es": "Horas por encima de la capacidad"},
}

TABLE_WORDS = {
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

_COUNTS = {
    "accounts": {"en": ("{n} account", "{n} accounts"), "es": ("{n} cuenta", "{n} cuentas")},
    "kams": {"en": ("{n} KAM", "{n} KAMs"), "es": ("{n} KAM", "{n} KAM")},
    "changes": {"en": ("{n} change of KAM", "{n} changes of KAM"), "es": ("{n} cambio de KAM", "{n} cambios de KAM")},
    "none": {
        "en": ("{n} account no KAM can take", "{n} accounts no KAM can take"),
        "es": ("{n} cuenta que ningún KAM puede llevar", "{n} cuentas que ningún KAM puede llevar"),
    },
}
"""The counts of the headline, in the singular and the plural."""

_WORDS = {
    "infeasible": {
        "en": "No plan: {problem}. The current KAMs stay.",
        "es": "Sin plan: {problem}. Se mantienen los KAM actuales.",
    },
    "headline": {
        "en": "Plan for {accounts} and {kams} ({capacity}): total fit {total} against {now} now ({gain}); "
        "{changes}{limit}; {none}.",
        "es": "Plan para {accounts} y {kams} ({capacity}): encaje total {total} frente a {now} ahora ({gain}); "
        "{changes}{limit}; {none}.",
    },
    "limit": {"en": " (max_changes {limit})", "es": " (max_changes {limit})"},
    "no_plan": {
        "en": "No plan for {accounts} and {kams}: no fit is known (no competence assessment); the current KAMs stay.",
        "es": "Sin plan para {accounts} y {kams}: no se conoce ningún encaje (no hay evaluación de competencias); se "
        "mantienen los KAM actuales.",
    },
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


def position_of(ids: pd.Series, value: str, what: str) -> int:
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
