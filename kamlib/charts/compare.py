"""Two weight scenarios compared (`kamlib.scenarios.compare.Comparison`) as static Altair charts.

`quadrant_moves_chart` draws the account analysis matrix (METHOD.md §1) with an arrow from each account's
old position to its new one: the old position a small grey dot, the new one in its new quadrant's colour,
the cut lines of both scenarios (dashed before, solid after). `weight_change_chart` draws each criterion's
change of weight, in percentage points of its axis, grouped by axis. Every text exists in Spanish and
English; account names are data written as text, never markup; nothing is loaded from the internet.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.account import facet_by_axis
from kamlib.charts.matrix import (
    BUBBLE_LAYER,
    DOMAIN,
    arrow_layers,
    arrowheads,
    axis_scale,
    bubble_layer,
    label_layers,
    matrix_chart,
    matrix_frame,
    place_labels,
)
from kamlib.charts.text import format_number, lookup_expr, signed_number, wrap_label
from kamlib.charts.time import ABOVE_COLOUR, BELOW_COLOUR, category_axis, gap_axis, gap_limit
from kamlib.method import AXES, AXIS_LABELS, STRATEGY_NAMES
from kamlib.scenarios.compare import Comparison, scenario_label

BEFORE_LAYER = "positions_before"
ARROW_LAYER = "moves"
ARROWHEAD_LAYER = f"{ARROW_LAYER}_heads"
AFTER_LAYER = BUBBLE_LAYER
WEIGHT_LAYER = "weight_changes"
WEIGHT_LABEL_LAYER = "weight_change_labels"

BEFORE_COLOUR = "#9AA5B1"
STILL_COLOUR = "#B4BCC4"
"""The arrows of accounts that keep their quadrant, when every account is drawn."""
BEFORE_AREA = 90.0
AFTER_AREA = 200.0
"""Areas in px² of the old position's dot and the new position's dot (arrows: `kamlib.charts.matrix`)."""

_WEIGHT_STEP_PX = 46
_WEIGHT_WIDTH_PX = 520
LABEL_LIMIT_PX = 280
_LABEL_WRAP_CHARS = 26

TEXTS = {
    "moves_title": {"es": "Cambios de cuadrante: {before} → {after}", "en": "Quadrant changes: {before} → {after}"},
    "moved": {"es": "{k} de {n} cuentas cambian de cuadrante", "en": "{k} of {n} accounts change quadrant"},
    "one_moved": {"es": "1 de {n} cuentas cambia de cuadrante", "en": "1 of {n} accounts changes quadrant"},
    "none_moved": {"es": "ninguna de {n} cuentas cambia de cuadrante", "en": "none of {n} accounts changes quadrant"},
    "key": {
        "es": "punto gris: antes · punto de color: después, en el color de su nuevo cuadrante",
        "en": "grey dot: before · coloured dot: after, in its new quadrant's colour",
    },
    "cuts": {
        "es": "cortes antes (discontinuos): potencial {p0}, posición {q0} · después (continuos): potencial {p1}, "
        "posición {q1}",
        "en": "cuts before (dashed): potential {p0}, position {q0} · after (solid): potential {p1}, position {q1}",
    },
    "left_out": {
        "es": "{n} cuenta(s) fuera de la matriz en algún escenario no se muestran",
        "en": "{n} account(s) out of the matrix in a scenario are not shown",
    },
    "account": {"es": "Cuenta", "en": "Account"},
    "strategy_before": {"es": "Estrategia antes", "en": "Strategy before"},
    "strategy_after": {"es": "Estrategia después", "en": "Strategy after"},
    "potential_before": {"es": "Potencial antes", "en": "Potential before"},
    "position_before": {"es": "Posición antes", "en": "Position before"},
    "weights_title": {"es": "Cambios de peso: {before} → {after}", "en": "Weight changes: {before} → {after}"},
    "weights_subtitle": {
        "es": "Puntos porcentuales: peso del criterio en su eje (%), después menos antes",
        "en": "Percentage points: the criterion's share of its axis's weight (%), after minus before",
    },
    "change": {"es": "Cambio de peso (pp)", "en": "Weight change (pp)"},
    "criterion": {"es": "Criterio", "en": "Criterion"},
    "share_before": {"es": "Peso antes (% del eje)", "en": "Weight before (% of axis)"},
    "share_after": {"es": "Peso después (% del eje)", "en": "Weight after (% of axis)"},
    "less": {"es": "Menos peso", "en": "Less weight"},
    "more": {"es": "Más peso", "en": "More weight"},
}
"""Every chart text in both languages; `{...}` fields are filled in by the builders."""


# --- the accounts' moves in the matrix ----------------------------------------------------------------


def quadrant_moves_chart(
    comparison: Comparison, lang: str = "es", all_accounts: bool = False, label_top: int = 20
) -> alt.LayerChart:
    """Draw an arrow from each mover's position before to its position after, on the matrix of the second.

    With `all_accounts` every account placed under both scenarios gets an arrow (those that keep their
    quadrant in light grey). The names of up to `label_top` movers, largest revenue first, are written
    beside their new position where they do not overlap. The quadrants are shaded by the second scenario's
    cut lines; accounts out of the matrix under either scenario are left out, and the subtitle counts them.
    """
    theme.check_lang(lang)
    if isinstance(label_top, bool) or not isinstance(label_top, int) or label_top < 0:
        raise ValueError(f"label_top must be a non-negative integer; got {label_top!r}")
    backdrop = matrix_chart(comparison.scored_after, lang=lang, label_top=0)  # shading and quadrant names
    layers = [layer for layer in backdrop.layer if layer.name not in (BUBBLE_LAYER, "potential_cut", "position_cut")]
    points = _move_points(comparison, lang, all_accounts)
    data = alt.InlineData(values=theme.chart_records(points))
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("strategy_before:N", title=TEXTS["strategy_before"][lang]),
        alt.Tooltip("strategy:N", title=TEXTS["strategy_after"][lang]),
        alt.Tooltip("potential_before:Q", title=TEXTS["potential_before"][lang], format=".2f"),
        alt.Tooltip("potential:Q", title=AXIS_LABELS["potential"][lang], format=".2f"),
        alt.Tooltip("position_before:Q", title=TEXTS["position_before"][lang], format=".2f"),
        alt.Tooltip("position:Q", title=AXIS_LABELS["position"][lang], format=".2f"),
    ]
    cuts = comparison.cuts.set_index("axis")
    layers += [
        *_cut_lines(cuts["cut_before"], "before", {"strokeDash": [8, 5], "strokeWidth": 2, "opacity": 0.7}),
        *_cut_lines(cuts["cut_after"], "after", {"strokeWidth": 2.5}),
        alt.Chart(data)
        .mark_circle(color=BEFORE_COLOUR, opacity=0.8, size=BEFORE_AREA, stroke="white", strokeWidth=1)
        .encode(x=alt.X("position_before:Q", scale=axis_scale()), y=alt.Y("potential_before:Q", scale=axis_scale()))
        .encode(tooltip=tooltip)
        .properties(name=BEFORE_LAYER),
        *arrow_layers(data, ARROW_LAYER),
        bubble_layer(data, lang, tooltip, 1.0)
        .mark_circle(opacity=1.0, stroke="white", strokeWidth=1.5)
        .encode(size=alt.value(AFTER_AREA)),
        *_name_labels(points[points["moved"]], label_top),
    ]
    n_both = int((comparison.accounts["placement"] == "both").sum())
    n_moved = len(comparison.movers)
    if n_moved == 0:
        moved = TEXTS["none_moved"][lang].format(n=n_both)
    else:
        moved = TEXTS["one_moved" if n_moved == 1 else "moved"][lang].format(k=n_moved, n=n_both)
    subtitle = [
        f"{moved} · {TEXTS['key'][lang]}",
        TEXTS["cuts"][lang].format(
            **{
                f"{key}{i}": format_number(round(float(cuts.loc[axis, f"cut_{when}"]), 2), lang, "g")
                for key, axis in (("p", "potential"), ("q", "position"))
                for i, when in enumerate(("before", "after"))
            }
        ),
    ]
    left_out = len(comparison.accounts) - n_both
    if left_out:
        subtitle.append(TEXTS["left_out"][lang].format(n=left_out))
    return matrix_frame(layers, TEXTS["moves_title"][lang].format(**_names(comparison, lang)), subtitle, lang)


def _move_points(comparison: Comparison, lang: str, all_accounts: bool) -> pd.DataFrame:
    """One row per account drawn: both positions, both strategies, the arrow's colour and its head.

    The head sits on the segment so that its tip touches the new position's dot; its angle is the
    segment's direction on screen (degrees clockwise from up, as Vega turns a symbol). A move too short
    for a head gets none.
    """
    accounts = comparison.accounts
    drawn = accounts["moved"] if not all_accounts else accounts["placement"] == "both"
    rows = accounts[drawn.to_numpy(dtype=bool)].sort_values(
        ["moved", "revenue"], ascending=[True, False], kind="stable"
    )
    points = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(dtype=object),
            "name": rows["name"].fillna("").astype(str).to_numpy(dtype=object),
            "revenue": rows["revenue"].to_numpy(dtype=float),
            "potential_before": rows["potential_before"].clip(*DOMAIN).to_numpy(dtype=float),
            "position_before": rows["position_before"].clip(*DOMAIN).to_numpy(dtype=float),
            "potential": rows["potential_after"].clip(*DOMAIN).to_numpy(dtype=float),
            "position": rows["position_after"].clip(*DOMAIN).to_numpy(dtype=float),
            "quadrant_before": rows["quadrant_before"].to_numpy(dtype=object),
            "quadrant": rows["quadrant_after"].to_numpy(dtype=object),
            "moved": rows["moved"].to_numpy(dtype=bool),
        }
    )
    points["strategy_before"] = [STRATEGY_NAMES[q][lang] for q in points["quadrant_before"]]
    points["strategy"] = [STRATEGY_NAMES[q][lang] for q in points["quadrant"]]
    points["arrow_colour"] = [
        theme.QUADRANT_TEXT_COLOURS[q] if moved else STILL_COLOUR
        for q, moved in zip(points["quadrant"], points["moved"], strict=True)
    ]
    ends = {"x0": "position_before", "y0": "potential_before", "x1": "position", "y1": "potential"}
    points = points.assign(**{k: points[v] for k, v in ends.items()})
    heads = arrowheads((points["x0"], points["y0"]), (points["x1"], points["y1"]), AFTER_AREA)
    points = pd.concat([points, heads], axis=1)
    return points.reset_index(drop=True)


def _cut_lines(cuts: pd.Series, when: str, style: dict[str, object]) -> list[alt.Chart]:
    """Draw one scenario's cut lines: horizontal at the potential cut, vertical at the position cut."""
    mark = {"color": theme.CUT_LINE_COLOUR, "tooltip": False, **style}
    horizontal = (
        alt.Chart(alt.InlineData(values=[{"cut": float(cuts["potential"])}]))
        .mark_rule(**mark)
        .encode(y=alt.Y("cut:Q", scale=axis_scale()))
        .properties(name=f"potential_cut_{when}")
    )
    vertical = (
        alt.Chart(alt.InlineData(values=[{"cut": float(cuts["position"])}]))
        .mark_rule(**mark)
        .encode(x=alt.X("cut:Q", scale=axis_scale()))
        .properties(name=f"position_cut_{when}")
    )
    return [horizontal, vertical]


def _name_labels(movers: pd.DataFrame, label_top: int) -> list[alt.Chart]:
    """Write the names of the largest movers beside their new position, without overlaps."""
    labels = place_labels(movers.assign(area=AFTER_AREA), label_top)
    return [
        layer
        for align in ("left", "right")
        if (labels["align"] == align).any()
        for layer in label_layers(alt.InlineData(values=theme.chart_records(labels[labels["align"] == align])), align)
    ]


# --- the weights' changes ---------------------------------------------------------------------------


def weight_change_chart(comparison: Comparison, lang: str = "es") -> alt.FacetChart:
    """Draw each criterion's change of weight (pp of its axis, after − before) as a diverging bar, by axis."""
    theme.check_lang(lang)
    data = _weight_rows(comparison, lang)
    limit = gap_limit(data["share_change"])
    sides = [TEXTS["less"][lang], TEXTS["more"][lang]]
    tooltip = [
        alt.Tooltip("label:N", title=TEXTS["criterion"][lang]),
        alt.Tooltip("share_before:Q", title=TEXTS["share_before"][lang], format=".1f"),
        alt.Tooltip("share_after:Q", title=TEXTS["share_after"][lang], format=".1f"),
        alt.Tooltip("share_change:Q", title=TEXTS["change"][lang], format="+.1f"),
    ]
    x_scale = alt.Scale(domain=[-limit, limit], nice=False)
    zero = "datum.value === 0"  # the axis's zero line is drawn darker
    order = data["criterion_id"].tolist()
    labels = {
        c: wrap_label(label, _LABEL_WRAP_CHARS) for c, label in zip(data["criterion_id"], data["label"], strict=True)
    }
    y = alt.Y(
        "criterion_id:N",
        sort=order,
        scale=alt.Scale(paddingInner=0.3),
        axis=category_axis(labelExpr=lookup_expr("datum.label", labels), labelLimit=LABEL_LIMIT_PX),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "share_change:Q",
                scale=x_scale,
                axis=gap_axis(
                    TEXTS["change"][lang],
                    limit,
                    gridColor=alt.condition(zero, alt.value(theme.CUT_LINE_COLOUR), alt.value(theme.GRID_COLOUR)),
                    gridWidth=alt.condition(zero, alt.value(2), alt.value(1)),
                ),
            ),
            x2=alt.datum(0),
            color=alt.Color(
                "side_label:N",
                scale=alt.Scale(domain=sides, range=[BELOW_COLOUR, ABOVE_COLOUR]),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", columnPadding=28),
            ),
            tooltip=tooltip,
        )
        .properties(name=WEIGHT_LAYER)
    )
    text = alt.Chart().encode(
        y=alt.Y("criterion_id:N", sort=order), x=alt.X("share_change:Q", scale=x_scale), text="text:N"
    )
    style = {
        "fontSize": theme.AXIS_LABEL_SIZE,
        "fontWeight": "bold",
        "baseline": "middle",
        "color": theme.TEXT_COLOUR,
        "tooltip": False,
    }
    right = text.transform_filter("datum.share_change >= 0").mark_text(align="left", dx=6, **style)
    left = text.transform_filter("datum.share_change < 0").mark_text(align="right", dx=-6, **style)
    layered = alt.layer(
        bars,
        right.properties(name=f"{WEIGHT_LABEL_LAYER}_more"),
        left.properties(name=f"{WEIGHT_LABEL_LAYER}_less"),
    ).properties(width=_WEIGHT_WIDTH_PX, height=alt.Step(_WEIGHT_STEP_PX))
    chart = facet_by_axis(layered, data, lang).properties(
        title=alt.TitleParams(
            TEXTS["weights_title"][lang].format(**_names(comparison, lang)),
            subtitle=[TEXTS["weights_subtitle"][lang]],
        ),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def _weight_rows(comparison: Comparison, lang: str) -> pd.DataFrame:
    """One row per criterion (and segment, with criteria per segment: its label says which), potential's first: its
    label in `lang`, both shares, the change and its words."""
    weights = comparison.weights
    weights = weights.iloc[np.argsort([AXES.index(a) for a in weights["axis"]], kind="stable")]
    label = [
        (f"{segment} · " if isinstance(segment, str) else "")
        + (text.strip() if isinstance(text, str) and text.strip() else cid)
        for text, cid, segment in zip(
            weights[f"label_{lang}"], weights["criterion_id"], weights["segment"], strict=True
        )
    ]
    change = weights["share_change"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "criterion_id": [
                f"{segment}\u241f{cid}" if isinstance(segment, str) else cid
                for cid, segment in zip(weights["criterion_id"], weights["segment"], strict=True)
            ],
            "axis_label": [AXIS_LABELS[a][lang] for a in weights["axis"]],
            "label": label,
            "share_before": weights["share_before"].to_numpy(dtype=float),
            "share_after": weights["share_after"].to_numpy(dtype=float),
            "share_change": change,
            "side_label": [TEXTS["less" if c < 0 else "more"][lang] for c in change],
            "text": [signed_number(c, lang) for c in change],
        }
    )


def _names(comparison: Comparison, lang: str) -> dict[str, str]:
    """The two scenarios' names for a title."""
    before, after = (scenario_label(name, lang) for name in (comparison.before_name, comparison.after_name))
    return {"before": before, "after": after}
