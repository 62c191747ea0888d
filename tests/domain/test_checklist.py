"""The daily checklist follows the recovery phase, reminds of every restriction while it holds, and adherence counts what was due."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import adherence, in_force_on_day, phase_of_day, tasks_for_day
from aftercare_app.domain.records import ChecklistTick
from aftercare_app.domain.restrictions import in_force
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.vocabulary import Area, RestrictionId

P = default_protocol()
NOW = datetime(2026, 5, 1, tzinfo=UTC)
T0 = datetime(2026, 5, 1, 10, tzinfo=UTC)
TREATMENTS = [Treatment(T0, area, sensitive) for area in Area for sensitive in (False, True)]


def ids(day, treatment=None):
    return {t.id for t in tasks_for_day(P, day, treatment)}


def test_the_first_day_is_about_leaving_the_skin_alone():
    assert phase_of_day(P, 0).id == "first_24h"
    assert {"hands_off", "no_products", "first_wash_timing", "no_heat", "no_sweat", "drink_water", "cool_compress"} <= ids(0)


def test_the_first_wash_is_lukewarm_and_alcohol_free_from_the_first_day_on():
    # 001's washing advice holds from the first wash, 12 or 24 h in: recovery day 0 (shown as Day 1).
    cleanse = P.task("gentle_cleanse")
    assert "gentle_cleanse" in ids(0)
    assert "lukewarm" in cleanse.text and "no alcohol" in cleanse.text
    assert any("not hot or cold extremes" in q for _, q in cleanse.citations)


def test_days_two_and_three_bring_gentle_cleansing_and_no_alcohol():
    for day in (1, 2):
        assert {"gentle_cleanse", "cool_compress", "no_workout_alcohol", "shade", "no_actives", "no_regular_masks"} <= ids(day)


def test_the_first_week_brings_daily_spf_and_booking_the_follow_up():
    assert {"spf", "sun_limits", "follow_up_booked", "no_harsh_exfoliants"} <= ids(3)
    assert "spf" in ids(20)
    assert "no_aggressive" in ids(7)


def test_after_four_weeks_the_checklist_is_long_term_care():
    assert phase_of_day(P, 28).id == "long_term"
    assert {"spf", "next_session"} <= ids(28)
    assert not any(t.restrictions for t in tasks_for_day(P, 28))


def test_heat_is_on_the_checklist_every_day_it_is_restricted_days_four_to_seven_included():
    for day in range(28):
        assert "no_heat" in ids(day), day
    assert "no_heat" not in ids(28)


def test_the_makeup_reminder_lasts_while_makeup_does():
    assert "no_makeup" in ids(1) and "no_makeup" not in ids(2)


def test_sensitive_skin_keeps_the_regular_mask_reminder_until_day_seven():
    normal, sensitive = Treatment(T0), Treatment(T0, sensitive=True)
    assert "no_regular_masks" in ids(2, normal) and "no_regular_masks" not in ids(3, normal)
    assert "no_regular_masks" in ids(6, sensitive) and "no_regular_masks" not in ids(7, sensitive)


def test_without_a_treatment_the_checklist_keeps_the_longest_windows():
    assert ids(6) == ids(6, Treatment(T0, sensitive=True))
    assert ids(6) >= ids(6, Treatment(T0))


def test_every_restriction_in_force_has_a_reminder_at_every_hour_of_the_first_four_weeks():
    for treatment in TREATMENTS:
        for hour in range(24 * 28):
            now = T0 + timedelta(hours=hour)
            today = tasks_for_day(P, hour // 24, treatment)
            reminded = {r for task in today for r in task.restrictions}
            for rule in P.restrictions:
                if in_force(rule, treatment, now):
                    assert rule.id in reminded, (treatment, hour, rule.id.value)


@given(st.integers(0, 60), st.sampled_from(TREATMENTS))
def test_no_reminder_outlives_the_restrictions_it_names(day, treatment):
    for task in tasks_for_day(P, day, treatment):
        for rid in task.restrictions:
            assert in_force_on_day(P.restriction(rid), day, treatment), (day, task.id, rid.value)


def test_every_task_that_reminds_of_a_restriction_names_one_that_exists():
    for task in P.tasks:
        assert all(isinstance(r, RestrictionId) for r in task.restrictions)
    reminded = {r for task in P.tasks for r in task.restrictions}
    assert reminded == set(RestrictionId)


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


def test_adherence_counts_the_tasks_due_for_this_treatment():
    normal = adherence(P, [], through_day=6, treatment=Treatment(T0))
    sensitive = adherence(P, [], through_day=6, treatment=Treatment(T0, sensitive=True))
    assert normal.due < sensitive.due


def test_no_ticks_means_zero_adherence_not_an_error():
    assert adherence(P, [], through_day=3).done == 0
