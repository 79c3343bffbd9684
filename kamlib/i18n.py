"""Languages and the words and numbers people read: every label exists in Spanish and English (the method is
Spanish), numbers are written the way each language groups thousands and marks decimals, and the default
language comes from the environment."""

from __future__ import annotations

import os

from kamlib.errors import KamError

LANGS = ("en", "es")
"""The languages of every message, label and deliverable."""


def default_lang() -> str:
    """Return the message language: `KAM_LANG` if set to es or en, else English."""
    lang = os.environ.get("KAM_LANG", "en").strip().lower()[:2]
    return lang if lang in LANGS else "en"


def check_lang(lang: str) -> str:
    """Return `lang` if it is a supported language, else raise `KamError` naming them."""
    if lang not in LANGS:
        raise KamError(f"unknown language {lang!r}; allowed: es, en", f"idioma desconocido {lang!r}; se admite: es, en")
    return lang


def number_text(value: float, lang: str, decimals: int) -> str:
    """Write a number for people, thousands grouped: 2,500,000.5 in English, 2.500.000,5 in Spanish."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "es" else text


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
    text = number_text(float(value), lang, decimals)
    return text.rstrip("0").rstrip(".," if lang == "en" else ",") if decimals > 0 else text


def signed_text(value: float, lang: str, decimals: int | None = None) -> str:
    """A change or an attitude with its sign and a true minus: +2, 0, −1.5 (−1,5 in Spanish); `decimals` fixes
    how many (None: as few as it allows, at most one); zero has no sign; empty is a dash.

    >>> signed_text(-1.5, "es"), signed_text(2.0, "en"), signed_text(0.0, "en"), signed_text(0.1, "en", 2)
    ('−1,5', '+2', '0', '+0.10')
    """
    if value is None or value != value:
        return "—"
    size = abs(float(value))
    text = short_text(size, lang, 1) if decimals is None else number_text(size, lang, decimals)
    if not text.strip("0.,"):
        return text
    return ("+" if value > 0 else "\u2212") + text
