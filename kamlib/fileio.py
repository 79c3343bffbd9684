"""Atomic file writes: every output goes to a temp file beside its target, then is renamed over it.

A crash, a full disk or a bad input mid-way never leaves a half-written file behind. Tables are written so
that no text from a workbook becomes a live formula in a spreadsheet (CSV or formula injection): in .xlsx every
text is a text cell, in CSV a text that a spreadsheet would read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
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
    """Yield temp paths beside several targets; only when all were written are they renamed onto the targets,
    all or none (`replace_all`).

    So a command that writes a table and three charts writes all four or none. Temp files a killed run left
    beside these targets are removed first (`remove_stale`).
    """
    targets = [Path(t) for t in targets]
    for target in targets:
        if target.is_dir():
            raise KamError(f"{target}: is a folder; give a file name", f"{target}: es una carpeta; indique un archivo")
    temps: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(target.parent, f".{target.name}.")
            fd, tmp = tempfile.mkstemp(
                prefix=_owned(f".{target.name}."), suffix=".tmp" + target.suffix, dir=target.parent
            )
            os.close(fd)
            temps.append(Path(tmp))
            os.chmod(tmp, _new_file_mode(target))
        yield temps
        replace_all(list(zip(temps, targets, strict=True)))
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


class PartlyWritten(KamError):
    """Renaming new files onto their targets failed part-way: what failed, and whether every target is as it
    was (`restored`) or which ones are new (`new`)."""

    def __init__(self, failed: Path, reason: OSError, new: list[Path]):
        self.failed, self.new, self.restored = failed, new, not new
        why = reason.strerror or type(reason).__name__
        if self.restored:
            en = f"{failed}: cannot be replaced ({why}: open in another program?); nothing was changed"
            es = f"{failed}: no se puede sustituir ({why}: ¿abierto en otro programa?); no se ha cambiado nada"
        else:
            names = ", ".join(str(p) for p in new)
            en = (
                f"{failed}: cannot be replaced ({why}: open in another program?); {names} could not be put back "
                "and hold the new version, every other file the old one"
            )
            es = (
                f"{failed}: no se puede sustituir ({why}: ¿abierto en otro programa?); {names} no se han podido "
                "restaurar y tienen la versión nueva, los demás archivos la anterior"
            )
        super().__init__(en, es)


def replace_all(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Rename each new file onto its target, all or none.

    Each target is first kept as a hidden link (or copy) beside it; if a rename fails (a file locked by
    Excel on Windows), the targets already replaced are put back and `PartlyWritten` says so.
    """
    done: list[tuple[Path, Path | None]] = []
    try:
        for new, target in pairs:
            kept = _keep(target)
            try:
                os.replace(new, target)
            except OSError:
                if kept is not None:
                    kept.unlink(missing_ok=True)
                raise
            done.append((target, kept))
    except OSError as exc:
        raise PartlyWritten(target, exc, _put_back(done)) from None
    for _, kept in done:
        if kept is not None:
            kept.unlink(missing_ok=True)


def _keep(target: Path) -> Path | None:
    """A hidden second name (a hard link, else a copy) for an existing target, to put it back; None if none."""
    if not target.exists():
        return None
    fd, name = tempfile.mkstemp(prefix=_owned(f".{target.name}."), suffix=".undo", dir=target.parent)
    os.close(fd)
    kept = Path(name)
    kept.unlink()
    try:
        os.link(target, kept)
    except OSError:  # a file system without hard links
        shutil.copy2(target, kept)
    return kept


def _put_back(done: list[tuple[Path, Path | None]]) -> list[Path]:
    """Undo the renames of `done`, last first; return the targets that could not be put back."""
    left = []
    for target, kept in reversed(done):
        try:
            if kept is None:
                target.unlink()
            else:
                os.replace(kept, target)
        except OSError:
            left.append(target)
    return left


def _owned(prefix: str) -> str:
    """A temp name's prefix carrying this process's id, so that a later run can tell it was left behind."""
    return f"{prefix}{os.getpid()}-"


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists (a zombie does). Where that cannot be asked safely (Windows, whose
    os.kill would end the process), every process is taken to be alive."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove what a killed run left in `folder`: files and folders named `<prefix><pid>-…` of this user whose
    process `pid` has ended (temp files, kept copies, scratch folders); return them. A symbolic link is never
    followed nor removed."""
    removed = []
    for path in sorted(folder.glob(glob.escape(prefix) + "*")):
        owner = re.match(r"([1-9][0-9]*)-", path.name[len(prefix) :])
        if owner is None or process_alive(int(owner.group(1))) or not _mine(path):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _mine(path: Path) -> bool:
    """Whether `path` is a file or folder (not a link) of the user running this (on Windows: any)."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return not stat.S_ISLNK(status.st_mode) and (not hasattr(os, "getuid") or status.st_uid == os.getuid())


Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(workbook: Path) -> Fingerprint:
    """The workbook's files (the .xlsx, or a folder's CSV files) with their sizes and modification times: it
    changes when any of them is saved."""
    files = sorted(p for p in workbook.iterdir() if p.suffix.lower() == ".csv") if workbook.is_dir() else [workbook]
    return tuple((p.name, (st := p.stat()).st_size, st.st_mtime_ns) for p in files if p.is_file())


_LOCKS: dict[Path, object] = {}


@contextmanager
def workbook_lock(workbook: Path | str, wait: float = 60.0) -> Iterator[None]:
    """Hold a workbook's lock while reading, checking and replacing it: a second writer on this machine waits
    up to `wait` seconds, then is refused. Re-entrant within one process.

    The lock (filelock's, which the operating system releases when the process ends, however it ends) is a
    file in the temporary folder named after the workbook's full path, so nothing is left beside the
    client's files; any user of the machine may take it.
    """
    from filelock import FileLock, Timeout

    workbook = Path(workbook).resolve()
    digest = hashlib.sha256(os.fsencode(workbook)).hexdigest()[:32]
    path = Path(tempfile.gettempdir()) / f"kam-workbook-{digest}.lock"
    lock = _LOCKS.setdefault(path, FileLock(path, mode=0o666))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise KamError(
            f"{workbook.name}: another kam command is writing this workbook; waited {wait:.0f} s; nothing was "
            "written; run again when it has finished",
            f"{workbook.name}: otra orden kam está escribiendo este libro; se ha esperado {wait:.0f} s; no se ha "
            "escrito nada; vuelva a ejecutarla cuando termine",
        ) from None
    try:
        yield
    finally:
        lock.release()


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


def unneutralise(value: object) -> object:
    """A CSV text as it was before `neutralise`: "'=1+1" is "=1+1" again (a spreadsheet hides the apostrophe too).

    So an id kam ingest wrote as "'-C900" reads back as "-C900", the id the ledger gives.

    >>> unneutralise("'=1+1"), unneutralise("'-C900"), unneutralise("'tis"), unneutralise(7)
    ('=1+1', '-C900', "'tis", 7)
    """
    return value[1:] if isinstance(value, str) and value[:1] == "'" and value[1:2].startswith(FORMULA_START) else value


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
