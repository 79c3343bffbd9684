"""KAM time allocation: where the managers' time goes, against the method's profile and the accounts' strategies.

The reference is the seed's table (METHOD.md §2: nine activities adding up to 100 %), editable per
engagement (`kamlib.timeref`). From the workbook's `time` sheet, hours logged or percentages stated
in a survey, this module computes each KAM's and the team's share per activity and the gap to the
reference in percentage points; the share of time that would have to move to match the reference,
½·Σ|pᵢ − qᵢ| (the total variation distance); the Aitchison distance between the two compositions;
the roll-up to the three basic activity types; where hours name an account, the share of each KAM's
account time spent on Invest, Selective, Maintain and Milk accounts against targets; and hours
logged against `kams.capacity_hours`.

All shares, references, gaps and distances are in percent (0–100) or percentage points.
The array functions (`activity_matrix`, `profile_shares`, `total_variation`, `aitchison_distance`)
check nothing and are the hot path; `allocate_time` checks its inputs and builds the frames.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, KamWarning, Problem, WorkbookError, list_known
from kamlib.i18n import check_lang
from kamlib.method import ACTIVITIES, ACTIVITY_TYPES, QUADRANTS, STRATEGY_NAMES
from kamlib.periods import is_within, months_covered, sort_periods
from kamlib.scoring import score_accounts
from kamlib.timeref import TimeReference

UNPLACED = "unplaced"
"""Quadrant label of time on accounts left out of the matrix (no weighted score on an axis)."""

_N_ACT = len(ACTIVITIES)
_SELLING = ACTIVITIES.index("selling")
_STRATEGY_ROWS = (*QUADRANTS, UNPLACED)


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
    """Per KAM × quadrant of the account (from the scored matrix): accounts managed there, hours, share of
    the KAM's account time, target_min, target_max, status (ok, below, above, none)."""
    accounts: pd.DataFrame
    """Per account: its KAM and quadrant, hours on it (by anyone), share_of_kam (the hours its own KAM put
    into it, as % of that KAM's account time),
    relative (hours / mean hours per account) and neglected (an Invest account below the threshold)."""
    finding_rows: pd.DataFrame
    """What deserves a look, one row each: kind, kam_id, account_id, quadrant, value, limit, message_en/es."""

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

    `scored` gives each account's quadrant (from `score_scenario`; default: the workbook's weights).
    `period` keeps the records of that period and its sub-periods (`2025` and `2025-Q3` hold `2025-07`,
    see `kamlib.periods.is_within`); capacity is
    then pro-rated by the share of the sheet's periods selected. A survey whose stated shares of a KAM and
    period do not add up to 100 (± `reference.survey_tolerance`) raises `WorkbookError` naming its rows,
    unless `normalise` rescales them to 100 with a `KamWarning`.
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
    if unit == "hours":
        scored = _scored(engagement, scored)
        account_hours, strategy, accounts = _account_time(engagement, scored, rows, kam_codes, hours, reference)
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
    findings = _findings(kam_frame, strategy, accounts, reference, unit)
    return TimeAllocation(unit, tuple(periods), reference, activities, types, kam_frame, strategy, accounts, findings)


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
                    "total": _both_decimal(f"{totals[g]:g}"),
                    "tolerance": _both_decimal(f"{reference.survey_tolerance:g}"),
                },
            )
        )
    return problems


def _both_decimal(number: str) -> dict[str, str]:
    """A number for a message: decimal point in English, decimal comma in Spanish."""
    return {"en": number, "es": number.replace(".", ",")}


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


def _scored(engagement: Engagement, scored: pd.DataFrame | None) -> pd.DataFrame:
    if scored is not None:
        return scored
    with warnings.catch_warnings():  # unplaced accounts are shown as such here; scoring already names them
        warnings.simplefilter("ignore", KamWarning)
        return score_accounts(engagement)


def _account_time(
    engagement: Engagement,
    scored: pd.DataFrame,
    rows: np.ndarray,
    kam_codes: np.ndarray,
    hours: np.ndarray,
    reference: TimeReference,
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Account hours per KAM; the KAM × quadrant table against the targets; per account time and neglect."""
    accounts = engagement.accounts
    n_kams, n_accounts, n_rows = len(engagement.kams), len(accounts), len(_STRATEGY_ROWS)
    quadrant = scored.set_index("account_id")["quadrant"].reindex(accounts["account_id"])
    quadrant_codes = pd.Categorical(quadrant, categories=list(QUADRANTS)).codes.astype(np.int64)
    quadrant_codes[quadrant_codes < 0] = len(QUADRANTS)  # unplaced

    account_codes = _codes(engagement.time["account_id"], accounts["account_id"], rows)
    named = account_codes >= 0
    on_account = np.bincount(account_codes[named], weights=hours[named], minlength=n_accounts)
    by_quadrant = np.bincount(
        kam_codes[named] * n_rows + quadrant_codes[account_codes[named]],
        weights=hours[named],
        minlength=n_kams * n_rows,
    ).reshape(n_kams, n_rows)
    account_hours = by_quadrant.sum(axis=1)

    owner = _codes(accounts["kam_id"], engagement.kams["kam_id"], np.arange(n_accounts))
    managed = np.bincount(owner[owner >= 0] * n_rows + quadrant_codes[owner >= 0], minlength=n_kams * n_rows).reshape(
        n_kams, n_rows
    )

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
    is_invest = quadrant_codes == QUADRANTS.index("invest")
    account_frame = pd.DataFrame(
        {
            "account_id": accounts["account_id"].to_numpy(dtype=object),
            "name": accounts["name"].to_numpy(dtype=object),
            "kam_id": accounts["kam_id"].to_numpy(dtype=object),
            "quadrant": np.array(_STRATEGY_ROWS, dtype=object)[quadrant_codes],
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


def _findings(
    kams: pd.DataFrame, strategy: pd.DataFrame, accounts: pd.DataFrame, reference: TimeReference, unit: str
) -> pd.DataFrame:
    """What a consultant should look at, worded in both languages: per KAM, then strategy time, then accounts
    (the least time first)."""
    rows: list[dict[str, object]] = []

    def add(kind: str, en: str, es: str, kam=None, account=None, quadrant=None, value=np.nan, limit=np.nan):
        rows.append(
            {
                "kind": kind,
                "kam_id": kam,
                "account_id": account,
                "quadrant": quadrant,
                "value": value,
                "limit": limit,
                "message_en": en,
                "message_es": es,
            }
        )

    for k in kams.itertuples(index=False):
        who = f"{k.kam_id} ({k.kam_name})"
        if np.isnan(k.tvd):
            add("no_time", f"{who} has no time recorded.", f"{who} no tiene tiempo registrado.", k.kam_id)
            continue
        if k.tvd > reference.far_from_reference:
            add(
                "far_from_reference",
                f"{who}: {k.tvd:.1f} % of the time would have to move to match the reference profile "
                f"(threshold {reference.far_from_reference:g} %).",
                f"{who}: habría que mover el {k.tvd:.1f} % del tiempo para igualar el perfil de referencia "
                f"(umbral {reference.far_from_reference:g} %).",
                k.kam_id,
                value=k.tvd,
                limit=reference.far_from_reference,
            )
        if unit != "hours" or np.isnan(k.utilisation):
            continue
        band = reference.utilisation
        if k.utilisation > band.max:
            add(
                "over_capacity",
                f"{who} logged {k.hours:.0f} h of {k.capacity_hours:.0f} h available ({k.utilisation:.1f} %).",
                f"{who} registró {k.hours:.0f} h de {k.capacity_hours:.0f} h disponibles ({k.utilisation:.1f} %).",
                k.kam_id,
                value=k.utilisation,
                limit=band.max,
            )
        elif k.utilisation < band.min:
            add(
                "under_capacity",
                f"{who} logged {k.hours:.0f} h of {k.capacity_hours:.0f} h available ({k.utilisation:.1f} %, "
                f"below {band.min:g} %).",
                f"{who} registró {k.hours:.0f} h de {k.capacity_hours:.0f} h disponibles ({k.utilisation:.1f} %, "
                f"por debajo del {band.min:g} %).",
                k.kam_id,
                value=k.utilisation,
                limit=band.min,
            )
    for s in strategy[strategy["status"].isin(["above", "below"])].itertuples(index=False):
        names = STRATEGY_NAMES[s.quadrant]
        who = f"{s.kam_id} ({s.kam_name})"
        if s.status == "above":
            en = (
                f"{who} spends {s.share:.1f} % of account time on {names['en']} accounts; target at most "
                f"{s.target_max:g} %."
            )
            es = (
                f"{who} dedica el {s.share:.1f} % del tiempo de cuentas a cuentas «{names['es']}»; objetivo como "
                f"máximo {s.target_max:g} %."
            )
            add("strategy_above", en, es, s.kam_id, quadrant=s.quadrant, value=s.share, limit=s.target_max)
        else:
            en = (
                f"{who} spends {s.share:.1f} % of account time on {names['en']} accounts although managing "
                f"{s.accounts} of them; target at least {s.target_min:g} %."
            )
            es = (
                f"{who} dedica el {s.share:.1f} % del tiempo de cuentas a cuentas «{names['es']}» aunque gestiona "
                f"{s.accounts}; objetivo como mínimo {s.target_min:g} %."
            )
            add("strategy_below", en, es, s.kam_id, quadrant=s.quadrant, value=s.share, limit=s.target_min)
    if len(accounts):
        mean = float(accounts["hours"].mean())
        for a in accounts[accounts["neglected"].astype(bool)].sort_values("hours").itertuples(index=False):
            limit = reference.invest_account_min * mean
            add(
                "invest_neglected",
                f"Invest account {a.account_id} ({a.name}, KAM {a.kam_id or '—'}) got {a.hours:.1f} h, below "
                f"{reference.invest_account_min:g} × the mean {mean:.1f} h per account.",
                f"La cuenta «Invertir» {a.account_id} ({a.name}, KAM {a.kam_id or '—'}) recibió {a.hours:.1f} h, "
                f"menos de {reference.invest_account_min:g} × la media de {mean:.1f} h por cuenta.",
                a.kam_id,
                a.account_id,
                "invest",
                a.hours,
                limit,
            )
    columns = ("kind", "kam_id", "account_id", "quadrant", "value", "limit", "message_en", "message_es")
    return pd.DataFrame(rows, columns=list(columns))
