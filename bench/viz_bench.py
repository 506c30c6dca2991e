"""View benchmark: time to first draw and to a stable layout of /viz in headless Chromium, 3 roles vs 300.

Run with ``.venv/bin/python bench/viz_bench.py`` (not part of the test suite; needs /usr/bin/chromium). It
builds the seed graph and a graph of 300 generated roles (the generator of ``tests/test_viz.py``) into
temporary folders, starts a real ``rolegraph serve`` for each, and loads the page several times in a fresh
browser context. The page records ``performance.now()`` (milliseconds since navigation start) at vis-network's
first ``afterDrawing`` and at ``stabilizationIterationsDone`` in ``window.rolegraphTimings``; the server's
share is the navigation's response end. Medians, p95 and the ratio 300/3 are printed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from bench.common import Timing  # noqa: E402
from tests.server import LiveServer, build_store, rolegraph_command  # noqa: E402
from tests.test_viz import write_role_documents  # noqa: E402
from tests.test_viz_browser import CHROMIUM, CHROMIUM_ARGS, READY  # noqa: E402

RUNS = 9
WARMUP = 2
METRICS = ("html received", "first draw", "stable layout")


def measure_page(browser: Browser, url: str, label: str) -> list[Timing]:
    samples: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for run in range(WARMUP + RUNS):
        # A fresh context per run: no page state carries over (the HTTP cache is per context too).
        context = browser.new_context(viewport={"width": 1500, "height": 950})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(READY, timeout=120_000)
        timings = page.evaluate(
            """() => ({html: performance.getEntriesByType("navigation")[0].responseEnd,
                       first: window.rolegraphTimings.firstDraw, stable: window.rolegraphTimings.stabilized})"""
        )
        context.close()
        if run >= WARMUP:
            samples["html received"].append(timings["html"])
            samples["first draw"].append(timings["first"])
            samples["stable layout"].append(timings["stable"])
    return [Timing(f"{label}: {metric}", samples[metric]) for metric in METRICS]


def serve(data_dir: Path) -> LiveServer:
    return LiveServer(data_dir, env={"ROLEGRAPH_SPARQL_WORKERS": "1"}).start(timeout=120)


def main() -> int:
    if not CHROMIUM.exists():
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="viz-bench-") as tmp:
        seed_dir, big_dir = Path(tmp) / "seed", Path(tmp) / "big"
        build_store(seed_dir)
        documents = write_role_documents(Path(tmp), 300)
        command = [rolegraph_command(), "--data-dir", str(big_dir), "build", "--no-validate", *map(str, documents)]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        seed, big = serve(seed_dir), serve(big_dir)
        try:
            seed_roles = [r["id"] for r in httpx.get(f"{seed.url}/api/roles").json()]
            big_roles = [r["id"] for r in httpx.get(f"{big.url}/api/roles").json()]
            assert len(seed_roles) == 3 and len(big_roles) == 300
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                small = measure_page(browser, f"{seed.url}/viz?{urlencode({'role': seed_roles}, doseq=True)}", "3")
                large = measure_page(browser, f"{big.url}/viz?{urlencode({'role': big_roles}, doseq=True)}", "300")
                browser.close()
        finally:
            seed.stop()
            big.stop()
    print(f"\n/viz in headless Chromium: {RUNS} runs each after {WARMUP} warm-up, ms since navigation start")
    print(f"{'measurement':18} {'3 roles median':>15} {'p95':>8} {'300 roles median':>17} {'p95':>8} {'300/3':>7}")
    for a, b in zip(small, large, strict=True):
        metric = a.name.split(": ", 1)[1]
        print(f"{metric:18} {a.median:15.1f} {a.p95:8.1f} {b.median:17.1f} {b.p95:8.1f} {b.median / a.median:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
