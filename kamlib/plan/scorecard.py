"""The balanced scorecard of a key account ("cuadro de mando integral", METHOD.md §4): its KPIs against target.

Each row of the workbook's optional `kpis` sheet is one KPI of one account in one period, in one of the
four perspectives (financial, customer, internal, learning: Kaplan & Norton). The rules below are ours
(the seed names the tool, not how to read it); the thresholds are module constants.

- **Identity.** A KPI is (account_id, kpi text) with the text compared ignoring case, accents, surrounding
  spaces and repeated inner spaces (`kamlib.workbook.cells.name_key`): "Cuota en el cliente" and
  " cuota en el CLIENTE " are one KPI. Its name, perspective, unit and direction are those of its latest row. Two
  rows of one account, KPI and period (periods compared as `kamlib.periods` orders them, so 2026-q1 is
  2026-Q1) are refused when the workbook is validated, naming the file, the sheet and both Excel rows.
- **Status** of a KPI in a period: `not_measured` when the actual is empty (whatever the target);
  `no_target` when only the target is empty; `met` when the actual reaches the target (actual ≥ target
  when higher is better, actual ≤ target when lower is better); `near` when it misses by at most
  `NEAR` (10 %) of |target|; `missed` otherwise. Boundaries count on the kinder side (exactly at target is
  met, exactly 10 % short is near), with a slack of `SLACK` × |target| so that decimals typed in a
  workbook (0.27 against 0.3) are not pushed over a boundary by binary rounding. A target of 0 leaves no
  room to be near: any miss is missed.
- **Attainment** (%): 100 × (1 + g / |target|), where g is how far the actual is on the good side of the
  target (actual − target when higher is better, target − actual when lower is better). Higher is better
  with a positive target: 100 × actual / target. Lower is better: a cost 10 % over its target attains
  90 %, 10 % under it 110 %, three times it −100 % (never clipped). So met ⟺ attainment ≥ 100 and near ⟺
  90 ≤ attainment < 100, in both directions and for negative targets. Undefined (NaN) with an empty
  target or actual, and with a target of 0 (no scale to measure against).
- **Trend** of a KPI: its latest period's actual against the actual of the latest earlier period that
  has one (`previous`, `previous_period`). `better` or `worse` (taking the direction into account) when
  the change exceeds `FLAT` (1 %) of |previous|, else `flat` (with a previous of 0, only no change is
  flat); `new` when the latest actual is its only measurement; none when the latest period has no actual.
- **Latest** is per KPI: its latest period with an actual up to the `period` asked for
  (`kamlib.periods.is_up_to`, so "2026" holds 2026-Q1 and 2026-07), so a target entered ahead for the next
  period does not hide the last result; a KPI never measured shows its latest row (`not_measured`). The
  portfolio counts every KPI of an account at that latest row.
- **Units.** A KPI's values are written in its unit (the sheet's optional `unit`: number, %, currency, days;
  `kamlib.i18n.unit_text`): a percentage is given in points (6 for 6 %), an amount is in the engagement's
  currency (`engagement.identity.currency`). The unit changes how a value reads, never a status, an attainment
  or a trend; attainment is always a percentage.
- **Suggested KPIs.** Given the account's strategy, the playbook's control metrics for it
  (`kamlib.plan.playbook.play(...).metrics`, the engagement's `playbook` sheet included) that the account does
  not track yet, matched by `name_key` against both the Spanish and English text, with status `to_define`.

Pure pandas and numpy; `scorecard_table` and `scorecard_html` show a card to people, in Spanish or English, each
value in its KPI's unit.

>>> kpi_status(target=100, actual=90, higher_is_better=True), kpi_status(100, 111, higher_is_better=False)
('near', 'missed')
>>> float(kpi_attainment(target=100, actual=110, higher_is_better=False))
90.0
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, check_accounts
from kamlib.i18n import check_lang, number_text, percent_text, unit_text
from kamlib.method import QUADRANTS, STRATEGY_NAMES
from kamlib.periods import is_up_to, period_key
from kamlib.plan.playbook import PERSPECTIVE_LABELS, play
from kamlib.workbook.cells import name_key
from kamlib.workbook.identity import DEFAULT_CURRENCY
from kamlib.workbook.sheets import PERSPECTIVES, STRATEGY_ALIASES

NEAR = 0.10
"""A KPI that misses its target by at most this share of |target| is `near`, not `missed`."""
FLAT = 0.01
"""A change of at most this share of |previous actual| is a `flat` trend."""
SLACK = 1e-9
"""Share of |target| (of |previous| for trends) forgiven at a boundary, for binary rounding of decimals."""

STATUSES: tuple[str, ...] = ("met", "near", "missed", "no_target", "not_measured", "to_define")
"""A KPI's status in a period; `to_define` is a suggested KPI the account does not track yet."""
ASSESSED: tuple[str, ...] = ("met", "near", "missed")
"""The statuses of a KPI with both a target and an actual."""
TRENDS: tuple[str, ...] = ("better", "worse", "flat", "new")

HISTORY_COLUMNS: tuple[str, ...] = (
    *("perspective", "kpi", "kpi_key", "unit", "period", "target", "actual"),
    *("higher_is_better", "status", "attainment"),
)
LATEST_COLUMNS: tuple[str, ...] = (*HISTORY_COLUMNS, "trend", "previous", "previous_period")
SUGGESTED_COLUMNS: tuple[str, ...] = ("perspective", "es", "en", "status")
PORTFOLIO_COLUMNS: tuple[str, ...] = (
    *("account_id", "name", "period", "kpis"),
    *("met", "near", "missed", "no_data", "share_met"),
)

STATUS_LABELS = MappingProxyType(
    {
        "met": {"es": "Cumplido", "en": "Met"},
        "near": {"es": "Cerca", "en": "Near"},
        "missed": {"es": "No cumplido", "en": "Missed"},
        "no_target": {"es": "Sin objetivo", "en": "No target"},
        "not_measured": {"es": "Sin medir", "en": "Not measured"},
        "to_define": {"es": "Por definir", "en": "To define"},
    }
)
TREND_LABELS = MappingProxyType(
    {
        "better": {"es": "▲ Mejora", "en": "▲ Better"},
        "worse": {"es": "▼ Empeora", "en": "▼ Worse"},
        "flat": {"es": "▬ Estable", "en": "▬ Flat"},
        "new": {"es": "● Nuevo", "en": "● New"},
    }
)
"""The arrow says better or worse, not up or down: a cost that falls is ▲ better."""

SCORECARD_HEADERS = {
    "perspective": {"es": "Perspectiva", "en": "Perspective"},
    "kpi": {"es": "Indicador", "en": "KPI"},
    "period": {"es": "Periodo", "en": "Period"},
    "better_when": {"es": "Mejor si", "en": "Better when"},
    "target": {"es": "Objetivo", "en": "Target"},
    "actual": {"es": "Real", "en": "Actual"},
    "previous": {"es": "Anterior", "en": "Previous"},
    "attainment": {"es": "Cumplimiento", "en": "Attainment"},
    "status": {"es": "Estado", "en": "Status"},
    "trend": {"es": "Tendencia", "en": "Trend"},
}
TABLE_COLUMNS: tuple[str, ...] = tuple(SCORECARD_HEADERS)
"""The columns of `scorecard_table`, before their headers are translated."""

SCORECARD_WORDS = {
    "higher": {"es": "sube", "en": "higher"},
    "lower": {"es": "baja", "en": "lower"},
    "none": {"es": "—", "en": "—"},
    "no_perspective": {"es": "Sin perspectiva", "en": "No perspective"},
    "title": {"es": "Cuadro de mando integral", "en": "Balanced scorecard"},
    "account": {"es": "Cuenta", "en": "Account"},
    "up_to": {"es": "hasta {period}", "en": "up to {period}"},
    "strategy": {"es": "estrategia {strategy}", "en": "strategy {strategy}"},
    "empty": {
        "es": "La cuenta aún no tiene indicadores.",
        "en": "The account has no KPIs yet.",
    },
    "suggest": {
        "es": "Indicadores que su estrategia propone controlar:",
        "en": "KPIs its strategy suggests tracking:",
    },
}


# --- the rules, on arrays -------------------------------------------------------------------------------


def _signed_gap(target: np.ndarray, actual: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """How far the actual is on the good side of the target (negative: short of it)."""
    return np.where(higher_is_better, actual - target, target - actual)


def status_array(target: np.ndarray, actual: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """Return the status of each (target, actual, direction); NaN is an empty cell. No checks: see `kpi_status`."""
    target = np.asarray(target, dtype=float)
    actual = np.asarray(actual, dtype=float)
    gap = _signed_gap(target, actual, np.asarray(higher_is_better, dtype=bool))
    size = np.abs(target)
    with np.errstate(invalid="ignore"):
        met = gap >= -SLACK * size
        near = gap >= -(NEAR + SLACK) * size
    return np.select(
        [np.isnan(actual), np.isnan(target), met, near],
        ["not_measured", "no_target", "met", "near"],
        default="missed",
    ).astype(object)


def attainment_array(target: np.ndarray, actual: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """Return each attainment in %, 100 × (1 + good-side gap / |target|); NaN when undefined."""
    target = np.asarray(target, dtype=float)
    actual = np.asarray(actual, dtype=float)
    gap = _signed_gap(target, actual, np.asarray(higher_is_better, dtype=bool))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 100.0 * (1.0 + gap / np.abs(target))
    return np.where(target == 0, np.nan, value)


def trend_array(previous: np.ndarray, latest: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """Return each trend: `better`, `worse`, `flat`, `new` (no previous) or None (no latest)."""
    previous = np.asarray(previous, dtype=float)
    latest = np.asarray(latest, dtype=float)
    change = np.where(higher_is_better, latest - previous, previous - latest)
    tolerance = (FLAT + SLACK) * np.abs(previous)
    with np.errstate(invalid="ignore"):
        return np.select(
            [np.isnan(latest), np.isnan(previous), change > tolerance, change < -tolerance],
            [None, "new", "better", "worse"],
            default="flat",
        ).astype(object)


def _number(value: float | None) -> float:
    return np.nan if value is None else float(value)


def kpi_status(target: float | None, actual: float | None, higher_is_better: bool = True) -> str:
    """Return one KPI's status in a period (None or NaN: an empty cell); see the module's rules.

    >>> [kpi_status(100, a) for a in (100, 90, 89.9)], kpi_status(None, 5), kpi_status(5, None)
    (['met', 'near', 'missed'], 'no_target', 'not_measured')
    """
    return str(status_array(np.array([_number(target)]), np.array([_number(actual)]), np.array([higher_is_better]))[0])


def kpi_attainment(target: float | None, actual: float | None, higher_is_better: bool = True) -> float:
    """Return one KPI's attainment in % (NaN when a value is empty or the target is 0)."""
    values = attainment_array(np.array([_number(target)]), np.array([_number(actual)]), np.array([higher_is_better]))
    return float(values[0])


def kpi_trend(previous: float | None, latest: float | None, higher_is_better: bool = True) -> str | None:
    """Return the trend from `previous` to `latest` (None: no latest actual; `new`: no previous).

    >>> kpi_trend(200, 202), kpi_trend(200, 203), kpi_trend(10, 8, higher_is_better=False), kpi_trend(None, 3)
    ('flat', 'better', 'better', 'new')
    """
    value = trend_array(np.array([_number(previous)]), np.array([_number(latest)]), np.array([higher_is_better]))[0]
    return None if value is None else str(value)


# --- the scorecard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    """One key account's balanced scorecard: its KPIs' latest values and history, and what it should track."""

    account_id: str
    name: str
    strategy: str | None
    """The strategy whose control metrics were suggested (one of `QUADRANTS`), or None."""
    period: str | None
    """The period the card is as of (None: each KPI's latest)."""
    latest: pd.DataFrame
    """One row per KPI (`LATEST_COLUMNS`), perspectives in `PERSPECTIVES` order, KPIs in sheet order within:
    its latest period up to `period`, status, attainment (%), trend, and the previous measured actual."""
    history: pd.DataFrame
    """Every period of the account's KPIs up to `period` (`HISTORY_COLUMNS`), in the order of `latest`,
    then oldest period first; kpi, perspective, unit and direction are the KPI's latest."""
    suggested: pd.DataFrame
    """The strategy's control metrics the account does not track (`SUGGESTED_COLUMNS`, status `to_define`)."""
    currency: str = DEFAULT_CURRENCY
    """The ISO 4217 code amounts (KPIs in unit `currency`) are written in: the engagement's."""

    @property
    def periods(self) -> list[str]:
        """The periods of the history, oldest first."""
        labels = self.history["period"].drop_duplicates().tolist()
        return sorted(labels, key=period_key)


def scorecard(
    engagement: Engagement, account_id: str, strategy: str | None = None, period: str | None = None
) -> Scorecard:
    """Read one account's balanced scorecard as of `period` (None: the latest), with its strategy's KPIs to define.

    `strategy` is a quadrant id (invest, selective, maintain, milk; Spanish names accepted) or None for no
    suggestions. Raise `KamError` for an unknown account or strategy.
    """
    accounts = engagement.accounts
    ids = accounts["account_id"].astype(str).tolist()
    check_accounts([account_id], ids)
    quadrant = None if strategy is None else _quadrant(strategy)
    kpis = engagement.kpis
    positions = np.flatnonzero(kpis["account_id"].astype(str).to_numpy(dtype=object) == account_id)
    latest, history = _card(kpis.iloc[positions], period)
    name = accounts.loc[np.asarray(ids, dtype=object) == account_id, "name"].iloc[0]
    return Scorecard(
        account_id=account_id,
        name=str(name) if pd.notna(name) else account_id,
        strategy=quadrant,
        period=period,
        latest=latest,
        history=history,
        suggested=_suggested(engagement, quadrant, set(history["kpi_key"])),
        currency=engagement.identity.currency,
    )


def _quadrant(strategy: str) -> str:
    """Return the quadrant id of a strategy named by id or in Spanish, or raise `KamError` naming them."""
    name = "_".join(str(strategy).strip().lower().split())
    quadrant = STRATEGY_ALIASES.get(name, name)
    if quadrant not in QUADRANTS:
        names = ", ".join(f"{q} ({STRATEGY_NAMES[q]['es']})" for q in QUADRANTS)
        raise KamError(
            f"unknown strategy {strategy!r}; allowed: {names}",
            f"no existe la estrategia {strategy!r}; se admite: {names}",
        )
    return quadrant


def _card(rows: pd.DataFrame, period: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest row per KPI and the history of `rows` (one account's KPIs) up to `period`."""
    latest, history = _cards(rows, period)
    return latest[list(LATEST_COLUMNS)], history[list(HISTORY_COLUMNS)]


def _cards(rows: pd.DataFrame, period: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest row per (account, KPI) and the history of `rows` (any accounts' KPIs) up to `period`, with
    account_id: one pass over the sheet, whatever the number of accounts."""
    rows = rows.reset_index(drop=True)
    if period is not None:
        rows = rows[[is_up_to(str(p), period) for p in rows["period"]]].reset_index(drop=True)
    if rows.empty:
        return (
            pd.DataFrame(columns=["account_id", *LATEST_COLUMNS]),
            pd.DataFrame(columns=["account_id", *HISTORY_COLUMNS]),
        )
    keys = [name_key(k) for k in rows["kpi"]]
    accounts = rows["account_id"].astype(str).to_numpy(dtype=object)
    labels = rows["period"].astype(str).tolist()
    order = {label: i for i, label in enumerate(sorted(set(labels), key=period_key))}
    frame = pd.DataFrame(
        {
            "account_id": accounts,
            "kpi_key": keys,
            "_id": [f"{a}\x1f{k}" for a, k in zip(accounts, keys, strict=True)],
            "kpi_text": rows["kpi"].astype(str).str.strip().to_numpy(dtype=object),
            "row_perspective": rows["perspective"].to_numpy(dtype=object),
            "row_unit": _units(rows),
            "period": labels,
            "target": rows["target"].to_numpy(dtype=float),
            "actual": rows["actual"].to_numpy(dtype=float),
            "row_better": rows["higher_is_better"].astype(bool).to_numpy(),
            "_when": [order[label] for label in labels],
            "_sheet": np.arange(len(rows)),
        }
    ).sort_values(["_when", "_sheet"], kind="stable")
    last = frame.groupby("_id", sort=False).tail(1).set_index("_id")
    first_seen = frame.groupby("_id")["_sheet"].min()
    # The KPI's name, perspective, unit and direction are those of its latest row.
    frame["kpi"] = frame["_id"].map(last["kpi_text"])
    frame["perspective"] = frame["_id"].map(last["row_perspective"])
    frame["unit"] = frame["_id"].map(last["row_unit"])
    frame["higher_is_better"] = frame["_id"].map(last["row_better"]).astype(bool)
    frame["_perspective"] = [_perspective_rank(p) for p in frame["perspective"]]
    frame["_kpi"] = frame["_id"].map(first_seen)
    frame = frame.sort_values(["_perspective", "_kpi", "_when"], kind="stable").reset_index(drop=True)
    frame["status"] = status_array(frame["target"], frame["actual"], frame["higher_is_better"])
    frame["attainment"] = attainment_array(frame["target"], frame["actual"], frame["higher_is_better"])
    history = frame[["account_id", *HISTORY_COLUMNS]].copy()

    # The latest period with an actual (a target entered ahead for the next period does not hide the last
    # result); a KPI never measured yet shows its latest row.
    measured = frame[frame["actual"].notna()]
    latest = measured.groupby("_id", sort=False).tail(1)
    waiting = frame[~frame["_id"].isin(latest["_id"])].groupby("_id", sort=False).tail(1)
    latest = pd.concat([latest, waiting]).sort_values(["_perspective", "_kpi"], kind="stable").copy()
    before = measured.merge(latest[["_id", "_when"]], on="_id", suffixes=("", "_latest"))
    before = before[before["_when"] < before["_when_latest"]].groupby("_id", sort=False).tail(1)
    before = before.set_index("_id")
    latest["previous"] = latest["_id"].map(before["actual"]).astype(float)
    previous_period = latest["_id"].map(before["period"])
    latest["previous_period"] = _objects([p if isinstance(p, str) else None for p in previous_period], latest.index)
    trend = trend_array(latest["previous"], latest["actual"], latest["higher_is_better"])
    latest["trend"] = _objects(list(trend), latest.index)
    return latest[["account_id", *LATEST_COLUMNS]].reset_index(drop=True), history


def _units(rows: pd.DataFrame) -> np.ndarray:
    """Each row's unit: `number` where the sheet has no `unit` column or the cell is empty."""
    if "unit" not in rows.columns:
        return np.full(len(rows), "number", dtype=object)
    return np.asarray([u if isinstance(u, str) and u else "number" for u in rows["unit"]], dtype=object)


def _objects(values: list[object], index: pd.Index) -> pd.Series:
    """A column of texts that keeps None as None (pandas would turn it into NaN)."""
    return pd.Series(values, index=index, dtype=object)


def _perspective_rank(perspective: object) -> int:
    return PERSPECTIVES.index(perspective) if perspective in PERSPECTIVES else len(PERSPECTIVES)


def _suggested(engagement: Engagement, quadrant: str | None, tracked: set[str]) -> pd.DataFrame:
    """The strategy's control metrics whose Spanish and English names both differ from every tracked KPI."""
    if quadrant is None:
        return pd.DataFrame(columns=list(SUGGESTED_COLUMNS))
    metrics = play(engagement, quadrant).metrics
    seen = set(tracked)
    rows = []
    for perspective, es, en in metrics[["perspective", "es", "en"]].itertuples(index=False):
        names = {name_key(es), name_key(en)}
        if names & seen:
            continue
        seen |= names
        rows.append((perspective if perspective in PERSPECTIVES else None, str(es), str(en), "to_define"))
    frame = pd.DataFrame(rows, columns=list(SUGGESTED_COLUMNS))
    order = np.argsort([_perspective_rank(p) for p in frame["perspective"]], kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def portfolio_scorecard(engagement: Engagement, period: str | None = None) -> pd.DataFrame:
    """Count, per account with KPIs up to `period`, its KPIs' statuses, each KPI at its latest measured period.

    Columns `PORTFOLIO_COLUMNS`: account_id, name, period (the account's latest period with a KPI shown),
    kpis, met, near, missed, no_data (no target or not measured yet) and share_met (% of the KPIs with both a
    target and an actual that are met; NaN when none has both). Accounts in workbook order.
    """
    latest, _ = _cards(engagement.kpis, period)
    rows = []
    by_account = dict(tuple(latest.groupby("account_id", sort=False))) if len(latest) else {}
    for account_id, name in zip(engagement.accounts["account_id"], engagement.accounts["name"], strict=True):
        mine = by_account.get(str(account_id))
        if mine is None:
            continue
        counts = mine["status"].value_counts()
        met, near, missed = (int(counts.get(s, 0)) for s in ASSESSED)
        assessed = met + near + missed
        rows.append(
            {
                "account_id": str(account_id),
                "name": name,
                "period": max(mine["period"], key=period_key),
                "kpis": len(mine),
                "met": met,
                "near": near,
                "missed": missed,
                "no_data": len(mine) - assessed,
                "share_met": 100.0 * met / assessed if assessed else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))


# --- for people ----------------------------------------------------------------------------------------


def value_text(value: float | None, unit: str, lang: str, currency: str = DEFAULT_CURRENCY) -> str:
    """A KPI's value as people read it, in its unit (`kamlib.i18n.unit_text`); a dash when empty.

    >>> value_text(6.0, "%", "es"), value_text(1234567.0, "currency", "en"), value_text(None, "days", "en")
    ('6,0\\xa0%', '€1,234,567', '—')
    """
    if value is None or pd.isna(value):
        return SCORECARD_WORDS["none"][lang]
    return unit_text(float(value), unit, lang, currency)


def attainment_text(value: float | None, lang: str) -> str:
    """An attainment as a percentage to one decimal (`110,0 %`, `110.0%`); a dash when undefined."""
    if value is None or pd.isna(value):
        return SCORECARD_WORDS["none"][lang]
    return percent_text(float(value), lang, 1)


def perspective_label(perspective: object, lang: str) -> str:
    return (
        PERSPECTIVE_LABELS[perspective][lang]
        if perspective in PERSPECTIVES
        else SCORECARD_WORDS["no_perspective"][lang]
    )


def display_rows(card: Scorecard, lang: str) -> list[dict[str, object]]:
    """The card's KPIs and then its suggestions, each as the fields the table and the HTML show: values as text
    in the KPI's unit, attainment as a percentage."""
    rows = []
    for row in card.latest.itertuples(index=False):
        rows.append(
            {
                "perspective": row.perspective,
                "kpi": row.kpi,
                "period": row.period,
                "better_when": SCORECARD_WORDS["higher" if row.higher_is_better else "lower"][lang],
                "target": value_text(row.target, row.unit, lang, card.currency),
                "actual": value_text(row.actual, row.unit, lang, card.currency),
                "previous": value_text(row.previous, row.unit, lang, card.currency),
                "attainment": attainment_text(row.attainment, lang),
                "status": row.status,
                "trend": row.trend,
            }
        )
    blank = SCORECARD_WORDS["none"][lang]
    for row in card.suggested.itertuples(index=False):
        rows.append(
            {
                "perspective": row.perspective,
                "kpi": getattr(row, lang),
                "period": "",
                "better_when": "",
                "target": blank,
                "actual": blank,
                "previous": blank,
                "attainment": blank,
                "status": "to_define",
                "trend": None,
            }
        )
    order = np.argsort([_perspective_rank(r["perspective"]) for r in rows], kind="stable")
    return [rows[i] for i in order]


_SUMMARY = {
    "none": {
        "es": "Ninguna cuenta clave tiene indicadores aún; cada cuenta propone los de su estrategia.",
        "en": "No key account has KPIs yet; each account suggests those of its strategy.",
    },
    "some": {
        "es": "{n} de {total} cuentas controlan indicadores; en su último periodo se cumplen {met} de {assessed} "
        "indicadores medidos con objetivo ({share}).",
        "en": "{n} of {total} accounts track KPIs; in their latest period {met} of {assessed} measured KPIs with a "
        "target are met ({share}).",
    },
}


def scorecard_summary(
    engagement: Engagement, lang: str = "es", period: str | None = None, portfolio: pd.DataFrame | None = None
) -> str:
    """One sentence on the portfolio's scorecards, or what to add when no account has KPIs. `portfolio` is
    `portfolio_scorecard(engagement, period)` when the caller has it already."""
    check_lang(lang)
    frame = portfolio_scorecard(engagement, period) if portfolio is None else portfolio
    if frame.empty:
        return _SUMMARY["none"][lang]
    met = int(frame["met"].sum())
    assessed = int(frame[["met", "near", "missed"]].to_numpy().sum())
    share = SCORECARD_WORDS["none"][lang] if not assessed else percent_text(100 * met / assessed, lang, 0)
    return _SUMMARY["some"][lang].format(
        n=len(frame), total=len(engagement.accounts), met=met, assessed=assessed, share=share
    )


_PORTFOLIO_HEADERS = {
    "account_id": {"es": "Cuenta", "en": "Account"},
    "name": {"es": "Nombre", "en": "Name"},
    "period": {"es": "Periodo", "en": "Period"},
    "kpis": {"es": "Indicadores", "en": "KPIs"},
    "met": STATUS_LABELS["met"],
    "near": STATUS_LABELS["near"],
    "missed": STATUS_LABELS["missed"],
    "no_data": {"es": "Sin datos", "en": "No data"},
    "share_met": {"es": "Cumplidos (%)", "en": "Met (%)"},
}


def portfolio_scorecard_table(
    engagement: Engagement, lang: str = "es", period: str | None = None, portfolio: pd.DataFrame | None = None
) -> pd.DataFrame:
    """`portfolio_scorecard` for people: one row per account with KPIs, headers in `lang`, % to one decimal
    (`portfolio`: the frame, when the caller has it already)."""
    check_lang(lang)
    frame = (portfolio_scorecard(engagement, period) if portfolio is None else portfolio).copy()
    frame["share_met"] = [
        SCORECARD_WORDS["none"][lang] if pd.isna(v) else number_text(v, lang, 1) for v in frame["share_met"]
    ]
    frame = frame.rename(columns={c: _PORTFOLIO_HEADERS[c][lang] for c in frame.columns})
    return frame.set_index(_PORTFOLIO_HEADERS["account_id"][lang])


def scorecard_table(card: Scorecard, lang: str = "es") -> pd.DataFrame:
    """The card for people: one row per KPI (then the KPIs to define), grouped by perspective, texts in `lang`.

    Perspectives in the order financial, customer, internal, learning; headers, statuses and trends
    (▲ better, ▼ worse, ▬ flat) in `lang`; target, actual and previous as text in the KPI's unit (`6,0 %`,
    `1.100 €`, `12 días`), attainment as a percentage, as `lang` writes them; indexed by perspective and KPI.
    """
    check_lang(lang)
    rows = display_rows(card, lang)
    table = pd.DataFrame(
        {
            "perspective": [perspective_label(r["perspective"], lang) for r in rows],
            **{c: [r[c] for r in rows] for c in TABLE_COLUMNS[1:] if c not in ("status", "trend")},
            "status": [STATUS_LABELS[r["status"]][lang] for r in rows],
            "trend": [
                SCORECARD_WORDS["none"][lang] if r["trend"] is None else TREND_LABELS[r["trend"]][lang] for r in rows
            ],
        },
        columns=list(TABLE_COLUMNS),
    )
    table = table.rename(columns={c: SCORECARD_HEADERS[c][lang] for c in TABLE_COLUMNS})
    return table.set_index([SCORECARD_HEADERS["perspective"][lang], SCORECARD_HEADERS["kpi"][lang]])
