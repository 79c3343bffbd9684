"""The time allocation notebook's charts render in Chromium with the network cut, names shown as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import notebook_chart_page
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"


@pytest.mark.xdist_group("03_time_allocation.ipynb-es")  # the worker that runs the notebook for test_notebooks
def test_time_notebook_charts_render_offline(browser_page: Any, tmp_path: Path, executed):
    nb = executed(ROOT / "notebooks" / "03_time_allocation.ipynb", "es")  # KAM K2 is named <script>…
    page_file = tmp_path / "page.html"
    assert notebook_chart_page(nb, page_file) == 3  # profile, gaps, strategy time
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.wait_for_function(
        "document.querySelectorAll(\".kamlib-chart[data-rendered='true'] svg.marks\").length === 3", timeout=30_000
    )
    texts = page.eval_on_selector_all(".kamlib-chart svg text", "els => els.map(e => e.textContent)")
    assert "Referencia del método" in texts and "Equipo" in texts and "Vender" in texts
    assert "<script>alert(1)</script>" in texts  # a KAM's name is shown as text, never run
    assert "Ordeñar" in texts  # the strategy panels, in Spanish
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "time_allocation.png"), full_page=True)
