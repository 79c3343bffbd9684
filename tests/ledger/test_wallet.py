"""The wallet estimate (each customer's total spend) read from a file, and the bundled sample ledger."""

import importlib.util
import warnings

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError
from kamlib.ledger.scores import LedgerError, LedgerMapping, ingest_scores, read_wallet
from tests.conftest import ROOT

SAMPLE_LEDGER = ROOT / "kamlib" / "samples" / "sample_ledger"
SCRIPT = ROOT / "scripts" / "sample_ledger.py"


def write(tmp_path, text, name="gasto.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path) -> KamError:
    with pytest.raises(KamError) as info:
        read_wallet(path)
    return info.value


def wallet(index, values) -> pd.Series:
    return pd.Series(values, index=pd.Index(index, dtype="str", name="customer"), name="wallet", dtype=np.float64)


# --- good files -----------------------------------------------------------------------------------------


def test_spanish_csv_with_semicolons_thousands_dots_and_decimal_commas(tmp_path):
    text = (
        "\ufeffCód. cliente;Nombre;Gasto estimado;Fuente\n"
        "A1;Alfa;4.800;entrevista\n"
        "A2;Beta;2.000,5;informe\n"
        "\n"  # a blank row
        "A3;Gamma;;\n"  # no estimate for A3
        " A4 ;Delta;0;\n"
    )
    got = read_wallet(write(tmp_path, text, encoding="utf-8"))
    pd.testing.assert_series_equal(got, wallet(["A1", "A2", "A4"], [4800.0, 2000.5, 0.0]))


def test_comma_csv_with_english_names_in_windows_1252(tmp_path):
    text = 'Customer ID,Región,Total-Spend\n101,Castilla,"12,500.75"\n102,León,300\n'
    got = read_wallet(write(tmp_path, text, "wallet.txt", encoding="cp1252"))
    pd.testing.assert_series_equal(got, wallet(["101", "102"], [12500.75, 300.0]))


def test_an_exact_name_wins_and_the_first_name_tried_is_taken(tmp_path):
    text = "cliente;cod_cliente;gasto;wallet\nBeta;B;1;2\n"
    assert read_wallet(write(tmp_path, text)).to_dict() == {"Beta": 2.0}  # customer before cod_cliente, wallet first


def test_xlsx_first_sheet_with_number_ids_and_number_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Estimación"
    for row in (["cliente", "gasto_estimado"], [101, 2500], [], ["A2", 1234.5], ["A3", "7.000,5"], ["A4", None]):
        sheet.append(row)
    book.create_sheet("Notas").append(["cliente", "gasto_estimado"])
    path = tmp_path / "gasto.xlsx"
    book.save(path)
    pd.testing.assert_series_equal(read_wallet(path), wallet(["101", "A2", "A3"], [2500.0, 1234.5, 7000.5]))


def test_parquet_file(tmp_path):
    path = tmp_path / "gasto.parquet"
    pd.DataFrame({"customer_id": ["A1", "A2", None], "spend": [10.0, np.nan, np.nan]}).to_parquet(path)
    pd.testing.assert_series_equal(read_wallet(path), wallet(["A1"], [10.0]))


# --- messages -------------------------------------------------------------------------------------------

BAD = (
    "cliente;nombre;gasto_estimado\n"
    "A1;Alfa;4.800\n"
    "A2;Beta;-1.200\n"
    ";Sin código;900\n"
    "A1;Alfa otra vez;5.000\n"
    "A3;Gamma;mucho\n"
    "A4;Delta;\n"
    " ; ;\n"  # blank where it matters: skipped
    "A5;Épsilon;-3;\n"  # a cell more: pyarrow would refuse the row
)


def test_every_bad_row_is_listed_at_once(tmp_path):
    error = error_of(write(tmp_path, BAD.replace("A5;Épsilon;-3;\n", "A5;Épsilon;-3\n")))
    assert isinstance(error, LedgerError)
    allowed_en = "allowed: an amount of 0 or more (decimal comma: 1.234,50), or an empty cell for no estimate."
    assert error.render("en").splitlines() == [
        f"gasto.csv, column \"gasto_estimado\", row 3: negative: '-1.200'; {allowed_en}",
        'gasto.csv, column "cliente", row 4: empty cell; an estimate needs its customer; allowed: the customer\'s '
        "code, as in the ledger.",
        "gasto.csv, column \"cliente\", row 5: customer 'A1' again (first in row 2); allowed: each customer once.",
        f"gasto.csv, column \"gasto_estimado\", row 6: not a number: 'mucho'; {allowed_en}",
        f"gasto.csv, column \"gasto_estimado\", row 9: negative: '-3'; {allowed_en}",
    ]
    allowed_es = "se admite: un importe de 0 o más (coma decimal: 1.234,50), o una celda vacía si no hay estimación."
    assert error.render("es").splitlines() == [
        f"gasto.csv, columna \"gasto_estimado\", fila 3: negativo: '-1.200'; {allowed_es}",
        'gasto.csv, columna "cliente", fila 4: celda vacía; una estimación necesita su cliente; se admite: el '
        "código del cliente, como en el libro de ventas.",
        "gasto.csv, columna \"cliente\", fila 5: cliente 'A1' repetido (primero en la fila 2); se admite: cada "
        "cliente una vez.",
        f"gasto.csv, columna \"gasto_estimado\", fila 6: no es un número: 'mucho'; {allowed_es}",
        f"gasto.csv, columna \"gasto_estimado\", fila 9: negativo: '-3'; {allowed_es}",
    ]


def test_a_row_of_another_width_is_named(tmp_path):
    assert error_of(write(tmp_path, BAD)).render("en") == (
        "gasto.csv, row 9: the row has a different number of cells than the header (3); a decimal comma in a "
        'comma-separated file must be quoted ("7,5"), or save the file with ";" as separator.'
    )


def test_xlsx_messages_name_the_sheet_and_excel_rows_with_a_point_decimal(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Gasto"
    for row in ([None], ["customer", "spend"], ["A1", -5], [], ["A1", True]):
        book.active.append(row)
    book.create_sheet("Notas")
    path = tmp_path / "gasto.xlsx"
    book.save(path)
    allowed = "allowed: an amount of 0 or more (decimal point: 1,234.50), or an empty cell for no estimate."
    assert error_of(path).render("en").splitlines() == [
        f'gasto.xlsx, sheet "Gasto", column "spend", row 3: negative: -5; {allowed}',
        'gasto.xlsx, sheet "Gasto", column "customer", row 5: customer \'A1\' again (first in row 3); allowed: '
        "each customer once.",
        f'gasto.xlsx, sheet "Gasto", column "spend", row 5: not a number: True; {allowed}',
    ]


def test_missing_columns_name_the_names_tried_and_the_files_columns(tmp_path):
    error = error_of(write(tmp_path, "Código;Importe\nA1;5\n"))
    assert error.render("en").splitlines() == [
        "gasto.csv: no column for the customer: tried 'customer', 'customer_id', 'customer_code', 'client', "
        "'client_id', 'account_id', 'cliente', 'id_cliente', 'codigo_cliente', 'cod_cliente'; the file's columns "
        "are 'Código', 'Importe'; allowed: one of the names tried.",
        "gasto.csv: no column for the estimated spend: tried 'wallet', 'spend', 'estimated_spend', 'total_spend', "
        "'wallet_estimate', 'gasto', 'gasto_total', 'gasto_estimado', 'potencial_compra'; the file's columns are "
        "'Código', 'Importe'; allowed: one of the names tried.",
    ]
    assert error.render("es").splitlines()[1] == (
        "gasto.csv: ninguna columna para el gasto estimado: probados 'wallet', 'spend', 'estimated_spend', "
        "'total_spend', 'wallet_estimate', 'gasto', 'gasto_total', 'gasto_estimado', 'potencial_compra'; las "
        "columnas del archivo son 'Código', 'Importe'; se admite: uno de los nombres probados."
    )


@pytest.mark.parametrize(
    ("name", "text", "en", "es"),
    [
        (
            "nada.csv",
            None,
            "{tmp}/nada.csv: no such wallet file",
            "{tmp}/nada.csv: no existe ese archivo de gasto estimado",
        ),
        (
            "gasto.json",
            "{}",
            "gasto.json: not a wallet estimate this can read (suffix '.json'); allowed: .csv, .txt, .tsv, .xlsx, "
            ".xlsm, .parquet",
            "gasto.json: no es una estimación de gasto legible (extensión '.json'); se admite: .csv, .txt, .tsv, "
            ".xlsx, .xlsm, .parquet",
        ),
        (
            "gasto.xls",
            "x",
            "gasto.xls: not a wallet estimate this can read (an old .xls workbook: save it as .xlsx); allowed: .csv, "
            ".txt, .tsv, .xlsx, .xlsm, .parquet",
            "gasto.xls: no es una estimación de gasto legible (un libro .xls antiguo: guárdelo como .xlsx); se "
            "admite: .csv, .txt, .tsv, .xlsx, .xlsm, .parquet",
        ),
        ("gasto.csv", "\n\n", "gasto.csv: the file is empty.", "gasto.csv: el archivo está vacío."),
        (
            "gasto.csv",
            "cliente;gasto\n\n;\n",
            "gasto.csv: no customers below the header.",
            "gasto.csv: no hay clientes bajo la cabecera.",
        ),
        ("gasto.parquet", "x", "gasto.parquet: not a Parquet file (ArrowInvalid)", None),
    ],
)
def test_files_that_cannot_be_read(tmp_path, name, text, en, es):
    if text is not None:
        write(tmp_path, text, name)
    error = error_of(tmp_path / name)
    assert error.render("en") == en.format(tmp=tmp_path)
    if es is not None:
        assert error.render("es") == es.format(tmp=tmp_path)


# --- through ingest -------------------------------------------------------------------------------------


def test_ingest_reads_a_wallet_path_for_the_share_of_wallet(tiny, tmp_path):
    ledger = pd.DataFrame(
        [
            ("2024-06-01", "A1", "P", "F", 1, 800.0),
            ("2025-03-01", "A1", "P", "F", 1, 1000.0),
            ("2025-06-01", "A1", "P", "F", 1, 500.0),
            ("2025-12-31", "A2", "P", "F", 1, 300.0),
        ],
        columns=["date", "customer", "product", "family", "quantity", "revenue"],
    )
    path = write(tmp_path, "cliente;gasto_estimado\nA1;3.000\nA2;1.200\nA3;5\n")
    mapping = LedgerMapping(criteria={"volume": None, "share_of_wallet": "volume"})
    result = ingest_scores(ledger, mapping, tiny, wallet=path)
    assert result.metrics.set_index("customer")["share_of_wallet"].to_dict() == {"A1": 50.0, "A2": 25.0}
    # thresholds 0–100 % on the 1–10 scale: 1 + 0.50 × 9 = 5.5; 1 + 0.25 × 9 = 3.25, rounded half up to 3.3
    assert result.scores.set_index("account_id")["score"].to_dict() == {"A1": 5.5, "A2": 3.3}
    by_series = ingest_scores(ledger, mapping, tiny, wallet=read_wallet(path))
    pd.testing.assert_frame_equal(by_series.scores, result.scores)
    same = ingest_scores(ledger, mapping, tiny, wallet=str(path))
    pd.testing.assert_frame_equal(same.metrics, result.metrics)


def test_ingest_stops_at_a_bad_wallet_file(tiny, tmp_path):
    path = write(tmp_path, "cliente;gasto\nA1;mucho\n")
    with pytest.raises(LedgerError, match=r"^gasto.csv, column \"gasto\", row 2: not a number: 'mucho'; allowed"):
        ingest_scores(pd.DataFrame(), None, tiny, wallet=path)


# --- the bundled sample ledger --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("sample_ledger_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_ledger_is_exactly_what_the_script_writes(script):
    files = script.render(script.sample_ledger())
    assert sorted(p.name for p in SAMPLE_LEDGER.iterdir()) == sorted(files)
    for name, text in files.items():
        assert (SAMPLE_LEDGER / name).read_bytes() == text.encode("utf-8"), (
            f"{name} differs: rerun scripts/sample_ledger.py"
        )


def test_the_sample_ledger_is_small_and_looks_like_an_erp_export(script):
    ventas = script.sample_ledger()["ventas"]
    assert (SAMPLE_LEDGER / "ventas.csv").stat().st_size <= 1_500_000
    assert 12_000 <= len(ventas) <= 18_000
    assert ventas["Fecha factura"].min() >= pd.Timestamp("2023-07-01")
    assert ventas["Fecha factura"].max() == pd.Timestamp("2026-06-30")
    returns = ventas["Importe neto"] < 0
    assert 0.005 < returns.mean() < 0.02 and (ventas.loc[returns, "Unidades"] < 0).all()
    assert ventas["Nº factura"].nunique() < len(ventas) / 2  # invoices group several lines
    assert ventas["Familia"].nunique() == 8 and set(ventas["Moneda"]) == {"EUR"}


def test_the_sample_ledger_scores_every_account_and_the_new_customers(script):
    engagement = kamlib.load(ROOT / "kamlib" / "samples" / "sample")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ingest_scores(
            SAMPLE_LEDGER / "ventas.csv",
            SAMPLE_LEDGER / "ventas.yaml",
            engagement,
            wallet=SAMPLE_LEDGER / "wallet.csv",
        )
    accounts = set(engagement.accounts["account_id"])
    assert result.period == "2026-H1 2026-06" and result.lines == len(script.sample_ledger()["ventas"])
    assert accounts <= set(result.scores["account_id"])
    # the ten customers the workbook lacks, but C108, lost (it bought only in the first two years)
    assert result.accounts["account_id"].tolist() == [f"C{n}" for n in range(101, 111) if n != 108]
    metrics = result.metrics.set_index("customer")
    assert metrics["status"].value_counts().to_dict() == {"active": 55, "new": 2, "lost": 1}
    estimated = set(read_wallet(SAMPLE_LEDGER / "wallet.csv").index)
    share = metrics["share_of_wallet"]
    assert set(share.dropna().index) == estimated and accounts - estimated  # some accounts have no estimate
    assert share.dropna().between(10, 75).all()
    scored = result.scores[result.scores["criterion_id"] == "share_of_wallet"]
    assert set(scored["account_id"]) == estimated
    growth = metrics.loc[metrics["status"] == "active", "growth"]
    assert (growth < -10).sum() >= 5 and (growth > 10).sum() >= 5
    assert metrics.loc[list(accounts), "families"].nunique() >= 5
