"""``report``: each export written from a data folder, read back; bad input leaves no file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from aftercare_app.cli import main
from aftercare_app.domain.records import Profile
from aftercare_app.storage import FileTextStore, load_export, open_repository
from tests.report.diaries import make_diary, store_diary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder holding two sessions, a week of diary and ticks."""
    folder = tmp_path / "data"
    store_diary(make_diary(7, red_flag_day=2, notes=["Щиплет", "有点红", "ok"]), folder)
    return folder


@pytest.fixture
def run(data, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["report", *argv, "--data-dir", str(data)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_pdf_of_the_current_session(run, tmp_path):
    out = tmp_path / "report.pdf"
    assert run("--format", "pdf", "--output", str(out))[0] == 0
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Session 2 of 2 recorded" in text and "Red-flag events: 1" in text and "Щиплет" in text


def test_pdf_of_an_earlier_session(run, tmp_path):
    out = tmp_path / "first.pdf"
    assert run("--format", "pdf", "--session", "s-0", "--output", str(out))[0] == 0
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Session 1 of 2 recorded" in text and "No diary entries were recorded" in text


def test_csv(run, tmp_path):
    out = tmp_path / "diary.csv"
    assert run("--format", "csv", "--output", str(out))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"), newline="")))
    assert len(rows) == 7 and {r["triage_level"] for r in rows} >= {"normal", "call_clinic"}


def test_ics_with_check_ins(run, tmp_path):
    out = tmp_path / "calendar.ics"
    assert run("--format", "ics", "--check-in", "20:00", "--check-in-days", "5", "--output", str(out))[0] == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert sum("check-in" in u for u in uids) == 5 and any(u.startswith("follow-up") for u in uids)


def test_output_dash_writes_to_standard_output(run):
    code, out, err = run("--format", "ics", "--output", "-")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR") and err == ""


def test_json_is_the_full_backup_and_re_imports(run, tmp_path, data):
    out = tmp_path / "backup.json"
    assert run("--format", "json", "--output", str(out))[0] == 0
    original = open_repository(FileTextStore(data))
    fresh = open_repository(FileTextStore(tmp_path / "restored"))
    summary = fresh.import_all(load_export(out.read_text("utf-8")))
    assert (summary.sessions, summary.entries) == (2, 7)
    assert fresh.list_entries() == original.list_entries()
    assert fresh.list_ticks("s-1") == original.list_ticks("s-1")
    assert fresh.get_profile() == original.get_profile()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--format", "pdf", "--session", "nope"], "nope"),
        (["--format", "xls"], "invalid choice"),
        (["--format", "ics", "--check-in", "8pm"], "HH:MM"),
        (["--format", "ics", "--check-in-days", "-1"], "check-in-days"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_leaves_no_file(run, tmp_path, argv, message):
    out = tmp_path / "out.file"
    code, stdout, err = run(*argv, "--output", str(out))
    assert code == 2 and message in err and err.count("\n") == 1 and stdout == ""
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no temporary file left either


def test_a_failed_export_keeps_the_previous_file(run, tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"previous")
    assert run("--format", "pdf", "--session", "nope", "--output", str(out))[0] == 2
    assert out.read_bytes() == b"previous"


def test_an_output_in_a_missing_folder_is_refused(run, tmp_path):
    code, _, err = run("--format", "csv", "--output", str(tmp_path / "missing" / "x.csv"))
    assert code == 2 and "does not exist" in err


def test_no_session_yet_is_refused(tmp_path, capsys):
    open_repository(FileTextStore(tmp_path / "empty")).save_profile(Profile())
    code = main(["report", "--format", "pdf", "--output", str(tmp_path / "x.pdf"), "--data-dir", str(tmp_path / "empty")])
    assert code == 2 and "session" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_the_data_folder_comes_from_the_environment(data, tmp_path):
    out = tmp_path / "env.csv"
    env = {**os.environ, "AFTERCARE_DATA_DIR": str(data)}
    result = subprocess.run(
        [sys.executable, "-m", "aftercare_app", "report", "--format", "csv", "--output", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8-sig").count("\n") == 8
