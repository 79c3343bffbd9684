"""The engagement workbook's contract, as data: sheets, columns, kinds and rules.

Reading, validation, the template and the README all derive from this one table,
so the contract is written down once. Sheet and column names are the API: keep them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamlib.i18n import UNITS
from kamlib.method import ACTIVITIES, AXES, QUADRANTS

KINDS = ("id", "ref", "text", "number", "bool", "choice", "period", "date")
"""Column kinds: `id` unique text key, `ref` text naming a key of another sheet,
`text` free text, `number` (decimal comma or point), `bool` (true/false, sí/no, 1/0),
`choice` one of a fixed list, `period` a label compared as text (2025, 2025-Q3, 2025-07),
`date` a day (a spreadsheet's date cell, or YYYY-MM-DD)."""


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
    key_scope: str | None = None
    """A column within whose values (case and surrounding spaces aside, empty being one) the key is unique instead."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


AXIS_ALIASES = {
    "potential": "potential",
    "potencial": "potential",
    "position": "position",
    "posición": "position",
    "posicion": "position",
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
            "segment",
            "text",
            "Segmento cuyos criterios puntúan la cuenta (opcional; vacío = su sector): las filas de la hoja criteria "
            "con ese segmento sustituyen a las generales",
            "The segment whose criteria score the account (optional; empty = its sector): the rows of sheet criteria "
            "with that segment replace the default ones",
            required=False,
            filled=False,
        ),
        Column(
            "kam_id",
            "ref",
            "KAM que gestiona la cuenta (de la hoja kams; vacío = sin KAM)",
            "KAM managing the account (from sheet kams; empty = none)",
            filled=False,
            ref=("kams", "kam_id"),
        ),
        Column("revenue", "number", "Facturación anual (≥ 0)", "Annual revenue (≥ 0)", minimum=0.0),
        Column(
            "target_potential",
            "number",
            "Potencial objetivo (opcional, 0–10): la matriz dibuja una flecha de la posición actual a la objetivo",
            "Target potential (optional, 0–10): the matrix draws an arrow from the current position to the target",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=10.0,
        ),
        Column(
            "target_position",
            "number",
            "Posición objetivo como proveedor (opcional, 0–10)",
            "Target position as supplier (optional, 0–10)",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=10.0,
        ),
        Column(
            "parent_id",
            "ref",
            "Cuenta de la que forma parte (opcional; de esta misma hoja): grupo → división → centro, hasta 100 "
            "niveles; vacía = cuenta de primer nivel",
            "The account it belongs to (optional; from this same sheet): group → division → site, up to 100 "
            "levels; empty = a top account",
            required=False,
            filled=False,
            ref=("accounts", "account_id"),
        ),
        Column(
            "gross_margin",
            "number",
            "Margen bruto anual de la cuenta (opcional; importe en la moneda del encargo): sin él se toma el del "
            "libro de ventas (ledger_metrics: ventas × margen %)",
            "The account's annual gross margin (optional; an amount in the engagement's currency): without it, the "
            "sales ledger's (ledger_metrics: revenue × margin %)",
            required=False,
            filled=False,
        ),
        Column(
            "last_reviewed",
            "date",
            "Fecha de la última revisión del plan de la cuenta (opcional): un plan más antiguo que los meses de "
            "review_months en la hoja engagement (por defecto 12) se señala; vacía = sin revisar",
            "Date the account's plan was last reviewed (optional): a plan older than review_months in sheet "
            "engagement (default 12) is flagged; empty = never reviewed",
            required=False,
            filled=False,
        ),
        Column(
            "source",
            "text",
            "Origen de la cuenta (opcional): ledger = la añadió kam ingest desde el libro de ventas; espera sus "
            "puntuaciones del otro eje sin que cada orden avise de ello",
            "Where the account came from (optional): ledger = kam ingest added it from the sales ledger; it awaits "
            "its scores on the other axis without every command warning about it",
            required=False,
            filled=False,
        ),
    ),
)

ACCOUNT_REF = Column(
    "account_id", "ref", "Cuenta (de la hoja accounts)", "Account (from sheet accounts)", ref=("accounts", "account_id")
)
"""An account named by its id, in any sheet about accounts (scores, stakeholders, kpis)."""

CRITERIA = Sheet(
    "criteria",
    es="Criterios de los dos ejes de la matriz y sus pesos; una fila con segmento se aplica solo a las cuentas de "
    "ese segmento.",
    en="Criteria of the matrix's two axes and their weights; a row with a segment applies to that segment's "
    "accounts only.",
    key="criterion_id",
    key_scope="segment",
    min_rows=2,
    columns=(
        Column(
            "criterion_id", "id", "Identificador del criterio, único por segmento", "Criterion id, unique per segment"
        ),
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
        Column(
            "segment",
            "text",
            "Segmento (sector o canal) al que se aplica la fila (opcional; vacío = la fila general del criterio): "
            "para las cuentas de ese segmento sustituye a la general (peso, escala y sentido); un criterio solo con "
            "filas de segmento se aplica solo en ellos",
            "The segment (sector or channel) the row applies to (optional; empty = the criterion's default row): for "
            "that segment's accounts it replaces the default (weight, scale and direction); a criterion with only "
            "segment rows applies only there",
            required=False,
            filled=False,
        ),
    ),
)

SIDES: tuple[str, ...] = ("supplier", "customer")
SIDE_ALIASES = {"proveedor": "supplier", "cliente": "customer"}
"""Accepted Spanish spellings of the assessor's side."""

SCORES = Sheet(
    "scores",
    es="Puntuaciones de cada cuenta en cada criterio; una celda vacía = sin puntuar.",
    en="Each account's score on each criterion; an empty score = not scored.",
    columns=(
        ACCOUNT_REF,
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
        Column(
            "side",
            "choice",
            "Quién puntúa (opcional): supplier (proveedor: nosotros, por defecto) o customer (cliente: cómo nos ve, "
            "solo en los criterios de posición); las del cliente dan una segunda posición, no sitúan la cuenta",
            "Who scores (optional): supplier (us, the default) or customer (how the customer sees us, on position "
            "criteria only); the customer's give a second position and do not place the account",
            required=False,
            filled=False,
            default="supplier",
            choices=SIDES,
        ),
    ),
)

SCORING_GUIDE = Sheet(
    "scoring_guide",
    es="Guía de puntuación (opcional): qué significa una puntuación en la escala de cada criterio, en tantos "
    "niveles como se quiera (la plantilla trae el 1, 4, 7 y 10 de los criterios del método), para que todos "
    "puntúen con la misma vara.",
    en="Scoring guide (optional): what a score means on each criterion's scale, at as many levels as you write "
    "(the template gives 1, 4, 7 and 10 for the method's criteria), so that everyone scores by the same yardstick.",
    required=False,
    columns=(
        SCORES.column("criterion_id"),
        Column(
            "score",
            "number",
            "Puntuación que se describe, dentro de la escala del criterio; una fila por criterio y puntuación",
            "The score described, within the criterion's scale; one row per criterion and score",
        ),
        Column(
            "text_es",
            "text",
            "Qué significa esa puntuación, en español (esta columna, text_en o ambas)",
            "What that score means, in Spanish (this column, text_en or both)",
            required=False,
            filled=False,
        ),
        Column(
            "text_en",
            "text",
            "Qué significa esa puntuación, en inglés (esta columna, text_es o ambas)",
            "What that score means, in English (this column, text_es or both)",
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
        Column(
            "cost_per_hour",
            "number",
            "Coste de una hora del KAM (opcional, ≥ 0, en la moneda del encargo); vacía = la tarifa cost_per_hour "
            "de la hoja engagement",
            "Cost of one hour of the KAM (optional, ≥ 0, in the engagement's currency); empty = the engagement "
            "sheet's cost_per_hour",
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

CUSTOMERS = Sheet(
    "customers",
    es="Todos los clientes candidatos a cuenta clave (METHOD.md §4; opcional), también las cuentas clave de hoy "
    "(con su account_id como customer_id); se puntúan en la hoja selection_scores.",
    en="Every customer that could be a key account (METHOD.md §4; optional), today's key accounts included "
    "(their account_id as customer_id); scored in sheet selection_scores.",
    required=False,
    key="customer_id",
    columns=(
        Column("customer_id", "id", "Identificador único del cliente", "Unique customer id"),
        Column("name", "text", "Nombre del cliente", "Customer name"),
        Column("sector", "text", "Sector o canal", "Sector or channel", required=False, filled=False),
        Column(
            "revenue",
            "number",
            "Facturación anual (opcional, ≥ 0)",
            "Annual revenue (optional, ≥ 0)",
            required=False,
            filled=False,
            minimum=0.0,
        ),
    ),
)

SELECTION_CRITERIA = Sheet(
    "selection_criteria",
    es="Criterios para seleccionar cuentas clave y sus pesos (opcional; sin esta hoja: los cinco de METHOD.md §4 "
    "con el mismo peso, escala 1–10).",
    en="Criteria for selecting key accounts and their weights (optional; without this sheet: the five of "
    "METHOD.md §4, equal weights, scale 1–10).",
    required=False,
    key="criterion_id",
    columns=(
        Column("criterion_id", "id", "Identificador único del criterio", "Unique criterion id"),
        *(c for c in CRITERIA.columns if c.name not in ("criterion_id", "axis", "segment")),
    ),
)

SELECTION_SCORES = Sheet(
    "selection_scores",
    es="Puntuación de cada cliente en cada criterio de selección (opcional); varios evaluadores se promedian; "
    "se usa el último periodo.",
    en="Each customer's score on each selection criterion (optional); several assessors are averaged; the latest "
    "period is used.",
    required=False,
    columns=(
        Column(
            "customer_id",
            "ref",
            "Cliente (de la hoja customers)",
            "Customer (from sheet customers)",
            ref=("customers", "customer_id"),
        ),
        Column(
            "criterion_id",
            "ref",
            "Criterio de selección (de la hoja selection_criteria o uno de los cinco por defecto)",
            "Selection criterion (from sheet selection_criteria, or one of the five defaults)",
            ref=("selection_criteria", "criterion_id"),
        ),
        *(c for c in SCORES.columns if c.name not in ("account_id", "criterion_id", "side")),
    ),
)

ROLES: tuple[str, ...] = ("decision_maker", "influencer", "user", "gatekeeper", "buyer")
"""Roles in the customer's buying centre (METHOD.md §4, decision maps)."""
ROLE_ALIASES = {
    "decisor": "decision_maker",
    "decisora": "decision_maker",
    "influenciador": "influencer",
    "influenciadora": "influencer",
    "influyente": "influencer",
    "usuario": "user",
    "usuaria": "user",
    "filtro": "gatekeeper",
    "guardián": "gatekeeper",
    "guardian": "gatekeeper",
    "comprador": "buyer",
    "compradora": "buyer",
}
"""Accepted Spanish spellings of a stakeholder's role (case, spaces and hyphens are ignored anyway)."""

STAKEHOLDERS = Sheet(
    "stakeholders",
    es="Mapa de decisión: las personas del centro de compras de cada cuenta (METHOD.md §4; opcional).",
    en="Decision map: the people of each account's buying centre (METHOD.md §4; optional).",
    required=False,
    columns=(
        ACCOUNT_REF,
        Column("person", "text", "Persona (nombre)", "Person (name)"),
        Column("title", "text", "Cargo", "Job title", filled=False),
        Column(
            "role",
            "choice",
            "Papel: decision_maker (decisor), influencer (influenciador), user (usuario), gatekeeper (filtro), "
            "buyer (comprador)",
            "Role: decision_maker, influencer, user, gatekeeper, buyer",
            choices=ROLES,
        ),
        Column(
            "influence",
            "number",
            "Influencia en la decisión de compra, de 1 (poca) a 5 (decisiva)",
            "Influence on the buying decision, from 1 (little) to 5 (decisive)",
            minimum=1.0,
            maximum=5.0,
        ),
        Column(
            "attitude",
            "number",
            "Actitud hacia nosotros, de −2 (se opone) a +2 (nos apoya)",
            "Attitude toward us, from −2 (opposes us) to +2 (supports us)",
            minimum=-2.0,
            maximum=2.0,
        ),
        Column(
            "relationship",
            "number",
            "Fuerza de nuestra relación con esta persona, de 1 (ninguna) a 5 (muy fuerte)",
            "Strength of our relationship with this person, from 1 (none) to 5 (very strong)",
            minimum=1.0,
            maximum=5.0,
        ),
        Column(
            "our_contact",
            "text",
            "Quién de nuestro lado la conoce (vacío = nadie)",
            "Who on our side knows them (empty = nobody)",
            filled=False,
        ),
    ),
)

PERSPECTIVES: tuple[str, ...] = ("financial", "customer", "internal", "learning")
"""The four perspectives of a balanced scorecard (Kaplan & Norton)."""
PERSPECTIVE_ALIASES = {
    "financiera": "financial",
    "finanzas": "financial",
    "cliente": "customer",
    "interna": "internal",
    "procesos": "internal",
    "procesos_internos": "internal",
    "aprendizaje": "learning",
    "aprendizaje_y_crecimiento": "learning",
    "learning_and_growth": "learning",
}
"""Accepted Spanish (and long) spellings of a scorecard perspective."""

UNIT_ALIASES = {
    "número": "number",
    "numero": "number",
    "porcentaje": "%",
    "percent": "%",
    "pct": "%",
    "moneda": "currency",
    "importe": "currency",
    "amount": "currency",
    "money": "currency",
    "€": "currency",
    "días": "days",
    "dias": "days",
    "día": "days",
    "dia": "days",
    "day": "days",
}
"""Accepted Spanish (and other English) spellings of a KPI's unit; the first Spanish one of each is shown in
messages."""

KPIS = Sheet(
    "kpis",
    es="Cuadro de mando integral de cada cuenta clave (METHOD.md §4; opcional): un indicador por fila y periodo. "
    "Un porcentaje se escribe en puntos (6 para un 6 %); una celda con formato de porcentaje de Excel (6 %, "
    "guardada como 0,06) y el texto «6 %» se leen ambos como 6.",
    en="Balanced scorecard of each key account (METHOD.md §4; optional): one indicator per row and period. A "
    "percentage is written in points (6 for 6 %); a cell Excel formats as a percentage (6 %, stored as 0.06) and "
    "the text '6 %' both read as 6.",
    required=False,
    columns=(
        ACCOUNT_REF,
        Column(
            "perspective",
            "choice",
            "Perspectiva: financial (financiera), customer (cliente), internal (procesos internos), learning "
            "(aprendizaje)",
            "Perspective: financial, customer, internal, learning",
            choices=PERSPECTIVES,
        ),
        Column("kpi", "text", "Indicador, p. ej. Volumen de ventas", "Indicator, e.g. Sales volume"),
        Column(
            "unit",
            "choice",
            "Unidad del indicador (opcional): number (número; vacía = number), % (porcentaje, en puntos: 6 para un "
            "6 %), currency (importe en la moneda del encargo), days (días)",
            "The KPI's unit (optional): number (empty = number), % (a percentage, in points: 6 for 6 %), currency "
            "(an amount in the engagement's currency), days",
            required=False,
            filled=False,
            default="number",
            choices=UNITS,
        ),
        Column("target", "number", "Objetivo del periodo", "Target for the period", filled=False),
        Column(
            "actual",
            "number",
            "Valor real del periodo (vacío = aún no medido)",
            "Actual value (empty = not yet measured)",
            filled=False,
        ),
        Column("period", "period", "Periodo (p. ej. 2026-H1)", "Period (e.g. 2026-H1)"),
        CRITERIA.column("higher_is_better"),
    ),
)

STRATEGY_ALIASES = {
    "invertir": "invest",
    "inversión": "invest",
    "inversión_selectiva": "selective",
    "inversion_selectiva": "selective",
    "selectiva": "selective",
    "selective_investment": "selective",
    "mantener": "maintain",
    "ordeñar": "milk",
    "ordenar": "milk",
}
"""Accepted Spanish (and long English) names of the four strategies."""
ELEMENTS: tuple[str, ...] = ("relationship", "priority", "activity", "metric")
"""What a playbook row states about a strategy."""
ELEMENT_ALIASES = {
    "relación": "relationship",
    "relacion": "relationship",
    "modelo_de_relación": "relationship",
    "prioridad": "priority",
    "actividad": "activity",
    "métrica": "metric",
    "metrica": "metric",
    "indicador": "metric",
    "kpi": "metric",
}

PLAYBOOK = Sheet(
    "playbook",
    es="Guía de cada estrategia para este cliente (opcional): las filas de una estrategia y elemento sustituyen a "
    "las de METHOD.md §1 para ese par; lo que no aparece conserva la guía por defecto.",
    en="Each strategy's playbook for this engagement (optional): the rows of a strategy and element replace "
    "METHOD.md §1's for that pair; whatever is not listed keeps the default playbook.",
    required=False,
    columns=(
        Column(
            "strategy",
            "choice",
            "Estrategia: invest (invertir), selective (inversión selectiva), maintain (mantener), milk (ordeñar)",
            "Strategy: invest, selective (selective investment), maintain, milk",
            choices=QUADRANTS,
        ),
        Column(
            "element",
            "choice",
            "Elemento: relationship (modelo de relación), priority (prioridad), activity (actividad que el KAM debe "
            "reforzar), metric (métrica de control)",
            "Element: relationship (relationship model), priority, activity (one the KAM should stress), metric "
            "(control metric)",
            choices=ELEMENTS,
        ),
        Column("es", "text", "Texto en español", "Text in Spanish"),
        Column("en", "text", "Texto en inglés", "Text in English"),
        Column(
            "perspective",
            "choice",
            "Para una métrica: perspectiva del cuadro de mando (financial, customer, internal, learning)",
            "For a metric: its scorecard perspective (financial, customer, internal, learning)",
            required=False,
            filled=False,
            choices=PERSPECTIVES,
        ),
    ),
)

LEDGER_STATUSES: tuple[str, ...] = ("active", "new", "lost", "inactive")
"""A customer's standing in a ledger: sales in both years, only in the last, only in the year before, neither."""
LEDGER_STATUS_ALIASES = {
    "activo": "active",
    "activa": "active",
    "nuevo": "new",
    "nueva": "new",
    "perdido": "lost",
    "perdida": "lost",
    "inactivo": "inactive",
    "inactiva": "inactive",
}


def _ledger_number(name: str, es: str, en: str, minimum: float | None = None, filled: bool = False) -> Column:
    return Column(name, "number", es, en, required=name == "volume", filled=filled, minimum=minimum)


LEDGER_PERIOD = Column(
    "period",
    "period",
    "Periodo de puntuación al que corresponde (p. ej. 2026-06)",
    "Score period it belongs to (e.g. 2026-06)",
)

LEDGER_METRICS = Sheet(
    "ledger_metrics",
    es="Lo que el libro de ventas dice de cada cuenta (lo escribe kam ingest; opcional): una fila por cuenta y "
    "periodo, medido sobre los 12 meses hasta as_of.",
    en="What the sales ledger says about each account (written by kam ingest; optional): one row per account and "
    "period, measured over the 12 months up to as_of.",
    required=False,
    columns=(
        ACCOUNT_REF,
        LEDGER_PERIOD,
        Column("as_of", "text", "Fecha de corte (AAAA-MM-DD)", "Cut-off date (YYYY-MM-DD)"),
        Column(
            "status",
            "choice",
            "Situación: active (ventas en ambos años), new (nuevo), lost (perdido), inactive (sin ventas)",
            "Standing: active (sales in both years), new, lost, inactive (no sales)",
            choices=LEDGER_STATUSES,
        ),
        _ledger_number(
            "volume", "Ventas netas de los últimos 12 meses", "Net revenue of the last 12 months", filled=True
        ),
        _ledger_number(
            "volume_prior", "Ventas netas de los 12 meses anteriores", "Net revenue of the 12 months before"
        ),
        _ledger_number("growth", "Crecimiento interanual (%)", "Growth year over year (%)"),
        _ledger_number("margin", "Margen bruto (%)", "Gross margin (%)"),
        _ledger_number("families", "Familias de producto compradas", "Product families bought", minimum=0.0),
        _ledger_number("frequency", "Pedidos al mes", "Orders per month", minimum=0.0),
        _ledger_number("recency", "Días desde la última compra", "Days since the last purchase", minimum=0.0),
        _ledger_number("share_of_wallet", "Cuota del gasto del cliente (%)", "Share of the customer's spend (%)", 0.0),
        Column(
            "currency",
            "text",
            "Moneda de los importes (la del libro de ventas, p. ej. EUR; vacía si no la indica)",
            "Currency of the amounts (the ledger's, e.g. EUR; empty if it does not say)",
            required=False,
            filled=False,
        ),
    ),
)

WHITESPACE = Sheet(
    "whitespace",
    es="Familias de producto que cada cuenta no compra y otros clientes sí (lo escribe kam ingest; opcional).",
    en="Product families each account does not buy and other customers do (written by kam ingest; optional).",
    required=False,
    columns=(
        ACCOUNT_REF,
        LEDGER_PERIOD,
        Column("family", "text", "Familia de producto no comprada", "Product family not bought"),
        _ledger_number("buyers", "Clientes que la compran", "Customers buying it", minimum=0.0),
        Column(
            "buyer_share",
            "number",
            "Clientes que la compran (% de los que compran)",
            "Customers buying it (% of those buying)",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=100.0,
        ),
    ),
)

COST_TO_SERVE = Sheet(
    "cost_to_serve",
    es="Coste de servir cada cuenta además del tiempo de su KAM (opcional): logística, rápeles, servicio "
    "especial, muestras…; una fila por cuenta, concepto y periodo. Frente al margen bruto de la cuenta da su "
    "beneficio tras el coste de servir.",
    en="The cost of serving each account beyond its KAM's time (optional): logistics, rebates, special service, "
    "samples…; one row per account, item and period. Against the account's gross margin it gives its profit after "
    "the cost to serve.",
    required=False,
    columns=(
        ACCOUNT_REF,
        Column(
            "item",
            "text",
            "Concepto del coste, p. ej. logística, rápeles, servicio especial, muestras",
            "What the cost is for, e.g. logistics, rebates, special service, samples",
        ),
        Column(
            "amount",
            "number",
            "Importe (≥ 0, en la moneda del encargo)",
            "Amount (≥ 0, in the engagement's currency)",
            minimum=0.0,
        ),
        Column(
            "period",
            "period",
            "Periodo (opcional, p. ej. 2026); conviene que cubra los mismos 12 meses que el margen",
            "Period (optional, e.g. 2026); best the same 12 months as the margin",
            required=False,
            filled=False,
        ),
    ),
)

CASES: tuple[str, ...] = ("with_plan", "without_plan")
"""A forecast's case: where the account will be if our plan for it is carried out, or if it is not."""
CASE_ALIASES = {
    "con_plan": "with_plan",
    "con_nuestro_plan": "with_plan",
    "plan": "with_plan",
    "sin_plan": "without_plan",
    "sin_nuestro_plan": "without_plan",
    "no_plan": "without_plan",
}

FORECASTS = Sheet(
    "forecasts",
    es="Dónde estará cada cuenta en el horizonte (matriz de política direccional de McDonald; opcional): por "
    "cuenta, horizonte y caso (con nuestro plan o sin él), una fila por criterio pronosticado (criterion_id y "
    "score) o una fila con los valores compuestos pronosticados (potential, position, de 0 a 10). Lo que no se "
    "pronostica queda como hoy.",
    en="Where each account will be at the horizon (McDonald's directional policy matrix; optional): per account, "
    "horizon and case (with our plan or without it), one row per criterion forecast (criterion_id and score) or "
    "one row with the forecast composites (potential, position, 0 to 10). Whatever is not forecast stays as today.",
    required=False,
    columns=(
        ACCOUNT_REF,
        Column("horizon", "period", "Horizonte, p. ej. 2029", "Horizon, e.g. 2029"),
        Column(
            "case",
            "choice",
            "Caso: with_plan (con nuestro plan, por defecto) o without_plan (sin él)",
            "Case: with_plan (with our plan, the default) or without_plan (without it)",
            required=False,
            filled=False,
            default="with_plan",
            choices=CASES,
        ),
        Column(
            "criterion_id",
            "ref",
            "Criterio pronosticado (de la hoja criteria; vacío si la fila da las posiciones)",
            "Criterion forecast (from sheet criteria; empty when the row gives the composites)",
            required=False,
            filled=False,
            ref=("criteria", "criterion_id"),
        ),
        Column(
            "score",
            "number",
            "Puntuación pronosticada del criterio, dentro de su escala",
            "The criterion's forecast score, within its scale",
            required=False,
            filled=False,
        ),
        Column(
            "potential",
            "number",
            "Potencial pronosticado (0–10; en una fila sin criterio)",
            "Forecast potential (0–10; in a row without a criterion)",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=10.0,
        ),
        Column(
            "position",
            "number",
            "Posición pronosticada (0–10; en una fila sin criterio)",
            "Forecast position (0–10; in a row without a criterion)",
            required=False,
            filled=False,
            minimum=0.0,
            maximum=10.0,
        ),
    ),
)

IDENTITY_KEYS = ("client", "supplier", "consultant", "date", "language", "currency", "review_months", "cost_per_hour")
"""What the optional `engagement` sheet may say about the engagement (`kamlib.workbook.identity`)."""
IDENTITY_ALIASES = {
    "cliente": "client",
    "proveedor": "supplier",
    "consultor": "consultant",
    "consultora": "consultant",
    "consultoría": "consultant",
    "fecha": "date",
    "idioma": "language",
    "lengua": "language",
    "moneda": "currency",
    "divisa": "currency",
    "meses_de_revisión": "review_months",
    "meses_de_revision": "review_months",
    "meses_revisión": "review_months",
    "meses_revision": "review_months",
    "coste_hora": "cost_per_hour",
    "coste_por_hora": "cost_per_hour",
    "coste_de_una_hora": "cost_per_hour",
}
"""Accepted Spanish spellings of the `engagement` sheet's keys."""

ENGAGEMENT = Sheet(
    "engagement",
    es="Identidad del encargo (opcional): una fila por dato; titula cada entregable (informes, cuadro de mando, "
    "presentación). Sin ella, un título neutro.",
    en="The engagement's identity (optional): one row per item; it titles every deliverable (reports, dashboard, "
    "deck). Without it, a neutral title.",
    required=False,
    columns=(
        Column(
            "key",
            "choice",
            "Dato: client (cliente del encargo), supplier (proveedor cuyas cuentas se estudian), consultant "
            "(consultor o firma), date (fecha, p. ej. 2026-12-07), language (es o en: idioma de los entregables), "
            "currency (moneda ISO 4217, p. ej. EUR), review_months (meses de revisión: un plan revisado hace más "
            "meses que estos antes de la fecha del encargo se señala; por defecto 12), cost_per_hour (coste de "
            "una hora de KAM para todo KAM sin el suyo propio)",
            "Item: client (who the engagement is for), supplier (whose accounts are studied), consultant (consultant "
            "or firm), date (e.g. 2026-12-07), language (es or en: the deliverables' language), currency (ISO 4217 "
            "code, e.g. EUR), review_months (a plan last reviewed longer ago than this many months before the "
            "engagement's date is flagged; default 12), cost_per_hour (the cost of a KAM's hour for every KAM "
            "without their own)",
            choices=IDENTITY_KEYS,
        ),
        Column("value", "text", "Valor del dato", "The item's value"),
    ),
)

CHOICE_ALIASES = {
    "axis": AXIS_ALIASES,
    "strategy": STRATEGY_ALIASES,
    "element": ELEMENT_ALIASES,
    "side": SIDE_ALIASES,
    "role": ROLE_ALIASES,
    "perspective": PERSPECTIVE_ALIASES,
    "status": LEDGER_STATUS_ALIASES,
    "key": IDENTITY_ALIASES,
    "unit": UNIT_ALIASES,
    "case": CASE_ALIASES,
}
"""Other accepted spellings of a choice column's values, by column name."""

SHEETS: tuple[Sheet, ...] = (
    ENGAGEMENT,
    ACCOUNTS,
    CRITERIA,
    SCORES,
    SCORING_GUIDE,
    KAMS,
    TIME,
    COMPETENCES,
    STAKEHOLDERS,
    KPIS,
    PLAYBOOK,
    CUSTOMERS,
    SELECTION_CRITERIA,
    SELECTION_SCORES,
    LEDGER_METRICS,
    WHITESPACE,
    COST_TO_SERVE,
    FORECASTS,
)
"""The sheets of an engagement workbook, in the order they are read and shown (`required=False`: may be absent)."""

SHEETS_BY_NAME = {s.name: s for s in SHEETS}
