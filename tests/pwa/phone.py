"""An emulated mid-range phone for the offline app's browser tests and bench/phone.py.

Chromium with a phone's screen (412x915 CSS px at 2.625 device pixels per px), touch, ``is_mobile`` and an Android
user agent, as Lighthouse's mobile profile; for speed figures the page's CPU is slowed 4x with the DevTools command
``Emulation.setCPUThrottlingRate``. Chromium applies that command to pages only ("Operation is only supported for
pages, not workers", seen on this machine): the Python worker runs at the machine's full speed, the Flutter client
on the page's main thread at a quarter of it.

In phone mode Flutter's engine switches its accessibility tree on when its hidden placeholder is *tapped*; a click
does nothing there.
"""

from __future__ import annotations

from typing import Any

ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
PHONE_VIEWPORT = {"width": 412, "height": 915}
CPU_SLOWDOWN = 4


def phone_options(user_agent: str = ANDROID_UA, **extra: Any) -> dict[str, Any]:
    """Keyword arguments for ``browser.new_context`` / ``launch_persistent_context`` that make a phone."""
    return {
        "viewport": PHONE_VIEWPORT,
        "device_scale_factor": 2.625,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": user_agent,
        **extra,
    }


def slow_cpu(context: Any, page: Any, rate: float = CPU_SLOWDOWN) -> Any:
    """Slow the page's main thread ``rate`` times (1: full speed); returns the DevTools session."""
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return session


def tap_semantics_on(page: Any, timeout_ms: int = 120_000) -> None:
    """Wait for Flutter's accessibility placeholder and tap it, as a screen reader user's first touch would, until
    the engine takes it away (a page kept busy by a slowed CPU may let a tap time out before it lands).

    Under an iPhone's user agent the engine takes the page for iOS: its placeholder then sits off-screen at
    (-1, -1), where no tap lands, and it is switched on by the click event a screen reader's activation sends."""
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=timeout_ms)
    for _ in range(20):
        tap_placeholder(page)
        page.wait_for_timeout(250)
        if not placeholder.count():
            return
    raise TimeoutError("Flutter's accessibility placeholder stayed after 20 taps")


def tap_placeholder(page: Any, timeout_ms: int = 5_000) -> None:
    """One tap on Flutter's accessibility placeholder, or the click a screen reader's activation sends where the tap
    cannot land (a page without touch, iOS's off-screen placeholder, the placeholder gone meanwhile)."""
    from playwright.sync_api import Error

    try:
        page.locator("flt-semantics-placeholder").first.tap(force=True, timeout=timeout_ms)
    except Error:
        page.evaluate(CLICK_PLACEHOLDER)


CLICK_PLACEHOLDER = "() => { const p = document.querySelector('flt-semantics-placeholder'); if (p) p.click(); }"
