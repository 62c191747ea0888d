"""Two tabs of the offline app in one browser: each runs its own Python with its own copy of the stored files,
yet neither writes over what the other saved, and each shows the other's changes without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEZONE, by_id, fill, onboard, reveal, spoken, tab, wait_text
from tests.pwa.conftest import Browser, OffOrigin
from tests.pwa.driver import open_app, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TICKED = "[role=checkbox][aria-checked=true]"


def _log_entry(page, note: str) -> None:
    page.bring_to_front()  # the patient types in the tab in front; Flutter drops text typed into a hidden one
    tab(page, "Diary")
    by_id(page, "severity-swelling").get_by_role("button", name="mild").click()
    reveal(page, "diary-save")
    fill(page, "Note (optional)", note)
    page.get_by_role("button", name="Save entry").click()
    wait_text(page, "Normal for day 2", timeout=30)


def test_two_tabs_keep_each_others_ticks_and_entries_and_see_them_without_reloading(
        app_build, playwright_session, tmp_path):
    from aftercare_app.site.server import serving

    with serving(app_build.out_dir) as url:
        browser = Browser(playwright_session, tmp_path / "profile", url.rstrip("/"), OffOrigin(url.rstrip("/")),
                          timezone_id=TIMEZONE)
        try:
            context = browser.launch()
            first = context.pages[0]
            open_app(first, url, "Start my recovery plan")
            onboard(first)
            wait_for_text(first, "Day 2 of recovery", 30_000)

            second = context.new_page()
            open_app(second, url, "Day 2 of recovery")
            tab(second, "Checklist")
            tab(first, "Checklist")

            # A tick in the first tab reaches the second tab's open checklist, and the other way round.
            first.get_by_role("checkbox").nth(0).click()
            expect(first.locator(TICKED)).to_have_count(1, timeout=30_000)
            expect(second.locator(TICKED)).to_have_count(1, timeout=30_000)
            second.get_by_role("checkbox").nth(1).click()
            expect(second.locator(TICKED)).to_have_count(2, timeout=30_000)
            expect(first.locator(TICKED)).to_have_count(2, timeout=30_000)

            # Each tab logs an entry from a copy that had not seen the other's: both are kept.
            _log_entry(second, "from the second tab")
            _log_entry(first, "from the first tab")

            for page in (first, second):  # started again, from what the browser kept
                open_app(page, url, "Day 2 of recovery")
                tab(page, "Checklist")
                expect(page.locator(TICKED)).to_have_count(2, timeout=30_000)
                tab(page, "Diary")
                entries = spoken(reveal(page, "entries"))
                assert "from the first tab" in entries and "from the second tab" in entries, entries
            assert browser.off_origin.urls == [] and browser.problems == []
        finally:
            browser.close()
