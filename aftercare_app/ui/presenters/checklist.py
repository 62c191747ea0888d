"""The Checklist screen: one recovery day's tasks, what is ticked, and how much was done overall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from aftercare_app.domain.checklist import adherence, done_items, phase_of_day, tasks_for_day
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import ChecklistTick, TreatmentSession
from aftercare_app.domain.timeline import recovery_day, treatment_of
from aftercare_app.services import ChecklistItem

__all__ = ["ChecklistVM", "checklist_view"]


@dataclass(frozen=True)
class ChecklistVM:
    day: int
    today: int
    title: str  # "Day 2 · today"
    phase: str
    items: tuple[ChecklistItem, ...]
    day_summary: str  # "3 of 9 done"
    overall: str  # "Overall 12 of 40 tasks done (30 %)"
    can_go_back: bool
    can_go_forward: bool


def checklist_view(
    protocol: Protocol, session: TreatmentSession, ticks: Iterable[ChecklistTick], now: datetime, day: int | None = None
) -> ChecklistVM:
    """Day ``day`` (today when None; never a day that has not started) of ``session``."""
    ticks = tuple(ticks)
    treatment = treatment_of(session)
    today = recovery_day(treatment, now)
    shown = today if day is None else max(0, min(day, today))
    done = done_items(ticks, shown)
    items = tuple(ChecklistItem(t.id, t.text, t.id in done) for t in tasks_for_day(protocol, shown, treatment))
    done_count = sum(i.done for i in items)
    total = adherence(protocol, ticks, today, treatment)
    suffix = "today" if shown == today else f"{today - shown} day{'s' if today - shown != 1 else ''} ago"
    return ChecklistVM(
        day=shown,
        today=today,
        title=f"Day {shown + 1} · {suffix}",
        phase=phase_of_day(protocol, shown).name,
        items=items,
        day_summary=f"{done_count} of {len(items)} done",
        overall=f"Overall {total.done} of {total.due} tasks done ({round(total.ratio * 100)} %)",
        can_go_back=shown > 0,
        can_go_forward=shown < today,
    )
