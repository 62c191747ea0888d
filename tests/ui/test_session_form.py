"""The treatment form's follow-up default, and a recorded session shown for correcting in Settings."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aftercare_app.domain.records import Profile, TreatmentSession
from aftercare_app.domain.vocabulary import Area
from aftercare_app.ui.presenters import forms as P

PARIS = ZoneInfo("Europe/Paris")


def test_the_follow_up_defaults_to_two_weeks_after_the_treatment_date():
    form = P.onboarding_defaults(datetime(2026, 5, 4, 8, 30, tzinfo=ZoneInfo("UTC")), PARIS)
    assert (form.treated_date, form.follow_up) == ("2026-05-04", "2026-05-18")
    assert P.default_follow_up("01/05/2026") == "2026-05-15"
    assert P.default_follow_up("not a date") == ""


def test_the_default_follow_up_moves_with_a_changed_treatment_date():
    assert P.follow_up_after_date_change("2026-05-04", "2026-05-01", "2026-05-18") == "2026-05-15"
    assert P.follow_up_after_date_change("2026-05-04", "2026-05-01", "") == "2026-05-15"


def test_a_follow_up_the_patient_chose_stays_when_the_treatment_date_changes():
    assert P.follow_up_after_date_change("2026-05-04", "2026-05-01", "2026-05-20") == "2026-05-20"


def test_while_the_new_date_is_half_typed_the_follow_up_waits():
    assert P.follow_up_after_date_change("2026-05-04", "2026-05-", "2026-05-18") == "2026-05-18"
    # Once it parses again the default follows from the last date it held.
    assert P.follow_up_after_date_change("2026-05-04", "2026-05-02", "2026-05-18") == "2026-05-16"


def test_a_recorded_session_fills_the_form_in_the_patients_zone_and_validates_back_to_itself():
    session = TreatmentSession("s1", datetime(2026, 5, 4, 8, 0, tzinfo=ZoneInfo("UTC")), Area.SCALP, True, date(2026, 5, 20))
    profile = Profile(Area.SCALP, True, "Clinique", "+33 1 23", "Europe/Paris")
    form = P.session_form(session, PARIS, profile)
    assert (form.treated_date, form.treated_time, form.area, form.follow_up) == ("2026-05-04", "10:00", "scalp", "2026-05-20")
    values, errors = P.read_session_form(form, zone=PARIS, now=datetime(2026, 5, 6, tzinfo=PARIS))
    assert errors == {}
    assert (values.treated_at, values.area, values.sensitive, values.follow_up) == (
        session.treated_at, session.area, session.sensitive, session.follow_up
    )
