"""AHP weight elicitation: worked examples from the AHP literature, properties, bad input, scenario files."""

import math

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import KamError, Scenario, load_scenario, save_scenario, score_scenario
from kamlib.scenarios.ahp import (
    RANDOM_INDEX,
    SAATY_SCALE,
    Elicitation,
    Judgement,
    analyse_axis,
    consensus,
    consensus_level,
    consistency_ratio,
    elicitation_weights,
    geometric_mean,
    priorities,
)
from kamlib.scenarios.scenario import scenario_from_elicitation


def judgements_of(matrix, criteria):
    """The judgements above the diagonal of a comparison matrix."""
    n = len(criteria)
    return [Judgement(a=criteria[i], b=criteria[j], value=matrix[i][j]) for i in range(n) for j in range(i + 1, n)]


# ---- worked examples from the literature

# Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process. European Journal of Operational
# Research 48(1), 9–26: the family buying a house, pairwise comparison of the eight criteria (level 1 of the
# hierarchy). Published: priorities .173 .054 .188 .018 .031 .036 .167 .333, λmax = 9.669, C.I. = 0.238,
# C.R. = 0.169.
HOUSE_CRITERIA = [
    "size",
    "transportation",
    "neighbourhood",
    "age",
    "yard",
    "facilities",
    "condition",
    "financing",
]
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. International Journal of Services
# Sciences 1(1), 83–98: "Which drink is consumed more in the U.S.? An example of estimation using judgements".
# Published: derived scale .177 .019 .042 .116 .190 .129 .327 (actual consumption .180 .010 .040 .120 .180
# .140 .330), C.R. = 0.022.
DRINKS_CRITERIA = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def test_saaty_1990_house_criteria():
    result = priorities(np.array(HOUSE), HOUSE_CRITERIA, "Saaty 1990", "house")
    weights = [round(result.weights[c], 3) for c in HOUSE_CRITERIA]
    assert weights == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert (round(result.lambda_max, 3), round(result.ci, 3), round(result.cr, 3)) == (9.669, 0.238, 0.169)
    assert result.inconsistent and len(result.worst) == 3


def test_saaty_2008_drinks():
    result = priorities(np.array(DRINKS), DRINKS_CRITERIA)
    weights = [round(result.weights[c], 3) for c in DRINKS_CRITERIA]
    assert weights == [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    assert round(result.cr, 3) == 0.022 and not result.inconsistent and result.worst == []


def test_the_same_examples_from_judgements():
    """The matrices typed as the judgements above their diagonal give the same result."""
    result = analyse_axis(HOUSE_CRITERIA, {"family": judgements_of(HOUSE, HOUSE_CRITERIA)}, "house")
    assert round(result.participants["family"].cr, 3) == 0.169
    assert result.group.weights == pytest.approx(result.participants["family"].weights)


def test_random_index_is_saatys_table():
    """Saaty (1980), The Analytic Hierarchy Process; the house example above divides by RI(8) = 1.41."""
    assert [RANDOM_INDEX[n] for n in range(1, 16)] == [
        0.0,
        0.0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
        1.51,
        1.48,
        1.56,
        1.57,
        1.59,
    ]
    assert consistency_ratio(2.7, 2) == (0.0, 0.0)  # two criteria are always consistent
    assert consistency_ratio(3.1, 3) == pytest.approx((0.05, 0.05 / 0.58))


def test_the_reversed_judgement_is_named_first():
    """Saaty (2003), EJOR 145, 85–91: the judgement with the largest ε_ij = a_ij·w_j/w_i is the most inconsistent.

    Weights 8:4:2:1 judged consistently, except a over d given as 1/8 instead of 8.
    """
    w = np.array([8, 4, 2, 1.0])
    matrix = w[:, None] / w[None, :]
    matrix[0, 3], matrix[3, 0] = 1 / 8, 8
    result = priorities(matrix, ["a", "b", "c", "d"])
    assert result.inconsistent
    first = result.worst[0]
    assert (first.a, first.b, first.value) == ("a", "d", 0.125)
    assert first.suggested in SAATY_SCALE and first.suggested > first.value


# ---- the group: geometric mean of the judgements (AIJ) and Goepel's consensus


def test_the_group_judges_by_the_geometric_mean():
    """Aczél & Saaty (1983), J. Math. Psych. 27, 93–102; Forman & Peniwati (1998), EJOR 108, 165–169."""
    two = np.array([[[1, 9], [1 / 9, 1]], [[1, 1], [1, 1]]])
    assert geometric_mean(two) == pytest.approx(np.array([[1, 3], [1 / 3, 1]]))
    three = np.array([[[1, v], [1 / v, 1]] for v in (2, 4, 8)])
    assert geometric_mean(three)[0, 1] == pytest.approx(4)
    result = analyse_axis(
        ["volume", "growth"],
        {"Ana": [Judgement(a="volume", b="growth", value=9)], "Luis": [Judgement(a="volume", b="growth", value=1)]},
    )
    assert result.group.weights == pytest.approx({"volume": 0.75, "growth": 0.25})


def goepel_ahp_os(priorities_rows, scale_max=9):
    """S* as AHP-OS computes it (bpmsg/ahp-os, classes/AhpGroup.php: getShannonBeta, getConsensus, ahpShannonCor).

    Written out with plain floats: Hβ = Hγ − Hα, cor = exp(Hγ,max − Hα,min) with Hγ,max = ln n, and
    S* = (1/exp(Hβ) − 1/cor) / (1 − 1/cor).
    """
    k, n = len(priorities_rows), len(priorities_rows[0])
    h_alpha = sum(-sum(p * math.log(p) for p in row) for row in priorities_rows) / k
    mean = [sum(row[i] for row in priorities_rows) / k for i in range(n)]
    h_gamma = -sum(p * math.log(p) for p in mean)
    big = scale_max / (n + scale_max - 1)
    small = 1 / (n + scale_max - 1)
    h_alpha_min = -big * math.log(big) - (n - 1) * small * math.log(small)
    cor = math.exp(math.log(n) - h_alpha_min)
    return (1 / math.exp(h_gamma - h_alpha) - 1 / cor) / (1 - 1 / cor)


def test_consensus_of_two_opposite_participants_by_hand():
    """(0.75, 0.25) against (0.25, 0.75): Hα = 0.5623, Hγ = ln 2, Dβ = 1.1398; Hα,min = H(0.9, 0.1) = 0.3251."""
    rows = [[0.75, 0.25], [0.25, 0.75]]
    assert consensus(np.array(rows)) == pytest.approx(goepel_ahp_os(rows))
    assert round(consensus(np.array(rows)), 4) == 0.6018
    # Goepel (2013)'s relative homogeneity S, without the AHP scale's limit: (1/Dβ − 1/n) / (1 − 1/n)
    assert consensus(np.array(rows), scale_max=None) == pytest.approx((1 / 1.139754 - 0.5) / 0.5, abs=1e-6)


def test_consensus_bounds_as_goepel_defines_them():
    """100 % when all agree; 0 % when each participant puts a different criterion M = 9 times above the others.

    The second case is how Goepel (2013; BPMSG, "AHP consensus indicator", eqs. 1.6–1.8) fixes Dα,min and
    Dγ,max, so S* spans 0 to 1.
    """
    criteria = ["a", "b", "c"]
    extreme = {
        name: [Judgement(a=top, b=other, value=9) for other in criteria if other != top]
        + [Judgement(a=x, b=y, value=1) for x, y in (("a", "b"), ("a", "c"), ("b", "c")) if top not in (x, y)]
        for name, top in zip(("Ana", "Luis", "Eva"), criteria, strict=True)
    }
    result = analyse_axis(criteria, extreme, "potential")
    assert result.consensus == pytest.approx(0.0, abs=1e-9)
    assert result.consensus_level == "low"
    assert result.participants["Ana"].weights == pytest.approx({"a": 9 / 11, "b": 1 / 11, "c": 1 / 11})
    assert result.group.weights == pytest.approx(dict.fromkeys(criteria, 1 / 3))
    same = analyse_axis(criteria, {"Ana": extreme["Ana"], "Luis": extreme["Ana"]})
    assert same.consensus == pytest.approx(1.0) and same.consensus_level == "high"


@pytest.mark.parametrize(
    ("value", "level"), [(0.4, "low"), (0.6499, "low"), (0.65, "moderate"), (0.75, "moderate"), (0.7501, "high")]
)
def test_consensus_words_follow_goepel(value, level):
    """Goepel, BPMSG, "AHP group consensus indicator – how to understand and interpret?".

    Low below 65 %, moderate from 65 % to 75 %, high above 75 %.
    """
    assert consensus_level(value) == level


def test_one_participant_has_no_consensus_to_show():
    result = analyse_axis(["volume", "growth"], {"Ana": [Judgement(a="volume", b="growth", value=3)]})
    assert result.consensus is None and result.consensus_level is None
    assert result.consensus_text("es") == "necesita dos participantes"
    assert result.consensus_text("en") == "needs two participants"


def test_consensus_text_in_both_languages():
    rows = {"Ana": [Judgement(a="volume", b="growth", value=3)], "Luis": [Judgement(a="growth", b="volume", value=3)]}
    result = analyse_axis(["volume", "growth"], rows)
    assert result.consensus_text("en") == "60.2 % (low)"
    assert result.consensus_text("es") == "60,2 % (bajo)"


# ---- properties

weights_strategy = st.lists(st.floats(1.0, 3.0), min_size=2, max_size=9)


@given(weights_strategy)
def test_a_consistent_matrix_gives_back_its_weights_with_cr_zero(raw):
    w = np.array(raw)
    criteria = [f"c{i}" for i in range(len(w))]
    result = priorities(w[:, None] / w[None, :], criteria)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.lambda_max == pytest.approx(len(w))
    assert [result.weights[c] for c in criteria] == pytest.approx(w / w.sum())
    assert not result.inconsistent and result.worst == []


@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=9), st.integers(2, 6))
def test_everyone_agreeing_is_full_consensus(raw, k):
    p = np.array(raw) / sum(raw)
    assert consensus(np.tile(p, (k, 1))) == pytest.approx(1.0)


judgement_values = st.sampled_from(SAATY_SCALE)


@settings(max_examples=50)
@given(st.lists(judgement_values, min_size=6, max_size=6), st.lists(judgement_values, min_size=6, max_size=6))
def test_one_participant_is_the_group_and_the_group_stays_reciprocal(first, second):
    criteria = ["a", "b", "c", "d"]
    pairs = [(a, b) for k, a in enumerate(criteria) for b in criteria[k + 1 :]]
    ana = [Judgement(a=a, b=b, value=v) for (a, b), v in zip(pairs, first, strict=True)]
    luis = [Judgement(a=a, b=b, value=v) for (a, b), v in zip(pairs, second, strict=True)]
    alone = analyse_axis(criteria, {"Ana": ana})
    assert alone.group.weights == pytest.approx(alone.participants["Ana"].weights)
    assert alone.group.cr == pytest.approx(alone.participants["Ana"].cr)
    matrices = np.ones((2, 4, 4))
    for m, judged in zip(matrices, (ana, luis), strict=True):
        for j in judged:
            i, k = criteria.index(j.a), criteria.index(j.b)
            m[i, k], m[k, i] = j.value, 1 / j.value
    group = geometric_mean(matrices)
    assert group * group.T == pytest.approx(np.ones((4, 4)))
    both = analyse_axis(criteria, {"Ana": ana, "Luis": luis})
    assert sum(both.group.weights.values()) == pytest.approx(1.0)
    assert both.consensus <= 1 + 1e-9  # Hγ ≥ Hα: the mean of the priorities is never less diverse


# ---- judgements as people type them, and bad input


def test_a_reciprocal_is_the_same_judgement_the_other_way_round():
    for typed in ("1/3", 1 / 3, 0.333, "0.333"):
        assert Judgement(a="volume", b="growth", value=typed) == Judgement(a="growth", b="volume", value=3)
    assert Judgement(a=101, b=102, value=2) == Judgement(a="101", b="102", value=2)


def test_a_non_reciprocal_matrix_names_the_participant_axis_and_pair():
    matrix = np.array([[1, 3, 2], [3, 1, 1], [1 / 2, 1, 1]])
    with pytest.raises(KamError) as info:
        priorities(matrix, ["volume", "growth", "share"], "Ana", "potential")
    assert info.value.render("en") == (
        "elicitation, participant 'Ana', axis 'potential', pair 'volume' / 'growth': 3 and 3 are not reciprocal; "
        "allowed: a_ji = 1/a_ij (1 on the diagonal)"
    )
    assert info.value.render("es") == (
        "elicitación, participante 'Ana', eje 'potential', par 'volume' / 'growth': 3 y 3 no son recíprocos; "
        "se admite: a_ji = 1/a_ij (1 en la diagonal)"
    )


def test_a_value_off_the_scale_in_a_matrix():
    with pytest.raises(KamError, match=r"pair 'volume' / 'growth': got 10 and 0.1; allowed: values from 1/9 to 9"):
        priorities(np.array([[1, 10], [0.1, 1]]), ["volume", "growth"], "Ana", "potential")
    with pytest.raises(KamError, match=r"a matrix shaped \(2, 2\); allowed: 3 × 3"):
        priorities(np.eye(2), ["volume", "growth", "share"])


def elicitation(judged, criteria=None):
    return Elicitation.model_validate(
        {"criteria": criteria or {"potential": ["volume", "growth"], "position": ["service", "incidents"]}, **judged}
    )


@pytest.mark.parametrize(
    ("judged", "message"),
    [
        (
            [{"a": "volume", "b": "growht", "value": 3}],
            r"^elicitation, participant 'Ana', axis 'potential', pair 'volume' / 'growht': unknown criterion "
            r"'growht'; known on this axis: volume, growth$",
        ),
        (
            [{"a": "volume", "b": "service", "value": 3}],
            r"^elicitation, participant 'Ana', axis 'potential', pair 'volume' / 'service': criterion 'service' is "
            r"on axis 'position'; allowed on axis 'potential': volume, growth$",
        ),
        (
            [{"a": "volume", "b": "growth", "value": 3}, {"a": "growth", "b": "volume", "value": 3}],
            r"^elicitation, participant 'Ana', axis 'potential', pair 'volume' / 'growth': judged 2 times; allowed: "
            r"one judgement per pair$",
        ),
        (
            [{"a": "volume", "b": "volume", "value": 1}],
            r"pair 'volume' / 'volume': a criterion compared with itself; allowed: two different criteria",
        ),
        (
            [],
            r"^elicitation, participant 'Ana', axis 'potential': no judgement for 'volume' / 'growth'; allowed: one "
            r"judgement for each pair of volume, growth$",
        ),
    ],
)
def test_bad_judgements_name_participant_axis_and_pair(judged, message):
    with pytest.raises(KamError, match=message):
        elicitation({"judgements": {"Ana": {"potential": judged}}})


def test_bad_criteria_lists():
    with pytest.raises(KamError, match=r"'volume' listed on both axes; allowed: each criterion on its own axis"):
        elicitation({}, {"potential": ["volume", "growth"], "position": ["volume"]})
    with pytest.raises(KamError, match=r"axis 'potential': 16 criteria; allowed: up to 15"):
        elicitation({}, {"potential": [f"c{i}" for i in range(16)]})
    with pytest.raises(KamError, match=r"axis 'position': judgements on an axis without criteria; allowed: the axes"):
        elicitation({"judgements": {"Ana": {"position": []}}}, {"potential": ["volume"]})


def test_criteria_must_be_the_engagements_criteria_of_the_axis(tiny):
    wrong = elicitation({}, {"potential": ["volume", "service"], "position": ["incidents", "nope"]})
    with pytest.raises(KamError) as info:
        wrong.check_against(tiny, "s.yaml")
    assert info.value.render("en").splitlines() == [
        "s.yaml, elicitation, axis 'potential': criterion 'service' is on axis 'position'; allowed on axis "
        "'potential': volume, growth",
        "s.yaml, elicitation, axis 'potential': criterion 'growth' of the workbook not compared; allowed: all "
        "criteria of the axis (volume, growth)",
        "s.yaml, elicitation, axis 'position': unknown criterion 'nope'; known on this axis: service, incidents",
        "s.yaml, elicitation, axis 'position': criterion 'service' of the workbook not compared; allowed: all "
        "criteria of the axis (service, incidents)",
    ]
    assert info.value.render("es").splitlines()[0] == (
        "s.yaml, elicitación, eje 'potential': el criterio 'service' es del eje 'position'; se admite en el eje "
        "'potential': volume, growth"
    )


def test_an_inconsistent_participant_is_warned_with_the_worst_judgements():
    judged = {
        "Ana": {"potential": judgements_of([[1, 9, 1], [0, 1, 9], [0, 0, 1]], ["a", "b", "c"])},
        "Luis": {"potential": judgements_of([[1, 2, 4], [0, 1, 2], [0, 0, 1]], ["a", "b", "c"])},
    }
    found = Elicitation(criteria={"potential": ["a", "b", "c"]}, judgements=judged)
    warnings = found.warnings({"a": "Volumen"})
    assert len(warnings) == 1  # Luis is consistent
    assert (
        warnings[0]
        .render("en")
        .startswith(
            "elicitation, participant 'Ana', axis 'potential': consistency ratio 220.5 % is above 10 %; most "
            "inconsistent judgements: 'b' vs 'c' judged 9, consistent with the others: 2; 'Volumen' vs 'b' judged 9"
        )
    )
    assert (
        warnings[0]
        .render("es")
        .startswith(
            "elicitación, participante 'Ana', eje 'potential': la razón de consistencia 220.5 % supera el 10 %; "
            "juicios más inconsistentes: 'b' frente a 'c' juzgado 9, coherente con los demás: 2"
        )
    )


# ---- scenarios


def workshop():
    return Elicitation(
        criteria={"potential": ["volume", "growth"], "position": ["service", "incidents"]},
        judgements={
            "Ana": {
                "potential": [Judgement(a="volume", b="growth", value=3)],
                "position": [Judgement(a="service", b="incidents", value=1)],
            },
            "Luis": {"potential": [Judgement(a="volume", b="growth", value=1)]},
        },
    )


def test_scenario_weights_are_the_groups_in_percent(tiny):
    scenario = scenario_from_elicitation("Taller", workshop(), "AHP").check_against(tiny)
    g = math.sqrt(3)  # the group's judgement of volume over growth: the geometric mean of 3 and 1
    assert scenario.weights == {
        "volume": round(100 * g / (g + 1), 4),
        "growth": round(100 / (g + 1), 4),
        "service": 50.0,
        "incidents": 50.0,
    }
    assert elicitation_weights(workshop()) == scenario.weights
    assert score_scenario(tiny, scenario).attrs["scenario"] == "Taller"
    with pytest.raises(KamError, match="no participant has judged an axis yet"):
        scenario_from_elicitation("Vacío", Elicitation(criteria={"potential": ["volume", "growth"]}))


def test_scenario_with_elicitation_round_trip(tmp_path):
    scenario = scenario_from_elicitation("Taller Peñíscola", workshop())
    path = save_scenario(scenario, tmp_path / "taller.yaml")
    assert load_scenario(path) == scenario
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["elicitation"]["judgements"]["Ana"]["potential"] == [{"a": "volume", "b": "growth", "value": 3}]
    result = saved["elicitation"]["result"]["potential"]
    assert result["participants"]["Ana"]["weights"] == {"volume": 0.75, "growth": 0.25}
    assert result["consensus"] == round(goepel_ahp_os([[0.75, 0.25], [0.5, 0.5]]), 6)  # written with 6 decimals
    assert result["consensus_level"] == consensus_level(result["consensus"])
    assert saved["elicitation"]["result"]["position"]["consensus"] is None  # only Ana judged it


def test_the_saved_result_is_recomputed_when_read(tmp_path):
    path = save_scenario(scenario_from_elicitation("t", workshop()), tmp_path / "t.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["elicitation"]["result"]["potential"]["group"]["weights"]["volume"] = 0.99
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_scenario(path).elicitation.result["potential"].group.weights["volume"] == pytest.approx(0.634, 1e-3)


def test_an_old_scenario_without_elicitation_still_loads_and_saves_as_it_was(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("name: old\nweights: {volume: 2}\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.elicitation is None
    assert "elicitation" not in save_scenario(scenario, tmp_path / "again.yaml").read_text(encoding="utf-8")
    assert Scenario(name="x").elicitation is None


@pytest.mark.parametrize(
    ("judgement", "message"),
    [
        (
            "{a: volume, b: growth, value: 10}",
            r"^s.yaml, field elicitation.judgements.Ana.potential.0: got "
            r"\{'a': 'volume', 'b': 'growth', 'value': 10\}; allowed: a judgement a, b, value with value 1 to 9 "
            r"or 1/2 to 1/9 \(Saaty's scale\)$",
        ),
        (
            "{a: volume, b: growth, value: 3, weight: 2}",
            r"^s.yaml, field elicitation.judgements.Ana.potential.0.weight: got 2; unknown field; allowed: name, note",
        ),
        (
            "{a: volume, b: growht, value: 3}",
            r"^s.yaml, elicitation, participant 'Ana', axis 'potential', pair 'volume' / 'growht': unknown criterion "
            r"'growht'; known on this axis: volume, growth$",
        ),
    ],
)
def test_bad_judgements_in_a_file_name_the_file_and_the_field(tmp_path, judgement, message):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: x\nelicitation:\n  criteria: {potential: [volume, growth]}\n"
        f"  judgements:\n    Ana:\n      potential:\n        - {judgement}\n",
        encoding="utf-8",
    )
    with pytest.raises(KamError, match=message):
        load_scenario(path)


def test_a_misspelt_axis_in_a_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nelicitation:\n  criteria: {potencial: [volume]}\n", encoding="utf-8")
    with pytest.raises(KamError) as info:
        load_scenario(path)
    assert info.value.render("es") == (
        "s.yaml, campo elicitation.criteria.potencial.[key]: valor 'potencial'; se admite: un eje, potential o position"
    )
