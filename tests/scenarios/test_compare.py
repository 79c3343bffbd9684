"""Comparing two weight scenarios, checked against the tiny engagement worked by hand and scipy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import kamlib
from kamlib.errors import KamError, UnplacedAccountsWarning
from kamlib.fileio import write_table
from kamlib.method import QUADRANTS
from kamlib.scenarios.compare import ACCOUNT_COLUMNS, MOVER_COLUMNS, WEIGHT_COLUMNS, Comparison, compare_scenarios
from kamlib.scenarios.scenario import Scenario, save_scenario, score_scenario

# tests/data/tiny by hand (test_scoring.py): normalised position scores, service (0-5) | incidents (0-20, lower
# better): A1 0.8 | 0.9, A2 0.2 | 0.4, A3 0.9 | 0.95, A4 0.2 | 0.1. With the position cut at 3:
#   workbook weights service 2, incidents 1: A2 position 10*(2*0.2 + 0.4)/3 = 2.6667 < 3 -> selective
#   incidents 3:                              A2 position 10*(2*0.2 + 3*0.4)/5 = 3.2 >= 3  -> invest
#   and A1 10*(1.6 + 2.7)/5 = 8.6, A3 10*(1.8 + 2.85)/5 = 9.3, A4 10*(0.4 + 0.3)/5 = 1.4 keep their quadrants.
# Potential is untouched: A1 8.3333, A2 7.6389, A3 2.7778, A4 1.3889.
CUT3 = Scenario(name="cut3", cuts={"position": 3})
INCIDENTS = Scenario(name="incidents", weights={"incidents": 3}, cuts={"position": 3})
POTENTIAL = [25 / 3, 7.638888889, 2.777777778, 1.388888889]

# Potential from growth alone (volume 0): A1 10*6/9 = 6.6667, A2 10*6.5/9 = 7.2222, A3 10*1/9 = 1.1111,
# A4 10*2/9 = 2.2222; with median cuts, the potential cut moves from (7.6389 + 2.7778)/2 = 5.2083 to
# (6.6667 + 2.2222)/2 = 4.4444. Ranks 1,2,3,4 -> 2,1,4,3: Spearman 1 - 6*(1+1+1+1)/(4*15) = 0.6;
# Kendall: 2 of the 6 pairs swap (A1-A2, A3-A4), (4 - 2)/6 = 1/3.
MEDIAN = Scenario(name="median", cuts={"potential": "median"})
GROWTH = Scenario(name="growth", weights={"volume": 0}, cuts={"potential": "median"})


@pytest.fixture(scope="module")
def moved(tiny: kamlib.Engagement) -> Comparison:
    return compare_scenarios(tiny, CUT3, INCIDENTS)


def test_a_weight_change_moves_the_account_worked_out_by_hand(moved: Comparison) -> None:
    accounts = moved.accounts
    assert accounts.columns.tolist() == list(ACCOUNT_COLUMNS)
    assert accounts["account_id"].tolist() == ["A1", "A2", "A3", "A4"]
    np.testing.assert_allclose(accounts["position_before"], [25 / 3, 8 / 3, 9.166666667, 5 / 3], atol=1e-8)
    np.testing.assert_allclose(accounts["position_after"], [8.6, 3.2, 9.3, 1.4], atol=1e-8)
    np.testing.assert_allclose(accounts["position_change"], [8.6 - 25 / 3, 3.2 - 8 / 3, 9.3 - 9.166666667, 1.4 - 5 / 3])
    np.testing.assert_allclose(accounts["potential_before"], POTENTIAL, atol=1e-8)
    np.testing.assert_allclose(accounts["potential_change"], 0.0, atol=1e-12)
    assert accounts["quadrant_before"].tolist() == ["invest", "selective", "maintain", "milk"]
    assert accounts["quadrant_after"].tolist() == ["invest", "invest", "maintain", "milk"]
    assert accounts["moved"].tolist() == [False, True, False, False]
    assert (accounts["placement"] == "both").all()
    assert accounts["position_rank_before"].tolist() == [2, 3, 1, 4]
    assert accounts["position_rank_change"].tolist() == [0, 0, 0, 0]
    assert moved.movers.to_dict("records") == [
        {
            "account_id": "A2",
            "name": "Hoteles Mirasol",
            "revenue": 640000.0,
            "quadrant_before": "selective",
            "quadrant_after": "invest",
            "potential_before": pytest.approx(7.638888889),
            "potential_after": pytest.approx(7.638888889),
            "position_before": pytest.approx(8 / 3),
            "position_after": pytest.approx(3.2),
        }
    ]
    assert (moved.before_name, moved.after_name) == ("cut3", "incidents")
    assert moved.cuts.to_dict("records") == [
        {"axis": "potential", "cut_before": 5.0, "cut_after": 5.0},
        {"axis": "position", "cut_before": 3.0, "cut_after": 3.0},
    ]


def test_weights_as_shares_of_their_axis(moved: Comparison) -> None:
    weights = moved.weights
    assert weights.columns.tolist() == list(WEIGHT_COLUMNS)
    assert weights["criterion_id"].tolist() == ["volume", "growth", "service", "incidents"]
    assert weights["weight_before"].tolist() == [3.0, 1.0, 2.0, 1.0]
    assert weights["weight_after"].tolist() == [3.0, 1.0, 2.0, 3.0]
    np.testing.assert_allclose(weights["share_before"], [75, 25, 200 / 3, 100 / 3])
    np.testing.assert_allclose(weights["share_after"], [75, 25, 40, 60])
    np.testing.assert_allclose(weights["share_change"], [0, 0, 40 - 200 / 3, 60 - 100 / 3])
    for when in ("before", "after"):
        np.testing.assert_allclose(weights.groupby("axis")[f"share_{when}"].sum(), 100.0)


def test_summary_and_findings_in_both_languages(moved: Comparison) -> None:
    assert moved.summary("en") == "From “cut3” to “incidents”."
    assert moved.findings("en") == [
        "1 of the 4 accounts placed in both changes quadrant: 1 Selective investment → Invest.",
        "Rank correlation over them: potential ρ = 1.00, τ = 1.00; position ρ = 1.00, τ = 1.00.",
        "Cut lines: potential 5 (unchanged), position 3 (unchanged).",
        "Largest weight changes (as % of their axis): Service level −26.7 pp, Service incidents +26.7 pp.",
    ]
    assert moved.summary("es") == "De «cut3» a «incidents»."
    assert moved.findings("es") == [
        "1 de las 4 cuentas situadas en ambos cambia de cuadrante: 1 Inversión selectiva → Invertir.",
        "Correlación de rangos en esas cuentas: potencial ρ = 1,00, τ = 1,00; posición ρ = 1,00, τ = 1,00.",
        "Líneas de corte: potencial 5 (sin cambio), posición 3 (sin cambio).",
        "Mayores cambios de peso (en % de su eje): Nivel de servicio −26,7 pp, Incidencias +26,7 pp.",
    ]
    with pytest.raises(KamError, match=r"unknown language 'fr'; allowed: es, en"):
        moved.summary("fr")


def test_movers_table_for_people(moved: Comparison) -> None:
    es = moved.table("es")
    assert es.index.name == "Cuenta" and es.index.tolist() == ["A2"]
    assert es.columns.tolist() == [
        "Nombre",
        "Facturación",
        "Estrategia antes",
        "Estrategia después",
        "Potencial antes",
        "Potencial después",
        "Posición antes",
        "Posición después",
    ]
    assert es.iloc[0].tolist() == [
        "Hoteles Mirasol",
        640000.0,
        "Inversión selectiva",
        "Invertir",
        7.64,
        7.64,
        2.67,
        3.2,
    ]
    en = moved.table("en")
    assert en.index.name == "Account"
    assert en.loc["A2", ["Strategy before", "Strategy after"]].tolist() == ["Selective investment", "Invest"]


def test_movers_csv_has_the_documented_columns(moved: Comparison, tmp_path: Path) -> None:
    path = tmp_path / "movers.csv"
    write_table(moved.movers, path)
    read = pd.read_csv(path, encoding="utf-8-sig")
    assert read.columns.tolist() == list(MOVER_COLUMNS)
    assert read["account_id"].tolist() == ["A2"]
    assert read.loc[0, "position_after"] == pytest.approx(3.2)


def test_a_scenario_compared_with_itself_changes_nothing(tiny: kamlib.Engagement) -> None:
    for scenario in (None, INCIDENTS, GROWTH):
        same = compare_scenarios(tiny, scenario, scenario)
        assert same.movers.empty and same.movers.columns.tolist() == list(MOVER_COLUMNS)
        assert same.rank_correlation[["spearman_rho", "kendall_tau"]].to_numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
        assert (same.weights["share_change"] == 0).all()
        assert (same.accounts[["potential_change", "position_change"]] == 0).all().all()
        assert (same.accounts[["potential_rank_change", "position_rank_change"]] == 0).all().all()
    workbook = compare_scenarios(tiny, None, None)
    assert workbook.summary("en") == "From the workbook's weights to the workbook's weights."
    assert workbook.findings("en")[0] == "No account changes quadrant (4 placed in both)."
    assert workbook.findings("es")[-1] == "Los pesos son los mismos."


def test_a_median_cut_moves_and_the_ranks_are_worked_out_by_hand(tiny: kamlib.Engagement) -> None:
    comparison = compare_scenarios(tiny, MEDIAN, GROWTH)
    cuts = comparison.cuts.set_index("axis")
    assert cuts.loc["potential", "cut_before"] == pytest.approx((7.638888889 + 2.777777778) / 2)
    assert cuts.loc["potential", "cut_after"] == pytest.approx((20 / 3 + 20 / 9) / 2)
    accounts = comparison.accounts
    np.testing.assert_allclose(accounts["potential_after"], [20 / 3, 65 / 9, 10 / 9, 20 / 9], atol=1e-8)
    assert accounts["potential_rank_before"].tolist() == [1, 2, 3, 4]
    assert accounts["potential_rank_after"].tolist() == [2, 1, 4, 3]
    assert accounts["potential_rank_change"].tolist() == [-1, 1, -1, 1]  # before - after: positive climbed
    assert comparison.movers.empty  # the cut follows the composites: every account keeps its side
    correlation = comparison.rank_correlation.set_index("axis")
    assert correlation.loc["potential", "n"] == 4
    assert correlation.loc["potential", "spearman_rho"] == pytest.approx(0.6)
    assert correlation.loc["potential", "kendall_tau"] == pytest.approx(1 / 3)
    assert comparison.findings("en")[1:3] == [
        "Rank correlation over them: potential ρ = 0.60, τ = 0.33; position ρ = 1.00, τ = 1.00.",
        "Cut lines: potential 5.21 → 4.44, position 5 (unchanged).",
    ]


def test_rank_correlation_is_scipys_on_the_sample(sample_path: Path) -> None:
    sample = kamlib.load(sample_path)
    after = Scenario(name="profit", weights={"profitability": 80, "relationship": 40}, cuts={"potential": "median"})
    comparison = compare_scenarios(sample, None, after)
    before_scored, after_scored = score_scenario(sample, None), score_scenario(sample, after)
    correlation = comparison.rank_correlation.set_index("axis")
    for axis in ("potential", "position"):
        expected = stats.spearmanr(before_scored[axis], after_scored[axis]).statistic
        assert correlation.loc[axis, "spearman_rho"] == pytest.approx(expected)
        assert correlation.loc[axis, "kendall_tau"] == pytest.approx(
            stats.kendalltau(before_scored[axis], after_scored[axis]).statistic
        )
        assert correlation.loc[axis, "n"] == 48
    movers = comparison.movers
    assert set(movers["account_id"]) == set(comparison.accounts.loc[comparison.accounts["moved"], "account_id"])
    moves = movers[["quadrant_before", "quadrant_after", "revenue"]].itertuples(index=False)
    order = [(QUADRANTS.index(a), QUADRANTS.index(b), -revenue) for a, b, revenue in moves]
    assert len(movers) > 1 and order == sorted(order)  # by move (from, to), largest revenue first


@pytest.fixture(scope="module")
def gaps(tiny: kamlib.Engagement) -> kamlib.Engagement:
    """tiny with A3's position scores removed and A4 scored on position by incidents only."""
    scores = tiny.scores
    dropped = ((scores["account_id"] == "A3") & scores["criterion_id"].isin(["service", "incidents"])) | (
        (scores["account_id"] == "A4") & (scores["criterion_id"] == "service")
    )
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "kams", "time")}
    return kamlib.Engagement.from_frames({**frames, "scores": scores[~dropped]})


def test_accounts_out_of_the_matrix_are_never_movers(gaps: kamlib.Engagement) -> None:
    no_incidents = Scenario(name="no incidents", weights={"incidents": 0})  # A4 has no weighted position score
    with pytest.warns(UnplacedAccountsWarning):
        comparison = compare_scenarios(gaps, no_incidents, None)
    accounts = comparison.accounts.set_index("account_id")
    assert accounts["placement"].tolist() == ["both", "both", "neither", "after_only"]
    assert pd.isna(accounts.loc["A4", "quadrant_before"]) and accounts.loc["A4", "quadrant_after"] == "milk"
    assert np.isnan(accounts.loc["A4", "position_before"]) and accounts.loc["A4", "position_after"] == pytest.approx(1)
    assert np.isnan(accounts.loc["A4", "position_change"])
    assert not accounts["moved"].any() and comparison.movers.empty
    assert accounts["potential_rank_before"].tolist() == [1, 2, pd.NA, pd.NA]
    assert accounts["position_rank_after"].isna().tolist() == [False, False, True, True]
    assert comparison.rank_correlation["n"].tolist() == [2, 2]
    assert comparison.findings("en")[-1] == (
        "2 account(s) out of the matrix in a scenario, not counted as movers: A3 (in neither), A4 (only after)."
    )
    assert comparison.findings("es")[-1] == (
        "2 cuenta(s) fuera de la matriz en algún escenario, no cuentan como cambios: A3 (en ninguno), "
        "A4 (solo después)."
    )
    with pytest.warns(UnplacedAccountsWarning):
        swapped = compare_scenarios(gaps, None, no_incidents)
    assert swapped.accounts["placement"].tolist() == ["both", "both", "neither", "before_only"]


def test_correlation_is_undefined_below_two_accounts(gaps: kamlib.Engagement) -> None:
    engagement = kamlib.Engagement.from_frames(
        {
            **{name: getattr(gaps, name) for name in ("accounts", "criteria", "kams", "time")},
            "scores": gaps.scores[gaps.scores["account_id"] == "A1"],
        }
    )
    with pytest.warns(UnplacedAccountsWarning):
        single = compare_scenarios(engagement, None, INCIDENTS)
    assert single.rank_correlation["n"].tolist() == [1, 1]
    assert single.rank_correlation[["spearman_rho", "kendall_tau"]].isna().all().all()
    assert "potential ρ = —, τ = —" in single.findings("en")[1]


def test_scenario_files_and_their_errors(tiny: kamlib.Engagement, tmp_path: Path) -> None:
    before, after = save_scenario(CUT3, tmp_path / "a.yaml"), save_scenario(INCIDENTS, tmp_path / "b.yaml")
    from_files = compare_scenarios(tiny, before, str(after), period="2026-H1")
    assert (from_files.before_name, from_files.after_name, from_files.period) == ("cut3", "incidents", "2026-H1")
    assert from_files.movers["account_id"].tolist() == ["A2"]
    assert from_files.summary("en") == "From “cut3” to “incidents” (scores as of 2026-H1)."
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nweights:\n  volumne: 2\n", encoding="utf-8")
    with pytest.raises(KamError, match=r"^bad\.yaml, weights: unknown criterion 'volumne'; known: volume, growth"):
        compare_scenarios(tiny, None, bad)


def test_comparing_does_not_change_the_scenarios(tiny: kamlib.Engagement) -> None:
    before = INCIDENTS.model_copy(deep=True)
    compare_scenarios(tiny, INCIDENTS, CUT3)
    assert before == INCIDENTS


weights = st.floats(min_value=0, max_value=10, allow_nan=False).map(lambda w: round(w, 2))
cut = st.one_of(st.just("median"), st.floats(min_value=0, max_value=10).map(lambda c: round(c, 2)))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    volume, growth, service, incidents = (draw(weights) for _ in range(4))
    growth = growth if volume + growth > 0 else 1.0
    incidents = incidents if service + incidents > 0 else 1.0
    return Scenario(
        name="s",
        weights={"volume": volume, "growth": growth, "service": service, "incidents": incidents},
        cuts={"potential": draw(cut), "position": draw(cut)},
    )


@settings(max_examples=40, deadline=None)
@given(first=scenarios(), second=scenarios())
def test_swapping_the_scenarios_swaps_the_moves(tiny: kamlib.Engagement, first: Scenario, second: Scenario) -> None:
    forward = compare_scenarios(tiny, first, second)
    backward = compare_scenarios(tiny, second, first)
    moves = forward.movers[["account_id", "quadrant_before", "quadrant_after"]]
    back = backward.movers[["account_id", "quadrant_after", "quadrant_before"]]
    assert set(moves.itertuples(index=False, name=None)) == set(back.itertuples(index=False, name=None))
    np.testing.assert_allclose(forward.weights["share_change"], -backward.weights["share_change"], atol=1e-9)
    assert (forward.accounts["potential_rank_change"] == -backward.accounts["potential_rank_change"]).all()
    pd.testing.assert_frame_equal(forward.rank_correlation, backward.rank_correlation)
    assert compare_scenarios(tiny, first, first).movers.empty
