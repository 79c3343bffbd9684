"""The live matrix's Vega-Lite spec: fed by named datasets, cut lines as params, tooltips that explain."""

import pytest

from kamlib.charts.live_matrix import ACCOUNTS_DATA, CUT_PARAMS, LABELS_DATA, live_matrix_spec


def layers(spec):
    return {layer["name"]: layer for layer in spec["layer"]}


@pytest.mark.parametrize(
    ("lang", "title", "strongest"),
    [
        ("es", "Matriz de análisis de cuentas", "Criterios más fuertes"),
        ("en", "Account analysis matrix", "Strongest criteria"),
    ],
)
def test_spec_is_fed_by_the_browser_in_either_language(lang, title, strongest):
    spec = live_matrix_spec(lang, "Revenue", {"potential": 6.0, "position": 4.5})
    assert spec["title"]["text"] == title
    assert {p["name"]: p["value"] for p in spec["params"]} == {"cut_potential": 6.0, "cut_position": 4.5}
    by_name = layers(spec)
    assert by_name["accounts"]["data"] == {"name": ACCOUNTS_DATA}
    assert by_name["account_names_left"]["data"] == {"name": LABELS_DATA}
    tooltip = {t["field"]: t["title"] for t in by_name["accounts"]["encoding"]["tooltip"]}
    assert {"name", "potential", "position", "strategy", "strong", "weak", "size_value"} == set(tooltip)
    assert tooltip["strong"] == strongest
    assert by_name["accounts"]["encoding"]["size"]["scale"]["domain"] == [0, 1.0]  # the browser sends shares
    rule = by_name["position_cut"]["transform"][0]
    assert rule["calculate"] == CUT_PARAMS["position"]
    assert spec["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        live_matrix_spec("fr", "Revenue", {"potential": 5.0, "position": 5.0})
