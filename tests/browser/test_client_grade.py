"""What the client reads is client-grade (issue 19): every deliverable the sample produces — the account and
portfolio reports as a browser shows them, the deck's slides — read in Spanish and in English, holds no raw float,
no decimal point of the other language, no index column and no note about how it was made; its title comes from
the engagement's identity. (The dashboard page is read the same way in tests/browser/test_dashboard_browser.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from pptx import Presentation

from kamlib.engagement import SAMPLE_PATH, load
from kamlib.publish.deck import write_deck
from kamlib.publish.reports import plan_reports, run_reports
from kamlib.publish.site import write_report_site
from tests.client_grade import index_columns, problems
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"
SITE_TITLE = {"es": ("Cartera de", "Informes de"), "en": ("portfolio", "reports")}
ACCOUNTS = ["A001"]
"""The sample's largest account: its ledger, KPIs and decision map make its report the fullest."""
TITLES = {
    "es": ("Cartera de cuentas clave · Conservas y Aceites del Ebro", "Plan de cuenta clave"),
    "en": ("Key account portfolio · Conservas y Aceites del Ebro", "Key account plan"),
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_reports_and_their_site_read_as_a_client_reads_them(
    browser_page: Any, tmp_path: Path, lang: str, sample_reports_en: tuple
) -> None:
    # the English reports are those `kam report` wrote for the paths test (the same plan: nothing runs again)
    out = sample_reports_en[0] / "reports" if lang == "en" else tmp_path
    jobs = plan_reports(SAMPLE_PATH, out, ACCOUNTS, lang=lang)
    run = run_reports(jobs, workers=1, progress=False)
    assert run.failed == []
    portfolio_title, account_title = TITLES[lang]
    page = browser_page.page
    for job in jobs:
        page.goto(job.html.as_uri())
        page.wait_for_function("document.querySelectorAll(\".kamlib-chart[data-rendered='true']\").length > 0")
        text = page.inner_text("body")
        assert problems(text, lang) == [], job.html
        assert index_columns(page.content()) == [], job.html
        assert page.title() == job.title and "sample" not in page.title()
        heading = page.inner_text("header")
        assert (account_title if job.key else portfolio_title) in heading
        assert "Cuentas Clave Consultores" in heading  # the byline: by whom, and when
        assert ("15 jul 2026" if lang == "es" else "15 Jul 2026") in heading
    assert browser_page.blocked == [] and browser_page.page_errors == []
    site_sorts_filters_and_searches_offline(browser_page, lang, jobs)


def deck_text(path: Path) -> str:
    """Every text a deck's slides show: titles, text boxes and table cells (not the speaker's notes)."""
    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_deck_reads_as_a_client_reads_it(tmp_path: Path, lang: str) -> None:
    engagement = load(SAMPLE_PATH)
    deck = write_deck(engagement, tmp_path / "deck.pptx", ACCOUNTS, lang=lang)
    text = deck_text(deck)
    assert problems(text, lang) == []
    first = Presentation(str(deck)).slides[0].shapes.title.text_frame.text
    assert first == "Conservas y Aceites del Ebro"  # the supplier's name, never the folder's ("sample")
    assert Presentation(str(deck)).core_properties.title == TITLES[lang][0].replace(
        "Cartera de cuentas clave", "Gestión de cuentas clave"
    ).replace("Key account portfolio", "Key account management")


def site_sorts_filters_and_searches_offline(browser_page: Any, lang: str, jobs: list) -> None:
    """DIR/<engagement>/index.html opened from the folder: every report linked, sorting, filters and search work
    with the network cut; at a phone's width the table scrolls inside its box."""
    site = write_report_site(jobs)
    assert site == jobs[-1].html.parent / "index.html"
    page = browser_page.page
    page.goto(site.as_uri())
    assert page.title() == TITLES[lang][0].replace(*SITE_TITLE[lang])
    rows = page.locator("#accounts tbody tr")
    assert rows.count() == 48
    links = page.eval_on_selector_all("#accounts a", "els => els.map(e => e.href)")
    assert len(links) == len(ACCOUNTS) and all(Path(unquote(urlparse(u).path)).is_file() for u in links)
    page.click("text=" + ("Informe de cartera" if lang == "es" else "Portfolio report"))
    assert page.url.endswith("/portfolio.html")
    page.goto(site.as_uri())  # not go_back: Chromium may swap the file page's renderer and lose its history (flaky)

    page.click("button[data-sort='revenue']")  # ascending, then descending
    page.click("button[data-sort='revenue']")
    first = page.locator("#accounts tbody tr").first.inner_text()
    assert "Supermercados Levante" in first and ("6.902.872\xa0€" in first or "€6,902,872" in first)

    page.select_option("select[data-filter='strategy']", label="Invertir" if lang == "es" else "Invest")
    visible = page.locator("#accounts tbody tr:not([hidden])")
    assert visible.count() == 9  # the sample's Invest accounts
    page.fill("#search", "levante")
    assert visible.count() == 1 and "Supermercados Levante" in visible.first.inner_text()
    assert ("1 de 48 cuentas" if lang == "es" else "1 of 48 accounts") in page.inner_text("#shown")
    page.fill("#search", "")
    page.select_option("select[data-filter='strategy']", value="")
    assert visible.count() == 48

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page fits; the table scrolls
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report_site_phone_{lang}.png"), full_page=False)
    assert browser_page.blocked == [] and browser_page.page_errors == [] and browser_page.console_errors == []
