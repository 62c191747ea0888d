"""Triage of a diary entry: normal for the day, call the clinic, or emergency care.

The app informs; it does not diagnose. Any warning sign, any symptom stronger
than is expected on that recovery day, itching together with swelling or a rash
(an allergic sign), and swelling or redness that stays for days without
improving call for the clinic; trouble breathing and swelling of the lips,
tongue or throat call for emergency care.

History counts elapsed time, not day numbers: what has "stayed for 3 days" has
been logged, entry after entry, for at least 72 real hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import DiaryEntry
from aftercare_app.domain.rules import HistoryRule
from aftercare_app.domain.timeline import Treatment, format_duration, hours_between, recovery_day
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign

WORSE_AFTER_HOURS = 24.0  # a symptom higher than it was a day or more before has got worse "over days"


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
    watch: tuple[str, ...] = ()  # within what is expected, but when to call if it does not settle

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.findings:
            return tuple(f.reason for f in self.findings) + self.watch
        if self.watch:
            return ("Nothing you logged needs a call to your clinic right now, but keep an eye on it:",) + self.watch + self.expected
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


def _watch_lines(protocol: Protocol, treatment: Treatment, at: datetime, symptoms: Mapping[Symptom, Severity]) -> tuple[str, ...]:
    day = recovery_day(treatment, at)
    lines = []
    for symptom, severity in symptoms.items():
        band = protocol.symptom_rule(symptom).band_for(day)
        if band.watch_above is None or band.watch_until_hour is None or not band.watch_above < severity <= band.max:
            continue
        by = treatment.instant_after(band.watch_until_hour)
        if at >= by:
            continue
        when = by.astimezone(at.tzinfo).strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"{symptom.label}: {severity.label}. {band.watch_text} If it has not settled by {when} "
            f"({band.watch_until_hour:g} h after treatment, in {format_duration(by - at)}), call your clinic."
        )
    return tuple(lines)


def _combination_findings(protocol: Protocol, symptoms: Mapping[Symptom, Severity], signs: frozenset[WarningSign]) -> list[Finding]:
    findings = []
    for rule in protocol.combinations:
        if symptoms.get(rule.symptom, Severity.NONE) == Severity.NONE:
            continue
        if any(symptoms.get(s, Severity.NONE) > Severity.NONE for s in rule.with_symptoms) or signs & set(rule.with_signs):
            findings.append(Finding(rule.level, rule.reason, rule.sources))
    return findings


def _days(hours: float) -> str:
    days = max(1, int(hours // 24))
    return f"{days} day" + ("s" if days != 1 else "")


def persistence(readings: Sequence[tuple[datetime, Severity]], rule: HistoryRule) -> tuple[str, float] | None:
    """Whether a symptom has stayed without improving, or got worse, judged at the last of ``readings``.

    ``readings`` are (instant, severity) in time order, the last one now. The
    run is the latest stretch of readings above none (a reading of none ends
    it; a day without entries does not). Returns ``("stayed", hours)`` when the
    run has lasted ``rule.min_hours`` or more and now is not lower than the
    latest reading at least that long ago (a plateau or a worsening);
    ``("worse", hours)`` when now is higher than the latest reading a day or
    more ago; otherwise None. The latest reading counts, not the day's peak.
    """
    if not readings or readings[-1][1] == Severity.NONE:
        return None
    now, current = readings[-1]
    start = len(readings) - 1
    while start > 0 and readings[start - 1][1] > Severity.NONE:
        start -= 1
    run = readings[start:]
    lasted = hours_between(run[0][0], now)
    if lasted >= rule.min_hours:
        cutoff = now - timedelta(hours=rule.min_hours)
        reference = [severity for at, severity in run if at <= cutoff][-1]
        if current >= reference:
            return ("stayed", lasted)
    earlier = [(at, severity) for at, severity in run if hours_between(at, now) >= WORSE_AFTER_HOURS]
    if earlier and current > earlier[-1][1]:
        return ("worse", hours_between(earlier[-1][0], now))
    return None


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
    signs = frozenset(WarningSign(s) for s in signs)
    findings = [
        Finding(rule.level, rule.reason, rule.sources)
        for sign in sorted(signs, key=list(WarningSign).index)
        for rule in [protocol.sign_rule(sign)]
    ]
    findings += _combination_findings(protocol, symptoms, signs)
    findings += _symptom_findings(protocol, day, symptoms)

    rule = protocol.history_rule
    past = sorted((e for e in history if treatment.treated_at <= e.at <= at), key=lambda e: e.at)
    for symptom in rule.symptoms:
        readings = [(e.at, e.severity(symptom)) for e in past] + [(at, symptoms.get(symptom, Severity.NONE))]
        found = persistence(readings, rule)
        if found:
            kind, hours = found
            reason = (rule.reason if kind == "stayed" else rule.worse_reason).replace("{days}", _days(hours))
            findings.append(Finding(TriageLevel.CALL_CLINIC, f"{symptom.label} {reason}", rule.sources))

    findings.sort(key=lambda f: -f.level)
    level = max((f.level for f in findings), default=TriageLevel.NORMAL)
    expected = tuple(
        f"{symptom.label}: {protocol.symptom_rule(symptom).band_for(day).text}"
        for symptom, severity in symptoms.items()
        if severity > Severity.NONE
    )
    return TriageResult(level=level, findings=tuple(findings), expected=expected, day=day, watch=_watch_lines(protocol, treatment, at, symptoms))
