"""The data the live account matrix needs in the browser, prepared once in Python.

The browser recomputes both composites on every slider move with exactly the rule of
`kamlib.scoring` (it receives each account's normalised scores and which criteria are
scored), so a slider never waits on the kernel. Everything that does not depend on the
weights is computed here: normalised scores, the three strongest and weakest criteria,
the reference quadrants to compare against, the filter options.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import UnplacedAccountsWarning
from kamlib.method import AXES
from kamlib.scoring import (
    CutSpec,
    SegmentWeights,
    axis_codes,
    axis_composites,
    normalised_table,
    resolve_cuts,
    score_accounts,
    weight_matrix,
    weight_vector,
)
from kamlib.workbook.sheets import ACCOUNTS

FILTER_COLUMNS = ("sector", "kam_id", "country")
"""Account columns the matrix can be filtered by (country only when the workbook has it)."""

STRENGTHS_SHOWN = 3


@dataclass(frozen=True)
class LiveMatrixData:
    """What the live matrix's browser side receives: accounts, criteria and filter options."""

    accounts: dict[str, list]
    """Columns: account_id, name, sector, kam_id, country, revenue, group (its segment group), norm (per account a
    list of normalised scores in criteria order, on its segment's scales, None where not scored), strong_es/_en,
    weak_es/_en."""
    criteria: list[dict]
    """Per criterion: id, axis (0 potential, 1 position), label_es, label_en, weight (the workbook's default row's,
    0 when it has none)."""
    segments: list[dict]
    """Per segment group (`Engagement.segments`; the default rows' first): name ("" for the default), label_es,
    label_en, applies (per criterion, whether it scores the group's accounts) and accounts (how many it scores).
    Each account's group is its `group` column."""
    sizes: dict[str, list]
    """Numeric account columns the bubble size can follow (revenue first)."""
    filters: dict[str, list[str]]
    """Filter options per column (sorted distinct values)."""


def strengths(normalised: np.ndarray, labels: list[str], k: int = STRENGTHS_SHOWN) -> tuple[list[str], list[str]]:
    """Name each account's `k` best and `k` worst scored criteria (by normalised score, ties in workbook order)."""
    strong, weak = [], []
    for row in normalised:
        scored = [i for i in np.argsort(-np.nan_to_num(row, nan=-np.inf), kind="stable") if not np.isnan(row[i])]
        strong.append(", ".join(labels[i] for i in scored[:k]))
        weak.append(", ".join(labels[i] for i in list(reversed(scored))[:k]))
    return strong, weak


def live_matrix_data(engagement: Engagement, period: str | None = None) -> LiveMatrixData:
    """Prepare an engagement for the live matrix."""
    accounts = engagement.accounts
    criteria = engagement.criteria
    normalised = normalised_table(engagement, period)
    columns: dict[str, list] = {
        "account_id": accounts["account_id"].tolist(),
        "name": accounts["name"].tolist(),
        "revenue": accounts["revenue"].astype(float).tolist(),
        "group": engagement.segments.codes.tolist(),
        "norm": [[None if np.isnan(v) else float(v) for v in row] for row in normalised],
    }
    for column in FILTER_COLUMNS:
        values = accounts[column] if column in accounts else pd.Series([None] * len(accounts))
        columns[column] = [None if pd.isna(v) else str(v) for v in values]
    for lang in ("es", "en"):
        labels = criteria[f"label_{lang}"].fillna(criteria["criterion_id"]).tolist()
        columns[f"strong_{lang}"], columns[f"weak_{lang}"] = strengths(normalised, labels)
    codes = axis_codes(engagement)
    crit = [
        {
            "id": c.criterion_id,
            "axis": int(code),
            "label_es": c.label_es if isinstance(c.label_es, str) else c.criterion_id,
            "label_en": c.label_en if isinstance(c.label_en, str) else c.criterion_id,
            "weight": float(weight),
        }
        for c, code, weight in zip(criteria.itertuples(index=False), codes, engagement.segments.weight[0], strict=True)
    ]
    groups = engagement.segments
    segments = [
        {
            "name": name,
            **{f"label_{lang}": groups.label(group, lang) for lang in ("es", "en")},
            "applies": groups.applies[group].tolist(),
            "accounts": int((groups.codes == group).sum()),
        }
        for group, name in enumerate(groups.names)
    ]
    sizes = {"revenue": columns["revenue"]}  # and the accounts' extra numeric columns (not the target position)
    for column in accounts.columns:
        if (
            column not in columns
            and column not in ACCOUNTS.column_names
            and pd.api.types.is_numeric_dtype(accounts[column])
        ):
            sizes[column] = accounts[column].astype(float).fillna(0).clip(lower=0).tolist()
    filters = {c: sorted({v for v in columns[c] if v is not None}) for c in FILTER_COLUMNS}
    return LiveMatrixData(
        accounts=columns, criteria=crit, segments=segments, sizes=sizes, filters={k: v for k, v in filters.items() if v}
    )


def reference_quadrants(
    engagement: Engagement,
    weights: Mapping[str, float] | None = None,
    cuts: Mapping[str, CutSpec] | None = None,
    period: str | None = None,
    segment_weights: SegmentWeights | None = None,
) -> dict[str, str | None]:
    """Return each account's quadrant under reference weights and cut lines (None where unplaced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnplacedAccountsWarning)
        scored = score_accounts(engagement, weights, cuts, period, segment_weights=segment_weights)
    return {
        a: (q if isinstance(q, str) else None) for a, q in zip(scored["account_id"], scored["quadrant"], strict=True)
    }


def composites_for(
    engagement: Engagement,
    weights: Mapping[str, float],
    period: str | None = None,
    segment_weights: SegmentWeights | None = None,
) -> np.ndarray:
    """Return the (accounts × 2) composites for `weights` (and `segment_weights`): what the browser must show."""
    vector = weight_vector(engagement, weights, segment_weights)
    return axis_composites(normalised_table(engagement, period), vector, axis_codes(engagement))


def segment_weight_table(
    engagement: Engagement, weights: Mapping[str, float] | None = None, segment_weights: SegmentWeights | None = None
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Return the weights the live matrix's sliders hold: the default rows' (every criterion with one) and, per
    segment of sheet criteria, every criterion that applies to it (`kamlib.scoring.weight_matrix`)."""
    groups = engagement.segments
    ids = engagement.criteria["criterion_id"].tolist()
    matrix = weight_matrix(engagement, weights, segment_weights)
    per_group = [
        {c: float(w) for c, w, on in zip(ids, matrix[group], groups.applies[group], strict=True) if on}
        for group in range(groups.count)
    ]
    return per_group[0], {name: per_group[group] for group, name in enumerate(groups.names) if group}


def numeric_cuts(cuts: Mapping[str, CutSpec], composites: np.ndarray) -> dict[str, float]:
    """Turn cut specs ("median" or numbers) into the numbers the sliders start at."""
    values = resolve_cuts(cuts, composites)
    return {axis: float(v) for axis, v in zip(AXES, values, strict=True)}
