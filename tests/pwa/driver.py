"""Driving the built app in Chromium: wait until it is interactive, read its text through Flutter's accessibility
tree, and inspect the service worker and its caches. Shared by the tests and bench/phone.py."""

from __future__ import annotations

import time
from pathlib import Path

from tests.pwa.phone import tap_placeholder

FAILURE_SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pwa"

HAS_TEXT = """(text) => [...document.querySelectorAll('flt-semantics')].some(
  (node) => (node.getAttribute('aria-label') || '').includes(text) || (node.textContent || '').includes(text))"""

WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return {
    controlled: !!navigator.serviceWorker.controller,
    active: !!(registration && registration.active),
    caches: await caches.keys(),
    version: flet.buildVersion,
  };
}"""


def wait_for_text(page, text: str, timeout_ms: int = 120_000) -> None:
    """Wait until a semantics node whose label or text contains ``text`` is in the page.

    Flutter builds its accessibility tree only after its hidden placeholder is activated; the placeholder appears
    with the engine and goes away once activated (and again after every reload), so keep activating it while waiting.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            enable_semantics(page)
            if page.evaluate(HAS_TEXT, text):
                return
        except Exception:  # the page is navigating: its execution context went away
            pass
        if time.monotonic() > deadline:
            shot = FAILURE_SHOTS / f"no-{''.join(c if c.isalnum() else '-' for c in text)[:40]}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
            raise TimeoutError(f"no {text!r} on screen after {timeout_ms} ms (see {shot}); seen: {text_values(page)}")
        page.wait_for_timeout(100)


def enable_semantics(page) -> None:
    """Tap Flutter's accessibility placeholder if it is there (a phone's engine answers a tap, not a click; see
    tests/pwa/phone.py)."""
    if page.locator("flt-semantics-placeholder").count():
        tap_placeholder(page, timeout_ms=2_000)


def open_app(page, url: str, ready_text: str, timeout_ms: int = 120_000) -> float:
    """Navigate (or reload when ``url`` is None) and return the seconds until ``ready_text`` is on screen."""
    start = time.perf_counter()
    if url is None:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    wait_for_text(page, ready_text, timeout_ms)
    return time.perf_counter() - start


def wait_for_offline_ready(page, timeout_ms: int = 120_000) -> dict:
    """Wait until this build's service worker controls the page and its precache exists; return the state."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = page.evaluate(WORKER_STATE)
        if state["controlled"] and f"aftercare-{state['version']}" in state["caches"]:
            return state
        if time.monotonic() > deadline:
            raise TimeoutError(f"service worker not ready: {state}")
        page.wait_for_timeout(250)


def text_values(page) -> list[str]:
    """Every text Flutter's accessibility tree exposes, for messages when an assertion fails."""
    return page.locator("flt-semantics").evaluate_all(
        "nodes => nodes.map(n => (n.getAttribute('aria-label') || n.textContent || '').trim()).filter(Boolean)"
    )
