"""The scoring guide: what a score means on a criterion's scale, from the workbook's optional `scoring_guide` sheet.

One row per criterion and score, at as many levels as the consultant writes, in Spanish, English or both:

    criterion_id  score  text_es                                         text_en
    volume        1      Compra muy poco en nuestra categoría: …         Buys very little in our category: …
    volume        10     Entre los mayores compradores de la categoría…  Among the largest buyers of the category…

The sheet's own rules (a score within its criterion's scale, an id of sheet `criteria`) are the contract's
(`kamlib.workbook.sheets`); `guide_problems` adds the two a row cannot check alone. `anchors` gives a criterion's
guide in one language, lowest score first, for whoever shows it beside a score input. `kam template` starts the
sheet with `kamlib.method.SCORE_ANCHORS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamlib.errors import Problem
from kamlib.i18n import check_lang

SHEET = "scoring_guide"
_OTHER = {"es": "en", "en": "es"}


def _text(value: object) -> str | None:
    """A filled text cell's text, else None (an absent column reads as None, an empty frame's cell as NaN)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def guide_problems(guide: pd.DataFrame, file: str) -> list[Problem]:
    """A row that says nothing (neither text) and a criterion's score described twice (rows as the workbook
    numbers them; a score compared as the number it reads as, so `7` and `7,0` are the same)."""
    problems = []
    seen: dict[tuple[str, float], int] = {}
    for row, criterion, score, es, en in zip(
        guide.index, guide["criterion_id"], guide["score"], guide["text_es"], guide["text_en"], strict=True
    ):
        if _text(es) is None and _text(en) is None:
            problems.append(Problem("no_guide_text", file, SHEET, int(row), "text_es"))
        if criterion is None or pd.isna(score):
            continue  # an empty cell: already reported by the contract's rules
        key = (str(criterion), float(score))
        if key in seen:
            params = {"criterion": criterion, "first_row": seen[key]}
            problems.append(Problem("duplicate_anchor", file, SHEET, int(row), "score", score, params))
        else:
            seen[key] = int(row)
    return problems


@dataclass(frozen=True)
class Anchor:
    """One level of a criterion's scoring guide: a score and what it means."""

    score: float
    text: str
    lang: str
    """The language `text` is in: the one asked for, or the other when the guide has only that one."""


def anchors(guide: pd.DataFrame, criterion_id: str, lang: str) -> list[Anchor]:
    """List what the scores of one criterion mean, lowest score first, in `lang` (`es` or `en`); a row without
    text in `lang` gives its text in the other language. A criterion the guide does not describe has none.

    >>> guide = pd.DataFrame(
    ...     {
    ...         "criterion_id": ["growth", "growth", "volume"],
    ...         "score": [10.0, 1.0, 1.0],
    ...         "text_es": ["Crece mucho", None, "Compra poco"],
    ...         "text_en": ["Grows fast", "Shrinks", None],
    ...     }
    ... )
    >>> anchors(guide, "growth", "es")
    [Anchor(score=1.0, text='Shrinks', lang='en'), Anchor(score=10.0, text='Crece mucho', lang='es')]
    """
    check_lang(lang)
    rows = guide[guide["criterion_id"] == criterion_id].sort_values("score", kind="stable")
    found = []
    for score, es, en in zip(rows["score"], rows["text_es"], rows["text_en"], strict=True):
        texts = {"es": _text(es), "en": _text(en)}
        shown = lang if texts[lang] is not None else _OTHER[lang]
        if texts[shown] is not None:
            found.append(Anchor(float(score), texts[shown], shown))
    return found


__all__ = ["SHEET", "Anchor", "anchors", "guide_problems"]
