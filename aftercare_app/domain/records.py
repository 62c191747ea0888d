"""What the patient records: profile, treatment sessions, checklist ticks, diary entries.

These are the values the repository stores and returns. Constructors validate,
so an invalid record can never reach storage: bad input raises
:class:`InvalidRecord` with a message fit to show the patient.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from dateutil import tz

from aftercare_app.domain.vocabulary import Area, Severity, Symptom, WarningSign

NOTE_MAX_CHARS = 4000
SHORT_TEXT_MAX_CHARS = 200
PHONE_ALLOWED = set("0123456789+-() ./")
FUTURE_GRACE = timedelta(minutes=5)  # a phone's clock may run a little behind the time typed


class InvalidRecord(ValueError):
    """A record that must not be stored; the message says why in plain words.

    ``field`` names the form field at fault when there is one (``clinic_phone``, ``treated_at``...), so a form can
    show the message under it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def area_of(value: Area | str) -> Area:
    """The treated area named by ``value``, or InvalidRecord naming the choices."""
    try:
        return Area(value)
    except ValueError:
        raise InvalidRecord(f"Unknown area {value!r}; expected face or scalp", "area") from None


def require_aware(value: datetime, what: str, field: str = "") -> datetime:
    if not isinstance(value, datetime):
        raise InvalidRecord(f"{what} must be a date and time", field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRecord(f"{what} needs a timezone offset, e.g. 2026-05-01T10:30:00+02:00", field)
    return value


def clean_text(value: str, what: str, max_chars: int, *, multiline: bool = False, field: str = "") -> str:
    """Text safe to store and show: NFC, no control characters, within ``max_chars``."""
    if not isinstance(value, str):
        raise InvalidRecord(f"{what} must be text", field)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise InvalidRecord(f"{what} contains invalid characters", field)
    text = unicodedata.normalize("NFC", value).strip()
    if multiline:  # a note pasted from Windows or typed on an old Mac ends its lines its own way
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    allowed_controls = {"\n", "\t"} if multiline else set()
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in allowed_controls:
            raise InvalidRecord(f"{what} contains control characters", field)
    if len(text) > max_chars:
        raise InvalidRecord(f"{what} is too long ({len(text)} characters; at most {max_chars})", field)
    return text


def clean_phone(value: str, what: str = "The clinic phone number", field: str = "clinic_phone") -> str:
    phone = clean_text(value, what, 40, field=field)
    if phone and (not set(phone) <= PHONE_ALLOWED or sum(ch.isdigit() for ch in phone) < 3):
        raise InvalidRecord(f"{what} may hold only digits, spaces and + - ( ) .", field)
    return phone


@dataclass(frozen=True)
class Profile:
    """Who the patient is to the app: no name, only what the care needs."""

    area: Area = Area.FACE
    sensitive: bool = False
    clinic_name: str = ""
    clinic_phone: str = ""
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", area_of(self.area))
        if not isinstance(self.sensitive, bool):
            raise InvalidRecord("Sensitive skin must be yes or no", "sensitive")
        object.__setattr__(
            self, "clinic_name", clean_text(self.clinic_name, "The clinic name", SHORT_TEXT_MAX_CHARS, field="clinic_name")
        )
        object.__setattr__(self, "clinic_phone", clean_phone(self.clinic_phone))
        zone = clean_text(self.timezone, "The timezone", 64, field="timezone") or "UTC"
        if tz.gettz(zone) is None:
            raise InvalidRecord(f"Unknown timezone {zone!r}; expected a name such as Europe/Paris", "timezone")
        object.__setattr__(self, "timezone", zone)


@dataclass(frozen=True)
class TreatmentSession:
    """One mesotherapy session of a course; the newest one drives the countdown."""

    id: str
    treated_at: datetime
    area: Area = Area.FACE
    sensitive: bool = False
    follow_up: date | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        require_aware(self.treated_at, "The treatment time", "treated_at")
        object.__setattr__(self, "area", area_of(self.area))
        if not isinstance(self.sensitive, bool):
            raise InvalidRecord("Sensitive skin must be yes or no", "sensitive")
        if self.follow_up is not None:
            if not isinstance(self.follow_up, date) or isinstance(self.follow_up, datetime):
                raise InvalidRecord("The follow-up must be a date", "follow_up")
            if self.follow_up < self.treated_at.date():
                raise InvalidRecord("The follow-up date cannot be before the treatment", "follow_up")
        object.__setattr__(
            self, "notes", clean_text(self.notes, "The session notes", NOTE_MAX_CHARS, multiline=True, field="notes")
        )


@dataclass(frozen=True)
class ChecklistTick:
    """A task ticked off on one recovery day of one session."""

    session_id: str
    day: int
    item_id: str
    ticked_at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.day, int) or isinstance(self.day, bool) or self.day < 0:
            raise InvalidRecord("The day must be a whole number from 0")
        require_aware(self.ticked_at, "The tick time")


#: Severities as a form or a file gives them: by symptom or by its name, as 0-3.
SymptomLevels = Mapping[Symptom, int] | Mapping[str, int]


def symptoms_of(raw: SymptomLevels) -> Mapping[Symptom, Severity]:
    """The severities in ``raw``, checked and frozen in the order of :class:`Symptom`; InvalidRecord otherwise."""
    frozen: dict[Symptom, Severity] = {}
    for name, value in raw.items():
        try:
            symptom = Symptom(name)
        except ValueError:
            choices = ", ".join(s.value for s in Symptom)
            raise InvalidRecord(f"Unknown symptom {name!r}; expected one of: {choices}") from None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            raise InvalidRecord(f"Severity of {symptom.value} must be 0, 1, 2 or 3 (got {value!r})")
        frozen[symptom] = Severity(value)
    return MappingProxyType(dict(sorted(frozen.items(), key=lambda kv: list(Symptom).index(kv[0]))))


def signs_of(raw: Iterable[WarningSign | str]) -> frozenset[WarningSign]:
    """The warning signs named in ``raw``; InvalidRecord naming the choices otherwise."""
    signs = set()
    for name in raw:
        try:
            signs.add(WarningSign(name))
        except ValueError:
            choices = ", ".join(s.value for s in WarningSign)
            raise InvalidRecord(f"Unknown warning sign {name!r}; expected one of: {choices}") from None
    return frozenset(signs)


@dataclass(frozen=True)
class DiaryEntry:
    """A photo-free diary entry: symptom severities, warning signs and a note."""

    id: str
    session_id: str
    at: datetime
    symptoms: Mapping[Symptom, Severity] = field(default_factory=dict)
    signs: frozenset[WarningSign] = frozenset()
    note: str = ""

    def __post_init__(self) -> None:
        require_aware(self.at, "The entry time", "at")
        object.__setattr__(self, "symptoms", symptoms_of(self.symptoms))
        object.__setattr__(self, "signs", signs_of(self.signs))
        object.__setattr__(self, "note", clean_text(self.note, "The note", NOTE_MAX_CHARS, multiline=True, field="note"))

    def severity(self, symptom: Symptom) -> Severity:
        return self.symptoms.get(symptom, Severity.NONE)

    def __hash__(self) -> int:
        return hash(self.id)


def check_entry_in_session(entry: DiaryEntry, session: TreatmentSession, now: datetime) -> None:
    """Refuse an entry dated before its session's treatment or in the future."""
    if entry.at < session.treated_at:
        raise InvalidRecord("The entry time is before the treatment of its session")
    if entry.at > now + FUTURE_GRACE:
        raise InvalidRecord("The entry time is in the future")


#: How far after its treatment a follow-up visit may be: further is a mistyped year.
MAX_FOLLOW_UP = timedelta(days=366)


def check_follow_up(session: TreatmentSession) -> None:
    """Refuse a follow-up more than a year after the treatment (a mistyped year such as 9999 would reach past
    what dates can hold in the calendar export)."""
    if session.follow_up is not None and session.follow_up > session.treated_at.date() + MAX_FOLLOW_UP:
        raise InvalidRecord("The follow-up date is more than a year after the treatment; check the year", "follow_up")


def check_treatment_move(
    old: TreatmentSession,
    treated_at: datetime,
    *,
    now: datetime,
    entries: Iterable[DiaryEntry],
    sessions: Iterable[TreatmentSession],
) -> None:
    """Refuse a corrected treatment time that is in the future, falls after one of the session's diary entries,
    or passes another session's treatment (the sessions keep their order)."""
    if treated_at > now + FUTURE_GRACE:
        raise InvalidRecord("The treatment time is in the future", "treated_at")
    first = min((e.at for e in entries if e.session_id == old.id), default=None)
    if first is not None and treated_at > first:
        local = first.astimezone(old.treated_at.tzinfo)
        raise InvalidRecord(
            f"The treatment cannot be after your first diary entry of this session ({local:%d %b %Y %H:%M}); "
            "choose an earlier time or delete that entry first",
            "treated_at",
        )
    others = [s for s in sessions if s.id != old.id]
    before = [s.treated_at for s in others if s.treated_at < old.treated_at]
    after = [s.treated_at for s in others if s.treated_at > old.treated_at]
    if (before and treated_at <= max(before)) or (after and treated_at >= min(after)):
        raise InvalidRecord("The treatment time would pass another session's; start a new session instead", "treated_at")
