"""How quickly the served app becomes usable, beside a hello-world Flet app served the same way.

Run: ``python bench/ui.py [--runs 7] [--taps 12]``. Both apps are served in this process by the same
server code (no CDN, CanvasKit, the same security headers), so the only difference is the app. Prints:

- load: median time from navigation to the first screen being interactive (its node in the accessibility
  tree, which Flutter builds once the screen is laid out and hit-testable), app vs hello world, and ratio;
- tap: median time from a checklist tap in the browser to the tick being durably stored (the stored
  backend's write returned), measured on one clock because the server runs in this process.

Goals: load within 1.3x the hello world; a tap stored within 150 ms. This is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flet as ft
import uvicorn

from aftercare_app.services import CareRecords, system_clock
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.ui.app import make_main
from aftercare_app.ui.server import build_asgi_app, free_port
from aftercare_app.ui.settings import MemorySettings
from aftercare_app.ui.tabs import ServedTabs

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


class TimedRecords:
    """The records on files, noting when each tick write has returned."""

    def __init__(self, inner: CareRecords) -> None:
        self.inner = inner
        self.stored: list[float] = []

    def set_done(self, day: int, item_id: str, done: bool) -> None:
        self.inner.set_done(day, item_id, done)
        self.stored.append(time.perf_counter())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def hello(page: ft.Page) -> None:
    page.add(ft.Semantics(identifier="screen-hello", content=ft.Text("Hello, world")), ft.Checkbox(label="Tick"))


def serve_in_thread(main: Any, **options: Any) -> str:
    port = free_port()
    config = uvicorn.Config(build_asgi_app(main, **options), host="127.0.0.1", port=port, log_level="error", ws="websockets-sansio")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}/"


def time_to_screen(browser: Any, url: str, screen: str) -> float:
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Europe/Paris")
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=120_000)
    placeholder.dispatch_event("click")
    page.locator(f"[flt-semantics-identifier='{screen}']").wait_for(state="attached", timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def tap_latencies(browser: Any, url: str, backend: TimedRecords, taps: int) -> list[float]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(url + "checklist")
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=120_000)
    placeholder.dispatch_event("click")
    boxes = page.get_by_role("checkbox")
    boxes.first.wait_for(timeout=120_000)
    latencies = []
    for i in range(taps):
        box = boxes.nth(i % 3)
        box.scroll_into_view_if_needed()
        count = len(backend.stored)
        start = time.perf_counter()
        box.click()
        while len(backend.stored) == count:
            time.sleep(0.0005)
        latencies.append(backend.stored[-1] - start)
        page.wait_for_timeout(100)
    context.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--taps", type=int, default=12)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="aftercare-bench-"))
    backend = TimedRecords(CareRecords(open_repository(FileTextStore(data)), system_clock))
    now = datetime.now(UTC)
    backend.start_session(
        now - timedelta(hours=30), follow_up=(now + timedelta(days=12)).date(),
        clinic_name="Bench clinic", clinic_phone="+33 1 00 00 00 00", timezone="Europe/Paris",
    )

    async def paris(_settings: object) -> str:
        return "Europe/Paris"

    main_of_app = make_main(
        lambda: backend,  # type: ignore[arg-type, return-value]  # the records, timed
        tabs_for=ServedTabs, settings_for=lambda page: MemorySettings(), device_zone=paris,
    )
    app_url = serve_in_thread(main_of_app)
    hello_url = serve_in_thread(hello)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        time_to_screen(browser, app_url, "screen-today")  # warm both servers and the disk cache
        time_to_screen(browser, hello_url, "screen-hello")
        app_loads, hello_loads = [], []
        for _ in range(args.runs):  # interleaved, so drift on a noisy machine hits both alike
            hello_loads.append(time_to_screen(browser, hello_url, "screen-hello"))
            app_loads.append(time_to_screen(browser, app_url, "screen-today"))
        taps = tap_latencies(browser, app_url, backend, args.taps)
        browser.close()

    app_load, hello_load, tap = statistics.median(app_loads), statistics.median(hello_loads), statistics.median(taps)
    print(f"runs: {args.runs} loads each, {args.taps} taps; headless Chromium, phone viewport 390x844")
    print(f"load to interactive  hello world {hello_load * 1000:7.0f} ms   app Today {app_load * 1000:7.0f} ms   ratio {app_load / hello_load:.2f} (goal <= 1.30)")
    print(f"tap to tick stored   median {tap * 1000:6.1f} ms   p90 {sorted(taps)[int(0.9 * (len(taps) - 1))] * 1000:6.1f} ms (goal <= 150 ms)")
    print(f"tap vs hello load    {tap / hello_load:.3f} of a hello-world load")


if __name__ == "__main__":
    main()
