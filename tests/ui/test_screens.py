"""What a patient does on each screen, driven through the screen's own actions on the real services (over memory
and over files on disk), with a host that records what the screen asked of the app."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from aftercare_app.domain.vocabulary import Area, Severity, Symptom, TriageLevel, WarningSign
from aftercare_app.storage import FileTextStore
from aftercare_app.ui.presenters.diary import DiaryForm, diary_form_for
from aftercare_app.ui.presenters.forms import OnboardingForm
from aftercare_app.ui.screens.checklist import ChecklistScreen
from aftercare_app.ui.screens.diary import DiaryScreen
from aftercare_app.ui.screens.exports import Exports
from aftercare_app.ui.screens.settings import SettingsScreen
from aftercare_app.ui.screens.welcome import WelcomeScreen
from tests.ui.conftest import PARIS, FakeHost, memory_records, run

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)


@pytest.fixture
def clock():
    return [TREATED + timedelta(hours=30)]


@pytest.fixture(params=["memory", "files"])
def host(request, clock, tmp_path) -> FakeHost:
    store = FileTextStore(tmp_path / "data") if request.param == "files" else None
    return FakeHost(memory_records(lambda: clock[0], store))


def form(**kw) -> OnboardingForm:
    base = dict(treated_date="2026-05-04", treated_time="10:00", area="scalp", sensitive=True, clinic_name="Clinique",
                clinic_phone="+33 1 23", follow_up="2026-05-18")
    return OnboardingForm(**{**base, **kw})


def onboard(host: FakeHost, **kw) -> WelcomeScreen:
    screen = WelcomeScreen(host)
    assert run(screen.submit(form(**kw))), screen.errors
    return screen


# --------------------------------------------------------------------------- welcome


def test_the_welcome_form_starts_the_session_and_keeps_area_skin_clinic_and_zone_in_the_profile(host, tmp_path):
    onboard(host)
    [session] = host.records.sessions()
    assert (session.treated_at, session.area, session.sensitive, session.follow_up) == (TREATED, Area.SCALP, True, date(2026, 5, 18))
    profile = host.records.profile()
    assert (profile.clinic_name, profile.clinic_phone, profile.timezone, profile.sensitive) == ("Clinique", "+33 1 23", "Europe/Paris", True)
    assert host.records.startup_message() == "" and host.writes == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"treated_date": "04/13/2026"}, "treated_date", "YYYY-MM-DD"),
        ({"treated_time": "25:99"}, "treated_time", "HH:MM"),
        ({"treated_date": "2026-05-05", "treated_time": "18:00"}, "treated_time", "future"),
        ({"treated_date": "2026-05-06"}, "treated_date", "future"),
        ({"treated_date": "2024-01-01"}, "treated_date", "more than a year"),
        ({"clinic_phone": ""}, "clinic_phone", "phone number"),
        ({"clinic_phone": "call me"}, "clinic_phone", "only digits"),
        ({"follow_up": "2026-05-01"}, "follow_up", "before the treatment"),
        ({"follow_up": "soon"}, "follow_up", "leave it empty"),
        ({"clinic_name": "x" * 201}, "clinic_name", "too long"),
    ],
)
def test_each_bad_field_gets_its_own_message_and_nothing_is_saved(host, changes, field, words):
    screen = WelcomeScreen(host)
    assert not run(screen.submit(form(**changes)))
    assert words in screen.errors[field]
    assert host.records.sessions() == [] and not host.records.has_profile()


# --------------------------------------------------------------------------- checklist


def test_a_tick_is_stored_on_the_current_session_and_an_untick_removes_it(host):
    onboard(host)
    screen = ChecklistScreen(host)
    task = screen.view().items[0].id
    assert run(screen.set_done(1, task, True)) == ""
    session = host.records.current_session()
    assert [(t.day, t.item_id) for t in host.records.ticks(session.id)] == [(1, task)]
    assert screen.view().items[0].done
    assert run(screen.set_done(1, task, False)) == ""
    assert host.records.ticks(session.id) == []


def test_a_tick_on_a_day_not_started_or_of_an_unknown_task_is_refused_with_a_message(host):
    onboard(host)
    screen = ChecklistScreen(host)
    assert "not started" in run(screen.set_done(5, screen.view().items[0].id, True))
    assert "not a task" in run(screen.set_done(1, "hydrate-the-moon", True))
    assert host.records.ticks(host.records.current_session().id) == []


def test_earlier_days_can_be_shown_and_a_corrected_session_starts_again_on_its_today(host, clock):
    onboard(host)
    screen = ChecklistScreen(host)
    screen.move(-1)
    assert screen.view().day == 0
    run(SettingsScreen(host, Exports(host)).save_session(form(treated_date="2026-05-03")))
    assert screen.view().day == screen.view().today == 2


# --------------------------------------------------------------------------- diary


def test_an_entry_is_saved_then_triaged_corrected_keeping_its_id_and_time_and_deleted(host, clock):
    onboard(host)
    screen = DiaryScreen(host)
    draft = DiaryForm({Symptom.REDNESS: Severity.MODERATE}, frozenset({WarningSign.FEVER}), "warm")
    assert run(screen.save(draft))
    [entry] = host.records.entries()
    assert (entry.at, entry.note, entry.severity(Symptom.REDNESS)) == (clock[0], "warm", Severity.MODERATE)
    assert screen.last_triage.level == TriageLevel.CALL_CLINIC and screen.last_triage.title == "Call your clinic"
    assert screen.form == diary_form_for(None)

    clock[0] += timedelta(hours=2)
    screen.edit(entry.id)
    assert screen.form.entry_id == entry.id and screen.last_triage is None
    assert run(screen.save(DiaryForm({Symptom.REDNESS: Severity.MILD}, frozenset(), "better", entry.id)))
    [corrected] = host.records.entries()
    assert (corrected.id, corrected.at, corrected.note, corrected.signs) == (entry.id, entry.at, "better", frozenset())
    assert screen.last_triage.level == TriageLevel.NORMAL

    assert run(screen.delete(entry.id)) == ""
    assert host.records.entries() == []
    assert "No diary entry" in run(screen.delete(entry.id))


def test_an_entry_the_records_refuse_keeps_the_form_and_says_why(host):
    onboard(host)
    screen = DiaryScreen(host)
    draft = DiaryForm({Symptom.REDNESS: Severity.MILD}, note="\x00")
    assert not run(screen.save(draft))
    assert "control characters" in screen.error and screen.form == draft and host.records.entries() == []


# --------------------------------------------------------------------------- settings


def test_settings_save_the_clinic_and_refuse_a_phone_of_letters(host):
    onboard(host)
    settings = SettingsScreen(host, Exports(host))
    assert run(settings.save_profile("Clinique du Parc", "+33 9 87", False)) == ""
    assert (host.records.profile().clinic_name, host.records.profile().sensitive) == ("Clinique du Parc", False)
    assert "only digits" in run(settings.save_profile("Clinique", "call me", True))
    assert host.records.profile().clinic_phone == "+33 9 87"


def test_a_session_cannot_be_moved_after_its_first_entry(host):
    onboard(host)
    run(DiaryScreen(host).save(DiaryForm({Symptom.PAIN: Severity.MILD})))
    settings = SettingsScreen(host, Exports(host))
    assert not run(settings.save_session(form(treated_date="2026-05-05", treated_time="16:03")))
    assert "first diary entry" in settings.session_errors["treated_time"]
    assert host.records.current_session().treated_at == TREATED


def test_the_backup_is_the_records_export_and_delete_all_empties_everything(host):
    onboard(host)
    exports = Exports(host)
    data, name = exports.file(host.records.current_session().id, "json")
    assert name == "aftercare-backup-2026-05-05.json"
    assert json.loads(data)["format"] == "aftercare-companion-export" and json.loads(data)["data"]["sessions"]
    assert run(SettingsScreen(host, exports).erase()) == ""
    assert host.records.sessions() == [] and not host.records.has_profile()
