"""The method's reference data, as METHOD.md states it (from the two seed articles).

Quadrants and their strategy names (METHOD.md §1) and the KAM time profile
(METHOD.md §2) live here once, so that every module, chart and message uses the
same ids and the same Spanish and English words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

AXES: tuple[str, ...] = ("potential", "position")
"""The two composite axes of the account matrix, in this order everywhere."""

AXIS_LABELS = MappingProxyType(
    {
        "potential": {"es": "Potencial de negocio de la cuenta", "en": "Account business potential"},
        "position": {"es": "Posición como proveedor", "en": "Our position as supplier"},
    }
)

QUADRANTS: tuple[str, ...] = ("invest", "selective", "maintain", "milk")
"""Quadrant ids; their index is the quadrant code used by the array functions."""

STRATEGY_NAMES = MappingProxyType(
    {
        "invest": {"es": "Invertir", "en": "Invest"},
        "selective": {"es": "Inversión selectiva", "en": "Selective investment"},
        "maintain": {"es": "Mantener", "en": "Maintain"},
        "milk": {"es": "Ordeñar", "en": "Milk"},
    }
)
"""Strategy of each quadrant (METHOD.md §1): potential high/low × position strong/weak."""

UNPLACED_NAME = MappingProxyType({"es": "Sin situar", "en": "Not placed"})
"""How a table names the strategy of an account the matrix did not place."""


def strategy_text(quadrant: object, lang: str) -> str:
    """A quadrant's strategy in `lang` (`STRATEGY_NAMES`), or `UNPLACED_NAME` for anything else (None, NaN).

    >>> strategy_text("milk", "es"), strategy_text(None, "en")
    ('Ordeñar', 'Not placed')
    """
    return STRATEGY_NAMES[quadrant][lang] if quadrant in STRATEGY_NAMES else UNPLACED_NAME[lang]


QUADRANT_SIDES = MappingProxyType(
    {
        "invest": ("high", "strong"),
        "selective": ("high", "weak"),
        "maintain": ("low", "strong"),
        "milk": ("low", "weak"),
    }
)

ACTIVITIES: tuple[str, ...] = (
    "relationships",
    "negotiation",
    "planning",
    "selling",
    "problem_solving",
    "reporting",
    "training",
    "team_management",
    "other",
)
"""The nine KAM activities of METHOD.md §2: the allowed values of `time.activity`."""

ACTIVITY_LABELS = MappingProxyType(
    {
        "relationships": {"es": "Desarrollo de relaciones", "en": "Relationship development"},
        "negotiation": {
            "es": "Implementar una negociación y coordinación interna de una negociación",
            "en": "Negotiation and its internal coordination",
        },
        "planning": {
            "es": "Mejorar el conocimiento de la industria y planificación estratégica",
            "en": "Industry knowledge and strategic planning",
        },
        "selling": {"es": "Vender", "en": "Selling"},
        "problem_solving": {
            "es": "Solucionar problemas internos del día a día",
            "en": "Day-to-day internal problem solving",
        },
        "reporting": {"es": "Reporting", "en": "Reporting"},
        "training": {"es": "Formación", "en": "Training"},
        "team_management": {"es": "Gestión del equipo", "en": "Team management"},
        "other": {"es": "Otros", "en": "Other"},
    }
)

REFERENCE_PROFILE = MappingProxyType(
    {
        "relationships": 20.0,
        "negotiation": 15.0,
        "planning": 5.0,
        "selling": 10.0,
        "problem_solving": 15.0,
        "reporting": 10.0,
        "training": 5.0,
        "team_management": 10.0,
        "other": 10.0,
    }
)
"""Percent of a KAM's time per activity in the seed's table (sums to 100)."""

ACTIVITY_TYPES: tuple[str, ...] = ("relationships", "implementation", "knowledge")
"""The three basic types of KAM activity (METHOD.md §2): developing relationships; operational
implementation and internal alignment; developing knowledge and strategy for each customer."""

ACTIVITY_TYPE_LABELS = MappingProxyType(
    {
        "relationships": {"es": "Desarrollo de relaciones", "en": "Developing relationships"},
        "implementation": {
            "es": "Implementación operativa y alineamiento interno",
            "en": "Operational implementation and internal alignment",
        },
        "knowledge": {
            "es": "Conocimiento y estrategia de cada cliente",
            "en": "Knowledge and strategy for each customer",
        },
    }
)

DEFAULT_ACTIVITY_TYPES = MappingProxyType(
    {
        "relationships": "relationships",
        "selling": "relationships",
        "negotiation": "implementation",
        "problem_solving": "implementation",
        "reporting": "implementation",
        "team_management": "implementation",
        "other": "implementation",
        "planning": "knowledge",
        "training": "knowledge",
    }
)
"""Our default roll-up of the nine activities to the three types (the seed gives none; configurable):
face-to-face work with the customer is relationships (30 %); negotiating, solving, reporting, managing the
team and the rest is implementation and internal alignment (60 %); planning and training build knowledge
and strategy (10 %)."""

DEFAULT_STRATEGY_TARGETS = MappingProxyType(
    {
        "invest": (30.0, 100.0),
        "selective": (10.0, 40.0),
        "maintain": (10.0, 35.0),
        "milk": (0.0, 15.0),
    }
)
"""Our default band (min %, max %) of a KAM's account time per quadrant (METHOD.md §1; configurable):
Invest accounts get the investment, though they are few (at least 30 %); Selective accounts get budget
only behind the best few (10–40 %); Maintain accounts need enough attention not to lose weight
(10–35 %); Milk accounts get a basic relationship, kept basic (at most 15 %). A minimum applies only to a
KAM who manages an account of that quadrant."""

RELATIONSHIP_MODELS = MappingProxyType(
    {
        "invest": {"es": "Interdependiente / integrada", "en": "Interdependent / integrated"},
        "selective": {
            "es": "Cooperativa, evolucionando hacia interdependiente",
            "en": "Cooperative, developing toward interdependent",
        },
        "maintain": {"es": "Interdependiente, mantenida", "en": "Interdependent, kept"},
        "milk": {"es": "Básica", "en": "Basic"},
    }
)
"""Relationship model each strategy calls for (METHOD.md §1; ours, from the KAM literature's relationship
stages exploratory → basic → cooperative → interdependent → integrated, as the seed's figure is missing)."""

STRATEGY_PRIORITIES = MappingProxyType(
    {
        "invest": {
            "es": (
                "Crecimiento futuro de ventas y margen.",
                "Invertir en muchas iniciativas a largo plazo.",
                "Trabajo conjunto sin fisuras que reduce costes a ambas partes; compartir información.",
                "Pocas cuentas: la capacidad de inversión es limitada.",
            ),
            "en": (
                "Future growth of sales and margin.",
                "Invest in many initiatives for the long term.",
                "Seamless joint work that cuts costs for both sides; share information.",
                "Few accounts: the capacity to invest is limited.",
            ),
        },
        "selective": {
            "es": (
                "Cuenta atractiva, pero nuestra posición es débil: no se puede atacar todas a la vez.",
                "Poner presupuesto tras las de mejor retorno en tres años (hacer proyecciones).",
                "Métricas de control: volumen de ventas, cuota en el cliente, calidad de la relación.",
            ),
            "en": (
                "Attractive, but our position is weak: we cannot attack all of them at once.",
                "Put budget behind those with the best return within three years (make projections).",
                "Control metrics: sales volume, share of customer, quality of the relationship.",
            ),
        },
        "maintain": {
            "es": (
                "Buen margen durante el mayor tiempo posible.",
                "Interdependencia ya existente; poco crecimiento, pero necesita motivación para no perder peso.",
                "La caja que financia a las demás.",
            ),
            "en": (
                "Good margin for as long as possible.",
                "Existing interdependence; little growth, but it needs motivation not to lose weight.",
                "The cash that funds the others.",
            ),
        },
        "milk": {
            "es": (
                "No son realmente cuentas clave: nuestra cartera no es estratégica para ellas.",
                "Relación básica, y mantenerla básica.",
                "Extraer la máxima rentabilidad.",
            ),
            "en": (
                "Not really key accounts: our portfolio is not strategic for them.",
                "A basic relationship, kept basic.",
                "Extract maximum profitability.",
            ),
        },
    }
)
"""What the seed says each strategy is about (METHOD.md §1, the table's last column), as a short list."""

ON_THE_FENCE = 0.80
"""An account is *on the fence* when fewer than 80 % of the weight draws of the robustness analysis (SMAA,
`kamlib.scenarios.robustness`) keep it in its quadrant (issue 6; the method itself does not state a threshold)."""

STRATEGY_ACTIVITIES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "invest": (
            (
                "Planificación conjunta a largo plazo e iniciativas compartidas",
                "Joint long-term planning and shared initiatives",
            ),
            (
                "Relaciones en varios niveles y funciones de ambas empresas",
                "Relationships across levels and functions of both companies",
            ),
            (
                "Coordinar el equipo interno que sirve a la cuenta",
                "Coordinating the internal team that serves the account",
            ),
        ),
        "selective": (
            (
                "Análisis de necesidades y proyecciones de retorno a tres años",
                "Needs analysis and three-year return projections",
            ),
            ("Propuestas proactivas de valor a quien decide", "Proactive value proposals to the decision makers"),
            (
                "Relación con los decisores que aún no conocemos",
                "Relationships with the decision makers we do not know yet",
            ),
        ),
        "maintain": (
            (
                "Cumplir exactamente lo negociado y resolver problemas con rapidez",
                "Exact fulfilment of what was negotiated and fast problem solving",
            ),
            ("Negociación que defienda el margen", "Negotiation that defends the margin"),
            (
                "Contacto regular para mantener la motivación del cliente",
                "Regular contact to keep the customer motivated",
            ),
        ),
        "milk": (
            (
                "Servicio estándar y eficiente, al menor coste de servir",
                "Standard, efficient service at the lowest cost to serve",
            ),
            ("Negociar precio y condiciones", "Negotiating price and terms"),
            ("Relación básica: solo el tiempo necesario", "A basic relationship: only the time it needs"),
        ),
    }
)
"""The activities the KAM should stress per strategy, (es, en) each (ours, from METHOD.md §1–§3)."""

CONTROL_METRICS: Mapping[str, tuple[tuple[str, str, str], ...]] = MappingProxyType(
    {
        "invest": (
            ("financial", "Crecimiento de ventas", "Sales growth"),
            ("financial", "Margen bruto", "Gross margin"),
            ("customer", "Iniciativas conjuntas en marcha", "Joint initiatives under way"),
            ("internal", "Ahorro de costes compartido", "Shared cost savings"),
            (
                "learning",
                "Personas del cliente con relación fuerte",
                "Customer people we have a strong relationship with",
            ),
        ),
        "selective": (
            ("financial", "Volumen de ventas", "Sales volume"),
            ("customer", "Cuota en el cliente", "Share of customer"),
            ("customer", "Calidad de la relación", "Relationship quality"),
            ("financial", "Retorno previsto a tres años", "Projected three-year return"),
        ),
        "maintain": (
            ("financial", "Margen bruto", "Gross margin"),
            ("customer", "Cuota en el cliente", "Share of customer"),
            ("customer", "Satisfacción del cliente", "Customer satisfaction"),
            ("internal", "Coste de servir", "Cost to serve"),
        ),
        "milk": (
            ("financial", "Rentabilidad de la cuenta", "Account profitability"),
            ("financial", "Margen bruto", "Gross margin"),
            ("internal", "Coste de servir", "Cost to serve"),
        ),
    }
)
"""Control metrics per strategy: (perspective, es, en). Selective investment's are the seed's (METHOD.md §1)."""


def playbook_rows() -> list[tuple[str, str, str, str, str | None]]:
    """The method's strategy playbook as rows (strategy, element, es, en, perspective of a metric), strategies in
    `QUADRANTS` order and per strategy: relationship model, priorities, activities to stress, control metrics."""
    rows: list[tuple[str, str, str, str, str | None]] = []
    for q in QUADRANTS:
        rows.append((q, "relationship", RELATIONSHIP_MODELS[q]["es"], RELATIONSHIP_MODELS[q]["en"], None))
        priorities = STRATEGY_PRIORITIES[q]
        rows.extend((q, "priority", es, en, None) for es, en in zip(priorities["es"], priorities["en"], strict=True))
        rows.extend((q, "activity", es, en, None) for es, en in STRATEGY_ACTIVITIES[q])
        rows.extend((q, "metric", es, en, p) for p, es, en in CONTROL_METRICS[q])
    return rows


SELECTION_CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("volume_scalability", "Volumen y escalabilidad", "Volume and scalability"),
    ("profitability", "Rentabilidad", "Profitability"),
    ("diversification", "Diversificación de productos", "Product diversification"),
    ("market_access", "Acceso a mercados", "Market access"),
    ("innovation_adoption", "Capacidad de adoptar innovación", "Capacity to adopt innovation"),
)
"""What key accounts bring (METHOD.md §4, seed 003): (id, es, en) of the selection criteria used when the
workbook states none, each with weight 1 on `SELECTION_SCALE`, higher is better."""
SELECTION_SCALE: tuple[float, float] = (1.0, 10.0)


MATRIX_SCALE: tuple[float, float] = (1.0, 10.0)
"""The account matrix's default criterion scale (METHOD.md §1: 1 to 10, ours)."""

MATRIX_CRITERIA: tuple[tuple[str, str, str, str, float, float, float, bool], ...] = (
    ("volume", "potential", "Volumen de negocio", "Business volume", 1, 1, 10, True),
    ("growth", "potential", "Crecimiento", "Growth", 1, 1, 10, True),
    ("share_of_wallet", "potential", "Cuota en el cliente", "Share of wallet", 1, 1, 10, True),
    ("profitability", "potential", "Rentabilidad", "Profitability", 1, 1, 10, True),
    (
        "strategic_fit",
        "potential",
        "Encaje de objetivos entre ambas empresas",
        "Fit between both companies' objectives",
        1,
        1,
        10,
        True,
    ),
    ("product_quality", "position", "Calidad de producto", "Product quality", 1, 1, 10, True),
    ("service_level", "position", "Nivel de servicio", "Service level", 1, 1, 10, True),
    ("relationship", "position", "Calidad de la relación", "Quality of the relationship", 1, 1, 10, True),
    ("price_competitiveness", "position", "Competitividad en precio", "Price competitiveness", 1, 1, 10, True),
    ("innovation", "position", "Innovación y proyectos conjuntos", "Innovation and joint projects", 1, 1, 10, True),
)
"""The criteria a new workbook starts with (`kam template`), as rows of the `criteria` sheet: (criterion_id, axis,
label_es, label_en, weight, scale_min, scale_max, higher_is_better), equal weights within each axis.

Business potential's five are the seed's (METHOD.md §1): business volume, growth, our share of the customer's
spend, profitability, fit between both companies' objectives. Our position's are a starting point only (ours):
the seed says they are whatever drives that customer segment's satisfaction with a supplier, and vary by sector
and channel; these five are the ones a B2B supplier is most often judged on (product quality, service and
delivery reliability, the relationship with the buying centre, price, innovation and joint projects). Adapt
them to the sector, with the client. Ids and labels are those of the bundled sample where it has the criterion."""

SCORE_ANCHORS: tuple[tuple[str, float, str, str], ...] = (
    (
        "volume",
        1,
        "Compra muy poco en nuestra categoría: de las cuentas más pequeñas.",
        "Buys very little in our category: among the smallest accounts.",
    ),
    ("volume", 4, "Compra por debajo de la media de la cartera.", "Buys below the portfolio's average."),
    (
        "volume",
        7,
        "Compra claramente por encima de la media de la cartera.",
        "Buys clearly above the portfolio's average.",
    ),
    (
        "volume",
        10,
        "Entre los mayores compradores de la categoría del mercado.",
        "Among the largest buyers of the category in the market.",
    ),
    (
        "growth",
        1,
        "Su negocio se contrae: compra menos cada año.",
        "Its business is shrinking: it buys less every year.",
    ),
    (
        "growth",
        4,
        "Estable: crece poco, al ritmo del mercado o por debajo.",
        "Flat: grows little, at or below the market's pace.",
    ),
    (
        "growth",
        7,
        "Crece más que el mercado y tiene planes de expansión.",
        "Grows faster than the market and has expansion plans.",
    ),
    (
        "growth",
        10,
        "Crecimiento fuerte y sostenido: nuevos mercados, canales o plantas.",
        "Strong, sustained growth: new markets, channels or sites.",
    ),
    (
        "share_of_wallet",
        1,
        "Casi no nos compra: menos del 10 % de su gasto en la categoría.",
        "Hardly buys from us: under 10 % of its spend in the category.",
    ),
    (
        "share_of_wallet",
        4,
        "Nos da en torno a un tercio de su gasto; otros se llevan el resto.",
        "We get about a third of its spend; others take the rest.",
    ),
    (
        "share_of_wallet",
        7,
        "Proveedor principal: en torno a dos tercios de su gasto.",
        "Main supplier: about two thirds of its spend.",
    ),
    (
        "share_of_wallet",
        10,
        "Proveedor único o casi: más del 90 % de su gasto.",
        "Sole supplier or nearly: over 90 % of its spend.",
    ),
    (
        "profitability",
        1,
        "Margen nulo o negativo una vez contado el coste de servirla.",
        "No margin, or a loss, once the cost to serve is counted.",
    ),
    ("profitability", 4, "Margen por debajo de la media de la cartera.", "Margin below the portfolio's average."),
    (
        "profitability",
        7,
        "Margen por encima de la media, con un coste de servir razonable.",
        "Margin above the average, at a reasonable cost to serve.",
    ),
    (
        "profitability",
        10,
        "Entre las cuentas más rentables de la cartera.",
        "Among the most profitable accounts of the portfolio.",
    ),
    (
        "strategic_fit",
        1,
        "Objetivos opuestos: compra solo por precio y no le interesa nuestra propuesta.",
        "Opposing objectives: buys on price alone, with no interest in what we offer.",
    ),
    (
        "strategic_fit",
        4,
        "Algún objetivo en común, pero ningún plan compartido.",
        "Some objectives in common, but no shared plans.",
    ),
    (
        "strategic_fit",
        7,
        "Objetivos alineados en varios ámbitos; hay planes conjuntos a la vista.",
        "Objectives aligned in several areas; joint plans in sight.",
    ),
    (
        "strategic_fit",
        10,
        "Estrategias complementarias: las dos direcciones quieren crecer juntas.",
        "Complementary strategies: both leaderships want to grow together.",
    ),
    ("product_quality", 1, "Quejas frecuentes o rechazos de producto.", "Frequent complaints or rejected product."),
    (
        "product_quality",
        4,
        "Calidad aceptable, por debajo de la de los mejores competidores.",
        "Acceptable quality, below the best competitors'.",
    ),
    (
        "product_quality",
        7,
        "Calidad a la altura de los mejores; incidencias raras.",
        "Quality on a par with the best; rare issues.",
    ),
    (
        "product_quality",
        10,
        "Su referencia de calidad: nos toma como estándar.",
        "Its quality benchmark: it takes us as the standard.",
    ),
    (
        "service_level",
        1,
        "Entregas tarde o incompletas a menudo; el cliente lo sufre.",
        "Late or incomplete deliveries are common; the customer suffers them.",
    ),
    (
        "service_level",
        4,
        "Cumplimos casi siempre, con fallos que el cliente nota.",
        "We deliver as agreed most of the time, with failures the customer notices.",
    ),
    (
        "service_level",
        7,
        "Entregas fiables y respuesta rápida a las incidencias.",
        "Reliable deliveries and a fast response to issues.",
    ),
    (
        "service_level",
        10,
        "Servicio impecable y a medida; el cliente lo destaca frente a otros.",
        "Flawless, tailored service; the customer singles it out against others.",
    ),
    (
        "relationship",
        1,
        "Relación fría o tensa: solo pedidos y reclamaciones con compras.",
        "Cold or tense: only orders and complaints, with purchasing.",
    ),
    (
        "relationship",
        4,
        "Buena relación con compras, pero no conocemos a quien decide.",
        "Good terms with purchasing, but we do not know the decision makers.",
    ),
    (
        "relationship",
        7,
        "Confianza con varios decisores e influenciadores del centro de compras.",
        "Trusted by several decision makers and influencers of the buying centre.",
    ),
    (
        "relationship",
        10,
        "Relación en todos los niveles y funciones; nos consultan antes de decidir.",
        "Relationships at every level and function; they consult us before deciding.",
    ),
    (
        "price_competitiveness",
        1,
        "Claramente más caros que las alternativas, sin valor que lo justifique.",
        "Clearly dearer than the alternatives, with no value to justify it.",
    ),
    (
        "price_competitiveness",
        4,
        "Algo más caros; el precio se discute en cada negociación.",
        "Somewhat dearer; price is fought over at every negotiation.",
    ),
    (
        "price_competitiveness",
        7,
        "Precio en línea con el mercado para el valor que damos.",
        "Price in line with the market for the value we give.",
    ),
    (
        "price_competitiveness",
        10,
        "La mejor relación valor-precio a su alcance.",
        "The best value for money it can get.",
    ),
    (
        "innovation",
        1,
        "Nunca le proponemos novedades; ningún proyecto conjunto.",
        "We never bring it anything new; no joint projects.",
    ),
    (
        "innovation",
        4,
        "Novedades propuestas de vez en cuando, sin proyectos conjuntos.",
        "New things proposed now and then, no joint projects.",
    ),
    (
        "innovation",
        7,
        "Proponemos innovaciones con regularidad; algún proyecto conjunto en marcha.",
        "We propose innovations regularly; some joint project under way.",
    ),
    (
        "innovation",
        10,
        "Socio de innovación: desarrollamos productos o procesos juntos.",
        "An innovation partner: we develop products or processes together.",
    ),
)
"""What a 1, 4, 7 and 10 mean on each of `MATRIX_CRITERIA` (ours), as rows of the `scoring_guide` sheet:
(criterion_id, score, text_es, text_en). One line each, to read aloud in a workshop so that everyone in the room
scores on the same scale."""
