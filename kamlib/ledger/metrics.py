"""Per-customer metrics of a ledger, the families each customer does not buy, and their scores.

METHOD.md §1 and §4: a key account's potential shows in its volume, growth, profitability, share of the
customer's spend and product diversification. The rules (ours; the article names the criteria, not how
to measure them):

- **Windows**: the last 12 months are the days after `as_of` minus 12 calendar months up to and including
  `as_of` (default: the ledger's last date); the 12 months before are the year before that. Lines after
  `as_of` are left out.
- **volume**: net revenue in the last 12 months (returns netted against sales).
- **growth** (%): (last 12 months / the 12 before − 1) × 100. Each customer gets a `status`:
  *active* (net revenue in both years), *new* (nothing net in the year before: growth is empty, and its score
  follows `new_customers` in the mapping: the median of the others' growth scores by default — no history
  says more), *lost* (nothing net in the last 12 months after a year with sales: growth −100 %), *inactive*
  (nothing net in either year: not scored, not added as an account).
- **margin** (%): (revenue − cost) / revenue × 100 over the last 12 months; empty without a cost column or
  when the revenue is not above zero.
- **families**: product families with net revenue above zero in the last 12 months (a family entirely
  returned is not bought). `whitespace` lists, for each customer buying in the window, the portfolio's
  families it does not buy, with how many customers buy each.
- **frequency**: orders per month in the last 12 months: distinct invoices with a sale (revenue above zero)
  ÷ 12; a sale without an invoice (or a ledger without an invoice column) is an order of its customer and day.
- **recency**: days from the last sale (revenue above zero) on or before `as_of` to `as_of`; empty if none.
- **share_of_wallet** (%): volume ÷ the customer's estimated total spend × 100, when an estimate is given
  (above 100 means the estimate is too low: it is kept as computed, and a threshold rule clips its score).

Scores (`metric_scores`), on each criterion's scale [scale_min, scale_max], by the rule the mapping picks:

- **quantiles**: the customer's percentile rank among the customers with a value, (rank − 1) / (n − 1),
  ties sharing their mean rank, so equal values score equally; one customer alone sits mid-scale.
- **thresholds**: linear from `low` (bottom of the scale) to `high` (top), clipped outside.
- A metric where less is better (recency) is reversed: the lowest value scores the top. For a workbook
  criterion with higher_is_better = false the score is written reversed too, so that the engine's own
  reversal reads it right.
- Scores are rounded to the mapping's `step` from scale_min (halves up) and kept inside the scale.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kamlib.errors import KamError, list_known
from kamlib.ledger.mapping import METRICS, LedgerMapping
from kamlib.workbook.sheets import LEDGER_STATUSES

WINDOW_MONTHS = 12
STATUSES = LEDGER_STATUSES


def _windows(as_of: pd.Timestamp) -> tuple[np.datetime64, np.datetime64, np.datetime64]:
    """(start of the prior year, start of the last year, as_of): each window is (start, end]."""
    last = as_of - pd.DateOffset(months=WINDOW_MONTHS)
    prior = as_of - pd.DateOffset(months=2 * WINDOW_MONTHS)
    return tuple(np.datetime64(t.date(), "D") for t in (prior, last, as_of))


def _as_of(lines: pd.DataFrame, as_of: object) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp(lines["date"].max()).normalize()
    try:
        return pd.Timestamp(as_of).normalize()
    except (TypeError, ValueError):
        raise KamError(
            f"as_of {as_of!r} is not a date; allowed: a date such as 2025-12-31",
            f"as_of {as_of!r} no es una fecha; se admite: una fecha como 2025-12-31",
        ) from None


def _group_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0…k−1 in sorted order of the values (−1 where missing), and the values."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _distinct_per(groups: np.ndarray, items: np.ndarray, n: int) -> np.ndarray:
    """How many distinct `items` each group 0…n−1 has (both non-negative int arrays of one length)."""
    if len(groups) == 0:
        return np.zeros(n, dtype=np.int64)
    width = np.int64(items.max()) + 1
    pairs = np.unique(groups * width + items)
    return np.bincount(pairs // width, minlength=n)


def ledger_metrics(
    lines: pd.DataFrame, as_of: object = None, wallet: Mapping[str, float] | pd.Series | None = None
) -> pd.DataFrame:
    """Compute each customer's volume, growth, margin, families, frequency, recency and share of wallet.

    `lines` is `read_ledger`'s frame; `wallet` maps customers to their estimated total spend in a year.
    One row per customer with a line up to `as_of`, sorted by customer: customer, name (the name on its last
    line in the ledger, when the ledger has names), status, volume, volume_prior, growth, margin, families,
    frequency, recency, share_of_wallet, last_purchase. `.attrs` holds as_of and the two windows.
    """
    as_of = _as_of(lines, as_of)
    prior_start, last_start, end = _windows(as_of)
    days = lines["date"].to_numpy().astype("datetime64[D]")
    upto = days <= end
    if not upto.all():
        lines, days = lines[upto], days[upto]
    customer, customers = _group_codes(lines["customer"])
    n = len(customers)
    revenue = lines["revenue"].to_numpy(dtype=np.float64)
    in_last = days > last_start
    in_prior = (days > prior_start) & ~in_last
    volume = np.bincount(customer[in_last], weights=revenue[in_last], minlength=n)
    prior = np.bincount(customer[in_prior], weights=revenue[in_prior], minlength=n)

    status = np.full(n, "active", dtype=object)
    status[(prior <= 0) & (volume > 0)] = "new"
    status[(prior > 0) & (volume <= 0)] = "lost"
    status[(prior <= 0) & (volume <= 0)] = "inactive"
    growth = np.full(n, np.nan)
    active = status == "active"
    growth[active] = (volume[active] / prior[active] - 1.0) * 100.0
    growth[status == "lost"] = -100.0

    margin = np.full(n, np.nan)
    if "cost" in lines:
        cost = np.bincount(customer[in_last], weights=lines["cost"].to_numpy(dtype=np.float64)[in_last], minlength=n)
        positive = volume > 0
        margin[positive] = (volume[positive] - cost[positive]) / volume[positive] * 100.0

    families = np.full(n, np.nan)
    if "family" in lines:
        families = _families_bought(customer, lines["family"], revenue, in_last, n).sum(axis=1).astype(np.float64)

    sale = revenue > 0
    orders_in = in_last & sale
    frequency = _distinct_per(customer[orders_in], _order_codes(lines, days)[orders_in], n) / WINDOW_MONTHS

    day_number = days.astype(np.int64)
    last_sale = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_sale, customer[sale], day_number[sale])
    bought = last_sale > np.iinfo(np.int64).min
    recency = np.where(bought, end.astype(np.int64) - last_sale, np.nan).astype(np.float64)
    last_purchase = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    last_purchase[bought] = last_sale[bought].astype("datetime64[D]")

    share = np.full(n, np.nan)
    if wallet is not None:
        spend = pd.Series(wallet, dtype=np.float64)
        spend.index = spend.index.map(str)
        spend = spend.reindex(customers).to_numpy(dtype=np.float64)
        has = np.isfinite(spend) & (spend > 0)
        share[has] = volume[has] / spend[has] * 100.0

    out = pd.DataFrame({"customer": pd.array(customers, dtype="str")})
    if "customer_name" in lines:
        position = np.full(n, -1, dtype=np.int64)
        np.maximum.at(position, customer, np.arange(len(customer)))
        out["name"] = lines["customer_name"].array.take(position)
    out = out.assign(
        status=status,
        volume=volume,
        volume_prior=prior,
        growth=growth,
        margin=margin,
        families=families,
        frequency=frequency,
        recency=recency,
        share_of_wallet=share,
        last_purchase=last_purchase,
    )
    out.attrs.update(
        as_of=as_of,
        last_window=(pd.Timestamp(last_start), pd.Timestamp(end)),
        prior_window=(pd.Timestamp(prior_start), pd.Timestamp(last_start)),
    )
    return out


def _families_bought(customer, family_values, revenue, in_last, n: int) -> np.ndarray:
    """A (customers, families) boolean array: net revenue above zero in the family in the last 12 months."""
    family, names = _group_codes(family_values)
    use = in_last & (family >= 0)
    width = max(len(names), 1)
    keys, position = np.unique(customer[use] * width + family[use], return_inverse=True)
    net = np.bincount(position, weights=revenue[use], minlength=len(keys))
    bought = np.zeros((n, width), dtype=bool)
    hit = keys[net > 0]
    bought[hit // width, hit % width] = True
    bought = bought[:, : len(names)]
    return bought


def _order_codes(lines: pd.DataFrame, days: np.ndarray) -> np.ndarray:
    """An order's code per line: its invoice, or (without one) its day, in one non-negative integer range."""
    day_code = days.astype(np.int64) - (days.min().astype(np.int64) if len(days) else 0)
    if "invoice" not in lines:
        return day_code
    invoice, names = _group_codes(lines["invoice"])
    return np.where(invoice >= 0, invoice, len(names) + day_code)


def whitespace(lines: pd.DataFrame, as_of: object = None, families: list[str] | None = None) -> pd.DataFrame:
    """List each customer's whitespace: the portfolio's families (bought by someone in the last 12 months) it
    does not buy, with how many customers buy each (`buyers`) and their share of the customers buying (%).

    Only customers with a sale in the last 12 months are listed; `families` restricts the families considered.
    Sorted by customer, then the most bought family first.
    """
    columns = ["customer", "family", "buyers", "buyer_share"]
    if "family" not in lines:
        return pd.DataFrame(columns=columns)
    as_of = _as_of(lines, as_of)
    _, last_start, end = _windows(as_of)
    days = lines["date"].to_numpy().astype("datetime64[D]")
    customer, customers = _group_codes(lines["customer"])
    revenue = lines["revenue"].to_numpy(dtype=np.float64)
    in_last = (days > last_start) & (days <= end)
    names = _group_codes(lines["family"])[1]
    bought = _families_bought(customer, lines["family"], revenue, in_last, len(customers))
    buying = np.bincount(customer[in_last & (revenue > 0)], minlength=len(customers)) > 0
    bought = bought[buying]
    buyers = bought.sum(axis=0)
    offered = buyers > 0
    if families is not None:
        offered &= np.isin(names.astype(str), [str(f) for f in families])
    who, which = np.nonzero(~bought & offered[None, :])
    active = len(bought)
    out = pd.DataFrame(
        {
            "customer": pd.array(customers[buying][who], dtype="str"),
            "family": pd.array(names[which], dtype="str"),
            "buyers": buyers[which].astype(np.int64),
            "buyer_share": buyers[which] / max(active, 1) * 100.0,
        },
        columns=columns,
    )
    out = out.sort_values(["customer", "buyers", "family"], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)


# --- scores ---------------------------------------------------------------------------------------------


def quantile_positions(values: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Percentile rank of each value among them, 0–1: (rank − 1) / (n − 1), ties at their mean rank; one value 0.5.

    >>> quantile_positions(np.array([10.0, 30.0, 20.0, 20.0, 40.0])).tolist()
    [0.0, 0.75, 0.375, 0.375, 1.0]
    """
    if len(values) == 1:
        return np.array([0.5])
    ranks = pd.Series(values).rank(method="average").to_numpy()
    positions = (ranks - 1.0) / (len(values) - 1.0) if len(values) else ranks
    return positions if higher_is_better else 1.0 - positions


def threshold_positions(values: np.ndarray, low: float, high: float, higher_is_better: bool = True) -> np.ndarray:
    """Where each value sits between `low` (0) and `high` (1), clipped: linear, reversed when lower is better.

    >>> threshold_positions(np.array([-5.0, 0.0, 25.0, 50.0, 80.0]), 0.0, 50.0).tolist()
    [0.0, 0.0, 0.5, 1.0, 1.0]
    """
    positions = np.clip((values - low) / (high - low), 0.0, 1.0)
    return positions if higher_is_better else 1.0 - positions


def to_scale(
    positions: np.ndarray,
    low: float | np.ndarray,
    high: float | np.ndarray,
    step: float,
    higher_is_better: bool | np.ndarray = True,
) -> np.ndarray:
    """Place 0–1 positions on a criterion's scale, reversed for a lower-is-better criterion, rounded to `step`
    from `low` (halves up) and kept within the scale. The scale and direction may be one per position (criteria per
    segment: each account's segment's).

    >>> to_scale(np.array([0.0, 0.5, 0.66, 1.0]), 1.0, 10.0, 0.1).tolist()
    [1.0, 5.5, 6.9, 10.0]
    >>> to_scale(np.array([0.0, 0.5, 1.0]), 1.0, 10.0, 1.0, higher_is_better=False).tolist()
    [10.0, 6.0, 1.0]
    """
    raw = np.where(higher_is_better, low + positions * (high - low), high - positions * (high - low))
    rounded = low + np.floor((raw - low) / step + 0.5 + 1e-9) * step
    return np.round(np.clip(rounded, low, high), 10)


def metric_scores(metrics: pd.DataFrame, mapping: LedgerMapping, scales: pd.DataFrame) -> pd.DataFrame:
    """Score each customer on each criterion a metric feeds, by the mapping's rules, on the criteria's scales.

    `scales` has criterion_id, scale_min, scale_max and optionally higher_is_better (a workbook's `criteria`
    sheet). Returns one row per customer and criterion: customer, criterion_id, metric, value, score; an
    inactive customer, or one without the metric's value, gets no row (`.attrs["unscored"]` counts them per
    metric). Raise `KamError` for a criterion the scales do not have.
    """
    wanted = mapping.scored()
    known = scales["criterion_id"].astype(str).tolist()
    unknown = [f"{m}: {c!r}" for m, c in wanted.items() if c not in known]
    if unknown:
        raise KamError(
            f"mapping, criteria: unknown criterion {', '.join(unknown)}; known: {list_known(known)}",
            f"correspondencia, criteria: criterio desconocido {', '.join(unknown)}; existentes: {list_known(known)}",
        )
    scale = scales.assign(criterion_id=scales["criterion_id"].astype(str)).set_index("criterion_id")
    eligible = (metrics["status"] != "inactive").to_numpy()
    parts, unscored = [], {}
    for metric, criterion in wanted.items():
        low, high = float(scale.at[criterion, "scale_min"]), float(scale.at[criterion, "scale_max"])
        criterion_up = bool(scale.at[criterion, "higher_is_better"]) if "higher_is_better" in scale else True
        values = metrics[metric].to_numpy(dtype=np.float64)
        has = eligible & np.isfinite(values)
        positions = _positions(values[has], mapping, metric)
        chosen = np.flatnonzero(has)
        if metric == "growth" and mapping.new_customers != "none":
            new = np.flatnonzero(eligible & (metrics["status"] == "new").to_numpy())
            fill = {"top": 1.0, "bottom": 0.0}.get(mapping.new_customers)
            if fill is None:  # median of the others' positions: what the portfolio's middle customer gets
                fill = float(np.median(positions)) if len(positions) else 0.5
            chosen = np.concatenate([chosen, new])
            positions = np.concatenate([positions, np.full(len(new), fill)])
        unscored[metric] = int(eligible.sum() - len(chosen))
        order = np.argsort(chosen, kind="stable")
        chosen, positions = chosen[order], positions[order]
        parts.append(
            pd.DataFrame(
                {
                    "customer": metrics["customer"].to_numpy()[chosen],
                    "criterion_id": criterion,
                    "metric": metric,
                    "value": values[chosen],
                    "score": to_scale(positions, low, high, mapping.step, criterion_up),
                }
            )
        )
    columns = ["customer", "criterion_id", "metric", "value", "score"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    out.attrs["unscored"] = unscored
    return out[columns]


def _positions(values: np.ndarray, mapping: LedgerMapping, metric: str) -> np.ndarray:
    rule = mapping.rules[metric]
    up = mapping.direction(metric)
    if rule.rule == "thresholds":
        return threshold_positions(values, float(rule.low), float(rule.high), up)
    return quantile_positions(values, up)


__all__ = [
    "METRICS",
    "STATUSES",
    "ledger_metrics",
    "metric_scores",
    "quantile_positions",
    "threshold_positions",
    "to_scale",
    "whitespace",
]
