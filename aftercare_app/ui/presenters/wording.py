"""Words the screens share: times of day and dates in the patient's zone, triage levels, the follow-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from aftercare_app.domain.vocabulary import TriageLevel

__all__ = ["LEVEL_TEXT", "follow_up_text", "format_date", "format_day_time"]

LEVEL_TEXT = {
    TriageLevel.NORMAL: "Normal for the day",
    TriageLevel.CALL_CLINIC: "Call your clinic",
    TriageLevel.EMERGENCY: "Emergency",
}


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


def follow_up_text(follow_up: date | None, now: datetime, zone: tzinfo) -> str:
    """How far the follow-up visit is, counted in the patient's calendar days."""
    if follow_up is None:
        return "No follow-up date set. Add one in Settings."
    days = (follow_up - now.astimezone(zone).date()).days
    when = format_date(follow_up)
    if days > 1:
        return f"Follow-up in {days} days ({when})"
    if days == 1:
        return f"Follow-up tomorrow ({when})"
    if days == 0:
        return f"Follow-up today ({when})"
    return f"Follow-up was {-days} day{'s' if days != -1 else ''} ago ({when})"
