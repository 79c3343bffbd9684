"""Deck speed: `kam deck` on the sample, the default deck (portfolio + the accounts that need the room's attention)
beside every account's slides (`--all`, what the deck was before), both as a user runs them, in this one run.

Run: `.venv/bin/python benchmarks/bench_deck.py [--repeat 3] [--baseline-repeat 1]`.

Each run is the whole command in a new process (`python -m kamlib.cli deck kamlib/samples/sample --out …`):
imports, reading the workbook, scoring, robustness, charts drawn by vl-convert, the .pptx written. It prints the
median seconds of each, the slides each deck holds, and the ratio. Target (issue 19): the default deck ≤ 30 s on
this 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pptx import Presentation

from kamlib.engagement import SAMPLE_PATH


def deck_seconds(out: Path, every: bool) -> float:
    """Write the sample's deck with `kam deck` in a new process; return its seconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kamlib.cli", "deck", str(SAMPLE_PATH), "--out", str(out), *["--all"][: int(every)]],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the default deck")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of the deck of every account")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        results = {}
        for label, every, repeat in (("default", False, args.repeat), ("--all", True, args.baseline_repeat)):
            out = Path(scratch) / f"deck-{label.strip('-')}.pptx"
            seconds = [deck_seconds(out, every) for _ in range(repeat)]
            results[label] = (statistics.median(seconds), len(Presentation(str(out)).slides), repeat)
    for label, (seconds, slides, repeat) in results.items():
        print(f"{label:>8}: {slides:>3} slides, median {seconds:.1f} s of {repeat} run(s)")
    default, every = results["default"][0], results["--all"][0]
    verdict = "met" if default <= 30 else "NOT met"
    print(f"ratio --all / default: {every / default:.1f}x; target default ≤ 30 s: {verdict}")


if __name__ == "__main__":
    main()
