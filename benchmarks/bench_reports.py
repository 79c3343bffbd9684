"""Report speed: `kam report` on 50 accounts beside the naive loop (papermill CLI, then nbconvert CLI, per account).

Run: `.venv/bin/python benchmarks/bench_reports.py [--accounts 50] [--naive 3] [--jobs 2]`.

- "naive" is what a shell loop does per account: `papermill account_report.ipynb …` (a new process and
  a new kernel, importing everything), then `jupyter nbconvert --to html --no-input …` (another process).
  It runs on `--naive` accounts only (it is slow); its median per report is projected to all accounts.
- "kamlib" is `kamlib.publish.reports.run_reports` with `--force`: worker processes that each keep one warm kernel,
  write the notebook and the offline HTML in-process, on every account plus the portfolio report, timed
  whole (worker and kernel start included).
Both run on the same engagement with every sheet: the bundled sample (decision maps, KPIs, ledger metrics,
whitespace, playbook, selection, competences, a year of time records) grown to `--accounts` accounts by
`kamlib.synthetic.grow_frames` (the accounts beyond its 48 are copies of its own under new ids, every sheet's
rows with them), in this one run: compare the ratio, machines here are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from kamlib.engagement import SAMPLE_PATH
from kamlib.publish.reports import ACCOUNT_NOTEBOOK, plan_reports, run_reports
from kamlib.synthetic import grow_frames, write_engagement

BIN = Path(sys.executable).parent


def naive_report(workbook: Path, account: str, folder: Path) -> float:
    """One report the naive way; return its seconds."""
    executed = folder / f"{account}.ipynb"
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "papermill"), str(ACCOUNT_NOTEBOOK), str(executed), "-p", "workbook", str(workbook),
         "-p", "account", account, "-p", "lang", "es", "--cwd", str(ACCOUNT_NOTEBOOK.parent)],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--naive", type=int, default=3, help="accounts the naive loop runs (projected to all)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        sample = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in SAMPLE_PATH.glob("*.csv")}
        workbook = write_engagement(grow_frames(sample, args.accounts), scratch / "engagement")
        jobs = plan_reports(workbook, scratch / "out")
        accounts = [j.key for j in jobs if j.key]
        naive = [naive_report(workbook, a, scratch) for a in accounts[: args.naive]]
        start = time.perf_counter()
        run = run_reports(jobs, args.jobs, force=True, progress=False)
        ours = time.perf_counter() - start
        if run.failed:
            raise SystemExit(f"reports failed: {run.failed[:3]}")
    per_naive = statistics.median(naive)
    projected = per_naive * len(accounts)
    print(f"{len(accounts)} account reports + the portfolio report of the sample grown to {args.accounts} accounts "
          f"(every sheet), {args.jobs or 'one per core'} workers")  # fmt: skip
    print(f"naive loop (papermill CLI + nbconvert CLI): {per_naive:.1f} s per report (median of {len(naive)}), "
          f"{projected:.0f} s projected for {len(accounts)}")  # fmt: skip
    print(f"kamlib run_reports: {ours:.1f} s for all {len(jobs)} ({ours / len(jobs):.2f} s per report)")
    print(f"ratio: {projected / ours:.1f}x faster; target ≤ 60 s for 50 and ≥ 5x: "
          f"{'met' if ours <= 60 and projected / ours >= 5 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
