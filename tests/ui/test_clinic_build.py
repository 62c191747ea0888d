"""A clinic's own build, as its patients meet it: the welcome form comes with the clinic's name and phone (still
editable) and its follow-up delay; every emergency advice names the clinic's emergency number; the call-your-clinic
card offers the after-hours line. Without a clinic the app words things as before."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from aftercare_app.domain.clinic import Clinic
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign
from aftercare_app.ui.presenters.diary import DiaryForm
from aftercare_app.ui.screens.diary import DiaryScreen
from aftercare_app.ui.screens.today import TodayScreen
from aftercare_app.ui.screens.welcome import WelcomeScreen
from tests.ui.conftest import PARIS, FakeHost, memory_records, run, texts, walk

NOW = datetime(2026, 5, 4, 18, 0, tzinfo=PARIS)
CLINIC = Clinic("Clinique du Parc", "+33 1 23 45 67 89", "15", "+33 6 12 34 56 78", follow_up_days=21)


@pytest.fixture
def host() -> FakeHost:
    fake = FakeHost(memory_records(lambda: NOW))
    fake.clinic = CLINIC
    return fake


def words(controls) -> str:
    return " ".join(text for control in controls for text in texts(control))


def urls(controls) -> list[str]:
    return [c.url for control in controls for c in walk(control) if isinstance(getattr(c, "url", None), str)]


def test_the_welcome_form_comes_filled_with_the_clinic_and_its_follow_up_delay(host):
    welcome = WelcomeScreen(host)
    form = welcome.current_form()
    assert (form.clinic_name, form.clinic_phone) == ("Clinique du Parc", "+33 1 23 45 67 89")
    assert form.follow_up == "2026-05-25"  # 21 days after today's treatment
    assert "call 15" in words(welcome.build()).lower()


def test_the_patient_may_change_what_the_clinic_filled_in(host):
    welcome = WelcomeScreen(host)
    form = welcome.current_form()
    edited = type(form)(**{**form.__dict__, "clinic_name": "Dr Martin", "clinic_phone": "+33 4 00 00 00 00"})
    assert run(welcome.submit(edited)), welcome.errors
    profile = host.records.profile()
    assert (profile.clinic_name, profile.clinic_phone) == ("Dr Martin", "+33 4 00 00 00 00")
    assert host.records.current_session().follow_up == date(2026, 5, 25)
    # A new session keeps what the patient typed, not the build's clinic.
    assert WelcomeScreen(host).current_form().clinic_name == "Dr Martin"


def start(host: FakeHost) -> None:
    welcome = WelcomeScreen(host)
    form = welcome.current_form()
    phone = form.clinic_phone or "+44 20 7946 0000"
    earlier = type(form)(**{**form.__dict__, "treated_time": "10:00", "clinic_phone": phone})
    assert run(welcome.submit(earlier)), welcome.errors


def log_sign(host, sign: WarningSign) -> DiaryScreen:
    """Log a diary entry with ``sign`` alone; the diary screen keeps the triage card it showed."""
    diary = DiaryScreen(host)
    run(diary.save(DiaryForm(dict.fromkeys(Symptom, Severity.NONE), frozenset({sign}))))
    return diary


def test_an_emergency_names_the_clinics_number_in_its_advice_and_its_call_button(host):
    start(host)
    diary = log_sign(host, WarningSign.TROUBLE_BREATHING)
    card = diary.last_triage
    assert card.level is TriageLevel.EMERGENCY
    assert "Call 15 now." in card.lines and not any("emergency services" in line for line in card.lines)
    drawn = diary.build()
    assert "tel:15" in urls(drawn) and "tel:+33612345678" in urls(drawn)
    labels = [c.content for control in drawn for c in walk(control) if isinstance(getattr(c, "content", None), str)]
    assert "Call 15" in labels and "After hours: call +33 6 12 34 56 78" in labels
    banner = TodayScreen(host).view().red_flag
    assert banner is not None and banner.text.startswith("Seek emergency care, call 15 now")


def test_a_call_your_clinic_card_offers_the_after_hours_line(host):
    start(host)
    card = log_sign(host, WarningSign.FEVER).last_triage
    assert card.level is TriageLevel.CALL_CLINIC
    assert card.call_url == "tel:+33123456789" and card.after_hours_url == "tel:+33612345678"


def test_without_a_clinic_the_app_words_emergencies_as_before(host):
    host.clinic = None
    start(host)
    assert WelcomeScreen(host).current_form().clinic_name == ""
    card = log_sign(host, WarningSign.TROUBLE_BREATHING).last_triage
    assert card.emergency_url == "tel:112" and card.after_hours_url == ""
    assert any("112 in Europe" in line for line in card.lines)
    assert NOW - timedelta(hours=8) == host.records.current_session().treated_at
