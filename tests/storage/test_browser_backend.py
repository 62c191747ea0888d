"""The browser backend: the store in localStorage survives a reload, and a full quota loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.storage import (
    KeyValueTextStore,
    MemoryLocalStorage,
    QuotaExceededError,
    SaveFailed,
    open_repository,
)

TREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)


def test_the_stand_in_holds_only_strings_like_local_storage():
    local = MemoryLocalStorage()
    with pytest.raises(TypeError):
        local.set("n", 1)  # type: ignore[arg-type]
    local.set("k", "v")
    assert local.get("k") == "v" and local.get("missing") is None


def test_the_stand_in_refuses_what_exceeds_its_quota_and_keeps_the_old_value():
    local = MemoryLocalStorage(quota=100)
    local.set("k", "a" * 50)
    with pytest.raises(QuotaExceededError):
        local.set("k", "b" * 120)
    assert local.get("k") == "a" * 50
    local.set("k", "c" * 90)  # replacing a value frees its space first


def test_the_default_quota_is_about_five_megabytes_of_characters():
    local = MemoryLocalStorage()
    local.set("big", "x" * 5_000_000)
    with pytest.raises(QuotaExceededError):
        local.set("more", "x" * 300_000)


def test_data_survives_a_page_reload():
    local = MemoryLocalStorage()
    repo = open_repository(KeyValueTextStore(local))
    repo.add_session(TreatmentSession("s1", TREATED))
    reloaded = open_repository(KeyValueTextStore(local))  # a new interpreter, the same localStorage
    assert reloaded.current_session().id == "s1"


def test_a_write_beyond_the_quota_is_refused_clearly_and_changes_nothing():
    local = MemoryLocalStorage(quota=4000)
    repo = open_repository(KeyValueTextStore(local))
    repo.add_session(TreatmentSession("s1", TREATED))
    before = local.snapshot()
    with pytest.raises(SaveFailed, match="storage for this app may be full"):
        for n in range(100):
            repo.add_entry(DiaryEntry(f"e{n}", "s1", TREATED, note="n" * 300))
    saved = open_repository(KeyValueTextStore(local)).list_entries()
    assert len(saved) == n  # every entry before the refused one, none after
    assert local.get("aftercare.store") is not None and local.snapshot() != before
    # the refused entry is not half-remembered by the repository that failed
    assert [e.id for e in repo.list_entries()] == [e.id for e in saved]


def test_any_object_with_get_set_and_remove_of_strings_is_a_backend():
    class Prefs:
        def __init__(self) -> None:
            self.values: dict[str, str] = {}

        def get(self, key):
            return self.values.get(key)

        def set(self, key, value):
            self.values[key] = value

        def remove(self, key):
            self.values.pop(key, None)

    prefs = Prefs()
    open_repository(KeyValueTextStore(prefs, prefix="app")).add_session(TreatmentSession("s1", TREATED))
    assert set(prefs.values) == {"app.store"}
