"""Items and the facilitator's actions: open, close, reveal, reopen for the next round; all or nothing."""

import pytest

from kamlib.errors import KamError
from tests.workshop.conftest import stored_answers


def test_score_items_name_every_unknown_account_and_criterion(store):
    with pytest.raises(KamError) as caught:
        store.add_score_items([("A1", "volume"), ("ZZ", "volume"), ("A1", "volumen"), ("ZZ", "fit")])
    assert caught.value.render("en").splitlines() == [
        "unknown account 'ZZ'; known: A1, A2, A3, A4",
        "unknown criterion 'volumen'; known: volume, growth, service, incidents",
        "unknown criterion 'fit'; known: volume, growth, service, incidents",
    ]
    assert caught.value.render("es").splitlines()[0] == "no existe la cuenta 'ZZ'; existentes: A1, A2, A3, A4"
    assert store.items() == []


def test_an_item_added_twice_is_the_same_item(store):
    first = store.add_score_items([("A1", "volume"), ("A2", "service")])
    again = store.add_score_items([("A2", "service"), ("A1", "volume"), ("A1", "volume")])
    assert [i.item_id for i in again] == [2, 1, 1]
    assert [(i.kind, i.account_id, i.criterion_id, i.axis, i.round, i.state) for i in first] == [
        ("score", "A1", "volume", "potential", 1, "pending"),
        ("score", "A2", "service", "position", 1, "pending"),
    ]


def test_pairs_are_kept_in_the_criteria_order_and_checked(store):
    (pair,) = store.add_pair_items([("growth", "volume")])
    assert (pair.kind, pair.axis, pair.criterion_a, pair.criterion_b) == ("pair", "potential", "volume", "growth")
    assert store.add_pair_items([("volume", "growth")]) == [pair]
    with pytest.raises(KamError) as caught:
        store.add_pair_items([("volume", "service"), ("growth", "growth"), ("volume", "fit")])
    assert caught.value.render("en").splitlines() == [
        "pair 'volume' / 'service': axes 'potential' and 'position'; allowed: two criteria of one axis",
        "pair 'growth' / 'growth': a criterion compared with itself; allowed: two different criteria",
        "pair 'volume' / 'fit': unknown criterion 'fit'; known: volume, growth, service, incidents",
    ]
    assert len(store.items()) == 1


def test_an_item_goes_open_closed_revealed_then_round_2(store, people):
    (item,) = store.add_score_items([("A1", "volume")])
    i = item.item_id
    assert store.open_items([i])[0].state == "open"
    assert store.open_items([i])[0].state == "open"  # a second click changes nothing
    assert store.close_items([i])[0].state == "closed"
    assert store.open_items([i])[0].state == "open"  # opened again, same round
    store.answer(people["ana"].token, i, 4)
    assert store.reveal_items([i])[0].state == "revealed"  # an open item is closed and revealed at once
    assert store.reveal_items([i])[0].state == "revealed"
    assert store.close_items([i])[0].state == "revealed"
    (second,) = store.reopen_items([i])
    assert (second.round, second.state) == (2, "open")
    store.answer(people["ana"].token, i, 6)
    assert [(code, rnd, value) for code, _, rnd, value, _, _ in stored_answers(store.path)] == [
        ("ana", 1, 4.0),
        ("ana", 2, 6.0),
    ]


def test_an_action_that_does_not_apply_to_one_item_changes_none(store):
    items = store.add_score_items([("A1", "volume"), ("A1", "growth"), ("A2", "volume")])
    store.open_items([items[1].item_id])
    store.open_items([items[2].item_id])
    store.reveal_items([items[2].item_id])
    with pytest.raises(KamError) as caught:
        store.reopen_items([1, 2, 3, 99])
    assert caught.value.render("en").splitlines() == [
        "cannot reopen item 1 (A1 × volume): it has not been opened yet; allowed: open it",
        "cannot reopen item 2 (A1 × growth): it is open in round 1; allowed: close or reveal it first",
        "unknown item 99",
    ]
    assert caught.value.render("es").splitlines()[1] == (
        "no se puede reabrir el elemento 2 (A1 × growth): está abierto en la ronda 1; se admite: cerrarlo o "
        "revelarlo antes"
    )
    assert [(i.round, i.state) for i in store.items()] == [(1, "pending"), (1, "open"), (1, "revealed")]
    with pytest.raises(
        KamError,
        match=r"cannot open item 3 \(A2 × volume\): it is revealed in round 1; allowed: "
        r"reopen it for round 2",
    ):
        store.open_items([3])
    with pytest.raises(KamError, match=r"cannot close item 1 .*: it has not been opened yet"):
        store.close_items([1])
