"""The bundled sample engagement (kamlib/samples/sample/): reproducible, clean, and it looks like real work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kamlib.method import ACTIVITIES, AXES, REFERENCE_PROFILE
from kamlib.synthetic import SECTORS
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "kamlib" / "samples" / "sample"
SCRIPT = ROOT / "scripts" / "make_sample.py"
FILES = tuple(f"{s.name}.csv" for s in SHEETS)
CUT = 5.0
ACCOUNT_ACTIVITIES = {"relationships", "negotiation", "selling", "problem_solving"}


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    frames = {s.name: pd.read_csv(SAMPLE / f"{s.name}.csv", dtype=str, keep_default_na=False) for s in SHEETS}
    for sheet, columns in {
        "accounts": ["revenue"],
        "criteria": ["weight", "scale_min", "scale_max"],
        "scores": ["score"],
        "kams": ["capacity_hours", "max_accounts"],
        "competences": ["score"],
        "time": ["hours"],
    }.items():
        for column in columns:
            frames[sheet][column] = pd.to_numeric(frames[sheet][column])
    frames["criteria"]["higher_is_better"] = frames["criteria"]["higher_is_better"].map({"True": True, "False": False})
    return frames


def composites(sample: dict[str, pd.DataFrame], period: str | None = None) -> pd.DataFrame:
    """Score the accounts by the workbook rule: normalise, average assessors of the latest period, weight per axis."""
    scores = sample["scores"]
    if period is None:
        latest = scores.groupby(["account_id", "criterion_id"])["period"].transform("max")
        scores = scores[scores["period"] == latest]
    else:
        scores = scores[scores["period"] == period]
    cells = scores.merge(sample["criteria"], on="criterion_id", validate="many_to_one")
    n = (cells["score"] - cells["scale_min"]) / (cells["scale_max"] - cells["scale_min"])
    cells["n"] = np.where(cells["higher_is_better"], n, 1.0 - n)
    cells = cells.groupby(["account_id", "criterion_id", "axis", "weight"], as_index=False)["n"].mean()
    cells["wn"] = cells["weight"] * cells["n"]
    axes = cells.groupby(["account_id", "axis"])[["wn", "weight"]].sum()
    result = (10.0 * axes["wn"] / axes["weight"]).unstack()[list(AXES)]
    high, strong = result["potential"] >= CUT, result["position"] >= CUT
    result["quadrant"] = np.select(
        [high & strong, high & ~strong, ~high & strong], ["invest", "selective", "maintain"], default="milk"
    )
    return result


def test_the_sample_is_exactly_what_the_script_writes(tmp_path):
    out = tmp_path / "sample"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in SAMPLE.glob("*.csv")) == sorted(FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (out / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"{name} differs: rerun scripts/make_sample.py"
        )


def test_files_are_small_utf8_and_use_the_contract_columns(sample):
    assert sum((SAMPLE / name).stat().st_size for name in FILES) < 1_000_000
    for name in FILES:
        raw = (SAMPLE / name).read_bytes()
        raw.decode("utf-8")
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    for name, frame in sample.items():
        extra = ("country",) if name == "accounts" else ()
        survey_only = ("percent",) if name == "time" else ()  # the sample logs hours; a survey states percent
        # no account came from the sales ledger, whose margins the accounts' cost to serve uses
        not_ingested = ("source", "gross_margin") if name == "accounts" else ()
        unsegmented = ("segment",)  # one set of criteria for every account: its figures are worked out by hand
        left_out = survey_only + not_ingested + unsegmented
        contract = tuple(c for c in SHEETS_BY_NAME[name].column_names if c not in left_out)
        assert tuple(frame.columns) == contract + extra


def test_competences_rate_every_kam_on_the_methods_competences(sample):
    competences, kams = sample["competences"], sample["kams"]
    defaults = {
        "analysis_planning",
        "emotional_leadership",
        "relational_intelligence",
        "empathy",
        "drive",
        "senior_negotiation",
        "cultural_versatility",
        "profitability_orientation",
    }
    assert set(competences["competence"]) == defaults
    supplier = competences[competences["side"] == "supplier"]
    assert (supplier.groupby(["kam_id", "competence"])["assessor"].nunique() >= 2).all()  # director and self
    assert set(supplier["kam_id"]) == set(kams["kam_id"]) and competences["score"].between(1, 5).all()
    assert 2 <= competences.loc[competences["side"] == "customer", "kam_id"].nunique() < len(kams)
    assert kams["max_accounts"].sum() >= len(sample["accounts"])  # capacity for every account


def test_accounts(sample):
    accounts = sample["accounts"]
    assert 44 <= len(accounts) <= 52
    assert accounts["account_id"].is_unique and accounts["account_id"].is_monotonic_increasing
    assert accounts["name"].is_unique
    assert accounts["name"].str.contains("ñ").any()
    assert accounts["name"].str.contains("[áéíóú]").any()
    assert set(accounts["sector"]) == set(SECTORS)
    countries = accounts["country"].value_counts()
    assert set(countries.index) == {"ES", "PT", "FR"} and countries["ES"] > len(accounts) / 2
    revenue = accounts["revenue"]
    assert (revenue > 0).all()
    assert (revenue > 2_000_000).sum() >= 4 and revenue.max() > 5_000_000
    assert revenue.between(100_000, 600_000).sum() >= len(accounts) / 3
    assert revenue.median() < revenue.mean()


def test_kams_and_their_portfolios(sample):
    kams, accounts = sample["kams"], sample["accounts"]
    assert len(kams) == 7 and kams["kam_id"].is_unique
    assert kams["capacity_hours"].between(1_600, 1_750).all()
    assert (accounts["kam_id"] != "").all()
    assert set(accounts["kam_id"]) == set(kams["kam_id"])
    assert accounts["kam_id"].value_counts().between(5, 9).all()


def test_criteria(sample):
    criteria = sample["criteria"].set_index("criterion_id")
    potential = criteria.index[criteria["axis"] == "potential"].tolist()
    assert potential == ["volume", "growth", "share_of_wallet", "profitability", "strategic_fit"]
    assert (criteria["axis"] == "position").sum() == 5
    assert {"service_level", "product_quality", "relationship", "price_competitiveness", "incidents"} <= set(
        criteria.index
    )
    assert (criteria["label_es"] != "").all() and (criteria["label_en"] != "").all()
    assert (criteria["weight"] > 0).all()
    assert criteria.loc["incidents", ["scale_min", "scale_max", "higher_is_better"]].tolist() == [0, 20, False]
    assert ((criteria["scale_min"] != 1) | (criteria["scale_max"] != 10)).sum() >= 2


def test_scores_cover_every_account_and_criterion_within_scale(sample):
    scores, criteria = sample["scores"], sample["criteria"]
    theirs = scores[scores["side"] == "customer"]
    scores = scores[scores["side"] == ""]  # ours: the customer survey is checked below
    assert len(scores) + len(theirs) == len(sample["scores"])
    latest = scores[scores["period"] == "2026-H1"]
    cells = latest.drop_duplicates(["account_id", "criterion_id"])
    assert len(cells) == len(sample["accounts"]) * len(criteria)
    merged = scores.merge(criteria, on="criterion_id")
    assert merged["score"].between(merged["scale_min"], merged["scale_max"]).all()
    assert set(scores["period"]) == {"2025-H2", "2026-H1"}
    assert (scores["assessor"] != "").all()
    assert not scores.duplicated(["period", "account_id", "criterion_id", "assessor"]).any()
    assert scores.equals(scores.sort_values(["period", "account_id"], kind="stable"))


def test_the_customer_survey_scores_only_our_position(sample):
    scores, criteria = sample["scores"], sample["criteria"]
    theirs = scores[scores["side"] == "customer"].merge(criteria, on="criterion_id")
    assert set(theirs["axis"]) == {"position"} and set(theirs["assessor"]) == {"Encuesta a clientes 2026"}
    assert theirs["account_id"].nunique() == 8 and set(theirs["period"]) == {"2026-H1"}
    assert theirs["score"].between(theirs["scale_min"], theirs["scale_max"]).all()
    assert theirs.groupby("account_id").size().eq(int((criteria["axis"] == "position").sum())).all()


def test_about_half_the_accounts_have_an_earlier_round(sample):
    scores = sample["scores"]
    earlier = scores.loc[scores["period"] == "2025-H2", "account_id"].unique()
    assert 0.4 * len(sample["accounts"]) <= len(earlier) <= 0.6 * len(sample["accounts"])
    assert scores[scores["period"] == "2025-H2"].groupby("account_id").size().eq(len(sample["criteria"])).all()
    before, now = composites(sample, "2025-H2"), composites(sample)
    moved = (before["quadrant"] != now.loc[before.index, "quadrant"]).sum()
    assert 1 <= moved <= 10
    assert not np.allclose(before[list(AXES)].to_numpy(), now.loc[before.index, list(AXES)].to_numpy())


def test_about_ten_accounts_have_two_assessors_who_disagree_a_little(sample):
    ours = sample["scores"][sample["scores"]["side"] == ""]
    scores = ours.merge(sample["criteria"], on="criterion_id")
    latest = scores[scores["period"] == "2026-H1"]
    per_account = latest.groupby("account_id")["assessor"].nunique()
    assert 8 <= (per_account == 2).sum() <= 12 and per_account.max() == 2
    span = latest["scale_max"] - latest["scale_min"]
    latest = latest.assign(n=(latest["score"] - latest["scale_min"]) / span)
    spread = latest.groupby(["account_id", "criterion_id"])["n"].agg(lambda n: n.max() - n.min())
    doubled = spread[per_account[per_account == 2].index]
    assert (doubled > 0).mean() > 0.3
    assert doubled.max() <= 0.25  # two points of ten, one of a 1–5 scale


def test_kpis_state_their_unit_percentages_in_points_amounts_in_currency(sample):
    kpis = sample["kpis"]
    assert set(kpis["unit"]) == {"%", "currency", "number"}
    values = kpis[["target", "actual"]].apply(pd.to_numeric)
    percent, amounts = values[kpis["unit"] == "%"], values[kpis["unit"] == "currency"]
    assert (percent >= 1).all().all() and (percent < 100).all().all()  # 6.0 for 6 %, never 0.06
    assert set(kpis.loc[kpis["unit"] == "currency", "kpi"]) == {"Volumen de ventas"}
    assert (amounts >= 100_000).all().all() and (amounts == amounts.round()).all().all()


def test_accounts_fall_in_all_four_quadrants(sample):
    result = composites(sample)
    assert len(result) == len(sample["accounts"])
    counts = result["quadrant"].value_counts()
    assert 8 <= counts["invest"] <= 10
    for quadrant in ("selective", "maintain", "milk"):
        assert 10 <= counts[quadrant] <= 14


def test_time_records_look_like_a_year_of_work(sample):
    time, accounts = sample["time"], sample["accounts"]
    assert 2_000 <= len(time) <= 4_000
    assert set(time["activity"]) == set(ACTIVITIES)
    assert set(time["period"]) == {f"2025-{m:02d}" for m in range(1, 13)}
    assert set(time["kam_id"]) == set(sample["kams"]["kam_id"])
    assert (time["hours"] > 0).all()
    monthly = time.groupby(["kam_id", "period"])["hours"].sum()
    assert len(monthly) == 7 * 12 and monthly.between(128, 147).all()

    linked = time[time["account_id"] != ""]
    assert 0.2 * len(time) < len(linked) < 0.9 * len(time)
    assert set(linked["activity"]) <= ACCOUNT_ACTIVITIES
    owner = accounts.set_index("account_id")["kam_id"]
    assert (linked["account_id"].map(owner) == linked["kam_id"]).all()
    assert (time.loc[time["account_id"] == "", "activity"].value_counts() > 0).all()


def test_kam_time_profiles_differ_from_the_reference(sample):
    time = sample["time"]
    share = time.pivot_table(index="kam_id", columns="activity", values="hours", aggfunc="sum")
    share = 100 * share.div(share.sum(axis=1), axis=0)
    assert (share["selling"] >= 2.5 * REFERENCE_PROFILE["selling"]).sum() == 1
    buried = share["problem_solving"] + share["reporting"]
    reference = REFERENCE_PROFILE["problem_solving"] + REFERENCE_PROFILE["reporting"]
    assert (buried >= reference + 20).sum() == 1
    assert (share["selling"].idxmax()) != buried.idxmax()


def test_kam_sample_copies_the_bundled_sample_to_a_new_folder(tmp_path, capsys):
    from kamlib import cli
    from kamlib.engagement import SAMPLE_LEDGER_PATH, SAMPLE_PATH

    assert cli.main(["sample", str(tmp_path / "muestra")]) == 0
    copied = sorted(p.name for p in (tmp_path / "muestra").iterdir())
    assert copied == sorted(p.name for p in SAMPLE_PATH.iterdir()) and "accounts.csv" in copied
    assert all((tmp_path / "muestra" / n).read_bytes() == (SAMPLE_PATH / n).read_bytes() for n in copied)
    (tmp_path / "empty").mkdir()
    assert cli.main(["sample", str(tmp_path / "empty"), "--ledger"]) == 0  # an empty folder is fine
    ledger = sorted(p.name for p in SAMPLE_LEDGER_PATH.iterdir())
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == ledger
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp folder left
    capsys.readouterr()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_kam_sample_never_writes_into_a_folder_that_holds_something(tmp_path, capsys, lang):
    from kamlib import cli

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "accounts.csv").write_text("mine", encoding="utf-8")
    assert cli.main(["--lang", lang, "sample", str(tmp_path / "mine")]) == 2
    said = {"en": "already exists and is not an empty folder", "es": "ya existe y no es una carpeta vacía"}
    assert said[lang] in capsys.readouterr().err
    assert (tmp_path / "mine" / "accounts.csv").read_text(encoding="utf-8") == "mine"


def test_kam_sample_refuses_a_link_and_kamlibs_own_folder(tmp_path):
    from kamlib.engagement import SAMPLE_PATH, copy_sample
    from kamlib.errors import KamError

    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(KamError, match="already exists and is not an empty folder"):
        copy_sample(tmp_path / "link")
    with pytest.raises(KamError, match="inside kamlib's own folder"):
        copy_sample(SAMPLE_PATH / "sub")
    assert not (SAMPLE_PATH / "sub").exists()


def test_kam_sample_keeps_an_empty_folders_mode_and_leaves_nothing_when_a_write_fails(tmp_path, monkeypatch):
    from kamlib.engagement import copy_sample
    from kamlib.errors import KamError

    (tmp_path / "mine").mkdir(mode=0o750)
    copy_sample(tmp_path / "mine")
    assert (tmp_path / "mine").stat().st_mode & 0o777 == 0o750 and len(list((tmp_path / "mine").iterdir())) > 5
    calls = []
    real = Path.replace

    def third_fails(self, target):
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", third_fails)
    with pytest.raises(KamError, match=r"new: the sample could not be written \(No space left on device\)"):
        copy_sample(tmp_path / "deep" / "new")
    assert not (tmp_path / "deep" / "new").exists()  # made by the copy, so removed with what it held
    (tmp_path / "empty").mkdir()
    calls.clear()
    with pytest.raises(KamError, match="nothing was kept"):
        copy_sample(tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []  # the user's folder stays, empty as it was
