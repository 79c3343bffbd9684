"""kamlib.xlsx: limits checked before reading, the same cells by either reader, percentages as shown, progress."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from kamlib import xlsx
from kamlib.xlsx import Limits, XlsxError, open_xlsx


@pytest.fixture
def book_path(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Scores"
    sheet.append(["account_id", "share", "note"])
    for i in range(1, 40):
        sheet.append([f"A{i:03}", i / 100, "x" * (i % 3)])
        sheet.cell(row=i + 1, column=2).number_format = "0%"
    sheet.cell(row=5, column=60, value="stray")  # beyond the header: cut
    path = tmp_path / "book.xlsx"
    book.save(path)  # openpyxl writes texts inline; Excel keeps them in a shared strings part
    with zipfile.ZipFile(path, "a") as package:
        package.writestr(
            "xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
        )
    return path


def test_both_readers_give_the_same_rows_cut_at_the_header_and_percentages_as_shown(book_path):
    with open_xlsx(book_path) as book:
        assert book.titles == ["Scores"] and book.extent("Scores") == (40, 60)
        whole = list(book.rows("Scores"))
    with open_xlsx(book_path, Limits(cells=100)) as book:  # 40 × 60 cells: streamed instead
        streamed = list(book.rows("Scores"))
    assert whole[1] == (2, ["A001", 1.0, "x"] + [None] * 57)
    assert [row[:3] for _, row in whole] == [row for _, row in streamed]
    assert [n for n, _ in whole] == [n for n, _ in streamed] == list(range(1, 41))


@pytest.mark.parametrize(
    "limits, said",
    [
        (Limits(total=10_000), "it unzips to"),
        (Limits(ratio=2, ratio_from=1_000), "times its packed size (a zip bomb?)"),
        (Limits(shared_strings=10), "its texts take"),
    ],
)
def test_a_workbook_beyond_a_limit_is_refused_before_it_is_read(book_path, limits, said):
    with pytest.raises(XlsxError) as info:
        open_xlsx(book_path, limits)
    assert said in info.value.detail["en"]


def test_not_a_zip_is_no_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(XlsxError) as info:
        open_xlsx(path)
    assert not info.value.workbook and "cannot be opened" in info.value.detail["en"]


def test_formula_cells_and_external_links_are_found_in_the_xml(book_path):
    with zipfile.ZipFile(book_path, "a") as book:
        book.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    with zipfile.ZipFile(book_path) as old:
        parts = {i.filename: old.read(i.filename) for i in old.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b"</sheetData>", b'<row r="41"><c r="C41"><f>[1]Hoja1!A1</f><v>9</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(book_path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in parts.items():
            new.writestr(name, content)
    with open_xlsx(book_path) as book:
        assert book.external_links() == ["Scores!C41"]
        assert book.formula_cells("Scores") == {(41, 2)}


def test_a_large_sheet_shows_progress_on_a_terminal(book_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(xlsx, "PROGRESS_FROM", 10)
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setenv("COLUMNS", "100")
    with open_xlsx(book_path) as book:
        assert len(list(book.rows("Scores"))) == 40
    assert "book.xlsx: Scores" in terminal.getvalue()
