"""Correcting a recorded session: the fields given change, a refusal changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from aftercare_app.domain.records import InvalidRecord
from aftercare_app.domain.vocabulary import Area
from aftercare_app.services import CareRecords
from aftercare_app.storage import KeyValueTextStore, MemoryLocalStorage, NotFound, open_repository

PARIS = timezone(timedelta(hours=2))
TREATED = datetime(2026, 5, 1, 10, 0, tzinfo=PARIS)
NOW = TREATED + timedelta(days=3, hours=2)


@pytest.fixture
def records() -> CareRecords:
    records = CareRecords(open_repository(KeyValueTextStore(MemoryLocalStorage())), lambda: NOW)
    records.start_session(TREATED, area="face", follow_up=date(2026, 5, 15))
    return records


def test_a_corrected_treatment_time_moves_the_day_count_and_keeps_the_rest(records):
    session = records.current_session()
    edited = records.edit_session(session.id, treated_at=TREATED - timedelta(days=1))
    assert edited.id == session.id and edited.follow_up == date(2026, 5, 15) and edited.area is Area.FACE
    assert records.current_session() == edited
    assert records.today() == 4


def test_area_follow_up_skin_and_notes_change_only_when_given(records):
    session = records.current_session()
    records.edit_session(session.id, area="scalp", follow_up=date(2026, 5, 20), sensitive=True, notes="Cocktail B")
    stored = records.current_session()
    assert (stored.area, stored.follow_up, stored.sensitive, stored.notes) == (Area.SCALP, date(2026, 5, 20), True, "Cocktail B")
    assert stored.treated_at == TREATED
    records.edit_session(session.id, follow_up=None)
    assert records.current_session().follow_up is None


def test_a_treatment_time_after_the_sessions_first_diary_entry_is_refused_and_nothing_changes(records):
    session = records.current_session()
    records.add_entry(TREATED + timedelta(hours=5), {"redness": 2})
    with pytest.raises(InvalidRecord, match="after your first diary entry"):
        records.edit_session(session.id, treated_at=TREATED + timedelta(hours=6), area="scalp")
    assert records.current_session() == session
    # Earlier than the entry is fine.
    assert records.edit_session(session.id, treated_at=TREATED + timedelta(hours=4)).treated_at == TREATED + timedelta(hours=4)


def test_bad_values_are_refused_by_the_record_and_nothing_changes(records):
    session = records.current_session()
    with pytest.raises(InvalidRecord, match="follow-up date cannot be before"):
        records.edit_session(session.id, follow_up=date(2026, 4, 1))
    with pytest.raises(InvalidRecord, match="future"):
        records.edit_session(session.id, treated_at=NOW + timedelta(hours=1))
    with pytest.raises(InvalidRecord, match="timezone"):
        records.edit_session(session.id, treated_at=datetime(2026, 5, 1, 9, 0))
    with pytest.raises(ValueError):
        records.edit_session(session.id, area="knee")
    assert records.current_session() == session


def test_a_session_cannot_be_moved_past_another_sessions_treatment(records):
    first = records.current_session()
    second = records.start_session(TREATED + timedelta(days=2))
    with pytest.raises(InvalidRecord, match="another session"):
        records.edit_session(second.id, treated_at=TREATED - timedelta(hours=1))
    with pytest.raises(InvalidRecord, match="another session"):
        records.edit_session(first.id, treated_at=TREATED + timedelta(days=2, hours=1))
    assert records.sessions() == [first, second]


def test_an_unknown_session_is_not_found(records):
    with pytest.raises(NotFound):
        records.edit_session("s_nope", area="scalp")
