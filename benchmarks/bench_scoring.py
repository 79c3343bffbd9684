"""Scoring speed: accounts × 20 criteria scored and classified, beside a bare numpy `X @ w` on the same data.

Run: `.venv/bin/python benchmarks/bench_scoring.py [--repeat 7]`. Prints medians and the ratio to
the baseline measured in the same run (machines here are noisy: compare ratios, not seconds).

- "score+classify" is the engine's hot path from a wide raw-score matrix: normalise to 0-1
  (with lower-is-better criteria), both axis composites with missing scores left out of the
  denominator, cut lines, quadrant codes (`kamlib.scoring.normalise/axis_composites/classify`).
- "X @ w" is the floor: one matrix-vector product over the same array, no normalisation,
  no missing-value handling, one axis.
- "score_accounts" is the whole public call from a long `scores` sheet (20 rows per account:
  period selection, assessor averaging, pivot to wide, composites, quadrants, output frame).
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import median_seconds

from kamlib import scoring, synthetic
from kamlib.engagement import Engagement

SIZES = (10_000, 100_000, 1_000_000)
N_CRITERIA = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args()
    print(f"{'accounts':>10} {'X @ w (s)':>11} {'score+classify (s)':>19} {'ratio':>7} {'score_accounts (s)':>19}")
    for n in args.sizes:
        raw, weights, axis = synthetic.make_score_matrix(n, N_CRITERIA, seed=1)
        low, high = np.ones(N_CRITERIA), np.full(N_CRITERIA, 10.0)
        higher = np.arange(N_CRITERIA) % 5 != 0
        cuts = np.array([5.0, 5.0])

        def engine(raw=raw, weights=weights, axis=axis, low=low, high=high, higher=higher, cuts=cuts):
            composites = scoring.axis_composites(scoring.normalise(raw, low, high, higher), weights, axis)
            return scoring.classify(composites, cuts)

        def baseline(raw=raw, weights=weights):
            return raw @ weights

        base = median_seconds(baseline, args.repeat)
        ours = median_seconds(engine, args.repeat)
        frames = synthetic.make_engagement_frames(n, N_CRITERIA, seed=1)
        engagement = Engagement(name="bench", source=None, **frames)  # synthetic frames are valid by construction
        full = median_seconds(lambda e=engagement: scoring.score_accounts(e), max(1, args.repeat // 2))
        print(f"{n:>10,} {base:>11.4f} {ours:>19.4f} {ours / base:>6.1f}x {full:>19.3f}")


if __name__ == "__main__":
    main()
