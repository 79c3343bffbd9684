"""The time reference file: the method's defaults, partial overrides, and messages that name file and field."""

import numpy as np
import pytest

from kamlib.errors import KamError
from kamlib.method import ACTIVITIES, REFERENCE_PROFILE
from kamlib.timeref import TimeReference, load_time_reference, save_time_reference


def test_defaults_are_the_method():
    reference = load_time_reference(None)
    assert reference.profile().tolist() == [REFERENCE_PROFILE[a] for a in ACTIVITIES]
    assert reference.profile().sum() == 100
    assert reference.profile() @ reference.type_matrix() == pytest.approx([30, 60, 10])
    assert reference.type_matrix().sum(axis=1).tolist() == [1.0] * 9  # each activity in exactly one type
    assert reference.bands().tolist() == [[30, 100], [10, 40], [10, 35], [0, 15]]


def test_partial_file_keeps_the_rest(tmp_path):
    path = tmp_path / "time.yaml"
    path.write_text(
        "reference: {selling: '15', other: 5}\nactivity_types: {other: knowledge}\n"
        "strategy_targets: {milk: {max: '7,5'}}\nutilisation: {min: 80}\n",
        encoding="utf-8",
    )
    reference = load_time_reference(path)
    assert reference.reference["selling"] == 15 and reference.reference["relationships"] == 20
    assert reference.activity_types["other"] == "knowledge" and reference.activity_types["selling"] == "relationships"
    assert reference.strategy_targets["milk"].max == 7.5 and reference.strategy_targets["invest"].min == 30
    assert reference.utilisation.min == 80 and reference.utilisation.max == 100


def test_a_band_keeps_the_bound_the_file_leaves_out(tmp_path):
    path = tmp_path / "time.yaml"
    path.write_text(
        "strategy_targets: {selective: {max: 30}, milk: {min: 5}}\nutilisation: {max: 110}\n", encoding="utf-8"
    )
    reference = load_time_reference(path)
    assert reference.bands().tolist() == [[30, 100], [10, 30], [10, 35], [5, 15]]
    assert (reference.utilisation.min, reference.utilisation.max) == (60, 110)  # overtime may be allowed
    path.write_text("strategy_targets: {milk: {min: 20}}\n", encoding="utf-8")
    with pytest.raises(KamError, match=r"strategy_targets.milk: .*min 20 is above max 15"):
        load_time_reference(path)


def test_selling_tolerance_is_ours_and_editable(tmp_path):
    assert TimeReference().selling_tolerance == 2.5  # the seed's table moves in steps of 5 %
    assert TimeReference().selling_band() == (7.5, 12.5)
    path = tmp_path / "time.yaml"
    path.write_text("reference: {selling: 20, other: 0}\nselling_tolerance: '7,5'\n", encoding="utf-8")
    assert load_time_reference(path).selling_band() == (12.5, 27.5)
    assert TimeReference(reference={"selling": 1, "other": 19}, selling_tolerance=5).selling_band() == (0, 6)
    path.write_text("selling_tolerance: -1\n", encoding="utf-8")
    with pytest.raises(KamError) as caught:
        load_time_reference(path)
    assert "time.yaml, field selling_tolerance: got -1; allowed: a number ≥ 0" in caught.value.render("en")
    assert "time.yaml, campo selling_tolerance: valor -1; se admite: un número ≥ 0" in caught.value.render("es")


def test_is_the_method():
    assert TimeReference().is_the_method()
    assert not TimeReference(reference={"selling": 20, "other": 0}).is_the_method()


def test_round_trip(tmp_path):
    reference = TimeReference(reference={"selling": 20, "other": 0}, zero_share=1.0)
    assert load_time_reference(save_time_reference(reference, tmp_path / "r.yaml")) == reference


@pytest.mark.parametrize(
    ("text", "en", "es"),
    [
        (
            "reference: {selling: 20}\n",
            "t.yaml, field reference: got {'selling': 20}; the activities add up to 110; allowed: a total of 100",
            "t.yaml, campo reference: valor {'selling': 20}; las actividades suman 110; se admite: un total de 100",
        ),
        (
            "reference: {vender: 10}\n",
            "t.yaml, field reference: got {'vender': 10}; unknown activity 'vender'; known: relationships, ",
            "t.yaml, campo reference: valor {'vender': 10}; actividad desconocida 'vender'; existentes: relationships,",
        ),
        (
            "activity_types: {selling: ventas}\n",
            "t.yaml, field activity_types: got {'selling': 'ventas'}; activity selling rolls up to 'ventas'; allowed: "
            "relationships, implementation, knowledge",
            "t.yaml, campo activity_types: valor {'selling': 'ventas'}; la actividad selling se agrupa en 'ventas'; ",
        ),
        (
            "strategy_targets: {milk: {min: 20, max: 10}}\n",
            "t.yaml, field strategy_targets.milk: got {'min': 20, 'max': 10}; min 20 is above max 10; allowed: min ≤",
            "t.yaml, campo strategy_targets.milk: valor {'min': 20, 'max': 10}; min 20 es mayor que max 10",
        ),
        (
            "strategy_targets: {star: {max: 10}}\n",
            "t.yaml, field strategy_targets: got {'star': {'max': 10}}; unknown quadrant 'star'; known: invest, "
            "selective, maintain, milk",
            "t.yaml, campo strategy_targets: valor {'star': {'max': 10}}; cuadrante desconocido 'star'",
        ),
        (
            "reference: {selling: -5, other: 25}\n",
            "t.yaml, field reference.selling: got -5; allowed: a number ≥ 0",
            "t.yaml, campo reference.selling: valor -5; se admite: un número ≥ 0",
        ),
        (
            "zero_share: 0\nsurvey_tolerance: lots\n",
            "t.yaml, field zero_share: got 0; allowed: a number > 0\n",
            "t.yaml, campo survey_tolerance: valor 'lots'; se admite: un número",
        ),
        (
            "colour: red\n",
            "t.yaml, field colour: got 'red'; unknown field; allowed: reference, activity_types, strategy_targets,",
            "t.yaml, campo colour: valor 'red'; campo desconocido; se admite: reference,",
        ),
        (
            "- 1\n- 2\n",
            "t.yaml: expected a mapping with reference, activity_types, strategy_targets, …; got list",
            "t.yaml: se espera un mapa con reference, activity_types, strategy_targets, …; valor list",
        ),
        (
            "reference: [\n",
            "t.yaml: not a readable YAML file",
            "t.yaml: no es un archivo YAML legible",
        ),
    ],
)
def test_bad_files_name_file_and_field(tmp_path, text, en, es):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KamError) as caught:
        load_time_reference(path)
    assert en in caught.value.render("en")
    assert es in caught.value.render("es")


def test_missing_file(tmp_path):
    with pytest.raises(KamError, match=r"no such time reference file"):
        load_time_reference(tmp_path / "none.yaml")


def test_type_matrix_follows_the_mapping():
    matrix = TimeReference(activity_types={"training": "implementation"}).type_matrix()
    assert np.flatnonzero(matrix[ACTIVITIES.index("training")]).tolist() == [1]
