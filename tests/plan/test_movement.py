"""Movement in the matrix: arrows from the previous period and toward a target (kamlib.plan.movement)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kamlib
from kamlib.charts.matrix import MOVE_LAYER, matrix_chart
from kamlib.errors import KamError, UnplacedAccountsWarning
from kamlib.plan.movement import MIN_MOVE, current_round, movement_table, movements, previous_period
from kamlib.scoring import score_accounts


def engagement(targets: dict[str, tuple[float | None, float | None]] | None = None) -> kamlib.Engagement:
    """One criterion per axis on a 0–10 scale, so each composite is the score itself."""
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "name": ["Alfa <b>", "Beta", "Gamma"],
            "sector": [None, None, None],
            "kam_id": [None, None, None],
            "revenue": [100.0, 200.0, 300.0],
        }
    )
    if targets is not None:
        accounts["target_potential"] = [targets.get(a, (None, None))[0] for a in accounts["account_id"]]
        accounts["target_position"] = [targets.get(a, (None, None))[1] for a in accounts["account_id"]]
    criteria = pd.DataFrame(
        {
            "criterion_id": ["pot", "pos"],
            "axis": ["potential", "position"],
            "label_es": ["Potencial", "Posición"],
            "label_en": ["Potential", "Position"],
            "weight": [1, 1],
            "scale_min": [0, 0],
            "scale_max": [10, 10],
        }
    )
    rows = [
        ("A", "pot", 2, "2025-H2"),
        ("A", "pos", 3, "2025-H2"),
        ("A", "pot", 7, "2026-H1"),
        ("A", "pos", 6, "2026-H1"),
        ("B", "pot", 4, "2025-H2"),
        ("B", "pos", 8, "2025-H2"),
        ("B", "pot", 4, "2026-H1"),
        ("B", "pos", 8, "2026-H1"),
        ("C", "pot", 6, "2026-H1"),
        ("C", "pos", 2, "2026-H1"),
    ]
    scores = pd.DataFrame(rows, columns=["account_id", "criterion_id", "score", "period"])
    kams = pd.DataFrame({"kam_id": ["K1"], "name": ["Ana"], "capacity_hours": [1000]})
    time = pd.DataFrame({"kam_id": ["K1"], "activity": ["planning"], "hours": [1.0], "period": ["2026-01"]})
    return kamlib.Engagement.from_frames(
        {"accounts": accounts, "criteria": criteria, "scores": scores, "kams": kams, "time": time}
    )


def test_history_arrow_from_the_previous_period_to_now() -> None:
    e = engagement()
    assert previous_period(e) == "2025-H2" and previous_period(e, "2025-H2") is None
    moves = movements(e, score_accounts(e))
    (a,) = moves.itertuples()  # B did not move, C has no earlier place
    assert (a.account_id, a.kind, a.from_period, a.to_period) == ("A", "history", "2025-H2", "2026-H1")
    assert (a.from_potential, a.from_position, a.to_potential, a.to_position) == (2, 3, 7, 6)
    assert (a.from_quadrant, a.to_quadrant) == ("milk", "invest")
    assert a.distance == pytest.approx(math.hypot(5, 3))


def test_history_uses_the_current_cut_values_at_both_ends() -> None:
    e = engagement()
    moves = movements(e, score_accounts(e, cuts={"potential": 1.0, "position": 1.0}))
    assert moves.loc[0, ["from_quadrant", "to_quadrant"]].tolist() == ["invest", "invest"]


def test_target_arrow_keeps_an_axis_without_target() -> None:
    e = engagement({"B": (9.0, None), "C": (6.0, 2.02)})
    moves = movements(e, score_accounts(e))
    target = moves[moves["kind"] == "target"]
    assert target["account_id"].tolist() == ["B"]  # C's target is MIN_MOVE-close to where it is
    b = target.iloc[0]
    assert (b.from_potential, b.from_position, b.to_potential, b.to_position) == (4, 8, 9, 8)
    assert (b.from_quadrant, b.to_quadrant) == ("maintain", "invest")
    assert MIN_MOVE > 0.02
    assert movements(e, score_accounts(e), targets=False)["kind"].tolist() == ["history"]


def test_since_must_be_an_earlier_score_period() -> None:
    e = engagement()
    with pytest.raises(KamError, match=r"2026-H1.*known: 2025-H2, 2026-H1"):
        movements(e, score_accounts(e), since="2026-H1")
    with pytest.raises(KamError, match="2024"):
        movements(e, score_accounts(e), since="2024")


def test_a_single_period_without_targets_has_no_moves() -> None:
    one = engagement()
    with pytest.warns(UnplacedAccountsWarning, match="C"):
        scored = score_accounts(one, period="2025-H2")
    assert movements(one, scored).empty
    assert list(movements(one, scored).columns)[:3] == ["account_id", "name", "kind"]


def test_movement_table_lists_quadrant_changes_in_both_languages() -> None:
    e = engagement({"B": (9.0, None)})
    moves = movements(e, score_accounts(e))
    es = movement_table(moves, "es")
    assert es.columns.tolist()[:2] == ["Cuenta", "Movimiento"]
    assert es.iloc[:, 1].tolist() == ["Desde 2025-H2", "Hacia el objetivo"]
    assert es.iloc[0, 2:].tolist() == ["Ordeñar", "Invertir", "2,0 → 7,0", "3,0 → 6,0"]
    en = movement_table(moves, "en")
    assert en.iloc[1, 2:4].tolist() == ["Maintain", "Invest"]
    assert len(movement_table(moves[moves["kind"] == "history"].assign(to_quadrant="milk"), "en")) == 0


def test_matrix_chart_draws_arrows_with_heads_pointing_along_the_move() -> None:
    e = engagement({"B": (9.0, None)})
    scored = score_accounts(e)
    spec = matrix_chart(scored, lang="en", movement=movements(e, scored)).to_dict()
    layers = {layer.get("name"): layer for layer in spec["layer"]}

    def rows(name: str) -> list[dict]:
        data = layers[name]["data"]
        return data["values"] if "values" in data else spec["datasets"][data["name"]]

    (row,) = rows(MOVE_LAYER.format(kind="history"))
    assert (row["x0"], row["y0"], row["x1"], row["y1"]) == (3, 2, 6, 7)  # x = position, y = potential
    heads = rows(MOVE_LAYER.format(kind="history") + "_heads")
    assert heads[0]["arrowhead"] and 0 < heads[0]["angle"] < 90  # up and to the right
    target = layers[MOVE_LAYER.format(kind="target")]
    assert target["mark"]["strokeDash"] and rows(MOVE_LAYER.format(kind="target"))[0]["x1"] == 8
    assert "from the position in 2025-H2" in " ".join(spec["title"]["subtitle"])
    plain = matrix_chart(scored, lang="en").to_dict()
    assert not any(str(layer.get("name", "")).startswith("moves_") for layer in plain["layer"])


def test_as_of_a_label_that_holds_sub_periods_the_round_before_is_the_start() -> None:
    e = engagement()
    frames = {n: getattr(e, n) for n in ("accounts", "criteria", "scores", "kams", "time")}
    relabel = {"2025-H2": "2026-Q1", "2026-H1": "2026-Q2"}
    frames["scores"] = frames["scores"].assign(period=frames["scores"]["period"].map(relabel))
    quarters = kamlib.Engagement.from_frames(frames)
    assert current_round(quarters, "2026") == "2026-Q2" and previous_period(quarters, "2026") == "2026-Q1"
    assert current_round(quarters, "2025") is None and previous_period(quarters, "2025") is None
    moves = movements(quarters, score_accounts(quarters, period="2026"))
    assert moves[["account_id", "from_period", "to_period"]].values.tolist() == [["A", "2026-Q1", "2026-Q2"]]
    with pytest.warns(UnplacedAccountsWarning):  # C is scored in Q2 only
        as_of_q1 = score_accounts(quarters, period="2026-Q1")
    assert movements(quarters, as_of_q1).empty  # nothing before Q1
