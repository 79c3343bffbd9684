"""One account's decision map (METHOD.md §4, `kamlib.plan.stakeholders.decision_map`) as a static Altair chart.

Each person of the buying centre is a dot: across, their attitude toward us (−2 opposes, on the left, to +2
supports, on the right; a rule at 0); up, their influence on the purchase (1–5). The dot's area grows with
the strength of our relationship, its colour is the person's role, and a vermilion ring marks the
influential people with a flag (no contact, opposing us, weak relationship). The influential band (the
`kamlib.plan.stakeholders.INFLUENTIAL_FROM` rule, dashed) is shaded, opponents' side and supporters' side. Both
axes have fixed domains, half a step wider than the scales so that the people at the ends are drawn whole.
People at the same point are spread up or down by a fraction of a step, within their band, so that every
dot shows, and each name goes beside its dot on the side where it stays clear of the others; the tooltip
gives the true values. Every text exists in Spanish and English; names are data written as text, never
markup.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.matrix import label_layers, overlap
from kamlib.charts.text import lookup_expr
from kamlib.i18n import short_text
from kamlib.plan.stakeholders import INFLUENTIAL_FROM, PERSON_COLUMNS, ROLE_LABELS, flag_text
from kamlib.workbook.sheets import ROLES

ATTITUDE_SCALE: tuple[float, float] = (-2.0, 2.0)
INFLUENCE_SCALE: tuple[float, float] = (1.0, 5.0)
RELATIONSHIP_SCALE: tuple[float, float] = (1.0, 5.0)
MARGIN = 0.5
"""The axes reach half a step beyond their scales (so a dot at −2 or 5 is drawn whole)."""
ATTITUDE_DOMAIN = (ATTITUDE_SCALE[0] - MARGIN, ATTITUDE_SCALE[1] + MARGIN)
INFLUENCE_DOMAIN = (INFLUENCE_SCALE[0] - MARGIN, INFLUENCE_SCALE[1] + MARGIN)

PEOPLE_LAYER = "people"
RING_LAYER = "flagged_people"
NAME_LABEL_LAYER = "person_names"
NAME_HALO_LAYER = "person_name_halos"
ZERO_LAYER = "neutral_attitude"
INFLUENTIAL_LAYER = "influential_from"
SHADING_LAYER = "influential_band"
EMPTY_LAYER = "no_decision_map"

ROLE_COLOURS = {
    "decision_maker": "#0072B2",  # blue
    "influencer": "#009E73",  # bluish green
    "user": "#56B4E9",  # sky blue
    "gatekeeper": "#CC79A7",  # reddish purple
    "buyer": "#E69F00",  # orange
}
"""Okabe–Ito colours of the roles; vermilion is kept for the ring of the flagged."""
FLAG_COLOUR = "#D55E00"
OPPONENTS_COLOUR = "#D55E00"
SUPPORTERS_COLOUR = "#009E73"
OPPONENTS_TEXT_COLOUR = "#A04500"
SUPPORTERS_TEXT_COLOUR = "#00684C"
"""Darker shades for the corner names on white (contrast ≥ 4.5:1)."""

MIN_AREA = 110.0
MAX_AREA = 1100.0
"""Areas in px² of a dot at relationship 1 and at 5 (linear in between)."""
RING_GAP_PX = 5.0
RING_WIDTH_PX = 2.5
NUDGE_STEP = 0.2
"""How far apart (in influence steps) people at the same point are drawn, at most."""
NUDGE_SPAN = 0.6
"""The widest spread of one point's people."""
LABEL_GAP_PX = 5.0
LABEL_LIMIT_PX = 200
CHAR_WIDTH_PX = 0.56 * theme.NAME_LABEL_SIZE
_CORNER_OFFSET_PX = 10

TEXTS = {
    "title": {"es": "Mapa de decisión: {account}", "en": "Decision map: {account}"},
    "title_plain": {"es": "Mapa de decisión", "en": "Decision map"},
    "people": {"es": "{n} personas", "en": "{n} people"},
    "one_person": {"es": "1 persona", "en": "1 person"},
    "key": {
        "es": "tamaño: fuerza de nuestra relación (1–5) · anillo: persona influyente con alerta (sin contacto, "
        "en contra o relación débil)",
        "en": "size: strength of our relationship (1–5) · ring: influential person with a flag (no contact, "
        "opposes us or weak relationship)",
    },
    "flagged": {"es": "{n} con alerta", "en": "{n} flagged"},
    "empty": {"es": "Aún no hay mapa de decisión", "en": "No decision map yet"},
    "empty_hint": {
        "es": "el centro de compras está por trazar",
        "en": "the buying centre is still to be mapped",
    },
    "attitude": {
        "es": "Actitud hacia nosotros (−2 se opone · +2 nos apoya)",
        "en": "Attitude toward us (−2 opposes · +2 supports)",
    },
    "influence": {
        "es": "Influencia en la compra (1 poca · 5 decisiva)",
        "en": "Influence on the purchase (1 little · 5 decisive)",
    },
    "relationship": {"es": "Relación (1–5)", "en": "Relationship (1–5)"},
    "role": {"es": "Papel", "en": "Role"},
    "person": {"es": "Persona", "en": "Person"},
    "job_title": {"es": "Cargo", "en": "Job title"},
    "attitude_short": {"es": "Actitud", "en": "Attitude"},
    "influence_short": {"es": "Influencia", "en": "Influence"},
    "our_contact": {"es": "Nuestro contacto", "en": "Our contact"},
    "flags": {"es": "Alertas", "en": "Flags"},
    "none": {"es": "—", "en": "—"},
    "influential_opponents": {"es": "Opositores influyentes", "en": "Influential opponents"},
    "influential_supporters": {"es": "Aliados influyentes", "en": "Influential supporters"},
    "other_opponents": {"es": "En contra, menos influyentes", "en": "Less influential opponents"},
    "other_supporters": {"es": "A favor, menos influyentes", "en": "Less influential supporters"},
    "influential_from": {"es": "influyente: {n} o más", "en": "influential: {n} or more"},
}
"""Every chart text in both languages; `{...}` fields are filled in by the builder."""

# Where each corner's name sits: (x, y, align, baseline, colour), in axis units and Vega text anchors.
_CORNERS: dict[str, tuple[float, float, str, str, str]] = {
    "influential_opponents": (ATTITUDE_DOMAIN[0], INFLUENCE_DOMAIN[1], "left", "top", OPPONENTS_TEXT_COLOUR),
    "influential_supporters": (ATTITUDE_DOMAIN[1], INFLUENCE_DOMAIN[1], "right", "top", SUPPORTERS_TEXT_COLOUR),
    "other_opponents": (ATTITUDE_DOMAIN[0], INFLUENCE_DOMAIN[0], "left", "bottom", theme.MUTED_COLOUR),
    "other_supporters": (ATTITUDE_DOMAIN[1], INFLUENCE_DOMAIN[0], "right", "bottom", theme.MUTED_COLOUR),
}


def decision_map_chart(frame: pd.DataFrame, lang: str = "es") -> alt.LayerChart:
    """Draw one account's decision map: attitude across, influence up, relationship as size, role as colour.

    `frame` is `kamlib.plan.stakeholders.decision_map`'s (its `attrs` name the account for the title). An empty
    frame gives the map's backdrop with a sentence saying there is no decision map yet.
    """
    theme.check_lang(lang)
    missing = [c for c in PERSON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks column(s): {', '.join(missing)}")
    points = _points(frame, lang)
    layers: list[alt.Chart] = [*_backdrop(lang), _people(points, lang), _rings(points), *_names(points)]
    account = frame.attrs.get("account_name") or frame.attrs.get("account_id")
    title = TEXTS["title"][lang].format(account=account) if account else TEXTS["title_plain"][lang]
    if points.empty:
        layers += _empty_note(lang)
        subtitle = [TEXTS["empty_hint"][lang]]
    else:
        n = len(points)
        counted = TEXTS["one_person"][lang] if n == 1 else TEXTS["people"][lang].format(n=n)
        flagged = TEXTS["flagged"][lang].format(n=int(points["flagged"].sum()))
        subtitle = [f"{counted} · {flagged}", TEXTS["key"][lang]]
    chart = alt.layer(*layers).properties(
        width=theme.chart_width,
        height=theme.chart_height,
        title=alt.TitleParams(title, subtitle=subtitle),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def _points(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per person: the texts of the tooltip, where the dot is drawn, its area, ring and label."""
    none = TEXTS["none"][lang]
    influence = frame["influence"].to_numpy(dtype=float)
    attitude = frame["attitude"].to_numpy(dtype=float)
    relationship = frame["relationship"].to_numpy(dtype=float)
    flags = flag_text(frame, lang)
    points = pd.DataFrame(
        {
            "person": frame["person"].map(lambda p: "" if pd.isna(p) else str(p)).to_numpy(dtype=object),
            "title": frame["title"].map(lambda t: t if isinstance(t, str) and t else none).to_numpy(dtype=object),
            "role": frame["role"].to_numpy(dtype=object),
            "role_label": [ROLE_LABELS[r][lang] for r in frame["role"]],
            "influence": influence,
            "attitude": np.clip(attitude, *ATTITUDE_SCALE),
            "relationship": relationship,
            "our_contact": frame["our_contact"].map(lambda c: c if isinstance(c, str) else none).to_numpy(object),
            "flags": [f or none for f in flags],
            "flagged": frame["needs_action"].to_numpy(dtype=bool),
        }
    )
    points["influence_shown"] = spread_influence(points["attitude"].to_numpy(), influence)
    area = MIN_AREA + (np.clip(relationship, *RELATIONSHIP_SCALE) - 1.0) / 4.0 * (MAX_AREA - MIN_AREA)
    radius = np.sqrt(area / math.pi)
    points["ring"] = math.pi * (radius + RING_GAP_PX) ** 2
    offset = radius + np.where(points["flagged"], RING_GAP_PX + RING_WIDTH_PX, 0.0) + LABEL_GAP_PX
    right = place_names(points["person"], points["attitude"].to_numpy(), points["influence_shown"].to_numpy(), offset)
    px_per_unit = theme.chart_width / (ATTITUDE_DOMAIN[1] - ATTITUDE_DOMAIN[0])
    points["align"] = np.where(right, "left", "right")
    points["label_x"] = points["attitude"] + np.where(right, offset, -offset) / px_per_unit
    return points


def place_names(names: pd.Series, attitude: np.ndarray, influence: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Choose the side of each name: True to the right of its dot, False to the left.

    Names are placed from the right edge leftwards (those at +2 have the least choice): right of the dot
    when it fits inside the plot and clear of the names placed so far, else left when that does, else the
    side that stays inside the plot (every name is written, even over another). `offset` is each name's
    distance from its dot's centre, in px.
    """
    px_per_unit = theme.chart_width / (ATTITUDE_DOMAIN[1] - ATTITUDE_DOMAIN[0])
    py_per_unit = theme.chart_height / (INFLUENCE_DOMAIN[1] - INFLUENCE_DOMAIN[0])
    half_height = 0.65 * theme.NAME_LABEL_SIZE
    x_px = (attitude - ATTITUDE_DOMAIN[0]) * px_per_unit
    y_px = (INFLUENCE_DOMAIN[1] - influence) * py_per_unit
    width = np.minimum(names.str.len().to_numpy(dtype=float) * CHAR_WIDTH_PX, LABEL_LIMIT_PX)
    right = np.ones(len(names), dtype=bool)
    boxes: list[tuple[float, float, float, float]] = []
    for i in np.argsort(-x_px, kind="stable"):
        sides = {
            True: (x_px[i] + offset[i], y_px[i] - half_height, x_px[i] + offset[i] + width[i], y_px[i] + half_height),
            False: (x_px[i] - offset[i] - width[i], y_px[i] - half_height, x_px[i] - offset[i], y_px[i] + half_height),
        }
        inside = [side for side, box in sides.items() if box[0] >= 0 and box[2] <= theme.chart_width] or [True]
        clear = [side for side in inside if not any(overlap(sides[side], other) for other in boxes)]
        right[i] = (clear or inside)[0]
        boxes.append(sides[bool(right[i])])
    return right


def spread_influence(attitude: np.ndarray, influence: np.ndarray) -> np.ndarray:
    """Where to draw each person up the map: their influence, spread apart when several share a point.

    The people at one (attitude, influence) point are spaced `NUDGE_STEP` apart (closer when many, the
    whole group within `NUDGE_SPAN`), first listed on top, and kept on their side of the influential
    line and inside the axis, so that the drawing never moves anyone across a rule.
    """
    shown = influence.astype(float).copy()
    keys = pd.Series(list(zip(np.round(attitude, 6), np.round(influence, 6), strict=True)), dtype=object)
    for positions in keys.groupby(keys, sort=False).indices.values():
        n = len(positions)
        if n < 2:
            continue
        step = min(NUDGE_STEP, NUDGE_SPAN / (n - 1))
        value = float(influence[positions[0]])
        offsets = ((n - 1) / 2 - np.arange(n)) * step
        if value >= INFLUENTIAL_FROM:
            low, high = INFLUENTIAL_FROM, INFLUENCE_DOMAIN[1] - MARGIN / 2
        else:
            low, high = INFLUENCE_DOMAIN[0] + MARGIN / 2, INFLUENTIAL_FROM - step / 2
        spread = value + offsets
        spread += max(0.0, low - spread.min()) - max(0.0, spread.max() - high)
        shown[positions] = spread
    return shown


def _x(field: str, title: str | None = None) -> alt.X:
    """The attitude axis: −2 … +2 with half a step of margin, signs on its labels; the layer giving the
    axis its `title` sets it up (the others only share the scale)."""
    x = alt.X(f"{field}:Q", scale=alt.Scale(domain=list(ATTITUDE_DOMAIN), nice=False, zero=False))
    if title is None:
        return x
    return x.axis(
        title=title,
        values=[-2, -1, 0, 1, 2],
        format="d",
        labelExpr="datum.value > 0 ? '+' + datum.label : datum.label",
        grid=True,
    )


def _y(field: str, title: str | None = None) -> alt.Y:
    """The influence axis: 1 … 5 with half a step of margin (set up by the layer giving its `title`)."""
    y = alt.Y(f"{field}:Q", scale=alt.Scale(domain=list(INFLUENCE_DOMAIN), nice=False, zero=False))
    return y if title is None else y.axis(title=title, values=[1, 2, 3, 4, 5], format="d", grid=True)


def _backdrop(lang: str) -> list[alt.Chart]:
    """The influential band shaded (opponents' side, supporters' side), the rules at 0 and at the
    influential line, and each corner's name."""
    band = [
        {"x": ATTITUDE_DOMAIN[0], "x2": 0.0, "colour": OPPONENTS_COLOUR},
        {"x": 0.0, "x2": ATTITUDE_DOMAIN[1], "colour": SUPPORTERS_COLOUR},
    ]
    for row in band:
        row.update(y=INFLUENTIAL_FROM, y2=INFLUENCE_DOMAIN[1])
    shading = (
        alt.Chart(alt.InlineData(values=band))
        .mark_rect(opacity=theme.QUADRANT_SHADE_OPACITY, tooltip=False)
        .encode(x=_x("x"), x2="x2:Q", y=_y("y"), y2="y2:Q", fill=alt.Fill("colour:N", scale=None, legend=None))
        .properties(name=SHADING_LAYER)
    )
    zero = (
        alt.Chart(alt.InlineData(values=[{"attitude": 0.0}]))
        .mark_rule(color=theme.CUT_LINE_COLOUR, strokeWidth=2, tooltip=False)
        .encode(x=_x("attitude"))
        .properties(name=ZERO_LAYER)
    )
    threshold = short_text(INFLUENTIAL_FROM, lang, 1)
    line = alt.Chart(
        alt.InlineData(
            values=[
                {
                    "influence": INFLUENTIAL_FROM,
                    "x": ATTITUDE_DOMAIN[0],
                    "label": TEXTS["influential_from"][lang].format(n=threshold),
                }
            ]
        )
    )
    influential = (
        line.mark_rule(color=theme.CUT_LINE_COLOUR, strokeWidth=1.5, strokeDash=[8, 5], tooltip=False)
        .encode(y=_y("influence"))
        .properties(name=INFLUENTIAL_LAYER)
    )
    influential_label = (
        line.mark_text(
            align="left",
            baseline="bottom",
            dx=_CORNER_OFFSET_PX,
            dy=-4,
            fontSize=theme.AXIS_LABEL_SIZE,
            color=theme.MUTED_COLOUR,
            fontStyle="italic",
            tooltip=False,
        )
        .encode(x=_x("x"), y=_y("influence"), text="label:N")
        .properties(name=f"{INFLUENTIAL_LAYER}_label")
    )
    corners = []
    for key, (x, y, align, baseline, colour) in _CORNERS.items():
        row = {"corner": key, "label": TEXTS[key][lang], "x": x, "y": y}
        corners.append(
            alt.Chart(alt.InlineData(values=[row]))
            .mark_text(
                align=align,
                baseline=baseline,
                dx=_CORNER_OFFSET_PX if align == "left" else -_CORNER_OFFSET_PX,
                dy=_CORNER_OFFSET_PX if baseline == "top" else -_CORNER_OFFSET_PX,
                fontSize=theme.QUADRANT_LABEL_SIZE - 2,
                fontWeight="bold",
                color=colour,
                tooltip=False,
            )
            .encode(x=_x("x"), y=_y("y"), text="label:N")
            .properties(name=f"corner_{key}")
        )
    return [shading, zero, influential, influential_label, *corners]


def _people(points: pd.DataFrame, lang: str) -> alt.Chart:
    """One dot per person: attitude across, influence up, area by relationship, colour by role."""
    columns = [
        "person",
        "title",
        "role",
        "role_label",
        "influence",
        "influence_shown",
        "attitude",
        "relationship",
        "our_contact",
        "flags",
        "flagged",
    ]
    tooltip = [
        alt.Tooltip("person:N", title=TEXTS["person"][lang]),
        alt.Tooltip("title:N", title=TEXTS["job_title"][lang]),
        alt.Tooltip("role_label:N", title=TEXTS["role"][lang]),
        alt.Tooltip("influence:Q", title=TEXTS["influence_short"][lang], format="~g"),
        alt.Tooltip("attitude:Q", title=TEXTS["attitude_short"][lang], format="+~g"),
        alt.Tooltip("relationship:Q", title=TEXTS["relationship"][lang], format="~g"),
        alt.Tooltip("our_contact:N", title=TEXTS["our_contact"][lang]),
        alt.Tooltip("flags:N", title=TEXTS["flags"][lang]),
    ]
    return (
        alt.Chart(alt.InlineData(values=theme.chart_records(points[columns])))
        .mark_circle(opacity=0.85, stroke="white", strokeWidth=1.5)
        .encode(
            x=_x("attitude", TEXTS["attitude"][lang]),
            y=_y("influence_shown", TEXTS["influence"][lang]),
            size=alt.Size(
                "relationship:Q",
                scale=alt.Scale(domain=list(RELATIONSHIP_SCALE), range=[MIN_AREA, MAX_AREA], zero=False, clamp=True),
                legend=alt.Legend(
                    title=TEXTS["relationship"][lang],
                    orient="bottom",
                    values=[1, 3, 5],
                    symbolFillColor="#9AA5B1",
                    titleLimit=320,
                ),
            ),
            color=alt.Color(
                "role:N",
                scale=alt.Scale(domain=list(ROLES), range=[ROLE_COLOURS[r] for r in ROLES]),
                legend=alt.Legend(
                    title=TEXTS["role"][lang],
                    orient="bottom",
                    direction="horizontal",
                    labelExpr=lookup_expr("datum.label", {r: ROLE_LABELS[r][lang] for r in ROLES}),
                    columnPadding=20,
                ),
            ),
            order=alt.Order("relationship:Q", sort="descending"),  # small dots on top of large ones
            tooltip=tooltip,
        )
        .properties(name=PEOPLE_LAYER)
    )


def _rings(points: pd.DataFrame) -> alt.Chart:
    """A vermilion ring a few pixels outside the dot of each influential person with a flag."""
    flagged = points.loc[points["flagged"], ["person", "attitude", "influence_shown", "ring"]]
    return (
        alt.Chart(alt.InlineData(values=theme.chart_records(flagged)))
        .mark_point(shape="circle", filled=False, strokeWidth=RING_WIDTH_PX, color=FLAG_COLOUR, opacity=1.0)
        .encode(
            x=_x("attitude"),
            y=_y("influence_shown"),
            size=alt.Size("ring:Q", scale=None, legend=None),
            tooltip=alt.value(None),
        )
        .properties(name=RING_LAYER)
    )


def _names(points: pd.DataFrame) -> list[alt.Chart]:
    """Each person's name beside their dot (right, or left near the right edge), on a white halo."""
    layers = []
    for align in ("left", "right"):
        rows = points.loc[points["align"] == align, ["person", "label_x", "influence_shown"]]
        if rows.empty:
            continue
        data = alt.InlineData(values=theme.chart_records(rows))
        encoding = {"x": _x("label_x"), "y": _y("influence_shown"), "text": "person:N"}
        layers += label_layers(data, align, encoding, (NAME_HALO_LAYER, NAME_LABEL_LAYER), LABEL_LIMIT_PX)
    return layers


def _empty_note(lang: str) -> list[alt.Chart]:
    """The sentence in the middle of a map with nobody on it, on a white halo."""
    row = {"x": 0.0, "y": sum(INFLUENCE_SCALE) / 2, "label": TEXTS["empty"][lang]}
    base = alt.Chart(alt.InlineData(values=[row])).encode(x=_x("x"), y=_y("y"), text="label:N")
    text = {"fontSize": theme.TITLE_SIZE, "fontWeight": "bold", "tooltip": False}
    return [
        base.mark_text(**text, color="white", stroke="white", strokeWidth=8, strokeJoin="round").properties(
            name=f"{EMPTY_LAYER}_halo"
        ),
        base.mark_text(**text, color=theme.MUTED_COLOUR).properties(name=EMPTY_LAYER),
    ]
