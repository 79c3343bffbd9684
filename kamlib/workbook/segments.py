"""Criteria per segment: which row of sheet `criteria` scores which account (the seeds: criteria change with the
sector or channel).

The rule, exact so that anyone can check it:

- A row of `criteria` without a `segment` is the criterion's default; a row with one applies to that segment's
  accounts and, for the same `criterion_id`, replaces the default there: its own weight, scale and direction (the
  axis is the criterion's, the same in every row). So a `criterion_id` is unique per segment, not overall.
- An account's segment is its `segment` cell, else its `sector`. Segments match whatever their case and surrounding
  spaces; the first spelling in `criteria` is the one shown.
- A criterion with only segment rows applies only to those segments' accounts; a score of any other account on it
  is a workbook problem (`kamlib.workbook.validate`).
- An account whose segment has no row of its own is scored by the default rows, like every account of a workbook
  without segments.

`Segments` holds this as arrays: one row per *group* — 0 the default rows, then each segment with rows of its own,
in the order `criteria` first names them — and one column per criterion of the catalogue (`split_criteria`), so
that the engine gives each account its group's scale, direction and weights (`kamlib.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SEGMENT = "segment"
"""The optional column of `criteria` and `accounts` naming a segment."""
DEFAULT_GROUP = 0
"""The group of the default rows (`Segments.names[0]` is empty)."""


def segment_key(values: pd.Series) -> pd.Series:
    """Each value as segments are matched: stripped and case-folded; empty (also a missing value) is ""."""
    text = values.astype("string").str.strip().str.casefold()
    return text.fillna("").astype(object)


def account_segments(accounts: pd.DataFrame) -> pd.Series:
    """Each account's segment as written: its `segment` cell, else its `sector`, else empty ("")."""
    sector = accounts["sector"] if "sector" in accounts else pd.Series(None, index=accounts.index, dtype=object)
    own = accounts[SEGMENT] if SEGMENT in accounts else pd.Series(None, index=accounts.index, dtype=object)
    own = own.where(segment_key(own) != "", None)
    return own.fillna(sector).astype("string").str.strip().fillna("").astype(object)


def split_criteria(criteria: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions of the catalogue's rows and of the segment rows of a `criteria` sheet (all its rows).

    The catalogue has one row per criterion_id, in the order the sheet first names each: its default row, or for a
    criterion with only segment rows its first one (whose `segment` then says so). Segment rows are every row with
    a segment (in sheet order). A row without an id (a workbook problem of its own) is in neither.
    """
    keyed = segment_key(criteria[SEGMENT]) if SEGMENT in criteria else pd.Series("", index=criteria.index)
    named = criteria["criterion_id"].notna().to_numpy(dtype=bool)
    is_default = (keyed == "").to_numpy(dtype=bool) & named
    ids = criteria["criterion_id"].to_numpy(dtype=object)
    positions = np.arange(len(criteria))
    first_default = pd.Series(positions[is_default], index=ids[is_default]).groupby(level=0).first()
    first_any = pd.Series(positions[named], index=ids[named]).groupby(level=0).first()
    order = pd.unique(ids[named])
    chosen = first_default.reindex(order).fillna(first_any.reindex(order)).to_numpy(dtype=np.int64)
    return chosen, np.flatnonzero(~is_default & named)


@dataclass(frozen=True)
class Segments:
    """Each account's group and each group's parameters per criterion (groups × criteria, catalogue order)."""

    names: tuple[str, ...]
    """Each group's segment as the criteria sheet first spells it; "" for the default group (0)."""
    codes: np.ndarray
    """Each account's group (workbook order of `accounts`)."""
    weight: np.ndarray
    scale_min: np.ndarray
    scale_max: np.ndarray
    higher_is_better: np.ndarray
    own: np.ndarray
    """True where the group has a row of its own for the criterion (always False in the default group)."""
    applies: np.ndarray
    """True where the criterion scores the group's accounts: a row of its own, or a default row."""
    keys: dict[str, int]
    """Each group by its segment as matched (`segment_key`): "" is the default group."""

    @property
    def count(self) -> int:
        """How many groups: 1 when the workbook has no segment rows."""
        return len(self.names)

    def group_of(self, segment: str) -> int | None:
        """The group of a segment named as the criteria sheet does (case and spaces aside), None if it has none;
        "" is the default group."""
        return self.keys.get(segment_key(pd.Series([segment])).iloc[0])

    def envelope(self, catalogue: pd.DataFrame) -> pd.DataFrame:
        """The catalogue with each criterion's scale widened to hold every segment's that applies it (the lowest
        minimum, the highest maximum): the range a score of some account may take. Without segments, the catalogue."""
        if self.count == 1:
            return catalogue
        low = np.where(self.applies, self.scale_min, np.inf).min(axis=0)
        high = np.where(self.applies, self.scale_max, -np.inf).max(axis=0)
        return catalogue.assign(scale_min=low, scale_max=high)

    def label(self, group: int, lang: str) -> str:
        """A group for people: its segment, or the default rows' name in `lang`."""
        return self.names[group] or DEFAULT_LABEL[lang]


def scale_differences(groups: Segments, ids: list[str]) -> list[tuple[str, str, float, float]]:
    """Each (criterion, segment, scale_min, scale_max) where a segment scores a criterion on another scale than the
    criterion's first group that applies it: what a room asking one scale per criterion cannot hold."""
    found = []
    for column, criterion in enumerate(ids):
        on = np.flatnonzero(groups.applies[:, column])
        first = on[0]
        for group in on[1:]:
            scale = (groups.scale_min[group, column], groups.scale_max[group, column])
            if scale != (groups.scale_min[first, column], groups.scale_max[first, column]):
                found.append((criterion, groups.names[group], float(scale[0]), float(scale[1])))
    return found


DEFAULT_LABEL = {"es": "Criterios generales", "en": "Default criteria"}
"""What the default group is called where groups are listed (the live matrix's segment picker)."""


def build_segments(catalogue: pd.DataFrame, segment_rows: pd.DataFrame, accounts: pd.DataFrame) -> Segments:
    """Build the groups from the catalogue (`split_criteria`), the segment rows and the accounts."""
    ids = pd.Index(catalogue["criterion_id"])
    default_row = (
        segment_key(catalogue[SEGMENT]) == "" if SEGMENT in catalogue else pd.Series(True, index=catalogue.index)
    ).to_numpy(dtype=bool)
    keys = segment_key(segment_rows[SEGMENT]) if len(segment_rows) else pd.Series([], dtype=object)
    spelled: dict[str, str] = {}
    for key, written in zip(keys, segment_rows[SEGMENT].astype(str).str.strip(), strict=True):
        spelled.setdefault(key, written)
    group_keys = ["", *dict.fromkeys(keys)]
    names = ("", *(spelled[k] for k in group_keys[1:]))
    n_groups = len(group_keys)

    def per_group(column: str, dtype: type) -> np.ndarray:
        return np.tile(catalogue[column].to_numpy(dtype=dtype), (n_groups, 1))

    weight = per_group("weight", float)
    weight[:, ~default_row] = 0.0
    scale_min, scale_max = per_group("scale_min", float), per_group("scale_max", float)
    higher = per_group("higher_is_better", bool)
    own = np.zeros((n_groups, len(ids)), dtype=bool)
    if len(segment_rows):
        group = pd.Index(group_keys).get_indexer(keys)
        column = ids.get_indexer(segment_rows["criterion_id"])
        weight[group, column] = segment_rows["weight"].to_numpy(dtype=float)
        scale_min[group, column] = segment_rows["scale_min"].to_numpy(dtype=float)
        scale_max[group, column] = segment_rows["scale_max"].to_numpy(dtype=float)
        higher[group, column] = segment_rows["higher_is_better"].to_numpy(dtype=bool)
        own[group, column] = True
    applies = own | default_row[None, :]
    codes = np.full(len(accounts), DEFAULT_GROUP, dtype=np.int64)  # without segment rows: every account's
    if n_groups > 1:
        found = pd.Index(group_keys).get_indexer(segment_key(account_segments(accounts)))
        codes = np.where(found < 0, DEFAULT_GROUP, found).astype(np.int64)
    keys_of = {key: group for group, key in enumerate(group_keys)}
    return Segments(names, codes, weight, scale_min, scale_max, higher, own, applies, keys_of)
