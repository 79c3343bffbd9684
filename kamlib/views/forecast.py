"""The forecast matrix's words on a client's page (`kamlib.plan.forecast`): for the portfolio report and the
dashboard, how many accounts change strategy by the horizon with our plan and without it, and each account's
strategy today and in each case; for the account report, its forecasts in words. Nothing when no account has a
forecast."""

from __future__ import annotations

from kamlib.i18n import check_lang
from kamlib.plan.forecast import Forecast
from kamlib.views.page import subheading_html, table_html, text_html

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
    table = table_html(forecast.table(lang, horizon), lang)
    return f"<section>{subheading_html(TITLES['portfolio'][lang])}{said}{table}</section>"


def account_forecast_html(forecast: Forecast, account_id: str, lang: str) -> str:
    """One account's forecasts in words, horizon by horizon; "" when it has none."""
    check_lang(lang)
    lines = forecast.account_lines(account_id, lang)
    return f"<section>{subheading_html(TITLES['account'][lang])}{text_html(lines)}</section>" if lines else ""
