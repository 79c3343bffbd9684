"""The 100-point allocation: each participant spreads 100 points among an axis's criteria, stored whole or not at
all; the group's weights are the mean allocation, with Goepel's relative homogeneity; accepted as a scenario."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from kamlib.engagement import load
from kamlib.errors import KamError
from kamlib.workshop import Refused, accept_weights
from kamlib.workshop.accept import allocation_weights
from kamlib.workshop.board import board
from kamlib.workshop.phone import phone
from tests.workshop.conftest import PEOPLE


@pytest.fixture
def shares(store, people):
    """The potential axis's allocation (volume, growth), open."""
    items = store.add_share_items(["potential"])
    store.open_items([item.item_id for item in items])
    return items


def answers_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM answer").fetchone()[0]


def test_an_allocation_is_stored_whole(store, people, shares):
    assert [(i.kind, i.criterion_id, i.axis) for i in shares] == [
        ("share", "volume", "potential"),
        ("share", "growth", "potential"),
    ]
    assert [i.item_id for i in store.add_share_items(["potential"])] == [i.item_id for i in shares]  # the same
    stored = store.allocate(people["ana"].token, "potential", {"volume": 70, "growth": "30"}, round=1)
    assert [(a.item_id, a.value) for a in stored] == [(shares[0].item_id, 70.0), (shares[1].item_id, 30.0)]
    store.allocate(people["ana"].token, "potential", {"growth": 45.5, "volume": 54.5})  # a second thought replaces it
    store.allocate(people["ben"].token, "potential", dont_know=True)
    assert store.allocations() == {"ana": {"potential": {"volume": 54.5, "growth": 45.5}}}  # don't-know: no weights


@pytest.mark.parametrize(
    ("points", "said"),
    [
        ({"volume": 60, "growth": 30}, "the points add up to 90; allowed: exactly 100"),
        ({"volume": 100}, "allowed: points for each of volume, growth"),
        ({"volume": 50, "growth": 40, "service": 10}, "allowed: points for each of volume, growth"),
        ({"volume": 120, "growth": -20}, "points of 'volume': got 120; allowed: a number from 0 to 100"),
        ({"volume": float("nan"), "growth": 100}, "points of 'volume'"),
        ([60, 40], "allowed: points for each of volume, growth"),
        (None, "no value; allowed: a value, or don't know"),
    ],
)
def test_a_bad_allocation_is_refused_and_nothing_is_stored(store, people, shares, points, said):
    before = answers_in(store.path)
    with pytest.raises(Refused, match=said):
        store.allocate(people["ana"].token, "potential", points)
    assert answers_in(store.path) == before


def test_who_may_allocate_what_and_when(make_store, tiny):
    store = make_store()
    people = {
        i.participant.code: i.token
        for i in store.add_participants([*PEOPLE, {"code": "dee", "name": "Dee", "side": "customer"}])
    }
    items = store.add_share_items(["potential", "position"])
    assert len(items) == 4
    with pytest.raises(Refused, match="is pending") as caught:
        store.allocate(people["ana"], "potential", {"volume": 50, "growth": 50})
    assert caught.value.reason == "closed"
    store.open_items([i.item_id for i in items])
    with pytest.raises(Refused, match="customer's side scores our position only"):
        store.allocate(people["dee"], "position", {"service": 50, "incidents": 50})
    with pytest.raises(Refused, match="no 100-point allocation of axis 'size'"):
        store.allocate(people["ana"], "size", {"volume": 100})
    with pytest.raises(Refused, match="part of a 100-point allocation"):
        store.answer(people["ana"], items[0].item_id, 50)  # one criterion alone is no allocation
    with pytest.raises(Refused, match="round 1 now, not 2"):
        store.allocate(people["ana"], "potential", {"volume": 50, "growth": 50}, round=2)
    with pytest.raises(KamError, match="unknown axis 'size'"):
        store.add_share_items(["size"])


def test_the_groups_weights_are_the_mean_allocation_and_are_accepted(store, people, shares, workbook):
    store.allocate(people["ana"].token, "potential", {"volume": 60, "growth": 40})
    store.allocate(people["ben"].token, "potential", {"volume": 20, "growth": 80})
    engagement = load(workbook)
    allocation = board(store, engagement, lang="en")["weights"]["potential"]["allocation"]
    assert allocation["complete"] == 2
    assert allocation["group"] == {"volume": "40.0%", "growth": "60.0%"}
    assert [p["points"] for p in allocation["participants"]] == [
        {"volume": "60", "growth": "40"},
        {"volume": "20", "growth": "80"},
    ]
    assert allocation["consensus"].endswith(")")  # "xx.x% (level)"
    seen = phone(store, engagement, people["ana"].token, "en")
    assert [(e["criterion"], e["mine"]["value"]) for e in seen["shares"]] == [("volume", 60.0), ("growth", 40.0)]
    saved = accept_weights(engagement, store, "Taller puntos")
    scenario = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert scenario["weights"] == {"volume": 40.0, "growth": 60.0}  # the mean points, percent of the axis
    assert scenario.get("elicitation") is None


def test_allocation_weights_by_hand():
    given = {
        "ana": {"potential": {"a": 50, "b": 30, "c": 20}},
        "ben": {"potential": {"a": 10, "b": 30, "c": 60}, "position": {"x": 100, "y": 0}},
    }
    assert allocation_weights(given) == {
        "potential": {"a": 30.0, "b": 30.0, "c": 40.0},
        "position": {"x": 100.0, "y": 0.0},
    }


def test_an_anonymous_board_lists_allocations_in_no_ones_order(make_store, workbook):
    store = make_store(anonymous=True)
    people = {i.participant.code: i.token for i in store.add_participants(PEOPLE)}
    store.open_items([i.item_id for i in store.add_share_items(["potential"])])
    store.allocate(people["ana"], "potential", {"volume": 70, "growth": 30})  # ana joined first …
    store.allocate(people["ben"], "potential", {"volume": 20, "growth": 80})
    listed = board(store, load(workbook), lang="en")["weights"]["potential"]["allocation"]["participants"]
    assert [p["points"]["volume"] for p in listed] == ["20", "70"]  # … yet is not first: ordered by the points
    assert all(p["code"] is None for p in listed)
