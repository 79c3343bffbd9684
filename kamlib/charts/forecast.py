"""The forecast matrix (McDonald's directional policy matrix, `kamlib.plan.forecast`) as a static Altair chart.

The accounts with a forecast for the horizon sit where they are today (bubbles in today's strategy colour); an
arrow goes from each to where it will be: solid, in the colour of the strategy it reaches, to a filled diamond
with our plan; dashed and grey to a hollow diamond without it.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.matrix import (
    DOMAIN,
    MOVE_COLOUR,
    arrow_layers,
    arrowheads,
    axis_scale,
    matrix_chart,
    matrix_frame,
)
from kamlib.i18n import number_text
from kamlib.plan.forecast import CASE_LABELS, Forecast

FORECAST_LAYER = "forecast_{case}"
END_AREA = 120.0
"""Area in px² of the diamond at a forecast point."""
WITHOUT_COLOUR = "#7B8794"
SHOWN = 60
"""The most accounts a forecast matrix draws (the largest by revenue): beyond that the arrows hide each other."""

TEXTS = {
    "title": {"es": "Matriz de previsión a {horizon}", "en": "Forecast matrix for {horizon}"},
    "subtitle": {
        "es": (
            "burbujas: dónde están hoy ({n}); flecha continua: dónde estarán con nuestro plan (rombo lleno)",
            "flecha discontinua gris: dónde estarán sin él (rombo hueco) · cortes de hoy",
        ),
        "en": (
            "bubbles: where they are today ({n}); solid arrow: where they will be with our plan (filled diamond)",
            "dashed grey arrow: where they will be without it (hollow diamond) · today's cut lines",
        ),
    },
    "accounts": {"es": ("{n} cuenta", "{n} cuentas"), "en": ("{n} account", "{n} accounts")},
    "none": {"es": "Ninguna cuenta tiene pronóstico", "en": "No account has a forecast"},
    "unplaced": {
        "es": "Ninguna cuenta con pronóstico está situada hoy en la matriz",
        "en": "No account with a forecast is placed in the matrix today",
    },
    "left_out": {
        "es": "se muestran las de mayor facturación: {n} más no se muestran",
        "en": "the largest by revenue are shown: {n} more are not",
    },
    "account": {"es": "Cuenta", "en": "Account"},
    "case": {"es": "Caso", "en": "Case"},
    "potential": {"es": "Potencial", "en": "Potential"},
    "position": {"es": "Posición", "en": "Position"},
}


def forecast_chart(
    scored: pd.DataFrame, forecast: Forecast, lang: str, horizon: str | None = None, limit: int = SHOWN
) -> alt.LayerChart:
    """Draw a horizon's forecasts (None: the farthest) over today's matrix of the accounts forecast (see the module):
    those placed today, at most `limit` of them, the largest by revenue (the subtitle says how many are left out);
    `scored` is today's scoring, whose cut lines the forecast quadrants use."""
    theme.check_lang(lang)
    points = forecast.at(horizon)
    placed = scored[scored["placed"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    today = placed[placed["account_id"].astype(str).isin(points["account_id"])]
    left_out = max(len(today) - limit, 0)
    today = today.sort_values("revenue", ascending=False, kind="stable").head(limit)
    points = points[points["account_id"].isin(today["account_id"].astype(str))]
    base = matrix_chart(today, lang=lang, label_top=8)
    layers = list(base.layer)
    for case in ("without_plan", "with_plan"):
        layers += _case_layers(points[points["case"] == case], case, lang)
    if points.empty:
        key = "none" if forecast.at(horizon).empty else "unplaced"
        return matrix_frame(layers, TEXTS[key][lang], [], lang)
    words = TEXTS["accounts"][lang]
    n = words[0 if points["account_id"].nunique() == 1 else 1].format(n=points["account_id"].nunique())
    title = TEXTS["title"][lang].format(horizon=points["horizon"].iloc[0])
    first, second = TEXTS["subtitle"][lang]
    subtitle = [first.format(n=n), second]
    if left_out:
        subtitle.append(TEXTS["left_out"][lang].format(n=left_out))
    return matrix_frame(layers, title, subtitle, lang)


def _case_layers(points: pd.DataFrame, case: str, lang: str) -> list[alt.Chart]:
    """One case's arrows from today's position to the forecast, and a diamond at the forecast."""
    points = points[points[["potential", "position", "today_potential", "today_position"]].notna().all(axis=1)]
    if points.empty:
        return []
    with_plan = case == "with_plan"
    rows = pd.DataFrame(
        {
            "name": points["name"].astype(str).to_numpy(),
            "x0": points["today_position"].clip(*DOMAIN).to_numpy(dtype=float),
            "y0": points["today_potential"].clip(*DOMAIN).to_numpy(dtype=float),
            "x1": points["position"].clip(*DOMAIN).to_numpy(dtype=float),
            "y1": points["potential"].clip(*DOMAIN).to_numpy(dtype=float),
            "arrow_colour": [theme.QUADRANT_TEXT_COLOURS.get(q, MOVE_COLOUR) for q in points["quadrant"]]
            if with_plan
            else WITHOUT_COLOUR,
            "case": CASE_LABELS[case][lang],
            "potential_text": [number_text(v, lang, 1) for v in points["potential"]],
            "position_text": [number_text(v, lang, 1) for v in points["position"]],
        }
    )
    rows = pd.concat([rows, arrowheads((rows["x0"], rows["y0"]), (rows["x1"], rows["y1"]), END_AREA)], axis=1)
    rows["arrowhead"] = rows["arrowhead"].to_numpy(dtype=bool) & (np.hypot(rows["x1"] - rows["x0"], rows["y1"] -
                                                                             rows["y0"]) > 0)  # fmt: skip
    data = alt.InlineData(values=theme.chart_records(rows))
    name = FORECAST_LAYER.format(case=case)
    tooltip = [
        alt.Tooltip("name:N", title=TEXTS["account"][lang]),
        alt.Tooltip("case:N", title=TEXTS["case"][lang]),
        alt.Tooltip("potential_text:N", title=TEXTS["potential"][lang]),
        alt.Tooltip("position_text:N", title=TEXTS["position"][lang]),
    ]
    end = (
        alt.Chart(data)
        .mark_point(shape="diamond", size=END_AREA, filled=with_plan, opacity=1.0, strokeWidth=2)
        .encode(
            x=alt.X("x1:Q", scale=axis_scale()),
            y=alt.Y("y1:Q", scale=axis_scale()),
            color=alt.Color("arrow_colour:N", scale=None, legend=None),
            tooltip=tooltip,
        )
        .properties(name=f"{name}_ends")
    )
    return [*arrow_layers(data, name, None if with_plan else [7, 4]), end]
