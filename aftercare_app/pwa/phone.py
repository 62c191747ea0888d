"""The page's facts about the phone, in the installable build's Python worker (see :mod:`aftercare_app.ui.phone`).

The page (site/web/python.js) sends them with the worker's start configuration and again whenever they change
(the browser offered its install prompt, or the patient answered it): they arrive as ``flet_js.device``, the
JavaScript module the worker registers for Flet, and ``flet_js.device_changed`` is called. The install prompt is
the page's to show: :meth:`BrowserPhone.install` posts ``aftercare:install`` to it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from aftercare_app.ui.phone import PhoneFacts

__all__ = ["BrowserPhone", "facts_from"]


def facts_from(device: object) -> PhoneFacts:
    """The facts in the page's ``device`` object (any object with those attributes; None: nothing known)."""
    if device is None:
        return PhoneFacts()

    def fact(name: str) -> bool:
        return getattr(device, name, False) is True

    return PhoneFacts(ios=fact("ios"), installed=fact("installed"), can_share_files=fact("canShareFiles"),
                      can_install=fact("canInstall"))


class BrowserPhone:
    """The phone as the page describes it; without the site's own worker (flet-web's), nothing is known."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[PhoneFacts], None]] = []
        self._module = None
        with contextlib.suppress(ImportError):
            import flet_js  # the worker's module for Flet (site/web/python-worker.js)

            self._module = flet_js
        self.facts = facts_from(getattr(self._module, "device", None))
        if self._module is not None:
            from pyodide.ffi import create_proxy

            self._proxy = create_proxy(self._changed)  # kept: the page calls it for the life of the page
            self._module.device_changed = self._proxy

    def install(self) -> None:
        import js

        js.postMessage("aftercare:install")  # from the worker to the page, which shows the browser's prompt

    def on_change(self, callback: Callable[[PhoneFacts], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self) -> None:
        # Called from the page's message, outside the app's tasks: let the event loop deliver it.
        asyncio.get_event_loop().call_soon(self._deliver)

    def _deliver(self) -> None:
        self.facts = facts_from(getattr(self._module, "device", None))
        for callback in self._callbacks:
            callback(self.facts)
