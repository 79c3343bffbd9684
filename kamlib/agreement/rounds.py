"""Two rounds of scoring side by side: did talking it over narrow the spread of each cell?

A round is a scores sheet (a workshop's round 1 and round 2, or two periods of one workbook: `round_scores`). Each
round's cells are spread as `kamlib.agreement.spread.cell_spread` spreads them, with the same thresholds, and
lined up cell by cell. A cell's `status`:

- `resolved`: contested in the first round, scored and not contested in the second;
- `persisting`: contested in both;
- `arisen`: not contested in the first, contested in the second;
- `agreed`: scored in both, contested in neither;
- `before_only` / `after_only`: scored in one round only (a contested cell nobody scored again is not resolved).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.agreement.cells import period_labels
from kamlib.agreement.spread import Threshold, cell_spread
from kamlib.errors import KamError, list_known
from kamlib.i18n import check_lang, number_text
from kamlib.periods import sort_periods
from kamlib.scoring import DECIMALS

STATUSES: tuple[str, ...] = ("resolved", "persisting", "arisen", "agreed", "before_only", "after_only")
"""A cell's status across the two rounds (the module's rule)."""
ROUND_FIGURES: tuple[str, ...] = ("n_scores", "median", "range", "range_share", "std", "disagreement")
"""The figures of each round kept per cell, suffixed `_before` and `_after`."""

_WORDS = {
    "resolved": {"en": "Contested cells resolved: {n} of {m}", "es": "Celdas en disputa resueltas: {n} de {m}"},
    "arisen": {"en": "newly contested: {n}", "es": "nuevas en disputa: {n}"},
    "now": {"en": "contested now: {n}", "es": "en disputa ahora: {n}"},
    "calm": {
        "en": "No cell contested in either round",
        "es": "Ninguna celda en disputa en ninguna de las dos rondas",
    },
}


def round_scores(scores: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return the rows of `scores` whose period is `period` (compared as text, spaces stripped): one round.

    Raise `KamError` naming the periods there are when none is `period`.
    """
    labels = period_labels(scores["period"]) if "period" in scores else pd.Series(None, index=scores.index)
    chosen = (labels == str(period).strip()).to_numpy(dtype=bool)
    if not chosen.any():
        known = sort_periods(labels.dropna().tolist())
        if not known:
            raise KamError(
                f"no scores of period {period!r}; the scores have no periods",
                f"no hay puntuaciones del periodo {period!r}; las puntuaciones no tienen periodos",
            )
        raise KamError(
            f"no scores of period {period!r}; periods: {list_known(known)}",
            f"no hay puntuaciones del periodo {period!r}; periodos: {list_known(known)}",
        )
    return scores[chosen]


def compare_rounds(
    before: pd.DataFrame,
    after: pd.DataFrame,
    criteria: pd.DataFrame,
    threshold: Threshold = None,
    id_column: str = "account_id",
) -> pd.DataFrame:
    """Line up two rounds' spreads cell by cell: one row per cell scored in either round.

    Columns: the id, criterion_id, `ROUND_FIGURES` suffixed `_before` and `_after` (empty where the round did not
    score the cell), range_change (after − before, in the criterion's points), resolved, status (the module's
    rule), threshold. Rows: the first round's cells in its order, then those only the second scored.
    """
    keys = [id_column, "criterion_id"]
    first = cell_spread(before, criteria, threshold, id_column=id_column)
    second = cell_spread(after, criteria, threshold, id_column=id_column)
    both = pd.merge(
        first[[*keys, "threshold", *ROUND_FIGURES]],
        second[[*keys, "threshold", *ROUND_FIGURES]],
        on=keys,
        how="outer",
        suffixes=("_before", "_after"),
        sort=False,
        indicator=True,
    )
    was = both["disagreement_before"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    now = both["disagreement_after"].astype("boolean").fillna(False).to_numpy(dtype=bool)  # not scored: not contested
    side = both["_merge"].astype(str).to_numpy()
    status = np.select(
        [side == "left_only", side == "right_only", was & now, was, now],
        ["before_only", "after_only", "persisting", "resolved", "arisen"],
        default="agreed",
    )
    out = both[keys].copy()
    kinds = {"n_scores": "Int64", "disagreement": "boolean"}  # empty where the round did not score the cell
    for figure in ROUND_FIGURES:
        for when in ("before", "after"):
            out[f"{figure}_{when}"] = both[f"{figure}_{when}"].astype(kinds.get(figure, float))
    out["range_change"] = np.round(both["range_after"] - both["range_before"], DECIMALS)
    out["resolved"] = status == "resolved"
    out["status"] = status.astype(object)
    out["threshold"] = both["threshold_before"].fillna(both["threshold_after"])
    first_order = pd.MultiIndex.from_frame(first[keys]).get_indexer(pd.MultiIndex.from_frame(out[keys]))
    second_order = pd.MultiIndex.from_frame(second[keys]).get_indexer(pd.MultiIndex.from_frame(out[keys]))
    order = np.lexsort((second_order, np.where(first_order >= 0, first_order, len(first) + second_order)))
    return out.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class RoundsSummary:
    """Two rounds in figures: how many cells were contested before and after, and what became of them."""

    cells_before: int
    """Cells scored in the first round."""
    cells_after: int
    """Cells scored in the second round."""
    contested_before: int
    """Cells contested in the first round."""
    contested_after: int
    """Cells contested in the second round."""
    statuses: Mapping[str, int]
    """Cells per status (`STATUSES`, each present, 0 when none)."""
    narrowed: int
    """Cells scored in both whose range shrank."""
    widened: int
    """Cells scored in both whose range grew."""


def rounds_summary(cells: pd.DataFrame) -> RoundsSummary:
    """Count a `compare_rounds` frame's cells: contested before and after, per status, narrowed and widened."""
    counts = cells["status"].value_counts()
    change = cells["range_change"].to_numpy(dtype=float)
    return RoundsSummary(
        cells_before=int(cells["n_scores_before"].notna().sum()),
        cells_after=int(cells["n_scores_after"].notna().sum()),
        contested_before=int(cells["disagreement_before"].fillna(False).sum()),
        contested_after=int(cells["disagreement_after"].fillna(False).sum()),
        statuses={s: int(counts.get(s, 0)) for s in STATUSES},
        narrowed=int((change < 0).sum()),
        widened=int((change > 0).sum()),
    )


def rounds_text(summary: RoundsSummary, lang: str) -> str:
    """One sentence on two rounds: "Contested cells resolved: 3 of 5; newly contested: 1; contested now: 3"."""
    check_lang(lang)
    if summary.contested_before == 0 and summary.contested_after == 0:
        return _WORDS["calm"][lang]
    return "; ".join(
        [
            _WORDS["resolved"][lang].format(
                n=number_text(summary.statuses["resolved"], lang, 0), m=number_text(summary.contested_before, lang, 0)
            ),
            _WORDS["arisen"][lang].format(n=number_text(summary.statuses["arisen"], lang, 0)),
            _WORDS["now"][lang].format(n=number_text(summary.contested_after, lang, 0)),
        ]
    )
