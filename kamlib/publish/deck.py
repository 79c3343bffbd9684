"""The workshop deck: a PowerPoint file a consultant presents, the matrix first, then a plan per key account.

`write_deck` scores the engagement (a scenario, a period), draws the charts offline (vl-convert, as
`kamlib.charts.export` does) and lays out, on 16:9 slides of python-pptx's own default template:

1. a title slide: the engagement, "Matriz de análisis de cuentas", the scenario, the date;
2. the matrix, with the arrows of `kamlib.plan.movement` when there are any, and what it shows in words;
3. the accounts and revenue per strategy (`kamlib.plan.account.quadrant_table`) as a native table;
4. per key account: its position (account matrix and facts), its plan (the playbook's priorities,
   activities and control metrics for its strategy), its decision map when its buying centre is listed,
   and its balanced scorecard (the playbook's suggested KPIs while it has none). An account left out of
   the matrix gets one slide saying why.

The layout is `kamlib.publish.slides`'s: lists are cut to `MAX_BULLETS` items ("+N más", the full list in the speaker
notes) and long texts to `MAX_CHARS`, so nothing runs off a slide; body text is at least `SMALL_PT` points.
Workbook text only ever reaches the file as text through python-pptx (which escapes it). The file is written
atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches

from kamlib.colours import KPI_STATUS_TEXT_COLOURS, QUADRANT_TEXT_COLOURS
from kamlib.engagement import Engagement
from kamlib.errors import KamError, check_accounts
from kamlib.fileio import atomic_path
from kamlib.i18n import check_lang, money_text, number_text, short_text, signed_text
from kamlib.method import AXES, AXIS_LABELS, STRATEGY_NAMES
from kamlib.periods import period_key
from kamlib.plan import stakeholders
from kamlib.plan.account import PLAN_WORDS, AccountPlan, account_plan, quadrant_summary, quadrant_table
from kamlib.plan.attention import attention, attention_accounts
from kamlib.plan.cost import CostToServe, cost_to_serve
from kamlib.plan.customer_view import CustomerView, customer_view
from kamlib.plan.forecast import CASE_LABELS, Forecast, forecast
from kamlib.plan.freshness import plan_freshness
from kamlib.plan.hierarchy import Hierarchy, hierarchy
from kamlib.plan.movement import movements
from kamlib.plan.playbook import ELEMENT_LABELS, PERSPECTIVE_LABELS, Play, play
from kamlib.plan.scorecard import ASSESSED, STATUS_LABELS, TABLE_COLUMNS, Scorecard, scorecard, scorecard_table
from kamlib.publish.dashboard import ROBUSTNESS_SEED
from kamlib.publish.slides import (
    BODY_BOTTOM,
    BODY_PT,
    BODY_TOP,
    HEADING_PT,
    MARGIN,
    MAX_CHARS,
    MUTED,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    SMALL_PT,
    TEXT,
    TITLE_PT,
    Line,
    body_height,
    bullets,
    chart_png,
    clean,
    clip,
    column_widths,
    note,
    picture,
    rgb,
    room,
    row_heights,
    run,
    table,
    text_box,
    untitled,
)
from kamlib.scenarios.robustness import robustness
from kamlib.scenarios.scenario import Scenario, score_scenario

MAX_TABLE_ROWS = 7
"""At most this many KPIs in a slide's scorecard table."""
MAX_FACT = 64
"""A fact beside a chart (KAM, relationship model…) longer than this is cut."""
MAX_TITLE_NAME = 48
"""An account or engagement name longer than this is cut in slide titles."""
LONG_TITLE, LONG_TITLE_PT = 44, 24
"""A slide title longer than this many characters is set smaller, to stay within two lines."""

_TITLE_TOP, _TITLE_HEIGHT = Inches(0.3), Inches(1.0)
_LANGUAGE_TAGS = {"es": "es-ES", "en": "en-GB"}
_LAYOUT_TITLE, _LAYOUT_TITLE_ONLY = 0, 5
"""Indexes of the built-in layouts used: "Title Slide" and "Title Only"."""

WORDS: dict[str, dict[str, str]] = {
    "deck": {"es": "Matriz de análisis de cuentas", "en": "Account analysis matrix"},
    "scenario": {"es": "Escenario", "en": "Scenario"},
    "workbook_weights": {"es": "pesos del libro", "en": "the workbook's weights"},
    "period": {"es": "periodo {period}", "en": "period {period}"},
    "changes": {"es": "Cambios de estrategia desde {period}", "en": "Changes of strategy since {period}"},
    "no_changes": {"es": "Ninguna cuenta ha cambiado de estrategia desde {period}.",
                   "en": "No account has changed strategy since {period}."},
    "quadrants": {"es": "Cuentas y facturación por estrategia", "en": "Accounts and revenue by strategy"},
    "total": {"es": "Total", "en": "Total"},
    "position_title": {"es": "{name}: posición", "en": "{name}: position"},
    "plan_title": {"es": "{name}: plan", "en": "{name}: plan"},
    "map_title": {"es": "{name}: mapa de decisión", "en": "{name}: decision map"},
    "card_title": {"es": "{name}: cuadro de mando", "en": "{name}: scorecard"},
    "unplaced_title": {"es": "{name}: fuera de la matriz", "en": "{name}: not in the matrix"},
    "account": {"es": "Cuenta", "en": "Account"},
    "kam": {"es": "KAM", "en": "KAM"},
    "no_kam": {"es": "sin KAM asignado", "en": "no KAM assigned"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "relationship": {"es": "Modelo de relación", "en": "Relationship model"},
    "none": {"es": "—", "en": "—"},
    "more_notes": {"es": "+{n} más (lista completa en las notas)", "en": "+{n} more (full list in the notes)"},
    "decision_map": {"es": "Mapa de decisión", "en": "Decision map"},
    "no_map": {
        "es": "aún no hay; su centro de compras está por trazar",
        "en": "none yet; its buying centre is still to be mapped",
    },
    "map_summary": {"es": "{people} · riesgo {risk}", "en": "{people} · {risk} risk"},
    "people": {"es": "{n} personas", "en": "{n} people"},
    "one_person": {"es": "1 persona", "en": "1 person"},
    "flagged": {"es": "Necesitan acción primero", "en": "Need action first"},
    "nobody": {"es": "Ninguna persona influyente tiene alertas.", "en": "No influential person is flagged."},
    "covered": {"es": "Conocemos a quienes reúnen el {share} % de la influencia.",
                "en": "We know the people who hold {share} % of the influence."},
    "scorecard": {"es": "Cuadro de mando", "en": "Scorecard"},
    "review": {"es": "Revisión del plan", "en": "Plan review"},
    "cost_title": {"es": "Coste de servir y beneficio por cuenta", "en": "Cost to serve and profit by account"},
    "losers": {"es": "Cuestan más de servir de lo que dejan", "en": "Cost more to serve than they earn"},
    "forecast_title": {"es": "Dónde estarán las cuentas en {horizon}", "en": "Where the accounts will be in {horizon}"},
    "customer_title": {"es": "{name}: cómo nos ve el cliente", "en": "{name}: how the customer sees us"},
    "customer": {"es": "Posición según el cliente", "en": "Position as the customer sees it"},
    "kpis": {"es": "{n} indicadores", "en": "{n} indicators"},
    "one_kpi": {"es": "1 indicador", "en": "1 indicator"},
    "no_kpis": {"es": "aún no hay indicadores", "en": "no indicators yet"},
    "suggested": {
        "es": "Aún no hay indicadores: estos son los que sugiere la estrategia {strategy}.",
        "en": "No indicators yet: these are the ones the {strategy} strategy suggests.",
    },
    "card_period": {"es": "Último periodo: {period}", "en": "Latest period: {period}"},
    "met": {"es": "{met} de {n} cumplidos", "en": "{met} of {n} met"},
    "none_measured": {"es": "aún sin medir", "en": "none measured yet"},
    "unplaced": {
        "es": "Sin lugar en la matriz: ninguna puntuación con peso en {axes}.",
        "en": "No place in the matrix: no weighted score on {axes}.",
    },
    "unplaced_fix": {
        "es": "Se situará cuando tenga puntuación en algún criterio con peso de ese eje.",
        "en": "It will be placed once it has a score on a weighted criterion of that axis.",
    },
}  # fmt: skip
"""Every word the deck writes, in Spanish and English."""

_CARD_COLUMNS = (3.4, 2.0, 1.8, 1.8, 1.8, 1.6)
"""Relative widths of the scorecard table's columns."""
_CARD_HEADERS = {
    "kpi": {"es": "Indicador", "en": "KPI"},
    "perspective": {"es": "Perspectiva", "en": "Perspective"},
    "target": {"es": "Objetivo", "en": "Target"},
    "actual": {"es": "Real", "en": "Actual"},
    "status": {"es": "Estado", "en": "Status"},
    "trend": {"es": "Tendencia", "en": "Trend"},
}
_CARD_VALUES = ("target", "actual")
"""The scorecard table's columns of values, written in their KPI's unit (`kamlib.plan.scorecard.value_text`)."""
_CUSTOMER_COLUMNS = (4.0, 1.8, 1.8, 1.4, 1.4)
"""Relative widths of the customer's-view table's columns (criterion, ours, theirs, gap, scale)."""


# --- the public entry points ------------------------------------------------------------------------------


def write_deck(
    engagement: Engagement,
    out: Path | str,
    accounts: Sequence[str] | None = None,
    scenario: Scenario | Path | str | None = None,
    lang: str | None = None,
    period: str | None = None,
    *,
    every: bool = False,
    date: dt.date | None = None,
) -> Path:
    """Write the workshop deck of `engagement` to `out` (.pptx), atomically, and return its path.

    `accounts` are the account ids to give slides to, in that order; None gives the accounts that need the room's
    attention (`kamlib.plan.attention`: on the fence, high-risk decision map, missed KPIs, Invest and Selective),
    the most pressing first, or with `every` every key account (the `accounts` sheet), largest revenue first.
    `scenario` and `period` score the engagement as `kamlib.scenarios.scenario.score_scenario` does; `lang` None
    is the engagement's language, else the default (`Identity.lang`); `date` is the one the title
    slide shows (default: the engagement's date, else today).
    Raises `KamError` for an unknown account (naming the known ones), a bad language or a file name
    that is not .pptx; nothing is written then, nor when drawing or saving fails half-way.
    """
    lang = engagement.identity.lang(lang)
    out = Path(out)
    if out.suffix.lower() != ".pptx":
        raise KamError(
            f"{out}: a deck is a PowerPoint file; allowed: a name ending in .pptx",
            f"{out}: una presentación es un archivo PowerPoint; se admite: un nombre acabado en .pptx",
        )
    scored = score_scenario(engagement, scenario, period)
    if accounts is None and not every:
        fence = robustness(engagement, scenario, seed=ROBUSTNESS_SEED, period=period).accounts
        fresh = plan_freshness(engagement, date)
        needs = attention(engagement, scored, fence.set_index("account_id")["on_the_fence"], fresh=fresh)
        chosen = attention_accounts(needs)
    else:
        chosen = deck_accounts(engagement, accounts)
    deck = build_deck(engagement, scored, chosen, lang, date=date)
    try:
        with atomic_path(out) as tmp:
            deck.save(str(tmp))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise KamError(f"{out}: cannot write the deck ({reason})", f"{out}: no se puede escribir ({reason})") from exc
    return out


def deck_accounts(engagement: Engagement, accounts: Iterable[str] | None = None) -> list[str]:
    """The account ids a deck gives slides to: `accounts` in order (each once), or every key account by revenue.

    Raises `KamError` naming the unknown ids and the known ones.
    """
    frame = engagement.accounts
    known = frame["account_id"].astype(str).tolist()
    if accounts is None:
        revenue = pd.to_numeric(frame["revenue"], errors="coerce")
        order = revenue.reset_index(drop=True).sort_values(ascending=False, kind="stable", na_position="last")
        return [known[i] for i in order.index]
    chosen = list(dict.fromkeys([accounts] if isinstance(accounts, str) else accounts))
    check_accounts(chosen, known)
    return chosen


def build_deck(
    engagement: Engagement,
    scored: pd.DataFrame,
    accounts: Sequence[str],
    lang: str = "es",
    *,
    date: dt.date | None = None,
):
    """Lay out the deck in memory (a python-pptx `Presentation`) from a scoring of the engagement.

    `scored` is what `score_scenario` returned; `accounts` are checked ids (`deck_accounts`).
    """
    check_lang(lang)
    deck = _new_deck()
    scenario = _scenario_name(scored, lang)
    when = date or engagement.identity.date or dt.date.today()
    _title_slide(deck, engagement, scenario, scored.attrs.get("period"), when, lang)
    _matrix_slide(deck, engagement, scored, lang)
    _quadrant_slide(deck, scored, lang, engagement.identity.currency)
    cost = cost_to_serve(engagement, scored)  # once, for the groups and the cost slide
    groups = hierarchy(engagement, scored, cost=cost)
    if len(groups.groups):
        _groups_slide(deck, groups, lang)
    ahead = forecast(engagement, scored)
    if len(ahead.points):
        _forecast_slide(deck, scored, ahead, lang)
    if cost.available:
        _cost_slide(deck, cost, lang)
    seen = customer_view(engagement, scored)
    for account_id in accounts:
        _account_slides(deck, engagement, scored, account_id, lang, when, seen)
    props = deck.core_properties
    props.title = clean(engagement.identity.title("deck", lang))
    props.subject = clean(f"{WORDS['scenario'][lang]}: {scenario}")
    props.author = engagement.identity.consultant or ""
    props.last_modified_by = engagement.identity.consultant or ""
    props.language = _LANGUAGE_TAGS[lang]
    props.keywords = "KAM"
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    return deck


# --- the deck and its slides -----------------------------------------------------------------------------


def _new_deck():
    """python-pptx's default template at 16:9, its master's and layouts' placeholders stretched to the width."""
    deck = Presentation()
    stretch = SLIDE_WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    shapes = [*deck.slide_master.shapes, *(s for layout in deck.slide_layouts for s in layout.placeholders)]
    for shape in shapes:
        if shape.left is not None and shape.width is not None:
            shape.left, shape.width = Emu(round(shape.left * stretch)), Emu(round(shape.width * stretch))
    return deck


def _slide(deck, title: str, lang: str):
    """Add a "Title Only" slide with `title` (cut to two lines' worth) in the deck's title style."""
    slide = deck.slides.add_slide(deck.slide_layouts[_LAYOUT_TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top = MARGIN, _TITLE_TOP
    shape.width, shape.height = SLIDE_WIDTH - 2 * MARGIN, _TITLE_HEIGHT
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    title = clip(title, 2 * MAX_TITLE_NAME)
    size = TITLE_PT if len(title) <= LONG_TITLE else LONG_TITLE_PT
    run(paragraph, title, lang, size, bold=True, colour=TEXT)
    return slide


def _title_slide(deck, engagement: Engagement, scenario: str, period: str | None, date: dt.date, lang: str) -> None:
    """The deck's title from the engagement's identity (`kamlib.workbook.identity`), never a file or folder name: the
    supplier's name (or the neutral title), what the deck is, the scenario, and for whom, by whom and when."""
    identity = engagement.identity
    slide = deck.slides.add_slide(deck.slide_layouts[_LAYOUT_TITLE])
    title = slide.shapes.title
    title.text_frame.word_wrap = True
    name = clip(identity.who or identity.title("deck", lang), 64)
    run(title.text_frame.paragraphs[0], name, lang, 40 if len(name) <= 30 else 32, bold=True)
    subtitle = slide.placeholders[1]
    frame = subtitle.text_frame
    frame.word_wrap = True
    scenario_line = f"{WORDS['scenario'][lang]}: {scenario}"
    if period:
        scenario_line += " · " + WORDS["period"][lang].format(period=period)
    byline = replace(identity, date=date).byline(lang)  # the date asked for, else the engagement's, else today
    for i, (text, size, bold) in enumerate(
        [(WORDS["deck"][lang], 26, True), (clip(scenario_line, 100), 20, False), (clip(byline, 100), 20, False)]
    ):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run(paragraph, text, lang, size, bold=bold, colour=TEXT if bold else MUTED)


def _matrix_slide(deck, engagement: Engagement, scored: pd.DataFrame, lang: str) -> None:
    """The matrix as a picture (its title and notes as slide text), and the changes of strategy beside it."""
    from kamlib.charts.matrix import matrix_chart

    moves = movements(engagement, scored)
    chart = matrix_chart(scored, lang=lang, movement=moves if len(moves) else None)
    slide, left, box, lines = _chart_slide(deck, WORDS["deck"][lang], chart, lang)
    history = moves[(moves["kind"] == "history") & (moves["from_quadrant"] != moves["to_quadrant"])]
    if len(moves[moves["kind"] == "history"]):
        since = str(moves.loc[moves["kind"] == "history", "from_period"].iloc[0])
        if len(history):
            lines.append(Line(WORDS["changes"][lang].format(period=since), BODY_PT, bold=True, space=14))
            changes = [
                f"{clip(row.name, MAX_TITLE_NAME)}: {STRATEGY_NAMES[row.from_quadrant][lang]} → "
                f"{STRATEGY_NAMES[row.to_quadrant][lang]}"
                for row in history.itertuples()
            ]
            more = WORDS["more_notes"][lang]
            lines += bullets(slide, changes, lang, SMALL_PT, more, heading=lines[-1].text, room=room(*box, lines))
        else:
            lines.append(Line(WORDS["no_changes"][lang].format(period=since), SMALL_PT, space=14))
    text_box(slide, left, BODY_TOP, *box, lines, lang)


def _forecast_slide(deck, scored: pd.DataFrame, ahead: Forecast, lang: str) -> None:
    """The forecast matrix of the farthest horizon as a picture, and beside it the accounts whose strategy changes
    with our plan and without it."""
    from kamlib.charts.forecast import forecast_chart

    points = ahead.at()
    title = WORDS["forecast_title"][lang].format(horizon=points["horizon"].iloc[0])
    slide, left, box, lines = _chart_slide(deck, title, forecast_chart(scored, ahead, lang), lang)
    for case in ("with_plan", "without_plan"):
        moved = points[(points["case"] == case) & points["moved"]]
        if moved.empty:
            continue
        lines.append(Line(CASE_LABELS[case][lang], BODY_PT, bold=True, space=12))
        changes = [
            f"{clip(row.name, MAX_TITLE_NAME)}: {STRATEGY_NAMES.get(row.today_quadrant, {}).get(lang, '—')} → "
            f"{STRATEGY_NAMES.get(row.quadrant, {}).get(lang, '—')}"
            for row in moved.itertuples()
        ]
        more = WORDS["more_notes"][lang]
        lines += bullets(slide, changes, lang, SMALL_PT, more, heading=lines[-1].text, room=room(*box, lines))
    text_box(slide, left, BODY_TOP, *box, lines, lang)


def _chart_slide(deck, title: str, chart, lang: str) -> tuple[object, int, tuple[int, int], list[Line]]:
    """A slide titled `title` with `chart` as a picture on the left (its own title left out) and a panel on the
    right: the slide, the panel's left edge and size, and its first lines (the chart's notes, small)."""
    chart, notes = untitled(chart)
    slide = _slide(deck, title, lang)
    panel = Inches(4.9)
    picture(slide, chart_png(chart), MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN - panel, body_height())
    left = SLIDE_WIDTH - MARGIN - panel + Inches(0.2)
    box = (panel - Inches(0.2), body_height())
    lines = [Line(clip(n, 2 * MAX_CHARS), SMALL_PT, colour=MUTED, space=6) for n in notes]
    return slide, left, box, lines


def _groups_slide(deck, groups: Hierarchy, lang: str) -> None:
    """The matrix of the account groups (the top level) as a picture, and beside it the groups and their
    accounts."""
    from kamlib.charts.matrix import matrix_chart

    chart = matrix_chart(groups.units, lang=lang, title=groups.title(lang))
    slide, left, box, lines = _chart_slide(deck, groups.title(lang), chart, lang)
    lines.append(Line(clip(groups.summary(lang), 2 * MAX_CHARS), BODY_PT - 2, space=10))
    units = groups.units[groups.units["members"] > 1]
    items = [
        f"{clip(u.name, MAX_TITLE_NAME)}: {u.members} · {STRATEGY_NAMES.get(u.quadrant, {}).get(lang, '—')}"
        for u in units.itertuples()
    ]
    more = WORDS["more_notes"][lang]
    lines += bullets(slide, items, lang, SMALL_PT, more, heading=groups.title(lang), room=room(*box, lines))
    text_box(slide, left, BODY_TOP, *box, lines, lang)


def _cost_slide(deck, cost: CostToServe, lang: str) -> None:
    """The whale curve as a picture, and beside it the accounts that cost more to serve than they earn."""
    from kamlib.charts.cost import whale_chart

    slide, left, box, lines = _chart_slide(deck, WORDS["cost_title"][lang], whale_chart(cost, lang), lang)
    findings = cost.findings(lang, losers_only=True)
    if findings:
        lines.append(Line(WORDS["losers"][lang], BODY_PT, bold=True, space=12))
        more = WORDS["more_notes"][lang]
        lines += bullets(slide, findings, lang, SMALL_PT, more, heading=lines[-1].text, room=room(*box, lines))
    text_box(slide, left, BODY_TOP, *box, lines, lang)


def _quadrant_slide(deck, scored: pd.DataFrame, lang: str, currency: str) -> None:
    """`quadrant_table` as an editable table, with a total row; revenue in `currency`."""
    quadrants = quadrant_table(scored, lang)
    slide = _slide(deck, WORDS["quadrants"][lang], lang)
    header = [quadrants.index.name, *quadrants.columns]
    accounts, revenue, share = (quadrants[c] for c in quadrants.columns)
    rows = [
        [str(strategy), number_text(n, lang, 0), money_text(r, lang, currency), number_text(s, lang, 1)]
        for strategy, n, r, s in zip(quadrants.index, accounts, revenue, share, strict=True)
    ]
    total_share = 100.0 if share.notna().any() else float("nan")
    rows.append([WORDS["total"][lang], number_text(accounts.sum(), lang, 0), money_text(revenue.sum(), lang, currency),
                 number_text(total_share, lang, 1)])  # fmt: skip
    width = Inches(10.5)
    widths = column_widths(width, [4.0, 1.8, 2.5, 2.2])
    shape = table(slide, [header, *rows], (SLIDE_WIDTH - width) // 2, BODY_TOP + Inches(0.2), widths, lang)
    for i, code in enumerate(quadrant_summary(scored)["quadrant"]):
        cell = shape.table.cell(1 + i, 0)
        if code in QUADRANT_TEXT_COLOURS:
            for paragraph in cell.text_frame.paragraphs:
                for text_run in paragraph.runs:
                    text_run.font.color.rgb = rgb(QUADRANT_TEXT_COLOURS[code])
                    text_run.font.bold = True
    for cell in (shape.table.cell(len(rows), c) for c in range(len(header))):
        for text_run in cell.text_frame.paragraphs[0].runs:
            text_run.font.bold = True


@dataclass(frozen=True)
class _Account:
    """What the slides of one account show, gathered once."""

    plan: AccountPlan
    name: str
    """The account's name, cut for titles."""
    play: Play | None
    """What its strategy calls for; None when it is not placed."""
    people: pd.DataFrame
    """Its decision map (`kamlib.plan.stakeholders.decision_map`); no rows when nobody is listed."""
    coverage: pd.Series | None
    """Its decision map summed up (a row of `kamlib.plan.stakeholders.coverage`); None without a map."""
    card: Scorecard | None
    """Its scorecard (`kamlib.plan.scorecard.scorecard`); None when it is not placed."""
    currency: str
    """The engagement's currency, that its revenue is written in."""
    customer: CustomerView
    """How the customer sees our position, on every account (`kamlib.plan.customer_view`)."""


def _gather(
    engagement: Engagement, scored: pd.DataFrame, account_id: str, date: dt.date, seen: CustomerView
) -> _Account:
    plan = account_plan(engagement, scored, account_id, as_of=date)
    people = stakeholders.decision_map(engagement, account_id)
    covered = stakeholders.coverage(engagement, account_id) if len(people) else None
    placed = plan.placed and plan.quadrant is not None
    period = scored.attrs.get("period")
    return _Account(
        plan=plan,
        name=clip(plan.name, MAX_TITLE_NAME),
        play=play(engagement, plan.quadrant) if placed else None,
        people=people,
        coverage=covered.iloc[0] if covered is not None and len(covered) else None,
        card=scorecard(engagement, account_id, strategy=plan.quadrant, period=period) if placed else None,
        currency=engagement.identity.currency,
        customer=seen,
    )


def _account_slides(
    deck, engagement: Engagement, scored: pd.DataFrame, account_id: str, lang: str, date: dt.date, seen: CustomerView
) -> None:
    """The slides of one account: position, how the customer sees us (when it scored the account), plan, decision
    map (when listed) and scorecard; or why it is unplaced. Its plan's freshness is judged at `date` (the deck's)."""
    account = _gather(engagement, scored, account_id, date, seen)
    if account.play is None:
        _unplaced_slide(deck, account, lang)
        return
    _position_slide(deck, scored, account, lang)
    if seen.account_lines(account_id, lang):
        _customer_slide(deck, account, lang)
    _plan_slide(deck, account, lang)
    if len(account.people):
        _decision_map_slide(deck, account, lang)
    _scorecard_slide(deck, account, lang)


def _facts(plan: AccountPlan, lang: str, currency: str) -> list[tuple[str, str]]:
    """Account and sector, KAM, revenue (in `currency`) and the two composites with their ranks, as (label,
    value)."""
    words = {k: v[lang] for k, v in WORDS.items()}
    if plan.kam_id is None:
        kam = words["no_kam"]
    else:
        kam = f"{plan.kam_name} ({plan.kam_id})" if plan.kam_name else plan.kam_id
    facts = [(words["account"], " · ".join(t for t in (plan.account_id, plan.sector) if t))]
    facts += [(words["kam"], kam), (words["revenue"], plan.ranked_text("revenue", lang, currency))]
    facts += [(AXIS_LABELS[a][lang], plan.ranked_text(a, lang)) for a in AXES]
    if plan.segment is not None:  # criteria per segment: whose criteria place it
        facts.append((PLAN_WORDS["segment"][lang], PLAN_WORDS["segment_value"][lang].format(segment=plan.segment)))
    if plan.review is not None:
        facts.append((words["review"], plan.review[lang]))
    return [(label, clip(value, MAX_FACT)) for label, value in facts]


def _position_slide(deck, scored: pd.DataFrame, account: _Account, lang: str) -> None:
    """The account matrix (the account ringed) and beside it its strategy and facts."""
    from kamlib.charts.account import account_matrix_chart

    plan = account.plan
    slide = _slide(deck, WORDS["position_title"][lang].format(name=account.name), lang)
    chart, notes = untitled(account_matrix_chart(scored, plan.account_id, lang, customer=account.customer.accounts))
    image_width, caption = Inches(6.4), Inches(0.45)
    picture(slide, chart_png(chart), MARGIN, BODY_TOP, image_width, body_height() - caption)
    if notes:
        line = Line(clip(notes[-1], 2 * MAX_CHARS), SMALL_PT, colour=MUTED)
        text_box(slide, MARGIN, BODY_BOTTOM - caption, image_width, caption, [line], lang)
    words = {k: v[lang] for k, v in WORDS.items()}
    relationship = account.play.texts("relationship", lang)
    colour = rgb(QUADRANT_TEXT_COLOURS[plan.quadrant])
    lines = [Line(STRATEGY_NAMES[plan.quadrant][lang], 26, bold=True, colour=colour)]
    facts = [
        *_facts(plan, lang, account.currency),
        (words["relationship"], clip("; ".join(relationship), MAX_FACT) if relationship else words["none"]),
        (words["decision_map"], _map_summary(account, lang)),
        (words["scorecard"], _card_summary(account.card, lang)),
    ]
    lines += [Line(value, BODY_PT - 2, label=label, space=6) for label, value in facts]
    left = MARGIN + image_width + Inches(0.3)
    text_box(slide, left, BODY_TOP, SLIDE_WIDTH - MARGIN - left, body_height(), lines, lang)


def _plan_slide(deck, account: _Account, lang: str) -> None:
    """Three columns: the strategy's priorities, the activities to stress, the control metrics."""
    plan, strategy_play = account.plan, account.play
    slide = _slide(deck, WORDS["plan_title"][lang].format(name=account.name), lang)
    colour = rgb(QUADRANT_TEXT_COLOURS[plan.quadrant])
    relationship = strategy_play.texts("relationship", lang)
    intro = STRATEGY_NAMES[plan.quadrant][lang]
    if relationship:
        intro += f" · {WORDS['relationship'][lang].lower()}: {'; '.join(relationship)}"
    intro_line = Line(clip(intro, 2 * MAX_CHARS), BODY_PT + 2, bold=True, colour=colour)
    text_box(slide, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, Inches(0.8), [intro_line], lang)
    columns = [
        (ELEMENT_LABELS[element][lang], _element_texts(strategy_play, element, lang))
        for element in ("priority", "activity", "metric")
    ]
    gap = Inches(0.35)
    width = (SLIDE_WIDTH - 2 * MARGIN - 2 * gap) // 3
    top = BODY_TOP + Inches(0.9)
    more = WORDS["more_notes"][lang]
    for i, (heading, items) in enumerate(columns):
        lines = [Line(heading, HEADING_PT + 2, bold=True, colour=colour)]
        free = room(width, BODY_BOTTOM - top, lines)
        lines += bullets(slide, items, lang, BODY_PT - 2, more, heading=heading, room=free) or [
            Line(WORDS["none"][lang], BODY_PT - 2, space=4)
        ]
        text_box(slide, MARGIN + i * (width + gap), top, width, BODY_BOTTOM - top, lines, lang)


def _element_texts(strategy_play: Play, element: str, lang: str) -> list[str]:
    """The texts of one playbook element; a metric followed by its perspective in brackets."""
    if element != "metric":
        return strategy_play.texts(element, lang)
    metrics = strategy_play.metrics
    return [
        f"{text} ({PERSPECTIVE_LABELS[p][lang]})" if p in PERSPECTIVE_LABELS else str(text)
        for text, p in zip(metrics[lang], metrics["perspective"], strict=True)
    ]


def _decision_map_slide(deck, account: _Account, lang: str) -> None:
    """The decision map chart, and beside it its coverage and the flagged people, the most pressing first."""
    from kamlib.charts.stakeholders import decision_map_chart

    people, covered = account.people, account.coverage
    slide = _slide(deck, WORDS["map_title"][lang].format(name=account.name), lang)
    chart, notes = untitled(decision_map_chart(people, lang))
    image_width, caption = Inches(6.6), Inches(0.45)
    picture(slide, chart_png(chart), MARGIN, BODY_TOP, image_width, body_height() - caption)
    if notes:
        line = Line(clip(notes[-1], 2 * MAX_CHARS), SMALL_PT, colour=MUTED)
        text_box(slide, MARGIN, BODY_BOTTOM - caption, image_width, caption, [line], lang)
    share = number_text(100 * float(covered["influence_covered"]), lang, 1)
    left = MARGIN + image_width + Inches(0.3)
    box = (SLIDE_WIDTH - MARGIN - left, body_height())
    reasons = stakeholders.risk_reasons(covered, lang)
    lines = [
        Line(_map_summary(account, lang), HEADING_PT + 2, bold=True),
        Line(clip(reasons[:1].upper() + reasons[1:] + ".", 2 * MAX_CHARS), BODY_PT - 2, space=6),
        Line(WORDS["covered"][lang].format(share=share), BODY_PT - 2, space=6),
    ]
    flagged = people[people["needs_action"]]
    if len(flagged):
        flags = flagged[list(stakeholders.FLAGS)].sum(axis=1).to_numpy()
        order = np.lexsort((flagged["attitude"].to_numpy(), -flags, -flagged["influence"].to_numpy()))
        flagged = flagged.iloc[order]
        roles = [stakeholders.ROLE_LABELS[r][lang] for r in flagged["role"]]
        items = [
            f"{person} ({role}): {what}"
            for person, role, what in zip(flagged["person"], roles, stakeholders.flag_text(flagged, lang), strict=True)
        ]
        heading, more = WORDS["flagged"][lang], WORDS["more_notes"][lang]
        lines.append(Line(heading, BODY_PT, bold=True, space=14))
        lines += bullets(slide, items, lang, BODY_PT - 2, more, heading=heading, room=room(*box, lines))
    else:
        lines.append(Line(WORDS["nobody"][lang], BODY_PT - 2, space=14))
    text_box(slide, left, BODY_TOP, *box, lines, lang)


def _scorecard_slide(deck, account: _Account, lang: str) -> None:
    """The scorecard as a table (KPI, perspective, target, actual, status, trend), or the suggested KPIs."""
    slide = _slide(deck, WORDS["card_title"][lang].format(name=account.name), lang)
    rows, statuses, intro = _card_rows(account, lang)
    width = SLIDE_WIDTH - 2 * MARGIN
    text_box(slide, MARGIN, BODY_TOP, width, Inches(0.5), [Line(intro, BODY_PT, colour=MUTED)], lang)
    if not rows:
        return
    header = [_CARD_HEADERS[c][lang] for c in _CARD_HEADERS]
    shape, shown = _fitted_table(
        slide, [header, *rows], BODY_TOP + Inches(0.65), _CARD_COLUMNS, (2, 3), WORDS["scorecard"][lang], lang
    )
    status_column = list(_CARD_HEADERS).index("status")
    for r, status in enumerate(statuses[:shown], start=1):
        if status in KPI_STATUS_TEXT_COLOURS:
            for text_run in shape.table.cell(r, status_column).text_frame.paragraphs[0].runs:
                text_run.font.color.rgb = rgb(KPI_STATUS_TEXT_COLOURS[status])
                text_run.font.bold = True


def _fitted_table(
    slide, rows: list[list[str]], top: int, proportions: tuple[float, ...], numeric: tuple[int, ...], heading: str,
    lang: str,
):  # fmt: skip
    """A table across the slide from `top` (the first row the header): as many rows as fit above the body's
    bottom, at most `MAX_TABLE_ROWS`; the rest said below it and listed in full in the notes under `heading`.
    Returns the table shape and how many data rows it shows."""
    width, more_height, size = SLIDE_WIDTH - 2 * MARGIN, Inches(0.4), BODY_PT - 2
    widths = column_widths(width, proportions)
    heights = row_heights(rows, widths, size)
    data = rows[1:]
    shown = min(len(data), MAX_TABLE_ROWS)
    while shown > 1 and sum(heights[: shown + 1]) > BODY_BOTTOM - top - more_height:
        shown -= 1
    shape = table(slide, rows[: shown + 1], MARGIN, top, widths, lang, size=size, numeric=numeric)
    if len(data) > shown:
        line = Line(WORDS["more_notes"][lang].format(n=len(data) - shown), SMALL_PT, colour=MUTED)
        text_box(slide, MARGIN, BODY_BOTTOM - more_height, width, more_height, [line], lang)
        note(slide, heading, [" · ".join(r) for r in data])
    return shape, shown


def _customer_slide(deck, account: _Account, lang: str) -> None:
    """How the customer sees our position: both positions in a sentence, then the criteria it scores us lower on,
    the largest gap first (criterion, our score, its score, the gap, the scale)."""
    seen = account.customer
    slide = _slide(deck, WORDS["customer_title"][lang].format(name=account.name), lang)
    lines = [Line(text, BODY_PT, colour=MUTED if i else TEXT, space=4) for i, text in enumerate(
        seen.account_lines(account.plan.account_id, lang))]  # fmt: skip
    text_box(slide, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, Inches(1.0), lines, lang)
    lower = seen.account_table(account.plan.account_id, lang)
    if lower.empty:
        return
    rows = [[str(c) for c in lower.columns]] + [
        [
            clip(r[0], MAX_FACT),
            *("—" if pd.isna(v) else short_text(v, lang, 2) for v in r[1:3]),
            signed_text(r[3], lang),
            str(r[4]),
        ]
        for r in lower.itertuples(index=False)
    ]
    _fitted_table(slide, rows, BODY_TOP + Inches(1.1), _CUSTOMER_COLUMNS, (1, 2, 3), WORDS["customer"][lang], lang)


def _unplaced_slide(deck, account: _Account, lang: str) -> None:
    """Why the account has no place in the matrix, how to give it one, and its facts."""
    plan = account.plan
    slide = _slide(deck, WORDS["unplaced_title"][lang].format(name=account.name), lang)
    missing = plan.missing_axis or ", ".join(AXES)
    axes = " · ".join(AXIS_LABELS[a][lang] for a in AXES if a in missing)
    lines = [
        Line(WORDS["unplaced"][lang].format(axes=axes), 24, bold=True),
        Line(WORDS["unplaced_fix"][lang], BODY_PT, colour=MUTED, space=8),
    ]
    facts = [*_facts(plan, lang, account.currency), (WORDS["decision_map"][lang], _map_summary(account, lang))]
    lines += [Line(value, BODY_PT, label=label, space=8 if i else 24) for i, (label, value) in enumerate(facts)]
    text_box(slide, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, body_height(), lines, lang)


# --- what the decision map and the scorecard say -----------------------------------------------------------


def _map_summary(account: _Account, lang: str) -> str:
    """Sum up the decision map in a few words (5 personas · riesgo alto), or say that there is none yet."""
    if account.coverage is None:
        return WORDS["no_map"][lang]
    n = int(account.coverage["people"])
    count = WORDS["one_person"][lang] if n == 1 else WORDS["people"][lang].format(n=n)
    word = stakeholders.RISK_LABELS[account.coverage["risk"]][lang]
    return WORDS["map_summary"][lang].format(people=count, risk=word.lower() if lang == "es" else word)


def _card_summary(card: Scorecard, lang: str) -> str:
    """Sum up the card in a few words (5 indicadores · 3 de 4 cumplidos), or say that it has none yet."""
    words = {k: v[lang] for k, v in WORDS.items()}
    n = len(card.latest)
    if not n:
        return words["no_kpis"]
    count = words["one_kpi"] if n == 1 else words["kpis"].format(n=n)
    assessed = int(card.latest["status"].isin(ASSESSED).sum())
    if not assessed:
        return f"{count} · {words['none_measured']}"
    met = int((card.latest["status"] == "met").sum())
    return f"{count} · {words['met'].format(met=met, n=assessed)}"


def _card_rows(account: _Account, lang: str) -> tuple[list[list[str]], list[str | None], str]:
    """The scorecard table's rows (tracked KPIs first, then those to define), their statuses, and the line
    above the table."""
    card = account.card
    kpis = scorecard_table(card, lang).reset_index()
    kpis.columns = list(TABLE_COLUMNS)
    status_of = {v[lang]: k for k, v in STATUS_LABELS.items()}
    statuses = [status_of.get(s) for s in kpis["status"]]
    order = sorted(range(len(kpis)), key=lambda i: statuses[i] == "to_define")

    def cell(i: int, column: str) -> str:
        """A value keeps the non-breaking space of its unit (`6,0 %`, `2.314.536 €`), which `clip` collapses."""
        text = kpis.at[i, column]
        return clean(text) if column in _CARD_VALUES else clip(text, 56 if column == "kpi" else 30)

    rows = [[cell(i, c) for c in _CARD_HEADERS] for i in order]
    statuses = [statuses[i] for i in order]
    strategy = STRATEGY_NAMES[account.plan.quadrant][lang]
    if card.latest.empty:
        intro = WORDS["suggested"][lang].format(strategy=strategy) if rows else WORDS["no_kpis"][lang].capitalize()
    else:
        last = max(card.latest["period"].astype(str), key=period_key)
        intro = f"{WORDS['card_period'][lang].format(period=last)} · {_card_summary(card, lang)}"
    return rows, statuses, clip(intro, 2 * MAX_CHARS)


# --- text helpers ------------------------------------------------------------------------------------------


def _scenario_name(scored: pd.DataFrame, lang: str) -> str:
    named = scored.attrs.get("scenario")
    return clip(named) if named and named != "workbook" else WORDS["workbook_weights"][lang]


__all__ = ["build_deck", "deck_accounts", "write_deck"]
