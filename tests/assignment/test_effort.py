"""Each account's hours from the time log: worked by hand, the cases with no hours, and in the plan."""

import numpy as np
import pandas as pd
import pytest

from kamlib.assignment import assign
from kamlib.assignment.effort import logged_effort
from kamlib.synthetic import make_engagement_frames
from tests.assignment.test_proposal import portfolio, rules


def log(rows):
    return pd.DataFrame(rows, columns=["kam_id", "account_id", "activity", "hours", "period"])


LOG = log(
    [
        ("K1", "a1", "selling", 30.0, "2025-01"),
        ("K1", "a2", "negotiation", 10.0, "2025-01"),
        ("K1", None, "planning", 60.0, "2025-02"),  # K1: 40 h on accounts, 100 h in all: each hour carries 2.5
        ("K2", "a1", "relationships", 20.0, "2025-01"),
        ("K2", None, "reporting", 20.0, "2025-01"),  # K2: each hour on an account carries 2
        ("K2", "zz", "selling", 0.0, "2025-01"),  # an account not in the plan: counted, not shown
        ("K9", "a3", "selling", 99.0, "2025-01"),  # a KAM not in the plan: left out
    ]
)


def test_hours_on_an_account_carry_their_share_of_the_kams_other_time():
    effort = logged_effort(LOG, ["a1", "a2", "a3"], ["K1", "K2"])
    assert effort[:2].tolist() == [30 * 2.5 + 20 * 2, 10 * 2.5] and np.isnan(effort[2])
    assert np.nansum(effort) == pytest.approx(LOG["hours"].iloc[:6].sum())  # every hour the KAMs logged


def test_no_hours_give_no_real_effort():
    survey = LOG.drop(columns="hours").assign(percent=10.0)
    for time in (None, survey, LOG.iloc[0:0], LOG.assign(hours=np.nan)):
        assert np.isnan(logged_effort(time, ["a1", "a2"], ["K1", "K2"])).all()
    only_overhead = log([("K1", None, "training", 40.0, "2025-01"), ("K1", "a1", "selling", 0.0, "2025-01")])
    assert np.isnan(logged_effort(only_overhead, ["a1"], ["K1"])).all()  # 0 h on it: the estimate stays


def test_a_synthetic_log_with_categorical_columns():
    frames = make_engagement_frames(40, n_criteria=4, n_kams=4, n_time_records=2_000, seed=5)
    time = frames["time"]
    effort = logged_effort(time, frames["accounts"]["account_id"].tolist(), frames["kams"]["kam_id"].tolist())
    logged = time.groupby("kam_id", observed=True)["hours"].sum()
    named = time["account_id"].notna()
    kams_with_accounts = time.loc[named, "kam_id"].unique()
    assert np.nansum(effort) == pytest.approx(logged.loc[list(kams_with_accounts)].sum())
    assert np.isnan(effort).sum() == 40 - time.loc[named & (time["hours"] > 0), "account_id"].nunique()


def test_the_plan_uses_real_hours_where_the_log_has_them():
    scored, kams, competences = portfolio(capacity_hours=(1000, 1000, 1000))
    time = log([("K2", "a1", "selling", 100.0, "2025-01"), ("K2", None, "training", 100.0, "2025-01")])
    result = assign(scored, kams, competences, rules(), time=time)
    assert result.plan["effort_source"].tolist() == ["log", "strategy", "strategy"]
    assert result.plan["effort_hours"].tolist() == [200.0, 60.0, 320.0]
    assert result.kams.set_index("kam_id").loc["K2", "effort_current"] == 200.0  # what Bea logged, today
