"""Live matrix speed in a real browser: key press on a weight slider → repainted chart, in Voilà.

Run: `.venv/bin/python benchmarks/bench_live_matrix.py [--sizes 500 5000] [--presses 40]`
(needs Debian's chromium and playwright, like the browser tests). For each size it serves
the live matrix kam serve runs (kamlib: recompute in the browser) and, as the baseline
measured in the same run, benchmarks/naive_matrix.ipynb (re-score in the kernel and re-render
a new Altair chart into an Output widget on every slider event), and prints the median and
p95 latency from keydown to the next animation frame after the repaint, and the time from
opening the page to the first chart. Presses are sequential (each waits for its repaint).
Targets (issue 3): median ≤ 50 ms and p95 ≤ 150 ms at 500 accounts; p95 ≤ 300 ms at 5,000.

With `--segments K` (issue 21) each size is measured a third time, on the same engagement with criteria per
segment for its first K sectors (`kamlib.synthetic.with_segments`): every account weighed by its segment's
weights, the slider moving one segment's; the same targets hold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamlib.publish.serve import MATRIX_NOTEBOOK, NOTEBOOKS, start_voila, stop  # noqa: E402
from kamlib.synthetic import make_engagement_frames, with_segments, write_engagement  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL  # noqa: E402

# Records keydown → (repaint seen) → next animation frame, for both apps.
MEASURE_JS = """
(mode) => {
  window.__lat = []; window.__t0 = null;
  document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
  const done = () => requestAnimationFrame(() => window.__lat.push(performance.now() - window.__t0));
  if (mode === 'kamlib') {
    const app = document.querySelector('.kam-app');
    new MutationObserver(() => { if (window.__t0 !== null) done(); })
      .observe(app, {attributes: true, attributeFilter: ['data-rendered']});
  } else {
    let last = document.querySelector('.widget-output .marks');
    new MutationObserver(() => {
      const marks = document.querySelector('.widget-output .marks');
      if (marks && marks !== last) { last = marks; if (window.__t0 !== null) done(); }
    }).observe(document.body, {childList: true, subtree: true});
  }
}
"""
APPS = {
    "kamlib": (NOTEBOOKS / MATRIX_NOTEBOOK, ".kam-app.kam-ready canvas", "input[data-id='C01']"),
    "naive": (ROOT / "benchmarks" / "naive_matrix.ipynb", ".widget-output .marks", ".noUi-handle"),
}


def measure(playwright, app: str, workbook: Path, presses: int) -> tuple[float, list[float]]:
    notebook, ready, slider = APPS[app]
    process, url = start_voila(notebook, workbook)
    profile = tempfile.mkdtemp(prefix="kam-bench-")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1600, "height": 1000},
    )
    blocked: list[str] = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(LOCAL) else (blocked.append(r.request.url), r.abort()),
    )
    try:
        page = context.pages[0]
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=300_000)
        page.wait_for_selector(ready, timeout=300_000)
        first_chart = time.perf_counter() - start
        page.evaluate(MEASURE_JS, app)
        handle = page.locator(slider).first
        handle.focus()
        for i in range(presses):
            handle.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            page.wait_for_function(f"window.__lat.length > {i}", timeout=120_000)
            time.sleep(0.05)
        latencies = page.evaluate("window.__lat")
        if blocked:
            raise RuntimeError(f"{app} asked the internet for {blocked}")
        return first_chart, latencies
    finally:
        context.close()
        stop(process)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 5000])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--naive-presses", type=int, default=10)
    parser.add_argument("--segments", type=int, default=0, help="also measure with criteria per segment (K sectors)")
    args = parser.parse_args()
    print(f"{'accounts':>9} {'app':>8} {'first chart (s)':>16} {'median (ms)':>12} {'p95 (ms)':>9} {'n':>4}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            frames = make_engagement_frames(n, 10, seed=7)
            workbook = write_engagement(frames, Path(tmp) / f"bench{n}")
            runs = [("kamlib", "kamlib", workbook, args.presses), ("naive", "naive", workbook, args.naive_presses)]
            if args.segments:
                segmented = write_engagement(with_segments(frames, args.segments), Path(tmp) / f"segments{n}")
                runs.append(("kamlib", "segments", segmented, args.presses))
            results = {}
            for app, label, book, presses in runs:
                first, lat = measure(playwright, app, book, presses)
                results[label] = statistics.median(lat)
                print(
                    f"{n:>9,} {label:>8} {first:>16.1f} {statistics.median(lat):>12.1f} {p95(lat):>9.1f} {len(lat):>4}",
                    flush=True,
                )
            print(f"{n:>9,} {'ratio':>8} {'':>16} {results['naive'] / results['kamlib']:>11.1f}x  (naive / kamlib)")
            if args.segments:
                ratio = results["segments"] / results["kamlib"]
                print(f"{n:>9,} {'ratio':>8} {'':>16} {ratio:>11.2f}x  (segments / kamlib)")


if __name__ == "__main__":
    main()
