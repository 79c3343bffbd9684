"""Tests of the empty engagement workbook written by `kamlib.workbook.template`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import kamlib
from kamlib.method import ACTIVITIES, AXES, MATRIX_CRITERIA, SCORE_ANCHORS
from kamlib.workbook import template
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME, Sheet
from kamlib.workbook.template import LAST_ROW, README, write_template


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the template once for the module's read-only checks."""
    return write_template(tmp_path_factory.mktemp("template") / "engagement.xlsx")


@pytest.fixture(scope="module")
def wb(path: Path) -> openpyxl.Workbook:
    """Open the written template."""
    return openpyxl.load_workbook(path)


def letter(sheet: Sheet, column: str) -> str:
    """Return the column letter the spec gives a sheet's column."""
    return get_column_letter(sheet.column_names.index(column) + 1)


def validation(ws: Worksheet, sheet: Sheet, column: str) -> DataValidation:
    """Return the single data validation covering a column's data rows."""
    col = letter(sheet, column)
    found = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == f"{col}2:{col}{LAST_ROW}"]
    assert len(found) == 1, (sheet.name, column, found)
    return found[0]


def readme_rows(ws: Worksheet) -> list[tuple[object, ...]]:
    """Return the README's rows as value tuples."""
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_sheets_in_spec_order_after_readme(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [README, *(s.name for s in SHEETS)]
    assert wb.active.title == README


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_header_row_is_the_spec_columns(wb: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = wb[sheet.name]
    header = [cell.value for cell in ws[1]]
    assert header == list(sheet.column_names)
    assert ws.max_row == 1 + len(template.starter_rows(sheet.name))
    assert ws.freeze_panes == "A2"
    for cell, column in zip(ws[1], sheet.columns, strict=True):
        assert cell.font.bold
        assert cell.comment is not None
        assert column.es in cell.comment.text and column.en in cell.comment.text
        assert ws.column_dimensions[cell.column_letter].width >= len(column.name)


def test_readme_lists_every_column_in_both_languages(wb: openpyxl.Workbook) -> None:
    rows = readme_rows(wb[README])
    header = next(row for row in rows if row[:2] == ("hoja / sheet", "columna / column"))
    assert header[3:5] == ("descripción (es)", "description (en)")
    table = {(row[0], row[1]): row for row in rows}
    for sheet in SHEETS:
        for column in sheet.columns:
            row = table[(sheet.name, column.name)]
            required = "sí / yes" if column.filled else "sí (puede quedar vacía) / yes (may be empty)"
            assert row[2] == (required if column.required else "no")
            assert row[3:5] == (column.es, column.en)
            assert row[5]
    text = "\n".join(str(v) for row in rows for v in row if v is not None)
    for words in (
        "coma",
        "comma",
        "promedian",
        "averaged",
        "último",
        "latest",
        "sin puntuar",
        "not scored",
        "escala",
        "scale",
        "potencial",
        "potential",
    ):
        assert words in text


def test_readme_allowed_values(wb: openpyxl.Workbook) -> None:
    table = {(row[0], row[1]): row[5] for row in readme_rows(wb[README])}
    assert table[("criteria", "axis")] == ", ".join(AXES)
    assert table[("accounts", "revenue")] == "número ≥ 0 / number ≥ 0"
    assert table[("accounts", "kam_id")] == "un kam_id de la hoja kams / a kam_id of sheet kams"
    assert "true/false" in table[("criteria", "higher_is_better")]
    assert "1–10" in table[("scores", "score")]


def test_lang_order_swaps_readme_columns(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "en.xlsx", lang_order=("en", "es")))
    rows = readme_rows(wb[README])
    column = SHEETS[0].columns[0]
    row = next(r for r in rows if r[:2] == (SHEETS[0].name, column.name))
    assert row[3:5] == (column.en, column.es)
    assert any(r[:2] == ("sheet / hoja", "column / columna") for r in rows)
    with pytest.raises(ValueError):
        write_template(tmp_path / "bad.xlsx", lang_order=("es", "fr"))


def test_choice_validations_list_the_choices(wb: openpyxl.Workbook) -> None:
    for sheet_name, column, choices in (("criteria", "axis", AXES), ("time", "activity", ACTIVITIES)):
        sheet = SHEETS_BY_NAME[sheet_name]
        dv = validation(wb[sheet_name], sheet, column)
        assert dv.type == "list"
        assert dv.formula1 == '"' + ",".join(choices) + '"'


def test_ref_validation_points_at_the_key_column(wb: openpyxl.Workbook) -> None:
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.kind != "ref":
                continue
            target, key = column.ref
            col = letter(SHEETS_BY_NAME[target], key)
            dv = validation(wb[sheet.name], sheet, column.name)
            assert dv.type == "list"
            assert dv.formula1 == f"{target}!${col}$2:${col}${LAST_ROW}"
    assert validation(wb["accounts"], SHEETS_BY_NAME["accounts"], "kam_id").formula1 == "kams!$A$2:$A$1000"


def test_score_validation_uses_the_criterion_scale(wb: openpyxl.Workbook) -> None:
    scores, criteria = SHEETS_BY_NAME["scores"], SHEETS_BY_NAME["criteria"]
    dv = validation(wb["scores"], scores, "score")
    formula = dv.formula1
    assert dv.type == "custom"
    assert len(formula) <= 255
    score, criterion = letter(scores, "score"), letter(scores, "criterion_id")
    for name in ("criterion_id", "scale_min", "scale_max"):
        col = letter(criteria, name)
        assert f"criteria!${col}$2:${col}${LAST_ROW}" in formula
    assert formula.startswith(f"AND(ISNUMBER({score}2)")
    assert f"MATCH({criterion}2," in formula
    assert f"{score}2>=" in formula and f"{score}2<=" in formula
    assert ",1)" in formula and ",10)" in formula  # defaults of an empty scale cell


def test_keys_numbers_and_bools_are_validated(wb: openpyxl.Workbook) -> None:
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for column in sheet.columns:
            col = letter(sheet, column.name)
            if column.kind == "id":
                dv = validation(ws, sheet, column.name)
                assert dv.formula1 == f"COUNTIF(${col}$2:${col}${LAST_ROW},{col}2)=1"
            elif column.kind == "number" and column.maximum is not None:
                dv = validation(ws, sheet, column.name)
                bounds = (float(dv.formula1), float(dv.formula2))
                assert (dv.type, dv.operator, bounds) == ("decimal", "between", (column.minimum, column.maximum))
            elif column.kind == "number" and column.minimum is not None:
                dv = validation(ws, sheet, column.name)
                assert (dv.type, dv.operator, float(dv.formula1)) == ("decimal", "greaterThanOrEqual", column.minimum)
            elif column.kind == "bool":
                assert validation(ws, sheet, column.name).formula1 == '"TRUE,FALSE"'
            elif column.kind in ("text", "period"):
                assert not [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(col + "2:")]


def test_every_validation_shows_a_bilingual_error(wb: openpyxl.Workbook) -> None:
    count = 0
    for sheet in SHEETS:
        for dv in wb[sheet.name].data_validations.dataValidation:
            count += 1
            assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.allow_blank
            assert dv.error and len(dv.error) <= 224 and dv.error.count("\n") == 1
            assert dv.errorTitle and len(dv.errorTitle) <= 32
    assert count >= 15


STARTED = ("criteria", "scoring_guide", "playbook", "selection_criteria")
"""The sheets the template fills with the method's rows; every other one starts empty."""


def test_pandas_reads_empty_frames_with_the_spec_columns(path: Path) -> None:
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for sheet in SHEETS:
        frame = frames[sheet.name]
        assert frame.empty == (sheet.name not in STARTED)
        assert list(frame.columns) == list(sheet.column_names)


def test_criteria_and_scoring_guide_start_with_the_methods_rows(path: Path) -> None:
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    criteria, guide = frames["criteria"], frames["scoring_guide"]
    assert criteria.drop(columns="segment").to_numpy().tolist() == [list(row) for row in MATRIX_CRITERIA]
    assert criteria["segment"].isna().all()  # the method's rows are every segment's
    assert criteria["criterion_id"].is_unique
    assert guide.to_numpy().tolist() == [list(row) for row in SCORE_ANCHORS]
    assert set(guide["criterion_id"]) == set(criteria["criterion_id"])
    scales = guide.join(criteria.set_index("criterion_id")[["scale_min", "scale_max"]], on="criterion_id")
    assert scales["score"].between(scales["scale_min"], scales["scale_max"]).all()
    levels = guide.groupby("criterion_id").agg(n=("score", "size"), es=("text_es", "count"), en=("text_en", "count"))
    assert (levels["n"] >= 2).all() and (levels["es"] == levels["n"]).all() and (levels["en"] == levels["n"]).all()
    assert not guide.duplicated(["criterion_id", "score"]).any()


def test_readme_says_where_the_criteria_and_their_guide_come_from(wb: openpyxl.Workbook) -> None:
    text = "\n".join(str(v) for row in readme_rows(wb[README]) for v in row if v is not None)
    for words in (
        "La hoja criteria empieza con los criterios del método",
        "The criteria sheet starts with the method's criteria",
        "business volume, growth, share of wallet, profitability, fit between both companies' objectives",
        "a starting point to adapt to what the sector values in a supplier",
        "un punto de partida que conviene adaptar",
        "The scoring_guide sheet says what a score of 1, 4, 7 or 10 means on each",
        "La hoja scoring_guide (guía de puntuación) dice qué significa puntuar 1, 4, 7 o 10 en cada uno",
        "Each scoring_guide row describes one score of one criterion, within its scale and once",
    ):
        assert words in text
    table = {(row[0], row[1]): row[5] for row in readme_rows(wb[README])}
    assert table[("scoring_guide", "criterion_id")] == (
        "un criterion_id de la hoja criteria / a criterion_id of sheet criteria"
    )
    assert "1–10" in table[("scoring_guide", "score")]


def test_guide_score_validation_uses_the_criterion_scale(wb: openpyxl.Workbook) -> None:
    guide = SHEETS_BY_NAME["scoring_guide"]
    dv = validation(wb["scoring_guide"], guide, "score")
    assert dv.type == "custom" and dv.formula1.startswith("AND(ISNUMBER(B2),ISNUMBER(MATCH(A2,criteria!$A$2:")
    assert "fill criterion_id first" in dv.error


def test_validating_the_untouched_template_asks_only_for_accounts(path: Path, capsys: pytest.CaptureFixture) -> None:
    from kamlib.cli import main

    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        'engagement.xlsx, sheet "accounts": the sheet has 0 data rows; at least 1 needed.'
    ]


def test_playbook_and_selection_criteria_start_with_the_methods_rows(path: Path, tiny: kamlib.Engagement) -> None:
    from kamlib.plan.playbook import default_rows, playbook
    from kamlib.plan.selection import DEFAULT_SELECTION_CRITERIA, selection_criteria

    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert len(frames["playbook"]) == len(default_rows())
    assert frames["selection_criteria"]["criterion_id"].tolist() == [c.criterion_id for c in DEFAULT_SELECTION_CRITERIA]
    minimal = {n: getattr(tiny, n) for n in ("accounts", "criteria", "scores", "kams", "time")}
    kept = kamlib.Engagement.from_frames(minimal | {k: frames[k] for k in ("playbook", "selection_criteria")})
    assert set(playbook(kept)["source"]) == {"method"}  # kept as the template gave them: still the method's
    assert (
        playbook(kept).drop(columns="source").fillna("").to_numpy().tolist()
        == default_rows().drop(columns="source").fillna("").to_numpy().tolist()
    )
    assert selection_criteria(kept)["weight"].tolist() == [1.0] * 5


def test_write_is_atomic_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "engagement.xlsx"
    assert write_template(target) == target
    assert write_template(str(target)) == target  # overwrites in place
    assert sorted(p.name for p in target.parent.iterdir()) == ["engagement.xlsx"]


def test_failed_save_leaves_no_temp_and_keeps_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "engagement.xlsx"
    target.write_bytes(b"old")

    def broken_save(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(template.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_template(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["engagement.xlsx"]
