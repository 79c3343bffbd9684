"""The workshop file: WAL, synced commits, foreign keys, its version and mark, and files that are not ours."""

import sqlite3

import pytest

from kamlib.errors import KamError
from kamlib.workshop import SCHEMA_VERSION, WorkshopStore, workshop_path
from kamlib.workshop.schema import APPLICATION_ID, connect, create_tables


def test_the_file_is_in_wal_mode_marked_and_versioned(store):
    with sqlite3.connect(store.path) as conn:  # a connection of its own: what the file says, not the store
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"session", "account", "criterion", "participant", "token", "item", "item_round", "answer"}
    assert store.path == workshop_path(store.session.workbook)


def test_a_connection_syncs_every_commit_and_checks_foreign_keys(tmp_path):
    conn = connect(tmp_path / "w.sqlite")
    try:
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        conn.execute("BEGIN")
        create_tables(conn)
        create_tables(conn)  # idempotent
        conn.execute("COMMIT")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute("INSERT INTO token VALUES (zeroblob(32), 99, 'now')")
    finally:
        conn.close()


def test_a_dont_know_with_a_value_cannot_be_stored_even_by_hand(store, people, cells):
    store.answer(people["ana"].token, cells["volume"], dont_know=True)
    with sqlite3.connect(store.path) as conn, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE answer SET value = 0")


def test_a_newer_schema_is_refused_in_both_languages(store, workbook, tiny):
    path = store.path
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer = SCHEMA_VERSION + 1
    with pytest.raises(
        KamError, match=rf"written by a newer kamlib \(workshop schema version {newer}; this kamlib reads up to 2\)"
    ) as caught:
        WorkshopStore.resume(path, workbook)
    assert f"escrito por un kamlib más reciente (versión {newer} del esquema del taller" in caught.value.render("es")
    with pytest.raises(KamError, match="newer kamlib"):
        WorkshopStore.create(path, workbook, tiny.accounts, tiny.criteria)


def test_a_file_of_the_first_schema_is_refused_not_half_read(store, workbook):
    path = store.path
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 1")  # before the 100-point allocation: its items table allows no share
    with pytest.raises(KamError, match="schema version 1, from a kamlib before the 100-point allocation") as caught:
        WorkshopStore.resume(path, workbook)
    assert "nothing was changed" in str(caught.value) and "empezar un taller nuevo" in caught.value.render("es")


def test_another_programs_database_is_refused_and_left_alone(tmp_path, workbook, tiny):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    before = other.read_bytes()
    with pytest.raises(KamError, match="another program's database, not a workshop file; nothing was changed"):
        WorkshopStore.create(other, workbook, tiny.accounts, tiny.criteria)
    with pytest.raises(KamError, match="another program's database"):
        WorkshopStore.resume(other, workbook)
    assert other.read_bytes() == before


def test_a_file_that_is_no_database_is_refused(tmp_path, workbook, tiny):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database, just some text long enough to be read as a header" * 20)
    with pytest.raises(KamError, match=r"junk.sqlite: not a workshop file \(file is not a database\)"):
        WorkshopStore.create(junk, workbook, tiny.accounts, tiny.criteria)
