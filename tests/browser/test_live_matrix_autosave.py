"""The live matrix's autosave under `kam serve`, whose Voilà keeps a spare kernel preheated.

A preheated kernel runs the notebook before anybody opens the page. The matrix must read the autosave when the
page shows it, not when the kernel ran: a tab opened after another was closed shows what that tab left. Two tabs
open at once must not overwrite each other: the one behind is refused, and says so. The engagement lives in a
folder whose name is HTML (`eng<img src=x onerror=alert(1)>`) and holds an earlier session's autosave (from
before autosaves had revisions), so every tab says it restored it: no status message may run the folder's name,
nor show the server's paths.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import kamlib
from kamlib.publish.serve import MATRIX_NOTEBOOK, NOTEBOOKS, start_voila, stop
from tests.browser.conftest import Page
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
FIRST_CHART_MS = 120_000
HOSTILE = "eng<img src=x onerror=alert(1)>"
RAN_THE_NOTEBOOK = "any(type(o).__name__ == 'MatrixApp' for o in __import__('gc').get_objects())"
"""True in a kernel once it has run the notebook's last cell (which makes the live matrix)."""


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path, Path]]:
    """Voilà on the live matrix as `kam serve` starts it (one kernel kept preheated), on a copy of the sample."""
    workbook = tmp_path / HOSTILE / "muestra"
    shutil.copytree(ROOT / "kamlib" / "samples" / "sample", workbook)
    engagement = kamlib.load(workbook)
    weights = dict(zip(engagement.criteria["criterion_id"], engagement.criteria["weight"], strict=True))
    earlier = {"weights": weights | {"volume": 45.0}, "lang": "es"}
    (workbook.parent / "muestra_scenarios").mkdir()
    (workbook.parent / "muestra_scenarios" / ".autosave.yaml").write_text(yaml.safe_dump(earlier), encoding="utf-8")
    kernels = tmp_path / "tmp"  # Voilà keeps its kernels' connection files in a new folder of the temp folder
    kernels.mkdir()
    monkeypatch.setenv("TMPDIR", str(kernels))
    process, url = start_voila(NOTEBOOKS / MATRIX_NOTEBOOK, workbook, preheat=True)
    try:
        yield url, workbook, kernels
    finally:
        stop(process)


def written(connection: Path) -> bool:
    """Whether a kernel's connection file is complete (it is written while the kernel starts)."""
    try:
        return "shell_port" in json.loads(connection.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def wait_until_kernels_ran_the_notebook(kernels: Path, count: int, timeout: float = 240) -> None:
    """Wait until `count` kernels have run the notebook, asking each (a silent request, after its cells)."""
    from jupyter_client import BlockingKernelClient

    done: set[str] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for connection in sorted(kernels.glob("voila_*/kernel-*.json")):
            if connection.name in done or not written(connection):
                continue
            client = BlockingKernelClient(connection_file=str(connection))
            client.load_connection_file()
            client.start_channels()
            try:
                msg_id = client.execute(
                    "", silent=True, store_history=False, user_expressions={"ran": RAN_THE_NOTEBOOK}
                )
                while True:
                    reply = client.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
                if reply["content"]["user_expressions"]["ran"].get("data", {}).get("text/plain") == "True":
                    done.add(connection.name)
            finally:
                client.stop_channels()
        if len(done) >= count:
            return
        time.sleep(0.5)
    pytest.fail(f"{count} kernels did not run the live matrix's notebook within {timeout:.0f} s ({len(done)} did)")


def open_tab(record: Page, url: str, page: Any = None) -> Any:
    """Open the matrix in a tab of the test's browser context; its dialogs and errors go to `record`."""
    if page is None:
        page = record.page.context.new_page()
        page.on("pageerror", lambda exc: record.page_errors.append(str(exc)))

        def on_dialog(dialog: Any) -> None:
            record.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".kam-app.kam-ready canvas", timeout=FIRST_CHART_MS)
    return page


def weight(page: Any, criterion: str) -> float:
    return page.evaluate(f"document.querySelector('.kam-app').kamlib.state.weights['{criterion}']")


def wait_for_weight(page: Any, criterion: str, value: float, record: Page) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"document.querySelector('.kam-app').kamlib.state.weights['{criterion}'] === {value}", timeout=60_000
        )
    except PlaywrightTimeout:
        shown = weight(page, criterion)
        pytest.fail(f"the tab shows {criterion} {shown}, not {value} (dialogs: {record.dialogs})", pytrace=False)


def press(page: Any, criterion: str, key: str) -> None:
    """Move a slider with the keyboard and wait until the chart has repainted."""
    before = page.evaluate("Number(document.querySelector('.kam-app').dataset.rendered)")
    slider = page.locator(f"input[data-id='{criterion}']")
    slider.focus()
    slider.press(key)
    page.wait_for_function(f"Number(document.querySelector('.kam-app').dataset.rendered) > {before}")


def wait_for_autosave(autosave: Path, weights: dict[str, float], timeout: float = 30) -> dict:
    """Wait until the autosave holds these weights; return it."""
    deadline = time.monotonic() + timeout
    saved: dict = {}
    while time.monotonic() < deadline:
        if autosave.is_file():
            saved = yaml.safe_load(autosave.read_text(encoding="utf-8")) or {}
            if all(saved.get("weights", {}).get(k) == v for k, v in weights.items()):
                return saved
        time.sleep(0.2)
    pytest.fail(f"the autosave did not come to {weights}: {saved.get('weights')}")


def status(page: Any) -> str:
    """The HTML of the matrix's status line (its only ipywidgets HTML widget)."""
    return page.eval_on_selector_all(".widget-html-content", "els => els.map(e => e.innerHTML).join('\\n')")


def assert_nothing_leaks(said: list[str], pages: list[Any], folder: Path) -> None:
    """The folder's HTML name became no element, ran nothing, and no page shows where the workbook is."""
    for html in said:
        assert "<img" not in html and "onerror" not in html and str(folder) not in html, html
    for page in pages:
        assert page.locator("img[src='x']").count() == 0
        assert str(folder) not in page.inner_text("body")


def test_a_new_tab_shows_what_the_last_left_and_a_tab_behind_is_refused(
    browser_page: Page, served: tuple[str, Path, Path]
) -> None:
    url, workbook, kernels = served
    autosave = workbook.parent / "muestra_scenarios" / ".autosave.yaml"
    restored = "Se ha recuperado la sesión guardada automáticamente."
    tab_a = open_tab(browser_page, url, browser_page.page)
    wait_for_weight(tab_a, "volume", 45, browser_page)  # the earlier session's
    tab_a.wait_for_function("document.body.innerText.includes('Se ha recuperado la sesión guardada')")
    said = [status(tab_a)]
    # The spare kernel (the next tab's) runs the notebook now, while tab A is open and before A changes anything.
    wait_until_kernels_ran_the_notebook(kernels, 2)
    press(tab_a, "volume", "End")
    assert weight(tab_a, "volume") == 60
    wait_for_autosave(autosave, {"volume": 60})
    tab_a.close()

    # Tab B opens on the spare kernel: it shows A's 60, and says it restored it.
    tab_b = open_tab(browser_page, url)
    wait_for_weight(tab_b, "volume", 60, browser_page)
    tab_b.wait_for_function("document.body.innerText.includes('Se ha recuperado la sesión guardada')")
    said.append(status(tab_b))
    assert said == [restored, restored]

    # Two tabs at once: B and C both show revision n; B changes first, so C's change is refused, visibly.
    tab_c = open_tab(browser_page, url)
    wait_for_weight(tab_c, "volume", 60, browser_page)
    press(tab_b, "volume", "Home")
    wait_for_autosave(autosave, {"volume": 0, "growth": 20})
    press(tab_c, "growth", "End")
    tab_c.wait_for_function("document.body.innerText.includes('Otra pestaña o sesión ha guardado la matriz')")
    said.append(status(tab_c))
    time.sleep(1)  # what C would have written has had time to arrive
    wait_for_autosave(autosave, {"volume": 0, "growth": 20})
    press(tab_b, "growth", "End")  # the tab that is up to date goes on saving
    wait_for_autosave(autosave, {"volume": 0, "growth": 60})
    assert_nothing_leaks(said, [tab_b, tab_c], workbook.parent)
    assert browser_page.dialogs == [], browser_page.dialogs
    assert browser_page.blocked == [] and browser_page.page_errors == [], browser_page.page_errors
