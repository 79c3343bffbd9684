"""What the workshop accepts from a phone or a participants list, checked before anything is written.

A score is a finite number within its criterion's scale (number or text, decimal point or comma: "7,5"); a pair
judgement is a value of Saaty's scale, 1/9 to 9, spelt as `kamlib.scenarios.ahp.saaty_value` reads it (3, "1/3",
0.333); a 100-point allocation gives each criterion of an axis 0 to 100 points, exactly 100 in all; "don't know"
is its own answer, never a number. A participant has a short code (the join code), a name
and optionally a side (`ours`, `customer`). Every refusal of an answer is a `Refused`, whose `reason` tells the
server how to answer (a wrong token is not a bad value) and whose message names the value and what is allowed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

from kamlib.errors import KamError, list_known
from kamlib.i18n import number_text
from kamlib.scenarios.ahp import saaty_value

REASONS = ("token", "forbidden", "unknown", "invalid", "closed", "round")
"""Why an answer is refused: no such token; someone else's answer; no such account, criterion or item; a value
outside what is allowed; the item is not open; the item moved on to another round since the phone read it."""
SIDES = ("ours", "customer")
"""Which side of the table a participant sits on: the supplier's team, or the customer's people."""
CUSTOMER = SIDES[1]
"""The customer's side: its people score only our position (the `scores` sheet's side customer)."""
CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")
"""A participant's code: 1 to 16 letters (a–z, A–Z), digits, '-' or '_'; compared ignoring case."""
NAME_CHARACTERS = 80
"""The longest display name."""


class Refused(KamError):
    """An answer or a join the store refused before writing anything: `reason` is one of `REASONS`."""

    def __init__(self, reason: str, en: str, es: str):
        super().__init__(en, es)
        self.reason = reason


@dataclass(frozen=True)
class Scale:
    """A criterion as the workshop checks its scores: its axis and its scale."""

    criterion_id: str
    axis: str
    scale_min: float
    scale_max: float


def check_score(value: object, scale: Scale) -> float:
    """Return `value` as a score of `scale`'s criterion, or raise `Refused` naming it and the scale.

    >>> check_score("7,5", Scale("fit", "potential", 1, 10))
    7.5
    """
    number = _number(value)
    low, high = scale.scale_min, scale.scale_max
    if number is None or not (low <= number <= high):
        raise Refused(
            "invalid",
            f"score of criterion {scale.criterion_id!r}: got {_shown(value)}; allowed: a number from {low:g} to "
            f"{high:g}, or don't know",
            f"puntuación del criterio {scale.criterion_id!r}: valor {_shown(value)}; se admite: un número de "
            f"{low:g} a {high:g}, o no sé",
        )
    return number


def check_judgement(value: object, criterion_a: str, criterion_b: str) -> float:
    """Return `value` as a judgement "a is v times as important as b" on Saaty's scale, or raise `Refused`.

    >>> check_judgement("1/3", "volume", "growth") == 1 / 3
    True
    """
    judged = None if isinstance(value, bool) else saaty_value(value)
    if judged is None:
        raise Refused(
            "invalid",
            f"judgement of {criterion_a!r} against {criterion_b!r}: got {_shown(value)}; allowed: 1 to 9 or 1/2 to "
            "1/9 (Saaty's scale), or don't know",
            f"juicio de {criterion_a!r} frente a {criterion_b!r}: valor {_shown(value)}; se admite: de 1 a 9 o de "
            "1/2 a 1/9 (escala de Saaty), o no sé",
        )
    return judged


def check_allocation(points: object, criteria: Sequence[str], axis: str) -> dict[str, float]:
    """Return a 100-point allocation among `criteria` (their ids → points), or raise `Refused` saying what is
    wrong: not a mapping, a criterion missing or not of the axis, points that are not a number from 0 to 100, or a
    total other than 100.

    >>> check_allocation({"volume": "60", "growth": 40}, ["volume", "growth"], "potential")
    {'volume': 60.0, 'growth': 40.0}
    """
    listed = ", ".join(criteria)
    if not isinstance(points, Mapping) or set(map(str, points)) != set(criteria):
        raise Refused(
            "invalid",
            f"allocation of axis {axis!r}: got {_shown(points)}; allowed: points for each of {listed}",
            f"reparto del eje {axis!r}: valor {_shown(points)}; se admite: puntos para cada uno de {listed}",
        )
    read = {c: _number(points[c]) for c in criteria}
    bad = [c for c, n in read.items() if n is None or not 0 <= n <= 100]
    if bad:
        raise Refused(
            "invalid",
            f"allocation of axis {axis!r}: points of {bad[0]!r}: got {_shown(points[bad[0]])}; allowed: a number from "
            "0 to 100",
            f"reparto del eje {axis!r}: puntos de {bad[0]!r}: valor {_shown(points[bad[0]])}; se admite: un número "
            "de 0 a 100",
        )
    total = sum(n for n in read.values() if n is not None)
    if abs(total - 100) > 1e-6:
        raise Refused(
            "invalid",
            f"allocation of axis {axis!r}: the points add up to {number_text(total, 'en', _decimals(total))}; allowed: "
            "exactly 100",
            f"reparto del eje {axis!r}: los puntos suman {number_text(total, 'es', _decimals(total))}; se admite: "
            "exactamente 100",
        )
    return {c: float(n) for c, n in read.items() if n is not None}


def _decimals(value: float) -> int:
    """The decimals a number needs to be shown as given, up to 2 (90 → 0, 99.5 → 1)."""
    return next((d for d in range(3) if round(value, d) == round(value, 2)), 2)


def check_given(value: object, dont_know: bool) -> None:
    """Raise `Refused` unless exactly one of a value and "don't know" is given."""
    if dont_know is not True and dont_know is not False:
        raise Refused(
            "invalid",
            f"don't know: got {_shown(dont_know)}; allowed: true or false",
            f"no sé: valor {_shown(dont_know)}; se admite: verdadero o falso",
        )
    if dont_know and value is not None:
        raise Refused(
            "invalid",
            f"both a value ({_shown(value)}) and don't know; allowed: one of them",
            f"a la vez un valor ({_shown(value)}) y no sé; se admite: uno de los dos",
        )
    if not dont_know and value is None:
        raise Refused("invalid", "no value; allowed: a value, or don't know", "sin valor; se admite: un valor, o no sé")


NUMBER_TEXT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?", re.ASCII)
"""A number as a phone may type it: ASCII digits, a decimal point or comma, an exponent; nothing else (no
"1_0", no other scripts' digits)."""


def _number(value: object) -> float | None:
    """A finite number from a number or a number's text (`NUMBER_TEXT`); None otherwise. -0 is 0.

    >>> _number("7,5"), _number("1_0"), _number("\u0665"), _number(10**400), _number(-0.0)
    (7.5, None, None, None, 0.0)
    """
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, Real):
            number = float(value)
        elif isinstance(value, str) and len(value) <= 40 and NUMBER_TEXT.fullmatch(value.strip()):
            number = float(value.strip().replace(",", "."))
        else:
            return None
    except (OverflowError, ValueError):  # an integer too large for a float
        return None
    return number + 0.0 if math.isfinite(number) else None


def _shown(value: object) -> str:
    """A value for a message: `repr`, cut to 40 characters (a phone may send anything)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# ---- participants


@dataclass(frozen=True)
class NewParticipant:
    """A participant as listed (`--participants P.csv`), checked: code, display name, side or None."""

    code: str
    name: str
    side: str | None


def check_participants(rows: Iterable[Mapping[str, object]], taken: Iterable[str] = ()) -> list[NewParticipant]:
    """Return the rows as participants, or raise one `KamError` naming every bad row (1 = the first row given).

    Each row has `code` (`CODE`, not one of `taken` nor twice, ignoring case), `name` (1 to `NAME_CHARACTERS`
    characters, no control characters) and optionally `side` (`SIDES`, empty: none).
    """
    seen = {str(c).casefold(): "" for c in taken}
    checked, en, es = [], [], []
    for n, row in enumerate(rows, 1):
        code, name = _text(row.get("code")), _text(row.get("name"))
        side = _text(row.get("side")).lower() or None
        where_en, where_es = f"participant row {n}", f"participante de la fila {n}"
        if not CODE.fullmatch(code):
            en.append(f"{where_en}: code {code!r}; allowed: 1 to 16 letters, digits, '-' or '_'")
            es.append(f"{where_es}: código {code!r}; se admite: de 1 a 16 letras, cifras, '-' o '_'")
        elif code.casefold() in seen:
            first = seen[code.casefold()]
            again_en = f"already in row {first}" if first else "already in the workshop"
            again_es = f"ya está en la fila {first}" if first else "ya está en el taller"
            en.append(f"{where_en}: code {code!r} {again_en}; allowed: each code once (ignoring case)")
            es.append(f"{where_es}: el código {code!r} {again_es}; se admite: cada código una vez (sin mayúsculas)")
        else:
            seen[code.casefold()] = str(n)
        problem = name_problem(name)
        if problem:
            en.append(f"{where_en}: {problem[0]}")
            es.append(f"{where_es}: {problem[1]}")
        if side is not None and side not in SIDES:
            en.append(f"{where_en}: side {side!r}; allowed: {list_known(SIDES)} or empty")
            es.append(f"{where_es}: lado {side!r}; se admite: {list_known(SIDES)} o vacío")
        checked.append(NewParticipant(code, name, side))
    if en:
        raise KamError("\n".join(en), "\n".join(es))
    return checked


def name_problem(name: str) -> tuple[str, str] | None:
    """What is wrong with a display name, in English and Spanish, or None."""
    if not name:
        return "empty name; allowed: the participant's name", "nombre vacío; se admite: el nombre del participante"
    if len(name) > NAME_CHARACTERS or any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return (
            f"name {_shown(name)}; allowed: up to {NAME_CHARACTERS} characters, no control or invisible characters",
            f"nombre {_shown(name)}; se admite: hasta {NAME_CHARACTERS} caracteres, sin caracteres de control ni "
            "invisibles",
        )
    return None


def _text(value: object) -> str:
    """A cell as text, stripped; empty for nothing (None, NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()
