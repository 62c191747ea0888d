"""Run by the build inside the site's own Pyodide (see pyodide_node.mjs and bytecode.py): which modules the app
imports, with exactly the files that ship on its path, and the bytecode of every module. Not imported by the app
or the build.

/work/jobs.json: {"entry": the app's entry module, "lib": the folder of the shipped files, "skip": module prefixes
never shipped, "whole": packages whose every module is imported, "compile": [[source path, name recorded in the
code objects, whether to leave the docstrings out], ...]}. Writes the .pyc next to each source and
/work/result.json: {"imported": [module names], "failed": {source path: reason}, "version"}.
"""

import ast
import importlib
import importlib.util
import json
import pkgutil
import sys

with open("/work/jobs.json", encoding="utf-8") as handle:
    jobs = json.load(handle)


def exercise() -> None:
    """What a phone does, so that everything it imports is seen: the entry, every shipped module of the app and,
    where they ship, the records over a store, a backup, each report format (the PDF with text of several
    scripts), and a plain PDF and calendar."""
    from datetime import UTC, datetime, timedelta

    import aftercare_app

    importlib.import_module(jobs["entry"])
    for package in jobs["whole"]:  # shipped whole: what any of their modules imports is needed too
        for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
            try:
                importlib.import_module(module.name)
            except Exception:  # noqa: BLE001 - a module for another platform or an optional library
                continue
    for module in pkgutil.walk_packages(aftercare_app.__path__, "aftercare_app."):
        if not module.name.startswith(tuple(jobs["skip"])):
            try:
                importlib.import_module(module.name)
            except ImportError:  # a part of the app this build does not ship
                continue
    fpdf = importlib.import_module("fpdf") if importlib.util.find_spec("fpdf") else None
    if fpdf is not None:
        document = fpdf.FPDF()
        document.add_page()
        document.set_font("helvetica", size=12)
        document.cell(text="Day 2 of recovery")
        document.output()
    try:
        from aftercare_app.exports import render
    except ImportError:  # an app without the report
        return
    from aftercare_app.services import CareRecords
    from aftercare_app.storage import KeyValueTextStore, MemoryLocalStorage, open_repository

    now = datetime.now(UTC)
    records = CareRecords(open_repository(KeyValueTextStore(MemoryLocalStorage())), lambda: now)
    records.start_session(now - timedelta(days=3), clinic_phone="+33 1 23 45", timezone="Europe/Paris")
    records.add_entry(now - timedelta(hours=2), {"redness": 1, "swelling": 2}, ["fever"], "ça va 😊 中文 한국어 עברית")
    records.set_done(records.today(), records.checklist().items[0].id, True)
    report = records.report()
    for fmt in ("csv", "ics", "pdf"):
        render(fmt, report)
    records.import_backup(records.export_backup())
    show_every_screen(records)


def show_every_screen(records: object) -> None:
    """Draw each screen of the app on a page that only records (as the UI tests do), and make the dialogs and
    services the screens open: Flet loads the modules of a control on its first use."""
    import asyncio

    import flet as ft

    from aftercare_app.ui.app import AftercareApp

    class Page:
        def __init__(self) -> None:
            self.views = [ft.View(route="/")]
            self.route, self.width = "/today", 390
            self.theme_mode = None

        def update(self) -> None: ...
        def navigate(self, route: str) -> None: ...
        def show_dialog(self, dialog: object) -> None: ...
        def pop_dialog(self) -> None: ...

        def run_task(self, function: object, *args: object, **kwargs: object) -> None:
            raise RuntimeError("no loop here")

    app = AftercareApp(Page(), records, zone_name="Europe/Paris")  # type: ignore[arg-type]
    app.start()
    for route in ("/today", "/checklist", "/diary", "/masks", "/follow-up", "/settings", "/session", "/welcome"):
        app.show(route)
    for make in (ft.DatePicker, ft.TimePicker, ft.AlertDialog, ft.FilePicker, ft.SharedPreferences,
                 lambda: ft.SnackBar(ft.Text(""))):
        try:
            make()
        except Exception:  # noqa: BLE001 - a service may want a live page; its module is imported all the same
            continue
    asyncio.get_event_loop()


sys.path.insert(0, jobs["lib"])
import flet  # noqa: E402, F401  (what every Flet app imports first)

exercise()
imported = sorted(sys.modules)

def without_docstrings(tree: ast.Module) -> ast.Module:
    """The module with the docstrings of itself, its classes and functions left out (lines unchanged)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                # Dropped, not replaced: a module's "from __future__" must stay its first statement.
                node.body = node.body[1:] or [ast.Pass(lineno=first.lineno, col_offset=first.col_offset)]
    return tree


def compile_to_pyc(source: str, recorded: str, strip: bool) -> None:
    """An unchecked-hash pyc beside ``source``, recording ``recorded`` as its file (what zipimport reads)."""
    with open(source, "rb") as handle:
        data = handle.read()
    tree = without_docstrings(ast.parse(data, recorded)) if strip else ast.parse(data, recorded)
    code = compile(tree, recorded, "exec", dont_inherit=True)
    to_pyc = importlib._bootstrap_external._code_to_hash_pyc  # type: ignore[attr-defined]
    pyc = to_pyc(code, importlib.util.source_hash(data), checked=False)
    with open(source + "c", "wb") as handle:
        handle.write(pyc)


failed = {}
for source, recorded, strip in jobs["compile"]:
    try:
        compile_to_pyc(source, recorded, strip)
    except (SyntaxError, ValueError) as error:
        failed[source] = f"{type(error).__name__}: {error}"[:200]
with open("/work/result.json", "w", encoding="utf-8") as handle:
    json.dump({"imported": imported, "failed": failed, "version": sys.version}, handle)
