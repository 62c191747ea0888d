"""A backup file from outside, checked whole before anything is restored.

A backup is hostile until it passes here: its size, its encoding, its JSON, its schema (the import's own check,
:func:`~aftercare_app.storage.repository.read_export`) and what only the app knows about its records (the clock, the
checklist). A refusal is one :class:`~aftercare_app.storage.errors.ImportRefused` saying why; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from aftercare_app.domain.records import InvalidRecord, check_follow_up
from aftercare_app.storage.errors import ImportRefused
from aftercare_app.storage.repository import ExportContents, load_export, read_export

__all__ = ["EARLIEST_RECORD", "MAX_BACKUP_BYTES", "BackupPreview", "read_backup_file"]

#: The largest backup file the app restores (a year of daily entries with long notes is far below it).
MAX_BACKUP_BYTES = 5 * 1024 * 1024
#: The earliest instant a restored record may carry: older is a damaged or made-up file, not a treatment.
EARLIEST_RECORD = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BackupPreview:
    """A backup file that would restore: what it holds, to show before the patient confirms."""

    contents: ExportContents
    document: Mapping[str, object]
    size: int

    @property
    def exported_at(self) -> datetime | None:
        try:
            value = datetime.fromisoformat(self.contents.exported_at or "")
        except ValueError:
            return None
        return value if value.tzinfo is not None else None


def read_backup_file(data: str | bytes, *, latest: datetime, tasks: frozenset[str]) -> BackupPreview:
    """What the backup file ``data`` holds, refused unless every record is one the app could have written: no
    time after ``latest`` or before 2000, no checklist tick of a task outside ``tasks``."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BACKUP_BYTES:
        raise ImportRefused("The file is too large to be a backup of this app (over 5 MB); nothing was changed")
    if not raw.strip():
        raise ImportRefused("The file is empty; nothing was changed")
    try:
        text = raw.decode("utf-8-sig")  # an editor may have added a byte-order mark
    except UnicodeDecodeError:
        raise ImportRefused("The file is not a backup of this app (it is not text); nothing was changed") from None
    try:
        document = load_export(text)
    except RecursionError:
        raise ImportRefused("The file is not valid JSON (it is nested too deeply); nothing was changed") from None
    contents = read_export(document)
    _check_records(contents, latest, tasks)
    return BackupPreview(contents, document, len(raw))


def _check_records(contents: ExportContents, latest: datetime, tasks: frozenset[str]) -> None:
    def plausible(at: datetime, where: str) -> None:
        if not EARLIEST_RECORD <= at <= latest:
            when = "in the future" if at > latest else "before 2000"
            raise ImportRefused(f"{where} is dated {when} ({at.isoformat()}); nothing was changed")

    for number, session in enumerate(contents.sessions, 1):
        plausible(session.treated_at, f"Session {number} of the file")
        try:
            check_follow_up(session)
        except InvalidRecord as exc:
            raise ImportRefused(f"Session {number} of the file is invalid: {exc}; nothing was changed") from None
    for number, tick in enumerate(contents.ticks, 1):
        plausible(tick.ticked_at, f"Checklist tick {number} of the file")
        if tick.item_id not in tasks:
            raise ImportRefused(
                f"Checklist tick {number} of the file is of a task this app does not know ({tick.item_id!r}); "
                "nothing was changed"
            )
    for number, entry in enumerate(contents.entries, 1):
        plausible(entry.at, f"Diary entry {number} of the file")
