"""Who reaches the served app: Host on every request, Origin on every websocket, an access key beyond loopback.

Three layers: the guard's logic on hand-made ASGI messages (an app behind it records whether it was reached), the
real ASGI app in process, and raw clients against ``python3 main.py`` (a foreign Host, Flet's own register message
over a websocket from another origin, a missing or wrong key, the right key and then its cookie)."""

from __future__ import annotations

import asyncio
import io
import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aftercare_app.ui import access
from aftercare_app.ui.access import (
    AccessGuard,
    app_urls,
    cookie_name,
    is_loopback,
    is_wildcard,
    needs_key,
    new_access_key,
    parse_host,
)

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 20 + "-_secretSECRET123"
APP_BODY = b"<the app>"


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:8550", ("127.0.0.1", 8550)),
        ("LocalHost:8550", ("localhost", 8550)),
        ("[::1]:8550", ("::1", 8550)),
        ("[0:0::1]:8550", ("::1", 8550)),
        ("127.0.0.1", ("127.0.0.1", 80)),
        ("192.168.1.5:1", ("192.168.1.5", 1)),
        ("", None),
        (":8550", None),
        ("127.0.0.1:", None),
        ("127.0.0.1:85x0", None),
        ("127.0.0.1:99999", None),
        ("127.0.0.1:0", None),
        ("::1:8550", None),  # an IPv6 address must be in brackets
        ("[::1", None),
        ("[localhost]:8550", None),
        ("[127.0.0.1]:8550", None),
        ("evil.example/x:8550", None),
        ("127.0.0.1:8550 ", ("127.0.0.1", 8550)),
        ("127.0.0.1 :8550", None),
        ("127.0.0.1:８５５０", None),  # full-width digits are digits to str.isdigit
        ("évil.example:8550", None),
    ],
)
def test_a_host_header_is_read_strictly(value, expected):
    assert parse_host(value) == expected


def test_which_binds_stay_on_this_device():
    for host in ("127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.2"):
        assert is_loopback(host) and not needs_key(host), host
    for host in ("0.0.0.0", "::", "192.168.1.5", "10.0.0.2", "fe80::1", "my-laptop.local"):
        assert needs_key(host), host
    assert is_wildcard("0.0.0.0") and is_wildcard("::") and not is_wildcard("192.168.1.5")


def test_an_access_key_is_a_long_random_secret():
    keys = {new_access_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(len(k) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", k) for k in keys)


def test_the_url_to_open():
    assert app_urls("127.0.0.1", 8550) == ["http://127.0.0.1:8550/"]
    assert app_urls("localhost", 8550) == ["http://localhost:8550/"]
    assert app_urls("::1", 8550) == ["http://[::1]:8550/"]
    assert app_urls("192.168.1.5", 8000, "a/b+c=") == ["http://192.168.1.5:8000/?key=a%2Fb%2Bc%3D"]
    assert app_urls("0.0.0.0", 8550, KEY, addresses=["192.168.1.5", "fd00::5"]) == [
        f"http://192.168.1.5:8550/?key={KEY}", f"http://[fd00::5]:8550/?key={KEY}"
    ]
    found = app_urls("0.0.0.0", 8550, KEY)  # this machine's address on the route out
    assert found and all(u.startswith("http://") and u.endswith(f":8550/?key={KEY}") for u in found)


def test_beyond_loopback_the_guard_will_not_run_without_a_key():
    for host in ("0.0.0.0", "::", "192.168.1.5"):
        with pytest.raises(ValueError, match="access key"):
            AccessGuard(None, bind=host, port=8550)
    with pytest.raises(ValueError, match="long random"):
        AccessGuard(None, bind="0.0.0.0", port=8550, key="short")


# --------------------------------------------------------------------------- the guard on ASGI messages


class Reached:
    """An ASGI app that answers every request as Flet's does (with ``Access-Control-Allow-Origin: *``) and notes
    each one that reached it."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    async def __call__(self, scope, receive, send):
        self.calls.append(scope)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/html"), (b"access-control-allow-origin", b"*")]})
            await send({"type": "http.response.body", "body": APP_BODY})
        else:
            assert (await receive())["type"] == "websocket.connect"
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.send", "bytes": APP_BODY})
            await send({"type": "websocket.close", "code": 1000})


def call(guard: AccessGuard, kind: str = "http", path: str = "/", headers: dict | list | None = None,
         query: str = "", raw_path: bytes | None = None) -> dict:
    """What ``guard`` answers one request: its status, headers and every byte of body or websocket data."""
    if headers is None:
        headers = {"host": "127.0.0.1:8550"}
    items = list(headers.items()) if isinstance(headers, dict) else headers
    scope = {
        "type": kind, "scheme": "http" if kind == "http" else "ws", "method": "GET", "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode(), "query_string": query.encode(),
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in items],
        "extensions": {"websocket.http.response": {}} if kind == "websocket" else {},
    }
    sent: list[dict] = []
    incoming = [{"type": "http.request", "body": b""}] if kind == "http" else [{"type": "websocket.connect"}]

    async def receive():
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    answer = {"sent": sent, "status": None, "headers": {}, "data": b""}
    for message in sent:
        if message["type"] in ("http.response.start", "websocket.http.response.start"):
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "websocket.accept":
            answer["status"] = 101
        elif message["type"] == "websocket.close" and answer["status"] is None:
            answer["status"] = 403  # what the server answers a websocket closed before it was accepted
        answer["data"] += message.get("body", b"") or message.get("bytes", b"") or b""
    return answer


def refused(answer: dict) -> bool:
    """403 and nothing of the app: no accepted websocket, no byte the app sent."""
    return (answer["status"] == 403 and APP_BODY not in answer["data"]
            and not any(m["type"] in ("websocket.accept", "websocket.send") for m in answer["sent"]))


@pytest.fixture
def loopback():
    app = Reached()
    return app, AccessGuard(app, port=8550)


@pytest.mark.parametrize("host", ["127.0.0.1:8550", "localhost:8550", "[::1]:8550", "LOCALHOST:8550"])
def test_the_apps_own_addresses_are_answered(loopback, host):
    app, guard = loopback
    answer = call(guard, headers={"host": host})
    assert answer["status"] == 200 and answer["data"] == APP_BODY and len(app.calls) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"host": "evil.example:8550"},  # a rebound DNS name
        {"host": "evil.example"},
        {"host": "127.0.0.1.evil.example:8550"},
        {"host": "localhost.:8550"},
        {"host": "127.0.0.1:8551"},  # another port
        {"host": "127.0.0.1"},
        {"host": "192.168.1.5:8550"},  # not bound there
        {"host": "0.0.0.0:8550"},
        {},
        [("host", "127.0.0.1:8550"), ("host", "evil.example:8550")],
        {"host": "127.0.0.1:8550\r\nx: y"},
    ],
)
@pytest.mark.parametrize("path", ["/", "/flutter_bootstrap.js", "/assets/fonts/notosans/v1/a.woff2", "/ws"])
def test_a_foreign_host_gets_403_and_nothing_of_the_app(loopback, headers, path):
    app, guard = loopback
    for kind in ("http", "websocket"):
        h = dict(headers) if isinstance(headers, dict) else list(headers)
        if kind == "websocket" and isinstance(h, dict):
            h["origin"] = f"http://{h.get('host', '')}"  # even "its own" origin under that name
        answer = call(guard, kind, path, h)
        assert refused(answer), (kind, headers, answer)
    assert app.calls == []


def test_refusals_are_plain_and_uncacheable(loopback):
    _, guard = loopback
    answer = call(guard, headers={"host": "evil.example:8550"})
    assert answer["data"] == b"Forbidden\n"
    assert answer["headers"]["content-type"].startswith("text/plain")
    assert answer["headers"]["cache-control"] == "no-store"
    assert answer["headers"]["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in answer["headers"]


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://evil.example:8550",
        "http://127.0.0.1:9999",  # a page of another local server
        "http://localhost:8550",  # another name of this device: another origin
        "https://127.0.0.1:8550",
        "null",  # sandboxed frames, file: pages
        "",
        "http://127.0.0.1:8550/",
        "http://127.0.0.1:8550.evil.example",
        "http://user@127.0.0.1:8550",
        None,  # no Origin at all
    ],
)
def test_a_websocket_from_another_origin_is_refused_before_it_opens(loopback, origin):
    app, guard = loopback
    headers = {"host": "127.0.0.1:8550"}
    if origin is not None:
        headers["origin"] = origin
    answer = call(guard, "websocket", "/ws", headers)
    assert refused(answer) and app.calls == []


def test_two_origins_on_one_websocket_are_refused(loopback):
    app, guard = loopback
    headers = [("host", "127.0.0.1:8550"), ("origin", "http://127.0.0.1:8550"), ("origin", "http://evil.example")]
    assert refused(call(guard, "websocket", "/ws", headers)) and app.calls == []


@pytest.mark.parametrize("host", ["127.0.0.1:8550", "localhost:8550", "[::1]:8550"])
def test_the_apps_own_page_opens_its_websocket(loopback, host):
    app, guard = loopback
    answer = call(guard, "websocket", "/ws", {"host": host, "origin": f"http://{host}"})
    assert answer["status"] == 101 and answer["data"] == APP_BODY and len(app.calls) == 1


def test_an_http_request_saying_it_comes_from_another_origin_is_refused(loopback):
    app, guard = loopback
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999"):
        answer = call(guard, headers={"host": "127.0.0.1:8550", "origin": origin})
        assert refused(answer), origin
    assert app.calls == []
    own = call(guard, headers={"host": "127.0.0.1:8550", "origin": "http://127.0.0.1:8550"})
    assert own["status"] == 200


def test_no_answer_lets_another_origin_read_it(loopback):
    _, guard = loopback
    answer = call(guard)
    assert answer["status"] == 200 and "access-control-allow-origin" not in answer["headers"]


def test_without_a_known_port_a_loopback_name_on_any_port_is_this_device():
    guard = AccessGuard(Reached())
    assert call(guard, headers={"host": "127.0.0.1:43121"})["status"] == 200
    assert refused(call(guard, headers={"host": "evil.example:43121"}))
    ws = {"host": "127.0.0.1:43121", "origin": "http://127.0.0.1:9999"}
    assert refused(call(guard, "websocket", "/ws", ws))


def test_bound_to_a_name_that_name_is_answered_too():
    guard = AccessGuard(Reached(), bind="my-laptop.local", port=8550, key=KEY)
    cookie = f"{cookie_name(8550)}={access._cookie_token(KEY)}"
    assert call(guard, headers={"host": "My-Laptop.local:8550", "cookie": cookie})["status"] == 200
    assert refused(call(guard, headers={"host": "evil.example:8550", "cookie": cookie}))


# --------------------------------------------------------------------------- the access key


@pytest.fixture
def network():
    app = Reached()
    return app, AccessGuard(app, bind="0.0.0.0", port=8550, key=KEY)


LAN = "192.168.1.5:8550"


def with_cookie(value: str, *, host: str = LAN, origin: str | None = None, name: str | None = None) -> dict:
    headers = {"host": host, "cookie": f"theme=dark; {name or cookie_name(8550)}={value}"}
    if origin:
        headers["origin"] = origin
    return headers


@pytest.mark.parametrize("host", [LAN, "127.0.0.1:8550", "localhost:8550", "10.0.0.7:8550", "[fd00::5]:8550"])
@pytest.mark.parametrize("path", ["/", "/index.html", "/flutter_bootstrap.js", "/main.dart.js", "/manifest.json"])
def test_beyond_loopback_nothing_is_served_without_the_key(network, host, path):
    app, guard = network
    assert refused(call(guard, path=path, headers={"host": host}))
    assert refused(call(guard, "websocket", "/ws", {"host": host, "origin": f"http://{host}"}))
    assert app.calls == []


def test_beyond_loopback_a_foreign_host_is_refused_even_with_the_key(network):
    app, guard = network
    assert refused(call(guard, headers={"host": "evil.example:8550"}, query=f"key={KEY}"))
    token = access._cookie_token(KEY)
    assert refused(call(guard, headers=with_cookie(token, host="evil.example:8550")))
    assert app.calls == []


@pytest.mark.parametrize(
    "query",
    ["key=", "key=wrong", f"key={KEY[:-1]}", f"key={KEY}x", f"key={KEY.upper()}", f"key={KEY}&key={KEY}",
     f"key=%00{KEY}", "key=%C3%A9t%C3%A9", "KEY=" + KEY],
)
def test_a_wrong_key_gets_403_and_no_cookie(network, query):
    app, guard = network
    answer = call(guard, headers={"host": LAN}, query=query)
    assert refused(answer) and "set-cookie" not in answer["headers"] and app.calls == []


def test_the_right_key_is_exchanged_for_a_strict_cookie_and_a_url_without_it(network):
    # A page of the app's own origin sends the browser on (an HTTP redirect would lose the SameSite=Strict cookie
    # when another site's link started the navigation: tests/browser/test_access.py).
    app, guard = network
    answer = call(guard, path="/diary", headers={"host": LAN}, query=f"key={KEY}&day=3")
    assert answer["status"] == 200 and app.calls == []  # nothing of the app yet: the browser comes back
    assert sent_on_to(answer) == "/diary?day=3" and "location" not in answer["headers"]
    assert KEY.encode() not in answer["data"] and b"<script" not in answer["data"]
    assert answer["headers"]["content-type"] == "text/html; charset=utf-8"
    assert answer["headers"]["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    cookie = answer["headers"]["set-cookie"]
    name, value = cookie.split(";")[0].split("=", 1)
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert name == cookie_name(8550) and value != KEY and KEY not in cookie
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    assert not any(a.startswith(("domain", "max-age", "expires")) for a in attributes)
    assert answer["headers"]["cache-control"] == "no-store" and answer["headers"]["referrer-policy"] == "no-referrer"

    # The cookie then opens the page, its files and its websocket, from the app's own origin only.
    page = call(guard, headers=with_cookie(value))
    assert page["status"] == 200 and page["data"] == APP_BODY
    ws = call(guard, "websocket", "/ws", with_cookie(value, origin=f"http://{LAN}"))
    assert ws["status"] == 101 and ws["data"] == APP_BODY
    assert refused(call(guard, "websocket", "/ws", with_cookie(value, origin="http://evil.example")))
    assert len(app.calls) == 2


def sent_on_to(answer: dict) -> str:
    """Where the key exchange page sends the browser (its refresh and its link agree)."""
    import html

    page = answer["data"].decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]*)">', page).group(1)
    link = re.search(r'<a href="([^"]*)">', page).group(1)
    assert refresh == link, page
    return html.unescape(refresh)


def test_the_redirect_never_leaves_the_server(network):
    _, guard = network
    for raw in (b"//evil.example/", b"/\\evil.example", b"/%0d%0aSet-Cookie:x=1", b"https://evil.example/"):
        answer = call(guard, path=raw.decode(), raw_path=raw, headers={"host": LAN}, query=f"key={KEY}")
        assert answer["status"] == 200 and sent_on_to(answer) == "/", raw
    # Query values are encoded, so nothing breaks out of the page's attributes.
    answer = call(guard, headers={"host": LAN}, query=f"key={KEY}&q=%22%3E%3Cscript%3Ex%3C/script%3E")
    assert sent_on_to(answer) == "/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E" and b"<script" not in answer["data"]


@pytest.mark.parametrize(
    "cookie",
    [
        ("", None),
        ("wrong", None),
        (KEY, None),  # the key itself is not the cookie
        ("TOKEN", "aftercare_access_8551"),  # another app's cookie on this computer
        ("TOKEN", "aftercare_access"),
        ("TOKEN_", None),
    ],
)
def test_a_missing_or_wrong_cookie_gets_403(network, cookie):
    app, guard = network
    value, name = cookie
    value = value.replace("TOKEN", access._cookie_token(KEY))
    assert refused(call(guard, headers=with_cookie(value, name=name)))
    assert refused(call(guard, "websocket", "/ws", with_cookie(value, name=name, origin=f"http://{LAN}")))
    assert app.calls == []


def test_a_websocket_cannot_use_the_key_instead_of_the_cookie(network):
    app, guard = network
    answer = call(guard, "websocket", "/ws", {"host": LAN, "origin": f"http://{LAN}"}, query=f"key={KEY}")
    assert refused(answer) and app.calls == []


def test_secrets_are_compared_in_constant_time(network, monkeypatch):
    _, guard = network
    compared = []
    real = access.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    call(guard, headers={"host": LAN}, query="key=guess")
    call(guard, headers=with_cookie("guess"))
    assert [a for a, _ in compared] == [b"guess", b"guess"]
    assert [b for _, b in compared] == [KEY.encode(), access._cookie_token(KEY).encode()]


# --------------------------------------------------------------------------- the real ASGI app in process


def _main(page):  # pragma: no cover - the app itself never runs in these tests
    pass


@pytest.fixture(scope="module")
def testclient():
    return pytest.importorskip("starlette.testclient")


def test_the_served_app_answers_its_own_address_only(testclient):
    from aftercare_app.ui.server import build_asgi_app

    with testclient.TestClient(build_asgi_app(_main, port=8550), base_url="http://127.0.0.1:8550") as client:
        page = client.get("/")
        assert page.status_code == 200 and "flet" in page.text
        assert "access-control-allow-origin" not in page.headers
        for host in ("evil.example:8550", "127.0.0.1:8551", "testserver"):
            for path in ("/", "/index.html", "/flutter_bootstrap.js", "/manifest.json", "/main.dart.js"):
                answer = client.get(path, headers={"host": host})
                assert answer.status_code == 403 and answer.content == b"Forbidden\n", (host, path)
        fetched = client.get("/", headers={"origin": "http://evil.example"})
        assert fetched.status_code == 403 and "flet" not in fetched.text


def test_the_served_app_asks_the_key_beyond_loopback(testclient):
    from aftercare_app.ui.server import build_asgi_app

    app = build_asgi_app(_main, host="0.0.0.0", port=8550, access_key=KEY)
    with testclient.TestClient(app, base_url=f"http://{LAN}", follow_redirects=False) as client:
        for path in ("/", "/flutter_bootstrap.js", "/assets/fonts/notosans/v1/a.woff2", "/no-such-page"):
            assert client.get(path).status_code == 403
            assert client.get(path, params={"key": "nope"}).status_code == 403
        exchanged = client.get("/", params={"key": KEY})
        assert exchanged.status_code == 200 and 'http-equiv="refresh" content="0; url=/"' in exchanged.text
        page = client.get("/")  # the client kept the cookie
        assert page.status_code == 200 and "flet" in page.text
        assert "content-security-policy" in page.headers
    with pytest.raises(ValueError):
        build_asgi_app(_main, host="0.0.0.0", port=8550)


# --------------------------------------------------------------------------- the command line


def test_loopback_is_one_command_with_no_key(monkeypatch, capsys):
    from aftercare_app.ui import cli_entry, server

    started = {}
    monkeypatch.setattr(server, "serve", lambda main, **kw: started.update(kw))
    cli_entry.run(["--port", "8550", "--no-browser"])
    out, err = capsys.readouterr()
    assert started["host"] == "127.0.0.1" and started["access_key"] is None
    assert "WARNING" not in err and "\u2580" not in out and "\u2588" not in out


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_beyond_loopback_the_start_warns_and_shows_the_key_as_a_qr_code(monkeypatch, capsys, host):
    segno = pytest.importorskip("segno")
    from aftercare_app.ui import cli_entry, server

    started = {}
    monkeypatch.setattr(server, "serve", lambda main, **kw: started.update(kw))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    cli_entry.run(["--host", host, "--port", "8550", "--no-browser"])
    sys.stdout.seek(0)
    out = sys.stdout.buffer.read().decode("utf-8")
    err = capsys.readouterr().err
    key = started["access_key"]
    assert key and len(key) >= 43 and started["host"] == host
    assert f"WARNING: --host {host} serves this patient's recovery diary" in err and "not encrypted" in err
    url = app_urls(host, 8550, key)[0]
    drawn = io.StringIO()
    segno.make(url, error="m").terminal(out=drawn, compact=True)
    assert drawn.getvalue() and drawn.getvalue() in out


def test_the_qr_code_falls_back_to_colours_on_a_terminal_without_block_characters(monkeypatch):
    pytest.importorskip("segno")
    from aftercare_app.ui import cli_entry

    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    cli_entry._print_qr("http://192.168.1.5:8550/?key=" + KEY)
    stream.seek(0)
    drawn = stream.buffer.read()
    assert drawn and drawn.isascii() and b"\x1b[" in drawn


# --------------------------------------------------------------------------- raw clients against main.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, data_dir: Path, *args: str) -> None:
        self.port = free_port()
        env = {**os.environ, "AFTERCARE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--port", str(self.port), "--no-browser", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.url = ""
        for line in self.proc.stdout:  # the QR code, then the line with the URL
            if "is running at" in line:
                self.url = line.split("is running at ", 1)[1].split()[0]
                break
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, self.proc.stderr.read()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            assert time.monotonic() < deadline, "nothing listened"
            time.sleep(0.1)

    def stop(self) -> str:
        """Stop the server and return what it wrote to stderr (communicate() also closes the pipes)."""
        self.proc.terminate()
        try:
            _, errors = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, errors = self.proc.communicate()
        return errors


def raw_http(port: int, request: str) -> tuple[int, bytes]:
    """Send ``request`` as it is and return the status and everything that came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


def get(port: int, host: str, path: str = "/", extra: str = "") -> tuple[int, bytes]:
    return raw_http(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n")


def register_message() -> bytes:
    """Flet's client's first websocket frame: register a new session for the page at /."""
    import msgpack

    page = {
        "route": "/", "pwa": False, "web": True, "debug": False, "wasm": False, "test": False, "multi_view": False,
        "pyodide": False, "platform_brightness": "light", "width": 390.0, "height": 844.0, "platform": "android",
        "window": {}, "media": {},
    }
    return b"\x00" + msgpack.packb([1, {"session_id": None, "page_name": "", "page": page}])


def talk(port: int, origin: str | None, cookie: str | None = None, host: str | None = None,
         listen: float = 20) -> tuple[int, bytes]:
    """Open ``/ws`` as a raw client would, send the register message, and gather what comes back until the
    patient's screen is there or ``listen`` seconds passed: (101, bytes) when the websocket opened, else the
    status of the refusal and its body."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    headers = {"Cookie": cookie} if cookie else {}
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)  # whatever name the URI gives (its Host)
    try:
        with connect(f"ws://{host or f'127.0.0.1:{port}'}/ws", sock=sock, origin=origin, additional_headers=headers,
                     proxy=None, open_timeout=10) as ws:
            ws.send(register_message())
            got = b""
            deadline = time.monotonic() + listen
            while time.monotonic() < deadline and b"of recovery" not in got:
                try:
                    message = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    break
                got += message if isinstance(message, bytes) else message.encode()
            return 101, got
    except InvalidStatus as refusal:
        return refusal.response.status_code, bytes(refusal.response.body or b"")


@pytest.fixture(scope="module")
def diary(tmp_path_factory) -> Path:
    """A data folder with a treatment 26 hours ago: Today says "Day 2 of recovery"."""
    folder = tmp_path_factory.mktemp("access-data")
    treated = (datetime.now(UTC) - timedelta(hours=26)).isoformat(timespec="seconds")
    subprocess.run([sys.executable, "-m", "aftercare_app", "session", "add", "--data-dir", str(folder),
                    "--treated", treated], cwd=ROOT, check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def loopback_server(diary):
    server = Served(diary)
    yield server
    server.stop()


@pytest.mark.slow
def test_a_raw_websocket_from_another_origin_gets_nothing_of_the_diary(loopback_server):
    port = loopback_server.port
    own = f"http://127.0.0.1:{port}"
    status, data = talk(port, own)  # the app's own page: the attack below would read this
    assert status == 101 and b"Day 2 of recovery" in data
    for origin in ("http://evil.example", f"http://localhost:{port}", "http://127.0.0.1:1", "null", None):
        status, data = talk(port, origin, listen=2)
        assert (status, data) == (403, b""), origin
    status, data = talk(port, f"http://evil.example:{port}", host=f"evil.example:{port}", listen=2)  # rebound
    assert (status, data) == (403, b"")


@pytest.mark.slow
def test_raw_requests_with_a_foreign_host_get_403(loopback_server):
    port = loopback_server.port
    status, page = get(port, f"127.0.0.1:{port}")
    assert status == 200 and b"flutter_bootstrap.js" in page
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.nip.example:{port}", f"127.0.0.1:{port + 1}"):
        for path in ("/", "/flutter_bootstrap.js", "/manifest.json"):
            status, data = get(port, host, path)
            assert status == 403 and data.endswith(b"\r\n\r\nForbidden\n"), (host, path, data[:200])
    status, data = raw_http(port, "GET / HTTP/1.0\r\n\r\n")  # no Host at all
    assert status in (400, 403) and b"flutter" not in data
    status, data = get(port, f"127.0.0.1:{port}", extra="Origin: http://evil.example\r\n")
    assert status == 403 and b"flutter" not in data


@pytest.mark.slow
def test_beyond_loopback_raw_clients_need_the_key_then_its_cookie(diary):
    server = Served(diary, "--host", "0.0.0.0")
    try:
        port = server.port
        key = re.search(r"[?&]key=([A-Za-z0-9_-]+)", server.url).group(1)
        own_host = f"127.0.0.1:{port}"
        for path in ("/", "/index.html", "/flutter_bootstrap.js", "/main.dart.js", "/icons/Icon-192.png",
                     f"/?key={key[:-1]}", "/?key=", f"/?key={key}x"):
            status, data = get(port, own_host, path)
            assert status == 403 and data.endswith(b"\r\n\r\nForbidden\n"), (path, data[:300])
        assert talk(port, f"http://{own_host}", listen=2) == (403, b"")

        status, data = get(port, own_host, f"/?key={key}")
        assert status == 200, data
        head, body = data.decode("latin-1").split("\r\n\r\n", 1)
        assert '<meta http-equiv="refresh" content="0; url=/">' in body and key not in head + body
        cookie, attributes = re.search(r"\r\nset-cookie: ([^;\r]+)(;[^\r]*)", head, re.I).groups()
        assert "HttpOnly" in attributes and "SameSite=Strict" in attributes

        status, page = get(port, own_host, "/", extra=f"Cookie: {cookie}\r\n")
        assert status == 200 and b"flutter_bootstrap.js" in page
        status, data = talk(port, f"http://{own_host}", cookie=cookie)
        assert status == 101 and b"Day 2 of recovery" in data
        assert talk(port, "http://evil.example", cookie=cookie, listen=2) == (403, b"")
        status, _ = get(port, f"evil.example:{port}", "/", extra=f"Cookie: {cookie}\r\n")
        assert status == 403
    finally:
        errors = server.stop()
    assert "WARNING: --host 0.0.0.0" in errors and "Traceback" not in errors
