"""The scores that count per cell (kamlib.agreement.cells): scoring's own period rule, assessors, checks."""

import numpy as np
import pandas as pd
import pytest

from kamlib.agreement.cells import check_criteria, current_scores
from kamlib.errors import KamError
from kamlib.scoring import score_matrix, score_table
from tests.agreement.helpers import criteria_frame, scores_frame


def means(rows: pd.DataFrame, engagement) -> np.ndarray:
    """The accounts × criteria mean of the chosen rows, as scoring lays out its table."""
    return score_matrix(rows, engagement.accounts["account_id"], engagement.criteria["criterion_id"], "account_id")


@pytest.mark.parametrize("period", [None, "2025-H2", "2026-H1", "2025", "2026", "2024"])
def test_the_rows_chosen_are_those_scoring_averages(sample_path, period):
    import kamlib

    sample = kamlib.load(sample_path)
    rows = current_scores(sample.scores, sample.criteria, period)
    # every cell holds one period, and its mean is scoring's score of the cell
    assert (rows.groupby(["account_id", "criterion_id"])["period"].nunique(dropna=False) <= 1).all()
    np.testing.assert_array_equal(means(rows, sample), score_table(sample, period))


def test_the_tiny_engagement_keeps_the_latest_period_per_cell(tiny):
    rows = current_scores(tiny.scores, tiny.criteria)
    a3 = rows[rows["account_id"] == "A3"]
    # A3 service was scored 1 in 2025-H2 and 4.5 in 2026-H1: only the newer counts; A3 volume has MT 3 and DG 5
    assert a3.loc[a3["criterion_id"] == "service", "score"].tolist() == [4.5]
    assert a3.loc[a3["criterion_id"] == "volume", "assessor"].tolist() == ["MT", "DG"]
    old = current_scores(tiny.scores, tiny.criteria, period="2025-H2")
    assert old[["account_id", "criterion_id", "score"]].values.tolist() == [["A3", "service", 1.0]]


def test_undated_scores_are_older_than_dated_ones_and_stand_alone_when_none_is_dated():
    rows = [
        ("X", "fit", 2, "Ana", None),
        ("X", "fit", 8, "Ben", "R1"),
        ("X", "share", 40, "Ana", None),  # the only score of the cell: undated counts
    ]
    chosen = current_scores(scores_frame(rows), criteria_frame())
    assert chosen[["criterion_id", "score", "period"]].values.tolist() == [["fit", 8.0, "R1"], ["share", 40.0, None]]


def test_assessors_are_stripped_and_empty_ones_anonymous():
    frame = scores_frame(
        [
            ("X", "fit", 2, " Ana ", "R1"),
            ("X", "fit", 3, "", "R1"),
            ("X", "fit", 4, None, "R1"),
            ("X", "fit", 5, 7, "R1"),
        ]
    )
    assert current_scores(frame, criteria_frame())["assessor"].tolist() == ["Ana", None, None, "7"]


def test_a_sheet_without_assessor_or_period_columns_is_all_anonymous_and_undated():
    frame = pd.DataFrame({"account_id": ["X", "X"], "criterion_id": ["fit", "fit"], "score": [3.0, 4.0]})
    rows = current_scores(frame, criteria_frame())
    assert rows["assessor"].tolist() == [None, None] and rows["period"].tolist() == [None, None]


def test_an_empty_score_is_no_score_and_no_scores_give_no_rows():
    frame = scores_frame(
        [("X", "fit", None, "Ana", "R1"), ("X", "fit", np.nan, "Ben", "R1"), ("X", "fit", " ", "Cai", None)]
    )
    assert len(current_scores(frame, criteria_frame())) == 0
    assert len(current_scores(scores_frame([]), criteria_frame())) == 0


def test_every_bad_score_is_named_at_once_in_both_languages():
    frame = scores_frame(
        [
            ("X", "fitt", 3, "Ana", "R1"),
            ("X", "fit", "siete", "Ana", "R1"),
            ("X", "share", 120, "Ana", "R1"),
            ("X", "service", 0, "Ben", "R1"),
        ]
    )
    with pytest.raises(KamError) as caught:
        current_scores(frame, criteria_frame())
    assert caught.value.render("en").splitlines() == [
        "unknown criterion 'fitt' in the scores; known: fit, share, service",
        "score of account_id 'X', criterion 'fit': got 'siete'; allowed: a number",
        "score of account_id 'X', criterion 'share': got 120; allowed: 0 to 100",
        "score of account_id 'X', criterion 'service': got 0; allowed: 1 to 5",
    ]
    assert caught.value.render("es").splitlines()[0] == (
        "criterio desconocido 'fitt' en las puntuaciones; existentes: fit, share, service"
    )


def test_a_missing_column_is_named():
    with pytest.raises(KamError, match=r"the scores have no column 'score'; required: account_id, criterion_id, score"):
        current_scores(pd.DataFrame({"account_id": ["X"], "criterion_id": ["fit"]}), criteria_frame())


def test_criteria_take_the_workbook_scale_by_default_and_a_broken_scale_is_refused():
    bare = check_criteria(pd.DataFrame({"criterion_id": ["a"]}))
    assert (bare["scale_min"].item(), bare["scale_max"].item()) == (1.0, 10.0)
    with pytest.raises(KamError, match=r"criterion 'a': scale_min 5 is not below scale_max 5"):
        check_criteria(pd.DataFrame({"criterion_id": ["a"], "scale_min": [5], "scale_max": [5]}))
    with pytest.raises(KamError, match=r"criterion 'a' appears twice in the criteria"):
        check_criteria(pd.DataFrame({"criterion_id": ["a", "a"]}))
