"""Two rounds side by side (kamlib.agreement.rounds)."""

import pandas as pd
import pytest

from kamlib.agreement.rounds import STATUSES, compare_rounds, round_scores, rounds_summary, rounds_text
from kamlib.errors import KamError
from tests.agreement.helpers import criteria_frame, scores_frame

# Default thresholds: fit 2.25, share 25, service 1.
#            round 1 (R1)          round 2 (R2)          status
# X fit      2, 5, 9: range 7  →   4, 5, 6: range 2      resolved (−5)
# X share    20, 60: range 40  →   20, 70: range 50      persisting (+10)
# X service  3, 4: range 1     →   1, 4: range 3         arisen (+2)
# Y fit      5 alone           →   —                     before_only
# Z fit      —                 →   3 alone               after_only
ROWS = [
    ("X", "fit", 2, "Ana", "R1"),
    ("X", "fit", 5, "Ben", "R1"),
    ("X", "fit", 9, "Cai", "R1"),
    ("X", "share", 20, "Ana", "R1"),
    ("X", "share", 60, "Ben", "R1"),
    ("X", "service", 3, "Ana", "R1"),
    ("X", "service", 4, "Ben", "R1"),
    ("Y", "fit", 5, "Ana", "R1"),
    ("X", "fit", 4, "Ana", "R2"),
    ("X", "fit", 5, "Ben", "R2"),
    ("X", "fit", 6, "Cai", "R2"),
    ("X", "share", 20, "Ana", "R2"),
    ("X", "share", 70, "Ben", "R2"),
    ("X", "service", 1, "Ana", "R2"),
    ("X", "service", 4, "Ben", "R2"),
    ("Z", "fit", 3, "Ana", " R2 "),
]


@pytest.fixture
def cells():
    scores = scores_frame(ROWS)
    return compare_rounds(round_scores(scores, "R1"), round_scores(scores, "R2"), criteria_frame())


def test_each_cell_before_and_after(cells):
    assert cells[["account_id", "criterion_id", "status"]].values.tolist() == [
        ["X", "fit", "resolved"],
        ["X", "share", "persisting"],
        ["X", "service", "arisen"],
        ["Y", "fit", "before_only"],
        ["Z", "fit", "after_only"],
    ]
    assert cells["range_before"].tolist()[:3] == [7.0, 40.0, 1.0]
    assert cells["range_after"].tolist()[:3] == [2.0, 50.0, 3.0]
    assert cells["range_change"].tolist()[:3] == [-5.0, 10.0, 2.0]
    assert cells["resolved"].tolist() == [True, False, False, False, False]
    assert cells["median_after"].tolist()[0] == 5.0 and cells["n_scores_before"].tolist()[0] == 3
    assert cells["threshold"].tolist() == [2.25, 25.0, 1.0, 2.25, 2.25]
    y, z = cells.iloc[3], cells.iloc[4]
    assert y["n_scores_after"] is pd.NA and z["disagreement_before"] is pd.NA


def test_the_two_rounds_in_figures_and_words(cells):
    summary = rounds_summary(cells)
    assert (summary.cells_before, summary.cells_after) == (4, 4)
    assert (summary.contested_before, summary.contested_after) == (2, 2)
    assert dict(summary.statuses) == {
        "resolved": 1,
        "persisting": 1,
        "arisen": 1,
        "agreed": 0,
        "before_only": 1,
        "after_only": 1,
    }
    assert list(summary.statuses) == list(STATUSES)
    assert (summary.narrowed, summary.widened) == (1, 2)
    assert rounds_text(summary, "en") == "Contested cells resolved: 1 of 2; newly contested: 1; contested now: 2"
    assert (
        rounds_text(summary, "es") == "Celdas en disputa resueltas: 1 de 2; nuevas en disputa: 1; en disputa ahora: 2"
    )


def test_two_workshop_frames_without_periods():
    first = scores_frame([(a, c, s, n, None) for a, c, s, n, p in ROWS if p == "R1"])
    second = scores_frame([(a, c, s, n, None) for a, c, s, n, p in ROWS if p != "R1"])
    cells = compare_rounds(first, second, criteria_frame(), threshold={"share": 45})
    assert cells["status"].tolist() == ["resolved", "arisen", "arisen", "before_only", "after_only"]  # share: 40 → 50


def test_calm_rounds_and_empty_ones():
    calm = scores_frame([("X", "fit", 5, "Ana", "R1"), ("X", "fit", 6, "Ana", "R2")])
    cells = compare_rounds(round_scores(calm, "R1"), round_scores(calm, "R2"), criteria_frame())
    assert cells["status"].tolist() == ["agreed"] and cells["range_change"].tolist() == [0.0]
    assert rounds_text(rounds_summary(cells), "en") == "No cell contested in either round"
    assert rounds_text(rounds_summary(cells), "es") == "Ninguna celda en disputa en ninguna de las dos rondas"
    empty = compare_rounds(scores_frame([]), scores_frame([]), criteria_frame())
    assert len(empty) == 0 and rounds_summary(empty).statuses["resolved"] == 0


def test_an_absent_round_is_named():
    with pytest.raises(KamError, match=r"no scores of period 'R3'; periods: R1, R2"):
        round_scores(scores_frame(ROWS), "R3")
    with pytest.raises(KamError) as caught:
        round_scores(scores_frame(ROWS).drop(columns=["period"]), "R1")
    assert caught.value.render("en") == "no scores of period 'R1'; the scores have no periods"
    assert caught.value.render("es") == "no hay puntuaciones del periodo 'R1'; las puntuaciones no tienen periodos"
