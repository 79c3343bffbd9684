"""The facilitator's board and a participant's page, computed from the store: spreads and disagreement worked by
hand, the matrix with the room's scores in place of the workbook's, the group's weights, rounds side by side, and
what a participant may see."""

from __future__ import annotations

import itertools

import pytest

from kamlib.agreement import place_by_assessor
from kamlib.engagement import load
from kamlib.errors import KamError
from kamlib.workshop import WorkshopStore, workshop_path
from kamlib.workshop.board import board
from kamlib.workshop.phone import phone
from tests.conftest import copy_tiny
from tests.workshop.conftest import PEOPLE


@pytest.fixture
def tiny_book(workbook):
    return load(workbook)


def test_the_spread_of_a_cell_worked_by_hand(store, people, cells, tiny_book):
    store.answer(people["ana"].token, cells["volume"], 9)
    store.answer(people["ben"].token, cells["volume"], 2)
    store.answer(people["cai"].token, cells["volume"], dont_know=True)  # never a zero: no score
    store.answer(people["ana"].token, cells["incidents"], 4)
    shown = board(store, tiny_book, lang="en")
    volume = next(c for c in shown["cells"] if c["criterion"] == "volume")
    # 2 and 9 on a 1–10 scale: range 7 > 0.25 × 9 = 2.25 points: contested; mean 5.5
    assert (volume["n"], volume["mean"], volume["range"], volume["threshold"], volume["contested"]) == (
        2, "5.5", "7.0", "2.3", True,
    )  # fmt: skip
    assert shown["cells"][0]["criterion"] == "volume"  # contested first
    incidents = next(c for c in shown["cells"] if c["criterion"] == "incidents")
    assert (incidents["n"], incidents["range"], incidents["contested"]) == (1, "0.0", False)
    assert shown["threshold"]["points"] == {"volume": "2.3", "growth": "2.3", "service": "1.3", "incidents": "5.0"}
    item = next(i for i in shown["items"] if i["item"] == cells["volume"])
    assert (item["answered"], item["dont_know"], item["who"]) == (3, 1, ["ana", "ben", "cai"])
    spanish = board(store, tiny_book, share=0.9, lang="es")
    volume = next(c for c in spanish["cells"] if c["criterion"] == "volume")
    assert (volume["threshold"], volume["contested"], volume["label"]) == ("8,1", False, "Volumen de negocio")


def test_the_matrix_takes_the_rooms_scores_where_it_scored_and_the_workbooks_elsewhere(store, people, cells, tiny_book):
    for criterion, (ana, ben) in {
        "volume": (10, 1),
        "growth": (10, 1),
        "service": (5, 0),
        "incidents": (0, 20),
    }.items():
        store.answer(people["ana"].token, cells[criterion], ana)
        store.answer(people["ben"].token, cells[criterion], ben)
    placed = {a["account"]: a for a in board(store, tiny_book)["matrix"]["accounts"]}
    a1 = placed["A1"]
    assert a1["scored_here"] and a1["ring"]  # ana puts A1 top right, ben bottom left: who is asked decides
    low_x, high_x, low_y, high_y = a1["cross"]
    assert low_x <= a1["potential"] <= high_x and low_y <= a1["position"] <= high_y and high_x - low_x > 5
    untouched = place_by_assessor(tiny_book).accounts.set_index("account_id")
    assert not placed["A2"]["scored_here"]
    assert placed["A2"]["potential"] == pytest.approx(untouched.loc["A2", "potential"])  # the workbook's
    assert placed["A2"]["position"] == pytest.approx(untouched.loc["A2", "position"])
    assert placed["A2"]["customer_position"] is None


def test_the_groups_weights_and_each_ones_consistency(store, people, tiny_book):
    (pair,) = store.add_pair_items([("volume", "growth")])
    store.open_items([pair.item_id])
    store.answer(people["ana"].token, pair.item_id, 3)
    store.answer(people["ben"].token, pair.item_id, 1 / 3)
    weights = board(store, tiny_book, lang="en")["weights"]
    potential = weights["potential"]
    assert potential["complete"] == 2
    assert potential["group"] == {"volume": "50.0%", "growth": "50.0%"}  # geometric mean of 3 and 1/3: equal
    assert [p["code"] for p in potential["participants"]] == ["ana", "ben"]
    assert all(p["consistent"] for p in potential["participants"])  # two criteria are always consistent
    assert "%" in potential["consensus"]


def test_round_one_beside_round_two(store, people, cells, tiny_book):
    store.answer(people["ana"].token, cells["volume"], 9)
    store.answer(people["ben"].token, cells["volume"], 2)
    store.reveal_items([cells["volume"]])
    store.reopen_items([cells["volume"]])
    store.answer(people["ana"].token, cells["volume"], 6)
    store.answer(people["ben"].token, cells["volume"], 5)
    (line,) = board(store, tiny_book, lang="en")["rounds"]
    assert (line["account"], line["criterion"], line["before"], line["after"], line["status"]) == (
        "A1", "volume", "7.0", "1.0", "resolved",
    )  # fmt: skip
    volume = next(c for c in board(store, tiny_book, lang="en")["cells"] if c["criterion"] == "volume")
    assert (volume["range"], volume["contested"]) == ("1.0", False)  # the board shows the current round


def test_an_anonymous_board_names_nobody(make_store, tiny_book):
    store = make_store(anonymous=True)
    people = {i.participant.code: i.token for i in store.add_participants(PEOPLE)}
    (item,) = store.add_score_items([("A1", "volume")])
    store.open_items([item.item_id])
    for who, value in (("ana", 1), ("ben", 2), ("cai", 10)):
        store.answer(people[who], item.item_id, value)
    shown = board(store, tiny_book)
    assert shown["participants"]["names"] is None and shown["items"][0]["who"] is None
    assert shown["cells"][0]["outliers"] is None and shown["cells"][0]["outlier_count"] >= 1
    assert "ana" not in repr(shown) and "Ana" not in repr(shown)


def test_a_participants_page_shows_only_what_is_theirs_to_see(store, people, cells, tiny_book):
    store.answer(people["ana"].token, cells["volume"], 9)
    store.answer(people["ben"].token, cells["volume"], 2)
    (pending,) = store.add_score_items([("A2", "growth")])
    seen = phone(store, tiny_book, people["ana"].token, "en")
    assert {e["item"] for e in seen["scores"]} == set(cells.values())  # the pending item is not shown
    assert pending.item_id not in {e["item"] for e in seen["scores"]}
    assert next(e for e in seen["scores"] if e["item"] == cells["volume"])["group"] is None
    assert seen["accounts"] == {"A1": "Supermercados Peñíscola"}
    volume = next(c for c in seen["criteria"] if c["id"] == "volume")
    assert (volume["label"], volume["min"], volume["max"]) == ("Business volume", 1.0, 10.0)
    with pytest.raises(KamError, match="unknown or voided participant token"):
        phone(store, tiny_book, "guess", "en")


def test_a_participant_sees_their_consistency_and_the_judgement_to_look_at_again(tmp_path):
    from kamlib.engagement import copy_sample

    workbook = copy_sample(tmp_path / "eng")
    engagement = load(workbook)
    with WorkshopStore.create(workshop_path(workbook), workbook, engagement.accounts, engagement.criteria) as store:
        (me,) = store.add_participants([{"code": "ana", "name": "Ana"}])
        names = engagement.criteria.loc[engagement.criteria["axis"] == "potential", "criterion_id"].tolist()[:3]
        pairs = store.add_pair_items(list(itertools.combinations(names, 2)))
        store.open_items([p.item_id for p in pairs])
        for pair, value in zip(pairs, (9, 9, 1 / 9), strict=True):  # a ≫ b, a ≫ c, yet c ≫ b: inconsistent
            store.answer(me.token, pair.item_id, value)
        (said,) = phone(store, engagement, me.token, "es")["consistency"].values()
        assert not said["consistent"] and "," in said["cr"]  # "0,xx" in Spanish
        assert said["worst"]["said"] and said["worst"]["suggested"] and said["worst"]["a"] != said["worst"]["b"]
        store.answer(me.token, pairs[2].item_id, 1)  # c = b: consistent enough now? a ≫ b, a ≫ c, b = c
        (again,) = phone(store, engagement, me.token, "es")["consistency"].values()
        assert again["consistent"] and again["worst"] is None


def test_a_board_for_a_workbook_with_hostile_names(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny", "<script>alert(1)</script>")
    engagement = load(workbook)
    with WorkshopStore.create(workshop_path(workbook), workbook, engagement.accounts, engagement.criteria) as store:
        store.add_participants(PEOPLE)
        names = {a["account"]: a["name"] for a in board(store, engagement)["matrix"]["accounts"]}
        assert names["A2"] == "<script>alert(1)</script>"  # data, as given: the page writes it as text
