"""The follow-up view and Settings render from a memory backend, without a browser."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import DiaryEntry, Profile, TreatmentSession
from aftercare_app.domain.vocabulary import Symptom
from aftercare_app.ui.app import AftercareApp
from aftercare_app.ui.backend import MemoryBackend
from tests.ui.test_live_countdown import FakePage, texts

PARIS = ZoneInfo("Europe/Paris")
TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)
NOW = TREATED + timedelta(hours=50)


def app_with_entries() -> AftercareApp:
    backend = MemoryBackend(clock=lambda: NOW)
    backend.start_session(TreatmentSession("s1", TREATED, follow_up=date(2026, 5, 18)), Profile(clinic_phone="0123", timezone="Europe/Paris"))
    backend.add_entry(DiaryEntry("a", "s1", TREATED + timedelta(hours=5), {Symptom.REDNESS: 3}))
    backend.add_entry(DiaryEntry("b", "s1", TREATED + timedelta(hours=30), {Symptom.REDNESS: 1}))
    app = AftercareApp(FakePage(), backend, default_protocol(), lambda: NOW, "Europe/Paris", PARIS)
    app.start()
    return app


def semantics_nodes(control) -> list[ft.Semantics]:
    found, stack = [], [control]
    while stack:
        c = stack.pop()
        if isinstance(c, ft.Semantics):
            found.append(c)
        for name in ("content", "controls"):
            child = getattr(c, name, None)
            stack.extend(child if isinstance(child, list) else [child] if isinstance(child, ft.Control) else [])
    return found


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
    session = app.session
    data, name = app.export_file(session, "ics")
    assert name == "aftercare-calendar-2026-05-04.ics"
    plain = Calendar.from_ical(data).walk("VEVENT")
    app.check_in_reminders = True
    with_check_ins = Calendar.from_ical(app.export_file(session, "ics")[0]).walk("VEVENT")
    assert len(with_check_ins) > len(plain)
    starts = [e.decoded("dtstart") for e in with_check_ins]
    assert any(isinstance(t, datetime) and t.astimezone(PARIS).strftime("%H:%M") == "20:00" for t in starts)


def test_tapping_a_checklist_tasks_words_stores_the_tick(monkeypatch):
    from tests.pwa.test_runtime import _run

    monkeypatch.setattr(ft.Control, "update", lambda self: None)  # no client here to redraw on
    app = app_with_entries()
    app.show("/checklist")
    tappable = [c for c in walk(app.body) if isinstance(c, ft.Container) and isinstance(c.content, ft.Text) and c.on_click]
    assert tappable, "no task text to tap"
    _run(tappable[0].on_click(None))
    assert len(app.backend.ticks("s1")) == 1


def walk(control) -> list[ft.Control]:
    found, stack = [], [control]
    while stack:
        c = stack.pop()
        found.append(c)
        for name in ("content", "controls"):
            child = getattr(c, name, None)
            stack.extend(child if isinstance(child, list) else [child] if isinstance(child, ft.Control) else [])
    return found
