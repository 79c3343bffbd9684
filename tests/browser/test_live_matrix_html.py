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
    assert page.title() == "Account analysis matrix"  # no client named: never the file's name
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


def test_the_segment_picker_moves_that_segments_weights_only(browser_page: Any, tmp_path: Path):
    engagement = kamlib.load(Path(__file__).resolve().parents[1] / "data" / "segments")
    page_file = save_live_matrix(engagement, tmp_path / "live.html", lang="en")
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='true'] .kam-app.kam-ready canvas", timeout=60_000)
    picker = page.locator("select[data-segment]")
    assert picker.locator("option").all_inner_texts() == ["Default criteria (2)", "Horeca (2)"]
    assert page.locator("input[data-id='menu']").is_hidden()  # menu is Horeca's only
    assert float(page.locator("input[data-id='volume']").input_value()) == 3
    picker.select_option("1")
    assert page.locator("input[data-id='menu']").is_visible()
    # Horeca's own row (the range snaps to its step, a 200th of twice the largest weight)
    assert float(page.locator("input[data-id='volume']").input_value()) == pytest.approx(1, abs=0.03)
    slider = page.locator("input[data-id='menu']")
    slider.focus()
    slider.press("Home")
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.segmentWeights.Horeca.menu === 0")
    assert page.evaluate("document.querySelector('.kam-app').kamlib.state.weights.volume") == 3  # default untouched
    expected = kamlib.score_accounts(engagement, segment_weights={"Horeca": {"menu": 0}})
    shown = {r["account_id"]: r for r in page.evaluate("document.querySelector('.kam-app').kamlib.shown()")}
    for r in expected.itertuples():
        assert shown[r.account_id]["potential"] == pytest.approx(r.potential, abs=1e-9)
        assert shown[r.account_id]["position"] == pytest.approx(r.position, abs=1e-9)
        assert shown[r.account_id]["quadrant"] == r.quadrant
    assert shown["A4"]["quadrant"] == "milk" and shown["A1"]["quadrant"] == "invest"
    page.locator("button.kam-reset").click()
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.segmentWeights.Horeca.menu === 2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "segments-phone.png"), full_page=True)
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []
