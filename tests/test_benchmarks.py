"""The benchmark scripts run (small sizes) and kamlib agrees with the baselines they time it against."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("script", "args", "shows"),
    [
        ("bench_timealloc.py", ["--records", "20000", "--repeat", "1"], "kamlib, --period 2025-Q3"),
        ("bench_scoring.py", ["--sizes", "2000", "--repeat", "1"], "score_accounts"),
        (
            "bench_assignment.py",
            ["--accounts", "200", "--kams", "10", "--repeat", "1", "--naive-limit", "10"],
            "same optimum: True",
        ),
        (  # the load test of the workshop's server, at a small scale: every answer acknowledged is stored
            "bench_workshop.py",
            ["--participants", "6", "--accounts", "4", "--criteria", "5", "--think", "0"],
            "lost: 0",
        ),
        (
            "bench_robustness.py",
            ["--draws", "400", "--accounts", "300", "--repeat", "1", "--loop-draws", "50"],
            "same counts: True",
        ),
    ],
)
def test_benchmark_runs(script, args, shows):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert shows in result.stdout
