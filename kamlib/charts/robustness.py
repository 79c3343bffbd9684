"""How robust each placement is (issue 6, `kamlib.scenarios.robustness`): each account's probability of every strategy.

`acceptability_chart` draws one 100 % bar per account, split into the four strategies' probabilities over
the weight draws (its acceptability of each, in SMAA's words), least stable first. Each bar starts with
the account's current strategy, so where that first segment ends is its stability, read against the
80 % line under which an account is on the fence. Texts in Spanish and English; names stay text.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamlib.charts import theme
from kamlib.charts.text import lookup_expr
from kamlib.i18n import number_text
from kamlib.method import ON_THE_FENCE, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.robustness import Robustness

BARS_LAYER = "acceptability"
FENCE_RULE_LAYER = "fence_line"
DEFAULT_SHOWN = 12
"""How many accounts the chart shows by default: every one on the fence, else the least stable."""
_BAR_STEP_PX = 30
LABEL_LIMIT_PX = 260

TEXTS = {
    "title": {"es": "Robustez de la ubicación", "en": "Robustness of the placement"},
    "subtitle": {
        "es": "probabilidad de cada estrategia en {draws} pesos extraídos ({how}); cada barra empieza por su "
        "estrategia actual · por debajo de la línea del {pct} %, en la frontera",
        "en": "probability of each strategy over {draws} weight draws ({how}); each bar starts with its current "
        "strategy · below the {pct} % line, on the fence",
    },
    "account": {"es": "Cuenta", "en": "Account"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "probability": {"es": "Probabilidad %", "en": "Probability %"},
    "error": {"es": "± error 95 %", "en": "± 95 % error"},
    "current": {"es": "Estrategia actual", "en": "Current strategy"},
}


def acceptability_chart(
    result: Robustness, lang: str = "es", accounts: list[str] | None = None, top: int = DEFAULT_SHOWN
) -> alt.LayerChart:
    """Draw each account's probabilities of the four strategies (`result`: a `kamlib.scenarios.robustness.Robustness`).

    `accounts` (ids) chooses the accounts; by default those on the fence, or if fewer than `top`, the `top`
    least stable placed accounts.
    """
    theme.check_lang(lang)
    frame: pd.DataFrame = result.accounts
    placed = frame[frame["quadrant"].notna()].sort_values("stability", kind="stable")
    if accounts is not None:
        shown = placed[placed["account_id"].isin(accounts)]
    else:
        fence = placed[placed["on_the_fence"]]
        shown = fence if len(fence) >= top else placed.head(top)
    names = {q: STRATEGY_NAMES[q][lang] for q in QUADRANTS}
    twice = shown["name"].duplicated(keep=False)  # two accounts of one name keep two bars
    labels = shown["name"].astype(str).where(~twice, shown["name"].astype(str) + " (" + shown["account_id"] + ")")
    long = pd.DataFrame(
        [
            {
                "account": label,
                "order": i,
                "quadrant": q,
                "probability": round(100 * float(row[f"p_{q}"]), 1),
                "error": round(100 * float(row[f"error_{q}"]), 1),
                "current": names[row["quadrant"]],
                "stack": 0 if q == row["quadrant"] else 1 + QUADRANTS.index(q),
            }
            for i, ((_, row), label) in enumerate(zip(shown.iterrows(), labels, strict=True))
            for q in QUADRANTS
        ],
        columns=["account", "order", "quadrant", "probability", "error", "current", "stack"],
    )
    y = alt.Y(
        "account:N",
        sort=alt.SortField("order"),
        title=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT_PX),
    )
    bars = (
        alt.Chart(alt.InlineData(values=theme.chart_records(long)))
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            x=alt.X(
                "probability:Q",
                stack="zero",
                scale=alt.Scale(domain=[0, 100], nice=False),
                title=TEXTS["probability"][lang],
            ),
            color=alt.Color(
                "quadrant:N",
                scale=alt.Scale(domain=list(QUADRANTS), range=[theme.QUADRANT_COLOURS[q] for q in QUADRANTS]),
                legend=alt.Legend(
                    title=TEXTS["strategy"][lang],
                    orient="bottom",
                    direction="horizontal",
                    labelExpr=lookup_expr("datum.label", names),
                ),
            ),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("account:N", title=TEXTS["account"][lang]),
                alt.Tooltip("current:N", title=TEXTS["current"][lang]),
                alt.Tooltip("strategy:N", title=TEXTS["strategy"][lang]),
                alt.Tooltip("probability:Q", title=TEXTS["probability"][lang], format=".1f"),
                alt.Tooltip("error:Q", title=TEXTS["error"][lang], format=".1f"),
            ],
        )
        .transform_calculate(strategy=lookup_expr("datum.quadrant", names))
        .properties(name=BARS_LAYER)
    )
    rule = (
        alt.Chart(alt.InlineData(values=[{"x": 100 * ON_THE_FENCE}]))
        .mark_rule(color=theme.TEXT_COLOUR, strokeDash=[5, 4], strokeWidth=1.5)
        .encode(x="x:Q")
        .properties(name=FENCE_RULE_LAYER)
    )
    draws = number_text(result.draws, lang, 0)
    subtitle = TEXTS["subtitle"][lang].format(
        draws=draws,
        how=result.method(lang),
        pct=round(100 * ON_THE_FENCE),
    )
    chart = alt.layer(bars, rule).properties(
        width=theme.chart_width - LABEL_LIMIT_PX,
        height=alt.Step(_BAR_STEP_PX),
        title=alt.TitleParams(TEXTS["title"][lang], subtitle=[subtitle]),
        usermeta={"embedOptions": theme.locale_options(lang), "lang": lang},
    )
    return theme.apply_theme(chart)
