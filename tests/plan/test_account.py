"""The account plan: quadrant summary, one account's facts, criteria against the portfolio, time, and its HTML."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError
from kamlib.method import ACTIVITIES, RELATIONSHIP_MODELS, STRATEGY_PRIORITIES
from kamlib.plan.account import AccountPlan, account_plan, quadrant_summary
from kamlib.timealloc import allocate_time
from kamlib.views.account import plan_html

SHEETS = ("accounts", "criteria", "scores", "kams", "time")
XSS = "<script>window.__kam_xss=1</script>"


def frames(engagement: kamlib.Engagement) -> dict[str, pd.DataFrame]:
    return {name: getattr(engagement, name) for name in SHEETS}


def score_quietly(engagement: kamlib.Engagement, **options) -> pd.DataFrame:
    """Score an engagement whose unplaced accounts are the point of the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kamlib.UnplacedAccountsWarning)
        return kamlib.score_accounts(engagement, **options)


@pytest.fixture(scope="module")
def scored(tiny: kamlib.Engagement) -> pd.DataFrame:
    return kamlib.score_accounts(tiny)


@pytest.fixture(scope="module")
def unplaced(tiny: kamlib.Engagement) -> kamlib.Engagement:
    """tiny with A4's position scores removed, and A2 named like a script."""
    scores = tiny.scores
    position = tiny.criteria.loc[tiny.criteria["axis"] == "position", "criterion_id"]
    scores = scores[~((scores["account_id"] == "A4") & scores["criterion_id"].isin(position))]
    accounts = tiny.accounts.assign(name=tiny.accounts["name"].where(tiny.accounts["account_id"] != "A2", XSS))
    return kamlib.Engagement.from_frames({**frames(tiny), "scores": scores, "accounts": accounts})


# --- the quadrant summary --------------------------------------------------------------------------


def test_quadrant_summary_of_tiny(scored: pd.DataFrame) -> None:
    summary = quadrant_summary(scored)
    assert summary.columns.tolist() == [
        "quadrant",
        "strategy_es",
        "strategy_en",
        "accounts",
        "revenue",
        "revenue_share",
    ]
    # A1 invest, A2 selective, A3 maintain, A4 milk (tests/test_scoring.py works them out by hand).
    assert summary["quadrant"].tolist() == ["invest", "selective", "maintain", "milk"]
    assert summary["strategy_es"].tolist() == ["Invertir", "Inversión selectiva", "Mantener", "Ordeñar"]
    assert summary["strategy_en"].tolist() == ["Invest", "Selective investment", "Maintain", "Milk"]
    assert summary["accounts"].tolist() == [1, 1, 1, 1]
    revenue = [2_500_000.0, 640_000.0, 1_200_000.5, 180_000.0]  # accounts.csv; A3 is "1.200.000,50"
    assert summary["revenue"].tolist() == revenue
    np.testing.assert_allclose(summary["revenue_share"], 100 * np.array(revenue) / 4_520_000.5)


def test_quadrant_summary_adds_unplaced_only_when_some_are(unplaced: kamlib.Engagement) -> None:
    summary = quadrant_summary(score_quietly(unplaced))
    assert summary["quadrant"].tolist() == ["invest", "selective", "maintain", "milk", "unplaced"]
    last = summary.iloc[-1]
    assert (last["strategy_es"], last["strategy_en"]) == ("Fuera de la matriz", "Not in the matrix")
    assert summary["accounts"].tolist() == [1, 1, 1, 0, 1]
    assert summary["revenue"].tolist() == [2_500_000.0, 640_000.0, 1_200_000.5, 0.0, 180_000.0]
    assert summary["revenue_share"].sum() == pytest.approx(100.0)


# --- the plan --------------------------------------------------------------------------------------


def test_facts_and_strategy_of_a_maintain_account(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    plan = account_plan(tiny, scored, "A3")
    assert isinstance(plan, AccountPlan)
    assert (plan.account_id, plan.name, plan.sector) == ("A3", "Distribuciones Cantábrico", "mayoristas")
    assert (plan.kam_id, plan.kam_name) == ("K2", "Jordi Ibáñez")
    assert plan.revenue == 1_200_000.5
    assert (plan.quadrant, plan.placed, plan.missing_axis) == ("maintain", True, None)
    assert plan.strategy("es") == "Mantener" and plan.strategy("en") == "Maintain"
    # potential = 10 × (3·3/9 + 1·1/9) / 4 = 25/9; position = 10 × (2·9/10 + 1·19/20) / 3 = 55/6
    assert plan.potential == pytest.approx(25 / 9) and plan.position == pytest.approx(55 / 6)
    assert plan.cuts == {"potential": 5.0, "position": 5.0}
    assert plan.relationship_model == RELATIONSHIP_MODELS["maintain"]
    assert plan.priorities == STRATEGY_PRIORITIES["maintain"]


def test_ranks_in_the_portfolio(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    ranks = account_plan(tiny, scored, "A3").ranks.set_index("measure")
    # revenue 2.5 M > 1.2 M > 640 k > 180 k; potential A1 8.33 > A2 7.64 > A3 2.78; position A3 9.17 is the top.
    assert ranks["rank"].tolist() == [2, 3, 1]
    assert ranks["out_of"].tolist() == [4, 4, 4]
    assert ranks.loc["revenue", "value"] == 1_200_000.5


def test_criteria_worked_by_hand(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    """A3 in tiny: criteria.csv, scores.csv; n = (score − min) / (max − min), reversed when lower is better."""
    criteria = account_plan(tiny, scored, "A3").criteria.set_index("criterion_id")
    assert criteria.index.tolist() == ["volume", "growth", "service", "incidents"]
    assert criteria["axis"].tolist() == ["potential", "potential", "position", "position"]
    assert criteria["label_es"].tolist() == ["Volumen de negocio", "Crecimiento", "Nivel de servicio", "Incidencias"]
    assert criteria["label_en"]["incidents"] == "Service incidents"
    # Weights 3 and 1 on potential, 2 and 1 on position: each as % of its axis.
    np.testing.assert_allclose(criteria["weight_share"], [75.0, 25.0, 200 / 3, 100 / 3])
    # volume: assessors MT 3 and DG 5 averaged = 4; service: the latest period (2026-H1) 4.5, not 2025-H2's 1.
    np.testing.assert_allclose(criteria["score"], [4.0, 2.0, 4.5, 1.0])
    # volume (4 − 1) / 9; growth (2 − 1) / 9; service 4.5 / 5; incidents 1 − 1/20 (lower is better); × 10.
    np.testing.assert_allclose(criteria["normalised"], [30 / 9, 10 / 9, 9.0, 9.5])
    # Volume of the four placed accounts, normalised: A4 10/9, A3 30/9, A2 70/9, A1 80/9. Linear quartiles:
    # p25 = 10/9 + 0.75 × 20/9 = 25/9; median = (30/9 + 70/9) / 2 = 50/9; p75 = 70/9 + 0.25 × 10/9 = 72.5/9.
    volume = criteria.loc["volume"]
    np.testing.assert_allclose([volume["p25"], volume["median"], volume["p75"]], [25 / 9, 50 / 9, 72.5 / 9])
    # Incidents 2, 12, 1, 18 → 9, 4, 9.5, 1: p25 = 1 + 0.75 × 3 = 3.25; median 6.5; p75 = 9 + 0.25 × 0.5.
    incidents = criteria.loc["incidents"]
    np.testing.assert_allclose([incidents["p25"], incidents["median"], incidents["p75"]], [3.25, 6.5, 9.125])


def test_weights_the_scoring_names_are_used(tiny: kamlib.Engagement) -> None:
    scored = kamlib.score_accounts(tiny, weights={"volume": 1})
    scored.attrs["weights"] = {"volume": 1}
    criteria = account_plan(tiny, scored, "A1").criteria.set_index("criterion_id")
    assert criteria.loc["volume", "weight"] == 1.0
    np.testing.assert_allclose(criteria["weight_share"], [50.0, 50.0, 200 / 3, 100 / 3])


def test_an_unplaced_account_keeps_its_scores_and_has_no_strategy(unplaced: kamlib.Engagement) -> None:
    scored = score_quietly(unplaced)
    plan = account_plan(unplaced, scored, "A4")
    assert (plan.quadrant, plan.placed, plan.missing_axis) == (None, False, "position")
    assert plan.strategy("es") is None and plan.relationship_model is None
    assert plan.priorities == {"es": (), "en": ()}
    assert np.isnan(plan.position) and plan.ranks.set_index("measure").loc["position", "rank"] is pd.NA
    criteria = plan.criteria.set_index("criterion_id")
    assert criteria["score"].isna().tolist() == [False, False, True, True]
    # The portfolio is the three placed accounts now: volume 80/9, 70/9, 30/9 → median 70/9.
    assert criteria.loc["volume", "median"] == pytest.approx(70 / 9)


def test_no_account_id_is_the_workbooks_first_account(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    assert account_plan(tiny, scored, None).account_id == "A1"


def test_an_unknown_account_names_the_known_ones(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    with pytest.raises(KamError) as error:
        account_plan(tiny, scored, "A9")
    assert error.value.render("en") == "unknown account 'A9'; known: A1, A2, A3, A4"
    assert error.value.render("es") == "no existe la cuenta 'A9'; existentes: A1, A2, A3, A4"


# --- time ------------------------------------------------------------------------------------------


def test_time_on_the_account(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    plan = account_plan(tiny, scored, "A1", allocate_time(tiny, scored=scored))
    assert plan.time["activity"].tolist() == list(ACTIVITIES)
    hours = plan.time.set_index("activity")["hours"]
    assert hours["relationships"] == 30.0 and hours.drop("relationships").eq(0).all()  # time.csv: K1, A1, 30 h
    assert plan.time.set_index("activity").loc["relationships", "share"] == 100.0
    assert plan.hours == 30.0
    # K1 logged 30 h on A1 and 8.5 h on A2: A1 has 30 / 38.5 of K1's account time.
    assert plan.share_of_kam == pytest.approx(100 * 30 / 38.5)
    table = plan.time_table("es")  # the activity names each row
    assert table.index.name == "Actividad" and table.columns.tolist() == ["Horas", "% de las horas en la cuenta"]
    assert table.loc["Desarrollo de relaciones"].tolist() == [30.0, 100.0] and len(table) == 9
    english = plan.time_table("en")
    assert english.index.name == "Activity" and english.columns.tolist() == ["Hours", "% of the hours on the account"]
    assert english.index[3] == "Selling"
    without = account_plan(tiny, scored, "A1")
    assert without.time is None and without.hours is None
    assert without.time_table("en").columns.tolist() == ["Hours", "% of the hours on the account"]
    assert without.time_table("en").empty


def test_time_keeps_to_the_allocations_periods(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    extra = pd.DataFrame([{"kam_id": "K1", "account_id": "A1", "activity": "selling", "hours": 10.0, "period": None}])
    engagement = kamlib.Engagement.from_frames({**frames(tiny), "time": pd.concat([tiny.time, extra])})
    every = account_plan(engagement, scored, "A1", allocate_time(engagement, scored=scored))
    assert every.hours == 40.0 and every.time.set_index("activity").loc["selling", "hours"] == 10.0
    assert every.share_of_kam == pytest.approx(100 * 40 / 48.5)
    january = account_plan(engagement, scored, "A1", allocate_time(engagement, scored=scored, period="2025-01"))
    assert january.hours == 30.0  # the undated 10 h are not in January
    # A4's 4 h are in 2025-02: nothing in January, though its KAM spent 20 h on accounts then.
    a4 = account_plan(engagement, scored, "A4", allocate_time(engagement, scored=scored, period="2025-01"))
    assert a4.hours == 0.0 and a4.share_of_kam == 0.0 and a4.time["share"].isna().all()


def test_a_survey_has_no_account_time(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    survey = pd.DataFrame({"kam_id": "K1", "activity": list(ACTIVITIES), "percent": [20, 15, 5, 10, 15, 10, 5, 10, 10]})
    engagement = kamlib.Engagement.from_frames({**frames(tiny), "time": survey.assign(period="2025", account_id=None)})
    plan = account_plan(engagement, scored, "A1", allocate_time(engagement, scored=scored))
    assert plan.time is None and plan.hours is None and plan.share_of_kam is None


# --- the header as HTML ----------------------------------------------------------------------------


def test_plan_html_in_each_language(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    plan = account_plan(tiny, scored, "A3", allocate_time(tiny, scored=scored))
    es, en = plan_html(plan, "es"), plan_html(plan, "en")
    assert es.startswith('<section lang="es"') and en.startswith('<section lang="en"')
    assert "Distribuciones Cantábrico" in es and "Cuenta A3 · mayoristas" in es and "Jordi Ibáñez (K2)" in es
    assert "1.200.001\xa0€ (n.º 2 de 4)" in es and "€1,200,001 (#2 of 4)" in en  # amounts in the currency, whole units
    assert ">Mantener</span>" in es and ">Maintain</span>" in en
    assert "#004C77" in es  # the Maintain colour, dark enough for white text
    assert RELATIONSHIP_MODELS["maintain"]["es"] in es and RELATIONSHIP_MODELS["maintain"]["en"] in en
    assert all(f">{p}</li>" in es for p in STRATEGY_PRIORITIES["maintain"]["es"])
    assert "20,0 h · 83,3\xa0% del tiempo de su KAM en cuentas" in es and "20.0 h · 83.3% of its KAM" in en
    assert "Facturación" not in en and "Revenue" not in es
    for page in (es, en):  # self-contained: nothing to load
        assert "<script" not in page and "src=" not in page and "href=" not in page and "url(" not in page


def test_plan_html_escapes_every_text_of_the_workbook(unplaced: kamlib.Engagement) -> None:
    scored = score_quietly(unplaced)
    page = plan_html(account_plan(unplaced, scored, "A2"), "en")
    assert "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in page
    assert "<script" not in page
    unplaced_page = plan_html(account_plan(unplaced, scored, "A4"), "es")
    assert "Sin lugar en la matriz: falta puntuación en Posición como proveedor" in unplaced_page
    assert "Prioridades" not in unplaced_page


def test_plan_html_rejects_another_language(tiny: kamlib.Engagement, scored: pd.DataFrame) -> None:
    with pytest.raises(KamError, match="unknown language 'fr'; allowed: es, en"):
        plan_html(account_plan(tiny, scored, "A1"), "fr")


def test_importing_the_plan_does_not_load_altair() -> None:
    code = "import kamlib.plan.account, sys; assert 'altair' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
