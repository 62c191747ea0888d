"""The follow-up report: what a clinician reads in one minute.

One model, built from domain values only, feeds the follow-up view, the PDF,
the CSV and the calendar. :func:`build_report` takes everything as parameters
(the protocol, the stored records, ``now`` and the patient's zone) and returns
a frozen :class:`FollowUpReport`:

- ``facts``: the session (treatment instant, area, days since, its number in
  the course, follow-up date, clinic);
- ``red_flags``: every diary entry whose triage, re-run with the entries before
  it as history, called for the clinic or emergency care, with what was advised;
  most urgent first, then oldest first;
- ``courses``: each symptom's course by recovery day: the day's peak severity
  (``None`` on a day without entries) beside the most that is expected that day,
  ready for a chart;
- ``adherence``: checklist tasks done over due, by day;
- ``notes``: the session's notes and each entry's note, in time order;
- ``period``: the recovery days covered, from the treatment to ``now``;
- ``entries``: every entry with its triage, for tables and the CSV;
- ``lifts``: when each restriction lifts, for the calendar.

Day numbers are 0-based as everywhere in the domain (day 0 is the first 24 h);
show ``day + 1`` to people ("Day 1").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from dateutil import tz

from aftercare_app.domain.checklist import Adherence, DayAdherence, adherence
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import ChecklistTick, DiaryEntry, InvalidRecord, Profile, TreatmentSession
from aftercare_app.domain.restrictions import restriction_status
from aftercare_app.domain.timeline import Treatment, hours_since, recovery_day, treatment_of
from aftercare_app.domain.triage import TriageResult, assess
from aftercare_app.domain.vocabulary import Area, RestrictionId, Severity, Symptom, TriageLevel, WarningSign

__all__ = [
    "ADVICE",
    "AssessedEntry",
    "DayPoint",
    "FollowUpReport",
    "NoteItem",
    "Period",
    "RedFlagEvent",
    "RestrictionLift",
    "SessionFacts",
    "SymptomCourse",
    "advice_for",
    "assess_entries",
    "build_report",
    "patient_zone",
    "utc_offset_label",
]

# What the app advised for each triage level, in the words the patient saw.
ADVICE = {
    TriageLevel.NORMAL: "Nothing beyond what is expected for the day.",
    TriageLevel.CALL_CLINIC: "Call your clinic.",
    TriageLevel.EMERGENCY: "Seek emergency care now.",
}


def advice_for(level: TriageLevel, clinic_phone: str = "") -> str:
    """The advice shown for ``level``, with the clinic's number when calling it."""
    text = ADVICE[level]
    if level is TriageLevel.CALL_CLINIC and clinic_phone:
        return f"Call your clinic: {clinic_phone}."
    return text


@dataclass(frozen=True)
class SessionFacts:
    """The session the report is about."""

    session_id: str
    treated_at: datetime  # the treatment instant, shown in the report's zone
    area: Area
    sensitive: bool
    follow_up: date | None
    notes: str
    hours_since: float
    day: int  # 0-based recovery day at the report's ``generated_at``
    session_number: int  # 1-based position of this session among the recorded ones
    sessions_recorded: int
    clinic_name: str = ""
    clinic_phone: str = ""

    @property
    def days_to_follow_up(self) -> int | None:
        return None if self.follow_up is None else (self.follow_up - self.treated_at.date()).days


@dataclass(frozen=True)
class Period:
    """The stretch of recovery the report covers: days ``first_day`` to ``last_day`` (0-based, inclusive)."""

    start: datetime  # the treatment instant
    end: datetime  # when the report was made (or the last entry, if later)
    first_day: int
    last_day: int
    entry_count: int
    first_entry: datetime | None
    last_entry: datetime | None

    @property
    def days(self) -> range:
        return range(self.first_day, self.last_day + 1)


@dataclass(frozen=True)
class AssessedEntry:
    """A diary entry with the triage it gets given the entries before it."""

    entry: DiaryEntry
    day: int
    hours_since: float
    triage: TriageResult

    @property
    def level(self) -> TriageLevel:
        return self.triage.level


@dataclass(frozen=True)
class RedFlagEvent:
    """A diary entry that called for the clinic or emergency care, and what was advised."""

    entry_id: str
    at: datetime
    day: int
    level: TriageLevel
    signs: tuple[WarningSign, ...]
    symptoms: tuple[tuple[Symptom, Severity], ...]  # those logged above none
    reasons: tuple[str, ...]
    advised: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class DayPoint:
    """One day of a symptom's course: the day's peak (None: no entry that day) and what is expected."""

    day: int
    peak: Severity | None
    expected_max: Severity

    @property
    def above_expected(self) -> bool:
        return self.peak is not None and self.peak > self.expected_max


@dataclass(frozen=True)
class SymptomCourse:
    """A symptom's course by recovery day over the report's period."""

    symptom: Symptom
    points: tuple[DayPoint, ...]

    @property
    def label(self) -> str:
        return self.symptom.label

    @property
    def peak(self) -> Severity:
        return max((p.peak for p in self.points if p.peak is not None), default=Severity.NONE)

    @property
    def latest(self) -> DayPoint | None:
        """The last day with an entry."""
        return next((p for p in reversed(self.points) if p.peak is not None), None)

    @property
    def days_above_expected(self) -> tuple[int, ...]:
        return tuple(p.day for p in self.points if p.above_expected)

    @property
    def logged(self) -> bool:
        """Whether the symptom was ever logged above none."""
        return self.peak > Severity.NONE


@dataclass(frozen=True)
class NoteItem:
    """A note: the session's (``entry_id`` None) or an entry's."""

    at: datetime
    day: int
    text: str
    entry_id: str | None = None


@dataclass(frozen=True)
class RestrictionLift:
    """When a restriction lifts for this session."""

    id: RestrictionId
    title: str
    allowed_from: datetime  # UTC instant
    reason: str
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpReport:
    """Everything the follow-up view, the PDF and the exports show."""

    generated_at: datetime  # in the report's zone
    zone_name: str
    facts: SessionFacts
    period: Period
    red_flags: tuple[RedFlagEvent, ...]
    courses: tuple[SymptomCourse, ...]
    adherence: Adherence
    notes: tuple[NoteItem, ...]
    entries: tuple[AssessedEntry, ...]
    lifts: tuple[RestrictionLift, ...]
    disclaimer: str
    protocol_version: str

    @property
    def adherence_days(self) -> tuple[DayAdherence, ...]:
        return self.adherence.days

    @property
    def worst_level(self) -> TriageLevel:
        return max((e.level for e in self.red_flags), default=TriageLevel.NORMAL)

    @property
    def has_entries(self) -> bool:
        return bool(self.entries)


def utc_offset_label(instant: datetime) -> str:
    """'UTC+02:00' for an instant at that offset; 'UTC' at zero offset."""
    offset = instant.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset and offset != "+0000" else "UTC"


def patient_zone(profile: Profile, session: TreatmentSession) -> tuple[tzinfo, str]:
    """The zone a report shows its times in, and its name: the patient's zone from the profile (the app keeps it
    to the device's), else, when none is known, the offset the treatment was recorded with."""
    if profile.timezone and profile.timezone != "UTC":
        zone = tz.gettz(profile.timezone)
        if zone is not None:
            return zone, profile.timezone
    return session.treated_at.tzinfo or UTC, utc_offset_label(session.treated_at)


def _local(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone)


def build_report(
    protocol: Protocol,
    session: TreatmentSession,
    *,
    now: datetime,
    entries: Iterable[DiaryEntry] = (),
    ticks: Iterable[ChecklistTick] = (),
    sessions: Sequence[TreatmentSession] = (),
    profile: Profile | None = None,
    zone: tzinfo | None = None,
    zone_name: str = "",
) -> FollowUpReport:
    """The follow-up report of ``session`` as of ``now``.

    ``entries`` and ``ticks`` may hold other sessions' records; only this
    session's count. ``sessions`` is the whole course (for the session number).
    Times are shown in ``zone`` (UTC when None). Refuses a ``now`` before the treatment.
    """
    zone = zone or UTC
    zone_name = zone_name or (profile.timezone if profile else "") or "UTC"
    treatment = treatment_of(session)
    hours = hours_since(treatment, now)  # refuses a ``now`` before the treatment
    today = recovery_day(treatment, now)

    own = sorted((e for e in entries if e.session_id == session.id), key=lambda e: e.at)
    if any(e.at < session.treated_at for e in own):
        raise InvalidRecord("A diary entry of this session is dated before its treatment")
    assessed = assess_entries(protocol, treatment, own)
    last_day = max([today, *(a.day for a in assessed)])
    end = max([now, *(e.at for e in own)])

    course = sorted({s.id: s for s in (*sessions, session)}.values(), key=lambda s: s.treated_at)
    number = next(i for i, s in enumerate(course, 1) if s.id == session.id)
    phone = profile.clinic_phone if profile else ""

    facts = SessionFacts(
        session_id=session.id,
        treated_at=_local(session.treated_at, zone),
        area=session.area,
        sensitive=session.sensitive,
        follow_up=session.follow_up,
        notes=session.notes,
        hours_since=hours,
        day=today,
        session_number=number,
        sessions_recorded=len(course),
        clinic_name=profile.clinic_name if profile else "",
        clinic_phone=phone,
    )
    period = Period(
        start=_local(session.treated_at, zone),
        end=_local(end, zone),
        first_day=0,
        last_day=last_day,
        entry_count=len(own),
        first_entry=_local(own[0].at, zone) if own else None,
        last_entry=_local(own[-1].at, zone) if own else None,
    )
    own_ticks = [t for t in ticks if t.session_id == session.id and t.day <= last_day]
    notes = [NoteItem(_local(session.treated_at, zone), 0, session.notes)] if session.notes else []
    notes += [NoteItem(_local(a.entry.at, zone), a.day, a.entry.note, a.entry.id) for a in assessed if a.entry.note]

    return FollowUpReport(
        generated_at=_local(now, zone),
        zone_name=zone_name,
        facts=facts,
        period=period,
        red_flags=_red_flags(assessed, phone, zone),
        courses=_courses(protocol, assessed, last_day),
        adherence=adherence(protocol, own_ticks, last_day, treatment),
        notes=tuple(notes),
        entries=tuple(assessed),
        lifts=_lifts(protocol, treatment),
        disclaimer=protocol.disclaimer,
        protocol_version=protocol.version,
    )


def assess_entries(protocol: Protocol, treatment: Treatment, entries: Sequence[DiaryEntry]) -> list[AssessedEntry]:
    """Each entry (of one session, in time order) triaged as it was when logged: with the entries before it as
    history. Each result's ``level`` and ``reasons`` are what a front shows beside the entry (the ``triage`` of
    ``diary list --json``).

    Only the history rule looks back, and its walk back over a symptom stops at
    the latest earlier entry logging none of it; entries before that cannot
    change the result, so each entry gets the history from there on (the same
    result as the whole history, in linear rather than quadratic time).
    """
    watched = protocol.history_rule.symptoms
    after_none: dict[Symptom, int] = dict.fromkeys(watched, 0)  # index just past the latest entry logging none
    assessed = []
    for i, entry in enumerate(entries):
        start = min(after_none.values(), default=i)
        result = assess(protocol, treatment, entry.at, entry.symptoms, entry.signs, entries[start:i])
        assessed.append(AssessedEntry(entry, recovery_day(treatment, entry.at), hours_since(treatment, entry.at), result))
        for symptom in watched:
            if entry.severity(symptom) == Severity.NONE:
                after_none[symptom] = i + 1
    return assessed


def _red_flags(assessed: Sequence[AssessedEntry], phone: str, zone: tzinfo) -> tuple[RedFlagEvent, ...]:
    events = [
        RedFlagEvent(
            entry_id=a.entry.id,
            at=_local(a.entry.at, zone),
            day=a.day,
            level=a.level,
            signs=tuple(sorted(a.entry.signs, key=list(WarningSign).index)),
            symptoms=tuple((s, v) for s, v in a.entry.symptoms.items() if v > Severity.NONE),
            reasons=tuple(f.reason for f in a.triage.findings),
            advised=advice_for(a.level, phone),
            sources=tuple(sorted({s for f in a.triage.findings for s in f.sources})),
            note=a.entry.note,
        )
        for a in assessed
        if a.level > TriageLevel.NORMAL
    ]
    return tuple(sorted(events, key=lambda e: (-e.level, e.at)))


def _courses(protocol: Protocol, assessed: Sequence[AssessedEntry], last_day: int) -> tuple[SymptomCourse, ...]:
    peaks: dict[Symptom, dict[int, Severity]] = {s: {} for s in Symptom}
    for a in assessed:
        for symptom in Symptom:
            day_peaks = peaks[symptom]
            day_peaks[a.day] = max(day_peaks.get(a.day, Severity.NONE), a.entry.severity(symptom))
    courses = []
    for symptom in Symptom:
        rule = protocol.symptom_rule(symptom)
        points = tuple(DayPoint(day, peaks[symptom].get(day), rule.band_for(day).max) for day in range(last_day + 1))
        courses.append(SymptomCourse(symptom, points))
    return tuple(courses)


def _lifts(protocol: Protocol, treatment: Treatment) -> tuple[RestrictionLift, ...]:
    # Statuses at the treatment instant: every restriction still active, so each carries its lift time.
    lifts = []
    for rule in protocol.restrictions:
        status = restriction_status(rule, treatment, treatment.treated_at)
        lifts.append(
            RestrictionLift(rule.id, status.title, status.allowed_from.astimezone(UTC), rule.reason, rule.note, rule.sources)
        )
    return tuple(sorted(lifts, key=lambda lift: (lift.allowed_from, list(RestrictionId).index(lift.id))))
