"""The exports run in the in-browser Python (Pyodide, from the flet-web package) with no Pillow and no network."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# What the PDF, CSV and calendar need in the browser: the app and these pure-Python packages (icalendar reads UTC
# from tzdata, which the app ships).
PACKAGES = ("fpdf", "fontTools", "defusedxml", "dateutil", "icalendar", "tzdata")

SCRIPT = r"""
import {{ loadPyodide }} from "{pyodide}/pyodide.mjs";
const pyodide = await loadPyodide({{ indexURL: "{pyodide}/" }});
pyodide.FS.mkdir("/app");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, {{ root: "{site}" }}, "/app");
await pyodide.runPythonAsync(`
import sys
sys.path.insert(0, "/app")
sys.modules["PIL"] = None
from datetime import datetime, timedelta, timezone
from aftercare_app.content import default_protocol
from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.domain.report import build_report
from aftercare_app.exports.pdf import report_pdf
from aftercare_app.exports.diary_csv import diary_csv
from aftercare_app.exports.ics import calendar_ics
treated = datetime(2026, 3, 20, 10, 30, tzinfo=timezone(timedelta(hours=1)))
session = TreatmentSession("s1", treated, follow_up=(treated + timedelta(days=14)).date())
entries = [DiaryEntry(f"e{{d}}", "s1", treated + timedelta(days=d, hours=3), {{"redness": max(0, 2 - d)}}, [], "Щиплет 有点红 조금 שלום") for d in range(30)]
report = build_report(default_protocol(), session, now=treated + timedelta(days=30), entries=entries)
with open("/app/out.pdf", "wb") as f:
    f.write(report_pdf(report))
with open("/app/out.csv", "wb") as f:
    f.write(diary_csv(report))
with open("/app/out.ics", "wb") as f:
    f.write(calendar_ics(report))
print("python", sys.version.split()[0], sys.platform)
`);
"""


def _pyodide_folder() -> Path | None:
    try:
        flet_web = importlib.import_module("flet_web")
    except ImportError:
        return None
    folder = Path(flet_web.__file__).parent / "web" / "pyodide"
    return folder if (folder / "pyodide.mjs").exists() else None


def _copy_pure_python(package: str, target: Path) -> None:
    source = Path(importlib.import_module(package).__file__).parent
    shutil.copytree(source, target / package, ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))


def test_pdf_csv_and_calendar_are_made_in_pyodide_without_pillow(tmp_path):
    pyodide, node = _pyodide_folder(), shutil.which("node")
    if pyodide is None or node is None:
        pytest.skip("needs node and the Pyodide runtime of flet-web")
    site = tmp_path / "site"
    site.mkdir()
    for package in PACKAGES:
        _copy_pure_python(package, site)
    shutil.copytree(ROOT / "aftercare_app", site / "aftercare_app", ignore=shutil.ignore_patterns("__pycache__"))
    script = tmp_path / "run.mjs"
    script.write_text(SCRIPT.format(pyodide=pyodide.as_posix(), site=site.as_posix()), encoding="utf-8")
    result = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=400, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "emscripten" in result.stdout
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(site / "out.pdf", strict=True).pages)
    assert "Mesotherapy follow-up report" in text and "有点红" in text
    assert (site / "out.csv").read_bytes().count(b"\r\n") == 31
    assert b"BEGIN:VCALENDAR" in (site / "out.ics").read_bytes()
