"""Every notebook runs end to end with papermill, and is stored without outputs."""

import json
import shutil

import pytest

from tests.conftest import ROOT, execute_notebook

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "benchmarks").glob("*.ipynb"))


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
    "02_weight_scenarios.ipynb": {
        "es": ("widget-view", "ρ = 1,00", "pesos extraídos (Dirichlet, concentración 50)"),
        "en": ("widget-view", "ρ = 1.00", "weight draws (Dirichlet, concentration 50)"),
    },
    "04_kam_assignment.ipynb": {
        "es": ("Sin plan para 4 cuentas y 2 KAM", "Ningún KAM tiene aún evaluación de competencias"),
        "en": ("No plan for 4 accounts and 2 KAMs", "No KAM has a competence assessment yet"),
    },
    "03_time_allocation.ipynb": {"es": "Tiempo a mover %", "en": "Time to move %"},
    "06_key_account_plan.ipynb": {
        "es": ("widget-view", "2 de 4 cuentas tienen mapa de decisión", "Métricas de control", "Cumplidos (%)"),
        "en": ("widget-view", "2 of 4 accounts have a decision map", "Control metrics", "Met (%)"),
    },
    "dashboard.ipynb": {"es": "image/svg+xml", "en": "Cut lines"},
    "account_report.ipynb": {
        "es": (
            *("Modelo de relación", "Robustez de la ubicación", "pesos extraídos", "KAM y encaje"),
            *("Métricas de control", "Mapa de decisión", "Tomás Vidal", "Cuadro de mando integral", "Coste de servir"),
        ),
        "en": (
            *("Relationship model", "Robustness of the placement", "weight draws", "KAM and fit"),
            *("Control metrics", "Decision map", "Tomás Vidal", "Balanced scorecard", "Coste de servir"),
        ),
    },
    "portfolio_report.ipynb": {
        "es": (
            *("Líneas de corte", "Robustez de la ubicación", "en la frontera", "clientes propuestos"),
            *("Catering Ebro", "2 de 4 cuentas tienen mapa de decisión", "Cumplidos (%)", "Métricas de control"),
        ),
        "en": (
            *("Cut lines", "Robustness of the placement", "on the fence", "customers proposed"),
            *("Catering Ebro", "2 of 4 accounts have a decision map", "Met (%)", "Control metrics"),
        ),
    },
    "naive_matrix.ipynb": {"es": "application/vnd.jupyter.widget-view+json", "en": "widget-view"},
}


def test_every_notebook_has_its_check():
    assert {p.name for p in NOTEBOOKS} == set(SHOWS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_notebook_runs(path, lang, tmp_path, tiny_path):
    workbook = tmp_path / "tiny"
    shutil.copytree(tiny_path, workbook)  # notebooks may write beside the workbook (scenarios, autosave)
    nb = execute_notebook(path, tmp_path / path.name, {"lang": lang, "workbook": str(workbook)})
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    shows = SHOWS[path.name][lang]
    for expected in (shows,) if isinstance(shows, str) else shows:
        assert expected in text
    assert "cdn.jsdelivr" not in text


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
    nb = execute_notebook(ROOT / "notebooks" / "portfolio_report.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "From the workbook" in text and "changes quadrant" in text and "A2" in text


def test_assignment_notebook_on_the_sample_plans_and_explains(tmp_path):
    parameters = {"workbook": str(ROOT / "data" / "sample"), "lang": "en"}
    nb = execute_notebook(ROOT / "notebooks" / "04_kam_assignment.ipynb", tmp_path / "out.ipynb", parameters)
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    for shown in ("Plan for 48 accounts and 7 KAMs", "Fit of each KAM to each account", "Who manages each account"):
        assert shown in text
    assert "KAM planned" in text and "Senior negotiation" in text and "(customer " in text
