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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kamlib.errors import Problem
from kamlib.workbook.sheets import SHEETS

_SHEET_LIST = ", ".join(s.name for s in SHEETS)
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

    def file_of(self, sheet: str) -> str:
        return self.files.get(sheet, self.label)


def clean_cell(value: object) -> object:
    """Trim text and normalise it to NFC; turn blank text into None; leave other values."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip().replace("\u00a0", " ").strip())
        return value or None
    return value


def frame_from_rows(header: list[object], rows: list[tuple[int, list[object]]]) -> tuple[pd.DataFrame, list[str]]:
    """Build a raw frame from a header and (Excel row, cells) pairs; return it and any duplicated header names."""
    names: list[str] = []
    keep: list[int] = []
    duplicates: list[str] = []
    for i, h in enumerate(header):
        h = clean_cell(h)
        if h is None:
            continue
        name = "_".join(str(h).lower().split())  # "Account ID" and "account id" mean account_id
        if name in names:
            duplicates.append(name)
            continue
        names.append(name)
        keep.append(i)
    data = {}
    index = []
    cells_by_col: list[list[object]] = [[] for _ in keep]
    for excel_row, cells in rows:
        values = [clean_cell(cells[i]) if i < len(cells) else None for i in keep]
        if all(v is None for v in values):
            continue
        index.append(excel_row)
        for j, v in enumerate(values):
            cells_by_col[j].append(v)
    for name, col in zip(names, cells_by_col, strict=False):
        data[name] = pd.Series(col, dtype=object)
    frame = pd.DataFrame(data, columns=names)
    frame.index = pd.Index(index, dtype="int64", name="row")
    return frame, duplicates


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
    from openpyxl import load_workbook

    label = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        detail = {"en": f"cannot be opened: {type(exc).__name__}", "es": f"no se puede abrir: {type(exc).__name__}"}
        raw.problems.append(Problem("not_a_workbook", label, params={"detail": detail, "sheets": _SHEET_LIST}))
        return
    try:
        for ws in book.worksheets:
            sheet = ws.title.strip().lower()
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                raw.sheets[sheet] = pd.DataFrame()
                raw.files[sheet] = label
                continue
            body = [(i, list(r)) for i, r in enumerate(rows, start=2)]
            frame, duplicates = frame_from_rows(list(header), body)
            raw.sheets[sheet] = frame
            raw.files[sheet] = label
            for d in duplicates:
                raw.problems.append(Problem("duplicate_column", label, sheet, params={"column_name": d}))
    finally:
        book.close()


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
        label = f"{folder.name}/{file.name}"
        raw.files[sheet] = label
        text = _decode(file.read_bytes())
        if not text.strip():
            raw.problems.append(Problem("empty_file", label, sheet))
            raw.sheets[sheet] = pd.DataFrame()
            continue
        first_line = text.lstrip("\ufeff").splitlines()[0]
        delimiter = max(_CSV_DELIMITERS, key=first_line.count)
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        header, body = records[0], [(i, r) for i, r in enumerate(records[1:], start=2)]
        frame, duplicates = frame_from_rows(list(header), body)
        raw.sheets[sheet] = frame
        for d in duplicates:
            raw.problems.append(Problem("duplicate_column", label, sheet, params={"column_name": d}))
