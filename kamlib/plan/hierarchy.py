"""Account hierarchies: a group's divisions, a division's sites, up to 100 levels deep, and the portfolio drawn at a
level.

`accounts.parent_id` names the account an account belongs to (empty: a top account). An account with members is a
*group*; it is an account too, with its own revenue, scores and hours if it has any (central purchasing, say).
Drawn at level L (0 = the top accounts), every account counts once, in its ancestor of depth L (itself when it is
shallower); the rule, exact so that anyone can check it:

- revenue, the KAM hours logged on the accounts (a log, not a survey) and, when it is known, their cost to serve and
  profit after it (`kamlib.plan.cost`) add up over the accounts a unit holds, so they are conserved at every level
  (a unit's cost or profit is unknown when one of its accounts' is);
- a unit's composites are the revenue-weighted mean of the composites of the placed accounts it holds (the plain
  mean when they have no revenue), and its quadrant uses the scoring's cut lines; a unit none of whose accounts is
  placed is not placed;
- a unit that holds one account is that account (its composites, quadrant and what it lacks).

Cycles and unknown parents are workbook problems (`kamlib.workbook.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, count_text
from kamlib.method import AXES, QUADRANTS, STRATEGY_NAMES, strategy_text
from kamlib.plan.cost import CostToServe, cost_to_serve
from kamlib.scoring import classify

_WORDS = {
    "group": {"es": "Grupo", "en": "Group"},
    "account": {"es": "Cuenta", "en": "Account"},
    "members": {"es": "Cuentas", "en": "Accounts"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "potential": {"es": "Potencial", "en": "Potential"},
    "position": {"es": "Posición", "en": "Position"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "depth": {"es": "Nivel", "en": "Level"},
    "hours": {"es": "Horas de KAM", "en": "KAM hours"},
    "cost_to_serve": {"es": "Coste de servir", "en": "Cost to serve"},
    "profit": {"es": "Beneficio tras el coste de servir", "en": "Profit after cost to serve"},
}
_SUMMARY = {
    "es": {
        "none": "Las cuentas no forman grupos.",
        "some": "{groups} con {members} dentro; a nivel {level}, la cartera tiene {units}.",
        "groups": ("{n} grupo", "{n} grupos"),
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "units": ("{n} unidad", "{n} unidades"),
    },
    "en": {
        "none": "The accounts form no groups.",
        "some": "{groups} with {members} within; at level {level}, the portfolio has {units}.",
        "groups": ("{n} group", "{n} groups"),
        "accounts": ("{n} account", "{n} accounts"),
        "units": ("{n} unit", "{n} units"),
    },
}


def account_tree(accounts: pd.DataFrame) -> pd.DataFrame:
    """Each account's place in the hierarchy (workbook order): account_id, parent_id (None at the top), depth (0 at
    the top), top (its top account) and path (its ancestors' ids from the top, itself last). The sheet must be free
    of cycles and unknown parents (as validation leaves it)."""
    ids = accounts["account_id"].astype(str).tolist()
    parents = {a: (None if pd.isna(p) else str(p)) for a, p in zip(ids, _parents(accounts), strict=True)}
    paths: dict[str, list[str]] = {}
    for account in ids:
        chain, node = [], account
        while node is not None and node not in paths:
            chain.append(node)
            node = parents[node]
        above = [] if node is None else paths[node]
        for i, member in enumerate(reversed(chain)):
            paths[member] = [*above, *list(reversed(chain))[: i + 1]]
    return pd.DataFrame(
        {
            "account_id": ids,
            "parent_id": [parents[a] for a in ids],
            "depth": [len(paths[a]) - 1 for a in ids],
            "top": [paths[a][0] for a in ids],
            "path": [tuple(paths[a]) for a in ids],
        }
    )


def _parents(accounts: pd.DataFrame) -> pd.Series:
    return accounts["parent_id"] if "parent_id" in accounts else pd.Series(None, index=accounts.index, dtype=object)


def unit_of(tree: pd.DataFrame, level: int) -> pd.Series:
    """Each account's unit at `level` (its ancestor of that depth, or itself when shallower), indexed by account."""
    return pd.Series([p[min(level, len(p) - 1)] for p in tree["path"]], index=tree["account_id"].to_numpy())


def roll_up(
    engagement: Engagement, scored: pd.DataFrame, level: int = 0, cost: CostToServe | None = None
) -> pd.DataFrame:
    """The portfolio at `level` (see the module's rule), shaped as `scored` so the matrix, tables and charts take
    it: one row per unit in the workbook's order of accounts: account_id, name, sector, kam_id (the unit's own),
    revenue, potential, position, quadrant, strategy_es, strategy_en, placed, missing_axis, members (accounts it
    holds, itself included), member_ids, hours (NaN for a survey), cost_to_serve and profit (NaN when not known;
    `cost` is the engagement's `cost_to_serve` when the caller has it already, None: computed here). `.attrs` are
    `scored`'s, with `level`."""
    if isinstance(level, bool) or not isinstance(level, int) or level < 0:
        raise ValueError(f"level must be a whole number ≥ 0; got {level!r}")
    tree = account_tree(engagement.accounts)
    unit = unit_of(tree, level)
    rows = scored.set_index(scored["account_id"].astype(str)).reindex(tree["account_id"])
    revenue = pd.to_numeric(rows["revenue"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    placed = rows["placed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    units = list(dict.fromkeys(unit.to_numpy()))
    code = pd.Categorical(unit.to_numpy(), categories=units).codes
    weight = np.where(placed, np.where(revenue > 0, revenue, 0.0), 0.0)
    largest = np.zeros(len(units))
    np.maximum.at(largest, code, weight)
    weight = np.where(largest[code] > 0, weight / np.where(largest[code] > 0, largest[code], 1.0), 0.0)  # ≤ 1 each
    weight = np.where((largest[code] == 0) & placed, 1.0, weight)  # no revenue among its placed accounts: plain mean
    total = np.bincount(code, weights=weight, minlength=len(units))
    composites = np.full((len(units), len(AXES)), np.nan)
    for i, axis in enumerate(AXES):
        values = np.nan_to_num(rows[axis].to_numpy(dtype=float))
        with np.errstate(invalid="ignore", divide="ignore"):
            composites[:, i] = np.where(total > 0, np.bincount(code, weights=weight * values,
                                                               minlength=len(units)) / total, np.nan)  # fmt: skip
    composites = np.round(composites, 9)
    cuts = scored.attrs.get("cuts", {})
    codes = classify(composites, np.array([float(cuts.get(axis, 5.0)) for axis in AXES]))
    own = engagement.accounts.set_index(engagement.accounts["account_id"].astype(str)).reindex(units)
    names = np.array([*QUADRANTS, None], dtype=object)
    out = pd.DataFrame(
        {
            "account_id": units,
            "name": own["name"].astype(str).to_numpy(),
            "sector": own["sector"].to_numpy(dtype=object),
            "kam_id": own["kam_id"].to_numpy(dtype=object),
            "revenue": np.bincount(code, weights=revenue, minlength=len(units)),
            "potential": composites[:, 0],
            "position": composites[:, 1],
            "quadrant": names[codes],
        }
    )
    for lang in ("es", "en"):
        out[f"strategy_{lang}"] = [STRATEGY_NAMES[q][lang] if q in STRATEGY_NAMES else None for q in out["quadrant"]]
    out["placed"] = codes >= 0
    out["missing_axis"] = [None if p else ", ".join(a for a, v in zip(AXES, c, strict=True) if np.isnan(v))
                           for p, c in zip(out["placed"], composites, strict=True)]  # fmt: skip
    out["members"] = np.bincount(code, minlength=len(units))
    out["member_ids"] = [tuple(unit.index[code == i]) for i in range(len(units))]
    alone = (out["members"] == 1).to_numpy()  # a unit of one account is that account, as scored
    own_rows = rows.reindex(out["account_id"])
    for column in ("potential", "position", "quadrant", "strategy_es", "strategy_en", "placed", "missing_axis"):
        values = out[column].to_numpy(dtype=object).copy()
        values[alone] = own_rows[column].to_numpy(dtype=object)[alone]
        out[column] = values
    out[["potential", "position"]] = out[["potential", "position"]].astype(float)
    out["placed"] = out["placed"].astype(bool)
    cost = cost_to_serve(engagement, scored) if cost is None else cost
    for column, values in _account_sums(engagement, cost, tree["account_id"]).items():
        out[column] = np.bincount(code, weights=np.nan_to_num(values), minlength=len(units))
        unknown = np.bincount(code, weights=np.isnan(values).astype(float), minlength=len(units)) > 0
        out.loc[unknown, column] = np.nan
    out.attrs = {**scored.attrs, "level": level}
    return out


def _account_sums(engagement: Engagement, cost: CostToServe, ids: pd.Series) -> dict[str, np.ndarray]:
    """Per account (in `ids` order), what a unit adds up: hours logged on it, its cost to serve and profit."""
    time = engagement.time
    if engagement.time_unit == "hours":
        logged = time[time["account_id"].notna()].groupby("account_id")["hours"].sum()
        hours = logged.reindex(ids).fillna(0.0).to_numpy(dtype=float)
    else:
        hours = np.full(len(ids), np.nan)
    known = cost.accounts.set_index("account_id").reindex(ids)
    nothing = np.full(len(ids), np.nan)
    return {
        "hours": hours,
        "cost_to_serve": known["cost_to_serve"].to_numpy(dtype=float) if cost.available else nothing,
        "profit": known["profit"].to_numpy(dtype=float) if cost.available else nothing,
    }


@dataclass(frozen=True)
class Hierarchy:
    """The engagement's hierarchy and its portfolio drawn at one level."""

    tree: pd.DataFrame
    """`account_tree`."""
    units: pd.DataFrame
    """`roll_up` at `level`."""
    level: int

    @property
    def groups(self) -> pd.DataFrame:
        """The accounts with members: account_id and how many accounts each holds below it."""
        below = pd.Series([a for path in self.tree["path"] for a in path[:-1]]).value_counts()
        frame = self.tree[self.tree["account_id"].isin(below.index)][["account_id"]].copy()
        frame["below"] = below.reindex(frame["account_id"]).to_numpy(dtype=np.int64)
        return frame

    def title(self, lang: str) -> str:
        """The title of the matrix of the units: `Matriz de cuentas por grupos (nivel 0)`."""
        return {"es": "Matriz de cuentas por grupos (nivel {level})", "en": "Account matrix by group (level {level})"}[
            check_lang(lang)
        ].format(level=self.level)

    def summary(self, lang: str) -> str:
        """One sentence: how many groups hold how many accounts, and how many units the portfolio is at the level."""
        words = _SUMMARY[check_lang(lang)]
        groups = self.groups
        if groups.empty:
            return words["none"]
        held = int((self.tree["depth"] > 0).sum())
        return words["some"].format(
            groups=count_text(words["groups"], len(groups), lang),
            members=count_text(words["accounts"], held, lang),
            level=self.level,
            units=count_text(words["units"], len(self.units), lang),
        )

    def table(self, lang: str) -> pd.DataFrame:
        """The units that hold more than one account, for people: group, accounts, revenue, potential, position,
        strategy, and the KAM hours, cost to serve and profit after it when the workbook gives them (numbers with
        their units in `.attrs["units"]`)."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        frame = self.units[self.units["members"] > 1]
        table = pd.DataFrame(
            {
                w["group"]: frame["name"].astype(str).to_numpy(),
                w["members"]: frame["members"].to_numpy(dtype=np.int64),
                w["revenue"]: frame["revenue"].to_numpy(dtype=float),
                w["potential"]: frame["potential"].to_numpy(dtype=float),
                w["position"]: frame["position"].to_numpy(dtype=float),
                w["strategy"]: [strategy_text(q, lang) for q in frame["quadrant"]],
            }
        )
        units = {w["members"]: "integer", w["revenue"]: "money", w["potential"]: "decimal1", w["position"]: "decimal1"}
        for column, unit in (("hours", "decimal1"), ("cost_to_serve", "money"), ("profit", "money")):
            if self.units[column].notna().any():
                table[w[column]] = frame[column].to_numpy(dtype=float)
                units[w[column]] = unit
        table.attrs["units"] = units
        return table

    def members_table(self, scored: pd.DataFrame, account_id: str, lang: str) -> pd.DataFrame:
        """A group's accounts below it (all depths, the group itself first), for people: account, level, revenue,
        potential, position, strategy; no rows when the account has no members."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        below = self.tree[[account_id in path[:-1] for path in self.tree["path"]]]
        if below.empty:
            return pd.DataFrame(columns=[w["account"], w["depth"]])
        ids = [account_id, *below["account_id"]]
        rows = scored.set_index(scored["account_id"].astype(str)).reindex(ids)
        depth = self.tree.set_index("account_id")["depth"].reindex(ids)
        table = pd.DataFrame(
            {
                w["account"]: rows["name"].astype(str).to_numpy(),
                w["depth"]: depth.to_numpy(dtype=np.int64),
                w["revenue"]: pd.to_numeric(rows["revenue"], errors="coerce").to_numpy(dtype=float),
                w["potential"]: rows["potential"].to_numpy(dtype=float),
                w["position"]: rows["position"].to_numpy(dtype=float),
                w["strategy"]: [strategy_text(q, lang) for q in rows["quadrant"]],
            }
        )
        table.attrs["units"] = {w["depth"]: "integer", w["revenue"]: "money", w["potential"]: "decimal1",
                                w["position"]: "decimal1"}  # fmt: skip
        return table


def hierarchy(
    engagement: Engagement, scored: pd.DataFrame, level: int = 0, cost: CostToServe | None = None
) -> Hierarchy:
    """The engagement's hierarchy and its portfolio at `level` (0: the top accounts); `cost` as `roll_up` takes it."""
    return Hierarchy(account_tree(engagement.accounts), roll_up(engagement, scored, level, cost), level)
