"""The "Save a copy" card of the follow-up view and Settings: the PDF report, the diary as CSV, the recovery
calendar and a backup, made on this device from the same report the screen shows.

Where the browser shares files (an Android or iOS phone, see :mod:`aftercare_app.ui.phone`), the PDF and the CSV go
to the share sheet (messaging apps, mail, the clinic's portal) in two taps: "Make PDF" makes the file, then "Share
PDF" hands it over. The share runs in the client within that second tap, as browsers require (a Flet client action,
with only the file: iOS drops the file when text comes with it). Elsewhere, and always for the calendar (Chromium
does not share ``.ics``) and the backup, the file downloads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import flet as ft
from flet.controls.client_action import ClientAction, action_field

from aftercare_app.exports import export_filename, render
from aftercare_app.ui.host import PATIENT_ERRORS, Host
from aftercare_app.ui.widgets import card, heading, labelled_switch, muted, sem, tall

__all__ = ["CHECK_IN_AT", "CHECK_IN_DAYS", "SHARED", "Exports", "ShareFiles"]

CHECK_IN_AT = time(20, 0)  # the daily check-in reminder offered with the calendar
CHECK_IN_DAYS = 14
#: The files the share sheet takes, with their type and their name on the buttons.
SHARED = {"pdf": ("application/pdf", "PDF"), "csv": ("text/csv", "CSV")}


@dataclass
class ShareFiles(ClientAction):
    """Share ``files`` from the share sheet of ``share``, performed by the client inside the tap (Flet ships
    ``ShareText`` only; this is the same action for :meth:`flet.Share.share_files`). Where the browser cannot
    share them, the client downloads them instead."""

    share: ft.Share = action_field()  # noqa: RUF009 - dataclasses.field, as in Flet's own actions
    files: list[ft.ShareFile] = action_field()  # noqa: RUF009

    def __post_init__(self) -> None:
        args = {"files": self.files, "download_fallback_enabled": True, "mail_to_fallback_enabled": False}
        self._bind(self.share, "share_files", args)


@dataclass(frozen=True)
class MadeFile:
    data: bytes
    name: str
    made_at: datetime


class Exports:
    """The files of one session, and the card that saves or shares them."""

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
        self.made: dict[str, MadeFile] = {}  # files made for the share sheet, by format, until the screen is left
        self._file_picker: ft.FilePicker | None = None
        self._share: ft.Share | None = None
        self._slot = ft.Container()
        self._session_id = ""

    def file(self, session_id: str, fmt: str) -> tuple[bytes, str]:
        """The export's bytes and file name (``pdf``, ``csv``, ``ics`` of the session; ``json``: the backup)."""
        records = self.host.records
        if fmt == "json":
            return records.export_backup().encode("utf-8"), export_filename("json", today=self.host.now().astimezone(self.host.zone))
        report = records.report(session_id)
        check_in = CHECK_IN_AT if self.check_in_reminders else None
        return render(fmt, report, check_in=check_in, check_in_days=CHECK_IN_DAYS), export_filename(fmt, report)

    @property
    def shares(self) -> bool:
        return self.host.phone.facts.can_share_files

    def _file_or_toast(self, session_id: str, fmt: str) -> tuple[bytes, str] | None:
        try:
            return self.file(session_id, fmt)
        except PATIENT_ERRORS as exc:  # a file that cannot be made is a toast saying why
            self.host.toast(str(exc))
            return None

    async def save(self, session_id: str, fmt: str) -> None:
        """Make the file and save it where the patient chooses."""
        made = self._file_or_toast(session_id, fmt)
        if made is None:
            return
        data, name = made
        await self.save_file(name, data)
        if fmt == "json" and self.on_backup_saved is not None:
            await self.on_backup_saved()

    async def make(self, session_id: str, fmt: str) -> None:
        """Make the file the next tap shares (the first of the two taps); the card shows its share button."""
        made = self._file_or_toast(session_id, fmt)
        if made is not None:
            self.made[fmt] = MadeFile(*made, self.host.now())
            self._redraw()

    def forget(self) -> None:
        """Drop the files made for sharing (the screen was left: the diary may change before it is shown again)."""
        self.made.clear()

    async def _save_with_picker(self, name: str, data: bytes) -> None:
        self._file_picker = self._file_picker or ft.FilePicker()  # a service lives while it is referenced
        await self._file_picker.save_file(file_name=name, src_bytes=data)

    def _on_tap(self, fmt: str) -> Callable[[Any], Any]:
        async def handler(e: Any) -> None:
            if self.shares and fmt in SHARED:
                await self.make(self._session_id, fmt)
            else:
                await self.save(self._session_id, fmt)

        return handler

    def card(self, session_id: str) -> ft.Control:
        if session_id != self._session_id:  # the files made are of the session shown
            self.made.clear()
        self._session_id = session_id
        self._slot.content = self._card()
        return sem("exports", self._slot)

    def _redraw(self) -> None:
        self._slot.content = self._card()
        with contextlib.suppress(RuntimeError):  # not on a page (unit use)
            self._slot.update()

    def _share_button(self, fmt: str) -> list[ft.Control]:
        made = self.made.get(fmt)
        if made is None:
            return []
        mime, label = SHARED[fmt]
        self._share = self._share or ft.Share()  # a service lives while it is referenced
        action = ShareFiles(self._share, [ft.ShareFile.from_bytes(made.data, mime_type=mime, name=made.name)])
        when = made.made_at.astimezone(self.host.zone)
        return [
            sem(f"share-{fmt}", tall(ft.FilledButton(f"Share {label}", icon=ft.Icons.SHARE, action=action))),
            muted(f"{made.name} · {max(1, round(len(made.data) / 1024))} KB · made {when:%H:%M}", 12),
        ]

    def _card(self) -> ft.Control:
        def remind(e: Any) -> None:
            self.check_in_reminders = bool(e.control.value)

        reminders = ft.Switch(value=self.check_in_reminders, on_change=remind)
        shares = self.shares
        pdf, csv = ("Make PDF", "Make CSV") if shares else ("PDF report", "Diary (CSV)")
        words = ("Files are made on this device: make one, then share it with your clinic." if shares
                 else "Files are made on this device and saved where you choose.")
        return card(
            heading("Save a copy", 16),
            muted(words, 12),
            ft.Row(
                [
                    tall(ft.FilledTonalButton(pdf, icon=ft.Icons.PICTURE_AS_PDF, on_click=self._on_tap("pdf"))),
                    tall(ft.OutlinedButton(csv, icon=ft.Icons.TABLE_CHART, on_click=self._on_tap("csv"))),
                    tall(ft.OutlinedButton("Calendar (.ics)", icon=ft.Icons.EVENT, on_click=self._on_tap("ics"))),
                    tall(ft.OutlinedButton("Backup (JSON)", icon=ft.Icons.BACKUP, on_click=self._on_tap("json"))),
                ],
                wrap=True,
            ),
            *self._share_button("pdf"),
            *self._share_button("csv"),
            muted("The calendar holds when each restriction lifts and the follow-up; your phone's calendar can remind you.", 12),
            labelled_switch(reminders, f"Calendar: daily reminder at {CHECK_IN_AT:%H:%M}"),
        )
