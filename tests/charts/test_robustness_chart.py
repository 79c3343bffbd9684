"""The robustness views: each account's strategy probabilities as bars, and its report's fragment."""

from __future__ import annotations

import html

import pytest

import kamlib
from kamlib.charts.robustness import BARS_LAYER, FENCE_RULE_LAYER, acceptability_chart
from kamlib.scenarios.robustness import robustness
from kamlib.views.robustness import placement_html
from tests.charts.specs import unit
from tests.conftest import copy_tiny

XSS = "<script>window.__kam_xss=1</script>"


@pytest.fixture(scope="module")
def result():
    return robustness(kamlib.load(), draws=4000, concentration=10, seed=1)


def rows(spec, name):
    data = unit(spec, name)["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def bars(spec):
    return rows(spec, BARS_LAYER)


def test_bars_show_the_fence_least_stable_first_and_start_with_the_current_strategy(result):
    spec = acceptability_chart(result, "en", top=2).to_dict()
    fence = result.fence()
    assert len(fence) >= 2  # the sample, weights this loose, has accounts on the fence
    drawn = bars(spec)
    shown = list(dict.fromkeys(r["account"] for r in drawn))
    assert shown == fence["name"].tolist()
    for _, account in fence.iterrows():
        mine = {r["quadrant"]: r for r in drawn if r["account"] == account["name"]}
        assert mine[account["quadrant"]]["stack"] == 0  # the current strategy is the bar's first segment
        assert mine[account["quadrant"]]["probability"] == round(100 * account["stability"], 1)
        assert sum(r["probability"] for r in mine.values()) == pytest.approx(100, abs=0.3)
    assert rows(spec, FENCE_RULE_LAYER) == [{"x": 80.0}]
    assert "over 4,000 weight draws (Dirichlet, concentration 10)" in spec["title"]["subtitle"][0]
    spanish = acceptability_chart(result, "es", top=20).to_dict()
    assert len({r["account"] for r in bars(spanish)}) == 20  # fewer on the fence than asked: the least stable
    assert "4.000 pesos extraídos (Dirichlet, concentración 10)" in spanish["title"]["subtitle"][0]
    chosen = acceptability_chart(result, "es", accounts=["A001", "A002"]).to_dict()
    assert {r["account"] for r in bars(chosen)} == set(
        result.accounts.set_index("account_id").loc[["A001", "A002"], "name"]
    )


def test_names_stay_text_and_namesakes_keep_their_own_bars(tmp_path):
    folder = copy_tiny(tmp_path / "tiny", XSS)
    accounts = folder / "accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace("A3,", "A3,", 1), encoding="utf-8")
    engagement = kamlib.load(folder)
    twin = engagement.accounts.assign(
        name=engagement.accounts["name"].where(engagement.accounts["account_id"] != "A1", XSS)
    )
    sheets = {k: getattr(engagement, k) for k in ("criteria", "scores", "kams", "time")}
    result = robustness(kamlib.Engagement.from_frames({**sheets, "accounts": twin}), draws=500, seed=2)
    labels = {r["account"] for r in bars(acceptability_chart(result, "en").to_dict())}
    assert {f"{XSS} (A1)", f"{XSS} (A2)"} <= labels


def test_account_fragment_says_how_often_its_strategy_holds(result):
    fence = result.fence().iloc[0]
    text = placement_html(result, fence["account_id"], "en")
    assert "Robustness of the placement" in text and "On the fence" in text
    p = f"{100 * fence['stability']:.1f} % ± {100 * fence['stability_error']:.1f} of 4,000 weight draws"
    assert p in text
    steady = result.accounts.sort_values("stability").iloc[-1]
    spanish = placement_html(result, steady["account_id"], "es")
    assert "Ubicación estable." in spanish and "Se mantiene en" in spanish and "100,0 %" in spanish


def test_account_fragment_escapes_and_speaks_of_unplaced_accounts(tmp_path):
    import pandas as pd

    tiny = kamlib.load(copy_tiny(tmp_path / "tiny", XSS))
    scores = tiny.scores[
        ~((tiny.scores["account_id"] == "A4") & tiny.scores["criterion_id"].isin(["service", "incidents"]))
    ]
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "kams": tiny.kams, "time": tiny.time}
    with pytest.warns(kamlib.UnplacedAccountsWarning):
        result = robustness(kamlib.Engagement.from_frames({**sheets, "scores": scores}), draws=300, seed=1)
    assert "not placed in the matrix" in placement_html(result, "A4", "en")
    assert html.escape(XSS) not in placement_html(
        result, "A2", "en"
    )  # the fragment names no account: nothing to escape
    assert "<script" not in placement_html(result, "A2", "en")
    with pytest.raises(kamlib.KamError, match="unknown account 'A9'"):
        placement_html(result, "A9", "en")
    assert pd.isna(result.accounts.set_index("account_id").loc["A4", "stability"])
