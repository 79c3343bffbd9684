"""The live matrix's data, prepared in Python for the browser."""

import numpy as np
import pytest

from kamlib import score_accounts
from kamlib.scenarios.live import composites_for, live_matrix_data, numeric_cuts, reference_quadrants, strengths


def test_live_data_carries_normalised_scores_and_nulls(tiny):
    data = live_matrix_data(tiny)
    assert data.accounts["account_id"] == ["A1", "A2", "A3", "A4"]
    assert [c["id"] for c in data.criteria] == ["volume", "growth", "service", "incidents"]
    assert [c["axis"] for c in data.criteria] == [0, 0, 1, 1]
    assert data.accounts["norm"][0] == pytest.approx([8 / 9, 6 / 9, 0.8, 0.9])
    assert data.filters == {
        "sector": sorted(set(tiny.accounts["sector"])),
        "kam_id": ["K1", "K2"],
        "country": ["ES", "FR"],
    }
    assert list(data.sizes) == ["revenue"]


def test_strongest_and_weakest_criteria():
    normalised = np.array([[0.9, np.nan, 0.1, 0.5, 0.7]])
    strong, weak = strengths(normalised, ["a", "b", "c", "d", "e"])
    assert strong == ["a, e, d"] and weak == ["c, d, e"]
    assert live_matrix_data.__doc__


def test_reference_and_composites_agree_with_scoring(tiny):
    weights = {"volume": 1, "growth": 3, "service": 1, "incidents": 2}
    scored = score_accounts(tiny, weights)
    np.testing.assert_allclose(composites_for(tiny, weights), scored[["potential", "position"]].to_numpy())
    assert reference_quadrants(tiny, weights) == dict(zip(scored["account_id"], scored["quadrant"], strict=True))
    assert numeric_cuts({"potential": "median", "position": 4}, composites_for(tiny, weights)) == {
        "potential": pytest.approx(float(np.median(scored["potential"]))),
        "position": 4.0,
    }
