"""What the room answers, and the facilitator's hold on it: open, close, reveal, reopen for the next round.

An item is a `score` (one account on one criterion), a `pair` (two criteria of one axis, "a is v times as important
as b", oriented in the criteria's order) or a `share` (one criterion's points in its axis's 100-point allocation:
the shares of an axis are opened together and answered at once). Each round of an item is a row of its own
(`item_round`) with its state and times, so round 1 stays, revealed or not, beside round 2. An item's state in its
current round:

- `pending`: added, not opened yet;
- `open`: taking answers (a participant may change theirs);
- `closed`: no more answers in this round (it may be opened again in the same round);
- `revealed`: closed, and this round's answers shown to everyone.

`MOVES` is the facilitator's actions as data; an action applied to a set of items checks them all first and
changes all or none. Functions over an open connection, inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kamlib.errors import KamError, list_known
from kamlib.workshop.checks import Refused, Scale

STATES = ("pending", "open", "closed", "revealed")
"""An item's state in its current round (the module's list)."""
STATES_ES = {"pending": "sin abrir", "open": "abierto", "closed": "cerrado", "revealed": "revelado"}
"""The states as a Spanish message says them."""
MOVES: Mapping[str, Mapping[str, str | None]] = {
    "open": {"pending": "open", "closed": "open", "open": None},
    "close": {"open": "closed", "closed": None, "revealed": None},
    "reveal": {"open": "revealed", "closed": "revealed", "revealed": None},
    "reopen": {"closed": "open", "revealed": "open"},
}
"""Each facilitator's action: the states it applies to → the state it leaves the item in (None: already there, a
repeated click changes nothing). `reopen` leaves the current round as it is and starts the next one, open."""

_VERBS = {
    "en": {"open": "open", "close": "close", "reveal": "reveal", "reopen": "reopen"},
    "es": {"open": "abrir", "close": "cerrar", "reveal": "revelar", "reopen": "reabrir"},
}
_ITEMS = """
SELECT i.item_id, i.kind, i.account_id, i.criterion_id, i.axis, i.criterion_a, i.criterion_b, r.round, r.state
FROM item AS i JOIN item_round AS r ON r.item_id = i.item_id
WHERE r.round = (SELECT max(round) FROM item_round WHERE item_id = i.item_id)
"""
_CHUNK = 500
"""Item ids bound per query (SQLite allows far more)."""


@dataclass(frozen=True)
class Item:
    """An item with its current round and that round's state (`STATES`); `axis` is its criteria's axis."""

    item_id: int
    kind: str
    account_id: str | None
    criterion_id: str | None
    axis: str
    criterion_a: str | None
    criterion_b: str | None
    round: int
    state: str

    def label(self) -> str:
        """The item as messages name it: "3 (A1 × volume)", "7 (volume / growth)", "9 (points of volume)"."""
        if self.kind == "score":
            return f"{self.item_id} ({self.account_id} × {self.criterion_id})"
        if self.kind == "share":
            return f"{self.item_id} (points of {self.criterion_id})"
        return f"{self.item_id} ({self.criterion_a} / {self.criterion_b})"


def read_items(conn: sqlite3.Connection, ids: Sequence[int] | None = None) -> list[Item]:
    """Items with their current round and state: all, in the order added, or those of `ids` that exist, in that
    order."""
    if ids is None:
        return [Item(*row) for row in conn.execute(_ITEMS + "ORDER BY i.item_id")]
    found: dict[int, Item] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        query = _ITEMS + f"AND i.item_id IN ({', '.join('?' * len(chunk))})"
        found.update((row[0], Item(*row)) for row in conn.execute(query, chunk))
    return [found[i] for i in ids if i in found]


def add_score_items(
    conn: sqlite3.Connection,
    cells: Iterable[tuple[object, object]],
    accounts: Mapping[str, object],
    scales: Mapping[str, Scale],
) -> list[Item]:
    """Add an item per (account_id, criterion_id), pending; one already there is returned as it is. Raise one
    `KamError` naming every unknown account and criterion; nothing is added then."""
    cells = [(str(a), str(c)) for a, c in cells]
    en, es = [], []
    for account in dict.fromkeys(a for a, _ in cells if a not in accounts):
        en.append(f"unknown account {account!r}; known: {list_known(accounts)}")
        es.append(f"no existe la cuenta {account!r}; existentes: {list_known(accounts)}")
    for criterion in dict.fromkeys(c for _, c in cells if c not in scales):
        en.append(f"unknown criterion {criterion!r}; known: {list_known(scales)}")
        es.append(f"no existe el criterio {criterion!r}; existentes: {list_known(scales)}")
    if en:
        raise KamError("\n".join(en), "\n".join(es))
    ids = []
    for account, criterion in cells:
        found = conn.execute(
            "SELECT item_id FROM item WHERE kind = 'score' AND account_id = ? AND criterion_id = ?",
            (account, criterion),
        ).fetchone()
        ids.append(found[0] if found else _add(conn, "score", account, criterion, scales[criterion].axis))
    return read_items(conn, ids)


def add_pair_items(
    conn: sqlite3.Connection, pairs: Iterable[tuple[object, object]], scales: Mapping[str, Scale]
) -> list[Item]:
    """Add an item per pair of criteria of one axis, in the criteria's order (b, a is the pair a, b); one already
    there is returned as it is. Raise one `KamError` naming every bad pair; nothing is added then."""
    pairs = [(str(a), str(b)) for a, b in pairs]
    order = list(scales)
    en, es = [], []
    for a, b in pairs:
        unknown = [c for c in (a, b) if c not in scales]
        if unknown:
            en.append(f"pair {a!r} / {b!r}: unknown criterion {unknown[0]!r}; known: {list_known(order)}")
            es.append(f"par {a!r} / {b!r}: no existe el criterio {unknown[0]!r}; existentes: {list_known(order)}")
        elif a == b:
            en.append(f"pair {a!r} / {b!r}: a criterion compared with itself; allowed: two different criteria")
            es.append(f"par {a!r} / {b!r}: un criterio comparado consigo mismo; se admite: dos criterios distintos")
        elif scales[a].axis != scales[b].axis:
            en.append(
                f"pair {a!r} / {b!r}: axes {scales[a].axis!r} and {scales[b].axis!r}; allowed: two criteria of one axis"
            )
            es.append(
                f"par {a!r} / {b!r}: ejes {scales[a].axis!r} y {scales[b].axis!r}; se admite: dos criterios de un eje"
            )
    if en:
        raise KamError("\n".join(en), "\n".join(es))
    ids = []
    for a, b in pairs:
        first, second = sorted((a, b), key=order.index)
        found = conn.execute(
            "SELECT item_id FROM item WHERE kind = 'pair' AND criterion_a = ? AND criterion_b = ?", (first, second)
        ).fetchone()
        ids.append(found[0] if found else _add(conn, "pair", first, second, scales[first].axis))
    return read_items(conn, ids)


def add_share_items(conn: sqlite3.Connection, axes: Iterable[object], scales: Mapping[str, Scale]) -> list[Item]:
    """Add the 100-point allocation of each axis: an item per criterion of the axis, pending (one already there is
    returned as it is). Raise `KamError` naming an unknown axis; nothing is added then."""
    axes = [str(a) for a in axes]
    known = list(dict.fromkeys(scale.axis for scale in scales.values()))
    unknown = [a for a in axes if a not in known]
    if unknown:
        raise KamError(
            f"unknown axis {unknown[0]!r}; known: {list_known(known)}",
            f"no existe el eje {unknown[0]!r}; existentes: {list_known(known)}",
        )
    ids = []
    for criterion, scale in scales.items():
        if scale.axis not in axes:
            continue
        found = conn.execute("SELECT item_id FROM item WHERE kind = 'share' AND criterion_id = ?", (criterion,))
        row = found.fetchone()
        ids.append(row[0] if row else _add(conn, "share", criterion, None, scale.axis))
    return read_items(conn, ids)


def share_items(conn: sqlite3.Connection, axis: object, scales: Mapping[str, Scale]) -> list[Item]:
    """Return the allocation items of `axis`, in the criteria's order, or raise `Refused` (`unknown`)."""
    items = [item for item in read_items(conn) if item.kind == "share" and item.axis == axis]
    if not items:
        axes = list(dict.fromkeys(scale.axis for scale in scales.values()))
        raise Refused(
            "unknown",
            f"no 100-point allocation of axis {axis!r} in this workshop; axes: {list_known(axes)}",
            f"no hay reparto de 100 puntos del eje {axis!r} en este taller; ejes: {list_known(axes)}",
        )
    order = list(scales)
    return sorted(items, key=lambda item: order.index(str(item.criterion_id)))


def _known(given: object, known: Mapping[str, object], what: str, que: str) -> None:
    """Raise `Refused` (`unknown`) naming `given` and the known ones unless it is one of them."""
    if not isinstance(given, str) or given not in known:
        raise Refused(
            "unknown",
            f"unknown {what} {given!r}; known: {list_known(known)}",
            f"no existe {que} {given!r}; existentes: {list_known(known)}",
        )


def _is_id(value: object) -> bool:
    """Whether `value` can be an item's id: a whole number SQLite can hold (a phone may send anything)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _add(conn: sqlite3.Connection, kind: str, first: str, second: str | None, axis: str) -> int:
    """Insert an item and its round 1, pending: a score of account `first` on criterion `second`, a pair of criteria
    `first` and `second`, or the points of criterion `first` in its axis's allocation."""
    if kind == "share":
        cursor = conn.execute("INSERT INTO item (kind, criterion_id, axis) VALUES ('share', ?, ?)", (first, axis))
    else:
        columns = "account_id, criterion_id" if kind == "score" else "criterion_a, criterion_b"
        cursor = conn.execute(
            f"INSERT INTO item (kind, {columns}, axis) VALUES (?, ?, ?, ?)", (kind, first, second, axis)
        )
    item_id = int(cursor.lastrowid or 0)
    conn.execute("INSERT INTO item_round (item_id, round, state) VALUES (?, 1, 'pending')", (item_id,))
    return item_id


def move_items(conn: sqlite3.Connection, action: str, item_ids: Iterable[object], now: str) -> list[Item]:
    """Apply a facilitator's action (`MOVES`) to items, or raise one `KamError` naming every item it does not apply
    to (unknown, or in a state the action does not leave from); nothing changes then."""
    given = list(dict.fromkeys(item_ids))
    ids = [i for i in given if _is_id(i)]
    items = {item.item_id: item for item in read_items(conn, ids)}
    en, es = [], []
    for item_id in given:
        item = items.get(item_id) if _is_id(item_id) else None
        if item is None:
            en.append(f"unknown item {item_id!r}")
            es.append(f"no existe el elemento {item_id!r}")
        elif item.state not in MOVES[action]:
            en.append(cannot_text(action, item, "en"))
            es.append(cannot_text(action, item, "es"))
    if en:
        raise KamError("\n".join(en), "\n".join(es))
    for item in items.values():
        target = MOVES[action][item.state]
        if target is None:
            continue
        if action == "reopen":
            conn.execute(
                "INSERT INTO item_round (item_id, round, state, opened_at) VALUES (?, ?, 'open', ?)",
                (item.item_id, item.round + 1, now),
            )
        elif action == "open":
            conn.execute(
                "UPDATE item_round SET state = 'open', opened_at = coalesce(opened_at, ?), closed_at = NULL "
                "WHERE item_id = ? AND round = ?",
                (now, item.item_id, item.round),
            )
        else:
            conn.execute(
                "UPDATE item_round SET state = ?, closed_at = coalesce(closed_at, ?), "
                "revealed_at = CASE WHEN ? = 'revealed' THEN ? END WHERE item_id = ? AND round = ?",
                (target, now, target, now, item.item_id, item.round),
            )
    return read_items(conn, ids)


def cannot_text(action: str, item: Item, lang: str) -> str:
    """Why a facilitator's action does not apply to an item in its state, in `lang`."""
    why = {
        "en": {
            "pending": "it has not been opened yet; allowed: open it",
            "open": f"it is open in round {item.round}; allowed: close or reveal it first",
            "revealed": f"it is revealed in round {item.round}; allowed: reopen it for round {item.round + 1}",
        },
        "es": {
            "pending": "aún no se ha abierto; se admite: abrirlo",
            "open": f"está abierto en la ronda {item.round}; se admite: cerrarlo o revelarlo antes",
            "revealed": f"está revelado en la ronda {item.round}; se admite: reabrirlo para la ronda {item.round + 1}",
        },
    }[lang][item.state]
    if lang == "es":
        return f"no se puede {_VERBS['es'][action]} el elemento {item.label()}: {why}"
    return f"cannot {_VERBS['en'][action]} item {item.label()}: {why}"


def item_by_id(conn: sqlite3.Connection, item_id: object) -> Item:
    """Return the item `item_id`, or raise `Refused` (`unknown`)."""
    found = read_items(conn, [item_id]) if _is_id(item_id) else []
    if not found:
        raise Refused("unknown", f"unknown item {item_id!r}", f"no existe el elemento {item_id!r}")
    return found[0]


def score_item(
    conn: sqlite3.Connection,
    account_id: object,
    criterion_id: object,
    accounts: Mapping[str, object],
    scales: Mapping[str, Scale],
) -> Item:
    """Return the item scoring `account_id` on `criterion_id`, or raise `Refused` (`unknown`) naming the unknown
    account or criterion, or saying the cell is not scored in this workshop."""
    _known(account_id, accounts, "account", "la cuenta")
    _known(criterion_id, scales, "criterion", "el criterio")
    found = conn.execute(
        "SELECT item_id FROM item WHERE kind = 'score' AND account_id = ? AND criterion_id = ?",
        (account_id, criterion_id),
    ).fetchone()
    if found is None:
        raise Refused(
            "unknown",
            f"account {account_id!r} on criterion {criterion_id!r} is not scored in this workshop",
            f"la cuenta {account_id!r} en el criterio {criterion_id!r} no se puntúa en este taller",
        )
    return read_items(conn, [found[0]])[0]


def pair_item(conn: sqlite3.Connection, criterion_a: object, criterion_b: object, scales: Mapping[str, Scale]) -> Item:
    """Return the item comparing the two criteria (either way round), or raise `Refused` (`unknown`)."""
    for given in (criterion_a, criterion_b):
        _known(given, scales, "criterion", "el criterio")
    found = conn.execute(
        "SELECT item_id FROM item WHERE kind = 'pair' AND "
        "(criterion_a = ? AND criterion_b = ? OR criterion_a = ? AND criterion_b = ?)",
        (criterion_a, criterion_b, criterion_b, criterion_a),
    ).fetchone()
    if found is None:
        raise Refused(
            "unknown",
            f"the pair {criterion_a!r} / {criterion_b!r} is not compared in this workshop",
            f"el par {criterion_a!r} / {criterion_b!r} no se compara en este taller",
        )
    return read_items(conn, [found[0]])[0]
