"""Python bytecode for the browser, made by the browser's own interpreter, and what the app imports there.

The site's Pyodide would otherwise compile every module it imports at every start: the standard library
(flet-web's ``python_stdlib.zip`` holds only sources), Flet and the app. Bytecode must come from the same Python
build that runs it, so :func:`look_in_pyodide` runs flet-web's Pyodide under Node.js (``node`` on the PATH) once
per build. It compiles each module to an unchecked-hash ``.pyc`` (nothing is compared with a source at import) that
records the path the module has in the browser, so a traceback names the file and line (the docstrings of the
standard library and the dependencies are left out: nothing the app runs reads them, and they are a sixth of the
bytes); and, with exactly the files that ship on its path, it runs the app's flows (``in_pyodide.py``) to see
which modules they import, so the first visit downloads those and the rest waits until asked for. Without Node.js
the build ships sources as before, and says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PyodideView", "look_in_pyodide", "node_executable"]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PyodideView:
    bytecode: dict[str, bytes]  # "lib:<file>" or "std:<file>" -> its .pyc
    failed: dict[str, str]  # the same keys -> why the interpreter refused it (it ships as source)
    imported: tuple[str, ...]  # the modules the app's flows imported


def node_executable() -> str | None:
    """The Node.js that runs Pyodide for the build, or None."""
    return shutil.which("node")


def look_in_pyodide(
    shipped: Mapping[str, bytes],
    stdlib: Mapping[str, bytes],
    *,
    recorded_as: Mapping[str, str],
    pyodide_dir: Path,
    node: str,
    entry: str,
    keep_docstrings: Collection[str] = (),
    skip: Sequence[str] = (),
    whole: Sequence[str] = (),
) -> PyodideView:
    """Compile the Python files of ``shipped`` (the app and its dependencies, by path from their import root) and
    of ``stdlib`` with the Pyodide in ``pyodide_dir``, each ``.pyc`` recording ``recorded_as[key]`` as its file
    (keys ``lib:<file>`` and ``std:<file>``; docstrings left out but for the keys in ``keep_docstrings``); before that, with only ``shipped`` on its path, import the
    ``entry`` module and every module of the packages in ``whole``, run the app's flows (skipping modules under
    ``skip``), and report every module imported."""
    with tempfile.TemporaryDirectory(prefix="aftercare-pyodide-") as work:
        root = Path(work)
        jobs: list[tuple[str, str, bool]] = []
        for folder, files in (("lib", shipped), ("std", stdlib)):
            for name, data in files.items():
                target = root / folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                key = f"{folder}:{name}"
                if name.endswith(".py"):
                    jobs.append((f"/work/{folder}/{name}", recorded_as[key], key not in keep_docstrings))
        (root / "jobs.json").write_text(json.dumps({
            "entry": entry, "lib": "/work/lib", "skip": list(skip), "whole": list(whole), "compile": jobs,
        }))
        shutil.copyfile(_HERE / "in_pyodide.py", root / "script.py")
        completed = subprocess.run(
            [node, str(_HERE / "pyodide_node.mjs"), str(pyodide_dir), str(root)],
            capture_output=True, text=True, timeout=1200, check=False,
        )
        if completed.returncode != 0:
            tail = completed.stderr.strip().splitlines()[-12:]
            raise RuntimeError("running the site's Pyodide under Node.js failed:\n" + "\n".join(t[:300] for t in tail))
        result = json.loads((root / "result.json").read_text())
        names = {path: ":".join(path.split("/", 3)[2:]) for path, _, _ in jobs}  # "/work/lib/x.py" -> "lib:x.py"
        failed = {names[path]: reason for path, reason in result["failed"].items()}
        bytecode = {names[path]: Path(root, *path.split("/")[2:]).with_suffix(".pyc").read_bytes()
                    for path, _, _ in jobs if path not in result["failed"]}
        imported = tuple(result["imported"])
    return PyodideView(bytecode, failed, imported)
