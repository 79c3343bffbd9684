"""Accepting the workshop's pairwise judgements as a scenario of the engagement (kamlib.workshop.accept_weights)."""

from __future__ import annotations

import math

import pytest

import kamlib
from kamlib.errors import KamError
from kamlib.scenarios.scenario import load_scenario
from kamlib.scenarios.store import ScenarioExistsError, scenario_dir
from kamlib.workshop import accept_weights


@pytest.fixture
def pairs(store):
    """The two pairs of the tiny engagement's axes, open: volume / growth, service / incidents."""
    added = store.add_pair_items([("volume", "growth"), ("service", "incidents")])
    store.open_items([item.item_id for item in added])
    return added


def test_the_groups_weights_and_every_judgement_become_a_scenario(workbook, store, people, pairs):
    ana, ben, cai = (people[code].token for code in ("ana", "ben", "cai"))
    store.answer_pair(ana, "volume", "growth", 3)
    store.answer_pair(ben, "growth", "volume", 2)
    store.answer_pair(cai, "volume", "growth", dont_know=True)  # not a judgement: left out
    store.answer_pair(ana, "service", "incidents", 1)
    engagement = kamlib.load(workbook)
    path = accept_weights(engagement, store, "Taller 2026-W1")
    assert path.parent == scenario_dir(engagement)
    scenario = load_scenario(path)
    # potential: geometric mean of a(volume, growth) over Ana (3) and Ben (1/2) = √1.5 → volume √1.5 / (1 + √1.5)
    volume = math.sqrt(1.5) / (1 + math.sqrt(1.5))
    assert scenario.weights["volume"] == pytest.approx(100 * volume, abs=0.01)
    assert scenario.weights["growth"] == pytest.approx(100 * (1 - volume), abs=0.01)
    assert scenario.weights["service"] == pytest.approx(50) and scenario.weights["incidents"] == pytest.approx(50)
    judged = scenario.elicitation.judgements
    assert sorted(judged) == ["ana", "ben"] and [j.value for j in judged["ben"]["potential"]] == [2]
    assert kamlib.score_scenario(engagement, path).attrs["weights"]  # it scores the engagement
    with pytest.raises(ScenarioExistsError):
        accept_weights(engagement, store, "Taller 2026-W1")
    assert accept_weights(engagement, store, "Taller 2026-W1", replace=True) == path


def test_without_judgements_nothing_is_saved(workbook, store, people, pairs):
    engagement = kamlib.load(workbook)
    with pytest.raises(KamError, match="no participant has judged an axis yet"):
        accept_weights(engagement, store, "Vacío")
    assert not scenario_dir(engagement).exists() or not any(scenario_dir(engagement).iterdir())
