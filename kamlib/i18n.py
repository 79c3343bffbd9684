"""Languages and the words and numbers people read: every label exists in Spanish and English (the method is
Spanish); every number, percentage, amount and date a person reads is written by the functions here, on Babel's
CLDR data for Spain and Britain (`28.188.082 €`, `25,3 %`, `7 dic 2026`; `€28,188,082`, `25.3%`, `7 Dec 2026`);
the default language comes from `KAM_LANG`, else the system's locale."""

from __future__ import annotations

import datetime as dt
import locale
import math
import os
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from kamlib.errors import KamError

LANGS = ("en", "es")
"""The languages of every message, label and deliverable."""
LOCALES = {"en": "en_GB", "es": "es_ES"}
"""The CLDR locale each language writes numbers and dates in: British English (`7 Dec 2026`, not `Dec 7`), the
Spanish of Spain (`28.188.082 €`)."""
UNITS = ("number", "%", "currency", "days")
"""The units a KPI may be written in (`unit_text`)."""
SMALL_AMOUNT = 100.0
"""Amounts below this (in absolute value) keep their cents; larger ones are written in whole units."""


def default_lang() -> str:
    """Return the language of messages: `KAM_LANG` if set to es or en; else Spanish when the system's locale is
    Spanish (`LC_ALL`, `LC_MESSAGES`, `LANG`, then the platform's own); else English."""
    given = os.environ.get("KAM_LANG", "").strip().lower()[:2]
    if given in LANGS:
        return given
    system = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), None)
    if system is None:
        system = locale.getlocale()[0] or ""
    return "es" if system.lower().startswith(("es", "spanish")) else "en"


def check_lang(lang: str) -> str:
    """Return `lang` if it is a supported language, else raise `KamError` naming them."""
    if lang not in LANGS:
        raise KamError(f"unknown language {lang!r}; allowed: es, en", f"idioma desconocido {lang!r}; se admite: es, en")
    return lang


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[check_lang(lang)])


@cache
def _pattern(lang: str, kind: str, fewest: int, most: int) -> NumberPattern:
    """The locale's standard pattern of `kind` (decimal, percent, currency) with between `fewest` and `most`
    decimals."""
    formats = {"decimal": "decimal_formats", "percent": "percent_formats", "currency": "currency_formats"}[kind]
    standard = getattr(_locale(lang), formats)["standard" if kind == "currency" else None]
    pattern = parse_pattern(standard.pattern)
    pattern.frac_prec = (fewest, most)
    return pattern


def _rounded(value: float, decimals: int) -> float:
    """`value` rounded half away from zero as people do (2.25 → 2.3), with no negative zero."""
    shift = 10.0**decimals
    rounded = math.copysign(math.floor(abs(value) * shift + 0.5) / shift, value)
    return rounded if rounded else 0.0


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number_text(value: float, lang: str, decimals: int) -> str:
    """Write a number for people with exactly `decimals` decimals, thousands grouped: 2,500,000.5 in English,
    2.500.000,5 in Spanish; a missing value is a dash.

    >>> number_text(28188082.0, "es", 0), number_text(1648.54, "es", 1), number_text(-0.04, "en", 1)
    ('28.188.082', '1.648,5', '0.0')
    """
    if _missing(value):
        return "—"
    return _pattern(lang, "decimal", decimals, decimals).apply(_rounded(float(value), decimals), _locale(lang))


def count_text(words: tuple[str, str], n: int, lang: str) -> str:
    """A count with its noun in the singular or the plural: ("{n} account", "{n} accounts") → "1 account".

    >>> count_text(("{n} línea", "{n} líneas"), 14099, "es")
    '14.099 líneas'
    """
    return words[n != 1].format(n=number_text(n, lang, 0))


def short_text(value: float, lang: str, decimals: int) -> str:
    """`number_text` with at most `decimals` decimals, trailing zeros dropped: 5, 5.2, 5.21 (5,21 in Spanish).

    >>> short_text(4.0, "es", 1), short_text(3.5, "es", 1), short_text(10.0, "en", 2), short_text(5.214, "en", 2)
    ('4', '3,5', '10', '5.21')
    """
    if _missing(value):
        return "—"
    return _pattern(lang, "decimal", 0, decimals).apply(_rounded(float(value), decimals), _locale(lang))


def percent_text(value: float, lang: str, decimals: int = 1) -> str:
    """A percentage given in points (25.3 for 25.3 %), written as the language does: `25,3 %` in Spanish (a
    non-breaking space before the sign), `25.3%` in English; a missing value is a dash.

    >>> percent_text(25.34, "es"), percent_text(25.34, "en"), percent_text(100.0, "en", 0)
    ('25,3\\xa0%', '25.3%', '100%')
    """
    if _missing(value):
        return "—"
    points = _rounded(float(value), decimals)
    return _pattern(lang, "percent", decimals, decimals).apply(points / 100.0, _locale(lang))


def money_text(value: float, lang: str, currency: str = "EUR", decimals: int | None = None) -> str:
    """An amount in `currency` (ISO 4217 code) with its symbol where the language puts it: `28.188.082 €`,
    `€28,188,082`; whole units unless the amount is small (below `SMALL_AMOUNT`, then cents) or `decimals` says.

    >>> money_text(28188082.4, "es"), money_text(28188082.4, "en"), money_text(12.5, "en"), money_text(9, "es", "USD")
    ('28.188.082\\xa0€', '€28,188,082', '€12.50', '9,00\\xa0US$')
    """
    if _missing(value):
        return "—"
    if decimals is None:
        decimals = 2 if abs(float(value)) < SMALL_AMOUNT else 0
    amount = _rounded(float(value), decimals)
    return _pattern(lang, "currency", decimals, decimals).apply(
        amount, _locale(lang), currency=currency.upper(), currency_digits=False
    )


def date_text(value: dt.date | str, lang: str) -> str:
    """A date as people write it: `7 dic 2026`, `7 Dec 2026` (an ISO text is read first); a missing one is a dash.

    >>> date_text("2026-12-07", "es"), date_text(dt.date(2026, 12, 7), "en")
    ('7 dic 2026', '7 Dec 2026')
    """
    if _missing(value) or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    elif isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "medium", locale=_locale(lang))


def unit_text(value: float, unit: str, lang: str, currency: str = "EUR") -> str:
    """A value in a KPI's unit (`UNITS`): a number (at most two decimals; three significant digits below 1), a
    percentage in points, an amount in `currency`, or days.

    >>> unit_text(0.06, "number", "es"), unit_text(12.0, "%", "es"), unit_text(45, "days", "es")
    ('0,06', '12,0\\xa0%', '45 días')
    """
    if unit == "%":
        return percent_text(value, lang)
    if unit == "currency":
        return money_text(value, lang, currency)
    if unit == "days":
        words = ("{n} day", "{n} days") if lang == "en" else ("{n} día", "{n} días")
        return "—" if _missing(value) else words[float(value) != 1].format(n=short_text(value, lang, 1))
    if _missing(value):
        return "—"
    size = abs(float(value))
    decimals = 2 if size >= 1 or size == 0 else min(6, 2 - math.floor(math.log10(size)))  # 0,056: three digits
    return short_text(value, lang, decimals)


def signed_text(value: float, lang: str, decimals: int | None = None) -> str:
    """A change or an attitude with its sign and a true minus: +2, 0, −1.5 (−1,5 in Spanish); `decimals` fixes
    how many (None: as few as it allows, at most one); zero has no sign; empty is a dash.

    >>> signed_text(-1.5, "es"), signed_text(2.0, "en"), signed_text(0.0, "en"), signed_text(0.1, "en", 2)
    ('−1,5', '+2', '0', '+0.10')
    """
    if _missing(value) or value != value:
        return "—"
    size = abs(float(value))
    text = short_text(size, lang, 1) if decimals is None else number_text(size, lang, decimals)
    if not text.strip("0.,"):
        return text
    return ("+" if value > 0 else "\u2212") + text
