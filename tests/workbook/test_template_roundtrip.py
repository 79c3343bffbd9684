"""A template filled in by a consultant loads as the same engagement as the CSV original."""

import pandas as pd
from openpyxl import load_workbook

import kamlib
from kamlib.workbook.template import write_template


def test_filled_template_loads(tmp_path, tiny_path, tiny):
    path = write_template(tmp_path / "plantilla.xlsx")
    book = load_workbook(path)
    plan = ("stakeholders", "kpis", "customers", "selection_scores")
    for sheet in ("accounts", "criteria", "scores", "kams", "time", *plan):
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        frame = pd.read_csv(tiny_path / f"{sheet}.csv", dtype=str, keep_default_na=False)
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            for column, value in zip(frame.columns, row, strict=True):
                if column in header and value != "":
                    ws.cell(row=i, column=header.index(column) + 1, value=value)
    book.save(path)
    engagement = kamlib.load(path)
    assert engagement.accounts[["account_id", "name", "revenue"]].equals(
        tiny.accounts[["account_id", "name", "revenue"]]
    )
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
