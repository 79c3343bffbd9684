"""The dashboard's picker: every KAM with their accounts as links, and behind each link a card drawn in advance
(an account's place in the matrix, movement, KAM plan, decision map, scorecard and time; a KAM's accounts, time
and plan). A card shows when its link is followed (the CSS `:target` rule), so a pick needs no script, no kernel and
no server: the page already holds every card. Every text from the workbook is escaped; every number goes through
`kamlib.i18n`."""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kamlib.agreement import contested_text
from kamlib.colours import QUADRANT_COLOURS, QUADRANT_TEXT_COLOURS
from kamlib.i18n import check_lang, count_text, date_text, money_text, number_text, percent_text
from kamlib.method import AXIS_LABELS, QUADRANTS, STRATEGY_NAMES
from kamlib.plan.attention import REASON_LABELS, REASONS
from kamlib.plan.freshness import STATUS_LABELS
from kamlib.plan.stakeholders import RISK_LABELS
from kamlib.views.style import FONT, GREY, MUTED, TEXT

WORDS = {
    "intro": {
        "es": "Elija un KAM o una cuenta para ver su ficha.",
        "en": "Pick a KAM or an account to see its card.",
    },
    "no_kam": {"es": "Sin KAM asignado", "en": "No KAM assigned"},
    "close": {"es": "Cerrar ficha", "en": "Close card"},
    "unplaced": {"es": "Sin situar en la matriz", "en": "Not placed in the matrix"},
    "account": {"es": "Cuenta", "en": "Account"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "movement": {"es": "Movimiento", "en": "Movement"},
    "moved": {"es": "Desde {period}: {before} → {now}", "en": "Since {period}: {before} → {now}"},
    "stayed": {"es": "La misma estrategia desde {period}", "en": "The same strategy since {period}"},
    "new": {"es": "Sin situar en {period}", "en": "Not placed in {period}"},
    "no_history": {"es": "Una sola ronda de puntuación", "en": "One scoring round only"},
    "plan": {"es": "Plan de KAM", "en": "KAM plan"},
    "stays": {"es": "Sigue con {kam}", "en": "Stays with {kam}"},
    "moves": {"es": "Pasa a {kam}", "en": "Moves to {kam}"},
    "no_plan": {"es": "Sin plan de KAM", "en": "No KAM plan"},
    "map": {"es": "Mapa de decisión", "en": "Decision map"},
    "map_value": {"es": "Riesgo {risk} · {people}", "en": "{risk} risk · {people}"},
    "people": {"es": ("{n} persona", "{n} personas"), "en": ("{n} person", "{n} people")},
    "no_map": {"es": "Sin mapa de decisión", "en": "No decision map"},
    "scorecard": {"es": "Cuadro de mando", "en": "Scorecard"},
    "kpi_value": {
        "es": "{period}: {met} de {kpis} indicadores cumplidos, {missed} no cumplidos",
        "en": "{period}: {met} of {kpis} KPIs met, {missed} missed",
    },
    "no_kpis": {"es": "Sin indicadores", "en": "No KPIs"},
    "time": {"es": "Tiempo del KAM", "en": "KAM time"},
    "time_value": {
        "es": "{hours} h · {share} del tiempo de su KAM en cuentas",
        "en": "{hours} h · {share} of its KAM's account time",
    },
    "neglected": {"es": "poco tiempo para su estrategia", "en": "little time for its strategy"},
    "no_hours": {"es": "Sin horas registradas", "en": "No hours logged"},
    "attention": {"es": "Requiere atención", "en": "Needs attention"},
    "review": {"es": "Revisión del plan", "en": "Plan review"},
    "team": {"es": "Puntuación del equipo", "en": "The team's scores"},
    "accounts": {"es": ("{n} cuenta", "{n} cuentas"), "en": ("{n} account", "{n} accounts")},
    "accounts_label": {"es": "Cuentas", "en": "Accounts"},
    "hours": {"es": "Horas", "en": "Hours"},
    "hours_value": {
        "es": "{hours} h de {capacity} h disponibles ({share})",
        "en": "{hours} h of {capacity} h available ({share})",
    },
    "selling": {"es": "Tiempo de venta", "en": "Selling time"},
    "selling_value": {"es": "{share} de su tiempo", "en": "{share} of their time"},
    "moves_in": {"es": "recibe {accounts}", "en": "takes on {accounts}"},
    "moves_out": {"es": "cede {accounts}", "en": "hands over {accounts}"},
    "kam_plan_none": {"es": "El plan no cambia sus cuentas", "en": "The plan keeps their accounts"},
    "risk": {"es": "Riesgo del mapa", "en": "Map risk"},
    "missed": {"es": "Indicadores no cumplidos", "en": "Missed KPIs"},
}
"""The picker's words in both languages."""
_CELL, _NUMBER = "kc-c", "kc-c kc-n"
"""The classes of a table cell of text and of a number."""


def _stylesheet(cuts: tuple[float, float]) -> str:
    """The picker's styles, once for every card (a card carries classes, not styles: 500 accounts stay a small
    page): a card shows only when its link is followed (`:target`); the small matrix's quadrants split at the cut
    lines (position left to right, potential bottom to top, as the matrix chart draws them)."""
    x, y = 10.0 * cuts[1], 10.0 * cuts[0]  # % of the 0–10 scale
    cells = (("selective", 0, 0, x, 100 - y), ("invest", x, 0, 100 - x, 100 - y),
             ("milk", 0, 100 - y, x, y), ("maintain", x, 100 - y, 100 - x, y))  # fmt: skip
    quadrants = "".join(
        f".kc-r-{q}{{left:{left:.1f}%;top:{top:.1f}%;width:{w:.1f}%;height:{h:.1f}%;background:{QUADRANT_COLOURS[q]}33}}"
        f".kc-q-{q}{{background:{QUADRANT_COLOURS[q]}22;border-color:{QUADRANT_COLOURS[q]}}}"
        for q, left, top, w, h in cells
    )
    return (
        "<style>.kamlib-card{display:none}.kamlib-card:target{display:block}"
        f".kc{{font-family:{FONT};color:{TEXT};font-size:15px;line-height:1.45;border:1px solid #CBD2D9;"
        "border-radius:8px;padding:12px 16px;margin:8px 0 16px;scroll-margin-top:8px;overflow-wrap:anywhere}"
        f".kc a{{color:{TEXT}}}.kc-chip{{display:inline-block;margin:2px 4px 2px 0;padding:2px 8px;"
        f"border-radius:12px;text-decoration:none;color:{TEXT};border:1px solid {GREY}}}"
        ".kc-c{padding:3px 10px 3px 0;vertical-align:top;text-align:left}"
        ".kc-n{text-align:right;white-space:nowrap}"
        f".kc-l{{color:{MUTED};font-weight:600}}"
        ".kc-m{position:relative;width:132px;height:132px;flex:0 0 132px;border:1px solid #CBD2D9}"
        ".kc-r{position:absolute}"
        f".kc-d{{position:absolute;width:12px;height:12px;border-radius:50%;background:{TEXT};"
        "border:2px solid #FFFFFF;margin:-6px 0 0 -6px}"
        f"{quadrants}</style>"
    )


def anchor(kind: str, key: object) -> str:
    """The card's element id: `acc-` or `kam-` and the key with every character but ASCII letters, digits and
    hyphens written as `_<hex>_`, so any workbook id is a valid, distinct fragment."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"_{ord(c):x}_" for c in str(key))
    return f"{kind}-{safe}"


def picker_html(
    accounts: pd.DataFrame,
    kams: pd.DataFrame,
    cuts: tuple[float, float],
    lang: str,
    currency: str = "EUR",
    criteria: pd.DataFrame | None = None,
) -> str:
    """The picker and every card, as one HTML fragment: `accounts` and `kams` are `kamlib.plan.cards` frames,
    `cuts` the matrix's cut lines (potential, position), `criteria` the workbook's (their labels name the contested
    ones; None leaves the assessors' agreement out)."""
    check_lang(lang)
    chips = []
    for kam in kams.itertuples(index=False):
        own = accounts[accounts["kam_id"].astype(str) == str(kam.kam_id)]
        chips.append(_chip_row(_kam_link(kam.kam_id, kam.name, bold=True), own))
    orphans = accounts[~accounts["kam_id"].astype(str).isin(kams["kam_id"].astype(str))]
    if len(orphans):
        chips.append(_chip_row(f'<span style="font-weight:700">{_esc(WORDS["no_kam"][lang])}</span>', orphans))
    cards = [_account_card(row, lang, currency, criteria) for _, row in accounts.iterrows()]
    hours = bool(accounts["hours"].notna().any())
    cards += [_kam_card(row, accounts, hours, lang, currency) for _, row in kams.iterrows()]
    return (
        f"{_stylesheet(cuts)}"
        f'<section style="font-family:{FONT};color:{TEXT};font-size:15px">'
        f'<p style="margin:4px 0 8px;color:{MUTED}">{_esc(WORDS["intro"][lang])}</p>'
        f'<div style="margin:0 0 8px">{"".join(chips)}</div>{"".join(cards)}</section>'
    )


def _esc(text: object) -> str:
    return html.escape(str(text))


def _kam_link(kam_id: object, name: object, bold: bool = False) -> str:
    weight = "font-weight:700;" if bold else ""
    return f'<a href="#{anchor("kam", kam_id)}" style="{weight}color:{TEXT}">{_esc(name)}</a>'


def _account_link(row: pd.Series | tuple) -> str:
    return f'<a href="#{anchor("acc", row.account_id)}" style="color:{TEXT}">{_esc(row.name)}</a>'


def _chip_row(label: str, accounts: pd.DataFrame) -> str:
    """A KAM (or "no KAM") and their accounts as chips, each in its strategy's colour."""
    chips = []
    for row in accounts.itertuples(index=False):
        strategy = f" kc-q-{row.quadrant}" if row.quadrant in QUADRANTS else ""
        chips.append(f'<a href="#{anchor("acc", row.account_id)}" class="kc-chip{strategy}">{_esc(row.name)}</a>')
    return f'<div style="margin:4px 0">{label}: {"".join(chips)}</div>'


def _strategy(quadrant: object, lang: str) -> str:
    """The strategy as a coloured badge, or "not placed"."""
    if quadrant not in QUADRANTS:
        return f'<span style="color:{MUTED};font-style:italic">{_esc(WORDS["unplaced"][lang])}</span>'
    return (
        f'<span style="background:{QUADRANT_TEXT_COLOURS[quadrant]};color:#FFFFFF;padding:1px 10px;'
        f'border-radius:4px;font-weight:700">{_esc(STRATEGY_NAMES[quadrant][lang])}</span>'
    )


def _name(quadrant: object, lang: str) -> str:
    return STRATEGY_NAMES[quadrant][lang] if quadrant in QUADRANTS else WORDS["unplaced"][lang]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _mini_matrix(potential: float, position: float, lang: str) -> str:
    """The account in a small matrix (its quadrants drawn by the stylesheet) and a dot where the account sits."""
    rects = "".join(f'<div class="kc-r kc-r-{q}"></div>' for q in QUADRANTS)
    dot = ""
    if not (_missing(potential) or _missing(position)):
        dot = f'<div class="kc-d" style="left:{10.0 * position:.1f}%;top:{100.0 - 10.0 * potential:.1f}%"></div>'
    label = f"{AXIS_LABELS['potential'][lang]} ↑ · {AXIS_LABELS['position'][lang]} →"
    return f'<div role="img" aria-label="{_esc(label)}" class="kc-m">{rects}{dot}</div>'


def _facts(rows: Iterable[tuple[str, str]]) -> str:
    """Label–value rows; values are HTML already escaped."""
    cells = "".join(
        f'<tr><th class="{_CELL} kc-l">{_esc(label)}</th><td class="{_CELL}">{value}</td></tr>' for label, value in rows
    )
    return f'<table style="border-collapse:collapse;font-size:15px">{cells}</table>'


def _movement(row: pd.Series, lang: str) -> str:
    words = {k: v[lang] for k, v in WORDS.items()}
    if _missing(row["from_period"]):
        return words["no_history"]
    period = str(row["from_period"])
    if row["from_quadrant"] not in QUADRANTS:
        return words["new"].format(period=period)
    if row["from_quadrant"] == row["quadrant"]:
        return words["stayed"].format(period=period)
    return words["moved"].format(
        period=period, before=_name(row["from_quadrant"], lang), now=_name(row["quadrant"], lang)
    )


def _plan(row: pd.Series, lang: str) -> str:
    words = {k: v[lang] for k, v in WORDS.items()}
    if _missing(row["planned_kam_id"]):
        return _esc(words["no_plan"])
    kam = _kam_link(row["planned_kam_id"], row["planned_kam_name"] or row["planned_kam_id"])
    if not bool(row["change"]):
        return _esc(words["stays"]).format(kam=kam)
    reason = row[f"reason_{lang}"]
    tail = "" if _missing(reason) or not str(reason) else f" · {_esc(reason)}"
    return _esc(words["moves"]).format(kam=kam) + tail


def _account_card(row: pd.Series, lang: str, currency: str, criteria: pd.DataFrame | None) -> str:
    words = {k: v[lang] for k, v in WORDS.items()}
    facts = [
        (words["revenue"], _esc(money_text(row["revenue"], lang, currency))),
        *((AXIS_LABELS[a][lang], _esc(number_text(row[a], lang, 1))) for a in ("potential", "position")),
        (words["movement"], _esc(_movement(row, lang))),
        (words["plan"], _plan(row, lang)),
    ]
    if _missing(row["map_risk"]):
        facts.append((words["map"], _esc(words["no_map"])))
    else:
        people = count_text(words["people"], int(row["people"]), lang)
        risk = RISK_LABELS[row["map_risk"]][lang]
        facts.append((words["map"], _esc(words["map_value"].format(risk=risk.lower() if lang == "es" else risk,
                                                                     people=people))))  # fmt: skip
    if _missing(row["kpis"]) or not row["kpis"]:
        facts.append((words["scorecard"], _esc(words["no_kpis"])))
    else:
        counts = {k: number_text(row[c], lang, 0) for k, c in (("kpis", "kpis"), ("met", "kpis_met"),
                                                                 ("missed", "kpis_missed"))}  # fmt: skip
        facts.append((words["scorecard"], _esc(words["kpi_value"].format(period=row["kpi_period"], **counts))))
    if _missing(row["hours"]):
        facts.append((words["time"], _esc(words["no_hours"])))
    else:
        share = "—" if _missing(row["share_of_kam"]) else percent_text(row["share_of_kam"], lang)
        time = words["time_value"].format(hours=number_text(row["hours"], lang, 1), share=share)
        if not _missing(row["neglected"]) and bool(row["neglected"]):
            time += f" · {words['neglected']}"
        facts.append((words["time"], _esc(time)))
    if criteria is not None and row["multi_assessor"]:
        facts.append((words["team"], _esc(contested_text(row, criteria, lang))))
    if not _missing(row["plan_status"]):
        when = [] if pd.isna(row["last_reviewed"]) else [date_text(row["last_reviewed"].date(), lang)]
        facts.append((words["review"], _esc(" · ".join([*when, STATUS_LABELS[row["plan_status"]][lang]]))))
    reasons = [REASON_LABELS[r][lang] for r in REASONS if bool(row[r])]
    if reasons:
        facts.append((words["attention"], _esc(" · ".join(reasons))))
    kam = _esc(words["no_kam"]) if _missing(row["kam_name"]) else _kam_link(row["kam_id"], row["kam_name"])
    subtitle = " · ".join([_esc(f"{words['account']} {row['account_id']}"), _esc(row["sector"]), kam])
    stripe = QUADRANT_COLOURS.get(row["quadrant"], GREY)
    return (
        f'<article id="{anchor("acc", row["account_id"])}" class="kamlib-card kc" style="border-left:8px solid '
        f'{stripe}">'
        f'<h3 style="margin:0;font-size:22px">{_esc(row["name"])} {_strategy(row["quadrant"], lang)}</h3>'
        f'<p style="margin:2px 0 10px;color:{MUTED}">{subtitle}</p>'
        f'<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
        f"{_mini_matrix(row['potential'], row['position'], lang)}{_facts(facts)}</div>"
        f"{_close(lang)}</article>"
    )


def _kam_card(row: pd.Series, accounts: pd.DataFrame, hours: bool, lang: str, currency: str) -> str:
    words = {k: v[lang] for k, v in WORDS.items()}
    facts = [
        (words["accounts_label"], _esc(number_text(row["accounts"], lang, 0))),
        (words["revenue"], _esc(money_text(row["revenue"], lang, currency))),
    ]
    if not _missing(row["hours"]):
        capacity = "—" if _missing(row["capacity_hours"]) else number_text(row["capacity_hours"], lang, 0)
        share = "—" if _missing(row["utilisation"]) else percent_text(row["utilisation"], lang)
        hours = words["hours_value"].format(hours=number_text(row["hours"], lang, 1), capacity=capacity, share=share)
        facts.append((words["hours"], _esc(hours)))
    if not _missing(row["selling_share"]):
        facts.append((words["selling"], _esc(words["selling_value"].format(share=percent_text(row["selling_share"],
                                                                                               lang)))))  # fmt: skip
    if accounts["planned_kam_id"].notna().any():
        moves = [
            words[key].format(accounts=count_text(words["accounts"], int(row[key]), lang))
            for key in ("moves_in", "moves_out")
            if row[key]
        ]
        plan = " · ".join(moves) or words["kam_plan_none"]
        facts.append((words["plan"], _esc(plan[:1].upper() + plan[1:])))
    own = accounts[accounts["kam_id"].astype(str) == str(row["kam_id"])]
    return (
        f'<article id="{anchor("kam", row["kam_id"])}" class="kamlib-card kc">'
        f'<h3 style="margin:0;font-size:22px">{_esc(row["name"])}</h3>'
        f'<p style="margin:2px 0 10px;color:{MUTED}">KAM {_esc(row["kam_id"])}</p>'
        f"{_facts(facts)}{_kam_accounts(own, hours, lang, currency) if len(own) else ''}{_close(lang)}</article>"
    )


def _kam_accounts(accounts: pd.DataFrame, hours: bool, lang: str, currency: str) -> str:
    """A KAM's accounts: name (a link to its card), strategy, revenue, map risk, missed KPIs and, when any hours
    were logged, hours."""
    words = {k: v[lang] for k, v in WORDS.items()}
    heads = [
        (words["account"], _CELL),
        (words["strategy"], _CELL),
        (words["revenue"], _NUMBER),
        (words["risk"], _CELL),
        (words["missed"], _NUMBER),
        *([(words["hours"], _NUMBER)] if hours else []),
    ]
    head = "".join(f'<th class="{style} kc-l">{_esc(h)}</th>' for h, style in heads)
    rows = []
    for row in accounts.itertuples(index=False):
        risk = "—" if _missing(row.map_risk) else RISK_LABELS[row.map_risk][lang]
        missed = "—" if _missing(row.kpis) or not row.kpis else number_text(row.kpis_missed, lang, 0)
        logged = "—" if _missing(row.hours) else number_text(row.hours, lang, 1)
        cells = [
            (_account_link(row), _CELL),
            (_esc(_name(row.quadrant, lang)), _CELL),
            (_esc(money_text(row.revenue, lang, currency)), _NUMBER),
            (_esc(risk), _CELL),
            (_esc(missed), _NUMBER),
            *([(_esc(logged), _NUMBER)] if hours else []),
        ]
        rows.append("<tr>" + "".join(f'<td class="{style}">{value}</td>' for value, style in cells) + "</tr>")
    return (
        f'<table style="border-collapse:collapse;font-size:14px;margin:10px 0 0"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _close(lang: str) -> str:
    """A link back to the picker, which closes the card."""
    return f'<p style="margin:10px 0 0"><a href="#sec-pick" style="color:{MUTED}">{_esc(WORDS["close"][lang])}</a></p>'
