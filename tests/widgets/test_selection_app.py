"""The key-account selection app driven from Python: move the sliders, the list, chart and changes follow."""

from __future__ import annotations

import pytest

from kamlib.charts.selection import BARS_LAYER, CUTOFF_LAYER
from kamlib.plan.selection import select_accounts
from kamlib.widgets import selection as app_module
from kamlib.widgets.selection import SelectionApp, make_selection_app
from tests.charts.specs import unit
from tests.plan.test_selection import CUSTOMERS, DEFAULT_IDS, SCORES, VOL, engagement_with


@pytest.fixture(scope="module")
def book(tiny):
    """By hand (tests/test_selection.py): A1 10, C1 8.33 (volume 10, profitability 7), A3 5.0, C2 1.67, A2 0."""
    return engagement_with(tiny, CUSTOMERS, SCORES)


def chart_rows(app: SelectionApp, layer: str) -> list[dict]:
    spec = app.chart.to_dict()
    data = unit(spec, layer)["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_opens_on_the_workbook_weights_and_the_default_cutoff(book):
    app = SelectionApp(book)
    assert list(app.weight_sliders) == DEFAULT_IDS
    assert app.weight_sliders[VOL].description == "Volumen y escalabilidad"
    assert app.weights == dict.fromkeys(DEFAULT_IDS, 1.0) == app.default_weights
    assert app.cutoff_slider.value == 5.0 and app.cutoff_slider.description == "Corte (0–10)"
    assert app.selection.proposed_ids == ["A1", "C1", "A3"]
    assert "3 clientes propuestos (puntuación ≥ 5,0)" in app.summary.value
    assert "Conservas Ñora" in app.changes.value and "Entra" in app.changes.value and "Sale" in app.changes.value
    assert chart_rows(app, CUTOFF_LAYER)[0]["cutoff"] == 5.0
    (output,) = app.chart_output.outputs
    assert output["output_type"] == "display_data" and "vegaEmbed" in output["data"]["text/html"]
    assert app.status.value == ""


def test_raising_the_cutoff_sends_the_accounts_below_it_out(book):
    app = SelectionApp(book, lang="en")
    app.cutoff_slider.value = 9.0
    assert app.selection.proposed_ids == ["A1"]
    statuses = dict(zip(app.selection.customers["customer_id"], app.selection.customers["status"], strict=True))
    assert statuses["C1"] == "out" and statuses["A3"] == "leaves" and statuses["A2"] == "leaves"
    assert app.summary.value.startswith("<p>1 customer proposed (score ≥ 9.0): 1 stays, 0 enter; 2 of today")
    assert "Conservas Ñora" not in app.changes.value and "Distribuciones Cantábrico" in app.changes.value
    assert chart_rows(app, CUTOFF_LAYER)[0]["cutoff"] == 9.0
    assert app.selection.customers.equals(select_accounts(book, cutoff=9.0).customers)


def test_moving_a_weight_rescores_every_customer(book):
    app = SelectionApp(book, lang="en", cutoff=7.0)
    assert app.selection.proposed_ids == ["A1", "C1"]  # C1 8.33
    app.weight_sliders[VOL].value = 0.0  # C1 is left with profitability: 10·6/9 = 6.67 < 7
    c1 = app.selection.customers.set_index("customer_id").loc["C1"]
    assert c1["composite"] == pytest.approx(60 / 9) and c1["status"] == "out"
    assert app.selection.proposed_ids == ["A1"]
    bars = {r["customer_id"]: r for r in chart_rows(app, BARS_LAYER)}
    assert bars["C1"]["composite"] == pytest.approx(60 / 9) and bars["C1"]["status_label"] == "Out"
    app.weight_sliders[VOL].value = 4.0  # volume 4, profitability 1: 10·(4 + 6/9)/5 = 9.33
    assert app.selection.customers.set_index("customer_id").loc["C1", "composite"] == pytest.approx(
        10 * (4 + 6 / 9) / 5
    )
    assert app.selection.customers.equals(select_accounts(book, 7.0, None, app.weights).customers)
    assert app.selection.criteria.set_index("criterion_id").loc[VOL, "weight"] == 4.0


def test_all_weights_at_zero_is_said_and_the_last_result_stays(book):
    app = SelectionApp(book)
    for cid in DEFAULT_IDS[:-1]:
        app.weight_sliders[cid].value = 0.0
    last = app.selection
    app.weight_sliders[DEFAULT_IDS[-1]].value = 0.0
    assert "todos los pesos de selección son cero" in app.status.value
    assert app.selection is last
    app.reset()
    assert app.weights == app.default_weights and app.status.value == ""
    assert app.selection.proposed_ids == ["A1", "C1", "A3"]


def test_reset_redraws_once(book, monkeypatch):
    app = SelectionApp(book)
    app.weight_sliders[VOL].value = 3.0
    app.weight_sliders[DEFAULT_IDS[1]].value = 3.0
    calls = []
    monkeypatch.setattr(app_module, "select_accounts", lambda *a, **k: calls.append(a) or select_accounts(*a, **k))
    app.reset()
    assert len(calls) == 1 and app.weights == app.default_weights


def test_make_selection_app_takes_a_loaded_engagement(book):
    app = make_selection_app(book, "en")
    assert app.reset_button.description == "Back to the workbook's weights"
    assert app.view.children[0].children[0].value == "<b>Weights of the selection criteria</b>"
