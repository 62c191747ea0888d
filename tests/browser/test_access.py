"""Pages of other origins in a real browser cannot reach the served app; with an access key, a phone can.

The browser maps the name ``evil.test`` to 127.0.0.1, as a DNS rebinding attacker's name would be: a page of
``http://evil.test:PORT`` is another site, and ``http://evil.test:APP_PORT`` reaches the app's socket with a foreign
``Host``. The app's data folder holds a treatment of 26 hours ago, so Today says "Day 2 of recovery"."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    Server,
    enable_semantics,
    free_port,
    phone_tab,
    screenshot,
    stop_server,
    text_of,
    wait_for_port,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser

EVIL = "evil.test"

# Run inside a page of another origin: open the app's websocket, send Flet's register message, read whatever
# comes back; and fetch the app's page. Resolves with what the page could learn.
ATTACK = """
async ([wsUrl, pageUrl, register]) => {
  const seen = {opened: false, bytes: 0, text: '', closeCode: null, error: false, fetched: null, fetchError: null};
  await new Promise((resolve) => {
    const ws = new WebSocket(wsUrl);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { seen.opened = true; ws.send(new Uint8Array(register)); };
    ws.onmessage = (e) => {
      const bytes = new Uint8Array(e.data);
      seen.bytes += bytes.length;
      seen.text += new TextDecoder().decode(bytes);
      if (seen.text.includes('of recovery')) ws.close();
    };
    ws.onerror = () => { seen.error = true; };
    ws.onclose = (e) => { seen.closeCode = e.code; resolve(); };
    setTimeout(() => { try { ws.close(); } catch (e) {} resolve(); }, 20000);
  });
  try {
    const response = await fetch(pageUrl, {credentials: 'include'});
    seen.fetched = await response.text();
    seen.fetchStatus = response.status;
  } catch (e) {
    seen.fetchError = String(e);
  }
  return seen;
}
"""


def register_message() -> list[int]:
    from tests.ui.test_access import register_message as message

    return list(message())


ATTACKER_HTML = "<!doctype html><title>Some other site</title><p>Some other site</p>"


class _AttackerPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ATTACKER_HTML.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def attacker_on(address: str) -> Iterator[int]:
    """A page of some other site served on ``address``, on a port of its own."""
    server = ThreadingHTTPServer((address, 0), _AttackerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def attacker() -> Iterator[str]:
    """Another site, on another port: ``http://evil.test:PORT/``."""
    with attacker_on("127.0.0.1") as port:
        yield f"http://{EVIL}:{port}/"


# Chromium's own Private/Local Network Access checks stop some requests of a public page to a loopback address
# before they leave the browser; Firefox and Safari have no such check, and older Chromiums only a partial one.
# They are switched off so that what these tests see is the app's own answer.
WITHOUT_LOCAL_NETWORK_CHECKS = (
    "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,"
    "PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks"
)


@pytest.fixture(scope="module")
def rebinding_browser(browser: object) -> Iterator[object]:
    """A Chromium for which ``evil.test`` is 127.0.0.1 (launched by the package's Playwright: one per thread)."""
    b = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {EVIL} 127.0.0.1", WITHOUT_LOCAL_NETWORK_CHECKS],
    )
    yield b
    b.close()


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("access-diary")
    treated = (datetime.now(UTC) - timedelta(hours=26)).isoformat(timespec="seconds")
    subprocess.run([sys.executable, "-m", "aftercare_app", "session", "add", "--data-dir", str(folder),
                    "--treated", treated], cwd=ROOT, check=True, capture_output=True)
    return folder


def start(data_dir: Path, *extra: str) -> tuple[Server, str]:
    """``main.py`` on a free port, and the URL it printed (with the key when it asks one)."""
    port = free_port()
    env = {**os.environ, "AFTERCARE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--port", str(port), "--no-browser", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    printed = ""
    for line in proc.stdout:
        if "is running at" in line:
            printed = line.split("is running at ", 1)[1].split()[0]
            break
    proc.stdout.close()
    wait_for_port(port, proc)
    return Server(re.sub(r"\?.*", "", printed), data_dir, proc), printed


@pytest.fixture(scope="module")
def loopback_app(diary: Path) -> Iterator[Server]:
    server, _ = start(diary)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def network_app(diary: Path) -> Iterator[tuple[Server, str]]:
    server, printed = start(diary, "--host", "0.0.0.0")
    yield server, printed
    stop_server(server)


def attack_from(page: object, app_url: str) -> dict:
    ws_url = re.sub(r"^http", "ws", app_url.rstrip("/")) + "/ws"
    return page.evaluate(ATTACK, [ws_url, app_url, register_message()])


def assert_learnt_nothing(seen: dict, *, same_origin: bool = False) -> None:
    """The websocket never opened and no byte of the app came back; the fetch failed (no other origin may read
    an answer), or, for a rebound name (same origin to the browser), read the refusal only."""
    assert not seen["opened"] and seen["bytes"] == 0 and seen["text"] == "", seen
    assert seen["closeCode"] == 1006 and seen["error"], seen  # the handshake was refused
    if same_origin:
        assert (seen["fetchStatus"], seen["fetched"]) == (403, "Forbidden\n"), seen
    else:
        assert seen["fetched"] is None and "Failed to fetch" in seen["fetchError"], seen


def test_a_page_of_another_origin_cannot_read_or_drive_the_app(rebinding_browser, loopback_app, attacker):
    app = loopback_app.url
    port = int(app.rsplit(":", 1)[1].strip("/"))
    context = rebinding_browser.new_context()
    try:
        page = context.new_page()

        # The app's own page opens its websocket and gets the patient's screen: what an attack would be after.
        page.goto(app)
        own = attack_from(page, app)
        assert own["opened"] and "Day 2 of recovery" in own["text"] and "flutter" in own["fetched"], own

        # Another site, and other ports of this device: nothing of the app.
        for origin in (attacker, attacker.replace(EVIL, "127.0.0.1"), attacker.replace(EVIL, "localhost")):
            page.goto(origin)
            assert_learnt_nothing(attack_from(page, app))

        # A rebound name on the app's own port: the browser asks for the app's page under that name...
        rebound = f"http://{EVIL}:{port}/"
        response = page.goto(rebound)
        assert response.status == 403 and page.content().count("Forbidden") == 1
        assert "flutter" not in page.content().lower()
        # ...and the attacker's page, loaded from that name before it was rebound to 127.0.0.1, is of the same
        # origin as the app to the browser: its fetch and websocket reach the app with the foreign Host.
        page.route(rebound, lambda route: route.fulfill(body=ATTACKER_HTML, content_type="text/html")
                   if route.request.resource_type == "document" else route.continue_())
        page.goto(rebound)
        assert "Some other site" in page.content()
        assert_learnt_nothing(attack_from(page, rebound), same_origin=True)
        page.unroute(rebound)
    finally:
        context.close()


def test_beyond_loopback_a_phone_opens_the_app_with_the_printed_key_and_nothing_without_it(
    rebinding_browser, network_app, attacker, tmp_path
):
    server, printed = network_app
    assert re.fullmatch(r"http://[0-9.]+:\d+/\?key=[A-Za-z0-9_-]{43}", printed), printed
    key = printed.split("key=", 1)[1]
    base = server.url  # the printed URL without its key

    # Without the key: 403 and nothing of the app, for the page and for its files.
    stranger = rebinding_browser.new_context()
    try:
        page = stranger.new_page()
        for path in ("", "flutter_bootstrap.js", "main.dart.js", f"?key={key[:-2]}"):
            response = page.goto(base + path)
            assert response.status == 403 and "Forbidden" in page.content(), path
        # Even a page of the app's own origin (say, one it had kept) opens no websocket without the cookie.
        page.route(base, lambda route: route.fulfill(body=ATTACKER_HTML, content_type="text/html")
                   if route.request.resource_type == "document" else route.continue_())
        page.goto(base)
        assert_learnt_nothing(attack_from(page, base), same_origin=True)
    finally:
        stranger.close()

    # The patient's phone: the printed URL opens the app, and the key leaves the address bar and the history.
    tab_iter = phone_tab(rebinding_browser, server)
    tab = next(tab_iter)
    try:
        page = tab.page
        statuses: list[tuple[str, int]] = []
        page.on("response", lambda r: statuses.append((r.url, r.status)))
        page.goto(printed)
        enable_semantics(page)
        wait_screen(page, "today")
        wait_text(page, "Day 2 of recovery")
        screenshot(page, "access-key-phone-today")
        assert page.evaluate("() => location.href") == base
        assert [u for u, _ in statuses if key in u] == [printed] and statuses[:2] == [(printed, 200), (base, 200)]
        assert [(u, s) for u, s in statuses if s >= 400] == [], "the app's own requests all got through"
        assert page.evaluate("() => document.cookie") == ""  # HttpOnly: no script of the page can read it
        cookies = tab.page.context.cookies()
        assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict", cookies
        assert key not in cookies[0]["value"]
        history = page.context.new_cdp_session(page).send("Page.getNavigationHistory")["entries"]
        assert history and not [e["url"] for e in history if key in e["url"]], history

        # A reload keeps working with the cookie alone; the app's screens still run.
        page.reload()
        enable_semantics(page)
        wait_screen(page, "today")
        assert "Day 2 of recovery" in text_of(page)

        # A page of another site in the same browser, which holds the cookie: its websocket is refused
        # (no SameSite=Strict cookie goes with it, and its Origin is not the app's).
        other = page.context.new_page()
        other.goto(attacker)
        assert_learnt_nothing(attack_from(other, base))
        # A page on another port of the app's own address is sent the cookie (cookies ignore ports): its Origin
        # still gives it away.
        address = base.split("//", 1)[1].rsplit(":", 1)[0]
        with attacker_on(address) as port:
            other.goto(f"http://{address}:{port}/")
            assert_learnt_nothing(attack_from(other, base))
    finally:
        next(tab_iter, None)

    # The patient taps the printed URL in a page of another site (a web mail, a chat): it opens the app too, and
    # the page that linked to it learns nothing (no Referer, and the key leaves the history).
    context = rebinding_browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        referers: list[str] = []
        page.on("request", lambda r: referers.append(r.headers.get("referer", "")) if r.url.startswith(base) else None)
        page.route(attacker, lambda route: route.fulfill(
            body=f'<!doctype html><a id=open href="{printed}">my recovery app</a>', content_type="text/html"))
        page.goto(attacker)
        page.click("#open")
        enable_semantics(page)
        wait_screen(page, "today")
        assert page.evaluate("() => location.href") == base
        history = page.context.new_cdp_session(page).send("Page.getNavigationHistory")["entries"]
        assert [e["url"] for e in history][-2:] == [attacker, base], history
        assert referers and set(referers[1:]) == {""}, referers  # the first carries the other site's own URL
    finally:
        context.close()
