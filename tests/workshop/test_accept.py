"""Accepting a workshop's scores: a new period in the workbook, one row per participant and cell, written as
`kam ingest` writes (validated first, atomic replace, a dated backup), on a CSV folder and on an .xlsx."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError, WorkbookError
from kamlib.scoring import score_table
from kamlib.workshop import accept_scores
from tests.conftest import copy_tiny
from tests.data.bad.make_corpus import xlsx_from_tiny

PERIOD = "2026-W1"


def room(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """Scores as `WorkshopStore.scores` gives them: account, criterion, score, participant's code."""
    frame = pd.DataFrame(rows, columns=["account_id", "criterion_id", "score", "assessor"])
    return frame.assign(score=frame["score"].astype(float), period=PERIOD)


TWO = room(
    [("A1", "volume", 4, "ana"), ("A1", "volume", 8, "ben"), ("A2", "growth", 3, "ana"), ("A2", "growth", 5, "ben")]
)
"""Two participants, two cells: the group's scores are A1 volume 6 and A2 growth 4."""


@pytest.fixture(params=["csv", "xlsx"])
def workbook(request, tmp_path: Path) -> Path:
    """The tiny engagement as a CSV folder and as an .xlsx workbook."""
    if request.param == "csv":
        return copy_tiny(tmp_path / "tiny")
    path = tmp_path / "tiny.xlsx"
    xlsx_from_tiny(path)
    return path


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file of a workbook by name: a folder's files, or the .xlsx itself (as "")."""
    if path.is_dir():
        return {f.name: f.read_bytes() for f in sorted(path.iterdir())}
    return {"": path.read_bytes()}


def beside(workbook: Path) -> list[str]:
    """What is beside the workbook: the workbook, its backups, and anything left behind."""
    return sorted(p.name for p in workbook.parent.iterdir())


def test_the_group_score_of_a_cell_is_the_mean_of_the_participants(workbook):
    before = kamlib.load(workbook)
    old = snapshot(workbook)
    backup = accept_scores(workbook, TWO, PERIOD)

    after = kamlib.load(workbook)
    assert after.periods == ["2025-H2", "2026-H1", PERIOD]
    accounts, criteria = list(after.accounts["account_id"]), list(after.criteria["criterion_id"])
    table, was = score_table(after), score_table(before)
    a1, a2, volume, growth = (
        accounts.index("A1"),
        accounts.index("A2"),
        criteria.index("volume"),
        criteria.index("growth"),
    )
    assert table[a1, volume] == 6 and table[a2, growth] == 4  # (4 + 8) / 2 and (3 + 5) / 2
    changed = np.zeros_like(table, dtype=bool)
    changed[a1, volume] = changed[a2, growth] = True
    np.testing.assert_array_equal(table[~changed], was[~changed])
    # A1's potential on 0–10: volume (weight 3) 6 and growth (weight 1) 7, both scored 1–10: 10·(3·5/9 + 6/9)/4
    scored = kamlib.score_accounts(after).set_index("account_id")
    assert scored.loc["A1", "potential"] == pytest.approx(10 * (3 * 5 / 9 + 6 / 9) / 4, abs=1e-6)

    new_rows = after.scores[after.scores["period"] == PERIOD]
    assert sorted(new_rows["assessor"]) == ["ana", "ana", "ben", "ben"]
    pd.testing.assert_frame_equal(
        after.scores[after.scores["period"] != PERIOD].reset_index(drop=True), before.scores.reset_index(drop=True)
    )
    assert snapshot(backup) == old
    assert beside(workbook) == sorted([workbook.name, backup.name])


def test_a_csv_folder_changes_only_by_the_new_rows_of_scores(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny")
    old = snapshot(workbook)
    accept_scores(workbook, TWO, PERIOD)
    new = snapshot(workbook)
    assert {name for name in old if new[name] != old[name]} == {"scores.csv"}
    added = "A1,volume,4,ana,2026-W1\nA1,volume,8,ben,2026-W1\nA2,growth,3,ana,2026-W1\nA2,growth,5,ben,2026-W1\n"
    assert new["scores.csv"] == old["scores.csv"] + added.encode()


def test_an_xlsx_keeps_every_other_sheet_value_for_value(tmp_path):
    from openpyxl import load_workbook

    workbook = tmp_path / "tiny.xlsx"
    xlsx_from_tiny(workbook)

    def values(path: Path) -> dict[str, list[tuple]]:
        book = load_workbook(path)
        try:
            return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        finally:
            book.close()

    old = values(workbook)
    accept_scores(workbook, TWO, PERIOD)
    new = values(workbook)
    assert list(new) == list(old)
    assert {title: rows for title, rows in new.items() if title != "scores"} == {
        title: rows for title, rows in old.items() if title != "scores"
    }
    assert new["scores"][: len(old["scores"])] == old["scores"]
    assert new["scores"][len(old["scores"]) :] == [
        ("A1", "volume", 4, "ana", PERIOD),
        ("A1", "volume", 8, "ben", PERIOD),
        ("A2", "growth", 3, "ana", PERIOD),
        ("A2", "growth", 5, "ben", PERIOD),
    ]


def test_a_score_out_of_scale_is_refused_and_nothing_changes(workbook):
    old = snapshot(workbook)
    listing = beside(workbook)
    bad = room([("A1", "service", 4, "ana"), ("A1", "service", 9, "ben")])  # service is scored 0 to 5
    with pytest.raises(WorkbookError, match=r'sheet "scores", row \d+, column "score": got 9; allowed: 0 to 5'):
        accept_scores(workbook, bad, PERIOD)
    assert snapshot(workbook) == old
    assert beside(workbook) == listing  # no backup, no scratch folder


@pytest.mark.parametrize("period", ["2026-H1", "2026-h1", " 2026-H1 "])
def test_a_period_the_workbook_has_is_refused_naming_its_periods(workbook, period):
    old = snapshot(workbook)
    listing = beside(workbook)
    message = (
        r"period '2026-[Hh]1' already has scores; the workshop's round must be a new period; the workbook has: "
        r"2025-H2, 2026-H1; nothing was written"
    )
    with pytest.raises(KamError, match=message):
        accept_scores(workbook, TWO, period)
    assert snapshot(workbook) == old and beside(workbook) == listing


def test_a_period_sorting_before_the_latest_is_refused(workbook):
    old = snapshot(workbook)
    with pytest.raises(KamError, match=r"period '2026-01' sorts before the workbook's latest, '2026-H1'") as info:
        accept_scores(workbook, TWO, "2026-01")
    assert "el periodo '2026-01' va antes que el último del libro, '2026-H1'" in info.value.render("es")
    assert snapshot(workbook) == old


def test_no_scores_or_an_empty_period_is_refused(workbook):
    with pytest.raises(KamError, match="no score to accept"):
        accept_scores(workbook, TWO.iloc[:0], PERIOD)
    for period in ("  ", "2026\nW1", "W" * 41, "2026-W1\u202e"):  # security review, finding 8
        with pytest.raises(KamError, match="allowed: a new label of 1 to 40 characters, no control or invisible"):
            accept_scores(workbook, TWO, period)
    with pytest.raises(KamError, match=r"missing column\(s\) assessor; allowed: account_id, criterion_id"):
        accept_scores(workbook, TWO.drop(columns="assessor"), PERIOD)


HOSTILE = '=HYPERLINK("x")'


def test_a_hostile_assessor_code_is_text_not_a_formula_in_the_xlsx(tmp_path):
    from openpyxl import load_workbook

    workbook = tmp_path / "tiny.xlsx"
    xlsx_from_tiny(workbook)
    accept_scores(workbook, room([("A1", "volume", 5, HOSTILE), ("A1", "volume", 7, "ben")]), PERIOD)
    book = load_workbook(workbook)
    try:
        cells = [c for row in book["scores"].iter_rows() for c in row if c.value == HOSTILE]
    finally:
        book.close()
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert HOSTILE in set(kamlib.load(workbook).scores["assessor"])


def test_a_hostile_assessor_code_is_neutralised_in_a_csv_folder_and_reads_back(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny")
    accept_scores(workbook, room([("A1", "volume", 5, HOSTILE), ("A1", "volume", 7, "ben")]), PERIOD)
    assert f"'{HOSTILE}" in (workbook / "scores.csv").read_text(encoding="utf-8").replace('""', '"')
    assert HOSTILE in set(kamlib.load(workbook).scores["assessor"])


def test_a_second_accept_keeps_a_backup_of_each(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny")
    first = accept_scores(workbook, TWO, PERIOD)
    second = accept_scores(workbook, TWO.assign(period="2026-W2"), "2026-W2")
    assert first != second and first.exists() and second.exists()
    assert kamlib.load(workbook).periods[-2:] == [PERIOD, "2026-W2"]
    assert kamlib.load(second).periods[-1] == PERIOD
    shutil.rmtree(first)
