"""The strategy playbook: the method's defaults and an engagement's own rows (kamlib.plan.playbook)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import kamlib
from kamlib.method import QUADRANTS, RELATIONSHIP_MODELS, STRATEGY_PRIORITIES
from kamlib.plan.account import account_plan
from kamlib.plan.playbook import default_rows, play, playbook, playbook_table
from kamlib.scoring import score_accounts
from kamlib.views.account import plan_html, play_html
from kamlib.workbook.sheets import ELEMENTS


def with_playbook(tiny: kamlib.Engagement, rows: list[dict[str, object]]) -> kamlib.Engagement:
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}
    return kamlib.Engagement.from_frames(frames | {"playbook": pd.DataFrame(rows)})


def test_every_strategy_states_every_element_by_default() -> None:
    rows = default_rows()
    assert set(rows["source"]) == {"method"}
    for q in QUADRANTS:
        mine = rows[rows["strategy"] == q]
        assert set(mine["element"]) == set(ELEMENTS)
        assert mine.loc[mine["element"] == "relationship", "en"].tolist() == [RELATIONSHIP_MODELS[q]["en"]]
        assert tuple(mine.loc[mine["element"] == "priority", "es"]) == STRATEGY_PRIORITIES[q]["es"]
        metrics = mine[mine["element"] == "metric"]
        assert metrics["perspective"].isin(["financial", "customer", "internal", "learning"]).all()
    assert rows[rows["element"] != "metric"]["perspective"].isna().all()


def test_selective_investment_metrics_are_the_seeds() -> None:
    metrics = play(None, "selective").metrics
    assert metrics["en"].tolist()[:3] == ["Sales volume", "Share of customer", "Relationship quality"]
    assert metrics["es"].tolist()[:3] == ["Volumen de ventas", "Cuota en el cliente", "Calidad de la relación"]


def test_an_engagement_replaces_only_the_pairs_it_names(tiny) -> None:
    e = with_playbook(
        tiny,
        [
            {
                "strategy": "Mantener",
                "element": "métrica",
                "es": "Margen neto",
                "en": "Net margin",
                "perspective": "financiera",
            },
            {"strategy": "maintain", "element": "metric", "es": "Quejas", "en": "Complaints", "perspective": "cliente"},
            {
                "strategy": "ordeñar",
                "element": "relación",
                "es": "Transaccional",
                "en": "Transactional",
                "perspective": "cliente",
            },
        ],
    )
    rows = playbook(e)
    maintain = play(e, "maintain")
    assert maintain.metrics.to_dict("list") == {
        "perspective": ["financial", "customer"],
        "es": ["Margen neto", "Quejas"],
        "en": ["Net margin", "Complaints"],
    }
    assert maintain.texts("priority", "en") == list(STRATEGY_PRIORITIES["maintain"]["en"])  # untouched
    milk = play(e, "milk")
    assert milk.texts("relationship", "es") == ["Transaccional"]
    assert milk.rows.loc[milk.rows["element"] == "relationship", "perspective"].isna().all()  # only metrics have one
    assert set(rows.loc[rows["source"] == "engagement", "strategy"]) == {"maintain", "milk"}
    order = [(q, el) for q, el in zip(rows["strategy"], rows["element"], strict=True)]
    assert order == sorted(order, key=lambda p: (QUADRANTS.index(p[0]), ELEMENTS.index(p[1])))
    assert len(rows) == len(default_rows()) - len(play(None, "maintain").metrics) + 2


def test_a_bad_playbook_row_names_its_cell(tiny) -> None:
    with pytest.raises(kamlib.WorkbookError, match=r'sheet "playbook".*row 2.*column "strategy"'):
        with_playbook(tiny, [{"strategy": "atacar", "element": "metric", "es": "x", "en": "x"}])


def test_unknown_strategy() -> None:
    with pytest.raises(ValueError, match="invest, selective, maintain, milk"):
        play(None, "grow")


def test_table_and_html_in_both_languages(tiny) -> None:
    e = with_playbook(tiny, [{"strategy": "invest", "element": "activity", "es": "<script>x</script>", "en": "A & B"}])
    es = playbook_table(playbook(e), "es")
    assert es.columns.tolist() == ["Estrategia", "Elemento", "Texto", "Perspectiva", "Origen"]
    assert "Este encargo" in es["Origen"].tolist() and "Método" in es["Origen"].tolist()
    en = playbook_table(playbook(e), "en")
    assert en.loc[en["Text"] == "A & B", "Element"].tolist() == ["Activities to stress"]
    fragment = play_html(play(e, "invest"), "es")
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    assert "Métricas de control" in fragment and "(Financiera)" in fragment
    assert "A &amp; B" in play_html(play(e, "invest"), "en")


def test_the_account_plan_shows_the_engagements_playbook(tiny) -> None:
    e = with_playbook(tiny, [{"strategy": "invest", "element": "relationship", "es": "Socios", "en": "Partners"}])
    scored = score_accounts(e)
    invest = scored.loc[scored["quadrant"] == "invest", "account_id"].iloc[0]
    plan = account_plan(e, scored, invest)
    assert plan.relationship_model == {"es": "Socios", "en": "Partners"}
    assert plan.play is not None and plan.play.strategy == "invest"
    fragment = plan_html(plan, "en")
    assert "Partners" in fragment and "Activities to stress" in fragment and "Control metrics" in fragment
    unplaced = dataclasses.replace(plan, quadrant=None, play=None, relationship_model=None)
    assert "Control metrics" not in plan_html(unplaced, "en")
