"""The workshop's participants and their tokens: listed ones, seats claimed by a name on the join page.

A token is `secrets.token_urlsafe(16)`: 128 random bits, shown once (a link, a QR code) and kept only as its
SHA-256, so the workshop file never holds a token's text and a copy of it lets nobody in. A token is found by
looking its hash up in an index: the lookup's timing can depend only on the hash, which tells an attacker nothing
about a token they do not have (there is no character-by-character comparison of the secret), and 128 random bits
need neither a salt nor a slow hash. A participant holds the token of their link; `reissue` voids it and gives one
new one (a lost or shared link, a second phone; after a restart, the only way to show a participant's link again,
since only hashes are kept). A listed participant, or a seat once claimed, is never reached by code and name, which
others in the room may know.

Functions over an open connection, inside the caller's transaction (`kamlib.workshop.store` holds the lock).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kamlib.errors import KamError, list_known
from kamlib.workshop.checks import CODE, SIDES, Refused, check_participants, name_problem

TOKEN_BYTES = 16
"""Random bytes in a participant's token: 128 bits (`secrets.token_urlsafe`, 22 characters)."""
MAX_TOKEN_CHARACTERS = 200
"""A longer 'token' is no token of ours: refused before it is hashed."""
MAX_SEATS = 500
"""The most anonymous seats one call makes."""

_COLUMNS = "p.code, p.name, p.side, p.created_at, p.joined_at"


@dataclass(frozen=True)
class Participant:
    """A participant: code (the join code), display name (None: a seat nobody claimed yet), side (`ours`,
    `customer`) or None, when added and when they first joined by code and name."""

    code: str
    name: str | None
    side: str | None
    created_at: str
    joined_at: str | None = None


@dataclass(frozen=True)
class Issued:
    """A participant and a token just issued to them: the only time the token's text exists outside a phone."""

    participant: Participant
    token: str


@dataclass(frozen=True)
class Holder:
    """Who holds a token: the participant's row id (for writing their answers) and the participant."""

    participant_id: int
    participant: Participant


def new_token() -> str:
    """Return a new participant token: 128 random bits, URL-safe text."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    """Return the SHA-256 of a token, as the workshop file keeps it."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def token_holder(conn: sqlite3.Connection, token: object) -> Holder | None:
    """Return who holds `token`, or None (not text, too long, or no such token)."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARACTERS:
        return None
    row = conn.execute(
        f"SELECT p.participant_id, {_COLUMNS} FROM token AS t JOIN participant AS p "
        "ON p.participant_id = t.participant_id WHERE t.token_hash = ?",
        (token_hash(token),),
    ).fetchone()
    return None if row is None else Holder(row[0], Participant(*row[1:]))


def holder_or_refuse(conn: sqlite3.Connection, token: object) -> Holder:
    """Return who holds `token`, or raise `Refused` (`token`) without echoing it."""
    holder = token_holder(conn, token)
    if holder is None:
        raise Refused(
            "token",
            "unknown or voided participant token; open your link again or ask the facilitator for a new one",
            "token de participante desconocido o anulado; abra de nuevo su enlace o pida otro a quien facilita",
        )
    return holder


def all_participants(conn: sqlite3.Connection) -> list[Participant]:
    """Every participant and seat, in the order added."""
    return [Participant(*row) for row in conn.execute(f"SELECT {_COLUMNS} FROM participant AS p ORDER BY p.rowid")]


def add_participants(conn: sqlite3.Connection, rows: Iterable[Mapping[str, object]], now: str) -> list[Issued]:
    """Add the listed participants with a token each, or raise one `KamError` naming every bad row."""
    taken = [code for (code,) in conn.execute("SELECT code FROM participant")]
    return [_add(conn, p.code, p.name, p.side, now) for p in check_participants(rows, taken)]


def add_seats(conn: sqlite3.Connection, n: object, now: str) -> list[Issued]:
    """Add `n` anonymous seats, codes S01, S02, … not taken yet, no name until someone joins; a token each."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SEATS:
        raise KamError(
            f"seats: got {n!r}; allowed: a whole number from 1 to {MAX_SEATS}",
            f"asientos: valor {n!r}; se admite: un número entero de 1 a {MAX_SEATS}",
        )
    taken = {code.casefold() for (code,) in conn.execute("SELECT code FROM participant")}
    last = n + len(taken)
    codes = (f"S{k:0{max(2, len(str(last)))}d}" for k in range(1, last + 1))
    free = [code for code in codes if code.casefold() not in taken][:n]
    return [_add(conn, code, None, None, now) for code in free]


def join(conn: sqlite3.Connection, code: str, name: str, now: str, side: str | None = None) -> Issued:
    """Claim a seat nobody claimed yet by its code, with a name (and `side`): issue a token. A listed participant,
    or a seat already claimed, is its holder's alone: reached by their own link (a lost one is reissued by the
    facilitator, `reissue`), never by code and name, which others in the room may know. Raise `Refused`
    (`unknown`) otherwise, without saying whether the code exists."""
    code, name = str(code).strip(), str(name).strip()
    if side is not None and side not in SIDES:
        raise Refused(
            "invalid",
            f"side {side!r}; allowed: {list_known(SIDES)}",
            f"lado {side!r}; se admite: {list_known(SIDES)}",
        )
    problem = name_problem(name)
    if problem:
        raise Refused("invalid", *problem)
    row = None
    if CODE.fullmatch(code):
        row = conn.execute("SELECT participant_id, name FROM participant WHERE code = ?", (code,)).fetchone()
    if row is None or row[1] is not None:  # a code already claimed (or listed) is its holder's: their link only
        raise Refused(
            "unknown",
            f"no free seat with code {code!r}; allowed: your own link, or the join page without a code; a lost link "
            "is renewed by the facilitator",
            f"no hay ningún asiento libre con el código {code!r}; se admite: su propio enlace, o la página de unirse "
            "sin código; un enlace perdido lo renueva quien facilita",
        )
    conn.execute(
        "UPDATE participant SET name = ?, side = coalesce(side, ?), joined_at = ? WHERE participant_id = ?",
        (name, side, now, row[0]),
    )
    return Issued(_participant(conn, row[0]), _issue(conn, row[0], now))


def join_seat(conn: sqlite3.Connection, name: str, now: str, side: str | None = None) -> Issued:
    """Join by name alone: the first seat nobody claimed takes the name (and `side`), as `join` with its code.
    Raise `Refused` (`unknown`) when every seat is taken."""
    row = conn.execute("SELECT code FROM participant WHERE name IS NULL ORDER BY participant_id LIMIT 1").fetchone()
    if row is None:
        problem = name_problem(str(name).strip())
        if problem:
            raise Refused("invalid", *problem)
        raise Refused(
            "unknown",
            "every seat of the workshop is taken; ask the facilitator for a link of your own",
            "todos los asientos del taller están ocupados; pida a quien facilita un enlace propio",
        )
    return join(conn, row[0], name, now, side)


def reissue(conn: sqlite3.Connection, code: str, now: str) -> Issued:
    """Void all of a participant's tokens and issue one new one; their answers stay. Raise `KamError` naming the
    known codes for an unknown one."""
    row = conn.execute("SELECT participant_id FROM participant WHERE code = ?", (str(code).strip(),)).fetchone()
    if row is None:
        known = list_known(p.code for p in all_participants(conn))
        raise KamError(
            f"unknown participant {code!r}; known: {known}", f"no existe el participante {code!r}; existentes: {known}"
        )
    conn.execute("DELETE FROM token WHERE participant_id = ?", (row[0],))
    return Issued(_participant(conn, row[0]), _issue(conn, row[0], now))


def _add(conn: sqlite3.Connection, code: str, name: str | None, side: str | None, now: str) -> Issued:
    cursor = conn.execute(
        "INSERT INTO participant (code, name, side, created_at) VALUES (?, ?, ?, ?)", (code, name, side, now)
    )
    participant_id = int(cursor.lastrowid or 0)
    return Issued(Participant(code, name, side, now), _issue(conn, participant_id, now))


def _issue(conn: sqlite3.Connection, participant_id: int, now: str) -> str:
    token = new_token()
    conn.execute("INSERT INTO token VALUES (?, ?, ?)", (token_hash(token), participant_id, now))
    return token


def _participant(conn: sqlite3.Connection, participant_id: int) -> Participant:
    row = conn.execute(f"SELECT {_COLUMNS} FROM participant AS p WHERE p.participant_id = ?", (participant_id,))
    return Participant(*row.fetchone())
