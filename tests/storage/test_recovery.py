"""Rolling backups, and a damaged store set aside and recovered from the newest good backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from aftercare_app.storage import FileTextStore, KeyValueTextStore, MemoryLocalStorage, open_repository


def _three_opens_of_writes(backend, make_session, make_entry):
    """Each open backs up the state before its first write; returns the text of every state."""
    states = []
    repo = backend.open()
    repo.add_session(make_session())
    states.append(backend.text_store().read())
    for n in range(1, 4):
        backend.open().add_entry(make_entry(f"e{n}", n))
        states.append(backend.text_store().read())
    return states


def test_each_open_keeps_the_state_before_its_first_write_as_a_backup(backend, make_session, make_entry):
    states = _three_opens_of_writes(backend, make_session, make_entry)
    store = backend.text_store()
    assert [store.read_backup(b.name) for b in store.backups()] == states[-2::-1][: store.keep_backups]


def test_only_the_newest_backups_are_kept(tmp_path, make_session, make_entry):
    store = FileTextStore(tmp_path, keep_backups=5)
    open_repository(store).add_session(make_session())
    for n in range(8):
        open_repository(FileTextStore(tmp_path)).add_entry(make_entry(f"e{n}", n))
    assert len(store.backups()) == 5
    assert len(list((tmp_path / "backups").iterdir())) == 5
    names = [b.name for b in store.backups()]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated mid-write
        lambda text: "",  # emptied
        lambda text: text.replace('"diary"', '"diary":[', 1),  # not JSON any more
        lambda text: "[1, 2, 3]",  # JSON, but not a store
        lambda text: '{"sessions": {}}',  # no schema version
        lambda text: text.replace("{", "{\x00", 1),
    ],
)
def test_a_damaged_store_is_set_aside_and_the_newest_good_backup_restored(backend, make_session, make_entry, damage):
    states = _three_opens_of_writes(backend, make_session, make_entry)
    store = backend.text_store()
    newest_backup = store.backups()[0]
    damaged = damage(states[-1])
    store.write(damaged)

    repo = backend.open()

    report = repo.startup.recovery
    assert report is not None
    assert report.restored_from == newest_backup.name
    assert store.read() == states[-2]
    assert [e.id for e in repo.list_entries()] == ["e1", "e2"]
    assert "could not be read" in report.message and "restored" in report.message
    assert _kept_aside(backend, report.damaged_copy) == damaged


def test_undecodable_bytes_are_recovered_like_any_damage(tmp_path, make_session, make_entry):
    store = FileTextStore(tmp_path)
    open_repository(store).add_session(make_session())
    open_repository(FileTextStore(tmp_path)).add_entry(make_entry("e1", 1))
    store.path.write_bytes(b"\xff\xfe garbage")
    repo = open_repository(FileTextStore(tmp_path))
    assert repo.startup.recovery is not None
    assert repo.current_session().id == "s1"
    assert (tmp_path / "damaged").exists()
    assert [p.read_bytes() for p in (tmp_path / "damaged").iterdir()] == [b"\xff\xfe garbage"]


def test_a_damaged_store_without_any_backup_starts_empty_and_still_keeps_the_damage(backend):
    store = backend.text_store()
    store.write('{"_meta": {"1": {"schema": 2}}, "sessi')
    repo = backend.open()
    report = repo.startup.recovery
    assert report.restored_from is None
    assert "starts empty" in report.message
    assert repo.list_sessions() == []
    assert _kept_aside(backend, report.damaged_copy) == '{"_meta": {"1": {"schema": 2}}, "sessi'


def test_a_damaged_backup_is_skipped_for_an_older_good_one(tmp_path, make_session, make_entry):
    store = FileTextStore(tmp_path)
    open_repository(store).add_session(make_session())
    good = store.read()
    open_repository(FileTextStore(tmp_path)).add_entry(make_entry("e1", 1))  # backup: session only
    open_repository(FileTextStore(tmp_path)).add_entry(make_entry("e2", 2))  # backup: session + e1
    newest = store.backups()[0]
    (tmp_path / "backups" / f"{newest.name}.json").write_text("{oops")
    store.path.write_text("")
    repo = open_repository(FileTextStore(tmp_path))
    assert repo.startup.recovery.restored_from == store.backups()[1].name
    assert store.read() == good


def test_damaged_copies_are_never_overwritten(tmp_path, make_session):
    for attempt in range(3):
        FileTextStore(tmp_path).write(f"damaged {attempt}")
        open_repository(FileTextStore(tmp_path))
    kept = sorted(p.read_text() for p in (tmp_path / "damaged").iterdir())
    assert kept == ["damaged 0", "damaged 1", "damaged 2"]


def test_the_browser_backend_keeps_fewer_backups_in_its_small_quota():
    local = MemoryLocalStorage()
    store = KeyValueTextStore(local)
    for n in range(4):
        store.save_backup(f"state {n}")
    assert [store.read_backup(b.name) for b in store.backups()] == ["state 3", "state 2"]
    assert sum(key.startswith("aftercare.backup.") for key in local.keys()) == 2  # noqa: SIM118 - a localStorage stand-in, not a dict


def _kept_aside(backend, where: str) -> str:
    if backend.kind == "file":
        return Path(where).read_text(encoding="utf-8", errors="surrogateescape")
    return backend.local_storage.get(where)
