"""One account's decision map for its report, as an HTML fragment: coverage, risk and the people needing action
first."""

from __future__ import annotations

import html

import numpy as np

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, number_text, short_text, signed_text
from kamlib.plan.stakeholders import (
    FLAGS,
    INFLUENTIAL_FROM,
    RISK_LABELS,
    ROLE_LABELS,
    STAKEHOLDER_WORDS,
    coverage,
    decision_map,
    risk_reasons,
)

HTML_PEOPLE = 5
"""How many people needing action the HTML fragment names; it counts the rest."""


_PLAIN_FLAGS = {
    "no_contact": {"es": "nadie de nuestro lado la conoce", "en": "nobody on our side knows them"},
    "opposes": {"es": "se opone a nosotros (actitud {attitude})", "en": "opposes us (attitude {attitude})"},
    "weak_relationship": {
        "es": "relación débil ({relationship} de 5) a través de {contact}",
        "en": "weak relationship ({relationship} of 5) through {contact}",
    },
}
"""The flags in plain words for the account report; `{...}` are filled in from the person's row."""


def stakeholders_html(engagement: Engagement, account_id: str, lang: str = "es") -> str:
    """Write one account's decision map for its report: coverage, risk and the people needing action first.

    The people are ordered most influential first, then most flags, then most opposed; the first
    `HTML_PEOPLE` are named and the rest counted. Self-contained (inline styles); every text from the
    workbook is escaped. An account without a map gets a sentence saying how to start one.
    """
    check_lang(lang)
    esc = html.escape
    words = {key: text[lang] for key, text in STAKEHOLDER_WORDS.items()}
    people = decision_map(engagement, account_id)
    lines = [f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(words["title"])}</h3>']
    if people.empty:
        lines.append(f"<p>{esc(words['unmapped'])}</p>")
        return _section(lines, lang)
    row = coverage(engagement, account_id).iloc[0]
    share = number_text(100 * float(row["influence_covered"]), lang, 1)
    people_n, influential_n = int(row["people"]), int(row["influential"])
    counts = (words["one_person"] if people_n == 1 else words["people"].format(n=people_n)) + ", "
    threshold = short_text(INFLUENTIAL_FROM, lang, 1)
    counts += (words["one_influential"] if influential_n == 1 else words["influential"]).format(
        n=influential_n, threshold=threshold
    )
    lines.append(
        "<p>"
        + esc(f"{counts}. {words['covered'].format(share=share)}")
        + f" <b>{esc(words['risk'].format(risk=_risk_word(row['risk'], lang)))}</b>: "
        + esc(risk_reasons(row, lang))
        + ".</p>"
    )
    action = people[people["needs_action"]]
    if action.empty:
        lines.append(f"<p>{esc(words['nobody'])}</p>")
        return _section(lines, lang)
    order = np.lexsort(
        (action["attitude"].to_numpy(), -action[list(FLAGS)].sum(axis=1).to_numpy(), -action["influence"].to_numpy())
    )
    action = action.iloc[order]
    items = "".join(
        f'<li style="margin:2px 0">{_person_html(person, lang)}</li>'
        for person in action.head(HTML_PEOPLE).to_dict("records")
    )
    more = len(action) - HTML_PEOPLE
    if more > 0:
        items += f'<li style="margin:2px 0;list-style:none">{esc(words["more"].format(n=more))}</li>'
    lines.append(f'<p style="margin:4px 0 0">{esc(words["first"])}</p>')
    lines.append(f'<ul style="margin:0;padding-left:24px">{items}</ul>')
    return _section(lines, lang)


def _section(lines: list[str], lang: str) -> str:
    return f'<section lang="{lang}" style="font-size:18px;line-height:1.45">' + "".join(lines) + "</section>"


def _risk_word(risk: str, lang: str) -> str:
    """The risk level as it reads inside a sentence: "Riesgo alto", "High risk"."""
    return RISK_LABELS[risk][lang].lower() if lang == "es" else RISK_LABELS[risk][lang]


def _person_html(person: dict, lang: str) -> str:
    """One person needing action: name in bold, then title, role and influence, then the flags in words."""
    esc = html.escape
    about = [
        person["title"] if isinstance(person["title"], str) else None,
        ROLE_LABELS[person["role"]][lang],
        STAKEHOLDER_WORDS["influence"][lang].format(value=short_text(person["influence"], lang, 1)),
    ]
    flags = [
        _PLAIN_FLAGS[flag][lang].format(
            attitude=signed_text(person["attitude"], lang),
            relationship=short_text(person["relationship"], lang, 1),
            contact=person["our_contact"],
        )
        for flag in FLAGS
        if person[flag]
    ]
    return f"<b>{esc(str(person['person']))}</b> ({esc(' · '.join(a for a in about if a))}): {esc('; '.join(flags))}."
