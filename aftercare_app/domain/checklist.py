"""The daily checklist: the tasks of each recovery day, and how many were done."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aftercare_app.domain.protocol import Phase, Protocol, Task
from aftercare_app.domain.records import ChecklistTick


def phase_of_day(protocol: Protocol, day: int) -> Phase:
    """The phase a whole recovery day belongs to (phases start on day boundaries)."""
    return protocol.phase_at(day * 24)


def tasks_for_day(protocol: Protocol, day: int) -> tuple[Task, ...]:
    if day < 0:
        raise ValueError("recovery days start at 0")
    phase = phase_of_day(protocol, day)
    return tuple(task for task in protocol.tasks if phase.id in task.phases)


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


def adherence(protocol: Protocol, ticks: Iterable[ChecklistTick], through_day: int) -> Adherence:
    """Adherence over days 0..``through_day``; ticks of items not due that day don't count."""
    ticks = tuple(ticks)
    days = []
    for day in range(max(0, through_day) + 1):
        due = {t.id for t in tasks_for_day(protocol, day)}
        days.append(DayAdherence(day, len(due & done_items(ticks, day)), len(due)))
    return Adherence(tuple(days))
