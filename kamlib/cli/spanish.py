"""argparse in Spanish: its own words (usage, headings, errors) for `kam --lang es`, without a system gettext
catalogue; and where on a command line the language is asked for, before any parsing."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from functools import cache
from typing import NoReturn

from kamlib.i18n import LANGS

# --- argparse's own words ---------------------------------------------------------------------------

ARGPARSE_ES = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos posicionales",
    "options": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "faltan argumentos obligatorios: %s",
    "one of the arguments %s is required": "hace falta uno de los argumentos %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "valor no admitido %(value)r; se admite: %(choices)s",
    "invalid %(type)s value: %(value)r": "valor no válido %(value)r; se admite: %(type)s",
    "expected one argument": "falta su valor",
    "expected at most one argument": "se admite como mucho un valor",
    "expected at least one argument": "falta al menos un valor",
    "expected %s argument": "se espera %s valor",
    "expected %s arguments": "se esperan %s valores",
    "not allowed with argument %s": "no se admite junto con %s",
    "ignored explicit argument %r": "esta opción no lleva valor: %r",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
}
"""argparse's own words in Spanish, keyed by its English text: its gettext message ids, the same in Python 3.11
to 3.13. argparse has no catalogue of its own and kamlib does not touch the process's gettext: the headings and
the usage prefix are put in by `SpanishHelpFormatter`, the help option by `Parser`, and its errors, which
reach `Parser.error` already written in English, are matched against these texts and rewritten."""
_TYPE_WORDS_ES = {"int": "un número entero", "float": "un número"}
"""What an option of each type (argparse's `invalid %(type)s value`) admits, in Spanish."""
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[rs]")


@cache
def _english_pattern(english: str) -> re.Pattern[str]:
    """Compile the pattern an argparse message written from `english` matches, a named group per placeholder."""
    parts = _PLACEHOLDER.split(english)
    literals, names = parts[0::2], [name or f"_{i}" for i, name in enumerate(parts[1::2])]
    groups = [f"(?P<{name}>.*?)" for name in names] + [""]
    return re.compile("".join(re.escape(text) + group for text, group in zip(literals, groups, strict=True)), re.S)


def translate_argparse(message: str) -> str:
    """Translate argparse's English error `message` into Spanish; leave one it does not know as it is.

    >>> translate_argparse("argument --draws: invalid int value: 'x'")
    "argumento --draws: valor no válido 'x'; se admite: un número entero"
    """
    for english, spanish in ARGPARSE_ES.items():
        match = _english_pattern(english).fullmatch(message)
        if match is not None:
            return _fill(spanish, match.groupdict())
    return message


def _fill(spanish: str, values: dict[str, str]) -> str:
    """Put the values argparse wrote into its Spanish text; an argument's own message is said in Spanish too."""
    if "message" in values:
        values["message"] = translate_argparse(values["message"])
    if "type" in values:
        values["type"] = _TYPE_WORDS_ES.get(values["type"], values["type"])
    positional = iter(value for name, value in values.items() if name.startswith("_"))
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) else next(positional), spanish)


class SpanishHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its own words in Spanish: the usage prefix and the section headings."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # argparse's signature
        super().add_usage(usage, actions, groups, ARGPARSE_ES["usage: "] if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(ARGPARSE_ES.get(heading, heading))


class Parser(argparse.ArgumentParser):
    """An `ArgumentParser` that writes its help and its errors in `lang` (its subcommands are parsers like it)."""

    def __init__(self, *args, lang: str = "en", **kwargs) -> None:  # argparse's own arguments, and `lang`
        self.lang = lang
        spanish = lang == "es"
        formatter = SpanishHelpFormatter if spanish else argparse.HelpFormatter
        super().__init__(*args, add_help=False, formatter_class=formatter, **kwargs)
        shown = "show this help message and exit"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=ARGPARSE_ES[shown] if spanish else shown
        )

    def error(self, message: str) -> NoReturn:
        """Print the usage and `message` in the parser's language on stderr and exit 2 (argparse's contract)."""
        super().error(translate_argparse(message) if self.lang == "es" else message)


def scan_lang(argv: Sequence[str]) -> str | None:
    """Find the language `--lang X` or `--lang=X` asks for, wherever it stands (the last one wins, as in parsing),
    or None: known before the parser is built, so that the help is written in it.

    >>> scan_lang(["score", "WB", "--lang", "es"]), scan_lang(["--lang=en", "validate"]), scan_lang(["-h"])
    ('es', 'en', None)
    """
    found = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found if found in LANGS else None


# --- the parser: every text a pair (English, Spanish) ----------------------------------------------
