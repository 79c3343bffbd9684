"""A CSV file's bytes as text and records, read without guessing: a byte or a quote that does not fit is named.

Excel saves CSV as UTF-8 ("CSV UTF-8") or, on Windows, in Windows-1252. A file wholly in either is read; a
UTF-8 file with one Windows-1252 byte pasted in (a name typed in another program) is refused with its line
and byte, since decoding it all as Windows-1252 would garble every accent ("distribuciÃ³n"). Records keep
the lines they span, so a stray quote that swallows the rows below it can be told from a text with a line
break (`kamlib.workbook.read` checks the spans against the sheet's columns). A file whose every record is one
line, as most are, is split at C speed instead (`split_grid`), into the same cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

DELIMITERS = (",", ";", "\t")

_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A character beyond ASCII as UTF-8 writes it; Windows-1252 text practically never holds one."""


class UnreadableText(ValueError):
    """A CSV file that cannot be read as it stands, with the line and what is wrong there, in both languages."""

    def __init__(self, line: int, en: str, es: str):
        super().__init__(f"line {line}: {en}")
        self.line = line
        self.detail = {"en": en, "es": es}


class Record(NamedTuple):
    """One CSV record: its number (the row a spreadsheet shows), the first and last line it spans, its cells."""

    number: int
    first_line: int
    last_line: int
    cells: list[str]
    open_at_end: bool = False
    """The file ends inside this record's last cell: a quote opened there is never closed."""


def decode(data: bytes) -> tuple[str, str]:
    """Return the text of a CSV file and its encoding: "utf-8-sig" (with a byte-order mark), "utf-8", "cp1252" or
    "utf-16" (with its byte-order mark). A NUL character means the file is no text: refused, naming its line.

    >>> decode("año".encode("cp1252")), decode("año".encode()), decode(b"\\xef\\xbb\\xbfa")
    (('año', 'cp1252'), ('año', 'utf-8'), ('a', 'utf-8-sig'))
    >>> decode("distribución\\nPeña".encode() + b"\\xf1a")
    Traceback (most recent call last):
    kamlib.workbook.csvtext.UnreadableText: line 2: byte 0xF1 is not UTF-8, while the rest of the file is ...
    """
    text, encoding = _decoded(data)
    if "\x00" in text:
        raise UnreadableText(
            text.count("\n", 0, text.index("\x00")) + 1,
            "a NUL character: this is not a text file; allowed: a CSV file saved as text",
            "un carácter NUL: no es un archivo de texto; se admite: un CSV guardado como texto",
        )
    return text, encoding


def _decoded(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _bad_byte(data, exc.start, "UTF-16") from None
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            raise _bad_byte(data, exc.start, "UTF-8") from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252
        raise _bad_byte(data, exc.start, "Windows-1252") from None


def _bad_byte(data: bytes, at: int, rest: str) -> UnreadableText:
    line = data.count(b"\n", 0, at) + 1
    byte = f"0x{data[at]:02X}"
    if rest == "UTF-8":
        return UnreadableText(
            line,
            f"byte {byte} is not UTF-8, while the rest of the file is (a text pasted from another program?); allowed: "
            "a file wholly in UTF-8 (Excel: save as CSV UTF-8) or wholly in Windows-1252",
            f"el byte {byte} no es UTF-8 y el resto del archivo sí (¿un texto pegado de otro programa?); se admite: "
            "un archivo todo en UTF-8 (Excel: guardar como CSV UTF-8) o todo en Windows-1252",
        )
    if rest == "UTF-16":
        return UnreadableText(
            line,
            f"byte {byte} breaks the file's UTF-16 text; allowed: a file saved as CSV UTF-8",
            f"el byte {byte} rompe el texto UTF-16 del archivo; se admite: un archivo guardado como CSV UTF-8",
        )
    return UnreadableText(
        line,
        f"byte {byte} is neither UTF-8 nor Windows-1252 text; allowed: a file saved as CSV UTF-8",
        f"el byte {byte} no es texto UTF-8 ni Windows-1252; se admite: un archivo guardado como CSV UTF-8",
    )


def sniff_delimiter(text: str) -> str:
    """The most frequent of , ; and tab in the first non-blank line (a comma when none is there)."""
    head = text[:65536]  # the first line is most often here: a long file is not split whole for it
    lines = head.splitlines()[: None if head == text else -1]  # the last line of `head` may go on past it
    first_line = next((line for line in lines if line.strip()), None)
    if first_line is None:
        first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first_line.count)


def records(text: str, delimiter: str) -> list[Record]:
    """Split CSV text into records (blank lines are records with no cells), each with the lines it spans.

    Line ends may be \\n, \\r\\n or \\r. A file the csv module cannot split (a NUL character, a cell longer than
    its limit) raises `UnreadableText` naming the line.

    >>> [r[:3] for r in records('a,b\\n1,"x\\ny"\\n2,z\\n', ",")]
    [(1, 1, 1), (2, 2, 3), (3, 4, 4)]
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[Record] = []
    line = 1
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > EXCEL_COLUMNS:
                raise _too_wide(line)
            found.append(Record(number, line, reader.line_num, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _split_error(line, str(exc)) from None
    if found and _open_at_end(_last_lines(text, found[-1].last_line - found[-1].first_line + 1), delimiter):
        found[-1] = found[-1]._replace(open_at_end=True)  # the csv module accepts the end of the file in a quote
    return found


def _open_at_end(text: str, delimiter: str) -> bool:
    """Whether CSV text ends inside a quoted cell (the csv module's strict mode says so; its default does not).

    >>> _open_at_end('K07,"1620,7', ","), _open_at_end('K07,"1620,7"\\n', ","), _open_at_end('x,5" screen', ",")
    (True, False, False)
    """
    try:
        list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _last_lines(text: str, count: int) -> str:
    """The text's last `count` lines (line ends \\n, \\r\\n or \\r, as the csv module counts them).

    >>> _last_lines("a\\r\\nb\\rc\\nd\\n", 2), _last_lines("a\\nb", 5)
    ('c\\nd\\n', 'a\\nb')
    """
    pos = len(text) - (2 if text.endswith("\r\n") else 1 if text.endswith(("\n", "\r")) else 0)
    start = 0
    for _ in range(count):
        found = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos))
        if found < 0:
            return text
        start = found + 1
        pos = found - 1 if text[found] == "\n" and found > 0 and text[found - 1] == "\r" else found
    return text[start:]


class Grid(NamedTuple):
    """A CSV file's records as arrays: record r (numbered r + 1, as `records` numbers it) holds the cells
    `texts[codes[offsets[r]:offsets[r + 1]]]`; each distinct text is held once, however often it repeats."""

    offsets: np.ndarray
    codes: np.ndarray
    texts: list[str]


def split_grid(text: str, delimiter: str) -> Grid | None:
    """Split CSV text as `records` does, at C speed, when every record is one line; None when one is not (a quoted
    cell with a line break, a quote left open), or a line is too long or cannot be split: `records` then says
    how the file reads, with its errors.

    A line of more cells than Excel has columns raises `UnreadableText` before anything is split.

    Lines without a quote are split at the delimiter, as the csv module does; lines with one are split by the
    csv module itself, one line at a time. A blank line is a record of one empty cell here and of none in
    `records`: either way a blank row.

    >>> found = split_grid('a,b\\r\\n1,"x,y"\\n\\n2', ",")
    >>> found.offsets.tolist(), [found.texts[c] for c in found.codes]
    ([0, 2, 4, 5, 6], ['a', 'b', '1', 'x,y', '', '2'])
    >>> split_grid('a,b\\n1,"x\\ny"\\n', ",") is None
    True
    """
    import pyarrow as pa  # imported here: only a CSV folder needs it
    import pyarrow.compute as pc

    if "\x00" in text:  # `decode` refuses it already; `records` says where
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # the line ends io.StringIO(newline="") knows
    try:
        whole = pa.array([text], pa.large_string())
    except (pa.ArrowException, UnicodeError):  # a lone surrogate, which no decoded file holds
        return None
    lines = pc.split_pattern(whole, "\n").flatten()
    ended = text.endswith("\n") or not text
    if ended:
        lines = lines.slice(0, len(lines) - 1)
    if len(lines) and pc.max(pc.utf8_length(lines)).as_py() > csv.field_size_limit():
        return None
    widths = pc.count_substring(lines, delimiter)
    if len(lines) and pc.max(widths).as_py() >= EXCEL_COLUMNS:
        raise _too_wide(int(np.argmax(widths.to_numpy(zero_copy_only=False))) + 1)
    cells = pc.split_pattern(lines, delimiter)
    quoted = np.flatnonzero(pc.match_substring(lines, '"').to_numpy(zero_copy_only=False))
    if len(quoted):
        texts = [line + "\n" for line in lines.take(quoted).to_pylist()]
        if not ended and quoted[-1] == len(lines) - 1:
            texts[-1] = texts[-1][:-1]  # the file's last line, which nothing ends
        split = _quoted_lines(texts, delimiter)
        if split is None or (quoted[-1] == len(lines) - 1 and _open_at_end(texts[-1], delimiter)):
            return None  # `records` says where the quote opens
        order = np.arange(len(lines))
        order[quoted] = len(lines) + np.arange(len(quoted))
        cells = pa.concat_arrays([cells, pa.array(split, cells.type)]).take(order)
    encoded = pc.dictionary_encode(cells.flatten())
    offsets = cells.offsets.to_numpy().astype(np.int64)
    return Grid(
        offsets=offsets - offsets[0],
        codes=encoded.indices.to_numpy(),
        texts=encoded.dictionary.to_pylist(),
    )


def _quoted_lines(lines: list[str], delimiter: str) -> list[list[str]] | None:
    """Each line's cells as the csv module splits it (lines with their "\\n", but for the file's last one when
    nothing ends it), or None if a line leaves a quote open (its record would go on into the next line) or the
    csv module refuses one."""
    try:
        split = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None
    if len(split) != len(lines) or (split and any("\n" in cell for cell in split[-1])):
        return None  # one line went on into the next, or the last one ended in an open quote
    return split


def records_grid(found: list[Record]) -> Grid:
    """The records' cells as a `Grid` (record r numbered r + 1, as `records` numbers them), however many lines
    each spans.

    >>> found = records_grid(records('a,b\\n1,"x\\ny"\\n', ","))
    >>> found.offsets.tolist(), [found.texts[c] for c in found.codes]
    ([0, 2, 4], ['a', 'b', '1', 'x\\ny'])
    """
    widths = np.fromiter((len(r.cells) for r in found), dtype=np.int64, count=len(found))
    cells = np.empty(int(widths.sum()), dtype=object)
    cells[:] = list(itertools.chain.from_iterable(r.cells for r in found))
    codes, texts = pd.factorize(cells)
    return Grid(offsets=np.concatenate([[0], np.cumsum(widths)]), codes=codes, texts=list(texts))


EXCEL_COLUMNS = 16_384
"""Excel's last column, XFD: no sheet saved as CSV has a line of more cells."""


def _too_wide(line: int) -> UnreadableText:
    return UnreadableText(
        line,
        f"more than {EXCEL_COLUMNS:,} cells on one line, more columns than Excel has; allowed: a sheet saved by "
        "Excel or LibreOffice",
        f"más de {EXCEL_COLUMNS:,} celdas en una línea, más columnas de las que tiene Excel; se admite: una hoja "
        "guardada por Excel o LibreOffice".replace(",", "."),
    )


def _split_error(line: int, message: str) -> UnreadableText:
    if "field larger than field limit" in message:
        limit = f"{csv.field_size_limit():,}"
        return UnreadableText(
            line,
            f"a cell longer than {limit} characters (often a quote that is never closed); allowed: shorter cells",
            f"una celda de más de {limit.replace(',', '.')} caracteres (a menudo unas comillas que no se cierran); "
            "se admite: celdas más cortas",
        )
    if "NUL" in message:
        return UnreadableText(
            line,
            "a NUL character: this is not a text file; allowed: a CSV file saved as text",
            "un carácter NUL: no es un archivo de texto; se admite: un CSV guardado como texto",
        )
    return UnreadableText(line, f"cannot be split into cells ({message})", f"no se puede dividir en celdas ({message})")
