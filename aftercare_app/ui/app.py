"""The patient's app: wiring, routes and screens.

``main(page)`` is the entry for served mode and for the in-browser build. Screens are
thin: every word and decision comes from :mod:`aftercare_app.ui.presenters`; this
module lays them out and sends taps to the backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import SimpleNamespace
from typing import Any

import flet as ft

from aftercare_app.content import default_protocol
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import (
    DiaryEntry,
    InvalidRecord,
    Profile,
    TreatmentSession,
)
from aftercare_app.domain.vocabulary import (
    Area,
    Severity,
    SkinState,
    Symptom,
    TriageLevel,
    WarningSign,
)
from aftercare_app.services import ChecklistItem
from aftercare_app.storage.errors import StorageError
from aftercare_app.ui import presenters as P
from aftercare_app.ui.backend import Backend, open_backend
from aftercare_app.ui.server import TIMEZONE_PREF_KEY
from aftercare_app.ui.tabs import ServedTabs, SoloTab, TabSync
from aftercare_app.ui.theme import level_style, make_theme, theme_mode

__all__ = ["AftercareApp", "main", "make_main"]

Clock = Callable[[], datetime]

TABS = (
    ("/today", "Today", ft.Icons.TODAY_OUTLINED, ft.Icons.TODAY),
    ("/checklist", "Checklist", ft.Icons.CHECKLIST_OUTLINED, ft.Icons.CHECKLIST),
    ("/diary", "Diary", ft.Icons.EDIT_NOTE_OUTLINED, ft.Icons.EDIT_NOTE),
    ("/masks", "Masks", ft.Icons.FACE_RETOUCHING_NATURAL_OUTLINED, ft.Icons.FACE_RETOUCHING_NATURAL),
    ("/follow-up", "Follow-up", ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT),
)
TITLES = {route: title for route, title, *_ in TABS} | {"/settings": "Settings", "/welcome": "Welcome", "/session": "Treatment"}
MIN_TARGET = 48
MAX_COLUMN = 640
THEME_PREF_KEY = "aftercare.theme"
CHECK_IN_AT = time(20, 0)  # the daily check-in reminder offered with the calendar
CHECK_IN_DAYS = 14
SENSITIVE_LABEL = "My skin is sensitive or reactive"
RECORD_ERRORS = (InvalidRecord, ValueError, StorageError)  # each carries a message fit for the patient


def utc_now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- small building blocks


def sem(identifier: str, content: ft.Control, **kwargs: Any) -> ft.Semantics:
    """A stable selector for tests and a node for screen readers; Semantics takes no positional content."""
    return ft.Semantics(identifier=identifier, content=content, **kwargs)


def heading(text: str, size: int = 22, color: str | None = None) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(text, size=size, weight=ft.FontWeight.W_600, color=color))


def muted(text: str, size: int = 14) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)


def card(*controls: ft.Control, bgcolor: str | None = None, padding: int = 16) -> ft.Card:
    return ft.Card(
        content=ft.Container(
            content=ft.Column(list(controls), spacing=6, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=padding,
            bgcolor=bgcolor,
            border_radius=12,
        ),
        margin=ft.Margin.symmetric(vertical=4),
    )


def icon_button(icon: str, label: str, on_click: Callable[[Any], None], *, disabled: bool = False) -> ft.Control:
    """An icon button a screen reader can name (a tooltip alone is not announced) and a finger can hit."""
    # The Semantics node is the one announced and tapped by assistive tech; the inner button stays silent.
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=None if disabled else on_click,
        content=ft.IconButton(
            icon,
            on_click=on_click,
            disabled=disabled,
            size_constraints=ft.BoxConstraints(min_width=MIN_TARGET, min_height=MIN_TARGET),
        ),
    )


def choice_row(
    options: list[tuple[str, str]], selected: str, on_select: Callable[[str], None], *, text_size: int = 14
) -> ft.Row:
    """One-of-several buttons, 48 px tall (Material's segmented button is 40): the chosen one filled, and
    announced as selected, so its state is said in words and not shown by colour alone. Each is as wide as its
    word and the row wraps, so no word is cut when the patient enlarges the text."""
    row = ft.Row(spacing=6, run_spacing=6, wrap=True)

    def paint() -> None:
        for value, cell in zip([v for v, _ in options], row.controls, strict=True):
            chosen = value == row.data
            cell.selected = chosen
            box = cell.content
            box.bgcolor = ft.Colors.SECONDARY_CONTAINER if chosen else None
            box.content.controls[0].weight = ft.FontWeight.W_600 if chosen else ft.FontWeight.NORMAL

    def pick(value: str) -> Callable[[Any], None]:
        def handler(e: Any) -> None:
            row.data = value
            paint()
            row.update()
            on_select(value)

        return handler

    for value, label in options:
        box = ft.Container(
            # A tight row, not an alignment: an aligned box would stretch to the whole width.
            content=ft.Row([ft.Text(label, size=text_size, no_wrap=True)], tight=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            height=MIN_TARGET,
            padding=ft.Padding.symmetric(horizontal=16),
            border=ft.Border.all(1, ft.Colors.OUTLINE),
            border_radius=MIN_TARGET / 2,
            on_click=pick(value),
        )
        row.controls.append(ft.Semantics(label=label, button=True, exclude_semantics=True, on_tap=pick(value), content=box))
    row.data = selected
    paint()
    return row


CHART_HEIGHT = 48
BAR_WIDTH = 22  # fourteen days fit beside each other on a 360 px phone


def day_chart(chart: P.DayChart, identifier: str) -> ft.Control:
    """Bars by day drawn with plain containers over a light track: a line at the most expected that day,
    a '!' above a day beyond it, the number above and the day below, and the whole chart said in words
    for screen readers (colour is never the only signal)."""

    def column(bar: P.ChartBar) -> ft.Control:
        layers: list[ft.Control] = [
            ft.Container(left=0, right=0, bottom=0, top=0, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, border_radius=3)
        ]
        if bar.level:
            layers.append(
                ft.Container(
                    left=2, right=2, bottom=0, height=max(3.0, bar.level * CHART_HEIGHT),
                    bgcolor=ft.Colors.ERROR if bar.flagged else ft.Colors.PRIMARY,
                    border_radius=ft.BorderRadius.only(top_left=3, top_right=3),
                )
            )
        if bar.expected is not None:
            layers.append(ft.Container(left=0, right=0, bottom=bar.expected * CHART_HEIGHT - 1, height=2, bgcolor=ft.Colors.ON_SURFACE))
        return ft.Column(
            [
                ft.Text("!" if bar.flagged else " ", size=11, weight=ft.FontWeight.W_700, color=ft.Colors.ERROR, text_align=ft.TextAlign.CENTER),
                ft.Text(bar.value_text, size=10, text_align=ft.TextAlign.CENTER, no_wrap=True),
                ft.Stack(layers, height=CHART_HEIGHT, width=BAR_WIDTH),
                ft.Text(bar.day_label, size=9, color=ft.Colors.ON_SURFACE_VARIANT, text_align=ft.TextAlign.CENTER, no_wrap=True),
            ],
            spacing=1,
            width=BAR_WIDTH,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )

    bars = ft.Row([column(b) for b in chart.bars], spacing=1, vertical_alignment=ft.CrossAxisAlignment.END)
    return sem(
        identifier,
        ft.Column([bars, muted(chart.summary, 12)], spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        label=chart.summary,
        exclude_semantics=True,
    )


def one_at_a_time(handler: Callable[[Any], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    """A save button's handler that ignores taps while its save is still running, so a double tap saves once."""
    busy = False

    async def guarded(e: Any) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            await handler(e)
        finally:
            busy = False

    return guarded


def labelled_switch(switch: ft.Switch, label: str) -> ft.Control:
    """A switch whose label wraps when the text is enlarged (Flet's own switch label sits on one line), announced
    as one switch named by the label; tapping the label toggles it."""
    return ft.MergeSemantics(
        content=ft.ListTile(
            leading=switch, title=ft.Text(label, size=14), toggle_inputs=True, content_padding=ft.Padding.only(left=0, right=0)
        )
    )


def tall(button: ft.Control) -> ft.Control:
    button.height = max(MIN_TARGET, button.height or 0)
    return button


# --------------------------------------------------------------------------- the app


class AftercareApp:
    """One patient's session of the app on one page; holds only what the screen shows."""

    def __init__(
        self,
        page: ft.Page,
        backend: Backend,
        protocol: Protocol,
        clock: Clock = utc_now,
        zone_name: str = "UTC",
        zone: tzinfo = UTC,
        prefs: Any = None,
        theme_name: str = "system",
        tabs: TabSync | None = None,
    ) -> None:
        self.tabs = tabs or SoloTab()  # every change of stored data happens inside self.tabs.writing()
        self.prefs = prefs  # the browser's shared preferences: device settings such as the theme
        self.theme_name = theme_name
        self.page = page
        self.backend = backend
        self.protocol = protocol
        self.clock = clock
        self.zone_name = zone_name
        self.zone = zone
        self.route = ""
        self.checklist_day: int | None = None
        self.diary_form = P.diary_form_for(None)
        self.diary_error = ""
        self.last_triage: P.TriageCard | None = None
        self.mask_label = ""
        self.mask_skin = SkinState.NORMAL
        self.viewed_session_id: str | None = None
        self.onboarding_form: P.OnboardingForm | None = None
        self.onboarding_errors: dict[str, str] = {}
        self._ticker: asyncio.Task | None = None
        self.file_picker: ft.FilePicker | None = None
        self.check_in_reminders = False
        self.session_edit_form: P.OnboardingForm | None = None  # the Settings correction form while it is being fixed
        self.session_edit_errors: dict[str, str] = {}
        self.session_edit_status = ""
        self.body = ft.ListView(expand=True, spacing=8)
        self._body_route = ""

    # ----------------------------------------------------------------- state

    @property
    def session(self) -> TreatmentSession | None:
        sessions = self.backend.sessions()
        return sessions[-1] if sessions else None

    @property
    def profile(self) -> Profile | None:
        return self.backend.profile()

    def now(self) -> datetime:
        return self.clock()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> None:
        page = self.page
        page.title = "Aftercare Companion"
        page.theme = make_theme()
        page.dark_theme = make_theme(dark=True)
        page.theme_mode = theme_mode(self.theme_name)
        page.on_route_change = self._on_route_change
        view = page.views[0]
        view.padding = 0
        view.spacing = 0
        page.on_resize = self._fit_width
        self._fit_width()
        initial = page.route if page.route in TITLES else "/today"
        self.show(initial)
        self.tabs.watch(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        """Another tab changed the data: redraw what shows it, but never a form the patient may be filling in."""
        if self.route == "/welcome" and self.session is not None:  # another tab finished the welcome form
            self.show("/today")
        elif self.route in ("/today", "/checklist", "/masks", "/follow-up") or (self.session is None and self.route != "/welcome"):
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

    def go(self, route: str) -> None:
        self.show(route)
        self.page.navigate(route)

    def show(self, route: str) -> None:
        """Render ``route``; without a treatment every route leads to the welcome form."""
        if self.session is None and route not in ("/welcome", "/session"):
            route = "/welcome"
        if route not in TITLES:
            route = "/today"
        if route == "/settings" and self.route != "/settings":
            # Settings opens on the stored session, not on a correction left half-done earlier.
            self.session_edit_form, self.session_edit_errors, self.session_edit_status = None, {}, ""
        self.route = route
        self.render()
        if route == "/today":
            self._start_ticker()

    def render(self) -> None:
        builders = {
            "/welcome": self.onboarding_screen,
            "/session": self.onboarding_screen,
            "/today": self.today_screen,
            "/checklist": self.checklist_screen,
            "/diary": self.diary_screen,
            "/masks": self.masks_screen,
            "/follow-up": self.follow_up_screen,
            "/settings": self.settings_screen,
        }
        view = self.page.views[0]
        in_tabs = any(self.route == r for r, *_ in TABS)
        view.appbar = self.app_bar()
        view.navigation_bar = self.nav_bar() if in_tabs else None
        content: list[ft.Control] = builders[self.route]()
        notice = self.backend.startup_message()
        if notice:
            content.insert(0, card(ft.Text(notice), bgcolor=ft.Colors.TERTIARY_CONTAINER))
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

    def _scroll_top(self) -> None:
        with contextlib.suppress(RuntimeError):  # no client loop (unit use): nothing is scrolled anyway
            self.page.run_task(self.body.scroll_to, offset=0, duration=0)

    def app_bar(self) -> ft.AppBar:
        actions: list[ft.Control] = []
        leading = None
        if self.route == "/settings" or (self.route == "/session" and self.session is not None):
            leading = icon_button(ft.Icons.ARROW_BACK, "Back to Today", lambda e: self.go("/today"))
        elif self.route != "/welcome":
            actions.append(icon_button(ft.Icons.SETTINGS_OUTLINED, "Settings", lambda e: self.go("/settings")))
        return ft.AppBar(
            title=ft.Text(TITLES[self.route]),
            leading=leading,
            actions=actions,
            center_title=False,
            bgcolor=ft.Colors.SURFACE_CONTAINER,
        )

    def nav_bar(self) -> ft.NavigationBar:
        index = next(i for i, (r, *_) in enumerate(TABS) if r == self.route)
        return ft.NavigationBar(
            selected_index=index,
            destinations=[
                ft.NavigationBarDestination(label=label, icon=icon, selected_icon=selected)
                for _, label, icon, selected in TABS
            ],
            on_change=lambda e: self.go(TABS[int(e.control.selected_index)][0]),
        )

    def toast(self, message: str) -> None:
        self.page.show_dialog(ft.SnackBar(ft.Text(message)))

    # ----------------------------------------------------------------- live countdown

    def _start_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            try:
                self._ticker = self.page.run_task(self._tick)
            except RuntimeError:  # no running loop (unit use): the screen still renders once
                self._ticker = None

    async def _tick(self) -> None:
        while self.route == "/today" and self.session is not None:
            vm = P.today_view(self.protocol, self.session, self.now(), self.zone)
            await asyncio.sleep(vm.next_tick_seconds)
            if self.route != "/today":
                break
            try:
                self.render()
            except Exception:  # noqa: BLE001 - the page went away with its session; nothing left to update
                break

    # ----------------------------------------------------------------- onboarding / session form

    def session_fields(
        self, form: P.OnboardingForm, errors: dict[str, str], *, with_profile: bool
    ) -> tuple[list[ft.Control], Callable[[], P.OnboardingForm]]:
        """The treatment form's fields, and a function reading what is typed back as a form.

        The welcome and new-session screens show every field (``with_profile``); correcting a session
        in Settings shows the treatment's own (date, time, area, follow-up) and keeps the rest of ``form``.
        """
        fields: dict[str, ft.TextField] = {}

        def text_field(name: str, label: str, value: str, hint: str = "", **kw: Any) -> ft.TextField:
            tf = ft.TextField(label=label, value=value, hint_text=hint or None, error=errors.get(name), error_max_lines=3, **kw)
            fields[name] = tf
            return tf

        area = ft.RadioGroup(
            value=form.area,
            content=ft.Row(
                [ft.Radio(value=Area.FACE.value, label="Face"), ft.Radio(value=Area.SCALP.value, label="Scalp (hair)")]
            ),
        )
        sensitive = ft.Switch(value=form.sensitive)
        follow_up = text_field("follow_up", "Follow-up date (optional)", form.follow_up, "YYYY-MM-DD", keyboard_type=ft.KeyboardType.DATETIME)
        last_date = [form.treated_date]
        today = self.now().astimezone(self.zone).date()

        def follow_treatment(typed: str) -> None:
            # An untouched follow-up follows the treatment date; one the patient chose stays.
            moved = P.follow_up_after_date_change(last_date[0], typed, follow_up.value or "")
            if P.default_follow_up(typed):
                last_date[0] = typed
            if moved != follow_up.value:
                follow_up.value = moved
                follow_up.update()

        def put(name: str, text: str) -> None:
            """A value chosen on a calendar or clock goes into its field as if typed."""
            if not text:
                return
            fields[name].value = text
            fields[name].update()
            if name == "treated_date":
                follow_treatment(text)

        def with_calendar(name: str, label: str, first: date, last: date) -> ft.Control:
            def open_calendar(e: Any) -> None:
                start = min(max(P.calendar_start(fields[name].value or "", today), first), last)
                self.page.show_dialog(
                    # Plain dates: Flet sends them as YYYY-MM-DD, read as that day in the browser; a datetime would
                    # go through the server's zone and UTC and land a day early west of the server.
                    ft.DatePicker(
                        value=start,
                        first_date=first,
                        last_date=last,
                        current_date=today,
                        help_text=label,
                        on_change=lambda ev: put(name, P.picked_date(ev.control.value, self.zone)),
                    )
                )

            return ft.Row(
                [ft.Container(fields[name], expand=True), icon_button(ft.Icons.CALENDAR_MONTH, label, open_calendar)],
                vertical_alignment=ft.CrossAxisAlignment.START,
            )

        def with_clock(name: str, label: str) -> ft.Control:
            def open_clock(e: Any) -> None:
                now = self.now().astimezone(self.zone).time().replace(second=0, microsecond=0)
                self.page.show_dialog(
                    ft.TimePicker(
                        value=P.clock_start(fields[name].value or "", now),
                        hour_format=ft.TimePickerHourFormat.H24,
                        help_text=label,
                        on_change=lambda ev: put(name, P.picked_time(ev.control.value)),
                    )
                )

            return ft.Row(
                [ft.Container(fields[name], expand=True), icon_button(ft.Icons.SCHEDULE, label, open_clock)],
                vertical_alignment=ft.CrossAxisAlignment.START,
            )

        text_field(
            "treated_date", "Treatment date", form.treated_date, "YYYY-MM-DD",
            keyboard_type=ft.KeyboardType.DATETIME, on_change=lambda e: follow_treatment(e.control.value or ""),
        )
        text_field("treated_time", "Treatment time", form.treated_time, "HH:MM (24 h)", keyboard_type=ft.KeyboardType.DATETIME)
        controls: list[ft.Control] = [
            with_calendar("treated_date", "Choose the treatment date", today - timedelta(days=365), today),
            with_clock("treated_time", "Choose the treatment time"),
            muted(f"Times are in your device's timezone: {self.zone_name}", 12),
            ft.Text("Treated area", weight=ft.FontWeight.W_500),
            area,
        ]
        if with_profile:
            controls += [
                labelled_switch(sensitive, SENSITIVE_LABEL),
                text_field("clinic_name", "Clinic name", form.clinic_name),
                text_field("clinic_phone", "Clinic phone", form.clinic_phone, "+33 1 23 45 67 89", keyboard_type=ft.KeyboardType.PHONE),
            ]
        controls.append(with_calendar("follow_up", "Choose the follow-up date", today - timedelta(days=365), today + timedelta(days=365)))

        def read() -> P.OnboardingForm:
            def typed(name: str, kept: str) -> str:
                return (fields[name].value or "") if name in fields else kept

            return replace(
                form,
                treated_date=typed("treated_date", form.treated_date),
                treated_time=typed("treated_time", form.treated_time),
                area=area.value or Area.FACE.value,
                sensitive=bool(sensitive.value) if with_profile else form.sensitive,
                clinic_name=typed("clinic_name", form.clinic_name),
                clinic_phone=typed("clinic_phone", form.clinic_phone),
                follow_up=typed("follow_up", form.follow_up),
            )

        return controls, read

    def onboarding_screen(self) -> list[ft.Control]:
        welcome = self.route == "/welcome"
        form = self.onboarding_form or P.onboarding_defaults(self.now(), self.zone, self.profile)
        self.onboarding_form = form
        errors = self.onboarding_errors
        fields, read = self.session_fields(form, errors, with_profile=True)

        async def submit(e: Any) -> None:
            raw = read()
            self.onboarding_form = raw
            result = P.validate_onboarding(raw, zone_name=self.zone_name, zone=self.zone, now=self.now())
            self.onboarding_errors = dict(result.errors)
            if not result.ok:
                self.render()
                return
            assert result.profile is not None and result.session is not None
            try:
                async with self.tabs.writing():
                    self.backend.start_session(result.session, result.profile)
            except RECORD_ERRORS as exc:
                self.onboarding_errors = {"treated_date": str(exc)}
                self.render()
                return
            self.onboarding_form = None
            self.checklist_day = None
            self.last_triage = None
            self.go("/today")

        intro = (
            [
                heading("Your recovery companion"),
                muted("Tell the app when your mesotherapy happened. Everything stays on this device."),
            ]
            if welcome
            else [heading("A new treatment session"), muted("Start the countdown again from this session's injection time.")]
        )
        return [
            *intro,
            *fields,
            ft.Text(
                "Please check the highlighted fields." if errors else "",
                color=ft.Colors.ERROR,
                visible=bool(errors),
            ),
            tall(ft.FilledButton("Start my recovery plan" if welcome else "Save session", icon=ft.Icons.CHECK, on_click=one_at_a_time(submit))),
            muted(self.protocol.disclaimer, 12),
        ]

    # ----------------------------------------------------------------- today

    def today_screen(self) -> list[ft.Control]:
        session = self.session
        assert session is not None
        vm = P.today_view(self.protocol, session, self.now(), self.zone, self.backend.entries(session.id))
        out: list[ft.Control] = []
        if vm.red_flag is not None:
            bg, fg, icon = level_style(vm.red_flag.level)
            out.append(
                sem(
                    "red-flag-banner",
                    ft.Container(
                        content=ft.Row(
                            [ft.Icon(icon, color=fg), ft.Text(vm.red_flag.text, color=fg, expand=True)],
                            vertical_alignment=ft.CrossAxisAlignment.START,
                        ),
                        bgcolor=bg,
                        padding=12,
                        border_radius=12,
                        on_click=lambda e: self.go("/diary"),
                    ),
                    live_region=True,
                )
            )
        out += [
            sem("day-label", heading(vm.day_label, 26)),
            ft.Text(vm.phase, size=16, weight=ft.FontWeight.W_500, color=ft.Colors.PRIMARY),
            muted(vm.phase_summary),
            muted(vm.treated_text, 12),
            sem("follow-up-days", card(ft.Row([ft.Icon(ft.Icons.EVENT), ft.Text(vm.follow_up, expand=True)]))),
        ]
        if vm.active:
            out.append(heading("Still to wait", 18))
            for c in vm.active:
                out.append(
                    sem(
                        f"countdown-{c.id}",
                        card(
                            ft.Row(
                                [
                                    ft.Icon(ft.Icons.HOURGLASS_TOP, color=ft.Colors.PRIMARY),
                                    ft.Text(c.title, weight=ft.FontWeight.W_600, expand=True),
                                ]
                            ),
                            ft.Text(f"Allowed in {c.remaining}", size=20, weight=ft.FontWeight.W_500),
                            muted(f"From {c.lifts_at}"),
                            ft.Text(c.reason, size=13),
                        ),
                    )
                )
        if vm.lifted:
            out.append(heading("Now allowed", 18))
            out.append(
                sem(
                    "now-allowed",
                    card(
                        *[
                            ft.Row(
                                [ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=ft.Colors.PRIMARY), ft.Text(c.title, expand=True)]
                            )
                            for c in vm.lifted
                        ]
                    ),
                )
            )
        out.append(muted(self.protocol.disclaimer, 12))
        return out

    # ----------------------------------------------------------------- checklist

    def checklist_screen(self) -> list[ft.Control]:
        session = self.session
        assert session is not None
        now = self.now()
        vm = P.checklist_view(self.protocol, session, self.backend.ticks(session.id), now, self.checklist_day)
        summary = ft.Text(vm.day_summary, weight=ft.FontWeight.W_500)
        overall = muted(vm.overall)

        def toggle(item_id: str) -> Callable[[Any], Any]:
            async def handler(e: Any) -> None:
                done = bool(e.control.value)
                try:
                    async with self.tabs.writing():
                        self.backend.set_tick(vm.day, item_id, done)
                except RECORD_ERRORS as exc:
                    e.control.value = not done
                    e.control.update()
                    self.toast(str(exc))
                    return
                fresh = P.checklist_view(self.protocol, session, self.backend.ticks(session.id), self.now(), vm.day)
                summary.value = fresh.day_summary
                overall.value = fresh.overall
                summary.update()
                overall.update()

            return handler

        def move(delta: int) -> Callable[[Any], None]:
            def handler(e: Any) -> None:
                self.checklist_day = vm.day + delta
                self.render()

            return handler

        nav = ft.Row(
            [
                icon_button(ft.Icons.CHEVRON_LEFT, "Previous day", move(-1), disabled=not vm.can_go_back),
                ft.Column([heading(vm.title, 18), muted(vm.phase, 13)], spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER),
                icon_button(ft.Icons.CHEVRON_RIGHT, "Next day", move(1), disabled=not vm.can_go_forward),
            ]
        )
        def row(item: ChecklistItem) -> ft.Control:
            # A checkbox's own label does not wrap; the text beside it does and toggles it too.
            box = ft.Checkbox(value=item.done, semantics_label=item.text, on_change=toggle(item.id))

            async def tap_text(e: Any) -> None:
                box.value = not box.value
                box.update()
                await toggle(item.id)(SimpleNamespace(control=box))

            text = ft.Container(content=ft.Text(item.text), expand=True, on_click=tap_text, padding=ft.Padding.symmetric(vertical=10))
            return ft.Row(
                [ft.Container(box, width=MIN_TARGET, height=MIN_TARGET), ft.Semantics(exclude_semantics=True, content=text, expand=True)],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                spacing=4,
            )

        items = [row(item) for item in vm.items]
        return [nav, sem("checklist-summary", ft.Column([summary, overall], spacing=2)), card(*items, padding=8)]

    # ----------------------------------------------------------------- diary

    def diary_screen(self) -> list[ft.Control]:
        session = self.session
        assert session is not None
        entries = self.backend.entries(session.id)
        out: list[ft.Control] = []
        if self.last_triage is not None:
            out.append(self.triage_card(self.last_triage))
        out += self.diary_form_controls(session)
        days = P.diary_days(self.protocol, session, entries, self.zone)
        listing: list[ft.Control] = [heading("Your entries", 18)]
        if not days:
            listing.append(muted("No entries yet. Log how your skin feels once or twice a day."))
        for day in days:
            listing.append(ft.Text(day.title, weight=ft.FontWeight.W_600))
            for row in day.rows:
                listing.append(self.diary_row(row, entries))
        out.append(sem("entries", ft.Column(listing, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)))
        return out

    def triage_card(self, vm: P.TriageCard) -> ft.Control:
        bg, fg, icon = level_style(vm.level)
        controls: list[ft.Control] = [
            ft.Row([ft.Icon(icon, color=fg), heading(vm.title, 20, fg)]),
            *[ft.Text(line, color=fg) for line in vm.lines],
        ]
        if vm.emergency:
            # On the red card the buttons are inverted (white on red) so they stand out rather than clash.
            controls.append(
                tall(ft.FilledButton("Call emergency services (112)", icon=ft.Icons.EMERGENCY, url="tel:112", bgcolor=fg, color=bg, icon_color=bg))
            )
        if vm.call_url and vm.level >= TriageLevel.CALL_CLINIC:
            controls.append(
                tall(
                    ft.OutlinedButton(vm.call_label, icon=ft.Icons.PHONE, url=vm.call_url, style=ft.ButtonStyle(color=fg, side=ft.BorderSide(1, fg)))
                    if vm.emergency
                    else ft.FilledButton(vm.call_label, icon=ft.Icons.PHONE, url=vm.call_url)
                )
            )
        elif vm.call_url:
            controls.append(ft.TextButton(vm.call_label, icon=ft.Icons.PHONE, url=vm.call_url))
        controls.append(ft.TextButton("Dismiss", on_click=self._dismiss_triage, style=ft.ButtonStyle(color=fg)))
        return sem(f"triage-{vm.level.code}", ft.Container(content=ft.Column(controls, spacing=6), bgcolor=bg, padding=16, border_radius=12), live_region=True)

    def _dismiss_triage(self, e: Any) -> None:
        self.last_triage = None
        self.render()

    def diary_form_controls(self, session: TreatmentSession) -> list[ft.Control]:
        form = self.diary_form
        severities = dict(form.severities)
        signs = set(form.signs)
        note = ft.TextField(label="Note (optional)", value=form.note, multiline=True, min_lines=2, max_lines=5)

        def set_severity(symptom: Symptom) -> Callable[[str], None]:
            def handler(word: str) -> None:
                severities[symptom] = Severity[word.upper()]

            return handler

        def set_sign(sign: WarningSign) -> Callable[[Any], None]:
            def handler(e: Any) -> None:
                (signs.add if e.control.value else signs.discard)(sign)

            return handler

        async def save(e: Any) -> None:
            draft = replace(form, severities=dict(severities), signs=frozenset(signs), note=note.value or "")
            try:
                entry = P.entry_from_form(draft, session, self.now())
                async with self.tabs.writing():
                    entry = self.backend.edit_entry(entry) if form.entry_id else self.backend.add_entry(entry)
            except RECORD_ERRORS as exc:
                self.diary_form = draft
                self.diary_error = str(exc)
                self.render()
                return
            result = P.triage_for(self.protocol, session, entry, self.backend.entries(session.id))
            self.last_triage = P.triage_card(result, self.profile)
            self.diary_form = P.diary_form_for(None)
            self.diary_error = ""
            self.render()
            self._scroll_top()

        def cancel(e: Any) -> None:
            self.diary_form = P.diary_form_for(None)
            self.diary_error = ""
            self.render()

        rows: list[ft.Control] = [heading("Editing an entry" if form.entry_id else "How is your skin now?", 18)]
        for symptom in Symptom:
            current = severities.get(symptom, Severity.NONE)
            rows.append(ft.Text(symptom.label, weight=ft.FontWeight.W_500))
            rows.append(
                sem(
                    f"severity-{symptom.value}",
                    choice_row([(w, w) for w in P.SEVERITY_WORDS], current.label, set_severity(symptom), text_size=13),
                    label=symptom.label,
                )
            )
        rows.append(ft.Text("Warning signs", weight=ft.FontWeight.W_500))
        for sign in WarningSign:
            rows.append(ft.Container(ft.Checkbox(label=sign.label, value=sign in signs, on_change=set_sign(sign)), height=MIN_TARGET))
        rows.append(note)
        if self.diary_error:
            rows.append(ft.Text(self.diary_error, color=ft.Colors.ERROR))
        buttons: list[ft.Control] = [sem("diary-save", tall(ft.FilledButton("Save entry", icon=ft.Icons.SAVE, on_click=one_at_a_time(save))))]
        if form.entry_id:
            buttons.append(tall(ft.OutlinedButton("Cancel edit", on_click=cancel)))
        rows.append(ft.Row(buttons, wrap=True))
        return [sem("diary-form", card(*rows))]

    def diary_row(self, row: P.DiaryRow, entries: list[DiaryEntry]) -> ft.Control:
        bg, fg, icon = level_style(row.level)
        entry = next(e for e in entries if e.id == row.id)

        def edit(e: Any) -> None:
            self.diary_form = P.diary_form_for(entry)
            self.last_triage = None
            self.render()
            self._scroll_top()

        def delete(e: Any) -> None:
            async def confirm(ev: Any) -> None:
                self.page.pop_dialog()
                try:
                    async with self.tabs.writing():
                        self.backend.delete_entry(entry.id)
                except RECORD_ERRORS as exc:
                    self.toast(str(exc))
                self.render()

            self.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text("Delete this entry?"),
                    content=ft.Text(f"{row.time}: {row.summary}. This cannot be undone."),
                    actions=[
                        ft.TextButton("Keep it", on_click=lambda ev: self.page.pop_dialog()),
                        ft.FilledButton("Delete", on_click=confirm),
                    ],
                )
            )

        lines: list[ft.Control] = [
            ft.Row(
                [
                    ft.Text(row.time, weight=ft.FontWeight.W_600),
                    ft.Container(
                        content=ft.Row([ft.Icon(icon, color=fg, size=16), ft.Text(row.level_text, color=fg, size=12)], tight=True),
                        bgcolor=bg,
                        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
                        border_radius=8,
                    ),
                ],
                wrap=True,
            ),
            ft.Text(row.summary),
        ]
        if row.signs:
            lines.append(ft.Text(row.signs, color=ft.Colors.ERROR, weight=ft.FontWeight.W_500))
        if row.note:
            lines.append(muted(row.note))
        lines.append(
            ft.Row(
                [
                    ft.TextButton("Edit", icon=ft.Icons.EDIT_OUTLINED, on_click=edit, tooltip=f"Edit entry from {row.time}"),
                    ft.TextButton("Delete", icon=ft.Icons.DELETE_OUTLINE, on_click=delete, tooltip=f"Delete entry from {row.time}"),
                ]
            )
        )
        return sem(f"entry-{row.id}", card(*lines, padding=12))

    # ----------------------------------------------------------------- masks

    def masks_screen(self) -> list[ft.Control]:
        session = self.session
        assert session is not None
        vm = P.masks_view(self.protocol, session, self.now(), self.mask_skin, self.mask_label)
        label = ft.TextField(
            label="Ingredients from the label",
            hint_text="Paste or type, separated by commas",
            value=self.mask_label,
            multiline=True,
            min_lines=2,
            max_lines=6,
        )

        def check(e: Any) -> None:
            self.mask_label = label.value or ""
            self.render()

        def set_skin(value: str) -> None:
            self.mask_skin = SkinState(value)
            self.render()

        out: list[ft.Control] = [
            heading(vm.stage, 20),
            ft.Text(vm.advice),
            ft.Text("How does your skin feel today?", weight=ft.FontWeight.W_500),
            sem(
                "skin-state",
                choice_row([("normal", "Comfortable"), ("dry", "Dry or flaky")], self.mask_skin.value, set_skin),
                label="Skin today",
            ),
        ]
        if vm.recommended:
            out.append(card(ft.Text("Ingredients that suit today", weight=ft.FontWeight.W_600), ft.Text(", ".join(vm.recommended))))
        out.append(heading("Mask types today", 18))
        out.append(card(*[self.mask_line(line) for line in vm.kinds], padding=12))
        out.append(heading("Can I use this mask?", 18))
        out += [label, sem("check-ingredients", tall(ft.FilledButton("Check ingredients", icon=ft.Icons.SEARCH, on_click=check)))]
        if vm.ingredients:
            out.append(sem("mask-verdict", card(ft.Text(f"Overall: {vm.verdict_text}", size=18, weight=ft.FontWeight.W_600), *[ft.Text(r, size=13) for r in vm.reasons])))
            out.append(sem("ingredient-verdicts", card(*[self.mask_line(line) for line in vm.ingredients], padding=12)))
        return out

    def mask_line(self, line: P.MaskLine) -> ft.Control:
        icon, color = {
            "ok": (ft.Icons.CHECK_CIRCLE_OUTLINE, ft.Colors.PRIMARY),
            "wait": (ft.Icons.SCHEDULE, ft.Colors.TERTIARY),
            "avoid": (ft.Icons.BLOCK, ft.Colors.ERROR),
            "unknown": (ft.Icons.HELP_OUTLINE, ft.Colors.ON_SURFACE_VARIANT),
        }[line.verdict]
        return ft.Row(
            [
                ft.Icon(icon, color=color, size=20),
                ft.Column(
                    [ft.Text(f"{line.verdict_text}: {line.name}", weight=ft.FontWeight.W_500), ft.Text(line.reason, size=12)],
                    spacing=0,
                    expand=True,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )

    # ----------------------------------------------------------------- follow-up

    def follow_up_screen(self) -> list[ft.Control]:
        sessions = self.backend.sessions()
        session = next((s for s in sessions if s.id == self.viewed_session_id), None) or self.session
        assert session is not None
        vm = P.follow_up_view(
            self.protocol,
            self.profile,
            session,
            self.backend.ticks(session.id),
            self.backend.entries(session.id),
            self.now(),
            self.zone,
            sessions,
        )
        out: list[ft.Control] = [muted("For your clinician: the whole recovery on one screen.", 13)]
        if len(sessions) > 1:
            out.append(
                ft.Dropdown(
                    label="Session",
                    value=session.id,
                    options=[
                        ft.DropdownOption(key=s.id, text=f"{s.treated_at.astimezone(self.zone):%d %b %Y %H:%M}" + (" (current)" if s is sessions[-1] else ""))
                        for s in sessions
                    ],
                    on_select=self._select_session,
                )
            )
        out.append(sem("follow-up-facts", card(heading("Session", 16), *[ft.Text(f) for f in vm.facts])))
        flags: list[ft.Control] = [heading("Red flags", 16)]
        flags += [ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ERROR), ft.Text(f, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START) for f in vm.red_flags] or [ft.Text("None logged.")]
        out.append(sem("follow-up-red-flags", card(*flags)))
        courses: list[ft.Control] = [heading("Symptoms by day", 16)]
        for c, chart in zip(vm.courses, vm.charts, strict=True):
            courses.append(ft.Text(f"{c.symptom} ({c.trend})", weight=ft.FontWeight.W_500))
            courses.append(day_chart(chart, f"chart-{c.symptom.lower()}"))
        if vm.charts:
            courses.append(muted(vm.charts[0].legend, 11))
        else:
            courses.append(ft.Text("No symptoms logged."))
        out.append(sem("follow-up-symptoms", card(*courses)))
        adherence: list[ft.Control] = [heading("Checklist", 16), ft.Text(vm.adherence)]
        if vm.adherence_chart is not None:
            adherence += [day_chart(vm.adherence_chart, "chart-adherence"), muted(vm.adherence_chart.legend, 11)]
        out.append(sem("follow-up-adherence", card(*adherence)))
        out.append(sem("follow-up-notes", card(heading("Notes", 16), *([ft.Text(n, size=13) for n in vm.notes] or [ft.Text("No notes.")]))))
        out.append(self.exports_card(session))
        out.append(muted(self.protocol.disclaimer, 12))
        return out

    def exports_card(self, session: TreatmentSession) -> ft.Control:
        """The export buttons for ``session``; the follow-up view and Settings show the same card."""
        reminders = ft.Switch(
            value=self.check_in_reminders,
            on_change=lambda e: setattr(self, "check_in_reminders", bool(e.control.value)),
        )
        return sem(
            "exports",
            card(
                heading("Save a copy", 16),
                muted("Files are made on this device and saved where you choose.", 12),
                ft.Row(
                    [
                        tall(ft.FilledTonalButton("PDF report", icon=ft.Icons.PICTURE_AS_PDF, on_click=self._export(session, "pdf"))),
                        tall(ft.OutlinedButton("Diary (CSV)", icon=ft.Icons.TABLE_CHART, on_click=self._export(session, "csv"))),
                        tall(ft.OutlinedButton("Calendar (.ics)", icon=ft.Icons.EVENT, on_click=self._export(session, "ics"))),
                        tall(ft.OutlinedButton("Backup (JSON)", icon=ft.Icons.BACKUP, on_click=self._export(session, "json"))),
                    ],
                    wrap=True,
                ),
                muted("The calendar holds when each restriction lifts and the follow-up; your phone's calendar can remind you.", 12),
                labelled_switch(reminders, f"Calendar: daily reminder at {CHECK_IN_AT:%H:%M}"),
            ),
        )

    def _export(self, session: TreatmentSession, fmt: str) -> Callable[[Any], Any]:
        async def handler(e: Any) -> None:
            try:
                data, name = self.export_file(session, fmt)
            except RECORD_ERRORS as exc:
                self.toast(str(exc))
                return
            self.file_picker = self.file_picker or ft.FilePicker()  # a service lives while it is referenced
            await self.file_picker.save_file(file_name=name, src_bytes=data)

        return handler

    def export_file(self, session: TreatmentSession, fmt: str) -> tuple[bytes, str]:
        """The export's bytes and file name, made from the same report the screen shows."""
        from aftercare_app.domain.report import build_report
        from aftercare_app.exports.follow_up import export_filename

        if fmt == "json":
            return self.backend.export_backup().encode("utf-8"), export_filename("json", today=self.now().astimezone(self.zone))
        report = build_report(
            self.protocol,
            session,
            now=self.now(),
            entries=self.backend.entries(session.id),
            ticks=self.backend.ticks(session.id),
            sessions=self.backend.sessions(),
            profile=self.profile,
            zone=self.zone,
            zone_name=self.zone_name,
        )
        if fmt == "pdf":
            from aftercare_app.exports.pdf import (
                report_pdf,  # fpdf2 loads only when a PDF is asked for
            )

            return report_pdf(report), export_filename("pdf", report)
        if fmt == "ics":
            from aftercare_app.exports.ics import calendar_ics

            check_in = CHECK_IN_AT if self.check_in_reminders else None
            return calendar_ics(report, check_in=check_in, check_in_days=CHECK_IN_DAYS), export_filename("ics", report)
        from aftercare_app.exports.diary_csv import diary_csv

        return diary_csv(report), export_filename("csv", report)

    def _select_session(self, e: Any) -> None:
        self.viewed_session_id = e.control.value
        self.render()

    # ----------------------------------------------------------------- settings

    def session_edit_card(self, session: TreatmentSession) -> ft.Control:
        """Correct the current session's treatment time, area and follow-up with the onboarding form's fields."""
        form = self.session_edit_form or P.session_form(session, self.zone, self.profile)
        errors = self.session_edit_errors
        fields, read = self.session_fields(form, errors, with_profile=False)
        shown = {"treated_date", "treated_time", "area", "follow_up"}
        others = [message for name, message in errors.items() if name not in shown]
        message = " ".join(["Please check the highlighted fields." if errors else "", *others]).strip()
        status = ft.Text(message or self.session_edit_status, color=ft.Colors.ERROR if errors else ft.Colors.PRIMARY, visible=bool(message or self.session_edit_status))

        async def save(e: Any) -> None:
            raw = read()
            result = P.validate_onboarding(raw, zone_name=self.zone_name, zone=self.zone, now=self.now(), session_id=session.id)
            self.session_edit_form, self.session_edit_errors, self.session_edit_status = raw, dict(result.errors), ""
            if result.ok:
                assert result.session is not None
                try:
                    async with self.tabs.writing():
                        stored = next((s for s in self.backend.sessions() if s.id == session.id), session)  # as saved now
                        self.backend.edit_session(replace(result.session, sensitive=stored.sensitive, notes=stored.notes))
                except RECORD_ERRORS as exc:
                    self.session_edit_errors = {"treated_time": str(exc)}
                else:
                    self.session_edit_form, self.session_edit_status = None, "Session saved: Today counts from the corrected time."
                    self.checklist_day = None
            self.render()

        return sem(
            "edit-session",
            card(
                muted("Correct this session if the treatment time, area or follow-up was entered wrong.", 13),
                *fields,
                status,
                tall(ft.FilledTonalButton("Save session changes", icon=ft.Icons.SAVE, on_click=save)),
            ),
        )

    def settings_screen(self) -> list[ft.Control]:
        profile = self.profile or Profile(timezone=self.zone_name)
        name = ft.TextField(label="Clinic name", value=profile.clinic_name)
        phone = ft.TextField(label="Clinic phone", value=profile.clinic_phone, keyboard_type=ft.KeyboardType.PHONE)
        sensitive = ft.Switch(value=profile.sensitive)
        status = ft.Text("", color=ft.Colors.PRIMARY)

        async def save_profile(e: Any) -> None:
            try:
                async with self.tabs.writing():
                    area = (self.profile or profile).area  # as stored now: another tab may have changed it
                    self.backend.save_profile(Profile(area, bool(sensitive.value), name.value or "", phone.value or "", self.zone_name))
            except RECORD_ERRORS as exc:
                status.value, status.color = str(exc), ft.Colors.ERROR
            else:
                status.value, status.color = "Saved.", ft.Colors.PRIMARY
            status.update()

        def set_theme(chosen: str) -> None:
            self.theme_name = chosen
            self.page.theme_mode = theme_mode(chosen)
            self.page.update()
            self.page.run_task(self.prefs.set, THEME_PREF_KEY, chosen)

        def new_session(e: Any) -> None:
            self.onboarding_form = None
            self.onboarding_errors = {}
            self.go("/session")

        def delete_all(e: Any) -> None:
            async def confirm(ev: Any) -> None:
                self.page.pop_dialog()
                try:
                    async with self.tabs.writing():
                        self.backend.delete_all()
                except RECORD_ERRORS as exc:
                    self.toast(str(exc))
                    return
                self.onboarding_form = None
                self.last_triage = None
                self.diary_form = P.diary_form_for(None)
                self.go("/welcome")

            self.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text("Delete all data?"),
                    content=ft.Text(
                        "Your profile, sessions, checklist, diary and their backups will be deleted from this "
                        "device. This cannot be undone: export a backup first if you want to keep a copy."
                    ),
                    actions=[
                        ft.TextButton("Cancel", on_click=lambda ev: self.page.pop_dialog()),
                        ft.FilledButton("Delete everything", on_click=confirm, bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR),
                    ],
                )
            )

        sessions = self.backend.sessions()
        session_rows: list[ft.Control] = [
            ft.Text(
                f"{s.treated_at.astimezone(self.zone):%d %b %Y %H:%M} · {s.area.value}" + (" (current)" if s is sessions[-1] else ""),
            )
            for s in reversed(sessions)
        ]
        current = sessions[-1] if sessions else None
        return [
            heading("Profile", 18),
            card(name, phone, labelled_switch(sensitive, SENSITIVE_LABEL), tall(ft.FilledTonalButton("Save profile", icon=ft.Icons.SAVE, on_click=save_profile)), status),
            *([heading("This session", 18), self.session_edit_card(current)] if current else []),
            heading("Sessions", 18),
            card(
                *session_rows,
                muted("Past sessions stay viewable in Follow-up."),
                sem("new-session", tall(ft.OutlinedButton("Start a new session", icon=ft.Icons.ADD, on_click=new_session))),
            ),
            heading("Appearance", 18),
            sem(
                "theme-choice",
                choice_row([("system", "System"), ("light", "Light"), ("dark", "Dark")], self.theme_name, set_theme),
                label="Theme",
            ),
            muted(f"Timezone: {self.zone_name} (from this device)", 12),
            heading("Your data", 18),
            muted("Everything is stored on this device only. No account, no analytics."),
            *([self.exports_card(current)] if current else []),
            sem("delete-all", tall(ft.OutlinedButton("Delete all data", icon=ft.Icons.DELETE_FOREVER, on_click=delete_all))),
            muted(self.protocol.disclaimer, 12),
        ]


# --------------------------------------------------------------------------- wiring


def default_backend() -> Backend:
    """The stored backend in ``AFTERCARE_DATA_DIR`` (else the user's data folder)."""
    return open_backend(os.environ.get("AFTERCARE_DATA_DIR") or None)


def tabs_for(page: ft.Page) -> TabSync:
    """How this page shares the stored data with the app's other tabs (see :mod:`aftercare_app.ui.tabs`)."""
    from aftercare_app.pwa.browser_store import open_browser_tabs

    return open_browser_tabs() or ServedTabs(page)


async def read_pref(prefs: Any, key: str) -> str | None:
    try:
        value = await asyncio.wait_for(prefs.get(key), timeout=3)
    except Exception:  # noqa: BLE001 - no client storage (tests, some embedders): the next zone source is used
        return None
    return value if isinstance(value, str) and value else None


def make_main(backend: Backend | None = None, clock: Clock = utc_now, protocol: Protocol | None = None) -> Callable[[ft.Page], Any]:
    """A ``main(page)`` bound to one backend, shared by every browser tab the server serves."""
    shared: dict[str, Backend] = {}

    def get_backend() -> Backend:
        if backend is not None:
            return backend
        if "backend" not in shared:
            shared["backend"] = default_backend()
        return shared["backend"]

    async def _main(page: ft.Page) -> None:
        tabs = tabs_for(page)
        async with tabs.writing():  # opening may migrate or recover the stored data
            store = get_backend()
            profile = store.profile()
        prefs = ft.SharedPreferences()  # kept referenced by the app for later writes
        browser_zone, theme_name = await asyncio.gather(read_pref(prefs, TIMEZONE_PREF_KEY), read_pref(prefs, THEME_PREF_KEY))
        zone_name, zone = P.resolve_zone(browser_zone, profile.timezone if profile else None, P.local_zone_name())
        app = AftercareApp(page, store, protocol or default_protocol(), clock, zone_name, zone, prefs, theme_name or "system", tabs)
        app.start()

    return _main


main = make_main()
