"""The engagement workbook's contract, as data: sheets, columns, kinds and rules.

Reading, validation, the template and the README all derive from this one table,
so the contract is written down once. Sheet and column names are the API: keep them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamlib.method import ACTIVITIES, AXES

KINDS = ("id", "ref", "text", "number", "bool", "choice", "period")
"""Column kinds: `id` unique text key, `ref` text naming a key of another sheet,
`text` free text, `number` (decimal comma or point), `bool` (true/false, sí/no, 1/0),
`choice` one of a fixed list, `period` a label compared as text (2025, 2025-Q3, 2025-07)."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet and the rules its cells follow."""

    name: str
    kind: str
    es: str
    en: str
    required: bool = True
    """The column must be present (otherwise it is optional and takes `default`)."""
    filled: bool = True
    """Every data row must have a value in it (an empty cell is an error)."""
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    ref: tuple[str, str] | None = None
    """(sheet, column) that a `ref` column's values must exist in."""


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (or one CSV file named after it)."""

    name: str
    es: str
    en: str
    columns: tuple[Column, ...]
    required: bool = True
    min_rows: int = 0
    key: str | None = None
    """Name of the column whose values must be unique."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


AXIS_ALIASES = {
    "potential": "potential",
    "potencial": "potential",
    "position": "position",
    "posicion": "position",
    "posición": "position",
}
"""Accepted spellings of the two axes (case and surrounding spaces ignored)."""

ACCOUNTS = Sheet(
    "accounts",
    es="Cuentas (clientes) del proveedor; una fila por cuenta. Las columnas adicionales se conservan.",
    en="The supplier's accounts (customers); one row each. Extra columns are kept.",
    key="account_id",
    min_rows=1,
    columns=(
        Column("account_id", "id", "Identificador único de la cuenta (texto)", "Unique account id (text)"),
        Column("name", "text", "Nombre de la cuenta", "Account name"),
        Column("sector", "text", "Sector o canal", "Sector or channel", filled=False),
        Column(
            "kam_id",
            "ref",
            "KAM que gestiona la cuenta (de la hoja kams; vacío = sin KAM)",
            "KAM managing the account (from sheet kams; empty = none)",
            filled=False,
            ref=("kams", "kam_id"),
        ),
        Column("revenue", "number", "Facturación anual (≥ 0)", "Annual revenue (≥ 0)", minimum=0.0),
    ),
)

CRITERIA = Sheet(
    "criteria",
    es="Criterios de los dos ejes de la matriz y sus pesos.",
    en="Criteria of the matrix's two axes and their weights.",
    key="criterion_id",
    min_rows=2,
    columns=(
        Column("criterion_id", "id", "Identificador único del criterio", "Unique criterion id"),
        Column(
            "axis",
            "choice",
            "Eje: potential (potencial de negocio) o position (posición como proveedor)",
            "Axis: potential (business potential) or position (our position as supplier)",
            choices=AXES,
        ),
        Column("label_es", "text", "Nombre en español", "Label in Spanish", filled=False),
        Column("label_en", "text", "Nombre en inglés", "Label in English", filled=False),
        Column(
            "weight", "number", "Peso (≥ 0); se normaliza por eje", "Weight (≥ 0); normalised per axis", minimum=0.0
        ),
        Column(
            "scale_min",
            "number",
            "Mínimo de la escala (por defecto 1)",
            "Scale minimum (default 1)",
            required=False,
            filled=False,
            default=1.0,
        ),
        Column(
            "scale_max",
            "number",
            "Máximo de la escala (por defecto 10)",
            "Scale maximum (default 10)",
            required=False,
            filled=False,
            default=10.0,
        ),
        Column(
            "higher_is_better",
            "bool",
            "¿Más es mejor? (sí/no; por defecto sí)",
            "Is higher better? (true/false; default true)",
            required=False,
            filled=False,
            default=True,
        ),
    ),
)

SCORES = Sheet(
    "scores",
    es="Puntuaciones de cada cuenta en cada criterio; una celda vacía = sin puntuar.",
    en="Each account's score on each criterion; an empty score = not scored.",
    columns=(
        Column(
            "account_id",
            "ref",
            "Cuenta (de la hoja accounts)",
            "Account (from sheet accounts)",
            ref=("accounts", "account_id"),
        ),
        Column(
            "criterion_id",
            "ref",
            "Criterio (de la hoja criteria)",
            "Criterion (from sheet criteria)",
            ref=("criteria", "criterion_id"),
        ),
        Column(
            "score",
            "number",
            "Puntuación dentro de la escala del criterio",
            "Score within the criterion's scale",
            filled=False,
        ),
        Column(
            "assessor",
            "text",
            "Evaluador (opcional; varios se promedian)",
            "Assessor (optional; several are averaged)",
            required=False,
            filled=False,
        ),
        Column(
            "period",
            "period",
            "Periodo (opcional; se usa el último)",
            "Period (optional; the latest is used)",
            required=False,
            filled=False,
        ),
    ),
)

KAMS = Sheet(
    "kams",
    es="Key account managers.",
    en="Key account managers.",
    key="kam_id",
    columns=(
        Column("kam_id", "id", "Identificador único del KAM", "Unique KAM id"),
        Column("name", "text", "Nombre", "Name"),
        Column(
            "capacity_hours",
            "number",
            "Horas disponibles en el periodo (≥ 0)",
            "Hours available in the period (≥ 0)",
            minimum=0.0,
        ),
        Column(
            "max_accounts",
            "number",
            "Máximo de cuentas que puede llevar (opcional; vacía = sin límite de número)",
            "Most accounts they can manage (optional; empty = no limit on the number)",
            required=False,
            filled=False,
            minimum=0.0,
        ),
    ),
)

TIME_AMOUNTS: tuple[str, ...] = ("hours", "percent")
"""The `time` sheet states hours (a log) or percentages (a survey): one of these columns, filled in every row."""

TIME = Sheet(
    "time",
    es="Tiempo de los KAM por actividad (METHOD.md §2): horas registradas (columna hours) o, en una encuesta, "
    "porcentajes declarados por KAM y actividad que suman 100 (columna percent).",
    en="KAM time per activity (METHOD.md §2): hours logged (column hours) or, from a survey, stated percentages "
    "per KAM and activity that add up to 100 (column percent).",
    columns=(
        Column("kam_id", "ref", "KAM (de la hoja kams)", "KAM (from sheet kams)", ref=("kams", "kam_id")),
        Column(
            "account_id",
            "ref",
            "Cuenta (opcional)",
            "Account (optional)",
            required=False,
            filled=False,
            ref=("accounts", "account_id"),
        ),
        Column(
            "activity",
            "choice",
            "Actividad: " + ", ".join(ACTIVITIES),
            "Activity: " + ", ".join(ACTIVITIES),
            choices=ACTIVITIES,
        ),
        Column(
            "hours",
            "number",
            "Horas (≥ 0); vacía si la hoja da porcentajes",
            "Hours (≥ 0); empty when the sheet states percentages",
            required=False,
            filled=False,
            minimum=0.0,
        ),
        Column(
            "percent",
            "number",
            "Encuesta: % del tiempo del KAM en la actividad (0–100; suman 100 por KAM y periodo)",
            "Survey: % of the KAM's time on the activity (0–100; adding up to 100 per KAM and period)",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=100.0,
        ),
        Column("period", "period", "Periodo (p. ej. 2025-07)", "Period (e.g. 2025-07)", filled=False),
    ),
)

COMPETENCE_SCALE: tuple[float, float] = (1.0, 5.0)
"""Competence scores: 1 = very weak … 5 = excellent."""
SIDES: tuple[str, ...] = ("supplier", "customer")
SIDE_ALIASES = {"proveedor": "supplier", "cliente": "customer"}
"""Accepted Spanish spellings of the assessor's side."""

COMPETENCES = Sheet(
    "competences",
    es="Evaluación de las competencias de los KAM (METHOD.md §3–4; opcional): una fila por KAM, competencia y "
    "evaluador; varios evaluadores se promedian; side = customer si quien evalúa es el cliente.",
    en="Assessment of the KAMs' competences (METHOD.md §3–4; optional): one row per KAM, competence and assessor; "
    "several assessors are averaged; side = customer when the customer rates the KAM.",
    required=False,
    columns=(
        Column("kam_id", "ref", "KAM (de la hoja kams)", "KAM (from sheet kams)", ref=("kams", "kam_id")),
        Column(
            "competence",
            "text",
            "Competencia, p. ej. analysis_planning, senior_negotiation, cultural_versatility",
            "Competence, e.g. analysis_planning, senior_negotiation, cultural_versatility",
        ),
        Column(
            "score",
            "number",
            "Puntuación de 1 (muy débil) a 5 (excelente)",
            "Score from 1 (very weak) to 5 (excellent)",
            minimum=COMPETENCE_SCALE[0],
            maximum=COMPETENCE_SCALE[1],
        ),
        Column("assessor", "text", "Evaluador (opcional)", "Assessor (optional)", required=False, filled=False),
        Column(
            "side",
            "choice",
            "Quién evalúa: supplier (proveedor, por defecto) o customer (cliente)",
            "Who assesses: supplier (the default) or customer",
            required=False,
            filled=False,
            default="supplier",
            choices=SIDES,
        ),
    ),
)

CHOICE_ALIASES = {"axis": AXIS_ALIASES, "side": SIDE_ALIASES}
"""Other accepted spellings of a choice column's values, by column name."""

SHEETS: tuple[Sheet, ...] = (ACCOUNTS, CRITERIA, SCORES, KAMS, TIME, COMPETENCES)
"""The sheets of an engagement workbook, in the order they are read and shown (`required=False`: may be absent)."""

SHEETS_BY_NAME = {s.name: s for s in SHEETS}
