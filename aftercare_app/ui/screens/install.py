"""The card that puts the app on the phone's home screen: Chromium's install prompt from a button, or the steps of
Safari's "Add to Home Screen" on an iPhone. Welcome shows it before the first session (data entered in a Safari
tab does not follow into the Home Screen app), Settings afterwards; it changes in place when the browser offers to
install, without redrawing the form around it."""

from __future__ import annotations

import contextlib
from typing import Any

import flet as ft

from aftercare_app.ui.host import Host
from aftercare_app.ui.phone import PhoneFacts, install_hint
from aftercare_app.ui.widgets import card, heading, muted, sem, tall

__all__ = ["InstallCard"]


class InstallCard:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.slot = ft.Container(visible=False)
        host.phone.on_change(self._changed)

    def control(self) -> ft.Control:
        """The card as the screen being built shows it (hidden when there is nothing to offer)."""
        self._fill()
        return self.slot

    def _fill(self) -> None:
        hint = install_hint(self.host.phone.facts, onboarded=self.host.records.has_session())
        self.slot.visible = hint is not None
        if hint is None:
            self.slot.content = None
            return
        controls: list[ft.Control] = [heading(hint.title, 16), *[muted(line) for line in hint.lines]]
        if hint.button:
            def install(e: Any) -> None:
                self.host.phone.install()

            controls.append(tall(ft.FilledButton(hint.button, icon=ft.Icons.INSTALL_MOBILE, on_click=install)))
        self.slot.content = sem("install", card(*controls))

    def _changed(self, facts: PhoneFacts) -> None:
        self._fill()
        with contextlib.suppress(RuntimeError):  # not on a page now (another screen shows): drawn when next shown
            self.slot.update()
