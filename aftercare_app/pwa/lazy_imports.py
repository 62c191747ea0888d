"""Load rarely used packages on their first import, in the browser build.

The app archive is unpacked at every start; packages only one action needs (fpdf2 and fontTools, for the PDF
report) would slow every start for nothing. The build puts them in archives of their own (``lazy/<group>.tar.gz``,
precached by the service worker like everything else) and the entry installs :class:`LazyPackages`: the first
``import fpdf`` fetches the group's archive synchronously (a Web Worker may), unpacks it into ``__pypackages__``
and lets the normal import machinery carry on.
"""

from __future__ import annotations

import importlib
import io
import sys
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["LazyPackages", "install"]


def _fetch(url: str) -> bytes:
    import js  # type: ignore[import-not-found]

    request = js.XMLHttpRequest.new()
    request.open("GET", url, False)  # synchronous: allowed in a worker, and import statements cannot await
    request.responseType = "arraybuffer"
    request.send(None)
    if request.status != 200:
        raise ImportError(f"could not load {url}: HTTP {request.status}")
    return js.Uint8Array.new(request.response).to_bytes()


class LazyPackages:
    """A meta-path finder that, for a listed top-level name, first unpacks the archive holding it."""

    def __init__(self, archives: Mapping[str, str], target: Path, fetch=_fetch) -> None:
        self._archives = dict(archives)  # top-level import name -> archive URL
        self._target = target
        self._fetch = fetch

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None) -> None:
        url = self._archives.get(name)
        if url is None or "." in name:
            return
        data = self._fetch(url)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(self._target, filter="data")
        for other in [n for n, u in self._archives.items() if u == url]:
            del self._archives[other]
        importlib.invalidate_caches()
        return  # the path finders now find the unpacked package


def install(archives: Mapping[str, str], packages_dir: str = "__pypackages__") -> LazyPackages | None:
    """In the browser, make each ``name -> archive path`` (relative to the site) load on first import."""
    if sys.platform != "emscripten" or not archives:
        return None
    import js  # type: ignore[import-not-found]

    base = str(js.location.href)  # the worker script's URL, at the site's root
    finder = LazyPackages({name: str(js.URL.new(path, base).href) for name, path in archives.items()},
                          Path(packages_dir).resolve())
    sys.meta_path.insert(0, finder)
    return finder
