"""Our position as the customer sees it (`scores.side = customer`, `kamlib.plan.customer_view`): the second
composite, the gaps, where they show, and the setting that lets the customer's view place the accounts."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kamlib
from kamlib.charts import matrix_chart
from kamlib.charts.account import account_matrix_chart
from kamlib.errors import KamError, KamWarning, WorkbookError
from kamlib.plan.customer_view import customer_view
from kamlib.scenarios.robustness import robustness
from kamlib.scenarios.scenario import Scenario, load_scenario, save_scenario
from kamlib.views.customer_view import account_customer_html, portfolio_customer_html
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")
THEIRS = [  # A1: service 2 of 0–5 and 10 incidents of 0–20; A3: service 5 only
    ("A1", "service", 2, "Compras A1", "2026-H1", "customer"),
    ("A1", "incidents", 10, "Compras A1", "2026-H1", "cliente"),
    ("A3", "service", 5, "Encuesta", "2026-H1", "Customer"),
]


def surveyed(extra: list[tuple] | None = None) -> kamlib.Engagement:
    """The tiny engagement with the customer's scores of `THEIRS` (and `extra` rows) in its scores sheet."""
    tiny = kamlib.load(TINY)
    frames = {name: getattr(tiny, name) for name in SHEETS}
    columns = ["account_id", "criterion_id", "score", "assessor", "period", "side"]
    theirs = pd.DataFrame([*THEIRS, *(extra or [])], columns=columns)
    frames["scores"] = pd.concat([frames["scores"].drop(columns="side"), theirs], ignore_index=True)
    return kamlib.Engagement.from_frames(frames, "tiny")


def test_the_customers_scores_are_kept_apart_and_do_not_place_the_accounts() -> None:
    engagement = surveyed()
    tiny = kamlib.load(TINY)
    assert len(engagement.customer_scores) == 3 and (engagement.customer_scores["side"] == "customer").all()
    assert engagement.scores.drop(columns="side").equals(tiny.scores.drop(columns="side"))
    ours, before = kamlib.score_scenario(engagement), kamlib.score_scenario(tiny)
    pd.testing.assert_frame_equal(ours[["potential", "position", "quadrant"]], before[["potential", "position",
                                                                                       "quadrant"]])  # fmt: skip
    assert engagement.locate("customer_scores", np.array([0, 2]))[1].tolist() == [20, 22]  # Excel rows, after ours


def test_the_second_composite_and_the_gaps_worked_by_hand() -> None:
    engagement = surveyed()
    view = customer_view(engagement, kamlib.score_scenario(engagement))
    rows = view.accounts.set_index("account_id")
    # A1, ours: 10·(2·4/5 + 1·(1 − 2/20))/3 = 8.3333; theirs: 10·(2·2/5 + 1·(1 − 10/20))/3 = 4.3333
    assert rows.loc["A1", "position"] == pytest.approx(25 / 3)
    assert rows.loc["A1", "customer_position"] == pytest.approx(13 / 3)
    assert rows.loc["A1", "gap"] == pytest.approx(-4.0)
    assert (rows.loc["A1", "quadrant"], rows.loc["A1", "customer_quadrant"]) == ("invest", "selective")
    # A3, ours: 10·(2·4.5/5 + 1·(1 − 1/20))/3 = 9.1667; theirs, service alone: 10·5/5 = 10; the gap compares like
    # with like, ours on service alone: 10·4.5/5 = 9
    assert rows.loc["A3", "position"] == pytest.approx(27.5 / 3) and rows.loc["A3", "matched_position"] == 9.0
    assert rows.loc["A3", "customer_position"] == pytest.approx(10.0)
    assert rows.loc["A3", "gap"] == pytest.approx(1.0)
    assert rows.loc["A1", "matched_position"] == pytest.approx(25 / 3)  # the customer scored both: the same
    assert rows.loc["A1", "customer_period"] == "2026-H1" and pd.isna(rows.loc["A2", "customer_period"])
    assert rows.loc[["A2", "A4"], "customer_position"].isna().all()
    assert rows.loc[["A2", "A4"], "customer_quadrant"].isna().all()
    gaps = view.criteria.set_index(["account_id", "criterion_id"])["gap"]
    assert gaps.to_dict() == {("A1", "service"): -2.0, ("A1", "incidents"): -8.0, ("A3", "service"): 0.5}
    assert view.summary("en") == (
        "The customer has scored our position on 2 accounts; on 1 it rates us lower than we rate ourselves (the "
        "largest gap, Supermercados Peñíscola: −4 points); on 1 it rates us higher; by its view 1 account would "
        "change strategy."
    )
    assert view.account_lines("A1", "es") == [
        "El cliente nos sitúa en 4,3 de posición; nosotros, en 8,3 (−4 puntos).",
        "Nos puntúa por debajo de nuestra propia puntuación en Incidencias, Nivel de servicio.",
    ]
    assert view.account_lines("A2", "es") == []


def test_the_tables_rank_the_gaps_and_the_one_formatter_writes_them() -> None:
    from kamlib.views.page import table_html

    engagement = surveyed()
    view = customer_view(engagement, kamlib.score_scenario(engagement))
    table = view.gap_table("es")
    assert table.columns.tolist() == [
        "Cuenta", "Estrategia", "Posición (nuestra visión)", "Posición (visión del cliente)", "Diferencia",
        "Estrategia con su visión", "Periodo de su puntuación",
    ]  # fmt: skip
    assert table["Cuenta"].tolist() == ["Supermercados Peñíscola", "Distribuciones Cantábrico"]  # largest gap first
    page = table_html(table, "es")
    assert ">−4</td>" in page and ">4,3</td>" in page and ">Inversión selectiva</td>" in page
    lower = view.account_table("A1", "en")
    assert lower.values.tolist() == [["Service incidents", 2.0, 10.0, -8.0, "0–20"], ["Service level", 4.0, 2.0,
                                                                                       -2.0, "0–5"]]  # fmt: skip
    assert view.account_table("A3", "en").empty and len(view.account_table("A3", "en", lower_only=False)) == 1


def test_the_setting_lets_the_customers_view_place_the_accounts(tmp_path: Path) -> None:
    engagement = surveyed()
    path = tmp_path / "cliente.yaml"
    path.write_text("name: Visión del cliente\nposition_by: Cliente\n", encoding="utf-8")
    with pytest.warns(
        KamWarning, match=r"the customer scored no position criterion with a weight above zero of A2, A4: our own view"
    ):
        scored = kamlib.score_scenario(engagement, path)
    rows = scored.set_index("account_id")
    assert scored.attrs["position_by"] == "customer"
    assert rows.loc["A1", "position"] == pytest.approx(13 / 3) and rows.loc["A1", "quadrant"] == "selective"
    assert rows.loc["A3", "position"] == pytest.approx(10.0)
    assert rows.loc["A2", "position"] == kamlib.score_scenario(engagement).set_index("account_id").loc["A2", "position"]
    view = customer_view(engagement, scored)  # our own view is still ours
    assert view.accounts.set_index("account_id").loc["A1", "position"] == pytest.approx(25 / 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KamWarning)
        placement = robustness(engagement, path, draws=200, seed=1)
    assert placement.accounts.set_index("account_id").loc["A1", "quadrant"] == "selective"
    assert load_scenario(path).position_by == "customer"
    save_scenario(Scenario(name="ours"), tmp_path / "ours.yaml")
    assert "position_by" not in (tmp_path / "ours.yaml").read_text(encoding="utf-8")  # the default, left unsaid
    save_scenario(load_scenario(path), tmp_path / "again.yaml")
    assert "position_by: customer" in (tmp_path / "again.yaml").read_text(encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("name: x\nposition_by: partner\n", encoding="utf-8")
    with pytest.raises(KamError, match=r"bad\.yaml.*position_by"):
        load_scenario(tmp_path / "bad.yaml")
    with pytest.raises(KamError, match="unknown view of our position 'theirs'"):
        kamlib.score_accounts(engagement, position_by="theirs")


def test_a_customer_score_of_business_potential_is_a_workbook_problem(tmp_path: Path) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    with (folder / "scores.csv").open("a", encoding="utf-8") as sheet:
        sheet.write("A1,volume,3,Compras A1,2026-H1,cliente\nA2,service,2,Compras A2,2026-H1,socio\n")
    text = (folder / "scores.csv").read_text(encoding="utf-8").replace("period\n", "period,side\n", 1)
    (folder / "scores.csv").write_text(text, encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 2
    assert 'sheet "scores", row 20, column "side": got \'customer\'; allowed: supplier: the customer' in lines[0]
    assert "criterion volume is of business potential" in lines[0]
    assert "row 21, column \"side\": got 'socio'; allowed: supplier, customer" in lines[1]


def test_the_matrix_draws_a_line_to_the_customers_view() -> None:
    engagement = surveyed()
    scored = kamlib.score_scenario(engagement)
    view = customer_view(engagement, scored)
    spec = matrix_chart(scored, lang="en", customer=view.accounts).to_dict()
    layers = {layer.get("name"): layer for layer in spec["layer"]}
    line = spec["datasets"][layers["customer_view"]["data"]["name"]]
    assert sorted((r["name"], round(r["x0"], 2), round(r["x1"], 2)) for r in line) == [
        ("Distribuciones Cantábrico", 9.17, 10.0), ("Supermercados Peñíscola", 8.33, 4.33)]  # fmt: skip
    assert "dotted purple line: from our position to the one the customer sees (diamond) · 2 accounts" in str(
        spec["title"]["subtitle"]
    )
    assert "customer_view" not in str(matrix_chart(scored, lang="en").to_dict()["layer"])
    one = account_matrix_chart(scored, "A1", "es", customer=view.accounts).to_dict()
    assert "customer_view" in {layer.get("name") for layer in one["layer"]}
    assert "customer_view" not in str(account_matrix_chart(scored, "A2", "es", customer=view.accounts).to_dict())


def test_the_pages_show_it_escaped_and_only_when_there_is_a_view() -> None:
    engagement = surveyed()
    accounts = engagement.accounts.copy()
    accounts.loc[accounts["account_id"] == "A1", "name"] = "<b>Peñíscola</b> & Co"
    frames = {name: getattr(engagement, name) for name in ("criteria", "kams", "time")}
    frames["accounts"] = accounts
    frames["scores"] = pd.concat([engagement.scores, engagement.customer_scores], ignore_index=True)
    hostile = kamlib.Engagement.from_frames(frames)
    view = customer_view(hostile, kamlib.score_scenario(hostile))
    page = portfolio_customer_html(view, "es")
    assert "Cómo nos ve el cliente" in page and "&lt;b&gt;Peñíscola&lt;/b&gt; &amp; Co" in page and "<b>" not in page
    assert "Incidencias" in account_customer_html(view, "A1", "es")
    assert account_customer_html(view, "A2", "es") == ""
    tiny = kamlib.load(TINY)
    plain = customer_view(tiny, kamlib.score_scenario(tiny))
    assert portfolio_customer_html(plain, "en") == ""
    assert plain.summary("en") == "The customer has not yet scored our position on any account."
    assert plain.gap_table("en").empty


def test_the_sample_survey() -> None:
    engagement = kamlib.load()
    view = customer_view(engagement, kamlib.score_scenario(engagement))
    assert view.scored["account_id"].tolist()[:2] == ["A004", "A015"]
    assert view.scored["customer_quadrant"].tolist().count("selective") == 2  # A004 drops; A003 stays selective…
    assert view.accounts.set_index("account_id").loc["A003", "customer_quadrant"] == "invest"  # …but A003 rises


def test_a_customer_score_of_no_weight_leaves_our_view_in_place(tmp_path: Path) -> None:
    engagement = surveyed()
    path = tmp_path / "cliente.yaml"
    path.write_text("name: c\nposition_by: customer\nweights: {service: 0}\n", encoding="utf-8")
    with pytest.warns(KamWarning, match=r"of A2, A3, A4: our own view"):  # A3's customer scored service alone
        scored = kamlib.score_scenario(engagement, path)
    assert scored["placed"].all()
    rows = scored.set_index("account_id")
    assert rows.loc["A3", "position"] == pytest.approx(10 * 0.95)  # ours: incidents alone weighs now
    assert rows.loc["A1", "position"] == pytest.approx(5.0)  # theirs: 10 incidents of 0–20, lower is better
