"""`kam compare`: the movers between two scenarios (or the workbook's weights and one), bad requests exit 2."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kamlib.scenarios.compare import MOVER_COLUMNS
from tests.kam import run_kam


@pytest.fixture
def scenarios(tmp_path):
    """tiny by hand (tests/test_compare.py): position cut 3; incidents weighted 3 lifts A2 from 2.67 to 3.2."""
    cut3 = tmp_path / "cut3.yaml"
    cut3.write_text("name: cut3\ncuts: {position: 3}\n", encoding="utf-8")
    incidents = tmp_path / "incidents.yaml"
    incidents.write_text("name: incidents\nweights: {incidents: 3}\ncuts: {position: 3}\n", encoding="utf-8")
    return cut3, incidents


def test_compare_writes_the_movers_and_says_what_changed(tmp_path, tiny_path, scenarios):
    out = tmp_path / "movers.csv"
    result = run_kam("compare", tiny_path, *scenarios, "--out", out)
    assert result.returncode == 0, result.stderr
    movers = pd.read_csv(out, encoding="utf-8-sig")
    assert list(movers.columns) == list(MOVER_COLUMNS)
    assert movers[["account_id", "quadrant_before", "quadrant_after"]].values.tolist() == [
        ["A2", "selective", "invest"]
    ]
    assert movers.loc[0, "position_after"] == pytest.approx(3.2)
    assert "From “cut3” to “incidents”." in result.stderr and "1 Selective investment → Invest" in result.stderr


def test_one_scenario_is_compared_with_the_workbooks_weights(tiny_path, scenarios):
    result = run_kam("--lang", "es", "compare", tiny_path, scenarios[1])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(MOVER_COLUMNS)
    assert "«incidents»" in result.stderr and "pesos del libro" in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["{s}", "{s}", "{s}"], "compare takes one or two scenarios, not 3"),
        (["missing.yaml"], "missing.yaml: no such scenario file"),
        (["{s}", "--out", "m.txt"], "unsupported table format '.txt'"),
    ],
)
def test_bad_requests_exit_2_and_write_nothing(tmp_path, tiny_path, scenarios, extra, message):
    args = [str(scenarios[0]) if a == "{s}" else a for a in extra]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_kam("compare", tiny_path, *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_account_left_out_is_warned_of_once_not_once_per_scoring(tmp_path, tiny_path, scenarios):
    book = tmp_path / "tiny"
    shutil.copytree(tiny_path, book)
    scores = book / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not (line.startswith("A4,service") or line.startswith("A4,incidents"))]
    scores.write_text("".join(kept), encoding="utf-8")
    result = run_kam("compare", book, *scenarios)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("left out of the matrix") == 1
