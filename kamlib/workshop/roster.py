"""The participants' list a consultant brings (`kam workshop WB --participants P.csv`), read as a hostile file.

A CSV with a header row naming `code`, `name` and optionally `side` (`ours` or `customer`), in any order, comma,
semicolon or tab separated, UTF-8 or Windows-1252 (`kamlib.workbook.csvtext`: a stray byte or quote is named
by line). Nothing in a cell runs: a cell that looks like a formula is a name like any other, shown as text.
Every bad row is named at once (`kamlib.workshop.checks.check_participants`), with the file.
"""

from __future__ import annotations

from pathlib import Path

from kamlib.errors import KamError
from kamlib.i18n import number_text
from kamlib.workbook.csvtext import UnreadableText, decode, records, sniff_delimiter
from kamlib.workshop.participants import MAX_SEATS

MAX_BYTES = 1_000_000
"""The largest participants' file read (a room of 500 people takes under 40 KB)."""
COLUMNS = ("code", "name", "side")


def read_roster(path: Path | str) -> list[dict[str, str]]:
    """Return the rows of a participants' file as dicts of its `COLUMNS` (side "" where not given), or raise
    one `KamError` naming the file and what is wrong: not there, too large, unreadable text, no `code` or
    `name` column, an unknown column."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise KamError(
            f"{path}: cannot read the participants' file ({exc.strerror or exc})",
            f"{path}: no se puede leer el archivo de participantes ({exc.strerror or exc})",
        ) from exc
    if len(data) > MAX_BYTES:
        most = {lang: number_text(MAX_BYTES, lang, 0) for lang in ("en", "es")}
        raise KamError(
            f"{path}: the participants' file is larger than {most['en']} bytes; allowed: a list of code, name, side",
            f"{path}: el archivo de participantes supera {most['es']} bytes; se admite: una lista de code, name, side",
        )
    try:
        text, _ = decode(data)
        found = records(text, sniff_delimiter(text))
    except UnreadableText as exc:
        raise KamError(
            f"{path}: line {exc.line}: {exc.detail['en']}", f"{path}: línea {exc.line}: {exc.detail['es']}"
        ) from exc
    unclosed = [r for r in found if r.open_at_end]
    if unclosed:
        line = unclosed[0].first_line
        raise KamError(
            f"{path}: line {line}: a quote opened there is never closed; allowed: text in matching quotes",
            f"{path}: línea {line}: unas comillas abiertas ahí no se cierran nunca; se admite: texto entre comillas "
            "que se cierran",
        )
    rows = [r.cells for r in found if any(c.strip() for c in r.cells)]
    if not rows:
        raise KamError(
            f"{path}: no participant; allowed: a header row code, name (side optional) and a row per participant",
            f"{path}: ningún participante; se admite: una fila de cabecera code, name (side opcional) y una fila "
            "por participante",
        )
    header = [c.strip().lower() for c in rows[0]]
    unknown = [c for c in header if c and c not in COLUMNS]
    missing = [c for c in COLUMNS[:2] if c not in header]
    if unknown or missing:
        what_en = f"unknown column {unknown[0]!r}" if unknown else f"no column {missing[0]!r}"
        what_es = f"columna desconocida {unknown[0]!r}" if unknown else f"falta la columna {missing[0]!r}"
        raise KamError(
            f"{path}: {what_en}; allowed: code, name, side (side optional)",
            f"{path}: {what_es}; se admite: code, name, side (side opcional)",
        )
    if len(rows) - 1 > MAX_SEATS:
        raise KamError(
            f"{path}: {len(rows) - 1} participants; allowed: up to {MAX_SEATS}",
            f"{path}: {len(rows) - 1} participantes; se admite: hasta {MAX_SEATS}",
        )
    at = {c: header.index(c) for c in COLUMNS if c in header}
    return [{c: _cell(cells, at.get(c)) for c in COLUMNS} for cells in rows[1:]]


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip() if at is not None and at < len(cells) else ""


__all__ = ["MAX_BYTES", "read_roster"]
