"""Read the other input of the share of wallet: each customer's estimated total spend, from a CSV, .xlsx or
Parquet file, with the ledger's readers (`kamlib.ledger.read`: separator, encoding and decimal mark found the
same way, rows numbered as a person sees them). `read_wallet`'s docstring has the file's contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from kamlib.errors import KamError, list_known, show_value
from kamlib.ledger.check import LedgerError, RawLedger, Source, decimal_vote, ledger_problem, parse_amounts
from kamlib.ledger.mapping import DEFAULT_NAMES
from kamlib.ledger.read import (
    csv_columns,
    find_column,
    header_names,
    open_csv,
    parquet_columns,
    parquet_header,
    unreadable,
    xlsx_cells,
    xlsx_columns,
)
from kamlib.workbook.cells import cell_text

WALLET_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "customer": DEFAULT_NAMES["customer"],
        "spend": (
            "wallet",
            "spend",
            "estimated_spend",
            "total_spend",
            "wallet_estimate",
            "gasto",
            "gasto_total",
            "gasto_estimado",
            "potencial_compra",
        ),
    }
)
"""Names tried, in order, for the two columns of a wallet estimate (the customer's: those of a ledger)."""
_WALLET_WHAT = {
    "customer": ("the customer", "el cliente"),
    "spend": ("the estimated spend", "el gasto estimado"),
}
_WALLET_READERS = ".csv, .txt, .tsv, .xlsx, .xlsm, .parquet"


def _wallet_columns(header: Sequence[object], label: Source | str) -> dict[str, str]:
    """Find the customer and spend columns; raise `LedgerError` naming the names tried and the file's columns."""
    header = header_names(header)
    found = {name: find_column(header, tried) for name, tried in WALLET_COLUMNS.items()}
    has = list_known([repr(h) for h in header], 30)
    problems = [
        ledger_problem(
            label,
            f"no column for {_WALLET_WHAT[name][0]}: tried {', '.join(map(repr, WALLET_COLUMNS[name]))}; the file's "
            f"columns are {has}; allowed: one of the names tried",
            f"ninguna columna para {_WALLET_WHAT[name][1]}: probados {', '.join(map(repr, WALLET_COLUMNS[name]))}; "
            f"las columnas del archivo son {has}; se admite: uno de los nombres probados",
        )
        for name, column in found.items()
        if column is None
    ]
    if problems:
        raise LedgerError(problems)
    return found


def _read_wallet_source(path: Path) -> RawLedger:
    """The customer and spend columns of a CSV, .xlsx (first sheet) or Parquet file, with the rows a person sees."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        source = open_csv(path)
        names = _wallet_columns(source.header, path.name)
        position = {n: source.header.index(c) for n, c in names.items()}
        decimal = source.decimal([position["spend"]])
        what = ("reading a CSV wallet estimate", "leer una estimación de gasto CSV")
        frame = csv_columns(source, position, ["spend"], decimal, what)
        return RawLedger(Source(path.name), frame, np.arange(len(frame)) + source.skip + 2, names, decimal)
    if suffix in (".xlsx", ".xlsm"):
        label, header, cells, rows = xlsx_cells(path, None)
        if header is None:
            raise LedgerError([ledger_problem(label, "the sheet is empty", "la hoja está vacía")])
        names = _wallet_columns(header, label)
        frame = xlsx_columns(cells, {n: header.index(c) for n, c in names.items()})
        rows = np.asarray(rows, dtype=np.int64)
    elif suffix in (".parquet", ".pq"):
        what = ("reading a Parquet wallet estimate", "leer una estimación de gasto Parquet")
        label, names = Source(path.name), _wallet_columns(parquet_header(path, what), path.name)
        frame = parquet_columns(path, names)
        rows = np.arange(len(frame), dtype=np.int64) + 1
    else:
        raise unreadable(path, ("a wallet estimate this can read", "una estimación de gasto legible"), _WALLET_READERS)
    texts = [v for v in frame["spend"] if isinstance(v, str)]
    return RawLedger(label, frame, rows, names, decimal_vote(texts, "point"))


def read_wallet(path: Path | str) -> pd.Series:
    """Read each customer's estimated total spend in a year, the base of its share of wallet, from a file.

    The file (CSV, .xlsx or Parquet) has one row per customer, and two columns found by name, ignoring case,
    accents, spaces, hyphens and underscores (other columns are ignored):

    - the customer, as the ledger writes it (`customer`, `customer_id`, `customer_code`, `client`,
      `client_id`, `account_id`, `cliente`, `id_cliente`, `codigo_cliente`, `cod_cliente`: the first found);
    - the estimated spend (`wallet`, `spend`, `estimated_spend`, `total_spend`, `wallet_estimate`, `gasto`,
      `gasto_total`, `gasto_estimado`, `potencial_compra`): what the customer spends in a year on what the
      supplier sells, in the ledger's currency; a number of 0 or more; an empty cell is no estimate for that
      customer (left out; so is an estimate of 0, by the metric).

    Blank rows (no customer, no spend) are skipped. A CSV's separator (, ; or tab), encoding (UTF-8 or
    Windows-1252) and decimal mark (comma or point, thousands separators allowed) are found as a ledger's are;
    an .xlsx is read from its first sheet. Rows in messages are as a ledger's (header = row 1 in a CSV or
    .xlsx, Excel's numbers; the first line is row 1 in Parquet).

    Return a Series named wallet: index customer (text), values the spend (float), in the file's order. Raise
    `LedgerError` listing every bad row at once (file, row, column, the value, what is allowed): a spend that
    is not a number or is negative, an estimate without its customer, a customer twice; or the missing
    columns, naming the names tried and the file's columns. Raise `KamError` for a file that cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise KamError(f"{path}: no such wallet file", f"{path}: no existe ese archivo de gasto estimado")
    raw = _read_wallet_source(path)
    customers = [cell_text(v) for v in raw.frame["customer"].to_numpy(dtype=object, na_value=None)]
    spend, empty = parse_amounts(raw.frame["spend"], raw.decimal)
    cells = raw.frame["spend"].to_numpy(dtype=object, na_value=None)
    mark = ("decimal comma: 1.234,50", "coma decimal: 1.234,50")
    if raw.decimal != "comma":
        mark = ("decimal point: 1,234.50", "punto decimal: 1,234.50")
    allowed = (
        f"an amount of 0 or more ({mark[0]}), or an empty cell for no estimate",
        f"un importe de 0 o más ({mark[1]}), o una celda vacía si no hay estimación",
    )
    problems, first = [], {}
    for i, (customer, row) in enumerate(zip(customers, raw.rows.tolist(), strict=True)):
        found = []
        if customer is None and not empty[i]:
            found.append(
                (
                    "customer",
                    "empty cell; an estimate needs its customer; allowed: the customer's code, as in the ledger",
                    "celda vacía; una estimación necesita su cliente; se admite: el código del cliente, como en el "
                    "libro de ventas",
                )
            )
        elif customer in first:
            found.append(
                (
                    "customer",
                    f"customer {customer!r} again (first in row {first[customer]}); allowed: each customer once",
                    f"cliente {customer!r} repetido (primero en la fila {first[customer]}); se admite: cada cliente "
                    "una vez",
                )
            )
        elif customer is not None:
            first[customer] = row
        if not empty[i] and not spend[i] >= 0:
            what = ("not a number", "no es un número") if np.isnan(spend[i]) else ("negative", "negativo")
            shown = show_value(cells[i], "en"), show_value(cells[i], "es")
            found.append(
                (
                    "spend",
                    f"{what[0]}: {shown[0]}; allowed: {allowed[0]}",
                    f"{what[1]}: {shown[1]}; se admite: {allowed[1]}",
                )
            )
        problems += [ledger_problem(raw.label, en, es, raw.names[name], [row]) for name, en, es in found]
    if problems or not first:
        raise LedgerError(
            problems or [ledger_problem(raw.label, "no customers below the header", "no hay clientes bajo la cabecera")]
        )
    keep = [i for i, customer in enumerate(customers) if customer is not None and not empty[i]]
    index = pd.Index([customers[i] for i in keep], dtype="str", name="customer")
    return pd.Series(spend[keep], index=index, name="wallet", dtype=np.float64)


__all__ = ["WALLET_COLUMNS", "read_wallet"]
