"""The account analysis matrix (METHOD.md §1) as a static Altair bubble chart."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
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
ARROWHEAD_AREA = 150.0
"""Area in px² of an arrowhead (a triangle turned along its arrow)."""
ARROW_WIDTH_PX = 2.5
MOVE_LAYER = "moves_{kind}"
MOVE_END_AREA = 90.0
"""Area in px² of the grey dot at an earlier position and of the ring at a target."""
MOVE_COLOUR = "#3E4C59"
CUSTOMER_LAYER = "customer_view"
CUSTOMER_COLOUR = "#6B3FA0"
"""The line from our view of our position to the customer's, and the diamond at the customer's (contrast ≥ 4.5:1
on white)."""
CUSTOMER_END_AREA = 110.0

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
    "history": {
        "es": "flecha continua: de la posición en {period} (punto gris) a la actual",
        "en": "solid arrow: from the position in {period} (grey dot) to the current one",
    },
    "target": {
        "es": "flecha discontinua: hacia la posición objetivo (anillo)",
        "en": "dashed arrow: toward the target position (ring)",
    },
    "from": {"es": "Desde", "en": "From"},
    "to": {"es": "Hasta", "en": "To"},
    "period": {"es": "Periodo", "en": "Period"},
    "target_word": {"es": "Objetivo", "en": "Target"},
    "customer": {
        "es": "línea de puntos morada: de nuestra posición a la que ve el cliente (rombo)",
        "en": "dotted purple line: from our position to the one the customer sees (diamond)",
    },
    "customer_position": {"es": "Posición según el cliente", "en": "Position as the customer sees it"},
    "our_position": {"es": "Posición según nosotros", "en": "Position as we see it"},
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
LABEL_GAP_PX = 5
LABEL_LIMIT_PX = 240
CHAR_WIDTH_PX = 0.56 * theme.NAME_LABEL_SIZE


def matrix_chart(
    scored: pd.DataFrame,
    cuts: tuple[float, float] | None = None,
    lang: str = "es",
    size: str = "revenue",
    label_top: int = 8,
    robustness: pd.DataFrame | None = None,
    movement: pd.DataFrame | None = None,
    customer: pd.DataFrame | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Draw the placed accounts of `scored` on the potential × position matrix (titled `title`, else the matrix's
    own title).

    `cuts` is (potential cut, position cut); by default the ones the scoring used (`scored.attrs["cuts"]`), else 5, 5.
    `robustness` (`kamlib.scenarios.robustness.Robustness.accounts`: account_id, stability, stability_error,
    on_the_fence) adds each account's stability to its tooltip and a dashed ring round the accounts on the fence.
    `movement` (`kamlib.plan.movement.movements`) adds an arrow per move: from the earlier position (a small grey
    dot) to the bubble for a `history` move, from the bubble to the target (a hollow ring) for a `target` one.
    `customer` (`kamlib.plan.customer_view.CustomerView.accounts`) adds, for every placed account the customer
    scored, a dotted line at its potential from our view of our position to the customer's (a diamond).
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
        *quadrant_names(lang),
        *move_layers(movement, points, "history", lang),
        _bubbles(points, lang, size, size_title),
        *move_layers(movement, points, "target", lang),
        *customer_layers(customer, points, lang),
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
    if movement is not None and len(movement):
        subtitle.append(movement_phrase(movement, lang))
    seen = _customer_rows(customer, points)
    if len(seen):
        count = TEXTS["accounts"][lang].format(n=len(seen)) if len(seen) != 1 else TEXTS["one_account"][lang]
        subtitle.append(f"{TEXTS['customer'][lang]} · {count}")
    if robustness is not None:
        fence = int(points["on_the_fence"].sum())
        subtitle.append(TEXTS["fence"][lang].format(n=fence, pct=round(100 * ON_THE_FENCE)))
    if n_unplaced:
        subtitle.append(
            TEXTS["one_unplaced"][lang] if n_unplaced == 1 else TEXTS["unplaced"][lang].format(n=n_unplaced)
        )
    return matrix_frame(layers, title or TEXTS["title"][lang], subtitle, lang)


def matrix_frame(layers: list[alt.Chart], title: str, subtitle: list[str], lang: str) -> alt.LayerChart:
    """Lay out a matrix's layers at the theme's size, with its title, subtitle and locale; arrows' colours are a
    scale of their own beside the strategies' legend."""
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            width=theme.chart_width,
            height=theme.chart_height,
            title=alt.TitleParams(title, subtitle=subtitle),
            usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
        )
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
    if "account_id" in rows.columns:
        points["account_id"] = rows["account_id"].astype(str)
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


def quadrant_names(lang: str) -> list[alt.Chart]:
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
        width = min(len(row.name) * CHAR_WIDTH_PX, LABEL_LIMIT_PX)
        x = (row.position - DOMAIN[0]) * px_per_unit
        y = (DOMAIN[1] - row.potential) * py_per_unit
        for align in ("left", "right"):
            start = x + radius + LABEL_GAP_PX if align == "left" else x - radius - LABEL_GAP_PX - width
            box = (start, y - half_height, start + width, y + half_height)
            inside = box[0] >= 0 and box[2] <= theme.chart_width
            if inside and not any(overlap(box, other) for other in boxes):
                boxes.append(box)
                offset = (radius + LABEL_GAP_PX) / px_per_unit
                label_x = row.position + offset if align == "left" else row.position - offset
                kept.append({"name": row.name, "label_x": label_x, "potential": row.potential, "align": align})
                break
    return pd.DataFrame(kept, columns=["name", "label_x", "potential", "align"])


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (left, top, right, bottom) overlap."""
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


def label_layers(
    data: alt.InlineData | alt.NamedData,
    align: str,
    encoding: dict[str, Any] | None = None,
    names: tuple[str, str] = (NAME_HALO_LAYER, NAME_LABEL_LAYER),
    limit: float = LABEL_LIMIT_PX,
) -> list[alt.Chart]:
    """Draw name labels aligned `align`, at most `limit` px wide, on a white halo: by default fields name, label_x
    and potential on the matrix's axes; another chart passes its own x, y and text `encoding` and layer `names`."""
    if encoding is None:
        encoding = {"x": alt.X("label_x:Q", scale=axis_scale()), "y": alt.Y("potential:Q", scale=axis_scale())}
        encoding["text"] = "name:N"
    base = alt.Chart(data).encode(**encoding)
    if isinstance(data, alt.NamedData):
        base = base.transform_filter(alt.datum.align == align)
    text = {
        "align": align,
        "baseline": "middle",
        "fontSize": theme.NAME_LABEL_SIZE,
        "fontWeight": 600,
        "limit": limit,
        "tooltip": False,
    }
    halo = base.mark_text(**text, color="white", stroke="white", strokeWidth=4, strokeJoin="round", opacity=0.85)
    return [
        halo.properties(name=f"{names[0]}_{align}"),
        base.mark_text(**text, color=theme.TEXT_COLOUR).properties(name=f"{names[1]}_{align}"),
    ]


def arrowheads(
    start: tuple[np.ndarray, np.ndarray], end: tuple[np.ndarray, np.ndarray], end_area: np.ndarray | float
) -> pd.DataFrame:
    """Place the head of each arrow from `start` to `end` ((x, y) = (position, potential) arrays, 0–10).

    The head sits on the segment so that its tip touches the dot of area `end_area` (px²) at the end; its
    angle is the segment's direction on screen (degrees clockwise from up, as Vega turns a symbol). An arrow
    too short for a head gets none (`arrowhead` False). Returns head_x, head_y, angle and arrowhead.
    """
    px_x = theme.chart_width / (DOMAIN[1] - DOMAIN[0])
    px_y = theme.chart_height / (DOMAIN[1] - DOMAIN[0])
    dx = (np.asarray(end[0], dtype=float) - np.asarray(start[0], dtype=float)) * px_x
    dy = (np.asarray(end[1], dtype=float) - np.asarray(start[1], dtype=float)) * px_y  # up on screen
    length = np.hypot(dx, dy)
    back = np.sqrt(np.asarray(end_area, dtype=float) / math.pi) + math.sqrt(ARROWHEAD_AREA) / 2  # px from the end
    head = length > back + math.sqrt(ARROWHEAD_AREA)
    with np.errstate(invalid="ignore", divide="ignore"):
        head_x = np.asarray(end[0], dtype=float) - np.where(head, dx / length * back / px_x, 0.0)
        head_y = np.asarray(end[1], dtype=float) - np.where(head, dy / length * back / px_y, 0.0)
    return pd.DataFrame(
        {"head_x": head_x, "head_y": head_y, "angle": np.degrees(np.arctan2(dx, dy)) % 360, "arrowhead": head}
    )


def arrow_layers(data: alt.InlineData, name: str, dash: list[int] | None = None) -> list[alt.Chart]:
    """Draw arrows from rows holding x0, y0 (start), x1, y1 (end), head_x, head_y, angle, arrowhead, arrow_colour."""
    stroke = {"strokeDash": dash} if dash else {}
    colour = alt.Color("arrow_colour:N", scale=None, legend=None)
    return [
        alt.Chart(data)
        .mark_rule(strokeWidth=ARROW_WIDTH_PX, strokeCap="round", tooltip=False, **stroke)
        .encode(
            x=alt.X("x0:Q", scale=axis_scale()), y=alt.Y("y0:Q", scale=axis_scale()), x2="x1:Q", y2="y1:Q", color=colour
        )
        .properties(name=name),
        alt.Chart(data)
        .transform_filter("datum.arrowhead")
        .mark_point(shape="triangle-up", filled=True, opacity=1.0, size=ARROWHEAD_AREA, tooltip=False)
        .encode(
            x=alt.X("head_x:Q", scale=axis_scale()),
            y=alt.Y("head_y:Q", scale=axis_scale()),
            angle=alt.Angle("angle:Q", scale=None),
            color=colour,
        )
        .properties(name=f"{name}_heads"),
    ]


def move_layers(movement: pd.DataFrame | None, points: pd.DataFrame, kind: str, lang: str) -> list[alt.Chart]:
    """The arrows of one kind of move (see `matrix_chart`), with a dot or ring at the far end from the bubble."""
    if movement is None:
        return []
    moves = movement[(movement["kind"] == kind) & movement["name"].astype(str).isin(points["name"])]
    if not len(moves):
        return []
    area = points.drop_duplicates("name").set_index("name")["area"]
    bubble = area.reindex(moves["name"].astype(str)).fillna(0.0).to_numpy()
    rows = pd.DataFrame(
        {
            "name": moves["name"].astype(str).to_numpy(),
            "x0": moves["from_position"].clip(*DOMAIN).to_numpy(dtype=float),
            "y0": moves["from_potential"].clip(*DOMAIN).to_numpy(dtype=float),
            "x1": moves["to_position"].clip(*DOMAIN).to_numpy(dtype=float),
            "y1": moves["to_potential"].clip(*DOMAIN).to_numpy(dtype=float),
            "period": moves["from_period"].astype(object).where(moves["from_period"].notna(), "").to_numpy(),
            "arrow_colour": [theme.QUADRANT_TEXT_COLOURS.get(q, MOVE_COLOUR) for q in moves["to_quadrant"]]
            if kind == "target"
            else MOVE_COLOUR,
        }
    )
    end_area = bubble if kind == "history" else MOVE_END_AREA
    rows = pd.concat([rows, arrowheads((rows["x0"], rows["y0"]), (rows["x1"], rows["y1"]), end_area)], axis=1)
    data = alt.InlineData(values=theme.chart_records(rows))
    far = ("x0", "y0") if kind == "history" else ("x1", "y1")
    tooltip = [alt.Tooltip("name:N", title=TEXTS["account"][lang])]
    if kind == "history":
        tooltip.append(alt.Tooltip("period:N", title=TEXTS["period"][lang]))
    end = (
        alt.Chart(data)
        .mark_point(
            shape="circle",
            size=MOVE_END_AREA,
            filled=kind == "history",
            opacity=0.9,
            strokeWidth=2,
            **({"color": "#9AA5B1"} if kind == "history" else {"strokeDash": [3, 2]}),
        )
        .encode(
            x=alt.X(f"{far[0]}:Q", scale=axis_scale()),
            y=alt.Y(f"{far[1]}:Q", scale=axis_scale()),
            tooltip=tooltip,
            **({} if kind == "history" else {"color": alt.Color("arrow_colour:N", scale=None, legend=None)}),
        )
        .properties(name=f"move_{'starts' if kind == 'history' else 'targets'}")
    )
    name = MOVE_LAYER.format(kind=kind)
    return [end, *arrow_layers(data, name, None if kind == "history" else [7, 4])]


def _customer_rows(customer: pd.DataFrame | None, points: pd.DataFrame) -> pd.DataFrame:
    """The placed accounts the customer scored: name, our position, theirs, potential (both views 0–10)."""
    if customer is None or not len(customer):
        return pd.DataFrame(columns=["name", "x0", "x1", "y"])
    drawn = customer["account_id"].astype(str).isin(points["account_id"]) if "account_id" in points else customer[
        "name"].astype(str).isin(points["name"])  # fmt: skip
    rows = customer[customer["customer_position"].notna() & drawn]
    return pd.DataFrame(
        {
            "name": rows["name"].astype(str).to_numpy(),
            "x0": rows["position"].clip(*DOMAIN).to_numpy(dtype=float),
            "x1": rows["customer_position"].clip(*DOMAIN).to_numpy(dtype=float),
            "y": rows["potential"].clip(*DOMAIN).to_numpy(dtype=float),
        }
    )


def customer_layers(customer: pd.DataFrame | None, points: pd.DataFrame, lang: str) -> list[alt.Chart]:
    """The customer's view of each scored account's position (see `matrix_chart`): a dotted line and a diamond."""
    rows = _customer_rows(customer, points)
    if not len(rows):
        return []
    rows["ours"] = [_number(round(v, 1), lang) for v in rows["x0"]]
    rows["theirs"] = [_number(round(v, 1), lang) for v in rows["x1"]]
    data = alt.InlineData(values=theme.chart_records(rows))
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("ours:N", title=TEXTS["our_position"][lang]),
        alt.Tooltip("theirs:N", title=TEXTS["customer_position"][lang]),
    ]
    line = (
        alt.Chart(data)
        .mark_rule(strokeWidth=ARROW_WIDTH_PX, strokeDash=[2, 3], strokeCap="round", color=CUSTOMER_COLOUR)
        .encode(x=alt.X("x0:Q", scale=axis_scale()), x2="x1:Q", y=alt.Y("y:Q", scale=axis_scale()), tooltip=tooltip)
        .properties(name=CUSTOMER_LAYER)
    )
    end = (
        alt.Chart(data)
        .mark_point(
            shape="diamond", size=CUSTOMER_END_AREA, filled=False, strokeWidth=2.5, color=CUSTOMER_COLOUR, opacity=1.0
        )
        .encode(x=alt.X("x1:Q", scale=axis_scale()), y=alt.Y("y:Q", scale=axis_scale()), tooltip=tooltip)
        .properties(name=f"{CUSTOMER_LAYER}_ends")
    )
    return [line, end]


def movement_phrase(movement: pd.DataFrame, lang: str) -> str:
    """Say in the subtitle what the arrows are."""
    phrases = []
    history = movement[movement["kind"] == "history"]
    if len(history):
        phrases.append(TEXTS["history"][lang].format(period=history["from_period"].iloc[0]))
    if (movement["kind"] == "target").any():
        phrases.append(TEXTS["target"][lang])
    return " · ".join(phrases)


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
