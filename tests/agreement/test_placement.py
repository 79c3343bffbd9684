"""Each account placed as each assessor sees it (kamlib.agreement.placement), worked by hand and as properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.agreement.placement import ACCOUNT_COLUMNS, ASSESSOR_COLUMNS, place_by_assessor
from kamlib.errors import KamError
from kamlib.scoring import score_accounts
from tests.agreement.helpers import engagement, scores_frame

# Weights: fit 3 (1–10) and share 1 (0–100) on potential; service 1 (1–5) on position. Cut lines 5 and 5.
# X: fit Ana 8, Ben 4 (mean 6); share Ana 50; service Ana 4.
#   group: potential 10·(3·(6−1)/9 + 50/100)/4 = 10·(5/3 + 1/2)/4 = 5.41667, position 10·(4−1)/4 = 7.5 → invest
#   Ana (fit 8, share 50, service 4, all her own): 10·(3·7/9 + 1/2)/4 = 7.08333, 7.5 → invest
#   Ben (fit 4 his own; share and service the group's): 10·(3·3/9 + 1/2)/4 = 3.75, 7.5 → maintain: across the cut
#   The cross: potential 3.75 to 7.08333 (the group midway: Ana +1.6667, Ben −1.6667), position 7.5 to 7.5
# Y: Cai alone: fit 2, share 10, service 2: 10·(3·1/9 + 0.1)/4 = 1.08333, 10·1/4 = 2.5 → milk, for everyone
ROWS = [
    ("X", "fit", 8, "Ana", "R1"),
    ("X", "fit", 4, "Ben", "R1"),
    ("X", "share", 50, "Ana", "R1"),
    ("X", "service", 4, "Ana", "R1"),
    ("Y", "fit", 2, "Cai", "R1"),
    ("Y", "share", 10, "Cai", "R1"),
    ("Y", "service", 2, "Cai", "R1"),
]


@pytest.fixture(scope="module")
def two():
    return engagement(ROWS)


def test_an_assessor_moves_an_account_across_the_cut_line(two):
    placed = place_by_assessor(two)
    assert list(placed.accounts.columns) == list(ACCOUNT_COLUMNS)
    assert list(placed.assessors.columns) == list(ASSESSOR_COLUMNS)
    x, y = placed.accounts.itertuples(index=False)
    assert (x.potential, x.position, x.quadrant) == (pytest.approx(130 / 24), 7.5, "invest")
    assert (x.potential_min, x.potential_max) == (pytest.approx(3.75), pytest.approx(170 / 24))
    assert (x.position_min, x.position_max) == (7.5, 7.5)
    assert (x.n_assessors, x.quadrants, x.depends_on_assessor) == (2, ("invest", "maintain"), True)
    assert (y.potential, y.position, y.quadrant) == (pytest.approx(1.083333333), 2.5, "milk")
    assert (y.n_assessors, y.quadrants, y.depends_on_assessor) == (1, ("milk",), False)
    assert y.potential_min == y.potential_max == pytest.approx(1.083333333)
    rows = placed.assessors
    assert rows[["account_id", "assessor", "own_scores", "quadrant", "moved"]].values.tolist() == [
        ["X", "Ana", 3, "invest", False],
        ["X", "Ben", 1, "maintain", True],
        ["Y", "Cai", 3, "milk", False],
    ]
    np.testing.assert_allclose(rows["potential"], [170 / 24, 3.75, 1.083333333])
    assert placed.cuts == {"potential": 5.0, "position": 5.0}


def test_the_group_is_placed_as_scoring_places_it(two, tiny, sample_path):
    import kamlib

    for e, weights in ((two, None), (two, {"share": 3}), (tiny, None), (kamlib.load(sample_path), {"volume": 5})):
        scored = score_accounts(e, weights)
        placed = place_by_assessor(e, weights).accounts
        np.testing.assert_allclose(placed["potential"], scored["potential"])
        np.testing.assert_allclose(placed["position"], scored["position"])
        assert placed["quadrant"].tolist() == scored["quadrant"].tolist()


def test_median_cut_lines_are_the_group_s_and_stay_put(two):
    # the group's potentials 5.41667 and 1.08333: median 3.25; Ben's 3.75 is above it now, X stays invest for all
    placed = place_by_assessor(two, cuts={"potential": "median"})
    assert placed.cuts == {"potential": pytest.approx(3.25), "position": 5.0}
    assert placed.accounts["depends_on_assessor"].tolist() == [False, False]
    # a fixed line at 4: Ben's 3.75 falls below it
    assert place_by_assessor(two, cuts={"potential": 4.0}).accounts["quadrants"].iloc[0] == ("invest", "maintain")


def test_anonymous_scores_count_in_the_group_and_the_cross_still_passes_through_it(two):
    # Y gets an anonymous fit 8: the group's fit is (2 + 8)/2 = 5 → potential 10·(3·4/9 + 0.1)/4 = 3.58333;
    # Cai's own fit 2 keeps 1.08333. The cross runs from Cai's place to the group's.
    rows = scores_frame([*ROWS, ("Y", "fit", 8, None, "R1")])
    y = place_by_assessor(two, scores=rows).accounts.iloc[1]
    assert y["potential"] == pytest.approx(3.583333333) and y["n_assessors"] == 1
    assert (y["potential_min"], y["potential_max"]) == (pytest.approx(1.083333333), pytest.approx(3.583333333))


def test_another_round_s_scores_and_the_period_rule(two):
    later = scores_frame([*ROWS, ("X", "fit", 6, "Ben", "R2")])  # R2: only Ben rescored fit, as the group's mean
    x = place_by_assessor(two, scores=later).accounts.iloc[0]
    # fit is now Ben's 6 alone (the latest period of that cell): Ben's place is the group's, no one moves X
    assert x["potential"] == pytest.approx(130 / 24) and x["quadrants"] == ("invest",)
    assert place_by_assessor(two, scores=later, period="R1").accounts["quadrants"].iloc[0] == ("invest", "maintain")


def test_unknown_accounts_and_criteria_in_the_scores_are_refused(two):
    with pytest.raises(KamError, match=r"unknown account 'Q'; known: X, Y"):
        place_by_assessor(two, scores=scores_frame([("Q", "fit", 3, "Ana", None)]))
    with pytest.raises(KamError, match=r"unknown criterion 'fitt' in the scores; known: fit, share, service"):
        place_by_assessor(two, scores=scores_frame([("X", "fitt", 3, "Ana", None)]))
    with pytest.raises(KamError, match=r"unknown criterion 'volume' in the weights"):
        place_by_assessor(two, weights={"volume": 1})


def test_no_scores_and_no_assessors(two):
    empty = place_by_assessor(two, scores=scores_frame([]))
    assert not empty.accounts["placed"].any() and empty.accounts["quadrants"].tolist() == [(), ()]
    assert len(empty.assessors) == 0 and list(empty.assessors.columns) == list(ASSESSOR_COLUMNS)
    anonymous = place_by_assessor(two, scores=scores_frame([(a, c, s, None, None) for a, c, s, _, _ in ROWS]))
    assert anonymous.accounts["n_assessors"].tolist() == [0, 0] and len(anonymous.assessors) == 0
    assert anonymous.accounts["quadrants"].tolist() == [("invest",), ("milk",)]


# Every criterion scored by some of four assessors, one score each: the deviations from each cell's mean sum to
# zero, so the group's composite lies within the assessors' extent on each axis.
one_score = st.one_of(st.none(), st.integers(1, 5))  # service's scale; fit and share are scaled from it


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(one_score, min_size=4, max_size=4), min_size=6, max_size=6))
def test_the_group_lies_within_the_assessors_cross(two, grid):
    rows = []
    for (account, criterion), scores in zip(
        [(a, c) for a in ("X", "Y") for c in ("fit", "share", "service")], grid, strict=True
    ):
        scale = {"fit": 2.0, "share": 20.0, "service": 1.0}[criterion]
        rows += [(account, criterion, s * scale, f"P{i}", None) for i, s in enumerate(scores) if s is not None]
    placed = place_by_assessor(
        two, scores=pd.DataFrame(rows, columns=["account_id", "criterion_id", "score", "assessor", "period"])
    )
    by_account = placed.assessors.groupby("account_id")
    for account in placed.accounts[placed.accounts["placed"]].itertuples():
        mine = by_account.get_group(account.account_id)
        for axis in ("potential", "position"):
            assert mine[axis].min() - 1e-9 <= getattr(account, axis) <= mine[axis].max() + 1e-9
            assert getattr(account, f"{axis}_min") == pytest.approx(mine[axis].min())
            assert getattr(account, f"{axis}_max") == pytest.approx(mine[axis].max())
        assert set(mine["quadrant"]) | {account.quadrant} == set(account.quadrants)
        assert account.depends_on_assessor == (len(account.quadrants) > 1)
