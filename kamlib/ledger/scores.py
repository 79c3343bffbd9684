"""From an ERP or CRM export to the workbook's scores: read the invoice lines, measure each customer, score.

    lines = read_ledger("ventas.csv", load_mapping("ventas.yaml"))
    metrics = ledger_metrics(lines, wallet=read_wallet("gasto.csv"))   # volume, growth, margin, families, …
    scores = metric_scores(metrics, mapping, engagement.criteria)

`ingest_scores` does all of it for an engagement and returns what a writer needs (the new period's scores,
the customers that are not accounts yet, the metrics and the whitespace table) without writing anything.
The reading rules are in `kamlib.ledger.read`, the metrics and scoring rules in `kamlib.ledger.metrics`, the
mapping file in `kamlib.ledger.mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.ledger.mapping import (
    DEFAULT_CRITERIA,
    DEFAULT_NAMES,
    LOWER_IS_BETTER,
    METRIC_LABELS,
    METRICS,
    LedgerColumns,
    LedgerMapping,
    ScoreRule,
    default_mapping,
    load_mapping,
    mapping_template,
    save_mapping_template,
)
from kamlib.ledger.metrics import ledger_metrics, metric_scores, to_scale, whitespace
from kamlib.ledger.read import LedgerError, LedgerProblem, read_ledger
from kamlib.ledger.wallet import read_wallet
from kamlib.method import AXES
from kamlib.periods import label_after, period_key, period_option, sort_periods
from kamlib.scoring import ACCOUNT_SOURCE, LEDGER_SOURCE

ASSESSOR = "ledger"
"""The assessor written beside ingested scores, so they can be told from (and are averaged with) hand-entered
ones of the same period."""


@dataclass(frozen=True)
class LedgerIngest:
    """What one ledger gives a workbook: nothing is written; a writer adds `scores` and `accounts`."""

    scores: pd.DataFrame
    """Rows for the `scores` sheet: account_id, criterion_id, score, assessor, period."""
    accounts: pd.DataFrame
    """Customers scored that the workbook lacks, as `accounts` rows: account_id, name, sector, kam_id, revenue
    (the last 12 months' net revenue, at least 0), and source "ledger" (`kamlib.scoring.LEDGER_SOURCE`: until
    they are scored on the other axis, scoring does not warn about them)."""
    metrics: pd.DataFrame
    """`ledger_metrics` of every customer, with is_account (already in the workbook)."""
    whitespace: pd.DataFrame
    """`whitespace`: families each customer buying in the last 12 months does not buy."""
    detail: pd.DataFrame
    """`metric_scores`: each score with the metric and value it came from."""
    period: str
    as_of: pd.Timestamp
    lines: int
    """How many invoice lines were read."""
    mapping: LedgerMapping
    """The mapping used, its criteria checked against the workbook (for showing the score rules)."""
    later_periods: tuple[str, ...] = ()
    """Score periods of the workbook that sort after `period` and score an account on a criterion the ledger
    scores it on: per cell the latest period counts, so there the ledger's scores are not used. Only a `period`
    given can have any: the default one sorts after every period."""
    outranked: int = 0
    """How many of `scores` (account × criterion) `later_periods` score, so that they are not used."""
    period_after: str = ""
    """A label for this ledger that sorts after every period of the workbook: the default one, or when that is
    refused `<latest> <month>` (what the summary advises when `later_periods` outrank a `period` given)."""
    after: str | None = None
    """The period the default label follows (`<after> <month>`) because the ledger's month alone sorts before
    it; None when `period` is the month or was given."""
    unplaced: tuple[tuple[str, str], ...] = ()
    """The new accounts, each with the axes it has no weighted score on (as `UnplacedAccountsWarning` names
    them): out of the matrix until someone scores them there."""
    hand_scores_in_period: bool = False
    """The workbook has scores of another assessor in `period` on a criterion the ledger scores: per cell,
    assessors of one period are averaged, so the ledger's scores are blended with them."""
    wallet_estimates: int = 0
    """How many customers the wallet estimate gave a spend for."""
    wallet_unmatched: tuple[str, ...] = ()
    """Customers of the wallet estimate that the ledger does not have (a mistyped code, or no sales)."""
    currency: str | None = None
    """The ledger's one currency (from its currency column), None when it has none."""


def _criteria_for(mapping: LedgerMapping, engagement: Engagement, source: str) -> LedgerMapping:
    """The mapping's criteria checked against the workbook: named ones must exist; the default list keeps the
    criteria the workbook has, and needs at least one."""
    known = engagement.criteria["criterion_id"].astype(str).tolist()
    if "criteria" in mapping.model_fields_set:
        unknown = [f"{m}: {c!r}" for m, c in mapping.scored().items() if c not in known]
        if unknown:
            raise KamError(
                f"{source}, criteria: unknown criterion {', '.join(unknown)}; known: {list_known(known)}",
                f"{source}, criteria: criterio desconocido {', '.join(unknown)}; existentes: {list_known(known)}",
            )
        return mapping
    present = {m: c for m, c in DEFAULT_CRITERIA.items() if c in known}
    if not present:
        default = ", ".join(f"{m}: {c}" for m, c in DEFAULT_CRITERIA.items())
        raise KamError(
            f"{source}: the workbook has none of the default criteria ({default}); allowed: name which metric "
            f"feeds which criterion under criteria: in the mapping; the workbook's criteria: {list_known(known)}",
            f"{source}: el libro no tiene ninguno de los criterios por defecto ({default}); se admite: indicar qué "
            f"métrica alimenta cada criterio en criteria: de la correspondencia; criterios del libro: "
            f"{list_known(known)}",
        )
    return mapping.model_copy(update={"criteria": present})


def ingest_scores(
    source: Path | str | pd.DataFrame,
    mapping: LedgerMapping | Path | str | None,
    engagement: Engagement,
    period: str | None = None,
    query: str | None = None,
    as_of: object = None,
    wallet: Mapping[str, float] | pd.Series | Path | str | None = None,
    new_accounts: bool = True,
) -> LedgerIngest:
    """Read a ledger and turn it into a new period of scores for an engagement, without writing anything.

    `period` defaults to a label that sorts after every score period of the workbook, so that the ledger's
    scores are the latest (`default_period`): the month of `as_of` (YYYY-MM; `as_of` defaults to the ledger's
    last date), or `<latest> <month>` when a period sorts after the month (`2026-H1 2026-06`: a round's label
    sorts after its months). A `period` given is used as it is; `later_periods` and `outranked` then say what
    outranks it. Customers are matched to accounts by id (the customer column's text equal to account_id).
    A customer the workbook lacks is scored and added as an account when it bought in the last 12 months
    (active or new), unless `new_accounts` is False (then only the workbook's accounts are scored); a lost or
    inactive one is left out. `unplaced` names the new accounts the ledger's scores leave out of the matrix.
    `wallet`, each customer's estimated total spend in a year (for the share of wallet), is a mapping or
    Series, or a file `read_wallet` reads. Raise `LedgerError` or `KamError` naming what is wrong; on success
    every returned frame is complete.
    """
    source_name = "mapping"
    if not isinstance(mapping, LedgerMapping):
        source_name = Path(mapping).name if mapping is not None else "mapping"
        mapping = default_mapping() if mapping is None else load_mapping(mapping)
    mapping = _criteria_for(mapping, engagement, source_name)
    if isinstance(wallet, (str, Path)):
        wallet = read_wallet(wallet)
    if wallet is not None:
        wallet = pd.Series(wallet, dtype=np.float64)
        wallet.index = wallet.index.map(str)
    lines = read_ledger(source, mapping, query)
    metrics = ledger_metrics(lines, as_of, wallet)
    as_of = metrics.attrs["as_of"]
    if metrics.empty:
        first = pd.Timestamp(lines["date"].min()).date().isoformat()
        raise KamError(
            f"no invoice line on or before as_of {as_of.date().isoformat()}; the ledger starts on {first}",
            f"ninguna línea de factura en o antes de as_of {as_of.date().isoformat()}; el libro empieza el {first}",
        )
    month = as_of.strftime("%Y-%m")
    periods = [str(p) for p in engagement.periods]
    period_after = label_after(month, periods) or f"{max(periods, key=period_key)} {month}"
    given = period is not None and bool(str(period).strip())
    period = str(period).strip() if given else default_period(as_of, periods)
    known = set(engagement.accounts["account_id"].astype(str))
    metrics = metrics.assign(is_account=metrics["customer"].isin(known).to_numpy())
    buying = metrics["status"].isin(("active", "new"))
    chosen = metrics["is_account"] | (buying if new_accounts else False)
    detail = metric_scores(metrics[chosen].reset_index(drop=True), mapping, engagement.criteria)
    detail = _on_segment_scales(detail, engagement, mapping.step)
    scores = pd.DataFrame(
        {
            "account_id": detail["customer"].to_numpy(),
            "criterion_id": detail["criterion_id"].to_numpy(),
            "score": detail["score"].to_numpy(dtype=np.float64),
            "assessor": ASSESSOR,
            "period": period,
        }
    )
    scored = pd.Index(detail["customer"].unique())
    new = metrics[metrics["customer"].isin(scored) & ~metrics["is_account"]]
    names = new["name"] if "name" in new else new["customer"]
    accounts = pd.DataFrame(
        {
            "account_id": new["customer"].to_numpy(),
            "name": names.fillna(new["customer"]).to_numpy(),
            "sector": None,
            "kam_id": None,
            "revenue": np.maximum(new["volume"].to_numpy(dtype=np.float64), 0.0).round(2),
            ACCOUNT_SOURCE: LEDGER_SOURCE,
        }
    )
    later, outranked = _outranked(engagement.scores, scores, period)
    return LedgerIngest(
        scores=scores,
        accounts=accounts.reset_index(drop=True),
        metrics=metrics,
        whitespace=whitespace(lines, as_of),
        detail=detail,
        period=period,
        as_of=as_of,
        lines=len(lines),
        mapping=mapping,
        later_periods=later,
        outranked=outranked,
        period_after=period_after,
        after=None if given or period == month else period.removesuffix(f" {month}"),
        unplaced=_unplaced(scores, engagement.criteria, accounts["account_id"].astype(str)),
        hand_scores_in_period=_hand_scores_in(engagement.scores, period, set(scores["criterion_id"])),
        wallet_estimates=0 if wallet is None else len(wallet),
        currency=lines.attrs.get("currency"),
        wallet_unmatched=() if wallet is None else tuple(wallet.index[~wallet.index.isin(metrics["customer"])]),
    )


def default_period(as_of: pd.Timestamp, periods: Sequence[str]) -> str:
    """The period of an ingest without `--period`: a label that sorts after every one of `periods` (the
    workbook's score periods), so that per criterion the ledger's scores are the latest and `kam score` uses them.

    The month of `as_of` (YYYY-MM) when nothing sorts after it; else `<latest> <month>`
    (`kamlib.periods.label_after`): a round named `2026-H1` sorts after every month of 2026, and a label such as
    `2026-H1 2026-06` says both what the ledger updates and how recent it is. Running the ingest is taken to
    mean "these are the figures now"; a ledger meant for an earlier period is ingested with that `--period`.
    Raise `KamError` when no label of this month sorts last (a ledger older than the one last ingested), naming
    the `--period` that would make it the latest and the one that adds it as an earlier period.
    """
    month = as_of.strftime("%Y-%m")
    label = label_after(month, periods)
    if label is not None:
        return label
    latest = max(periods, key=period_key)
    later = period_option(f"{latest} {month}")
    day = as_of.date().isoformat()
    raise KamError(
        f"the workbook's scores have a period, {latest}, that sorts after this ledger's month {month} (as of {day}) "
        f"and after every label of it: was a newer ledger ingested before? Per criterion the latest period counts, "
        f"so these scores would not be used; nothing was written. Allowed: a newer ledger, --period {later} to "
        f"make them the latest, or --period {month} to add them as an earlier period",
        f"las puntuaciones del libro tienen un periodo, {latest}, posterior al mes de este libro de ventas, {month} "
        f"(hasta {day}), y a cualquier etiqueta suya: ¿se importó antes un libro de ventas más reciente? En cada "
        f"criterio cuenta el último periodo, así que estas puntuaciones no se usarían; no se ha escrito nada. Se "
        f"admite: un libro de ventas más reciente, --period {later} para que sean las últimas, o --period {month} "
        f"para añadirlas como un periodo anterior",
    )


def _outranked(scores: pd.DataFrame, new: pd.DataFrame, period: str) -> tuple[tuple[str, ...], int]:
    """The workbook's periods that sort after `period` and score a cell (account × criterion) of `new`, and how
    many cells of `new` they score: per cell the latest period counts, so those scores of `new` are not used."""
    if "period" not in scores or scores.empty or new.empty:
        return (), 0
    dated = scores[scores["period"].notna()]
    later = dated[[period_key(str(p)) > period_key(period) for p in dated["period"]]]
    cells = pd.MultiIndex.from_frame(later[["account_id", "criterion_id"]].astype(str))
    written = pd.MultiIndex.from_frame(new[["account_id", "criterion_id"]].astype(str))
    periods = sort_periods(later.loc[cells.isin(written), "period"].astype(str))
    return tuple(periods), int(written.isin(cells).sum())


def _on_segment_scales(detail: pd.DataFrame, engagement: Engagement, step: float) -> pd.DataFrame:
    """With criteria per segment (`Engagement.segments`): each account's scores on its segment's scale and direction
    (the same place on the scale as on the criterion's catalogue row), and none on a criterion its segment does not
    have (said in `.attrs["outside_segment"]`, a count per criterion). Customers that are not accounts yet have no
    segment: the default rows score them."""
    groups = engagement.segments
    if groups.count == 1 or detail.empty:
        return detail
    group_of = pd.Series(groups.codes, index=engagement.accounts["account_id"].astype(str).to_numpy())
    group = detail["customer"].astype(str).map(group_of).fillna(0).to_numpy(dtype=np.int64)
    column = pd.Index(engagement.criteria["criterion_id"].astype(str)).get_indexer(detail["criterion_id"].astype(str))
    catalogue = engagement.criteria
    low, high = (catalogue[c].to_numpy(dtype=float)[column] for c in ("scale_min", "scale_max"))
    up = catalogue["higher_is_better"].to_numpy(dtype=bool)[column]
    place = (detail["score"].to_numpy(dtype=float) - low) / (high - low)
    place = np.where(up, place, 1.0 - place)
    out = detail.assign(
        score=to_scale(
            place,
            groups.scale_min[group, column],
            groups.scale_max[group, column],
            step,
            groups.higher_is_better[group, column],
        )
    )
    applies = groups.applies[group, column]
    kept = out[applies].reset_index(drop=True)
    kept.attrs = {**detail.attrs, "outside_segment": out.loc[~applies, "criterion_id"].value_counts().to_dict()}
    return kept


def _unplaced(scores: pd.DataFrame, criteria: pd.DataFrame, accounts: pd.Series) -> tuple[tuple[str, str], ...]:
    """Each of `accounts` (new ones: `scores` are all they have) with the axes it has no score of weight > 0 on."""
    criteria = criteria.set_index(criteria["criterion_id"].astype(str))
    weighted = scores[scores["criterion_id"].astype(str).map(criteria["weight"]).fillna(0.0).to_numpy() > 0]
    axes = weighted["criterion_id"].astype(str).map(criteria["axis"]).groupby(weighted["account_id"].astype(str))
    covered = axes.agg(set).to_dict()
    missing = ((a, ", ".join(x for x in AXES if x not in covered.get(a, set()))) for a in accounts)
    return tuple((a, m) for a, m in missing if m)


def _hand_scores_in(scores: pd.DataFrame, period: str, criteria: set[str]) -> bool:
    """Whether `scores` has another assessor's scores in `period` on one of `criteria`."""
    if "period" not in scores or scores.empty:
        return False
    assessor = scores["assessor"].astype(str).str.casefold() if "assessor" in scores else pd.Series("", scores.index)
    same = (scores["period"].astype(str) == period) & scores["criterion_id"].astype(str).isin(criteria)
    return bool((same & (assessor != ASSESSOR)).any())


__all__ = [
    "ASSESSOR",
    "DEFAULT_CRITERIA",
    "DEFAULT_NAMES",
    "LOWER_IS_BETTER",
    "METRICS",
    "METRIC_LABELS",
    "LedgerColumns",
    "LedgerError",
    "LedgerIngest",
    "LedgerMapping",
    "LedgerProblem",
    "ScoreRule",
    "default_mapping",
    "default_period",
    "ingest_scores",
    "ledger_metrics",
    "load_mapping",
    "mapping_template",
    "metric_scores",
    "read_ledger",
    "read_wallet",
    "save_mapping_template",
    "whitespace",
]
