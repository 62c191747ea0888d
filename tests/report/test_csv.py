"""The diary CSV, parsed back."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare_app.domain.records import NOTE_MAX_CHARS, clean_text
from aftercare_app.domain.vocabulary import Symptom, WarningSign
from aftercare_app.exports.diary_csv import COLUMNS, diary_csv
from tests.report.diaries import make_diary


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need for UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return rows


def test_one_row_per_entry_with_a_column_per_symptom_and_sign():
    report = make_diary(7, per_day=2, red_flag_day=1).report()
    rows = parse(diary_csv(report))
    assert len(rows) == 14
    assert list(rows[0]) == list(COLUMNS)
    assert set(COLUMNS) >= {s.value for s in Symptom} | {w.value for w in WarningSign}
    first = rows[0]
    assert first["recovery_day"] == "1" and first["redness"] == "2" and first["fever"] == "0"
    assert first["instant"] == "2026-03-20T12:30:00+01:00" and first["instant_utc"] == "2026-03-20T11:30:00+00:00"
    flagged = [r for r in rows if r["triage_level"] != "normal"]
    assert flagged and flagged[0]["fever"] == "1" and flagged[0]["swelling"] == "3"
    assert [r["entry_id"] for r in rows] == [a.entry.id for a in report.entries]


def test_an_empty_diary_gives_the_header_only():
    assert parse(diary_csv(make_diary(0).report())) == []
    assert diary_csv(make_diary(0).report()).decode("utf-8-sig").startswith("entry_id,instant,")


def test_notes_that_look_like_formulas_are_kept_from_running_in_a_spreadsheet():
    rows = parse(diary_csv(make_diary(2, notes=["=HYPERLINK(\"x\")", "-3 swelling"]).report()))
    assert rows[0]["note"] == "'=HYPERLINK(\"x\")" and rows[1]["note"] == "'-3 swelling"


@settings(max_examples=60, deadline=None)
@given(note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_note_survives_the_round_trip(note):
    try:
        note = clean_text(note, "note", NOTE_MAX_CHARS, multiline=True)
    except ValueError:
        return
    rows = parse(diary_csv(make_diary(1, notes=[note]).report()))
    expected = "'" + note if note.startswith(("=", "+", "-", "@", "\t")) else note
    assert rows[0]["note"] == expected


def test_ninety_days_of_entries():
    rows = parse(diary_csv(make_diary(90, per_day=3).report()))
    assert len(rows) == 270 and rows[-1]["recovery_day"] == "90"
