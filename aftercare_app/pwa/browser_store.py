"""The in-browser build's persistent folder: a string key-value store on it, and how the app's tabs share it.

What persists in this build (Flet 1.0.5 web client, Pyodide 314, checked in Chromium across reload, browser restart
with the same profile, offline reload and an app update):

* Python's filesystem is in memory. A folder mounted with Emscripten's IDBFS is mirrored into the browser's
  IndexedDB (database ``/persist`` of the page's origin) when ``FS.syncfs`` copies it there; reads and writes stay
  synchronous, plain file I/O. This is what :func:`open_browser_store` sets up. It runs in the Python worker,
  needs no round trip through the Flutter client, and has no 5 MB cap (IndexedDB quota is a share of the disk).
* Every tab has its own Python and its own in-memory copy of that folder. IDBFS's ``autoPersist`` would copy a
  tab's copy to IndexedDB on its own schedule, over what another tab saved meanwhile, so it is left off: changes
  go through :class:`BrowserTabs`, which takes a lock shared by the origin's tabs (``navigator.locks``), loads the
  latest copy from IndexedDB, lets the change happen, saves it back, and tells the other tabs (a
  ``BroadcastChannel``) so they reload their copy and redraw.
* ``ft.SharedPreferences()`` (browser ``localStorage``, about 5 MB, strings only) was also seen to persist (GUIDE
  section 4), but every call is async and goes through the Flutter client, and the service object must stay
  referenced; the tests here exercise only the IDBFS folder. It suits a few settings, not a diary.
* Both live in the origin's site data, which the browser may evict unless persistent storage was granted:
  the page (site/web/pwa.js) asks with ``navigator.storage.persist()`` on the first save this tab announces.
  A service-worker update never touches either.

Every value is one file named after its key; a write goes to a temporary file and is renamed over the old one, so a
reader sees the old value or the new one, never half of one. The same class works on any local folder, which is how
it is tested outside a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["BROWSER_DATA_DIR", "BROWSER_MOUNT", "BrowserStore", "BrowserTabs", "open_browser_store", "open_browser_tabs"]

#: Where the persistent folder is mounted inside Pyodide's filesystem (and the IndexedDB database name).
BROWSER_MOUNT = "/persist"
#: The app's data folder in the browser (``AFTERCARE_DATA_DIR``): inside the mount, so plain file storage persists.
BROWSER_DATA_DIR = BROWSER_MOUNT + "/aftercare"
_SUFFIX = ".value"
#: The name of the lock and of the broadcast channel that the app's tabs share (per origin).
SHARED_NAME = "aftercare-store"


class BrowserStore:
    """String values by string key, one file each, in a folder that the browser keeps (see the module doc).

    Saving copies this tab's whole folder to IndexedDB, so it suits data one tab keeps; data that several tabs
    change (the app's store) goes through :meth:`BrowserTabs.writing`."""

    def __init__(self, root: str | os.PathLike[str], *, syncer: _IdbfsSync | None = None) -> None:
        self._root = Path(root)
        self._root.mkdir(parents=True, exist_ok=True)
        self._syncer = syncer

    @property
    def root(self) -> Path:
        return self._root

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not key:
            raise ValueError("a key is a non-empty string")
        return self._root / (quote(key, safe="") + _SUFFIX)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value stored under ``key``, or ``default``."""
        try:
            return self._path(key).read_text(encoding="utf-8")
        except FileNotFoundError:
            return default

    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (atomically), then let the browser copy it to IndexedDB."""
        if not isinstance(value, str):
            raise TypeError("a value is a string")
        path = self._path(key)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(value)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        self._changed()

    def delete(self, key: str) -> None:
        """Forget ``key`` (no error if absent)."""
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            return
        self._changed()

    remove = delete  # the name aftercare_app.storage.key_value.KeyValue uses

    def keys(self) -> list[str]:
        """Every stored key, sorted."""
        return sorted(unquote(p.name[: -len(_SUFFIX)]) for p in self._root.glob("*" + _SUFFIX))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(key) and self._path(key).exists()

    def _changed(self) -> None:
        if self._syncer is not None:
            self._syncer.schedule()

    async def flush(self) -> None:
        """Wait until everything written so far is in IndexedDB (a no-op outside the browser)."""
        if self._syncer is not None:
            await self._syncer.sync(populate=False)


def _sync_failed(message: str) -> Exception:
    """The app's SaveFailed, whose message its screens show; OSError in a build without the app's storage."""
    try:
        from aftercare_app.storage.errors import SaveFailed
    except ImportError:
        return OSError(message)
    return SaveFailed(message + " Nothing was changed.")


class _IdbfsSync:
    """Copies between Pyodide's in-memory filesystem and IndexedDB (``FS.syncfs``), one copy at a time."""

    def __init__(self, fs: object) -> None:
        self._fs = fs
        self._lock = asyncio.Lock()
        self._pending: asyncio.Task[None] | None = None

    async def sync(self, *, populate: bool) -> None:
        from pyodide.ffi import create_once_callable

        async with self._lock:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def finished(error: object = None) -> None:
                if done.done():
                    return
                if error:
                    done.set_exception(_sync_failed(f"The browser could not {'load' if populate else 'save'} the data ({error})."))
                else:
                    done.set_result(None)

            self._fs.syncfs(populate, create_once_callable(finished))  # type: ignore[attr-defined]
            await done

    def schedule(self) -> None:
        # A key-value write is saved to IndexedDB soon after; flush() waits for it.
        if self._pending is None or self._pending.done():
            try:
                self._pending = asyncio.get_running_loop().create_task(self.sync(populate=False))
            except RuntimeError:  # no running loop (synchronous start-up code): the next flush() saves it
                self._pending = None


class _SharedVersion:
    """A number the app's tabs share (IndexedDB database ``aftercare-tabs``): one more after every save, so a tab
    about to change the data knows whether another tab saved since it last loaded, without loading to find out."""

    def __init__(self) -> None:
        self._db: object | None = None

    async def _database(self) -> Any:
        if self._db is None:
            import js

            opening = js.indexedDB.open("aftercare-tabs", 1)

            def upgrade(_event: object) -> None:
                opening.result.createObjectStore("state")

            from pyodide.ffi import create_once_callable

            opening.onupgradeneeded = create_once_callable(upgrade)
            self._db = await _settled(opening)
        return self._db

    async def read(self) -> int:
        db = await self._database()
        value = await _settled(db.transaction("state", "readonly").objectStore("state").get("version"))
        return int(value) if isinstance(value, (int, float)) else 0

    async def bump(self) -> int:
        """The version after this save: read and written in one transaction (under the tabs' lock). The write
        is made in the read's own callback: a transaction with nothing pending at the end of a task commits."""
        from pyodide.ffi import create_once_callable

        db = await self._database()
        transaction = db.transaction("state", "readwrite")
        store = transaction.objectStore("state")
        reading = store.get("version")
        new: list[int] = []

        def read(_event: object) -> None:
            value = reading.result
            new.append((int(value) if isinstance(value, (int, float)) else 0) + 1)
            store.put(new[0], "version")

        reading.onsuccess = create_once_callable(read)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        def complete(_event: object) -> None:
            if not done.done():
                done.set_result(None)

        def refuse(_event: object) -> None:
            if not done.done():
                done.set_exception(_sync_failed(f"The browser's storage refused a request ({transaction.error})."))

        transaction.oncomplete = create_once_callable(complete)
        transaction.onerror = create_once_callable(refuse)
        await done
        return new[0]


async def _settled(request: Any) -> Any:
    """The result of an IndexedDB request, once it succeeded (OSError if it failed)."""
    from pyodide.ffi import create_once_callable

    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def succeeded(_event: object) -> None:
        if not done.done():
            done.set_result(request.result)

    def failed(_event: object) -> None:
        if not done.done():
            done.set_exception(_sync_failed(f"The browser's storage refused a request ({request.error})."))

    request.onsuccess = create_once_callable(succeeded)
    request.onerror = create_once_callable(failed)
    return await done


class BrowserTabs:
    """The app's tabs in one browser, each with its own copy of the persistent folder (see the module doc).

    Implements :class:`aftercare_app.ui.tabs.TabSync`. A change starts by loading what other tabs saved only when
    their shared version number says one did (:class:`_SharedVersion`), so a tap in a tab alone costs one small
    read, the change and its save. A block that wrote nothing (opening a store that needed no repair, a refused
    input) saves nothing and tells no one: the other tabs do not reload, and the page does not take it for the
    patient's first save.
    """

    def __init__(self, syncer: _IdbfsSync, mount: str) -> None:
        import js
        from pyodide.ffi import create_proxy

        self._syncer = syncer
        self._mount = mount
        self._version = _SharedVersion()
        self._seen: int | None = None  # the version of the data this tab holds (None: not loaded yet)
        self._redraws: list[Callable[[], None]] = []
        self._reloading: asyncio.Future[None] | None = None
        self._local = asyncio.Lock()  # only when the browser has no Web Locks (older engines, plain http)
        self._locks = getattr(js.navigator, "locks", None)
        self._channel = js.BroadcastChannel.new(SHARED_NAME) if hasattr(js, "BroadcastChannel") else None
        if self._channel is not None:

            def changed_elsewhere(_event: object) -> None:
                self._reloading = asyncio.ensure_future(self._reload())  # kept, so the task is not collected early

            self._listener = create_proxy(changed_elsewhere)  # kept: the channel calls it for the page's lifetime
            self._channel.addEventListener("message", self._listener)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        saved = False
        async with self._shared_lock():
            await self.catch_up()
            before = _files(self._mount)
            try:
                yield
            finally:
                if _files(self._mount) != before:
                    try:
                        await self._syncer.sync(populate=False)
                    except Exception:
                        # Not saved: drop the change from this tab's copy too, so what it shows is what is stored.
                        await self._syncer.sync(populate=True)
                        raise
                    self._seen = await self._version.bump()
                    saved = True
        if saved and self._channel is not None:
            self._channel.postMessage("changed")

    async def catch_up(self) -> None:
        """Load what other tabs saved, unless none saved since this tab last loaded or saved (hold the lock)."""
        current = await self._version.read()
        if current != self._seen:
            await self._syncer.sync(populate=True)
            self._seen = current

    def watch(self, redraw: Callable[[], None]) -> None:
        self._redraws.append(redraw)

    async def _reload(self) -> None:
        async with self._shared_lock():
            await self.catch_up()
        for redraw in list(self._redraws):
            with contextlib.suppress(Exception):  # a page that went away must not keep the others stale
                redraw()

    @asynccontextmanager
    async def _shared_lock(self) -> AsyncIterator[None]:
        if self._locks is None:
            async with self._local:
                yield
            return
        import js
        from pyodide.ffi import create_once_callable

        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        release: list[Callable[[], None]] = []
        # The browser holds the lock until the promise handed back to it settles: resolved on leaving the block.
        held = js.Promise.new(create_once_callable(lambda resolve, _reject: release.append(resolve)))

        def on_granted(_lock: object) -> object:
            if granted.cancelled():  # the waiting task was cancelled: let go at once
                release[0]()
            elif not granted.done():
                granted.set_result(None)
            return held

        self._locks.request(SHARED_NAME, create_once_callable(on_granted))
        await granted
        try:
            yield
        finally:
            release[0]()


def _files(folder: str) -> dict[str, tuple[int, int, int]]:
    """Every file under ``folder`` with its inode, size and modification time: every write of the stores here
    renames a new file over the old one, so a write shows as a new inode even within the clock's resolution."""
    seen: dict[str, tuple[int, int, int]] = {}
    for parent, _folders, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            with contextlib.suppress(OSError):
                facts = os.stat(path)
                seen[path] = (facts.st_ino, facts.st_size, facts.st_mtime_ns)
    return seen


_opened: dict[str, BrowserStore] = {}
_tabs: dict[str, BrowserTabs] = {}


async def open_browser_store(mount: str = BROWSER_MOUNT, *, fallback_dir: str | None = None) -> BrowserStore:
    """The persistent store: in the browser, an IDBFS folder at ``mount`` loaded from IndexedDB (opened once per
    page, later calls return the same store); elsewhere a plain folder (``fallback_dir``, default ``mount``)."""
    if mount in _opened:
        return _opened[mount]
    if sys.platform != "emscripten":
        store = BrowserStore(fallback_dir or mount)
    else:
        import js
        import pyodide_js
        from pyodide.ffi import to_js

        fs = pyodide_js.FS
        fs.mkdirTree(mount)
        options = to_js({"autoPersist": False}, dict_converter=js.Object.fromEntries)
        fs.mount(fs.filesystems.IDBFS, options, mount)
        syncer = _IdbfsSync(fs)
        tabs = BrowserTabs(syncer, mount)
        async with tabs._shared_lock():  # not while another tab is half-way through saving
            await tabs.catch_up()
        store = BrowserStore(mount, syncer=syncer)
        _tabs[mount] = tabs
    _opened[mount] = store
    return store


def open_browser_tabs(mount: str = BROWSER_MOUNT) -> BrowserTabs | None:
    """The coordination of this tab with the others over ``mount``, once :func:`open_browser_store` opened it in
    a browser; None elsewhere."""
    return _tabs.get(mount)
