"""The treatment form's fields, shared by the welcome screen, a new session and correcting a session in Settings:
date and time (typed, or picked on a calendar and a clock), area, skin, clinic and follow-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import flet as ft

from aftercare_app.domain.vocabulary import Area
from aftercare_app.ui.host import Host
from aftercare_app.ui.presenters.forms import (
    OnboardingForm,
    calendar_start,
    clock_start,
    default_follow_up,
    follow_up_after,
    follow_up_after_date_change,
    picked_date,
    picked_time,
)
from aftercare_app.ui.widgets import icon_button, labelled_switch, muted

__all__ = ["SENSITIVE_LABEL", "session_fields"]

SENSITIVE_LABEL = "My skin is sensitive or reactive"


def session_fields(
    host: Host,
    form: OnboardingForm,
    errors: dict[str, str],
    *,
    with_profile: bool,
) -> tuple[list[ft.Control], Callable[[], OnboardingForm]]:
    """The fields, and a function reading what is typed back as a form.

    The welcome and new-session screens show every field (``with_profile``); correcting a session shows the
    treatment's own (date, time, area, follow-up) and keeps the rest of ``form``."""
    fields: dict[str, ft.TextField] = {}
    after = follow_up_after(host.clinic)

    def text_field(name: str, label: str, value: str, hint: str = "", **kw: Any) -> ft.TextField:
        tf = ft.TextField(label=label, value=value, hint_text=hint or None, error=errors.get(name), error_max_lines=3, **kw)
        fields[name] = tf
        return tf

    area = ft.RadioGroup(
        value=form.area,
        content=ft.Row([ft.Radio(value=Area.FACE.value, label="Face"), ft.Radio(value=Area.SCALP.value, label="Scalp (hair)")]),
    )
    sensitive = ft.Switch(value=form.sensitive)
    follow_up = text_field("follow_up", "Follow-up date (optional)", form.follow_up, "YYYY-MM-DD", keyboard_type=ft.KeyboardType.DATETIME)
    last_date = [form.treated_date]
    today = host.now().astimezone(host.zone).date()

    def follow_treatment(typed: str) -> None:
        # An untouched follow-up follows the treatment date; one the patient chose stays.
        moved = follow_up_after_date_change(last_date[0], typed, follow_up.value or "", after)
        if default_follow_up(typed, after):
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
            start = min(max(calendar_start(fields[name].value or "", today), first), last)
            host.show_dialog(
                # Plain dates: Flet sends them as YYYY-MM-DD, read as that day in the browser; a datetime would
                # go through the server's zone and UTC and land a day early west of the server.
                ft.DatePicker(
                    value=start,
                    first_date=first,
                    last_date=last,
                    current_date=today,
                    help_text=label,
                    on_change=lambda ev: put(name, picked_date(ev.control.value, host.zone)),
                )
            )

        return ft.Row(
            [ft.Container(fields[name], expand=True), icon_button(ft.Icons.CALENDAR_MONTH, label, open_calendar)],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )

    def with_clock(name: str, label: str) -> ft.Control:
        def open_clock(e: Any) -> None:
            now = host.now().astimezone(host.zone).time().replace(second=0, microsecond=0)
            host.show_dialog(
                ft.TimePicker(
                    value=clock_start(fields[name].value or "", now),
                    hour_format=ft.TimePickerHourFormat.H24,
                    help_text=label,
                    on_change=lambda ev: put(name, picked_time(ev.control.value)),
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
        muted(f"Times are in your device's timezone: {host.zone_name}", 12),
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

    def read() -> OnboardingForm:
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
