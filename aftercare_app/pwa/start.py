"""The app in the browser: the device's zone and persistent folder, the tabs that share it, then the app.

``build_site``'s default entry (``aftercare_app.pwa.start:main``). Everything the in-browser app needs is passed
into :func:`aftercare_app.ui.app.make_main` from here; the app itself reads no environment.
"""

from __future__ import annotations

import flet as ft

from aftercare_app.pwa import device
from aftercare_app.services import CareRecords, system_clock
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.ui.app import make_main
from aftercare_app.ui.settings import BrowserPreferences, DeviceSettings
from aftercare_app.ui.tabs import SoloTab

__all__ = ["main"]


async def main(page: ft.Page) -> None:
    here = await device.prepare()

    async def device_zone(_settings: DeviceSettings) -> str | None:
        return here.zone_name

    app = make_main(
        lambda: CareRecords(open_repository(FileTextStore(here.data_dir)), system_clock),
        tabs_for=lambda _page: here.tabs or SoloTab(),
        settings_for=lambda _page: BrowserPreferences(ft.SharedPreferences()),
        device_zone=device_zone,
    )
    await app(page)
