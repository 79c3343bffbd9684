"""The live matrix saved as one HTML file stays interactive with no kernel, offline, and escapes names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kamlib
from kamlib.widgets.standalone import save_live_matrix
from tests.conftest import copy_tiny

pytestmark = pytest.mark.browser


def test_standalone_live_matrix_recomputes_without_a_kernel(browser_page: Any, tmp_path: Path, tiny_path: Path):
    workbook = copy_tiny(tmp_path / "tiny", "</script><script>alert(1)</script>")
    engagement = kamlib.load(workbook)
    page_file = save_live_matrix(engagement, tmp_path / "live.html", lang="en")
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='true'] .kam-app.kam-ready canvas", timeout=60_000)
    rows = {r["account_id"]: r for r in page.evaluate("document.querySelector('.kam-app').kamlib.shown()")}
    assert rows["A2"]["name"] == "</script><script>alert(1)</script>"  # data, never code
    assert "to save scenarios, open the matrix with kam serve" in page.inner_text("body")
    slider = page.locator("input[data-id='volume']")
    slider.focus()
    slider.press("Home")  # volume weight 0: potential is growth alone
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.weights.volume === 0")
    expected = kamlib.score_accounts(engagement, {"volume": 0})
    shown = {r["account_id"]: r for r in page.evaluate("document.querySelector('.kam-app').kamlib.shown()")}
    for r in expected.itertuples():
        assert shown[r.account_id]["potential"] == pytest.approx(r.potential, abs=1e-9)
        assert shown[r.account_id]["quadrant"] == r.quadrant
    page.locator("button.kam-lang[data-lang='es']").click()
    page.wait_for_function(
        "document.querySelector('.kam-app').kamlib.spec().title.text === 'Matriz de análisis de cuentas'"
    )
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []
