"""Account hierarchies (`accounts.parent_id`, `kamlib.plan.hierarchy`): the tree, the roll-up worked by hand and its
properties, the workbook problems, and where a group shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.errors import WorkbookError
from kamlib.plan.hierarchy import account_tree, hierarchy, roll_up
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")


def grouped(parents: dict[str, str], revenue: dict[str, float] | None = None) -> kamlib.Engagement:
    tiny = kamlib.load(TINY)
    frames = {name: getattr(tiny, name) for name in SHEETS}
    accounts = frames["accounts"].copy()
    accounts["parent_id"] = [parents.get(a) for a in accounts["account_id"]]
    if revenue:
        accounts["revenue"] = [revenue.get(a, r) for a, r in zip(accounts["account_id"], accounts["revenue"],
                                                                   strict=True)]  # fmt: skip
    frames["accounts"] = accounts
    return kamlib.Engagement.from_frames(frames, "tiny")


def test_the_tree_and_the_roll_up_worked_by_hand() -> None:
    engagement = grouped({"A2": "A1", "A4": "A2"})  # A1 → A2 → A4; A3 on its own
    tree = account_tree(engagement.accounts).set_index("account_id")
    assert tree["depth"].to_dict() == {"A1": 0, "A2": 1, "A3": 0, "A4": 2}
    assert tree.loc["A4", "path"] == ("A1", "A2", "A4") and tree.loc["A4", "top"] == "A1"
    scored = kamlib.score_scenario(engagement)
    top = roll_up(engagement, scored, 0).set_index("account_id")
    assert top.index.tolist() == ["A1", "A3"] and top["members"].tolist() == [3, 1]
    # revenue 2.5 M + 640 k + 180 k; potential (2.5 M·8.3333 + 640 k·7.6389 + 180 k·1.3889) / 3.32 M = 7.8229;
    # position (2.5 M·8.3333 + 640 k·2.6667 + 180 k·1.6667) / 3.32 M = 6.8795
    assert top.loc["A1", "revenue"] == 3_320_000
    assert top.loc["A1", "potential"] == pytest.approx(25_972_222.2 / 3_320_000, abs=1e-4)
    assert top.loc["A1", "position"] == pytest.approx(22_840_000 / 3_320_000, abs=1e-4)
    assert top.loc["A1", "quadrant"] == "invest" and top.loc["A1", "member_ids"] == ("A1", "A2", "A4")
    one = roll_up(engagement, scored, 1).set_index("account_id")
    # A2's unit: 640 k + 180 k; potential (4,888,889 + 250,000) / 820 k = 6.2669; position 2,006,667 / 820 k
    assert one.loc["A2", "revenue"] == 820_000 and one.loc["A2", "quadrant"] == "selective"
    assert one.loc["A2", "potential"] == pytest.approx(5_138_888.9 / 820_000, abs=1e-4)
    assert one.loc["A2", "position"] == pytest.approx(2_006_666.7 / 820_000, abs=1e-4)
    rows = scored.set_index("account_id")
    assert one.loc["A1", ["potential", "position"]].tolist() == rows.loc["A1", ["potential", "position"]].tolist()
    # hours add up: A1's unit holds A1, A2, A4's hours on them in the tiny time log
    logged = engagement.time[engagement.time["account_id"].notna()].groupby("account_id")["hours"].sum()
    assert top.loc["A1", "hours"] == pytest.approx(logged.reindex(["A1", "A2", "A4"]).fillna(0).sum())
    assert top["cost_to_serve"].isna().all()  # the tiny engagement knows no margin nor cost: nothing to add up
    deep = roll_up(engagement, scored, 5).set_index("account_id")  # deeper than the tree: every account itself
    assert deep.index.tolist() == ["A1", "A2", "A3", "A4"] and (deep["members"] == 1).all()


def test_the_group_pages_name_the_members_and_where_they_sit() -> None:
    engagement = grouped({"A2": "A1", "A4": "A2"})
    scored = kamlib.score_scenario(engagement)
    found = hierarchy(engagement, scored, 0)
    assert found.summary("en") == "2 groups with 2 accounts within; at level 0, the portfolio has 2 units."
    assert found.groups.set_index("account_id")["below"].to_dict() == {"A1": 2, "A2": 1}
    table = found.table("es")
    assert table.values.tolist()[0][:2] == ["Supermercados Peñíscola", 3]
    members = found.members_table(scored, "A1", "en")
    assert members.columns.tolist() == ["Account", "Level", "Revenue", "Potential", "Position", "Strategy"]
    assert members["Account"].tolist() == ["Supermercados Peñíscola", "Hoteles Mirasol", "Épicerie Lumière"]
    assert members["Strategy"].tolist() == ["Invest", "Selective investment", "Milk"]
    assert found.members_table(scored, "A3", "en").empty
    plain = kamlib.load(TINY)
    assert hierarchy(plain, kamlib.score_scenario(plain)).summary("es") == "Las cuentas no forman grupos."


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=-1, max_value=3), min_size=4, max_size=4),
    st.lists(st.floats(min_value=0, max_value=5e6, allow_nan=False), min_size=4, max_size=4),
    st.integers(min_value=0, max_value=3),
)
@example([0, 0, 0, 0], [0.0, 0.0, 0.0, 5e-324], 0)  # a revenue so small that its weight once underflowed
def test_roll_ups_conserve_revenue_and_a_unit_of_one_is_its_account(links, revenues, level) -> None:
    ids = ["A1", "A2", "A3", "A4"]
    parents = {a: ids[p] for a, p in zip(ids, links, strict=True) if p >= 0 and ids.index(a) > p}  # no cycle
    engagement = grouped(parents, dict(zip(ids, revenues, strict=True)))
    scored = kamlib.score_scenario(engagement)
    units = roll_up(engagement, scored, level)
    assert units["revenue"].sum() == pytest.approx(float(np.sum(revenues)), rel=1e-9, abs=1e-6)
    logged = engagement.time[engagement.time["account_id"].notna()]["hours"].sum()
    assert units["hours"].sum() == pytest.approx(float(logged))  # the hours on accounts conserve too
    assert units["members"].sum() == 4
    rows = scored.set_index("account_id")
    for unit in units.itertuples(index=False):
        members = rows.loc[list(unit.member_ids)]
        if unit.members == 1:
            assert (unit.potential, unit.position) == pytest.approx(
                (members["potential"].iloc[0], members["position"].iloc[0])
            )
        for axis in ("potential", "position"):
            value = getattr(unit, axis)
            assert members[axis].min() - 1e-9 <= value <= members[axis].max() + 1e-9


@pytest.mark.parametrize(
    ("parents", "expected"),
    [
        ({"A1": "A2", "A2": "A1"}, ['row 2, column "parent_id"', "A1 → A2 → A1", 'row 3, column "parent_id"']),
        ({"A3": "A3"}, ['row 4, column "parent_id"', "A3 → A3"]),
        ({"A1": "A9"}, ['row 2, column "parent_id"', "unknown account 'A9'"]),
    ],
)
def test_cycles_and_unknown_parents_are_workbook_problems(tmp_path: Path, parents, expected) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    accounts = pd.read_csv(folder / "accounts.csv", dtype=str, keep_default_na=False)
    accounts["parent_id"] = [parents.get(a, "") for a in accounts["account_id"]]
    accounts.to_csv(folder / "accounts.csv", index=False)
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    text = caught.value.render("en")
    for part in expected:
        assert part in text, text
    assert len(text.splitlines()) == len([p for p in expected if p.startswith("row")])


def test_the_sample_groups_add_up_their_cost_to_serve_and_profit() -> None:
    from kamlib.plan.cost import cost_to_serve

    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    found = hierarchy(engagement, scored)
    cost = cost_to_serve(engagement, scored).accounts.set_index("account_id")
    group = found.units.set_index("account_id").loc["A001"]  # Supermercados Levante: A001, A004, A005, A007
    assert group["member_ids"] == ("A001", "A004", "A005", "A007")
    assert group["profit"] == pytest.approx(cost.loc[list(group["member_ids"]), "profit"].sum())
    assert found.units["profit"].sum() == pytest.approx(cost["profit"].sum())
    table = found.table("en")
    assert {"KAM hours", "Cost to serve", "Profit after cost to serve"} <= set(table.columns)
    assert table.attrs["units"]["Profit after cost to serve"] == "money"


def test_a_hierarchy_deeper_than_a_hundred_levels_or_a_long_loop_is_refused_at_once() -> None:
    tiny = kamlib.load(TINY)
    frames = {name: getattr(tiny, name) for name in SHEETS}
    chain = pd.DataFrame({"account_id": [f"C{i:03d}" for i in range(103)], "name": "Cadena", "kam_id": "K1",
                          "revenue": 1.0})  # fmt: skip
    chain["parent_id"] = [None, *chain["account_id"][:-1]]  # C000 ← C001 ← … ← C102: C101 is 101 levels down
    frames["accounts"] = pd.concat([frames["accounts"], chain], ignore_index=True)
    with pytest.raises(WorkbookError) as caught:
        kamlib.Engagement.from_frames(frames, "tiny")
    (line,) = caught.value.render("en").splitlines()
    assert "got 'C100'; allowed: a parent at most 100 levels below a top account" in line
    loop = chain.assign(parent_id=[chain["account_id"].iloc[-1], *chain["account_id"][:-1]])  # C000 ← C102: a loop
    frames["accounts"] = pd.concat([tiny.accounts, loop], ignore_index=True)
    with pytest.raises(WorkbookError) as caught:
        kamlib.Engagement.from_frames(frames, "tiny")
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 103 and "C000 → C102 → C101 → C100 → C099 → C098 → … (+97) → C000 loops" in lines[0]
