"""The live matrix's Python side: state, scenarios, reference, autosave and language (no browser here)."""

import html
import shutil

import pytest
import yaml

import kamlib
from kamlib.errors import KamError
from kamlib.widgets import make_matrix_app
from tests.conftest import ROOT


@pytest.fixture
def workbook(tmp_path, tiny_path):
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_path, copy)
    return copy


def shown_in_browser(app):
    """What matrix.js sends the kernel when it draws the matrix in a page (anywidget's `model.send`)."""
    app.widget._handle_custom_msg({"event": "displayed"}, [])


def autosaved(app):
    return yaml.safe_load((app.folder / ".autosave.yaml").read_text(encoding="utf-8"))


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
    shown_in_browser(app)
    app.widget.weights = {"volume": 0.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    app.widget.filters = {"sector": "horeca"}
    app.widget.lang = "en"
    saved = autosaved(app)
    assert saved["weights"]["volume"] == 0.0 and saved["filters"] == {"sector": "horeca"} and saved["lang"] == "en"
    again = make_matrix_app(workbook)
    assert again.widget.weights["volume"] == 3.0  # the kernel ran the notebook: nobody has seen the matrix yet
    shown_in_browser(again)
    assert again.widget.weights["volume"] == 0.0 and again.widget.filters == {"sector": "horeca"}
    assert again.widget.lang == "en" and again.widget.spec["title"]["text"] == "Account analysis matrix"
    assert again.status.value == "The autosaved session was restored."
    shown_in_browser(again)  # another view of the same matrix changes nothing
    assert again.widget.weights["volume"] == 0.0
    fresh = make_matrix_app(workbook, restore=False)
    shown_in_browser(fresh)
    assert fresh.widget.weights["volume"] == 3.0 and fresh.status.value == ""
    fresh.widget.weights = fresh.widget.weights | {"growth": 2.0}  # it starts afresh, and saves over the autosave
    assert autosaved(app)["weights"]["volume"] == 3.0


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


def test_the_autosave_is_read_when_the_page_shows_the_matrix_not_when_the_kernel_runs(workbook):
    """`kam serve` preheats a spare kernel: it runs the notebook before anybody opens the page."""
    tab_a = make_matrix_app(workbook)
    shown_in_browser(tab_a)
    spare = make_matrix_app(workbook)  # the spare kernel runs the notebook while tab A is open
    assert not (tab_a.folder / ".autosave.yaml").exists()  # and neither wrote anything: nobody changed anything
    tab_a.widget.weights = tab_a.widget.weights | {"volume": 0.0}
    assert autosaved(tab_a)["weights"]["volume"] == 0.0
    # Tab A is closed; tab B opens on the spare kernel: it shows what A left, not what was there when it started.
    shown_in_browser(spare)
    assert spare.widget.weights["volume"] == 0.0
    assert spare.status.value == "Se ha recuperado la sesión guardada automáticamente."
    spare.widget.weights = spare.widget.weights | {"growth": 4.0}
    assert autosaved(spare)["weights"] == {"volume": 0.0, "growth": 4.0, "service": 2.0, "incidents": 1.0}


def test_a_tab_that_is_behind_another_is_refused_and_says_so(workbook):
    tab_a, tab_b = make_matrix_app(workbook), make_matrix_app(workbook)
    shown_in_browser(tab_a)
    shown_in_browser(tab_b)
    tab_a.widget.weights = tab_a.widget.weights | {"volume": 0.0}
    assert autosaved(tab_a)["weights"]["volume"] == 0.0
    tab_b.widget.weights = tab_b.widget.weights | {"growth": 4.0}  # B still shows volume 3: it must not write it
    assert autosaved(tab_a)["weights"] == {"volume": 0.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    assert "Otra pestaña" in tab_b.status.value and "Recargue la página" in tab_b.status.value
    tab_b.widget.lang = "en"  # every refused change says so again, in the language shown
    assert "Another tab" in tab_b.status.value and "Reload the page" in tab_b.status.value
    assert autosaved(tab_a)["lang"] == "es"
    tab_a.widget.weights = tab_a.widget.weights | {"service": 5.0}  # the tab that is up to date goes on saving
    assert autosaved(tab_a)["weights"]["service"] == 5.0 and "Otra pestaña" not in tab_a.status.value
    reloaded = make_matrix_app(workbook)
    shown_in_browser(reloaded)
    assert reloaded.widget.weights == {"volume": 0.0, "growth": 1.0, "service": 5.0, "incidents": 1.0}


def test_every_name_gets_its_own_file_and_saving_over_a_name_asks_first(workbook):
    from tests.scenarios.test_store import NAMES

    app = make_matrix_app(workbook)
    paths, said = [], []
    for n, name in enumerate(NAMES):
        app.widget.weights = app.widget.weights | {"volume": float(n)}
        paths.append(app.save(name))
        said.append(app.status.value)
    assert None not in paths and len(set(paths)) == len(NAMES)  # no scenario overwrote another
    assert said == [f"Escenario «{html.escape(name)}» guardado." for name in NAMES]
    assert sorted(app.load_choice.options) == sorted(NAMES)
    assert [kamlib.load_scenario(p).weights["volume"] for p in paths] == list(range(len(NAMES)))
    # The same name again: nothing is overwritten until the consultant confirms.
    app.widget.weights = app.widget.weights | {"volume": 9.0}
    app.name.value = "Taller A"
    app.save_button.click()
    assert kamlib.load_scenario(paths[0]).weights["volume"] == 0.0
    assert "Ya existe un escenario llamado «Taller A»" in app.status.value
    assert app.save_button.description == "Sustituir escenario"
    app.widget.lang = "en"
    assert app.save_button.description == "Replace scenario"
    app.save_button.click()  # confirmed
    assert kamlib.load_scenario(paths[0]).weights["volume"] == 9.0
    assert app.save_button.description == "Save scenario" and "Taller A" in app.status.value
    app.name.value = "Taller A"
    app.save_button.click()
    assert "A scenario named “Taller A” already exists" in app.status.value
    app.name.value = "Taller B"  # another name: the pending replacement is forgotten
    assert app.save_button.description == "Save scenario"


HOSTILE = "eng<img src=x onerror=alert(1)>"


def test_status_messages_escape_what_they_show_and_name_no_path(tmp_path, tiny_path):
    workbook = tmp_path / HOSTILE / "tiny"
    shutil.copytree(tiny_path, workbook)
    app = make_matrix_app(workbook)
    shown_in_browser(app)
    app.widget.weights = app.widget.weights | {"volume": 0.0}
    again = make_matrix_app(workbook)
    shown_in_browser(again)
    assert "<img" not in again.status.value and str(tmp_path) not in again.status.value
    assert again.widget.weights["volume"] == 0.0
    messages = [again.status.value]
    assert app.save("<b>Taller</b>") is not None
    messages.append(app.status.value)
    assert "&lt;b&gt;Taller&lt;/b&gt;" in app.status.value
    (app.folder / ".autosave.yaml").unlink()
    (app.folder / ".autosave.yaml").mkdir()  # the autosave cannot be written: the message names no path either
    app.widget.weights = app.widget.weights | {"volume": 1.0}
    messages.append(app.status.value)
    assert app.status.value.startswith("No se ha podido guardar la sesión automáticamente: .autosave.yaml")
    for message in messages:
        assert "<img" not in message and "<b>" not in message
        assert str(tmp_path) not in message and "onerror" not in message, message
    (app.folder / ".autosave.yaml").rmdir()
    app.widget.weights = app.widget.weights | {"volume": 2.0}  # it can be written again: the message goes
    assert autosaved(app)["weights"]["volume"] == 2.0 and app.status.value == ""


def test_a_scenario_placed_by_the_customers_view_keeps_it_through_the_live_matrix(workbook, tmp_path):
    path = tmp_path / "cliente.yaml"
    path.write_text("name: Cliente\nweights: {growth: 2}\nposition_by: cliente\n", encoding="utf-8")
    app = make_matrix_app(workbook, path, lang="en")
    shown_in_browser(app)
    app.widget.weights = app.widget.weights | {"volume": 1.0}
    assert autosaved(app)["position_by"] == "customer"  # the autosave keeps it…
    saved = kamlib.load_scenario(app.save("Cliente 2"))
    assert saved.position_by == "customer" and saved.weights["volume"] == 1.0  # …and so does a scenario saved here
    plain = make_matrix_app(workbook, restore=False)
    assert kamlib.load_scenario(plain.save("Nuestra")).position_by == "ours"
    plain.load("Cliente 2")
    assert plain.position_by == "customer" and "cómo nos ve el cliente" in plain.status.value  # in Spanish: the default
    assert kamlib.load_scenario(plain.save("Copia")).position_by == "customer"


def test_a_segments_weights_are_saved_loaded_and_restored(tmp_path):
    workbook = tmp_path / "segments"
    shutil.copytree(ROOT / "tests" / "data" / "segments", workbook)
    app = make_matrix_app(workbook, lang="en")
    w = app.widget
    assert w.weights == {"volume": 3.0, "growth": 1.0, "service": 2.0, "incidents": 1.0}
    horeca = {"volume": 1.0, "growth": 1.0, "service": 2.0, "incidents": 3.0, "menu": 2.0}
    assert w.segment_weights == {"Horeca": horeca}
    assert w.default_segment_weights == w.segment_weights
    shown_in_browser(app)
    w.segment_weights = {"Horeca": {**w.segment_weights["Horeca"], "menu": 0.0}}  # the picker's sliders moved
    assert autosaved(app)["segment_weights"]["Horeca"]["menu"] == 0.0
    path = app.save("Sin carta")
    scenario = kamlib.load_scenario(path)
    assert scenario.segment_weights["Horeca"]["menu"] == 0.0 and scenario.weights["volume"] == 3.0
    w.segment_weights = dict(w.default_segment_weights)
    app.load("Sin carta")
    assert w.segment_weights["Horeca"]["menu"] == 0.0
    app.reference_choice.value = "Sin carta"
    assert w.reference["A4"] == "milk" and w.reference["A2"] == "selective"
    again = make_matrix_app(workbook)
    shown_in_browser(again)
    assert again.widget.segment_weights["Horeca"]["menu"] == 0.0  # restored from the autosave


def test_the_offline_matrix_is_titled_from_the_engagement_not_its_file(tmp_path):
    from kamlib.widgets.standalone import live_matrix_html

    sample = kamlib.load()
    assert "<title>Matriz de análisis de cuentas · Conservas y Aceites del Ebro</title>" in live_matrix_html(sample)
    tiny = kamlib.load(ROOT / "tests" / "data" / "tiny")
    assert "<title>Account analysis matrix</title>" in live_matrix_html(tiny, lang="en")
