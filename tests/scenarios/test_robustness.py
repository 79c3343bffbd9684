"""Robustness of each placement (SMAA): the draws follow the stated distributions, the counts are exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import kamlib
from kamlib.errors import KamError
from kamlib.scenarios.robustness import (
    CSV_COLUMNS,
    acceptability,
    acceptability_loop,
    dirichlet_parameters,
    draw_weights,
    load_bounds,
    monte_carlo_error,
    robustness,
)
from kamlib.scenarios.scenario import Scenario
from kamlib.views.robustness import fence_html

XSS = "<script>window.__kam_xss=1</script>"


def engagement(potential: dict[str, float], position: dict[str, float], scores: dict[str, dict[str, float]]):
    """An engagement on 0–1 scales: criteria with their weights per axis, and each account's scores."""
    criteria = pd.DataFrame(
        [
            {"criterion_id": c, "axis": axis, "label_es": c, "label_en": c, "weight": w, "scale_min": 0, "scale_max": 1}
            for axis, weights in (("potential", potential), ("position", position))
            for c, w in weights.items()
        ]
    ).assign(higher_is_better=True)
    accounts = pd.DataFrame(
        {"account_id": list(scores), "name": list(scores), "sector": "s", "kam_id": "K1", "revenue": 1000.0}
    )
    rows = [{"account_id": a, "criterion_id": c, "score": v} for a, given in scores.items() for c, v in given.items()]
    kams = pd.DataFrame({"kam_id": ["K1"], "name": ["Ana"], "capacity_hours": [1600]})
    time = pd.DataFrame({"kam_id": ["K1"], "period": ["2026-01"], "activity": ["selling"], "hours": [10.0]})
    return kamlib.Engagement.from_frames(
        {"accounts": accounts, "criteria": criteria, "scores": pd.DataFrame(rows), "kams": kams, "time": time}
    )


def within(estimate: float, p: float, draws: int, sigmas: float = 4.0) -> bool:
    return abs(estimate - p) <= sigmas * np.sqrt(p * (1 - p) / draws)


def test_uniform_draws_are_uniform_on_the_simplex_not_normalised_uniforms():
    """Potential = 10·w₁ for this account, high iff w₁ ≥ 0.5. Uniform on the 3-simplex, w₁ ~ Beta(1, 2):
    P = (1 − 0.5)² = 0.25. Normalised independent uniforms would give P(u₁ ≥ u₂ + u₃) = 1/6."""
    e = engagement({"p1": 1, "p2": 1, "p3": 1}, {"q1": 1}, {"X": {"p1": 1, "p2": 0, "p3": 0, "q1": 1}})
    draws = 40_000
    row = robustness(e, draws=draws, concentration=None, seed=11).accounts.iloc[0]
    assert row["quadrant"] == "maintain"  # equal weights: 10/3 < 5, low potential, and strong position
    assert within(row["p_invest"], 0.25, draws) and not within(row["p_invest"], 1 / 6, draws)
    assert row["p_invest"] + row["p_maintain"] == pytest.approx(1.0) and row["p_selective"] == row["p_milk"] == 0


def test_dirichlet_draws_centre_on_the_chosen_weights_with_the_stated_concentration():
    """Weights 3:1, C = 20 → w₁ ~ Beta(15, 5). Cut 8: potential 10·w₁ is high iff w₁ ≥ 0.8."""
    e = engagement({"p1": 3, "p2": 1}, {"q1": 1}, {"X": {"p1": 1, "p2": 0, "q1": 1}})
    scenario = Scenario(name="cut 8", cuts={"potential": 8})
    draws = 40_000
    result = robustness(e, scenario, draws=draws, concentration=20, seed=5)
    row = result.accounts.iloc[0]
    assert row["quadrant"] == "maintain"  # 10 × 3/4 = 7.5 < 8
    expected = stats.beta(15, 5).cdf(0.8)
    assert within(row["stability"], expected, draws) and row["p_maintain"] == row["stability"]
    assert within(row["p_invest"], 1 - expected, draws)
    assert row["stability_error"] == pytest.approx(1.96 * np.sqrt(row["stability"] * (1 - row["stability"]) / draws))
    assert row["on_the_fence"] == (row["stability"] < 0.8) and row["likeliest_other"] == "invest"
    alpha = dirichlet_parameters(np.array([3.0, 1.0, 1.0]), np.array([0, 0, 1]), 20.0)
    assert alpha.tolist() == [15.0, 5.0, 20.0]
    weights = draw_weights(alpha, np.array([0, 0, 1]), 20_000, np.random.default_rng(1)).weights
    assert weights[:, :2].sum(axis=1) == pytest.approx(1.0) and weights[:, 2] == pytest.approx(1.0)
    assert weights[:, 0].mean() == pytest.approx(0.75, abs=0.003)
    assert weights[:, 0].var() == pytest.approx(0.75 * 0.25 / 21, rel=0.05)


def test_a_criterion_weighted_zero_stays_zero_and_an_unplaced_account_gets_no_probabilities():
    e = engagement(
        {"p1": 1, "p2": 1},
        {"q1": 1},
        {"X": {"p1": 1, "p2": 0, "q1": 1}, "U": {"p1": 1, "p2": 1}},  # U has no position score
    )
    with pytest.warns(kamlib.UnplacedAccountsWarning):
        result = robustness(e, Scenario(name="p2 off", weights={"p2": 0}), draws=500, seed=1)
    x, u = result.accounts.itertuples(index=False)
    assert x.quadrant == "invest" and x.stability == 1.0 and x.stability_error == 0.0 and pd.isna(x.likeliest_other)
    assert pd.isna(u.quadrant) and np.isnan(u.stability) and np.isnan(u.p_invest) and not u.on_the_fence
    drawn = draw_weights(np.array([5.0, 0.0, 3.0]), np.array([0, 0, 1]), 100, np.random.default_rng(0)).weights
    assert (drawn[:, 1] == 0).all() and drawn[:, 0] == pytest.approx(1.0)


def test_the_same_seed_gives_the_same_numbers_and_chunks_do_not_change_them(tiny):
    sample = kamlib.load()
    one = robustness(sample, draws=3000, concentration=5, seed=42).accounts
    two = robustness(sample, draws=3000, concentration=5, seed=42).accounts
    pd.testing.assert_frame_equal(one, two)
    other = robustness(sample, draws=3000, concentration=5, seed=43).accounts
    assert not one["stability"].equals(other["stability"])
    normalised = kamlib.scoring.normalised_table(tiny)
    codes = kamlib.scoring.axis_codes(tiny)
    w = draw_weights(np.ones(4), codes, 1000, np.random.default_rng(3)).weights
    whole = acceptability(normalised, codes, w, (5.0, 5.0))
    assert np.array_equal(whole, acceptability(normalised, codes, w, (5.0, 5.0), chunk_cells=7))
    assert (whole.sum(axis=1) == 1000).all()


scores_matrix = st.integers(2, 12).flatmap(
    lambda n: st.lists(
        st.one_of(st.none(), st.floats(0, 1, allow_nan=False), st.sampled_from([0.0, 0.5, 1.0])),
        min_size=n * 5,
        max_size=n * 5,
    ).map(lambda v: np.array([np.nan if x is None else x for x in v]).reshape(n, 5))
)


@settings(max_examples=60, deadline=None)
@given(
    normalised=scores_matrix,
    seed=st.integers(0, 1000),
    cuts=st.sampled_from([(5.0, 5.0), (None, None), (3.0, None), (None, 7.5), (0.0, 10.0)]),
    uniform=st.booleans(),
)
def test_vectorised_counts_equal_scoring_each_draw_one_by_one(normalised, seed, cuts, uniform):
    """The chunked matrix products count exactly what `kamlib.scoring` places, draw by draw, NaN and median
    cut lines included (rounding to the scoring's decimals, a composite on a cut line counting as high)."""
    codes = np.array([0, 0, 0, 1, 1])
    alpha = dirichlet_parameters(np.array([2.0, 1.0, 1.0, 3.0, 1.0]), codes, 10.0, uniform=uniform)
    w = draw_weights(alpha, codes, 60, np.random.default_rng(seed)).weights
    counts = acceptability(normalised, codes, w, cuts, chunk_cells=25)
    assert np.array_equal(counts, acceptability_loop(normalised, codes, w, cuts))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), concentration=st.floats(0.5, 500))
def test_probabilities_of_placed_accounts_add_up_to_one(tiny, seed, concentration):
    accounts = robustness(tiny, draws=200, concentration=concentration, seed=seed).accounts
    p = accounts[[f"p_{q}" for q in ("invest", "selective", "maintain", "milk")]].sum(axis=1)
    assert np.allclose(p, 1.0)
    own = [row[f"p_{row['quadrant']}"] for _, row in accounts.iterrows()]
    assert np.allclose(own, accounts["stability"])


def test_bounds_keep_every_draw_inside_and_too_narrow_bounds_are_explained(tiny):
    codes = kamlib.scoring.axis_codes(tiny)  # volume, growth | service, incidents
    bounds = np.array([[0.6, 0.9], [np.nan, np.nan], [np.nan, 0.5], [np.nan, np.nan]])
    drawn = draw_weights(np.ones(4), codes, 2000, np.random.default_rng(1), bounds)
    assert drawn.weights.shape == (2000, 4) and 0 < drawn.acceptance < 1
    assert (drawn.weights[:, 0] >= 0.6).all() and (drawn.weights[:, 0] <= 0.9).all()
    assert (drawn.weights[:, 2] <= 0.5).all()
    result = robustness(tiny, draws=500, seed=1, bounds={"volume": (60, 90), "service": (None, 50)})
    assert 0 < result.acceptance < 1
    with pytest.raises(KamError, match="too narrow"):
        robustness(tiny, draws=500, seed=1, concentration=2000, bounds={"volume": (99.9, 100)})


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"size": (1, 2)}, "unknown criterion 'size'"),
        ({"volume": (10, 120)}, "120 is not a percentage"),
        ({"volume": (50, 40)}, "minimum 50 is above the maximum 40"),
        ({"growth": (10, None)}, "growth: the scenario weighs it 0, so it stays 0 in every draw"),
        ({"volume": (60, None), "service": (50, None), "incidents": (60, None)}, "minimums add up to more than 100"),
        ({"service": (None, 40), "incidents": (None, 40)}, "maximums add up to less than 100"),
    ],
)
def test_bad_bounds_are_named(tiny, bounds, message):
    growth_off = Scenario(name="growth off", weights={"growth": 0})
    with pytest.raises(KamError, match=f"^b.yaml, .*{message}"):
        robustness(tiny, growth_off, draws=10, bounds=bounds, bounds_source="b.yaml")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"draws": 0}, "draws must be a whole number from 1 to 1,000,000, not 0"),
        ({"draws": 1_000_001}, "from 1 to 1,000,000, not 1000001"),
        ({"concentration": -1.0}, "concentration must be a number > 0"),
        ({"seed": -1}, "the seed must be a whole number ≥ 0, not -1"),
    ],
)
def test_bad_options_are_named(tiny, options, message):
    with pytest.raises(KamError, match=message):
        robustness(tiny, **options)


def test_bounds_file_reads_pairs_and_mappings_and_names_bad_fields(tmp_path):
    good = tmp_path / "bounds.yaml"
    good.write_text("volume: [10, 60]\nservice: {max: '30,5'}\n7: {min: 5}\n", encoding="utf-8")
    assert load_bounds(good) == {"volume": (10, 60), "service": (None, 30.5), "7": (5, None)}
    bad = tmp_path / "bad.yaml"
    bad.write_text("volume: [10, 160]\nservice: {maxi: 30}\ngrowth: 5\n", encoding="utf-8")
    with pytest.raises(KamError) as error:
        load_bounds(bad)
    lines = error.value.render("en").splitlines()
    assert lines == [
        "bad.yaml, field volume.max: got 160; allowed: a number ≤ 100",
        "bad.yaml, field service.maxi: got 30; allowed fields: min, max",
        "bad.yaml, field growth: got 5; allowed: [min, max] or {min: …, max: …}",
    ]


def test_tables_for_people_in_both_languages(tiny):
    names = tiny.accounts["name"].where(tiny.accounts["account_id"] != "A2", XSS)
    sheets = {"criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams, "time": tiny.time}
    e = kamlib.Engagement.from_frames({**sheets, "accounts": tiny.accounts.assign(name=names)})
    result = robustness(e, draws=2000, concentration=3, seed=9)
    es, en = result.table("es"), result.table("en")
    assert list(es.columns[:3]) == ["Cuenta", "Estrategia", "Estabilidad % (± error 95 %)"]
    assert "Invertir %" in es.columns and "Invest %" in en.columns and "Likeliest alternative" in en.columns
    first = result.accounts.sort_values("stability", kind="stable").iloc[0]
    assert es.iloc[0, 2] == f"{100 * first['stability']:.1f} ± {100 * first['stability_error']:.1f}".replace(".", ",")
    assert XSS in es["Cuenta"].tolist()  # a name stays the text it is; HTML escaping is the display's job
    assert len(result.table("en", only_fence=True)) == int(result.accounts["on_the_fence"].sum())
    assert result.summary("es").endswith("con 2.000 pesos extraídos (Dirichlet, concentración 3; semilla 9).")
    assert "over 2,000 weight draws (Dirichlet, concentration 3; seed 9)" in result.summary("en")
    assert set(CSV_COLUMNS) <= set(result.accounts.columns)


def test_monte_carlo_error():
    assert monte_carlo_error(np.array([0.5, 0.0, 1.0]), 10_000).tolist() == pytest.approx([0.0098, 0.0, 0.0])


def test_a_run_without_a_seed_says_the_seed_that_repeats_it(tiny):
    first = robustness(tiny, draws=300, concentration=2)
    assert isinstance(first.seed, int) and first.seed >= 0 and f"seed {first.seed})" in first.summary("en")
    again = robustness(tiny, draws=300, concentration=2, seed=first.seed)
    pd.testing.assert_frame_equal(first.accounts, again.accounts)


def test_spanish_numbers_bounds_in_the_summary_and_a_fence_sentence(tiny):
    result = robustness(tiny, draws=400, concentration=2.5, seed=1, bounds={"volume": (40, 95)})
    spanish = result.summary("es")
    assert "concentración 2,5; semilla 1; dentro de los límites de 1 criterios" in spanish
    assert f"{100 * result.acceptance:.1f} %".replace(".", ",") in spanish
    calm = robustness(tiny, draws=300, concentration=5000, seed=1)
    assert not calm.accounts["on_the_fence"].any()
    assert fence_html(calm, "en") == (
        "<p>No account is on the fence: every strategy holds in at least 80% of the weight draws.</p>"
    )
    with pytest.raises(KamError) as narrow:
        robustness(tiny, draws=500, seed=1, concentration=2000, bounds={"volume": (99.9, 100)})
    assert "extracciones los cumplen (0,00 %)" in narrow.value.render("es")
