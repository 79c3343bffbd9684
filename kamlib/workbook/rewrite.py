"""Rewrite an engagement workbook's sheets by rows: validated first, then replaced atomically, a dated backup kept.

    backup = rewrite_workbook(wb, {"scores": rows}, command="kam ingest")

What `kam ingest` and the workshop's accept step share. Each sheet named gets rows appended (and, with `drop`,
rows of its own removed first); every other sheet and row is kept as it was typed. A CSV folder keeps each
file's separator, encoding and line ends (a new sheet takes the scores file's); an .xlsx workbook keeps its other
sheets and formats, but openpyxl does not keep the computed values of formulas, so an .xlsx whose sheets hold
formulas is refused before anything is written. No text written becomes a formula (`kamlib.fileio.neutralise`
in CSV, a text cell in .xlsx). The new workbook is validated as `kamlib.load` validates one before it replaces
the old one, which is kept beside it as a dated backup.
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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.errors import KamError
from kamlib.fileio import Fingerprint, PartlyWritten, fingerprint, neutralise, remove_stale, replace_all, workbook_lock
from kamlib.workbook.csvtext import UnreadableText, decode, records, sniff_delimiter
from kamlib.workbook.read import clean_cell, read_workbook
from kamlib.workbook.sheets import SHEETS_BY_NAME
from kamlib.workbook.validate import validate
from kamlib.xlsx import LIMITS, column_letters, open_xlsx

Drop = Callable[[Mapping[str, str]], bool]
"""Which rows of a sheet to remove before the new ones are appended: called with a row as {column: text}
(column names as the header has them, lower case; a blank cell or a missing column as "")."""


def rewrite_workbook(
    workbook: Path | str,
    rows: Mapping[str, pd.DataFrame],
    drop: Mapping[str, Drop] | None = None,
    create: Collection[str] = (),
    read_as: Fingerprint | None = None,
    command: str = "kam ingest",
) -> Path:
    """Append `rows` to the sheets they name in a workbook (.xlsx or CSV folder) and return the backup of the
    previous one.

    In each sheet of `rows` the rows `drop[sheet]` picks are removed, then the new rows appended below the last
    row of data; a column the new rows have that the header lacks is added at its end. A sheet of `create` the
    workbook lacks is created with the contract's header; any other missing sheet is refused.
    The new workbook is validated as `kamlib.load` validates one: if it fails, the `WorkbookError` propagates
    and nothing is written, no backup, no temp file.

    Writing holds the workbook's lock (`kamlib.fileio.workbook_lock`; hold it from before reading the workbook).
    With `read_as` (the workbook's `fingerprint` when it was read) a workbook saved since is refused. The files
    of a CSV folder are replaced all or none; what a killed run of `command` left beside the workbook is removed
    first. `command` names the writer in messages ("kam ingest") and, by its last word, its scratch folders.
    """
    workbook = Path(workbook)
    if not workbook.exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    new = {sheet: _records(frame) for sheet, frame in rows.items()}
    drop = dict(drop or {})
    with workbook_lock(workbook), _scratch(workbook, command.split()[-1]) as scratch:
        if workbook.is_dir():
            _write_csv_folder(workbook, scratch, new, drop, set(create), command)
        elif workbook.suffix.lower() in (".xlsx", ".xlsm"):
            _write_xlsx(workbook, scratch, new, drop, set(create), command)
        else:
            raise KamError(
                f"{workbook}: unsupported workbook format {workbook.suffix or '(none)'!r}; allowed: .xlsx or a "
                "folder of CSV files",
                f"{workbook}: formato de libro no admitido {workbook.suffix or '(ninguno)'!r}; se admite: .xlsx o "
                "una carpeta de archivos CSV",
            )
        validate(read_workbook(scratch))  # a WorkbookError names the real file: the scratch copy has its name
        if read_as is not None and fingerprint(workbook) != read_as:
            raise KamError(
                f"{workbook}: saved by another program while {command} was reading it; nothing was written; "
                f"run {command} again",
                f"{workbook}: otro programa lo ha guardado mientras {command} lo leía; no se ha escrito nada; "
                f"vuelva a ejecutar {command}",
            )
        backup = _backup(workbook)
        names = [_csv_name(workbook, sheet, set(create)) for sheet in new] if workbook.is_dir() else []
        _commit(workbook, scratch, names, backup)
    return backup


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


def _row(cells: Sequence[object], columns: Mapping[str, int]) -> dict[str, str]:
    """A row as {column: text}, for a `Drop`."""
    return {name: _text(cells[i]) if i < len(cells) else "" for name, i in columns.items()}


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
        text = np.format_float_positional(value, trim="-")  # every digit, never an exponent (1e10 in a ";" file)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))  # a name "=HYPERLINK(…)" must not become a formula in Excel


# --- CSV folder -------------------------------------------------------------------------------------------


@dataclass
class _CsvFile:
    """One CSV file's rows as typed, with how it was saved, so that it is written back the same way."""

    rows: list[list[str]]
    delimiter: str
    encoding: str
    newline: str


def _csv_name(folder: Path, sheet: str, create: Collection[str] = ()) -> str:
    """The file name of a sheet in a CSV folder (`<sheet>.csv` for a sheet of `create` the folder lacks)."""
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv" and file.stem.strip().lower() == sheet:
            return file.name
    if sheet in create:
        return f"{sheet}.csv"
    raise KamError(
        f"{folder.name}/: missing sheet {sheet!r} ({sheet}.csv)",
        f"{folder.name}/: falta la hoja {sheet!r} ({sheet}.csv)",
    )


def _read_csv(path: Path) -> _CsvFile:
    """Read a CSV file as `kamlib.workbook.read` does, keeping its encoding, separator and line ends."""
    try:
        text, encoding = decode(path.read_bytes())
        delimiter = sniff_delimiter(text)
        rows = [r.cells for r in records(text, delimiter)]
    except UnreadableText as exc:
        where = f"{path.parent.name}/{path.name}"
        raise KamError(
            f"{where}: line {exc.line}: {exc.detail['en']}", f"{where}: línea {exc.line}: {exc.detail['es']}"
        ) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    return _CsvFile(rows, delimiter, encoding, newline)


def _add_rows(
    sheet: str,
    rows: list[list[object]],
    new: list[dict[str, object]],
    drop: Drop | None,
    cell: Callable[[object], object],
) -> list[list[object]]:
    """Rows of a sheet (header = first non-blank row) with the `drop` rows removed and `new` added.

    An empty sheet gets the contract's header; a column the new rows need that the header lacks (assessor,
    period) is added at the end of the header.
    """
    start = next((i for i, r in enumerate(rows) if any(_text(c) for c in r)), None)
    if start is None:
        rows, start = [list(SHEETS_BY_NAME[sheet].column_names)], 0
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
    if drop is not None:
        body = [r for r in body if not drop(_row(r, columns))]
    while body and not any(_text(c) for c in body[-1]):  # trailing blank rows: the new rows go after the data
        body.pop()
    added = []
    for record in new:
        row: list[object] = [cell(None)] * len(header)
        for name, value in record.items():
            row[columns[name]] = cell(value)
        added.append(row)
    return [*rows[:start], header, *body, *added]


def _write_csv_folder(
    folder: Path,
    scratch: Path,
    new: dict[str, list[dict[str, object]]],
    drop: Mapping[str, Drop],
    create: Collection[str],
    command: str,
) -> None:
    """Copy the folder's CSV files into `scratch` with the sheets of `new` rewritten (or added)."""
    scratch.mkdir()
    for file in folder.iterdir():
        if file.is_file() and file.suffix.lower() == ".csv":
            shutil.copy2(file, scratch / file.name)
    scores, accounts = (_read_csv(folder / _csv_name(folder, sheet)) for sheet in ("scores", "accounts"))
    # a new sheet is saved as the scores file is; in Windows-1252 if either file is (pure ASCII reads as UTF-8)
    encoding = next((f.encoding for f in (scores, accounts) if not f.encoding.startswith("utf-8")), scores.encoding)
    for sheet in new:
        path = folder / _csv_name(folder, sheet, create)
        new_sheet = _CsvFile([], scores.delimiter, encoding, scores.newline)
        typed = _read_csv(path) if path.exists() else new_sheet
        comma = typed.delimiter == ";"  # as the reader: a ";" file uses the decimal comma
        rows = _add_rows(sheet, typed.rows, new[sheet], drop.get(sheet), lambda v, c=comma: _csv_value(v, c))
        out = io.StringIO(newline="")
        csv.writer(out, delimiter=typed.delimiter, lineterminator=typed.newline).writerows(rows)
        try:
            data = out.getvalue().encode(typed.encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise KamError(
                f"{folder.name}/{path.name}: {bad!r} cannot be written in its encoding ({typed.encoding}); allowed: "
                f"save the file as CSV UTF-8 and run {command} again",
                f"{folder.name}/{path.name}: {bad!r} no se puede escribir en su codificación ({typed.encoding}); "
                f"se admite: guardar el archivo como CSV UTF-8 y volver a ejecutar {command}",
            ) from None
        (scratch / path.name).write_bytes(data)


# --- .xlsx workbook ---------------------------------------------------------------------------------------


def _write_xlsx(
    workbook: Path,
    scratch: Path,
    new: dict[str, list[dict[str, object]]],
    drop: Mapping[str, Drop],
    create: Collection[str],
    command: str,
) -> None:
    """Save a copy of the workbook to `scratch` with rows removed from and appended to the sheets of `new`."""
    from openpyxl import load_workbook

    _refuse_wide_sheets(workbook, command)
    book = load_workbook(workbook, keep_vba=workbook.suffix.lower() == ".xlsm")
    try:
        _refuse_formulas(workbook, book, command)
        for sheet in new:
            ws = next((w for w in book.worksheets if w.title.strip().lower() == sheet), None)
            if ws is None and sheet in create:
                ws = book.create_sheet(sheet)
            if ws is None:
                raise KamError(f"{workbook.name}: missing sheet {sheet!r}", f"{workbook.name}: falta la hoja {sheet!r}")
            _update_sheet(ws, sheet, new[sheet], drop.get(sheet))
        book.save(scratch)
    finally:
        book.close()


def _refuse_wide_sheets(workbook: Path, command: str) -> None:
    """Refuse a workbook openpyxl would have to hold cell by cell beyond `kamlib.xlsx.LIMITS.cells` (a stray cell
    in column XFD makes every row 16,384 cells): reading it checks the same, but rewriting it holds it whole."""
    with open_xlsx(workbook) as book:
        for title in book.titles:
            rows, columns = book.extent(title)
            if rows * columns > LIMITS.cells:
                corner = f"{column_letters(columns)}{rows}"
                raise KamError(
                    f"{workbook.name}: sheet {title!r} has cells as far as {corner}; {command} rewrites the whole "
                    "file and cannot hold that many; nothing was written. Allowed: the cells beyond the data "
                    "deleted (select the columns to the right, delete them), or the workbook saved as a folder of "
                    "CSV files",
                    f"{workbook.name}: la hoja {title!r} tiene celdas hasta {corner}; {command} reescribe el "
                    "archivo entero y no puede con tantas; no se ha escrito nada. Se admite: borrar las celdas más "
                    "allá de los datos (seleccionar las columnas a la derecha y eliminarlas), o el libro guardado "
                    "como carpeta de archivos CSV",
                )


def _refuse_formulas(workbook: Path, book: object, command: str, shown: int = 5) -> None:
    """Refuse a workbook whose contract sheets hold formulas: saved again by openpyxl they keep the formula but
    lose its computed value, so the new workbook could not be read until Excel recalculated it."""
    cells = [
        f"{ws.title}!{cell.coordinate}"
        for ws in book.worksheets
        if ws.title.strip().lower() in SHEETS_BY_NAME
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    if not cells:
        return
    listed = ", ".join(cells[:shown]) + (f" (+{len(cells) - shown})" if len(cells) > shown else "")
    raise KamError(
        f"{workbook.name}: formulas in {listed}; {command} rewrites the file and would lose their computed values; "
        "nothing was written. Allowed: replace them by their values (copy, paste special, values) or use the "
        "workbook saved as a folder of CSV files",
        f"{workbook.name}: fórmulas en {listed}; {command} reescribe el archivo y perdería sus valores calculados; "
        "no se ha escrito nada. Se admite: sustituirlas por sus valores (copiar, pegado especial, valores) o usar "
        "el libro guardado como carpeta de archivos CSV",
    )


def _update_sheet(ws: object, sheet: str, new: list[dict[str, object]], drop: Drop | None) -> None:
    """Delete the `drop` rows from a worksheet and write `new` below its last row of data (an empty sheet gets
    the contract's header first); a text is written as a text cell, never a formula."""
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next((i for i, r in enumerate(values) if any(_text(c) for c in r)), None)
    if start is None:
        header = list(SHEETS_BY_NAME[sheet].column_names)
        for column, name in enumerate(header, start=1):
            ws.cell(row=1, column=column, value=name)
        values, start = [header], 0
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
    if drop is not None:
        gone = [start + 2 + i for i, r in enumerate(values[start + 1 :]) if drop(_row(r, columns))]
        runs: list[list[int]] = []  # consecutive rows deleted at once: a period's rows were appended together
        for row in gone:
            if runs and runs[-1][0] + runs[-1][1] == row:
                runs[-1][1] += 1
            else:
                runs.append([row, 1])
        for row, amount in reversed(runs):
            ws.delete_rows(row, amount)
        dropped = set(gone)
        values = [r for i, r in enumerate(values) if i + 1 not in dropped]
    last = max((i + 1 for i, r in enumerate(values) if any(_text(c) for c in r)), default=start + 1)
    for offset, record in enumerate(new, start=1):
        for name, value in record.items():
            if value is not None:
                cell = ws.cell(row=last + offset, column=columns[name] + 1, value=_number(value))
                if cell.data_type == "f":  # openpyxl reads a text starting with "=" as a formula: keep it text
                    cell.data_type = "s"


# --- backup, scratch and replacing ------------------------------------------------------------------------


@contextmanager
def _scratch(workbook: Path, tag: str) -> Iterator[Path]:
    """Yield a path with the workbook's name inside a hidden folder beside it; remove the folder afterwards.

    Beside it, so the final rename stays on one file system; with the same name, so validation messages name
    the user's file. Scratch folders that killed runs left (`.<name>.<tag>-<pid>-…`) are removed first.
    """
    prefix = f".{workbook.name}.{tag}-"
    remove_stale(workbook.parent, prefix)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=workbook.parent))
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
            shutil.copytree(workbook, target, symlinks=True)  # a link is copied as a link, not what it reads
        else:
            shutil.copy2(workbook, target)
    except BaseException:
        _remove(target)
        raise
    return target


def _commit(workbook: Path, scratch: Path, names: list[str], backup: Path) -> None:
    """Put the new workbook in place: an .xlsx in one rename, a CSV folder's files all or none. If that fails,
    say what state the files are in, and keep the backup only if it is needed."""
    pairs = [(scratch / name, workbook / name) for name in names] if workbook.is_dir() else [(scratch, workbook)]
    for new, target in pairs:
        if target.exists():
            os.chmod(new, stat.S_IMODE(target.stat().st_mode))
    try:
        replace_all(pairs)
    except PartlyWritten as exc:
        if exc.restored:
            _remove(backup)
            raise
        raise KamError(
            f"{exc.render('en')}; the workbook as it was is in {backup}: copy it back",
            f"{exc.render('es')}; el libro tal como estaba está en {backup}: cópielo de vuelta",
        ) from None


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


__all__ = ["Drop", "rewrite_workbook"]
