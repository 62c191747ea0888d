"""What happens to the store when the app starts: recover a damaged store, migrate an old one.

A store that cannot be read is never overwritten before a copy of it is set
aside; the newest backup that reads is restored, and the caller gets a
:class:`RecoveryReport` whose ``message`` tells the patient what happened. A
store of an older schema is backed up, then migrated. A store of a newer
schema is left alone (:class:`~aftercare_app.storage.errors.StoreTooNew`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aftercare_app.storage.documents import SCHEMA_VERSION
from aftercare_app.storage.errors import StoreTooNew, StoreUnreadable
from aftercare_app.storage.schema import check_version, decode_store, encode_store, migrate
from aftercare_app.storage.text_store import TextStore


@dataclass(frozen=True)
class RecoveryReport:
    """A damaged store was set aside and, if possible, an earlier good state restored."""

    reason: str
    damaged_copy: str
    restored_from: str | None
    restored_saved_at: datetime | None

    @property
    def message(self) -> str:
        """What to tell the patient, in plain words."""
        head = f"Your saved data could not be read: {self.reason}."
        kept = f" The damaged data was kept aside ({self.damaged_copy}), nothing was deleted."
        if self.restored_saved_at is None:
            return head + " There was no earlier copy, so the app starts empty; import an export if you have one." + kept
        when = self.restored_saved_at.strftime("%Y-%m-%d %H:%M UTC")
        return head + f" The copy saved on {when} was restored; anything entered after that may be missing." + kept


@dataclass(frozen=True)
class StartupReport:
    """What start-up did to the store: nothing, a recovery, a migration, or both."""

    recovery: RecoveryReport | None = None
    migrated_from: int | None = None


def _version(text: str | None) -> int | None:
    """The schema of ``text`` (None for no store); StoreUnreadable if it is not a store."""
    if text is None:
        return None
    return decode_store(text)[0]


def _read(store: TextStore) -> str | None:
    try:
        return store.read()
    except ValueError:
        raise StoreUnreadable("the saved data is damaged (not valid text)") from None


def _needs_work(store: TextStore) -> bool:
    try:
        version = _version(_read(store))
    except StoreUnreadable:
        return True
    if version is not None:
        check_version(version)
    return version is not None and version < SCHEMA_VERSION


def prepare(store: TextStore) -> StartupReport:
    """Bring ``store`` to a readable store of the current schema; say what was done."""
    if not _needs_work(store):  # the usual case: no lock, nothing written
        return StartupReport()
    with store.lock():
        recovery = None
        try:
            text = _read(store)
            version = _version(text)
        except StoreUnreadable as exc:
            recovery = _recover(store, str(exc))
            text = _read(store)
            version = _version(text)
        migrated_from = None
        if text is not None and version is not None and version < SCHEMA_VERSION:
            store.save_backup(text, label=f"before-migration-from-v{version}")
            tables = migrate(decode_store(text)[1], version)
            store.write(encode_store(tables))
            migrated_from = version
    return StartupReport(recovery, migrated_from)


def _recover(store: TextStore, reason: str) -> RecoveryReport:
    damaged = store.set_aside()
    for backup in store.backups():
        try:
            text = store.read_backup(backup.name)
            check_version(_version(text) or SCHEMA_VERSION)
        except (StoreUnreadable, StoreTooNew, ValueError, OSError, KeyError):
            continue
        store.write(text)
        return RecoveryReport(reason, damaged, backup.name, backup.saved_at)
    store.write(encode_store({}))
    return RecoveryReport(reason, damaged, None, None)
