"""A generated report opens from disk with the network cut: its charts render, a hostile name stays text."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"


def test_report_html_renders_offline(browser_page: Any, written_reports: tuple) -> None:
    jobs, run = written_reports  # A1, A2 (named as a script) and the portfolio
    assert run.failed == []
    page = browser_page.page
    for job, charts in zip(jobs[1:], (2, 7), strict=True):  # the account report, then the portfolio report
        page.goto(job.html.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll(\".kamlib-chart[data-rendered='true']\").length === {charts}",
            timeout=30_000,
        )
        texts = page.eval_on_selector_all(".kamlib-chart svg text", "els => els.map(e => e.textContent)")
        if job.key:  # the account's own name, shown as text in its matrix
            assert any("<script>window.__kam_xss=1</script>" in t for t in texts)  # in the chart's title
        assert page.evaluate("typeof window.__kam_xss") == "undefined"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report_{job.key or 'portfolio'}.png"), full_page=True)
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []
    assert browser_page.console_errors == []  # nothing refused by the page's Content-Security-Policy
