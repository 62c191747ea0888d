"""The layers keep to their places: the domain stays pure (GUIDE section 3, principle 1), each layer imports only the
layers beneath it, what ships to the phone never needs the served mode or the build, and no module grows past what a
reader can hold.

The real import graph is read with ``ast``: imports at module level and inside functions both count (a lazy import
is still a dependency), relative imports are resolved, and ``from aftercare_app.x import y`` counts as importing the
module ``x.y`` when ``y`` is one.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "aftercare_app"
APP = "aftercare_app"

# The served mode's modules: they run on the computer that serves the app, never on the phone.
SERVED = {"ui.server", "ui.access", "ui.cli_entry"}

# Which layers each layer may import (itself included). A module's layer is its top folder under aftercare_app/;
# cli.py and __main__.py are the command line's; the served mode's modules are a layer of their own.
MAY_IMPORT = {
    "domain": {"domain"},
    "content": {"content", "domain"},
    "storage": {"storage", "domain"},
    "services": {"services", "domain", "content", "storage"},
    "exports": {"exports", "domain"},
    "commands": {"commands", "services", "exports", "domain", "content", "storage", "site"},  # narrower below
    "ui": {"ui", "domain", "content", "storage", "services", "exports", "pwa"},
    "served": {"served", "ui", "domain", "content", "storage", "services", "exports", "pwa"},
    "pwa": {"pwa", "ui", "services", "storage", "domain", "content", "exports"},
    "site": {"site", "ui", "pwa", "domain", "content", "storage", "services", "exports"},  # ui: ui.policy only
}

# Narrower rules inside a permitted layer.
# The command line opens the store and reports its errors; the records themselves go through services.CareRecords.
COMMANDS_FROM_STORAGE = {"open_repository", "FileTextStore", "default_data_dir", "StorageError",
                         "atomic_write"}  # atomic_write: the output file is written as the store writes its own
# Only the `pwa` command group fronts the site build.
COMMANDS_INTO_SITE = {"commands.pwa"}
# The site ships one content security policy, defined beside the served app's.
SITE_FROM_UI = {"ui.policy"}
# site/in_pyodide.py is not imported by the build: it is the script the build runs inside Pyodide to record
# what the app imports on a phone, so it drives the app's screens like a patient would.
SITE_TRACE = "site.in_pyodide"

# Third-party packages a layer may import (the standard library is always allowed).
THIRD_PARTY = {
    "domain": {"dateutil"},
    "content": set(),
    "storage": {"tinydb"},
    "services": set(),
    # aftercare_fonts: the report's fonts, a package of the phone build's on-demand archive (site/archive.py)
    "exports": {"dateutil", "fpdf", "fontTools", "icalendar", "aftercare_fonts"},
}

MAX_LINES = 450
MAX_LINES_FOR = {"exports.pdf": 560}  # the PDF renderer: one page layout, kept together


@dataclass(frozen=True)
class Import:
    importer: str  # module names without the leading "aftercare_app." ("" for the package itself)
    imported: str  # an app module, or the top-level package of another distribution or of the standard library
    app: bool  # whether ``imported`` is a module of the app
    names: tuple[str, ...]  # for "from m import a, b": a, b
    line: int

    @property
    def where(self) -> str:
        return f"{self.importer}:{self.line} imports {self.imported}" + (f" ({', '.join(self.names)})" if self.names else "")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    if module in SERVED:
        return "served"
    top = module.split(".")[0]
    if top in {"cli", "__main__"}:
        return "commands"
    return top or "package"  # aftercare_app/__init__.py: holds nothing, anyone may import it


def imports_of(module: str) -> Iterator[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _import(module, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = [APP, *package.split(".")] if package else [APP]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source == "__future__":
                continue
            names = tuple(alias.name for alias in node.names)
            submodules = [n for n in names if _app_module(f"{source}.{n}") in MODULES]
            for name in submodules:
                yield _import(module, f"{source}.{name}", (), node.lineno)
            if len(submodules) < len(names):
                yield _import(module, source, tuple(n for n in names if n not in submodules), node.lineno)


def _app_module(dotted: str) -> str | None:
    if dotted == APP:
        return ""
    return dotted.removeprefix(APP + ".") if dotted.startswith(APP + ".") else None


def _import(importer: str, dotted: str, names: tuple[str, ...], line: int) -> Import:
    inside = _app_module(dotted)
    if inside is None:
        return Import(importer, dotted.split(".")[0], False, names, line)
    # ``import aftercare_app.a.b.c`` where c is a name in module a.b: the module is the longest existing prefix.
    while inside and inside not in MODULES:
        inside = inside.rpartition(".")[0]
    return Import(importer, inside, True, names, line)


GRAPH = [imp for module in MODULES for imp in imports_of(module)]
APP_IMPORTS = [imp for imp in GRAPH if imp.app and imp.imported != imp.importer]
EXTERNAL = [imp for imp in GRAPH if not imp.app]


def test_the_import_graph_is_read_from_every_module():
    assert {"domain.report", "services", "ui.app", "pwa.start", "site.build", "cli"} <= set(MODULES)
    edges = {(imp.importer, imp.imported) for imp in APP_IMPORTS}
    assert ("services", "storage") in edges and ("ui.app", "services") in edges
    assert ("exports", "exports.pdf") in edges  # imported inside render(): function-level imports count


def test_each_layer_imports_only_the_layers_beneath_it():
    wrong = [imp.where for imp in APP_IMPORTS if layer(imp.importer) != "package"
             and layer(imp.imported) not in MAY_IMPORT[layer(imp.importer)] | {"package"}]
    assert not wrong, "imports across the layers' rules:\n" + "\n".join(wrong)


def test_the_domain_imports_only_the_standard_library_dateutil_and_the_domain():
    wrong = [imp.where for imp in GRAPH if layer(imp.importer) == "domain"
             and not (layer(imp.imported) == "domain" if imp.app
                      else imp.imported in sys.stdlib_module_names or imp.imported in THIRD_PARTY["domain"])]
    assert not wrong, "\n".join(wrong)


def test_the_core_and_the_exports_use_only_their_own_libraries():
    wrong = [imp.where for imp in EXTERNAL if layer(imp.importer) in THIRD_PARTY
             and imp.imported not in sys.stdlib_module_names and imp.imported not in THIRD_PARTY[layer(imp.importer)]]
    assert not wrong, "\n".join(wrong)


def test_the_command_line_reaches_the_records_through_the_services_only():
    wrong = [imp.where for imp in APP_IMPORTS if layer(imp.importer) == "commands" and layer(imp.imported) == "storage"
             and (not imp.names or not set(imp.names) <= COMMANDS_FROM_STORAGE)]
    wrong += [imp.where for imp in APP_IMPORTS if layer(imp.importer) == "commands" and layer(imp.imported) == "site"
              and imp.importer not in COMMANDS_INTO_SITE]
    assert not wrong, "\n".join(wrong)


def test_the_site_build_takes_only_the_content_security_policy_from_the_ui():
    wrong = [imp.where for imp in APP_IMPORTS if layer(imp.importer) == "site" and imp.importer != SITE_TRACE
             and layer(imp.imported) in {"ui", "served"} and imp.imported not in SITE_FROM_UI]
    assert not wrong, "\n".join(wrong)


def test_what_ships_to_the_phone_never_needs_the_served_mode_the_command_line_or_the_build():
    shipped = {"domain", "content", "storage", "services", "exports", "ui", "pwa"}
    wrong = [imp.where for imp in APP_IMPORTS if layer(imp.importer) in shipped
             and layer(imp.imported) in {"served", "commands", "site"}]
    assert not wrong, "\n".join(wrong)


def test_no_module_is_longer_than_a_reader_can_hold():
    too_long = []
    for module, path in MODULES.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES_FOR.get(module, MAX_LINES):
            too_long.append(f"{path.relative_to(PACKAGE.parent)}: {lines} lines (at most {MAX_LINES_FOR.get(module, MAX_LINES)})")
    assert not too_long, "\n".join(too_long)


def test_no_module_is_named_utils_or_helpers():
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "common"}
