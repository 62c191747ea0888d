"""The Diary screen: the entry form, the triage card after saving, and the entries by recovery day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from aftercare_app.domain.clinic import Clinic, name_the_number
from aftercare_app.domain.records import DiaryEntry, Profile, TreatmentSession
from aftercare_app.domain.report import AssessedEntry
from aftercare_app.domain.timeline import treatment_of
from aftercare_app.domain.triage import TriageResult
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign
from aftercare_app.ui.presenters.wording import LEVEL_TEXT

__all__ = [
    "SEVERITY_WORDS",
    "DiaryDay",
    "DiaryForm",
    "DiaryRow",
    "TriageCard",
    "diary_days",
    "diary_form_for",
    "symptom_summary",
    "triage_card",
]

SEVERITY_WORDS = tuple(s.label for s in Severity)  # none, mild, moderate, severe


@dataclass(frozen=True)
class DiaryForm:
    """What the entry form holds; ``entry_id`` is set while an entry is being corrected."""

    severities: Mapping[Symptom, Severity] = field(default_factory=dict)
    signs: frozenset[WarningSign] = frozenset()
    note: str = ""
    entry_id: str | None = None


def diary_form_for(entry: DiaryEntry | None) -> DiaryForm:
    if entry is None:
        return DiaryForm(dict.fromkeys(Symptom, Severity.NONE))
    return DiaryForm({s: entry.severity(s) for s in Symptom}, frozenset(entry.signs), entry.note, entry.id)


@dataclass(frozen=True)
class TriageCard:
    level: TriageLevel
    title: str
    lines: tuple[str, ...]
    call_label: str  # "" when there is no phone to call
    call_url: str
    emergency: bool
    emergency_label: str = "Call emergency services (112)"
    emergency_url: str = "tel:112"
    after_hours_label: str = ""  # the clinic's after-hours line, in a clinic's build that has one
    after_hours_url: str = ""


def tel_url(phone: str) -> str:
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+") if phone else ""


def triage_card(result: TriageResult, profile: Profile | None, clinic: Clinic | None = None) -> TriageCard:
    """What the diary says of an entry; in a clinic's build, with its emergency number and after-hours line."""
    phone = profile.clinic_phone if profile else ""
    name = (profile.clinic_name if profile else "") or "your clinic"
    call = f"Call {name} ({phone})" if phone else ""
    number = clinic.emergency_number if clinic else ""
    after_hours = clinic.after_hours_phone if clinic else ""
    calls = {
        "emergency_label": f"Call {number}" if number else "Call emergency services (112)",
        "emergency_url": tel_url(number or "112"),
        "after_hours_label": f"After hours: call {after_hours}" if after_hours else "",
        "after_hours_url": tel_url(after_hours),
    }
    reasons = tuple(name_the_number(reason, number) for reason in result.reasons)
    if result.level == TriageLevel.EMERGENCY:
        now = f"Call {number} now." if number else "Call your local emergency number now (112 in Europe, 911 in the US)."
        return TriageCard(result.level, "Seek emergency care now", (*reasons, now), call, tel_url(phone), True, **calls)
    if result.level == TriageLevel.CALL_CLINIC:
        lines = (*reasons, *result.expected)
        return TriageCard(result.level, "Call your clinic", lines, call, tel_url(phone), False, **calls)
    lines = (*result.watch, *result.expected) or ("No symptoms logged. That is a good sign.",)
    return TriageCard(result.level, f"Normal for day {result.day + 1}", tuple(lines), call, tel_url(phone), False)


@dataclass(frozen=True)
class DiaryRow:
    id: str
    time: str
    summary: str  # "Redness: moderate · Swelling: mild"
    signs: str  # "Warning signs: fever"
    note: str
    level: TriageLevel
    level_text: str  # words, so colour is never the only signal


@dataclass(frozen=True)
class DiaryDay:
    title: str  # "Day 2 · from Tue 24 Nov"
    rows: tuple[DiaryRow, ...]


def symptom_summary(entry: DiaryEntry) -> str:
    parts = [f"{s.label}: {v.label}" for s, v in entry.symptoms.items() if v > Severity.NONE]
    return " · ".join(parts) or "No symptoms"


def diary_days(session: TreatmentSession, assessed: Sequence[AssessedEntry], zone: tzinfo) -> tuple[DiaryDay, ...]:
    """A session's entries (as the records triaged them) by recovery day, newest day and newest entry first."""
    by_day: dict[int, list[DiaryRow]] = {}
    for item in sorted(assessed, key=lambda a: a.entry.at, reverse=True):
        entry = item.entry
        signs = ", ".join(s.label for s in sorted(entry.signs, key=list(WarningSign).index))
        by_day.setdefault(item.day, []).append(
            DiaryRow(
                id=entry.id,
                time=entry.at.astimezone(zone).strftime("%H:%M"),
                summary=symptom_summary(entry),
                signs=f"Warning signs: {signs}" if signs else "",
                note=entry.note,
                level=item.level,
                level_text=LEVEL_TEXT[item.level],
            )
        )
    treatment = treatment_of(session)
    days = []
    for day, rows in by_day.items():
        local = treatment.instant_after(24 * day).astimezone(zone)
        days.append(DiaryDay(f"Day {day + 1} · from {local.strftime('%a')} {local.day} {local.strftime('%b')}", tuple(rows)))
    return tuple(days)
