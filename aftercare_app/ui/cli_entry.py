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
    parser.add_argument("--host", default=os.environ.get("AFTERCARE_HOST", "127.0.0.1"), help="address to bind (default 127.0.0.1: this device only)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("AFTERCARE_PORT", "8550")))
    parser.add_argument("--no-browser", action="store_true", help="don't open a browser")
    args = parser.parse_args(argv)

    from aftercare_app.ui.app import main
    from aftercare_app.ui.server import serve

    serve(main, host=args.host, port=args.port, open_browser=not args.no_browser and _has_browser())
