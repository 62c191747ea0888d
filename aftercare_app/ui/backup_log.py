"""When this device last saved a backup file, and the day the backup reminder was last put off.

Both are facts about this browser rather than about the records, so they live in the device's settings (see
:mod:`aftercare_app.ui.settings`), never in the store or its backups: a backup file is saved from a browser, and
putting the reminder off on one device says nothing about another. Read once when the app starts; each change is
kept in memory at once and remembered on the device in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, datetime

from aftercare_app.ui.settings import DeviceSettings, MemorySettings

__all__ = ["DISMISSED_KEY", "SAVED_KEY", "BackupLog"]

SAVED_KEY = "backup_saved_at"
DISMISSED_KEY = "backup_reminder_dismissed"


def _instant(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


class BackupLog:
    def __init__(
        self, settings: DeviceSettings | None = None, *, saved_at: datetime | None = None, dismissed_on: date | None = None
    ) -> None:
        self._settings = settings or MemorySettings()
        self.saved_at = saved_at
        self.dismissed_on = dismissed_on

    @classmethod
    async def load(cls, settings: DeviceSettings) -> BackupLog:
        """What ``settings`` remember; anything unreadable there counts as never."""
        saved, dismissed = None, None
        with contextlib.suppress(Exception):  # the device's storage is out of reach: nothing is known yet
            saved, dismissed = await asyncio.gather(settings.recall(SAVED_KEY), settings.recall(DISMISSED_KEY))
        return cls(settings, saved_at=_instant(saved), dismissed_on=_day(dismissed))

    async def _remember(self, name: str, value: str) -> None:
        with contextlib.suppress(Exception):  # not remembered on the device: still true for this page
            await self._settings.remember(name, value)

    async def note_saved(self, at: datetime) -> None:
        """A backup holding every record up to ``at`` exists (saved, or restored from)."""
        if self.saved_at is None or at > self.saved_at:
            self.saved_at = at
            await self._remember(SAVED_KEY, at.isoformat())

    async def note_dismissed(self, on: date) -> None:
        self.dismissed_on = on
        await self._remember(DISMISSED_KEY, on.isoformat())

    async def forget(self) -> None:
        """After "Delete all data": no backup holds the data there will be."""
        self.saved_at, self.dismissed_on = None, None
        await self._remember(SAVED_KEY, "")
        await self._remember(DISMISSED_KEY, "")
