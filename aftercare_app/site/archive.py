"""The Python side of the site: the app's code and every pure-Python dependency the browser needs.

:func:`collect` gathers them (markers of requirements evaluated for Emscripten; no requirements file, so nothing
is fetched from a package index) and sorts them into what every start needs and what loads on first use (the PDF
library and the report's fonts, the calendar library). Only what runs on the phone ships: the build tooling, the
command line and the served mode's server stay out. :func:`stock_archives` packs them as flet-web's own worker
reads them (sources in ``app.tar.gz``, dependencies under ``__pypackages__``); :mod:`.compiled` packs them
precompiled for the site's own worker.
"""

from __future__ import annotations

import ast
import gzip
import importlib.metadata
import importlib.util
import io
import re
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aftercare_app.site import PROJECT_ROOT, BuildError

__all__ = ["DEFAULT_APP", "ENTRY_MODULE", "LAZY_GROUPS", "ON_DEMAND_GROUPS", "PYTHON_DEPENDENCIES", "AppCode", "Member", "collect",
           "compiled_entry", "parse_app_spec", "project_dependencies", "stock_archives"]

#: The app's entry: ``module:function``; the function is Flet's ``main(page)`` (sync or async).
DEFAULT_APP = "aftercare_app.pwa.start:main"

#: Module name of the generated entry inside the archive (``flet.pythonModuleName``).
ENTRY_MODULE = "pwa_main"

#: Import names of the pure-Python packages a Flet app needs in a browser (its ``oauthlib``/``httpx`` requirements
#: are marked not-for-Emscripten). ``msgpack`` goes without its C extension and falls back to pure Python.
PYTHON_DEPENDENCIES = ("flet", "msgpack", "repath", "six")

#: Packages only one action needs, shipped in archives of their own and loaded on first import (see
#: :mod:`aftercare_app.pwa.lazy_imports`): the PDF report's fpdf2, what it imports and the report's fonts
#: (``aftercare_fonts``: :mod:`aftercare_app.exports.pdf` looks there when its own folder is not shipped), and the
#: calendar's icalendar.
LAZY_GROUPS: dict[str, tuple[str, ...]] = {
    "pdf": ("fpdf", "fontTools", "defusedxml"),
    "pdf-fonts": ("aftercare_fonts",),
    "calendar": ("icalendar",),
}
#: Lazy groups the first visit does not download: the report's fonts come with the first PDF (the follow-up view
#: fetches them when it opens), the rest of the site stays offline-ready without them.
ON_DEMAND_GROUPS = ("pdf-fonts",)
FONTS_PACKAGE = "aftercare_fonts"
_FONTS_SOURCE = "aftercare_app/exports/fonts"

# Distributions never shipped: the web client itself (already the site), and binary-only packages that their
# dependents import optionally (fpdf2 without Pillow: no raster images, which the report does not use).
_NOT_SHIPPED = {"flet-web", "flet-cli", "flet-desktop", "pillow"}

# Requirement markers as they evaluate inside the browser's Python.
_BROWSER_MARKERS = {
    "platform_system": "Emscripten", "sys_platform": "emscripten", "os_name": "posix", "platform_machine": "wasm32",
    "implementation_name": "cpython", "platform_python_implementation": "CPython", "python_version": "3.14",
    "python_full_version": "3.14.2", "extra": "",
}

# Parts of dependencies a browser app never imports: flet's test tooling, server and command line; test suites.
_DEPENDENCY_UNUSED = ("flet/testing", "flet/fastapi", "flet/cli.py", "flet/pytest_plugin.py", "icalendar/tests")
# Parts of the app that never run on the phone: this build, the command line, the served mode's server and start;
# the report's fonts ship with the PDF library instead.
_APP_UNUSED = ("aftercare_app/site", "aftercare_app/commands", "aftercare_app/cli.py", "aftercare_app/__main__.py",
               "aftercare_app/ui/server.py", "aftercare_app/ui/access.py", "aftercare_app/ui/cli_entry.py",
               _FONTS_SOURCE)


@dataclass(frozen=True)
class Member:
    """One file of the app's Python, by its path from an import root (``flet/__init__.py``, ``six.py``)."""

    name: str
    data: bytes
    group: str  # "core" (every start) or the lazy group it loads with
    dependency: bool  # a third-party file (under ``__pypackages__`` for flet-web's own worker)


@dataclass(frozen=True)
class AppCode:
    module: str  # the entry's module and function
    function: str
    members: tuple[Member, ...]


def parse_app_spec(spec: str) -> tuple[str, str]:
    """Split ``"package.module:function"``; raise :class:`BuildError` on anything else."""
    module, sep, function = spec.partition(":")
    if not sep or not module or not function.isidentifier():
        raise BuildError(f"app entry must look like package.module:function, got {spec!r}")
    if not all(part.isidentifier() for part in module.split(".")):
        raise BuildError(f"not a module name: {module!r}")
    return module, function


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
    return ("__pycache__" in relative.split("/") or name.endswith((".pyc", ".pyi", ".so", ".pyd", ".c", ".h", ".pyx", ".pxd")) or name == "py.typed")


def _walk(root: Path, arc_root: str, skip: Iterable[str] = ()) -> Iterable[tuple[Path, str]]:
    """Files under ``root`` as (path, name in the archive), without bytecode, stubs, C sources and ``skip``."""
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
            yield text.encode("utf-8"), f"{folder}/METADATA"


def collect(app: str, sources: Sequence[Path], dependencies: Sequence[str]) -> AppCode:
    """The entry ``app`` (``module:function``, found in ``sources``: folders or ``.py`` files placed at an import
    root), its sources, and the installed ``dependencies`` (import names), each file in its group."""
    module, function = parse_app_spec(app)
    # A source folder is a package: its parent is where its modules are looked up, as for a single file.
    _check_entry(module, function, [s.resolve().parent for s in sources] + [PROJECT_ROOT])
    members: list[Member] = []
    seen_app_package = False
    for source in sources:
        source = source.resolve()
        name = source.stem if source.is_file() else source.name
        seen_app_package |= name == "aftercare_app"
        skip = _APP_UNUSED if name == "aftercare_app" else ()
        members += [Member(arc, path.read_bytes(), "core", False) for path, arc in _walk(source, source.name, skip)]
    package = PROJECT_ROOT / "aftercare_app"
    if not seen_app_package:
        # The browser runtime (device bridge, storage) ships with every build, the app package or not.
        members.append(Member("aftercare_app/__init__.py", (package / "__init__.py").read_bytes(), "core", False))
        members += [Member(arc, path.read_bytes(), "core", False) for path, arc in _walk(package / "pwa", "aftercare_app/pwa")]
    group_of = {name: group for group, names in LAZY_GROUPS.items() for name in names}
    if seen_app_package and "fpdf" in dependencies:
        fonts = [Member(f"{FONTS_PACKAGE}/__init__.py", b'"""The PDF report\'s fonts, loaded with the first PDF."""\n', "pdf-fonts", False)]
        fonts += [Member(arc, path.read_bytes(), "pdf-fonts", False) for path, arc in _walk(package / "exports" / "fonts", FONTS_PACKAGE)]
        members += fonts
    for import_name in dependencies:
        root = _package_root(import_name)
        group = group_of.get(import_name, "core")
        members += [Member(arc, path.read_bytes(), group, True) for path, arc in _walk(root, root.name, _DEPENDENCY_UNUSED)]
        members += [Member(arc, data, group, True) for data, arc in _dist_metadata(import_name)]
    return AppCode(module, function, tuple(members))


def _stock_entry(module: str, function: str, lazy: dict[str, str]) -> str:
    return f'''"""Start the app in the browser: rarely used packages load on first import, then Flet runs {module}.{function}."""

from aftercare_app.pwa import lazy_imports

lazy_imports.install({lazy!r})

import flet as ft  # noqa: E402

from {module} import {function} as _app  # noqa: E402

ft.run(_app)
'''


def compiled_entry(module: str, function: str, lazy: dict[str, str]) -> str:
    """The entry the site's own worker imports, then awaits ``ready()`` of, before the client connects."""
    return f'''"""Start the app in the browser: rarely used modules load on first import; ``ready()`` starts Flet with
{module}.{function}, and tells the page when its first screen is sent."""

from aftercare_app.pwa import lazy_imports

lazy_imports.install({lazy!r})

import inspect  # noqa: E402
import time  # noqa: E402

import flet as ft  # noqa: E402

import {module} as _app  # noqa: E402
from aftercare_app.pwa.device import first_screen_shown  # noqa: E402


async def _main(page: ft.Page) -> None:
    started = time.perf_counter()
    shown = _app.{function}(page)
    if inspect.isawaitable(shown):
        await shown
    first_screen_shown(time.perf_counter() - started)


async def ready() -> None:
    ft.run(_main)
'''


def _tar_gz(members: Iterable[tuple[bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    # Fixed timestamps and order: the same inputs give the same bytes, so an unchanged app keeps its version.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for data, arcname in sorted(members, key=lambda m: m[1]):
            info = tarfile.TarInfo(arcname)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def stock_archives(code: AppCode) -> dict[str, bytes]:
    """As flet-web's own worker reads the app: sources in ``app.tar.gz``, unpacked at every start, with
    dependencies under ``__pypackages__``; one ``lazy/<group>.tar.gz`` per lazy group, unpacked there on first
    import."""
    core = [(m.data, f"__pypackages__/{m.name}" if m.dependency else m.name) for m in code.members if m.group == "core"]
    lazy: dict[str, list[tuple[bytes, str]]] = {}
    for m in code.members:
        if m.group != "core":
            lazy.setdefault(m.group, []).append((m.data, m.name))  # relative to __pypackages__, where it unpacks
    tops = {m.name.split("/")[0].removesuffix(".py"): m.group for m in code.members if m.group != "core"}
    urls = {top: f"lazy/{group}.tar.gz" for top, group in tops.items() if not top.endswith(".dist-info")}
    core.append((_stock_entry(code.module, code.function, urls).encode("utf-8"), f"{ENTRY_MODULE}.py"))
    core.append((b"", "requirements.txt"))  # nothing for micropip to install: it never runs
    archives = {"app.tar.gz": _tar_gz(core)}
    archives.update({f"lazy/{group}.tar.gz": _tar_gz(files) for group, files in lazy.items()})
    return archives
