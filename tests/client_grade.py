"""What a client must never read in a deliverable (issue 19): the checks every deliverable's text passes, in the
language it is written in. `problems(text, lang)` lists what it finds, each with the words around it."""

from __future__ import annotations

import re

from kamlib.workbook.sheets import SHEETS

_SHEET = "|".join(sheet.name for sheet in SHEETS)
_RULES: dict[str, dict[str, re.Pattern[str]]] = {
    "both": {
        "raw float": re.compile(r"\d{5,}\.0\b"),
        "number not grouped": re.compile(r"(?<![\w.,/:#-])\d{5,}(?![\w.,/:-])"),
        "developer note": re.compile(
            r"METHOD\.md|\b[Kk]am (?:report|serve|deck|ingest|score)\b|Voil[àa]|[Nn]otebook|papermill|nbconvert|"
            r"kamlib|\bNone\b|\bnan\b|\bNaN\b|`|Traceback"
        ),
        "advice to the consultant": re.compile(
            rf"\b(?:sheets?|hojas?)\s+\"?(?:{_SHEET})\b|\b(?:{_SHEET}) sheet\b|\bañád|\badd (?:it|them|a sheet)\b"
        ),
    },
    "en": {
        # below one, three significant digits are written (`kamlib.i18n.unit_text`: 0.065): a fourth is raw
        "raw float": re.compile(r"(?<![\d.])(?:[1-9]\d*\.\d{3,}|0\.0*[1-9]\d{3,})"),
        "Spanish decimal comma": re.compile(r"(?<![\d,])\d+,\d{1,2}(?![\d])"),
        "Spanish words": re.compile(r"\b(?:los|las|para|cuentas|según)\b"),
    },
    "es": {
        "raw float": re.compile(r"\d\.\d{4,}|(?<![\d.])\d{1,3}\.\d{3}\.\d{1,2}(?!\d)"),
        "English decimal point": re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d])"),
        "English words": re.compile(r"\b(?:the|with|which|accounts)\b"),
    },
}


def problems(text: str, lang: str, context: int = 30) -> list[str]:
    """Every match of the rules of `lang` (and of both languages) in `text`, with the words around it."""
    found = []
    for rules in (_RULES["both"], _RULES[lang]):
        for name, rule in rules.items():
            for match in rule.finditer(text):
                start, end = max(0, match.start() - context), match.end() + context
                found.append(f"{name}: …{text[start:end]!r}…".replace("\\n", " "))
    return found


def index_columns(html: str) -> list[str]:
    """Tables with an index column, as pandas draws a DataFrame: rows that open with a header cell (the row's
    number or label), or a blank header over them."""
    found = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.DOTALL):
        body = table.split("<tbody", 1)[-1]
        if "<thead" in table and (re.search(r"<tr[^>]*>\s*<th", body) or re.search(r"<th[^>]*>\s*</th>", table)):
            found.append(re.sub(r"\s+", " ", table)[:300])
    return found
