"""A small static server for the built site: right content types, precompressed files, revalidation, a strict
Content-Security-Policy and no request logging of anything but errors. For local use and tests; any static host
that sends the same headers serves the site as well (the policy is also in index.html).

Cross-origin isolation (COOP/COEP) is not needed: the CanvasKit renderer and Pyodide here use no
SharedArrayBuffer. ``Cross-Origin-Opener-Policy: same-origin`` is still sent, as it costs nothing.
"""

from __future__ import annotations

import email.utils
import json
import os
import posixpath
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from aftercare_app.ui.policy import content_security_policy

__all__ = ["CONTENT_TYPES", "make_server", "serve_forever", "serving"]

CONTENT_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".frag": "application/octet-stream",
    ".bin": "application/octet-stream",
    "": "text/plain; charset=utf-8",
}
_SECURITY_HEADERS = {
    "Content-Security-Policy": content_security_policy(),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class _Handler(SimpleHTTPRequestHandler):
    server_version = "static"
    sys_version = ""
    # HTTP/1.1: Chromium does not keep HTTP/1.0 "no-cache" responses for revalidation, so the service worker's
    # precache would download the whole site a second time instead of getting 304s.
    protocol_version = "HTTP/1.1"
    font_aliases: ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: object) -> None:
        if args and str(args[1] if len(args) > 1 else "").startswith(("4", "5")) and "rive-runtime" not in str(args):
            super().log_message(format, *args)

    def copyfile(self, source, outputfile) -> None:
        super().copyfile(source, outputfile)
        self.server.count_sent(source.tell())  # type: ignore[attr-defined]

    def end_headers(self) -> None:
        for name, value in _SECURITY_HEADERS.items():
            self.send_header(name, value)
        # Revalidate every time: the service worker holds the offline copy, and a new build must be seen at once.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _resolve(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        root = Path(self.directory)
        relative = posixpath.normpath(path).lstrip("/")
        if relative in ("", "."):
            relative = "index.html"
        if relative.startswith("fonts/fallback/"):
            alias = self.font_aliases.get(relative[len("fonts/fallback/"):])
            if alias:
                relative = "fonts/fallback/" + alias
        target = (root / relative).resolve()
        if root.resolve() not in target.parents and target != root.resolve():
            return None
        return target

    def send_head(self):
        target = self._resolve()
        if target is None or not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        content_type = CONTENT_TYPES.get(target.suffix, CONTENT_TYPES[""] if target.name == "NOTICES"
                                         else "application/octet-stream")
        accepted = self.headers.get("Accept-Encoding", "")
        body, encoding = target, None
        for token, suffix in (("br", ".br"), ("gzip", ".gz")):
            sibling = target.with_name(target.name + suffix)
            if token in accepted and sibling.is_file():
                body, encoding = sibling, token
                break
        stat = body.stat()
        modified = email.utils.formatdate(int(target.stat().st_mtime), usegmt=True)
        etag = f'"{int(target.stat().st_mtime_ns):x}-{stat.st_size:x}-{encoding or "id"}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        handle = open(body, "rb")  # noqa: SIM115 - handed to the base class, which sends and closes it
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", modified)
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if target.name == "sw.js":
            self.send_header("Service-Worker-Allowed", "./")
        self.end_headers()
        return handle


def make_server(directory: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``directory`` bound to ``host:port`` (port 0: any free port; see ``server.server_port``)."""
    root = Path(directory).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} has no index.html: run the build first")
    aliases_file = root / "fonts/fallback/aliases.json"
    aliases = json.loads(aliases_file.read_text(encoding="utf-8")) if aliases_file.is_file() else {}
    handler = type("Handler", (_Handler,), {"font_aliases": aliases})

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        bytes_sent = 0  # response bodies as sent (compressed where the client accepted it), for measurements
        _tally = threading.Lock()

        def count_sent(self, size: int) -> None:
            with self._tally:
                self.bytes_sent += size

        def finish_request(self, request, client_address):
            handler(request, client_address, self, directory=str(root))

    return Server((host, port), handler)


@contextmanager
def serving_counted(directory: str | os.PathLike[str], host: str = "127.0.0.1",
                    port: int = 0) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """Serve ``directory`` in a background thread for the duration of the block; yields the base URL and the
    server, whose ``bytes_sent`` counts the response bodies sent."""
    server = make_server(directory, host, port)
    thread = threading.Thread(target=server.serve_forever, name="pwa-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}/", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serving(directory: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``directory`` in a background thread for the duration of the block; yields the base URL."""
    with serving_counted(directory, host, port) as (url, _server):
        yield url


def serve_forever(directory: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted."""
    server = make_server(directory, host, port)
    print(f"Serving {Path(directory).resolve()} on http://{host}:{server.server_port}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
