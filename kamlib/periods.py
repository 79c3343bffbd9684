"""Period labels (of scores and time records) and their order.

Labels are free text, compared in natural order: runs of digits as numbers, so
9 < 10 < 11, 2025-7 < 2025-10 and 2025-H2 < 2026-H1; other text compares as text.
So a round's label may sort after the months it holds: 2026-06 < 2026-H1 (the text
"-" before "-H"), 2026-12 < 2026-H1 too; `label_after` finds a label that sorts last.
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


def sorts_last(label: str, labels: Iterable[str]) -> bool:
    """Tell whether no label of `labels` sorts after `label` (the same label may be among them).

    >>> sorts_last("2026-06", ["2025-H2", "2026-H1"]), sorts_last("2026-H2", ["2026-H1", "2026-H2"])
    (False, True)
    """
    key = period_key(label)
    return all(period_key(str(other)) <= key for other in labels)


_AFTER_MONTH = re.compile(r"^(.*\S) +\d{4}-\d{2}$")
"""A label written by `label_after` after a month: `<round> YYYY-MM`."""


def label_after(month: str, labels: Iterable[str]) -> str | None:
    """Return the label of `month` that sorts after every one of `labels`, or None when it has none.

    `month` itself when no label sorts after it; else `<latest> <month>`, the latest label followed by the
    month: it sorts right after the latest (a longer label after its prefix), before whatever comes next
    (2026-H1 2026-06 < 2026-H2), and falls within the latest (`is_up_to`). When the latest is already of that
    form its round is used, so that months follow each other instead of piling up: after `2026-H1 2026-05`,
    June is `2026-H1 2026-06`. None when even that sorts before a label (a month older than the last one
    written after the round).

    >>> label_after("2026-07", ["2025-H2", "2026-06"]), label_after("2026-06", ["2025-H2", "2026-H1"])
    ('2026-07', '2026-H1 2026-06')
    >>> label_after("2026-07", ["2026-H1", "2026-H1 2026-06"]), label_after("2026-05", ["2026-H1 2026-06"])
    ('2026-H1 2026-07', None)
    """
    labels = [str(label) for label in labels]
    if sorts_last(month, labels):
        return month
    latest = max(labels, key=period_key)
    update = _AFTER_MONTH.match(latest.strip())
    label = f"{update.group(1) if update else latest.strip()} {month}"
    return label if sorts_last(label, labels) else None


def period_option(label: str) -> str:
    """Return a period label as typed after `--period`: quoted when it holds a space.

    >>> period_option("2026-H1"), period_option("2026-H1 2026-06")
    ('2026-H1', '"2026-H1 2026-06"')
    """
    return f'"{label}"' if any(c.isspace() for c in label) else label


def is_up_to(label: str, period: str) -> bool:
    """Tell whether `label` falls in or before `period`; a shorter label holds its sub-periods.

    >>> [is_up_to(p, "2025") for p in ("2024-12", "2025-H2", "2025-07-01", "2026-H1")]
    [True, True, True, False]
    """
    limit = period_key(period)
    return period_key(label)[: len(limit)] <= limit


_CALENDAR = re.compile(r"^(\d{4})(?:-(?:([QqTt])([1-4])|([HhSs])([12])|(\d{1,2})(?:-\d{1,2})?))?$")
"""A year, a quarter (Q, or T for trimestre), a half (H, or S for semestre), a month or a day."""


def month_span(label: str) -> tuple[int, int, int] | None:
    """Return (year, first month, last month) of a calendar label, or None for a free label.

    >>> [month_span(p) for p in ("2025", "2025-Q3", "2025-T3", "2025-S1", "2025-07", "2025-07-15", "Ola 2")]
    [(2025, 1, 12), (2025, 7, 9), (2025, 7, 9), (2025, 1, 6), (2025, 7, 7), (2025, 7, 7), None]
    """
    match = _CALENDAR.match(label.strip())
    if match is None:
        return None
    year, _, quarter, _, half, month = match.groups()
    if quarter:
        return int(year), 3 * int(quarter) - 2, 3 * int(quarter)
    if half:
        return int(year), 6 * int(half) - 5, 6 * int(half)
    if month:
        return (int(year), int(month), int(month)) if 1 <= int(month) <= 12 else None
    return int(year), 1, 12


def is_within(label: str, period: str) -> bool:
    """Tell whether `label` falls in `period`: the same label, a sub-period, or calendar months inside it.

    Quarters and halves hold their months and days, halves their quarters; Q and T, H and S are the same.

    >>> [is_within(p, "2025-Q3") for p in ("2025-07", "2025-09-30", "2025-10", "2025-T3")]
    [True, True, False, True]
    >>> [is_within(p, "2025-H1") for p in ("2025-Q2", "2025-S1", "2025-Q3")]
    [True, True, False]
    >>> [is_within(p, "2025") for p in ("2025-H2", "2025-07", "2024-12", "2025-Ola 1")]
    [True, True, False, True]
    """
    limit = period_key(period)
    if period_key(label)[: len(limit)] == limit:
        return True
    inner, outer = month_span(label), month_span(period)
    if inner is None or outer is None:
        return False
    return inner[0] == outer[0] and outer[1] <= inner[1] and inner[2] <= outer[2]


def months_covered(labels: Iterable[str]) -> set[tuple[int, int]] | None:
    """Return the (year, month) pairs the labels cover, or None if any label is not a calendar one."""
    months: set[tuple[int, int]] = set()
    for label in labels:
        span = month_span(label)
        if span is None:
            return None
        months.update((span[0], m) for m in range(span[1], span[2] + 1))
    return months
