"""Small frames built by hand for the agreement tests."""

from __future__ import annotations

import pandas as pd

import kamlib

SCORE_COLUMNS = ["account_id", "criterion_id", "score", "assessor", "period"]


def criteria_frame() -> pd.DataFrame:
    """Three criteria of three scales: `fit` 1–10 and `share` 0–100 (potential), `service` 1–5 (position)."""
    return pd.DataFrame(
        {
            "criterion_id": ["fit", "share", "service"],
            "axis": ["potential", "potential", "position"],
            "label_es": ["Encaje", "Cuota (%)", "Servicio"],
            "label_en": ["Fit", "Share (%)", "Service"],
            "weight": [3.0, 1.0, 1.0],
            "scale_min": [1.0, 0.0, 1.0],
            "scale_max": [10.0, 100.0, 5.0],
            "higher_is_better": [True, True, True],
        }
    )


def scores_frame(rows: list[tuple]) -> pd.DataFrame:
    """A scores sheet from (account, criterion, score, assessor, period) tuples."""
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def engagement(rows: list[tuple], accounts: tuple[str, ...] = ("X", "Y")) -> kamlib.Engagement:
    """A validated engagement with `criteria_frame`'s criteria, these accounts and these scores."""
    frames = {
        "accounts": pd.DataFrame(
            {
                "account_id": list(accounts),
                "name": [f"Cuenta {a}" for a in accounts],
                "sector": [None] * len(accounts),
                "kam_id": [None] * len(accounts),
                "revenue": [100.0] * len(accounts),
            }
        ),
        "criteria": criteria_frame(),
        "scores": scores_frame(rows),
        "kams": pd.DataFrame({"kam_id": ["K1"], "name": ["Ana"], "capacity_hours": [1000]}),
        "time": pd.DataFrame({"kam_id": ["K1"], "activity": ["planning"], "hours": [1.0], "period": ["2026-01"]}),
    }
    return kamlib.Engagement.from_frames(frames)
