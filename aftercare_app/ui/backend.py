"""What the screens need from storage, as one small interface in domain types.

The screens never see TinyDB: they call a :class:`Backend`. :class:`RecordsBackend`
is the real one, on the services' :class:`~aftercare_app.services.CareRecords`;
:class:`MemoryBackend` behaves the same in memory, for tests and benchmarks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from aftercare_app.domain.records import (
    ChecklistTick,
    DiaryEntry,
    InvalidRecord,
    Profile,
    TreatmentSession,
    check_entry_in_session,
)

__all__ = ["Backend", "MemoryBackend", "RecordsBackend", "open_backend"]


class Backend(Protocol):
    def profile(self) -> Profile | None: ...
    def save_profile(self, profile: Profile) -> None: ...
    def sessions(self) -> list[TreatmentSession]: ...  # oldest first; the last is current
    def start_session(self, draft: TreatmentSession, profile: Profile) -> TreatmentSession: ...
    def edit_session(self, corrected: TreatmentSession) -> TreatmentSession: ...  # same id; refusals as the services'
    def ticks(self, session_id: str) -> list[ChecklistTick]: ...
    def set_tick(self, day: int, item_id: str, done: bool) -> None: ...  # on the current session
    def entries(self, session_id: str) -> list[DiaryEntry]: ...  # oldest first
    def add_entry(self, draft: DiaryEntry) -> DiaryEntry: ...
    def edit_entry(self, draft: DiaryEntry) -> DiaryEntry: ...
    def delete_entry(self, entry_id: str) -> None: ...
    def delete_all(self) -> None: ...
    def startup_message(self) -> str: ...  # a recovery to tell the patient about, or ""
    def export_backup(self) -> str: ...  # everything, as the JSON the app can import again


class MemoryBackend:
    """Everything in memory, with the same refusals as the stored backend."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock
        self.delete_all()

    def delete_all(self) -> None:
        self._profile: Profile | None = None
        self._sessions: dict[str, TreatmentSession] = {}
        self._ticks: dict[tuple[str, int, str], ChecklistTick] = {}
        self._entries: dict[str, DiaryEntry] = {}

    def startup_message(self) -> str:
        return ""

    def export_backup(self) -> str:
        raise InvalidRecord("This copy of the app keeps nothing on disk, so there is no backup to save")

    def _now(self) -> datetime:

        return self.clock() if self.clock else datetime.now(UTC)

    def profile(self) -> Profile | None:
        return self._profile

    def save_profile(self, profile: Profile) -> None:
        self._profile = profile

    def sessions(self) -> list[TreatmentSession]:
        return sorted(self._sessions.values(), key=lambda s: s.treated_at)

    def start_session(self, draft: TreatmentSession, profile: Profile) -> TreatmentSession:
        session = replace(draft, id=draft.id or uuid.uuid4().hex[:12])
        self._sessions[session.id] = session
        self._profile = profile
        return session

    def edit_session(self, corrected: TreatmentSession) -> TreatmentSession:
        from aftercare_app.services import check_treatment_move

        old = self._sessions[corrected.id]
        if corrected.treated_at != old.treated_at:
            check_treatment_move(old, corrected.treated_at, now=self._now(), entries=self._entries.values(), sessions=self.sessions())
        self._sessions[corrected.id] = corrected
        return corrected

    def ticks(self, session_id: str) -> list[ChecklistTick]:
        return [t for t in self._ticks.values() if t.session_id == session_id]

    def set_tick(self, day: int, item_id: str, done: bool) -> None:
        session = self.sessions()[-1]
        if done:
            self._ticks[(session.id, day, item_id)] = ChecklistTick(session.id, day, item_id, self._now())
        else:
            self._ticks.pop((session.id, day, item_id), None)

    def entries(self, session_id: str) -> list[DiaryEntry]:
        return sorted((e for e in self._entries.values() if e.session_id == session_id), key=lambda e: e.at)

    def add_entry(self, draft: DiaryEntry) -> DiaryEntry:
        check_entry_in_session(draft, self._sessions[draft.session_id], self._now())
        self._entries[draft.id] = draft
        return draft

    def edit_entry(self, draft: DiaryEntry) -> DiaryEntry:
        if draft.id not in self._entries:
            raise InvalidRecord("That entry no longer exists")
        self._entries[draft.id] = draft
        return draft

    def delete_entry(self, entry_id: str) -> None:
        self._entries.pop(entry_id, None)


class RecordsBackend:
    """The stored backend: the services' use cases over the TinyDB repository."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.repository = records.repository

    def startup_message(self) -> str:
        recovery = getattr(getattr(self.repository, "startup", None), "recovery", None)
        return recovery.message if recovery is not None else ""

    def profile(self) -> Profile | None:
        return self.repository.get_profile()

    def save_profile(self, profile: Profile) -> None:
        self.records.save_profile(profile)

    def sessions(self) -> list[TreatmentSession]:
        return sorted(self.repository.list_sessions(), key=lambda s: s.treated_at)

    def start_session(self, draft: TreatmentSession, profile: Profile) -> TreatmentSession:
        # The profile (clinic name, timezone) first: start_session keeps the rest of it.
        self.records.save_profile(profile)
        return self.records.start_session(
            draft.treated_at,
            area=draft.area,
            sensitive=draft.sensitive,
            follow_up=draft.follow_up,
            clinic_phone=profile.clinic_phone,
            notes=draft.notes,
        )

    def edit_session(self, corrected: TreatmentSession) -> TreatmentSession:
        return self.records.edit_session(
            corrected.id,
            treated_at=corrected.treated_at,
            area=corrected.area,
            sensitive=corrected.sensitive,
            follow_up=corrected.follow_up,
            notes=corrected.notes,
        )

    def ticks(self, session_id: str) -> list[ChecklistTick]:
        return self.repository.list_ticks(session_id)

    def set_tick(self, day: int, item_id: str, done: bool) -> None:
        if done:
            self.records.tick(day, item_id)
        else:
            self.records.untick(day, item_id)

    def entries(self, session_id: str) -> list[DiaryEntry]:
        return self.repository.list_entries(session_id)

    def add_entry(self, draft: DiaryEntry) -> DiaryEntry:
        return self.records.add_entry(draft.at, dict(draft.symptoms), draft.signs, draft.note)

    def edit_entry(self, draft: DiaryEntry) -> DiaryEntry:
        return self.records.edit_entry(draft.id, symptoms=dict(draft.symptoms), signs=draft.signs, note=draft.note)

    def delete_entry(self, entry_id: str) -> None:
        self.records.delete_entry(entry_id)

    def export_backup(self) -> str:
        return self.records.export_backup()

    def delete_all(self) -> None:
        self.records.erase_all()


def open_backend(data_dir: str | Path | None = None, clock: Callable[[], datetime] | None = None) -> Backend:
    """The stored backend in ``data_dir`` (default: ``AFTERCARE_DATA_DIR``, else the user's data folder)."""
    from aftercare_app.services import CareRecords, system_clock
    from aftercare_app.storage import FileTextStore, default_data_dir, open_repository

    folder = Path(data_dir) if data_dir else default_data_dir()
    return RecordsBackend(CareRecords(open_repository(FileTextStore(folder)), clock or system_clock))
