"""The sales ledger's picture of the accounts, for people: each account's metrics beside the portfolio's, the
distribution of every metric, and the whitespace (product families an account does not buy while others do).

These tables read the workbook's `ledger_metrics` and `whitespace` sheets (written by `kam ingest`), of one period:
the latest unless one is named. Notebook 05 shows the same tables straight from a `LedgerIngest` (nothing
written), through `ingest_frames`. Every text exists in Spanish and English; numbers use the language's
decimal mark.

Rules (ours): an account's rank on a metric counts from the best (1 = highest, or lowest for recency), among
the accounts with a value, ties sharing the better rank; "previous" is the account's value in the period
before, when the sheet has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.engagement import SAMPLE_LEDGER_PATH, Engagement, ledger_periods, load
from kamlib.i18n import check_lang, count_text, number_text, short_text, signed_text
from kamlib.ledger.mapping import LOWER_IS_BETTER, METRIC_LABELS, METRICS, LedgerMapping
from kamlib.ledger.scores import LedgerIngest, ingest_scores
from kamlib.workbook.segments import Segments

DECIMALS = {"volume": 0, "growth": 1, "margin": 1, "families": 0, "frequency": 1, "recency": 0, "share_of_wallet": 1}
"""How many decimals people see of each metric."""
STATUS_LABELS = {
    "active": {"es": "activa", "en": "active"},
    "new": {"es": "nueva", "en": "new"},
    "lost": {"es": "perdida", "en": "lost"},
    "inactive": {"es": "sin compras", "en": "inactive"},
}
WHITESPACE_NAMES = 5
"""How many account names a family's whitespace row lists (largest volume first)."""

_HEADERS = {
    "metric": {"es": "Métrica", "en": "Metric"},
    "value": {"es": "Valor", "en": "Value"},
    "median": {"es": "Mediana de las cuentas", "en": "Accounts' median"},
    "rank": {"es": "Puesto", "en": "Rank"},
    "previous": {"es": "Periodo anterior", "en": "Previous period"},
    "accounts": {"es": "Cuentas", "en": "Accounts"},
    "min": {"es": "Mínimo", "en": "Minimum"},
    "p25": {"es": "Cuartil 1", "en": "Quartile 1"},
    "p75": {"es": "Cuartil 3", "en": "Quartile 3"},
    "max": {"es": "Máximo", "en": "Maximum"},
    "family": {"es": "Familia", "en": "Family"},
    "missing": {"es": "Cuentas que no la compran", "en": "Accounts not buying it"},
    "missing_volume": {"es": "Su facturación (12 meses)", "en": "Their revenue (12 months)"},
    "buyer_share": {"es": "Clientes que la compran (%)", "en": "Customers buying it (%)"},
    "largest": {"es": "Las mayores que no la compran", "en": "Largest accounts not buying it"},
    "criterion": {"es": "Criterio", "en": "Criterion"},
    "account": {"es": "Cliente", "en": "Customer"},
    "status": {"es": "Situación", "en": "Standing"},
    "rule": {"es": "Regla", "en": "Rule"},
    "scale": {"es": "Escala", "en": "Scale"},
    "scored": {"es": "Clientes puntuados", "en": "Customers scored"},
    "scores": {"es": "Puntuaciones (mín. / mediana / máx.)", "en": "Scores (min / median / max)"},
}
NEW_CUSTOMER_RULES = {
    "median": {"es": "la mediana de los demás", "en": "the others' median"},
    "top": {"es": "lo más alto de la escala", "en": "the top of the scale"},
    "bottom": {"es": "lo más bajo de la escala", "en": "the bottom of the scale"},
    "none": {"es": "sin puntuación", "en": "not scored"},
}
LEDGER_WORDS = {
    "none": {
        "es": "Sin métricas del libro de ventas en este encargo.",
        "en": "No sales-ledger metrics in this engagement.",
    },
    "account_none": {
        "es": "El libro de ventas del periodo {period} no tiene a esta cuenta.",
        "en": "The sales ledger of period {period} does not have this account.",
    },
    "summary": {
        "es": "Libro de ventas, periodo {period} (12 meses hasta {as_of}): {accounts}, {volume} de facturación neta",
        "en": "Sales ledger, period {period} (12 months to {as_of}): {accounts}, {volume} net revenue",
    },
    "accounts": {"es": ("{n} cuenta", "{n} cuentas"), "en": ("{n} account", "{n} accounts")},
    "median_growth": {"es": "crecimiento mediano {value} %", "en": "median growth {value} %"},
    "median_margin": {"es": "margen mediano {value} %", "en": "median margin {value} %"},
    "no_families": {
        "es": "El libro de ventas no tiene familias de producto: no hay espacio en blanco que mostrar.",
        "en": "The ledger has no product families: there is no whitespace to show.",
    },
    "account_no_purchase": {
        "es": "No ha comprado en los últimos 12 meses.",
        "en": "Bought nothing in the last 12 months.",
    },
    "statuses": {"es": " Nuevas: {new}; perdidas: {lost}.", "en": " New: {new}; lost: {lost}."},
    "gap": {
        "es": " La familia que más cuentas no compran: {family} ({accounts}, que facturan {volume} en total en 12 "
        "meses).",
        "en": " The family most accounts do not buy: {family} ({accounts}, with {volume} revenue in total over 12 "
        "months).",
    },
    "no_gap": {"es": " Todas las cuentas compran todas las familias.", "en": " Every account buys every family."},
    "account_gap": {
        "es": "No compra {n} familias que otros clientes sí: {families}.",
        "en": "Does not buy {n} families that other customers do: {families}.",
    },
    "account_no_gap": {
        "es": "Compra todas las familias que compran los demás clientes.",
        "en": "Buys every family the other customers buy.",
    },
    "of": {"es": "{rank} de {n}", "en": "{rank} of {n}"},
    "title": {"es": "Libro de ventas", "en": "Sales ledger"},
    "more": {"es": "y {n} más", "en": "and {n} more"},
    "quantiles": {
        "es": "cuantiles: su puesto entre los {n} clientes con valor",
        "en": "quantiles: its rank among the {n} customers with a value",
    },
    "thresholds": {
        "es": "umbrales: {low} da {bottom}, {high} da {top}, lineal entre ambos",
        "en": "thresholds: {low} scores {bottom}, {high} scores {top}, linear in between",
    },
    "new_customers": {
        "es": "; clientes nuevos: {rule}",
        "en": "; new customers: {rule}",
    },
}


def metric_label(metric: str, lang: str, currency: str | None = None) -> str:
    """A metric's name for people, capitalised: "Gross margin (%)"; the volume with its currency when known."""
    english, spanish = METRIC_LABELS[metric]
    text = spanish if lang == "es" else english
    text = f"{text} ({currency})" if currency and metric == "volume" else text
    return text[:1].upper() + text[1:]


def _money(value: float, lang: str, currency: str | None) -> str:
    """An amount for people, with its currency when known: 1,920,880 EUR."""
    text = number_text(float(value), lang, 0)
    return f"{text} {currency}" if currency else text


def ledger_metrics_of(engagement: Engagement, period: str | None = None) -> pd.DataFrame:
    """The `ledger_metrics` rows of one period (default: the latest) with each account's name; `.attrs` has the
    period, its as-of date and the metrics of the period before (`previous`, empty when there is none)."""
    periods = ledger_periods(engagement)
    frame = engagement.ledger_metrics.assign(period=engagement.ledger_metrics["period"].astype(str))
    period = str(period) if period is not None else (periods[-1] if periods else None)
    rows = frame[frame["period"] == period].drop_duplicates("account_id", keep="last")
    names = engagement.accounts.set_index("account_id")["name"]
    rows = rows.assign(name=rows["account_id"].map(names)).reset_index(drop=True)
    before = periods[periods.index(period) - 1] if period in periods and periods.index(period) > 0 else None
    previous = frame[frame["period"] == before].drop_duplicates("account_id", keep="last")
    currencies = rows["currency"].dropna().astype(str).unique() if "currency" in rows else []
    rows.attrs.update(
        period=period,
        as_of=str(rows["as_of"].iloc[-1]) if len(rows) else None,
        previous=previous.set_index("account_id"),
        currency=currencies[0] if len(currencies) == 1 else None,
    )
    return rows


def whitespace_of(engagement: Engagement, period: str) -> pd.DataFrame:
    """The `whitespace` rows of `period`, each with the account's name."""
    frame = engagement.whitespace
    rows = frame[frame["period"].astype(str) == str(period)]
    names = engagement.accounts.set_index("account_id")["name"]
    return rows.assign(name=rows["account_id"].map(names)).reset_index(drop=True)


def ledger_of(engagement: Engagement, period: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The workbook's ledger metrics and whitespace of one period (default: the latest), as these tables read them."""
    metrics = ledger_metrics_of(engagement, period)
    return metrics, whitespace_of(engagement, metrics.attrs["period"])


def ingest_frames(result: LedgerIngest, names: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A `LedgerIngest`'s metrics and whitespace as these tables read them (account_id, name, the metrics; every
    customer, not only accounts): for notebook 05, before anything is written."""
    metrics = result.metrics.rename(columns={"customer": "account_id"})
    if "name" not in metrics:
        metrics = metrics.assign(name=metrics["account_id"])
    if names is not None:
        metrics = metrics.assign(name=metrics["account_id"].map(names).fillna(metrics["name"]))
    metrics = metrics.assign(period=result.period, as_of=result.as_of.date().isoformat())
    metrics.attrs.update(
        period=result.period, as_of=result.as_of.date().isoformat(), previous=pd.DataFrame(), currency=result.currency
    )
    space = result.whitespace.rename(columns={"customer": "account_id"})
    space = space.assign(name=space["account_id"].map(metrics.set_index("account_id")["name"]), period=result.period)
    return metrics.reset_index(drop=True), space


@dataclass(frozen=True)
class LedgerPreview:
    """What `kam ingest` would do, nothing written: the engagement, the ingest, and its metrics and whitespace
    as these tables read them (every customer, with its name)."""

    engagement: Engagement
    result: LedgerIngest
    metrics: pd.DataFrame
    space: pd.DataFrame

    @property
    def names(self) -> pd.Series:
        """Each customer's name by id."""
        return self.metrics.set_index("account_id")["name"]

    def score_rules(self, lang: str = "es") -> pd.DataFrame:
        """`score_rules` of this ingest."""
        return score_rules(
            self.result.detail, self.result.mapping, self.engagement.criteria, lang, self.engagement.segments
        )


def preview_ingest(
    workbook: Path | str | None = None,
    ledger: Path | str | None = None,
    mapping: Path | str | None = None,
    wallet: Path | str | None = None,
    period: str | None = None,
    query: str | None = None,
) -> LedgerPreview:
    """Read a ledger against a workbook as `kam ingest` would, writing nothing (notebook 05). Without `ledger`,
    the sample ledger (`kamlib.engagement.SAMPLE_LEDGER_PATH`) with its own mapping and wallet estimate."""
    if ledger is None:
        ledger, mapping, wallet = (SAMPLE_LEDGER_PATH / name for name in ("ventas.csv", "ventas.yaml", "wallet.csv"))
    engagement = load(workbook)
    result = ingest_scores(ledger, mapping, engagement, period, query, wallet=wallet)
    metrics, space = ingest_frames(result, engagement.accounts.set_index("account_id")["name"])
    return LedgerPreview(engagement, result, metrics, space)


def _present(metrics: pd.DataFrame) -> list[str]:
    """The metrics with at least one value (share of wallet needs an estimate, margin a cost column …)."""
    return [m for m in METRICS if m in metrics and metrics[m].notna().any()]


def _value_text(metric: str, value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if metric == "growth":
        return signed_text(float(value), lang, DECIMALS[metric])
    return number_text(float(value), lang, DECIMALS[metric])


def ranks(metrics: pd.DataFrame, metric: str) -> pd.Series:
    """Each account's rank on a metric, 1 = best (highest; lowest for recency), ties sharing the better rank;
    missing values have none."""
    return metrics[metric].rank(method="min", ascending=metric in LOWER_IS_BETTER)


def metrics_table(metrics: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """Every row of `metrics` for people, the largest revenue first: name, standing and each metric in `lang`."""
    check_lang(lang)
    rows = metrics.sort_values(["volume", "account_id"], ascending=[False, True], kind="stable")
    present = _present(metrics)
    table = pd.DataFrame(
        {
            _HEADERS["account"][lang]: rows["name"].fillna(rows["account_id"]).astype(str).to_numpy(),
            _HEADERS["status"][lang]: [STATUS_LABELS[str(s)][lang] for s in rows["status"]],
            **{
                metric_label(m, lang, metrics.attrs.get("currency")): [_value_text(m, v, lang) for v in rows[m]]
                for m in present
            },
        }
    )
    return table.set_index(_HEADERS["account"][lang])


def distribution(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per metric with values: how many accounts, minimum, quartiles, median and maximum (numbers)."""
    rows = []
    for metric in _present(metrics):
        values = metrics[metric].dropna().to_numpy(dtype=np.float64)
        low, p25, median, p75, high = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0])
        rows.append(
            {"metric": metric, "accounts": len(values), "min": low, "p25": p25, "median": median, "p75": p75}
            | {"max": high}
        )
    return pd.DataFrame(rows, columns=["metric", "accounts", "min", "p25", "median", "p75", "max"])


def distribution_table(metrics: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """`distribution` for people: one row per metric, its name and numbers in `lang`."""
    check_lang(lang)
    table = distribution(metrics)
    for column in ("min", "p25", "median", "p75", "max"):
        table[column] = [_value_text(m, v, lang) for m, v in zip(table["metric"], table[column], strict=True)]
    table["metric"] = [metric_label(m, lang, metrics.attrs.get("currency")) for m in table["metric"]]
    table = table.rename(columns={c: _HEADERS[c][lang] for c in table.columns})
    return table.set_index(_HEADERS["metric"][lang])


def account_metrics(metrics: pd.DataFrame, account_id: str, lang: str = "es") -> pd.DataFrame:
    """One account's metrics for people: value, the accounts' median, its rank among them, and its value in the
    period before (a column only when the sheet has a period before; a dash where the account was not in it).
    Empty when the period has no row for the account."""
    check_lang(lang)
    columns = [_HEADERS[c][lang] for c in ("metric", "value", "median", "rank", "previous")]
    hit = metrics.index[metrics["account_id"].astype(str) == str(account_id)]
    if not len(hit):
        return pd.DataFrame(columns=columns).set_index(columns[0])
    row = hit[0]
    previous = metrics.attrs.get("previous", pd.DataFrame())
    before = previous.loc[str(account_id)] if str(account_id) in previous.index else None
    rows = []
    for metric in _present(metrics):
        rank = ranks(metrics, metric)[row]
        count = int(metrics[metric].notna().sum())
        rows.append(
            [
                metric_label(metric, lang, metrics.attrs.get("currency")),
                _value_text(metric, metrics.at[row, metric], lang),
                _value_text(metric, metrics[metric].median(), lang),
                "–" if pd.isna(rank) else LEDGER_WORDS["of"][lang].format(rank=int(rank), n=count),
                "–" if before is None else _value_text(metric, before.get(metric), lang),
            ]
        )
    table = pd.DataFrame(rows, columns=columns)
    if previous.empty:  # no period before this one
        table = table.drop(columns=columns[-1])
    return table.set_index(columns[0])


def account_status(metrics: pd.DataFrame, account_id: str, lang: str = "es") -> str:
    """One line on an account in the ledger: its standing (active, new, lost) and the period, or that the
    period does not have it."""
    check_lang(lang)
    row = metrics[metrics["account_id"].astype(str) == str(account_id)]
    period = metrics.attrs.get("period")
    if row.empty:
        return LEDGER_WORDS["account_none"][lang].format(period=period)
    status = STATUS_LABELS[str(row["status"].iloc[0])][lang]
    as_of = metrics.attrs.get("as_of")
    if lang == "es":
        return f"Libro de ventas, periodo {period} (12 meses hasta {as_of}): cuenta {status}."
    return f"Sales ledger, period {period} (12 months to {as_of}): {status} account."


def family_gaps(metrics: pd.DataFrame, space: pd.DataFrame) -> pd.DataFrame:
    """Per family some accounts do not buy: how many, their last-12-months revenue together, the share of
    customers buying it, and the accounts' names (largest revenue first). Most accounts missing it first."""
    columns = ["family", "missing", "missing_volume", "buyer_share", "accounts"]
    if space.empty:
        return pd.DataFrame(columns=columns)
    volume = metrics.set_index("account_id")["volume"]
    rows = space.assign(volume=space["account_id"].map(volume).fillna(0.0))
    rows = rows.sort_values(["family", "volume"], ascending=[True, False], kind="stable")
    grouped = rows.groupby("family", sort=False)
    out = pd.DataFrame(
        {
            "missing": grouped["account_id"].size(),
            "missing_volume": grouped["volume"].sum(),
            "buyer_share": grouped["buyer_share"].max(),
            "accounts": grouped["name"].agg(lambda names: [str(n) for n in names]),
        }
    ).reset_index()
    out = out.sort_values(["missing", "missing_volume", "family"], ascending=[False, False, True], kind="stable")
    out = out[columns].reset_index(drop=True)
    out.attrs["currency"] = metrics.attrs.get("currency")
    return out


def family_gap_table(gaps: pd.DataFrame, lang: str = "es", names: int = WHITESPACE_NAMES) -> pd.DataFrame:
    """`family_gaps` for people: counts, revenue, share and up to `names` account names per family."""
    check_lang(lang)
    table = gaps.copy()
    table["missing_volume"] = [_money(v, lang, gaps.attrs.get("currency")) for v in table["missing_volume"]]
    table["buyer_share"] = [_share_text(v, lang) for v in table["buyer_share"]]
    table["accounts"] = [_names_text(n, names, lang) for n in table["accounts"]]
    table = table.rename(
        columns={**{c: _HEADERS[c][lang] for c in table.columns}, "accounts": _HEADERS["largest"][lang]}
    )
    return table.set_index(_HEADERS["family"][lang])


def _share_text(value: object, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else short_text(float(value), lang, 1)


def _names_text(names: list[str], shown: int, lang: str) -> str:
    text = ", ".join(names[:shown])
    return f"{text} {LEDGER_WORDS['more'][lang].format(n=len(names) - shown)}" if len(names) > shown else text


def account_whitespace(space: pd.DataFrame, account_id: str, lang: str = "es") -> pd.DataFrame:
    """The families one account does not buy, the most bought by other customers first, with their share."""
    check_lang(lang)
    rows = space[space["account_id"].astype(str) == str(account_id)]
    rows = rows.sort_values(["buyer_share", "family"], ascending=[False, True], kind="stable")
    table = pd.DataFrame(
        {
            _HEADERS["family"][lang]: rows["family"].astype(str).to_numpy(),
            _HEADERS["buyer_share"][lang]: [_share_text(v, lang) for v in rows["buyer_share"]],
        }
    )
    return table.set_index(_HEADERS["family"][lang])


def account_whitespace_summary(
    metrics: pd.DataFrame, space: pd.DataFrame, account_id: str, lang: str = "es", names: int = 6
) -> str:
    """One sentence: how many families the account does not buy, the most bought by others first; or that
    it bought nothing in the last 12 months, or that the ledger has no product families."""
    check_lang(lang)
    rows = space[space["account_id"].astype(str) == str(account_id)]
    if rows.empty:
        if not has_families(metrics):
            return LEDGER_WORDS["no_families"][lang]
        row = metrics[metrics["account_id"].astype(str) == str(account_id)]
        if row.empty or not row["families"].fillna(0).gt(0).iloc[0]:
            return LEDGER_WORDS["account_no_purchase"][lang]
        return LEDGER_WORDS["account_no_gap"][lang]
    families = rows.sort_values(["buyer_share", "family"], ascending=[False, True], kind="stable")["family"]
    return LEDGER_WORDS["account_gap"][lang].format(
        n=len(rows), families=_names_text(families.astype(str).tolist(), names, lang)
    )


def _other_scales(
    segments: Segments | None, criteria: pd.DataFrame, criterion: str, scale: tuple[float, float], lang: str
) -> str:
    """The segments that score `criterion` on another scale than `scale`, with theirs: "; Horeca 1–5"."""
    if segments is None or segments.count == 1:
        return ""
    column = criteria["criterion_id"].astype(str).tolist().index(criterion)
    other = [
        f"{segments.names[g]} {short_text(segments.scale_min[g, column], lang, 2)}–"
        f"{short_text(segments.scale_max[g, column], lang, 2)}"
        for g in range(1, segments.count)
        if segments.applies[g, column] and (segments.scale_min[g, column], segments.scale_max[g, column]) != scale
    ]
    return "".join(f"; {text}" for text in other)


def score_rules(
    detail: pd.DataFrame,
    mapping: LedgerMapping,
    criteria: pd.DataFrame,
    lang: str = "es",
    segments: Segments | None = None,
) -> pd.DataFrame:
    """How each metric became its criterion's scores (`LedgerIngest.detail` and `.mapping`): the rule in words
    (for thresholds, the score each end is written as), the scale, how many customers were scored and the
    scores' minimum, median and maximum. With criteria per segment (`segments`), the scale names each segment
    that scores the criterion on another one (its accounts' scores are on it)."""
    check_lang(lang)
    scale = criteria.assign(criterion_id=criteria["criterion_id"].astype(str)).set_index("criterion_id")
    rows = []
    for metric, criterion in mapping.scored().items():
        scores = detail.loc[detail["metric"] == metric, "score"].to_numpy(dtype=np.float64)
        low, high = float(scale.at[criterion, "scale_min"]), float(scale.at[criterion, "scale_max"])
        rule = mapping.rules.get(metric)
        up = metric not in LOWER_IS_BETTER if rule is None or rule.higher_is_better is None else rule.higher_is_better
        criterion_up = bool(scale.at[criterion, "higher_is_better"]) if "higher_is_better" in scale else True
        ends = {"bottom": short_text(low, lang, 2), "top": short_text(high, lang, 2)}
        if up != criterion_up:  # the score written: reversed once for the metric, once for the criterion
            ends = {"bottom": ends["top"], "top": ends["bottom"]}
        if rule is not None and rule.rule == "thresholds":
            text = LEDGER_WORDS["thresholds"][lang].format(
                low=short_text(rule.low, lang, 2), high=short_text(rule.high, lang, 2), **ends
            )
        else:
            text = LEDGER_WORDS["quantiles"][lang].format(n=len(scores))
        if metric == "growth":
            text += LEDGER_WORDS["new_customers"][lang].format(rule=NEW_CUSTOMER_RULES[mapping.new_customers][lang])
        spread = (
            " / ".join(short_text(float(v), lang, 2) for v in np.quantile(scores, [0.0, 0.5, 1.0]))
            if len(scores)
            else "–"
        )
        label = scale.at[criterion, f"label_{lang}"] if f"label_{lang}" in scale else criterion
        rows.append(
            {
                "metric": metric_label(metric, lang),
                "criterion": f"{label} ({criterion})",
                "rule": text,
                "scale": f"{short_text(low, lang, 2)}–{short_text(high, lang, 2)}"
                + _other_scales(segments, criteria, criterion, (low, high), lang),
                "scored": len(scores),
                "scores": spread,
            }
        )
    table = pd.DataFrame(rows, columns=["metric", "criterion", "rule", "scale", "scored", "scores"])
    table = table.rename(columns={c: _HEADERS[c][lang] for c in table.columns})
    return table.set_index(_HEADERS["metric"][lang])


def has_families(metrics: pd.DataFrame) -> bool:
    """Whether the ledger had a product family column (the families bought are then counted)."""
    return "families" in metrics and bool(metrics["families"].notna().any())


def ledger_summary(metrics: pd.DataFrame, space: pd.DataFrame, lang: str = "es") -> str:
    """A few sentences on the ledger's period: accounts, revenue, median growth and margin, new and lost
    accounts, and the family most accounts do not buy; or that there is none."""
    check_lang(lang)
    if metrics.empty:
        return LEDGER_WORDS["none"][lang]
    text = LEDGER_WORDS["summary"][lang].format(
        period=metrics.attrs.get("period"),
        as_of=metrics.attrs.get("as_of"),
        accounts=count_text(LEDGER_WORDS["accounts"][lang], len(metrics), lang),
        volume=_money(metrics["volume"].sum(), lang, metrics.attrs.get("currency")),
    )
    medians = [
        LEDGER_WORDS[f"median_{m}"][lang].format(value=_value_text(m, metrics[m].median(), lang))
        for m in ("growth", "margin")
        if m in metrics and metrics[m].notna().any()
    ]
    text += ("; " + ", ".join(medians) if medians else "") + "."
    statuses = metrics["status"].astype(str).value_counts()
    text += LEDGER_WORDS["statuses"][lang].format(new=int(statuses.get("new", 0)), lost=int(statuses.get("lost", 0)))
    if not has_families(metrics):
        return text + " " + LEDGER_WORDS["no_families"][lang]
    gaps = family_gaps(metrics, space)
    if gaps.empty:
        return text + LEDGER_WORDS["no_gap"][lang]
    top = gaps.iloc[0]
    volume = _money(top["missing_volume"], lang, metrics.attrs.get("currency"))
    accounts = count_text(LEDGER_WORDS["accounts"][lang], int(top["missing"]), lang)
    return text + LEDGER_WORDS["gap"][lang].format(family=top["family"], accounts=accounts, volume=volume)


__all__ = [
    "DECIMALS",
    "LEDGER_WORDS",
    "STATUS_LABELS",
    "LedgerPreview",
    "account_metrics",
    "account_status",
    "account_whitespace",
    "account_whitespace_summary",
    "distribution",
    "distribution_table",
    "family_gap_table",
    "family_gaps",
    "has_families",
    "ingest_frames",
    "ledger_metrics_of",
    "ledger_of",
    "ledger_summary",
    "metric_label",
    "metrics_table",
    "preview_ingest",
    "ranks",
    "score_rules",
    "whitespace_of",
]
