"""What a screen may ask of the app around it, and what every screen is.

A screen gets a :class:`Host` and nothing else: the records (the one door to the patient's data), the clock and
the patient's zone, navigation, messages and dialogs, and ``writing()`` around every change of stored data (so
the app's other tabs learn of it). The app (:class:`aftercare_app.ui.app.AftercareApp`) is the host in use; the
tests give screens a small fake one, so a screen's actions are tested without a browser or Flet's control tree.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, Protocol

from aftercare_app.domain.clinic import Clinic, name_the_number
from aftercare_app.domain.records import InvalidRecord
from aftercare_app.exports import ExportUnavailable
from aftercare_app.services import CareError, CareRecords
from aftercare_app.storage.errors import StorageError
from aftercare_app.ui.phone import Phone

if TYPE_CHECKING:
    import flet as ft

__all__ = ["PATIENT_ERRORS", "Host", "Screen"]

#: Refusals whose message is written for the patient; any other error is a bug and is not shown as a message.
PATIENT_ERRORS = (InvalidRecord, CareError, StorageError, ExportUnavailable)


class Host(Protocol):
    records: CareRecords
    zone: tzinfo
    zone_name: str
    theme_name: str  # "system", "light" or "dark"
    clinic: Clinic | None  # the clinic this build was made for (pwa build --clinic), or None
    phone: Phone  # what the page knows of the device: sharing, installing (aftercare_app.ui.phone)

    def now(self) -> datetime: ...

    def go(self, route: str) -> None:
        """Show the screen of ``route`` (and put it in the address bar)."""
        ...

    def redraw(self) -> None:
        """Draw the current screen again from the records."""
        ...

    def toast(self, message: str) -> None: ...

    def show_dialog(self, dialog: ft.DialogControl) -> None: ...

    def close_dialog(self) -> None: ...

    def scroll_top(self) -> None: ...

    def writing(self) -> AbstractAsyncContextManager[None]:
        """Hold while changing stored data (see :mod:`aftercare_app.ui.tabs`)."""
        ...

    def set_theme(self, name: str) -> None:
        """Show the app in theme ``name`` and remember it on this device."""
        ...

    def forget_screens(self) -> None:
        """Drop what every screen holds (forms half filled, the last triage): after all data was deleted."""
        ...


class Screen:
    """One screen of the app: its route and title, what it draws, and the actions its controls call."""

    route: ClassVar[str]
    title: ClassVar[str]
    #: Drawn again when another tab changed the data; never for a screen holding a form being filled in.
    shows_data: ClassVar[bool] = False

    def __init__(self, host: Host) -> None:
        self.host = host

    @property
    def records(self) -> CareRecords:
        return self.host.records

    def advice(self, text: str) -> str:
        """Advice as this build words it: with the clinic's emergency number where it says to call one."""
        return name_the_number(text, self.host.clinic.emergency_number if self.host.clinic else "")

    def opened(self) -> None:
        """Called when the patient comes to this screen from another one."""

    def build(self) -> list[ft.Control]:
        raise NotImplementedError
