"""The report site: `DIR/<engagement>/index.html`, the page a client opens first. It links the portfolio report
and every account's report, in a table that sorts by any column and filters by strategy, KAM, sector and
decision-map risk, with a search box on names.

One file, nothing to load: its style and script are inline, its links relative, so it works opened from the
folder or from an unzipped archive, with no server and no network (its Content-Security-Policy forbids any
load). Without JavaScript the table is still there, whole and linked. Every text from the workbook is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, money_text
from kamlib.method import QUADRANTS, STRATEGY_NAMES
from kamlib.plan.stakeholders import RISK_LABELS, RISKS, coverage
from kamlib.views.page import heading_html
from kamlib.views.style import FONT, MUTED, TEXT

if TYPE_CHECKING:
    from kamlib.publish.reports import ReportJob

SITE_PAGE = "index.html"
"""The site's page, in the report folder `DIR/<engagement>/` beside the portfolio report."""

COLUMNS = ("name", "strategy", "kam", "sector", "revenue", "risk")
"""The table's columns, in order; every one sorts, the four of `FILTERS` also filter."""
FILTERS = ("strategy", "kam", "sector", "risk")

_WORDS = {
    "name": {"es": "Cuenta", "en": "Account"},
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "kam": {"es": "KAM", "en": "KAM"},
    "sector": {"es": "Sector", "en": "Sector"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "risk": {"es": "Riesgo del mapa de decisión", "en": "Decision-map risk"},
    "portfolio": {"es": "Informe de cartera", "en": "Portfolio report"},
    "search": {"es": "Buscar una cuenta", "en": "Search an account"},
    "all": {"es": "Todas", "en": "All"},
    "shown": {"es": "{n} de {total} cuentas", "en": "{n} of {total} accounts"},
    "unplaced": {"es": "Sin situar", "en": "Not placed"},
    "no_kam": {"es": "Sin KAM", "en": "No KAM"},
    "no_map": {"es": "Sin mapa", "en": "No map"},
    "no_report": {"es": "sin informe", "en": "no report"},
    "sort": {"es": "Ordenar por {column}", "en": "Sort by {column}"},
}
"""Every word of the page, in both languages."""


def site_rows(engagement: Engagement, scored: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per account for the site's table, in the workbook's order: the words shown (`COLUMNS`) and, for
    sorting, `revenue_value`, `strategy_rank` and `risk_rank` (unplaced, no map and no revenue sort last)."""
    check_lang(lang)
    kam_names = dict(zip(engagement.kams["kam_id"], engagement.kams["name"], strict=True))
    quadrant = scored.set_index("account_id")["quadrant"].reindex(engagement.accounts["account_id"]).to_numpy()
    risks = coverage(engagement).set_index("account_id")["risk"]
    risk = risks.reindex(engagement.accounts["account_id"]).to_numpy(dtype=object)
    revenue = pd.to_numeric(engagement.accounts["revenue"], errors="coerce").to_numpy(dtype=np.float64)
    accounts = engagement.accounts
    return pd.DataFrame(
        {
            "account_id": accounts["account_id"].astype(str).to_numpy(),
            "name": accounts["name"].astype(str).to_numpy(),
            "strategy": [STRATEGY_NAMES[q][lang] if isinstance(q, str) else _WORDS["unplaced"][lang] for q in quadrant],
            "strategy_rank": [QUADRANTS.index(q) if isinstance(q, str) else len(QUADRANTS) for q in quadrant],
            "kam": [
                kam_names.get(k, k) if isinstance(k, str) and k else _WORDS["no_kam"][lang] for k in accounts["kam_id"]
            ],
            "sector": accounts["sector"].fillna("—").astype(str).to_numpy(),
            "revenue": [money_text(v, lang, engagement.identity.currency) for v in revenue],
            "revenue_value": revenue,
            "risk": [RISK_LABELS[r][lang] if isinstance(r, str) else _WORDS["no_map"][lang] for r in risk],
            "risk_rank": [RISKS.index(r) if isinstance(r, str) else len(RISKS) for r in risk],
        }
    )


def site_html(engagement: Engagement, rows: pd.DataFrame, links: Mapping[str, str], portfolio: str, lang: str) -> str:
    """The site's page: heading, link to the portfolio report, filters, search box and the accounts' table.

    `links` maps an account id to its report's address relative to the page (an account without one is listed,
    not linked); `portfolio` is the portfolio report's."""
    words = {key: text[check_lang(lang)] for key, text in _WORDS.items()}
    esc = html.escape
    title = engagement.identity.title("site", lang)
    order = {"strategy": "strategy_rank", "risk": "risk_rank", "revenue": "revenue_value"}
    body = []
    for row in rows.itertuples(index=False):
        link = links.get(row.account_id)
        name = esc(row.name)
        cell = f'<a href="{esc(link)}">{name}</a>' if link else f"{name} <small>({esc(words['no_report'])})</small>"
        keys = {c: getattr(row, order.get(c, c)) for c in COLUMNS}
        data = " ".join(f'data-{c}="{esc(_sort_key(keys[c]))}"' for c in COLUMNS)
        filters = " ".join(f'data-f-{c}="{esc(getattr(row, c))}"' for c in FILTERS)
        cells = [cell, *(esc(str(getattr(row, c))) for c in COLUMNS[1:])]
        tds = "".join(
            f'<td class="{"num" if c == "revenue" else ""}">{v}</td>' for c, v in zip(COLUMNS, cells, strict=True)
        )
        body.append(f'<tr {data} {filters} data-search="{esc(f"{row.name} {row.account_id}".casefold())}">{tds}</tr>')
    heads = "".join(
        f'<th class="{"num" if c == "revenue" else ""}" scope="col"><button type="button" data-sort="{c}" '
        f'data-kind="{"number" if c in order else "text"}" title="{esc(words["sort"].format(column=words[c]))}">'
        f"{esc(words[c])}</button></th>"
        for c in COLUMNS
    )
    ranked = {c: rows.sort_values([order.get(c, c), c], kind="stable")[c] for c in FILTERS}
    selects = "".join(_select(c, ranked[c], words) for c in FILTERS)
    texts = {"shown": words["shown"], "total": len(rows)}
    return _PAGE.format(
        lang=lang,
        title=esc(title),
        font=FONT,
        text=TEXT,
        muted=MUTED,
        heading=heading_html(engagement.identity, "site", lang, today=dt.date.today()),
        portfolio=esc(portfolio),
        portfolio_label=esc(words["portfolio"]),
        search=esc(words["search"]),
        selects=selects,
        heads=heads,
        rows="".join(body),
        shown=esc(words["shown"].format(n=len(rows), total=len(rows))),
        texts=json.dumps(texts, ensure_ascii=False).replace("</", "<\\/"),
    )


def _sort_key(value: object) -> str:
    """A cell's sort key as text: numbers as numbers (NaN last), words folded."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "" if pd.isna(value) else repr(float(value))
    return str(value).casefold()


def _select(column: str, values: pd.Series, words: Mapping[str, str]) -> str:
    """A filter: every value the column holds, in the order given (the order the column sorts in)."""
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in dict.fromkeys(values))
    return (
        f'<label>{html.escape(words[column])} <select data-filter="{column}"><option value="">'
        f"{html.escape(words['all'])}</option>{options}</select></label>"
    )


def write_report_site(jobs: Sequence[ReportJob]) -> Path | None:
    """Write the site of a run of `kam report` beside its portfolio report, from the same workbook, scenario and
    language (None: no portfolio report among `jobs`)."""
    from kamlib.engagement import SAMPLE_PATH, load
    from kamlib.scenarios.scenario import score_scenario

    portfolio = next((job for job in jobs if not job.key), None)
    if portfolio is None:
        return None
    given = portfolio.parameters
    engagement = load(given["workbook"] or SAMPLE_PATH)
    scored = score_scenario(engagement, given["scenario"])
    return write_site(portfolio.html.parent, engagement, scored, str(given["lang"]))


def write_site(folder: Path, engagement: Engagement, scored: pd.DataFrame, lang: str) -> Path:
    """Write `folder/index.html` (atomically) for the reports `folder` holds: `portfolio.html` and each account's
    `<name>/report.html` (`kamlib.publish.reports.unique_names` names the folders)."""
    from kamlib.fileio import write_text
    from kamlib.publish.reports import unique_names

    rows = site_rows(engagement, scored, lang)
    names = unique_names(engagement.accounts["account_id"].astype(str).tolist())
    links = {a: f"{names[a]}/report.html" for a in rows["account_id"] if (folder / names[a] / "report.html").is_file()}
    return write_text(folder / SITE_PAGE, site_html(engagement, rows, links, "portfolio.html", lang))


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; \
style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>{title}</title>
<style>
body {{ font-family: {font}; color: {text}; margin: 24px; max-width: 1200px; }}
a {{ color: #1F4E79; }}
.tools {{ display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: end; margin: 12px 0; }}
.tools label {{ display: flex; flex-direction: column; font-size: 13px; color: {muted}; gap: 2px; }}
.tools input, .tools select {{ font: inherit; font-size: 15px; padding: 4px 6px; color: {text}; }}
.wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 15px; }}
th, td {{ padding: 6px 10px; border-bottom: 1px solid #E4E7EB; text-align: left; vertical-align: top; }}
th button {{ font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer;
  color: {text}; }}
th[aria-sort="ascending"] button::after {{ content: " \\25B2"; }}
th[aria-sort="descending"] button::after {{ content: " \\25BC"; }}
th {{ white-space: nowrap; }}
.num {{ text-align: right; white-space: nowrap; }}
@media (max-width: 600px) {{ body {{ margin: 12px; }} .tools label {{ flex: 1 1 100%; }} }}
#shown {{ color: {muted}; font-size: 14px; }}
</style>
</head>
<body>
{heading}
<p><a href="{portfolio}"><strong>{portfolio_label}</strong></a></p>
<div class="tools">
<label>{search} <input type="search" id="search" autocomplete="off"></label>
{selects}
</div>
<p id="shown" aria-live="polite">{shown}</p>
<div class="wrap"><table id="accounts"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>
<script>
(function () {{
  var words = {texts};
  var body = document.querySelector("#accounts tbody");
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search");
  var filters = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  function show() {{
    var text = search.value.trim().toLocaleLowerCase();
    var n = 0;
    rows.forEach(function (row) {{
      var keep = (!text || row.dataset.search.indexOf(text) >= 0) && filters.every(function (f) {{
        return !f.value || row.getAttribute("data-f-" + f.dataset.filter) === f.value;
      }});
      row.hidden = !keep;
      if (keep) n += 1;
    }});
    var total = words.total.toLocaleString("{lang}");
    document.getElementById("shown").textContent =
      words.shown.replace("{{n}}", n.toLocaleString("{lang}")).replace("{{total}}", total);
  }}
  function sort(column, button) {{
    var th = button.parentNode;
    var up = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(document.querySelectorAll("th[aria-sort]"), function (h) {{
      h.removeAttribute("aria-sort");
    }});
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    rows.sort(function (a, b) {{
      var x = a.getAttribute("data-" + column), y = b.getAttribute("data-" + column);
      if (x === "" || y === "") return (x === "") - (y === "");
      var c = button.dataset.kind === "number" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "{lang}");
      return up ? c : -c;
    }});
    rows.forEach(function (row) {{ body.appendChild(row); }});
  }}
  search.addEventListener("input", show);
  filters.forEach(function (f) {{ f.addEventListener("change", show); }});
  Array.prototype.forEach.call(document.querySelectorAll("th button[data-sort]"), function (b) {{
    b.addEventListener("click", function () {{ sort(b.dataset.sort, b); }});
  }});
}})();
</script>
</body>
</html>
"""
