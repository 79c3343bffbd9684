"""Synthetic engagements of any size, for benchmarks, tests and demos.

Everything here is pure: each function takes a `seed` and draws from its own
`np.random.default_rng(seed)`, so the same arguments always give the same frames.
The frames follow the workbook contract (`kamlib.workbook.sheets`) column for column.
Long columns that repeat a few values (ids in `scores` and `time`, periods,
activities) are pandas categoricals, so 20 million score rows stay cheap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.fileio import atomic_path
from kamlib.method import ACTIVITIES, AXES, REFERENCE_PROFILE
from kamlib.workbook.sheets import SHEETS_BY_NAME

SCORE_PERIOD = "2026-H1"
"""Period label of the synthetic scores."""

TIME_PERIODS: tuple[str, ...] = tuple(f"2025-{m:02d}" for m in range(1, 13))
"""Monthly periods of the synthetic time records."""

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, header included."""

SECTORS: tuple[str, ...] = (
    "gran distribución",
    "cash & carry / mayoristas",
    "horeca",
    "industria alimentaria",
    "tiendas gourmet",
    "exportación",
)
"""Sectors (channels) of a Spanish food manufacturer's customers, used by the synthetic and sample data."""
_SECTOR_P = (0.25, 0.2, 0.2, 0.15, 0.1, 0.1)
_COUNTRIES = ("ES", "PT", "FR")
_COUNTRY_P = (0.8, 0.12, 0.08)
_NAME_PREFIXES = (
    "Supermercados",
    "Distribuciones",
    "Hoteles",
    "Alimentación",
    "Comercial",
    "Grupo",
    "Mayorista",
    "Restaurantes",
    "Conservas",
    "Ultramarinos",
    "Catering",
    "Mercados",
)
_NAME_PLACES = (
    "Levante",
    "Cantábrico",
    "Mirasol",
    "Peñíscola",
    "Ebro",
    "Meseta",
    "Atlántico",
    "Guadiana",
    "Doñana",
    "Alcarria",
    "Moncayo",
    "Tramontana",
    "Segura",
    "Oria",
    "Tajo",
    "Duero",
    "Garona",
    "Miño",
    "Sierra Nevada",
    "Mar Menor",
    "Ría de Vigo",
    "Montseny",
    "Gredos",
    "Aneto",
)
_POTENTIAL_LABELS = (
    ("Volumen de negocio", "Business volume"),
    ("Crecimiento", "Growth"),
    ("Cuota en el cliente", "Share of wallet"),
    ("Rentabilidad", "Profitability"),
    ("Encaje estratégico", "Strategic fit"),
    ("Escalabilidad", "Scalability"),
    ("Diversificación de producto", "Product diversification"),
    ("Acceso a mercado", "Market access"),
    ("Adopción de innovación", "Innovation adoption"),
    ("Solvencia", "Creditworthiness"),
)
_POSITION_LABELS = (
    ("Nivel de servicio", "Service level"),
    ("Calidad de producto", "Product quality"),
    ("Relación", "Relationship"),
    ("Competitividad en precio", "Price competitiveness"),
    ("Incidencias", "Incidents"),
    ("Plazo de entrega", "Delivery lead time"),
    ("Soporte técnico", "Technical support"),
    ("Logística", "Logistics"),
    ("Condiciones de pago", "Payment terms"),
    ("Imagen de marca", "Brand image"),
)
_ACCOUNT_ACTIVITIES = ("relationships", "negotiation", "selling", "problem_solving")
"""Activities whose hours can be logged against one account."""


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Format `prefix` + zero-padded 1…n as a unicode array, without a Python loop."""
    width = max(width, len(str(n)))
    numbers = np.arange(1, n + 1, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // powers[None, :]) % 10 + ord("0")
    raw = np.empty((n, len(prefix) + width), dtype=np.uint8)
    raw[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    raw[:, len(prefix) :] = digits
    return raw.view(f"S{len(prefix) + width}").ravel().astype(f"U{len(prefix) + width}")


def _text(values: np.ndarray) -> pd.Series:
    """Wrap an array of Python or numpy strings as a pandas text column."""
    return pd.Series(values, dtype="str")


def _check_sizes(n_accounts: int, n_criteria: int) -> None:
    """Reject sizes that cannot make an engagement."""
    if n_accounts < 1:
        raise ValueError(f"n_accounts must be at least 1; got {n_accounts!r}")
    if n_criteria < 2:
        raise ValueError(f"n_criteria must be at least 2 (one per axis); got {n_criteria!r}")


def _axis_codes(n_criteria: int) -> np.ndarray:
    """Give the first half (rounded up) of the criteria to potential (0), the rest to position (1)."""
    codes = np.ones(n_criteria, dtype=np.int8)
    codes[: (n_criteria + 1) // 2] = 0
    return codes


def _normalised_scores(rng: np.random.Generator, n_accounts: int, axis: np.ndarray) -> np.ndarray:
    """Draw normalised scores in [0, 1] that hang together per account and axis, spread over four quadrants."""
    latent = rng.beta(2.2, 2.2, size=(n_accounts, len(AXES)))
    spread = rng.normal(0.0, 0.16, size=(n_accounts, axis.size))
    return np.clip(latent[:, axis] + spread, 0.0, 1.0)


def make_score_matrix(
    n_accounts: int, n_criteria: int = 20, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw a wide raw score matrix (1–10, no NaN), weights and axis codes (0 potential, 1 position) for benchmarks."""
    _check_sizes(n_accounts, n_criteria)
    rng = np.random.default_rng(seed)
    axis = _axis_codes(n_criteria)
    weights = rng.integers(1, 7, size=n_criteria).astype(np.float64) * 5.0
    normalised = _normalised_scores(rng, n_accounts, axis)
    matrix = np.rint(1.0 + 9.0 * normalised)
    return matrix, weights, axis


def _criteria_frame(rng: np.random.Generator, n_criteria: int) -> pd.DataFrame:
    """Build the criteria sheet: half per axis, positive weights, scales 1–10, ~20 % lower-is-better."""
    axis = _axis_codes(n_criteria)
    labels_es, labels_en = [], []
    counters = {0: 0, 1: 0}
    for code in axis.tolist():
        pool = _POTENTIAL_LABELS if code == 0 else _POSITION_LABELS
        k = counters[code]
        es, en = pool[k % len(pool)]
        if k >= len(pool):
            es, en = f"{es} {k // len(pool) + 1}", f"{en} {k // len(pool) + 1}"
        labels_es.append(es)
        labels_en.append(en)
        counters[code] += 1
    higher = np.ones(n_criteria, dtype=bool)
    higher[rng.choice(n_criteria, size=round(0.2 * n_criteria), replace=False)] = False
    return pd.DataFrame(
        {
            "criterion_id": _text(_ids("C", n_criteria, 2)),
            "axis": _text(np.asarray(AXES, dtype=object)[axis]),
            "label_es": _text(np.asarray(labels_es, dtype=object)),
            "label_en": _text(np.asarray(labels_en, dtype=object)),
            "weight": rng.integers(1, 7, size=n_criteria).astype(np.float64) * 5.0,
            "scale_min": np.full(n_criteria, 1.0),
            "scale_max": np.full(n_criteria, 10.0),
            "higher_is_better": higher,
        }
    )


def _time_frame(
    rng: np.random.Generator,
    n_records: int,
    kam_ids: np.ndarray,
    account_ids: np.ndarray,
    account_kam: np.ndarray,
) -> pd.DataFrame:
    """Draw time records per KAM, activity and month; some account activities name one of the KAM's accounts."""
    n_kams = kam_ids.size
    profile = np.array([REFERENCE_PROFILE[a] for a in ACTIVITIES], dtype=np.float64)
    kam = rng.integers(0, n_kams, size=n_records)
    activity = rng.choice(len(ACTIVITIES), size=n_records, p=profile / profile.sum())
    hours = np.round(rng.gamma(2.0, 2.0, size=n_records) * 4.0) / 4.0
    month = rng.integers(0, len(TIME_PERIODS), size=n_records)

    by_kam = np.argsort(account_kam, kind="stable")
    counts = np.bincount(account_kam, minlength=n_kams)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    per_account = np.isin(activity, [ACTIVITIES.index(a) for a in _ACCOUNT_ACTIVITIES])
    linked = per_account & (rng.random(n_records) < 0.6) & (counts[kam] > 0)
    pick = starts[kam] + np.floor(rng.random(n_records) * counts[kam]).astype(np.int64)
    account = np.where(linked, by_kam[np.minimum(pick, account_kam.size - 1)], -1)

    order = np.lexsort((activity, month, kam))
    return pd.DataFrame(
        {
            "kam_id": pd.Categorical.from_codes(kam[order], categories=kam_ids),
            "account_id": pd.Categorical.from_codes(account[order], categories=account_ids),
            "activity": pd.Categorical.from_codes(activity[order], categories=list(ACTIVITIES)),
            "hours": hours[order],
            "period": pd.Categorical.from_codes(month[order], categories=list(TIME_PERIODS)),
        }
    )


def _review_dates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Each plan's last review (`accounts.last_reviewed`): a day of 2025-01-01 … 2026-07-14 as YYYY-MM-DD, one in
    twenty never reviewed (None). From a stream of its own, so that the other sheets stay what the seed drew."""
    days = np.datetime64("2025-01-01") + rng.integers(0, 560, size=n).astype("timedelta64[D]")
    dates = days.astype(str).astype(object)
    dates[rng.random(n) < 0.05] = None
    return dates


def make_engagement_frames(
    n_accounts: int,
    n_criteria: int = 20,
    n_kams: int | None = None,
    n_time_records: int = 0,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """Draw a synthetic engagement (accounts, criteria, scores, kams, time, competences) following the contract.

    Scores are long (one row per account × criterion, period `2026-H1`, assessed by the
    account's KAM) with about 2 % of the rows absent, but every account keeps at least one
    score on each axis; plans were last reviewed in 2025–2026 (`_review_dates`); gross margins are 5–35 % of revenue
    and KAM hours cost 45–80 each. `n_kams` defaults to one KAM per
    eight accounts; each may take 25 % more accounts than its share (`max_accounts`) and is rated on the method's
    competences.
    """
    _check_sizes(n_accounts, n_criteria)
    if n_kams is None:
        n_kams = max(1, -(-n_accounts // 8))
    if n_kams < 0 or n_time_records < 0:
        raise ValueError(f"n_kams and n_time_records must be ≥ 0; got {n_kams!r} and {n_time_records!r}")
    if n_time_records and not n_kams:
        raise ValueError("time records need at least one KAM (n_kams ≥ 1)")
    rng = np.random.default_rng(seed)

    kam_ids = _ids("K", n_kams, 3)
    kams = pd.DataFrame(
        {
            "kam_id": _text(kam_ids),
            "name": _text(np.char.add("KAM ", _ids("", n_kams, 3))),
            "capacity_hours": np.round(rng.uniform(1600.0, 1750.0, size=n_kams) / 10.0) * 10.0,
        }
    )

    account_ids = _ids("A", n_accounts, 7)
    prefix = rng.integers(0, len(_NAME_PREFIXES), size=n_accounts)
    place = rng.integers(0, len(_NAME_PLACES), size=n_accounts)
    names = np.array([f"{p} {q}" for p in _NAME_PREFIXES for q in _NAME_PLACES], dtype=object)
    account_kam = rng.integers(0, n_kams, size=n_accounts) if n_kams else np.full(n_accounts, -1)
    kam_column = np.asarray(kam_ids, dtype=object)[account_kam] if n_kams else np.full(n_accounts, None)
    accounts = pd.DataFrame(
        {
            "account_id": _text(account_ids),
            "name": _text(names[prefix * len(_NAME_PLACES) + place]),
            "sector": _text(np.asarray(SECTORS, dtype=object)[rng.choice(len(SECTORS), n_accounts, p=_SECTOR_P)]),
            "kam_id": _text(kam_column),
            "revenue": np.round(rng.lognormal(np.log(400_000.0), 1.0, size=n_accounts), -2),
            "last_reviewed": _review_dates(np.random.default_rng([seed, 1]), n_accounts),
            "country": _text(
                np.asarray(_COUNTRIES, dtype=object)[rng.choice(len(_COUNTRIES), n_accounts, p=_COUNTRY_P)]
            ),
        }
    )

    margin = np.random.default_rng([seed, 3]).uniform(0.05, 0.35, n_accounts)  # its own stream, as the dates'
    accounts.insert(accounts.columns.get_loc("revenue") + 1, "gross_margin", np.round(accounts["revenue"] * margin, -2))

    criteria = _criteria_frame(rng, n_criteria)
    axis = _axis_codes(n_criteria)
    normalised = _normalised_scores(rng, n_accounts, axis)
    lower = ~criteria["higher_is_better"].to_numpy()
    normalised[:, lower] = 1.0 - normalised[:, lower]
    values = np.rint(1.0 + 9.0 * normalised)

    keep = rng.random((n_accounts, n_criteria), dtype=np.float32) >= 0.02
    for code in range(len(AXES)):
        columns = np.flatnonzero(axis == code)
        keep[~keep[:, columns].any(axis=1), columns[0]] = True
    account_code, criterion_code = np.nonzero(keep)
    scores = pd.DataFrame(
        {
            "account_id": pd.Categorical.from_codes(account_code.astype(np.int32), categories=account_ids),
            "criterion_id": pd.Categorical.from_codes(
                criterion_code.astype(np.int16), categories=criteria["criterion_id"]
            ),
            "score": values[keep],
            "assessor": pd.Categorical.from_codes(
                account_kam[account_code].astype(np.int32), categories=kam_ids if n_kams else []
            ),
            "period": pd.Categorical.from_codes(np.zeros(account_code.size, dtype=np.int8), categories=[SCORE_PERIOD]),
        }
    )

    if n_time_records:
        time = _time_frame(rng, n_time_records, kam_ids, account_ids, account_kam)
    else:
        columns = [c for c in _columns("time") if c != "percent"]  # a log of hours, not a survey
        time = pd.DataFrame({c: pd.Series(dtype="float64" if c == "hours" else "str") for c in columns})

    kams["max_accounts"] = float(-(-n_accounts * 5 // (4 * n_kams))) if n_kams else pd.Series(dtype="float64")
    kams["cost_per_hour"] = np.round(np.random.default_rng([seed, 2]).uniform(45.0, 80.0, size=n_kams))
    sheets = {"accounts": accounts, "criteria": criteria, "scores": scores, "kams": kams, "time": time}
    return sheets | {"competences": _competences_frame(rng, kam_ids)}


def _competences_frame(rng: np.random.Generator, kam_ids: list[str]) -> pd.DataFrame:
    """Each KAM rated 1–5 on the method's competences by one supplier-side assessor (drawn last: the other
    sheets of a seed do not change with it)."""
    from kamlib.assignment.competences import COMPETENCES

    n = len(kam_ids) * len(COMPETENCES)
    return pd.DataFrame(
        {
            "kam_id": _text(np.repeat(np.asarray(kam_ids, dtype=object), len(COMPETENCES))),
            "competence": _text(np.tile(np.asarray(COMPETENCES, dtype=object), len(kam_ids))),
            "score": rng.integers(1, 6, size=n).astype(np.float64),
            "assessor": _text(np.full(n, "director", dtype=object)),
            "side": _text(np.full(n, "supplier", dtype=object)),
        }
    )


def with_segments(frames: dict[str, pd.DataFrame], n_segments: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The engagement of `frames` with criteria per segment (`kamlib.workbook.segments`): each of the first
    `n_segments` sectors (`SECTORS`) gets a row of its own for every criterion, with a weight of its own (5–30,
    drawn from its own random stream) and the default row's scale and direction, so every score stays valid and
    each sector's accounts are weighed their own way. For benchmarks and tests of segments at any size."""
    if not 1 <= n_segments <= len(SECTORS):
        raise ValueError(f"n_segments must be from 1 to {len(SECTORS)}")
    rng = np.random.default_rng([seed, 9])
    default = frames["criteria"].assign(segment=None)
    rows = [
        default.assign(segment=sector, weight=rng.integers(1, 7, size=len(default)).astype(np.float64) * 5.0)
        for sector in SECTORS[:n_segments]
    ]
    return {**frames, "criteria": pd.concat([default, *rows], ignore_index=True)}


def _columns(sheet: str) -> tuple[str, ...]:
    """Name the columns of one sheet of the workbook contract."""
    return SHEETS_BY_NAME[sheet].column_names


def grow_frames(frames: dict[str, pd.DataFrame], n_accounts: int) -> dict[str, pd.DataFrame]:
    """An engagement as rich as `frames` (every sheet it has) with `n_accounts` accounts: the accounts beyond its
    own are copies of its accounts in turn, under new ids (`<id>-<copy>`, names with ` (<copy>)`), with every row
    of every sheet that names the account (scores, time, KPIs, decision maps, ledger metrics, whitespace; the
    customer of the same id and its selection scores) copied with them. Fewer accounts than it has keep the
    first `n_accounts`.

    For benchmarks on "an engagement with every sheet" at a chosen size: the sample (48 accounts) grown to 50
    or 500, each account as complete as the sample's."""
    accounts = frames["accounts"]
    own = accounts["account_id"].astype(str).to_numpy()
    if n_accounts <= len(own):
        keep = set(own[:n_accounts])
        return {name: _rows_of(frame, keep) for name, frame in frames.items()}
    extra = np.arange(n_accounts - len(own))
    source, copy = own[extra % len(own)], extra // len(own) + 1
    new_ids = np.char.add(np.char.add(source.astype(str), "-"), copy.astype(str))
    renamed = dict(zip(new_ids.tolist(), source.tolist(), strict=True))
    grown = {}
    for name, frame in frames.items():
        key = next((k for k in ("account_id", "customer_id") if k in frame), None)
        if key is None:
            grown[name] = frame
            continue
        parts = [frame]
        for new, old in renamed.items():
            rows = frame[frame[key].astype(str) == old].copy()
            rows[key] = new
            if name in ("accounts", "customers"):
                rows["name"] = rows["name"].astype(str) + f" ({new.rsplit('-', 1)[1]})"
            parts.append(rows)
        grown[name] = pd.concat(parts, ignore_index=True)
    return grown


def _rows_of(frame: pd.DataFrame, accounts: set[str]) -> pd.DataFrame:
    """The rows of a sheet that name one of `accounts` (all rows of a sheet that names none; time records
    without an account too)."""
    if "account_id" not in frame:
        return frame
    ids = frame["account_id"]
    return frame[ids.isna() | ids.astype(str).isin(accounts)].reset_index(drop=True)


def write_engagement(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write frames as an `.xlsx` workbook (one sheet per frame) or, for a suffix-less path, a folder of CSV files.

    The write is atomic per file: everything is written to temporary files beside the
    target first, then moved into place with `os.replace`. A folder's other files are left
    alone. Returns the path written.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(frames, path)
    if path.suffix:
        raise ValueError(f"write_engagement writes a folder (no suffix) or an .xlsx file; got {str(path)!r}")
    return _write_csv_folder(frames, path)


def _write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write one workbook atomically, refusing frames that exceed Excel's row limit."""
    too_long = [f"{name} ({len(frame):,} rows)" for name, frame in frames.items() if len(frame) >= EXCEL_MAX_ROWS]
    if too_long:
        raise ValueError(
            f"an Excel sheet holds at most {EXCEL_MAX_ROWS - 1:,} data rows; too long: {', '.join(too_long)}; "
            "write a CSV folder instead"
        )
    with atomic_path(path) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def _write_csv_folder(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write `<sheet>.csv` files into a folder: all to temporary files first, then each moved into place."""
    for name, frame in frames.items():
        with atomic_path(path / f"{name}.csv") as temporary:
            frame.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
    return path
