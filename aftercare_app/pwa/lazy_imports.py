"""Load rarely used modules on their first import, in the browser build.

Packages only one action needs (fpdf2 and fontTools for the PDF report, icalendar for the calendar) would slow
every start and every first visit for nothing. The build puts them in archives of their own, listed by module
name, and the entry installs :class:`LazyPackages`: the first import of a listed name fetches its archive
synchronously (a Web Worker may; import statements cannot await), unpacks it and lets the normal import machinery
carry on. A ``.tar.gz`` (the stock layout) unpacks into ``__pypackages__``; a ``.zip`` unpacks into a folder of its
own that joins ``sys.path``, and where it holds more modules of a package already imported (the rarely used rest of
the standard library, say), the package's ``__path__`` grows to include them.
"""

from __future__ import annotations

import importlib
import io
import sys
import tarfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["LazyPackages", "install", "prefetch"]

_installed: list[LazyPackages] = []


def _fetch(url: str) -> bytes:
    import js

    request = js.XMLHttpRequest.new()
    request.open("GET", url, False)  # synchronous: allowed in a worker, and import statements cannot await
    request.responseType = "arraybuffer"
    request.send(None)
    if request.status != 200:
        raise ImportError(f"could not load {url}: HTTP {request.status}")
    return bytes(js.Uint8Array.new(request.response).to_bytes())


class LazyPackages:
    """A meta-path finder that, for a listed module name, first unpacks the archive holding it."""

    def __init__(self, archives: Mapping[str, str], target: Path, fetch: Callable[[str], bytes] = _fetch) -> None:
        self._archives = dict(archives)  # module name -> archive URL
        self._target = target
        self._fetch = fetch

    def archive_of(self, name: str) -> str | None:
        return self._archives.get(name)

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None) -> None:
        url = self._archives.get(name)
        if url is None:
            return
        _note(f"loading {url.rsplit('/', 1)[-1]} for {name}")
        data = self._fetch(url)
        if url.endswith(".zip"):
            self._unpack_zip(url, data)
        else:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                archive.extractall(self._target, filter="data")
        for other in [n for n, u in self._archives.items() if u == url]:
            del self._archives[other]
        importlib.invalidate_caches()
        return  # the path finders now find the unpacked modules

    def _unpack_zip(self, url: str, data: bytes) -> None:
        folder = self._target / url.rsplit("/", 1)[-1].removesuffix(".zip")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(folder)
        sys.path.append(str(folder))
        for module in list(sys.modules.values()):  # packages imported before: their other modules are here
            search = getattr(module, "__path__", None)
            spec = getattr(module, "__spec__", None)
            if isinstance(search, list) and spec is not None:
                extra = folder.joinpath(*spec.name.split("."))
                if extra.is_dir() and str(extra) not in search:
                    search.append(str(extra))


def _note(text: str) -> None:
    if sys.platform == "emscripten":
        import js

        js.console.debug(f"[python] {text}")


def install(archives: Mapping[str, str], packages_dir: str = "__pypackages__") -> LazyPackages | None:
    """In the browser, make each ``module name -> archive path`` (relative to the site) load on first import."""
    if sys.platform != "emscripten" or not archives:
        return None
    import js

    base = str(js.location.href)  # the worker script's URL, at the site's root
    finder = LazyPackages({name: str(js.URL.new(path, base).href) for name, path in archives.items()},
                          Path(packages_dir).resolve())
    sys.meta_path.insert(0, finder)
    _installed.append(finder)
    return finder


def prefetch(name: str) -> None:
    """Start downloading the archive that holds module ``name``, without waiting or importing: the site's service
    worker keeps it, so a later import works offline. Nothing to do outside the browser or once imported."""
    url = _installed[0].archive_of(name) if _installed else None
    if url is not None:
        import js

        js.fetch(url)
