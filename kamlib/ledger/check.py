"""Check and type the invoice lines read from a ledger; collect every problem and raise them at once.

Rows in messages are the rows a person sees (`kamlib.ledger.read` says how each source counts them).
The rules (ours):

- **Dates**: with `date_format` in the mapping, that format; otherwise the convention that reads most of the
  first 5,000 dates, tried in this order on ties: ISO (2025-03-31, with or without a time), day first
  (31/03/2025, 31-03-2025, 31.03.2025, 31/03/25), month first (03/31/2025). A date outside 1900–2100 is not
  read. Times are dropped: a line belongs to its day. Date cells (Excel, Parquet, a database) are taken as
  they are.
- **Amounts** (quantity, revenue, cost): `decimal: auto` takes the convention most amounts show
  unambiguously (7,50 or 1.234,5 is a comma; 7.50 or 1,234.5 a point); when none do, a ";"-separated
  file uses the comma and any other source the point. Thousands separators, spaces, € $ £ and a trailing
  minus (SAP's 12.50-) are allowed.
- **Returns and credit notes** are lines with a negative revenue (and usually negative quantity and cost):
  they are kept and netted against sales, so a customer's volume is its net revenue.
- **Empty cells**: customer, date, revenue and (when the ledger has one) cost must be filled; an empty
  quantity, product, family, invoice or name is allowed (a line without a family counts in the volume but
  not among the families bought; a line without an invoice is an order of its customer and day).
- **Several currencies** are refused, naming each currency and its lines, unless `keep_currency` names the
  one to keep (the other lines are left out, with a warning). Empty currency cells are the currency of the
  other lines when there is only one; with several, an empty currency cell is a problem. Codes are compared
  in upper case.
- **Exact duplicates** (a line equal in every mapped column to an earlier one: most often an export run
  twice) are refused by default, naming the rows; `duplicates: drop` keeps the first of each (with a
  warning), `duplicates: keep` counts them all.
- Blank rows are skipped. No line at all is an error.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.errors import KamError, KamWarning, show_value
from kamlib.i18n import number_text
from kamlib.ledger.mapping import AMOUNTS, FIELDS, TEXTS, LedgerMapping
from kamlib.workbook.cells import cell_text

_SHOWN_ROWS = 5
_SHOWN_VALUES = 3
_DATE_SAMPLE = 5_000
_FORMATS: Mapping[str, tuple[str, ...]] = {
    "iso": ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d"),
    "day": ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%y"),
    "month": ("%m/%d/%Y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%y"),
}
"""Date conventions tried without a `date_format`, in order of preference on ties."""
_EXAMPLE = {"iso": "2025-03-31", "day": "31/03/2025", "month": "03/31/2025"}
_CONVENTION = {
    "iso": ("year-month-day", "año-mes-día"),
    "day": ("day/month/year", "día/mes/año"),
    "month": ("month/day/year", "mes/día/año"),
}
_COMMA_SHAPE = re.compile(r"[+-]?(\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(\.\d{3})+,\d+)")
_POINT_SHAPE = re.compile(r"[+-]?(\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(,\d{3})+\.\d+)")
_AMOUNT = {
    "comma": r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)?(,\d+)?$",
    "point": r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$",
}


# --- problems -------------------------------------------------------------------------------------------

_WORDS = {
    "en": {
        "query": "query",
        "sheet": 'sheet "{}"',
        "column": 'column "{}"',
        "row": "row",
        "rows": "rows",
        "more": " and {} more",
    },
    "es": {
        "query": "consulta",
        "sheet": 'hoja "{}"',
        "column": 'columna "{}"',
        "row": "fila",
        "rows": "filas",
        "more": " y {} más",
    },
}


@dataclass(frozen=True)
class Source:
    """Where lines come from, as messages name it: a file (or a query), and the sheet of a workbook."""

    file: str
    sheet: str | None = None
    query: bool = False
    """The lines are a query's result on the database `file`."""

    def text(self, lang: str = "en") -> str:
        """The file, and the sheet or query if there is one: ventas.xlsx, sheet "Ventas"; erp.duckdb, query."""
        if self.query:
            return f"{self.file}, {_WORDS[lang]['query']}"
        return self.file if self.sheet is None else f"{self.file}, {_WORDS[lang]['sheet'].format(self.sheet)}"


@dataclass(frozen=True)
class LedgerProblem:
    """One thing wrong with a ledger: where (file, column, the first rows of how many) and what, per language."""

    file: str
    message: Mapping[str, str]
    column: str | None = None
    rows: tuple[int, ...] = ()
    count: int = 0
    """How many rows have it (the first few are in `rows`)."""
    sheet: str | None = None
    query: bool = False

    def render(self, lang: str = "en") -> str:
        """One line: file, column, rows, then what was found and what is allowed."""
        words = _WORDS[lang]
        parts = [Source(self.file, self.sheet, self.query).text(lang)]
        if self.column is not None:
            parts.append(words["column"].format(self.column))
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            if self.count > len(self.rows):
                shown += words["more"].format(number_text(self.count - len(self.rows), lang, 0))
            parts.append(words["row" if len(self.rows) == 1 else "rows"] + " " + shown)
        return ", ".join(parts) + ": " + self.message[lang] + "."

    def sort_key(self) -> tuple:
        """File, then first row; problems of one row keep the order they were found in (dates, amounts, …)."""
        return (self.file, self.sheet or "", self.rows[0] if self.rows else 0)


class LedgerError(KamError):
    """Every problem found in one ledger, raised once so that all of them can be fixed in one pass."""

    def __init__(self, problems: Sequence[LedgerProblem]):
        self.problems = sorted(problems, key=LedgerProblem.sort_key)
        super().__init__(self.render("en"), self.render("es"))

    def render(self, lang: str = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


def ledger_problem(
    where: Source | str, en: str, es: str, column: str | None = None, rows: np.ndarray | Sequence[int] = ()
) -> LedgerProblem:
    """A problem with its message in both languages, keeping the first rows of `rows` and their count."""
    where = Source(where) if isinstance(where, str) else where
    rows = np.asarray(rows, dtype=np.int64)
    shown = tuple(int(r) for r in rows[:_SHOWN_ROWS])
    return LedgerProblem(where.file, {"en": en, "es": es}, column, shown, len(rows), where.sheet, where.query)


def lines_text(count: int, lang: str) -> str:
    """How many lines, in words: 1 line, 2,500 lines (1 línea, 2.500 líneas)."""
    word = ("line" if count == 1 else "lines") if lang == "en" else ("línea" if count == 1 else "líneas")
    return f"{number_text(count, lang, 0)} {word}"


def show_values(values: Sequence[object], lang: str) -> str:
    """The first few distinct values, as a message shows them."""
    distinct = list(dict.fromkeys(values))
    shown = ", ".join(show_value(v, lang) for v in distinct[:_SHOWN_VALUES])
    return shown + (", …" if len(distinct) > _SHOWN_VALUES else "")


# --- the raw ledger --------------------------------------------------------------------


@dataclass
class RawLedger:
    """A source's columns under the normalised names, still as read, with the rows a person sees."""

    label: Source
    frame: pd.DataFrame
    rows: np.ndarray
    names: dict[str, str]
    """Normalised name → the source's column name, for messages."""
    decimal: str = "point"
    """The decimal mark of amounts read as text: comma or point."""


def decimal_vote(cells: Sequence[object], default: str) -> str:
    """The decimal mark most amounts show unambiguously; `default` when none do (see the module's rules)."""
    texts = [str(c).strip() for c in cells if isinstance(c, str)]
    comma = sum(1 for t in texts if _COMMA_SHAPE.fullmatch(t))
    point = sum(1 for t in texts if _POINT_SHAPE.fullmatch(t))
    return default if comma == point else ("comma" if comma > point else "point")


# --- normalising and checking ---------------------------------------------------------------------------


def _text(series: pd.Series) -> pd.Series:
    """Text cells trimmed (numbers typed in an id column as their text: 101, not 101.0); missing where empty."""
    if pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series):
        out = series.str.strip()
        return out.where(out != "")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = np.array([cell_text(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=series.index, dtype="str")


def _cells(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Split a column into its text (trimmed, str dtype, missing where not text), empty cells and other values."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        text = values.str.strip()
        text = text.where(text != "")
        return text, text.isna().to_numpy(), np.zeros(len(values), dtype=bool)
    objects = values.to_numpy(dtype=object, na_value=None)
    is_str = np.fromiter((isinstance(v, str) for v in objects), dtype=bool, count=len(objects))
    text = pd.Series(np.where(is_str, objects, None), dtype="str").str.strip()
    text = text.where(text != "")
    missing = np.fromiter((v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) for v in objects), bool)
    return text, missing | (is_str & text.isna().to_numpy()), ~is_str & ~missing


def parse_amounts(values: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Read a column of amounts: (numbers, empty mask); a cell neither empty nor a number is NaN, not empty.

    >>> numbers, empty = parse_amounts(pd.Series(["1.234,5", "7,5", "12,50-", "abc", None, 3]), "comma")
    >>> numbers.tolist(), empty.tolist()
    ([1234.5, 7.5, -12.5, nan, nan, 3.0], [False, False, False, False, True, False])
    >>> [a.tolist() for a in parse_amounts(pd.Series([2.5, float("inf"), None]), "point")]
    [[2.5, nan, nan], [False, False, True]]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        empty = np.isnan(numbers)
        numbers[~np.isfinite(numbers)] = np.nan  # an infinite amount is not a number a ledger can hold
        return numbers, empty
    text, empty, other = _cells(values)
    numbers = np.full(len(values), np.nan)
    if other.any():
        numbers[other] = [_float(v) for v in values.to_numpy(dtype=object)[other]]
    is_text = text.notna().to_numpy()
    if is_text.any():
        text = text[is_text].str.replace(r"[\s\u00a0\u202f'€$£]", "", regex=True)
        minus = text.str.endswith("-") & ~text.str.startswith(("-", "+"))
        text = text.where(~minus, "-" + text.str.slice(0, -1))
        ok = text.str.match(_AMOUNT[decimal]) & text.str.contains(r"\d", regex=True)
        if decimal == "comma":
            text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        else:
            text = text.str.replace(",", "", regex=False)
        numbers[is_text] = pd.to_numeric(text.where(ok), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers, empty


def _float(value: object) -> float:
    """A number of any kind (int, numpy, Decimal from a database) as float; NaN for anything else (a bool too)."""
    if isinstance(value, (bool, np.bool_)):
        return np.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def parse_dates(values: pd.Series, date_format: str | None = None) -> tuple[np.ndarray, np.ndarray, str | None]:
    """Read a column of dates: (datetime64[s] days, NaT where unread), empty mask, the convention used.

    Date and datetime cells (Excel, Parquet, a database) are taken as they are; text is read with
    `date_format`, else by the convention that reads most of it (see the module's rules).

    >>> days, empty, used = parse_dates(pd.Series(["31/01/2025", "05/02/2025 10:30", "", "31/02/2025"]))
    >>> [str(d) for d in days], empty.tolist(), used
    (['2025-01-31T00:00:00', '2025-02-05T00:00:00', 'NaT', 'NaT'], [False, False, True, False], 'day')
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        days = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        days = days.to_numpy().astype("datetime64[D]")
        return _in_range(days), np.isnat(days), None
    text, empty, other = _cells(values)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
    if other.any():
        out[other] = [_day(v) for v in values.to_numpy(dtype=object)[other]]
    is_text = text.notna().to_numpy()
    used = None
    if is_text.any():
        strings = text[is_text].reset_index(drop=True)
        if date_format is not None:
            formats: Sequence[str] = (date_format,)
        else:
            sample = strings.iloc[:_DATE_SAMPLE]
            unread = {k: int(_parsed(sample, fmts).isna().sum()) for k, fmts in _FORMATS.items()}
            used = min(_FORMATS, key=lambda k: (unread[k], list(_FORMATS).index(k)))
            formats = _FORMATS[used]
        out[is_text] = _parsed(strings, formats).to_numpy().astype("datetime64[D]")
    return _in_range(out), empty, used


def _day(value: object) -> np.datetime64:
    """The day of a date or datetime cell (its wall-clock day when it has a time zone); NaT for anything else."""
    if isinstance(value, (dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return np.datetime64(stamp.date(), "D") if stamp is not pd.NaT else np.datetime64("NaT")
    return np.datetime64("NaT")


def _parsed(text: pd.Series, formats: Sequence[str]) -> pd.Series:
    """Parse text with the first format, then what is still unread with each next one (strict: 31/02 is not
    read, nor text left over after the format)."""
    parsed = pd.to_datetime(text, format=formats[0], errors="coerce")
    for fmt in formats[1:]:
        unread = parsed.isna()
        if not unread.any():
            break
        parsed = parsed.where(~unread, pd.to_datetime(text.where(unread), format=fmt, errors="coerce"))
    return parsed


def _in_range(days: np.ndarray) -> np.ndarray:
    """Dates outside 1900–2100 are typing slips (a year 0025, 2205), not sales: unread."""
    out = days.astype("datetime64[s]")
    wrong = (out < np.datetime64("1900-01-01")) | (out > np.datetime64("2100-12-31"))
    out[wrong] = np.datetime64("NaT")
    return out


def normalise_ledger(raw: RawLedger, mapping: LedgerMapping) -> pd.DataFrame:
    """Check and type a raw ledger: every problem collected and raised once, else the tidy lines."""
    frame, label, names = raw.frame, raw.label, raw.names
    texts = {n: _text(frame[n]) for n in TEXTS if n in frame}
    amounts = {n: parse_amounts(frame[n], raw.decimal) for n in AMOUNTS if n in frame}
    days, empty_date, used = parse_dates(frame["date"], mapping.date_format)
    blank = empty_date.copy()
    for values in texts.values():
        blank &= values.isna().to_numpy()
    for _, empty in amounts.values():
        blank &= empty
    keep = ~blank
    everything = bool(keep.all())
    rows = raw.rows if everything else raw.rows[keep]
    if len(rows) == 0:
        raise LedgerError(
            [ledger_problem(label, "no invoice lines below the header", "no hay líneas de factura bajo la cabecera")]
        )

    def kept(values):
        return values if everything else values[keep]

    lines = pd.DataFrame({"row": rows, "date": kept(days)})
    for name in FIELDS:
        if name in texts:
            lines[name] = kept(texts[name].array)
        elif name in amounts:
            lines[name] = kept(amounts[name][0])

    def original(name: str, bad: np.ndarray) -> np.ndarray:
        """The cells as read, of the rows that have a problem (for the message)."""
        return frame[name].to_numpy(dtype=object)[np.flatnonzero(keep)[bad]]

    problems = _date_problems(raw, original, lines["date"].to_numpy(), kept(empty_date), used, rows, mapping)
    for name, (_, empty) in amounts.items():
        problems += _amount_problems(name, lines[name].to_numpy(), kept(empty), original, raw, rows)
    missing_customer = lines["customer"].isna().to_numpy()
    if missing_customer.any():
        problems.append(
            ledger_problem(
                label,
                "empty cell; every line needs its customer; allowed: the customer's code",
                "celda vacía; cada línea necesita su cliente; se admite: el código del cliente",
                names["customer"],
                rows[missing_customer],
            )
        )
    in_currency = np.ones(len(lines), dtype=bool)
    if "currency" in lines or mapping.keep_currency is not None:
        currency_problems, in_currency = _currencies(lines, mapping, label, names)
        problems += currency_problems
    if problems:
        raise LedgerError(problems)
    if not in_currency.all():
        lines = lines[in_currency].reset_index(drop=True)
    lines = _duplicates(lines, mapping, label)
    lines.attrs.update(
        source=label.file, sheet=label.sheet, columns=dict(names), date_convention=used, decimal=raw.decimal
    )
    if "currency" in lines:
        found = lines["currency"].dropna().unique().tolist()
        lines.attrs["currency"] = found[0] if len(found) == 1 else None
    return lines


def _date_problems(raw: RawLedger, original, days, empty, used, rows, mapping: LedgerMapping) -> list[LedgerProblem]:
    column = raw.names["date"]
    problems = []
    if empty.any():
        problems.append(
            ledger_problem(
                raw.label,
                "empty cell; every line needs its date; allowed: a date such as 2025-03-31 or 31/03/2025",
                "celda vacía; cada línea necesita su fecha; se admite: una fecha como 2025-03-31 o 31/03/2025",
                column,
                rows[empty],
            )
        )
    bad = np.isnat(days) & ~empty
    if not bad.any():
        return problems
    if mapping.date_format is not None:
        allowed = (
            f"dates in the mapping's date_format {mapping.date_format!r}, from 1900 to 2100",
            f"fechas en el date_format de la correspondencia {mapping.date_format!r}, de 1900 a 2100",
        )
    elif used is not None:
        how = _CONVENTION[used]
        allowed = (
            f"dates written as the rest of the column ({how[0]}, e.g. {_EXAMPLE[used]}) from 1900 to 2100, or "
            "date_format in the mapping",
            f"fechas escritas como el resto de la columna ({how[1]}, p. ej. {_EXAMPLE[used]}) de 1900 a 2100, o "
            "date_format en la correspondencia",
        )
    else:
        allowed = ("dates from 1900 to 2100", "fechas de 1900 a 2100")
    count = int(bad.sum())
    problems.append(
        ledger_problem(
            raw.label,
            f"dates not readable ({number_text(count, 'en', 0)}): {show_values(original('date', bad), 'en')}; "
            f"allowed: {allowed[0]}",
            f"fechas no legibles ({number_text(count, 'es', 0)}): {show_values(original('date', bad), 'es')}; "
            f"se admite: {allowed[1]}",
            column,
            rows[bad],
        )
    )
    return problems


def _amount_problems(name: str, numbers, empty, original, raw: RawLedger, rows) -> list[LedgerProblem]:
    column = raw.names[name]
    problems = []
    if name != "quantity" and empty.any():
        why = (
            ("every line needs its revenue", "cada línea necesita su importe")
            if name == "revenue"
            else (
                "the ledger has a cost column, so every line needs its cost (or cost: none in the mapping, and no "
                "margin)",
                "el libro tiene columna de coste, así que cada línea necesita su coste (o cost: none en la "
                "correspondencia, y sin margen)",
            )
        )
        problems.append(
            ledger_problem(
                raw.label,
                f"empty cell; {why[0]}; allowed: a number",
                f"celda vacía; {why[1]}; se admite: un número",
                column,
                rows[empty],
            )
        )
    bad = np.isnan(numbers) & ~empty
    if bad.any():
        count = int(bad.sum())
        mark = ("decimal comma: 1.234,50", "coma decimal: 1.234,50")
        if raw.decimal != "comma":
            mark = ("decimal point: 1,234.50", "punto decimal: 1,234.50")
        problems.append(
            ledger_problem(
                raw.label,
                f"not numbers ({number_text(count, 'en', 0)}): {show_values(original(name, bad), 'en')}; "
                f"allowed: a number ({mark[0]}; or decimal in the mapping)",
                f"no son números ({number_text(count, 'es', 0)}): {show_values(original(name, bad), 'es')}"
                f"; se admite: un número ({mark[1]}; o decimal en la correspondencia)",
                column,
                rows[bad],
            )
        )
    return problems


def _currencies(lines: pd.DataFrame, mapping: LedgerMapping, label: Source, names: dict[str, str]):
    """Refuse several currencies (or keep the mapping's one); return the problems and the lines to keep."""
    keep_all = np.ones(len(lines), dtype=bool)
    if "currency" not in lines:
        return [
            ledger_problem(
                label,
                f"keep_currency {mapping.keep_currency!r} needs a currency column; allowed: name it in the "
                "mapping (columns: currency: <column>) or leave keep_currency out",
                f"keep_currency {mapping.keep_currency!r} necesita una columna de moneda; se admite: nombrarla en "
                "la correspondencia (columns: currency: <columna>) o quitar keep_currency",
            )
        ], keep_all
    codes = lines["currency"].str.upper()
    lines["currency"] = codes.array
    counts = codes.value_counts()
    if len(counts) <= 1:
        if len(counts) == 1:
            lines["currency"] = codes.fillna(counts.index[0]).array
        if mapping.keep_currency is not None and mapping.keep_currency.strip().upper() not in counts.index:
            return [_missing_currency(mapping.keep_currency, counts, label, names)], keep_all
        return [], keep_all
    listed_en = ", ".join(f"{c!r} ({lines_text(n, 'en')})" for c, n in counts.items())
    listed_es = ", ".join(f"{c!r} ({lines_text(n, 'es')})" for c, n in counts.items())
    problems = []
    empty = codes.isna().to_numpy()
    if empty.any():
        problems.append(
            ledger_problem(
                label,
                f"empty cell; the ledger has several currencies ({', '.join(map(repr, counts.index))}); allowed: "
                "the line's currency",
                f"celda vacía; el libro tiene varias monedas ({', '.join(map(repr, counts.index))}); se admite: la "
                "moneda de la línea",
                names["currency"],
                lines["row"].to_numpy()[empty],
            )
        )
    if mapping.keep_currency is None:
        problems.append(
            ledger_problem(
                label,
                f"several currencies: {listed_en}; allowed: one currency (amounts in different currencies do not "
                f"add up), or keep_currency: {counts.index[0]} in the mapping to keep only those lines",
                f"varias monedas: {listed_es}; se admite: una sola moneda (importes en monedas distintas no se "
                f"suman), o keep_currency: {counts.index[0]} en la correspondencia para conservar solo esas líneas",
                names["currency"],
            )
        )
        return problems, keep_all
    kept = mapping.keep_currency.strip().upper()
    if kept not in counts.index:
        return [*problems, _missing_currency(mapping.keep_currency, counts, label, names)], keep_all
    keep = (codes == kept).to_numpy()
    left = counts.drop(kept)
    if not problems:
        warnings.warn(
            KamWarning(
                f"{label.text('en')}: kept {lines_text(counts[kept], 'en')} in {kept}; left out "
                + ", ".join(f"{lines_text(n, 'en')} in {c}" for c, n in left.items()),
                f"{label.text('es')}: se conservan {lines_text(counts[kept], 'es')} en {kept}; se dejan fuera "
                + ", ".join(f"{lines_text(n, 'es')} en {c}" for c, n in left.items()),
            ),
            stacklevel=4,
        )
    return problems, keep


def _missing_currency(wanted: str, counts: pd.Series, label: Source, names: dict[str, str]) -> LedgerProblem:
    known = ", ".join(map(repr, counts.index)) or "(none)"
    return ledger_problem(
        label,
        f"keep_currency {wanted!r} is not in the ledger; allowed: one of {known}",
        f"keep_currency {wanted!r} no está en el libro; se admite: una de {known}",
        names["currency"],
    )


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of each row from its columns' codes (text) or bits (numbers, dates): equal rows, equal hashes."""
    hashes = np.full(len(frame), 0x9E3779B97F4A7C15, dtype=np.uint64)
    for name in frame.columns:
        values = frame[name]
        if values.dtype.kind in "fiMm":
            bits = values.to_numpy().view(np.uint64)
        else:
            bits = pd.factorize(values, use_na_sentinel=True)[0].astype(np.uint64)
        hashes = (hashes ^ bits) * np.uint64(0x100000001B3)
        hashes ^= hashes >> np.uint64(29)
    return hashes


def _duplicates(lines: pd.DataFrame, mapping: LedgerMapping, label: Source) -> pd.DataFrame:
    """Exact repeats of a line: refused, dropped (the first kept) or kept, as the mapping says.

    Lines are hashed first (cheap), and only lines sharing a hash are compared in full.
    """
    if mapping.duplicates == "keep":
        return lines
    content = lines.drop(columns="row")
    hashes = _row_hashes(content)
    suspects = np.flatnonzero(pd.Series(hashes).duplicated(keep=False).to_numpy())
    if len(suspects) == 0:
        return lines
    repeats = suspects[content.iloc[suspects].duplicated(keep="first").to_numpy()]
    if len(repeats) == 0:
        return lines
    rows = lines["row"].to_numpy()
    first = pd.Series(suspects, index=hashes[suspects])
    first = first[~first.index.duplicated()]
    earlier = rows[first.loc[hashes[repeats]].to_numpy()]
    count = len(repeats)
    shown = ", ".join(str(r) for r in rows[repeats][:_SHOWN_ROWS]) + (", …" if count > _SHOWN_ROWS else "")
    if mapping.duplicates == "drop":
        warnings.warn(
            KamWarning(
                f"{label.text('en')}: dropped {lines_text(count, 'en')} repeating an earlier line exactly (rows "
                f"{shown})",
                f"{label.text('es')}: se quitan {lines_text(count, 'es')} que repiten exactamente otra anterior "
                f"(filas {shown})",
            ),
            stacklevel=4,
        )
        out = lines.drop(index=repeats).reset_index(drop=True)
        out.attrs["dropped_duplicates"] = count
        return out
    same = ", ".join(str(r) for r in earlier[:_SHOWN_ROWS]) + (", …" if count > _SHOWN_ROWS else "")
    raise LedgerError(
        [
            ledger_problem(
                label,
                f"repeats an earlier line exactly ({lines_text(count, 'en')}; the earlier ones: rows {same}); "
                "allowed: each line once; or duplicates: drop (keep the first of each) or duplicates: keep (count "
                "every line) in the mapping",
                f"repite exactamente una línea anterior ({lines_text(count, 'es')}; las anteriores: filas {same}); "
                "se admite: cada línea una vez; o duplicates: drop (conservar la primera) o duplicates: keep (contar "
                "todas) en la correspondencia",
                rows=rows[repeats],
            )
        ]
    )
