"""Properties of the KAM plan on generated engagements (`kamlib.synthetic`), checked against brute force.

Small engagements (2–6 accounts, 2–3 KAMs, so every assignment can be enumerated) with random competences, time
logs, quadrants, current KAMs (some with none), capacities in hours and places, and limits on changes:

- an engagement whose current assignment is already the best one gets zero changes;
- capacities are kept whenever some plan keeps them (under the same rules and limit on changes), and when none
  does, every KAM over capacity is named;
- the plan's total fit never falls below the current assignment's, when the current one meets the constraints.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.assignment import assign
from kamlib.assignment.competences import AssignmentSettings
from kamlib.method import QUADRANTS
from kamlib.synthetic import make_engagement_frames

PURE = AssignmentSettings(change_cost=dict.fromkeys(QUADRANTS, 0.0), max_changes=None)
"""No change cost and no limit: the plan of highest total fit."""


@st.composite
def engagements(draw, tight: bool = True):
    """An engagement's scored accounts, KAMs, competences and time log, and assignment settings.

    `tight` draws capacities around what the accounts need (often too little); else each KAM gets at least the
    hours and places of their accounts today, so the current assignment is feasible when its pairs are allowed.
    """
    n_acc, n_kam = draw(st.integers(2, 6)), draw(st.integers(2, 3))
    logged = draw(st.booleans())
    frames = make_engagement_frames(n_acc, n_criteria=2, n_kams=n_kam, n_time_records=6 * n_acc * logged,
                                    seed=draw(st.integers(0, 10_000)))  # fmt: skip
    accounts = frames["accounts"]
    kam_ids = frames["kams"]["kam_id"].tolist()
    current = draw(st.lists(st.sampled_from([*kam_ids, None]), min_size=n_acc, max_size=n_acc))
    quadrants = draw(st.lists(st.sampled_from([*QUADRANTS, None]), min_size=n_acc, max_size=n_acc))
    scored = pd.DataFrame(
        {
            "account_id": accounts["account_id"].astype(object),
            "name": accounts["name"].astype(object),
            "kam_id": pd.Series(current, dtype=object),
            "quadrant": pd.Series(quadrants, dtype=object),
            "revenue": accounts["revenue"],
        }
    )
    limit = draw(st.sampled_from([None, 0, 1, 2, "50%", "10%"]))
    rules = AssignmentSettings(max_changes=limit, min_fit=draw(st.sampled_from([0.0, 0.0, 30.0])))
    kams = frames["kams"].copy()
    time = frames["time"] if logged else None
    probe = assign(scored, kams.drop(columns="max_accounts"), frames["competences"], PURE, time=time)
    effort = probe.plan["effort_hours"].to_numpy()
    if tight:
        share = effort.sum() / n_kam
        factors = st.sampled_from([0.0, 0.5, 0.9, 1.0, 1.2, 2.0, 5.0])
        kams["capacity_hours"] = [round(share * draw(factors)) for _ in range(n_kam)]
        kams["max_accounts"] = draw(st.lists(st.sampled_from([np.nan, 1.0, 2.0, 3.0]), min_size=n_kam, max_size=n_kam))
    else:
        now = pd.Series(effort).groupby(scored["kam_id"]).sum().reindex(kam_ids).fillna(0.0)
        kams["capacity_hours"] = (now * draw(st.sampled_from([1.0, 1.3, 2.0])) + 1.0).round(3).to_numpy()
        counts = scored["kam_id"].value_counts().reindex(kam_ids).fillna(0.0).to_numpy()
        kams["max_accounts"] = counts + draw(st.sampled_from([0, 1]))
    if draw(st.booleans()):
        kams = kams.drop(columns="max_accounts")  # capacity in hours only
    return scored, kams, frames["competences"], time, rules


def arrays(result):
    """The plan's arrays: allowed (A, K), fit (A, K), effort, current and planned KAM indices, hours and places."""
    kam_ids = result.kams["kam_id"].tolist()
    n_kam = len(kam_ids)
    allowed = result.fit_table["allowed"].to_numpy().reshape(-1, n_kam)
    fit = np.nan_to_num(result.fit_table["fit"].to_numpy().reshape(-1, n_kam))
    current = pd.Categorical(result.plan["current_kam_id"], categories=kam_ids).codes.astype(int)
    planned = pd.Categorical(result.plan["kam_id"], categories=kam_ids).codes.astype(int)
    hours = result.kams["capacity_hours"].to_numpy(dtype=float) if result.capacity in ("hours", "both") else None
    places = None
    if result.capacity in ("accounts", "both"):
        places = np.floor(np.nan_to_num(result.kams["max_accounts"].to_numpy(dtype=float), nan=np.inf))
    return allowed, fit, result.plan["effort_hours"].to_numpy(), current, planned, hours, places


def fits(kam, rows, effort, hours, places, n_kam, tolerance=1e-6):
    """Whether giving accounts `rows` the KAMs `kam` keeps every KAM within their hours and places."""
    load = np.bincount(kam, weights=effort[rows], minlength=n_kam)
    count = np.bincount(kam, minlength=n_kam)
    return (hours is None or bool(np.all(load <= hours + tolerance))) and (
        places is None or bool(np.all(count <= places))
    )


def feasible_plans(result):
    """Every assignment of the accounts some KAM may take that meets the rules and the limit on changes: (kam
    indices, whether it keeps capacity)."""
    allowed, _, effort, current, _, hours, places = arrays(result)
    rows = np.flatnonzero(allowed.any(axis=1))
    n_kam = allowed.shape[1]
    counted = (current[rows] >= 0) & allowed[rows, np.maximum(current[rows], 0)]
    limit = result.change_limit
    for combo in itertools.product(range(n_kam), repeat=len(rows)):
        kam = np.array(combo, dtype=int)
        if not allowed[rows, kam].all():
            continue
        if limit is not None and int((counted & (kam != current[rows])).sum()) > limit:
            continue
        if places is not None and not fits(kam, rows, effort, None, places, n_kam):
            continue
        yield kam, fits(kam, rows, effort, hours, None, n_kam)


@settings(max_examples=60, deadline=None)
@given(engagements())
def test_capacities_are_kept_whenever_a_plan_keeps_them(case):
    scored, kams, competences, time, rules = case
    result = assign(scored, kams, competences, rules, strict=False, time=time)
    plans = list(feasible_plans(result))
    if result.status == "infeasible":  # places, rules and the limit on changes cannot all be met, whatever the hours
        assert not plans
        return
    assert plans  # the plan itself is one
    allowed, _, effort, current, planned, hours, places = arrays(result)
    rows = np.flatnonzero(planned >= 0)
    assert allowed[rows, planned[rows]].all()
    keeps = any(keeps for _, keeps in plans)
    assert result.capacity_met == keeps
    assert fits(planned[rows], rows, effort, hours if keeps else None, places, allowed.shape[1])
    counted = (current >= 0) & allowed[np.arange(len(current)), np.maximum(current, 0)] & (planned >= 0)
    if result.change_limit is not None:
        assert int((counted & (planned != current)).sum()) <= result.change_limit
    over = result.kams.loc[result.kams["over_planned"] > 0, "kam_id"].tolist()
    named = result.finding_rows.loc[result.finding_rows["kind"] == "overload", "kam_id"].tolist()
    assert sorted(named) == sorted(over)
    if not keeps:
        assert over and result.finding_rows["kind"].iloc[0] == "capacity_short"


@settings(max_examples=50, deadline=None)
@given(engagements())
def test_an_engagement_whose_current_assignment_is_already_the_best_gets_no_change(case):
    scored, kams, competences, time, rules = case
    best = assign(scored, kams, competences, PURE.model_copy(update={"min_fit": rules.min_fit}), False, time=time)
    if best.status != "optimal" or not best.capacity_met:
        return  # no best assignment to start from
    now = scored.assign(kam_id=best.plan["kam_id"].to_numpy())
    result = assign(now, kams, competences, rules, strict=False, time=time)
    assert result.status == "optimal" and result.changes_count == 0
    assert (result.plan["kam_id"].fillna("") == now["kam_id"].fillna("")).all()
    assert result.total_fit == pytest.approx(best.total_fit)
    churn = result.finding_rows.set_index("kind").loc["churn"]
    assert churn["message_en"].startswith("The plan changes no account's KAM") and churn["value"] == 0


@settings(max_examples=50, deadline=None)
@given(engagements(tight=False))
def test_the_plan_never_fits_worse_than_a_current_assignment_that_meets_the_constraints(case):
    scored, kams, competences, time, rules = case
    result = assign(scored, kams, competences, rules, strict=False, time=time)
    allowed, fit, effort, current, _, hours, places = arrays(result)
    rows = np.arange(len(current))
    if (current < 0).any() or not allowed[rows, current].all():
        return  # an account with no KAM, or one the rules rule out: the current assignment is no plan
    if not fits(current, rows, effort, hours, places, allowed.shape[1]):
        return
    assert result.status == "optimal" and result.capacity_met
    assert result.total_fit >= result.total_fit_current - 1e-6
    assert result.total_fit_current == pytest.approx(fit[rows, current].sum())
