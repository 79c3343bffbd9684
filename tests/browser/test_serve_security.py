"""The pages kamlib hands out load nothing from the network: the standalone live matrix carries a
Content-Security-Policy that refuses every load, and still works with it (no console error)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import kamlib
from kamlib.widgets.standalone import save_live_matrix
from tests.conftest import copy_tiny

pytestmark = pytest.mark.browser

PROBE = """async (target) => {
  const refused = [];
  document.addEventListener("securitypolicyviolation", (e) => refused.push(e.effectiveDirective));
  const fetched = await fetch(target).then(() => "loaded", (e) => "failed: " + e);
  await new Promise((done) => {
    const img = new Image();
    img.onload = img.onerror = done;
    img.src = target + "img.png";
  });
  await new Promise((done) => setTimeout(done, 200));
  return { refused, fetched };
}"""
"""Try a fetch and an image from a local server; return the directives the page's policy refused them by."""


def csp_of(page_html: str) -> str:
    """Return the Content-Security-Policy a page declares in its <meta>, or ''."""
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page_html)
    return found.group(1).replace("&#x27;", "'") if found else ""


def test_standalone_live_matrix_forbids_every_network_load(browser_page: Any, tmp_path: Path):
    engagement = kamlib.load(copy_tiny(tmp_path / "tiny"))
    page_file = save_live_matrix(engagement, tmp_path / "live.html", lang="en")
    policy = dict(d.strip().split(" ", 1) for d in csp_of(page_file.read_text(encoding="utf-8")).split(";") if d)
    assert policy.pop("default-src", None) == "'none'"  # connections, frames, fonts, workers...: none
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]{44}' blob: 'unsafe-eval'", policy.pop("script-src"))  # no inline
    assert policy == {
        "style-src": "'unsafe-inline'",
        "img-src": "data: blob:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='true'] .kam-app.kam-ready canvas", timeout=60_000)
    slider = page.locator("input[data-id='volume']")
    slider.focus()
    slider.press("Home")  # the page still recomputes under its policy
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.weights.volume === 0")
    page.locator("button.kam-lang[data-lang='es']").click()
    page.wait_for_function(
        "document.querySelector('.kam-app').kamlib.spec().title.text === 'Matriz de análisis de cuentas'"
    )
    assert browser_page.console_errors == [] and browser_page.page_errors == []  # nothing the policy refused
    probe = page.evaluate(PROBE, "http://127.0.0.1:9/")
    assert "connect-src" in probe["refused"] and "img-src" in probe["refused"], probe
    assert probe["fetched"].startswith("failed")
    assert browser_page.blocked == []  # refused by the page itself, before any request
