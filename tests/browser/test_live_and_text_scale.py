"""Two things a patient sees without doing anything: the Today countdown keeps time while the screen stays
open, and a larger text size in the browser makes the app's text larger without losing any of it."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import (
    APP_TIMEOUT_MS,
    PHONE,
    ROOT,
    TIMEZONE,
    by_id,
    fill,
    open_app,
    press_until,
    reveal,
    screenshot,
    scroll_top,
    spoken,
    start_server,
    stop_server,
    tab,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser

PARIS = ZoneInfo(TIMEZONE)
PROTOCOL = json.loads((ROOT / "aftercare_app" / "content" / "protocol.json").read_text(encoding="utf-8"))
RULES = {r["id"]: r for r in PROTOCOL["restrictions"]}
TABS = ["Today", "Checklist", "Diary", "Masks", "Follow-up"]
START = "Start my recovery plan"
# Time the welcome form needs from typing the treatment time to showing Today, with room for a slow machine.
TYPING_MARGIN = timedelta(seconds=20)
# Where a finger taps a field that shows an error: at a large text size the middle of the field's announced box
# falls on the error message below it.
FIELD_TOP = {"x": 40, "y": 24}


# --------------------------------------------------------------------------- time typed into the welcome form


def minute_of(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


def typeable(instant: datetime) -> bool:
    """Whether the Europe/Paris wall-clock minute of ``instant`` names it alone: not so in the hour that the
    autumn clock change repeats, where a typed time means the first of the two."""
    local = instant.astimezone(PARIS)
    return local.replace(fold=0).astimezone(UTC) == local.replace(fold=1).astimezone(UTC)


def fill_clinic(page: object) -> None:
    fill(page, "Clinic name", "Clinique Lumière")
    fill(page, "Clinic phone", "+33 1 23 45 67 89")


def fill_treatment(page: object, treated: datetime, *, sensitive: bool = False) -> None:
    """Type the minute ``treated`` (a UTC instant on a whole minute) as the patient's Paris date and time."""
    assert treated.second == 0 and typeable(treated), treated
    if sensitive:
        switch = page.get_by_role("switch", name="My skin is sensitive or reactive")
        switch.click()
        page.locator("[role=switch][aria-checked=true]").wait_for(state="attached", timeout=APP_TIMEOUT_MS)
    local = treated.astimezone(PARIS)
    fill(page, "Treatment date", local.strftime("%Y-%m-%d"))
    fill(page, "Treatment time", local.strftime("%H:%M"))


def treated_hours_ago(hours: float) -> datetime:
    """A typeable treatment minute about ``hours`` ago (an hour earlier if that one falls in the repeated hour)."""
    now = datetime.now(UTC)
    return next(t for t in (minute_of(now - timedelta(hours=h)) for h in (hours, hours + 1)) if typeable(t))


# --------------------------------------------------------------------------- reading a countdown card


def remaining_minutes(text: str) -> int:
    """Minutes in a card's 'Allowed in 1 day 5 h' / '21 h 59 min' / '12 min', as shown to the patient."""
    match = re.search(r"Allowed in ((?:\d+ (?:days?|h|min)\s*)+?)\s*From ", text)
    assert match, f"no 'Allowed in ... From ...' on the card: {text!r}"
    per = {"day": 24 * 60, "days": 24 * 60, "h": 60, "min": 1}
    return sum(int(n) * per[unit] for n, unit in re.findall(r"(\d+) (days?|h|min)\b", match.group(1)))


def card_text(page: object, identifier: str) -> str | None:
    """What a screen reader reads on the card, or None while it is missing or being replaced."""
    from playwright.sync_api import Error as PlaywrightError

    node = by_id(page, identifier)
    try:
        return spoken(node) if node.count() else None
    except PlaywrightError:  # the node went away between count() and the read: the screen is being rebuilt
        return None


def expected_minutes(lifts: datetime, at: datetime) -> int:
    return math.ceil((lifts - at).total_seconds() / 60)


@contextmanager
def second_server(tmp_path: object) -> Iterator[object]:
    server = start_server(ROOT / "main.py", tmp_path / "second-data")
    try:
        yield server
    finally:
        stop_server(server)


@contextmanager
def phone_page(browser: object, root_font_px: int | None = None) -> Iterator[object]:
    """A phone-sized page; ``root_font_px`` sets the browser's own default font size, as a patient does in the
    browser's settings ("Font size"), so the page's root element computes to that size."""
    context = browser.new_context(viewport=PHONE, timezone_id=TIMEZONE, locale="en-GB")
    try:
        page = context.new_page()
        if root_font_px is not None:
            set_browser_font_size(page, root_font_px)
        yield page
    finally:
        context.close()


def set_browser_font_size(page: object, px: int) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": px}})


# --------------------------------------------------------------------------- 1. the countdown is live


def test_today_counts_down_and_lifts_a_restriction_while_nobody_touches_the_screen(
    browser, fresh_phone, fresh_app, tmp_path
):
    # Two patients side by side, each on an app of their own, so both changes are awaited at the same time.
    # One was treated about 26.5 h ago: makeup (48 h) shows hours and minutes left.
    makeup_page = fresh_phone.page
    open_app(makeup_page, fresh_app.url)
    treated_a = treated_hours_ago(26.5)
    fill_clinic(makeup_page)
    fill_treatment(makeup_page, treated_a)
    press_until(makeup_page, START, by_id(makeup_page, "screen-today"))
    makeup_lifts = treated_a + timedelta(hours=RULES["makeup"]["hours"])

    with second_server(tmp_path) as server, phone_page(browser) as wash_page:
        # The other was treated so that washing (12 h; 24 h for reactive skin) lifts at the turn of a minute
        # one or two minutes from now; the time is chosen only once the rest of the form is filled in.
        open_app(wash_page, server.url)
        fill_clinic(wash_page)
        wash_lifts = minute_of(datetime.now(UTC) + TYPING_MARGIN) + timedelta(minutes=1)
        hours, sensitive = RULES["wash_face"]["hours"], False
        if not typeable(wash_lifts - timedelta(hours=hours)):  # the autumn clock change repeats that hour
            hours, sensitive = RULES["wash_face"]["sensitive_hours"], True
        fill_treatment(wash_page, wash_lifts - timedelta(hours=hours), sensitive=sensitive)
        press_until(wash_page, START, by_id(wash_page, "screen-today"))
        assert datetime.now(UTC) < wash_lifts - timedelta(seconds=2), "the welcome form took too long to observe the lift"

        before_wash = card_text(wash_page, "countdown-wash_face")
        assert before_wash and "Washing the treated area" in before_wash, before_wash
        assert remaining_minutes(before_wash) in (1, 2), before_wash
        screenshot(wash_page, "25-today-wash-about-to-lift")

        # From here on neither page gets any input: only the app's own timer can change what they show.
        before_makeup = card_text(makeup_page, "countdown-makeup")
        read_at = datetime.now(UTC)
        assert before_makeup, "no makeup countdown on Today"
        minutes_before = remaining_minutes(before_makeup)
        assert minutes_before < 24 * 60, before_makeup  # shown to the minute, not as days
        assert minutes_before in (expected_minutes(makeup_lifts, read_at), expected_minutes(makeup_lifts, read_at) + 1)

        makeup_changed: tuple[str, datetime] | None = None
        wash_lifted_at: datetime | None = None
        # The makeup minute turns within 60 s; washing lifts at most 70 s after its time was chosen.
        deadline = time.monotonic() + max(75, (wash_lifts - datetime.now(UTC)).total_seconds() + 10)
        while makeup_changed is None or wash_lifted_at is None:
            assert time.monotonic() < deadline, (
                f"no change without input: makeup card {card_text(makeup_page, 'countdown-makeup')!r} "
                f"(was {before_makeup!r}); washing still counting down: {wash_lifted_at is None}"
            )
            if makeup_changed is None:
                now_text = card_text(makeup_page, "countdown-makeup")
                if now_text and remaining_minutes(now_text) != minutes_before:
                    makeup_changed = (now_text, datetime.now(UTC))
            if wash_lifted_at is None and not by_id(wash_page, "countdown-wash_face").count():
                wash_lifted_at = datetime.now(UTC)
            time.sleep(0.25)

        after_makeup, changed_at = makeup_changed
        assert remaining_minutes(after_makeup) == minutes_before - 1, (before_makeup, after_makeup)
        # It changed when the minute turned (the treatment was typed to the minute), not at some later refresh.
        assert changed_at.second < 10, f"the countdown changed {changed_at.second} s after the minute turned"
        screenshot(makeup_page, "25b-today-countdown-one-minute-later")

        # Washing left "Still to wait" when its minute came, not before, and is listed as allowed.
        assert wash_lifts - timedelta(seconds=1) <= wash_lifted_at <= wash_lifts + timedelta(seconds=10), (
            wash_lifts,
            wash_lifted_at,
        )
        assert "Washing the treated area" in spoken(reveal(wash_page, "now-allowed"))
        screenshot(wash_page, "25c-today-washing-now-allowed")


# --------------------------------------------------------------------------- 2. text scales


def box(page: object, identifier: str) -> dict:
    found = by_id(page, identifier).first.bounding_box()
    assert found, f"{identifier} has no box on the screen"
    return found


def whole_card(page: object, identifier: str) -> tuple[object, dict]:
    """The card ``identifier`` scrolled up under the app bar, and its box once the list stands still.

    Flutter clips a node's box to what the list shows, so only a card wholly on the screen has its full height.
    """
    node = reveal(page, identifier)
    page.mouse.wheel(0, node.bounding_box()["y"] - 64)
    previous, deadline = None, time.monotonic() + 10
    while (found := by_id(page, identifier).first.bounding_box()) != previous:
        assert time.monotonic() < deadline, f"{identifier} never stood still"
        previous = found
        page.wait_for_timeout(200)
    assert found["y"] >= 56 and found["y"] + found["height"] <= PHONE["height"] - 80, f"{identifier} is not whole: {found}"
    return by_id(page, identifier).first, found


def assert_within_width(found: dict, what: str) -> None:
    assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"] + 0.5, f"{what} sticks out: {found}"


def test_a_larger_browser_text_size_enlarges_the_text_and_keeps_it_readable_and_reachable(browser, fresh_phone, fresh_app):
    page = fresh_phone.page
    set_browser_font_size(page, 32)  # twice the default 16 px
    open_app(page, fresh_app.url)
    # Flutter's text scale is the root element's computed font size over 16 px.
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    screenshot(page, "24a-welcome-text-200")

    # The welcome form's button still works at twice the text size: it names what is missing, then starts.
    treated = treated_hours_ago(26.5)
    fill_treatment(page, treated)
    fill(page, "Clinic name", "Clinique Lumière")
    press_until(page, START, "Add your clinic's phone number")
    screenshot(page, "24b-welcome-validation-text-200")
    fill(page, "Clinic phone", "+33 1 23 45 67 89", at=FIELD_TOP)
    press_until(page, START, by_id(page, "screen-today"))

    # The day label and a countdown card are whole: every word is there for a screen reader, and the
    # boxes stay inside the phone's width (the text wraps instead of running off the edge).
    day = math.floor((datetime.now(UTC) - treated) / timedelta(hours=24)) + 1
    wait_text(page, f"Day {day} of recovery")
    assert spoken(by_id(page, "day-label")).strip() == f"Day {day} of recovery"
    day_200 = box(page, "day-label")
    assert_within_width(day_200, "the day label")
    screenshot(page, "24-today-text-200")
    makeup, card_200 = whole_card(page, "countdown-makeup")
    card = spoken(makeup)
    for words in ("Makeup", RULES["makeup"]["reason"]):
        assert words in card, (words, card)
    assert 0 < remaining_minutes(card) < 24 * 60, card
    assert_within_width(card_200, "the makeup card")
    screenshot(page, "24c-today-countdown-text-200")

    # The bottom navigation names and reaches every tab, each inside the screen and large enough to hit.
    tabs = page.get_by_role("tab")
    assert [tabs.nth(i).get_attribute("aria-label") for i in range(tabs.count())] == TABS
    for i in range(tabs.count()):
        found = tabs.nth(i).bounding_box()
        assert_within_width(found, f"the {TABS[i]} tab")
        assert found["y"] + found["height"] <= PHONE["height"] + 0.5 and min(found["width"], found["height"]) >= 48, found
    for name in TABS[1:] + TABS[:1]:
        tab(page, name)
        if name == "Follow-up":
            screenshot(page, "24d-follow-up-text-200")

    # The same Today at the default size: the text is clearly smaller there.
    with phone_page(browser) as normal:
        open_app(normal, fresh_app.url)
        wait_screen(normal, "today")
        wait_text(normal, f"Day {day} of recovery")
        assert normal.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
        day_100 = box(normal, "day-label")
        screenshot(normal, "24e-today-text-100")
        _, card_100 = whole_card(normal, "countdown-makeup")
        assert day_200["height"] >= 1.6 * day_100["height"], (day_100, day_200)
        assert card_200["height"] >= 1.4 * card_100["height"], (card_100, card_200)

        # A size changed while the app is open is followed at once, without a reload.
        scroll_top(normal)
        normal.evaluate("document.documentElement.style.fontSize = '32px'")
        deadline = time.monotonic() + 10
        while box(normal, "day-label")["height"] < 1.6 * day_100["height"]:
            assert time.monotonic() < deadline, ("the open app ignored the new text size", box(normal, "day-label"))
            normal.wait_for_timeout(100)
