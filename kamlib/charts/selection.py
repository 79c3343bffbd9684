"""The key-account selection (`kamlib.plan.selection`) as a chart: customers ranked by score, coloured by status.

One horizontal bar per scored customer, best first, its length the composite (0–10) and its colour the
status against today's list (stays, enters, leaves, out), with the cut-off as a dashed rule and the
criteria in the tooltip. Customers without a composite (not scored, not assessed) have no bar; the
subtitle counts them.

Readable with 200 customers: the chart shows the best `limit` customers (default `DEFAULT_SHOWN`) and,
beyond them, every customer that enters or leaves, since those are what the list is about; the subtitle
says how many are not shown. `limit=None` shows every scored customer (the chart then grows `_BAR_STEP_PX`
per customer, so a notebook scrolls it).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamlib.charts import theme
from kamlib.i18n import number_text
from kamlib.plan.selection import STATUS_LABELS, Selection, criterion_column

BARS_LAYER = "customers"
VALUE_LAYER = "composite_labels"
CUTOFF_LAYER = "cutoff"
CUTOFF_LABEL_LAYER = "cutoff_label"
DEFAULT_SHOWN = 30
"""How many of the best customers the chart shows by default (and at most as many more that enter, or leave)."""
SHOWN_STATUSES: tuple[str, ...] = ("stays", "enters", "leaves", "out")
STATUS_COLOURS = {
    "stays": "#009E73",  # bluish green: in the list today and proposed
    "enters": "#0072B2",  # blue: proposed, not a key account today
    "leaves": "#D55E00",  # vermillion: a key account today, not proposed
    "out": "#B8BFC7",  # grey: neither
}
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""
_BAR_STEP_PX = 22
LABEL_LIMIT_PX = 260

TEXTS = {
    "title": {"es": "Selección de cuentas clave", "en": "Key-account selection"},
    "subtitle": {
        "es": "puntuación 0–10 en los criterios de selección · propuestas: {rule}",
        "en": "0–10 score on the selection criteria · proposed: {rule}",
    },
    "partial": {
        "es": "se muestran {shown} de {scored} clientes puntuados: los {limit} mejores y hasta {limit} más de los que "
        "entran o salen (todos en la tabla de cambios)",
        "en": "showing {shown} of {scored} scored customers: the best {limit} and up to {limit} more of those that "
        "enter or leave (all in the table of changes)",
    },
    "unjudged": {
        "es": "sin barra: {n} sin puntuar o sin evaluar",
        "en": "no bar: {n} not scored or not assessed",
    },
    "score": {"es": "Puntuación (0–10)", "en": "Score (0–10)"},
    "customer": {"es": "Cliente", "en": "Customer"},
    "id": {"es": "Identificador", "en": "Id"},
    "status": {"es": "Estado", "en": "Status"},
    "rank": {"es": "Puesto", "en": "Rank"},
    "cutoff": {"es": "corte {value}", "en": "cut-off {value}"},
}


def selection_chart(selection: Selection, lang: str = "es", limit: int | None = DEFAULT_SHOWN) -> alt.LayerChart:
    """Draw the customers ranked by composite, coloured by status, with the cut-off as a rule."""
    theme.check_lang(lang)
    rows = shown_customers(selection, limit)
    labels = selection.labels(lang)
    fields = {cid: f"criterion_{j}" for j, cid in enumerate(labels)}
    data = pd.DataFrame(
        {
            "customer_id": rows["customer_id"].astype(str).to_numpy(dtype=object),
            "label": _bar_labels(rows),
            "composite": rows["composite"].to_numpy(dtype=float),
            "rank": rows["rank"].astype(int).to_numpy() if len(rows) else [],
            "status": rows["status"].to_numpy(dtype=object),
            "status_label": [STATUS_LABELS[s][lang] for s in rows["status"]],
            "text": [number_text(v, lang, 1) for v in rows["composite"]],
            **{field: (10 * rows[criterion_column(cid)]).round(2).to_numpy() for cid, field in fields.items()},
        }
    )
    domain = [STATUS_LABELS[s][lang] for s in SHOWN_STATUSES]
    y = alt.Y(
        "label:N",
        sort=data["label"].tolist(),  # best first (a list: both layers' domains agree, unlike a sort field)
        title=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT_PX, ticks=False, domain=False, labelColor=theme.TEXT_COLOUR),
    )
    x_scale = alt.Scale(domain=[0, 10], nice=False)
    tooltip = [
        alt.Tooltip("label:N", title=TEXTS["customer"][lang]),
        alt.Tooltip("customer_id:N", title=TEXTS["id"][lang]),
        alt.Tooltip("status_label:N", title=TEXTS["status"][lang]),
        alt.Tooltip("composite:Q", title=TEXTS["score"][lang], format=".1f"),
        alt.Tooltip("rank:Q", title=TEXTS["rank"][lang]),
        *(alt.Tooltip(f"{field}:Q", title=labels[cid], format=".1f") for cid, field in fields.items()),
    ]
    source = alt.InlineData(values=theme.chart_records(data))
    bars = (
        alt.Chart(source)
        .mark_bar(height={"band": 0.72})
        .encode(
            y=y,
            x=alt.X("composite:Q", scale=x_scale, title=TEXTS["score"][lang]),
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in SHOWN_STATUSES]),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", columnPadding=24, offset=30),
            ),
            tooltip=tooltip,
        )
        .properties(name=BARS_LAYER)
    )
    values = (
        alt.Chart(source)
        .mark_text(align="left", dx=5, baseline="middle", fontSize=theme.NAME_LABEL_SIZE, color=theme.MUTED_COLOUR)
        .encode(y=y, x=alt.X("composite:Q", scale=x_scale), text="text:N", tooltip=tooltip)
        .properties(name=VALUE_LAYER)
    )
    layers: list[alt.Chart] = [bars]
    if selection.cutoff is not None:
        cut = [{"cutoff": float(selection.cutoff), "text": cutoff_text(selection, lang)}]
        rule = (
            alt.Chart(alt.InlineData(values=cut))
            .mark_rule(color=theme.CUT_LINE_COLOUR, strokeDash=[6, 4], strokeWidth=2, tooltip=False)
            .encode(x=alt.X("cutoff:Q", scale=x_scale))
            .properties(name=CUTOFF_LAYER)
        )
        note = (
            alt.Chart(alt.InlineData(values=cut))
            .mark_text(
                align="left",
                dx=4,
                baseline="bottom",
                y=-4,  # just above the plot, clear of the bars
                fontSize=theme.NAME_LABEL_SIZE,
                fontWeight="bold",
                color=theme.CUT_LINE_COLOUR,
                tooltip=False,
            )
            .encode(x=alt.X("cutoff:Q", scale=x_scale), text="text:N")
            .properties(name=CUTOFF_LABEL_LAYER)
        )
        layers += [rule, note]
    layers.append(values)  # the scores over the rule, so a score beside it stays legible
    chart = alt.layer(*layers).properties(
        width=theme.chart_width - LABEL_LIMIT_PX,
        height=alt.Step(_BAR_STEP_PX),
        title=alt.TitleParams(TEXTS["title"][lang], subtitle=_subtitle(selection, rows, lang, limit)),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def shown_customers(selection: Selection, limit: int | None = DEFAULT_SHOWN) -> pd.DataFrame:
    """The scored customers the chart draws, best first: the best `limit`, and up to `limit` of those that enter
    (the best) and of those that leave (the worst) beyond them; the changes table lists every one."""
    scored = selection.customers[selection.customers["status"].isin(SHOWN_STATUSES)]
    if limit is None:
        return scored
    best = pd.Series(range(len(scored)), index=scored.index) < limit
    enters = scored.index[(scored["status"] == "enters") & ~best][:limit]
    leaves = scored.index[(scored["status"] == "leaves") & ~best][::-1][:limit]
    return scored[best | scored.index.isin(enters) | scored.index.isin(leaves)]


def cutoff_text(selection: Selection, lang: str) -> str:
    """The rule's label: "cut-off 5.0" (decimal comma in Spanish)."""
    value = selection.cutoff if selection.cutoff is not None else 0.0
    return TEXTS["cutoff"][lang].format(value=number_text(value, lang, 1))


def _bar_labels(rows: pd.DataFrame) -> list[str]:
    """Each bar's name; two customers of one name keep two bars (the id is added to both)."""
    names = rows["name"].fillna("").astype(str)
    names = names.where(names.str.strip() != "", rows["customer_id"].astype(str))
    twice = names.duplicated(keep=False)
    return names.where(~twice, names + " (" + rows["customer_id"].astype(str) + ")").tolist()


def _subtitle(selection: Selection, rows: pd.DataFrame, lang: str, limit: int | None) -> list[str]:
    lines = [TEXTS["subtitle"][lang].format(rule=selection.rule_text(lang))]
    scored = int(selection.customers["status"].isin(SHOWN_STATUSES).sum())
    if len(rows) < scored:
        lines.append(TEXTS["partial"][lang].format(shown=len(rows), scored=scored, limit=limit))
    unjudged = len(selection.customers) - scored
    if unjudged:
        lines.append(TEXTS["unjudged"][lang].format(n=unjudged))
    return lines
