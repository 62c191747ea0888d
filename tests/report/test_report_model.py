"""The report model: what the follow-up view, the PDF and the exports all show."""

from datetime import UTC, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import DiaryEntry, InvalidRecord
from aftercare_app.domain.report import assess_entries, build_report
from aftercare_app.domain.timeline import treatment_of
from aftercare_app.domain.triage import assess
from aftercare_app.domain.vocabulary import RestrictionId, Severity, Symptom, TriageLevel, WarningSign
from tests.report.diaries import TREATED, make_diary


def test_a_normal_recovery_has_no_red_flags_and_one_point_per_day_for_each_symptom():
    report = make_diary(14).report()
    assert report.red_flags == ()
    assert report.period.days == range(14)
    assert [c.symptom for c in report.courses] == list(Symptom)
    assert all(len(c.points) == 14 for c in report.courses)
    redness = report.courses[0]
    assert redness.points[0].peak == Severity.MODERATE and redness.points[13].peak == Severity.NONE
    assert redness.peak == Severity.MODERATE


def test_session_facts_give_the_day_the_days_since_and_the_number_in_the_course():
    report = make_diary(5).report()
    facts = report.facts
    assert facts.day == 4
    assert facts.session_number == 2 and facts.sessions_recorded == 2
    assert facts.treated_at == TREATED and facts.clinic_phone.startswith("+33")
    assert facts.days_to_follow_up == 14


def test_the_daily_peak_is_the_strongest_entry_of_the_day_and_days_without_entries_are_none():
    diary = make_diary(3, per_day=3)
    extra = DiaryEntry("late", "s-1", TREATED + timedelta(hours=23), {Symptom.ITCHING: 3})
    entries = diary.entries + (extra,)
    report = build_report(default_protocol(), diary.session, now=diary.now + timedelta(days=2), entries=entries)
    itching = next(c for c in report.courses if c.symptom is Symptom.ITCHING)
    assert itching.points[0].peak == Severity.SEVERE
    assert itching.points[3].peak is None and itching.points[4].peak is None
    assert itching.points[0].above_expected and 0 in itching.days_above_expected


def test_red_flags_come_most_urgent_first_and_say_what_was_advised():
    diary = make_diary(6, red_flag_day=3)
    breathing = DiaryEntry("b", "s-1", TREATED + timedelta(days=4, hours=5), {}, {WarningSign.TROUBLE_BREATHING})
    report = build_report(
        default_protocol(), diary.session, now=diary.now, entries=diary.entries + (breathing,), profile=diary.profile
    )
    levels = [e.level for e in report.red_flags]
    assert levels[0] is TriageLevel.EMERGENCY and levels == sorted(levels, reverse=True)
    assert report.red_flags[0].advised == "Seek emergency care now."
    call = next(e for e in report.red_flags if e.level is TriageLevel.CALL_CLINIC)
    assert call.advised == "Call your clinic: +33 1 23 45 67 89."
    assert WarningSign.FEVER in call.signs and call.reasons and call.sources
    assert report.worst_level is TriageLevel.EMERGENCY


def test_each_entry_is_triaged_with_the_entries_before_it_as_history():
    # Mild swelling logged once a day is each day within what is expected on its own, but once it
    # has lasted three days (72 real hours) without improving, that entry calls the clinic.
    session_diary = make_diary(0)
    entries = tuple(
        DiaryEntry(f"s{d}", "s-1", TREATED + timedelta(days=d, hours=3), {Symptom.SWELLING: 1}) for d in range(4)
    )
    report = build_report(default_protocol(), session_diary.session, now=TREATED + timedelta(days=4), entries=entries)
    assert [a.level for a in report.entries] == [TriageLevel.NORMAL] * 3 + [TriageLevel.CALL_CLINIC]
    assert [e.entry_id for e in report.red_flags] == ["s3"]
    assert "3 days" in report.red_flags[0].reasons[0]
    assert [a.triage.reasons for a in report.entries] == [
        a.triage.reasons for a in assess_entries(default_protocol(), treatment_of(session_diary.session), entries)
    ]


def test_adherence_counts_the_ticks_of_each_day_of_the_period():
    report = make_diary(7).report()
    assert len(report.adherence_days) == 7
    assert 0 < report.adherence.done < report.adherence.due


def test_notes_come_in_time_order_starting_with_the_session_note():
    report = make_diary(4).report()
    assert report.notes[0].entry_id is None and report.notes[0].text.startswith("Hyaluronic")
    instants = [n.at for n in report.notes]
    assert instants == sorted(instants)
    assert all(n.text for n in report.notes)


def test_other_sessions_records_are_left_out():
    diary = make_diary(3)
    other = DiaryEntry("o", "s-0", TREATED - timedelta(days=20), {Symptom.PAIN: 3}, {WarningSign.PUS}, "other session")
    report = build_report(default_protocol(), diary.session, now=diary.now, entries=diary.entries + (other,))
    assert "o" not in {a.entry.id for a in report.entries}
    assert report.red_flags == ()


def test_restriction_lifts_follow_the_protocol_windows_for_sensitive_skin():
    report = make_diary(1, sensitive=True).report()
    protocol = default_protocol()
    lifts = {lift.id: lift for lift in report.lifts}
    assert set(lifts) == set(RestrictionId)
    for rule in protocol.restrictions:
        # Real hours, across the DST change of the week after the treatment.
        assert lifts[rule.id].allowed_from == TREATED.astimezone(UTC) + timedelta(hours=rule.sensitive_hours)


def test_an_empty_diary_still_makes_a_report():
    report = make_diary(0).report()
    assert report.entries == () and report.red_flags == () and not report.has_entries
    assert report.period.entry_count == 0 and report.period.first_entry is None
    assert all(c.points[0].peak is None and not c.logged for c in report.courses)


def test_a_time_before_the_treatment_is_refused():
    diary = make_diary(1)
    with pytest.raises(InvalidRecord):
        build_report(default_protocol(), diary.session, now=TREATED - timedelta(hours=1))


severities = st.integers(min_value=0, max_value=3)
diary_days = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2), severities, severities), min_size=0, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(steps=diary_days)
def test_triage_with_the_trimmed_history_equals_triage_with_the_whole_history(steps):
    # steps: (days to wait before the entry, swelling, redness); gaps and repeated days included.
    protocol = default_protocol()
    at, entries = TREATED + timedelta(hours=1), []
    for n, (gap, swelling, redness) in enumerate(steps):
        at += timedelta(days=gap, hours=3)
        entries.append(DiaryEntry(f"e{n}", "s-1", at, {Symptom.SWELLING: swelling, Symptom.REDNESS: redness}))
    diary = make_diary(0)
    report = build_report(protocol, diary.session, now=at + timedelta(hours=1), entries=entries)
    treatment = treatment_of(diary.session)
    expected = [assess(protocol, treatment, e.at, e.symptoms, e.signs, entries[:i]) for i, e in enumerate(entries)]
    assert [a.triage for a in report.entries] == expected
