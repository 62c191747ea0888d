"""A patient who would rather not type dates picks the treatment day on a calendar and the time on a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PHONE,
    TIMEZONE,
    by_id,
    fill,
    open_app,
    press_until,
    reveal,
    screenshot,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser


# East and west of the server (which runs on the machine's zone, UTC on CI): a day must never shift.
@pytest.mark.parametrize("zone_name", [TIMEZONE, "America/New_York"])
def test_the_treatment_day_and_time_can_be_picked_instead_of_typed(browser, fresh_app, zone_name):
    context = browser.new_context(viewport=PHONE, timezone_id=zone_name, locale="en-GB")
    try:
        pick_and_start(context.new_page(), fresh_app.url, ZoneInfo(zone_name))
    finally:
        context.close()


def pick_and_start(page, url: str, zone: ZoneInfo) -> None:
    open_app(page, url)
    wait_screen(page, "welcome")
    now = datetime.now(zone)
    day = (now - timedelta(days=3)).date()

    page.get_by_role("button", name="Choose the treatment date").click()
    wait_text(page, f"{now:%a}, {now:%b} {now.day}")  # it opens on the field's day, today here, not a day off
    if day.month != now.month:  # the calendar opens on today's month
        page.get_by_role("button", name="Previous month").click()
    page.get_by_role("button", name=f"{day.day}, {day:%A}, {day:%B} {day.day}, {day.year}", exact=False).first.click()
    page.get_by_role("button", name="OK").click()

    page.get_by_role("button", name="Choose the treatment time").click()
    page.get_by_role("button", name="Switch to text input mode").click()
    for label, value in (("Hour", "09"), ("Minute", "30")):
        field = page.get_by_role("textbox", name=label)
        field.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    screenshot(page, f"26-welcome-time-picker-{zone.key.split('/')[-1]}")
    page.get_by_role("button", name="OK").click()

    fill(page, "Clinic name", "Clinique Lumière")
    fill(page, "Clinic phone", "+33 1 23 45 67 89")
    press_until(page, "Start my recovery plan", by_id(page, "screen-today"))
    treated = datetime(day.year, day.month, day.day, 9, 30, tzinfo=zone).astimezone(UTC)  # UTC: real hours
    recovery_day = (now.astimezone(UTC) - treated) // timedelta(hours=24) + 1
    expect(by_id(page, "day-label")).to_have_text(f"Day {recovery_day} of recovery")
    # The follow-up followed the picked day: two weeks after it.
    left = (day + timedelta(days=14) - now.date()).days
    assert f"Follow-up in {left} days" in by_id(page, "follow-up-days").inner_text()
    # Heat stays off for 28 days (672 h) from the picked minute: the card names that moment.
    lifts = (treated + timedelta(hours=672)).astimezone(zone)
    assert f"{lifts:%a} {lifts.day} {lifts:%b} {lifts:%H:%M}" in reveal(page, "countdown-heat").inner_text()
