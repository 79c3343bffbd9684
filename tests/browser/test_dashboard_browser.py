"""The stakeholders' dashboard served by `kam serve`'s Voilà: offline, charts drawn, hostile names inert."""

from __future__ import annotations

import base64
import html
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from kamlib.publish.serve import dashboard_folder, start_voila, stop
from tests.client_grade import index_columns, problems
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"
XSS = "<script>window.__kam_xss=1</script>"
CHARTS = "svg.marks, img[src^='data:image/svg']"
"""The dashboard's charts: SVG drawn by vl-convert, shown inline or as an image."""


def drawn_svg(page: Any) -> list[str]:
    """The SVG text of each chart in the page: inline, or in a data: URL (base64 or percent-encoded)."""
    charts = page.eval_on_selector_all(CHARTS, "els => els.map(e => e.outerHTML)")
    texts = []
    for chart in charts:
        if ";base64," in chart:
            texts.append(base64.b64decode(chart.split(";base64,")[1].split('"')[0]).decode("utf-8"))
        else:
            texts.append(unquote(chart))
    return texts


def chart_texts(svg: str) -> list[str]:
    """The words and numbers a chart shows: the text of its SVG's <text> elements."""
    return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.DOTALL)]


def hostile_sample(tmp_path: Path) -> Path:
    """A copy of the sample engagement whose first account is named with a script."""
    workbook = tmp_path / "muestra"
    shutil.copytree(ROOT / "kamlib" / "samples" / "sample", workbook)
    accounts = workbook / "accounts.csv"
    text = accounts.read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[1]  # the first account's name
    accounts.write_text(text.replace(first, XSS, 1), encoding="utf-8")
    return workbook


def test_dashboard_renders_offline_and_escapes_names(browser_page: Any, tmp_path: Path) -> None:
    workbook = hostile_sample(tmp_path)
    folder = dashboard_folder(workbook, None, "es")
    process, url = start_voila(folder, workbook)
    try:
        page = browser_page.page
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{url}voila/render/dashboard.ipynb")
        page.wait_for_function(f"document.querySelectorAll({CHARTS!r}).length === 12", timeout=120_000)
        svg = " ".join(drawn_svg(page))
        assert "Invertir" in svg and "Referencia del método" in svg  # the matrix and the time charts, drawn
        assert "Robustez de la ubicación" in svg and "pesos extraídos" in svg  # the strategy probabilities
        assert "Libro de ventas: las métricas de las cuentas" in svg and "Platos preparados" in svg  # the ledger
        assert "Matriz de previsión a 2029" in svg and "Curva de la ballena" in svg  # the forecast, the cost
        assert "Matriz de cuentas por grupos (nivel 0)" in svg  # the account groups
        assert "&lt;script&gt;window.__kam_xss" in svg  # the hostile name is chart text
        body = page.inner_text("body")
        assert XSS in body and "Supermercados" in body  # account names shown as text in the accounts table
        assert page.evaluate("typeof window.__kam_xss") == "undefined"
        assert "Cuadro de mando de cuentas clave · Conservas y Aceites del Ebro" in body  # the engagement's title
        assert problems(body + "\n" + "\n".join(chart_texts(svg)), "es") == []  # client-grade, as issue 19 asks
        assert index_columns(page.content()) == []
        band = page.inner_text("section:has(a[href='#sec-matrix'])")  # the summary band, first
        assert "9 cuentas" in band and "28.188.082\xa0€ · 48,1\xa0%" in band  # the sample's Invest accounts
        assert "3\nKAM por encima de su capacidad" in band  # K02, K04 and K07 logged more than they have
        assert "4\nplanes por revisar" in band and "9\ncuentas que cuestan más de servir de lo que dejan" in band
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        for link in page.eval_on_selector_all("nav a[href^='#sec-']", "els => els.map(e => e.hash)"):
            assert page.locator(link).count() == 1  # every contents link lands on its section
        page.click("nav a[href='#sec-time']")
        page.wait_for_function("document.querySelector('#sec-time').getBoundingClientRect().top < 200")
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    assert browser_page.blocked == [] and browser_page.dialogs == [] and browser_page.page_errors == []


def test_dashboard_shows_its_views_before_any_script_runs(browser_page: Any, tmp_path: Path) -> None:
    """The views are in the page's HTML, visible: with every script of Voilà refused they still show."""
    workbook = hostile_sample(tmp_path)
    folder = dashboard_folder(workbook, None, "en")
    process, url = start_voila(folder, workbook)
    refused: list[str] = []

    def no_scripts(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    try:
        page = browser_page.page
        page.route("**/*.js*", no_scripts)
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{url}voila/render/dashboard.ipynb", wait_until="load", timeout=120_000)
        charts = page.locator(CHARTS)
        assert charts.count() == 12
        for index in range(7):
            assert charts.nth(index).is_visible()
        assert page.evaluate(
            f"[...document.querySelectorAll({CHARTS!r})].every(i => i.complete && i.naturalWidth > 300)"
        )  # each SVG decoded and drawn
        body = page.inner_text("body")
        assert "Invest" in body and XSS in body and "Supermercados" in body  # English tables, names as text
        svg = " ".join(drawn_svg(page))
        assert problems(body + "\n" + "\n".join(chart_texts(svg)), "en") == []
        assert "Key account dashboard · Conservas y Aceites del Ebro" in body
        assert page.evaluate("typeof window.__kam_xss") == "undefined"
        pick_an_account_and_its_kam(page)  # with no script at all: no kernel is asked anything
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    assert any("voila" in u for u in refused)  # Voilà's own script was asked for and refused
    assert browser_page.blocked == []


def pick_an_account_and_its_kam(page: Any) -> None:
    """Pick the hostile-named account A001 in the picker, then its KAM from its card: each card shows (drawn in
    advance, opened by its link alone), with its facts, names as text; closing goes back to the picker."""
    card = page.locator("#acc-A001")
    assert not card.is_visible()  # every card is hidden until picked
    page.click("a[href='#acc-A001']")
    card.wait_for(state="visible", timeout=5_000)
    text = card.inner_text()
    assert XSS in text and "Invest" in text and "Lucía Martínez Ortega" in text
    assert "Since 2025-H2: Maintain → Invest" in text and "Stays with Lucía Martínez Ortega" in text
    assert "Low risk · 6 people" in text and "2026-H1: 5 of 5 KPIs met, 0 missed" in text
    assert "137.5 h · 22.7% of its KAM's account time" in text
    assert problems(text, "en") == []
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the card fits the screen's width
    assert page.evaluate("document.querySelector('#acc-A001').getBoundingClientRect().right") <= 390
    card.screenshot(path=str(ARTIFACTS / "dashboard_account_card_phone.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    card.locator("a[href='#kam-K01']").first.click()
    kam = page.locator("#kam-K01")
    kam.wait_for(state="visible", timeout=5_000)
    assert not card.is_visible()  # one card at a time
    text = kam.inner_text()
    assert "1,648.5 h of 1,720 h available (95.8%)" in text and "7.9% of their time" in text
    assert XSS in text and "Supermercados Marisma" in text  # their accounts, linked to their cards
    assert problems(text, "en") == []
    kam.locator("a[href='#sec-pick']").click()
    page.wait_for_function("!document.querySelector('#kam-K01').checkVisibility()")
