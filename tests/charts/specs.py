"""Reading Vega-Lite specs in chart tests: the unit specs inside layers and facets, by name."""

from __future__ import annotations

from typing import Any


def units(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every unit (non-layer) spec inside `spec`, depth first, facets included."""
    if "layer" in spec:
        return [u for child in spec["layer"] for u in units(child)]
    if "spec" in spec:
        return units(spec["spec"])
    return [spec]


def unit(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the one unit spec called `name`."""
    (found,) = [u for u in units(spec) if u.get("name") == name]
    return found
