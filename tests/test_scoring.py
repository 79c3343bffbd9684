"""The scoring rule, checked against hand-worked numbers, properties and an independent MCDA library."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib import scoring
from kamlib.errors import KamError, UnplacedAccountsWarning

# tests/data/tiny worked by hand (weights volume 3, growth 1 | service 2 on 0-5, incidents 1 on 0-20 lower better):
# A1 potential 10*(3*8/9 + 6/9)/4 = 8.3333, position 10*(2*0.8 + 0.9)/3 = 8.3333 -> invest
# A2 potential 10*(3*7/9 + 6.5/9)/4 = 7.6389 ("7,5" read as 7.5), position 10*(2*0.2 + 0.4)/3 = 2.6667 -> selective
# A3 potential 10*(3*3/9 + 1/9)/4 = 2.7778 (assessors 3 and 5 averaged), position 10*(2*0.9 + 0.95)/3 = 9.1667
#    (the 2026-H1 service score, not the older 2025-H2 one) -> maintain
# A4 potential 10*(3*1/9 + 2/9)/4 = 1.3889, position 10*(2*0.2 + 0.1)/3 = 1.6667 -> milk
EXPECTED = pd.DataFrame(
    {
        "account_id": ["A1", "A2", "A3", "A4"],
        "potential": [25 / 3, 7.638888889, 2.777777778, 1.388888889],
        "position": [25 / 3, 8 / 3, 9.166666667, 5 / 3],
        "quadrant": ["invest", "selective", "maintain", "milk"],
    }
)


def test_tiny_engagement_matches_hand_worked_composites(tiny):
    scored = scoring.score_accounts(tiny)
    assert scored["account_id"].tolist() == EXPECTED["account_id"].tolist()
    np.testing.assert_allclose(scored["potential"], EXPECTED["potential"], atol=1e-8)
    np.testing.assert_allclose(scored["position"], EXPECTED["position"], atol=1e-8)
    assert scored["quadrant"].tolist() == EXPECTED["quadrant"].tolist()
    assert scored["strategy_es"].tolist() == ["Invertir", "Inversión selectiva", "Mantener", "Ordeñar"]
    assert scored["strategy_en"].tolist() == ["Invest", "Selective investment", "Maintain", "Milk"]
    assert scored["placed"].all()
    assert scored.attrs["cuts"] == {"potential": 5.0, "position": 5.0}
    assert "country" in scored.columns  # extra account columns are kept


def test_weights_override_changes_only_named_criteria(tiny):
    scored = scoring.score_accounts(tiny, weights={"volume": 1})
    # A1 potential with volume 1, growth 1: 10*(8/9 + 6/9)/2
    assert scored.loc[0, "potential"] == pytest.approx(10 * (8 / 9 + 6 / 9) / 2)
    assert scored.loc[0, "position"] == pytest.approx(25 / 3)


def test_a_zero_weight_criterion_does_not_count(tiny):
    scored = scoring.score_accounts(tiny, weights={"growth": 0})
    assert scored.loc[0, "potential"] == pytest.approx(10 * 8 / 9)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"volumne": 2}, r"unknown criterion 'volumne' in the weights; known: volume, growth, service, incidents"),
        ({"volume": -1}, r"weight -1 of criterion 'volume' is not allowed; allowed: a number ≥ 0"),
        ({"service": 0, "incidents": 0}, r"all weights on axis 'position' are zero"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(tiny, weights, message):
    with pytest.raises(KamError, match=message):
        scoring.score_accounts(tiny, weights=weights)


def test_median_cut_lines_split_the_portfolio(tiny):
    scored = scoring.score_accounts(tiny, cuts={"potential": "median", "position": "mediana"})
    assert scored.attrs["cuts"]["potential"] == pytest.approx(np.median(EXPECTED["potential"]))
    assert scored.attrs["cuts"]["position"] == pytest.approx(np.median(EXPECTED["position"]))
    assert (scored["quadrant"].isin(["invest", "selective"])).sum() == 2


def test_fixed_cut_lines_and_their_limits(tiny):
    scored = scoring.score_accounts(tiny, cuts={"potential": 8.0, "position": 2.0})
    assert scored["quadrant"].tolist() == ["invest", "maintain", "maintain", "milk"]
    with pytest.raises(KamError, match=r"cut line 11.0 for axis potential is outside 0 to 10"):
        scoring.score_accounts(tiny, cuts={"potential": 11.0})
    with pytest.raises(KamError, match=r"unknown cut line 'middle' for axis position; allowed: a number from 0 to 10"):
        scoring.score_accounts(tiny, cuts={"position": "middle"})


def test_a_point_on_the_cut_line_counts_as_high_and_strong():
    # All scores at the 1-10 scale midpoint 5.5 give composites of exactly 5.0 after rounding.
    normalised = scoring.normalise(np.full((1, 3), 5.5), np.ones(3), np.full(3, 10.0), np.ones(3, bool))
    composites = scoring.axis_composites(normalised, np.array([0.3, 0.3, 0.4]), np.array([0, 0, 1]))
    assert composites.tolist() == [[5.0, 5.0]]
    assert scoring.classify(composites, np.array([5.0, 5.0])).tolist() == [0]  # invest
    assert scoring.classify(composites - 1e-9, np.array([5.0, 5.0])).tolist() == [3]  # milk


def test_period_is_as_of_any_label(tiny):
    with pytest.warns(
        UnplacedAccountsWarning, match=r"4 account\(s\) left out of the matrix: A1 \(no weighted score on potential"
    ):
        scored = scoring.score_accounts(tiny, period="2025-H2")
    # As of 2025-H2 only A3's older service score exists: position 10*0.2 = 2, potential unscored.
    assert scored.loc[2, "position"] == pytest.approx(2.0)
    assert not scored["placed"].any()
    assert scored.loc[2, "missing_axis"] == "potential"
    assert scored.loc[0, "missing_axis"] == "potential, position"
    # Any label works, as of that period: 2026 comes after both rounds, 2024 before both.
    assert scoring.score_accounts(tiny, period="2026")["quadrant"].tolist() == EXPECTED["quadrant"].tolist()
    with pytest.warns(UnplacedAccountsWarning, match=r"4 account\(s\)"):
        assert scoring.score_accounts(tiny, period="2024")["placed"].sum() == 0


def test_periods_sort_naturally(tiny):
    from kamlib.periods import sort_periods

    assert sort_periods(["10", "9", "11"]) == ["9", "10", "11"]
    assert tiny.periods == ["2025-H2", "2026-H1"]


def test_unscored_axis_is_flagged_never_zero(tiny):
    frames = {
        "accounts": tiny.accounts,
        "criteria": tiny.criteria,
        "scores": tiny.scores[
            ~((tiny.scores.account_id == "A4") & (tiny.scores.criterion_id.isin(["service", "incidents"])))
        ],
        "kams": tiny.kams,
        "time": tiny.time,
    }
    engagement = kamlib.Engagement.from_frames(frames)
    with pytest.warns(
        UnplacedAccountsWarning, match=r"1 account\(s\) left out of the matrix: A4 \(no weighted score on position\)"
    ):
        scored = scoring.score_accounts(engagement)
    a4 = scored.set_index("account_id").loc["A4"]
    assert np.isnan(a4["position"]) and pd.isna(a4["quadrant"]) and not a4["placed"]
    assert a4["potential"] == pytest.approx(1.388888889)


def engagement_with(tiny, accounts: pd.DataFrame, scores: pd.DataFrame) -> kamlib.Engagement:
    frames = {"accounts": accounts, "criteria": tiny.criteria, "scores": scores, "kams": tiny.kams, "time": tiny.time}
    return kamlib.Engagement.from_frames(frames)


def test_accounts_the_ingest_added_await_their_scores_without_a_warning(tiny):
    accounts = tiny.accounts.assign(source=["", "", "", "ledger"])  # kam ingest added A4
    position = tiny.scores["criterion_id"].isin(["service", "incidents"])
    engagement = engagement_with(tiny, accounts, tiny.scores[~(position & (tiny.scores.account_id == "A4"))])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnplacedAccountsWarning)
        scored = scoring.score_accounts(engagement)
    with pytest.warns(UnplacedAccountsWarning) as before:  # as of 2024 nothing is scored: A4 has no score yet
        assert scoring.score_accounts(engagement, period="2024")["placed"].sum() == 0
    assert [a for a, _ in before[0].message.unplaced] == ["A1", "A2", "A3"]
    a4 = scored.set_index("account_id").loc["A4"]
    assert not a4["placed"] and a4["missing_axis"] == "position" and a4["source"] == "ledger"
    # A3, typed by hand, lacks its position scores too: it is named, and A4 is not
    a3 = position & (tiny.scores.account_id.isin(["A3", "A4"]))
    with pytest.warns(UnplacedAccountsWarning) as caught:
        scoring.score_accounts(engagement_with(tiny, accounts, tiny.scores[~a3]))
    assert [w.message.unplaced for w in caught] == [[("A3", "position")]]


def test_an_added_account_whose_scores_weigh_nothing_is_still_named(tiny):
    accounts = tiny.accounts.assign(source=["", "", "", " Ledger "])
    incidents = (tiny.scores.account_id == "A4") & (tiny.scores.criterion_id == "incidents")
    engagement = engagement_with(tiny, accounts, tiny.scores[~incidents])  # A4 keeps its service score only
    with pytest.warns(
        UnplacedAccountsWarning, match=r"^1 account\(s\) left out of the matrix: A4 \(no weighted score on position\)$"
    ):
        scoring.score_accounts(engagement, weights={"service": 0})  # A4's position has a score, of weight 0


def test_missing_score_is_left_out_of_the_denominator():
    normalised = np.array([[1.0, np.nan, 0.5, 0.0]])
    composites = scoring.axis_composites(normalised, np.array([1.0, 3.0, 1.0, 1.0]), np.array([0, 0, 1, 1]))
    assert composites.tolist() == [[10.0, 2.5]]


def test_score_matrix_averages_assessors_and_keeps_the_latest_period(tiny):
    table = scoring.score_table(tiny)
    assert table[2, 0] == pytest.approx(4.0)  # A3 volume: assessors 3 and 5
    assert table[2, 2] == pytest.approx(4.5)  # A3 service: 2026-H1 beats 2025-H2


# ---------------------------------------------------------------- properties (hypothesis)

N_CRIT = 6
AXIS = np.array([0, 0, 0, 1, 1, 1])
LO = np.array([1.0, 0, 1, 0, 1, 1])
HI = np.array([10.0, 5, 10, 20, 7, 10])
HIB = np.array([True, True, False, True, False, True])

scores_st = st.lists(st.floats(0, 1), min_size=N_CRIT, max_size=N_CRIT).map(lambda u: LO + np.array(u) * (HI - LO))
weights_st = st.lists(st.floats(0.01, 100), min_size=N_CRIT, max_size=N_CRIT).map(np.array)


def composite_of(raw, weights):
    n = scoring.normalise(raw[None, :], LO, HI, HIB)
    return scoring.axis_composites(n, weights, AXIS)[0]


@settings(max_examples=200, deadline=None)
@given(scores_st, weights_st, st.integers(0, N_CRIT - 1), st.floats(0, 1))
def test_raising_a_score_never_lowers_its_composite(raw, weights, j, step):
    before = composite_of(raw, weights)
    raised = raw.copy()
    raised[j] = raised[j] + step * (HI[j] - raised[j])
    after = composite_of(raised, weights)
    # "Raising" means better: on a lower-is-better criterion a better score is a lower one.
    better = raised if HIB[j] else raw
    worse = raw if HIB[j] else raised
    assert composite_of(better, weights)[AXIS[j]] >= composite_of(worse, weights)[AXIS[j]] - 1e-12
    assert after[1 - AXIS[j]] == before[1 - AXIS[j]]


@settings(max_examples=200, deadline=None)
@given(scores_st, weights_st, st.permutations(list(range(N_CRIT))))
def test_reordering_criteria_changes_nothing(raw, weights, order):
    order = np.array(order)
    n = scoring.normalise(raw[None, :], LO, HI, HIB)
    a = scoring.axis_composites(n, weights, AXIS)
    b = scoring.axis_composites(n[:, order], weights[order], AXIS[order])
    np.testing.assert_allclose(a, b, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(scores_st, weights_st, st.floats(1e-3, 1e3), st.integers(0, 1))
def test_scaling_an_axis_weights_changes_nothing(raw, weights, factor, axis):
    scaled = np.where(axis == AXIS, weights * factor, weights)
    np.testing.assert_allclose(composite_of(raw, weights), composite_of(raw, scaled), atol=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 10), st.floats(0, 10)), min_size=1, max_size=50), st.floats(0, 10), st.floats(0, 10)
)
def test_quadrant_flips_exactly_at_the_cut_line(points, cut_p, cut_q):
    composites = np.array(points)
    codes = scoring.classify(composites, np.array([cut_p, cut_q]))
    high = composites[:, 0] >= cut_p
    strong = composites[:, 1] >= cut_q
    expected = np.select([high & strong, high & ~strong, ~high & strong], [0, 1, 2], 3)
    assert codes.tolist() == expected.tolist()
    # Moving a point onto the line makes it high/strong; a hair below makes it low/weak.
    on_line = np.array([[cut_p, cut_q]])
    assert scoring.classify(on_line, np.array([cut_p, cut_q])).tolist() == [0]
    below = np.array([[np.nextafter(cut_p, -1), np.nextafter(cut_q, -1)]])
    if cut_p > 0 and cut_q > 0:
        assert scoring.classify(below, np.array([cut_p, cut_q])).tolist() == [3]


# ---------------------------------------------------------------- cross-check with pymcdm


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_composites_and_rankings_agree_with_pymcdm(seed):
    """pymcdm's WSM with min-max normalisation, with rows at scale_min and scale_max so both normalise alike."""
    from pymcdm import normalizations
    from pymcdm.methods import WSM

    rng = np.random.default_rng(seed)
    n_acc = 60
    raw = LO + rng.random((n_acc, N_CRIT)) * (HI - LO)
    weights = rng.uniform(0.1, 5, N_CRIT)
    ours = scoring.axis_composites(scoring.normalise(raw, LO, HI, HIB), weights, AXIS)
    for axis in (0, 1):
        cols = axis == AXIS
        bounds = np.vstack([LO[cols], HI[cols]])
        matrix = np.vstack([raw[:, cols], bounds])
        types = np.where(HIB[cols], 1, -1)
        w = weights[cols] / weights[cols].sum()
        theirs = WSM(normalization_function=normalizations.minmax_normalization)(matrix, w, types)[:n_acc]
        np.testing.assert_allclose(ours[:, axis], 10 * theirs, atol=1e-8)
        np.testing.assert_array_equal(np.argsort(-ours[:, axis], kind="stable"), np.argsort(-theirs, kind="stable"))


def test_scoring_does_not_change_its_input(tiny):
    before = tiny.scores.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scoring.score_accounts(tiny)
    pd.testing.assert_frame_equal(before, tiny.scores)
