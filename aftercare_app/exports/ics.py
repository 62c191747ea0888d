"""The recovery calendar (RFC 5545): a phone's calendar reminds the patient when a web app cannot.

Events:

- one at the moment each restriction lifts (UTC instant, 15 minutes, free
  time), with an alarm at that moment;
- the follow-up appointment as an all-day event, with an alarm the evening before;
- optionally a daily check-in reminder at a local time of day, with an alarm.

UIDs depend only on the session and the item, so importing a newer export
updates the events instead of duplicating them. icalendar writes the format:
CRLF line ends, lines folded at 75 octets without splitting a UTF-8 sequence,
TEXT values escaped.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import tz
from icalendar import Alarm, Calendar, Event

from aftercare_app.domain.report import FollowUpReport
from aftercare_app.domain.vocabulary import Area

__all__ = ["PRODID", "calendar_ics", "check_in_instants", "event_uid"]

PRODID = "-//Aftercare Companion//Recovery calendar//EN"
UID_DOMAIN = "aftercare-companion.app"
CHECK_IN_SUMMARY = "Aftercare check-in: diary and checklist"
CHECK_IN_TEXT = "Open the app: tick today’s checklist and log how your skin feels."


def event_uid(session_id: str, item: str) -> str:
    """A UID stable across exports of the same session."""
    digest = hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:20]
    return f"{item}.{digest}@{UID_DOMAIN}"


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


def _alarm(description: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


def _event(uid: str, stamp: datetime, start: datetime | date, summary: str, description: str) -> Event:
    """An event of free time in the AFTERCARE category; the caller adds its length and alarm."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", ["AFTERCARE"])
    event.add("transp", "TRANSPARENT")
    return event


def _calendar(report: FollowUpReport, check_in: time | None, check_in_days: int) -> Calendar:
    facts = report.facts
    stamp = report.generated_at.astimezone(UTC)
    area = "scalp" if facts.area is Area.SCALP else "face"
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Aftercare: recovery calendar")

    for lift in report.lifts:
        summary = f"Allowed again: {lift.title}"
        description = f"{lift.reason}\n{lift.note}\nCounted from the treatment of {facts.treated_at:%Y-%m-%d %H:%M} ({area})."
        event = _event(event_uid(facts.session_id, f"restriction-{lift.id.value}"), stamp,
                       lift.allowed_from.astimezone(UTC), summary, description)
        event.add("duration", timedelta(minutes=15))
        event.add_component(_alarm(summary, timedelta(0)))
        calendar.add_component(event)

    if facts.follow_up is not None:
        clinic = facts.clinic_name or "your clinic"
        summary = f"Follow-up visit at {clinic}"
        description = "Mesotherapy follow-up. Show the app's follow-up report or bring its PDF."
        if facts.clinic_phone:
            description += f"\nClinic phone: {facts.clinic_phone}"
        event = _event(event_uid(facts.session_id, "follow-up"), stamp, facts.follow_up, summary, description)
        event.add("dtend", facts.follow_up + timedelta(days=1))
        event.add_component(_alarm(f"Tomorrow: {summary}", timedelta(hours=6)))  # 18:00 the evening before
        calendar.add_component(event)

    if check_in is not None:
        for number, instant in enumerate(check_in_instants(report, check_in, check_in_days), 1):
            event = _event(event_uid(facts.session_id, f"check-in-{number}"), stamp, instant, CHECK_IN_SUMMARY, CHECK_IN_TEXT)
            event.add("duration", timedelta(minutes=10))
            event.add_component(_alarm(CHECK_IN_SUMMARY, timedelta(0)))
            calendar.add_component(event)
    return calendar


def calendar_ics(report: FollowUpReport, *, check_in: time | None = None, check_in_days: int = 14) -> bytes:
    """The calendar file; ``check_in`` adds a daily reminder at that local time for ``check_in_days`` days."""
    if check_in_days < 0:
        raise ValueError("check_in_days must be 0 or more")
    return _calendar(report, check_in, check_in_days).to_ical()
