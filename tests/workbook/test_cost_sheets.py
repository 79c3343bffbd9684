"""What the workbook says about the cost to serve: each KAM's hourly cost (or the engagement's one rate), each
account's gross margin, and the optional `cost_to_serve` sheet — read, typed and refused with one message each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import kamlib
from kamlib.errors import WorkbookError
from tests.conftest import ROOT, copy_book

TINY = ROOT / "tests" / "data" / "tiny"


def book(tmp_path: Path, **files: str) -> Path:
    """A copy of the tiny workbook with these CSV files written over it (name → text)."""
    return copy_book(TINY, tmp_path / "libro", **files)


KAMS = 'kam_id,name,capacity_hours,cost_per_hour\nK1,María Núñez,1650,"62,5"\nK2,Jordi Ibáñez,1700,\n'
ACCOUNTS = (
    "account_id,name,sector,kam_id,revenue,gross_margin\n"
    "A1,Supermercados Peñíscola,gran distribución,K1,2500000,612500\n"
    "A2,Hoteles Mirasol,horeca,K1,640000,-3000\n"
    "A3,Distribuciones Cantábrico,mayoristas,K2,1200000,\n"
    "A4,Épicerie Lumière,exportación,K2,180000,\n"
)
COSTS = 'account_id,item,amount,period\nA1,logística,"100.000",2026\nA1,rápeles,50000,\nA2,muestras,"1,5",2026\n'


def test_the_rates_margins_and_costs_are_read_as_numbers(tmp_path: Path) -> None:
    engagement = kamlib.load(
        book(tmp_path, kams=KAMS, accounts=ACCOUNTS, cost_to_serve=COSTS, engagement="key,value\ncoste hora,55\n")
    )
    assert engagement.identity.cost_per_hour == 55.0
    assert engagement.kams["cost_per_hour"].fillna(-1).tolist() == [62.5, -1]
    assert engagement.accounts["gross_margin"].fillna(np.inf).tolist() == [612_500.0, -3000.0, np.inf, np.inf]
    costs = engagement.cost_to_serve
    assert costs[["account_id", "item", "amount"]].values.tolist() == [
        ["A1", "logística", 100_000.0], ["A1", "rápeles", 50_000.0], ["A2", "muestras", 1.5]]  # fmt: skip
    assert costs["period"].tolist() == ["2026", None, "2026"]
    assert "cost to serve: 3 rows on 2 accounts" in engagement.summary("en")


def test_without_them_nothing_changes(tmp_path: Path) -> None:
    engagement = kamlib.load(TINY)
    assert engagement.identity.cost_per_hour is None and engagement.cost_to_serve.empty
    assert engagement.kams["cost_per_hour"].isna().all() and engagement.accounts["gross_margin"].isna().all()


def test_bad_costs_get_one_message_each(tmp_path: Path) -> None:
    kams = KAMS.replace('"62,5"', "-1")
    costs = COSTS + "A9,logística,10,2026\nA3,,10,\nA4,logística,-5,\nA4,muestras,mucho,\n"
    accounts = ACCOUNTS.replace("-3000", "n/d")
    folder = book(tmp_path, kams=kams, accounts=accounts, cost_to_serve=costs,
                  engagement="key,value\ncost_per_hour,-2\n")  # fmt: skip
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    expected = [
        ('sheet "engagement", row 2, column "value"', "got '-2'; allowed: an amount ≥ 0 in the engagement's currency"),
        ('sheet "accounts", row 3, column "gross_margin"', "got 'n/d'; allowed: a number"),
        ('sheet "kams", row 2, column "cost_per_hour"', "got -1; allowed: a number ≥ 0"),
        ('sheet "cost_to_serve", row 6, column "item"', "empty cell"),
        ('sheet "cost_to_serve", row 7, column "amount"', "got -5; allowed: a number ≥ 0"),
        ('sheet "cost_to_serve", row 8, column "amount"', "got 'mucho'; allowed: a number"),
        ('sheet "cost_to_serve", row 5, column "account_id"', "unknown account 'A9'; known: A1, A2, A3, A4"),
    ]
    assert len(lines) == len(expected), lines
    for where, what in expected:
        assert any(where in line and what in line for line in lines), (where, what, lines)
