"""The exported account-matrix HTML, opened offline in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kamlib.charts import matrix_chart, save_chart
from kamlib.method import QUADRANTS, STRATEGY_NAMES

SCRIPT_NAME = "<script>alert(1)</script>"
RENDER_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.browser

# (name, revenue, potential, position, quadrant); the last row could not be placed.
ACCOUNTS = [
    ("Grupo Álvarez Logística", 2_400_000, 8.6, 7.9, "invest"),
    (SCRIPT_NAME, 1_900_000, 3.0, 7.2, "maintain"),
    ("Peñalara Alimentación", 1_500_000, 7.4, 3.1, "selective"),
    ("Hospital San Juan", 1_100_000, 6.1, 9.3, "invest"),
    ("Café Ñandú", 700_000, 2.2, 2.4, "milk"),
    ("Construcciones Oñate", 650_000, 8.9, 1.6, "selective"),
    ("Transportes Muñoz", 420_000, 1.4, 6.3, "maintain"),
    ("Bodegas Rioja Alta", 300_000, 4.1, 4.4, "milk"),
    ("Electra Sur", 150_000, 6.8, 5.6, "invest"),
    ("Sin Datos S.L.", 500_000, None, None, None),
]


def scored_frame() -> pd.DataFrame:
    """Return a scored portfolio of nine placed accounts and one unplaced."""
    frame = pd.DataFrame(ACCOUNTS, columns=["name", "revenue", "potential", "position", "quadrant"])
    frame.insert(0, "account_id", [f"A{i}" for i in range(1, len(frame) + 1)])
    frame["sector"] = "industry"
    frame["kam_id"] = "k1"
    frame["revenue"] = frame["revenue"].astype(float)
    frame["potential"] = frame["potential"].astype(float)
    frame["position"] = frame["position"].astype(float)
    for lang in ("es", "en"):
        frame[f"strategy_{lang}"] = [STRATEGY_NAMES[q][lang] if isinstance(q, str) else None for q in frame["quadrant"]]
    frame["placed"] = frame["quadrant"].notna()
    return frame


def open_matrix(browser_page: Any, tmp_path: Path, lang: str) -> Any:
    """Export the matrix as HTML, open it via file:// and wait until Vega has rendered it."""
    html = save_chart(matrix_chart(scored_frame(), lang=lang), tmp_path / f"matrix_{lang}.html")
    page = browser_page.page
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("#vis[data-rendered='true'] svg.marks", timeout=RENDER_TIMEOUT_MS)
    return page


def svg_texts(page: Any, selector: str) -> list[str]:
    """Return the text content of the SVG text elements matching `selector`."""
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def assert_clean(browser_page: Any) -> None:
    """Fail on any network attempt, console or page error, or dialog."""
    assert browser_page.blocked == [], f"requests outside file:// were attempted: {browser_page.blocked}"
    assert browser_page.console_errors == [], browser_page.console_errors
    assert browser_page.page_errors == [], browser_page.page_errors
    assert browser_page.dialogs == [], f"a dialog opened (script injection?): {browser_page.dialogs}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_matrix_renders_offline(browser_page: Any, tmp_path: Path, lang: str) -> None:
    page = open_matrix(browser_page, tmp_path, lang)

    assert page.locator("#vis canvas").count() == 0, "expected the SVG renderer"
    bubbles = page.locator("#vis svg g.mark-symbol.role-mark.accounts_marks path")
    assert bubbles.count() == 9  # the unplaced account is left out
    quadrant_names = svg_texts(page, "#vis svg g.mark-text.role-mark[class*='quadrant_name_'] text")
    assert sorted(quadrant_names) == sorted(STRATEGY_NAMES[q][lang] for q in QUADRANTS)
    for name in quadrant_names:
        assert page.get_by_text(name, exact=True).first.is_visible()
    legend = svg_texts(page, "#vis svg g.role-legend-label text")
    assert legend == [STRATEGY_NAMES[q][lang] for q in QUADRANTS]
    labels = svg_texts(page, "#vis svg g.mark-text.role-mark[class*='account_names_'] text")
    assert len(labels) == 8 and "Sin Datos S.L." not in labels
    assert "Sin Datos S.L." not in page.locator("#vis").inner_text()

    page.screenshot(path=str(tmp_path / f"matrix_{lang}.png"), full_page=True)
    assert (tmp_path / f"matrix_{lang}.png").stat().st_size > 10_000
    assert_clean(browser_page)


def test_account_name_is_text_not_markup(browser_page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = open_matrix(browser_page, tmp_path, "es")

    assert page.evaluate("document.scripts.length") == 2  # the vega bundle and the embed call only
    assert page.evaluate("typeof window.__pwned") == "undefined"
    labels = svg_texts(page, "#vis svg g.mark-text.role-mark[class*='account_names_'] text")
    assert SCRIPT_NAME in labels
    assert page.locator("#vis svg script").count() == 0

    # Hover every bubble: the tooltip (vega-tooltip, HTML) must show the name escaped, as text.
    tooltips = []
    bubbles = page.locator("#vis svg g.accounts_marks path")
    for i in range(bubbles.count()):
        box = bubbles.nth(i).bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = page.locator("#vg-tooltip-element")
        try:
            tooltip.wait_for(state="visible", timeout=2_000)
        except PlaywrightTimeout:  # a bubble under a name label shows no tooltip
            continue
        tooltips.append(tooltip.inner_text())
        assert tooltip.locator("script").count() == 0
    assert any(SCRIPT_NAME in t for t in tooltips), tooltips
    assert any("Grupo Álvarez Logística" in t and "2.400.000" in t for t in tooltips), tooltips
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert_clean(browser_page)


def test_policy_blocks_injected_scripts_and_network(browser_page: Any, tmp_path: Path) -> None:
    page = open_matrix(browser_page, tmp_path, "en")

    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.setAttribute('onerror', 'window.__pwned = true');
            img.src = 'data:,not-an-image';
            document.body.appendChild(img);
            const s = document.createElement('script');
            s.textContent = 'window.__pwned = true';
            document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    outcome = page.evaluate("() => fetch('https://example.invalid/x').then(() => 'loaded', e => 'blocked: ' + e.name)")
    assert outcome.startswith("blocked")
    # The policy refuses these itself, so nothing reached the network or the router.
    assert browser_page.blocked == []
    assert browser_page.dialogs == []
    assert all("Content Security Policy" in e or "Refused" in e for e in browser_page.console_errors)
