"""The stakeholders' dashboard: its views, drawn once and kept, so a Voilà kernel only has to show them.

`draw_views` computes every view of `kamlib/publish/notebooks/dashboard.ipynb` (the portfolio in figures, the matrix
with the accounts on the fence ringed, arrows for their moves and lines to where the customer sees our position,
the accounts per strategy, how robust each placement is, the team's agreement, how the customer sees us, who should
manage each account, the KAMs' time, the quadrant changes, the account groups' matrix, where the accounts will be
(the forecast matrix), the key-account selection, the decision maps' coverage, the scorecards, the plans due for
review, the cost to serve and its whale curve, and the sales ledger's metrics and whitespace) as display data: MIME
bundles of escaped HTML, SVG drawn by vl-convert, or plain text.
`kam serve` draws them before it starts Voilà and keeps them in a JSON file beside the notebook,
stamped with a fingerprint of the workbook, the scenario and kamlib's code; the notebook's kernel then
reads that file without importing pandas, altair or vl-convert, which is what makes the first chart
appear within a second. If the workbook changed meanwhile (or there is no file) the kernel draws the
views itself, so the dashboard never shows stale figures.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kamlib.i18n import check_lang
from kamlib.publish.record import inputs_digest

if TYPE_CHECKING:
    import pandas as pd

SECTION_VIEWS = {
    "pick": ("picker",),
    "matrix": ("matrix", "quadrants", "accounts"),
    "robustness": ("robustness", "fence"),
    "agreement": ("agreement_summary", "agreement_table"),
    "customer": ("customer_summary", "customer_table"),
    "assignment": ("assignment", "changes"),
    "time": ("time_profile", "time_gap", "strategy_time", "time_summary", "findings"),
    "movement": ("movement",),
    "groups": ("groups_summary", "groups_matrix", "groups_table"),
    "forecast": ("forecast_summary", "forecast_chart", "forecast_table"),
    "selection": ("selection_summary", "selection", "selection_changes"),
    "maps": ("coverage", "coverage_table"),
    "scorecards": ("scorecard_summary", "scorecards"),
    "plans": ("plans_summary", "plans_table"),
    "cost": ("cost_summary", "whale", "cost_tables"),
    "ledger": ("ledger_summary", "ledger_table", "ledger_distribution", "whitespace", "whitespace_table"),
}
"""The dashboard's sections (`kamlib.views.summary.SECTIONS`) and the views each holds, in order."""
VIEWS = (
    "heading",
    "summary",
    "contents",
    "portfolio",
    *(view for section, views in SECTION_VIEWS.items() for view in (f"section_{section}", *views)),
)
"""The dashboard's views, in the order the notebook shows them."""
ROBUSTNESS_SEED = 0
"""The dashboard's robustness draws are seeded, so that every visitor sees the same probabilities."""


@dataclass(frozen=True)
class View:
    """One view as display data: a MIME bundle that Jupyter shows as it is."""

    data: Mapping[str, str]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return dict(self.data)


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's views by name (see `VIEWS`), and whether they were read from `kam serve`'s file."""

    views: Mapping[str, View]
    kept: bool = False

    def __getitem__(self, name: str) -> View:
        return self.views[name]


def draw_views(
    workbook: Path | str | None,
    scenario: Path | str | None,
    lang: str,
    assignment: Path | str | None = None,
    level: int = 0,
) -> dict[str, dict[str, str]]:
    """Compute every dashboard view of an engagement as MIME bundles (the heavy part: pandas, altair, vl-convert).

    `assignment` is the assignment settings YAML (None: the defaults); `level` the account hierarchy's level its
    groups are drawn at (0: the top accounts; `kamlib.plan.hierarchy`)."""
    from IPython.core.formatters import DisplayFormatter

    from kamlib.agreement import agreement_summary, agreement_table, contested_by_account, engagement_spread, rule_text
    from kamlib.agreement import summary_text as agreement_text
    from kamlib.assignment import assign_engagement
    from kamlib.assignment.competences import load_assignment_settings
    from kamlib.assignment.solver import NO_PLAN
    from kamlib.charts import matrix_chart
    from kamlib.charts.assignment import kam_matrix_chart
    from kamlib.charts.cost import whale_chart
    from kamlib.charts.export import StaticChart
    from kamlib.charts.forecast import forecast_chart
    from kamlib.charts.ledger import distribution_chart, whitespace_chart
    from kamlib.charts.robustness import acceptability_chart
    from kamlib.charts.selection import selection_chart
    from kamlib.charts.time import strategy_time_chart, time_gap_chart, time_profile_chart
    from kamlib.engagement import load
    from kamlib.ledger.tables import distribution_table, family_gap_table, family_gaps, ledger_of, ledger_summary
    from kamlib.plan.account import accounts_table, quadrant_table
    from kamlib.plan.attention import attention, portfolio_figures
    from kamlib.plan.cards import account_cards, kam_cards
    from kamlib.plan.cost import cost_to_serve
    from kamlib.plan.customer_view import customer_view
    from kamlib.plan.forecast import forecast
    from kamlib.plan.freshness import plan_freshness
    from kamlib.plan.hierarchy import hierarchy
    from kamlib.plan.movement import movement_table, movements
    from kamlib.plan.scorecard import portfolio_scorecard, portfolio_scorecard_table, scorecard_summary
    from kamlib.plan.selection import select_or_explain
    from kamlib.plan.stakeholders import coverage, coverage_summary, coverage_table
    from kamlib.scenarios.robustness import robustness
    from kamlib.scenarios.scenario import score_scenario
    from kamlib.timealloc import allocate_time
    from kamlib.views.account import portfolio_html
    from kamlib.views.cards import picker_html
    from kamlib.views.cost import portfolio_cost_html
    from kamlib.views.page import heading_html, table_html, text_html
    from kamlib.views.robustness import fence_html
    from kamlib.views.summary import contents_html, section_html, summary_html

    check_lang(lang)
    engagement = load(workbook)
    currency = engagement.identity.currency

    def table(frame: pd.DataFrame) -> dict[str, str]:
        return {"text/html": table_html(frame, lang, currency)} if len(frame) else empty

    def text(lines: str | list[str], listed: bool = False) -> dict[str, str]:
        return {"text/html": text_html(lines, listed)}

    scored = score_scenario(engagement, scenario)
    time = allocate_time(engagement, scored=scored, normalise=True)
    placement = robustness(engagement, scenario, seed=ROBUSTNESS_SEED)
    settings = load_assignment_settings(assignment)
    assignment = assign_engagement(engagement, scored, settings, strict=False)
    planned = assignment.status not in NO_PLAN
    moves = movements(engagement, scored)
    selection, selection_note = select_or_explain(engagement, lang)
    covered, kpis = coverage(engagement), portfolio_scorecard(engagement)  # each shown twice, computed once
    ledger, space = ledger_of(engagement)
    fence = placement.accounts.set_index("account_id")["on_the_fence"]
    spread = engagement_spread(engagement, period=scored.attrs.get("period"))
    agreed = agreement_summary(spread)
    fresh = plan_freshness(engagement)
    seen = customer_view(engagement, scored)
    ahead = forecast(engagement, scored)
    cost = cost_to_serve(engagement, scored)
    groups = hierarchy(engagement, scored, level, cost=cost)
    grouped = len(groups.groups) > 0
    needs = attention(engagement, scored, fence, covered, kpis, fresh, cost)
    figures = portfolio_figures(needs, scored, time.kams["utilisation"], fresh.tracked, cost.available)
    hours = time.unit == "hours"
    cards = account_cards(
        engagement, scored, needs, moves, assignment.plan if planned else None, covered, kpis,
        time.accounts if hours else None, contested_by_account(spread), fresh,
    )  # fmt: skip
    kams = time.kams if hours else None
    cut_lines = tuple(float(scored.attrs.get("cuts", {}).get(axis, 5.0)) for axis in ("potential", "position"))
    empty = {"text/plain": ""}
    shown = {
        "heading": {"text/html": heading_html(engagement.identity, "dashboard", lang, today=dt.date.today())},
        "summary": {"text/html": summary_html(figures, lang, currency)},
        "contents": {"text/html": contents_html(lang)},
        **{f"section_{section}": {"text/html": section_html(section, lang)} for section in SECTION_VIEWS},
        "portfolio": {"text/html": portfolio_html(engagement, scored, lang)},
        "picker": {
            "text/html": picker_html(
                cards, kam_cards(engagement, cards, kams), cut_lines, lang, currency, engagement.criteria
            )
        },
        "matrix": StaticChart(
            matrix_chart(scored, lang=lang, robustness=placement.accounts, movement=moves, customer=seen.accounts)
        ),
        "quadrants": table(quadrant_table(scored, lang)),
        "accounts": table(accounts_table(scored, lang)),
        "robustness": StaticChart(acceptability_chart(placement, lang)),
        "fence": {"text/html": fence_html(placement, lang)},
        "agreement_summary": text(
            [f"{agreement_text(agreed, lang)}."] + ([rule_text(lang)] if agreed.multi_assessor_cells else [])
        ),
        "agreement_table": table(agreement_table(spread, engagement.accounts, engagement.criteria, lang)),
        "customer_summary": text(seen.summary(lang)),
        "customer_table": table(seen.gap_table(lang)),
        "assignment": StaticChart(kam_matrix_chart(scored, assignment.plan, engagement.kams, lang))
        if planned
        else text([assignment.summary(lang), *assignment.findings(lang)]),
        "changes": table(assignment.changes(lang)) if planned else empty,
        "time_profile": StaticChart(time_profile_chart(time, lang)),
        "time_gap": StaticChart(time_gap_chart(time, lang)),
        "strategy_time": StaticChart(strategy_time_chart(time, lang)),
        "time_summary": table(time.kam_table(lang)),
        "findings": text(time.findings(lang), listed=True),
        "movement": table(movement_table(moves, lang)),
        "groups_summary": text(groups.summary(lang)),
        "groups_matrix": StaticChart(matrix_chart(groups.units, lang=lang, title=groups.title(lang)))
        if grouped
        else empty,
        "groups_table": table(groups.table(lang)),
        "forecast_summary": text(ahead.summary(lang)),
        "forecast_chart": StaticChart(forecast_chart(scored, ahead, lang)) if len(ahead.points) else empty,
        "forecast_table": table(ahead.table(lang)),
        "selection_summary": text(selection_note),
        "selection": StaticChart(selection_chart(selection, lang)) if selection else empty,
        "selection_changes": table(selection.changes_table(lang)) if selection else empty,
        "coverage": text(coverage_summary(engagement, lang, covered=covered)),
        "coverage_table": table(coverage_table(covered, lang)),
        "scorecard_summary": text(scorecard_summary(engagement, lang, portfolio=kpis)),
        "scorecards": table(portfolio_scorecard_table(engagement, lang, portfolio=kpis)),
        "plans_summary": text(fresh.summary(lang)),
        "plans_table": table(fresh.table(lang, engagement.kams)),
        "cost_summary": text(cost.summary(lang)) if not cost.available else empty,
        "whale": StaticChart(whale_chart(cost, lang)) if cost.available else empty,
        "cost_tables": {"text/html": portfolio_cost_html(cost, lang)} if cost.available else empty,
        "ledger_summary": text(ledger_summary(ledger, space, lang)),
        "ledger_table": table(distribution_table(ledger, lang)) if len(ledger) else empty,
        "ledger_distribution": StaticChart(distribution_chart(ledger, lang)) if len(ledger) else empty,
        "whitespace": StaticChart(whitespace_chart(ledger, space, lang)) if len(ledger) else empty,
        "whitespace_table": table(family_gap_table(family_gaps(ledger, space), lang)) if len(ledger) else empty,
    }
    formatter = DisplayFormatter()
    drawn = {name: value if isinstance(value, dict) else formatter.format(value)[0] for name, value in shown.items()}
    return {name: drawn[name] for name in VIEWS}


def fingerprint(
    workbook: Path | str,
    scenario: Path | str | None,
    lang: str,
    assignment: Path | str | None = None,
    level: int = 0,
) -> str:
    """What the views depend on: the workbook's files, the scenario, the assignment settings, kamlib's code, the
    language and the hierarchy's level (unsaid at 0)."""
    files = (None if f is None else Path(f) for f in (scenario, assignment))
    return f"{inputs_digest(Path(workbook), *files)}-{lang}" + (f"-level{level}" if level else "")


def keep_views(
    path: Path | str,
    workbook: Path | str,
    scenario: Path | str | None,
    lang: str,
    assignment: Path | str | None = None,
    level: int = 0,
) -> Path:
    """Draw the views and keep them in `path` (JSON, written atomically) with their inputs' fingerprint."""
    from kamlib.fileio import write_text

    record = {
        "fingerprint": fingerprint(workbook, scenario, lang, assignment, level),
        "views": draw_views(workbook, scenario, lang, assignment, level),
    }
    return write_text(path, json.dumps(record, ensure_ascii=False))


def dashboard(
    workbook: Path | str | None = None,
    scenario: Path | str | None = None,
    lang: str = "es",
    kept: Path | str | None = None,
    assignment: Path | str | None = None,
    level: int = 0,
) -> Dashboard:
    """The dashboard's views: read from the file `kept` when it was drawn from these very inputs, else drawn now."""
    check_lang(lang)
    if kept is not None and workbook is not None and Path(kept).is_file():
        record = json.loads(Path(kept).read_text(encoding="utf-8"))
        if record.get("fingerprint") == fingerprint(workbook, scenario, lang, assignment, level):
            return Dashboard({name: View(data) for name, data in record["views"].items()}, kept=True)
    drawn = draw_views(workbook, scenario, lang, assignment, level)
    return Dashboard({name: View(data) for name, data in drawn.items()})
