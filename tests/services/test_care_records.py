"""Use cases over a repository and a clock: sessions, checklist, diary, export and import."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.records import InvalidRecord
from aftercare_app.domain.timeline import Treatment, recovery_day
from aftercare_app.domain.vocabulary import Area, Severity, Symptom, WarningSign
from aftercare_app.services import CareRecords, NoSession, UnknownItem
from aftercare_app.storage import (
    FileTextStore,
    ImportRefused,
    KeyValueTextStore,
    MemoryLocalStorage,
    NotFound,
    open_repository,
)

PARIS = timezone(timedelta(hours=2))
TREATED = datetime(2026, 5, 1, 10, 0, tzinfo=PARIS)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(TREATED + timedelta(days=3, hours=2))


@pytest.fixture
def local() -> MemoryLocalStorage:
    return MemoryLocalStorage()


@pytest.fixture
def records(local, clock) -> CareRecords:
    return CareRecords(open_repository(KeyValueTextStore(local)), clock)


@pytest.fixture
def started(records) -> CareRecords:
    records.start_session(TREATED, area="face", sensitive=True, follow_up=date(2026, 5, 15), clinic_phone="+33 1 23 45")
    return records


def test_starting_a_session_records_it_and_keeps_area_skin_and_phone_in_the_profile(started):
    session = started.current_session()
    assert (session.treated_at, session.area, session.sensitive, session.follow_up) == (
        TREATED, Area.FACE, True, date(2026, 5, 15)
    )
    assert (started.profile().sensitive, started.profile().clinic_phone) == (True, "+33 1 23 45")


def test_a_later_session_becomes_current_and_inherits_the_profile(started, clock):
    clock.now = TREATED + timedelta(days=40)
    second = started.start_session(TREATED + timedelta(days=35))
    assert started.current_session() == second
    assert second.sensitive is True


def test_a_treatment_in_the_future_is_refused(records, clock):
    with pytest.raises(InvalidRecord, match="future"):
        records.start_session(clock.now + timedelta(hours=2))


def test_nothing_can_be_recorded_before_a_session_exists(records, clock):
    with pytest.raises(NoSession):
        records.add_entry(clock.now, {"redness": 1})
    with pytest.raises(NoSession):
        records.tick(0, "hands_off")


def test_today_is_the_recovery_day_the_timeline_counts(started, clock):
    for hours in (0, 23.9, 24, 71.5, 72, 24 * 9 + 1):
        clock.now = TREATED + timedelta(hours=hours)
        assert started.today() == recovery_day(Treatment(TREATED), clock.now) == int(hours // 24)


def test_the_checklist_lists_the_days_tasks_and_remembers_ticks(started):
    protocol = default_protocol()
    first, second = (t.id for t in tasks_for_day(protocol, 1)[:2])
    started.tick(1, first)
    started.tick(1, second)
    started.untick(1, second)
    day = started.checklist(1)
    assert [i.id for i in day.items] == [t.id for t in tasks_for_day(protocol, 1)]
    assert [i.id for i in day.items if i.done] == [first]
    assert (day.done, day.due) == (1, len(tasks_for_day(protocol, 1)))
    assert started.checklist().day == 3  # today


def test_ticking_an_item_that_is_not_a_task_of_that_day_is_refused(started):
    with pytest.raises(UnknownItem, match="not a task of day 0"):
        started.tick(0, "no_such_task")


def test_ticking_a_day_that_has_not_started_is_refused(started):
    with pytest.raises(InvalidRecord, match="not started"):
        started.tick(4, tasks_for_day(default_protocol(), 4)[0].id)


def test_a_diary_entry_is_stored_in_the_session_in_force_at_its_time(started, clock):
    entry = started.add_entry(TREATED + timedelta(hours=26), {"redness": 2}, ["fever"], "warm")
    assert entry.session_id == started.current_session().id
    assert started.entry_day(entry) == 1
    assert [e.id for e in started.entries(day=1)] == [entry.id]
    assert started.entries(day=0) == []


def test_editing_an_entry_replaces_only_the_fields_given(started):
    entry = started.add_entry(TREATED + timedelta(hours=26), {"redness": 2}, ["fever"], "warm")
    edited = started.edit_entry(entry.id, symptoms={"swelling": 1})
    assert edited.symptoms == {Symptom.SWELLING: Severity.MILD}
    assert (edited.signs, edited.note, edited.at) == (frozenset({WarningSign.FEVER}), "warm", entry.at)
    moved = started.edit_entry(entry.id, at=TREATED + timedelta(hours=50), signs=[], note="")
    assert started.entry_day(moved) == 2 and moved.signs == frozenset() and moved.note == ""
    assert started.entry(entry.id) == moved


def test_deleting_an_entry_removes_it_and_an_unknown_id_is_not_found(started):
    entry = started.add_entry(TREATED + timedelta(hours=1))
    started.delete_entry(entry.id)
    assert started.entries() == []
    with pytest.raises(NotFound):
        started.delete_entry(entry.id)


def test_an_export_restores_everything_into_another_store(started, clock, tmp_path):
    entry = started.add_entry(TREATED + timedelta(hours=26), {"redness": 2}, ["fever"], "warm")
    started.tick(1, tasks_for_day(default_protocol(), 1)[0].id)
    text = started.export_backup()
    other = CareRecords(open_repository(FileTextStore(tmp_path)), clock)
    other.import_backup(text)
    assert other.entries() == [entry]
    assert other.checklist(1) == started.checklist(1)
    assert other.profile() == started.profile()
    assert json.loads(other.export_backup())["data"] == json.loads(text)["data"]


def test_importing_something_that_is_not_json_is_refused(started):
    with pytest.raises(ImportRefused, match="not valid JSON"):
        started.import_backup("{not json")


def test_the_clock_must_be_timezone_aware(local):
    records = CareRecords(open_repository(KeyValueTextStore(local)), lambda: datetime(2026, 5, 1))
    with pytest.raises(InvalidRecord, match="timezone"):
        records.start_session(TREATED)


def test_the_services_read_no_other_clock_than_the_one_given(started, clock):
    clock.now = TREATED + timedelta(days=20)
    assert started.today() == 20
    assert started.checklist().day == 20


def test_storage_never_imports_the_user_interface_and_the_domain_never_imports_storage():
    root = Path(__file__).resolve().parents[2] / "aftercare_app"
    for path in (root / "domain").rglob("*.py"):
        assert "aftercare_app.storage" not in path.read_text(encoding="utf-8"), path
    for path in (root / "storage").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "aftercare_app.ui" not in text and "import flet" not in text, path
