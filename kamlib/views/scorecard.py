"""A key account's balanced scorecard as an HTML fragment: a table per perspective, each status a coloured
badge."""

from __future__ import annotations

import html

from kamlib.colours import KPI_STATUS_TEXT_COLOURS, KPI_TREND_TEXT_COLOURS
from kamlib.i18n import check_lang
from kamlib.method import STRATEGY_NAMES
from kamlib.plan.scorecard import (
    SCORECARD_HEADERS,
    SCORECARD_WORDS,
    STATUS_LABELS,
    TABLE_COLUMNS,
    TREND_LABELS,
    Scorecard,
    display_rows,
    perspective_label,
)
from kamlib.views.style import FONT, MUTED, TEXT

_VALUES = ("target", "actual", "previous", "attainment")
"""The columns of values, right-aligned and kept on one line (`12 días`, `1.100 €`)."""


def scorecard_html(card: Scorecard, lang: str = "es") -> str:
    """Write the card as an HTML fragment: a table per perspective, each status a coloured badge, each value in
    its KPI's unit (`kamlib.plan.scorecard.display_rows`).

    Self-contained (inline styles, nothing to load); every text from the workbook is escaped.
    """
    check_lang(lang)
    esc = html.escape
    words = {key: text[lang] for key, text in SCORECARD_WORDS.items()}
    subtitle = [f"{words['account']} {card.account_id}"]
    if card.period is not None:
        subtitle.append(words["up_to"].format(period=card.period))
    if card.strategy is not None:
        subtitle.append(words["strategy"].format(strategy=STRATEGY_NAMES[card.strategy][lang]))
    columns = [c for c in TABLE_COLUMNS if c != "perspective"]
    cell = "padding:4px 12px 4px 0;text-align:left;vertical-align:top"
    head = "".join(
        f'<th style="{cell};color:{MUTED};font-weight:600">{esc(SCORECARD_HEADERS[c][lang])}</th>' for c in columns
    )
    rows = display_rows(card, lang)
    sections = []
    if card.latest.empty:
        sections.append(f'<p style="margin:4px 0;color:{MUTED}">{esc(words["empty"])}</p>')
        if rows:
            sections.append(f'<p style="margin:4px 0">{esc(words["suggest"])}</p>')
    perspectives = list(dict.fromkeys(r["perspective"] for r in rows))
    for perspective in perspectives:
        body = []
        for r in (r for r in rows if r["perspective"] == perspective):
            cells = []
            for c in columns:
                if c == "status":
                    colour = KPI_STATUS_TEXT_COLOURS[r["status"]]
                    value = (
                        f'<span data-status="{esc(r["status"])}" style="background:{colour};color:#FFFFFF;'
                        f'padding:1px 10px;border-radius:4px;font-weight:700;white-space:nowrap">'
                        f"{esc(STATUS_LABELS[r['status']][lang])}</span>"
                    )
                elif c == "trend":
                    trend = r["trend"]
                    text = words["none"] if trend is None else TREND_LABELS[trend][lang]
                    colour = MUTED if trend is None else KPI_TREND_TEXT_COLOURS[trend]
                    value = f'<span style="color:{colour};white-space:nowrap">{esc(text)}</span>'
                else:
                    value = esc(str(r[c]))
                align = ";text-align:right;white-space:nowrap" if c in _VALUES else ""
                cells.append(f'<td style="{cell}{align}">{value}</td>')
            body.append(f"<tr>{''.join(cells)}</tr>")
        sections.append(
            f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(perspective_label(perspective, lang))}</h3>'
            f'<table style="border-collapse:collapse;font-size:17px"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return (
        f'<section lang="{lang}" style="font-family:{FONT};color:{TEXT};font-size:18px;line-height:1.45;'
        f'margin:0 0 16px">'
        f'<h2 style="margin:0;font-size:28px;line-height:1.2">{esc(words["title"])} · {esc(card.name)}</h2>'
        f'<p style="margin:2px 0 12px;color:{MUTED}">{esc(" · ".join(subtitle))}</p>'
        f"{''.join(sections)}</section>"
    )
