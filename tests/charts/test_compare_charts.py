"""The scenario comparison's charts: arrows for the movers, both cut lines, weight changes, both languages."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import kamlib
from kamlib.charts import save_chart, theme
from kamlib.charts.compare import (
    ARROW_LAYER,
    ARROWHEAD_LAYER,
    BEFORE_LAYER,
    WEIGHT_LAYER,
    quadrant_moves_chart,
    weight_change_chart,
)
from kamlib.charts.matrix import BUBBLE_LAYER, NAME_LABEL_LAYER
from kamlib.method import AXIS_LABELS, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.compare import Comparison, compare_scenarios
from kamlib.scenarios.scenario import Scenario
from tests.charts.specs import unit, units
from tests.conftest import copy_tiny

XSS = "<script>window.__kam_xss=1</script>"
# As worked by hand in tests/test_compare.py: with the position cut at 3, giving incidents weight 3 moves A2
# (renamed XSS here) from position 2.6667 to 3.2 at potential 7.6389: Selective investment → Invest.
CUT3 = Scenario(name="cut3", cuts={"position": 3})
INCIDENTS = Scenario(name="incidents", weights={"incidents": 3}, cuts={"position": 3})


@pytest.fixture(scope="module")
def engagement(tmp_path_factory: pytest.TempPathFactory) -> kamlib.Engagement:
    return kamlib.load(copy_tiny(tmp_path_factory.mktemp("compare") / "tiny", a2_name=XSS))


@pytest.fixture(scope="module")
def comparison(engagement: kamlib.Engagement) -> Comparison:
    return compare_scenarios(engagement, CUT3, INCIDENTS)


def values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a unit spec draws (inline or from the top-level datasets), after its `datum.<flag>` filters."""
    data = layer["data"]
    rows = data["values"] if "values" in data else spec["datasets"][data["name"]]
    for step in layer.get("transform", []):
        flag = step["filter"].removeprefix("datum.")
        rows = [r for r in rows if r[flag]]
    return rows


def test_arrows_only_for_movers_from_old_to_new_position(comparison: Comparison) -> None:
    spec = quadrant_moves_chart(comparison, lang="es").to_dict()
    (arrow,) = values(spec, unit(spec, ARROW_LAYER))
    assert arrow["name"] == XSS and arrow["account_id"] == "A2"
    assert arrow["position_before"] == pytest.approx(8 / 3) and arrow["position"] == pytest.approx(3.2)
    assert arrow["potential_before"] == pytest.approx(7.638888889) and arrow["potential"] == pytest.approx(7.638888889)
    assert arrow["quadrant_before"] == "selective" and arrow["quadrant"] == "invest"
    encoding = unit(spec, ARROW_LAYER)["encoding"]
    fields = [encoding[c]["field"] for c in ("x", "y", "x2", "y2")]
    assert [arrow[f] for f in fields] == [
        arrow["position_before"],
        arrow["potential_before"],
        arrow["position"],
        arrow["potential"],
    ]
    assert arrow["arrow_colour"] == theme.QUADRANT_TEXT_COLOURS["invest"]
    # The move is straight right on screen: the head points right (90° clockwise from up), its tip at the dot.
    (head,) = values(spec, unit(spec, ARROWHEAD_LAYER))
    assert head["angle"] == pytest.approx(90.0)
    assert head["head_y"] == pytest.approx(head["potential"])
    back_px = (3.2 - head["head_x"]) * theme.chart_width / 10
    assert back_px == pytest.approx(math.sqrt(200 / math.pi) + math.sqrt(150) / 2)
    (old,) = values(spec, unit(spec, BEFORE_LAYER))
    assert old["account_id"] == "A2"
    (new,) = values(spec, unit(spec, BUBBLE_LAYER))
    assert new["quadrant"] == "invest" and new["strategy"] == "Invertir"


def test_every_account_with_all_accounts(comparison: Comparison) -> None:
    spec = quadrant_moves_chart(comparison, lang="en", all_accounts=True).to_dict()
    arrows = values(spec, unit(spec, ARROW_LAYER))
    assert sorted(r["account_id"] for r in arrows) == ["A1", "A2", "A3", "A4"]
    assert arrows[-1]["account_id"] == "A2"  # the mover is drawn last, on top
    still = [r for r in arrows if not r["moved"]]
    assert {r["arrow_colour"] for r in still} == {"#B4BCC4"}
    # The others move less than an arrowhead's length on screen (A1: 0.27 position × 76 px = 20 px): no head.
    assert [r["account_id"] for r in values(spec, unit(spec, ARROWHEAD_LAYER))] == ["A2"]
    labels = [r["name"] for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER) for r in values(spec, u)]
    assert labels == [XSS]  # only movers are named


def test_both_scenarios_cut_lines(engagement: kamlib.Engagement) -> None:
    median = Scenario(name="median", cuts={"potential": "median", "position": 3})
    spec = quadrant_moves_chart(compare_scenarios(engagement, INCIDENTS, median), lang="en").to_dict()
    names = {u.get("name") for u in units(spec)}
    assert "potential_cut" not in names and "position_cut" not in names  # the matrix's own lines are replaced
    before, after = unit(spec, "potential_cut_before"), unit(spec, "potential_cut_after")
    assert before["mark"]["strokeDash"] == [8, 5] and "strokeDash" not in after["mark"]
    assert values(spec, before) == [{"cut": 5.0}]
    assert values(spec, after)[0]["cut"] == pytest.approx((7.638888889 + 2.777777778) / 2)
    assert (
        values(spec, unit(spec, "position_cut_before"))
        == [{"cut": 3.0}]
        == values(spec, unit(spec, "position_cut_after"))
    )
    assert "after (solid): potential 5.21, position 3" in spec["title"]["subtitle"][1]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_texts_in_each_language(comparison: Comparison, lang: str) -> None:
    spec = quadrant_moves_chart(comparison, lang=lang).to_dict()
    title = {"es": "Cambios de cuadrante: «cut3» → «incidents»", "en": "Quadrant changes: “cut3” → “incidents”"}
    assert spec["title"]["text"] == title[lang]
    assert spec["title"]["subtitle"][0].startswith(
        {"es": "1 de 4 cuentas cambia", "en": "1 of 4 accounts changes"}[lang]
    )
    quadrant_names = {
        r["label"] for u in units(spec) if u.get("name", "").startswith("quadrant_name_") for r in values(spec, u)
    }
    assert quadrant_names == {STRATEGY_NAMES[q][lang] for q in QUADRANTS}
    encoding = unit(spec, BUBBLE_LAYER)["encoding"]
    assert encoding["x"]["axis"]["title"] == AXIS_LABELS["position"][lang]
    assert spec["usermeta"]["lang"] == lang
    weights = weight_change_chart(comparison, lang=lang).to_dict()
    assert weights["title"]["text"] == title[lang].replace(
        {"es": "Cambios de cuadrante", "en": "Quadrant changes"}[lang],
        {"es": "Cambios de peso", "en": "Weight changes"}[lang],
    )
    rows = {r["criterion_id"]: r for r in weights["datasets"][weights["data"]["name"]]}
    assert rows["incidents"]["text"] == {"es": "+26,7", "en": "+26.7"}[lang]
    assert rows["service"]["text"] == {"es": "\u221226,7", "en": "\u221226.7"}[lang]
    assert rows["incidents"]["axis_label"] == AXIS_LABELS["position"][lang]
    assert rows["service"]["side_label"] == {"es": "Menos peso", "en": "Less weight"}[lang]


def test_weight_changes_per_criterion_grouped_by_axis(comparison: Comparison) -> None:
    spec = weight_change_chart(comparison, lang="en").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["criterion_id"] for r in rows] == ["volume", "growth", "service", "incidents"]
    assert [r["share_change"] for r in rows] == pytest.approx([0, 0, 40 - 200 / 3, 60 - 100 / 3])
    assert spec["facet"]["row"]["field"] == "axis_label"
    bars = unit(spec, WEIGHT_LAYER)
    assert bars["encoding"]["x"]["field"] == "share_change" and bars["encoding"]["x2"] == {"datum": 0}
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain[0] == -domain[1] and domain[1] > 26.7  # symmetric around zero, room for the labels


def test_no_movers_draws_an_empty_matrix(engagement: kamlib.Engagement) -> None:
    spec = quadrant_moves_chart(compare_scenarios(engagement, None, None), lang="es").to_dict()
    assert values(spec, unit(spec, ARROW_LAYER)) == [] and values(spec, unit(spec, ARROWHEAD_LAYER)) == []
    assert spec["title"]["subtitle"][0].startswith("ninguna de 4 cuentas cambia de cuadrante")


def test_bad_options_are_refused(comparison: Comparison) -> None:
    with pytest.raises(ValueError, match=r"label_top must be a non-negative integer; got -1"):
        quadrant_moves_chart(comparison, label_top=-1)
    with pytest.raises(ValueError, match=r"lang must be one of 'es', 'en'; got 'fr'"):
        weight_change_chart(comparison, lang="fr")


def test_names_stay_text_in_the_svg(comparison: Comparison, tmp_path: Path) -> None:
    spec = quadrant_moves_chart(comparison, lang="es").to_dict()
    labels = [r["name"] for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER) for r in values(spec, u)]
    assert labels == [XSS]
    svg = save_chart(quadrant_moves_chart(comparison, lang="es"), tmp_path / "moves.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg and "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in svg
