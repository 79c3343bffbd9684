"""MkDocs hook: keep the built site free of CDN addresses, so it works with no network and asks for nothing.

The theme is configured offline (`theme.font: false`, Material's `offline` plugin, the built-in search), but
Material's JavaScript bundle still names two scripts on unpkg.com that it would only fetch in cases this site
never meets: a ResizeObserver polyfill for browsers without one, and Mermaid for diagrams (this site draws
none). After the build, every such address in the site's .js and .js.map files is replaced by an empty inline
script (`data:text/javascript,`), so nothing can reach a CDN even then. An address of a CDN in a page or a
stylesheet is not rewritten but reported as a warning (an error with `mkdocs build --strict`): that is
content to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

CDN = re.compile(
    r"https?://(?:fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com)[^\s\"'`)]*"
)
EMPTY_SCRIPT = "data:text/javascript,"


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".js", ".map", ".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        found = CDN.findall(text)
        if not found:
            continue
        if path.suffix in (".js", ".map"):
            path.write_text(CDN.sub(EMPTY_SCRIPT, text), encoding="utf-8", errors="surrogateescape")
            log.debug("%s: %d CDN address(es) replaced by an empty inline script", path.relative_to(site), len(found))
        else:
            log.warning("%s names a CDN: %s", path.relative_to(site), ", ".join(sorted(set(found))))
