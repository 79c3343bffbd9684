"""The workshop's answer store: every answer of a group scoring session, on disk the moment it is acknowledged.

`kam workshop` runs one server for a room: participants score accounts × criteria (and compare criteria in pairs
for AHP weights) on their phones, the facilitator opens items, reveals them, reopens one for a second round and
finally accepts the agreed scores. `WorkshopStore` keeps all of it in one SQLite file beside the workbook
(`workshop_path`), so a server killed mid-workshop (`kill -9`, a closed laptop) and started again with `--resume`
has every answer it acknowledged: `WorkshopStore.answer` returns only after its transaction is committed and
synced to disk (WAL, `synchronous=FULL`: `kamlib.workshop.schema` says why and what it costs).

Why the standard library's `sqlite3` and no ORM: eight small tables and a few dozen statements, each written once,
where the exact transaction boundaries are the point (one answer = one `BEGIN IMMEDIATE … COMMIT` with its checks
inside, so an item closed by the facilitator a moment earlier refuses it); an ORM would add a dependency and a
session layer between the code and those boundaries, and hide the SQL a reader needs to trust the acknowledgement.

Threads: the server answers requests on one event loop and computes the facilitator's board and the accept on a
small pool of threads, so several threads may use the store at once. Writes share one connection behind a lock:
SQLite admits one writer at a time anyway, and the lock keeps each method's transaction whole (no two threads'
statements interleaved on one connection). Reads take a read-only connection from a small pool, so the
facilitator's screen and the phones' refreshes read a snapshot while an answer is being written (WAL), never
waiting for it. A connection per thread would leave one open for every request thread the server ever started;
the pool keeps a few.

The rest is in the modules the store calls, each one idea: `schema` (the tables, the pragmas), `checks` (what an
answer or a participants list may hold), `participants` (tokens: 128 random bits, kept as SHA-256 only), `items`
(the facilitator's open, close, reveal, reopen) and `answers` (writing one, reading them back as the workbook's
`scores` sheet or AHP judgements). Who may call what (the facilitator's actions, the request sizes and rates) is the
server's business: a participant is known here only by their token, and writes only their own answers.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamlib.agreement.cells import check_criteria
from kamlib.engagement import PACKAGE
from kamlib.errors import KamError, list_known
from kamlib.fileio import Fingerprint, fingerprint
from kamlib.i18n import check_lang
from kamlib.scenarios.ahp import Judgement
from kamlib.scenarios.store import user_data
from kamlib.workshop import answers as answer_sql
from kamlib.workshop import items as item_sql
from kamlib.workshop import participants as participant_sql
from kamlib.workshop.answers import Answer, Given, ItemCount
from kamlib.workshop.checks import Scale
from kamlib.workshop.items import Item
from kamlib.workshop.participants import Issued, Participant
from kamlib.workshop.schema import connect, create_tables, read_only

SUFFIX = ".workshop.sqlite"
"""The workshop file's name after the workbook's: `acme.xlsx.workshop.sqlite`, `sample.workshop.sqlite`."""
IDLE_READERS = 4
"""Read connections kept open for the next read; more are opened while many threads read at once."""

Clock = Callable[[], dt.datetime]
"""Where the store's times come from (UTC now; a test gives its own)."""


def workshop_path(workbook: Path | str) -> Path:
    """Return the workshop file of a workbook: `<workbook>.workshop.sqlite` beside it.

    The bundled sample lives inside the installed package, which is never written to: its workshop goes to the
    user's data folder (`kamlib.scenarios.store.user_data`), as its scenarios do.
    """
    workbook = Path(workbook).resolve()
    if workbook.is_relative_to(PACKAGE):
        return user_data() / workbook.name / f"{workbook.name}{SUFFIX}"
    return workbook.with_name(f"{workbook.name}{SUFFIX}")


@dataclass(frozen=True)
class Session:
    """The workshop: the workbook it scores, that workbook's files when it started (`kamlib.fileio.fingerprint`),
    the language, whether it is anonymous, when it started."""

    workbook: Path
    fingerprint: Fingerprint
    lang: str
    anonymous: bool
    created_at: str


class WorkshopStore:
    """One workshop's file: its session, participants, items and answers (see the module's docstring).

    Open it with `create` (a new workshop) or `resume` (continue one); close it with `close` or a `with` block.
    Every method may be called from several threads at once.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock | None = None):
        """Wrap an open connection to a workshop file that holds a session: use `create` or `resume`."""
        self.path = path
        self._conn = conn
        self._clock = clock or _utc_now
        self._lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        workbook, stamp, lang, anonymous, created = conn.execute(
            "SELECT workbook, fingerprint, lang, anonymous, created_at FROM session"
        ).fetchone()
        files = tuple((str(name), int(size), int(mtime)) for name, size, mtime in json.loads(stamp))
        self.session = Session(Path(workbook), files, lang, bool(anonymous), created)
        self._accounts: dict[str, str | None] = dict(
            conn.execute("SELECT account_id, name FROM account ORDER BY position").fetchall()
        )
        self._scales: dict[str, Scale] = {
            c: Scale(c, axis, low, high)
            for c, axis, low, high in conn.execute(
                "SELECT criterion_id, axis, scale_min, scale_max FROM criterion ORDER BY position"
            )
        }

    # ---- opening and closing

    @classmethod
    def create(
        cls,
        path: Path | str,
        workbook: Path | str,
        accounts: pd.DataFrame,
        criteria: pd.DataFrame,
        *,
        lang: str = "es",
        anonymous: bool = False,
        clock: Clock | None = None,
    ) -> WorkshopStore:
        """Start a new workshop of `workbook` in the file `path`, checking answers against these accounts
        (`account_id`, `name`) and criteria (`criterion_id`, `axis`, `scale_min`, `scale_max`), which the file
        keeps so that a resumed workshop checks them the same way.

        Raise `KamError` when `path` already holds a workshop (continue it with `resume`) or is not a workshop
        file; nothing is changed then.
        """
        path, workbook = Path(path), Path(workbook).resolve()
        check_lang(lang)
        account_rows, criterion_rows = _account_rows(accounts), _criterion_rows(criteria)
        clock = clock or _utc_now
        if path.resolve().is_relative_to(user_data()):
            path.parent.mkdir(parents=True, exist_ok=True)  # the sample's workshop, in kamlib's own data folder
        conn = connect(path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if _holds_session(conn):
                    raise _already_there(conn, path)
                create_tables(conn)
                conn.execute(
                    "INSERT INTO session VALUES (1, ?, ?, ?, ?, ?)",
                    (str(workbook), json.dumps(fingerprint(workbook)), lang, int(anonymous), _stamp(clock)),
                )
                conn.executemany("INSERT INTO account VALUES (?, ?, ?)", account_rows)
                conn.executemany("INSERT INTO criterion VALUES (?, ?, ?, ?, ?)", criterion_rows)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return cls(path, conn, clock)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def resume(cls, path: Path | str, workbook: Path | str, *, clock: Clock | None = None) -> WorkshopStore:
        """Continue the workshop of `workbook` kept in `path`: its session, participants, items, rounds, answers.

        Raise `KamError` when there is no workshop at `path`, or it is a workshop of another workbook.
        """
        path, workbook = Path(path), Path(workbook).resolve()
        if not path.is_file():
            raise KamError(
                f"{path}: no workshop to resume here; start one without --resume",
                f"{path}: aquí no hay ningún taller que continuar; empiece uno sin --resume",
            )
        conn = connect(path)
        try:
            if not _holds_session(conn):
                raise KamError(
                    f"{path}: the file holds no workshop; start one without --resume",
                    f"{path}: el archivo no contiene ningún taller; empiece uno sin --resume",
                )
            (started_on,) = conn.execute("SELECT workbook FROM session").fetchone()
            if started_on != str(workbook):
                raise KamError(
                    f"{path}: this is a workshop of the workbook {started_on}, not {workbook}; nothing was changed; "
                    f"allowed: resume it on {started_on}, or start a workshop of {workbook.name} in a file of its "
                    "own",
                    f"{path}: es un taller del libro {started_on}, no de {workbook}; no se ha cambiado nada; se "
                    f"admite: continuarlo sobre {started_on}, o empezar un taller de {workbook.name} en un archivo "
                    "propio",
                )
            return cls(path, conn, clock)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        """Close every connection; the file keeps everything (SQLite checkpoints the WAL on the last close)."""
        with self._lock, self._pool_lock:
            self._closed = True
            for conn in self._idle:
                conn.close()
            self._idle.clear()
            self._conn.close()

    def __enter__(self) -> WorkshopStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def workbook_changed(self) -> bool:
        """Whether the workbook's files were saved since the workshop started (answers are still checked against
        the accounts and criteria it started with)."""
        return fingerprint(self.session.workbook) != self.session.fingerprint

    # ---- transactions

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the write connection, whole or not at all, committed and synced to disk when
        the block ends, before the method returns: that is the acknowledgement."""
        with self._lock:
            if self._closed:
                raise KamError("the workshop store is closed", "el almacén del taller está cerrado")
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # a full disk, an I/O error, a lock held too long
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise KamError(
                    f"{self.path}: the workshop file could not be written ({exc}); nothing of this request was "
                    "stored; what was acknowledged before is kept",
                    f"{self.path}: no se ha podido escribir el archivo del taller ({exc}); no se ha guardado nada de "
                    "esta petición; lo confirmado antes se conserva",
                ) from exc

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection from the pool inside one read transaction: the block's queries read one
        snapshot, and no write waits for them (WAL)."""
        with self._pool_lock:
            if self._closed:
                raise KamError("the workshop store is closed", "el almacén del taller está cerrado")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = read_only(connect(self.path))
        broken = False
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error:
            broken = True
            raise
        finally:
            with self._pool_lock:
                if not broken and not self._closed and len(self._idle) < IDLE_READERS:
                    self._idle.append(conn)
                else:
                    conn.close()

    def _now(self) -> str:
        return _stamp(self._clock)

    # ---- participants

    def add_participants(self, rows: Iterable[Mapping[str, object]] | pd.DataFrame) -> list[Issued]:
        """Add the listed participants (`code`, `name`, optional `side`: `ours` or `customer`) with a token each, or
        raise one `KamError` naming every bad row (`kamlib.workshop.checks.check_participants`)."""
        listed = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
        with self._write() as conn:
            return participant_sql.add_participants(conn, listed, self._now())

    def seats(self, n: int) -> list[Issued]:
        """Add `n` anonymous seats (codes S01, S02, … not taken yet; no name until someone joins), a token each."""
        with self._write() as conn:
            return participant_sql.add_seats(conn, n, self._now())

    def join(self, code: str, name: str, side: str | None = None) -> Issued:
        """Join by code and name (`kamlib.workshop.participants.join`): a new token, or `Refused`."""
        with self._write() as conn:
            return participant_sql.join(conn, code, name, self._now(), side)

    def join_seat(self, name: str, side: str | None = None) -> Issued:
        """Join by name alone, on the first seat nobody claimed (`kamlib.workshop.participants.join_seat`)."""
        with self._write() as conn:
            return participant_sql.join_seat(conn, name, self._now(), side)

    def reissue(self, code: str) -> Issued:
        """Void all of a participant's tokens and issue one new one (a lost or shared link); their answers stay."""
        with self._write() as conn:
            return participant_sql.reissue(conn, code, self._now())

    def participant_by_token(self, token: str) -> Participant | None:
        """Return the participant holding `token`, or None (looked up by its hash: see
        `kamlib.workshop.participants`)."""
        with self._read() as conn:
            holder = participant_sql.token_holder(conn, token)
        return None if holder is None else holder.participant

    def participant_of(self, token: str) -> Participant:
        """Return the participant holding `token`; `Refused` (`token`) for an unknown or voided one."""
        with self._read() as conn:
            return participant_sql.holder_or_refuse(conn, token).participant

    def participants(self) -> list[Participant]:
        """Every participant and seat, in the order added, with names (an anonymous workshop's facilitator screen
        is the server's to keep them off)."""
        with self._read() as conn:
            return participant_sql.all_participants(conn)

    # ---- items and the facilitator's actions

    def add_score_items(self, cells: Iterable[tuple[str, str]]) -> list[Item]:
        """Add an item per (account_id, criterion_id), pending; one already there is returned as it is. Raise one
        `KamError` naming every unknown account and criterion; nothing is added then."""
        with self._write() as conn:
            return item_sql.add_score_items(conn, cells, self._accounts, self._scales)

    def add_pair_items(self, pairs: Iterable[tuple[str, str]]) -> list[Item]:
        """Add an item per pair of criteria of one axis, oriented in the criteria's order; one already there is
        returned as it is. Raise one `KamError` naming every bad pair; nothing is added then."""
        with self._write() as conn:
            return item_sql.add_pair_items(conn, pairs, self._scales)

    def add_share_items(self, axes: Iterable[str]) -> list[Item]:
        """Add the 100-point allocation of each axis (an item per criterion of it), pending; those already there are
        returned as they are. Raise `KamError` naming an unknown axis; nothing is added then."""
        with self._write() as conn:
            return item_sql.add_share_items(conn, axes, self._scales)

    def items(self) -> list[Item]:
        """Every item with its current round and state, in the order added."""
        with self._read() as conn:
            return item_sql.read_items(conn)

    def open_items(self, item_ids: Iterable[int]) -> list[Item]:
        """Open items for answers (a closed one opens again in the same round)."""
        return self._move("open", item_ids)

    def close_items(self, item_ids: Iterable[int]) -> list[Item]:
        """Close items: no more answers in this round."""
        return self._move("close", item_ids)

    def reveal_items(self, item_ids: Iterable[int]) -> list[Item]:
        """Reveal items: closed, and this round's answers shown to everyone."""
        return self._move("reveal", item_ids)

    def reopen_items(self, item_ids: Iterable[int]) -> list[Item]:
        """Start the next round of closed or revealed items, open; the earlier rounds' answers stay as they are."""
        return self._move("reopen", item_ids)

    def _move(self, action: str, item_ids: Iterable[int]) -> list[Item]:
        with self._write() as conn:
            return item_sql.move_items(conn, action, item_ids, self._now())

    # ---- answers

    def answer(
        self,
        token: str,
        item_id: int,
        value: object = None,
        *,
        dont_know: bool = False,
        round: int | None = None,
        participant: str | None = None,
    ) -> Answer:
        """Store the token holder's answer to an item in its current round, replacing theirs of that round, and
        return it once committed and synced to disk (the acknowledgement).

        `value`: a score within the criterion's scale, or a judgement on Saaty's scale ("a is v times as important
        as b"); or None with `dont_know`. `round`, when given, is the round the phone showed, and must still be
        the item's; `participant`, when the request names one, must be the token's holder. Raise `Refused` and
        store nothing for an unknown token, someone else's answer, an unknown item, an item not open, another
        round, or a value not allowed.
        """
        given = Given(value, dont_know, round, participant)
        return self._answer(token, lambda conn: item_sql.item_by_id(conn, item_id), given)

    def answer_score(
        self,
        token: str,
        account_id: str,
        criterion_id: str,
        value: object = None,
        *,
        dont_know: bool = False,
        round: int | None = None,
        participant: str | None = None,
    ) -> Answer:
        """Store a score of `account_id` on `criterion_id` (as `answer`); unknown ones are refused by name."""
        given = Given(value, dont_know, round, participant)
        accounts, scales = self._accounts, self._scales
        return self._answer(
            token, lambda conn: item_sql.score_item(conn, account_id, criterion_id, accounts, scales), given
        )

    def answer_pair(
        self,
        token: str,
        criterion_a: str,
        criterion_b: str,
        value: object = None,
        *,
        dont_know: bool = False,
        round: int | None = None,
        participant: str | None = None,
    ) -> Answer:
        """Store "`criterion_a` is `value` times as important as `criterion_b`" (as `answer`); the pair may be
        given either way round (its value is then kept as the reciprocal, in the item's order)."""
        given = Given(value, dont_know, round, participant, (str(criterion_a), str(criterion_b)))
        scales = self._scales
        return self._answer(token, lambda conn: item_sql.pair_item(conn, criterion_a, criterion_b, scales), given)

    def allocate(
        self,
        token: str,
        axis: str,
        points: Mapping[str, object] | None = None,
        *,
        dont_know: bool = False,
        round: int | None = None,
    ) -> list[Answer]:
        """Store the token holder's 100-point allocation among the criteria of `axis` (criterion id → points, every
        criterion of the axis, adding up to 100), or their don't-know, as one answer per criterion, all or none;
        return them once committed. Refused as `answer` is, and for an allocation that is not one."""
        given = Given(points, dont_know, round)
        with self._write() as conn:
            holder = participant_sql.holder_or_refuse(conn, token)
            items = item_sql.share_items(conn, axis, self._scales)
            return answer_sql.write_allocation(conn, holder, items, given, self._now())

    def _answer(self, token: str, find: Callable[[sqlite3.Connection], Item], given: Given) -> Answer:
        """Check everything inside one write transaction (the item's state cannot change under the checks): the
        token first, then the item, then the answer. A refusal rolls back, so nothing is stored."""
        with self._write() as conn:
            holder = participant_sql.holder_or_refuse(conn, token)
            return answer_sql.write_answer(conn, holder, find(conn), given, self._scales, self._now())

    # ---- reads

    def own_answers(self, token: str) -> list[Answer]:
        """The token holder's answers, every round, by item and round; `Refused` for an unknown token."""
        with self._read() as conn:
            return answer_sql.own_answers(conn, participant_sql.holder_or_refuse(conn, token))

    def revealed_answers(self) -> list[Answer]:
        """Everyone's answers of the revealed rounds, by item, round and value; in an anonymous workshop without
        code or name (the side stays)."""
        with self._read() as conn:
            return answer_sql.revealed_answers(conn, hide=self.session.anonymous)

    def answer_counts(self) -> list[ItemCount]:
        """For each item's current round: how many answered, how many don't know, who (None when anonymous)."""
        with self._read() as conn:
            return answer_sql.answer_counts(conn, hide=self.session.anonymous)

    def scores(self, period: str, round: int | None = None, side: str | None = "ours") -> pd.DataFrame:
        """The score items' answers of round `round` (None: each item's current round) as the workbook's `scores`
        sheet: account_id, criterion_id, score, assessor (the participant's code), period (`period`). Don't-knows
        are no score: left out. `side`: whose answers (`ours`, the default: the supplier's people, what the
        workbook takes; `customer`: the customer's view of our position; None: everyone's).
        `kamlib.agreement.cell_spread` and `compare_rounds` read it as it is."""
        with self._read() as conn:
            valued = answer_sql.valued_answers(conn, "score", round, side)
        return answer_sql.scores_frame(valued, period)

    def judgements(self, round: int | None = None) -> dict[str, dict[str, list[Judgement]]]:
        """The pair answers of round `round` (None: each item's current round) as `kamlib.scenarios.ahp` reads them:
        participant code → axis → `Judgement`s, don't-knows left out. With `pair_criteria`:
        `Elicitation(criteria=store.pair_criteria(), judgements=store.judgements())` once every participant has
        judged each pair of an axis they judged."""
        with self._read() as conn:
            valued = answer_sql.valued_answers(conn, "pair", round)
        return answer_sql.judgements_of(valued)

    def allocations(self, round: int | None = None) -> dict[str, dict[str, dict[str, float]]]:
        """The 100-point allocations of round `round` (None: each item's current round), whole ones only: participant
        code → axis → criterion id → points (don't-knows left out)."""
        with self._read() as conn:
            valued = answer_sql.valued_answers(conn, "share", round)
            counts: dict[str, int] = {}
            for item in item_sql.read_items(conn):
                if item.kind == "share":
                    counts[item.axis] = counts.get(item.axis, 0) + 1
        return answer_sql.allocations_of(valued, counts)

    def pair_criteria(self) -> dict[str, list[str]]:
        """The criteria compared in pairs, per axis, in the criteria's order."""
        compared = {c for item in self.items() if item.kind == "pair" for c in (item.criterion_a, item.criterion_b)}
        out: dict[str, list[str]] = {}
        for criterion, scale in self._scales.items():
            if criterion in compared:
                out.setdefault(scale.axis, []).append(criterion)
        return out


# ---- the engagement's accounts and criteria, as the file keeps them


def _account_rows(accounts: pd.DataFrame) -> list[tuple[str, str | None, int]]:
    """(account_id, name, position) of each account; `KamError` for no `account_id` column, an empty or twice id."""
    if "account_id" not in accounts:
        raise KamError("the accounts have no column 'account_id'", "las cuentas no tienen la columna 'account_id'")
    ids = ["" if pd.isna(a) else str(a).strip() for a in accounts["account_id"]]
    names = accounts["name"] if "name" in accounts else pd.Series(None, index=accounts.index, dtype=object)
    if not all(ids) or len(set(ids)) < len(ids):
        raise KamError(
            f"the accounts' ids must be given, each once; got {list_known(ids)}",
            f"los identificadores de las cuentas deben estar, cada uno una vez; hay {list_known(ids)}",
        )
    return [(a, None if pd.isna(n) else str(n), k) for k, (a, n) in enumerate(zip(ids, names, strict=True))]


def _criterion_rows(criteria: pd.DataFrame) -> list[tuple[str, str, float, float, int]]:
    """(criterion_id, axis, scale_min, scale_max, position) of each criterion, scales checked
    (`kamlib.agreement.cells.check_criteria`: the workbook's defaults where empty)."""
    if "axis" not in criteria:
        raise KamError("the criteria have no column 'axis'", "los criterios no tienen la columna 'axis'")
    checked = check_criteria(criteria)
    columns = (checked[c] for c in ("criterion_id", "axis", "scale_min", "scale_max"))
    return [
        (str(c), str(axis), float(low), float(high), k)
        for k, (c, axis, low, high) in enumerate(zip(*columns, strict=True))
    ]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(clock: Clock) -> str:
    """A time as the file keeps it: ISO 8601 in UTC, to the microsecond."""
    return clock().astimezone(dt.UTC).isoformat(timespec="microseconds")


def _holds_session(conn: sqlite3.Connection) -> bool:
    table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session'").fetchone()
    return table is not None and conn.execute("SELECT 1 FROM session").fetchone() is not None


def _already_there(conn: sqlite3.Connection, path: Path) -> KamError:
    workbook, created = conn.execute("SELECT workbook, created_at FROM session").fetchone()
    (count,) = conn.execute("SELECT count(*) FROM answer").fetchone()
    return KamError(
        f"{path}: already holds a workshop of {workbook} (started {created}; answers stored: {count}); nothing was "
        "changed; continue it with --resume, or move the file away to start a new one",
        f"{path}: ya contiene un taller de {workbook} (empezado el {created}; respuestas guardadas: {count}); no se "
        "ha cambiado nada; continúelo con --resume, o aparte el archivo para empezar otro",
    )
