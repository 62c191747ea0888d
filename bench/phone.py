"""The offline app on an emulated mid-range phone, beside a stock Flet hello world measured in the same run.

The phone: Chromium with a 412x915 screen, touch, ``is_mobile``, an Android user agent and the page's CPU slowed 4x
(``Emulation.setCPUThrottlingRate``, Lighthouse's mobile convention; Chromium slows pages only, not their workers:
see tests/pwa/phone.py). Both sites are built and served locally; every start is timed inside the page, from the
navigation to the frame whose accessibility tree first holds the screen's text (a MutationObserver), so the
measuring itself adds no round trips. The accessibility tree is switched on from inside the page too, the moment
the engine offers it: the probe sends the activation a screen reader's first touch sends (a click at the centre of
Flutter's placeholder), and the engine builds the tree 300 ms later. A tap sent by the test driver instead lands
only when the page's slowed main thread is free, often seconds into a start: an app whose first screen came
sooner was then timed by the tap, not by its drawing (a hello world, whose text comes late, never was).

Figures, medians over the runs:
- cold start: a fresh browser profile, nothing cached, to the first screen (welcome form / "Hello, world!");
- warm start: the same profile again, everything served by the service worker, to the first screen;
- warm start to Today with a 30-day diary (the app only);
- tap to shown: a touch on a checklist box until the box is announced ticked;
- tap to stored: the same touch until the change is saved in IndexedDB (the tabs' channel says so; checked in
  IndexedDB itself);
- first visit: bytes the server sent until the service worker had precached the site;
- memory: the proportional set size of the browser's renderer processes after the warm starts.

The hello world is built as the build made every app before the start-up work (flet-web's own worker, the plain
stdlib, sources unpacked from a tar.gz): ``build_site(stock=True)`` when the build knows that option.

    python bench/phone.py [--cold 3] [--warm 5] [--taps 10]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aftercare_app.site import PROJECT_ROOT
from aftercare_app.site.build import BuildResult, build_site
from aftercare_app.site.server import serving_counted
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEZONE
from tests.pwa.driver import wait_for_offline_ready
from tests.pwa.phone import phone_options, slow_cpu

BENCH_ROOT = PROJECT_ROOT / "build" / "bench-phone"
HELLO = ROOT / "tests" / "pwa" / "fixtures" / "hello_app.py"
STORE_FILE = "/persist/aftercare/aftercare.json"  # where the offline build keeps the store, in IDBFS's database
CHANNEL = "aftercare-store"  # the channel on which a tab says it saved

# Installed in every page before its own scripts: records when each awaited text first shows, taps and saves.
PROBE = """(() => {
  const seen = {};
  const wanted = new Set(__WANTED__);
  const probe = (window.__bench = {seen, taps: [], checked: [], stored: []});
  const look = () => {
    if (!wanted.size) return;
    for (const node of document.querySelectorAll('flt-semantics')) {
      const text = (node.getAttribute('aria-label') || '') + ' ' + (node.textContent || '');
      for (const want of wanted) {
        if (text.includes(want)) { seen[want] = performance.now(); wanted.delete(want); }
      }
    }
  };
  new MutationObserver((records) => {
    look();
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'aria-checked') {
        probe.checked.push([performance.now(), r.target.getAttribute('aria-checked')]);
      }
    }
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ['aria-label', 'aria-checked']});
  addEventListener('pointerdown', () => probe.taps.push(performance.now()), true);
  new MutationObserver((records, observer) => {
    const placeholder = document.querySelector('flt-semantics-placeholder');
    if (!placeholder) return;
    observer.disconnect();
    const box = placeholder.getBoundingClientRect();
    placeholder.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true,
      clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
    probe.activated = performance.now();
  }).observe(document, {subtree: true, childList: true});
  try {
    new BroadcastChannel('__CHANNEL__').onmessage = () => probe.stored.push(performance.now());
  } catch (e) {}
})();"""

STORED_STAMP = """async ([database, path]) => await new Promise((resolve, reject) => {
  const opening = indexedDB.open(database);
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains('FILE_DATA')) { db.close(); resolve(null); return; }
    const read = db.transaction('FILE_DATA', 'readonly').objectStore('FILE_DATA').get(path);
    read.onerror = () => reject(read.error);
    read.onsuccess = () => { db.close(); resolve(read.result ? read.result.timestamp.getTime() : null); };
  };
})"""

# Replace the store file in IDBFS's database (the app loads it from there at start).
PUT_STORE = """async ([database, path, text]) => await new Promise((resolve, reject) => {
  const opening = indexedDB.open(database);
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    const tx = db.transaction('FILE_DATA', 'readwrite');
    const files = tx.objectStore('FILE_DATA');
    const read = files.get(path);
    read.onsuccess = () => {
      const old = read.result;
      if (!old) { reject(new Error('no store yet at ' + path)); return; }
      files.put({...old, timestamp: new Date(), contents: new TextEncoder().encode(text)}, path);
    };
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})"""


@dataclass
class Figures:
    name: str
    build: BuildResult
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def median(self, kind: str) -> float | None:
        values = self.samples.get(kind)
        return statistics.median(values) if values else None


def _descendants(pid: int) -> Iterator[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children[parent].append(int(entry))
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            yield child
            stack.append(child)


def renderer_pss_bytes() -> int:
    """Proportional set size of every Chromium renderer process started from this process."""
    total = 0
    for pid in _descendants(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if b"--type=renderer" not in handle.read():
                    continue
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


class Phone:
    """One browser profile on one site, in phone mode, that measures inside the page."""

    def __init__(self, playwright: Any, profile: Path, url: str, wanted: list[str]) -> None:
        self.url = url
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            **phone_options(timezone_id=TIMEZONE, locale="en-GB"),
        )
        self.context.add_init_script(
            script=PROBE.replace("__WANTED__", json.dumps(wanted)).replace("__CHANNEL__", CHANNEL)
        )
        self.page = self.context.pages[0]
        self.cdp: Any = None

    def throttle(self, rate: float) -> None:
        self.cdp = slow_cpu(self.context, self.page, rate)

    def open(self, text: str, *, reload: bool = False, timeout: float = 180) -> float:
        """Navigate (or reload) and return the seconds from navigation to the frame showing ``text``."""
        if reload:
            self.page.reload(wait_until="commit")
        else:
            self.page.goto(self.url, wait_until="commit")
        deadline = time.monotonic() + timeout
        while (at := self.page.evaluate("(t) => window.__bench && window.__bench.seen[t]", text)) is None:
            if time.monotonic() > deadline:
                activated = self.page.evaluate("() => window.__bench && window.__bench.activated")
                raise TimeoutError(f"{text!r} never showed (accessibility switched on: {activated is not None})")
            time.sleep(0.25)
        return at / 1000

    def close(self) -> None:
        self.context.close()


def cold_and_warm(playwright: Any, figures: Figures, url: str, server: Any, ready: str, warm_runs: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        phone = Phone(playwright, Path(profile), url, [ready])
        try:
            phone.throttle(4)
            before = server.bytes_sent
            figures.samples["cold"].append(phone.open(ready))
            phone.throttle(1)  # setting up offline use is not what is measured
            wait_for_offline_ready(phone.page)
            phone.page.wait_for_timeout(500)
            figures.samples["first visit bytes"].append(server.bytes_sent - before)
            phone.throttle(4)
            for _ in range(warm_runs):
                figures.samples["warm"].append(phone.open(ready, reload=True))
            figures.samples["memory"].append(renderer_pss_bytes())
        finally:
            phone.close()


def diary_store_text(days: int) -> str:
    """The store of a patient ``days`` days into recovery with an entry a day and most tasks ticked."""
    from tests.report.diaries import make_diary, store_diary

    treated = datetime.now().astimezone() - timedelta(days=days - 1, hours=12)
    with tempfile.TemporaryDirectory() as folder:
        store_diary(make_diary(days, treated=treated), Path(folder))
        return (Path(folder) / "aftercare.json").read_text(encoding="utf-8")


def onboard(phone: Phone) -> None:
    """The welcome form filled in as the browser tests do, at full speed (setup, not measured)."""
    from tests.browser.conftest import onboard as fill_welcome_form

    fill_welcome_form(phone.page)


def with_diary(playwright: Any, figures: Figures, url: str, warm_runs: int, taps: int) -> None:
    days = 30
    today = f"Day {days} of recovery"
    with tempfile.TemporaryDirectory() as profile:
        phone = Phone(playwright, Path(profile), url, ["Start my recovery plan", "Day 2 of recovery", today])
        try:
            phone.throttle(1)
            phone.open("Start my recovery plan")
            wait_for_offline_ready(phone.page)
            onboard(phone)
            phone.page.wait_for_timeout(1000)  # the first save reaches IndexedDB
            phone.page.evaluate(PUT_STORE, ["/persist", STORE_FILE, diary_store_text(days)])
            phone.throttle(4)
            for _ in range(warm_runs):
                figures.samples["warm to Today (30-day diary)"].append(phone.open(today, reload=True))
            figures.samples["memory with diary"].append(renderer_pss_bytes())
            phone.page.get_by_role("tab", name="Checklist").tap()
            boxes = phone.page.get_by_role("checkbox")
            boxes.first.wait_for(state="attached", timeout=60_000)
            phone.page.wait_for_timeout(1000)
            for i in range(taps):
                shown, stored = tap_once(phone, boxes.nth(i % 2))
                figures.samples["tap to shown"].append(shown)
                figures.samples["tap to stored"].append(stored)
        finally:
            phone.close()


# The first time after the tap that a checkbox is announced with the value the tapped box was to take.
SHOWN_AND_STORED = """([t, c, s, want]) => {
  const tapped = __bench.taps[t];
  const shown = __bench.checked.slice(c).find(([at, value]) => value === want);
  return [tapped, shown ? shown[0] : undefined, __bench.stored[s]];
}"""


def tap_once(phone: Phone, box: Any, timeout: float = 30) -> tuple[float, float]:
    page = phone.page
    counts = page.evaluate("() => [__bench.taps.length, __bench.checked.length, __bench.stored.length]")
    want = "false" if box.get_attribute("aria-checked") == "true" else "true"
    stamp = page.evaluate(STORED_STAMP, ["/persist", STORE_FILE])
    box.tap()
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(SHOWN_AND_STORED, [*counts, want])
        if None not in state:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"tap not shown or not stored: {state}")
        time.sleep(0.05)
    page.wait_for_timeout(300)
    if page.evaluate(STORED_STAMP, ["/persist", STORE_FILE]) == stamp:
        raise AssertionError("the tabs' channel said saved, but the store in IndexedDB did not change")
    if box.get_attribute("aria-checked") != want:
        raise AssertionError("the box did not stay as tapped")
    tapped, shown, stored = state
    return (shown - tapped) / 1000, (stored - tapped) / 1000


def _build(out: Path, **kwargs: Any) -> BuildResult:
    return build_site(out, **kwargs)  # as `pwa build` builds it (brotli 9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=3, help="cold starts per build (default 3)")
    parser.add_argument("--warm", type=int, default=5, help="warm starts per profile (default 5)")
    parser.add_argument("--taps", type=int, default=10, help="checklist taps (default 10)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    stock = {"stock": True} if "stock" in inspect.signature(build_site).parameters else {}
    started = time.perf_counter()
    hello = Figures("hello world", _build(BENCH_ROOT / "hello", app="hello_app:main", sources=[HELLO], **stock))
    app = Figures("aftercare app", _build(BENCH_ROOT / "app"))
    print(f"built both in {time.perf_counter() - started:.0f} s; hello world {'stock' if stock else 'as the app'}")

    with sync_playwright() as playwright, serving_counted(hello.build.out_dir) as (hello_url, hello_server), \
                serving_counted(app.build.out_dir) as (app_url, app_server):
        for _ in range(args.cold):  # interleaved, so that machine noise hits both alike
            cold_and_warm(playwright, hello, hello_url, hello_server, "Hello, world!", max(1, args.warm // 2))
            cold_and_warm(playwright, app, app_url, app_server, "Start my recovery plan", max(1, args.warm // 2))
        with_diary(playwright, app, app_url, args.warm, args.taps)
    report(hello, app)
    return 0


def report(hello: Figures, app: Figures) -> None:
    def seconds(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f} s"

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:.0f} ms"

    def mb(value: float | None) -> str:
        return "—" if value is None else f"{value / 1e6:.1f} MB"

    rows: list[tuple[str, str, Callable[[float | None], str]]] = [
        ("cold start to first screen", "cold", seconds),
        ("warm start to first screen", "warm", seconds),
        ("warm start to Today, 30-day diary", "warm to Today (30-day diary)", seconds),
        ("tap to shown", "tap to shown", ms),
        ("tap to stored in IndexedDB", "tap to stored", ms),
        ("first visit transferred", "first visit bytes", mb),
        ("renderer memory after warm start", "memory", mb),
        ("the same, Today with the diary", "memory with diary", mb),
    ]
    print()
    print(f"{'median':36}{'hello world':>14}{'aftercare app':>16}")
    for label, kind, show in rows:
        print(f"{label:36}{show(hello.median(kind)):>14}{show(app.median(kind)):>16}")
    print()
    hello_warm = hello.median("warm")
    for label, kind in (("warm start, app / hello", "warm"), ("warm to Today, app / hello warm", "warm to Today (30-day diary)"),
                        ("cold start, app / hello", "cold")):
        base = hello.median("cold") if kind == "cold" else hello_warm
        value = app.median(kind)
        if base and value:
            print(f"{label:36}{value / base:>14.2f}x")
    print(f"runs: {len(app.samples['cold'])} cold, {len(app.samples['warm'])} warm, "
          f"{len(app.samples['warm to Today (30-day diary)'])} warm to Today, {len(app.samples['tap to shown'])} taps")
    print(f"site: app precache {app.build.precache_brotli_bytes / 1e6:.1f} MB brotli, "
          f"hello precache {hello.build.precache_brotli_bytes / 1e6:.1f} MB brotli")


if __name__ == "__main__":
    raise SystemExit(main())
