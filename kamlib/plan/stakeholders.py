"""Decision maps of each account's buying centre (METHOD.md §4): who decides, who we know, who needs action.

The workbook's optional `stakeholders` sheet lists the people of an account's buying centre, each with a
role, an influence on the purchase (1–5), an attitude toward us (−2 opposes … +2 supports), the strength of
our relationship (1–5) and who on our side knows them (`our_contact`, empty = nobody). The seed names the
tool but gives no rule for reading it, so the rules below are ours, kept as module constants:

- A person is *influential* when their influence is at least `INFLUENTIAL_FROM` (4).
- Only influential people are flagged, three ways (`FLAGS`):
  `no_contact` nobody on our side knows them; `opposes` their attitude is below zero (0 is neutral);
  `weak_relationship` we have a contact but the relationship is at most `WEAK_RELATIONSHIP_UP_TO` (2).
- An account's risk (`RISKS`) is `high` when an influential person opposes us or no decision maker is
  known to us (none listed, or none with a contact on our side); `medium` when any other flag is raised;
  `low` otherwise.
- "Known to us" means a contact on our side is named; the relationship's strength is what
  `weak_relationship` judges.

`coverage` has one row per account with people on its map; the accounts with none are
`unmapped_accounts`, kept apart so that no share or mean is ever taken over nobody. Pure pandas and numpy;
the tables and the HTML fragment are the words for people, in Spanish or English.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.errors import check_accounts
from kamlib.i18n import check_lang, number_text, short_text, signed_text

INFLUENTIAL_FROM = 4.0
"""Ours: a person with influence at or above this (1–5 scale) is influential, and may be flagged."""
OPPOSES_BELOW = 0.0
"""Ours: an influential person whose attitude (−2…+2) is below this opposes us; 0 is neutral."""
WEAK_RELATIONSHIP_UP_TO = 2.0
"""Ours: a relationship (1–5) at or below this with an influential person we have a contact with is weak."""

FLAGS: tuple[str, ...] = ("no_contact", "opposes", "weak_relationship")
"""What can be wrong with an influential person, in the order they are named."""
RISKS: tuple[str, ...] = ("high", "medium", "low")
"""An account's decision-map risk levels, worst first."""

FLAG_LABELS = {
    "no_contact": {"es": "Sin contacto", "en": "No contact"},
    "opposes": {"es": "En contra", "en": "Opposes us"},
    "weak_relationship": {"es": "Relación débil", "en": "Weak relationship"},
}
"""Short names of the flags, for tables, legends and tooltips."""
RISK_LABELS = {
    "high": {"es": "Alto", "en": "High"},
    "medium": {"es": "Medio", "en": "Medium"},
    "low": {"es": "Bajo", "en": "Low"},
}
ROLE_LABELS = {
    "decision_maker": {"es": "Decisor", "en": "Decision maker"},
    "influencer": {"es": "Influenciador", "en": "Influencer"},
    "user": {"es": "Usuario", "en": "User"},
    "gatekeeper": {"es": "Filtro", "en": "Gatekeeper"},
    "buyer": {"es": "Comprador", "en": "Buyer"},
}
"""The buying-centre roles (`kamlib.workbook.sheets.ROLES`) in words."""

PERSON_COLUMNS: tuple[str, ...] = (
    "account_id",
    "person",
    "title",
    "role",
    "influence",
    "attitude",
    "relationship",
    "our_contact",
    "has_contact",
    "influential",
    *FLAGS,
    "needs_action",
)
"""The columns of `flag_people` and `decision_map`."""

COVERAGE_COLUMNS: tuple[str, ...] = (
    "account_id",
    "name",
    "people",
    "influential",
    "influence_covered",
    "decision_maker_listed",
    "decision_maker_known",
    *FLAGS,
    "needs_action",
    "attitude_weighted",
    "risk",
)
"""The columns of `coverage`."""

_COVERAGE_DTYPES = {  # of an empty `coverage`
    **dict.fromkeys(("people", "influential", *FLAGS, "needs_action"), "int64"),
    **dict.fromkeys(("influence_covered", "attitude_weighted"), "float64"),
    **dict.fromkeys(("decision_maker_listed", "decision_maker_known"), "bool"),
}


UNMAPPED_COLUMNS: tuple[str, ...] = ("account_id", "name", "kam_id", "revenue")


_HEADERS = {
    "account_id": {"es": "Cuenta", "en": "Account"},
    "name": {"es": "Nombre", "en": "Name"},
    "people": {"es": "Personas", "en": "People"},
    "influential": {"es": "Influyentes", "en": "Influential"},
    "influence_covered": {"es": "Influencia con contacto (%)", "en": "Influence with a contact (%)"},
    "decision_maker_listed": {"es": "Decisor en el mapa", "en": "Decision maker listed"},
    "decision_maker_known": {"es": "Decisor conocido", "en": "Decision maker known"},
    **FLAG_LABELS,
    "needs_action": {"es": "Necesitan acción", "en": "Need action"},
    "attitude_weighted": {"es": "Actitud media (ponderada)", "en": "Mean attitude (weighted)"},
    "risk": {"es": "Riesgo", "en": "Risk"},
    "person": {"es": "Persona", "en": "Person"},
    "title": {"es": "Cargo", "en": "Job title"},
    "role": {"es": "Papel", "en": "Role"},
    "influence": {"es": "Influencia", "en": "Influence"},
    "attitude": {"es": "Actitud", "en": "Attitude"},
    "relationship": {"es": "Relación", "en": "Relationship"},
    "our_contact": {"es": "Nuestro contacto", "en": "Our contact"},
    "flags": {"es": "Alertas", "en": "Flags"},
}

STAKEHOLDER_WORDS = {
    "yes": {"es": "sí", "en": "yes"},
    "no": {"es": "no", "en": "no"},
    "none": {"es": "—", "en": "—"},
    "title": {"es": "Mapa de decisión", "en": "Decision map"},
    "unmapped": {
        "es": "La cuenta aún no tiene mapa de decisión: su centro de compras está por trazar.",
        "en": "This account has no decision map yet: its buying centre is still to be mapped.",
    },
    "people": {"es": "{n} personas en el mapa", "en": "{n} people on the map"},
    "one_person": {"es": "1 persona en el mapa", "en": "1 person on the map"},
    "influential": {
        "es": "{n} influyentes (influencia {threshold} o más)",
        "en": "{n} influential (influence {threshold} or more)",
    },
    "one_influential": {
        "es": "1 influyente (influencia {threshold} o más)",
        "en": "1 influential (influence {threshold} or more)",
    },
    "covered": {
        "es": "Conocemos a quienes reúnen el {share} % de la influencia.",
        "en": "We know the people who hold {share} % of the influence.",
    },
    "risk": {"es": "Riesgo {risk}", "en": "{risk} risk"},
    "opposes": {"es": "una persona influyente se opone a nosotros", "en": "an influential person opposes us"},
    "no_decision_maker": {"es": "no hay ningún decisor en el mapa", "en": "no decision maker is listed"},
    "unknown_decision_maker": {
        "es": "nadie de nuestro lado conoce a un decisor",
        "en": "nobody on our side knows a decision maker",
    },
    "other_flags": {
        "es": "hay personas influyentes sin contacto o con una relación débil",
        "en": "influential people have no contact or a weak relationship with us",
    },
    "all_well": {
        "es": "conocemos a las personas influyentes y ninguna se opone",
        "en": "we know the influential people and none opposes us",
    },
    "first": {"es": "Necesitan acción primero:", "en": "Need action first:"},
    "nobody": {"es": "Ninguna persona influyente tiene alertas.", "en": "No influential person is flagged."},
    "more": {"es": "y {n} más.", "en": "and {n} more."},
    "influence": {"es": "influencia {value}", "en": "influence {value}"},
    "portfolio": {
        "es": "{mapped} de {n} cuentas tienen mapa de decisión; riesgo alto en {high}, medio en {medium}.",
        "en": "{mapped} of {n} accounts have a decision map; high risk in {high}, medium in {medium}.",
    },
    "portfolio_unmapped": {
        "es": "Sin mapa: {names}.",
        "en": "No map: {names}.",
    },
}


def flag_people(people: pd.DataFrame) -> pd.DataFrame:
    """Flag each person of a stakeholders frame by our rules (see the module); keep its rows and order.

    `people` has the columns of the workbook's `stakeholders` sheet, validated (roles normalised, numbers
    as numbers). Returns `PERSON_COLUMNS`: `title` and `our_contact` trimmed (missing when empty), `has_contact`,
    `influential`, one boolean per flag and `needs_action` (any flag).
    """
    contact = people["our_contact"].map(_text_or_none)
    influence = people["influence"].to_numpy(dtype=float)
    attitude = people["attitude"].to_numpy(dtype=float)
    relationship = people["relationship"].to_numpy(dtype=float)
    has_contact = contact.notna().to_numpy(dtype=bool)
    influential = influence >= INFLUENTIAL_FROM
    frame = pd.DataFrame(
        {
            "account_id": people["account_id"].to_numpy(dtype=object),
            "person": people["person"].to_numpy(dtype=object),
            "title": people["title"].map(_text_or_none).to_numpy(dtype=object),
            "role": people["role"].to_numpy(dtype=object),
            "influence": influence,
            "attitude": attitude,
            "relationship": relationship,
            "our_contact": contact.to_numpy(dtype=object),
            "has_contact": has_contact,
            "influential": influential,
            "no_contact": influential & ~has_contact,
            "opposes": influential & (attitude < OPPOSES_BELOW),
            "weak_relationship": influential & has_contact & (relationship <= WEAK_RELATIONSHIP_UP_TO),
        }
    )
    frame["needs_action"] = frame[list(FLAGS)].any(axis=1)
    return frame[list(PERSON_COLUMNS)]


def _text_or_none(value: object) -> str | None:
    """A free-text cell trimmed, None when it holds nothing."""
    return (value.strip() or None) if isinstance(value, str) else None


def decision_map(engagement: Engagement, account_id: str) -> pd.DataFrame:
    """Return one account's people with their flags (`PERSON_COLUMNS`), most influential first.

    Ties keep the workbook's order; a person listed twice appears twice. An account without people gives
    an empty frame with the columns. `attrs` holds `account_id` and `account_name` (for a chart's title).
    Raises `KamError` naming the known accounts when `account_id` is not one of them.
    """
    name = _account_name(engagement, account_id)
    people = engagement.stakeholders[engagement.stakeholders["account_id"] == account_id]
    frame = flag_people(people).sort_values("influence", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs = {"account_id": account_id, "account_name": name}
    return frame


def coverage(engagement: Engagement, account_id: str | None = None) -> pd.DataFrame:
    """Sum up each mapped account's decision map (`COVERAGE_COLUMNS`), in the workbook's order of accounts.

    One row per account with at least one person on its map (or only `account_id`'s, which is an empty
    frame when that account has none: see `unmapped_accounts`). `influence_covered` is the share (0–1) of
    the account's total influence held by people we have a contact with; `attitude_weighted` the mean
    attitude weighted by influence; the flag columns and `needs_action` count people. Raises `KamError`
    for an unknown `account_id`.
    """
    accounts = engagement.accounts
    if account_id is not None:
        _account_name(engagement, account_id)
        accounts = accounts[accounts["account_id"] == account_id]
    people = flag_people(engagement.stakeholders)
    people = people[people["account_id"].isin(accounts["account_id"])]
    if people.empty:
        return pd.DataFrame({c: pd.Series(dtype=_COVERAGE_DTYPES.get(c, object)) for c in COVERAGE_COLUMNS})
    influence = people["influence"]
    is_decision_maker = people["role"] == "decision_maker"
    parts = people.assign(
        people=1,
        influence_known=influence.where(people["has_contact"], 0.0),
        attitude_x_influence=people["attitude"] * influence,
        decision_maker_listed=is_decision_maker,
        decision_maker_known=is_decision_maker & people["has_contact"],
    )
    sums = parts.groupby("account_id", sort=False).agg(
        people=("people", "sum"),
        influential=("influential", "sum"),
        influence=("influence", "sum"),
        influence_known=("influence_known", "sum"),
        attitude_x_influence=("attitude_x_influence", "sum"),
        decision_maker_listed=("decision_maker_listed", "any"),
        decision_maker_known=("decision_maker_known", "any"),
        **{flag: (flag, "sum") for flag in (*FLAGS, "needs_action")},
    )
    mapped = accounts[accounts["account_id"].isin(sums.index)]
    sums = sums.reindex(mapped["account_id"])
    frame = pd.DataFrame(
        {
            "account_id": mapped["account_id"].to_numpy(dtype=object),
            "name": mapped["name"].to_numpy(dtype=object),
            "people": sums["people"].to_numpy(dtype=np.int64),
            "influential": sums["influential"].to_numpy(dtype=np.int64),
            "influence_covered": (sums["influence_known"] / sums["influence"]).to_numpy(dtype=float),
            "decision_maker_listed": sums["decision_maker_listed"].to_numpy(dtype=bool),
            "decision_maker_known": sums["decision_maker_known"].to_numpy(dtype=bool),
            **{flag: sums[flag].to_numpy(dtype=np.int64) for flag in (*FLAGS, "needs_action")},
            "attitude_weighted": (sums["attitude_x_influence"] / sums["influence"]).to_numpy(dtype=float),
        }
    )
    frame["risk"] = account_risk(frame)
    return frame[list(COVERAGE_COLUMNS)]


def account_risk(coverage_rows: pd.DataFrame) -> np.ndarray:
    """Apply our risk rule to `coverage` rows: high (an influential opponent, or no decision maker known to
    us), medium (any other flag), low."""
    high = (coverage_rows["opposes"].to_numpy() > 0) | ~coverage_rows["decision_maker_known"].to_numpy(dtype=bool)
    medium = (coverage_rows["no_contact"].to_numpy() > 0) | (coverage_rows["weak_relationship"].to_numpy() > 0)
    return np.select([high, medium], ["high", "medium"], default="low").astype(object)


def unmapped_accounts(engagement: Engagement) -> pd.DataFrame:
    """Return the accounts with nobody on their decision map (`UNMAPPED_COLUMNS`), in the workbook's order."""
    accounts = engagement.accounts
    mapped = accounts["account_id"].isin(engagement.stakeholders["account_id"])
    return accounts.loc[~mapped, list(UNMAPPED_COLUMNS)].reset_index(drop=True)


def coverage_summary(
    engagement: Engagement, lang: str = "es", names: int = 8, covered: pd.DataFrame | None = None
) -> str:
    """One or two sentences on the portfolio's decision maps: how many accounts have one, how many at each risk,
    and (up to `names`, largest revenue first) which accounts have none. `covered` is `coverage(engagement)`
    when the caller has it already."""
    check_lang(lang)
    frame = coverage(engagement) if covered is None else covered
    risks = frame["risk"].value_counts()
    text = STAKEHOLDER_WORDS["portfolio"][lang].format(
        mapped=len(frame),
        n=len(engagement.accounts),
        high=int(risks.get("high", 0)),
        medium=int(risks.get("medium", 0)),
    )
    unmapped = unmapped_accounts(engagement).sort_values("revenue", ascending=False, kind="stable")
    if len(unmapped):
        shown = ", ".join(str(n) for n in unmapped["name"].head(names))
        more = (
            STAKEHOLDER_WORDS["more"][lang].format(n=len(unmapped) - names).rstrip(".") if len(unmapped) > names else ""
        )
        text += " " + STAKEHOLDER_WORDS["portfolio_unmapped"][lang].format(names=f"{shown} {more}".strip())
    return text


def coverage_table(frame: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """`coverage` for people: headers, yes/no and risk in `lang`, shares in % and attitudes to one decimal."""
    check_lang(lang)
    words = {key: text[lang] for key, text in STAKEHOLDER_WORDS.items()}
    table = frame[list(COVERAGE_COLUMNS)].copy()
    table["influence_covered"] = [number_text(100 * v, lang, 1) for v in table["influence_covered"]]
    table["attitude_weighted"] = [signed_text(v, lang, 2) for v in table["attitude_weighted"]]
    for column in ("decision_maker_listed", "decision_maker_known"):
        table[column] = [words["yes"] if v else words["no"] for v in table[column]]
    table["risk"] = [RISK_LABELS[r][lang] for r in table["risk"]]
    table = table.rename(columns={c: _HEADERS[c][lang] for c in table.columns})
    return table.set_index(_HEADERS["account_id"][lang])


def decision_map_table(frame: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """`decision_map` for people, one row per person: role and flags in words, numbers with `lang`'s decimals."""
    check_lang(lang)
    none = STAKEHOLDER_WORDS["none"][lang]
    table = pd.DataFrame(
        {
            "person": frame["person"].to_numpy(dtype=object),
            "title": [t if isinstance(t, str) else "" for t in frame["title"]],
            "role": [ROLE_LABELS[r][lang] for r in frame["role"]],
            "influence": [_short(v, lang) for v in frame["influence"]],
            "attitude": [signed_text(v, lang) for v in frame["attitude"]],
            "relationship": [_short(v, lang) for v in frame["relationship"]],
            "our_contact": [c if isinstance(c, str) else none for c in frame["our_contact"]],
            "flags": flag_text(frame, lang),
        }
    )
    table = table.rename(columns={c: _HEADERS[c][lang] for c in table.columns})
    return table.set_index(_HEADERS["person"][lang])


def flag_text(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each person's flags named in `lang`, comma-separated ("" for none)."""
    return [
        ", ".join(FLAG_LABELS[flag][lang] for flag in FLAGS if row[flag])
        for row in frame[list(FLAGS)].to_dict("records")
    ]


def risk_reasons(row: pd.Series, lang: str) -> str:
    """Why an account's risk is what it is, in words (the reasons of its level only), from a `coverage` row."""
    words = {key: text[lang] for key, text in STAKEHOLDER_WORDS.items()}
    reasons = []
    if row["opposes"] > 0:
        reasons.append(words["opposes"])
    if not row["decision_maker_listed"]:
        reasons.append(words["no_decision_maker"])
    elif not row["decision_maker_known"]:
        reasons.append(words["unknown_decision_maker"])
    if not reasons:
        reasons.append(words["other_flags"] if row["risk"] == "medium" else words["all_well"])
    return "; ".join(reasons)


def _account_name(engagement: Engagement, account_id: str) -> str:
    """The account's name, or a `KamError` naming the known accounts."""
    accounts = engagement.accounts
    found = accounts.loc[accounts["account_id"] == account_id, "name"]
    if found.empty:
        check_accounts([account_id], accounts["account_id"])
    name = found.iloc[0]
    return str(name) if isinstance(name, str) and name.strip() else str(account_id)


def _short(value: float, lang: str) -> str:
    """A score as short as it allows, at most one decimal: 4, 3.5 (decimal comma in Spanish)."""
    return short_text(value, lang, 1)
