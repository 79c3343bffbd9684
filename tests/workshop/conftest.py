"""A workshop of the tiny engagement for each test: its own copy of the workbook, a clock that ticks a second at
each reading, three listed participants and the score items of account A1."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kamlib.workshop import Issued, WorkshopStore, workshop_path
from tests.conftest import copy_tiny

PEOPLE = [
    {"code": "ana", "name": "Ana Peña", "side": "ours"},
    {"code": "ben", "name": "Ben", "side": "ours"},
    {"code": "cai", "name": "Cai", "side": ""},
]
"""Three listed participants of the supplier; Cai sits on no side (counted as ours)."""


class Ticks:
    """A clock that moves one second at each reading, from 2026-03-01 09:00:00 UTC."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of the tiny engagement (accounts A1–A4; volume and growth 1–10 on potential, service 0–5 and
    incidents 0–20 on position)."""
    return copy_tiny(tmp_path / "tiny")


@pytest.fixture
def make_store(workbook, tiny):
    """Start a workshop of the copy (anonymous or not); every store made is closed after the test."""
    made: list[WorkshopStore] = []

    def make(anonymous: bool = False) -> WorkshopStore:
        store = WorkshopStore.create(
            workshop_path(workbook), workbook, tiny.accounts, tiny.criteria, anonymous=anonymous, clock=Ticks()
        )
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(make_store) -> WorkshopStore:
    return make_store()


@pytest.fixture
def people(store) -> dict[str, Issued]:
    """Ana, Ben and Cai, each with a token, by code."""
    return {issued.participant.code: issued for issued in store.add_participants(PEOPLE)}


@pytest.fixture
def cells(store) -> dict[str, int]:
    """Account A1's four score items, open, by criterion: volume 1, growth 2, service 3, incidents 4."""
    added = store.add_score_items([("A1", c) for c in ("volume", "growth", "service", "incidents")])
    store.open_items([item.item_id for item in added])
    return {item.criterion_id: item.item_id for item in added}


def stored_answers(path: Path) -> list[tuple]:
    """Every answer row in the file, read by a connection of its own: (participant code, item, round, value,
    dont_know, received_at), by item, round and code."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT p.code, a.item_id, a.round, a.value, a.dont_know, a.received_at FROM answer AS a "
            "JOIN participant AS p USING (participant_id) ORDER BY a.item_id, a.round, p.code"
        ).fetchall()
