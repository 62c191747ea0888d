"""On a phone: the install card (Chromium's prompt from a button, Safari's Add to Home Screen steps before the first
session) and the report shared in two taps where the browser shares files; elsewhere files download as before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aftercare_app.ui.phone import NoPhone, PhoneFacts, install_hint
from aftercare_app.ui.screens.exports import Exports, ShareFiles
from aftercare_app.ui.screens.install import InstallCard
from aftercare_app.ui.screens.welcome import WelcomeScreen
from tests.ui.conftest import PARIS, FakeHost, memory_records, run, texts, walk

TREATED = datetime(2026, 5, 4, 10, 0, tzinfo=PARIS)


@pytest.fixture
def host() -> FakeHost:
    return FakeHost(memory_records(lambda: TREATED + timedelta(hours=30)))


def start(host: FakeHost) -> str:
    host.records.start_session(TREATED, clinic_phone="+33 1 23", timezone="Europe/Paris")
    return host.records.current_session().id


def downloading(host: FakeHost) -> tuple[Exports, list[str]]:
    """The exports card with downloads recorded: the names of the files saved, in order."""
    saved: list[str] = []

    async def save_file(name: str, data: bytes) -> None:
        saved.append(name)

    return Exports(host, save_file=save_file), saved


def buttons(control) -> dict[str, object]:
    return {c.content: c for c in walk(control) if isinstance(getattr(c, "content", None), str)}


def test_an_installed_app_or_a_desktop_browser_offers_nothing():
    assert install_hint(PhoneFacts(installed=True, can_install=True, ios=True), onboarded=False) is None
    assert install_hint(PhoneFacts(), onboarded=False) is None


def test_chromium_offers_its_prompt_from_a_button():
    hint = install_hint(PhoneFacts(can_install=True), onboarded=False)
    assert hint is not None and hint.button == "Install app"


def test_an_iphone_is_told_to_add_to_home_screen_before_starting():
    before = install_hint(PhoneFacts(ios=True), onboarded=False)
    assert before is not None and not before.button
    assert "Add to Home Screen" in " ".join(before.lines) and "does not follow" in before.lines[0]
    after = install_hint(PhoneFacts(ios=True), onboarded=True)
    assert after is not None and "backup" in after.lines[0]


def test_the_welcome_form_shows_the_card_when_the_browser_offers_and_asks_the_page_on_a_tap(host):
    phone = NoPhone()
    host.phone = phone
    card = InstallCard(host)
    welcome = WelcomeScreen(host, card)
    welcome.build()
    assert card.slot.visible is False
    phone.learn(PhoneFacts(can_install=True))  # beforeinstallprompt arrived after the first frame
    assert card.slot.visible is True
    buttons(card.slot)["Install app"].on_click(None)
    assert phone.install_asked == 1
    phone.learn(PhoneFacts(can_install=False))  # accepted: the browser installs it
    assert card.slot.visible is False


def test_where_files_are_shared_the_pdf_is_made_then_shared_in_the_second_tap(host):
    session = start(host)
    host.phone = NoPhone(PhoneFacts(can_share_files=True))
    exports = Exports(host)
    drawn = exports.card(session)
    assert "Make PDF" in buttons(drawn) and "Share PDF" not in buttons(drawn)
    run(exports.make(session, "pdf"))
    share = buttons(drawn)["Share PDF"]
    [action] = [share.action] if not isinstance(share.action, list) else share.action
    assert isinstance(action, ShareFiles) and action.method == "share_files"
    [shared] = action.args["files"]
    assert shared.data.startswith(b"%PDF") and shared.name.endswith(".pdf") and shared.mime_type == "application/pdf"
    assert set(action.args) == {"files", "download_fallback_enabled", "mail_to_fallback_enabled"}  # only the file
    assert any(".pdf ·" in text for text in texts(drawn))
    exports.forget()
    assert "Share PDF" not in buttons(exports.card(session))


def test_the_calendar_and_the_backup_still_download_where_files_are_shared(host):
    session = start(host)
    host.phone = NoPhone(PhoneFacts(can_share_files=True))
    exports, saved = downloading(host)
    drawn = exports.card(session)
    run(buttons(drawn)["Calendar (.ics)"].on_click(None))
    run(buttons(drawn)["Backup (JSON)"].on_click(None))
    assert [name.rsplit(".", 1)[1] for name in saved] == ["ics", "json"]
    assert exports.made == {}


def test_without_sharing_the_pdf_downloads_in_one_tap(host):
    session = start(host)
    exports, saved = downloading(host)
    drawn = exports.card(session)
    run(buttons(drawn)["PDF report"].on_click(None))
    assert saved and saved[0].endswith(".pdf") and exports.made == {}
