"""The team's agreement on a client's page: where the assessors' scores of an account differ, and which criteria
are contested (`kamlib.agreement`), for the account report and the portfolio report. Nothing when every cell has
one score: there is no spread to show."""

from __future__ import annotations

import pandas as pd

from kamlib.agreement import (
    account_agreement_table,
    agreement_summary,
    agreement_table,
    contested_by_account,
    contested_text,
    rule_text,
    summary_text,
)
from kamlib.i18n import check_lang
from kamlib.views.page import subheading_html, table_html, text_html

TITLE = {"es": "Puntuación del equipo", "en": "The team's scores"}


def account_agreement_html(
    spread: pd.DataFrame, scores: pd.DataFrame, criteria: pd.DataFrame, account_id: str, lang: str
) -> str:
    """One account's cells scored by several assessors (`spread`: `kamlib.agreement.cell_spread`; `scores` and
    `criteria` the workbook's): a sentence on its contested criteria, the rule, and each cell's scores; "" when
    the account has no such cell."""
    check_lang(lang)
    table = account_agreement_table(spread, scores, criteria, account_id, lang)
    if table.empty:
        return ""
    row = contested_by_account(spread).set_index("account_id").loc[str(account_id)]
    said = text_html([contested_text(row, criteria, lang) + ".", rule_text(lang)])
    return f"<section>{subheading_html(TITLE[lang])}{said}{table_html(table, lang)}</section>"


def portfolio_agreement_html(spread: pd.DataFrame, accounts: pd.DataFrame, criteria: pd.DataFrame, lang: str) -> str:
    """The portfolio's agreement: how many cells have several assessors and how many are contested, the rule,
    and one row per account with such cells; "" when every cell has one score."""
    check_lang(lang)
    summary = agreement_summary(spread)
    if not summary.multi_assessor_cells:
        return ""
    said = text_html([summary_text(summary, lang) + ".", rule_text(lang)])
    table = table_html(agreement_table(spread, accounts, criteria, lang), lang)
    return f"<section>{subheading_html(TITLE[lang])}{said}{table}</section>"
