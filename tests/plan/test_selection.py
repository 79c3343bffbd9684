"""Key-account selection: the scoring rule by hand, cut-off and top N, every status, the changes and their words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.errors import KamError
from kamlib.plan.selection import (
    CHANGE_COLUMNS,
    DEFAULT_SELECTION_CRITERIA,
    STATUSES,
    criterion_column,
    select_accounts,
    selection_criteria,
)
from kamlib.views.selection import changes_html, selection_html

DEFAULT_IDS = [c.criterion_id for c in DEFAULT_SELECTION_CRITERIA]
VOL, PROF, DIV, MKT, INNO = DEFAULT_IDS


def engagement_with(
    tiny: kamlib.Engagement,
    customers: list[tuple] | pd.DataFrame,
    scores: list[tuple] | pd.DataFrame,
    criteria: pd.DataFrame | None = None,
) -> kamlib.Engagement:
    """tiny (key accounts A1–A4 today) plus a customers sheet and selection scores (and criteria) as given."""
    frames = {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}
    if not isinstance(customers, pd.DataFrame):
        customers = pd.DataFrame(customers, columns=["customer_id", "name", "sector", "revenue"][: len(customers[0])])
    if not isinstance(scores, pd.DataFrame):
        columns = ["customer_id", "criterion_id", "score", "assessor", "period"][: len(scores[0])]
        scores = pd.DataFrame(scores, columns=columns)
    frames["customers"] = customers
    frames["selection_scores"] = scores
    if criteria is not None:
        frames["selection_criteria"] = criteria
    return kamlib.Engagement.from_frames(frames)


def every(customer: str, values: list[float]) -> list[tuple]:
    """One customer's scores on the five default criteria, in their order."""
    return [(customer, cid, v) for cid, v in zip(DEFAULT_IDS, values, strict=True)]


# By hand, default criteria (weight 1 each, scale 1-10, higher better: n = (s - 1) / 9):
# A1 all 10             -> n 1            -> 10.0     stays
# A2 all 1              -> n 0            -> 0.0      leaves
# A3 all 5.5            -> n 0.5          -> 5.0      stays (exactly on the cut-off: in)
# C1 vol 10, prof 7     -> (1 + 6/9) / 2  -> 8.3333   enters (the others unscored: left out, never 0)
# C2 vol 4, div 1       -> (3/9 + 0) / 2  -> 1.6667   out
# C3 no score           -> not_scored
# A4 not in customers   -> not_assessed
CUSTOMERS = [
    ("A1", "Supermercados Peñíscola", "gran distribución", 2_500_000),
    ("A2", "Hoteles Mirasol", "horeca", 640_000),
    ("A3", "Distribuciones Cantábrico", "mayoristas", 1_200_000),
    ("C1", "Conservas Ñora", "gourmet", 900_000),
    ("C2", "Bodegas Ébano", "horeca", None),
    ("C3", "Lácteos Duero", "gran distribución", 300_000),
]
SCORES = [
    *every("A1", [10, 10, 10, 10, 10]),
    *every("A2", [1, 1, 1, 1, 1]),
    *every("A3", [5.5] * 5),
    ("C1", VOL, 10),
    ("C1", PROF, 7),
    ("C2", VOL, 4),
    ("C2", DIV, 1),
]


@pytest.fixture(scope="module")
def book(tiny):
    return engagement_with(tiny, CUSTOMERS, SCORES)


def by_id(selection) -> pd.DataFrame:
    return selection.customers.set_index("customer_id")


def test_hand_worked_composites_ranks_and_statuses(book):
    s = select_accounts(book)
    c = s.customers
    assert c["customer_id"].tolist() == ["A1", "C1", "A3", "C2", "A2", "C3", "A4"]
    np.testing.assert_allclose(c["composite"].iloc[:5], [10.0, 25 / 3, 5.0, 5 / 3, 0.0], atol=1e-9)
    assert c["rank"].iloc[:5].tolist() == [1, 2, 3, 4, 5]
    assert c["rank"].iloc[5:].isna().all() and c["composite"].iloc[5:].isna().all()
    assert c["status"].tolist() == ["stays", "enters", "stays", "out", "leaves", "not_scored", "not_assessed"]
    assert c["current"].tolist() == [True, False, True, False, True, False, True]
    assert c["proposed"].tolist() == [True, True, True, False, False, False, False]
    assert s.proposed_ids == ["A1", "C1", "A3"]
    assert s.cutoff == 5.0 and s.top is None
    assert list(c.columns) == [
        "customer_id",
        "name",
        "sector",
        "revenue",
        "composite",
        "rank",
        "weight_scored",
        *DEFAULT_IDS,
        "current",
        "proposed",
        "status",
    ]
    # C1 and C2 are scored on 2 of 5 equally weighted criteria; C3 and A4 on none
    assert c["weight_scored"].tolist() == [100.0, 40.0, 100.0, 40.0, 100.0, 0.0, 0.0]
    c1 = by_id(s).loc["C1"]
    assert c1[VOL] == 1.0 and c1[PROF] == pytest.approx(6 / 9) and np.isnan(c1[DIV])
    a4 = by_id(s).loc["A4"]  # today's key account missing from customers: kept, named, not judged
    assert a4["name"] == "Épicerie Lumière" and a4["revenue"] == 180000 and not a4["proposed"]
    assert sorted(set(c["status"])) == sorted(STATUSES)


def test_changes_name_who_enters_and_leaves_and_the_criteria_that_drive_them(book):
    changes = select_accounts(book).changes()
    assert list(changes.columns) == list(CHANGE_COLUMNS)
    assert changes["customer_id"].tolist() == ["C1", "A2"]
    assert changes["status"].tolist() == ["enters", "leaves"]
    # C1: composite − 5 = 10·(1 − 0.5)/2 + 10·(6/9 − 0.5)/2 = 2.5 + 0.8333 (volume first, the larger push)
    assert changes.loc[0, "gap"] == pytest.approx(25 / 3 - 5)
    assert changes.loc[0, "drivers"] == f"{VOL}, {PROF}"
    assert changes.loc[0, "drivers_en"] == "Volume and scalability +2.5; Profitability +0.8"
    assert changes.loc[0, "drivers_es"] == "Volumen y escalabilidad +2,5; Rentabilidad +0,8"
    # A2: every criterion pulls it down by 10·0.5/5 = 1 point; ties keep the criteria's order, two named
    assert changes.loc[1, "gap"] == pytest.approx(-5.0)
    assert changes.loc[1, "drivers"] == f"{VOL}, {PROF}"
    assert changes.loc[1, "drivers_en"] == "Volume and scalability −1.0; Profitability −1.0"


def test_contributions_add_up_to_the_gap_to_the_cutoff(book):
    for s in (select_accounts(book, cutoff=3.3), select_accounts(book, top=2)):
        scored = s.customers[s.customers["composite"].notna()].set_index("customer_id")
        total = s.contributions.sum(axis=1)
        np.testing.assert_allclose(total.loc[scored.index], scored["composite"] - s.cutoff, atol=1e-8)


def test_summary_in_both_languages(book):
    s = select_accounts(book)
    assert s.summary("en") == (
        "3 customers proposed (score ≥ 5.0): 2 stay, 1 enters; 1 of today's key accounts would leave. "
        "Not judged: 1 of today's key accounts is not among the customers assessed (A4); "
        "1 customer without a score on any weighted selection criterion, not proposed: C3. 2 customers are scored "
        "on part of the criteria only (the score rests on those): C1, C2."
    )
    assert s.summary("es") == (
        "3 clientes propuestos (puntuación ≥ 5,0): 2 se quedan, 1 entra; 1 de las cuentas clave de hoy saldría. "
        "Sin juzgar: 1 de las cuentas clave de hoy no figura entre los clientes evaluados (A4); "
        "1 cliente sin puntuación en ningún criterio de selección con peso, no propuesto: C3. 2 "
        "clientes tienen puntuación solo en parte de los criterios (su puntuación se basa en los que tiene): C1, C2."
    )
    everyone = select_accounts(book, cutoff=0.0)
    assert everyone.summary("en").startswith(
        "5 customers proposed (score ≥ 0.0): 3 stay, 2 enter; none of today's key accounts would leave."
    )
    assert everyone.summary("es").startswith("5 clientes propuestos (puntuación ≥ 0,0): 3 se quedan, 2 entran; ninguna")
    with pytest.raises(KamError, match="unknown language 'fr'"):
        s.summary("fr")


def test_a_current_account_without_a_score_is_not_counted_as_leaving(tiny):
    book = engagement_with(tiny, CUSTOMERS[:2], every("A1", [10] * 5))
    s = select_accounts(book)
    assert by_id(s).loc["A2", "status"] == "not_scored" and s.count("leaves") == 0
    assert "A2 (a key account today)" in s.summary("en")
    assert "A2 (cuenta clave hoy)" in s.summary("es")
    assert "2 of today's key accounts are not among the customers assessed (A3, A4)" in s.summary("en")


def test_on_the_cutoff_is_proposed_a_hair_above_is_not(book):
    assert by_id(select_accounts(book, cutoff=5.0)).loc["A3", "proposed"]
    assert not by_id(select_accounts(book, cutoff=5.0 + 1e-6)).loc["A3", "proposed"]
    assert by_id(select_accounts(book, cutoff=10)).loc["A1", "proposed"]
    assert select_accounts(book, cutoff=0).count("out") == 0


def test_top_n_takes_every_customer_tied_at_the_boundary(tiny):
    # T1 9 → 8/9·10 = 8.889; T2 and T3 tied at 7 → 6.667; T4 3 → 2.222
    scores = [("T1", PROF, 9), ("T2", PROF, 7), ("T3", PROF, 7), ("T4", PROF, 3)]
    book = engagement_with(tiny, [(f"T{i}", f"t{i}") for i in range(1, 5)], scores)
    s = select_accounts(book, top=2)
    assert s.customers["rank"].iloc[:4].tolist() == [1, 2, 2, 4]
    assert s.proposed_ids == ["T1", "T2", "T3"]  # both tied second places are in: three, not an arbitrary two
    assert s.cutoff == pytest.approx(60 / 9)  # the cut-off drawn: the lowest proposed composite
    assert s.rule_text("en") == "the best 2, ties included" and s.rule_text("es") == "los 2 mejores, con los empates"
    assert select_accounts(book, top=1).proposed_ids == ["T1"]
    assert select_accounts(book, top=3).proposed_ids == ["T1", "T2", "T3"]
    assert select_accounts(book, top=3).rule_text("en") == "the best 3"
    assert select_accounts(book, top=10).proposed_ids == ["T1", "T2", "T3", "T4"]  # fewer scored than N: all
    assert select_accounts(book, cutoff=9.0, top=1).proposed_ids == ["T1"]  # top wins over the cut-off


def test_sheet_criteria_replace_the_defaults_lower_is_better_and_weights(tiny):
    criteria = pd.DataFrame(
        {
            "criterion_id": ["margin", "churn_risk"],
            "label_es": ["Margen", None],
            "label_en": ["Margin", "Churn risk"],
            "weight": [3, 1],
            "scale_min": [0, 1],
            "scale_max": [100, 5],
            "higher_is_better": ["sí", "no"],
        }
    )
    scores = [("X", "margin", 40), ("X", "churn_risk", 2), ("Y", "churn_risk", 5)]
    book = engagement_with(tiny, [("X", "x"), ("Y", "y")], scores, criteria)
    s = select_accounts(book)
    # X: n = 0.4 and 1 − (2 − 1)/4 = 0.75 → 10·(3·0.4 + 0.75)/4 = 4.875; Y: churn 5 is the worst → 0
    assert by_id(s).loc["X", "composite"] == pytest.approx(4.875)
    assert by_id(s).loc["Y", "composite"] == 0.0
    assert s.criterion_ids == ["margin", "churn_risk"]
    assert s.labels("es") == {"margin": "Margen", "churn_risk": "churn_risk"}  # an empty label shows the id
    assert s.criteria["share"].tolist() == [75.0, 25.0]
    assert by_id(select_accounts(book, weights={"margin": 1})).loc["X", "composite"] == pytest.approx(5.75)


def test_an_empty_criteria_sheet_means_the_defaults(tiny, book):
    empty = pd.DataFrame(columns=["criterion_id", "label_es", "label_en", "weight"])
    with_empty = engagement_with(tiny, CUSTOMERS, SCORES, empty)
    assert selection_criteria(with_empty)["criterion_id"].tolist() == DEFAULT_IDS
    pd.testing.assert_frame_equal(select_accounts(with_empty).customers, select_accounts(book).customers)
    defaults = selection_criteria(book)
    assert defaults["label_en"].tolist() == [
        "Volume and scalability",
        "Profitability",
        "Product diversification",
        "Market access",
        "Capacity to adopt innovation",
    ]
    assert (
        (defaults["weight"] == 1).all() and (defaults["scale_min"] == 1).all() and (defaults["scale_max"] == 10).all()
    )
    assert defaults["higher_is_better"].all()


def test_latest_period_per_cell_and_assessors_averaged(tiny):
    scores = [
        ("P", PROF, 4, "Ana", "2025"),
        ("P", PROF, 8, "Ana", "2026"),
        ("P", PROF, 6, "Luis", "2026"),
        ("P", VOL, 10, "Ana", "2025"),  # its only score: the latest for that cell, even if older
    ]
    book = engagement_with(tiny, [("P", "p")], scores)
    # latest: prof (8 + 6)/2 = 7 → 6/9, vol 10 → 1: 10·(6/9 + 1)/2
    assert select_accounts(book).customers.loc[0, "composite"] == pytest.approx(10 * (6 / 9 + 1) / 2)
    # as of 2025: prof 4 → 3/9
    assert select_accounts(book, period="2025").customers.loc[0, "composite"] == pytest.approx(10 * (3 / 9 + 1) / 2)
    as_of_2024 = select_accounts(book, period="2024")
    assert as_of_2024.customers.loc[0, "status"] == "not_scored" and as_of_2024.period == "2024"


def test_a_zero_weight_criterion_does_not_count_and_alone_leaves_a_customer_unscored(book):
    s = select_accounts(book, weights={VOL: 0})
    assert by_id(s).loc["C1", "composite"] == pytest.approx(10 * 6 / 9)  # profitability alone
    assert by_id(s).loc["C2", "composite"] == 0.0  # diversification 1 alone
    only_div = select_accounts(book, weights=dict.fromkeys([VOL, PROF, MKT, INNO], 0))
    assert by_id(only_div).loc["C1", "status"] == "not_scored"
    assert only_div.weights == {VOL: 0.0, PROF: 0.0, MKT: 0.0, INNO: 0.0}


@pytest.mark.parametrize(
    ("kwargs", "en", "es"),
    [
        (
            {"weights": {"volumen": 2}},
            "unknown criterion 'volumen' in the weights; known: volume_scalability, profitability, diversification, "
            "market_access, innovation_adoption",
            "criterio desconocido 'volumen' en los pesos; existentes: volume_scalability",
        ),
        (
            {"weights": {PROF: -1}},
            "weight -1 of criterion 'profitability' is not allowed; allowed: a number ≥ 0",
            "el peso -1 del criterio 'profitability' no se admite; se admite: un número ≥ 0",
        ),
        (
            {"weights": {PROF: float("nan")}},
            "weight nan of criterion 'profitability' is not allowed",
            "el peso nan del criterio 'profitability' no se admite",
        ),
        (
            {"weights": dict.fromkeys(DEFAULT_IDS, 0)},
            "all selection weights are zero (volume_scalability, profitability, diversification, market_access, "
            "innovation_adoption); at least one must be > 0",
            "todos los pesos de selección son cero",
        ),
        (
            {"cutoff": 11},
            "cut-off 11 is not allowed; allowed: a number from 0 to 10",
            "el corte 11 no se admite; se admite: un número de 0 a 10",
        ),
        ({"cutoff": None}, "give a cut-off or a top N", "indique un corte o los N mejores (top)"),
        ({"top": 0}, "top 0 is not allowed; allowed: a whole number ≥ 1", "top 0 no se admite; se admite: un número"),
        ({"top": 2.5}, "top 2.5 is not allowed", "top 2.5 no se admite"),
    ],
)
def test_bad_requests_are_refused_in_both_languages(book, kwargs, en, es):
    with pytest.raises(KamError) as info:
        select_accounts(book, **kwargs)
    assert info.value.render("en").startswith(en)
    assert info.value.render("es").startswith(es)


def test_without_customers_or_selection_scores_it_says_what_to_add(tiny):
    bare = kamlib.Engagement.from_frames(
        {n: getattr(tiny, n) for n in ("accounts", "criteria", "scores", "kams", "time")}
    )
    with pytest.raises(KamError) as info:
        select_accounts(bare)
    assert info.value.render("en") == (
        'no customers to select key accounts from: add a sheet "customers" (columns customer_id, name; optional: '
        "sector, revenue) listing every candidate, today's key accounts included with their account_id as "
        'customer_id, and score them in a sheet "selection_scores" (columns customer_id, criterion_id, score; '
        "optional: assessor, period)"
    )
    assert info.value.render("es").startswith(
        'no hay clientes entre los que seleccionar cuentas clave: añada una hoja "customers" (columnas customer_id, '
        "name; opcionales: sector, revenue)"
    )
    no_scores = engagement_with(tiny, CUSTOMERS, pd.DataFrame(columns=["customer_id", "criterion_id", "score"]))
    with pytest.raises(KamError) as info:
        select_accounts(no_scores)
    assert info.value.render("en") == (
        'no selection scores: add a sheet "selection_scores" (columns customer_id, criterion_id, score; optional: '
        'assessor, period) with each customer\'s score on the selection criteria (sheet "selection_criteria", or '
        "the defaults: volume_scalability, profitability, diversification, market_access, innovation_adoption)"
    )
    assert info.value.render("es").startswith('no hay puntuaciones de selección: añada una hoja "selection_scores"')


def test_people_see_a_table_in_their_language(book):
    s = select_accounts(book)
    es = s.table("es")
    assert es.index.name == "Cliente"
    assert list(es.columns[:5]) == ["Nombre", "Sector", "Facturación", "Puntuación (0–10)", "Puesto"]
    assert "Capacidad de adoptar innovación" in es.columns
    assert (
        es.loc["C1", "Volumen y escalabilidad"] == 10.0 and es.loc["C1", "Rentabilidad"] == 6.7
    )  # 0-10 like the score
    assert es.loc["C1", "Estado"] == "Entra" and es.loc["C1", "Propuesta"] == "Sí"
    assert es.loc["C1", "Cuenta clave hoy"] == "No"
    assert es.loc["A4", "Estado"] == "Sin evaluar" and es.loc["C3", "Estado"] == "Sin puntuar"
    en = s.table("en")
    assert en.loc["A2", "Status"] == "Leaves" and en.loc["A2", "Key account today"] == "Yes"
    changes = s.changes_table("en")
    assert changes.columns.tolist() == ["Name", "Status", "Score (0–10)", "Rank", "Against the cut-off", "Why"]
    assert changes.loc["C1", "Against the cut-off"] == 3.3


def test_html_for_reports_escapes_workbook_text(tiny):
    hostile = "<script>alert(1)</script>"
    book = engagement_with(tiny, [("C9", hostile)], every("C9", [9] * 5))
    s = select_accounts(book)
    fragment = selection_html(s, "en")
    assert hostile not in fragment and "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert fragment.startswith('<section class="kam-selection"><h2>Key-account selection</h2><p>1 customer proposed')
    assert "Enters" in fragment
    nothing = select_accounts(book, cutoff=10)
    assert "Ningún cambio frente a la lista de hoy." in changes_html(nothing, "es")


def test_a_criterion_named_like_a_column_keeps_both(tiny):
    criteria = pd.DataFrame(
        {
            "criterion_id": ["revenue", "fit"],
            "label_es": ["Facturación", "Encaje"],
            "label_en": ["Revenue", "Fit"],
            "weight": [1, 1],
        }
    )
    book = engagement_with(tiny, [("X", "x", None, 5)], [("X", "revenue", 10), ("X", "fit", 1)], criteria)
    s = select_accounts(book)
    assert criterion_column("revenue") == "criterion_revenue" and criterion_column("fit") == "fit"
    assert s.customers.loc[0, "revenue"] == 5 and s.customers.loc[0, "criterion_revenue"] == 1.0
    assert s.customers.loc[0, "composite"] == 5.0


def test_selection_does_not_change_the_engagement(book):
    before = book.selection_scores.copy(), book.customers.copy()
    select_accounts(book, weights={VOL: 3}, cutoff=2)
    pd.testing.assert_frame_equal(before[0], book.selection_scores)
    pd.testing.assert_frame_equal(before[1], book.customers)


# ---------------------------------------------------------------- properties (hypothesis)

score_st = st.one_of(st.none(), st.floats(1, 10))
weights_st = st.lists(st.floats(0, 10), min_size=5, max_size=5).filter(lambda w: sum(w) > 0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(score_st, min_size=5, max_size=5), min_size=1, max_size=4),
    weights_st,
    st.integers(0, 4),
    st.floats(0, 1),
    st.floats(0, 10),
)
def test_the_scoring_rule_computed_independently_and_raising_a_score_never_lowers_it(
    tiny, rows, weights, j, step, cutoff
):
    # customer i scores rows[i]; customer R is customer 0 with criterion j raised towards 10 (when scored)
    raised = list(rows[0])
    if raised[j] is not None:
        raised[j] = raised[j] + step * (10 - raised[j])
    table = [*rows, raised]
    ids = [f"K{i}" for i in range(len(rows))] + ["R"]
    scores = [
        (cid, DEFAULT_IDS[k], v)
        for cid, row in zip(ids, table, strict=True)
        for k, v in enumerate(row)
        if v is not None
    ]
    if not scores:
        return
    book = engagement_with(tiny, [(cid, cid) for cid in ids], scores)
    w = dict(zip(DEFAULT_IDS, weights, strict=True))
    s = select_accounts(book, cutoff=cutoff, weights=w)
    got = by_id(s)["composite"]
    for cid, row in zip(ids, table, strict=True):
        used = [(w[c], (v - 1) / 9) for c, v in zip(DEFAULT_IDS, row, strict=True) if v is not None and w[c] > 0]
        if not used:
            assert np.isnan(got[cid]) and by_id(s).loc[cid, "status"] == "not_scored"
        else:
            expected = 10 * sum(wi * ni for wi, ni in used) / sum(wi for wi, _ in used)
            assert got[cid] == pytest.approx(expected, abs=1e-8)
            assert by_id(s).loc[cid, "proposed"] == (round(expected, 9) >= cutoff)
    if not np.isnan(got["K0"]):
        assert got["R"] >= got["K0"] - 1e-9


def test_views_get_the_summary_or_what_is_missing(tiny):
    from kamlib.plan.selection import select_or_explain

    selection, note = select_or_explain(tiny, "en")
    assert selection is not None and note == selection.summary("en")
    bare = kamlib.Engagement.from_frames(
        {n: getattr(tiny, n) for n in ("accounts", "criteria", "scores", "kams", "time")}
    )
    selection, note = select_or_explain(bare, "es")
    assert (selection, note) == (None, "Sin selección de cuentas clave: el encargo no incluye clientes candidatos.")
    unscored = kamlib.Engagement.from_frames(
        {n: getattr(tiny, n) for n in ("accounts", "criteria", "scores", "kams", "time", "customers")}
    )
    assert select_or_explain(unscored, "en") == (
        None,
        "No key-account selection: the candidate customers have no selection scores yet.",
    )
    with pytest.raises(KamError, match='add a sheet "selection_scores"'):  # the CLI still says what to add
        select_accounts(unscored)
