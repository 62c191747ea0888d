"""Everything the screens show, computed without Flet.

Each function takes plain values (the protocol, records, ``now`` and the patient's
zone) and returns a small frozen view model holding the words to display. Screens
only lay these out, so all wording and every decision is tested here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dtz

from aftercare_app.domain.checklist import (
    DayAdherence,
    adherence,
    done_items,
    phase_of_day,
    tasks_for_day,
)
from aftercare_app.domain.masks import advise
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import (
    ChecklistTick,
    DiaryEntry,
    InvalidRecord,
    Profile,
    TreatmentSession,
    check_entry_in_session,
)
from aftercare_app.domain.report import SymptomCourse as ReportCourse
from aftercare_app.domain.report import build_report
from aftercare_app.domain.restrictions import restriction_statuses
from aftercare_app.domain.timeline import (
    Treatment,
    format_duration,
    hours_since,
    recovery_day,
)
from aftercare_app.domain.triage import TriageResult, assess, what_is_normal
from aftercare_app.domain.vocabulary import (
    Area,
    Severity,
    SkinState,
    Symptom,
    TriageLevel,
    WarningSign,
)
from aftercare_app.services import ChecklistItem

__all__ = [
    "ChartBar",
    "ChecklistVM",
    "Countdown",
    "DayChart",
    "DiaryDay",
    "DiaryForm",
    "DiaryRow",
    "FollowUpVM",
    "MasksVM",
    "OnboardingForm",
    "OnboardingResult",
    "TodayVM",
    "TriageCard",
    "adherence_chart",
    "calendar_start",
    "checklist_view",
    "clock_start",
    "default_follow_up",
    "diary_days",
    "diary_form_for",
    "entry_from_form",
    "follow_up_after_date_change",
    "follow_up_view",
    "format_day_time",
    "masks_view",
    "onboarding_defaults",
    "picked_date",
    "picked_time",
    "resolve_zone",
    "session_form",
    "symptom_chart",
    "today_view",
    "treatment_of",
    "triage_card",
    "triage_for",
    "validate_onboarding",
]

SEVERITY_WORDS = tuple(s.label for s in Severity)  # none, mild, moderate, severe
MAX_PAST = timedelta(days=366)


# --------------------------------------------------------------------------- time


def resolve_zone(*candidates: str | None) -> tuple[str, tzinfo]:
    """The first candidate that names a real IANA zone, else UTC.

    The chain is: the browser's zone, the zone stored in the profile, the server's.
    """
    for name in candidates:
        if not name:
            continue
        try:
            return name, ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return "UTC", UTC


def local_zone_name() -> str | None:
    """The machine's IANA zone name when it can be found (served mode fallback)."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        return name
    try:
        with open("/etc/timezone", encoding="utf-8") as f:
            return f.read().strip() or None
    except OSError:
        pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            return link.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return None


def format_day_time(instant: datetime, zone: tzinfo, now: datetime) -> str:
    """'today 14:30', 'tomorrow 09:00', 'Tue 24 Nov 18:05' in the patient's zone."""
    local = instant.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {clock}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday {clock}"
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b')} {clock}"


def format_date(day: date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"


def treatment_of(session: TreatmentSession) -> Treatment:
    return Treatment(session.treated_at, session.area, session.sensitive)


# --------------------------------------------------------------------------- onboarding


@dataclass(frozen=True)
class OnboardingForm:
    """What the patient typed, as text, exactly as the form holds it."""

    treated_date: str = ""
    treated_time: str = ""
    area: str = Area.FACE.value
    sensitive: bool = False
    clinic_name: str = ""
    clinic_phone: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class OnboardingResult:
    errors: Mapping[str, str]
    profile: Profile | None = None
    session: TreatmentSession | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


FOLLOW_UP_AFTER = timedelta(days=14)


def default_follow_up(treated_date: str) -> str:
    """The follow-up two weeks after the treatment date as typed; '' while that date does not parse."""
    try:
        return (_parse_date(treated_date) + FOLLOW_UP_AFTER).isoformat()
    except ValueError:
        return ""


def follow_up_after_date_change(old_treated: str, new_treated: str, follow_up: str) -> str:
    """The follow-up field once the treatment date changes from ``old_treated`` to ``new_treated``.

    It follows the treatment while it still holds the default (or nothing); a date the patient
    chose stays as typed.
    """
    if follow_up.strip() and follow_up.strip() != default_follow_up(old_treated):
        return follow_up
    return default_follow_up(new_treated) or follow_up


def onboarding_defaults(now: datetime, zone: tzinfo, profile: Profile | None = None) -> OnboardingForm:
    """Treatment 'now' in the device's zone, follow-up two weeks after it, clinic kept from the profile."""
    local = now.astimezone(zone)
    treated_date = local.date().isoformat()
    return OnboardingForm(
        treated_date=treated_date,
        treated_time=local.strftime("%H:%M"),
        area=(profile.area.value if profile else Area.FACE.value),
        sensitive=profile.sensitive if profile else False,
        clinic_name=profile.clinic_name if profile else "",
        clinic_phone=profile.clinic_phone if profile else "",
        follow_up=default_follow_up(treated_date),
    )


def session_form(session: TreatmentSession, zone: tzinfo, profile: Profile | None = None) -> OnboardingForm:
    """A recorded session as the form shows it, for correcting it in Settings (clinic from the profile)."""
    local = session.treated_at.astimezone(zone)
    return OnboardingForm(
        treated_date=local.date().isoformat(),
        treated_time=local.strftime("%H:%M"),
        area=session.area.value,
        sensitive=session.sensitive,
        clinic_name=profile.clinic_name if profile else "",
        clinic_phone=profile.clinic_phone if profile else "",
        follow_up=session.follow_up.isoformat() if session.follow_up else "",
    )


def picked_date(value: datetime | date | None, zone: tzinfo) -> str:
    """A date chosen on the calendar as the date field shows it ('' when nothing was chosen).

    The calendar gives local midnight of the chosen day, naive or as an instant; an instant is read in the
    patient's zone, so the day never shifts for zones east or west of UTC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(zone).date() if value.tzinfo is not None else value.date()
    return value.isoformat()


def picked_time(value: time | None) -> str:
    """A time chosen on the clock dial as the time field shows it ('' when nothing was chosen)."""
    return value.strftime("%H:%M") if value is not None else ""


def calendar_start(field_text: str, fallback: date) -> date:
    """The day a calendar opens on: the one in the field when it parses, else ``fallback``."""
    try:
        return _parse_date(field_text)
    except ValueError:
        return fallback


def clock_start(field_text: str, fallback: time) -> time:
    """The time a clock dial opens on: the one in the field when it parses, else ``fallback``."""
    try:
        return _parse_time(field_text)
    except ValueError:
        return fallback


def _parse_date(text: str) -> date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _parse_time(text: str) -> time:
    text = text.strip().replace(".", ":").replace("h", ":")
    for fmt in ("%H:%M", "%H:%M:", "%H"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError


def local_instant(day: date, clock: time, zone: tzinfo) -> datetime:
    """A wall-clock time in ``zone``; a time skipped by a DST change moves forward like zoneinfo."""
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone)
    if not dtz.datetime_exists(aware):
        aware = dtz.resolve_imaginary(aware)
    return aware


def validate_onboarding(
    form: OnboardingForm, *, zone_name: str, zone: tzinfo, now: datetime, session_id: str | None = None
) -> OnboardingResult:
    """Check every field; errors are keyed by field name and worded for the patient."""
    errors: dict[str, str] = {}
    treated_day: date | None = None
    treated_clock: time | None = None
    try:
        treated_day = _parse_date(form.treated_date)
    except ValueError:
        errors["treated_date"] = "Enter the date as YYYY-MM-DD, e.g. 2026-05-01."
    try:
        treated_clock = _parse_time(form.treated_time)
    except ValueError:
        errors["treated_time"] = "Enter the time as HH:MM, e.g. 14:30."
    treated_at: datetime | None = None
    if treated_day is not None and treated_clock is not None:
        treated_at = local_instant(treated_day, treated_clock, zone)
        if treated_at > now + timedelta(minutes=5):
            errors["treated_time" if treated_day == now.astimezone(zone).date() else "treated_date"] = (
                "The treatment cannot be in the future."
            )
        elif now - treated_at > MAX_PAST:
            errors["treated_date"] = "That is more than a year ago; check the year."
    try:
        area = Area(form.area)
    except ValueError:
        errors["area"] = "Choose face or scalp."
        area = Area.FACE
    follow_up: date | None = None
    if form.follow_up.strip():
        try:
            follow_up = _parse_date(form.follow_up)
        except ValueError:
            errors["follow_up"] = "Enter the date as YYYY-MM-DD, or leave it empty."
        else:
            if treated_day is not None and follow_up < treated_day:
                errors["follow_up"] = "The follow-up cannot be before the treatment."
    profile = None
    try:
        profile = Profile(area, form.sensitive, form.clinic_name, form.clinic_phone, zone_name)
    except InvalidRecord as exc:
        key = "clinic_phone" if "phone" in str(exc) else "clinic_name"
        errors[key] = str(exc)
    if not form.clinic_phone.strip() and "clinic_phone" not in errors:
        errors["clinic_phone"] = "Add your clinic's phone number so the app can offer to call it."
    if errors or treated_at is None or profile is None:
        return OnboardingResult(errors)
    try:
        session = TreatmentSession(
            id=session_id or new_id(), treated_at=treated_at, area=area, sensitive=form.sensitive, follow_up=follow_up
        )
    except InvalidRecord as exc:
        return OnboardingResult({"treated_date": str(exc)})
    return OnboardingResult({}, profile, session)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


# --------------------------------------------------------------------------- today


@dataclass(frozen=True)
class Countdown:
    id: str
    title: str
    allowed: bool
    remaining: str  # "5 h 20 min"; "" once allowed
    lifts_at: str  # "today 14:30"
    reason: str
    note: str
    sources: tuple[str, ...]

    @property
    def headline(self) -> str:
        return f"{self.title}: allowed" if self.allowed else f"{self.title}: in {self.remaining}"


@dataclass(frozen=True)
class RedFlag:
    level: TriageLevel
    text: str


@dataclass(frozen=True)
class TodayVM:
    day_label: str  # "Day 3 of recovery"
    day: int  # 0-based
    phase: str
    phase_summary: str
    treated_text: str
    active: tuple[Countdown, ...]
    lifted: tuple[Countdown, ...]
    follow_up: str
    red_flag: RedFlag | None
    next_tick_seconds: float  # when the countdown changes next (to the minute)


def follow_up_text(session: TreatmentSession, now: datetime, zone: tzinfo) -> str:
    if session.follow_up is None:
        return "No follow-up date set. Add one in Settings."
    days = (session.follow_up - now.astimezone(zone).date()).days
    when = format_date(session.follow_up)
    if days > 1:
        return f"Follow-up in {days} days ({when})"
    if days == 1:
        return f"Follow-up tomorrow ({when})"
    if days == 0:
        return f"Follow-up today ({when})"
    return f"Follow-up was {-days} day{'s' if days != -1 else ''} ago ({when})"


def triage_for(protocol: Protocol, session: TreatmentSession, entry: DiaryEntry, history: Iterable[DiaryEntry]) -> TriageResult:
    earlier = [e for e in history if e.id != entry.id and e.at <= entry.at]
    return assess(protocol, treatment_of(session), entry.at, entry.symptoms, entry.signs, earlier)


def latest_red_flag(
    protocol: Protocol, session: TreatmentSession, entries: Sequence[DiaryEntry], zone: tzinfo, now: datetime
) -> RedFlag | None:
    for entry in sorted(entries, key=lambda e: e.at, reverse=True):
        result = triage_for(protocol, session, entry, entries)
        if result.level >= TriageLevel.CALL_CLINIC:
            when = format_day_time(entry.at, zone, now)
            what = "Seek emergency care" if result.level == TriageLevel.EMERGENCY else "Call your clinic"
            first = result.findings[0].reason if result.findings else ""
            return RedFlag(result.level, f"{what}: on day {result.day + 1} ({when}) you logged a warning sign. {first}".strip())
    return None


def today_view(
    protocol: Protocol,
    session: TreatmentSession,
    now: datetime,
    zone: tzinfo,
    entries: Sequence[DiaryEntry] = (),
) -> TodayVM:
    treatment = treatment_of(session)
    hours = hours_since(treatment, now)
    day = recovery_day(treatment, now)
    phase = protocol.phase_at(hours)
    statuses = restriction_statuses(protocol, treatment, now)
    cards = tuple(
        Countdown(
            id=s.id.value,
            title=s.title,
            allowed=s.allowed,
            remaining="" if s.allowed else format_duration(s.remaining),
            lifts_at=format_day_time(s.allowed_from, zone, now),
            reason=s.rule.reason,
            note=s.rule.note,
            sources=s.rule.sources,
        )
        for s in statuses
    )
    seconds_into_minute = (now - session.treated_at).total_seconds() % 60
    return TodayVM(
        day_label=f"Day {day + 1} of recovery",
        day=day,
        phase=phase.name,
        phase_summary=phase.summary,
        treated_text=f"Treated {format_day_time(session.treated_at, zone, now)} · {session.area.value}"
        + (" · sensitive skin" if session.sensitive else ""),
        active=tuple(c for c in cards if not c.allowed),
        lifted=tuple(c for c in cards if c.allowed),
        follow_up=follow_up_text(session, now, zone),
        red_flag=latest_red_flag(protocol, session, entries, zone, now),
        next_tick_seconds=max(1.0, 60 - seconds_into_minute),
    )


# --------------------------------------------------------------------------- checklist


@dataclass(frozen=True)
class ChecklistVM:
    day: int
    today: int
    title: str  # "Day 2 · today"
    phase: str
    items: tuple[ChecklistItem, ...]
    day_summary: str  # "3 of 9 done"
    overall: str  # "Overall 12 of 40 tasks done (30 %)"
    can_go_back: bool
    can_go_forward: bool


def checklist_view(
    protocol: Protocol, session: TreatmentSession, ticks: Iterable[ChecklistTick], now: datetime, day: int | None = None
) -> ChecklistVM:
    ticks = tuple(ticks)
    today = recovery_day(treatment_of(session), now)
    shown = today if day is None else max(0, min(day, today))
    done = done_items(ticks, shown)
    items = tuple(ChecklistItem(t.id, t.text, t.id in done) for t in tasks_for_day(protocol, shown))
    done_count = sum(i.done for i in items)
    total = adherence(protocol, ticks, today)
    suffix = "today" if shown == today else f"{today - shown} day{'s' if today - shown != 1 else ''} ago"
    return ChecklistVM(
        day=shown,
        today=today,
        title=f"Day {shown + 1} · {suffix}",
        phase=phase_of_day(protocol, shown).name,
        items=items,
        day_summary=f"{done_count} of {len(items)} done",
        overall=f"Overall {total.done} of {total.due} tasks done ({round(total.ratio * 100)} %)",
        can_go_back=shown > 0,
        can_go_forward=shown < today,
    )


# --------------------------------------------------------------------------- diary


@dataclass(frozen=True)
class DiaryForm:
    severities: Mapping[Symptom, Severity] = field(default_factory=dict)
    signs: frozenset[WarningSign] = frozenset()
    note: str = ""
    entry_id: str | None = None  # set when editing
    at: datetime | None = None  # kept when editing


def diary_form_for(entry: DiaryEntry | None) -> DiaryForm:
    if entry is None:
        return DiaryForm({s: Severity.NONE for s in Symptom})
    return DiaryForm({s: entry.severity(s) for s in Symptom}, frozenset(entry.signs), entry.note, entry.id, entry.at)


def entry_from_form(form: DiaryForm, session: TreatmentSession, now: datetime) -> DiaryEntry:
    """The entry to store; raises InvalidRecord with a patient-readable message."""
    entry = DiaryEntry(
        id=form.entry_id or new_id(),
        session_id=session.id,
        at=form.at or now,
        symptoms={s: int(v) for s, v in form.severities.items()},
        signs=form.signs,
        note=form.note,
    )
    check_entry_in_session(entry, session, now)
    return entry


@dataclass(frozen=True)
class TriageCard:
    level: TriageLevel
    title: str
    lines: tuple[str, ...]
    call_label: str  # "" when there is no phone to call
    call_url: str
    emergency: bool


def triage_card(result: TriageResult, profile: Profile | None) -> TriageCard:
    phone = profile.clinic_phone if profile else ""
    clinic = (profile.clinic_name if profile else "") or "your clinic"
    tel = "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+") if phone else ""
    call = f"Call {clinic} ({phone})" if phone else ""
    if result.level == TriageLevel.EMERGENCY:
        lines = (*result.reasons, "Call your local emergency number now (112 in Europe, 911 in the US).")
        return TriageCard(result.level, "Seek emergency care now", lines, call, tel, True)
    if result.level == TriageLevel.CALL_CLINIC:
        return TriageCard(result.level, "Call your clinic", (*result.reasons, *result.expected), call, tel, False)
    lines = result.expected or ("No symptoms logged. That is a good sign.",)
    return TriageCard(result.level, f"Normal for day {result.day + 1}", tuple(lines), call, tel, False)


@dataclass(frozen=True)
class DiaryRow:
    id: str
    time: str
    summary: str  # "Redness: moderate · Swelling: mild"
    signs: str  # "Warning signs: fever"
    note: str
    level: TriageLevel
    level_text: str  # words, so colour is never the only signal


@dataclass(frozen=True)
class DiaryDay:
    title: str  # "Day 2 · Tue 24 Nov"
    rows: tuple[DiaryRow, ...]


LEVEL_TEXT = {
    TriageLevel.NORMAL: "Normal for the day",
    TriageLevel.CALL_CLINIC: "Call your clinic",
    TriageLevel.EMERGENCY: "Emergency",
}


def symptom_summary(entry: DiaryEntry) -> str:
    parts = [f"{s.label}: {v.label}" for s, v in entry.symptoms.items() if v > Severity.NONE]
    return " · ".join(parts) or "No symptoms"


def diary_days(
    protocol: Protocol, session: TreatmentSession, entries: Sequence[DiaryEntry], zone: tzinfo
) -> tuple[DiaryDay, ...]:
    """Entries grouped by recovery day, newest day and newest entry first."""
    treatment = treatment_of(session)
    by_day: dict[int, list[DiaryRow]] = {}
    for entry in sorted(entries, key=lambda e: e.at, reverse=True):
        result = triage_for(protocol, session, entry, entries)
        signs = ", ".join(s.label for s in sorted(entry.signs, key=list(WarningSign).index))
        by_day.setdefault(recovery_day(treatment, entry.at), []).append(
            DiaryRow(
                id=entry.id,
                time=entry.at.astimezone(zone).strftime("%H:%M"),
                summary=symptom_summary(entry),
                signs=f"Warning signs: {signs}" if signs else "",
                note=entry.note,
                level=result.level,
                level_text=LEVEL_TEXT[result.level],
            )
        )
    days = []
    for day, rows in by_day.items():
        local = treatment.instant_after(24 * day).astimezone(zone)
        days.append(DiaryDay(f"Day {day + 1} · from {local.strftime('%a')} {local.day} {local.strftime('%b')}", tuple(rows)))
    return tuple(days)


# --------------------------------------------------------------------------- masks


@dataclass(frozen=True)
class MaskLine:
    name: str
    verdict: str  # avoid | wait | ok | unknown
    verdict_text: str  # "Avoid", "Wait", "Fine", "Not known"
    reason: str


VERDICT_TEXT = {"avoid": "Avoid", "wait": "Not yet", "ok": "Fine", "unknown": "Not known"}


@dataclass(frozen=True)
class MasksVM:
    stage: str
    advice: str
    recommended: tuple[str, ...]
    kinds: tuple[MaskLine, ...]
    verdict: str
    verdict_text: str
    reasons: tuple[str, ...]
    ingredients: tuple[MaskLine, ...]


def masks_view(
    protocol: Protocol, session: TreatmentSession, now: datetime, skin: SkinState, label: str = ""
) -> MasksVM:
    from aftercare_app.domain.masks import split_label

    names = split_label(label) if label.strip() else []
    advice = advise(protocol, treatment_of(session), now, skin, names)
    return MasksVM(
        stage=advice.stage.name,
        advice=advice.stage.advice,
        recommended=advice.recommended,
        kinds=tuple(MaskLine(k.kind.name, k.verdict, VERDICT_TEXT[k.verdict], k.reason) for k in advice.kinds),
        verdict=advice.verdict,
        verdict_text=VERDICT_TEXT[advice.verdict] if names else "",
        # Each ingredient's reason is shown on its own line below; the summary keeps the rest.
        reasons=tuple(r for r in advice.reasons if not any(r.startswith(f"{v.printed}:") for v in advice.ingredients))
        if names
        else (),
        ingredients=tuple(
            MaskLine(v.printed, v.verdict, VERDICT_TEXT[v.verdict], v.reason) for v in advice.ingredients
        ),
    )


# --------------------------------------------------------------------------- follow-up


@dataclass(frozen=True)
class SymptomCourse:
    symptom: str
    days: tuple[str, ...]  # "D1 moderate", per day with an entry
    trend: str  # "improving", "not improving", "steady"


@dataclass(frozen=True)
class ChartBar:
    """One day's bar: heights are fractions of the chart's height (0-1), so the view only scales them."""

    day_label: str  # "D3"
    level: float  # the bar; 0 on a day without a value
    value_text: str  # printed above the bar: "2", "5/9", "–" for no entry
    flagged: bool  # above what is expected that day: drawn with a marker, not by colour alone
    expected: float | None = None  # the expected band's top, when there is one


@dataclass(frozen=True)
class DayChart:
    """A compact chart by recovery day, with the words a screen reader says instead of looking."""

    title: str  # "Redness"
    bars: tuple[ChartBar, ...]
    summary: str  # the whole chart in words: announced, and shown under it
    legend: str = ""


CHART_DAYS = 14  # bars that fit a 360 px phone beside each other; longer recoveries show their last days


def _window(days: Sequence[int]) -> tuple[tuple[int, ...], str]:
    shown = tuple(days[-CHART_DAYS:])
    note = f" Last {len(shown)} of {len(days)} days shown." if len(shown) < len(days) else ""
    return shown, note


def symptom_chart(course: ReportCourse) -> DayChart:
    """A symptom's daily peak (0-3) as bars over the expected band, with a marker on days above it."""
    points = {p.day: p for p in course.points}
    shown, note = _window([p.day for p in course.points])
    top = float(Severity.SEVERE)
    bars = tuple(
        ChartBar(
            day_label=f"D{day + 1}",
            level=0.0 if points[day].peak is None else points[day].peak / top,
            value_text="–" if points[day].peak is None else str(int(points[day].peak)),
            flagged=points[day].above_expected,
            expected=points[day].expected_max / top,
        )
        for day in shown
    )
    logged = [p for p in course.points if p.peak is not None]
    parts = [f"{course.label} by day."]
    if logged:
        peak = max(logged, key=lambda p: (p.peak, -p.day))
        latest = logged[-1]
        parts.append(f"Worst {peak.peak.label} on day {peak.day + 1}; latest {latest.peak.label} on day {latest.day + 1}.")
        days_text = "; ".join(f"day {p.day + 1} {p.peak.label}" for p in logged if p.day in shown)
        parts.append(f"Logged: {days_text}.")
    above = [p.day for p in course.points if p.above_expected]
    parts.append(
        "Above what is expected on day " + ", ".join(str(d + 1) for d in above) + "." if above else "Within what is expected."
    )
    return DayChart(
        course.label,
        bars,
        " ".join(parts) + note,
        "0 none · 1 mild · 2 moderate · 3 severe · line: the most expected that day · ! above it · – no entry",
    )


def adherence_chart(days: Sequence[DayAdherence]) -> DayChart | None:
    """Checklist tasks done over due per day, as bars filled by the share done."""
    if not days:
        return None
    by_day = {d.day: d for d in days}
    shown, note = _window([d.day for d in days])
    bars = tuple(
        ChartBar(
            day_label=f"D{day + 1}",
            level=by_day[day].done / by_day[day].due if by_day[day].due else 0.0,
            value_text=str(by_day[day].done),  # "4/10" does not fit a 22 px bar; the due count is in the words
            flagged=False,
        )
        for day in shown
    )
    summary = "Checklist by day: " + "; ".join(f"day {d + 1} {by_day[d].done} of {by_day[d].due}" for d in shown) + "."
    return DayChart("Checklist by day", bars, summary + note, "Number: tasks done that day · a full bar: every task due done")


@dataclass(frozen=True)
class FollowUpVM:
    facts: tuple[str, ...]
    red_flags: tuple[str, ...]
    courses: tuple[SymptomCourse, ...]
    adherence: str
    adherence_days: str  # "D1 5/9 · D2 7/9"
    notes: tuple[str, ...]
    charts: tuple[DayChart, ...] = ()  # one per symptom logged, in the order of ``courses``
    adherence_chart: DayChart | None = None


def follow_up_view(
    protocol: Protocol,
    profile: Profile | None,
    session: TreatmentSession,
    ticks: Iterable[ChecklistTick],
    entries: Sequence[DiaryEntry],
    now: datetime,
    zone: tzinfo,
    sessions: Sequence[TreatmentSession] = (),
) -> FollowUpVM:
    """The domain's follow-up report, worded for one phone screen: red flags first, then each course."""
    report = build_report(
        protocol, session, now=now, entries=entries, ticks=ticks, sessions=sessions, profile=profile,
        zone=zone, zone_name=getattr(zone, "key", "") or str(zone),
    )
    f = report.facts
    facts = [
        f"Treated {format_date(f.treated_at.date())} at {f.treated_at:%H:%M} ({report.zone_name})",
        f"Session {f.session_number} of {f.sessions_recorded} · area: {f.area.value} · skin: "
        + ("sensitive or reactive" if f.sensitive else "not reported sensitive"),
        f"Now: day {f.day + 1} of recovery, {protocol.phase_at(f.hours_since).name.lower()}",
    ]
    if f.clinic_name or f.clinic_phone:
        facts.append(f"Clinic: {f.clinic_name or '-'} {f.clinic_phone}".strip())
    facts.append(follow_up_text(session, now, zone))
    flags = []
    for event in report.red_flags:
        what = ", ".join(s.label.lower() for s in event.signs) or ", ".join(
            f"{s.label.lower()} {v.label}" for s, v in event.symptoms
        )
        reason = event.reasons[0] if event.reasons else ""
        flags.append(f"Day {event.day + 1} ({event.at:%d %b %H:%M}) {LEVEL_TEXT[event.level].upper()}: {what}. {reason}".strip())
    courses = []
    charts = []
    for course in report.courses:
        if not course.logged:
            continue
        charts.append(symptom_chart(course))
        logged = [p for p in course.points if p.peak is not None]
        first, last = logged[0].peak, logged[-1].peak
        if len(logged) == 1:
            trend = "one day logged"
        else:
            trend = "improving" if last < first else ("worse" if last > first else "unchanged")
        if course.days_above_expected:
            trend += "; above expected on day " + ", ".join(str(d + 1) for d in course.days_above_expected)
        courses.append(SymptomCourse(course.label, tuple(f"D{p.day + 1} {p.peak.label}" for p in logged), trend))
    adh = report.adherence
    notes = tuple(f"Day {n.day + 1} {n.at:%H:%M}: {n.text}" for n in report.notes)
    return FollowUpVM(
        facts=tuple(facts),
        red_flags=tuple(flags),
        courses=tuple(courses),
        adherence=f"Checklist: {adh.done} of {adh.due} tasks done ({round(adh.ratio * 100)} %)",
        adherence_days=" · ".join(f"D{d.day + 1} {d.done}/{d.due}" for d in adh.days),
        notes=notes,
        charts=tuple(charts),
        adherence_chart=adherence_chart(adh.days),
    )


def what_is_normal_lines(protocol: Protocol, day: int) -> tuple[str, ...]:
    return tuple(f"{s.label}: up to {sev.label}. {text}" for s, sev, text in what_is_normal(protocol, day))
