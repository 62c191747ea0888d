"""The patient's time zone by IANA name: the first candidate that names one (the device's, the profile's, the
machine's), else UTC."""

from __future__ import annotations

import os
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["resolve_zone", "system_zone_name"]


def resolve_zone(*candidates: str | None) -> tuple[str, tzinfo]:
    """The first candidate that names a real IANA zone, and the zone; ``("UTC", UTC)`` when none does."""
    for name in candidates:
        if not name:
            continue
        try:
            return name, ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return "UTC", UTC


def system_zone_name() -> str | None:
    """The IANA name of this machine's zone (``/etc/localtime`` or ``/etc/timezone``), when it has one."""
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
