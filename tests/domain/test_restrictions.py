"""Restrictions lift at the hour the protocol says, stay lifted, and only ever count down."""

from datetime import UTC, datetime, timedelta

from dateutil import tz
from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.masks import judge_ingredient
from aftercare_app.domain.restrictions import restriction_statuses
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.vocabulary import Area, RestrictionId

from .strategies import deltas, instants, offsets_hours, zones

P = default_protocol()
T0 = datetime(2026, 5, 1, 10, 0, tzinfo=tz.gettz("Europe/Paris"))


def status_of(treatment, now, rid):
    return next(s for s in restriction_statuses(P, treatment, now) if s.id is RestrictionId(rid))


def test_washing_is_allowed_from_12_hours_and_not_a_minute_before():
    t = Treatment(T0)
    assert not status_of(t, T0 + timedelta(hours=11, minutes=59), "wash_face").allowed
    assert status_of(t, T0 + timedelta(hours=12), "wash_face").allowed


def test_reactive_skin_waits_the_full_24_hours_to_wash():
    t = Treatment(T0, sensitive=True)
    s = status_of(t, T0 + timedelta(hours=12), "wash_face")
    assert not s.allowed
    assert s.remaining == timedelta(hours=12)


def test_makeup_at_42_hours_40_minutes_has_5_hours_20_minutes_left():
    s = status_of(Treatment(T0), T0 + timedelta(hours=42, minutes=40), "makeup")
    assert s.remaining == timedelta(hours=5, minutes=20)
    assert s.allowed_from == T0 + timedelta(hours=48)


def test_a_restriction_lifts_after_real_hours_across_a_dst_change():
    paris = tz.gettz("Europe/Paris")
    t = Treatment(datetime(2026, 3, 28, 20, 0, tzinfo=paris))
    s = status_of(t, datetime(2026, 3, 29, 12, 0, tzinfo=paris), "sun_exposure")
    # 72 real hours after 20:00 CET on the 28th is 21:00 CEST on the 31st.
    assert s.allowed_from.astimezone(paris) == datetime(2026, 3, 31, 21, 0, tzinfo=paris)


def test_every_restriction_is_reported_active_ones_first():
    statuses = restriction_statuses(P, Treatment(T0), T0 + timedelta(hours=30))
    assert {s.id for s in statuses} == set(RestrictionId)
    flags = [s.allowed for s in statuses]
    assert flags == sorted(flags)


def test_scalp_treatment_names_the_scalp_in_its_titles():
    s = status_of(Treatment(T0, area=Area.SCALP), T0, "wash_face")
    assert "scalp" in s.title.lower()


def test_everything_is_lifted_after_four_weeks_even_for_sensitive_skin():
    statuses = restriction_statuses(P, Treatment(T0, sensitive=True), T0 + timedelta(days=28))
    assert all(s.allowed for s in statuses)


@given(instants, offsets_hours, deltas)
def test_a_restriction_once_lifted_stays_lifted(treated, hours, later):
    t = Treatment(treated)
    now = treated + timedelta(hours=hours)
    before = {s.id: s.allowed for s in restriction_statuses(P, t, now)}
    after = {s.id: s.allowed for s in restriction_statuses(P, t, now + later)}
    assert all(after[rid] for rid, allowed in before.items() if allowed)


@given(instants, offsets_hours, deltas)
def test_remaining_time_never_grows_as_time_passes(treated, hours, later):
    t = Treatment(treated, sensitive=True)
    now = treated + timedelta(hours=hours)
    before = {s.id: s.remaining for s in restriction_statuses(P, t, now)}
    after = {s.id: s.remaining for s in restriction_statuses(P, t, now + later)}
    assert all(after[rid] <= before[rid] for rid in before)


@given(instants, offsets_hours, zones, zones)
def test_results_do_not_depend_on_the_zone_the_same_instant_is_written_in(treated, hours, zone_a, zone_b):
    now = treated + timedelta(hours=hours)
    a = restriction_statuses(P, Treatment(treated.astimezone(zone_a)), now.astimezone(zone_b))
    b = restriction_statuses(P, Treatment(treated), now)
    assert [(s.id, s.allowed, s.remaining, s.allowed_from) for s in a] == [
        (s.id, s.allowed, s.remaining, s.allowed_from) for s in b
    ]


def test_allowed_from_is_an_instant_comparable_across_zones():
    s = status_of(Treatment(T0), T0, "makeup")
    assert s.allowed_from == (T0 + timedelta(hours=48)).astimezone(UTC)


def test_touching_stays_off_for_the_whole_72_hours():
    t = Treatment(T0)
    assert not status_of(t, T0 + timedelta(hours=71, minutes=59), "touch_face").allowed
    assert status_of(t, T0 + timedelta(hours=72), "touch_face").allowed


def test_a_treated_scalp_waits_the_full_24_hours_before_the_first_hair_wash():
    t = Treatment(T0, area=Area.SCALP)
    assert not status_of(t, T0 + timedelta(hours=23), "wash_face").allowed
    assert status_of(t, T0 + timedelta(hours=24), "wash_face").allowed


def test_sun_after_72_hours_is_allowed_only_with_spf_and_a_hat_until_week_four():
    t = Treatment(T0)
    early = status_of(t, T0 + timedelta(hours=10), "sun_exposure")
    assert not early.allowed
    later = status_of(t, T0 + timedelta(days=9), "sun_exposure")
    assert later.allowed and "SPF" in later.condition and "hat" in later.condition
    assert later.condition_until == T0 + timedelta(days=28)
    done = status_of(t, T0 + timedelta(days=28), "sun_exposure")
    assert done.allowed and done.condition == "" and done.condition_until is None


def test_the_first_wash_comes_with_how_to_wash():
    s = status_of(Treatment(T0), T0 + timedelta(hours=12), "wash_face")
    assert s.allowed and "lukewarm" in s.condition.lower() and "no alcohol" in s.condition


KEYWORDS = {  # how each avoided ingredient is named in a restriction's title
    "retinoids": "retinoid",
    "exfoliating_acids": "acid",
    "vitamin_c": "vitamin c",
    "scrub_particles": "scrub",
    "fragrance": "fragrance",
    "essential_oils": "essential oil",
    "drying_alcohol": "drying alcohol",
    "clay": "clay",
}


@given(offsets_hours, st.booleans(), st.sampled_from(list(Area)))
def test_no_restriction_is_shown_allowed_while_the_mask_checker_still_forbids_what_it_names(hours, sensitive, area):
    t = Treatment(T0, area, sensitive)
    now = T0 + timedelta(hours=hours)
    statuses = restriction_statuses(P, t, now)
    for iid, word in KEYWORDS.items():
        ingredient = P.ingredient(iid)
        verdict = judge_ingredient(P, ingredient.names[0], t, now).verdict
        lifting = next(s for s in statuses if s.id is ingredient.lifted_by)
        assert (verdict == "avoid") == (not lifting.allowed), iid
        assert word in lifting.title.lower(), iid  # the restriction that lifts it names it
        if verdict == "avoid":
            assert not any(word in s.title.lower() for s in statuses if s.allowed), (iid, hours)


def test_on_day_nine_retinol_and_glycolic_acid_are_not_shown_as_allowed():
    # The review's example: status said actives were allowed while the mask checker said 19 more days.
    now = T0 + timedelta(days=8, hours=3)
    allowed = " ".join(s.title.lower() for s in restriction_statuses(P, Treatment(T0), now) if s.allowed)
    assert "retinoid" not in allowed and "acid" not in allowed and "vitamin c" in allowed
