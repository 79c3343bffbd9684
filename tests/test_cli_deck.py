"""`kam deck`: the consultants' PowerPoint deck from the command line (the deck itself: tests/test_deck.py)."""

from __future__ import annotations

from pptx import Presentation

from kamlib import cli


def test_deck_of_chosen_accounts(tiny_path, tmp_path, capsys) -> None:
    out = tmp_path / "taller.pptx"
    assert cli.main(["--lang", "en", "deck", str(tiny_path), "--account", "A3", "A1", "--out", str(out)]) == 0
    assert capsys.readouterr().err.strip() == str(out)
    titles = [s.shapes.title.text for s in Presentation(out).slides if s.shapes.title is not None]
    assert titles[1] == "Account analysis matrix"
    account_titles = [t for t in titles if t.startswith(("Distribuciones Cantábrico", "Supermercados Peñíscola"))]
    assert account_titles[0].startswith("Distribuciones Cantábrico") and account_titles[-1].startswith("Supermercados")
    assert not any(t.startswith("Hoteles Mirasol") for t in titles)  # only the accounts asked for


def test_bad_input_exits_2_without_a_file(tiny_path, tmp_path, capsys) -> None:
    out = tmp_path / "deck.pptx"
    assert cli.main(["--lang", "es", "deck", str(tiny_path), "--account", "A9", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("no existe la cuenta 'A9'; existentes: A1, A2, A3, A4")
    assert cli.main(["deck", str(tiny_path), "--out", str(tmp_path / "deck.pdf")]) == 2
    assert "allowed: a name ending in .pptx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
