"""Movement in the matrix: where each account came from, and where the plan wants it to go (issue 8).

Two kinds of move, one row each in `movements`:

- `history`: when the scores hold more than one period, the account's position as of the previous period
  (the latest score of each criterion up to that period, as `kamlib.scoring` reads periods) → its current
  position. With a placement "as of" a label (`--period 2026`), the current round is the latest score period
  that label holds, and the previous one is the period before that round. Both placements use the current
  weights and the current cut values, so an arrow shows the change in the scores, never a change of method.
  `since` picks another earlier period.
- `target`: when `accounts` states a target position (`target_potential`, `target_position`, 0–10), the
  current position → the target. A target on one axis only keeps the other axis where it is.

An account must be placed at both ends to get an arrow; moves shorter than `MIN_MOVE` (on the 0–10
scale) are left out, as they would be arrows hidden under their bubble.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, UnplacedAccountsWarning, list_known
from kamlib.i18n import check_lang, number_text
from kamlib.method import AXES, QUADRANTS, STRATEGY_NAMES
from kamlib.periods import is_up_to, period_key
from kamlib.scoring import classify, score_like

MIN_MOVE = 0.05
"""Moves shorter than this on the 0–10 composite scale (Euclidean, both axes) are not drawn."""
KINDS = ("history", "target")
TARGET_COLUMNS = ("target_potential", "target_position")
COLUMNS = (
    "account_id",
    "name",
    "kind",
    "from_period",
    "to_period",
    "from_potential",
    "from_position",
    "to_potential",
    "to_position",
    "from_quadrant",
    "to_quadrant",
    "distance",
)

_WORDS = {
    "account": {"es": "Cuenta", "en": "Account"},
    "kind": {"es": "Movimiento", "en": "Move"},
    "history": {"es": "Desde {period}", "en": "Since {period}"},
    "target": {"es": "Hacia el objetivo", "en": "Toward the target"},
    "from": {"es": "Estrategia de partida", "en": "Strategy at the start"},
    "to": {"es": "Estrategia de llegada", "en": "Strategy at the end"},
    "potential": {"es": "Potencial (de → a)", "en": "Potential (from → to)"},
    "position": {"es": "Posición (de → a)", "en": "Position (from → to)"},
}


def current_round(engagement: Engagement, period: str | None = None) -> str | None:
    """The score period a scoring "as of `period`" ends on: the latest score period up to and including it
    (`kamlib.periods.is_up_to`: "2026" holds 2026-Q2), or the latest of all; None when there is none."""
    periods = engagement.periods
    if period is None:
        return periods[-1] if periods else None
    held = [p for p in periods if is_up_to(p, str(period))]
    return held[-1] if held else None


def previous_period(engagement: Engagement, period: str | None = None) -> str | None:
    """The score period just before the round `period` ends on (`current_round`), None when there is none."""
    current = current_round(engagement, period)
    if current is None:
        return None
    earlier = [p for p in engagement.periods if period_key(p) < period_key(current)]
    return earlier[-1] if earlier else None


def movements(
    engagement: Engagement, scored: pd.DataFrame, since: str | None = None, targets: bool = True
) -> pd.DataFrame:
    """Return the accounts' moves (see the module docstring), history first, one row per account and kind.

    `scored` is the current placement (`score_accounts` / `score_scenario`): its weights, cut values and
    period are the ones both ends use. `since` names the earlier period (default: the one before the
    current); a `since` that is not a score period, or not earlier, raises `KamError`.
    """
    cuts = np.array([scored.attrs.get("cuts", {}).get(a, 5.0) for a in AXES], dtype=float)
    frames = [_history(engagement, scored, cuts, since)]
    if targets:
        frames.append(_targets(engagement, scored, cuts))
    moves = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    if moves is None:
        return pd.DataFrame(columns=list(COLUMNS))
    moves = moves[moves["distance"] >= MIN_MOVE]
    return moves[list(COLUMNS)].reset_index(drop=True)


def _history(engagement: Engagement, scored: pd.DataFrame, cuts: np.ndarray, since: str | None) -> pd.DataFrame:
    periods = engagement.periods
    current = current_round(engagement, scored.attrs.get("period"))
    if since is None:
        since = previous_period(engagement, current)
        if since is None:
            return pd.DataFrame(columns=list(COLUMNS))
    elif current is None or since not in periods or period_key(since) >= period_key(current):
        raise KamError(
            f"period {since!r} is not a score period before the current one; known: {list_known(periods)}",
            f"el periodo {since!r} no es un periodo de puntuación anterior al actual; existentes: "
            f"{list_known(periods)}",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnplacedAccountsWarning)  # an account new since then has no earlier place
        before = score_like(engagement, scored, since, dict(zip(AXES, cuts, strict=True)))
    both = scored["placed"].to_numpy(dtype=bool) & before["placed"].to_numpy(dtype=bool)
    start = before.loc[both, list(AXES)].to_numpy(dtype=float)
    end = scored.loc[both, list(AXES)].to_numpy(dtype=float)
    return _moves(scored.loc[both], "history", since, current, start, end, cuts)


def _targets(engagement: Engagement, scored: pd.DataFrame, cuts: np.ndarray) -> pd.DataFrame:
    accounts = engagement.accounts
    if not any(c in accounts.columns for c in TARGET_COLUMNS):
        return pd.DataFrame(columns=list(COLUMNS))
    target = accounts.reindex(columns=list(TARGET_COLUMNS)).astype(float).to_numpy()
    stated = ~np.isnan(target).all(axis=1) & scored["placed"].to_numpy(dtype=bool)
    start = scored.loc[stated, list(AXES)].to_numpy(dtype=float)
    end = np.where(np.isnan(target[stated]), start, target[stated])
    return _moves(scored.loc[stated], "target", scored.attrs.get("period"), None, start, end, cuts)


def _moves(
    rows: pd.DataFrame,
    kind: str,
    from_period: str | None,
    to_period: str | None,
    start: np.ndarray,
    end: np.ndarray,
    cuts: np.ndarray,
) -> pd.DataFrame:
    labels = np.array([*QUADRANTS, None], dtype=object)
    return pd.DataFrame(
        {
            "account_id": rows["account_id"].to_numpy(dtype=object),
            "name": rows["name"].to_numpy(dtype=object),
            "kind": kind,
            "from_period": from_period,
            "to_period": to_period,
            "from_potential": start[:, 0],
            "from_position": start[:, 1],
            "to_potential": end[:, 0],
            "to_position": end[:, 1],
            "from_quadrant": labels[classify(start, cuts)] if len(start) else [],
            "to_quadrant": labels[classify(end, cuts)] if len(end) else [],
            "distance": np.hypot(*(end - start).T) if len(start) else [],
        }
    )


def movement_table(moves: pd.DataFrame, lang: str = "es", changed_only: bool = True) -> pd.DataFrame:
    """The moves for people: account, kind, strategy at both ends, both axes from → to (largest first).

    `changed_only` keeps the moves that change quadrant (the ones a workshop discusses).
    """
    check_lang(lang)
    words = {k: v[lang] for k, v in _WORDS.items()}
    rows = moves[moves["from_quadrant"] != moves["to_quadrant"]] if changed_only else moves
    rows = rows.sort_values(["kind", "distance"], ascending=[True, False], kind="stable")

    def span(axis: str) -> list[str]:
        return [
            f"{number_text(a, lang, 1)} → {number_text(b, lang, 1)}"
            for a, b in zip(rows[f"from_{axis}"], rows[f"to_{axis}"], strict=True)
        ]

    return pd.DataFrame(
        {
            words["account"]: rows["name"].astype(str).to_numpy(),
            words["kind"]: [
                words["history"].format(period=p) if k == "history" else words["target"]
                for k, p in zip(rows["kind"], rows["from_period"], strict=True)
            ],
            words["from"]: [STRATEGY_NAMES[q][lang] for q in rows["from_quadrant"]],
            words["to"]: [STRATEGY_NAMES[q][lang] for q in rows["to_quadrant"]],
            words["potential"]: span("potential"),
            words["position"]: span("position"),
        }
    )
