"""Ledger ingest: reading every source, every message a bad ledger gets, hand-worked metrics and scores."""

import dataclasses
import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.errors import KamError, KamWarning
from kamlib.ledger.metrics import quantile_positions, threshold_positions, to_scale
from kamlib.ledger.scores import (
    ASSESSOR,
    LedgerError,
    LedgerMapping,
    default_mapping,
    default_period,
    ingest_scores,
    ledger_metrics,
    load_mapping,
    mapping_template,
    metric_scores,
    read_ledger,
    save_mapping_template,
    whitespace,
)

# A hand-worked ledger; as_of is its last date, 2025-12-31: the last 12 months are 2025-01-01…2025-12-31,
# the 12 before 2024-01-01…2024-12-31.
COLUMNS = ["date", "customer", "customer_name", "product", "family", "invoice", "quantity", "revenue", "cost"]
HAND = [
    ("2023-05-01", "A", "Alfa", "P1", "F1", "I0", 50, 5000, 3000),  # over 24 months old
    ("2024-03-10", "A", "Alfa", "P1", "F1", "I1", 10, 1000, 600),
    ("2025-02-01", "A", "Alfa", "P1", "F1", "I2", 8, 800, 400),
    ("2025-06-15", "A", "Alfa", "P2", "F2", "I3", 7, 700, 500),
    ("2025-06-15", "A", "Alfa", "P2", "F2", "R1", -3, -300, -200),  # a return, netted
    ("2025-11-30", "B", "Beta", "P3", "F3", "I5", 5, 500, 250),
    ("2025-12-31", "B", "Beta", "P1", "F1", "I6", 5, 500, 300),
    ("2024-06-01", "C", "Gamma", "P1", "F1", "I7", 20, 2000, 1000),
    ("2023-02-01", "D", "Delta", "P2", "F2", "I8", 1, 100, 50),
    ("2024-12-31", "E", "Épsilon", "P2", "F2", "I9", 3, 300, 100),  # last day of the year before
    ("2025-01-01", "E", "Épsilon", "P2", "F2", "R2", -3, -300, -100),  # first day of the last year
]
SCALES = pd.DataFrame(
    {
        "criterion_id": ["volume", "growth", "profitability", "share_of_wallet", "incidents"],
        "scale_min": [1.0, 1.0, 1.0, 0.0, 0.0],
        "scale_max": [10.0, 10.0, 10.0, 100.0, 20.0],
        "higher_is_better": [True, True, True, True, False],
    }
)


def hand_frame() -> pd.DataFrame:
    return pd.DataFrame(HAND, columns=COLUMNS)


def write(tmp_path, text, name="ventas.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def spanish_csv() -> str:
    """The hand ledger as Excel in Spanish saves it: ";", decimal comma, thousands dots, day first."""
    lines = ["Fecha;Cliente;Nombre cliente;Artículo;Familia;Factura;Cantidad;Importe;Coste"]
    for d, c, n, p, f, i, q, r, k in HAND:
        day = dt.date.fromisoformat(d).strftime("%d/%m/%Y")
        money = [f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") for v in (r, k)]
        lines.append(f"{day};{c};{n};{p};{f};{i};{q};{money[0]};{money[1]}")
    return "\n".join(lines) + "\n"


def error_of(call, *args, **kwargs) -> KamError:
    with pytest.raises(KamError) as info:
        call(*args, **kwargs)
    return info.value


# --- reading each source --------------------------------------------------------------------------------


def test_frame_is_read_with_normalised_columns():
    lines = read_ledger(hand_frame())
    assert list(lines.columns) == ["row", *COLUMNS]
    assert lines["date"].dtype == "datetime64[s]"
    assert lines["row"].tolist() == list(range(2, 13))
    assert lines["revenue"].sum() == pytest.approx(10300.0)
    assert lines.attrs["columns"]["customer_name"] == "customer_name"


def test_spanish_csv_with_semicolons_decimal_commas_and_windows_1252(tmp_path):
    path = write(tmp_path, spanish_csv(), encoding="cp1252")
    lines = read_ledger(path)
    expected = read_ledger(hand_frame())
    assert lines.attrs["decimal"] == "comma"
    assert lines.attrs["date_convention"] == "day"
    assert lines.attrs["columns"]["product"] == "Artículo"  # matched ignoring accents and case
    assert lines["customer_name"].tolist()[-1] == "Épsilon"
    assert lines["row"].tolist() == expected["row"].tolist()
    pd.testing.assert_frame_equal(lines.drop(columns="row"), expected.drop(columns="row"), check_dtype=False)


def test_csv_with_a_byte_order_mark_and_a_blank_row_keeps_excel_row_numbers(tmp_path):
    text = "\ufeffdate,customer,product,family,quantity,revenue\n2025-01-01,A,P,F,1,10\n\n2025-01-02,B,P,F,1,x\n"
    error = error_of(read_ledger, write(tmp_path, text))
    assert error.render("en") == (
        "ventas.csv, column \"revenue\", row 4: not numbers (1): 'x'; allowed: a number (decimal point: "
        "1,234.50; or decimal in the mapping)."
    )


def test_csv_amounts_with_thousands_and_a_trailing_minus(tmp_path):
    text = 'date,customer,product,family,quantity,revenue\n2025-01-01,A,P,F,1,"1,234.50"\n2025-01-02,A,P,F,1,12.50-\n'
    lines = read_ledger(write(tmp_path, text))
    assert lines["revenue"].tolist() == [1234.5, -12.5]


def test_xlsx_sheet_with_date_cells_and_a_blank_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notas"
    sheet = book.create_sheet("Ventas")
    sheet.append(["Fecha", "Cliente", "Producto", "Familia", "Cantidad", "Importe"])
    sheet.append([dt.datetime(2025, 1, 5), 101, "P1", "F1", 2, 20.5])
    sheet.append([None, None, None, None, None, None])
    sheet.append([dt.datetime(2025, 2, 5, 10, 30), "102", "P2", "F2", 1, "7,5"])
    sheet.append(["nunca", "103", "P2", "F2", 1, 3])
    path = tmp_path / "ventas.xlsx"
    book.save(path)
    mapping = LedgerMapping(sheet="ventas")
    error = error_of(read_ledger, path, mapping)
    assert error.render("es") == (
        'ventas.xlsx, hoja "Ventas", columna "Fecha", fila 5: fechas no legibles (1): \'nunca\'; se admite: fechas '
        "escritas como el resto de la columna (año-mes-día, p. ej. 2025-03-31) de 1900 a 2100, o date_format en la "
        "correspondencia."
    )
    sheet.delete_rows(5)
    book.save(path)
    lines = read_ledger(path, mapping)
    assert lines["customer"].tolist() == ["101", "102"]  # an id typed as a number is its text
    assert lines["row"].tolist() == [2, 4]
    assert lines["date"].astype(str).tolist() == ["2025-01-05", "2025-02-05"]
    assert lines["revenue"].tolist() == [20.5, 7.5]


def test_xlsx_unknown_sheet_names_the_sheets(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Hoja1"
    path = tmp_path / "v.xlsx"
    book.save(path)
    assert error_of(read_ledger, path, LedgerMapping(sheet="ventas")).render("en") == (
        "v.xlsx: no sheet 'ventas'; sheets: 'Hoja1'"
    )


def test_parquet_file(tmp_path):
    frame = hand_frame().assign(date=lambda f: pd.to_datetime(f["date"]))
    frame.to_parquet(tmp_path / "v.parquet", index=False)
    lines = read_ledger(tmp_path / "v.parquet")
    assert lines["row"].tolist() == list(range(1, 12))  # no header in a Parquet file
    pd.testing.assert_frame_equal(
        lines.drop(columns="row"), read_ledger(hand_frame()).drop(columns="row"), check_dtype=False
    )


def test_duckdb_database_read_by_a_query(tmp_path):
    import duckdb

    path = tmp_path / "erp.duckdb"
    frame = hand_frame().assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
    with duckdb.connect(str(path)) as con:
        con.register("hand", frame)
        con.execute("CREATE TABLE ventas AS SELECT * FROM hand")
    expected = read_ledger(hand_frame()).drop(columns="row")
    by_table = read_ledger(path, query="ventas")
    by_sql = read_ledger(f"duckdb:///{path}", query="SELECT * FROM ventas WHERE customer <> 'D' ORDER BY date")
    pd.testing.assert_frame_equal(by_table.drop(columns="row"), expected, check_dtype=False)
    assert by_sql["date"].is_monotonic_increasing
    assert "D" not in set(by_sql["customer"])
    error = error_of(read_ledger, path, query="SELECT * FROM nada")
    assert error.render("en").startswith("erp.duckdb, query: the query failed (Catalog Error")
    assert error.render("es").startswith("erp.duckdb, consulta: la consulta falló (Catalog Error")


def test_a_client_database_cannot_read_files_or_load_extensions(tmp_path):
    """Issue 18, finding 2: a client's .duckdb whose view reads a file from the disk is refused, and said so; the
    database is opened read-only, with external access and extension auto-install and auto-load off."""
    import duckdb

    secret = tmp_path / "secret.txt"
    secret.write_text("the consultant's secret", encoding="utf-8")
    path = tmp_path / "client.duckdb"
    frame = hand_frame().assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
    with duckdb.connect(str(path)) as con:
        con.register("hand", frame)
        con.execute("CREATE TABLE ventas AS SELECT * FROM hand")
        con.execute(
            f"CREATE VIEW fuga AS SELECT v.* REPLACE (t.content AS customer) FROM ventas v, read_text('{secret}') t"
        )
    assert len(read_ledger(path, query="ventas")) == len(frame)  # the tables still read
    for query in ("fuga", f"SELECT * FROM read_csv('{secret}')", "INSTALL httpfs"):
        error = error_of(read_ledger, path, query=query)
        assert error.render("en").startswith("client.duckdb, query: the query reaches outside the database")
        assert "secret" not in error.render("en").split("(")[0]
        assert error.render("es").startswith("client.duckdb, consulta: la consulta sale de la base de datos")
    with duckdb.connect(str(path), read_only=True) as con:  # nothing was written into the client's file
        assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == [
            "ventas",
            "fuga",
        ]


def test_sqlite_through_sqlalchemy_stands_for_any_database_url(tmp_path):
    import sqlite3

    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as con:
        hand_frame().to_sql("lineas", con, index=False)  # dates stored as text, as SQLite does
    lines = read_ledger(f"sqlite:///{path}", query="SELECT * FROM lineas WHERE revenue > 0")
    assert len(lines) == 9
    assert lines["date"].min() == pd.Timestamp("2023-02-01")
    assert error_of(read_ledger, f"sqlite:///{path}").render("es") == (
        "crm.db, consulta: una base de datos necesita una consulta (SQL, o el nombre de una tabla)"
    )


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("nada.csv", None, r"nada.csv: no such ledger file$"),
        ("v.xls", None, r"^v.xls: not a ledger this can read \(an old .xls workbook: save it as .xlsx\); allowed"),
        ("v.json", None, r"^v.json: not a ledger this can read \(suffix '.json'\); allowed: .csv, .txt"),
        ("v.csv", "select 1", r"^v.csv: a query needs a database .*: leave the query out$"),
    ],
)
def test_sources_that_cannot_be_read(tmp_path, name, query, message):
    if name != "nada.csv":
        write(tmp_path, "date,customer\n", name)
    with pytest.raises(KamError, match=message):
        read_ledger(tmp_path / name, query=query)


# --- messages of a bad ledger ---------------------------------------------------------------------------


def test_missing_columns_name_the_names_tried_and_the_files_columns(tmp_path):
    path = write(tmp_path, "Día,cliente,importe,cantidad,producto\n2025-01-01,A,1,1,P\n")
    error = error_of(read_ledger, path)
    assert isinstance(error, LedgerError)
    assert error.render("en") == (
        "ventas.csv: no column for date: tried 'date', 'invoice_date', 'order_date', 'fecha', 'fecha_factura', "
        "'fecha_documento', 'fecha_pedido'; the file's columns are 'Día', 'cliente', 'importe', 'cantidad', "
        "'producto'; allowed: name it in the mapping, columns: date: <column>.\n"
        "ventas.csv: no column for family: tried 'family', 'product_family', 'category', 'familia', "
        "'familia_producto', 'categoria'; the file's columns are 'Día', 'cliente', 'importe', 'cantidad', "
        "'producto'; allowed: name it in the mapping, columns: family: <column> (or family: none if the file has "
        "no such column)."
    )
    assert error.render("es").splitlines()[0].startswith("ventas.csv: ninguna columna para date: probados 'date'")
    mapping = LedgerMapping(columns={"date": "Día", "family": "none"})
    assert read_ledger(path, mapping).columns.tolist() == ["row", "date", "customer", "product", "quantity", "revenue"]


def test_a_column_named_in_the_mapping_must_exist(tmp_path):
    path = write(tmp_path, "date,customer,product,family,quantity,revenue\n2025-01-01,A,P,F,1,1\n")
    error = error_of(read_ledger, path, LedgerMapping(columns={"cost": "Coste"}))
    assert error.render("en").startswith("ventas.csv: no column for cost: tried 'Coste'; the file's columns are")
    assert "cost" not in read_ledger(path, LedgerMapping(columns={"cost": ["Coste", "COGS"]}))


def test_every_problem_is_listed_at_once_with_rows_and_columns(tmp_path):
    text = (
        "fecha;cliente;producto;familia;cantidad;importe;coste\n"
        "31/01/2025;A;P;F;1;10,5;5\n"
        "31/02/2025;A;P;F;1;10,5;5\n"  # no 31 February
        "ayer;;P;F;dos;10 euros;\n"
        "01/03/2025;B;P;F;1;;4\n"
    )
    error = error_of(read_ledger, write(tmp_path, text))
    assert error.render("en").splitlines() == [
        "ventas.csv, column \"fecha\", rows 3, 4: dates not readable (2): '31/02/2025', 'ayer'; allowed: dates written "
        "as the rest of the column (day/month/year, e.g. 31/03/2025) from 1900 to 2100, or date_format in the "
        "mapping.",
        "ventas.csv, column \"cantidad\", row 4: not numbers (1): 'dos'; allowed: a number (decimal comma: "
        "1.234,50; or decimal in the mapping).",
        "ventas.csv, column \"importe\", row 4: not numbers (1): '10 euros'; allowed: a number (decimal "
        "comma: 1.234,50; or decimal in the mapping).",
        'ventas.csv, column "coste", row 4: empty cell; the ledger has a cost column, so every line needs its '
        "cost (or cost: none in the mapping, and no margin); allowed: a number.",
        'ventas.csv, column "cliente", row 4: empty cell; every line needs its customer; allowed: the '
        "customer's code.",
        'ventas.csv, column "importe", row 5: empty cell; every line needs its revenue; allowed: a number.',
    ]
    assert error.render("es").splitlines()[0] == (
        "ventas.csv, columna \"fecha\", filas 3, 4: fechas no legibles (2): '31/02/2025', 'ayer'; se admite: fechas "
        "escritas como el resto de la columna (día/mes/año, p. ej. 31/03/2025) de 1900 a 2100, o date_format en la "
        "correspondencia."
    )


def test_many_bad_dates_show_the_first_rows_and_the_count(tmp_path):
    rows = ["date,customer,product,family,quantity,revenue"] + [f"2025-13-{i:02d},A,P,F,1,1" for i in range(1, 9)]
    error = error_of(read_ledger, write(tmp_path, "\n".join(rows) + "\n"))
    assert error.render("en").startswith(
        "ventas.csv, column \"date\", rows 2, 3, 4, 5, 6 and 3 more: dates not readable (8): '2025-13-01', "
        "'2025-13-02', '2025-13-03', …; allowed:"
    )
    assert error.render("es").startswith(
        'ventas.csv, columna "date", filas 2, 3, 4, 5, 6 y 3 más: fechas no legibles (8)'
    )


def test_a_date_format_in_the_mapping_is_used_and_named(tmp_path):
    text = "date,customer,product,family,quantity,revenue\n01/02/2025,A,P,F,1,1\n2025-02-03,A,P,F,1,1\n"
    path = write(tmp_path, text)
    error = error_of(read_ledger, path, LedgerMapping(date_format="%m/%d/%Y"))
    assert error.render("en").endswith(
        "dates not readable (1): '2025-02-03'; allowed: dates in the mapping's date_format '%m/%d/%Y', from 1900 "
        "to 2100."
    )
    month_first = read_ledger(
        write(tmp_path, text.replace("2025-02-03", "02/13/2025")), LedgerMapping(date_format="%m/%d/%Y")
    )
    assert month_first["date"].astype(str).tolist() == ["2025-01-02", "2025-02-13"]


def test_month_first_dates_are_recognised_when_they_read_best(tmp_path):
    text = "date,customer,product,family,quantity,revenue\n12/31/2025,A,P,F,1,1\n01/02/2025,A,P,F,1,1\n"
    lines = read_ledger(write(tmp_path, text))
    assert lines.attrs["date_convention"] == "month"
    assert lines["date"].astype(str).tolist() == ["2025-12-31", "2025-01-02"]


def test_an_unquoted_decimal_comma_in_a_comma_separated_file(tmp_path):
    text = "date,customer,product,family,quantity,revenue\n2025-01-01,A,P,F,1,7\n2025-01-01,A,P,F,1,7,5\n"
    assert error_of(read_ledger, write(tmp_path, text)).render("en") == (
        "ventas.csv, row 3: the row has a different number of cells than the header (6); a decimal comma in a "
        'comma-separated file must be quoted ("7,5"), or save the file with ";" as separator.'
    )


def test_empty_file_and_header_only(tmp_path):
    assert error_of(read_ledger, write(tmp_path, "\n\n")).render("es") == "ventas.csv: el archivo está vacío."
    header = "date,customer,product,family,quantity,revenue\n\n"
    assert error_of(read_ledger, write(tmp_path, header)).render("en") == (
        "ventas.csv: no invoice lines below the header."
    )


CURRENCIES = (
    "date,customer,product,family,quantity,revenue,moneda\n"
    "2025-01-01,A,P,F,1,10,EUR\n2025-01-02,A,P,F,1,10,eur\n2025-01-03,B,P,F,1,10,USD\n"
)


def test_several_currencies_refused_or_one_kept(tmp_path):
    path = write(tmp_path, CURRENCIES)
    assert error_of(read_ledger, path).render("en") == (
        "ventas.csv, column \"moneda\": several currencies: 'EUR' (2 lines), 'USD' (1 line); allowed: one currency "
        "(amounts in different currencies do not add up), or keep_currency: EUR in the mapping to keep only those "
        "lines."
    )
    assert (
        error_of(read_ledger, path)
        .render("es")
        .startswith(
            "ventas.csv, columna \"moneda\": varias monedas: 'EUR' (2 líneas), 'USD' (1 línea); se admite: una sola"
        )
    )
    with pytest.warns(KamWarning, match=r"^ventas.csv: kept 1 line in USD; left out 2 lines in EUR$"):
        kept = read_ledger(path, LedgerMapping(keep_currency="usd"))
    assert kept["customer"].tolist() == ["B"]
    assert kept.attrs["currency"] == "USD"
    assert error_of(read_ledger, path, LedgerMapping(keep_currency="GBP")).render("en") == (
        "ventas.csv, column \"moneda\": keep_currency 'GBP' is not in the ledger; allowed: one of 'EUR', 'USD'."
    )


def test_empty_currency_cells(tmp_path):
    one = write(
        tmp_path,
        "date,customer,product,family,quantity,revenue,currency\n2025-01-01,A,P,F,1,1,EUR\n2025-01-02,A,P,F,1,1,\n",
    )
    assert read_ledger(one)["currency"].tolist() == ["EUR", "EUR"]
    several = write(tmp_path, CURRENCIES + "2025-01-04,B,P,F,1,10,\n", "dos.csv")
    lines = error_of(read_ledger, several, LedgerMapping(keep_currency="EUR")).render("en").splitlines()
    assert lines == [
        "dos.csv, column \"moneda\", row 5: empty cell; the ledger has several currencies ('EUR', 'USD'); allowed: "
        "the line's currency."
    ]
    no_column = write(tmp_path, "date,customer,product,family,quantity,revenue\n2025-01-01,A,P,F,1,1\n", "sin.csv")
    assert (
        error_of(read_ledger, no_column, LedgerMapping(keep_currency="EUR"))
        .render("en")
        .startswith("sin.csv: keep_currency 'EUR' needs a currency column; allowed: name it in the mapping")
    )


DUPLICATES = (
    "date,customer,product,family,invoice,quantity,revenue\n"
    "2025-01-01,A,P,F,I1,1,10\n2025-01-01,A,P,F,I1,1,10\n2025-01-01,A,P,F,I1,1,11\n2025-01-01,A,P,F,I1,1,10.00\n"
)


def test_exact_duplicates_refused_dropped_or_kept(tmp_path):
    path = write(tmp_path, DUPLICATES)
    error = error_of(read_ledger, path)
    assert error.render("en") == (
        "ventas.csv, rows 3, 5: repeats an earlier line exactly (2 lines; the earlier ones: rows 2, 2); allowed: each "
        "line once; or "
        "duplicates: drop (keep the first of each) or duplicates: keep (count every line) in the mapping."
    )
    assert error.render("es").startswith(
        "ventas.csv, filas 3, 5: repite exactamente una línea anterior (2 líneas; las anteriores: filas 2, 2)"
    )
    with pytest.warns(KamWarning, match=r"dropped 2 lines repeating an earlier line exactly \(rows 3, 5\)"):
        dropped = read_ledger(path, LedgerMapping(duplicates="drop"))
    assert dropped["row"].tolist() == [2, 4]
    assert dropped.attrs["dropped_duplicates"] == 2
    assert len(read_ledger(path, LedgerMapping(duplicates="mantener"))) == 4


# --- the mapping file -----------------------------------------------------------------------------------


def test_mapping_file_is_read(tmp_path):
    path = write(
        tmp_path,
        "columns:\n  date: Fecha factura\n  cost: none\n  customer: [cod_cliente, cliente]\n"
        "decimal: coma\nduplicates: quitar\nstep: '0,5'\nnew_customers: máximo\n"
        "criteria: {volume: volumen, recency: incidencias}\n"
        "rules:\n  volume: cuantiles\n  recency: {rule: thresholds, low: 30, high: '365'}\n",
        "map.yaml",
    )
    mapping = load_mapping(path)
    assert mapping.decimal == "comma" and mapping.duplicates == "drop" and mapping.new_customers == "top"
    assert mapping.step == 0.5
    assert mapping.columns.candidates("customer") == (("cod_cliente", "cliente"), False)
    assert mapping.columns.candidates("date") == (("Fecha factura",), True)
    assert mapping.columns.is_none("cost")
    assert mapping.scored() == {"volume": "volumen", "recency": "incidencias"}
    assert mapping.rules["recency"].high == 365.0 and not mapping.direction("recency")
    assert mapping.rules["share_of_wallet"].rule == "thresholds"  # not named: keeps its default


@pytest.mark.parametrize(
    ("text", "en", "es"),
    [
        (
            "colums: {date: fecha}\n",
            "map.yaml, field colums: got {'date': 'fecha'}; unknown field; allowed: columns, date_format",
            "map.yaml, campo colums: valor {'date': 'fecha'}; campo desconocido; se admite: columns",
        ),
        (
            "columns: {fecha: x}\n",
            "map.yaml, field columns.fecha: got 'x'; unknown field; allowed:",
            "map.yaml, campo columns.fecha: valor 'x'; campo desconocido",
        ),
        (
            "columns: {customer: none}\n",
            "map.yaml, field columns: got {'customer': 'none'}; the ledger needs a customer column; allowed: its "
            "name, or a list of names to try",
            "map.yaml, campo columns: valor {'customer': 'none'}; el libro de ventas necesita una columna customer",
        ),
        (
            "decimal: dot\n",
            "map.yaml, field decimal: got 'dot'; allowed: auto, comma, point",
            "map.yaml, campo decimal: valor 'dot'; se admite: auto, comma, point",
        ),
        (
            "duplicates: delete\n",
            "map.yaml, field duplicates: got 'delete'; allowed: refuse, drop, keep",
            "map.yaml, campo duplicates: valor 'delete'; se admite: refuse, drop, keep",
        ),
        (
            "criteria: {volumen: volume}\n",
            "map.yaml, field criteria: got {'volumen': 'volume'}; unknown metric 'volumen'; known: volume, growth, "
            "margin, families, frequency, recency, share_of_wallet",
            "map.yaml, campo criteria: valor {'volumen': 'volume'}; métrica desconocida 'volumen'; existentes:",
        ),
        (
            "criteria: {volume: potential, margin: potential}\n",
            "criterion 'potential' is fed by two metrics; allowed: each criterion from one metric",
            "el criterio 'potential' recibe dos métricas",
        ),
        (
            "rules: {growth: thresholds}\n",
            "map.yaml, field rules.growth: got {'rule': 'thresholds'}; the rule thresholds needs low and high (in the "
            "metric's units)",
            "map.yaml, campo rules.growth: valor {'rule': 'thresholds'}; la regla thresholds necesita low y high",
        ),
        (
            "rules: {recency: {rule: thresholds, low: 365, high: 30}}\n",
            "field rules.recency: got {'rule': 'thresholds', 'low': 365, 'high': 30}; low 365 is not below high 30; "
            "allowed: low < high (for a metric where less is better, low is still the smaller number)",
            "low 365 no es menor que high 30; se admite: low < high",
        ),
        (
            "rules: {growth: {rule: median}}\n",
            "map.yaml, field rules.growth.rule: got 'median'; allowed: quantiles, thresholds",
            "map.yaml, campo rules.growth.rule: valor 'median'; se admite: quantiles, thresholds",
        ),
        ("step: 0\n", "map.yaml, field step: got 0; allowed: a number > 0", "map.yaml, campo step: valor 0; se admite"),
        (
            "date_format: dd/mm/yyyy\n",
            "map.yaml, field date_format: got 'dd/mm/yyyy'; allowed: a format with % codes, such as %d/%m/%Y",
            "map.yaml, campo date_format: valor 'dd/mm/yyyy'; se admite: un formato con códigos %",
        ),
        (
            "separator: ';;'\n",
            "map.yaml, field separator: got ';;'; allowed: one character such as ; or , or the word tab",
            "map.yaml, campo separator: valor ';;'; se admite: un carácter",
        ),
    ],
)
def test_bad_mapping_files_name_the_field(tmp_path, text, en, es):
    error = error_of(load_mapping, write(tmp_path, text, "map.yaml"))
    assert en in error.render("en")
    assert es in error.render("es")


def test_template_lists_every_default_and_reads_back(tmp_path):
    path = save_mapping_template(tmp_path / "ledger.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# kamlib ledger mapping / correspondencia del libro de ventas")
    assert "  date: [date, invoice_date, order_date, fecha, fecha_factura, fecha_documento, fecha_pedido]\n" in text
    assert text == mapping_template()
    mapping = load_mapping(path)
    assert mapping.rules == default_mapping().rules
    assert mapping.scored() == default_mapping().scored()
    pd.testing.assert_frame_equal(read_ledger(hand_frame(), mapping), read_ledger(hand_frame()))


# --- metrics --------------------------------------------------------------------------------------------


def hand_metrics(**kwargs) -> pd.DataFrame:
    return ledger_metrics(read_ledger(hand_frame()), **kwargs).set_index("customer")


def test_hand_worked_metrics():
    m = hand_metrics(wallet={"A": 4800, "B": 2000, "C": 0})
    assert m.attrs["as_of"] == pd.Timestamp("2025-12-31")
    assert m["status"].to_dict() == {"A": "active", "B": "new", "C": "lost", "D": "inactive", "E": "lost"}
    assert m["name"].tolist() == ["Alfa", "Beta", "Gamma", "Delta", "Épsilon"]
    # A: 800 + 700 - 300 (the return is netted) against 1,000 the year before
    assert m.loc["A", "volume"] == 1200.0 and m.loc["A", "volume_prior"] == 1000.0
    assert m.loc["A", "growth"] == pytest.approx(20.0)
    assert m.loc["A", "margin"] == pytest.approx((1200 - (400 + 500 - 200)) / 1200 * 100)
    assert m.loc["A", "families"] == 2  # F1 (800) and F2 (700 - 300)
    assert m.loc["A", "frequency"] == pytest.approx(2 / 12)  # I2 and I3; the return R1 is no order
    assert m.loc["A", "recency"] == 199  # 2025-06-15 → 2025-12-31
    assert m.loc["A", "share_of_wallet"] == pytest.approx(25.0)
    assert np.isnan(m.loc["B", "growth"]) and m.loc["B", "margin"] == pytest.approx(45.0)
    assert m.loc["B", "recency"] == 0 and m.loc["B", "share_of_wallet"] == pytest.approx(50.0)
    assert m.loc["C", "growth"] == -100.0 and np.isnan(m.loc["C", "margin"]) and m.loc["C", "recency"] == 578
    assert np.isnan(m.loc["C", "share_of_wallet"])  # an estimate of 0 is no estimate
    # E: 300 on the year's last day, returned on the next year's first: lost, and growth stops at -100 %
    assert m.loc["E", "volume"] == -300.0 and m.loc["E", "growth"] == -100.0
    assert m.loc["E", "families"] == 0 and m.loc["E", "recency"] == 365 and m.loc["E", "frequency"] == 0
    assert m.loc["D", "last_purchase"] == pd.Timestamp("2023-02-01")
    assert np.isnan(m["share_of_wallet"]).sum() == 3


def test_as_of_moves_the_windows_and_drops_later_lines():
    m = hand_metrics(as_of="2024-12-31")
    assert "B" not in m.index  # all of B's lines are after as_of
    assert m.loc["A", "volume"] == 1000.0 and m.loc["A", "volume_prior"] == 5000.0
    assert m.loc["A", "growth"] == pytest.approx(-80.0)
    assert m.loc["D", "status"] == "lost" and m.loc["E", "status"] == "new" and m.loc["E", "recency"] == 0
    with pytest.raises(KamError, match=r"^as_of 'soon' is not a date; allowed: a date such as 2025-12-31$"):
        hand_metrics(as_of="soon")


def test_without_cost_family_or_invoice():
    frame = hand_frame().drop(columns=["cost", "family", "invoice"])
    m = ledger_metrics(read_ledger(frame, LedgerMapping(columns={"family": "none"}))).set_index("customer")
    assert m["margin"].isna().all() and m["families"].isna().all()
    assert m.loc["A", "frequency"] == pytest.approx(2 / 12)  # days with a sale: 2025-02-01 and 2025-06-15
    assert m.loc["B", "frequency"] == pytest.approx(2 / 12)


def test_whitespace_lists_families_not_bought_by_who_buys_them():
    table = whitespace(read_ledger(hand_frame()))
    assert table.to_dict("records") == [
        {"customer": "A", "family": "F3", "buyers": 1, "buyer_share": 50.0},
        {"customer": "B", "family": "F2", "buyers": 1, "buyer_share": 50.0},
    ]
    assert whitespace(read_ledger(hand_frame()), families=["F1", "F3"])["family"].tolist() == ["F3"]
    assert whitespace(read_ledger(hand_frame().drop(columns="family"), LedgerMapping(columns={"family": "none"}))).empty


# --- scores ---------------------------------------------------------------------------------------------


def test_hand_worked_quantile_scores():
    scores = metric_scores(hand_metrics(wallet={"A": 4800, "B": 2000}).reset_index(), default_mapping(), SCALES)
    table = scores.pivot(index="customer", columns="criterion_id", values="score")
    # volume among A, B, C, E (D is inactive): 1200, 1000, 0, -300 → ranks 4, 3, 2, 1 → 10, 7, 4, 1
    assert table["volume"].to_dict() == {"A": 10.0, "B": 7.0, "C": 4.0, "E": 1.0}
    # growth: A 20 % (top); C and E tie at -100 % (mean rank 1.5 → 0.25 → 3.25 → 3.3); B new: the median (0.25)
    assert table["growth"].to_dict() == {"A": 10.0, "B": 3.3, "C": 3.3, "E": 3.3}
    assert table["profitability"].dropna().to_dict() == {"A": 1.0, "B": 10.0}
    assert table["share_of_wallet"].dropna().to_dict() == {"A": 25.0, "B": 50.0}
    assert "D" not in table.index
    assert scores.attrs["unscored"] == {"volume": 0, "growth": 0, "margin": 2, "share_of_wallet": 2}
    assert list(scores.columns) == ["customer", "criterion_id", "metric", "value", "score"]


@pytest.mark.parametrize(("rule", "expected"), [("top", 10.0), ("bottom", 1.0), ("none", None)])
def test_new_customers_rule(rule, expected):
    mapping = LedgerMapping(criteria={"growth": "growth"}, new_customers=rule)
    scores = metric_scores(hand_metrics().reset_index(), mapping, SCALES).set_index("customer")["score"]
    assert scores.get("B") == expected


def test_threshold_scores_clip_and_lower_is_better_criteria_are_written_reversed():
    mapping = LedgerMapping(
        criteria={"growth": "growth", "recency": "incidents"},
        rules={
            "growth": {"rule": "thresholds", "low": -20, "high": 30},
            "recency": {"rule": "thresholds", "low": 0, "high": 365},
        },
        step=1,
    )
    scores = metric_scores(hand_metrics().reset_index(), mapping, SCALES)
    growth = scores[scores["metric"] == "growth"].set_index("customer")["score"]
    # A: 20 % is 40/50 of the way from -20 to 30 → 1 + 0.8 × 9 = 8.2 → 8; C, E clip at the bottom; B new: median
    assert growth.to_dict() == {"A": 8.0, "B": 1.0, "C": 1.0, "E": 1.0}
    incidents = scores[scores["metric"] == "recency"].set_index("customer")["score"]
    # recency: less is better; incidents: less is better too, so the score is the days on the 0–20 scale
    assert incidents.to_dict() == {"A": 11.0, "B": 0.0, "C": 20.0, "E": 20.0}


def test_unknown_criterion_is_named():
    mapping = LedgerMapping(criteria={"margin": "rentabilidad"})
    with pytest.raises(KamError, match=r"^mapping, criteria: unknown criterion margin: 'rentabilidad'; known: volume"):
        metric_scores(hand_metrics().reset_index(), mapping, SCALES)


def test_one_customer_sits_mid_scale():
    metrics = hand_metrics().reset_index().iloc[:1]
    scores = metric_scores(metrics, LedgerMapping(criteria={"volume": "volume"}), SCALES)
    assert scores["score"].tolist() == [5.5]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=40), st.booleans())
def test_quantile_positions_are_monotone_in_the_metric(values, up):
    values = np.array(values)
    positions = quantile_positions(values, up)
    assert ((positions >= 0) & (positions <= 1)).all()
    for i in range(len(values)):
        for j in range(len(values)):
            if values[i] < values[j]:
                assert positions[i] < positions[j] if up else positions[i] > positions[j]
            elif values[i] == values[j]:
                assert positions[i] == positions[j]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
    st.floats(-1e3, 1e3),
    st.floats(0.01, 1e3),
    st.floats(-10, 10),
    st.floats(0.5, 200),
    st.sampled_from([0.1, 0.5, 1.0, 3.0]),
    st.booleans(),
    st.booleans(),
)
def test_threshold_scores_stay_on_the_scale_and_keep_order(values, low, width, scale_low, scale_width, step, up, crit):
    values = np.sort(np.array(values))
    scores = to_scale(threshold_positions(values, low, low + width, up), scale_low, scale_low + scale_width, step, crit)
    assert ((scores >= scale_low - 1e-9) & (scores <= scale_low + scale_width + 1e-9)).all()
    steps = np.diff(scores)
    assert (steps >= -1e-9).all() if up == crit else (steps <= 1e-9).all()
    on_grid = np.isclose((scores - scale_low) / step, np.round((scores - scale_low) / step), atol=1e-6)
    assert (on_grid | np.isclose(scores, scale_low + scale_width)).all()


# --- ingest ---------------------------------------------------------------------------------------------


def tiny_ledger() -> pd.DataFrame:
    frame = hand_frame()
    frame["customer"] = frame["customer"].map({"A": "A1", "B": "A2", "C": "N1", "D": "N2", "E": "N3"})
    return frame


def test_ingest_scores_for_an_engagement(tiny):
    result = ingest_scores(tiny_ledger(), None, tiny)
    assert result.period == "2026-H1 2025-12" and result.lines == 11  # the round 2026-H1 sorts after 2025-12
    assert result.after == "2026-H1" and result.later_periods == () and result.outranked == 0
    assert set(result.scores["criterion_id"]) == {"volume", "growth"}  # the defaults the workbook has
    assert result.scores.columns.tolist() == ["account_id", "criterion_id", "score", "assessor", "period"]
    assert set(result.scores["assessor"]) == {ASSESSOR} and set(result.scores["period"]) == {"2026-H1 2025-12"}
    assert result.scores.set_index(["account_id", "criterion_id"])["score"][("A1", "volume")] == 10.0
    # N1 and N3 are lost (nothing net in the last 12 months), N2 inactive: none is scored or made an account
    assert result.accounts.empty and sorted(set(result.scores["account_id"])) == ["A1", "A2"]
    assert result.metrics.set_index("customer")["status"].to_dict() == {
        "A1": "active",
        "A2": "new",
        "N1": "lost",
        "N2": "inactive",
        "N3": "lost",
    }
    assert result.metrics.set_index("customer")["is_account"].to_dict() == {
        "A1": True,
        "A2": True,
        "N1": False,
        "N2": False,
        "N3": False,
    }
    assert result.whitespace["customer"].tolist() == ["A1", "A2"]
    given = ingest_scores(tiny_ledger(), None, tiny, period=" 2026-H1 ")
    assert given.period == "2026-H1" and given.after is None and given.hand_scores_in_period


def test_the_default_period_sorts_after_every_period_of_the_workbook():
    june = pd.Timestamp("2026-06-30")
    assert default_period(june, []) == "2026-06"
    assert default_period(june, ["2025-H2", "2026-05", "2026-06"]) == "2026-06"  # the same period may be there
    assert default_period(june, ["2025-H2", "2026-H1"]) == "2026-H1 2026-06"  # 2026-06 < 2026-H1 in natural order
    assert default_period(june, ["2026-H1", "2026-H1 2026-05"]) == "2026-H1 2026-06"  # follows the round, not May
    assert default_period(june, ["Ola 1", "Ola 2"]) == "Ola 2 2026-06"  # a free label sorts after any number
    assert default_period(pd.Timestamp("2027-01-31"), ["2026-H1 2026-06"]) == "2027-01"
    with pytest.raises(KamError, match=re.escape("the workbook's scores have a period, 2026-H1 2026-07, that sorts")):
        default_period(june, ["2026-H1", "2026-H1 2026-07"])
    error = error_of(default_period, june, ["2026-H1", "2026-H1 2026-07"])
    assert error.render("en").endswith(
        'Allowed: a newer ledger, --period "2026-H1 2026-07 2026-06" to make them the latest, or --period 2026-06 to '
        "add them as an earlier period"
    )
    assert "no se ha escrito nada. Se admite: un libro de ventas más reciente" in error.render("es")


def test_only_later_periods_scoring_the_same_cells_outrank_a_period_given(tiny):
    from kamlib.ledger.ingest import ingest_summary

    later = pd.DataFrame(
        {
            "account_id": ["A1", "A4"],
            "criterion_id": ["volume", "volume"],  # A1 is in the ledger, A4 is not
            "score": [5.0, 5.0],
            "assessor": "JR",
            "period": ["2026-H2", "2026-T1"],
        }
    )
    engagement = dataclasses.replace(tiny, scores=pd.concat([tiny.scores, later], ignore_index=True))
    result = ingest_scores(tiny_ledger(), None, engagement, period="2025-12")
    assert result.later_periods == ("2026-H1", "2026-H2") and result.outranked == 4  # A1 volume counted once
    assert result.period_after == "2026-T1 2025-12"
    assert (
        "Warning: 2026-H1, 2026-H2 sort after 2025-12 and score the same account and criterion as 4 of 4 new scores; "
        'per criterion the latest period counts, so those are not used; to make them the latest, give --period "2026-'
        'T1 2025-12"'
    ) in ingest_summary(result)
    position = dataclasses.replace(tiny, scores=tiny.scores[tiny.scores["criterion_id"].isin(["service"])])
    quiet = ingest_scores(tiny_ledger(), None, position, period="2025-12")
    assert quiet.later_periods == () and quiet.outranked == 0  # later rounds, but not on the ledger's criteria
    assert not [line for line in ingest_summary(quiet) if line.startswith("Warning")]


def test_new_customers_are_named_with_the_axes_they_lack(tiny, tmp_path):
    frame = pd.concat([tiny_ledger(), tiny_ledger().iloc[[6]].assign(customer="N4")], ignore_index=True)
    result = ingest_scores(frame, None, tiny)
    assert result.accounts["account_id"].tolist() == ["N4"] and result.accounts["source"].tolist() == ["ledger"]
    assert result.unplaced == (("N4", "position"),)
    mapping = write(tmp_path, "criteria: {volume: volume, frequency: service}\n", "map.yaml")
    assert ingest_scores(frame, mapping, tiny).unplaced == ()  # scored on both axes: placed
    weightless = dataclasses.replace(tiny, criteria=tiny.criteria.assign(weight=[3.0, 1.0, 0.0, 1.0]))
    assert ingest_scores(frame, mapping, weightless).unplaced == (("N4", "position"),)  # service weighs 0


def test_ingest_checks_the_mapping_against_the_workbook(tiny, tmp_path):
    path = write(tmp_path, "criteria: {margin: profitability}\n", "map.yaml")
    with pytest.raises(
        KamError, match=r"^map.yaml, criteria: unknown criterion margin: 'profitability'; known: volume"
    ):
        ingest_scores(tiny_ledger(), path, tiny)
    other = dataclasses.replace(tiny, criteria=tiny.criteria.assign(criterion_id=["v", "g", "s", "i"]))
    error = error_of(ingest_scores, tiny_ledger(), None, other)
    assert error.render("en").startswith("mapping: the workbook has none of the default criteria (volume: volume,")
    assert error.render("es").endswith("criterios del libro: v, g, s, i")


def test_ingest_needs_lines_up_to_as_of(tiny):
    with pytest.raises(
        KamError, match=r"^no invoice line on or before as_of 2020-01-01; the ledger starts on 2023-02-01$"
    ):
        ingest_scores(tiny_ledger(), None, tiny, as_of="2020-01-01")


def test_nothing_is_returned_from_a_bad_ledger(tiny):
    frame = tiny_ledger().astype({"revenue": object})
    frame.loc[3, "revenue"] = "mucho"
    with pytest.raises(LedgerError, match=re.escape('ledger, column "revenue", row 5: not numbers (1)')):
        ingest_scores(frame, None, tiny)


def test_warnings_are_kamwarnings(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_ledger(write(tmp_path, DUPLICATES), LedgerMapping(duplicates="drop"))
    assert [type(w.message) for w in caught] == [KamWarning]
    assert caught[0].message.render("es").startswith("ventas.csv: se quitan 2 líneas que repiten exactamente")
