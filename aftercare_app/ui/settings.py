"""Settings of this device rather than of the patient's records (the theme; in the served app, the browser's zone):
remembered per browser, never in the diary's store or its backups."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Protocol

from aftercare_app.storage.files import atomic_write
from aftercare_app.ui.tabs import TabSync

__all__ = ["PREFIX", "BrowserPreferences", "DeviceSettings", "FolderSettings", "MemorySettings"]

PREFIX = "aftercare."


class DeviceSettings(Protocol):
    async def recall(self, name: str) -> str | None: ...

    async def remember(self, name: str, value: str) -> None: ...


class MemorySettings:
    """Settings that last as long as the page (tests, and apps with nowhere to keep them)."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})

    async def recall(self, name: str) -> str | None:
        return self.values.get(name)

    async def remember(self, name: str, value: str) -> None:
        self.values[name] = value


class BrowserPreferences:
    """The browser's localStorage through Flet's ``SharedPreferences`` (a round trip to the client each call)."""

    def __init__(self, preferences: Any) -> None:
        self._preferences = preferences  # the service lives while it is referenced

    async def recall(self, name: str) -> str | None:
        try:
            value = await asyncio.wait_for(self._preferences.get(PREFIX + name), timeout=3)
        except Exception:  # noqa: BLE001 - no client storage (some embedders): the setting is simply unknown
            return None
        return value if isinstance(value, str) and value else None

    async def remember(self, name: str, value: str) -> None:
        await self._preferences.set(PREFIX + name, value)


class FolderSettings:
    """Settings in a small JSON file of the device's own folder: read without a round trip to the client (the
    offline build keeps it in the persistent folder, beside the records); written inside ``tabs.writing()``,
    so tabs never write over each other's."""

    def __init__(self, path: Path, tabs: TabSync) -> None:
        self._path = path
        self._tabs = tabs

    def _all(self) -> dict[str, str]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none saved yet, or not ours: no settings
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}

    async def recall(self, name: str) -> str | None:
        return self._all().get(name)

    async def remember(self, name: str, value: str) -> None:
        async with self._tabs.writing():
            values = {**self._all(), name: value}
            atomic_write(self._path, json.dumps(values, ensure_ascii=False, sort_keys=True).encode("utf-8"))

