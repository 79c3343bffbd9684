"""Synthetic engagements: the workbook contract, their promises about scores and time, determinism, writing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kamlib.method import ACTIVITIES, AXES
from kamlib.synthetic import make_engagement_frames, make_score_matrix, write_engagement
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME

SHEET_NAMES = tuple(s.name for s in SHEETS if s.required or s.name == "competences")
"""What a synthetic engagement holds: the required sheets and competences (not the key-account plan's)."""


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return make_engagement_frames(500, n_criteria=12, n_kams=9, n_time_records=2_000, seed=7)


def test_the_five_sheets_have_the_contract_columns(frames):
    assert tuple(frames) == SHEET_NAMES
    for name, frame in frames.items():
        extra = ("country",) if name == "accounts" else ()
        left_out = ("percent", "target_potential", "target_position", "source", "parent_id", "segment")  # hours; no
        # targets, ingest, groups or segments (`with_segments` adds them)
        left_out += ("side",) if name == "scores" else ()  # no customer scores
        contract = tuple(c for c in SHEETS_BY_NAME[name].column_names if c not in left_out)
        assert tuple(frame.columns) == contract + extra


def test_shapes(frames):
    assert len(frames["accounts"]) == 500
    assert len(frames["criteria"]) == 12
    assert len(frames["kams"]) == 9
    assert len(frames["time"]) == 2_000
    assert len(frames["competences"]) == 9 * 8 and frames["competences"]["score"].between(1, 5).all()
    assert frames["kams"]["max_accounts"].sum() >= 500  # room for every account
    assert 0.96 * 500 * 12 <= len(frames["scores"]) <= 500 * 12


def test_ids_are_unique_text(frames):
    for name, key, example in (
        ("accounts", "account_id", "A0000001"),
        ("criteria", "criterion_id", "C01"),
        ("kams", "kam_id", "K001"),
    ):
        ids = frames[name][key]
        assert ids.is_unique
        assert ids.iloc[0] == example
        assert all(isinstance(v, str) for v in ids)
    assert not frames["scores"].duplicated(["account_id", "criterion_id"]).any()


def test_references_point_at_existing_keys(frames):
    accounts, kams = set(frames["accounts"]["account_id"]), set(frames["kams"]["kam_id"])
    assert set(frames["accounts"]["kam_id"]) <= kams
    assert set(frames["scores"]["account_id"].astype(str)) == accounts
    assert set(frames["scores"]["criterion_id"].astype(str)) == set(frames["criteria"]["criterion_id"])
    time = frames["time"]
    assert set(time["kam_id"].astype(str)) <= kams
    assert set(time["account_id"].dropna().astype(str)) <= accounts


def test_criteria_split_over_the_axes(frames):
    criteria = frames["criteria"]
    counts = criteria["axis"].value_counts()
    assert set(counts.index) == set(AXES)
    assert abs(counts["potential"] - counts["position"]) <= 1
    assert (criteria["weight"] > 0).all()
    assert (criteria["scale_min"] == 1).all() and (criteria["scale_max"] == 10).all()
    assert (~criteria["higher_is_better"]).sum() == round(0.2 * 12)


def test_scores_within_scales_and_about_two_percent_missing():
    frames = make_engagement_frames(5_000, n_criteria=20, seed=3)
    scores = frames["scores"].merge(frames["criteria"], on="criterion_id")
    assert scores["score"].between(scores["scale_min"], scores["scale_max"]).all()
    assert scores["score"].notna().all()
    missing = 1 - len(frames["scores"]) / (5_000 * 20)
    assert 0.015 < missing < 0.025


def test_every_account_keeps_a_score_on_each_axis():
    # 2 criteria: each account has one criterion per axis, so 2 % missing would empty an axis without the guard
    frames = make_engagement_frames(20_000, n_criteria=2, seed=11)
    axis = frames["scores"]["criterion_id"].astype(str).map(frames["criteria"].set_index("criterion_id")["axis"])
    per_account = pd.crosstab(frames["scores"]["account_id"].astype(str), axis)
    assert len(per_account) == 20_000
    assert (per_account[list(AXES)] >= 1).all().all()


def test_the_four_quadrants_are_all_populated(frames):
    scores = frames["scores"].merge(frames["criteria"], on="criterion_id")
    n = (scores["score"] - scores["scale_min"]) / (scores["scale_max"] - scores["scale_min"])
    scores["n"] = np.where(scores["higher_is_better"], n, 1 - n)
    scores["wn"] = scores["weight"] * scores["n"]
    grouped = scores.groupby(["account_id", "axis"], observed=True)[["wn", "weight"]].sum()
    composite = (10 * grouped["wn"] / grouped["weight"]).unstack()
    sides = (composite["potential"] >= 5).astype(int) * 2 + (composite["position"] >= 5).astype(int)
    assert sides.value_counts().min() >= 0.1 * len(composite)
    assert sides.nunique() == 4


def test_time_records(frames):
    time = frames["time"]
    assert set(time["activity"].astype(str)) <= set(ACTIVITIES)
    assert (time["hours"] >= 0).all()
    assert set(time["period"].astype(str)) == {f"2025-{m:02d}" for m in range(1, 13)}
    linked = time["account_id"].notna()
    assert 0 < linked.sum() < len(time)
    assert set(time.loc[linked, "activity"].astype(str)) <= {
        "relationships",
        "negotiation",
        "selling",
        "problem_solving",
    }
    owner = frames["accounts"].set_index("account_id")["kam_id"]
    assert (time.loc[linked, "account_id"].astype(str).map(owner) == time.loc[linked, "kam_id"].astype(str)).all()


def test_no_time_records_by_default():
    frames = make_engagement_frames(10, seed=1)
    assert frames["time"].empty
    assert tuple(frames["time"].columns) == ("kam_id", "account_id", "activity", "hours", "period")
    assert len(frames["kams"]) == 2


def test_accounts_columns(frames):
    accounts = frames["accounts"]
    assert (accounts["revenue"] >= 0).all()
    assert set(accounts["country"]) <= {"ES", "PT", "FR"}
    assert accounts["name"].notna().all() and accounts["sector"].notna().all()


def test_same_seed_same_frames_other_seed_other_frames():
    first = make_engagement_frames(300, n_criteria=8, n_time_records=100, seed=5)
    again = make_engagement_frames(300, n_criteria=8, n_time_records=100, seed=5)
    other = make_engagement_frames(300, n_criteria=8, n_time_records=100, seed=6)
    for name in SHEET_NAMES:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["scores"]["score"].reset_index(drop=True).equals(other["scores"]["score"].reset_index(drop=True))


def test_sizes_are_checked():
    with pytest.raises(ValueError, match="n_accounts must be at least 1; got 0"):
        make_engagement_frames(0)
    with pytest.raises(ValueError, match=r"n_criteria must be at least 2 \(one per axis\); got 1"):
        make_engagement_frames(5, n_criteria=1)
    with pytest.raises(ValueError, match=r"time records need at least one KAM"):
        make_engagement_frames(5, n_kams=0, n_time_records=3)


def test_engagement_without_kams_leaves_kam_empty():
    frames = make_engagement_frames(5, n_kams=0)
    assert frames["kams"].empty
    assert frames["accounts"]["kam_id"].isna().all()


def test_score_matrix():
    matrix, weights, axis = make_score_matrix(1_000, 20, seed=2)
    assert matrix.shape == (1_000, 20) and matrix.dtype == np.float64
    assert not np.isnan(matrix).any()
    assert matrix.min() >= 1 and matrix.max() <= 10
    assert weights.shape == (20,) and (weights > 0).all()
    assert set(axis.tolist()) == {0, 1} and (axis == 0).sum() == 10
    again = make_score_matrix(1_000, 20, seed=2)
    for a, b in zip((matrix, weights, axis), again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_large_engagement_is_vectorised():
    frames = make_engagement_frames(200_000, n_criteria=20, n_time_records=50_000, seed=0)
    assert len(frames["accounts"]) == 200_000
    assert frames["accounts"]["account_id"].iloc[-1] == "A0200000"


def _read_back_csv(folder) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False) for name in SHEET_NAMES}


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Render a frame's cells the way a CSV round trip with dtype=str shows them."""
    out = frame.astype(object).where(frame.notna(), "")
    return out.map(lambda v: v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v)).astype(str)


def test_csv_round_trip(tmp_path, frames):
    target = tmp_path / "engagement"
    assert write_engagement(frames, target) == target
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{n}.csv" for n in SHEET_NAMES)
    back = _read_back_csv(target)
    for name in SHEET_NAMES:
        pd.testing.assert_frame_equal(
            back[name].reset_index(drop=True), _as_text(frames[name]).reset_index(drop=True), check_dtype=False
        )
    raw = (target / "accounts.csv").read_bytes()
    assert raw.startswith(b"account_id,name,sector,kam_id,revenue,gross_margin,last_reviewed,country\n")
    assert b"\r\n" not in raw


def test_csv_folder_is_replaced_file_by_file_and_keeps_other_files(tmp_path, frames):
    target = tmp_path / "engagement"
    target.mkdir()
    (target / "README.md").write_text("notes", encoding="utf-8")
    (target / "scores.csv").write_text("stale", encoding="utf-8")
    write_engagement(frames, target)
    assert (target / "README.md").read_text(encoding="utf-8") == "notes"
    assert (target / "scores.csv").read_text(encoding="utf-8").startswith("account_id,criterion_id,score")
    assert not [p for p in target.iterdir() if p.name.startswith(".")]


def test_xlsx_round_trip(tmp_path):
    frames = make_engagement_frames(40, n_criteria=6, n_kams=4, n_time_records=60, seed=9)
    target = tmp_path / "out" / "engagement.xlsx"
    assert write_engagement(frames, target) == target
    assert [p.name for p in target.parent.iterdir()] == ["engagement.xlsx"]
    back = pd.read_excel(target, sheet_name=None, engine="openpyxl")
    assert list(back) == list(SHEET_NAMES)
    for name in SHEET_NAMES:
        expected = frames[name].reset_index(drop=True)
        got = back[name]
        assert list(got.columns) == list(expected.columns)
        for column in expected.columns:
            want = expected[column]
            if want.dtype.kind in "fb":
                np.testing.assert_array_equal(got[column].to_numpy(), want.to_numpy())
            else:
                assert (
                    got[column].fillna("").astype(str).tolist() == want.astype(object).fillna("").astype(str).tolist()
                )


def test_xlsx_refuses_more_rows_than_excel_holds(tmp_path):
    frames = {"scores": pd.DataFrame({"score": np.zeros(1_048_576)})}
    with pytest.raises(ValueError, match=r"an Excel sheet holds at most 1,048,575 data rows; too long: scores"):
        write_engagement(frames, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_other_suffixes_are_refused(tmp_path, frames):
    with pytest.raises(ValueError, match=r"writes a folder \(no suffix\) or an \.xlsx file"):
        write_engagement(frames, tmp_path / "engagement.ods")


def test_make_synthetic_script_writes_a_valid_engagement(tmp_path):
    import subprocess
    import sys

    import kamlib

    root = Path(__file__).resolve().parents[1]
    for out in (tmp_path / "big", tmp_path / "big.xlsx"):
        result = subprocess.run(
            [
                sys.executable,
                str(root / "scripts" / "make_synthetic.py"),
                "300",
                str(out),
                "--criteria",
                "8",
                "--time-records",
                "500",
                "--seed",
                "3",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        engagement = kamlib.load(out)
        assert (len(engagement.accounts), len(engagement.criteria), len(engagement.time)) == (300, 8, 500)
    bad = subprocess.run(
        [sys.executable, str(root / "scripts" / "make_synthetic.py"), "0", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_grown_sample_keeps_every_sheet_and_copies_each_accounts_rows(tmp_path: Path) -> None:
    from kamlib.engagement import SAMPLE_PATH, load
    from kamlib.synthetic import grow_frames

    sample = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in SAMPLE_PATH.glob("*.csv")}
    grown = grow_frames(sample, 50)
    assert grown.keys() == sample.keys()
    accounts = grown["accounts"]
    assert len(accounts) == 50 and accounts["account_id"].is_unique
    assert accounts["account_id"].tolist()[-2:] == ["A001-1", "A002-1"]  # the first two, copied
    assert accounts["name"].iloc[-1] == accounts["name"].iloc[1] + " (1)"
    for sheet in ("scores", "time", "kpis", "stakeholders", "ledger_metrics", "whitespace"):
        frame, old = grown[sheet], sample[sheet]
        for copy, source in (("A001-1", "A001"), ("A002-1", "A002")):
            mine = frame[frame["account_id"] == copy].drop(columns="account_id").reset_index(drop=True)
            theirs = old[old["account_id"] == source].drop(columns="account_id").reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, theirs)  # the same rows, under the new id
    assert grown["criteria"] is sample["criteria"] and grown["kams"] is sample["kams"]  # sheets of no account
    engagement = load(write_engagement(grown, tmp_path / "grown"))  # a valid workbook
    assert len(engagement.accounts) == 50
    smaller = grow_frames(sample, 10)
    assert len(smaller["accounts"]) == 10 and set(smaller["scores"]["account_id"]) <= set(
        smaller["accounts"]["account_id"]
    )
