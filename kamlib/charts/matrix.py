"""The account analysis matrix (METHOD.md §1) as a static Altair bubble chart."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.text import lookup_expr
from kamlib.method import AXIS_LABELS, ON_THE_FENCE, QUADRANTS, STRATEGY_NAMES

REQUIRED_COLUMNS: tuple[str, ...] = ("name", "potential", "position", "quadrant", "placed")
DOMAIN: tuple[float, float] = (0.0, 10.0)
BUBBLE_LAYER = "accounts"
NAME_LABEL_LAYER = "account_names"
NAME_HALO_LAYER = "account_name_halos"
FENCE_LAYER = "on_the_fence"
FENCE_RING_GAP_PX = 5.0
"""How far outside its bubble an on-the-fence account's ring is drawn."""

TEXTS = {
    "title": {"es": "Matriz de análisis de cuentas", "en": "Account analysis matrix"},
    "account": {"es": "Cuenta", "en": "Account"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "area": {"es": "área de la burbuja proporcional a {size}", "en": "bubble area proportional to {size}"},
    "accounts": {"es": "{n} cuentas", "en": "{n} accounts"},
    "one_account": {"es": "1 cuenta", "en": "1 account"},
    "unplaced": {"es": "{n} cuentas sin situar no se muestran", "en": "{n} accounts not placed are not shown"},
    "one_unplaced": {"es": "1 cuenta sin situar no se muestra", "en": "1 account not placed is not shown"},
    "cuts": {"es": "cortes: potencial {p}, posición {q}", "en": "cuts: potential {p}, position {q}"},
    "fence": {
        "es": "anillo: en la frontera ({n}; su cuadrante se mantiene en menos del {pct} % de los pesos extraídos)",
        "en": "ring: on the fence ({n}; kept in its quadrant by fewer than {pct} % of the weight draws)",
    },
    "stability": {"es": "Estabilidad %", "en": "Stability %"},
}
"""Every chart text in both languages; `{...}` fields are filled in by matrix_chart."""

# Where each quadrant's name sits: (x, y, align, baseline), in axis units and Vega text anchors.
_CORNERS: dict[str, tuple[float, float, str, str]] = {
    "invest": (DOMAIN[1], DOMAIN[1], "right", "top"),
    "selective": (DOMAIN[0], DOMAIN[1], "left", "top"),
    "maintain": (DOMAIN[1], DOMAIN[0], "right", "bottom"),
    "milk": (DOMAIN[0], DOMAIN[0], "left", "bottom"),
}
_CORNER_OFFSET_PX = 10
_LABEL_GAP_PX = 5
_LABEL_LIMIT_PX = 240
_CHAR_WIDTH_PX = 0.56 * theme.NAME_LABEL_SIZE


def matrix_chart(
    scored: pd.DataFrame,
    cuts: tuple[float, float] | None = None,
    lang: str = "es",
    size: str = "revenue",
    label_top: int = 8,
    robustness: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Draw the placed accounts of `scored` on the potential × position matrix.

    `cuts` is (potential cut, position cut); by default the ones the scoring used (`scored.attrs["cuts"]`), else 5, 5.
    `robustness` (`kamlib.robustness.Robustness.accounts`: account_id, stability, stability_error,
    on_the_fence) adds each account's stability to its tooltip and a dashed ring round the accounts on the fence.
    """
    theme.check_lang(lang)
    if cuts is None:
        used = scored.attrs.get("cuts", {})
        cuts = (used.get("potential", 5.0), used.get("position", 5.0))
    potential_cut, position_cut = _check_cuts(cuts)
    if isinstance(label_top, bool) or not isinstance(label_top, int) or label_top < 0:
        raise ValueError(f"label_top must be a non-negative integer; got {label_top!r}")
    missing = [c for c in (*REQUIRED_COLUMNS, size) if c not in scored.columns]
    if missing:
        raise ValueError(f"scored lacks column(s): {', '.join(missing)}")

    points = _placed_points(scored, size, lang, robustness)
    n_unplaced = len(scored) - len(points)
    size_title = TEXTS["revenue"][lang] if size == "revenue" else size

    layers = [
        _quadrant_shading(potential_cut, position_cut),
        *_cut_lines(potential_cut, position_cut),
        *_quadrant_names(lang),
        _bubbles(points, lang, size, size_title),
        *_fence_rings(points),
        *_name_labels(points, label_top),
    ]
    subtitle = [
        " · ".join(
            [
                TEXTS["one_account"][lang] if len(points) == 1 else TEXTS["accounts"][lang].format(n=len(points)),
                TEXTS["area"][lang].format(size=_size_phrase(size, lang)),
                TEXTS["cuts"][lang].format(p=_number(potential_cut, lang), q=_number(position_cut, lang)),
            ]
        )
    ]
    if robustness is not None:
        fence = int(points["on_the_fence"].sum())
        subtitle.append(TEXTS["fence"][lang].format(n=fence, pct=round(100 * ON_THE_FENCE)))
    if n_unplaced:
        subtitle.append(
            TEXTS["one_unplaced"][lang] if n_unplaced == 1 else TEXTS["unplaced"][lang].format(n=n_unplaced)
        )
    chart = alt.layer(*layers).properties(
        width=theme.chart_width,
        height=theme.chart_height,
        title=alt.TitleParams(TEXTS["title"][lang], subtitle=subtitle),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def _check_cuts(cuts: tuple[float, float]) -> tuple[float, float]:
    """Return the two cut values as floats, or raise ValueError if not inside the axes."""
    try:
        potential_cut, position_cut = (float(c) for c in cuts)
    except (TypeError, ValueError):
        raise ValueError(f"cuts must be two numbers (potential_cut, position_cut); got {cuts!r}") from None
    for value in (potential_cut, position_cut):
        if not (math.isfinite(value) and DOMAIN[0] <= value <= DOMAIN[1]):
            raise ValueError(f"cuts must lie within {DOMAIN[0]:g}–{DOMAIN[1]:g}; got {cuts!r}")
    return potential_cut, position_cut


def _placed_points(scored: pd.DataFrame, size: str, lang: str, robustness: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one clean row per placed account: name, composites, quadrant, strategy, size (and stability in %,
    its error and whether it is on the fence, given `robustness`)."""
    placed = scored["placed"].astype("boolean").fillna(False).astype(bool)
    potential = pd.to_numeric(scored["potential"], errors="coerce")
    position = pd.to_numeric(scored["position"], errors="coerce")
    keep = placed & potential.notna() & position.notna()
    rows = scored.loc[keep]
    bad = ~rows["quadrant"].isin(QUADRANTS)
    if bad.any():
        ids = rows["account_id"] if "account_id" in rows.columns else rows.index.to_series()
        raise ValueError(
            f"placed account(s) without a valid quadrant ({', '.join(QUADRANTS)}): "
            + ", ".join(str(i) for i in ids[bad].head(10))
        )
    size_values = pd.to_numeric(rows[size], errors="coerce").fillna(0.0).clip(lower=0.0)
    points = pd.DataFrame(
        {
            "name": rows["name"].fillna("").astype(str),
            "potential": potential[keep].clip(*DOMAIN).astype(float),
            "position": position[keep].clip(*DOMAIN).astype(float),
            "quadrant": rows["quadrant"].astype(str),
            "size": size_values.astype(float),
        }
    )
    points["strategy"] = [STRATEGY_NAMES[q][lang] for q in points["quadrant"]]
    if size != "revenue" and "revenue" in rows.columns:
        points["revenue"] = pd.to_numeric(rows["revenue"], errors="coerce").astype(float)
    if robustness is not None:
        found = robustness.set_index("account_id").reindex(rows["account_id"])
        points["stability"] = (100 * found["stability"]).round(1).to_numpy()
        points["stability_error"] = (100 * found["stability_error"]).round(1).to_numpy()
        points["on_the_fence"] = found["on_the_fence"].fillna(False).astype(bool).to_numpy()
    largest = points["size"].max() if len(points) else 0.0
    points["area"] = points["size"] / largest * theme.MAX_BUBBLE_AREA if largest > 0 else 0.0
    return points.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)


def _quadrant_shading(potential_cut: float, position_cut: float) -> alt.Chart:
    """Shade each quadrant lightly in its colour."""
    lo, hi = DOMAIN
    spans = {
        "invest": (position_cut, hi, potential_cut, hi),
        "selective": (lo, position_cut, potential_cut, hi),
        "maintain": (position_cut, hi, lo, potential_cut),
        "milk": (lo, position_cut, lo, potential_cut),
    }
    rows = [
        {"quadrant": q, "x": x, "x2": x2, "y": y, "y2": y2, "colour": theme.QUADRANT_COLOURS[q]}
        for q, (x, x2, y, y2) in spans.items()
    ]
    return shading_layer(alt.Chart(alt.InlineData(values=rows)))


def shading_layer(base: alt.Chart, fields: tuple[str, str, str, str] = ("x", "x2", "y", "y2")) -> alt.Chart:
    """Draw the quadrants' light shading from rows holding their corners and `colour`."""
    x, x2, y, y2 = fields
    return (
        base.mark_rect(opacity=theme.QUADRANT_SHADE_OPACITY, tooltip=False)
        .encode(
            x=alt.X(f"{x}:Q", scale=axis_scale()),
            x2=f"{x2}:Q",
            y=alt.Y(f"{y}:Q", scale=axis_scale()),
            y2=f"{y2}:Q",
            fill=alt.Fill("colour:N", scale=None, legend=None),
        )
        .properties(name="quadrant_shading")
    )


def _cut_lines(potential_cut: float, position_cut: float) -> list[alt.Chart]:
    """Draw the horizontal potential cut and the vertical position cut."""
    style = {"color": theme.CUT_LINE_COLOUR, "strokeWidth": 2, "strokeDash": [8, 5], "tooltip": False}
    horizontal = (
        alt.Chart(alt.InlineData(values=[{"potential_cut": potential_cut}]))
        .mark_rule(**style)
        .encode(y=alt.Y("potential_cut:Q", scale=axis_scale()))
        .properties(name="potential_cut")
    )
    vertical = (
        alt.Chart(alt.InlineData(values=[{"position_cut": position_cut}]))
        .mark_rule(**style)
        .encode(x=alt.X("position_cut:Q", scale=axis_scale()))
        .properties(name="position_cut")
    )
    return [horizontal, vertical]


def _quadrant_names(lang: str) -> list[alt.Chart]:
    """Write each quadrant's strategy name in its outer corner."""
    layers = []
    for quadrant, (x, y, align, baseline) in _CORNERS.items():
        dx = _CORNER_OFFSET_PX if align == "left" else -_CORNER_OFFSET_PX
        dy = _CORNER_OFFSET_PX if baseline == "top" else -_CORNER_OFFSET_PX
        row = {"quadrant": quadrant, "label": STRATEGY_NAMES[quadrant][lang], "x": x, "y": y}
        layers.append(
            alt.Chart(alt.InlineData(values=[row]))
            .mark_text(
                align=align,
                baseline=baseline,
                dx=dx,
                dy=dy,
                fontSize=theme.QUADRANT_LABEL_SIZE,
                fontWeight="bold",
                color=theme.QUADRANT_TEXT_COLOURS[quadrant],
                tooltip=False,
            )
            .encode(x=alt.X("x:Q", scale=axis_scale()), y=alt.Y("y:Q", scale=axis_scale()), text="label:N")
            .properties(name=f"quadrant_name_{quadrant}")
        )
    return layers


def _bubbles(points: pd.DataFrame, lang: str, size: str, size_title: str) -> alt.Chart:
    """Draw one bubble per placed account, area in proportion to its size value."""
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("potential:Q", title=AXIS_LABELS["potential"][lang], format=".1f"),
        alt.Tooltip("position:Q", title=AXIS_LABELS["position"][lang], format=".1f"),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
    ]
    if "stability" in points.columns:
        tooltip.append(alt.Tooltip("stability:Q", title=TEXTS["stability"][lang], format=".1f"))
    if size == "revenue":
        tooltip.append(alt.Tooltip("size:Q", title=TEXTS["revenue"][lang], format=",.0f"))
    else:
        if "revenue" in points.columns:
            tooltip.append(alt.Tooltip("revenue:Q", title=TEXTS["revenue"][lang], format=",.0f"))
        tooltip.append(alt.Tooltip("size:Q", title=size_title, format=",.4~g"))
    largest = float(points["size"].max()) if len(points) else 0.0
    data = alt.InlineData(values=theme.chart_records(points.drop(columns="area")))
    return bubble_layer(data, lang, tooltip, largest)


def _fence_rings(points: pd.DataFrame) -> list[alt.Chart]:
    """A dashed ring a few pixels outside the bubble of each account on the fence (none without robustness)."""
    if "on_the_fence" not in points.columns or not points["on_the_fence"].any():
        return []
    fence = points.loc[points["on_the_fence"], ["name", "position", "potential", "area"]]
    radius = (fence["area"] / math.pi) ** 0.5 + FENCE_RING_GAP_PX
    rings = fence.drop(columns="area").assign(ring=math.pi * radius**2)
    return [
        alt.Chart(alt.InlineData(values=theme.chart_records(rings)))
        .mark_point(shape="circle", filled=False, strokeWidth=2, strokeDash=[4, 3], color=theme.TEXT_COLOUR)
        .encode(
            x=alt.X("position:Q", scale=axis_scale()),
            y=alt.Y("potential:Q", scale=axis_scale()),
            size=alt.Size("ring:Q", scale=None, legend=None),
            tooltip=alt.value(None),
        )
        .properties(name=FENCE_LAYER)
    ]


def bubble_layer(
    data: alt.InlineData | alt.NamedData, lang: str, tooltip: list[alt.Tooltip], largest: float
) -> alt.Chart:
    """Draw bubbles from `data` (fields position, potential, size, quadrant): the look both matrices share."""
    legend_labels = {q: STRATEGY_NAMES[q][lang] for q in QUADRANTS}
    return (
        alt.Chart(data)
        .mark_circle(opacity=theme.BUBBLE_OPACITY, stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X(
                "position:Q",
                scale=axis_scale(),
                axis=alt.Axis(title=AXIS_LABELS["position"][lang], values=list(range(11)), format="d", grid=True),
            ),
            y=alt.Y(
                "potential:Q",
                scale=axis_scale(),
                axis=alt.Axis(title=AXIS_LABELS["potential"][lang], values=list(range(11)), format="d", grid=True),
            ),
            size=alt.Size(
                "size:Q",
                scale=alt.Scale(type="linear", zero=True, domain=[0, largest or 1.0], range=[0, theme.MAX_BUBBLE_AREA]),
                legend=None,
            ),
            color=alt.Color(
                "quadrant:N",
                scale=alt.Scale(domain=list(QUADRANTS), range=[theme.QUADRANT_COLOURS[q] for q in QUADRANTS]),
                legend=alt.Legend(
                    title=TEXTS["strategy"][lang],
                    orient="bottom",
                    direction="horizontal",
                    labelExpr=lookup_expr("datum.label", legend_labels),
                    symbolOpacity=theme.BUBBLE_OPACITY,
                    columnPadding=24,
                ),
            ),
            tooltip=tooltip,
        )
        .properties(name=BUBBLE_LAYER)
    )


def place_labels(points: pd.DataFrame, label_top: int) -> pd.DataFrame:
    """Choose up to `label_top` name labels, largest accounts first, none overlapping another.

    Each label goes right of its bubble, or left when it would leave the plot or collide;
    a label that fits neither side is dropped and the next largest account is tried.
    Returns `name`, `label_x`, `potential` and `align` (left/right) of the labels kept.
    """
    px_per_unit = theme.chart_width / (DOMAIN[1] - DOMAIN[0])
    py_per_unit = theme.chart_height / (DOMAIN[1] - DOMAIN[0])
    half_height = 0.65 * theme.NAME_LABEL_SIZE
    kept: list[dict[str, Any]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for row in points.itertuples(index=False):
        if len(kept) >= label_top:
            break
        radius = math.sqrt(row.area / math.pi)
        width = min(len(row.name) * _CHAR_WIDTH_PX, _LABEL_LIMIT_PX)
        x = (row.position - DOMAIN[0]) * px_per_unit
        y = (DOMAIN[1] - row.potential) * py_per_unit
        for align in ("left", "right"):
            start = x + radius + _LABEL_GAP_PX if align == "left" else x - radius - _LABEL_GAP_PX - width
            box = (start, y - half_height, start + width, y + half_height)
            inside = box[0] >= 0 and box[2] <= theme.chart_width
            if inside and not any(_overlap(box, other) for other in boxes):
                boxes.append(box)
                offset = (radius + _LABEL_GAP_PX) / px_per_unit
                label_x = row.position + offset if align == "left" else row.position - offset
                kept.append({"name": row.name, "label_x": label_x, "potential": row.potential, "align": align})
                break
    return pd.DataFrame(kept, columns=["name", "label_x", "potential", "align"])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _name_labels(points: pd.DataFrame, label_top: int) -> list[alt.Chart]:
    """Write the names of the largest accounts beside their bubbles, without overlaps."""
    labels = place_labels(points, label_top)
    return [
        layer
        for align in ("left", "right")
        if (labels["align"] == align).any()
        for layer in label_layers(alt.InlineData(values=theme.chart_records(labels[labels["align"] == align])), align)
    ]


def label_layers(data: alt.InlineData | alt.NamedData, align: str) -> list[alt.Chart]:
    """Draw name labels (fields name, label_x, potential) aligned `align`, on a white halo."""
    base = alt.Chart(data).encode(
        x=alt.X("label_x:Q", scale=axis_scale()), y=alt.Y("potential:Q", scale=axis_scale()), text="name:N"
    )
    if isinstance(data, alt.NamedData):
        base = base.transform_filter(alt.datum.align == align)
    text = {
        "align": align,
        "baseline": "middle",
        "fontSize": theme.NAME_LABEL_SIZE,
        "fontWeight": 600,
        "limit": _LABEL_LIMIT_PX,
        "tooltip": False,
    }
    halo = base.mark_text(**text, color="white", stroke="white", strokeWidth=4, strokeJoin="round", opacity=0.85)
    return [
        halo.properties(name=f"{NAME_HALO_LAYER}_{align}"),
        base.mark_text(**text, color=theme.TEXT_COLOUR).properties(name=f"{NAME_LABEL_LAYER}_{align}"),
    ]


def axis_scale() -> alt.Scale:
    """Return the fixed 0–10 scale both axes share."""
    return alt.Scale(domain=list(DOMAIN), nice=False, zero=False, clamp=True)


def _size_phrase(size: str, lang: str) -> str:
    """Name the bubble-size column in running text."""
    if size == "revenue":
        return "la facturación" if lang == "es" else "revenue"
    return size


def _number(value: float, lang: str) -> str:
    """Format a cut value briefly, with a decimal comma in Spanish."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "es" else text
