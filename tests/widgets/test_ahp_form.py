"""The AHP form driven from Python: participants, sliders, the results it shows and the scenario it returns."""

import math

import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError
from kamlib.scenarios.scenario import Cuts, save_scenario
from kamlib.widgets.ahp import SLIDER_OPTIONS, make_ahp_form


@pytest.fixture
def form(tiny):
    return make_ahp_form(tiny)


def test_opens_empty_and_asks_for_a_participant(form):
    assert form.axis.options == (
        ("Potencial de negocio de la cuenta", "potential"),
        ("Posición como proveedor", "position"),
    )
    assert list(form.sliders["potential"]) == [("volume", "growth")]
    assert [row.children[0].value for row in form.rows.children] == ["Volumen de negocio"]
    assert all(s.disabled for s in form.sliders["potential"].values())
    assert form.participant_result.value == "Añada un participante para empezar."
    assert [label for label, _ in SLIDER_OPTIONS][:2] == ["9 ←", "8 ←"]
    assert [label for label, _ in SLIDER_OPTIONS][7:10] == ["2 ←", "1", "→ 2"]
    assert SLIDER_OPTIONS[-1] == ("→ 9", 1 / 9)


def test_judgements_show_the_weights_and_the_group(form):
    assert form.add_participant("Ana")
    slider = form.sliders["potential"][("volume", "growth")]
    assert not slider.disabled and slider.value == 1.0
    slider.value = 3.0  # volume is 3 times as important as growth
    assert "Pesos de Ana" in form.participant_result.value
    assert "75,0 %" in form.participant_result.value and "25,0 %" in form.participant_result.value
    assert "Grupo: 1 participante(s)" in form.group_result.value
    assert "necesita dos participantes" in form.group_result.value
    assert form.add_participant("Luis") and form.participant.value == "Luis"
    assert slider.value == 1.0  # Luis starts at "equal"
    slider.value = 1 / 3  # Luis: growth 3 times as important as volume
    assert "Grupo: 2 participante(s)" in form.group_result.value
    assert "50,0 %" in form.group_result.value  # the geometric mean of 3 and 1/3 is 1
    assert "Consenso S* (Goepel): <b>60,2 % (bajo)</b>" in form.group_result.value
    form.participant.value = "Ana"
    assert slider.value == 3.0 and "75,0 %" in form.participant_result.value


def test_participants_need_a_new_name(form):
    assert not form.add_participant("  ")
    assert form.status.value == "Escriba el nombre del participante."
    form.add_participant("Ana")
    assert not form.add_participant("Ana")
    assert form.status.value == "Ya hay un participante llamado Ana."
    assert form.participant.options == ("Ana",)


def test_the_scenario_to_save_and_going_on_with_it(form, tiny, tmp_path):
    with pytest.raises(KamError, match="no participant has judged an axis yet"):
        form.scenario("Taller")
    form.add_participant("Ana")
    form.sliders["potential"][("volume", "growth")].value = 3.0
    form.add_participant("Luis")
    form.sliders["potential"][("volume", "growth")].value = 1 / 3
    form.sliders["potential"][("volume", "growth")].value = 1.0  # moved, then set back: Luis judges them equal
    form.axis.value = "position"
    form.sliders["position"][("service", "incidents")].value = 1 / 5  # only Luis judges position
    scenario = form.scenario(" Taller AHP ", "dirección comercial")
    g = math.sqrt(3)  # the group's judgement of volume over growth: geometric mean of 3 and 1
    assert scenario.name == "Taller AHP" and scenario.note == "dirección comercial"
    assert scenario.weights == {
        "volume": round(100 * g / (g + 1), 4),
        "growth": round(100 / (g + 1), 4),
        "service": round(100 / 6, 4),  # Luis alone: incidents 5 times as important as service
        "incidents": round(500 / 6, 4),
    }
    assert scenario.elicitation.judgements["Ana"].keys() == {"potential"}  # Ana never touched position
    scenario.check_against(tiny)
    with pytest.raises(KamError, match="a scenario needs a name"):
        form.scenario(" ")
    cut = Cuts(potential="median", position=4)
    path = save_scenario(scenario.model_copy(update={"cuts": cut}), tmp_path / "t.yaml")
    again = make_ahp_form(tiny, path, lang="en")
    assert again.participant.options == ("Ana", "Luis") and again.participant.value == "Ana"
    assert again.sliders["potential"][("volume", "growth")].value == 3.0
    again.participant.value = "Luis"
    again.axis.value = "position"
    assert again.sliders["position"][("service", "incidents")].value == pytest.approx(1 / 5)
    kept = again.scenario("Taller AHP")  # going on from a scenario keeps its cut lines and note
    assert kept.note == "dirección comercial" and kept.cuts == cut
    assert kept.weights == scenario.weights and kept.elicitation == scenario.elicitation


def test_an_axis_nobody_judged_keeps_the_workbooks_weights(form, tiny):
    form.add_participant("Ana")
    form.sliders["potential"][("volume", "growth")].value = 2.0
    weights = form.scenario("Solo potencial").weights
    assert set(weights) == {"volume", "growth"}  # position keeps the workbook's weights
    scored = kamlib.score_scenario(tiny, form.scenario("Solo potencial"))
    assert scored.attrs["weights"] == weights


def test_labels_fall_back_to_ids_and_too_many_criteria_are_refused(tiny):
    criteria = tiny.criteria.assign(label_en=[None, "Growth", None, "Incidents"])
    sheets = {"accounts": tiny.accounts, "scores": tiny.scores, "kams": tiny.kams, "time": tiny.time}
    form = make_ahp_form(kamlib.Engagement.from_frames({**sheets, "criteria": criteria}), lang="en")
    form.add_participant("Ana")
    form.sliders["potential"][("volume", "growth")].value = 2.0
    assert "volume" in form.participant_result.value and "Growth" in form.participant_result.value
    wide = pd.DataFrame(
        {
            "criterion_id": [f"c{i}" for i in range(17)],
            "axis": ["potential"] * 16 + ["position"],
            "label_es": "c",
            "label_en": "c",
            "weight": 1,
            "scale_min": 0,
            "scale_max": 10,
        }
    )
    scores = pd.DataFrame({"account_id": "A1", "criterion_id": wide["criterion_id"], "score": 5})
    many = kamlib.Engagement.from_frames({**sheets, "criteria": wide, "scores": scores})
    with pytest.raises(KamError, match=r"up to 15 criteria per axis .*; potential \(16\) has more"):
        make_ahp_form(many, lang="en")


def test_an_inconsistent_participant_sees_the_worst_judgements(sample_path):
    form = make_ahp_form(sample_path, lang="en")
    form.add_participant("Ana")
    sliders = form.sliders["potential"]
    sliders[("volume", "growth")].value = 9.0
    sliders[("growth", "share_of_wallet")].value = 9.0
    sliders[("volume", "share_of_wallet")].value = 1 / 9  # against the two above
    shown = form.participant_result.value
    assert "⚠ elicitation, participant &#x27;Ana&#x27;, axis &#x27;potential&#x27;: consistency ratio" in shown
    assert "&#x27;Business volume&#x27; vs &#x27;Share of wallet (%)&#x27; judged 1/9" in shown
    assert "Consistency ratio (CR)" in form.group_result.value


def test_names_are_escaped_in_the_results(form):
    form.add_participant("<script>alert(1)</script>")
    assert "<script>" not in form.participant_result.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form.participant_result.value
    assert form.participant.value == "<script>alert(1)</script>"  # a dropdown shows text, not HTML


def test_a_scenario_of_another_workbook_is_refused(tiny, tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(
        "name: o\nelicitation:\n  criteria: {potential: [volume, profitability]}\n  judgements: {}\n", encoding="utf-8"
    )
    with pytest.raises(
        KamError, match=r"^other.yaml, elicitation, axis 'potential': unknown criterion 'profitability'"
    ):
        make_ahp_form(tiny, path)
    assert kamlib.load_scenario(path).elicitation.result == {}


def test_save_writes_the_scenario_where_the_live_matrix_lists_it(tiny, tmp_path):
    from kamlib.scenarios.scenario import load_scenario
    from kamlib.scenarios.store import list_scenarios

    form = make_ahp_form(tiny, lang="en", folder=tmp_path)
    assert form.save("") is None and "a scenario needs a name" in form.status.value
    form.add_participant("Ana <b>")
    form.sliders["potential"][("volume", "growth")].value = 3.0
    form.scenario_name.value = "Workshop: AHP"
    form.save_button.click()
    path = tmp_path / "workshop-ahp.yaml"
    assert path.is_file() and "Workshop: AHP" in form.status.value and str(tmp_path) not in form.status.value
    saved = load_scenario(path)
    assert saved.name == "Workshop: AHP" and saved.weights["volume"] == pytest.approx(75.0)
    assert list(saved.elicitation.judgements) == ["Ana <b>"]
    assert list_scenarios(tmp_path) == {"Workshop: AHP": path}
    assert "75.0 %" in form.participant_result.value and "Ana &lt;b&gt;" in form.participant_result.value


def test_save_names_the_scenario_not_its_path_and_asks_before_replacing(tiny, tmp_path):
    from kamlib.scenarios.scenario import load_scenario

    folder = tmp_path / "eng<img src=x onerror=alert(1)>" / "tiny_scenarios"
    form = make_ahp_form(tiny, folder=folder)
    form.add_participant("Ana")
    form.sliders["potential"][("volume", "growth")].value = 3.0
    path = form.save("<b>Taller</b>")
    assert path is not None and path.parent == folder
    assert "&lt;b&gt;Taller&lt;/b&gt;" in form.status.value
    assert "<img" not in form.status.value and str(tmp_path) not in form.status.value
    form.sliders["potential"][("volume", "growth")].value = 1 / 3
    form.scenario_name.value = "<b>Taller</b>"
    form.save_button.click()  # the same name: asks first
    assert load_scenario(path).weights["volume"] == pytest.approx(75.0)
    assert "Ya existe un escenario llamado «&lt;b&gt;Taller&lt;/b&gt;»" in form.status.value
    assert form.save_button.description == "Sustituir escenario"
    form.save_button.click()  # confirmed
    assert load_scenario(path).weights["volume"] == pytest.approx(25.0)
    assert form.save_button.description == "Guardar escenario"
    assert form.save("<b>taller</b>") not in (None, path)  # another name, another file
