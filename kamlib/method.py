"""The method's reference data, as METHOD.md states it (from the two seed articles).

Quadrants and their strategy names (METHOD.md §1) and the KAM time profile
(METHOD.md §2) live here once, so that every module, chart and message uses the
same ids and the same Spanish and English words.
"""

from __future__ import annotations

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
`kamlib.robustness`) keep it in its quadrant (issue 6; the method itself does not state a threshold)."""
