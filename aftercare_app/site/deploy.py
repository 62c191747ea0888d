"""From a build to the patients' phones: a check of the deployed site, and the QR code of its address.

:func:`check_site` fetches every file of a local build from where it was deployed and compares: each must answer
200 with the same bytes and a type the browser accepts for it (a module worker, the service worker and
``WebAssembly.instantiateStreaming`` refuse the wrong one). It is a tool of the clinic's computer, never of the app.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from aftercare_app.site import BuildError

__all__ = ["SiteCheck", "check_site", "site_url", "write_qr"]

_JAVASCRIPT = ("text/javascript", "application/javascript", "application/x-javascript", "application/ecmascript")
#: The types a browser accepts for each kind of file of the build (the first is what to configure).
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    ".js": _JAVASCRIPT,
    ".mjs": _JAVASCRIPT,
    ".wasm": ("application/wasm",),
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".webmanifest": ("application/manifest+json", "application/json"),
}
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
_NOT_FETCHED = (".br", ".gz")  # precompressed copies for servers that choose them; the app never asks for them


def site_url(url: str) -> str:
    """``url`` as the folder the build is served from (ending in "/"); BuildError unless patients could install
    the app from it (HTTPS, or this computer)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BuildError(f"{url!r} is not a web address: give the https:// address the site is served at")
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise BuildError(f"{url} is not HTTPS: phones install the app, keep it offline and share files only "
                         "from https:// addresses (http:// works on this computer only)")
    if parts.query or parts.fragment:
        raise BuildError(f"{url} has a query or a fragment: give the address of the site's folder")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


@dataclass(frozen=True)
class SiteCheck:
    url: str
    checked: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _build_files(build_dir: Path) -> Iterator[str]:
    for path in sorted(build_dir.rglob("*")):
        relative = path.relative_to(build_dir).as_posix()
        if path.is_file() and not relative.startswith(".") and not relative.endswith(_NOT_FETCHED):
            yield relative


def _fetch(url: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", "User-Agent": "aftercare-pwa-check"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), b""


def _problem(relative: str, local: bytes, answer: tuple[int, str, bytes]) -> str | None:
    status, content_type, body = answer
    if status != 200:
        return f"{relative}: HTTP {status}"
    served = content_type.split(";")[0].strip().lower()
    accepted = ACCEPTED_TYPES.get(os.path.splitext(relative)[1])
    if accepted and served not in accepted:
        return f"{relative}: served as {served or 'no type'}, browsers need {accepted[0]}"
    if hashlib.sha256(body).digest() != hashlib.sha256(local).digest():
        return f"{relative}: differs from the build ({len(body)} bytes served, {len(local)} built): upload it again"
    return None


def check_site(url: str, build_dir: str | os.PathLike[str] = "build/web", *,
               fetch: Callable[[str], tuple[int, str, bytes]] = _fetch) -> SiteCheck:
    """Fetch each file of the build in ``build_dir`` from ``url`` and say what a phone would find wrong."""
    base = site_url(url)
    folder = Path(build_dir)
    if not (folder / "index.html").is_file() or not (folder / "sw.js").is_file():
        raise BuildError(f"{folder} is not a build of the app: run 'python -m aftercare_app pwa build' first")
    files = list(_build_files(folder))

    def one(relative: str) -> str | None:
        try:
            answer = fetch(base + quote(relative))
        except (OSError, ValueError) as exc:
            return f"{relative}: {getattr(exc, 'reason', None) or exc}"
        return _problem(relative, (folder / relative).read_bytes(), answer)

    with ThreadPoolExecutor(max_workers=8) as pool:
        problems = tuple(p for p in pool.map(one, files) if p)
    return SiteCheck(base, len(files), problems)


def write_qr(url: str, out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``qr.png`` and ``qr.svg`` of ``url`` in ``out_dir``, for the clinic's leaflet or desk."""
    import segno

    code = segno.make(site_url(url), error="m")
    folder = Path(out_dir)
    png, svg = folder / "qr.png", folder / "qr.svg"
    code.save(str(png), scale=10, border=4)
    code.save(str(svg), scale=10, border=4, title="Aftercare app address")
    return png, svg
