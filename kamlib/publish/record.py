"""What a report folder records about what it was made from: the engagement record file beside the reports
(which `kam serve DIR/<engagement>` reads to find the workbook) and the digest of every input, so that only what
changed is redone.

A report folder is handed to the client: no file in it names a path of the consultant's machine. Every path
written into one (the record, a report notebook's parameters) is relative to the folder of the file that holds
it (`recorded_path`), and whatever reads it back resolves it against that folder (`resolve_recorded`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENGAGEMENT_RECORD = "engagement.json"
"""The file in a report folder `DIR/<engagement>/` that names the workbook, scenario and settings it was made from."""
RECORDED = ("workbook", "scenario", "assignment")
"""What the record names, each a path relative to its folder or null (the bundled sample; no scenario; no settings)."""


def inputs_digest(workbook: Path, *files: Path | None) -> str:
    """Hash what every report depends on: the workbook's files, the other input files given (scenario,
    assignment settings; None = not given), and kamlib's own code."""
    digest = hashlib.sha256()
    sheets = sorted(workbook.glob("*.csv")) if workbook.is_dir() else [workbook]
    code = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
    for path in [*sheets, *(f for f in files if f is not None), *code]:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def recorded_path(path: Path | str | None, folder: Path | str) -> str | None:
    """`path` as a file in `folder` records it: relative to `folder`, with `/` on every system (None stays None).

    >>> recorded_path("/home/ana/clients/acme/book.xlsx", "/home/ana/clients/acme/reports/acme")
    '../../book.xlsx'

    On Windows a path on another drive than `folder` has no relative form: it is kept whole, the one case
    where a recorded path names more than the way from `folder` to the file.
    """
    if path is None:
        return None
    target, base = os.path.realpath(path), os.path.realpath(folder)
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive (Windows)
        return target


def resolve_recorded(value: object, folder: Path | str) -> Path | None:
    """A path read from a file in `folder` (`recorded_path`), back to the file it names; empty or None is None.

    An absolute path (a record written before paths were relative) is taken as it is.

    >>> book = resolve_recorded("../../book.xlsx", "/home/ana/clients/acme/reports/acme")
    >>> book == Path("/home/ana/clients/acme/book.xlsx").resolve()
    True
    """
    if value is None or value == "":
        return None
    return (Path(folder).resolve() / str(value)).resolve()
