"""Answers: one per participant, item and round, written after every check, read back in the shapes kamlib uses.

A score is a finite number within its criterion's scale, a pair judgement a value of Saaty's scale in the item's
order, an allocation's points all at once (`write_allocation`) (`kamlib.workshop.checks`); "don't know" is stored as
no value with its own flag, never as 0, and is left out of `scores_frame` and `judgements_of`, as an empty score is
no score. While an item is open a participant may change their answer: the last one counts, with its time. The
reads:

- a participant's own answers;
- everyone's answers of the revealed rounds, by item, round and value (never in the order they came, which would
  say who answered first), without code or name when the workshop is anonymous;
- how many have answered each item's current round, and who (codes; nobody named when anonymous);
- a round as the workbook's `scores` sheet, which `kamlib.agreement.cell_spread` and `compare_rounds` read as it is,
  assessor = the participant's code;
- the pair judgements as `kamlib.scenarios.ahp` reads them: participant → axis → `Judgement`s;
- the allocations: participant → axis → criterion → points.

Functions over an open connection, inside the caller's transaction (`kamlib.workshop.store`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kamlib.scenarios.ahp import Judgement
from kamlib.workshop.checks import Refused, Scale, check_allocation, check_given, check_judgement, check_score
from kamlib.workshop.items import STATES_ES, Item, read_items
from kamlib.workshop.participants import Holder

SCORE_COLUMNS = ("account_id", "criterion_id", "score", "assessor", "period")
"""The columns of `scores_frame`: the workbook's `scores` sheet."""

_ANSWERS = """
SELECT a.item_id, a.round, a.value, a.dont_know, a.received_at, p.code, p.name, p.side
FROM answer AS a JOIN participant AS p ON p.participant_id = a.participant_id
"""


@dataclass(frozen=True)
class Answer:
    """One answer: value (None for don't know), its round and when it arrived; who gave it (code, name, side),
    code and name None where a read hides them (an anonymous workshop's shared reads)."""

    item_id: int
    round: int
    value: float | None
    dont_know: bool
    received_at: str
    participant: str | None
    name: str | None
    side: str | None


@dataclass(frozen=True)
class ItemCount:
    """How many have answered an item in its current round, how many of them don't know, and who (participant
    codes; None in an anonymous workshop)."""

    item_id: int
    round: int
    state: str
    answered: int
    dont_know: int
    participants: tuple[str, ...] | None


@dataclass(frozen=True)
class Given:
    """An answer as a request brings it: a value or don't know, the round the phone showed (None: any), whose it
    says it is (None: the token's holder), and for a pair the order its criteria were given in."""

    value: object = None
    dont_know: bool = False
    round: int | None = None
    participant: str | None = None
    order: tuple[str, str] | None = None


def write_answer(
    conn: sqlite3.Connection, holder: Holder, item: Item, given: Given, scales: Mapping[str, Scale], now: str
) -> Answer:
    """Check `given` for `item` and write it as `holder`'s answer of the item's current round (replacing theirs of
    that round); raise `Refused` before any write for someone else's answer, an item not open, another round, or
    a value not allowed."""
    check_given(given.value, given.dont_know)
    if item.kind == "share":
        raise Refused(
            "invalid",
            f"item {item.label()} is part of a 100-point allocation; allowed: the whole allocation of its axis at once",
            f"el elemento {item.label()} es parte de un reparto de 100 puntos; se admite: el reparto entero de su eje",
        )
    _may_write(holder, item, given)
    return _insert(conn, holder, item, given, None if given.dont_know else _checked(item, given, scales), now)


def write_allocation(
    conn: sqlite3.Connection,
    holder: Holder,
    items: Sequence[Item],
    given: Given,
    now: str,
) -> list[Answer]:
    """Write `holder`'s 100-point allocation among the criteria of `items` (one axis's share items; `given.value`
    maps criterion ids to points), or their don't-know, as one answer per item in its current round; raise
    `Refused` before any write, as `write_answer` does, or for an allocation that is not one
    (`kamlib.workshop.checks.check_allocation`)."""
    check_given(given.value, given.dont_know)
    for item in items:
        _may_write(holder, item, given)
    criteria = [str(item.criterion_id) for item in items]
    points = None if given.dont_know else check_allocation(given.value, criteria, items[0].axis)
    return [
        _insert(conn, holder, item, given, None if points is None else points[str(item.criterion_id)], now)
        for item in items
    ]


def _may_write(holder: Holder, item: Item, given: Given) -> None:
    """Raise `Refused` unless `holder` may answer `item` now: their own answer, the customer's side on our position
    only, the item open, in the round the phone showed."""
    who = holder.participant
    if given.participant is not None and str(given.participant).casefold() != who.code.casefold():
        raise Refused(
            "forbidden",
            f"an answer for participant {given.participant!r} with the token of {who.code!r}; allowed: your own "
            "answers",
            f"una respuesta del participante {given.participant!r} con el token de {who.code!r}; se admite: solo "
            "las propias",
        )
    if who.side == "customer" and (item.kind != "score" or item.axis != "position"):
        raise Refused(
            "forbidden",
            f"item {item.label()}: a participant on the customer's side scores our position only",
            f"elemento {item.label()}: quien participa por parte del cliente solo puntúa nuestra posición",
        )
    if item.state != "open":
        raise Refused(
            "closed",
            f"item {item.label()} is {item.state} (round {item.round}); answers are taken while it is open",
            f"el elemento {item.label()} está {STATES_ES[item.state]} (ronda {item.round}); se admiten respuestas "
            "mientras está abierto",
        )
    if given.round is not None and given.round != item.round:
        raise Refused(
            "round",
            f"item {item.label()} is in round {item.round} now, not {given.round!r}; reload to answer this round",
            f"el elemento {item.label()} está ahora en la ronda {item.round}, no en {given.round!r}; recargue para "
            "responder a esta ronda",
        )


def _insert(
    conn: sqlite3.Connection, holder: Holder, item: Item, given: Given, value: float | None, now: str
) -> Answer:
    """Write the answer of the item's current round, replacing the holder's of that round."""
    who = holder.participant
    conn.execute(
        "INSERT INTO answer VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id, item_id, round) DO UPDATE "
        "SET value = excluded.value, dont_know = excluded.dont_know, received_at = excluded.received_at",
        (holder.participant_id, item.item_id, item.round, value, int(given.dont_know), now),
    )
    return Answer(item.item_id, item.round, value, given.dont_know, now, who.code, who.name, who.side)


def _checked(item: Item, given: Given, scales: Mapping[str, Scale]) -> float:
    """The value of an answer to `item`: a score on its criterion's scale, or a judgement in the item's order (the
    reciprocal of one given the other way round)."""
    if item.kind == "score":
        return check_score(given.value, scales[str(item.criterion_id)])
    a, b = given.order or (str(item.criterion_a), str(item.criterion_b))
    judged = check_judgement(given.value, a, b)
    return judged if a == item.criterion_a else 1 / judged


def own_answers(conn: sqlite3.Connection, holder: Holder) -> list[Answer]:
    """A participant's answers, every round, by item and round."""
    rows = conn.execute(_ANSWERS + "WHERE a.participant_id = ? ORDER BY a.item_id, a.round", (holder.participant_id,))
    return [_answer(row, hide=False) for row in rows]


def revealed_answers(conn: sqlite3.Connection, hide: bool) -> list[Answer]:
    """Everyone's answers of each revealed round of each item, by item, round and value; `hide`: no code or name."""
    rows = conn.execute(
        _ANSWERS + "JOIN item_round AS r ON r.item_id = a.item_id AND r.round = a.round "
        "WHERE r.state = 'revealed' ORDER BY a.item_id, a.round, a.dont_know, a.value, p.code"
    )
    return [_answer(row, hide) for row in rows]


def answer_counts(conn: sqlite3.Connection, hide: bool) -> list[ItemCount]:
    """Per item, its current round's number of answers and of don't-knows, and who answered (None when `hide`)."""
    items = read_items(conn)
    by_round: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for item_id, rnd, dont_know, code in conn.execute(
        "SELECT a.item_id, a.round, a.dont_know, p.code FROM answer AS a JOIN participant AS p "
        "ON p.participant_id = a.participant_id ORDER BY p.participant_id"
    ):
        by_round.setdefault((item_id, rnd), []).append((dont_know, code))
    counts = []
    for item in items:
        here = by_round.get((item.item_id, item.round), [])
        codes = None if hide else tuple(code for _, code in here)
        counts.append(ItemCount(item.item_id, item.round, item.state, len(here), sum(dk for dk, _ in here), codes))
    return counts


def valued_answers(
    conn: sqlite3.Connection, kind: str, round: int | None, side: str | None = "ours"
) -> list[tuple[Item, float, str]]:
    """(item, value, participant code) of every answer with a value to the items of `kind`, of round `round` or
    each item's current round, given by the participants of `side` (`ours`: the supplier's people, a participant of
    no stated side among them; `customer`: the customer's; None: everyone); by item, then participant in the order
    added."""
    items = {item.item_id: item for item in read_items(conn) if item.kind == kind}
    sides = {"ours": "coalesce(p.side, 'ours') = 'ours'", "customer": "p.side = 'customer'", None: "1"}[side]
    rows = conn.execute(
        "SELECT a.item_id, a.round, a.value, p.code FROM answer AS a JOIN participant AS p "
        f"ON p.participant_id = a.participant_id WHERE a.dont_know = 0 AND {sides} ORDER BY a.item_id, "
        "p.participant_id"
    )
    return [
        (items[item_id], value, code)
        for item_id, rnd, value, code in rows
        if item_id in items and rnd == (items[item_id].round if round is None else round)
    ]


def scores_frame(answers: list[tuple[Item, float, str]], period: str) -> pd.DataFrame:
    """Score answers as the workbook's `scores` sheet (`SCORE_COLUMNS`): assessor = code, period = `period`."""
    frame = pd.DataFrame(
        {
            "account_id": pd.Series([item.account_id for item, _, _ in answers], dtype=object),
            "criterion_id": pd.Series([item.criterion_id for item, _, _ in answers], dtype=object),
            "score": pd.Series([value for _, value, _ in answers], dtype=float),
            "assessor": pd.Series([code for _, _, code in answers], dtype=object),
            "period": pd.Series([str(period)] * len(answers), dtype=object),
        }
    )
    return frame[list(SCORE_COLUMNS)]


def allocations_of(
    answers: list[tuple[Item, float, str]], criteria_per_axis: Mapping[str, int]
) -> dict[str, dict[str, dict[str, float]]]:
    """Share answers as allocations: participant code → axis → criterion → points, for the axes a participant
    allocated whole (a point for every criterion of the axis, as `write_allocation` writes them)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for item, value, code in answers:
        out.setdefault(code, {}).setdefault(item.axis, {})[str(item.criterion_id)] = value
    return {
        code: whole
        for code, axes in out.items()
        if (whole := {axis: given for axis, given in axes.items() if len(given) == criteria_per_axis.get(axis)})
    }


def judgements_of(answers: list[tuple[Item, float, str]]) -> dict[str, dict[str, list[Judgement]]]:
    """Pair answers as `kamlib.scenarios.ahp` reads them: participant code → axis → judgements."""
    out: dict[str, dict[str, list[Judgement]]] = {}
    for item, value, code in answers:
        judgement = Judgement(a=str(item.criterion_a), b=str(item.criterion_b), value=value)
        out.setdefault(code, {}).setdefault(item.axis, []).append(judgement)
    return out


def _answer(row: tuple, hide: bool) -> Answer:
    item_id, rnd, value, dont_know, received, code, name, side = row
    if hide:
        code = name = None
    return Answer(item_id, rnd, value, bool(dont_know), received, code, name, side)
