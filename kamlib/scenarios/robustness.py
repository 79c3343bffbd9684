"""How robust each account's placement is to the weights: stochastic multicriteria acceptability analysis (SMAA).

Weight vectors are drawn around the chosen ones, both axes are recomputed for every draw, and each
account gets the share of draws that put it in each quadrant (its acceptability of that strategy) and
the share that keep it in its own (its *stability*). The rule, exact so that anyone can check it:

- The weights of each axis are drawn on that axis's simplex (they are relative within an axis: a
  composite is Σ wᵢ·nᵢ / Σ wᵢ), independently for the two axes, from a Dirichlet distribution:
  with concentration C the parameters are αᵢ = C·mᵢ, where mᵢ is criterion i's chosen share of its axis,
  so the mean draw is the chosen weights and each share varies with variance mᵢ(1 − mᵢ)/(C + 1); a larger
  C means more confidence in the weights. `uniform=True` draws every axis uniformly over its simplex
  (αᵢ = 1 for every criterion of the axis: nothing known). Dividing independent uniform draws by their
  sum is *not* uniform on the simplex; the Dirichlet is. A criterion the scenario weights 0 stays 0 in
  every draw (αᵢ = 0 is not a distribution), except with `uniform`.
- Optional bounds per criterion (its share of its axis, in percent) are met by rejection: draws outside
  them are discarded and more are drawn until there are enough, or the bounds are reported as too
  narrow for the distribution.
- Each draw scores the accounts exactly as `kamlib.scoring` does (criteria without a score are left
  out of that account's sums; a composite on a cut line counts as high); a "median" cut line is the
  median of that draw's composites.
- p(quadrant) = count / K over K draws; its Monte Carlo error at 95 % is ±1.96·√(p(1 − p)/K).
  An account whose stability is below 0.80 is *on the fence*. Unplaced accounts (no score on an axis)
  get no probabilities.

`acceptability` is the bare, vectorised computation (draws in chunks so that memory stays bounded);
`robustness` checks its inputs and speaks DataFrames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.i18n import check_lang, count_text, number_text
from kamlib.method import AXES, ON_THE_FENCE, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.scenario import Scenario, resolve_scenario, score_scenario
from kamlib.scoring import (
    DECIMALS,
    axis_codes,
    axis_composites,
    classify,
    normalised_table,
    resolve_cuts,
    weight_matrix,
)
from kamlib.workbook.cells import cell_text, parse_number
from kamlib.yamlfiles import describe, read_yaml_mapping

DEFAULT_DRAWS = 10_000
DEFAULT_CONCENTRATION = 50.0
"""With C = 50 a criterion with a 25 % share of its axis varies by about ±6 pp (one standard deviation)."""
Z95 = 1.96
CHUNK_CELLS = 4_000_000
"""Accounts × draws per chunk: a few float64 arrays of this size stay well under 1 GB (about 32 MB each)."""
TIE = 0.5 * 10.0**-DECIMALS
"""Composites are rounded to `DECIMALS` in scoring, so a value this close below a cut line counts as on it."""
MAX_REJECTION_ROUNDS = 50
MAX_DRAWS = 1_000_000
"""More draws than this add nothing a report can show (the error at 1,000,000 is below ±0.1 pp) and only
cost memory: the weights drawn are held at once (draws × criteria)."""
MAX_BATCH = 2_000_000
"""Most weight vectors drawn at once while rejecting draws outside the bounds (bounded memory)."""
TABLE_HEADERS = {
    "es": {
        "account": "Cuenta",
        "strategy": "Estrategia",
        "stability": "Estabilidad % (± error 95 %)",
        "other": "Alternativa más probable",
    },
    "en": {
        "account": "Account",
        "strategy": "Strategy",
        "stability": "Stability % (± 95 % error)",
        "other": "Likeliest alternative",
    },
}
CSV_COLUMNS = (
    "account_id",
    "name",
    "quadrant",
    *(f"p_{q}" for q in QUADRANTS),
    "stability",
    "stability_error",
    *(f"error_{q}" for q in QUADRANTS),
    "likeliest_other",
    "on_the_fence",
)
"""What `kam robustness --out` writes, in this order."""


@dataclass(frozen=True)
class WeightDraws:
    """Weight vectors drawn for SMAA: draws × criteria, each axis's weights summing to 1."""

    weights: np.ndarray
    acceptance: float
    """Share of the drawn vectors that met the bounds (1.0 without bounds)."""


def dirichlet_parameters(
    chosen: np.ndarray, codes: np.ndarray, concentration: float | None, uniform: bool = False
) -> np.ndarray:
    """Return αᵢ per criterion: C × its chosen share of its axis (`codes`: each criterion's axis, or with criteria
    per segment its segment's axis), or 1 for every criterion when `uniform`."""
    if uniform:
        return np.ones_like(chosen, dtype=float)
    totals = np.bincount(codes, weights=chosen, minlength=len(AXES))[codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, float(concentration) * chosen / totals, 0.0)


def draw_weights(
    alpha: np.ndarray,
    codes: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    bounds: np.ndarray | None = None,
) -> WeightDraws:
    """Draw `draws` weight vectors: a Dirichlet(α) per axis (`codes`, or a segment's axis) over its criteria with
    α > 0, zeros elsewhere.

    `bounds` (criteria × 2, shares 0–1 of the axis, NaN = no bound) keeps only draws inside them.
    """
    accepted: list[np.ndarray] = []
    total = drawn = 0
    batch = draws
    for _ in range(MAX_REJECTION_ROUNDS):
        out = np.zeros((batch, alpha.shape[0]))
        for axis in np.unique(codes):
            active = np.flatnonzero((codes == axis) & (alpha > 0))
            if len(active):
                out[:, active] = rng.dirichlet(alpha[active], size=batch)
        drawn += batch
        if bounds is not None:
            with np.errstate(invalid="ignore"):
                low = np.where(np.isnan(bounds[:, 0]), -np.inf, bounds[:, 0])
                high = np.where(np.isnan(bounds[:, 1]), np.inf, bounds[:, 1])
            out = out[((out >= low) & (out <= high)).all(axis=1)]
        accepted.append(out)
        total += out.shape[0]
        if total >= draws:
            return WeightDraws(np.concatenate(accepted)[:draws], total / drawn)
        rate = max(total / drawn, 1.0 / drawn)
        batch = min(int((draws - total) / rate * 1.2) + 100, 20 * draws, MAX_BATCH)
    share = {lang: number_text(100 * total / drawn, lang, 2) for lang in ("en", "es")}
    raise KamError(
        f"the weight bounds are too narrow: only {number_text(total, 'en', 0)} of {number_text(drawn, 'en', 0)} "
        f"draws met them ({share['en']} %); widen them, or lower the concentration if the chosen weights are near "
        "a bound",
        f"los límites de los pesos son demasiado estrechos: solo {number_text(total, 'es', 0)} de "
        f"{number_text(drawn, 'es', 0)} extracciones los cumplen ({share['es']} %); amplíelos, o baje la "
        "concentración si los pesos elegidos están cerca de un límite",
    )


def acceptability(
    normalised: np.ndarray,
    codes: np.ndarray,
    weights: np.ndarray,
    cuts: tuple[float | None, float | None],
    chunk_cells: int = CHUNK_CELLS,
) -> np.ndarray:
    """Count, per account, the draws that place it in each quadrant: (accounts × 4) ints, `QUADRANTS` order.

    `normalised` is accounts × criteria (0–1, NaN = no score), `weights` draws × criteria, `cuts` the cut
    line of each axis or None for the median of each draw. Accounts with no score on an axis count nowhere.
    """
    n_accounts = normalised.shape[0]
    chunk = max(1, chunk_cells // max(n_accounts, 1))
    low_and_weak = np.zeros(n_accounts, dtype=np.int64)
    below = np.zeros((len(AXES), n_accounts), dtype=np.int64)
    scored = ~np.isnan(normalised)
    filled = np.where(scored, normalised, 0.0)
    complete = [bool(scored[:, codes == axis].all()) for axis in range(len(AXES))]
    placed = np.full(n_accounts, weights.shape[0], dtype=np.int64)
    for start in range(0, weights.shape[0], chunk):
        w = weights[start : start + chunk]
        parts = []
        for axis in range(len(AXES)):
            on_axis = codes == axis
            numerator = filled[:, on_axis] @ w[:, on_axis].T * 10.0
            if complete[axis]:
                denominator = w[:, on_axis].sum(axis=1)[None, :]
            else:
                denominator = scored[:, on_axis].astype(np.float64) @ w[:, on_axis].T
            parts.append((numerator, denominator))
        in_draw = _placed(parts) if not all(complete) or None in cuts else None  # once per chunk, when needed
        lines = _cut_lines(parts, cuts, in_draw)
        sides = [num < (line - TIE) * den for (num, den), line in zip(parts, lines, strict=True)]
        if not all(complete):  # an account with no weighted score on an axis in a draw is not placed by it
            sides = [side & in_draw for side in sides]
            placed -= w.shape[0] - in_draw.sum(axis=1)
        below += np.stack([side.sum(axis=1) for side in sides])
        low_and_weak += (sides[0] & sides[1]).sum(axis=1)
    counts = np.column_stack(
        [
            placed - below[0] - below[1] + low_and_weak,  # invest: high potential, strong position
            below[1] - low_and_weak,  # selective: high potential, weak position
            below[0] - low_and_weak,  # maintain: low potential, strong position
            low_and_weak,  # milk: low potential, weak position
        ]
    )
    return counts


def _placed(parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Accounts × draws: placed when both axes have some weight on the account's scored criteria."""
    return np.logical_and(*(np.broadcast_to(den > 0, num.shape) for num, den in parts))


def _cut_lines(
    parts: list[tuple[np.ndarray, np.ndarray]], cuts: tuple[float | None, float | None], placed: np.ndarray | None
) -> list[float | np.ndarray]:
    """Each axis's cut line for a chunk of draws: the fixed value, or the median of the accounts placed in each draw
    (`placed`: accounts × draws, `_placed`; needed only for a median)."""
    if all(cut is not None for cut in cuts):
        return list(cuts)
    lines: list[float | np.ndarray] = []
    for (numerator, denominator), cut in zip(parts, cuts, strict=True):
        lines.append(cut if cut is not None else _median_of_each_draw(numerator, denominator, placed)[None, :])
    return lines


def _median_of_each_draw(numerator: np.ndarray, denominator: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """The median composite (rounded as in scoring) of each draw over the accounts it places; NaN if none.

    When every account is placed in every draw of the chunk, the composites are laid out one draw per row
    (contiguous) and partially sorted in place to find the two middle values; else `np.nanmedian`.
    """
    n = numerator.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        if n and placed.all():
            rows = np.divide(numerator.T, np.broadcast_to(denominator, numerator.shape).T, order="C")
            middle = [(n - 1) // 2, n // 2]
            rows.partition(middle, axis=1)
            # rounding keeps the order, so the middle values of the rounded composites are the rounded middle values
            return 0.5 * (np.round(rows[:, middle[0]], DECIMALS) + np.round(rows[:, middle[1]], DECIMALS))
        composite = np.where(placed, np.round(numerator / denominator, DECIMALS), np.nan)
    median = np.full(composite.shape[1], np.nan)
    some = placed.any(axis=0)
    median[some] = np.nanmedian(composite[:, some], axis=0)
    return median


def acceptability_loop(
    normalised: np.ndarray, codes: np.ndarray, weights: np.ndarray, cuts: tuple[float | None, float | None]
) -> np.ndarray:
    """The same counts, one draw at a time through `kamlib.scoring`: the straightforward way (benchmark baseline)."""
    counts = np.zeros((normalised.shape[0], len(QUADRANTS)), dtype=np.int64)
    specs = {axis: "median" if cut is None else cut for axis, cut in zip(AXES, cuts, strict=True)}
    for w in weights:
        composites = axis_composites(normalised, w, codes)
        quadrant = classify(composites, resolve_cuts(specs, composites))
        placed = quadrant >= 0
        np.add.at(counts, (np.flatnonzero(placed), quadrant[placed]), 1)
    return counts


@dataclass(frozen=True)
class Robustness:
    """The outcome of a robustness run: one row per account, and how the weights were drawn."""

    accounts: pd.DataFrame
    """account_id, name, quadrant, p_invest, p_selective, p_maintain, p_milk, stability, stability_error,
    error_invest … error_milk, likeliest_other, p_likeliest_other, on_the_fence (probabilities 0–1, errors
    at 95 %; NaN for unplaced accounts)."""
    draws: int
    concentration: float | None
    """None when the weights were drawn uniformly."""
    seed: int
    """The seed the weights were drawn with (drawn afresh when none was given): the same seed, the same numbers."""
    acceptance: float
    scenario: str
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None

    def fence(self) -> pd.DataFrame:
        """The accounts on the fence, least stable first."""
        return self.accounts[self.accounts["on_the_fence"]].sort_values("stability", kind="stable")

    def table(self, lang: str = "es", only_fence: bool = False) -> pd.DataFrame:
        """For people: strategy, then stability and each strategy's probability as "p ± error" in %, least stable
        first; headers in `lang`."""
        check_lang(lang)
        rows = self.fence() if only_fence else self.accounts.sort_values("stability", kind="stable")
        rows = rows[rows["quadrant"].notna()]
        names = {q: STRATEGY_NAMES[q][lang] for q in QUADRANTS}
        headers = TABLE_HEADERS[lang]

        def percent(p: pd.Series, error: pd.Series) -> list[str]:
            return [
                f"{number_text(100 * a, lang, 1)} ± {number_text(100 * b, lang, 1)}"
                for a, b in zip(p, error, strict=True)
            ]

        columns = {
            headers["account"]: rows["name"].to_numpy(),
            headers["strategy"]: rows["quadrant"].map(names).to_numpy(),
            headers["stability"]: percent(rows["stability"], rows["stability_error"]),
            **{f"{names[q]} %": percent(rows[f"p_{q}"], rows[f"error_{q}"]) for q in QUADRANTS},
            headers["other"]: rows["likeliest_other"].map(names).to_numpy(),
        }
        return pd.DataFrame(columns)

    def method(self, lang: str = "es") -> str:
        """How the weights were drawn, in words: "Dirichlet, concentration 50" or "uniform over the simplex"."""
        if self.concentration is None:
            return {"es": "uniformes sobre el símplex", "en": "uniform over the simplex"}[lang]
        concentration = f"{self.concentration:g}".replace(".", "," if lang == "es" else ".")
        return f"Dirichlet, {'concentración' if lang == 'es' else 'concentration'} {concentration}"

    def summary(self, lang: str = "es") -> str:
        """One sentence: how many accounts are on the fence, over how many draws of which kind."""
        check_lang(lang)
        placed = int(self.accounts["quadrant"].notna().sum())
        fence = int(self.accounts["on_the_fence"].sum())
        draws = number_text(self.draws, lang, 0)
        how = f"{self.method(lang)}; {'semilla' if lang == 'es' else 'seed'} {self.seed}"
        if self.bounds:
            kept = number_text(100 * self.acceptance, lang, 1)
            how += (
                f"; dentro de los límites de {len(self.bounds)} criterios, que cumplió el {kept} % de lo extraído"
                if lang == "es"
                else f"; within the bounds of {len(self.bounds)} criteria, which {kept} % of the vectors drawn met"
            )
        if lang == "es":
            return (
                f"{fence} de {placed} cuentas están en la frontera (estabilidad < {ON_THE_FENCE * 100:.0f} %) "
                f"con {draws} pesos extraídos ({how})."
            )
        return (
            f"{fence} of {placed} accounts are on the fence (stability < {ON_THE_FENCE * 100:.0f} %) "
            f"over {draws} weight draws ({how})."
        )


def robustness(
    engagement: Engagement,
    scenario: Scenario | Path | str | None = None,
    draws: int = DEFAULT_DRAWS,
    concentration: float | None = DEFAULT_CONCENTRATION,
    seed: int | None = None,
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
    period: str | None = None,
    bounds_source: str = "weight bounds",
) -> Robustness:
    """Draw `draws` weight vectors around the scenario's weights and give each account its quadrant probabilities.

    `concentration` None draws uniformly over each axis's simplex. `bounds` maps criterion ids to
    (min, max) shares of their axis in percent (None = no bound); messages about them start with
    `bounds_source` (the file they came from). The same `seed` gives the same numbers.
    """
    scenario = resolve_scenario(engagement, scenario)
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        limit = {lang: number_text(MAX_DRAWS, lang, 0) for lang in ("en", "es")}
        raise KamError(
            f"draws must be a whole number from 1 to {limit['en']}, not {draws!r}",
            f"el número de extracciones debe ser un entero de 1 a {limit['es']}, no {draws!r}",
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise KamError(
            f"the seed must be a whole number ≥ 0, not {seed!r}",
            f"la semilla debe ser un entero ≥ 0, no {seed!r}",
        )
    if seed is None:  # a fresh seed, kept so that the run can be repeated
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    if concentration is not None and not (np.isfinite(concentration) and concentration > 0):
        raise KamError(
            f"concentration must be a number > 0, not {concentration!r}",
            f"la concentración debe ser un número > 0, no {concentration!r}",
        )
    codes = axis_codes(engagement)
    groups = engagement.segments
    _check_size(len(engagement.accounts), groups.count, len(codes), draws)
    matrix = weight_matrix(engagement, scenario.weights, scenario.segment_weights)  # a row per segment group
    used = np.zeros(groups.count, dtype=bool)
    used[groups.codes] = True
    rng = np.random.default_rng(seed)
    blocks, acceptance = [], 1.0
    for group in range(groups.count):  # each segment's weights drawn (and bounded) on their own
        if not used[group]:  # no account is weighed by them: they weigh nothing
            blocks.append(np.zeros((draws, len(codes))))
            continue
        alpha = dirichlet_parameters(matrix[group], codes, concentration, uniform=concentration is None)
        alpha = alpha * groups.applies[group]
        where = groups.names[group] if groups.count > 1 else None
        bound_array = None
        if bounds:
            bound_array = _bound_array(engagement, bounds, codes, alpha, bounds_source, groups.applies[group], where)
        drawn = draw_weights(alpha, codes, draws, rng, bound_array)
        blocks.append(drawn.weights)
        acceptance *= drawn.acceptance  # the share of whole draws (every segment's at once) that would meet them
    scored = score_scenario(engagement, scenario, period)  # the chosen placement; warns of unplaced accounts
    chosen_codes = scored["quadrant"].map({q: i for i, q in enumerate(QUADRANTS)}).fillna(-1).to_numpy(dtype=int)
    cut_specs = scenario.cuts.model_dump()
    per_draw = tuple(None if isinstance(cut_specs[axis], str) else scored.attrs["cuts"][axis] for axis in AXES)
    table = normalised_table(engagement, period, scenario.position_by, scenario.weights, scenario.segment_weights)
    weights = np.hstack(blocks) if groups.count > 1 else blocks[0]
    counts = acceptability(unfold(table, groups.codes, groups.count), np.tile(codes, groups.count), weights, per_draw)
    accounts = _account_table(engagement, chosen_codes, counts, draws)
    return Robustness(accounts, draws, concentration, seed, acceptance, scenario.name, dict(bounds or {}) or None)


MAX_CELLS = 60_000_000
"""With criteria per segment robustness holds accounts × segments × criteria scores and draws × segments × criteria
weights at once (about 480 MB each at this many cells): more is refused with a message, not run out of memory."""


def _check_size(n_accounts: int, n_groups: int, n_criteria: int, draws: int) -> None:
    cells = max(n_accounts, draws) * n_groups * n_criteria
    if n_groups > 1 and cells > MAX_CELLS:
        size = {
            lang: f"{count_text(SEGMENT_WORDS[lang], n_groups - 1, lang)} × {number_text(n_criteria, lang, 0)} × "
            f"{number_text(max(n_accounts, draws), lang, 0)}"
            for lang in ("en", "es")
        }
        limit = {lang: number_text(MAX_CELLS, lang, 0) for lang in ("en", "es")}
        raise KamError(
            f"{size['en']} (segments × criteria × accounts or draws) is more than robustness holds at once; allowed: "
            f"up to {limit['en']} (fewer draws, or fewer segments in sheet criteria)",
            f"{size['es']} (segmentos × criterios × cuentas o extracciones) supera lo que el análisis de robustez "
            f"puede tener a la vez; se admite: hasta {limit['es']} (menos extracciones, o menos segmentos en la hoja "
            "criteria)",
        )


SEGMENT_WORDS = {"en": ("{n} segment", "{n} segments"), "es": ("{n} segmento", "{n} segmentos")}


def unfold(table: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Spread an accounts × criteria table over one block of criteria per segment group: account i's values go to
    block `groups[i]`, NaN elsewhere (accounts × groups·criteria), so that one weight per column weighs each account
    with its group's weights. One group: the table itself."""
    if n_groups == 1:
        return table
    out = np.full((table.shape[0], n_groups * table.shape[1]), np.nan)
    columns = groups[:, None] * table.shape[1] + np.arange(table.shape[1])[None, :]
    out[np.arange(table.shape[0])[:, None], columns] = table
    return out


def monte_carlo_error(p: np.ndarray, draws: int) -> np.ndarray:
    """The 95 % Monte Carlo error of probabilities estimated from `draws` draws: ±1.96·√(p(1 − p)/K)."""
    return Z95 * np.sqrt(p * (1 - p) / draws)


def _account_table(engagement: Engagement, chosen: np.ndarray, counts: np.ndarray, draws: int) -> pd.DataFrame:
    placed = chosen >= 0
    p = counts / draws
    p[~placed] = np.nan
    stability = np.where(placed, p[np.arange(len(chosen)), np.maximum(chosen, 0)], np.nan)
    others = np.where(np.eye(len(QUADRANTS), dtype=bool)[np.maximum(chosen, 0)], -1.0, np.nan_to_num(p, nan=-1.0))
    other = others.argmax(axis=1)
    names = np.array([*QUADRANTS, None], dtype=object)
    out = engagement.accounts[["account_id", "name"]].copy()
    out["quadrant"] = names[chosen]
    for i, q in enumerate(QUADRANTS):
        out[f"p_{q}"] = p[:, i]
    out["stability"] = stability
    out["stability_error"] = monte_carlo_error(stability, draws)
    for i, q in enumerate(QUADRANTS):
        out[f"error_{q}"] = monte_carlo_error(p[:, i], draws)
    moves = placed & (others.max(axis=1) > 0)  # some draw puts it elsewhere
    out["likeliest_other"] = np.where(moves, names[other], None)
    out["p_likeliest_other"] = np.where(placed, np.maximum(others.max(axis=1), 0.0), np.nan)
    out["on_the_fence"] = placed & (stability < ON_THE_FENCE)
    return out


def _bound_array(
    engagement: Engagement,
    bounds: Mapping[str, tuple[float | None, float | None]],
    codes: np.ndarray,
    alpha: np.ndarray,
    source: str,
    applies: np.ndarray | None = None,
    segment: str | None = None,
) -> np.ndarray:
    """Check the bounds (percent of the axis) against the criteria and the draws' parameters `alpha`; return them
    as shares (criteria × 2). With criteria per segment, `applies` says which criteria weigh the `segment` drawn: a
    bound holds only there. Every message starts with `source` (the bounds file)."""
    ids = engagement.criteria["criterion_id"].tolist()
    out = np.full((len(ids), 2), np.nan)
    applies = np.ones(len(ids), dtype=bool) if applies is None else applies
    where = (
        {"en": f" in segment {segment!r}", "es": f" en el segmento {segment!r}"} if segment else {"en": "", "es": ""}
    )

    def refuse(en: str, es: str) -> KamError:
        return KamError(f"{source}, {en}", f"{source}, {es}")

    for criterion, (low, high) in bounds.items():
        if criterion not in ids:
            raise refuse(
                f"unknown criterion {criterion!r}; known: {list_known(ids)}",
                f"criterio desconocido {criterion!r}; existentes: {list_known(ids)}",
            )
        for value in (low, high):
            if value is not None and not 0 <= value <= 100:
                raise refuse(
                    f"{criterion}: {value!r} is not a percentage of its axis from 0 to 100",
                    f"{criterion}: {value!r} no es un porcentaje de su eje de 0 a 100",
                )
        if low is not None and high is not None and low > high:
            raise refuse(
                f"{criterion}: the minimum {low:g} is above the maximum {high:g}",
                f"{criterion}: el mínimo {low:g} supera el máximo {high:g}",
            )
        i = ids.index(criterion)
        if low and applies[i] and alpha[i] == 0:
            raise refuse(
                f"{criterion}: the scenario weighs it 0{where['en']}, so it stays 0 in every draw and its minimum of "
                f"{low:g} % can never be met; give it a weight, or draw uniformly",
                f"{criterion}: el escenario le da peso 0{where['es']}, así que vale 0 en cada extracción y su mínimo "
                f"del {low:g} % nunca se cumple; dele un peso, o extraiga de forma uniforme",
            )
        out[i] = [np.nan if low is None else low / 100, np.nan if high is None else high / 100]
    out[~applies] = np.nan  # where a criterion does not apply, it has no share to bound
    for axis_code, axis in enumerate(AXES):
        on_axis = out[(codes == axis_code) & applies]
        if np.nansum(on_axis[:, 0]) > 1 + 1e-9:
            raise refuse(
                f"axis {axis}{where['en']}: the minimums add up to more than 100 %",
                f"eje {axis}{where['es']}: los mínimos suman más del 100 %",
            )
        if len(on_axis) and not np.isnan(on_axis[:, 1]).any() and on_axis[:, 1].sum() < 1 - 1e-9:
            raise refuse(
                f"axis {axis}{where['en']}: the maximums add up to less than 100 %",
                f"eje {axis}{where['es']}: los máximos suman menos del 100 %",
            )
    return out


class Bound(BaseModel):
    """A criterion's share of its axis, in percent: at least `min`, at most `max` (either may be left out)."""

    model_config = ConfigDict(extra="forbid")
    min: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _pair(cls, value: object) -> object:
        """`[10, 40]` is `{min: 10, max: 40}`."""
        if isinstance(value, (list, tuple)) and len(value) == 2:
            value = {"min": value[0], "max": value[1]}
        if isinstance(value, dict):  # "10,5" is 10.5, as in the workbook and scenarios
            return {
                k: parse_number(v) if isinstance(v, str) and parse_number(v) is not None else v
                for k, v in value.items()
            }
        return value


class WeightBounds(RootModel[dict[str, Bound]]):
    """Bounds per criterion id, as read from a YAML file."""


_BOUND_MESSAGES = {
    "model_type": ("allowed: [min, max] or {{min: …, max: …}}", "se admite: [min, max] o {{min: …, max: …}}"),
    "extra_forbidden": ("allowed fields: min, max", "campos admitidos: min, max"),
    "dict_type": ("allowed: criterion_id: [min, max] lines", "se admite: líneas criterion_id: [min, max]"),
}


def load_bounds(path: Path | str) -> dict[str, tuple[float | None, float | None]]:
    """Read weight bounds from YAML (`criterion_id: [min, max]` in percent of its axis); raise `KamError` naming
    the file and the field."""
    path = Path(path)
    data = read_yaml_mapping(
        path, ("weight bounds", "límites de los pesos"), ("criterion_id: [min, max]", "criterion_id: [min, max]")
    )
    try:
        read = WeightBounds.model_validate({cell_text(k) or "": v for k, v in data.items()})
    except ValidationError as exc:
        raise describe(exc, path.name, _BOUND_MESSAGES) from None
    return {criterion: (bound.min, bound.max) for criterion, bound in read.root.items()}
