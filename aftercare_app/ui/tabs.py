"""The other tabs (or windows) showing the same patient's data, and how a change reaches them.

Every screen that changes stored data does so inside ``async with tabs.writing():``, and every screen asks
``tabs.watch(redraw)`` to be told when another tab changed it. What that means depends on where the app runs:

* :class:`ServedTabs`: the app served by one Python process (``python main.py``). All tabs share one repository,
  whose lock already serialises their writes; after a write the other tabs' sessions are told through Flet's
  pub/sub so they redraw what they show.
* :class:`aftercare_app.pwa.browser_store.BrowserTabs`: the in-browser build, where every tab runs its own Python
  with its own in-memory copy of the files. There ``writing`` holds a lock shared by the browser's tabs, loads the
  latest files from IndexedDB before the change and saves them back before letting go, so no tab writes over a
  change it has not seen.
* :class:`SoloTab`: nothing to coordinate (unit use, benchmarks).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

__all__ = ["ServedTabs", "SoloTab", "TabSync"]

CHANGED_TOPIC = "aftercare.store-changed"


class TabSync(Protocol):
    def writing(self) -> AbstractAsyncContextManager[None]:
        """Hold while changing stored data; other tabs learn of the change once the block succeeds."""
        ...

    def watch(self, redraw: Callable[[], None]) -> None:
        """Call ``redraw`` after another tab changed stored data (with this tab's copy already up to date)."""
        ...


class SoloTab:
    """One view of the data and nobody to tell."""

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        yield

    def watch(self, redraw: Callable[[], None]) -> None:
        return None


class ServedTabs:
    """The sessions of one served app: writes are already serialised by the shared repository's lock."""

    def __init__(self, page: Any) -> None:
        self.page = page

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        yield
        self.page.pubsub.send_others_on_topic(CHANGED_TOPIC, "")

    def watch(self, redraw: Callable[[], None]) -> None:
        async def changed(_topic: str, _message: object) -> None:  # async: run on the app's loop, not a thread
            redraw()

        self.page.pubsub.subscribe_topic(CHANGED_TOPIC, changed)
