"""The account report's header (facts, strategy, relationship, priorities, the playbook's activities and
metrics) and the portfolio header of the portfolio report and the dashboard."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from kamlib.colours import QUADRANT_COLOURS, QUADRANT_TEXT_COLOURS
from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, number_text, percent_text
from kamlib.method import AXES, AXIS_LABELS, STRATEGY_NAMES
from kamlib.plan.account import PLAN_WORDS, AccountPlan
from kamlib.plan.playbook import ELEMENT_LABELS, PERSPECTIVE_LABELS, Play
from kamlib.views.style import ALERT, FONT, GREY, MUTED, TEXT
from kamlib.workbook.sheets import PERSPECTIVES


def plan_html(plan: AccountPlan, lang: str = "es", currency: str = "EUR") -> str:
    """Write the header of an account report as an HTML fragment: facts, strategy, relationship, priorities;
    revenue in `currency`.

    Self-contained (inline styles, nothing to load); every text from the workbook is escaped.
    """
    check_lang(lang)
    words = {key: text[lang] for key, text in PLAN_WORDS.items()}
    esc = html.escape
    stripe = QUADRANT_COLOURS[plan.quadrant] if plan.quadrant else GREY
    badge = QUADRANT_TEXT_COLOURS[plan.quadrant] if plan.quadrant else GREY
    if plan.quadrant:
        strategy = (
            f'<span style="background:{badge};color:#FFFFFF;padding:2px 12px;border-radius:4px;'
            f'font-weight:700">{esc(STRATEGY_NAMES[plan.quadrant][lang])}</span>'
        )
    else:
        axes = " · ".join(AXIS_LABELS[a][lang] for a in AXES if a in (plan.missing_axis or ""))
        strategy = f'<span style="color:{MUTED};font-style:italic">{esc(words["unplaced"].format(axes=axes))}</span>'
    if plan.kam_id is None:
        kam = words["no_kam"]
    else:
        kam = f"{plan.kam_name} ({plan.kam_id})" if plan.kam_name else plan.kam_id
    facts = [
        (words["kam"], esc(kam)),
        (words["revenue"], esc(plan.ranked_text("revenue", lang, currency))),
        *((AXIS_LABELS[a][lang], esc(plan.ranked_text(a, lang))) for a in AXES),
        (words["strategy"], strategy),
        (words["relationship"], esc(plan.relationship_model[lang] if plan.relationship_model else words["none"])),
    ]
    if plan.hours is not None:
        share = words["none"] if plan.share_of_kam is None else percent_text(plan.share_of_kam, lang)
        facts.append(
            (words["time"], esc(words["time_value"].format(hours=number_text(plan.hours, lang, 1), share=share)))
        )
    if plan.segment is not None:
        facts.append((words["segment"], esc(words["segment_value"].format(segment=plan.segment))))
    if plan.review is not None:
        due = f' style="color:{ALERT};font-weight:700"' if plan.review_due else ""
        facts.append((words["review"], f"<span{due}>{esc(plan.review[lang])}</span>"))
    cell = "padding:4px 16px 4px 0;vertical-align:top;text-align:left"
    rows = "".join(
        f'<tr><th style="{cell};color:{MUTED};font-weight:600">{esc(label)}</th><td style="{cell}">{value}</td></tr>'
        for label, value in facts
    )
    subtitle = " · ".join(esc(t) for t in (f"{words['id']} {plan.account_id}", plan.sector) if t)
    priorities = ""
    if plan.priorities[lang]:
        items = "".join(f'<li style="margin:2px 0">{esc(p)}</li>' for p in plan.priorities[lang])
        priorities = (
            f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(words["priorities"])}</h3>'
            f'<ul style="margin:0;padding-left:24px">{items}</ul>'
        )
    return (
        f'<section lang="{lang}" style="font-family:{FONT};color:{TEXT};font-size:18px;line-height:1.45;'
        f'border-left:8px solid {stripe};padding:8px 0 8px 20px;margin:0 0 16px">'
        f'<h2 style="margin:0;font-size:28px;line-height:1.2">{esc(plan.name)}</h2>'
        f'<p style="margin:2px 0 12px;color:{MUTED}">{subtitle}</p>'
        f'<table style="border-collapse:collapse;font-size:18px">{rows}</table>'
        f"{priorities}{play_html(plan.play, lang) if plan.play else ''}</section>"
    )


def portfolio_html(engagement: Engagement, scored: pd.DataFrame, lang: str = "es") -> str:
    """The facts that open the portfolio report and the dashboard, under their heading: scenario, counts and cut
    lines (workbook text escaped)."""
    cuts = scored.attrs.get("cuts", {})
    named = scored.attrs.get("scenario")
    workbook_weights = "pesos del libro" if lang == "es" else "the workbook's weights"
    scenario = named if named and named != "workbook" else workbook_weights
    placed = int(scored["placed"].sum())
    facts = {
        "es": [
            ("Escenario", scenario),
            ("Cuentas", f"{len(scored)} ({placed} en la matriz)"),
            ("KAM", str(len(engagement.kams))),
            ("Líneas de corte", f"potencial {number_text(cuts.get('potential', 5.0), lang, 1)}, "
             f"posición {number_text(cuts.get('position', 5.0), lang, 1)}"),
        ],
        "en": [
            ("Scenario", scenario),
            ("Accounts", f"{len(scored)} ({placed} in the matrix)"),
            ("KAMs", str(len(engagement.kams))),
            ("Cut lines", f"potential {number_text(cuts.get('potential', 5.0), lang, 1)}, "
             f"position {number_text(cuts.get('position', 5.0), lang, 1)}"),
        ],
    }[lang]  # fmt: skip
    groups = engagement.segments
    if groups.count > 1:  # criteria per segment: which segments have criteria of their own, and how many accounts
        counts = np.bincount(groups.codes, minlength=groups.count)
        named = ", ".join(f"{name} ({counts[g]})" for g, name in enumerate(groups.names) if g)
        label = "Segmentos con criterios propios" if lang == "es" else "Segments with criteria of their own"
        facts.append((label, named))
    rows = "".join(
        f'<tr><th style="text-align:left;padding:2px 12px 2px 0">{html.escape(k)}</th>'
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in facts
    )
    return (
        f'<section style="font-family:{FONT};font-size:16px;color:{TEXT};margin:0 0 16px"><table>{rows}</table>'
        "</section>"
    )


def play_html(strategy_play: Play, lang: str = "es") -> str:
    """An account report's playbook section: activities to stress and control metrics, escaped, inline styles."""
    check_lang(lang)
    esc = html.escape
    parts = []
    for element in ("activity", "metric"):
        rows = strategy_play.rows[strategy_play.rows["element"] == element]
        if not len(rows):
            continue
        items = []
        for text, perspective in zip(rows[lang], rows["perspective"], strict=True):
            suffix = (
                f' <span style="color:#5F6B7A">({esc(PERSPECTIVE_LABELS[perspective][lang])})</span>'
                if perspective in PERSPECTIVES
                else ""
            )
            items.append(f'<li style="margin:2px 0">{esc(text)}{suffix}</li>')
        parts.append(
            f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(ELEMENT_LABELS[element][lang])}</h3>'
            f'<ul style="margin:0;padding-left:24px">{"".join(items)}</ul>'
        )
    return f'<section lang="{lang}" style="font-size:18px;line-height:1.45">{"".join(parts)}</section>'
