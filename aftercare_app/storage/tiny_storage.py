"""TinyDB's Storage over a :class:`~aftercare_app.storage.text_store.TextStore`.

TinyDB reads the whole store before every operation and writes it whole after
every change. This storage keeps that contract honest and cheap:

- every ``read`` rereads the text, so a write by another process is never
  missed (reread-before-write; the repository holds the lock around it);
- the text is parsed only when it differs from the text last seen, so a
  process appending to its own store does not parse it again each time;
- every ``write`` goes through the text store (atomic, durable), and the state
  it replaces is kept as a backup on the first write of each open and then at
  most once per ``backup_every`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tinydb.storages import Storage

from aftercare_app.storage.documents import SCHEMA_VERSION
from aftercare_app.storage.errors import SaveFailed, StoreUnreadable
from aftercare_app.storage.schema import Tables, check_version, decode_store, encode_store
from aftercare_app.storage.text_store import TextStore

BACKUP_EVERY_SECONDS = 3600.0


class TextStoreStorage(Storage):
    """Atomic, locked, backed-up TinyDB storage; the backend is any TextStore."""

    def __init__(
        self,
        text_store: TextStore,
        *,
        backup_every: float = BACKUP_EVERY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.text_store = text_store
        self._backup_every = backup_every
        self._monotonic = monotonic
        self._last_backup: float | None = None
        self._seen_text: str | None = None
        self._seen_tables: Tables | None = None

    def read(self) -> Tables | None:
        try:
            text = self.text_store.read()
        except ValueError:
            self.forget()
            raise StoreUnreadable("The saved data is damaged (not valid text). Restart the app to recover it.") from None
        if text is None:
            self.forget()
            return None
        if text == self._seen_text:
            return self._seen_tables
        version, tables = decode_store(text)
        check_version(version)
        if version != SCHEMA_VERSION:
            raise StoreUnreadable("The saved data was changed by an older version of the app. Restart the app.")
        self._seen_text, self._seen_tables = text, tables
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        text = encode_store(data)
        try:
            self._backup_if_due()
            self.text_store.write(text)
        except BaseException:
            self.forget()
            raise
        self._seen_text, self._seen_tables = text, data

    def forget(self) -> None:
        """Drop the parsed copy (after a failed write it may hold changes that were not saved)."""
        self._seen_text = self._seen_tables = None

    def _backup_if_due(self) -> None:
        now = self._monotonic()
        if self._seen_text is None:
            return
        if self._last_backup is not None and now - self._last_backup < self._backup_every:
            return
        try:
            self.text_store.save_backup(self._seen_text)
        except SaveFailed:
            # A routine backup that does not fit must not stop the patient from saving;
            # it is tried again on the next write.
            return
        self._last_backup = now
