"""A formula without a stored value in an optional column is said, not read as "not given" (an empty review date
would flag the plan as never reviewed); a formula that gave an empty text stays an empty cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

import kamlib
from kamlib.errors import WorkbookError
from tests.conftest import ROOT

SHEETS = ("accounts", "criteria", "scores", "kams", "time")


def workbook(path: Path, formula: str) -> Path:
    """The tiny engagement as .xlsx with `formula` in A1's last_reviewed cell (openpyxl stores no value)."""
    tiny = kamlib.load(ROOT / "tests" / "data" / "tiny")
    book = Workbook()
    book.remove(book.active)
    for name in SHEETS:
        frame = getattr(tiny, name)
        if name == "accounts":
            frame = frame.drop(columns=["last_reviewed"]).assign(last_reviewed=None)
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if not isinstance(v, (str, dt.date)) and pd.isna(v) else v for v in row])
    accounts = book["accounts"]
    column = [c.value for c in accounts[1]].index("last_reviewed") + 1
    accounts.cell(row=2, column=column, value=formula)
    book.save(path)
    return path


def test_a_formula_without_a_value_in_an_optional_column_is_said(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(workbook(tmp_path / "libro.xlsx", "=TODAY()"))
    (line,) = caught.value.render("en").splitlines()
    assert 'libro.xlsx, sheet "accounts", row 2, column "last_reviewed": a formula without a calculated value' in line


def test_a_formula_that_gave_an_empty_text_is_an_empty_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path / "libro.xlsx", '=IF(1=1,"","x")')
    with zipfile.ZipFile(path) as source:  # as Excel saves it: the formula's text result, empty, stored
        files = {name: source.read(name) for name in source.namelist()}
    sheet = next(n for n in files if n.startswith("xl/worksheets/") and b"IF(1=1" in files[n])
    cell = files[sheet].split(b"<f>IF(")[0].rsplit(b"<c ", 1)[1]
    files[sheet] = files[sheet].replace(b"<c " + cell, b'<c t="str" ' + cell, 1)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    engagement = kamlib.load(path)
    assert engagement.accounts["last_reviewed"].isna().all()
