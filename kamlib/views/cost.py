"""The cost to serve on a client's page (`kamlib.plan.cost`): for the portfolio report and the dashboard, the
totals and the whale curve's reading in a sentence, the unprofitable accounts as findings, the figures per strategy
and the unprofitable accounts' table; for the account report, what serving the account costs against its margin.
Nothing when the profit after the cost to serve cannot be worked out: there is nothing to show."""

from __future__ import annotations

from kamlib.i18n import check_lang
from kamlib.plan.cost import CostToServe
from kamlib.views.page import subheading_html, table_html, text_html

TITLE = {"es": "Coste de servir", "en": "Cost to serve"}
UNPROFITABLE_CAPTION = {
    "es": "Cuentas que cuestan más de servir de lo que dejan",
    "en": "Accounts that cost more to serve than they earn",
}


def portfolio_cost_html(cost: CostToServe, lang: str) -> str:
    """The portfolio's cost to serve: the summary, the findings as a list, the figures per strategy and the
    unprofitable accounts, the largest loss first; "" when the result is not `available`."""
    check_lang(lang)
    if not cost.available:
        return ""
    strategies = table_html(cost.by_strategy(lang), lang, cost.currency)
    losers = cost.unprofitable_table(lang)
    shown = table_html(losers, lang, cost.currency, caption=UNPROFITABLE_CAPTION[lang]) if len(losers) else ""
    findings = text_html(cost.findings(lang), listed=True)
    return (
        f"<section>{subheading_html(TITLE[lang])}{text_html(cost.summary(lang))}{findings}{strategies}{shown}</section>"
    )


def account_cost_html(cost: CostToServe, account_id: str, lang: str) -> str:
    """One account's cost to serve against its gross margin, in words and item by item; "" when nothing is known
    for it."""
    check_lang(lang)
    lines = cost.account_lines(account_id, lang)
    if not lines:
        return ""
    table = table_html(cost.account_table(account_id, lang), lang, cost.currency)
    return f"<section>{subheading_html(TITLE[lang])}{text_html(lines)}{table}</section>"
