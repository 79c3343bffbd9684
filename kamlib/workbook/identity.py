"""The engagement's identity: who it is for, whose accounts it studies, by whom, when, in which language and
currency. It comes from the workbook's optional `engagement` sheet (key, value) and titles every deliverable
(reports, dashboard, report site, deck); without it the titles are neutral, never a file or folder name.

    key         value
    client      Grupo Alimentario Ibérico
    supplier    Conservas del Norte (its food-service unit, say: whose key accounts these are)
    consultant  Estrategia Comercial Asociados
    date        2026-12-07
    language    es
    currency    EUR
    review_months  12
    cost_per_hour  45

The language is the deliverables' default (a `--lang` given wins); the currency writes every amount;
`review_months` is how old an account's plan (`accounts.last_reviewed`) may be, in months before the engagement's
date, before the deliverables flag it (`kamlib.plan.freshness`); `cost_per_hour` the cost of an hour of every KAM
without their own (`kams.cost_per_hour`), in the engagement's currency (`kamlib.plan.cost`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from babel.numbers import list_currencies

from kamlib.errors import Problem
from kamlib.i18n import check_lang, date_text, default_lang
from kamlib.workbook.cells import parse_number

DEFAULT_CURRENCY = "EUR"
"""The currency of amounts when the engagement does not name one (the method's articles are Spanish)."""
DEFAULT_REVIEW_MONTHS = 12
"""How many months an account's plan may go unreviewed before it is flagged, when the engagement does not say."""
MAX_REVIEW_MONTHS = 120
LANGUAGE_ALIASES = {
    "es": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "spanish": "es",
    "en": "en",
    "inglés": "en",
    "ingles": "en",
    "english": "en",
}
"""How the `language` item may be written (case ignored)."""

_ALLOWED = {
    "date": {"en": "a date, e.g. 2026-12-07", "es": "una fecha, p. ej. 2026-12-07"},
    "language": {"en": "es or en", "es": "es o en"},
    "currency": {
        "en": "an ISO 4217 currency code, e.g. EUR, USD, GBP",
        "es": "un código de moneda ISO 4217, p. ej. EUR, USD, GBP",
    },
    "review_months": {
        "en": f"a whole number of months from 1 to {MAX_REVIEW_MONTHS}, e.g. 12",
        "es": f"un número entero de meses de 1 a {MAX_REVIEW_MONTHS}, p. ej. 12",
    },
    "cost_per_hour": {
        "en": "an amount ≥ 0 in the engagement's currency, e.g. 45",
        "es": "un importe ≥ 0 en la moneda del encargo, p. ej. 45",
    },
    "once": {"en": "each item once", "es": "cada dato una vez"},
}
_DELIVERABLES = {
    "portfolio": {"en": "Key account portfolio", "es": "Cartera de cuentas clave"},
    "account": {"en": "Key account plan", "es": "Plan de cuenta clave"},
    "dashboard": {"en": "Key account dashboard", "es": "Cuadro de mando de cuentas clave"},
    "site": {"en": "Key account reports", "es": "Informes de cuentas clave"},
    "deck": {"en": "Key account management", "es": "Gestión de cuentas clave"},
}
"""The neutral title of each deliverable; the supplier's (or client's) name follows it when the engagement gives
one."""
_FOR = {"en": "Prepared for {client}", "es": "Preparado para {client}"}
_BY = {"en": "by {consultant}", "es": "por {consultant}"}


def _date(text: str) -> dt.date | None:
    """An ISO date, alone or as a spreadsheet's date cell reads as text (`2026-12-07 00:00:00`); else None."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _language(text: str) -> str | None:
    return LANGUAGE_ALIASES.get(text.strip().casefold())


def _currency(text: str) -> str | None:
    code = text.strip().upper()
    return code if code in _CURRENCIES else None


def _months(text: str) -> int | None:
    """A whole number of months written as one (`12`, or `12,0` as a spreadsheet may store it), from 1 to
    `MAX_REVIEW_MONTHS`; not `12 %`, `1e1` or `1.000`."""
    found = _WHOLE.fullmatch(text.strip())
    number = int(found.group(1)) if found else 0
    return number if 1 <= number <= MAX_REVIEW_MONTHS else None


_WHOLE = re.compile(r"(\d{1,3})(?:[.,]0)?")


def _rate(text: str) -> float | None:
    number = parse_number(text)
    return number if number is not None and number >= 0 else None


_CURRENCIES = frozenset(list_currencies())
_PARSERS = {"date": _date, "language": _language, "currency": _currency, "review_months": _months,
            "cost_per_hour": _rate}  # fmt: skip


def identity_problems(sheet: pd.DataFrame, file: str) -> list[Problem]:
    """Each item once, and a date, language or currency that can be read (rows as the workbook numbers them)."""
    problems = []
    seen: dict[str, int] = {}
    for row, key, value in zip(sheet.index, sheet["key"], sheet["value"], strict=True):
        if key is None or value is None:
            continue  # an empty or unknown key, an empty value: already reported by the contract's rules
        if key in seen:
            problems.append(
                Problem("bad_value", file, "engagement", int(row), "key", key, {"allowed": _ALLOWED["once"]})
            )
        seen.setdefault(key, int(row))
        parse = _PARSERS.get(key)
        if parse is not None and parse(str(value)) is None:
            problems.append(
                Problem("bad_value", file, "engagement", int(row), "value", value, {"allowed": _ALLOWED[key]})
            )
    return problems


@dataclass(frozen=True)
class Identity:
    """The engagement's identity (see the module's docstring); every item may be absent."""

    client: str | None = None
    supplier: str | None = None
    consultant: str | None = None
    date: dt.date | None = None
    language: str | None = None
    currency: str = DEFAULT_CURRENCY
    review_months: int = DEFAULT_REVIEW_MONTHS
    cost_per_hour: float | None = None
    """The cost of an hour of every KAM without their own rate (None: not given)."""

    @classmethod
    def from_sheet(cls, sheet: pd.DataFrame | None) -> Identity:
        """The identity a validated `engagement` sheet states (None or no rows: nothing stated)."""
        if sheet is None or sheet.empty:
            return cls()
        items = {k: str(v).strip() for k, v in zip(sheet["key"], sheet["value"], strict=True) if v is not None}
        return cls(
            client=items.get("client") or None,
            supplier=items.get("supplier") or None,
            consultant=items.get("consultant") or None,
            date=_date(items["date"]) if "date" in items else None,
            language=_language(items["language"]) if "language" in items else None,
            currency=_currency(items["currency"]) if "currency" in items else DEFAULT_CURRENCY,
            review_months=_months(items["review_months"]) if "review_months" in items else DEFAULT_REVIEW_MONTHS,
            cost_per_hour=_rate(items["cost_per_hour"]) if "cost_per_hour" in items else None,
        )

    def lang(self, given: str | None = None) -> str:
        """The deliverables' language: the one `given` (a `--lang`), else the engagement's, else the default
        (`KAM_LANG`, else the system's locale)."""
        return check_lang(given) if given else self.language or default_lang()

    @property
    def who(self) -> str | None:
        """The name the deliverables carry: the supplier whose accounts these are, else the client."""
        return self.supplier or self.client

    def title(self, deliverable: str, lang: str) -> str:
        """The title of a deliverable (`portfolio`, `account`, `dashboard`, `site`, `deck`): `Cartera de cuentas
        clave · Conservas del Norte`, or the neutral title alone.

        >>> Identity(supplier="Conservas del Norte").title("portfolio", "es")
        'Cartera de cuentas clave · Conservas del Norte'
        >>> Identity().title("dashboard", "en")
        'Key account dashboard'
        """
        neutral = _DELIVERABLES[deliverable][check_lang(lang)]
        return f"{neutral} · {self.who}" if self.who else neutral

    def byline(self, lang: str, today: dt.date | None = None) -> str:
        """Who it is for (when not the supplier itself), by whom and when: `Preparado para Grupo Ibérico por
        Estrategia Comercial · 7 dic 2026`; the date is the engagement's, else `today` (None: no date).

        >>> Identity("Grupo Ibérico", "Conservas del Norte", "ECA", dt.date(2026, 12, 7)).byline("en")
        'Prepared for Grupo Ibérico by ECA · 7 Dec 2026'
        >>> Identity(client="Grupo Ibérico", consultant="ECA").byline("es")
        'Por ECA'
        """
        check_lang(lang)
        words = []
        if self.client and self.client != self.who:
            words.append(_FOR[lang].format(client=self.client))
        if self.consultant:
            by = _BY[lang].format(consultant=self.consultant)
            words.append(by if words else by[0].upper() + by[1:])
        when = self.date or today
        parts = [" ".join(words)] if words else []
        if when is not None:
            parts.append(date_text(when, lang))
        return " · ".join(parts)


__all__ = ["DEFAULT_CURRENCY", "DEFAULT_REVIEW_MONTHS", "Identity", "identity_problems"]
