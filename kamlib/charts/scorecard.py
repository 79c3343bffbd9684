"""A key account's balanced scorecard (`kamlib.plan.scorecard.Scorecard`) as a static Altair chart.

One small panel per KPI, grouped by perspective (financial, customer, internal, learning): the actual
over the periods (line and points, periods in natural order on an ordinal axis), the target as a dashed
line with a tick in each period, and the latest measurement as a large dot in its status's colour. Each
panel has its own scales (a KPI in euros beside one in points). Values read in their KPI's unit: the tooltips
show them as the scorecard's table writes them (`kamlib.plan.scorecard.value_text`); a perspective whose KPIs
share a unit labels its value axes in it (`6 %`, `1.200.000 €`, `30 días`, Vega's number format in the chart's
locale), and one whose KPIs mix units names each KPI's unit in its panel's header instead. A card with no KPI
is a valid chart that says so and lists the KPIs the strategy suggests. Every text exists in Spanish and
English; KPI names are data written as text, never markup; nothing is loaded from the internet.
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.text import lookup_expr, wrap_label
from kamlib.colours import KPI_STATUS_COLOURS
from kamlib.errors import list_known
from kamlib.i18n import unit_text
from kamlib.method import STRATEGY_NAMES
from kamlib.plan.playbook import PERSPECTIVE_LABELS
from kamlib.plan.scorecard import STATUS_LABELS, Scorecard, attainment_text, value_text
from kamlib.workbook.sheets import PERSPECTIVES

ACTUAL_LINE_LAYER = "kpi_actual_line"
ACTUAL_POINT_LAYER = "kpi_actual_points"
TARGET_LINE_LAYER = "kpi_target_line"
TARGET_TICK_LAYER = "kpi_target_ticks"
LATEST_LAYER = "kpi_latest"
"""Each perspective's layers are named `<layer>_<perspective>` (Vega needs names unique in the whole chart)."""
EMPTY_LAYER = "scorecard_empty"

ACTUAL_COLOUR = theme.TEXT_COLOUR
TARGET_COLOUR = "#52606D"
TARGET_DASH = [6, 4]
LATEST_STATUSES: tuple[str, ...] = ("met", "near", "missed", "no_target")
"""The statuses a latest dot can have (a dot needs an actual), the colour legend's entries."""
LATEST_AREA = 260.0
POINT_AREA = 55.0
"""Areas in px² of the latest measurement's dot and of the earlier ones."""

PANEL_WIDTH = 230
PANEL_HEIGHT = 140
PANEL_COLUMNS = 3
_HEADER_WRAP_CHARS = 20
"""Characters per line of a panel's header: a bold line of 20 fits the panel's width (longer ones were cut)."""
AXIS_NUMBER_FORMAT = ",~f"
"""d3 format of the number on a value axis in a unit: grouped thousands, the decimals the ticks need (Vega picks
them from the tick step), trailing zeros dropped; the unit's sign or word is added around it."""

TEXTS = {
    "title": {"es": "Cuadro de mando integral: {name}", "en": "Balanced scorecard: {name}"},
    "counts": {"es": "{n} indicadores · {periods}", "en": "{n} KPIs · {periods}"},
    "one_count": {"es": "1 indicador · {periods}", "en": "1 KPI · {periods}"},
    "periods": {"es": "periodos {first} a {last}", "en": "periods {first} to {last}"},
    "one_period": {"es": "periodo {first}", "en": "period {first}"},
    "up_to": {"es": " (hasta {period})", "en": " (up to {period})"},
    "key": {
        "es": "línea discontinua: objetivo · punto grande: último periodo, en el color de su estado",
        "en": "dashed line: target · large dot: latest period, in its status's colour",
    },
    "to_define": {
        "es": "{strategy} propone además: {kpis}",
        "en": "{strategy} also suggests: {kpis}",
    },
    "nothing": {
        "es": "No hay indicadores que mostrar: la cuenta aún no tiene indicadores",
        "en": "Nothing to show: the account has no KPIs yet",
    },
    "nothing_up_to": {
        "es": "No hay indicadores que mostrar hasta {period}",
        "en": "Nothing to show up to {period}",
    },
    "suggest": {"es": "Indicadores que su estrategia propone controlar:", "en": "KPIs its strategy suggests tracking:"},
    "kpi": {"es": "Indicador", "en": "KPI"},
    "period": {"es": "Periodo", "en": "Period"},
    "actual": {"es": "Real", "en": "Actual"},
    "target": {"es": "Objetivo", "en": "Target"},
    "status": {"es": "Estado", "en": "Status"},
    "attainment": {"es": "Cumplimiento", "en": "Attainment"},
    "better_when": {"es": "Mejor si", "en": "Better when"},
    "higher": {"es": "sube", "en": "higher"},
    "lower": {"es": "baja", "en": "lower"},
    "no_perspective": {"es": "Sin perspectiva", "en": "No perspective"},
}
"""Every chart text in both languages; `{...}` fields are filled in by the builder."""


def scorecard_chart(card: Scorecard, lang: str = "es") -> alt.VConcatChart:
    """Draw each KPI of the card in a small panel, actual against target over the periods, by perspective."""
    theme.check_lang(lang)
    rows = chart_rows(card, lang)
    periods = card.periods
    if rows.empty:
        sections: list[alt.TopLevelMixin] = [_nothing_chart(card, lang)]
    else:
        sections = [
            _perspective_panels(rows[rows["perspective"] == p], periods, lang, card.currency)
            for p in dict.fromkeys(rows["perspective"])
        ]
    chart = alt.vconcat(  # title and usermeta given here: a later `properties` would copy every panel again
        *sections,
        spacing=28,
        title=alt.TitleParams(TEXTS["title"][lang].format(name=card.name), subtitle=_subtitle(card, lang)),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def chart_rows(card: Scorecard, lang: str) -> pd.DataFrame:
    """One row per KPI and period of the card's history, with its texts in `lang` (values in the KPI's unit) and
    a flag on the latest."""
    history = card.history
    latest_period = dict(zip(card.latest["kpi_key"], card.latest["period"], strict=True))
    units = history["unit"].astype(str).tolist()

    def texts(column: str) -> list[str]:
        values = history[column].to_numpy(dtype=float)
        return [value_text(v, u, lang, card.currency) for v, u in zip(values, units, strict=True)]

    return pd.DataFrame(
        {
            "perspective": history["perspective"].to_numpy(dtype=object),
            "perspective_label": [_perspective_label(p, lang) for p in history["perspective"]],
            "kpi_key": history["kpi_key"].to_numpy(dtype=object),
            "kpi": history["kpi"].astype(str).to_numpy(dtype=object),
            "unit": units,
            "period": history["period"].astype(str).to_numpy(dtype=object),
            "actual": history["actual"].to_numpy(dtype=float),
            "target": history["target"].to_numpy(dtype=float),
            "attainment": history["attainment"].to_numpy(dtype=float),
            "actual_text": texts("actual"),
            "target_text": texts("target"),
            "attainment_text": [attainment_text(v, lang) for v in history["attainment"].to_numpy(dtype=float)],
            "status": history["status"].to_numpy(dtype=object),
            "status_label": [STATUS_LABELS[s][lang] for s in history["status"]],
            "better_when": [TEXTS["higher" if b else "lower"][lang] for b in history["higher_is_better"]],
            "latest": [latest_period.get(k) == p for k, p in zip(history["kpi_key"], history["period"], strict=True)],
        }
    )


def _perspective_label(perspective: object, lang: str) -> str:
    return PERSPECTIVE_LABELS[perspective][lang] if perspective in PERSPECTIVES else TEXTS["no_perspective"][lang]


def unit_affixes(unit: str, lang: str, currency: str = "EUR") -> tuple[str, str]:
    """The text `kamlib.i18n.unit_text` writes before and after a number in `unit`.

    >>> unit_affixes("%", "es"), unit_affixes("currency", "en", "GBP"), unit_affixes("days", "en")
    (('', '\\xa0%'), ('£', ''), ('', ' days'))
    """
    written = unit_text(7.0, unit, lang, currency)  # 7: a plural, and no sign
    found = re.fullmatch(r"(\D*)7(?:.*\d)?(\D*)", written)
    return (found.group(1), found.group(2)) if found else ("", "")


def value_axis(unit: str | None, lang: str, currency: str = "EUR") -> dict[str, str]:
    """The value axis's `format` and `labelExpr` for KPIs sharing `unit` (None: they mix units): the number in
    the chart's locale (`AXIS_NUMBER_FORMAT`) with the unit's sign or word around it; nothing for plain numbers.

    >>> value_axis("%", "en")
    {'format': ',~f', 'labelExpr': 'datum.label + "%"'}
    """
    if unit is None or unit == "number":
        return {}
    before, after = unit_affixes(unit, lang, currency)
    parts = [json.dumps(before, ensure_ascii=False)] if before else []
    parts += ["datum.label"] + ([json.dumps(after, ensure_ascii=False)] if after else [])
    return {"format": AXIS_NUMBER_FORMAT, "labelExpr": " + ".join(parts)}


def _unit_label(unit: str, lang: str, currency: str) -> str:
    """A unit as a header names it: %, €, días (empty for plain numbers)."""
    return "" if unit == "number" else "".join(unit_affixes(unit, lang, currency)).strip()


def _perspective_panels(rows: pd.DataFrame, periods: list[str], lang: str, currency: str) -> alt.FacetChart:
    """One perspective's KPIs, a panel each (own scales), titled with the perspective's name; the value axes in
    the KPIs' unit when they share one, else each panel's header names its KPI's unit."""
    tooltip = [
        alt.Tooltip("kpi:N", title=TEXTS["kpi"][lang]),
        alt.Tooltip("period:O", title=TEXTS["period"][lang]),
        alt.Tooltip("actual_text:N", title=TEXTS["actual"][lang]),
        alt.Tooltip("target_text:N", title=TEXTS["target"][lang]),
        alt.Tooltip("attainment_text:N", title=TEXTS["attainment"][lang]),
        alt.Tooltip("status_label:N", title=TEXTS["status"][lang]),
        alt.Tooltip("better_when:N", title=TEXTS["better_when"][lang]),
    ]
    suffix = str(rows["perspective"].iloc[0])  # layer names must be unique in the whole spec
    x = alt.X("period:O", sort=periods, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True))
    base = alt.Chart().encode(x=x)
    has_actual = "isValid(datum.actual)"
    has_target = "isValid(datum.target)"
    kpi_units = dict(zip(rows["kpi"], rows["unit"], strict=True))  # the unit of each KPI is its latest row's
    shared = set(kpi_units.values())
    in_unit = value_axis(shared.pop() if len(shared) == 1 else None, lang, currency)
    axis = alt.Axis(**in_unit) if in_unit else alt.Undefined
    y_actual = alt.Y("actual:Q", title=None, scale=alt.Scale(zero=False, padding=12), axis=axis)
    y_target = alt.Y("target:Q", title=None, scale=alt.Scale(zero=False, padding=12), axis=axis)
    layers = [
        base.transform_filter(has_target)
        .mark_line(color=TARGET_COLOUR, strokeDash=TARGET_DASH, strokeWidth=2, tooltip=False)
        .encode(y=y_target)
        .properties(name=f"{TARGET_LINE_LAYER}_{suffix}"),
        base.transform_filter(has_target)
        .mark_tick(color=TARGET_COLOUR, thickness=2.5, size=22)
        .encode(y=y_target, tooltip=tooltip)
        .properties(name=f"{TARGET_TICK_LAYER}_{suffix}"),
        base.transform_filter(has_actual)
        .mark_line(color=ACTUAL_COLOUR, strokeWidth=2.5, tooltip=False)
        .encode(y=y_actual)
        .properties(name=f"{ACTUAL_LINE_LAYER}_{suffix}"),
        base.transform_filter(has_actual)
        .mark_circle(color=ACTUAL_COLOUR, size=POINT_AREA, opacity=1.0)
        .encode(y=y_actual, tooltip=tooltip)
        .properties(name=f"{ACTUAL_POINT_LAYER}_{suffix}"),
        base.transform_filter(f"datum.latest && {has_actual}")
        .mark_circle(size=LATEST_AREA, opacity=1.0, stroke="white", strokeWidth=1.5)
        .encode(
            y=y_actual,
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(
                    domain=[STATUS_LABELS[s][lang] for s in LATEST_STATUSES],
                    range=[KPI_STATUS_COLOURS[s] for s in LATEST_STATUSES],
                ),
                legend=alt.Legend(title=TEXTS["status"][lang], orient="top", direction="horizontal"),
            ),
            tooltip=tooltip,
        )
        .properties(name=f"{LATEST_LAYER}_{suffix}"),
    ]
    kpis = list(dict.fromkeys(rows["kpi"]))
    labels = {k: k for k in kpis}
    if len(set(kpi_units.values())) > 1:
        labels = {k: f"{k} ({_unit_label(u, lang, currency)})" if u != "number" else k for k, u in kpi_units.items()}
    header = alt.Header(
        labelOrient="top",
        labelAnchor="start",
        labelFontSize=theme.AXIS_TITLE_SIZE,
        labelFontWeight="bold",
        labelColor=theme.TEXT_COLOUR,
        labelLimit=PANEL_WIDTH,
        labelExpr=lookup_expr("datum.value", {k: wrap_label(labels[k], _HEADER_WRAP_CHARS) for k in kpis}),
    )
    return (
        alt.layer(*layers)
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(
            facet=alt.Facet("kpi:N", sort=kpis, title=None, header=header),
            columns=PANEL_COLUMNS,
            data=alt.InlineData(values=theme.chart_records(rows)),
            spacing={"row": 18, "column": 30},
        )
        .resolve_scale(x="independent", y="independent")
        .properties(
            title=alt.TitleParams(
                str(rows["perspective_label"].iloc[0]),
                anchor="start",
                fontSize=theme.TITLE_SIZE - 4,
                color=theme.TEXT_COLOUR,
            )
        )
    )


def _nothing_chart(card: Scorecard, lang: str) -> alt.LayerChart:
    """A panel that says there is nothing to show, and lists the strategy's KPIs to define if any."""
    message = (
        TEXTS["nothing_up_to"][lang].format(period=card.period) if card.period is not None else TEXTS["nothing"][lang]
    )
    lines = [message]
    if len(card.suggested):
        lines += [TEXTS["suggest"][lang], *(f"• {text}" for text in card.suggested[lang])]
    data = alt.InlineData(values=theme.chart_records(pd.DataFrame({"line": range(len(lines)), "text": lines})))
    text = alt.Chart(data).encode(x=alt.value(12), y=alt.Y("line:O", axis=None), text="text:N")
    style = {"align": "left", "baseline": "middle", "fontSize": theme.AXIS_TITLE_SIZE, "color": theme.TEXT_COLOUR}
    return alt.layer(
        text.transform_filter("datum.line === 0").mark_text(fontWeight="bold", **style).properties(name=EMPTY_LAYER),
        text.transform_filter("datum.line > 0").mark_text(**style).properties(name=f"{EMPTY_LAYER}_suggested"),
    ).properties(width=PANEL_COLUMNS * PANEL_WIDTH, height=alt.Step(30), view=alt.ViewBackground(stroke=None))


def _subtitle(card: Scorecard, lang: str) -> list[str]:
    """Count the KPIs and periods, explain the marks, name the KPIs the strategy suggests."""
    n = len(card.latest)
    if n == 0:
        lines = []
    else:
        periods = card.periods
        span = (
            TEXTS["one_period"][lang].format(first=periods[0])
            if len(periods) == 1
            else TEXTS["periods"][lang].format(first=periods[0], last=periods[-1])
        )
        counts = TEXTS["one_count" if n == 1 else "counts"][lang].format(n=n, periods=span)
        if card.period is not None:
            counts += TEXTS["up_to"][lang].format(period=card.period)
        lines = [counts, TEXTS["key"][lang]]
    if len(card.suggested) and n:
        strategy = STRATEGY_NAMES[card.strategy][lang] if card.strategy else ""
        lines.append(TEXTS["to_define"][lang].format(strategy=strategy, kpis=list_known(card.suggested[lang], 6)))
    return lines
