"""The whale curve (`kamlib.plan.cost`): the accounts ranked from the most profitable after the cost to serve to the
least, and how much of the total profit they earn together.

x is the cumulative share of the accounts (%), y the cumulative profit as a share of the total (%): the line
climbs while the accounts earn more than they cost and falls back to 100 % as the unprofitable ones give profit
back (Kaplan and Narayanan, 2001). Each account is a point in its strategy's colour; the dashed rule is the total
profit (100 %), the ringed point the curve's peak, labelled. When the accounts lose money in total, a share of it
means nothing: y is then the cumulative profit itself and the rule is zero. Amounts and shares in the tooltip are
written by `kamlib.i18n`; names are data written as text, never markup; every text exists in Spanish and English.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from kamlib.charts import theme
from kamlib.method import QUADRANTS, STRATEGY_NAMES, strategy_text
from kamlib.plan.cost import CostToServe, share_text

LINE_LAYER = "whale_line"
POINT_LAYER = "whale_accounts"
RULE_LAYER = "whale_total"
PEAK_LAYER = "whale_peak"
PEAK_LABEL_LAYER = "whale_peak_label"
EMPTY_LAYER = "whale_empty"

LINE_COLOUR = "#52606D"
UNPLACED_COLOUR = "#9AA5B1"
CHART_HEIGHT = 460
MANY_ACCOUNTS = 40
"""Above this many accounts the points are drawn smaller, so that the line stays readable."""

TEXTS = {
    "title": {
        "es": "Curva de la ballena: beneficio tras el coste de servir",
        "en": "Whale curve: profit after cost to serve",
    },
    "subtitle": {
        "es": "Cuentas de la más a la menos rentable; 100 % = el beneficio total, {total}",
        "en": "Accounts from the most profitable to the least; 100% = the total profit, {total}",
    },
    "subtitle_loss": {
        "es": "Cuentas de la más a la menos rentable; en total pierden {total}: beneficio acumulado en importe",
        "en": "Accounts from the most profitable to the least; in total they lose {total}: cumulative profit as an "
        "amount",
    },
    "x": {
        "es": "Cuentas (% acumulado, la más rentable primero)",
        "en": "Accounts (cumulative %, most profitable first)",
    },
    "y": {"es": "Beneficio acumulado (% del total)", "en": "Cumulative profit (% of the total)"},
    "y_money": {"es": "Beneficio acumulado ({currency})", "en": "Cumulative profit ({currency})"},
    "account": {"es": "Cuenta", "en": "Account"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "profit": {"es": "Beneficio tras el coste de servir", "en": "Profit after cost to serve"},
    "cumulative": {"es": "Acumulado", "en": "Cumulative"},
    "peak": {
        "es": "{accounts} de las cuentas: {profit} del beneficio",
        "en": "{accounts} of the accounts: {profit} of the profit",
    },
    "reading": {
        "es": "El {accounts} más rentable de las cuentas gana el {profit} del beneficio; las demás devuelven la "
        "diferencia.",
        "en": "The most profitable {accounts} of the accounts earn {profit} of the profit; the others give the "
        "difference back.",
    },
    "reading_money": {
        "es": "El {accounts} más rentable de las cuentas gana {profit}; las demás lo devuelven todo y más.",
        "en": "The most profitable {accounts} of the accounts earn {profit}; the others give it all back and more.",
    },
    "peak_money": {"es": "{accounts} de las cuentas: {profit}", "en": "{accounts} of the accounts: {profit}"},
    "empty": {"es": "Sin datos para la curva", "en": "Nothing to draw the curve with"},
}


def whale_chart(cost: CostToServe, lang: str) -> alt.LayerChart:
    """Draw the whale curve of `cost`: the cumulative profit of the accounts ranked most profitable first, the
    total as a dashed rule, the peak ringed and labelled; a chart that says why there is nothing when the profit
    after the cost to serve cannot be worked out (`cost.available` is False)."""
    theme.check_lang(lang)
    if not cost.available:
        return _empty_chart(cost, lang)
    data = curve_points(cost, lang)
    share = bool(data["profit_share"].notna().all())
    y_field = "profit_share" if share else "cumulative_profit"
    y_title = TEXTS["y"][lang] if share else TEXTS["y_money"][lang].format(currency=cost.currency)
    low, high = min(0.0, float(data[y_field].min())), max(100.0 if share else 0.0, float(data[y_field].max()))
    x = alt.X("accounts_share:Q", title=TEXTS["x"][lang], scale=alt.Scale(domain=[0, 100], nice=False))
    y_scale = alt.Scale(domain=[low, high + 0.12 * (high - low or 1.0)])
    y = alt.Y(f"{y_field}:Q", title=y_title, scale=y_scale)
    source = alt.InlineData(values=theme.chart_records(data))
    line = (
        alt.Chart(source)
        .mark_line(color=LINE_COLOUR, strokeWidth=3, interpolate="linear", tooltip=False)
        .encode(x=x, y=y, order="rank:Q")
        .properties(name=LINE_LAYER)
    )
    points = (
        alt.Chart(source)
        .transform_filter("datum.rank > 0")
        .mark_circle(size=90 if len(data) <= MANY_ACCOUNTS + 1 else 30, opacity=1, stroke="white", strokeWidth=1)
        .encode(x=x, y=y, color=_colour(data, lang), tooltip=_tooltip(lang))
        .properties(name=POINT_LAYER)
    )
    rule = (
        alt.Chart(alt.InlineData(values=[{y_field: 100.0 if share else 0.0}]))
        .mark_rule(color=theme.CUT_LINE_COLOUR, strokeDash=[6, 4], strokeWidth=2, tooltip=False)
        .encode(y=alt.Y(f"{y_field}:Q", scale=y_scale))
        .properties(name=RULE_LAYER)
    )
    layers = [rule, line, points, *_peak_layers(cost, data, y_field, x, y, lang)]
    chart = alt.layer(*layers).properties(
        width=theme.chart_width - 200,
        height=CHART_HEIGHT,
        title=alt.TitleParams(TEXTS["title"][lang], subtitle=_subtitle(cost, share, lang)),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def curve_points(cost: CostToServe, lang: str) -> pd.DataFrame:
    """The curve's points as the chart draws them: the origin (rank 0), then one row per account with its strategy
    and its profit and cumulative profit written for people."""
    curve = cost.curve()
    share = curve["profit_share"]
    cumulative = [
        share_text(s, lang) if not math.isnan(s) else cost.money(c, lang)
        for s, c in zip(share, curve["cumulative_profit"], strict=True)
    ]
    accounts = pd.DataFrame(
        {
            "rank": curve["rank"].astype(int),
            "accounts_share": curve["accounts_share"].astype(float),
            "profit_share": share.astype(float),
            "cumulative_profit": curve["cumulative_profit"].astype(float),
            "name": curve["name"].astype(str),
            "strategy": [strategy_text(q, lang) for q in curve["quadrant"]],
            "profit_text": [cost.money(p, lang) for p in curve["profit"]],
            "cumulative_text": cumulative,
        }
    )
    origin = {"rank": 0, "accounts_share": 0.0, "profit_share": 0.0, "cumulative_profit": 0.0, "name": "",
              "strategy": "", "profit_text": "", "cumulative_text": ""}  # fmt: skip
    if share.isna().any():
        origin["profit_share"] = math.nan
    return pd.concat([pd.DataFrame([origin]), accounts], ignore_index=True)


def peak_text(cost: CostToServe, lang: str) -> str:
    """The peak's label: "33 % de las cuentas: 126 % del beneficio" (or the amount, when the total is a loss)."""
    accounts, profit = cost.peak()
    if math.isnan(profit):
        return TEXTS["peak_money"][lang].format(
            accounts=share_text(accounts, lang), profit=cost.money(cost.peak_profit(), lang)
        )
    return TEXTS["peak"][lang].format(accounts=share_text(accounts, lang), profit=share_text(profit, lang))


def _peak_layers(cost: CostToServe, data: pd.DataFrame, y_field: str, x: alt.X, y: alt.Y, lang: str) -> list[alt.Chart]:
    """The ring around the curve's highest point and its label above it (left of it past the middle)."""
    if not cost.peak_profit() > 0:  # every account loses money: there is no peak to read
        return []
    top = data.loc[[int(data["cumulative_profit"].idxmax())]].assign(label=peak_text(cost, lang))
    source = alt.InlineData(values=theme.chart_records(top))
    right = float(top["accounts_share"].iloc[0]) > 60
    ring = (
        alt.Chart(source)
        .mark_point(size=420, shape="circle", filled=False, stroke=theme.TEXT_COLOUR, strokeWidth=2.5, tooltip=False)
        .encode(x=x, y=y)
        .properties(name=PEAK_LAYER)
    )
    label = (
        alt.Chart(source)
        .mark_text(
            align="right" if right else "left",
            dx=-14 if right else 14,
            dy=-16,
            fontSize=theme.NAME_LABEL_SIZE + 1,
            fontWeight="bold",
            color=theme.TEXT_COLOUR,
            tooltip=False,
        )
        .encode(x=x, y=y, text="label:N")
        .properties(name=PEAK_LABEL_LAYER)
    )
    return [ring, label]


def _colour(data: pd.DataFrame, lang: str) -> alt.Color:
    """Each account's point in its strategy's colour; the unplaced in grey."""
    domain = [STRATEGY_NAMES[q][lang] for q in QUADRANTS]
    colours = [theme.QUADRANT_COLOURS[q] for q in QUADRANTS]
    unplaced = strategy_text(None, lang)
    if (data["strategy"] == unplaced).any():
        domain, colours = [*domain, unplaced], [*colours, UNPLACED_COLOUR]
    legend = alt.Legend(title=TEXTS["strategy"][lang], orient="right")
    return alt.Color("strategy:N", scale=alt.Scale(domain=domain, range=colours), legend=legend)


def _tooltip(lang: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
        alt.Tooltip("profit_text:N", title=TEXTS["profit"][lang]),
        alt.Tooltip("cumulative_text:N", title=TEXTS["cumulative"][lang]),
    ]


def _subtitle(cost: CostToServe, share: bool, lang: str) -> list[str]:
    """What the axes mean, the total profit, and the reading of the peak."""
    total = float(cost.known["profit"].sum())
    first = TEXTS["subtitle" if share else "subtitle_loss"][lang].format(total=cost.money(abs(total), lang))
    if not cost.known["unprofitable"].any() or not cost.peak_profit() > 0:
        return [first]
    accounts, profit = cost.peak()
    if share:
        reading = TEXTS["reading"][lang].format(accounts=share_text(accounts, lang), profit=share_text(profit, lang))
    else:
        reading = TEXTS["reading_money"][lang].format(
            accounts=share_text(accounts, lang), profit=cost.money(cost.peak_profit(), lang)
        )
    return [first, reading]


def _empty_chart(cost: CostToServe, lang: str) -> alt.LayerChart:
    """A chart that says there is nothing to draw, and why (the result's summary)."""
    row = {"x": 0.5, "y": 0.5, "label": TEXTS["empty"][lang]}
    text = (
        alt.Chart(alt.InlineData(values=[row]))
        .mark_text(fontSize=theme.TITLE_SIZE, fontWeight="bold", color=theme.MUTED_COLOUR, tooltip=False)
        .encode(
            x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
            text="label:N",
        )
        .properties(name=EMPTY_LAYER)
    )
    chart = alt.layer(text).properties(
        width=theme.chart_width - 200,
        height=200,
        view=alt.ViewBackground(stroke=None),
        title=alt.TitleParams(TEXTS["title"][lang], subtitle=_wrap(cost.summary(lang))),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def _wrap(text: str, width: int = 90) -> list[str]:
    """A sentence cut into subtitle lines of at most about `width` characters, at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
