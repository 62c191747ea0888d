"""The Today screen: the day of recovery, the countdown to each restriction's lift, the follow-up, a red flag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from aftercare_app.domain.clinic import name_the_number
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import TreatmentSession
from aftercare_app.domain.report import AssessedEntry
from aftercare_app.domain.restrictions import restriction_statuses
from aftercare_app.domain.timeline import format_duration, hours_since, recovery_day, treatment_of
from aftercare_app.domain.vocabulary import TriageLevel
from aftercare_app.ui.presenters.wording import follow_up_text, format_day_time

__all__ = ["Countdown", "RedFlag", "TodayVM", "latest_red_flag", "today_view"]


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
    condition: str = ""  # what still holds once allowed ("only with SPF 30+ and a hat …"), until ``condition_until``
    condition_until: str = ""

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


def latest_red_flag(
    assessed: Sequence[AssessedEntry], zone: tzinfo, now: datetime, emergency_number: str = ""
) -> RedFlag | None:
    """The newest entry that called for the clinic or emergency care, as the banner words it (naming the
    clinic's emergency number in its build)."""
    for item in sorted(assessed, key=lambda a: a.entry.at, reverse=True):
        if item.level >= TriageLevel.CALL_CLINIC:
            when = format_day_time(item.entry.at, zone, now)
            what = "Call your clinic"
            if item.level == TriageLevel.EMERGENCY:
                what = f"Seek emergency care, call {emergency_number} now" if emergency_number else "Seek emergency care"
            first = name_the_number(item.triage.findings[0].reason, emergency_number) if item.triage.findings else ""
            return RedFlag(item.level, f"{what}: on day {item.day + 1} ({when}) your diary entry needs attention. {first}".strip())
    return None


def today_view(
    protocol: Protocol,
    session: TreatmentSession,
    now: datetime,
    zone: tzinfo,
    assessed: Sequence[AssessedEntry] = (),
    emergency_number: str = "",
) -> TodayVM:
    """Today for ``session`` at ``now``; ``assessed``: its diary entries as the records triaged them."""
    treatment = treatment_of(session)
    hours = hours_since(treatment, now)
    day = recovery_day(treatment, now)
    phase = protocol.phase_at(hours)
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
            condition=s.condition,
            condition_until=format_day_time(s.condition_until, zone, now) if s.condition_until else "",
        )
        for s in restriction_statuses(protocol, treatment, now)
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
        follow_up=follow_up_text(session.follow_up, now, zone),
        red_flag=latest_red_flag(assessed, zone, now, emergency_number),
        next_tick_seconds=max(1.0, 60 - seconds_into_minute),
    )
