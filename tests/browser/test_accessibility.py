"""A screen reader's path: every tab and every control reachable in Flutter's accessibility tree, each with
a name to announce."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    PHONE,
    onboard,
    open_app,
    screenshot,
    tab,
    wait_screen,
)

pytestmark = pytest.mark.browser

INTERACTIVE = "[role=button],[role=checkbox],[role=tab],[role=radio],[role=switch],[role=link],input,textarea"

# Collects every interactive node Flutter has built, with its accessible name and size.
COLLECT = """sel => [...document.querySelectorAll(sel)].map(el => {
  const r = el.getBoundingClientRect();
  const name = (el.getAttribute('aria-label') || el.innerText || el.getAttribute('title') || '').trim();
  return {role: el.getAttribute('role') || el.tagName.toLowerCase(), name, w: r.width, h: r.height};
})"""


def sweep(page) -> list[dict]:
    """Scroll the screen top to bottom, gathering every interactive node that appears on the way."""
    seen: dict[tuple[str, str], dict] = {}
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    page.mouse.wheel(0, -100_000)
    page.wait_for_timeout(200)
    for _ in range(25):
        before = len(seen)
        for node in page.evaluate(COLLECT, INTERACTIVE):
            # A node cut by the screen's edge looks small: keep the largest size it was seen at.
            old = seen.setdefault((node["role"], node["name"]), node)
            old["w"], old["h"] = max(old["w"], node["w"]), max(old["h"], node["h"])
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(150)
        if len(seen) == before and _ > 3:
            break
    return list(seen.values())


@pytest.mark.parametrize("name", ["Today", "Checklist", "Diary", "Masks", "Follow-up"])
def test_every_tab_is_reachable_and_every_control_on_it_has_a_name(phone, served_app, name):
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    tabs = page.get_by_role("tab")
    assert [tabs.nth(i).get_attribute("aria-label") for i in range(tabs.count())] == [
        "Today", "Checklist", "Diary", "Masks", "Follow-up"
    ]
    tab(page, name)
    nodes = sweep(page)
    unnamed = [n for n in nodes if not n["name"]]
    assert not unnamed, f"controls a screen reader cannot name on {name}: {unnamed}"
    small = [n for n in nodes if n["role"] in ("button", "checkbox", "tab", "radio", "switch") and min(n["w"], n["h"]) < 48]
    assert not small, f"touch targets under 48 px on {name}: {small}"
    assert page.get_by_role("button", name="Settings").count() == 1


def test_settings_are_reachable_and_named(phone, served_app):
    page = phone.page
    open_app(page, served_app.url)
    onboard(page)
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    names = {n["name"] for n in sweep(page)}
    for expected in ("Clinic name", "Clinic phone", "Save profile", "Start a new session", "Delete all data", "Back to Today"):
        assert any(expected in n for n in names), (expected, names)
    screenshot(page, "10-settings")


def test_on_a_desktop_the_screens_keep_a_readable_column(browser, served_app):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="Europe/Paris")
    page = context.new_page()
    try:
        open_app(page, served_app.url)
        onboard(page)
        day = page.locator("[flt-semantics-identifier='day-label']").bounding_box()
        assert day["x"] > 250  # centred in a column of at most 640 px, not stretched edge to edge
        screenshot(page, "19-today-desktop")
    finally:
        context.close()
