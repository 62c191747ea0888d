"""Triage: what is normal for the day, when to call the clinic, when to seek emergency care."""

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import DiaryEntry
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.triage import assess, persisting_without_improvement
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign

P = default_protocol()
T0 = datetime(2026, 5, 1, 10, tzinfo=timezone.utc)
T = Treatment(T0)


def at_day(day, hour=2):
    return T0 + timedelta(days=day, hours=hour)


def entry(day, **symptoms):
    return DiaryEntry(id=f"e{day}", session_id="s", at=at_day(day), symptoms=symptoms)


def test_mild_redness_and_swelling_on_day_one_are_normal_and_say_so():
    r = assess(P, T, at_day(0), {Symptom.REDNESS: Severity.MILD, Symptom.SWELLING: Severity.MILD})
    assert r.level is TriageLevel.NORMAL
    assert r.findings == ()
    assert any("expected" in reason for reason in r.reasons)
    assert any(line.startswith("Redness:") for line in r.expected)


def test_small_bruises_can_last_for_days():
    r = assess(P, T, at_day(9), {Symptom.BRUISING: Severity.MODERATE})
    assert r.level is TriageLevel.NORMAL


def test_moderate_swelling_on_day_five_is_more_than_expected():
    r = assess(P, T, at_day(4), {Symptom.SWELLING: Severity.MODERATE})
    assert r.level is TriageLevel.CALL_CLINIC
    assert "more than expected" in r.reasons[0]


def test_severe_pain_calls_the_clinic_even_on_day_one():
    r = assess(P, T, at_day(0), {Symptom.PAIN: Severity.SEVERE})
    assert r.level is TriageLevel.CALL_CLINIC


def test_each_infection_sign_calls_the_clinic():
    for sign in (WarningSign.SPREADING_REDNESS, WarningSign.PUS, WarningSign.FEVER, WarningSign.RASH):
        assert assess(P, T, at_day(2), {}, [sign]).level is TriageLevel.CALL_CLINIC


def test_trouble_breathing_is_an_emergency_and_comes_first():
    r = assess(P, T, at_day(1), {Symptom.SWELLING: Severity.SEVERE}, [WarningSign.RASH, WarningSign.TROUBLE_BREATHING])
    assert r.level is TriageLevel.EMERGENCY
    assert r.findings[0].level is TriageLevel.EMERGENCY
    assert "emergency" in r.reasons[0].lower()


def test_swelling_that_stays_three_days_without_improving_calls_the_clinic():
    history = [entry(0, swelling=1), entry(1, swelling=1)]
    r = assess(P, T, at_day(2), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.CALL_CLINIC
    assert any("3 days without improving" in reason for reason in r.reasons)


def test_swelling_that_is_improving_is_not_flagged():
    history = [entry(0, swelling=2), entry(1, swelling=1)]
    r = assess(P, T, at_day(2), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


def test_a_day_without_swelling_breaks_the_run():
    history = [entry(0, swelling=1), entry(1, swelling=0)]
    r = assess(P, T, at_day(2), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


def test_later_entries_do_not_count_as_history_of_an_earlier_one():
    history = [entry(0, redness=1), entry(1, redness=1), entry(5, redness=1)]
    r = assess(P, T, at_day(1, hour=3), {Symptom.REDNESS: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


severities = st.sampled_from(list(Severity))
symptom_maps = st.dictionaries(st.sampled_from(list(Symptom)), severities)
sign_sets = st.sets(st.sampled_from(list(WarningSign)))


@given(st.integers(0, 60), symptom_maps, sign_sets, sign_sets)
def test_adding_a_warning_sign_never_lowers_the_level(day, symptoms, signs, more):
    base = assess(P, T, at_day(day), symptoms, signs).level
    assert assess(P, T, at_day(day), symptoms, signs | more).level >= base


@given(st.integers(0, 60), symptom_maps, st.sampled_from(list(Symptom)))
def test_a_stronger_symptom_never_lowers_the_level(day, symptoms, symptom):
    weaker = assess(P, T, at_day(day), symptoms).level
    stronger = dict(symptoms)
    stronger[symptom] = Severity(min(3, stronger.get(symptom, 0) + 1))
    assert assess(P, T, at_day(day), stronger).level >= weaker


@given(st.integers(0, 60), symptom_maps, sign_sets)
def test_the_level_is_emergency_exactly_when_breathing_is_troubled(day, symptoms, signs):
    r = assess(P, T, at_day(day), symptoms, signs)
    assert (r.level is TriageLevel.EMERGENCY) == (WarningSign.TROUBLE_BREATHING in signs)
    assert (r.level is TriageLevel.NORMAL) == (not r.findings)


@given(st.integers(0, 60), symptom_maps)
def test_nothing_at_all_is_always_normal(day, symptoms):
    quiet = {s: Severity.NONE for s in symptoms}
    assert assess(P, T, at_day(day), quiet).level is TriageLevel.NORMAL


@given(st.dictionaries(st.integers(0, 20), severities, min_size=1), st.integers(2, 5))
def test_persistence_requires_a_run_of_at_least_min_days_not_improving(peaks, min_days):
    today = max(peaks)
    days = persisting_without_improvement(peaks, today, min_days)
    if days:
        assert days >= min_days
        start = today - days + 1
        assert peaks[today] >= peaks[start] > 0
        assert all(v > 0 for d, v in peaks.items() if start <= d <= today)
