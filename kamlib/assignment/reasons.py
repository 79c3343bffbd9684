"""The KAM assignment in words: why each account gets its KAM, what deserves a look, and the tables for people.

`kamlib.assignment.proposal` computes the plan; this says it. `assign` builds the plan's reasons (kept, moved, new,
fixed, unassignable, …), the accounts no KAM may take and the findings here, in Spanish and English; the
`Assignment` methods (`explain`, `kam_table`, `changes`, `team_table`, `competence_table`) are the functions
below of the same name, taking the result, and `summary` is `headline`. `kamlib.assignment.proposal` imports this
module; this one names `Assignment` in annotations only. One account's KAM and fit as HTML is `kamlib.views.assignment`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kamlib.assignment.competences import level_text
from kamlib.assignment.solver import CAPACITY_WORDS, kam_names
from kamlib.errors import KamError, list_known
from kamlib.i18n import LANGS, check_lang, number_text
from kamlib.method import STRATEGY_NAMES

if TYPE_CHECKING:  # the result type only: `Assignment` itself uses this module
    from kamlib.assignment.proposal import Assignment

# --- the reasons per account, and the findings (built by `assign`) ---------------------------------


def _fit_words(value: float, lang: str) -> str:
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


def plan_with_reasons(
    scored, kam_ids, fit, current, planned, allowed, is_fixed, contributions, why_not, settings, status
):
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


def collect_findings(scored, kam_ids, levels, unassignable, teams, fixed, fit, settings, status, gap) -> pd.DataFrame:
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
    for r in levels.finding_rows.itertuples(index=False):
        add(r.kind, r.message_en, r.message_es, None, r.kam_id, r.competence, r.value, r.limit)
    columns = ["kind", "account_id", "kam_id", "competence", "value", "limit", "message_en", "message_es"]
    return pd.DataFrame(rows, columns=columns)


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
    frame = result.kams.round({"effort_planned": 0, "use_planned": 1, "fit_current": 1, "fit_planned": 1})
    return frame.rename(columns={c: _HEADERS[c][lang] for c in frame.columns})


def changes(result: Assignment, lang: str = "en") -> pd.DataFrame:
    """The accounts that change KAM (or have none), for people: strategy, KAM now → planned by name, fit, why."""
    check_lang(lang)
    names = kam_names(result.kams)
    rows = result.plan[result.plan["change"] | result.plan["kam_id"].isna()]
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
    """The plan in one sentence: accounts, KAMs, capacity, total fit against now, changes; or why there is none."""
    plan = result.plan
    n = {
        "accounts": len(plan),
        "kams": len(result.kams),
        "changes": int(plan["change"].sum()),
        "none": len(result.unassignable),
    }
    total, now, gain = (number_text(v, lang, 1) for v in (result.total_fit, result.total_fit_current, result.gain))
    sign = "+" if result.gain >= 0 else ""
    if result.problem is not None:
        return _WORDS["infeasible"][lang].format(problem=result.problem.render(lang))
    if result.status == "unknown":
        return _WORDS["no_plan"][lang].format(**n)
    return _WORDS["headline"][lang].format(
        **n, capacity=CAPACITY_WORDS[result.capacity][lang], total=total, now=now, gain=sign + gain
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
