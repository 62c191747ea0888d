"""Backups in the served app, as a patient makes them: Settings saves one (a download), a file that is no backup is
refused with its message and no byte of the data folder changes, and the saved one restores the diary once the
patient confirms, keeping what it replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import (
    by_id,
    download,
    fill,
    onboard,
    open_app,
    press_until,
    reveal,
    reveal_role,
    screenshot,
    spoken,
    tab,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def add_entry(page, note: str) -> None:
    tab(page, "Diary")
    reveal(page, "diary-save")
    fill(page, "Note (optional)", note)
    page.get_by_role("button", name="Save entry").click()
    page.locator("[flt-semantics-identifier^='triage-']").first.wait_for()
    page.get_by_role("button", name="Dismiss").click()
    assert note[:12] in spoken(reveal(page, "entries"))


def open_settings(page) -> None:
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")


def pick(page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        reveal_role(page, "button", "Restore from a backup").click()
    chooser.value.set_files(str(path))


def test_a_backup_is_saved_refused_files_change_nothing_and_the_saved_one_restores(fresh_phone, fresh_app, tmp_path):
    page = fresh_phone.page
    open_app(page, fresh_app.url)
    onboard(page)
    add_entry(page, "Before the backup 🙂 \u202eevil")

    open_settings(page)
    card = spoken(reveal(page, "backups"))
    assert "Your data is kept in a folder on this computer" in card and str(fresh_app.data_dir) in card
    assert "No backup saved from this device yet." in card
    screenshot(page, "29-settings-backups")
    saved = download(page, "Save a backup", tmp_path)
    backup = json.loads(saved.read_bytes())
    assert saved.name.startswith("aftercare-backup-") and backup["format"] == "aftercare-companion-export"
    assert [e["note"] for e in backup["data"]["diary"]] == ["Before the backup 🙂 \u202eevil"]
    wait_text(page, "Last backup saved today")

    page.get_by_role("button", name="Back to Today").click()
    wait_screen(page, "today")
    add_entry(page, "After the backup")

    # A file that is no backup: one message, and the data folder keeps every byte.
    open_settings(page)
    before = folder_bytes(fresh_app.data_dir)
    not_json = tmp_path / "photo.json"
    not_json.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    pick(page, not_json)
    wait_text(page, "This file was not restored")
    wait_text(page, "The file is not a backup of this app (it is not text); nothing was changed.")
    screenshot(page, "30-restore-refused")
    page.get_by_role("button", name="OK").click()
    too_large = tmp_path / "too-large.json"
    too_large.write_bytes(json.dumps(backup).encode() + b" " * (5 * 1024 * 1024))
    pick(page, too_large)
    wait_text(page, "The file is too large to be a backup of this app (over 5 MB); nothing was changed.")
    page.get_by_role("button", name="OK").click()
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**backup, "schema": 3}), encoding="utf-8")
    pick(page, newer)
    wait_text(page, "saved by a newer version of the app")
    page.get_by_role("button", name="OK").click()
    assert folder_bytes(fresh_app.data_dir) == before

    # The saved backup: what it holds and what it replaces, and nothing replaced until the patient says so.
    replaced = (fresh_app.data_dir / "aftercare.json").read_bytes()
    pick(page, saved)
    wait_text(page, "Replace your data with this backup?")
    question = spoken(by_id(page, "restore-question"))
    assert "holds 1 session, 1 diary entry" in question and "(1 session, 2 diary entries)" in question
    screenshot(page, "31-restore-question")
    assert folder_bytes(fresh_app.data_dir) == before
    press_until(page, "Replace my data", by_id(page, "screen-today"))
    wait_text(page, "Backup restored: 1 session, 1 diary entry")

    tab(page, "Diary")
    entries = spoken(reveal(page, "entries"))
    assert "Before the backup" in entries and "After the backup" not in entries
    kept = sorted((fresh_app.data_dir / "backups").glob("*before-import.json"))
    assert kept and kept[-1].read_bytes() == replaced


def test_after_seven_days_of_entries_in_no_backup_today_reminds_until_put_off_or_saved(browser, tmp_path):
    from datetime import UTC, datetime, timedelta

    from aftercare_app.services import CareRecords
    from aftercare_app.storage import FileTextStore, open_repository
    from tests.browser.conftest import ROOT, phone_tab, start_server, stop_server

    data = tmp_path / "data"
    now = datetime.now(UTC)
    records = CareRecords(open_repository(FileTextStore(data)), lambda: now - timedelta(days=8))
    records.start_session(now - timedelta(days=9), clinic_phone="+33 1 23 45", timezone="Europe/Paris")
    records.add_entry(now - timedelta(days=8), {"redness": 2}, note="first evening")
    server = start_server(ROOT / "main.py", data)
    try:
        for phone in phone_tab(browser, server):
            page = phone.page
            open_app(page, server.url)
            wait_screen(page, "today")
            reminder = spoken(reveal(page, "backup-reminder"))
            assert "Save a backup of your diary" in reminder and "your entries of the last 8 days are kept only on this computer" in reminder
            screenshot(page, "32-today-backup-reminder")
            reveal_role(page, "button", "Not today").click()
            page.wait_for_timeout(500)
            assert not by_id(page, "backup-reminder").count()
            page.reload()
            open_app(page, server.url)
            wait_screen(page, "today")
            page.wait_for_timeout(500)
            assert not by_id(page, "backup-reminder").count()  # put off for today on this device
    finally:
        stop_server(server)
