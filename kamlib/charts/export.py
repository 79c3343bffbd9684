"""Save charts offline: self-contained HTML, SVG, PNG or the Vega-Lite JSON spec.

Nothing written here loads anything from the internet: the HTML file carries the
Vega, Vega-Lite and vega-embed JavaScript inline (from vl-convert), and a
Content-Security-Policy that forbids every network request and every script but
its own two. The spec is embedded so that no data value (an account name such as
``</script><script>…``) can end the script element it sits in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt

from kamlib.fileio import atomic_path

FORMATS: tuple[str, ...] = (".html", ".svg", ".png", ".json")
PNG_SCALE = 2
DEFAULT_EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def save_chart(chart: alt.TopLevelMixin, path: Path | str) -> Path:
    """Write `chart` to `path` in the format its suffix names, atomically, and return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    writers: dict[str, Callable[[dict[str, Any]], bytes]] = {
        ".html": _html_bytes,
        ".svg": _svg_bytes,
        ".png": png_bytes,
        ".json": _json_bytes,
    }
    if suffix not in writers:
        raise ValueError(
            f"cannot save a chart as {suffix or 'a file without suffix'!r}; use one of {', '.join(FORMATS)}"
        )
    content = writers[suffix](chart_spec(chart))
    with atomic_path(path) as tmp:
        tmp.write_bytes(content)
    return path


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Return the Vega-Lite spec of `chart` with all its data inlined."""
    with alt.data_transformers.enable("default"), alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def embed_options(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the vega-embed options for `spec`: kamlib's defaults updated by its usermeta."""
    usermeta = spec.get("usermeta") or {}
    return {**DEFAULT_EMBED_OPTIONS, **(usermeta.get("embedOptions") or {})}


def script_json(value: Any) -> str:
    """Return `value` as JSON that is safe to place inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escape in _JS_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def vl_version() -> str:
    """Return the Vega-Lite version (major.minor) altair writes, as vl-convert names it."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def _json_bytes(spec: dict[str, Any]) -> bytes:
    """Return the spec as indented UTF-8 JSON."""
    return (json.dumps(spec, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


class StaticChart:
    """A chart drawn once as SVG (vl-convert): no script, so it shows at once in Voilà, even before its
    kernel connects, and workbook text in it is XML-escaped text. For read-only dashboards."""

    def __init__(self, chart: alt.TopLevelMixin):
        spec = chart_spec(chart)
        self.svg = _svg_bytes(spec).decode("utf-8")
        title = spec.get("title", "")
        self.title = str(title.get("text", "") if isinstance(title, dict) else title)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        """The SVG, and the chart's title for frontends that show only text."""
        return {"image/svg+xml": self.svg, "text/plain": self.title}


def _svg_bytes(spec: dict[str, Any]) -> bytes:
    """Render the spec to SVG with vl-convert."""
    import vl_convert as vlc

    locale = embed_options(spec).get("formatLocale")
    return vlc.vegalite_to_svg(spec, vl_version=vl_version(), format_locale=locale).encode("utf-8")


def png_bytes(spec: dict[str, Any]) -> bytes:
    """Render the spec to PNG at twice its size with vl-convert."""
    import vl_convert as vlc

    locale = embed_options(spec).get("formatLocale")
    return vlc.vegalite_to_png(spec, vl_version=vl_version(), scale=PNG_SCALE, format_locale=locale)


@functools.cache
def vega_bundle() -> str:
    """Return the Vega, Vega-Lite and vega-embed JavaScript as one script, from vl-convert (no network)."""
    import vl_convert as vlc

    bundle = vlc.javascript_bundle(vl_version=vl_version())
    if "</script" in bundle.lower():
        raise RuntimeError("the vega-embed bundle cannot be inlined: it contains '</script'")
    return bundle


def _html_bytes(spec: dict[str, Any]) -> bytes:
    """Return a self-contained HTML page that renders the spec with inlined vega-embed."""
    bundle = vega_bundle()
    main = (
        f"\nconst spec = {script_json(spec)};\n"
        f"const embedOpt = {script_json(embed_options(spec))};\n"
        "vegaEmbed('#vis', spec, embedOpt)\n"
        "  .then(function (result) {\n"
        "    window.kamlibView = result.view;\n"
        "    document.getElementById('vis').setAttribute('data-rendered', 'true');\n"
        "  })\n"
        "  .catch(console.error);\n"
    )
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(bundle)} {_csp_hash(main)} 'unsafe-eval'",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    usermeta = spec.get("usermeta") or {}
    lang = usermeta.get("lang") if isinstance(usermeta.get("lang"), str) else "en"
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_title(spec))}</title>\n"
        "<style>\n"
        "  body { margin: 0; padding: 24px; background: #fff; }\n"
        "  #vis.vega-embed { display: flex; justify-content: center; width: 100%; }\n"
        "  #vis.vega-embed details, #vis.vega-embed details summary { position: relative; }\n"
        "</style>\n"
        f"<script>{bundle}</script>\n"
        '</head>\n<body>\n<div id="vis"></div>\n'
        f"<script>{main}</script>\n"
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _csp_hash(script: str) -> str:
    """Return the CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _title(spec: dict[str, Any]) -> str:
    """Return the spec's title text, or a neutral page title."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title) if title else "kamlib chart"
