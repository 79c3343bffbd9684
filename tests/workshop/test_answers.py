"""Answers: every refusal with its message and nothing written; don't know; last write wins; rounds; what each
read shows, anonymous or not; the scores frame through kamlib.agreement, the pairs through kamlib.scenarios.ahp."""

import math
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kamlib.agreement import cell_spread, compare_rounds
from kamlib.scenarios.ahp import Elicitation
from kamlib.workshop import SCORE_COLUMNS, Refused
from tests.workshop.conftest import PEOPLE, stored_answers


@contextmanager
def refused(store, reason: str, match: str) -> Iterator[pytest.ExceptionInfo[Refused]]:
    """Expect the block to be refused for `reason`, with a message matching `match`, and to write nothing."""
    before = stored_answers(store.path)
    with pytest.raises(Refused, match=match) as caught:
        yield caught
    assert caught.value.reason == reason
    assert stored_answers(store.path) == before


def test_a_score_outside_its_scale_or_no_number_is_refused(store, people, cells):
    ana = people["ana"].token
    store.answer(ana, cells["volume"], 7)  # what was there stays as it was
    with refused(
        store, "invalid", r"score of criterion 'volume': got 11; allowed: a number from 1 to 10, or don't know"
    ) as caught:
        store.answer(ana, cells["volume"], 11)
    assert (
        caught.value.render("es")
        == "puntuación del criterio 'volume': valor 11; se admite: un número de 1 a 10, o no sé"
    )
    for bad in (0, 0.99, -1, 10.0001, math.nan, math.inf, -math.inf, "nan", "inf", "siete", "", True, [7]):
        with refused(store, "invalid", r"score of criterion 'volume': got .*; allowed: a number from 1 to 10"):
            store.answer(ana, cells["volume"], bad)
    with refused(store, "invalid", r"got 21; allowed: a number from 0 to 20"):
        store.answer(ana, cells["incidents"], 21)
    with refused(store, "invalid", r"got nan; allowed: a number from 0 to 5"):
        store.answer(ana, cells["service"], math.nan)
    assert [(a.value, a.dont_know) for a in store.own_answers(ana)] == [(7.0, False)]


def test_the_scale_ends_and_decimal_commas_are_scores(store, people, cells):
    ana = people["ana"].token
    assert store.answer(ana, cells["volume"], 1).value == 1.0
    assert store.answer(ana, cells["growth"], "9,5").value == 9.5
    assert store.answer(ana, cells["service"], 0).value == 0.0  # a zero that is a score: service runs from 0
    assert store.answer(ana, cells["incidents"], " 20 ").value == 20.0


def test_an_unknown_account_criterion_item_or_token_is_refused(store, people, cells):
    ana = people["ana"].token
    with refused(store, "unknown", r"unknown account 'ZZ'; known: A1, A2, A3, A4"):
        store.answer_score(ana, "ZZ", "volume", 5)
    with refused(store, "unknown", r"unknown criterion 'volumen'; known: volume, growth, service, incidents") as caught:
        store.answer_score(ana, "A1", "volumen", 5)
    assert caught.value.render("es").startswith("no existe el criterio 'volumen'; existentes: volume, growth")
    with refused(store, "unknown", r"account 'A2' on criterion 'volume' is not scored in this workshop"):
        store.answer_score(ana, "A2", "volume", 5)
    with refused(store, "unknown", r"unknown item 99"):
        store.answer(ana, 99, 5)
    with refused(store, "unknown", r"unknown item '1'"):
        store.answer(ana, "1", 5)
    with refused(store, "token", r"unknown or voided participant token; open your link again") as caught:
        store.answer("not-a-token", cells["volume"], 5)
    assert "not-a-token" not in caught.value.render("en")  # a token is never echoed
    with refused(store, "token", "unknown or voided"):
        store.own_answers("not-a-token")


def test_nobody_writes_for_someone_else(store, people, cells):
    with refused(
        store, "forbidden", r"an answer for participant 'ben' with the token of 'ana'; allowed: your own answers"
    ) as caught:
        store.answer(people["ana"].token, cells["volume"], 5, participant="ben")
    assert "se admite: solo las propias" in caught.value.render("es")
    assert store.answer(people["ana"].token, cells["volume"], 5, participant="ANA").participant == "ana"


def test_an_item_not_open_takes_no_answer(store, people, cells):
    ana = people["ana"].token
    (pending,) = store.add_score_items([("A2", "volume")])
    with refused(store, "closed", r"item 5 \(A2 × volume\) is pending \(round 1\); answers are taken while it is open"):
        store.answer(ana, pending.item_id, 5)
    store.close_items([cells["volume"]])
    with refused(store, "closed", r"item 1 \(A1 × volume\) is closed \(round 1\)") as caught:
        store.answer(ana, cells["volume"], 5)
    assert caught.value.render("es") == (
        "el elemento 1 (A1 × volume) está cerrado (ronda 1); se admiten respuestas mientras está abierto"
    )
    store.reveal_items([cells["volume"]])
    with refused(store, "closed", r"is revealed \(round 1\)"):
        store.answer_score(ana, "A1", "volume", dont_know=True)


def test_an_answer_for_a_round_gone_by_is_refused(store, people, cells):
    ana = people["ana"].token
    store.answer(ana, cells["volume"], 3, round=1)
    store.reveal_items([cells["volume"]])
    store.reopen_items([cells["volume"]])
    with refused(store, "round", r"item 1 \(A1 × volume\) is in round 2 now, not 1; reload to answer this round"):
        store.answer(ana, cells["volume"], 8, round=1)
    assert store.answer(ana, cells["volume"], 8, round=2).round == 2


def test_a_value_and_dont_know_are_one_or_the_other(store, people, cells):
    ana = people["ana"].token
    with refused(store, "invalid", r"no value; allowed: a value, or don't know"):
        store.answer(ana, cells["volume"])
    with refused(store, "invalid", r"both a value \(5\) and don't know; allowed: one of them"):
        store.answer(ana, cells["volume"], 5, dont_know=True)
    with refused(store, "invalid", r"don't know: got 'yes'; allowed: true or false"):
        store.answer(ana, cells["volume"], dont_know="yes")


def test_dont_know_is_stored_as_no_value_never_zero(store, people, cells):
    ana = people["ana"].token
    answer = store.answer(ana, cells["service"], dont_know=True)
    assert (answer.value, answer.dont_know) == (None, True)
    assert [row[3:5] for row in stored_answers(store.path)] == [(None, 1)]
    store.answer(people["ben"].token, cells["service"], 0)  # a real zero, beside it
    assert store.scores("R1").to_dict("records") == [
        {"account_id": "A1", "criterion_id": "service", "score": 0.0, "assessor": "ben", "period": "R1"}
    ]
    (count,) = [c for c in store.answer_counts() if c.item_id == cells["service"]]
    assert (count.answered, count.dont_know, count.participants) == (2, 1, ("ana", "ben"))


def test_the_last_answer_of_a_round_counts_with_its_time(store, people, cells):
    ana = people["ana"].token
    first = store.answer(ana, cells["volume"], 3)
    store.answer(ana, cells["volume"], dont_know=True)
    last = store.answer(ana, cells["volume"], 6)
    assert last.received_at > first.received_at
    assert stored_answers(store.path) == [("ana", 1, 1, 6.0, 0, last.received_at)]


def test_reopening_keeps_round_1_beside_round_2(store, people, cells):
    v = cells["volume"]
    for code, score in (("ana", 2), ("ben", 5), ("cai", 9)):
        store.answer(people[code].token, v, score)
    store.reveal_items([v])
    store.reopen_items([v])
    for code, score in (("ana", 4), ("ben", 5)):
        store.answer(people[code].token, v, score)
    assert [(a.round, a.value) for a in store.own_answers(people["ana"].token)] == [(1, 2.0), (2, 4.0)]
    assert store.scores("R1", round=1)["score"].tolist() == [2.0, 5.0, 9.0]
    assert store.scores("R2", round=2)["score"].tolist() == [4.0, 5.0]
    assert store.scores("now")["score"].tolist() == [4.0, 5.0]  # each item's current round
    assert [(a.round, a.value) for a in store.revealed_answers()] == [(1, 2.0), (1, 5.0), (1, 9.0)]
    (count,) = [c for c in store.answer_counts() if c.item_id == v]
    assert (count.round, count.state, count.answered, count.participants) == (2, "open", 2, ("ana", "ben"))


def test_only_revealed_rounds_are_shown_to_everyone(store, people, cells):
    store.answer(people["ana"].token, cells["volume"], 9)
    store.answer(people["ben"].token, cells["volume"], 2)
    store.answer(people["ben"].token, cells["growth"], 4)
    assert store.revealed_answers() == []
    store.close_items([cells["volume"]])
    assert store.revealed_answers() == []  # closed is not revealed
    store.reveal_items([cells["volume"]])
    shown = store.revealed_answers()
    assert [(a.item_id, a.value, a.participant, a.name, a.side) for a in shown] == [
        (1, 2.0, "ben", "Ben", "ours"),  # by value, not by who answered first
        (1, 9.0, "ana", "Ana Peña", "ours"),
    ]


def test_an_anonymous_workshop_names_nobody_in_shared_reads(make_store):
    store = make_store(anonymous=True)
    people = {i.participant.code: i.token for i in store.add_participants(PEOPLE)}
    (item,) = store.add_score_items([("A3", "growth")])
    store.open_items([item.item_id])
    store.answer(people["cai"], item.item_id, 8)
    store.answer(people["ana"], item.item_id, 3)
    store.answer(people["ben"], item.item_id, dont_know=True)
    (count,) = store.answer_counts()
    assert (count.answered, count.dont_know, count.participants) == (3, 1, None)
    store.reveal_items([item.item_id])
    shown = [(a.value, a.dont_know, a.participant, a.name, a.side) for a in store.revealed_answers()]
    assert shown == [
        (3.0, False, None, None, "ours"),
        (8.0, False, None, None, None),
        (None, True, None, None, "ours"),
    ]
    assert store.own_answers(people["ana"])[0].participant == "ana"  # one's own answers are one's own
    assert store.session.anonymous


def test_the_scores_frame_feeds_cell_spread_worked_by_hand(store, people, cells, tiny):
    # volume (1–10): Ana 2, Ben 5, Cai 9 → median 5, range 7 > threshold ¼ × 9 = 2.25: contested; distances
    #   3 and 4 from the median pass 2.25: outliers cai (farther), then ana
    # service (0–5): Ana 3, Ben 4, Cai don't know → 2 scores, range 1 ≤ threshold ¼ × 5 = 1.25: not contested
    for code, volume, service in (("ana", 2, 3), ("ben", 5, 4), ("cai", 9, None)):
        store.answer(people[code].token, cells["volume"], volume)
        store.answer(people[code].token, cells["service"], service, dont_know=service is None)
    scores = store.scores("taller R1")
    assert tuple(scores.columns) == SCORE_COLUMNS
    volume, service = cell_spread(scores, tiny.criteria).itertuples(index=False)
    assert (volume.account_id, volume.criterion_id, volume.period) == ("A1", "volume", "taller R1")
    assert (volume.n_scores, volume.median, volume.range, volume.threshold) == (3, 5.0, 7.0, 2.25)
    assert volume.disagreement and volume.outliers == ("cai", "ana")
    assert volume.std == pytest.approx(math.sqrt(((2 - 16 / 3) ** 2 + (5 - 16 / 3) ** 2 + (9 - 16 / 3) ** 2) / 3))
    assert (service.n_scores, service.range, service.threshold, service.disagreement) == (2, 1.0, 1.25, False)
    # round 2 on volume only: 4, 5, 6 → range 2 ≤ 2.25: resolved (−5 points); service was not scored again
    store.reveal_items([cells["volume"]])
    store.reopen_items([cells["volume"]])
    for code, volume in (("ana", 4), ("ben", 5), ("cai", 6)):
        store.answer(people[code].token, cells["volume"], volume)
    rounds = compare_rounds(store.scores("R1", round=1), store.scores("R2", round=2), tiny.criteria)
    assert rounds["criterion_id"].tolist() == ["volume", "service"]
    assert rounds["status"].tolist() == ["resolved", "before_only"]
    assert rounds["range_change"].iloc[0] == -5.0


def test_pair_judgements_on_saatys_scale_feed_an_elicitation(store, people):
    ana, ben = people["ana"].token, people["ben"].token
    (pair,) = store.add_pair_items([("volume", "growth")])
    store.open_items([pair.item_id])
    for bad in (10, 0, -3, 2.5, "1/10", "abc", math.nan, True):
        with refused(
            store, "invalid", r"judgement of 'volume' against 'growth': got .*; allowed: 1 to 9 or 1/2 to 1/9"
        ):
            store.answer_pair(ana, "volume", "growth", bad)
    with refused(store, "invalid", r"got 12") as caught:
        store.answer(ana, pair.item_id, 12)
    assert "se admite: de 1 a 9 o de 1/2 a 1/9 (escala de Saaty), o no sé" in caught.value.render("es")
    with refused(store, "unknown", r"the pair 'volume' / 'service' is not compared in this workshop"):
        store.answer_pair(ana, "volume", "service", 3)
    assert store.answer_pair(ana, "volume", "growth", 3).value == 3.0
    assert store.answer_pair(ben, "growth", "volume", 2).value == 0.5  # given the other way round: kept as 1/2
    assert store.answer_pair(ben, "growth", "volume", "1/2").value == 2.0  # and its change of mind
    store.answer_pair(ben, "growth", "volume", 2)
    store.answer_pair(people["cai"].token, "volume", "growth", dont_know=True)
    judgements = store.judgements()
    assert {code: [(j.a, j.b, j.value) for j in axes["potential"]] for code, axes in judgements.items()} == {
        "ana": [("volume", "growth", 3)],
        "ben": [("growth", "volume", 2)],
    }
    # Ana: volume 3 × growth → 0.75 / 0.25; Ben: growth 2 × volume → 1/3 / 2/3; the group's geometric mean of
    # a(volume, growth) = √(3 × 1/2) = √1.5 → weights √1.5 / (1 + √1.5) = 0.5505 and 0.4495
    elicitation = Elicitation(criteria=store.pair_criteria(), judgements=judgements)
    result = elicitation.result["potential"]
    assert result.participants["ana"].weights["volume"] == pytest.approx(0.75)
    assert result.participants["ben"].weights["growth"] == pytest.approx(2 / 3)
    assert result.group.weights["volume"] == pytest.approx(math.sqrt(1.5) / (1 + math.sqrt(1.5)))
