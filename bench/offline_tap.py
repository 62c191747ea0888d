"""What a tick costs in the offline web app, where every change takes the tabs' shared lock, loads the latest
copy of the stored files from IndexedDB, writes, and saves the copy back before letting go.

For each tap on a checklist box: the time from the click until the store file in IndexedDB has changed (read
from the page, in the browser's own IndexedDB of the app's origin). Baseline, in the same run and the same
page: a plain IndexedDB ``put`` of the same number of bytes from JavaScript, awaited until committed.

    python bench/offline_tap.py [--taps 12]

This is a benchmark, not a test: it prints medians and a ratio.
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

from aftercare_app.pwa.browser_store import BROWSER_DATA_DIR, BROWSER_MOUNT  # noqa: E402
from aftercare_app.pwa.build import PROJECT_ROOT, build_site  # noqa: E402
from aftercare_app.pwa.server import serving  # noqa: E402
from aftercare_app.storage.files import STORE_NAME  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEZONE, onboard, tab  # noqa: E402
from tests.pwa.driver import open_app, wait_for_text  # noqa: E402

STORE_PATH = f"{BROWSER_DATA_DIR}/{STORE_NAME}"

# IDBFS keeps each file as {timestamp, mode, contents} under its path in the object store FILE_DATA.
STORED_VERSION = """async ([database, path]) => await new Promise((resolve, reject) => {
  const opening = indexedDB.open(database);
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    const read = db.transaction('FILE_DATA', 'readonly').objectStore('FILE_DATA').get(path);
    read.onerror = () => reject(read.error);
    read.onsuccess = () => {
      db.close();
      const file = read.result;
      resolve(file ? [file.timestamp.getTime(), file.contents.length] : null);
    };
  };
})"""

PLAIN_PUT = """async (size) => {
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open('bench-plain-put', 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore('files');
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const bytes = new Uint8Array(size).fill(97);
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('files', 'readwrite');
    tx.objectStore('files').put({timestamp: new Date(), contents: bytes}, 'store');
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return (performance.now() - start) / 1000;
}"""


def stored_version(page) -> list[int] | None:  # noqa: ANN001 - playwright Page
    return page.evaluate(STORED_VERSION, [BROWSER_MOUNT, STORE_PATH])


def tap_until_stored(page, box) -> float:  # noqa: ANN001
    before = stored_version(page)
    start = time.perf_counter()
    box.click()
    while stored_version(page) == before:
        if time.perf_counter() - start > 30:
            raise TimeoutError("the tick never reached IndexedDB")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taps", type=int, default=12)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    build = build_site(PROJECT_ROOT / "build" / "bench-offline-tap", brotli_quality=5)
    with serving(build.out_dir) as url, sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, timezone_id=TIMEZONE, viewport={"width": 390, "height": 844}
        )
        try:
            page = context.pages[0]
            open_app(page, url, "Start my recovery plan")
            onboard(page)
            wait_for_text(page, "Day 2 of recovery", 60_000)
            tab(page, "Checklist")
            boxes = page.get_by_role("checkbox")
            taps = [tap_until_stored(page, boxes.nth(i % 2)) for i in range(args.taps)]  # tick, untick, ...
            size = stored_version(page)[1]
            plain = [page.evaluate(PLAIN_PUT, size) for _ in range(args.taps)]
        finally:
            context.close()
    tap, put = statistics.median(taps), statistics.median(plain)
    print(f"taps: {args.taps}; headless Chromium, phone viewport; store file {size} bytes")
    print(f"tap to tick in IndexedDB   median {tap * 1000:7.1f} ms   p90 {sorted(taps)[int(0.9 * (len(taps) - 1))] * 1000:7.1f} ms")
    print(f"plain IndexedDB put        median {put * 1000:7.1f} ms (same bytes, same page)")
    print(f"ratio                      {tap / put:.1f}x")


if __name__ == "__main__":
    main()
