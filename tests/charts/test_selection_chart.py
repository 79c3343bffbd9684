"""The key-account selection chart: ranked bars coloured by status, the cut-off, the criteria in the tooltip."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.charts import save_chart, theme
from kamlib.charts.selection import (
    BARS_LAYER,
    CUTOFF_LABEL_LAYER,
    CUTOFF_LAYER,
    DEFAULT_SHOWN,
    STATUS_COLOURS,
    selection_chart,
    shown_customers,
)
from kamlib.plan.selection import DEFAULT_SELECTION_CRITERIA, select_accounts
from tests.charts.specs import unit

IDS = [c.criterion_id for c in DEFAULT_SELECTION_CRITERIA]
XSS = "<script>window.__kam_xss=1</script>"


def build(tiny: kamlib.Engagement, customers: pd.DataFrame, scores: pd.DataFrame) -> kamlib.Engagement:
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}
    return kamlib.Engagement.from_frames({**frames, "customers": customers, "selection_scores": scores})


@pytest.fixture(scope="module")
def small(tiny):
    """A1 stays (10), C1 enters (8.33), A2 leaves (0), C2 out (1.67), C3 not scored, A3/A4 not assessed."""
    customers = pd.DataFrame(
        {"customer_id": ["A1", "A2", "C1", "C2", "C3"], "name": ["Peñíscola", XSS, "Ñora", "Ébano", "Duero"]}
    )
    rows = [("A1", c, 10) for c in IDS] + [("A2", c, 1) for c in IDS]
    rows += [("C1", IDS[0], 10), ("C1", IDS[1], 7), ("C2", IDS[0], 4), ("C2", IDS[2], 1)]
    return build(tiny, customers, pd.DataFrame(rows, columns=["customer_id", "criterion_id", "score"]))


@pytest.fixture(scope="module")
def large(tiny):
    """200 customers with seeded scores; A1–A4 among them."""
    rng = np.random.default_rng(7)
    ids = ["A1", "A2", "A3", "A4"] + [f"C{i:03d}" for i in range(196)]
    customers = pd.DataFrame({"customer_id": ids, "name": [f"Cliente {i}" for i in ids]})
    scores = pd.DataFrame(
        [(cid, c, float(rng.integers(1, 11))) for cid in ids for c in IDS],
        columns=["customer_id", "criterion_id", "score"],
    )
    return build(tiny, customers, scores)


def rows_of(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The rows a layer draws, inline or from the top-level datasets."""
    data = unit(spec, name)["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_bars_ranked_and_coloured_by_status_in_both_languages(small):
    selection = select_accounts(small)
    spec = selection_chart(selection, "es").to_dict()
    bars = unit(spec, BARS_LAYER)
    rows = rows_of(spec, BARS_LAYER)
    assert [r["customer_id"] for r in rows] == ["A1", "C1", "C2", "A2"]  # scored only, best first
    assert bars["encoding"]["y"]["sort"] == ["Peñíscola", "Ñora", "Ébano", XSS]
    assert [r["status"] for r in rows] == ["stays", "enters", "out", "leaves"]
    assert rows[1]["composite"] == pytest.approx(25 / 3) and rows[1]["text"] == "8,3"
    colour = bars["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Se queda", "Entra", "Sale", "Fuera"]
    assert colour["scale"]["range"] == [STATUS_COLOURS[s] for s in ("stays", "enters", "leaves", "out")]
    en = selection_chart(selection, "en").to_dict()
    assert unit(en, BARS_LAYER)["encoding"]["color"]["scale"]["domain"] == ["Stays", "Enters", "Leaves", "Out"]
    assert en["title"]["text"] == "Key-account selection"
    assert en["title"]["subtitle"] == [
        "0–10 score on the selection criteria · proposed: score ≥ 5.0",
        "no bar: 3 not scored or not assessed",
    ]
    assert spec["usermeta"]["embedOptions"]["formatLocale"] == theme.SPANISH_LOCALE
    assert spec["config"]["font"] == theme.FONT


def test_the_cutoff_is_a_rule_with_its_value(small):
    spec = selection_chart(select_accounts(small, cutoff=6.5), "es").to_dict()
    assert rows_of(spec, CUTOFF_LAYER) == [{"cutoff": 6.5, "text": "corte 6,5"}]
    assert unit(spec, CUTOFF_LAYER)["mark"]["type"] == "rule"
    assert unit(spec, CUTOFF_LABEL_LAYER)["encoding"]["text"]["field"] == "text"
    top = selection_chart(select_accounts(small, top=2), "en").to_dict()
    assert rows_of(top, CUTOFF_LAYER)[0]["cutoff"] == pytest.approx(25 / 3)  # the lowest proposed composite
    assert top["title"]["subtitle"][0].endswith("proposed: the best 2")


def test_no_rule_when_nobody_is_proposed_under_top(tiny):
    customers = pd.DataFrame({"customer_id": ["X1"], "name": ["Ñora"]})
    scores = pd.DataFrame({"customer_id": ["X1"], "criterion_id": [IDS[0]], "score": [9]})
    selection = select_accounts(build(tiny, customers, scores), top=1, weights={IDS[0]: 0})  # X1: no weighted score
    assert selection.cutoff is None
    nobody = selection_chart(selection, "en").to_dict()
    assert not [u for u in nobody["layer"] if u.get("name") == CUTOFF_LAYER]


def test_tooltip_shows_each_criterion_on_0_to_10(small):
    spec = selection_chart(select_accounts(small), "en").to_dict()
    tooltip = unit(spec, BARS_LAYER)["encoding"]["tooltip"]
    titles = [t["title"] for t in tooltip]
    assert titles[:5] == ["Customer", "Id", "Status", "Score (0–10)", "Rank"]
    assert titles[5:] == [c.label_en for c in DEFAULT_SELECTION_CRITERIA]
    c1 = rows_of(spec, BARS_LAYER)[1]
    assert c1["criterion_0"] == 10.0 and c1["criterion_1"] == pytest.approx(6.67) and c1["criterion_2"] is None


def test_names_stay_text_and_a_shared_name_keeps_two_bars(tiny):
    customers = pd.DataFrame({"customer_id": ["X1", "X2"], "name": ["Ñora", "Ñora"]})
    scores = pd.DataFrame({"customer_id": ["X1", "X2"], "criterion_id": [IDS[0]] * 2, "score": [9, 3]})
    spec = selection_chart(select_accounts(build(tiny, customers, scores)), "es").to_dict()
    assert [r["label"] for r in rows_of(spec, BARS_LAYER)] == ["Ñora (X1)", "Ñora (X2)"]


def test_two_hundred_customers_show_the_best_and_the_changes_up_to_a_limit(large):
    selection = select_accounts(large, cutoff=6.0)
    shown = shown_customers(selection)
    changes = selection.changes()
    best = selection.customers.head(DEFAULT_SHOWN)["customer_id"]
    assert set(best) <= set(shown["customer_id"])
    beyond = changes[~changes["customer_id"].isin(best)]
    for status in ("enters", "leaves"):
        mine = beyond[beyond["status"] == status]
        assert len(mine) and set(mine["customer_id"]) <= set(shown["customer_id"])  # few enough: all shown
    assert len(shown) == len(set(best) | set(changes["customer_id"])) < 200
    spec = selection_chart(selection, "en").to_dict()
    assert len(rows_of(spec, BARS_LAYER)) == len(shown)
    assert spec["title"]["subtitle"][1] == (
        f"showing {len(shown)} of 200 scored customers: the best {DEFAULT_SHOWN} and up to {DEFAULT_SHOWN} more of "
        "those that enter or leave (all in the table of changes)"
    )
    assert spec["height"] == {"step": 22}
    every = selection_chart(selection, "en", limit=None).to_dict()
    assert len(rows_of(every, BARS_LAYER)) == 200 and len(every["title"]["subtitle"]) == 1
    # With a small limit, only the best entrants and the worst leavers beyond the best few are drawn.
    few = shown_customers(selection, 3)
    outside = selection.customers.iloc[3:]
    entrants = outside[outside["status"] == "enters"]["customer_id"].head(3)
    leavers = outside[outside["status"] == "leaves"]["customer_id"].iloc[::-1].head(3)
    expected = set(selection.customers["customer_id"].head(3)) | set(entrants) | set(leavers)
    assert set(few["customer_id"]) == expected and len(few) <= 9


def test_the_chart_renders_offline(small, tmp_path):
    path = save_chart(selection_chart(select_accounts(small), "es"), tmp_path / "selection.svg")
    svg = path.read_text(encoding="utf-8")
    assert "<svg" in svg and "corte 5,0" in svg and "Entra" in svg
    assert "<script>" not in svg  # the hostile name is drawn as text, escaped
