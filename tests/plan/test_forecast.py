"""Where the accounts will be (`kamlib.plan.forecast`, McDonald's directional policy matrix): the forecast sheet's
rules, the forecast composites worked by hand, and the chart, views and slide that show them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import kamlib
from kamlib.charts.forecast import forecast_chart
from kamlib.errors import KamWarning, WorkbookError
from kamlib.plan.forecast import forecast
from kamlib.views.forecast import account_forecast_html, portfolio_forecast_html
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")
COLUMNS = ["account_id", "horizon", "case", "criterion_id", "score", "potential", "position"]
ROWS = [
    ("A1", "2029", "con plan", "growth", 10, None, None),
    ("A1", "2029", "sin plan", None, None, 4.0, None),
    ("A2", "2029", None, None, None, None, 4.0),
    ("A2", "2030", "with_plan", "service", 4, None, None),
]


def ahead(rows: list[tuple] = ROWS, name: str | None = None) -> kamlib.Engagement:
    tiny = kamlib.load(TINY)
    frames = {sheet: getattr(tiny, sheet) for sheet in SHEETS}
    if name is not None:
        frames["accounts"] = frames["accounts"].replace({"Supermercados Peñíscola": name})
    frames["forecasts"] = pd.DataFrame(rows, columns=COLUMNS)
    return kamlib.Engagement.from_frames(frames, "tiny")


def test_the_forecast_composites_worked_by_hand() -> None:
    engagement = ahead()
    scored = kamlib.score_scenario(engagement)
    points = forecast(engagement, scored).points
    assert points[["account_id", "horizon", "case"]].values.tolist() == [
        ["A1", "2029", "with_plan"], ["A2", "2029", "with_plan"], ["A1", "2029", "without_plan"],
        ["A2", "2030", "with_plan"]]  # fmt: skip
    rows = points.set_index(["account_id", "horizon", "case"])
    # A1 today: potential 10·(3·8/9 + 1·6/9)/4 = 8.3333, position 8.3333 (invest); growth 10 with the plan: 9.1667
    assert rows.loc[("A1", "2029", "with_plan"), "potential"] == pytest.approx(110 / 12)
    assert rows.loc[("A1", "2029", "with_plan"), "position"] == pytest.approx(25 / 3)
    assert rows.loc[("A1", "2029", "with_plan"), ["quadrant", "moved"]].tolist() == ["invest", False]
    # without the plan its potential is forecast outright at 4: maintain; its position stays as today
    assert rows.loc[("A1", "2029", "without_plan"), ["potential", "quadrant", "moved"]].tolist() == [4.0, "maintain",
                                                                                                      True]  # fmt: skip
    # A2 today: position 10·(2·1/5 + 1·(1 − 12/20))/3 = 2.6667 (selective); service 4 by 2030: 10·(2·4/5 + 0.4)/3
    assert rows.loc[("A2", "2030", "with_plan"), "position"] == pytest.approx(20 / 3)
    assert rows.loc[("A2", "2030", "with_plan"), ["today_quadrant", "quadrant"]].tolist() == ["selective", "invest"]
    assert rows.loc[("A2", "2029", "with_plan"), ["position", "quadrant"]].tolist() == [4.0, "selective"]
    fc = forecast(engagement, scored)
    assert fc.horizons == ["2029", "2030"] and fc.at()["horizon"].unique().tolist() == ["2030"]
    assert fc.summary("en", "2029") == (
        "By 2029, 2 accounts with a forecast; changes of strategy with our plan: 0; without it: 1 (1 → Maintain). "
        "Other horizons forecast: 2030."
    )
    assert fc.summary("es") == (
        "A 2030, 1 cuenta con pronóstico; cambios de estrategia con nuestro plan: 1 (1 → Invertir). Otros "
        "horizontes pronosticados: 2029."
    )
    table = fc.table("en", "2029")
    assert table.columns.tolist() == ["Account", "Today", "With our plan", "Without our plan"]
    assert table.fillna("—").values.tolist() == [
        ["Supermercados Peñíscola", "Invest", "Invest", "Maintain"],
        ["Hoteles Mirasol", "Selective investment", "Selective investment", "—"],
    ]
    assert fc.account_lines("A1", "es") == [
        "A 2029, con nuestro plan: Invertir (potencial 9,2, posición 8,3).",
        "A 2029, sin nuestro plan: Mantener (potencial 4,0, posición 8,3).",
    ]
    assert fc.account_lines("A3", "es") == []


def test_what_is_not_forecast_stays_exactly_as_today_whoever_places_it(tmp_path: Path) -> None:
    tiny = kamlib.load(TINY)
    frames = {sheet: getattr(tiny, sheet) for sheet in SHEETS}
    theirs = pd.DataFrame([("A1", "service", 1, "Compras", "2026-H1", "customer")],
                          columns=["account_id", "criterion_id", "score", "assessor", "period", "side"])  # fmt: skip
    frames["scores"] = pd.concat([frames["scores"].drop(columns="side"), theirs], ignore_index=True)
    frames["forecasts"] = pd.DataFrame([("A1", "2029", "with_plan", "volume", 1, None, None),
                                        ("A1", "2029", "without_plan", "incidents", 20, None, None)],
                                       columns=COLUMNS)  # fmt: skip
    engagement = kamlib.Engagement.from_frames(frames, "tiny")
    path = tmp_path / "cliente.yaml"
    path.write_text("name: c\nposition_by: customer\n", encoding="utf-8")
    with pytest.warns(KamWarning):
        scored = kamlib.score_scenario(engagement, path)
    today = scored.set_index("account_id").loc["A1"]
    points = forecast(engagement, scored).points.set_index("case")
    # with the plan only volume moves: the position stays the customer's view of today, service alone: 10·1/5
    assert points.loc["with_plan", "position"] == today["position"] == pytest.approx(2.0)
    assert points.loc["with_plan", "potential"] == pytest.approx(10 * (3 * 0 + 6 / 9) / 4)
    # without it, incidents reach 20: the customer's service (1 of 0–5) with no incident margin left, 10·(2·0.2)/3
    assert points.loc["without_plan", "position"] == pytest.approx(4 / 3)
    assert points.loc["without_plan", "potential"] == today["potential"]


def test_an_account_not_placed_today_is_new_not_moved() -> None:
    engagement = ahead([("A4", "2029", "with_plan", None, None, 7.0, 7.0)])
    scores = engagement.scores[~((engagement.scores["account_id"] == "A4") & (engagement.scores["criterion_id"].isin(
        ["service", "incidents"])))]  # fmt: skip
    frames = {sheet: getattr(engagement, sheet) for sheet in (*SHEETS, "forecasts")} | {"scores": scores}
    unplaced = kamlib.Engagement.from_frames(frames, "tiny")
    with pytest.warns(kamlib.UnplacedAccountsWarning):
        scored = kamlib.score_scenario(unplaced)
    fc = forecast(unplaced, scored)
    assert fc.points[["moved", "new", "quadrant"]].values.tolist() == [[False, True, "invest"]]
    assert fc.summary("en") == (
        "By 2029, 1 account with a forecast; changes of strategy with our plan: 0; placed for the first time: 1 "
        "account."
    )


def test_without_forecasts_nothing_is_drawn_or_said() -> None:
    tiny = kamlib.load(TINY)
    fc = forecast(tiny, kamlib.score_scenario(tiny))
    assert fc.points.empty and fc.horizons == [] and fc.table("es").empty
    assert fc.summary("en") == "No account has a forecast of where it will be."
    assert portfolio_forecast_html(fc, "es") == "" and account_forecast_html(fc, "A1", "es") == ""


def test_the_chart_and_the_pages_show_it_escaped() -> None:
    engagement = ahead(name="<b>Peñíscola</b> & Co")
    scored = kamlib.score_scenario(engagement)
    fc = forecast(engagement, scored)
    spec = forecast_chart(scored, fc, "es", "2029").to_dict()
    names = {layer.get("name") for layer in spec["layer"]}
    assert {"forecast_with_plan", "forecast_without_plan", "forecast_with_plan_ends", "accounts"} <= names
    assert spec["title"]["text"] == "Matriz de previsión a 2029"
    ends = spec["datasets"][next(la for la in spec["layer"] if la.get("name") == "forecast_without_plan_ends")["data"][
        "name"]]  # fmt: skip
    assert [(e["name"], e["potential_text"]) for e in ends] == [("<b>Peñíscola</b> & Co", "4,0")]
    page = portfolio_forecast_html(fc, "es", "2029")
    assert "&lt;b&gt;Peñíscola&lt;/b&gt; &amp; Co" in page and "<b>" not in page
    assert "Dónde estará la cuenta" in account_forecast_html(fc, "A1", "es")


def test_the_sample_forecasts_2029() -> None:
    engagement = kamlib.load()
    fc = forecast(engagement, kamlib.score_scenario(engagement))
    assert fc.horizons == ["2029"] and fc.points["account_id"].nunique() == 8
    moved = fc.points[fc.points["moved"]]
    assert sorted(moved.loc[moved["case"] == "with_plan", "account_id"]) == ["A003", "A008", "A013", "A045"]
    assert sorted(moved.loc[moved["case"] == "without_plan", "account_id"]) == ["A004", "A029"]


@pytest.mark.parametrize(
    ("row", "where", "what"),
    [
        ("A1,2029,,growth,,,", 'row 2, column "score"', "empty cell"),
        ("A1,2029,,growth,5,6,", 'row 2, column "potential"', "this row forecasts a criterion"),
        ("A1,2029,,,5,,", 'row 2, column "score"', "a score needs its criterion_id beside it"),
        ("A1,2029,,,,,", 'row 2, column "criterion_id"', "or potential and/or position (0–10) in a row of their own"),
        ("A1,2029,,growth,11,,", 'row 2, column "score"', 'got 11; allowed: 1 to 10 (criterion "growth")'),
        ("A1,2029,,,,11,", 'row 2, column "potential"', "a number from 0 to 10"),
        ("A1,2029,tal vez,,,5,", 'row 2, column "case"', "got 'tal vez'; allowed: with_plan, without_plan"),
        ("A9,2029,,,,5,", 'row 2, column "account_id"', "unknown account 'A9'"),
        ("A1,2029,,nope,5,,", 'row 2, column "criterion_id"', "unknown criterion 'nope'"),
    ],
)
def test_a_bad_forecast_row_gets_one_message(tmp_path: Path, row: str, where: str, what: str) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    (folder / "forecasts.csv").write_text(",".join(COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 1 and where in lines[0] and what in lines[0], lines


def test_a_forecast_said_twice_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    rows = ["A1,2029,,growth,5,,", "A1,2029,with_plan,growth,6,,", "A1,2029,sin plan,growth,6,,",
            "A2,2029,,,,5,", "A1, 2029 ,con plan,,,,6"]  # fmt: skip
    (folder / "forecasts.csv").write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 1, lines
    assert (
        'row 3, column "horizon"' in lines[0]
        and "forecast of growth for 2029 (with_plan) is already in row 2" in (lines[0])
    )


def test_a_composite_beside_criteria_of_its_axis_and_an_unreadable_score_are_said_once(tmp_path: Path) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    rows = ["A1,2029,,growth,8,,", "A1,2029,,,,7.5,", "A2,2029,,growth,abc,,", "A2,2029,,,,,6"]
    (folder / "forecasts.csv").write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 2, lines
    assert 'row 3, column "potential": got 7.5; allowed: empty: row 2 forecasts a criterion of potential' in lines[0]
    assert "row 4, column \"score\": got 'abc'" in lines[1]


def test_the_chart_draws_the_largest_accounts_and_says_how_many_it_leaves_out() -> None:
    engagement = ahead()
    scored = kamlib.score_scenario(engagement)
    spec = forecast_chart(scored, forecast(engagement, scored), "en", "2029", limit=1).to_dict()
    drawn = {r["name"] for la in spec["layer"] if la.get("name", "").startswith("forecast_")
             for r in spec["datasets"][la["data"]["name"]]}  # fmt: skip
    assert drawn == {"Supermercados Peñíscola"}  # A1, 2.5 M, before A2, 640 k
    assert spec["title"]["subtitle"][-1] == "the largest by revenue are shown: 1 more are not"
