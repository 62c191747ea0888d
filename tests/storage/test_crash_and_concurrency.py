"""No acknowledged write is lost: not to a process killed mid-write, not to a second process writing at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.storage.files import atomic_write

WRITER = Path(__file__).with_name("store_writer.py")
ROOT = Path(__file__).resolve().parents[2]
TREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)


def _start_writer(folder: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(folder), prefix, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _store_with_entries(folder: Path, count: int) -> None:
    repo = open_repository(FileTextStore(folder))
    repo.add_session(TreatmentSession("s1", TREATED))
    exported = repo.export_all(TREATED)
    exported["data"]["diary"] = [
        {"id": f"old{n}", "v": 2, "session_id": "s1", "at": (TREATED + timedelta(minutes=n)).isoformat(),
         "symptoms": {"swelling": 1}, "signs": [], "note": "y" * 40}
        for n in range(count)
    ]
    repo.import_all(exported)


@pytest.mark.slow
def test_a_store_killed_mid_write_at_random_moments_still_opens_with_every_acknowledged_write(tmp_path):
    folder = tmp_path / "data"
    _store_with_entries(folder, 2000)  # a store of some size, so kills land inside writes
    rng = random.Random(20260501)
    acknowledged: set[str] = set()
    deadline = time.monotonic() + 15
    rounds = 0
    while time.monotonic() < deadline and rounds < 40:
        writer = _start_writer(folder, f"r{rounds}_", 100_000)
        time.sleep(rng.uniform(0.3, 0.7))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged.update(out.split())
        rounds += 1

        repo = open_repository(FileTextStore(folder))
        assert repo.startup.recovery is None, repo.startup.recovery.message
        stored = {e.id for e in repo.list_entries()}
        assert acknowledged <= stored, f"lost after round {rounds}: {sorted(acknowledged - stored)[:5]}"
    assert rounds >= 10 and len(acknowledged) > rounds  # the writers did get to write
    open_repository(FileTextStore(folder)).add_entry(DiaryEntry("after", "s1", TREATED))
    assert not list(folder.glob(".aftercare.json.*"))  # the next writer swept the dead writers' temporaries


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "store.json"
    atomic_write(target, b"old and whole")

    def crash(*args):
        raise OSError("disk pulled out")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old and whole"
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_none_of_each_others_entries(tmp_path):
    folder = tmp_path / "data"
    _store_with_entries(folder, 200)
    writers = [_start_writer(folder, prefix, 60) for prefix in ("a", "b")]
    outputs = [w.communicate(timeout=60) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    stored = {e.id for e in open_repository(FileTextStore(folder)).list_entries()}
    assert {f"{p}{n}" for p in "ab" for n in range(60)} <= stored
    assert len(stored) == 200 + 120


def test_a_write_by_another_process_is_seen_before_the_next_write(tmp_path):
    folder = tmp_path / "data"
    ours = open_repository(FileTextStore(folder))
    ours.add_session(TreatmentSession("s1", TREATED))
    writer = _start_writer(folder, "theirs", 1)
    assert writer.communicate(timeout=30)[0].split() == ["theirs0"]
    ours.add_entry(DiaryEntry("ours", "s1", TREATED + timedelta(hours=1)))
    assert {e.id for e in open_repository(FileTextStore(folder)).list_entries()} == {"theirs0", "ours"}


def test_without_flock_as_in_pyodide_the_store_still_works(tmp_path, monkeypatch):
    from aftercare_app.storage import files

    monkeypatch.setattr(files, "fcntl", None)
    repo = open_repository(FileTextStore(tmp_path))
    repo.add_session(TreatmentSession("s1", TREATED))
    repo.add_entry(DiaryEntry("e1", "s1", TREATED + timedelta(hours=1)))
    assert [e.id for e in open_repository(FileTextStore(tmp_path)).list_entries()] == ["e1"]
