"""Read a client's .xlsx file as cells, after checking that reading it is safe and fits in memory.

An .xlsx file is a zip of XML parts, and both can be made hostile: a part that unzips to gigabytes (one
shared string of a billion letters), a sheet whose one cell in column XFD makes every row 16,384 cells
wide, damaged XML or a damaged deflate stream. Before anything is parsed, `open_xlsx` checks the zip's
parts against `LIMITS` (their sizes as the zip declares them, which Python's zipfile enforces while
reading); before a sheet is read, its extent (last row, last column) is scanned from its XML.

Sheets are read with python-calamine (Rust's calamine: fast, and the reader pandas offers as
`engine="calamine"`), which builds the sheet's whole rectangle in memory. A sheet whose rectangle is
larger than `LIMITS.cells` (a stray cell far to the right) is streamed with openpyxl instead, each row cut
at the header's width. Calamine gives values only: numbers an Excel style shows as percentages
(0.4 shown as 40 %) are found in the styles part and the sheet's cells that use them. Parts are parsed
with defusedxml. Every failure is an `XlsxError` naming the sheet where there is one, in both languages.
"""

from __future__ import annotations

import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_FORMATS = frozenset({9, 10})
"""Excel's built-in number formats 0% and 0.00%."""
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold; beyond it the file is refused before it is read."""

    total: int = 2 << 30
    """Bytes of all parts unzipped (a 1,000,000-row sheet is about 250 MB)."""
    ratio: int = 250
    """How many times larger than compressed a part over `ratio_from` bytes may be (sheets: 5–30 times)."""
    ratio_from: int = 8 << 20
    shared_strings: int = 64 << 20
    """Bytes of the shared strings part: every distinct text of the workbook, held in memory at once."""
    cells: int = 8_000_000
    """Cells of one sheet's rectangle (last row × last column) read at once; larger sheets are streamed."""


LIMITS = Limits()
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
"""The largest sheet Excel has: no cell of a real workbook lies beyond."""


class XlsxError(ValueError):
    """A workbook that cannot be read safely as it stands: what is wrong, in both languages, and the sheet."""

    def __init__(self, en: str, es: str, sheet: str | None = None, workbook: bool = True):
        super().__init__(en)
        self.detail = {"en": en, "es": es}
        self.sheet = sheet
        self.workbook = workbook
        """False when the file is no workbook at all (not a zip, or a zip without a workbook part)."""


def _size(n: int) -> tuple[str, str]:
    text = f"{n / (1 << 20):,.0f} MB"
    return text, text.replace(",", ".")


@dataclass(frozen=True)
class Survey:
    """What a sheet's XML holds, scanned before it is read."""

    rows: int
    """The last row holding a cell."""
    columns: int
    """The last column holding a cell (A is 1)."""
    cells: int
    """Cell elements."""
    refs: int
    """Cell elements that name their place (r="B7"); the others are placed by their order alone."""
    errors: dict[int, dict[int, str]]
    """Cells holding an error value ("#N/A"): {Excel row: {column index from 0: the error}}."""
    formulas: bool = False
    """Whether some cell holds a formula (its value may be missing: `formula_cells` says where)."""


class XlsxBook:
    """An open .xlsx file whose parts passed the limits: its sheets' titles, rows and external links."""

    def __init__(self, path: Path, limits: Limits = LIMITS):
        self.path = path
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            name = type(exc).__name__
            raise XlsxError(f"cannot be opened: {name}", f"no se puede abrir: {name}", workbook=False) from None
        try:
            self._check_parts()
            self.members = self._sheet_members()
            self.percent_styles = self._percent_styles()
        except BaseException:
            self.zip.close()
            raise
        self._calamine = None
        self._surveys: dict[str, Survey] = {}

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
        self.zip.close()

    @property
    def titles(self) -> list[str]:
        """The worksheets' titles, in the workbook's order; two may be equal (the first is the one read)."""
        return [title for title, _ in self.members]

    def _member(self, title: str) -> str:
        return next(member for name, member in self.members if name == title)

    # --- checks before reading ---------------------------------------------------------------------------

    def _check_parts(self) -> None:
        total = 0
        for info in self.zip.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > self.limits.ratio_from and ratio > self.limits.ratio:
                raise XlsxError(
                    f"part {info.filename} unzips to {_size(info.file_size)[0]}, {ratio:,.0f} times its packed "
                    f"size (a zip bomb?); allowed: at most {self.limits.ratio} times",
                    f"la parte {info.filename} se descomprime en {_size(info.file_size)[1]}, {ratio:,.0f} veces su "
                    f"tamaño comprimido (¿una bomba zip?); se admite: como mucho {self.limits.ratio} veces",
                )
            if info.filename.lower() == "xl/sharedstrings.xml" and info.file_size > self.limits.shared_strings:
                got, limit = _size(info.file_size), _size(self.limits.shared_strings)
                raise XlsxError(
                    f"its texts take {got[0]} unzipped; allowed: at most {limit[0]}",
                    f"sus textos ocupan {got[1]} descomprimidos; se admite: como mucho {limit[1]}",
                )
        strings = next((n for n in self.zip.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
        if strings is not None:
            self._refuse_long_texts(strings)
        if total > self.limits.total:
            got, limit = _size(total), _size(self.limits.total)
            raise XlsxError(
                f"it unzips to {got[0]}; allowed: at most {limit[0]}",
                f"se descomprime en {got[1]}; se admite: como mucho {limit[1]}",
            )

    def _refuse_long_texts(self, member: str) -> None:
        """Refuse a part holding a text longer than Excel allows in a cell: every cell using a shared string gets
        its own copy when read, so one such string used by many cells is a memory bomb."""
        try:
            with self.zip.open(member) as stream:
                tail = b""
                while chunk := stream.read(_CHUNK):
                    data = tail + chunk
                    if _LONG_TEXT.search(data):
                        raise _too_long(None)
                    tail = data[-32768:]
        except XlsxError:
            raise
        except Exception as exc:  # a damaged part
            raise _damaged_part(member, exc) from None

    def _xml(self, member: str) -> ElementTree.Element | None:
        """A small part parsed with defusedxml (no entities, no external references), or None when absent."""
        try:
            return ElementTree.fromstring(self.zip.read(member))
        except KeyError:
            return None
        except DefusedXmlException as exc:
            raise XlsxError(
                f"part {member} declares XML entities or external references ({type(exc).__name__}), which no "
                "spreadsheet program writes; allowed: the workbook saved again in Excel or LibreOffice",
                f"la parte {member} declara entidades XML o referencias externas ({type(exc).__name__}), que "
                "ningún programa de hojas de cálculo escribe; se admite: el libro guardado de nuevo en Excel o "
                "LibreOffice",
            ) from None
        except Exception as exc:  # ParseError, zlib.error, BadZipFile: a damaged part
            raise _damaged_part(member, exc) from None

    def _sheet_members(self) -> list[tuple[str, str]]:
        """Each worksheet's title and the zip part holding it, in the workbook's order (titles may repeat)."""
        book = self._xml("xl/workbook.xml")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        if book is None or rels is None:
            raise XlsxError(
                "cannot be opened: a zip without xl/workbook.xml",
                "no se puede abrir: un zip sin xl/workbook.xml",
                workbook=False,
            )
        worksheets = {
            r.get("Id"): r.get("Target", "")
            for r in rels.iter(f"{_RELS}Relationship")
            if r.get("Type", "").endswith("/worksheet")  # not chart sheets, dialogs, macros
        }
        names = set(self.zip.namelist())
        members = []
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = worksheets.get(sheet.get(_REL_ID))
            if target is None:
                continue
            title = sheet.get("name", "")
            member = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target))
            if member not in names:
                raise _damaged(title, KeyError(member))
            members.append((title, member))
        return members

    def _percent_styles(self) -> frozenset[int]:
        """Indexes of the cell styles whose number format shows a percentage."""
        styles = self._xml("xl/styles.xml")
        if styles is None:
            return frozenset()
        codes = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")}
        percent = {i for i, code in codes.items() if is_percent(code)} | _PERCENT_FORMATS
        xfs = styles.find(f"{_MAIN}cellXfs")
        if xfs is None:
            return frozenset()
        return frozenset(i for i, xf in enumerate(xfs.iter(f"{_MAIN}xf")) if int(xf.get("numFmtId", 0)) in percent)

    def _chunks(self, title: str) -> Iterator[bytes]:
        """A sheet's XML unzipped a megabyte at a time, each chunk cut before its last cell element (`<c`), so
        that every cell, with its formula, lies whole in one chunk. A run of more than 32,767 characters without
        markup is refused: no cell of Excel holds that much text (a padding or a comment bomb)."""
        try:
            with self.zip.open(self._member(title)) as stream:
                pending = b""
                while chunk := stream.read(_CHUNK):
                    data = pending + chunk  # `pending` is the start of one cell: small
                    if _LONG_TEXT.search(data):
                        raise _too_long(title)
                    cut = _last_cell(data)
                    if cut <= 0:
                        cut = data.rfind(b"<")
                    if cut > 0:
                        yield data[:cut]
                        pending = data[cut:]
                    else:
                        pending = data
                    if len(pending) > _CHUNK:  # one element of over a megabyte: no cell is that long
                        raise _too_long(title)
                yield pending
        except XlsxError:
            raise
        except Exception as exc:  # zipfile's BadZipFile, zlib.error (a damaged deflate stream), EOFError
            raise _damaged(title, exc) from None

    def _scan(self, title: str, pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
        """Matches of a pattern, which starts at a cell and ends before the next one, over a sheet's XML."""
        for chunk in self._chunks(title):
            yield from pattern.finditer(chunk)

    def survey(self, title: str) -> Survey:
        """What the sheet's XML holds, scanned once before it is read (about 250 MB a second): its last row and
        column, how many cells and how many of them name their place, and its cells holding an error value."""
        if title in self._surveys:
            return self._surveys[title]
        rows, columns, cells, refs, formulas = 0, set(), 0, 0, False
        errors: dict[int, dict[int, str]] = {}
        for chunk in self._chunks(title):
            formulas = formulas or _FORMULA_TAG.search(chunk) is not None
            rows = max(rows, *map(int, _ROW_NUMBER.findall(chunk)), 0)
            letters = _COLUMN_LETTERS.findall(chunk)
            refs += len(letters)
            columns.update(letters)
            cells += sum(chunk.count(tag) for tag in _CELL_TAGS)
            if b't="e"' in chunk or b"t='e'" in chunk:
                for match in _ERROR_CELL.finditer(chunk):
                    place = _REF_ATTRIBUTE.search(match.group(1))
                    if place is not None:
                        column, row = place.groups()
                        errors.setdefault(int(row), {})[column_number(column.decode()) - 1] = match.group(2).decode()
        last_column = max((column_number(c.decode()) for c in columns), default=0)
        if rows > EXCEL_ROWS or last_column > EXCEL_COLUMNS:
            raise XlsxError(
                f"the sheet has a cell beyond Excel's last row or column (row {rows:,}, column {last_column:,}); "
                "allowed: rows up to 1,048,576 and columns up to XFD, as Excel and LibreOffice write",
                f"la hoja tiene una celda más allá de la última fila o columna de Excel (fila {rows:,}, columna "
                f"{last_column:,}); se admite: filas hasta 1.048.576 y columnas hasta XFD, como escriben Excel y "
                "LibreOffice",
                sheet=title,
            )
        self._surveys[title] = Survey(rows, last_column, cells, refs, errors, formulas)
        return self._surveys[title]

    def extent(self, title: str) -> tuple[int, int]:
        """The sheet's last row and last column holding a cell, scanned from its XML."""
        found = self.survey(title)
        return found.rows, found.columns

    def external_links(self) -> list[str]:
        """Cells whose formula reads another workbook ("[1]Sheet1!$A$1"), as "Title!B7"; their values are the
        last ones that file gave, which nothing refreshes."""
        if not any(n.lower().startswith("xl/externallinks/") for n in self.zip.namelist()):
            return []
        cells = [
            f"{title}!{m.group(1).decode()}"
            for title in dict.fromkeys(self.titles)
            for m in self._scan(title, _FORMULA_CELL)
            if _EXTERNAL.search(m.group(2))
        ]
        book = self._xml("xl/workbook.xml")
        names = [  # a defined name reading another workbook: every cell using it reads that workbook too
            f"({d.get('name', '')})"
            for d in (book.iter(f"{_MAIN}definedName") if book is not None else ())
            if _EXTERNAL.search((d.text or "").encode())
        ]
        return cells + names

    def formula_cells(self, title: str, valueless: bool = False) -> set[tuple[int, int]]:
        """The sheet's cells holding a formula (with `valueless`, only those with no stored value at all, not even
        an empty text), as (Excel row, column index from 0)."""
        cells = set()
        for match in self._scan(title, _VALUELESS_FORMULA if valueless else _FORMULA_CELL):
            column, row = _SPLIT_REF.fullmatch(match.group(1)).groups()
            cells.add((int(row), column_number(column.decode()) - 1))
        return cells

    # --- reading ---------------------------------------------------------------------------------------

    def rows(self, title: str, as_shown: bool = True) -> Iterator[tuple[int, list[object]]]:
        """The sheet's rows as (Excel row number, values), empty cells None; with `as_shown`, a number styled as
        a percentage is the number shown (0.4 shown as 40 % is 40)."""
        found = self.survey(title)
        if not found.cells:  # no cell at all (calamine before 0.6 fails on an empty sheet)
            return
        if found.refs < found.cells or found.rows * found.columns > self.limits.cells:
            rows = self._streamed_rows(title, as_shown)  # cells placed by order only, or a huge rectangle
        else:
            percent = self._percent_cells(title) if as_shown and self.percent_styles else {}
            rows = self._calamine_rows(title, percent, found.errors)
        yield from _with_progress(rows, found.rows, f"{self.path.name}: {title}")

    def _calamine_rows(
        self, title: str, percent: dict[int, set[int]], errors: dict[int, dict[int, str]]
    ) -> Iterator[tuple[int, list[object]]]:
        from python_calamine import CalamineWorkbook

        try:
            if self._calamine is None:
                self._calamine = CalamineWorkbook.from_path(str(self.path))
            sheet = self._calamine.get_sheet_by_name(title)
            lead = [None] * (sheet.start or (0, 0))[1]  # rows come from row 1, cells from the first column used
            for number, values in enumerate(sheet.iter_rows(), start=1):
                row = lead + [None if v == "" else v for v in values]
                for column in percent.get(number, ()):
                    if column < len(row) and isinstance(row[column], (int, float)):
                        row[column] = round(row[column] * 100, 10)
                for column, error in errors.get(number, {}).items():  # calamine reads "#N/A" as empty
                    if column < len(row):
                        row[column] = error
                yield number, row
        except (GeneratorExit, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine's XmlError, ZipError, CalamineError; a Rust panic is no Exception
            raise _damaged(title, exc) from None

    def _percent_cells(self, title: str) -> dict[int, set[int]]:
        """The sheet's cells styled as percentages: {Excel row: {column index from 0}}."""
        cells: dict[int, set[int]] = {}
        for match in self._scan(title, _STYLED_CELL):
            attributes = match.group(1)
            style, ref = _STYLE.search(attributes), _CELL_REF.search(b"<c " + attributes)
            if style and ref and int(style.group(1)) in self.percent_styles:
                column, row = ref.groups()
                cells.setdefault(int(row), set()).add(column_number(column.decode()) - 1)
        return cells

    def _streamed_rows(self, title: str, as_shown: bool) -> Iterator[tuple[int, list[object]]]:
        """Rows read with openpyxl's streaming reader, cut at the header's width (its first non-blank row's last
        cell), so a stray cell far to the right does not widen every row."""
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
            try:
                sheet = book[title]
                sheet.reset_dimensions()  # a stale stored size would cut rows off
                width = next((_last_filled(r) for r in sheet.iter_rows(values_only=True) if _last_filled(r)), 0)
                for number, cells in enumerate(sheet.iter_rows(max_col=max(width, 1)), start=1):
                    yield number, [shown_value(c) if as_shown else c.value for c in cells]
            finally:
                book.close()
        except Exception as exc:  # openpyxl, zipfile and XML errors, by the damage found
            raise _damaged(title, exc) from None


def _last_filled(values: tuple[object, ...]) -> int:
    """How many cells a row holds up to its last non-blank one."""
    return max((i + 1 for i, v in enumerate(values) if v not in (None, "")), default=0)


_ROW_NUMBER = re.compile(rb"""\sr=["']([0-9]{1,10})["']""")
"""Rows' numbers, whatever the attributes' order or quotes (only `row` elements have an `r` of digits)."""
_COLUMN_LETTERS = re.compile(rb"""\sr=["']([A-Z]{1,3})[0-9]""")
"""Cells' column letters (only `c` elements have an `r` starting with a letter); searching from " r=" rather
than from "<c" is five times faster with Python's regular expressions."""
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b"<c\n", b"<c\t", b"<c\r", b":c ", b":c>", b":c/>")
"""How a cell element starts (`x:c` with a namespace prefix); counted, they tell cells that name no place."""
_REF_ATTRIBUTE = re.compile(rb"""\br=["']([A-Z]{1,3})([0-9]{1,10})["']""")
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\b([^>]*\bt=["']e["'][^>]*)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)<""", re.S
)
_LONG_TEXT = re.compile(rb"[^<]{32768}")
"""More than Excel's 32,767 characters in a cell, without markup."""
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_STYLED_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bs="[0-9]+"[^>]*)>')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f\b[^>]*>([^<]*)<')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUELESS_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b(?![^>]*\bt="str")[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"(?![^>]*\bt="str")[^>]*>\s*'
    rb"<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*"
    rb"</(?:\w+:)?c>"
)
"""A cell whose formula has no stored value: no <v> after it, or an empty one in a cell that is not a formula's text
(`t="str"`, where an empty value is the empty text a formula such as `=IF(…;"")` gave)."""
_SPLIT_REF = re.compile(rb"([A-Z]+)([0-9]+)")
_EXTERNAL = re.compile(rb"\[[0-9]+\]")


PROGRESS_FROM = 200_000
"""Rows from which reading a sheet shows a progress bar (on a terminal only)."""


def _with_progress(
    rows: Iterator[tuple[int, list[object]]], total: int, label: str
) -> Iterator[tuple[int, list[object]]]:
    """The rows, with a tqdm progress bar on standard error for a sheet of `PROGRESS_FROM` rows or more; tqdm shows
    nothing when standard error is not a terminal (a notebook, a pipe, a log)."""
    if total < PROGRESS_FROM:
        return rows
    from tqdm import tqdm

    return tqdm(rows, total=total, desc=label, unit=" rows", leave=False, disable=None, file=sys.stderr)


def _last_cell(buffer: bytes) -> int:
    """Where the buffer's last cell element starts (-1 if none)."""
    at = max(buffer.rfind(b"<c "), buffer.rfind(b":c "))
    return buffer.rfind(b"<", 0, at + 1) if at > 0 else -1


def _too_long(title: str | None) -> XlsxError:
    where = ("the sheet", "la hoja") if title else ("the workbook", "el libro")
    return XlsxError(
        f"{where[0]} holds a text longer than the 32,767 characters Excel allows in a cell (padding or a zip "
        "bomb?); allowed: a workbook saved by Excel or LibreOffice",
        f"{where[1]} contiene un texto más largo que los 32.767 caracteres que Excel admite en una celda (¿relleno "
        "o una bomba zip?); se admite: un libro guardado por Excel o LibreOffice",
        sheet=title,
    )


def _damaged_part(member: str, exc: BaseException) -> XlsxError:
    name = type(exc).__name__
    return XlsxError(
        f"part {member} cannot be read ({name}); the file is damaged; allowed: the workbook opened and saved again in "
        "Excel or LibreOffice",
        f"no se puede leer la parte {member} ({name}); el archivo está dañado; se admite: el libro abierto y guardado "
        "de nuevo en Excel o LibreOffice",
    )


def _damaged(title: str, exc: BaseException) -> XlsxError:
    name = type(exc).__name__
    return XlsxError(
        f"the sheet cannot be read ({name}); the file is damaged; allowed: the workbook opened and saved again "
        "in Excel or LibreOffice",
        f"no se puede leer la hoja ({name}); el archivo está dañado; se admite: el libro abierto y guardado de "
        "nuevo en Excel o LibreOffice",
        sheet=title,
    )


def column_number(letters: str) -> int:
    """A column's number from its letters (A is 1, XFD is 16,384).

    >>> column_number("A"), column_number("Z"), column_number("AA"), column_number("XFD")
    (1, 26, 27, 16384)
    """
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """A column's letters from its number (1 is A, 16,384 is XFD).

    >>> column_letters(1), column_letters(27), column_letters(16384)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
"""Parts of a number format that are shown as they are: quoted text, escaped characters, [colours]."""


def is_percent(number_format: str | None) -> bool:
    """Tell whether an Excel number format shows the value × 100 with a % sign (0%, 0.0 %), not a literal "%".

    >>> [is_percent(f) for f in ("0%", "0.0 %", '0" %"', "0\\\\%", "General", None)]
    [True, True, False, False, False, False]
    """
    return "%" in _LITERALS.sub("", number_format or "")


def shown_value(cell: object) -> object:
    """An openpyxl cell's value as a person sees it: a number formatted as a percentage (0.4 shown as 40 %) is 40."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_percent(cell.number_format):
        return round(value * 100, 10)
    return value


def open_xlsx(path: Path | str, limits: Limits = LIMITS) -> XlsxBook:
    """Open an .xlsx file for reading after checking its parts against `limits`; raise `XlsxError` if it fails."""
    return XlsxBook(Path(path), limits)
