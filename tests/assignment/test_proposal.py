"""KAM assignment: fit worked by hand, the solvers against brute force, the plan's rules, teams and messages.

The hand-worked portfolio: invest accounts need analysis_planning (importance 3, so level ≥ 4) and
profitability_orientation (1); milk accounts the reverse (1 and 3). K1 is 5/1 on them, K2 1/5, K3 3/3:

- K1: invest 100·(3·1 + 1·0)/4 = 75; milk (profitability 1, four... three points short of 4) 100·(1·1 + 3·0)/4 = 25
- K2: invest 25, milk 75 (the mirror image)
- K3: invest, analysis 3 is one short of 4: (3 − 1 − 1)/4 = 0.25, so 100·(3·0.25 + 1·0.5)/4 = 31.25; milk 31.25
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.assignment import assign
from kamlib.assignment.competences import COMPETENCES, AssignmentSettings
from kamlib.assignment.solver import (
    Solution,
    fit_contributions,
    fit_matrix,
    least_overload,
    overload_penalty,
    solve_counts,
    solve_hours,
)
from kamlib.errors import KamError
from kamlib.method import QUADRANTS
from kamlib.views.assignment import assignment_html

AP, PO = "analysis_planning", "profitability_orientation"


PURE = {"change_cost": dict.fromkeys(QUADRANTS, 0.0), "max_changes": None}
"""No cost for a change of KAM and no limit on them: the plan of pure best fit."""


def rules(**changes) -> AssignmentSettings:
    """Settings where only analysis and profitability matter (see the module's docstring), for the plan of pure best
    fit unless `changes` say otherwise."""
    importance = {q: dict.fromkeys(COMPETENCES, 0) for q in QUADRANTS}
    importance["invest"].update({AP: 3, PO: 1})
    importance["milk"].update({AP: 1, PO: 3})
    return AssignmentSettings(importance=importance, **(PURE | changes))


def portfolio(max_accounts=(1, 1, 1), capacity_hours=(1000, 1000, 1000)):
    """Three accounts (a1, a3 invest; a2 milk) with current KAMs K2, K1, K3, and three KAMs rated on two competences."""
    scored = pd.DataFrame(
        {
            "account_id": ["a1", "a2", "a3"],
            "name": ["Uno", "Dos", "Tres"],
            "kam_id": ["K2", "K1", "K3"],
            "quadrant": ["invest", "milk", "invest"],
        }
    )
    kams = pd.DataFrame(
        {
            "kam_id": ["K1", "K2", "K3"],
            "name": ["Ana", "Bea", "Carla"],
            "capacity_hours": list(map(float, capacity_hours)),
            "max_accounts": list(map(float, max_accounts)),
        }
    )
    levels = {"K1": (5, 1), "K2": (1, 5), "K3": (3, 3)}
    rows = [(k, c, s, "director", "supplier") for k, (ap, po) in levels.items() for c, s in ((AP, ap), (PO, po))]
    competences = pd.DataFrame(rows, columns=["kam_id", "competence", "score", "assessor", "side"])
    return scored, kams, competences


# --- fit ------------------------------------------------------------------------------------------------


def test_fit_by_hand():
    levels = np.array([[5.0, 1.0], [1.0, 5.0], [3.0, 3.0]])
    importance = np.array([[3.0, 1.0], [1.0, 3.0]])
    minimum = np.array([[4.0, np.nan], [np.nan, 4.0]])
    assert fit_matrix(levels, importance, minimum).tolist() == [[75.0, 25.0, 31.25], [25.0, 75.0, 31.25]]
    points = fit_contributions(levels, importance, minimum)
    assert points[0, 2].tolist() == [18.75, 12.5]  # 100·3·0.25/4 and 100·1·0.5/4
    assert np.allclose(points.sum(axis=2), fit_matrix(levels, importance, minimum))


def test_what_nobody_assessed_counts_as_the_lowest_level():
    levels = np.array([[5.0, np.nan], [np.nan, np.nan]])
    fit = fit_matrix(levels, np.array([[3.0, 1.0]]), np.full((1, 2), np.nan))
    assert fit[0, 0] == 75.0  # the unrated competence gives nothing: 100 × 3·1 / (3 + 1)
    assert np.isnan(fit[0, 1])  # nothing assessed at all: unknown, never 0
    partial = np.array([[4.0] * 3, [np.nan, np.nan, 5.0]])  # K2 rated on one competence only
    fits = fit_matrix(partial, np.array([[3.0, 3.0, 1.0]]), np.array([[4.0, 4.0, np.nan]]))
    assert fits[0, 0] > fits[0, 1]  # one strong rating does not beat a KAM rated strong on all
    assert np.isnan(fit_matrix(levels, np.zeros((1, 2)), np.full((1, 2), np.nan))).all()


# --- the solvers against brute force ------------------------------------------------------------------


def brute_force(score, allowed, current, bonus, fits):
    """The best objective over every assignment that `fits`, or None."""
    n_acc, n_kam = score.shape
    best = None
    for combo in itertools.product(range(n_kam), repeat=n_acc):
        kam = np.array(combo)
        if allowed[np.arange(n_acc), kam].all() and fits(kam):
            value = objective(score, current, bonus, kam)
            best = value if best is None else max(best, value)
    return best


def objective(score, current, bonus, kam):
    return float(score[np.arange(len(kam)), kam].sum() + (np.broadcast_to(bonus, kam.shape) * (kam == current)).sum())


def within(limit, allowed, current):
    """The limit on changes as a test of a plan: accounts with an allowed current KAM that change, at most `limit`."""
    rows = np.arange(len(current))
    counted = (current >= 0) & allowed[rows, np.maximum(current, 0)]
    return lambda kam: limit is None or int((counted & (kam != current)).sum()) <= limit


def test_three_accounts_two_kams_by_enumeration():
    score = np.array([[80.0, 60.0], [70.0, 20.0], [75.0, 70.0]])
    allowed = np.ones_like(score, dtype=bool)
    current = np.array([1, 0, 1])
    # one place for K0 and two for K1: K0 goes where it adds most over K1 (a1: +50), the rest to K1
    for method in ("places", "groups"):
        solution = solve_counts(score, np.array([1, 2]), allowed, current, method=method)
        assert solution.kam.tolist() == [1, 0, 1] and solution.status == "optimal"
    assert brute_force(score, allowed, current, 0, lambda k: np.bincount(k, minlength=2)[0] <= 1) == 200
    hours = solve_hours(score, np.array([3.0, 1.0, 1.0]), np.array([2.0, 9.0]), allowed)
    assert hours.kam.tolist() == [1, 0, 0]  # a0 takes 3 h: only K1 has room for it
    assert solve_counts(score, np.array([1, 1]), allowed) == (None, "infeasible", pytest.approx(np.nan, nan_ok=True))


@st.composite
def instances(draw):
    n_acc, n_kam = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    cells = st.lists(st.integers(0, 4), min_size=n_acc * n_kam, max_size=n_acc * n_kam)
    score = np.array(draw(cells), dtype=float).reshape(n_acc, n_kam) * draw(st.sampled_from([1.0, 2.5]))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n_acc * n_kam, max_size=n_acc * n_kam)))
    allowed = allowed.reshape(n_acc, n_kam)
    allowed[np.arange(n_acc), draw(st.lists(st.integers(0, n_kam - 1), min_size=n_acc, max_size=n_acc))] = True
    current = np.array(draw(st.lists(st.integers(-1, n_kam - 1), min_size=n_acc, max_size=n_acc)))
    bonus = draw(st.sampled_from([0.0, 1.5, "each"]))
    if bonus == "each":  # a change cost per account, as by quadrant
        bonus = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, 2.5]), min_size=n_acc, max_size=n_acc)))
    slots = np.array(draw(st.lists(st.integers(0, n_acc), min_size=n_kam, max_size=n_kam)), dtype=float)
    effort = np.array(draw(st.lists(st.integers(1, 3), min_size=n_acc, max_size=n_acc)), dtype=float)
    capacity = np.array(draw(st.lists(st.integers(0, 6), min_size=n_kam, max_size=n_kam)), dtype=float)
    limit = draw(st.sampled_from([None, None, 0, 1, 2]))
    return score, allowed, current, bonus, slots, effort, capacity, limit


def check_against(solution: Solution, best, score, allowed, current, bonus, fits):
    if best is None:
        assert solution.kam is None and solution.status == "infeasible"
    else:
        assert solution.status == "optimal"
        assert allowed[np.arange(len(solution.kam)), solution.kam].all() and fits(solution.kam)
        assert objective(score, current, bonus, solution.kam) == pytest.approx(best, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from(["places", "groups"]))
def test_counts_reach_the_brute_force_optimum(instance, method):
    score, allowed, current, bonus, slots, _, _, limit = instance
    changes = within(limit, allowed, current)
    fits = lambda kam: (np.bincount(kam, minlength=len(slots)) <= slots).all() and changes(kam)  # noqa: E731
    solution = solve_counts(score, slots, allowed, current, bonus, method, max_changes=limit)
    check_against(solution, brute_force(score, allowed, current, bonus, fits), score, allowed, current, bonus, fits)


@settings(max_examples=150, deadline=None)
@given(instances(), st.booleans())
def test_hours_reach_the_brute_force_optimum(instance, with_slots):
    score, allowed, current, bonus, slots, effort, capacity, limit = instance
    n_kam = len(capacity)
    changes = within(limit, allowed, current)

    def fits(kam):
        hours_ok = (np.bincount(kam, weights=effort, minlength=n_kam) <= capacity).all()
        return hours_ok and (not with_slots or (np.bincount(kam, minlength=n_kam) <= slots).all()) and changes(kam)

    solution = solve_hours(
        score, effort, capacity, allowed, current, bonus, slots if with_slots else None, max_changes=limit
    )
    check_against(solution, brute_force(score, allowed, current, bonus, fits), score, allowed, current, bonus, fits)


@settings(max_examples=150, deadline=None)
@given(instances(), st.booleans())
def test_the_least_overload_and_the_best_plan_within_it_by_enumeration(instance, with_slots):
    score, allowed, current, bonus, slots, effort, capacity, limit = instance
    n_kam = len(capacity)
    places = slots if with_slots else None
    changes = within(limit, allowed, current)

    def others(kam):  # every rule but the hours
        return (places is None or (np.bincount(kam, minlength=n_kam) <= places).all()) and changes(kam)

    def penalty(kam):
        return float(overload_penalty(np.bincount(kam, weights=effort, minlength=n_kam), capacity).sum())

    least = least_overload(effort, capacity, allowed, current, places, max_changes=limit)
    plans = [np.array(c) for c in itertools.product(range(n_kam), repeat=len(effort))]
    plans = [kam for kam in plans if allowed[np.arange(len(kam)), kam].all() and others(kam)]
    plans = [kam for kam in plans if np.isfinite(penalty(kam))]  # a KAM with no hours takes none over
    if not plans:
        assert least is None
        return
    assert least.status == "optimal" and penalty(least.kam) == pytest.approx(least.penalty, abs=1e-6)
    assert least.penalty == pytest.approx(min(penalty(kam) for kam in plans), abs=1e-6) and others(least.kam)
    solution = solve_hours(score, effort, capacity, allowed, current, bonus, places, None, limit, least.penalty)
    assert solution.status == "optimal" and penalty(solution.kam) <= least.penalty + 1e-6 and others(solution.kam)
    best = max(objective(score, current, bonus, kam) for kam in plans if penalty(kam) <= least.penalty + 1e-6)
    assert objective(score, current, bonus, solution.kam) == pytest.approx(best, abs=1e-6)


def test_equal_accounts_keep_their_current_kam():
    score = np.tile([50.0, 50.0, 10.0], (4, 1))  # four interchangeable accounts, K0 and K1 equally good
    current = np.array([1, 0, 1, 2])
    for method in ("places", "groups"):
        solution = solve_counts(score, np.array([2, 2, 0]), np.ones((4, 3), bool), current, method=method)
        assert solution.kam.tolist()[:3] == [1, 0, 1]  # the same total, and the fewest changes


# --- the plan --------------------------------------------------------------------------------------------


def test_pure_best_fit_plan_and_its_reasons():
    result = assign(*portfolio(), rules())
    plan = result.plan
    assert plan.columns[:4].tolist() == ["account_id", "kam_id", "current_kam_id", "fit"]
    assert plan["kam_id"].tolist() == ["K1", "K2", "K3"]  # a1 and a3 both want K1 (one place): a3 keeps K3
    assert plan["fit"].tolist() == [75.0, 75.0, 31.25]
    assert plan["fit_current"].tolist() == [25.0, 25.0, 31.25]
    assert (result.total_fit, result.total_fit_current, result.gain) == (181.25, 81.25, 100.0)
    assert plan["gain"].tolist() == [50.0, 50.0, 0.0]
    assert plan["change"].tolist() == [True, True, False]
    assert plan["status"].tolist() == ["moved", "moved", "kept"]
    assert plan["reason_en"].iloc[0] == (
        "Bea → Ana: Ana fits better: 75.0 against 25.0 (+50.0); most of it from Analysis and planning (+75.0)"
    )
    assert plan["reason_es"].iloc[0] == (
        "Bea → Ana: Ana encaja mejor: 75,0 frente a 25,0 (+50,0); sobre todo por Análisis y planificación (+75,0)"
    )
    assert plan["reason_en"].iloc[2] == (
        "kept Carla (fit 31.3): Ana fits 43.8 points more but is at capacity: 2 of 1 accounts with this one"
    )
    assert plan["constraint"].tolist() == ["", "", "accounts"]
    assert result.status == "optimal" and result.capacity == "both"
    assert result.kams[["kam_id", "accounts_current", "accounts_planned"]].values.tolist() == [
        ["K1", 1, 1],
        ["K2", 1, 1],
        ["K3", 1, 1],
    ]
    assert result.summary("en") == (
        "Plan for 3 accounts and 3 KAMs (capacity: max_accounts and hours): total fit 181.3 against 81.3 now "
        "(+100.0); 2 changes of KAM; 0 accounts no KAM can take."
    )
    assert result.summary("es").startswith("Plan para 3 cuentas y 3 KAM (capacidad: max_accounts y horas): encaje")
    assert result.kam_table("es").columns[:3].tolist() == ["KAM", "Nombre", "Máximo de cuentas"]
    for words in (result.summary, result.findings):
        with pytest.raises(KamError, match=r"unknown language 'fr'; allowed: es, en"):
            words("fr")


def test_fit_table_has_every_pair_and_explains_itself():
    result = assign(*portfolio(), rules())
    table = result.fit_table
    assert table.columns[:3].tolist() == ["account_id", "kam_id", "fit"]
    assert len(table) == 9 and table["planned"].sum() == 3 and table["current"].sum() == 3
    points = table.filter(like="contribution_")
    assert points.shape[1] == 8 and np.allclose(points.sum(axis=1), table["fit"])
    row = table[(table["account_id"] == "a3") & (table["kam_id"] == "K3")].iloc[0]
    assert (row["fit"], row[f"contribution_{AP}"], row[f"contribution_{PO}"]) == (31.25, 18.75, 12.5)


def test_explain_against_the_need_and_the_other_kams():
    result = assign(*portfolio(), rules())
    frame = result.explain("a3", "K3", "en")
    assert frame["contribution"].sum() == pytest.approx(frame.attrs["fit"]) == 31.25
    assert frame.attrs["others_mean_fit"] == 50.0  # K1 75 and K2 25
    assert frame["versus_others"].sum() == pytest.approx(31.25 - 50.0)
    first, last = frame.iloc[0], frame[frame["competence"] == AP].iloc[0]
    assert first["competence"] == PO and first["note"] == "level 3; 12.5 points; +0.0 against the other KAMs"
    assert last["note"] == "level 3; required 4 (short); 18.8 points; -18.8 against the other KAMs"
    assert bool(last["met"]) is False and last["weight"] == 75.0
    spanish = result.explain("a3", "K3", "es")
    assert spanish[spanish["competence"] == AP]["note"].iloc[0].startswith("nivel 3; exigido 4 (no llega); 18,8 puntos")
    assert (
        spanish[spanish["competence"] == "drive"]["note"].iloc[0]
        == "sin evaluar: cuenta como el nivel más bajo (sin constancia)"
    )
    with pytest.raises(KamError, match=r"unknown KAM 'K9'; known: K1, K2, K3"):
        result.explain("a3", "K9")
    with pytest.raises(KamError, match=r"unknown account 'zz'"):
        result.explain("zz", "K1")


def test_continuity_bonus_adds_to_every_change_cost():
    assert assign(*portfolio(), rules(continuity_bonus=10)).plan["kam_id"].tolist() == ["K1", "K2", "K3"]
    kept = assign(*portfolio(), rules(continuity_bonus=60))
    assert kept.plan["kam_id"].tolist() == ["K2", "K1", "K3"] and not kept.plan["change"].any()
    assert kept.plan["change_cost"].tolist() == [60.0, 60.0, 60.0]
    assert kept.plan["reason_en"].iloc[0] == (
        "kept Bea for continuity: Ana fits 50.0 points more, less than the change cost (Invest: 60.0)"
    )
    assert kept.plan["reason_es"].iloc[0] == (
        "se mantiene Bea por continuidad: Ana encaja 50,0 puntos más, menos que el coste de cambio (Invertir: 60,0)"
    )
    assert kept.gain == 0


def test_fixed_and_forbidden_pairs():
    forbidden = assign(*portfolio(), rules(forbidden=[{"account_id": "a3", "kam_id": "K1"}]))
    assert forbidden.plan["kam_id"].tolist() == ["K1", "K2", "K3"]
    forbidden = assign(*portfolio(), rules(forbidden=[{"account_id": "a1", "kam_id": "K1"}]))
    assert forbidden.plan["kam_id"].tolist() == ["K3", "K2", "K1"]
    assert forbidden.plan["reason_en"].iloc[2] == (
        "Carla → Ana: Ana fits better: 75.0 against 31.3 (+43.8); most of it from Analysis and planning (+56.3)"
    )
    assert not forbidden.fit_table.query("account_id == 'a1' and kam_id == 'K1'")["allowed"].iloc[0]
    fixed = assign(*portfolio(), rules(fixed=[{"account_id": "a2", "kam_id": "K3"}]))
    assert fixed.plan["kam_id"].tolist() == ["K2", "K3", "K1"]  # a1 keeps K2: the same total
    assert fixed.plan["status"].iloc[1] == "fixed"
    assert fixed.plan["reason_en"].iloc[1] == "fixed to Carla in the assignment settings (was Ana); fit 31.3"
    assert fixed.plan["reason_es"].iloc[1] == "fijada a Carla en los ajustes de asignación (antes Ana); encaje 31,3"
    assert fixed.plan["constraint"].iloc[1] == "rules"


@pytest.mark.parametrize(
    ("changes", "en", "es"),
    [
        (
            {"fixed": [{"account_id": "a9", "kam_id": "K1"}], "forbidden": [{"account_id": "a1", "kam_id": "K7"}]},
            "assignment settings, fixed: unknown account 'a9'; known: a1, a2, a3\n"
            "assignment settings, forbidden: unknown KAM 'K7'; known: K1, K2, K3",
            "ajustes de asignación, fixed: no existe la cuenta 'a9'; existentes: a1, a2, a3",
        ),
        (
            {"fixed": [{"account_id": "a1", "kam_id": "K1"}], "forbidden": [{"account_id": "a1", "kam_id": "K1"}]},
            "assignment settings: the pair a1–K1 is both fixed and forbidden",
            "ajustes de asignación: el par a1–K1 está fijado y prohibido a la vez",
        ),
        (
            {"fixed": [{"account_id": "a1", "kam_id": "K1"}, {"account_id": "a1", "kam_id": "K2"}]},
            "assignment settings, fixed: account a1 is fixed to K1 and to K2; allowed: one KAM per account",
            "ajustes de asignación, fixed: la cuenta a1 está fijada a K1 y a K2",
        ),
        (
            {"fixed": [{"account_id": "a1", "kam_id": "K1"}, {"account_id": "a3", "kam_id": "K1"}]},
            "fixed pairs: K1 has 2 fixed accounts (a1, a3) but max_accounts 1",
            "pares fijos: K1 tiene 2 cuentas fijadas (a1, a3) y max_accounts 1",
        ),
        (
            {"min_fit": 50},
            "capacity: K1 is the only KAM allowed for 2 accounts (a1, a3), more than its max_accounts 1; allow other "
            "KAMs for them (fixed, forbidden, min_fit) or raise its capacity",
            "capacidad: K1 es el único KAM admitido para 2 cuentas (a1, a3), más que su max_accounts 1",
        ),
    ],
)
def test_bad_settings_are_explained(changes, en, es):
    with pytest.raises(KamError) as caught:
        assign(*portfolio(), rules(**changes))
    assert en in caught.value.render("en")
    assert es in caught.value.render("es")


def test_places_below_what_the_accounts_need():
    with pytest.raises(KamError) as caught:
        assign(*portfolio(max_accounts=(1, 1, 0)), rules())
    assert caught.value.render("en") == (
        "capacity: the KAMs can take 2 accounts in all (kams.max_accounts; an empty cell is no limit) but 3 accounts "
        "need a KAM; raise max_accounts, or allow more pairs (forbidden, min_fit)"
    )
    assert "los KAM pueden llevar 2 cuentas en total" in caught.value.render("es")


def test_hours_below_what_the_accounts_need_give_the_least_overload_and_say_it():
    result = assign(*portfolio(capacity_hours=(330, 330, 0)), rules(capacity="hours"))  # 700 h for 660 h
    assert result.status == "optimal" and not result.capacity_met
    loads = result.kams.set_index("kam_id")
    assert sorted(loads["effort_planned"].tolist()) == [0, 320, 380]  # the 40 h short fall on one KAM, not two
    over = loads[loads["over_planned"] > 0]
    assert over["over_planned"].tolist() == [50.0]
    name = {"K1": "Ana", "K2": "Bea"}[over.index[0]]
    kinds = result.finding_rows["kind"].tolist()
    assert kinds[:2] == ["capacity_short", "overload"]
    assert result.findings("en")[0] == (
        "No plan keeps every KAM within their hours: the accounts need 700 h and the KAMs have 660 h (106.1%); the "
        "hours over are spread as thinly as they can be. Raise capacity_hours, lower effort_hours, or take accounts "
        "out."
    )
    assert result.findings("en")[1] == (
        f"{name} is planned above capacity: 380 of 330 h, 50 h over (115.2% of their hours)."
    )
    assert result.findings("es")[1] == (
        f"{name} queda por encima de su capacidad en el plan: 380 de 330 h, 50 h de más (115,2\xa0% de sus horas)."
    )


def test_hours_that_do_not_divide_among_the_kams_are_spread_and_said():
    scored, kams, competences = portfolio(capacity_hours=(500, 500, 0))
    scored["quadrant"] = "invest"  # 3 × 320 h = 960 h ≤ 1,000 h, but a KAM holds one invest account only
    result = assign(scored, kams, competences, rules(capacity="hours"))
    assert not result.capacity_met and result.kams["over_planned"].tolist().count(140.0) == 1
    assert result.findings("en")[0].startswith(
        "No plan keeps every KAM within their hours, though the team has 1,000 h for 960 h: the accounts do not "
        "divide among the KAMs"
    )
    assert "640 of 500 h, 140 h over (128.0% of their hours)" in result.findings("en")[1]


def test_constraints_no_plan_meets_together():
    scored, kams, competences = portfolio()
    scored["kam_id"] = "K1"  # one place each, and no change allowed: K1 cannot keep all three
    with pytest.raises(KamError) as caught:
        assign(scored, kams, competences, rules(max_changes=0))
    assert caught.value.render("en") == (
        "no plan meets these constraints together: capacity: max_accounts and hours; max_changes 0. Each account has "
        "a KAM allowed and the totals fit, but not all at once: relax one of them"
    )
    assert caught.value.render("es").startswith(
        "ningún plan cumple a la vez estas condiciones: capacidad: max_accounts y horas; max_changes 0"
    )


def test_capacity_in_hours_and_none():
    roomy = assign(*portfolio(capacity_hours=(650, 100, 100)), rules(capacity="hours"))
    assert roomy.capacity == "hours"
    assert roomy.plan["kam_id"].tolist() == ["K1", "K2", "K1"]  # K1 holds both invest accounts (640 h)
    assert roomy.kams["effort_planned"].tolist() == [640, 60, 0]
    assert roomy.kams["use_planned"].iloc[0] == pytest.approx(100 * 640 / 650)
    free = assign(*portfolio(max_accounts=(1, 1, 1)), rules(capacity="none"))
    assert free.plan["kam_id"].tolist() == ["K1", "K2", "K1"]
    scored, kams, competences = portfolio()
    auto = assign(scored, kams.drop(columns="max_accounts"), competences, rules())
    assert auto.capacity == "hours" and auto.plan["kam_id"].tolist() == ["K1", "K2", "K1"]
    with pytest.raises(KamError, match="capacity: accounts needs the column max_accounts in sheet kams"):
        assign(scored, kams.drop(columns="max_accounts"), competences, rules(capacity="accounts"))


def test_accounts_no_one_can_take():
    result = assign(*portfolio(capacity_hours=(100, 100, 100)), rules(capacity="hours"))
    assert result.plan["kam_id"].isna().tolist() == [True, False, True]
    assert result.unassignable["account_id"].tolist() == ["a1", "a3"]
    assert result.unassignable["reason_en"].iloc[0] == (
        "no KAM can take it: no room (its effort is above capacity_hours): K1, K2, K3"
    )
    assert result.plan["status"].tolist() == ["unassignable", "moved", "unassignable"]
    assert result.plan["reason_en"].iloc[0] == result.unassignable["reason_en"].iloc[0]
    picky = assign(
        *portfolio(max_accounts=(3, 3, 3)), rules(min_fit=80, forbidden=[{"account_id": "a1", "kam_id": "K3"}])
    )
    assert picky.plan["kam_id"].isna().all()
    assert picky.unassignable["reason_en"].iloc[0] == (
        "no KAM can take it: forbidden: K3; below the minimum fit 80.0: K1 (75.0), K2 (25.0)"
    )
    assert picky.unassignable["reason_es"].iloc[0] == (
        "ningún KAM puede llevarla: prohibidos: K3; por debajo del encaje mínimo 80,0: K1 (75,0), K2 (25,0)"
    )
    assert "a1: no KAM can take it" in picky.findings("en")[0]


def test_no_assessment_keeps_the_current_kams():
    scored, kams, competences = portfolio()
    result = assign(scored, kams, competences.iloc[0:0], rules())
    assert result.status == "unknown" and result.plan["kam_id"].tolist() == ["K2", "K1", "K3"]
    assert result.plan["fit"].isna().all() and not result.plan["change"].any()
    assert result.plan["reason_en"].iloc[0] == "no competence assessment: fit unknown; Bea stays"
    assert result.teams.empty and result.unassignable.empty and result.gain == 0
    assert [result.summary("en"), *result.findings("en")][:2] == [
        "No plan for 3 accounts and 3 KAMs: no fit is known (no competence assessment); the current KAMs stay.",
        "No KAM has a competence assessment yet: every fit is unknown, so no plan is proposed.",
    ]
    assert result.findings("es")[0].startswith("Ningún KAM tiene aún evaluación de competencias")


def test_an_unassessed_kam_counts_zero():
    scored, kams, competences = portfolio(max_accounts=(3, 3, 3))
    result = assign(scored, kams, competences[competences["kam_id"] != "K3"], rules())
    assert result.plan["kam_id"].tolist() == ["K1", "K2", "K1"]
    assert "K3 has no competence assessment: fit unknown, counted as 0 in the plan." in [
        result.summary("en"),
        *result.findings("en"),
    ]


def test_teams_where_no_one_fits_alone():
    scored, kams, competences = portfolio()
    extra = pd.DataFrame(
        [("K3", "empathy", 5, "director", "supplier")], columns=["kam_id", "competence", "score", "assessor", "side"]
    )
    needs = {"a1": {PO: 4}, "a3": {PO: 4, "empathy": 4}, "a2": {"cultural_versatility": 4}}
    result = assign(scored, kams, pd.concat([competences, extra]), rules(account_requirements=needs))
    teams = result.teams.set_index("account_id")
    assert teams.loc["a1", ["members", "size", "team_fit"]].tolist() == ["K1 + K2", 2, 100.0]  # a pair is enough
    assert teams.loc["a3", ["members", "size"]].tolist() == ["K1 + K2 + K3", 3]
    assert teams.loc["a2", "size"] == 0
    assert teams.loc["a1", "message_en"] == (
        "a1: no single KAM meets Analysis and planning ≥ 4, Profitability orientation ≥ 4; the team K1 + K2 does "
        "(team fit 100.0)."
    )
    assert teams.loc["a2", "message_en"] == (
        "a2: no team of up to three KAMs meets Cultural versatility ≥ 4, Profitability orientation ≥ 4; nobody reaches "
        "the level in Cultural versatility."
    )
    assert teams.loc["a1", "message_es"].startswith("a1: ningún KAM cumple por sí solo Análisis y planificación ≥ 4")
    kinds = result.finding_rows["kind"].tolist()
    assert kinds.count("team") == 2 and kinds.count("no_team") == 1
    forbidden = rules(account_requirements=needs, forbidden=[{"account_id": "a1", "kam_id": "K2"}])
    assert assign(scored, kams, competences, forbidden).teams.set_index("account_id").loc["a1", "size"] == 0


def test_unplaced_accounts_need_the_mean():
    scored, kams, competences = portfolio(max_accounts=(3, 3, 3))
    scored.loc[1, "quadrant"] = None
    result = assign(scored, kams, competences, rules())
    assert result.plan["fit"].iloc[1] == pytest.approx(50.0)  # importance 2 and 2: K1 100·(2·1 + 2·0)/4
    assert result.plan["effort_hours"].iloc[1] == 190
    assert "1 account has no quadrant (left out of the matrix): they are taken to need the mean of the four " in (
        " ".join([result.summary("en"), *result.findings("en")])
    )


def test_the_sample_engagement():
    engagement = kamlib.load()
    result = assign(kamlib.score_scenario(engagement), engagement.kams, engagement.competences)
    assert len(result.plan) == len(engagement.accounts) and result.status == "optimal"
    loads = result.kams.set_index("kam_id")
    assert (loads["accounts_planned"] <= loads["max_accounts"]).all()
    assert result.total_fit >= result.total_fit_current
    assert (result.finding_rows["kind"] == "customer_gap").any()


def test_reports_ask_for_no_error_and_get_the_current_kams_with_the_reason():
    import kamlib

    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    kams = engagement.kams.assign(max_accounts=3)  # 21 places for 48 accounts
    with pytest.raises(KamError, match="21"):
        assign(scored, kams, engagement.competences)
    result = assign(scored, kams, engagement.competences, strict=False)
    assert result.status == "infeasible" and not result.plan["change"].any()
    assert (result.plan["kam_id"] == result.plan["current_kam_id"]).all()
    headline = result.summary("es")
    assert (
        headline.startswith("Sin plan: ") and "21" in headline and headline.endswith("Se mantienen los KAM actuales.")
    )
    assert "ningún plan cumple las condiciones" in result.plan["reason_es"].iloc[0]
    assert "Sin plan: " in assignment_html(result, "A001", "es")


def test_a_fraction_of_max_accounts_is_no_place_and_teams_read_in_both_languages():
    import kamlib

    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    places = [6.5, 6.5, 7, 7, 7, 7, 7]  # 48 on paper, 47 whole places for 48 accounts
    with pytest.raises(KamError, match="47"):
        assign(scored, engagement.kams.assign(max_accounts=places), engagement.competences)
    result = assign(scored, engagement.kams, engagement.competences)
    assert list(result.team_table("es").columns) == ["Cuenta", "Estrategia", "Necesita", "Equipo", "Por qué"]
    assert list(result.team_table("en").columns) == ["Account", "Strategy", "Needs", "Team", "Why"]


def test_an_accounts_fragment_names_its_kams_and_only_competences_that_set_the_fit_apart():
    import kamlib

    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    result = assign(scored, engagement.kams, engagement.competences)
    for account in ("A001", "A014", "A030"):
        text = assignment_html(result, account, "en")
        assert "Managed today by " in text and "The plan of highest total fit proposes " in text
        assert "+0.0 against" not in text and "−0.0 against" not in text and "-0.0 against" not in text
    assert "La lleva hoy " in assignment_html(result, "A001", "es")
