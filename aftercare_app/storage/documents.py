"""Domain records to stored documents and back (schema version 2).

Tables of the store, each a mapping of record id to document::

    profile   {"profile": {"id": "profile", "v": 2, "area", "sensitive", "clinic_name",
                           "clinic_phone", "timezone"}}
    sessions  {id: {"id", "v", "treated_at", "area", "sensitive", "follow_up", "notes"}}
    ticks     {"<session_id>/<day>/<item_id>": {"id", "v", "session_id", "day", "item_id", "ticked_at"}}
    diary     {id: {"id", "v", "session_id", "at", "symptoms": {name: 0-3}, "signs": [name], "note"}}

Instants are ISO 8601 with the offset the patient gave (``2026-05-01T10:30:00+02:00``),
dates ``YYYY-MM-DD``. ``v`` is the schema version the record was written with.
Decoding goes through the domain constructors, so a document that does not
make a valid record raises :class:`~aftercare_app.domain.records.InvalidRecord`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from aftercare_app.domain.records import ChecklistTick, DiaryEntry, InvalidRecord, Profile, TreatmentSession

SCHEMA_VERSION = 2
PROFILE_ID = "profile"

Doc = dict[str, Any]


def _instant(text: Any, what: str) -> datetime:
    if not isinstance(text, str):
        raise InvalidRecord(f"{what} must be an ISO 8601 date and time")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(f"{what} is not an ISO 8601 date and time: {text[:40]!r}") from None
    return value


def _day(text: Any) -> date | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise InvalidRecord("The follow-up must be a date like 2026-05-14")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(f"The follow-up is not a date: {text[:40]!r}") from None


def _field(doc: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    try:
        value = doc[key]
    except KeyError:
        raise InvalidRecord(f"A stored record lacks its {key!r}") from None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidRecord(f"A stored record has a malformed {key!r}")
    return value


def profile_to_doc(profile: Profile) -> Doc:
    return {
        "id": PROFILE_ID,
        "v": SCHEMA_VERSION,
        "area": profile.area.value,
        "sensitive": profile.sensitive,
        "clinic_name": profile.clinic_name,
        "clinic_phone": profile.clinic_phone,
        "timezone": profile.timezone,
    }


def profile_from_doc(doc: Mapping[str, Any]) -> Profile:
    return Profile(
        area=_field(doc, "area", str),
        sensitive=_field(doc, "sensitive", bool),
        clinic_name=_field(doc, "clinic_name", str),
        clinic_phone=_field(doc, "clinic_phone", str),
        timezone=_field(doc, "timezone", str),
    )


def session_to_doc(session: TreatmentSession) -> Doc:
    return {
        "id": session.id,
        "v": SCHEMA_VERSION,
        "treated_at": session.treated_at.isoformat(),
        "area": session.area.value,
        "sensitive": session.sensitive,
        "follow_up": session.follow_up.isoformat() if session.follow_up else None,
        "notes": session.notes,
    }


def session_from_doc(doc: Mapping[str, Any]) -> TreatmentSession:
    return TreatmentSession(
        id=_field(doc, "id", str),
        treated_at=_instant(doc.get("treated_at"), "The treatment time"),
        area=_field(doc, "area", str),
        sensitive=_field(doc, "sensitive", bool),
        follow_up=_day(doc.get("follow_up")),
        notes=_field(doc, "notes", str),
    )


def tick_id(session_id: str, day: int, item_id: str) -> str:
    return f"{session_id}/{day}/{item_id}"


def tick_to_doc(tick: ChecklistTick) -> Doc:
    return {
        "id": tick_id(tick.session_id, tick.day, tick.item_id),
        "v": SCHEMA_VERSION,
        "session_id": tick.session_id,
        "day": tick.day,
        "item_id": tick.item_id,
        "ticked_at": tick.ticked_at.isoformat(),
    }


def tick_from_doc(doc: Mapping[str, Any]) -> ChecklistTick:
    return ChecklistTick(
        session_id=_field(doc, "session_id", str),
        day=_field(doc, "day", int),
        item_id=_field(doc, "item_id", str),
        ticked_at=_instant(doc.get("ticked_at"), "The tick time"),
    )


def entry_to_doc(entry: DiaryEntry) -> Doc:
    return {
        "id": entry.id,
        "v": SCHEMA_VERSION,
        "session_id": entry.session_id,
        "at": entry.at.isoformat(),
        "symptoms": {symptom.value: int(level) for symptom, level in entry.symptoms.items()},
        "signs": sorted(sign.value for sign in entry.signs),
        "note": entry.note,
    }


def entry_from_doc(doc: Mapping[str, Any]) -> DiaryEntry:
    return DiaryEntry(
        id=_field(doc, "id", str),
        session_id=_field(doc, "session_id", str),
        at=_instant(doc.get("at"), "The entry time"),
        symptoms=_field(doc, "symptoms", dict),
        signs=_field(doc, "signs", list),
        note=_field(doc, "note", str),
    )


Record = Profile | TreatmentSession | ChecklistTick | DiaryEntry

# How each table's records become documents and back; sessions come before what points at them. An encoder takes
# the record of its own table only (hence Any: a Callable[[Record], Doc] would have to take all four).
ENCODERS: Mapping[str, Callable[[Any], Doc]] = {
    "profile": profile_to_doc,
    "sessions": session_to_doc,
    "ticks": tick_to_doc,
    "diary": entry_to_doc,
}
DECODERS: Mapping[str, Callable[[Mapping[str, Any]], Record]] = {
    "profile": profile_from_doc,
    "sessions": session_from_doc,
    "ticks": tick_from_doc,
    "diary": entry_from_doc,
}
