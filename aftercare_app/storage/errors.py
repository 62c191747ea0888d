"""What can go wrong with stored data, each with a message fit to show the patient."""

from __future__ import annotations


class StorageError(Exception):
    """Stored data could not be read or written; the message says why in plain words."""


class NotFound(StorageError):
    """A record the caller named does not exist."""


class StoreUnreadable(StorageError):
    """The stored text is not a store this version can read (damaged, truncated, not ours)."""


class StoreTooNew(StorageError):
    """The data was saved by a newer version of the app; this one must not touch it."""


class SaveFailed(StorageError):
    """The backend refused a write (disk or browser storage full...); nothing was changed."""


class ImportRefused(StorageError):
    """A backup file that cannot be imported; nothing was changed."""
