"""What each screen says, computed without Flet."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import ChecklistTick, DiaryEntry, Profile, TreatmentSession
from aftercare_app.domain.report import assess_entries, build_report
from aftercare_app.domain.timeline import treatment_of
from aftercare_app.domain.vocabulary import Severity, SkinState, Symptom, TriageLevel, WarningSign
from aftercare_app.ui import zones
from aftercare_app.ui.presenters import checklist, diary, follow_up, forms, masks, today, wording

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
PROTOCOL = default_protocol()


def session(**kw) -> TreatmentSession:
    return TreatmentSession(**{"id": "s1", "treated_at": TREATED, "follow_up": date(2026, 5, 18), **kw})


def entry(hours: float, symptoms=None, signs=(), note="", id="e1") -> DiaryEntry:
    return DiaryEntry(id, "s1", TREATED + timedelta(hours=hours), symptoms or {}, frozenset(signs), note)


def form(**kw) -> forms.OnboardingForm:
    base = dict(
        treated_date="2026-05-04", treated_time="10:00", clinic_name="Clinique Lumière", clinic_phone="+33 1 23 45 67 89",
        follow_up="2026-05-18",
    )
    return forms.OnboardingForm(**{**base, **kw})


def read(f: forms.OnboardingForm, now: datetime = TREATED + timedelta(hours=2)):
    return forms.read_session_form(f, zone=PARIS, now=now)


def assessed(entries, s=None):
    return assess_entries(PROTOCOL, treatment_of(s or session()), sorted(entries, key=lambda e: e.at))


# --------------------------------------------------------------------------- timezone


def test_the_browser_zone_wins_and_bad_names_fall_through_to_the_next_candidate():
    assert zones.resolve_zone("Asia/Tokyo", "Europe/Paris")[0] == "Asia/Tokyo"
    assert zones.resolve_zone("Not/AZone", "", "Europe/Paris")[0] == "Europe/Paris"
    assert zones.resolve_zone(None, None) == ("UTC", UTC)


def test_times_read_as_today_tomorrow_or_a_short_date_in_the_patients_zone():
    now = datetime(2026, 5, 4, 12, 0, tzinfo=PARIS)
    assert wording.format_day_time(datetime(2026, 5, 4, 20, 0, tzinfo=UTC), PARIS, now) == "today 22:00"
    assert wording.format_day_time(datetime(2026, 5, 5, 8, 0, tzinfo=PARIS), PARIS, now) == "tomorrow 08:00"
    assert wording.format_day_time(datetime(2026, 5, 7, 8, 5, tzinfo=PARIS), PARIS, now) == "Thu 7 May 08:05"


# --------------------------------------------------------------------------- onboarding


def test_the_form_starts_at_now_in_the_device_zone_with_a_follow_up_two_weeks_later():
    defaults = forms.onboarding_defaults(datetime(2026, 5, 4, 21, 30, tzinfo=UTC), PARIS)
    assert (defaults.treated_date, defaults.treated_time, defaults.follow_up) == ("2026-05-04", "23:30", "2026-05-18")


def test_a_valid_form_reads_as_the_session_at_that_local_time_with_its_clinic():
    values, errors = read(form())
    assert errors == {}
    assert values.treated_at == TREATED and values.follow_up == date(2026, 5, 18)
    assert values.clinic_phone == "+33 1 23 45 67 89"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"treated_date": "04/13/2026"}, "treated_date", "YYYY-MM-DD"),
        ({"treated_time": "25:99"}, "treated_time", "HH:MM"),
        ({"treated_date": "2024-01-01"}, "treated_date", "more than a year"),
        ({"clinic_phone": ""}, "clinic_phone", "phone number"),
        ({"follow_up": "soon"}, "follow_up", "leave it empty"),
    ],
)
def test_each_field_the_form_cannot_read_gets_its_own_message_and_no_values(changes, field, words):
    values, errors = read(form(**changes))
    assert values is None and words in errors[field]


def test_a_time_skipped_by_the_spring_clock_change_moves_forward():
    values, errors = read(form(treated_date="2026-03-29", treated_time="02:30", follow_up=""), now=datetime(2026, 3, 29, 12, tzinfo=PARIS))
    assert errors == {}
    assert values.treated_at.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- today


def test_today_counts_days_from_one_and_each_restriction_to_the_minute():
    vm = today.today_view(PROTOCOL, session(), TREATED + timedelta(hours=26, minutes=40), PARIS)
    assert vm.day_label == "Day 2 of recovery" and vm.day == 1
    makeup = next(c for c in vm.active if c.id == "makeup")
    assert makeup.remaining == "21 h 20 min" and makeup.lifts_at == "tomorrow 10:00" and makeup.reason
    assert "wash_face" in {c.id for c in vm.lifted}
    assert vm.follow_up == "Follow-up in 13 days (Mon 18 May 2026)"
    assert vm.red_flag is None


def test_the_countdown_wakes_when_the_next_minute_starts():
    vm = today.today_view(PROTOCOL, session(), TREATED + timedelta(hours=1, seconds=15), PARIS)
    assert vm.next_tick_seconds == pytest.approx(45)


def test_a_logged_warning_sign_raises_the_banner_on_today():
    entries = [entry(20, {Symptom.REDNESS: 1}, [WarningSign.FEVER])]
    vm = today.today_view(PROTOCOL, session(), TREATED + timedelta(hours=30), PARIS, assessed(entries))
    assert vm.red_flag is not None and vm.red_flag.level == TriageLevel.CALL_CLINIC
    assert vm.red_flag.text.startswith("Call your clinic: on day 1")


def test_trouble_breathing_raises_an_emergency_banner():
    entries = [entry(2, signs=[WarningSign.TROUBLE_BREATHING])]
    vm = today.today_view(PROTOCOL, session(), TREATED + timedelta(hours=3), PARIS, assessed(entries))
    assert vm.red_flag.level == TriageLevel.EMERGENCY and vm.red_flag.text.startswith("Seek emergency care")


def test_without_a_follow_up_date_today_says_where_to_add_one():
    vm = today.today_view(PROTOCOL, session(follow_up=None), TREATED + timedelta(hours=1), PARIS)
    assert "Settings" in vm.follow_up


# --------------------------------------------------------------------------- checklist


def test_the_checklist_shows_todays_ticks_and_overall_adherence():
    now = TREATED + timedelta(hours=30)
    tasks = checklist.checklist_view(PROTOCOL, session(), [], now).items
    ticks = [ChecklistTick("s1", 1, tasks[0].id, now), ChecklistTick("s1", 1, tasks[1].id, now)]
    vm = checklist.checklist_view(PROTOCOL, session(), ticks, now)
    assert vm.title == "Day 2 · today" and vm.day_summary == f"2 of {len(tasks)} done"
    assert vm.overall.startswith("Overall 2 of ") and [i.done for i in vm.items[:3]] == [True, True, False]
    assert vm.can_go_back and not vm.can_go_forward


def test_past_days_are_viewable_but_future_days_are_not():
    now = TREATED + timedelta(hours=50)
    assert checklist.checklist_view(PROTOCOL, session(), [], now, day=0).title == "Day 1 · 2 days ago"
    assert checklist.checklist_view(PROTOCOL, session(), [], now, day=9).day == 2


# --------------------------------------------------------------------------- diary and triage


def test_a_warning_sign_gives_a_call_your_clinic_card_that_dials_the_clinic():
    e = entry(30, {Symptom.REDNESS: 2}, [WarningSign.FEVER])
    card = diary.triage_card(assessed([e])[0].triage, Profile(clinic_name="Clinique", clinic_phone="+33 (1) 23-45"))
    assert card.title == "Call your clinic" and not card.emergency
    assert card.call_url == "tel:+3312345" and card.call_label == "Call Clinique (+33 (1) 23-45)"
    assert any("Fever" in line for line in card.lines)


def test_trouble_breathing_gives_the_emergency_card():
    e = entry(3, signs=[WarningSign.TROUBLE_BREATHING])
    card = diary.triage_card(assessed([e])[0].triage, None)
    assert card.emergency and card.title == "Seek emergency care now" and card.call_url == ""


def test_expected_symptoms_read_as_normal_for_the_day():
    e = entry(5, {Symptom.REDNESS: 1})
    card = diary.triage_card(assessed([e])[0].triage, None)
    assert card.level == TriageLevel.NORMAL and card.title == "Normal for day 1" and card.lines


def test_the_diary_lists_days_newest_first_with_words_for_levels_and_severities():
    entries = [entry(2, {Symptom.SWELLING: 2}, id="a"), entry(30, {Symptom.REDNESS: 1}, [WarningSign.PUS], "sore", id="b")]
    days = diary.diary_days(session(), assessed(entries), PARIS)
    assert [d.title for d in days] == ["Day 2 · from Tue 5 May", "Day 1 · from Mon 4 May"]
    row = days[0].rows[0]
    assert (row.summary, row.signs, row.level_text, row.note) == ("Redness: mild", "Warning signs: Pus", "Call your clinic", "sore")
    assert days[1].rows[0].summary == "Swelling: moderate"


def test_the_form_of_an_entry_being_corrected_holds_its_values_and_id():
    e = entry(4, {Symptom.ITCHING: 2}, note="itchy")
    f = diary.diary_form_for(e)
    assert f.severities[Symptom.ITCHING] == Severity.MODERATE and f.severities[Symptom.PAIN] == Severity.NONE
    assert (f.entry_id, f.note) == (e.id, "itchy")


# --------------------------------------------------------------------------- masks


def test_the_mask_checker_judges_each_ingredient_with_its_reason():
    vm = masks.masks_view(PROTOCOL, session(), TREATED + timedelta(hours=30), SkinState.DRY, "Ingredients: Aqua, Retinol, Panthenol")
    assert vm.stage and vm.advice and vm.kinds
    names = {line.name: line for line in vm.ingredients}
    assert names["Retinol"].verdict == "avoid" and names["Retinol"].verdict_text == "Avoid" and names["Retinol"].reason
    assert vm.verdict_text == "Avoid"


def test_without_a_label_the_mask_screen_gives_only_todays_stage():
    vm = masks.masks_view(PROTOCOL, session(), TREATED + timedelta(hours=1), SkinState.NORMAL)
    assert vm.ingredients == () and vm.verdict_text == "" and vm.reasons == ()


# --------------------------------------------------------------------------- follow-up


def test_the_follow_up_view_puts_red_flags_first_then_courses_adherence_and_notes():
    entries = [
        entry(5, {Symptom.REDNESS: 2}, id="a"),
        entry(28, {Symptom.REDNESS: 1}, [WarningSign.FEVER], "38 °C", id="b"),
    ]
    now = TREATED + timedelta(hours=30)
    tasks = checklist.checklist_view(PROTOCOL, session(), [], now).items
    profile = Profile(clinic_name="C", clinic_phone="0123", timezone="Europe/Paris")
    report = build_report(
        PROTOCOL, session(), now=now, entries=entries, ticks=[ChecklistTick("s1", 1, tasks[0].id, now)],
        profile=profile, zone=PARIS, zone_name="Europe/Paris",
    )
    vm = follow_up.follow_up_view(PROTOCOL, report)
    assert vm.facts[0] == "Treated Mon 4 May 2026 at 10:00 (Europe/Paris)"
    assert len(vm.red_flags) == 1 and "CALL YOUR CLINIC: fever" in vm.red_flags[0] and vm.red_flags[0].startswith("Day 2")
    redness = next(c for c in vm.courses if c.symptom == "Redness")
    assert redness.days == ("D1 moderate", "D2 mild") and redness.trend.startswith("improving")
    assert vm.adherence.startswith("Checklist: 1 of ") and vm.notes == ("Day 2 14:00: 38 °C",)


# --------------------------------------------------------------------------- pickers


def test_a_day_picked_on_the_calendar_never_shifts_whatever_the_zone():
    assert forms.picked_date(datetime(2026, 11, 20), PARIS) == "2026-11-20"  # naive local midnight
    # Local midnight sent as an instant: 23:00 UTC the day before in Paris, 05:00 UTC the same day in Chicago.
    assert forms.picked_date(datetime(2026, 11, 19, 23, 0, tzinfo=UTC), PARIS) == "2026-11-20"
    assert forms.picked_date(datetime(2026, 11, 20, 6, 0, tzinfo=UTC), ZoneInfo("America/Chicago")) == "2026-11-20"
    assert forms.picked_date(date(2026, 11, 20), PARIS) == "2026-11-20"
    assert forms.picked_date(None, PARIS) == "" and forms.picked_time(None) == ""
    assert forms.picked_time(time(9, 5, 42)) == "09:05"


def test_the_calendar_and_the_clock_open_on_what_the_field_holds_else_on_now():
    assert forms.calendar_start("2026-11-20", date(2026, 11, 23)) == date(2026, 11, 20)
    assert forms.calendar_start("20/11/2026", date(2026, 11, 23)) == date(2026, 11, 20)
    assert forms.calendar_start("next tuesday", date(2026, 11, 23)) == date(2026, 11, 23)
    assert forms.clock_start("9h30", time(1, 0)) == time(9, 30)
    assert forms.clock_start("", time(1, 0)) == time(1, 0)


def test_a_label_with_an_ingredient_the_app_cannot_judge_says_to_ask_the_clinic_about_it():
    vm = masks.masks_view(PROTOCOL, session(), TREATED + timedelta(days=10), SkinState.NORMAL, "Aqua, Glycerin, Moonstone Dust")
    assert vm.verdict == "check" and vm.verdict_text == "Ask your clinic first"
    assert "Moonstone Dust" in vm.ask_clinic
    line = next(i for i in vm.ingredients if i.name == "Moonstone Dust")
    assert line.verdict == "check"


def test_a_lifted_restriction_that_still_holds_a_condition_says_which_and_until_when():
    vm = today.today_view(PROTOCOL, session(), TREATED + timedelta(days=4), PARIS)
    sun = next(c for c in vm.lifted if c.id == "sun_exposure")
    assert "SPF" in sun.condition and sun.condition_until


def test_a_label_that_is_one_products_list_is_checked_and_a_longer_text_is_refused_whole():
    from aftercare_app.domain.masks import MAX_LABEL_CHARS, MAX_LABEL_INGREDIENTS
    from aftercare_app.ui.presenters.masks import label_refusal

    longest = ", ".join(f"Ingredient {n}" for n in range(MAX_LABEL_INGREDIENTS))
    assert label_refusal(longest, longest.split(", ")) == ""
    one_more = longest + ", Aqua"
    assert "151 items" in label_refusal(one_more, one_more.split(", "))
    long_text = "Aqua " * (MAX_LABEL_CHARS // 5 + 1)
    assert "Not checked" in label_refusal(long_text, [long_text])
