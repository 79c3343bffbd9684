"""The README's main job (`python3 scripts/dev.py demo`) on the bundled sample engagement."""

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_demo_scores_the_sample_and_writes_table_and_charts(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert dev.demo(tmp_path, Path(sys.executable)) == 0
    scored = pd.read_csv(tmp_path / "scored.csv")
    assert len(scored) == 48 and scored["placed"].all()
    assert set(scored["quadrant"]) == {"invest", "selective", "maintain", "milk"}
    assert (tmp_path / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "matrix.svg").read_text(encoding="utf-8")
    assert "vegaEmbed" in (tmp_path / "matrix.html").read_text(encoding="utf-8")
    assert "kam-app" in (tmp_path / "live_matrix.html").read_text(encoding="utf-8")
    time = pd.read_csv(tmp_path / "time.csv", encoding="utf-8-sig")
    assert set(time["kam_id"].dropna()) == {f"K0{i}" for i in range(1, 8)} and "tvd" in time
    assert (tmp_path / "time" / "strategy_time.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote the KAMs' time allocation" in capsys.readouterr().out
