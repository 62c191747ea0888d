"""Restriction windows: what is still off-limits at ``now``, when it lifts, and on what condition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.rules import Restriction
from aftercare_app.domain.timeline import Treatment, hours_since
from aftercare_app.domain.vocabulary import RestrictionId


@dataclass(frozen=True)
class RestrictionStatus:
    """One restriction at one instant: ``remaining`` is zero once allowed.

    Allowed does not always mean without limits: ``condition`` says what still
    holds after the window (empty when nothing does), until ``condition_until``.
    """

    rule: Restriction
    title: str
    allowed: bool
    allowed_from: datetime  # UTC instant; show it in the patient's zone
    remaining: timedelta
    condition: str = ""
    condition_until: datetime | None = None  # UTC instant

    @property
    def id(self) -> RestrictionId:
        return self.rule.id

    @property
    def remaining_hours(self) -> float:
        return self.remaining.total_seconds() / 3600


def lifts_at(rule: Restriction, treatment: Treatment) -> datetime:
    """The instant ``rule`` lifts for this treatment (its skin and area), in UTC."""
    return treatment.instant_after(rule.window_hours(treatment.sensitive, treatment.area))


def restriction_status(rule: Restriction, treatment: Treatment, now: datetime) -> RestrictionStatus:
    hours_since(treatment, now)  # refuses a time before the treatment
    lifts = lifts_at(rule, treatment)
    remaining = max(timedelta(0), lifts - now)
    condition, until = "", None
    if rule.then_text and rule.then_until_hours is not None:
        until = treatment.instant_after(rule.then_until_hours)
        if now < until:
            condition = rule.then_text
        else:
            until = None
    return RestrictionStatus(
        rule=rule,
        title=rule.title_for(treatment.area),
        allowed=remaining == timedelta(0),
        allowed_from=lifts,
        remaining=remaining,
        condition=condition,
        condition_until=until,
    )


def in_force(rule: Restriction, treatment: Treatment, now: datetime) -> bool:
    """Whether ``rule`` still forbids what it names at ``now``."""
    return now < lifts_at(rule, treatment)


def restriction_statuses(protocol: Protocol, treatment: Treatment, now: datetime) -> tuple[RestrictionStatus, ...]:
    """Every restriction, still-active ones first (soonest to lift first), then lifted ones."""
    statuses = [restriction_status(rule, treatment, now) for rule in protocol.restrictions]
    return tuple(sorted(statuses, key=lambda s: (s.allowed, s.remaining, list(RestrictionId).index(s.id))))
