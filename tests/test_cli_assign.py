"""`kam assign`: the plan and every pair's fit as files, its template, bad requests exit 2 and write nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kamlib.assignment.competences import load_assignment_settings
from tests.conftest import ROOT
from tests.kam import run_kam

SAMPLE = ROOT / "kamlib" / "samples" / "sample"


def test_assign_writes_the_plan_and_the_fit_of_every_pair(tmp_path):
    plan, fit = tmp_path / "plan.csv", tmp_path / "fit.xlsx"
    result = run_kam("assign", SAMPLE, "--out", plan, "--fit-out", fit)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(plan, encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["account_id", "kam_id", "current_kam_id", "fit"]
    assert len(table) == 48 and table["kam_id"].notna().all()
    fits = pd.read_excel(fit, engine="openpyxl")
    assert list(fits.columns[:3]) == ["account_id", "kam_id", "fit"] and len(fits) == 48 * 7
    assert table["kam_id"].value_counts().le(9).all()  # no KAM above its max_accounts (at most 9 in the sample)
    joined = table.merge(fits, on=["account_id", "kam_id"], suffixes=("", "_pair"))
    assert (joined["fit"] - joined["fit_pair"]).abs().max() < 1e-9  # the plan's fit is its pair's
    assert "Plan for 48 accounts and 7 KAMs" in result.stderr and str(plan) in result.stderr


def test_the_template_writes_change_costs_and_max_changes_and_they_bound_the_churn(tmp_path):
    settings = tmp_path / "a.yaml"
    written = run_kam("template", settings, "--kind", "assignment")
    assert written.returncode == 0, written.stderr
    text = settings.read_text(encoding="utf-8")
    assert "max_changes: 10%" in text and "change_cost:\n  invest: 20.0\n  selective: 15.0" in text
    loaded = load_assignment_settings(settings)
    assert (loaded.max_changes, loaded.change_cost["milk"], loaded.continuity_bonus) == ("10%", 5.0, 0.0)
    plain = run_kam("assign", SAMPLE)
    assert pd.read_csv(io.StringIO(plain.stdout))["change"].sum() == 5  # 10 % of 48 accounts, rounded up
    assert "5 changes of KAM (max_changes 5)" in plain.stderr
    settings.write_text(text.replace("max_changes: 10%", "max_changes: 2"), encoding="utf-8")
    two = run_kam("--lang", "es", "assign", SAMPLE, "--settings", settings)
    assert two.returncode == 0, two.stderr
    assert pd.read_csv(io.StringIO(two.stdout))["change"].sum() == 2
    assert "El plan cambia el KAM de 2 de 48 cuentas (4,2" in two.stderr
    # places only: the hours' plan of pure best fit is a hard knapsack HiGHS may take its whole time limit over
    free = text.replace("max_changes: 10%", "max_changes: null").replace("capacity: auto", "capacity: accounts")
    for quadrant in ("invest: 20.0", "selective: 15.0", "maintain: 10.0", "milk: 5.0"):
        free = free.replace(f"  {quadrant}\n", f"  {quadrant.split(':')[0]}: 0\n", 1)
    settings.write_text(free, encoding="utf-8")
    pure = pd.read_csv(io.StringIO(run_kam("assign", SAMPLE, "--settings", settings).stdout))
    assert pure["change"].sum() > 20  # no cost and no limit: the plan of pure best fit moves most accounts


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("colour: red\n", "a.yaml, field colour"),
        ("capacity: accounts\nfixed: [{account_id: A999, kam_id: K01}]\n", "A999"),
        ("min_fit: 101\n", "a.yaml, field min_fit"),
        (
            "max_changes: many\n",
            "a.yaml, field max_changes: got 'many'; allowed: a whole number of accounts ≥ 0, a share",
        ),
    ],
)
def test_bad_settings_exit_2_and_write_nothing(tmp_path, settings, message):
    path = tmp_path / "a.yaml"
    path.write_text(settings, encoding="utf-8")
    result = run_kam("assign", SAMPLE, "--settings", path, "--out", tmp_path / "plan.csv", cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_too_little_capacity_is_explained(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for csv in SAMPLE.glob("*.csv"):
        (book / csv.name).write_bytes(csv.read_bytes())
    kams = pd.read_csv(book / "kams.csv")
    kams["max_accounts"] = 5  # 35 places for 48 accounts
    kams.to_csv(book / "kams.csv", index=False)
    result = run_kam("assign", book, "--out", tmp_path / "plan.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "35" in result.stderr and "48" in result.stderr
    assert not (tmp_path / "plan.csv").exists()


def test_an_unknown_competence_is_named_with_its_rows(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for csv in SAMPLE.glob("*.csv"):
        (book / csv.name).write_bytes(csv.read_bytes())
    competences = book / "competences.csv"
    competences.write_text(
        competences.read_text(encoding="utf-8").replace("K02,empathy", "K02,empatia"), encoding="utf-8"
    )
    result = run_kam("assign", book, "--out", tmp_path / "plan.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert 'competences.csv, sheet "competences", rows ' in result.stderr
    assert "column \"competence\": unknown competence 'empatia'" in result.stderr
    assert not (tmp_path / "plan.csv").exists()
    validated = run_kam("--lang", "es", "validate", book)
    assert validated.returncode == 0 and "aviso: " in validated.stderr and "'empatia'" in validated.stderr
