"""The corpus of bad workbooks: each gets exactly the lines a consultant must see, exit code 2, no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

import kamlib
from kamlib.cli import main

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").exists())


def workbook_of(case: str) -> Path:
    return next(p for p in (BAD / case).iterdir() if p.name.startswith("engagement"))


def test_the_corpus_covers_every_rule_the_issue_names():
    needed = {
        "missing_sheet",
        "missing_column",
        "wrong_type",
        "score_outside_scale",
        "unknown_account",
        "unknown_criterion",
        "unknown_kam",
        "duplicate_account",
        "all_weights_zero",
        "negative_weight",
        "negative_hours",
        "empty_file",
        "not_a_workbook",
        "bad_axis",
    }
    assert needed <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_bad_workbook_lists_every_problem(case, capsys):
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    with pytest.raises(kamlib.WorkbookError) as info:
        kamlib.load(workbook_of(case))
    assert info.value.render("en").splitlines() == expected
    assert main(["validate", str(workbook_of(case))]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == expected
    assert captured.out == ""


def test_messages_in_spanish():
    expected = (BAD / "many_problems" / "expected_es.txt").read_text(encoding="utf-8").splitlines()
    with pytest.raises(kamlib.WorkbookError) as info:
        kamlib.load(workbook_of("many_problems"))
    assert info.value.render("es").splitlines() == expected


def test_cli_prints_no_traceback_and_writes_nothing(tmp_path):
    out = tmp_path / "scored.csv"
    result = subprocess.run(
        [sys.executable, "-m", "kamlib.cli", "score", str(workbook_of("many_problems")), "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.splitlines() == (BAD / "many_problems" / "expected.txt").read_text(encoding="utf-8").splitlines()
    )
    assert list(tmp_path.iterdir()) == []
