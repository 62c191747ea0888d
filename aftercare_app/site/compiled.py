"""The app's Python as the site's own worker loads it: bytecode, in zip archives read in place, the first visit
limited to what the app imports.

- ``python/stdlib.zip``: the standard library modules the app's flows import (:mod:`.bytecode` traces them in the
  site's own Pyodide), and every codec, as bytecode; Pyodide's loader takes it as ``stdLibURL``;
- ``app.zip``: the app (sources beside their bytecode, so tracebacks quote lines) and its dependencies (bytecode),
  put on ``sys.path`` as it is: zipimport reads it in place, nothing is unpacked at start;
- ``lazy/<group>.zip``: each lazy group (:data:`~.archive.LAZY_GROUPS`), the modules its flows import; unpacked
  on first import, so the fonts are files fpdf can open;
- ``lazy/rest.zip``: every module of the standard library and of the lazy groups that no flow imported, fetched
  only if something ever asks for one, and not precached (the dependencies every start needs ship whole: Flet
  imports its controls as they are first used).

Every archive is stored uncompressed: the host's brotli or gzip compresses the whole file better than zip's
per-file deflate, and a module is read without inflating it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from aftercare_app.site.archive import ENTRY_MODULE, AppCode, Member
from aftercare_app.site.bytecode import look_in_pyodide

__all__ = ["APP_ZIP", "STDLIB_ZIP", "CompiledSite", "compiled_archives"]

APP_ZIP = "app.zip"
STDLIB_ZIP = "python/stdlib.zip"
REST = "rest"
#: Where the worker puts the app's archive, and where Pyodide puts the standard library: the file names the
#: bytecode records, so a traceback points into them.
APP_PATH = "/home/pyodide/app.zip"
STDLIB_PATH = "/lib/python314.zip"
LAZY_PATH = "/home/pyodide/__pypackages__"  # where aftercare_app.pwa.lazy_imports unpacks a lazy group
# Modules the traced flows cannot reach but the browser's runtime may import: Pyodide's own packages, every codec
# (a font or a label may name any encoding), and what an import that fails or a warning goes through there
# (Pyodide's import hook reads the installed distributions; a warning quotes its source line).
_ALWAYS = ("pyodide", "_pyodide", "encodings", "importlib", "email", "warnings", "linecache", "tokenize", "token",
           "traceback", "textwrap")
_TRACE_SKIP = (  # modules that never ship, so the trace does not import them either
"aftercare_app.site", "aftercare_app.commands", "aftercare_app.cli", "aftercare_app.__main__",
               "aftercare_app.ui.server", "aftercare_app.ui.access", "aftercare_app.ui.cli_entry")


@dataclass(frozen=True)
class CompiledSite:
    archives: dict[str, bytes]  # site path -> bytes
    lazy_index: dict[str, str]  # module name -> the lazy archive that holds it
    sources_only: tuple[str, ...]  # modules the interpreter refused to compile (shipped as source)


def module_name(path: str) -> str:
    """'asyncio/events.py' -> 'asyncio.events'; 'fontTools/__init__.py' -> 'fontTools'."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # the same inputs give the same bytes
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _stdlib_members(pyodide_dir: Path) -> list[Member]:
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as archive:
        return [Member(i.filename, archive.read(i), "core", True) for i in archive.infolist() if not i.is_dir()]


def compiled_archives(code: AppCode, entry_source: Callable[[dict[str, str]], str], *, pyodide_dir: Path, node: str) -> CompiledSite:
    """The zips of the module doc, from ``code``; ``entry_source(lazy)`` gives the generated entry module for the
    lazy index (module name -> the archive that holds it)."""
    stdlib = _stdlib_members(pyodide_dir)
    recorded = {f"lib:{m.name}": f"{APP_PATH if m.group == 'core' else f'{LAZY_PATH}/{m.group}'}/{m.name}"
                for m in code.members}
    recorded |= {f"std:{m.name}": f"{STDLIB_PATH}/{m.name}" for m in stdlib}
    view = look_in_pyodide(
        {m.name: m.data for m in code.members}, {m.name: m.data for m in stdlib if m.name.endswith(".py")},
        recorded_as=recorded, pyodide_dir=pyodide_dir, node=node, entry=code.module,
        keep_docstrings={f"lib:{m.name}" for m in code.members if not m.dependency}, skip=_TRACE_SKIP,
        whole=sorted({m.name.split("/")[0] for m in code.members if m.dependency and m.group == "core" and "/" in m.name
                      and not m.name.split("/")[0].endswith(".dist-info")}),
    )
    imported = set(view.imported)
    archive_files: dict[str, list[tuple[str, bytes]]] = {}
    index: dict[str, str] = {}
    for prefix, members, home in (("std", stdlib, STDLIB_ZIP), ("lib", code.members, APP_ZIP)):
        for member in members:
            target = home if member.group == "core" else f"lazy/{member.group}.zip"
            files = [(member.name, member.data)]
            if member.name.endswith(".py"):
                name = module_name(member.name)
                trimmed = prefix == "std" or member.group != "core"  # every start's own dependencies ship whole
                if trimmed and name not in imported and name.split(".")[0] not in _ALWAYS:
                    target = f"lazy/{REST}.zip"  # no flow imports it: fetched if ever asked for
                    index[name] = target
                pyc = view.bytecode.get(f"{prefix}:{member.name}")
                if pyc is not None:
                    # Bytecode beside the source for the app's own modules (its tracebacks quote their lines),
                    # instead of it for everything else.
                    files = [(member.name + "c", pyc), *([] if member.dependency else files)]
            archive_files.setdefault(target, []).extend(files)
    for member in code.members:  # a lazy package is found through its top-level name
        top = member.name.split("/")[0].removesuffix(".py")
        if member.group != "core" and not top.endswith(".dist-info"):
            index.setdefault(top, f"lazy/{member.group}.zip")
    archive_files[APP_ZIP].append((f"{ENTRY_MODULE}.py", entry_source(index).encode("utf-8")))
    return CompiledSite(
        {path: _zip(files) for path, files in archive_files.items()}, index, tuple(sorted(k[4:] for k in view.failed))
    )
