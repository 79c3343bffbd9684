"""The names the room reads: each account by its name, each criterion by its label in the workshop's language,
with its axis and scale. The participant's page, the facilitator's board and the server's messages use them, so an
account with no name is shown by its id everywhere alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kamlib.agreement.contested import criterion_labels

if TYPE_CHECKING:
    from kamlib.engagement import Engagement


def account_names(engagement: Engagement) -> dict[str, str]:
    """Each account's name by its id; its id where the name is empty."""
    frame = engagement.accounts
    return {
        str(a): n.strip() if isinstance(n, str) and n.strip() else str(a)
        for a, n in zip(frame["account_id"], frame["name"], strict=True)
    }


def criterion_rows(engagement: Engagement, lang: str) -> list[dict[str, Any]]:
    """Each criterion as the pages show it, in the criteria's order: id, label in `lang`, axis, scale min and max."""
    criteria = engagement.criteria
    labels = criterion_labels(criteria, lang)
    columns = (criteria[k] for k in ("criterion_id", "axis", "scale_min", "scale_max"))
    return [
        {"id": str(c), "label": labels[str(c)], "axis": str(axis), "min": float(low), "max": float(high)}
        for c, axis, low, high in zip(*columns, strict=True)
    ]


__all__ = ["account_names", "criterion_rows"]
