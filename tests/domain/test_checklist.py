"""The daily checklist follows the recovery phase, and adherence counts what was due."""

from datetime import datetime, timezone

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import adherence, phase_of_day, tasks_for_day
from aftercare_app.domain.records import ChecklistTick

P = default_protocol()
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def ids(day):
    return {t.id for t in tasks_for_day(P, day)}


def test_the_first_day_is_about_leaving_the_skin_alone():
    assert phase_of_day(P, 0).id == "first_24h"
    assert {"hands_off", "no_products", "first_wash_timing", "no_heat", "no_sweat", "drink_water", "cool_compress"} <= ids(0)
    assert "gentle_cleanse" not in ids(0)


def test_days_two_and_three_bring_gentle_cleansing_and_no_alcohol():
    for day in (1, 2):
        assert {"gentle_cleanse", "cool_compress", "no_workout_alcohol", "shade", "no_actives"} <= ids(day)


def test_the_first_week_brings_daily_spf_and_booking_the_follow_up():
    assert {"spf", "follow_up_booked", "no_harsh_exfoliants"} <= ids(3)
    assert "spf" in ids(20)
    assert "no_aggressive" in ids(7)


def test_after_four_weeks_the_checklist_is_long_term_care():
    assert phase_of_day(P, 28).id == "long_term"
    assert {"spf", "next_session"} <= ids(28)


def test_adherence_counts_done_over_due_per_day_and_ignores_items_not_due():
    ticks = [
        ChecklistTick("s", 0, "hands_off", NOW),
        ChecklistTick("s", 0, "rest", NOW),
        ChecklistTick("s", 1, "gentle_cleanse", NOW),
        ChecklistTick("s", 1, "rest", NOW),  # not due on day 1
    ]
    a = adherence(P, ticks, through_day=1)
    assert [d.done for d in a.days] == [2, 1]
    assert [d.due for d in a.days] == [len(ids(0)), len(ids(1))]
    assert a.done == 3
    assert 0 < a.ratio < 1


def test_no_ticks_means_zero_adherence_not_an_error():
    assert adherence(P, [], through_day=3).done == 0
