"""The daily checklist: today's tasks (or an earlier day's), ticked off one tap at a time."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import flet as ft

from aftercare_app.services import ChecklistItem
from aftercare_app.ui.host import PATIENT_ERRORS, Host, Screen
from aftercare_app.ui.presenters.checklist import ChecklistVM, checklist_view
from aftercare_app.ui.widgets import MIN_TARGET, card, heading, icon_button, muted, sem

__all__ = ["ChecklistScreen"]


class ChecklistScreen(Screen):
    route = "/checklist"
    title = "Checklist"
    shows_data = True

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.day: int | None = None  # None: today
        self._day_of: object = None  # the session (and its treatment time) the day was chosen in

    def view(self) -> ChecklistVM:
        session = self.records.current_session()
        if self._day_of != (session.id, session.treated_at):  # a new or corrected session starts on its today
            self.day, self._day_of = None, (session.id, session.treated_at)
        return checklist_view(self.records.protocol, session, self.records.ticks(session.id), self.host.now(), self.day)

    async def set_done(self, day: int, item_id: str, done: bool) -> str:
        """Tick or untick a task of ``day``; '' once stored, else the message saying why not (nothing stored)."""
        try:
            async with self.host.writing():
                self.records.set_done(day, item_id, done)
        except PATIENT_ERRORS as exc:
            return str(exc)
        return ""

    def move(self, delta: int) -> None:
        self.day = self.view().day + delta
        self.host.redraw()

    def build(self) -> list[ft.Control]:
        vm = self.view()
        summary = ft.Text(vm.day_summary, weight=ft.FontWeight.W_500)
        overall = muted(vm.overall)

        def toggle(item_id: str) -> Callable[[Any], Any]:
            async def handler(e: Any) -> None:
                done = bool(e.control.value)  # the box already shows it: Flutter flips its own state on the tap
                refused = await self.set_done(vm.day, item_id, done)
                if refused:
                    e.control.value = not done
                    e.control.update()
                    self.host.toast(refused)
                    return
                fresh = self.view()
                summary.value, overall.value = fresh.day_summary, fresh.overall
                summary.update()
                overall.update()

            return handler

        nav = ft.Row(
            [
                icon_button(ft.Icons.CHEVRON_LEFT, "Previous day", lambda e: self.move(-1), disabled=not vm.can_go_back),
                ft.Column(
                    [heading(vm.title, 18), muted(vm.phase, 13)],
                    spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                icon_button(ft.Icons.CHEVRON_RIGHT, "Next day", lambda e: self.move(1), disabled=not vm.can_go_forward),
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

        return [nav, sem("checklist-summary", ft.Column([summary, overall], spacing=2)), card(*[row(i) for i in vm.items], padding=8)]
