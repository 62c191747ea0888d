"""Restriction windows: what is still off-limits at ``now`` and when it lifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aftercare_app.domain.protocol import Protocol, Restriction
from aftercare_app.domain.timeline import Treatment, hours_since
from aftercare_app.domain.vocabulary import RestrictionId


@dataclass(frozen=True)
class RestrictionStatus:
    """One restriction at one instant: ``remaining`` is zero once allowed."""

    rule: Restriction
    title: str
    allowed: bool
    allowed_from: datetime  # UTC instant; show it in the patient's zone
    remaining: timedelta

    @property
    def id(self) -> RestrictionId:
        return self.rule.id

    @property
    def remaining_hours(self) -> float:
        return self.remaining.total_seconds() / 3600


def restriction_status(rule: Restriction, treatment: Treatment, now: datetime) -> RestrictionStatus:
    hours_since(treatment, now)  # refuses a time before the treatment
    lifts = treatment.instant_after(rule.window_hours(treatment.sensitive))
    remaining = max(timedelta(0), lifts - now)
    return RestrictionStatus(
        rule=rule,
        title=rule.title_for(treatment.area),
        allowed=remaining == timedelta(0),
        allowed_from=lifts,
        remaining=remaining,
    )


def restriction_statuses(protocol: Protocol, treatment: Treatment, now: datetime) -> tuple[RestrictionStatus, ...]:
    """Every restriction, still-active ones first (soonest to lift first), then lifted ones."""
    statuses = [restriction_status(rule, treatment, now) for rule in protocol.restrictions]
    return tuple(sorted(statuses, key=lambda s: (s.allowed, s.remaining, list(RestrictionId).index(s.id))))
