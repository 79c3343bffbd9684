"""The HTML shells of the workshop's pages: a title, the style, one script; the data comes from the server's JSON.

Nothing in a shell but the workshop's title (escaped) and its language: the page's script (`static/<kind>.js`)
asks for the rest with the token in its address, so a shell cached or shown over a shoulder tells nothing.
"""

from __future__ import annotations

import html

from kamlib.i18n import check_lang

KINDS = ("participant", "facilitator", "join")
HEADINGS = {
    "participant": {"es": "Taller de cuentas clave", "en": "Key account workshop"},
    "facilitator": {
        "es": "Taller de cuentas clave · pantalla de quien facilita",
        "en": "Key account workshop · facilitator",
    },
    "join": {"es": "Unirse al taller", "en": "Join the workshop"},
}


def page_html(kind: str, title: str, lang: str) -> str:
    """Return the shell of page `kind` (`KINDS`) of the workshop titled `title`, in `lang`."""
    check_lang(lang)
    if kind not in KINDS:
        raise ValueError(f"unknown page {kind!r}")
    heading = HEADINGS[kind][lang]
    shown = html.escape(f"{heading} · {title}" if title else heading)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{shown}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/room.css">'
        f'<link rel="stylesheet" href="/static/{kind}.css">'
        f'<script src="/static/common.js" defer></script><script src="/static/{kind}.js" defer></script>'
        f'</head><body class="{kind}" data-lang="{lang}"><header><h1>{html.escape(heading)}</h1>'
        f'<p class="title">{html.escape(title)}</p></header><main id="main" aria-live="polite"></main></body></html>'
    )


__all__ = ["KINDS", "page_html"]
