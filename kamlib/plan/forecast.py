"""Where each account will be at a horizon: McDonald's directional policy matrix, with our plan and without it.

The `forecasts` sheet gives, per account, horizon (2029, say) and case (`with_plan`: if our plan for the account is
carried out; `without_plan`: if it is not), either forecast criterion scores or forecast composites. The rule, exact
so that anyone can check it:

- the account's scores as the matrix uses them today (latest period, assessors averaged) are taken, and each
  forecast criterion score replaces today's score of that criterion; both composites are then computed by the
  matrix's rule with today's weights (`kamlib.scoring`), so whatever the forecast does not say stays as today;
- a forecast composite (`potential` or `position`, 0–10) replaces that axis's composite outright;
- the forecast quadrant uses today's cut lines (as numbers: a median cut is today's median, not the horizon's).

An account with no forecast for a horizon and case has no point there (it is not assumed to stay put).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, count_text, number_text
from kamlib.method import AXES, QUADRANTS, strategy_text
from kamlib.periods import sort_periods
from kamlib.scoring import axis_codes, axis_composites, classify, normalised_table, weight_matrix
from kamlib.workbook.sheets import CASES

CASE_LABELS = {
    "with_plan": {"es": "Con nuestro plan", "en": "With our plan"},
    "without_plan": {"es": "Sin nuestro plan", "en": "Without our plan"},
}
_WORDS = {
    "account": {"es": "Cuenta", "en": "Account"},
    "today": {"es": "Hoy", "en": "Today"},
}
_SUMMARY = {
    "es": {
        "none": "Ninguna cuenta tiene pronóstico de dónde estará.",
        "head": "A {horizon}, {accounts} con pronóstico",
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "with_plan": "; cambios de estrategia con nuestro plan: {n}",
        "without_plan": "; sin él: {n}",
        "without_plan_alone": "; cambios de estrategia sin nuestro plan: {n}",
        "into": " ({moves})",
        "new": "; situadas por primera vez: {accounts}",
        "others": " Otros horizontes pronosticados: {horizons}.",
        "line": "A {horizon}, {case}: {strategy} (potencial {potential}, posición {position}).",
    },
    "en": {
        "none": "No account has a forecast of where it will be.",
        "head": "By {horizon}, {accounts} with a forecast",
        "accounts": ("{n} account", "{n} accounts"),
        "with_plan": "; changes of strategy with our plan: {n}",
        "without_plan": "; without it: {n}",
        "without_plan_alone": "; changes of strategy without our plan: {n}",
        "into": " ({moves})",
        "new": "; placed for the first time: {accounts}",
        "others": " Other horizons forecast: {horizons}.",
        "line": "By {horizon}, {case}: {strategy} (potential {potential}, position {position}).",
    },
}


@dataclass(frozen=True)
class Forecast:
    """Every forecast point (see the module's docstring) beside the account's place today."""

    points: pd.DataFrame
    """One row per account, horizon and case with a forecast (horizons in natural order, then `CASES` order, then
    the workbook's order of accounts): account_id, name, horizon, case, potential, position, quadrant (None when
    an axis has no composite), today_potential, today_position, today_quadrant, moved (placed today, in a quadrant
    other than today's), new (not placed today, placed at the horizon), order (the account's place in the
    workbook)."""

    @property
    def horizons(self) -> list[str]:
        """The horizons forecast, nearest first."""
        return sort_periods(self.points["horizon"].unique().tolist())

    def at(self, horizon: str | None = None) -> pd.DataFrame:
        """The points of one horizon (None: the farthest)."""
        if self.points.empty:
            return self.points
        horizon = self.horizons[-1] if horizon is None else horizon
        return self.points[self.points["horizon"] == horizon]

    def summary(self, lang: str, horizon: str | None = None) -> str:
        """One sentence on a horizon (None: the farthest): how many accounts have a forecast, and how many change
        strategy with our plan and without it, into which."""
        words = _SUMMARY[check_lang(lang)]
        points = self.at(horizon)
        if points.empty:
            return words["none"]
        accounts = count_text(words["accounts"], points["account_id"].nunique(), lang)
        text = words["head"].format(horizon=points["horizon"].iloc[0], accounts=accounts)
        for case in CASES:
            rows = points[points["case"] == case]
            if rows.empty:
                continue
            moved = rows[rows["moved"]]
            alone = case == "without_plan" and not (points["case"] == "with_plan").any()
            text += words["without_plan_alone" if alone else case].format(n=len(moved))
            if len(moved):
                into = moved["quadrant"].map(lambda q: strategy_text(q, lang)).value_counts(sort=False)
                text += words["into"].format(moves=", ".join(f"{n} → {name}" for name, n in into.items()))
        fresh = points.loc[points["new"], "account_id"].nunique()
        if fresh:
            text += words["new"].format(accounts=count_text(words["accounts"], fresh, lang))
        others = [h for h in self.horizons if h != points["horizon"].iloc[0]]
        return text + "." + (words["others"].format(horizons=", ".join(others)) if others else "")

    def table(self, lang: str, horizon: str | None = None) -> pd.DataFrame:
        """A horizon's forecasts (None: the farthest) for people, one row per account: its strategy today and in
        each case forecast (a dash where a case has no forecast)."""
        check_lang(lang)
        points = self.at(horizon)
        if points.empty:
            return pd.DataFrame(columns=[_WORDS["account"][lang], _WORDS["today"][lang]])
        first = points.drop_duplicates("account_id").sort_values("order", kind="stable")
        frame = pd.DataFrame(
            {
                _WORDS["account"][lang]: first["name"].astype(str).to_numpy(),
                _WORDS["today"][lang]: [strategy_text(q, lang) for q in first["today_quadrant"]],
            }
        )
        for case in CASES:
            rows = points[points["case"] == case].set_index("account_id")["quadrant"]
            if rows.empty:
                continue
            found = rows.reindex(first["account_id"]).to_numpy(dtype=object)
            frame[CASE_LABELS[case][lang]] = [
                strategy_text(q, lang) if i in rows.index else None
                for q, i in zip(found, first["account_id"], strict=True)
            ]
        return frame

    def account_lines(self, account_id: str, lang: str) -> list[str]:
        """One account's forecasts in words, horizon by horizon and case by case; empty when it has none."""
        words = _SUMMARY[check_lang(lang)]
        rows = self.points[self.points["account_id"] == account_id]
        return [
            words["line"].format(
                horizon=r.horizon,
                case=CASE_LABELS[r.case][lang].lower(),
                strategy=strategy_text(r.quadrant, lang),
                potential=number_text(r.potential, lang, 1),
                position=number_text(r.position, lang, 1),
            )
            for r in rows.itertuples(index=False)
        ]


def forecast(engagement: Engagement, scored: pd.DataFrame) -> Forecast:
    """Every account's forecast points with the weights, period, cut lines and view of our position that placed
    the accounts today (`scored`, from `score_accounts` or `score_scenario`)."""
    sheet = engagement.forecasts
    ids = engagement.accounts["account_id"].astype(str)
    today = scored.set_index("account_id").reindex(ids)
    cuts = scored.attrs.get("cuts", {})
    cut_values = np.array([float(cuts.get(axis, 5.0)) for axis in AXES])
    if sheet.empty:
        return Forecast(_frame([], engagement, today))
    criteria = engagement.criteria
    weights, segment_weights = scored.attrs.get("weights"), scored.attrs.get("segment_weights")
    groups = engagement.segments
    matrix, codes = weight_matrix(engagement, weights, segment_weights), axis_codes(engagement)
    view = scored.attrs.get("position_by", "ours")
    table = normalised_table(engagement, scored.attrs.get("period"), view, weights, segment_weights)
    position = {a: i for i, a in enumerate(ids)}
    column = {c: i for i, c in enumerate(criteria["criterion_id"])}
    keys = sheet[["account_id", "horizon", "case"]].drop_duplicates()
    keys = keys.assign(_h=keys["horizon"].map({h: i for i, h in enumerate(sort_periods(keys["horizon"].tolist()))}))
    keys = keys.assign(_c=keys["case"].map(CASES.index), _a=keys["account_id"].map(position))
    keys = keys.sort_values(["_h", "_c", "_a"], kind="stable")
    rows = []
    for key in keys.itertuples(index=False):
        said = sheet[
            (sheet["account_id"] == key.account_id) & (sheet["horizon"] == key.horizon) & (sheet["case"] == key.case)
        ]
        scores = table[position[key.account_id]].copy()
        group = groups.codes[position[key.account_id]]  # the account's segment: its scales and weights
        moved_axes = set()
        for criterion, score in said.loc[said["criterion_id"].notna(), ["criterion_id", "score"]].itertuples(
            index=False
        ):
            c = column[criterion]
            n = (score - groups.scale_min[group, c]) / (groups.scale_max[group, c] - groups.scale_min[group, c])
            scores[c] = n if groups.higher_is_better[group, c] else 1.0 - n
            moved_axes.add(int(codes[c]))
        composites = axis_composites(scores[None, :], matrix[group], codes)[0]
        for i, axis in enumerate(AXES):
            given = said[axis].dropna()
            if len(given):
                composites[i] = float(given.iloc[-1])
            elif i not in moved_axes:  # nothing forecast on this axis: exactly as today
                composites[i] = float(today.at[key.account_id, axis])
        code = classify(composites[None, :], cut_values)[0]
        rows.append((key.account_id, key.horizon, key.case, composites[0], composites[1], code))
    return Forecast(_frame(rows, engagement, today))


def _frame(rows: list[tuple], engagement: Engagement, today: pd.DataFrame) -> pd.DataFrame:
    """The points as `Forecast.points`."""
    frame = pd.DataFrame(rows, columns=["account_id", "horizon", "case", "potential", "position", "code"])
    names = dict(zip(engagement.accounts["account_id"].astype(str), engagement.accounts["name"].astype(str),
                     strict=True))  # fmt: skip
    quadrants = np.array([*QUADRANTS, None], dtype=object)
    frame.insert(1, "name", frame["account_id"].map(names))
    frame["order"] = frame["account_id"].map({a: i for i, a in enumerate(names)}).astype("int64")
    frame["quadrant"] = quadrants[frame["code"].to_numpy(dtype=np.int64)] if len(frame) else []
    frame = frame.drop(columns="code")
    for axis in AXES:
        frame[f"today_{axis}"] = today[axis].reindex(frame["account_id"]).to_numpy(dtype=float)
    frame["today_quadrant"] = today["quadrant"].reindex(frame["account_id"]).to_numpy(dtype=object)
    placed = frame["quadrant"].notna()
    frame["moved"] = placed & frame["today_quadrant"].notna() & (frame["quadrant"] != frame["today_quadrant"])
    frame["new"] = placed & frame["today_quadrant"].isna()
    return frame.reset_index(drop=True)
