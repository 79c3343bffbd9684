"""Show charts in notebooks, Voilà and nbconvert HTML with nothing loaded from the internet.

Altair's default notebook renderer fetches Vega from a CDN, which fails behind a
client's firewall. The `kamlib` renderer emits an HTML fragment carrying the
vega-embed bundle inline (from vl-convert) and the spec as escaped JSON, so an
account name can never end the script element it sits in. Importing
`kamlib.charts` registers it and makes it the active renderer.
"""

from __future__ import annotations

import html
import uuid
from typing import Any

import altair as alt
import pandas as pd

from kamlib.charts.export import embed_options, script_json, vega_bundle

RENDERER = "kamlib"


def chart_html(spec: dict[str, Any]) -> str:
    """Return an HTML fragment that renders a Vega-Lite spec offline (the bundle is loaded once per page)."""
    div = f"kamlib-{uuid.uuid4().hex}"
    return (
        f'<div id="{div}" class="kamlib-chart"></div>\n'
        "<script>if (typeof window.vegaEmbed === 'undefined') {\n"
        f"{vega_bundle()}\n"
        "}</script>\n"
        "<script>\n"
        f"vegaEmbed({script_json('#' + div)}, {script_json(spec)}, {script_json(embed_options(spec))})\n"
        "  .then(function () {\n"
        f"    document.getElementById({script_json(div)}).setAttribute('data-rendered', 'true');\n"
        "  })\n"
        "  .catch(console.error);\n"
        "</script>\n"
    )


def _render(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return {"text/html": chart_html(spec), "text/plain": html.unescape(f"<chart: {text or 'kamlib'}>")}


def use_offline_renderer() -> None:
    """Register the offline `kamlib` renderer with altair and make it the active one; and let notebooks show
    a table's text whole (pandas cuts cells at 50 characters by default: a playbook line, a rule, a list of
    account names would end in "…")."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    pd.set_option("display.max_colwidth", None)
