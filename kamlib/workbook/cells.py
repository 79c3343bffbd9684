"""Interpret raw cells the way a Spanish or English spreadsheet user means them.

Numbers may be typed as text with a decimal comma ("7,5") or point, with thousands
separators ("1.234.567,89", "1,234,567.89") or spaces; booleans as true/false,
sí/no, verdadero/falso, yes/no or 1/0; ids typed as numbers (101) are the text "101".
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

TRUE_WORDS = frozenset({"true", "verdadero", "yes", "y", "sí", "si", "s", "1", "x"})
FALSE_WORDS = frozenset({"false", "falso", "no", "n", "0"})


def cell_text(value: object) -> str | None:
    """Return a cell as text (integral numbers without ".0", dates as ISO), or None when empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value).strip())
    return text or None


class TextCodes(NamedTuple):
    """A column of texts and empty cells as codes: `texts[code]`, or -1 for None and -2 for NaN."""

    codes: np.ndarray
    texts: list[str]


def text_codes(series: pd.Series) -> TextCodes | None:
    """The column as codes into its distinct texts when every cell is text, None or NaN (a sheet read from CSV);
    None when some cell is anything else (a number, a date), whose equal-comparing kin (1, 1.0, True) must not
    be taken for one another.

    >>> found = text_codes(pd.Series(["b", None, "a", "b", float("nan")], dtype=object))
    >>> found.codes.tolist(), found.texts
    ([0, -1, 1, 0, -2], ['b', 'a'])
    >>> text_codes(pd.Series(["1", 1], dtype=object)) is None
    True
    """
    if isinstance(series.dtype, pd.StringDtype) and isinstance(series.dtype.na_value, float):  # "str": NaN empty
        codes, uniques = pd.factorize(series)
        return TextCodes(np.where(codes < 0, -2, codes), list(uniques))
    if series.dtype != object:
        return None
    values = series.to_numpy()
    codes, uniques = pd.factorize(values)
    if not all(type(u) is str for u in uniques):
        return None
    empty = np.flatnonzero(codes < 0)
    kinds = set(map(type, values[empty]))
    if not kinds <= {type(None), float}:  # pd.NA, NaT… would read as another text
        return None
    if float in kinds:  # NaN
        nan = empty if len(kinds) == 1 else empty[np.not_equal(values[empty], None)]
        codes[nan] = -2
    return TextCodes(codes, list(uniques))


def map_cells(series: pd.Series, one: Callable[[object], object]) -> np.ndarray:
    """`one` of every cell, as an object array: once per distinct text when `text_codes` can tell them
    (a million time records hold a few thousand texts), else cell by cell.

    >>> map_cells(pd.Series(["a", None, "a"], dtype=object), lambda v: v and v.upper()).tolist()
    ['A', None, 'A']
    """
    found = text_codes(series)
    out = np.empty(len(series) if found is None else len(found.texts) + 2, dtype=object)
    if found is None:
        out[:] = [one(v) for v in series]
        return out
    out[:-2] = [one(text) for text in found.texts]
    if (found.codes == -2).any():
        out[-2] = one(float("nan"))
    if (found.codes == -1).any():
        out[-1] = one(None)
    return out[found.codes]


def to_text(series: pd.Series) -> pd.Series:
    """Return the column as text cells (object dtype, None for empty).

    Equal texts become one shared string object (`sys.intern`): ids and periods repeat down long sheets,
    and comparing and hashing them later (a million time records) is then much cheaper.
    """

    def one(value: object) -> str | None:
        text = cell_text(value)
        return None if text is None else sys.intern(text)

    return pd.Series(map_cells(series, one), index=series.index, dtype=object)


def parse_numbers(series: pd.Series, decimal_comma: bool | None = None) -> pd.Series:
    """Parse a column of numbers typed in either convention; NaN where empty or not a number.

    A comma before the last digits is a decimal comma ("7,5"); a trailing "%" is dropped ("40 %" is 40).
    Dots group thousands when they come in threes before a decimal comma or repeat ("1.234,5", "1.234.567"); with
    `decimal_comma` (a ";"-separated CSV, or None and some cell of the column has a decimal
    comma) a single group counts too ("12.500" is 12500). Otherwise a dot is a decimal point.

    >>> parse_numbers(pd.Series(["7,5", 3, "1.234,5", "abc", None])).tolist()
    [7.5, 3.0, 1234.5, nan, nan]
    >>> parse_numbers(pd.Series(["7.5", "1,234.5", "1.234"])).tolist()
    [7.5, 1234.5, 1.234]
    >>> parse_numbers(pd.Series(["12.500", "980,5", "7.5"])).tolist()
    [12500.0, 980.5, 7.5]
    >>> parse_numbers(pd.Series(["40 %", "12,5%", "%"])).tolist()  # a percentage is the number shown
    [40.0, 12.5, nan]
    """
    found = text_codes(series)
    if found is None:
        return _parsed_cells(series, decimal_comma)
    numbers = _parsed_cells(pd.Series(found.texts, dtype=object), decimal_comma).to_numpy()
    return pd.Series(np.append(numbers, [np.nan, np.nan])[found.codes], index=series.index)


def _parsed_cells(series: pd.Series, decimal_comma: bool | None) -> pd.Series:
    """`parse_numbers`, cell by cell: whether a dot groups thousands may depend on the other cells."""
    values = series.to_numpy(dtype=object)
    out = np.full(len(values), np.nan)
    is_num = np.fromiter(
        (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) for v in values),
        dtype=bool,
        count=len(values),
    )
    if is_num.any():
        out[is_num] = values[is_num].astype(float)
    is_str = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if is_str.any():
        text = pd.Series(values[is_str], dtype=object).str.replace(r"[\s\u00a0\u202f']|%$", "", regex=True)
        decimal = text.str.fullmatch(r"[+-]?\d*,\d+")
        if decimal_comma is None:
            decimal_comma = bool(text.str.fullmatch(r"[+-]?[\d.]*\d,\d+").any())
        plain = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
        groups = r"(\.\d{3})+" if decimal_comma else r"((\.\d{3}){2,}|\.\d{3}(?=,))"
        dot_thousands = text.str.fullmatch(r"[+-]?\d{1,3}" + groups + r"(,\d+)?")
        comma_thousands = text.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?") & ~decimal & (not decimal_comma)
        text = text.where(
            ~(decimal | dot_thousands), text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
        text = text.where(~comma_thousands, text.str.replace(",", "", regex=False))
        ok = plain | decimal | dot_thousands | comma_thousands
        parsed = pd.to_numeric(text.where(ok), errors="coerce").to_numpy(dtype=float)
        out[is_str] = parsed
    out[~np.isfinite(out)] = np.nan
    return pd.Series(out, index=series.index)


def parse_number(value: object) -> float | None:
    """Parse one number typed in either convention (see `parse_numbers`); None if it is not one."""
    number = parse_numbers(pd.Series([value], dtype=object)).iloc[0]
    return None if np.isnan(number) else float(number)


DATE_YEARS = (1900, 2199)
"""The years a date cell may fall in: any engagement's, and within what every spreadsheet and pandas can hold."""
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_date(value: object) -> dt.date | None:
    """Read a date written as `YYYY-MM-DD` (what a spreadsheet's date cell reads as, `cell_text`), a time of day
    after it allowed, from `DATE_YEARS`; None when empty or anything else: `15/03/2026` (day-first and
    month-first spellings cannot be told apart, so neither is guessed), `2026-W10-1`, text after the date.

    >>> parse_date("2026-03-15"), parse_date("2026-03-15T09:30:00"), parse_date("15/03/2026")
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15), None)
    >>> parse_date("2026-03-05 o 2026-04-01"), parse_date("0001-01-01"), parse_date("2026-02-30")
    (None, None, None)
    """
    text = cell_text(value)
    found = None if text is None else _DATE.fullmatch(text)
    if found is None or not DATE_YEARS[0] <= int(found.group(1)) <= DATE_YEARS[1]:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def parse_dates(series: pd.Series) -> pd.Series:
    """Parse a column of dates (`parse_date`) as datetime64 values; NaT where empty or not a date."""
    return pd.Series(pd.to_datetime(map_cells(series, parse_date)), index=series.index, dtype="datetime64[ns]")


def parse_bools(series: pd.Series, default: bool) -> pd.Series:
    """Parse a column of yes/no cells; empty cells take `default`, unreadable ones become None."""

    def one(v: object) -> bool | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return default
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, float)) and v in (0, 1):
            return bool(v)
        word = str(v).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return None

    return pd.Series(map_cells(series, one), index=series.index, dtype=object)


def normalise_choice(series: pd.Series, choices: tuple[str, ...], aliases: dict[str, str] | None = None) -> pd.Series:
    """Map cells to one of `choices` ignoring case, accents' composition, spaces and hyphens; None otherwise."""
    lookup = {c: c for c in choices} | dict(aliases or {})

    def one(v: object) -> str | None:
        text = cell_text(v)
        if text is None:
            return None
        key = text.lower().replace(" ", "_").replace("-", "_")
        return lookup.get(key)

    return pd.Series(map_cells(series, one), index=series.index, dtype=object)


def name_key(text: object) -> str:
    """Return a name's identity: no accents, case-folded, spaces trimmed and runs of spaces made one.

    >>> name_key("  Cuota en el  CLIENTE ") == name_key("cuota en el cliente") == name_key("Cuóta en el cliente")
    True
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


DIRECTION_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Unicode's bidirectional controls: invisible, they make a text show in another order ("A012\u202egnp.exe" shows
as "A012exe.png")."""


IGNORABLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's default-ignorable characters that are no formatting character: a combining grapheme joiner, Hangul
fillers, variation selectors… shown as nothing, so "A012\u034f" looks like "A012"."""


def invisible_character(text: object) -> str | None:
    """The first invisible character of a text (a direction mark, a zero-width space, a Hangul filler…), written
    as its code point (U+202E): a formatting character or one Unicode says to show as nothing.

    >>> invisible_character("A012\u202egnp.exe"), invisible_character("A012\u3164"), invisible_character("Peña")
    ('U+202E', 'U+3164', None)
    """
    if not isinstance(text, str) or text.isascii():
        return None
    found = next((c for c in text if unicodedata.category(c) == "Cf" or IGNORABLE.match(c)), None)
    return None if found is None else f"U+{ord(found):04X}"


def without_direction_marks(series: pd.Series) -> pd.Series:
    """The column with bidirectional controls removed from its texts, so every text shows as it reads.

    Typed as `Series.map` types it (texts and empty cells become the "str" dtype), each distinct text
    looked at once.
    """
    if series.dtype != object:
        return series

    def one(value: object) -> object:
        return DIRECTION_MARKS.sub("", value) if isinstance(value, str) and not value.isascii() else value

    found = text_codes(series)
    if found is None or not found.texts:
        return series.map(one)
    cells = pd.Series(map_cells(series, one), index=series.index, name=series.name, dtype=object)
    return cells.infer_objects()
