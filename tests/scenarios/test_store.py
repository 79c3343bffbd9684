"""The workshop's saved scenarios and autosave."""

from pathlib import Path

import yaml

from kamlib.engagement import PACKAGE, SAMPLE_PATH
from kamlib.scenarios.scenario import Scenario, save_scenario
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
    for name in ("../../x", "/etc/passwd", "con", "a/b\\c", "…", "Ñandú 2026"):
        path = scenario_file(tmp_path, name)
        assert path.parent == tmp_path and path.suffix == ".yaml" and "/" not in path.stem
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
    path = save_state(state, tmp_path)
    assert path == tmp_path / AUTOSAVE
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
