"""What the dashboard shows when someone picks an account or a KAM: one row of facts per account and one per KAM,
gathered from the analyses the dashboard has already run (nothing is computed twice).

An account's card: its place in the matrix (composites, strategy), its movement since the previous scoring round,
the plan for who manages it, its decision map's risk, its scorecard's latest period, the KAM hours logged on it and
where its assessors disagree.
A KAM's card: their accounts, revenue, hours against capacity, share of time spent selling, and the accounts the
KAM plan moves to or from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.plan.attention import REASONS
from kamlib.plan.freshness import Freshness

ACCOUNT_COLUMNS = (
    "account_id",
    "name",
    "sector",
    "kam_id",
    "kam_name",
    "revenue",
    "potential",
    "position",
    "quadrant",
    "from_period",
    "from_quadrant",
    "planned_kam_id",
    "planned_kam_name",
    "change",
    "reason_es",
    "reason_en",
    "map_risk",
    "people",
    "kpi_period",
    "kpis",
    "kpis_met",
    "kpis_missed",
    "hours",
    "share_of_kam",
    "neglected",
    "multi_assessor",
    "contested",
    "contested_criteria",
    "contested_ranges",
    "last_reviewed",
    "plan_status",
    *REASONS,
)
"""An account card's facts; NaN/None where the workbook has no such data (no earlier round, no KAM plan, no decision
map, no KPIs, no hours, no plan review dates)."""
KAM_COLUMNS = (
    "kam_id",
    "name",
    "accounts",
    "revenue",
    "capacity_hours",
    "hours",
    "utilisation",
    "selling_share",
    "moves_in",
    "moves_out",
)
"""A KAM card's facts: accounts and revenue today, hours logged (NaN for a survey), the selling share (% of their
time), and how many accounts the KAM plan moves to and away from them."""


def account_cards(
    engagement: Engagement,
    scored: pd.DataFrame,
    attention: pd.DataFrame,
    moves: pd.DataFrame,
    plan: pd.DataFrame | None,
    covered: pd.DataFrame,
    scorecards: pd.DataFrame,
    time_accounts: pd.DataFrame | None,
    agreement: pd.DataFrame | None = None,
    fresh: Freshness | None = None,
) -> pd.DataFrame:
    """Every account's card (`ACCOUNT_COLUMNS`), in the workbook's order of accounts.

    The inputs are the dashboard's analyses: the scoring, `kamlib.plan.attention.attention`,
    `kamlib.plan.movement.movements`, the KAM plan (`Assignment.plan`; None when no plan could be made),
    `kamlib.plan.stakeholders.coverage`, `kamlib.plan.scorecard.portfolio_scorecard`, the time allocation's
    accounts (None when the time sheet holds no hours), `kamlib.agreement.contested_by_account` (None: not
    shown; an account it lacks has no cell of several assessors) and `kamlib.plan.freshness.plan_freshness` (None,
    or a workbook that dates no review: no plan status).
    """
    ids = pd.Index(scored["account_id"].astype(str))
    names = engagement.kams.set_index("kam_id")["name"].astype(str)
    frame = scored[["account_id", "name", "sector", "kam_id", "revenue", "potential", "position", "quadrant"]].copy()
    frame["kam_name"] = frame["kam_id"].map(names)
    history = moves[moves["kind"] == "history"].set_index("account_id")
    for column in ("from_period", "from_quadrant"):
        frame[column] = history[column].reindex(ids).to_numpy(dtype=object)
    planned = _indexed(plan, ids, ("kam_id", "change", "reason_es", "reason_en"))
    frame["planned_kam_id"] = planned["kam_id"].to_numpy(dtype=object)
    frame["planned_kam_name"] = planned["kam_id"].map(names).to_numpy(dtype=object)
    frame["change"] = planned["change"].astype("boolean").to_numpy()
    frame["reason_es"] = planned["reason_es"].to_numpy(dtype=object)
    frame["reason_en"] = planned["reason_en"].to_numpy(dtype=object)
    maps = _indexed(covered, ids, ("risk", "people"))
    frame["map_risk"] = maps["risk"].to_numpy(dtype=object)
    frame["people"] = maps["people"].to_numpy(dtype=np.float64)
    cards = _indexed(scorecards, ids, ("period", "kpis", "met", "missed"))
    frame["kpi_period"] = cards["period"].to_numpy(dtype=object)
    for column, source in (("kpis", "kpis"), ("kpis_met", "met"), ("kpis_missed", "missed")):
        frame[column] = cards[source].to_numpy(dtype=np.float64)
    time = _indexed(time_accounts, ids, ("hours", "share_of_kam", "neglected"))
    frame["hours"] = time["hours"].to_numpy(dtype=np.float64)
    frame["share_of_kam"] = time["share_of_kam"].to_numpy(dtype=np.float64)
    frame["neglected"] = time["neglected"].astype("boolean").to_numpy()
    agreed = _indexed(agreement, ids, ("multi_assessor", "contested", "contested_criteria", "contested_ranges"))
    frame["multi_assessor"] = pd.to_numeric(agreed["multi_assessor"]).fillna(0).to_numpy(dtype=np.int64)
    frame["contested"] = pd.to_numeric(agreed["contested"]).fillna(0).to_numpy(dtype=np.int64)
    for column in ("contested_criteria", "contested_ranges"):
        frame[column] = [value if isinstance(value, tuple) else () for value in agreed[column]]
    dated = None if fresh is None or not fresh.tracked else fresh.accounts
    reviews = _indexed(dated, ids, ("last_reviewed", "status"))
    frame["last_reviewed"] = pd.to_datetime(reviews["last_reviewed"]).to_numpy()
    frame["plan_status"] = reviews["status"].to_numpy(dtype=object)
    reasons = attention.set_index("account_id")[list(REASONS)].reindex(ids).fillna(False)
    for reason in REASONS:
        frame[reason] = reasons[reason].to_numpy(dtype=bool)
    return frame[list(ACCOUNT_COLUMNS)].reset_index(drop=True)


def kam_cards(engagement: Engagement, accounts: pd.DataFrame, time_kams: pd.DataFrame | None) -> pd.DataFrame:
    """Every KAM's card (`KAM_COLUMNS`), in the workbook's order of KAMs, from the account cards and the time
    allocation's KAMs (None when the time sheet holds no hours)."""
    kams = engagement.kams[["kam_id", "name", "capacity_hours"]].copy()
    ids = pd.Index(kams["kam_id"].astype(str))
    revenue = pd.to_numeric(accounts["revenue"], errors="coerce").fillna(0.0)
    by_kam = pd.DataFrame({"kam_id": accounts["kam_id"], "revenue": revenue}).groupby("kam_id")["revenue"]
    kams["accounts"] = by_kam.size().reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    kams["revenue"] = by_kam.sum().reindex(ids, fill_value=0.0).to_numpy(dtype=np.float64)
    time = _indexed(time_kams, ids, ("hours", "utilisation", "selling_share"))
    for column in ("hours", "utilisation", "selling_share"):
        kams[column] = time[column].to_numpy(dtype=np.float64)
    moved = accounts[accounts["change"].fillna(False).astype(bool)]
    kams["moves_in"] = moved["planned_kam_id"].value_counts().reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    kams["moves_out"] = moved["kam_id"].value_counts().reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    kams["capacity_hours"] = pd.to_numeric(kams["capacity_hours"], errors="coerce").to_numpy(dtype=np.float64)
    return kams[list(KAM_COLUMNS)].reset_index(drop=True)


def _indexed(frame: pd.DataFrame | None, ids: pd.Index, columns: tuple[str, ...]) -> pd.DataFrame:
    """`columns` of a per-key frame (keyed by its first column) in the order of `ids`; all missing when the frame
    is None or lacks a key."""
    if frame is None or not len(frame):
        return pd.DataFrame({c: pd.Series(np.nan, index=ids, dtype=object) for c in columns}, index=ids)
    keyed = frame.assign(_key=frame.iloc[:, 0].astype(str)).drop_duplicates("_key").set_index("_key")
    return keyed[list(columns)].reindex(ids)
