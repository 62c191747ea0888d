"""Command-line start of the served app (what ``python main.py`` runs)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

__all__ = ["run"]


def _has_browser() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return any(shutil.which(b) for b in ("xdg-open", "chromium", "firefox", "google-chrome"))
    return False


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="main.py", description="Serve the Aftercare Companion in your browser.")
    parser.add_argument("--host", default=os.environ.get("AFTERCARE_HOST", "127.0.0.1"), help="address to bind (default 127.0.0.1: this device only; any other serves the network and asks an access key)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("AFTERCARE_PORT", "8550")))
    parser.add_argument("--no-browser", action="store_true", help="don't open a browser")
    args = parser.parse_args(argv)

    from aftercare_app.ui.access import app_urls, needs_key, new_access_key

    key = None
    if needs_key(args.host):
        key = new_access_key()
        _warn_network(args.host, app_urls(args.host, args.port, key)[0])

    from aftercare_app.ui.app import main
    from aftercare_app.ui.server import serve

    serve(main, host=args.host, port=args.port, open_browser=not args.no_browser and _has_browser(), access_key=key)


def _warn_network(host: str, url: str) -> None:
    """Say that the diary is open to the network, and show the URL with the key as a QR code for a phone."""
    print(
        f"WARNING: --host {host} serves this patient's recovery diary to other devices on the network.\n"
        "Only a browser given the access key in the URL below can open it; anyone who sees that URL or this QR\n"
        "code can read and change the diary. The connection is plain HTTP, not encrypted: use it only on a network\n"
        "you trust, and stop the app (Ctrl+C) when done. The key changes at every start.",
        file=sys.stderr,
        flush=True,
    )
    _print_qr(url)


def _print_qr(url: str) -> None:
    try:
        import segno
    except ImportError:  # the URL printed next is enough to open the app
        return
    qr = segno.make(url, error="m")
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u2580\u2584\u2588".encode(encoding)
        compact = True
    except (LookupError, UnicodeEncodeError):  # no block characters: segno draws with terminal colours instead
        compact = False
    qr.terminal(out=sys.stdout, compact=compact)
    sys.stdout.flush()
