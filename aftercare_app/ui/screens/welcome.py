"""The welcome form (the first start) and a new treatment session: when it happened, where, skin and clinic."""

from __future__ import annotations

from typing import Any

import flet as ft

from aftercare_app.domain.records import InvalidRecord
from aftercare_app.ui.host import PATIENT_ERRORS, Screen
from aftercare_app.ui.presenters.forms import OnboardingForm, field_of, onboarding_defaults, read_session_form
from aftercare_app.ui.screens.install import InstallCard
from aftercare_app.ui.screens.session_fields import session_fields
from aftercare_app.ui.widgets import heading, muted, one_at_a_time, tall

__all__ = ["NewSessionScreen", "WelcomeScreen"]


class WelcomeScreen(Screen):
    route = "/welcome"
    title = "Welcome"
    intro = ("Your recovery companion", "Tell the app when your mesotherapy happened. Everything stays on this device.")
    button = "Start my recovery plan"

    def __init__(self, host: Any, install: InstallCard | None = None) -> None:
        super().__init__(host)
        self.install = install  # the welcome form only: how to install the app before the first session
        self.form: OnboardingForm | None = None
        self.errors: dict[str, str] = {}

    def opened(self) -> None:
        self.form, self.errors = None, {}

    def current_form(self) -> OnboardingForm:
        if self.form is None:
            profile = self.records.profile() if self.records.has_profile() else None
            self.form = onboarding_defaults(self.host.now(), self.host.zone, profile, self.host.clinic)
        return self.form

    async def submit(self, form: OnboardingForm) -> bool:
        """Start the session the form describes; False, with ``errors`` by field and nothing saved, if refused."""
        self.form = form
        now = self.host.now()
        values, self.errors = read_session_form(form, zone=self.host.zone, now=now)
        if values is None:
            return False
        try:
            async with self.host.writing():
                self.records.start_session(
                    values.treated_at,
                    area=values.area,
                    sensitive=values.sensitive,
                    follow_up=values.follow_up,
                    clinic_name=values.clinic_name,
                    clinic_phone=values.clinic_phone,
                    timezone=self.host.zone_name,
                )
        except InvalidRecord as exc:
            self.errors = {field_of(exc, form, self.host.zone, now): str(exc)}
            return False
        except PATIENT_ERRORS as exc:
            self.errors = {"treated_date": str(exc)}
            return False
        self.form = None
        return True

    def build(self) -> list[ft.Control]:
        fields, read = session_fields(self.host, self.current_form(), self.errors, with_profile=True)

        async def submit(e: Any) -> None:
            if await self.submit(read()):
                self.host.forget_screens()  # a new session: no day, form or triage of the last one stays
                self.host.go("/today")
            else:
                self.host.redraw()

        title, words = self.intro
        return [
            heading(title),
            muted(words),
            *([self.install.control()] if self.install is not None else []),
            *fields,
            ft.Text("Please check the highlighted fields." if self.errors else "", color=ft.Colors.ERROR, visible=bool(self.errors)),
            tall(ft.FilledButton(self.button, icon=ft.Icons.CHECK, on_click=one_at_a_time(submit))),
            muted(self.advice(self.records.protocol.disclaimer), 12),
        ]


class NewSessionScreen(WelcomeScreen):
    route = "/session"
    title = "Treatment"
    intro = ("A new treatment session", "Start the countdown again from this session's injection time.")
    button = "Save session"
