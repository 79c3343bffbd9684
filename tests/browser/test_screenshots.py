"""The documentation's screenshots come from a script, so they stay current: it runs on the bundled sample and
writes every picture the docs show."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PICTURES = ("live-matrix-en.png", "live-matrix-es.png", "dashboard-en.png", "account-report-en.png")


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_screenshot_script_writes_every_picture_the_docs_show(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in PICTURES:
        picture = tmp_path / name
        assert png_size(picture) == (1280, 800) and picture.stat().st_size <= 300_000, name
        assert (ROOT / "docs" / "img" / name).exists()  # the docs' copy, made by this script
