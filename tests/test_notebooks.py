"""Every notebook runs end to end with papermill, and is stored without outputs."""

import html
import json
import re
import shutil

import pytest

from tests.client_grade import problems
from tests.conftest import HOSTILE, ROOT, execute_notebook

PUBLISHED = ROOT / "kamlib" / "publish" / "notebooks"
NOTEBOOKS = (
    sorted((ROOT / "notebooks").glob("*.ipynb"))
    + sorted(PUBLISHED.glob("*.ipynb"))
    + sorted((ROOT / "benchmarks").glob("*.ipynb"))
)


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs_and_with_a_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0].get("metadata", {}).get("tags", [])


# What each notebook's output must show, per language.
SHOWS = {
    "00_engagement_overview.ipynb": {"es": "Inversión selectiva", "en": "Selective investment"},
    "01_account_matrix.ipynb": {"es": "application/vnd.jupyter.widget-view+json", "en": "widget-view"},
    "live_matrix.ipynb": {"es": "application/vnd.jupyter.widget-view+json", "en": "widget-view"},
    "02_weight_scenarios.ipynb": {
        "es": ("widget-view", "ρ = 1,00", "pesos extraídos (Dirichlet, concentración 50)"),
        "en": ("widget-view", "ρ = 1.00", "weight draws (Dirichlet, concentration 50)"),
    },
    "04_kam_assignment.ipynb": {
        "es": ("Sin plan para 4 cuentas y 2 KAM", "Ningún KAM tiene aún evaluación de competencias"),
        "en": ("No plan for 4 accounts and 2 KAMs", "No KAM has a competence assessment yet"),
    },
    "03_time_allocation.ipynb": {"es": "Tiempo a mover %", "en": "Time to move %"},
    "05_from_ledger.ipynb": {  # run on the sample engagement: the sample ledger's customers are its accounts
        "es": ("Clientes puntuados: 57", "Platos preparados", "De la métrica a la puntuación", "cuantiles: su puesto"),
        "en": ("Customers scored: 57", "Whitespace: families not bought", "quantiles: its rank among the 57 customers"),
    },
    "06_key_account_plan.ipynb": {
        "es": ("widget-view", "2 de 4 cuentas tienen mapa de decisión", "Métricas de control", "Cumplidos (%)"),
        "en": ("widget-view", "2 of 4 accounts have a decision map", "Control metrics", "Met (%)"),
    },
    "dashboard.ipynb": {
        "es": ("image/svg+xml", "Sin métricas del libro de ventas"),
        "en": ("Cut lines", "No sales-ledger metrics"),
    },
    "account_report.ipynb": {
        "es": (
            *("Modelo de relación", "Robustez de la ubicación", "pesos extraídos", "KAM y encaje"),
            *("Métricas de control", "Mapa de decisión", "Tomás Vidal", "Cuadro de mando integral", "Coste de servir"),
            "Sin métricas del libro de ventas",
        ),
        "en": (
            *("Relationship model", "Robustness of the placement", "weight draws", "KAM and fit"),
            *("Control metrics", "Decision map", "Tomás Vidal", "Balanced scorecard", "Coste de servir"),
            "No sales-ledger metrics",
        ),
    },
    "portfolio_report.ipynb": {
        "es": (
            *("Líneas de corte", "Robustez de la ubicación", "en la frontera", "clientes propuestos"),
            *("Catering Ebro", "2 de 4 cuentas tienen mapa de decisión", "Cumplidos (%)", "Métricas de control"),
            "Sin métricas del libro de ventas",
        ),
        "en": (
            *("Cut lines", "Robustness of the placement", "on the fence", "customers proposed"),
            *("Catering Ebro", "2 of 4 accounts have a decision map", "Met (%)", "Control metrics"),
            "No sales-ledger metrics",
        ),
    },
    "naive_matrix.ipynb": {"es": "application/vnd.jupyter.widget-view+json", "en": "widget-view"},
}


def test_every_notebook_has_its_check():
    assert {p.name for p in NOTEBOOKS} == set(SHOWS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_notebook_runs(path, lang, executed):
    nb = executed(path, lang)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    shows = SHOWS[path.name][lang]
    for expected in (shows,) if isinstance(shows, str) else shows:
        assert expected in text
    assert "cdn.jsdelivr" not in text
    pages = [
        o["data"]["text/html"] for c in nb["cells"] for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert not any(HOSTILE in "".join(page) for page in pages)  # the script-named account and KAM stay text
    if path.parent == PUBLISHED and path.name != "live_matrix.ipynb":  # a client's page, of a half-filled workbook
        words = [re.sub(r"<style>.*?</style>|<[^>]+>", " ", "".join(page), flags=re.DOTALL) for page in pages]
        text = html.unescape(
            " ".join(w for w, page in zip(words, pages, strict=True) if "vegaEmbed" not in "".join(page))
        )
        assert problems(re.sub(r"\s+", " ", text), lang) == []


def test_time_notebook_takes_a_survey_a_kam_and_a_period(tmp_path, tiny_path):
    workbook = tmp_path / "survey"
    shutil.copytree(tiny_path, workbook)
    (workbook / "time.csv").write_text(
        "kam_id;activity;percent;period\nK1;relationships;40;2025-H1\nK1;selling;50;2025-H1\n"
        "K2;other;100;2025-H1\nK1;selling;100;2024\n",
        encoding="utf-8",
    )
    parameters = {"workbook": str(workbook), "kam": "K1", "period": "2025", "normalise": True, "lang": "en"}
    nb = execute_notebook(ROOT / "notebooks" / "03_time_allocation.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "rescaled to 100 as asked" in text  # K1's 90 % in 2025-H1, rescaled
    assert "a survey has no account time" in text
    assert "María Núñez (K1)" in text  # the gap chart of the KAM asked for


def test_portfolio_report_with_a_scenario_shows_what_it_changes(tmp_path, tiny_path):
    scenario = tmp_path / "incidents.yaml"
    scenario.write_text("name: incidents\nweights: {incidents: 3}\ncuts: {position: 3}\n", encoding="utf-8")
    parameters = {"workbook": str(tiny_path), "scenario": str(scenario), "lang": "en"}
    nb = execute_notebook(PUBLISHED / "portfolio_report.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "From the workbook" in text and "changes quadrant" in text and "A2" in text


def test_assignment_notebook_on_the_sample_plans_and_explains(tmp_path):
    parameters = {"workbook": str(ROOT / "kamlib" / "samples" / "sample"), "lang": "en"}
    nb = execute_notebook(ROOT / "notebooks" / "04_kam_assignment.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    for shown in ("Plan for 48 accounts and 7 KAMs", "Fit of each KAM to each account", "Who manages each account"):
        assert shown in text
    assert "KAM planned" in text and "Senior negotiation" in text and "(customer " in text


def test_ledger_notebook_reads_any_ledger_with_the_default_mapping(tmp_path, tiny_path):
    from tests.ledger.test_ingest import LEDGER

    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    parameters = {"workbook": str(tiny_path), "ledger": str(ledger), "lang": "en", "period": "2026-Q1"}
    nb = execute_notebook(ROOT / "notebooks" / "05_from_ledger.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    for shown in ("Period: 2026-Q1 (as of 2025-12-31, 6 invoice lines)", "New accounts: 1 (C9)", "Nueva Cía"):
        assert shown in text
    assert "quantiles: its rank among the 3 customers with a value" in text
    assert "The family most accounts do not buy: F2 (2 accounts" in text


def test_reports_show_what_the_sales_ledger_says(tmp_path, tiny_path):
    from tests.ledger.test_tables import METRICS, WHITESPACE

    workbook = tmp_path / "tiny"
    shutil.copytree(tiny_path, workbook)
    (workbook / "ledger_metrics.csv").write_text(METRICS, encoding="utf-8")
    (workbook / "whitespace.csv").write_text(WHITESPACE, encoding="utf-8")
    parameters = {"workbook": str(workbook), "account": "A4", "lang": "en"}
    nb = execute_notebook(PUBLISHED / "account_report.ipynb", tmp_path / "account.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "Sales ledger, period 2026-06 (12 months to 2026-06-30): new account." in text
    assert "Does not buy 2 families that other customers do: F2, &lt;b&gt;F3&lt;/b&gt;." in text
    assert "Sales ledger: the accounts' metrics" in text  # the distribution chart, A4 marked
    parameters = {"workbook": str(workbook), "lang": "es"}
    nb = execute_notebook(PUBLISHED / "portfolio_report.ipynb", tmp_path / "portfolio.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "Libro de ventas, periodo 2026-06 (12 meses hasta 2026-06-30): 4 cuentas" in text
    assert "Espacio en blanco: familias que no compran" in text and "Cuartil 1" in text
    assert "Cuentas que no la compran" in text
