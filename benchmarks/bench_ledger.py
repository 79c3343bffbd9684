"""Ledger ingest speed: a million invoice lines read, measured per customer and scored, beside plain pandas.

Run: `.venv/bin/python benchmarks/bench_ledger.py [--lines 1000000] [--repeat 3]`. Prints medians and the
ratio to the baseline measured in the same run (machines here are noisy: compare ratios, not seconds).

- The ledger is synthetic (fixed seed): ~5,000 customers of very different sizes, 40 product families,
  3 years of daily lines, 2 % returns, five lines per invoice, one currency; written once to a temporary
  CSV (comma-separated, ISO dates, decimal point) and Parquet file. Writing is not timed.
- "kamlib" is `read_ledger` → `ledger_metrics` → `metric_scores` for seven criteria (every metric, share of
  wallet from an estimated spend per customer): reading with every check of `kamlib.ledger.check` (column
  lookup, dates, amounts, empty cells, currencies, exact duplicates), then the metrics and the scores.
- "pandas" is the obvious notebook: `pd.read_csv(parse_dates=…)` (or `pd.read_parquet`), a filter per
  window and `groupby` sums, nunique and max for the same metrics, then `rank(pct=True)` scores. No checks.
  Its metrics are compared with kamlib's before timing: a fast wrong answer is no answer.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_seconds

from kamlib.ledger.scores import LedgerMapping, ledger_metrics, metric_scores, read_ledger

TARGET_SECONDS = 2.0
CRITERIA = pd.DataFrame(
    {
        "criterion_id": ["volume", "growth", "profitability", "diversification", "frequency", "recency", "share"],
        "scale_min": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        "scale_max": [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 100.0],
        "higher_is_better": True,
    }
)
MAPPING = LedgerMapping(
    criteria={
        "volume": "volume",
        "growth": "growth",
        "margin": "profitability",
        "families": "diversification",
        "frequency": "frequency",
        "recency": "recency",
        "share_of_wallet": "share",
    },
    rules={"growth": {"rule": "thresholds", "low": -30, "high": 30}},
)


def make_ledger(lines: int, customers: int, families: int, years: int, seed: int) -> pd.DataFrame:
    """Invoice lines sorted by date: a few large customers and many small ones, returns as negative lines."""
    rng = np.random.default_rng(seed)
    size = 1.0 / np.arange(1, customers + 1) ** 0.8
    customer = rng.choice(customers, size=lines, p=size / size.sum())
    day = np.sort(rng.integers(0, 365 * years, lines))
    product = rng.integers(0, 50 * families, lines)
    quantity = rng.integers(1, 50, lines).astype(np.float64)
    revenue = np.round(quantity * rng.uniform(1.0, 40.0, lines), 2)
    returned = rng.random(lines) < 0.02
    quantity[returned] *= -1
    revenue[returned] *= -1
    cost = np.round(revenue * rng.uniform(0.55, 0.85, lines), 2)
    return pd.DataFrame(
        {
            "invoice": np.char.add("F", (np.arange(lines) // 5).astype(str)),
            "date": np.datetime64(f"{2026 - years}-01-01") + day.astype("timedelta64[D]"),
            "customer": np.char.add("C", (customer + 1).astype(str)),
            "product": np.char.add("P", product.astype(str)),
            "family": np.char.add("FAM", (product % families).astype(str)),
            "quantity": quantity,
            "revenue": revenue,
            "cost": cost,
            "currency": "EUR",
        }
    )


def kamlib_pipeline(path: Path, wallet: pd.Series) -> pd.DataFrame:
    lines = read_ledger(path, MAPPING)
    return metric_scores(ledger_metrics(lines, wallet=wallet), MAPPING, CRITERIA)


def pandas_metrics(lines: pd.DataFrame, wallet: pd.Series) -> pd.DataFrame:
    """The same metrics written the obvious way (no checks): windows by filter, then groupby."""
    end = lines["date"].max().normalize()
    last_start, prior_start = end - pd.DateOffset(months=12), end - pd.DateOffset(months=24)
    last = lines[(lines["date"] > last_start) & (lines["date"] <= end)]
    prior = lines[(lines["date"] > prior_start) & (lines["date"] <= last_start)]
    sales = lines[lines["revenue"] > 0]
    out = pd.DataFrame(index=pd.Index(sorted(lines["customer"].unique()), name="customer"))
    out["volume"] = last.groupby("customer")["revenue"].sum()
    out["volume_prior"] = prior.groupby("customer")["revenue"].sum()
    out = out.fillna({"volume": 0.0, "volume_prior": 0.0})
    out["growth"] = np.where(out["volume_prior"] > 0, (out["volume"] / out["volume_prior"] - 1) * 100, np.nan)
    out.loc[(out["volume_prior"] > 0) & (out["volume"] <= 0), "growth"] = -100.0
    cost = last.groupby("customer")["cost"].sum().reindex(out.index)
    out["margin"] = ((out["volume"] - cost) / out["volume"] * 100).where(out["volume"] > 0)
    net = last.groupby(["customer", "family"])["revenue"].sum()
    out["families"] = (net > 0).groupby(level="customer").sum().reindex(out.index, fill_value=0)
    out["frequency"] = sales[sales["date"] > last_start].groupby("customer")["invoice"].nunique() / 12
    out["frequency"] = out["frequency"].fillna(0.0)
    out["recency"] = (end - sales.groupby("customer")["date"].max()).dt.days
    out["share_of_wallet"] = out["volume"] / wallet.reindex(out.index) * 100
    return out


def pandas_pipeline(path: Path, wallet: pd.Series) -> pd.DataFrame:
    lines = pd.read_csv(path, parse_dates=["date"]) if path.suffix == ".csv" else pd.read_parquet(path)
    metrics = pandas_metrics(lines, wallet)
    scored = metrics[(metrics["volume"] > 0) | (metrics["volume_prior"] > 0)]
    ranks = scored[["volume", "margin", "families", "frequency"]].rank(pct=True)
    return (1 + 9 * ranks).round(1)


def check(path: Path, wallet: pd.Series) -> None:
    """Stop if kamlib and the pandas baseline disagree on any metric."""
    ours = ledger_metrics(read_ledger(path, MAPPING), wallet=wallet).set_index("customer")
    theirs = pandas_metrics(pd.read_csv(path, parse_dates=["date"]), wallet)
    for column in ("volume", "volume_prior", "growth", "margin", "families", "frequency", "recency", "share_of_wallet"):
        np.testing.assert_allclose(ours[column], theirs[column].loc[ours.index], rtol=1e-9, err_msg=column)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--families", type=int, default=40)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ledger = make_ledger(args.lines, args.customers, args.families, args.years, seed=7)
    rng = np.random.default_rng(8)
    wallet = pd.Series(rng.uniform(1e4, 5e6, args.customers), index=[f"C{i + 1}" for i in range(args.customers)])
    with tempfile.TemporaryDirectory() as folder:
        csv_path, parquet_path = Path(folder) / "ledger.csv", Path(folder) / "ledger.parquet"
        ledger.to_csv(csv_path, index=False)
        ledger.to_parquet(parquet_path, index=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(csv_path, wallet)
            print(
                f"{args.lines:,} invoice lines, {ledger['customer'].nunique():,} customers, {args.families} "
                f"families, {args.years} years (median of {args.repeat} runs, after a warm-up)"
            )
            print("same metrics as pandas: True")
            print(f"{'read → metrics → scores':28} {'pandas (s)':>11} {'kamlib (s)':>11} {'kamlib/pandas':>14}")
            worst = 0.0
            for label, path in (("CSV", csv_path), ("Parquet", parquet_path)):
                base = median_seconds(lambda p=path: pandas_pipeline(p, wallet), args.repeat)
                ours = median_seconds(lambda p=path: kamlib_pipeline(p, wallet), args.repeat)
                worst = max(worst, ours)
                print(f"{label:28} {base:>11.3f} {ours:>11.3f} {ours / base:>13.2f}x")
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    print(f"target: ≤ {TARGET_SECONDS:g} s from a {args.lines:,}-line ledger to scores: {verdict} ({worst:.2f} s)")


if __name__ == "__main__":
    main()
