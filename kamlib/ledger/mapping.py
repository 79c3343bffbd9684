"""The ledger mapping: which columns of an ERP or CRM export hold what, and how each metric becomes a score.

A small YAML file beside the ledger; every key is optional (what the file does not name keeps its default):

    columns:                 # a name, or a list of names tried in order; none = the file has no such column
      date: Fecha factura
      customer: [cod_cliente, cliente]
      cost: none
    date_format: "%d/%m/%Y"  # default: auto (ISO 2025-03-31, else day first 31/03/2025, else month first)
    decimal: auto            # auto | comma | point (also coma, punto)
    keep_currency: EUR       # with several currencies: keep only these lines (default: refuse the ledger)
    duplicates: refuse       # refuse | drop | keep: exact repeats of a line
    criteria:                # metric: the workbook's criterion_id it scores (this list replaces the default)
      volume: volume
      margin: profitability
    rules:                   # per metric: quantiles, or thresholds with low and high in the metric's units
      growth: {rule: thresholds, low: -20, high: 30}
    step: 0.1                # scores are rounded to this step of the criterion's scale
    new_customers: median    # growth score of a customer without the 12 months before: median | top | bottom | none

Column names are matched ignoring case, accents and the difference between spaces, hyphens and underscores.
Not naming a column tries the defaults in `DEFAULT_NAMES` (English, then Spanish). date, customer and revenue
must be found; product, family and quantity too, unless set to none; customer_name, cost, currency and invoice
are used when found. Unknown keys, metrics and values are errors that name the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kamlib.errors import list_known
from kamlib.fileio import write_text
from kamlib.workbook.cells import cell_text, name_key, parse_number
from kamlib.yamlfiles import describe, read_yaml_mapping

FIELDS: tuple[str, ...] = (
    "date",
    "customer",
    "customer_name",
    "product",
    "family",
    "invoice",
    "quantity",
    "revenue",
    "cost",
    "currency",
)
"""The normalised columns of a ledger, in the order `read_ledger` returns them."""
REQUIRED: tuple[str, ...] = ("date", "customer", "revenue")
"""Columns a ledger must have."""
EXPECTED: tuple[str, ...] = ("product", "family", "quantity")
"""Columns a ledger must have unless the mapping says `none` (the file has no such column)."""
OPTIONAL: tuple[str, ...] = ("customer_name", "invoice", "cost", "currency")
"""Columns used when found: names, orders, margin, the currency check."""
AMOUNTS: tuple[str, ...] = ("quantity", "revenue", "cost")
TEXTS: tuple[str, ...] = ("customer", "customer_name", "product", "family", "invoice", "currency")

DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "date": ("date", "invoice_date", "order_date", "fecha", "fecha_factura", "fecha_documento", "fecha_pedido"),
        "customer": (
            "customer",
            "customer_id",
            "customer_code",
            "client",
            "client_id",
            "account_id",
            "cliente",
            "id_cliente",
            "codigo_cliente",
            "cod_cliente",
        ),
        "customer_name": ("customer_name", "client_name", "nombre_cliente", "razon_social", "nombre"),
        "product": ("product", "product_id", "sku", "item", "producto", "articulo", "referencia", "cod_articulo"),
        "family": ("family", "product_family", "category", "familia", "familia_producto", "categoria"),
        "invoice": (
            "invoice",
            "invoice_id",
            "invoice_number",
            "order",
            "order_id",
            "factura",
            "num_factura",
            "numero_factura",
            "pedido",
            "documento",
        ),
        "quantity": ("quantity", "qty", "units", "cantidad", "unidades"),
        "revenue": (
            "revenue",
            "net_revenue",
            "sales",
            "net_sales",
            "amount",
            "net_amount",
            "importe",
            "importe_neto",
            "ventas",
            "base_imponible",
        ),
        "cost": ("cost", "cogs", "cost_of_sales", "coste", "costo", "coste_ventas", "coste_total"),
        "currency": ("currency", "moneda", "divisa"),
    }
)
"""Names tried, in order, for a column the mapping does not name (English, then Spanish)."""

NONE_WORDS = frozenset({"none", "ninguna", "ninguno"})
"""Written as a column's name: the file has no such column."""

METRICS: tuple[str, ...] = ("volume", "growth", "margin", "families", "frequency", "recency", "share_of_wallet")
"""Per-customer metrics of a ledger (`kamlib.ledger.metrics.ledger_metrics`)."""
LOWER_IS_BETTER: frozenset[str] = frozenset({"recency"})
"""Metrics where less is better for the account (days since the last purchase)."""
METRIC_LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "volume": ("net revenue, last 12 months", "facturación neta, últimos 12 meses"),
        "growth": ("growth year over year (%)", "crecimiento interanual (%)"),
        "margin": ("gross margin (%)", "margen bruto (%)"),
        "families": ("product families bought", "familias de producto compradas"),
        "frequency": ("orders per month", "pedidos al mes"),
        "recency": ("days since the last purchase", "días desde la última compra"),
        "share_of_wallet": ("share of the customer's spend (%)", "cuota en el cliente (%)"),
    }
)
"""(English, Spanish) label of each metric."""

DEFAULT_CRITERIA: Mapping[str, str] = MappingProxyType(
    {"volume": "volume", "growth": "growth", "margin": "profitability", "share_of_wallet": "share_of_wallet"}
)
"""Metric → criterion_id when the mapping names none: the potential criteria of METHOD.md §1 (the sample's ids)."""

_CHOICES = {
    "decimal": {"auto": "auto", "comma": "comma", "coma": "comma", "point": "point", "punto": "point"},
    "encoding": {
        "auto": "auto",
        "utf-8": "utf-8",
        "utf8": "utf-8",
        "cp1252": "cp1252",
        "windows-1252": "cp1252",
        "latin-1": "cp1252",
        "latin1": "cp1252",
    },
    "duplicates": {
        "refuse": "refuse",
        "rechazar": "refuse",
        "drop": "drop",
        "quitar": "drop",
        "keep": "keep",
        "mantener": "keep",
    },
    "new_customers": {
        "median": "median",
        "mediana": "median",
        "top": "top",
        "máximo": "top",
        "maximo": "top",
        "bottom": "bottom",
        "mínimo": "bottom",
        "minimo": "bottom",
        "none": "none",
        "ninguna": "none",
    },
    "rule": {"quantiles": "quantiles", "cuantiles": "quantiles", "thresholds": "thresholds", "umbrales": "thresholds"},
}


def _choice(value: object, what: str) -> object:
    """Read one of a setting's words (English or Spanish, any case); raise naming the allowed ones."""
    if not isinstance(value, str):
        return value
    found = _CHOICES[what].get(value.strip().lower())
    if found is None:
        allowed = ", ".join(dict.fromkeys(_CHOICES[what].values()))
        raise PydanticCustomError("choice", "not one of the allowed words", {"allowed": allowed})
    return found


def _number(value: object) -> object:
    """Read "7,5" as 7.5, as in the workbook; leave anything else to pydantic."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None else number
    return value


def column_key(name: object) -> str:
    """A column name's identity: no accents, case-folded, spaces, hyphens and dots made underscores.

    >>> column_key(" Fecha  Factura ") == column_key("fecha-factura") == column_key("FECHA_FACTURA")
    True
    """
    return "_".join(name_key(str(name).replace("-", " ").replace(".", " ").replace("_", " ")).split())


Names = str | list[str] | None


class LedgerColumns(BaseModel):
    """The source column of each normalised column: a name, names tried in order, none, or unset (defaults)."""

    model_config = ConfigDict(extra="forbid")
    date: Names = None
    customer: Names = None
    customer_name: Names = None
    product: Names = None
    family: Names = None
    invoice: Names = None
    quantity: Names = None
    revenue: Names = None
    cost: Names = None
    currency: Names = None

    @field_validator(*FIELDS, mode="before")
    @classmethod
    def _read_names(cls, value: object) -> object:
        """A name typed as a number is text; an empty list is no name at all."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cell_text(value)
        if isinstance(value, list):
            names = [cell_text(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
            return names or None
        return value

    @model_validator(mode="after")
    def _required_named(self) -> LedgerColumns:
        for name in REQUIRED:
            if self.is_none(name):
                raise PydanticCustomError("required_column", "required", {"column": name})
        return self

    def is_none(self, name: str) -> bool:
        """Tell whether the mapping says the file has no such column (`none`)."""
        value = getattr(self, name)
        return isinstance(value, str) and value.strip().lower() in NONE_WORDS

    def candidates(self, name: str) -> tuple[tuple[str, ...], bool]:
        """The names to try for a column, and whether it must be found: one name given is a promise that the
        file has it; a list (or the defaults) is tried in order, and an optional column may then be absent."""
        value = getattr(self, name)
        if self.is_none(name):
            return (), False
        if value is None:
            return DEFAULT_NAMES[name], False
        return ((value,), True) if isinstance(value, str) else (tuple(value), False)


class ScoreRule(BaseModel):
    """How a metric becomes a score: its percentile rank in the portfolio, or linear between two thresholds."""

    model_config = ConfigDict(extra="forbid")
    rule: Literal["quantiles", "thresholds"] = "quantiles"
    low: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """thresholds: the metric's value scored as the bottom of the scale (the top, when lower is better)."""
    high: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """thresholds: the metric's value scored as the top of the scale (the bottom, when lower is better)."""
    higher_is_better: bool | None = None
    """None: the metric's own direction (recency: lower is better; the others: higher)."""

    @field_validator("rule", mode="before")
    @classmethod
    def _read_rule(cls, value: object) -> object:
        return _choice(value, "rule")

    @field_validator("low", "high", mode="before")
    @classmethod
    def _read_number(cls, value: object) -> object:
        return _number(value)

    @model_validator(mode="after")
    def _thresholds(self) -> ScoreRule:
        if self.rule == "thresholds":
            if self.low is None or self.high is None:
                raise PydanticCustomError("thresholds_needed", "low and high needed", {})
            if not self.low < self.high:
                raise PydanticCustomError(
                    "thresholds_order", "low not below high", {"low": f"{self.low:g}", "high": f"{self.high:g}"}
                )
        return self


def _default_rules() -> dict[str, ScoreRule]:
    """Quantiles for every metric but the share of wallet, which already is a percentage: 0 % → bottom,
    100 % → top of the scale (on a 0–100 scale, the score is the share itself)."""
    rules = {m: ScoreRule() for m in METRICS}
    rules["share_of_wallet"] = ScoreRule(rule="thresholds", low=0.0, high=100.0)
    return rules


class LedgerMapping(BaseModel):
    """Where a ledger's columns are, how to read them, and how its metrics score the workbook's criteria."""

    model_config = ConfigDict(extra="forbid")
    columns: LedgerColumns = Field(default_factory=LedgerColumns)
    date_format: str | None = None
    """A strftime format such as %d/%m/%Y; None = auto (ISO, else day first, else month first: see read)."""
    decimal: Literal["auto", "comma", "point"] = "auto"
    separator: str | None = None
    """CSV separator: one character, or tab; None = the most frequent of , ; tab in the header line."""
    encoding: Literal["auto", "utf-8", "cp1252"] = "auto"
    sheet: str | None = None
    """The .xlsx sheet to read (default: the first)."""
    keep_currency: str | None = None
    duplicates: Literal["refuse", "drop", "keep"] = "refuse"
    criteria: dict[str, str | None] = Field(default_factory=lambda: dict(DEFAULT_CRITERIA))
    rules: dict[str, ScoreRule] = Field(default_factory=_default_rules)
    step: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 0.1
    new_customers: Literal["median", "top", "bottom", "none"] = "median"

    @field_validator("decimal", "encoding", "duplicates", "new_customers", mode="before")
    @classmethod
    def _read_choice(cls, value: object, info: ValidationInfo) -> object:
        return _choice(value, info.field_name)

    @field_validator("step", mode="before")
    @classmethod
    def _read_step(cls, value: object) -> object:
        return _number(value)

    @field_validator("date_format", mode="before")
    @classmethod
    def _read_format(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("auto", ""):
            return None
        if isinstance(value, str) and "%" not in value:
            raise PydanticCustomError("date_format", "no % directive", {})
        return value

    @field_validator("separator", mode="before")
    @classmethod
    def _read_separator(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("tab", "\\t", "tabulador"):
            return "\t"
        if isinstance(value, str) and value.strip().lower() == "auto":
            return None
        if isinstance(value, str) and len(value) != 1:
            raise PydanticCustomError("separator", "one character", {})
        return value

    @field_validator("keep_currency", "sheet", mode="before")
    @classmethod
    def _read_text(cls, value: object) -> object:
        return cell_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("criteria", mode="before")
    @classmethod
    def _read_criteria(cls, value: object) -> object:
        """Metrics must be known; criterion ids typed as numbers are text; each criterion is fed by one metric."""
        if not isinstance(value, dict):
            return value
        _check_metrics(value)
        read = {
            str(k): (cell_text(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
            for k, v in value.items()
        }
        named = [v for v in read.values() if isinstance(v, str)]
        twice = sorted({v for v in named if named.count(v) > 1})
        if twice:
            raise PydanticCustomError(
                "criterion_twice", "a criterion fed twice", {"names": ", ".join(map(repr, twice))}
            )
        return read

    @field_validator("rules", mode="before")
    @classmethod
    def _read_rules(cls, value: object) -> object:
        """Metrics the file does not name keep their default rule; `growth: quantiles` is `{rule: quantiles}`."""
        if not isinstance(value, dict):
            return value
        _check_metrics(value)
        given = {str(k): ({"rule": v} if isinstance(v, str) else v) for k, v in value.items()}
        return {**_default_rules(), **given}

    def scored(self) -> dict[str, str]:
        """Metric → criterion_id of the metrics that feed a criterion."""
        return {m: c for m, c in self.criteria.items() if c is not None}

    def direction(self, metric: str) -> bool:
        """Whether more of `metric` is better for the account (the rule's choice, else the metric's own)."""
        chosen = self.rules[metric].higher_is_better
        return metric not in LOWER_IS_BETTER if chosen is None else chosen


def _check_metrics(value: dict) -> None:
    unknown = [str(k) for k in value if str(k) not in METRICS]
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise PydanticCustomError("unknown_metric", "unknown metric", {"names": names, "known": list_known(METRICS)})


def default_mapping() -> LedgerMapping:
    """The mapping used without a file: default column names, auto reading, quantile scores, 0.1 steps."""
    return LedgerMapping()


_FIELD_LIST = (
    "columns, date_format, decimal, separator, encoding, sheet, keep_currency, duplicates, criteria, rules, step, "
    "new_customers (columns: " + ", ".join(FIELDS) + "; a rule: rule, low, high, higher_is_better)"
)

_MESSAGES = {
    "extra_forbidden": (f"unknown field; allowed: {_FIELD_LIST}", f"campo desconocido; se admite: {_FIELD_LIST}"),
    "choice": ("allowed: {allowed}", "se admite: {allowed}"),
    "literal_error": ("allowed: {expected}", "se admite: {expected}"),
    "greater_than": ("allowed: a number > {gt}", "se admite: un número > {gt}"),
    "dict_type": ("allowed: a mapping", "se admite: un mapa"),
    "list_type": ("allowed: a name or a list of names", "se admite: un nombre o una lista de nombres"),
    "bool_parsing": ("allowed: true or false", "se admite: true o false"),
    "bool_type": ("allowed: true or false", "se admite: true o false"),
    "string_type": ("allowed: a name, a list of names, or none", "se admite: un nombre, una lista de nombres, o none"),
    "required_column": (
        "the ledger needs a {column} column; allowed: its name, or a list of names to try",
        "el libro de ventas necesita una columna {column}; se admite: su nombre, o una lista de nombres a probar",
    ),
    "thresholds_needed": (
        "the rule thresholds needs low and high (in the metric's units)",
        "la regla thresholds necesita low y high (en las unidades de la métrica)",
    ),
    "thresholds_order": (
        "low {low} is not below high {high}; allowed: low < high (for a metric where less is better, low is still "
        "the smaller number)",
        "low {low} no es menor que high {high}; se admite: low < high (en una métrica donde menos es mejor, low "
        "sigue siendo el número menor)",
    ),
    "date_format": (
        "allowed: a format with % codes, such as %d/%m/%Y or %Y-%m-%d, or auto",
        "se admite: un formato con códigos %, como %d/%m/%Y o %Y-%m-%d, o auto",
    ),
    "separator": ("allowed: one character such as ; or , or the word tab", "se admite: un carácter como ; o , o tab"),
    "unknown_metric": ("unknown metric {names}; known: {known}", "métrica desconocida {names}; existentes: {known}"),
    "criterion_twice": (
        "criterion {names} is fed by two metrics; allowed: each criterion from one metric",
        "el criterio {names} recibe dos métricas; se admite: cada criterio desde una métrica",
    ),
}


def load_mapping(path: Path | str | None = None) -> LedgerMapping:
    """Read a ledger mapping YAML file (None: the defaults); raise `KamError` naming the file and field."""
    if path is None:
        return default_mapping()
    path = Path(path)
    data = read_yaml_mapping(
        path,
        ("ledger mapping", "correspondencia del libro de ventas"),
        ("columns, criteria, rules, …", "columns, criteria, rules, …"),
    )
    try:
        return LedgerMapping.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, path.name, _MESSAGES) from None


_FILE_HEADER = """\
# kamlib ledger mapping / correspondencia del libro de ventas (kam ingest LEDGER WB --map THIS.yaml)
# columns: source column of each field: a name, a list of names tried in order, or none (the file has no such
#   column) / columna de origen de cada campo: un nombre, una lista de nombres a probar, o none (no la tiene)
#   date, customer, revenue are required / obligatorias; product, family, quantity too unless none / también,
#   salvo none; customer_name, cost, currency, invoice are used when found / se usan si existen
# date_format: auto (ISO 2025-03-31, else 31/03/2025, else 03/31/2025) or e.g. "%d/%m/%Y" / formato de fecha
# decimal: auto | comma | point; separator: auto | ; | , | tab; encoding: auto | utf-8 | cp1252
# sheet: the .xlsx sheet (default: the first) / hoja del .xlsx (por defecto la primera)
# keep_currency: with several currencies, keep only this one / con varias monedas, conservar solo esta
# duplicates: refuse | drop | keep exact repeats of a line / repeticiones exactas de una línea
# criteria: metric -> workbook criterion_id (volume, growth, margin, families, frequency, recency,
#   share_of_wallet); this list replaces the default / métrica -> criterion_id del libro; sustituye a la de
#   por defecto
# rules: per metric {rule: quantiles} or {rule: thresholds, low: L, high: H} (metric units; recency: lower is
#   better) / por métrica: cuantiles del portafolio, o lineal entre dos umbrales
# step: scores rounded to this step / paso de redondeo de las puntuaciones
# new_customers: growth score without the prior 12 months: median | top | bottom | none / puntuación de
#   crecimiento de un cliente nuevo
"""


def mapping_template() -> str:
    """The text of a mapping file with every default written out (the default names as lists): edit it."""
    import yaml

    data = default_mapping().model_dump()
    data["columns"] = {name: list(DEFAULT_NAMES[name]) for name in FIELDS}
    data["rules"] = {m: {k: v for k, v in rule.items() if v is not None} for m, rule in data["rules"].items()}
    return _FILE_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)


def save_mapping_template(path: Path | str) -> Path:
    """Write `mapping_template()` to `path` atomically (for `kam template X.yaml --kind ledger`)."""
    return write_text(path, mapping_template())
