"""The decision map chart: encodings and fixed domains, rings for the flagged, names as text, both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.charts import save_chart
from kamlib.charts.stakeholders import (
    ATTITUDE_DOMAIN,
    EMPTY_LAYER,
    FLAG_COLOUR,
    INFLUENCE_DOMAIN,
    INFLUENTIAL_LAYER,
    NAME_LABEL_LAYER,
    PEOPLE_LAYER,
    RING_LAYER,
    ROLE_COLOURS,
    SHADING_LAYER,
    ZERO_LAYER,
    decision_map_chart,
    place_names,
    spread_influence,
)
from kamlib.plan.stakeholders import decision_map
from kamlib.workbook.sheets import ROLES
from tests.charts.specs import unit, units

XSS = "<script>window.__kam_xss=1</script>"
COLUMNS = ["account_id", "person", "title", "role", "influence", "attitude", "relationship", "our_contact"]
# A1 (see tests/test_stakeholders.py for the rules): Carlos opposes, Dani has no contact, the XSS-named decision
# maker (influence 4, relationship 2, a contact) is weak; Elena and Bea have no flag. Elena and Fede share a point.
PEOPLE = [
    ("A1", XSS, "Directora general", "Decisora", 4, 0, 2, "María"),
    ("A1", "Bea", None, "comprador", 3.9, -2, 1, None),
    ("A1", "Carlos", "Jefe de calidad", "influenciador", 5, -0.5, 3, "Jordi"),
    ("A1", "Dani", "Jefe de tienda", "usuario", 4.5, 1, 1, None),
    ("A1", "Elena", "Recepción", "filtro", 4, 2, 2.5, "Jordi"),
    ("A1", "Fede Fernández de la Vega", None, "usuario", 4, 2, 5, "María"),
]


@pytest.fixture(scope="module")
def engagement(tiny: kamlib.Engagement) -> kamlib.Engagement:
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}
    return kamlib.Engagement.from_frames({**frames, "stakeholders": pd.DataFrame(PEOPLE, columns=COLUMNS)})


@pytest.fixture(scope="module")
def spec(engagement: kamlib.Engagement) -> dict[str, Any]:
    return decision_map_chart(decision_map(engagement, "A1"), lang="es").to_dict()


def values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a unit spec draws (inline or from the top-level datasets)."""
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def by_person(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["person"]: row for row in values(spec, unit(spec, PEOPLE_LAYER))}


def test_encodings_and_fixed_domains(spec: dict[str, Any]) -> None:
    encoding = unit(spec, PEOPLE_LAYER)["encoding"]
    assert encoding["x"]["field"] == "attitude" and encoding["y"]["field"] == "influence_shown"
    assert encoding["x"]["scale"]["domain"] == [-2.5, 2.5] == list(ATTITUDE_DOMAIN)
    assert encoding["y"]["scale"]["domain"] == [0.5, 5.5] == list(INFLUENCE_DOMAIN)
    assert encoding["x"]["axis"]["values"] == [-2, -1, 0, 1, 2]  # opposes on the left, supports on the right
    assert encoding["y"]["axis"]["values"] == [1, 2, 3, 4, 5]
    assert encoding["size"]["field"] == "relationship" and encoding["size"]["scale"]["domain"] == [1, 5]
    assert encoding["color"]["field"] == "role"
    assert encoding["color"]["scale"] == {"domain": list(ROLES), "range": [ROLE_COLOURS[r] for r in ROLES]}
    assert [t["field"] for t in encoding["tooltip"]] == [
        "person",
        "title",
        "role_label",
        "influence",
        "attitude",
        "relationship",
        "our_contact",
        "flags",
    ]
    # Every layer shares the same fixed scales.
    for layer in units(spec):
        for channel, domain in (("x", ATTITUDE_DOMAIN), ("y", INFLUENCE_DOMAIN)):
            if channel in layer.get("encoding", {}):
                assert layer["encoding"][channel]["scale"]["domain"] == list(domain), layer.get("name")


def test_rules_and_influential_band(spec: dict[str, Any]) -> None:
    assert values(spec, unit(spec, ZERO_LAYER)) == [{"attitude": 0.0}]
    (line,) = values(spec, unit(spec, INFLUENTIAL_LAYER))
    assert line["influence"] == 4.0
    assert values(spec, unit(spec, f"{INFLUENTIAL_LAYER}_label"))[0]["label"] == "influyente: 4 o más"
    band = values(spec, unit(spec, SHADING_LAYER))
    assert [(r["x"], r["x2"], r["y"], r["y2"]) for r in band] == [(-2.5, 0.0, 4.0, 5.5), (0.0, 2.5, 4.0, 5.5)]


def test_people_with_their_true_values_and_words(spec: dict[str, Any]) -> None:
    people = by_person(spec)
    assert set(people) == {XSS, "Bea", "Carlos", "Dani", "Elena", "Fede Fernández de la Vega"}
    carlos = people["Carlos"]
    assert (carlos["influence"], carlos["attitude"], carlos["relationship"]) == (5.0, -0.5, 3.0)
    assert (carlos["role"], carlos["role_label"], carlos["flags"]) == ("influencer", "Influenciador", "En contra")
    assert people["Bea"]["our_contact"] == "—" and people["Bea"]["title"] == "—" and people["Bea"]["flags"] == "—"
    assert people["Dani"]["flags"] == "Sin contacto"
    assert people[XSS]["flags"] == "Relación débil" and people[XSS]["role"] == "decision_maker"
    assert people["Elena"]["role_label"] == "Filtro"


def test_rings_only_round_the_flagged(spec: dict[str, Any]) -> None:
    ring = unit(spec, RING_LAYER)
    assert ring["mark"]["color"] == FLAG_COLOUR and ring["mark"]["filled"] is False
    rows = values(spec, ring)
    assert sorted(r["person"] for r in rows) == sorted([XSS, "Carlos", "Dani"])
    people = by_person(spec)
    for row in rows:  # a ring sits on its person's dot and is larger than it
        assert (row["attitude"], row["influence_shown"]) == (
            people[row["person"]]["attitude"],
            people[row["person"]]["influence_shown"],
        )
        assert row["ring"] > 110.0


def test_names_are_written_beside_their_dots(spec: dict[str, Any]) -> None:
    labels = [r for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER) for r in values(spec, u)]
    assert sorted(r["person"] for r in labels) == sorted(by_person(spec))
    people = by_person(spec)
    left = {r["person"] for r in values(spec, unit(spec, f"{NAME_LABEL_LAYER}_left"))}
    right = {r["person"] for r in values(spec, unit(spec, f"{NAME_LABEL_LAYER}_right"))}
    assert "Fede Fernández de la Vega" in right  # at +2 a long name goes left of its dot, inside the plot
    assert "Carlos" in left
    for row in labels:
        side = 1 if row["person"] in left else -1
        assert side * (row["label_x"] - people[row["person"]]["attitude"]) > 0


def test_names_keep_clear_of_each_other() -> None:
    names = pd.Series(["Elena Campos", "Pablo Prieto", "Anastasia Pérez", "Eva"])
    attitude = np.array([1.0, 2.0, -1.0, -0.8])
    # All at one height: Pablo at +2 has room only on the left; Elena's name would then run into his, so it
    # goes left too; Eva's fits on her right, and Anastasia's would run into it (0.2 of a step = 30 px), so
    # it goes left.
    same = place_names(names, attitude, np.full(4, 2.0), np.full(4, 10.0))
    assert same.tolist() == [False, False, False, True]
    apart = place_names(names, attitude, np.array([3.0, 2.0, 1.0, 2.0]), np.full(4, 10.0))
    assert apart.tolist() == [True, False, True, True]  # at other heights: right wherever it fits


def test_people_at_one_point_are_spread_within_their_band(spec: dict[str, Any]) -> None:
    people = by_person(spec)
    elena, fede = people["Elena"], people["Fede Fernández de la Vega"]
    assert elena["influence"] == fede["influence"] == 4.0  # both at (+2, 4): drawn apart, both still influential
    assert elena["influence_shown"] == pytest.approx(4.2) and fede["influence_shown"] == pytest.approx(4.0)
    assert people["Carlos"]["influence_shown"] == 5.0  # alone: drawn where it is
    shown = spread_influence(np.array([-1.0, -1.0, -1.0, 0.0, 0.0]), np.array([5.0, 5.0, 5.0, 3.9, 3.9]))
    assert shown == pytest.approx([5.2, 5.0, 4.8, 3.9, 3.7])  # the 3.9s stay below the influential line
    crowd = spread_influence(np.zeros(7), np.full(7, 1.0))
    assert crowd.min() >= 0.75 and np.ptp(crowd) == pytest.approx(0.6) and len(set(crowd.round(6))) == 7


@pytest.mark.parametrize("lang", ["es", "en"])
def test_texts_in_each_language(engagement: kamlib.Engagement, lang: str) -> None:
    spec = decision_map_chart(decision_map(engagement, "A1"), lang=lang).to_dict()
    assert spec["title"]["text"] == {"es": "Mapa de decisión", "en": "Decision map"}[lang] + ": Supermercados Peñíscola"
    assert spec["title"]["subtitle"][0] == {"es": "6 personas · 3 con alerta", "en": "6 people · 3 flagged"}[lang]
    encoding = unit(spec, PEOPLE_LAYER)["encoding"]
    assert encoding["x"]["axis"]["title"].startswith({"es": "Actitud hacia nosotros", "en": "Attitude toward us"}[lang])
    assert encoding["y"]["axis"]["title"].startswith({"es": "Influencia", "en": "Influence"}[lang])
    legend = encoding["color"]["legend"]
    assert legend["title"] == {"es": "Papel", "en": "Role"}[lang]
    assert {"es": '"Decisor"', "en": '"Decision maker"'}[lang] in legend["labelExpr"]
    corners = {r["label"] for u in units(spec) if u.get("name", "").startswith("corner_") for r in values(spec, u)}
    assert {"es": "Opositores influyentes", "en": "Influential opponents"}[lang] in corners
    assert {"es": "Aliados influyentes", "en": "Influential supporters"}[lang] in corners
    assert by_person(spec)["Dani"]["role_label"] == {"es": "Usuario", "en": "User"}[lang]
    assert spec["usermeta"]["lang"] == lang
    assert ("formatLocale" in spec["usermeta"]["embedOptions"]) == (lang == "es")


def test_an_empty_map_says_so(engagement: kamlib.Engagement, tiny: kamlib.Engagement) -> None:
    for e in (engagement, tiny):  # an account without people, a workbook without the sheet
        spec = decision_map_chart(decision_map(e, "A4"), lang="en").to_dict()
        assert spec["title"]["text"] == "Decision map: Épicerie Lumière"
        assert spec["title"]["subtitle"] == ["the buying centre is still to be mapped"]
        assert values(spec, unit(spec, EMPTY_LAYER)) == [{"x": 0.0, "y": 3.0, "label": "No decision map yet"}]
        assert values(spec, unit(spec, PEOPLE_LAYER)) == [] and values(spec, unit(spec, RING_LAYER)) == []
        assert not [u for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER)]
    assert EMPTY_LAYER not in {
        u.get("name") for u in units(decision_map_chart(decision_map(engagement, "A1")).to_dict())
    }
    plain = decision_map(engagement, "A4")
    plain.attrs = {}
    assert decision_map_chart(plain, lang="es").to_dict()["title"]["text"] == "Mapa de decisión"


def test_bad_input_is_refused(engagement: kamlib.Engagement) -> None:
    with pytest.raises(ValueError, match=r"lang must be one of 'es', 'en'; got 'fr'"):
        decision_map_chart(decision_map(engagement, "A1"), lang="fr")
    with pytest.raises(ValueError, match=r"frame lacks column\(s\): opposes, weak_relationship"):
        decision_map_chart(decision_map(engagement, "A1").drop(columns=["opposes", "weak_relationship"]))


def test_names_stay_text_in_the_svg(engagement: kamlib.Engagement, tmp_path: Path) -> None:
    svg = save_chart(decision_map_chart(decision_map(engagement, "A1"), lang="es"), tmp_path / "map.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in text
