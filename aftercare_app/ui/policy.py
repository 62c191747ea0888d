"""The one Content-Security-Policy of the app, served (``main.py``) and static (the offline build): every request
stays on the page's own origin, and no script runs that the app did not ship.

No 'unsafe-inline' and no 'unsafe-eval' for scripts: 'wasm-unsafe-eval' lets CanvasKit and Pyodide compile
WebAssembly; the served page's own inline scripts (Flet's client configuration, the timezone probe) are allowed one
by one, by the hash of their exact text, in the header sent with that page; the static page has none.
Styles keep 'unsafe-inline': Flutter's web engine writes its global stylesheets as text into <style> elements it
creates at start-up ("flt-text-editing-stylesheet", "flt-internals-stylesheet"; the text differs by browser: tap
highlight on WebKit, autofill overlay on Blink and WebKit). The engine can only mark them with a nonce from its
configuration, which Flet's flutter_bootstrap.js does not pass, so "style-src 'self'" blocks both (checked in
Chromium). Inline CSS runs no script, and img-src, font-src and connect-src keep it from reaching any other host.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DIRECTIVES", "content_security_policy"]

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self' blob:"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data: blob:"),
    ("connect-src", "'self'"),
    ("media-src", "'self' data: blob:"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),  # only honoured in a header, and not allowed in a <meta> policy
)


def content_security_policy(*, connect: Iterable[str] = (), scripts: Iterable[str] = (), header: bool = True) -> str:
    """The policy: ``connect`` adds origins to connect-src (the served app's websocket, ``ws://host``), ``scripts``
    adds sources to script-src (the hashes of a served page's inline scripts); ``header=False`` gives the form a
    ``<meta http-equiv>`` may carry."""
    extra = {"connect-src": list(connect), "script-src": list(scripts)}
    return "; ".join(
        " ".join([name, value, *extra.get(name, [])])
        for name, value in DIRECTIVES
        if header or name != "frame-ancestors"
    )
