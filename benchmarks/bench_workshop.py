"""Workshop load: a room of participants answering a full round at the same time, against `kam workshop` as a
consultant runs it (a process of its own on 127.0.0.1), beside one participant answering alone in the same run.

Run: `.venv/bin/python benchmarks/bench_workshop.py [--participants 30] [--accounts 20] [--criteria 9]`.

Each simulated participant is an HTTP client with its own connection: it loads its page as a phone does (the
shell, its style and scripts, its first state, gzip accepted), waits for the others, then answers every open
item in a random order, `--think` seconds apart, as its page posts them. The facilitator's screen is simulated
too: it asks for the board every 0.3 s, as `facilitator.js` does. Printed: answers lost (the workshop
file's count against the answers acknowledged: must be 0), the latency of an answer (median, p95) under load
beside alone (the ratio), how long after the last answer the facilitator's board showed it, the server's
memory (resident) idle and at its peak with everyone connected, and a participant's page load (seconds, bytes).
Targets (issue 20): 0 lost, p95 ≤ 150 ms, the board ≤ 1 s behind, ≤ 300 MB above idle, a page ≤ 1 s and
≤ 200 KB. Exit status 1 when an answer is lost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from kamlib.engagement import copy_sample, load
from kamlib.room.run import read_links
from kamlib.workshop import workshop_path

POLL = 0.3
"""Seconds between two looks of the facilitator's screen at the board (`POLL_MS` in `facilitator.js`)."""
PAGE = ("/static/room.css", "/static/participant.css", "/static/common.js", "/static/participant.js")


class Client:
    """One keep-alive connection to the server, with a token; `ask` returns (status, JSON or None, bytes sent)."""

    def __init__(self, base: str, token: str):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.token = token

    def ask(self, path: str, body: object = None) -> tuple[int, object, int]:
        headers = {"X-Kam-Token": self.token, "Accept-Encoding": "gzip"}
        data = None if body is None else json.dumps(body)
        if data is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request("GET" if data is None else "POST", path, body=data, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        parsed = None
        if response.getheader("Content-Encoding") != "gzip" and raw[:1] in (b"{", b"["):
            parsed = json.loads(raw)
        return response.status, parsed, len(raw)


def launch(workbook: Path, roster: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start `kam workshop` on the workbook; return it and its printed links by code (and `facilitator`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "--lang", "en", "workshop", str(workbook), "--participants", str(roster)],
        stdout=subprocess.PIPE,
        text=True,
    )
    links = read_links(process.stdout)
    if "facilitator" not in links:
        raise SystemExit("kam workshop stopped before it served")
    return process, links


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def answer_all(client: Client, items: list[tuple[int, float]], think: float, latencies: list[float]) -> int:
    """Post each answer, retrying one the server asked to slow down (429); return how many were acknowledged."""
    acknowledged = 0
    for item, value in items:
        while True:
            start = time.perf_counter()
            status, _, _ = client.ask("/api/p/answer", {"item": item, "round": 1, "value": value})
            if status != 429:
                break
            time.sleep(0.2)
        latencies.append(time.perf_counter() - start)
        acknowledged += status == 200
        if think:
            time.sleep(think)
    return acknowledged


def page_load(base: str, token: str) -> tuple[float, int]:
    """Load a participant's page as a phone does: (seconds, bytes transferred)."""
    client = Client(base, token)
    start = time.perf_counter()
    total = sum(client.ask(path)[2] for path in (f"/p?t={token}", *PAGE, "/api/p/state"))
    return time.perf_counter() - start, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--criteria", type=int, default=9)
    parser.add_argument("--think", type=float, default=0.05, help="seconds between one participant's answers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workbook = copy_sample(Path(scratch) / "engagement")
        engagement = load(workbook)
        roster = Path(scratch) / "people.csv"
        codes = [f"P{k:02d}" for k in range(args.participants + 1)]  # P00 answers alone, for the baseline
        roster.write_text("code,name\n" + "".join(f"{c},Participant {c}\n" for c in codes), encoding="utf-8")
        process, links = launch(workbook, roster)
        try:
            return run(args, process, links, engagement, workbook, codes)
        finally:
            process.terminate()
            process.wait(timeout=30)


def run(args: argparse.Namespace, process: subprocess.Popen, links: dict[str, str], engagement, workbook, codes) -> int:
    base = links["facilitator"].split("/f?")[0]
    facilitator = Client(base, links["facilitator"].split("t=")[1])
    accounts = [str(a) for a in engagement.accounts["account_id"]][: args.accounts]
    criteria = engagement.criteria.head(args.criteria)
    board = json.loads(_plain(facilitator, "/api/f/board"))
    wanted = {(a, c) for a in accounts for c in criteria["criterion_id"]}
    items = [i["item"] for i in board["items"] if i["kind"] == "score" and (i["account"], i["criterion"]) in wanted]
    scale = {i["item"]: _scale(criteria, i["criterion"]) for i in board["items"] if i["item"] in items}
    facilitator.ask("/api/f/items", {"action": "open", "items": items})
    tokens = {c: links[c].split("t=")[1] for c in codes}
    idle = resident_mb(process.pid)

    alone: list[float] = []  # the baseline: one participant, nobody else answering
    alone_acknowledged = answer_all(Client(base, tokens[codes[0]]), _values(items, scale, 0), 0.0, alone)

    loads = [page_load(base, tokens[c]) for c in codes[1:]]
    peak = [idle]
    seen: list[tuple[float, int]] = []
    done = threading.Event()

    def watch() -> None:  # the facilitator's screen, and the server's memory
        while not done.is_set():
            board = json.loads(_plain(facilitator, "/api/f/board"))
            answered = sum(i["answered"] for i in board["items"] if i["item"] in scale)
            seen.append((time.perf_counter(), answered))
            peak.append(resident_mb(process.pid))
            time.sleep(POLL)

    latencies: list[float] = []
    acknowledged: list[int] = []
    start_line = threading.Barrier(len(codes) - 1)

    def participant(k: int, code: str) -> None:
        client = Client(base, tokens[code])
        mine: list[float] = []
        start_line.wait()
        acknowledged.append(answer_all(client, _values(items, scale, k), args.think, mine))
        latencies.extend(mine)

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=participant, args=(k, c)) for k, c in enumerate(codes[1:], 1)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    last = time.perf_counter()
    expected = len(items) * len(codes)  # everyone's answers, the baseline's included
    while not any(t >= last and n >= expected for t, n in seen) and time.perf_counter() - last < 10:
        time.sleep(0.05)
    done.set()
    watcher.join()
    behind = min((t - last for t, n in seen if t >= last and n >= expected), default=float("nan"))
    with sqlite3.connect(f"file:{workshop_path(workbook)}?mode=ro", uri=True) as conn:
        (stored,) = conn.execute("SELECT count(*) FROM answer").fetchone()
    lost = sum(acknowledged) + alone_acknowledged - stored
    loaded = statistics.median(latencies)
    print(f"{len(codes) - 1} participants × {len(items)} answers ({args.accounts} accounts × {args.criteria} criteria)")
    print(f"answers acknowledged {sum(acknowledged)} of {len(latencies)} in {last - began:.1f} s; lost: {lost}")
    print(f"answer latency under load: median {1000 * loaded:.1f} ms, p95 {1000 * _p95(latencies):.1f} ms")
    baseline = statistics.median(alone)
    print(f"answer latency alone:      median {1000 * baseline:.1f} ms (ratio {loaded / baseline:.1f})")
    print(f"facilitator's board showed the last answer {behind:.2f} s after it (polling every {POLL} s)")
    print(f"server memory: idle {idle:.0f} MB, peak {max(peak):.0f} MB (+{max(peak) - idle:.0f} MB)")
    seconds, size = [s for s, _ in loads], max(b for _, b in loads) / 1024
    print(f"participant page: median {statistics.median(seconds):.3f} s, max {max(seconds):.3f} s, {size:.0f} KB")
    return 1 if lost else 0


def _plain(client: Client, path: str) -> bytes:
    client.conn.request("GET", path, headers={"X-Kam-Token": client.token})
    return client.conn.getresponse().read()


def _scale(criteria, criterion: str) -> tuple[float, float]:
    row = criteria[criteria["criterion_id"] == criterion].iloc[0]
    return float(row["scale_min"]), float(row["scale_max"])


def _values(items: list[int], scale: dict[int, tuple[float, float]], seed: int) -> list[tuple[int, float]]:
    rng = random.Random(seed)
    chosen = [(item, float(round(rng.uniform(*scale[item])))) for item in items]
    rng.shuffle(chosen)
    return chosen


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


if __name__ == "__main__":
    sys.exit(main())
