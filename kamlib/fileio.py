"""Atomic file writes: every output goes to a temp file beside its target, then is renamed over it.

A crash, a full disk or a bad input mid-way never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import pandas as pd


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success rename it onto `target`, on error remove it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _new_file_mode(target))
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


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


def write_table(frame: pd.DataFrame, target: Path | str | TextIO) -> None:
    """Write a table as CSV (UTF-8) or .xlsx by the target's suffix, atomically; a text stream gets CSV."""
    if not isinstance(target, (str, Path)):
        frame.to_csv(target, index=False)
        return
    target = Path(target)
    with atomic_path(target) as tmp:
        if target.suffix.lower() == ".xlsx":
            frame.to_excel(tmp, index=False, engine="openpyxl")
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8")
