"""The treatment form (welcome, new session, correcting a session): the text typed, read into typed values.

The form only reads what the patient typed (dates, times, the area) and checks what only a form can: a date that
does not parse, a year that is probably mistyped, a phone number left empty. Everything a record must satisfy (a
treatment not in the future, a follow-up not before it, a phone of digits) is checked once, by the records;
:func:`field_of` puts such a refusal under the field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil import tz as dtz

from aftercare_app.domain.clinic import Clinic
from aftercare_app.domain.records import InvalidRecord, Profile, TreatmentSession
from aftercare_app.domain.vocabulary import Area

__all__ = [
    "FOLLOW_UP_AFTER",
    "OnboardingForm",
    "SessionInput",
    "calendar_start",
    "clock_start",
    "default_follow_up",
    "field_of",
    "follow_up_after",
    "follow_up_after_date_change",
    "local_instant",
    "onboarding_defaults",
    "picked_date",
    "picked_time",
    "read_session_form",
    "session_form",
]

FOLLOW_UP_AFTER = timedelta(days=14)
MAX_PAST = timedelta(days=366)


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
class SessionInput:
    """The form read into typed values, ready for the records (which check them as records)."""

    treated_at: datetime
    area: Area
    sensitive: bool
    follow_up: date | None
    clinic_name: str
    clinic_phone: str


def default_follow_up(treated_date: str, after: timedelta = FOLLOW_UP_AFTER) -> str:
    """The follow-up ``after`` the treatment date as typed (two weeks by default); '' while the date does not
    parse."""
    try:
        return (_parse_date(treated_date) + after).isoformat()
    except ValueError:
        return ""


def follow_up_after_date_change(
    old_treated: str, new_treated: str, follow_up: str, after: timedelta = FOLLOW_UP_AFTER
) -> str:
    """The follow-up field once the treatment date changes from ``old_treated`` to ``new_treated``.

    It follows the treatment while it still holds the default (or nothing); a date the patient chose stays as
    typed."""
    if follow_up.strip() and follow_up.strip() != default_follow_up(old_treated, after):
        return follow_up
    return default_follow_up(new_treated, after) or follow_up


def follow_up_after(clinic: Clinic | None) -> timedelta:
    """How long after the treatment the follow-up is offered: the clinic's own delay in its build."""
    return timedelta(days=clinic.follow_up_days) if clinic else FOLLOW_UP_AFTER


def onboarding_defaults(
    now: datetime, zone: tzinfo, profile: Profile | None = None, clinic: Clinic | None = None
) -> OnboardingForm:
    """Treatment 'now' in the device's zone, follow-up after it, area, skin and clinic kept from the profile; in
    a clinic's build, the clinic's name and phone until the patient typed their own."""
    local = now.astimezone(zone)
    treated_date = local.date().isoformat()
    typed = profile is not None and bool(profile.clinic_name or profile.clinic_phone)
    return OnboardingForm(
        treated_date=treated_date,
        treated_time=local.strftime("%H:%M"),
        area=(profile.area.value if profile else Area.FACE.value),
        sensitive=profile.sensitive if profile else False,
        clinic_name=profile.clinic_name if profile and typed else (clinic.name if clinic else ""),
        clinic_phone=profile.clinic_phone if profile and typed else (clinic.phone if clinic else ""),
        follow_up=default_follow_up(treated_date, follow_up_after(clinic)),
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
    aware = datetime.combine(day, clock).replace(tzinfo=zone)
    if not dtz.datetime_exists(aware):
        aware = dtz.resolve_imaginary(aware)
    return aware


def read_session_form(
    form: OnboardingForm, *, zone: tzinfo, now: datetime, needs_phone: bool = True
) -> tuple[SessionInput | None, dict[str, str]]:
    """The form's values, or the errors keyed by field name and worded for the patient (then no values)."""
    errors: dict[str, str] = {}
    treated_day = treated_clock = follow_up = None
    try:
        treated_day = _parse_date(form.treated_date)
    except ValueError:
        errors["treated_date"] = "Enter the date as YYYY-MM-DD, e.g. 2026-05-01."
    try:
        treated_clock = _parse_time(form.treated_time)
    except ValueError:
        errors["treated_time"] = "Enter the time as HH:MM, e.g. 14:30."
    if form.follow_up.strip():
        try:
            follow_up = _parse_date(form.follow_up)
        except ValueError:
            errors["follow_up"] = "Enter the date as YYYY-MM-DD, or leave it empty."
    if form.area not in {a.value for a in Area}:
        errors["area"] = "Choose face or scalp."
    if needs_phone and not form.clinic_phone.strip():
        errors["clinic_phone"] = "Add your clinic's phone number so the app can offer to call it."
    treated_at = None
    if treated_day is not None and treated_clock is not None:
        treated_at = local_instant(treated_day, treated_clock, zone)
        if now - treated_at > MAX_PAST:
            errors["treated_date"] = "That is more than a year ago; check the year."
    if errors or treated_at is None:
        return None, errors
    return SessionInput(treated_at, Area(form.area), form.sensitive, follow_up, form.clinic_name, form.clinic_phone), {}


def field_of(refusal: InvalidRecord, form: OnboardingForm, zone: tzinfo, now: datetime) -> str:
    """The form field a record's refusal concerns: a treatment time of today goes under the time, of another day
    under the date; a refusal about nothing in the form goes under the date."""
    if refusal.field == "treated_at":
        try:
            same_day = _parse_date(form.treated_date) == now.astimezone(zone).date()
        except ValueError:
            same_day = False
        return "treated_time" if same_day else "treated_date"
    return refusal.field if refusal.field in OnboardingForm.__dataclass_fields__ else "treated_date"
