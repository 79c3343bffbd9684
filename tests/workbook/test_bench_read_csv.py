"""The CSV reading benchmark runs (small size) and kamlib reads the time sheet pandas reads."""

import subprocess
import sys

from tests.conftest import ROOT


def test_read_csv_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_read_csv.py"), *("--records", "20000", "--repeat", "1")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "same time sheet as pandas: True" in result.stdout
    assert "target: ≤ 5 s for kamlib.load: met" in result.stdout
