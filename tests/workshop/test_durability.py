"""What was acknowledged is on disk: a writer killed with SIGKILL loses none of it; threads write and read at once,
and a read never waits for a write."""

import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from kamlib.errors import KamError
from kamlib.workshop import WorkshopStore, workshop_path
from tests.conftest import ROOT
from tests.workshop.conftest import stored_answers
from tests.workshop.writer import BIG_CRITERION, accounts

ITEMS = 300
"""Score items the killed writer goes round (it is killed long before it comes back to the first)."""
ACKNOWLEDGED = 40
"""Acknowledgements read before the kill."""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_mid_workshop_keeps_every_acknowledged_answer(tmp_path):
    workbook = tmp_path / "big.xlsx"
    path = workshop_path(workbook)
    with WorkshopStore.create(path, workbook, accounts(ITEMS), BIG_CRITERION) as store:
        token = store.seats(1)[0].token
        ids = [i.item_id for i in store.add_score_items((f"A{k:03d}", "big") for k in range(ITEMS))]
        store.open_items(ids)
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.workshop.writer", "answer", str(path), str(workbook)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        writer.stdin.write(token + "\n")  # the token by a pipe, never on a command line
        writer.stdin.flush()
        printed = [writer.stdout.readline() for _ in range(ACKNOWLEDGED)]
        assert all(printed), "the writer stopped before it was killed (its error is above)"
        writer.send_signal(signal.SIGKILL)  # mid-way: it is writing as fast as it can
        printed += writer.stdout.readlines()  # what it printed before the signal landed
    finally:
        writer.kill()
        writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    acknowledged = {}
    for line in printed:
        if not line.endswith("\n"):  # cut by the signal mid-line: not an acknowledgement
            continue
        item_id, value = map(int, line.split())
        acknowledged[item_id] = float(value)
    assert len(printed) >= ACKNOWLEDGED
    with WorkshopStore.resume(path, workbook):  # reopened: SQLite replays the WAL the dead writer left
        kept = {item_id: value for _, item_id, _, value, _, _ in stored_answers(path)}
    assert {i: kept.get(i) for i in acknowledged} == acknowledged  # every acknowledged answer
    extra = set(kept) - set(acknowledged)
    assert len(extra) <= 1  # and at most the one in flight, committed before its acknowledgement was printed
    assert all(kept[i] == len(printed) for i in extra)  # the write after the last one printed


def test_threads_answer_and_read_at_once(store, cells):
    seats = store.seats(8)
    errors = []

    def answer(token: str, seat: int) -> None:
        try:
            for k in range(25):
                store.answer(token, cells["incidents"], (seat + k) % 21)
                store.answer(token, cells["volume"], 1 + (seat * k) % 10)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(40):
                store.answer_counts()
                store.scores("R1")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(s.token, n)) for n, s in enumerate(seats)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    final = {(code, item): value for code, item, _, value, _, _ in stored_answers(store.path)}
    assert final == {
        **{(f"S0{n + 1}", cells["incidents"]): float((n + 24) % 21) for n in range(8)},
        **{(f"S0{n + 1}", cells["volume"]): float(1 + (n * 24) % 10) for n in range(8)},
    }


def test_a_read_does_not_wait_for_a_write(store, people, cells):
    store.answer(people["ana"].token, cells["volume"], 4)
    store.reveal_items([cells["volume"]])
    other = sqlite3.connect(store.path, isolation_level=None)  # another writer, holding the write lock
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE answer SET value = 9")
        start = time.perf_counter()
        assert [a.value for a in store.revealed_answers()] == [4.0]  # the last committed snapshot
        assert store.items()[0].state == "revealed"
        assert time.perf_counter() - start < 1.0  # a wait would last the busy timeout (10 s)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_closed_store_says_so(make_store):
    store = make_store()
    store.close()
    with pytest.raises(KamError, match="the workshop store is closed"):
        store.items()
    with pytest.raises(KamError, match="the workshop store is closed"):
        store.seats(1)


def test_times_are_utc_to_the_microsecond(store):
    assert store.session.created_at == "2026-03-01T09:00:01.000000+00:00"
    assert store.seats(1)[0].participant.created_at == "2026-03-01T09:00:02.000000+00:00"
