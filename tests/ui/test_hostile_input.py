"""Hostile input in every form field, through the screens' own actions: each value is stored as typed (NFC, trimmed)
and comes out whole in the backup, the CSV and the calendar (the PDF renders it, a box for what no font draws), or
it is refused with a message and no stored byte changes. Never a crash, never a half-written store."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import datetime, timedelta

import pytest

from aftercare_app.domain.vocabulary import Severity, Symptom
from aftercare_app.exports import render
from aftercare_app.storage import FileTextStore
from aftercare_app.ui.presenters.diary import DiaryForm
from aftercare_app.ui.presenters.forms import OnboardingForm
from aftercare_app.ui.screens.diary import DiaryScreen
from aftercare_app.ui.screens.exports import Exports
from aftercare_app.ui.screens.masks import MasksScreen
from aftercare_app.ui.screens.settings import SettingsScreen
from aftercare_app.ui.screens.welcome import NewSessionScreen, WelcomeScreen
from tests.ui.conftest import PARIS, FakeHost, memory_records, run, texts

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)

HOSTILE_TEXT = {
    "100,000 characters": "a" * 100_000,
    "4,000 characters, the most a note holds": "n" * 4000,
    "a NUL": "before\x00after",
    "a bell and an escape sequence": "\x07\x1b[2J cleared?",
    "a carriage return": "line\rreturn",
    "Windows line endings": "first line\r\nsecond line",
    "a bidirectional override": "Clinique \u202eevil\u202c du Parc",
    "bidirectional isolates and marks": "\u2066isolated\u2069 \u200fRLM \u200eLRM",
    "emoji with joiners and flags": "😀 👩‍👩‍👧‍👦 🏳️‍🌈 🇫🇷",
    "combining marks": "Z̷̢̛͚a̸l̵g̶o e\u0301",
    "other scripts": "腫れ 붓기 отёк ورم שלום",
    "line and paragraph separators": "one\u2028two\u2029three",
    "a lone surrogate": "broken \ud83d emoji",
    "a formula for a spreadsheet": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "markup and SQL": "<script>alert(1)</script>'; DROP TABLE diary; --",
    "only spaces": "     ",
    "private use and noncharacters": "\ue000\uffff\U0010ffff",
}
HOSTILE_PHONES = {
    "letters": "call me maybe",
    "letters that look like digits": "O1 23 45 67 89",
    "Arabic-Indic digits": "٠١٢٣٤٥٦٧٨٩",
    "full-width digits": "０１２３４５６７",
    "10,000 digits": "1" * 10_000,
    "an override in a number": "+33 1 \u202e23 45",
    "emoji": "📞 01 23 45 67",
    "a NUL": "01\x0023",
    "a real number": "+33 (0)1 23-45.67 89",
}
HOSTILE_DATES = {
    "year 9999": "9999-12-31",
    "year 0": "0000-01-01",
    "month 13": "2026-13-01",
    "Arabic-Indic digits": "٢٠٢٦-٠٥-٠٤",
    "100,000 characters": "2" * 100_000,
    "an override": "\u202e2026-05-04",
    "a NUL": "2026-05-04\x00",
}


@pytest.fixture(params=["memory", "files"])
def host(request, tmp_path) -> FakeHost:
    clock = [TREATED + timedelta(hours=30)]
    folder = tmp_path / "data"
    store = FileTextStore(folder) if request.param == "files" else None
    host = FakeHost(memory_records(lambda: clock[0], store))
    if request.param == "files":
        host.snapshot = lambda: {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    else:
        kv = host.records._repository.store.kv
        host.snapshot = kv.snapshot
    return host


def form(**kw: object) -> OnboardingForm:
    base = dict(treated_date="2026-05-04", treated_time="10:00", area="face", sensitive=False, clinic_name="Clinique",
                clinic_phone="+33 1 23", follow_up="2026-05-18")
    return OnboardingForm(**{**base, **kw})


def onboard(host: FakeHost) -> None:
    assert run(WelcomeScreen(host).submit(form()))


def stored_as(text: str, *, note: bool = False) -> str:
    """What the app keeps of ``text``; a note's lines end in a newline whatever ended them when typed."""
    kept = unicodedata.normalize("NFC", text).strip()
    return kept.replace("\r\n", "\n").replace("\r", "\n") if note else kept


def exported(host: FakeHost) -> tuple[dict, list[dict[str, str]], str]:
    """The backup, the diary CSV's rows and the calendar's unfolded text; and the PDF must render."""
    backup = json.loads(host.records.export_backup())
    report = host.records.report()
    rows = list(csv.DictReader(io.StringIO(render("csv", report).decode("utf-8-sig"), newline="")))
    from icalendar import Calendar

    calendar = Calendar.from_ical(render("ics", report))
    descriptions = "\n".join(str(e.get("description", "")) + str(e.get("summary", "")) for e in calendar.walk("VEVENT"))
    assert render("pdf", report).startswith(b"%PDF")
    return backup, rows, descriptions


@pytest.mark.parametrize("case", list(HOSTILE_TEXT), ids=list(HOSTILE_TEXT))
def test_a_diary_note_is_kept_whole_or_refused_with_nothing_stored(host, case):
    onboard(host)
    screen = DiaryScreen(host)
    text = HOSTILE_TEXT[case]
    before = host.snapshot()
    saved = run(screen.save(DiaryForm({Symptom.REDNESS: Severity.MILD}, note=text)))
    if not saved:
        assert screen.error and screen.form.note == text  # said why, the form keeps what was typed
        assert host.snapshot() == before
        return
    [entry] = host.records.entries()
    assert entry.note == stored_as(text, note=True)
    backup, rows, _ = exported(host)
    assert backup["data"]["diary"][0]["note"] == entry.note
    assert rows[0]["note"].removeprefix("'") == entry.note
    screen.build()  # the diary lists it


@pytest.mark.parametrize("case", list(HOSTILE_TEXT), ids=list(HOSTILE_TEXT))
def test_a_clinic_name_is_kept_whole_or_refused_on_the_welcome_form_and_in_settings(host, case):
    text = HOSTILE_TEXT[case]
    welcome = WelcomeScreen(host)
    before = host.snapshot()
    if not run(welcome.submit(form(clinic_name=text))):
        assert welcome.errors.get("clinic_name") and host.snapshot() == before
        onboard(host)
    else:
        assert host.records.profile().clinic_name == stored_as(text)
    settings = SettingsScreen(host, Exports(host))
    before = host.snapshot()
    refused = run(settings.save_profile(text, "+33 1 23", True))
    if refused:
        assert "clinic name" in refused and host.snapshot() == before
        return
    assert host.records.profile().clinic_name == stored_as(text)
    backup, _, calendar = exported(host)
    assert backup["data"]["profile"][0]["clinic_name"] == stored_as(text)
    assert stored_as(text) in calendar or not stored_as(text)
    settings.build()


@pytest.mark.parametrize("case", list(HOSTILE_PHONES), ids=list(HOSTILE_PHONES))
def test_a_clinic_phone_that_is_not_a_number_is_refused_on_both_forms(host, case):
    phone = HOSTILE_PHONES[case]
    welcome = WelcomeScreen(host)
    before = host.snapshot()
    accepted = run(welcome.submit(form(clinic_phone=phone)))
    if case == "a real number":
        assert accepted and host.records.profile().clinic_phone == phone
        backup, _, calendar = exported(host)
        assert backup["data"]["profile"][0]["clinic_phone"] == phone and phone in calendar
        return
    assert not accepted and welcome.errors["clinic_phone"] and host.snapshot() == before
    onboard(host)
    settings = SettingsScreen(host, Exports(host))
    before = host.snapshot()
    assert run(settings.save_profile("Clinique", phone, False))
    assert host.snapshot() == before and host.records.profile().clinic_phone == "+33 1 23"


@pytest.mark.parametrize("field", ["treated_date", "follow_up"])
@pytest.mark.parametrize("case", list(HOSTILE_DATES), ids=list(HOSTILE_DATES))
def test_a_date_that_is_no_date_is_refused_with_a_message(host, case, field):
    value = HOSTILE_DATES[case]
    for screen in (WelcomeScreen(host), NewSessionScreen(host)):
        before = host.snapshot()
        assert not run(screen.submit(form(**{field: value})))
        assert screen.errors  # under the field, or under the one it contradicts (a follow-up before it)
        assert host.snapshot() == before
    onboard(host)
    settings = SettingsScreen(host, Exports(host))
    before = host.snapshot()
    assert not run(settings.save_session(form(**{field: value})))
    assert settings.session_errors and host.snapshot() == before
    settings.build()  # the correction form shows the message under the field


@pytest.mark.parametrize("value", ["25:61", "99", "\u202e10:00", "1" * 100_000, "10:00\x00", "١٠:٠٠"])
def test_a_time_that_is_no_time_is_refused_under_its_field(host, value):
    screen = WelcomeScreen(host)
    assert not run(screen.submit(form(treated_time=value)))
    assert screen.errors.get("treated_time") and host.records.sessions() == []


def test_an_area_that_is_neither_face_nor_scalp_is_refused(host):
    screen = WelcomeScreen(host)
    assert not run(screen.submit(form(area="elbow\u202e")))
    assert screen.errors["area"] == "Choose face or scalp." and host.records.sessions() == []


@pytest.mark.parametrize("case", list(HOSTILE_TEXT), ids=list(HOSTILE_TEXT))
def test_the_mask_label_checker_reads_any_pasted_text_without_storing_it(host, case):
    onboard(host)
    screen = MasksScreen(host)
    before = host.snapshot()
    screen.label = HOSTILE_TEXT[case]
    vm = screen.view()
    assert vm.stage
    screen.build()
    assert host.snapshot() == before


def test_a_label_far_longer_than_any_ingredient_list_is_not_drawn_item_by_item(host):
    onboard(host)
    screen = MasksScreen(host)
    screen.label = "Aqua, " * 16_000  # a 100,000-character paste
    vm = screen.view()
    assert vm.ingredients == () and vm.verdict_text == ""  # not judged, so never "Fine"
    assert "Not checked" in vm.refused and "16,000 items" in vm.refused
    assert "Not checked" in " ".join(text for control in screen.build() for text in texts(control))
