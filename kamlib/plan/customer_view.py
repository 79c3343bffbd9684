"""Our position as the customer sees it, beside our own view of it.

The `scores` rows with side customer (a survey of the customer, or the customer's people in a workshop) score the
position criteria; by the matrix's own rule (`kamlib.scoring.customer_position`: the same weights, scales and
period) they give each account a second position composite, "as the customer sees us". The gap is theirs minus
ours, in points of the 0–10 composite: below zero, the customer rates us lower than we rate ourselves.

Per criterion the gap is in the criterion's own units and turned so that below zero is worse for us whatever the
criterion's direction: (theirs − ours) when higher is better, (ours − theirs) when lower is (incidents).

Our own view places the accounts unless the scenario says `position_by: customer` (`kamlib.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, count_text, number_text, short_text, signed_text
from kamlib.method import QUADRANTS, strategy_text
from kamlib.periods import is_up_to, sort_periods
from kamlib.scoring import (
    axis_codes,
    axis_composites,
    classify,
    customer_position,
    customer_table,
    normalised_table,
    scales,
    score_matrix,
    score_table,
    weight_vector,
)

_WORDS = {
    "account": {"es": "Cuenta", "en": "Account"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "ours": {"es": "Posición (nuestra visión)", "en": "Position (our view)"},
    "theirs": {"es": "Posición (visión del cliente)", "en": "Position (the customer's view)"},
    "gap": {"es": "Diferencia", "en": "Gap"},
    "their_strategy": {"es": "Estrategia con su visión", "en": "Strategy by their view"},
    "period": {"es": "Periodo de su puntuación", "en": "Period of their scores"},
    "criterion": {"es": "Criterio", "en": "Criterion"},
    "our_score": {"es": "Nuestra puntuación", "en": "Our score"},
    "their_score": {"es": "Puntuación del cliente", "en": "The customer's score"},
    "scale": {"es": "Escala", "en": "Scale"},
}
_SUMMARY = {
    "es": {
        "none": "El cliente aún no ha puntuado nuestra posición en ninguna cuenta.",
        "scored": "El cliente ha puntuado nuestra posición en {accounts}",
        "lower": "; en {n} nos ve peor que nosotros mismos",
        "largest": " (la mayor diferencia, {name}: {gap} puntos)",
        "higher": "; en {n} nos ve mejor",
        "moves": "; con su visión cambiarían de estrategia {accounts}",
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "line": "El cliente nos sitúa en {theirs} de posición; nosotros, en {ours} ({gap} puntos).",
        "line_alone": "El cliente nos sitúa en {theirs} de posición; nosotros no hemos puntuado esos criterios.",
        "criteria_lower": "Nos puntúa por debajo de nuestra propia puntuación en {criteria}.",
        "criteria_none": "No nos puntúa por debajo de nuestra propia puntuación en ningún criterio.",
    },
    "en": {
        "none": "The customer has not yet scored our position on any account.",
        "scored": "The customer has scored our position on {accounts}",
        "lower": "; on {n} it rates us lower than we rate ourselves",
        "largest": " (the largest gap, {name}: {gap} points)",
        "higher": "; on {n} it rates us higher",
        "moves": "; by its view {accounts} would change strategy",
        "accounts": ("{n} account", "{n} accounts"),
        "line": "The customer places our position at {theirs}; we place it at {ours} ({gap} points).",
        "line_alone": "The customer places our position at {theirs}; we have not scored those criteria.",
        "criteria_lower": "It scores us below our own score on {criteria}.",
        "criteria_none": "It scores us below our own score on no criterion.",
    },
}


@dataclass(frozen=True)
class CustomerView:
    """Each account's position as we see it and as the customer does, and each criterion's scores both ways."""

    accounts: pd.DataFrame
    """One row per account, workbook order: account_id, name, kam_id, potential, position (our own view), quadrant
    (ours), customer_position (theirs on every criterion they scored; NaN where the customer scored none),
    matched_position and customer_matched (ours and theirs on the criteria both scored: like with like), gap
    (customer_matched − matched_position), customer_quadrant (where their view would place it with the same cut
    lines; None where not scored or not placed), customer_period (the latest period of the customer's scores, None
    if undated)."""
    criteria: pd.DataFrame
    """One row per account and position criterion the customer scored: account_id, criterion_id, label_es,
    label_en, scale_min, scale_max, higher_is_better, ours (NaN if we did not score it), theirs, gap (in the
    criterion's units, below zero = worse for us)."""

    @property
    def scored(self) -> pd.DataFrame:
        """The accounts the customer scored, largest gap against us first."""
        frame = self.accounts[self.accounts["customer_position"].notna()]
        return frame.sort_values(["gap", "name"], kind="stable", na_position="last")

    def summary(self, lang: str) -> str:
        """One sentence: on how many accounts the customer scored us, where it sees us lower (the largest gap) or
        higher, and how many would change strategy by its view."""
        words = _SUMMARY[check_lang(lang)]
        frame = self.scored
        if frame.empty:
            return words["none"]
        text = words["scored"].format(accounts=count_text(words["accounts"], len(frame), lang))
        lower, higher = frame[frame["gap"] < 0], frame[frame["gap"] > 0]
        if len(lower):
            text += words["lower"].format(n=len(lower))
            first = lower.iloc[0]
            text += words["largest"].format(name=first["name"], gap=signed_text(first["gap"], lang))
        if len(higher):
            text += words["higher"].format(n=len(higher))
        moved = frame["quadrant"].notna() & frame["customer_quadrant"].notna()
        moved &= frame["quadrant"] != frame["customer_quadrant"]
        if moved.any():
            text += words["moves"].format(accounts=count_text(words["accounts"], int(moved.sum()), lang))
        return text + "."

    def gap_table(self, lang: str) -> pd.DataFrame:
        """The accounts the customer scored, for people, the largest gap against us first: account, strategy,
        our position, theirs, the gap, the strategy their view would give (numbers, with their units in
        `.attrs["units"]`)."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        frame = self.scored
        table = pd.DataFrame(
            {
                w["account"]: frame["name"].astype(str).to_numpy(),
                w["strategy"]: [strategy_text(q, lang) for q in frame["quadrant"]],
                w["ours"]: frame["matched_position"].to_numpy(dtype=float),
                w["theirs"]: frame["customer_matched"].to_numpy(dtype=float),
                w["gap"]: frame["gap"].to_numpy(dtype=float),
                w["their_strategy"]: [strategy_text(q, lang) for q in frame["customer_quadrant"]],
            }
        )
        if frame["customer_period"].notna().any():
            table[w["period"]] = frame["customer_period"].to_numpy(dtype=object)
        table.attrs["units"] = {w["ours"]: "decimal1", w["theirs"]: "decimal1", w["gap"]: "signed"}
        return table

    def account_table(self, account_id: str, lang: str, lower_only: bool = True) -> pd.DataFrame:
        """One account's position criteria the customer scored (with `lower_only`, those where it rates us lower
        than we rate ourselves), the largest gap against us first: criterion, our score, theirs, the gap, the
        scale. No rows when the customer did not score it."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        rows = self.criteria[self.criteria["account_id"] == account_id]
        if lower_only:
            rows = rows[rows["gap"] < 0]
        rows = rows.sort_values("gap", kind="stable")
        table = pd.DataFrame(
            {
                w["criterion"]: [_label(r, lang) for r in rows.itertuples(index=False)],
                w["our_score"]: rows["ours"].to_numpy(dtype=float),
                w["their_score"]: rows["theirs"].to_numpy(dtype=float),
                w["gap"]: rows["gap"].to_numpy(dtype=float),
                w["scale"]: [
                    f"{short_text(lo, lang, 2)}–{short_text(hi, lang, 2)}"
                    for lo, hi in zip(rows["scale_min"], rows["scale_max"], strict=True)
                ],
            }
        )
        table.attrs["units"] = {w["gap"]: "signed"}
        return table

    def account_lines(self, account_id: str, lang: str) -> list[str]:
        """One account's two positions and where the customer scores us lower, in words; empty when the customer
        did not score it."""
        words = _SUMMARY[check_lang(lang)]
        row = self.accounts[self.accounts["account_id"] == account_id]
        if row.empty or pd.isna(row["customer_position"].iloc[0]):
            return []
        row = row.iloc[0]
        if pd.isna(row["matched_position"]):
            return [words["line_alone"].format(theirs=number_text(row["customer_position"], lang, 1))]
        theirs = number_text(row["customer_matched"], lang, 1)
        ours, gap = number_text(row["matched_position"], lang, 1), signed_text(row["gap"], lang)
        lines = [words["line"].format(theirs=theirs, ours=ours, gap=gap)]
        lower = self.criteria[(self.criteria["account_id"] == account_id) & (self.criteria["gap"] < 0)]
        names = [_label(r, lang) for r in lower.sort_values("gap", kind="stable").itertuples(index=False)]
        lines.append(words["criteria_lower"].format(criteria=", ".join(names)) if names else words["criteria_none"])
        return lines


def _label(row: object, lang: str) -> str:
    label = getattr(row, f"label_{lang}")
    return str(label) if isinstance(label, str) and label.strip() else str(row.criterion_id)


def customer_view(engagement: Engagement, scored: pd.DataFrame) -> CustomerView:
    """Each account's position as we see it and as the customer does, with the weights, period and cut lines that
    placed the accounts (`scored`, from `score_accounts` or `score_scenario`)."""
    weights, period = scored.attrs.get("weights"), scored.attrs.get("period")
    segment_weights = scored.attrs.get("segment_weights")
    codes = axis_codes(engagement)
    vector = weight_vector(engagement, weights, segment_weights)
    ours = normalised_table(engagement, period)
    composites = axis_composites(ours, vector, codes)
    theirs = customer_position(engagement, weights, period, segment_weights)
    customer = customer_table(engagement, period)
    both = ~np.isnan(customer) & ~np.isnan(ours)  # the criteria both sides scored, account by account
    matched = axis_composites(np.where(both, ours, np.nan), vector, codes)[:, 1]
    their_matched = axis_composites(np.where(both, customer, np.nan), vector, codes)[:, 1]
    cuts = scored.attrs.get("cuts", {})
    cut_values = np.array([float(cuts.get("potential", 5.0)), float(cuts.get("position", 5.0))])
    ours_codes = classify(composites, cut_values)
    their_codes = classify(np.column_stack([composites[:, 0], theirs]), cut_values)
    names = np.array([*QUADRANTS, None], dtype=object)
    accounts = pd.DataFrame(
        {
            "account_id": engagement.accounts["account_id"].astype(str).to_numpy(),
            "name": engagement.accounts["name"].astype(str).to_numpy(),
            "kam_id": engagement.accounts["kam_id"].to_numpy(dtype=object),
            "potential": composites[:, 0],
            "position": composites[:, 1],
            "quadrant": names[ours_codes],
            "matched_position": matched,
            "customer_position": theirs,
            "customer_matched": their_matched,
            "gap": np.round(their_matched - matched, 9),
            "customer_quadrant": names[their_codes],
            "customer_period": _latest_periods(engagement.customer_scores, engagement.accounts["account_id"], period),
        }
    )
    return CustomerView(accounts, _criterion_gaps(engagement, period))


def _latest_periods(scores: pd.DataFrame, ids: pd.Series, period: str | None) -> np.ndarray:
    """Each account's latest period of the customer's scores (as of `period`), None without one."""
    dated = scores[scores["period"].notna()]
    if period is not None:
        dated = dated[[is_up_to(str(p), str(period)) for p in dated["period"]]]
    latest = {a: sort_periods(g.tolist())[-1] for a, g in dated.groupby("account_id")["period"]}
    return np.array([latest.get(a) for a in ids.astype(str)], dtype=object)


def _criterion_gaps(engagement: Engagement, period: str | None) -> pd.DataFrame:
    """Each account's position criteria the customer scored: our score, theirs and the gap (see the module)."""
    criteria = engagement.criteria
    ids = engagement.accounts["account_id"].astype(str)
    ours = score_table(engagement, period)
    theirs = score_matrix(engagement.customer_scores, ids, criteria["criterion_id"], "account_id", period)
    row, col = np.nonzero(~np.isnan(theirs))
    low, high, higher = (np.broadcast_to(a, theirs.shape)[row, col] for a in scales(engagement))  # its segment's
    sign = np.where(higher, 1.0, -1.0)
    chosen = criteria.iloc[col]
    return pd.DataFrame(
        {
            "account_id": ids.to_numpy()[row],
            "criterion_id": chosen["criterion_id"].to_numpy(dtype=object),
            "label_es": chosen["label_es"].to_numpy(dtype=object),
            "label_en": chosen["label_en"].to_numpy(dtype=object),
            "scale_min": low,
            "scale_max": high,
            "higher_is_better": higher,
            "ours": ours[row, col],
            "theirs": theirs[row, col],
            "gap": np.round((theirs[row, col] - ours[row, col]) * sign, 9),
        }
    )
