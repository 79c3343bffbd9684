"""Hostile files refused fast, and a large valid .xlsx read in time: seconds and memory of each `kam` process.

Run: `.venv/bin/python benchmarks/bench_hostile.py [--repeat 3] [--rows 1000000]`. Prints medians.

- Every case of the hostile corpus (`tests/hostile/corpus.py`) runs as its own `kam` process; its wall time
  (median of `--repeat` runs) and peak memory (the process's maximum resident set) are printed beside
  `kam validate` on the untouched sample, the baseline measured in the same run, as ratios. Targets
  (issue 18): each hostile file answered in ≤ 5 s and ≤ 300 MB.
- A valid engagement whose `scores` sheet has `--rows` rows, written as .xlsx, read and validated with
  `kamlib.load` (target ≤ 30 s for 1,000,000 rows), beside openpyxl's streaming reader (the reader kamlib
  used before) iterating the same sheet's first 100,000 rows, scaled to the whole sheet.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.corpus import CASES, sample_folder  # noqa: E402

_MEASURE = (
    "import re, resource, sys\n"
    "from kamlib.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "try:\n"  # the process's own peak: Linux keeps ru_maxrss across exec, so it may be the parent's size
    "    peak = int(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "except OSError:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


def run_kam(args: list[str], repeat: int) -> tuple[float, float, int]:
    """Median seconds, peak MB and exit code of `kam ARGS` run as a process `repeat` times."""
    times, peaks, code = [], [], 0
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "peak"
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _MEASURE, str(report), *args], capture_output=True, text=True, check=False
            )
            times.append(time.perf_counter() - start)
            code = done.returncode
            peaks.append(int(report.read_text()) / 1024 if report.exists() else float("nan"))
    return statistics.median(times), max(peaks), code


def corpus(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        (base / "baseline").mkdir()
        seconds0, mb0, _ = run_kam(["validate", str(sample_folder(base / "baseline"))], repeat)
        print(f"{'case':34} {'exit':>4} {'seconds':>8} {'× base':>7} {'MB':>6} {'× base':>7}")
        print(f"{'(baseline: kam validate, sample)':34} {0:>4} {seconds0:8.2f} {1:7.2f} {mb0:6.0f} {1:7.2f}")
        for case in CASES:
            folder = base / case.name
            folder.mkdir()
            args = case.build(folder)
            seconds, mb, code = run_kam(args, repeat)
            print(f"{case.name:34} {code:>4} {seconds:8.2f} {seconds / seconds0:7.2f} {mb:6.0f} {mb / mb0:7.2f}")


def large_xlsx(rows: int) -> None:
    from openpyxl import load_workbook

    import kamlib
    from kamlib import synthetic

    frames = synthetic.make_engagement_frames(max(1, -(-rows // 19)), 20, seed=1)  # about 2 % of scores absent
    with tempfile.TemporaryDirectory() as scratch:
        path = synthetic.write_engagement(frames, Path(scratch) / "large.xlsx")
        start = time.perf_counter()
        engagement = kamlib.load(path)
        seconds = time.perf_counter() - start
        sample = 100_000
        start = time.perf_counter()
        book = load_workbook(path, read_only=True, data_only=True)
        for n, _ in enumerate(book["scores"].iter_rows(values_only=True)):
            if n >= sample:
                break
        book.close()
        openpyxl_seconds = (time.perf_counter() - start) * len(frames["scores"]) / sample
    scores = len(engagement.scores)
    print(f"\n.xlsx with {len(frames['scores']):,} score rows ({scores:,} scores kept):")
    print(f"  kamlib.load (calamine, checked, validated) {seconds:8.1f} s")
    ratio = openpyxl_seconds / seconds
    print(f"  openpyxl streaming, rows only (scaled)     {openpyxl_seconds:8.1f} s   ratio {ratio:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000, help="score rows of the large .xlsx (0: skip it)")
    args = parser.parse_args()
    corpus(args.repeat)
    if args.rows:
        large_xlsx(args.rows)


if __name__ == "__main__":
    main()
