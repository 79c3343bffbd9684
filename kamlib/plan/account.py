"""The plan of one key account: where it sits in the matrix and why, what its strategy calls for, where the time goes.

What an account report needs (METHOD.md §1 and §4, "build a relationship plan" per key account):
the account's facts and its rank in the portfolio; each criterion's score as the scoring used it (latest
period, assessors averaged), normalised to 0–10, against the portfolio's quartiles; the relationship
model and priorities of its strategy; and, from a time allocation, the hours spent on it per activity.
The portfolio's accounts and revenue per quadrant are `quadrant_summary`. Pure pandas and numpy:
`kamlib.views.account.plan_html` writes the header of a report as a small self-contained HTML fragment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.i18n import LANGS, check_lang, money_text, number_text
from kamlib.method import (
    ACTIVITIES,
    ACTIVITY_LABELS,
    AXES,
    QUADRANTS,
    STRATEGY_NAMES,
)
from kamlib.plan.freshness import plan_freshness
from kamlib.plan.playbook import Play, play
from kamlib.scoring import find_account, normalise, scales, score_table, weight_matrix
from kamlib.timealloc import UNPLACED, TimeAllocation

UNPLACED_LABELS = {"es": "Fuera de la matriz", "en": "Not in the matrix"}
"""How the summary names accounts left out of the matrix (no weighted score on an axis)."""

RANKED: tuple[str, ...] = ("revenue", *AXES)
"""What an account is ranked by in its portfolio: revenue, then each composite."""

QUARTILES = (0.25, 0.5, 0.75)

CRITERIA_COLUMNS: tuple[str, ...] = (
    "criterion_id",
    "axis",
    "label_es",
    "label_en",
    "scale_min",
    "scale_max",
    "higher_is_better",
    "weight",
    "weight_share",
    "score",
    "normalised",
    "p25",
    "median",
    "p75",
)


def quadrant_summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Count the accounts and their revenue per quadrant, in `QUADRANTS` order, then "unplaced" if any are.

    Columns: quadrant, strategy_es, strategy_en, accounts, revenue, revenue_share (% of all accounts'
    revenue, NaN if there is none). Unplaced accounts are named "Fuera de la matriz" / "Not in the matrix".
    """
    quadrant = scored["quadrant"].where(scored["quadrant"].isin(QUADRANTS), UNPLACED)
    revenue = pd.to_numeric(scored["revenue"], errors="coerce").fillna(0.0).astype(float)
    rows = [*QUADRANTS, *([UNPLACED] if (quadrant == UNPLACED).any() else [])]
    accounts = quadrant.value_counts().reindex(rows, fill_value=0).astype(np.int64)
    by_quadrant = revenue.groupby(quadrant).sum().reindex(rows, fill_value=0.0)
    total = float(revenue.sum())
    share = 100.0 * by_quadrant / total if total > 0 else by_quadrant * np.nan
    names = {**STRATEGY_NAMES, UNPLACED: UNPLACED_LABELS}
    return pd.DataFrame(
        {
            "quadrant": rows,
            "strategy_es": [names[q]["es"] for q in rows],
            "strategy_en": [names[q]["en"] for q in rows],
            "accounts": accounts.to_numpy(),
            "revenue": by_quadrant.to_numpy(dtype=float),
            "revenue_share": share.to_numpy(dtype=float),
        }
    )


@dataclass(frozen=True)
class AccountPlan:
    """One account's plan: its facts, its rank, its criteria against the portfolio, its strategy, its time."""

    account_id: str
    name: str
    sector: str | None
    kam_id: str | None
    kam_name: str | None
    revenue: float
    potential: float
    """Composite 0–10; NaN when the axis has no weighted score."""
    position: float
    quadrant: str | None
    """One of `QUADRANTS`, None when the account is not placed."""
    placed: bool
    missing_axis: str | None
    """The axis (or "potential, position") without a weighted score, for an account not placed."""
    cuts: Mapping[str, float]
    """The cut lines the scoring used, per axis."""
    ranks: pd.DataFrame
    """Per measure (revenue, potential, position): value, rank (1 = highest; ties share the best rank;
    <NA> without a value) and out_of (the accounts with a value)."""
    criteria: pd.DataFrame
    """Per criterion, in workbook order: criterion_id, axis, label_es, label_en, scale_min, scale_max,
    higher_is_better, weight, weight_share (% of its axis's weights), score (the raw score the scoring
    used, NaN if not scored), normalised (0–10, lower-is-better reversed) and the portfolio's p25, median
    and p75 of normalised over the placed accounts scored on it."""
    relationship_model: Mapping[str, str] | None
    """The relationship model the strategy calls for, per language; None when not placed."""
    priorities: Mapping[str, tuple[str, ...]]
    """What the strategy is about, per language (empty when not placed)."""
    play: Play | None
    """The engagement's playbook for the strategy (activities to stress, control metrics); None when not placed."""
    time: pd.DataFrame | None
    """Hours on the account per activity (everyone's, in the allocation's periods), in `ACTIVITIES` order:
    activity, label_es, label_en, hours, share (% of the account's hours). None without an allocation in
    hours."""
    hours: float | None
    """Hours on the account in the allocation (everyone's); None without an allocation in hours."""
    share_of_kam: float | None
    """The hours its own KAM put into it, as % of that KAM's account time; None if unknown."""
    review: Mapping[str, str] | None = None
    """When its plan was last reviewed and whether that is too long ago, per language (`Freshness.line`); None
    when the workbook dates no plan's review."""
    review_due: bool = False
    """Whether its plan is due for review (`kamlib.plan.freshness`)."""
    segment: str | None = None
    """The segment whose criteria score it (`kamlib.workbook.segments`, as sheet criteria spells it); None when the
    default rows do."""

    def strategy(self, lang: str = "es") -> str | None:
        """Name the account's strategy in `lang`; None when it is not placed."""
        return STRATEGY_NAMES[self.quadrant][check_lang(lang)] if self.quadrant else None

    def ranked_text(self, measure: str, lang: str, currency: str = "EUR") -> str:
        """A measure (`revenue`, `potential`, `position`) with its rank among the accounts: `6.902.872 € (n.º 1 de
        48)`; revenue in `currency`, composites to one decimal; a dash when unknown."""
        words = {key: text[check_lang(lang)] for key, text in PLAN_WORDS.items()}
        value, rank, n = self.ranks.set_index("measure").loc[measure, ["value", "rank", "out_of"]]
        if pd.isna(value):
            return words["none"]
        text = money_text(float(value), lang, currency) if measure == "revenue" else number_text(value, lang, 1)
        return text if pd.isna(rank) else f"{text} ({words['rank'].format(rank=int(rank), n=int(n))})"

    def time_table(self, lang: str = "es") -> pd.DataFrame:
        """The hours on the account per activity, for people: headers and activities in `lang`, rounded.

        No rows when there is no account time (no allocation, or a survey).
        """
        headers = [PLAN_WORDS[key][check_lang(lang)] for key in ("activity", "hours", "hours_share")]
        if self.time is None:
            return pd.DataFrame(columns=headers[1:], index=pd.Index([], name=headers[0]))
        table = self.time[[f"label_{lang}", "hours", "share"]].round({"hours": 1, "share": 1})
        return table.set_axis(headers, axis=1).set_index(headers[0])  # the activity names the row


def account_plan(
    engagement: Engagement,
    scored: pd.DataFrame,
    account_id: str | None,
    allocation: TimeAllocation | None = None,
    as_of: dt.date | None = None,
) -> AccountPlan:
    """Gather what the plan of one key account needs from the engagement, its scoring and the KAMs' time.

    `scored` is what `score_accounts` or `score_scenario` returned for `engagement`: the placement, the cut
    lines and the portfolio the account is compared with. The weights are the ones `scored.attrs["weights"]`
    names (criterion_id → weight) if any, else the workbook's; the scores are as of `scored.attrs["period"]`
    if any, else the latest. `account_id` None is the workbook's first account (a report's default). Its plan's
    freshness is judged at `as_of` (None: the engagement's date, else today; `kamlib.plan.freshness`).
    """
    if account_id is None:
        account_id = str(engagement.accounts["account_id"].iloc[0])
    row = find_account(scored, account_id)
    positions = np.flatnonzero(engagement.accounts["account_id"].to_numpy(dtype=object) == account_id)
    if not len(positions):
        known = list_known(engagement.accounts["account_id"])
        raise KamError(
            f"account {account_id!r} is scored but not in the engagement; known: {known}",
            f"la cuenta {account_id!r} está puntuada pero no existe en el encargo; existentes: {known}",
        )
    kam_id = _text(row["kam_id"])
    kam_names = engagement.kams.set_index("kam_id")["name"]
    quadrant = row["quadrant"] if row["quadrant"] in QUADRANTS else None
    hours, share_of_kam, time = _account_time(engagement, allocation, account_id)
    strategy_play = play(engagement, quadrant) if quadrant else None
    fresh = plan_freshness(engagement, as_of)
    return AccountPlan(
        account_id=account_id,
        name=str(row["name"]),
        sector=_text(row["sector"]),
        kam_id=kam_id,
        kam_name=_text(kam_names.get(kam_id)) if kam_id is not None else None,
        revenue=float(row["revenue"]),
        potential=float(row["potential"]),
        position=float(row["position"]),
        quadrant=quadrant,
        placed=bool(row["placed"]),
        missing_axis=_text(row["missing_axis"]),
        cuts=dict(scored.attrs.get("cuts", {})),
        ranks=_ranks(scored, account_id),
        criteria=_criteria(engagement, scored, int(positions[0])),
        relationship_model=_joined(strategy_play, "relationship"),
        priorities={lang: tuple(strategy_play.texts("priority", lang)) if strategy_play else () for lang in LANGS},
        play=strategy_play,
        time=time,
        hours=hours,
        share_of_kam=share_of_kam,
        review={lang: fresh.line(account_id, lang) for lang in LANGS} if fresh.tracked else None,
        review_due=bool(fresh.due.get(account_id, False)),
        segment=engagement.segments.names[engagement.segments.codes[int(positions[0])]] or None,
    )


def _joined(strategy_play: Play | None, element: str) -> dict[str, str] | None:
    """An element's texts per language, joined into one line (None without a play or texts)."""
    if strategy_play is None or not strategy_play.texts(element, "es"):
        return None
    return {lang: " / ".join(strategy_play.texts(element, lang)) for lang in LANGS}


def _text(value: object) -> str | None:
    """A cell as text, None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) if str(value).strip() else None


def _ranks(scored: pd.DataFrame, account_id: str) -> pd.DataFrame:
    """Rank the account by revenue and by each composite among the accounts that have a value (1 = highest)."""
    is_account = (scored["account_id"] == account_id).to_numpy()
    rows = []
    for measure in RANKED:
        values = pd.to_numeric(scored[measure], errors="coerce")
        rank = values.rank(ascending=False, method="min")[is_account].iloc[0]
        rows.append(
            {
                "measure": measure,
                "value": float(values[is_account].iloc[0]),
                "rank": pd.NA if pd.isna(rank) else int(rank),
                "out_of": int(values.notna().sum()),
            }
        )
    ranks = pd.DataFrame(rows)
    ranks["rank"] = ranks["rank"].astype("Int64")
    return ranks


def _criteria(engagement: Engagement, scored: pd.DataFrame, position: int) -> pd.DataFrame:
    """Each criterion's weight share, the account's raw and normalised score, the portfolio's quartiles."""
    criteria = engagement.criteria
    groups = engagement.segments
    group = groups.codes[position]  # the account's segment: its criteria, weights and scales
    weights = weight_matrix(engagement, scored.attrs.get("weights"), scored.attrs.get("segment_weights"))[group]
    axis = criteria["axis"].to_numpy(dtype=object)
    axis_total = pd.Series(weights).groupby(axis).transform("sum").to_numpy(dtype=float)
    raw = score_table(engagement, scored.attrs.get("period"))
    normalised = 10.0 * normalise(raw, *scales(engagement))
    placed = scored.set_index("account_id")["placed"].reindex(engagement.accounts["account_id"])
    placed = placed.astype("boolean").fillna(False).to_numpy(dtype=bool)
    quartiles = pd.DataFrame(normalised[placed]).quantile(list(QUARTILES)).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "criterion_id": criteria["criterion_id"].to_numpy(dtype=object),
            "axis": axis,
            "label_es": [_text(v) for v in criteria["label_es"]],
            "label_en": [_text(v) for v in criteria["label_en"]],
            "scale_min": groups.scale_min[group],
            "scale_max": groups.scale_max[group],
            "higher_is_better": groups.higher_is_better[group],
            "weight": weights,
            "weight_share": 100.0 * weights / axis_total,
            "score": raw[position],
            "normalised": normalised[position],
            "p25": quartiles[0],
            "median": quartiles[1],
            "p75": quartiles[2],
        }
    )
    return frame.loc[groups.applies[group], list(CRITERIA_COLUMNS)].reset_index(drop=True)


def _account_time(
    engagement: Engagement, allocation: TimeAllocation | None, account_id: str
) -> tuple[float | None, float | None, pd.DataFrame | None]:
    """Hours on the account, its share of its KAM's account time, and its hours per activity.

    The allocation's periods say which dated records count. Undated records count too when the allocation
    took every period (what `allocate_time` does without a period): its own hours on the account decide.
    """
    if allocation is None or allocation.unit != "hours":
        return None, None, None
    time = engagement.time
    rows = time[time["account_id"].to_numpy(dtype=object) == account_id]
    in_periods = rows["period"].isin(allocation.periods).to_numpy()
    undated = rows["period"].isna().to_numpy()
    hours = rows["hours"].to_numpy(dtype=float)
    counted = allocation.accounts.set_index("account_id").reindex([account_id])
    total, share_of_kam = float(counted["hours"].iloc[0]), float(counted["share_of_kam"].iloc[0])
    keep = in_periods | undated
    if not np.isnan(total) and not np.isclose(hours[keep].sum(), total):
        keep = in_periods
    per_activity = (
        pd.Series(hours[keep]).groupby(rows["activity"].to_numpy(dtype=object)[keep]).sum().reindex(ACTIVITIES)
    )
    per_activity = per_activity.fillna(0.0).to_numpy(dtype=float)
    spent = float(per_activity.sum())
    frame = pd.DataFrame(
        {
            "activity": list(ACTIVITIES),
            "label_es": [ACTIVITY_LABELS[a]["es"] for a in ACTIVITIES],
            "label_en": [ACTIVITY_LABELS[a]["en"] for a in ACTIVITIES],
            "hours": per_activity,
            "share": 100.0 * per_activity / spent if spent > 0 else np.full(len(ACTIVITIES), np.nan),
        }
    )
    return spent, (None if np.isnan(share_of_kam) else share_of_kam), frame


# --- the report's header, as HTML ------------------------------------------------------------------

PLAN_WORDS = {
    "id": {"es": "Cuenta", "en": "Account"},
    "sector": {"es": "Sector", "en": "Sector"},
    "segment": {"es": "Criterios", "en": "Criteria"},
    "segment_value": {"es": "los del segmento {segment}", "en": "those of segment {segment}"},
    "kam": {"es": "KAM", "en": "KAM"},
    "no_kam": {"es": "sin KAM asignado", "en": "no KAM assigned"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "unplaced": {
        "es": "Sin lugar en la matriz: falta puntuación en {axes}",
        "en": "No place in the matrix: no weighted score on {axes}",
    },
    "relationship": {"es": "Modelo de relación", "en": "Relationship model"},
    "priorities": {"es": "Prioridades de la estrategia", "en": "Priorities of the strategy"},
    "time": {"es": "Tiempo en la cuenta", "en": "Time on the account"},
    "review": {"es": "Revisión del plan", "en": "Plan review"},
    "activity": {"es": "Actividad", "en": "Activity"},
    "hours": {"es": "Horas", "en": "Hours"},
    "hours_share": {"es": "% de las horas en la cuenta", "en": "% of the hours on the account"},
    "time_value": {
        "es": "{hours} h · {share} del tiempo de su KAM en cuentas",
        "en": "{hours} h · {share} of its KAM's account time",
    },
    "rank": {"es": "n.º {rank} de {n}", "en": "#{rank} of {n}"},
    "none": {"es": "—", "en": "—"},
}


_SUMMARY_HEADERS = {
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "accounts": {"es": "Cuentas", "en": "Accounts"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "revenue_share": {"es": "% de la facturación", "en": "% of revenue"},
}


def quadrant_table(scored: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """`quadrant_summary` for people: the strategy named in `lang`, headers in `lang`, shares rounded."""
    summary = quadrant_summary(scored)
    table = pd.DataFrame(
        {
            "strategy": summary[f"strategy_{lang}"],
            "accounts": summary["accounts"],
            "revenue": summary["revenue"].round(0),
            "revenue_share": summary["revenue_share"].round(1),
        }
    )
    table = table.rename(columns={c: _SUMMARY_HEADERS[c][lang] for c in table.columns})
    table = table.set_index(_SUMMARY_HEADERS["strategy"][lang])  # the strategy names each row
    table.attrs["units"] = {
        _SUMMARY_HEADERS["revenue"][lang]: "money",
        _SUMMARY_HEADERS["revenue_share"][lang]: "decimal1",
    }
    return table


_ACCOUNT_HEADERS = {
    "account_id": {"es": "Cuenta", "en": "Account"},
    "name": {"es": "Nombre", "en": "Name"},
    "sector": {"es": "Sector", "en": "Sector"},
    "kam_id": {"es": "KAM", "en": "KAM"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "potential": {"es": "Potencial", "en": "Potential"},
    "position": {"es": "Posición", "en": "Position"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
}


def accounts_table(scored: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """Every account for people, by strategy (Invest first) then revenue: names, KAM, composites; in `lang`."""
    order = {q: i for i, q in enumerate(QUADRANTS)}
    table = scored.assign(
        strategy=scored[f"strategy_{check_lang(lang)}"].fillna(UNPLACED_LABELS[lang]),
        _order=scored["quadrant"].map(order).fillna(len(QUADRANTS)),
    ).sort_values(["_order", "revenue"], ascending=[True, False])
    table = table[list(_ACCOUNT_HEADERS)].round({"potential": 1, "position": 1, "revenue": 0})
    table = table.rename(columns={c: _ACCOUNT_HEADERS[c][lang] for c in table.columns}).set_index(
        _ACCOUNT_HEADERS["account_id"][lang]
    )
    table.attrs["units"] = {
        _ACCOUNT_HEADERS["revenue"][lang]: "money",
        **{_ACCOUNT_HEADERS[a][lang]: "decimal1" for a in AXES},
    }
    return table
