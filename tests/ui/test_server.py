"""The served page: patched index, strict same-origin policy, fonts answered locally."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from pathlib import Path

import pytest

from aftercare_app.ui.policy import content_security_policy
from aftercare_app.ui.server import (
    TIMEZONE_PREF_KEY,
    _SecurityHeaders,
    build_asgi_app,
    csp_hash,
    fallback_font,
    inline_script_hashes,
    patch_index,
    response_policy,
)

INDEX = '<html>\n<head><meta name="description" content="Flet application."><title>Flet</title><!-- fletAppConfig --></head></html>'


def test_the_index_names_the_app_and_stores_the_browsers_timezone_before_the_client_starts():
    html = patch_index(INDEX, title="Aftercare Companion", description="Recovery")
    assert html.startswith('<html lang="en">') and "<title>Aftercare Companion</title>" in html
    assert f"localStorage.setItem('flutter.{TIMEZONE_PREF_KEY}'" in html and "resolvedOptions().timeZone" in html
    assert html.index("timeZone") < html.index("<!-- fletAppConfig -->")


def test_every_fallback_font_family_gets_a_local_answer():
    for family in ("notosansarabic", "notocoloremoji", "notosanssc", "some-future-family"):
        path = fallback_font(family)
        assert path is not None and path.is_file()
    assert fallback_font("no such family").name == "DejaVuSans.ttf"
    assert (Path(fallback_font("x")).parent / "LICENSE-DejaVu.txt").is_file()


def directive(policy: str, name: str) -> list[str]:
    """The sources of directive ``name`` in ``policy`` (an empty list when it is absent)."""
    for part in policy.split(";"):
        tokens = part.split()
        if tokens and tokens[0] == name:
            return tokens[1:]
    return []


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script, found without the server's own parser."""
    without_comments = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return re.findall(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", without_comments, flags=re.S | re.I)


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_no_inline_or_eval(policy: str) -> None:
    scripts = directive(policy, "script-src")
    assert scripts[:2] == ["'self'", "'wasm-unsafe-eval'"], policy
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, policy
    assert not {"'unsafe-hashes'", "'strict-dynamic'", "blob:", "data:", "*", "https:", "http:"} & set(scripts), policy


@pytest.fixture(scope="module")
def client():
    testclient = pytest.importorskip("starlette.testclient")

    def main(page):  # pragma: no cover - no browser connects here
        pass

    # The app answers only its own address (aftercare_app.ui.access): requests name 127.0.0.1, not "testserver".
    with testclient.TestClient(build_asgi_app(main), base_url="http://127.0.0.1:8550") as c:
        yield c


def test_a_script_hash_is_the_one_browsers_compute():
    # The example of the CSP specification, and the HTML parser's newline normalisation.
    assert csp_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    assert csp_hash("a\r\nb\rc") == csp_hash("a\nb\nc")
    assert csp_hash("é") == sha256_source("é")  # UTF-8


def test_only_inline_scripts_are_hashed_each_once():
    html = (
        "<html><head><script>var a = 1;</script><script src='x.js'></script>"
        "<!-- <script>var hidden = 1;</script> --><script type=\"module\">import './m.js';</script>"
        "<style>p { color: red }</style></head><body><script>var a = 1;</script>"
        "<script>if (1 < 2 && '&amp;') {}</script></body></html>"
    )
    assert inline_script_hashes(html) == (
        sha256_source("var a = 1;"), sha256_source("import './m.js';"), sha256_source("if (1 < 2 && '&amp;') {}")
    )
    policy = response_policy("ws://h wss://h", html)
    assert directive(policy, "script-src")[2:] == list(inline_script_hashes(html))
    assert_no_inline_or_eval(policy)


def test_a_policy_without_a_page_allows_no_inline_script():
    policy = response_policy("ws://h:1 wss://h:1")
    assert directive(policy, "script-src") == ["'self'", "'wasm-unsafe-eval'"]
    assert directive(policy, "connect-src") == ["'self'", "ws://h:1", "wss://h:1"]
    assert policy == content_security_policy(connect=["ws://h:1", "wss://h:1"])
    assert_no_inline_or_eval(content_security_policy())


def test_the_served_and_the_static_policy_are_one_definition():
    static = content_security_policy(header=False)
    served = response_policy("ws://h:1 wss://h:1")
    assert "frame-ancestors" not in static and directive(served, "frame-ancestors") == ["'none'"]
    for name in ("default-src", "script-src", "style-src", "img-src", "font-src", "object-src", "base-uri"):
        assert directive(served, name) == directive(static, name), name


@pytest.mark.parametrize("path", ["/", "/index.html", "/diary"])
def test_the_served_page_lists_every_inline_script_it_holds_and_nothing_else(client, path):
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert_no_inline_or_eval(policy)
    scripts = inline_scripts(page.text)
    # Flet's WebKit reload guard and client configuration, its per-server configuration, the timezone probe.
    assert len(scripts) >= 4 and any("flet.webSocketEndpoint=" in s for s in scripts)
    assert any(TIMEZONE_PREF_KEY in s for s in scripts)
    hashes = [t for t in directive(policy, "script-src") if t.startswith("'sha256-")]
    assert sorted(hashes) == sorted({sha256_source(s) for s in scripts})


def test_a_page_is_always_answered_whole_so_its_policy_matches_its_body(client):
    first = client.get("/")
    for headers in ({"if-none-match": "*"}, {"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"},
                    {"range": "bytes=0-99"}):
        again = client.get("/", headers=headers)
        assert again.status_code == 200 and again.content == first.content, headers
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert "etag" not in again.headers and "last-modified" not in again.headers
    # The client's large files keep their validators and still revalidate cheaply.
    script = client.get("/flutter_bootstrap.js")
    assert client.get("/flutter_bootstrap.js", headers={"if-none-match": script.headers["etag"]}).status_code == 304


def test_every_response_carries_the_same_origin_policy(client):
    index = client.get("/")
    responses = [
        index,
        client.get("/flutter_bootstrap.js"),
        client.get("/assets/fonts/notosansarabic/v28/abc.woff2"),
        client.get("/no-such-file.js"),
    ]
    font = responses[2]
    for response in responses:
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "connect-src 'self' ws://127.0.0.1:8550 wss://127.0.0.1:8550" in policy
        assert "https:" not in policy and "http:" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert_no_inline_or_eval(policy)
        assert response.headers["x-content-type-options"] == "nosniff"
    assert index.status_code == 200 and "flutter.aftercare.device_timezone" in index.text
    assert font.status_code == 200
    assert font.headers["content-security-policy"] == response_policy("ws://127.0.0.1:8550 wss://127.0.0.1:8550")


def run_middleware(messages: list[dict], path: str = "/") -> list[dict]:
    """What the middleware sends for an app that answers with ``messages``."""
    sent: list[dict] = []

    async def app(scope, receive, send):
        for message in messages:
            await send(message)

    async def send(message):
        sent.append(message)

    async def receive():  # pragma: no cover - the app reads no request body
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"host", b"127.0.0.1:8550")]}
    asyncio.run(_SecurityHeaders(app)(scope, receive, send))
    return sent


def test_a_page_sent_in_pieces_gets_one_policy_for_all_its_scripts():
    html = b"<html><head><script>var config = 1;</script></head><body><script>start(config);</script></body></html>"
    sent = run_middleware([
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html; charset=utf-8")]},
        {"type": "http.response.body", "body": html[:30], "more_body": True},
        {"type": "http.response.body", "body": html[30:70], "more_body": True},
        {"type": "http.response.body", "body": html[70:], "more_body": False},
    ])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["body"] == html and not sent[1]["more_body"]
    policy = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert sha256_source("var config = 1;") in policy and sha256_source("start(config);") in policy
    assert "ws://127.0.0.1:8550 wss://127.0.0.1:8550" in policy
    assert_no_inline_or_eval(policy)


def test_a_page_whose_body_cannot_be_read_gets_no_inline_script():
    sent = run_middleware([
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]},
        {"type": "http.response.pathsend", "path": "/somewhere/index.html"},
    ])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.pathsend"]
    policy = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert directive(policy, "script-src") == ["'self'", "'wasm-unsafe-eval'"]
