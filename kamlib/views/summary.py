"""What opens the stakeholders' dashboard: a summary band (accounts and revenue per strategy; accounts on the
fence, high-risk decision maps, KAMs over capacity, accounts that missed a KPI, plans due for review, accounts that
cost more to serve than they earn — each a link to its section), a
contents bar, and the headings of the sections it links to. Inline styles, nothing to load; every number through
`kamlib.i18n`."""

from __future__ import annotations

import html

from kamlib.colours import QUADRANT_COLOURS, QUADRANT_TEXT_COLOURS
from kamlib.i18n import check_lang, count_text, money_text, percent_text
from kamlib.method import STRATEGY_NAMES
from kamlib.plan.attention import PortfolioFigures
from kamlib.views.style import ALERT, FONT, GREY, MUTED, TEXT

SECTIONS = {
    "pick": {"es": "Cuentas y KAM", "en": "Accounts and KAMs"},
    "matrix": {"es": "Matriz de cuentas", "en": "Account matrix"},
    "robustness": {"es": "Robustez", "en": "Robustness"},
    "agreement": {"es": "Acuerdo del equipo", "en": "The team's agreement"},
    "customer": {"es": "Cómo nos ve el cliente", "en": "How the customer sees us"},
    "assignment": {"es": "KAM de cada cuenta", "en": "Who manages each account"},
    "time": {"es": "Tiempo de los KAM", "en": "The KAMs' time"},
    "movement": {"es": "Movimiento", "en": "Movement"},
    "groups": {"es": "Grupos de cuentas", "en": "Account groups"},
    "forecast": {"es": "Previsión", "en": "Forecast"},
    "selection": {"es": "Selección de cuentas clave", "en": "Key-account selection"},
    "maps": {"es": "Mapas de decisión", "en": "Decision maps"},
    "scorecards": {"es": "Cuadros de mando", "en": "Scorecards"},
    "plans": {"es": "Revisión de los planes", "en": "Plan reviews"},
    "cost": {"es": "Coste de servir", "en": "Cost to serve"},
    "ledger": {"es": "Libro de ventas", "en": "Sales ledger"},
}
"""The dashboard's sections, in order: their anchors (`#sec-<id>`) and titles."""

_WORDS = {
    "contents": {"es": "Contenido", "en": "Contents"},
    "unplaced": {"es": "Sin situar", "en": "Not placed"},
    "accounts": {"es": ("{n} cuenta", "{n} cuentas"), "en": ("{n} account", "{n} accounts")},
    "fence": {"es": ("en la frontera", "en la frontera"), "en": ("on the fence", "on the fence")},
    "high_risk": {
        "es": ("mapa de decisión de riesgo alto", "mapas de decisión de riesgo alto"),
        "en": ("high-risk decision map", "high-risk decision maps"),
    },
    "over_capacity": {"es": ("KAM por encima de su capacidad", "KAM por encima de su capacidad"),
                      "en": ("KAM over capacity", "KAMs over capacity")},
    "missed": {"es": ("cuenta con indicadores no cumplidos", "cuentas con indicadores no cumplidos"),
               "en": ("account with missed KPIs", "accounts with missed KPIs")},
    "stale": {"es": ("plan por revisar", "planes por revisar"), "en": ("plan due for review", "plans due for review")},
    "loss": {"es": ("cuenta que cuesta más de servir de lo que deja",
                    "cuentas que cuestan más de servir de lo que dejan"),
             "en": ("account costing more to serve than it earns", "accounts costing more to serve than they earn")},
}  # fmt: skip
_TILE = "flex:1 1 150px;min-width:150px;padding:10px 12px;border-radius:6px;text-decoration:none;color:" + TEXT


def section_html(section: str, lang: str) -> str:
    """A section's heading, the anchor the contents bar and the summary band link to."""
    title = html.escape(SECTIONS[section][check_lang(lang)])
    return (
        f'<h2 id="sec-{section}" style="font-family:{FONT};color:{TEXT};font-size:24px;margin:32px 0 8px;'
        f'padding-top:8px;border-top:1px solid #E4E7EB">{title}</h2>'
    )


def contents_html(lang: str) -> str:
    """The contents bar: a link to every section, wrapping on a narrow screen."""
    links = "".join(
        f'<a href="#sec-{section}" style="padding:4px 10px;border:1px solid #CBD2D9;border-radius:14px;'
        f'text-decoration:none;color:{TEXT};white-space:nowrap">{html.escape(titles[check_lang(lang)])}</a>'
        for section, titles in SECTIONS.items()
    )
    label = html.escape(_WORDS["contents"][lang])
    return (
        f'<nav aria-label="{label}" style="font-family:{FONT};font-size:14px;display:flex;flex-wrap:wrap;gap:6px;'
        f'margin:8px 0 16px">{links}</nav>'
    )


def summary_html(figures: PortfolioFigures, lang: str, currency: str = "EUR") -> str:
    """The summary band: a tile per strategy (accounts, revenue, share of revenue) and a tile per thing that needs
    attention (on the fence, high-risk maps, KAMs over capacity, missed KPIs, plans due for review when the
    workbook dates them, accounts that cost more to serve than they earn when that is known), each linking to its
    section."""
    check_lang(lang)
    tiles = []
    for row in figures.strategies.itertuples(index=False):
        placed = row.quadrant in STRATEGY_NAMES
        name = STRATEGY_NAMES[row.quadrant][lang] if placed else _WORDS["unplaced"][lang]
        colour = QUADRANT_TEXT_COLOURS[row.quadrant] if placed else GREY
        background = QUADRANT_COLOURS[row.quadrant] if placed else "#F5F7FA"
        accounts = count_text(_WORDS["accounts"][lang], int(row.accounts), lang)
        revenue = f"{money_text(row.revenue, lang, currency)} · {percent_text(row.share, lang)}"
        lines = [
            f'<div style="font-weight:700;color:{colour}">{html.escape(name)}</div>',
            f'<div style="font-size:22px;font-weight:600">{html.escape(accounts)}</div>',
            f"<div>{html.escape(revenue)}</div>",
        ]
        tiles.append(
            f'<a href="#sec-matrix" style="{_TILE};background:{background}1F;border-left:6px solid {background}">'
            f"{''.join(lines)}</a>"
        )
    counts = [("fence", figures.fence, "robustness"), ("high_risk", figures.high_risk, "maps")]
    if figures.over_capacity is not None:
        counts.append(("over_capacity", figures.over_capacity, "time"))
    counts.append(("missed", figures.missed, "scorecards"))
    if figures.stale is not None:
        counts.append(("stale", figures.stale, "plans"))
    if figures.loss is not None:
        counts.append(("loss", figures.loss, "cost"))
    for key, n, section in counts:
        alert = n > 0
        words = _WORDS[key][lang]
        tiles.append(
            f'<a href="#sec-{section}" style="{_TILE};background:{"#FDECEA" if alert else "#F5F7FA"};'
            f'border-left:6px solid {ALERT if alert else "#CBD2D9"}">'
            f'<div style="font-size:22px;font-weight:600">{n}</div>'
            f'<div style="color:{MUTED}">{html.escape(words[n != 1])}</div></a>'
        )
    return (
        f'<section style="font-family:{FONT};font-size:15px;display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 12px">'
        f"{''.join(tiles)}</section>"
    )
