"""Weight scenarios: a small YAML file beside the workbook with a name, a note, weights and cut lines.

    name: Taller con dirección comercial
    note: más peso a la rentabilidad
    weights:            # per criterion_id; criteria not named keep the workbook's weight
      profitability: 35
      volume: 25
    segment_weights:    # optional: per segment of sheet criteria, its accounts' weights (over its rows' weights)
      horeca:
        volume: 40
    cuts:               # per axis: a number from 0 to 10, or median; default 5
      potential: 5
      position: median
    position_by: ours   # whose view of our position places the accounts: ours (default) or customer
    elicitation:        # optional: the AHP judgements the weights came from, and their result (kamlib.scenarios.ahp)
      criteria: {potential: [volume, profitability]}
      judgements:
        Ana: {potential: [{a: profitability, b: volume, value: 3}]}

A segment's weight of a criterion is its `segment_weights`, else its own row's in sheet `criteria`, else the
default's, `weights` included (`kamlib.scoring.weight_matrix`). Unknown criterion ids or segments, a criterion that
does not apply to the segment, unknown keys and bad values are errors that name the file and the field.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from kamlib import scoring
from kamlib.engagement import Engagement
from kamlib.errors import KamError, KamWarning, list_known
from kamlib.fileio import write_text
from kamlib.scenarios.ahp import Elicitation, elicitation_weights
from kamlib.workbook.cells import cell_text, parse_number
from kamlib.yamlfiles import describe, read_yaml_mapping

_CUT_ALLOWED = "a number from 0 to 10, or median"


def _cut(value: object) -> float | str:
    """Read a cut line: a number 0–10 (decimal comma or point) or median/mediana."""
    if isinstance(value, str) and value.strip().lower() in ("median", "mediana"):
        return "median"
    number = None if isinstance(value, bool) else parse_number(value)
    if number is None or not 0 <= number <= 10:
        raise ValueError(_CUT_ALLOWED)
    return number


class Cuts(BaseModel):
    """Cut line of each axis: a value on the 0–10 composite scale or "median" of the portfolio."""

    model_config = ConfigDict(extra="forbid")
    potential: float | Literal["median"] = 5.0
    position: float | Literal["median"] = 5.0

    @field_validator("potential", "position", mode="before")
    @classmethod
    def _read_cut(cls, value: object) -> float | str:
        return _cut(value)


Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def _read_weights(value: object) -> object:
    """Criterion ids typed as numbers are text, as in the workbook; "7,5" is 7.5."""
    if not isinstance(value, dict):
        return value
    read = {}
    for key, weight in value.items():
        number = parse_number(weight) if isinstance(weight, str) else weight
        read[cell_text(key) or ""] = weight if number is None else number
    return read


class Scenario(BaseModel):
    """A named set of weights and cut lines to score an engagement with, and the elicitation they came from."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    note: str = ""
    weights: dict[str, Weight] = Field(default_factory=dict)
    segment_weights: dict[str, dict[str, Weight]] = Field(default_factory=dict)
    """Weights of a segment's accounts only: segment (of sheet criteria) → criterion_id → weight."""
    cuts: Cuts = Field(default_factory=Cuts)
    position_by: Literal["ours", "customer"] = "ours"
    """Whose view of our position places the accounts (`kamlib.scoring.score_accounts`); also read in Spanish:
    nuestra, cliente."""
    elicitation: Elicitation | None = None

    @field_validator("name", "note", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return cell_text(value) or "" if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("position_by", mode="before")
    @classmethod
    def _read_view(cls, value: object) -> object:
        words = {"ours": "ours", "customer": "customer", "nuestra": "ours", "nuestro": "ours", "nosotros": "ours",
                 "cliente": "customer"}  # fmt: skip
        view = words.get(value.strip().casefold()) if isinstance(value, str) else None
        if view is None:
            raise PydanticCustomError("position_view", "bad position_by")
        return view

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, value: object) -> object:
        return _read_weights(value)

    @field_validator("segment_weights", mode="before")
    @classmethod
    def _segment_weights(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {cell_text(segment) or "": _read_weights(given) for segment, given in value.items()}

    def check_against(self, engagement: Engagement, source: str = "scenario") -> Scenario:
        """Raise `KamError` naming `source` if the weights or the elicitation do not fit the engagement; return self."""
        known = engagement.criteria["criterion_id"].tolist()
        for field, given in (
            ("weights", self.weights),
            *((f"segment_weights, {s}", w) for s, w in self.segment_weights.items()),
        ):
            unknown = [c for c in given if c not in known]
            if unknown:
                names = ", ".join(repr(c) for c in unknown)
                raise KamError(
                    f"{source}, {field}: unknown criterion {names}; known: {list_known(known)}",
                    f"{source}, {field}: criterio desconocido {names}; existentes: {list_known(known)}",
                )
        try:
            scoring.weight_matrix(engagement, self.weights, self.segment_weights)
        except KamError as exc:
            field = "segment_weights" if self.segment_weights else "weights"
            raise KamError(f"{source}, {field}: {exc.render('en')}", f"{source}, {field}: {exc.render('es')}") from None
        if self.elicitation is not None:
            self.elicitation.check_against(engagement, source)
        return self


def scenario_from_elicitation(
    name: str, elicitation: Elicitation, note: str = "", cuts: Cuts | None = None
) -> Scenario:
    """Make a scenario whose weights are the group's AHP weights (percent of each axis), keeping the judgements.

    Raise `KamError` if nobody has judged any axis yet.
    """
    weights = elicitation_weights(elicitation)
    if not weights:
        raise KamError(
            "elicitation: no participant has judged an axis yet; allowed: judgements of one participant or more",
            "elicitación: ningún participante ha juzgado aún un eje; se admite: juicios de uno o más participantes",
        )
    return Scenario(name=name, note=note, weights=weights, cuts=cuts or Cuts(), elicitation=elicitation)


_PYDANTIC_MESSAGES = {
    "extra_forbidden": (
        "unknown field; allowed: name, note, weights, segment_weights, cuts, position_by, elicitation (cuts: "
        "potential, position; elicitation: criteria, judgements; a judgement: a, b, value)",
        "campo desconocido; se admite: name, note, weights, segment_weights, cuts, position_by, elicitation (cuts: "
        "potential, position; elicitation: criteria, judgements; un juicio: a, b, value)",
    ),
    "greater_than_equal": ("allowed: a number ≥ 0", "se admite: un número ≥ 0"),
    "dict_type": (
        "allowed: a mapping (weights: criterion_id: weight; segment_weights: segment: criterion_id: weight; "
        "judgements: participant: axis: judgements)",
        "se admite: un mapa (weights: criterion_id: peso; segment_weights: segmento: criterion_id: peso; judgements: "
        "participante: eje: juicios)",
    ),
    "list_type": ("allowed: a list", "se admite: una lista"),
    "literal_error": ("allowed: an axis, potential or position", "se admite: un eje, potential o position"),
    "missing": ("a required field is missing", "falta un campo obligatorio"),
    "position_view": (
        "allowed: ours (our own view of our position places the accounts) or customer (the customer's view)",
        "se admite: ours o nuestra (nuestra visión de nuestra posición sitúa las cuentas) o customer o cliente (la "
        "visión del cliente)",
    ),
    "saaty_value": (
        "allowed: a judgement a, b, value with value 1 to 9 or 1/2 to 1/9 (Saaty's scale)",
        "se admite: un juicio a, b, value con value de 1 a 9 o de 1/2 a 1/9 (escala de Saaty)",
    ),
    "value_error": (f"allowed: {_CUT_ALLOWED}", "se admite: un número de 0 a 10, o median"),
}


def load_scenario(path: Path | str) -> Scenario:
    """Read a scenario YAML file; raise `KamError` naming the file and field of anything wrong."""
    path = Path(path)
    data = read_yaml_mapping(
        path, ("scenario", "escenario"), ("name, note, weights and cuts", "name, note, weights y cuts")
    )
    data.setdefault("name", path.stem)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, path.name, _PYDANTIC_MESSAGES) from None
    except KamError as exc:  # the elicitation's judgements do not fit together (kamlib.scenarios.ahp names where)
        en, es = (f"{path.name}, " + exc.render(lang).replace("\n", f"\n{path.name}, ") for lang in ("en", "es"))
        raise KamError(en, es) from None
    if scenario.elicitation is not None:
        for warning in [*scenario.elicitation.warnings(), *_weights_unlike_judgements(scenario, path.name)]:
            warnings.warn(warning, stacklevel=2)
    return scenario


def _weights_unlike_judgements(scenario: Scenario, source: str) -> list[KamWarning]:
    """Warn when a scenario's weights (which score) differ from its own judgements' group weights (0.1 pp of the
    axis or more): someone edited one of them by hand."""
    group = elicitation_weights(scenario.elicitation) if scenario.elicitation else {}
    found = []
    for axis, ids in (scenario.elicitation.criteria if scenario.elicitation else {}).items():
        if not all(c in group for c in ids):
            continue  # nobody judged this axis
        given = [scenario.weights.get(c) for c in ids]
        total = sum(w for w in given if w is not None)
        shares = [None if w is None or total <= 0 else 100 * w / total for w in given]
        apart = [c for c, share in zip(ids, shares, strict=True) if share is None or abs(share - group[c]) >= 0.1]
        if apart:
            names = ", ".join(f"{c} ({group[c]:.1f} %)" for c in apart)
            found.append(
                KamWarning(
                    f"{source}, weights of axis {axis} differ from the group's AHP weights: {names}; the weights "
                    "are what scores the accounts",
                    f"{source}, los pesos del eje {axis} difieren de los pesos AHP del grupo: {names}; los pesos "
                    "son los que puntúan las cuentas",
                )
            )
    return found


def save_scenario(scenario: Scenario, path: Path | str) -> Path:
    """Write a scenario as YAML, atomically (temp file beside it, then rename)."""
    import yaml

    unsaid = {"elicitation"} if scenario.elicitation is None else set()
    unsaid |= {"position_by"} if scenario.position_by == "ours" else set()  # the default, left unsaid
    unsaid |= set() if scenario.segment_weights else {"segment_weights"}
    data = scenario.model_dump(exclude=unsaid)
    return write_text(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def resolve_scenario(engagement: Engagement, scenario: Scenario | Path | str | None) -> Scenario:
    """The scenario to use: a `Scenario`, one read from a YAML path, or the workbook's weights (None); checked
    against the engagement (a `KamError` names the file)."""
    source = "scenario"
    if scenario is None:
        scenario = Scenario(name="workbook")
    elif not isinstance(scenario, Scenario):
        source = Path(scenario).name
        scenario = load_scenario(scenario)
    return scenario.check_against(engagement, source)


def score_scenario(
    engagement: Engagement,
    scenario: Scenario | Path | str | None = None,
    period: str | None = None,
    cut_overrides: dict[str, float | str | None] | None = None,
) -> pd.DataFrame:
    """Score the engagement with a scenario (a `Scenario`, a YAML path, or None for the workbook's weights).

    `cut_overrides` replaces the scenario's cut line of an axis where it is not None.
    The scenario's name is kept in `.attrs["scenario"]`, the cut lines used in `.attrs["cuts"]`.
    """
    scenario = resolve_scenario(engagement, scenario)
    cuts = scenario.cuts.model_dump() | {k: v for k, v in (cut_overrides or {}).items() if v is not None}
    scored = scoring.score_accounts(
        engagement, scenario.weights, cuts, period, scenario.position_by, scenario.segment_weights
    )
    scored.attrs["scenario"] = scenario.name
    return scored
