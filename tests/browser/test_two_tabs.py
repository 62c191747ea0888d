"""Two tabs on the served app share one store: a change made in one shows in the other without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TIMEZONE, onboard, open_app, tab

pytestmark = pytest.mark.browser

TICKED = "[role=checkbox][aria-checked=true]"


def test_a_tick_in_one_tab_shows_in_the_other_tab_without_a_reload(browser, fresh_app):
    context = browser.new_context(viewport=PHONE, timezone_id=TIMEZONE, locale="en-GB")
    try:
        first = context.new_page()
        open_app(first, fresh_app.url)
        onboard(first)
        tab(first, "Checklist")
        second = context.new_page()
        open_app(second, fresh_app.url)
        tab(second, "Checklist")

        first.bring_to_front()
        first.get_by_role("checkbox").nth(0).click()
        expect(second.locator(TICKED)).to_have_count(1, timeout=30_000)
        second.bring_to_front()
        second.get_by_role("checkbox").nth(1).click()
        expect(first.locator(TICKED)).to_have_count(2, timeout=30_000)
    finally:
        context.close()
