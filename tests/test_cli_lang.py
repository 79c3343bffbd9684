"""`kam` in Spanish (issue 19): the help of every command, argparse's own words and errors, and how the language
is chosen: `--lang` anywhere on the line, else `KAM_LANG`, else the system's locale, else English."""

from __future__ import annotations

import argparse
import re

import pytest

from kamlib.cli import build_parser, scan_lang, translate_argparse
from kamlib.cli import commands as cli_commands
from tests.kam import run_kam

COMMANDS = list(build_parser()._subparsers._group_actions[0].choices)
ARGPARSE_ENGLISH = ("usage:", "positional arguments:", "options:", "show this help message and exit")
SAME_WORDS = {"KAM", "ID", "TOKEN"}
"""Metavars that are the same word in both languages."""


@pytest.fixture(autouse=True)
def english_system(monkeypatch):
    """A system in English with no `KAM_LANG`, and help lines that are never wrapped (so texts can be compared)."""
    for name in ("KAM_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("COLUMNS", "1000")


def texts(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """Every help text and metavar of `parser` and of its subcommands, as (where, text), in the parser's order."""
    found = [("description", parser.description or "")]
    for action in parser._actions:
        where = "/".join(action.option_strings) or action.dest
        found += [(f"{where} help", action.help or ""), (f"{where} metavar", action.metavar or "")]
        if isinstance(action, argparse._SubParsersAction):
            found += [(f"{choice.dest} help", choice.help or "") for choice in action._choices_actions]
            for name, sub in action.choices.items():
                found += [(f"{name} {where}", text) for where, text in texts(sub)]
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_help_text_and_word_has_its_spanish_pair():
    english, spanish = texts(build_parser("en")), texts(build_parser("es"))
    assert [where for where, _ in english] == [where for where, _ in spanish]  # one parser, two languages
    same = [
        (where, en)
        for (where, en), (_, es) in zip(english, spanish, strict=True)
        if en and en == es and en not in SAME_WORDS
    ]
    assert same == []
    assert all(es for (_, en), (_, es) in zip(english, spanish, strict=True) if en)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_spanish_help_has_no_english_left(command):
    result = run_kam("--lang", "es", *command.split(), "--help")
    assert result.returncode == 0 and result.stderr == ""
    shown = flat(result.stdout)
    english = {text for _, text in texts(build_parser("en")) if text.isupper() or " " in text} - SAME_WORDS
    assert [text for text in english if re.search(rf"(?<![\w-]){re.escape(flat(text))}(?![\w-])", shown)] == []
    assert [word for word in ARGPARSE_ENGLISH if word in shown] == []
    assert shown.startswith(f"uso: kam {command}".strip())
    assert "opciones: -h, --help muestra esta ayuda y termina" in shown
    assert "--lang {es,en} idioma de los mensajes, las etiquetas y esta ayuda" in shown


def test_spanish_help_of_the_top_level_and_of_score():
    top = flat(run_kam("--lang", "es", "--help").stdout)
    assert "uso: kam [-h] [--lang {es,en}] ORDEN ..." in top
    assert "argumentos posicionales: ORDEN validate revisa un libro y enumera cada problema" in top
    assert "score sitúa cada cuenta en la matriz" in top
    assert "deck escribe la presentación PowerPoint de los consultores" in top
    assert "serve sirve los cuadros de mando de un encargo" in top
    score = flat(run_kam("--lang", "es", "score", "--help").stdout)
    assert "libro libro del encargo: .xlsx o carpeta de archivos CSV" in score
    assert "--scenario ESCENARIO YAML de escenario con pesos y líneas de corte" in score
    assert "--cut-potential CORTE línea de corte del potencial: un número de 0 a 10 o median" in score


def test_english_help_is_as_it_was():
    top = flat(run_kam("--help").stdout)
    assert top.startswith("usage: kam [-h] [--lang {es,en}] COMMAND ...")
    assert "positional arguments: COMMAND validate check a workbook and list every problem" in top
    assert "options: -h, --help show this help message and exit" in top
    score = flat(run_kam("score", "--help").stdout)
    assert score.startswith("usage: kam score [-h] [--scenario SCENARIO] [--period PERIOD]")
    assert "workbook engagement .xlsx or folder of CSV files" in score
    assert "--chart CHART matrix chart to write: .html (offline), .svg, .png or .json; may be repeated" in score
    robustness = flat(run_kam("robustness", "--help").stdout)  # a bare % in a help text once broke this one
    assert "--bounds BOUNDS YAML of criterion_id: [min, max], percent of its axis" in robustness


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "es", "score", "--help"),
        ("score", "--lang", "es", "--help"),
        ("score", "--help", "--lang=es"),
        ("--lang=es", "time", "--help"),
    ],
)
def test_lang_anywhere_on_the_line_sets_the_help(args):
    result = run_kam(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("uso: kam ")


def test_kam_lang_and_the_system_locale_choose_spanish_and_lang_overrides(monkeypatch):
    assert run_kam("score", "--help").stdout.startswith("usage: kam score")
    monkeypatch.setenv("LANG", "es_ES.UTF-8")  # no KAM_LANG: the system's locale
    assert run_kam("score", "--help").stdout.startswith("uso: kam score")
    assert run_kam("--lang", "en", "score", "--help").stdout.startswith("usage: kam score")
    assert run_kam("score", "--help", "--lang", "en").stdout.startswith("usage: kam score")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("KAM_LANG", "es")
    assert run_kam("score", "--help").stdout.startswith("uso: kam score")
    assert run_kam("score", "--lang", "en", "--help").stdout.startswith("usage: kam score")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "kam: error: faltan argumentos obligatorios: ORDEN"),
        (("scor",), "kam: error: argumento ORDEN: valor no admitido 'scor'; se admite: 'validate', 'template'"),
        (("score",), "kam score: error: faltan argumentos obligatorios: libro"),
        (("score", "WB", "--period"), "kam score: error: argumento --period: falta su valor"),
        (("robustness", "WB", "--draws", "x"), "argumento --draws: valor no válido 'x'; se admite: un número entero"),
        (("robustness", "WB", "--seed", "1.5"), "argumento --seed: valor no válido '1.5'; se admite: un número entero"),
        (("ingest", "L", "WB", "--wait", "x"), "argumento --wait: valor no válido 'x'; se admite: un número"),
        (
            ("robustness", "WB", "--uniform", "--concentration", "3"),
            "--concentration: no se admite junto con --uniform",
        ),
        (("robustness", "WB", "--uniform=3"), "argumento --uniform: esta opción no lleva valor: '3'"),
        (("deck", "WB", "--account"), "argumento --account: falta al menos un valor"),
        (("template", "t.xlsx", "--kind", "x"), "argumento --kind: valor no admitido 'x'; se admite: 'workbook', "),
        (("score", "WB", "--bogus"), "kam: error: argumentos no reconocidos: --bogus"),
    ],
)
def test_argparse_errors_in_spanish_exit_2(args, message):
    result = run_kam("--lang", "es", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("uso: kam")
    assert "Traceback" not in result.stderr and "usage" not in result.stderr and "argument " not in result.stderr


def test_argparse_errors_stay_in_english_without_spanish():
    result = run_kam("scor")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: kam")
    assert "kam: error: argument COMMAND: invalid choice: 'scor' (choose from 'validate'," in result.stderr


def test_an_unknown_lang_is_refused_in_the_default_language(monkeypatch):
    result = run_kam("--lang", "fr", "validate", "WB")
    assert result.returncode == 2 and "argument --lang: invalid choice: 'fr'" in result.stderr
    monkeypatch.setenv("KAM_LANG", "es")
    result = run_kam("--lang", "fr", "validate", "WB")
    assert result.returncode == 2 and "argumento --lang: valor no admitido 'fr'; se admite: 'es', 'en'" in result.stderr


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("expected one argument", "falta su valor"),
        ("argument -x: expected 2 arguments", "argumento -x: se esperan 2 valores"),
        (
            "argument --f: ambiguous option: --f could match --fa, --fb",
            "argumento --f: opción ambigua: --f puede ser --fa, --fb",
        ),
        ("one of the arguments --a --b is required", "hace falta uno de los argumentos --a --b"),
        ("argument X: invalid Path value: 'y'", "argumento X: valor no válido 'y'; se admite: Path"),
        ("something argparse says one day", "something argparse says one day"),  # unknown: left as it is
    ],
)
def test_translate_argparse(english, spanish):
    assert translate_argparse(english) == spanish


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["--lang", "es", "score"], "es"),
        (["score", "WB", "--lang", "en"], "en"),
        (["score", "--lang=es"], "es"),
        (["--lang", "es", "score", "--lang", "en"], "en"),  # the last one wins, as when parsing
        (["score", "--lang"], None),
        (["--lang", "fr"], None),
        (["validate", "--", "--lang", "es"], None),
        ([], None),
    ],
)
def test_the_lang_is_read_before_parsing(argv, lang):
    assert scan_lang(argv) == lang


def test_deliverables_keep_the_given_lang_apart(monkeypatch):
    seen = []
    monkeypatch.setitem(cli_commands.COMMANDS, "deck", lambda args: seen.append((args.lang, args.given_lang)) or 0)
    monkeypatch.setenv("KAM_LANG", "es")
    assert run_kam("deck", "WB").returncode == 0
    assert run_kam("deck", "WB", "--lang", "en").returncode == 0
    assert run_kam("--lang", "es", "deck", "WB").returncode == 0
    assert seen == [("es", None), ("en", "en"), ("es", "es")]  # None: the engagement's own language


def test_os_errors_are_said_in_spanish():
    error = FileNotFoundError(2, "No such file or directory", "x.csv")
    assert cli_commands.os_error_text(error, "es") == "x.csv: no existe ese archivo ni carpeta"
    assert cli_commands.os_error_text(error, "en") == "x.csv: No such file or directory"
