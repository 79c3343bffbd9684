"""The accounts that need the room's attention, and why (`kamlib.plan.attention`)."""

from __future__ import annotations

import warnings

import pandas as pd

import kamlib
from kamlib.plan.attention import REASONS, attention, attention_accounts, reason_text
from tests.publish.test_deck import rich_engagement


def test_each_reason_is_found_and_the_most_pressing_come_first() -> None:
    engagement = rich_engagement()  # A1 Invest, a map with an opponent, missed KPIs; A2 Selective; A3–A5 quiet
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kamlib.UnplacedAccountsWarning)
        scored = kamlib.score_scenario(engagement)
    fence = pd.Series({"A4": True, "A3": False}, name="on_the_fence")  # A4 as if on the fence
    frame = attention(engagement, scored, fence).set_index("account_id")
    assert frame.loc["A1", ["risk", "missed", "invest"]].all() and not frame.loc["A1", "fence"]
    assert frame.loc["A2", "selective"] and not frame.loc["A2", ["fence", "risk", "missed", "invest"]].any()
    assert frame.loc["A4", "fence"] and not frame.loc[["A3", "A5"], list(REASONS)].any(axis=None)
    assert attention_accounts(frame.reset_index()) == ["A4", "A1", "A2"]  # the fence first, then by reason
    assert reason_text(frame.loc["A1"], "es") == "Mapa de decisión de riesgo alto · Indicadores no cumplidos · Invertir"
    assert reason_text(frame.loc["A4"], "en") == "On the fence"


def test_without_a_robustness_run_no_account_is_on_the_fence() -> None:
    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    frame = attention(engagement, scored)
    assert not frame["fence"].any()
    quadrants = scored.set_index("account_id")["quadrant"]
    for reason in ("invest", "selective"):
        assert set(frame.loc[frame[reason], "account_id"]) == set(quadrants[quadrants == reason].index)
    chosen = attention_accounts(frame)
    revenue = frame.set_index("account_id")["revenue"]
    first = [next(r for r in REASONS if frame.set_index("account_id").loc[a, r]) for a in chosen]
    assert first == sorted(first, key=REASONS.index)  # by the most pressing reason…
    for reason in set(first):  # …then by revenue, largest first
        same = [a for a, r in zip(chosen, first, strict=True) if r == reason]
        assert revenue[same].is_monotonic_decreasing


def test_the_dashboards_figures_count_what_the_room_should_see_first() -> None:
    from kamlib.plan.attention import portfolio_figures
    from kamlib.timealloc import allocate_time

    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    fence = pd.Series({"A001": True, "A002": True}, name="on_the_fence")
    frame = attention(engagement, scored, fence)
    utilisation = allocate_time(engagement, scored=scored).kams["utilisation"]
    figures = portfolio_figures(frame, scored, utilisation)
    strategies = figures.strategies.set_index("quadrant")
    assert strategies["accounts"].to_dict() == {"invest": 9, "selective": 13, "maintain": 13, "milk": 13}
    assert strategies.loc["invest", "revenue"] == 28_188_082 and round(strategies["share"].sum(), 6) == 100
    assert (figures.fence, figures.high_risk, figures.missed) == (2, int(frame["risk"].sum()), 3)
    assert figures.over_capacity == int((utilisation > 100).sum()) == 3  # K02, K04, K07: 100.8, 104.2, 100.8 %
    assert portfolio_figures(frame, scored, None).over_capacity is None  # a survey has no hours
