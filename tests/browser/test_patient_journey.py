"""A new patient's first day with the app, in a real browser against the served app."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ROOT,
    TIMEZONE,
    by_id,
    fill,
    open_app,
    press_until,
    reveal,
    screenshot,
    spoken,
    start_server,
    stop_server,
    tab,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser


def test_a_new_patient_onboards_ticks_logs_a_warning_sign_and_finds_everything_after_a_reload(fresh_phone, fresh_app):
    phone, served_app = fresh_phone, fresh_app
    page = phone.page
    open_app(page, served_app.url)
    wait_screen(page, "welcome")
    screenshot(page, "01-welcome")

    # Treated 26 real hours ago (27 if that wall-clock time is one the autumn clock change repeats), so some
    # restrictions have lifted and others still count down.
    paris = ZoneInfo(TIMEZONE)
    treated = next(
        t for t in ((datetime.now(UTC) - timedelta(hours=h)).replace(second=0, microsecond=0).astimezone(paris) for h in (26, 27))
        if t.replace(fold=0).astimezone(UTC) == t.replace(fold=1).astimezone(UTC)
    )
    fill(page, "Treatment date", treated.strftime("%Y-%m-%d"))
    fill(page, "Treatment time", treated.strftime("%H:%M"))
    fill(page, "Clinic name", "Clinique Lumière")
    # Nothing is saved until valid: the missing phone is named beside its field.
    press_until(page, "Start my recovery plan", "Add your clinic's phone number")
    screenshot(page, "02-welcome-validation")
    fill(page, "Clinic phone", "+33 1 23 45 67 89")
    press_until(page, "Start my recovery plan", by_id(page, "screen-today"))
    expect(by_id(page, "day-label")).to_have_text("Day 2 of recovery")
    makeup = by_id(page, "countdown-makeup").inner_text()
    # Makeup lifts 48 h after the minute typed: later today when the test runs just after midnight, else tomorrow.
    lifts = (treated.astimezone(UTC) + timedelta(hours=48)).astimezone(paris)  # real hours, not wall-clock ones
    lift_day = "today" if lifts.date() == datetime.now(paris).date() else "tomorrow"
    assert "Makeup" in makeup and f"From {lift_day} {lifts:%H:%M}" in makeup, makeup
    left = lifts - datetime.now(paris)
    assert re.search(rf"Allowed in ({left // timedelta(hours=1)} h \d+ min|{left // timedelta(hours=1) + 1} h)", makeup), makeup
    # The follow-up defaults to two weeks after the treatment date, followed as that date was typed.
    days_left = (treated.date() + timedelta(days=14) - datetime.now(paris).date()).days
    assert f"Follow-up in {days_left} days" in by_id(page, "follow-up-days").inner_text()
    screenshot(page, "03-today")
    assert "Washing the treated area" in reveal(page, "now-allowed").inner_text()
    screenshot(page, "03b-today-now-allowed")

    tab(page, "Checklist")
    boxes = page.get_by_role("checkbox")
    boxes.nth(0).click()
    boxes.nth(1).click()
    expect(page.locator("[role=checkbox][aria-checked=true]")).to_have_count(2, timeout=30_000)
    # The summary is rewritten once both ticks are stored, a moment after the boxes show them.
    by_id(page, "checklist-summary").get_by_text("2 of").first.wait_for()
    screenshot(page, "04-checklist")
    # Yesterday's list is viewable (nothing ticked there), and today's comes back with its ticks.
    page.get_by_role("button", name="Previous day").click()
    wait_text(page, "Day 1 · 1 day ago")
    assert page.locator("[role=checkbox][aria-checked=true]").count() == 0
    page.get_by_role("button", name="Next day").click()
    wait_text(page, "Day 2 · today")
    expect(page.locator("[role=checkbox][aria-checked=true]")).to_have_count(2, timeout=30_000)

    tab(page, "Diary")
    by_id(page, "severity-redness").get_by_role("button", name="moderate").click()
    page.get_by_role("checkbox", name="Fever").click()
    reveal(page, "diary-save")
    fill(page, "Note (optional)", "Warm to the touch since the evening; 38.2 °C")
    page.get_by_role("button", name="Save entry").click()
    card = by_id(page, "triage-call_clinic")
    card.wait_for()
    assert "Call your clinic" in card.inner_text()
    assert page.get_by_role("button", name="Call Clinique Lumière (+33 1 23 45 67 89)").count() == 1
    screenshot(page, "05-diary-call-clinic")

    tab(page, "Follow-up")
    flags = by_id(page, "follow-up-red-flags").inner_text()
    assert "fever" in flags.lower() and "CALL YOUR CLINIC" in flags
    symptoms = spoken(by_id(page, "follow-up-symptoms"))
    assert "Redness" in symptoms and "day 2 moderate" in symptoms and "Itching" not in symptoms
    # The chart is announced in words, not left to its bars' heights and colours.
    assert "Redness by day." in spoken(by_id(page, "chart-redness"))
    screenshot(page, "06-follow-up")
    assert "2 of" in reveal(page, "follow-up-adherence").inner_text()
    assert "38.2" in reveal(page, "follow-up-notes").inner_text()
    screenshot(page, "06b-follow-up-end")

    page.reload()
    open_app(page, served_app.url)
    wait_screen(page, "today")
    banner = by_id(page, "red-flag-banner").inner_text()
    assert "Call your clinic" in banner
    screenshot(page, "07-today-after-reload-red-flag")
    tab(page, "Checklist")
    expect(page.locator("[role=checkbox][aria-checked=true]")).to_have_count(2, timeout=30_000)
    tab(page, "Diary")
    assert "Warning signs: Fever" in spoken(reveal(page, "entries"))
    tab(page, "Follow-up")
    assert "fever" in by_id(page, "follow-up-red-flags").inner_text().lower()

    assert phone.reached_network_off_origin == [], f"requests left the app's origin: {phone.reached_network_off_origin}"

    # The records are on disk, not in the server's memory: a restarted server shows them too.
    stop_server(served_app)
    again = start_server(ROOT / "main.py", served_app.data_dir)
    try:
        open_app(page, again.url)
        wait_screen(page, "today")
        assert "Call your clinic" in by_id(page, "red-flag-banner").inner_text()
    finally:
        stop_server(again)
