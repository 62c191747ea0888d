"""The photo-free symptom diary: how the skin is now, warning signs and a note; what that means for the day; the
entries so far, to correct or delete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import flet as ft

from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign
from aftercare_app.ui.host import PATIENT_ERRORS, Host, Screen
from aftercare_app.ui.presenters.diary import (
    SEVERITY_WORDS,
    DiaryForm,
    DiaryRow,
    TriageCard,
    diary_days,
    diary_form_for,
    triage_card,
)
from aftercare_app.ui.theme import level_style
from aftercare_app.ui.widgets import MIN_TARGET, card, choice_row, heading, muted, one_at_a_time, sem, tall

__all__ = ["DiaryScreen"]


class DiaryScreen(Screen):
    route = "/diary"
    title = "Diary"

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.form = diary_form_for(None)
        self.error = ""
        self.last_triage: TriageCard | None = None

    # -- actions --------------------------------------------------------------------------------

    async def save(self, draft: DiaryForm) -> bool:
        """Store the form as a new entry, or as the corrected entry it was opened from; then say what the entry
        means for the day. False, with ``error`` set and nothing stored, when the records refuse it."""
        symptoms = {s: int(v) for s, v in draft.severities.items()}
        try:
            async with self.host.writing():
                if draft.entry_id:
                    entry = self.records.edit_entry(draft.entry_id, symptoms=symptoms, signs=draft.signs, note=draft.note)
                else:
                    entry = self.records.add_entry(self.host.now(), symptoms, draft.signs, draft.note)
        except PATIENT_ERRORS as exc:
            self.form, self.error = draft, str(exc)
            return False
        assessed = next(a for a in self.records.assessed_entries(entry.session_id) if a.entry.id == entry.id)
        self.last_triage = triage_card(assessed.triage, self.records.profile(), self.host.clinic)
        self.form, self.error = diary_form_for(None), ""
        return True

    def edit(self, entry_id: str) -> None:
        self.form, self.last_triage, self.error = diary_form_for(self.records.entry(entry_id)), None, ""

    def cancel_edit(self) -> None:
        self.form, self.error = diary_form_for(None), ""

    async def delete(self, entry_id: str) -> str:
        """Delete an entry; '' once done, else why not."""
        try:
            async with self.host.writing():
                self.records.delete_entry(entry_id)
        except PATIENT_ERRORS as exc:
            return str(exc)
        return ""

    # -- drawing --------------------------------------------------------------------------------

    def build(self) -> list[ft.Control]:
        session = self.records.current_session()
        out: list[ft.Control] = []
        if self.last_triage is not None:
            out.append(self._triage_card(self.last_triage))
        out.append(self._form())
        listing: list[ft.Control] = [heading("Your entries", 18)]
        days = diary_days(session, self.records.assessed_entries(session.id), self.host.zone)
        if not days:
            listing.append(muted("No entries yet. Log how your skin feels once or twice a day."))
        for day in days:
            listing.append(ft.Text(day.title, weight=ft.FontWeight.W_600))
            listing += [self._row(row) for row in day.rows]
        out.append(sem("entries", ft.Column(listing, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)))
        return out

    def _triage_card(self, vm: TriageCard) -> ft.Control:
        bg, fg, icon = level_style(vm.level)
        controls: list[ft.Control] = [
            ft.Row([ft.Icon(icon, color=fg), heading(vm.title, 20, fg)]),
            *[ft.Text(line, color=fg) for line in vm.lines],
        ]
        if vm.emergency:
            # On the red card the buttons are inverted (white on red) so they stand out rather than clash.
            controls.append(
                tall(ft.FilledButton(vm.emergency_label, icon=ft.Icons.EMERGENCY, url=vm.emergency_url, bgcolor=fg, color=bg, icon_color=bg))
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
        if vm.after_hours_url:
            side = ft.ButtonStyle(color=fg, side=ft.BorderSide(1, fg))
            controls.append(tall(ft.OutlinedButton(vm.after_hours_label, icon=ft.Icons.NIGHTLIGHT_OUTLINED, url=vm.after_hours_url, style=side)))

        def dismiss(e: Any) -> None:
            self.last_triage = None
            self.host.redraw()

        controls.append(ft.TextButton("Dismiss", on_click=dismiss, style=ft.ButtonStyle(color=fg)))
        body = ft.Container(content=ft.Column(controls, spacing=6), bgcolor=bg, padding=16, border_radius=12)
        return sem(f"triage-{vm.level.code}", body, live_region=True)

    def _form(self) -> ft.Control:
        form = self.form
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
            saved = await self.save(replace(form, severities=dict(severities), signs=frozenset(signs), note=note.value or ""))
            self.host.redraw()
            if saved:
                self.host.scroll_top()

        def cancel(e: Any) -> None:
            self.cancel_edit()
            self.host.redraw()

        rows: list[ft.Control] = [heading("Editing an entry" if form.entry_id else "How is your skin now?", 18)]
        for symptom in Symptom:
            current = severities.get(symptom, Severity.NONE)
            rows.append(ft.Text(symptom.label, weight=ft.FontWeight.W_500))
            rows.append(
                sem(
                    f"severity-{symptom.value}",
                    choice_row([(w, w) for w in SEVERITY_WORDS], current.label, set_severity(symptom), text_size=13),
                    label=symptom.label,
                )
            )
        rows.append(ft.Text("Warning signs", weight=ft.FontWeight.W_500))
        for sign in WarningSign:
            rows.append(ft.Container(ft.Checkbox(label=sign.label, value=sign in signs, on_change=set_sign(sign)), height=MIN_TARGET))
        rows.append(note)
        if self.error:
            rows.append(ft.Text(self.error, color=ft.Colors.ERROR))
        buttons: list[ft.Control] = [sem("diary-save", tall(ft.FilledButton("Save entry", icon=ft.Icons.SAVE, on_click=one_at_a_time(save))))]
        if form.entry_id:
            buttons.append(tall(ft.OutlinedButton("Cancel edit", on_click=cancel)))
        rows.append(ft.Row(buttons, wrap=True))
        return sem("diary-form", card(*rows))

    def _row(self, row: DiaryRow) -> ft.Control:
        bg, fg, icon = level_style(row.level)

        def edit(e: Any) -> None:
            self.edit(row.id)
            self.host.redraw()
            self.host.scroll_top()

        def delete(e: Any) -> None:
            async def confirm(ev: Any) -> None:
                self.host.close_dialog()
                refused = await self.delete(row.id)
                if refused:
                    self.host.toast(refused)
                self.host.redraw()

            self.host.show_dialog(
                ft.AlertDialog(
                    title=ft.Text("Delete this entry?"),
                    content=ft.Text(f"{row.time}: {row.summary}. This cannot be undone."),
                    actions=[
                        ft.TextButton("Keep it", on_click=lambda ev: self.host.close_dialog()),
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
