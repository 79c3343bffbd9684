"""`kam select`: the proposed key-account list, who enters and who leaves; bad requests exit 2 and write nothing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kamlib import cli
from kamlib.plan.selection import DEFAULT_SELECTION_CRITERIA
from tests.kam import run_kam

IDS = [c.criterion_id for c in DEFAULT_SELECTION_CRITERIA]


@pytest.fixture
def book(tmp_path, tiny_path):
    """tiny (key accounts A1–A4) with customers and selection scores, worked by hand in tests/test_selection.py:
    A1 10 stays, C1 8.33 enters, A3 5.0 stays (on the cut-off), C2 1.67 out, A2 0 leaves; A4 not assessed."""
    folder = tmp_path / "book"
    shutil.copytree(tiny_path, folder)
    customers = "customer_id,name,sector,revenue\n" + "".join(
        f"{cid},{name},horeca,1000\n"
        for cid, name in [
            ("A1", "Supermercados Peñíscola"),
            ("A2", "Hoteles Mirasol"),
            ("A3", "Distribuciones Cantábrico"),
            ("C1", "Conservas Ñora"),
            ("C2", "Bodegas Ébano"),
        ]
    )
    (folder / "customers.csv").write_text(customers, encoding="utf-8")
    rows = [f"A1,{c},10" for c in IDS] + [f"A2,{c},1" for c in IDS] + [f'A3,{c},"5,5"' for c in IDS]
    rows += [f"C1,{IDS[0]},10", f"C1,{IDS[1]},7", f"C2,{IDS[0]},4", f"C2,{IDS[2]},1"]
    (folder / "selection_scores.csv").write_text(
        "customer_id,criterion_id,score\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return folder


def test_select_end_to_end_prints_the_changes_and_writes_every_customer(book, tmp_path):
    out = tmp_path / "selection.csv"
    result = run_kam("select", book, "--out", out)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "3 customers proposed (score ≥ 5.0): 2 stay, 1 enters; 1 of today's key accounts would leave. Not judged: "
        "1 of today's key accounts is not among the customers assessed (A4)"
    )
    assert lines[1:] == [
        "Enter (1):",
        "  C1 Conservas Ñora: 8.3 (Volume and scalability +2.5; Profitability +0.8)",
        "Leave (1):",
        "  A2 Hoteles Mirasol: 0.0 (Volume and scalability −1.0; Profitability −1.0)",
    ]
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["customer_id"].tolist() == ["A1", "C1", "A3", "C2", "A2", "A4"]
    assert table["status"].tolist() == ["stays", "enters", "stays", "out", "leaves", "not_assessed"]
    assert table.loc[1, "composite"] == pytest.approx(25 / 3)
    assert result.stderr.strip() == str(out)


def test_select_hands_its_options_to_the_library(monkeypatch, book, capsys):
    seen = {}

    def fake_select(engagement, cutoff, top, weights, period):
        seen.update(name=engagement.name, cutoff=cutoff, top=top, weights=weights, period=period)
        raise cli.KamError("stop here", "parar aquí")

    monkeypatch.setattr("kamlib.plan.selection.select_accounts", fake_select)
    args = ["select", str(book), "--cutoff", "6,5", "--weight", "profitability=2", "--weight", " market_access = 0,5"]
    assert cli.main([*args, "--period", "2026"]) == 2
    assert seen == {
        "name": "book",
        "cutoff": 6.5,
        "top": None,
        "weights": {"profitability": 2.0, "market_access": 0.5},
        "period": "2026",
    }
    assert cli.main(["select", str(book), "--top", "3"]) == 2
    assert seen["top"] == 3 and seen["weights"] is None and seen["cutoff"] == 5.0
    assert "stop here" in capsys.readouterr().err


def test_top_n_in_spanish(book, capsys):
    assert cli.main(["--lang", "es", "select", str(book), "--top", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        "1 cliente propuesto (el mejor): 1 se queda, 0 entran; 2 de las cuentas clave de hoy saldrían."
    )
    assert out[1:] == [
        "Entran: ninguno",
        "Salen (2):",
        "  A3 Distribuciones Cantábrico: 5,0 (Volumen y escalabilidad −1,0; Rentabilidad −1,0)",
        "  A2 Hoteles Mirasol: 0,0 (Volumen y escalabilidad −2,0; Rentabilidad −2,0)",
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cutoff", "11"], "cut-off 11 is not allowed; allowed: a number from 0 to 10"),
        (["--cutoff", "alto"], "--cutoff 'alto': allowed: a number from 0 to 10"),
        (["--top", "0"], "top 0 is not allowed; allowed: a whole number ≥ 1"),
        (["--top", "2.5"], "--top '2.5': allowed: a whole number ≥ 1"),
        (["--weight", "profitability"], "--weight 'profitability': allowed: ID=WEIGHT, a selection criterion's id"),
        (["--weight", "profitability=mucho"], "--weight 'profitability=mucho': allowed: ID=WEIGHT"),
        (["--weight", "=2"], "--weight '=2': allowed: ID=WEIGHT"),
        (["--weight", "profitability=-1"], "weight -1.0 of criterion 'profitability' is not allowed"),
        (
            ["--weight", "rentabilidad=2"],
            "unknown criterion 'rentabilidad' in the weights; known: volume_scalability, profitability",
        ),
        (["--weight", "profitability=1", "--weight", "profitability=2"], "criterion 'profitability' is given twice"),
        (["--out", "s.txt"], "unsupported table format '.txt'"),
    ],
)
def test_bad_requests_exit_2_with_one_message_and_write_nothing(book, tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = extra if "--out" in extra else [*extra, "--out", "s.csv"]
    assert cli.main(["select", str(book), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cutoff_and_top_together_are_refused(book):
    result = run_kam("select", book, "--cutoff", "5", "--top", "3")
    assert result.returncode == 2 and "not allowed with argument" in result.stderr and "Traceback" not in result.stderr


def test_a_workbook_without_customers_says_what_to_add(tiny_path, tmp_path, capsys):
    folder = shutil.copytree(tiny_path, tmp_path / "tiny")
    for sheet in ("customers", "selection_scores"):
        (folder / f"{sheet}.csv").unlink()
    assert cli.main(["--lang", "es", "select", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith('no hay clientes entre los que seleccionar cuentas clave: añada una hoja "customers"')


def test_a_selection_score_outside_its_scale_is_a_workbook_problem(book, capsys):
    scores = book / "selection_scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("C1,profitability,7", "C1,profitability,70"), "utf-8")
    assert cli.main(["select", str(book)]) == 2
    assert capsys.readouterr().err.strip() == (
        'book/selection_scores.csv, sheet "selection_scores", row 18, column "score": got 70; allowed: 1 to 10 '
        '(criterion "profitability").'
    )
