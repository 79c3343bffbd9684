"""The sales ledger's charts: how each metric spreads over the accounts, and which families they do not buy.

`distribution_chart`: a panel per metric (own scale), each account a tick at its value, the median a dashed
rule, the middle half of the accounts a shaded band; with `highlight`, that account is a large vermilion
dot named beside it (the account report). `whitespace_chart`: the largest accounts (rows, by the last 12
months' revenue) against the families some account does not buy (columns, the most missed first): a cell is
filled where the account buys the family, outlined in vermilion where it does not — the whitespace. Names
are data written as text, never markup; every text exists in Spanish and English.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.i18n import check_lang
from kamlib.ledger.tables import DECIMALS, family_gaps, has_families, metric_label

TICK_LAYER = "ledger_accounts"
MEDIAN_LAYER = "ledger_median"
BAND_LAYER = "ledger_middle_half"
HIGHLIGHT_LAYER = "ledger_chosen_account"
HIGHLIGHT_LABEL_LAYER = "ledger_chosen_name"
SCORE_LAYER = "ledger_scores"
BOUGHT_LAYER = "families_bought"
GAP_LAYER = "families_not_bought"
EMPTY_LAYER = "no_ledger"

TICK_COLOUR = "#0072B2"
HIGHLIGHT_COLOUR = "#D55E00"
BOUGHT_COLOUR = "#56B4E9"
GAP_COLOUR = "#D55E00"
PANEL_WIDTH = 520
PANEL_HEIGHT = 46
MAX_ACCOUNTS = 30
"""The whitespace chart shows at most this many accounts (the largest) …"""
MAX_FAMILIES = 30
"""… and this many families (the most missed)."""
CELL_PX = 22

TEXTS = {
    "distribution": {"es": "Libro de ventas: las métricas de las cuentas", "en": "Sales ledger: the accounts' metrics"},
    "distribution_sub": {
        "es": "Periodo {period}, 12 meses hasta {as_of}; cada raya una cuenta, la discontinua la mediana, la banda "
        "la mitad central",
        "en": "Period {period}, 12 months to {as_of}; each tick an account, the dashed rule the median, the band the "
        "middle half",
    },
    "whitespace": {"es": "Espacio en blanco: familias que no compran", "en": "Whitespace: families not bought"},
    "whitespace_sub": {
        "es": "Relleno: la compra; borde rojo: no la compra. {accounts}",
        "en": "Filled: bought; red outline: not bought. {accounts}",
    },
    "all_accounts": {"es": "Las {n} cuentas que compran.", "en": "The {n} accounts buying."},
    "some_accounts": {
        "es": "Las {n} mayores de {total} cuentas que compran.",
        "en": "The largest {n} of {total} accounts buying.",
    },
    "some_families": {
        "es": " Las {n} familias más ausentes de {total}.",
        "en": " The {n} most missed of {total} families.",
    },
    "account": {"es": "Cuenta", "en": "Account"},
    "family": {"es": "Familia", "en": "Family"},
    "value": {"es": "Valor", "en": "Value"},
    "median": {"es": "Mediana", "en": "Median"},
    "buys": {"es": "Compra", "en": "Buys"},
    "yes": {"es": "sí", "en": "yes"},
    "no": {"es": "no", "en": "no"},
    "buyer_share": {"es": "Clientes que la compran (%)", "en": "Customers buying it (%)"},
    "volume": {"es": "Facturación 12 meses", "en": "Revenue, 12 months"},
    "none": {
        "es": "Sin métricas del libro de ventas",
        "en": "No sales-ledger metrics",
    },
    "no_gap": {"es": "Todas las cuentas compran todas las familias", "en": "Every account buys every family"},
    "no_families": {
        "es": "El libro de ventas no tiene familias de producto",
        "en": "The ledger has no product families",
    },
    "scores": {"es": "De la métrica a la puntuación", "en": "From metric to score"},
    "scores_sub": {
        "es": "Cada punto un cliente: su valor en la métrica y la puntuación que recibe en el criterio",
        "en": "Each dot a customer: its value on the metric and the score it gets on the criterion",
    },
    "score": {"es": "Puntuación", "en": "Score"},
    "customer": {"es": "Cliente", "en": "Customer"},
    "no_scores": {"es": "Ninguna métrica puntuada", "en": "No metric scored"},
}


def _titled(title: str, subtitle: str, lang: str) -> dict[str, object]:
    """A chart's title and usermeta, to give a composed chart when it is made (each later `properties` call
    copies every panel)."""
    return {
        "title": alt.TitleParams(title, subtitle=subtitle),
        "usermeta": {"embedOptions": theme.locale_options(lang), "lang": lang},
    }


def _finish(chart: alt.TopLevelMixin, title: str, subtitle: str, lang: str) -> alt.TopLevelMixin:
    return theme.apply_theme(chart.properties(**_titled(title, subtitle, lang)))


def _message(text: str, title: str, lang: str) -> alt.LayerChart:
    frame = pd.DataFrame({"text": [text]})
    chart = alt.Chart(frame, name=EMPTY_LAYER).mark_text(fontSize=16, color=theme.MUTED_COLOUR).encode(text="text:N")
    return _finish(alt.layer(chart).properties(width=PANEL_WIDTH, height=60), title, "", lang)


def distribution_chart(metrics: pd.DataFrame, lang: str = "es", highlight: str | None = None) -> alt.TopLevelMixin:
    """Each metric's spread over the accounts (`kamlib.ledger.tables.ledger_metrics_of` or `ingest_frames`), one panel
    per metric with values; `highlight` marks one account."""
    check_lang(lang)
    title = TEXTS["distribution"][lang]
    present = [m for m in DECIMALS if m in metrics and metrics[m].notna().any()]
    if metrics.empty or not present:
        return _message(TEXTS["none"][lang], title, lang)
    panels = [_metric_panel(metrics, metric, lang, highlight) for metric in present]
    subtitle = TEXTS["distribution_sub"][lang].format(
        period=metrics.attrs.get("period"), as_of=metrics.attrs.get("as_of")
    )
    return theme.apply_theme(alt.vconcat(*panels, spacing=14, **_titled(title, subtitle, lang)))


def _metric_panel(metrics: pd.DataFrame, metric: str, lang: str, highlight: str | None) -> alt.LayerChart:
    rows = metrics[metrics[metric].notna()]
    values = rows[metric].to_numpy(dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * 0.04 or max(abs(high) * 0.04, 1.0)
    scale = alt.Scale(domain=[low - pad, high + pad], nice=False, zero=False)
    fmt = f",.{DECIMALS[metric]}f"
    label = metric_label(metric, lang, metrics.attrs.get("currency"))
    ticks = pd.DataFrame(
        {
            "account": rows["name"].fillna(rows["account_id"]).astype(str).to_numpy(),
            "value": values,
        }
    )
    p25, median, p75 = np.quantile(values, [0.25, 0.5, 0.75])
    summary = pd.DataFrame({"p25": [p25], "median": [median], "p75": [p75]})
    x = alt.X("value:Q", title=label, scale=scale, axis=alt.Axis(format=fmt, tickCount=6))
    layers = [
        alt.Chart(summary, name=BAND_LAYER)
        .mark_rect(color=TICK_COLOUR, opacity=0.10)
        .encode(x=alt.X("p25:Q", scale=scale, title=label), x2="p75:Q"),
        alt.Chart(ticks, name=TICK_LAYER)
        .mark_tick(color=TICK_COLOUR, opacity=0.7, thickness=2, size=PANEL_HEIGHT * 0.6)
        .encode(
            x=x,
            tooltip=[
                alt.Tooltip("account:N", title=TEXTS["account"][lang]),
                alt.Tooltip("value:Q", title=label, format=fmt),
            ],
        ),
        alt.Chart(summary, name=MEDIAN_LAYER)
        .mark_rule(color=theme.CUT_LINE_COLOUR, strokeDash=[6, 4], strokeWidth=2)
        .encode(
            x=alt.X("median:Q", scale=scale, title=label),
            tooltip=[alt.Tooltip("median:Q", title=TEXTS["median"][lang], format=fmt)],
        ),
    ]
    chosen = rows[rows["account_id"].astype(str) == str(highlight)] if highlight is not None else rows.iloc[:0]
    if len(chosen):
        point = pd.DataFrame(
            {
                "account": chosen["name"].fillna(chosen["account_id"]).astype(str).to_numpy()[:1],
                "value": chosen[metric].to_numpy(dtype=np.float64)[:1],
            }
        )
        right = float(point["value"].iloc[0]) > (low + high) / 2
        layers += [
            alt.Chart(point, name=HIGHLIGHT_LAYER)
            .mark_point(filled=True, size=180, color=HIGHLIGHT_COLOUR, opacity=1)
            .encode(x=x, tooltip=[alt.Tooltip("account:N"), alt.Tooltip("value:Q", title=label, format=fmt)]),
            alt.Chart(point, name=HIGHLIGHT_LABEL_LAYER)
            .mark_text(
                align="right" if right else "left",
                dx=-10 if right else 10,
                dy=-12,
                fontSize=theme.NAME_LABEL_SIZE,
                fontWeight="bold",
                color="#A04500",
            )
            .encode(x=x, text="account:N"),
        ]
    return alt.layer(*layers, width=PANEL_WIDTH, height=PANEL_HEIGHT)


def score_mapping_chart(detail: pd.DataFrame, lang: str = "es", names: pd.Series | None = None) -> alt.TopLevelMixin:
    """A panel per scored metric (`LedgerIngest.detail`): each customer's value across, its score up, so that
    the rule the mapping picked (quantiles or thresholds) shows as the shape of the dots. `names` maps
    customer ids to names for the tooltips."""
    check_lang(lang)
    title = TEXTS["scores"][lang]
    if detail.empty:
        return _message(TEXTS["no_scores"][lang], title, lang)
    panels = []
    for number, (metric, rows) in enumerate(detail.groupby("metric", sort=False)):
        customers = rows["customer"].astype(str)
        frame = pd.DataFrame(
            {
                "customer": customers.map(names).fillna(customers) if names is not None else customers,
                "value": rows["value"].to_numpy(dtype=np.float64),
                "score": rows["score"].to_numpy(dtype=np.float64),
            }
        )
        label = metric_label(str(metric), lang)
        fmt = f",.{DECIMALS.get(str(metric), 1)}f"
        criterion = str(rows["criterion_id"].iloc[0])
        panels.append(
            alt.Chart(frame, name=f"{SCORE_LAYER}_{number}")  # one name per panel, or Vega's scales clash
            .mark_circle(size=60, color=TICK_COLOUR, opacity=0.7)
            .encode(
                x=alt.X("value:Q", title=label, scale=alt.Scale(zero=False), axis=alt.Axis(format=fmt)),
                y=alt.Y("score:Q", title=f"{TEXTS['score'][lang]}: {criterion}", scale=alt.Scale(zero=False)),
                tooltip=[
                    alt.Tooltip("customer:N", title=TEXTS["customer"][lang]),
                    alt.Tooltip("value:Q", title=label, format=fmt),
                    alt.Tooltip("score:Q", title=TEXTS["score"][lang], format=",.2f"),
                ],
            )
            .properties(width=260, height=200)
        )
    rows_of_two = [alt.hconcat(*panels[i : i + 2], spacing=40) for i in range(0, len(panels), 2)]
    return theme.apply_theme(alt.vconcat(*rows_of_two, spacing=24, **_titled(title, TEXTS["scores_sub"][lang], lang)))


def whitespace_chart(
    metrics: pd.DataFrame,
    space: pd.DataFrame,
    lang: str = "es",
    accounts: int = MAX_ACCOUNTS,
    families: int = MAX_FAMILIES,
) -> alt.TopLevelMixin:
    """The largest accounts against the families some account does not buy: bought (filled) or whitespace."""
    check_lang(lang)
    title = TEXTS["whitespace"][lang]
    if metrics.empty:
        return _message(TEXTS["none"][lang], title, lang)
    if not has_families(metrics):
        return _message(TEXTS["no_families"][lang], title, lang)
    gaps = family_gaps(metrics, space)
    if gaps.empty:
        return _message(TEXTS["no_gap"][lang], title, lang)
    listed = set(space["account_id"].astype(str))
    buying = metrics[(metrics["families"].fillna(0) > 0) | metrics["account_id"].astype(str).isin(listed)]
    rows = buying.sort_values(["volume", "account_id"], ascending=[False, True], kind="stable").head(accounts)
    columns = gaps.head(families)
    missing = set(zip(space["account_id"].astype(str), space["family"].astype(str), strict=True))
    share = dict(zip(columns["family"].astype(str), columns["buyer_share"], strict=True))
    names = rows["name"].fillna(rows["account_id"]).astype(str).tolist()
    ids = rows["account_id"].astype(str).tolist()
    volumes = rows["volume"].to_numpy(dtype=np.float64)
    cells = pd.DataFrame(
        [
            {
                "account": name,
                "family": family,
                "bought": (account, family) not in missing,
                "buys": TEXTS["yes" if (account, family) not in missing else "no"][lang],
                "buyer_share": share[family],
                "volume": volume,
            }
            for account, name, volume in zip(ids, names, volumes, strict=True)
            for family in columns["family"].astype(str)
        ]
    )
    y = alt.Y("account:N", sort=names, title=TEXTS["account"][lang], axis=alt.Axis(labelLimit=260))
    x = alt.X(
        "family:N",
        sort=columns["family"].astype(str).tolist(),
        title=TEXTS["family"][lang],
        axis=alt.Axis(orient="top", labelAngle=-45, labelLimit=160),
    )
    tooltip = [
        alt.Tooltip("account:N", title=TEXTS["account"][lang]),
        alt.Tooltip("family:N", title=TEXTS["family"][lang]),
        alt.Tooltip("buys:N", title=TEXTS["buys"][lang]),
        alt.Tooltip("buyer_share:Q", title=TEXTS["buyer_share"][lang], format=",.1f"),
        alt.Tooltip("volume:Q", title=TEXTS["volume"][lang], format=",.0f"),
    ]
    base = alt.Chart(cells).encode(x=x, y=y, tooltip=tooltip)
    bought = base.transform_filter("datum.bought").mark_square(size=CELL_PX**2 * 0.7, color=BOUGHT_COLOUR)
    gap = base.transform_filter("!datum.bought").mark_square(
        size=CELL_PX**2 * 0.5, filled=False, color=GAP_COLOUR, strokeWidth=2.5
    )
    chart = alt.layer(bought.properties(name=BOUGHT_LAYER), gap.properties(name=GAP_LAYER)).properties(
        width=max(len(columns), 3) * CELL_PX * 1.5, height=len(rows) * CELL_PX
    )
    shown = (
        TEXTS["all_accounts"][lang].format(n=len(rows))
        if len(rows) == len(buying)
        else TEXTS["some_accounts"][lang].format(n=len(rows), total=len(buying))
    )
    if len(columns) < len(gaps):
        shown += TEXTS["some_families"][lang].format(n=len(columns), total=len(gaps))
    subtitle = TEXTS["whitespace_sub"][lang].format(accounts=shown)
    return _finish(chart, title, subtitle, lang)


__all__ = ["distribution_chart", "score_mapping_chart", "whitespace_chart"]
