"""Bad input is refused with a clear message and leaves the stored bytes exactly as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aftercare_app.domain.records import InvalidRecord
from aftercare_app.services import CareError, CareRecords
from aftercare_app.storage import FileTextStore, KeyValueTextStore, MemoryLocalStorage, StorageError, open_repository

TREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)
NOW = TREATED + timedelta(days=2)


@pytest.fixture(params=["file", "local_storage"])
def setup(request, tmp_path):
    if request.param == "file":
        store = FileTextStore(tmp_path)

        def snapshot():
            return {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    else:
        local = MemoryLocalStorage()
        store = KeyValueTextStore(local)
        snapshot = local.snapshot
    records = CareRecords(open_repository(store), lambda: NOW)
    records.start_session(TREATED)
    entry = records.add_entry(TREATED + timedelta(hours=5), {"redness": 1}, note="fine")
    return records, entry, snapshot


BAD_ADDS = {
    "an unknown symptom": (dict(symptoms={"glitter": 1}), "Unknown symptom 'glitter'"),
    "a severity above 3": (dict(symptoms={"pain": 4}), "must be 0, 1, 2 or 3"),
    "a negative severity": (dict(symptoms={"pain": -1}), "must be 0, 1, 2 or 3"),
    "a severity that is not a number": (dict(symptoms={"pain": "2"}), "must be 0, 1, 2 or 3"),
    "an unknown warning sign": (dict(signs=["sneezing"]), "Unknown warning sign"),
    "a time before the session": (dict(at=TREATED - timedelta(minutes=1)), "before the treatment"),
    "a time in the future": (dict(at=NOW + timedelta(hours=1)), "future"),
    "a time without offset": (dict(at=datetime(2026, 5, 2, 10)), "timezone offset"),
    "a note of megabytes": (dict(note="a" * 3_000_000), "too long"),
    "a lone surrogate": (dict(note="bad \ud800 text"), "invalid characters"),
    "control characters": (dict(note="bell \x07"), "control characters"),
}


@pytest.mark.parametrize("case", list(BAD_ADDS), ids=list(BAD_ADDS))
def test_a_bad_diary_entry_is_refused_and_nothing_changes(setup, case):
    records, _, snapshot = setup
    changes, message = BAD_ADDS[case]
    arguments = {"at": TREATED + timedelta(hours=6), "symptoms": {}, "signs": (), "note": "", **changes}
    before = snapshot()
    with pytest.raises(InvalidRecord, match=message):
        records.add_entry(**arguments)
    assert snapshot() == before


@pytest.mark.parametrize("case", list(BAD_ADDS), ids=list(BAD_ADDS))
def test_a_bad_edit_is_refused_and_the_entry_stays_as_it_was(setup, case):
    records, entry, snapshot = setup
    changes, message = BAD_ADDS[case]
    before = snapshot()
    with pytest.raises(InvalidRecord, match=message):
        records.edit_entry(entry.id, **changes)
    assert snapshot() == before
    assert records.entry(entry.id) == entry


@pytest.mark.parametrize(
    ("action", "error"),
    [
        (lambda r: r.tick(0, "not_a_task"), CareError),
        (lambda r: r.tick(9, "hands_off"), InvalidRecord),
        (lambda r: r.untick(0, "not_a_task"), CareError),
        (lambda r: r.edit_entry("nope", note="x"), StorageError),
        (lambda r: r.delete_entry("nope"), StorageError),
        (lambda r: r.start_session(NOW + timedelta(days=1)), InvalidRecord),
        (lambda r: r.start_session(NOW, clinic_phone="call me maybe"), InvalidRecord),
        (lambda r: r.import_backup('{"format": "something else"}'), StorageError),
    ],
    ids=["unknown item", "day not started", "untick unknown item", "edit unknown entry", "delete unknown entry",
         "future treatment", "phone with letters", "not an export"],
)
def test_other_refusals_change_nothing_either(setup, action, error):
    records, _, snapshot = setup
    before = snapshot()
    with pytest.raises(error):
        action(records)
    assert snapshot() == before
