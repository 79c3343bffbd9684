"""Participants and tokens: 128 random bits, kept only as hashes; listed ones, seats, joining, a new link."""

import base64
import sqlite3

import pandas as pd
import pytest

from kamlib.errors import KamError
from kamlib.workshop import Refused
from kamlib.workshop.participants import TOKEN_BYTES, token_hash
from tests.workshop.conftest import PEOPLE


def test_each_token_holds_at_least_128_random_bits(store):
    tokens = [issued.token for issued in store.seats(200)]
    assert TOKEN_BYTES >= 16
    assert all(len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) >= 16 for t in tokens)
    assert len(set(tokens)) == len(tokens)


def test_the_file_keeps_only_the_tokens_hashes(store, people, cells):
    tokens = [issued.token for issued in people.values()]
    store.answer(tokens[0], cells["volume"], 7)
    with sqlite3.connect(store.path) as conn:  # read what the file holds, WAL included, then fold the WAL in
        kept = {row[0] for row in conn.execute("SELECT token_hash FROM token")}
    on_disk = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert kept == {token_hash(t) for t in tokens}
    assert all(token_hash(t) in on_disk for t in tokens)  # the bytes read are the ones that hold the tokens
    assert not any(t.encode() in on_disk for t in tokens)
    store.close()
    on_disk = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert all(token_hash(t) in on_disk for t in tokens) and not any(t.encode() in on_disk for t in tokens)


def test_a_token_finds_its_participant_and_nothing_else_does(store, people):
    ana = store.participant_by_token(people["ana"].token)
    assert (ana.code, ana.name, ana.side) == ("ana", "Ana Peña", "ours")
    assert store.participant_by_token(people["cai"].token).side is None
    for wrong in ("", "x" * 500, people["ana"].token[:-1], None, 12):
        assert store.participant_by_token(wrong) is None


def test_listed_participants_are_checked_all_at_once(store, people):
    rows = [
        {"code": "dee", "name": "Dee", "side": "theirs"},
        {"code": "has space", "name": "Eve"},
        {"code": "ANA", "name": "Another Ana"},
        {"code": "fay", "name": ""},
        {"code": "gus", "name": "Gus"},
        {"code": "GUS", "name": "Gus again"},
    ]
    with pytest.raises(KamError) as caught:
        store.add_participants(rows)
    assert caught.value.render("en").splitlines() == [
        "participant row 1: side 'theirs'; allowed: ours, customer or empty",
        "participant row 2: code 'has space'; allowed: 1 to 16 letters, digits, '-' or '_'",
        "participant row 3: code 'ANA' already in the workshop; allowed: each code once (ignoring case)",
        "participant row 4: empty name; allowed: the participant's name",
        "participant row 6: code 'GUS' already in row 5; allowed: each code once (ignoring case)",
    ]
    assert caught.value.render("es").splitlines()[0] == (
        "participante de la fila 1: lado 'theirs'; se admite: ours, customer o vacío"
    )
    assert [p.code for p in store.participants()] == ["ana", "ben", "cai"]  # none of them added


def test_seats_take_the_free_codes_and_the_first_name_that_joins(store):
    store.add_participants([{"code": "S02", "name": "Listed"}])
    seats = store.seats(3)
    assert [s.participant.code for s in seats] == ["S01", "S03", "S04"]
    assert all(s.participant.name is None for s in seats)
    joined = store.join(" s03 ", "  María José ")
    assert (joined.participant.code, joined.participant.name) == ("S03", "María José")
    assert joined.participant.joined_at is not None
    assert store.participant_by_token(joined.token).name == "María José"
    assert store.participant_by_token(seats[1].token).name == "María José"  # the seat's link is the same person
    for name in ("maria jose", "Ben"):  # once claimed, a seat is its holder's: not even their own name reclaims it
        with pytest.raises(Refused, match="no free seat with code 'S03'; allowed: your own link") as caught:
            store.join("S03", name)
        assert caught.value.reason == "unknown"
    assert store.join_seat("Zoe", "customer").participant.code == "S01"  # the first seat nobody claimed
    assert store.join_seat("Xia").participant.code == "S04"
    with pytest.raises(Refused, match="every seat of the workshop is taken"):
        store.join_seat("Yan")
    with pytest.raises(KamError, match="seats: got 0; allowed: a whole number from 1 to 500"):
        store.seats(0)


def test_a_listed_participant_is_reached_by_their_own_link_only(store, people):
    # security review: a name is known in the room, so code and name would let anyone take over a listed person
    assert store.participant_by_token(people["ana"].token).code == "ana"
    for code, name in (("ANA", "ana peña"), ("ana", "Ben"), ("zed", "Ana Peña"), ("a b", "Ana Peña")):
        with pytest.raises(Refused, match=f"no free seat with code '{code}'; allowed: your own link") as caught:
            store.join(code, name)
        assert "no hay ningún asiento libre con el código" in caught.value.render("es")
    with pytest.raises(Refused, match="empty name"):
        store.join("ana", "  ")


def test_reissue_voids_every_earlier_token(store, people):
    fresh = store.reissue("BEN")
    assert fresh.participant.code == "ben"
    assert store.participant_by_token(people["ben"].token) is None
    assert store.participant_by_token(fresh.token).code == "ben"
    with pytest.raises(KamError, match="unknown participant 'zed'; known: ana, ben, cai"):
        store.reissue("zed")


def test_participants_may_come_as_a_frame(store):
    issued = store.add_participants(pd.DataFrame([PEOPLE[0], {"code": "dee", "name": "Dee", "side": "customer"}]))
    assert [i.participant.side for i in issued] == ["ours", "customer"]
