"""Serve the Flet app over HTTP so that the browser never leaves the app's own origin.

Flet's prebuilt web client, even with ``no_cdn=True``, asks a public CDN for a Rive
runtime and lets Flutter fetch fallback fonts from a font CDN. A patient's recovery
diary must not leak even the fact that it is open, so every response carries a strict
Content-Security-Policy that only allows the app's own origin, and the page itself is
patched to store the browser's timezone where the Python side can read it. The policy
allows neither eval nor inline script: the page's own inline scripts are listed by hash.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import os
import re
import socket
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aftercare_app.ui.access import AccessGuard, app_urls
from aftercare_app.ui.policy import content_security_policy

__all__ = [
    "TIMEZONE_PREF_KEY",
    "build_asgi_app",
    "csp_hash",
    "inline_script_hashes",
    "patch_index",
    "response_policy",
    "serve",
]

TIMEZONE_PREF_KEY = "aftercare.device_timezone"

class _InlineScripts(HTMLParser):
    """Collects the text of every inline ``<script>`` element (one without ``src``) of a page.

    A script's content reaches ``handle_data`` raw (no character reference decoded), which is the text a
    browser hashes; a ``<script>`` inside an HTML comment is no element and is not collected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._open = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.texts.append("".join(self._open))
        self._open = None


def csp_hash(text: str) -> str:
    """The CSP source ``'sha256-…'`` that allows an inline script whose text is ``text``.

    Browsers hash the text after the HTML parser's newline normalisation (CRLF and CR become LF), as UTF-8."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@functools.lru_cache(maxsize=16)
def inline_script_hashes(html: str) -> tuple[str, ...]:
    """The hash sources of the page's inline scripts, in page order, each once."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return tuple(dict.fromkeys(csp_hash(text) for text in parser.texts))


def response_policy(ws_origin: str = "", html: str | None = None) -> str:
    """The policy of one served response: :func:`~aftercare_app.ui.policy.content_security_policy` with
    ``ws_origin`` (the websocket origins of the request's host) and, for a page (``html``), the hash of each of
    its inline scripts."""
    hashes = inline_script_hashes(html) if html is not None else ()
    return content_security_policy(connect=ws_origin.split(), scripts=hashes)


# Flutter's shared_preferences on the web stores key K as localStorage "flutter.K",
# JSON-encoded; writing it before the client starts lets Python read it as a preference.
_TIMEZONE_SCRIPT = (
    f"<script>try{{localStorage.setItem('flutter.{TIMEZONE_PREF_KEY}',JSON.stringify("
    "Intl.DateTimeFormat().resolvedOptions().timeZone||''))}catch(e){}</script>"
)


def patch_index(html: str, *, title: str, description: str, lang: str = "en") -> str:
    """Flet's index page with the app's language, title, theme colour and timezone probe."""
    html = re.sub(r"<html[^>]*>", f'<html lang="{lang}">', html, count=1)
    html = html.replace(
        "<!-- fletAppConfig -->",
        '<meta name="theme-color" content="#2F6F6A">\n  '
        '<meta name="referrer" content="no-referrer">\n  '
        f"{_TIMEZONE_SCRIPT}\n  <!-- fletAppConfig -->",
        1,
    )
    html = re.sub(r'<meta name="description" content="[^"]*">', f'<meta name="description" content="{description}">', html)
    html = re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", html)
    return html


# Request headers that could turn a page into a 304 or 206 answer without the body its policy is computed from.
_PARTIAL_ANSWER_HEADERS = {b"if-none-match", b"if-modified-since", b"range", b"if-range"}


def _is_page_request(scope: dict) -> bool:
    """Paths Flet answers with its index page: no extension or ``.html`` (``FletStaticFiles.lookup_path``)."""
    return os.path.splitext(scope.get("path", ""))[1].lower() in ("", ".html")


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers)


class _SecurityHeaders:
    """ASGI middleware adding the CSP and a few hardening headers to every HTTP response.

    An HTML response is held until its whole body is there, so that its policy can list the hash of each of
    its inline scripts, exactly as sent (Flet writes its client configuration into the page as an inline
    script when it first serves it). Page requests lose their conditional and range headers, so a page is
    always answered whole, never as a 304 whose cached body the policy could not see."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        ws_origin = f"ws://{host} wss://{host}" if re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host) else ""
        if _is_page_request(scope):
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in _PARTIAL_ANSWER_HEADERS]
            scope = {**scope, "headers": headers}
        held: dict | None = None
        body: list[bytes] = []

        def with_headers(message: dict, policy: str, *, page: bool = False) -> dict:
            headers = list(message.get("headers", []))
            if page:  # answered whole every time (see above): validators would only invite conditional requests
                headers = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"last-modified")]
            headers += [
                (b"content-security-policy", policy.encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"no-referrer"),
            ]
            if not any(k.lower() == b"cache-control" for k, _ in headers):
                headers.append((b"cache-control", b"no-cache"))
            return {**message, "headers": headers}

        async def send_with_headers(message: dict) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                if _is_html(message.get("headers", [])):
                    held = message
                else:
                    await send(with_headers(message, response_policy(ws_origin)))
                return
            if held is None:
                await send(message)
                return
            if message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(body)
                policy = response_policy(ws_origin, page.decode("utf-8", errors="replace"))
                message = {"type": "http.response.body", "body": page, "more_body": False}
            else:  # a body this middleware cannot read: the page gets the policy that allows no inline script
                policy = response_policy(ws_origin)
            start, held = held, None
            await send(with_headers(start, policy, page=True))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _web_root(title: str, description: str) -> str:
    """A folder holding the patched index page and font manifest, given to Flet as the first place to look."""
    from flet_web import get_package_web_dir

    folder = tempfile.mkdtemp(prefix="aftercare-web-")
    original = Path(get_package_web_dir(), "index.html").read_text(encoding="utf-8")
    Path(folder, "index.html").write_text(
        patch_index(original, title=title, description=description), encoding="utf-8"
    )
    # The prebuilt client's manifest makes every page load fetch ~20 KaTeX and Cupertino fonts this app never
    # draws; keep the icons (Flet adds Roboto back).
    Path(folder, "assets").mkdir()
    Path(folder, "assets", "FontManifest.json").write_text(
        json.dumps([{"family": "MaterialIcons", "fonts": [{"asset": "fonts/MaterialIcons-Regular.otf"}]}]),
        encoding="utf-8",
    )
    return folder


# Flutter asks for fallback fonts by Google Fonts path, e.g. "notosansarabic/v28/<hash>.woff2", from
# ``flet.fontFallbackBaseUrl`` (assets/fonts/ with no_cdn). Each family is answered with a local font: the
# device's Noto font of that name when installed (Debian's fonts-noto: NotoSansArabic-Regular.ttf for
# "notosansarabic"), else the PDF report's DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew, Armenian,
# Georgian, symbols). Every family gets an answer, so Flutter registers it once instead of asking again on
# every frame; glyphs no local font has show as boxes, never as a request to another host.
FONT_DIRS = (
    Path(__file__).resolve().parents[1] / "exports" / "fonts",  # DejaVu Sans, which the PDF report embeds too
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/noto"),
)
DEFAULT_FALLBACK = "DejaVuSans.ttf"


@functools.lru_cache(maxsize=1)
def _font_index() -> dict[str, Path]:
    """Lower-case family key ('notosansarabic') -> a regular-weight .ttf/.otf file, first folder wins."""
    index: dict[str, Path] = {}
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in (".ttf", ".otf"):
                continue
            stem = path.stem.lower()
            if stem.endswith("-regular"):
                stem = stem[: -len("-regular")]
            elif "-" in stem:
                continue  # bold, italic and other cuts
            index.setdefault(stem, path)
    return index


def fallback_font(family: str) -> Path | None:
    """The local file answering Flutter's request for fallback ``family``, if any font is available."""
    index = _font_index()
    return index.get(family.lower()) or index.get(DEFAULT_FALLBACK.lower().rsplit(".", 1)[0])


def build_asgi_app(
    main: Callable[..., Any],
    *,
    title: str = "Aftercare Companion",
    description: str = "Your recovery companion after mesotherapy. Everything stays on this device.",
    host: str = "127.0.0.1",
    port: int | None = None,
    access_key: str | None = None,
) -> Any:
    """The FastAPI app serving ``main`` with no CDN, CanvasKit and the strict policy, answering only requests for
    ``host``/``port`` from its own origin, and with ``access_key`` (required beyond loopback) only browsers given
    the key (see :mod:`aftercare_app.ui.access`)."""
    import flet as ft
    import flet_web.fastapi as flet_fastapi

    inner = flet_fastapi.app(
        main,
        assets_dir=_web_root(title, description),
        app_name=title,
        app_short_name="Aftercare",
        app_description=description,
        web_renderer=ft.WebRenderer.CANVAS_KIT,
        no_cdn=True,
    )
    from fastapi.responses import FileResponse, Response

    outer = flet_fastapi.FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @outer.get("/assets/fonts/{family}/{version}/{file_name}")
    async def fallback_font_route(family: str, version: str, file_name: str) -> Response:
        path = fallback_font(family)
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, media_type="font/ttf", headers={"cache-control": "max-age=86400"})

    outer.mount("/", inner)
    return AccessGuard(_SecurityHeaders(outer), bind=host, port=port, key=access_key)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(
    main: Callable[..., Any],
    *,
    host: str = "127.0.0.1",
    port: int = 8550,
    open_browser: bool = False,
    access_key: str | None = None,
    **kwargs: Any,
) -> None:
    """Serve until interrupted; opens the default browser when asked and one is there. Beyond loopback
    ``access_key`` is required, and the URLs printed carry it."""
    import uvicorn

    url, *others = app_urls(host, port, access_key)
    config = uvicorn.Config(
        build_asgi_app(main, host=host, port=port, access_key=access_key, **kwargs),
        host=host, port=port, log_level="warning", ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    if open_browser:
        _open_browser_when_up(server, url)
    print(f"Aftercare Companion is running at {url}  (Ctrl+C to stop)", flush=True)
    for other in others:
        print(f"  and at {other}", flush=True)
    server.run()


def _open_browser_when_up(server: Any, url: str) -> None:
    import webbrowser

    original = server.startup

    async def startup(*args: Any, **kwargs: Any) -> None:
        await original(*args, **kwargs)
        with contextlib.suppress(webbrowser.Error, OSError):  # no browser on a server: serving is enough
            webbrowser.open(url)

    server.startup = startup
