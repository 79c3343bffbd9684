"""Reading workbooks as a Spanish or English spreadsheet user writes them."""

import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import kamlib
from kamlib.workbook.cells import parse_bools, parse_numbers
from kamlib.workbook.read import read_workbook


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7,5", 7.5),
        ("7.5", 7.5),
        (" 10 ", 10.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1.234", 1.234),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1 234,5", 1234.5),
        ("-3", -3.0),
        ("1e3", 1000.0),
        (4, 4.0),
        (4.25, 4.25),
    ],
)
def test_numbers_typed_either_way(text, number):
    assert parse_numbers(pd.Series([text], dtype=object)).tolist() == [number]


@pytest.mark.parametrize("text", ["abc", "7,5,1x", "nan", "inf", "", None, True, "1..2"])
def test_not_numbers(text):
    assert np.isnan(parse_numbers(pd.Series([text], dtype=object)).iloc[0])


def test_booleans_in_both_languages():
    cells = pd.Series(["sí", "No", "VERDADERO", "falso", True, 0, None, "quizás"], dtype=object)
    assert parse_bools(cells, default=True).tolist() == [True, False, True, False, True, False, True, None]


def test_xlsx_and_csv_folder_give_the_same_engagement(tiny_path, tmp_path, tiny):
    book = Workbook()
    book.remove(book.active)
    for sheet in ("accounts", "criteria", "scores", "kams", "time"):
        frame = pd.read_csv(tiny_path / f"{sheet}.csv", dtype=str, keep_default_na=False)
        ws = book.create_sheet(sheet.upper() if sheet == "kams" else sheet)  # sheet names are case-insensitive
        ws.append([c.upper() if c == "name" else c for c in frame.columns])
        for row in frame.itertuples(index=False):
            ws.append([_typed(v) for v in row])
    book.create_sheet("README").append(["notes are ignored"])
    path = tmp_path / "tiny.xlsx"
    book.save(path)
    from_xlsx = kamlib.load(path)
    for sheet in ("accounts", "criteria", "scores", "kams", "time"):
        pd.testing.assert_frame_equal(getattr(from_xlsx, sheet), getattr(tiny, sheet), check_dtype=False)
    assert list(from_xlsx.extra) == []


def _typed(value: str):
    """Type cells as Excel would hold them: numbers as numbers, '7,5' stays text, empty is None."""
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def test_blank_rows_keep_excel_row_numbers_and_ids_typed_as_numbers_are_text(tmp_path, tiny_path):
    folder = tmp_path / "wb"
    shutil.copytree(tiny_path, folder)
    book = Workbook()
    ws = book.active
    ws.title = "accounts"
    ws.append(["account_id", "name", "sector", "kam_id", "revenue"])
    ws.append([101, "Peñíscola Alimentación", "horeca", "K1", 1000])
    ws.append([None, None, None, None, None])
    ws.append([102.0, "Ñandú Gourmet", "gourmet", "K1", "mil"])
    raw = read_workbook(_save(book, tmp_path / "a.xlsx"))
    frame = raw.sheets["accounts"]
    assert frame.index.tolist() == [2, 4]
    with pytest.raises(kamlib.WorkbookError) as info:
        kamlib.load(tmp_path / "a.xlsx")
    message = info.value.render("en")
    assert 'a.xlsx, sheet "accounts", row 4, column "revenue": got \'mil\'' in message
    assert 'missing sheet "criteria"' in message


def _save(book, path):
    book.save(path)
    return path


def test_semicolon_cp1252_csv_from_spanish_excel(tmp_path, tiny_path, tiny):
    """Spanish Excel saves CSV with ';' and Windows-1252: accents and decimal commas must survive."""
    folder = tmp_path / "excel_es"
    shutil.copytree(tiny_path, folder)
    for sheet in ("accounts", "scores"):
        frame = pd.read_csv(tiny_path / f"{sheet}.csv", dtype=str, keep_default_na=False)
        frame.to_csv(folder / f"{sheet}.csv", sep=";", index=False, encoding="cp1252")
    engagement = kamlib.load(folder)
    assert engagement.accounts["name"].tolist() == tiny.accounts["name"].tolist()
    assert "Supermercados Peñíscola" in engagement.accounts["name"].tolist()
    assert engagement.accounts.loc[2, "revenue"] == pytest.approx(1200000.5)
    assert engagement.scores["score"].tolist() == tiny.scores["score"].tolist()


def test_unicode_normalisation_makes_accented_ids_match(tmp_path, tiny_path):
    """An id typed on a Mac (decomposed 'ñ') matches the same id typed on Windows (composed)."""
    import unicodedata

    folder = tmp_path / "nfd"
    shutil.copytree(tiny_path, folder)
    acc = (folder / "accounts.csv").read_text(encoding="utf-8").replace("A1,", "Añ1,")
    scores = (folder / "scores.csv").read_text(encoding="utf-8").replace("A1,", unicodedata.normalize("NFD", "Añ1,"))
    (folder / "accounts.csv").write_text(acc, encoding="utf-8")
    (folder / "scores.csv").write_text(scores, encoding="utf-8")
    (folder / "time.csv").write_text(
        (folder / "time.csv").read_text(encoding="utf-8").replace("K1,A1,", "K1,Añ1,"), encoding="utf-8"
    )
    for sheet in ("stakeholders", "kpis", "customers", "selection_scores"):  # A1 there too, typed on Windows
        path = folder / f"{sheet}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("A1,", "Añ1,"), encoding="utf-8")
    engagement = kamlib.load(folder)
    assert engagement.accounts.loc[0, "account_id"] == "Añ1"
    assert (engagement.scores["account_id"] == "Añ1").sum() == 4


def test_extra_sheets_and_columns_are_kept(tmp_path, tiny_path):
    folder = tmp_path / "extra"
    shutil.copytree(tiny_path, folder)
    (folder / "notes.csv").write_text("account_id,person\nA1,Lucía Peña\n", encoding="utf-8")
    engagement = kamlib.load(folder)
    assert engagement.extra["notes"].loc[0, "person"] == "Lucía Peña"
    assert engagement.accounts["country"].tolist() == ["ES", "ES", "ES", "FR"]


def test_optional_columns_take_their_defaults(tmp_path, tiny_path):
    folder = tmp_path / "defaults"
    shutil.copytree(tiny_path, folder)
    crit = pd.read_csv(folder / "criteria.csv", dtype=str)
    crit = crit.drop(columns=["scale_min", "scale_max", "higher_is_better"])
    crit.to_csv(folder / "criteria.csv", index=False)
    scores = pd.read_csv(folder / "scores.csv", dtype=str)
    value = scores.score.str.replace(",", ".").astype(float)
    scores = scores[(value >= 1) & (value <= 10)]
    scores.drop(columns=["assessor", "period"]).to_csv(folder / "scores.csv", index=False)
    engagement = kamlib.load(folder)
    assert engagement.criteria["scale_min"].tolist() == [1.0] * 4
    assert engagement.criteria["scale_max"].tolist() == [10.0] * 4
    assert engagement.criteria["higher_is_better"].tolist() == [True] * 4


def test_empty_score_cells_mean_not_scored(tmp_path, tiny_path):
    folder = tmp_path / "blank_scores"
    shutil.copytree(tiny_path, folder)
    text = (folder / "scores.csv").read_text(encoding="utf-8").replace("A1,growth,7,", "A1,growth,,")
    (folder / "scores.csv").write_text(text, encoding="utf-8")
    engagement = kamlib.load(folder)
    assert len(engagement.scores) == 17
    scored = kamlib.score_accounts(engagement)
    assert scored.loc[0, "potential"] == pytest.approx(10 * 8 / 9)


def test_headers_with_capitals_and_spaces_and_empty_optional_sheets(tmp_path, tiny_path):
    folder = tmp_path / "headers"
    shutil.copytree(tiny_path, folder)
    text = (folder / "accounts.csv").read_text(encoding="utf-8")
    (folder / "accounts.csv").write_text(text.replace("account_id,name", " Account ID , Name "), encoding="utf-8")
    (folder / "time.csv").write_text("kam_id,account_id,activity,hours,period\n", encoding="utf-8")
    engagement = kamlib.load(folder)
    assert engagement.accounts.loc[0, "account_id"] == "A1"
    assert len(engagement.time) == 0
    assert kamlib.score_accounts(engagement)["quadrant"].tolist() == ["invest", "selective", "maintain", "milk"]


def _tiny_xlsx(tiny_path, path):
    from tests.data.bad.make_corpus import xlsx_from_tiny

    xlsx_from_tiny(path)
    return path


def test_a_stale_sheet_size_in_the_xlsx_does_not_hide_rows(tmp_path, tiny_path, tiny):
    """Some exporters write <dimension ref="A1:E5"/> for a longer sheet; every row must still be read."""
    import re
    import zipfile

    source = _tiny_xlsx(tiny_path, tmp_path / "src.xlsx")
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(stale, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3"/>', data)
            zout.writestr(item, data)
    engagement = kamlib.load(stale)
    assert len(engagement.scores) == len(tiny.scores)
    assert list(engagement.accounts.columns[:5]) == ["account_id", "name", "sector", "kam_id", "revenue"]


def test_spanish_thousands_in_a_semicolon_csv(tmp_path, tiny_path):
    folder = tmp_path / "es"
    shutil.copytree(tiny_path, folder)
    (folder / "accounts.csv").write_text(
        "account_id;name;sector;kam_id;revenue\n"
        "A1;Peñíscola;horeca;K1;1.250.000\nA2;Mirasol;horeca;K1;12.500\nA3;Oria;horeca;K2;980,5\nA4;Lumière;ex;K2;7\n",
        encoding="cp1252",
    )
    engagement = kamlib.load(folder)
    assert engagement.accounts["revenue"].tolist() == [1250000.0, 12500.0, 980.5, 7.0]


def test_control_characters_are_dropped_so_xlsx_output_works(tmp_path, tiny_path):
    folder = tmp_path / "ctrl"
    shutil.copytree(tiny_path, folder)
    text = (folder / "accounts.csv").read_text(encoding="utf-8").replace("Hoteles Mirasol", "Hoteles\x0b Mirasol")
    (folder / "accounts.csv").write_text(text, encoding="utf-8")
    assert kamlib.load(folder).accounts.loc[1, "name"] == "Hoteles Mirasol"
    from kamlib.cli import main

    assert main(["score", str(folder), "--out", str(tmp_path / "s.xlsx")]) == 0


def test_blank_time_sheet_and_empty_time_csv_mean_no_time_records(tmp_path, tiny_path):
    from openpyxl import load_workbook

    path = _tiny_xlsx(tiny_path, tmp_path / "blank_time.xlsx")
    book = load_workbook(path)
    del book["time"]
    book.create_sheet("time")
    book.save(path)
    assert len(kamlib.load(path).time) == 0
    folder = tmp_path / "empty_csv"
    shutil.copytree(tiny_path, folder)
    (folder / "time.csv").write_bytes(b"")
    assert len(kamlib.load(folder).time) == 0


def test_header_below_blank_rows_keeps_true_row_numbers(tmp_path, tiny_path):
    folder = tmp_path / "lead"
    shutil.copytree(tiny_path, folder)
    text = (folder / "kams.csv").read_text(encoding="utf-8").replace("1650", "-5")
    (folder / "kams.csv").write_text("\n\n" + text, encoding="utf-8")
    with pytest.raises(kamlib.WorkbookError, match=r'kams.csv, sheet "kams", row 4, column "capacity_hours": got -5'):
        kamlib.load(folder)


def test_competences_sheet_is_optional_and_read_with_its_sides(tmp_path, tiny_path, tiny):
    assert tiny.competences.empty and list(tiny.competences.columns) == [
        "kam_id",
        "competence",
        "score",
        "assessor",
        "side",
    ]
    assert tiny.kams["max_accounts"].isna().all()  # optional column: no limit on the number
    book = tmp_path / "tiny"
    shutil.copytree(tiny_path, book)
    (book / "competences.csv").write_text(
        "kam_id,competence,score,assessor,side\n"
        "K1,senior_negotiation,4,RAS,\n"
        'K1,senior_negotiation,"3,5",Compras,Cliente\n'
        "K2,empathy,5,RAS,supplier\n",
        encoding="utf-8",
    )
    competences = kamlib.load(book).competences
    assert competences["side"].tolist() == ["supplier", "customer", "supplier"]
    assert competences["score"].tolist() == [4.0, 3.5, 5.0]
    assert "3 competence ratings" in kamlib.load(book).summary()


def test_bad_competence_rows_are_named(tmp_path, tiny_path):
    book = tmp_path / "tiny"
    shutil.copytree(tiny_path, book)
    (book / "competences.csv").write_text(
        "kam_id,competence,score,side\nK9,drive,4,supplier\nK1,drive,6,supplier\nK1,,3,partner\n", encoding="utf-8"
    )
    with pytest.raises(kamlib.WorkbookError) as error:
        kamlib.load(book)
    text = error.value.render("en")
    where = 'competences.csv, sheet "competences", row'
    assert f"{where} 2, column \"kam_id\": unknown KAM 'K9'; known: K1, K2." in text
    assert f'{where} 3, column "score": got 6; allowed: a number from 1 to 5' in text
    assert f"{where} 4, column \"side\": got 'partner'; allowed: supplier, customer." in text
    assert f'{where} 4, column "competence": empty cell' in text


def test_a_semicolon_csv_uses_the_numbers_it_validated(tmp_path, tiny_path):
    """Spanish Excel saves 690287 with a thousands format as "690.287": validated as 690287, used as 690287."""
    folder = tmp_path / "wb"
    shutil.copytree(tiny_path, folder)
    accounts = pd.read_csv(folder / "accounts.csv", dtype=str, keep_default_na=False)
    accounts["revenue"] = ["690.287", "1.234.567", "12.500", "980"][: len(accounts)]
    accounts.to_csv(folder / "accounts.csv", sep=";", index=False)
    revenue = kamlib.load(folder).accounts["revenue"].tolist()
    assert revenue == [690287.0, 1234567.0, 12500.0, 980.0][: len(accounts)]
