"""Who may reach the served app: the checks run on every request before any of the app does.

The served app holds one patient's diary, and a browser lets any page it shows call a local server: a page from
another site may open a websocket to ``ws://127.0.0.1:PORT`` (browsers do not apply the same-origin policy to
websockets, they only say where the page came from, in ``Origin``), and a DNS name the attacker rebinds to
127.0.0.1 reaches the server with that name in ``Host``. So, as Jupyter's and VS Code's local servers do:

* every HTTP request and websocket must name the address the app serves in ``Host`` (a loopback name, or the host
  it was told to bind, with the port it listens on);
* every websocket must come from the app's own page: its ``Origin`` is the scheme and ``Host`` of the request
  itself. A websocket without ``Origin`` is refused too: every browser sends one, the app's own page is only ever
  opened in a browser, and a client that leaves it out is one this check cannot place;
* an HTTP request that says it comes from another origin (``Origin`` present and not the app's own, ``null``
  included) is refused, and no answer says ``Access-Control-Allow-Origin`` (Flet's middleware allows ``*``), so no
  other page can read even the app's static files through ``fetch``;
* bound beyond this device, every request must carry the access key: the key itself once, in the query of the URL
  printed at start (``?key=…``), which is exchanged for an HttpOnly, SameSite=Strict cookie and a page that sends
  the browser on to the same URL without the key, then that cookie. ``Host`` is chosen by whoever sends a raw
  request, so the key is asked whatever ``Host`` says, loopback names included. Both are compared in constant time.

A refused request gets ``403`` and a one-word body: no page, no asset, no websocket, nothing of the app runs.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import re
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

__all__ = [
    "KEY_PARAMETER",
    "LOOPBACK_NAMES",
    "AccessGuard",
    "app_urls",
    "cookie_name",
    "is_loopback",
    "is_wildcard",
    "needs_key",
    "new_access_key",
    "parse_host",
]

#: The query parameter of the URL printed at start that carries the access key.
KEY_PARAMETER = "key"
#: The names a browser on this device uses for it: always allowed in ``Host`` (with the port).
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_COOKIE_LABEL = b"aftercare access cookie v1"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def new_access_key() -> str:
    """A fresh access key: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _normalise_name(host: str) -> str:
    """``host`` as :func:`parse_host` gives it: lower case, an IP address in its canonical form, no brackets."""
    address = _ip(host)
    return str(address) if address is not None else host.strip("[]").lower()


def is_wildcard(host: str) -> bool:
    """Whether binding ``host`` listens on every address of this device (``0.0.0.0``, ``::``)."""
    return _normalise_name(host) in _WILDCARDS


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` serves this device only (``127.0.0.1``, ``localhost``, ``::1``, 127.x.y.z)."""
    name = _normalise_name(host)
    address = _ip(name)
    return name in LOOPBACK_NAMES or (address is not None and address.is_loopback)


def needs_key(host: str) -> bool:
    """Binding ``host`` serves the app beyond this device, so it asks an access key."""
    return not is_loopback(host)


def parse_host(value: str, default_port: int = 80) -> tuple[str, int] | None:
    """A ``Host`` header as ``(name, port)``: the name lower-cased, an IP address in canonical form without
    brackets; ``None`` when it is no host (empty, bad port, stray characters)."""
    value = value.strip()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        ip = _ip(name)
        if not bracket or ip is None or ip.version != 6:
            return None
    else:
        name, colon, rest = value.partition(":")
        rest = colon + rest
        if ":" in rest[1:]:
            return None
    if rest:
        if not rest.startswith(":") or not rest[1:].isdigit() or not rest[1:].isascii() or len(rest) > 6:
            return None
        port = int(rest[1:])
    else:
        port = default_port
    if not name or not 0 < port < 65536:
        return None
    if not all(c.isascii() and (c.isalnum() or c in ".-:") for c in name):
        return None
    return _normalise_name(name), port


def cookie_name(port: int | None) -> str:
    """The cookie holding the access token. Cookies are shared by every port of a host, so the name says the port
    and two apps on one computer do not replace each other's."""
    return "aftercare_access" if port is None else f"aftercare_access_{port}"


def _cookie_token(key: str) -> str:
    """The cookie's value: derived from the key, so that the key itself is never stored by the browser."""
    return hmac.new(key.encode("utf-8"), _COOKIE_LABEL, hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    """Compare two secrets in time that does not depend on where they differ."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def _header(scope: Scope, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name]


def _cookies(scope: Scope) -> list[tuple[str, str]]:
    pairs = []
    for header in _header(scope, b"cookie"):
        for part in header.split(";"):
            name, eq, value = part.strip().partition("=")
            if eq:
                pairs.append((name.strip(), value.strip().strip('"')))
    return pairs


def _own_url_for_location(scope: Scope, query: list[tuple[str, str]]) -> str:
    """Where to send the browser once the key is exchanged: the same path (only ever a path on this server, never
    ``//other.host``, and only of characters that need no escaping anywhere) with the rest of the query."""
    raw = scope.get("raw_path") or scope.get("path", "/").encode("utf-8")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    if not re.fullmatch(r"/(?!/)[A-Za-z0-9/._~%-]*", path):
        path = "/"
    return path + (f"?{urlencode(query)}" if query else "")


_REFUSAL_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


class AccessGuard:
    """ASGI middleware letting through only requests from the app's own address and origin (and, with ``key``,
    from a browser that was given the key).

    ``bind`` is the host the server was told to bind; ``port`` the port it listens on (``None``: any port, for an
    app served on a port chosen later, as in tests and benchmarks; a loopback name on another port is still this
    device). ``key`` (``None`` on loopback) is the access key of the URL printed at start."""

    def __init__(self, app: Any, *, bind: str = "127.0.0.1", port: int | None = None, key: str | None = None) -> None:
        if key is not None and len(key) < 16:
            raise ValueError("an access key must be a long random secret (see new_access_key)")
        if key is None and needs_key(bind):
            raise ValueError(f"binding {bind!r} serves the app beyond this device: an access key is required")
        self.app = app
        self.bind = _normalise_name(bind)
        self.port = port
        self.key = key
        self._token = _cookie_token(key) if key is not None else None
        self.cookie = cookie_name(port)

    # ------------------------------------------------------------------ checks (pure)

    def host_allowed(self, host: tuple[str, int] | None) -> bool:
        """Whether ``Host`` (as :func:`parse_host` gives it) names this app."""
        if host is None:
            return False
        name, port = host
        if self.port is not None and port != self.port:
            return False
        if name in LOOPBACK_NAMES or name == self.bind:
            return True
        # Bound to every address: any of this device's addresses may be asked for, and a rebound DNS name never
        # comes as an IP address (the browser's origin is then that address itself, so it is this server).
        return is_wildcard(self.bind) and _ip(name) is not None

    def origin_allowed(self, scope: Scope, origin: str) -> bool:
        """Whether ``origin`` is the app's own: the scheme of this request and exactly its ``Host``."""
        scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
        default_port = 443 if scheme == "https" else 80
        hosts = _header(scope, b"host")
        if len(hosts) != 1:
            return False
        own = parse_host(hosts[0], default_port)
        prefix = f"{scheme}://"
        if not origin.lower().startswith(prefix):
            return False
        return own is not None and parse_host(origin[len(prefix):], default_port) == own

    def refusal(self, scope: Scope) -> str | None:
        """Why ``scope`` is refused, before any key is looked at; ``None`` when its Host and Origin are the app's."""
        hosts = _header(scope, b"host")
        default_port = 443 if scope.get("scheme") in ("https", "wss") else 80
        if len(hosts) != 1 or not self.host_allowed(parse_host(hosts[0], default_port)):
            return "host"
        origins = _header(scope, b"origin")
        if scope["type"] == "websocket" and not origins:
            return "origin"
        if len(origins) > 1 or any(not self.origin_allowed(scope, origin) for origin in origins):
            return "origin"
        return None

    def has_cookie(self, scope: Scope) -> bool:
        assert self._token is not None
        return any(name == self.cookie and _same(value, self._token) for name, value in _cookies(scope))

    # ------------------------------------------------------------------ ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self.refusal(scope) is not None:
            await self._refuse(scope, receive, send)
            return
        if self.key is not None:
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            given = [value for name, value in query if name == KEY_PARAMETER]
            if given and scope["type"] == "http":
                if len(given) == 1 and _same(given[0], self.key):
                    await self._exchange_key(scope, [(n, v) for n, v in query if n != KEY_PARAMETER], send)
                else:
                    await self._refuse(scope, receive, send)
                return
            if not self.has_cookie(scope):
                await self._refuse(scope, receive, send)
                return
        if scope["type"] == "http":
            send = _without_cors(send)
        await self.app(scope, receive, send)

    async def _exchange_key(self, scope: Scope, query: list[tuple[str, str]], send: Send) -> None:
        """Set the cookie and send the browser on to the same URL without the key.

        Not by an HTTP redirect: a browser sends no SameSite=Strict cookie along a redirect chain that another
        site started (the patient tapping the printed URL in a web mail or chat page), so the app would refuse
        the page it was sent to. This page of the app's own origin sends the browser on itself (a refresh after
        0 s, which replaces its entry in the history), and that navigation carries the cookie."""
        cookie = f"{self.cookie}={self._token}; Path=/; HttpOnly; SameSite=Strict"
        target = html.escape(_own_url_for_location(scope, query), quote=True)
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
            f'<meta http-equiv="refresh" content="0; url={target}"><title>Aftercare Companion</title></head>'
            f'<body><p><a href="{target}">Open the Aftercare Companion</a></p></body></html>\n'
        ).encode()
        await send({
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-type", b"text/html; charset=utf-8"),
                *_REFUSAL_HEADERS[1:],
                (b"content-length", str(len(body)).encode()),
            ],
        })
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b"Forbidden\n"
        if scope["type"] == "http":
            headers = [*_REFUSAL_HEADERS, (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        # A websocket closed before it is accepted is answered "403" by the server, with no upgrade and no body.
        # (The "websocket.http.response" extension could add a body, but uvicorn then logs an error for every
        # refusal: an attacking page could fill the patient's terminal.)
        message = await receive()
        if message.get("type") == "websocket.connect":
            await send({"type": "websocket.close", "code": 1008})


def _without_cors(send: Send) -> Send:
    """``send`` dropping ``Access-Control-Allow-Origin`` from the answer: no other origin may read it."""

    async def send_without_cors(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"access-control-allow-origin"]
            message = {**message, "headers": headers}
        await send(message)

    return send_without_cors


# ---------------------------------------------------------------------- the URL printed at start


def _url_host(name: str) -> str:
    address = _ip(name)
    return f"[{address}]" if address is not None and address.version == 6 else name


def _this_devices_addresses(bind: str) -> list[str]:
    """The addresses other devices reach this one at, for a server bound to every address (``bind``): the one of
    the route out (no packet is sent: connecting a UDP socket only picks the route), else the host name's."""
    found: list[str] = []
    families = [socket.AF_INET] + ([socket.AF_INET6] if _normalise_name(bind) == "::" else [])
    probes = {socket.AF_INET: ("192.0.2.1", 9), socket.AF_INET6: ("2001:db8::1", 9)}  # documentation addresses
    for family in families:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect(probes[family])
                address = str(probe.getsockname()[0])
        except OSError:
            continue
        ip = _ip(address)
        if ip is not None and not ip.is_loopback and not ip.is_unspecified:
            found.append(address)
    if not found:
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        except OSError:
            infos = []
        named = [str(info[4][0]) for info in infos]  # AF_INET: (address, port)
        found = [address for address in named if (ip := _ip(address)) is not None and not ip.is_loopback][:1]
    return found or ["127.0.0.1"]


def app_urls(host: str, port: int, key: str | None = None, *, addresses: Iterable[str] | None = None) -> list[str]:
    """The URLs to open the app at, first the one to show: loopback on this device; with a key, the URL of each
    address other devices reach (``addresses``; found from the route out for a wildcard bind) with the key."""
    if is_wildcard(host):
        names = list(addresses) if addresses is not None else _this_devices_addresses(host)
        if key is None:
            names = ["127.0.0.1"]
    else:
        names = [_normalise_name(host)]
    query = f"?{KEY_PARAMETER}={quote(key, safe='')}" if key is not None else ""
    return [f"http://{_url_host(name)}:{port}/{query}" for name in names]
