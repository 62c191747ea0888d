"""The repository speaks domain records, on every backend (see the ``backend`` fixture)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from aftercare_app.domain.records import ChecklistTick, Profile
from aftercare_app.domain.vocabulary import Area, Severity, Symptom, WarningSign
from aftercare_app.storage import SCHEMA_VERSION, ImportRefused, NotFound, StorageError

UTC = UTC


def test_a_new_store_has_no_profile_no_sessions_and_writes_nothing(backend, repo):
    assert repo.get_profile() is None
    assert repo.list_sessions() == []
    assert repo.current_session() is None
    assert repo.list_entries() == []
    assert backend.snapshot() == {}


def test_the_profile_is_saved_and_read_back_after_a_restart(backend, repo):
    profile = Profile(area=Area.SCALP, sensitive=True, clinic_name="Clinique", clinic_phone="+33 1 23 45", timezone="Europe/Paris")
    repo.save_profile(profile)
    repo.save_profile(profile)
    assert backend.open().get_profile() == profile


def test_sessions_are_listed_oldest_first_and_the_newest_is_current(backend, repo, make_session):
    later = make_session("s2", datetime(2026, 6, 1, 9, tzinfo=UTC), follow_up=date(2026, 6, 15), notes="second")
    repo.add_session(later)
    repo.add_session(make_session("s1"))
    reopened = backend.open()
    assert [s.id for s in reopened.list_sessions()] == ["s1", "s2"]
    assert reopened.current_session() == later
    assert reopened.get_session("s2").follow_up == date(2026, 6, 15)


def test_an_unknown_session_is_not_found(repo):
    with pytest.raises(NotFound):
        repo.get_session("nope")


def test_a_session_id_cannot_be_added_twice(repo, make_session):
    repo.add_session(make_session())
    with pytest.raises(StorageError):
        repo.add_session(make_session())


def test_ticks_are_set_and_unset_per_session_and_day(backend, repo, make_session):
    repo.add_session(make_session())
    at = datetime(2026, 5, 1, 12, tzinfo=UTC)
    repo.set_tick(ChecklistTick("s1", 0, "hands_off", at))
    repo.set_tick(ChecklistTick("s1", 0, "hands_off", at))  # ticking twice keeps one tick
    repo.set_tick(ChecklistTick("s1", 1, "hands_off", at))
    reopened = backend.open()
    assert [(t.day, t.item_id) for t in reopened.list_ticks("s1")] == [(0, "hands_off"), (1, "hands_off")]
    assert reopened.unset_tick("s1", 0, "hands_off") is True
    assert reopened.unset_tick("s1", 0, "hands_off") is False
    assert [t.day for t in backend.open().list_ticks("s1", day=1)] == [1]
    assert backend.open().list_ticks("s1", day=0) == []


def test_a_tick_for_an_unknown_session_is_refused(repo):
    with pytest.raises(NotFound):
        repo.set_tick(ChecklistTick("nope", 0, "hands_off", datetime(2026, 5, 1, tzinfo=UTC)))


def test_diary_entries_are_added_edited_deleted_and_listed_in_time_order(backend, repo, make_session, make_entry):
    repo.add_session(make_session())
    repo.add_entry(make_entry("e2", 30, symptoms={"redness": 2}, signs=["fever"], note="warm"))
    repo.add_entry(make_entry("e1", 3, symptoms={"swelling": 1}))
    reopened = backend.open()
    assert [e.id for e in reopened.list_entries()] == ["e1", "e2"]
    stored = reopened.get_entry("e2")
    assert stored.symptoms == {Symptom.REDNESS: Severity.MODERATE}
    assert stored.signs == {WarningSign.FEVER}
    assert stored.note == "warm"
    reopened.edit_entry(make_entry("e2", 31, note="better"))
    assert backend.open().get_entry("e2").note == "better"
    backend.open().delete_entry("e1")
    assert [e.id for e in backend.open().list_entries()] == ["e2"]


def test_entries_keep_the_instant_and_offset_they_were_given(backend, repo, make_session, make_entry):
    repo.add_session(make_session())
    original = make_entry("e1", 5.5)
    repo.add_entry(original)
    back = backend.open().get_entry("e1")
    assert back.at == original.at and back.at.utcoffset() == original.at.utcoffset()


def test_entries_are_listed_by_session_and_by_recovery_day(repo, make_session, make_entry):
    repo.add_session(make_session())
    repo.add_session(make_session("s2", datetime(2026, 6, 1, tzinfo=UTC)))
    for entry_id, hours in (("a", 0), ("b", 23.99), ("c", 24), ("d", 49)):
        repo.add_entry(make_entry(entry_id, hours))
    repo.add_entry(make_entry("x", 800, session_id="s2"))
    assert [e.id for e in repo.list_entries("s1", day=0)] == ["a", "b"]
    assert [e.id for e in repo.list_entries("s1", day=1)] == ["c"]
    assert [e.id for e in repo.list_entries("s1", day=2)] == ["d"]
    assert [e.id for e in repo.list_entries("s2")] == ["x"]


def test_editing_or_deleting_an_unknown_entry_is_not_found(repo, make_session, make_entry):
    repo.add_session(make_session())
    with pytest.raises(NotFound):
        repo.edit_entry(make_entry("nope", 1))
    with pytest.raises(NotFound):
        repo.delete_entry("nope")


def test_an_entry_for_an_unknown_session_is_refused_and_nothing_changes(backend, repo, make_session, make_entry):
    repo.add_session(make_session())
    before = backend.snapshot()
    with pytest.raises(NotFound):
        repo.add_entry(make_entry("e1", 1, session_id="nope"))
    assert backend.snapshot() == before


def test_every_stored_record_carries_its_id_and_schema_version(backend, repo, make_session, make_entry):
    repo.save_profile(Profile())
    repo.add_session(make_session())
    repo.set_tick(ChecklistTick("s1", 0, "hands_off", datetime(2026, 5, 1, 12, tzinfo=UTC)))
    repo.add_entry(make_entry("e1", 1))
    raw = json.loads(backend.text_store().read())
    assert raw["_meta"] == {"1": {"schema": SCHEMA_VERSION}}
    for name in ("profile", "sessions", "ticks", "diary"):
        for key, doc in raw[name].items():
            assert doc["id"] == key and doc["v"] == SCHEMA_VERSION


def test_no_tinydb_document_leaves_the_repository(repo, make_session, make_entry):
    from tinydb.table import Document

    repo.add_session(make_session())
    repo.add_entry(make_entry("e1", 1))
    values = [*repo.list_sessions(), repo.current_session(), *repo.list_entries(), repo.get_entry("e1")]
    assert not any(isinstance(v, (dict, Document)) for v in values)


def test_an_export_imported_into_an_empty_store_restores_everything(backend, repo, make_session, make_entry, tmp_path):
    repo.save_profile(Profile(clinic_phone="+33 1 23 45"))
    repo.add_session(make_session())
    repo.set_tick(ChecklistTick("s1", 0, "hands_off", datetime(2026, 5, 1, 12, tzinfo=UTC)))
    repo.add_entry(make_entry("e1", 1, symptoms={"pain": 3}, signs=["pus"], note="ça pique 🙂"))
    exported = json.loads(json.dumps(repo.export_all(datetime(2026, 5, 3, tzinfo=UTC))))
    from aftercare_app.storage import FileTextStore, open_repository

    other = open_repository(FileTextStore(tmp_path / "elsewhere"))
    summary = other.import_all(exported)
    assert (summary.sessions, summary.ticks, summary.entries) == (1, 1, 1)
    assert other.get_profile() == repo.get_profile()
    assert other.list_sessions() == repo.list_sessions()
    assert other.list_ticks("s1") == repo.list_ticks("s1")
    assert other.list_entries() == repo.list_entries()
    assert other.get_entry("e1").note == "ça pique 🙂"


def test_an_import_replaces_everything_and_keeps_the_replaced_state_as_a_backup(backend, repo, make_session, make_entry):
    repo.add_session(make_session())
    exported = repo.export_all(datetime(2026, 5, 3, tzinfo=UTC))
    repo.add_entry(make_entry("e1", 1))
    before_import = backend.text_store().read()
    repo.import_all(exported)
    assert backend.open().list_entries() == []
    store = backend.text_store()
    assert store.read_backup(store.backups()[0].name) == before_import


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda d: d.pop("format"), "not an aftercare export"),
        (lambda d: d.update(schema=99), "newer version"),
        (lambda d: d["data"]["diary"][0]["symptoms"].update(redness=7), "Severity of redness"),
        (lambda d: d["data"]["diary"][0].update(session_id="ghost"), "belongs to no session"),
        (lambda d: d["data"]["diary"][0].update(at="yesterday"), "not an ISO 8601"),
        (lambda d: d["data"]["diary"].append(dict(d["data"]["diary"][0])), "two records with one id"),
        (lambda d: d["data"].update(sessions="oops"), "not a list of records"),
    ],
)
def test_a_malformed_import_changes_nothing_and_says_why(backend, repo, make_session, make_entry, mangle, reason):
    repo.add_session(make_session())
    repo.add_entry(make_entry("e1", 1, symptoms={"redness": 1}))
    exported = json.loads(json.dumps(repo.export_all(datetime(2026, 5, 3, tzinfo=UTC))))
    mangle(exported)
    before = backend.snapshot()
    with pytest.raises(ImportRefused, match=reason):
        repo.import_all(exported)
    assert backend.snapshot() == before


def test_a_second_repository_on_the_same_store_sees_the_first_ones_writes(backend, make_session, make_entry):
    first, second = backend.open(), backend.open()
    first.add_session(make_session())
    second.add_entry(make_entry("e1", 1))
    first.add_entry(make_entry("e2", 2))
    assert {e.id for e in second.list_entries()} == {"e1", "e2"}
    assert {e.id for e in backend.open().list_entries()} == {"e1", "e2"}


def test_list_by_day_needs_a_session(repo):
    with pytest.raises(ValueError):
        repo.list_entries(day=0)


def test_erasing_leaves_no_copy_of_the_patients_data_anywhere_in_the_backend(backend, repo, make_session, make_entry):
    session = make_session()
    repo.add_session(session)
    repo.add_entry(make_entry("e1", 3, session_id=session.id, note="private note"))
    store = backend.text_store()
    store.save_backup(store.read())
    store.set_aside()
    repo.erase_all()
    assert backend.open().list_sessions() == []
    assert store.backups() == []
    for name, content in backend.snapshot().items():
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        assert session.id not in text and "private note" not in text, name




def test_a_corrected_session_replaces_the_old_one_in_place(backend, repo, make_session):
    repo.add_session(make_session())
    corrected = make_session(notes="time corrected")
    repo.save_session(corrected)
    assert backend.open().list_sessions() == [corrected]


def test_saving_a_session_that_was_never_added_is_refused_and_changes_nothing(backend, repo, make_session):
    repo.add_session(make_session())
    before = backend.snapshot()
    with pytest.raises(NotFound):
        repo.save_session(make_session("other"))
    assert backend.snapshot() == before
