"""Restoring a backup file: every file that is not a backup this app could have written is refused with one message
and leaves the stored bytes exactly as they were, on disk and in a key-value store; a good one replaces the data
and keeps what it replaced as a backup of the store."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from aftercare_app.services import MAX_BACKUP_BYTES, CareRecords
from aftercare_app.storage import FileTextStore, ImportRefused, KeyValueTextStore, MemoryLocalStorage, open_repository

TREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)
NOW = TREATED + timedelta(days=3)


class Setup:
    """Records on one backend with a session, a tick and two entries; and the backend's bytes."""

    def __init__(self, kind: str, tmp_path) -> None:
        self.kind = kind
        if kind == "file":
            self.folder = tmp_path / "data"
            store = FileTextStore(self.folder)
        else:
            self.local = MemoryLocalStorage()
            store = KeyValueTextStore(self.local)
        self.store = store
        self.records = CareRecords(open_repository(store), lambda: NOW)
        self.records.start_session(TREATED, clinic_name="Clinique", clinic_phone="+33 1 23 45")
        self.records.tick(0, "hands_off")
        self.records.add_entry(TREATED + timedelta(hours=5), {"redness": 1}, note="fine")
        self.records.add_entry(TREATED + timedelta(hours=30), {"swelling": 2}, ["fever"], note="warm 🙂")

    def snapshot(self) -> dict[str, bytes | str]:
        if self.kind == "file":
            return {str(p.relative_to(self.folder)): p.read_bytes() for p in sorted(self.folder.rglob("*")) if p.is_file()}
        return self.local.snapshot()

    def export(self) -> dict:
        return json.loads(self.records.export_backup())


@pytest.fixture(params=["file", "local_storage"])
def setup(request, tmp_path) -> Setup:
    return Setup(request.param, tmp_path)


def _doc(mangle: Callable[[dict], object]) -> Callable[[dict], bytes]:
    """A file made from the setup's own export, changed by ``mangle`` (which edits it in place)."""

    def make(export: dict) -> bytes:
        mangle(export)
        return json.dumps(export, ensure_ascii=False).encode("utf-8")

    return make


def _entry(export: dict, index: int = 0) -> dict:
    return export["data"]["diary"][index]


def _store_file(export: dict) -> bytes:
    from aftercare_app.storage.schema import encode_store

    tables = {name: {d["id"]: d for d in docs} for name, docs in export["data"].items()}
    return encode_store(tables).encode("utf-8")


def _raw_note(json_text: str) -> Callable[[dict], bytes]:
    """A file whose first diary note is ``json_text`` as written (JSON that Python would not write itself)."""

    def make(export: dict) -> bytes:
        _entry(export)["note"] = "@@note@@"
        return json.dumps(export).replace('"@@note@@"', json_text).encode()

    return make


_nested_note = _raw_note('{"a":' * 100_000 + "1" + "}" * 100_000)


def _v1_export_of_a_newer_store(export: dict) -> None:
    export["schema"] = 3
    export["data"]["diary"][0]["mood"] = "new field of schema 3"


# Each attack: how the file is made from a good export, and words the refusal must contain.
ATTACKS: dict[str, tuple[Callable[[dict], bytes], str]] = {
    # -- not a backup at all
    "larger than 5 MB": (lambda e: json.dumps({**e, "pad": "x" * MAX_BACKUP_BYTES}).encode(), "too large"),
    "5 MB of spaces after a good export": (lambda e: json.dumps(e).encode() + b" " * MAX_BACKUP_BYTES, "too large"),
    "an empty file": (lambda e: b"", "empty"),
    "only white space": (lambda e: b" \n\t\r\n", "empty"),
    "binary bytes (a photo)": (lambda e: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not text"),
    "text in UTF-16": (lambda e: json.dumps(e).encode("utf-16"), "not text"),
    "not JSON": (lambda e: b"{not json", "not valid JSON"),
    "a backup cut in half": (lambda e: json.dumps(e).encode()[: len(json.dumps(e)) // 2], "not valid JSON"),
    "the diary as CSV": (lambda e: b"\xef\xbb\xbfentry_id,instant,note\r\ne_1,2026-05-01T10:00:00+02:00,ok\r\n", "not valid JSON"),
    "a PDF": (lambda e: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not text"),
    "a calendar file": (lambda e: b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "not valid JSON"),
    "a JSON list": (lambda e: b"[1, 2, 3]", "not an aftercare export"),
    "a JSON string": (lambda e: b'"aftercare-companion-export"', "not an aftercare export"),
    "JSON null": (lambda e: b"null", "not an aftercare export"),
    "JSON nested 100,000 deep": (lambda e: b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    "objects nested 100,000 deep in a record": (_nested_note, "not valid JSON"),
    "a number of 5,000 digits": (lambda e: json.dumps(e).replace('"schema": 2', '"schema": ' + "9" * 5000).encode(), "not valid JSON"),
    # -- another schema
    "another app's JSON": (lambda e: b'{"format": "some-other-app", "data": {}}', "not an aftercare export"),
    "no format": (_doc(lambda e: e.pop("format")), "not an aftercare export"),
    "the store file from the data folder": (_store_file, "not an aftercare export"),
    "a newer schema": (_doc(_v1_export_of_a_newer_store), "newer version of the app"),
    "schema 99": (_doc(lambda e: e.update(schema=99)), "newer version of the app"),
    "schema 0": (_doc(lambda e: e.update(schema=0)), "not one this app knows"),
    "schema -1": (_doc(lambda e: e.update(schema=-1)), "not one this app knows"),
    "schema as text": (_doc(lambda e: e.update(schema="2")), "lacks its schema version"),
    "schema 2.0": (_doc(lambda e: e.update(schema=2.0)), "lacks its schema version"),
    "schema true": (_doc(lambda e: e.update(schema=True)), "lacks its schema version"),
    "no data": (_doc(lambda e: e.pop("data")), "lacks its schema version or data"),
    "data a list": (_doc(lambda e: e.update(data=[])), "lacks its schema version or data"),
    "a table that is not a list": (_doc(lambda e: e["data"].update(sessions={"s": {}})), "not a list of records"),
    "a record that is not an object": (_doc(lambda e: e["data"]["diary"].append("entry")), "not a list of records"),
    "a v1 export without a treatment time": (_doc(lambda e: e.update(schema=1, data={"patient": [{"area": "face"}]})), "malformed"),
    # -- wrong types
    "a severity of 7": (_doc(lambda e: _entry(e)["symptoms"].update(redness=7)), "Severity of redness"),
    "a severity as text": (_doc(lambda e: _entry(e)["symptoms"].update(redness="2")), "Severity of redness"),
    "a severity true": (_doc(lambda e: _entry(e)["symptoms"].update(redness=True)), "Severity of redness"),
    "a severity NaN": (lambda e: json.dumps(e).replace('"redness": 1', '"redness": NaN', 1).encode(), "Severity of redness"),
    "a severity of 1e400": (lambda e: json.dumps(e).replace('"redness": 1', '"redness": 1e400', 1).encode(), "Severity of redness"),
    "symptoms as a list": (_doc(lambda e: _entry(e).update(symptoms=[["redness", 1]])), "malformed 'symptoms'"),
    "an unknown symptom": (_doc(lambda e: _entry(e)["symptoms"].update(glitter=1)), "Unknown symptom"),
    "signs as text": (_doc(lambda e: _entry(e).update(signs="fever")), "malformed 'signs'"),
    "an unknown warning sign": (_doc(lambda e: _entry(e).update(signs=["sneezing"])), "Unknown warning sign"),
    "a note that is a number": (_doc(lambda e: _entry(e).update(note=42)), "malformed 'note'"),
    "a note of 100,000 characters": (_doc(lambda e: _entry(e).update(note="a" * 100_000)), "too long"),
    "a note with a NUL": (_doc(lambda e: _entry(e).update(note="a\x00b")), "control characters"),
    "a note with a lone surrogate": (_raw_note('"bad \\ud800 text"'), "invalid characters"),
    "a time that is a number": (_doc(lambda e: _entry(e).update(at=1714557600)), "ISO 8601"),
    "a time that is a word": (_doc(lambda e: _entry(e).update(at="yesterday")), "not an ISO 8601"),
    "a time without its offset": (_doc(lambda e: _entry(e).update(at="2026-05-01T15:00:00")), "timezone offset"),
    "sensitive as text": (_doc(lambda e: e["data"]["sessions"][0].update(sensitive="yes")), "malformed 'sensitive'"),
    "an unknown area": (_doc(lambda e: e["data"]["sessions"][0].update(area="elbow")), "Unknown area"),
    "a follow-up that is a number": (_doc(lambda e: e["data"]["sessions"][0].update(follow_up=20260515)), "follow-up must be a date"),
    "a follow-up in year 9999": (_doc(lambda e: e["data"]["sessions"][0].update(follow_up="9999-12-31")), "more than a year after"),
    "a tick day as text": (_doc(lambda e: e["data"]["ticks"][0].update(day="0")), "malformed 'day'"),
    "a negative tick day": (_doc(lambda e: e["data"]["ticks"][0].update(day=-1, id=e["data"]["ticks"][0]["id"].replace("/0/", "/-1/"))), "whole number"),
    "a phone number of letters": (_doc(lambda e: e["data"]["profile"][0].update(clinic_phone="call me maybe")), "only digits"),
    "an unknown timezone": (_doc(lambda e: e["data"]["profile"][0].update(timezone="Mars/Olympus_Mons")), "Unknown timezone"),
    "a second profile": (_doc(lambda e: e["data"]["profile"].append({**e["data"]["profile"][0], "id": "other"})), "wrong id"),
    # -- unknown or malformed ids
    "an entry of no session in the file": (_doc(lambda e: _entry(e).update(session_id="s_ghost")), "belongs to no session"),
    "a tick of no session in the file": (
        _doc(lambda e: e["data"]["ticks"][0].update(session_id="s_ghost", id="s_ghost/0/hands_off")), "belongs to no session"),
    "a tick of an unknown task": (
        _doc(lambda e: e["data"]["ticks"][0].update(item_id="dance", id=e["data"]["ticks"][0]["session_id"] + "/0/dance")),
        "task this app does not know"),
    "a tick whose id does not match it": (_doc(lambda e: e["data"]["ticks"][0].update(id="x")), "wrong id"),
    "two entries with one id": (_doc(lambda e: e["data"]["diary"].append(dict(_entry(e)))), "two records with one id"),
    "an entry without an id": (_doc(lambda e: _entry(e).pop("id")), "lacks its 'id'"),
    "an id that is a path": (_doc(lambda e: _entry(e).update(id="../../etc/passwd")), "malformed id"),
    "an id with a slash": (_doc(lambda e: e["data"]["sessions"][0].update(id="s/1")), "malformed id"),
    "an id of 10,000 characters": (_doc(lambda e: _entry(e).update(id="e" * 10_000)), "malformed id"),
    "an empty id": (_doc(lambda e: _entry(e).update(id="")), "malformed id"),
    "an id with an emoji": (_doc(lambda e: _entry(e).update(id="e_🙂")), "malformed id"),
    "an id that is a number": (_doc(lambda e: _entry(e).update(id=7)), "malformed 'id'"),
    # -- outside their session, or out of time
    "an entry before its session's treatment": (
        _doc(lambda e: _entry(e).update(at="2026-05-01T09:59:00+00:00")), "before the treatment of its session"),
    "an entry in the future": (_doc(lambda e: _entry(e).update(at="2027-01-01T10:00:00+00:00")), "in the future"),
    "a session in the future": (
        _doc(lambda e: [e["data"].update(diary=[], ticks=[]),
                        e["data"]["sessions"][0].update(treated_at="2030-01-01T10:00:00+00:00", follow_up=None)]),
        "in the future"),
    "a tick in the future": (_doc(lambda e: e["data"]["ticks"][0].update(ticked_at="2031-01-01T10:00:00+00:00")), "in the future"),
    "a treatment in year 1": (
        _doc(lambda e: [e["data"]["sessions"][0].update(treated_at="0001-01-01T00:00:00+14:00", follow_up=None),
                        [d.update(at="0001-01-02T00:00:00+14:00") for d in e["data"]["diary"]]]),
        "before 2000"),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_bad_backup_is_refused_with_one_message_and_the_stored_bytes_stay_identical(setup, attack):
    make, words = ATTACKS[attack]
    data = make(setup.export())
    before = setup.snapshot()
    with pytest.raises(ImportRefused) as refusal:
        setup.records.read_backup(data)
    with pytest.raises(ImportRefused):
        setup.records.import_backup(data)
    message = str(refusal.value)
    assert words in message
    assert message.rstrip(".").endswith("nothing was changed") and "\n" not in message
    assert message.count("nothing was changed") == 1
    assert not re.search(r"\w+Error\(|sys\.|Traceback", message), message  # words for people, not Python's
    assert setup.snapshot() == before


def test_a_good_backup_replaces_everything_and_keeps_what_it_replaced_as_a_backup(setup):
    backup = setup.records.export_backup().encode("utf-8")
    exported = json.loads(backup)
    setup.records.add_entry(NOW - timedelta(hours=1), {"pain": 2}, note="after the backup")
    replaced = setup.store.read()

    preview = setup.records.read_backup(backup)
    assert (len(preview.contents.sessions), len(preview.contents.ticks), len(preview.contents.entries)) == (1, 1, 2)
    assert preview.exported_at == NOW and preview.size == len(backup)
    summary = setup.records.restore_backup(preview)

    assert (summary.sessions, summary.ticks, summary.entries) == (1, 1, 2)
    assert json.loads(setup.records.export_backup())["data"] == exported["data"]
    newest = setup.store.backups()[0]
    assert newest.name.endswith("before-import")
    assert setup.store.read_backup(newest.name) == replaced


def test_a_backup_with_a_byte_order_mark_and_one_of_schema_1_are_restored(setup, tmp_path):
    backup = setup.records.export_backup().encode("utf-8")
    setup.records.import_backup(b"\xef\xbb\xbf" + backup)
    assert [e.note for e in setup.records.entries()] == ["fine", "warm 🙂"]

    v1 = {"format": "aftercare-companion-export", "schema": 1, "data": {
        "patient": [{"treated_at": "2026-05-02T10:00:00+02:00", "area": "face", "clinic_phone": "+33 1 23"}],
        "ticks": [{"day": 0, "task": "hands_off", "ticked_at": "2026-05-02T12:00:00+02:00"}],
        "diary": [{"id": 1, "when": "2026-05-02T18:00:00+02:00", "symptoms": [{"name": "pain", "level": 1}],
                   "warning_signs": [], "text": "ok"}]}}
    preview = setup.records.read_backup(json.dumps(v1))
    assert preview.contents.migrated_from == 1
    setup.records.restore_backup(preview)
    assert [e.note for e in setup.records.entries()] == ["ok"]


def test_unknown_fields_and_tables_of_a_backup_are_dropped_not_stored(setup):
    export = setup.export()
    export["data"]["diary"][0]["mood"] = "<script>alert(1)</script>"
    export["data"]["secrets"] = [{"id": "x", "password": "hunter2"}]
    export["extra"] = {"__proto__": {"admin": True}}
    setup.records.import_backup(json.dumps(export))
    stored = setup.store.read()
    assert "mood" not in stored and "secrets" not in stored and "hunter2" not in stored and "__proto__" not in stored


def test_the_largest_backup_allowed_is_read_and_one_byte_more_is_refused(setup):
    backup = setup.records.export_backup().encode("utf-8")
    padded = backup + b" " * (MAX_BACKUP_BYTES - len(backup))
    assert len(padded) == MAX_BACKUP_BYTES
    assert setup.records.read_backup(padded).size == MAX_BACKUP_BYTES
    with pytest.raises(ImportRefused, match="too large"):
        setup.records.read_backup(padded + b" ")


def test_a_follow_up_more_than_a_year_after_the_treatment_is_refused_where_the_patient_types_one(setup):
    from aftercare_app.domain.records import InvalidRecord

    before = setup.snapshot()
    session = setup.records.current_session()
    with pytest.raises(InvalidRecord, match="more than a year after the treatment") as refusal:
        setup.records.edit_session(session.id, follow_up=datetime(9999, 12, 31).date())
    assert refusal.value.field == "follow_up"
    with pytest.raises(InvalidRecord, match="more than a year after the treatment"):
        setup.records.start_session(NOW, follow_up=(NOW + timedelta(days=400)).date())
    assert setup.snapshot() == before
    setup.records.edit_session(session.id, follow_up=(TREATED + timedelta(days=366)).date())  # a year is fine
