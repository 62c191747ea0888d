"""How a tab learns that another tab changed the data, without a browser."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare_app.ui.app import AftercareApp
from aftercare_app.ui.tabs import CHANGED_TOPIC, ServedTabs, SoloTab
from aftercare_app.ui.widgets import one_at_a_time
from tests.ui.conftest import FakePage, memory_records
from tests.ui.conftest import run as _run

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
NOW = TREATED + timedelta(hours=30)


class FakePubSub:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.handlers: dict[str, object] = {}

    def send_others_on_topic(self, topic: str, message: str) -> None:
        self.sent.append(topic)

    def subscribe_topic(self, topic: str, handler) -> None:
        self.handlers[topic] = handler


class RecordingTabs(SoloTab):
    def __init__(self) -> None:
        self.redraws: list = []

    def watch(self, redraw) -> None:
        self.redraws.append(redraw)


async def _write(tabs, fail: bool = False) -> None:
    async with tabs.writing():
        if fail:
            raise ValueError("refused")


def test_served_tabs_tell_the_others_only_after_a_change_succeeded():
    page = FakePage()
    page.pubsub = FakePubSub()
    tabs = ServedTabs(page)
    _run(_write(tabs))
    with pytest.raises(ValueError):
        _run(_write(tabs, fail=True))
    assert page.pubsub.sent == [CHANGED_TOPIC]


def test_served_tabs_redraw_on_the_apps_loop_when_told():
    page = FakePage()
    page.pubsub = FakePubSub()
    redrawn = []
    ServedTabs(page).watch(lambda: redrawn.append(True))
    handler = page.pubsub.handlers[CHANGED_TOPIC]
    assert asyncio.iscoroutinefunction(handler)  # Flet runs plain functions on a worker thread
    _run(handler(CHANGED_TOPIC, ""))
    assert redrawn == [True]


def _app(tabs: RecordingTabs) -> AftercareApp:
    records = memory_records(lambda: NOW)
    records.start_session(TREATED, follow_up=date(2026, 5, 18), timezone="Europe/Paris")
    app = AftercareApp(FakePage(), records, zone_name="Europe/Paris", zone=PARIS, tabs=tabs)
    app.start()
    return app


def test_a_change_elsewhere_redraws_a_screen_that_only_shows_data():
    tabs = RecordingTabs()
    app = _app(tabs)
    app.show("/checklist")
    before = app.body.controls
    app.records.set_done(1, app.records.checklist(1).items[0].id, True)
    tabs.redraws[0]()
    assert app.body.controls is not before


@pytest.mark.parametrize("route", ["/diary", "/settings"])
def test_a_change_elsewhere_leaves_a_form_being_filled_in_alone(route):
    tabs = RecordingTabs()
    app = _app(tabs)
    app.show(route)
    before = app.body.controls
    tabs.redraws[0]()
    assert app.body.controls is before


def test_when_another_tab_deleted_everything_the_welcome_form_comes_back():
    tabs = RecordingTabs()
    app = _app(tabs)
    app.show("/diary")
    app.records.erase_all()
    tabs.redraws[0]()
    assert app.route == "/welcome"


def test_a_tab_left_on_the_welcome_form_moves_on_once_another_tab_onboarded():
    tabs = RecordingTabs()
    records = memory_records(lambda: NOW)
    app = AftercareApp(FakePage(), records, zone_name="Europe/Paris", zone=PARIS, tabs=tabs)
    app.start()
    assert app.route == "/welcome"
    records.start_session(TREATED, timezone="Europe/Paris")
    tabs.redraws[0]()
    assert app.route == "/today"


def test_a_double_tap_on_a_save_button_saves_once():
    saved = []

    async def save(_event) -> None:
        await asyncio.sleep(0.01)  # the shared lock and the browser's storage take a moment
        saved.append(True)

    guarded = one_at_a_time(save)

    async def double_tap() -> None:
        await asyncio.gather(guarded(None), guarded(None))
        await guarded(None)  # a later tap saves again

    _run(double_tap())
    assert saved == [True, True]
