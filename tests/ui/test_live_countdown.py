"""The Today screen re-renders itself when the minute turns, without a browser."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from aftercare_app.ui.app import AftercareApp
from tests.ui.conftest import PARIS, FakePage, memory_records, run, texts

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)


def test_the_countdown_moves_on_by_itself_when_the_minute_turns(monkeypatch):
    now = [TREATED + timedelta(hours=1, seconds=59)]
    records = memory_records(lambda: now[0])
    records.start_session(TREATED, clinic_phone="0123")
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def fast_sleep(seconds: float) -> None:  # the app sleeps until the next minute; time jumps there
        slept.append(seconds)
        now[0] += timedelta(seconds=seconds)
        await real_sleep(0)

    monkeypatch.setattr("aftercare_app.ui.app.asyncio.sleep", fast_sleep)

    shown: list[str] = []

    async def scenario() -> None:
        page = FakePage()
        app = AftercareApp(page, records, zone_name="Europe/Paris", zone=PARIS)
        render = app.render

        def noting_render() -> None:
            render()
            shown.append(next(t for t in texts(app.body) if t.startswith("Allowed in") and "h" in t and "day" not in t))

        app.render = noting_render
        app.start()
        for _ in range(3):
            await real_sleep(0)
        app.route = "/checklist"  # leaving Today stops the ticker
        for _ in range(3):
            await real_sleep(0)
        # The ticker ends when Today is left; scrolling the (absent) client is not this test's business.
        await asyncio.wait_for(asyncio.gather(*page.tasks, return_exceptions=True), 1)

    run(scenario())
    # Washing lifts 12 h after the injection; 1 h 0 min 59 s in, 10 h 59 min 1 s remain: shown rounded up.
    assert shown[:3] == ["Allowed in 11 h", "Allowed in 10 h 59 min", "Allowed in 10 h 58 min"]
    assert slept[:2] == [1, 60]  # woke at the turn of the minute, then every minute
