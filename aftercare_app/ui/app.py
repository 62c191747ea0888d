"""The patient's app on one page: routes, the bars around the screens, the live countdown, and its wiring.

:class:`AftercareApp` is the :class:`~aftercare_app.ui.host.Host` every screen talks to. :func:`make_main` wires
one page to the records; the served app (``main.py``) and the in-browser build (:mod:`aftercare_app.pwa.start`)
each pass in what differs between them: where the records live, how the page shares them with other tabs, and the
device's zone and settings.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, tzinfo
from typing import Any

import flet as ft

from aftercare_app.domain.clinic import Clinic
from aftercare_app.services import CareRecords
from aftercare_app.ui.backup_log import BackupLog
from aftercare_app.ui.host import PATIENT_ERRORS, Screen
from aftercare_app.ui.phone import NoPhone, Phone
from aftercare_app.ui.presenters.backup import StoragePlace
from aftercare_app.ui.screens.backup import Backups, default_storage_place
from aftercare_app.ui.settings import DeviceSettings, MemorySettings
from aftercare_app.ui.tabs import SoloTab, TabSync
from aftercare_app.ui.theme import make_theme, theme_mode
from aftercare_app.ui.widgets import card, icon_button, sem
from aftercare_app.ui.zones import resolve_zone

__all__ = ["TABS", "AftercareApp", "make_main"]

TABS = (
    ("/today", "Today", ft.Icons.TODAY_OUTLINED, ft.Icons.TODAY),
    ("/checklist", "Checklist", ft.Icons.CHECKLIST_OUTLINED, ft.Icons.CHECKLIST),
    ("/diary", "Diary", ft.Icons.EDIT_NOTE_OUTLINED, ft.Icons.EDIT_NOTE),
    ("/masks", "Masks", ft.Icons.FACE_RETOUCHING_NATURAL_OUTLINED, ft.Icons.FACE_RETOUCHING_NATURAL),
    ("/follow-up", "Follow-up", ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT),
)
MAX_COLUMN = 640
#: Each route's screen, by module and class: a screen's module (and the controls it draws) is imported when the
#: patient first opens it, so the first screen of a start does not wait for all the others.
SCREENS = {
    "/welcome": ("welcome", "WelcomeScreen"),
    "/session": ("welcome", "NewSessionScreen"),
    "/today": ("today", "TodayScreen"),
    "/checklist": ("checklist", "ChecklistScreen"),
    "/diary": ("diary", "DiaryScreen"),
    "/masks": ("masks", "MasksScreen"),
    "/follow-up": ("follow_up", "FollowUpScreen"),
    "/settings": ("settings", "SettingsScreen"),
}
#: What a screen is made with besides the app: the exports (and whether to add daily check-ins) are shared by the
#: screens that save files, the backups by those that save or remind about one.
_WITH = {"/today": ("backups",), "/follow-up": ("exports",), "/settings": ("exports", "backups", "install"),
         "/welcome": ("install",)}


class _Screens(dict[str, Screen]):
    """The app's screens, each made on first use."""

    def __init__(self, host: AftercareApp) -> None:
        super().__init__()
        self._host = host
        self._exports: object | None = None
        self._install: object | None = None  # one card, shown by Welcome or Settings, redrawn when the page learns

    def _part(self, name: str) -> object:
        if name == "backups":
            return self._host.backups
        if name == "install":
            if self._install is None:
                from aftercare_app.ui.screens.install import InstallCard

                self._install = InstallCard(self._host)
            return self._install
        if self._exports is None:
            from aftercare_app.ui.screens.exports import Exports

            host = self._host
            self._exports = Exports(host, on_backup_saved=lambda: host.backups.log.note_saved(host.now()))
        return self._exports

    def __missing__(self, route: str) -> Screen:
        module_name, class_name = SCREENS[route]
        screen_class = getattr(importlib.import_module(f"aftercare_app.ui.screens.{module_name}"), class_name)
        screen: Screen = screen_class(self._host, *(self._part(name) for name in _WITH.get(route, ())))
        self[route] = screen
        return screen


class AftercareApp:
    """One patient's app on one page; each screen keeps what it shows, the records keep everything else."""

    def __init__(
        self,
        page: ft.Page,
        records: CareRecords,
        *,
        zone_name: str = "UTC",
        zone: tzinfo | None = None,
        tabs: TabSync | None = None,
        settings: DeviceSettings | None = None,
        theme_name: str = "system",
        backup_log: BackupLog | None = None,
        storage_place: Callable[[], Awaitable[StoragePlace]] | None = None,
        clinic: Clinic | None = None,
        phone: Phone | None = None,
    ) -> None:
        self.page = page
        self.records = records
        self.zone_name, self.zone = resolve_zone(zone_name) if zone is None else (zone_name, zone)
        self.tabs = tabs or SoloTab()  # every change of stored data happens inside self.tabs.writing()
        self.settings = settings or MemorySettings()
        self.theme_name = theme_name
        self.clinic = clinic  # the clinic this build was made for, if any (see aftercare_app.domain.clinic)
        self.phone = phone or NoPhone()
        self.backup_log = backup_log or BackupLog(self.settings)
        self.storage_place = storage_place or default_storage_place(records)
        self.route = ""
        self.screens = self._new_screens()
        self.body = ft.ListView(expand=True, spacing=8)
        self._body_route = ""
        self._ticker: concurrent.futures.Future[None] | None = None

    def _new_screens(self) -> _Screens:
        self.backups = Backups(self, self.backup_log, storage_place=self.storage_place, schedule=self._run_soon)
        return _Screens(self)

    # ----------------------------------------------------------------- the host of the screens

    def now(self) -> datetime:
        return self.records.now()

    def go(self, route: str) -> None:
        self.show(route)
        self.page.navigate(route)

    def redraw(self) -> None:
        self.render()

    def toast(self, message: str) -> None:
        self.page.show_dialog(ft.SnackBar(ft.Text(message)))

    def show_dialog(self, dialog: ft.DialogControl) -> None:
        self.page.show_dialog(dialog)

    def close_dialog(self) -> None:
        self.page.pop_dialog()

    def scroll_top(self) -> None:
        with contextlib.suppress(RuntimeError):  # no client loop (unit use): nothing is scrolled anyway
            self.page.run_task(self.body.scroll_to, offset=0, duration=0)

    def writing(self) -> AbstractAsyncContextManager[None]:
        return self.tabs.writing()

    def forget_screens(self) -> None:
        self.screens = self._new_screens()

    def _run_soon(self, job: Callable[[], Awaitable[None]]) -> None:
        with contextlib.suppress(RuntimeError):  # no client loop (unit use): the job is simply not run
            self.page.run_task(job)

    def set_theme(self, name: str) -> None:
        self.theme_name = name
        self.page.theme_mode = theme_mode(name)
        self.page.update()
        self.page.run_task(self.settings.remember, "theme", name)

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> None:
        page = self.page
        page.title = f"Aftercare · {self.clinic.name}" if self.clinic else "Aftercare Companion"
        page.theme = make_theme()
        page.dark_theme = make_theme()
        page.theme_mode = theme_mode(self.theme_name)
        # No cross-fade from the client's default theme into the app's at start (a phone redraws every pixel for
        # each of its frames), nor between light and dark when the patient switches.
        page.theme_animation_style = ft.AnimationStyle.no_animation()
        page.on_route_change = self._on_route_change
        view = page.views[0]
        view.padding = 0
        view.spacing = 0
        page.on_resize = self._fit_width
        self._fit_width()
        self.show(page.route if page.route in SCREENS else "/today")
        self.tabs.watch(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        """Another tab changed the data: redraw what shows it, but never a form the patient may be filling in."""
        has_session = self.records.has_session()
        if self.route == "/welcome" and has_session:  # another tab finished the welcome form
            self.show("/today")
        elif self.screens[self.route].shows_data or (not has_session and self.route != "/welcome"):
            self.show(self.route)

    def _fit_width(self, e: Any = None) -> None:
        """Phones use the full width; tablets and desktops get a readable column of at most 640 px."""
        width = float(getattr(e, "width", None) or self.page.width or 0)
        side = max(16.0, (width - MAX_COLUMN) / 2)
        self.body.padding = ft.Padding.only(left=side, right=side, top=8, bottom=24)
        if e is not None:
            self.body.update()

    def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        route = e.route.split("?", 1)[0] or "/today"
        if route != self.route:
            self.show(route)

    def show(self, route: str) -> None:
        """Render ``route``; without a treatment every route leads to the welcome form."""
        if not self.records.has_session() and route not in ("/welcome", "/session"):
            route = "/welcome"
        if route not in SCREENS:
            route = "/today"
        if route != self.route:
            self.screens[route].opened()
        self.route = route
        self.render()
        if route == "/today":
            self._start_ticker()

    def render(self) -> None:
        view = self.page.views[0]
        view.appbar = self._app_bar()
        view.navigation_bar = self._nav_bar() if any(self.route == r for r, *_ in TABS) else None
        content = self.screens[self.route].build()
        notice = self.records.startup_message()
        if notice:
            content.insert(0, card(ft.Text(notice), bgcolor=ft.Colors.TERTIARY_CONTAINER))
        if self.route == "/welcome":  # a patient who used the app elsewhere brings their diary instead
            content.append(self.backups.welcome_card())
        # Each block is its own list item so Flutter lays out only what is on screen; the first one carries
        # the screen's name for assistive tech and tests.
        first, *rest = content
        if self._body_route != self.route:
            # A new screen gets a list of its own, so it opens at its top, not at the last screen's scroll.
            self.body = ft.ListView(expand=True, spacing=8, padding=self.body.padding)
            view.controls = [ft.SafeArea(content=self.body, expand=True)]
            self._body_route = self.route
        self.body.controls = [sem(f"screen-{self.route.strip('/')}", first), *rest]
        self.page.update()

    def _app_bar(self) -> ft.AppBar:
        actions: list[ft.Control] = []
        leading = None
        if self.route == "/settings" or (self.route == "/session" and self.records.has_session()):
            leading = icon_button(ft.Icons.ARROW_BACK, "Back to Today", lambda e: self.go("/today"))
        elif self.route != "/welcome":
            actions.append(icon_button(ft.Icons.SETTINGS_OUTLINED, "Settings", lambda e: self.go("/settings")))
        return ft.AppBar(
            title=ft.Text(self.screens[self.route].title),
            leading=leading,
            actions=actions,
            center_title=False,
            bgcolor=ft.Colors.SURFACE_CONTAINER,
        )

    def _nav_bar(self) -> ft.NavigationBar:
        index = next(i for i, (r, *_) in enumerate(TABS) if r == self.route)
        return ft.NavigationBar(
            selected_index=index,
            destinations=[
                ft.NavigationBarDestination(label=label, icon=icon, selected_icon=selected) for _, label, icon, selected in TABS
            ],
            on_change=lambda e: self.go(TABS[int(e.control.selected_index)][0]),
        )

    # ----------------------------------------------------------------- live countdown

    def _start_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            try:
                self._ticker = self.page.run_task(self._tick)
            except RuntimeError:  # no running loop (unit use): the screen still renders once
                self._ticker = None

    async def _tick(self) -> None:
        from aftercare_app.ui.screens.today import TodayScreen

        today = self.screens["/today"]
        assert isinstance(today, TodayScreen)
        while self.route == "/today" and self.records.has_session():
            await asyncio.sleep(today.view().next_tick_seconds)
            if self.route != "/today":
                break
            try:
                self.render()
            except Exception:  # noqa: BLE001 - the page went away with its session; nothing left to update
                break


def make_main(
    open_records: Callable[[], CareRecords],
    *,
    tabs_for: Callable[[ft.Page], TabSync],
    settings_for: Callable[[ft.Page], DeviceSettings],
    device_zone: Callable[[DeviceSettings], Awaitable[str | None]],
    fallback_zone: str | None = None,
    clinic: Clinic | None = None,
    phone: Phone | None = None,
) -> Callable[[ft.Page], Awaitable[None]]:
    """A ``main(page)`` for Flet: the page's tabs, its records (``open_records`` opens them inside the tabs'
    ``writing`` if opening may migrate or recover the stored data), the device's zone and theme; the profile
    follows the device's zone."""

    async def main(page: ft.Page) -> None:
        tabs = tabs_for(page)
        settings = settings_for(page)
        browser_zone, theme_name, backup_log = await asyncio.gather(
            device_zone(settings), settings.recall("theme"), BackupLog.load(settings)
        )
        records = open_records()
        profile = records.profile() if records.has_profile() else None
        zone_name, zone = resolve_zone(browser_zone, profile.timezone if profile else None, fallback_zone)
        if profile is not None and profile.timezone != zone_name:
            # The patient's zone is the device's: reports show the times the patient lives by. With storage full
            # or read-only the app still opens, in the device's zone.
            with contextlib.suppress(*PATIENT_ERRORS):
                async with tabs.writing():
                    records.update_profile(timezone=zone_name)
        app = AftercareApp(
            page, records, zone_name=zone_name, zone=zone, tabs=tabs, settings=settings, theme_name=theme_name or "system",
            backup_log=backup_log, clinic=clinic, phone=phone,
        )
        app.start()

    return main
