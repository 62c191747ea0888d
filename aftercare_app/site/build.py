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
import html
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from aftercare_app.domain.clinic import Clinic
from aftercare_app.site import PROJECT_ROOT, BuildError
from aftercare_app.site.archive import (
    DEFAULT_APP,
    ENTRY_MODULE,
    ON_DEMAND_GROUPS,
    Member,
    collect,
    compiled_entry,
    project_dependencies,
    stock_archives,
)
from aftercare_app.site.bytecode import node_executable
from aftercare_app.site.client import (
    CHROMIUM_CANVASKIT,
    CLIENT_FILES,
    FULL_CANVASKIT,
    LOADING_CSS,
    OWN_WORKER,
    STOCK_FILES,
    TEMPLATES,
    Branding,
    fill,
    flutter_bootstrap,
    font_manifest,
    web_client,
    web_manifest,
)
from aftercare_app.site.compiled import APP_ZIP, REST, STDLIB_ZIP, compiled_archives
from aftercare_app.site.compress import precompress as precompress_files
from aftercare_app.site.fonts import fallback_fonts, font_folders
from aftercare_app.site.icons import icon_names, material_icons_subset
from aftercare_app.ui.policy import content_security_policy

__all__ = ["Branding", "BuildResult", "build_site"]

_NOT_PRECACHED_PREFIXES = ("fonts/fallback/",)

_NOT_PRECACHED = {"sw.js", "qr.png", "qr.svg"}  # the QR codes of the site's address are for the clinic
#: Where the clinic's build puts its clinic (read by :func:`aftercare_app.content.bundled_clinic`).
CLINIC_FILE = "aftercare_app/content/clinic.json"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the folder, its version (content hash), and sizes in bytes."""

    out_dir: Path
    version: str
    precache: tuple[str, ...]
    total_bytes: int  # every file of the site, without the .gz/.br siblings
    precache_bytes: int  # what a first visit downloads for offline use on a Chromium phone, uncompressed
    precache_gzip_bytes: int
    precache_brotli_bytes: int
    disk_bytes: int  # everything on disk, precompressed siblings included
    fallback_fonts: tuple[str, ...] = field(default=())
    compiled: bool = False  # the site's own worker and precompiled Python (else flet-web's worker, sources)
    notes: tuple[str, ...] = ()  # what the build could not do, in words for the person building


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
    font_dirs: Sequence[Path] | None = None,
    precompress: bool = True,
    brotli_quality: int = 11,
    web_dir: str | os.PathLike[str] | None = None,
    stock: bool = False,
    clinic: Clinic | None = None,
) -> BuildResult:
    """Write the static site to ``out_dir`` (replacing a previous build there) and return what was written.

    ``app`` is the entry (``module:function``) found in ``sources`` (folders or ``.py`` files placed at an import
    root; default: the ``aftercare_app`` package). ``dependencies`` are import names of installed pure-Python
    packages to ship (default: :func:`project_dependencies`). ``brotli_quality`` 11 (the default) makes the first
    visit 1.5 MB lighter than 9, for a minute more of build; tests build with 5. ``stock`` builds the site as flet-web's own worker runs it (sources unpacked at
    every start, the standard library compiled at every start): the benchmarks' baseline. Without Node.js the
    build is stock too, and its ``notes`` say so. ``clinic`` makes the clinic's own build: its name on the page and
    the manifest, and the app it ships (:data:`CLINIC_FILE`) fills in its phone and names its emergency number.
    """
    from flet_web import get_package_web_dir

    branding = branding or Branding()
    if clinic is not None:
        branding = replace(branding, name=f"{branding.short_name} · {clinic.name}")
    web = Path(web_dir or get_package_web_dir())
    out = _safe_out_dir(Path(out_dir))
    assets = Path(assets_dir) if assets_dir else PROJECT_ROOT / "assets"
    source_paths = [Path(s) for s in sources] if sources else [PROJECT_ROOT / "aftercare_app"]
    for source in source_paths:
        if not source.exists():
            raise BuildError(f"app source {source} does not exist")

    if dependencies is None:
        dependencies = project_dependencies()
    code = collect(app, source_paths, dependencies)  # validates the entry before anything is deleted
    if clinic is not None:
        clinic_json = json.dumps(clinic.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
        code = replace(code, members=(*code.members, Member(CLINIC_FILE, clinic_json, "core", False)))
    notes: list[str] = []
    node = None if stock else node_executable()
    if not stock and node is None:
        notes.append("Node.js was not found: the app ships as sources and compiles them at every start (slower); "
                     "install Node.js 18 or newer and build again")
    if node is None:
        archives, app_package = stock_archives(code), "app.tar.gz"
    else:
        site = compiled_archives(code, lambda index: compiled_entry(code.module, code.function, index),
                                 pyodide_dir=web / "pyodide", node=node)
        archives, app_package = site.archives, APP_ZIP
        if site.sources_only:
            notes.append(f"shipped as source (the browser's Python refused to compile): {', '.join(site.sources_only)}")
    own_worker = node is not None

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".pwa-build").write_text("a static build of the web app; replaced by every build\n", encoding="utf-8")

    def write(relative: str, data: bytes | str) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    client = [*CLIENT_FILES, *(CHROMIUM_CANVASKIT if own_worker else STOCK_FILES)]
    for relative in client:
        source = web / relative
        if not source.is_file():
            raise BuildError(f"flet-web has no {relative}: unsupported flet-web version")
        if relative not in ("main.dart.js", "assets/fonts/MaterialIcons-Regular.otf"):
            write(relative, source.read_bytes())
    icon_font = (web / "assets/fonts/MaterialIcons-Regular.otf").read_bytes()
    if own_worker:
        icon_font = material_icons_subset(icon_font, icon_names(m.data for m in code.members if m.name.endswith(".py")))
    write("assets/fonts/MaterialIcons-Regular.otf", icon_font)
    main_js = (web / "main.dart.js").read_text(encoding="utf-8")
    write("main.dart.js", web_client(main_js, own_start_screen=own_worker))
    write("flutter_bootstrap.js", flutter_bootstrap(web))
    write("assets/FontManifest.json", font_manifest(web, stock=not own_worker))
    for relative, data in archives.items():
        write(relative, data)
    if own_worker:
        for name in OWN_WORKER:
            write(name, (TEMPLATES / name).read_text(encoding="utf-8"))

    font_files, font_aliases, missing_fonts = fallback_fonts(main_js, font_folders() if font_dirs is None else font_dirs)
    if missing_fonts:
        notes.append(f"no font found for {', '.join(missing_fonts)}: text in these shows as boxes (install Debian's "
                     "fonts-noto-core and fonts-noto-color-emoji, or the manimgx-fonts package, and build again)")
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
        "OPENING": branding.opening, "CSP": content_security_policy(header=False), "ENTRY_MODULE": ENTRY_MODULE,
        "APP_PACKAGE": app_package, "STDLIB_PATH": STDLIB_ZIP if own_worker else "pyodide/python_stdlib.zip",
        "CANVASKIT_VARIANT": "auto" if own_worker else "full",
    }
    write("manifest.webmanifest", web_manifest(branding))
    page_values = {key: html.escape(value) for key, value in values.items() if key != "CSP"}
    write("index.html", fill((TEMPLATES / "index.html").read_text(encoding="utf-8"), {**values, **page_values}))
    write("loading.css", fill(LOADING_CSS, values))
    write("pwa.js", (TEMPLATES / "pwa.js").read_text(encoding="utf-8"))

    # CanvasKit and the modules fetched on demand are cached by the worker as the browser needs them.
    canvaskit = {"full": list(FULL_CANVASKIT), "chromium": list(CHROMIUM_CANVASKIT)} if own_worker else {"full": [], "chromium": []}
    on_demand = sorted(name for name in archives if name.removeprefix("lazy/").split(".")[0] in (REST, *ON_DEMAND_GROUPS))
    on_demand.append("assets/NOTICES")  # the licences page only
    later = {*canvaskit["full"], *canvaskit["chromium"], *on_demand, *_NOT_PRECACHED, "flet-config.js"}
    # The version is a hash of everything the worker will precache, so any change to the site gives a new cache.
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    precache = [f for f in files if f not in later and not f.startswith(_NOT_PRECACHED_PREFIXES)]
    digest = hashlib.sha256()
    for relative in [*precache, *canvaskit["full"], *canvaskit["chromium"], *on_demand]:
        digest.update(relative.encode() + b"\0" + hashlib.sha256((out / relative).read_bytes()).digest())
    version = digest.hexdigest()[:16]
    write("flet-config.js", fill((TEMPLATES / "flet-config.js").read_text(encoding="utf-8"), {**values, "VERSION": version}))
    precache = sorted([*precache, "flet-config.js"])
    write("sw.js", fill((TEMPLATES / "sw.js").read_text(encoding="utf-8"), {
        "VERSION": version,
        "PRECACHE": json.dumps(["./", *precache]),
        "CANVASKIT": json.dumps(canvaskit),
        "ON_DEMAND": json.dumps(on_demand),
        "FONT_ALIASES": json.dumps(font_aliases, sort_keys=True),
    }))

    all_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    if precompress:
        sizes = precompress_files(out, all_files, brotli_quality)
    else:
        sizes = {f: ((out / f).stat().st_size,) * 2 for f in all_files}
    first_visit = [*precache, *(canvaskit["chromium"] or [])]  # what a Chromium phone keeps for offline use
    return BuildResult(
        out_dir=out,
        version=version,
        precache=tuple(precache),
        total_bytes=sum((out / f).stat().st_size for f in all_files),
        precache_bytes=sum((out / f).stat().st_size for f in first_visit),
        precache_gzip_bytes=sum(sizes[f][0] for f in first_visit),
        precache_brotli_bytes=sum(sizes[f][1] for f in first_visit),
        disk_bytes=sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
        fallback_fonts=tuple(sorted(font_files)),
        compiled=own_worker,
        notes=tuple(notes),
    )
