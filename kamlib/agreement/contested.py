"""The contested criteria: per account, the cells whose scores disagree (`kamlib.agreement.spread`), and the
portfolio's count, with one sentence each in Spanish or English for a client page.

Widest first: a cell's range is compared as a share of its criterion's scale (`range_share`), so that 20 points on
a 0–100 scale and 2 points on a 1–10 scale rank as the gaps they are; ties keep the criteria's order. The widest
cell of an account is named even when nothing is contested (its widest gap, 0 with one score per criterion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.i18n import check_lang, count_text, number_text

CONTESTED_COLUMNS: tuple[str, ...] = (
    "cells",
    "multi_assessor",
    "contested",
    "contested_criteria",
    "contested_ranges",
    "widest_criterion",
    "widest_range",
    "widest_share",
)
"""The columns of `contested_by_account` after the id column."""

_WORDS = {
    "contested": {
        "en": ("{n} criterion contested", "{n} criteria contested"),
        "es": ("{n} criterio en disputa", "{n} criterios en disputa"),
    },
    "none": {"en": "No criterion contested", "es": "Ningún criterio en disputa"},
    "no_cell": {"en": "no cell contested", "es": "ninguna en disputa"},
    "single": {
        "en": "One assessor per criterion: no spread to show",
        "es": "Un solo evaluador por criterio: no hay dispersión que mostrar",
    },
    "single_portfolio": {
        "en": "One assessor per cell: no spread to show",
        "es": "Un solo evaluador por celda: no hay dispersión que mostrar",
    },
    "range": {"en": "range", "es": "rango"},
    "more": {"en": ("and {n} more", "and {n} more"), "es": ("y {n} más", "y {n} más")},
    "cells": {
        "en": ("{n} cell with several assessors", "{n} cells with several assessors"),
        "es": ("{n} celda con varios evaluadores", "{n} celdas con varios evaluadores"),
    },
    "contested_cells": {
        "en": ("{n} contested", "{n} contested"),
        "es": ("{n} en disputa", "{n} en disputa"),
    },
    "accounts": {
        "en": ("in {n} account", "in {n} accounts"),
        "es": ("en {n} cuenta", "en {n} cuentas"),
    },
}


def widest_first(spread: pd.DataFrame, id_column: str = "account_id") -> pd.DataFrame:
    """Return `spread` sorted by id (as given), then widest range first (as a share of the scale), then as given."""
    account = pd.Index(pd.unique(spread[id_column])).get_indexer(spread[id_column])
    order = np.lexsort((np.arange(len(spread)), -spread["range_share"].to_numpy(dtype=float), account))
    return spread.iloc[order]


def contested_by_account(spread: pd.DataFrame, id_column: str = "account_id") -> pd.DataFrame:
    """Return one row per account of `spread` (a `cell_spread`), in its order (`CONTESTED_COLUMNS`).

    cells: scored cells; multi_assessor: cells with several scores; contested: cells with `disagreement`;
    contested_criteria and contested_ranges (in each criterion's points): those cells, widest first; widest_*:
    the account's widest cell, contested or not (its criterion, range in points, range as a share of the scale).
    """
    columns = [id_column, *CONTESTED_COLUMNS]
    if not len(spread):
        kinds = {"cells": np.int64, "multi_assessor": np.int64, "contested": np.int64}
        kinds |= {"widest_range": float, "widest_share": float}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in columns})
    ordered = widest_first(spread, id_column).assign(multi=lambda s: s["n_scores"] > 1)
    by_account = ordered.groupby(id_column, sort=False)
    out = pd.DataFrame(
        {
            "cells": by_account.size(),
            "multi_assessor": by_account["multi"].sum(),
            "contested": by_account["disagreement"].sum(),
            "widest_criterion": by_account["criterion_id"].first(),
            "widest_range": by_account["range"].first(),
            "widest_share": by_account["range_share"].first(),
        }
    )
    hot = ordered[ordered["disagreement"].to_numpy(dtype=bool)].groupby(id_column, sort=False)
    out["contested_criteria"] = hot["criterion_id"].agg(tuple).reindex(out.index)
    out["contested_ranges"] = hot["range"].agg(tuple).reindex(out.index)
    for name in ("contested_criteria", "contested_ranges"):
        out[name] = [v if isinstance(v, tuple) else () for v in out[name]]
    out = out.reset_index()
    for name in ("cells", "multi_assessor", "contested"):
        out[name] = out[name].astype(np.int64)
    return out[columns]


@dataclass(frozen=True)
class AgreementSummary:
    """The portfolio's agreement, as the dashboard's band and a report's opening state it."""

    cells: int
    """Scored cells (account × criterion with at least one score)."""
    multi_assessor_cells: int
    """Cells with several scores: where a spread exists."""
    contested_cells: int
    """Cells whose range is past their threshold."""
    accounts: int
    """Accounts with at least one score."""
    multi_assessor_accounts: int
    """Accounts with at least one cell of several scores."""
    contested_accounts: int
    """Accounts with at least one contested cell."""
    criteria: pd.DataFrame
    """Per criterion with a score (the spread's order): criterion_id, multi_assessor (cells), contested (cells)."""


def agreement_summary(spread: pd.DataFrame, id_column: str = "account_id") -> AgreementSummary:
    """Count the portfolio's cells with several assessors and contested ones, overall, by account and criterion."""
    multi = spread["n_scores"].to_numpy() > 1
    hot = spread["disagreement"].to_numpy(dtype=bool)
    ids = spread[id_column]
    criteria = (
        pd.DataFrame({"criterion_id": spread["criterion_id"], "multi_assessor": multi, "contested": hot})
        .groupby("criterion_id", sort=False)
        .sum()
        .astype(np.int64)
        .reset_index()
    )
    return AgreementSummary(
        cells=len(spread),
        multi_assessor_cells=int(multi.sum()),
        contested_cells=int(hot.sum()),
        accounts=int(ids.nunique()),
        multi_assessor_accounts=int(ids[multi].nunique()),
        contested_accounts=int(ids[hot].nunique()),
        criteria=criteria,
    )


def criterion_labels(criteria: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return each criterion's label in `lang` (`label_es` / `label_en`), its id where it has none."""
    column = f"label_{check_lang(lang)}"
    labels = criteria[column] if column in criteria else pd.Series(None, index=criteria.index, dtype=object)
    return {
        str(c): (label.strip() if isinstance(label, str) and label.strip() else str(c))
        for c, label in zip(criteria["criterion_id"], labels, strict=True)
    }


def contested_text(account: pd.Series, criteria: pd.DataFrame, lang: str, limit: int | None = None) -> str:
    """One sentence on an account's row of `contested_by_account`: its contested criteria, widest first, each with
    its range in its own points (one decimal), at most `limit` named: "2 criteria contested: Growth (range 4.0),
    Share of wallet (%) (range 35.0)"; "No criterion contested"; or, with no cell of several scores, that there is
    no spread to show."""
    check_lang(lang)
    if int(account["multi_assessor"]) == 0:
        return _WORDS["single"][lang]
    n = int(account["contested"])
    if n == 0:
        return _WORDS["none"][lang]
    labels = criterion_labels(criteria, lang)
    named = list(zip(account["contested_criteria"], account["contested_ranges"], strict=True))
    shown = named if limit is None else named[: max(limit, 0)]
    parts = [f"{labels.get(str(c), str(c))} ({_WORDS['range'][lang]} {number_text(r, lang, 1)})" for c, r in shown]
    if len(shown) < len(named):
        parts.append(count_text(_WORDS["more"][lang], len(named) - len(shown), lang))
    return f"{count_text(_WORDS['contested'][lang], n, lang)}: {', '.join(parts)}"


def summary_text(summary: AgreementSummary, lang: str) -> str:
    """One sentence on the portfolio: "100 cells with several assessors, 19 contested, in 10 accounts"; "…, no cell
    contested"; or, with no cell of several scores, that there is no spread to show."""
    check_lang(lang)
    if summary.multi_assessor_cells == 0:
        return _WORDS["single_portfolio"][lang]
    if summary.contested_cells == 0:
        return f"{count_text(_WORDS['cells'][lang], summary.multi_assessor_cells, lang)}, {_WORDS['no_cell'][lang]}"
    return (
        f"{count_text(_WORDS['cells'][lang], summary.multi_assessor_cells, lang)}, "
        f"{count_text(_WORDS['contested_cells'][lang], summary.contested_cells, lang)}, "
        f"{count_text(_WORDS['accounts'][lang], summary.contested_accounts, lang)}"
    )
