"""Where a patient is in recovery: hours since the injection, recovery day, phase.

All arithmetic is on instants (UTC), never on wall-clock times: adding 24 hours
across a DST change lands 24 real hours later, and a 23-hour calendar day is 23
hours. Day numbers are 0-based: day 0 is the first 24 hours after treatment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aftercare_app.domain.records import InvalidRecord, TreatmentSession, require_aware
from aftercare_app.domain.vocabulary import Area

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Treatment:
    """What the timing rules need to know about a session."""

    treated_at: datetime
    area: Area = Area.FACE
    sensitive: bool = False

    def __post_init__(self) -> None:
        require_aware(self.treated_at, "The treatment time")
        object.__setattr__(self, "area", Area(self.area))

    def instant_after(self, hours: float) -> datetime:
        """The instant ``hours`` real hours after treatment, in UTC."""
        return self.treated_at.astimezone(UTC) + timedelta(hours=hours)


def treatment_of(session: TreatmentSession) -> Treatment:
    """What the timing rules need of a recorded session."""
    return Treatment(session.treated_at, session.area, session.sensitive)


def hours_between(start: datetime, end: datetime) -> float:
    """Real hours from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    require_aware(start, "The start time")
    require_aware(end, "The end time")
    return (end.astimezone(UTC) - start.astimezone(UTC)) / HOUR


def hours_since(treatment: Treatment, now: datetime) -> float:
    """Real hours since the injection; refuses a ``now`` before the treatment."""
    hours = hours_between(treatment.treated_at, now)
    if hours < 0:
        raise InvalidRecord("The time asked about is before the treatment")
    return hours


def recovery_day(treatment: Treatment, now: datetime) -> int:
    """0-based recovery day: floor(hours since treatment / 24)."""
    return math.floor(hours_since(treatment, now) / 24)


def format_duration(delta: timedelta) -> str:
    """A remaining time for people, to the minute: '1 day 5 h', '5 h 20 min', '12 min'."""
    minutes = max(0, math.ceil(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if mins and not days:
        parts.append(f"{mins} min")
    return " ".join(parts) or "0 min"
