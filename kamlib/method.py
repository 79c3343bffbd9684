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
