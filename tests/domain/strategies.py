"""Hypothesis strategies shared by the domain tests."""

from datetime import UTC, datetime, timedelta

from dateutil import tz
from hypothesis import strategies as st

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"]

instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
zones = st.sampled_from(ZONES).map(tz.gettz)
offsets_hours = st.floats(min_value=0, max_value=24 * 60, allow_nan=False)
deltas = st.floats(min_value=0, max_value=24 * 40, allow_nan=False).map(lambda h: timedelta(hours=h))
