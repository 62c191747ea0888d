"""Backups: saving the whole diary as a file, restoring one, and the reminder to save one.

Used by Settings (the "Backups" card, and before "Delete all data"), Today (the reminder) and the welcome form (a
patient moving to another browser or phone, or to the Home Screen app, restores there before starting anew).

A backup is saved with the page's file picker (on the web, a download). A file to restore is picked by the browser
within the patient's tap (a :class:`flet.PickFiles` action: a file picker opened after a round trip to Python is
ignored by iOS Safari), read into bytes by the client and checked whole by
:meth:`~aftercare_app.services.CareRecords.read_backup`; nothing is replaced until the patient confirms.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from aftercare_app.exports import export_filename
from aftercare_app.services import MAX_BACKUP_BYTES, BackupPreview, CareRecords
from aftercare_app.storage import ImportRefused
from aftercare_app.ui.backup_log import BackupLog
from aftercare_app.ui.host import PATIENT_ERRORS, Host
from aftercare_app.ui.presenters.backup import (
    BackupReminder,
    StoragePlace,
    backup_reminder,
    last_backup_text,
    refusal_text,
    restore_question,
    restored_text,
    storage_lines,
)
from aftercare_app.ui.widgets import card, heading, muted, one_at_a_time, sem, tall

__all__ = ["Backups", "default_storage_place"]

SaveFile = Callable[[str, bytes], Awaitable[None]]
Schedule = Callable[[Callable[[], Awaitable[None]]], None]


def default_storage_place(records: CareRecords) -> Callable[[], Awaitable[StoragePlace]]:
    """How to learn where ``records`` are kept: the browser's answer in the installable build; the data folder in
    the served app."""
    if sys.platform == "emscripten":
        from aftercare_app.pwa.persistence import browser_storage_place

        return browser_storage_place
    folder = records.stored_in_folder()

    async def place() -> StoragePlace:
        return StoragePlace("folder", folder=folder) if folder else StoragePlace("unknown")

    return place


class Backups:
    """The backup actions of one page, and the controls that offer them."""

    def __init__(
        self,
        host: Host,
        log: BackupLog | None = None,
        *,
        storage_place: Callable[[], Awaitable[StoragePlace]] | None = None,
        schedule: Schedule | None = None,
        save_file: SaveFile | None = None,
    ) -> None:
        self.host = host
        self.log = log or BackupLog()
        self._storage_place = storage_place
        self._schedule = schedule
        self.save_file: SaveFile = save_file or self._save_with_picker
        self.place: StoragePlace | None = None
        self._picker: ft.FilePicker | None = None
        self._place_text: ft.Text | None = None

    @property
    def records(self) -> CareRecords:
        return self.host.records

    # -- actions --------------------------------------------------------------------------------

    def backup_file(self) -> tuple[bytes, str]:
        """Everything recorded, as the backup file's bytes and name."""
        data = self.records.export_backup().encode("utf-8")
        return data, export_filename("json", today=self.host.now().astimezone(self.host.zone))

    async def save(self) -> str:
        """Save a backup file; what to tell the patient (the file's name, or why it was not saved)."""
        try:
            data, name = self.backup_file()
            await self.save_file(name, data)
        except PATIENT_ERRORS as exc:
            return str(exc)
        await self.log.note_saved(self.host.now())
        if len(data) > MAX_BACKUP_BYTES:
            return f"Backup saved as {name}, but it is larger than 5 MB, the most the app restores."
        return f"Backup saved as {name}."

    def check(self, data: bytes | None) -> BackupPreview:
        """The backup in a picked file; ImportRefused with one message saying why it would not restore."""
        if data is None:
            raise ImportRefused("The file could not be read; nothing was changed")
        return self.records.read_backup(data)

    async def restore(self, preview: BackupPreview) -> str:
        """Replace everything with a checked backup; '' once done, else why not (nothing changed)."""
        try:
            async with self.host.writing():
                summary = self.records.restore_backup(preview)
        except PATIENT_ERRORS as exc:
            return str(exc)
        # Every record now is in that file.
        await self.log.note_saved(preview.exported_at or self.host.now())
        self.host.forget_screens()
        self.host.go("/today")
        self.host.toast(restored_text(summary))
        return ""

    async def picked(self, name: str, data: bytes | None) -> None:
        """A file was picked to restore: refuse it with its message, or ask before it replaces anything."""
        try:
            preview = self.check(data)
        except PATIENT_ERRORS as exc:
            self.host.show_dialog(self._refusal_dialog(str(exc)))
            return
        self.host.show_dialog(self._confirm_dialog(preview))

    def reminder(self) -> BackupReminder | None:
        """Today's reminder to save a backup, if one is due."""
        records = self.records
        times = [entry.at for entry in records.entries()]
        times += [tick.ticked_at for session in records.sessions() for tick in records.ticks(session.id)]
        in_browser = self.place.kind == "browser" if self.place else sys.platform == "emscripten"
        return backup_reminder(
            times, self.log.saved_at, self.log.dismissed_on, self.host.now(), self.host.zone, in_browser=in_browser
        )

    async def dismiss_reminder(self) -> None:
        await self.log.note_dismissed(self.host.now().astimezone(self.host.zone).date())

    async def refresh_place(self) -> None:
        """Ask again where the data is kept (the browser may have made storage persistent since)."""
        if self._storage_place is None:
            return
        with contextlib.suppress(Exception):  # not knowing is said in words; it must not break Settings
            self.place = await self._storage_place()
        text = self._place_text
        if text is not None:
            text.value = "\n".join(storage_lines(self.place))
            with contextlib.suppress(RuntimeError):  # the card is no longer on the page
                text.update()

    def refresh_soon(self) -> None:
        if self._schedule is not None:
            self._schedule(self.refresh_place)

    # -- the file picker ------------------------------------------------------------------------

    def _picker_service(self) -> ft.FilePicker:
        if self._picker is None:  # a service lives while it is referenced
            self._picker = ft.FilePicker(on_result=self._on_picked)
        return self._picker

    async def _save_with_picker(self, name: str, data: bytes) -> None:
        await self._picker_service().save_file(file_name=name, src_bytes=data)

    async def _on_picked(self, e: ft.FilePickerResultEvent) -> None:
        if not e.files:  # the patient cancelled
            return
        picked = e.files[0]
        data = picked.bytes
        if isinstance(data, list):  # some clients send a list of byte values
            data = bytes(data)
        await self.picked(picked.name, data)

    # -- drawing --------------------------------------------------------------------------------

    def save_button(self, *, filled: bool = False) -> ft.Control:
        async def save(e: Any) -> None:
            said = await self.save()
            self.host.toast(said)
            self.host.redraw()

        kind = ft.FilledButton if filled else ft.FilledTonalButton
        return sem("save-backup", tall(kind("Save a backup", icon=ft.Icons.SAVE_ALT, on_click=one_at_a_time(save))))

    def restore_button(self) -> ft.Control:
        action = ft.PickFiles(self._picker_service(), with_data=True, cancel_upload_on_window_blur=False)
        return sem("restore-backup", tall(ft.OutlinedButton("Restore from a backup", icon=ft.Icons.RESTORE, action=action)))

    def card(self) -> ft.Control:
        """Settings' card: where the data is kept, the last backup, and saving or restoring one."""
        if self.place is None:
            self.refresh_soon()
        self._place_text = muted("\n".join(storage_lines(self.place)), 13)
        return sem(
            "backups",
            card(
                heading("Backups", 16),
                self._place_text,
                ft.Text(last_backup_text(self.log.saved_at, self.host.now(), self.host.zone)),
                ft.Row([self.save_button(), self.restore_button()], wrap=True),
                muted(
                    "A backup is one file holding your whole diary. Restoring one replaces what is in the app; "
                    "the app asks before it does.",
                    12,
                ),
            ),
        )

    def welcome_card(self) -> ft.Control:
        """The welcome form's offer to a patient who used the app in another browser or on another phone."""
        return sem(
            "welcome-restore",
            card(
                heading("Used the app before?", 16),
                muted(
                    "Restore your diary from a backup file saved in the app, for example in Safari before adding the "
                    "app to your Home Screen.",
                    13,
                ),
                self.restore_button(),
            ),
        )

    def reminder_card(self) -> ft.Control | None:
        """Today's reminder to save a backup, or None."""
        reminder = self.reminder()
        if reminder is None:
            return None

        async def dismiss(e: Any) -> None:
            await self.dismiss_reminder()
            self.host.redraw()

        return sem(
            "backup-reminder",
            card(
                ft.Row([ft.Icon(ft.Icons.BACKUP_OUTLINED, color=ft.Colors.PRIMARY), heading(reminder.title, 16)]),
                ft.Text(reminder.text),
                ft.Row(
                    [self.save_button(filled=True), tall(ft.TextButton("Not today", icon=ft.Icons.SNOOZE, on_click=dismiss))],
                    wrap=True,
                ),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
            ),
        )

    def _refusal_dialog(self, message: str) -> ft.AlertDialog:
        return ft.AlertDialog(
            title=ft.Text("This file was not restored"),
            content=sem("restore-refused", ft.Text(refusal_text(message)), live_region=True),
            actions=[ft.FilledButton("OK", on_click=lambda e: self.host.close_dialog())],
        )

    def _confirm_dialog(self, preview: BackupPreview, saved: str = "") -> ft.AlertDialog:
        records = self.records
        current = (len(records.sessions()), len(records.entries()))
        lines = restore_question(preview, current, self.host.now(), self.host.zone)

        async def replace(e: Any) -> None:
            self.host.close_dialog()
            refused = await self.restore(preview)
            if refused:
                self.host.show_dialog(self._refusal_dialog(refused))

        async def save_first(e: Any) -> None:
            self.host.close_dialog()
            said = await self.save()
            self.host.show_dialog(self._confirm_dialog(preview, said))

        actions: list[ft.Control] = [ft.TextButton("Cancel", on_click=lambda e: self.host.close_dialog())]
        if any(current) and not saved:
            actions.append(ft.TextButton("Save current data first", on_click=one_at_a_time(save_first)))
        actions.append(ft.FilledButton("Replace my data", on_click=one_at_a_time(replace)))
        return ft.AlertDialog(
            title=ft.Text("Restore this backup?" if not any(current) else "Replace your data with this backup?"),
            content=sem(
                "restore-question",
                ft.Column([ft.Text(line) for line in (*lines, *([saved] if saved else []))], tight=True, spacing=8),
            ),
            actions=actions,
        )
