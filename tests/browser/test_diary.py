"""The diary in a real browser: an expected symptom reads as normal, an entry is edited, one is deleted after
confirming, and trouble breathing brings the emergency card."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    by_id,
    onboard,
    open_app,
    reveal,
    reveal_role,
    screenshot,
    scroll_top,
    spoken,
    tab,
    wait_until,
)

pytestmark = pytest.mark.browser


def save_entry(page, symptom: str | None = None, severity: str | None = None, sign: str | None = None) -> None:
    scroll_top(page)
    if symptom:
        reveal(page, f"severity-{symptom}").get_by_role("button", name=severity).click()
    if sign:
        reveal(page, "diary-save")
        page.get_by_role("checkbox", name=sign).click()
    reveal(page, "diary-save")
    page.get_by_role("button", name="Save entry").click()


def test_log_edit_delete_and_the_emergency_card(fresh_phone, fresh_app):
    page = fresh_phone.page
    open_app(page, fresh_app.url)
    onboard(page, hours_ago=5)
    tab(page, "Diary")

    save_entry(page, "swelling", "mild")
    normal = by_id(page, "triage-normal")
    normal.wait_for()
    assert "Normal for day 1" in spoken(normal)
    screenshot(page, "15-diary-normal")

    # Edit: the entry comes back into the form, swelling raised to severe, saved under the same entry.
    page.get_by_role("button", name="Dismiss").click()
    reveal_role(page, "button", "Edit").click()
    scroll_top(page)
    assert "Editing an entry" in spoken(by_id(page, "diary-form"))
    save_entry(page, "swelling", "severe")
    by_id(page, "triage-call_clinic").wait_for()
    entries = spoken(reveal(page, "entries"))
    assert "Swelling: severe" in entries and "Swelling: mild" not in entries
    assert entries.count("Edit entry from") == 1

    # Delete asks first; keeping it changes nothing, confirming removes it.
    reveal_role(page, "button", "Delete").click()
    page.get_by_role("button", name="Keep it").click()
    assert "Swelling: severe" in spoken(reveal(page, "entries"))
    reveal_role(page, "button", "Delete").click()
    page.get_by_role("button", name="Keep it").wait_for()
    page.wait_for_timeout(400)  # the dialog's entrance animation
    screenshot(page, "16-diary-delete-confirmation")
    page.get_by_role("button", name="Delete", exact=True).last.click()
    wait_until(page, "() => !document.body.innerText.includes('Swelling: severe')")
    assert "No entries yet" in spoken(reveal(page, "entries"))

    save_entry(page, sign="Trouble breathing")
    card = by_id(page, "triage-emergency")
    card.wait_for()
    scroll_top(page)
    assert "Seek emergency care now" in spoken(card)
    assert page.get_by_role("button", name="Call emergency services (112)").count() == 1
    screenshot(page, "17-diary-emergency")
