"""Settings (theme, a new session, erasing everything), the mask advisor, and the promise that nothing
leaves the patient's device: every request stays on the app's own origin."""

from __future__ import annotations

import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    TIMEZONE,
    by_id,
    download,
    fill,
    onboard,
    open_app,
    press_until,
    reveal,
    reveal_role,
    screenshot,
    spoken,
    tab,
    wait_screen,
)

pytestmark = pytest.mark.browser


def test_the_served_app_keeps_every_request_on_its_own_origin(phone, served_app):
    with urllib.request.urlopen(served_app.url) as response:
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "https:" not in policy
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    for name in ("Checklist", "Diary", "Masks", "Follow-up", "Today"):
        tab(page, name)
    # The prebuilt client still asks a CDN for a Rive runtime; the policy stops it before the network.
    assert phone.reached_network_off_origin == []
    assert all(phone.failures[u] == "csp" for u in phone.off_origin), phone.failures


def test_the_mask_advisor_judges_a_pasted_label(phone, served_app):
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    tab(page, "Masks")
    screenshot(page, "08-masks")
    by_id(page, "skin-state").get_by_role("button", name="Dry or flaky").click()
    reveal(page, "check-ingredients")
    from tests.browser.conftest import fill

    fill(page, "Ingredients from the label", "Aqua, Glycerin, Retinol, Panthenol, Parfum")
    page.get_by_role("button", name="Check ingredients").click()
    verdicts = spoken(reveal(page, "ingredient-verdicts"))
    assert "Avoid: Retinol" in verdicts and "Panthenol" in verdicts
    assert "Overall: Avoid" in spoken(by_id(page, "mask-verdict"))
    screenshot(page, "09-masks-ingredient-check")


def test_settings_switch_theme_start_a_new_session_and_erase_everything(fresh_phone, fresh_app):
    page = fresh_phone.page
    open_app(page, fresh_app.url)
    onboard(page, hours_ago=80)
    expect(by_id(page, "day-label")).to_have_text("Day 4 of recovery")
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    reveal(page, "theme-choice").get_by_role("button", name="Dark").click()  # below the session form
    page.wait_for_timeout(500)
    screenshot(page, "11-settings-dark")

    reveal(page, "new-session").click()
    wait_screen(page, "session")
    press_until(page, "Save session", by_id(page, "screen-today"))
    expect(by_id(page, "day-label")).to_have_text("Day 1 of recovery")
    screenshot(page, "12-today-dark-new-session")
    tab(page, "Follow-up")
    assert "Session 2 of 2" in spoken(by_id(page, "follow-up-facts"))

    page.reload()
    open_app(page, fresh_app.url)
    wait_screen(page, "today")
    page.wait_for_timeout(300)
    # The theme is a device setting: it survived the reload.
    assert page.evaluate("localStorage.getItem('flutter.aftercare.theme')") == '"dark"'

    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    reveal(page, "delete-all").click()
    page.get_by_role("button", name="Delete everything").wait_for()
    screenshot(page, "13-delete-all-confirmation")
    page.get_by_role("button", name="Delete everything").click()
    wait_screen(page, "welcome")
    # Nothing of the patient's stays on the device: no session in the store, no backup, no set-aside copy.
    copies = [p for p in fresh_app.data_dir.rglob("*.json") if p.name != "aftercare.json"]
    assert copies == []
    assert '"treated_at"' not in (fresh_app.data_dir / "aftercare.json").read_text(encoding="utf-8")
    page.reload()
    open_app(page, fresh_app.url)
    wait_screen(page, "welcome")


def test_notes_in_other_scripts_and_emoji_draw_with_fonts_served_by_the_app(phone, served_app):
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    tab(page, "Diary")
    reveal(page, "diary-save")
    from tests.browser.conftest import fill

    fill(page, "Note (optional)", "Ça pique 😣 — жжёт, تورم, Ελλάδα, שלום")
    page.wait_for_timeout(1500)
    screenshot(page, "14-diary-note-many-scripts")
    fonts = [u for u in phone.responses if "/assets/fonts/" in u and "/v" in u.rsplit("/assets/fonts/", 1)[1]]
    families = {u.rsplit("/assets/fonts/", 1)[1].split("/")[0] for u in fonts}
    assert {"notocoloremoji", "notosansarabic", "notosanshebrew"} <= families
    # Each fallback family is fetched once or twice, not again on every frame.
    assert all(sum(f"/fonts/{f}/" in u for u in fonts) <= 2 for f in families), fonts
    assert phone.reached_network_off_origin == []


def test_the_follow_up_view_saves_a_pdf_report_and_a_backup(phone, served_app, tmp_path):
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    tab(page, "Follow-up")
    pdf = download(page, "PDF report", tmp_path)
    assert pdf.name.startswith("aftercare-report-") and pdf.read_bytes().startswith(b"%PDF")
    assert b'"aftercare-companion-export"' in download(page, "Backup (JSON)", tmp_path).read_bytes()
    reveal(page, "exports")
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    screenshot(page, "18-follow-up-exports")

    from icalendar import Calendar

    reveal_role(page, "switch", "Calendar: daily reminder at 20:00").click()
    ics = download(page, "Calendar (.ics)", tmp_path)
    assert ics.name.startswith("aftercare-calendar-")
    calendar = Calendar.from_ical(ics.read_bytes())
    events = calendar.walk("VEVENT")
    assert any("follow-up" in str(e.get("summary")).lower() for e in events)
    assert calendar.walk("VALARM"), "the daily check-ins carry alarms"

    # Settings offer the same card.
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    reveal(page, "exports")
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(300)
    assert page.get_by_role("button", name="Calendar (.ics)").count() == 1
    screenshot(page, "20-settings-exports")
    assert phone.reached_network_off_origin == []


def test_correcting_the_treatment_time_in_settings_moves_todays_day(fresh_phone, fresh_app):
    page = fresh_phone.page
    open_app(page, fresh_app.url)
    onboard(page, hours_ago=26)
    expect(by_id(page, "day-label")).to_have_text("Day 2 of recovery")
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    reveal(page, "edit-session")
    earlier = datetime.now(ZoneInfo(TIMEZONE)) - timedelta(hours=76)
    fill(page, "Treatment date", earlier.strftime("%Y-%m-%d"))
    fill(page, "Treatment time", earlier.strftime("%H:%M"))
    press_until(page, "Save session changes", "Session saved")
    reveal(page, "edit-session")
    screenshot(page, "21-settings-edit-session")
    page.get_by_role("button", name="Back to Today").click()
    wait_screen(page, "today")
    expect(by_id(page, "day-label")).to_have_text("Day 4 of recovery")
