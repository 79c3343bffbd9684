"""Time allocation speed: a million time records into every view of `allocate_time`, beside plain pandas.

Run: `.venv/bin/python benchmarks/bench_timealloc.py [--repeat 7] [--records 1000000]`. Prints medians
and the ratio to the baseline measured in the same run (machines here are noisy: compare ratios).

- "kamlib" is `kamlib.timealloc.allocate_time` on an engagement whose `time` sheet has the given number
  of records (12 monthly periods, 60 % of account activities naming an account), written as a CSV
  folder and read back with `kamlib.load`, so the columns are text exactly as users get them; into
  per-KAM and team shares, gaps, TVD, Aitchison, the type roll-up, strategy time against targets,
  per-account time and neglect, capacity, findings. The quadrants come from a scored matrix computed
  once beforehand (scoring has its own benchmark).
- "pandas" is the same figures written the obvious way with groupby, pivot and merge (`naive`): what a
  notebook would do. Its results are checked against kamlib's before timing.
- "all periods" and "--period 2025-Q3" are timed separately (the second selects rows first).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_seconds

import kamlib
from kamlib import synthetic
from kamlib.engagement import Engagement
from kamlib.method import ACTIVITIES, QUADRANTS
from kamlib.scoring import score_accounts
from kamlib.timealloc import allocate_time
from kamlib.timeref import TimeReference

N_ACCOUNTS = 2_000
N_KAMS = 150


def naive(engagement: Engagement, scored: pd.DataFrame, reference: TimeReference) -> dict[str, pd.DataFrame]:
    """The figures of `allocate_time` (all periods), computed with ordinary pandas groupby/pivot/merge."""
    time = engagement.time
    ref = pd.Series(reference.reference)[list(ACTIVITIES)]
    hours = time.pivot_table(index="kam_id", columns="activity", values="hours", aggfunc="sum", fill_value=0.0)
    hours = hours.reindex(index=engagement.kams["kam_id"], columns=list(ACTIVITIES), fill_value=0.0)
    shares = hours.div(hours.sum(axis=1), axis=0) * 100
    gaps = shares - ref
    tvd = 0.5 * gaps.abs().sum(axis=1)
    delta = reference.zero_share
    replaced = shares.where(shares > 0, delta)
    replaced = replaced.mul(1 - (shares <= 0).sum(axis=1) * delta / 100, axis=0).where(shares > 0, delta)
    ref_log = np.log(ref)
    clr = np.log(replaced).sub(np.log(replaced).mean(axis=1), axis=0)
    aitchison = np.sqrt((clr - (ref_log - ref_log.mean())) ** 2).pow(2).sum(axis=1) ** 0.5
    types = hours.T.groupby(pd.Series(reference.activity_types)).sum().T
    team = hours.sum() / hours.sum().sum() * 100
    on_accounts = time.dropna(subset=["account_id"]).merge(scored[["account_id", "quadrant"]], on="account_id")
    strategy = on_accounts.pivot_table(index="kam_id", columns="quadrant", values="hours", aggfunc="sum")
    strategy = strategy.div(strategy.sum(axis=1), axis=0) * 100
    per_account = on_accounts.groupby("account_id")["hours"].sum()
    capacity = engagement.kams.set_index("kam_id")["capacity_hours"]
    utilisation = hours.sum(axis=1) / capacity * 100
    return {
        "shares": shares,
        "tvd": tvd,
        "aitchison": aitchison,
        "types": types,
        "team": team,
        "strategy": strategy,
        "accounts": per_account,
        "utilisation": utilisation,
    }


def check(ours, theirs: dict[str, pd.DataFrame]) -> None:
    """Stop if kamlib and the pandas baseline disagree: a fast wrong answer is no answer."""
    kam = ours.activities[ours.activities["scope"] == "kam"]
    shares = kam.pivot(index="kam_id", columns="activity", values="share")[list(ACTIVITIES)]
    np.testing.assert_allclose(shares.loc[theirs["shares"].index.astype(str)], theirs["shares"], rtol=1e-9)
    kams = ours.kams.set_index("kam_id")
    np.testing.assert_allclose(kams.loc[theirs["tvd"].index.astype(str), "tvd"], theirs["tvd"], rtol=1e-9)
    np.testing.assert_allclose(kams.loc[theirs["aitchison"].index.astype(str), "aitchison"], theirs["aitchison"])
    np.testing.assert_allclose(kams.loc[theirs["utilisation"].index.astype(str), "utilisation"], theirs["utilisation"])
    strategy = ours.strategy.pivot(index="kam_id", columns="quadrant", values="share")[list(QUADRANTS)]
    expected = theirs["strategy"].reindex(columns=list(QUADRANTS)).fillna(0.0)
    np.testing.assert_allclose(strategy.loc[expected.index.astype(str)].fillna(0.0), expected, rtol=1e-9)
    per_account = ours.accounts.set_index("account_id")["hours"]
    np.testing.assert_allclose(per_account.loc[theirs["accounts"].index.astype(str)], theirs["accounts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()

    frames = synthetic.make_engagement_frames(N_ACCOUNTS, 10, N_KAMS, args.records, seed=2)
    with tempfile.TemporaryDirectory() as folder:  # through kamlib.load: text columns exactly as users get them
        synthetic.write_engagement(frames, Path(folder) / "engagement")
        start = time.perf_counter()
        engagement = kamlib.load(Path(folder) / "engagement")
        loading = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scored = score_accounts(engagement)
    reference = TimeReference()
    check(allocate_time(engagement, reference, scored), naive(engagement, scored, reference))

    ours_all = median_seconds(lambda: allocate_time(engagement, reference, scored), args.repeat)
    ours_q3 = median_seconds(lambda: allocate_time(engagement, reference, scored, "2025-Q3"), args.repeat)
    base = median_seconds(lambda: naive(engagement, scored, reference), max(3, args.repeat // 2))
    print(f"{args.records:,} time records, {N_KAMS} KAMs, {N_ACCOUNTS:,} accounts (median of {args.repeat} runs)")
    print(f"(reading and validating the CSV folder once, not timed below: {loading:.1f} s)")
    print(f"{'':24} {'seconds':>8} {'vs pandas':>10}")
    print(f"{'pandas groupby/pivot':24} {base:>8.3f} {'1.0x':>10}")
    print(f"{'kamlib, all periods':24} {ours_all:>8.3f} {base / ours_all:>9.1f}x faster")
    print(f"{'kamlib, --period 2025-Q3':24} {ours_q3:>8.3f} {base / ours_q3:>9.1f}x faster")
    print(f"target: ≤ 1 s for all of the above: {'met' if max(ours_all, ours_q3) <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
