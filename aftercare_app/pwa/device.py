"""What the app learns from the device it runs on: the patient's timezone, and where it can keep data.

In the in-browser build Python runs in a Web Worker (Pyodide). Its C library clock knows no zone names, so the zone
comes from the browser (``Intl.DateTimeFormat().resolvedOptions().timeZone``, readable from the worker through
Pyodide's ``js`` module) and is turned into a :class:`zoneinfo.ZoneInfo` from the shipped ``tzdata``. On a desktop
or a server the same functions read the operating system's zone, so the UI can call them everywhere.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["device_timezone", "device_timezone_name", "in_browser", "prepare"]


def in_browser() -> bool:
    """True inside the in-browser (Pyodide) build."""
    return sys.platform == "emscripten"


def _browser_zone_name() -> str | None:
    try:
        import js  # type: ignore[import-not-found]  # Pyodide's bridge to the worker's JavaScript globals

        name = js.Intl.DateTimeFormat.new().resolvedOptions().timeZone
    except Exception:  # noqa: BLE001 - any failure here means "unknown", never a crash at start-up
        return None
    return str(name) if name else None


def _system_zone_name() -> str | None:
    name = os.environ.get("TZ", "").lstrip(":")
    if name and "/" in name:
        return name
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        return link.split("zoneinfo/", 1)[1]
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def device_timezone_name() -> str | None:
    """The IANA name of the device's zone (e.g. ``"Europe/Paris"``), or None when the device does not say."""
    name = _browser_zone_name() if in_browser() else _system_zone_name()
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def device_timezone() -> tzinfo:
    """The device's zone as a tzinfo; the fixed local offset, or UTC, when it has no IANA name."""
    name = device_timezone_name()
    if name:
        return ZoneInfo(name)
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else ZoneInfo("UTC")


_prepared = False


async def prepare() -> None:
    """Get the runtime ready before the app's first frame. Idempotent.

    Sets ``TZ`` to the device zone (so code that reads the environment agrees with :func:`device_timezone`); in the
    browser, mounts and loads the persistent folder and points ``AFTERCARE_DATA_DIR`` into it (unless already set),
    so the app's ordinary file storage persists in IndexedDB."""
    global _prepared
    if _prepared:
        return
    name = device_timezone_name()
    if name:
        os.environ["TZ"] = name
    if in_browser():
        from aftercare_app.pwa.browser_store import BROWSER_DATA_DIR, open_browser_store

        await open_browser_store()
        os.makedirs(BROWSER_DATA_DIR, exist_ok=True)
        os.environ.setdefault("AFTERCARE_DATA_DIR", BROWSER_DATA_DIR)
    _prepared = True
