"""The competence model: defaults, the settings file, the KAMs' levels from several assessors, and account needs."""

import numpy as np
import pandas as pd
import pytest

from kamlib.assignment.competences import (
    COMPETENCE_LABELS,
    COMPETENCES,
    DEFAULT_CHANGE_COST,
    DEFAULT_EFFORT_HOURS,
    AssignmentSettings,
    account_needs,
    competence_levels,
    level_text,
    load_assignment_settings,
    requirement_text,
    save_assignment_settings,
)
from kamlib.errors import KamError
from kamlib.method import QUADRANTS


def ratings(rows, columns=("kam_id", "competence", "score", "assessor", "side")):
    return pd.DataFrame(rows, columns=list(columns))


def test_defaults_are_the_method():
    settings = AssignmentSettings()
    assert settings.competence_ids() == COMPETENCES
    assert len(COMPETENCES) == 8
    assert all(set(COMPETENCE_LABELS[c]) == {"es", "en"} for c in COMPETENCES)
    matrix = settings.importance_matrix()
    assert matrix.shape == (4, 8) and matrix.min() >= 0 and matrix.max() <= 3
    column = {c: j for j, c in enumerate(COMPETENCES)}
    invest, milk = matrix[QUADRANTS.index("invest")], matrix[QUADRANTS.index("milk")]
    for competence in ("senior_negotiation", "analysis_planning", "relational_intelligence"):
        assert invest[column[competence]] == 3
    assert milk[column["profitability_orientation"]] == 3 and milk.argmax() == column["profitability_orientation"]
    assert settings.required_levels(np.array([0, 1, 2, 3])).tolist()[2:] == [3.0, 4.0]
    assert np.isnan(settings.required_levels(np.array([0, 1]))).all()
    assert settings.effort_vector().tolist() == [320, 220, 160, 60]
    assert (settings.continuity_bonus, settings.min_fit, settings.capacity) == (0, 0, "auto")
    assert settings.change_cost == {"invest": 20, "selective": 15, "maintain": 10, "milk": 5}
    assert settings.max_changes == "10%"


def test_partial_file_keeps_the_rest(tmp_path):
    path = tmp_path / "assign.yaml"
    path.write_text(
        "competences: {digital: Venta digital, languages: {es: Idiomas, en: Languages}}\n"
        "importance: {milk: {drive: 2, digital: 3}}\n"
        "required_level: {3: '4,5'}\n"
        "effort_hours: {invest: 300}\n"
        "account_requirements: {7: {cultural_versatility: 4}}\n"
        "fixed: [{account_id: A1, kam_id: 3}]\n"
        "capacity: Hours\n"
        "change_cost: {invest: '30,5'}\n"
        "max_changes: '12,5 %'\n",
        encoding="utf-8",
    )
    settings = load_assignment_settings(path)
    assert settings.competence_ids() == (*COMPETENCES, "digital", "languages")
    assert settings.label("digital", "en") == "Venta digital" and settings.label("languages", "es") == "Idiomas"
    assert settings.importance["milk"]["drive"] == 2 and settings.importance["milk"]["empathy"] == 1
    assert settings.importance["invest"]["senior_negotiation"] == 3
    assert settings.importance_matrix()[QUADRANTS.index("invest"), -1] == 0  # a new competence counts 0 where unnamed
    assert settings.required_level == {2: 3.0, 3: 4.5}
    assert settings.effort_hours == {**DEFAULT_EFFORT_HOURS, "invest": 300.0}
    assert settings.account_requirements == {"7": {"cultural_versatility": 4.0}}
    assert settings.fixed[0].kam_id == "3" and settings.capacity == "hours"
    assert settings.change_cost == {**DEFAULT_CHANGE_COST, "invest": 30.5}
    assert settings.max_changes == "12.5%" and settings.change_limit(48) == 6  # 6.0 → 6; 12.5 % of 50 → 7
    assert settings.change_limit(50) == 7 and settings.change_limit(0) == 0


@pytest.mark.parametrize(
    ("given", "read", "limit"),
    [(7, 7, 7), ("7", 7, 7), (7.0, 7, 7), ("10%", "10%", 5), ("100 %", "100%", 48), (None, None, None),
     ("null", None, None), (0, 0, 0), ("0%", "0%", 0)],
)  # fmt: skip
def test_max_changes_is_a_number_a_share_or_no_limit(given, read, limit):
    settings = AssignmentSettings(max_changes=given)
    assert settings.max_changes == read and settings.change_limit(48) == limit


def test_change_costs_by_quadrant_and_the_continuity_bonus():
    settings = AssignmentSettings(change_cost={"milk": 0}, continuity_bonus=2)
    assert settings.change_costs(["invest", "selective", "maintain", "milk", None]).tolist() == [
        22.0,
        17.0,
        12.0,
        2.0,
        2.0 + (20 + 15 + 10 + 0) / 4,
    ]


def test_round_trip_and_header(tmp_path):
    settings = AssignmentSettings(
        min_fit=40,
        continuity_bonus=5,
        forbidden=[{"account_id": "A1", "kam_id": "K1"}],
        change_cost={"selective": 25},
        max_changes=3,
    )
    path = save_assignment_settings(settings, tmp_path / "a.yaml")
    assert path.read_text(encoding="utf-8").startswith("# kamlib assignment settings / ajustes de asignación")
    assert load_assignment_settings(path) == settings
    assert load_assignment_settings(None) == AssignmentSettings()


@pytest.mark.parametrize(
    ("text", "en", "es"),
    [
        (
            "colour: red\n",
            "a.yaml, field colour: got 'red'; unknown field; allowed: competences, importance, required_level,",
            "a.yaml, campo colour: valor 'red'; campo desconocido; se admite: competences,",
        ),
        (
            "importance: {star: {drive: 1}}\n",
            "a.yaml, field importance: got {'star': {'drive': 1}}; unknown quadrant 'star'; known: invest, selective",
            "a.yaml, campo importance: valor {'star': {'drive': 1}}; cuadrante desconocido 'star'",
        ),
        (
            "importance: {milk: {charm: 2}}\n",
            "a.yaml, field importance: got {'milk': {'charm': 2}}; unknown competence 'charm'; known: analysis_",
            "a.yaml, campo importance: valor {'milk': {'charm': 2}}; competencia desconocida 'charm'; existentes:",
        ),
        (
            "importance: {milk: {drive: 4}}\n",
            "a.yaml, field importance.milk.drive: got 4; allowed: a number ≤ 3",
            "a.yaml, campo importance.milk.drive: valor 4; se admite: un número ≤ 3",
        ),
        (
            "account_requirements: {A1: {empathy: 6}}\n",
            "a.yaml, field account_requirements.A1.empathy: got 6; allowed: a number ≤ 5",
            "a.yaml, campo account_requirements.A1.empathy: valor 6; se admite: un número ≤ 5",
        ),
        (
            "account_requirements: {A1: {charm: 4}}\n",
            "a.yaml, field account_requirements: got {'A1': {'charm': 4}}; unknown competence 'charm'",
            "a.yaml, campo account_requirements: valor {'A1': {'charm': 4}}; competencia desconocida 'charm'",
        ),
        (
            "capacity: weekly\n",
            "a.yaml, field capacity: got 'weekly'; allowed: auto, accounts, hours, both or none",
            "a.yaml, campo capacity: valor 'weekly'; se admite: auto, accounts, hours, both o none",
        ),
        (
            "fixed: [{account_id: A1}]\n",
            "a.yaml, field fixed.0.kam_id: got {'account_id': 'A1'}; a required field is missing",
            "a.yaml, campo fixed.0.kam_id: valor {'account_id': 'A1'}; falta un campo obligatorio",
        ),
        (
            "min_fit: 120\ncontinuity_bonus: -1\n",
            "a.yaml, field continuity_bonus: got -1; allowed: a number ≥ 0\na.yaml, field min_fit: got 120; allowed: "
            "a number ≤ 100",
            "a.yaml, campo min_fit: valor 120; se admite: un número ≤ 100",
        ),
        (
            "max_changes: 2.5\n",
            "a.yaml, field max_changes: got 2.5; allowed: a whole number of accounts ≥ 0, a share of them such as 10%, "
            "or null (no limit)",
            "a.yaml, campo max_changes: valor 2.5; se admite: un número entero de cuentas ≥ 0, una parte de ellas",
        ),
        (
            "max_changes: -1\n",
            "a.yaml, field max_changes: got -1; allowed: a whole number of accounts ≥ 0",
            "a.yaml, campo max_changes: valor -1; se admite: un número entero de cuentas ≥ 0",
        ),
        (
            "max_changes: 150%\n",
            "a.yaml, field max_changes: got '150%'; allowed: a whole number of accounts ≥ 0, a share of them",
            "a.yaml, campo max_changes: valor '150%'; se admite",
        ),
        (
            "change_cost: {star: 3}\n",
            "a.yaml, field change_cost: got {'star': 3}; unknown quadrant 'star'; known: invest, selective",
            "a.yaml, campo change_cost: valor {'star': 3}; cuadrante desconocido 'star'",
        ),
        (
            "change_cost: {invest: 101}\n",
            "a.yaml, field change_cost.invest: got 101; allowed: a number ≤ 100",
            "a.yaml, campo change_cost.invest: valor 101; se admite: un número ≤ 100",
        ),
        (
            "required_level: {5: 4}\n",
            "a.yaml, field required_level.5.[key]: got 5; allowed: a number ≤ 3",
            "a.yaml, campo required_level.5.[key]: valor 5; se admite: un número ≤ 3",
        ),
        (
            "- 1\n",
            "a.yaml: expected a mapping with importance, effort_hours, min_fit, …; got list",
            "a.yaml: se espera un mapa con importance, effort_hours, min_fit, …; valor list",
        ),
    ],
)
def test_bad_files_name_file_and_field(tmp_path, text, en, es):
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KamError) as caught:
        load_assignment_settings(path)
    assert en in caught.value.render("en")
    assert es in caught.value.render("es")


def test_missing_file(tmp_path):
    with pytest.raises(KamError, match="no such assignment settings file"):
        load_assignment_settings(tmp_path / "none.yaml")


def test_assessors_are_averaged_each_once():
    frame = ratings(
        [
            ("K1", "empathy", 4, "director", "supplier"),
            ("K1", "empathy", 2, "self", "supplier"),
            ("K1", "empathy", 4, "self", None),  # the same assessor twice: self's mean is 3, then (4 + 3) / 2
            ("K1", "drive", 5, None, "supplier"),  # two unnamed rows are two assessors
            ("K1", "drive", 2, None, "supplier"),
        ]
    )
    levels = competence_levels(frame, ["K1", "K2"])
    table = levels.table.set_index(["kam_id", "competence"])
    assert table.loc[("K1", "empathy"), "supplier"] == 3.5
    assert table.loc[("K1", "empathy"), "n_supplier"] == 2
    assert table.loc[("K1", "drive"), ["supplier", "n_supplier"]].tolist() == [3.5, 2]
    assert np.isnan(table.loc[("K2", "drive"), "level"]) and table.loc[("K2", "drive"), "n_supplier"] == 0
    assert levels.levels.shape == (2, 8)
    assert len(levels.table) == 16 and levels.finding_rows.empty


def test_customer_view_and_the_gap():
    frame = ratings(
        [
            ("K1", "empathy", 4, "director", "supplier"),
            ("K1", "empathy", 2, "buyer", "customer"),
            ("K1", "drive", 3, "buyer", "customer"),
            ("K2", "empathy", 3, "director", "supplier"),
            ("K2", "empathy", 3.5, "buyer", "customer"),
        ]
    )
    levels = competence_levels(frame, ["K1", "K2"], AssignmentSettings())
    table = levels.table.set_index(["kam_id", "competence"])
    assert table.loc[("K1", "empathy"), ["supplier", "customer", "level", "gap"]].tolist() == [4, 2, 3, -2]
    assert table.loc[("K1", "drive"), "level"] == 3 and np.isnan(table.loc[("K1", "drive"), "gap"])  # only the customer
    assert table.loc[("K2", "empathy"), "gap"] == 0.5
    findings = levels.finding_rows
    assert findings[["kam_id", "competence", "value"]].values.tolist() == [["K1", "empathy", -2.0]]
    assert findings["message_en"].iloc[0] == (
        "K1, Empathy: the customer rates 2, we rate 4 (customer − supplier: \u22122); the role must be seen as "
        "beneficial by both sides."
    )
    assert (
        findings["message_es"].iloc[0].startswith("K1, Empatía: el cliente puntúa 2, nosotros 4 (cliente − proveedor")
    )
    smaller = competence_levels(frame, ["K1", "K2"], AssignmentSettings(big_gap=0.5)).finding_rows
    assert smaller["kam_id"].tolist() == ["K1", "K2"]
    assert "(customer − supplier: +0.5)" in smaller["message_en"].iloc[1]
    assert "(cliente − proveedor: +0,5)" in smaller["message_es"].iloc[1]


def test_no_assessment_yet():
    levels = competence_levels(ratings([]), ["K1"])
    assert np.isnan(levels.levels).all() and levels.finding_rows.empty
    minimal = pd.DataFrame({"kam_id": ["K1"], "competence": ["drive"], "score": [4.0]})  # no assessor, no side
    assert competence_levels(minimal, ["K1"]).table.set_index("competence").loc["drive", "supplier"] == 4


def test_assessments_the_settings_do_not_allow():
    frame = ratings(
        [
            ("K1", "charm", 4, "d", "supplier"),
            ("K9", "drive", 3, "d", "supplier"),
            ("K1", "drive", 7, "d", "supplier"),
            ("K1", "empathy", 3, "d", "partner"),
        ]
    )
    with pytest.raises(KamError) as caught:
        competence_levels(frame, ["K1"])
    en, es = caught.value.render("en"), caught.value.render("es")
    assert en.splitlines() == [
        "competences: unknown KAM 'K9'; known: K1",
        "competences: unknown competence 'charm' (rated for K1); known: analysis_planning, emotional_leadership, "
        "relational_intelligence, empathy, drive, senior_negotiation, cultural_versatility, profitability_orientation; "
        "a new competence needs a label under competences in the assignment settings",
        "competences: KAM K1, drive: got 7; allowed: 1 to 5",
        "competences: side 'partner'; allowed: supplier, customer",
    ]
    assert "competencia desconocida 'charm' (evaluada en K1)" in es and "se admite: de 1 a 5" in es
    custom = AssignmentSettings(competences={"charm": "Encanto"})
    assert competence_levels(frame.iloc[:1], ["K1"], custom).levels[0, -1] == 4
    with pytest.raises(KamError, match="missing column score"):
        competence_levels(frame.drop(columns="score"), ["K1"])


def test_account_needs():
    settings = AssignmentSettings(account_requirements={"A3": {"cultural_versatility": 4, "drive": 2}})
    needs = account_needs(["A1", "A2", "A3"], ["invest", None, "milk"], settings)
    matrix = settings.importance_matrix()
    column = {c: j for j, c in enumerate(COMPETENCES)}
    assert needs.importance[0].tolist() == matrix[0].tolist()
    assert needs.importance[1].tolist() == pytest.approx(matrix.mean(axis=0))  # no quadrant: the mean of the four
    assert needs.minimum[1, column["analysis_planning"]] == 3.0  # mean importance 2 → level 3
    assert needs.effort.tolist() == [320, 190, 60]
    cultural, drive = column["cultural_versatility"], column["drive"]
    assert needs.importance[2, [cultural, drive]].tolist() == [3, 3]
    assert needs.minimum[2, [cultural, drive]].tolist() == [4, 2]  # the account's own level, even below the rule's
    assert np.isnan(needs.minimum[0, cultural])
    with pytest.raises(KamError, match=r"account_requirements: unknown account 'A3'; known: A1") as caught:
        account_needs(["A1"], ["milk"], settings)
    assert "no existe la cuenta 'A3'" in caught.value.render("es")


def test_requirement_and_level_text():
    settings = AssignmentSettings()
    minimum = np.full(8, np.nan)
    minimum[[0, 3]] = [4, 3.5]
    assert requirement_text(minimum, settings, "en") == "Analysis and planning ≥ 4, Empathy ≥ 3.5"
    assert requirement_text(minimum, settings, "es") == "Análisis y planificación ≥ 4, Empatía ≥ 3,5"
    assert (level_text(4.0, "es"), level_text(3.25, "es")) == ("4", "3,3")  # half away from zero, as people round
