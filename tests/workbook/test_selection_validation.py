"""The key-account selection's sheets are validated like the matrix's: unknown ids and scores outside the scale."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kamlib
from kamlib.errors import Problem, WorkbookError

DEFAULTS = "volume_scalability, profitability, diversification, market_access, innovation_adoption"
CUSTOMERS = pd.DataFrame({"customer_id": ["A1", "C1"], "name": ["Supermercados Peñíscola", "Conservas Ñora"]})


def problems_of(tiny: kamlib.Engagement, **sheets: pd.DataFrame) -> WorkbookError:
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}
    frames["customers"] = CUSTOMERS
    frames.update(sheets)
    with pytest.raises(WorkbookError) as info:
        kamlib.Engagement.from_frames(frames)
    return info.value


def scores(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "criterion_id", "score"])


@pytest.mark.parametrize("criteria", [None, pd.DataFrame(columns=["criterion_id", "label_es", "label_en", "weight"])])
def test_without_criteria_rows_a_score_must_name_a_default_criterion(tiny, criteria):
    sheets = {"selection_scores": scores(("A1", "profitability", 7), ("C1", "volumen", 5))}
    if criteria is not None:  # an empty sheet is the same as none
        sheets["selection_criteria"] = criteria
    error = problems_of(tiny, **sheets)
    assert error.problems == [
        Problem(
            "unknown_id",
            "engagement",
            "selection_scores",
            3,
            "criterion_id",
            "volumen",
            {"what": "criterion", "known": DEFAULTS},
        )
    ]
    assert error.render("en") == (
        'engagement, sheet "selection_scores", row 3, column "criterion_id": unknown criterion \'volumen\'; '
        f"known: {DEFAULTS}."
    )
    assert error.render("es") == (
        'engagement, hoja "selection_scores", fila 3, columna "criterion_id": no existe el criterio \'volumen\'; '
        f"existentes: {DEFAULTS}."
    )


def test_with_a_criteria_sheet_its_ids_are_the_known_ones(tiny):
    criteria = pd.DataFrame({"criterion_id": ["margin"], "label_es": ["Margen"], "label_en": ["Margin"], "weight": [1]})
    error = problems_of(
        tiny, selection_criteria=criteria, selection_scores=scores(("A1", "margin", 7), ("A1", "profitability", 7))
    )
    assert error.render("en") == (
        'engagement, sheet "selection_scores", row 3, column "criterion_id": unknown criterion \'profitability\'; '
        "known: margin."
    )


def test_scores_outside_their_criterion_scale_default_or_stated(tiny):
    error = problems_of(tiny, selection_scores=scores(("A1", "profitability", 11), ("C1", "market_access", 0.5)))
    assert error.render("en").splitlines() == [
        'engagement, sheet "selection_scores", row 2, column "score": got 11; allowed: 1 to 10 (criterion '
        '"profitability").',
        'engagement, sheet "selection_scores", row 3, column "score": got 0.5; allowed: 1 to 10 (criterion '
        '"market_access").',
    ]
    assert error.render("es").splitlines()[0] == (
        'engagement, hoja "selection_scores", fila 2, columna "score": valor 11; se admite: de 1 a 10 (criterio '
        '"profitability").'
    )
    criteria = pd.DataFrame(
        {
            "criterion_id": ["margin"],
            "label_es": [None],
            "label_en": [None],
            "weight": [1],
            "scale_min": [0],
            "scale_max": [100],
        }
    )
    error = problems_of(
        tiny, selection_criteria=criteria, selection_scores=scores(("A1", "margin", 150), ("C1", "margin", 11))
    )
    assert error.render("en") == (
        'engagement, sheet "selection_scores", row 2, column "score": got 150; allowed: 0 to 100 (criterion "margin").'
    )


def test_a_broken_scale_is_said_once_in_the_criteria_sheet(tiny):
    criteria = pd.DataFrame(
        {
            "criterion_id": ["margin"],
            "label_es": [None],
            "label_en": [None],
            "weight": [1],
            "scale_min": [10],
            "scale_max": [1],
        }
    )
    error = problems_of(tiny, selection_criteria=criteria, selection_scores=scores(("A1", "margin", 50)))
    assert error.render("en") == (
        'engagement, sheet "selection_criteria", row 2, column "scale_min": scale_min 10 is not below scale_max 1; '
        "allowed: scale_min < scale_max."
    )


def test_every_problem_of_a_csv_folder_at_once_with_its_file(tmp_path, tiny_path):
    folder = tmp_path / "book"
    shutil.copytree(tiny_path, folder)
    (folder / "customers.csv").write_text("customer_id,name\nA1,Supermercados Peñíscola\nC1,Conservas Ñora\n", "utf-8")
    (folder / "selection_scores.csv").write_text(
        'customer_id,criterion_id,score\nA1,profitability,"7,5"\nC9,profitability,5\nC1,rentabilidad,5\nC1,market_access,12\n',
        "utf-8",
    )
    with pytest.raises(WorkbookError) as info:
        kamlib.load(folder)
    where = 'book/selection_scores.csv, sheet "selection_scores"'
    assert info.value.render("en").splitlines() == [
        f"{where}, row 3, column \"customer_id\": unknown customer 'C9'; known: A1, C1.",
        f"{where}, row 4, column \"criterion_id\": unknown criterion 'rentabilidad'; known: {DEFAULTS}.",
        f'{where}, row 5, column "score": got 12; allowed: 1 to 10 (criterion "market_access").',
    ]
    (folder / "selection_scores.csv").write_text(
        'customer_id,criterion_id,score\nA1,profitability,"7,5"\nC1,market_access,10\n', "utf-8"
    )
    engagement = kamlib.load(folder)
    assert engagement.selection_scores["score"].tolist() == [7.5, 10.0]
