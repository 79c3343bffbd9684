"""The scoring guide: its sheet's rules, the engagement's frame, the anchors in one language, the method's guide."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError, Problem, WorkbookError
from kamlib.method import AXES, MATRIX_CRITERIA, MATRIX_SCALE, SCORE_ANCHORS
from kamlib.workbook.guide import Anchor, anchors
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME

CORE = ("accounts", "criteria", "scores", "kams", "time")
KNOWN = "volume, growth, service, incidents"  # tiny's criteria: volume, growth 1–10; service 0–5; incidents 0–20


def guide(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["criterion_id", "score", "text_es", "text_en"])


def with_guide(tiny: kamlib.Engagement, sheet: pd.DataFrame) -> kamlib.Engagement:
    return kamlib.Engagement.from_frames({name: getattr(tiny, name) for name in CORE} | {"scoring_guide": sheet})


def problems_of(tiny: kamlib.Engagement, sheet: pd.DataFrame) -> WorkbookError:
    with pytest.raises(WorkbookError) as info:
        with_guide(tiny, sheet)
    return info.value


# --- the contract ---------------------------------------------------------------------------------------------


def test_the_sheet_is_optional_and_follows_scores():
    names = [s.name for s in SHEETS]
    assert names.index("scoring_guide") == names.index("scores") + 1
    sheet = SHEETS_BY_NAME["scoring_guide"]
    assert not sheet.required and sheet.key is None
    assert sheet.column_names == ("criterion_id", "score", "text_es", "text_en")
    assert sheet.column("criterion_id").ref == ("criteria", "criterion_id")
    assert sheet.column("score").kind == "number" and sheet.column("score").filled
    assert [(c.kind, c.required, c.filled) for c in sheet.columns[2:]] == [("text", False, False)] * 2
    assert all(c.es and c.en and c.es != c.en for c in sheet.columns)


# --- validation, one rule at a time ---------------------------------------------------------------------------


def test_a_score_outside_its_criterion_scale(tiny):
    error = problems_of(tiny, guide(("volume", 1, "Poco", "Little"), ("service", 7, "Bueno", "Good")))
    assert error.problems == [
        Problem(
            "outside_scale",
            "engagement",
            "scoring_guide",
            3,
            "score",
            7.0,
            {"low": "0", "high": "5", "criterion": "service"},
        )
    ]
    assert error.render("en") == (
        'engagement, sheet "scoring_guide", row 3, column "score": got 7; allowed: 0 to 5 (criterion "service").'
    )
    assert error.render("es") == (
        'engagement, hoja "scoring_guide", fila 3, columna "score": valor 7; se admite: de 0 a 5 (criterio "service").'
    )


def test_the_same_criterion_and_score_twice(tiny):
    error = problems_of(
        tiny,
        guide(("volume", 1, "Poco", None), ("growth", 1, "Cae", None), ("volume", "1,0", None, "Little")),
    )
    assert error.render("en") == (
        'engagement, sheet "scoring_guide", row 4, column "score": score 1 of criterion "volume" is already '
        "described in row 2; allowed: one row per criterion and score."
    )
    assert error.render("es") == (
        'engagement, hoja "scoring_guide", fila 4, columna "score": la puntuación 1 del criterio "volume" ya está '
        "descrita en la fila 2; se admite: una fila por criterio y puntuación."
    )


def test_a_row_with_neither_text(tiny):
    error = problems_of(tiny, guide(("volume", 1, "Poco", None), ("volume", 10, "  ", None)))
    assert error.render("en") == (
        'engagement, sheet "scoring_guide", row 3, column "text_es": empty cell, and "text_en" is empty too; '
        "allowed: what the score means, in text_es, text_en or both."
    )
    assert error.render("es") == (
        'engagement, hoja "scoring_guide", fila 3, columna "text_es": celda vacía, y "text_en" también; se admite: '
        "qué significa la puntuación, en text_es, text_en o ambas."
    )


def test_an_unknown_criterion_and_an_empty_score(tiny):
    error = problems_of(tiny, guide(("volumen", 1, "Poco", "Little"), ("growth", None, "Cae", "Falls")))
    assert error.render("en").splitlines() == [
        f'engagement, sheet "scoring_guide", row 2, column "criterion_id": unknown criterion \'volumen\'; '
        f"known: {KNOWN}.",
        'engagement, sheet "scoring_guide", row 3, column "score": empty cell; this column needs a value; allowed: '
        "a number (decimal comma or point).",
    ]


def test_every_problem_of_a_csv_folder_at_once_with_its_file(tmp_path, tiny_path):
    folder = tmp_path / "book"
    shutil.copytree(tiny_path, folder)
    (folder / "scoring_guide.csv").write_text(
        "criterion_id;score;text_es\n"
        "volume;1;Compra muy poco\n"
        "volume;10,5;Compra muchísimo\n"
        "incidents;0;\n"
        "volume;1;Casi nada\n"
        "volumen;5;A medias\n",
        "utf-8",
    )
    with pytest.raises(WorkbookError) as info:
        kamlib.load(folder)
    where = 'book/scoring_guide.csv, sheet "scoring_guide"'
    assert info.value.render("en").splitlines() == [
        f'{where}, row 3, column "score": got 10.5; allowed: 1 to 10 (criterion "volume").',
        f'{where}, row 4, column "text_es": empty cell, and "text_en" is empty too; allowed: what the score means, '
        "in text_es, text_en or both.",
        f'{where}, row 5, column "score": score 1 of criterion "volume" is already described in row 2; allowed: '
        "one row per criterion and score.",
        f"{where}, row 6, column \"criterion_id\": unknown criterion 'volumen'; known: {KNOWN}.",
    ]


# --- the engagement ---------------------------------------------------------------------------------------------


def test_absent_the_engagement_has_an_empty_frame_with_the_contracts_columns(tiny):
    assert tiny.scoring_guide.empty
    assert list(tiny.scoring_guide.columns) == ["criterion_id", "score", "text_es", "text_en"]
    assert anchors(tiny.scoring_guide, "volume", "es") == []
    assert "scoring guide" not in tiny.summary("en")


def test_present_the_engagement_has_it_typed_with_excel_rows(tmp_path, tiny_path):
    folder = tmp_path / "book"
    shutil.copytree(tiny_path, folder)
    (folder / "scoring_guide.csv").write_text(  # Spanish only: text_en may be left out
        "criterion_id;score;text_es\nservice;5;Impecable\nservice;0,5;Fallos a diario\ngrowth;4;Estable\n", "utf-8"
    )
    engagement = kamlib.load(folder)
    frame = engagement.scoring_guide
    assert frame["score"].tolist() == [5.0, 0.5, 4.0]
    assert frame["text_en"].isna().all()
    assert engagement.rows["scoring_guide"].tolist() == [2, 3, 4]
    assert "6 time records; scoring guide: 3 levels for 2 criteria; key-account plan" in engagement.summary("en")
    assert "; guía de puntuación: 3 niveles para 2 criterios;" in engagement.summary("es")
    assert anchors(frame, "service", "en") == [Anchor(0.5, "Fallos a diario", "es"), Anchor(5.0, "Impecable", "es")]


# --- the anchors -------------------------------------------------------------------------------------------------


def test_anchors_are_sorted_by_score_in_the_language_asked_for_else_the_other():
    sheet = guide(
        ("growth", 10.0, "Crece mucho", "Grows fast"),
        ("growth", 1.0, None, "Shrinks"),
        ("growth", 4.0, "Estable", float("nan")),
        ("volume", 2.0, "Poco", "Little"),
        ("growth", 7.0, "Crece", ""),
    )
    assert anchors(sheet, "growth", "es") == [
        Anchor(1.0, "Shrinks", "en"),
        Anchor(4.0, "Estable", "es"),
        Anchor(7.0, "Crece", "es"),
        Anchor(10.0, "Crece mucho", "es"),
    ]
    assert [(a.score, a.text, a.lang) for a in anchors(sheet, "growth", "en")] == [
        (1.0, "Shrinks", "en"),
        (4.0, "Estable", "es"),
        (7.0, "Crece", "es"),
        (10.0, "Grows fast", "en"),
    ]
    assert anchors(sheet, "margin", "en") == []
    with pytest.raises(KamError, match="unknown language 'fr'; allowed: es, en"):
        anchors(sheet, "growth", "fr")


# --- the method's criteria and guide -----------------------------------------------------------------------------


def test_the_methods_criteria():
    ids = [row[0] for row in MATRIX_CRITERIA]
    assert len(ids) == len(set(ids))
    assert ids[:5] == ["volume", "growth", "share_of_wallet", "profitability", "strategic_fit"]
    assert {row[1] for row in MATRIX_CRITERIA} == set(AXES)
    for axis in AXES:
        weights = {row[4] for row in MATRIX_CRITERIA if row[1] == axis}
        assert len(weights) == 1 and weights.pop() > 0  # equal weights within an axis
    assert all((row[5], row[6]) == MATRIX_SCALE and row[7] is True for row in MATRIX_CRITERIA)
    assert all(row[2] and row[3] and row[2] != row[3] for row in MATRIX_CRITERIA)


def test_the_methods_criteria_agree_with_the_samples_where_it_has_them(sample_path):
    sample = pd.read_csv(sample_path / "criteria.csv").set_index("criterion_id")
    shared = [row for row in MATRIX_CRITERIA if row[0] in sample.index]
    assert len(shared) == 9  # all but innovation
    for criterion_id, axis, label_es, label_en, *_ in shared:
        assert sample.at[criterion_id, "axis"] == axis
        assert sample.at[criterion_id, "label_es"].removesuffix(" (%)") == label_es
        assert sample.at[criterion_id, "label_en"].removesuffix(" (%)") == label_en


def test_every_method_criterion_has_anchors_in_both_languages_within_its_scale():
    scales = {row[0]: (row[5], row[6]) for row in MATRIX_CRITERIA}
    assert {row[0] for row in SCORE_ANCHORS} == set(scales)
    keys = [(row[0], row[1]) for row in SCORE_ANCHORS]
    assert len(keys) == len(set(keys))
    for criterion_id, (low, high) in scales.items():
        levels = [row for row in SCORE_ANCHORS if row[0] == criterion_id]
        assert [row[1] for row in levels] == [1, 4, 7, 10]
        for _, score, text_es, text_en in levels:
            assert low <= score <= high
            assert text_es.strip() and text_en.strip() and text_es != text_en
            assert len(text_es) <= 90 and len(text_en) <= 90  # one line, to read aloud
