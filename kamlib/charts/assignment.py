"""Who should manage which account (issue 7, `kamlib.assignment.proposal`): the fit heat map and the matrix by KAM.

`fit_heatmap` draws every KAM × account fit (0–100) as a heat map, accounts grouped by strategy, with the
proposed KAM of each account ringed and the current one marked. `kam_matrix_chart` draws the account
matrix twice, side by side, each account coloured by its KAM: today's assignment, then the proposed one,
the accounts that change KAM ringed. Texts in Spanish and English; names stay text.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamlib.assignment.solver import kam_names
from kamlib.charts import theme
from kamlib.charts.matrix import BUBBLE_LAYER, axis_scale, matrix_chart
from kamlib.i18n import number_text
from kamlib.method import AXIS_LABELS, QUADRANTS, STRATEGY_NAMES

CELLS_LAYER = "fit_cells"
VALUES_LAYER = "fit_values"
PROPOSED_LAYER = "proposed_kam"
CURRENT_LAYER = "current_kam"
KAM_BUBBLES_LAYER = "accounts_by_kam"
CHANGED_LAYER = "kam_changes"
DEFAULT_ROWS = 60
"""The heat map shows at most this many accounts (the largest by revenue, per strategy) unless told otherwise."""
NO_KAM = "—"
_CELL_PX = 22
_VALUES_UP_TO = 40
"""Fit values are written in the cells when the map has at most this many accounts."""
_KAM_AREA = 260.0

TEXTS = {
    "heat_title": {"es": "Encaje de cada KAM con cada cuenta", "en": "Fit of each KAM to each account"},
    "heat_subtitle": {
        "es": "encaje 0–100 según las competencias que pide la estrategia de la cuenta · círculo: KAM propuesto · "
        "cuadrado: KAM actual",
        "en": "fit 0–100 by the competences the account's strategy needs · circle: proposed KAM · square: current KAM",
    },
    "shown": {
        "es": "{n} de {total} cuentas (las de más facturación)",
        "en": "{n} of {total} accounts (largest revenue)",
    },
    "account": {"es": "Cuenta", "en": "Account"},
    "kam": {"es": "KAM", "en": "KAM"},
    "fit": {"es": "Encaje", "en": "Fit"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "matrix_title": {"es": "Quién lleva cada cuenta", "en": "Who manages each account"},
    "before": {"es": "Asignación actual", "en": "Current assignment"},
    "after": {"es": "Asignación propuesta", "en": "Proposed assignment"},
    "changed": {
        "es": "{n} cuentas cambian de KAM (anillo) · ajuste total {before} → {after}",
        "en": "{n} accounts change KAM (ringed) · total fit {before} → {after}",
    },
}


def _account_order(scored: pd.DataFrame, rows: int | None) -> pd.DataFrame:
    """The accounts shown, by strategy (method's order, unplaced last), then revenue, largest first."""
    order = {q: i for i, q in enumerate(QUADRANTS)}
    ranked = scored.assign(_q=scored["quadrant"].map(order).fillna(len(QUADRANTS)))
    ranked = ranked.sort_values(["_q", "revenue"], ascending=[True, False], kind="stable")
    if rows is not None and len(ranked) > rows:
        ranked = ranked.sort_values("revenue", ascending=False, kind="stable").head(rows)
        ranked = ranked.sort_values(["_q", "revenue"], ascending=[True, False], kind="stable")
    return ranked.drop(columns="_q")


def fit_heatmap(
    fit_table: pd.DataFrame,
    scored: pd.DataFrame,
    kams: pd.DataFrame,
    lang: str = "es",
    plan: pd.DataFrame | None = None,
    rows: int | None = DEFAULT_ROWS,
) -> alt.LayerChart:
    """Draw the fit (0–100) of every KAM to every account shown, the proposed KAM ringed, the current one marked.

    `fit_table` has account_id, kam_id, fit for every pair; `plan` (optional) account_id and kam_id (proposed)
    and current_kam_id. `rows` caps the accounts shown (the largest by revenue); None shows them all.
    """
    theme.check_lang(lang)
    shown = _account_order(scored, rows)
    names = kam_names(kams)
    labels = shown["name"].astype(str)
    labels = labels.where(~labels.duplicated(keep=False), labels + " (" + shown["account_id"].astype(str) + ")")
    label_of = dict(zip(shown["account_id"], labels, strict=True))
    cells = fit_table[fit_table["account_id"].isin(label_of)].copy()
    cells["account"] = cells["account_id"].map(label_of)
    cells["kam"] = cells["kam_id"].map(names)
    strategy = dict(zip(shown["account_id"], shown["quadrant"], strict=True))
    cells["strategy"] = [
        STRATEGY_NAMES[q][lang] if isinstance(q, str) else NO_KAM for q in cells["account_id"].map(strategy)
    ]
    cells["fit"] = cells["fit"].astype(float).round(1)
    y = alt.Y("account:N", sort=list(label_of.values()), title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("kam:N", sort=[names[k] for k in kams["kam_id"]], title=None, axis=alt.Axis(orient="top", labelAngle=-30))
    data = alt.InlineData(values=theme.chart_records(cells[["account", "kam", "fit", "strategy"]]))
    tooltip = [
        alt.Tooltip("account:N", title=TEXTS["account"][lang]),
        alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
        alt.Tooltip("kam:N", title=TEXTS["kam"][lang]),
        alt.Tooltip("fit:Q", title=TEXTS["fit"][lang], format=".1f"),
    ]
    layers: list[alt.Chart] = [
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "fit:Q",
                scale=alt.Scale(domain=[0, 100], scheme="blues"),
                legend=alt.Legend(title=TEXTS["fit"][lang], orient="right"),
            ),
            tooltip=tooltip,
        )
        .properties(name=CELLS_LAYER)
    ]
    if len(shown) <= _VALUES_UP_TO:
        layers.append(
            alt.Chart(data)
            .mark_text(fontSize=10, tooltip=False)
            .encode(
                x=x,
                y=y,
                text=alt.Text("fit:Q", format=".0f"),
                color=alt.condition("datum.fit >= 60", alt.value("white"), alt.value(theme.TEXT_COLOUR)),
            )
            .properties(name=VALUES_LAYER)
        )
    if plan is not None:
        chosen = plan[plan["account_id"].isin(label_of)]
        for column, shape, name in (("kam_id", "circle", PROPOSED_LAYER), ("current_kam_id", "square", CURRENT_LAYER)):
            marks = chosen[chosen[column].notna() & chosen[column].isin(names)]
            points = pd.DataFrame({"account": marks["account_id"].map(label_of), "kam": marks[column].map(names)})
            layers.append(
                alt.Chart(alt.InlineData(values=theme.chart_records(points)))
                .mark_point(shape=shape, filled=False, size=330 if shape == "circle" else 250, strokeWidth=2.5)
                .encode(x=x, y=y, color=alt.value("#D55E00" if shape == "circle" else theme.TEXT_COLOUR))
                .properties(name=name)
            )
    subtitle = [TEXTS["heat_subtitle"][lang]]
    if len(shown) < len(scored):
        subtitle.append(TEXTS["shown"][lang].format(n=len(shown), total=len(scored)))
    chart = alt.layer(*layers).properties(
        width=alt.Step(_CELL_PX * 2),
        height=alt.Step(_CELL_PX),
        title=alt.TitleParams(TEXTS["heat_title"][lang], subtitle=subtitle),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)


def kam_matrix_chart(
    scored: pd.DataFrame, plan: pd.DataFrame, kams: pd.DataFrame, lang: str = "es"
) -> alt.HConcatChart:
    """Draw the account matrix twice, each account coloured by its KAM: today's, then the plan's (changes ringed).

    `plan` has account_id, kam_id (proposed), current_kam_id and fit, as `kamlib.assignment.proposal` writes it.
    """
    theme.check_lang(lang)
    names = kam_names(kams)
    placed = scored[scored["placed"].astype(bool)]
    joined = placed[["account_id", "name", "potential", "position", "quadrant"]].merge(
        plan[["account_id", "kam_id", "current_kam_id", "fit"]], on="account_id", how="left"
    )
    joined["before"] = joined["current_kam_id"].map(names).fillna(NO_KAM)
    joined["after"] = joined["kam_id"].map(names).fillna(NO_KAM)
    joined["changed"] = joined["before"] != joined["after"]
    joined["strategy"] = joined["quadrant"].map({q: STRATEGY_NAMES[q][lang] for q in QUADRANTS})
    nobody = [NO_KAM] if (joined[["before", "after"]] == NO_KAM).any().any() else []
    domain = [*dict.fromkeys([*names.values(), *nobody])]
    backdrop = [layer for layer in matrix_chart(scored, lang=lang, label_top=0).layer if layer.name != BUBBLE_LAYER]
    totals = {
        "before": plan["fit_current"].sum() if "fit_current" in plan else float("nan"),
        "after": plan["fit"].sum(),
    }
    panels = []
    for when in ("before", "after"):
        data = alt.InlineData(
            values=theme.chart_records(
                joined[["name", "potential", "position", "strategy", when, "changed", "fit"]].rename(
                    columns={when: "kam"}
                )
            )
        )
        position = alt.X("position:Q", scale=axis_scale(), title=AXIS_LABELS["position"][lang])
        potential = alt.Y("potential:Q", scale=axis_scale(), title=AXIS_LABELS["potential"][lang])
        layers = [
            *backdrop,
            alt.Chart(data)
            .mark_circle(size=_KAM_AREA, opacity=0.9, stroke="white", strokeWidth=1)
            .encode(
                x=position,
                y=potential,
                color=alt.Color(
                    "kam:N",
                    scale=alt.Scale(domain=domain, scheme="category20"),
                    legend=alt.Legend(title=TEXTS["kam"][lang], orient="bottom", columns=4),
                ),
                tooltip=[
                    alt.Tooltip("name:N", title=TEXTS["account"][lang]),
                    alt.Tooltip("kam:N", title=TEXTS["kam"][lang]),
                    alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
                ],
            )
            .properties(name=f"{KAM_BUBBLES_LAYER}_{when}"),
        ]
        if when == "after":
            layers.append(
                alt.Chart(data)
                .transform_filter("datum.changed")
                .mark_point(shape="circle", filled=False, size=_KAM_AREA * 2.4, strokeWidth=2, color=theme.TEXT_COLOUR)
                .encode(x=position, y=potential, tooltip=alt.value(None))
                .properties(name=CHANGED_LAYER)
            )
        panels.append(
            alt.layer(*layers).properties(
                width=theme.chart_width // 2, height=theme.chart_height // 2 + 60, title=TEXTS[when][lang]
            )
        )
    subtitle = TEXTS["changed"][lang].format(
        n=int(joined["changed"].sum()),
        before=number_text(totals["before"], lang, 0),
        after=number_text(totals["after"], lang, 0),
    )
    chart = alt.hconcat(*panels).properties(
        title=alt.TitleParams(TEXTS["matrix_title"][lang], subtitle=[subtitle]),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart.resolve_scale(color="shared"))
