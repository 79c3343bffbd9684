"""The ledger benchmark runs (small size) and kamlib's metrics agree with the pandas baseline it times."""

import subprocess
import sys

from tests.conftest import ROOT


def test_ledger_benchmark_runs():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_ledger.py"),
            *("--lines", "20000", "--customers", "300", "--repeat", "1"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "same metrics as pandas: True" in result.stdout
    assert "target: ≤ 2 s from a 20,000-line ledger to scores: met" in result.stdout
