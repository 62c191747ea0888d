"""Triage of a diary entry: normal for the day, call the clinic, or emergency care.

The app informs; it does not diagnose. Any warning sign, any symptom stronger
than is expected on that recovery day, and swelling or redness that persists
for several days without improving call for the clinic; trouble breathing calls
for emergency care.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import DiaryEntry
from aftercare_app.domain.timeline import Treatment, recovery_day
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign


@dataclass(frozen=True)
class Finding:
    """One reason for the triage level, with the documents behind it."""

    level: TriageLevel
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TriageResult:
    level: TriageLevel
    findings: tuple[Finding, ...]  # most urgent first
    expected: tuple[str, ...]  # what is normal today, one line per symptom logged
    day: int

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.findings:
            return tuple(f.reason for f in self.findings)
        return (f"Nothing you logged is beyond what is expected on day {self.day + 1} of recovery.",) + self.expected


def _symptom_findings(protocol: Protocol, day: int, symptoms: Mapping[Symptom, Severity]) -> list[Finding]:
    findings = []
    for symptom, severity in symptoms.items():
        rule = protocol.symptom_rule(symptom)
        band = rule.band_for(day)
        if severity >= Severity.SEVERE:
            findings.append(Finding(TriageLevel.CALL_CLINIC, f"{symptom.label}: severe. {rule.severe_reason} Call your clinic.", rule.severe_sources))
        elif severity > band.max:
            expected = "none" if band.max == Severity.NONE else f"{band.max.label} at most"
            findings.append(
                Finding(
                    TriageLevel.CALL_CLINIC,
                    f"{symptom.label}: {severity.label} on day {day + 1} is more than expected ({expected} by now). Call your clinic.",
                    rule.normal_sources,
                )
            )
    return findings


def _daily_peaks(entries: Iterable[tuple[int, Mapping[Symptom, Severity]]], symptom: Symptom) -> dict[int, Severity]:
    peaks: dict[int, Severity] = {}
    for day, symptoms in entries:
        severity = symptoms.get(symptom, Severity.NONE)
        peaks[day] = max(peaks.get(day, Severity.NONE), severity)
    return peaks


def persisting_without_improvement(peaks: Mapping[int, Severity], today: int, min_days: int) -> int:
    """Days a symptom has lasted up to ``today`` without improving, or 0 if it doesn't qualify.

    Walking back over the days with entries, the run continues while the daily
    peak stays above none. It qualifies when the run spans ``min_days`` recovery
    days or more and today's peak is not lower than the first day's.
    """
    if peaks.get(today, Severity.NONE) == Severity.NONE:
        return 0
    start = today
    for day in sorted((d for d in peaks if d < today), reverse=True):
        if peaks[day] == Severity.NONE:
            break
        start = day
    span = today - start + 1
    return span if span >= min_days and peaks[today] >= peaks[start] else 0


def assess(
    protocol: Protocol,
    treatment: Treatment,
    at: datetime,
    symptoms: Mapping[Symptom, Severity],
    signs: Iterable[WarningSign] = (),
    history: Iterable[DiaryEntry] = (),
) -> TriageResult:
    """Triage what the patient logged at ``at``, with earlier entries of the same session as history."""
    day = recovery_day(treatment, at)
    symptoms = {Symptom(k): Severity(v) for k, v in symptoms.items()}
    findings = [
        Finding(rule.level, rule.reason, rule.sources)
        for sign in sorted(set(signs), key=list(WarningSign).index)
        for rule in [protocol.sign_rule(WarningSign(sign))]
    ]
    findings += _symptom_findings(protocol, day, symptoms)

    rule = protocol.history_rule
    past = [(recovery_day(treatment, e.at), e.symptoms) for e in history if treatment.treated_at <= e.at <= at]
    for symptom in rule.symptoms:
        peaks = _daily_peaks([*past, (day, symptoms)], symptom)
        days = persisting_without_improvement(peaks, day, rule.min_days)
        if days:
            findings.append(Finding(TriageLevel.CALL_CLINIC, f"{symptom.label} {rule.reason.replace('several days', f'{days} days')}", rule.sources))

    findings.sort(key=lambda f: -f.level)
    level = max((f.level for f in findings), default=TriageLevel.NORMAL)
    expected = tuple(
        f"{symptom.label}: {protocol.symptom_rule(symptom).band_for(day).text}"
        for symptom, severity in symptoms.items()
        if severity > Severity.NONE
    )
    return TriageResult(level=level, findings=tuple(findings), expected=expected, day=day)


def what_is_normal(protocol: Protocol, day: int) -> tuple[tuple[Symptom, Severity, str], ...]:
    """For each symptom, the strongest severity expected on ``day`` and why."""
    return tuple((r.symptom, r.band_for(day).max, r.band_for(day).text) for r in protocol.symptom_rules)
