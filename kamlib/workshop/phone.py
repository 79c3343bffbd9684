"""What a participant's page shows: the items open to them, their own answers, the group's only once revealed.

`phone` returns, for one participant (known by their token), plain data the page draws (JSON as it is):

- the criteria they may be asked about, each with its scale and the scoring guide's anchors in the workshop's
  language (`kamlib.workbook.guide.anchors`);
- the score items and pair items that are open, closed or revealed in their current round (a pending item is not
  shown), each with their own answer of that round; a participant on the customer's side sees only the scores of
  our position (the store refuses the rest);
- for a revealed item, the group's answers of that round (values and don't-knows, no names);
- the 100-point allocations open to them (`shares`: an item per criterion of an axis, answered all at once);
- per axis compared in pairs, once they have judged every pair of it, their own consistency ratio and, above
  0.10, the judgement that most needs a second look with the value the others imply
  (`kamlib.scenarios.ahp.priorities`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kamlib.agreement.contested import criterion_labels
from kamlib.errors import KamError
from kamlib.i18n import number_text
from kamlib.scenarios.ahp import CR_THRESHOLD, Judgement, judgement_matrix, priorities, scale_text
from kamlib.workbook.guide import Anchor, anchors
from kamlib.workshop.answers import Answer
from kamlib.workshop.items import Item
from kamlib.workshop.labels import account_names, criterion_rows

if TYPE_CHECKING:
    from kamlib.engagement import Engagement
    from kamlib.workshop.participants import Participant
    from kamlib.workshop.store import WorkshopStore

SHOWN = ("open", "closed", "revealed")
"""The states of an item a participant's page lists."""


def phone(store: WorkshopStore, engagement: Engagement, token: str, lang: str | None = None) -> dict[str, Any]:
    """Return what the page of the participant holding `token` shows (the module's docstring); `Refused` for a
    token the workshop does not know."""
    lang = lang or store.session.lang
    me = store.participant_of(token)  # refuses an unknown token
    mine = {(a.item_id, a.round): a for a in store.own_answers(token)}
    items = [item for item in store.items() if item.state in SHOWN and _may_answer(me, item)]
    revealed = defaultdict(list)
    if any(item.state == "revealed" for item in items):
        for answer in store.revealed_answers():
            revealed[answer.item_id, answer.round].append(answer)
    labels = criterion_labels(engagement.criteria, lang)
    names = account_names(engagement)
    used = {c for item in items for c in (item.criterion_id, item.criterion_a, item.criterion_b) if c}
    return {
        "me": {"code": me.code, "name": me.name, "side": me.side or "ours"},
        "criteria": _criteria(engagement, used, lang),
        "accounts": {str(item.account_id): names[str(item.account_id)] for item in items if item.kind == "score"},
        "scores": [_entry(item, mine, revealed) for item in items if item.kind == "score"],
        "pairs": [_entry(item, mine, revealed) for item in items if item.kind == "pair"],
        "shares": [_entry(item, mine, revealed) for item in items if item.kind == "share"],
        "consistency": _consistency(items, mine, labels, lang),
    }


def _may_answer(me: Participant, item: Item) -> bool:
    return me.side != "customer" or (item.kind == "score" and item.axis == "position")


def _criteria(engagement: Engagement, used: set[str], lang: str) -> list[dict[str, Any]]:
    """The criteria of the items shown, each with the scoring guide's anchors."""
    return [
        row | {"anchors": [_anchor(a, lang) for a in anchors(engagement.scoring_guide, row["id"], lang)]}
        for row in criterion_rows(engagement, lang)
        if row["id"] in used
    ]


def _anchor(anchor: Anchor, lang: str) -> dict[str, Any]:
    decimals = 0 if float(anchor.score).is_integer() else 1
    return {"score": anchor.score, "score_text": number_text(anchor.score, lang, decimals), "text": anchor.text}


def _entry(item: Item, mine: dict[tuple[int, int], Answer], revealed: dict) -> dict[str, Any]:
    own = mine.get((item.item_id, item.round))
    entry: dict[str, Any] = {
        "item": item.item_id,
        "round": item.round,
        "state": item.state,
        "account": item.account_id,
        "criterion": item.criterion_id,
        "axis": item.axis,
        "a": item.criterion_a,
        "b": item.criterion_b,
        "mine": None if own is None else {"value": own.value, "dont_know": own.dont_know},
        "group": None,
    }
    if item.state == "revealed":
        answers = revealed.get((item.item_id, item.round), [])
        entry["group"] = {
            "values": sorted(a.value for a in answers if a.value is not None),
            "dont_know": sum(a.dont_know for a in answers),
        }
    return entry


def _consistency(
    items: list[Item], mine: dict[tuple[int, int], Answer], labels: dict[str, str], lang: str
) -> dict[str, Any]:
    """Per axis whose every pair shown the participant has judged: their CR and, above 0.10, the worst pair."""
    by_axis: dict[str, list[Judgement]] = defaultdict(list)
    criteria: dict[str, list[str]] = defaultdict(list)
    complete: dict[str, bool] = defaultdict(lambda: True)
    for item in items:
        if item.kind != "pair":
            continue
        for c in (item.criterion_a, item.criterion_b):
            if c not in criteria[item.axis]:
                criteria[item.axis].append(str(c))
        own = mine.get((item.item_id, item.round))
        if own is None or own.value is None:
            complete[item.axis] = False
            continue
        by_axis[item.axis].append(Judgement(a=str(item.criterion_a), b=str(item.criterion_b), value=own.value))
    out: dict[str, Any] = {}
    for axis, names in criteria.items():
        pairs = len(names) * (len(names) - 1) // 2
        if not complete[axis] or len(by_axis[axis]) != pairs or len(names) < 3:
            continue
        try:
            result = priorities(judgement_matrix(names, by_axis[axis]), names)
        except KamError:
            continue
        worst = result.worst[0] if result.inconsistent and result.worst else None
        out[axis] = {
            "cr": number_text(result.cr, lang, 2),
            "consistent": result.cr <= CR_THRESHOLD,
            "worst": None
            if worst is None
            else {
                "a": labels.get(worst.a, worst.a),
                "b": labels.get(worst.b, worst.b),
                "said": scale_text(worst.value),
                "suggested": scale_text(worst.suggested),
            },
        }
    return out


__all__ = ["SHOWN", "phone"]
