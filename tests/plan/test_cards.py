"""The dashboard's account and KAM cards (`kamlib.plan.cards`) and the picker that shows them
(`kamlib.views.cards`): each fact from the analysis it comes from, hand-checked on the tiny engagement."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

import kamlib
from kamlib.plan.attention import attention
from kamlib.plan.cards import ACCOUNT_COLUMNS, KAM_COLUMNS, account_cards, kam_cards
from kamlib.plan.scorecard import portfolio_scorecard
from kamlib.plan.stakeholders import coverage
from kamlib.views.cards import anchor, picker_html
from tests.client_grade import problems
from tests.publish.test_deck import HOSTILE, rich_engagement

MOVES = pd.DataFrame(
    {
        "account_id": ["A1", "A2", "A3"],
        "kind": ["history", "target", "history"],
        "from_period": ["2025-H2", "2026-H1", "2025-H2"],
        "from_quadrant": ["maintain", "selective", "milk"],
    }
)
"""A1 and A3 come from an earlier round (A3 in the same strategy it has now); A2 has only a target."""
PLAN = pd.DataFrame(
    {
        "account_id": ["A1", "A2", "A3", "A4", "A5"],
        "kam_id": ["K1", "K2", "K2", "K2", "K2"],
        "change": [False, True, False, False, False],
        "reason_es": ["", "K2 tiene más encaje", "", "", ""],
        "reason_en": ["", "K2 fits better", "", "", ""],
    }
)
"""The KAM plan moves A2 from K1 to K2."""
TIME = pd.DataFrame({"account_id": ["A1", "A3"], "hours": [30.0, 12.5], "share_of_kam": [62.5, 20.0],
                     "neglected": [False, True]})  # fmt: skip


AGREEMENT = pd.DataFrame(
    {"account_id": ["A1"], "multi_assessor": [3], "contested": [1], "contested_criteria": [("volume",)],
     "contested_ranges": [(4.0,)]}
)  # fmt: skip
"""Three of A1's criteria scored by several assessors, volume contested (4 points apart)."""


def cards(plan: pd.DataFrame | None = PLAN, time: pd.DataFrame | None = TIME) -> tuple[pd.DataFrame, pd.DataFrame]:
    engagement = rich_engagement()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kamlib.UnplacedAccountsWarning)
        scored = kamlib.score_scenario(engagement)
    needs = attention(engagement, scored, pd.Series({"A4": True}))
    accounts = account_cards(
        engagement, scored, needs, MOVES, plan, coverage(engagement), portfolio_scorecard(engagement), time,
        AGREEMENT if time is not None else None,
    )  # fmt: skip
    kam_time = pd.DataFrame({"kam_id": ["K1"], "hours": [48.0], "utilisation": [2.9], "selling_share": [10.4]})
    return accounts, kam_cards(engagement, accounts, kam_time if time is not None else None)


def test_each_account_card_holds_the_facts_of_its_analyses() -> None:
    accounts, _ = cards()
    assert tuple(accounts.columns) == ACCOUNT_COLUMNS
    assert accounts["account_id"].tolist() == ["A1", "A2", "A3", "A4", "A5"]  # the workbook's order
    a = accounts.set_index("account_id")
    assert a.loc["A1", "kam_name"] == "María Núñez" and a.loc["A2", "name"] == HOSTILE
    assert (a.loc["A1", "from_period"], a.loc["A1", "from_quadrant"]) == ("2025-H2", "maintain")
    assert pd.isna(a.loc["A2", "from_period"])  # a target is not a past round
    assert a.loc["A2", "planned_kam_id"] == "K2" and a.loc["A2", "planned_kam_name"] == "Jordi Ibáñez"
    assert bool(a.loc["A2", "change"]) and not bool(a.loc["A1", "change"])
    assert a.loc["A2", "reason_en"] == "K2 fits better"
    assert a.loc["A1", "map_risk"] == "high" and a.loc["A1", "people"] == 9  # an influential opponent
    assert pd.isna(a.loc["A3", "map_risk"])  # no decision map
    assert (a.loc["A1", "kpi_period"], a.loc["A1", "kpis"]) == ("2026-H1", 9)  # the latest period's nine KPIs
    assert a.loc["A1", "kpis_met"] + a.loc["A1", "kpis_missed"] <= 9 and a.loc["A1", "kpis_missed"] > 0
    assert pd.isna(a.loc["A2", "kpis"])
    assert (a.loc["A3", "hours"], a.loc["A3", "share_of_kam"], bool(a.loc["A3", "neglected"])) == (12.5, 20, True)
    assert np.isnan(a.loc["A2", "hours"])
    assert a.loc["A4", "fence"] and a.loc["A1", ["risk", "missed"]].all() and not a.loc["A3", "fence"]
    assert (a.loc["A1", "multi_assessor"], a.loc["A1", "contested"], a.loc["A1", "contested_criteria"]) == (
        3,
        1,
        ("volume",),
    )
    assert (a.loc["A2", "multi_assessor"], a.loc["A2", "contested_criteria"]) == (0, ())  # not in the agreement


def test_each_kam_card_counts_their_accounts_revenue_and_the_plans_moves() -> None:
    _, kams = cards()
    assert tuple(kams.columns) == KAM_COLUMNS
    k = kams.set_index("kam_id")
    assert k["accounts"].to_dict() == {"K1": 2, "K2": 3}  # A1, A2 | A3, A4, A5
    assert k.loc["K1", "revenue"] == 2_500_000 + 640_000
    assert k.loc["K2", "revenue"] == 1_200_000.5 + 180_000 + 50_000
    assert (k.loc["K1", "moves_out"], k.loc["K1", "moves_in"]) == (1, 0)  # A2 leaves K1 …
    assert (k.loc["K2", "moves_out"], k.loc["K2", "moves_in"]) == (0, 1)  # … for K2
    assert k.loc["K1", "hours"] == 48 and np.isnan(k.loc["K2", "hours"])  # K2 logged nothing
    assert k.loc["K1", "capacity_hours"] == 1650


def test_without_a_plan_or_hours_the_cards_say_so() -> None:
    accounts, kams = cards(plan=None, time=None)
    assert accounts["planned_kam_id"].isna().all() and accounts["hours"].isna().all()
    assert kams[["moves_in", "moves_out"]].eq(0).all(axis=None) and kams["hours"].isna().all()
    page = picker_html(accounts, kams, (5.0, 5.0), "en")
    text = visible_text(page)
    for words in ("No KAM plan", "No hours logged", "No decision map", "No KPIs", "One scoring round only"):
        assert words in text
    assert "Selling time" not in text and "Hours" not in text  # no figures invented for a survey


def visible_text(page: str) -> str:
    """The picker's words (every card's, as if each were opened), tags stripped and entities read."""
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", page)))


def test_the_picker_links_every_account_and_kam_to_one_card_and_escapes_names() -> None:
    accounts, kams = cards()
    engagement = rich_engagement()
    page = picker_html(accounts, kams, (5.0, 5.0), "es", criteria=engagement.criteria)
    assert "<script>" not in page and "&lt;script&gt;" in page
    ids = re.findall(r'<article id="([^"]+)" class="kamlib-card', page)
    assert sorted(ids) == sorted([*(f"acc-{a}" for a in accounts["account_id"]), "kam-K1", "kam-K2"])
    for target in ids:
        assert f'href="#{target}"' in page  # every card has a link that opens it
    assert ".kamlib-card{display:none}.kamlib-card:target{display:block}" in page  # shown only when picked
    text = visible_text(page)
    assert "Desde 2025-H2: Mantener → " in text  # A1's move, to whatever it is now
    assert "La misma estrategia desde 2025-H2" in text or "Desde 2025-H2: Ordeñar →" in text  # A3
    assert "Pasa a Jordi Ibáñez · K2 tiene más encaje" in text and "Sigue con María Núñez" in text
    assert "Riesgo alto · 9 personas" in text and "Sin mapa de decisión" in text
    assert "12,5 h · 20,0 % del tiempo de su KAM en cuentas · poco tiempo para su estrategia" in text
    assert "48,0 h de 1650 h disponibles (2,9 %)" in text or "48,0 h de 1.650 h disponibles (2,9 %)" in text
    assert "Cede 1 cuenta" in text and "Recibe 1 cuenta" in text
    assert "En la frontera" in text  # A4's reason for attention
    volume = engagement.criteria.set_index("criterion_id").loc["volume", "label_es"]
    assert f"Puntuación del equipo 1 criterio en disputa: {volume} (rango 4,0)" in text  # A1's, and only A1's
    assert text.count("Puntuación del equipo") == 1
    assert problems(text, "es") == []


def test_anchors_are_distinct_valid_fragments_for_any_id() -> None:
    keys = ["A 1", "A_1", "A-1", "Á1", "A1", "a1", '"><script>', "A_20_1"]
    anchors = [anchor("acc", k) for k in keys]
    assert len(set(anchors)) == len(keys)
    assert all(re.fullmatch(r"acc-[A-Za-z0-9_-]+", a) for a in anchors)
