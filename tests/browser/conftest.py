"""A headless Debian Chromium driven by Playwright, isolated and offline, for browser tests."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("file://", "http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")
"""What a page may load: local files and this machine's own servers; anything else is blocked and counted."""
SETUP_HINT = "install with: .venv/bin/pip install playwright && apt-get install -y chromium"


def _unavailable(reason: str) -> None:
    """Fail under CI (CI=true), else skip: the browser tests must run in CI."""
    message = f"browser tests need {reason} ({SETUP_HINT})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class Page:
    """An open page plus what it did: requests blocked, console errors, dialogs."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole test session (Playwright gives it a fresh temporary profile)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and shutil.which(str(CHROMIUM)) is None:
        _unavailable(f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def offline_page(chromium: Any, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """Open a fresh page, in a context of its own (no cookies, storage or cache shared with other pages), that can
    only load local files and 127.0.0.1: anything else is blocked and counted."""
    context = chromium.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, service_workers="block"
    )
    try:
        page = context.new_page()
        record = Page(page)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(LOCAL):
                route.continue_()
            else:
                record.blocked.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda msg: msg.type == "error" and record.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: record.page_errors.append(str(exc)))

        def on_dialog(dialog: Any) -> None:
            record.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield record
    finally:
        context.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Page]:
    """A fresh offline page (`offline_page`) at 1280 × 900."""
    with offline_page(chromium) as page:
        yield page


def notebook_chart_page(nb: Any, path: Path) -> int:
    """Write the `kamlib` chart outputs of an executed notebook into one HTML page at `path`; return how many."""
    fragments = [
        o["data"]["text/html"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "kamlib-chart" in o.get("data", {}).get("text/html", "")
    ]
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + "".join(fragments) + "</body></html>",
        encoding="utf-8",
    )
    return len(fragments)
