"""What the app learns from the device it runs on: the patient's timezone, and where it can keep data.

In the in-browser build Python runs in a Web Worker (Pyodide). Its C library clock knows no zone names, so the zone
comes from the browser (``Intl.DateTimeFormat().resolvedOptions().timeZone``, readable from the worker through
Pyodide's ``js`` module) and is turned into a :class:`zoneinfo.ZoneInfo` from the shipped ``tzdata``. Elsewhere the
same functions take the zone the caller read (tests), so they can be called everywhere.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aftercare_app.pwa.browser_store import BROWSER_DATA_DIR, BrowserTabs, open_browser_store, open_browser_tabs

__all__ = ["Device", "device_timezone", "device_timezone_name", "first_screen_shown", "in_browser", "prepare"]


def in_browser() -> bool:
    """True inside the in-browser (Pyodide) build."""
    return sys.platform == "emscripten"


def _browser_zone_name() -> str | None:
    try:
        import js  # Pyodide's bridge to the worker's JavaScript globals

        name = js.Intl.DateTimeFormat.new().resolvedOptions().timeZone
    except Exception:  # noqa: BLE001 - any failure here means "unknown", never a crash at start-up
        return None
    return str(name) if name else None


def device_timezone_name(fallback: str | None = None) -> str | None:
    """The IANA name of the device's zone (e.g. ``"Europe/Paris"``): the browser's in the in-browser build,
    ``fallback`` elsewhere; None when it names no zone."""
    name = _browser_zone_name() if in_browser() else fallback
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def device_timezone(fallback: str | None = None) -> tzinfo:
    """The device's zone as a tzinfo; the fixed local offset, or UTC, when it has no IANA name."""
    name = device_timezone_name(fallback)
    if name:
        return ZoneInfo(name)
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else ZoneInfo("UTC")


@dataclass(frozen=True)
class Device:
    """What the app learns from the device before its first frame."""

    zone_name: str | None  # the device's IANA zone, when it names one
    data_dir: Path  # where the app's files persist
    tabs: BrowserTabs | None  # how this tab shares them with the app's other tabs (None outside a browser)


async def prepare(fallback_dir: str | os.PathLike[str] = BROWSER_DATA_DIR) -> Device:
    """Get the device ready before the app's first frame: in the browser, mount and load the persistent folder
    (:func:`~aftercare_app.pwa.browser_store.open_browser_store`, once per page); elsewhere use ``fallback_dir``."""
    if in_browser():
        await open_browser_store()
        data_dir = Path(BROWSER_DATA_DIR)
    else:
        data_dir = Path(fallback_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return Device(device_timezone_name(), data_dir, open_browser_tabs())


def first_screen_shown(seconds: float) -> None:
    """Tell the page that the app has sent its first screen, ``seconds`` after the client connected, so its start
    screen can give way (see the site's python.js); nothing to tell outside a browser."""
    if in_browser():
        import js

        js.console.debug(f"[python] first screen sent {seconds * 1000:.0f} ms after the client connected")
        js.postMessage("aftercare:shown")  # from the worker, to the page that started it
