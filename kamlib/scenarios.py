"""Weight scenarios: a small YAML file beside the workbook with a name, a note, weights and cut lines.

    name: Taller con dirección comercial
    note: más peso a la rentabilidad
    weights:            # per criterion_id; criteria not named keep the workbook's weight
      profitability: 35
      volume: 25
    cuts:               # per axis: a number from 0 to 10, or median; default 5
      potential: 5
      position: median

Unknown criterion ids, unknown keys and bad values are errors that name the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kamlib import scoring
from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.fileio import write_text
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


class Scenario(BaseModel):
    """A named set of weights and cut lines to score an engagement with."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    note: str = ""
    weights: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(default_factory=dict)
    cuts: Cuts = Field(default_factory=Cuts)

    @field_validator("name", "note", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return cell_text(value) or "" if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("weights", mode="before")
    @classmethod
    def _read_weights(cls, value: object) -> object:
        """Criterion ids typed as numbers are text, as in the workbook; "7,5" is 7.5."""
        if not isinstance(value, dict):
            return value
        read = {}
        for key, weight in value.items():
            number = parse_number(weight) if isinstance(weight, str) else weight
            read[cell_text(key) or ""] = weight if number is None else number
        return read

    def check_against(self, engagement: Engagement, source: str = "scenario") -> Scenario:
        """Raise `KamError` naming `source` if the weights do not fit the engagement; return self."""
        known = engagement.criteria["criterion_id"].tolist()
        unknown = [c for c in self.weights if c not in known]
        if unknown:
            names = ", ".join(repr(c) for c in unknown)
            raise KamError(
                f"{source}, weights: unknown criterion {names}; known: {list_known(known)}",
                f"{source}, weights: criterio desconocido {names}; existentes: {list_known(known)}",
            )
        try:
            scoring.weight_vector(engagement, self.weights)
        except KamError as exc:
            raise KamError(f"{source}, weights: {exc.render('en')}", f"{source}, weights: {exc.render('es')}") from None
        return self


_PYDANTIC_MESSAGES = {
    "extra_forbidden": (
        "unknown field; allowed: name, note, weights, cuts (cuts: potential, position)",
        "campo desconocido; se admite: name, note, weights, cuts (cuts: potential, position)",
    ),
    "greater_than_equal": ("allowed: a number ≥ 0", "se admite: un número ≥ 0"),
    "dict_type": ("allowed: a mapping of criterion_id: weight", "se admite: un mapa criterion_id: peso"),
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
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, path.name, _PYDANTIC_MESSAGES) from None


def save_scenario(scenario: Scenario, path: Path | str) -> Path:
    """Write a scenario as YAML, atomically (temp file beside it, then rename)."""
    import yaml

    return write_text(path, yaml.safe_dump(scenario.model_dump(), allow_unicode=True, sort_keys=False))


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
    source = "scenario"
    if scenario is None:
        scenario = Scenario(name="workbook")
    elif not isinstance(scenario, Scenario):
        source = Path(scenario).name
        scenario = load_scenario(scenario)
    scenario.check_against(engagement, source)
    cuts = scenario.cuts.model_dump() | {k: v for k, v in (cut_overrides or {}).items() if v is not None}
    scored = scoring.score_accounts(engagement, scenario.weights, cuts, period)
    scored.attrs["scenario"] = scenario.name
    return scored
