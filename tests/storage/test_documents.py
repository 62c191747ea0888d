"""Any valid record survives the trip to a stored document, through JSON, and back unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.domain.records import NOTE_MAX_CHARS, DiaryEntry, TreatmentSession
from aftercare_app.domain.vocabulary import Symptom, WarningSign
from aftercare_app.storage.documents import entry_from_doc, entry_to_doc, session_from_doc, session_to_doc

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    offsets,
)
notes = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="") | st.sampled_from("\n\t"),
    max_size=200,
)


def _through_json(doc: dict) -> dict:
    return json.loads(json.dumps(doc, ensure_ascii=False))


@given(
    at=instants,
    symptoms=st.dictionaries(st.sampled_from(list(Symptom)), st.integers(0, 3)),
    signs=st.frozensets(st.sampled_from(list(WarningSign))),
    note=notes,
)
def test_a_diary_entry_comes_back_from_its_document_unchanged(at, symptoms, signs, note):
    entry = DiaryEntry("e1", "s1", at, symptoms, signs, note)
    back = entry_from_doc(_through_json(entry_to_doc(entry)))
    assert back == entry
    assert back.at.utcoffset() == entry.at.utcoffset()


@given(treated_at=instants, notes=notes)
def test_a_session_comes_back_from_its_document_unchanged(treated_at, notes):
    session = TreatmentSession("s1", treated_at, notes=notes)
    assert session_from_doc(_through_json(session_to_doc(session))) == session


def test_the_longest_note_allowed_is_stored_whole():
    entry = DiaryEntry("e1", "s1", datetime(2026, 5, 1, tzinfo=UTC), note="é" * NOTE_MAX_CHARS)
    assert entry_from_doc(_through_json(entry_to_doc(entry))).note == entry.note
