"""The `kam` command: a thin shell that parses, calls one kamlib function, and prints.

Bad input exits 2 with one line per problem on stderr and no traceback; nothing is written then. The help,
argparse's own words and errors, messages and findings follow `--lang` (given anywhere on the line), else
`KAM_LANG`, else the system's locale (`es_*` is Spanish), else English.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

from kamlib.cli.commands import COMMANDS, os_error_text
from kamlib.cli.parser import build_parser
from kamlib.cli.spanish import scan_lang, translate_argparse
from kamlib.errors import KamError, KamWarning
from kamlib.i18n import default_lang

__all__ = ["build_parser", "main", "scan_lang", "translate_argparse"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `kam` command line; return the exit code (0 ok, 2 bad input)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = scan_lang(argv) or default_lang()  # known before parsing: the help and argparse's errors are in it
    args = build_parser(lang).parse_args(argv)
    args.given_lang = args.lang  # a deliverable's language: this, else the engagement's (`Identity.lang`)
    lang = args.lang = args.lang or lang
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KamWarning)
        try:
            code = COMMANDS[args.command](args)
        except KamError as exc:
            print(exc.render(lang), file=sys.stderr)
            code = 2
        except BrokenPipeError:  # e.g. `kam score WB | head`: the reader has what it wanted
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            code = 0
        except OSError as exc:
            print(os_error_text(exc, lang), file=sys.stderr)
            code = 2
        except MemoryError:  # a last resort: the readers refuse files beyond their limits before this
            es = "no hay memoria suficiente para esta orden; nada se ha escrito a medias"
            print(
                es if lang == "es" else "not enough memory for this command; nothing was half-written", file=sys.stderr
            )
            code = 2
    said = dict.fromkeys(w.message.render(lang) for w in caught if isinstance(w.message, KamWarning))
    for message in said:  # a warning raised twice (e.g. by both scorings of kam compare) is said once
        print(("aviso: " if lang == "es" else "warning: ") + message, file=sys.stderr)
    return code
