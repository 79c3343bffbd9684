"""Each cell's spread (kamlib.agreement.spread), against hand-worked numbers and properties."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.agreement.spread import DISAGREEMENT_SHARE, SPREAD_COLUMNS, cell_spread, disagreement_thresholds
from kamlib.errors import KamError
from tests.agreement.helpers import criteria_frame, scores_frame

# Three assessors on `fit` (scale 1–10, width 9): Ana 2, Ben 5, Cai 9.
#   mean (2 + 5 + 9)/3 = 5.3333, median 5, range 9 − 2 = 7, range share 7/9 = 0.7778
#   population std √(((2 − 16/3)² + (5 − 16/3)² + (9 − 16/3)²)/3) = √((100/9 + 1/9 + 121/9)/3) = √(222/27) = 2.8674
#   default threshold ¼ × 9 = 2.25: range 7 > 2.25, contested; |2 − 5| = 3 and |9 − 5| = 4 are past 2.25 (outliers,
#   Cai first, the farther), |5 − 5| = 0 is not
THREE = [("X", "fit", 2, "Ana", "R1"), ("X", "fit", 5, "Ben", "R1"), ("X", "fit", 9, "Cai", "R1")]


def spread(rows, threshold=None, **kwargs) -> pd.DataFrame:
    return cell_spread(scores_frame(rows), criteria_frame(), threshold, **kwargs)


def test_three_assessors_worked_by_hand():
    (cell,) = spread(THREE).itertuples()
    assert (cell.account_id, cell.criterion_id, cell.axis, cell.period) == ("X", "fit", "potential", "R1")
    assert (cell.n_scores, cell.anonymous, cell.median, cell.min, cell.max, cell.range) == (3, 0, 5, 2, 9, 7)
    assert cell.mean == pytest.approx(16 / 3)
    assert cell.range_share == pytest.approx(7 / 9)
    assert cell.std == pytest.approx(math.sqrt(((2 - 16 / 3) ** 2 + (5 - 16 / 3) ** 2 + (9 - 16 / 3) ** 2) / 3))
    assert cell.std == pytest.approx(2.867441, abs=1e-6)
    assert cell.threshold == 2.25 and cell.disagreement
    assert cell.outliers == ("Cai", "Ana")


def test_a_threshold_given_in_points():
    # 3 points: |2 − 5| = 3 is on the line, not past it; |9 − 5| = 4 is: only Cai; range 7 > 3: contested
    (cell,) = spread(THREE, threshold=3).itertuples()
    assert cell.outliers == ("Cai",) and cell.disagreement
    # 7 points: the range is on the line, not contested, and nobody is 7 from the median
    (cell,) = spread(THREE, threshold=7.0).itertuples()
    assert not cell.disagreement and cell.outliers == ()


def test_a_0_to_100_criterion_is_judged_in_its_own_points():
    # share (0–100): default threshold ¼ × 100 = 25 points. 30, 50, 52: range 22 ≤ 25, median 50, |30 − 50| = 20
    calm = spread([("X", "share", 30, "Ana", "R1"), ("X", "share", 50, "Ben", "R1"), ("X", "share", 52, "Cai", "R1")])
    assert calm[["threshold", "range", "median", "disagreement"]].values.tolist() == [[25.0, 22.0, 50.0, False]]
    assert calm["outliers"].item() == ()
    # 20, 50, 52: range 32 > 25, contested; |20 − 50| = 30 > 25: Ana is the outlier; 2 and 0 are not
    hot = spread([("X", "share", 20, "Ana", "R1"), ("X", "share", 50, "Ben", "R1"), ("X", "share", 52, "Cai", "R1")])
    assert hot["disagreement"].item() and hot["outliers"].item() == ("Ana",)
    assert hot["range_share"].item() == pytest.approx(0.32)


def test_a_pair_can_be_contested_but_has_no_outlier():
    # service (1–5): threshold 1; 2 and 4: range 2 > 1, contested; both are 1 from their midpoint 3: no outlier
    (cell,) = spread([("X", "service", 2, "Ana", "R1"), ("X", "service", 4, "Ben", "R1")]).itertuples()
    assert (cell.threshold, cell.range, cell.median, cell.disagreement, cell.outliers) == (1.0, 2.0, 3.0, True, ())
    assert cell.std == 1.0  # population: √((1² + 1²)/2)
    # a gap of one step on 1–5 is on the line (1 ≤ 1): not contested
    assert not spread([("X", "service", 2, "Ana", "R1"), ("X", "service", 3, "Ben", "R1")])["disagreement"].item()


def test_default_thresholds_are_a_quarter_of_each_scale():
    assert DISAGREEMENT_SHARE == 0.25
    assert disagreement_thresholds(criteria_frame()).to_dict() == {"fit": 2.25, "share": 25.0, "service": 1.0}
    assert disagreement_thresholds(criteria_frame(), share=0.3).to_dict() == {"fit": 2.7, "share": 30.0, "service": 1.2}
    given = disagreement_thresholds(criteria_frame(), {"share": 10})
    assert given.to_dict() == {"fit": 2.25, "share": 10.0, "service": 1.0}


def test_a_range_on_the_line_in_floating_point_is_on_it():
    # 3.7 − 1 is 2.7000000000000002 in floating point; 0.3 × 9 is 2.6999999999999997: both are 2.7, on the line
    cells = cell_spread(
        scores_frame([("X", "fit", 1, "Ana", "R1"), ("X", "fit", 3.7, "Ben", "R1")]),
        criteria_frame(),
        disagreement_thresholds(criteria_frame(), share=0.3).to_dict(),
    )
    assert cells["range"].item() == 2.7 and cells["threshold"].item() == 2.7 and not cells["disagreement"].item()


def test_anonymous_scores_count_one_each_and_show_as_none():
    # 2 (nobody), 5 (Ana), 9 (nobody): three scores, two anonymous; the 9 (4 away) then the 2 (3 away) are outliers
    (cell,) = spread(
        [("X", "fit", 2, None, "R1"), ("X", "fit", 5, "Ana", "R1"), ("X", "fit", 9, " ", "R1")]
    ).itertuples()
    assert (cell.n_scores, cell.anonymous, cell.outliers) == (3, 2, (None, None))


def test_a_name_twice_on_a_cell_counts_twice_and_is_named_once():
    # Ana 1 and 1, Ben 9: three scores (scoring weighs Ana's twice), median 1; Ben is 8 away, past 2.25
    cells = spread([("X", "fit", 1, "Ana", "R1"), ("X", "fit", 1, "Ana", "R1"), ("X", "fit", 9, "Ben", "R1")])
    assert (cells["n_scores"].item(), cells["median"].item(), cells["outliers"].item()) == (3, 1.0, ("Ben",))
    # Ana 9 and 9 against four 1s: median 1, Ana's two rows are both 8 away, and she is named once
    rows = [("X", "fit", 9, "Ana", "R1")] * 2 + [("X", "fit", 1, name, "R1") for name in ("Ben", "Cai", "Dan", "Eva")]
    assert spread(rows)["outliers"].item() == ("Ana",)


def test_outliers_come_farthest_first_then_named_before_anonymous():
    # 1, 2, 5, 9, 10: median 5; distances 4, 3, 0, 4, 5, all but the 5 past 2.25
    rows = [("X", "fit", 2, "Ana", "R1"), ("X", "fit", 5, None, "R1"), ("X", "fit", 9, "Cai", "R1")]
    rows += [("X", "fit", 1, None, "R1"), ("X", "fit", 10, "Dan", "R1")]
    assert spread(rows)["outliers"].item() == ("Dan", "Cai", None, "Ana")


def test_the_latest_period_is_used_unless_asked_as_of_an_earlier_one():
    rows = [*THREE, ("X", "fit", 4, "Ana", "R2"), ("X", "fit", 5, "Ben", "R2")]
    latest = spread(rows)
    assert latest[["period", "n_scores", "range", "disagreement"]].values.tolist() == [["R2", 2, 1.0, False]]
    as_of = spread(rows, period="R1")
    assert as_of[["period", "n_scores", "range", "disagreement"]].values.tolist() == [["R1", 3, 7.0, True]]


def test_rows_follow_the_accounts_as_they_come_then_the_criteria_order():
    rows = [("Y", "service", 3, "Ana", None), ("X", "share", 10, "Ana", None), ("Y", "fit", 3, "Ana", None)]
    cells = spread(rows)
    assert cells[["account_id", "criterion_id"]].values.tolist() == [["Y", "fit"], ["Y", "service"], ["X", "share"]]
    assert cells["period"].tolist() == [None, None, None]


def test_no_scores_no_cells():
    empty = spread([])
    assert list(empty.columns) == ["account_id", *SPREAD_COLUMNS] and len(empty) == 0
    assert empty["disagreement"].dtype == bool and empty["n_scores"].dtype == np.int64


def test_criteria_without_an_axis_and_another_id_column():
    criteria = criteria_frame().drop(columns=["axis"])
    frame = scores_frame(THREE).rename(columns={"account_id": "customer_id"})
    cells = cell_spread(frame, criteria, id_column="customer_id")
    assert list(cells.columns) == ["customer_id", *(c for c in SPREAD_COLUMNS if c != "axis")]


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        (-1, r"threshold -1 is not allowed; allowed: a number ≥ 0"),
        (True, r"threshold True is not allowed; allowed: a number ≥ 0"),
        (float("nan"), r"threshold empty cell is not allowed"),
        ("2", r"threshold '2' is not allowed"),
        ({"fitt": 2}, r"unknown criterion 'fitt' in the thresholds; known: fit, share, service"),
        ({"fit": -2}, r"threshold -2 of criterion 'fit' is not allowed; allowed: a number ≥ 0"),
    ],
)
def test_bad_thresholds_are_refused(threshold, message):
    with pytest.raises(KamError, match=message):
        spread(THREE, threshold=threshold)


def test_bad_thresholds_are_refused_in_spanish_too():
    with pytest.raises(KamError) as caught:
        spread(THREE, threshold=-1)
    assert caught.value.render("es") == "el umbral -1 no se admite; se admite: un número ≥ 0"


# Properties on one `fit` cell (1–10): scores drawn on the scale, one assessor each.
cell_scores = st.lists(st.floats(1, 10, allow_nan=False).map(lambda x: round(x, 2)), min_size=1, max_size=8)


def one_cell(values: list[float], names: list[str] | None = None) -> pd.Series:
    names = names or [f"P{i}" for i in range(len(values))]
    return spread([("X", "fit", v, n, "R1") for v, n in zip(values, names, strict=True)]).iloc[0]


def one_cell_with(values: list[float], threshold: float) -> pd.Series:
    return spread([("X", "fit", v, f"P{i}", "R1") for i, v in enumerate(values)], threshold=threshold).iloc[0]


@settings(max_examples=60, deadline=None)
@given(cell_scores)
def test_the_figures_are_ordered_and_the_range_is_never_negative(values):
    cell = one_cell(values)
    assert cell["range"] >= 0 and cell["min"] <= cell["median"] <= cell["max"]
    assert cell["min"] <= cell["mean"] + 1e-9 and cell["mean"] <= cell["max"] + 1e-9
    assert cell["std"] <= cell["range"] / 2 + 1e-9  # a population std is at most half the range
    assert cell["disagreement"] == (cell["range"] > 2.25)
    assert set(cell["outliers"]) <= {f"P{i}" for i in range(len(values))}


@settings(max_examples=50, deadline=None)
@given(st.floats(1, 10, allow_nan=False), st.floats(0, 100, allow_nan=False))
def test_one_score_is_never_contested_whatever_the_threshold(value, threshold):
    cell = spread([("X", "fit", value, "Ana", "R1")], threshold=threshold).iloc[0]
    assert (cell["range"], cell["std"], cell["disagreement"], cell["outliers"]) == (0.0, 0.0, False, ())


@settings(max_examples=60, deadline=None)
@given(cell_scores)
def test_an_assessor_at_the_median_changes_neither_median_nor_range(values):
    before = one_cell(values)
    after = one_cell([*values, float(before["median"])])
    assert after["median"] == pytest.approx(before["median"]) and after["range"] == before["range"]


@settings(max_examples=60, deadline=None)
@given(cell_scores)
def test_the_same_team_twice_has_the_same_spread(values):
    before = one_cell(values)
    names = [f"P{i}" for i in range(len(values))] + [f"Q{i}" for i in range(len(values))]
    after = one_cell(values * 2, names)
    for figure in ("mean", "median", "range", "std"):
        assert after[figure] == pytest.approx(before[figure])
    assert after["disagreement"] == before["disagreement"]


@settings(max_examples=60, deadline=None)
@given(cell_scores, st.floats(0, 9), st.floats(0, 9))
def test_a_higher_threshold_never_flags_more(values, a, b):
    low, high = sorted((a, b))
    loose, strict = one_cell_with(values, high), one_cell_with(values, low)
    assert loose["disagreement"] <= strict["disagreement"]
    assert set(loose["outliers"]) <= set(strict["outliers"])


def test_a_bad_share_is_refused():
    with pytest.raises(KamError, match=r"threshold share -0.1 is not allowed; allowed: a number ≥ 0"):
        disagreement_thresholds(criteria_frame(), share=-0.1)
