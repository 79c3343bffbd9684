"""Reading speed: a CSV folder with a million time records read and validated by `kamlib.load`, beside pandas.

Run: `.venv/bin/python benchmarks/bench_read_csv.py [--repeat 3] [--records 1000000]`. Prints medians and
the ratio to the baseline measured in the same run (machines here are noisy: compare ratios, not seconds).

- "kamlib.load" is the whole public call on the folder: every file decoded and split (a stray quote, a byte
  in another encoding, a row wider than its header are looked for), every text cell trimmed, stripped of
  control characters and NFC-normalised, every rule of the workbook's contract checked (numbers, minimums,
  choices, ids that must exist in another sheet, invisible characters in ids, the time sheet's hours or
  percent), and the engagement built.
- "pandas.read_csv" is the floor: `pandas.read_csv(file, dtype=str)` of every CSV file of the folder, with
  none of those checks. The engagement is synthetic (`kamlib.synthetic`: 2,000 accounts, 20 criteria,
  12 monthly periods); its time sheet read by kamlib is checked against the pandas one before timing.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_seconds

import kamlib
from kamlib import synthetic
from kamlib.engagement import Engagement

TARGET_SECONDS = 5.0


def read_with_pandas(folder: Path) -> dict[str, pd.DataFrame]:
    """Every CSV file of the folder as plain text columns, the way a notebook would read it."""
    return {path.stem: pd.read_csv(path, dtype=str) for path in sorted(folder.glob("*.csv"))}


def same_time_sheet(engagement: Engagement, frames: dict[str, pd.DataFrame]) -> bool:
    """Whether kamlib's time sheet holds what pandas read: a fast wrong answer is no answer."""
    ours, theirs = engagement.time, frames["time"]
    if len(ours) != len(theirs):
        return False
    texts = ("kam_id", "account_id", "activity", "period")
    same_texts = all(
        np.array_equal(ours[c].fillna("").to_numpy(dtype=object), theirs[c].fillna("").to_numpy(dtype=object))
        for c in texts
    )
    return same_texts and np.array_equal(ours["hours"], pd.to_numeric(theirs["hours"]), equal_nan=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    args = parser.parse_args()

    frames = synthetic.make_engagement_frames(args.accounts, n_time_records=args.records, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.write_engagement(frames, Path(tmp) / "engagement")
        same = same_time_sheet(kamlib.load(folder), read_with_pandas(folder))
        ours = median_seconds(lambda: kamlib.load(folder), args.repeat)
        base = median_seconds(lambda: read_with_pandas(folder), args.repeat)
    size = sum(len(frame) for frame in frames.values())
    print(f"{args.records:,} time records, {size:,} rows in {len(frames)} CSV files (median of {args.repeat} runs)")
    print(f"same time sheet as pandas: {same}")
    print(f"{'':34} {'seconds':>8} {'vs pandas':>10}")
    print(f"{'pandas.read_csv(dtype=str)':34} {base:>8.3f} {'1.0x':>10}")
    print(f"{'kamlib.load (read and validate)':34} {ours:>8.3f} {ours / base:>9.1f}x slower")
    print(f"target: ≤ {TARGET_SECONDS:g} s for kamlib.load: {'met' if ours <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
