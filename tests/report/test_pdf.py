"""The PDF report, read back: its text, its length, any script in the notes, and no Pillow needed."""

import io
import subprocess
import sys
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from aftercare_app.domain.records import NOTE_MAX_CHARS, clean_text
from aftercare_app.exports.pdf import PLACEHOLDER, printable, report_pdf
from tests.report.diaries import make_diary


def read(pdf: bytes) -> tuple[int, str]:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_a_normal_recovery_fits_on_two_pages_with_the_session_symptoms_adherence_and_notes():
    pages, text = read(report_pdf(make_diary(14).report()))
    assert 1 <= pages <= 2
    for expected in (
        "Mesotherapy follow-up report",
        "2026-03-20 10:30",
        "Session 2 of 2 recorded",
        "Day 14",
        "Red-flag events: none",
        "Redness",
        "Dryness or flaking",
        "Checklist adherence by day",
        "Slight tightness after washing",
        "Clinique du Parc",
        "Europe/Paris",
    ):
        assert expected in text, expected


def test_red_flag_events_come_before_the_charts_with_what_was_advised():
    _, text = read(report_pdf(make_diary(7, red_flag_day=2).report()))
    assert text.index("Red-flag events: 1") < text.index("Symptoms by day")
    assert "CALL CLINIC" in text and "Advised: Call your clinic: +33 1 23 45 67 89." in text
    assert "Fever" in text


@pytest.mark.parametrize("days", [0, 1])
def test_an_empty_or_single_day_diary_makes_a_valid_one_page_report(days):
    pages, text = read(report_pdf(make_diary(days, notes=["Only one entry"] if days else []).report()))
    assert pages == 1
    assert ("No diary entries were recorded" in text) == (days == 0)


def test_ninety_days_of_entries_make_a_valid_report():
    pages, text = read(report_pdf(make_diary(90, per_day=2, notes=["", "ok"], red_flag_day=40).report()))
    assert "Day 90" in text and "Red-flag events" in text
    assert pages <= 6


def test_notes_in_many_scripts_are_embedded_as_text():
    notes = ["Ça pique un peu, très rouge", "Немного щиплет", "有点红 すこし赤い", "조금 붓기", "Λίγο πρήξιμο"]
    _, text = read(report_pdf(make_diary(5, notes=notes).report()))
    for note in notes:
        assert note in text, note


def test_characters_no_font_has_become_a_box_and_joiners_disappear():
    assert printable("ok \U0001f9d1\u200d\U0001f52c") == f"ok {PLACEHOLDER}"
    assert printable("a\x07b\tc") == "ab    c"
    assert printable("\u05e9\u05dc\u05d5\u05dd") == "\u05e9\u05dc\u05d5\u05dd"


def test_right_to_left_notes_are_printed_in_visual_order():
    _, text = read(report_pdf(make_diary(1, notes=["שלום עולם"]).report()))
    assert "שלום" in text or "םולש" in text


NOTE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300
).map(lambda s: s.strip()).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=NOTE_TEXT)
def test_any_unicode_note_produces_a_valid_pdf(note):
    try:
        note = clean_text(note, "note", NOTE_MAX_CHARS, multiline=True)
    except ValueError:
        return  # the app refuses it before it is ever stored
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph warning either
        pdf = report_pdf(make_diary(1, notes=[note or "x"]).report())
    pages, _ = read(pdf)
    assert pages >= 1


def test_a_long_note_flows_onto_further_pages():
    pages, text = read(report_pdf(make_diary(2, notes=["word " * 790]).report()))
    assert pages >= 2 and "word word" in text


def test_the_pdf_is_made_without_pillow():
    code = (
        "import sys; sys.modules['PIL'] = None\n"
        "from tests.report.diaries import make_diary\n"
        "from aftercare_app.exports.pdf import report_pdf\n"
        "pdf = report_pdf(make_diary(3).report())\n"
        "assert pdf.startswith(b'%PDF-'), pdf[:10]\n"
        "assert 'PIL' not in [m for m in sys.modules if sys.modules[m] is not None]\n"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_the_same_report_gives_the_same_bytes():
    report = make_diary(3).report()
    assert report_pdf(report) == report_pdf(report)
