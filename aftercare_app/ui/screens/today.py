"""Today: the day of recovery, a red-flag banner, the follow-up, a reminder to save a backup when one is due, and
the countdown to each restriction's lift."""

from __future__ import annotations

import flet as ft

from aftercare_app.ui.host import Host, Screen
from aftercare_app.ui.presenters.today import TodayVM, today_view
from aftercare_app.ui.screens.backup import Backups
from aftercare_app.ui.theme import level_style
from aftercare_app.ui.widgets import card, heading, muted, sem

__all__ = ["TodayScreen"]


class TodayScreen(Screen):
    route = "/today"
    title = "Today"
    shows_data = True

    def __init__(self, host: Host, backups: Backups | None = None) -> None:
        super().__init__(host)
        self.backups = backups

    def view(self) -> TodayVM:
        session = self.records.current_session()
        number = self.host.clinic.emergency_number if self.host.clinic else ""
        assessed = self.records.assessed_entries(session.id)
        return today_view(self.records.protocol, session, self.host.now(), self.host.zone, assessed, number)

    def build(self) -> list[ft.Control]:
        vm = self.view()
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
                        on_click=lambda e: self.host.go("/diary"),
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
        reminder = self.backups.reminder_card() if self.backups is not None else None
        if reminder is not None:
            out.append(reminder)
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
            rows: list[ft.Control] = []
            for c in vm.lifted:
                words: list[ft.Control] = [ft.Text(c.title)]
                if c.condition:
                    words.append(muted(f"{c.condition} Until {c.condition_until}.", 13))
                icon = ft.Icons.INFO_OUTLINE if c.condition else ft.Icons.CHECK_CIRCLE_OUTLINE
                rows.append(
                    ft.Row(
                        [ft.Icon(icon, color=ft.Colors.PRIMARY), ft.Column(words, spacing=2, expand=True)],
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    )
                )
            out.append(sem("now-allowed", card(*rows)))
        out.append(muted(self.advice(self.records.protocol.disclaimer), 12))
        return out
