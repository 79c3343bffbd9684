"""Write the bundled sample ledger to kamlib/samples/sample_ledger/, deterministically: what `kam ingest` reads.

Three years of invoice lines (1 July 2023 to 30 June 2026) of the sample's supplier, Conservas y Aceites del
Ebro, S.A., as its ERP exports them (ventas.csv: ";", decimal comma, day-first dates), the mapping that reads
them (ventas.yaml), each customer's estimated total spend for the share of wallet (wallet.csv) and a README.

The customers are the 48 accounts of kamlib/samples/sample/accounts.csv (ids and names read from it) and ten more the
workbook lacks (C101–C110): two of them new in the last year, one lost (it bought only in the first two).
Each account's last 12 months of net revenue is about its `revenue` in accounts.csv (±3 %); its growth,
margin and share of wallet follow the KAMs' 2026-H1 scores in kamlib/samples/sample/scores.csv, with noise, so that the
ledger mostly confirms the hand scores and now and then contradicts them (margins also depend on the mix of
families bought). Families bought differ by channel and account (some growing accounts took one on in the last
year and a half, some shrinking ones dropped one), and about 1 % of the lines are returns.

Run from the repository root:  python scripts/sample_ledger.py  [--out FOLDER]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kamlib.synthetic import SECTORS  # noqa: E402

SEED = 20260630
SAMPLE = ROOT / "kamlib" / "samples" / "sample"
OUT = ROOT / "kamlib" / "samples" / "sample_ledger"
START, END = dt.date(2023, 7, 1), dt.date(2026, 6, 30)
MONTHS = 36
TARGET_LINES = 14_200
"""Sale lines wanted over the three years (returns come on top): a file of about 1.4 MB."""
RETURN_SHARE = 0.01

GD, CC, HO, IA, TG, EX = SECTORS

# family: (gross margin % at list price, products: code, list price per unit in €)
FAMILIES = {
    "Conservas vegetales": (28.0, (("CV-101", 2.90), ("CV-102", 2.60), ("CV-103", 3.80), ("CV-104", 1.20))),
    "Tomate": (21.0, (("TO-201", 1.10), ("TO-202", 0.95), ("TO-203", 0.90), ("TO-204", 4.80))),
    "Legumbres": (24.0, (("LE-301", 0.85), ("LE-302", 0.95), ("LE-303", 0.90))),
    "Aceites": (12.0, (("AC-401", 7.20), ("AC-402", 33.00), ("AC-403", 5.60), ("AC-404", 9.50))),
    "Salsas": (35.0, (("SA-501", 1.70), ("SA-502", 2.10), ("SA-503", 1.90), ("SA-504", 1.40))),
    "Encurtidos": (31.0, (("EN-601", 1.30), ("EN-602", 1.50), ("EN-603", 2.20))),
    "Platos preparados": (30.0, (("PP-701", 2.60), ("PP-702", 2.90), ("PP-703", 1.80))),
    "Vinagres": (38.0, (("VI-801", 2.40), ("VI-802", 0.80), ("VI-803", 3.10))),
}
FAMILY_NAMES = tuple(FAMILIES)

# channel: (preference for each family in FAMILIES' order, fewest and most families bought, month factors Jan–Dec)
CHANNELS = {
    GD: ((3, 3, 2, 3, 2, 1.5, 1.5, 1), (5, 8), (0.95, 0.9, 1, 1, 1, 1, 1, 0.9, 1, 1, 1.05, 1.25)),
    CC: ((2, 3, 2, 3, 2, 1.5, 1, 1), (4, 7), (0.9, 0.9, 1, 1, 1, 1.05, 1.15, 1.15, 1, 0.95, 0.95, 1.1)),
    HO: ((2, 3, 2, 3, 2, 0.5, 0.5, 1.5), (3, 6), (0.8, 0.8, 0.95, 1, 1.05, 1.2, 1.35, 1.35, 1.15, 0.95, 0.85, 1)),
    IA: ((2, 3, 2, 3, 0.3, 0.2, 0.2, 0.5), (1, 3), (1, 1, 1.05, 1, 1, 1, 0.95, 0.6, 1.05, 1.05, 1.05, 0.9)),
    TG: ((3, 0.5, 1, 3, 1, 2, 1, 2), (2, 4), (0.8, 0.8, 0.9, 0.95, 0.9, 0.9, 0.9, 0.85, 0.95, 1, 1.25, 1.7)),
    EX: ((3, 2, 1, 3, 1, 1, 1, 0.5), (2, 5), (0.95, 0.95, 1, 1, 1, 1, 1, 0.9, 1, 1, 1.05, 1.1)),
}

# Customers the workbook lacks: id, name, channel, net revenue in a year of business, first and last month
# bought (0 = July 2023, 35 = June 2026), estimated total spend known?
OUTSIDERS = (
    ("C101", "Distribuciones Hermanos Lázaro, S.L.", CC, 420_000, 0, 35, True),
    ("C102", "Restaurantes El Fogón de Tudela", HO, 95_000, 0, 35, False),
    ("C103", "Conservera del Bierzo, S.A.", IA, 610_000, 0, 35, True),
    ("C104", "Supermercados Vallecano", GD, 280_000, 0, 35, True),
    ("C105", "Ultramarinos La Alacena", TG, 60_000, 0, 35, False),
    ("C106", "Catering Mediterráneo Levante", HO, 180_000, 0, 35, True),
    ("C107", "Comercial Oleícola de Jaén", CC, 350_000, 0, 35, True),
    ("C108", "Autoservicios Peña Ubiña", GD, 220_000, 0, 22, False),  # lost: nothing after May 2025
    ("C109", "Hoteles Costa de la Luz", HO, 160_000, 26, 35, True),  # new: first invoice September 2025
    ("C110", "Cocinas Centrales Ibéricas", IA, 300_000, 31, 35, False),  # new: first invoice February 2026
)
NO_ESTIMATE = ("A012", "A026", "A036", "A041", "A046")
"""Accounts whose total spend nobody has estimated: no share of wallet for them."""
SOURCES = ("entrevista con compras", "informe sectorial", "estimación del KAM", "panel de consumo")

LEDGER_COLUMNS = (
    "Fecha factura",
    "Nº factura",
    "Cód. cliente",
    "Razón social",
    "Artículo",
    "Familia",
    "Unidades",
    "Importe neto",
    "Coste",
    "Moneda",
)
WALLET_COLUMNS = ("cliente", "nombre", "gasto_estimado", "fuente")

MAPPING = """\
# Correspondencia del libro de ventas de muestra / mapping of the sample ledger
#   kam sample LIBRO; kam sample CARPETA --ledger; kam ingest CARPETA/ventas.csv LIBRO --map CARPETA/ventas.yaml
# Cada clave es opcional; lo que no se nombra conserva su valor por defecto (kam template X.yaml --kind ledger
# escribe todas). / Every key is optional; what is not named keeps its default (kam template X.yaml --kind
# ledger writes them all).

# columns: la columna del archivo que tiene cada campo; un nombre dado debe estar en el archivo (se compara sin
#   mayúsculas, acentos ni espacios) / the file's column holding each field; a name given must be in the file
#   (compared ignoring case, accents and spaces)
columns:
  date: Fecha factura          # fecha de la factura / invoice date (obligatoria / required)
  invoice: Nº factura          # factura o abono: un pedido / invoice or credit note: one order
  customer: Cód. cliente       # código del cliente = account_id del libro / customer code = the workbook's account_id
  customer_name: Razón social  # nombre de los clientes nuevos / name given to new customers
  product: Artículo            # código de artículo / product code
  family: Familia              # familias compradas y huecos de venta / families bought and whitespace
  quantity: Unidades           # negativas en una devolución / negative in a return
  revenue: Importe neto        # sin IVA, negativo en un abono (obligatoria) / before VAT, negative in a credit note
  cost: Coste                  # coste de las ventas: da el margen / cost of sales: gives the margin
  currency: Moneda             # una sola moneda, EUR / one currency, EUR

# date_format: día/mes/año (auto también lo reconoce) / day/month/year (auto reads it too)
date_format: "%d/%m/%Y"
# decimal: coma decimal, 1234,56 (auto | comma | point) / decimal comma
decimal: comma
# separator: punto y coma (auto | ; | , | tab) / semicolon
separator: ";"
# encoding: utf-8 (auto | utf-8 | cp1252)
encoding: utf-8
# duplicates: una línea repetida exactamente es un error (refuse | drop | keep) / an exact repeat is an error
duplicates: refuse

# criteria: métrica -> criterion_id del libro (criteria.csv); esta lista sustituye a la de por
#   defecto / metric -> the workbook's criterion_id; this list replaces the default one
criteria:
  volume: volume                    # facturación neta, últimos 12 meses / net revenue, last 12 months
  growth: growth                    # crecimiento interanual (%) / growth year over year (%)
  margin: profitability             # margen bruto (%) / gross margin (%)
  share_of_wallet: share_of_wallet  # cuota en el cliente (%), con wallet.csv / share of wallet (%)

# rules: cómo cada métrica se hace puntuación / how each metric becomes a score
#   quantiles: posición del cliente en la cartera, del mínimo de la escala al máximo / rank in the portfolio
#   thresholds: lineal de low (mínimo de la escala) a high (máximo), en unidades de la métrica / linear from
#     low (bottom of the scale) to high (top), in the metric's units
rules:
  volume: {rule: quantiles}
  growth: {rule: thresholds, low: -20, high: 30}          # -20 % o menos: 1; +30 % o más: 10 / or less; or more
  margin: {rule: quantiles}
  share_of_wallet: {rule: thresholds, low: 0, high: 100}  # escala 0-100: puntuación = cuota / score = share

# step: las puntuaciones se redondean a este paso / scores are rounded to this step
step: 0.1
# new_customers: puntuación de crecimiento de un cliente sin los 12 meses anteriores (median | top | bottom |
#   none) / growth score of a customer without the 12 months before
new_customers: median
"""

README = """\
# Libro de ventas de muestra / Sample sales ledger

Tres años de ventas (1-7-2023 a 30-6-2026) del proveedor de la muestra, Conservas y Aceites del Ebro, S.A., como
los exporta su ERP, para probar `kam ingest` sobre el libro de muestra (`kam sample CARPETA`). Datos ficticios,
generados por `scripts/sample_ledger.py`.

Three years of sales (1 July 2023 to 30 June 2026) of the sample's supplier, as its ERP exports them, to try
`kam ingest` on the sample workbook (`kam sample FOLDER`). Fictional data, written by `scripts/sample_ledger.py`.

- `ventas.csv`: líneas de factura: `;`, coma decimal, fechas dd/mm/aaaa, UTF-8; ~1 % son devoluciones
  (unidades e importe negativos). / Invoice lines: `;`, decimal comma, dd/mm/yyyy dates, UTF-8; ~1 % are
  returns (negative units and amount).
- `ventas.yaml`: la correspondencia comentada: columnas, formato, criterios y reglas. / The mapping, commented:
  columns, format, criteria and rules.
- `wallet.csv`: gasto anual estimado de cada cliente en lo que vende el proveedor (`cliente;gasto_estimado`),
  base de la cuota en el cliente; no todos lo tienen. / Each customer's estimated yearly spend on what the
  supplier sells, the base of the share of wallet; not every customer has one.

Clientes: las 48 cuentas del libro (A001–A048) y 10 que no están en él (C101–C110: dos nuevos en el último año, uno
perdido, C108, que no se añade como cuenta). / Customers: the workbook's 48 accounts and 10 it lacks (two new in
the last year, one lost, C108, which is not added as an account).

Ingestar en una copia del libro de muestra / Ingest into a copy of the sample workbook:

```
kam sample /tmp/muestra
kam sample /tmp/libro --ledger
kam ingest /tmp/libro/ventas.csv /tmp/muestra --map /tmp/libro/ventas.yaml --wallet /tmp/libro/wallet.csv \\
    --period 2026-H2
```

`--period 2026-H2` hace de las puntuaciones del libro de ventas (evaluador `ledger`) las más recientes en sus
cuatro criterios; sin él, el periodo es el mes de la última factura, 2026-06, que va antes de la ronda 2026-H1 de
los KAM y no cambia la matriz; con `--period 2026-H1` se promedian con las de los KAM. `--no-scores` solo escribe
las métricas y el espacio en blanco para los informes (así está hecho el libro de muestra).
/ `--period 2026-H2` makes the ledger's scores (assessor `ledger`) the latest on their four criteria; without it
the period is the month of the last invoice, 2026-06, which sorts before the KAMs' 2026-H1 round and leaves the
matrix as it is; with `--period 2026-H1` they are averaged with the KAMs'. `--no-scores` writes only the metrics
and the whitespace for the reports (that is how the sample workbook is made).
"""


def _business_days(year: int, month: int) -> np.ndarray:
    """The weekdays of a month, as dates."""
    first = np.datetime64(f"{year:04d}-{month:02d}-01")
    days = np.arange(first, first + np.timedelta64(31, "D"), dtype="datetime64[D]")
    days = days[days.astype("datetime64[M]") == first.astype("datetime64[M]")]
    return days[np.is_busday(days)]


def _month(index: int) -> tuple[int, int]:
    """(year, month) of month `index`, 0 = July 2023."""
    total = START.year * 12 + START.month - 1 + index
    return total // 12, total % 12 + 1


def _customers(
    rng: np.random.Generator, accounts: pd.DataFrame | None = None, scores: pd.DataFrame | None = None
) -> list[dict]:
    """Every customer with its channel, revenue, growth, margin offset, share of wallet and active months (the
    sample's accounts and scores: given, or read from kamlib/samples/sample/)."""
    if accounts is None:
        accounts = pd.read_csv(SAMPLE / "accounts.csv", dtype={"account_id": str, "name": str})
    if scores is None:
        scores = pd.read_csv(SAMPLE / "scores.csv", dtype={"account_id": str})
    latest = scores[scores["period"] == "2026-H1"].groupby(["account_id", "criterion_id"])["score"].mean().unstack()
    customers = []
    for row in accounts.itertuples(index=False):
        hand = latest.loc[row.account_id]
        customers.append(
            {
                "id": row.account_id,
                "name": row.name,
                "channel": row.sector,
                "revenue": float(row.revenue),
                "growth": -25.0 + (hand["growth"] - 1.0) / 9.0 * 60.0 + rng.normal(0.0, 6.0),
                "margin": (hand["profitability"] - 5.5) * 2.2 + rng.normal(0.0, 1.5),
                "share": float(np.clip(8.0 + 0.75 * hand["share_of_wallet"] + rng.normal(0.0, 4.0), 6.0, 80.0)),
                "months": (0, MONTHS - 1),
                "estimate": row.account_id not in NO_ESTIMATE,
            }
        )
    for code, name, channel, revenue, first, last, estimate in OUTSIDERS:
        customers.append(
            {
                "id": code,
                "name": name,
                "channel": channel,
                "revenue": float(revenue),
                "growth": rng.normal(4.0, 14.0),
                "margin": rng.normal(0.0, 3.0),
                "share": float(rng.uniform(10.0, 55.0)),
                "months": (first, last),
                "estimate": estimate,
            }
        )
    return customers


def _budgets(customer: dict, rng: np.random.Generator) -> np.ndarray:
    """Net revenue of each of the 36 months: the trend through the three years, the channel's season, noise.

    A customer's year of business (the last 12 months, or 12 months at its last year's level) is its revenue.
    """
    growth = customer["growth"] / 100.0
    earlier = growth + rng.normal(0.0, 0.08)
    levels = np.log([1.0 / ((1.0 + growth) * (1.0 + earlier)), 1.0 / (1.0 + growth), 1.0])
    t = np.arange(MONTHS, dtype=np.float64)
    trend = np.exp(np.interp(t, [5.5, 17.5, 29.5], levels, left=np.nan, right=np.nan))
    slope = (levels[1:] - levels[:-1]) / 12.0
    trend[t < 5.5] = np.exp(levels[0] + slope[0] * (t[t < 5.5] - 5.5))
    trend[t > 29.5] = np.exp(levels[2] + slope[1] * (t[t > 29.5] - 29.5))
    season = np.asarray(CHANNELS[customer["channel"]][2])[[(_month(i)[1] - 1) for i in range(MONTHS)]]
    budget = trend * season
    budget *= customer["revenue"] / budget[MONTHS - 12 :].sum()
    first, last = customer["months"]
    budget[:first] = 0.0
    budget[last + 1 :] = 0.0
    return budget * rng.lognormal(0.0, 0.1, MONTHS)


def _families(customer: dict, rng: np.random.Generator) -> dict[str, tuple[float, int, int]]:
    """The families a customer buys: family → (share of its spend, first month, last month)."""
    preference, (fewest, most), _ = CHANNELS[customer["channel"]]
    weights = np.asarray(preference, dtype=np.float64)
    count = int(rng.integers(fewest, most + 1))
    chosen = rng.choice(len(FAMILY_NAMES), size=count, replace=False, p=weights / weights.sum())
    shares = rng.dirichlet(3.0 * weights[chosen])
    first, last = customer["months"]
    bought = {FAMILY_NAMES[f]: (float(s), first, last) for f, s in zip(chosen, shares, strict=True)}
    others = [f for f in range(len(FAMILY_NAMES)) if f not in chosen]
    if customer["id"].startswith("A") and customer["growth"] > 10 and others and rng.random() < 0.5:
        added = others[int(rng.integers(len(others)))]  # cross-sold in the last year and a half
        bought[FAMILY_NAMES[added]] = (float(rng.uniform(0.05, 0.15)), int(rng.integers(18, 31)), last)
    if customer["id"].startswith("A") and customer["growth"] < -5 and count > 2 and rng.random() < 0.6:
        dropped = min(bought, key=lambda f: bought[f][0])  # its smallest family, no longer bought
        share, start, _ = bought[dropped]
        bought[dropped] = (share, start, int(rng.integers(8, 21)))
    return bought


def _prices(customer: dict, families: dict, rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """Each product's (net price, standard cost) per unit for this customer: margin by family and customer."""
    prices = {}
    for family in families:
        margin, products = FAMILIES[family]
        customer_margin = float(np.clip(margin + customer["margin"] + rng.normal(0.0, 2.0), 4.0, 50.0))
        for code, price in products:
            cost = round(price * (1.0 - margin / 100.0), 4)
            prices[code] = (round(cost / (1.0 - customer_margin / 100.0), 2), cost)
    return prices


def _sales(customers: list[dict], rng: np.random.Generator) -> pd.DataFrame:
    """Every sale line: invoices per month by the customer's size, several lines each, the month's revenue
    spread over them (a month without an order carries its revenue over); then each customer's amounts are
    scaled so that each year (July to June) comes to what its months planned, whatever the carry-overs."""
    plans = [(c, _budgets(c, rng), _families(c, rng)) for c in customers]
    plans = [(c, budget, families, _prices(c, families, rng)) for c, budget, families in plans]
    per_root = TARGET_LINES / sum(float(np.sqrt(budget).sum()) for _, budget, _, _ in plans)
    rows = []
    for customer, budget, families, prices in plans:
        carried = 0.0
        for month in range(MONTHS):
            active = [f for f, (_, first, last) in families.items() if first <= month <= last]
            money = budget[month] + carried if active else 0.0  # a lost customer's last carry is lost with it
            per_invoice = 1.0 + 0.45 * len(active)
            invoices = int(rng.poisson(max(per_root * np.sqrt(budget[month]) / per_invoice, 0.4))) if money else 0
            if customer["id"] == "A001" and month == MONTHS - 1:
                invoices = max(invoices, 1)
            carried = money if invoices == 0 else 0.0
            if invoices == 0:
                continue
            year, month_number = _month(month)
            days = rng.choice(_business_days(year, month_number), size=invoices)
            if customer["id"] == "A001" and month == MONTHS - 1:
                days[0] = np.datetime64(END)  # the ledger ends on its last day
            share = {f: families[f][0] / len(FAMILIES[f][1]) for f in active}
            products = [(f, code) for f in active for code, _ in FAMILIES[f][1]]
            weight = np.array([share[f] for f, _ in products])
            picked = []
            for invoice, day in enumerate(days):
                count = min(1 + int(rng.poisson(0.45 * len(active))), len(products))
                for p in rng.choice(len(products), size=count, replace=False, p=weight / weight.sum()):
                    picked.append((invoice, day, *products[p]))
            amounts = money * rng.dirichlet(np.full(len(picked), 2.0))
            for (invoice, day, family, code), amount in zip(picked, amounts, strict=True):
                price, cost = prices[code]
                price = round(price * (1.0 + rng.normal(0.0, 0.015)), 2)
                rows.append((day, customer["id"], month, invoice, customer["name"], code, family, amount, price, cost))
    columns = ["date", "customer", "month", "invoice", "name", "product", "family", "amount", "price", "cost"]
    sales = pd.DataFrame(rows, columns=columns)
    year = sales["month"] // 12
    planned = {(c["id"], y): b[12 * y : 12 * y + 12].sum() for c, b, _, _ in plans for y in range(MONTHS // 12)}
    made = sales.groupby([sales["customer"], year])["amount"].transform("sum")
    wanted = np.array([planned[key] for key in zip(sales["customer"], year, strict=True)])
    sales["quantity"] = np.maximum(1, np.round(sales["amount"] * wanted / made / sales["price"])).astype(np.int64)
    return sales.drop(columns="amount")


def _returns(sales: pd.DataFrame, last_day: dict[str, np.datetime64], rng: np.random.Generator) -> pd.DataFrame:
    """About 1 % of the sale lines partly returned a few working days later, each on its own credit note."""
    chosen = sales[rng.random(len(sales)) < RETURN_SHARE].copy()
    later = np.busday_offset(chosen["date"].to_numpy().astype("datetime64[D]"), rng.integers(2, 20, len(chosen)))
    chosen["date"] = later
    chosen["quantity"] = -np.maximum(1, np.round(chosen["quantity"] * rng.uniform(0.05, 0.4, len(chosen))))
    limit = chosen["customer"].map(last_day).to_numpy().astype("datetime64[D]")
    return chosen[later <= np.minimum(limit, np.datetime64(END))]


def sample_ledger(accounts: pd.DataFrame | None = None, scores: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Build the sample ledger's two tables: ventas (the invoice lines, as ventas.csv has them) and wallet, for
    the sample's accounts and scores (given, as `make_sample` has them, or read from kamlib/samples/sample/)."""
    rng = np.random.default_rng(SEED)
    customers = _customers(rng, accounts, scores)
    sales = _sales(customers, rng)
    sales["credit"] = False
    last_day = sales.groupby("customer")["date"].max().to_dict()
    returns = _returns(sales, last_day, rng).assign(credit=True)
    lines = pd.concat([sales, returns], ignore_index=True)
    lines["date"] = pd.to_datetime(lines["date"])
    lines = lines.sort_values(["date", "credit", "customer", "month", "invoice"], kind="stable", ignore_index=True)
    orders = lines[["date", "credit", "customer", "month", "invoice"]].drop_duplicates()
    orders = orders.assign(year=orders["date"].dt.year % 100)
    orders["number"] = orders.groupby(["credit", "year"]).cumcount() + 1
    orders["code"] = [
        f"{'AB' if credit else 'FV'}{year:02d}-{number:05d}"
        for credit, year, number in zip(orders["credit"], orders["year"], orders["number"], strict=True)
    ]
    lines = lines.merge(orders, on=["date", "credit", "customer", "month", "invoice"], how="left", validate="m:1")
    revenue = (lines["quantity"] * lines["price"]).round(2)
    ventas = pd.DataFrame(
        {
            "Fecha factura": lines["date"],
            "Nº factura": lines["code"],
            "Cód. cliente": lines["customer"],
            "Razón social": lines["name"],
            "Artículo": lines["product"],
            "Familia": lines["family"],
            "Unidades": lines["quantity"].astype(np.int64),
            "Importe neto": revenue,
            "Coste": (lines["quantity"] * lines["cost"]).round(2),
            "Moneda": "EUR",
        }
    )
    return {"ventas": ventas, "wallet": _wallet(customers, ventas, rng)}


def _wallet(customers: list[dict], ventas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Each customer's estimated yearly spend: its last 12 months over the share it is meant to have, rounded
    as estimates are (to thousands, to ten thousands above a million)."""
    last = ventas[ventas["Fecha factura"] > pd.Timestamp(END) - pd.DateOffset(months=12)]
    volume = last.groupby("Cód. cliente")["Importe neto"].sum()
    rows = []
    for customer in customers:
        if not customer["estimate"] or volume.get(customer["id"], 0.0) <= 0.0:
            continue
        spend = volume[customer["id"]] / (customer["share"] / 100.0)
        step = 10_000.0 if spend >= 1_000_000 else 1_000.0
        source = SOURCES[int(rng.integers(len(SOURCES)))]
        rows.append((customer["id"], customer["name"], round(spend / step) * step, source))
    return pd.DataFrame(rows, columns=list(WALLET_COLUMNS))


def render(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The text of each file of kamlib/samples/sample_ledger/, from `sample_ledger()`'s tables."""
    ventas = frames["ventas"].to_csv(
        sep=";", decimal=",", float_format="%.2f", date_format="%d/%m/%Y", index=False, lineterminator="\n"
    )
    wallet = frames["wallet"].assign(
        gasto_estimado=[f"{v:,.0f}".replace(",", ".") for v in frames["wallet"]["gasto_estimado"]]
    )
    return {
        "ventas.csv": ventas,
        "ventas.yaml": MAPPING,
        "wallet.csv": wallet.to_csv(sep=";", index=False, lineterminator="\n"),
        "README.md": README,
    }


def write_sample_ledger(out: Path = OUT) -> Path:
    """Write the sample ledger's files to `out` (UTF-8, no byte order mark, \\n line ends)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render(sample_ledger()).items():
        (out / name).write_bytes(text.encode("utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the sample ledger (default: kamlib/samples/sample_ledger/)."""
    parser = argparse.ArgumentParser(description="Write the sample sales ledger of the sample engagement.")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (default: kamlib/samples/sample_ledger)")
    print(f"wrote {write_sample_ledger(parser.parse_args(argv).out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
