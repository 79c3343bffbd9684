"""Write the bundled sample engagement to kamlib/samples/sample/ (a CSV file per sheet), deterministically.

The engagement is fictional: Conservas y Aceites del Ebro, S.A., a Spanish maker of
tinned vegetables, olive oil and ready sauces, with 48 key accounts in six channels,
7 KAMs, the five potential criteria of METHOD.md §1 plus five position criteria, two
scoring rounds (2025-H2 for half the accounts, 2026-H1 for all, some scored twice by
the KAM and the sales director), a year of KAM time records (METHOD.md §2), and what
its sales ledger (kamlib/samples/sample_ledger/, scripts/sample_ledger.py) says of each account.

Run from the repository root:  python scripts/make_sample.py  [--out FOLDER]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kamlib.assignment.competences import COMPETENCES  # noqa: E402
from kamlib.method import ACTIVITIES, SCORE_ANCHORS  # noqa: E402
from kamlib.synthetic import SECTORS, write_engagement  # noqa: E402
from scripts.sample_ledger import render, sample_ledger  # noqa: E402
from scripts.sample_plan import plan_sheets  # noqa: E402

SUPPLIER = "Conservas y Aceites del Ebro, S.A."
SEED = 20260115
OUT = ROOT / "kamlib" / "samples" / "sample"
LATEST, EARLIER = "2026-H1", "2025-H2"
MONTHS = tuple(f"2025-{m:02d}" for m in range(1, 13))
CUT = 5.0

SALES_DIRECTOR = ("Ramón Aguirre Soler", "RAS")

# kam_id, name, capacity_hours, time profile in % of ACTIVITIES' order, account weights flat?
KAMS = (
    ("K01", "Lucía Martínez Ortega", 1720, (22, 18, 6, 8, 14, 10, 4, 10, 8), False),
    ("K02", "Javier Sanz Ibáñez", 1650, (12, 10, 2, 8, 30, 20, 3, 7, 8), False),  # buried in problems and reports
    ("K03", "Carmen Ruiz Peñalver", 1700, (10, 12, 2, 35, 12, 8, 3, 8, 10), True),  # sells far too much
    ("K04", "Álvaro Núñez Castellanos", 1600, (20, 12, 4, 14, 15, 9, 4, 6, 16), False),
    ("K05", "Begoña Echeverría Salas", 1680, (18, 18, 10, 8, 14, 10, 6, 8, 8), False),
    ("K06", "Íñigo Fernández Lozano", 1750, (16, 10, 3, 18, 16, 10, 12, 5, 10), False),
    ("K07", "Marta Gómez Villaseñor", 1620, (20, 16, 6, 8, 12, 10, 4, 16, 8), False),
)

# The loaded cost of an hour of each KAM (kams.cost_per_hour, €); the newest has none of their own and takes the
# engagement's rate (55 €).
HOURLY_COST = {"K01": 72, "K02": 60, "K03": 58, "K04": 62, "K05": 66, "K06": 60}

# The cost to serve beyond the KAMs' time (sheet cost_to_serve), as % of revenue per sector and item, and some
# accounts' own costs: small accounts that cost more than they earn (urgent small orders, special service, a
# Portuguese chain's rebates), so that the whale curve rises above 100 % before the tail gives it back.
SERVE_RATES = {
    "gran distribución": {"logística": 4.0, "rápeles": 3.0},
    "cash & carry / mayoristas": {"logística": 3.5, "rápeles": 2.0},
    "horeca": {"logística": 6.5, "servicio especial": 2.5},
    "industria alimentaria": {"logística": 3.0},
    "tiendas gourmet": {"logística": 8.0},
    "exportación": {"logística": 7.5},
}
SAMPLES_RATE = 0.8  # samples to win the Selective accounts, % of revenue
OWN_COSTS = (
    ("A036", "pedidos urgentes", 3_400),
    ("A046", "rápeles", 27_500),
    ("A031", "servicio especial", 2_900),
    ("A039", "pedidos urgentes", 26_800),
    ("A041", "servicio especial", 31_500),
    ("A026", "servicio especial", 29_900),
    ("A021", "rápeles", 36_200),
    ("A014", "logística", 44_100),
    ("A020", "pedidos urgentes", 61_300),
)

# Most accounts each KAM can take (kams.max_accounts): 57 places for 48 accounts.
MAX_ACCOUNTS = {"K01": 9, "K02": 8, "K03": 8, "K04": 8, "K05": 9, "K06": 8, "K07": 7}

# Each KAM's competence profile (1–5, METHOD.md §3–4, in COMPETENCES' order) as the sales director sees it;
# the KAM's own view and, for some, a customer's buyer differ a little (a customer gap is the method's warning).
PROFILES = {
    "K01": (5, 4, 4, 4, 4, 5, 3, 4),  # the senior KAM of the big retail chains
    "K02": (3, 3, 3, 4, 3, 3, 2, 4),  # buried in problems and reports: careful, not strategic
    "K03": (2, 4, 3, 3, 5, 3, 2, 3),  # sells far too much: drive, little planning
    "K04": (4, 3, 4, 4, 3, 3, 2, 5),  # cash-and-carry and distributors: margin first
    "K05": (4, 4, 5, 5, 4, 4, 3, 3),  # HoReCa relationships
    "K06": (3, 3, 4, 3, 4, 4, 5, 3),  # the export accounts (France, Portugal)
    "K07": (3, 3, 3, 3, 3, 2, 2, 4),  # the newest KAM
}
SELF_BIAS = {"K03": 1, "K02": 0, "K07": 1}  # who rates themselves higher than the director does (points)
CUSTOMER_VIEWS = {  # a buyer of one of their accounts rated them too: (assessor, offsets to the director's view)
    "K01": ("Compras Supermercados Levante", (0, 0, 0, -1, 0, 0, 0, 0)),
    "K03": ("Compras Cash Almanzora", (0, -1, -1, -2, 0, -1, 0, 0)),  # the customer sees a pushy seller
    "K06": ("Achats Épicerie Fine Garonne", (0, 0, 1, 0, 0, 0, 0, 0)),
}

# The customer survey (scores.side = customer): how the buyers of eight accounts rate our position, as offsets to
# their KAM's latest scores on (service_level, product_quality, relationship, price_competitiveness, incidents).
# Most see us worse than we do (service and price above all); two see us better.
CUSTOMER_SURVEY = "Encuesta a clientes 2026"
SURVEYED = {
    "A001": (-2, 0, -1, -2, 2),
    "A002": (0, 0, 0, -1, 0),
    "A003": (1, 1, 1, 0, -1),  # a Selective account that thinks better of us than we do
    "A004": (-3, -1, -1, -2, 3),  # an Invest account whose buyer sees a weak supplier
    "A008": (0, 1, 0, -1, 0),
    "A010": (-1, 0, -1, -1, 1),
    "A015": (-2, -1, 0, -3, 2),
    "A022": (0, 0, 1, 0, 0),
}

GD, CC, HO, IA, TG, EX = SECTORS

# name, sector, country, kam_id, revenue (€, before a ±3 % draw), target quadrant
ACCOUNTS = (
    ("Supermercados Levante", GD, "ES", "K01", 6_850_000, "invest"),
    ("Hipermercados Meseta", GD, "ES", "K01", 5_420_000, "invest"),
    ("Grupo Alimentario Sierra Nevada", GD, "ES", "K01", 3_980_000, "selective"),
    ("Supermercados El Olivar", GD, "ES", "K01", 2_150_000, "invest"),
    ("Supermercados Marisma", GD, "ES", "K01", 1_240_000, "maintain"),
    ("Superahorro Guadiana", GD, "ES", "K01", 860_000, "milk"),
    ("Alimentación Peñíscola", GD, "ES", "K01", 420_000, "maintain"),
    ("Hipermercados Atlántico Galaico", GD, "ES", "K02", 4_760_000, "selective"),
    ("Supermercados La Alcarria", GD, "ES", "K02", 1_020_000, "maintain"),
    ("Mercados Tramontana", GD, "ES", "K02", 1_870_000, "invest"),
    ("Supermercados Doñana", GD, "ES", "K02", 640_000, "milk"),
    ("Compra Fácil Extremadura", GD, "ES", "K02", 310_000, "milk"),
    ("Supermercados Montaña Riojana", GD, "ES", "K02", 530_000, "selective"),
    ("Economatos Ría de Vigo", GD, "ES", "K02", 280_000, "milk"),
    ("Distribuciones Cantábrico", CC, "ES", "K03", 2_480_000, "invest"),
    ("Cash Almanzora", CC, "ES", "K03", 760_000, "milk"),
    ("Mayorista Hermanos Ibarra", CC, "ES", "K03", 540_000, "maintain"),
    ("Comercial Alimentaria del Segura", CC, "ES", "K03", 1_360_000, "selective"),
    ("Cash & Carry Campo de Cartagena", CC, "ES", "K03", 410_000, "milk"),
    ("Distribuidora Zamorana de Alimentación", CC, "ES", "K03", 230_000, "milk"),
    ("Almacenes Begoña", CC, "ES", "K03", 190_000, "maintain"),
    ("Hoteles Mirasol", HO, "ES", "K04", 1_180_000, "invest"),
    ("Grupo Restauración La Bodeguilla", HO, "ES", "K04", 680_000, "selective"),
    ("Catering Costa Dorada", HO, "ES", "K04", 470_000, "maintain"),
    ("Hospederías del Moncayo", HO, "ES", "K04", 260_000, "milk"),
    ("Restaurantes Casa Muñiz", HO, "ES", "K04", 150_000, "maintain"),
    ("Colectividades Ebro Servicios", HO, "ES", "K04", 890_000, "selective"),
    ("Cadena Hotelera Añaza", HO, "ES", "K04", 520_000, "selective"),
    ("Precocinados Navarra Gourmet", IA, "ES", "K05", 2_940_000, "invest"),
    ("Conservas Oria", IA, "ES", "K05", 1_650_000, "selective"),
    ("Panificadora Castellana", IA, "ES", "K05", 720_000, "maintain"),
    ("Salsas y Aliños Montserrat", IA, "ES", "K05", 1_090_000, "selective"),
    ("Platos Listos Albacete", IA, "ES", "K05", 380_000, "milk"),
    ("Quesería La Peñuela", IA, "ES", "K05", 210_000, "maintain"),
    ("Delicatessen El Señorío", TG, "ES", "K06", 340_000, "maintain"),
    ("Ultramarinos Ocaña", TG, "ES", "K06", 120_000, "milk"),
    ("Colmado Sabores de Aragón", TG, "ES", "K06", 160_000, "maintain"),
    ("La Despensa del Cigarral", TG, "ES", "K06", 240_000, "maintain"),
    ("Tienda Gourmet Mar Menor", TG, "ES", "K06", 110_000, "milk"),
    ("Vinos y Conservas Logroño", TG, "ES", "K06", 280_000, "selective"),
    ("Charcutería Montañés", TG, "ES", "K06", 135_000, "maintain"),
    ("Distribuição Alentejana, Lda.", EX, "PT", "K07", 1_920_000, "invest"),
    ("Mercearias do Tejo", EX, "PT", "K07", 3_150_000, "invest"),
    ("Épicerie Fine Garonne", EX, "FR", "K07", 430_000, "selective"),
    ("Grossiste Méditerranée SARL", EX, "FR", "K07", 2_260_000, "selective"),
    ("Hipermercados Minho", EX, "PT", "K07", 980_000, "milk"),
    ("Comptoir Provençal des Saveurs", EX, "FR", "K07", 590_000, "selective"),
    ("Cafés e Restaurantes Porto Douro", EX, "PT", "K07", 370_000, "milk"),
)

# criterion_id, axis, label_es, label_en, weight, scale_min, scale_max, higher_is_better
CRITERIA = (
    ("volume", "potential", "Volumen de negocio", "Business volume", 30, 1, 10, True),
    ("growth", "potential", "Crecimiento", "Growth", 20, 1, 10, True),
    ("share_of_wallet", "potential", "Cuota en el cliente (%)", "Share of wallet (%)", 15, 0, 100, True),
    ("profitability", "potential", "Rentabilidad", "Profitability", 25, 1, 10, True),
    (
        "strategic_fit",
        "potential",
        "Encaje de objetivos entre ambas empresas",
        "Fit between both companies' objectives",
        10,
        1,
        5,
        True,
    ),
    ("service_level", "position", "Nivel de servicio", "Service level", 25, 1, 10, True),
    ("product_quality", "position", "Calidad de producto", "Product quality", 25, 1, 10, True),
    ("relationship", "position", "Calidad de la relación", "Quality of the relationship", 20, 0, 5, True),
    ("price_competitiveness", "position", "Competitividad en precio", "Price competitiveness", 15, 1, 10, True),
    ("incidents", "position", "Incidencias de servicio al mes", "Service incidents per month", 15, 0, 20, False),
)

QUADRANT_SIDES = {"invest": (True, True), "selective": (True, False), "maintain": (False, True), "milk": (False, False)}
TIME_WEIGHTS = {"invest": 3.0, "selective": 2.2, "maintain": 1.4, "milk": 0.6}
"""How much of a KAM's account-level time an account of each quadrant draws (a KAM with flat weights ignores it)."""
ACCOUNT_ACTIVITIES = ("relationships", "negotiation", "selling", "problem_solving")
NORMALISED_FLOOR = np.array([0.0, 0.0, 0.04, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
NORMALISED_CEILING = np.array([1.0, 1.0, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.97])
"""Per criterion (CRITERIA's order): no customer buys everything from one supplier, none is incident-free."""


IDENTITY = pd.DataFrame(
    {
        "key": ["client", "supplier", "consultant", "date", "language", "currency", "cost_per_hour"],
        "value": [
            "Conservas y Aceites del Ebro, S.A.",
            "Conservas y Aceites del Ebro",
            "Cuentas Clave Consultores",
            "2026-07-15",
            "es",
            "EUR",
            "55",
        ],
    }
)
"""Who the sample is for and by whom (the workbook's `engagement` sheet): it titles the sample's deliverables."""


def _initials(name: str) -> str:
    """Turn a full name into its initials (Lucía Martínez Ortega → LMO)."""
    return "".join(word[0] for word in name.split())


def _half_hours(hours: float) -> float:
    """Round hours to the half hour, as timesheets are kept."""
    return float(np.round(hours * 2.0) / 2.0)


def _criteria_frame() -> pd.DataFrame:
    """List the ten criteria with their axis, labels, weights and scales."""
    columns = ("criterion_id", "axis", "label_es", "label_en", "weight", "scale_min", "scale_max", "higher_is_better")
    return pd.DataFrame(CRITERIA, columns=list(columns))


SAMPLE_ANCHORS: tuple[tuple[str, float, str, str], ...] = (
    ("share_of_wallet", 0, "No nos compra nada en la categoría.", "Buys nothing from us in the category."),
    ("share_of_wallet", 25, "Una parte pequeña de su gasto en la categoría.", "A small part of its category spend."),
    ("share_of_wallet", 50, "La mitad de su gasto en la categoría.", "Half of its category spend."),
    ("share_of_wallet", 75, "Somos su proveedor principal.", "We are its main supplier."),
    ("share_of_wallet", 100, "Somos su único proveedor.", "We are its only supplier."),
    ("strategic_fit", 1, "Objetivos opuestos o desconocidos.", "Objectives opposed or unknown."),
    ("strategic_fit", 3, "Algunos objetivos comunes, sin plan conjunto.", "Some shared objectives, no joint plan."),
    ("strategic_fit", 5, "Objetivos alineados y un plan conjunto en marcha.", "Aligned objectives and a joint plan."),
    ("relationship", 0, "Solo tratamos con compras.", "We deal with purchasing only."),
    ("relationship", 3, "Relación cooperativa con varias áreas.", "A cooperative relationship with several areas."),
    ("relationship", 5, "Relación integrada: equipos conjuntos.", "An integrated relationship: joint teams."),
    ("incidents", 0, "Ninguna incidencia en el mes.", "No incident in the month."),
    ("incidents", 5, "Unas pocas incidencias, resueltas a tiempo.", "A few incidents, solved in time."),
    ("incidents", 20, "Incidencias casi a diario.", "Incidents almost every day."),
)
"""What the scores mean on the sample's criteria whose scales are not the method's 1–10 (the others take the
method's anchors, `kamlib.method.SCORE_ANCHORS`)."""


def _scoring_guide(criteria: pd.DataFrame) -> pd.DataFrame:
    """The sample's scoring guide: the method's anchors for its criteria on the 1–10 scale, its own for the rest."""
    own_scale = set(criteria.loc[(criteria["scale_min"] == 1) & (criteria["scale_max"] == 10), "criterion_id"])
    rows = [row for row in SCORE_ANCHORS if row[0] in own_scale] + list(SAMPLE_ANCHORS)
    order = {c: i for i, c in enumerate(criteria["criterion_id"])}
    rows.sort(key=lambda row: (order[row[0]], row[1]))
    return pd.DataFrame(rows, columns=["criterion_id", "score", "text_es", "text_en"])


def _raw(normalised: np.ndarray, criteria: pd.DataFrame) -> np.ndarray:
    """Turn normalised scores (1 = best) into integer scores on each criterion's own scale."""
    low, high = criteria["scale_min"].to_numpy(float), criteria["scale_max"].to_numpy(float)
    better = criteria["higher_is_better"].to_numpy(bool)
    value = np.where(better, normalised, 1.0 - normalised)
    return np.rint(low + value * (high - low)).astype(np.int64)


def _composites(raw: np.ndarray, criteria: pd.DataFrame) -> tuple[float, float]:
    """Score one account's (assessor-averaged) raw scores on both axes, 0–10, by the workbook's rule."""
    low, high = criteria["scale_min"].to_numpy(float), criteria["scale_max"].to_numpy(float)
    n = (raw - low) / (high - low)
    n = np.where(criteria["higher_is_better"].to_numpy(bool), n, 1.0 - n)
    weight = criteria["weight"].to_numpy(float)
    axes = criteria["axis"].to_numpy()
    return tuple(
        float(10.0 * (weight[axes == axis] * n[axes == axis]).sum() / weight[axes == axis].sum())
        for axis in ("potential", "position")
    )


def _volume(revenue: float) -> float:
    """Map annual revenue onto a normalised volume score (100 k€ → 0, 7 M€ → 1, log scale)."""
    return float(np.clip(np.log(revenue / 100_000) / np.log(70), 0.0, 1.0))


def _director_offsets(rng: np.random.Generator, criteria: pd.DataFrame) -> np.ndarray:
    """Draw how far the sales director's raw scores differ from the KAM's: a point or two, often stricter."""
    span = (criteria["scale_max"] - criteria["scale_min"]).to_numpy(float)
    step = np.maximum(1.0, np.round(span / 10.0))
    offset = rng.choice([-2, -1, -1, 1, 2], size=len(criteria)) * (rng.random(len(criteria)) < 0.6)
    offset = np.where(span <= 5, np.sign(offset), offset)
    toward_worse = np.where(criteria["higher_is_better"].to_numpy(bool), 1, -1)
    return (offset * step * toward_worse).astype(np.int64)


def _account_scores(
    rng: np.random.Generator, criteria: pd.DataFrame, revenue: float, quadrant: str, two_assessors: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Draw an account's latest scores (KAM, optionally director) in its target quadrant, and its latent values."""
    high, strong = QUADRANT_SIDES[quadrant]
    axes = criteria["axis"].to_numpy()
    while True:
        latent = np.array(
            [
                rng.uniform(0.55, 0.82) if high else rng.uniform(0.2, 0.46),
                rng.uniform(0.55, 0.85) if strong else rng.uniform(0.22, 0.47),
            ]
        )
        normalised = np.where(axes == "potential", latent[0], latent[1]) + rng.normal(0, 0.13, len(axes))
        normalised = np.clip(normalised, NORMALISED_FLOOR, NORMALISED_CEILING)
        volume = int(np.flatnonzero(criteria["criterion_id"].to_numpy() == "volume")[0])
        normalised[volume] = np.clip(_volume(revenue) + rng.normal(0, 0.05), 0, 1)
        kam = _raw(normalised, criteria)
        director = None
        averaged = kam.astype(float)
        if two_assessors:
            bounds = np.stack([_raw(NORMALISED_FLOOR, criteria), _raw(NORMALISED_CEILING, criteria)])
            director = np.clip(kam + _director_offsets(rng, criteria), bounds.min(0), bounds.max(0))
            averaged = (kam + director) / 2.0
        potential, position = _composites(averaged, criteria)
        if (potential >= CUT, position >= CUT) == (high, strong):
            return kam, director, normalised


def _earlier_scores(
    rng: np.random.Generator, criteria: pd.DataFrame, normalised: np.ndarray, mover: bool
) -> np.ndarray:
    """Draw the 2025-H2 scores: the latest ones shifted back by a drift per axis, larger for movers."""
    axes = criteria["axis"].to_numpy()
    drift = rng.normal(0, 0.05, 2) + (rng.choice([-1, 1], 2) * 0.14 if mover else 0.0)
    earlier = normalised - np.where(axes == "potential", drift[0], drift[1]) + rng.normal(0, 0.06, len(axes))
    return _raw(np.clip(earlier, NORMALISED_FLOOR, NORMALISED_CEILING), criteria)


def _time_frame(rng: np.random.Generator, accounts: pd.DataFrame, quadrants: dict[str, str]) -> pd.DataFrame:
    """Draw a year of monthly KAM hours per activity, part of the account activities logged per account."""
    rows: list[tuple[str, str, str, float, str]] = []
    for kam_id, _name, _capacity, profile, flat in KAMS:
        own = accounts.loc[accounts["kam_id"] == kam_id, "account_id"].tolist()
        base = np.array([1.0 if flat else TIME_WEIGHTS[quadrants[a]] for a in own])
        for month in MONTHS:
            total = rng.uniform(130.0, 145.0)
            share = np.asarray(profile, float) * rng.lognormal(0.0, 0.12, len(ACTIVITIES))
            hours = total * share / share.sum()
            for activity, activity_hours in zip(ACTIVITIES, hours, strict=True):
                left = _half_hours(activity_hours)
                if activity in ACCOUNT_ACTIVITIES:
                    logged = activity_hours * rng.uniform(0.45, 0.75)
                    present = rng.random(len(own)) < 0.75
                    weight = base * rng.lognormal(0.0, 0.35, len(own)) * present
                    for account_id, w in zip(own, weight, strict=True):
                        h = _half_hours(logged * w / weight.sum()) if weight.sum() else 0.0
                        if h > 0:
                            rows.append((kam_id, account_id, activity, h, month))
                            left -= h
                if left > 0:
                    rows.append((kam_id, "", activity, left, month))
    time = pd.DataFrame(rows, columns=["kam_id", "account_id", "activity", "hours", "period"])
    order = {a: i for i, a in enumerate(ACTIVITIES)}
    time["_activity"] = time["activity"].map(order)
    time = time.sort_values(["kam_id", "period", "_activity", "account_id"], kind="stable").drop(columns="_activity")
    time["account_id"] = time["account_id"].replace("", None)
    return time.reset_index(drop=True)


def _survey(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """The customer survey's scores (`SURVEYED`): each surveyed account's KAM scores of the latest round on the
    position criteria, moved by the buyer's offsets and kept within each criterion's scale."""
    position = criteria[criteria["axis"] == "position"].set_index("criterion_id")
    rows = []
    for account_id, offsets in SURVEYED.items():
        ours = scores[(scores["account_id"] == account_id) & (scores["period"] == LATEST)]
        ours = ours.groupby("criterion_id")["score"].mean()
        for (criterion, c), offset in zip(position.iterrows(), offsets, strict=True):
            score = int(np.clip(round(ours[criterion]) + offset, c["scale_min"], c["scale_max"]))
            rows.append((account_id, criterion, score, CUSTOMER_SURVEY, LATEST, "customer"))
    return pd.DataFrame(rows, columns=[*scores.columns, "side"])


def _cost_to_serve(accounts: pd.DataFrame, quadrants: dict[str, str]) -> pd.DataFrame:
    """The cost to serve each account beyond its KAM's time: its sector's items (`SERVE_RATES`), samples for the
    Selective accounts, and `OWN_COSTS`; whole euros."""
    rows = []
    for account in accounts.itertuples(index=False):
        rates = dict(SERVE_RATES[account.sector])
        if quadrants[account.account_id] == "selective":
            rates["muestras"] = SAMPLES_RATE
        rows += [(account.account_id, item, round(account.revenue * rate / 100)) for item, rate in rates.items()]
    rows += list(OWN_COSTS)
    frame = pd.DataFrame(rows, columns=["account_id", "item", "amount"]).sort_values("account_id", kind="stable")
    return frame.assign(period=None)  # the year the ledger's margin covers: no period of their own


def build_sample(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Build the sample sheets (accounts, criteria, scores, kams, time, competences and the key-account plan's
    sheets of `sample_plan`) from a fixed seed."""
    rng = np.random.default_rng(seed)
    criteria = _criteria_frame()
    kams = pd.DataFrame([k[:3] for k in KAMS], columns=["kam_id", "name", "capacity_hours"])
    initials = {k[0]: _initials(k[1]) for k in KAMS}

    ids = [f"A{i:03d}" for i in range(1, len(ACCOUNTS) + 1)]
    revenue = [round(float(r * rng.uniform(0.97, 1.03))) for *_, r, _q in ACCOUNTS]
    accounts = pd.DataFrame(
        {
            "account_id": ids,
            "name": [a[0] for a in ACCOUNTS],
            "sector": [a[1] for a in ACCOUNTS],
            "kam_id": [a[3] for a in ACCOUNTS],
            "revenue": revenue,
            "country": [a[2] for a in ACCOUNTS],
        }
    )
    quadrants = {account_id: a[5] for account_id, a in zip(ids, ACCOUNTS, strict=True)}

    n = len(ids)
    two_assessors = set(rng.choice(n, size=10, replace=False).tolist())
    earlier = set(rng.choice(n, size=n // 2, replace=False).tolist())
    movers = set(rng.choice(sorted(earlier), size=6, replace=False).tolist())
    criterion_ids = criteria["criterion_id"].tolist()
    rows: list[tuple[str, str, int, str, str]] = []
    for i, account_id in enumerate(ids):
        kam_initials = initials[ACCOUNTS[i][3]]
        kam, director, normalised = _account_scores(
            rng, criteria, revenue[i], quadrants[account_id], i in two_assessors
        )
        rounds = [(kam, kam_initials, LATEST)]
        if director is not None:
            rounds.append((director, SALES_DIRECTOR[1], LATEST))
        if i in earlier:
            rounds.append((_earlier_scores(rng, criteria, normalised, i in movers), kam_initials, EARLIER))
        for values, assessor, period in rounds:
            rows += [(account_id, c, int(v), assessor, period) for c, v in zip(criterion_ids, values, strict=True)]
    scores = pd.DataFrame(rows, columns=["account_id", "criterion_id", "score", "assessor", "period"])
    scores["_criterion"] = scores["criterion_id"].map({c: i for i, c in enumerate(criterion_ids)})
    scores = (
        scores.sort_values(["period", "account_id", "_criterion", "assessor"], kind="stable")
        .drop(columns="_criterion")
        .reset_index(drop=True)
    )
    scores = pd.concat([scores.assign(side=None), _survey(scores, criteria)], ignore_index=True)

    time = _time_frame(rng, accounts, quadrants)
    kams["max_accounts"] = kams["kam_id"].map(MAX_ACCOUNTS)
    kams["cost_per_hour"] = kams["kam_id"].map(HOURLY_COST).astype("Int64")
    sheets = {"engagement": IDENTITY, "accounts": accounts, "criteria": criteria, "scores": scores}
    sheets |= {"scoring_guide": _scoring_guide(criteria), "kams": kams}
    sheets["time"] = time
    plan = plan_sheets(np.random.default_rng(seed + 1), accounts, quadrants, kams)  # its own stream: adding
    frames = sheets | {"competences": _competences_frame(initials)} | plan  # plan sheets leaves the others as they were
    return frames | ledger_sheets(frames) | {"cost_to_serve": _cost_to_serve(accounts, quadrants)}


def ledger_sheets(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The ledger_metrics and whitespace sheets of the sample ledger (kamlib/samples/sample_ledger/), as
    `kam ingest ventas.csv WB --map ventas.yaml --wallet wallet.csv --period 2026-H1 --no-scores` writes them:
    the reports show what the ledger says while the scores stay the KAMs'."""
    from kamlib.engagement import Engagement
    from kamlib.ledger.ingest import ledger_rows
    from kamlib.ledger.scores import ingest_scores

    with tempfile.TemporaryDirectory() as folder:
        for name, text in render(sample_ledger(frames["accounts"], frames["scores"])).items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        ledger, mapping, wallet = (Path(folder) / name for name in ("ventas.csv", "ventas.yaml", "wallet.csv"))
        result = ingest_scores(ledger, mapping, Engagement.from_frames(frames), period=LATEST, wallet=wallet)
    rows = ledger_rows(result, scores=False)
    return {"ledger_metrics": rows["ledger_metrics"], "whitespace": rows["whitespace"]}


def _competences_frame(initials: dict[str, str]) -> pd.DataFrame:
    """Each KAM rated by the sales director and by themselves; three also by a customer's buyer (1–5)."""
    rows = []
    for kam_id, profile in PROFILES.items():
        own = [min(5, v + SELF_BIAS.get(kam_id, 0) * (i % 2)) for i, v in enumerate(profile)]
        rounds = [(profile, SALES_DIRECTOR[1], "supplier"), (own, initials[kam_id], "supplier")]
        if kam_id in CUSTOMER_VIEWS:
            buyer, offsets = CUSTOMER_VIEWS[kam_id]
            rounds.append(([max(1, v + o) for v, o in zip(profile, offsets, strict=True)], buyer, "customer"))
        for values, assessor, side in rounds:
            rows += [(kam_id, c, v, assessor, side) for c, v in zip(COMPETENCES, values, strict=True)]
    return pd.DataFrame(rows, columns=["kam_id", "competence", "score", "assessor", "side"])


def main(argv: list[str] | None = None) -> int:
    """Write the sample engagement's CSV files (default: kamlib/samples/sample/)."""
    parser = argparse.ArgumentParser(description=f"Write the sample engagement of {SUPPLIER} as CSV files.")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (default: kamlib/samples/sample)")
    out = write_engagement(build_sample(), parser.parse_args(argv).out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
