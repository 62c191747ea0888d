"""The follow-up view: the domain's follow-up report worded for one phone screen, red flags first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.report import FollowUpReport
from aftercare_app.ui.presenters.charts import DayChart, adherence_chart, symptom_chart
from aftercare_app.ui.presenters.wording import LEVEL_TEXT, follow_up_text, format_date

__all__ = ["CourseLine", "FollowUpVM", "follow_up_view"]


@dataclass(frozen=True)
class CourseLine:
    symptom: str
    days: tuple[str, ...]  # "D1 moderate", per day with an entry
    trend: str  # "improving", "worse", "unchanged", "one day logged"; days above expected added


@dataclass(frozen=True)
class FollowUpVM:
    facts: tuple[str, ...]
    red_flags: tuple[str, ...]
    courses: tuple[CourseLine, ...]
    adherence: str
    adherence_days: str  # "D1 5/9 · D2 7/9"
    notes: tuple[str, ...]
    charts: tuple[DayChart, ...] = ()  # one per symptom logged, in the order of ``courses``
    adherence_chart: DayChart | None = None


def follow_up_view(protocol: Protocol, report: FollowUpReport) -> FollowUpVM:
    """The report's facts, red flags, symptom courses, checklist and notes, as the screen words them."""
    f = report.facts
    facts = [
        f"Treated {format_date(f.treated_at.date())} at {f.treated_at:%H:%M} ({report.zone_name})",
        f"Session {f.session_number} of {f.sessions_recorded} · area: {f.area.value} · skin: "
        + ("sensitive or reactive" if f.sensitive else "not reported sensitive"),
        f"Now: day {f.day + 1} of recovery, {protocol.phase_at(f.hours_since).name.lower()}",
    ]
    clinic = " ".join(part for part in (f.clinic_name, f.clinic_phone) if part)
    if clinic:
        facts.append(f"Clinic: {clinic}")
    facts.append(follow_up_text(f.follow_up, report.generated_at, report.generated_at.tzinfo or f.treated_at.tzinfo or UTC))
    flags = []
    for event in report.red_flags:
        what = ", ".join(s.label.lower() for s in event.signs) or ", ".join(
            f"{s.label.lower()} {v.label}" for s, v in event.symptoms
        )
        reason = event.reasons[0] if event.reasons else ""
        flags.append(f"Day {event.day + 1} ({event.at:%d %b %H:%M}) {LEVEL_TEXT[event.level].upper()}: {what}. {reason}".strip())
    courses = []
    charts = []
    for course in report.courses:
        if not course.logged:
            continue
        charts.append(symptom_chart(course))
        logged = [(p.day, p.peak) for p in course.points if p.peak is not None]
        first, last = logged[0][1], logged[-1][1]
        if len(logged) == 1:
            trend = "one day logged"
        else:
            trend = "improving" if last < first else ("worse" if last > first else "unchanged")
        if course.days_above_expected:
            trend += "; above expected on day " + ", ".join(str(d + 1) for d in course.days_above_expected)
        courses.append(CourseLine(course.label, tuple(f"D{day + 1} {peak.label}" for day, peak in logged), trend))
    adh = report.adherence
    return FollowUpVM(
        facts=tuple(facts),
        red_flags=tuple(flags),
        courses=tuple(courses),
        adherence=f"Checklist: {adh.done} of {adh.due} tasks done ({round(adh.ratio * 100)} %)",
        adherence_days=" · ".join(f"D{d.day + 1} {d.done}/{d.due}" for d in adh.days),
        notes=tuple(f"Day {n.day + 1} {n.at:%H:%M}: {n.text}" for n in report.notes),
        charts=tuple(charts),
        adherence_chart=adherence_chart(adh.days),
    )
