"""Settings: the profile (clinic, skin), correcting this session, the sessions, appearance, and the patient's data
(where it is kept, backups, copies, and deleting everything, with a backup offered first)."""

from __future__ import annotations

from typing import Any

import flet as ft

from aftercare_app.domain.records import InvalidRecord
from aftercare_app.ui.host import PATIENT_ERRORS, Host, Screen
from aftercare_app.ui.presenters.forms import OnboardingForm, field_of, read_session_form, session_form
from aftercare_app.ui.screens.backup import Backups
from aftercare_app.ui.screens.exports import Exports
from aftercare_app.ui.screens.install import InstallCard
from aftercare_app.ui.screens.session_fields import SENSITIVE_LABEL, session_fields
from aftercare_app.ui.widgets import card, choice_row, heading, labelled_switch, muted, one_at_a_time, sem, tall

__all__ = ["SettingsScreen"]


class SettingsScreen(Screen):
    route = "/settings"
    title = "Settings"

    def __init__(self, host: Host, exports: Exports, backups: Backups | None = None,
                 install: InstallCard | None = None) -> None:
        super().__init__(host)
        self.exports = exports
        self.backups = backups or Backups(host)
        self.install = install
        self.session_form: OnboardingForm | None = None  # the correction form while it is being fixed
        self.session_errors: dict[str, str] = {}
        self.session_status = ""

    def opened(self) -> None:
        # Settings opens on the stored session, not on a correction left half-done earlier.
        self.session_form, self.session_errors, self.session_status = None, {}, ""
        self.backups.refresh_soon()  # the browser may have made storage persistent since
        self.exports.forget()

    # -- actions --------------------------------------------------------------------------------

    async def save_profile(self, clinic_name: str, clinic_phone: str, sensitive: bool) -> str:
        """Save the clinic and skin; '' once saved, else why not (nothing saved)."""
        try:
            async with self.host.writing():
                self.records.update_profile(
                    clinic_name=clinic_name, clinic_phone=clinic_phone, sensitive=sensitive, timezone=self.host.zone_name
                )
        except PATIENT_ERRORS as exc:
            return str(exc)
        return ""

    async def save_session(self, form: OnboardingForm) -> bool:
        """Correct the current session's treatment time, area and follow-up from the form."""
        session = self.records.current_session()
        now = self.host.now()
        self.session_form, self.session_status = form, ""
        values, self.session_errors = read_session_form(form, zone=self.host.zone, now=now, needs_phone=False)
        if values is None:
            return False
        try:
            async with self.host.writing():
                self.records.edit_session(session.id, treated_at=values.treated_at, area=values.area, follow_up=values.follow_up)
        except InvalidRecord as exc:
            self.session_errors = {field_of(exc, form, self.host.zone, now): str(exc)}
            return False
        except PATIENT_ERRORS as exc:
            self.session_errors = {"treated_time": str(exc)}
            return False
        self.session_form, self.session_status = None, "Session saved: Today counts from the corrected time."
        return True

    async def erase(self) -> str:
        """Delete everything recorded; '' once done, else why not."""
        try:
            async with self.host.writing():
                self.records.erase_all()
        except PATIENT_ERRORS as exc:
            return str(exc)
        await self.backups.log.forget()
        return ""

    # -- drawing --------------------------------------------------------------------------------

    def build(self) -> list[ft.Control]:
        sessions = self.records.sessions()
        current = sessions[-1] if sessions else None
        session_rows: list[ft.Control] = [
            ft.Text(f"{s.treated_at.astimezone(self.host.zone):%d %b %Y %H:%M} · {s.area.value}" + (" (current)" if s is current else ""))
            for s in reversed(sessions)
        ]
        return [
            heading("Profile", 18),
            self._profile_card(),
            *([heading("This session", 18), self._session_card()] if current else []),
            heading("Sessions", 18),
            card(
                *session_rows,
                muted("Past sessions stay viewable in Follow-up."),
                sem("new-session", tall(ft.OutlinedButton("Start a new session", icon=ft.Icons.ADD, on_click=lambda e: self.host.go("/session")))),
            ),
            *([self.install.control()] if self.install is not None else []),
            heading("Appearance", 18),
            sem(
                "theme-choice",
                choice_row([("system", "System"), ("light", "Light"), ("dark", "Dark")], self.host.theme_name, self.host.set_theme),
                label="Theme",
            ),
            muted(f"Timezone: {self.host.zone_name} (from this device)", 12),
            heading("Your data", 18),
            muted("Everything is stored on this device only. No account, no analytics."),
            self.backups.card(),
            *([self.exports.card(current.id)] if current else []),
            sem("delete-all", tall(ft.OutlinedButton("Delete all data", icon=ft.Icons.DELETE_FOREVER, on_click=self._ask_erase))),
            muted(self.advice(self.records.protocol.disclaimer), 12),
        ]

    def _profile_card(self) -> ft.Control:
        profile = self.records.profile()
        name = ft.TextField(label="Clinic name", value=profile.clinic_name)
        phone = ft.TextField(label="Clinic phone", value=profile.clinic_phone, keyboard_type=ft.KeyboardType.PHONE)
        sensitive = ft.Switch(value=profile.sensitive)
        status = ft.Text("", color=ft.Colors.PRIMARY)

        async def save(e: Any) -> None:
            refused = await self.save_profile(name.value or "", phone.value or "", bool(sensitive.value))
            status.value, status.color = (refused, ft.Colors.ERROR) if refused else ("Saved.", ft.Colors.PRIMARY)
            status.update()

        return card(
            name,
            phone,
            labelled_switch(sensitive, SENSITIVE_LABEL),
            tall(ft.FilledTonalButton("Save profile", icon=ft.Icons.SAVE, on_click=save)),
            status,
        )

    def _session_card(self) -> ft.Control:
        session = self.records.current_session()
        form = self.session_form or session_form(session, self.host.zone, self.records.profile())
        errors = self.session_errors
        fields, read = session_fields(self.host, form, errors, with_profile=False)
        shown = {"treated_date", "treated_time", "area", "follow_up"}
        others = [message for name, message in errors.items() if name not in shown]
        message = " ".join(["Please check the highlighted fields." if errors else "", *others]).strip()
        status = ft.Text(
            message or self.session_status,
            color=ft.Colors.ERROR if errors else ft.Colors.PRIMARY,
            visible=bool(message or self.session_status),
        )

        async def save(e: Any) -> None:
            await self.save_session(read())
            self.host.redraw()

        return sem(
            "edit-session",
            card(
                muted("Correct this session if the treatment time, area or follow-up was entered wrong.", 13),
                *fields,
                status,
                tall(ft.FilledTonalButton("Save session changes", icon=ft.Icons.SAVE, on_click=save)),
            ),
        )

    def _ask_erase(self, e: Any, saved: str = "") -> None:
        async def save_first(ev: Any) -> None:
            self.host.close_dialog()
            self._ask_erase(ev, await self.backups.save())

        async def confirm(ev: Any) -> None:
            self.host.close_dialog()
            refused = await self.erase()
            if refused:
                self.host.toast(refused)
                return
            self.host.forget_screens()
            self.host.go("/welcome")

        words: list[ft.Control] = [
            ft.Text(
                "Your profile, sessions, checklist, diary and their backups will be deleted from this "
                "device. This cannot be undone."
            ),
            ft.Text(saved or "Save a backup first to keep a copy you can restore later."),
        ]
        actions: list[ft.Control] = [ft.TextButton("Cancel", on_click=lambda ev: self.host.close_dialog())]
        if not saved:
            actions.append(ft.TextButton("Save a backup first", icon=ft.Icons.SAVE_ALT, on_click=one_at_a_time(save_first)))
        actions.append(
            ft.FilledButton("Delete everything", on_click=confirm, bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR)
        )
        self.host.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Delete all data?"),
                content=sem("delete-question", ft.Column(words, tight=True, spacing=8)),
                actions=actions,
            )
        )
