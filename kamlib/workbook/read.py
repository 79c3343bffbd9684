"""Read an engagement's sheets, from an .xlsx workbook or a folder of CSV files, as raw cells.

Nothing is interpreted here beyond what any spreadsheet user expects: header names
are trimmed, lower-cased and their inner spaces made underscores; text cells are
trimmed (Unicode NFC, so accents typed on any system compare equal); blank rows dropped.
Each frame is indexed by the row number Excel shows (header = row 1), so every later
message can point at the cell.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kamlib.errors import Problem
from kamlib.workbook.sheets import SHEETS

_SHEET_LIST = ", ".join(s.name for s in SHEETS if s.required)
_CSV_DELIMITERS = (",", ";", "\t")
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")


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

    def file_of(self, sheet: str) -> str:
        return self.files.get(sheet, self.label)


_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters: invisible, and refused by Excel when the text is written back."""


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
            for i, name in enumerate(header):
                if name is None:
                    continue
                if name in names:
                    raw.problems.append(
                        Problem("duplicate_column", file, sheet, excel_row, params={"column_name": name})
                    )
                    continue
                names.append(name)
                keep.append(i)
            columns = [[] for _ in keep]
            continue
        if strict_width and any(c is not None for c in cleaned[len(header) :]):
            raw.problems.append(
                Problem("extra_cells", file, sheet, excel_row, params={"count": len(cleaned), "width": len(header)})
            )
        index.append(excel_row)
        for j, i in enumerate(keep):
            columns[j].append(cleaned[i] if i < len(cleaned) else None)
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


def _read_xlsx(path: Path, raw: RawWorkbook, data_only: bool = True) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        detail = {"en": f"cannot be opened: {type(exc).__name__}", "es": f"no se puede abrir: {type(exc).__name__}"}
        raw.problems.append(Problem("not_a_workbook", path.name, params={"detail": detail, "sheets": _SHEET_LIST}))
        return
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()  # some writers store a stale sheet size; read every row Excel would show
            rows = enumerate((_as_shown(row) for row in ws.iter_rows()), start=1)
            read_sheet(rows, raw, ws.title.strip().lower(), path.name, strict_width=False)
    finally:
        book.close()


def _as_shown(cells: Sequence[object]) -> list[object]:
    """Cell values as a person sees them: a number formatted as a percentage (0.4 shown as 40 %) is 40."""
    values = []
    for cell in cells:
        value = getattr(cell, "value", None)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and _is_percent(cell.number_format):
            value = round(value * 100, 10)
        values.append(value)
    return values


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
"""Parts of a number format that are shown as they are: quoted text, escaped characters, [colours]."""


def _is_percent(number_format: str | None) -> bool:
    """Tell whether an Excel number format shows the value × 100 with a % sign (0%, 0.0 %), not a literal "%".

    >>> [_is_percent(f) for f in ("0%", "0.0 %", '0" %"', "0\\\\%", "General", None)]
    [True, True, False, False, False, False]
    """
    return "%" in _LITERALS.sub("", number_format or "")


def uncalculated_formulas(path: Path, cells: Iterable[tuple[str, int, str]]) -> set[tuple[str, int, str]]:
    """Return which of the (sheet, Excel row, column) cells hold a formula without a stored result.

    Only asked about cells that read as empty: a workbook written by a program other than
    Excel or LibreOffice may keep formulas without their values, and such a cell is not empty.
    """
    formulas = RawWorkbook(name=path.stem, source=path)
    _read_xlsx(path, formulas, data_only=False)
    found = set()
    for sheet, row, column in cells:
        frame = formulas.sheets.get(sheet)
        if frame is not None and column in frame.columns and row in frame.index:
            value = frame.at[row, column]
            if isinstance(value, str) and value.startswith("="):
                found.add((sheet, row, column))
    return found


def _decode(data: bytes) -> str:
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv_folder(folder: Path, raw: RawWorkbook) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        detail = {"en": "a folder with no CSV files", "es": "una carpeta sin archivos CSV"}
        raw.problems.append(Problem("not_a_workbook", folder.name, params={"detail": detail, "sheets": _SHEET_LIST}))
        return
    for file in files:
        sheet = file.stem.strip().lower()
        text = _decode(file.read_bytes()).lstrip("\ufeff")
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = max(_CSV_DELIMITERS, key=first_line.count)
        if delimiter == ";":
            raw.decimal_comma.add(sheet)  # Excel in Spanish (and most of Europe) saves CSV with ";" and "7,5"
        rows = enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        read_sheet(rows, raw, sheet, f"{folder.name}/{file.name}", strict_width=True)
