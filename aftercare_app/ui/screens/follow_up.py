"""The follow-up view, for the clinician: the whole recovery of a session on one screen, and its exports."""

from __future__ import annotations

from typing import Any

import flet as ft

from aftercare_app.domain.records import TreatmentSession
from aftercare_app.pwa.lazy_imports import prefetch
from aftercare_app.ui.host import Host, Screen
from aftercare_app.ui.presenters.follow_up import FollowUpVM, follow_up_view
from aftercare_app.ui.screens.exports import Exports
from aftercare_app.ui.widgets import card, day_chart, heading, muted, sem

__all__ = ["FollowUpScreen"]


class FollowUpScreen(Screen):
    route = "/follow-up"
    title = "Follow-up"
    shows_data = True

    def __init__(self, host: Host, exports: Exports) -> None:
        super().__init__(host)
        self.exports = exports
        self.session_id: str | None = None  # a past session chosen to view; None: the current one

    def opened(self) -> None:
        prefetch("aftercare_fonts")  # the PDF report's fonts, in the offline build: ready before the first PDF
        self.exports.forget()

    def viewed(self) -> TreatmentSession:
        sessions = self.records.sessions()
        return next((s for s in sessions if s.id == self.session_id), sessions[-1])

    def view(self) -> FollowUpVM:
        return follow_up_view(self.records.protocol, self.records.report(self.viewed().id))

    def build(self) -> list[ft.Control]:
        sessions = self.records.sessions()
        session = self.viewed()
        vm = self.view()
        out: list[ft.Control] = [muted("For your clinician: the whole recovery on one screen.", 13)]
        if len(sessions) > 1:

            def select(e: Any) -> None:
                self.session_id = e.control.value
                self.host.redraw()

            out.append(
                ft.Dropdown(
                    label="Session",
                    value=session.id,
                    options=[
                        ft.DropdownOption(
                            key=s.id,
                            text=f"{s.treated_at.astimezone(self.host.zone):%d %b %Y %H:%M}" + (" (current)" if s is sessions[-1] else ""),
                        )
                        for s in sessions
                    ],
                    on_select=select,
                )
            )
        out.append(sem("follow-up-facts", card(heading("Session", 16), *[ft.Text(f) for f in vm.facts])))
        flags: list[ft.Control] = [heading("Red flags", 16)]
        flags += [
            ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ERROR), ft.Text(f, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START)
            for f in vm.red_flags
        ] or [ft.Text("None logged.")]
        out.append(sem("follow-up-red-flags", card(*flags)))
        courses: list[ft.Control] = [heading("Symptoms by day", 16)]
        for c, chart in zip(vm.courses, vm.charts, strict=True):
            courses.append(ft.Text(f"{c.symptom} ({c.trend})", weight=ft.FontWeight.W_500))
            courses.append(day_chart(chart, f"chart-{c.symptom.lower()}"))
        courses.append(muted(vm.charts[0].legend, 11) if vm.charts else ft.Text("No symptoms logged."))
        out.append(sem("follow-up-symptoms", card(*courses)))
        adherence: list[ft.Control] = [heading("Checklist", 16), ft.Text(vm.adherence)]
        if vm.adherence_chart is not None:
            adherence += [day_chart(vm.adherence_chart, "chart-adherence"), muted(vm.adherence_chart.legend, 11)]
        out.append(sem("follow-up-adherence", card(*adherence)))
        notes = [ft.Text(n, size=13) for n in vm.notes] or [ft.Text("No notes.")]
        out.append(sem("follow-up-notes", card(heading("Notes", 16), *notes)))
        out.append(self.exports.card(session.id))
        out.append(muted(self.advice(self.records.protocol.disclaimer), 12))
        return out
