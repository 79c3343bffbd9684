"""The scoring engine: criterion scores → two axis composites → quadrant and strategy.

The rule (METHOD.md §1, exact so that anyone can check it):

- n = (score − scale_min) / (scale_max − scale_min); n ← 1 − n when lower is better.
- composite of an axis = 10 × Σ wᵢ·nᵢ / Σ wᵢ over that axis's criteria that have a score
  for the account; no score at all on an axis → the account is left out (never 0).
- a composite on its cut line counts as high potential / strong position.
- invest = high & strong, selective = high & weak, maintain = low & strong, milk = low & weak.

The bare array functions (`normalise`, `weighted_composites`, `axis_composites`, `classify`) do no
checks and are what the benchmark times; `score_accounts` checks its inputs and speaks DataFrames.
`score_matrix` and `override_weights` work on any scores frame and criteria, so the key-account
selection (`kamlib.plan.selection`) scores customers with this same engine.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from numbers import Real

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, KamWarning, UnplacedAccountsWarning, check_accounts, list_known
from kamlib.method import AXES, QUADRANTS, STRATEGY_NAMES
from kamlib.periods import is_up_to, sort_periods

DEFAULT_CUT = 5.0
DECIMALS = 9
"""Composites are rounded to this many decimals, so that a point that is mathematically
on a cut line (e.g. all scores at the scale's midpoint) is on it in floating point too."""

POSITION_VIEWS: tuple[str, ...] = ("ours", "customer")
"""Whose view of our position places the accounts: our own scores (the default) or the customer's (`scores` rows
with side customer)."""

CutSpec = float | str
"""A cut line: a value on the 0–10 composite scale, or "median" (of the placed accounts)."""

ACCOUNT_SOURCE = "source"
"""An optional column of `accounts` (`kamlib.workbook.sheets.ACCOUNTS`): where the account came from."""
LEDGER_SOURCE = "ledger"
"""What `kam ingest` writes in `source` for each customer it adds: such an account awaits its scores on the
other axis, and the ingest has said so, so scoring does not warn about it (`awaiting_scores`)."""


def normalise(
    scores: np.ndarray, scale_min: np.ndarray, scale_max: np.ndarray, higher_is_better: np.ndarray
) -> np.ndarray:
    """Map raw scores (accounts × criteria, NaN = missing) to 0–1, reversing lower-is-better criteria."""
    n = (scores - scale_min) / (scale_max - scale_min)
    return np.where(higher_is_better, n, 1.0 - n)


def weighted_composites(normalised: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Return the (rows × groups) composites 10·Σw·n/Σw over each group's scored criteria, 0–10, NaN where none.

    `groups` gives each criterion's group (0 … n_groups − 1): the matrix's two axes, or one group for
    the key-account selection. `weights` is one weight per criterion, or one row of weights per row of
    `normalised` (criteria per segment: each account its segment's). Rounded to `DECIMALS`.
    """
    scored = ~np.isnan(normalised)
    filled = np.where(scored, normalised, 0.0)
    if weights.ndim == 2:  # each row its own weights: weigh the cells, then add them up per group
        by_group = np.zeros((weights.shape[1], n_groups))
        by_group[np.arange(weights.shape[1]), groups] = 1.0
        numerator = (filled * weights) @ by_group
        denominator = (scored * weights) @ by_group
    else:
        by_group = np.zeros((weights.shape[0], n_groups))
        by_group[np.arange(weights.shape[0]), groups] = weights
        numerator = filled @ by_group
        denominator = scored.astype(np.float64) @ by_group
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = np.where(denominator > 0, 10.0 * numerator / denominator, np.nan)
    return np.round(composite, DECIMALS)


def axis_composites(normalised: np.ndarray, weights: np.ndarray, axis_codes: np.ndarray) -> np.ndarray:
    """Return the (accounts × 2) composites, potential then position, 0–10, NaN where an axis has no score."""
    return weighted_composites(normalised, weights, axis_codes, len(AXES))


def classify(composites: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Return quadrant codes (index into `QUADRANTS`), -1 where an axis is missing; on the line counts as high."""
    low_potential = composites[:, 0] < cuts[0]
    weak_position = composites[:, 1] < cuts[1]
    codes = (2 * low_potential + weak_position).astype(np.int8)
    codes[np.isnan(composites).any(axis=1)] = -1
    return codes


def resolve_cuts(cuts: Mapping[str, CutSpec] | None, composites: np.ndarray) -> np.ndarray:
    """Turn cut specs per axis (a value or "median") into numbers; 5.0 where none is given."""
    cuts = dict(cuts or {})
    out = np.empty(len(AXES))
    placed = ~np.isnan(composites).any(axis=1)
    for i, axis in enumerate(AXES):
        spec = cuts.get(axis, DEFAULT_CUT)
        if isinstance(spec, str):
            if spec.strip().lower() not in ("median", "mediana"):
                raise KamError(
                    f"unknown cut line {spec!r} for axis {axis}; allowed: a number from 0 to 10, or median",
                    f"línea de corte desconocida {spec!r} en el eje {axis}; se admite: un número de 0 a 10, o mediana",
                )
            out[i] = float(np.median(composites[placed, i])) if placed.any() else DEFAULT_CUT
        else:
            if not 0 <= float(spec) <= 10:
                raise KamError(
                    f"cut line {spec!r} for axis {axis} is outside 0 to 10",
                    f"la línea de corte {spec!r} del eje {axis} está fuera de 0 a 10",
                )
            out[i] = float(spec)
    return out


def score_matrix(
    scores: pd.DataFrame,
    row_ids: Sequence[str] | pd.Series,
    criterion_ids: Sequence[str] | pd.Series,
    id_column: str,
    period: str | None = None,
) -> np.ndarray:
    """Return raw scores as a rows × criteria array (in the order given), NaN where not scored.

    `scores` has the columns `id_column` (which row), `criterion_id`, `score` and optionally
    `period`. Per cell the latest period is used (natural order, `kamlib.periods`; undated scores
    count as older than any dated one); with `period`, the latest up to and including it (any
    label, as of that period). Several assessors are averaged. Scores of rows or criteria not
    listed are ignored.
    """
    n_rows, n_crit = len(row_ids), len(criterion_ids)
    row = pd.Categorical(scores[id_column], categories=pd.Index(row_ids)).codes.astype(np.int64)
    crit = pd.Categorical(scores["criterion_id"], categories=pd.Index(criterion_ids)).codes.astype(np.int64)
    listed = (row >= 0) & (crit >= 0)
    cell = (row * n_crit + crit)[listed]
    values = scores["score"].to_numpy(dtype=float)[listed]
    if "period" in scores and scores["period"].notna().any():
        periods = scores["period"][listed]
        known = sort_periods(periods.dropna().tolist())
        rank = pd.Categorical(periods, categories=known).codes.astype(np.int64)  # -1 = undated
        if period is not None:  # as of `period`: the latest score up to and including it
            newest = sum(is_up_to(p, str(period)) for p in known) - 1
            keep = rank <= newest
            cell, values, rank = cell[keep], values[keep], rank[keep]
        latest = np.full(n_rows * n_crit, -2, dtype=np.int64)
        np.maximum.at(latest, cell, rank)
        current = rank == latest[cell]
        cell, values = cell[current], values[current]
    total = np.bincount(cell, weights=values, minlength=n_rows * n_crit)
    count = np.bincount(cell, minlength=n_rows * n_crit)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return table.reshape(n_rows, n_crit)


def score_table(engagement: Engagement, period: str | None = None) -> np.ndarray:
    """Return the accounts' raw scores as an accounts × criteria array (workbook order), NaN where not scored.

    The rule of `score_matrix`: the latest period per cell (or as of `period`), assessors averaged.
    """
    return score_matrix(
        engagement.scores, engagement.accounts["account_id"], engagement.criteria["criterion_id"], "account_id", period
    )


def customer_table(engagement: Engagement, period: str | None = None) -> np.ndarray:
    """Return the customer's scores (`Engagement.customer_scores`) as an accounts × criteria array normalised to
    0–1 like `normalised_table`, NaN where the customer scored nothing."""
    return _normalised(engagement, engagement.customer_scores, period)


def customer_position(
    engagement: Engagement,
    weights: Mapping[str, float] | None = None,
    period: str | None = None,
    segment_weights: SegmentWeights | None = None,
) -> np.ndarray:
    """Return each account's position "as the customer sees us" (workbook order), 0–10, NaN where the customer
    scored none of the position criteria: the rule of the matrix over the customer's scores (`scores` rows with
    side customer, `Engagement.customer_scores`), with the same weights (`weights` over the workbook's), scales
    and period rule as our own position."""
    table = customer_table(engagement, period)
    return axis_composites(table, weight_vector(engagement, weights, segment_weights), axis_codes(engagement))[:, 1]


def override_weights(
    criterion_ids: Sequence[str] | pd.Series, base: np.ndarray, weights: Mapping[str, float] | None = None
) -> np.ndarray:
    """Return a copy of `base` (the criteria's weights, in `criterion_ids` order) with `weights` put over it.

    Each id of `weights` must be one of `criterion_ids` and its weight a finite number ≥ 0, else `KamError`.
    """
    ids = list(criterion_ids)
    out = np.asarray(base, dtype=float).copy()
    if weights:
        position = {c: i for i, c in enumerate(ids)}
        unknown = [c for c in weights if c not in position]
        if unknown:
            known = list_known(ids)
            raise KamError(
                f"unknown criterion {unknown[0]!r} in the weights; known: {known}",
                f"criterio desconocido {unknown[0]!r} en los pesos; existentes: {known}",
            )
        for criterion, w in weights.items():
            if isinstance(w, bool) or not isinstance(w, Real) or not np.isfinite(w) or w < 0:
                raise KamError(
                    f"weight {w!r} of criterion {criterion!r} is not allowed; allowed: a number ≥ 0",
                    f"el peso {w!r} del criterio {criterion!r} no se admite; se admite: un número ≥ 0",
                )
            out[position[criterion]] = float(w)
    return out


SegmentWeights = Mapping[str, Mapping[str, float]]
"""Weights per segment: segment (as sheet `criteria` names it) → criterion_id → weight, for that segment's accounts
only (see `weight_matrix`)."""


def weight_matrix(
    engagement: Engagement, weights: Mapping[str, float] | None = None, segment_weights: SegmentWeights | None = None
) -> np.ndarray:
    """Return each group's weights (`Engagement.segments`: groups × criteria, catalogue order).

    The default group has the default rows' weights with `weights` over them. A segment's weight of a criterion is,
    first to last: `segment_weights` for it; its own row's; the default group's (so `weights` reaches every segment
    that follows the default row); 0 where the criterion does not apply. Ids must be known, segments those of sheet
    `criteria`, weights finite and ≥ 0, and every group with accounts needs some weight > 0 on each axis; else
    `KamError`.
    """
    groups = engagement.segments
    ids = engagement.criteria["criterion_id"]
    column = {c: i for i, c in enumerate(ids)}
    alone = [c for c in (weights or {}) if c in column and not groups.applies[0, column[c]]]
    if alone:
        raise KamError(
            f"criterion {alone[0]!r} has no default row in sheet criteria, only rows of segments: give its weight "
            "per segment",
            f"el criterio {alone[0]!r} no tiene fila general en la hoja criteria, solo filas de segmento: dé su peso "
            "por segmento",
        )
    default = override_weights(ids, groups.weight[0], weights)
    out = np.where(groups.own, groups.weight, default[None, :])
    out[0] = default
    shaped = isinstance(segment_weights, Mapping) and all(isinstance(g, Mapping) for g in segment_weights.values())
    if segment_weights is not None and not shaped:
        raise KamError(
            f"segment weights {segment_weights!r} are not allowed; allowed: segment → criterion_id → weight",
            f"los pesos por segmento {segment_weights!r} no se admiten; se admite: segmento → criterion_id → peso",
        )
    seen: dict[int, str] = {}
    for segment, given in (segment_weights or {}).items():
        group = groups.group_of(str(segment))
        if group in seen:
            raise KamError(
                f"segment {segment!r} is given weights twice (also as {seen[group]!r})",
                f"el segmento {segment!r} recibe pesos dos veces (también como {seen[group]!r})",
            )
        if not group:
            known = list_known([n for n in groups.names if n])
            raise KamError(
                f"unknown segment {segment!r} in the weights; known (segments of sheet criteria): {known}",
                f"segmento desconocido {segment!r} en los pesos; existentes (segmentos de la hoja criteria): {known}",
            )
        outside = [c for c in given if c in column and not groups.applies[group, column[c]]]
        if outside:
            applied = list_known(ids[groups.applies[group]].tolist())
            raise KamError(
                f"criterion {outside[0]!r} does not apply to segment {groups.names[group]!r}; its criteria: {applied}",
                f"el criterio {outside[0]!r} no se aplica al segmento {groups.names[group]!r}; sus criterios: "
                f"{applied}",
            )
        seen[group] = str(segment)
        out[group] = override_weights(ids, out[group], given)
    out = np.where(groups.applies, out, 0.0)
    axis = engagement.criteria["axis"].to_numpy()
    used = np.zeros(groups.count, dtype=bool)
    used[groups.codes] = True
    for group in np.flatnonzero(used):
        for name in AXES:
            if not (out[group, axis == name] > 0).any():
                segment = groups.names[group]
                where = {"en": f" of segment {segment!r}", "es": f" del segmento {segment!r}"} if group else {}
                raise KamError(
                    f"all weights on axis {name!r}{where.get('en', '')} are zero; at least one must be > 0",
                    f"todos los pesos del eje {name!r}{where.get('es', '')} son cero; al menos uno debe ser > 0",
                )
    return out


def weight_vector(
    engagement: Engagement, weights: Mapping[str, float] | None = None, segment_weights: SegmentWeights | None = None
) -> np.ndarray:
    """Return the weights that compose the accounts' axes: one per criterion (catalogue order) when the workbook has
    no segment rows, else one row per account, its group's (`weight_matrix`, whose checks apply)."""
    matrix = weight_matrix(engagement, weights, segment_weights)
    return matrix[0] if matrix.shape[0] == 1 else matrix[engagement.segments.codes]


def axis_codes(engagement: Engagement) -> np.ndarray:
    """Return each criterion's axis as a code: 0 = potential, 1 = position."""
    return pd.Categorical(engagement.criteria["axis"], categories=AXES).codes.astype(np.int64)


def scales(engagement: Engagement) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return scale_min, scale_max and higher_is_better per criterion (catalogue order) or, when the workbook has
    segment rows, per account and criterion (its group's, `Engagement.segments`)."""
    groups = engagement.segments
    arrays = (groups.scale_min, groups.scale_max, groups.higher_is_better)
    if groups.count == 1:
        return arrays[0][0], arrays[1][0], arrays[2][0]
    return arrays[0][groups.codes], arrays[1][groups.codes], arrays[2][groups.codes]


def _normalised(engagement: Engagement, scores: pd.DataFrame, period: str | None) -> np.ndarray:
    c = engagement.criteria
    raw = score_matrix(scores, engagement.accounts["account_id"], c["criterion_id"], "account_id", period)
    return normalise(raw, *scales(engagement))


def normalised_table(
    engagement: Engagement,
    period: str | None = None,
    position_by: str = "ours",
    weights: Mapping[str, float] | None = None,
    segment_weights: SegmentWeights | None = None,
) -> np.ndarray:
    """Return the accounts × criteria scores normalised to 0–1 (lower-is-better reversed), NaN where not scored;
    each account on its segment's scales (`scales`).

    With `position_by` customer, the position criteria of every account the customer scored (`customer_seen`,
    with `weights` and `segment_weights` over the workbook's) are the customer's (`Engagement.customer_scores`),
    so its position composite is `customer_position`; the other accounts keep ours.
    """
    if position_by not in POSITION_VIEWS:
        raise KamError(
            f"unknown view of our position {position_by!r}; allowed: {', '.join(POSITION_VIEWS)}",
            f"visión de nuestra posición desconocida {position_by!r}; se admite: {', '.join(POSITION_VIEWS)}",
        )
    table = _normalised(engagement, engagement.scores, period)
    if position_by == "customer":
        theirs = customer_table(engagement, period)
        seen = customer_seen(engagement, theirs, weights, segment_weights)
        table[seen] = np.where(axis_codes(engagement) == 1, theirs[seen], table[seen])
    return table


def customer_seen(
    engagement: Engagement,
    theirs: np.ndarray,
    weights: Mapping[str, float] | None = None,
    segment_weights: SegmentWeights | None = None,
) -> np.ndarray:
    """Tell, per account, whether the customer scored it on a position criterion of weight above zero (`theirs`:
    the customer's normalised scores): only then can its view place the account."""
    weighted = (axis_codes(engagement) == 1) & (weight_vector(engagement, weights, segment_weights) > 0)
    return (~np.isnan(theirs) & weighted).any(axis=1)


def score_accounts(
    engagement: Engagement,
    weights: Mapping[str, float] | None = None,
    cuts: Mapping[str, CutSpec] | None = None,
    period: str | None = None,
    position_by: str = "ours",
    segment_weights: SegmentWeights | None = None,
) -> pd.DataFrame:
    """Place every account in the matrix: composites, quadrant and strategy, one row per account.

    Each account is scored by its segment's criteria (`Engagement.segments`): `weights` over the default rows'
    weights, `segment_weights` over a segment's (`weight_matrix`); they are in `.attrs["segment_weights"]`.

    Accounts with no score on an axis keep a row with empty composites/quadrant,
    `placed` False and `missing_axis` naming the axis, and raise an
    `UnplacedAccountsWarning` that names them, except those `kam ingest` added that await their first
    scores on that axis (`awaiting_scores`: the ingest named them once). The cut lines used are in
    `.attrs["cuts"]`, the weights given (criterion_id → weight; the workbook's for the others) in
    `.attrs["weights"]` and the period in `.attrs["period"]`, so later views (an account's plan) use what
    placed the accounts.

    `position_by` says whose view of our position places the accounts (`POSITION_VIEWS`): `ours` (the default:
    our own scores) or `customer` (`customer_position`, for every account the customer scored; the others keep
    ours and a `KamWarning` names them). It is in `.attrs["position_by"]`.
    """
    table = normalised_table(engagement, period, position_by, weights, segment_weights)
    vector = weight_vector(engagement, weights, segment_weights)
    composites = axis_composites(table, vector, axis_codes(engagement))
    if position_by == "customer":
        unseen = ~customer_seen(engagement, customer_table(engagement, period), weights, segment_weights)
        if unseen.any():
            warnings.warn(_ours_kept(engagement.accounts["account_id"].to_numpy(dtype=object)[unseen]), stacklevel=2)
    cut_values = resolve_cuts(cuts, composites)
    codes = classify(composites, cut_values)
    accounts = engagement.accounts
    out = accounts[["account_id", "name", "sector", "kam_id", "revenue"]].copy()
    out["potential"] = composites[:, 0]
    out["position"] = composites[:, 1]
    out["quadrant"] = np.array([*QUADRANTS, None], dtype=object)[codes]
    for lang in ("es", "en"):
        out[f"strategy_{lang}"] = np.array([*(STRATEGY_NAMES[q][lang] for q in QUADRANTS), None], dtype=object)[codes]
    missing = np.isnan(composites)
    out["placed"] = codes >= 0
    missing_names = np.array([None, AXES[1], AXES[0], ", ".join(AXES)], dtype=object)
    out["missing_axis"] = missing_names[2 * missing[:, 0] + missing[:, 1]]
    extra = [c for c in accounts.columns if c not in out.columns]
    out = pd.concat([out, accounts[extra]], axis=1)
    out.attrs["cuts"] = {axis: float(v) for axis, v in zip(AXES, cut_values, strict=False)}
    out.attrs["weights"] = {str(k): float(v) for k, v in (weights or {}).items()}
    out.attrs["segment_weights"] = {
        str(segment): {str(k): float(v) for k, v in given.items()} for segment, given in (segment_weights or {}).items()
    }
    out.attrs["period"] = period
    out.attrs["position_by"] = position_by
    warned = ~out["placed"].to_numpy() & ~awaiting_scores(engagement, table, composites)
    unplaced = out.loc[warned, ["account_id", "missing_axis"]]
    if len(unplaced):
        warnings.warn(UnplacedAccountsWarning(list(unplaced.itertuples(index=False, name=None))), stacklevel=2)
    return out


def score_like(
    engagement: Engagement,
    scored: pd.DataFrame,
    period: str | None,
    cuts: Mapping[str, CutSpec] | None = None,
) -> pd.DataFrame:
    """Score the engagement as of `period` with everything else that placed `scored` (its `.attrs`: weights, segment
    weights, whose view of our position, and its cut lines unless `cuts` says otherwise): an earlier round seen
    with today's settings, so that only the scores differ."""
    attrs = scored.attrs
    return score_accounts(
        engagement,
        attrs.get("weights") or None,
        attrs.get("cuts") if cuts is None else cuts,
        period,
        attrs.get("position_by", "ours"),
        attrs.get("segment_weights") or None,
    )


def _ours_kept(ids: np.ndarray, shown: int = 10) -> KamWarning:
    listed = ", ".join(map(str, ids[:shown])) + (f" (+{len(ids) - shown})" if len(ids) > shown else "")
    return KamWarning(
        f"placed by the customer's view of our position, but the customer scored no position criterion with a weight "
        f"above zero of {listed}: our own view places them",
        f"situadas por la visión del cliente de nuestra posición, pero el cliente no puntuó ningún criterio de "
        f"posición con peso mayor que cero de {listed}: las sitúa nuestra propia visión",
    )


def awaiting_scores(engagement: Engagement, normalised: np.ndarray, composites: np.ndarray) -> np.ndarray:
    """Tell, per account, whether it awaits its first scores: `kam ingest` added it (`source` is "ledger") and
    every axis it has no composite on has no score at all in `normalised` (a criterion weighted 0 is a score).

    Such an account is out of the matrix only because nobody has scored it there yet, which the ingest said
    once; an account the ingest did not add, or one whose scores on that axis all weigh 0, is left out for
    another reason and still warned about.
    """
    source = engagement.accounts.get(ACCOUNT_SOURCE)
    if source is None:
        return np.zeros(len(engagement.accounts), dtype=bool)
    added = (source.astype("string").str.strip().str.casefold() == LEDGER_SOURCE).fillna(False).to_numpy(dtype=bool)
    by_axis = np.zeros((normalised.shape[1], len(AXES)))
    by_axis[np.arange(normalised.shape[1]), axis_codes(engagement)] = 1.0
    scored = (~np.isnan(normalised)).astype(np.float64) @ by_axis > 0
    return added & ~(np.isnan(composites) & scored).any(axis=1)


def find_account(scored: pd.DataFrame, account_id: str) -> pd.Series:
    """Return the row of `scored` for `account_id`, or raise `KamError` naming the known ids."""
    matches = np.flatnonzero(scored["account_id"].to_numpy(dtype=object) == account_id)
    if not len(matches):
        check_accounts([account_id], scored["account_id"])
    return scored.iloc[matches[0]]
