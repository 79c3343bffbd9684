"""Selecting key accounts (METHOD.md §4): score every customer, propose the list above a cut-off, show the changes.

The rule (the scoring engine of the matrix, `kamlib.scoring`, with one group instead of two axes):

- criteria: the engagement's `selection_criteria` sheet, or when it has no rows the five of METHOD.md §4
  (`DEFAULT_SELECTION_CRITERIA`: volume and scalability, profitability, product diversification, market
  access, capacity to adopt innovation; weight 1 each, scale 1–10, higher is better). `weights` overrides
  them by criterion id (known ids, numbers ≥ 0, at least one > 0).
- raw score per customer and criterion: the latest period (or as of `period`), assessors averaged.
- n = (score − scale_min) / (scale_max − scale_min), n ← 1 − n when lower is better.
- composite = 10 × Σ wᵢ·nᵢ / Σ wᵢ over the criteria the customer has a score on (0–10, rounded to
  `kamlib.scoring.DECIMALS`); no score on any criterion with weight > 0 → `not_scored` (never 0).
- rank: 1 = highest composite among the scored customers; ties share the best rank.
- weight_scored: the % of the criteria's total weight the customer has scores on; below 100 the composite
  rests on part of the criteria only, and the summary names those customers.
- proposed: composite ≥ `cutoff` (on the cut-off is in); or, with `top` = N, rank ≤ N: a tie at the
  boundary proposes every tied customer (the list may be longer than N, never arbitrary), and fewer
  than N are proposed only when fewer are scored. `top` wins over `cutoff`.
- current: the customer's id is an `account_id` of the `accounts` sheet (today's key accounts).
- status: stays (current, proposed), enters (new, proposed), leaves (current, not proposed),
  out (new, not proposed), not_scored (no composite: never proposed, and a current account without a
  score is not counted as leaving), not_assessed (a current key account missing from the `customers`
  sheet: it cannot be judged).
- drivers of a change: with c the cut-off used (under `top`, the lowest proposed composite),
  composite − c = Σᵢ 10·wᵢ·(nᵢ − c/10) / Σ wⱼ over the scored criteria; each term is criterion i's
  contribution. A customer that enters is driven by its largest positive contributions, one that leaves
  by its most negative ones (up to `DRIVERS` each).

Pure pandas and numpy; charts are in `kamlib.charts.selection`, the widget in `kamlib.widgets.selection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import KamError, list_known
from kamlib.i18n import check_lang, number_text, signed_text
from kamlib.method import SELECTION_CRITERIA, SELECTION_SCALE
from kamlib.scoring import normalise, override_weights, score_matrix, weighted_composites
from kamlib.workbook.sheets import CUSTOMERS, SELECTION_SCORES

DEFAULT_CUTOFF = 5.0
"""The default cut-off on the 0–10 composite (the scale's midpoint, as the matrix's cut lines; ours)."""
DRIVERS = 2
"""How many criteria `Selection.changes` names as driving a customer in or out."""

STATUSES: tuple[str, ...] = ("stays", "enters", "leaves", "out", "not_scored", "not_assessed")
"""A customer's status against today's key-account list."""

STATUS_LABELS: Mapping[str, Mapping[str, str]] = {
    "stays": {"es": "Se queda", "en": "Stays"},
    "enters": {"es": "Entra", "en": "Enters"},
    "leaves": {"es": "Sale", "en": "Leaves"},
    "out": {"es": "Fuera", "en": "Out"},
    "not_scored": {"es": "Sin puntuar", "en": "Not scored"},
    "not_assessed": {"es": "Sin evaluar", "en": "Not assessed"},
}


@dataclass(frozen=True)
class SelectionCriterion:
    """One criterion for selecting key accounts, as a row of the `selection_criteria` sheet."""

    criterion_id: str
    label_es: str
    label_en: str
    weight: float = 1.0
    scale_min: float = SELECTION_SCALE[0]
    scale_max: float = SELECTION_SCALE[1]
    higher_is_better: bool = True


DEFAULT_SELECTION_CRITERIA: tuple[SelectionCriterion, ...] = tuple(
    SelectionCriterion(cid, es, en, 1.0, *SELECTION_SCALE) for cid, es, en in SELECTION_CRITERIA
)
"""What key accounts bring (METHOD.md §4, seed 003): the criteria used when the workbook states none."""

CRITERIA_COLUMNS: tuple[str, ...] = (
    "criterion_id",
    "label_es",
    "label_en",
    "weight",
    "scale_min",
    "scale_max",
    "higher_is_better",
)
BASE_COLUMNS: tuple[str, ...] = ("customer_id", "name", "sector", "revenue", "composite", "rank", "weight_scored")
FLAG_COLUMNS: tuple[str, ...] = ("current", "proposed", "status")
CHANGE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "name",
    "sector",
    "revenue",
    "status",
    "composite",
    "rank",
    "gap",
    "drivers",
    "drivers_es",
    "drivers_en",
)
"""The columns of `Selection.changes`."""

_HEADERS = {
    "customer_id": {"es": "Cliente", "en": "Customer"},
    "name": {"es": "Nombre", "en": "Name"},
    "sector": {"es": "Sector", "en": "Sector"},
    "revenue": {"es": "Facturación", "en": "Revenue"},
    "composite": {"es": "Puntuación (0–10)", "en": "Score (0–10)"},
    "rank": {"es": "Puesto", "en": "Rank"},
    "current": {"es": "Cuenta clave hoy", "en": "Key account today"},
    "proposed": {"es": "Propuesta", "en": "Proposed"},
    "status": {"es": "Estado", "en": "Status"},
    "gap": {"es": "Frente al corte", "en": "Against the cut-off"},
    "drivers": {"es": "Por qué", "en": "Why"},
}
_YES_NO = {"es": ("Sí", "No"), "en": ("Yes", "No")}


def criterion_column(criterion_id: str) -> str:
    """The column of `Selection.customers` holding a criterion's normalised score: its id, or
    `criterion_<id>` when the id is one of the other columns' names (a criterion called "revenue")."""
    return f"criterion_{criterion_id}" if criterion_id in (*BASE_COLUMNS, *FLAG_COLUMNS) else criterion_id


def default_selection_criteria() -> pd.DataFrame:
    """Return `DEFAULT_SELECTION_CRITERIA` as a frame with the `selection_criteria` sheet's columns."""
    return pd.DataFrame(
        [[getattr(c, name) for name in CRITERIA_COLUMNS] for c in DEFAULT_SELECTION_CRITERIA],
        columns=list(CRITERIA_COLUMNS),
    ).astype({"weight": float, "scale_min": float, "scale_max": float, "higher_is_better": bool})


def selection_criteria(engagement: Engagement) -> pd.DataFrame:
    """Return the engagement's selection criteria (`CRITERIA_COLUMNS`), or the defaults when its sheet is empty.

    A label left empty shows the criterion's id.
    """
    sheet = engagement.selection_criteria
    if sheet.empty:
        return default_selection_criteria()
    criteria = sheet[list(CRITERIA_COLUMNS)].reset_index(drop=True).copy()
    for lang in ("es", "en"):
        label = criteria[f"label_{lang}"]
        filled = label.notna() & (label.astype(str).str.strip() != "")
        criteria[f"label_{lang}"] = label.where(filled, criteria["criterion_id"]).astype(str)
    return criteria.astype({"weight": float, "scale_min": float, "scale_max": float, "higher_is_better": bool})


@dataclass(frozen=True)
class Selection:
    """Every customer scored on the selection criteria, the proposed key-account list and its changes."""

    customers: pd.DataFrame
    """One row per customer (workbook order within equal ranks): `BASE_COLUMNS` (composite 0–10, NaN when
    not scored; rank 1 = best, <NA> when not scored), then each criterion's normalised score 0–1 (1 = best,
    lower-is-better reversed; NaN when not scored) under its criterion id (`criterion_column`), then
    `FLAG_COLUMNS`. Ordered by rank, then the customers not scored, then today's key accounts not in the
    customers sheet (status not_assessed). What `kam select --out` writes."""
    criteria: pd.DataFrame
    """The criteria used (`CRITERIA_COLUMNS`), `weight` as used (overrides applied), plus `share`: the
    weight as % of the total."""
    cutoff: float | None
    """The cut-off used: the one given, or under `top` the lowest proposed composite (None: none proposed)."""
    top: int | None = None
    """N when the N best were proposed instead of a cut-off."""
    period: str | None = None
    """The period the scores are taken as of (None: the latest)."""
    weights: Mapping[str, float] = field(default_factory=dict)
    """The weights given over the criteria's own (criterion_id → weight)."""
    contributions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    """Each scored customer's contribution of each criterion to composite − cutoff (points, rows by
    customer_id, columns by criterion id; NaN where not scored or weight 0); see the module's rule."""

    @property
    def criterion_ids(self) -> list[str]:
        return self.criteria["criterion_id"].tolist()

    @property
    def proposed_ids(self) -> list[str]:
        """The proposed key accounts, best first."""
        return self.customers.loc[self.customers["proposed"], "customer_id"].tolist()

    def count(self, status: str) -> int:
        """How many customers have `status` (one of `STATUSES`)."""
        return int((self.customers["status"] == status).sum())

    def labels(self, lang: str) -> dict[str, str]:
        """Criterion id → its label in `lang`."""
        return dict(zip(self.criteria["criterion_id"], self.criteria[f"label_{lang}"], strict=True))

    def changes(self) -> pd.DataFrame:
        """Who enters and who leaves (`CHANGE_COLUMNS`): enters first, each group by rank.

        `gap` is composite − cutoff; `drivers` names, comma-separated, the criteria that push the customer
        across the cut-off (largest contribution first, at most `DRIVERS`; see the module's rule), and
        `drivers_es` / `drivers_en` say the same with labels and contributions in points.
        """
        rows = self.customers[self.customers["status"].isin(["enters", "leaves"])]
        rows = rows.sort_values(
            ["status", "rank"],
            key=lambda c: c.map({"enters": 0, "leaves": 1}) if c.name == "status" else c,
            kind="stable",
        )
        frame = rows[["customer_id", "name", "sector", "revenue", "status", "composite", "rank"]].copy()
        frame["gap"] = frame["composite"] - (self.cutoff if self.cutoff is not None else np.nan)
        drivers: list[list[tuple[str, float]]] = []
        for customer, status in zip(frame["customer_id"], frame["status"], strict=True):
            terms = self.contributions.loc[customer].dropna()
            terms = terms[terms > 0] if status == "enters" else terms[terms < 0]
            order = np.argsort(-terms.abs().to_numpy(), kind="stable")[:DRIVERS]
            drivers.append([(str(terms.index[i]), float(terms.iloc[i])) for i in order])
        frame["drivers"] = [", ".join(c for c, _ in d) for d in drivers]
        for lang in ("es", "en"):
            labels = self.labels(lang)
            frame[f"drivers_{lang}"] = [
                "; ".join(f"{labels[c]} {signed_text(v, lang, 1)}" for c, v in d) for d in drivers
            ]
        return frame[list(CHANGE_COLUMNS)].reset_index(drop=True)

    def changes_table(self, lang: str = "es") -> pd.DataFrame:
        """The changes for people: status and criteria in `lang`, composite to one decimal, by customer."""
        check_lang(lang)
        changes = self.changes()
        table = pd.DataFrame(
            {
                _HEADERS["customer_id"][lang]: changes["customer_id"],
                _HEADERS["name"][lang]: changes["name"],
                _HEADERS["status"][lang]: [STATUS_LABELS[s][lang] for s in changes["status"]],
                _HEADERS["composite"][lang]: changes["composite"].round(1),
                _HEADERS["rank"][lang]: changes["rank"],
                _HEADERS["gap"][lang]: changes["gap"].round(1),
                _HEADERS["drivers"][lang]: changes[f"drivers_{lang}"],
            }
        )
        return table.set_index(_HEADERS["customer_id"][lang])

    def table(self, lang: str = "es") -> pd.DataFrame:
        """Every customer for people: headers, status and yes/no in `lang`; composite and criteria on 0–10."""
        check_lang(lang)
        c = self.customers
        yes, no = _YES_NO[lang]
        table = pd.DataFrame(
            {
                _HEADERS["customer_id"][lang]: c["customer_id"],
                _HEADERS["name"][lang]: c["name"],
                _HEADERS["sector"][lang]: c["sector"],
                _HEADERS["revenue"][lang]: c["revenue"].round(0),
                _HEADERS["composite"][lang]: c["composite"].round(1),
                _HEADERS["rank"][lang]: c["rank"],
                **{label: (10 * c[criterion_column(cid)]).round(1) for cid, label in self.labels(lang).items()},
                _HEADERS["current"][lang]: np.where(c["current"], yes, no),
                _HEADERS["proposed"][lang]: np.where(c["proposed"], yes, no),
                _HEADERS["status"][lang]: [STATUS_LABELS[s][lang] for s in c["status"]],
            }
        )
        return table.set_index(_HEADERS["customer_id"][lang])

    def rule_text(self, lang: str = "es") -> str:
        """How the list was cut, in a few words: "composite ≥ 5.0" or "the best 10"."""
        if self.top is not None:
            proposed = self.count("stays") + self.count("enters")
            ties = proposed > self.top
            if lang == "es":
                best = "el mejor" if self.top == 1 else f"los {self.top} mejores"
                return best + (", con los empates" if ties else "")
            return ("the best one" if self.top == 1 else f"the best {self.top}") + (", ties included" if ties else "")
        cut = number_text(self.cutoff if self.cutoff is not None else DEFAULT_CUTOFF, lang, 1)
        return f"puntuación ≥ {cut}" if lang == "es" else f"score ≥ {cut}"

    def summary(self, lang: str = "es") -> str:
        """Say in one or two sentences how many are proposed, who stays, enters and leaves, and who is not judged."""
        check_lang(lang)
        stays, enters, leaves = self.count("stays"), self.count("enters"), self.count("leaves")
        proposed = stays + enters
        rule = self.rule_text(lang)
        if lang == "es":
            text = (
                f"{proposed} {'cliente propuesto' if proposed == 1 else 'clientes propuestos'} ({rule}): "
                f"{stays} {'se queda' if stays == 1 else 'se quedan'}, "
                f"{enters} {'entra' if enters == 1 else 'entran'}; "
                + (
                    "ninguna de las cuentas clave de hoy saldría."
                    if leaves == 0
                    else f"{leaves} de las cuentas clave de hoy {'saldría' if leaves == 1 else 'saldrían'}."
                )
            )
        else:
            text = (
                f"{proposed} {'customer' if proposed == 1 else 'customers'} proposed ({rule}): "
                f"{stays} {'stays' if stays == 1 else 'stay'}, {enters} {'enters' if enters == 1 else 'enter'}; "
                + (
                    "none of today's key accounts would leave."
                    if leaves == 0
                    else f"{leaves} of today's key accounts would leave."
                )
            )
        unjudged = self._unjudged(lang)
        return text + (" " + unjudged if unjudged else "")

    def _unjudged(self, lang: str) -> str:
        """The sentence naming who cannot be judged: key accounts not in customers, customers without a score."""
        c = self.customers
        parts = []
        missing = c.loc[c["status"] == "not_assessed", "customer_id"]
        if len(missing):
            ids = list_known(missing)
            one = len(missing) == 1
            parts.append(
                f"{len(missing)} de las cuentas clave de hoy no {'figura' if one else 'figuran'} entre los clientes "
                f"evaluados ({ids})"
                if lang == "es"
                else f"{len(missing)} of today's key accounts {'is' if one else 'are'} not among the customers "
                f"assessed ({ids})"
            )
        unscored = c[c["status"] == "not_scored"]
        if len(unscored):
            ids = list_known(
                f"{cid} ({'cuenta clave hoy' if lang == 'es' else 'a key account today'})" if current else str(cid)
                for cid, current in zip(unscored["customer_id"], unscored["current"], strict=True)
            )
            n = len(unscored)
            parts.append(
                f"{n} {'cliente' if n == 1 else 'clientes'} sin puntuación en ningún criterio de selección con peso, "
                f"no {'propuesto' if n == 1 else 'propuestos'}: {ids}"
                if lang == "es"
                else f"{n} {'customer' if n == 1 else 'customers'} without a score on any weighted selection "
                f"criterion, not proposed: {ids}"
            )
        partial = c[c["status"].isin(["stays", "enters", "leaves", "out"]) & (c["weight_scored"] < 100.0 - 1e-9)]
        note = ""
        if len(partial):
            ids = list_known(partial["customer_id"])
            n = len(partial)
            note = (
                f" {n} {'cliente tiene' if n == 1 else 'clientes tienen'} puntuación solo en parte de los criterios "
                f"(su puntuación se basa en los que tiene): {ids}."
                if lang == "es"
                else f" {n} {'customer is' if n == 1 else 'customers are'} scored on part of the criteria only "
                f"(the score rests on those): {ids}."
            )
        if not parts:
            return note.strip()
        return ("Sin juzgar: " if lang == "es" else "Not judged: ") + "; ".join(parts) + "." + note


def select_accounts(
    engagement: Engagement,
    cutoff: float | None = DEFAULT_CUTOFF,
    top: int | None = None,
    weights: Mapping[str, float] | None = None,
    period: str | None = None,
) -> Selection:
    """Score every customer on the selection criteria and propose the key-account list (the module's rule).

    `cutoff` (0–10) proposes every customer whose composite is at least it; `top` = N proposes the N
    best instead (ties at the boundary all in). `weights` overrides criteria weights by id. Raises
    `KamError` when the workbook has no customers or no selection scores, naming what to add, and for a
    bad cut-off, top or weight.
    """
    customers = engagement.customers
    scores = engagement.selection_scores
    if customers.empty or scores.empty:
        raise _missing_sheets(customers.empty)
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
            raise KamError(
                f"top {top!r} is not allowed; allowed: a whole number ≥ 1",
                f"top {top!r} no se admite; se admite: un número entero ≥ 1",
            )
        top = int(top)
    elif cutoff is None:
        raise KamError("give a cut-off or a top N", "indique un corte o los N mejores (top)")
    elif isinstance(cutoff, bool) or not isinstance(cutoff, Real) or not 0 <= cutoff <= 10:
        shown = f"{cutoff:g}" if isinstance(cutoff, Real) and not isinstance(cutoff, bool) else repr(cutoff)
        raise KamError(
            f"cut-off {shown} is not allowed; allowed: a number from 0 to 10",
            f"el corte {shown} no se admite; se admite: un número de 0 a 10",
        )
    criteria = selection_criteria(engagement)
    ids = criteria["criterion_id"].tolist()
    w = override_weights(ids, criteria["weight"].to_numpy(dtype=float), weights)
    if not (w > 0).any():
        raise KamError(
            f"all selection weights are zero ({list_known(ids)}); at least one must be > 0",
            f"todos los pesos de selección son cero ({list_known(ids)}); al menos uno debe ser > 0",
        )
    customer_ids = customers["customer_id"].astype(str).reset_index(drop=True)
    raw = score_matrix(scores, customer_ids, ids, "customer_id", period)
    normalised = normalise(
        raw,
        criteria["scale_min"].to_numpy(dtype=float),
        criteria["scale_max"].to_numpy(dtype=float),
        criteria["higher_is_better"].to_numpy(dtype=bool),
    )
    composite = weighted_composites(normalised, w, np.zeros(len(ids), dtype=np.int64), 1)[:, 0]
    rank = pd.Series(composite).rank(ascending=False, method="min")
    if top is not None:
        proposed = (rank <= top).to_numpy()
        cut = float(composite[proposed].min()) if proposed.any() else None
    else:
        proposed = composite >= float(cutoff)  # NaN (not scored) compares False
        cut = float(cutoff)
    current_ids = engagement.accounts["account_id"].astype(str)
    current = customer_ids.isin(set(current_ids)).to_numpy()
    scored = ~np.isnan(composite)
    status = np.select(
        [~scored, current & proposed, proposed, current],
        ["not_scored", "stays", "enters", "leaves"],
        default="out",
    ).astype(object)
    frame = pd.DataFrame(
        {
            "customer_id": customer_ids.to_numpy(dtype=object),
            "name": customers["name"].to_numpy(dtype=object),
            "sector": customers["sector"].to_numpy(dtype=object),
            "revenue": pd.to_numeric(customers["revenue"], errors="coerce").to_numpy(dtype=float),
            "composite": composite,
            "rank": rank.astype("Int64").to_numpy(),
            "weight_scored": 100.0 * (~np.isnan(normalised) @ w) / w.sum(),
        }
    )
    for j, cid in enumerate(ids):
        frame[criterion_column(cid)] = normalised[:, j]
    frame["current"] = current
    frame["proposed"] = proposed
    frame["status"] = status
    order = np.lexsort((np.arange(len(frame)), np.where(scored, rank.to_numpy(), np.inf)))
    frame = frame.iloc[order]
    missing = engagement.accounts[~current_ids.isin(set(customer_ids))]
    if len(missing):
        absent = pd.DataFrame(
            {
                "customer_id": missing["account_id"].astype(str).to_numpy(dtype=object),
                "name": missing["name"].to_numpy(dtype=object),
                "sector": missing["sector"].to_numpy(dtype=object),
                "revenue": missing["revenue"].to_numpy(dtype=float),
                "composite": np.nan,
                "rank": pd.array([pd.NA] * len(missing), dtype="Int64"),
                "weight_scored": 0.0,
                **{criterion_column(cid): np.nan for cid in ids},
                "current": True,
                "proposed": False,
                "status": "not_assessed",
            }
        )
        frame = pd.concat([frame, absent], ignore_index=True)
    frame = frame.reset_index(drop=True)
    frame["rank"] = frame["rank"].astype("Int64")
    used = criteria.assign(weight=w, share=100.0 * w / w.sum())
    return Selection(
        customers=frame,
        criteria=used,
        cutoff=cut,
        top=top,
        period=period,
        weights={str(k): float(v) for k, v in (weights or {}).items()},
        contributions=_contributions(customer_ids, ids, normalised, w, cut),
    )


def select_or_explain(
    engagement: Engagement, lang: str = "es", cutoff: float = DEFAULT_CUTOFF
) -> tuple[Selection | None, str]:
    """For client pages that must not fail (reports, dashboard): the selection and its summary, or None and a
    sentence saying there is none and why (no candidate customers, or none scored yet), in the client's words: the
    sheets to add are the CLI's and the notebooks' business (`select_accounts` raises naming them)."""
    check_lang(lang)
    if engagement.customers.empty:
        return None, NO_SELECTION["customers"][lang]
    if engagement.selection_scores.empty:
        return None, NO_SELECTION["scores"][lang]
    selection = select_accounts(engagement, cutoff)
    return selection, selection.summary(lang)


NO_SELECTION = {
    "customers": {
        "es": "Sin selección de cuentas clave: el encargo no incluye clientes candidatos.",
        "en": "No key-account selection: the engagement has no candidate customers.",
    },
    "scores": {
        "es": "Sin selección de cuentas clave: los clientes candidatos aún no tienen puntuación de selección.",
        "en": "No key-account selection: the candidate customers have no selection scores yet.",
    },
}
"""What a client page says when no selection can be made."""


def _contributions(
    customer_ids: pd.Series, ids: list[str], normalised: np.ndarray, w: np.ndarray, cut: float | None
) -> pd.DataFrame:
    """Each criterion's share of composite − cut: 10·wᵢ·(nᵢ − cut/10) / Σ wⱼ over the scored, weighted criteria."""
    counted = ~np.isnan(normalised) & (w > 0)
    total = np.where(counted, w, 0.0).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = 10.0 * w * (normalised - (np.nan if cut is None else cut) / 10.0) / total
    return pd.DataFrame(np.where(counted, terms, np.nan), index=customer_ids.to_numpy(), columns=ids)


def _missing_sheets(no_customers: bool) -> KamError:
    """Say which sheets (and columns) to add before key accounts can be selected."""

    def columns(sheet, lang: str) -> str:
        required = [c.name for c in sheet.columns if c.required]
        optional = [c.name for c in sheet.columns if not c.required]
        word = "opcionales" if lang == "es" else "optional"
        return ", ".join(required) + (f"; {word}: {', '.join(optional)}" if optional else "")

    default_ids = ", ".join(c.criterion_id for c in DEFAULT_SELECTION_CRITERIA)
    if no_customers:
        return KamError(
            f'no customers to select key accounts from: add a sheet "customers" (columns {columns(CUSTOMERS, "en")}) '
            "listing every candidate, today's key accounts included with their account_id as customer_id, and score "
            f'them in a sheet "selection_scores" (columns {columns(SELECTION_SCORES, "en")})',
            f'no hay clientes entre los que seleccionar cuentas clave: añada una hoja "customers" (columnas '
            f"{columns(CUSTOMERS, 'es')}) con todos los candidatos, también las cuentas clave de hoy con su "
            'account_id como customer_id, y puntúelos en una hoja "selection_scores" (columnas '
            f"{columns(SELECTION_SCORES, 'es')})",
        )
    return KamError(
        f'no selection scores: add a sheet "selection_scores" (columns {columns(SELECTION_SCORES, "en")}) with each '
        f'customer\'s score on the selection criteria (sheet "selection_criteria", or the defaults: {default_ids})',
        f'no hay puntuaciones de selección: añada una hoja "selection_scores" (columnas '
        f"{columns(SELECTION_SCORES, 'es')}) con la puntuación de cada cliente en los criterios de selección (hoja "
        f'"selection_criteria", o los de por defecto: {default_ids})',
    )
