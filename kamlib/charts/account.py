"""One key account's charts for its report: its place in the matrix, and its criteria against the portfolio.

`account_matrix_chart` draws the account analysis matrix (METHOD.md §1) of `matrix_chart`, every other
account a small grey dot and this one large in its quadrant's colour, ringed and named.
`criterion_profile_chart` draws each criterion's normalised score of the account (a dot) against the
portfolio's middle half (p25–p75, a grey bar) and median (a tick), grouped by axis.
Every text exists in Spanish and English; nothing is loaded from the internet.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.matrix import (
    BUBBLE_LAYER,
    DOMAIN,
    bubble_layer,
    customer_layers,
    label_layers,
    matrix_chart,
    matrix_frame,
    move_layers,
    movement_phrase,
    place_labels,
)
from kamlib.charts.matrix import (
    TEXTS as MATRIX_TEXTS,
)
from kamlib.charts.text import format_number, lookup_expr, wrap_label
from kamlib.method import AXES, AXIS_LABELS, STRATEGY_NAMES
from kamlib.plan.account import AccountPlan
from kamlib.scoring import find_account

OTHERS_LAYER = "other_accounts"
ACCOUNT_LAYER = "account"
RING_LAYER = "account_ring"
BAND_LAYER = "portfolio_middle_half"
MEDIAN_LAYER = "portfolio_median"
SCORE_LAYER = "account_scores"
VALUE_LAYER = "account_values"
NOT_SCORED_LAYER = "not_scored"

FADED_COLOUR = "#9AA5B1"
FADED_AREA = 110.0
"""Area in px² of every other account's dot."""
HIGHLIGHT_AREA = 0.6 * theme.MAX_BUBBLE_AREA
RING_GAP_PX = 6
RING_WIDTH_PX = 3
UNPLACED_COLOUR = "#7B8794"
"""The account's dot in the profile when it has no quadrant."""

_PROFILE_STEP_PX = 50
_PROFILE_WIDTH_PX = 520
_LABEL_WRAP_CHARS = 26
LABEL_LIMIT_PX = 280
_VALUE_DX_PX = 16

TEXTS = {
    "placed_title": {"es": "{account} en la matriz de cuentas", "en": "{account} in the account matrix"},
    "placed_subtitle": {
        "es": "{strategy} · potencial {potential} · posición {position}",
        "en": "{strategy} · potential {potential} · position {position}",
    },
    "others": {
        "es": "en gris, las otras {n} cuentas situadas · cortes: potencial {p}, posición {q}",
        "en": "in grey, the other {n} accounts placed · cuts: potential {p}, position {q}",
    },
    "unplaced_title": {"es": "{account}: sin lugar en la matriz", "en": "{account}: no place in the matrix"},
    "unplaced_subtitle": {
        "es": "falta puntuación con peso en: {axes}",
        "en": "no weighted score on: {axes}",
    },
    "profile_title": {"es": "{account}: perfil por criterio", "en": "{account}: criterion profile"},
    "profile_key": {
        "es": "punto: la cuenta · raya: mediana de la cartera · barra gris: mitad central de la cartera (p25–p75)",
        "en": "dot: the account · tick: the portfolio's median · grey bar: the portfolio's middle half (p25–p75)",
    },
    "profile_scale": {
        "es": "0–10 en cada criterio, 10 = mejor (los de «menos es mejor», invertidos) · cartera: cuentas situadas",
        "en": "0–10 on each criterion, 10 = best (lower-is-better criteria reversed) · portfolio: accounts placed",
    },
    "normalised": {"es": "Puntuación 0–10 (10 = mejor)", "en": "Score 0–10 (10 = best)"},
    "not_scored": {"es": "sin puntuar", "en": "not scored"},
    "account": {"es": "Cuenta", "en": "Account"},
    "criterion": {"es": "Criterio", "en": "Criterion"},
    "score": {"es": "Puntuación", "en": "Score"},
    "account_normalised": {"es": "La cuenta (0–10)", "en": "The account (0–10)"},
    "median": {"es": "Mediana de la cartera", "en": "Portfolio median"},
    "middle": {"es": "Mitad central (p25–p75)", "en": "Middle half (p25–p75)"},
    "weight_share": {"es": "Peso en su eje (%)", "en": "Weight in its axis (%)"},
    "scale": {"es": "{score} (escala {low}–{high})", "en": "{score} (scale {low}–{high})"},
    "lower_better": {"es": ", menos es mejor", "en": ", lower is better"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
}
"""Every chart text in both languages; `{...}` fields are filled in by the builders."""


# --- the account in the matrix ---------------------------------------------------------------------


def facet_by_axis(layered: alt.LayerChart, data: pd.DataFrame, lang: str) -> alt.FacetChart:
    """Lay out `layered` once per axis of the matrix (rows of `data` by its field axis_label), each row headed by
    the axis's name in `lang`, potential first, each with its own categories."""
    axis_names = [AXIS_LABELS[a][lang] for a in AXES]
    header = alt.Header(
        labelOrient="top",
        labelAngle=0,
        labelAnchor="start",
        labelFontSize=theme.LEGEND_TITLE_SIZE + 2,
        labelFontWeight="bold",
        labelColor=theme.TEXT_COLOUR,
        labelPadding=8,
    )
    return layered.facet(
        row=alt.Row("axis_label:N", sort=axis_names, title=None, header=header),
        data=alt.InlineData(values=theme.chart_records(data)),
        spacing=26,
    ).resolve_scale(y="independent")


def account_matrix_chart(
    scored: pd.DataFrame,
    account_id: str,
    lang: str = "es",
    movement: pd.DataFrame | None = None,
    customer: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Draw the account matrix with `account_id` large, ringed and named in its quadrant's colour, the others grey.

    An account left out of the matrix (no weighted score on an axis) gets the matrix of the others and a
    title that says so. An unknown id raises `KamError` naming the known ones. `movement`
    (`kamlib.plan.movement.movements`) adds the account's own arrows: from its earlier position, toward its target;
    `customer` (`CustomerView.accounts`) the line to where the customer sees its position, when it scored it.
    """
    theme.check_lang(lang)
    account = find_account(scored, account_id)
    backdrop = matrix_chart(scored, lang=lang, label_top=0)  # shading, cut lines, quadrant names
    layers = [layer for layer in backdrop.layer if layer.name != BUBBLE_LAYER]
    points = _matrix_points(scored, account_id, lang)
    data = alt.InlineData(values=theme.chart_records(points))
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("potential:Q", title=AXIS_LABELS["potential"][lang], format=".1f"),
        alt.Tooltip("position:Q", title=AXIS_LABELS["position"][lang], format=".1f"),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
        alt.Tooltip("revenue:Q", title=TEXTS["revenue"][lang], format=",.0f"),
    ]
    others = (
        bubble_layer(data, lang, tooltip, 1.0)
        .transform_filter("!datum.highlight")
        .mark_circle(opacity=0.75, stroke="white", strokeWidth=1)
        .encode(color=alt.value(FADED_COLOUR), size=alt.value(FADED_AREA))
        .properties(name=OTHERS_LAYER)
    )
    layers.append(others)
    cuts = scored.attrs.get("cuts", {})
    cut_note = TEXTS["others"][lang].format(
        n=int((~points["highlight"]).sum()),
        p=format_number(cuts.get("potential", 5.0), lang, "g"),
        q=format_number(cuts.get("position", 5.0), lang, "g"),
    )
    label = f"{account['name']} ({account_id})"
    moves = None if movement is None else movement[movement["account_id"] == account_id]
    theirs = None if customer is None else customer[customer["account_id"] == account_id]
    if points["highlight"].any():
        quadrant = str(account["quadrant"])
        ring = (math.sqrt(HIGHLIGHT_AREA / math.pi) + RING_GAP_PX) * 2
        highlighted = points[points["highlight"]].assign(area=math.pi * (ring / 2) ** 2)
        layers += [
            *move_layers(moves, highlighted, "history", lang),
            bubble_layer(data, lang, tooltip, 1.0)
            .transform_filter("datum.highlight")
            .mark_circle(opacity=1.0, stroke="white", strokeWidth=2)
            .encode(size=alt.value(HIGHLIGHT_AREA))
            .properties(name=ACCOUNT_LAYER),
            alt.Chart(data)
            .transform_filter("datum.highlight")
            .mark_point(
                shape="circle",
                filled=False,
                size=ring**2,
                strokeWidth=RING_WIDTH_PX,
                color=theme.QUADRANT_TEXT_COLOURS[quadrant],
                opacity=1.0,
                tooltip=False,
            )
            .encode(x=alt.X("position:Q", scale=axis_scale()), y=alt.Y("potential:Q", scale=axis_scale()))
            .properties(name=RING_LAYER),
            *move_layers(moves, highlighted, "target", lang),
            *customer_layers(theirs, highlighted, lang),
            *_name_label(points[points["highlight"]], ring),
        ]
        title = TEXTS["placed_title"][lang].format(account=label)
        subtitle = [
            TEXTS["placed_subtitle"][lang].format(
                strategy=STRATEGY_NAMES[quadrant][lang],
                potential=format_number(float(account["potential"]), lang),
                position=format_number(float(account["position"]), lang),
            ),
            cut_note,
        ]
        if moves is not None and len(moves):
            subtitle.append(movement_phrase(moves, lang))
        if theirs is not None and theirs["customer_position"].notna().any():
            subtitle.append(MATRIX_TEXTS["customer"][lang])
    else:
        missing = str(account.get("missing_axis") or ", ".join(AXES))
        axes = " · ".join(AXIS_LABELS[a][lang] for a in AXES if a in missing)
        title = TEXTS["unplaced_title"][lang].format(account=label)
        subtitle = [TEXTS["unplaced_subtitle"][lang].format(axes=axes), cut_note]
    return matrix_frame(layers, title, subtitle, lang)


def _matrix_points(scored: pd.DataFrame, account_id: str, lang: str) -> pd.DataFrame:
    """One row per placed account: id, name, composites, quadrant, strategy, revenue, and the highlight flag."""
    placed = scored["placed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    rows = scored.loc[placed & scored["potential"].notna().to_numpy() & scored["position"].notna().to_numpy()]
    points = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(dtype=object),
            "name": rows["name"].fillna("").astype(str).to_numpy(dtype=object),
            "potential": rows["potential"].astype(float).clip(*DOMAIN).to_numpy(),
            "position": rows["position"].astype(float).clip(*DOMAIN).to_numpy(),
            "quadrant": rows["quadrant"].astype(str).to_numpy(dtype=object),
            "revenue": pd.to_numeric(rows["revenue"], errors="coerce").to_numpy(dtype=float),
        }
    )
    points["strategy"] = [STRATEGY_NAMES[q][lang] for q in points["quadrant"]]
    points["highlight"] = points["account_id"] == account_id
    return points.sort_values("highlight", kind="stable").reset_index(drop=True)  # the account drawn last


def _name_label(point: pd.DataFrame, ring: float) -> list[alt.Chart]:
    """Write the account's name beside its ring, on the side where it fits."""
    labels = place_labels(point.assign(area=math.pi * (ring / 2) ** 2), label_top=1)
    return [
        layer
        for align in ("left", "right")
        if (labels["align"] == align).any()
        for layer in label_layers(alt.InlineData(values=theme.chart_records(labels[labels["align"] == align])), align)
    ]


def axis_scale() -> alt.Scale:
    """The fixed 0–10 scale of both matrix axes (as `matrix_chart` draws them)."""
    return alt.Scale(domain=list(DOMAIN), nice=False, zero=False, clamp=True)


# --- the criterion profile -------------------------------------------------------------------------


def criterion_profile_chart(plan: AccountPlan, lang: str = "es") -> alt.FacetChart:
    """Draw each criterion's score of the account against the portfolio's median and middle half, by axis."""
    theme.check_lang(lang)
    data = _profile_rows(plan, lang)
    colour = theme.QUADRANT_COLOURS[plan.quadrant] if plan.quadrant else UNPLACED_COLOUR
    labels = {row.criterion_id: wrap_label(row.label, _LABEL_WRAP_CHARS) for row in data.itertuples(index=False)}
    tooltip = [
        alt.Tooltip("label:N", title=TEXTS["criterion"][lang]),
        alt.Tooltip("score_text:N", title=TEXTS["score"][lang]),
        alt.Tooltip("normalised:Q", title=TEXTS["account_normalised"][lang], format=".1f"),
        alt.Tooltip("median:Q", title=TEXTS["median"][lang], format=".1f"),
        alt.Tooltip("middle:N", title=TEXTS["middle"][lang]),
        alt.Tooltip("weight_share:Q", title=TEXTS["weight_share"][lang], format=".0f"),
    ]
    x_scale = alt.Scale(domain=[0, 10], nice=False, zero=True)
    y = alt.Y(
        "criterion_id:N",
        sort=data["criterion_id"].tolist(),
        scale=alt.Scale(paddingInner=0.45, paddingOuter=0.4),
        axis=alt.Axis(
            title=None,
            ticks=False,
            domain=False,
            labelExpr=lookup_expr("datum.label", labels),
            labelFontSize=theme.AXIS_LABEL_SIZE + 1,
            labelColor=theme.TEXT_COLOUR,
            labelLimit=LABEL_LIMIT_PX,
            labelPadding=10,
        ),
    )
    x = alt.X(
        "p25:Q",
        scale=x_scale,
        axis=alt.Axis(title=TEXTS["normalised"][lang], values=list(range(11)), format="d", grid=True),
    )
    band = (
        alt.Chart()
        .mark_bar(color=theme.GRID_COLOUR, stroke="#9AA5B1", strokeWidth=1, cornerRadius=3)
        .encode(y=y, x=x, x2="p75:Q", tooltip=tooltip)
        .properties(name=BAND_LAYER)
    )
    median = (
        alt.Chart()
        .mark_tick(color=theme.CUT_LINE_COLOUR, thickness=4, size=_PROFILE_STEP_PX * 0.62)
        .encode(y=alt.Y("criterion_id:N", sort=data["criterion_id"].tolist()), x=alt.X("median:Q", scale=x_scale))
        .encode(tooltip=tooltip)
        .properties(name=MEDIAN_LAYER)
    )
    score = (
        alt.Chart()
        .mark_circle(size=340, color=colour, opacity=1.0, stroke="white", strokeWidth=2)
        .encode(
            y=alt.Y("criterion_id:N", sort=data["criterion_id"].tolist()),
            x=alt.X("normalised:Q", scale=x_scale),
            tooltip=tooltip,
        )
        .properties(name=SCORE_LAYER)
    )
    values = alt.Chart().encode(
        y=alt.Y("criterion_id:N", sort=data["criterion_id"].tolist()), x=alt.datum(10), text="value_text:N"
    )
    style = {"align": "left", "baseline": "middle", "dx": _VALUE_DX_PX, "fontSize": theme.AXIS_LABEL_SIZE + 1}
    value = (
        values.transform_filter("datum.scored")
        .mark_text(color=theme.TEXT_COLOUR, fontWeight="bold", tooltip=False, **style)
        .properties(name=VALUE_LAYER)
    )
    not_scored = (
        values.transform_filter("!datum.scored")
        .mark_text(color=theme.MUTED_COLOUR, fontStyle="italic", tooltip=False, **style)
        .properties(name=NOT_SCORED_LAYER)
    )
    layered = alt.layer(band, median, score, value, not_scored).properties(
        width=_PROFILE_WIDTH_PX, height=alt.Step(_PROFILE_STEP_PX)
    )
    chart = facet_by_axis(layered, data, lang).properties(
        title=alt.TitleParams(
            TEXTS["profile_title"][lang].format(account=f"{plan.name} ({plan.account_id})"),
            subtitle=[TEXTS["profile_key"][lang], TEXTS["profile_scale"][lang]],
        ),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def _profile_rows(plan: AccountPlan, lang: str) -> pd.DataFrame:
    """One row per criterion, in workbook order within each axis: label, scores, quartiles and their words."""
    criteria = plan.criteria
    criteria = criteria.iloc[np.argsort([AXES.index(a) for a in criteria["axis"]], kind="stable")]
    label = [
        text if isinstance(text, str) and text.strip() else cid
        for text, cid in zip(criteria[f"label_{lang}"], criteria["criterion_id"], strict=True)
    ]
    scored = criteria["normalised"].notna().to_numpy()
    return pd.DataFrame(
        {
            "criterion_id": criteria["criterion_id"].to_numpy(dtype=object),
            "axis": criteria["axis"].to_numpy(dtype=object),
            "axis_label": [AXIS_LABELS[a][lang] for a in criteria["axis"]],
            "label": label,
            "score": criteria["score"].to_numpy(dtype=float),
            "normalised": criteria["normalised"].to_numpy(dtype=float),
            "p25": criteria["p25"].to_numpy(dtype=float),
            "median": criteria["median"].to_numpy(dtype=float),
            "p75": criteria["p75"].to_numpy(dtype=float),
            "weight_share": criteria["weight_share"].to_numpy(dtype=float),
            "scored": scored,
            "score_text": [_score_text(c, lang) for c in criteria.itertuples(index=False)],
            "middle": [
                "—" if math.isnan(lo) else f"{format_number(lo, lang)}–{format_number(hi, lang)}"
                for lo, hi in zip(criteria["p25"], criteria["p75"], strict=True)
            ],
            "value_text": [
                format_number(v, lang) if ok else TEXTS["not_scored"][lang]
                for v, ok in zip(criteria["normalised"], scored, strict=True)
            ],
        }
    )


def _score_text(criterion: object, lang: str) -> str:
    """The raw score as scored, with its scale: "7,5 (escala 1–10)"; "sin puntuar" when there is none."""
    score = float(criterion.score)
    if math.isnan(score):
        return TEXTS["not_scored"][lang]
    text = TEXTS["scale"][lang].format(
        score=format_number(score, lang, ".2f").rstrip("0").rstrip(".,"),
        low=format_number(criterion.scale_min, lang, "g"),
        high=format_number(criterion.scale_max, lang, "g"),
    )
    return text[:-1] + TEXTS["lower_better"][lang] + ")" if not criterion.higher_is_better else text
