"""The app without a browser: the real services over an in-memory store, a page that records what the app asks of
it, and a host for screens tested on their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import flet as ft

from aftercare_app.services import CareRecords
from aftercare_app.storage import KeyValueTextStore, MemoryLocalStorage, TextStore, open_repository
from aftercare_app.ui.phone import NoPhone

PARIS = ZoneInfo("Europe/Paris")


def memory_records(clock: Callable[[], datetime], store: TextStore | None = None) -> CareRecords:
    """The services on a store in memory (or on ``store``), as the app wires them."""
    return CareRecords(open_repository(store or KeyValueTextStore(MemoryLocalStorage())), clock)


class FakePage:
    """Just what the app calls on a page: one view, updates counted, tasks run on the loop, dialogs kept."""

    def __init__(self) -> None:
        self.views = [ft.View(route="/")]
        self.route = "/today"
        self.width = 390
        self.updates = 0
        self.tasks: list[asyncio.Task] = []
        self.dialogs: list[object] = []
        self.theme_mode = None

    def update(self) -> None:
        self.updates += 1

    def run_task(self, fn, *args, **kwargs):
        task = asyncio.get_running_loop().create_task(fn(*args, **kwargs))
        self.tasks.append(task)
        return task

    def navigate(self, route: str) -> None:
        self.route = route

    def show_dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog)

    def pop_dialog(self) -> None:
        if self.dialogs:
            self.dialogs.pop()


class FakeHost:
    """A host for one screen: the records, a zone, and a log of what the screen asked for."""

    def __init__(self, records: CareRecords, zone: tzinfo = PARIS, zone_name: str = "Europe/Paris") -> None:
        self.records = records
        self.zone = zone
        self.zone_name = zone_name
        self.theme_name = "system"
        self.clinic = None
        self.phone = NoPhone()
        self.asked: list[tuple[str, object]] = []
        self.writes = 0

    def now(self) -> datetime:
        return self.records.now()

    def go(self, route: str) -> None:
        self.asked.append(("go", route))

    def redraw(self) -> None:
        self.asked.append(("redraw", None))

    def toast(self, message: str) -> None:
        self.asked.append(("toast", message))

    def show_dialog(self, dialog: object) -> None:
        self.asked.append(("dialog", dialog))

    def close_dialog(self) -> None:
        self.asked.append(("close", None))

    def scroll_top(self) -> None:
        self.asked.append(("scroll_top", None))

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        yield
        self.writes += 1

    def forget_screens(self) -> None:
        self.asked.append(("forget_screens", None))

    def set_theme(self, name: str) -> None:
        self.theme_name = name


def texts(control) -> list[str]:
    """Every text in a control tree, depth first."""
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


def walk(control) -> list[ft.Control]:
    found, stack = [], [control]
    while stack:
        c = stack.pop()
        found.append(c)
        for name in ("content", "controls", "leading", "title"):
            child = getattr(c, name, None)
            stack.extend(child if isinstance(child, list) else [child] if isinstance(child, ft.Control) else [])
    return found


def run(coroutine):
    """Run a coroutine in a thread of its own: the browser tests' Playwright keeps an event loop in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
