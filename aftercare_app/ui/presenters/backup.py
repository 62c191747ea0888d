"""Words about the patient's backups: where the data is kept and whether the browser may clear it, when the last
backup was saved, when to remind the patient to save one, and what a restore would replace."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from aftercare_app.services import BackupPreview
from aftercare_app.storage import ImportSummary
from aftercare_app.ui.presenters.wording import format_day_time

__all__ = [
    "REMINDER_AFTER",
    "BackupReminder",
    "StoragePlace",
    "backup_reminder",
    "last_backup_text",
    "refusal_text",
    "restore_question",
    "restored_text",
    "storage_lines",
    "unsaved_since",
]

#: How long records may go without a backup before Today reminds the patient (once a day, until one is saved).
REMINDER_AFTER = timedelta(days=7)
ENTRY = ("diary entry", "diary entries")


@dataclass(frozen=True)
class StoragePlace:
    """Where the records live and whether they may be cleared without the patient asking.

    ``kind`` is ``"browser"`` (the installable build: the browser's site data, which it may evict unless storage is
    persistent), ``"folder"`` (the served app: files in a folder on the computer running it) or ``"unknown"``.
    """

    kind: str
    persisted: bool | None = None  # the browser's answer to navigator.storage.persisted(); None: it does not say
    folder: str = ""
    usage: int | None = None  # bytes of this site's storage in use, as the browser estimates it
    safari: bool = False  # Safari (or any iPhone/iPad browser): site data unused for 7 days may be deleted


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _size(usage: int) -> str:
    if usage < 1024 * 1024:
        return f"{max(1, round(usage / 1024))} kB"
    return f"{usage / 1024 / 1024:.1f} MB"


def storage_lines(place: StoragePlace | None) -> tuple[str, ...]:
    """What Settings says about where the data is kept: first whether it is kept for good, then what to do."""
    if place is None:
        return ("Checking how this browser keeps your data…",)
    if place.kind == "folder":
        where = f" ({place.folder})" if place.folder else ""
        return (
            f"Your data is kept in a folder on this computer{where}, not in the browser: clearing the browser "
            "does not delete it.",
            "Save a backup to keep a copy somewhere else too.",
        )
    if place.kind != "browser":
        return ("Your data is kept on this device only. Save a backup to keep a copy somewhere else.",)
    if place.persisted is True:
        lines = ["Persistent storage: on. This browser will not clear the app's data to free space."]
    elif place.persisted is False:
        lines = [
            "Persistent storage: off. This browser may clear the app's data when the device runs low on space; "
            "save a backup now and then."
        ]
    else:
        lines = ["This browser does not say whether it keeps the app's data for good; save a backup now and then."]
    if place.usage:
        lines.append(f"The app and its data take {_size(place.usage)} of this browser's storage.")
    if place.safari:
        lines.append(
            "Safari may delete the data of a site you have not opened for 7 days; an app added to the Home Screen "
            "keeps its data, but apart from Safari's. To move your diary, save a backup here and restore it there."
        )
    return tuple(lines)


def last_backup_text(saved_at: datetime | None, now: datetime, zone: tzinfo) -> str:
    if saved_at is None:
        return "No backup saved from this device yet."
    return f"Last backup saved {format_day_time(saved_at, zone, now)}."


def unsaved_since(record_times: Iterable[datetime], saved_at: datetime | None) -> datetime | None:
    """The time of the oldest record not in the last backup (entries and ticks after it), or None."""
    later = [t for t in record_times if saved_at is None or t > saved_at]
    return min(later, default=None)


@dataclass(frozen=True)
class BackupReminder:
    title: str
    text: str


def backup_reminder(
    record_times: Iterable[datetime],
    saved_at: datetime | None,
    dismissed_on: date | None,
    now: datetime,
    zone: tzinfo,
    *,
    in_browser: bool = True,
) -> BackupReminder | None:
    """A reminder once the oldest record in no backup is 7 days old; none on a day it was dismissed."""
    oldest = unsaved_since(record_times, saved_at)
    if oldest is None or now - oldest < REMINDER_AFTER:
        return None
    if dismissed_on is not None and dismissed_on >= now.astimezone(zone).date():
        return None
    days = (now - oldest).days
    where = "only in this browser" if in_browser else "only on this computer"
    since = "No backup was saved yet" if saved_at is None else f"Your last backup is from {format_day_time(saved_at, zone, now)}"
    return BackupReminder(
        "Save a backup of your diary",
        f"{since}: your entries of the last {days} days are kept {where}. A backup file keeps a copy if this data is "
        "lost.",
    )


def restore_question(
    preview: BackupPreview, current: tuple[int, int], now: datetime, zone: tzinfo
) -> tuple[str, ...]:
    """What confirming a restore does: what the file holds and what it replaces (``current``: sessions, entries)."""
    held = preview.contents
    saved = f" saved {format_day_time(preview.exported_at, zone, now)}" if preview.exported_at else ""
    lines = [
        f"The backup{saved} holds {_plural(len(held.sessions), 'session')}, {_plural(len(held.entries), *ENTRY)}"
        f" and {_plural(len(held.ticks), 'ticked task')}."
    ]
    sessions, entries = current
    if sessions or entries:
        lines.append(
            f"It replaces everything in the app now ({_plural(sessions, 'session')}, "
            f"{_plural(entries, *ENTRY)})."
        )
        lines.append("A copy of what it replaces is kept on this device; save a backup first to keep it as a file too.")
    return tuple(lines)


def restored_text(summary: ImportSummary) -> str:
    entries = _plural(summary.entries, *ENTRY)
    return f"Backup restored: {_plural(summary.sessions, 'session')}, {entries}, {_plural(summary.ticks, 'ticked task')}."


def refusal_text(message: str) -> str:
    """A refusal as one sentence: capitalised, ending with a full stop."""
    message = message.strip()
    if not message:
        return "The file was not restored; nothing was changed."
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."
