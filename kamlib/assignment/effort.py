"""The hours each account takes, for capacity in hours: expected from its strategy, or real from the time log.

**Expected** (`AccountNeeds.effort`): `effort_hours` of the account's quadrant (`kamlib.assignment.settings`):
the hours a KAM gives one account over the span `kams.capacity_hours` covers, including its share of planning,
internal coordination and reporting.

**Real** (`logged_effort`): where the workbook's `time` sheet logs hours against an account, those hours replace
the estimate, and they are made to mean the same thing. The span is the sheet's, as `kam time` reads it: hours
logged over all its periods against `capacity_hours` (`kamlib.timealloc`). Time a KAM logs against no account
(planning, reporting, training, team management, …) is spread over the accounts they logged hours on, in
proportion to those hours, as `effort_hours` counts each account's share of it; so a KAM who logs all their
accounts carries, today, exactly the hours they logged. When the plan moves an account, its hours move with it.
Hours logged on an account by several KAMs add up, each with their own share of unassigned time.

What this does not know, and the choice made (ours): the log says what the time went to, not what the account
needs; a KAM who logs only some of their accounts has all their unassigned time spread over those, and the others
keep their strategy's estimate. A survey (percentages, no hours) and an empty log give no real hours: every account
keeps its estimate. The estimate also stays for an account with no hours logged, or 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

EFFORT_SOURCES = ("strategy", "log")
"""Where an account's hours come from (`Assignment.plan.effort_source`): its strategy's estimate, or the time log."""


def logged_effort(time: pd.DataFrame | None, account_ids: Sequence[str], kam_ids: Sequence[str]) -> np.ndarray:
    """Return each account's real hours from the time log (see the module's docstring): (A,), NaN where the log
    gives none.

    >>> time = pd.DataFrame({"kam_id": ["K1", "K1", "K1"], "account_id": ["a1", "a2", None],
    ...                      "activity": ["selling"] * 3, "hours": [30.0, 10.0, 60.0]})
    >>> logged_effort(time, ["a1", "a2", "a3"], ["K1"]).tolist()
    [75.0, 25.0, nan]
    """
    n_acc = len(account_ids)
    out = np.full(n_acc, np.nan)
    if time is None or "hours" not in time or not len(time):
        return out
    hours = pd.to_numeric(time["hours"], errors="coerce").to_numpy(dtype=np.float64)
    kam = _positions(time["kam_id"], kam_ids)
    keep = np.isfinite(hours) & (hours >= 0) & (kam >= 0)
    if not keep.any():
        return out
    named = keep & time["account_id"].notna().to_numpy()  # hours against an account, known here or not
    account = _positions(time["account_id"], account_ids)
    n_kam = len(kam_ids)
    total = np.bincount(kam[keep], weights=hours[keep], minlength=n_kam)
    direct = np.bincount(kam[named], weights=hours[named], minlength=n_kam)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(direct > 0, total / direct, 1.0)  # each hour on an account carries its share of the rest
    mine = named & (account >= 0)
    real = np.bincount(account[mine], weights=hours[mine] * spread[kam[mine]], minlength=n_acc)
    return np.where(real > 0, real, np.nan)


def _positions(values: pd.Series, ids: Sequence[str]) -> np.ndarray:
    """Position of each value in `ids`, -1 for an empty cell or an id not among them (factorised first: a long
    column of a few ids is hashed once)."""
    codes, uniques = pd.factorize(values)
    lookup = np.append(pd.Index(list(ids), dtype=object).get_indexer(pd.Index(uniques, dtype=object)), -1)
    return lookup[codes].astype(np.int64)
