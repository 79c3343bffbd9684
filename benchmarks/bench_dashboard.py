"""Dashboard speed in a real browser: opening the page → the first chart drawn, cold and with a preheated kernel.

Run: `.venv/bin/python benchmarks/bench_dashboard.py [--visits 5]` (needs Debian's chromium and playwright,
like the browser tests). It serves kamlib/publish/notebooks/dashboard.ipynb on the sample engagement the way `kam serve`
does, twice in one run:

- "baseline": cold, and the kernel draws the views itself (pandas, altair, vl-convert in the kernel);
- "cold": Voilà without kernel preheating, so every visit starts a kernel and runs the notebook, which
  reads the views `kam serve` drew in advance;
- "preheated": `kam serve`'s setting (`--preheat_kernel=True --pool_size=1`), where Voilà keeps a kernel
  that has already run the notebook; the script waits for the pool to refill between visits.

At the end it prints the median and worst time from navigation start to the first chart visible in the
page (an SVG drawn by vl-convert, or a chart widget drawn by Vega: performance.now() in the page), and the
ratio cold / preheated. Both include `kam serve`'s drawing of the views in advance only in that it
happens before the server starts (printed apart, once).
Targets (issue 5): ≤ 3 s cold, ≤ 1 s preheated.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamlib.engagement import SAMPLE_PATH  # noqa: E402
from kamlib.publish.serve import DASHBOARD_NOTEBOOK, KEPT_VIEWS, dashboard_folder, start_voila, stop  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL  # noqa: E402

CHARTS = "svg.marks, img[src^='data:image/svg'], .kamlib-chart[data-rendered='true']"
FIRST_CHART = (
    f"[...document.querySelectorAll({CHARTS!r})].some(e => e.checkVisibility() && e.getBoundingClientRect().width > 0"
    " && (e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0)))"
)
"""A chart is drawn when it is in the page, visible, has a size, and (an image) is decoded."""


def visits(playwright, preheat: bool, count: int, refill: float, kept: bool = True) -> list[float]:
    """Open the dashboard `count` times in fresh browser contexts; return seconds to the first chart.

    `kept=False` removes the views `kam serve` drew in advance, so each kernel draws them itself.
    """
    folder = dashboard_folder(SAMPLE_PATH, None, "es")
    if not kept:
        (folder / KEPT_VIEWS).unlink()
    process, url = start_voila(folder, SAMPLE_PATH, preheat=preheat)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    seconds = []
    try:
        if preheat:
            time.sleep(refill)  # the first preheated kernel runs the notebook after the server starts
        for _ in range(count):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
            page = context.new_page()
            page.goto(f"{url}voila/render/{DASHBOARD_NOTEBOOK}", wait_until="commit", timeout=180_000)
            page.wait_for_function(FIRST_CHART, timeout=180_000, polling=20)
            seconds.append(page.evaluate("performance.now()") / 1000.0)
            context.close()
            if preheat:
                time.sleep(refill)
    finally:
        browser.close()
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--refill", type=float, default=20.0, help="seconds to let Voilà preheat the next kernel")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    shutil.rmtree(dashboard_folder(SAMPLE_PATH, None, "es"))
    print(f"kam serve draws the views in advance in {time.perf_counter() - started:.2f} s (once, before Voilà starts)")
    with sync_playwright() as playwright:
        drawing = visits(playwright, False, args.visits, args.refill, kept=False)
        cold = visits(playwright, False, args.visits, args.refill)
        warm = visits(playwright, True, args.visits, args.refill)
    for name, times, target in (("cold", cold, 3.0), ("preheated", warm, 1.0)):
        verdict = "met" if statistics.median(times) <= target else "NOT met"
        print(
            f"{name:>10}: first chart median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
            f"({len(times)} visits); target ≤ {target:g} s: {verdict}"
        )
    print(
        f"  baseline: first chart median {statistics.median(drawing):.2f} s cold when the kernel draws the views "
        f"itself; ratio {statistics.median(drawing) / statistics.median(cold):.1f}x"
    )
    print(f"ratio cold / preheated: {statistics.median(cold) / statistics.median(warm):.1f}x")


if __name__ == "__main__":
    main()
