"""The "Save a copy" card of the follow-up view and Settings: the PDF report, the diary as CSV, the recovery
calendar and a backup, made on this device from the same report the screen shows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

import flet as ft

from aftercare_app.exports import export_filename, render
from aftercare_app.ui.host import PATIENT_ERRORS, Host
from aftercare_app.ui.widgets import card, heading, labelled_switch, muted, sem, tall

__all__ = ["CHECK_IN_AT", "CHECK_IN_DAYS", "Exports"]

CHECK_IN_AT = time(20, 0)  # the daily check-in reminder offered with the calendar
CHECK_IN_DAYS = 14


class Exports:
    """The files of one session, and the card that saves them."""

    def __init__(
        self,
        host: Host,
        on_backup_saved: Callable[[], Awaitable[None]] | None = None,
        save_file: Callable[[str, bytes], Awaitable[None]] | None = None,
    ) -> None:
        self.host = host
        self.on_backup_saved = on_backup_saved  # the backup reminder counts a backup saved here too
        self.save_file = save_file or self._save_with_picker
        self.check_in_reminders = False
        self._file_picker: ft.FilePicker | None = None

    def file(self, session_id: str, fmt: str) -> tuple[bytes, str]:
        """The export's bytes and file name (``pdf``, ``csv``, ``ics`` of the session; ``json``: the backup)."""
        records = self.host.records
        if fmt == "json":
            return records.export_backup().encode("utf-8"), export_filename("json", today=self.host.now().astimezone(self.host.zone))
        report = records.report(session_id)
        check_in = CHECK_IN_AT if self.check_in_reminders else None
        return render(fmt, report, check_in=check_in, check_in_days=CHECK_IN_DAYS), export_filename(fmt, report)

    async def save(self, session_id: str, fmt: str) -> None:
        """Make the file and save it where the patient chooses; a file that cannot be made is a toast."""
        try:
            data, name = self.file(session_id, fmt)
        except PATIENT_ERRORS as exc:
            self.host.toast(str(exc))
            return
        await self.save_file(name, data)
        if fmt == "json" and self.on_backup_saved is not None:
            await self.on_backup_saved()

    async def _save_with_picker(self, name: str, data: bytes) -> None:
        self._file_picker = self._file_picker or ft.FilePicker()  # a service lives while it is referenced
        await self._file_picker.save_file(file_name=name, src_bytes=data)

    def _save(self, session_id: str, fmt: str) -> Callable[[Any], Any]:
        async def handler(e: Any) -> None:
            await self.save(session_id, fmt)

        return handler

    def card(self, session_id: str) -> ft.Control:
        def remind(e: Any) -> None:
            self.check_in_reminders = bool(e.control.value)

        reminders = ft.Switch(value=self.check_in_reminders, on_change=remind)
        return sem(
            "exports",
            card(
                heading("Save a copy", 16),
                muted("Files are made on this device and saved where you choose.", 12),
                ft.Row(
                    [
                        tall(ft.FilledTonalButton("PDF report", icon=ft.Icons.PICTURE_AS_PDF, on_click=self._save(session_id, "pdf"))),
                        tall(ft.OutlinedButton("Diary (CSV)", icon=ft.Icons.TABLE_CHART, on_click=self._save(session_id, "csv"))),
                        tall(ft.OutlinedButton("Calendar (.ics)", icon=ft.Icons.EVENT, on_click=self._save(session_id, "ics"))),
                        tall(ft.OutlinedButton("Backup (JSON)", icon=ft.Icons.BACKUP, on_click=self._save(session_id, "json"))),
                    ],
                    wrap=True,
                ),
                muted("The calendar holds when each restriction lifts and the follow-up; your phone's calendar can remind you.", 12),
                labelled_switch(reminders, f"Calendar: daily reminder at {CHECK_IN_AT:%H:%M}"),
            ),
        )
