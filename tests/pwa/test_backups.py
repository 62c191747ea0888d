"""Backups in the installable build, where the diary lives in the browser's IndexedDB: Settings says whether the
browser keeps it for good, saves a backup file, refuses a file that is no backup without one byte of IndexedDB
changing, and restores the saved backup once the patient confirms; the restored diary survives a reload."""

from __future__ import annotations

import json

import pytest

from tests.pwa.driver import open_app, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every file of the persistent folder as IndexedDB holds it (IDBFS: database "/persist", store "FILE_DATA"): path,
# time stamp, mode and contents, so that two dumps are equal only if not one byte changed.
DUMP_IDBFS = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('/persist');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const store = db.transaction('FILE_DATA', 'readonly').objectStore('FILE_DATA');
  const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((request) => new Promise(
    (resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); })));
  db.close();
  return keys.map((key, i) => [String(key), values[i].timestamp ? values[i].timestamp.getTime() : null, values[i].mode,
    values[i].contents ? Array.from(values[i].contents).join(',') : null]);
}"""


def test_a_backup_is_saved_and_restored_in_the_browser_and_refused_files_change_no_byte(
        app_build, playwright_session, tmp_path):
    from aftercare_app.site.server import serving
    from tests.browser.conftest import (
        TIMEZONE,
        by_id,
        fill,
        onboard,
        reveal,
        reveal_role,
        spoken,
        tab,
        wait_screen,
        wait_text,
    )
    from tests.pwa.conftest import Browser, OffOrigin

    def add_entry(page, note: str) -> None:
        tab(page, "Diary")
        reveal(page, "diary-save")
        fill(page, "Note (optional)", note)
        page.get_by_role("button", name="Save entry").click()
        page.locator("[flt-semantics-identifier^='triage-']").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Dismiss").click()

    def settings(page) -> None:
        page.get_by_role("button", name="Settings").click()
        wait_screen(page, "settings")

    def pick(page, path) -> None:
        with page.expect_file_chooser() as chooser:
            reveal_role(page, "button", "Restore from a backup").click()
        chooser.value.set_files(str(path))

    with serving(app_build.out_dir) as url:
        browser = Browser(playwright_session, tmp_path / "profile", url.rstrip("/"), OffOrigin(url.rstrip("/")),
                          timezone_id=TIMEZONE)
        try:
            page = browser.launch().pages[0]
            open_app(page, url, "Start my recovery plan")
            assert "Used the app before?" in spoken(reveal(page, "welcome-restore"))
            onboard(page)
            wait_for_text(page, "Day 2 of recovery", 30_000)
            add_entry(page, "Vor dem Backup 🙂")

            settings(page)
            reveal(page, "backups")
            wait_text(page, "Persistent storage: ")  # on or off: the browser's own answer
            card = spoken(by_id(page, "backups"))
            assert "No backup saved from this device yet." in card and "folder on this computer" not in card
            with page.expect_download() as pending:
                reveal_role(page, "button", "Save a backup").click()
            saved = tmp_path / pending.value.suggested_filename
            pending.value.save_as(saved)
            backup = json.loads(saved.read_bytes())
            assert [e["note"] for e in backup["data"]["diary"]] == ["Vor dem Backup 🙂"]
            wait_text(page, "Last backup saved today")

            page.get_by_role("button", name="Back to Today").click()
            wait_screen(page, "today")
            add_entry(page, "Nach dem Backup")

            settings(page)
            before = page.evaluate(DUMP_IDBFS)
            assert any(path.endswith("/aftercare.json") for path, *_ in before)
            too_large = tmp_path / "too-large.json"
            too_large.write_bytes(b" " * (5 * 1024 * 1024 + 1))
            pick(page, too_large)
            wait_text(page, "The file is too large to be a backup of this app (over 5 MB); nothing was changed.")
            page.get_by_role("button", name="OK").click()
            ghost = tmp_path / "ghost.json"
            ghost.write_text(json.dumps({**backup, "data": {**backup["data"], "diary": [
                {**backup["data"]["diary"][0], "session_id": "s_ghost"}]}}), encoding="utf-8")
            pick(page, ghost)
            wait_text(page, "Diary entry 1 of the file belongs to no session in the file; nothing was changed.")
            page.get_by_role("button", name="OK").click()
            page.wait_for_timeout(500)
            assert page.evaluate(DUMP_IDBFS) == before

            pick(page, saved)
            wait_text(page, "Replace your data with this backup?")
            assert "(1 session, 2 diary entries)" in spoken(by_id(page, "restore-question"))
            assert page.evaluate(DUMP_IDBFS) == before
            page.get_by_role("button", name="Replace my data").click()
            wait_text(page, "Backup restored: 1 session, 1 diary entry")
            wait_screen(page, "today")
            after = page.evaluate(DUMP_IDBFS)
            assert any("before-import" in path for path, *_ in after)

            open_app(page, None, "Day 2 of recovery")  # a reload: what was restored is in IndexedDB
            tab(page, "Diary")
            entries = spoken(reveal(page, "entries"))
            assert "Vor dem Backup" in entries and "Nach dem Backup" not in entries
            page.screenshot(path=str(tmp_path / "restored.png"))
            assert browser.off_origin.urls == [] and browser.problems == []
        finally:
            browser.close()
