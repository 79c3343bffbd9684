"""Criteria and weights per segment, worked by hand on tests/data/segments (the tiny engagement with a Horeca segment).

The workbook: default rows volume 3 (1–10), growth 1 (1–10), service 2 (0–5), incidents 1 (0–20, lower better);
Horeca rows replace volume (weight 1, scale 1–5) and incidents (weight 3, 0–10, lower better) and add menu (weight
2, 0–10), a criterion of Horeca only. A2 is Horeca by its sector; A4 (sector exportación) by its segment cell.

- A1 (default): potential 10·(3·8/9 + 1·6/9)/4 = 8.333333; position 10·(2·0.8 + 1·0.9)/3 = 8.333333: invest.
- A2 (Horeca): volume 4 → 0.75, growth 7.5 → 0.722222, menu 6 → 0.6: potential 10·(0.75 + 0.722222 + 2·0.6)/4 =
  6.680556; service 1 → 0.2, incidents 5 → 0.5: position 10·(2·0.2 + 3·0.5)/5 = 3.8: selective.
- A4 (Horeca): volume 2 → 0.25, growth 3 → 0.222222, menu 10 → 1: potential 6.180556; service 0.2, incidents 8 →
  0.2: position 2.0: selective. With menu weighing 0 for Horeca: potential 10·(0.25 + 0.222222)/2 = 2.361111: milk.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

import kamlib
from kamlib.errors import KamError, KamWarning, WorkbookError
from kamlib.scenarios.compare import compare_scenarios
from kamlib.scenarios.robustness import robustness, unfold
from kamlib.scenarios.scenario import Scenario, load_scenario, save_scenario, score_scenario
from kamlib.scoring import score_accounts, weight_matrix
from tests.conftest import ROOT, copy_book

SEGMENTS = ROOT / "tests" / "data" / "segments"


@pytest.fixture(scope="module")
def segmented() -> kamlib.Engagement:
    return kamlib.load(SEGMENTS)


def book(tmp_path: Path, **files: str) -> Path:
    """A copy of the segmented workbook with these CSV files written over it (name → text)."""
    return copy_book(SEGMENTS, tmp_path / "libro", **files)


def problems(path: Path, lang: str = "en") -> str:
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(path)
    return caught.value.render(lang)


def test_each_account_is_scored_by_its_segments_criteria(segmented: kamlib.Engagement) -> None:
    assert segmented.segments.names == ("", "Horeca")  # " HORECA" and "horeca" are the same segment
    assert segmented.segments.codes.tolist() == [0, 1, 0, 1]
    assert segmented.criteria["criterion_id"].tolist() == ["volume", "growth", "service", "incidents", "menu"]
    assert len(segmented.segment_criteria) == 3
    scored = score_accounts(segmented).set_index("account_id")
    assert scored["potential"].tolist() == pytest.approx([8.333333333, 6.680555556, 1.944444444, 6.180555556])
    assert scored["position"].tolist() == pytest.approx([8.333333333, 3.8, 9.166666667, 2.0])
    assert scored["quadrant"].tolist() == ["invest", "selective", "maintain", "selective"]


def test_segment_weights_move_that_segments_accounts_only(segmented: kamlib.Engagement) -> None:
    scored = score_accounts(segmented, segment_weights={"horeca": {"menu": 0}}).set_index("account_id")
    assert scored["potential"].tolist() == pytest.approx([8.333333333, 7.361111111, 1.944444444, 2.361111111])
    assert scored.loc["A4", "quadrant"] == "milk"
    assert scored.attrs["segment_weights"] == {"horeca": {"menu": 0.0}}
    # a default weight reaches the segments that follow the default row (growth), not those with their own (volume)
    default = score_accounts(segmented, {"volume": 0, "growth": 5}).set_index("account_id")
    assert default.loc["A1", "potential"] == pytest.approx(10 * 6 / 9)  # growth alone
    # A2: volume keeps its Horeca weight 1; growth weighs 5: 10·(0.75 + 5·0.722222 + 2·0.6)/8
    assert default.loc["A2", "potential"] == pytest.approx(10 * (0.75 + 5 * 6.5 / 9 + 1.2) / 8)


def test_weight_matrix_says_what_is_wrong(segmented: kamlib.Engagement) -> None:
    matrix = weight_matrix(segmented)
    assert matrix.tolist() == [[3, 1, 2, 1, 0], [1, 1, 2, 3, 2]]
    with pytest.raises(KamError, match=r"unknown segment 'retail'.*known .*Horeca"):
        weight_matrix(segmented, segment_weights={"retail": {"volume": 1}})
    with pytest.raises(KamError, match="criterion 'menu' has no default row"):
        weight_matrix(segmented, {"menu": 1})
    with pytest.raises(KamError, match="all weights on axis 'potential' of segment 'Horeca' are zero"):
        weight_matrix(segmented, segment_weights={"Horeca": {"volume": 0, "growth": 0, "menu": 0}})
    with pytest.raises(KamError, match="given weights twice"):
        weight_matrix(segmented, segment_weights={"Horeca": {"menu": 1}, "horeca ": {"menu": 2}})


def test_a_scenario_carries_segment_weights(segmented: kamlib.Engagement, tmp_path: Path) -> None:
    path = tmp_path / "carta.yaml"
    path.write_text("name: Sin carta\nsegment_weights:\n  HORECA:\n    menu: '0'\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.segment_weights == {"HORECA": {"menu": 0.0}}
    scored = score_scenario(segmented, path).set_index("account_id")
    assert scored.loc["A4", "potential"] == pytest.approx(2.361111111)
    save_scenario(scenario, tmp_path / "again.yaml")
    assert load_scenario(tmp_path / "again.yaml").segment_weights == scenario.segment_weights
    path.write_text("name: Mal\nsegment_weights:\n  Horeca:\n    service: 1\n    nada: 2\n", encoding="utf-8")
    with pytest.raises(KamError, match=r"carta\.yaml, segment_weights, Horeca: unknown criterion 'nada'"):
        score_scenario(segmented, path)


def test_a_criterion_outside_its_segment_cannot_be_weighed_there(tmp_path: Path) -> None:
    criteria = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8") + "shelf,potential,,,1,1,10,true,Retail\n"
    accounts = (
        (SEGMENTS / "accounts.csv")
        .read_text(encoding="utf-8")
        .replace(",gran distribución,,", ",gran distribución,Retail,")
    )
    scores = (SEGMENTS / "scores.csv").read_text(encoding="utf-8") + "A1,shelf,5,JR,2026-H1\n"
    engagement = kamlib.load(book(tmp_path, criteria=criteria, accounts=accounts, scores=scores))
    with pytest.raises(KamError, match="criterion 'shelf' does not apply to segment 'Horeca'"):
        weight_matrix(engagement, segment_weights={"Horeca": {"shelf": 1}})
    assert score_accounts(engagement).set_index("account_id").loc["A1", "potential"] == pytest.approx(
        10 * (3 * 8 / 9 + 6 / 9 + 4 / 9) / 5
    )


def test_without_segment_rows_nothing_changes() -> None:
    tiny = kamlib.load(ROOT / "tests" / "data" / "tiny")
    assert tiny.segments.count == 1 and tiny.segment_criteria.empty
    assert weight_matrix(tiny).shape == (1, 4)


def test_robustness_draws_each_segments_weights(segmented: kamlib.Engagement) -> None:
    result = robustness(segmented, draws=2_000, seed=7).accounts.set_index("account_id")
    assert result["quadrant"].tolist() == ["invest", "selective", "maintain", "selective"]
    # A4 sits 1.18 above the potential cut line by menu's weight alone: a menu-less draw would make it milk, and the
    # Dirichlet around Horeca's weights keeps it selective in most draws
    assert 0.5 < result.loc["A4", "stability"] <= 1.0
    assert np.isclose(result[["p_invest", "p_selective", "p_maintain", "p_milk"]].sum(axis=1), 1.0).all()
    uniform = robustness(segmented, draws=2_000, seed=7, concentration=None).accounts.set_index("account_id")
    assert uniform.loc["A4", "stability"] < result.loc["A4", "stability"]
    # menu holds half of Horeca's potential weight: a minimum of 50 % keeps about half the draws, and the default
    # group, where menu does not apply, blocks none
    bounded = robustness(segmented, draws=500, seed=7, bounds={"menu": (50, None)})
    assert 0.3 < bounded.acceptance < 0.7


def test_unfold_puts_each_account_in_its_groups_block() -> None:
    table = np.array([[0.1, 0.2], [0.3, np.nan]])
    out = unfold(table, np.array([1, 0]), 2)
    assert np.isnan(out[0, :2]).all() and out[0, 2:].tolist() == [0.1, 0.2]
    assert out[1, 0] == 0.3 and np.isnan(out[1, 1:]).all()


def test_the_comparison_lists_each_segments_weights(segmented: kamlib.Engagement) -> None:
    comparison = compare_scenarios(segmented, None, Scenario(name="Sin carta", segment_weights={"Horeca": {"menu": 0}}))
    weights = comparison.weights
    assert weights["segment"].fillna("").tolist() == ["", "", "", "", "Horeca", "Horeca", "Horeca", "Horeca", "Horeca"]
    menu = weights[weights["criterion_id"] == "menu"].iloc[0]
    assert menu["share_before"] == pytest.approx(50.0) and menu["share_after"] == pytest.approx(0.0)
    assert comparison.movers["account_id"].tolist() == ["A4"]


def test_validation_names_each_segment_problem(tmp_path: Path) -> None:
    criteria = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8")
    bad = criteria + "menu,potential,,,1,0,10,true,horeca\nservice,potential,,,1,0,5,true,Horeca\n"
    text = problems(book(tmp_path / "a", criteria=bad))
    assert 'sheet "criteria", row 9, column "criterion_id": criterion \'menu\' is already in row 7 for segment' in text
    assert "row 10, column \"axis\": got 'potential'; allowed: position, the axis of criterion service in row 4" in text
    scores = (SEGMENTS / "scores.csv").read_text(encoding="utf-8")
    text = problems(book(tmp_path / "b", scores=scores + "A3,menu,5,MT,2026-H1\nA2,volume,7,JR,2026-H1\n"))
    assert (
        'sheet "scores", row 20, column "criterion_id": criterion \'menu\' does not apply to account A3, of segment '
        "'mayoristas'; allowed: its segment's criteria: volume, growth, service, incidents." in text
    )
    assert 'row 21, column "score": got 7; allowed: 1 to 5 (criterion "volume")' in text
    kamlib.load(book(tmp_path / "e", scores=scores + "A3,menu,,MT,2026-H1\n"))  # an empty score is no score
    assert "la cuenta A3, del segmento 'mayoristas'" in problems(
        book(tmp_path / "c", scores=scores + "A3,menu,5,MT,2026-H1\n"), "es"
    )
    weightless = (
        criteria.replace("menu,potential,Presencia en carta,Menu presence,2", "menu,potential,x,x,0")
        .replace(
            "volume,potential,Volumen de negocio,Business volume,1,1,5,true,Horeca",
            "volume,potential,,,0,1,5,true,Horeca",
        )
        .replace("growth,potential,Crecimiento,Growth,1", "growth,potential,Crecimiento,Growth,0")
    )
    text = problems(book(tmp_path / "d", criteria=weightless))
    assert "the accounts of segment 'Horeca' (A2, A4) have no criterion of axis \"potential\" with weight > 0" in text


def test_a_segment_no_account_has_is_said(tmp_path: Path) -> None:
    criteria = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8") + "volume,potential,,,2,1,10,true,Retial\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kamlib.load(book(tmp_path, criteria=criteria))
    said = [str(w.message) for w in caught if issubclass(w.category, KamWarning)]
    assert any("no account belongs to segment 'Retial'" in s and "gran distribución" in s for s in said)


def test_an_account_plan_lists_its_segments_criteria(segmented: kamlib.Engagement) -> None:
    from kamlib.plan.account import account_plan

    scored = score_accounts(segmented, segment_weights={"Horeca": {"menu": 4}})
    horeca = account_plan(segmented, scored, "A2").criteria.set_index("criterion_id")
    assert horeca.index.tolist() == ["volume", "growth", "service", "incidents", "menu"]
    assert horeca.loc["volume", ["scale_min", "scale_max", "weight"]].tolist() == [1, 5, 1]
    assert horeca.loc["menu", "weight_share"] == pytest.approx(100 * 4 / 6)
    assert horeca.loc["incidents", "normalised"] == pytest.approx(5.0)  # 5 of 0–10, lower is better
    default = account_plan(segmented, scored, "A1").criteria.set_index("criterion_id")
    assert default.index.tolist() == ["volume", "growth", "service", "incidents"]  # no menu outside Horeca
    assert default.loc["volume", ["scale_max", "weight"]].tolist() == [10, 3]


def test_a_forecast_uses_the_accounts_segment(segmented: kamlib.Engagement, tmp_path: Path) -> None:
    from kamlib.plan.forecast import forecast

    forecasts = "account_id,horizon,case,criterion_id,score\nA4,2029,with_plan,volume,5\n"
    engagement = kamlib.load(book(tmp_path, forecasts=forecasts))
    point = forecast(engagement, score_accounts(engagement)).points.iloc[0]
    # volume 5 on Horeca's 1–5 scale is 1.0: potential 10·(1 + 0.222222 + 2)/4
    assert point["potential"] == pytest.approx(10 * (1 + 2 / 9 + 2) / 4)
    with pytest.raises(WorkbookError, match="got 7; allowed: 1 to 5"):
        kamlib.load(book(tmp_path / "mal", forecasts=forecasts.replace("volume,5", "volume,7")))


def test_the_customers_view_uses_the_accounts_segment(tmp_path: Path) -> None:
    from kamlib.plan.customer_view import customer_view

    scores = (
        (SEGMENTS / "scores.csv")
        .read_text(encoding="utf-8")
        .replace("assessor,period\n", "assessor,period,side\n")
        .replace("JR,2026-H1\n", "JR,2026-H1,\n")
        .replace("MT,2026-H1\n", "MT,2026-H1,\n")
    )
    engagement = kamlib.load(book(tmp_path, scores=scores + "A2,incidents,2,Cliente,2026-H1,customer\n"))
    seen = customer_view(engagement, score_accounts(engagement))
    gap = seen.criteria.set_index("criterion_id").loc["incidents"]
    assert (gap["scale_max"], bool(gap["higher_is_better"]), gap["gap"]) == (10, False, 3.0)  # 5 → 2: 3 better
    # their position of A2 is over what they scored: incidents on Horeca's scale, 1 − 2/10 = 0.8 (on the default
    # 0–20 scale it would be 0.9)
    position = seen.accounts.set_index("account_id").loc["A2", "customer_position"]
    assert position == pytest.approx(8.0)


def test_each_assessor_is_placed_on_the_accounts_segment(segmented: kamlib.Engagement) -> None:
    from kamlib.agreement import place_by_assessor

    placed = place_by_assessor(segmented).accounts.set_index("account_id")
    scored = score_accounts(segmented).set_index("account_id")
    assert placed["potential"].tolist() == pytest.approx(scored["potential"].tolist())
    with_weights = place_by_assessor(segmented, segment_weights={"Horeca": {"menu": 0}}).accounts
    assert with_weights.set_index("account_id").loc["A4", "quadrant"] == "milk"


def test_the_live_matrix_gets_each_segments_weights(segmented: kamlib.Engagement, tmp_path: Path) -> None:
    from kamlib.scenarios.live import composites_for, live_matrix_data, segment_weight_table
    from kamlib.scenarios.store import WorkshopState, read_autosave, save_state

    data = live_matrix_data(segmented)
    assert [s["name"] for s in data.segments] == ["", "Horeca"]
    assert data.segments[0]["label_en"] == "Default criteria" and data.segments[1]["accounts"] == 2
    assert data.segments[0]["applies"] == [True, True, True, True, False]
    assert data.accounts["group"] == [0, 1, 0, 1]
    assert [c["weight"] for c in data.criteria] == [3, 1, 2, 1, 0]
    weights, segment_weights = segment_weight_table(segmented, {"growth": 2})
    assert weights == {"volume": 3, "growth": 2, "service": 2, "incidents": 1}
    assert segment_weights == {"Horeca": {"volume": 1, "growth": 2, "service": 2, "incidents": 3, "menu": 2}}
    composites = composites_for(segmented, weights, segment_weights=segment_weights)
    assert composites[0, 0] == pytest.approx(10 * (3 * 8 / 9 + 2 * 6 / 9) / 5)
    state = WorkshopState(weights=weights, segment_weights=segment_weights)
    save_state(state, tmp_path)
    assert read_autosave(tmp_path, segmented).state == state
    save_state(WorkshopState(weights=weights), tmp_path)  # a state without Horeca's weights does not fit
    assert read_autosave(tmp_path, segmented).state is None


def test_the_workshop_room_asks_each_account_its_segments_criteria(tmp_path: Path) -> None:
    from kamlib.room.run import open_store
    from kamlib.workshop import workshop_path

    criteria = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8")
    same_scales = criteria.replace("Business volume,1,1,5,true,Horeca", "Business volume,1,1,10,true,Horeca").replace(
        "Service incidents,3,0,10,false,horeca", "Service incidents,3,0,20,false,horeca"
    )
    folder = book(tmp_path, criteria=same_scales)
    engagement = kamlib.load(folder)
    store = open_store(folder, engagement, "es", anonymous=False, resume=False)
    scores = [(i.account_id, i.criterion_id) for i in store.items() if i.kind == "score"]
    assert ("A2", "menu") in scores and ("A4", "menu") in scores and ("A1", "menu") not in scores
    assert len(scores) == 4 * 4 + 2
    pairs = [(i.criterion_a, i.criterion_b) for i in store.items() if i.kind == "pair"]
    assert pairs == [("volume", "growth"), ("service", "incidents")]  # the default rows' criteria
    varying = book(tmp_path / "varía")
    with pytest.raises(KamError, match="criterion 'volume' is scored from 1 to 5 in segment 'Horeca'"):
        open_store(varying, kamlib.load(varying), "es", anonymous=False, resume=False)
    assert not workshop_path(varying).exists() and workshop_path(folder).exists()


def test_synthetic_segments_keep_every_score_valid() -> None:
    from kamlib.engagement import Engagement
    from kamlib.synthetic import SECTORS, make_engagement_frames, with_segments

    frames = with_segments(make_engagement_frames(300, 6, seed=3), 2)
    engagement = Engagement.from_frames(frames)
    assert engagement.segments.names == ("", *SECTORS[:2])
    assert len(engagement.segment_criteria) == 12
    assert score_accounts(engagement)["placed"].all()


def test_ahp_judges_the_default_rows_criteria(segmented: kamlib.Engagement) -> None:
    from kamlib.scenarios.ahp import Elicitation

    judged = {"Ana": {"potential": [{"a": "volume", "b": "growth", "value": 3}]}}
    fits = Elicitation.model_validate({"criteria": {"potential": ["volume", "growth"]}, "judgements": judged})
    assert fits.check_against(segmented) is fits
    pairs = [{"a": "volume", "b": "growth", "value": 3}, {"a": "volume", "b": "menu", "value": 2},
             {"a": "growth", "b": "menu", "value": 1}]  # fmt: skip
    three = {"criteria": {"potential": ["volume", "growth", "menu"]}, "judgements": {"Ana": {"potential": pairs}}}
    menu = Elicitation.model_validate(three)
    with pytest.raises(KamError, match="menu"):
        menu.check_against(segmented)
    assert segmented.default_criteria["criterion_id"].tolist() == ["volume", "growth", "service", "incidents"]


def test_the_account_report_says_whose_criteria_score_it(segmented: kamlib.Engagement) -> None:
    from kamlib.plan.account import account_plan
    from kamlib.views.account import plan_html

    scored = score_accounts(segmented)
    horeca, default = account_plan(segmented, scored, "A4"), account_plan(segmented, scored, "A1")
    assert (horeca.segment, default.segment) == ("Horeca", None)
    assert "those of segment Horeca" in plan_html(horeca, "en")
    assert "los del segmento Horeca" in plan_html(horeca, "es")
    assert "segment" not in plan_html(default, "en")


def test_the_portfolio_header_names_the_segments(segmented: kamlib.Engagement) -> None:
    from kamlib.views.account import portfolio_html

    scored = score_accounts(segmented)
    assert "Segments with criteria of their own</th><td>Horeca (2)" in portfolio_html(segmented, scored, "en")
    assert "Segmentos con criterios propios" in portfolio_html(segmented, scored, "es")
    tiny = kamlib.load(ROOT / "tests" / "data" / "tiny")
    assert "Segment" not in portfolio_html(tiny, score_accounts(tiny), "en")


def test_the_comparison_says_whose_weight_changed(segmented: kamlib.Engagement) -> None:
    comparison = compare_scenarios(segmented, None, Scenario(name="Sin carta", segment_weights={"Horeca": {"menu": 0}}))
    assert "Horeca · Menu presence −50.0 pp" in " ".join(comparison.findings("en"))
    assert "Horeca · Presencia en carta −50,0 pp" in " ".join(comparison.findings("es"))


def test_the_ledgers_scores_land_on_each_segments_scale(segmented: kamlib.Engagement) -> None:
    from kamlib.ledger.ingest import ingest_summary
    from kamlib.ledger.mapping import LedgerMapping
    from kamlib.ledger.metrics import to_scale
    from kamlib.ledger.scores import ingest_scores
    from tests.ledger.test_scores import tiny_ledger

    tiny = ingest_scores(tiny_ledger(), None, kamlib.load(ROOT / "tests" / "data" / "tiny"))
    result = ingest_scores(tiny_ledger(), None, segmented)
    ours = result.scores.set_index(["account_id", "criterion_id"])["score"]
    theirs = tiny.scores.set_index(["account_id", "criterion_id"])["score"]
    assert ours[("A1", "volume")] == theirs[("A1", "volume")] == 10.0  # the default row's scale
    # A2 is Horeca: the same place on volume's 1–5 scale; growth keeps the default row there
    place = (theirs[("A2", "volume")] - 1) / 9
    assert ours[("A2", "volume")] == to_scale(np.array([place]), 1.0, 5.0, 0.1)[0]
    assert 1 <= ours[("A2", "volume")] <= 5 and ours[("A2", "growth")] == theirs[("A2", "growth")]
    mapping = LedgerMapping.model_validate({"criteria": {"volume": "volume", "growth": "menu"}})
    menu = ingest_scores(tiny_ledger(), mapping, segmented)
    assert ("A2", "menu") in set(zip(menu.scores["account_id"], menu.scores["criterion_id"], strict=True))
    assert ("A1", "menu") not in set(zip(menu.scores["account_id"], menu.scores["criterion_id"], strict=True))
    assert any("segment does not have the criterion (criteria per segment): menu (1)" in line
               for line in ingest_summary(menu, lang="en"))  # fmt: skip


def two_rounds(tmp_path: Path) -> Path:
    """The segmented workbook with an earlier round of the very same scores (2025-H2)."""
    scores = (SEGMENTS / "scores.csv").read_text(encoding="utf-8")
    earlier = "".join(line.replace("2026-H1", "2025-H2") + "\n" for line in scores.splitlines()[1:])
    return book(tmp_path, scores=scores + earlier)


def test_earlier_rounds_are_seen_with_the_scenarios_segment_weights(tmp_path: Path) -> None:
    from kamlib.plan.movement import movements
    from kamlib.timealloc import allocate_time

    engagement = kamlib.load(two_rounds(tmp_path))
    scored = score_scenario(engagement, Scenario(name="Sin carta", segment_weights={"Horeca": {"menu": 0}}))
    assert scored.set_index("account_id").loc["A4", "quadrant"] == "milk"
    assert movements(engagement, scored, targets=False).empty  # the same scores: nobody moved
    placed = allocate_time(engagement, scored=scored).accounts.set_index("account_id")
    assert placed.loc["A4", "quadrant"] == "milk"  # the hours judged by the scenario's matrix


def test_the_spread_of_a_cell_is_in_its_segments_points(tmp_path: Path) -> None:
    from kamlib.agreement import cell_spread, engagement_spread, place_by_assessor

    scores = (SEGMENTS / "scores.csv").read_text(encoding="utf-8") + "A2,volume,2,DG,2026-H1\nA1,volume,7,DG,2026-H1\n"
    criteria = (
        (SEGMENTS / "criteria.csv")
        .read_text(encoding="utf-8")
        .replace("Service incidents,3,0,10,false,horeca", "Service incidents,3,0,50,false,horeca")
    )
    engagement = kamlib.load(book(tmp_path, scores=scores.replace("A2,incidents,5,", "A2,incidents,30,"),
                                  criteria=criteria))  # fmt: skip
    spread = engagement_spread(engagement).set_index(["account_id", "criterion_id"])
    horeca = spread.loc[("A2", "volume")]  # 4 and 2 on Horeca's 1–5: a quarter of 4 points is 1
    assert (horeca["threshold"], horeca["range_share"], bool(horeca["disagreement"])) == (1.0, 0.5, True)
    default = spread.loc[("A1", "volume")]  # 9 and 7 on 1–10: 2 points of 9, below 2.25
    assert (default["threshold"], bool(default["disagreement"])) == (2.25, False)
    assert spread.index.tolist()[:2] == [("A1", "volume"), ("A1", "growth")]  # accounts in order, then criteria
    with pytest.raises(KamError, match="got 30; allowed: 0 to 20"):
        cell_spread(engagement.scores, engagement.criteria)  # the catalogue alone cannot hold Horeca's scale
    placed = place_by_assessor(engagement).accounts.set_index("account_id")
    assert placed.loc["A2", "position"] == pytest.approx(score_accounts(engagement).set_index("account_id").loc[
        "A2", "position"])  # fmt: skip


def test_the_ledgers_rules_name_each_segments_scale(segmented: kamlib.Engagement) -> None:
    from kamlib.ledger.scores import ingest_scores
    from kamlib.ledger.tables import score_rules
    from tests.ledger.test_scores import tiny_ledger

    result = ingest_scores(tiny_ledger(), None, segmented)
    table = score_rules(result.detail, result.mapping, segmented.criteria, "en", segmented.segments)
    assert table["Scale"].tolist()[0] == "1–10; Horeca 1–5"


def test_a_criterion_row_without_an_id_is_one_message_with_or_without_segments(tmp_path: Path) -> None:
    for name, folder in (("segmentos", SEGMENTS), ("tiny", ROOT / "tests" / "data" / "tiny")):
        criteria = (folder / "criteria.csv").read_text(encoding="utf-8")
        extra = ",potential,X,X,1,0,10,true" + ("," if name == "segmentos" else "") + "\n"
        copy = tmp_path / name
        shutil.copytree(folder, copy)
        (copy / "criteria.csv").write_text(criteria + extra, encoding="utf-8")
        rows = criteria.count("\n") + 1
        assert f'sheet "criteria", row {rows}, column "criterion_id": empty cell' in problems(copy)


def test_a_segment_row_first_does_not_set_the_default_scale(tmp_path: Path) -> None:
    lines = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8").splitlines()
    horeca = next(line for line in lines if line.startswith("volume") and line.endswith("Horeca"))
    reordered = "\n".join([lines[0], horeca, *(line for line in lines[1:] if line != horeca)]) + "\n"
    guide = "criterion_id,score,text_es,text_en\nvolume,8,grande,large\nvolume,1,pequeño,small\n"
    engagement = kamlib.load(book(tmp_path, criteria=reordered, scoring_guide=guide))  # 8 is on volume's 1–10
    assert engagement.criteria.set_index("criterion_id").loc["volume", "scale_max"] == 10
    broken = reordered.replace("Business volume,3,1,10", "Business volume,abc,1,10")
    text = problems(book(tmp_path / "roto", criteria=broken))
    assert "abc" in text and 'sheet "scores"' not in text  # the criteria's problem first, no made-up score problem


def test_a_misspelt_segment_cell_is_said(tmp_path: Path) -> None:
    accounts = (SEGMENTS / "accounts.csv").read_text(encoding="utf-8").replace(",Horeca,K2", ",Horecca\u200b,K2")
    scores = "".join(line + "\n" for line in (SEGMENTS / "scores.csv").read_text(encoding="utf-8").splitlines()
                     if not line.startswith("A4,menu"))  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kamlib.load(book(tmp_path, accounts=accounts, scores=scores))
    said = [str(w.message) for w in caught if issubclass(w.category, KamWarning)]
    assert any("the segment of A4 ('Horecca\\u200b') has no rows in sheet criteria (its segments: Horeca)" in s
               for s in said), said  # fmt: skip
    tiny = tmp_path / "tiny"
    shutil.copytree(ROOT / "tests" / "data" / "tiny", tiny)
    text = (tiny / "accounts.csv").read_text(encoding="utf-8").replace("sector,kam_id", "sector,segment,kam_id")
    lines = text.splitlines()
    lines[1:] = [line.replace(",K", ",Norte,K", 1) if i == 0 else line.replace(",K", ",,K", 1)
                 for i, line in enumerate(lines[1:])]  # fmt: skip
    (tiny / "accounts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kamlib.load(tiny)
    assert any("it has no segment rows" in str(w.message) for w in caught)


def test_robustness_bounds_hold_segment_by_segment(tmp_path: Path) -> None:
    criteria = (SEGMENTS / "criteria.csv").read_text(encoding="utf-8") + "terrace,potential,,,4,0,10,true,mayoristas\n"
    scores = (SEGMENTS / "scores.csv").read_text(encoding="utf-8") + "A3,terrace,4,MT,2026-H1\n"
    engagement = kamlib.load(book(tmp_path, criteria=criteria, scores=scores))
    # menu holds half of Horeca's potential, terrace half of mayoristas': each minimum binds in its own segment only,
    # so minimums adding up to more than 100 % are no contradiction; about a quarter of menu's draws and half of
    # terrace's meet them
    both = robustness(engagement, draws=400, seed=3, bounds={"menu": (55, None), "terrace": (50, None)})
    assert 0.03 < both.acceptance < 0.4
    with pytest.raises(KamError, match="axis potential: the maximums add up to less than 100 %"):
        robustness(engagement, draws=100, seed=3, bounds={"volume": (None, 30), "growth": (None, 30)})
    with pytest.raises(KamError, match="axis potential in segment 'Horeca': the minimums add up to more than 100"):
        robustness(engagement, draws=100, seed=3, bounds={"menu": (70, None), "growth": (40, None)})


def test_robustness_says_when_segments_are_too_many_to_hold(
    segmented: kamlib.Engagement, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kamlib.scenarios.robustness as module

    monkeypatch.setattr(module, "MAX_CELLS", 2 * 5 * 100)  # two groups of five criteria, 100 draws
    assert robustness(segmented, draws=100, seed=1).draws == 100
    with pytest.raises(
        KamError, match=r"1 segment × 5 × 101 \(segments × criteria × accounts or draws\) is more than robustness"
    ):
        robustness(segmented, draws=101, seed=1)


def test_segment_weights_of_another_shape_are_refused(segmented: kamlib.Engagement) -> None:
    for wrong in (["Horeca"], {"Horeca": 5}):
        with pytest.raises(KamError, match="allowed: segment → criterion_id → weight"):
            score_accounts(segmented, segment_weights=wrong)
