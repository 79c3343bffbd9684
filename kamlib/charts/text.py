"""Words and numbers on charts: wrapped labels, Vega lookups, numbers with the decimal comma of Spanish."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

MINUS = "\u2212"
"""A true minus sign, as wide as the plus."""


def tint(colour: str, strength: float) -> str:
    """Mix a #rrggbb colour with white: `strength` 1 keeps it, 0 gives white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - strength * (255 - c)):02X}" for c in rgb)


def wrap_label(label: str, width: int) -> list[str]:
    """Split a label into as few lines of at most `width` characters as it needs, the lines evened out.

    >>> wrap_label("Solucionar problemas internos del día a día", 40)
    ['Solucionar problemas', 'internos del día a día']
    """
    lines = textwrap.wrap(label, width) or [label]
    narrowest = next(
        w for w in range(1, width + 1) if len(textwrap.wrap(label, w, break_long_words=False)) <= len(lines)
    )
    return textwrap.wrap(label, narrowest, break_long_words=False) or [label]


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def lookup_expr(key: str, mapping: Mapping[str, Any], default: Any = None) -> str:
    """Return a Vega expression mapping `key`'s value through `mapping` (else `default`, else the value)."""
    expr = key if default is None else json_text(default)
    for source, target in reversed(mapping.items()):
        expr = f"{key} === {json_text(source)} ? {json_text(target)} : {expr}"
    return expr


def format_number(value: float, lang: str, spec: str = ".1f") -> str:
    """Format a number (`spec`: ".1f" one decimal, "g" as short as it allows), a decimal comma in Spanish."""
    text = f"{value:{spec}}"
    return text.replace(".", ",") if lang == "es" else text


def signed_number(value: float, lang: str) -> str:
    """Write a gap with its sign, a true minus: "+3.2", "−1.5" (decimal comma in Spanish)."""
    text = format_number(abs(value), lang)
    if text.strip("0.,") == "":
        return text
    return ("+" if value > 0 else MINUS) + text
