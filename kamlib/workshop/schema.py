"""The workshop file's tables, and how a connection to it is opened: WAL, `synchronous=FULL`, foreign keys on.

The file is SQLite (`<workbook>.workshop.sqlite`, see `kamlib.workshop.store.workshop_path`), marked as ours by
`PRAGMA application_id` and versioned by `PRAGMA user_version` (`SCHEMA_VERSION`): a file written by a newer
kamlib is refused, never half-read, as is one of an older schema this kamlib no longer writes (version 1, before
the 100-point allocation), and a file that is some other database is refused, never written to.

Why these pragmas:

- `journal_mode=WAL`: readers (the facilitator's screen, every phone's refresh) read a snapshot and never block
  the one writer, and the writer never blocks them; a commit appends to the `-wal` file, which SQLite replays
  when the file is next opened, however the process ended.
- `synchronous=FULL`: every commit waits for the WAL to reach the disk (an fsync) before it returns. With WAL,
  `NORMAL` already keeps every commit through a `kill -9` of the process (the data is in the operating system's
  cache), but a power cut or a crash of the machine may lose the last commits; an answer a participant saw
  acknowledged must not be one of them. The cost is one fsync per answer: `python -m tests.workshop.writer bench`
  measured a median acknowledged answer of about 0.35 ms with FULL against 0.04 ms with NORMAL on the
  development machine's SSD (a laptop's disk may take a few ms). A room of thirty answers a few times a minute
  each: far below what either costs.
- `foreign_keys=ON`: an answer names a participant and an item that exist, whatever the code above does.
- `busy_timeout`: another process holding the write lock (a `kam` command reading the file while it is
  checkpointed) makes a write wait, not fail.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kamlib.errors import KamError

SCHEMA_VERSION = 2
"""The version of the tables below, kept in `PRAGMA user_version`; a file of another version is refused."""
APPLICATION_ID = 0x4B414D57
"""`PRAGMA application_id` of a workshop file ("KAMW"): a file marked otherwise is some other program's."""
BUSY_MS = 10_000
"""How long a write waits for another connection's write lock before it fails."""

TABLES = """
CREATE TABLE IF NOT EXISTS session (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    workbook    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'en')),
    anonymous   INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account (
    account_id  TEXT PRIMARY KEY,
    name        TEXT,
    position    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS criterion (
    criterion_id TEXT PRIMARY KEY,
    axis         TEXT NOT NULL,
    scale_min    REAL NOT NULL,
    scale_max    REAL NOT NULL,
    position     INTEGER NOT NULL,
    CHECK (scale_min < scale_max)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS participant (
    participant_id INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT,
    side           TEXT CHECK (side IN ('ours', 'customer')),
    created_at     TEXT NOT NULL,
    joined_at      TEXT
);
CREATE TABLE IF NOT EXISTS token (
    token_hash     BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    participant_id INTEGER NOT NULL REFERENCES participant,
    created_at     TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS item (
    item_id      INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('score', 'pair', 'share')),
    account_id   TEXT REFERENCES account,
    criterion_id TEXT REFERENCES criterion,
    axis         TEXT NOT NULL,
    criterion_a  TEXT REFERENCES criterion,
    criterion_b  TEXT REFERENCES criterion,
    CHECK (
        kind = 'score' AND account_id IS NOT NULL AND criterion_id IS NOT NULL
            AND criterion_a IS NULL AND criterion_b IS NULL
        OR kind = 'pair' AND account_id IS NULL AND criterion_id IS NULL
            AND criterion_a IS NOT NULL AND criterion_b IS NOT NULL AND criterion_a <> criterion_b
        OR kind = 'share' AND account_id IS NULL AND criterion_id IS NOT NULL
            AND criterion_a IS NULL AND criterion_b IS NULL
    )
);
CREATE UNIQUE INDEX IF NOT EXISTS score_item ON item (account_id, criterion_id) WHERE kind = 'score';
CREATE UNIQUE INDEX IF NOT EXISTS pair_item ON item (criterion_a, criterion_b) WHERE kind = 'pair';
CREATE UNIQUE INDEX IF NOT EXISTS share_item ON item (criterion_id) WHERE kind = 'share';
CREATE TABLE IF NOT EXISTS item_round (
    item_id     INTEGER NOT NULL REFERENCES item,
    round       INTEGER NOT NULL CHECK (round >= 1),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'open', 'closed', 'revealed')),
    opened_at   TEXT,
    closed_at   TEXT,
    revealed_at TEXT,
    PRIMARY KEY (item_id, round)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS answer (
    participant_id INTEGER NOT NULL REFERENCES participant,
    item_id        INTEGER NOT NULL,
    round          INTEGER NOT NULL,
    value          REAL,
    dont_know      INTEGER NOT NULL CHECK (dont_know IN (0, 1)),
    received_at    TEXT NOT NULL,
    PRIMARY KEY (participant_id, item_id, round),
    FOREIGN KEY (item_id, round) REFERENCES item_round (item_id, round),
    CHECK (dont_know = 1 AND value IS NULL OR dont_know = 0 AND value IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS answer_by_item ON answer (item_id, round);
"""
"""Every table, created idempotently (`IF NOT EXISTS`) in the transaction that writes the session.

A don't-know answer is a NULL value with `dont_know = 1`, never a number (the CHECK holds it); an item's rounds
are rows of `item_round`, so round 1 stays beside round 2 with its own state and times; a participant may hold
several tokens (the link, and each join from another phone), each kept as its SHA-256 only.
"""


def _refuse(path: Path, en: str, es: str) -> KamError:
    return KamError(f"{path}: {en}", f"{path}: {es}")


def _cannot_open(path: Path, exc: sqlite3.Error) -> KamError:
    return _refuse(
        path,
        f"the workshop file cannot be opened ({exc}); nothing was changed; allowed: a file in a folder that exists "
        "and may be written to",
        f"no se puede abrir el archivo del taller ({exc}); no se ha cambiado nada; se admite: un archivo en una "
        "carpeta que exista y se pueda escribir",
    )


def connect(path: Path) -> sqlite3.Connection:
    """Open the workshop file at `path` (made if absent) with the module's pragmas, and check it is ours.

    The connection is in autocommit mode (`isolation_level=None`): each write opens its own transaction
    (`BEGIN IMMEDIATE … COMMIT`), so nothing is committed by Python behind the store's back. Raise `KamError`
    when the file cannot be opened, is not a database, is another program's database, or of a newer
    `SCHEMA_VERSION`.
    """
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_MS / 1000)
    except sqlite3.OperationalError as exc:
        raise _cannot_open(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        check_file(conn, path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise _refuse(
                path,
                f"the file cannot be kept in WAL mode (got {mode!r}); allowed: a workshop file on a local disk",
                f"el archivo no admite el modo WAL (da {mode!r}); se admite: un archivo de taller en un disco local",
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise _cannot_open(path, exc) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _refuse(
            path,
            f"not a workshop file ({exc}); allowed: a file kam workshop wrote, or a new name",
            f"no es un archivo de taller ({exc}); se admite: un archivo escrito por kam workshop, o un nombre nuevo",
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn


def check_file(conn: sqlite3.Connection, path: Path) -> None:
    """Raise `KamError` if the open file is another program's database or of a newer schema than this kamlib's."""
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application not in (0, APPLICATION_ID) or (application == 0 and tables):
        raise _refuse(
            path,
            "another program's database, not a workshop file; nothing was changed; allowed: a file kam workshop "
            "wrote, or a new name",
            "una base de datos de otro programa, no un archivo de taller; no se ha cambiado nada; se admite: un "
            "archivo escrito por kam workshop, o un nombre nuevo",
        )
    if tables and 0 < version < SCHEMA_VERSION:
        raise _refuse(
            path,
            f"a workshop file of schema version {version}, from a kamlib before the 100-point allocation (version "
            f"{SCHEMA_VERSION}); nothing was changed; allowed: accept its answers with that kamlib, or start a new "
            "workshop",
            f"un archivo de taller de la versión {version} del esquema, de un kamlib anterior al reparto de 100 "
            f"puntos (versión {SCHEMA_VERSION}); no se ha cambiado nada; se admite: aceptar sus respuestas con ese "
            "kamlib, o empezar un taller nuevo",
        )
    if version > SCHEMA_VERSION:
        raise _refuse(
            path,
            f"written by a newer kamlib (workshop schema version {version}; this kamlib reads up to "
            f"{SCHEMA_VERSION}); nothing was changed; upgrade kamlib to continue this workshop",
            f"escrito por un kamlib más reciente (versión {version} del esquema del taller; este kamlib lee hasta "
            f"la {SCHEMA_VERSION}); no se ha cambiado nada; actualice kamlib para continuar este taller",
        )


def create_tables(conn: sqlite3.Connection) -> None:
    """Create every table and mark the file as a workshop of `SCHEMA_VERSION`, inside the caller's transaction."""
    for statement in TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def read_only(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Make a connection refuse every write (`query_only`): the readers of the store's pool."""
    conn.execute("PRAGMA query_only = ON")
    return conn
