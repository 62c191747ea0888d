"""``pwa``: build the installable offline web app and serve it locally."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from aftercare_app.commands import UsageError

if TYPE_CHECKING:
    from aftercare_app.domain.clinic import Clinic

DEFAULT_APP = "aftercare_app.pwa.start:main"  # aftercare_app.site.archive.DEFAULT_APP, without importing the build


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


MAX_CLINIC_FILE_BYTES = 64 * 1024


def read_clinic_file(path: str) -> Clinic:
    """The clinic of ``--clinic FILE``; UsageError (one line, naming the key at fault) when it cannot be used."""
    from aftercare_app.domain.clinic import ClinicFileError, parse_clinic

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CLINIC_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"clinic file: cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_CLINIC_FILE_BYTES:
        raise UsageError(f"clinic file: {path} is larger than 64 KB; a clinic file is a few lines of JSON")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"clinic file: {path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"clinic file: {path} is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    try:
        return parse_clinic(document)
    except ClinicFileError as exc:
        raise UsageError(str(exc)) from None


def _build(args: argparse.Namespace) -> int:
    from aftercare_app.site import BuildError
    from aftercare_app.site.build import build_site
    from aftercare_app.site.deploy import site_url, write_qr

    clinic = read_clinic_file(args.clinic) if args.clinic else None
    try:
        url = site_url(args.url) if args.url else None
        result = build_site(args.out, app=args.app, brotli_quality=args.brotli_quality,
                            precompress=not args.no_compress, clinic=clinic)
        qr = write_qr(url, result.out_dir) if url else ()
    except BuildError as exc:
        raise UsageError(str(exc)) from None
    print(f"Built {result.out_dir} (version {result.version})" + (f" for {clinic.name}" if clinic else ""))
    print(f"  site files: {_mb(result.total_bytes)}; first visit downloads {len(result.precache)} files, "
          f"{_mb(result.precache_bytes)} ({_mb(result.precache_gzip_bytes)} gzip, "
          f"{_mb(result.precache_brotli_bytes)} brotli)")
    print(f"  on disk with precompressed copies: {_mb(result.disk_bytes)}")
    for note in result.notes:
        print(f"  note: {note}")
    if qr:
        print(f"  QR code of {url}: {qr[0]} and {qr[1]}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from aftercare_app.site import BuildError
    from aftercare_app.site.deploy import check_site

    try:
        check = check_site(args.url, args.dir)
    except BuildError as exc:
        raise UsageError(str(exc)) from None
    for problem in check.problems:
        print(f"  {problem}")
    if check.ok:
        print(f"{check.url} serves all {check.checked} files of {args.dir}, each with the type browsers need")
        return 0
    print(f"{check.url}: {len(check.problems)} of {check.checked} files are not served as built")
    return 1


def _serve(args: argparse.Namespace) -> int:
    from aftercare_app.site.server import serve_forever

    if not 0 <= args.port <= 65535:
        raise UsageError(f"port must be between 0 and 65535, got {args.port}")
    if not (Path(args.dir) / "index.html").is_file():
        raise UsageError(f"{args.dir} has no index.html: run 'python -m aftercare_app pwa build' first")
    try:
        serve_forever(args.dir, args.host, args.port)
    except OSError as exc:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("pwa", help="build and serve the installable offline web app")
    commands = group.add_subparsers(dest="pwa_command", required=True)

    build = commands.add_parser("build", help="write the static site (no network, no Flutter SDK)")
    build.add_argument("--out", default="build/web", help="output folder (default: build/web)")
    build.add_argument("--app", default=DEFAULT_APP, help=f"entry as package.module:function (default: {DEFAULT_APP})")
    build.add_argument("--brotli-quality", type=int, default=11, choices=range(12), metavar="0-11",
                       help="brotli level of the precompressed copies (default: 11)")
    build.add_argument("--no-compress", action="store_true", help="skip the precompressed .gz/.br copies")
    build.add_argument("--clinic", metavar="FILE",
                       help="JSON file of the clinic the build is for: name, phone, emergency_number, and optionally "
                            "after_hours_phone and follow_up_days (1-90, default 14)")
    build.add_argument("--url", help="https:// address the site will be served at: writes qr.png and qr.svg of it")
    build.set_defaults(handler=_build)

    check = commands.add_parser("check", help="check that a deployed site serves every file of the build")
    check.add_argument("url", help="address the site is served at (https://, or http://localhost)")
    check.add_argument("--dir", default="build/web", help="the build that was deployed (default: build/web)")
    check.set_defaults(handler=_check)

    serve = commands.add_parser("serve", help="serve the build on this machine")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--dir", default="build/web", help="folder to serve (default: build/web)")
    serve.set_defaults(handler=_serve)
