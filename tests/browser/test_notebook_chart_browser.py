"""The notebooks' chart output (the offline `kamlib` renderer) renders in Chromium with the network cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import notebook_chart_page
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.mark.xdist_group("00_engagement_overview.ipynb-en")  # the worker that runs the notebook for test_notebooks
def test_notebook_chart_output_renders_offline_and_escapes_names(browser_page: Any, tmp_path: Path, executed):
    nb = executed(ROOT / "notebooks" / "00_engagement_overview.ipynb", "en")  # A2 is named <script>…
    page_file = tmp_path / "page.html"
    assert notebook_chart_page(nb, page_file) == 1
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.wait_for_selector(".kamlib-chart[data-rendered='true'] svg.marks", timeout=30_000)
    texts = page.eval_on_selector_all(".kamlib-chart svg text", "els => els.map(e => e.textContent)")
    assert "Selective investment" in texts
    assert "<script>alert(1)</script>" in texts  # shown as text, never run
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []
    page.screenshot(path=str(tmp_path / "notebook_chart.png"))
