"""The account-matrix chart's spec, and its offline export to HTML, SVG, PNG and JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kamlib.charts import matrix_chart, save_chart, theme
from kamlib.charts.export import script_json
from kamlib.charts.matrix import BUBBLE_LAYER, NAME_LABEL_LAYER
from kamlib.method import AXIS_LABELS, QUADRANTS, STRATEGY_NAMES

SCRIPT_NAME = "<script>alert(1)</script>"


def scored_frame() -> pd.DataFrame:
    """Return a hand-made scored portfolio: six placed accounts and one unplaced."""
    rows = [
        ("A1", "Peñalara Alimentación", "food", "k1", 900_000.0, 8.2, 7.5, "invest"),
        ("A2", "Construcciones Oñate", "building", "k1", 400_000.0, 7.0, 2.5, "selective"),
        ("A3", SCRIPT_NAME, "retail", "k2", 650_000.0, 3.1, 8.4, "maintain"),
        ("A4", "Café Ñandú", "food", "k2", 120_000.0, 2.0, 1.5, "milk"),
        ("A5", "Logística Álvarez & Hijos", "transport", "k3", 0.0, 6.4, 6.6, "invest"),
        ("A6", "Hospital San Juan", "health", "k3", 250_000.0, 4.9, 9.6, "maintain"),
        ("A7", "Sin Datos S.L.", "other", "k3", 300_000.0, np.nan, np.nan, None),
    ]
    frame = pd.DataFrame(
        rows, columns=["account_id", "name", "sector", "kam_id", "revenue", "potential", "position", "quadrant"]
    )
    frame["strategy_es"] = [STRATEGY_NAMES[q]["es"] if isinstance(q, str) else None for q in frame["quadrant"]]
    frame["strategy_en"] = [STRATEGY_NAMES[q]["en"] if isinstance(q, str) else None for q in frame["quadrant"]]
    frame["placed"] = frame["quadrant"].notna()
    frame["extra"] = "ignored"
    return frame


def units(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every unit (non-layer) spec inside `spec`, depth first."""
    if "layer" in spec:
        return [u for child in spec["layer"] for u in units(child)]
    return [spec]


def unit(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the unit spec called `name`."""
    (found,) = [u for u in units(spec) if u.get("name") == name]
    return found


def rows(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the data rows of a unit spec, inline or from the top-level datasets."""
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def texts(spec: dict[str, Any]) -> list[str]:
    """Return every text value written by a text mark."""
    return [
        str(r[u["encoding"]["text"]["field"]])
        for u in units(spec)
        if "text" in u.get("encoding", {})
        for r in rows(spec, u)
    ]


@pytest.fixture
def spec() -> dict[str, Any]:
    return matrix_chart(scored_frame(), lang="es").to_dict()


def test_only_placed_rows_are_plotted(spec: dict[str, Any]) -> None:
    bubbles = rows(spec, unit(spec, BUBBLE_LAYER))
    assert {r["name"] for r in bubbles} == set(scored_frame().loc[lambda f: f["placed"], "name"])
    assert "Sin Datos S.L." not in json.dumps(spec, ensure_ascii=False)
    assert all(0 <= r["potential"] <= 10 and 0 <= r["position"] <= 10 for r in bubbles)


def test_axes_are_position_and_potential_from_0_to_10(spec: dict[str, Any]) -> None:
    enc = unit(spec, BUBBLE_LAYER)["encoding"]
    assert enc["x"]["field"] == "position" and enc["y"]["field"] == "potential"
    assert enc["x"]["axis"]["title"] == AXIS_LABELS["position"]["es"] == "Posición como proveedor"
    assert enc["y"]["axis"]["title"] == AXIS_LABELS["potential"]["es"]
    for layer in units(spec):
        for channel in ("x", "y"):
            if channel in layer.get("encoding", {}):
                assert layer["encoding"][channel]["scale"]["domain"] == [0, 10]


def test_colour_is_the_quadrant_with_fixed_theme_colours(spec: dict[str, Any]) -> None:
    colour = unit(spec, BUBBLE_LAYER)["encoding"]["color"]
    assert colour["field"] == "quadrant"
    assert colour["scale"]["domain"] == list(QUADRANTS)
    assert colour["scale"]["range"] == [theme.QUADRANT_COLOURS[q] for q in QUADRANTS]
    assert len(set(colour["scale"]["range"])) == 4
    for quadrant in QUADRANTS:
        assert STRATEGY_NAMES[quadrant]["es"] in colour["legend"]["labelExpr"]


def test_bubble_area_is_proportional_to_size(spec: dict[str, Any]) -> None:
    size = unit(spec, BUBBLE_LAYER)["encoding"]["size"]
    assert size["field"] == "size"
    assert size["scale"]["domain"][0] == 0 and size["scale"]["range"][0] == 0
    assert size["scale"]["domain"][1] == 900_000.0
    assert size["scale"]["type"] == "linear"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_strategy_labels_in_each_language(lang: str) -> None:
    spec = matrix_chart(scored_frame(), lang=lang).to_dict()
    written = texts(spec)
    for quadrant in QUADRANTS:
        assert STRATEGY_NAMES[quadrant][lang] in written
        assert unit(spec, f"quadrant_name_{quadrant}")["mark"]["color"] == theme.QUADRANT_TEXT_COLOURS[quadrant]
    other = "en" if lang == "es" else "es"
    assert STRATEGY_NAMES["milk"][other] not in json.dumps(spec, ensure_ascii=False)
    assert spec["title"]["text"] == ("Matriz de análisis de cuentas" if lang == "es" else "Account analysis matrix")
    bubbles = rows(spec, unit(spec, BUBBLE_LAYER))
    assert {r["strategy"] for r in bubbles} == {STRATEGY_NAMES[q][lang] for q in QUADRANTS}


def test_quadrant_names_sit_in_their_corners(spec: dict[str, Any]) -> None:
    corners = {"invest": (10, 10), "selective": (0, 10), "maintain": (10, 0), "milk": (0, 0)}
    for quadrant, (x, y) in corners.items():
        layer = unit(spec, f"quadrant_name_{quadrant}")
        (row,) = rows(spec, layer)
        assert (row["x"], row["y"]) == (x, y)


def test_cut_lines_and_shading_follow_cuts() -> None:
    spec = matrix_chart(scored_frame(), cuts=(6.5, 4.0)).to_dict()
    assert rows(spec, unit(spec, "potential_cut")) == [{"potential_cut": 6.5}]
    assert unit(spec, "potential_cut")["encoding"]["y"]["field"] == "potential_cut"
    assert rows(spec, unit(spec, "position_cut")) == [{"position_cut": 4.0}]
    assert unit(spec, "position_cut")["encoding"]["x"]["field"] == "position_cut"
    shading = {r["quadrant"]: r for r in rows(spec, unit(spec, "quadrant_shading"))}
    assert (shading["invest"]["x"], shading["invest"]["y"]) == (4.0, 6.5)
    assert (shading["milk"]["x2"], shading["milk"]["y2"]) == (4.0, 6.5)
    assert {r["colour"] for r in shading.values()} == set(theme.QUADRANT_COLOURS.values())


def test_tooltips_show_name_composites_strategy_revenue(spec: dict[str, Any]) -> None:
    tooltip = {t["field"]: t for t in unit(spec, BUBBLE_LAYER)["encoding"]["tooltip"]}
    assert list(tooltip) == ["name", "potential", "position", "strategy", "size"]
    assert tooltip["potential"]["format"] == tooltip["position"]["format"] == ".1f"
    assert tooltip["size"]["title"] == "Facturación"


def name_labels(spec: dict[str, Any]) -> list[str]:
    """Return the account names written beside bubbles."""
    return [r["name"] for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER) for r in rows(spec, u)]


@pytest.mark.parametrize("label_top", [0, 2, 3, 8])
def test_label_the_largest_accounts(label_top: int) -> None:
    spec = matrix_chart(scored_frame(), label_top=label_top).to_dict()
    labels = name_labels(spec)
    assert len(labels) == min(label_top, 6)
    by_size = ["Peñalara Alimentación", SCRIPT_NAME, "Construcciones Oñate", "Hospital San Juan", "Café Ñandú"]
    assert set(labels) == set(by_size[:label_top]) | ({"Logística Álvarez & Hijos"} if label_top > 5 else set())


def test_labels_stay_beside_their_bubbles() -> None:
    spec = matrix_chart(scored_frame(), label_top=8).to_dict()
    bubbles = {r["name"]: r for r in rows(spec, unit(spec, BUBBLE_LAYER))}
    for layer in units(spec):
        if layer.get("name", "").startswith(NAME_LABEL_LAYER):
            for row in rows(spec, layer):
                bubble = bubbles[row["name"]]
                assert row["potential"] == bubble["potential"]
                side = 1 if layer["mark"]["align"] == "left" else -1
                assert 0 <= side * (row["label_x"] - bubble["position"]) < 1.5
    hospital = [u for u in units(spec) if u.get("name") == f"{NAME_LABEL_LAYER}_right"]
    assert any(r["name"] == "Hospital San Juan" for u in hospital for r in rows(spec, u))


def test_other_size_column() -> None:
    frame = scored_frame().assign(margin=lambda f: f["revenue"] / 10)
    spec = matrix_chart(frame, size="margin", label_top=1).to_dict()
    assert name_labels(spec) == ["Peñalara Alimentación"]
    tooltip = [t["field"] for t in unit(spec, BUBBLE_LAYER)["encoding"]["tooltip"]]
    assert tooltip == ["name", "potential", "position", "strategy", "revenue", "size"]


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="'es', 'en'"):
        matrix_chart(scored_frame(), lang="fr")
    with pytest.raises(ValueError, match="cuts"):
        matrix_chart(scored_frame(), cuts=(5.0, 11.0))
    with pytest.raises(ValueError, match="label_top"):
        matrix_chart(scored_frame(), label_top=-1)
    with pytest.raises(ValueError, match="nope"):
        matrix_chart(scored_frame(), size="nope")
    bad = scored_frame()
    bad.loc[0, "quadrant"] = "upside"
    with pytest.raises(ValueError, match="A1"):
        matrix_chart(bad)


def test_no_placed_accounts_still_draws_the_matrix() -> None:
    frame = scored_frame().assign(placed=False)
    spec = matrix_chart(frame).to_dict()
    assert rows(spec, unit(spec, BUBBLE_LAYER)) == []
    assert name_labels(spec) == []
    assert "7 cuentas sin situar no se muestran" in spec["title"]["subtitle"]


def test_spec_embeds_data_and_no_urls(spec: dict[str, Any]) -> None:
    text = json.dumps({k: v for k, v in spec.items() if k != "$schema"})
    assert '"url"' not in text and "http" not in text


def test_script_json_cannot_close_a_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & \u2028"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export")
    chart = matrix_chart(scored_frame(), lang="es")
    return {suffix: save_chart(chart, folder / f"matrix.{suffix}") for suffix in ("html", "svg", "png", "json")}


def test_exports_exist_atomically(exported: dict[str, Path]) -> None:
    for suffix, path in exported.items():
        assert path.suffix == f".{suffix}" and path.stat().st_size > 0
    folder = exported["html"].parent
    assert sorted(p.name for p in folder.iterdir()) == [f"matrix.{s}" for s in ("html", "json", "png", "svg")]


def test_png_export(exported: dict[str, Path]) -> None:
    data = exported["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 2 * theme.chart_width and height >= 2 * theme.chart_height


def test_svg_export(exported: dict[str, Path]) -> None:
    svg = exported["svg"].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    for quadrant in QUADRANTS:
        assert STRATEGY_NAMES[quadrant]["es"] in svg
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_json_export(exported: dict[str, Path]) -> None:
    spec = json.loads(exported["json"].read_text(encoding="utf-8"))
    assert SCRIPT_NAME in name_labels(spec)
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"


def test_html_export_is_self_contained(exported: dict[str, Path]) -> None:
    page = exported["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"//(cdn\.jsdelivr|cdnjs|unpkg)", page)  # package.json field names may remain
    assert "https://" not in "".join(re.findall(r"<script[^>]*>", page))
    assert "vegaEmbed" in page and "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    # The only script elements are the two of the template: the account name never closes one.
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def test_save_chart_rejects_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.html, \.svg, \.png, \.json"):
        save_chart(matrix_chart(scored_frame()), tmp_path / "matrix.pdf")
    assert list(tmp_path.iterdir()) == []


def test_save_chart_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "matrix.json"
    target.write_text("old")
    assert save_chart(matrix_chart(scored_frame(), lang="en"), target) == target
    assert json.loads(target.read_text(encoding="utf-8"))["title"]["text"] == "Account analysis matrix"
    assert list(tmp_path.iterdir()) == [target]


def test_matrix_charts_floats_are_finite(spec: dict[str, Any]) -> None:
    for r in rows(spec, unit(spec, BUBBLE_LAYER)):
        assert all(math.isfinite(v) for v in (r["potential"], r["position"], r["size"]))


def test_cut_lines_default_to_the_ones_the_scoring_used(tiny):
    from kamlib import score_accounts

    scored = score_accounts(tiny, cuts={"potential": "median", "position": 3})
    spec = matrix_chart(scored, lang="en").to_dict()
    assert rows(spec, unit(spec, "position_cut")) == [{"position_cut": 3.0}]
    assert rows(spec, unit(spec, "potential_cut")) == [{"potential_cut": scored.attrs["cuts"]["potential"]}]


def test_name_labels_never_overlap_and_skip_to_the_next_largest():
    from kamlib.charts.matrix import place_labels

    # Five big accounts on one spot: only one label fits there; the sixth, elsewhere, is labelled too.
    points = pd.DataFrame(
        {
            "name": [f"Cuenta apiñada {i}" for i in range(5)] + ["Lejana"],
            "position": [5.0] * 5 + [1.0],
            "potential": [5.0] * 5 + [9.0],
            "area": [900.0] * 5 + [100.0],
        }
    )
    labels = place_labels(points, label_top=3)
    assert labels["name"].tolist() == ["Cuenta apiñada 0", "Cuenta apiñada 1", "Lejana"]
    assert labels["align"].tolist() == ["left", "right", "left"]  # the second crowded one goes to the other side
    assert len(place_labels(points, label_top=0)) == 0


def test_accounts_on_the_fence_get_a_ring_outside_their_bubble_and_stability_in_the_tooltip() -> None:
    from kamlib.charts.matrix import FENCE_LAYER, FENCE_RING_GAP_PX

    robustness = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
            "stability": [0.99, 0.62, 0.7999, 0.80, 1.0, 0.5, np.nan],
            "stability_error": [0.002, 0.01, 0.008, 0.008, 0.0, 0.01, np.nan],
            "on_the_fence": [False, True, True, False, False, True, False],
        }
    )
    spec = matrix_chart(scored_frame(), lang="en", robustness=robustness).to_dict()
    rings = rows(spec, unit(spec, FENCE_LAYER))
    assert sorted(r["name"] for r in rings) == sorted(["Construcciones Oñate", SCRIPT_NAME, "Hospital San Juan"])
    bubbles = {r["name"]: r for r in rows(spec, unit(spec, BUBBLE_LAYER))}
    for ring in rings:
        bubble = bubbles[ring["name"]]
        assert (ring["position"], ring["potential"]) == (bubble["position"], bubble["potential"])
        bubble_radius = math.sqrt(
            bubble["size"] / max(b["size"] for b in bubbles.values()) * theme.MAX_BUBBLE_AREA / math.pi
        )
        assert math.sqrt(ring["ring"] / math.pi) == pytest.approx(bubble_radius + FENCE_RING_GAP_PX)
    assert unit(spec, FENCE_LAYER)["encoding"]["size"]["scale"] is None  # the ring's area in px², as computed
    assert bubbles["Construcciones Oñate"]["stability"] == 62.0
    assert "Stability %" in [t.get("title") for t in unit(spec, BUBBLE_LAYER)["encoding"]["tooltip"]]
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "ring: on the fence (3; kept in its quadrant by fewer than 80 % of the weight draws)" in subtitle
    plain = matrix_chart(scored_frame(), lang="en").to_dict()
    assert FENCE_LAYER not in [u.get("name") for u in units(plain)]
    steady = robustness.assign(on_the_fence=False)
    calm = matrix_chart(scored_frame(), lang="es", robustness=steady).to_dict()
    assert FENCE_LAYER not in [u.get("name") for u in units(calm)]
    assert "anillo: en la frontera (0;" in " ".join(calm["title"]["subtitle"])
