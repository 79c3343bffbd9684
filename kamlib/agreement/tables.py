"""The team's agreement as tables for people (reports, the dashboard): headers in the reader's language, numbers
left as numbers for `kamlib.views.page.table_html` to write in the reader's locale.

- `agreement_table`: one row per account that has a cell scored by several assessors: how many such criteria,
  how many contested, the widest gap (criterion and range in its own points, and as a share of its scale), and
  the contested criteria in words. Widest gap first.
- `account_agreement_table`: one account's cells scored by several assessors: the criterion, each assessor's
  score, the mean that scoring uses, the range, whether it is contested. Widest first.
"""

from __future__ import annotations

import pandas as pd

from kamlib.agreement.cells import current_scores
from kamlib.agreement.contested import contested_by_account, contested_text, criterion_labels
from kamlib.i18n import check_lang, number_text, short_text

_HEADERS = {
    "account": {"es": "Cuenta", "en": "Account"},
    "multi": {"es": "Criterios con varios evaluadores", "en": "Criteria with several assessors"},
    "contested": {"es": "En disputa", "en": "Contested"},
    "widest": {"es": "Mayor diferencia", "en": "Widest gap"},
    "widest_share": {"es": "% de la escala", "en": "% of the scale"},
    "which": {"es": "Criterios en disputa", "en": "Contested criteria"},
    "criterion": {"es": "Criterio", "en": "Criterion"},
    "scores": {"es": "Puntuaciones", "en": "Scores"},
    "mean": {"es": "Media (la que usa la matriz)", "en": "Mean (what the matrix uses)"},
    "range": {"es": "Rango", "en": "Range"},
    "anonymous": {"es": "sin nombre", "en": "unnamed"},
}


def agreement_table(spread: pd.DataFrame, accounts: pd.DataFrame, criteria: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per account with a cell of several assessors (`spread`: `kamlib.agreement.cell_spread`), widest gap
    first; `accounts` gives the names (account_id, name)."""
    check_lang(lang)
    words = {k: v[lang] for k, v in _HEADERS.items()}
    per_account = contested_by_account(spread)
    rows = per_account[per_account["multi_assessor"] > 0]
    rows = rows.sort_values(["widest_share", "contested"], ascending=False, kind="stable")
    names = accounts.set_index(accounts["account_id"].astype(str))["name"].astype(str)
    labels = criterion_labels(criteria, lang)
    table = pd.DataFrame(
        {
            words["account"]: [names.get(str(a), str(a)) for a in rows["account_id"]],
            words["multi"]: rows["multi_assessor"].to_numpy(dtype="int64"),
            words["contested"]: rows["contested"].to_numpy(dtype="int64"),
            words["widest"]: [
                f"{labels.get(str(c), str(c))}: {number_text(r, lang, 1)}"
                for c, r in zip(rows["widest_criterion"], rows["widest_range"], strict=True)
            ],
            words["widest_share"]: 100.0 * rows["widest_share"].to_numpy(dtype=float),
            words["which"]: [contested_text(row, criteria, lang) for _, row in rows.iterrows()],
        }
    )
    table.attrs["units"] = {words["widest_share"]: "percent"}
    return table


def account_agreement_table(
    spread: pd.DataFrame, scores: pd.DataFrame, criteria: pd.DataFrame, account_id: str, lang: str
) -> pd.DataFrame:
    """One account's cells scored by several assessors, widest first: each assessor's score (the rows scoring
    averages, `kamlib.agreement.current_scores` of the workbook's `scores`), the mean, the range and whether it
    is contested. Empty when every criterion of the account has one score."""
    check_lang(lang)
    words = {k: v[lang] for k, v in _HEADERS.items()}
    cells = spread[(spread["account_id"].astype(str) == str(account_id)) & (spread["n_scores"] > 1)]
    cells = cells.sort_values("range_share", ascending=False, kind="stable")
    rows = current_scores(scores[scores["account_id"].astype(str) == str(account_id)], criteria)
    labels = criterion_labels(criteria, lang)
    said = {
        criterion: " · ".join(
            f"{words['anonymous'] if assessor is None else assessor} {short_text(score, lang, 1)}"
            for assessor, score in zip(group["assessor"], group["score"], strict=True)
        )
        for criterion, group in rows.groupby(rows["criterion_id"].astype(str), sort=False)
    }
    table = pd.DataFrame(
        {
            words["criterion"]: [labels.get(str(c), str(c)) for c in cells["criterion_id"]],
            words["scores"]: [said.get(str(c), "") for c in cells["criterion_id"]],
            words["mean"]: cells["mean"].to_numpy(dtype=float),
            words["range"]: cells["range"].to_numpy(dtype=float),
            words["contested"]: cells["disagreement"].to_numpy(dtype=bool),
        }
    )
    table.attrs["units"] = {words["mean"]: "decimal1", words["range"]: "decimal1"}
    return table
