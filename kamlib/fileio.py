"""Atomic file writes: every output goes to a temp file beside its target, then is renamed over it.

A crash, a full disk or a bad input mid-way never leaves a half-written file behind. Tables are written so
that no text from a workbook becomes a live formula in a spreadsheet (CSV or formula injection): in .xlsx every
text is a text cell, in CSV a text that a spreadsheet would read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import pandas as pd

from kamlib.errors import KamError


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success rename it onto `target`, on error remove it."""
    with atomic_paths([target]) as (tmp,):
        yield tmp


@contextmanager
def atomic_paths(targets: Sequence[Path | str]) -> Iterator[list[Path]]:
    """Yield temp paths beside several targets; only when all were written are they renamed onto the targets.

    So a command that writes a table and three charts writes all four or none.
    """
    targets = [Path(t) for t in targets]
    for target in targets:
        if target.is_dir():
            raise KamError(f"{target}: is a folder; give a file name", f"{target}: es una carpeta; indique un archivo")
    temps: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix, dir=target.parent)
            os.close(fd)
            temps.append(Path(tmp))
            os.chmod(tmp, _new_file_mode(target))
        yield temps
        for tmp, target in zip(temps, targets, strict=True):
            os.replace(tmp, target)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _new_file_mode(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual 0o666 less the umask (mkstemp uses 0o600)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(target: Path | str, text: str) -> Path:
    """Write text (UTF-8) to `target` atomically and return its path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula in a CSV cell (OWASP, CSV injection)."""


def neutralise(value: object) -> object:
    """A text that a spreadsheet would read as a formula, with an apostrophe in front; anything else as it is.

    >>> neutralise("=1+1"), neutralise("-2+3"), neutralise(-2.5), neutralise("A-1")
    ("'=1+1", "'-2+3", -2.5, 'A-1')
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header neutralised (numbers untouched)."""
    safe = frame.rename(columns=neutralise)
    for i in range(safe.shape[1]):
        values = safe.iloc[:, i]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            safe.isetitem(i, values.map(neutralise))
    return safe


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Write the frame to one sheet with every text as a text cell: openpyxl would store a text starting with
    "=" as a formula, which Excel calculates on opening."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False)
        for row in next(iter(writer.sheets.values())).iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_table(frame: pd.DataFrame, target: Path | str | TextIO) -> None:
    """Write a table as CSV or .xlsx by the target's suffix, atomically; a text stream gets CSV.

    CSV files are UTF-8 with a byte-order mark, so that Excel shows accents and ñ right. No text becomes a formula
    (see the module's docstring).
    """
    if not isinstance(target, (str, Path)):
        _csv_safe(frame).to_csv(target, index=False)
        return
    target = Path(target)
    with atomic_path(target) as tmp:
        if target.suffix.lower() == ".xlsx":
            _write_xlsx(frame, tmp)
        else:
            _csv_safe(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
