"""Assemble the installable, offline web app as a static site, from installed packages only.

The Flet web client prebuilt in the ``flet-web`` package (Flutter compiled to JavaScript, CanvasKit, a Pyodide
runtime) is copied without what this app never uses (:mod:`.client`); the app's Python code and its pure-Python
dependencies go into archives (:mod:`.archive`). The page, its configuration, the web manifest, the icons and a
service worker that precaches the whole site are written next to them; compressible files get ``.gz`` and ``.br``
siblings (:mod:`.compress`).

No Flutter SDK and no network: the only inputs are installed packages, ``assets/`` and (optionally) Noto fonts
for glyphs the bundled fonts lack (:mod:`.fonts`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aftercare_app.site import PROJECT_ROOT, BuildError
from aftercare_app.site.archive import DEFAULT_APP, ENTRY_MODULE, app_archives, project_dependencies
from aftercare_app.site.client import (
    CLIENT_FILES,
    LOADING_CSS,
    RIVE_CDN,
    RIVE_LOCAL,
    TEMPLATES,
    Branding,
    fill,
    flutter_bootstrap,
    font_manifest,
    web_manifest,
)
from aftercare_app.site.compress import precompress as precompress_files
from aftercare_app.site.fonts import NOTO_DIRS, fallback_fonts
from aftercare_app.ui.policy import content_security_policy

__all__ = ["Branding", "BuildResult", "build_site"]

_NOT_PRECACHED_PREFIXES = ("fonts/fallback/",)

_NOT_PRECACHED = {"sw.js"}

@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the folder, its version (content hash), and sizes in bytes."""

    out_dir: Path
    version: str
    precache: tuple[str, ...]
    total_bytes: int  # every file of the site, without the .gz/.br siblings
    precache_bytes: int  # what the service worker stores (= what a first visit downloads, uncompressed)
    precache_gzip_bytes: int
    precache_brotli_bytes: int
    disk_bytes: int  # everything on disk, precompressed siblings included
    fallback_fonts: tuple[str, ...] = field(default=())

def _safe_out_dir(out: Path) -> Path:
    out = out.resolve()
    if out == Path(out.anchor) or out == Path.home() or (out / ".git").exists() or out in PROJECT_ROOT.parents \
            or out == PROJECT_ROOT:
        raise BuildError(f"refusing to replace {out}: choose a build folder such as build/web")
    if out.exists() and any(out.iterdir()) and not (out / "sw.js").exists() and not (out / ".pwa-build").exists():
        raise BuildError(f"{out} is not empty and is not a previous build: refusing to replace it")
    return out

def build_site(
    out_dir: str | os.PathLike[str] = "build/web",
    *,
    app: str = DEFAULT_APP,
    sources: Sequence[str | os.PathLike[str]] | None = None,
    dependencies: Sequence[str] | None = None,
    assets_dir: str | os.PathLike[str] | None = None,
    branding: Branding | None = None,
    font_dirs: Sequence[Path] = NOTO_DIRS,
    precompress: bool = True,
    brotli_quality: int = 9,
    web_dir: str | os.PathLike[str] | None = None,
) -> BuildResult:
    """Write the static site to ``out_dir`` (replacing a previous build there) and return what was written.

    ``app`` is the entry (``module:function``) found in ``sources`` (folders or ``.py`` files placed at the root of
    the app archive; default: the ``aftercare_app`` package). ``dependencies`` are import names of installed
    pure-Python packages to ship (default: :func:`project_dependencies`). ``brotli_quality`` 11 saves a few percent more at several times the build time.
    """
    from flet_web import get_package_web_dir

    branding = branding or Branding()
    web = Path(web_dir or get_package_web_dir())
    out = _safe_out_dir(Path(out_dir))
    assets = Path(assets_dir) if assets_dir else PROJECT_ROOT / "assets"
    source_paths = [Path(s) for s in sources] if sources else [PROJECT_ROOT / "aftercare_app"]
    for source in source_paths:
        if not source.exists():
            raise BuildError(f"app source {source} does not exist")

    if dependencies is None:
        dependencies = project_dependencies()
    archives = app_archives(app, source_paths, dependencies)  # validates the entry before anything is deleted

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".pwa-build").write_text("a static build of the web app; replaced by every build\n", encoding="utf-8")

    def write(relative: str, data: bytes | str) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    for relative in CLIENT_FILES:
        source = web / relative
        if not source.is_file():
            raise BuildError(f"flet-web has no {relative}: unsupported flet-web version")
        if relative != "main.dart.js":
            write(relative, source.read_bytes())
    main_js = (web / "main.dart.js").read_text(encoding="utf-8")
    if RIVE_CDN not in main_js:
        raise BuildError("the web client's Rive runtime URL changed: check for new off-origin requests")
    write("main.dart.js", main_js.replace(RIVE_CDN, RIVE_LOCAL))
    write("flutter_bootstrap.js", flutter_bootstrap(web))
    write("assets/FontManifest.json", font_manifest(web))
    for relative, data in archives.items():
        write(relative, data)

    font_files, font_aliases = fallback_fonts(main_js, font_dirs)
    for relative, data in font_files.items():
        write(f"fonts/fallback/{relative}", data)
    write("fonts/fallback/aliases.json", json.dumps(font_aliases, indent=0, sort_keys=True))

    icons = assets / "icons"
    from aftercare_app.site.artwork import ICON_FILES

    for name in ICON_FILES:
        if not (icons / name).is_file():
            raise BuildError(f"missing icon {icons / name} (run python -m aftercare_app.site.artwork)")
        write(f"icons/{name}", (icons / name).read_bytes())
    write("favicon.png", (icons / "favicon.png").read_bytes())

    values = {
        "NAME": branding.name, "SHORT_NAME": branding.short_name, "DESCRIPTION": branding.description,
        "THEME_COLOR": branding.theme_color, "BACKGROUND_COLOR": branding.background_color,
        "CSP": content_security_policy(header=False), "ENTRY_MODULE": ENTRY_MODULE,
    }
    write("manifest.webmanifest", web_manifest(branding))
    write("index.html", fill((TEMPLATES / "index.html").read_text(encoding="utf-8"), values))
    write("loading.css", fill(LOADING_CSS, values))
    write("pwa.js", (TEMPLATES / "pwa.js").read_text(encoding="utf-8"))

    # The version is a hash of everything the worker will precache, so any change to the site gives a new cache.
    precache = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
        and not p.name.startswith(".") and p.relative_to(out).as_posix() not in _NOT_PRECACHED
        and not p.relative_to(out).as_posix().startswith(_NOT_PRECACHED_PREFIXES)
        and p.relative_to(out).as_posix() != "flet-config.js"
    )
    digest = hashlib.sha256()
    for relative in precache:
        digest.update(relative.encode() + b"\0" + hashlib.sha256((out / relative).read_bytes()).digest())
    version = digest.hexdigest()[:16]
    write("flet-config.js", fill((TEMPLATES / "flet-config.js").read_text(encoding="utf-8"),
                                  {**values, "VERSION": version}))
    precache = sorted([*precache, "flet-config.js"])
    write("sw.js", fill((TEMPLATES / "sw.js").read_text(encoding="utf-8"), {
        "VERSION": version,
        "PRECACHE": json.dumps(["./", *precache]),
        "FONT_ALIASES": json.dumps(font_aliases, sort_keys=True),
    }))

    all_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                       if p.is_file() and not p.name.startswith("."))
    if precompress:
        sizes = precompress_files(out, all_files, brotli_quality)
    else:
        sizes = {f: ((out / f).stat().st_size,) * 2 for f in all_files}
    total = sum((out / f).stat().st_size for f in all_files)
    precache_bytes = sum((out / f).stat().st_size for f in precache)
    return BuildResult(
        out_dir=out,
        version=version,
        precache=tuple(precache),
        total_bytes=total,
        precache_bytes=precache_bytes,
        precache_gzip_bytes=sum(sizes[f][0] for f in precache),
        precache_brotli_bytes=sum(sizes[f][1] for f in precache),
        disk_bytes=sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
        fallback_fonts=tuple(sorted(font_files)),
    )
