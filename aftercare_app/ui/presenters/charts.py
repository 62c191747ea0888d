"""Charts by recovery day for the follow-up view, as numbers and words: bars scaled 0-1 that a screen lays out,
and the sentence a screen reader says instead of looking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aftercare_app.domain.checklist import DayAdherence
from aftercare_app.domain.report import SymptomCourse
from aftercare_app.domain.vocabulary import Severity

__all__ = ["CHART_DAYS", "ChartBar", "DayChart", "adherence_chart", "symptom_chart"]

CHART_DAYS = 14  # bars that fit a 360 px phone beside each other; longer recoveries show their last days


@dataclass(frozen=True)
class ChartBar:
    """One day's bar: heights are fractions of the chart's height (0-1), so the view only scales them."""

    day_label: str  # "D3"
    level: float  # the bar; 0 on a day without a value
    value_text: str  # printed above the bar: "2", "5", "–" for no entry
    flagged: bool  # above what is expected that day: drawn with a marker, not by colour alone
    expected: float | None = None  # the expected band's top, when there is one


@dataclass(frozen=True)
class DayChart:
    """A compact chart by recovery day, with the words a screen reader says instead of looking."""

    title: str  # "Redness"
    bars: tuple[ChartBar, ...]
    summary: str  # the whole chart in words: announced, and shown under it
    legend: str = ""


def _window(days: Sequence[int]) -> tuple[tuple[int, ...], str]:
    shown = tuple(days[-CHART_DAYS:])
    note = f" Last {len(shown)} of {len(days)} days shown." if len(shown) < len(days) else ""
    return shown, note


def symptom_chart(course: SymptomCourse) -> DayChart:
    """A symptom's daily peak (0-3) as bars over the expected band, with a marker on days above it."""
    points = {p.day: p for p in course.points}
    shown, note = _window([p.day for p in course.points])
    top = float(Severity.SEVERE)
    bars = tuple(
        ChartBar(
            day_label=f"D{day + 1}",
            level=0.0 if (peak := points[day].peak) is None else peak / top,
            value_text="–" if peak is None else str(int(peak)),
            flagged=points[day].above_expected,
            expected=points[day].expected_max / top,
        )
        for day in shown
    )
    logged = [(p.day, p.peak) for p in course.points if p.peak is not None]
    parts = [f"{course.label} by day."]
    if logged:
        worst_day, worst = max(logged, key=lambda dp: (dp[1], -dp[0]))
        latest_day, latest = logged[-1]
        parts.append(f"Worst {worst.label} on day {worst_day + 1}; latest {latest.label} on day {latest_day + 1}.")
        days_text = "; ".join(f"day {day + 1} {peak.label}" for day, peak in logged if day in shown)
        parts.append(f"Logged: {days_text}.")
    above = [p.day for p in course.points if p.above_expected]
    parts.append(
        "Above what is expected on day " + ", ".join(str(d + 1) for d in above) + "." if above else "Within what is expected."
    )
    return DayChart(
        course.label,
        bars,
        " ".join(parts) + note,
        "0 none · 1 mild · 2 moderate · 3 severe · line: the most expected that day · ! above it · – no entry",
    )


def adherence_chart(days: Sequence[DayAdherence]) -> DayChart | None:
    """Checklist tasks done over due per day, as bars filled by the share done."""
    if not days:
        return None
    by_day = {d.day: d for d in days}
    shown, note = _window([d.day for d in days])
    bars = tuple(
        ChartBar(
            day_label=f"D{day + 1}",
            level=by_day[day].done / by_day[day].due if by_day[day].due else 0.0,
            value_text=str(by_day[day].done),  # "4/10" does not fit a 22 px bar; the due count is in the words
            flagged=False,
        )
        for day in shown
    )
    summary = "Checklist by day: " + "; ".join(f"day {d + 1} {by_day[d].done} of {by_day[d].due}" for d in shown) + "."
    return DayChart("Checklist by day", bars, summary + note, "Number: tasks done that day · a full bar: every task due done")
