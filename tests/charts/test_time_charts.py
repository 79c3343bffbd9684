"""The time-allocation charts' specs (profile, gap, strategy time), in both languages, and their export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.charts import theme
from kamlib.charts.export import chart_spec
from kamlib.charts.time import (
    ACTIVITY_COLOURS,
    GAP_LAYER,
    PROFILE_LAYER,
    STRATEGY_BAND_LAYER,
    STRATEGY_LAYER,
    save_time_charts,
    strategy_time_chart,
    time_gap_chart,
    time_profile_chart,
)
from kamlib.errors import KamError
from kamlib.method import ACTIVITIES, ACTIVITY_LABELS, QUADRANTS, REFERENCE_PROFILE, STRATEGY_NAMES
from kamlib.timealloc import TimeAllocation, allocate_time
from tests.charts.specs import unit

SHEETS = ("accounts", "criteria", "scores", "kams")


@pytest.fixture(scope="module")
def engagement(sample_path: Path) -> kamlib.Engagement:
    return kamlib.load(sample_path)


@pytest.fixture(scope="module")
def alloc(engagement: kamlib.Engagement) -> TimeAllocation:
    return allocate_time(engagement)


@pytest.fixture(scope="module")
def survey(engagement: kamlib.Engagement) -> TimeAllocation:
    """The sample's KAMs stating their time in a survey: the reference, some moving 4 points from other to selling."""
    rows = [
        {
            "kam_id": kam,
            "activity": activity,
            "percent": REFERENCE_PROFILE[activity] + {"selling": 4, "other": -4}.get(activity, 0) * (i % 2),
            "period": "2025",
            "account_id": None,
        }
        for i, kam in enumerate(engagement.kams["kam_id"])
        for activity in ACTIVITIES
    ]
    frames = {name: getattr(engagement, name) for name in SHEETS}
    survey = kamlib.Engagement.from_frames({**frames, "time": pd.DataFrame(rows)})
    assert survey.time_unit == "percent"
    return allocate_time(survey)


def values(spec: dict[str, Any], data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the chart's top-level data (or of `data`), inline or from the top-level datasets."""
    data = spec["data"] if data is None else data
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def by_row(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["row"], []).append(r)
    return grouped


# --- the profile -----------------------------------------------------------------------------------


def test_profile_has_a_bar_per_kam_plus_team_and_reference_first(alloc: TimeAllocation) -> None:
    spec = chart_spec(time_profile_chart(alloc, lang="en"))
    rows = by_row(values(spec))
    names = alloc.kams["kam_name"].tolist()
    assert list(rows) == ["Method reference", "Team", *names]
    domain = unit(spec, PROFILE_LAYER)["encoding"]["y"]["scale"]["domain"]
    assert domain[:2] == ["Method reference", "Team"] and domain[3:] == names  # an empty row sets them apart
    for label, segments in rows.items():
        assert [s["activity"] for s in segments] == list(ACTIVITIES), label
        assert sum(s["share"] for s in segments) == pytest.approx(100.0), label
        assert segments[-1]["end"] == pytest.approx(100.0) and segments[0]["start"] == 0
    reference = [s["share"] for s in rows["Method reference"]]
    np.testing.assert_allclose(reference, alloc.reference.profile())
    team = alloc.activities[alloc.activities["scope"] == "team"]
    np.testing.assert_allclose([s["share"] for s in rows["Team"]], team["share"])
    np.testing.assert_allclose([s["gap_pp"] for s in rows["Team"]], team["gap_pp"])


@pytest.mark.parametrize(("lang", "other"), [("es", "en"), ("en", "es")])
def test_profile_speaks_one_language(alloc: TimeAllocation, lang: str, other: str) -> None:
    spec = chart_spec(time_profile_chart(alloc, lang=lang))
    colour = unit(spec, PROFILE_LAYER)["encoding"]["color"]
    selling = {"es": "Vender", "en": "Selling"}
    assert selling[lang] in colour["legend"]["labelExpr"]
    assert selling[other] not in json.dumps(spec, ensure_ascii=False)
    assert {r["activity_label"] for r in values(spec)} == {ACTIVITY_LABELS[a][lang] for a in ACTIVITIES}
    assert colour["legend"]["title"] == {"es": "Actividad", "en": "Activity"}[lang]
    assert {"es": "Referencia del método", "en": "Method reference"}[lang] in {r["row"] for r in values(spec)}
    assert spec["title"]["text"] == {"es": "En qué emplean su tiempo los KAM", "en": "Where the KAMs' time goes"}[lang]
    assert spec["usermeta"]["lang"] == lang


def test_profile_colours_are_nine_distinct_in_method_order(alloc: TimeAllocation) -> None:
    colour = unit(chart_spec(time_profile_chart(alloc)), PROFILE_LAYER)["encoding"]["color"]
    assert colour["field"] == "activity"
    assert colour["scale"]["domain"] == list(ACTIVITIES)
    assert colour["scale"]["range"] == [ACTIVITY_COLOURS[a] for a in ACTIVITIES]
    assert len({c.lower() for c in colour["scale"]["range"]}) == 9


def test_profile_tooltip_and_subtitle_follow_the_unit(alloc: TimeAllocation, survey: TimeAllocation) -> None:
    logged = chart_spec(time_profile_chart(alloc))
    tooltip = {t["field"]: t for t in unit(logged, PROFILE_LAYER)["encoding"]["tooltip"]}
    assert list(tooltip) == ["row", "activity_label", "share", "hours", "reference", "gap_pp"]
    assert tooltip["share"]["format"] == ".1f" and tooltip["gap_pp"]["format"] == "+.1f"
    assert "hours logged" in logged["title"]["subtitle"][0]
    stated = chart_spec(time_profile_chart(survey, lang="es"))
    assert "hours" not in [t["field"] for t in unit(stated, PROFILE_LAYER)["encoding"]["tooltip"]]
    assert "porcentajes declarados" in stated["title"]["subtitle"][0]
    assert stated["usermeta"]["embedOptions"]["formatLocale"]["decimal"] == ","


def test_profile_leaves_out_a_kam_without_time(engagement: kamlib.Engagement) -> None:
    frames = {name: getattr(engagement, name) for name in SHEETS}
    quiet = engagement.time[engagement.time["kam_id"] != "K07"]
    alloc = allocate_time(kamlib.Engagement.from_frames({**frames, "time": quiet}))
    spec = chart_spec(time_profile_chart(alloc))
    rows = by_row(values(spec))
    assert "Marta Gómez Villaseñor" not in rows and len(rows) == 2 + 6
    assert all(r["share"] is not None for r in values(spec))
    assert spec["title"]["subtitle"][-1] == "no time recorded, not shown: Marta Gómez Villaseñor"


# --- the gap ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kam_id", [None, "K02"])
def test_gap_values_are_the_scope_gaps(alloc: TimeAllocation, kam_id: str | None) -> None:
    spec = chart_spec(time_gap_chart(alloc, kam_id=kam_id))
    activities = alloc.activities
    scope = activities[activities["kam_id"] == kam_id] if kam_id else activities[activities["scope"] == "team"]
    rows = values(spec)
    assert [r["activity"] for r in rows] == list(ACTIVITIES)
    np.testing.assert_allclose([r["gap_pp"] for r in rows], scope["gap_pp"])
    for r in rows:
        assert r["side"] == ("below" if r["gap_pp"] < 0 else "above")
        assert r["text"] == ("−" if r["gap_pp"] < 0 else "+") + f"{abs(r['gap_pp']):.1f}"
    layer = unit(spec, GAP_LAYER)
    assert layer["encoding"]["y"]["sort"] == list(ACTIVITIES)
    assert layer["encoding"]["color"]["scale"]["domain"] == ["Below the method", "Above the method"]
    limit = layer["encoding"]["x"]["scale"]["domain"][1]
    assert layer["encoding"]["x"]["scale"]["domain"][0] == -limit and limit > max(abs(r["gap_pp"]) for r in rows)
    assert values(spec, unit(spec, "zero_rule")["data"]) == [{"zero": 0}]
    who = "Team" if kam_id is None else "Javier Sanz Ibáñez (K02)"
    assert spec["title"]["text"] == f"Gap to the method's reference: {who}"


def test_gap_in_spanish_writes_decimal_commas(alloc: TimeAllocation) -> None:
    spec = chart_spec(time_gap_chart(alloc, lang="es", kam_id="K02"))
    texts = {r["activity"]: r["text"] for r in values(spec)}
    assert texts["problem_solving"] == "+14,6" and texts["relationships"] == "−9,1"
    assert "Solucionar problemas" in unit(spec, GAP_LAYER)["encoding"]["y"]["axis"]["labelExpr"]
    assert spec["title"]["text"] == "Diferencia con la referencia del método: Javier Sanz Ibáñez (K02)"


def test_gap_of_an_unknown_kam_names_the_known_ones(alloc: TimeAllocation) -> None:
    with pytest.raises(KamError, match=r"unknown KAM 'K99'; known: K01, K02, K03, K04, K05, K06, K07"):
        time_gap_chart(alloc, kam_id="K99")


# --- the strategies --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_strategy_has_the_four_quadrant_panels(alloc: TimeAllocation, lang: str) -> None:
    spec = chart_spec(strategy_time_chart(alloc, lang=lang))
    names = [STRATEGY_NAMES[q][lang] for q in QUADRANTS]
    assert spec["facet"]["column"]["field"] == "strategy"
    assert spec["facet"]["column"]["sort"] == names
    rows = values(spec)
    assert sorted({r["strategy"] for r in rows}) == sorted(names)
    assert {r["quadrant"] for r in rows} == set(QUADRANTS)  # the sample logs no hours on unplaced accounts
    assert len(rows) == 4 * len(alloc.kams)
    for r in rows:
        assert r["colour"].upper() == theme.QUADRANT_COLOURS[r["quadrant"]] or not r["flagged"]
    band = unit(spec, STRATEGY_BAND_LAYER)["encoding"]
    assert (band["x"]["field"], band["x2"]["field"]) == ("target_min", "target_max")
    tooltip = [t["field"] for t in unit(spec, STRATEGY_LAYER)["encoding"]["tooltip"]]
    assert tooltip == ["kam", "strategy", "share", "hours", "accounts", "target", "status_label"]
    status = {"es": {"ok": "dentro", "above": "por encima"}, "en": {"ok": "ok", "above": "above"}}[lang]
    assert {r["status"]: r["status_label"] for r in rows if r["status"] in status} == status


def test_strategy_marks_rows_outside_their_target(alloc: TimeAllocation) -> None:
    spec = chart_spec(strategy_time_chart(alloc))
    rows = values(spec)
    strategy = alloc.strategy
    np.testing.assert_allclose([r["share"] for r in rows], strategy["share"])
    flagged = [r for r in rows if r["flagged"]]
    assert {(r["kam_id"], r["quadrant"]) for r in flagged} == set(
        strategy.loc[strategy["status"].isin(["above", "below"]), ["kam_id", "quadrant"]].itertuples(index=False)
    )
    assert flagged and len(flagged) < len(rows)
    assert all(r["text"].startswith("⚠ ") for r in flagged)
    assert not any("⚠" in r["text"] for r in rows if not r["flagged"])
    # In a quadrant, a flagged bar is filled differently from an ok one, and outlined.
    selective = {r["flagged"]: r["colour"] for r in rows if r["quadrant"] == "selective"}
    assert selective[True] != selective[False]
    encoding = unit(spec, STRATEGY_LAYER)["encoding"]
    assert encoding["stroke"]["condition"]["test"] == "datum.flagged"
    assert encoding["strokeWidth"]["condition"]["value"] > 0 and encoding["strokeWidth"]["value"] == 0


def test_strategy_shows_unplaced_accounts_only_when_hours_went_there(engagement: kamlib.Engagement) -> None:
    position = engagement.criteria.loc[engagement.criteria["axis"] == "position", "criterion_id"]
    scores = engagement.scores
    unscored = scores[~((scores["account_id"] == "A001") & scores["criterion_id"].isin(position))]
    frames = {name: getattr(engagement, name) for name in (*SHEETS, "time")}
    alloc = allocate_time(kamlib.Engagement.from_frames({**frames, "scores": unscored}))
    assert alloc.strategy.loc[alloc.strategy["quadrant"] == "unplaced", "hours"].sum() > 0
    for lang, label in (("es", "Fuera de la matriz"), ("en", "Not in the matrix")):
        spec = chart_spec(strategy_time_chart(alloc, lang=lang))
        assert spec["facet"]["column"]["sort"][-1] == label
        unplaced = [r for r in values(spec) if r["quadrant"] == "unplaced"]
        assert unplaced and all(r["target"] == "—" and not r["flagged"] for r in unplaced)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "each hour in its account's quadrant as scored for its period (rounds 2025-H2, 2026-H1)"),
        ("es", "cada hora en el cuadrante de su cuenta según las puntuaciones de su periodo (rondas 2025-H2, 2026-H1)"),
    ],
)
def test_strategy_says_which_score_rounds_placed_the_hours(alloc: TimeAllocation, lang: str, line: str) -> None:
    assert alloc.rounds == ("2025-H2", "2026-H1")  # 2025's hours: the first matrix that places each account
    assert chart_spec(strategy_time_chart(alloc, lang=lang))["title"]["subtitle"][1] == line


@pytest.mark.parametrize("lang", ["es", "en"])
def test_strategy_of_a_survey_says_there_is_no_account_time(survey: TimeAllocation, lang: str) -> None:
    assert survey.strategy.empty
    spec = chart_spec(strategy_time_chart(survey, lang=lang))
    words = {"es": "una encuesta no tiene tiempo por cuenta", "en": "a survey has no account time"}
    assert words[lang] in spec["title"]["text"]


# --- languages and files ---------------------------------------------------------------------------


@pytest.mark.parametrize("builder", [time_profile_chart, time_gap_chart, strategy_time_chart])
def test_every_chart_rejects_another_language(alloc: TimeAllocation, builder) -> None:
    with pytest.raises(ValueError, match="lang must be one of 'es', 'en'; got 'fr'"):
        builder(alloc, lang="fr")


def test_specs_embed_their_data_and_load_nothing(alloc: TimeAllocation) -> None:
    for chart in (time_profile_chart(alloc), time_gap_chart(alloc), strategy_time_chart(alloc)):
        text = json.dumps({k: v for k, v in chart_spec(chart).items() if k != "$schema"})
        assert '"url"' not in text and "http" not in text


def test_save_time_charts_writes_svg_and_png(alloc: TimeAllocation, tmp_path: Path) -> None:
    paths = save_time_charts(alloc, tmp_path / "out", lang="en")
    names = ["time_profile", "time_gap", "strategy_time"]
    assert [p.name for p in paths] == [f"{n}{s}" for n in names for s in (".svg", ".png")]
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".png":
            assert data.startswith(b"\x89PNG")
        else:
            svg = data.decode("utf-8")
            assert "<svg" in svg
    assert "Selling" in paths[0].read_text(encoding="utf-8")  # the profile's legend
    assert "Selling" in paths[2].read_text(encoding="utf-8")  # the gap's axis
    assert "Selective investment" in paths[4].read_text(encoding="utf-8")


def test_save_time_charts_rejects_an_unknown_format(alloc: TimeAllocation, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"formats must be some of \.html, \.svg, \.png, \.json; got \['\.pdf'\]"):
        save_time_charts(alloc, tmp_path, formats=(".pdf",))
    assert list(tmp_path.iterdir()) == []


def test_an_edited_reference_is_not_called_the_methods(engagement: kamlib.Engagement) -> None:
    from kamlib.timealloc import allocate_time
    from kamlib.timeref import TimeReference

    edited = allocate_time(engagement, TimeReference(reference={"selling": 20, "other": 0}))
    datasets = chart_spec(time_profile_chart(edited, "en"))["datasets"].values()
    rows = {record["row"] for records in datasets for record in records}
    assert "Engagement reference" in rows and "Method reference" not in rows


def test_static_chart_is_svg_with_names_as_escaped_text(engagement: kamlib.Engagement) -> None:
    from kamlib.charts.export import StaticChart
    from kamlib.charts.matrix import matrix_chart

    scored = kamlib.score_accounts(engagement)
    scored.loc[0, "name"] = "<script>window.__kam_xss=1</script>"
    shown = StaticChart(matrix_chart(scored, lang="es", label_top=48))._repr_mimebundle_()
    svg = shown["image/svg+xml"]
    assert shown["text/plain"] == "Matriz de análisis de cuentas"  # what a text-only frontend shows
    assert svg.startswith("<svg") and "Invertir" in svg
    assert "<script>" not in svg and "&lt;script&gt;window.__kam_xss" in svg
