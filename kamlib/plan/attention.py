"""The accounts that need the room's attention: those the workshop should talk about first, and why.

An account needs attention when any of these holds (`REASONS`, most pressing first):

- `fence`: its strategy is on the fence — under another reasonable weighting it would fall in another quadrant
  (`kamlib.scenarios.robustness`, stability below its threshold);
- `risk`: its decision map's risk is high — an influential person opposes us, or we know no decision maker
  (`kamlib.plan.stakeholders`);
- `missed`: it missed a KPI in its latest period (`kamlib.plan.scorecard`);
- `stale`: its plan is due for review — last reviewed longer ago than the engagement allows, or never, when the
  workbook dates its plans' reviews (`kamlib.plan.freshness`);
- `loss`: serving it costs more than its gross margin (`kamlib.plan.cost`);
- `invest` / `selective`: its strategy is Invest or Selective investment, where the supplier's investment goes
  and the relationship is the asset (METHOD.md §1).

The deck's default (`kam deck` without `--all`) shows the portfolio and these accounts; the dashboard counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang
from kamlib.method import QUADRANTS
from kamlib.plan.cost import CostToServe, cost_to_serve
from kamlib.plan.freshness import Freshness, plan_freshness
from kamlib.plan.scorecard import portfolio_scorecard
from kamlib.plan.stakeholders import coverage

REASONS = ("fence", "risk", "missed", "stale", "loss", "invest", "selective")
"""Why an account needs attention, most pressing first."""
REASON_LABELS = {
    "fence": {"es": "En la frontera", "en": "On the fence"},
    "risk": {"es": "Mapa de decisión de riesgo alto", "en": "High-risk decision map"},
    "missed": {"es": "Indicadores no cumplidos", "en": "Missed KPIs"},
    "stale": {"es": "Plan por revisar", "en": "Plan due for review"},
    "loss": {"es": "Cuesta más servirla de lo que deja", "en": "Costs more to serve than it earns"},
    "invest": {"es": "Invertir", "en": "Invest"},
    "selective": {"es": "Inversión selectiva", "en": "Selective investment"},
}
"""Each reason's short label, for tables and slides."""


def attention(
    engagement: Engagement,
    scored: pd.DataFrame,
    fence: pd.Series | None = None,
    covered: pd.DataFrame | None = None,
    cards: pd.DataFrame | None = None,
    fresh: Freshness | None = None,
    cost: CostToServe | None = None,
) -> pd.DataFrame:
    """Every account with the reasons it needs attention: one boolean column per `REASONS`, `needs_attention`
    (any of them) and `revenue`; in the workbook's order of accounts.

    `fence` is each account's `on_the_fence` (indexed by account_id) from a robustness run
    (`kamlib.scenarios.robustness.robustness(...).accounts`); None leaves that reason out (False everywhere).
    `covered`, `cards`, `fresh` and `cost` are the engagement's `coverage`, `portfolio_scorecard`,
    `plan_freshness` and `cost_to_serve` when the caller has them already (None: computed here, freshness as of
    the engagement's date, else today).
    """
    ids = engagement.accounts["account_id"].astype(str)
    quadrant = scored.set_index("account_id")["quadrant"].reindex(ids).to_numpy(dtype=object)
    risky = coverage(engagement) if covered is None else covered
    high = set(risky.loc[risky["risk"] == "high", "account_id"].astype(str))
    cards = portfolio_scorecard(engagement) if cards is None else cards
    missed = set(cards.loc[cards["missed"] > 0, "account_id"].astype(str))
    due = (plan_freshness(engagement) if fresh is None else fresh).due
    cost = cost_to_serve(engagement, scored) if cost is None else cost
    losing = cost.accounts.set_index("account_id")["unprofitable"] & cost.available
    on_fence = (
        np.zeros(len(ids), dtype=bool)
        if fence is None
        else fence.reindex(ids).fillna(False).to_numpy(dtype=bool)  # an unplaced account is not on a fence
    )
    frame = pd.DataFrame(
        {
            "account_id": ids.to_numpy(),
            "name": engagement.accounts["name"].astype(str).to_numpy(),
            "revenue": pd.to_numeric(engagement.accounts["revenue"], errors="coerce").to_numpy(dtype=np.float64),
            "fence": on_fence,
            "risk": ids.isin(high).to_numpy(),
            "missed": ids.isin(missed).to_numpy(),
            "stale": due.reindex(ids).fillna(False).to_numpy(dtype=bool),
            "loss": losing.reindex(ids).fillna(False).to_numpy(dtype=bool),
            "invest": quadrant == "invest",
            "selective": quadrant == "selective",
        }
    )
    frame["needs_attention"] = frame[list(REASONS)].any(axis=1)
    return frame


def attention_accounts(frame: pd.DataFrame) -> list[str]:
    """The ids of the accounts that need attention (an `attention` frame), the most pressing first: by their
    first reason in `REASONS` order, then by revenue, largest first."""
    chosen = frame[frame["needs_attention"]]
    first = chosen[list(REASONS)].to_numpy().argmax(axis=1)
    order = np.lexsort((-chosen["revenue"].fillna(-np.inf).to_numpy(), first))
    return chosen["account_id"].to_numpy()[order].tolist()


def reason_text(row: pd.Series, lang: str) -> str:
    """An `attention` row's reasons in words, in `REASONS` order: `En la frontera · Invertir`."""
    check_lang(lang)
    return " · ".join(REASON_LABELS[r][lang] for r in REASONS if bool(row[r]))


@dataclass(frozen=True)
class PortfolioFigures:
    """The figures that open the dashboard (its summary band): what the room should see first."""

    strategies: pd.DataFrame
    """One row per strategy (`QUADRANTS` order, then unplaced when any): quadrant, accounts, revenue, share (% of
    revenue)."""
    fence: int
    """Accounts on the fence."""
    high_risk: int
    """Accounts whose decision map's risk is high."""
    missed: int
    """Accounts that missed a KPI in its latest period."""
    over_capacity: int | None
    """KAMs who logged more hours than they have (None: the time sheet is a survey, with no hours)."""
    stale: int | None = None
    """Accounts whose plan is due for review (None: the workbook dates no plan's review)."""
    loss: int | None = None
    """Accounts that cost more to serve than they earn (None: their profit after the cost to serve is unknown)."""


def portfolio_figures(
    frame: pd.DataFrame,
    scored: pd.DataFrame,
    utilisation: pd.Series | None,
    plans_dated: bool = False,
    costed: bool = False,
) -> PortfolioFigures:
    """The summary band's figures from an `attention` frame, the scoring, each KAM's logged hours as % of
    capacity (`TimeAllocation.kams["utilisation"]`; None or all NaN: a survey), whether the workbook dates its
    plans' reviews (`Freshness.tracked`) and whether it knows the accounts' profit after the cost to serve
    (`CostToServe.available`)."""
    revenue = pd.to_numeric(scored["revenue"], errors="coerce").fillna(0.0)
    quadrant = scored["quadrant"].where(scored["quadrant"].notna(), "unplaced")
    order = [*QUADRANTS, *(["unplaced"] if (quadrant == "unplaced").any() else [])]
    total = float(revenue.sum())
    grouped = pd.DataFrame({"quadrant": quadrant, "revenue": revenue}).groupby("quadrant")["revenue"]
    strategies = pd.DataFrame(
        {
            "quadrant": order,
            "accounts": grouped.size().reindex(order, fill_value=0).to_numpy(dtype=np.int64),
            "revenue": grouped.sum().reindex(order, fill_value=0.0).to_numpy(dtype=np.float64),
        }
    )
    strategies["share"] = 100.0 * strategies["revenue"] / total if total > 0 else np.nan
    hours = None if utilisation is None or utilisation.isna().all() else int((utilisation > 100.0).sum())
    stale = int(frame["stale"].sum()) if plans_dated else None
    loss = int(frame["loss"].sum()) if costed else None
    counts = (int(frame[reason].sum()) for reason in ("fence", "risk", "missed"))
    return PortfolioFigures(strategies, *counts, hours, stale, loss)
