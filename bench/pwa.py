"""Start-up of the offline web app against a hello-world Flet app built the same way, measured in one run.

For each build: cold start (fresh browser profile: nothing cached, no service worker) and warm start (same profile,
the service worker serves everything), median seconds from navigation until the app's first text is in
Flutter's accessibility tree; and the bytes the server sent for a first visit, until the app is interactive and
until the service worker has precached the site (response bodies, compressed as the browser accepted).

    python bench/pwa.py [--cold 3] [--warm 5]

Goals (issue 5): warm start within 1.3x the hello world; a first visit under 35 MB transferred.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aftercare_app.pwa.build import PROJECT_ROOT, BuildResult, build_site  # noqa: E402
from aftercare_app.pwa.server import serving  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.pwa.driver import open_app, wait_for_offline_ready  # noqa: E402

BENCH_ROOT = PROJECT_ROOT / "build" / "bench-pwa"
HELLO = ROOT / "tests" / "pwa" / "fixtures" / "hello_app.py"


@dataclass
class Figures:
    """Samples of one build by kind: "cold"/"warm" start seconds, "interactive"/"offline" first-visit bytes."""

    name: str
    build: BuildResult
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def median(self, kind: str) -> float:
        return statistics.median(self.samples[kind])


def measure(playwright, figures: Figures, ready_text: str, cold_runs: int, warm_runs: int) -> None:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        with serving(figures.build.out_dir, with_server=True) as (url, server):
            for run in range(cold_runs):
                context = browser.new_context(viewport={"width": 412, "height": 860})  # a fresh profile
                page = context.new_page()
                before = server.bytes_sent
                figures.samples["cold"].append(open_app(page, url, ready_text))
                figures.samples["interactive"].append(server.bytes_sent - before)
                wait_for_offline_ready(page)
                page.wait_for_timeout(500)
                figures.samples["offline"].append(server.bytes_sent - before)
                if run == cold_runs - 1:
                    for _ in range(warm_runs):
                        figures.samples["warm"].append(open_app(page, None, ready_text))
                context.close()
    finally:
        browser.close()


def _mb(size: float) -> str:
    return f"{size / 1e6:6.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=3, help="cold starts per build (default 3)")
    parser.add_argument("--warm", type=int, default=5, help="warm starts per build (default 5)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    hello = Figures("hello world", build_site(BENCH_ROOT / "hello", app="hello_app:main", sources=[HELLO]))
    app = Figures("aftercare app", build_site(BENCH_ROOT / "app"))
    print(f"built both in {time.perf_counter() - started:.0f} s")

    with sync_playwright() as playwright:
        # Interleave the builds so that machine noise hits both alike.
        for _ in range(2):
            measure(playwright, hello, "Hello, world!", (args.cold + 1) // 2, args.warm)
            measure(playwright, app, "Start my recovery plan", (args.cold + 1) // 2, args.warm)

    print()
    print(f"{'':16}{'cold start':>12}{'warm start':>12}{'1st visit→UI':>16}{'→offline-ready':>16}"
          f"{'site files':>12}{'precache br':>13}")
    for f in (hello, app):
        print(f"{f.name:16}{f.median('cold'):10.2f} s{f.median('warm'):10.2f} s"
              f"{_mb(f.median('interactive')):>16}{_mb(f.median('offline')):>16}"
              f"{_mb(f.build.total_bytes):>12}{_mb(f.build.precache_brotli_bytes):>13}")
    cold_ratio = app.median("cold") / hello.median("cold")
    warm_ratio = app.median("warm") / hello.median("warm")
    transfer = app.median("offline")
    transfer_ratio = transfer / hello.median("offline")
    print()
    print(f"cold start ratio (app / hello):      {cold_ratio:.2f}x")
    print(f"warm start ratio (app / hello):      {warm_ratio:.2f}x   goal <= 1.30x: {'met' if warm_ratio <= 1.3 else 'NOT met'}")
    print(f"first-visit transfer ratio:          {transfer_ratio:.2f}x")
    print(f"first visit transferred (app):       {_mb(transfer).strip()}   goal < 35 MB: "
          f"{'met' if transfer < 35e6 else 'NOT met'}")
    print(f"runs: {len(app.samples['cold'])} cold, {len(app.samples['warm'])} warm per build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
