"""Robustness (SMAA) speed: K weight draws × accounts × criteria, vectorised, beside a per-draw loop.

Run: `.venv/bin/python benchmarks/bench_robustness.py [--draws 10000] [--accounts 2000] [--criteria 10]
[--repeat 5] [--loop-draws 1000]`. Prints medians and the ratio to the baseline measured in the same run.

- "vectorised" is `kamlib.scenarios.robustness.acceptability`: every draw's two composites as matrix products in
  chunks of draws (memory bounded), cut lines, quadrant counts per account — what `kam robustness`
  runs after drawing the weights. The drawing itself (`draw_weights`, Dirichlet per axis) is timed apart.
- "per-draw loop" is the straightforward way: for each draw, `kamlib.scoring.axis_composites` and
  `classify`, then counting. It runs on `--loop-draws` draws and is scaled to `--draws` (it is linear
  in the draws); both give the same counts on those draws (checked here).
- Each runs with fixed cut lines (5, 5) and with "median" cut lines (the median of each draw, on both axes),
  on complete scores and with 10 % of them missing.
- Peak memory of the vectorised run (tracemalloc, numpy's allocations) is printed against the 1 GB limit.
Target (issue 6): 10,000 draws × 2,000 accounts × 10 criteria in ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import tracemalloc

import numpy as np
from timing import median_seconds

from kamlib import synthetic
from kamlib.scenarios.robustness import (
    DEFAULT_CONCENTRATION,
    acceptability,
    acceptability_loop,
    dirichlet_parameters,
    draw_weights,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loop-draws", type=int, default=1_000)
    args = parser.parse_args()

    complete, weights, axis = synthetic.make_score_matrix(args.accounts, args.criteria, seed=1)
    holes = np.random.default_rng(2).random(complete.shape) < 0.10
    for raw in (complete, np.where(holes, np.nan, complete)):
        for cuts in ((5.0, 5.0), (None, None)):  # fixed cut lines; the median of each draw on both axes
            run(args, (raw - 1.0) / 9.0, weights, axis, cuts)  # synthetic scores are on a 1–10 scale


def run(
    args: argparse.Namespace,
    normalised: np.ndarray,
    weights: np.ndarray,
    axis: np.ndarray,
    cuts: tuple[float | None, float | None],
) -> None:
    """Time both ways on one score matrix and print the figures."""
    alpha = dirichlet_parameters(weights, axis, DEFAULT_CONCENTRATION)
    draws = draw_weights(alpha, axis, args.draws, np.random.default_rng(7)).weights
    drawing = median_seconds(lambda: draw_weights(alpha, axis, args.draws, np.random.default_rng(7)), args.repeat)
    ours = median_seconds(lambda: acceptability(normalised, axis, draws, cuts), args.repeat)
    few = draws[: args.loop_draws]
    loop = median_seconds(lambda: acceptability_loop(normalised, axis, few, cuts), max(1, args.repeat // 2))
    loop_scaled = loop * args.draws / len(few)
    same = np.array_equal(acceptability(normalised, axis, few, cuts), acceptability_loop(normalised, axis, few, cuts))
    tracemalloc.start()
    acceptability(normalised, axis, draws, cuts)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    missing = float(np.isnan(normalised).mean())
    print(
        f"{args.draws:,} draws × {args.accounts:,} accounts × {args.criteria} criteria "
        f"({missing:.0%} of scores missing), cut lines {'fixed at 5' if cuts[0] else 'the median of each draw'}, "
        f"median of {args.repeat}:"
    )
    print(f"  vectorised (kamlib)   {ours:8.3f} s   + drawing the weights {drawing:.3f} s")
    print(f"  per-draw loop         {loop_scaled:8.3f} s   ({loop:.3f} s for {len(few):,} draws, scaled)")
    print(f"  ratio                 {loop_scaled / ours:8.1f}x   same counts: {same}")
    print(f"  peak memory           {peak:8.1f} MB  (limit 1024 MB)")
    total = ours + drawing
    print(f"  target ≤ 0.5 s for drawing + counting: {total:.3f} s, {'met' if total <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
