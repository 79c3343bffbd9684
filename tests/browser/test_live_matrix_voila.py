"""The live account matrix served by Voilà, driven like a consultant would in a workshop.

Voilà serves kamlib/publish/notebooks/live_matrix.ipynb on a copy of the sample engagement; every
request that is not to 127.0.0.1 is blocked and counted (none may happen). The sliders are
moved with the keyboard, and what the chart shows is checked against kamlib's scoring engine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import kamlib
from kamlib.publish.serve import start_voila, stop
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"
FIRST_CHART_MS = 120_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workbook = tmp_path_factory.mktemp("engagement") / "muestra"
    shutil.copytree(ROOT / "kamlib" / "samples" / "sample", workbook)
    process, url = start_voila(workbook=workbook)
    try:
        yield url, workbook
    finally:
        stop(process)


def open_matrix(browser_page: Any, url: str) -> Any:
    page = browser_page.page
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(url, timeout=120_000)  # Voilà runs the notebook before it sends the page: slow on a loaded CI machine
    page.wait_for_selector(".kam-app.kam-ready canvas", timeout=FIRST_CHART_MS)
    return page


def shown(page: Any) -> dict[str, dict]:
    return {r["account_id"]: r for r in page.evaluate("document.querySelector('.kam-app').kamlib.shown()")}


def press(page: Any, criterion: str, key: str, times: int = 1) -> None:
    """Move a slider with the keyboard and wait until the chart has repainted."""
    before = page.evaluate("Number(document.querySelector('.kam-app').dataset.rendered)")
    slider = page.locator(f"input[data-id='{criterion}']")
    slider.focus()
    for _ in range(times):
        slider.press(key)
    page.wait_for_function(f"Number(document.querySelector('.kam-app').dataset.rendered) >= {before + times}")


def expected(workbook: Path, weights: dict[str, float]) -> dict[str, tuple[float, float, str]]:
    scored = kamlib.score_accounts(kamlib.load(workbook), weights)
    return {r.account_id: (r.potential, r.position, r.quadrant) for r in scored.itertuples()}


def assert_matches_kamlib(page: Any, workbook: Path) -> dict[str, float]:
    weights = page.evaluate("document.querySelector('.kam-app').kamlib.state.weights")
    truth = expected(workbook, weights)
    rows = shown(page)
    assert set(rows) == {a for a, (_, _, q) in truth.items() if isinstance(q, str)}
    for account, row in rows.items():
        potential, position, quadrant = truth[account]
        assert row["potential"] == pytest.approx(potential, abs=1e-9)
        assert row["position"] == pytest.approx(position, abs=1e-9)
        assert row["quadrant"] == quadrant
    return weights


def test_live_matrix_answers_the_sliders_offline(browser_page: Any, served: tuple[str, Path], tmp_path: Path) -> None:
    url, workbook = served
    page = open_matrix(browser_page, url)
    assert browser_page.blocked == [], f"requests outside 127.0.0.1: {browser_page.blocked}"
    assert page.locator(".kam-quadrants tr[data-quadrant]").count() == 4
    assert_matches_kamlib(page, workbook)

    # A weight slider moved with the keyboard moves a named account's bubble.
    before = shown(page)["A003"]
    press(page, "volume", "ArrowRight", 10)
    after = shown(page)["A003"]
    assert after["potential"] != before["potential"] and after["position"] == before["position"]
    assert_matches_kamlib(page, workbook)

    # A chosen set of weights (only growth counts for potential) moves a chosen account to another quadrant.
    for criterion in ("volume", "share_of_wallet", "profitability", "strategic_fit"):
        press(page, criterion, "Home")
    weights = assert_matches_kamlib(page, workbook)
    reference = expected(workbook, {})
    truth = expected(workbook, weights)
    movers = sorted(a for a in truth if truth[a][2] != reference[a][2])
    assert movers, "these weights must move some account"
    chosen = movers[0]
    assert shown(page)[chosen]["quadrant"] == truth[chosen][2] != reference[chosen][2]
    assert page.locator(f".kam-movers li[data-account='{chosen}']").count() == 1

    # The kernel hears about it and autosaves (a crashed kernel or closed tab loses at most the last change).
    autosave = workbook.parent / "muestra_scenarios" / ".autosave.yaml"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if autosave.is_file() and yaml.safe_load(autosave.read_text(encoding="utf-8"))["weights"]["volume"] == 0:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the autosave did not follow the sliders")

    # The language switch changes every label, the chart's included.
    page.locator("button.kam-lang[data-lang='en']").click()
    page.wait_for_function("document.querySelector('.kam-quadrants').textContent.includes('Selective investment')")
    page.wait_for_function("document.querySelector('.kam-axis').dataset.title === 'Account business potential'")
    page.wait_for_function("document.querySelector('.kam-app').kamlib.spec().title.text === 'Account analysis matrix'")
    assert browser_page.blocked == [] and browser_page.page_errors == [], browser_page.page_errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "live_matrix.png"), full_page=True)
    np.testing.assert_array_equal(sorted(shown(page)), sorted(truth))


def test_filters_cut_lines_size_and_reset(browser_page: Any, served: tuple[str, Path]) -> None:
    url, workbook = served
    page = open_matrix(browser_page, url)
    accounts = kamlib.load(workbook).accounts.set_index("account_id")

    # Filter by KAM: only that KAM's accounts are shown, and the quadrant table counts only them.
    page.select_option("select[data-filter='kam_id']", "K02")
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.filters.kam_id === 'K02'")
    rows = shown(page)
    assert rows and {accounts.loc[a, "kam_id"] for a in rows} == {"K02"}
    counts = page.eval_on_selector_all(
        ".kam-quadrants tr[data-quadrant] td:nth-child(2)", "els => els.map(e => e.textContent)"
    )
    assert sum(int(c) for c in counts) == len(rows)
    page.select_option("select[data-filter='kam_id']", "")
    page.select_option("select[data-filter='country']", "PT")
    assert {accounts.loc[a, "country"] for a in shown(page)} == {"PT"}
    page.select_option("select[data-filter='country']", "")

    # The potential cut line at its top: every account is low potential (maintain or milk).
    press(page, "cut_potential", "End")
    assert {r["quadrant"] for r in shown(page).values()} <= {"maintain", "milk"}
    press(page, "cut_potential", "Home")
    assert {r["quadrant"] for r in shown(page).values()} <= {"invest", "selective"}

    # Back to the workbook's weights after moving one.
    press(page, "growth", "End")
    page.locator("button.kam-reset").click()
    page.wait_for_function("document.querySelector('.kam-app').kamlib.state.weights.growth === 20")
    workbook_weights = dict(
        zip(kamlib.load(workbook).criteria["criterion_id"], kamlib.load(workbook).criteria["weight"], strict=True)
    )
    assert page.evaluate("document.querySelector('.kam-app').kamlib.state.weights") == workbook_weights
    assert browser_page.blocked == [] and browser_page.page_errors == []
