"""Command-line start of the served app (what ``python main.py`` runs)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["run", "served_main"]


def _has_browser(env: Mapping[str, str]) -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return any(shutil.which(b) for b in ("xdg-open", "chromium", "firefox", "google-chrome"))
    return False


def served_main(data_dir: Path, fallback_zone: str | None) -> Callable[[Any], Awaitable[None]]:
    """``main(page)`` of the served app: one store in ``data_dir`` shared by every tab of every browser it serves;
    the browser's zone (written into the page by :func:`aftercare_app.ui.server.patch_index`) first."""
    import flet as ft

    from aftercare_app.services import CareRecords, system_clock
    from aftercare_app.storage import FileTextStore, open_repository
    from aftercare_app.ui.app import make_main
    from aftercare_app.ui.settings import BrowserPreferences, DeviceSettings
    from aftercare_app.ui.tabs import ServedTabs

    shared: list[CareRecords] = []

    def open_records() -> CareRecords:
        if not shared:  # every tab uses the one store; its file lock already guards opening
            shared.append(CareRecords(open_repository(FileTextStore(data_dir)), system_clock))
        return shared[0]

    async def browser_zone(settings: DeviceSettings) -> str | None:
        return await settings.recall("device_timezone")

    return make_main(
        open_records,
        tabs_for=ServedTabs,
        settings_for=lambda page: BrowserPreferences(ft.SharedPreferences()),
        device_zone=browser_zone,
        fallback_zone=fallback_zone,
    )


def run(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> None:
    """Parse the options, settle the data folder and the machine's zone from ``environ`` (the process's by
    default), and serve."""
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="main.py", description="Serve the Aftercare Companion in your browser.")
    parser.add_argument("--host", default=env.get("AFTERCARE_HOST", "127.0.0.1"), help="address to bind (default 127.0.0.1: this device only; any other serves the network and asks an access key)")
    parser.add_argument("--port", type=int, default=int(env.get("AFTERCARE_PORT", "8550")))
    parser.add_argument("--no-browser", action="store_true", help="don't open a browser")
    args = parser.parse_args(argv)

    from aftercare_app.storage.files import default_data_dir
    from aftercare_app.ui.access import app_urls, needs_key, new_access_key

    key = None
    if needs_key(args.host):
        key = new_access_key()
        _warn_network(args.host, app_urls(args.host, args.port, key)[0])

    from aftercare_app.ui.server import serve
    from aftercare_app.ui.zones import system_zone_name

    main = served_main(default_data_dir(env), env.get("TZ", "").lstrip(":") or system_zone_name())
    serve(main, host=args.host, port=args.port, open_browser=not args.no_browser and _has_browser(env), access_key=key)


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
