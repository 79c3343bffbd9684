"""What a report folder records about what it was made from: the engagement record file beside the reports
(which `kam serve DIR/<engagement>` reads to find the workbook) and the digest of every input, so that only what
changed is redone."""

from __future__ import annotations

import hashlib
from pathlib import Path

ENGAGEMENT_RECORD = "engagement.json"
"""The file in a report folder `DIR/<engagement>/` that names the workbook, scenario and settings it was made from."""


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
