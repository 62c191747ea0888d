"""Use cases: load from the repository, apply the domain, save.

:class:`CareRecords` is built with a repository and a clock (``() -> aware
datetime``); nothing here reads the system clock or opens files, so the app, the
command line and the tests wire it the same way::

    records = CareRecords(open_repository(FileTextStore(folder)), clock=system_clock)

Every refusal is raised before anything is written, with a message fit for the
patient: :class:`~aftercare_app.domain.records.InvalidRecord` for bad input,
:class:`NoSession` / :class:`UnknownItem` from here, and
:class:`~aftercare_app.storage.errors.StorageError` (e.g. ``NotFound``) from storage.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from types import EllipsisType

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import (
    ChecklistTick,
    DiaryEntry,
    InvalidRecord,
    Profile,
    TreatmentSession,
    check_entry_in_session,
    require_aware,
)
from aftercare_app.domain.timeline import Treatment, recovery_day
from aftercare_app.domain.vocabulary import Area, Symptom, WarningSign
from aftercare_app.storage import ImportSummary, Repository, load_export

Clock = Callable[[], datetime]
FUTURE_GRACE = timedelta(minutes=5)


def system_clock() -> datetime:
    """The real time, aware (UTC); the one clock of the running app."""
    return datetime.now(timezone.utc)


def new_record_id(kind: str) -> str:
    """A fresh record id such as ``e_3f9a0c1b2d4e`` (``kind`` is ``s`` for sessions, ``e`` for entries)."""
    return f"{kind}_{secrets.token_hex(6)}"


def check_treatment_move(
    old: TreatmentSession,
    treated_at: datetime,
    *,
    now: datetime,
    entries: Iterable[DiaryEntry],
    sessions: Iterable[TreatmentSession],
) -> None:
    """Refuse (InvalidRecord) a corrected treatment time that is in the future, falls after one of the
    session's diary entries, or passes another session's treatment (the sessions keep their order)."""
    if treated_at > now + FUTURE_GRACE:
        raise InvalidRecord("The treatment time is in the future")
    first = min((e.at for e in entries if e.session_id == old.id), default=None)
    if first is not None and treated_at > first:
        local = first.astimezone(old.treated_at.tzinfo)
        raise InvalidRecord(
            f"The treatment cannot be after your first diary entry of this session ({local:%d %b %Y %H:%M}); "
            "choose an earlier time or delete that entry first"
        )
    others = [s for s in sessions if s.id != old.id]
    before = [s.treated_at for s in others if s.treated_at < old.treated_at]
    after = [s.treated_at for s in others if s.treated_at > old.treated_at]
    if (before and treated_at <= max(before)) or (after and treated_at >= min(after)):
        raise InvalidRecord("The treatment time would pass another session's; start a new session instead")


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


class CareRecords:
    """The patient's records: sessions, checklist ticks, diary, backups."""

    def __init__(
        self,
        repository: Repository,
        clock: Clock,
        *,
        protocol: Protocol | None = None,
        new_id: Callable[[str], str] = new_record_id,
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.protocol = protocol or default_protocol()
        self._new_id = new_id

    def now(self) -> datetime:
        return require_aware(self.clock(), "The clock")

    # -- profile and sessions -------------------------------------------------------------------

    def profile(self) -> Profile:
        return self.repository.get_profile() or Profile()

    def save_profile(self, profile: Profile) -> None:
        self.repository.save_profile(profile)

    def start_session(
        self,
        treated_at: datetime,
        *,
        area: Area | str | None = None,
        sensitive: bool | None = None,
        follow_up: date | None = None,
        clinic_phone: str | None = None,
        notes: str = "",
    ) -> TreatmentSession:
        """Record a new treatment session; it becomes the current one. Area, skin and phone go to the profile."""
        require_aware(treated_at, "The treatment time")
        if treated_at > self.now() + FUTURE_GRACE:
            raise InvalidRecord("The treatment time is in the future")
        profile = self.profile()
        changes: dict[str, object] = {}
        if area is not None:
            changes["area"] = Area(area)
        if sensitive is not None:
            changes["sensitive"] = sensitive
        if clinic_phone is not None:
            changes["clinic_phone"] = clinic_phone
        new_profile = replace(profile, **changes)  # validates before anything is saved
        session = TreatmentSession(
            id=self._new_id("s"),
            treated_at=treated_at,
            area=new_profile.area,
            sensitive=new_profile.sensitive,
            follow_up=follow_up,
            notes=notes,
        )
        self.repository.add_session(session)
        if new_profile != profile:
            self.repository.save_profile(new_profile)
        return session

    def edit_session(
        self,
        session_id: str,
        *,
        treated_at: datetime | None = None,
        area: Area | str | None = None,
        sensitive: bool | None = None,
        follow_up: date | None | EllipsisType = ...,
        notes: str | None = None,
    ) -> TreatmentSession:
        """Correct a recorded session: each field given replaces that field, the others stay.

        ``follow_up=None`` clears the follow-up date; leave it out to keep it. Refused, with nothing
        changed, when the new treatment time is in the future, after a diary entry of the session
        (the entry would fall before its treatment), or past another session's treatment (sessions
        keep their order, so the current one stays current).
        """
        old = self.repository.get_session(session_id)
        changes: dict[str, object] = {}
        if treated_at is not None:
            changes["treated_at"] = require_aware(treated_at, "The treatment time")
        if area is not None:
            changes["area"] = area
        if sensitive is not None:
            changes["sensitive"] = sensitive
        if follow_up is not ...:
            changes["follow_up"] = follow_up
        if notes is not None:
            changes["notes"] = notes
        session = replace(old, **changes)  # the record validates every field (follow-up after treatment ...)
        if session == old:
            return old
        if session.treated_at != old.treated_at:
            check_treatment_move(
                old, session.treated_at, now=self.now(),
                entries=self.repository.list_entries(old.id), sessions=self.repository.list_sessions(),
            )
        self.repository.save_session(session)
        return session

    def current_session(self) -> TreatmentSession:
        session = self.repository.current_session()
        if session is None:
            raise NoSession("No treatment session yet: add one first (when the treatment happened)")
        return session

    def day_of(self, session: TreatmentSession, at: datetime) -> int:
        """The 0-based recovery day of ``at`` in ``session`` (floor of hours since treatment / 24)."""
        return recovery_day(Treatment(session.treated_at, session.area, session.sensitive), at)

    def today(self) -> int:
        return self.day_of(self.current_session(), self.now())

    def session_at(self, at: datetime) -> TreatmentSession:
        """The session in force at ``at``: the latest one treated at or before it."""
        require_aware(at, "The entry time")
        sessions = self.repository.list_sessions()
        if not sessions:
            raise NoSession("No treatment session yet: add one first (when the treatment happened)")
        earlier = [s for s in sessions if s.treated_at <= at]
        if not earlier:
            raise InvalidRecord("The entry time is before the treatment")
        return earlier[-1]

    # -- checklist ------------------------------------------------------------------------------

    def _check_day(self, day: int) -> None:
        if isinstance(day, bool) or not isinstance(day, int) or day < 0:
            raise InvalidRecord("The day must be a whole number from 0")
        today = self.today()
        if day > today:
            raise InvalidRecord(f"Day {day} has not started yet (today is day {today})")

    def checklist(self, day: int | None = None) -> ChecklistDay:
        """The tasks of ``day`` (today when None) of the current session, with what is ticked."""
        session = self.current_session()
        day = self.today() if day is None else day
        if isinstance(day, bool) or not isinstance(day, int) or day < 0:
            raise InvalidRecord("The day must be a whole number from 0")
        done = {tick.item_id for tick in self.repository.list_ticks(session.id, day)}
        items = tuple(ChecklistItem(t.id, t.text, t.id in done) for t in tasks_for_day(self.protocol, day))
        return ChecklistDay(session.id, day, items)

    def _task_id(self, day: int, item_id: str) -> str:
        self._check_day(day)
        ids = [task.id for task in tasks_for_day(self.protocol, day)]
        if item_id not in ids:
            raise UnknownItem(f"{item_id!r} is not a task of day {day}; the tasks are: {', '.join(ids)}")
        return item_id

    def tick(self, day: int, item_id: str) -> ChecklistTick:
        session = self.current_session()
        tick = ChecklistTick(session.id, day, self._task_id(day, item_id), self.now())
        self.repository.set_tick(tick)
        return tick

    def untick(self, day: int, item_id: str) -> bool:
        """Untick a task; False if it was not ticked."""
        session = self.current_session()
        return self.repository.unset_tick(session.id, day, self._task_id(day, item_id))

    # -- diary ----------------------------------------------------------------------------------

    def add_entry(
        self,
        at: datetime,
        symptoms: Mapping[Symptom | str, int] | None = None,
        signs: Iterable[WarningSign | str] = (),
        note: str = "",
    ) -> DiaryEntry:
        """Record a diary entry in the session in force at ``at``; returns it once durably stored."""
        session = self.session_at(at)
        entry = DiaryEntry(self._new_id("e"), session.id, at, dict(symptoms or {}), frozenset(signs), note)
        check_entry_in_session(entry, session, self.now())
        self.repository.add_entry(entry)
        return entry

    def edit_entry(
        self,
        entry_id: str,
        *,
        at: datetime | None = None,
        symptoms: Mapping[Symptom | str, int] | None = None,
        signs: Iterable[WarningSign | str] | None = None,
        note: str | None = None,
    ) -> DiaryEntry:
        """Change an entry: each field given replaces that field, the others stay."""
        old = self.repository.get_entry(entry_id)
        new_at = old.at if at is None else at
        session = self.session_at(new_at) if at is not None else self.repository.get_session(old.session_id)
        entry = DiaryEntry(
            old.id,
            session.id,
            new_at,
            dict(old.symptoms if symptoms is None else symptoms),
            frozenset(old.signs if signs is None else signs),
            old.note if note is None else note,
        )
        check_entry_in_session(entry, session, self.now())
        self.repository.edit_entry(entry)
        return entry

    def delete_entry(self, entry_id: str) -> None:
        self.repository.delete_entry(entry_id)

    def entries(self, day: int | None = None) -> list[DiaryEntry]:
        """All entries in time order, or those of one recovery day of the current session."""
        if day is None:
            return self.repository.list_entries()
        return self.repository.list_entries(self.current_session().id, day)

    def entry_day(self, entry: DiaryEntry) -> int:
        return self.day_of(self.repository.get_session(entry.session_id), entry.at)

    # -- export and import ----------------------------------------------------------------------

    def export_backup(self) -> str:
        """Everything, as JSON text that :meth:`import_backup` restores."""
        return json.dumps(self.repository.export_all(self.now()), ensure_ascii=False, indent=1) + "\n"

    def import_backup(self, text: str) -> ImportSummary:
        """Replace everything with an export; a malformed file changes nothing (ImportRefused says why)."""
        return self.repository.import_all(load_export(text))

    def erase_all(self) -> None:
        """Forget everything recorded, backups included (the patient's "delete all data")."""
        self.repository.erase_all()
