"""KAM time allocation: hand-worked figures on the tiny engagement, properties, surveys, periods, findings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import kamlib
from kamlib.errors import KamError, KamWarning, WorkbookError
from kamlib.method import ACTIVITIES, REFERENCE_PROFILE
from kamlib.synthetic import make_engagement_frames
from kamlib.timealloc import (
    activity_matrix,
    aitchison_distance,
    allocate_time,
    profile_shares,
    replace_zeros,
    row_ranges,
    total_variation,
)
from kamlib.timeref import TimeReference

REF = np.array([REFERENCE_PROFILE[a] for a in ACTIVITIES])


def kam_rows(alloc, kam):
    return alloc.activities[alloc.activities["kam_id"] == kam].set_index("activity")


# --- hand-worked on tests/data/tiny ------------------------------------------------------------------
# K1: relationships 30 h (A1), reporting 12 h, selling 8.5 h (A2)          = 50.5 h
# K2: negotiation 20 h (A3), problem_solving 25 h, relationships 4 h (A4)  = 49 h (4 h in 2025-02)


def test_shares_and_gaps_by_hand(tiny):
    alloc = allocate_time(tiny)
    k1 = kam_rows(alloc, "K1")
    assert k1.loc["relationships", "share"] == pytest.approx(100 * 30 / 50.5)
    assert k1.loc["selling", "share"] == pytest.approx(100 * 8.5 / 50.5)
    assert k1.loc["planning", "share"] == 0
    assert k1.loc["reporting", "gap_pp"] == pytest.approx(100 * 12 / 50.5 - 10)
    assert k1["hours"].sum() == pytest.approx(50.5)


def test_total_variation_by_hand(tiny):
    # The time to move is 100 − Σ min(p, q): K1 only holds 20 + 10 + 10 of the reference, so 60 % must move.
    kams = allocate_time(tiny).kams.set_index("kam_id")
    assert kams.loc["K1", "tvd"] == pytest.approx(60.0)
    assert kams.loc["K2", "tvd"] == pytest.approx(100 - (100 * 4 / 49 + 15 + 15))


def test_team_pools_the_hours(tiny):
    alloc = allocate_time(tiny)
    team = alloc.activities[alloc.activities["scope"] == "team"].set_index("activity")
    assert team["kam_id"].isna().all()
    assert team.loc["relationships", "hours"] == 34
    assert team.loc["relationships", "share"] == pytest.approx(100 * 34 / 99.5)
    assert team["share"].sum() == pytest.approx(100)


def test_selling_share_and_capacity_by_hand(tiny):
    kams = allocate_time(tiny).kams.set_index("kam_id")
    assert kams.loc["K1", "selling_share"] == pytest.approx(100 * 8.5 / 50.5)
    assert kams.loc["K1", "selling_gap_pp"] == pytest.approx(100 * 8.5 / 50.5 - 10)
    assert kams.loc["K1", "capacity_hours"] == 1650
    assert kams.loc["K1", "utilisation"] == pytest.approx(100 * 50.5 / 1650)
    assert kams.loc["K2", "account_hours"] == 24


def test_type_roll_up(tiny):
    alloc = allocate_time(tiny)
    types = alloc.types[alloc.types["kam_id"] == "K1"].set_index("activity_type")
    # relationships + selling → relationships; reporting → implementation (the default mapping)
    assert types.loc["relationships", "share"] == pytest.approx(100 * 38.5 / 50.5)
    assert types.loc["implementation", "share"] == pytest.approx(100 * 12 / 50.5)
    assert types.loc["knowledge", "share"] == 0
    assert types["reference"].tolist() == [30, 60, 10]


def test_custom_roll_up_moves_selling(tiny):
    reference = TimeReference(activity_types={"selling": "implementation"})
    types = allocate_time(tiny, reference).types
    k1 = types[types["kam_id"] == "K1"].set_index("activity_type")
    assert k1.loc["relationships", "share"] == pytest.approx(100 * 30 / 50.5)
    assert k1.loc["implementation", "reference"] == 70


def test_time_by_strategy_by_hand(tiny):
    # A1 invest, A2 selective, A3 maintain, A4 milk (test_scoring.py works these out)
    strategy = allocate_time(tiny).strategy.set_index(["kam_id", "quadrant"])
    assert strategy.loc[("K1", "invest"), "share"] == pytest.approx(100 * 30 / 38.5)
    assert strategy.loc[("K1", "selective"), "share"] == pytest.approx(100 * 8.5 / 38.5)
    assert strategy.loc[("K2", "milk"), "share"] == pytest.approx(100 * 4 / 24)
    assert strategy.loc[("K2", "milk"), "status"] == "above"  # target at most 15 %
    assert strategy.loc[("K2", "maintain"), "status"] == "above"  # 83 % > 35 %
    assert strategy.loc[("K1", "invest"), "status"] == "ok"
    assert strategy.loc[("K1", "milk"), "status"] == "ok"  # no account there, 0 %: within 0–15 %
    assert strategy.loc[("K1", "invest"), "accounts"] == 1
    assert "unplaced" not in strategy.index.get_level_values("quadrant")


def test_findings_name_the_kam_and_the_strategy(tiny):
    findings = allocate_time(tiny).finding_rows
    milk = findings[(findings["kind"] == "strategy_above") & (findings["quadrant"] == "milk")]
    assert milk["kam_id"].tolist() == ["K2"]
    assert milk["message_en"].tolist() == [
        "K2 (Jordi Ibáñez) spends 16.7% of account time on Milk accounts; target at most 15%: about 0.4 h over."
    ]
    assert milk["message_es"].tolist() == [
        "K2 (Jordi Ibáñez) dedica el 16,7\xa0% del tiempo de cuentas a cuentas «Ordeñar»; objetivo como máximo "
        "15\xa0%: unas 0,4 h de más."
    ]
    assert milk["severity"].iloc[0] == pytest.approx((100 * 4 / 24 - 15) / 100 * 24)
    assert (findings["kind"] == "under_capacity").sum() == 2  # 50 h of 1,650 h


def test_scenario_quadrants_drive_strategy_time(tiny):
    scored = kamlib.score_scenario(tiny, kamlib.Scenario(name="all invest", cuts={"potential": 0, "position": 0}))
    strategy = allocate_time(tiny, scored=scored).strategy.set_index(["kam_id", "quadrant"])
    assert strategy.loc[("K1", "invest"), "share"] == 100
    assert strategy.loc[("K2", "invest"), "share"] == 100


def test_neglected_invest_account_is_flagged(tiny):
    time = tiny.time.copy()
    time.loc[time["account_id"] == "A1", "account_id"] = None  # A1 (invest) gets no account time at all
    engagement = kamlib.Engagement.from_frames(
        {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams, "time": time}
    )
    alloc = allocate_time(engagement)
    accounts = alloc.accounts.set_index("account_id")
    assert accounts.loc["A1", "hours"] == 0 and bool(accounts.loc["A1", "neglected"])
    assert not accounts["neglected"].drop("A1").any()
    neglected = alloc.finding_rows[alloc.finding_rows["kind"] == "invest_neglected"]
    assert neglected["account_id"].tolist() == ["A1"]
    assert neglected["message_en"].iloc[0].startswith("Invest account A1 (Supermercados Peñíscola, KAM K1) got 0.0 h")


def test_period_selects_records_and_prorates_capacity(tiny):
    alloc = allocate_time(tiny, period="2025-02")
    assert alloc.periods == ("2025-02",)
    kams = alloc.kams.set_index("kam_id")
    assert np.isnan(kams.loc["K1", "tvd"]) and kams.loc["K1", "hours"] == 0
    assert kams.loc["K2", "capacity_hours"] == 850  # one of the sheet's two periods
    assert kam_rows(alloc, "K2").loc["relationships", "share"] == 100
    assert "K1 (María Núñez) has no time recorded." in set(alloc.finding_rows["message_en"])
    assert allocate_time(tiny, period="2025").periods == ("2025-01", "2025-02")


def test_unknown_period_names_the_known_ones(tiny):
    with pytest.raises(KamError, match=r"no time records in period '2024'; periods: 2025-01, 2025-02"):
        allocate_time(tiny, period="2024")


def test_table_has_the_documented_columns(tiny):
    table = allocate_time(tiny).long_table()
    for column in ("kam_id", "activity", "hours", "share", "reference", "gap_pp", "tvd"):
        assert column in table
    assert len(table) == 3 * len(ACTIVITIES)  # two KAMs and the team
    assert set(allocate_time(tiny).long_table("K2")["kam_id"]) == {"K2"}


# --- the array functions ---------------------------------------------------------------------------


def test_activity_matrix_sums_per_kam_and_activity():
    m = activity_matrix(np.array([1, 1, 0]), np.array([8, 8, 0]), np.array([1.5, 2.0, 3.0]), 2)
    assert m.shape == (2, 9) and m[1, 8] == 3.5 and m[0, 0] == 3.0 and m.sum() == 6.5


profiles = arrays(np.float64, 9, elements=st.floats(0, 1000, allow_nan=False)).filter(lambda a: a.sum() > 1e-3)


@settings(max_examples=200, deadline=None)
@given(profiles, profiles, st.floats(0.01, 5))
def test_distance_properties(a, b, zero_share):
    p, q = profile_shares(a), profile_shares(b)
    tvd = total_variation(p, q)
    assert -1e-9 <= tvd <= 100 + 1e-9
    assert tvd == pytest.approx(total_variation(q, p))
    assert total_variation(p, p) == pytest.approx(0, abs=1e-9)
    assert tvd == pytest.approx(100 - np.minimum(p, q).sum(), abs=1e-6)
    d = aitchison_distance(p, q, zero_share)
    assert d >= 0 and d == pytest.approx(aitchison_distance(q, p, zero_share))
    assert aitchison_distance(p, p, zero_share) == pytest.approx(0, abs=1e-9)
    assert aitchison_distance(profile_shares(a * 7.0), q, zero_share) == pytest.approx(d)  # scale-free
    assert replace_zeros(p, zero_share).sum() == pytest.approx(100)


def test_zero_replacement_keeps_ratios():
    replaced = replace_zeros(np.array([60.0, 30.0, 0.0, 10.0]), 0.5)
    assert replaced[2] == 0.5
    assert replaced[0] / replaced[1] == pytest.approx(2)
    assert replaced.sum() == pytest.approx(100)


def test_row_ranges():
    assert row_ranges(np.array([9, 2, 3, 4])) == "2–4, 9"
    assert row_ranges(np.arange(2, 40, 2), limit=2) == "2, 4, …"


# --- a larger engagement against a plain pandas computation --------------------------------------


def test_agrees_with_pandas_groupby_on_synthetic_records():
    frames = make_engagement_frames(200, n_kams=12, n_time_records=50_000, seed=3)
    engagement = kamlib.Engagement(name="synthetic", source=None, **frames)
    alloc = allocate_time(engagement, period="2025-Q2")
    time = frames["time"]
    time = time[time["period"].isin(["2025-04", "2025-05", "2025-06"])]
    hours = time.groupby(["kam_id", "activity"], observed=False)["hours"].sum().unstack()[list(ACTIVITIES)]
    shares = hours.div(hours.sum(axis=1), axis=0) * 100
    mine = alloc.activities[alloc.activities["scope"] == "kam"].pivot(
        index="kam_id", columns="activity", values="share"
    )
    np.testing.assert_allclose(mine.loc[shares.index.astype(str), list(ACTIVITIES)].to_numpy(), shares.to_numpy())
    tvd = 0.5 * (shares - REF).abs().sum(axis=1)
    np.testing.assert_allclose(alloc.kams.set_index("kam_id").loc[tvd.index.astype(str), "tvd"], tvd)
    on_accounts = time.dropna(subset=["account_id"]).groupby("kam_id", observed=False)["hours"].sum()
    np.testing.assert_allclose(
        alloc.kams.set_index("kam_id").loc[on_accounts.index.astype(str), "account_hours"], on_accounts
    )


# --- survey input (stated percentages) ------------------------------------------------------------


def survey(tiny, rows):
    time = pd.DataFrame(rows, columns=["kam_id", "activity", "percent", "period"])
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams}
    return kamlib.Engagement.from_frames({**sheets, "time": time})


BALANCED = [
    ("K1", "relationships", 40, "2025"),
    ("K1", "selling", 10, "2025"),
    ("K1", "reporting", 50, "2025"),
    ("K2", "relationships", 20, "2025"),
    ("K2", "other", 80, "2025"),
]


def test_survey_profiles(tiny):
    engagement = survey(tiny, BALANCED)
    assert engagement.time_unit == "percent"
    alloc = allocate_time(engagement)
    assert alloc.unit == "percent"
    k1 = kam_rows(alloc, "K1")
    assert k1.loc["reporting", "share"] == 50 and np.isnan(k1.loc["reporting", "hours"])
    assert alloc.kams.set_index("kam_id").loc["K1", "tvd"] == pytest.approx(100 - (20 + 10 + 10))
    team = alloc.activities[alloc.activities["scope"] == "team"].set_index("activity")
    assert team.loc["relationships", "share"] == 30  # the mean of the two KAMs' stated profiles
    assert alloc.strategy.empty and alloc.accounts.empty
    assert np.isnan(alloc.kams["utilisation"]).all()


def test_survey_periods_are_averaged(tiny):
    rows = [("K1", "relationships", 100, "2025-H1"), ("K1", "selling", 100, "2025-H2")]
    k1 = kam_rows(allocate_time(survey(tiny, rows)), "K1")
    assert k1.loc["relationships", "share"] == 50 and k1.loc["selling", "share"] == 50


def test_survey_rows_that_do_not_add_up_are_named(tiny):
    rows = [*BALANCED[:2], ("K1", "reporting", 45, "2025"), *BALANCED[3:]]
    engagement = survey(tiny, rows)
    with pytest.raises(WorkbookError) as caught:
        allocate_time(engagement)
    assert caught.value.render("en") == (
        'engagement, sheet "time", row 2, column "percent": the stated shares of KAM "K1" in period \'2025\' '
        "(rows 2–4) add up to 95; allowed: a total of 100 (±0.5) per KAM and period, or ask for them to be "
        "rescaled to 100 (kam time --normalise)."
    )
    assert 'hoja "time", fila 2, columna "percent": los porcentajes declarados del KAM "K1"' in caught.value.render(
        "es"
    )
    with pytest.warns(KamWarning, match=r"rescaled to 100 as asked \(--normalise\):\n.*add up to 95"):
        alloc = allocate_time(engagement, normalise=True)
    assert kam_rows(alloc, "K1").loc["reporting", "share"] == pytest.approx(100 * 45 / 95)


def test_survey_within_tolerance_passes(tiny):
    rows = [*BALANCED[:2], ("K1", "reporting", 49.6, "2025"), *BALANCED[3:]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        allocate_time(survey(tiny, rows))
    with pytest.raises(WorkbookError):
        allocate_time(survey(tiny, rows), TimeReference(survey_tolerance=0.1))


def test_survey_sheet_rules_are_checked_at_load(tiny):
    time = pd.DataFrame(
        {
            "kam_id": ["K1", "K1", "K2"],
            "account_id": [None, "A1", None],
            "activity": ["selling", "other", "other"],
            "hours": [None, None, 3],
            "percent": ["40", 160, None],
            "period": ["2025"] * 3,
        }
    )
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams}
    with pytest.raises(WorkbookError) as caught:
        kamlib.Engagement.from_frames({**sheets, "time": time})
    lines = caught.value.render("en").splitlines()
    assert lines == [
        'engagement, sheet "time", row 3, column "account_id": got \'A1\'; allowed: an empty cell: this sheet '
        "states percent (column percent), so account_id stays empty.",
        'engagement, sheet "time", row 3, column "percent": got 160; allowed: a number from 0 to 100 (decimal comma '
        "or point).",
        'engagement, sheet "time", row 4, column "hours": got 3; allowed: an empty cell: this sheet states percent '
        "(column percent), so hours stays empty.",
        'engagement, sheet "time", row 4, column "percent": empty cell; this column needs a value; allowed: a number '
        "from 0 to 100 (decimal comma or point).",
    ]


def test_time_sheet_needs_hours_or_percent(tiny):
    time = tiny.time.drop(columns=["hours", "percent"])
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams}
    with pytest.raises(WorkbookError, match=r'sheet "time": missing column "hours"; required columns: kam_id, '):
        kamlib.Engagement.from_frames({**sheets, "time": time})
    with_gap = tiny.time.drop(columns=["percent"]).astype({"hours": object})
    with_gap.loc[2, "hours"] = None
    with pytest.raises(WorkbookError, match=r'sheet "time", row 4, column "hours": empty cell'):
        kamlib.Engagement.from_frames({**sheets, "time": with_gap})


def test_kam_table_and_findings_for_people(tiny):
    alloc = allocate_time(tiny)
    summary = alloc.kam_table("es").set_index("KAM")
    assert summary.loc["K1", "Tiempo a mover %"] == 60.0
    assert summary.loc["K1", "Horas registradas"] == 50.5
    assert list(alloc.kam_table("en").columns[:3]) == ["KAM", "Name", "Hours logged"]
    assert alloc.findings("es") == alloc.finding_rows["message_es"].tolist() and alloc.findings("es")
    survey_summary = allocate_time(survey(tiny, BALANCED)).kam_table("en")
    assert "Hours logged" not in survey_summary and "Time to move %" in survey_summary


def test_survey_typed_as_percentages_in_excel_and_csv(tiny, tmp_path):
    import openpyxl

    from kamlib.synthetic import write_engagement

    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams}
    time = pd.DataFrame(BALANCED, columns=["kam_id", "activity", "percent", "period"])
    time["percent"] = time["percent"] / 100  # Excel stores 40 % as 0.4 …
    path = write_engagement({**sheets, "time": time}, tmp_path / "survey.xlsx")
    book = openpyxl.load_workbook(path)
    for (cell,) in book["time"].iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "0%"  # … and shows it as "40%"
    book["time"]["C6"].number_format = '0" %"'  # a literal "%" after the number: 80 shows as "80 %" …
    book["time"]["C6"].value = 80  # … so the value is 80, not 8000
    book.save(path)
    shown = kamlib.load(path)
    assert shown.time["percent"].tolist() == [40, 10, 50, 20, 80]
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, frame in sheets.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / "time.csv").write_text(
        "kam_id,activity,percent,period\n" + "".join(f"{k},{a},{p} %,{y}\n" for k, a, p, y in BALANCED),
        encoding="utf-8",
    )
    assert kamlib.load(folder).time["percent"].tolist() == [40, 10, 50, 20, 80]


def test_summary_line_says_a_survey_is_one(tiny):
    assert survey(tiny, BALANCED).summary().endswith("2 KAMs, 5 time records (survey percentages)")
    assert tiny.summary().split(";")[0].endswith("2 KAMs, 6 time records")


# --- what a second read found --------------------------------------------------------------------


def with_time(tiny, time):
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "scores": tiny.scores, "kams": tiny.kams}
    return kamlib.Engagement.from_frames({**sheets, "time": time})


def test_mixed_monthly_and_quarterly_records(tiny):
    months = [("K1", None, "selling", 10.0, f"2025-{m:02d}") for m in range(1, 13)]
    quarters = [("K2", None, "other", 30.0, f"2025-Q{q}") for q in range(1, 5)]
    engagement = with_time(tiny, pd.DataFrame(months + quarters, columns=list(tiny.time.columns[:5])))
    half = allocate_time(engagement, period="2025-H1").kams.set_index("kam_id")
    assert half.loc["K2", "hours"] == 60 and half.loc["K1", "hours"] == 60  # Q1, Q2 and six months
    assert half.loc["K1", "capacity_hours"] == pytest.approx(1650 / 2)
    january = allocate_time(engagement, period="2025-01").kams.set_index("kam_id")
    assert january.loc["K1", "capacity_hours"] == pytest.approx(1650 / 12)  # a month of the year the sheet covers
    assert allocate_time(engagement, period="2025-S1").periods == allocate_time(engagement, period="2025-H1").periods


def test_free_period_labels_prorate_by_label(tiny):
    rows = [("K1", None, "selling", 10.0, label) for label in ("Ola 1", "Ola 2", "Ola 3", "Ola 4")]
    engagement = with_time(tiny, pd.DataFrame(rows, columns=list(tiny.time.columns[:5])))
    kams = allocate_time(engagement, period="Ola 2").kams.set_index("kam_id")
    assert kams.loc["K1", "capacity_hours"] == pytest.approx(1650 / 4)


def test_share_of_kam_counts_only_its_own_kams_hours(tiny):
    rows = [("K1", "A1", "relationships", 30.0, "2025"), ("K2", "A1", "relationships", 50.0, "2025")]
    accounts = allocate_time(with_time(tiny, pd.DataFrame(rows, columns=list(tiny.time.columns[:5])))).accounts
    a1 = accounts.set_index("account_id").loc["A1"]
    assert a1["hours"] == 80  # everyone's time on it
    assert a1["share_of_kam"] == 100  # K1's only account time is A1
    assert (accounts["share_of_kam"].dropna() <= 100).all()


def test_empty_period_is_refused(tiny):
    with pytest.raises(KamError, match=r"the period is empty; give one such as 2025 or 2025-Q3"):
        allocate_time(tiny, period=" ")


def test_a_stray_percent_in_an_hours_log_is_one_message(tiny):
    time = tiny.time.copy()
    time["percent"] = [None, None, "50", None, None, None]
    with pytest.raises(WorkbookError) as caught:
        with_time(tiny, time)
    assert caught.value.render("en") == (
        'engagement, sheet "time", row 4, column "percent": got 50; allowed: an empty cell: this sheet states '
        "hours (column hours), so percent stays empty."
    )


def test_numbers_in_messages_are_plain(tiny):
    time = pd.DataFrame(
        [("K1", None, "selling", 5.5, 50.0, "2025"), ("K1", None, "other", None, 50.0, "2025")],
        columns=["kam_id", "account_id", "activity", "hours", "percent", "period"],
    )
    with pytest.raises(WorkbookError, match=r'row 2, column "hours": got 5.5; allowed: an empty cell'):
        with_time(tiny, time)


def test_an_empty_survey_is_blamed_on_percent(tiny):
    time = pd.DataFrame({"kam_id": ["K1"], "activity": ["selling"], "percent": [None], "period": ["2025"]})
    with pytest.raises(WorkbookError, match=r'row 2, column "percent": empty cell; this column needs a value'):
        with_time(tiny, time)


def test_survey_message_in_spanish_writes_decimal_commas(tiny):
    rows = [*BALANCED[:2], ("K1", "reporting", 45.5, "2025"), *BALANCED[3:]]
    with pytest.raises(WorkbookError) as caught:
        allocate_time(survey(tiny, rows))
    assert "suman 95,5; se admite: un total de 100 (±0,5)" in caught.value.render("es")
    assert "add up to 95.5; allowed: a total of 100 (±0.5)" in caught.value.render("en")


def test_headers_do_not_promise_the_methods_ten_percent(tiny):
    edited = allocate_time(tiny, TimeReference(reference={"selling": 15, "other": 5}))
    assert "Selling vs reference (pp)" in edited.kam_table("en")
    assert edited.kams["selling_reference"].unique().tolist() == [15]


# --- the method's headline: selling is about 10 % of a KAM's time ----------------------------------

NO_CAPACITY_BAND = TimeReference(utilisation={"min": 0, "max": 1000})
"""Leaves capacity out of the findings, so that the ones under test stand alone."""


def log(tiny, rows):
    """An engagement of the tiny workbook whose time sheet is `rows` (kam, activity, hours), all in 2025-01."""
    frame = pd.DataFrame([(k, None, a, h, "2025-01") for k, a, h in rows], columns=list(tiny.time.columns[:5]))
    return with_time(tiny, frame)


def selling(alloc):
    findings = alloc.finding_rows
    return findings[findings["kind"].isin(["selling_above", "selling_below"])].reset_index(drop=True)


def test_selling_above_the_method_is_a_finding(tiny):
    engagement = log(
        tiny, [("K1", "selling", 30), ("K1", "relationships", 70), ("K2", "selling", 10), ("K2", "other", 90)]
    )
    rows = selling(allocate_time(engagement, NO_CAPACITY_BAND))
    k1 = rows[rows["kam_id"] == "K1"].iloc[0]
    assert (k1["kind"], k1["value"], k1["limit"]) == ("selling_above", 30, 12.5)
    assert k1["severity"] == pytest.approx(20)  # 20 pp of K1's 100 h would go back to other work
    assert k1["message_en"] == (
        "K1 (María Núñez) spends 30.0% of their time selling, against the method's 10% (±2.5 pp allowed): 20 pp "
        "more, about 20 h."
    )
    assert k1["message_es"] == (
        "K1 (María Núñez) dedica el 30,0\xa0% de su tiempo a vender, frente al 10\xa0% del método (se admiten "
        "±2,5 pp): 20 pp más, unas 20 h."
    )
    assert "K2" not in set(rows["kam_id"])  # exactly the method's 10 %


def test_selling_below_the_method_is_a_finding(tiny):
    engagement = log(
        tiny, [("K1", "selling", 5), ("K1", "relationships", 95), ("K2", "selling", 10), ("K2", "other", 90)]
    )
    k1 = selling(allocate_time(engagement, NO_CAPACITY_BAND)).set_index("kam_id").loc["K1"]
    assert (k1["kind"], k1["value"], k1["limit"], k1["severity"]) == ("selling_below", 5, 7.5, 5)
    assert k1["message_en"].endswith(
        "spends 5.0% of their time selling, against the method's 10% (±2.5 pp allowed): 5 pp less, about 5 h."
    )
    assert k1["message_es"].endswith("(se admiten ±2,5 pp): 5 pp menos, unas 5 h.")


@pytest.mark.parametrize("k1_selling", [7.5, 9, 12.5])
def test_selling_within_the_tolerance_is_no_finding(tiny, k1_selling):
    rows = [("K1", "selling", k1_selling), ("K1", "relationships", 100 - k1_selling)]
    engagement = log(tiny, [*rows, ("K2", "selling", 10), ("K2", "other", 90)])
    assert selling(allocate_time(engagement, NO_CAPACITY_BAND)).empty
    narrower = TimeReference(utilisation={"min": 0, "max": 1000}, selling_tolerance=1)
    flagged = selling(allocate_time(engagement, narrower))["kam_id"].fillna("team").tolist()
    assert ("K1" in flagged) == (k1_selling != 9)


def test_the_teams_selling_share_is_a_finding(tiny):
    # K1 sells 12 % and K2 13 %: each within 10 ± 2.5, but the team's 75 h of 300 h (25 %) is not.
    engagement = log(
        tiny, [("K1", "selling", 12), ("K1", "other", 88), ("K2", "selling", 63), ("K2", "relationships", 37)]
    )
    rows = selling(allocate_time(engagement, NO_CAPACITY_BAND))
    team = rows[rows["kam_id"].isna()].iloc[0]
    assert (team["kind"], team["value"], team["severity"]) == ("selling_above", 37.5, pytest.approx(55))
    assert team["message_en"] == (
        "The team spends 37.5% of its time selling, against the method's 10% (±2.5 pp allowed): 27.5 pp more, about "
        "55 h."
    )
    assert team["message_es"].startswith("El equipo dedica el 37,5\xa0% de su tiempo a vender, frente al 10\xa0% del")
    assert rows["kam_id"].fillna("team").tolist() == ["team", "K2"]  # the team's 55 h before K2's 53 h; K1 is within
    assert selling(allocate_time(engagement, NO_CAPACITY_BAND, period="2025-01"))["kam_id"].isna().sum() == 1


def test_an_edited_selling_reference_is_not_called_the_methods(tiny):
    engagement = log(tiny, [("K1", "selling", 30), ("K1", "relationships", 70)])
    reference = TimeReference(reference={"selling": 20, "other": 0}, selling_tolerance=5, utilisation={"min": 0})
    k1 = selling(allocate_time(engagement, reference)).iloc[0]
    assert (k1["kind"], k1["limit"]) == ("selling_above", 25)
    assert "against the engagement reference's 20% (±5 pp allowed): 10 pp more, about 10 h." in k1["message_en"]
    assert "frente al 20\xa0% de la referencia del encargo (se admiten ±5 pp)" in k1["message_es"]


def test_a_surveys_selling_share_is_judged_on_the_hours_available(tiny):
    findings = selling(allocate_time(survey(tiny, BALANCED)))  # K1 states 10 % selling, K2 none
    assert findings["kam_id"].fillna("team").tolist() == ["K2", "team"]  # the team's mean is 5 %: 5 pp of 3,350 h
    k2 = findings.iloc[0]
    assert k2["severity"] == pytest.approx(170)  # 10 pp of K2's 1,700 h available
    assert k2["message_en"].endswith("10 pp less, about 170 h of the hours available.")
    assert k2["message_es"].endswith("10 pp menos, unas 170 h de las disponibles.")


def test_findings_are_ordered_by_their_size_in_hours_not_by_kam(tiny):
    engagement = log(
        tiny, [("K1", "selling", 20), ("K1", "relationships", 80), ("K2", "selling", 50), ("K2", "other", 50)]
    )
    findings = allocate_time(engagement, NO_CAPACITY_BAND).finding_rows
    got = list(zip(findings["kind"], findings["kam_id"].fillna("team"), findings["severity"].round(6), strict=True))
    assert got == [
        ("far_from_reference", "K2", 80.0),  # 80 % of K2's 100 h would have to move
        ("far_from_reference", "K1", 70.0),
        ("selling_above", "team", 50.0),  # the team: 35 % against 10 %, of 200 h
        ("selling_above", "K2", 40.0),
        ("selling_above", "K1", 10.0),
    ]
    assert findings["message_en"].iloc[0].endswith("(threshold 25%), about 80 h.")


def test_capacity_is_sized_by_the_hours_beyond_the_band(tiny):
    findings = allocate_time(tiny).finding_rows.set_index("kam_id")
    under = findings[findings["kind"] == "under_capacity"]
    assert under.loc["K1", "severity"] == pytest.approx(0.6 * 1650 - 50.5)
    assert under.loc["K1", "message_en"] == "K1 (María Núñez) logged 51 h of 1,650 h available (3.1%, below 60%)."
    assert under.loc["K2", "message_es"] == (
        "K2 (Jordi Ibáñez) registró 49 h de 1.700 h disponibles (2,9\xa0%, por debajo del 60\xa0%)."
    )
    assert allocate_time(tiny).finding_rows["severity"].is_monotonic_decreasing


def test_a_kam_with_no_time_is_sized_by_the_hours_it_had(tiny):
    findings = allocate_time(tiny, period="2025-02").finding_rows
    assert findings.iloc[0][["kind", "kam_id", "severity"]].tolist() == ["no_time", "K1", 825.0]


# --- strategy time is judged by the matrix of the hours' period -----------------------------------


def moving_engagement(tiny):
    """A1 (K1) is Invest by its 2025-H1 scores and Milk by its 2025-H2 ones; the other accounts are scored in
    2026-H1 only. K1 logs 30 h on A1 in March, then 10 h on A1 and 10 h on A2 (Selective) in September."""
    scores = tiny.scores.copy()
    a1 = scores["account_id"] == "A1"
    scores.loc[a1, "period"] = "2025-H1"
    milk = scores[scores["account_id"] == "A4"].assign(account_id="A1", period="2025-H2")
    time = pd.DataFrame(
        [
            ("K1", "A1", "relationships", 30.0, "2025-03"),
            ("K1", "A1", "relationships", 10.0, "2025-09"),
            ("K1", "A2", "selling", 10.0, "2025-09"),
            ("K2", "A3", "negotiation", 20.0, "2025-03"),
        ],
        columns=list(tiny.time.columns[:5]),
    )
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "kams": tiny.kams, "time": time}
    return kamlib.Engagement.from_frames({**sheets, "scores": pd.concat([scores, milk], ignore_index=True)})


def k1_shares(alloc):
    strategy = alloc.strategy[alloc.strategy["kam_id"] == "K1"].set_index("quadrant")
    return strategy["share"].round(6).to_dict()


def test_strategy_time_uses_the_matrix_of_the_hours_period(tiny):
    engagement = moving_engagement(tiny)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KamWarning)
        latest = kamlib.score_accounts(engagement).set_index("account_id")["quadrant"]
    assert latest["A1"] == "milk"  # the newest scores would judge the March hours as Milk time

    first_half = allocate_time(engagement, period="2025-H1")
    assert k1_shares(first_half) == {"invest": 100, "selective": 0, "maintain": 0, "milk": 0}
    assert first_half.accounts.set_index("account_id").loc["A1", "quadrant"] == "invest"
    assert first_half.rounds == ("2025-H1", "2026-H1")  # A3 is first placed in 2026-H1

    second_half = allocate_time(engagement, period="2025-H2")
    assert k1_shares(second_half) == {"invest": 0, "selective": 50, "maintain": 0, "milk": 50}
    assert second_half.accounts.set_index("account_id").loc["A1", "quadrant"] == "milk"

    year = allocate_time(engagement)
    assert k1_shares(year) == {"invest": 60, "selective": 20, "maintain": 0, "milk": 20}
    managed = year.strategy[year.strategy["kam_id"] == "K1"].set_index("quadrant")["accounts"]
    assert managed.to_dict() == {"invest": 1, "selective": 1, "maintain": 0, "milk": 1}  # A1 was in both
    assert year.accounts.set_index("account_id").loc["A1", "quadrant"] == "milk"  # where it ended


def test_a_scenario_is_scored_again_as_of_the_hours_period(tiny):
    engagement = moving_engagement(tiny)
    scored = kamlib.score_scenario(engagement, kamlib.Scenario(name="high cut", cuts={"potential": 9.9}))
    # With the potential cut at 9.9 nothing is high: A1 is Maintain in 2025-H1, and Milk in 2025-H2 as A2 is.
    assert k1_shares(allocate_time(engagement, scored=scored, period="2025-H1"))["maintain"] == 100
    assert k1_shares(allocate_time(engagement, scored=scored, period="2025-H2"))["milk"] == 100


def test_hours_before_the_first_scores_take_the_first_placement(tiny):
    # tiny's hours are of 2025-01/02 and its accounts are placed by the 2026-H1 scores (A3 has one 2025-H2 score,
    # not enough to place it then): no earlier matrix exists, so the first one judges them.
    alloc = allocate_time(tiny)
    assert alloc.rounds == ("2026-H1",)
    assert alloc.accounts["quadrant"].tolist() == ["invest", "selective", "maintain", "milk"]


def test_undated_hours_take_the_latest_matrix(tiny):
    engagement = moving_engagement(tiny)
    time = engagement.time.assign(period=None)
    sheets = {"accounts": tiny.accounts, "criteria": tiny.criteria, "kams": tiny.kams, "scores": engagement.scores}
    undated = allocate_time(kamlib.Engagement.from_frames({**sheets, "time": time}))
    assert k1_shares(undated)["milk"] == 80


def test_a_placement_made_by_hand_is_used_as_it_stands(tiny):
    engagement = moving_engagement(tiny)
    by_hand = pd.DataFrame({"account_id": ["A1", "A2", "A3", "A4"], "quadrant": ["selective"] * 4})
    assert k1_shares(allocate_time(engagement, scored=by_hand))["selective"] == 100
