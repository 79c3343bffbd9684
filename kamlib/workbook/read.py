"""Read an engagement's sheets, from an .xlsx workbook or a folder of CSV files, as raw cells.

Nothing is interpreted here beyond what any spreadsheet user expects: header names
are trimmed, lower-cased and their inner spaces made underscores; text cells are
trimmed (Unicode NFC, so accents typed on any system compare equal); blank rows dropped.
Each frame is indexed by the row number Excel shows (header = row 1), so every later
message can point at the cell.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.errors import Problem
from kamlib.fileio import unneutralise
from kamlib.workbook.csvtext import (
    Grid,
    Record,
    UnreadableText,
    decode,
    records,
    records_grid,
    sniff_delimiter,
    split_grid,
)
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME
from kamlib.xlsx import XlsxError, open_xlsx

_SHEET_LIST = ", ".join(s.name for s in SHEETS if s.required)
_ONE_LINE_KINDS = ("id", "ref", "number", "bool", "choice", "period")
"""Kinds of cells that never hold a line break: one that does is a quote left open above it."""


@dataclass
class RawWorkbook:
    """The sheets of one workbook as raw cells, with the file label each message should name."""

    name: str
    source: Path | None
    label: str = "engagement"
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    decimal_comma: set[str] = field(default_factory=set)
    """Sheets saved the continental way (";" separated), whose numbers use a decimal comma."""
    unreadable: set[str] = field(default_factory=set)
    """Sheets that could not be read as they stand (a problem says why): validation checks nothing else in them."""
    shown: dict[str, str] = field(default_factory=dict)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)
    """Each sheet's columns and where they are in the file (0 is column A), to name a cell's formula."""
    formula_sheets: set[str] = field(default_factory=set)
    """Sheets of an .xlsx holding some formula: a formula without a stored value reads as an empty cell."""
    external_links: list[str] = field(default_factory=list)
    """Cells ("Title!B7") whose formula reads another workbook: their values are as that file last gave them."""
    """Each sheet's name as the file shows it (the tab's title, the CSV file's name), to tell duplicates apart."""

    def file_of(self, sheet: str) -> str:
        return self.files.get(sheet, self.label)


_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (C0 and C1): invisible, and refused by Excel when the text is written back."""


def clean_cell(value: object) -> object:
    """Trim text, drop control characters and normalise to NFC; turn blank text into None; leave other values."""
    if isinstance(value, str):
        value = _ILLEGAL_CHARACTERS.sub("", value.replace("\u00a0", " "))
        value = unicodedata.normalize("NFC", value.strip())
        return value or None
    return value


def _header_name(cell: object) -> str | None:
    cell = clean_cell(cell)
    return None if cell is None else "_".join(str(cell).lower().split())  # "Account ID" means account_id


def read_sheet(
    rows: Iterable[tuple[int, Sequence[object]]], raw: RawWorkbook, sheet: str, file: str, strict_width: bool
) -> None:
    """Put one sheet into `raw` from (Excel row, cells) pairs: header = first non-blank row, blank rows dropped.

    With `strict_width` (CSV), a row with values beyond the header is a problem: in a comma-separated
    file it is most often an unquoted decimal comma ("7,5") that split one cell in two.
    """
    raw.files[sheet] = file
    header: list[str | None] | None = None
    names: list[str] = []
    keep: list[int] = []
    index: list[int] = []
    columns: list[list[object]] = []
    for excel_row, cells in rows:
        cleaned = [clean_cell(c) for c in cells]
        if all(c is None for c in cleaned):
            continue
        if header is None:
            header = [_header_name(c) for c in cells]
            names, keep = _columns_of(header, raw, sheet, file, excel_row)
            columns = [[] for _ in keep]
            continue
        if strict_width and any(c is not None for c in cleaned[len(header) :]):
            raw.problems.append(_extra_cells(file, sheet, excel_row, len(cleaned), len(header)))
        index.append(excel_row)
        for j, i in enumerate(keep):
            columns[j].append(cleaned[i] if i < len(cleaned) else None)
    _put_sheet(raw, sheet, names, keep, columns, index)


def read_grid(found: Grid, raw: RawWorkbook, sheet: str, file: str) -> None:
    """Put one CSV sheet into `raw` as `read_sheet` does with `strict_width`, from a `Grid` (record r is Excel
    row r + 1): each distinct text is cleaned once, and the columns are taken from the cleaned texts at C speed."""
    raw.files[sheet] = file
    cleaned = np.empty(len(found.texts) + 1, dtype=object)  # the last one: the cell a short row lacks
    cleaned[:-1] = [unneutralise(clean_cell(text)) for text in found.texts]
    codes = found.codes.astype(np.int64)
    starts, ends = found.offsets[:-1], found.offsets[1:]
    filled = np.concatenate([[0], np.cumsum(np.not_equal(cleaned, None)[codes])])  # filled cells up to each
    kept_rows = np.flatnonzero(filled[ends] > filled[starts])
    if not len(kept_rows):
        _put_sheet(raw, sheet, [], [], [], [])
        return
    first, rows = kept_rows[0], kept_rows[1:]
    header = [_header_name(found.texts[c]) for c in codes[starts[first] : ends[first]]]
    names, keep = _columns_of(header, raw, sheet, file, int(first) + 1)
    beyond = filled[ends[rows]] > filled[np.minimum(starts[rows] + len(header), ends[rows])]
    raw.problems.extend(
        _extra_cells(file, sheet, int(r) + 1, int(ends[r] - starts[r]), len(header)) for r in rows[beyond]
    )
    columns = []
    for i in keep:
        where = np.full(len(rows), len(found.texts))
        has = ends[rows] - starts[rows] > i
        where[has] = codes[starts[rows[has]] + i]
        columns.append(cleaned[where])
    _put_sheet(raw, sheet, names, keep, columns, rows + 1)


def _columns_of(
    header: list[str | None], raw: RawWorkbook, sheet: str, file: str, excel_row: int
) -> tuple[list[str], list[int]]:
    """The names of a header's columns and where each is (0 is column A); a repeated name is a problem."""
    names: list[str] = []
    keep: list[int] = []
    for i, name in enumerate(header):
        if name is None:
            continue
        if name in names:
            raw.problems.append(Problem("duplicate_column", file, sheet, excel_row, params={"column_name": name}))
            continue
        names.append(name)
        keep.append(i)
    return names, keep


def _extra_cells(file: str, sheet: str, excel_row: int, count: int, width: int) -> Problem:
    """A CSV row with values beyond its header's `width` columns (`count` cells in all)."""
    return Problem("extra_cells", file, sheet, excel_row, params={"count": count, "width": width})


def _put_sheet(
    raw: RawWorkbook,
    sheet: str,
    names: list[str],
    keep: list[int],
    columns: Sequence[Sequence[object]],
    index: Sequence[int] | np.ndarray,
) -> None:
    """Store a sheet's columns (object cells) under their names, indexed by Excel row."""
    raw.positions[sheet] = dict(zip(names, keep, strict=True))
    frame = pd.DataFrame({n: pd.Series(c, dtype=object) for n, c in zip(names, columns, strict=True)}, columns=names)
    frame.index = pd.Index(index, dtype="int64", name="row")
    raw.sheets[sheet] = frame


def read_workbook(path: Path | str) -> RawWorkbook:
    """Read every sheet of an .xlsx workbook or a folder of CSV files; file-level problems go in `.problems`."""
    path = Path(path)
    name = path.stem if path.suffix else path.name
    label = path.name or str(path)
    raw = RawWorkbook(name=name, source=path, label=label + ("/" if path.is_dir() else ""))
    if not path.exists():
        raw.problems.append(Problem("not_found", label))
    elif path.is_dir():
        _read_csv_folder(path, raw)
    elif path.stat().st_size == 0:
        raw.problems.append(Problem("empty_file", label))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        _read_xlsx(path, raw)
    else:
        detail = (
            "a single CSV file: pass the folder that holds it"
            if path.suffix.lower() == ".csv"
            else (f"suffix {path.suffix or '(none)'!r}")
        )
        if path.suffix.lower() == ".xls":
            detail = "an old .xls workbook: save it as .xlsx"
        raw.problems.append(Problem("not_a_workbook", label, params={"detail": detail, "sheets": _SHEET_LIST}))
    return raw


def _read_xlsx(path: Path, raw: RawWorkbook) -> None:
    """Read every worksheet through `kamlib.xlsx` (limits checked first); cells of external links are said."""
    try:
        book = open_xlsx(path)
    except XlsxError as exc:
        kind = "xlsx" if exc.workbook else "not_a_workbook"
        sheet = None if exc.sheet is None else exc.sheet.strip().lower()
        raw.problems.append(Problem(kind, path.name, sheet, params={"detail": exc.detail, "sheets": _SHEET_LIST}))
        return
    with book:
        for title in book.titles:
            sheet = title.strip().lower()
            if not claim_sheet(raw, sheet, title, path.name):
                continue
            try:
                read_sheet(book.rows(title), raw, sheet, path.name, strict_width=False)
                if book.survey(title).formulas:
                    raw.formula_sheets.add(sheet)
            except XlsxError as exc:
                raw.sheets.pop(sheet, None)
                raw.unreadable.add(sheet)
                raw.problems.append(Problem("xlsx", path.name, sheet, params={"detail": exc.detail}))
        with contextlib.suppress(XlsxError):  # a damaged sheet is already a problem
            raw.external_links = book.external_links()


def uncalculated_formulas(
    raw: RawWorkbook, cells: Iterable[tuple[str, int, str]], valueless: bool = False
) -> set[tuple[str, int, str]]:
    """Return which of the (sheet, Excel row, column) cells hold a formula without a stored result.

    Only asked about cells that read as empty: a workbook written by a program other than
    Excel or LibreOffice may keep formulas without their values, and such a cell is not empty. With `valueless`,
    a formula whose stored result is an empty text (`=IF(…;"")`) is not one of them.
    """
    wanted: dict[str, set[tuple[int, int]]] = {}
    for sheet, row, column in cells:
        at = raw.positions.get(sheet, {}).get(column)
        if at is not None:
            wanted.setdefault(sheet, set()).add((row, at))
    found = set()
    with open_xlsx(raw.source) as book:
        titles = {t.strip().lower(): t for t in book.titles}
        for sheet, places in wanted.items():
            names = {at: name for name, at in raw.positions[sheet].items()}
            for row, at in book.formula_cells(titles[sheet], valueless) & places:
                found.add((sheet, row, names[at]))
    return found


def claim_sheet(raw: RawWorkbook, sheet: str, shown: str, file: str) -> bool:
    """Record that `shown` (a tab's title, a CSV file's name) is sheet `sheet`; False, with a problem naming both,
    when another one already is: names are compared ignoring case and surrounding spaces, and neither may win."""
    first = raw.shown.get(sheet)
    if first is None:
        raw.shown[sheet] = shown
        return True
    raw.problems.append(Problem("duplicate_sheet", file, sheet, params={"first": first, "second": shown}))
    raw.unreadable.add(sheet)
    return False


def _read_csv_folder(folder: Path, raw: RawWorkbook) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    for link in (p for p in files if p.is_symlink()):  # it may read any file of this machine as a sheet
        raw.problems.append(Problem("csv_link", f"{folder.name}/{link.name}", link.stem.strip().lower()))
        raw.unreadable.add(link.stem.strip().lower())
    files = [p for p in files if not p.is_symlink()]
    if not files:
        detail = {"en": "a folder with no CSV files", "es": "una carpeta sin archivos CSV"}
        raw.problems.append(Problem("not_a_workbook", folder.name, params={"detail": detail, "sheets": _SHEET_LIST}))
        return
    for file in files:
        sheet = file.stem.strip().lower()
        label = f"{folder.name}/{file.name}"
        if not claim_sheet(raw, sheet, file.name, label):
            continue
        raw.files[sheet] = label
        try:
            text, _ = decode(file.read_bytes())
            delimiter = sniff_delimiter(text)
            table = split_grid(text, delimiter)
            found = records(text, delimiter) if table is None else []  # a record over several lines
        except UnreadableText as exc:
            params = {"line": exc.line, "detail": exc.detail}
            raw.problems.append(Problem("unreadable_csv", label, sheet, params=params))
            raw.unreadable.add(sheet)
            continue
        spans = span_problems(found, sheet, label, delimiter)
        if spans:  # the rows below an open quote are not what the file means: nothing else is checked
            raw.problems.extend(spans)
            raw.unreadable.add(sheet)
            continue
        if delimiter == ";":
            raw.decimal_comma.add(sheet)  # Excel in Spanish (and most of Europe) saves CSV with ";" and "7,5"
        read_grid(records_grid(found) if table is None else table, raw, sheet, label)


def span_problems(found: list[Record], sheet: str, file: str, delimiter: str) -> list[Problem]:
    """The records whose cells run over several lines where no line break belongs: in an id, number or period
    cell (a quote left open), or in a text cell that swallowed lines shaped like whole rows."""
    header = next((r.cells for r in found if any(c.strip() for c in r.cells)), [])
    contract = SHEETS_BY_NAME.get(sheet)
    kinds = {c.name: c.kind for c in contract.columns} if contract else {}
    names = [_header_name(c) for c in header]
    problems = []
    for record in found:
        if record.open_at_end:  # the last cell of the file's last record runs to its end
            i = len(record.cells) - 1
            column = (names[i] if i < len(names) else None) or f"#{i + 1}"
            params = {"line": record.first_line, "end": record.last_line, "column_name": column}
            problems.append(Problem("open_quote", file, sheet, params=params))
            continue
        if record.last_line == record.first_line:
            continue
        for i, cell in enumerate(record.cells):
            if "\n" not in cell and "\r" not in cell:
                continue
            name = names[i] if i < len(names) else None
            swallowed = any(line.count(delimiter) >= max(1, len(header) - 1) for line in cell.splitlines()[1:])
            if kinds.get(name or "") in _ONE_LINE_KINDS or swallowed or name is None:
                column = name or f"#{i + 1}"
                params = {"line": record.first_line, "end": record.last_line, "column_name": column}
                problems.append(Problem("open_quote", file, sheet, params=params))
                break
    return problems
