"""A template filled in by a consultant loads: as the same engagement as the CSV original when its criteria are
replaced, and with the method's criteria and scoring guide when they are kept."""

import pandas as pd
from openpyxl import load_workbook

import kamlib
from kamlib.method import MATRIX_CRITERIA, SCORE_ANCHORS
from kamlib.workbook.guide import anchors
from kamlib.workbook.template import write_template


def fill(book, sheet, frame):
    """Write a frame's filled cells into a template sheet from row 2, under the headers of the same name."""
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for column, value in zip(frame.columns, row, strict=True):
            if column in header and value != "":
                ws.cell(row=i, column=header.index(column) + 1, value=value)


def test_filled_template_loads(tmp_path, tiny_path, tiny):
    path = write_template(tmp_path / "plantilla.xlsx")
    book = load_workbook(path)
    for sheet in ("criteria", "scoring_guide"):  # the engagement's own criteria replace the method's, guide and all
        book[sheet].delete_rows(2, book[sheet].max_row)
    plan = ("stakeholders", "kpis", "customers", "selection_scores")
    for sheet in ("accounts", "criteria", "scores", "kams", "time", *plan):
        fill(book, sheet, pd.read_csv(tiny_path / f"{sheet}.csv", dtype=str, keep_default_na=False))
    book.save(path)
    engagement = kamlib.load(path)
    assert engagement.accounts[["account_id", "name", "revenue"]].equals(
        tiny.accounts[["account_id", "name", "revenue"]]
    )
    assert engagement.scoring_guide.empty
    pd.testing.assert_frame_equal(
        kamlib.score_accounts(engagement)[["potential", "position", "quadrant"]],
        kamlib.score_accounts(tiny)[["potential", "position", "quadrant"]],
    )
    # the key-account plan's sheets read back as from the CSV files
    from kamlib.plan.scorecard import portfolio_scorecard
    from kamlib.plan.selection import select_accounts
    from kamlib.plan.stakeholders import coverage

    pd.testing.assert_frame_equal(coverage(engagement), coverage(tiny))
    pd.testing.assert_frame_equal(portfolio_scorecard(engagement), portfolio_scorecard(tiny))
    pd.testing.assert_frame_equal(select_accounts(engagement).customers, select_accounts(tiny).customers)


def test_template_with_the_methods_criteria_kept_loads_with_its_guide(tmp_path, tiny_path):
    path = write_template(tmp_path / "plantilla.xlsx")
    book = load_workbook(path)
    for sheet in ("accounts", "kams", "time"):
        fill(book, sheet, pd.read_csv(tiny_path / f"{sheet}.csv", dtype=str, keep_default_na=False))
    ids = [row[0] for row in MATRIX_CRITERIA]
    scores = pd.DataFrame(
        [(a, c, 1 + (i * 3 + j * 2) % 10) for i, a in enumerate(["A1", "A2", "A3", "A4"]) for j, c in enumerate(ids)],
        columns=["account_id", "criterion_id", "score"],
    )
    fill(book, "scores", scores)
    book.save(path)
    engagement = kamlib.load(path)
    assert engagement.criteria["criterion_id"].tolist() == ids
    assert engagement.criteria["weight"].tolist() == [1.0] * len(ids)
    assert engagement.scoring_guide.to_numpy().tolist() == [list(row) for row in SCORE_ANCHORS]
    assert kamlib.score_accounts(engagement)["quadrant"].notna().all()
    for criterion_id in ids:
        for lang in ("es", "en"):
            found = anchors(engagement.scoring_guide, criterion_id, lang)
            assert [a.score for a in found] == [1.0, 4.0, 7.0, 10.0]
            assert {a.lang for a in found} == {lang}
    assert "; scoring guide: 40 levels for 10 criteria" in engagement.summary("en")
