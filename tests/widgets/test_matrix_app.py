"""The live matrix's Python side: state, scenarios, reference, autosave and language (no browser here)."""

import shutil

import pytest
import yaml

import kamlib
from kamlib.errors import KamError
from kamlib.widgets import make_matrix_app


@pytest.fixture
def workbook(tmp_path, tiny_path):
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_path, copy)
    return copy


def test_opens_on_the_workbook_weights_and_reference(workbook, tmp_path):
    app = make_matrix_app(workbook)
    w = app.widget
    assert w.weights == {"volume": 3.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    assert w.cuts == {"potential": 5.0, "position": 5.0}
    assert w.reference == {"A1": "invest", "A2": "selective", "A3": "maintain", "A4": "milk"}
    assert w.reference_name == "pesos del libro"
    assert w.spec["title"]["text"] == "Matriz de análisis de cuentas"
    assert "export{placeLabels as placeLabels}" in w._esm and "cdn.jsdelivr" not in w._esm  # bundled, offline
    assert app.folder == tmp_path / "tiny_scenarios"


def test_every_change_is_autosaved_and_restored(workbook):
    app = make_matrix_app(workbook)
    app.widget.weights = {"volume": 0.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    app.widget.filters = {"sector": "horeca"}
    saved = yaml.safe_load((app.folder / ".autosave.yaml").read_text(encoding="utf-8"))
    assert saved["weights"]["volume"] == 0.0 and saved["filters"] == {"sector": "horeca"}
    again = make_matrix_app(workbook)
    assert again.widget.weights["volume"] == 0.0 and again.widget.filters == {"sector": "horeca"}
    assert "recuperado" in again.status.value
    fresh = make_matrix_app(workbook, restore=False)
    assert fresh.widget.weights["volume"] == 3.0


def test_save_and_load_a_scenario_and_compare_against_it(workbook):
    app = make_matrix_app(workbook)
    app.widget.weights = {"volume": 0.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    app.widget.cuts = {"potential": 7.5, "position": 5.0}
    path = app.save("Taller: crecimiento")
    assert path.name == "taller-crecimiento.yaml"
    scenario = kamlib.load_scenario(path)
    assert scenario.weights["volume"] == 0.0 and scenario.cuts.potential == 7.5
    assert app.load_choice.options == ("Taller: crecimiento",)
    app.widget.weights = dict(app.widget.default_weights)
    app.load("Taller: crecimiento")
    assert app.widget.weights["volume"] == 0.0 and app.widget.cuts["potential"] == 7.5
    app.reference_choice.value = "Taller: crecimiento"
    expected = kamlib.score_accounts(kamlib.load(workbook), scenario.weights, scenario.cuts.model_dump())
    assert app.widget.reference == dict(zip(expected["account_id"], expected["quadrant"], strict=True))
    assert app.widget.reference_name == "Taller: crecimiento"
    assert app.save("  ") is None and "nombre" in app.status.value


def test_language_switch_rebuilds_the_chart_and_the_bar(workbook):
    app = make_matrix_app(workbook)
    app.widget.lang = "en"
    assert app.widget.spec["title"]["text"] == "Account analysis matrix"
    assert app.save_button.description == "Save scenario"
    assert app.widget.reference_name == "workbook's weights"


def test_start_from_a_scenario_file(workbook, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nweights: {growth: 5}\ncuts: {potential: median}\n", encoding="utf-8")
    app = make_matrix_app(workbook, path, lang="en")
    assert app.widget.weights["growth"] == 5.0 and app.widget.lang == "en"
    assert 0 < app.widget.cuts["potential"] < 10
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: b\nweights: {nope: 1}\n", encoding="utf-8")
    with pytest.raises(KamError, match="unknown criterion 'nope'"):
        make_matrix_app(workbook, bad)
