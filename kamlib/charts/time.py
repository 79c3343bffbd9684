"""KAM time allocation (METHOD.md §2) as static Altair charts: each profile, the gaps, the account strategies.

Three charts read a `kamlib.timealloc.TimeAllocation`: every KAM's time as a 100 % bar beside the team's
and the method's reference profile; one profile's gap to the reference per activity, in percentage
points; and the share of each KAM's account time spent on Invest, Selective, Maintain and Milk accounts
against the targets. Every text exists in Spanish and English; nothing is loaded from the internet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.export import FORMATS, save_chart
from kamlib.charts.text import format_number, json_text, lookup_expr, signed_number, tint, wrap_label
from kamlib.errors import list_known
from kamlib.method import ACTIVITIES, ACTIVITY_LABELS, QUADRANTS, STRATEGY_NAMES
from kamlib.timealloc import UNPLACED, TimeAllocation, check_kam

ACTIVITY_COLOURS = MappingProxyType(
    {
        "relationships": "#0072B2",  # blue
        "negotiation": "#E69F00",  # orange
        "planning": "#56B4E9",  # sky blue
        "selling": "#D55E00",  # vermillion
        "problem_solving": "#009E73",  # bluish green
        "reporting": "#F0E442",  # yellow
        "training": "#CC79A7",  # reddish purple
        "team_management": "#000000",  # black
        "other": "#B4BCC4",  # grey
    }
)
"""Okabe–Ito's eight colours and a grey for "other", ordered so that neighbouring segments contrast."""

_LIGHT_FILLS = frozenset({"negotiation", "planning", "problem_solving", "reporting", "training", "other"})
"""Activities whose fill takes dark text; the others take white (contrast ≥ 4.5:1 either way)."""

BELOW_COLOUR = "#D55E00"  # vermillion
ABOVE_COLOUR = "#0072B2"  # blue
FLAG_COLOUR = "#C1121F"
"""Outline and text of a strategy bar outside its target band."""
UNPLACED_COLOUR = "#8F99A3"
BAND_COLOUR = "#9AA5B1"
BAND_OPACITY = 0.28
OK_BAR_STRENGTH = 0.55
"""A bar within its target is drawn in its quadrant colour mixed with white, this much colour."""
VALUE_LABEL_SIZE = 16
SEGMENT_LABEL_SIZE = 14
SEGMENT_LABEL_MIN = 4.0
"""A segment of the profile bars is labelled with its share when it is at least this many percent."""

PROFILE_LAYER = "time_profile_bars"
PROFILE_LABEL_LAYER = "time_profile_labels"
GAP_LAYER = "time_gaps"
GAP_LABEL_LAYER = "time_gap_labels"
STRATEGY_LAYER = "strategy_time_bars"
STRATEGY_BAND_LAYER = "strategy_target_bands"
STRATEGY_LABEL_LAYER = "strategy_time_labels"

CHART_NAMES: tuple[str, ...] = ("time_profile", "time_gap", "strategy_time")
"""File stems `save_time_charts` writes, in its order."""

TEXTS = {
    "profile_title": {"es": "En qué emplean su tiempo los KAM", "en": "Where the KAMs' time goes"},
    "profile_hours": {
        "es": "% del tiempo de cada KAM por actividad, de las horas registradas",
        "en": "% of each KAM's time per activity, from the hours logged",
    },
    "profile_survey": {
        "es": "% del tiempo por actividad, porcentajes declarados en una encuesta (no horas registradas)",
        "en": "% of time per activity, percentages stated in a survey (not hours logged)",
    },
    "periods": {"es": "periodo {periods}", "en": "period {periods}"},
    "team_hours": {"es": "Equipo: todas las horas juntas", "en": "Team: all hours together"},
    "team_survey": {"es": "Equipo: media de los perfiles declarados", "en": "Team: mean of the stated profiles"},
    "no_time": {"es": "sin tiempo registrado, no se muestra: {who}", "en": "no time recorded, not shown: {who}"},
    "reference": {"es": "Referencia del método", "en": "Method reference"},
    "edited_reference": {"es": "Referencia del encargo", "en": "Engagement reference"},
    "team": {"es": "Equipo", "en": "Team"},
    "kam": {"es": "KAM", "en": "KAM"},
    "activity": {"es": "Actividad", "en": "Activity"},
    "share": {"es": "% del tiempo", "en": "% of time"},
    "hours": {"es": "Horas", "en": "Hours"},
    "ref_share": {"es": "Referencia (%)", "en": "Reference (%)"},
    "gap": {"es": "Diferencia con la referencia (pp)", "en": "Gap to the reference (pp)"},
    "gap_title": {"es": "Diferencia con la referencia del método: {who}", "en": "Gap to the method's reference: {who}"},
    "gap_subtitle": {
        "es": "Puntos porcentuales: % del tiempo menos el % de referencia de cada actividad",
        "en": "Percentage points: % of time minus the reference % of each activity",
    },
    "gap_tvd": {
        "es": "habría que mover el {tvd} % del tiempo para igualar la referencia",
        "en": "{tvd} % of the time would have to move to match the reference",
    },
    "gap_none": {"es": "{who} no tiene tiempo registrado", "en": "{who} has no time recorded"},
    "below": {"es": "Por debajo del método", "en": "Below the method"},
    "above": {"es": "Por encima del método", "en": "Above the method"},
    "strategy_title": {
        "es": "Tiempo de cuentas por estrategia, frente al objetivo",
        "en": "Account time by strategy, against the target",
    },
    "strategy_subtitle": {
        "es": "% del tiempo de cada KAM en sus cuentas dedicado a cuentas de cada estrategia",
        "en": "% of each KAM's account time spent on accounts of each strategy",
    },
    "strategy_rounds": {
        "es": "cada hora en el cuadrante de su cuenta según las puntuaciones de su periodo (rondas {rounds})",
        "en": "each hour in its account's quadrant as scored for its period (rounds {rounds})",
    },
    "strategy_key": {
        "es": "franja gris: objetivo · barra con borde rojo: fuera del objetivo",
        "en": "grey band: target · bar outlined in red: outside the target",
    },
    "survey_title": {
        "es": "Tiempo por estrategia: una encuesta no tiene tiempo por cuenta",
        "en": "Time by strategy: a survey has no account time",
    },
    "survey_subtitle": {
        "es": "Los porcentajes declarados no dicen a qué cuentas fue el tiempo; registre horas por cuenta "
        "(account_id) para comparar con los objetivos.",
        "en": "Stated percentages do not say which accounts the time went to; log hours per account "
        "(account_id) to compare with the targets.",
    },
    "no_account_title": {
        "es": "Tiempo por estrategia: ninguna hora nombra una cuenta",
        "en": "Time by strategy: no hours name an account",
    },
    "no_account_subtitle": {
        "es": "Sin horas por cuenta no se compara el tiempo de cuentas con los objetivos.",
        "en": "Without hours per account, account time cannot be compared with the targets.",
    },
    "no_account_time": {
        "es": "sin horas en cuentas, no se muestra: {who}",
        "en": "no hours on accounts, not shown: {who}",
    },
    "not_available": {"es": "Sin datos para este gráfico", "en": "No data for this chart"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "account_share": {"es": "% del tiempo de cuentas", "en": "% of account time"},
    "accounts": {"es": "Cuentas que gestiona", "en": "Accounts managed"},
    "target": {"es": "Objetivo", "en": "Target"},
    "status": {"es": "Estado", "en": "Status"},
    "unplaced": {"es": "Fuera de la matriz", "en": "Not in the matrix"},
}
"""Every chart text in both languages; `{...}` fields are filled in by the builders."""

STATUS_LABELS = MappingProxyType(
    {
        "ok": {"es": "dentro", "en": "ok"},
        "above": {"es": "por encima", "en": "above"},
        "below": {"es": "por debajo", "en": "below"},
        "none": {"es": "sin tiempo de cuentas", "en": "no account time"},
    }
)
"""The strategy table's `status`, as a person reads it."""

_PROFILE_STEP_PX = 44
_GAP_STEP_PX = 62
_STRATEGY_STEP_PX = 40
_PANEL_WIDTH_PX = 230
_KAM_LABEL_LIMIT_PX = 260
_LEGEND_WRAP_CHARS = 28
_AXIS_WRAP_CHARS = 40
_SPACER = " "
"""An empty row of the profile chart that sets the reference and the team apart from the KAMs."""


# --- the charts ------------------------------------------------------------------------------------


def time_profile_chart(alloc: TimeAllocation, lang: str = "en") -> alt.LayerChart:
    """Draw each KAM's time per activity as a 100 % bar, under the team's and the method's reference."""
    theme.check_lang(lang)
    data, missing = _profile_rows(alloc, lang)
    rows = [_reference_label(alloc, lang), TEXTS["team"][lang]]
    order = [*rows, _SPACER, *data.loc[data["kind"] == "kam", "row"].drop_duplicates()]
    activity_labels = {a: wrap_label(ACTIVITY_LABELS[a][lang], _LEGEND_WRAP_CHARS) for a in ACTIVITIES}
    tooltip = [
        alt.Tooltip("row:N", title=TEXTS["kam"][lang]),
        alt.Tooltip("activity_label:N", title=TEXTS["activity"][lang]),
        alt.Tooltip("share:Q", title=TEXTS["share"][lang], format=".1f"),
    ]
    if alloc.unit == "hours":
        tooltip.append(alt.Tooltip("hours:Q", title=TEXTS["hours"][lang], format=",.1f"))
    tooltip += [
        alt.Tooltip("reference:Q", title=TEXTS["ref_share"][lang], format=".1f"),
        alt.Tooltip("gap_pp:Q", title=TEXTS["gap"][lang], format="+.1f"),
    ]
    y = alt.Y(
        "row:N",
        sort=order,
        scale=alt.Scale(domain=order, paddingInner=0.22),
        axis=category_axis(
            labelFontWeight={
                "condition": {"test": f"indexof({json_text(rows)}, datum.value) >= 0", "value": "bold"},
                "value": "normal",
            },
        ),
    )
    x = alt.X(
        "start:Q",
        scale=alt.Scale(domain=[0, 100], nice=False),
        axis=alt.Axis(title=TEXTS["share"][lang], values=[0, 20, 40, 60, 80, 100], grid=False),
    )
    bars = (
        alt.Chart()
        .mark_bar(stroke="white", strokeWidth=1.5)
        .encode(
            y=y,
            x=x,
            x2="end:Q",
            color=alt.Color(
                "activity:N",
                scale=alt.Scale(domain=list(ACTIVITIES), range=[ACTIVITY_COLOURS[a] for a in ACTIVITIES]),
                legend=alt.Legend(
                    title=TEXTS["activity"][lang],
                    orient="bottom",
                    direction="horizontal",
                    columns=3,
                    columnPadding=22,
                    labelExpr=lookup_expr("datum.label", activity_labels),
                    labelLimit=0,
                    symbolType="square",
                ),
            ),
            tooltip=tooltip,
        )
        .properties(name=PROFILE_LAYER)
    )
    labels = (
        alt.Chart()
        .transform_filter(f"datum.share >= {SEGMENT_LABEL_MIN}")
        .mark_text(fontSize=SEGMENT_LABEL_SIZE, fontWeight="bold", baseline="middle", tooltip=False)
        .encode(
            y=alt.Y("row:N", sort=order),
            x=alt.X("mid:Q"),
            text="text:N",
            color=alt.Color("text_colour:N", scale=None, legend=None),
        )
        .properties(name=PROFILE_LABEL_LAYER)
    )
    subtitle = [TEXTS["profile_hours" if alloc.unit == "hours" else "profile_survey"][lang]]
    notes = [TEXTS["team_hours" if alloc.unit == "hours" else "team_survey"][lang]]
    if alloc.periods:
        span = alloc.periods[0] if len(alloc.periods) == 1 else f"{alloc.periods[0]} – {alloc.periods[-1]}"
        notes.append(TEXTS["periods"][lang].format(periods=span))
    subtitle.append(" · ".join(notes))
    if missing:
        subtitle.append(TEXTS["no_time"][lang].format(who=list_known(missing, limit=6)))
    chart = alt.layer(bars, labels, data=alt.InlineData(values=theme.chart_records(data))).properties(
        width=theme.chart_width,
        height=_PROFILE_STEP_PX * len(order),
        title=alt.TitleParams(TEXTS["profile_title"][lang], subtitle=subtitle),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart).configure_view(stroke=None)


def time_gap_chart(alloc: TimeAllocation, lang: str = "en", kam_id: str | None = None) -> alt.LayerChart:
    """Draw one profile's gap to the method's reference per activity: the team's, or a KAM's (`kam_id`)."""
    theme.check_lang(lang)
    activities = alloc.activities
    if kam_id is None:
        scope = activities[activities["scope"] == "team"]
        who = TEXTS["team"][lang]
    else:
        check_kam(alloc.kams, kam_id)
        scope = activities[(activities["scope"] == "kam") & (activities["kam_id"] == kam_id)]
        who = _kam_labels(alloc.kams)[kam_id]
        if who != kam_id:
            who = f"{who} ({kam_id})"
    data = _gap_rows(scope, lang)
    limit = gap_limit(data["gap_pp"])
    activity_labels = {a: wrap_label(ACTIVITY_LABELS[a][lang], _AXIS_WRAP_CHARS) for a in ACTIVITIES}
    sides = [TEXTS["below"][lang], TEXTS["above"][lang]]
    tooltip = [
        alt.Tooltip("activity_label:N", title=TEXTS["activity"][lang]),
        alt.Tooltip("share:Q", title=TEXTS["share"][lang], format=".1f"),
        alt.Tooltip("reference:Q", title=TEXTS["ref_share"][lang], format=".1f"),
        alt.Tooltip("gap_pp:Q", title=TEXTS["gap"][lang], format="+.1f"),
    ]
    if alloc.unit == "hours":
        tooltip.insert(2, alt.Tooltip("hours:Q", title=TEXTS["hours"][lang], format=",.1f"))
    y = alt.Y(
        "activity:N",
        sort=list(ACTIVITIES),
        scale=alt.Scale(domain=list(ACTIVITIES), paddingInner=0.3),
        axis=category_axis(labelExpr=lookup_expr("datum.label", activity_labels), labelLimit=0),
    )
    x_scale = alt.Scale(domain=[-limit, limit], nice=False)
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "gap_pp:Q",
                scale=x_scale,
                axis=gap_axis(TEXTS["gap"][lang], limit),
            ),
            x2=alt.datum(0),
            color=alt.Color(
                "side_label:N",
                scale=alt.Scale(domain=sides, range=[BELOW_COLOUR, ABOVE_COLOUR]),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", columnPadding=28),
            ),
            tooltip=tooltip,
        )
        .properties(name=GAP_LAYER)
    )
    text = alt.Chart().encode(
        y=alt.Y("activity:N", sort=list(ACTIVITIES)), x=alt.X("gap_pp:Q", scale=x_scale), text="text:N"
    )
    style = {"fontSize": VALUE_LABEL_SIZE, "fontWeight": "bold", "baseline": "middle", "color": theme.TEXT_COLOUR}
    right = text.transform_filter("datum.gap_pp >= 0").mark_text(align="left", dx=6, tooltip=False, **style)
    left = text.transform_filter("datum.gap_pp < 0").mark_text(align="right", dx=-6, tooltip=False, **style)
    zero = (
        alt.Chart(alt.InlineData(values=[{"zero": 0}]))
        .mark_rule(color=theme.CUT_LINE_COLOUR, strokeWidth=2, tooltip=False)
        .encode(x=alt.X("zero:Q", scale=x_scale))
        .properties(name="zero_rule")
    )
    subtitle = [TEXTS["gap_subtitle"][lang]]
    if data.empty:
        subtitle.append(TEXTS["gap_none"][lang].format(who=who))
    else:
        tvd = float(scope["tvd"].iloc[0])
        subtitle.append(TEXTS["gap_tvd"][lang].format(tvd=format_number(tvd, lang)))
    chart = alt.layer(
        bars,
        zero,
        right.properties(name=f"{GAP_LABEL_LAYER}_above"),
        left.properties(name=f"{GAP_LABEL_LAYER}_below"),
        data=alt.InlineData(values=theme.chart_records(data)),
    ).properties(
        width=theme.chart_width - 120,
        height=_GAP_STEP_PX * len(ACTIVITIES),
        title=alt.TitleParams(TEXTS["gap_title"][lang].format(who=who), subtitle=subtitle),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def strategy_time_chart(alloc: TimeAllocation, lang: str = "en") -> alt.TopLevelMixin:
    """Draw, per account strategy, each KAM's share of account time against the target band.

    A survey has no account time: the chart then says so in its title instead of raising.
    """
    theme.check_lang(lang)
    if alloc.unit != "hours":
        return _message_chart(TEXTS["survey_title"][lang], TEXTS["survey_subtitle"][lang], lang)
    data, missing = _strategy_rows(alloc, lang)
    if data.empty or not (data["hours"] > 0).any():
        return _message_chart(TEXTS["no_account_title"][lang], TEXTS["no_account_subtitle"][lang], lang)
    panels = [q for q in (*QUADRANTS, UNPLACED) if (data["quadrant"] == q).any()]
    names = [_strategy_name(q, lang) for q in panels]
    kams = data["kam"].drop_duplicates().tolist()
    tooltip = [
        alt.Tooltip("kam:N", title=TEXTS["kam"][lang]),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
        alt.Tooltip("share:Q", title=TEXTS["account_share"][lang], format=".1f"),
        alt.Tooltip("hours:Q", title=TEXTS["hours"][lang], format=",.1f"),
        alt.Tooltip("accounts:Q", title=TEXTS["accounts"][lang], format="d"),
        alt.Tooltip("target:N", title=TEXTS["target"][lang]),
        alt.Tooltip("status_label:N", title=TEXTS["status"][lang]),
    ]
    x_scale = alt.Scale(domain=[0, 100], nice=False)
    y = alt.Y("kam:N", sort=kams, axis=category_axis())
    band = (
        alt.Chart()
        .transform_aggregate(target_min="min(target_min)", target_max="max(target_max)")
        .transform_filter("isValid(datum.target_min) && isValid(datum.target_max)")
        .mark_rect(color=BAND_COLOUR, opacity=BAND_OPACITY, tooltip=False)
        .encode(x=alt.X("target_min:Q", scale=x_scale), x2="target_max:Q")
        .properties(name=STRATEGY_BAND_LAYER)
    )
    bars = (
        alt.Chart()
        .mark_bar(strokeJoin="round")
        .encode(
            y=y,
            x=alt.X(
                "share:Q",
                scale=x_scale,
                axis=alt.Axis(title=None, values=[0, 25, 50, 75, 100], grid=False, labelFlush=True),
            ),
            x2=alt.datum(0),
            fill=alt.Fill("colour:N", scale=None, legend=None),
            stroke=alt.condition("datum.flagged", alt.value(FLAG_COLOUR), alt.value(None)),
            strokeWidth=alt.condition("datum.flagged", alt.value(3), alt.value(0)),
            tooltip=tooltip,
        )
        .properties(name=STRATEGY_LAYER)
    )
    text = alt.Chart().encode(y=alt.Y("kam:N", sort=kams), x=alt.X("share:Q", scale=x_scale), text="text:N")
    text_style = {"fontSize": VALUE_LABEL_SIZE - 1, "fontWeight": "bold", "baseline": "middle", "tooltip": False}
    outside = (
        text.transform_filter("isValid(datum.share) && datum.share <= 70")
        .mark_text(align="left", dx=6, **text_style)
        .encode(color=alt.condition("datum.flagged", alt.value(FLAG_COLOUR), alt.value(theme.MUTED_COLOUR)))
        .properties(name=f"{STRATEGY_LABEL_LAYER}_outside")
    )
    inside = (
        text.transform_filter("datum.share > 70")
        .mark_text(align="right", dx=-7, color="white", **text_style)
        .properties(name=f"{STRATEGY_LABEL_LAYER}_inside")
    )
    header_colours = {_strategy_name(q, lang): theme.QUADRANT_TEXT_COLOURS.get(q, theme.MUTED_COLOUR) for q in panels}
    layered = alt.layer(band, bars, outside, inside).properties(
        width=_PANEL_WIDTH_PX, height=_STRATEGY_STEP_PX * len(kams)
    )
    chart = layered.facet(
        column=alt.Column(
            "strategy:N",
            sort=names,
            title=None,
            header=alt.Header(
                labelFontSize=theme.QUADRANT_LABEL_SIZE,
                labelFontWeight="bold",
                # Each header is a Vega group title: its facet's value is parent["strategy"], not datum.value.
                labelColor=alt.ExprRef(lookup_expr('parent["strategy"]', header_colours, theme.TEXT_COLOUR)),
                labelPadding=10,
                labelAnchor="start",
            ),
        ),
        data=alt.InlineData(values=theme.chart_records(data)),
        spacing=28,
    ).properties(
        title=alt.TitleParams(
            TEXTS["strategy_title"][lang],
            subtitle=[
                TEXTS["strategy_subtitle"][lang],
                *([TEXTS["strategy_rounds"][lang].format(rounds=", ".join(alloc.rounds))] if alloc.rounds else []),
                TEXTS["strategy_key"][lang],
                *([TEXTS["no_account_time"][lang].format(who=list_known(missing, limit=6))] if missing else []),
            ],
        ),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def save_time_charts(
    alloc: TimeAllocation, folder: Path | str, lang: str = "en", formats: Sequence[str] = (".svg", ".png")
) -> list[Path]:
    """Write the profile, the team's gap and the strategy chart to `folder` in each format; return the paths.

    Files are `time_profile`, `time_gap` and `strategy_time` with each suffix, returned in that order.
    """
    bad = [f for f in formats if str(f).lower() not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {list(formats)!r}")
    charts = time_charts(alloc, lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [save_chart(chart, folder / f"{name}{suffix}") for name, chart in charts.items() for suffix in formats]


def time_charts(alloc: TimeAllocation, lang: str = "en", kam_id: str | None = None) -> dict[str, alt.TopLevelMixin]:
    """The three time charts by file stem (`CHART_NAMES`): the profile, the gaps (the team's or one KAM's), the
    strategy time."""
    theme.check_lang(lang)
    gap = time_gap_chart(alloc, lang, kam_id)
    charts = (time_profile_chart(alloc, lang), gap, strategy_time_chart(alloc, lang))
    return dict(zip(CHART_NAMES, charts, strict=True))


# --- data ------------------------------------------------------------------------------------------


def _profile_rows(alloc: TimeAllocation, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the profile bars (reference, team, each KAM with time) and the KAMs left out for no time."""
    activities = alloc.activities
    reference = alloc.reference.profile()
    names = _kam_labels(alloc.kams)
    pieces = [
        pd.DataFrame(
            {
                "row": _reference_label(alloc, lang),
                "kind": "reference",
                "kam_id": None,
                "activity": list(ACTIVITIES),
                "share": reference,
                "hours": np.nan,
                "reference": reference,
                "gap_pp": 0.0,
            }
        ),
        _scope_rows(activities[activities["scope"] == "team"], TEXTS["team"][lang], "team"),
    ]
    missing = []
    kam_rows = activities[activities["scope"] == "kam"]
    for kam_id, label in names.items():
        rows = kam_rows[kam_rows["kam_id"] == kam_id]
        if rows["share"].isna().all():
            missing.append(label)
            continue
        pieces.append(_scope_rows(rows, label, "kam"))
    data = pd.concat(pieces, ignore_index=True)
    data = data[data["share"].notna()].reset_index(drop=True)
    data["activity_label"] = [ACTIVITY_LABELS[a][lang] for a in data["activity"]]
    data["end"] = data.groupby("row", sort=False)["share"].cumsum()
    data["start"] = data["end"] - data["share"]
    data["mid"] = (data["start"] + data["end"]) / 2
    data["text"] = [f"{s:.0f}" for s in data["share"]]
    data["text_colour"] = [theme.TEXT_COLOUR if a in _LIGHT_FILLS else "white" for a in data["activity"]]
    return data, missing


def _scope_rows(rows: pd.DataFrame, label: str, kind: str) -> pd.DataFrame:
    """One profile's rows, in the method's activity order."""
    rows = rows.set_index("activity").reindex(list(ACTIVITIES)).reset_index()
    return pd.DataFrame(
        {
            "row": label,
            "kind": kind,
            "kam_id": rows["kam_id"].to_numpy(dtype=object),
            "activity": rows["activity"].to_numpy(dtype=object),
            "share": rows["share"].to_numpy(dtype=np.float64),
            "hours": rows["hours"].to_numpy(dtype=np.float64),
            "reference": rows["reference"].to_numpy(dtype=np.float64),
            "gap_pp": rows["gap_pp"].to_numpy(dtype=np.float64),
        }
    )


def _gap_rows(scope: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per activity with a gap: share, reference, gap, its side and its written value."""
    rows = _scope_rows(scope, "", "")
    rows = rows[rows["gap_pp"].notna()].reset_index(drop=True)
    sides = np.where(rows["gap_pp"] < 0, "below", "above")
    return pd.DataFrame(
        {
            "activity": rows["activity"],
            "activity_label": [ACTIVITY_LABELS[a][lang] for a in rows["activity"]],
            "share": rows["share"],
            "hours": rows["hours"],
            "reference": rows["reference"],
            "gap_pp": rows["gap_pp"],
            "side": sides,
            "side_label": [TEXTS[s][lang] for s in sides],
            "text": [signed_number(g, lang) for g in rows["gap_pp"]],
        }
    )


def _strategy_rows(alloc: TimeAllocation, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The strategy table ready to draw (unplaced rows only if hours went there) and the KAMs with no account time."""
    strategy = alloc.strategy
    unplaced = strategy["quadrant"] == UNPLACED
    if not (strategy.loc[unplaced, "hours"].fillna(0) > 0).any():
        strategy = strategy[~unplaced]
    names = _kam_labels(alloc.kams)
    timed = strategy.groupby("kam_id", sort=False)["share"].transform(lambda s: s.notna().any()).astype(bool)
    missing = [names[k] for k in strategy.loc[~timed, "kam_id"].drop_duplicates()]
    strategy = strategy[timed]
    status = strategy["status"].astype(str)
    flagged = status.isin(["above", "below"]).to_numpy()
    share = strategy["share"].to_numpy(dtype=np.float64)
    data = pd.DataFrame(
        {
            "kam": [names[k] for k in strategy["kam_id"]],
            "kam_id": strategy["kam_id"].to_numpy(dtype=object),
            "quadrant": strategy["quadrant"].to_numpy(dtype=object),
            "strategy": [_strategy_name(q, lang) for q in strategy["quadrant"]],
            "accounts": strategy["accounts"].to_numpy(dtype=np.int64),
            "hours": strategy["hours"].to_numpy(dtype=np.float64),
            "share": share,
            "target_min": strategy["target_min"].to_numpy(dtype=np.float64),
            "target_max": strategy["target_max"].to_numpy(dtype=np.float64),
            "target": [
                _band(lo, hi, lang) for lo, hi in zip(strategy["target_min"], strategy["target_max"], strict=True)
            ],
            "status": status.to_numpy(dtype=object),
            "status_label": [STATUS_LABELS.get(s, {"es": s, "en": s})[lang] for s in status],
            "flagged": flagged,
            "colour": [
                tint(theme.QUADRANT_COLOURS.get(q, UNPLACED_COLOUR), 1.0 if f else OK_BAR_STRENGTH)
                for q, f in zip(strategy["quadrant"], flagged, strict=True)
            ],
            "text": [
                "" if math.isnan(s) else ("⚠ " if f else "") + format_number(s, lang)
                for s, f in zip(share, flagged, strict=True)
            ],
        }
    )
    return data, missing


def _message_chart(title: str, subtitle: str, lang: str) -> alt.Chart:
    """A chart with nothing to draw: the title and subtitle say why."""
    chart = (
        alt.Chart(alt.InlineData(values=[{"text": TEXTS["not_available"][lang]}]))
        .mark_text(fontSize=theme.AXIS_TITLE_SIZE, color=theme.MUTED_COLOUR, tooltip=False)
        .encode(text="text:N")
        .properties(
            width=theme.chart_width,
            height=120,
            title=alt.TitleParams(title, subtitle=[subtitle]),
            usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
        )
    )
    return theme.apply_theme(chart)


# --- words and numbers -----------------------------------------------------------------------------


def category_axis(**options: Any) -> alt.Axis:
    """An axis of names (KAMs, activities): large dark labels, no title, no ticks."""
    style = {
        "title": None,
        "ticks": False,
        "domain": False,
        "labelFontSize": theme.AXIS_LABEL_SIZE + 1,
        "labelColor": theme.TEXT_COLOUR,
        "labelLimit": _KAM_LABEL_LIMIT_PX,
        "labelPadding": 8,
    }
    return alt.Axis(**{**style, **options})


def _kam_labels(kams: pd.DataFrame) -> dict[str, str]:
    """Each KAM's name (its id when it has none), made unique and distinct from the chart's own rows."""
    rows = ("reference", "edited_reference", "team")
    reserved = {TEXTS[k][lang] for k in rows for lang in theme.LANGS} | {_SPACER}
    labels: dict[str, str] = {}
    for kam_id, name in zip(kams["kam_id"], kams["kam_name"], strict=True):
        label = name.strip() if isinstance(name, str) and name.strip() else str(kam_id)
        if label in reserved or label in labels.values():
            label = f"{label} ({kam_id})"
        labels[str(kam_id)] = label
    return labels


def _reference_label(alloc: TimeAllocation, lang: str) -> str:
    """The method's reference, or the engagement's own when its time reference file changed the profile."""
    return TEXTS["reference" if alloc.reference.is_the_method() else "edited_reference"][lang]


def _strategy_name(quadrant: str, lang: str) -> str:
    return TEXTS["unplaced"][lang] if quadrant == UNPLACED else STRATEGY_NAMES[quadrant][lang]


def gap_limit(gaps: Iterable[float]) -> float:
    """Half-width of the gap axis: the largest gap and room for its label, rounded up to 5 pp."""
    largest = max((abs(g) for g in gaps), default=0.0)
    return max(5.0, 5.0 * math.ceil((largest + max(3.0, 0.25 * largest)) / 5.0))


def gap_axis(title: str, limit: float, **options: Any) -> alt.Axis:
    """The axis of a diverging chart out to ±`limit` points: whole ticks, a plus sign on the positive side."""
    return alt.Axis(
        title=title,
        values=gap_ticks(limit),
        format="d",
        labelExpr="datum.value > 0 ? '+' + datum.label : datum.label",
        grid=True,
        **options,
    )


def gap_ticks(limit: float) -> list[int]:
    """Tick values of the gap axis: 0 and whole steps out to ±`limit`, at most four on each side."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if limit / s <= 4)
    n = int(limit // step)
    return [step * i for i in range(-n, n + 1)]


def _band(low: float, high: float, lang: str) -> str:
    """Write a target band: "30–100 %", or a dash where there is none (accounts out of the matrix)."""
    if math.isnan(low) or math.isnan(high):
        return "—"
    return f"{format_number(low, lang, 'g')}–{format_number(high, lang, 'g')} %"
