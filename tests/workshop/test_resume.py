"""A workshop file per workbook: resumed on the same workbook, refused on another, never started twice."""

import shutil
import sqlite3

import pytest

import kamlib
from kamlib.engagement import PACKAGE, SAMPLE_PATH
from kamlib.errors import KamError
from kamlib.workshop import WorkshopStore, workshop_path
from tests.workshop.conftest import stored_answers


def test_the_file_sits_beside_the_workbook(tmp_path):
    assert workshop_path(tmp_path / "acme.xlsx") == tmp_path / "acme.xlsx.workshop.sqlite"
    assert workshop_path(tmp_path / "data" / "sample") == tmp_path / "data" / "sample.workshop.sqlite"


def test_the_bundled_samples_workshop_goes_to_the_users_data_folder(tmp_path, monkeypatch, sample_path):
    monkeypatch.setenv("KAM_DATA", str(tmp_path / "kam-data"))
    path = workshop_path(SAMPLE_PATH)
    assert path == tmp_path / "kam-data" / "sample" / "sample.workshop.sqlite"
    assert not path.is_relative_to(PACKAGE)
    sample = kamlib.load(sample_path)
    with WorkshopStore.create(path, SAMPLE_PATH, sample.accounts, sample.criteria) as store:
        assert store.session.workbook == SAMPLE_PATH.resolve()
    assert path.is_file()


def test_a_folder_that_is_not_there_is_named(tmp_path, workbook, tiny):
    with pytest.raises(
        KamError, match=r"w.sqlite: the workshop file cannot be opened \(unable to open database file\)"
    ):
        WorkshopStore.create(tmp_path / "nope" / "w.sqlite", workbook, tiny.accounts, tiny.criteria)


def test_a_resumed_workshop_continues_where_it_stopped(make_store, workbook, tiny):
    store = make_store(anonymous=True)
    ana = store.add_participants([{"code": "ana", "name": "Ana"}])[0].token
    items = store.add_score_items([("A1", "volume"), ("A2", "volume")])
    store.open_items([items[0].item_id])
    store.answer(ana, items[0].item_id, 6)
    store.reveal_items([items[0].item_id])
    store.reopen_items([items[0].item_id])
    session, before = store.session, stored_answers(store.path)
    store.close()
    with WorkshopStore.resume(workshop_path(workbook), workbook) as again:
        assert again.session == session and again.session.anonymous
        assert stored_answers(again.path) == before
        assert [(i.round, i.state) for i in again.items()] == [(2, "open"), (1, "pending")]
        assert again.participant_by_token(ana).code == "ana"  # the links handed out still work
        assert again.answer(ana, items[0].item_id, 7).round == 2
        assert not again.workbook_changed()
        with pytest.raises(KamError, match="got 11; allowed: a number from 1 to 10"):  # the same checks as before
            again.answer(ana, items[0].item_id, 11)
        (workbook / "scores.csv").write_text("account_id,criterion_id,score\n", encoding="utf-8")
        assert again.workbook_changed()


def test_a_workshop_of_another_workbook_is_refused(store, workbook, tmp_path):
    other = shutil.copytree(workbook, tmp_path / "other")
    with pytest.raises(
        KamError, match=rf"this is a workshop of the workbook {workbook}, not {other}; nothing was changed"
    ) as caught:
        WorkshopStore.resume(store.path, other)
    assert f"es un taller del libro {workbook}, no de {other}" in caught.value.render("es")


def test_a_second_start_is_refused_and_changes_nothing(store, people, cells, workbook, tiny):
    store.answer(people["ana"].token, cells["volume"], 4)
    before = stored_answers(store.path)
    started = r"\(started 2026-03-01T09:00:01\.000000\+00:00; answers stored: 1\)"
    message = rf"already holds a workshop of .*tiny {started}; nothing was changed; continue it with --resume"
    with pytest.raises(KamError, match=message) as caught:
        WorkshopStore.create(store.path, workbook, tiny.accounts, tiny.criteria)
    assert "continúelo con --resume" in caught.value.render("es")
    assert stored_answers(store.path) == before
    assert store.answer(people["ana"].token, cells["volume"], 5).value == 5.0  # the running store is unharmed


def test_nothing_to_resume_is_said(tmp_path, workbook):
    with pytest.raises(KamError, match="no workshop to resume here; start one without --resume"):
        WorkshopStore.resume(tmp_path / "none.sqlite", workbook)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"")
    with pytest.raises(KamError, match="the file holds no workshop; start one without --resume"):
        WorkshopStore.resume(empty, workbook)


def test_bad_accounts_or_criteria_start_nothing(tmp_path, workbook, tiny):
    path = tmp_path / "w.sqlite"
    with pytest.raises(KamError, match="the criteria have no column 'axis'"):
        WorkshopStore.create(path, workbook, tiny.accounts, tiny.criteria.drop(columns="axis"))
    twice = tiny.accounts.iloc[[0, 0]]
    with pytest.raises(KamError, match="the accounts' ids must be given, each once; got A1, A1"):
        WorkshopStore.create(path, workbook, twice, tiny.criteria)
    with pytest.raises(KamError, match="unknown language 'fr'"):
        WorkshopStore.create(path, workbook, tiny.accounts, tiny.criteria, lang="fr")
    assert not path.exists()
