"""A store written by an older version is migrated at start-up, after a backup."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from aftercare_app.domain.vocabulary import Area, Severity, Symptom, WarningSign
from aftercare_app.storage import SCHEMA_VERSION, FileTextStore, StoreTooNew, open_repository
from aftercare_app.storage.schema import MIGRATIONS, decode_store, migrate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_v1.json"


@pytest.fixture
def old_store(backend):
    store = backend.text_store()
    store.write(FIXTURE.read_text(encoding="utf-8"))
    return store


def test_a_version_1_store_migrates_to_the_current_schema_with_everything_kept(backend, old_store):
    repo = open_repository(old_store)
    assert repo.startup.migrated_from == 1
    assert repo.startup.recovery is None

    profile = repo.get_profile()
    assert (profile.area, profile.sensitive, profile.clinic_phone) == (Area.SCALP, True, "+33 1 23 45 67 89")
    [session] = repo.list_sessions()
    assert session.treated_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert session.treated_at.utcoffset() == timedelta(hours=1)
    assert (session.area, session.sensitive, session.follow_up) == (Area.SCALP, True, date(2026, 3, 16))

    assert [(t.day, t.item_id) for t in repo.list_ticks(session.id)] == [(0, "hands_off"), (1, "gentle_cleanse")]
    first, second = repo.list_entries(session.id)
    assert first.symptoms == {Symptom.REDNESS: Severity.MODERATE, Symptom.SWELLING: Severity.MILD}
    assert first.note == "Un peu rouge, normal d'après la clinique"
    assert second.signs == {WarningSign.FEVER}
    assert [e.id for e in repo.list_entries(session.id, day=1)] == [second.id]
    assert decode_store(old_store.read())[0] == SCHEMA_VERSION


def test_the_old_store_is_backed_up_byte_for_byte_before_migrating(backend, old_store):
    original = old_store.read()
    open_repository(old_store)
    [backup] = old_store.backups()
    assert "before-migration-from-v1" in backup.name
    assert old_store.read_backup(backup.name) == original


def test_a_migrated_store_opens_again_without_migrating_twice(backend, old_store):
    first = open_repository(old_store)
    again = backend.open()
    assert again.startup.migrated_from is None
    assert again.list_entries() == first.list_entries()
    assert len(old_store.backups()) == 1


def test_migrations_are_ordered_and_reach_the_current_schema():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_migrating_is_deterministic_so_a_crash_during_it_is_harmless():
    _, tables = decode_store(FIXTURE.read_text(encoding="utf-8"))
    assert migrate(json.loads(json.dumps(tables)), 1) == migrate(tables, 1)


def test_a_store_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    store = FileTextStore(tmp_path)
    text = json.dumps({"_meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "diary": {}})
    store.write(text)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(StoreTooNew, match="newer version"):
        open_repository(store)
    assert store.read() == text
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_version_1_export_imports_through_the_same_migrations(repo):
    _, tables = decode_store(FIXTURE.read_text(encoding="utf-8"))
    export = {
        "format": "aftercare-companion-export",
        "schema": 1,
        "exported_at": "2026-03-05T10:00:00+01:00",
        "data": {name: [{"id": key, **doc} for key, doc in table.items()] for name, table in tables.items()},
    }
    summary = repo.import_all(export)
    assert (summary.sessions, summary.ticks, summary.entries, summary.migrated_from) == (1, 2, 2, 1)
