"""Use cases: the one door to the patient's records, for the screens, the command line and the exports.

:class:`CareRecords` is built with a repository and a clock (``() -> aware datetime``); nothing here reads the
system clock or opens files, so the app, the command line and the tests wire it the same way::

    records = CareRecords(open_repository(FileTextStore(folder)), clock=system_clock)

Records are built, given their id and validated here, once. Every refusal is raised before anything is written,
with a message fit for the patient: :class:`~aftercare_app.domain.records.InvalidRecord` for bad input,
:class:`NoSession` / :class:`UnknownItem` from here, and :class:`~aftercare_app.storage.errors.StorageError`
(e.g. ``NotFound``) from storage.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from types import EllipsisType

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import (
    FUTURE_GRACE,
    ChecklistTick,
    DiaryEntry,
    InvalidRecord,
    Profile,
    SymptomLevels,
    TreatmentSession,
    area_of,
    check_entry_in_session,
    check_follow_up,
    check_treatment_move,
    require_aware,
    signs_of,
    symptoms_of,
)
from aftercare_app.domain.report import AssessedEntry, FollowUpReport, assess_entries, build_report, patient_zone
from aftercare_app.domain.timeline import recovery_day, treatment_of
from aftercare_app.domain.vocabulary import Area, WarningSign
from aftercare_app.storage import FileTextStore, ImportSummary, Repository
from aftercare_app.storage.backup_file import MAX_BACKUP_BYTES, BackupPreview, read_backup_file

__all__ = [
    "MAX_BACKUP_BYTES",
    "BackupPreview",
    "CareError",
    "CareRecords",
    "ChecklistDay",
    "ChecklistItem",
    "Clock",
    "NoSession",
    "UnknownItem",
    "system_clock",
]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware (UTC): the one clock the running app and the command line read."""
    return datetime.now(UTC)


def new_record_id(kind: str) -> str:
    """A fresh record id such as ``e_3f9a0c1b2d4e`` (``kind`` is ``s`` for sessions, ``e`` for entries)."""
    return f"{kind}_{secrets.token_hex(6)}"


class CareError(ValueError):
    """A request the patient's records cannot satisfy; the message says why."""


class NoSession(CareError):
    """Nothing can be recorded before a treatment session is entered."""


class UnknownItem(CareError):
    """A checklist item that is not a task of that recovery day."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    done: bool


@dataclass(frozen=True)
class ChecklistDay:
    """The tasks of one recovery day of one session, and which are ticked."""

    session_id: str
    day: int
    items: tuple[ChecklistItem, ...]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def due(self) -> int:
        return len(self.items)


def _day_number(day: object) -> int:
    if isinstance(day, bool) or not isinstance(day, int) or day < 0:
        raise InvalidRecord("The day must be a whole number from 0")
    return day


class CareRecords:
    """The patient's records: profile, sessions, checklist ticks, diary, the follow-up report, backups."""

    def __init__(
        self,
        repository: Repository,
        clock: Clock,
        *,
        protocol: Protocol | None = None,
        new_id: Callable[[str], str] = new_record_id,
    ) -> None:
        self._repository = repository
        self._clock = clock
        self.protocol = protocol or default_protocol()
        self._new_id = new_id

    def now(self) -> datetime:
        return require_aware(self._clock(), "The clock")

    def startup_message(self) -> str:
        """What opening the store had to do that the patient must hear of (a recovery from a backup), or ''."""
        recovery = self._repository.startup.recovery
        return recovery.message if recovery is not None else ""

    # -- profile and sessions -------------------------------------------------------------------

    def profile(self) -> Profile:
        return self._repository.get_profile() or Profile()

    def has_profile(self) -> bool:
        return self._repository.get_profile() is not None

    def update_profile(
        self,
        *,
        area: Area | str | None = None,
        sensitive: bool | None = None,
        clinic_name: str | None = None,
        clinic_phone: str | None = None,
        timezone: str | None = None,
    ) -> Profile:
        """Change the fields given; the others stay. Refused (InvalidRecord, with its field) with nothing saved."""
        old = self.profile()
        profile = self._changed_profile(old, area, sensitive, clinic_name, clinic_phone, timezone)
        if profile != old or not self.has_profile():
            self._repository.save_profile(profile)
        return profile

    @staticmethod
    def _changed_profile(
        profile: Profile,
        area: Area | str | None,
        sensitive: bool | None,
        clinic_name: str | None,
        clinic_phone: str | None,
        timezone: str | None,
    ) -> Profile:
        return replace(  # the record validates every field
            profile,
            area=profile.area if area is None else area_of(area),
            sensitive=profile.sensitive if sensitive is None else sensitive,
            clinic_name=profile.clinic_name if clinic_name is None else clinic_name,
            clinic_phone=profile.clinic_phone if clinic_phone is None else clinic_phone,
            timezone=profile.timezone if timezone is None else timezone,
        )

    def sessions(self) -> list[TreatmentSession]:
        """Every session, oldest first; the last is the current one."""
        return self._repository.list_sessions()

    def session(self, session_id: str) -> TreatmentSession:
        return self._repository.get_session(session_id)

    def current_session(self) -> TreatmentSession:
        session = self._repository.current_session()
        if session is None:
            raise NoSession("No treatment session yet: add one first (when the treatment happened)")
        return session

    def has_session(self) -> bool:
        return self._repository.current_session() is not None

    def start_session(
        self,
        treated_at: datetime,
        *,
        area: Area | str | None = None,
        sensitive: bool | None = None,
        follow_up: date | None = None,
        clinic_name: str | None = None,
        clinic_phone: str | None = None,
        timezone: str | None = None,
        notes: str = "",
    ) -> TreatmentSession:
        """Record a new treatment session; it becomes the current one. Area, skin, clinic and zone go to the
        profile (those not given are kept from it)."""
        require_aware(treated_at, "The treatment time", "treated_at")
        if treated_at > self.now() + FUTURE_GRACE:
            raise InvalidRecord("The treatment cannot be in the future", "treated_at")
        old = self.profile()
        profile = self._changed_profile(old, area, sensitive, clinic_name, clinic_phone, timezone)
        session = TreatmentSession(
            id=self._new_id("s"),
            treated_at=treated_at,
            area=profile.area,
            sensitive=profile.sensitive,
            follow_up=follow_up,
            notes=notes,
        )
        check_follow_up(session)
        self._repository.add_session(session)
        if profile != old or not self.has_profile():
            self._repository.save_profile(profile)
        return session

    def edit_session(
        self,
        session_id: str,
        *,
        treated_at: datetime | None = None,
        area: Area | str | None = None,
        sensitive: bool | None = None,
        follow_up: date | EllipsisType | None = ...,
        notes: str | None = None,
    ) -> TreatmentSession:
        """Correct a recorded session: each field given replaces that field, the others stay.

        ``follow_up=None`` clears the follow-up date; leave it out to keep it. Refused, with nothing
        changed, when the new treatment time is in the future, after a diary entry of the session
        (the entry would fall before its treatment), or past another session's treatment (sessions
        keep their order, so the current one stays current).
        """
        old = self._repository.get_session(session_id)
        session = replace(  # the record validates every field (follow-up after treatment ...)
            old,
            treated_at=old.treated_at if treated_at is None else require_aware(treated_at, "The treatment time", "treated_at"),
            area=old.area if area is None else area_of(area),
            sensitive=old.sensitive if sensitive is None else sensitive,
            follow_up=old.follow_up if isinstance(follow_up, EllipsisType) else follow_up,
            notes=old.notes if notes is None else notes,
        )
        check_follow_up(session)
        if session == old:
            return old
        if session.treated_at != old.treated_at:
            check_treatment_move(
                old, session.treated_at, now=self.now(),
                entries=self._repository.list_entries(old.id), sessions=self._repository.list_sessions(),
            )
        self._repository.save_session(session)
        return session

    def day_of(self, session: TreatmentSession, at: datetime) -> int:
        """The 0-based recovery day of ``at`` in ``session`` (floor of hours since treatment / 24)."""
        return recovery_day(treatment_of(session), at)

    def today(self) -> int:
        return self.day_of(self.current_session(), self.now())

    def session_at(self, at: datetime) -> TreatmentSession:
        """The session in force at ``at``: the latest one treated at or before it."""
        require_aware(at, "The entry time", "at")
        sessions = self._repository.list_sessions()
        if not sessions:
            raise NoSession("No treatment session yet: add one first (when the treatment happened)")
        earlier = [s for s in sessions if s.treated_at <= at]
        if not earlier:
            raise InvalidRecord("The entry time is before the treatment", "at")
        return earlier[-1]

    # -- checklist ------------------------------------------------------------------------------

    def checklist(self, day: int | None = None) -> ChecklistDay:
        """The tasks of ``day`` (today when None) of the current session, with what is ticked."""
        session = self.current_session()
        day = self.today() if day is None else _day_number(day)
        done = {tick.item_id for tick in self._repository.list_ticks(session.id, day)}
        tasks = tasks_for_day(self.protocol, day, treatment_of(session))
        items = tuple(ChecklistItem(t.id, t.text, t.id in done) for t in tasks)
        return ChecklistDay(session.id, day, items)

    def ticks(self, session_id: str) -> list[ChecklistTick]:
        """Every tick of a session, by day."""
        return self._repository.list_ticks(session_id)

    def _task_id(self, day: int, item_id: str) -> str:
        today = self.today()
        if _day_number(day) > today:
            raise InvalidRecord(f"Day {day} has not started yet (today is day {today})")
        ids = [task.id for task in tasks_for_day(self.protocol, day, treatment_of(self.current_session()))]
        if item_id not in ids:
            raise UnknownItem(f"{item_id!r} is not a task of day {day}; the tasks are: {', '.join(ids)}")
        return item_id

    def tick(self, day: int, item_id: str) -> ChecklistTick:
        session = self.current_session()
        tick = ChecklistTick(session.id, day, self._task_id(day, item_id), self.now())
        self._repository.set_tick(tick)
        return tick

    def untick(self, day: int, item_id: str) -> bool:
        """Untick a task; False if it was not ticked."""
        session = self.current_session()
        return self._repository.unset_tick(session.id, day, self._task_id(day, item_id))

    def set_done(self, day: int, item_id: str, done: bool) -> None:
        """Tick or untick a task of the current session."""
        if done:
            self.tick(day, item_id)
        else:
            self.untick(day, item_id)

    # -- diary ----------------------------------------------------------------------------------

    def add_entry(
        self,
        at: datetime,
        symptoms: SymptomLevels | None = None,
        signs: Iterable[WarningSign | str] = (),
        note: str = "",
    ) -> DiaryEntry:
        """Record a diary entry in the session in force at ``at``; returns it once durably stored."""
        session = self.session_at(at)
        entry = DiaryEntry(self._new_id("e"), session.id, at, symptoms_of(symptoms or {}), signs_of(signs), note)
        check_entry_in_session(entry, session, self.now())
        self._repository.add_entry(entry)
        return entry

    def edit_entry(
        self,
        entry_id: str,
        *,
        at: datetime | None = None,
        symptoms: SymptomLevels | None = None,
        signs: Iterable[WarningSign | str] | None = None,
        note: str | None = None,
    ) -> DiaryEntry:
        """Change an entry: each field given replaces that field, the others stay."""
        old = self._repository.get_entry(entry_id)
        new_at = old.at if at is None else at
        session = self.session_at(new_at) if at is not None else self._repository.get_session(old.session_id)
        entry = DiaryEntry(
            old.id,
            session.id,
            new_at,
            old.symptoms if symptoms is None else symptoms_of(symptoms),
            old.signs if signs is None else signs_of(signs),
            old.note if note is None else note,
        )
        check_entry_in_session(entry, session, self.now())
        self._repository.edit_entry(entry)
        return entry

    def delete_entry(self, entry_id: str) -> None:
        self._repository.delete_entry(entry_id)

    def entry(self, entry_id: str) -> DiaryEntry:
        return self._repository.get_entry(entry_id)

    def entry_day(self, entry: DiaryEntry) -> int:
        """The 0-based recovery day of an entry within its session."""
        return self.day_of(self._repository.get_session(entry.session_id), entry.at)

    def entries(self, day: int | None = None, *, session_id: str | None = None) -> list[DiaryEntry]:
        """Entries in time order: all of them, one session's, or one recovery day of the current session."""
        if day is not None:
            return self._repository.list_entries(self.current_session().id, _day_number(day))
        return self._repository.list_entries(session_id)

    def assessed_entries(self, session_id: str) -> list[AssessedEntry]:
        """A session's entries in time order, each triaged with the entries before it as history."""
        session = self._repository.get_session(session_id)
        return assess_entries(self.protocol, treatment_of(session), self._repository.list_entries(session_id))

    # -- the follow-up report -------------------------------------------------------------------

    def report(self, session_id: str | None = None, *, now: datetime | None = None) -> FollowUpReport:
        """The follow-up report of ``session_id`` (default: the current session) as of ``now`` (default: the
        clock), its times in the patient's zone (see :func:`~aftercare_app.domain.report.patient_zone`)."""
        session = self._repository.get_session(session_id) if session_id else self.current_session()
        profile = self.profile()
        zone, zone_name = patient_zone(profile, session)
        now = now or self.now()
        return build_report(
            self.protocol,
            session,
            now=max(now, session.treated_at),  # a session recorded ahead of time reports as of its treatment
            entries=self._repository.list_entries(session.id),
            ticks=self._repository.list_ticks(session.id),
            sessions=self._repository.list_sessions(),
            profile=profile,
            zone=zone,
            zone_name=zone_name,
        )

    # -- export and import ----------------------------------------------------------------------

    def export_backup(self) -> str:
        """Everything, as JSON text that :meth:`import_backup` restores."""
        return json.dumps(self._repository.export_all(self.now()), ensure_ascii=False, indent=1) + "\n"

    def import_backup(self, text: str | bytes) -> ImportSummary:
        """Replace everything with an export; a malformed file changes nothing (ImportRefused says why)."""
        return self.restore_backup(self.read_backup(text))

    def read_backup(self, data: str | bytes) -> BackupPreview:
        """What the backup file ``data`` holds, checked as a restore checks it; reads and writes nothing stored.

        Refused with one :class:`~aftercare_app.storage.errors.ImportRefused` saying why: larger than
        :data:`MAX_BACKUP_BYTES`, not text, not JSON, not an export of this app, of an unknown or newer schema, or
        any record that is not one the app could have written (wrong types, malformed or unknown ids, an entry
        outside its session, a time in the future or before 2000, a task the checklist does not have).
        """
        tasks = frozenset(task.id for task in self.protocol.tasks)
        return read_backup_file(data, latest=self.now() + FUTURE_GRACE, tasks=tasks)

    def restore_backup(self, backup: BackupPreview) -> ImportSummary:
        """Replace everything with a checked backup; the data it replaces is kept as a backup of the store."""
        return self._repository.import_all(backup.document)

    def stored_in_folder(self) -> str | None:
        """The folder holding the records when they are files on this computer (the served app); else None."""
        store = getattr(self._repository, "store", None)
        return str(store.folder) if isinstance(store, FileTextStore) else None

    def erase_all(self) -> None:
        """Forget everything recorded, backups included (the patient's "delete all data")."""
        self._repository.erase_all()
