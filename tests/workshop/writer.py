"""A workshop writer in a process of its own: the kill -9 test's victim, and the measure of an acknowledged answer.

    python -m tests.workshop.writer answer STORE WORKBOOK   # token on stdin; prints "item value" per acknowledgement
    python -m tests.workshop.writer bench [N]               # median time of an acknowledged answer, FULL vs NORMAL

`answer` resumes the workshop in STORE and answers its score items in turn, forever, item i % n getting the value
i (the test's criterion runs from 0 to 10⁶), and prints each answer only after `WorkshopStore.answer` returned it:
what it printed was acknowledged. `bench` makes a workshop in a temporary folder of the current one (the disk a
workbook would be on) and times N answers with the store's `synchronous=FULL`, then N with `NORMAL`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from kamlib.workshop import WorkshopStore

BIG_CRITERION = pd.DataFrame(
    {"criterion_id": ["big"], "axis": ["potential"], "scale_min": [0.0], "scale_max": [1_000_000.0]}
)
"""One criterion whose scale takes every write's number as its value."""


def accounts(n: int) -> pd.DataFrame:
    """Accounts A000, A001, … as many as asked."""
    return pd.DataFrame({"account_id": [f"A{k:03d}" for k in range(n)], "name": [f"Cuenta {k}" for k in range(n)]})


def answer_forever(store_path: Path, workbook: Path) -> None:
    token = sys.stdin.readline().strip()
    store = WorkshopStore.resume(store_path, workbook)
    ids = [item.item_id for item in store.items()]
    i = 0
    while True:
        item_id = ids[i % len(ids)]
        store.answer(token, item_id, i)
        print(item_id, i, flush=True)
        i += 1


def bench(n: int) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        workbook = Path(folder) / "bench.xlsx"
        store = WorkshopStore.create(workbook.with_suffix(".workshop.sqlite"), workbook, accounts(n), BIG_CRITERION)
        token = store.seats(1)[0].token
        ids = [item.item_id for item in store.add_score_items((f"A{k:03d}", "big") for k in range(n))]
        store.open_items(ids)
        for mode in ("FULL", "NORMAL"):
            store._conn.execute(f"PRAGMA synchronous = {mode}")  # the bench's one reach inside: the other mode
            times = []
            for k, item_id in enumerate(ids):
                start = time.perf_counter()
                store.answer(token, item_id, k)
                times.append(time.perf_counter() - start)
            cuts = statistics.quantiles(times, n=100)
            print(
                f"synchronous={mode}: {n} answers, median {1e6 * statistics.median(times):.0f} µs, "
                f"p90 {1e6 * cuts[89]:.0f} µs, p99 {1e6 * cuts[98]:.0f} µs"
            )
        store.close()


if __name__ == "__main__":
    if sys.argv[1] == "answer":
        answer_forever(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        bench(int(sys.argv[2]) if len(sys.argv) > 2 else 500)
