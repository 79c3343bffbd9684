"""One account's section of its report from the sales ledger, as HTML: its standing, its metrics beside the
accounts', and the families it does not buy."""

from __future__ import annotations

import html

import pandas as pd

from kamlib.i18n import check_lang
from kamlib.ledger.tables import (
    LEDGER_WORDS,
    account_metrics,
    account_status,
    account_whitespace,
    account_whitespace_summary,
)


def account_ledger_html(metrics: pd.DataFrame, space: pd.DataFrame, account_id: str, lang: str = "es") -> str:
    """One account's section of its report: its standing, its metrics beside the accounts' (`account_metrics`)
    and the families it does not buy (`account_whitespace`). Self-contained HTML, every text from the workbook
    escaped; without a ledger, a sentence saying how to add one."""
    check_lang(lang)
    esc = html.escape
    lines = [f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(LEDGER_WORDS["title"][lang])}</h3>']
    if metrics.empty:
        lines.append(f"<p>{esc(LEDGER_WORDS['none'][lang])}</p>")
    else:
        lines.append(f"<p>{esc(account_status(metrics, account_id, lang))}</p>")
        table = account_metrics(metrics, account_id, lang)
        if len(table):
            lines.append(table.reset_index().to_html(index=False, escape=True, border=0))
            lines.append(f"<p>{esc(account_whitespace_summary(metrics, space, account_id, lang))}</p>")
            gaps = account_whitespace(space, account_id, lang)
            if len(gaps):
                lines.append(gaps.reset_index().to_html(index=False, escape=True, border=0))
    body = "".join(lines)
    return f'<section lang="{lang}" style="font-size:18px;line-height:1.45">{body}</section>'
