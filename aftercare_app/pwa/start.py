"""The app in the browser: the device's zone and persistent folder, the tabs that share it, then the app.

``build_site``'s default entry (``aftercare_app.pwa.start:main``). The persistent folder is loaded from IndexedDB
and the records are opened once the client has connected, while it draws its first frame (the site's worker
starts the client as soon as this module is imported: see aftercare_app/site/web/python.js). Everything the
in-browser app needs is passed into :func:`aftercare_app.ui.app.make_main` from here; the app itself reads no
environment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from aftercare_app.content import bundled_clinic
from aftercare_app.pwa import device
from aftercare_app.pwa.phone import BrowserPhone
from aftercare_app.services import CareRecords, system_clock
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.ui.app import make_main
from aftercare_app.ui.settings import DeviceSettings, FolderSettings
from aftercare_app.ui.tabs import SoloTab

__all__ = ["main", "prepare"]

_ready: list[Callable[[ft.Page], Awaitable[None]]] = []


async def prepare() -> None:
    """Mount and load the persistent folder, and open the records in it (once per page)."""
    if _ready:
        return
    here = await device.prepare()
    tabs = here.tabs or SoloTab()
    async with tabs.writing():  # opening may migrate or recover the stored data
        records = CareRecords(open_repository(FileTextStore(here.data_dir)), system_clock)

    settings = FolderSettings(here.data_dir.parent / "device-settings.json", tabs)  # beside the records' folder

    async def device_zone(_settings: DeviceSettings) -> str | None:
        return here.zone_name

    _ready.append(
        make_main(
            lambda: records,
            tabs_for=lambda _page: tabs,
            settings_for=lambda _page: settings,
            device_zone=device_zone,
            clinic=bundled_clinic(),  # a clinic's own build (pwa build --clinic)
            phone=BrowserPhone(),
        )
    )


async def main(page: ft.Page) -> None:
    await prepare()
    await _ready[0](page)
