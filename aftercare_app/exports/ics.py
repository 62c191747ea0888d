"""The recovery calendar (RFC 5545): a phone's calendar reminds the patient when a web app cannot.

Events:

- one at the moment each restriction lifts (UTC instant, 15 minutes, free
  time), with an alarm at that moment;
- the follow-up appointment as an all-day event, with an alarm the evening before;
- optionally a daily check-in reminder at a local time of day, with an alarm.

UIDs depend only on the session and the item, so importing a newer export
updates the events instead of duplicating them. Written by hand (no
dependency): CRLF line ends, lines folded at 75 octets without splitting a
UTF-8 sequence, TEXT values escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import tz

from aftercare_app.domain.report import FollowUpReport
from aftercare_app.domain.vocabulary import Area

__all__ = ["PRODID", "calendar_ics", "check_in_instants", "event_uid"]

PRODID = "-//Aftercare Companion//Recovery calendar//EN"
UID_DOMAIN = "aftercare-companion.app"


def escape_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 section 3.3.11."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets (continuations start with a space), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    chunks = []
    limit = 75
    current = bytearray()
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > limit:
            chunks.append(bytes(current))
            current = bytearray()
            limit = 74  # the leading space of a continuation counts
        current += encoded
    chunks.append(bytes(current))
    return b"\r\n ".join(chunks) + b"\r\n"


def event_uid(session_id: str, item: str) -> str:
    """A UID stable across exports of the same session."""
    digest = hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:20]
    return f"{item}.{digest}@{UID_DOMAIN}"


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def check_in_instants(report: FollowUpReport, at: time, days: int) -> list[datetime]:
    """The first ``days`` local times ``at`` after the treatment, as UTC instants (DST-safe)."""
    zone: tzinfo = report.facts.treated_at.tzinfo or UTC
    start = report.facts.treated_at
    instants: list[datetime] = []
    day = start.date()
    while len(instants) < days:
        local = tz.resolve_imaginary(datetime.combine(day, at, tzinfo=zone))
        if local > start:
            instants.append(local.astimezone(UTC))
        day += timedelta(days=1)
    return instants


def _alarm(description: str, trigger: str) -> Iterator[str]:
    yield "BEGIN:VALARM"
    yield "ACTION:DISPLAY"
    yield f"DESCRIPTION:{escape_text(description)}"
    yield f"TRIGGER:{trigger}"
    yield "END:VALARM"


def _lines(report: FollowUpReport, check_in: time | None, check_in_days: int) -> Iterator[str]:
    facts = report.facts
    stamp = _utc(report.generated_at)
    area = "scalp" if facts.area is Area.SCALP else "face"
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:{PRODID}"
    yield "CALSCALE:GREGORIAN"
    yield "METHOD:PUBLISH"
    yield f"X-WR-CALNAME:{escape_text('Aftercare: recovery calendar')}"

    for lift in report.lifts:
        summary = f"Allowed again: {lift.title}"
        yield "BEGIN:VEVENT"
        yield f"UID:{event_uid(facts.session_id, 'restriction-' + lift.id.value)}"
        yield f"DTSTAMP:{stamp}"
        yield f"DTSTART:{_utc(lift.allowed_from)}"
        yield "DURATION:PT15M"
        yield f"SUMMARY:{escape_text(summary)}"
        description = f"{lift.reason}\n{lift.note}\nCounted from the treatment of {facts.treated_at:%Y-%m-%d %H:%M} ({area})."
        yield f"DESCRIPTION:{escape_text(description)}"
        yield "CATEGORIES:AFTERCARE"
        yield "TRANSP:TRANSPARENT"
        yield from _alarm(summary, "PT0S")
        yield "END:VEVENT"

    if facts.follow_up is not None:
        clinic = facts.clinic_name or "your clinic"
        summary = f"Follow-up visit at {clinic}"
        description = "Mesotherapy follow-up. Show the app's follow-up report or bring its PDF."
        if facts.clinic_phone:
            description += f"\nClinic phone: {facts.clinic_phone}"
        yield "BEGIN:VEVENT"
        yield f"UID:{event_uid(facts.session_id, 'follow-up')}"
        yield f"DTSTAMP:{stamp}"
        yield f"DTSTART;VALUE=DATE:{_date(facts.follow_up)}"
        yield f"DTEND;VALUE=DATE:{_date(facts.follow_up + timedelta(days=1))}"
        yield f"SUMMARY:{escape_text(summary)}"
        yield f"DESCRIPTION:{escape_text(description)}"
        yield "CATEGORIES:AFTERCARE"
        yield "TRANSP:TRANSPARENT"
        yield from _alarm(f"Tomorrow: {summary}", "-PT6H")
        yield "END:VEVENT"

    if check_in is not None:
        for number, instant in enumerate(check_in_instants(report, check_in, check_in_days), 1):
            summary = "Aftercare check-in: diary and checklist"
            yield "BEGIN:VEVENT"
            yield f"UID:{event_uid(facts.session_id, f'check-in-{number}')}"
            yield f"DTSTAMP:{stamp}"
            yield f"DTSTART:{_utc(instant)}"
            yield "DURATION:PT10M"
            yield f"SUMMARY:{escape_text(summary)}"
            yield f"DESCRIPTION:{escape_text('Open the app: tick today’s checklist and log how your skin feels.')}"
            yield "CATEGORIES:AFTERCARE"
            yield "TRANSP:TRANSPARENT"
            yield from _alarm(summary, "PT0S")
            yield "END:VEVENT"

    yield "END:VCALENDAR"


def calendar_ics(report: FollowUpReport, *, check_in: time | None = None, check_in_days: int = 14) -> bytes:
    """The calendar file; ``check_in`` adds a daily reminder at that local time for ``check_in_days`` days."""
    if check_in_days < 0:
        raise ValueError("check_in_days must be 0 or more")
    return b"".join(fold(line) for line in _lines(report, check_in, check_in_days))
