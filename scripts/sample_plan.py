"""The sample engagement's key-account plan sheets (issue 8), deterministically from the other sheets.

Used by `make_sample.py`: decision maps (`stakeholders`) and balanced scorecards (`kpis`) for the largest
accounts of each strategy, a few engagement-specific `playbook` rows, a target position for the selective
accounts the supplier wants to develop, and the key-account selection: every customer (the 48 key accounts
and 22 other customers) scored on the five selection criteria of METHOD.md §4.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd

from kamlib.plan.selection import default_selection_criteria

PERIODS = ("2025-H2", "2026-H1")
MAPPED_PER_QUADRANT = 3
"""The largest accounts of each strategy get a decision map and a scorecard (12 in all)."""

# (title, role, influence) of a buying centre in Spanish food retail and food service
BUYING_CENTRE = (
    ("Director/a de Compras", "decision_maker", 5),
    ("Director/a General", "decision_maker", 4),
    ("Jefe/a de Categoría Conservas y Aceites", "buyer", 4),
    ("Director/a de Calidad", "gatekeeper", 3),
    ("Director/a Financiero/a", "influencer", 3),
    ("Responsable de Logística", "user", 2),
    ("Responsable de Marketing", "influencer", 2),
)
FIRST = ("Ana", "Pablo", "Elena", "Sergio", "Nuria", "Jorge", "Rocío", "Andrés", "Patricia", "Raúl", "Silvia", "Óscar")
LAST = (
    "García",
    "López",
    "Moreno",
    "Castro",
    "Ortiz",
    "Delgado",
    "Vidal",
    "Prieto",
    "Herrero",
    "Campos",
    "Rey",
    "Soto",
)

# KPI name: perspective, higher is better, typical target, unit (percentages in points: 6.0 is 6 %)
KPIS = {
    "Volumen de ventas": ("financial", True, 1.00, "currency"),  # × a draw of 0.8 to 3 million euros
    "Crecimiento de ventas": ("financial", True, 6.0, "%"),
    "Margen bruto": ("financial", True, 24.0, "%"),
    "Cuota en el cliente": ("customer", True, 30.0, "%"),
    "Calidad de la relación": ("customer", True, 4.0, "number"),  # a rating from 1 to 5
    "Satisfacción del cliente": ("customer", True, 8.0, "number"),  # a rating from 0 to 10
    "Iniciativas conjuntas en marcha": ("customer", True, 3.0, "number"),
    "Coste de servir": ("internal", False, 8.0, "%"),  # of the account's sales
    "Rentabilidad de la cuenta": ("financial", True, 12.0, "%"),
    "Personas del cliente con relación fuerte": ("learning", True, 4.0, "number"),
}
COUNTS = ("Iniciativas conjuntas en marcha", "Personas del cliente con relación fuerte")
SCORECARDS = {
    "invest": ("Crecimiento de ventas", "Margen bruto", "Iniciativas conjuntas en marcha", "Coste de servir",
               "Personas del cliente con relación fuerte"),
    "selective": ("Volumen de ventas", "Cuota en el cliente", "Calidad de la relación"),
    "maintain": ("Margen bruto", "Cuota en el cliente", "Satisfacción del cliente", "Coste de servir"),
    "milk": ("Rentabilidad de la cuenta", "Coste de servir"),
}  # fmt: skip

PLAYBOOK = (
    ("maintain", "metric", "Margen bruto", "Gross margin", "financial"),
    ("maintain", "metric", "Cuota en el cliente", "Share of customer", "customer"),
    ("maintain", "metric", "Satisfacción del cliente", "Customer satisfaction", "customer"),
    ("maintain", "metric", "Coste de servir", "Cost to serve", "internal"),
    ("maintain", "metric", "Roturas de stock en el lineal", "Shelf out-of-stocks", "internal"),
    (
        "milk",
        "activity",
        "Pedidos por el portal B2B, sin visitas programadas",
        "Orders through the B2B portal, no scheduled visits",
        None,
    ),
    ("milk", "activity", "Revisión anual de tarifas y condiciones", "A yearly review of prices and terms", None),
)
"""This supplier's own playbook: Maintain also tracks shelf out-of-stocks; Milk accounts order online."""

OTHER_CUSTOMERS = (
    ("Supermercados Guadalquivir", "gran distribución", 1_450_000),
    ("Hiper Norte Cantábrico", "gran distribución", 980_000),
    ("Autoservicios La Mancha", "gran distribución", 390_000),
    ("Cash Levante Mayorista", "cash & carry / mayoristas", 1_120_000),
    ("Distribuciones Ribera del Duero", "cash & carry / mayoristas", 540_000),
    ("Almacenes Moncayo", "cash & carry / mayoristas", 260_000),
    ("Grupo Restauración Cibeles", "horeca", 870_000),
    ("Colectividades Atlántico", "horeca", 640_000),
    ("Catering Aéreo Barajas", "horeca", 1_310_000),
    ("Hoteles Costa Brava", "horeca", 310_000),
    ("Platos Preparados Navarra", "industria alimentaria", 1_620_000),
    ("Salsas Industriales del Turia", "industria alimentaria", 720_000),
    ("Conservera Rías Baixas", "industria alimentaria", 450_000),
    ("Delicatessen Serrano", "tiendas gourmet", 180_000),
    ("La Despensa de Chamberí", "tiendas gourmet", 120_000),
    ("Gourmet Online Ibérico", "tiendas gourmet", 520_000),
    ("Épiceries Fines de Lyon", "exportación", 610_000),
    ("Mercado Lusitano Lda.", "exportación", 430_000),
    ("Nordic Deli Import AB", "exportación", 940_000),
    ("Bodegas y Ultramarinos Rioja", "tiendas gourmet", 95_000),
    ("Comedores Escolares Meseta", "horeca", 280_000),
    ("Superecológico Verde", "gran distribución", 760_000),
)


RISING = [0, 8, 10, 18]
"""Positions in OTHER_CUSTOMERS of the customers whose selection scores make them key-account material."""


def plan_sheets(
    rng: np.random.Generator, accounts: pd.DataFrame, quadrants: dict[str, str], kams: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Return the stakeholders, kpis, playbook, customers, selection_criteria and selection_scores sheets,
    and the accounts sheet with target positions."""
    mapped = _mapped_accounts(accounts, quadrants)
    kam_names = kams.set_index("kam_id")["name"]
    stakeholders = _stakeholders(rng, accounts, mapped, kam_names)
    kpis = _kpis(rng, mapped, quadrants)
    playbook = pd.DataFrame(PLAYBOOK, columns=["strategy", "element", "es", "en", "perspective"])
    customers, criteria, scores = _selection(rng, accounts, quadrants)
    return {
        "accounts": _groups(_reviews(_targets(accounts, quadrants))),
        "stakeholders": stakeholders,
        "kpis": kpis,
        "playbook": playbook,
        "customers": customers,
        "selection_criteria": criteria,
        "selection_scores": scores,
        "forecasts": pd.DataFrame(
            FORECASTS, columns=["account_id", "horizon", "case", "criterion_id", "score", "potential", "position"]
        ).astype({"score": "Int64"}),
    }


def _mapped_accounts(accounts: pd.DataFrame, quadrants: dict[str, str]) -> list[str]:
    """The largest accounts of each strategy, in account order."""
    frame = accounts.assign(quadrant=accounts["account_id"].map(quadrants))
    top = frame.sort_values("revenue", ascending=False).groupby("quadrant").head(MAPPED_PER_QUADRANT)
    return sorted(top["account_id"])


def _stakeholders(
    rng: np.random.Generator, accounts: pd.DataFrame, mapped: list[str], kam_names: pd.Series
) -> pd.DataFrame:
    rows = []
    kam_of = accounts.set_index("account_id")["kam_id"]
    for k, account_id in enumerate(mapped):
        size = int(rng.integers(4, len(BUYING_CENTRE) + 1))
        chosen = sorted(rng.choice(len(BUYING_CENTRE), size=size, replace=False).tolist())
        for j, c in enumerate(chosen):
            title, role, influence = BUYING_CENTRE[c]
            person = f"{FIRST[(3 * k + j) % len(FIRST)]} {LAST[(5 * k + 2 * j) % len(LAST)]}"
            attitude = int(np.clip(round(rng.normal(0.6, 1.0)), -2, 2))
            known = rng.random() < (0.85 if influence >= 4 else 0.6)
            relationship = int(np.clip(round(rng.normal(3.4 if known else 1.3, 0.8)), 1, 5))
            contact = ""
            if known:
                contact = kam_names[kam_of[account_id]] if rng.random() < 0.8 else "Ramón Aguirre Soler"
            rows.append((account_id, person, title, role, influence, attitude, relationship, contact))
    columns = ["account_id", "person", "title", "role", "influence", "attitude", "relationship", "our_contact"]
    return pd.DataFrame(rows, columns=columns)


def _kpis(rng: np.random.Generator, mapped: list[str], quadrants: dict[str, str]) -> pd.DataFrame:
    rows = []
    for account_id in mapped[::2] + mapped[1::2][:4]:  # most mapped accounts track their strategy's metrics
        for kpi in SCORECARDS[quadrants[account_id]]:
            perspective, higher, typical, unit = KPIS[kpi]
            target = typical * (rng.uniform(800_000, 3_000_000) if kpi == "Volumen de ventas" else 1.0)
            for i, period in enumerate(PERIODS):
                actual = target * rng.normal(0.93 + 0.05 * i, 0.08)
                row = (account_id, perspective, kpi, unit, _round(kpi, target), _round(kpi, actual), period, higher)
                rows.append(row)
    columns = ["account_id", "perspective", "kpi", "unit", "target", "actual", "period", "higher_is_better"]
    return pd.DataFrame(rows, columns=columns).sort_values(["account_id", "period"], kind="stable")


def _round(kpi: str, value: float) -> float:
    """Whole numbers for counts and money, one decimal for ratings and percentages (24.5 is 24.5 %)."""
    if kpi in COUNTS or KPIS[kpi][3] == "currency":
        return float(round(value))
    return round(float(value), 1)


def _targets(accounts: pd.DataFrame, quadrants: dict[str, str]) -> pd.DataFrame:
    """The supplier wants its two largest selective accounts to become Invest accounts."""
    out = accounts.copy()
    at = out.columns.get_loc("revenue") + 1  # the contract's order, before the sample's extra column
    out.insert(at, "target_potential", np.nan)
    out.insert(at + 1, "target_position", np.nan)
    selective = out[out["account_id"].map(quadrants) == "selective"].nlargest(2, "revenue").index
    out.loc[selective, ["target_potential", "target_position"]] = [[8.0, 6.5], [7.5, 6.0]]
    return out


FORECASTS = (  # account, horizon, case, criterion_id, score, potential, position
    ("A001", "2029", "with_plan", None, None, 7.0, 8.2),
    ("A001", "2029", "without_plan", None, None, 6.2, 5.6),
    ("A003", "2029", "with_plan", None, None, 7.5, 6.0),  # its target: Selective → Invest
    ("A003", "2029", "without_plan", None, None, 6.8, 3.6),
    ("A004", "2029", "with_plan", "service_level", 8, None, None),  # fix the service the buyer complains of
    ("A004", "2029", "with_plan", "incidents", 3, None, None),
    ("A004", "2029", "without_plan", None, None, 6.5, 4.4),  # the customer's view wins: Invest → Selective
    ("A005", "2029", "without_plan", "growth", 2, None, None),
    ("A008", "2029", "with_plan", "relationship", 4, None, None),
    ("A008", "2029", "with_plan", "service_level", 8, None, None),
    ("A008", "2029", "with_plan", "price_competitiveness", 8, None, None),
    ("A013", "2029", "with_plan", None, None, None, 5.6),
    ("A045", "2029", "with_plan", None, None, 7.2, 5.4),
    ("A045", "2029", "without_plan", None, None, 6.0, 4.0),
    ("A029", "2029", "without_plan", None, None, 4.6, 6.8),  # a client that stops growing: Invest → Maintain
)
"""McDonald's directional policy matrix for 2029: where eight accounts will be with our plan and without it."""


GROUPS = {
    "A004": "A001", "A005": "A001", "A007": "A004",  # a retail group, its regional chain and a store banner
    "A017": "A015", "A021": "A015",  # a distributor's wholesale arms
    "A025": "A022", "A028": "A022",  # a hotel group's brands
    "A048": "A042",  # a Portuguese distributor's food-service arm
}  # fmt: skip
"""The accounts that belong to another (accounts.parent_id): four groups, one of them two levels deep."""


def _groups(accounts: pd.DataFrame) -> pd.DataFrame:
    """Each account's group (`GROUPS`), empty for a top account."""
    out = accounts.copy()
    out.insert(out.columns.get_loc("target_position") + 1, "parent_id", out["account_id"].map(GROUPS))
    return out


OLD_PLANS = {"A002": "2025-03-10", "A010": "2025-05-20", "A030": None, "A045": "2025-01-20"}
"""Plans not reviewed in the 12 months before the sample's date (2026-07-15): two Invest accounts, a Selective one
never reviewed, and an export account."""


def _reviews(accounts: pd.DataFrame) -> pd.DataFrame:
    """Each plan's last review: within the year before the engagement's date, but for `OLD_PLANS`."""
    out = accounts.copy()
    draw = random.Random(7)  # its own stream, so that the dates leave every other sheet as it was
    start = dt.date(2025, 8, 4)
    dates = [
        OLD_PLANS[a] if a in OLD_PLANS else (start + dt.timedelta(days=draw.randrange(0, 340))).isoformat()
        for a in out["account_id"]
    ]
    out.insert(out.columns.get_loc("target_position") + 1, "last_reviewed", dates)
    return out


def _selection(
    rng: np.random.Generator, accounts: pd.DataFrame, quadrants: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    key = accounts[["account_id", "name", "sector", "revenue"]].rename(columns={"account_id": "customer_id"})
    others = pd.DataFrame(OTHER_CUSTOMERS, columns=["name", "sector", "revenue"])
    others.insert(0, "customer_id", [f"C{i:03d}" for i in range(1, len(others) + 1)])
    customers = pd.concat([key, others], ignore_index=True)
    criteria = default_selection_criteria()
    criteria["weight"] = [3, 3, 2, 1, 1]  # volume and profitability first: this supplier's choice
    strength = {"invest": 2.4, "selective": 1.8, "maintain": 1.8, "milk": 0.6}
    rising = set(others["customer_id"].iloc[RISING])  # customers the supplier does not yet treat as key
    rows = []
    log_revenue = np.log10(customers["revenue"].to_numpy(dtype=float))
    for i, customer in enumerate(customers.itertuples(index=False)):
        lift = strength.get(quadrants.get(customer.customer_id, ""), 2.2 if customer.customer_id in rising else -1.0)
        volume = 1 + 9 * (log_revenue[i] - 4.9) / (6.9 - 4.9)
        for criterion in criteria["criterion_id"]:
            base = volume if criterion == "volume_scalability" else 5.5 + lift
            score = int(np.clip(round(base + rng.normal(0, 1.3)), 1, 10))
            rows.append((customer.customer_id, criterion, score, "RAS", PERIODS[-1]))
    scores = pd.DataFrame(rows, columns=["customer_id", "criterion_id", "score", "assessor", "period"])
    return customers, criteria, scores
