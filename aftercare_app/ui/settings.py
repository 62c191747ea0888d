"""Settings of this device rather than of the patient's records (the theme; in the served app, the browser's zone):
remembered per browser, never in the diary's store or its backups."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

__all__ = ["PREFIX", "BrowserPreferences", "DeviceSettings", "MemorySettings"]

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
