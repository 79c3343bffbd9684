"""The group workshop as the room sees it (issue 20): the facilitator's screen on the projector and three
participants, one on a phone (390 × 844), in Chromium with every request off 127.0.0.1 blocked and counted.

The facilitator opens an account; the participants score it (a don't-know among them); the screen counts the
answers as they arrive; nobody sees the others' scores until the facilitator reveals them; then the phones show
the group's. The customer's buyer sees only our position. Screenshots go to reports/test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamlib.engagement import copy_sample
from tests.browser.conftest import offline_page
from tests.conftest import ROOT
from tests.room.conftest import Served, serve_in_thread

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "reports" / "test-artifacts"
PEOPLE = "code,name,side\nana,Ana Peña,ours\nben,Ben Ruiz,\nluis,Luis <b>Compras</b>,customer\n"
"""Three listed participants: Ana and Ben of the supplier, Luis the customer's buyer (a name that is markup)."""


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Served]:
    workbook = copy_sample(tmp_path / "engagement")
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    yield from serve_in_thread(workbook, participants=people, lang="es")


def first_card(page: Any, criterion_label: str) -> Any:
    return page.locator("article.card", has_text=criterion_label).first


def test_the_room_scores_on_its_own_devices_and_sees_the_group_once_revealed(chromium, room: Served) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    links = {code: f"{room.base}/p?t={token}" for code, token in room.tokens.items()}
    with (
        offline_page(chromium, 1280, 800) as screen,
        offline_page(chromium, 390, 844) as ana,
        offline_page(chromium, 1280, 800) as ben,
        offline_page(chromium, 1280, 800) as luis,
    ):
        screen.page.goto(room.started.facilitator_url)
        screen.page.wait_for_selector("th.f-acc[data-account='A001']")
        for who, page in (("ana", ana), ("ben", ben), ("luis", luis)):
            page.page.goto(links[who])
        ana.page.wait_for_selector("text=Ana Peña")

        screen.page.click("th.f-acc[data-account='A001']")  # the account's row: its ten criteria
        screen.page.click("button.f-act-open")
        volume = first_card(ana.page, "Volumen de negocio")
        volume.wait_for(timeout=10_000)  # the phone shows the opened items within its two-second look
        assert ana.page.evaluate("document.documentElement.scrollWidth") <= 390  # the page fits the phone

        volume.locator("button.point[data-value='8']").click()
        volume.locator("text=Guardado").wait_for()
        first_card(ana.page, "Crecimiento").locator("button", has_text="No sé").click()
        first_card(ana.page, "Crecimiento").locator("text=Guardado").wait_for()
        ben_volume = first_card(ben.page, "Volumen de negocio")
        ben_volume.wait_for(timeout=10_000)
        ben_volume.locator("button.point[data-value='3']").click()
        ben_volume.locator("text=Guardado").wait_for()

        luis.page.wait_for_selector("article.card", timeout=10_000)
        shown = luis.page.locator("article.card").all_inner_texts()
        assert shown and not any("Volumen de negocio" in text for text in shown)  # our position only
        assert "Luis <b>Compras</b>" in luis.page.inner_text("body")  # a name is text, never markup

        # the projector counts them: volume answered by both of ours (the customer does not score potential)
        expect(screen.page.locator(".f-cell[data-item='1']")).to_contain_text("2/2", timeout=5_000)
        assert volume.locator(".group").count() == 0  # before the reveal, only one's own answer

        screen.page.click("th.f-acc[data-account='A001']")  # the row again: chosen no more
        screen.page.click(".f-cell[data-item='1']")  # volume alone
        screen.page.click("button.f-act-reveal")
        group = first_card(ana.page, "Volumen de negocio").locator(".group")
        group.wait_for(timeout=10_000)
        assert {"3", "8"} <= set(group.locator("li.chip").all_inner_texts())
        screen.page.screenshot(path=str(ARTIFACTS / "workshop_facilitator_control.png"))
        screen.page.click("#tab-results")
        screen.page.wait_for_selector(".f-matrix circle")
        assert "Supermercados Levante" in screen.page.inner_text("#pane-results")
        screen.page.screenshot(path=str(ARTIFACTS / "workshop_facilitator_matrix.png"))
        ana.page.screenshot(path=str(ARTIFACTS / "workshop_participant_phone.png"))
        luis.page.screenshot(path=str(ARTIFACTS / "workshop_participant_customer.png"))

        # the weights of potential as a 100-point allocation: ben spreads 20 points over its five criteria
        screen.page.click("#tab-control")
        screen.page.click(".f-cell[data-item='1']")  # volume: chosen no more
        screen.page.click("th.f-acc[data-share-axis='potential']")
        screen.page.click("button.f-act-open")
        allocation = ben.page.locator("article.card", has_text="Reparto de 100 puntos").first
        allocation.wait_for(timeout=10_000)
        fields = allocation.locator("input.alloc-input")
        assert fields.count() == 5
        for k in range(5):
            fields.nth(k).fill("20")
        allocation.locator("button.save").click()
        allocation.locator("text=Guardado").wait_for()

        # accept: the round's scores into the workbook as a new period, the weights as a scenario
        screen.page.click("#tab-rounds")
        screen.page.fill("#accept-period", "2026-W1")
        screen.page.fill("#accept-weights", "Taller 2026-W1")
        screen.page.click("button.f-accept-go")
        said = screen.page.locator(".f-accept-said.ok")
        said.wait_for(timeout=30_000)
        assert "2 puntuaciones de 2 participantes" in said.inner_text()  # ana's 8 and ben's 3; never the customer's
        screen.page.screenshot(path=str(ARTIFACTS / "workshop_facilitator_accept.png"))

        for page in (screen, ana, ben, luis):
            assert page.blocked == [] and page.page_errors == [] and page.dialogs == []
            assert page.console_errors == []
