"""The account report's charts (the account in the matrix, its criterion profile): specs in both languages, PNG."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.charts import save_chart, theme
from kamlib.charts.account import (
    ACCOUNT_LAYER,
    BAND_LAYER,
    FADED_COLOUR,
    MEDIAN_LAYER,
    NOT_SCORED_LAYER,
    OTHERS_LAYER,
    RING_LAYER,
    SCORE_LAYER,
    VALUE_LAYER,
    account_matrix_chart,
    criterion_profile_chart,
)
from kamlib.charts.export import chart_spec
from kamlib.charts.matrix import NAME_LABEL_LAYER
from kamlib.errors import KamError
from kamlib.method import AXIS_LABELS, STRATEGY_NAMES
from kamlib.plan.account import AccountPlan, account_plan
from tests.charts.specs import unit, units

SHEETS = ("accounts", "criteria", "scores", "kams", "time")


@pytest.fixture(scope="module")
def scored(tiny: kamlib.Engagement) -> pd.DataFrame:
    return kamlib.score_accounts(tiny)


@pytest.fixture(scope="module")
def gaps(tiny: kamlib.Engagement) -> tuple[kamlib.Engagement, pd.DataFrame]:
    """tiny without A4's position scores (A4 unplaced) and without A1's growth score."""
    scores = tiny.scores
    position = tiny.criteria.loc[tiny.criteria["axis"] == "position", "criterion_id"]
    drop = ((scores["account_id"] == "A4") & scores["criterion_id"].isin(position)) | (
        (scores["account_id"] == "A1") & (scores["criterion_id"] == "growth")
    )
    engagement = kamlib.Engagement.from_frames(
        {**{name: getattr(tiny, name) for name in SHEETS}, "scores": scores[~drop]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kamlib.UnplacedAccountsWarning)
        return engagement, kamlib.score_accounts(engagement)


def rows(spec: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a data reference: inline, or from the top-level datasets."""
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def names(spec: dict[str, Any]) -> list[str]:
    return [u.get("name", "") for u in units(spec)]


# --- the account in the matrix ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_account_is_highlighted_and_the_others_faded(scored: pd.DataFrame, lang: str) -> None:
    spec = chart_spec(account_matrix_chart(scored, "A2", lang))
    account, others = unit(spec, ACCOUNT_LAYER), unit(spec, OTHERS_LAYER)
    points = rows(spec, account["data"])
    assert rows(spec, others["data"]) == points  # one data set, split by the flag
    flagged = {p["account_id"]: p["highlight"] for p in points}
    assert flagged == {"A1": False, "A2": True, "A3": False, "A4": False}
    (a2,) = [p for p in points if p["highlight"]]
    assert (a2["name"], a2["quadrant"], a2["strategy"]) == (
        "Hoteles Mirasol",
        "selective",
        STRATEGY_NAMES["selective"][lang],
    )
    assert account["transform"] == [{"filter": "datum.highlight"}]
    assert others["transform"] == [{"filter": "!datum.highlight"}]
    # The account in its quadrant's colour, large; the others grey and small; a ring in the quadrant's dark shade.
    assert account["encoding"]["color"]["field"] == "quadrant"
    assert account["encoding"]["size"]["value"] > 10 * others["encoding"]["size"]["value"]
    assert others["encoding"]["color"] == {"value": FADED_COLOUR}
    assert unit(spec, RING_LAYER)["mark"]["color"] == theme.QUADRANT_TEXT_COLOURS["selective"]
    # Only the account is named beside its bubble.
    labelled = [
        r["name"] for u in units(spec) if u.get("name", "").startswith(NAME_LABEL_LAYER) for r in rows(spec, u["data"])
    ]
    assert labelled == ["Hoteles Mirasol"]
    # Quadrant shading and cut lines as in the matrix chart.
    assert {"quadrant_shading", "potential_cut", "position_cut"} <= set(names(spec))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_matrix_words_follow_the_language(scored: pd.DataFrame, lang: str) -> None:
    spec = chart_spec(account_matrix_chart(scored, "A1", lang))
    title = {
        "es": "Supermercados Peñíscola (A1) en la matriz de cuentas",
        "en": "Supermercados Peñíscola (A1) in the account matrix",
    }
    assert spec["title"]["text"] == title[lang]
    # A1: potential 10 × (3·8/9 + 6/9) / 4 = 8.33; position 10 × (2·4/5 + 0.9) / 3 = 8.33.
    subtitle = {"es": "Invertir · potencial 8,3 · posición 8,3", "en": "Invest · potential 8.3 · position 8.3"}
    assert spec["title"]["subtitle"][0] == subtitle[lang]
    assert spec["usermeta"] == {"embedOptions": theme.locale_options(lang), "lang": lang}
    axis = unit(spec, ACCOUNT_LAYER)["encoding"]["x"]["axis"]["title"]
    assert axis == AXIS_LABELS["position"][lang]
    other = "en" if lang == "es" else "es"
    assert STRATEGY_NAMES["selective"][other] not in json.dumps(spec, ensure_ascii=False)


def test_an_unplaced_account_gets_a_title_instead_of_a_place(gaps) -> None:
    _, scored = gaps
    spec = chart_spec(account_matrix_chart(scored, "A4", "es"))
    assert spec["title"]["text"] == "Épicerie Lumière (A4): sin lugar en la matriz"
    assert spec["title"]["subtitle"][0] == "falta puntuación con peso en: Posición como proveedor"
    assert ACCOUNT_LAYER not in names(spec) and RING_LAYER not in names(spec)
    others = rows(spec, unit(spec, OTHERS_LAYER)["data"])
    assert {p["account_id"] for p in others} == {"A1", "A2", "A3"} and not any(p["highlight"] for p in others)
    english = chart_spec(account_matrix_chart(scored, "A4", "en"))
    assert english["title"]["text"] == "Épicerie Lumière (A4): no place in the matrix"


def test_an_unknown_account_is_refused(scored: pd.DataFrame) -> None:
    with pytest.raises(KamError, match=r"unknown account 'A9'; known: A1, A2, A3, A4"):
        account_matrix_chart(scored, "A9")
    with pytest.raises(ValueError, match="lang must be one of 'es', 'en'; got 'fr'"):
        account_matrix_chart(scored, "A1", lang="fr")


# --- the criterion profile -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan(tiny: kamlib.Engagement, scored: pd.DataFrame) -> AccountPlan:
    return account_plan(tiny, scored, "A3")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_profile_rows_are_the_plans_criteria(plan: AccountPlan, lang: str) -> None:
    spec = chart_spec(criterion_profile_chart(plan, lang))
    data = rows(spec, spec["data"])
    assert [r["criterion_id"] for r in data] == ["volume", "growth", "service", "incidents"]
    labels = {
        "es": ["Volumen de negocio", "Crecimiento", "Nivel de servicio", "Incidencias"],
        "en": ["Business volume", "Growth", "Service level", "Service incidents"],
    }
    assert [r["label"] for r in data] == labels[lang]
    assert [r["axis_label"] for r in data] == [AXIS_LABELS[a][lang] for a in ("potential",) * 2 + ("position",) * 2]
    np.testing.assert_allclose([r["normalised"] for r in data], plan.criteria["normalised"])
    np.testing.assert_allclose([r["median"] for r in data], plan.criteria["median"])
    # A3's incidents: 1 on a 0–20 scale where lower is better → 9.5.
    incidents = data[-1]
    text = {"es": ("1 (escala 0–20, menos es mejor)", "9,5"), "en": ("1 (scale 0–20, lower is better)", "9.5")}
    assert (incidents["score_text"], incidents["value_text"]) == text[lang]
    assert spec["facet"]["row"]["field"] == "axis_label"
    assert spec["facet"]["row"]["sort"] == [AXIS_LABELS["potential"][lang], AXIS_LABELS["position"][lang]]
    assert spec["resolve"]["scale"]["y"] == "independent"
    title = {
        "es": "Distribuciones Cantábrico (A3): perfil por criterio",
        "en": "Distribuciones Cantábrico (A3): criterion profile",
    }
    assert spec["title"]["text"] == title[lang]
    other = "en" if lang == "es" else "es"
    assert labels[other][0] not in json.dumps(spec, ensure_ascii=False)


def test_profile_marks_and_tooltip(plan: AccountPlan) -> None:
    spec = chart_spec(criterion_profile_chart(plan, "en"))
    band = unit(spec, BAND_LAYER)["encoding"]
    assert (band["x"]["field"], band["x2"]["field"]) == ("p25", "p75")
    assert band["x"]["scale"]["domain"] == [0, 10]
    assert unit(spec, MEDIAN_LAYER)["encoding"]["x"]["field"] == "median"
    score = unit(spec, SCORE_LAYER)
    assert score["encoding"]["x"]["field"] == "normalised"
    assert score["mark"]["color"] == theme.QUADRANT_COLOURS["maintain"]
    tooltip = [t["field"] for t in score["encoding"]["tooltip"]]
    assert tooltip == ["label", "score_text", "normalised", "median", "middle", "weight_share"]


@pytest.mark.parametrize(("lang", "words"), [("es", "sin puntuar"), ("en", "not scored")])
def test_unscored_criteria_say_so(gaps, lang: str, words: str) -> None:
    engagement, scored = gaps
    spec = chart_spec(criterion_profile_chart(account_plan(engagement, scored, "A1"), lang))
    growth = {r["criterion_id"]: r for r in rows(spec, spec["data"])}["growth"]
    assert (growth["scored"], growth["value_text"], growth["score_text"]) == (False, words, words)
    assert growth["normalised"] is None
    assert unit(spec, NOT_SCORED_LAYER)["transform"] == [{"filter": "!datum.scored"}]
    assert unit(spec, VALUE_LAYER)["transform"] == [{"filter": "datum.scored"}]


def test_an_unplaced_accounts_profile_has_a_grey_dot(gaps) -> None:
    engagement, scored = gaps
    spec = chart_spec(criterion_profile_chart(account_plan(engagement, scored, "A4"), "es"))
    assert unit(spec, SCORE_LAYER)["mark"]["color"] not in theme.QUADRANT_COLOURS.values()
    assert [r["value_text"] for r in rows(spec, spec["data"])][2:] == ["sin puntuar", "sin puntuar"]


# --- files -----------------------------------------------------------------------------------------


def test_both_charts_save_as_png(scored: pd.DataFrame, plan: AccountPlan, tmp_path: Path) -> None:
    for chart, name in (
        (account_matrix_chart(scored, "A3", "es"), "matrix"),
        (criterion_profile_chart(plan, "en"), "profile"),
    ):
        data = save_chart(chart, tmp_path / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        assert width >= 2 * 600  # PNGs are written at twice the size


def test_specs_embed_their_data_and_load_nothing(scored: pd.DataFrame, plan: AccountPlan) -> None:
    for chart in (account_matrix_chart(scored, "A1"), criterion_profile_chart(plan)):
        text = json.dumps({k: v for k, v in chart_spec(chart).items() if k != "$schema"})
        assert '"url"' not in text and "http" not in text
