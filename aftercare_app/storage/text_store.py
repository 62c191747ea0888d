"""The seam between the repository and the place its text lives.

The whole store is one JSON text. A :class:`TextStore` keeps that text, a few
rolling backups of it, and copies of damaged versions set aside. Two backends
implement it: :class:`~aftercare_app.storage.files.FileTextStore` (a folder on
disk: atomic replace, fsync, file lock) and
:class:`~aftercare_app.storage.key_value.KeyValueTextStore` (any get/set of
strings, such as the browser's localStorage in the in-browser build).
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class BackupInfo:
    """One rolling backup: its name within the backend and when it was taken."""

    name: str
    saved_at: datetime


@runtime_checkable
class TextStore(Protocol):
    """Durable storage of one text, with backups and a lock.

    ``write`` returns only once the text is durably stored, and either the old
    or the new text survives a crash at any moment, never a mix.
    """

    def read(self) -> str | None:
        """The stored text, or None when nothing was stored yet.

        Raises ValueError (e.g. UnicodeDecodeError) when the bytes are not text.
        """
        ...

    def write(self, text: str) -> None: ...

    def lock(self) -> AbstractContextManager[None]:
        """Exclusive access for a read-modify-write, across processes where the platform allows."""
        ...

    def save_backup(self, text: str, label: str = "") -> BackupInfo:
        """Keep ``text`` as the newest backup, dropping the oldest beyond the backend's limit."""
        ...

    def backups(self) -> list[BackupInfo]:
        """The backups, newest first."""
        ...

    def read_backup(self, name: str) -> str: ...

    def forget_copies(self) -> None:
        """Delete every backup and set-aside copy: only for the patient's own "delete all my data"."""
        ...

    def set_aside(self) -> str:
        """Keep a copy of the current (damaged) stored data where nothing overwrites it; say where."""
        ...


def backup_name(label: str = "") -> tuple[str, datetime]:
    """A backup name that sorts by time (nanoseconds, so two in a row never collide)."""
    stamp_ns = time.time_ns()
    saved_at = datetime.fromtimestamp(stamp_ns / 1e9, UTC)
    suffix = f"-{label}" if label else ""
    return f"{stamp_ns:020d}{suffix}", saved_at


def backup_time(name: str) -> datetime:
    """When the backup called ``name`` (see :func:`backup_name`) was taken."""
    stamp = name.split("-", 1)[0].split(".", 1)[0]
    return datetime.fromtimestamp(int(stamp) / 1e9, UTC)
