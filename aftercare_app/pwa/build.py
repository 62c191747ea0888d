"""Assemble the installable, offline web app as a static site, from installed packages only.

The Flet web client prebuilt in the ``flet-web`` package (Flutter compiled to JavaScript, CanvasKit, a Pyodide
runtime) is copied without what this app never uses; the app's Python code and every pure-Python dependency go into
``app.tar.gz`` (dependencies under ``__pypackages__/``, which the client's worker puts on ``sys.path``; no
requirements, so nothing is fetched from a package index). The page, its configuration, the web manifest, the icons
and a service worker that precaches the whole site are written next to it. Compressible files get ``.gz`` and
``.br`` siblings, as a static host would serve them.

No Flutter SDK and no network: the only inputs are installed packages, ``assets/`` and (optionally) Debian's Noto
fonts for glyphs the bundled fonts lack.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import shutil
import tarfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BuildError",
    "BuildResult",
    "DEFAULT_APP",
    "PYTHON_DEPENDENCIES",
    "build_site",
    "project_dependencies",
    "content_security_policy",
    "parse_app_spec",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "web"

#: The app's entry: ``module:function``; the function is Flet's ``main(page)`` (sync or async).
DEFAULT_APP = "aftercare_app.ui.app:main"
#: Module name of the generated entry inside the archive (``flet.pythonModuleName``).
ENTRY_MODULE = "pwa_main"

#: Import names of the pure-Python packages a Flet app needs in a browser (its ``oauthlib``/``httpx`` requirements
#: are marked not-for-Emscripten). ``msgpack`` goes without its C extension and falls back to pure Python.
PYTHON_DEPENDENCIES = ("flet", "msgpack", "repath", "six")
#: Packages only one action needs, shipped in archives of their own and loaded on first import (see
#: :mod:`aftercare_app.pwa.lazy_imports`): the PDF report's fpdf2 and what it imports.
LAZY_GROUPS: dict[str, tuple[str, ...]] = {"pdf": ("fpdf", "fontTools", "defusedxml")}
# Distributions never shipped: the web client itself (already the site), and binary-only packages that their
# dependents import optionally (fpdf2 without Pillow: no raster images, which the report does not use).
_NOT_SHIPPED = {"flet-web", "flet-cli", "flet-desktop", "pillow"}
# Requirement markers as they evaluate inside the browser's Python.
_BROWSER_MARKERS = {
    "platform_system": "Emscripten", "sys_platform": "emscripten", "os_name": "posix", "platform_machine": "wasm32",
    "implementation_name": "cpython", "platform_python_implementation": "CPython", "python_version": "3.14",
    "python_full_version": "3.14.2", "extra": "",
}
# Parts of flet a browser app never imports: test tooling, the server, the command line.
_FLET_UNUSED = ("flet/testing", "flet/fastapi", "flet/cli.py", "flet/pytest_plugin.py")

# Web-client files kept from ``flet_web/web`` (everything else - the dart2wasm/skwasm build, the other CanvasKit
# variants, debug symbols, source maps, micropip, Pyodide's command-line launchers, KaTeX fonts and the scripts of
# media/recording/wakelock plug-ins - is never loaded by this app).
_CLIENT_FILES = (
    "main.dart.js",
    "python.js",
    "python-worker.js",
    "canvaskit/canvaskit.js",
    "canvaskit/canvaskit.wasm",
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.mjs",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide-lock.json",
    "assets/AssetManifest.bin",
    "assets/AssetManifest.bin.json",
    "assets/NOTICES",
    "assets/fonts/MaterialIcons-Regular.otf",
    "assets/fonts/roboto.woff2",
    "assets/packages/cupertino_icons/assets/CupertinoIcons.ttf",
    "assets/shaders/ink_sparkle.frag",
    "assets/shaders/stretch_effect.frag",
)
_FONT_FAMILIES_KEPT = ("MaterialIcons", "packages/cupertino_icons/CupertinoIcons")

# The client loads the Rive animation runtime from a CDN at start-up (a <script> whose "load" it awaits, and which
# only Rive controls use). Point it at this site instead: the file is not shipped, the request stays on the origin
# and fails quietly, exactly as when the CDN is unreachable.
_RIVE_CDN = "https://cdn.jsdelivr.net/npm/@rive-app/flutter-native-wasm@44.0.0/"
_RIVE_LOCAL = "rive-runtime-not-bundled/"

# Fallback fonts: Flutter asks ``fontFallbackBaseUrl`` + a Google Fonts path for glyphs its fonts lack. For these
# families the build ships a Debian Noto font under that path (families split into per-range subsets get the whole
# font once, and the service worker and the server map each subset's path to it).
NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
FALLBACK_FAMILIES: dict[str, str | tuple[str, ...]] = {
    # The engine's "Noto Sans" (Google Fonts) also covers Devanagari, so it never asks for Noto Sans Devanagari
    # for Hindi: the shipped font is Debian's Noto Sans merged with Noto Sans Devanagari (needs fontTools).
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf"),
    "Noto Color Emoji": "NotoColorEmoji.ttf",
    "Noto Sans Symbols": "NotoSansSymbols-Regular.ttf",
    "Noto Sans Symbols 2": "NotoSansSymbols2-Regular.ttf",
    "Noto Sans Math": "NotoSansMath-Regular.ttf",
    "Noto Sans Arabic": "NotoSansArabic-Regular.ttf",
    "Noto Sans Hebrew": "NotoSansHebrew-Regular.ttf",
    "Noto Sans Armenian": "NotoSansArmenian-Regular.ttf",
    "Noto Sans Georgian": "NotoSansGeorgian-Regular.ttf",
    "Noto Sans Devanagari": "NotoSansDevanagari-Regular.ttf",
    "Noto Sans Bengali": "NotoSansBengali-Regular.ttf",
    "Noto Sans Thai": "NotoSansThai-Regular.ttf",
}

_COMPRESSIBLE = {".js", ".mjs", ".wasm", ".json", ".html", ".css", ".webmanifest", ".otf", ".ttf", ".frag", ".bin",
                 ".svg", ".txt", ""}
_NOT_PRECACHED_PREFIXES = ("fonts/fallback/",)
_NOT_PRECACHED = {"sw.js"}


class BuildError(Exception):
    """The site cannot be built (bad app entry, missing package, unsafe output folder): a one-line reason."""


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


@dataclass(frozen=True)
class Branding:
    name: str = "Aftercare Companion"
    short_name: str = "Aftercare"
    description: str = ("Recovery companion after mesotherapy: countdown, daily checklist, symptom diary and "
                        "follow-up summary. Works offline; your data stays on this phone.")
    theme_color: str = "#0F766E"
    background_color: str = "#F0FDFA"


def parse_app_spec(spec: str) -> tuple[str, str]:
    """Split ``"package.module:function"``; raise :class:`BuildError` on anything else."""
    module, sep, function = spec.partition(":")
    if not sep or not module or not function.isidentifier():
        raise BuildError(f"app entry must look like package.module:function, got {spec!r}")
    if not all(part.isidentifier() for part in module.split(".")):
        raise BuildError(f"not a module name: {module!r}")
    return module, function


def content_security_policy(*, header: bool = False) -> str:
    """The policy that keeps every request on the page's own origin. ``wasm-unsafe-eval`` lets CanvasKit and Pyodide
    compile WebAssembly; inline styles are what Flutter's engine injects. ``frame-ancestors`` only works as a header."""
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


# --------------------------------------------------------------------------------------------------------------
# The Python side: app archive


def _module_path(module: str, search: Sequence[Path]) -> Path | None:
    parts = module.split(".")
    for root in search:
        base = root.joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _check_entry(module: str, function: str, search: Sequence[Path]) -> None:
    path = _module_path(module, search)
    if path is None:
        raise BuildError(f"app entry module {module} not found (pass --app package.module:function)")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
              if isinstance(t, ast.Name)}
    names |= {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    if function not in names:
        raise BuildError(f"{module} has no top-level {function}(page)")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_dependencies(pyproject: Path | None = None) -> tuple[str, ...]:
    """Import names of everything ``[project].dependencies`` needs at run time in a browser, requirements of
    requirements included (markers evaluated for Emscripten), from the installed distributions."""
    import tomllib

    from packaging.requirements import Requirement

    data = tomllib.loads((pyproject or PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pending = [Requirement(r) for r in data.get("project", {}).get("dependencies", [])]
    seen: set[str] = set()
    imports: list[str] = list(PYTHON_DEPENDENCIES)
    while pending:
        requirement = pending.pop(0)
        name = _normalise(requirement.name)
        if name in seen or name in _NOT_SHIPPED:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate(_BROWSER_MARKERS):
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            raise BuildError(f"dependency {requirement.name} is not installed (pip install it first)") from None
        pending.extend(Requirement(r) for r in dist.requires or [])
        top_level = (dist.read_text("top_level.txt") or "").split()
        if not top_level:
            top_level = sorted({f.parts[0].removesuffix(".py") for f in dist.files or []
                                if not f.parts[0].endswith((".dist-info", ".data")) and f.parts[0] != ".."
                                and (len(f.parts) > 1 or f.suffix == ".py") and f.parts[0] != "__pycache__"})
        imports.extend(t for t in top_level if t not in imports and importlib.util.find_spec(t) is not None)
    return tuple(imports)


def _package_root(import_name: str) -> Path:
    spec = importlib.util.find_spec(import_name)
    if spec is None or spec.origin is None:
        raise BuildError(f"Python package {import_name} is not installed")
    origin = Path(spec.origin)
    return origin.parent if spec.submodule_search_locations else origin


def _skip_python_file(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return ("__pycache__" in relative.split("/") or name.endswith((".pyc", ".pyi", ".so", ".pyd", ".c", ".h"))
            or name.endswith((".pyx", ".pxd")) or name == "py.typed")


def _walk(root: Path, arc_root: str, skip: Iterable[str] = ()) -> Iterable[tuple[Path, str]]:
    skipped = tuple(skip)
    if root.is_file():
        yield root, arc_root
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        relative = f"{arc_root}/{path.relative_to(root).as_posix()}"
        if _skip_python_file(relative) or any(relative == s or relative.startswith(s + "/") for s in skipped):
            continue
        yield path, relative


def _dist_metadata(import_name: str) -> Iterable[tuple[bytes, str]]:
    # Keep each distribution's METADATA so importlib.metadata.version() works in the browser too.
    for dist_name in importlib.metadata.packages_distributions().get(import_name, []):
        dist = importlib.metadata.distribution(dist_name)
        text = dist.read_text("METADATA")
        if text:
            folder = f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}.dist-info"
            yield text.encode("utf-8"), f"__pypackages__/{folder}/METADATA"


def _entry_source(module: str, function: str, lazy: dict[str, str]) -> str:
    return f'''"""Start the app in the browser: prepare the device bridge, then hand the page to {module}.{function}."""

import inspect

from aftercare_app.pwa import lazy_imports

lazy_imports.install({lazy!r})

import flet as ft  # noqa: E402

from aftercare_app.pwa import device  # noqa: E402
from {module} import {function} as _app  # noqa: E402


async def _main(page: ft.Page) -> None:
    await device.prepare()
    result = _app(page)
    if inspect.isawaitable(result):
        await result


ft.run(_main)
'''


def _tar_gz(members: list[tuple[bytes | Path, str]]) -> bytes:
    buffer = io.BytesIO()
    # Fixed timestamps and order: the same inputs give the same bytes, so an unchanged app keeps its version.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            for content, arcname in sorted(members, key=lambda m: m[1]):
                data = content.read_bytes() if isinstance(content, Path) else content
                info = tarfile.TarInfo(arcname)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _dependency_members(import_name: str, prefix: str) -> list[tuple[bytes | Path, str]]:
    root = _package_root(import_name)
    members: list[tuple[bytes | Path, str]] = list(
        _walk(root, f"{prefix}{root.name}", skip=[f"{prefix}{s}" for s in _FLET_UNUSED]))
    members.extend((data, prefix + name.removeprefix("__pypackages__/"))
                   for data, name in _dist_metadata(import_name))
    return members


def _app_archives(app: str, sources: Sequence[Path], dependencies: Sequence[str]) -> dict[str, bytes]:
    """``app.tar.gz`` and one ``lazy/<group>.tar.gz`` per group of :data:`LAZY_GROUPS` in ``dependencies``."""
    module, function = parse_app_spec(app)
    # A source folder is a package: its parent is where its modules are looked up, as for a single file.
    _check_entry(module, function, [s.resolve().parent for s in sources] + [PROJECT_ROOT])

    members: list[tuple[bytes | Path, str]] = []
    seen_app_package = False
    for source in sources:
        source = source.resolve()
        name = source.stem if source.is_file() else source.name
        seen_app_package |= name == "aftercare_app"
        members.extend(_walk(source, source.name, skip=(f"{name}/pwa/web",) if name == "aftercare_app" else ()))
    if not seen_app_package:
        # The browser runtime (device bridge, storage) ships with every build, the app package or not.
        package = PROJECT_ROOT / "aftercare_app"
        members.append((package / "__init__.py", "aftercare_app/__init__.py"))
        members.extend(_walk(package / "pwa", "aftercare_app/pwa", skip=("aftercare_app/pwa/web",)))
    lazy_of = {name: group for group, names in LAZY_GROUPS.items() for name in names if name in dependencies}
    lazy_members: dict[str, list[tuple[bytes | Path, str]]] = {}
    for import_name in dependencies:
        if import_name in lazy_of:
            # Paths inside a lazy archive are relative to __pypackages__, where it is unpacked.
            lazy_members.setdefault(lazy_of[import_name], []).extend(_dependency_members(import_name, ""))
        else:
            members.extend(_dependency_members(import_name, "__pypackages__/"))
    lazy_urls = {name: f"lazy/{group}.tar.gz" for name, group in lazy_of.items()}
    members.append((_entry_source(module, function, lazy_urls).encode("utf-8"), f"{ENTRY_MODULE}.py"))
    members.append((b"", "requirements.txt"))  # nothing for micropip to install: it never runs
    archives = {"app.tar.gz": _tar_gz(members)}
    archives.update({f"lazy/{group}.tar.gz": _tar_gz(m) for group, m in lazy_members.items()})
    return archives


# --------------------------------------------------------------------------------------------------------------
# The client side


def _flutter_bootstrap(web: Path) -> str:
    loader = (web / "flutter.js").read_text(encoding="utf-8")
    loader = re.sub(r"^//# sourceMappingURL=.*$", "", loader, flags=re.MULTILINE)
    # The loader's default CanvasKit location is a CDN; the configuration overrides it, and this makes sure.
    loader = loader.replace('"https://www.gstatic.com/flutter-canvaskit"', '"canvaskit"')
    upstream = (web / "flutter_bootstrap.js").read_text(encoding="utf-8")
    match = re.search(r'"engineRevision":"([0-9a-f]+)"', upstream)
    if not match:
        raise BuildError("flet-web's flutter_bootstrap.js has no engine revision: unsupported flet-web version")
    build_config = {
        "engineRevision": match.group(1),
        "useLocalCanvasKit": True,
        "builds": [{"compileTarget": "dart2js", "renderer": "canvaskit", "mainJsPath": "main.dart.js"}],
    }
    tail = (TEMPLATES / "bootstrap-tail.js").read_text(encoding="utf-8")
    return loader + tail.replace("__BUILD_CONFIG__", json.dumps(build_config))


def _font_manifest(web: Path) -> str:
    manifest = json.loads((web / "assets/FontManifest.json").read_text(encoding="utf-8"))
    kept = [entry for entry in manifest if entry["family"] in _FONT_FAMILIES_KEPT]
    kept.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    return json.dumps(kept)


def _fallback_font_urls(main_js: str) -> dict[str, list[str]]:
    """Family -> the fallback-font paths the client may request, read from the compiled client."""
    families: dict[str, list[str]] = {}
    for name, path in re.findall(r'A\.z\("([^"]+)","([a-z0-9]+/v\d+/[^"]+\.(?:woff2|ttf|otf))"\)', main_js):
        family = re.sub(r" \d+$", "", name) if name not in FALLBACK_FAMILIES else name
        families.setdefault(family, []).append(path)
    return families


def _merged_font(sources: Sequence[Path]) -> bytes:
    if len(sources) == 1:
        return sources[0].read_bytes()
    try:
        from fontTools.merge import Merger
    except ImportError:  # without fontTools the first font alone ships: the others' scripts show as boxes
        return sources[0].read_bytes()
    buffer = io.BytesIO()
    Merger().merge([str(s) for s in sources]).save(buffer)
    return buffer.getvalue()


def _fallback_fonts(main_js: str, font_dirs: Sequence[Path]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Files to write under fonts/fallback/ and the alias table (requested path -> shipped path)."""
    urls = _fallback_font_urls(main_js)
    files: dict[str, bytes] = {}
    aliases: dict[str, str] = {}
    for family, names in FALLBACK_FAMILIES.items():
        names = (names,) if isinstance(names, str) else names
        found = [next((d / n for d in font_dirs if (d / n).is_file()), None) for n in names]
        paths = urls.get(family, [])
        if found[0] is None or not paths:
            continue
        file_name = names[0]
        data = _merged_font([f for f in found if f is not None])
        if len(paths) == 1:
            files[paths[0]] = data  # the exact path: works on any static host even before the worker runs
        else:
            shipped = f"{paths[0].split('/', 1)[0]}/{file_name}"
            files[shipped] = data
            aliases.update({path: shipped for path in paths})
    return files, aliases


def _manifest(branding: Branding) -> str:
    icon = lambda name, size, purpose: {"src": f"icons/{name}", "sizes": f"{size}x{size}",  # noqa: E731
                                        "type": "image/png", "purpose": purpose}
    return json.dumps({
        "id": "./",
        "name": branding.name,
        "short_name": branding.short_name,
        "description": branding.description,
        "lang": "en",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": branding.background_color,
        "theme_color": branding.theme_color,
        "categories": ["health", "medical", "lifestyle"],
        "prefer_related_applications": False,
        "icons": [
            icon("icon-192.png", 192, "any"),
            icon("icon-512.png", 512, "any"),
            icon("icon-maskable-192.png", 192, "maskable"),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
    }, indent=2)


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"__{key}__", value)
    leftover = re.search(r"__[A-Z_]+__", template)
    if leftover:
        raise BuildError(f"template placeholder {leftover.group(0)} left unfilled")
    return template


_LOADING_CSS = """#loading {
  position: fixed; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 16px; background: __BACKGROUND_COLOR__; color: __THEME_COLOR__; font: 600 18px system-ui, sans-serif;
}
#loading img { width: 96px; height: 96px; animation: loading-pulse 1.6s ease-in-out infinite; }
@keyframes loading-pulse { 50% { opacity: 0.55; transform: scale(0.94); } }
@media (prefers-reduced-motion: reduce) { #loading img { animation: none; } }
"""


# --------------------------------------------------------------------------------------------------------------
# Compression


def _compress(job: tuple[str, int]) -> tuple[str, int, int]:
    path_name, brotli_quality = job
    path = Path(path_name)
    data = path.read_bytes()
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    try:
        import brotli
    except ImportError:  # brotli is optional: gzip alone is what every host and browser speaks
        br = None
    else:
        br = brotli.compress(data, quality=brotli_quality, lgwin=24)
    written_gz = written_br = len(data)
    if len(gz) < 0.9 * len(data):
        Path(path_name + ".gz").write_bytes(gz)
        written_gz = len(gz)
    if br is not None and len(br) < 0.9 * len(data):
        Path(path_name + ".br").write_bytes(br)
        written_br = len(br)
    return path_name, written_gz, written_br


def _precompress(out: Path, files: Sequence[str], brotli_quality: int) -> dict[str, tuple[int, int]]:
    jobs = [(str(out / f), brotli_quality) for f in files if Path(f).suffix in _COMPRESSIBLE
            or f.endswith("NOTICES")]
    sizes = {f: ((out / f).stat().st_size,) * 2 for f in files}
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for path_name, gz, br in pool.map(_compress, sorted(jobs, key=lambda j: -Path(j[0]).stat().st_size)):
            sizes[Path(path_name).relative_to(out).as_posix()] = (gz, br)
    return sizes


# --------------------------------------------------------------------------------------------------------------


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
    branding: Branding = Branding(),
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

    web = Path(web_dir or get_package_web_dir())
    out = _safe_out_dir(Path(out_dir))
    assets = Path(assets_dir) if assets_dir else PROJECT_ROOT / "assets"
    source_paths = [Path(s) for s in sources] if sources else [PROJECT_ROOT / "aftercare_app"]
    for source in source_paths:
        if not source.exists():
            raise BuildError(f"app source {source} does not exist")

    if dependencies is None:
        dependencies = project_dependencies()
    archives = _app_archives(app, source_paths, dependencies)  # validates the entry before anything is deleted

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".pwa-build").write_text("a static build of the web app; replaced by every build\n", encoding="utf-8")

    def write(relative: str, data: bytes | str) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    for relative in _CLIENT_FILES:
        source = web / relative
        if not source.is_file():
            raise BuildError(f"flet-web has no {relative}: unsupported flet-web version")
        if relative != "main.dart.js":
            write(relative, source.read_bytes())
    main_js = (web / "main.dart.js").read_text(encoding="utf-8")
    if _RIVE_CDN not in main_js:
        raise BuildError("the web client's Rive runtime URL changed: check for new off-origin requests")
    write("main.dart.js", main_js.replace(_RIVE_CDN, _RIVE_LOCAL))
    write("flutter_bootstrap.js", _flutter_bootstrap(web))
    write("assets/FontManifest.json", _font_manifest(web))
    for relative, data in archives.items():
        write(relative, data)

    font_files, font_aliases = _fallback_fonts(main_js, font_dirs)
    for relative, data in font_files.items():
        write(f"fonts/fallback/{relative}", data)
    write("fonts/fallback/aliases.json", json.dumps(font_aliases, indent=0, sort_keys=True))

    icons = assets / "icons"
    from aftercare_app.pwa.artwork import ICON_FILES

    for name in ICON_FILES:
        if not (icons / name).is_file():
            raise BuildError(f"missing icon {icons / name} (run python -m aftercare_app.pwa.artwork)")
        write(f"icons/{name}", (icons / name).read_bytes())
    write("favicon.png", (icons / "favicon.png").read_bytes())

    values = {
        "NAME": branding.name, "SHORT_NAME": branding.short_name, "DESCRIPTION": branding.description,
        "THEME_COLOR": branding.theme_color, "BACKGROUND_COLOR": branding.background_color,
        "CSP": content_security_policy(), "ENTRY_MODULE": ENTRY_MODULE,
    }
    write("manifest.webmanifest", _manifest(branding))
    write("index.html", _fill((TEMPLATES / "index.html").read_text(encoding="utf-8"), values))
    write("loading.css", _fill(_LOADING_CSS, values))
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
    write("flet-config.js", _fill((TEMPLATES / "flet-config.js").read_text(encoding="utf-8"),
                                  {**values, "VERSION": version}))
    precache = sorted([*precache, "flet-config.js"])
    write("sw.js", _fill((TEMPLATES / "sw.js").read_text(encoding="utf-8"), {
        "VERSION": version,
        "PRECACHE": json.dumps(["./", *precache]),
        "FONT_ALIASES": json.dumps(font_aliases, sort_keys=True),
    }))

    all_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                       if p.is_file() and not p.name.startswith("."))
    if precompress:
        sizes = _precompress(out, all_files, brotli_quality)
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
