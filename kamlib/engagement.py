"""The engagement: one supplier's validated workbook, as tidy pandas DataFrames.

Built only by `kamlib.load` (a file) or `Engagement.from_frames` (in-memory sheets),
both of which validate first, so every computation may trust its columns and types.
Computations never change it; they return new frames.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.errors import KamError
from kamlib.i18n import check_lang, count_text
from kamlib.method import AXES
from kamlib.periods import sort_periods
from kamlib.workbook.identity import Identity
from kamlib.workbook.read import read_workbook
from kamlib.workbook.segments import Segments, build_segments, split_criteria
from kamlib.workbook.sheets import SHEETS_BY_NAME
from kamlib.workbook.validate import ValidWorkbook, frames_to_raw, validate

PACKAGE = Path(__file__).resolve().parent
"""kamlib's own folder: what it holds is never written to."""
SAMPLE_PATH = PACKAGE / "samples" / "sample"
"""The bundled sample engagement (a fictional Spanish food manufacturer), a folder of CSV files."""
SAMPLE_LEDGER_PATH = SAMPLE_PATH.parent / "sample_ledger"
"""The bundled sample's sales ledger: ventas.csv (an ERP export), its mapping ventas.yaml, wallet.csv, README.md."""


_SUMMARY = {
    "en": {
        "core": "{name}: {accounts} accounts, {criteria} criteria ({potential} potential, {position} position), "
        "{scores} scores, {kams} KAMs, {time} time records",
        "survey": " (survey percentages)",
        "competences": ", {n} competence ratings",
        "guide": "; scoring guide: {n} levels for {criteria}",
        "criteria": ("{n} criterion", "{n} criteria"),
        "plan": "; key-account plan: ",
        "stakeholders": "{n} people on decision maps",
        "kpis": "{n} KPI rows",
        "customers": "{n} customers with {scores} selection scores",
        "playbook": "{n} playbook rows of its own",
        "ledger": "; from the sales ledger: metrics of {n} accounts (period {period})",
        "customer": "; the customer's view of our position: {n} on {accounts}",
        "cost": "; cost to serve: {n} on {accounts}",
        "scores": ("{n} score", "{n} scores"),
        "rows": ("{n} row", "{n} rows"),
        "accounts": ("{n} account", "{n} accounts"),
    },
    "es": {
        "core": "{name}: {accounts} cuentas, {criteria} criterios ({potential} de potencial, {position} de posición), "
        "{scores} puntuaciones, {kams} KAM, {time} registros de tiempo",
        "survey": " (porcentajes de encuesta)",
        "competences": ", {n} valoraciones de competencias",
        "guide": "; guía de puntuación: {n} niveles para {criteria}",
        "criteria": ("{n} criterio", "{n} criterios"),
        "plan": "; plan de cuentas clave: ",
        "stakeholders": "{n} personas en mapas de decisión",
        "kpis": "{n} filas de indicadores",
        "customers": "{n} clientes con {scores} puntuaciones de selección",
        "playbook": "{n} filas de guía propias",
        "ledger": "; del libro de ventas: métricas de {n} cuentas (periodo {period})",
        "customer": "; la visión del cliente de nuestra posición: {n} en {accounts}",
        "cost": "; coste de servir: {n} en {accounts}",
        "scores": ("{n} puntuación", "{n} puntuaciones"),
        "rows": ("{n} fila", "{n} filas"),
        "accounts": ("{n} cuenta", "{n} cuentas"),
    },
}


def empty_sheet(name: str) -> pd.DataFrame:
    """An optional sheet the workbook does not have: no rows, the contract's columns."""
    return pd.DataFrame(columns=list(SHEETS_BY_NAME[name].column_names))


@dataclass(frozen=True)
class Engagement:
    """A validated engagement workbook: the required sheets, and the optional ones (empty frames when absent)."""

    name: str
    source: Path | None
    accounts: pd.DataFrame
    criteria: pd.DataFrame
    scores: pd.DataFrame
    kams: pd.DataFrame
    time: pd.DataFrame
    segment_criteria: pd.DataFrame = field(default_factory=lambda: empty_sheet("criteria"))
    """The rows of sheet `criteria` that name a segment: each replaces its criterion's default row for that
    segment's accounts (see `kamlib.workbook.segments`; `segments` puts them to use). `criteria` is the catalogue:
    one row per criterion, its default row (or, for a criterion with only segment rows, its first one)."""
    customer_scores: pd.DataFrame = field(default_factory=lambda: empty_sheet("scores"))
    """The scores of the `scores` sheet whose `side` is customer: how the customer rates our position (see
    `kamlib.plan.customer_view`). `scores` holds our own (side supplier, or no side), which place the accounts."""
    scoring_guide: pd.DataFrame = field(default_factory=lambda: empty_sheet("scoring_guide"))
    """What a score means on each criterion's scale (optional sheet; see `kamlib.workbook.guide.anchors`)."""
    competences: pd.DataFrame = field(default_factory=lambda: empty_sheet("competences"))
    """The KAMs' competence assessments (optional sheet; empty when the workbook has none)."""
    stakeholders: pd.DataFrame = field(default_factory=lambda: empty_sheet("stakeholders"))
    """The people of each account's buying centre, for decision maps (optional sheet)."""
    kpis: pd.DataFrame = field(default_factory=lambda: empty_sheet("kpis"))
    """Each key account's balanced-scorecard indicators per period (optional sheet)."""
    playbook: pd.DataFrame = field(default_factory=lambda: empty_sheet("playbook"))
    """This engagement's changes to the strategy playbook (optional sheet; see `kamlib.plan.playbook`)."""
    customers: pd.DataFrame = field(default_factory=lambda: empty_sheet("customers"))
    """Every customer considered for the key-account list (optional sheet; see `kamlib.plan.selection`)."""
    selection_criteria: pd.DataFrame = field(default_factory=lambda: empty_sheet("selection_criteria"))
    """The key-account selection criteria (optional sheet; empty = the defaults of `kamlib.plan.selection`)."""
    selection_scores: pd.DataFrame = field(default_factory=lambda: empty_sheet("selection_scores"))
    """The customers' scores on the selection criteria (optional sheet)."""
    ledger_metrics: pd.DataFrame = field(default_factory=lambda: empty_sheet("ledger_metrics"))
    """Each account's metrics from the sales ledger per period, as `kam ingest` wrote them (optional sheet)."""
    whitespace: pd.DataFrame = field(default_factory=lambda: empty_sheet("whitespace"))
    """The product families each account does not buy, per ledger period (optional sheet)."""
    forecasts: pd.DataFrame = field(default_factory=lambda: empty_sheet("forecasts"))
    """Where accounts will be at a horizon, with our plan and without it (optional sheet; see
    `kamlib.plan.forecast`)."""
    cost_to_serve: pd.DataFrame = field(default_factory=lambda: empty_sheet("cost_to_serve"))
    """What serving each account costs beyond its KAM's time, per item and period (optional sheet; see
    `kamlib.plan.cost`)."""
    identity: Identity = field(default_factory=Identity)
    """Who the engagement is for, by whom, when, in which language and currency (the optional `engagement` sheet;
    see `kamlib.workbook.identity`): it titles the deliverables."""
    extra: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    """Sheets beyond those of the contract, kept as read."""
    rows: Mapping[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    """Excel row number of each row of each sheet (header = row 1), for messages about computed results."""
    files: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """The file each sheet was read from, as messages name it."""

    def locate(self, sheet: str, positions: np.ndarray) -> tuple[str, np.ndarray]:
        """Return the file and the Excel rows of the rows at `positions` of a sheet (positions + 2 if unknown)."""
        rows = self.rows.get(sheet)
        excel = rows[positions] if rows is not None and len(rows) == len(getattr(self, sheet)) else positions + 2
        return self.files.get(sheet, self.name), np.asarray(excel, dtype=np.int64)

    @property
    def time_unit(self) -> str:
        """`hours` for a time log, `percent` for a survey of stated shares (see the workbook's `time` sheet)."""
        percent = self.time.get("percent")
        return "percent" if percent is not None and bool(percent.notna().any()) else "hours"

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], name: str = "engagement") -> Engagement:
        """Validate in-memory sheets (same names and rules as a workbook) and return the engagement."""
        return cls.from_valid(validate(frames_to_raw(dict(frames), name)))

    @classmethod
    def from_valid(cls, valid: ValidWorkbook) -> Engagement:
        """The engagement of a workbook that passed validation."""
        sheets = dict(valid.sheets)
        identity = Identity.from_sheet(sheets.pop("engagement", None))
        rows, files = dict(valid.rows), dict(valid.files)
        theirs = (sheets["scores"]["side"] == "customer").to_numpy(dtype=bool)
        for name, keep in (("customer_scores", theirs), ("scores", ~theirs)):
            rows[name] = rows["scores"][keep]
            files[name] = files["scores"]
            sheets[name] = sheets["scores"][keep].reset_index(drop=True)
        catalogue, segment_rows = split_criteria(sheets["criteria"])
        for name, keep in (("segment_criteria", segment_rows), ("criteria", catalogue)):
            rows[name] = rows["criteria"][keep]
            files[name] = files["criteria"]
            sheets[name] = sheets["criteria"].iloc[keep].reset_index(drop=True)
        return cls(
            name=valid.name,
            source=valid.source,
            identity=identity,
            extra=valid.extra,
            rows=rows,
            files=files,
            **sheets,
        )

    @functools.cached_property
    def segments(self) -> Segments:
        """Each account's group of criteria and each group's weights, scales and directions (one group, the
        default rows, when `criteria` names no segment; see `kamlib.workbook.segments`)."""
        return build_segments(self.criteria, self.segment_criteria, self.accounts)

    @property
    def default_criteria(self) -> pd.DataFrame:
        """The criteria that have a default row (all of them without segments): those whose weights a scenario's
        `weights` and the group's AHP judgements set."""
        return self.criteria[self.segments.applies[0]]

    @property
    def weights(self) -> pd.Series:
        """The catalogue's criterion weights, indexed by criterion_id: with criteria per segment, the default rows'
        (a criterion with only segment rows shows its first segment's); each segment's are in `segments`
        (`kamlib.scoring.weight_matrix`)."""
        return self.criteria.set_index("criterion_id")["weight"]

    @property
    def periods(self) -> list[str]:
        """Our score periods present, oldest first (natural order, see `kamlib.periods`): the scoring rounds (the
        customer's scores, a survey of their own, are left out: `all_periods`)."""
        return _periods([self.scores])

    @property
    def all_periods(self) -> list[str]:
        """Every period the `scores` sheet holds, ours and the customer's, oldest first: a new period must be new
        to both (the workshop's accept step)."""
        return _periods([self.scores, self.customer_scores])

    def axis_criteria(self, axis: str) -> pd.DataFrame:
        """The criteria of one axis (`potential` or `position`)."""
        if axis not in AXES:
            raise ValueError(f"unknown axis {axis!r}; allowed: {', '.join(AXES)}")
        return self.criteria[self.criteria["axis"] == axis]

    def summary(self, lang: str = "en") -> str:
        """One line naming what the engagement holds (the key-account plan's sheets only when they have rows)."""
        words = _SUMMARY[check_lang(lang)]
        axes = self.criteria["axis"]
        text = words["core"].format(
            name=self.name,
            accounts=len(self.accounts),
            criteria=len(self.criteria),
            potential=int((axes == "potential").sum()),
            position=int((axes == "position").sum()),
            scores=len(self.scores),
            kams=len(self.kams),
            time=len(self.time),
        )
        text += words["survey"] if self.time_unit == "percent" else ""
        text += words["competences"].format(n=len(self.competences)) if len(self.competences) else ""
        if len(self.customer_scores):
            scores = count_text(words["scores"], len(self.customer_scores), lang)
            accounts = count_text(words["accounts"], self.customer_scores["account_id"].nunique(), lang)
            text += words["customer"].format(n=scores, accounts=accounts)
        if len(self.scoring_guide):
            described = count_text(words["criteria"], self.scoring_guide["criterion_id"].nunique(), lang)
            text += words["guide"].format(n=len(self.scoring_guide), criteria=described)
        plan = [
            words[key].format(n=len(getattr(self, key)), scores=len(self.selection_scores))
            for key in ("stakeholders", "kpis", "customers", "playbook")
            if len(getattr(self, key))
        ]
        text += words["plan"] + ", ".join(plan) if plan else ""
        if len(self.cost_to_serve):
            rows = count_text(words["rows"], len(self.cost_to_serve), lang)
            accounts = count_text(words["accounts"], self.cost_to_serve["account_id"].nunique(), lang)
            text += words["cost"].format(n=rows, accounts=accounts)
        if len(self.ledger_metrics):
            latest = ledger_periods(self)[-1]
            n = int((self.ledger_metrics["period"].astype(str) == latest).sum())
            text += words["ledger"].format(n=n, period=latest)
        return text


def _periods(frames: list[pd.DataFrame]) -> list[str]:
    labels = [f["period"].dropna() for f in frames if "period" in f]
    return sort_periods(list(dict.fromkeys(p for found in labels for p in found)))


def copy_sample(out: Path | str, ledger: bool = False) -> Path:
    """Copy the bundled sample engagement (or, with `ledger`, its sales ledger) into `out`, a new or empty folder,
    whole or not at all: the files are written to a hidden folder inside `out` first, then moved into place; on
    failure nothing is left (and `out` is removed if this made it). A folder that holds anything, a file, a link
    or a place inside kamlib itself is refused."""
    out = Path(out)
    source = SAMPLE_LEDGER_PATH if ledger else SAMPLE_PATH
    if out.is_symlink() or (out.exists() and (not out.is_dir() or any(out.iterdir()))):
        raise KamError(
            f"{out}: already exists and is not an empty folder; name a new one",
            f"{out}: ya existe y no es una carpeta vacía; indique una nueva",
        )
    if out.resolve().is_relative_to(PACKAGE):
        raise KamError(
            f"{out}: inside kamlib's own folder ({PACKAGE}); name a folder of your own",
            f"{out}: dentro de la carpeta de kamlib ({PACKAGE}); indique una carpeta propia",
        )
    made = not out.exists()
    moved: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".kam-sample-", dir=out))
        try:
            files = sorted(source.iterdir())
            for file in files:
                shutil.copyfile(file, temp / file.name)
            for file in files:
                moved.append((temp / file.name).replace(out / file.name))
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    except OSError as exc:
        for path in moved:
            path.unlink(missing_ok=True)
        if made:
            shutil.rmtree(out, ignore_errors=True)
        raise KamError(
            f"{out}: the sample could not be written ({exc.strerror or exc}); nothing was kept",
            f"{out}: no se pudo escribir la muestra ({exc.strerror or exc}); no se ha guardado nada",
        ) from exc
    return out


def load(path: Path | str | None = None) -> Engagement:
    """Read and validate an engagement workbook (.xlsx or CSV folder); raise `WorkbookError` listing every problem.

    With no path, load the workbook named by the environment variable `KAM_WORKBOOK`
    (how `kam serve` hands one to its notebooks), else the bundled sample engagement.
    """
    if path is None:
        path = os.environ.get("KAM_WORKBOOK") or SAMPLE_PATH
    return Engagement.from_valid(validate(read_workbook(path)))


def ledger_periods(engagement: Engagement) -> list[str]:
    """The periods of the workbook's `ledger_metrics` sheet, oldest first: by their as-of date (a ledger's
    period label may be a month, 2026-12, or a round, 2026-H1, which natural order would sort the wrong way
    round), then by label."""
    frame = engagement.ledger_metrics
    if frame.empty:
        return []
    as_of = pd.to_datetime(frame["as_of"].astype(str), errors="coerce", format="mixed")
    latest = as_of.groupby(frame["period"].astype(str)).max()
    labels = sort_periods(latest.index.tolist())  # the natural order breaks ties and orders dateless periods
    rank = {label: i for i, label in enumerate(labels)}
    return sorted(
        labels, key=lambda label: (latest[label] if pd.notna(latest[label]) else pd.Timestamp.min, rank[label])
    )
