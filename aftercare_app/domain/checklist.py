"""The daily checklist: the tasks of each recovery day, and how many were done."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import ChecklistTick
from aftercare_app.domain.rules import Phase, Restriction, Task
from aftercare_app.domain.timeline import Treatment


def phase_of_day(protocol: Protocol, day: int) -> Phase:
    """The phase a whole recovery day belongs to (phases start on day boundaries)."""
    return protocol.phase_at(day * 24)


def in_force_on_day(rule: Restriction, day: int, treatment: Treatment | None = None) -> bool:
    """Whether ``rule`` is in force at some hour of recovery ``day`` (0-based).

    Without a treatment the longest window counts (sensitive skin, treated
    scalp), so a reminder is never dropped for someone who still needs it.
    """
    hours = rule.longest_hours if treatment is None else rule.window_hours(treatment.sensitive, treatment.area)
    return day * 24 < hours


def tasks_for_day(protocol: Protocol, day: int, treatment: Treatment | None = None) -> tuple[Task, ...]:
    """Today's tasks: those of the day's phase, less reminders of restrictions already lifted for ``treatment``."""
    if day < 0:
        raise ValueError("recovery days start at 0")
    phase = phase_of_day(protocol, day)
    return tuple(
        task
        for task in protocol.tasks
        if phase.id in task.phases
        and (not task.restrictions or any(in_force_on_day(protocol.restriction(r), day, treatment) for r in task.restrictions))
    )


@dataclass(frozen=True)
class DayAdherence:
    day: int
    done: int
    due: int

    @property
    def ratio(self) -> float:
        return self.done / self.due if self.due else 1.0


@dataclass(frozen=True)
class Adherence:
    """Tasks done over tasks due, per day and in total, from day 0 to ``through_day``."""

    days: tuple[DayAdherence, ...]

    @property
    def done(self) -> int:
        return sum(d.done for d in self.days)

    @property
    def due(self) -> int:
        return sum(d.due for d in self.days)

    @property
    def ratio(self) -> float:
        return self.done / self.due if self.due else 1.0


def done_items(ticks: Iterable[ChecklistTick], day: int) -> frozenset[str]:
    return frozenset(t.item_id for t in ticks if t.day == day)


def adherence(
    protocol: Protocol, ticks: Iterable[ChecklistTick], through_day: int, treatment: Treatment | None = None
) -> Adherence:
    """Adherence over days 0..``through_day``; ticks of items not due that day don't count."""
    ticks = tuple(ticks)
    days = []
    for day in range(max(0, through_day) + 1):
        due = {t.id for t in tasks_for_day(protocol, day, treatment)}
        days.append(DayAdherence(day, len(due & done_items(ticks, day)), len(due)))
    return Adherence(tuple(days))
