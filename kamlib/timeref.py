"""The time reference of an engagement: the method's profile, its roll-up and the targets, as an editable file.

The defaults are METHOD.md §2 (nine activities summing to 100 %) with our roll-up to the three
basic types and our strategy targets (`kamlib.method`). An engagement may change any of it in a
small YAML file; what the file does not name keeps its default:

    reference:          # % of a KAM's time per activity (METHOD.md §2 ids); the nine add up to 100
      selling: 15
      other: 5
    activity_types:     # activity → relationships | implementation | knowledge
      selling: implementation
    strategy_targets:   # % of a KAM's account time per quadrant: min and/or max
      milk: {max: 10}
    invest_account_min: 0.25   # an Invest account below this × the mean hours per account is flagged
    utilisation: {min: 60, max: 100}   # % of capacity_hours logged
    selling_tolerance: 2.5     # pp either side of the selling reference before the selling share is flagged
    far_from_reference: 25     # a KAM whose time-to-move (TVD) passes this % is flagged
    zero_share: 0.5            # % put in place of a zero share for the Aitchison distance
    survey_tolerance: 0.5      # stated % of a KAM and period may add up to 100 ± this

The selling tolerance is ours (the seed gives a point figure, no spread): its table is written in steps of
5 %, so its 10 % for selling stands for 7.5–12.5 %; a share outside that would have been written as 5 or 15.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kamlib.fileio import write_text
from kamlib.method import (
    ACTIVITIES,
    ACTIVITY_TYPES,
    DEFAULT_ACTIVITY_TYPES,
    DEFAULT_STRATEGY_TARGETS,
    QUADRANTS,
    REFERENCE_PROFILE,
)
from kamlib.workbook.cells import parse_number
from kamlib.yamlfiles import describe, read_yaml_mapping

Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
_TOTAL_TOLERANCE = 1e-6


def _numbers(value: object) -> object:
    """Read "7,5" as 7.5, as in the workbook; leave anything else to pydantic."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None else number
    return value


class Band(BaseModel):
    """A range in percent: `min` ≤ value ≤ `max`."""

    model_config = ConfigDict(extra="forbid")
    min: Percent = 0.0
    max: Percent = 100.0

    @field_validator("min", "max", mode="before")
    @classmethod
    def _read(cls, value: object) -> object:
        return _numbers(value)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise PydanticCustomError("band_order", "min above max", {"low": f"{self.min:g}", "high": f"{self.max:g}"})
        return self


class Utilisation(Band):
    """Hours logged as % of capacity: may go above 100 (a KAM working overtime)."""

    max: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] = 100.0


_DEFAULT_UTILISATION = {"min": 60.0, "max": 100.0}


def _default_targets() -> dict[str, dict[str, float]]:
    return {q: {"min": low, "max": high} for q, (low, high) in DEFAULT_STRATEGY_TARGETS.items()}


def _merge_band(default: dict[str, float], value: object) -> object:
    """A band the file names keeps the default of the bound it leaves out ({max: 10} keeps min)."""
    return {**default, **value} if isinstance(value, dict) else value


class TimeReference(BaseModel):
    """What a KAM's time is compared with: the reference profile, the roll-up, the targets and thresholds."""

    model_config = ConfigDict(extra="forbid")
    reference: dict[str, Percent] = Field(default_factory=lambda: dict(REFERENCE_PROFILE))
    activity_types: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ACTIVITY_TYPES))
    strategy_targets: dict[str, Band] = Field(
        default_factory=lambda: {q: Band(**band) for q, band in _default_targets().items()}
    )
    invest_account_min: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.25
    utilisation: Utilisation = Field(default_factory=lambda: Utilisation(**_DEFAULT_UTILISATION))
    selling_tolerance: Percent = 2.5
    far_from_reference: Percent = 25.0
    zero_share: Annotated[float, Field(gt=0, lt=10, allow_inf_nan=False)] = 0.5
    survey_tolerance: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.5

    @field_validator("reference", mode="before")
    @classmethod
    def _read_reference(cls, value: object) -> object:
        """Fill the activities the file does not name with the method's figures; check ids."""
        if not isinstance(value, dict):
            return value
        _check_keys(value, ACTIVITIES, "activity")
        return {**REFERENCE_PROFILE, **{str(k): _numbers(v) for k, v in value.items()}}

    @field_validator("activity_types", mode="before")
    @classmethod
    def _read_types(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        _check_keys(value, ACTIVITIES, "activity")
        bad = {k: v for k, v in value.items() if v not in ACTIVITY_TYPES}
        if bad:
            key, got = next(iter(bad.items()))
            raise PydanticCustomError("not_a_type", "not a type", {"activity": str(key), "got": repr(got)})
        return {**DEFAULT_ACTIVITY_TYPES, **{str(k): str(v) for k, v in value.items()}}

    @field_validator("strategy_targets", mode="before")
    @classmethod
    def _read_targets(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        _check_keys(value, QUADRANTS, "quadrant")
        defaults = _default_targets()
        return {**defaults, **{q: _merge_band(defaults[q], band) for q, band in value.items()}}

    @field_validator("utilisation", mode="before")
    @classmethod
    def _read_utilisation(cls, value: object) -> object:
        return _merge_band(_DEFAULT_UTILISATION, value)

    @field_validator(
        "invest_account_min", "selling_tolerance", "far_from_reference", "zero_share", "survey_tolerance", mode="before"
    )
    @classmethod
    def _read_number(cls, value: object) -> object:
        return _numbers(value)

    @field_validator("reference", mode="after")
    @classmethod
    def _adds_up(cls, value: dict[str, float]) -> dict[str, float]:
        total = sum(value.values())
        if abs(total - 100.0) > _TOTAL_TOLERANCE:
            raise PydanticCustomError("reference_total", "total not 100", {"total": f"{total:g}"})
        return value

    def profile(self) -> np.ndarray:
        """The reference in percent, in the order of `kamlib.method.ACTIVITIES`."""
        return np.array([self.reference[a] for a in ACTIVITIES], dtype=np.float64)

    def type_matrix(self) -> np.ndarray:
        """The roll-up as a 0/1 matrix: activities (rows, METHOD.md order) × types (`ACTIVITY_TYPES`)."""
        matrix = np.zeros((len(ACTIVITIES), len(ACTIVITY_TYPES)))
        for i, activity in enumerate(ACTIVITIES):
            matrix[i, ACTIVITY_TYPES.index(self.activity_types[activity])] = 1.0
        return matrix

    def is_the_method(self) -> bool:
        """Tell whether the reference profile is METHOD.md §2's, unedited (charts then call it the method's)."""
        return self.reference == dict(REFERENCE_PROFILE)

    def selling_band(self) -> tuple[float, float]:
        """The selling shares that are no finding: the reference for `selling` ± `selling_tolerance`, in percent.

        >>> TimeReference().selling_band()
        (7.5, 12.5)
        """
        reference = self.reference["selling"]
        return max(0.0, reference - self.selling_tolerance), min(100.0, reference + self.selling_tolerance)

    def bands(self) -> np.ndarray:
        """Strategy targets as a (4, 2) array of (min, max) percent, in the order of `QUADRANTS`."""
        return np.array([[self.strategy_targets[q].min, self.strategy_targets[q].max] for q in QUADRANTS])


def _check_keys(value: dict, known: tuple[str, ...], what: str) -> None:
    unknown = [str(k) for k in value if str(k) not in known]
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise PydanticCustomError(f"unknown_{what}", "unknown key", {"names": names, "known": ", ".join(known)})


_MESSAGES = {
    "extra_forbidden": (
        "unknown field; allowed: reference, activity_types, strategy_targets, invest_account_min, utilisation, "
        "selling_tolerance, far_from_reference, zero_share, survey_tolerance (targets and utilisation: min, max)",
        "campo desconocido; se admite: reference, activity_types, strategy_targets, invest_account_min, "
        "utilisation, selling_tolerance, far_from_reference, zero_share, survey_tolerance (objetivos y "
        "utilisation: min, max)",
    ),
    "greater_than": ("allowed: a number > {gt}", "se admite: un número > {gt}"),
    "less_than": ("allowed: a number < {lt}", "se admite: un número < {lt}"),
    "dict_type": ("allowed: a mapping", "se admite: un mapa"),
    "unknown_activity": (
        "unknown activity {names}; known: {known}",
        "actividad desconocida {names}; existentes: {known}",
    ),
    "unknown_quadrant": (
        "unknown quadrant {names}; known: {known}",
        "cuadrante desconocido {names}; existentes: {known}",
    ),
    "not_a_type": (
        "activity {activity} rolls up to {got}; allowed: " + ", ".join(ACTIVITY_TYPES),
        "la actividad {activity} se agrupa en {got}; se admite: " + ", ".join(ACTIVITY_TYPES),
    ),
    "band_order": (
        "min {low} is above max {high}; allowed: min ≤ max",
        "min {low} es mayor que max {high}; se admite: min ≤ max",
    ),
    "reference_total": (
        "the activities add up to {total}; allowed: a total of 100",
        "las actividades suman {total}; se admite: un total de 100",
    ),
}


def load_time_reference(path: Path | str | None = None) -> TimeReference:
    """Read a time reference YAML file (None: the method's defaults); raise `KamError` naming file and field."""
    if path is None:
        return TimeReference()
    path = Path(path)
    data = read_yaml_mapping(
        path,
        ("time reference", "referencia de tiempo"),
        ("reference, activity_types, strategy_targets, …", "reference, activity_types, strategy_targets, …"),
    )
    try:
        return TimeReference.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, path.name, _MESSAGES) from None


_FILE_HEADER = """\
# kamlib time reference / referencia de tiempo (kam time WB --reference THIS.yaml)
# reference: % of a KAM's time per activity (METHOD.md §2), adding up to 100 / % del tiempo por actividad, suma 100
# activity_types: activity -> relationships | implementation | knowledge / agrupación en los tres tipos básicos
# strategy_targets: % of a KAM's account time per quadrant (min, max) / % del tiempo de cuentas por cuadrante
# invest_account_min: an Invest account below this x the mean hours per account is flagged / cuenta desatendida
# utilisation: % of capacity_hours logged (min, max) / % de las horas disponibles
# selling_tolerance: pp either side of the selling reference that is no finding / margen de la venta en pp
# far_from_reference: flag a KAM whose time to move passes this % / umbral de tiempo a mover
# zero_share: % put in place of a zero share for the Aitchison distance / % en lugar de un cero
# survey_tolerance: stated % may add up to 100 +- this / tolerancia de la suma de la encuesta
"""


def save_time_reference(reference: TimeReference, path: Path | str) -> Path:
    """Write a time reference as YAML with every field and a bilingual header (the file documents itself)."""
    import yaml

    body = yaml.safe_dump(reference.model_dump(), allow_unicode=True, sort_keys=False)
    return write_text(path, _FILE_HEADER + body)
