"""Two weight scenarios side by side: weights, composites, the accounts that change quadrant, rank agreement.

`compare_scenarios` scores the engagement twice (`kamlib.scenarios.scenario.score_scenario`: a `Scenario`, a YAML
path, or None for the workbook's weights) and lines the two up per criterion and per account.

Accounts left out of the matrix (no weighted score on an axis, METHOD.md §1) are never silently
counted: an account *moves* only when it is placed under both scenarios and its quadrant differs.
`placement` says which scenarios place it ("both", "before_only", "after_only", "neither"), and the
ranks and the rank correlation are taken over the accounts placed under both. Pure pandas and numpy
(scipy for the correlations, imported when they are computed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import list_known
from kamlib.i18n import check_lang, number_text, short_text, signed_text
from kamlib.method import AXES, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.scenario import Scenario, score_scenario
from kamlib.scoring import weight_matrix

ScenarioSource = Scenario | Path | str | None
"""What names a scenario: a `Scenario`, the path of its YAML file, or None for the workbook's weights."""

PLACEMENTS: tuple[str, ...] = ("both", "before_only", "after_only", "neither")
"""Which of the two scenarios place an account in the matrix."""

WEIGHT_COLUMNS: tuple[str, ...] = (
    "criterion_id",
    "segment",
    "axis",
    "label_es",
    "label_en",
    "weight_before",
    "weight_after",
    "share_before",
    "share_after",
    "share_change",
)

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "account_id",
    "name",
    "revenue",
    "placement",
    "potential_before",
    "potential_after",
    "potential_change",
    "position_before",
    "position_after",
    "position_change",
    "quadrant_before",
    "quadrant_after",
    "moved",
    "potential_rank_before",
    "potential_rank_after",
    "potential_rank_change",
    "position_rank_before",
    "position_rank_after",
    "position_rank_change",
)

MOVER_COLUMNS: tuple[str, ...] = (
    "account_id",
    "name",
    "revenue",
    "quadrant_before",
    "quadrant_after",
    "potential_before",
    "potential_after",
    "position_before",
    "position_after",
)
"""The columns of `Comparison.movers`, which is what `kam compare --out` writes."""

CORRELATION_COLUMNS: tuple[str, ...] = ("axis", "n", "spearman_rho", "kendall_tau")
CUT_COLUMNS: tuple[str, ...] = ("axis", "cut_before", "cut_after")

_WORDS = {
    "workbook": {"es": "los pesos del libro", "en": "the workbook's weights"},
    "title": {"es": "De {before} a {after}", "en": "From {before} to {after}"},
    "as_of": {"es": " (puntuaciones a {period})", "en": " (scores as of {period})"},
    "none_moved": {
        "es": "Ninguna cuenta cambia de cuadrante ({n} situadas en ambos).",
        "en": "No account changes quadrant ({n} placed in both).",
    },
    "one_moved": {
        "es": "1 de las {n} cuentas situadas en ambos cambia de cuadrante: {moves}.",
        "en": "1 of the {n} accounts placed in both changes quadrant: {moves}.",
    },
    "moved": {
        "es": "{k} de las {n} cuentas situadas en ambos cambian de cuadrante: {moves}.",
        "en": "{k} of the {n} accounts placed in both change quadrant: {moves}.",
    },
    "ranks": {"es": "Correlación de rangos en esas cuentas: {axes}.", "en": "Rank correlation over them: {axes}."},
    "cuts": {"es": "Líneas de corte: {axes}.", "en": "Cut lines: {axes}."},
    "unchanged": {"es": "sin cambio", "en": "unchanged"},
    "potential": {"es": "potencial", "en": "potential"},
    "position": {"es": "posición", "en": "position"},
    "same_weights": {"es": "Los pesos son los mismos.", "en": "The weights are the same."},
    "weights": {
        "es": "Mayores cambios de peso (en % de su eje): {changes}.",
        "en": "Largest weight changes (as % of their axis): {changes}.",
    },
    "not_compared": {
        "es": "{n} cuenta(s) fuera de la matriz en algún escenario, no cuentan como cambios: {accounts}.",
        "en": "{n} account(s) out of the matrix in a scenario, not counted as movers: {accounts}.",
    },
    "before_only": {"es": "solo antes", "en": "only before"},
    "after_only": {"es": "solo después", "en": "only after"},
    "neither": {"es": "en ninguno", "en": "in neither"},
}

_HEADERS = {
    "account_id": {"es": "Cuenta", "en": "Account"},
    "name": {"es": "Nombre", "en": "Name"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "quadrant_before": {"es": "Estrategia antes", "en": "Strategy before"},
    "quadrant_after": {"es": "Estrategia después", "en": "Strategy after"},
    "potential_before": {"es": "Potencial antes", "en": "Potential before"},
    "potential_after": {"es": "Potencial después", "en": "Potential after"},
    "position_before": {"es": "Posición antes", "en": "Position before"},
    "position_after": {"es": "Posición después", "en": "Position after"},
}

_LARGEST_WEIGHT_CHANGES = 3
"""How many weight changes the summary names."""
_SHOWN_WEIGHT_CHANGE = 0.05
"""The smallest change of a weight's share (pp) the summary names (it writes one decimal)."""


@dataclass(frozen=True)
class Comparison:
    """Two scorings of one engagement lined up: weights, composites, quadrant changes, rank agreement."""

    before_name: str
    """The first scenario's name ("workbook" for the workbook's weights)."""
    after_name: str
    period: str | None
    """The period the scores are taken as of (None: the latest)."""
    weights: pd.DataFrame
    """Per criterion, in workbook order: criterion_id, axis, label_es, label_en, weight_before and
    weight_after (the weights as given), share_before and share_after (% of their axis's weights, each axis
    summing to 100) and share_change (after − before, percentage points)."""
    accounts: pd.DataFrame
    """Per account, in workbook order: account_id, name, revenue, placement (one of `PLACEMENTS`),
    potential_before/after/change and position_before/after/change (composites 0–10, change = after −
    before, NaN where an axis has no weighted score), quadrant_before/after (missing when not placed), moved
    (placed under both, quadrant differs), and per axis the rank before and after among the accounts placed
    under both (1 = highest composite; ties share the best rank; <NA> for the others) and rank_change
    (before − after: positive = climbed)."""
    movers: pd.DataFrame
    """The accounts that change quadrant (`MOVER_COLUMNS`), grouped by move (from, then to, in `QUADRANTS`
    order), largest revenue first within a move."""
    rank_correlation: pd.DataFrame
    """Per axis: n (accounts placed under both), spearman_rho (Spearman's ρ) and kendall_tau (Kendall's τ-b)
    of the composites, ties averaged; NaN with fewer than two accounts or when an axis's composites are all
    equal under a scenario."""
    cuts: pd.DataFrame
    """Per axis: cut_before and cut_after, the cut lines the scorings used (0–10; a median cut can move)."""
    scored_before: pd.DataFrame
    """The first scoring, as `score_scenario` returned it (for `kamlib.charts.matrix.matrix_chart`)."""
    scored_after: pd.DataFrame

    def summary(self, lang: str = "es") -> str:
        """Which scenario is compared with which (and as of which period), in one sentence in `lang`."""
        return self._sentences(lang)[0]

    def findings(self, lang: str = "es") -> list[str]:
        """What changes, one sentence each in `lang`: quadrants, rank agreement, cut lines, weights, accounts left
        out of the comparison."""
        return self._sentences(lang)[1:]

    def _sentences(self, lang: str) -> list[str]:
        check_lang(lang)
        words = {key: text[lang] for key, text in _WORDS.items()}
        period = words["as_of"].format(period=self.period) if self.period else ""
        lines = [
            words["title"].format(
                before=scenario_label(self.before_name, lang), after=scenario_label(self.after_name, lang)
            )
            + period
            + "."
        ]
        n = int((self.accounts["placement"] == "both").sum())
        moved = len(self.movers)
        if moved == 0:
            lines.append(words["none_moved"].format(n=n))
        else:
            moves = self.movers.groupby(["quadrant_before", "quadrant_after"], sort=False).size()
            described = ", ".join(
                f"{count} {STRATEGY_NAMES[q0][lang]} → {STRATEGY_NAMES[q1][lang]}" for (q0, q1), count in moves.items()
            )
            lines.append(words["one_moved" if moved == 1 else "moved"].format(k=moved, n=n, moves=described))
        lines.append(
            words["ranks"].format(
                axes="; ".join(
                    f"{words[row.axis]} ρ = {_fixed(row.spearman_rho, lang)}, τ = {_fixed(row.kendall_tau, lang)}"
                    for row in self.rank_correlation.itertuples(index=False)
                )
            )
        )
        lines.append(words["cuts"].format(axes=", ".join(_cut_text(row, lang) for row in self.cuts.itertuples())))
        changed = self.weights[self.weights["share_change"].abs() >= _SHOWN_WEIGHT_CHANGE]
        if changed.empty:
            lines.append(words["same_weights"])
        else:
            largest = changed.sort_values("share_change", key=abs, ascending=False, kind="stable")
            lines.append(
                words["weights"].format(
                    changes=", ".join(
                        f"{_criterion_label(row, lang)} {signed_text(row.share_change, lang, 1)} pp"
                        for row in largest.head(_LARGEST_WEIGHT_CHANGES).itertuples(index=False)
                    )
                )
            )
        left_out = self.accounts[self.accounts["placement"] != "both"]
        if len(left_out):
            placements = zip(left_out["account_id"], left_out["placement"], strict=True)
            accounts = list_known(f"{account} ({words[placement]})" for account, placement in placements)
            lines.append(words["not_compared"].format(n=len(left_out), accounts=accounts))
        return lines

    def table(self, lang: str = "es") -> pd.DataFrame:
        """The movers for people: strategies named and headers in `lang`, composites to two decimals, by account."""
        check_lang(lang)
        table = self.movers.copy()
        for column in ("quadrant_before", "quadrant_after"):
            table[column] = [STRATEGY_NAMES[q][lang] for q in table[column]]
        table = table.round({c: 2 for c in MOVER_COLUMNS if c.startswith(AXES)}).round({"revenue": 0})
        table = table.rename(columns={c: _HEADERS[c][lang] for c in table.columns})
        return table.set_index(_HEADERS["account_id"][lang])


def compare_scenarios(
    engagement: Engagement, before: ScenarioSource, after: ScenarioSource, period: str | None = None
) -> Comparison:
    """Score `engagement` under two scenarios (None: the workbook's weights) and line the results up.

    Scores are as of `period` (any label; None: the latest). Each scoring raises what `score_scenario`
    raises (a `KamError` naming the scenario file and field) and warns about the accounts it leaves out.
    """
    scored_before = score_scenario(engagement, before, period)
    scored_after = score_scenario(engagement, after, period)
    accounts = _accounts(scored_before, scored_after)
    cuts = pd.DataFrame(
        {
            "axis": list(AXES),
            "cut_before": [scored_before.attrs["cuts"][a] for a in AXES],
            "cut_after": [scored_after.attrs["cuts"][a] for a in AXES],
        }
    )
    return Comparison(
        before_name=str(scored_before.attrs["scenario"]),
        after_name=str(scored_after.attrs["scenario"]),
        period=period,
        weights=_weights(engagement, scored_before, scored_after),
        accounts=accounts,
        movers=_movers(accounts),
        rank_correlation=_rank_correlation(accounts),
        cuts=cuts,
        scored_before=scored_before,
        scored_after=scored_after,
    )


def _weights(engagement: Engagement, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each criterion's weight under both scorings, as given and as % of its axis; with criteria per segment, one
    row per segment group and criterion that applies there (`segment` empty for the default rows' group)."""
    criteria = engagement.criteria
    groups = engagement.segments
    group, column = np.nonzero(groups.applies & _scored_groups(engagement)[:, None])
    axis = criteria["axis"].to_numpy(dtype=object)[column]
    frame = pd.DataFrame(
        {
            "criterion_id": criteria["criterion_id"].to_numpy(dtype=object)[column],
            "segment": np.array([name or None for name in groups.names], dtype=object)[group],
            "axis": axis,
            "label_es": criteria["label_es"].to_numpy(dtype=object)[column],
            "label_en": criteria["label_en"].to_numpy(dtype=object)[column],
        }
    )
    for when, scored in (("before", before), ("after", after)):
        weights = weight_matrix(engagement, scored.attrs["weights"], scored.attrs.get("segment_weights"))
        frame[f"weight_{when}"] = weights[group, column]
        total = pd.Series(weights[group, column]).groupby([group, axis]).transform("sum").to_numpy()
        frame[f"share_{when}"] = 100.0 * weights[group, column] / total
    frame["share_change"] = frame["share_after"] - frame["share_before"]
    return frame[list(WEIGHT_COLUMNS)]


def _scored_groups(engagement: Engagement) -> np.ndarray:
    """Per segment group, whether some account is scored by it."""
    groups = engagement.segments
    used = np.zeros(groups.count, dtype=bool)
    used[groups.codes] = True
    return used


def _accounts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each account's composites, quadrants and ranks under both scorings (same accounts, same order)."""
    placed_before = before["placed"].to_numpy(dtype=bool)
    placed_after = after["placed"].to_numpy(dtype=bool)
    both = placed_before & placed_after
    frame = pd.DataFrame(
        {
            "account_id": before["account_id"].to_numpy(dtype=object),
            "name": before["name"].to_numpy(dtype=object),
            "revenue": before["revenue"].to_numpy(dtype=float),
            "placement": np.array(PLACEMENTS, dtype=object)[
                np.select([both, placed_before, placed_after], [0, 1, 2], default=3)
            ],
        }
    )
    for axis in AXES:
        frame[f"{axis}_before"] = before[axis].to_numpy(dtype=float)
        frame[f"{axis}_after"] = after[axis].to_numpy(dtype=float)
        frame[f"{axis}_change"] = frame[f"{axis}_after"] - frame[f"{axis}_before"]
    frame["quadrant_before"] = before["quadrant"].to_numpy(dtype=object)
    frame["quadrant_after"] = after["quadrant"].to_numpy(dtype=object)
    frame["moved"] = both & (frame["quadrant_before"] != frame["quadrant_after"]).to_numpy()
    for axis in AXES:
        for when in ("before", "after"):
            values = frame[f"{axis}_{when}"].where(both)
            frame[f"{axis}_rank_{when}"] = values.rank(ascending=False, method="min").astype("Int64")
        frame[f"{axis}_rank_change"] = frame[f"{axis}_rank_before"] - frame[f"{axis}_rank_after"]
    return frame[list(ACCOUNT_COLUMNS)]


def _movers(accounts: pd.DataFrame) -> pd.DataFrame:
    """The accounts that change quadrant, grouped by move, largest revenue first within a move."""
    movers = accounts.loc[accounts["moved"], list(MOVER_COLUMNS)]
    order = {q: i for i, q in enumerate(QUADRANTS)}
    return movers.sort_values(
        ["quadrant_before", "quadrant_after", "revenue", "account_id"],
        ascending=[True, True, False, True],
        key=lambda column: column.map(order) if column.name.startswith("quadrant") else column,
        kind="stable",
    ).reset_index(drop=True)


def _rank_correlation(accounts: pd.DataFrame) -> pd.DataFrame:
    """Spearman's ρ and Kendall's τ-b of each axis's composites over the accounts placed under both."""
    from scipy import stats

    both = accounts[accounts["placement"] == "both"]
    rows = []
    for axis in AXES:
        x = both[f"{axis}_before"].to_numpy(dtype=float)
        y = both[f"{axis}_after"].to_numpy(dtype=float)
        defined = len(x) >= 2 and np.ptp(x) > 0 and np.ptp(y) > 0
        rows.append(
            {
                "axis": axis,
                "n": len(x),
                "spearman_rho": float(stats.spearmanr(x, y).statistic) if defined else np.nan,
                "kendall_tau": float(stats.kendalltau(x, y).statistic) if defined else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS))


def scenario_label(name: str, lang: str = "es") -> str:
    """Write a scenario's name in quotes for a sentence or a title; the workbook's weights in words."""
    if name == "workbook":
        return _WORDS["workbook"][lang]
    return f"«{name}»" if lang == "es" else f"“{name}”"


def _criterion_label(row: object, lang: str) -> str:
    """A criterion's label in `lang`, its id when it has none; after its segment's name on a segment's row."""
    label = getattr(row, f"label_{lang}")
    text = label.strip() if isinstance(label, str) and label.strip() else str(row.criterion_id)
    return f"{row.segment} · {text}" if isinstance(row.segment, str) else text


def _fixed(value: float, lang: str) -> str:
    """A correlation to two decimals, a dash when it is not defined."""
    return "—" if np.isnan(value) else number_text(value, lang, 2)


def _cut_text(row: object, lang: str) -> str:
    """One axis's cut lines: "potential 5.21 → 4.44", or "position 5 (unchanged)"."""
    axis = _WORDS[row.axis][lang]
    if np.isclose(row.cut_before, row.cut_after):
        return f"{axis} {short_text(row.cut_before, lang, 2)} ({_WORDS['unchanged'][lang]})"
    return f"{axis} {short_text(row.cut_before, lang, 2)} → {short_text(row.cut_after, lang, 2)}"
