"""The data commands of the command line, as their contract says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from aftercare_app.cli import main
from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day

ROOT = Path(__file__).resolve().parents[2]
TREATED = (datetime.now(UTC) - timedelta(days=3, hours=2)).replace(microsecond=0)


def iso(when: datetime) -> str:
    return when.astimezone(timezone(timedelta(hours=2))).isoformat()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run(data, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--data-dir", str(data)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def session_id(run) -> str:
    code, out, _ = run("session", "add", "--treated", iso(TREATED), "--area", "face", "--sensitive",
                       "--follow-up", (TREATED + timedelta(days=14)).date().isoformat(), "--clinic-phone", "+33 1 23 45")
    assert code == 0
    return out.strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_session_add_prints_the_new_session_id(session_id, run):
    _code, out, _ = run("session", "list", "--json")
    [row] = json.loads(out)
    assert row["id"] == session_id and row["current"] and row["sensitive"] is True


def test_diary_add_prints_an_id_that_diary_list_shows_with_its_day(session_id, run):
    at = TREATED + timedelta(hours=26)
    code, out, err = run("diary", "add", "--at", iso(at), "--symptom", "redness=2", "--symptom", "swelling=1",
                         "--sign", "fever", "--note", "warm to the touch")
    assert (code, err) == (0, "")
    entry_id = out.strip()
    code, out, _ = run("diary", "list", "--json")
    [listed] = json.loads(out)
    triage = listed.pop("triage")
    assert triage["level"] == "call_clinic" and any("Fever" in reason for reason in triage["reasons"])
    assert [listed] == [
        {
            "id": entry_id,
            "session_id": session_id,
            "at": iso(at),
            "day": 1,
            "symptoms": {"redness": 2, "swelling": 1},
            "signs": ["fever"],
            "note": "warm to the touch",
        }
    ]


def test_diary_edit_replaces_the_fields_given_and_delete_removes_the_entry(session_id, run):
    entry_id = run("diary", "add", "--at", iso(TREATED + timedelta(hours=2)), "--symptom", "pain=3")[1].strip()
    assert run("diary", "edit", entry_id, "--symptom", "pain=1", "--note", "better")[0] == 0
    [row] = json.loads(run("diary", "list", "--json")[1])
    assert (row["symptoms"], row["note"], row["day"]) == ({"pain": 1}, "better", 0)
    assert run("diary", "delete", entry_id)[0] == 0
    assert json.loads(run("diary", "list", "--json")[1]) == []


def test_checklist_tick_and_untick_show_in_checklist_show(session_id, run):
    tasks = tasks_for_day(default_protocol(), 1)
    assert run("checklist", "tick", "--day", "1", "--item", tasks[0].id)[0] == 0
    assert run("checklist", "tick", "--day", "1", "--item", tasks[1].id)[0] == 0
    assert run("checklist", "untick", "--day", "1", "--item", tasks[1].id)[0] == 0
    shown = json.loads(run("checklist", "show", "--day", "1", "--json")[1])
    assert shown["day"] == 1 and shown["session_id"] == session_id
    assert [i["id"] for i in shown["items"]] == [t.id for t in tasks]
    assert [i["id"] for i in shown["items"] if i["done"]] == [tasks[0].id]
    assert all(i["text"] for i in shown["items"])
    assert (shown["done"], shown["due"]) == (1, len(tasks))


def test_checklist_show_defaults_to_today(session_id, run):
    assert json.loads(run("checklist", "show", "--json")[1])["day"] == 3


def test_an_export_imported_elsewhere_restores_everything(session_id, run, tmp_path, capsys):
    run("diary", "add", "--at", iso(TREATED + timedelta(hours=30)), "--symptom", "itching=1", "--note", "ça gratte")
    run("checklist", "tick", "--day", "0", "--item", tasks_for_day(default_protocol(), 0)[0].id)
    backup = tmp_path / "backup.json"
    _code, out, _ = run("export", "--format", "json")
    backup.write_text(out, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    assert main(["import", str(backup), "--data-dir", str(elsewhere)]) == 0
    capsys.readouterr()
    assert main(["export", "--data-dir", str(elsewhere)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["data"] == json.loads(out)["data"]


@pytest.mark.parametrize(
    "content",
    ["{oops", "[]", '{"format": "aftercare-companion-export", "schema": 2, "data": {"diary": [{"id": 1}]}}', "\udcff"],
    ids=["not json", "not an object", "bad record", "not utf-8"],
)
def test_importing_a_malformed_file_changes_nothing_and_says_why(session_id, run, data, tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = snapshot(data)
    code, out, err = run("import", str(bad))
    assert code != 0 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "nothing was changed" in err
    assert snapshot(data) == before


BAD_COMMANDS = {
    "unparseable date": ["diary", "add", "--at", "yesterday"],
    "naive date": ["diary", "add", "--at", "2026-05-02T10:00:00"],
    "unknown symptom": ["diary", "add", "--at", "{at}", "--symptom", "glitter=1"],
    "severity above 3": ["diary", "add", "--at", "{at}", "--symptom", "pain=4"],
    "unknown sign": ["diary", "add", "--at", "{at}", "--sign", "sneezing"],
    "entry before the session": ["diary", "add", "--at", "{before}"],
    "lone surrogate note": ["diary", "add", "--at", "{at}", "--note", "bad \udcff"],
    "unknown item": ["checklist", "tick", "--day", "0", "--item", "juggling"],
    "negative day": ["checklist", "tick", "--day", "-1", "--item", "hands_off"],
    "unknown entry edit": ["diary", "edit", "e_nope", "--note", "x"],
    "unknown entry delete": ["diary", "delete", "e_nope"],
    "unknown area": ["session", "add", "--treated", "{at}", "--area", "knee"],
}


@pytest.mark.parametrize("case", list(BAD_COMMANDS), ids=list(BAD_COMMANDS))
def test_bad_input_exits_non_zero_with_one_line_and_changes_nothing(session_id, run, data, case):
    run("diary", "add", "--at", iso(TREATED + timedelta(hours=1)))
    argv = [a.format(at=iso(TREATED + timedelta(hours=3)), before=iso(TREATED - timedelta(hours=1))) for a in BAD_COMMANDS[case]]
    before = snapshot(data)
    code, out, err = run(*argv)
    assert code != 0 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(data) == before


def test_nothing_can_be_recorded_before_a_session_and_no_folder_is_created(run, data):
    code, _, err = run("diary", "add", "--at", iso(TREATED))
    assert code != 0 and "No treatment session" in err
    code, _, err = run("checklist", "show", "--json")
    assert code != 0
    assert not data.exists()


def test_the_data_folder_comes_from_the_environment_when_not_given(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AFTERCARE_DATA_DIR", str(tmp_path / "from-env"))
    assert main(["session", "add", "--treated", iso(TREATED)]) == 0
    assert (tmp_path / "from-env" / "aftercare.json").exists()


def test_the_module_runs_as_a_program_and_refuses_invalid_utf8_without_a_traceback(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AFTERCARE_DATA_DIR": str(tmp_path)}

    def program(*argv: str | bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "aftercare_app", *argv], env=env, capture_output=True, timeout=60, check=False)

    assert program("session", "add", "--treated", iso(TREATED)).returncode == 0
    before = snapshot(tmp_path)
    refused = program("diary", "add", "--at", iso(TREATED + timedelta(hours=1)), "--note", b"bad \xff bytes")
    assert refused.returncode != 0
    assert refused.stderr.count(b"\n") == 1 and b"invalid characters" in refused.stderr
    assert snapshot(tmp_path) == before
    stored = program("diary", "add", "--at", iso(TREATED + timedelta(hours=1)), "--note", "fine")
    assert stored.returncode == 0 and stored.stdout.strip().startswith(b"e_")


def test_the_data_folder_may_also_be_given_before_the_action(tmp_path, capsys):
    folder = tmp_path / "before"
    assert main(["session", "--data-dir", str(folder), "add", "--treated", iso(TREATED)]) == 0
    assert main(["diary", "--data-dir", str(folder), "list", "--json"]) == 0
    assert (folder / "aftercare.json").exists()
