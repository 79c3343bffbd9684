"""The facilitator's board: what the room has answered, read from the workshop's store as the projector shows it.

`board` gathers, for one moment of the workshop, everything the facilitator's screen draws, as plain data (JSON
as it is), numbers already written in the workshop's language (`kamlib.i18n`):

- items: each one's round and state and how many have answered it (who, unless the workshop is anonymous);
- cells: for every account × criterion the room scored in its current round, the spread of the scores in the
  criterion's own points, flagged past the disagreement threshold (`kamlib.agreement.cell_spread`: a share of
  the scale's width, said in points), with its outliers;
- the matrix: each account where the group's scores place it (the room's scores on the cells it scored, the
  workbook's elsewhere), the cross of where each participant's own scores would place it, and whether its
  quadrant depends on who is asked (`kamlib.agreement.place_by_assessor`); beside it, where the customer's side
  puts our position;
- weights: per axis compared in pairs, each participant's consistency ratio, the group's weights (the geometric
  mean of the judgements) and Goepel's S* (`kamlib.scenarios.ahp.analyse_axis`); per axis allocated in 100
  points, the mean allocation and the room's relative homogeneity;
- rounds: for the cells in a second round, round 1 beside the latest, with the spread before and after
  (`kamlib.agreement.compare_rounds`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kamlib.agreement import cell_spread, compare_rounds, place_by_assessor
from kamlib.agreement.contested import criterion_labels
from kamlib.agreement.spread import DISAGREEMENT_SHARE, disagreement_thresholds
from kamlib.i18n import number_text, percent_text
from kamlib.scenarios.ahp import (
    CONSENSUS_LEVELS,
    CR_THRESHOLD,
    analyse_axis,
    consensus,
    consensus_level,
    scale_text,
)
from kamlib.workshop.checks import CUSTOMER
from kamlib.workshop.items import Item
from kamlib.workshop.labels import account_names

if TYPE_CHECKING:
    from kamlib.engagement import Engagement
    from kamlib.workshop.store import WorkshopStore

ROOM = "workshop"
"""The period label the room's scores carry on the board (never written: `accept` writes the period asked for)."""
AXES = ("potential", "position")


def board(
    store: WorkshopStore, engagement: Engagement, share: float = DISAGREEMENT_SHARE, lang: str | None = None
) -> dict[str, Any]:
    """Return the facilitator's board of the workshop in `store` on `engagement` (see the module's docstring).

    `share`: the disagreement threshold as a share of each criterion's scale (its points are said per criterion).
    """
    lang = lang or store.session.lang
    criteria = engagement.criteria
    labels = criterion_labels(criteria, lang)
    items = store.items()
    counts = {c.item_id: c for c in store.answer_counts()}
    people = store.participants()
    customers = {p.code for p in people if p.side == CUSTOMER}
    ours = store.scores(ROOM)
    thresholds = disagreement_thresholds(criteria, share=share)
    points = thresholds.to_dict()  # each criterion's threshold in its own points: the cells' and the rounds'
    joined = [p for p in people if p.joined_at or p.name]  # a listed name counts as joined
    # who may answer an item: everyone joined a position score, only our side anything else
    eligible = {"position": len(joined), "other": sum(p.side != CUSTOMER for p in joined)}
    return {
        "participants": _participants(people, joined, store.session.anonymous),
        "items": [
            _item(item, counts.get(item.item_id), store.session.anonymous)
            | {"eligible": eligible["position" if item.kind == "score" and item.axis == "position" else "other"]}
            for item in items
        ],
        "threshold": {
            "share": share,
            "points": {c: _number(v, lang, 1) for c, v in thresholds.items()},
        },
        "cells": _cells(ours, criteria, points, labels, lang, store.session.anonymous),
        "matrix": _matrix(engagement, ours, store.scores(ROOM, side=CUSTOMER), lang),
        "weights": _with_allocations(_weights(store, labels, lang), store, labels, lang),
        "rounds": _rounds(store, items, criteria, points, labels, lang),
        "customers": len(customers),
    }


def _participants(people: list, joined: list, anonymous: bool) -> dict[str, Any]:
    """How many are listed and how many have joined; who, unless anonymous."""
    return {
        "total": len(people),
        "joined": len(joined),
        "names": None if anonymous else [p.name or p.code for p in joined],
        "people": None
        if anonymous
        else [{"code": p.code, "name": p.name, "side": p.side or "ours", "joined": bool(p.joined_at)} for p in people],
    }


def _item(item: Item, count: Any, anonymous: bool) -> dict[str, Any]:
    return {
        "item": item.item_id,
        "kind": item.kind,
        "account": item.account_id,
        "criterion": item.criterion_id,
        "axis": item.axis,
        "a": item.criterion_a,
        "b": item.criterion_b,
        "round": item.round,
        "state": item.state,
        "answered": count.answered if count else 0,
        "dont_know": count.dont_know if count else 0,
        "who": None if anonymous or count is None else list(count.participants or ()),
    }


def _cells(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    points: Mapping[str, float],
    labels: Mapping[str, str],
    lang: str,
    anonymous: bool,
) -> list[dict[str, Any]]:
    """The spread of every cell the room scored in its current round, contested first, then widest first; the
    outliers by code, or only how many in an anonymous workshop."""
    if scores.empty:
        return []
    spread = cell_spread(scores, criteria, points)
    spread = spread.sort_values(["disagreement", "range_share"], ascending=False, kind="stable")
    return [
        {
            "account": row.account_id,
            "criterion": row.criterion_id,
            "label": labels.get(row.criterion_id, row.criterion_id),
            "n": int(row.n_scores),
            "mean": _number(row.mean, lang, 1),
            "min": _number(row.min, lang, 1),
            "max": _number(row.max, lang, 1),
            "range": _number(row.range, lang, 1),
            "range_share": float(row.range_share),
            "threshold": _number(row.threshold, lang, 1),
            "contested": bool(row.disagreement),
            "outliers": None if anonymous else [str(o) for o in (row.outliers or ()) if o is not None],
            "outlier_count": len(row.outliers or ()),
        }
        for row in spread.itertuples(index=False)
    ]


def _matrix(engagement: Engagement, ours: pd.DataFrame, customer: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Where the group places each account, the cross of its participants and the customer's view of position."""
    sheet = _with_room(engagement.scores, ours)
    placed = place_by_assessor(engagement, scores=sheet)
    names = account_names(engagement)
    room = set(ours["account_id"]) if not ours.empty else set()
    seen = {}
    if not customer.empty:
        theirs = place_by_assessor(engagement, scores=_with_room(engagement.scores, customer)).accounts
        seen = dict(zip(theirs["account_id"], theirs["position"], strict=True))
    accounts = []
    for row in placed.accounts.itertuples(index=False):
        if not row.placed:
            continue
        view = seen.get(row.account_id) if row.account_id in set(customer.get("account_id", ())) else None
        accounts.append(
            {
                "account": row.account_id,
                "name": names[str(row.account_id)],
                "potential": _float(row.potential),
                "position": _float(row.position),
                "quadrant": row.quadrant,
                "scored_here": row.account_id in room,
                "cross": [_float(getattr(row, f"{axis}_{end}")) for axis in AXES for end in ("min", "max")],
                "ring": bool(row.depends_on_assessor),
                "customer_position": _float(view),
                "text": f"{_number(row.potential, lang, 1)} · {_number(row.position, lang, 1)}",
            }
        )
    return {"cuts": {axis: float(cut) for axis, cut in placed.cuts.items()}, "accounts": accounts}


def _with_room(workbook: pd.DataFrame, room: pd.DataFrame) -> pd.DataFrame:
    """The workbook's scores with the room's in place of theirs on every cell the room scored."""
    if room.empty:
        return workbook
    cells = pd.MultiIndex.from_frame(room[["account_id", "criterion_id"]])
    kept = ~pd.MultiIndex.from_frame(workbook[["account_id", "criterion_id"]].astype(object)).isin(cells)
    columns = [c for c in room.columns if c in workbook.columns or c in ("assessor", "period")]
    return pd.concat([workbook[kept], room[columns]], ignore_index=True)


def _weights(store: WorkshopStore, labels: Mapping[str, str], lang: str) -> dict[str, Any]:
    """Per axis compared in pairs by someone who judged every pair of it: each one's CR, the group's weights, S*."""
    criteria = store.pair_criteria()
    judged = store.judgements()
    out: dict[str, Any] = {}
    for axis, names in criteria.items():
        complete = {
            code: axes[axis]
            for code, axes in judged.items()
            if axis in axes and len(axes[axis]) == len(names) * (len(names) - 1) // 2
        }
        entry: dict[str, Any] = {
            "criteria": [{"id": c, "label": labels.get(c, c)} for c in names],
            "complete": len(complete),
        }
        if complete:
            result = analyse_axis(names, complete, axis)
            entry["group"] = {c: percent_text(100 * result.group.weights[c], lang) for c in names}
            entry["group_values"] = {c: float(result.group.weights[c]) for c in names}
            entry["consensus"] = result.consensus_text(lang)
            entry["participants"] = [
                {
                    "code": None if store.session.anonymous else code,
                    "cr": _number(p.cr, lang, 2),
                    "consistent": p.cr <= CR_THRESHOLD,
                    "worst": [
                        f"{labels.get(w.a, w.a)} / {labels.get(w.b, w.b)}: {scale_text(w.value)} → "
                        f"{scale_text(w.suggested)}"
                        for w in p.worst[:1]
                    ]
                    if p.inconsistent
                    else [],
                }
                for code, p in _in_order(result.participants.items(), store.session.anonymous, lambda p: p.cr)
            ]
        out[axis] = entry
    return out


def _with_allocations(
    weights: dict[str, Any], store: WorkshopStore, labels: Mapping[str, str], lang: str
) -> dict[str, Any]:
    """Add to each axis allocated in 100 points by someone: how many allocated it, the group's weights (the mean of
    the allocations), the relative homogeneity S (Goepel's S* without the scale's floor: points are not bounded by
    Saaty's 9) and each participant's points."""
    by_axis: dict[str, dict[str, dict[str, float]]] = {}
    for code, axes in store.allocations().items():
        for axis, points in axes.items():
            by_axis.setdefault(axis, {})[code] = points
    for axis, people in by_axis.items():
        names = list(next(iter(people.values())))
        shares = np.array([[points[c] / 100 for c in names] for points in people.values()])
        mean = shares.mean(axis=0)
        entry = weights.setdefault(axis, {"criteria": [{"id": c, "label": labels.get(c, c)} for c in names]})
        agreement = consensus(shares, scale_max=None) if len(people) >= 2 and len(names) >= 2 else None
        entry["allocation"] = {
            "complete": len(people),
            "group": {c: percent_text(100 * m, lang) for c, m in zip(names, mean, strict=True)},
            "group_values": {c: float(m) for c, m in zip(names, mean, strict=True)},
            "consensus": None
            if agreement is None
            else f"{percent_text(100 * agreement, lang)} ({CONSENSUS_LEVELS[consensus_level(agreement)][lang]})",
            "participants": [
                {
                    "code": None if store.session.anonymous else code,
                    "points": {
                        c: number_text(points[c], lang, 0 if float(points[c]).is_integer() else 1) for c in names
                    },
                }
                for code, points in _in_order(
                    people.items(), store.session.anonymous, lambda points, names=names: tuple(points[c] for c in names)
                )
            ],
        }
    return weights


def _in_order(entries: Iterable[tuple[str, Any]], anonymous: bool, key: Callable[[Any], Any]) -> list[tuple[str, Any]]:
    """Participants' entries in the order they joined; in an anonymous workshop by `key` of their values, so that
    no one who knows the order of the list can tell who is who."""
    listed = list(entries)
    return sorted(listed, key=lambda entry: key(entry[1])) if anonymous else listed


def _rounds(
    store: WorkshopStore,
    items: list[Item],
    criteria: pd.DataFrame,
    points: Mapping[str, float],
    labels: Mapping[str, str],
    lang: str,
) -> list[dict[str, Any]]:
    """Round 1 beside the current round of every score item past its first round."""
    later = [item for item in items if item.kind == "score" and item.round > 1]
    if not later:
        return []
    cells = {(item.account_id, item.criterion_id) for item in later}
    first = _only(store.scores(ROOM, round=1), cells)
    now = _only(store.scores(ROOM), cells)
    if first.empty and now.empty:
        return []
    both = compare_rounds(first, now, criteria, points)
    return [
        {
            "account": row.account_id,
            "criterion": row.criterion_id,
            "label": labels.get(row.criterion_id, row.criterion_id),
            "before": _number(row.range_before, lang, 1),
            "after": _number(row.range_after, lang, 1),
            "median_before": _number(row.median_before, lang, 1),
            "median_after": _number(row.median_after, lang, 1),
            "status": row.status,
        }
        for row in both.itertuples(index=False)
    ]


def _only(scores: pd.DataFrame, cells: set[tuple[str | None, str | None]]) -> pd.DataFrame:
    keys = list(zip(scores["account_id"], scores["criterion_id"], strict=True))
    return scores[[key in cells for key in keys]]


def _float(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _number(value: object, lang: str, decimals: int) -> str:
    number = _float(value)
    return "—" if number is None else number_text(number, lang, decimals)


__all__ = ["ROOM", "board"]
