"""The stakeholders' dashboard's views: drawn once by `kam serve`, read back only while their inputs are unchanged."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kamlib.errors import KamError
from kamlib.plan.selection import NO_SELECTION
from kamlib.publish.dashboard import VIEWS, dashboard, draw_views, fingerprint, keep_views
from tests.client_grade import problems
from tests.conftest import ROOT, copy_tiny

XSS = "<script>window.__kam_xss=1</script>"


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> tuple[Path, Path]:
    """A hostile copy of the tiny engagement and its views kept in Spanish."""
    folder = tmp_path_factory.mktemp("dashboard")
    workbook = copy_tiny(folder / "tiny", XSS)
    return workbook, keep_views(folder / "views.json", workbook, None, "es")


def said(view: dict[str, str]) -> str:
    """What a text view says: its paragraphs' text (an empty view says nothing)."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", view.get("text/html", view.get("text/plain", "")))).strip()


def view_text(view: dict[str, str]) -> str:
    """The words a reader sees in a view: an SVG chart's <text> elements, or the HTML's text (styles left out)."""
    if "image/svg+xml" in view:
        texts = re.findall(r"<text[^>]*>(.*?)</text>", view["image/svg+xml"], re.DOTALL)
        return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", t)) for t in texts)
    source = view.get("text/html", view.get("text/plain", ""))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", source, flags=re.DOTALL)))


def test_every_view_is_drawn_and_workbook_text_stays_text(kept):
    path = kept[1]
    views = json.loads(path.read_text(encoding="utf-8"))["views"]
    assert list(views) == list(VIEWS)
    for name in ("matrix", "robustness", "time_profile", "time_gap", "strategy_time"):
        assert views[name]["image/svg+xml"].startswith("<svg")
    assert "&lt;script&gt;window.__kam_xss" in views["matrix"]["image/svg+xml"]  # an SVG text, escaped
    for name in ("portfolio", "quadrants", "accounts", "fence", "time_summary"):
        assert "<script" not in views[name]["text/html"].lower()
    assert "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in views["accounts"]["text/html"]
    assert "Invertir" in views["quadrants"]["text/html"] and "Hoteles" not in views["accounts"]["text/html"]
    assert said(views["findings"])  # the tiny engagement has findings on its KAMs' time
    assert (
        views["selection"]["image/svg+xml"].startswith("<svg")
        and "Catering Ebro" in views["selection"]["image/svg+xml"]
    )
    assert "Catering Ebro" in views["selection_changes"]["text/html"]  # enters the key-account list
    assert said(views["coverage"]).startswith("2 de 4 cuentas tienen mapa de decisión")
    assert (
        "Cumplidos (%)" in views["scorecards"]["text/html"]
        and "Supermercados Peñíscola" in views["scorecards"]["text/html"]
    )
    assert "Influencia con contacto (%)" in views["coverage_table"]["text/html"]
    for name in ("movement", "selection_changes", "coverage_table", "scorecards"):
        assert "<script" not in views[name].get("text/html", "").lower()  # an empty table: nothing shown


def test_kept_views_are_the_drawn_ones_and_are_read_without_pandas_or_altair(kept):
    workbook, path = kept
    shown = dashboard(workbook, None, "es", path)
    assert shown.kept
    drawn = draw_views(workbook, None, "es")
    assert {name: dict(shown[name].data) for name in VIEWS} == drawn
    assert shown["matrix"]._repr_mimebundle_() == drawn["matrix"]
    probe = (
        "import sys; from kamlib.publish.dashboard import dashboard; "
        f"d = dashboard({str(workbook)!r}, None, 'es', {str(path)!r}); "
        "print(d.kept, sorted(m for m in ('pandas', 'altair', 'vl_convert', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "[]"]


def test_a_changed_workbook_another_language_or_scenario_draws_the_views_again(kept, tmp_path):
    workbook, path = kept
    english = dashboard(workbook, None, "en", path)
    assert not english.kept and "Invest" in english["quadrants"].data["text/html"]
    scenario = tmp_path / "cut3.yaml"
    scenario.write_text("name: cut3\ncuts: {position: 3}\n", encoding="utf-8")
    assert fingerprint(workbook, scenario, "es") != fingerprint(workbook, None, "es")
    settings = tmp_path / "assignment.yaml"
    settings.write_text("continuity_bonus: 5\n", encoding="utf-8")
    assert fingerprint(workbook, None, "es", settings) != fingerprint(workbook, None, "es")
    assert not dashboard(workbook, None, "es", path, settings).kept  # other settings: drawn again
    changed = copy_tiny(tmp_path / "tiny", "Hoteles Bellavista")
    assert fingerprint(changed, None, "es") != fingerprint(workbook, None, "es")
    redrawn = dashboard(changed, None, "es", path)  # the same kept file, another workbook's contents
    assert not redrawn.kept and "Hoteles Bellavista" in redrawn["accounts"].data["text/html"]
    assert not dashboard(workbook, None, "es", tmp_path / "missing.json").kept


def test_a_wrong_language_is_refused(kept):
    workbook, path = kept
    with pytest.raises(KamError, match="fr"):
        dashboard(workbook, None, "fr", path)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_half_filled_workbook_gives_a_client_grade_dashboard(tmp_path, lang):
    """What is missing is said in the client's words (no sheet to add, no command to run), and every view of the
    dashboard passes the client-grade checks: the advice to the consultant belongs to the CLI and the notebooks."""
    workbook = copy_tiny(tmp_path / "tiny")
    for sheet in ("selection_scores", "kpis", "stakeholders"):
        (workbook / f"{sheet}.csv").unlink()  # customers listed, nothing scored or tracked yet
    views = draw_views(workbook, None, lang)
    expected = {
        "en": ("No key-account selection: the candidate customers have no selection scores yet.",
               "No key account has KPIs yet; each account suggests those of its strategy.",
               "0 of 4 accounts have a decision map", "No sales-ledger metrics in this engagement."),
        "es": ("Sin selección de cuentas clave: los clientes candidatos aún no tienen puntuación de selección.",
               "Ninguna cuenta clave tiene indicadores aún; cada cuenta propone los de su estrategia.",
               "0 de 4 cuentas tienen mapa de decisión", "Sin métricas del libro de ventas en este encargo."),
    }[lang]  # fmt: skip
    for view, words in zip(
        ("selection_summary", "scorecard_summary", "coverage", "ledger_summary"), expected, strict=True
    ):
        assert said(views[view]).startswith(words), said(views[view])
    assert said(views["selection"]) == ""
    assert said(views["ledger_distribution"]) == "" and said(views["whitespace"]) == ""
    (workbook / "customers.csv").unlink()
    (workbook / "competences.csv").unlink(missing_ok=True)
    views = draw_views(workbook, None, lang)
    assert said(views["selection_summary"]) == NO_SELECTION["customers"][lang]
    for name, view in views.items():
        assert problems(view_text(view), lang) == [], name


def test_the_sales_ledgers_views_with_a_ledger(tmp_path):
    from tests.ledger.test_tables import METRICS, WHITESPACE

    workbook = copy_tiny(tmp_path / "tiny", XSS)
    (workbook / "ledger_metrics.csv").write_text(METRICS, encoding="utf-8")
    (workbook / "whitespace.csv").write_text(WHITESPACE, encoding="utf-8")
    views = draw_views(workbook, None, "en")
    assert said(views["ledger_summary"]).startswith("Sales ledger, period 2026-06 (12 months to 2026-06-30)")
    assert "Quartile 1" in views["ledger_table"]["text/html"]
    for name, title in (("ledger_distribution", "Sales ledger: the accounts"), ("whitespace", "Whitespace: families")):
        svg = views[name]["image/svg+xml"] if "image/svg+xml" in views[name] else views[name]["text/html"]
        assert title in svg
    table = views["whitespace_table"]["text/html"]
    assert "&lt;b&gt;F3&lt;/b&gt;" in table and "<b>F3</b>" not in table
    assert "&lt;script&gt;window.__kam_xss" in table and XSS not in table  # A2's hostile name, escaped


def test_the_teams_agreement_is_shown_where_a_cell_has_several_assessors(tmp_path):
    workbook = copy_tiny(tmp_path / "tiny")
    views = draw_views(workbook, None, "en")
    assert said(views["agreement_summary"]).startswith("1 cell with several assessors, no cell contested.")
    assert "Distribuciones Cantábrico" in said(views["agreement_table"])  # A3's volume: MT 3, DG 5
    scores = workbook / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    a1 = [line for line in lines if line.startswith("A1,volume,") or line.startswith("A1,growth,")]
    assert len(a1) == 2  # volume 9 and growth 7, by JR: a second assessor 1 and 2 points apart on 1–10 scales
    extra = ["A1,volume,2,<b>XSS</b>,2026-H1", "A1,growth,6,<b>XSS</b>,2026-H1"]
    scores.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    views = draw_views(workbook, None, "en")
    summary = said(views["agreement_summary"])
    assert summary.startswith("3 cells with several assessors, 1 contested, in 1 account.")  # A1's volume: 7 apart
    assert "more than 25% of its scale apart" in summary
    table = said(views["agreement_table"])
    assert "Supermercados Peñíscola" in table and "1 criterion contested" in table
    assert "1 criterion contested" in said(views["picker"])  # A1's card says it too
    for name in ("agreement_summary", "agreement_table", "picker"):
        assert problems(view_text(views[name]), "en") == [], name


def test_the_dashboard_notebook_shows_every_view_in_order():
    """Each view has its cell, in `VIEWS` order (a section the contents bar links to is in the page)."""
    notebook = json.loads((ROOT / "kamlib" / "publish" / "notebooks" / "dashboard.ipynb").read_text(encoding="utf-8"))
    shown = [
        match.group(1)
        for cell in notebook["cells"]
        if (match := re.fullmatch(r'views\["(\w+)"\]', "".join(cell["source"]).strip().splitlines()[-1]))
    ]
    assert shown == list(VIEWS)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_customers_view_and_the_plans_due_show_in_the_dashboard(tmp_path, lang):
    """With the customer's scores and review dates: the matrix's lines to the customer's view, the gap table,
    the summary band's tile, the plans due and each card's review, in client-grade words; without: sentences
    that say there is nothing yet."""
    workbook = copy_tiny(tmp_path / "tiny", XSS)
    views = draw_views(workbook, None, lang)
    nothing = {"es": ("El cliente aún no ha puntuado", "Sin revisión de planes"),
               "en": ("The customer has not yet scored", "No plan reviews")}[lang]  # fmt: skip
    assert said(views["customer_summary"]).startswith(nothing[0]) and said(views["customer_table"]) == ""
    assert said(views["plans_summary"]).startswith(nothing[1]) and said(views["plans_table"]) == ""
    assert {"es": "planes por revisar", "en": "plans due for review"}[lang] not in said(views["summary"])
    scores = workbook / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    lines = [
        lines[0] + ",side",
        *lines[1:],
        "A2,service,4,Compras,2026-H1,cliente",
        "A2,incidents,2,Compras,2026-H1,cliente",
    ]
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts = workbook / "accounts.csv"
    rows = accounts.read_text(encoding="utf-8").splitlines()
    dates = ["last_reviewed", "2026-01-10", "2024-05-02", "", "2026-02-01"]
    accounts.write_text("\n".join(f"{r},{d}" for r, d in zip(rows, dates, strict=True)) + "\n", encoding="utf-8")
    (workbook / "engagement.csv").write_text("key,value\ndate,2026-07-15\n", encoding="utf-8")
    views = draw_views(workbook, None, lang)
    assert said(views["customer_summary"]).startswith(
        {"es": "El cliente ha puntuado nuestra posición en 1 cuenta; en 1 nos ve mejor",
         "en": "The customer has scored our position on 1 account; on 1 it rates us higher"}[lang])  # fmt: skip
    table = views["customer_table"]["text/html"]
    assert "&lt;script&gt;window.__kam_xss" in table and XSS not in table  # A2's hostile name, escaped
    assert (
        "customer_view_marks" in views["matrix"]["image/svg+xml"]
        and 'stroke="#6B3FA0"' in views["matrix"]["image/svg+xml"]
    )
    assert {"es": "a la que ve el cliente", "en": "the one the customer sees"}[lang] in view_text(views["matrix"])
    assert said(views["plans_summary"]).startswith({"es": "2 planes de cuenta por revisar",
                                                    "en": "2 account plans due for review"}[lang])  # fmt: skip
    plans = said(views["plans_table"])
    assert plans.index("Distribuciones Cantábrico") < plans.index("2024")  # never reviewed first, then the oldest
    band = said(views["summary"])
    assert "2\n" in band and {"es": "planes por revisar", "en": "plans due for review"}[lang] in band
    picker = said(views["picker"])
    assert {"es": "Plan por revisar", "en": "Plan due for review"}[lang] in picker  # the attention reason
    assert {"es": "Revisión del plan", "en": "Plan review"}[lang] in picker
    for name in ("customer_summary", "customer_table", "plans_summary", "plans_table", "summary", "picker", "matrix"):
        assert problems(view_text(views[name]), lang) == [], name


def test_the_cost_to_serve_and_the_forecast_show_in_the_dashboard(tmp_path):
    """With hourly costs, margins and cost rows: the whale curve, the tables, the tile of the accounts that cost
    more than they earn and that reason on their cards; with forecasts, the forecast matrix and its table; without
    either, nothing but a sentence."""
    workbook = copy_tiny(tmp_path / "tiny", XSS)
    views = draw_views(workbook, None, "en")
    assert said(views["cost_summary"]) and said(views["whale"]) == "" and said(views["cost_tables"]) == ""
    assert said(views["forecast_summary"]) == "No account has a forecast of where it will be."
    assert said(views["forecast_chart"]) == ""
    (workbook / "engagement.csv").write_text("key,value\ncost_per_hour,50\n", encoding="utf-8")
    accounts = workbook / "accounts.csv"
    rows = accounts.read_text(encoding="utf-8").splitlines()
    margins = ["gross_margin", "900000", "20000", "300000", "40000"]
    accounts.write_text("\n".join(f"{r},{m}" for r, m in zip(rows, margins, strict=True)) + "\n", encoding="utf-8")
    (workbook / "cost_to_serve.csv").write_text(
        "account_id,item,amount\nA1,logistics,100000\nA2,special service,60000\nA4,samples,1000\n", encoding="utf-8"
    )
    (workbook / "forecasts.csv").write_text(
        "account_id,horizon,case,potential,position\nA2,2029,with_plan,8,7\nA2,2029,without_plan,4,2\n",
        encoding="utf-8",
    )
    views = draw_views(workbook, None, "en")
    assert said(views["cost_summary"]) == ""
    assert "Whale curve" in view_text(views["whale"])
    tables = said(views["cost_tables"])
    assert "cost more to serve than" in tables and "&lt;script&gt;" not in tables  # A2, hostile, unprofitable
    assert XSS not in views["cost_tables"]["text/html"] and "&lt;script&gt;window.__kam_xss" in views["cost_tables"][
        "text/html"]  # fmt: skip
    band = said(views["summary"])
    assert "account costing more to serve than it earns" in band
    assert "Costs more to serve than it earns" in said(views["picker"])
    assert "Forecast matrix for 2029" in view_text(views["forecast_chart"])
    assert "By 2029, 1 account with a forecast; changes of strategy with our plan: 1" in said(views["forecast_summary"])
    for name in ("whale", "cost_tables", "summary", "forecast_summary", "forecast_chart", "forecast_table"):
        assert problems(view_text(views[name]), "en") == [], name


@pytest.mark.slow  # draws the sample's dashboard
def test_the_dashboard_draws_the_hierarchy_at_the_level_asked_for(tmp_path):
    from kamlib.engagement import SAMPLE_PATH

    assert fingerprint(SAMPLE_PATH, None, "en", None, 1) != fingerprint(SAMPLE_PATH, None, "en")  # level 0: drawn
    assert fingerprint(SAMPLE_PATH, None, "en", None, 0) == fingerprint(SAMPLE_PATH, None, "en")  # again, unsaid
    path = keep_views(tmp_path / "views.json", SAMPLE_PATH, None, "en", level=1)
    deeper = dashboard(SAMPLE_PATH, None, "en", path, level=1)
    assert deeper.kept  # kept for level 1, read back for level 1
    assert "at level 1, the portfolio has 47 units" in said(deeper["groups_summary"].data)  # at level 0: 40
