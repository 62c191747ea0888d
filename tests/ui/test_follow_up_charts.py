"""The follow-up view's charts, as numbers and words, without Flet."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import DayAdherence
from aftercare_app.domain.records import DiaryEntry, Profile, TreatmentSession
from aftercare_app.domain.report import DayPoint, SymptomCourse, build_report
from aftercare_app.domain.vocabulary import Severity, Symptom
from aftercare_app.ui.presenters import charts as P
from aftercare_app.ui.presenters.follow_up import follow_up_view

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
S = Severity


def course(*peaks: Severity | None, expected: Severity = S.MODERATE) -> SymptomCourse:
    return SymptomCourse(Symptom.REDNESS, tuple(DayPoint(d, p, expected) for d, p in enumerate(peaks)))


def test_each_day_gets_a_bar_as_high_as_its_peak_with_the_day_and_the_number_above_it():
    chart = P.symptom_chart(course(S.SEVERE, None, S.MILD, S.NONE))
    assert [b.day_label for b in chart.bars] == ["D1", "D2", "D3", "D4"]
    assert [b.level for b in chart.bars] == [1.0, 0.0, 1 / 3, 0.0]
    assert [b.value_text for b in chart.bars] == ["3", "–", "1", "0"]
    assert all(b.expected == 2 / 3 for b in chart.bars)


def test_days_above_expected_carry_a_marker_and_are_named_in_words():
    chart = P.symptom_chart(course(S.SEVERE, S.MILD, expected=S.MODERATE))
    assert [b.flagged for b in chart.bars] == [True, False]
    assert "Above what is expected on day 1." in chart.summary
    assert "! above it" in chart.legend and "2 moderate" in chart.legend


def test_the_summary_says_the_course_in_severity_words_for_a_screen_reader():
    chart = P.symptom_chart(course(S.MODERATE, None, S.MILD))
    assert chart.summary == (
        "Redness by day. Worst moderate on day 1; latest mild on day 3. "
        "Logged: day 1 moderate; day 3 mild. Within what is expected."
    )


def test_a_long_recovery_shows_its_last_fourteen_days_and_says_so():
    chart = P.symptom_chart(course(*([S.MILD] * 30)))
    assert len(chart.bars) == P.CHART_DAYS and chart.bars[0].day_label == "D17" and chart.bars[-1].day_label == "D30"
    assert chart.summary.endswith("Last 14 of 30 days shown.")


def test_the_adherence_strip_fills_each_day_by_the_share_of_tasks_done():
    chart = P.adherence_chart([DayAdherence(0, 3, 6), DayAdherence(1, 6, 6), DayAdherence(2, 0, 0)])
    assert [(b.day_label, b.level, b.value_text) for b in chart.bars] == [("D1", 0.5, "3"), ("D2", 1.0, "6"), ("D3", 0.0, "0")]
    assert chart.summary == "Checklist by day: day 1 3 of 6; day 2 6 of 6; day 3 0 of 0."
    assert P.adherence_chart([]) is None


def test_the_follow_up_view_has_a_chart_per_logged_symptom_and_the_adherence_strip():
    session = TreatmentSession("s1", TREATED)
    entries = [
        DiaryEntry("a", "s1", TREATED + timedelta(hours=5), {Symptom.REDNESS: 2}),
        DiaryEntry("b", "s1", TREATED + timedelta(hours=28), {Symptom.REDNESS: 1, Symptom.SWELLING: 1}),
    ]
    now = TREATED + timedelta(hours=50)
    report = build_report(default_protocol(), session, now=now, entries=entries, profile=Profile(), zone=PARIS)
    vm = follow_up_view(default_protocol(), report)
    assert [c.title for c in vm.charts] == [c.symptom for c in vm.courses]
    assert {"Redness", "Swelling"} <= {c.title for c in vm.charts}
    assert [b.day_label for b in vm.adherence_chart.bars] == ["D1", "D2", "D3"]
