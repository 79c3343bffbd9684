"""Period labels (of scores and time records) and their order.

Labels are free text, compared in natural order: runs of digits as numbers, so
9 < 10 < 11, 2025-7 < 2025-10 and 2025-H2 < 2026-H1; other text compares as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_RUNS = re.compile(r"(\d+)")


def period_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Return the sort key of a period label (natural order, case-insensitive).

    >>> sorted(["10", "9", "2025-H2", "2025-10", "2025-7"], key=period_key)
    ['9', '10', '2025-7', '2025-10', '2025-H2']
    """
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in _RUNS.split(label.strip()) if part)


def sort_periods(labels: Iterable[str]) -> list[str]:
    """Return the distinct labels, oldest first."""
    return sorted(set(labels), key=period_key)


def is_up_to(label: str, period: str) -> bool:
    """Tell whether `label` falls in or before `period`; a shorter label holds its sub-periods.

    >>> [is_up_to(p, "2025") for p in ("2024-12", "2025-H2", "2025-07-01", "2026-H1")]
    [True, True, True, False]
    """
    limit = period_key(period)
    return period_key(label)[: len(limit)] <= limit


_PART = re.compile(r"^(\d{4})-([QqHhTtSs])(\d)$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:\D|$)")
_MONTHS_PER_PART = {"q": 3, "t": 3, "h": 6, "s": 6}
"""Quarters (Q, or T for trimestre) and halves (H, or S for semestre) of a year, in months."""


def is_within(label: str, period: str) -> bool:
    """Tell whether `label` falls in `period`: the same label, a sub-period, or a month of a quarter or half.

    >>> [is_within(p, "2025-Q3") for p in ("2025-07", "2025-09-30", "2025-10", "2025-Q3")]
    [True, True, False, True]
    >>> [is_within(p, "2025") for p in ("2025-H2", "2025-07", "2024-12")]
    [True, True, False]
    """
    limit = period_key(period)
    if period_key(label)[: len(limit)] == limit:
        return True
    part, month = _PART.match(period.strip()), _MONTH.match(label.strip())
    if part is None or month is None or part[1] != month[1]:
        return False
    size = _MONTHS_PER_PART[part[2].lower()]
    return (int(month[2]) - 1) // size + 1 == int(part[3])
