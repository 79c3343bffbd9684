"""`kam workshop` as a consultant runs it: a process of its own, killed mid-workshop (`kill -9`) while answers
arrive, started again with `--resume`: every answer it acknowledged is there, the participants' links still work;
then `kam workshop accept` writes what the room agreed into the workbook."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kamlib.engagement import load
from kamlib.room.run import read_links
from kamlib.workshop import workshop_path
from tests.conftest import copy_tiny
from tests.kam import run_kam
from tests.room.conftest import PEOPLE, call

pytestmark = pytest.mark.slow


def launch(workbook: Path, *options: str) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start `kam workshop WB OPTIONS`; return the process and its printed links (facilitator, join, codes)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "--lang", "en", "workshop", str(workbook), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    links = read_links(process.stdout)  # up to its last line, "Ctrl-C …"
    if "facilitator" not in links:
        raise AssertionError(f"kam workshop stopped: {process.stderr.read()}")
    return process, links


def token(url: str) -> str:
    return url.split("t=")[1].split("&")[0]


def stored(workbook: Path) -> dict[tuple[str, int], float]:
    with sqlite3.connect(f"file:{workshop_path(workbook)}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT p.code, a.item_id, a.value FROM answer AS a JOIN participant AS p USING (participant_id)"
        ).fetchall()
    return {(code, item): value for code, item, value in rows}


def test_a_killed_workshop_resumes_with_every_acknowledged_answer_and_accepts(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny")
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    process, links = launch(workbook, "--participants", str(people))
    base = links["facilitator"].split("/f?")[0]
    facilitator, ana, ben = token(links["facilitator"]), token(links["ana"]), token(links["ben"])
    try:
        assert call(f"{base}/api/f/items", facilitator, {"action": "open", "items": list(range(1, 19))}).status == 200
        again = subprocess.run(
            [sys.executable, "-m", "kamlib.cli", "--lang", "en", "workshop", str(workbook), "--resume"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 2 and "another kam workshop is serving this workshop" in again.stderr
        assert "Traceback" not in again.stderr
        early = run_kam("--lang", "en", "workshop", "accept", workbook, "--period", "2026-W0")
        assert early.returncode == 2 and "its workshop is being served; nothing was written" in early.stderr
        acknowledged: dict[tuple[str, int], float] = {}
        sent: dict[tuple[str, int], list[float]] = {}  # every value sent for a cell, in order
        since: dict[tuple[str, int], int] = {}  # where in `sent` the acknowledged value is
        stop = threading.Event()

        def answer_forever(who: str, secret: str) -> None:
            k = 0
            while not stop.is_set():
                item, value = 1 + k % 16, float(1 + k % 5)  # every criterion of the tiny engagement takes 1–5
                sent.setdefault((who, item), []).append(value)
                try:
                    reply = call(f"{base}/api/p/answer", secret, {"item": item, "value": value})
                except OSError:
                    return  # the server is gone
                if reply.status == 200:
                    acknowledged[who, item] = value
                    since[who, item] = len(sent[who, item]) - 1
                k += 1

        threads = [threading.Thread(target=answer_forever, args=p) for p in (("ana", ana), ("ben", ben))]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 24:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)  # mid-flow: both are answering as fast as they can
        process.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        process.kill()
        process.wait(timeout=10)
    kept = stored(workbook)
    for key, value in acknowledged.items():  # every acknowledged answer is kept, or a later one of the same cell that
        assert kept.get(key) in sent[key][since[key] :], (key, value)  # the server committed as the kill came

    process, links = launch(workbook, "--resume")
    try:
        base = links["facilitator"].split("/f?")[0]
        assert "ana" not in links  # the participants keep their links: the file holds no token, only hashes
        assert call(f"{base}/api/p/answer", ana, {"item": 1, "value": 9}).status == 200  # ana's link still works
        assert call(f"{base}/api/p/answer", ben, {"item": 1, "value": 2}).status == 200
        pairs = (("ana", 17, 3), ("ben", 17, 2), ("ana", 18, 0.5), ("ben", 18, 1 / 3))  # volume/growth, service/…
        for who, item, value in pairs:
            assert (
                call(f"{base}/api/p/answer", {"ana": ana, "ben": ben}[who], {"item": item, "value": value}).status
                == 200
            )
        board = call(f"{base}/api/f/board", token(links["facilitator"])).data
        assert board["weights"]["potential"]["complete"] == 2
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0

    done = run_kam("--lang", "en", "workshop", "accept", workbook, "--period", "2026-W1", "--weights", "Workshop W1")
    assert done.returncode == 0, done.stderr
    assert "scores of 2 participants written" in done.stdout and "weights saved as scenario" in done.stdout
    after = load(workbook)
    room = after.scores[after.scores["period"] == "2026-W1"]
    assert sorted(set(room["assessor"])) == ["ana", "ben"] and len(room) == len(
        {k for k in stored(workbook) if k[1] <= 16}
    )
    a1_volume = room[(room["account_id"] == "A1") & (room["criterion_id"] == "volume")]
    assert sorted(a1_volume["score"]) == [2.0, 9.0]
    twice = run_kam("--lang", "en", "workshop", "accept", workbook, "--period", "2026-W1")
    assert twice.returncode == 2 and "already has scores" in twice.stderr
