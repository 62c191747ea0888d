"""``pwa``: build the installable offline web app and serve it locally."""

from __future__ import annotations

import argparse
from pathlib import Path

from aftercare_app.commands import UsageError

DEFAULT_APP = "aftercare_app.pwa.start:main"  # aftercare_app.site.archive.DEFAULT_APP, without importing the build


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _build(args: argparse.Namespace) -> int:
    from aftercare_app.site import BuildError
    from aftercare_app.site.build import build_site

    try:
        result = build_site(args.out, app=args.app, brotli_quality=args.brotli_quality,
                            precompress=not args.no_compress)
    except BuildError as exc:
        raise UsageError(str(exc)) from None
    print(f"Built {result.out_dir} (version {result.version})")
    print(f"  site files: {_mb(result.total_bytes)}; first visit downloads {len(result.precache)} files, "
          f"{_mb(result.precache_bytes)} ({_mb(result.precache_gzip_bytes)} gzip, "
          f"{_mb(result.precache_brotli_bytes)} brotli)")
    print(f"  on disk with precompressed copies: {_mb(result.disk_bytes)}")
    return 0


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
    build.set_defaults(handler=_build)

    serve = commands.add_parser("serve", help="serve the build on this machine")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--dir", default="build/web", help="folder to serve (default: build/web)")
    serve.set_defaults(handler=_serve)
