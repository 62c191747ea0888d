"""Backups as the patient meets them: Settings says where the data is kept and when the last backup was saved, saves
one and restores one only after asking; a refused file says why in one message and changes no stored byte; Today
reminds once a day after 7 days of entries in no backup; "Delete all data" offers a backup first."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import flet as ft
import pytest

from aftercare_app.storage import FileTextStore
from aftercare_app.ui.app import AftercareApp
from aftercare_app.ui.backup_log import DISMISSED_KEY, SAVED_KEY, BackupLog
from aftercare_app.ui.presenters.backup import StoragePlace, backup_reminder, storage_lines
from aftercare_app.ui.screens.backup import Backups
from aftercare_app.ui.screens.exports import Exports
from aftercare_app.ui.screens.settings import SettingsScreen
from aftercare_app.ui.screens.today import TodayScreen
from aftercare_app.ui.settings import MemorySettings
from tests.services.test_backup_files import ATTACKS
from tests.ui.conftest import PARIS, FakeHost, FakePage, memory_records, run, texts, walk

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)


class Patient:
    """A host on a store (memory or files), a clock to move, and the backup files the app saved."""

    def __init__(self, kind: str, tmp_path) -> None:
        self.clock = [TREATED + timedelta(hours=30)]
        self.folder = tmp_path / "data"
        store = FileTextStore(self.folder) if kind == "files" else None
        self.host = FakeHost(memory_records(lambda: self.clock[0], store))
        self.kind = kind
        self.saved: list[tuple[str, bytes]] = []
        self.settings = MemorySettings()
        self.backups = self.new_backups()

    def new_backups(self) -> Backups:
        async def save_file(name: str, data: bytes) -> None:
            self.saved.append((name, data))

        return Backups(self.host, BackupLog(self.settings), save_file=save_file)

    @property
    def records(self):
        return self.host.records

    def snapshot(self) -> dict[str, bytes | str]:
        if self.kind == "files":
            return {str(p.relative_to(self.folder)): p.read_bytes() for p in sorted(self.folder.rglob("*")) if p.is_file()}
        store = self.records._repository.store
        return store.kv.snapshot()

    def start(self) -> None:
        self.records.start_session(TREATED, clinic_phone="+33 1 23", timezone="Europe/Paris")
        self.records.tick(0, "hands_off")
        self.records.add_entry(TREATED + timedelta(hours=5), {"redness": 1}, note="fine 🙂")

    def dialogs(self) -> list[ft.AlertDialog]:
        return [d for kind, d in self.host.asked if kind == "dialog"]


@pytest.fixture(params=["memory", "files"])
def patient(request, tmp_path) -> Patient:
    return Patient(request.param, tmp_path)


def button(control: ft.Control, label: str) -> ft.Control:
    found = [c for c in walk(control) if getattr(c, "content", None) == label]
    found += [a for a in getattr(control, "actions", None) or [] if getattr(a, "content", None) == label]
    assert found, f"no button {label!r}"
    return found[0]


def press(control: ft.Control, label: str) -> None:
    handler = button(control, label).on_click
    result = handler(None)
    if hasattr(result, "__await__"):
        run(result)


def dialog_texts(dialog: ft.AlertDialog) -> list[str]:
    return [*texts(dialog.title), *texts(dialog.content)]


# --------------------------------------------------------------------------- saving


def test_a_saved_backup_is_the_whole_export_named_by_the_day_and_settings_say_when(patient):
    patient.start()
    screen = SettingsScreen(patient.host, Exports(patient.host), patient.backups)
    assert "No backup saved from this device yet." in texts(screen.backups.card())
    said = run(patient.backups.save())
    [(name, data)] = patient.saved
    assert said == f"Backup saved as {name}." and name == "aftercare-backup-2026-05-05.json"
    assert json.loads(data)["data"] == json.loads(patient.records.export_backup())["data"]
    assert patient.backups.log.saved_at == patient.clock[0]
    assert patient.settings.values[SAVED_KEY] == patient.clock[0].isoformat()
    assert "Last backup saved today 16:00." in texts(screen.backups.card())


def test_the_backup_log_is_read_back_and_ignores_what_it_cannot_read():
    settings = MemorySettings({SAVED_KEY: "2026-05-05T16:00:00+02:00", DISMISSED_KEY: "2026-05-06"})
    log = run(BackupLog.load(settings))
    assert log.saved_at == datetime(2026, 5, 5, 16, tzinfo=PARIS) and log.dismissed_on == date(2026, 5, 6)
    garbage = run(BackupLog.load(MemorySettings({SAVED_KEY: "tuesday", DISMISSED_KEY: "2026-05-06T10:00:00+02:00x"})))
    assert garbage.saved_at is None and garbage.dismissed_on is None
    naive = run(BackupLog.load(MemorySettings({SAVED_KEY: "2026-05-05T16:00:00"})))
    assert naive.saved_at is None


# --------------------------------------------------------------------------- restoring


def test_a_good_backup_replaces_the_data_only_once_the_patient_confirms(patient):
    patient.start()
    run(patient.backups.save())
    [(name, backup)] = patient.saved
    patient.clock[0] += timedelta(hours=2)
    patient.records.add_entry(patient.clock[0], {"pain": 2}, note="after the backup")
    before = patient.snapshot()
    replaced = patient.records._repository.store.read()

    run(patient.backups.picked(name, backup))
    [question] = patient.dialogs()
    words = " ".join(dialog_texts(question))
    assert "Replace your data with this backup?" in words
    assert "The backup saved today 16:00 holds 1 session, 1 diary entry and 1 ticked task." in words
    assert "It replaces everything in the app now (1 session, 2 diary entries)." in words
    assert patient.snapshot() == before  # asking changes nothing

    press(question, "Cancel")
    assert patient.snapshot() == before

    run(patient.backups.picked(name, backup))
    press(patient.dialogs()[-1], "Replace my data")
    assert [e.note for e in patient.records.entries()] == ["fine 🙂"]
    assert ("forget_screens", None) in patient.host.asked and ("go", "/today") in patient.host.asked
    assert ("toast", "Backup restored: 1 session, 1 diary entry, 1 ticked task.") in patient.host.asked
    assert patient.host.writes >= 1
    store = patient.records._repository.store
    kept = store.backups()[0]
    assert kept.name.endswith("before-import") and store.read_backup(kept.name) == replaced


def test_the_patient_can_save_the_current_data_before_a_restore_replaces_it(patient):
    patient.start()
    backup = patient.records.export_backup().encode()
    patient.records.add_entry(patient.clock[0], {"pain": 2}, note="only here")
    run(patient.backups.picked("old.json", backup))
    press(patient.dialogs()[-1], "Save current data first")
    [(name, data)] = patient.saved
    assert "only here" in data.decode()
    again = patient.dialogs()[-1]
    assert f"Backup saved as {name}." in dialog_texts(again)
    assert not [a for a in again.actions if a.content == "Save current data first"]
    press(again, "Replace my data")
    assert [e.note for e in patient.records.entries()] == ["fine 🙂"]


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_refused_file_says_why_in_one_message_and_changes_no_stored_byte(patient, attack):
    patient.start()
    make, words = ATTACKS[attack]
    data = make(json.loads(patient.records.export_backup()))
    before = patient.snapshot()
    run(patient.backups.picked("picked.json", data))
    [refusal] = patient.dialogs()
    title, message = dialog_texts(refusal)
    assert title == "This file was not restored"
    assert words in message and message.endswith("nothing was changed.")
    assert [a.content for a in refusal.actions] == ["OK"]
    assert patient.snapshot() == before
    assert ("forget_screens", None) not in patient.host.asked


def test_a_file_the_browser_could_not_read_is_refused(patient):
    patient.start()
    before = patient.snapshot()
    run(patient.backups.picked("gone.json", None))
    assert "The file could not be read; nothing was changed." in dialog_texts(patient.dialogs()[-1])
    assert patient.snapshot() == before


def test_the_picker_result_reaches_the_restore_with_its_bytes(patient):
    patient.start()
    backup = patient.records.export_backup().encode()
    event = ft.FilePickerResultEvent(name="result", control=ft.FilePicker(), files=[
        ft.FilePickerFile(id=1, name="b.json", size=len(backup), bytes=list(backup))])
    run(patient.backups._on_picked(event))
    assert "Restore this backup?" in dialog_texts(patient.dialogs()[-1]) or "Replace your data" in " ".join(
        dialog_texts(patient.dialogs()[-1]))
    cancelled = ft.FilePickerResultEvent(name="result", control=ft.FilePicker(), files=[])
    count = len(patient.dialogs())
    run(patient.backups._on_picked(cancelled))
    assert len(patient.dialogs()) == count


def test_restoring_on_a_fresh_device_needs_no_replacing_and_counts_as_backed_up(tmp_path):
    old = Patient("memory", tmp_path / "old")
    old.start()
    backup = old.records.export_backup().encode()
    new = Patient("files", tmp_path / "new")
    run(new.backups.picked("b.json", backup))
    question = new.dialogs()[-1]
    assert texts(question.title) == ["Restore this backup?"]
    assert [a.content for a in question.actions] == ["Cancel", "Replace my data"]
    press(question, "Replace my data")
    assert new.records.entries() == old.records.entries()
    assert new.backups.log.saved_at == old.clock[0]  # the time the file was made
    assert new.backups.reminder() is None


def test_the_welcome_screen_offers_a_restore_for_a_patient_who_used_the_app_elsewhere():
    app = AftercareApp(FakePage(), memory_records(lambda: TREATED), zone_name="Europe/Paris", zone=PARIS)
    app.start()
    assert app.route == "/welcome"
    ids = {c.identifier for c in walk(app.body) if isinstance(c, ft.Semantics)}
    assert {"welcome-restore", "restore-backup"} <= ids
    restore = button(app.body, "Restore from a backup")
    assert isinstance(restore.action, ft.PickFiles) and restore.action.with_data


# --------------------------------------------------------------------------- the reminder


DAY = timedelta(days=1)


def test_the_reminder_comes_once_the_oldest_record_in_no_backup_is_seven_days_old():
    start = TREATED
    times = [start + k * DAY for k in range(8)]
    assert backup_reminder([], None, None, start + 30 * DAY, PARIS) is None
    assert backup_reminder(times[:1], None, None, start + 7 * DAY - timedelta(minutes=1), PARIS) is None
    due = backup_reminder(times, None, None, start + 7 * DAY, PARIS)
    assert due is not None and "No backup was saved yet: your entries of the last 7 days are kept only in this browser" in due.text
    saved = start + 3 * DAY
    assert backup_reminder(times[:4], saved, None, start + 20 * DAY, PARIS) is None  # all in the backup
    later = backup_reminder(times, saved, None, start + 11 * DAY, PARIS)
    assert later is not None and "Your last backup is from Thu 7 May 10:00: your entries of the last 7 days" in later.text
    assert backup_reminder(times, saved, None, start + 10 * DAY + timedelta(hours=23), PARIS) is None


def test_the_reminder_put_off_today_comes_back_tomorrow():
    times = [TREATED]
    now = TREATED + 8 * DAY
    today = now.astimezone(PARIS).date()
    assert backup_reminder(times, None, today, now, PARIS) is None
    assert backup_reminder(times, None, today - DAY, now, PARIS) is not None
    assert backup_reminder(times, None, today, now + DAY, PARIS) is not None


def test_today_shows_the_reminder_and_not_today_puts_it_off_until_tomorrow(patient):
    patient.start()
    screen = TodayScreen(patient.host, patient.backups)
    assert "backup-reminder" not in ids_of(screen.build())
    patient.clock[0] = TREATED + 7 * DAY + timedelta(hours=5)
    reminder = [c for c in screen.build() if getattr(c, "identifier", None) == "backup-reminder"]
    assert reminder, "no reminder after 7 days"
    press(reminder[0], "Not today")
    assert patient.backups.log.dismissed_on == patient.clock[0].astimezone(PARIS).date()
    assert patient.settings.values[DISMISSED_KEY] == patient.backups.log.dismissed_on.isoformat()
    assert "backup-reminder" not in ids_of(screen.build())
    patient.clock[0] += DAY
    assert "backup-reminder" in ids_of(screen.build())


def test_saving_from_the_reminder_saves_the_backup_and_the_reminder_goes(patient):
    patient.start()
    patient.clock[0] = TREATED + 8 * DAY
    screen = TodayScreen(patient.host, patient.backups)
    [reminder] = [c for c in screen.build() if getattr(c, "identifier", None) == "backup-reminder"]
    press(reminder, "Save a backup")
    assert len(patient.saved) == 1 and ("redraw", None) in patient.host.asked
    assert "backup-reminder" not in ids_of(screen.build())


def ids_of(controls: list[ft.Control]) -> set[str]:
    return {c.identifier for control in controls for c in walk(control) if isinstance(c, ft.Semantics) and c.identifier}


# --------------------------------------------------------------------------- deleting everything


def test_delete_all_data_offers_a_backup_first_then_still_deletes(patient):
    patient.start()
    run(patient.backups.save())
    screen = SettingsScreen(patient.host, Exports(patient.host), patient.backups)
    screen._ask_erase(None)
    question = patient.dialogs()[-1]
    assert "Save a backup first to keep a copy you can restore later." in dialog_texts(question)
    press(question, "Save a backup first")
    assert len(patient.saved) == 2
    again = patient.dialogs()[-1]
    assert f"Backup saved as {patient.saved[-1][0]}." in dialog_texts(again)
    assert [a.content for a in again.actions] == ["Cancel", "Delete everything"]
    press(again, "Delete everything")
    assert patient.records.sessions() == [] and ("go", "/welcome") in patient.host.asked
    assert patient.backups.log.saved_at is None and patient.settings.values[SAVED_KEY] == ""


# --------------------------------------------------------------------------- where the data is kept


def test_settings_say_where_the_data_is_kept_and_whether_the_browser_may_clear_it():
    folder = storage_lines(StoragePlace("folder", folder="/home/p/.local/share/aftercare-companion"))
    assert folder[0].startswith("Your data is kept in a folder on this computer (/home/p/.local/share/aftercare-companion)")
    kept = storage_lines(StoragePlace("browser", persisted=True, usage=120_000))
    assert kept[0].startswith("Persistent storage: on.") and "117 kB" in kept[1]
    may_clear = storage_lines(StoragePlace("browser", persisted=False, safari=True))
    assert may_clear[0].startswith("Persistent storage: off.") and "Home Screen" in may_clear[-1]
    assert "does not say" in storage_lines(StoragePlace("browser"))[0]
    assert storage_lines(None) == ("Checking how this browser keeps your data…",)


def test_the_served_app_names_its_data_folder_and_the_card_updates_when_asked(tmp_path):
    patient = Patient("files", tmp_path)
    patient.start()
    from aftercare_app.ui.screens.backup import default_storage_place

    backups = Backups(patient.host, storage_place=default_storage_place(patient.records))
    card = backups.card()
    assert "Checking how this browser keeps your data…" in texts(card)
    run(backups.refresh_place())
    assert backups.place == StoragePlace("folder", folder=str(tmp_path / "data"))
    assert any(str(tmp_path / "data") in t for t in texts(card))  # updated in place, no redraw


def test_safari_is_told_apart_from_other_browsers():
    from aftercare_app.pwa.persistence import is_safari
    from tests.pwa.phone import ANDROID_UA, IPHONE_UA

    mac_safari = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                  "Version/17.5 Safari/605.1.15")
    mac_chrome = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
    assert is_safari(IPHONE_UA) and is_safari(mac_safari)
    assert not is_safari(ANDROID_UA) and not is_safari(mac_chrome)


def test_outside_a_browser_the_browser_place_is_unknown():
    from aftercare_app.pwa.persistence import browser_storage_place

    assert run(browser_storage_place()) == StoragePlace("unknown")


def test_a_backup_saved_from_the_save_a_copy_card_counts_for_the_reminder(patient):
    patient.start()
    log = patient.backups.log
    exports = Exports(patient.host, on_backup_saved=lambda: log.note_saved(patient.host.now()),
                      save_file=patient.backups.save_file)
    session = patient.records.current_session().id
    run(exports.save(session, "csv"))
    assert log.saved_at is None and patient.saved[-1][0].endswith(".csv")
    run(exports.save(session, "json"))
    assert patient.saved[-1][0].endswith(".json") and log.saved_at == patient.host.now()
