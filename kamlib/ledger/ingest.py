"""Write a ledger's new period of scores, and its new customers, into an engagement workbook.

    result = ingest_scores("ventas.csv", "ventas.yaml", kamlib.load(wb))
    backup = write_ingest(wb, result)

Four sheets change, and only by rows: in `scores` the ledger's earlier scores of the same period (assessor
"ledger") are replaced and every other row is kept as it was typed; new customers are appended to `accounts`
with `source` "ledger" (the column is added when absent), so that scoring does not warn about them while they
await their scores on the other axis (`kamlib.scoring.awaiting_scores`; the summary names them once);
`ledger_metrics` and `whitespace` (created when absent) get the period's rows, replacing that period's earlier
ones. A CSV folder keeps each file's separator, encoding and line ends (a new sheet takes the scores file's);
an .xlsx workbook keeps its other sheets and formats, but openpyxl does not keep the computed values of
formulas, so an .xlsx whose sheets hold formulas is refused before anything is written. The new workbook is
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamlib.engagement import load
from kamlib.errors import KamError
from kamlib.fileio import Fingerprint, PartlyWritten, fingerprint, neutralise, remove_stale, replace_all, workbook_lock
from kamlib.i18n import check_lang, count_text, number_text
from kamlib.ledger.scores import ASSESSOR, LedgerIngest, ingest_scores
from kamlib.periods import period_option
from kamlib.workbook.csvtext import UnreadableText, decode, records, sniff_delimiter
from kamlib.workbook.read import clean_cell
from kamlib.workbook.sheets import LEDGER_METRICS, SHEETS_BY_NAME, WHITESPACE
from kamlib.xlsx import LIMITS, column_letters, open_xlsx

SHEETS = ("scores", "accounts", "ledger_metrics", "whitespace")
"""The sheets an ingest writes; every other sheet is copied as it is."""
_LEDGER_SHEETS = ("ledger_metrics", "whitespace")
"""Sheets the ledger owns: an ingest replaces all their rows of its period (and creates them when absent)."""
_ROUND = {"volume": 2, "volume_prior": 2, "frequency": 2, "buyer_share": 1, "growth": 1, "margin": 1}
_ROUND_DEFAULT = 1
_COUNTS = ("families", "recency", "buyers")
"""Whole numbers: families bought, days, customers."""


def write_ingest(
    workbook: Path | str, result: LedgerIngest, scores: bool = True, read_as: Fingerprint | None = None
) -> Path:
    """Add a ledger ingest to a workbook (.xlsx or CSV folder) and return the backup of the previous one.

    In `scores`, rows of `result.period` whose assessor is "ledger" are removed before the new rows are
    appended, so ingesting a period again replaces it; `result.accounts` is appended to `accounts` (a `source`
    column added to the header when it has none), its other columns left empty. `ledger_metrics` and
    `whitespace` get the period's rows of every account (replacing the period's earlier rows). With
    `scores=False` only those two sheets are written: the ledger's facts go into the reports and the
    hand-entered scores stay as they are (no account is added).
    The new workbook is validated with `kamlib.load` first: if it fails, the `WorkbookError` propagates and
    nothing is written, no backup, no temp file.

    Writing holds the workbook's lock (`kamlib.fileio.workbook_lock`; hold it from before reading the workbook,
    as `ingest` does). With `read_as` (the workbook's `fingerprint` when it was read) a workbook saved since
    is refused. The files of a CSV folder are replaced all or none; what a killed ingest left beside the
    workbook is removed first.
    """
    workbook = Path(workbook)
    if not workbook.exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    rows = {sheet: _records(frame) for sheet, frame in ledger_rows(result, scores).items()}
    with workbook_lock(workbook), _scratch(workbook) as scratch:
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
        load(scratch)  # raises WorkbookError naming the real file names: the scratch copy has the same name
        if read_as is not None and fingerprint(workbook) != read_as:
            raise KamError(
                f"{workbook}: saved by another program while kam ingest was reading it; nothing was written; "
                "run the ingest again",
                f"{workbook}: otro programa lo ha guardado mientras kam ingest lo leía; no se ha escrito nada; "
                "vuelva a ejecutar la importación",
            )
        backup = _backup(workbook)
        names = [_csv_name(workbook, sheet) for sheet in rows] if workbook.is_dir() else []
        _commit(workbook, scratch, names, backup)
    return backup


def ingest(
    ledger: Path | str,
    workbook: Path | str,
    mapping: Path | str | None = None,
    period: str | None = None,
    query: str | None = None,
    wallet: Path | str | None = None,
    new_accounts: bool = True,
    scores: bool = True,
    wait: float = 60.0,
) -> tuple[LedgerIngest, Path]:
    """Score a ledger against a workbook and write the result into it (`write_ingest`), holding the workbook's
    lock from reading to writing: a second ingest waits up to `wait` seconds; return the ingest and the backup."""
    with workbook_lock(workbook, wait):
        read_as = fingerprint(Path(workbook))
        result = ingest_scores(ledger, mapping, load(workbook), period, query, wallet=wallet, new_accounts=new_accounts)
        return result, write_ingest(workbook, result, scores=scores, read_as=read_as)


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


def ledger_rows(result: LedgerIngest, scores: bool = True) -> dict[str, pd.DataFrame]:
    """The rows an ingest adds to each sheet it writes: those of `SHEETS`, or with `scores=False` only the
    ledger's own two (scores and accounts are then left as they are, earlier ledger scores included).

    `ledger_metrics` and `whitespace` hold the accounts only: those of the workbook and, with scores, the
    customers the ingest adds; amounts are rounded to cents, percentages and rates to one or two decimals.
    """
    accounts = set(result.metrics.loc[result.metrics["is_account"], "customer"].astype(str))
    if scores:
        accounts |= set(result.accounts["account_id"].astype(str))
    metrics = result.metrics[result.metrics["customer"].astype(str).isin(accounts)]
    metric_rows = pd.DataFrame(
        {
            "account_id": metrics["customer"].astype(str).to_numpy(),
            "period": result.period,
            "as_of": result.as_of.date().isoformat(),
            **{c: metrics[c].to_numpy() for c in LEDGER_METRICS.column_names[3:-1]},
            "currency": result.currency,
        }
    )
    space = result.whitespace[result.whitespace["customer"].astype(str).isin(accounts)]
    space_rows = pd.DataFrame(
        {
            "account_id": space["customer"].astype(str).to_numpy(),
            "period": result.period,
            **{c: space[c].to_numpy() for c in WHITESPACE.column_names[2:]},
        }
    )
    for frame in (metric_rows, space_rows):
        for column in frame.columns:
            if column in _COUNTS:
                frame[column] = frame[column].astype("Int64")
            elif pd.api.types.is_float_dtype(frame[column]):
                frame[column] = frame[column].round(_ROUND.get(column, _ROUND_DEFAULT))
    written = {"scores": result.scores, "accounts": result.accounts} if scores else {}
    return written | {"ledger_metrics": metric_rows, "whitespace": space_rows}


_SUMMARY = {
    "en": {
        "period": "Period: {period} (as of {day}, {lines})",
        "lines": ("{n} invoice line", "{n} invoice lines"),
        "scored": "Customers scored: {n}",
        "criteria": "Criteria: {criteria}",
        "new": "New accounts: {new}",
        "none": "none",
        "unchanged": "Scores: unchanged (--no-scores)",
        "wallet": "Wallet estimates: {n} read, {matched} of them customers of the ledger",
        "unmatched": "; not in the ledger: {names}",
        "hand": "Note: {period} also has scores entered by hand on these criteria; per criterion the assessors of a "
        "period are averaged, so the ledger's scores are blended with them",
        "after": "The month {month} sorts before the workbook's period {after}, whose scores would outrank the "
        "ledger's (per criterion the latest period counts): the period is {period}, which sorts after it (--period "
        "names another)",
        "later": (
            "Warning: {later} sorts after {period} and scores the same account and criterion as {outranked} of "
            "{written}; per criterion the latest period counts, so those are not used; to make them the latest, give "
            "--period {label}",
            "Warning: {later} sort after {period} and score the same account and criterion as {outranked} of "
            "{written}; per criterion the latest period counts, so those are not used; to make them the latest, give "
            "--period {label}",
        ),
        "written": ("{n} new score", "{n} new scores"),
        "added": ("{n} customer added", "{n} customers added"),
        "unplaced": "{added}, not placed until scored on {axes}: {names}",
        "axes": {"potential": "potential", "position": "position", "and": " and "},
        "sheets": "Ledger metrics: {metrics}; whitespace: {gaps}",
        "accounts": ("{n} account", "{n} accounts"),
        "gaps": ("{n} family an account does not buy", "{n} families an account does not buy (account × family)"),
        "backup": "Backup: {backup}",
    },
    "es": {
        "period": "Periodo: {period} (hasta {day}, {lines})",
        "lines": ("{n} línea de factura", "{n} líneas de factura"),
        "scored": "Clientes puntuados: {n}",
        "criteria": "Criterios: {criteria}",
        "new": "Cuentas nuevas: {new}",
        "none": "ninguna",
        "unchanged": "Puntuaciones: sin cambios (--no-scores)",
        "wallet": "Gasto estimado: {n} clientes leídos, {matched} de ellos en el libro de ventas",
        "unmatched": "; no están en el libro de ventas: {names}",
        "hand": "Atención: {period} también tiene puntuaciones a mano en estos criterios; en cada criterio se "
        "promedian los evaluadores de un periodo, así que las del libro de ventas se mezclan con ellas",
        "after": "El mes {month} va antes que el periodo {after} del libro, cuyas puntuaciones prevalecerían sobre "
        "las del libro de ventas (en cada criterio cuenta el último periodo): el periodo es {period}, que va después "
        "(--period indica otro)",
        "later": (
            "Aviso: {later} va después de {period} y puntúa la misma cuenta y criterio que {outranked} de "
            "{written}; en cada criterio cuenta el último periodo, así que esas no se usan; para que sean las "
            "últimas, dé --period {label}",
            "Aviso: {later} van después de {period} y puntúan la misma cuenta y criterio que {outranked} de "
            "{written}; en cada criterio cuenta el último periodo, así que esas no se usan; para que sean las "
            "últimas, dé --period {label}",
        ),
        "written": ("{n} puntuación nueva", "{n} puntuaciones nuevas"),
        "added": ("{n} cliente añadido", "{n} clientes añadidos"),
        "unplaced": "{added}, fuera de la matriz hasta tener puntuación en {axes}: {names}",
        "axes": {"potential": "potencial", "position": "posición", "and": " y "},
        "sheets": "Métricas del libro de ventas: {metrics}; espacio en blanco: {gaps}",
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "gaps": ("{n} familia que una cuenta no compra", "{n} familias que una cuenta no compra (cuenta × familia)"),
        "backup": "Copia de seguridad: {backup}",
    },
}
_UNMATCHED_SHOWN = 8


def ingest_summary(
    result: LedgerIngest, backup: Path | None = None, lang: str = "en", scores: bool = True
) -> list[str]:
    """Say what an ingest writes, one line each: period (and why, when it is not the ledger's month), customers
    scored, criteria, new accounts and those the matrix leaves out until scored on the other axis (said here once:
    later commands do not warn about them), the wallet estimates matched, what to know about the period (hand
    scores blended with the ledger's, later periods outranking them), the ledger sheets, and the backup (once
    written; None: a preview)."""
    words = _SUMMARY[check_lang(lang)]
    rows = ledger_rows(result, scores)
    lines = [
        words["period"].format(
            period=result.period,
            day=result.as_of.date().isoformat(),
            lines=count_text(words["lines"], result.lines, lang),
        )
    ]
    if result.after is not None:
        month = result.as_of.strftime("%Y-%m")
        lines.append(words["after"].format(month=month, after=result.after, period=period_option(result.period)))
    if scores:
        new = rows["accounts"]["account_id"].astype(str).tolist()
        criteria = ", ".join(dict.fromkeys(rows["scores"]["criterion_id"].astype(str)))
        count = number_text(len(new), lang, 0)
        lines += [
            words["scored"].format(n=number_text(rows["scores"]["account_id"].nunique(), lang, 0)),
            words["criteria"].format(criteria=criteria or words["none"]),
            words["new"].format(new=f"{count} ({', '.join(new)})" if new else words["none"]),
        ]
        lines += _unplaced_lines(result.unplaced, words, lang)
    else:
        lines.append(words["unchanged"])
    if result.wallet_estimates:
        unmatched = list(result.wallet_unmatched)
        matched = number_text(result.wallet_estimates - len(unmatched), lang, 0)
        text = words["wallet"].format(n=number_text(result.wallet_estimates, lang, 0), matched=matched)
        if unmatched:
            shown = ", ".join(unmatched[:_UNMATCHED_SHOWN])
            more = len(unmatched) - _UNMATCHED_SHOWN
            text += words["unmatched"].format(names=shown + (f" (+{more})" if more > 0 else ""))
        lines.append(text)
    if scores and result.hand_scores_in_period:
        lines.append(words["hand"].format(period=result.period))
    if scores and result.outranked:
        lines.append(
            words["later"][len(result.later_periods) != 1].format(
                later=", ".join(result.later_periods),
                period=result.period,
                outranked=number_text(result.outranked, lang, 0),
                written=count_text(words["written"], len(result.scores), lang),
                label=period_option(result.period_after),
            )
        )
    metrics = count_text(words["accounts"], len(rows["ledger_metrics"]), lang)
    lines.append(words["sheets"].format(metrics=metrics, gaps=count_text(words["gaps"], len(rows["whitespace"]), lang)))
    if backup is not None:
        lines.append(words["backup"].format(backup=backup))
    return lines


def _unplaced_lines(unplaced: Sequence[tuple[str, str]], words: Mapping[str, Any], lang: str) -> list[str]:
    """One line per set of axes the new accounts lack: how many were added out of the matrix, and which."""
    by_axes: dict[str, list[str]] = {}
    for account, axes in unplaced:
        by_axes.setdefault(axes, []).append(account)
    names = words["axes"]
    return [
        words["unplaced"].format(
            added=count_text(words["added"], len(accounts), lang),
            axes=names["and"].join(names[axis] for axis in axes.split(", ")),
            names=", ".join(accounts),
        )
        for axes, accounts in by_axes.items()
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


def _old_rows(sheet: str, period: str) -> Callable[[Sequence[object], dict[str, int]], bool] | None:
    """Which rows of a sheet a new ingest of `period` replaces: the ledger's scores of the period, every row of
    the period in the ledger's own sheets, none in accounts."""
    if sheet == "accounts":
        return None

    def old(cells: Sequence[object], columns: dict[str, int]) -> bool:
        def cell(name: str) -> str:
            i = columns.get(name)
            return _text(cells[i]) if i is not None and i < len(cells) else ""

        return cell("period") == period and (sheet in _LEDGER_SHEETS or cell("assessor").casefold() == ASSESSOR)

    return old


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
    return neutralise(str(value))  # a ledger's name "=HYPERLINK(…)" must not become a formula in Excel


# --- CSV folder -------------------------------------------------------------------------------------------


@dataclass
class _CsvFile:
    """One CSV file's rows as typed, with how it was saved, so that it is written back the same way."""

    rows: list[list[str]]
    delimiter: str
    encoding: str
    newline: str


def _csv_name(folder: Path, sheet: str) -> str:
    """The file name of a sheet in a CSV folder (`<sheet>.csv` for a ledger sheet the folder lacks)."""
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv" and file.stem.strip().lower() == sheet:
            return file.name
    if sheet in _LEDGER_SHEETS:
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
    old: Callable[[Sequence[object], dict[str, int]], bool] | None,
    cell: Callable[[object], object],
) -> list[list[object]]:
    """Rows of a sheet (header = first non-blank row) with the `old` rows dropped and `new` added.

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
    if old is not None:
        body = [r for r in body if not old(r, columns)]
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
    """Copy the folder's CSV files into `scratch` with the sheets of `new` rewritten (or added)."""
    scratch.mkdir()
    for file in folder.iterdir():
        if file.is_file() and file.suffix.lower() == ".csv":
            shutil.copy2(file, scratch / file.name)
    scores, accounts = (_read_csv(folder / _csv_name(folder, sheet)) for sheet in ("scores", "accounts"))
    # a new sheet is saved as the scores file is; in Windows-1252 if either file is (pure ASCII reads as UTF-8)
    encoding = next((f.encoding for f in (scores, accounts) if not f.encoding.startswith("utf-8")), scores.encoding)
    for sheet in new:
        path = folder / _csv_name(folder, sheet)
        new_sheet = _CsvFile([], scores.delimiter, encoding, scores.newline)
        typed = _read_csv(path) if path.exists() else new_sheet
        comma = typed.delimiter == ";"  # as the reader: a ";" file uses the decimal comma
        rows = _add_rows(sheet, typed.rows, new[sheet], _old_rows(sheet, period), lambda v, c=comma: _csv_value(v, c))
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
    """Save a copy of the workbook to `scratch` with rows removed from and appended to the sheets of `new`."""
    from openpyxl import load_workbook

    _refuse_wide_sheets(workbook)
    book = load_workbook(workbook, keep_vba=workbook.suffix.lower() == ".xlsm")
    try:
        _refuse_formulas(workbook, book)
        for sheet in new:
            ws = next((w for w in book.worksheets if w.title.strip().lower() == sheet), None)
            if ws is None and sheet in _LEDGER_SHEETS:
                ws = book.create_sheet(sheet)
            if ws is None:
                raise KamError(f"{workbook.name}: missing sheet {sheet!r}", f"{workbook.name}: falta la hoja {sheet!r}")
            _update_sheet(ws, sheet, new[sheet], _old_rows(sheet, period))
        book.save(scratch)
    finally:
        book.close()


def _refuse_wide_sheets(workbook: Path) -> None:
    """Refuse a workbook openpyxl would have to hold cell by cell beyond `kamlib.xlsx.LIMITS.cells` (a stray cell
    in column XFD makes every row 16,384 cells): reading it checks the same, but rewriting it holds it whole."""
    with open_xlsx(workbook) as book:
        for title in book.titles:
            rows, columns = book.extent(title)
            if rows * columns > LIMITS.cells:
                corner = f"{column_letters(columns)}{rows}"
                raise KamError(
                    f"{workbook.name}: sheet {title!r} has cells as far as {corner}; kam ingest rewrites the whole "
                    "file and cannot hold that many; nothing was written. Allowed: the cells beyond the data "
                    "deleted (select the columns to the right, delete them), or the workbook saved as a folder of "
                    "CSV files",
                    f"{workbook.name}: la hoja {title!r} tiene celdas hasta {corner}; kam ingest reescribe el "
                    "archivo entero y no puede con tantas; no se ha escrito nada. Se admite: borrar las celdas más "
                    "allá de los datos (seleccionar las columnas a la derecha y eliminarlas), o el libro guardado "
                    "como carpeta de archivos CSV",
                )


def _refuse_formulas(workbook: Path, book: object, shown: int = 5) -> None:
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
        f"{workbook.name}: formulas in {listed}; kam ingest rewrites the file and would lose their computed values; "
        "nothing was written. Allowed: replace them by their values (copy, paste special, values) or ingest into "
        "the workbook saved as a folder of CSV files",
        f"{workbook.name}: fórmulas en {listed}; kam ingest reescribe el archivo y perdería sus valores calculados; "
        "no se ha escrito nada. Se admite: sustituirlas por sus valores (copiar, pegado especial, valores) o "
        "importar en el libro guardado como carpeta de archivos CSV",
    )


def _update_sheet(
    ws: object,
    sheet: str,
    new: list[dict[str, object]],
    old: Callable[[Sequence[object], dict[str, int]], bool] | None,
) -> None:
    """Delete the `old` rows from a worksheet and write `new` below its last row of data (an empty sheet gets
    the contract's header first)."""
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
    if old is not None:
        drop = [start + 2 + i for i, r in enumerate(values[start + 1 :]) if old(r, columns)]
        runs: list[list[int]] = []  # consecutive rows deleted at once: a period's rows were appended together
        for row in drop:
            if runs and runs[-1][0] + runs[-1][1] == row:
                runs[-1][1] += 1
            else:
                runs.append([row, 1])
        for row, amount in reversed(runs):
            ws.delete_rows(row, amount)
        dropped = set(drop)
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
def _scratch(workbook: Path) -> Iterator[Path]:
    """Yield a path with the workbook's name inside a hidden folder beside it; remove the folder afterwards.

    Beside it, so the final rename stays on one file system; with the same name, so validation messages name
    the user's file. Scratch folders that killed ingests left (`.<name>.ingest-<pid>-…`) are removed first.
    """
    prefix = f".{workbook.name}.ingest-"
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


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


__all__ = ["SHEETS", "ingest", "ingest_summary", "ledger_rows", "write_ingest"]
