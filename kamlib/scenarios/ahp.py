"""Group weight elicitation with the Analytic Hierarchy Process (AHP): pairwise judgements → criterion weights.

Each participant compares the criteria of an axis in pairs on Saaty's 1–9 scale ("volume is 3 times as
important as growth"). From each participant's judgements kamlib derives the weights (principal right
eigenvector) and the consistency ratio CR, names the most inconsistent judgements when CR is above 0.10,
aggregates the group by the geometric mean of the individual judgements (AIJ) and measures the group's
consensus with Goepel's AHP consensus indicator S*.

The core is bare array functions (`principal_eigenvector`, `consistency_ratio`, `judgement_errors`,
`geometric_mean`, `consensus`); `priorities` and `analyse_axis` check their inputs around them; the pydantic
models (`Judgement`, `Elicitation` and its results) are what a scenario file saves:

    elicitation:
      criteria:                       # the criteria compared on each axis, in this order
        potential: [volume, growth, profitability]
      judgements:                     # participant → axis → one judgement per pair of that axis' criteria
        Ana:
          potential:
            - {a: volume, b: growth, value: 3}          # volume is 3 times as important as growth
            - {a: profitability, b: volume, value: 2}   # a value below 1 (1/2, "1/3") is read as b over a
            - {a: growth, b: profitability, value: 1}
      result: ...                     # written for people to read; recomputed from the judgements on reading

Sources: Saaty, T. L. (1977), "A scaling method for priorities in hierarchical structures", Journal of
Mathematical Psychology 15(3), 234–281 (eigenvector, consistency index); Saaty, T. L. (1980), *The Analytic
Hierarchy Process*, McGraw-Hill (scale, random index); Saaty, T. L. (2003), "Decision-making with the AHP: why
is the principal eigenvector necessary", European Journal of Operational Research 145(1), 85–91 (the most
inconsistent judgement); Aczél, J. & Saaty, T. L. (1983), "Procedures for synthesizing ratio judgements",
Journal of Mathematical Psychology 27(1), 93–102, and Forman, E. & Peniwati, K. (1998), "Aggregating individual
judgments and priorities with the analytic hierarchy process", European Journal of Operational Research
108(1), 165–169 (geometric mean of judgements); Goepel, K. D. (2013), "Implementing the Analytic Hierarchy
Process as a standard method for multi-criteria decision making in corporate enterprises – a new AHP Excel
template with multiple inputs", Proceedings of ISAHP 2013, Kuala Lumpur, and Goepel, K. D. (2018),
"Implementation of an online software tool for the Analytic Hierarchy Process (AHP-OS)", International Journal
of the Analytic Hierarchy Process 10(3), 469–487 (consensus).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, computed_field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kamlib.errors import KamError, KamWarning, list_known
from kamlib.i18n import number_text
from kamlib.workbook.cells import cell_text

if TYPE_CHECKING:
    from kamlib.engagement import Engagement

SCALE_MAX = 9
"""The largest value of Saaty's fundamental scale (M in Goepel's formulas)."""

SAATY_SCALE: tuple[float, ...] = (*(1 / v for v in range(SCALE_MAX, 1, -1)), *map(float, range(1, SCALE_MAX + 1)))
"""Saaty's fundamental scale and its reciprocals, ascending: 1/9, 1/8, …, 1/2, 1, 2, …, 9.

1 equal importance, 3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 in between (Saaty 1980).
"a is v times as important as b" makes "b is 1/v times as important as a".
"""

RANDOM_INDEX = MappingProxyType(
    {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41}
    | {9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
)
"""Saaty's random index RI by number of criteria n: the mean consistency index of random reciprocal matrices.

Saaty's table (Saaty 1980, *The Analytic Hierarchy Process*, McGraw-Hill), n = 1…15 → 0, 0, 0.58, 0.90, 1.12,
1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59; Saaty (1990, "How to make a decision: the analytic
hierarchy process", European Journal of Operational Research 48, 9–26) divides by RI(8) = 1.41 in its example.
With one or two criteria every reciprocal matrix is consistent, so CR is 0 by definition.
"""

CR_THRESHOLD = 0.10
"""A consistency ratio above this asks the participant to review the judgements (Saaty 1980)."""

WORST_SHOWN = 3
"""How many of the most inconsistent judgements a warning names (Goepel's AHP-OS highlights three)."""

CONSENSUS_LEVELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "low": {"en": "low", "es": "bajo"},
        "moderate": {"en": "moderate", "es": "moderado"},
        "high": {"en": "high", "es": "alto"},
    }
)
"""Words for the consensus S*: low below 65 %, moderate 65–75 %, high above 75 % (see `consensus_level`)."""

Axis = Literal["potential", "position"]


# ---- bare array functions (no checks)


def principal_eigenvector(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the weights (principal right eigenvector, summing to 1) and λmax of a positive reciprocal matrix.

    By Perron's theorem the eigenvalue with the largest real part of a positive matrix is real and simple, and
    its eigenvector has entries of one sign; dividing by their sum makes them positive and sum to 1.

    >>> w, lam = principal_eigenvector(np.array([[1, 3], [1 / 3, 1]]))
    >>> w.round(4).tolist(), round(lam, 6)
    ([0.75, 0.25], 2.0)
    """
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = vectors[:, k].real
    return vector / vector.sum(), float(values[k].real)


def consistency_ratio(lambda_max: float, n: int) -> tuple[float, float]:
    """Return Saaty's consistency index CI = (λmax − n)/(n − 1) and ratio CR = CI/RI(n) (both 0 for n ≤ 2).

    λmax ≥ n for every positive reciprocal matrix, equal only when it is consistent; a rounding error below
    n is read as 0.
    """
    if n <= 2:
        return 0.0, 0.0
    ci = max((lambda_max - n) / (n - 1), 0.0)
    return ci, ci / RANDOM_INDEX[n]


def judgement_errors(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return ε_ij = a_ij · w_j / w_i: how far each judgement is from the ratio the weights imply (1: none).

    Saaty (2003) finds the most inconsistent judgement as the one whose ε_ij (or 1/ε_ij) is largest.
    """
    return matrix * weights[np.newaxis, :] / weights[:, np.newaxis]


def geometric_mean(matrices: np.ndarray) -> np.ndarray:
    """Aggregate individual judgements (AIJ): the element-wise geometric mean of k matrices shaped (k, n, n).

    The geometric mean is the one aggregation that keeps the group matrix reciprocal and respects unanimity
    (Aczél & Saaty 1983), the method for a group acting as one (Forman & Peniwati 1998).
    """
    return np.exp(np.log(matrices).mean(axis=0))


def shannon_entropy(priorities: np.ndarray) -> np.ndarray:
    """Return the Shannon entropy −Σ p ln p (in nats) of each priority vector along the last axis."""
    return -np.sum(priorities * np.log(np.where(priorities > 0, priorities, 1.0)), axis=-1)


def consensus(priorities: np.ndarray, scale_max: float | None = SCALE_MAX) -> float:
    """Return Goepel's AHP consensus S* (0 to 1) of k participants' priority vectors over n ≥ 2 criteria.

    `priorities` is shaped (k, n), each row summing to 1. With Shannon entropies H (natural log):

    - Hα = mean of the participants' entropies, Hγ = entropy of their mean priorities, Hβ = Hγ − Hα,
      and the beta diversity Dβ = exp(Hβ), 1 when everybody agrees;
    - Dα,min = exp(Hα,min), the smallest diversity a single participant can reach on a scale up to M:
      one criterion M times as important as every other one,
      Hα,min = −(M/(n+M−1))·ln(M/(n+M−1)) − (n−1)·(1/(n+M−1))·ln(1/(n+M−1));
    - Dγ,max = n, all criteria equal in the group's mean;
    - S* = (1/Dβ − Dα,min/Dγ,max) / (1 − Dα,min/Dγ,max).

    S* is 1 (100 %) when all participants have the same priorities and 0 when each of them puts a different
    criterion M times above all others; it is never above 1 (Hγ ≥ Hα), and only very inconsistent judgements,
    whose priorities are more extreme than consistent ones on the scale can be, take it a little below 0
    (Goepel's formula is used as it is, not clipped). With `scale_max=None`, Dα,min = 1 and the result is the relative
    homogeneity S = (1/Dβ − 1/n)/(1 − 1/n) of Goepel (2013). Goepel (2013) first made Dγ,max depend on the
    number of participants when they are fewer than the criteria; he later dropped that correction as an
    unnecessary constraint (BPMSG, "AHP consensus indicator", eq. 1.8), and AHP-OS uses Dγ,max = n, as here
    (Goepel 2018; bpmsg/ahp-os, classes/AhpGroup.php, `getConsensus` and `ahpShannonCor`).
    """
    n = priorities.shape[1]
    h_alpha = float(shannon_entropy(priorities).mean())
    h_gamma = float(shannon_entropy(priorities.mean(axis=0)))
    d_beta = math.exp(h_gamma - h_alpha)
    if scale_max is None:
        d_alpha_min = 1.0
    else:
        extreme = np.array([scale_max, *[1.0] * (n - 1)]) / (n + scale_max - 1)
        d_alpha_min = math.exp(float(shannon_entropy(extreme)))
    floor = d_alpha_min / n
    return (1 / d_beta - floor) / (1 - floor)


def consensus_level(value: float) -> str:
    """Name the consensus S*: "low" below 0.65, "moderate" from 0.65 to 0.75, "high" above 0.75.

    The three categories and their limits are Goepel's ("AHP group consensus indicator – how to understand
    and interpret?", BPMSG, bpmsg.com): below 50 % there is practically no consensus, 80–90 % is excellent
    agreement.

    >>> consensus_level(0.6), consensus_level(0.7), consensus_level(0.8)
    ('low', 'moderate', 'high')
    """
    if value > 0.75:
        return "high"
    return "moderate" if value >= 0.65 else "low"


def nearest_on_scale(ratio: float) -> float:
    """Return the value of Saaty's scale (1/9 … 9) nearest to a positive ratio, measured as a ratio (log scale).

    >>> nearest_on_scale(2.9), nearest_on_scale(40.0), nearest_on_scale(0.21)
    (3.0, 9.0, 0.2)
    """
    return min(SAATY_SCALE, key=lambda v: abs(math.log(ratio / v)))


def saaty_value(value: object) -> float | None:
    """Return the value of Saaty's scale that `value` stands for (3, 0.3333, "1/3"), or None if it is none.

    Numbers within 1 % of a scale value count as that value, so 0.333 or 0.11 typed by hand are 1/3 and 1/9.

    >>> saaty_value(3), saaty_value("1/3") == 1 / 3, saaty_value(0.11) == 1 / 9, saaty_value(10), saaty_value(2.5)
    (3.0, True, True, None, None)
    """
    if isinstance(value, str):
        top, slash, bottom = value.partition("/")
        try:
            number = float(top) / float(bottom) if slash else float(value)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float is on no scale
            return None
    else:
        return None
    if not (math.isfinite(number) and number > 0):
        return None
    nearest = nearest_on_scale(number)
    return nearest if abs(number / nearest - 1) <= 0.01 else None


def scale_text(value: float) -> str:
    """Write a judgement as people say it: "3", "1/3", and two decimals off the scale ("2.08", "1/2.08").

    >>> scale_text(3.0), scale_text(1 / 3), scale_text(2.0801), scale_text(1 / 2.0801)
    ('3', '1/3', '2.08', '1/2.08')
    """
    big = value if value >= 1 else 1 / value
    text = str(round(big)) if abs(big - round(big)) < 1e-9 else f"{big:.2f}"
    return text if value >= 1 else f"1/{text}"


# ---- where a problem is, in both languages

Problem = tuple[str, str]
"""One line of a message, in English and Spanish."""


def _problem(en: str, es: str, participant: str = "", axis: str = "", pair: tuple[str, str] | None = None) -> Problem:
    """Prefix a problem with where it is: the elicitation, then the participant, the axis and the pair if given."""
    where_en, where_es = ["elicitation"], ["elicitación"]
    if participant:
        where_en.append(f"participant {participant!r}")
        where_es.append(f"participante {participant!r}")
    if axis:
        where_en.append(f"axis {axis!r}")
        where_es.append(f"eje {axis!r}")
    if pair is not None:
        where_en.append(f"pair {pair[0]!r} / {pair[1]!r}")
        where_es.append(f"par {pair[0]!r} / {pair[1]!r}")
    return f"{', '.join(where_en)}: {en}", f"{', '.join(where_es)}: {es}"


def _unknown(criterion: str, known: Sequence[str]) -> Problem:
    return (
        f"unknown criterion {criterion!r}; known on this axis: {list_known(known)}",
        f"criterio desconocido {criterion!r}; existentes en este eje: {list_known(known)}",
    )


def _on_other_axis(criterion: str, its_axis: str, axis: str, known: Sequence[str]) -> Problem:
    return (
        f"criterion {criterion!r} is on axis {its_axis!r}; allowed on axis {axis!r}: {list_known(known)}",
        f"el criterio {criterion!r} es del eje {its_axis!r}; se admite en el eje {axis!r}: {list_known(known)}",
    )


def _raise_all(problems: list[Problem], source: str = "") -> None:
    """Raise one `KamError` with a line per problem, each after `source` when given, if there are any."""
    if problems:
        prefix = f"{source}, " if source else ""
        raise KamError("\n".join(prefix + en for en, _ in problems), "\n".join(prefix + es for _, es in problems))


# ---- checked functions


def check_matrix(matrix: np.ndarray, criteria: Sequence[str], participant: str = "", axis: str = "") -> np.ndarray:
    """Return `matrix` as floats if it is a pairwise comparison matrix of `criteria`, else raise `KamError`.

    Allowed: an n × n matrix for n criteria, every entry between 1/9 and 9 and a_ji = 1/a_ij (so 1 on the
    diagonal). Every bad pair is named, with the participant and the axis.
    """
    values = np.asarray(matrix, dtype=float)
    n = len(criteria)
    if values.shape != (n, n):
        shape, known = values.shape, list_known(criteria)
        en = f"a matrix shaped {shape}; allowed: {n} × {n}, a row and a column per criterion ({known})"
        es = f"una matriz de forma {shape}; se admite: {n} × {n}, una fila y una columna por criterio ({known})"
        _raise_all([_problem(en, es, participant, axis)])
    low, high = SAATY_SCALE[0] * (1 - 1e-9), SAATY_SCALE[-1] * (1 + 1e-9)
    problems = []
    for i, j in zip(*np.triu_indices(n), strict=True):
        a_ij, a_ji, pair = values[i, j], values[j, i], (criteria[i], criteria[j])
        if not (np.isfinite([a_ij, a_ji]).all() and low <= a_ij <= high and low <= a_ji <= high):
            en = f"got {a_ij:g} and {a_ji:g}; allowed: values from 1/9 to 9 (Saaty's scale)"
            es = f"valores {a_ij:g} y {a_ji:g}; se admite: valores de 1/9 a 9 (escala de Saaty)"
            problems.append(_problem(en, es, participant, axis, pair))
        elif not np.isclose(a_ij * a_ji, 1.0, rtol=1e-6):
            en = f"{a_ij:g} and {a_ji:g} are not reciprocal; allowed: a_ji = 1/a_ij (1 on the diagonal)"
            es = f"{a_ij:g} y {a_ji:g} no son recíprocos; se admite: a_ji = 1/a_ij (1 en la diagonal)"
            problems.append(_problem(en, es, participant, axis, pair))
    _raise_all(problems)
    return values


Rounded = Annotated[float, PlainSerializer(lambda v: round(v, 6), return_type=float)]
"""A number written to files with 6 decimals (weights are shown in percent with one decimal)."""


class WorstJudgement(BaseModel):
    """A judgement far from what the participant's other judgements imply, with the consistent value.

    `value` is the judgement "a is value times as important as b"; `suggested` is the weights' ratio w_a/w_b
    snapped to Saaty's scale: the judgement that would agree with the rest.
    """

    a: str
    b: str
    value: Rounded
    suggested: float


class Priorities(BaseModel):
    """What one comparison matrix gives: weights summing to 1, λmax, CI, CR and, when CR > 0.10, the worst pairs."""

    weights: dict[str, Rounded]
    lambda_max: Rounded
    ci: Rounded
    cr: Rounded
    inconsistent: bool
    worst: list[WorstJudgement] = Field(default_factory=list)


def priorities(matrix: np.ndarray, criteria: Sequence[str], participant: str = "", axis: str = "") -> Priorities:
    """Derive weights, λmax, CI and CR from a pairwise comparison matrix (checked with `check_matrix`).

    When CR is above `CR_THRESHOLD`, `worst` names the `WORST_SHOWN` judgements with the largest |ln ε_ij|
    (`judgement_errors`, Saaty 2003), each with the value w_i/w_j snapped to Saaty's scale.
    """
    values = check_matrix(matrix, criteria, participant, axis)
    weights, lambda_max = principal_eigenvector(values)
    ci, cr = consistency_ratio(lambda_max, len(criteria))
    worst = []
    if cr > CR_THRESHOLD:
        upper_i, upper_j = np.triu_indices(len(criteria), 1)
        errors = np.abs(np.log(judgement_errors(values, weights)[upper_i, upper_j]))
        order = np.argsort(-errors, kind="stable")[:WORST_SHOWN]
        for i, j in zip(upper_i[order], upper_j[order], strict=True):
            ratio = nearest_on_scale(weights[i] / weights[j])
            worst.append(WorstJudgement(a=criteria[i], b=criteria[j], value=values[i, j], suggested=ratio))
    return Priorities(
        weights={c: float(w) for c, w in zip(criteria, weights, strict=True)},
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        inconsistent=cr > CR_THRESHOLD,
        worst=worst,
    )


def _text(value: object) -> object:
    """A number typed where text belongs (a criterion id, a participant) is that text, as in the workbook."""
    return cell_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class Judgement(BaseModel):
    """One pairwise comparison: criterion `a` is `value` times as important as criterion `b`.

    A value below 1 (a reciprocal: 1/3, "1/3", 0.333) is kept as the same judgement the other way round,
    so `value` is always a whole number from 1 to 9.

    >>> Judgement(a="volume", b="growth", value="1/3")
    Judgement(a='growth', b='volume', value=3)
    """

    model_config = ConfigDict(extra="forbid")
    a: str = Field(min_length=1)
    b: str = Field(min_length=1)
    value: int = Field(ge=1, le=SCALE_MAX)

    @model_validator(mode="before")
    @classmethod
    def _on_the_scale(cls, data: object) -> object:
        """Read the value on Saaty's scale and turn a reciprocal round; ids typed as numbers are text."""
        if not isinstance(data, dict) or "value" not in data:
            return data
        read = {k: _text(v) if k in ("a", "b") else v for k, v in data.items()}
        value = saaty_value(read["value"])
        if value is None:
            message = "{value} is not on Saaty's scale; allowed: 1 to 9 or 1/2 to 1/9"
            raise PydanticCustomError("saaty_value", message, {"value": read["value"]})
        if value < 1:
            read["a"], read["b"], value = read.get("b"), read.get("a"), 1 / value
        return read | {"value": round(value)}


def judgement_matrix(
    criteria: Sequence[str], judgements: Sequence[Judgement], participant: str = "", axis: str = ""
) -> np.ndarray:
    """Build a participant's pairwise comparison matrix on an axis from one judgement per pair of `criteria`.

    Raise `KamError` naming the participant, the axis and each unknown criterion, pair compared with
    itself, pair judged twice or pair not judged.
    """
    index = {c: i for i, c in enumerate(criteria)}
    matrix = np.ones((len(criteria), len(criteria)))
    problems = []
    seen: Counter[frozenset[str]] = Counter()
    for judgement in judgements:
        pair = (judgement.a, judgement.b)
        problems += [_problem(*_unknown(c, criteria), participant, axis, pair) for c in pair if c not in index]
        if judgement.a == judgement.b:
            en = "a criterion compared with itself; allowed: two different criteria"
            es = "un criterio comparado consigo mismo; se admite: dos criterios distintos"
            problems.append(_problem(en, es, participant, axis, pair))
        elif judgement.a in index and judgement.b in index:
            seen[frozenset(pair)] += 1
            i, j = index[judgement.a], index[judgement.b]
            matrix[i, j], matrix[j, i] = judgement.value, 1 / judgement.value
    for pair, count in seen.items():
        if count > 1:
            en = f"judged {count} times; allowed: one judgement per pair"
            es = f"juzgado {count} veces; se admite: un juicio por par"
            problems.append(_problem(en, es, participant, axis, tuple(sorted(pair, key=index.__getitem__))))
    missing = ", ".join(
        f"{a!r} / {b!r}" for k, a in enumerate(criteria) for b in criteria[k + 1 :] if frozenset((a, b)) not in seen
    )
    if missing and not problems:
        known = list_known(criteria)
        en = f"no judgement for {missing}; allowed: one judgement for each pair of {known}"
        es = f"falta el juicio de {missing}; se admite: un juicio por cada par de {known}"
        problems.append(_problem(en, es, participant, axis))
    _raise_all(problems)
    return matrix


class AxisResult(BaseModel):
    """The elicitation of one axis: each participant's priorities, the group's, and the group's consensus.

    `consensus` is Goepel's S* (0 to 1) and `consensus_level` its word; both are None with fewer than two
    participants or criteria, where there is no group to agree.
    """

    participants: dict[str, Priorities]
    group: Priorities
    consensus: Rounded | None
    consensus_level: Literal["low", "moderate", "high"] | None

    def consensus_text(self, lang: str = "en") -> str:
        """Say the consensus as "72.4 % (moderate)" ("72,4 % (moderado)"), or why there is none, in `lang`."""
        if self.consensus is None or self.consensus_level is None:
            return {"en": "needs two participants", "es": "necesita dos participantes"}[lang]
        return f"{number_text(100 * self.consensus, lang, 1)} % ({CONSENSUS_LEVELS[self.consensus_level][lang]})"

    def warning(self, participant: str, axis: str, names: Mapping[str, str] | None = None) -> KamWarning | None:
        """Return the warning for a participant whose CR is above 0.10, naming the most inconsistent judgements.

        `names` shows criteria by their labels instead of their ids. None if the participant is consistent.
        """
        result, names = self.participants[participant], names or {}
        if not result.inconsistent:
            return None
        said = [(names.get(w.a, w.a), names.get(w.b, w.b), scale_text(w.value), scale_text(w.suggested))
                for w in result.worst]  # fmt: skip
        cr, limit = f"{100 * result.cr:.1f} %", f"{100 * CR_THRESHOLD:.0f} %"
        en = f"consistency ratio {cr} is above {limit}; most inconsistent judgements: " + "; ".join(
            f"{a!r} vs {b!r} judged {v}, consistent with the others: {s}" for a, b, v, s in said
        )
        es = f"la razón de consistencia {cr} supera el {limit}; juicios más inconsistentes: " + "; ".join(
            f"{a!r} frente a {b!r} juzgado {v}, coherente con los demás: {s}" for a, b, v, s in said
        )
        return KamWarning(*_problem(en, es, participant, axis))


def analyse_axis(criteria: Sequence[str], judgements: Mapping[str, Sequence[Judgement]], axis: str = "") -> AxisResult:
    """Derive every participant's priorities on an axis, the group's (geometric mean of judgements) and S*.

    `judgements` maps each participant (at least one) to one judgement per pair of `criteria`
    (see `judgement_matrix`).
    """
    if not judgements:
        _raise_all([_problem("no participant; allowed: one or more", "ningún participante; se admite: uno o más")])
    matrices = {p: judgement_matrix(criteria, js, p, axis) for p, js in judgements.items()}
    each = {p: priorities(m, criteria, p, axis) for p, m in matrices.items()}
    group = priorities(geometric_mean(np.stack(list(matrices.values()))), criteria, "", axis)
    value = None
    if len(each) >= 2 and len(criteria) >= 2:
        value = consensus(np.array([[p.weights[c] for c in criteria] for p in each.values()]))
    level = None if value is None else consensus_level(value)
    return AxisResult(participants=each, group=group, consensus=value, consensus_level=level)


class Elicitation(BaseModel):
    """Participants' pairwise judgements of each axis' criteria, saved in a scenario with their result.

    `result` is computed from the judgements (and written to files for people to read); a file's `result`
    is recomputed when read, so it can never disagree with the judgements.
    """

    model_config = ConfigDict(extra="forbid")
    criteria: dict[Axis, list[Annotated[str, Field(min_length=1)]]] = Field(default_factory=dict)
    judgements: dict[Annotated[str, Field(min_length=1)], dict[Axis, list[Judgement]]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _drop_result(cls, data: object) -> object:
        """The saved result is derived from the judgements: read it again from them."""
        return {k: v for k, v in data.items() if k != "result"} if isinstance(data, dict) else data

    @field_validator("criteria", mode="before")
    @classmethod
    def _criteria_text(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {axis: [_text(c) for c in ids] if isinstance(ids, list) else ids for axis, ids in value.items()}

    @field_validator("judgements", mode="before")
    @classmethod
    def _participant_text(cls, value: object) -> object:
        return {_text(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _fits_together(self) -> Elicitation:
        """Check the criteria lists and that every participant judges each pair of an axis exactly once."""
        problems = []
        for axis, ids in self.criteria.items():
            twice = ", ".join(repr(c) for c, count in Counter(ids).items() if count > 1)
            if twice:
                en = f"{twice} listed twice; allowed: each criterion once"
                es = f"{twice} repetido; se admite: cada criterio una vez"
                problems.append(_problem(en, es, "", axis))
            if len(ids) > max(RANDOM_INDEX):
                en = f"{len(ids)} criteria; allowed: up to {max(RANDOM_INDEX)} (Saaty's random index table)"
                es = f"{len(ids)} criterios; se admite: hasta {max(RANDOM_INDEX)} (tabla del índice aleatorio de Saaty)"
                problems.append(_problem(en, es, "", axis))
        both = ", ".join(
            repr(c) for c, n in Counter(c for ids in self.criteria.values() for c in set(ids)).items() if n > 1
        )
        if both:
            en = f"{both} listed on both axes; allowed: each criterion on its own axis"
            es = f"{both} en los dos ejes; se admite: cada criterio en su eje"
            problems.append(_problem(en, es))
        _raise_all(problems)
        for participant, axes in self.judgements.items():
            for axis, judgements in axes.items():
                problems += self._judgement_problems(participant, axis, judgements)
        _raise_all(problems)
        return self

    def _judgement_problems(self, participant: str, axis: str, judgements: list[Judgement]) -> list[Problem]:
        """Return what is wrong with one participant's judgements on one axis, naming each pair."""
        if axis not in self.criteria:
            known = list_known(self.criteria)
            en = f"judgements on an axis without criteria; allowed: the axes listed under criteria ({known})"
            es = f"juicios de un eje sin criterios; se admite: los ejes de criteria ({known})"
            return [_problem(en, es, participant, axis)]
        on = {c: a for a, ids in self.criteria.items() for c in ids}
        misplaced = [
            _problem(*_on_other_axis(c, on[c], axis, self.criteria[axis]), participant, axis, (j.a, j.b))
            for j in judgements
            for c in dict.fromkeys((j.a, j.b))
            if on.get(c, axis) != axis
        ]
        if misplaced:
            return misplaced
        try:
            judgement_matrix(self.criteria[axis], judgements, participant, axis)
        except KamError as exc:
            return list(zip(exc.render("en").splitlines(), exc.render("es").splitlines(), strict=True))
        return []

    @computed_field
    @property
    def result(self) -> dict[str, AxisResult]:
        """The result of each axis that some participant judged (see `analyse_axis`)."""
        return {
            axis: analyse_axis(ids, judged, axis)
            for axis, ids in self.criteria.items()
            if (judged := {p: axes[axis] for p, axes in self.judgements.items() if axis in axes})
        }

    def warnings(self, names: Mapping[str, str] | None = None) -> list[KamWarning]:
        """Return a warning per participant and axis whose CR is above 0.10 (see `AxisResult.warning`)."""
        return [
            warning
            for axis, result in self.result.items()
            for participant in result.participants
            if (warning := result.warning(participant, axis, names)) is not None
        ]

    def check_against(self, engagement: Engagement, source: str = "scenario") -> Elicitation:
        """Return self if every axis listed compares exactly the engagement's criteria of that axis.

        Otherwise raise `KamError` naming `source`, the axis and each unknown, misplaced or missing criterion.
        """
        criteria = engagement.default_criteria  # the judgements weigh the default rows
        axis_of = dict(zip(criteria["criterion_id"], criteria["axis"], strict=True))
        problems = []
        for axis, ids in self.criteria.items():
            expected = [c for c, a in axis_of.items() if a == axis]
            for c in ids:
                if c not in axis_of:
                    problems.append(_problem(*_unknown(c, expected), "", axis))
                elif axis_of[c] != axis:
                    problems.append(_problem(*_on_other_axis(c, axis_of[c], axis, expected), "", axis))
            missing = ", ".join(repr(c) for c in expected if c not in ids)
            if missing:
                known = list_known(expected)
                en = f"criterion {missing} of the workbook not compared; allowed: all criteria of the axis ({known})"
                es = f"el criterio {missing} del libro no se compara; se admite: todos los criterios del eje ({known})"
                problems.append(_problem(en, es, "", axis))
        _raise_all(problems, source)
        return self


def elicitation_weights(elicitation: Elicitation) -> dict[str, float]:
    """Return scenario weights from the group's weights: percent of the axis (× 100), 4 decimals.

    Weights are relative within an axis, so the group's AHP weights (summing to 1 on each axis) can be used
    as they are; in percent they read like the workbook's weights. Axes nobody judged are left out (they
    keep the workbook's weights).
    """
    return {
        criterion: round(100 * weight, 4)
        for result in elicitation.result.values()
        for criterion, weight in result.group.weights.items()
    }
