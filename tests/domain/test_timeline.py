"""Recovery time is counted in real hours from the injection, whatever the clock says."""

from datetime import UTC, datetime, timedelta

import pytest
from dateutil import tz
from hypothesis import given

from aftercare_app.domain.records import InvalidRecord
from aftercare_app.domain.timeline import Treatment, format_duration, hours_since, recovery_day

from .strategies import instants, offsets_hours, zones

PARIS = tz.gettz("Europe/Paris")


def test_day_zero_is_the_first_24_hours():
    t = Treatment(datetime(2026, 5, 1, 10, 0, tzinfo=PARIS))
    assert recovery_day(t, datetime(2026, 5, 1, 10, 0, tzinfo=PARIS)) == 0
    assert recovery_day(t, datetime(2026, 5, 2, 9, 59, tzinfo=PARIS)) == 0
    assert recovery_day(t, datetime(2026, 5, 2, 10, 0, tzinfo=PARIS)) == 1


def test_a_23_hour_calendar_day_is_23_hours():
    # Paris springs forward on 2026-03-29: 10:00 to 10:00 next day is 23 real hours.
    t = Treatment(datetime(2026, 3, 28, 10, 0, tzinfo=PARIS))
    assert hours_since(t, datetime(2026, 3, 29, 10, 0, tzinfo=PARIS)) == pytest.approx(23)
    assert recovery_day(t, datetime(2026, 3, 29, 10, 0, tzinfo=PARIS)) == 0
    assert recovery_day(t, datetime(2026, 3, 29, 11, 0, tzinfo=PARIS)) == 1


def test_a_25_hour_calendar_day_is_25_hours():
    t = Treatment(datetime(2026, 10, 24, 10, 0, tzinfo=PARIS))
    assert hours_since(t, datetime(2026, 10, 25, 10, 0, tzinfo=PARIS)) == pytest.approx(25)


def test_the_ambiguous_hour_is_told_apart_by_fold():
    first = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)
    second = tz.enfold(first, fold=1)
    t = Treatment(first)
    assert hours_since(t, second) == pytest.approx(1)


def test_a_time_before_the_treatment_is_refused():
    t = Treatment(datetime(2026, 5, 1, 10, tzinfo=UTC))
    with pytest.raises(InvalidRecord):
        hours_since(t, datetime(2026, 5, 1, 9, tzinfo=UTC))


def test_a_treatment_without_timezone_is_refused():
    with pytest.raises(InvalidRecord, match="offset"):
        Treatment(datetime(2026, 5, 1, 10))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=5, minutes=20), "5 h 20 min"),
        (timedelta(days=1, hours=5, minutes=10), "1 day 5 h"),
        (timedelta(days=3), "3 days"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(seconds=30), "1 min"),
        (timedelta(0), "0 min"),
    ],
)
def test_remaining_time_reads_like_a_person_would_say_it(delta, text):
    assert format_duration(delta) == text


@given(instants, offsets_hours, zones, zones)
def test_the_day_does_not_depend_on_the_zone_the_instants_are_written_in(treated, hours, zone_a, zone_b):
    now = treated + timedelta(hours=hours)
    a = recovery_day(Treatment(treated.astimezone(zone_a)), now.astimezone(zone_b))
    b = recovery_day(Treatment(treated), now)
    assert a == b
