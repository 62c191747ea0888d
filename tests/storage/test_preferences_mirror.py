"""The mirror that lets the synchronous repository use Flet's async SharedPreferences."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.storage import KeyValueTextStore, MemoryLocalStorage, SaveFailed, open_repository
from aftercare_app.storage.preferences import PreferencesMirror

TREATED = datetime(2026, 5, 1, 10, tzinfo=timezone.utc)


class FakeSharedPreferences:
    """Async get/set/remove/get_keys over a localStorage stand-in, like ``ft.SharedPreferences``."""

    def __init__(self, local: MemoryLocalStorage) -> None:
        self.local = local

    async def get(self, key):
        await asyncio.sleep(0)
        return self.local.get(key)

    async def set(self, key, value):
        await asyncio.sleep(0)
        self.local.set(key, value)
        return True

    async def remove(self, key):
        self.local.remove(key)
        return True

    async def get_keys(self, key_prefix):
        return [k for k in self.local.keys() if k.startswith(key_prefix)]


def test_writes_reach_local_storage_on_flush_and_survive_a_reload():
    local = MemoryLocalStorage()

    async def session_one():
        mirror = await PreferencesMirror.load(FakeSharedPreferences(local))
        repo = open_repository(KeyValueTextStore(mirror))
        repo.add_session(TreatmentSession("s1", TREATED))
        repo.add_entry(DiaryEntry("e1", "s1", TREATED + timedelta(hours=1)))
        assert local.get("aftercare.store") is None  # not yet: durable only after flush
        await mirror.flush()
        assert not mirror.has_pending_writes

    async def after_reload():
        mirror = await PreferencesMirror.load(FakeSharedPreferences(local))
        return [e.id for e in open_repository(KeyValueTextStore(mirror)).list_entries()]

    asyncio.run(session_one())
    assert asyncio.run(after_reload()) == ["e1"]


def test_a_refused_flush_says_so_and_keeps_the_writes_queued():
    local = MemoryLocalStorage(quota=300)

    async def scenario():
        mirror = await PreferencesMirror.load(FakeSharedPreferences(local))
        repo = open_repository(KeyValueTextStore(mirror))
        repo.add_session(TreatmentSession("s1", TREATED, notes="n" * 400))
        with pytest.raises(SaveFailed):
            await mirror.flush()
        assert mirror.has_pending_writes

    asyncio.run(scenario())
    assert local.get("aftercare.store") is None


def test_refresh_sees_what_another_tab_wrote():
    local = MemoryLocalStorage()

    async def scenario():
        ours = await PreferencesMirror.load(FakeSharedPreferences(local))
        theirs = await PreferencesMirror.load(FakeSharedPreferences(local))
        open_repository(KeyValueTextStore(theirs)).add_session(TreatmentSession("s1", TREATED))
        await theirs.flush()
        await ours.refresh()
        repo = open_repository(KeyValueTextStore(ours))
        repo.add_entry(DiaryEntry("e1", "s1", TREATED + timedelta(hours=1)))
        await ours.flush()

    asyncio.run(scenario())
    repo = open_repository(KeyValueTextStore(local))
    assert repo.current_session().id == "s1" and [e.id for e in repo.list_entries()] == ["e1"]
