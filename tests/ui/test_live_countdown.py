"""The Today screen re-renders itself when the minute turns, without a browser."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import Profile, TreatmentSession
from aftercare_app.ui.app import AftercareApp
from aftercare_app.ui.backend import MemoryBackend

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)


class FakePage:
    """Just what the app calls on a page: one view, updates counted, tasks run on the loop."""

    def __init__(self) -> None:
        self.views = [ft.View(route="/")]
        self.route = "/today"
        self.width = 390
        self.updates = 0
        self.tasks: list[asyncio.Task] = []

    def update(self) -> None:
        self.updates += 1

    def run_task(self, fn, *args, **kwargs):
        task = asyncio.get_running_loop().create_task(fn(*args, **kwargs))
        self.tasks.append(task)
        return task

    def navigate(self, route: str) -> None:
        self.route = route


def texts(control) -> list[str]:
    found = []
    stack = [control]
    while stack:
        c = stack.pop()
        if isinstance(c, ft.Text) and isinstance(c.value, str):
            found.append(c.value)
        for name in ("content", "controls"):
            child = getattr(c, name, None)
            if isinstance(child, list):
                stack.extend(child)
            elif isinstance(child, ft.Control):
                stack.append(child)
    return found


def test_the_countdown_moves_on_by_itself_when_the_minute_turns(monkeypatch):
    now = [TREATED + timedelta(hours=1, seconds=59)]
    backend = MemoryBackend(clock=lambda: now[0])
    backend.start_session(TreatmentSession(id="s1", treated_at=TREATED), Profile(clinic_phone="0123"))
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
        app = AftercareApp(page, backend, default_protocol(), lambda: now[0], "Europe/Paris", PARIS)
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

    # A thread of its own: a session's browser tests may leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()
    # Washing lifts 12 h after the injection; 1 h 0 min 59 s in, 10 h 59 min 1 s remain: shown rounded up.
    assert shown[:3] == ["Allowed in 11 h", "Allowed in 10 h 59 min", "Allowed in 10 h 58 min"]
    assert slept[:2] == [1, 60]  # woke at the turn of the minute, then every minute
