"""Take the documentation's screenshots from the bundled sample engagement: `python3 scripts/screenshots.py`.

Writes into docs/img/ (or the folder given with --out):

- `live-matrix-en.png`, `live-matrix-es.png`: the live account matrix that `kam serve` opens (Voilà on 127.0.0.1,
  a free port), in English and in Spanish (its ES/EN switch);
- `dashboard-en.png`: the stakeholders' dashboard served by the same `kam serve`;
- `account-report-en.png`: the top of one account report written by `kam report`.

Everything runs on a fresh copy of the sample (`kam sample DIR`) in a temporary folder, through the `kam`
command itself, so the pictures show what a user gets. The browser is Debian's Chromium (/usr/bin/chromium)
driven by Playwright with a fresh profile; no browser is downloaded, and every request that does not go to
127.0.0.1 or a local file is refused and makes the script fail (the pages must work offline). Each PNG is a
1280 × 800 view, kept under 300 KB (quantised to 256 colours with Pillow if it is larger).
"""

from __future__ import annotations

import argparse
import io
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
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
VIEWPORT = {"width": 1280, "height": 800}
LANGS = ("en", "es")
LOCAL = ("file://", "http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")
"""What a page may load: local files and this machine's own servers."""
MAX_BYTES = 300_000
SERVE_TIMEOUT = 240.0
"""Seconds `kam serve` may take to print its URLs (it draws the dashboard's views first)."""
CHART_TIMEOUT_MS = 180_000
URL = re.compile(r"https?://\S+")
CHARTS = "svg.marks, img[src^='data:image/svg']"
"""The dashboard's charts: SVG drawn by vl-convert, inline or as an image."""
STRATEGY_WORDS = {"en": "Selective investment", "es": "Inversión selectiva"}
"""A strategy's name in each language: the live matrix's quadrant table shows it once the language is switched."""


def kam() -> list[str]:
    """The `kam` command of this Python: the script beside the interpreter, or the same entry point through -c."""
    script = Path(sys.executable).with_name("kam")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from kamlib.cli import main; sys.exit(main())"]


def sample_copy(folder: Path) -> Path:
    """A fresh copy of the bundled sample engagement in `folder`, written by `kam sample`."""
    target = folder / "muestra"
    done = subprocess.run([*kam(), "sample", str(target)], capture_output=True, text=True)
    if done.returncode != 0 or not target.is_dir():
        raise SystemExit(f"kam sample failed: {done.stderr.strip()}")
    return target


@contextmanager
def served(workbook: Path, lang: str) -> Iterator[dict[str, str]]:
    """Run `kam serve WB --lang L` and yield its URLs ({"matrix": …, "dashboard": …}); stop it afterwards."""
    process = subprocess.Popen(
        [*kam(), "serve", str(workbook), "--lang", lang],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    urls: dict[str, str] = {}
    said: list[str] = []
    deadline = time.monotonic() + SERVE_TIMEOUT
    try:
        while len(urls) < 2:
            if process.poll() is not None and lines.empty():
                raise SystemExit("kam serve stopped:\n" + "".join(said))
            if time.monotonic() > deadline:
                raise SystemExit("kam serve printed no URL in time:\n" + "".join(said))
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            said.append(line)
            found = URL.search(line)
            if found and "matrix" in line.lower():
                urls["matrix"] = found.group(0)
            elif found and "dashboard" in line.lower():
                urls["dashboard"] = found.group(0)
        yield urls
    finally:
        process.terminate()  # kam serve stops Voilà and removes its folder on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def browser(profile: Path) -> Iterator[tuple[Any, list[str]]]:
    """Yield a page of headless Debian Chromium (fresh profile) and the list of refused outside requests."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise SystemExit(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    blocked: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            device_scale_factor=1,
            service_workers="block",
        )

        def route(route: Any) -> None:
            if route.request.url.startswith(LOCAL):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        try:
            context.route("**/*", route)
            page = context.pages[0] if context.pages else context.new_page()
            yield page, blocked
        finally:
            context.close()


def save(page: Any, path: Path) -> Path:
    """Screenshot the view (not the whole page) to `path`, quantised if it would pass MAX_BYTES."""
    data = page.screenshot(full_page=False)
    if len(data) > MAX_BYTES:
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"{path} ({len(data) // 1000} KB)")
    return path


def shoot_live_matrix(page: Any, url: str, paths: dict[str, Path]) -> None:
    """The live matrix once its chart is drawn (title, sliders, chart), in each language of its ES/EN switch."""
    page.goto(url)
    page.wait_for_selector(".kam-app.kam-ready canvas", timeout=CHART_TIMEOUT_MS)
    for lang, path in paths.items():
        page.locator(f"button.kam-lang[data-lang='{lang}']").click()
        page.wait_for_function(f"document.body.innerText.includes({STRATEGY_WORDS[lang]!r})")
        page.wait_for_timeout(1500)  # the chart's transition
        save(page, path)


def shoot_dashboard(page: Any, url: str, path: Path) -> None:
    """The dashboard once its first charts (SVG drawn by vl-convert) are in the page."""
    page.goto(url)
    page.wait_for_function(
        f"document.querySelectorAll({CHARTS!r}).length >= 2",
        timeout=CHART_TIMEOUT_MS,
    )
    page.wait_for_load_state("networkidle")  # Voilà's scripts may lay the page out again once they have run
    for _ in range(20):  # scroll the matrix (the first chart) to the top, until the page holds it there
        top = page.locator(CHARTS).first.evaluate(
            "chart => { chart.scrollIntoView({block: 'start'}); return chart.getBoundingClientRect().top; }"
        )
        page.wait_for_timeout(500)
        if abs(top) < 2 and abs(page.locator(CHARTS).first.evaluate("c => c.getBoundingClientRect().top")) < 2:
            break
    save(page, path)


def shoot_report(page: Any, html: Path, path: Path) -> None:
    """An account report opened from disk, once its charts are rendered, scrolled to the first chart."""
    page.goto(html.as_uri())
    page.wait_for_function(
        "document.querySelectorAll(\".kamlib-chart[data-rendered='true']\").length >= 1", timeout=CHART_TIMEOUT_MS
    )
    page.wait_for_timeout(500)
    save(page, path)


def account_report(workbook: Path, out: Path, lang: str) -> Path:
    """Write one account report with `kam report` (the largest account) and return its HTML file."""
    import csv

    with (workbook / "accounts.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    account = max(rows, key=lambda r: float(r["revenue"] or 0))["account_id"]
    subprocess.run(
        [*kam(), "report", str(workbook), "--account", account, "--out", str(out), "--lang", lang, "--jobs", "1"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    found = sorted(p for p in out.rglob("report.html") if p.parent.name != workbook.name)
    if not found:
        raise SystemExit(f"kam report wrote no account report under {out}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default: docs/img)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kam-screenshots-") as tmp:
        folder = Path(tmp)
        workbook = sample_copy(folder)
        with browser(folder / "chromium-profile") as (page, blocked):
            with served(workbook, "en") as urls:
                shoot_live_matrix(page, urls["matrix"], {lang: args.out / f"live-matrix-{lang}.png" for lang in LANGS})
                shoot_dashboard(page, urls["dashboard"], args.out / "dashboard-en.png")
            html = account_report(workbook, folder / "reports", "en")
            shoot_report(page, html, args.out / "account-report-en.png")
            if blocked:
                raise SystemExit("pages asked for outside resources: " + ", ".join(sorted(set(blocked))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
