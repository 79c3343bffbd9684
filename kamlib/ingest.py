"""Write a ledger's new period of scores, and its new customers, into an engagement workbook.

    result = ingest_scores("ventas.csv", "ventas.yaml", kamlib.load(wb))
    backup = write_ingest(wb, result)

Only the `scores` and `accounts` sheets change, and only by rows: the ledger's earlier scores of the same period
(assessor "ledger") are replaced, every other row is kept as it was typed. A CSV folder keeps each file's
separator, encoding and line ends; an .xlsx workbook keeps its other sheets and formats. The new workbook is
validated before it replaces the old one, which is kept beside it as a dated backup.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamlib.errors import KamError, number_text
from kamlib.ledger import ASSESSOR, LedgerIngest
from kamlib.workbook.read import clean_cell

SHEETS = ("scores", "accounts")
"""The sheets an ingest writes; every other sheet is copied as it is."""

_CSV_DELIMITERS = (",", ";", "\t")


def write_ingest(workbook: Path | str, result: LedgerIngest) -> Path:
    """Add a ledger ingest to a workbook (.xlsx or CSV folder) and return the backup of the previous one.

    In `scores`, rows of `result.period` whose assessor is "ledger" are removed before the new rows are
    appended, so ingesting a period again replaces it; `result.accounts` is appended to `accounts`, its other
    columns left empty. The new workbook is validated with `kamlib.load` first: if it fails, the
    `WorkbookError` propagates and nothing is written, no backup, no temp file.
    """
    workbook = Path(workbook)
    if not workbook.exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    rows = {"scores": _records(result.scores), "accounts": _records(result.accounts)}
    with _scratch(workbook) as scratch:
        if workbook.is_dir():
            _write_csv_folder(workbook, scratch, rows, result.period)
        elif workbook.suffix.lower() in (".xlsx", ".xlsm"):
            _write_xlsx(workbook, scratch, rows, result.period)
        else:
            raise KamError(
                f"{workbook}: unsupported workbook format {workbook.suffix or '(none)'!r}; allowed: .xlsx or a "
                "folder of CSV files",
                f"{workbook}: formato de libro no admitido {workbook.suffix or '(ninguno)'!r}; se admite: .xlsx o "
                "una carpeta de archivos CSV",
            )
        from kamlib.engagement import load

        load(scratch)  # raises WorkbookError naming the real file names: the scratch copy has the same name
        backup = _backup(workbook)
        if workbook.is_dir():
            for sheet in SHEETS:
                target = _csv_file(workbook, sheet)
                _replace(scratch / target.name, target)
        else:
            _replace(scratch, workbook)
    return backup


def ingest_summary(result: LedgerIngest, backup: Path, lang: str = "en") -> list[str]:
    """Say what an ingest wrote, one line each: customers scored, criteria, period, new accounts, backup."""
    customers = result.scores["account_id"].nunique()
    criteria = ", ".join(dict.fromkeys(result.scores["criterion_id"].astype(str)))
    new = result.accounts["account_id"].astype(str).tolist()
    es = lang == "es"
    none = "ninguna" if es else "none"
    added = f"{len(new)} ({', '.join(new)})" if new else none
    lines = int(result.lines)
    if es:
        return [
            f"Periodo: {result.period} (hasta {result.as_of.date().isoformat()}, {number_text(lines, lang, 0)} "
            "líneas de factura)",
            f"Clientes puntuados: {customers}",
            f"Criterios: {criteria or none}",
            f"Cuentas nuevas: {added}",
            f"Copia de seguridad: {backup}",
        ]
    return [
        f"Period: {result.period} (as of {result.as_of.date().isoformat()}, {number_text(lines, lang, 0)} invoice "
        "lines)",
        f"Customers scored: {customers}",
        f"Criteria: {criteria or none}",
        f"New accounts: {added}",
        f"Backup: {backup}",
    ]


# --- rows to add ------------------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as {column: value}, a missing value (None, NaN) as None."""
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _header_name(cell: object) -> str | None:
    cell = clean_cell(cell)
    return None if cell is None else "_".join(str(cell).lower().split())


def _text(cell: object) -> str:
    """A cell as text to compare: a whole number without ".0", blank as ""."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    cell = clean_cell(cell if isinstance(cell, str) else (None if cell is None else str(cell)))
    return "" if cell is None else str(cell)


def _is_old_ledger_row(cells: Sequence[object], columns: dict[str, int], period: str) -> bool:
    """Tell whether a scores row is the ledger's for `period` (so a new ingest of that period replaces it)."""

    def cell(name: str) -> str:
        i = columns.get(name)
        return _text(cells[i]) if i is not None and i < len(cells) else ""

    return cell("assessor").casefold() == ASSESSOR and cell("period") == period


def _number(value: object) -> object:
    """A number as Excel should hold it: whole numbers as int; anything else unchanged."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
        return int(value) if value.is_integer() else value
    return value


def _csv_value(value: object, decimal_comma: bool) -> str:
    if value is None:
        return ""
    value = _number(value)
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


# --- CSV folder -------------------------------------------------------------------------------------------


@dataclass
class _CsvFile:
    """One CSV file's rows as typed, with how it was saved, so that it is written back the same way."""

    rows: list[list[str]]
    delimiter: str
    encoding: str
    newline: str


def _csv_file(folder: Path, sheet: str) -> Path:
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv" and file.stem.strip().lower() == sheet:
            return file
    raise KamError(
        f"{folder.name}/: missing sheet {sheet!r} ({sheet}.csv)",
        f"{folder.name}/: falta la hoja {sheet!r} ({sheet}.csv)",
    )


def _read_csv(path: Path) -> _CsvFile:
    """Read a CSV file as `kamlib.workbook.read` does, keeping its encoding, separator and line ends."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_CSV_DELIMITERS, key=first_line.count)
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _CsvFile(rows, delimiter, encoding, newline)


def _add_rows(
    rows: list[list[object]], new: list[dict[str, object]], period: str | None, cell: Callable[[object], object]
) -> list[list[object]]:
    """Rows of a sheet (header = first non-blank row) with old ledger rows of `period` dropped and `new` added.

    A column the new rows need that the header lacks (assessor, period) is added at the end of the header.
    """
    start = next((i for i, r in enumerate(rows) if any(_text(c) for c in r)), None)
    if start is None:
        raise KamError("the sheet has no header row", "la hoja no tiene fila de cabecera")
    header = list(rows[start])
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        name = _header_name(name)
        if name is not None and name not in columns:
            columns[name] = i
    for name in dict.fromkeys(k for record in new for k in record):
        if name not in columns:
            columns[name] = len(header)
            header.append(name)
    body = rows[start + 1 :]
    if period is not None:
        body = [r for r in body if not _is_old_ledger_row(r, columns, period)]
    while body and not any(_text(c) for c in body[-1]):  # trailing blank rows: the new rows go after the data
        body.pop()
    added = []
    for record in new:
        row: list[object] = [cell(None)] * len(header)
        for name, value in record.items():
            row[columns[name]] = cell(value)
        added.append(row)
    return [*rows[:start], header, *body, *added]


def _write_csv_folder(folder: Path, scratch: Path, new: dict[str, list[dict[str, object]]], period: str) -> None:
    """Copy the folder's CSV files into `scratch` with scores and accounts rewritten."""
    scratch.mkdir()
    for file in folder.iterdir():
        if file.is_file() and file.suffix.lower() == ".csv":
            shutil.copy2(file, scratch / file.name)
    for sheet in SHEETS:
        path = _csv_file(folder, sheet)
        typed = _read_csv(path)
        comma = typed.delimiter == ";"  # as the reader: a ";" file uses the decimal comma
        rows = _add_rows(
            typed.rows, new[sheet], period if sheet == "scores" else None, lambda v, c=comma: _csv_value(v, c)
        )
        out = io.StringIO(newline="")
        csv.writer(out, delimiter=typed.delimiter, lineterminator=typed.newline).writerows(rows)
        try:
            data = out.getvalue().encode(typed.encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise KamError(
                f"{folder.name}/{path.name}: {bad!r} cannot be written in its encoding ({typed.encoding}); allowed: "
                "save the file as CSV UTF-8 and ingest again",
                f"{folder.name}/{path.name}: {bad!r} no se puede escribir en su codificación ({typed.encoding}); "
                "se admite: guardar el archivo como CSV UTF-8 e importar de nuevo",
            ) from None
        (scratch / path.name).write_bytes(data)


# --- .xlsx workbook ---------------------------------------------------------------------------------------


def _write_xlsx(workbook: Path, scratch: Path, new: dict[str, list[dict[str, object]]], period: str) -> None:
    """Save a copy of the workbook to `scratch` with rows removed from and appended to scores and accounts."""
    from openpyxl import load_workbook

    book = load_workbook(workbook, keep_vba=workbook.suffix.lower() == ".xlsm")
    try:
        for sheet in SHEETS:
            ws = next((w for w in book.worksheets if w.title.strip().lower() == sheet), None)
            if ws is None:
                raise KamError(f"{workbook.name}: missing sheet {sheet!r}", f"{workbook.name}: falta la hoja {sheet!r}")
            _update_sheet(ws, new[sheet], period if sheet == "scores" else None)
        book.save(scratch)
    finally:
        book.close()


def _update_sheet(ws: object, new: list[dict[str, object]], period: str | None) -> None:
    """Delete the old ledger rows of `period` from a worksheet and write `new` below its last row of data."""
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next((i for i, r in enumerate(values) if any(_text(c) for c in r)), None)
    if start is None:
        raise KamError(f"sheet {ws.title!r}: no header row", f"hoja {ws.title!r}: sin fila de cabecera")
    columns: dict[str, int] = {}
    for i, name in enumerate(values[start]):
        name = _header_name(name)
        if name is not None and name not in columns:
            columns[name] = i
    width = max((i for i, c in enumerate(values[start]) if _text(c)), default=-1) + 1
    for name in dict.fromkeys(k for record in new for k in record):
        if name not in columns:
            columns[name] = width
            ws.cell(row=start + 1, column=width + 1, value=name)
            width += 1
    if period is not None:
        old = [start + 2 + i for i, r in enumerate(values[start + 1 :]) if _is_old_ledger_row(r, columns, period)]
        for row in reversed(old):
            ws.delete_rows(row)
        values = [r for i, r in enumerate(values) if i + 1 not in old]
    last = max((i + 1 for i, r in enumerate(values) if any(_text(c) for c in r)), default=start + 1)
    for offset, record in enumerate(new, start=1):
        for name, value in record.items():
            if value is not None:
                ws.cell(row=last + offset, column=columns[name] + 1, value=_number(value))


# --- backup, scratch and replacing ------------------------------------------------------------------------


@contextmanager
def _scratch(workbook: Path) -> Iterator[Path]:
    """Yield a path with the workbook's name inside a hidden folder beside it; remove the folder afterwards.

    Beside it, so the final rename stays on one file system; with the same name, so validation messages name
    the user's file.
    """
    folder = Path(tempfile.mkdtemp(prefix=f".{workbook.name}.ingest-", dir=workbook.parent))
    try:
        yield folder / workbook.name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _backup(workbook: Path) -> Path:
    """Copy the workbook to `<name>.backup-YYYYmmdd-HHMMSS[.xlsx]` beside it (-2, -3… if that exists)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = workbook.name if workbook.is_dir() else workbook.stem
    suffix = "" if workbook.is_dir() else workbook.suffix
    target = workbook.with_name(f"{stem}.backup-{stamp}{suffix}")
    n = 1
    while target.exists():
        n += 1
        target = workbook.with_name(f"{stem}.backup-{stamp}-{n}{suffix}")
    try:
        if workbook.is_dir():
            shutil.copytree(workbook, target)
        else:
            shutil.copy2(workbook, target)
    except BaseException:
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
        raise
    return target


def _replace(new: Path, target: Path) -> None:
    """Rename `new` over `target`, keeping the target's permissions."""
    os.chmod(new, stat.S_IMODE(target.stat().st_mode))
    os.replace(new, target)


__all__ = ["SHEETS", "ingest_summary", "write_ingest"]
