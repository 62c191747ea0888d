"""The store in a key-value store of strings: the browser backend.

In the in-browser build Python's files live in memory and vanish on reload, so
the store's text goes to something that persists, such as the browser's
localStorage (through Flet's ``SharedPreferences``). Anything with
``get(key) -> str | None``, ``set(key, value)`` and ``remove(key)`` will do;
:class:`MemoryLocalStorage` is a faithful stand-in used by the tests.

Keys, under a prefix (``aftercare`` by default)::

    aftercare.store            the store's JSON text
    aftercare.backups          JSON list of backup names, newest first
    aftercare.backup.<name>    one rolling backup
    aftercare.damaged.<name>   an unreadable store set aside; never overwritten or deleted

A single ``set`` of one string is atomic in localStorage: a crash leaves the
old or the new text. Fewer backups are kept than on disk because they share
the origin's quota of about 5 MB with the store.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from aftercare_app.storage.errors import SaveFailed
from aftercare_app.storage.text_store import BackupInfo, backup_name, backup_time

DEFAULT_KEEP_BACKUPS = 2
LOCAL_STORAGE_QUOTA = 5 * 1024 * 1024  # UTF-16 code units of keys and values, like browsers


class KeyValue(Protocol):
    """Synchronous string storage, e.g. a mirror of the browser's localStorage."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def remove(self, key: str) -> None: ...


class QuotaExceededError(Exception):
    """What localStorage raises when a value does not fit (a DOMException in browsers)."""


class MemoryLocalStorage:
    """An in-memory localStorage: string keys and values only, a quota, failed writes change nothing."""

    def __init__(self, quota: int = LOCAL_STORAGE_QUOTA) -> None:
        self.quota = quota
        self._items: dict[str, str] = {}

    @staticmethod
    def _units(text: str) -> int:
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def used(self) -> int:
        return sum(self._units(k) + self._units(v) for k, v in self._items.items())

    def get(self, key: str) -> str | None:
        return self._items.get(key)

    def set(self, key: str, value: str) -> None:
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("localStorage holds only strings")
        old = self._items.get(key)
        freed = self._units(key) + self._units(old) if old is not None else 0
        if self.used() - freed + self._units(key) + self._units(value) > self.quota:
            raise QuotaExceededError(f"Setting the value of '{key}' exceeded the quota.")
        self._items[key] = value

    def remove(self, key: str) -> None:
        self._items.pop(key, None)

    def keys(self) -> list[str]:
        return list(self._items)

    def snapshot(self) -> dict[str, str]:
        """A copy of everything stored, to compare before and after."""
        return dict(self._items)


class KeyValueTextStore:
    """A :class:`~aftercare_app.storage.text_store.TextStore` over a :class:`KeyValue`."""

    def __init__(
        self,
        kv: KeyValue,
        *,
        prefix: str = "aftercare",
        keep_backups: int = DEFAULT_KEEP_BACKUPS,
        lock: Callable[[], AbstractContextManager[None]] | None = None,
    ) -> None:
        self.kv = kv
        self.prefix = prefix
        self.keep_backups = keep_backups
        # Tabs of one browser share localStorage; the web build can pass a lock built on
        # navigator.locks. Without one, only this interpreter's threads are kept apart.
        self._lock_factory = lock or _reentrant(threading.RLock())

    def __repr__(self) -> str:
        return f"KeyValueTextStore(prefix={self.prefix!r})"

    def _key(self, *parts: str) -> str:
        return ".".join((self.prefix, *parts))

    def _set(self, key: str, value: str) -> None:
        try:
            self.kv.set(key, value)
        except Exception as exc:  # the browser's refusal (quota...) arrives as whatever the bridge raises
            raise SaveFailed(
                "The browser refused to save (its storage for this app may be full). "
                "Nothing was changed; export your data to keep a copy."
            ) from exc

    def read(self) -> str | None:
        return self.kv.get(self._key("store"))

    def write(self, text: str) -> None:
        self._set(self._key("store"), text)

    def lock(self) -> AbstractContextManager[None]:
        return self._lock_factory()

    def _backup_names(self) -> list[str]:
        return self._names("backups")

    def save_backup(self, text: str, label: str = "") -> BackupInfo:
        name, saved_at = backup_name(label)
        with self.lock():
            names = self._backup_names()
            self._set(self._key("backup", name), text)
            kept, dropped = [name, *names][: self.keep_backups], names[self.keep_backups - 1 :]
            self._set(self._key("backups"), json.dumps(kept))
            for old in dropped:
                self.kv.remove(self._key("backup", old))
        return BackupInfo(name, saved_at)

    def backups(self) -> list[BackupInfo]:
        return [BackupInfo(n, backup_time(n)) for n in self._backup_names() if self.kv.get(self._key("backup", n))]

    def read_backup(self, name: str) -> str:
        text = self.kv.get(self._key("backup", name))
        if text is None:
            raise KeyError(name)
        return text

    def _names(self, index: str) -> list[str]:
        raw = self.kv.get(self._key(index))
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def set_aside(self) -> str:
        with self.lock():
            name, _ = backup_name("damaged")
            key = self._key("damaged", name)
            self._set(key, self.read() or "")
            self._set(self._key("damaged"), json.dumps([*self._names("damaged"), name]))
        return key

    def forget_copies(self) -> None:
        with self.lock():
            for index, kind in (("backups", "backup"), ("damaged", "damaged")):
                for name in self._names(index):
                    self.kv.remove(self._key(kind, name))
                self.kv.remove(self._key(index))


def _reentrant(lock: threading.RLock) -> Callable[[], AbstractContextManager[None]]:
    @contextmanager
    def held() -> Iterator[None]:
        with lock:
            yield

    return held
