"""The key-account selection for people, as HTML: who enters and who leaves, and why."""

from __future__ import annotations

import html

from kamlib.i18n import check_lang
from kamlib.plan.selection import Selection


def changes_html(selection: Selection, lang: str = "es") -> str:
    """Who enters and who leaves, and why, as an HTML table (workbook text escaped), or a sentence: no change."""
    check_lang(lang)
    table = selection.changes_table(lang)
    if table.empty:
        none = "Ningún cambio frente a la lista de hoy." if lang == "es" else "No change against today's list."
        return f"<p>{html.escape(none)}</p>"
    return table.reset_index().to_html(index=False, escape=True, border=0, na_rep="")


def selection_html(selection: Selection, lang: str = "es") -> str:
    """The selection for a report: a heading, the summary, then who enters and who leaves and why (escaped)."""
    check_lang(lang)
    title = "Selección de cuentas clave" if lang == "es" else "Key-account selection"
    return (
        f'<section class="kam-selection"><h2>{html.escape(title)}</h2>'
        f"<p>{html.escape(selection.summary(lang))}</p>{changes_html(selection, lang)}</section>"
    )
