"""`kam robustness`: the promised columns, the same seed the same file, bad requests exit 2 and write nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kamlib import cli
from kamlib.scenarios.robustness import CSV_COLUMNS
from tests.kam import run_kam

PROMISED = ["account_id", "quadrant", "p_invest", "p_selective", "p_maintain", "p_milk", "stability"]


def test_robustness_writes_the_promised_columns_and_the_same_seed_gives_the_same_file(tmp_path, tiny_path):
    first, second = tmp_path / "r1.csv", tmp_path / "r2.csv"
    for out in (first, second):
        result = run_kam("robustness", tiny_path, "--draws", "3000", "--seed", "7", "--out", out)
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    table = pd.read_csv(first, encoding="utf-8-sig")
    assert set(PROMISED) <= set(table.columns) and list(table.columns) == list(CSV_COLUMNS)
    assert table["account_id"].tolist() == ["A1", "A2", "A3", "A4"]
    p = table[[f"p_{q}" for q in ("invest", "selective", "maintain", "milk")]].sum(axis=1)
    assert p.round(9).eq(1).all()
    assert "of 4 accounts are on the fence" in result.stderr and str(second) in result.stderr


def test_robustness_hands_its_options_to_the_library(monkeypatch, tmp_path, tiny_path, capsys):
    seen = {}
    import kamlib.scenarios.robustness as module

    real = module.robustness

    def spy(engagement, scenario, draws, concentration, seed, bounds, period, source):
        seen.update(scenario=scenario, draws=draws, concentration=concentration, seed=seed, bounds=bounds)
        seen.update(period=period, source=source)
        return real(engagement, scenario, draws, concentration, seed, bounds, period, source)

    monkeypatch.setattr(module, "robustness", spy)
    bounds = tmp_path / "b.yaml"
    bounds.write_text("volume: [40, 90]\n", encoding="utf-8")
    code = cli.main(["robustness", str(tiny_path), "--uniform", "--draws", "500", "--bounds", str(bounds)])
    assert code == 0
    assert seen == {
        "scenario": None,
        "draws": 500,
        "concentration": None,
        "seed": None,
        "bounds": {"volume": (40, 90)},
        "period": None,
        "source": "b.yaml",
    }
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns) == list(CSV_COLUMNS) and len(table) == 4
    cli.main(
        ["--lang", "es", "robustness", str(tiny_path), "--concentration", "8", "--seed", "3", "--period", "2025-H2"]
    )
    assert seen["concentration"] == 8.0 and seen["seed"] == 3 and seen["period"] == "2025-H2"
    assert "uniformes" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "0"], "draws must be a whole number from 1 to 1,000,000, not 0"),
        (["--seed", "-1"], "the seed must be a whole number ≥ 0, not -1"),
        (["--concentration", "-2"], "concentration must be a number > 0"),
        (["--scenario", "missing.yaml"], "missing.yaml: no such scenario file"),
        (["--bounds", "{bad}"], "field volume: got 'wide'; allowed: [min, max]"),
        (["--bounds", "{unknown}"], "unknown.yaml, unknown criterion 'size'; known: volume, growth, service"),
        (["--out", "r.txt"], "unsupported table format '.txt'"),
        (["--uniform", "--concentration", "5"], "not allowed with argument"),
    ],
)
def test_bad_requests_exit_2_with_one_message_and_write_nothing(tmp_path, tiny_path, args, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text("volume: wide\n", encoding="utf-8")
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("size: [1, 5]\n", encoding="utf-8")
    args = [{"{bad}": str(bad), "{unknown}": str(unknown)}.get(a, a) for a in args]
    out = [] if "--out" in args else ["--out", "r.csv"]  # nothing may be written, not even the table
    result = run_kam("robustness", tiny_path, *args, *out, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "unknown.yaml"]
