"""A synchronous key-value mirror of an asynchronous one, such as Flet's ``SharedPreferences``.

The repository is synchronous (TinyDB); in the browser, localStorage is reached
from Python only through Flet's async ``SharedPreferences``. The mirror loads the
app's keys once, serves reads from memory and queues writes, which
:meth:`PreferencesMirror.flush` sends in the order they were made. Wiring in the
in-browser build::

    prefs = ft.SharedPreferences()  # keep a reference to the service
    mirror = await PreferencesMirror.load(prefs)
    records = CareRecords(open_repository(KeyValueTextStore(mirror)), clock)
    ...
    await mirror.refresh()          # before a use case: another tab may have written
    records.add_entry(...)
    await mirror.flush()            # the entry is stored once this returns

A ``flush`` that the browser refuses (quota) raises
:class:`~aftercare_app.storage.errors.SaveFailed` and keeps the writes queued.
"""

from __future__ import annotations

from typing import Any, Protocol

from aftercare_app.storage.errors import SaveFailed


class AsyncPreferences(Protocol):
    """The part of ``ft.SharedPreferences`` the mirror uses."""

    async def get(self, key: str) -> Any: ...
    async def set(self, key: str, value: Any) -> bool: ...
    async def remove(self, key: str) -> bool: ...
    async def get_keys(self, key_prefix: str) -> list[str]: ...


class PreferencesMirror:
    """A :class:`~aftercare_app.storage.key_value.KeyValue` in memory, written back by :meth:`flush`."""

    def __init__(self, prefs: AsyncPreferences, prefix: str = "aftercare") -> None:
        self.prefs = prefs
        self.prefix = prefix
        self._items: dict[str, str] = {}
        self._pending: dict[str, str | None] = {}  # key -> value to set, or None to remove

    @classmethod
    async def load(cls, prefs: AsyncPreferences, prefix: str = "aftercare") -> PreferencesMirror:
        mirror = cls(prefs, prefix)
        for key in await prefs.get_keys(prefix):
            value = await prefs.get(key)
            if isinstance(value, str):
                mirror._items[key] = value
        return mirror

    @property
    def has_pending_writes(self) -> bool:
        return bool(self._pending)

    def get(self, key: str) -> str | None:
        return self._items.get(key)

    def set(self, key: str, value: str) -> None:
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("only strings are stored")
        self._items[key] = value
        self._pending.pop(key, None)  # keep the queue in the order of the latest writes
        self._pending[key] = value

    def remove(self, key: str) -> None:
        self._items.pop(key, None)
        self._pending.pop(key, None)
        self._pending[key] = None

    async def flush(self) -> None:
        """Send the queued writes in order; SaveFailed (writes kept queued) if the browser refuses one."""
        while self._pending:
            key, value = next(iter(self._pending.items()))
            try:
                ok = await (self.prefs.remove(key) if value is None else self.prefs.set(key, value))
            except Exception as exc:  # the refusal arrives as whatever the bridge raises
                raise SaveFailed("The browser refused to save (its storage may be full); export your data.") from exc
            if ok is False and value is not None:
                raise SaveFailed("The browser refused to save (its storage may be full); export your data.")
            if self._pending.get(key, ...) == value:
                del self._pending[key]

    async def refresh(self, *keys: str) -> None:
        """Reread ``keys`` (default: the store) unless this mirror has writes still to send."""
        if self._pending:
            return
        for key in keys or (f"{self.prefix}.store",):
            value = await self.prefs.get(key)
            if isinstance(value, str):
                self._items[key] = value
            else:
                self._items.pop(key, None)
