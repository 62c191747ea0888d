"""The screens' backend on the real services and file storage: what the app writes is what it reads back."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.records import (
    DiaryEntry,
    InvalidRecord,
    Profile,
    TreatmentSession,
)
from aftercare_app.domain.vocabulary import Area, Severity, Symptom, WarningSign
from aftercare_app.ui.backend import open_backend

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
TASK = tasks_for_day(default_protocol(), 1)[0].id


@pytest.fixture
def clock():
    now = [TREATED + timedelta(hours=30)]
    return now


@pytest.fixture
def backend(tmp_path, clock):
    return open_backend(tmp_path, clock=lambda: clock[0])


def start(backend) -> TreatmentSession:
    draft = TreatmentSession(id="", treated_at=TREATED, area=Area.SCALP, sensitive=True, follow_up=date(2026, 5, 18))
    return backend.start_session(draft, Profile(Area.SCALP, True, "Clinique", "+33 1 23", "Europe/Paris"))


def test_a_started_session_and_its_profile_come_back_from_disk(backend, tmp_path, clock):
    session = start(backend)
    again = open_backend(tmp_path, clock=lambda: clock[0])
    assert [s.id for s in again.sessions()] == [session.id] and again.sessions()[0].area == Area.SCALP
    profile = again.profile()
    assert (profile.clinic_name, profile.clinic_phone, profile.timezone, profile.sensitive) == ("Clinique", "+33 1 23", "Europe/Paris", True)
    assert again.startup_message() == ""


def test_ticks_are_stored_and_removed_on_the_current_session(backend):
    session = start(backend)
    backend.set_tick(1, TASK, True)
    assert [(t.day, t.item_id) for t in backend.ticks(session.id)] == [(1, TASK)]
    backend.set_tick(1, TASK, False)
    assert backend.ticks(session.id) == []
    with pytest.raises(ValueError):
        backend.set_tick(5, TASK, True)  # day 5 has not started


def test_entries_are_added_edited_and_deleted(backend, clock):
    session = start(backend)
    draft = DiaryEntry("draft", session.id, clock[0], {Symptom.REDNESS: 2}, frozenset({WarningSign.FEVER}), "warm")
    stored = backend.add_entry(draft)
    assert backend.entries(session.id) == [stored] and stored.severity(Symptom.REDNESS) == Severity.MODERATE
    edited = backend.edit_entry(DiaryEntry(stored.id, session.id, stored.at, {Symptom.REDNESS: 1}, frozenset(), "better"))
    assert backend.entries(session.id) == [edited] and edited.note == "better" and not edited.signs
    with pytest.raises(InvalidRecord):
        backend.add_entry(DiaryEntry("x", session.id, clock[0] + timedelta(days=2)))
    backend.delete_entry(stored.id)
    assert backend.entries(session.id) == []


def test_the_backup_is_the_storage_export_and_delete_all_empties_everything(backend):
    session = start(backend)
    backend.set_tick(1, TASK, True)
    exported = json.loads(backend.export_backup())
    assert exported["format"] == "aftercare-companion-export" and exported["data"]["sessions"]
    backend.delete_all()
    assert backend.sessions() == [] and backend.profile() is None and backend.ticks(session.id) == []
