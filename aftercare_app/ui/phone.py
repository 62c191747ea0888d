"""What the page knows of the phone the app runs on, and the two things it can do for the app there.

In the installable build the page tells the Python worker (site/web/python.js): whether this is an iPhone or iPad,
whether the app runs installed (from the Home Screen), whether the browser can share files (Web Share level 2,
``navigator.canShare({files})``) and whether it offered to install the app (Chromium's ``beforeinstallprompt``).
The served app knows none of this (:class:`NoPhone`): its files download, and there is nothing to install.

Installing and sharing must start within the patient's tap in the page. Sharing is a Flet client action performed
by the client itself (see :mod:`aftercare_app.ui.screens.exports`); installing is asked of the page by
:meth:`Phone.install`, which Chromium allows for a few seconds after the tap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["NoPhone", "Phone", "PhoneFacts", "install_hint"]


@dataclass(frozen=True)
class PhoneFacts:
    ios: bool = False  # an iPhone or iPad (every browser there is WebKit: no install prompt, Share → Add to Home Screen)
    installed: bool = False  # running from the Home Screen (display-mode standalone)
    can_share_files: bool = False
    can_install: bool = False  # the browser offered its install prompt


class Phone(Protocol):
    facts: PhoneFacts

    def install(self) -> None:
        """Ask the browser to show its install prompt (only when ``facts.can_install``)."""
        ...

    def on_change(self, callback: Callable[[PhoneFacts], None]) -> None:
        """Call ``callback`` with the new facts when the page learns something (the install prompt arrived)."""
        ...


class NoPhone:
    """A page that says nothing of its device: the served app, and tests."""

    def __init__(self, facts: PhoneFacts | None = None) -> None:
        self.facts = facts or PhoneFacts()
        self.install_asked = 0
        self._callbacks: list[Callable[[PhoneFacts], None]] = []

    def install(self) -> None:
        self.install_asked += 1

    def on_change(self, callback: Callable[[PhoneFacts], None]) -> None:
        self._callbacks.append(callback)

    def learn(self, facts: PhoneFacts) -> None:
        """What a page does when the browser tells it something (tests)."""
        self.facts = facts
        for callback in self._callbacks:
            callback(facts)


@dataclass(frozen=True)
class InstallHint:
    title: str
    lines: tuple[str, ...]
    button: str = ""  # "" when the patient installs from the browser's own menu


def install_hint(facts: PhoneFacts, *, onboarded: bool) -> InstallHint | None:
    """How to put the app on this phone's home screen, or None (installed already, or nothing to offer)."""
    if facts.installed:
        return None
    if facts.can_install:
        return InstallHint(
            "Install the app on this phone",
            ("It opens from your home screen like any app and works without a connection.",),
            "Install app",
        )
    if facts.ios:
        lines = (
            "1. Tap the Share button (the square with an arrow) in Safari's toolbar.",
            "2. Choose \"Add to Home Screen\", then Add.",
            "3. Open the app from your Home Screen.",
        )
        first = ("Do this before you start: what you enter here in Safari does not follow into the Home Screen app."
                 if not onboarded else
                 "Your diary here stays in Safari: save a backup in Settings and restore it in the Home Screen app.")
        return InstallHint("Add the app to your Home Screen", (first, *lines))
    return None
