"""Recoveries to report on: a session with days of diary entries and ticks, made to measure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from dateutil import tz

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.records import ChecklistTick, DiaryEntry, Profile, TreatmentSession
from aftercare_app.domain.report import FollowUpReport, build_report
from aftercare_app.domain.vocabulary import Area, Symptom, WarningSign
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.storage.repository import TinyRepository

PARIS = tz.gettz("Europe/Paris")
TREATED = datetime(2026, 3, 20, 10, 30, tzinfo=PARIS)  # the week before the DST change

# A normal recovery: (redness, swelling, bruising, pain, itching, dryness) by day, fading.
NORMAL_COURSE = [
    (2, 2, 1, 1, 0, 0),
    (1, 1, 1, 1, 0, 0),
    (1, 0, 1, 0, 1, 1),
    (0, 0, 0, 0, 0, 1),
]

NOTES = [
    "Slight tightness after washing; used the cool compress.",
    "Small bruise near the left cheek, fading.",
    "",
]


@dataclass(frozen=True)
class Diary:
    profile: Profile
    sessions: tuple[TreatmentSession, ...]
    session: TreatmentSession
    entries: tuple[DiaryEntry, ...]
    ticks: tuple[ChecklistTick, ...]
    now: datetime

    def report(self, zone: tzinfo | None = PARIS) -> FollowUpReport:
        return build_report(
            default_protocol(),
            self.session,
            now=self.now,
            entries=self.entries,
            ticks=self.ticks,
            sessions=self.sessions,
            profile=self.profile,
            zone=zone,
            zone_name="Europe/Paris",
        )


def make_diary(
    days: int,
    *,
    per_day: int = 1,
    notes: Sequence[str] = NOTES,
    red_flag_day: int | None = None,
    treated: datetime = TREATED,
    sensitive: bool = False,
    follow_up_days: int | None = 14,
) -> Diary:
    """``days`` recovery days with ``per_day`` entries each (0 days: an empty diary), ticks for most tasks."""
    earlier = TreatmentSession("s-0", treated - timedelta(days=28), Area.FACE, sensitive)
    session = TreatmentSession(
        "s-1",
        treated,
        Area.FACE,
        sensitive,
        (treated + timedelta(days=follow_up_days)).date() if follow_up_days is not None else None,
        "Hyaluronic acid and vitamin cocktail, 2 ml.",
    )
    protocol = default_protocol()
    entries, ticks = [], []
    for day in range(days):
        course = NORMAL_COURSE[min(day, len(NORMAL_COURSE) - 1)]
        for k in range(per_day):
            at = treated + timedelta(days=day, hours=2 + k * (20 / per_day))
            symptoms = dict(zip(Symptom, course, strict=True))
            signs: frozenset[WarningSign] = frozenset()
            if red_flag_day == day and k == 0:
                symptoms[Symptom.SWELLING] = 3
                signs = frozenset({WarningSign.FEVER})
            note = notes[(day * per_day + k) % len(notes)] if notes else ""
            entries.append(DiaryEntry(f"e-{day}-{k}", session.id, at, symptoms, signs, note))
        for i, task in enumerate(tasks_for_day(protocol, day)):
            if (i + day) % 5:  # most tasks, not all
                ticks.append(ChecklistTick(session.id, day, task.id, treated + timedelta(days=day, hours=20)))
    now = treated + timedelta(days=max(days, 1) - 1, hours=23)
    profile = Profile(Area.FACE, sensitive, "Clinique du Parc", "+33 1 23 45 67 89", "Europe/Paris")
    return Diary(profile, (earlier, session), session, tuple(entries), tuple(ticks), now)


def store_diary(diary: Diary, folder: Path) -> TinyRepository:
    """A file store in ``folder`` holding everything of ``diary``: profile, sessions, entries, ticks."""
    repository = open_repository(FileTextStore(folder))
    repository.save_profile(diary.profile)
    for session in diary.sessions:
        repository.add_session(session)
    for entry in diary.entries:
        repository.add_entry(entry)
    for tick in diary.ticks:
        repository.set_tick(tick)
    return repository
