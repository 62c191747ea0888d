"""Whether the browser keeps the installable app's data for good, read from the Python worker.

Browsers may evict a site's storage (the IndexedDB holding the diary, see :mod:`aftercare_app.pwa.browser_store`)
under storage pressure unless it is persistent. ``navigator.storage.persisted()`` and ``estimate()`` are exposed to
workers and say how things stand; ``persist()``, which asks, is exposed to windows only, so the page's script asks
(on the first save, as browsers advise, not at load) and this module only reads the answer.
"""

from __future__ import annotations

import contextlib
import re
import sys

from aftercare_app.ui.presenters.backup import StoragePlace

__all__ = ["browser_storage_place", "is_safari"]

_APPLE_MOBILE = re.compile(r"iPhone|iPad|iPod")
_NOT_SAFARI = re.compile(r"Chrome|Chromium|CriOS|FxiOS|Firefox|Edg|OPR|Android")


def is_safari(user_agent: str) -> bool:
    """Safari, or any browser of an iPhone or iPad (all of them are WebKit, with Safari's storage rules)."""
    if _APPLE_MOBILE.search(user_agent):
        return True
    return "Safari/" in user_agent and "Macintosh" in user_agent and not _NOT_SAFARI.search(user_agent)


async def browser_storage_place() -> StoragePlace:
    """How this browser keeps the app's data; what it does not say stays unknown (never an error)."""
    if sys.platform != "emscripten":
        return StoragePlace("unknown")
    import js  # Pyodide's bridge to the worker's JavaScript globals

    navigator = js.navigator
    storage = getattr(navigator, "storage", None)
    persisted: bool | None = None
    usage: int | None = None
    if storage is not None:
        with contextlib.suppress(Exception):  # an engine without it, or a private window refusing it
            persisted = bool(await storage.persisted())
        with contextlib.suppress(Exception):
            estimate = await storage.estimate()
            usage = int(estimate.usage)
    agent = ""
    with contextlib.suppress(Exception):
        agent = str(navigator.userAgent)
    return StoragePlace("browser", persisted=persisted, usage=usage, safari=is_safari(agent))
