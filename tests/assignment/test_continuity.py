"""Continuity in the KAM plan: change costs by quadrant, the limit on changes, moves capacity forces (and their
reasons), overloads, KAMs left empty, the churn, the order of the findings, and the bundled sample.

The portfolio is `test_proposal`'s: a1 and a3 invest, a2 milk, now with K2, K1 and K3; invest accounts fit K1
(Ana) 75, K2 (Bea) 25, K3 (Carla) 31.25; milk ones the mirror image (K2 75, K1 25, K3 31.25).
"""

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.assignment import assign
from kamlib.assignment.competences import DEFAULT_CHANGE_COST
from kamlib.assignment.findings import FINDING_ORDER
from kamlib.assignment.proposal import assign_engagement
from tests.assignment.test_proposal import portfolio, rules

COSTS = dict(DEFAULT_CHANGE_COST)
"""The default change costs: invest 20, selective 15, maintain 10, milk 5."""


def roomy(**kwargs):
    """The portfolio with room for every account anywhere (three places and 1,000 h per KAM)."""
    return portfolio(max_accounts=(3, 3, 3), **kwargs)


# --- change costs and max_changes -------------------------------------------------------------------------


def test_a_change_happens_only_when_its_gain_pays_its_cost():
    scored, kams, competences = roomy()
    result = assign(scored, kams, competences, rules(change_cost=COSTS | {"invest": 44.0}))
    # a1 (invest) gains 50 > 44: moves; a3 (invest) gains 43.75 < 44: stays; a2 (milk) gains 50 > 5: moves
    assert result.plan["kam_id"].tolist() == ["K1", "K2", "K3"]
    assert result.plan["change_cost"].tolist() == [44.0, 5.0, 44.0]
    assert result.plan["reason_en"].iloc[2] == (
        "kept Carla for continuity: Ana fits 43.8 points more, less than the change cost (Invest: 44.0)"
    )
    assert result.plan["reason_en"].iloc[1] == (
        "Ana → Bea: Bea fits better: 75.0 against 25.0 (+50.0, more than the change cost, Milk: 5.0); most of it "
        "from Profitability orientation (+75.0)"
    )
    assert (
        result.plan["reason_es"]
        .iloc[1]
        .startswith("Ana → Bea: Bea encaja mejor: 75,0 frente a 25,0 (+50,0, más que el coste de cambio, Ordeñar: 5,0)")
    )


def test_max_changes_keeps_the_changes_worth_most_and_says_who_waits():
    scored, kams, competences = roomy()
    result = assign(scored, kams, competences, rules(change_cost=COSTS, max_changes=1))
    # worth after their cost: a2 50 − 5 = 45, a1 50 − 20 = 30, a3 43.75 − 20 = 23.75: only a2 moves
    assert result.plan["kam_id"].tolist() == ["K2", "K2", "K3"] and result.changes_count == 1
    assert result.change_limit == 1
    assert result.plan["constraint"].tolist() == ["max_changes", "", "max_changes"]
    assert result.plan["reason_en"].iloc[0] == (
        "kept Bea (fit 25.0): Ana fits 50.0 points more and has room, but the plan already changes 1 account, the "
        "most max_changes allows"
    )
    assert result.plan["reason_es"].iloc[0].endswith("el plan ya cambia 1 cuenta, el máximo que permite max_changes")
    assert result.summary("en").endswith("1 change of KAM (max_changes 1); 0 accounts no KAM can take.")
    assert result.summary("es").endswith("1 cambio de KAM (max_changes 1); 0 cuentas que ningún KAM puede llevar.")
    rows = result.finding_rows.set_index("kind")
    assert rows.loc["max_changes", "message_en"] == (
        "The plan makes the most changes max_changes allows (1): 2 more accounts would each gain more than their "
        "change cost with a KAM who has room (see their reasons); raise max_changes to let them move."
    )
    assert rows.loc["max_changes", "message_es"].startswith(
        "El plan hace tantos cambios como permite max_changes (1): 2 cuentas más ganarían cada una más que su coste"
    )
    two = assign(scored, kams, competences, rules(change_cost=COSTS, max_changes="50%"))  # 1.5 → 2
    assert two.change_limit == 2 and two.plan["kam_id"].tolist() == ["K1", "K2", "K3"]


def test_accounts_with_no_kam_and_changes_the_settings_impose_do_not_count():
    scored, kams, competences = roomy()
    scored.loc[3] = ["a4", "Cuatro", None, "milk"]
    forbidden = [{"account_id": "a3", "kam_id": "K3"}]  # a3 must leave Carla
    result = assign(scored, kams, competences, rules(change_cost=COSTS, max_changes=1, forbidden=forbidden))
    plan = result.plan.set_index("account_id")
    assert plan["kam_id"].tolist() == ["K2", "K2", "K1", "K2"]
    assert plan["status"].tolist() == ["kept", "moved", "moved", "new"]
    assert plan["change"].tolist() == [False, True, True, False]  # a4 gets its first KAM: no change of KAM
    assert plan.loc["a3", "constraint"] == "rules" and plan.loc["a2", "constraint"] == ""
    assert plan.loc["a4", "reason_en"] == "no current KAM; Bea is the best fit among the KAMs allowed (75.0)"
    assert result.changes_count == 2 and result.change_limit == 1  # a2 by choice, a3 by the settings
    churn = result.finding_rows.set_index("kind").loc["churn"]
    assert churn["message_en"] == (
        "The plan changes the KAM of 2 of 4 accounts (50.0%); 1 because the settings rule out their KAM; 1 account "
        "with no KAM gets one."
    )
    assert churn["message_es"] == (
        "El plan cambia el KAM de 2 de 4 cuentas (50,0\xa0%); 1 porque los ajustes excluyen a su KAM; 1 cuenta sin "
        "KAM recibe uno."
    )
    assert list(result.changes("en")["Account"]) == ["Dos", "Tres", "Cuatro"]


# --- capacity ------------------------------------------------------------------------------------------------


def overloaded(**kwargs):
    """Ana holds both invest accounts (640 h) with 400 h; Bea and Carla have 1,000 h each; capacity in hours."""
    scored, kams, competences = portfolio(capacity_hours=(400, 1000, 1000))
    scored["kam_id"] = ["K1", "K2", "K1"]
    return scored, kams.drop(columns="max_accounts"), competences


def test_a_move_to_a_lower_fit_names_the_kam_at_capacity():
    result = assign(*overloaded(), rules(change_cost=COSTS))
    plan = result.plan
    assert plan["kam_id"].tolist() == ["K1", "K2", "K3"] and result.capacity_met
    assert plan["fit"].iloc[2] < plan["fit_current"].iloc[2]  # 31.25 against 75: only capacity moves it
    assert plan["constraint"].tolist() == ["", "", "hours"]
    assert plan["reason_en"].iloc[2] == (
        "Ana → Carla: Ana is at capacity: 640 of 400 h with this account; Carla fits 31.3 against 75.0"
    )
    assert plan["reason_es"].iloc[2] == (
        "Ana → Carla: Ana está al límite de su capacidad: 640 de 400 h con esta cuenta; Carla encaja 31,3 frente a 75,0"
    )
    rows = result.finding_rows.set_index("kind")
    assert rows.loc["churn", "message_en"] == (
        "The plan changes the KAM of 1 of 3 accounts (33.3%); 1 of them because a KAM is at capacity."
    )
    assert rows.loc["overload_now", "message_en"] == (
        "Today Ana's accounts take 640 of their 400 h (160.0%); the plan brings them to 320 h (80.0%)."
    )
    assert rows.loc["overload_now", "message_es"] == (
        "Hoy las cuentas de Ana suponen 640 de sus 400 h (160,0\xa0%); el plan las deja en 320 h (80,0\xa0%)."
    )
    assert (result.kams["over_planned"] == 0).all()


def test_a_move_places_force_names_the_places():
    scored, kams, competences = portfolio(max_accounts=(1, 3, 3))
    scored["kam_id"] = ["K1", "K2", "K1"]
    result = assign(scored, kams, competences, rules(change_cost=COSTS))
    assert result.plan["kam_id"].tolist() == ["K1", "K2", "K3"]
    assert result.plan["constraint"].iloc[2] == "accounts"
    assert result.plan["reason_en"].iloc[2] == (
        "Ana → Carla: Ana is at capacity: 2 of 1 accounts with this one; Carla fits 31.3 against 75.0"
    )


def test_an_account_kept_because_the_better_kam_is_full_says_so():
    scored, kams, competences = portfolio(max_accounts=(1, 1, 1), capacity_hours=(330, 1000, 1000))
    result = assign(scored, kams, competences, rules(change_cost=COSTS | {"invest": 0.0}))
    assert result.plan["kam_id"].tolist() == ["K1", "K2", "K3"]
    assert result.plan["reason_en"].iloc[2] == (
        "kept Carla (fit 31.3): Ana fits 43.8 points more but is at capacity: 640 of 330 h with this account"
    )
    assert result.plan["reason_es"].iloc[2] == (
        "se mantiene Carla (encaje 31,3): Ana encaja 43,8 puntos más pero está al límite de su capacidad: 640 de 330 "
        "h con esta cuenta"
    )


def test_when_max_changes_keeps_a_kam_overloaded_the_findings_say_raise_it_first():
    scored, kams, competences = overloaded()
    scored["revenue"] = [1_000_000.0, 250_000.0, 750_000.0]
    result = assign(scored, kams, competences, rules(max_changes=0))
    assert result.status == "optimal" and not result.capacity_met and result.changes_count == 0
    kinds = result.finding_rows["kind"].tolist()
    assert kinds[:3] == ["capacity_short", "overload", "churn"]
    assert result.findings("en")[:3] == [
        "No plan that changes at most 0 accounts (max_changes) keeps every KAM within their hours; one that changes "
        "more does: raise max_changes.",
        "Ana is planned above capacity: 640 of 400 h, 240 h over (160.0% of their hours).",
        "The plan changes no account's KAM.",
    ]
    assert result.findings("es")[1] == (
        "Ana queda por encima de su capacidad en el plan: 640 de 400 h, 240 h de más (160,0\xa0% de sus horas)."
    )
    assert "overload_now" not in kinds  # Ana's overload is said once, as the plan's
    overload = result.finding_rows.set_index("kind").loc["overload"]
    assert (overload["kam_id"], overload["value"], overload["limit"]) == ("K1", 240.0, 400.0)


def test_overloads_are_named_most_over_first_and_when_hours_are_not_applied():
    scored, kams, competences = portfolio(max_accounts=(2, 2, 2), capacity_hours=(300, 50, 1000))
    result = assign(scored, kams, competences, rules(capacity="accounts"))
    rows = result.finding_rows[result.finding_rows["kind"] == "overload"]
    assert rows["kam_id"].tolist() == ["K1", "K2"]  # 640 of 300 h (213 %) before 60 of 50 h (120 %)
    assert rows["message_en"].iloc[0].startswith("Ana is planned above capacity: 640 of 300 h, 340 h over (213.3%")
    assert (
        rows["message_en"]
        .iloc[0]
        .endswith("Hours are not applied (capacity: accounts); capacity: both would apply them.")
    )


# --- KAMs left with no account, and the churn ----------------------------------------------------------------


def test_a_kam_left_with_no_account_is_a_finding():
    scored, kams, competences = roomy()
    result = assign(scored, kams, competences, rules())
    assert result.kams.set_index("kam_id").loc["K3", "accounts_planned"] == 0
    empty = result.finding_rows.set_index("kind").loc["empty_kam"]
    assert empty["kam_id"] == "K3"
    assert empty["message_en"] == (
        "Carla has no account in the plan (1 account today): their 1,000 h go unused; fix accounts to them (fixed) or "
        "review their assessment."
    )
    assert empty["message_es"] == (
        "Carla no tiene ninguna cuenta en el plan (1 cuenta hoy): sus 1.000 h quedan sin uso; fíjele cuentas (fixed) o "
        "revise su evaluación."
    )


def test_the_churn_counts_accounts_and_revenue():
    scored, kams, competences = roomy()
    scored["revenue"] = [1_000_000.0, 250_000.0, 750_000.0]
    result = assign(scored, kams, competences, rules(change_cost=COSTS | {"invest": 44.0}), currency="EUR")
    churn = result.finding_rows.set_index("kind").loc["churn"]
    assert churn["value"] == 2
    assert churn["message_en"] == (
        "The plan changes the KAM of 2 of 3 accounts (66.7%), €1,250,000 of €2,000,000 in revenue (62.5%)."
    )
    assert churn["message_es"] == (
        "El plan cambia el KAM de 2 de 3 cuentas (66,7\xa0%), 1.250.000\xa0€ de 2.000.000\xa0€ de facturación "
        "(62,5\xa0%)."
    )
    assert result.plan["revenue"].tolist() == [1_000_000.0, 250_000.0, 750_000.0]


def test_findings_come_most_important_first_never_by_kam():
    scored, kams, competences = overloaded()
    scored["quadrant"] = ["invest", "milk", None]
    result = assign(scored, kams, competences, rules(max_changes=0))
    kinds = result.finding_rows["kind"].tolist()
    ranks = [FINDING_ORDER.index(kind) for kind in kinds]
    assert ranks == sorted(ranks)
    assert kinds[0] == "capacity_short" and kinds.index("churn") < kinds.index("unplaced")
    assert kinds.index("underused") < kinds.index("partly_assessed")


# --- the bundled sample --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    engagement = kamlib.load()
    return engagement, kamlib.score_scenario(engagement)


def test_the_default_plan_of_the_sample_keeps_most_kams(sample):
    engagement, scored = sample
    result = assign(scored, engagement.kams, engagement.competences)
    plan = result.plan
    assert result.capacity == "both" and result.capacity_met and result.change_limit == 5
    assert result.changes_count == 5  # 35 of 48 under the pure maximum fit
    moved = plan["change"]
    assert plan.loc[moved, "revenue"].sum() / plan["revenue"].sum() < 0.05  # 79 % under the pure maximum fit
    assert (plan.loc[moved, "gain"] > plan.loc[moved, "change_cost"]).all()  # each pays its change cost
    loads = result.kams.set_index("kam_id")
    assert (loads["effort_planned"] <= loads["capacity_hours"]).all()
    assert (loads["accounts_planned"] <= loads["max_accounts"]).all() and (loads["accounts_planned"] > 0).all()
    largest = plan.set_index("account_id").loc[["A001", "A002"]]
    assert (largest["kam_id"] == "K01").all()  # the two largest Invest accounts keep their KAM
    assert result.total_fit > result.total_fit_current
    kinds = result.finding_rows["kind"].tolist()
    assert kinds[:3] == ["churn", "max_changes", "underused"]
    assert result.findings("en")[0] == (
        "The plan changes the KAM of 5 of 48 accounts (10.4%), €2,711,688 of €58,574,518 in revenue (4.6%)."
    )


def test_the_sample_with_its_time_log_relieves_todays_overloads(sample):
    engagement, scored = sample
    result = assign_engagement(engagement, scored)
    plan, loads = result.plan, result.kams.set_index("kam_id")
    assert (plan["effort_source"] == "log").all()
    assert loads["effort_current"].sum() == pytest.approx(engagement.time["hours"].sum())
    assert (loads["effort_current"] > loads["capacity_hours"]).sum() == 3  # today: K02, K04, K07
    assert result.capacity_met and (loads["effort_planned"] <= loads["capacity_hours"] + 1e-6).all()
    assert result.changes_count <= 5
    down = plan[plan["change"] & (plan["fit"] < plan["fit_current"])]
    assert len(down) and (down["constraint"] == "hours").all()
    assert down["reason_en"].str.contains(" is at capacity: ").all()
    kinds = result.finding_rows["kind"].tolist()
    assert kinds.count("overload_now") == 3 and "overload" not in kinds
    assert np.isfinite(plan["effort_hours"]).all()
    assert pd.api.types.is_bool_dtype(plan["change"])
