"""Scenario files: read, checked against the engagement, written atomically."""

import warnings

import pytest

from kamlib import KamError, Scenario, load_scenario, save_scenario, score_accounts


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_keeps_everything(tmp_path):
    scenario = Scenario(
        name="Taller Peñíscola",
        note="más peso a la rentabilidad",
        weights={"volume": 2.5},
        cuts={"potential": "median", "position": 6},
    )
    path = save_scenario(scenario, tmp_path / "sub" / "taller.yaml")
    assert load_scenario(path) == scenario
    assert [p.name for p in path.parent.iterdir()] == ["taller.yaml"]  # no temp file left


def test_scenario_changes_the_placement(tmp_path, tiny):
    path = write(tmp_path, "name: growth first\nweights:\n  volume: 0\n  growth: 1\ncuts:\n  potential: '7,5'\n")
    scenario = load_scenario(path).check_against(tiny)
    scored = score_accounts(tiny, scenario.weights, scenario.cuts.model_dump())
    assert scenario.cuts.potential == 7.5
    # A2's potential is now its growth alone: (7.5 - 1) / 9 * 10 = 7.2222 < 7.5 -> low
    assert scored.loc[1, "potential"] == pytest.approx(65 / 9)
    assert scored.loc[1, "quadrant"] == "milk"


def test_name_defaults_to_the_file_name(tmp_path):
    assert load_scenario(write(tmp_path, "weights: {volume: 1}\n", "base.yaml")).name == "base"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nweights:\n  volume: -2\n", r"^s.yaml, field weights.volume: got -2; allowed: a number ≥ 0$"),
        ("name: x\nweigths:\n  volume: 2\n", r"^s.yaml, field weigths: got \{'volume': 2\}; unknown field; allowed"),
        ("name: x\ncuts:\n  potential: 12\n", r"^s.yaml, field cuts.potential: got 12; allowed: a number from 0 to 10"),
        ("name: x\ncuts:\n  position: middle\n", r"^s.yaml, field cuts.position: got 'middle'; allowed: a number"),
        ("- a\n- b\n", r"s.yaml: expected a mapping with name, note, weights and cuts; got list"),
        ("name: [unclosed\n", r"s.yaml: not a readable YAML file"),
    ],
)
def test_bad_scenario_files_name_the_field(tmp_path, text, message):
    with pytest.raises(KamError, match=message):
        load_scenario(write(tmp_path, text))


def test_unknown_criteria_are_all_named_with_the_known_ones(tmp_path, tiny):
    scenario = load_scenario(write(tmp_path, "name: x\nweights:\n  volumne: 2\n  growht: 1\n"))
    with pytest.raises(
        KamError, match=r"s.yaml, weights: unknown criterion 'volumne', 'growht'; known: volume, growth"
    ):
        scenario.check_against(tiny, "s.yaml")


def test_zero_weights_on_an_axis_name_the_file(tmp_path, tiny):
    scenario = load_scenario(write(tmp_path, "name: x\nweights:\n  service: 0\n  incidents: 0\n"))
    with pytest.raises(KamError, match=r"^s.yaml, weights: all weights on axis 'position' are zero"):
        scenario.check_against(tiny, "s.yaml")


def test_numbers_typed_loosely_are_read(tmp_path):
    scenario = load_scenario(write(tmp_path, "name: 2025\nweights:\n  101: '7,5'\ncuts:\n  potential: '4,5'\n"))
    assert (scenario.name, scenario.weights, scenario.cuts.potential) == ("2025", {"101": 7.5}, 4.5)


def test_messages_in_spanish(tmp_path):
    with pytest.raises(KamError) as info:
        load_scenario(write(tmp_path, "name: x\ncuts:\n  potential: 12\n"))
    assert info.value.render("es") == "s.yaml, campo cuts.potential: valor 12; se admite: un número de 0 a 10, o median"


def test_missing_file(tmp_path):
    with pytest.raises(KamError, match=r"no such scenario file"):
        load_scenario(tmp_path / "nope.yaml")


def test_loading_warns_of_weights_edited_away_from_the_judgements_and_of_inconsistent_participants(tmp_path, tiny_path):
    import yaml

    from kamlib.errors import KamWarning
    from kamlib.scenarios.ahp import Elicitation
    from kamlib.scenarios.scenario import scenario_from_elicitation
    from tests.kam import run_kam

    elicitation = Elicitation.model_validate(
        {
            "criteria": {"potential": ["volume", "growth"]},
            "judgements": {"Ana": {"potential": [{"a": "volume", "b": "growth", "value": 3}]}},
        }
    )
    path = save_scenario(scenario_from_elicitation("AHP", elicitation), tmp_path / "ahp.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_scenario(path)  # as saved: no warning
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["weights"]["growth"] = 60  # edited by hand
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.warns(KamWarning, match=r"ahp.yaml, weights of axis potential differ .*volume \(75.0 %\)"):
        load_scenario(path)
    result = run_kam("score", tiny_path, "--scenario", path)
    assert result.returncode == 0 and "warning: ahp.yaml, weights of axis potential differ" in result.stderr
