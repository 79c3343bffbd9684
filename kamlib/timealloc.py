"""KAM time allocation: where the managers' time goes, against the method's profile and the accounts' strategies.

The reference is the seed's table (METHOD.md §2: nine activities adding up to 100 %), editable per
engagement (`kamlib.timeref`). From the workbook's `time` sheet, hours logged or percentages stated
in a survey, this module computes each KAM's and the team's share per activity and the gap to the
reference in percentage points; the share of time that would have to move to match the reference,
½·Σ|pᵢ − qᵢ| (the total variation distance); the Aitchison distance between the two compositions;
the roll-up to the three basic activity types; where hours name an account, the share of each KAM's
account time spent on Invest, Selective, Maintain and Milk accounts against targets; and hours
logged against `kams.capacity_hours`.

Each hour on an account is judged by the matrix of its own period: the account's quadrant as of the
latest score round begun by the end of the hour's period (`kamlib.scoring.score_accounts` with that
round; calendar labels compare by month, so 2025-07 hours are judged by the 2025-H2 scores). Hours
older than an account's first placement take that first placement (no earlier assessment exists);
undated hours take the latest matrix.

The findings (what deserves a look) lead with the method's headline: only 10 % of a KAM's time is
selling (seed 000). A KAM's or the team's share of `selling` (the activity "Vender") outside the
reference ± `TimeReference.selling_tolerance` is a finding, above or below. Findings are ordered by
their size in hours (`finding_rows.severity`), largest first: the time that would have to move to meet
what is asked (to the reference figure for selling and for the whole profile, to the nearest edge of a
band for strategy targets and capacity), the hours short for a neglected Invest account, and all the
hours available for a KAM with no time recorded. A survey has no hours: its shares apply to
`capacity_hours`.

All shares, references, gaps and distances are in percent (0–100) or percentage points.
The array functions (`activity_matrix`, `profile_shares`, `total_variation`, `aitchison_distance`)
check nothing and are the hot path; `allocate_time` checks its inputs and builds the frames.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, KamWarning, Problem, WorkbookError, list_known
from kamlib.i18n import check_lang, number_text, percent_text, short_text
from kamlib.method import ACTIVITIES, ACTIVITY_TYPES, QUADRANTS, REFERENCE_PROFILE, STRATEGY_NAMES
from kamlib.periods import is_up_to, is_within, month_span, months_covered, sort_periods
from kamlib.scoring import score_accounts, score_like
from kamlib.timeref import TimeReference

UNPLACED = "unplaced"
"""Quadrant label of time on accounts left out of the matrix (no weighted score on an axis)."""

_N_ACT = len(ACTIVITIES)
_SELLING = ACTIVITIES.index("selling")
_STRATEGY_ROWS = (*QUADRANTS, UNPLACED)
_UNPLACED_CODE = len(QUADRANTS)


# --- the array functions (no checks: the hot path) ------------------------------------------------


def activity_matrix(kam_codes: np.ndarray, activity_codes: np.ndarray, amounts: np.ndarray, n_kams: int) -> np.ndarray:
    """Sum `amounts` per KAM × activity: a (n_kams, 9) array; codes index the KAMs and `ACTIVITIES`.

    >>> activity_matrix(np.array([0, 0, 1]), np.array([0, 3, 3]), np.array([2.0, 1.0, 4.0]), 2)[:, [0, 3]]
    array([[2., 1.],
           [0., 4.]])
    """
    flat = np.bincount(kam_codes * _N_ACT + activity_codes, weights=amounts, minlength=n_kams * _N_ACT)
    return flat.reshape(n_kams, _N_ACT)


def profile_shares(matrix: np.ndarray) -> np.ndarray:
    """Return each row as percent of its total; a row with no time is NaN."""
    totals = matrix.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, 100.0 * matrix / totals, np.nan)


def total_variation(shares: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Return ½·Σ|pᵢ − qᵢ| per row, in percent: the share of time that would have to move to match `reference`.

    >>> float(total_variation(np.array([30.0, 70.0]), np.array([50.0, 50.0])))
    20.0
    """
    return 0.5 * np.abs(shares - reference).sum(axis=-1)


def replace_zeros(shares: np.ndarray, zero_share: float) -> np.ndarray:
    """Multiplicative replacement of zeros (Martín-Fernández, Barceló-Vidal & Pawlowsky-Glahn, 2003).

    Each zero part becomes `zero_share` percent, and the non-zero parts shrink by the same factor,
    so every row still adds up to 100 and the ratios between the non-zero parts are kept.

    >>> replace_zeros(np.array([50.0, 50.0, 0.0]), 1.0).round(6).tolist()
    [49.5, 49.5, 1.0]
    """
    zeros = shares <= 0
    added = zero_share * zeros.sum(axis=-1, keepdims=True)
    return np.where(zeros, zero_share, shares * (1.0 - added / 100.0))


def aitchison_distance(shares: np.ndarray, reference: np.ndarray, zero_share: float) -> np.ndarray:
    """Return the Aitchison distance ‖clr(p) − clr(q)‖ per row, after zeros are replaced (`replace_zeros`).

    clr(x) = log x − mean(log x): the distance compares ratios between activities, not raw percentages,
    so it is the same whatever unit the shares are in. Rows with no time give NaN. For two parts it is
    |ln(p₁/p₂) − ln(q₁/q₂)| / √2: here |ln(20/80)| / √2.

    >>> round(float(aitchison_distance(np.array([20.0, 80.0]), np.array([50.0, 50.0]), 0.5)), 4)
    0.9803
    """
    logs = np.log(replace_zeros(shares, zero_share))
    ref_logs = np.log(replace_zeros(reference, zero_share))
    clr = logs - logs.mean(axis=-1, keepdims=True)
    ref_clr = ref_logs - ref_logs.mean(axis=-1, keepdims=True)
    return np.sqrt(((clr - ref_clr) ** 2).sum(axis=-1))


# --- the result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeAllocation:
    """Every view of the KAMs' time, as tidy frames (percent and percentage points throughout)."""

    unit: str
    """`hours` (a time log) or `percent` (a survey: no hours, no account time, no capacity use)."""
    periods: tuple[str, ...]
    """The periods the figures cover, oldest first (empty if the records are undated)."""
    reference: TimeReference
    activities: pd.DataFrame
    """Per KAM (`scope` kam) and for the team (`scope` team, no kam_id) × activity: hours, share,
    reference, gap_pp, and the profile's tvd and aitchison repeated on each of its rows."""
    types: pd.DataFrame
    """The same roll-up to the three activity types: scope, kam_id, kam_name, activity_type, hours, share,
    reference, gap_pp."""
    kams: pd.DataFrame
    """Per KAM: hours, capacity_hours, utilisation, account_hours, selling_share, selling_reference,
    selling_gap_pp, tvd, aitchison."""
    strategy: pd.DataFrame
    """Per KAM × quadrant of the account (each hour placed by the matrix of its period, see the module): the
    KAM's accounts that were in that quadrant in a round the hours cover, hours, share of the KAM's account
    time, target_min, target_max, status (ok, below, above, none)."""
    accounts: pd.DataFrame
    """Per account: its KAM and quadrant (as of the end of the hours' period), hours on it (by anyone),
    share_of_kam (the hours its own KAM put into it, as % of that KAM's account time),
    relative (hours / mean hours per account) and neglected (an Invest account below the threshold)."""
    finding_rows: pd.DataFrame
    """What deserves a look, one row each, largest first: kind, kam_id (empty for the team and for an account
    with no KAM), account_id, quadrant, value, limit, severity (its size in hours, see the module),
    message_en/es. Kinds: no_time, selling_above, selling_below, far_from_reference, over_capacity,
    under_capacity, strategy_above, strategy_below, invest_neglected."""
    rounds: tuple[str, ...] = ()
    """The score rounds whose matrices placed the accounts of the hours, oldest first (empty: one matrix)."""

    def kam_table(self, lang: str = "en") -> pd.DataFrame:
        """One row per KAM for people: hours against capacity, selling share, distances; headers in `lang`."""
        frame = self.kams.drop(columns=["selling_reference"]).round(
            {
                "hours": 1,
                "capacity_hours": 1,
                "utilisation": 1,
                "account_hours": 1,
                "selling_share": 1,
                "selling_gap_pp": 1,
                "tvd": 1,
                "aitchison": 2,
            }
        )
        if self.unit != "hours":
            frame = frame.drop(columns=["hours", "utilisation", "account_hours"])
        return frame.rename(columns={c: _HEADERS[c][lang] for c in frame.columns})

    def findings(self, lang: str = "en") -> list[str]:
        """What deserves a look (the rows of `finding_rows`), as sentences in `lang`."""
        return self.finding_rows[f"message_{check_lang(lang)}"].tolist()

    def long_table(self, kam: str | None = None) -> pd.DataFrame:
        """The long table `kam time` writes: one row per KAM (or team) × activity, rounded for reading."""
        table = self.activities
        if kam is not None:
            table = table[table["kam_id"] == kam]
        return table.round({"hours": 2, "share": 3, "reference": 3, "gap_pp": 3, "tvd": 3, "aitchison": 4})


_HEADERS = {
    "kam_id": {"en": "KAM", "es": "KAM"},
    "kam_name": {"en": "Name", "es": "Nombre"},
    "hours": {"en": "Hours logged", "es": "Horas registradas"},
    "capacity_hours": {"en": "Hours available", "es": "Horas disponibles"},
    "utilisation": {"en": "Capacity used %", "es": "Capacidad usada %"},
    "account_hours": {"en": "Hours on accounts", "es": "Horas en cuentas"},
    "selling_share": {"en": "Selling %", "es": "Venta %"},
    "selling_gap_pp": {"en": "Selling vs reference (pp)", "es": "Venta vs referencia (pp)"},
    "tvd": {"en": "Time to move %", "es": "Tiempo a mover %"},
    "aitchison": {"en": "Aitchison distance", "es": "Distancia de Aitchison"},
}


# --- the checked function --------------------------------------------------------------------------


def allocate_time(
    engagement: Engagement,
    reference: TimeReference | None = None,
    scored: pd.DataFrame | None = None,
    period: str | None = None,
    normalise: bool = False,
) -> TimeAllocation:
    """Compute where the KAMs' time goes (see the module's docstring), for one period or all.

    `scored` (from `score_scenario`; default: the workbook's weights and cut lines) names the scenario whose
    matrix places the accounts: its weights and cut lines (`.attrs`) score the accounts again as of each
    hour's period (see the module), so time is judged by the matrix of its own period, not the newest. A
    frame made by hand, without `.attrs["cuts"]`, places every hour by its quadrants as they stand.
    `period` keeps the records of that period and its sub-periods (`2025` and `2025-Q3` hold `2025-07`,
    see `kamlib.periods.is_within`); capacity is then pro-rated by the share of the sheet's periods selected.
    A survey whose stated shares of a KAM and period do not add up to 100 (± `reference.survey_tolerance`)
    raises `WorkbookError` naming its rows, unless `normalise` rescales them to 100 with a `KamWarning`.
    """
    reference = reference or TimeReference()
    time = engagement.time
    kams = engagement.kams
    if period is not None and not period.strip():
        raise KamError("the period is empty; give one such as 2025 or 2025-Q3, or none for all periods",
                       "el periodo está vacío; indique uno como 2025 o 2025-Q3, o ninguno para todos")  # fmt: skip
    selected, periods = _select_period(time, period)
    rows = np.flatnonzero(selected)
    kam_codes = _codes(time["kam_id"], kams["kam_id"], rows)
    activity_codes = _codes(time["activity"], pd.Index(ACTIVITIES), rows)
    n_kams = len(kams)
    unit = engagement.time_unit
    ref = reference.profile()

    if unit == "hours":
        hours = time["hours"].to_numpy(dtype=np.float64)[rows]
        matrix = activity_matrix(kam_codes, activity_codes, hours, n_kams)
        shares = profile_shares(matrix)
        team_hours = matrix.sum(axis=0)
        team_share = profile_shares(team_hours)
    else:
        percent = time["percent"].to_numpy(dtype=np.float64)[rows]
        shares = _survey_shares(engagement, rows, kam_codes, activity_codes, percent, reference, normalise)
        matrix = np.full_like(shares, np.nan)
        team_hours = np.full(_N_ACT, np.nan)
        team_share = _nanmean(shares, axis=0)

    tvd = total_variation(shares, ref)
    aitchison = aitchison_distance(shares, ref, reference.zero_share)
    team_tvd = total_variation(team_share, ref)
    team_aitchison = aitchison_distance(team_share, ref, reference.zero_share)

    kam_ids = kams["kam_id"].to_numpy(dtype=object)
    kam_names = kams["name"].to_numpy(dtype=object)
    hours_all = np.vstack([matrix, team_hours[None, :]])  # the KAMs, then the team
    shares_all = np.vstack([shares, team_share[None, :]])
    activities = _long_frame(kam_ids, kam_names, hours_all, shares_all, ref, "activity", ACTIVITIES).assign(
        tvd=np.repeat(np.append(tvd, team_tvd), _N_ACT),
        aitchison=np.repeat(np.append(aitchison, team_aitchison), _N_ACT),
    )
    rollup = reference.type_matrix()
    types = _long_frame(
        kam_ids, kam_names, hours_all @ rollup, shares_all @ rollup, ref @ rollup, "activity_type", ACTIVITY_TYPES
    )

    capacity = kams["capacity_hours"].to_numpy(dtype=np.float64) * _capacity_fraction(time, period, periods)
    logged = matrix.sum(axis=1)
    rounds: tuple[str, ...] = ()
    if unit == "hours":
        placement = _placements(engagement, scored, rows, periods)
        rounds = placement.rounds
        account_hours, strategy, accounts = _account_time(engagement, placement, rows, kam_codes, hours, reference)
    else:
        account_hours = np.full(n_kams, np.nan)
        strategy, accounts = _empty(_STRATEGY_TYPES), _empty(_ACCOUNT_TYPES)
    with np.errstate(invalid="ignore", divide="ignore"):
        utilisation = np.where(capacity > 0, 100.0 * logged / capacity, np.nan)
    kam_frame = pd.DataFrame(
        {
            "kam_id": kam_ids,
            "kam_name": kam_names,
            "hours": logged,
            "capacity_hours": capacity,
            "utilisation": utilisation,
            "account_hours": account_hours,
            "selling_share": shares[:, _SELLING],
            "selling_reference": ref[_SELLING],
            "selling_gap_pp": shares[:, _SELLING] - ref[_SELLING],
            "tvd": tvd,
            "aitchison": aitchison,
        }
    )
    findings = _findings(kam_frame, team_share[_SELLING], strategy, accounts, reference, unit)
    return TimeAllocation(
        unit, tuple(periods), reference, activities, types, kam_frame, strategy, accounts, findings, rounds
    )


def check_survey(engagement: Engagement, reference: TimeReference | None = None) -> None:
    """Raise `WorkbookError` naming each KAM and period of a survey whose stated shares do not add up to 100."""
    if engagement.time_unit == "percent":
        allocate_time(engagement, reference)


def check_kam(kams: pd.DataFrame, kam: str) -> str:
    """Return `kam` if it is a `kam_id` of `kams` (the engagement's sheet, or an allocation's table), else raise
    `KamError` naming the known ones."""
    known = kams["kam_id"].tolist()
    if kam not in known:
        raise KamError(
            f"unknown KAM {kam!r}; known: {list_known(known)}",
            f"no existe el KAM {kam!r}; existentes: {list_known(known)}",
        )
    return kam


# --- steps -----------------------------------------------------------------------------------------


def _codes(values: pd.Series, categories: pd.Index | pd.Series, rows: np.ndarray) -> np.ndarray:
    """Positions of `values` (at `rows`) in `categories`, -1 for empty cells (validated ids are all found).

    Factorising first hashes each long column once; only its few distinct values are then looked up.
    """
    codes, uniques = pd.factorize(values.iloc[rows] if len(rows) < len(values) else values)
    lookup = np.append(pd.Index(categories).get_indexer(pd.Index(uniques, dtype=object)), -1)
    return lookup[codes].astype(np.int64)


def _select_period(time: pd.DataFrame, period: str | None) -> tuple[np.ndarray, list[str]]:
    """Rows in `period` (or all) and the dated periods they cover; raise `KamError` if there are none."""
    codes, labels = pd.factorize(time["period"], sort=False)
    labels = [str(label) for label in labels]
    if period is None:
        return np.ones(len(time), dtype=bool), sort_periods(labels)
    inside = np.array([is_within(label, period) for label in labels], dtype=bool)
    if not inside.any():
        known = list_known(sort_periods(labels))
        raise KamError(
            f"no time records in period {period!r}; periods: {known}",
            f"no hay registros de tiempo en el periodo {period!r}; periodos: {known}",
        )
    selected = (codes >= 0) & np.append(inside, False)[codes]
    return selected, sort_periods(label for label, keep in zip(labels, inside, strict=True) if keep)


def _capacity_fraction(time: pd.DataFrame, period: str | None, periods: list[str]) -> float:
    """Capacity covers the whole sheet: a period gets its share of the months the sheet's periods cover.

    With free labels (not calendar ones) the share is counted in labels instead.
    """
    if period is None:
        return 1.0
    every = [str(label) for label in time["period"].dropna().unique()]
    if not every:
        return 1.0
    sheet, selected = months_covered(every), months_covered(periods)
    if sheet and selected is not None:
        return len(selected & sheet) / len(sheet)
    return len(periods) / len(every)


def _survey_shares(
    engagement: Engagement,
    rows: np.ndarray,
    kam_codes: np.ndarray,
    activity_codes: np.ndarray,
    percent: np.ndarray,
    reference: TimeReference,
    normalise: bool,
) -> np.ndarray:
    """Each KAM's stated profile: per period scaled to 100 (checked first), then averaged over its periods."""
    n_kams = len(engagement.kams)
    period_codes, labels = pd.factorize(engagement.time["period"].iloc[rows], use_na_sentinel=False)
    n_periods = len(labels)
    group = kam_codes * n_periods + period_codes
    stated = np.bincount(group * _N_ACT + activity_codes, weights=percent, minlength=n_kams * n_periods * _N_ACT)
    stated = stated.reshape(n_kams * n_periods, _N_ACT)
    present = np.bincount(group, minlength=n_kams * n_periods) > 0
    totals = stated.sum(axis=1)
    off = present & (np.abs(totals - 100.0) > reference.survey_tolerance)
    if off.any():
        problems = _survey_problems(engagement, rows, group, np.flatnonzero(off), totals, labels, reference)
        if not normalise:
            raise WorkbookError(problems)
        _warn_normalised(problems)
    scaled = profile_shares(stated).reshape(n_kams, n_periods, _N_ACT)
    return _nanmean(scaled, axis=1)


def _nanmean(values: np.ndarray, axis: int) -> np.ndarray:
    """Mean over `axis` ignoring NaN; all-NaN slices (a KAM with no survey rows) stay NaN, silently."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


def _survey_problems(
    engagement: Engagement,
    rows: np.ndarray,
    group: np.ndarray,
    off: np.ndarray,
    totals: np.ndarray,
    labels: pd.Index,
    reference: TimeReference,
) -> list[Problem]:
    n_periods = len(labels)
    kam_ids = engagement.kams["kam_id"].to_numpy(dtype=object)
    problems = []
    for g in off:
        file, excel = engagement.locate("time", rows[group == g])
        label = labels[g % n_periods]
        period = "(undated)" if pd.isna(label) else repr(str(label))
        problems.append(
            Problem(
                "survey_total",
                file,
                "time",
                int(excel[0]),
                "percent",
                params={
                    "kam": kam_ids[g // n_periods],
                    "period": {"en": period, "es": "(sin fecha)" if pd.isna(label) else period},
                    "rows": row_ranges(excel),
                    "total": _both_decimal(totals[g]),
                    "tolerance": _both_decimal(reference.survey_tolerance),
                },
            )
        )
    return problems


def _both_decimal(number: float) -> dict[str, str]:
    """A number for a message as each language writes it, at most three decimals: 95.5, 95,5."""
    return {lang: short_text(number, lang, 3) for lang in ("en", "es")}


def _warn_normalised(problems: list[Problem]) -> None:
    en = "\n".join(p.render("en") for p in problems)
    es = "\n".join(p.render("es") for p in problems)
    warnings.warn(
        KamWarning(
            f"rescaled to 100 as asked (--normalise):\n{en}", f"reescalados a 100 como se pidió (--normalise):\n{es}"
        ),
        stacklevel=3,
    )


def row_ranges(rows: np.ndarray, limit: int = 6) -> str:
    """Name Excel rows compactly: runs as ranges, the first `limit` runs, then an ellipsis.

    >>> row_ranges(np.array([5, 6, 7, 9, 12, 13]))
    '5–7, 9, 12–13'
    """
    rows = np.sort(rows)
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    runs = [(int(run[0]), int(run[-1])) for run in np.split(rows, breaks)]
    text = ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in runs[:limit])
    return text + (", …" if len(runs) > limit else "")


def _long_frame(
    kam_ids: np.ndarray,
    kam_names: np.ndarray,
    hours: np.ndarray,
    shares: np.ndarray,
    reference: np.ndarray,
    column: str,
    labels: tuple[str, ...],
) -> pd.DataFrame:
    """One row per KAM (then the team) × label: hours, share, reference and gap; the rows of the arrays are
    the KAMs followed by the team."""
    n_kams, n_labels = len(kam_ids), len(labels)
    return pd.DataFrame(
        {
            "scope": np.repeat(np.array(["kam"] * n_kams + ["team"], dtype=object), n_labels),
            "kam_id": np.repeat(np.append(kam_ids, None), n_labels),
            "kam_name": np.repeat(np.append(kam_names, None), n_labels),
            column: np.tile(np.array(labels, dtype=object), n_kams + 1),
            "hours": hours.ravel(),
            "share": shares.ravel(),
            "reference": np.tile(reference, n_kams + 1),
            "gap_pp": (shares - reference).ravel(),
        }
    )


def _score_round(label: str, rounds: Sequence[str]) -> int:
    """Index in `rounds` (score periods, oldest first) of the matrix that judges hours of period `label`: the
    latest round begun by the end of `label`; -1 when every round is later.

    Two calendar labels compare by month (`kamlib.periods.month_span`), so a round holds its own months; other
    labels compare in natural order (`kamlib.periods.is_up_to`).

    >>> [_score_round(p, ["2025-H2", "2026-H1"]) for p in ("2025-03", "2025-07", "2025", "2026-Q2", "2027")]
    [-1, 0, 0, 1, 1]
    """
    limit = month_span(label)
    begun = -1
    for i, score_round in enumerate(rounds):
        span = month_span(score_round)
        if span is not None and limit is not None:
            inside = (span[0], span[1]) <= (limit[0], limit[2])
        else:
            inside = is_up_to(score_round, label)
        if inside:
            begun = i
    return begun


def _quadrant_codes(scored: pd.DataFrame, account_ids: pd.Series) -> np.ndarray:
    """Each account's quadrant in `scored` as an index of `_STRATEGY_ROWS` (unplaced: `_UNPLACED_CODE`)."""
    quadrant = scored.set_index("account_id")["quadrant"].reindex(account_ids)
    codes = pd.Categorical(quadrant, categories=list(QUADRANTS)).codes.astype(np.int64)
    codes[codes < 0] = _UNPLACED_CODE
    return codes


def _matrices(engagement: Engagement, scored: pd.DataFrame | None) -> tuple[np.ndarray, tuple[str, ...]]:
    """The quadrant codes of every account in the matrix of each score round, (rounds, accounts), and the rounds.

    The rounds are the scores' periods, each scored with `scored`'s weights and cut lines (its `.attrs`); one
    matrix and no rounds when the scores are undated, or when `scored` was made by hand (no `.attrs["cuts"]`).
    """
    account_ids = engagement.accounts["account_id"]
    rounds = tuple(engagement.periods)
    by_hand = scored is not None and "cuts" not in scored.attrs
    with warnings.catch_warnings():  # unplaced accounts are shown as such here; scoring already names them
        warnings.simplefilter("ignore", KamWarning)
        if by_hand or not rounds:
            return _quadrant_codes(scored if scored is not None else score_accounts(engagement), account_ids)[None], ()
        placed = [score_accounts(engagement, period=r) if scored is None else score_like(engagement, scored, r)
                  for r in rounds]  # fmt: skip
        matrices = [_quadrant_codes(each, account_ids) for each in placed]
    return np.vstack(matrices), rounds


class _Placement(NamedTuple):
    """Where the accounts of the selected hours stood, as of each hour's period."""

    by_label: np.ndarray
    """Quadrant code of each account (columns) per period label of the hours (rows), undated hours last."""
    label_codes: np.ndarray
    """The row of `by_label` of each selected record."""
    end: np.ndarray
    """Each account's quadrant code as of the end of the hours' period."""
    rounds: tuple[str, ...]
    """The score rounds whose matrices placed some account of the hours, oldest first."""


def _placements(
    engagement: Engagement, scored: pd.DataFrame | None, rows: np.ndarray, periods: Sequence[str]
) -> _Placement:
    """Place each account as of each period label of the selected hours (see the module's docstring)."""
    matrices, rounds = _matrices(engagement, scored)
    placed = matrices != _UNPLACED_CODE
    first = np.where(placed.any(axis=0), placed.argmax(axis=0), -1)  # each account's first placement
    columns = np.arange(matrices.shape[1])

    def as_of(label: str | None) -> np.ndarray:
        """The round that places each account for hours of `label` (None: undated, the latest), -1 for none."""
        if not rounds:
            return np.zeros(len(columns), dtype=np.int64)
        r = len(rounds) - 1 if label is None else _score_round(label, rounds)
        return np.where((r >= 0) & placed[max(r, 0)], r, first)

    codes, labels = pd.factorize(engagement.time["period"].iloc[rows])  # -1: undated
    label_codes = np.where(codes < 0, len(labels), codes).astype(np.int64)
    used = np.vstack([as_of(str(label)) for label in labels] + [as_of(None)])
    end = as_of(periods[-1] if periods else None)

    def quadrants(round_index: np.ndarray) -> np.ndarray:
        return np.where(round_index >= 0, matrices[np.maximum(round_index, 0), columns], _UNPLACED_CODE)

    present = np.unique(label_codes)
    touched = np.unique(np.append(used[present].ravel(), end))
    names = tuple(rounds[i] for i in touched if i >= 0) if rounds else ()
    return _Placement(np.vstack([quadrants(r) for r in used]), label_codes, quadrants(end), names)


def _account_time(
    engagement: Engagement,
    placement: _Placement,
    rows: np.ndarray,
    kam_codes: np.ndarray,
    hours: np.ndarray,
    reference: TimeReference,
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Account hours per KAM; the KAM × quadrant table against the targets; per account time and neglect."""
    accounts = engagement.accounts
    n_kams, n_accounts, n_rows = len(engagement.kams), len(accounts), len(_STRATEGY_ROWS)

    account_codes = _codes(engagement.time["account_id"], accounts["account_id"], rows)
    named = account_codes >= 0
    on_account = np.bincount(account_codes[named], weights=hours[named], minlength=n_accounts)
    record_quadrants = placement.by_label[placement.label_codes[named], account_codes[named]]
    by_quadrant = np.bincount(
        kam_codes[named] * n_rows + record_quadrants, weights=hours[named], minlength=n_kams * n_rows
    ).reshape(n_kams, n_rows)
    account_hours = by_quadrant.sum(axis=1)

    owner = _codes(accounts["kam_id"], engagement.kams["kam_id"], np.arange(n_accounts))
    held = np.zeros((n_accounts, n_rows), dtype=bool)  # the quadrants each account was in over the hours' rounds
    for quadrants in [*placement.by_label[np.unique(placement.label_codes)], placement.end]:
        held[np.arange(n_accounts), quadrants] = True
    managed = np.zeros((n_kams, n_rows), dtype=np.int64)
    np.add.at(managed, owner[owner >= 0], held[owner >= 0].astype(np.int64))

    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(account_hours[:, None] > 0, 100.0 * by_quadrant / account_hours[:, None], np.nan)
    bands = np.vstack([reference.bands(), [np.nan, np.nan]])
    low, high = bands[:, 0][None, :], bands[:, 1][None, :]
    status = np.full(share.shape, "ok", dtype=object)
    status[(share < low) & (managed > 0)] = "below"
    status[share > high] = "above"
    status[np.isnan(share) | np.isnan(low)] = "none"
    keep = slice(None) if (by_quadrant[:, -1] > 0).any() or (managed[:, -1] > 0).any() else slice(0, len(QUADRANTS))
    strategy = pd.DataFrame(
        {
            "kam_id": np.repeat(engagement.kams["kam_id"].to_numpy(dtype=object), n_rows),
            "kam_name": np.repeat(engagement.kams["name"].to_numpy(dtype=object), n_rows),
            "quadrant": np.tile(np.array(_STRATEGY_ROWS, dtype=object), n_kams),
            "accounts": managed.ravel(),
            "hours": by_quadrant.ravel(),
            "share": share.ravel(),
            "target_min": np.tile(bands[:, 0], n_kams),
            "target_max": np.tile(bands[:, 1], n_kams),
            "status": status.ravel(),
        }
    )
    strategy = strategy[strategy["quadrant"].isin(_STRATEGY_ROWS[keep])].reset_index(drop=True)

    mean = on_account.mean() if n_accounts else np.nan
    by_owner = named & (kam_codes == owner[np.maximum(account_codes, 0)])  # hours its own KAM put in
    owner_on_account = np.bincount(account_codes[by_owner], weights=hours[by_owner], minlength=n_accounts)
    owner_hours = np.where(owner >= 0, account_hours[np.maximum(owner, 0)], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_of_kam = np.where(owner_hours > 0, 100.0 * owner_on_account / owner_hours, np.nan)
        relative = on_account / mean if mean > 0 else np.full(n_accounts, np.nan)
    is_invest = placement.end == QUADRANTS.index("invest")
    account_frame = pd.DataFrame(
        {
            "account_id": accounts["account_id"].to_numpy(dtype=object),
            "name": accounts["name"].to_numpy(dtype=object),
            "kam_id": accounts["kam_id"].to_numpy(dtype=object),
            "quadrant": np.array(_STRATEGY_ROWS, dtype=object)[placement.end],
            "hours": on_account,
            "share_of_kam": share_of_kam,
            "relative": relative,
            "neglected": is_invest & (on_account < reference.invest_account_min * mean),
        }
    )
    return account_hours, strategy, account_frame


_STRATEGY_TYPES = {"kam_id": object, "kam_name": object, "quadrant": object, "accounts": np.int64, "hours": float}
_STRATEGY_TYPES |= {"share": float, "target_min": float, "target_max": float, "status": object}
_ACCOUNT_TYPES = {"account_id": object, "name": object, "kam_id": object, "quadrant": object, "hours": float}
_ACCOUNT_TYPES |= {"share_of_kam": float, "relative": float, "neglected": bool}


def _empty(columns: dict[str, type]) -> pd.DataFrame:
    """A table with no rows (a survey has no account time), its columns typed as with hours."""
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})


# --- findings --------------------------------------------------------------------------------------

FINDING_COLUMNS = ("kind", "kam_id", "account_id", "quadrant", "value", "limit", "severity", "message_en", "message_es")
"""The columns of `TimeAllocation.finding_rows`."""


def _share(value: float, lang: str) -> str:
    """A measured share, one decimal: 33.4% (33,4 % in Spanish)."""
    return percent_text(value, lang, 1)


def _bound(value: float, lang: str) -> str:
    """A reference, target or threshold, whole when it is whole: 10%, 7.5%."""
    return percent_text(value, lang, 0 if float(value).is_integer() else 1)


def _hours(value: float, lang: str, decimals: int = 0) -> str:
    """Hours for people: 1,664 h (1.664 h in Spanish)."""
    return f"{number_text(value, lang, decimals)} h"


def _size(value: float, lang: str) -> str:
    """A finding's size in hours: whole from 10 h, else with at most one decimal (0.4 h, 3 h, 12 h)."""
    return f"{short_text(value, lang, 0 if value >= 10 else 1)} h"


class _Findings:
    """The findings as they are met; `frame` orders them by severity."""

    def __init__(self) -> None:
        self.rows: list[tuple[object, ...]] = []

    def add(
        self,
        kind: str,
        say: Callable[[str], str],
        severity: float,
        kam: str | None = None,
        account: str | None = None,
        quadrant: str | None = None,
        value: float = np.nan,
        limit: float = np.nan,
    ) -> None:
        """Keep one finding; `say(lang)` words it in each language."""
        self.rows.append((kind, kam, account, quadrant, value, limit, severity, say("en"), say("es")))

    def frame(self) -> pd.DataFrame:
        """The findings, largest severity first; equal ones (and unknown sizes, last) keep the order they came in."""
        frame = pd.DataFrame(self.rows, columns=list(FINDING_COLUMNS)).astype({"value": float, "limit": float})
        severity = frame["severity"].astype(float).fillna(-np.inf).to_numpy()
        return frame.iloc[np.argsort(-severity, kind="stable")].reset_index(drop=True)


def _findings(
    kams: pd.DataFrame,
    team_selling: float,
    strategy: pd.DataFrame,
    accounts: pd.DataFrame,
    reference: TimeReference,
    unit: str,
) -> pd.DataFrame:
    """What a consultant should look at, worded in both languages, ordered by severity in hours (the module says
    how each is sized); equal ones keep this order: the team, each KAM, strategy time, accounts."""
    found = _Findings()
    surveyed = unit != "hours"  # a survey's shares apply to the hours available
    concerned = (kams["capacity_hours"] if surveyed else kams["hours"]).to_numpy(dtype=np.float64)
    team_hours = float(concerned[kams["selling_share"].notna().to_numpy()].sum())
    _selling_finding(found, None, team_selling, team_hours, reference, surveyed)
    for k, hours in zip(kams.itertuples(index=False), concerned, strict=True):
        if np.isnan(k.tvd):
            who = f"{k.kam_id} ({k.kam_name})"
            texts = {"en": f"{who} has no time recorded.", "es": f"{who} no tiene tiempo registrado."}
            found.add("no_time", texts.__getitem__, k.capacity_hours, k.kam_id)
            continue
        _selling_finding(found, k, k.selling_share, hours, reference, surveyed)
        _profile_finding(found, k, hours, reference, surveyed)
        if not surveyed:
            _capacity_finding(found, k, reference)
    _strategy_findings(found, strategy, kams)
    _neglect_findings(found, accounts, reference)
    return found.frame()


def _selling_finding(
    found: _Findings, kam: tuple | None, share: float, hours: float, reference: TimeReference, surveyed: bool
) -> None:
    """The method's headline for a KAM (a row of the KAM table) or the team (None): the share of time spent
    selling outside the reference ± `selling_tolerance`; sized by the hours to move to the reference."""
    low, high = reference.selling_band()
    if np.isnan(share) or low <= share <= high:
        return
    target = reference.reference["selling"]
    gap = share - target
    moved = abs(gap) / 100.0 * hours
    the_methods = target == REFERENCE_PROFILE["selling"]

    def say(lang: str) -> str:
        share_text, target_text, size = _share(share, lang), _bound(target, lang), _size(moved, lang)
        tolerance, gap_text = short_text(reference.selling_tolerance, lang, 1), short_text(abs(gap), lang, 1)
        if lang == "en":
            subject = "The team spends" if kam is None else f"{kam.kam_id} ({kam.kam_name}) spends"
            whose = f"the method's {target_text}" if the_methods else f"the engagement reference's {target_text}"
            return (
                f"{subject} {share_text} of {'its' if kam is None else 'their'} time selling, against {whose} "
                f"(±{tolerance} pp allowed): {gap_text} pp {'more' if gap > 0 else 'less'}, about {size}"
                f"{' of the hours available' if surveyed else ''}."
            )
        subject = "El equipo dedica" if kam is None else f"{kam.kam_id} ({kam.kam_name}) dedica"
        whose = f"{target_text} del método" if the_methods else f"{target_text} de la referencia del encargo"
        return (
            f"{subject} el {share_text} de su tiempo a vender, frente al {whose} (se admiten ±{tolerance} pp): "
            f"{gap_text} pp {'más' if gap > 0 else 'menos'}, unas {size}{' de las disponibles' if surveyed else ''}."
        )

    kind, limit = ("selling_above", high) if gap > 0 else ("selling_below", low)
    found.add(kind, say, moved, None if kam is None else kam.kam_id, value=share, limit=limit)


def _profile_finding(found: _Findings, kam: tuple, hours: float, reference: TimeReference, surveyed: bool) -> None:
    """A KAM whose time to move (TVD) passes `far_from_reference`; sized by the hours to move."""
    if not kam.tvd > reference.far_from_reference:
        return
    moved = kam.tvd / 100.0 * hours
    who = f"{kam.kam_id} ({kam.kam_name})"

    def say(lang: str) -> str:
        share, threshold, size = _share(kam.tvd, lang), _bound(reference.far_from_reference, lang), _size(moved, lang)
        if lang == "en":
            return (
                f"{who}: {share} of the time would have to move to match the reference profile "
                f"(threshold {threshold}), about {size}{' of the hours available' if surveyed else ''}."
            )
        return (
            f"{who}: habría que mover el {share} del tiempo para igualar el perfil de referencia "
            f"(umbral {threshold}), unas {size}{' de las disponibles' if surveyed else ''}."
        )

    found.add("far_from_reference", say, moved, kam.kam_id, value=kam.tvd, limit=reference.far_from_reference)


def _capacity_finding(found: _Findings, kam: tuple, reference: TimeReference) -> None:
    """Hours logged outside the utilisation band; sized by the hours beyond its edge."""
    band = reference.utilisation
    if np.isnan(kam.utilisation) or band.min <= kam.utilisation <= band.max:
        return
    over = kam.utilisation > band.max
    limit = band.max if over else band.min
    beyond = abs(kam.utilisation - limit) / 100.0 * kam.capacity_hours
    who = f"{kam.kam_id} ({kam.kam_name})"

    def say(lang: str) -> str:
        logged, available = _hours(kam.hours, lang), _hours(kam.capacity_hours, lang)
        share, bound = _share(kam.utilisation, lang), _bound(limit, lang)
        if lang == "en":
            return f"{who} logged {logged} of {available} available ({share}{'' if over else f', below {bound}'})."
        below = "" if over else f", por debajo del {bound}"
        return f"{who} registró {logged} de {available} disponibles ({share}{below})."

    kind = "over_capacity" if over else "under_capacity"
    found.add(kind, say, beyond, kam.kam_id, value=kam.utilisation, limit=limit)


def _strategy_findings(found: _Findings, strategy: pd.DataFrame, kams: pd.DataFrame) -> None:
    """A KAM's account time on a strategy outside its target band; sized by the account hours beyond the band."""
    account_hours = kams.set_index("kam_id")["account_hours"]
    for s in strategy[strategy["status"].isin(["above", "below"])].itertuples(index=False):
        above = s.status == "above"
        limit = s.target_max if above else s.target_min
        beyond = abs(s.share - limit) / 100.0 * float(account_hours[s.kam_id])

        def say(lang: str, s: tuple = s, above: bool = above, limit: float = limit, beyond: float = beyond) -> str:
            who, name, managed = f"{s.kam_id} ({s.kam_name})", STRATEGY_NAMES[s.quadrant][lang], s.accounts
            share, bound, size = _share(s.share, lang), _bound(limit, lang), _size(beyond, lang)
            if lang == "en":
                spent = f"{who} spends {share} of account time on {name} accounts"
                if above:
                    return f"{spent}; target at most {bound}: about {size} over."
                return (
                    f"{spent} although managing {number_text(managed, lang, 0)} of them; target at least {bound}: "
                    f"about {size} short."
                )
            spent = f"{who} dedica el {share} del tiempo de cuentas a cuentas «{name}»"
            if above:
                return f"{spent}; objetivo como máximo {bound}: unas {size} de más."
            return (
                f"{spent} aunque gestiona {number_text(managed, lang, 0)}; objetivo como mínimo {bound}: unas {size} "
                "de menos."
            )

        kind = "strategy_above" if above else "strategy_below"
        found.add(kind, say, beyond, s.kam_id, quadrant=s.quadrant, value=s.share, limit=limit)


def _neglect_findings(found: _Findings, accounts: pd.DataFrame, reference: TimeReference) -> None:
    """Invest accounts below `invest_account_min` × the mean hours per account, the least time first; sized by
    the hours short of that line."""
    if not len(accounts):
        return
    mean = float(accounts["hours"].mean())
    limit = reference.invest_account_min * mean
    for a in accounts[accounts["neglected"].astype(bool)].sort_values("hours", kind="stable").itertuples(index=False):

        def say(lang: str, a: tuple = a) -> str:
            kam = a.kam_id if isinstance(a.kam_id, str) and a.kam_id else "—"
            got, mean_text = _hours(a.hours, lang, 1), _hours(mean, lang, 1)
            times = short_text(reference.invest_account_min, lang, 2)
            if lang == "en":
                return (
                    f"Invest account {a.account_id} ({a.name}, KAM {kam}) got {got}, below {times} × the mean "
                    f"{mean_text} per account."
                )
            return (
                f"La cuenta «Invertir» {a.account_id} ({a.name}, KAM {kam}) recibió {got}, menos de {times} × la "
                f"media de {mean_text} por cuenta."
            )

        found.add("invest_neglected", say, limit - a.hours, a.kam_id, a.account_id, "invest", a.hours, limit)
