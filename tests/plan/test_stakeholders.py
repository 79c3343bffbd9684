"""Decision maps: our flags and risk rule at their boundaries, coverage worked by hand, tables, HTML, properties."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.errors import KamError
from kamlib.i18n import signed_text
from kamlib.plan.stakeholders import (
    COVERAGE_COLUMNS,
    FLAGS,
    PERSON_COLUMNS,
    UNMAPPED_COLUMNS,
    coverage,
    coverage_summary,
    coverage_table,
    decision_map,
    decision_map_table,
    flag_people,
    unmapped_accounts,
)
from kamlib.views.stakeholders import HTML_PEOPLE, stakeholders_html
from kamlib.workbook.sheets import ROLES

XSS = "<script>window.__kam_xss=1</script>"
COLUMNS = ["account_id", "person", "title", "role", "influence", "attitude", "relationship", "our_contact"]

# A1 puts every rule at its boundary (Spanish role spellings, as a workbook may hold them):
#   Ana    decisora        influence 4   (influential)  attitude 0 (neutral)  relationship 2 (weak)  contact María
#   Bea    comprador       influence 3.9 (not)          attitude −2           relationship 1         no contact
#   Carlos influenciador   influence 5                  attitude −0.5 (opposes) relationship 3       contact Jordi
#   Dani   usuario         influence 4.5                attitude 1            relationship 1         no contact
#   Elena  filtro          influence 4                  attitude 2            relationship 2.5       contact " Jordi "
# Flags: Ana weak_relationship; Bea none (not influential); Carlos opposes; Dani no_contact (weak needs a
# contact); Elena none. Influence 21.4 in all, 4 + 5 + 4 = 13 with a contact: covered 13/21.4 = 0.60748.
# Attitude weighted: (4·0 + 3.9·−2 + 5·−0.5 + 4.5·1 + 4·2)/21.4 = 2.2/21.4 = 0.10280. Risk high (Carlos).
# A2: Fran decision maker we know, Gil influential without a contact: medium.
# A3: Hugo, a decision maker we know with influence 2, opposes (−2) but is not influential: low.
# A4: nobody on its map.
PEOPLE = [
    ("A1", "Ana", "Directora general", "Decisora", 4, 0, 2, "María"),
    ("A1", "Bea", None, "comprador", 3.9, -2, 1, None),
    ("A1", "Carlos", "Jefe de calidad", "influenciador", 5, -0.5, 3, "Jordi"),
    ("A1", "Dani", "Jefe de tienda", "usuario", 4.5, 1, 1, None),
    ("A1", "Elena", "Recepción", "filtro", 4, 2, 2.5, " Jordi "),
    ("A2", "Fran", "CEO", "decision_maker", 5, 1, 4, "María"),
    ("A2", "Gil", "Compras", "buyer", 4, 0, 1, ""),
    ("A3", "Hugo", "Gerente", "DECISOR", 2, -2, 1, "Jordi"),
    ("A3", "Iris", None, "influenciadora", 3, 1, 1, None),
]


def sheets(tiny: kamlib.Engagement) -> dict[str, pd.DataFrame]:
    return {name: getattr(tiny, name) for name in ("accounts", "criteria", "scores", "kams", "time")}


def with_people(tiny: kamlib.Engagement, rows: list[tuple]) -> kamlib.Engagement:
    """The tiny engagement with these people on its decision maps (validated as a workbook would be)."""
    return kamlib.Engagement.from_frames({**sheets(tiny), "stakeholders": pd.DataFrame(rows, columns=COLUMNS)})


@pytest.fixture(scope="module")
def engagement(tiny: kamlib.Engagement) -> kamlib.Engagement:
    return with_people(tiny, PEOPLE)


def flags_of(frame: pd.DataFrame) -> dict[str, list[str]]:
    return {row["person"]: [f for f in FLAGS if row[f]] for row in frame.to_dict("records")}


def test_flags_at_their_boundaries(engagement: kamlib.Engagement) -> None:
    people = decision_map(engagement, "A1")
    assert list(people.columns) == list(PERSON_COLUMNS)
    assert flags_of(people) == {
        "Carlos": ["opposes"],
        "Dani": ["no_contact"],
        "Ana": ["weak_relationship"],
        "Elena": [],
        "Bea": [],
    }
    # Most influential first, ties (Ana, Elena at 4) in the workbook's order.
    assert people["person"].tolist() == ["Carlos", "Dani", "Ana", "Elena", "Bea"]
    assert people["role"].tolist() == ["influencer", "user", "decision_maker", "gatekeeper", "buyer"]
    assert people["influential"].tolist() == [True, True, True, True, False]
    assert people["needs_action"].tolist() == [True, True, True, False, False]
    assert people["our_contact"].fillna("").tolist() == ["Jordi", "", "María", "Jordi", ""]  # trimmed
    assert people.attrs == {"account_id": "A1", "account_name": "Supermercados Peñíscola"}


@pytest.mark.parametrize(
    ("influence", "attitude", "relationship", "contact", "flags", "risk"),
    [
        (4.0, 0.0, 2.0, "María", ["weak_relationship"], "medium"),  # every boundary on the flagged side but 0
        (4.0, 0.0, 2.1, "María", [], "low"),
        (4.0, -0.1, 3.0, "María", ["opposes"], "high"),
        (3.9, -2.0, 1.0, "María", [], "low"),  # not influential: never flagged
        (4.0, 0.0, 5.0, None, ["no_contact"], "high"),  # the only decision maker is unknown to us
        (5.0, -2.0, 1.0, None, ["no_contact", "opposes"], "high"),
    ],
)
def test_one_decision_maker_flags_and_risk(
    tiny: kamlib.Engagement,
    influence: float,
    attitude: float,
    relationship: float,
    contact: str | None,
    flags: list[str],
    risk: str,
) -> None:
    e = with_people(tiny, [("A2", "Ana", "CEO", "decisor", influence, attitude, relationship, contact)])
    assert flags_of(decision_map(e, "A2")) == {"Ana": flags}
    (row,) = coverage(e).to_dict("records")
    assert row["risk"] == risk
    assert row["decision_maker_listed"] and row["decision_maker_known"] == (contact is not None)


def test_no_decision_maker_listed_is_high_risk(tiny: kamlib.Engagement) -> None:
    e = with_people(tiny, [("A1", "Eva", None, "comprador", 5, 2, 5, "María")])
    (row,) = coverage(e).to_dict("records")
    assert not row["decision_maker_listed"] and not row["decision_maker_known"]
    assert row["no_contact"] == row["opposes"] == row["weak_relationship"] == 0
    assert row["risk"] == "high"


def test_coverage_worked_by_hand(engagement: kamlib.Engagement) -> None:
    frame = coverage(engagement)
    assert list(frame.columns) == list(COVERAGE_COLUMNS)
    assert frame["account_id"].tolist() == ["A1", "A2", "A3"]  # workbook order; A4 has nobody
    a1, a2, a3 = frame.to_dict("records")
    assert a1["name"] == "Supermercados Peñíscola"
    assert (a1["people"], a1["influential"]) == (5, 4)
    assert a1["influence_covered"] == pytest.approx(13 / 21.4)
    assert a1["attitude_weighted"] == pytest.approx(2.2 / 21.4)
    assert a1["decision_maker_listed"] and a1["decision_maker_known"]
    assert (a1["no_contact"], a1["opposes"], a1["weak_relationship"], a1["needs_action"]) == (1, 1, 1, 3)
    assert a1["risk"] == "high"
    # A2: Fran (5, known) and Gil (4, an empty contact is nobody): 5/9 covered; (5·1 + 4·0)/9.
    assert a2["influence_covered"] == pytest.approx(5 / 9)
    assert a2["attitude_weighted"] == pytest.approx(5 / 9)
    assert (a2["no_contact"], a2["opposes"], a2["risk"]) == (1, 0, "medium")
    # A3: Hugo opposes with influence 2, so no flag; covered 2/5; (2·−2 + 3·1)/5 = −0.2.
    assert a3["influence_covered"] == pytest.approx(2 / 5)
    assert a3["attitude_weighted"] == pytest.approx(-0.2)
    assert (a3["influential"], a3["needs_action"], a3["risk"]) == (0, 0, "low")


def test_one_account_unmapped_accounts_and_no_sheet(engagement: kamlib.Engagement, tiny: kamlib.Engagement) -> None:
    assert coverage(engagement, "A2")["account_id"].tolist() == ["A2"]
    empty = coverage(engagement, "A4")
    assert empty.empty and list(empty.columns) == list(COVERAGE_COLUMNS)
    unmapped = unmapped_accounts(engagement)
    assert list(unmapped.columns) == list(UNMAPPED_COLUMNS)
    assert unmapped["account_id"].tolist() == ["A4"] and unmapped["name"].tolist() == ["Épicerie Lumière"]
    # A workbook without the sheet: nothing mapped, every account unmapped, an empty map per account.
    bare = kamlib.Engagement.from_frames(sheets(tiny))
    assert coverage(bare).empty and list(coverage(bare).columns) == list(COVERAGE_COLUMNS)
    assert unmapped_accounts(bare)["account_id"].tolist() == ["A1", "A2", "A3", "A4"]
    people = decision_map(bare, "A1")
    assert people.empty and list(people.columns) == list(PERSON_COLUMNS)


def test_unknown_account_names_the_known_ones(engagement: kamlib.Engagement) -> None:
    for call in (decision_map, coverage, stakeholders_html):
        with pytest.raises(KamError, match=r"^unknown account 'A9'; known: A1, A2, A3, A4$") as raised:
            call(engagement, "A9")
        assert raised.value.render("es") == "no existe la cuenta 'A9'; existentes: A1, A2, A3, A4"


def test_inputs_are_not_changed(engagement: kamlib.Engagement) -> None:
    before = engagement.stakeholders.copy()
    people = decision_map(engagement, "A1")
    people["person"] = "x"
    coverage(engagement)
    stakeholders_html(engagement, "A1")
    pd.testing.assert_frame_equal(engagement.stakeholders, before)


def test_coverage_table_in_both_languages(engagement: kamlib.Engagement) -> None:
    es = coverage_table(coverage(engagement), "es")
    assert es.index.name == "Cuenta" and es.index.tolist() == ["A1", "A2", "A3"]
    a1 = es.loc["A1"]
    assert a1["Influencia con contacto (%)"] == "60,7"
    assert a1["Actitud media (ponderada)"] == "+0,10"
    assert (a1["Decisor en el mapa"], a1["Decisor conocido"]) == ("sí", "sí")
    assert (a1["Sin contacto"], a1["En contra"], a1["Relación débil"], a1["Riesgo"]) == (1, 1, 1, "Alto")
    assert es.loc["A3", "Actitud media (ponderada)"] == "\u22120,20"
    assert es["Riesgo"].tolist() == ["Alto", "Medio", "Bajo"]
    en = coverage_table(coverage(engagement), "en")
    assert en.index.name == "Account"
    assert en.loc["A1", "Influence with a contact (%)"] == "60.7"
    assert en.loc["A1", "Mean attitude (weighted)"] == "+0.10"
    assert en.loc["A2", "Decision maker known"] == "yes"
    assert en["Risk"].tolist() == ["High", "Medium", "Low"]
    assert coverage_table(coverage(engagement, "A4"), "en").empty


def test_decision_map_table_in_both_languages(engagement: kamlib.Engagement) -> None:
    es = decision_map_table(decision_map(engagement, "A1"), "es")
    assert es.index.name == "Persona"
    assert list(es.columns) == ["Cargo", "Papel", "Influencia", "Actitud", "Relación", "Nuestro contacto", "Alertas"]
    assert es.loc["Carlos"].tolist() == [
        "Jefe de calidad",
        "Influenciador",
        "5",
        "\u22120,5",
        "3",
        "Jordi",
        "En contra",
    ]
    assert es.loc["Bea"].tolist() == ["", "Comprador", "3,9", "\u22122", "1", "—", ""]
    assert es.loc["Elena", "Actitud"] == "+2" and es.loc["Elena", "Relación"] == "2,5"
    assert es.loc["Ana", "Actitud"] == "0" and es.loc["Ana", "Alertas"] == "Relación débil"
    en = decision_map_table(decision_map(engagement, "A1"), "en")
    assert en.loc["Dani"].tolist() == ["Jefe de tienda", "User", "4.5", "+1", "1", "—", "No contact"]
    assert en.loc["Ana", "Role"] == "Decision maker" and en.loc["Elena", "Role"] == "Gatekeeper"
    both = with_people_flags_all()
    assert decision_map_table(both, "en").loc["Zoe", "Flags"] == "No contact, Opposes us"


def with_people_flags_all() -> pd.DataFrame:
    """A person with two flags, straight through `flag_people`."""
    people = pd.DataFrame([("A1", "Zoe", None, "buyer", 5.0, -1.0, 1.0, None)], columns=COLUMNS)
    return flag_people(people)


def test_flag_people_trims_free_text() -> None:
    people = pd.DataFrame(
        [("A1", "Zoe", "  ", "buyer", 4.0, 1.0, 1.0, "   "), ("A1", "Yan", " Jefe ", "user", 4.0, 1.0, 1.0, " Ana ")],
        columns=COLUMNS,
    )
    flagged = flag_people(people)
    assert flagged["has_contact"].tolist() == [False, True]
    assert flagged["no_contact"].tolist() == [True, False] and flagged["weak_relationship"].tolist() == [False, True]
    assert flagged["our_contact"].fillna("").tolist() == ["", "Ana"]
    assert flagged["title"].fillna("").tolist() == ["", "Jefe"]


def test_bad_language_is_refused(engagement: kamlib.Engagement) -> None:
    with pytest.raises(KamError, match=r"unknown language 'fr'; allowed: es, en"):
        coverage_table(coverage(engagement), "fr")
    with pytest.raises(KamError, match=r"unknown language 'fr'"):
        stakeholders_html(engagement, "A1", "fr")


def test_html_names_who_needs_action_first(engagement: kamlib.Engagement) -> None:
    text = stakeholders_html(engagement, "A1", "es")
    assert text.startswith('<section lang="es"') and text.endswith("</section>")
    assert "5 personas en el mapa, 4 influyentes (influencia 4 o más)" in text
    assert "Conocemos a quienes reúnen el 60,7 % de la influencia." in text
    assert "<b>Riesgo alto</b>: una persona influyente se opone a nosotros." in text
    items = text.split("<li")[1:]
    assert [item.split("<b>")[1].split("</b>")[0] for item in items] == ["Carlos", "Dani", "Ana"]
    assert "(Jefe de calidad · Influenciador · influencia 5): se opone a nosotros (actitud \u22120,5)." in items[0]
    assert "nadie de nuestro lado la conoce." in items[1]
    assert "relación débil (2 de 5) a través de María." in items[2]
    assert "Elena" not in text and "Bea" not in text
    en = stakeholders_html(engagement, "A2", "en")
    assert "2 people on the map, 2 influential (influence 4 or more)" in en
    assert "We know the people who hold 55.6 % of the influence." in en
    assert "<b>Medium risk</b>: influential people have no contact or a weak relationship with us." in en
    assert "<b>Gil</b> (Compras · Buyer · influence 4): nobody on our side knows them." in en
    low = stakeholders_html(engagement, "A3", "en")
    assert "<b>Low risk</b>: we know the influential people and none opposes us." in low
    assert "No influential person is flagged." in low and "<li" not in low


def test_html_reasons_for_an_unknown_decision_maker(tiny: kamlib.Engagement) -> None:
    e = with_people(tiny, [("A1", "Ana", None, "decisor", 3, 1, 4, None), ("A2", "Bo", None, "user", 1, 1, 1, "M")])
    assert "<b>Riesgo alto</b>: nadie de nuestro lado conoce a un decisor." in stakeholders_html(e, "A1", "es")
    assert "1 person on the map, 0 influential" in stakeholders_html(e, "A1", "en")
    assert "<b>High risk</b>: no decision maker is listed." in stakeholders_html(e, "A2", "en")


def test_html_counts_the_people_beyond_the_first(tiny: kamlib.Engagement) -> None:
    rows = [("A1", f"P{i}", None, "user", 5 - i / 10, 1, 5, None) for i in range(HTML_PEOPLE + 2)]
    text = stakeholders_html(with_people(tiny, rows), "A1", "es")
    assert text.count("<b>P") == HTML_PEOPLE and "<b>P0</b>" in text and "<b>P5</b>" not in text
    assert "y 2 más." in text


def test_html_order_influence_then_flags_then_opposition(tiny: kamlib.Engagement) -> None:
    rows = [
        ("A1", "No contact", None, "user", 5, 1, 5, None),  # 1 flag
        ("A1", "Opposes, known", None, "user", 5, -2, 5, "María"),  # 1 flag, more opposed
        ("A1", "Two flags", None, "user", 5, -0.5, 5, None),  # no contact and opposes
        ("A1", "Less influence", None, "decisor", 4.5, -2, 1, None),
    ]
    text = stakeholders_html(with_people(tiny, rows), "A1", "en")
    names = [item.split("<b>")[1].split("</b>")[0] for item in text.split("<li")[1:]]
    assert names == ["Two flags", "Opposes, known", "No contact", "Less influence"]


def test_html_without_a_map(engagement: kamlib.Engagement) -> None:
    assert "La cuenta aún no tiene mapa de decisión" in stakeholders_html(engagement, "A4", "es")
    text = stakeholders_html(engagement, "A4", "en")
    assert "This account has no decision map yet: its buying centre is still to be mapped." in text
    assert "<ul" not in text


def test_html_escapes_every_text_from_the_workbook(tiny: kamlib.Engagement) -> None:
    e = with_people(
        tiny, [("A1", XSS, XSS, "decisor", 5, -1, 1, XSS), ("A1", '"Quote" & Co', None, "user", 4, 1, 5, None)]
    )
    text = stakeholders_html(e, "A1", "en")
    assert "<script>" not in text and "</script>" not in text
    escaped = "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;"
    assert text.count(escaped) == 3  # name, title and our contact (weak relationship through them)
    assert "&quot;Quote&quot; &amp; Co" in text


def test_signed_numbers() -> None:
    # half away from zero, as people round (0.25 → 0.3), and no negative zero
    assert [signed_text(v, "es") for v in (-1.5, 0.0, -0.04, 2.0, 0.25)] == ["\u22121,5", "0", "0", "+2", "+0,3"]
    assert signed_text(-0.2, "en", 2) == "\u22120.20" and signed_text(float("nan"), "en") == "—"


def test_importing_stakeholders_does_not_load_altair() -> None:
    code = "import sys, kamlib.plan.stakeholders; assert 'altair' not in sys.modules, 'altair loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties ---------------------------------------------------------------------------------------

_ROLE_SPELLINGS = [*ROLES, "decisor", "Decisora", "comprador", "influenciador", "usuaria", "filtro", "guardián"]
_people = st.lists(
    st.tuples(
        st.sampled_from(["A1", "A2", "A3", "A4"]),
        st.sampled_from(["Ana", "Bo", "Cy"]),
        st.sampled_from(_ROLE_SPELLINGS),
        st.one_of(st.sampled_from([1.0, 3.9, 4.0, 5.0]), st.floats(1, 5)),
        st.one_of(st.sampled_from([-2.0, 0.0, 2.0]), st.floats(-2, 2)),
        st.one_of(st.sampled_from([1.0, 2.0, 5.0]), st.floats(1, 5)),
        st.sampled_from([None, "", "  ", "María"]),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None)
@given(rows=_people)
def test_coverage_properties(tiny: kamlib.Engagement, rows: list[tuple]) -> None:
    e = with_people(tiny, [(a, p, None, r, i, att, rel, c) for a, p, r, i, att, rel, c in rows])
    people = flag_people(e.stakeholders)
    assert not people.loc[~people["influential"], list(FLAGS)].to_numpy().any()  # flags only on the influential
    assert (people["needs_action"] == people[list(FLAGS)].any(axis=1)).all()
    frame = coverage(e)
    assert frame["influence_covered"].between(0, 1).all()
    assert frame["attitude_weighted"].between(-2, 2).all()
    assert frame["people"].sum() == len(rows)
    for flag in FLAGS:
        assert frame[flag].sum() == people[flag].sum()
    high = (frame["opposes"] > 0) | ~frame["decision_maker_known"]
    medium = ~high & ((frame["no_contact"] + frame["weak_relationship"]) > 0)
    assert frame["risk"].tolist() == np.where(high, "high", np.where(medium, "medium", "low")).tolist()
    mapped = set(frame["account_id"])
    assert mapped.isdisjoint(unmapped_accounts(e)["account_id"])
    assert mapped | set(unmapped_accounts(e)["account_id"]) == set(e.accounts["account_id"])
    assert all(len(decision_map(e, a)) == n for a, n in zip(frame["account_id"], frame["people"], strict=True))


def test_coverage_summary_counts_maps_and_risks_and_names_the_largest_unmapped(
    engagement: kamlib.Engagement, tiny: kamlib.Engagement
) -> None:
    risks = coverage(engagement)["risk"].value_counts()
    mapped = len(coverage(engagement))
    text = coverage_summary(engagement, "en")
    assert text.startswith(
        f"{mapped} of 4 accounts have a decision map; high risk in {risks.get('high', 0)}, "
        f"medium in {risks.get('medium', 0)}."
    )
    unmapped = unmapped_accounts(engagement).sort_values("revenue", ascending=False)
    if len(unmapped):
        assert f"No map: {unmapped['name'].iloc[0]}" in text
    bare = kamlib.Engagement.from_frames(sheets(tiny))
    es = coverage_summary(bare, "es", names=2)
    assert es.startswith("0 de 4 cuentas tienen mapa de decisión; riesgo alto en 0, medio en 0. Sin mapa: ")
    assert es.endswith("Supermercados Peñíscola, Distribuciones Cantábrico y 2 más.")  # largest revenue first
