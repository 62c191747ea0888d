"""Who reaches the served app: Host on every request, Origin on every websocket, an access key beyond loopback.

The guard's logic on hand-made ASGI messages: an app behind it records whether it was reached."""

from __future__ import annotations

import asyncio
import re

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
