"""How robust an account's strategy is to the weights (SMAA), as HTML: one account's bar of the four
probabilities, and the accounts on the fence."""

from __future__ import annotations

import html

import pandas as pd

from kamlib.colours import QUADRANT_COLOURS
from kamlib.i18n import check_lang, number_text, percent_text
from kamlib.method import ON_THE_FENCE, QUADRANTS, STRATEGY_NAMES
from kamlib.scenarios.robustness import Robustness
from kamlib.scoring import find_account

WORDS = {
    "es": {
        "title": "Robustez de la ubicación",
        "holds": "Se mantiene en {strategy} en el {p} % ± {error} de {draws} pesos extraídos ({how}).",
        "other": "La alternativa más probable es {strategy} ({p} %).",
        "fence": "En la frontera: su estrategia depende de los pesos.",
        "steady": "Ubicación estable.",
        "unplaced": "Cuenta sin situar en la matriz: no hay ubicación cuya robustez medir.",
    },
    "en": {
        "title": "Robustness of the placement",
        "holds": "Stays in {strategy} in {p} % ± {error} of {draws} weight draws ({how}).",
        "other": "The likeliest alternative is {strategy} ({p} %).",
        "fence": "On the fence: its strategy depends on the weights.",
        "steady": "A stable placement.",
        "unplaced": "Account not placed in the matrix: there is no placement whose robustness to measure.",
    },
}


def placement_html(result: Robustness, account_id: str, lang: str = "es") -> str:
    """One account's robustness as an HTML fragment for its report: how often its strategy holds, with its
    error, the likeliest alternative, and a bar of the four probabilities. Self-contained; names escaped."""
    check_lang(lang)
    row = find_account(result.accounts, account_id)
    words = WORDS[lang]
    title = f'<h3 style="margin:16px 0 4px;font-size:20px">{html.escape(words["title"])}</h3>'
    if pd.isna(row["quadrant"]):
        return f"<section>{title}<p>{html.escape(words['unplaced'])}</p></section>"
    how = result.method(lang)
    sentence = words["holds"].format(
        strategy=STRATEGY_NAMES[row["quadrant"]][lang],
        p=number_text(100 * row["stability"], lang, 1),
        error=number_text(100 * row["stability_error"], lang, 1),
        draws=number_text(result.draws, lang, 0),
        how=how,
    )
    if pd.notna(row["likeliest_other"]):
        sentence += " " + words["other"].format(
            strategy=STRATEGY_NAMES[row["likeliest_other"]][lang],
            p=number_text(100 * row[f"p_{row['likeliest_other']}"], lang, 1),
        )
    verdict = words["fence"] if row["on_the_fence"] else words["steady"]
    weight = "font-weight:700;" if row["on_the_fence"] else ""

    def segment(q: str) -> str:
        p = row[f"p_{q}"]
        tip = f"{STRATEGY_NAMES[q][lang]}: {number_text(100 * p, lang, 1)} %"
        style = f"display:inline-block;height:14px;width:{100 * p:.3f}%;background:{QUADRANT_COLOURS[q]}"
        return f'<span title="{html.escape(tip)}" style="{style}"></span>'

    segments = "".join(segment(q) for q in QUADRANTS if row[f"p_{q}"] > 0)
    legend = " · ".join(
        f'<span style="color:{QUADRANT_COLOURS[q]}">■</span> {html.escape(STRATEGY_NAMES[q][lang])} '
        f"{number_text(100 * row[f'p_{q}'], lang, 1)} %"
        for q in QUADRANTS
    )
    return (
        f'<section lang="{lang}" style="font-size:18px;line-height:1.45;margin:0 0 16px">{title}'
        f'<p style="margin:0 0 6px">{html.escape(sentence)} '
        f'<span style="{weight}">{html.escape(verdict)}</span></p>'
        f'<div style="display:flex;width:100%;max-width:640px;border:1px solid #CBD2D9">{segments}</div>'
        f'<p style="margin:4px 0 0;font-size:15px">{legend}</p></section>'
    )


def fence_html(result: Robustness, lang: str = "es") -> str:
    """The accounts on the fence as an HTML table (names escaped), or a sentence saying there are none."""
    table = result.table(lang, only_fence=True)
    if table.empty:
        share = percent_text(ON_THE_FENCE * 100, lang, 0)
        none = {
            "es": "Ninguna cuenta está en la frontera: cada estrategia se mantiene en al menos el "
            f"{share} de los pesos.",
            "en": f"No account is on the fence: every strategy holds in at least {share} of the weight draws.",
        }[lang]
        return f"<p>{html.escape(none)}</p>"
    return table.to_html(index=False, escape=True, border=0)
