"""Read an ERP or CRM export of invoice lines into one tidy frame, or say everything wrong with it at once.

Sources: a CSV file (separator , ; or tab; UTF-8 or Windows-1252; decimal comma or point), an .xlsx sheet,
a Parquet file, or a SQL query against a database: DuckDB embedded (`duckdb:///path.db`, or a path ending
.duckdb) or any SQLAlchemy URL (`postgresql://…`, `sqlite:///path.db`); a query that is one bare name
reads that whole table. An in-memory DataFrame is read like a sheet.

`kamlib.ledger.wallet.read_wallet` reads the other input of the share of wallet, each customer's estimated total
spend, with this module's readers.

Columns are found by the mapping (`kamlib.ledger.mapping`); the lines are checked and typed by
`kamlib.ledger.check`, whose docstring has the rules (dates, amounts, returns, currencies, duplicates).

Rows in messages are the rows a person sees: in a CSV or .xlsx file the header is row 1 and blank rows
count (as Excel numbers them); a DataFrame counts like a sheet (header = row 1); in a Parquet file or a
query's result the first line is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.errors import KamError, list_known
from kamlib.ledger.check import (
    LedgerError,
    LedgerProblem,
    RawLedger,
    Source,
    decimal_vote,
    ledger_problem,
    normalise_ledger,
)
from kamlib.ledger.mapping import (
    AMOUNTS,
    EXPECTED,
    FIELDS,
    REQUIRED,
    LedgerMapping,
    column_key,
    default_mapping,
    load_mapping,
)
from kamlib.xlsx import XlsxError, open_xlsx

_DECIMAL_SAMPLE = 2_000
_READERS = ".csv, .txt, .tsv, .xlsx, .xlsm, .parquet, .duckdb, or a database URL (duckdb:///…, postgresql://…)"


def _require(module: str, package: str, what: tuple[str, str]):
    """Import an optional package, or raise `KamError` naming what needs it and how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise KamError(
            f"{what[0]} needs the package {package}: pip install {package}",
            f"{what[1]} necesita el paquete {package}: pip install {package}",
        ) from None


def header_names(header: Sequence[object]) -> list[str]:
    """A source's column names as text, blank ones left out."""
    return [str(h) for h in header if h is not None and str(h).strip()]


def find_column(header: Sequence[str], candidates: Sequence[str]) -> str | None:
    """The header's column for the first candidate it has: an exact name wins over one matched ignoring case,
    accents, spaces, hyphens and underscores (`column_key`)."""
    exact = {h.strip(): h for h in header}
    match = next((exact[c.strip()] for c in candidates if c.strip() in exact), None)
    if match is None:
        keyed: dict[str, str] = {}
        for h in header:
            keyed.setdefault(column_key(h), h)
        match = next((keyed[column_key(c)] for c in candidates if column_key(c) in keyed), None)
    return match


def resolve_columns(header: Sequence[object], mapping: LedgerMapping, label: Source | str) -> dict[str, str]:
    """Find each normalised column among the source's header; raise `LedgerError` naming every one missing.

    An exact name wins over one matched ignoring case, accents, spaces, hyphens and underscores.
    """
    header = header_names(header)
    found, problems = {}, []
    for name in FIELDS:
        candidates, strict = mapping.columns.candidates(name)
        match = find_column(header, candidates)
        if match is not None:
            found[name] = match
            continue
        needed = name in REQUIRED or (name in EXPECTED and not mapping.columns.is_none(name))
        if not (needed or strict):
            continue
        tried = ", ".join(repr(c) for c in candidates)
        has = list_known([repr(h) for h in header], 30)
        hint_en = f" (or {name}: none if the file has no such column)" if name in EXPECTED else ""
        hint_es = f" (o {name}: none si el archivo no tiene esa columna)" if name in EXPECTED else ""
        problems.append(
            ledger_problem(
                label,
                f"no column for {name}: tried {tried}; the file's columns are {has}; allowed: name it in the "
                f"mapping, columns: {name}: <column>{hint_en}",
                f"ninguna columna para {name}: probados {tried}; las columnas del archivo son {has}; se admite: "
                f"nombrarla en la correspondencia, columns: {name}: <columna>{hint_es}",
            )
        )
    if problems:
        raise LedgerError(problems)
    return found


def _read_source(source: object, mapping: LedgerMapping, query: str | None) -> RawLedger:
    if isinstance(source, pd.DataFrame):
        names = resolve_columns(list(source.columns), mapping, "ledger")
        frame = pd.DataFrame({n: source[c].to_numpy() for n, c in names.items()})
        return RawLedger(Source("ledger"), frame, np.arange(len(frame), dtype=np.int64) + 2, names)
    text = str(source)
    if "://" in text:
        return _read_url(text, mapping, query)
    path = Path(text)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise KamError(f"{path}: no such ledger file", f"{path}: no existe ese archivo de ventas")
    if suffix in (".duckdb", ".ddb"):
        return _read_url(f"duckdb:///{path}", mapping, query)
    if query is not None:
        raise KamError(
            f"{path.name}: a query needs a database (a .duckdb file or a URL); this is a file: leave the query out",
            f"{path.name}: una consulta necesita una base de datos (un archivo .duckdb o una URL); esto es un "
            "archivo: quite la consulta",
        )
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, mapping)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, mapping)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, mapping)
    raise unreadable(path, ("a ledger this can read", "un libro de ventas legible"), _READERS)


def unreadable(path: Path, what: tuple[str, str], readers: str) -> KamError:
    """The error for a file of a kind that cannot be read: its suffix (or the .xls hint), and what can be."""
    suffix = path.suffix.lower()
    detail = (f"suffix {suffix or '(none)'!r}", f"extensión {suffix or '(ninguna)'!r}")
    if suffix == ".xls":
        detail = ("an old .xls workbook: save it as .xlsx", "un libro .xls antiguo: guárdelo como .xlsx")
    return KamError(
        f"{path.name}: not {what[0]} ({detail[0]}); allowed: {readers}",
        f"{path.name}: no es {what[1]} ({detail[1]}); se admite: {readers}",
    )


# --- CSV ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvFile:
    """A CSV file's bytes, how to decode and split them, its header and the first lines below it."""

    name: str
    data: bytes
    encoding: str
    separator: str
    skip: int
    """Blank lines above the header."""
    header: list[str]
    head: list[str]
    """The file's first lines (up to 256 KiB), the header among them: enough to vote on the decimal mark."""

    def decimal(self, positions: Sequence[int]) -> str:
        """The decimal mark most cells of these columns show (`decimal_vote`); with none telling, a comma in a
        ";"-separated file, else a point."""
        below = self.head[self.skip + 1 : self.skip + 1 + _DECIMAL_SAMPLE]
        sample = csv.reader(io.StringIO("\n".join(below)), delimiter=self.separator)
        cells = [r[p] for r in sample for p in positions if p < len(r)]
        return decimal_vote(cells, "comma" if self.separator == ";" else "point")


def open_csv(path: Path, encoding: str = "auto", separator: str | None = None) -> CsvFile:
    """Read a CSV file's bytes and find its encoding (UTF-8, else Windows-1252), header line and separator (the
    most frequent of , ; tab in the header); raise `LedgerError` for an empty file."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data[:4096].strip() and not data.strip():
        raise LedgerError([ledger_problem(path.name, "the file is empty", "el archivo está vacío")])
    if encoding == "auto":
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    head = data[: 1 << 18].decode(encoding, errors="replace").splitlines()
    skip = next((i for i, line in enumerate(head) if line.strip()), 0)
    header_line = head[skip] if head else ""
    separator = separator or max((",", ";", "\t"), key=header_line.count)
    header = [h.strip() for h in next(csv.reader([header_line], delimiter=separator))]
    return CsvFile(path.name, data, encoding, separator, skip, header, head)


def csv_columns(
    source: CsvFile, position: Mapping[str, int], numbers: Sequence[str], decimal: str, what: tuple[str, str]
) -> pd.DataFrame:
    """Read some columns of a CSV with pyarrow: `position` names each; `numbers` are typed as float when every
    cell parses, else kept as text (parsed after, so that each bad cell can be named). Blank lines stay as rows
    of empty cells, so that row numbers stay Excel's. Raise `LedgerError` for rows of another width."""
    pa = _require("pyarrow", "pyarrow", what)
    from pyarrow import csv as pacsv

    columns = [f"c{i}" for i in range(len(source.header))]
    bad_rows: list[str] = []

    def on_bad(row) -> str:
        bad_rows.append(row.text)
        return "skip"

    def read(typed: bool):
        types = {f"c{i}": pa.string() for i in position.values()}
        if typed:
            types |= {f"c{position[n]}": pa.float64() for n in numbers}
        return pacsv.read_csv(
            pa.BufferReader(source.data),
            read_options=pacsv.ReadOptions(column_names=columns, skip_rows=source.skip + 1, encoding=source.encoding),
            parse_options=pacsv.ParseOptions(
                delimiter=source.separator,
                ignore_empty_lines=False,
                newlines_in_values=True,
                invalid_row_handler=on_bad,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=sorted({f"c{i}" for i in position.values()}, key=lambda c: int(c[1:])),
                strings_can_be_null=True,
                null_values=[""],
                decimal_point="," if decimal == "comma" else ".",
            ),
        )

    try:
        try:
            table = read(typed=True)
        except pa.ArrowInvalid as exc:
            if "conversion error" not in str(exc).lower():
                raise
            bad_rows.clear()
            table = read(typed=False)
    except pa.ArrowInvalid as exc:
        first = str(exc).splitlines()[0]
        hint = ("; try encoding: cp1252 in the mapping", "; pruebe encoding: cp1252 en la correspondencia")
        hint = hint if "utf8" in first.lower().replace("-", "") and source.encoding == "utf-8" else ("", "")
        raise KamError(
            f"{source.name}: not readable as CSV ({first}){hint[0]}",
            f"{source.name}: no se puede leer como CSV ({first}){hint[1]}",
        ) from None
    if bad_rows:
        text = source.data.decode(source.encoding, errors="replace")
        raise LedgerError(_width_problems(text, source.separator, len(source.header), source.name, bad_rows[0]))
    return pd.DataFrame({n: table.column(f"c{i}").to_pandas() for n, i in position.items()})


def _read_csv(path: Path, mapping: LedgerMapping) -> RawLedger:
    """Read a CSV with pyarrow (amounts typed at once when they parse; otherwise as text, parsed after)."""
    source = open_csv(path, mapping.encoding, mapping.separator)
    names = resolve_columns(source.header, mapping, path.name)
    position = {name: source.header.index(col) for name, col in names.items()}
    amounts = [a for a in AMOUNTS if a in names]
    decimal = mapping.decimal
    if decimal == "auto":
        decimal = source.decimal([position[a] for a in amounts])
    frame = csv_columns(source, position, amounts, decimal, ("reading a CSV ledger", "leer un libro de ventas CSV"))
    rows = np.arange(len(frame), dtype=np.int64) + source.skip + 2
    return RawLedger(Source(path.name), frame, rows, names, decimal)


def _width_problems(text: str, separator: str, width: int, label: str, example: str) -> list[LedgerProblem]:
    """Rows with more or fewer cells than the header, by the rows Excel would show (found only when some are)."""
    rows = enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1)
    header_seen = False
    wrong = []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(cells) != width:
            wrong.append(number)
    if not wrong:  # the csv module and pyarrow disagree on where the rows are: show pyarrow's row instead
        return [
            ledger_problem(
                label,
                f"a row has a different number of cells than the header ({width}): {example[:80]!r}",
                f"una fila tiene un número de celdas distinto de la cabecera ({width}): {example[:80]!r}",
            )
        ]
    return [
        ledger_problem(
            label,
            f"the row has a different number of cells than the header ({width}); a decimal comma in a "
            'comma-separated file must be quoted ("7,5"), or save the file with ";" as separator',
            f"la fila tiene un número de celdas distinto de la cabecera ({width}); una coma decimal en un CSV "
            'separado por comas debe ir entre comillas ("7,5"), o guarde el archivo con ";" como separador',
            rows=wrong,
        )
    ]


# --- .xlsx, Parquet, databases --------------------------------------------------------------------------


def xlsx_cells(path: Path, sheet: str | None) -> tuple[Source, list[str] | None, list[list[object]], list[int]]:
    """Read one sheet through `kamlib.xlsx` (`sheet`, else the first): its label for messages, header (the first
    non-blank row; None for an empty sheet), the rows below it (blank ones skipped) and their Excel numbers."""
    try:
        book = open_xlsx(path)
    except XlsxError as exc:
        raise KamError(
            f"{path.name}: not an Excel workbook this can read ({exc.detail['en']})",
            f"{path.name}: no es un libro Excel legible ({exc.detail['es']})",
        ) from None
    with book:
        titles = {title.strip().lower(): title for title in book.titles}
        if not titles or (sheet is not None and sheet.strip().lower() not in titles):
            known = list_known([repr(t) for t in book.titles])
            raise KamError(
                f"{path.name}: no sheet {sheet or ''!r}; sheets: {known}",
                f"{path.name}: no hay hoja {sheet or ''!r}; hojas: {known}",
            )
        title = book.titles[0] if sheet is None else titles[sheet.strip().lower()]
        label = Source(path.name, title if len(book.titles) > 1 else None)
        header, cells, rows = None, [], []
        try:
            for number, values in book.rows(title, as_shown=False):
                values = [v.strip() or None if isinstance(v, str) else v for v in values]
                if all(v is None for v in values):
                    continue
                if header is None:
                    header = ["" if v is None else str(v).strip() for v in values]
                    continue
                cells.append(values)
                rows.append(number)
        except XlsxError as exc:
            raise KamError(f"{label}: {exc.detail['en']}", f"{label}: {exc.detail['es']}") from None
    return label, header, cells, rows


def xlsx_columns(cells: list[list[object]], at: Mapping[str, int]) -> pd.DataFrame:
    """The columns at these positions of a sheet's rows, as object columns (a short row's missing cells empty)."""
    columns = {n: [row[i] if i < len(row) else None for row in cells] for n, i in at.items()}
    return pd.DataFrame({n: pd.Series(v, dtype=object) for n, v in columns.items()})


def _read_xlsx(path: Path, mapping: LedgerMapping) -> RawLedger:
    """Read one sheet: header = first non-blank row, blank rows skipped, Excel's row numbers kept."""
    label, header, cells, rows = xlsx_cells(path, mapping.sheet)
    if header is None:
        raise LedgerError([ledger_problem(label, "the sheet is empty", "la hoja está vacía")])
    names = resolve_columns(header, mapping, label)
    frame = xlsx_columns(cells, {n: header.index(c) for n, c in names.items()})
    decimal = mapping.decimal if mapping.decimal != "auto" else decimal_vote(_sample(frame), "point")
    return RawLedger(label, frame, np.asarray(rows, dtype=np.int64), names, decimal)


def _sample(frame: pd.DataFrame) -> list[object]:
    return [v for a in AMOUNTS if a in frame for v in frame[a].iloc[:_DECIMAL_SAMPLE] if isinstance(v, str)]


def parquet_header(path: Path, what: tuple[str, str]) -> list[str]:
    """A Parquet file's column names; raise `KamError` for a file that is not Parquet."""
    _require("pyarrow", "pyarrow", what)
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError… for a file that is not Parquet
        raise KamError(
            f"{path.name}: not a Parquet file ({type(exc).__name__})",
            f"{path.name}: no es un archivo Parquet ({type(exc).__name__})",
        ) from None


def parquet_columns(path: Path, names: Mapping[str, str]) -> pd.DataFrame:
    """The file's columns `names` maps to, under the names it maps them from."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=sorted(set(names.values())))
    return pd.DataFrame({n: table.column(c).to_pandas() for n, c in names.items()})


def _read_parquet(path: Path, mapping: LedgerMapping) -> RawLedger:
    header = parquet_header(path, ("reading a Parquet ledger", "leer un libro de ventas Parquet"))
    names = resolve_columns(header, mapping, path.name)
    return _finish_table(Source(path.name), parquet_columns(path, names), names, mapping)


def _finish_table(label: Source, frame: pd.DataFrame, names: dict[str, str], mapping: LedgerMapping) -> RawLedger:
    """A typed source (Parquet, a query): rows counted from 1; text amounts voted like a CSV's. A column of lists,
    arrays or records (a Parquet list column, a DuckDB array) is refused: a ledger's cells are single values."""
    for field, column in names.items():
        values = frame[field]
        nested = values.map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray))) if values.dtype == object else ()
        if len(nested) and nested.any():
            row = int(np.flatnonzero(nested.to_numpy())[0]) + 1
            raise KamError(
                f"{label}, column {column!r}, row {row}: a list of values in one cell; allowed: one value per cell",
                f"{label}, columna {column!r}, fila {row}: una lista de valores en una celda; se admite: un valor "
                "por celda",
            )
    decimal = mapping.decimal if mapping.decimal != "auto" else decimal_vote(_sample(frame), "point")
    return RawLedger(label, frame, np.arange(len(frame), dtype=np.int64) + 1, names, decimal)


_BARE_NAME = re.compile(r"[A-Za-z_][\w.]*")
_CLOSED = {"enable_external_access": False, "autoinstall_known_extensions": False, "autoload_known_extensions": False}
"""DuckDB as kamlib opens it: the query reads the database and nothing else (no file, no network, no extension
installed or loaded), so a client's view over `read_text('/etc/passwd')` or a remote URL is refused."""


def _read_url(url: str, mapping: LedgerMapping, query: str | None) -> RawLedger:
    """Run the query on DuckDB (duckdb:///path) or through SQLAlchemy (any other URL)."""
    if url.lower().startswith("duckdb://"):
        path = url.split("://", 1)[1]
        path = path[1:] if path.startswith("/") else path  # duckdb:///file.db is relative, duckdb:////abs absolute
        label = Source(Path(path).name or ":memory:", query=True)
        sql = _sql(query, label)
        duckdb = _require("duckdb", "duckdb", ("reading a DuckDB database", "leer una base de datos DuckDB"))
        if path not in ("", ":memory:") and not Path(path).is_file():
            raise KamError(f"{path}: no such DuckDB database", f"{path}: no existe esa base de datos DuckDB")
        try:
            with duckdb.connect(path or ":memory:", read_only=path not in ("", ":memory:"), config=_CLOSED) as con:
                frame = con.execute(sql).fetch_df()
        except duckdb.PermissionException as exc:
            raise _outside_error(label, exc) from None
        except duckdb.Error as exc:
            raise _query_error(label, exc) from None
    else:
        sqlalchemy = _require("sqlalchemy", "sqlalchemy", ("reading a database URL", "leer una URL de base de datos"))
        try:
            engine = sqlalchemy.create_engine(url)
        except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError, ImportError) as exc:
            raise KamError(
                f"{url.split('@')[-1]}: cannot use this database URL ({exc}); the database's driver may need "
                "installing (PostgreSQL: pip install psycopg)",
                f"{url.split('@')[-1]}: no se puede usar esta URL de base de datos ({exc}); quizá haya que instalar "
                "el controlador de la base de datos (PostgreSQL: pip install psycopg)",
            ) from None
        label = Source(Path(engine.url.database or engine.url.host or engine.url.drivername).name, query=True)
        try:
            sql = _sql(query, label)
            with engine.connect() as con:
                frame = pd.read_sql(sqlalchemy.text(sql), con)
        except (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
            # pandas 3 wraps SQLAlchemy's error in its own DatabaseError ("Execution failed on sql …")
            cause = exc.__cause__ if isinstance(exc.__cause__, sqlalchemy.exc.SQLAlchemyError) else exc
            raise _query_error(label, cause) from None
        finally:
            engine.dispose()
    names = resolve_columns(list(frame.columns), mapping, label)
    frame = pd.DataFrame({n: frame[c].to_numpy() for n, c in names.items()})
    return _finish_table(label, frame, names, mapping)


def _sql(query: str | None, label: Source) -> str:
    """The query to run: SQL as given, or a bare table name read whole."""
    if query is None or not query.strip():
        raise KamError(
            f"{label.text('en')}: a database needs a query (SQL, or the name of a table)",
            f"{label.text('es')}: una base de datos necesita una consulta (SQL, o el nombre de una tabla)",
        )
    return f"SELECT * FROM {query.strip()}" if _BARE_NAME.fullmatch(query.strip()) else query


def _first_line(exc: Exception) -> str:
    """What a database said, in one line (its first), or the error's kind when it said nothing."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _outside_error(label: Source, exc: Exception) -> KamError:
    first = _first_line(exc)
    return KamError(
        f"{label.text('en')}: the query reaches outside the database (a file, the network or an extension), which "
        f"kamlib does not allow: read the tables themselves ({first})",
        f"{label.text('es')}: la consulta sale de la base de datos (un archivo, la red o una extensión), y kamlib no "
        f"lo permite: lea las tablas mismas ({first})",
    )


def _query_error(label: Source, exc: Exception) -> KamError:
    first = _first_line(exc)
    return KamError(
        f"{label.text('en')}: the query failed ({first})", f"{label.text('es')}: la consulta falló ({first})"
    )


def read_ledger(
    source: Path | str | pd.DataFrame, mapping: LedgerMapping | Path | str | None = None, query: str | None = None
) -> pd.DataFrame:
    """Read invoice lines from a file, a database or a frame, check them, and return them tidy.

    Columns: row (as the user sees it), date (datetime64, the day), customer (text), then those the ledger has
    of customer_name, product, family, invoice (text), quantity, revenue, cost (float), currency (text,
    upper case). `.attrs` tells the source, the source column of each, the date convention and the decimal mark.
    Raise `LedgerError` listing every problem (file, rows, column, what is allowed), or `KamError`.
    """
    if not isinstance(mapping, LedgerMapping):
        mapping = default_mapping() if mapping is None else load_mapping(mapping)
    return normalise_ledger(_read_source(source, mapping, query), mapping)


__all__ = [
    "CsvFile",
    "LedgerError",
    "LedgerProblem",
    "csv_columns",
    "find_column",
    "header_names",
    "open_csv",
    "parquet_columns",
    "parquet_header",
    "read_ledger",
    "resolve_columns",
    "unreadable",
    "xlsx_cells",
    "xlsx_columns",
]
"""The reading blocks are public for `kamlib.ledger.wallet`, which reads its file the same way."""
