"""The customer's view of our position on a client's page (`kamlib.plan.customer_view`): for the account report,
the two positions and the criteria where the customer rates us lower than we rate ourselves; for the portfolio
report and the dashboard, the accounts ranked by the gap. Nothing when the customer scored nothing: there is no
second view to show."""

from __future__ import annotations

from kamlib.i18n import check_lang
from kamlib.plan.customer_view import CustomerView
from kamlib.views.page import subheading_html, table_html, text_html

TITLE = {"es": "Cómo nos ve el cliente", "en": "How the customer sees us"}


def account_customer_html(view: CustomerView, account_id: str, lang: str) -> str:
    """One account's position as we see it and as the customer does, and the criteria the customer scores us
    lower on, criterion by criterion; "" when the customer did not score the account."""
    check_lang(lang)
    lines = view.account_lines(account_id, lang)
    if not lines:
        return ""
    table = view.account_table(account_id, lang)
    shown = table_html(table, lang) if len(table) else ""
    return f"<section>{subheading_html(TITLE[lang])}{text_html(lines)}{shown}</section>"


def portfolio_customer_html(view: CustomerView, lang: str) -> str:
    """The portfolio's accounts the customer scored, the largest gap against us first, under a sentence; "" when
    the customer scored none."""
    check_lang(lang)
    if view.scored.empty:
        return ""
    said, table = text_html(view.summary(lang)), table_html(view.gap_table(lang), lang)
    return f"<section>{subheading_html(TITLE[lang])}{said}{table}</section>"
