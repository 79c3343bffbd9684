"""The bundled sample engagement through kamlib.agreement: figures checked by hand against its scores sheet."""

import pytest

import kamlib
from kamlib.agreement import (
    agreement_summary,
    cell_spread,
    compare_rounds,
    contested_by_account,
    disagreement_thresholds,
    place_by_assessor,
    round_scores,
    rounds_summary,
    summary_text,
)

TWO_ASSESSORS = ["A002", "A008", "A010", "A013", "A020", "A024", "A030", "A040", "A044", "A045"]
"""The accounts RAS scored beside their KAM in 2026-H1, on all ten criteria."""


@pytest.fixture(scope="module")
def sample(sample_path):
    return kamlib.load(sample_path)


def test_the_sample_has_a_hundred_cells_of_two_assessors_none_past_a_quarter_of_its_scale(sample):
    spread = cell_spread(sample.scores, sample.criteria)
    summary = agreement_summary(spread)
    # 48 accounts × 10 criteria in 2026-H1 (the latest period of every cell); 10 accounts with two assessors
    assert (summary.cells, summary.multi_assessor_cells, summary.multi_assessor_accounts) == (480, 100, 10)
    assert sorted(spread.loc[spread["n_scores"] > 1, "account_id"].unique()) == TWO_ASSESSORS
    # the widest gaps are a quarter of the scale (1 point on the 1–5 fit), on the line: nothing contested
    assert spread["range_share"].max() == 0.25 and summary.contested_cells == 0
    assert summary_text(summary, "en") == "100 cells with several assessors, no cell contested"
    # at a fifth of the scale, the gaps of 2 points on 1–10 (2/9) and 1 on 1–5 (1/4) are past it; 20 points on
    # 0–100, 4 incidents on 0–20 and 1 on the 0–5 relationship are a fifth exactly: on the line
    fifth = cell_spread(sample.scores, sample.criteria, disagreement_thresholds(sample.criteria, share=0.2).to_dict())
    summary = agreement_summary(fifth)
    assert (summary.contested_cells, summary.contested_accounts) == (19, 10)
    by_criterion = summary.criteria.set_index("criterion_id")["contested"]
    assert by_criterion[["share_of_wallet", "incidents", "relationship", "profitability"]].sum() == 0
    assert by_criterion["strategic_fit"] == 6
    a010 = contested_by_account(fifth).set_index("account_id").loc["A010"]
    assert a010["contested_criteria"] == ("strategic_fit", "growth", "product_quality", "price_competitiveness")


def test_on_the_sample_no_quadrant_depends_on_the_assessor_but_with_median_lines_two_do(sample):
    placed = place_by_assessor(sample)
    assert placed.accounts["n_assessors"].gt(1).sum() == 10 and not placed.accounts["depends_on_assessor"].any()
    median = place_by_assessor(sample, cuts={"potential": "median", "position": "median"})
    moving = median.accounts[median.accounts["depends_on_assessor"]]
    assert moving["account_id"].tolist() == ["A030", "A044"]
    assert moving["quadrants"].tolist() == [("invest", "selective"), ("invest", "selective")]
    assert median.assessors.loc[median.assessors["moved"], "assessor"].tolist() == ["RAS", "RAS"]


def test_the_sample_s_two_periods_as_rounds(sample):
    before, after = round_scores(sample.scores, "2025-H2"), round_scores(sample.scores, "2026-H1")
    summary = rounds_summary(compare_rounds(before, after, sample.criteria))
    # 24 accounts scored in 2025-H2 by one assessor, all 48 in 2026-H1: 240 cells in both, 240 new ones
    assert (summary.cells_before, summary.cells_after) == (240, 480)
    assert summary.statuses["agreed"] == 240 and summary.statuses["after_only"] == 240
    assert summary.contested_before == summary.contested_after == 0


def test_each_cell_s_mean_is_the_score_scoring_uses(sample):
    import numpy as np

    from kamlib.scoring import score_table

    spread = cell_spread(sample.scores, sample.criteria)
    table = score_table(sample)
    rows = sample.accounts["account_id"].tolist()
    columns = sample.criteria["criterion_id"].tolist()
    expected = [
        table[rows.index(a), columns.index(c)]
        for a, c in zip(spread["account_id"], spread["criterion_id"], strict=True)
    ]
    np.testing.assert_allclose(spread["mean"], expected)
    assert np.isnan(table).sum() == table.size - len(spread)  # and every scored cell is in the spread
