"""The pieces every client page is made of (reports, dashboard): its heading from the engagement's identity,
tables and text as a client reads them. Any table of kamlib's (a DataFrame whose headers are already in the
reader's language) as HTML with no index column, every number written by `kamlib.i18n` in the deliverable's
language and aligned right, amounts in the engagement's currency; findings and summaries as paragraphs.

A table says how a column is written in `frame.attrs["units"]` (header → unit), where the default would not do:

- `money`: an amount in the currency (`28.188.082 €`);
- `percent`: a percentage in points (`25,3 %`);
- `integer`, `decimal1`, `decimal2`: a number with that many decimals;
- `signed`: a change with its sign (`+1,2`, `−0,4`);
- `date`: a date (`7 dic 2026`).

Otherwise a column of whole numbers is written without decimals, other numbers with at most two decimals,
booleans as Sí/No (Yes/No), text as it is (escaped), and an empty cell as a dash. A meaningful index (the
strategy naming each row, say) becomes the table's first column; a plain row number is dropped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.i18n import check_lang, date_text, money_text, number_text, percent_text, short_text, signed_text
from kamlib.views.style import FONT, MUTED, TEXT
from kamlib.workbook.identity import Identity

UNITS = ("money", "percent", "integer", "decimal1", "decimal2", "signed", "date")
"""The units a table may give a column in `frame.attrs["units"]` (see the module's docstring)."""
_YES_NO = {"es": ("Sí", "No"), "en": ("Yes", "No")}
_CELL = "padding:4px 10px;border-bottom:1px solid #E4E7EB;vertical-align:top"
_STYLE = f"border-collapse:collapse;font-family:{FONT};font-size:14px;color:{TEXT};margin:8px 0 16px"


def _writer(unit: str, lang: str, currency: str) -> Callable[[object], str]:
    """The function that writes one cell of a column in `unit`."""
    writers: dict[str, Callable[[object], str]] = {
        "money": lambda v: money_text(v, lang, currency),
        "percent": lambda v: percent_text(v, lang),
        "integer": lambda v: number_text(v, lang, 0),
        "decimal1": lambda v: number_text(v, lang, 1),
        "decimal2": lambda v: number_text(v, lang, 2),
        "signed": lambda v: signed_text(v, lang),
        "date": lambda v: date_text(v, lang),
    }
    if unit not in writers:
        raise ValueError(f"unknown unit {unit!r}; allowed: {', '.join(UNITS)}")
    return writers[unit]


def _default_unit(column: pd.Series) -> str | None:
    """How a column is written when its table does not say: None for text and booleans."""
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return None
    values = column.dropna().to_numpy(dtype=np.float64)
    whole = bool(np.all(np.isfinite(values) & (values == np.round(values))))
    return "integer" if whole else "short"


def _cells(column: pd.Series, unit: str | None, lang: str, currency: str) -> list[str]:
    """Each cell of a column as escaped text."""
    yes, no = _YES_NO[lang]
    if unit is None:
        return [
            "—"
            if v is None or (isinstance(v, float) and np.isnan(v))
            else (yes if v else no)
            if isinstance(v, (bool, np.bool_))
            else html.escape(str(v))
            for v in column
        ]
    write = (lambda v: short_text(v, lang, 2)) if unit == "short" else _writer(unit, lang, currency)
    return [html.escape(write(None if pd.isna(v) else v)) for v in column]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as a first column when it names the rows, dropped when it only numbers them, and
    headers of several levels joined."""
    index = frame.index
    numbered = isinstance(index, pd.RangeIndex) or (index.name is None and pd.api.types.is_integer_dtype(index))
    frame = frame.reset_index(drop=numbered)
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" · ".join(str(p) for p in c if str(p) and not str(p).startswith("Unnamed")) for c in frame]
    return frame


def table_html(
    frame: pd.DataFrame, lang: str, currency: str = "EUR", units: Mapping[str, str] | None = None, caption: str = ""
) -> str:
    """A table for people (see the module's docstring): `units` adds to or overrides `frame.attrs["units"]`."""
    check_lang(lang)
    given = {**frame.attrs.get("units", {}), **(units or {})}
    frame = _plain(frame)
    head, columns = [], []
    for name in frame.columns:
        column = frame[name]
        unit = given.get(str(name), _default_unit(column))
        align = "left" if unit is None else "right"
        head.append(f'<th style="{_CELL};text-align:{align};font-weight:600">{html.escape(str(name))}</th>')
        columns.append([(align, cell) for cell in _cells(column, unit, lang, currency)])
    rows = "".join(
        "<tr>" + "".join(f'<td style="{_CELL};text-align:{a}">{c}</td>' for a, c in row) + "</tr>"
        for row in zip(*columns, strict=True)
    )
    title = f'<caption style="text-align:left;color:{MUTED};padding:4px 0">{html.escape(caption)}</caption>'
    return (
        f'<table class="kam-table" style="{_STYLE}">{title if caption else ""}'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{rows}</tbody></table>"
    )


def subheading_html(title: str) -> str:
    """A section's heading inside a report page (escaped): the customer's view, the cost to serve, a forecast."""
    return f'<h3 style="margin:16px 0 4px;font-size:20px">{html.escape(title)}</h3>'


def text_html(lines: str | Iterable[str], listed: bool = False) -> str:
    """Lines of text (a summary, findings) as paragraphs, or as a list with `listed`; empty lines are dropped."""
    lines = [line for line in ([lines] if isinstance(lines, str) else lines) for line in line.split("\n")]
    kept = [html.escape(line.strip()) for line in lines if line.strip()]
    if not kept:
        return ""
    style = f"font-family:{FONT};font-size:15px;color:{TEXT};line-height:1.45"
    if listed:
        return f'<ul style="{style}">' + "".join(f"<li>{line}</li>" for line in kept) + "</ul>"
    return "".join(f'<p style="{style};margin:6px 0">{line}</p>' for line in kept)


def heading_html(
    identity: Identity, deliverable: str, lang: str, subject: str = "", today: dt.date | None = None
) -> str:
    """A page's heading: the deliverable's title from the engagement's identity (`Identity.title`), the
    `subject` (an account's name) under it when there is one, and the byline (for whom, by whom, when)."""
    title = html.escape(identity.title(deliverable, lang))
    byline = html.escape(identity.byline(lang, today))
    parts = [f'<h1 style="margin:0 0 4px;font-size:28px;font-weight:600">{html.escape(subject) or title}</h1>']
    if subject:
        parts.append(f'<p style="margin:0;font-size:16px;color:{MUTED}">{title}</p>')
    if byline:
        parts.append(f'<p style="margin:2px 0 0;font-size:14px;color:{MUTED}">{byline}</p>')
    return f'<header style="font-family:{FONT};color:{TEXT};margin:0 0 16px">{"".join(parts)}</header>'


@dataclass(frozen=True)
class Html:
    """HTML that Jupyter shows as it is (what a report's cell returns)."""

    text: str

    def _repr_html_(self) -> str:
        return self.text


@dataclass(frozen=True)
class Writer:
    """Writes a deliverable's tables and text in one language and currency, as `Html` for a notebook's cells."""

    lang: str
    currency: str = "EUR"

    def table(self, frame: pd.DataFrame | None, units: Mapping[str, str] | None = None, caption: str = "") -> Html:
        """`table_html` of `frame` (None or no rows: nothing)."""
        if frame is None or frame.empty:
            return Html("")
        return Html(table_html(frame, self.lang, self.currency, units, caption))

    def text(self, lines: str | Iterable[str], listed: bool = False) -> Html:
        """`text_html` of `lines`."""
        return Html(text_html(lines, listed))
