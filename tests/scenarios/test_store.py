"""The workshop's saved scenarios and autosave."""

from pathlib import Path

import yaml

from kamlib.engagement import PACKAGE, SAMPLE_PATH
from kamlib.scenarios.scenario import Scenario, load_scenario, save_scenario
from kamlib.scenarios.store import (
    AUTOSAVE,
    WorkshopState,
    list_scenarios,
    load_state,
    save_state,
    scenario_dir,
    scenario_file,
)


def test_scenario_files_never_leave_their_folder(tmp_path):
    for name in ("../../x", "/etc/passwd", "con", "a/b\\c", "…", "Ñandú 2026", "作業/../..", "x" * 300, "業" * 300):
        path = scenario_file(tmp_path, name)
        assert path.parent == tmp_path and path.suffix == ".yaml" and "/" not in path.stem
        assert len(f"{path.stem}-{64 * 'f'}.yaml".encode()) < 255  # room for the hash of a colliding name
    assert scenario_file(tmp_path, "Ñandú 2026").name == "nandu-2026.yaml"


def test_scenarios_live_beside_the_workbook_and_the_sample_in_the_user_data(tiny, tmp_path, monkeypatch):
    assert scenario_dir(tiny) == tiny.source.parent / "tiny_scenarios"
    import kamlib

    sample = kamlib.load(SAMPLE_PATH)
    monkeypatch.setenv("KAM_DATA", str(tmp_path / "data"))
    assert scenario_dir(sample) == tmp_path / "data" / "sample" / "scenarios"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAM_DATA", "relative")  # taken from the current folder, made absolute
    assert scenario_dir(sample) == tmp_path.resolve() / "relative" / "sample" / "scenarios"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KAM_DATA", "~/kam")
    assert scenario_dir(sample) == (tmp_path / "home" / "kam" / "sample" / "scenarios").resolve()
    monkeypatch.setenv("KAM_DATA", "")  # empty: the platform's folder
    assert not scenario_dir(sample).is_relative_to(PACKAGE)  # never inside kamlib itself
    assert scenario_dir(sample).is_absolute()


def test_kam_serve_hands_its_kernels_an_absolute_kam_data(tmp_path, monkeypatch):
    from kamlib.publish.serve import voila_environment

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAM_DATA", "mine")
    assert voila_environment(None)["KAM_DATA"] == str(tmp_path.resolve() / "mine")


def test_autosave_round_trip_and_mismatch(tiny, tmp_path):
    state = WorkshopState(
        weights={"volume": 1, "growth": 2, "service": 3, "incidents": 4},
        lang="en",
        filters={"sector": "horeca"},
        cuts={"potential": 6, "position": "median"},
    )
    assert save_state(state, tmp_path) == 1 and (tmp_path / AUTOSAVE).is_file()
    assert load_state(tmp_path, tiny) == state
    (tmp_path / AUTOSAVE).write_text(yaml.safe_dump({"weights": {"other": 1}}), encoding="utf-8")
    assert load_state(tmp_path, tiny) is None  # a different engagement's session is not restored
    (tmp_path / AUTOSAVE).write_text("{{{", encoding="utf-8")
    assert load_state(tmp_path, tiny) is None


def test_list_scenarios_by_name_skips_junk(tmp_path):
    save_scenario(Scenario(name="Taller A", weights={"volume": 2}), tmp_path / "a.yaml")
    (tmp_path / "junk.yaml").write_text("- not a scenario\n", encoding="utf-8")
    save_state(WorkshopState(), tmp_path)
    assert list_scenarios(tmp_path) == {"Taller A": tmp_path / "a.yaml"}
    assert list_scenarios(Path(tmp_path / "missing")) == {}


NAMES = ("Taller A", "taller-a", "Taller: A!", "作業", "Σενάριο", "Сценарий", "!!!", "???")
"""Names whose ASCII slugs collide (the first three, the last two) or are empty (all but the first three)."""


def test_distinct_names_get_distinct_files(tmp_path):
    paths = {}
    for n, name in enumerate(NAMES):
        paths[name] = scenario_file(tmp_path, name)
        save_scenario(Scenario(name=name, weights={"volume": n}), paths[name])
    assert len(set(paths.values())) == len(NAMES)
    assert list_scenarios(tmp_path) == paths  # every scenario is still there, under its own name
    assert {name: load_scenario(path).weights["volume"] for name, path in paths.items()} == {
        name: n for n, name in enumerate(NAMES)
    }
    assert paths["Taller A"].name == "taller-a.yaml"  # the first to take a slug keeps it plain
    assert paths["作業"].name == "作業.yaml" and paths["Σενάριο"].name == "σενάριο.yaml"  # letters of any script
    assert paths["Сценарий"].name == "сценарий.yaml"
    for name, path in paths.items():
        assert path.parent == tmp_path and scenario_file(tmp_path, name) == path  # the same name, the same file


def test_a_file_that_is_no_scenario_is_never_taken_over(tmp_path):
    junk = tmp_path / "taller-a.yaml"
    junk.write_text("- somebody's notes\n", encoding="utf-8")
    assert scenario_file(tmp_path, "Taller A") != junk
    assert scenario_file(tmp_path, "Taller A").parent == tmp_path


def test_saving_under_a_name_already_saved_asks_first(tmp_path):
    from kamlib.scenarios.store import ScenarioExistsError, save_named_scenario

    first = save_named_scenario(Scenario(name="Taller A", weights={"volume": 1}), tmp_path)
    other = save_named_scenario(Scenario(name="taller-a", weights={"volume": 2}), tmp_path)
    assert other != first
    try:
        save_named_scenario(Scenario(name="Taller A", weights={"volume": 3}), tmp_path)
    except ScenarioExistsError as exc:
        assert exc.name == "Taller A"
        assert "Taller A" in exc.render("en") and "Taller A" in exc.render("es")
    else:
        raise AssertionError("a scenario of the same name was overwritten without asking")
    assert load_scenario(first).weights["volume"] == 1
    assert save_named_scenario(Scenario(name="Taller A", weights={"volume": 3}), tmp_path, replace=True) == first
    assert load_scenario(first).weights["volume"] == 3 and load_scenario(other).weights["volume"] == 2


def test_the_autosave_carries_a_revision_and_a_stale_session_cannot_overwrite_it(tiny, tmp_path):
    from kamlib.scenarios.store import StaleAutosaveError, read_autosave

    weights = {"volume": 1, "growth": 2, "service": 3, "incidents": 4}
    assert read_autosave(tmp_path, tiny) == (None, 0)  # nothing saved yet: revision 0
    assert save_state(WorkshopState(weights=weights), tmp_path, 0) == 1
    assert yaml.safe_load((tmp_path / AUTOSAVE).read_text(encoding="utf-8"))["revision"] == 1
    assert read_autosave(tmp_path, tiny) == (WorkshopState(weights=weights), 1)
    # Two tabs loaded revision 1; the first to change writes revision 2 ...
    assert save_state(WorkshopState(weights=weights | {"volume": 60}), tmp_path, 1) == 2
    # ... and the other, which still shows revision 1, is refused: the file keeps the newer state.
    try:
        save_state(WorkshopState(weights=weights | {"volume": 0}), tmp_path, 1)
    except StaleAutosaveError as exc:
        assert "2" in exc.render("en") and "2" in exc.render("es")
    else:
        raise AssertionError("a stale session overwrote a newer autosave")
    assert read_autosave(tmp_path, tiny).state.weights["volume"] == 60
    assert save_state(WorkshopState(weights=weights), tmp_path, 2) == 3  # the session that wrote 2 goes on
    assert save_state(WorkshopState(weights=weights), tmp_path) == 4  # no revision given: a script, it writes
    # An autosave from before revisions counts as revision 0; a different engagement's still has its revision.
    (tmp_path / AUTOSAVE).write_text(yaml.safe_dump({"weights": weights}), encoding="utf-8")
    assert read_autosave(tmp_path, tiny) == (WorkshopState(weights=weights), 0)
    (tmp_path / AUTOSAVE).write_text(yaml.safe_dump({"revision": 7, "weights": {"other": 1}}), encoding="utf-8")
    assert read_autosave(tmp_path, tiny) == (None, 7)
