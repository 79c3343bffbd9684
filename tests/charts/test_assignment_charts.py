"""The assignment views: every pair's fit as a heat map, and the matrix coloured by KAM before and after."""

from __future__ import annotations

import re

import pytest

import kamlib
from kamlib.assignment import assign
from kamlib.charts.assignment import (
    CELLS_LAYER,
    CHANGED_LAYER,
    CURRENT_LAYER,
    KAM_BUBBLES_LAYER,
    PROPOSED_LAYER,
    VALUES_LAYER,
    fit_heatmap,
    kam_matrix_chart,
)
from tests.charts.specs import units

XSS = "<script>window.__kam_xss=1</script>"


@pytest.fixture(scope="module")
def planned():
    engagement = kamlib.load()
    accounts = engagement.accounts.assign(name=engagement.accounts["name"].where(engagement.accounts.index != 0, XSS))
    sheets = {k: getattr(engagement, k) for k in ("criteria", "scores", "kams", "time", "competences")}
    engagement = kamlib.Engagement.from_frames({**sheets, "accounts": accounts})
    scored = kamlib.score_scenario(engagement)
    return engagement, scored, assign(scored, engagement.kams, engagement.competences)


def all_units(spec):
    """Every unit spec, inside layers and the panels of a concatenation."""
    if "hconcat" in spec:
        return [u for panel in spec["hconcat"] for u in units(panel)]
    return units(spec)


def named(spec, name):
    """The units called `name` (altair numbers the names of a concatenation's panels: name_0, name_1)."""
    return [u for u in all_units(spec) if re.fullmatch(rf"{name}(_\d+)?", u.get("name", ""))]


def rows(spec, name):
    (unit,) = named(spec, name)
    data = unit.get("data") or spec["data"]  # layers sharing their data have it at the top
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_heat_map_has_every_pair_and_marks_the_proposed_and_current_kam(planned):
    engagement, scored, result = planned
    spec = fit_heatmap(result.fit_table, scored, engagement.kams, "en", plan=result.plan, rows=None).to_dict()
    cells = rows(spec, CELLS_LAYER)
    assert len(cells) == 48 * 7 and {c["account"] for c in cells} >= {XSS}  # the hostile name is data, not markup
    names = dict(zip(engagement.kams["kam_id"], engagement.kams["name"], strict=True))
    label = dict(zip(scored["account_id"], scored["name"], strict=True))
    proposed = {(r["account"], r["kam"]) for r in rows(spec, PROPOSED_LAYER)}
    pairs = zip(result.plan["account_id"], result.plan["kam_id"], strict=True)
    assert proposed == {(label[a], names[k]) for a, k in pairs}
    current = {(r["account"], r["kam"]) for r in rows(spec, CURRENT_LAYER)}
    pairs = zip(scored["account_id"], scored["kam_id"], strict=True)
    assert current == {(label[a], names[k]) for a, k in pairs}
    fit = {(c["account"], c["kam"]): c["fit"] for c in cells}
    first = result.fit_table.iloc[0]
    assert fit[(label[first["account_id"]], names[first["kam_id"]])] == round(first["fit"], 1)
    assert not named(spec, VALUES_LAYER)  # 48 rows: too many to write the values
    assert spec["title"]["text"] == "Fit of each KAM to each account"


def test_heat_map_shows_the_largest_accounts_when_asked_for_fewer(planned):
    engagement, scored, result = planned
    spec = fit_heatmap(result.fit_table, scored, engagement.kams, "es", rows=10).to_dict()
    shown = {c["account"] for c in rows(spec, CELLS_LAYER)}
    assert shown == set(scored.nlargest(10, "revenue")["name"])
    assert "10 de 48 cuentas (las de más facturación)" in spec["title"]["subtitle"]
    assert named(spec, VALUES_LAYER)  # few rows: each cell says its fit


def test_matrix_by_kam_rings_the_accounts_that_change(planned):
    engagement, scored, result = planned
    spec = kam_matrix_chart(scored, result.plan, engagement.kams, "es").to_dict()
    before, after = rows(spec, f"{KAM_BUBBLES_LAYER}_before"), rows(spec, f"{KAM_BUBBLES_LAYER}_after")
    names = dict(zip(engagement.kams["kam_id"], engagement.kams["name"], strict=True))
    plan = result.plan.set_index("account_id")
    label = dict(zip(scored["name"], scored["account_id"], strict=True))
    assert all(r["kam"] == names[plan.loc[label[r["name"]], "current_kam_id"]] for r in before)
    assert all(r["kam"] == names[plan.loc[label[r["name"]], "kam_id"]] for r in after)
    changed = [r for r in after if r["changed"]]
    assert len(changed) == int(result.plan["change"].sum()) and len(changed) > 0
    assert len(named(spec, CHANGED_LAYER)) == 1
    assert spec["title"]["text"] == "Quién lleva cada cuenta"
    assert f"{len(changed)} cuentas cambian de KAM" in spec["title"]["subtitle"][0]
    domain = named(spec, f"{KAM_BUBBLES_LAYER}_after")[0]["encoding"]["color"]
    assert domain["scale"]["domain"] == list(names.values())  # no "no KAM" entry: every account has one
