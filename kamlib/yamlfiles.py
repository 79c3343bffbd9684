"""Small YAML files people edit by hand (scenarios, the time reference): read them, explain pydantic's errors.

Every message names the file and the field, in Spanish and English, and never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kamlib.errors import KamError

COMMON_MESSAGES: Mapping[str, tuple[str, str]] = {
    "greater_than_equal": ("allowed: a number ≥ {ge}", "se admite: un número ≥ {ge}"),
    "less_than_equal": ("allowed: a number ≤ {le}", "se admite: un número ≤ {le}"),
    "float_parsing": ("allowed: a number", "se admite: un número"),
    "float_type": ("allowed: a number", "se admite: un número"),
    "finite_number": ("allowed: a finite number", "se admite: un número finito"),
    "string_type": ("allowed: text", "se admite: texto"),
    "string_too_short": ("allowed: a non-empty text", "se admite: un texto no vacío"),
    "model_type": ("allowed: a mapping", "se admite: un mapa"),
}
"""Plain words for pydantic's error types that every file shares; each file adds its own."""


def read_yaml_mapping(path: Path | str, what: tuple[str, str], expected: tuple[str, str]) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; raise `KamError` naming the file otherwise.

    `what` names the kind of file (en, es), `expected` its fields (en, es), for the messages.
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise KamError(f"{path}: no such {what[0]} file", f"{path}: no existe ese archivo de {what[1]}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise KamError(
            f"{path.name}: not a readable YAML file ({first})", f"{path.name}: no es un archivo YAML legible ({first})"
        ) from None
    if not isinstance(data, dict):
        raise KamError(
            f"{path.name}: expected a mapping with {expected[0]}; got {type(data).__name__}",
            f"{path.name}: se espera un mapa con {expected[1]}; valor {type(data).__name__}",
        )
    return data


def describe(error: ValidationError, source: str, messages: Mapping[str, tuple[str, str]]) -> KamError:
    """Turn pydantic's errors into one `KamError` with a line per field: file, field, value, what is allowed."""
    known = {**COMMON_MESSAGES, **messages}
    lines_en, lines_es = [], []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"] if not str(p).startswith(("function-", "literal[", "float")))
        got = repr(e.get("input"))
        en, es = known.get(e["type"], (e["msg"], e["msg"]))
        context = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (e.get("ctx") or {}).items()}
        en, es = en.format_map(_Keep(context)), es.format_map(_Keep(context))
        lines_en.append(f"{source}, field {where or '(top level)'}: got {got}; {en}")
        lines_es.append(f"{source}, campo {where or '(nivel superior)'}: valor {got}; {es}")
    return KamError("\n".join(dict.fromkeys(lines_en)), "\n".join(dict.fromkeys(lines_es)))


class _Keep(dict):
    """Format values that pydantic's context names; leave other braces as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
