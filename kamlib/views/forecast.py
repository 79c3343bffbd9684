"""The forecast matrix's words on a client's page (`kamlib.plan.forecast`): for the portfolio report and the
dashboard, how many accounts change strategy by the horizon with our plan and without it, and each account's
strategy today and in each case; for the account report, its forecasts in words. Nothing when no account has a
forecast."""

from __future__ import annotations

import html

from kamlib.i18n import check_lang
from kamlib.plan.forecast import Forecast
from kamlib.views.page import table_html, text_html

TITLES = {
    "portfolio": {"es": "Dónde estarán las cuentas", "en": "Where the accounts will be"},
    "account": {"es": "Dónde estará la cuenta", "en": "Where the account will be"},
}


def portfolio_forecast_html(forecast: Forecast, lang: str, horizon: str | None = None) -> str:
    """A horizon's forecasts (None: the farthest): a sentence and a table; "" when no account has a forecast."""
    check_lang(lang)
    if forecast.points.empty:
        return ""
    said = text_html(forecast.summary(lang, horizon))
    return f"<section>{_title('portfolio', lang)}{said}{table_html(forecast.table(lang, horizon), lang)}</section>"


def account_forecast_html(forecast: Forecast, account_id: str, lang: str) -> str:
    """One account's forecasts in words, horizon by horizon; "" when it has none."""
    check_lang(lang)
    lines = forecast.account_lines(account_id, lang)
    return f"<section>{_title('account', lang)}{text_html(lines)}</section>" if lines else ""


def _title(which: str, lang: str) -> str:
    return f'<h3 style="margin:16px 0 4px;font-size:20px">{html.escape(TITLES[which][lang])}</h3>'
