"""The served app in headless Chromium: one server per test session on a free port with its own data
folder, one browser, and helpers to reach controls through Flutter's accessibility tree."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
TIMEZONE = "Europe/Paris"
SCREENS = ROOT / "test-artifacts" / "screens"
APP_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port}")


@dataclass
class Server:
    url: str
    data_dir: Path
    proc: subprocess.Popen


def start_server(script: Path | str, data_dir: Path, *extra: str) -> Server:
    port = free_port()
    env = {**os.environ, "AFTERCARE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--no-browser", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, proc)
    return Server(f"http://127.0.0.1:{port}/", data_dir, proc)


def stop_server(server: Server) -> None:
    # communicate() reads what is left and closes the pipe: an open one fails the run (warnings are errors).
    server.proc.terminate()
    try:
        server.proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.communicate()


@pytest.fixture(scope="package")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(ROOT / "main.py", tmp_path_factory.mktemp("aftercare-data"))
    yield server
    stop_server(server)


# Package scope, not session: a live sync Playwright makes this thread look like it runs an event
# loop, which breaks asyncio.run() in later test packages and a second Playwright (tests/pwa).
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Tab:
    """One browser page on the app, recording every request it makes."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def _foreign(self, urls: list[str]) -> list[str]:
        return [u for u in urls if not (u.startswith((self.origin, "data:", "blob:")))]

    @property
    def off_origin(self) -> list[str]:
        """Every request to another origin the page attempted (the policy blocks them)."""
        return self._foreign(self.requests)

    @property
    def reached_network_off_origin(self) -> list[str]:
        """Requests to another origin that got a response or failed for any reason but the policy."""
        blocked = {u for u, why in self.failures.items() if why == "csp" or "BLOCKED_BY_CSP" in why}
        return [u for u in self._foreign(self.responses) + self._foreign(list(self.failures)) if u not in blocked]


def phone_tab(browser: object, server: Server) -> Iterator[Tab]:
    """A phone-sized browser context on ``server`` that records every request, response and failure."""
    context = browser.new_context(viewport=PHONE, timezone_id=TIMEZONE, locale="en-GB")
    page = context.new_page()
    tab = Tab(page, server.url.rstrip("/"))
    page.on("request", lambda r: tab.requests.append(r.url))
    page.on("response", lambda r: tab.responses.append(r.url))
    page.on("requestfailed", lambda r: tab.failures.__setitem__(r.url, r.failure or ""))
    yield tab
    context.close()


@pytest.fixture
def phone(browser: object, served_app: Server) -> Iterator[Tab]:
    yield from phone_tab(browser, served_app)


# --------------------------------------------------------------------------- accessibility-tree helpers


def open_app(page: object, url: str) -> None:
    """Load the app and switch on Flutter's accessibility tree (off until a screen reader asks)."""
    page.goto(url)
    enable_semantics(page)


def enable_semantics(page: object) -> None:
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=APP_TIMEOUT_MS)
    placeholder.dispatch_event("click")
    page.locator("[flt-semantics-identifier^='screen-']").first.wait_for(state="attached", timeout=APP_TIMEOUT_MS)


def by_id(page: object, identifier: str) -> object:
    return page.locator(f"[flt-semantics-identifier='{identifier}']")


def wait_screen(page: object, name: str) -> None:
    by_id(page, f"screen-{name}").wait_for(state="attached", timeout=APP_TIMEOUT_MS)


def fill(page: object, label: str, text: str, at: dict[str, float] | None = None) -> None:
    """Type into the text field announced as ``label`` (Flutter makes a real input once focused), tapping it
    at ``at`` (a point within its box) rather than its middle when given."""
    field = page.get_by_role("textbox", name=label)
    check = (
        "([label, text]) => [...document.querySelectorAll('input,textarea')]"
        ".some(el => el.getAttribute('aria-label') === label && el.value === text)"
    )
    for attempt in range(3):  # a field scrolled into view while the click lands may miss the first time
        field.scroll_into_view_if_needed()
        field.click(position=at)
        field.fill(text)
        try:
            wait_until(page, check, [label, text], timeout=3)
            return
        except Exception:
            if attempt == 2:
                raise


def wait_until(page: object, predicate: str, arg: object = None, timeout: float = 30) -> None:
    """Poll a JavaScript predicate from Python until it holds.

    Playwright's own ``wait_for_function`` polls through ``eval`` inside the page, which the static build's
    Content-Security-Policy (no 'unsafe-eval') forbids; ``evaluate`` goes through the debugger protocol.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {predicate}")
        time.sleep(0.1)


def tab(page: object, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_screen(page, {"Follow-up": "follow-up"}.get(name, name.lower()))


def screenshot(page: object, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def text_of(page: object) -> str:
    return page.locator("flt-semantics-host").inner_text()


def _on_screen(node: object) -> bool:
    """Built and showing its top part between the app bar and the navigation bar."""
    try:
        box = node.first.bounding_box(timeout=1000)
    except Exception:  # replaced while the list scrolled: look again
        return False
    return bool(box) and box["y"] >= 56 and box["y"] + min(box["height"], 48) <= PHONE["height"] - 84


def _scroll_until(page: object, node: object, what: str, max_scrolls: int) -> object:
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    for _ in range(max_scrolls):
        if node.count() and _on_screen(node):
            page.wait_for_timeout(300)  # let the scroll settle before anything clicks by position
            return node.first
        page.mouse.wheel(0, 250 if node.count() else 500)
        page.wait_for_timeout(150)
    raise AssertionError(f"no {what} on the screen")


def reveal(page: object, identifier: str, max_scrolls: int = 40) -> object:
    """The node ``identifier``, scrolling the screen down until Flutter has built and shown it (lists are lazy)."""
    return _scroll_until(page, by_id(page, identifier), repr(identifier), max_scrolls)


def press_until(page: object, button: str, outcome: object, tries: int = 3) -> None:
    """Press the button announced as ``button`` until ``outcome`` shows: a locator that gets attached, or a
    text a screen reader can announce.

    A press that lands while Flutter is still settling a scrolled form can miss; it is pressed again only
    while the button is still there, so a slow but successful press is never repeated on the next screen.
    """
    from playwright.sync_api import Error as PlaywrightError

    node = page.get_by_role("button", name=button)

    def wait(timeout_ms: int) -> None:
        if isinstance(outcome, str):
            wait_text(page, outcome, timeout=timeout_ms / 1000)
        else:
            outcome.first.wait_for(state="attached", timeout=timeout_ms)

    for attempt in range(tries):
        _scroll_until(page, node, repr(button), 40).click()
        try:
            wait(APP_TIMEOUT_MS // tries)
            return
        except (AssertionError, PlaywrightError):  # what wait_text and Playwright's wait_for raise
            if attempt == tries - 1 or not node.count():
                break
    wait(APP_TIMEOUT_MS)


def scroll_top(page: object) -> None:
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    page.mouse.wheel(0, -100_000)
    page.wait_for_timeout(200)


def spoken(node: object) -> str:
    """What a screen reader can announce inside ``node``: its text and every label in it."""
    return node.evaluate(
        "el => [el.innerText, el.getAttribute('aria-label') || '',"
        " ...[...el.querySelectorAll('[aria-label]')].map(n => n.getAttribute('aria-label'))].join('\\n')"
    )


def onboard(page: object, hours_ago: float = 26, phone_number: str = "+33 1 23 45 67 89") -> None:
    """From the welcome form to Today, for a treatment ``hours_ago`` hours ago (no-op if already onboarded)."""
    page.locator("[flt-semantics-identifier='screen-welcome'], [flt-semantics-identifier='screen-today']").first.wait_for(
        state="attached", timeout=APP_TIMEOUT_MS
    )
    if by_id(page, "screen-today").count():
        return
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    treated = datetime.now(ZoneInfo(TIMEZONE)) - timedelta(hours=hours_ago)
    fill(page, "Treatment date", treated.strftime("%Y-%m-%d"))
    fill(page, "Treatment time", treated.strftime("%H:%M"))
    fill(page, "Clinic name", "Clinique Lumière")
    fill(page, "Clinic phone", phone_number)
    press_until(page, "Start my recovery plan", by_id(page, "screen-today"))


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Server]:
    """A server of its own with an empty data folder, for tests that erase or reshape data."""
    server = start_server(ROOT / "main.py", tmp_path / "data")
    yield server
    stop_server(server)


@pytest.fixture
def fresh_phone(browser: object, fresh_app: Server) -> Iterator[Tab]:
    yield from phone_tab(browser, fresh_app)


def reveal_role(page: object, role: str, name: str, max_scrolls: int = 40, **kwargs: object) -> object:
    """The first ``role`` control named ``name``, scrolling down until it is on the screen."""
    return _scroll_until(page, page.get_by_role(role, name=name, **kwargs), f"{role} {name!r}", max_scrolls)


def download(page: object, button: str, folder: Path) -> Path:
    """Press the export button ``button`` (scrolled into view) and keep the file it saves in ``folder``."""
    with page.expect_download() as pending:
        reveal_role(page, "button", button).click()
    path = folder / pending.value.suggested_filename
    pending.value.save_as(path)
    return path


def wait_text(page: object, text: str, timeout: float = 30) -> None:
    """Wait until ``text`` is announced somewhere on the screen: in a node's text or in its label."""
    deadline = time.monotonic() + timeout
    host = page.locator("flt-semantics-host")
    while text not in spoken(host):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared")
        page.wait_for_timeout(100)
