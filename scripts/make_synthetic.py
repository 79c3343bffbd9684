"""Write a synthetic engagement of any size (for benchmarks and load tests), deterministically.

    python scripts/make_synthetic.py 100000 /tmp/big            # a folder of CSV files
    python scripts/make_synthetic.py 5000 /tmp/mid.xlsx --criteria 12 --time-records 50000 --seed 7

The data follows the workbook contract (kamlib.workbook.sheets) and validates with `kam validate`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kamlib.synthetic import make_engagement_frames, write_engagement  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=int, help="number of accounts")
    parser.add_argument("out", type=Path, help="folder (CSV files) or .xlsx file to write")
    parser.add_argument("--criteria", type=int, default=20, help="criteria, split over the two axes (default 20)")
    parser.add_argument("--kams", type=int, default=None, help="KAMs (default: one per eight accounts)")
    parser.add_argument("--time-records", type=int, default=0, help="KAM time records (default 0)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        frames = make_engagement_frames(args.accounts, args.criteria, args.kams, args.time_records, args.seed)
        print(write_engagement(frames, args.out))
    except ValueError as exc:
        print(f"make_synthetic: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
