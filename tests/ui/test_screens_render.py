"""The follow-up view, Settings and the checklist render from the real services, without a browser."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import flet as ft

from aftercare_app.domain.vocabulary import Symptom
from aftercare_app.ui.app import AftercareApp
from tests.ui.conftest import PARIS, FakePage, memory_records, run, texts, walk

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
NOW = TREATED + timedelta(hours=50)


def app_with_entries() -> AftercareApp:
    now = [TREATED + timedelta(hours=5)]
    records = memory_records(lambda: now[0])
    records.start_session(TREATED, follow_up=date(2026, 5, 18), clinic_phone="0123", timezone="Europe/Paris")
    records.add_entry(TREATED + timedelta(hours=5), {Symptom.REDNESS: 3})
    now[0] = TREATED + timedelta(hours=30)
    records.add_entry(TREATED + timedelta(hours=30), {Symptom.REDNESS: 1})
    now[0] = NOW
    app = AftercareApp(FakePage(), records, zone_name="Europe/Paris", zone=PARIS)
    app.start()
    return app


def semantics_nodes(control) -> list[ft.Semantics]:
    return [c for c in walk(control) if isinstance(c, ft.Semantics)]


def test_the_follow_up_view_draws_a_chart_per_symptom_with_its_words_for_screen_readers():
    app = app_with_entries()
    app.show("/follow-up")
    labels = [n.label for n in semantics_nodes(app.body) if n.label]
    assert any(label.startswith("Redness by day. Worst severe on day 1") for label in labels)
    assert any(label.startswith("Checklist by day:") for label in labels)
    assert "!" in texts(app.body)  # day 1 is above what is expected


def test_settings_offer_the_session_correction_form_and_the_same_exports():
    app = app_with_entries()
    app.show("/settings")
    ids = {n.identifier for n in semantics_nodes(app.body)}
    assert {"edit-session", "exports"} <= ids


def test_the_calendar_export_holds_the_follow_up_and_optional_daily_check_ins():
    from icalendar import Calendar

    app = app_with_entries()
    exports = app.screens["/follow-up"].exports
    session = app.records.current_session()
    data, name = exports.file(session.id, "ics")
    assert name == "aftercare-calendar-2026-05-04.ics"
    plain = Calendar.from_ical(data).walk("VEVENT")
    exports.check_in_reminders = True
    with_check_ins = Calendar.from_ical(exports.file(session.id, "ics")[0]).walk("VEVENT")
    assert len(with_check_ins) > len(plain)
    starts = [e.decoded("dtstart") for e in with_check_ins]
    assert any(isinstance(t, datetime) and t.astimezone(PARIS).strftime("%H:%M") == "20:00" for t in starts)


def test_tapping_a_checklist_tasks_words_stores_the_tick(monkeypatch):
    monkeypatch.setattr(ft.Control, "update", lambda self: None)  # no client here to redraw on
    app = app_with_entries()
    app.show("/checklist")
    tappable = [c for c in walk(app.body) if isinstance(c, ft.Container) and isinstance(c.content, ft.Text) and c.on_click]
    assert tappable, "no task text to tap"
    run(tappable[0].on_click(None))
    assert len(app.records.ticks(app.records.current_session().id)) == 1


def test_the_theme_is_applied_at_once_with_no_cross_fade_to_redraw_on_every_frame():
    style = app_with_entries().page.theme_animation_style
    assert style is not None and style.duration.in_milliseconds == 0 and style.reverse_duration.in_milliseconds == 0
