"""A clinic's own build on an emulated phone (Chromium: phone screen, touch, is_mobile, a phone's user agent), as its
patients meet it: the clinic's name on the page and filled in on the welcome form, its emergency number in the
advice, the browser's install prompt from a button, persistent storage asked on the first save and not at load, the
PDF report handed to the share sheet, and on an iPhone the steps of "Add to Home Screen" before the first session.

The share sheet is a stub (headless Chromium on Linux has no Web Share): an init script defines
``navigator.canShare`` and ``navigator.share``, and the stub keeps the files it was handed. Headless Chromium never
offers to install either, so the test fires ``beforeinstallprompt`` as Chromium would, with a prompt that records
being shown. Screenshots go to test-artifacts/screens/.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from aftercare_app.cli import main as cli_main
from tests.pwa.conftest import BUILD_ROOT, OffOrigin
from tests.pwa.phone import ANDROID_UA, IPHONE_UA, phone_options, tap_semantics_on

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLINIC = {"name": "Clinique du Parc <Lyon>", "phone": "+33 4 72 00 00 00", "after_hours_phone": "+33 6 12 34 56 78",
          "emergency_number": "15", "follow_up_days": 21}
SITE_URL = "https://clinique-du-parc.example/aftercare/"

SHARE_STUB = """
window.__persistAsked = 0;
if (navigator.storage && navigator.storage.persist) {
  const persist = navigator.storage.persist.bind(navigator.storage);
  navigator.storage.persist = () => { window.__persistAsked += 1; return persist(); };
}
window.__shared = [];
navigator.canShare = (data) => !!(data && data.files && data.files.length);
navigator.share = async (data) => {
  const files = await Promise.all((data.files || []).map(async (file) => ({
    name: file.name, type: file.type, size: file.size,
    head: String.fromCharCode(...new Uint8Array(await file.slice(0, 5).arrayBuffer())),
  })));
  window.__shared.push({ keys: Object.keys(data), files,
                         activation: navigator.userActivation ? navigator.userActivation.isActive : null });
};
"""
OFFER_INSTALL = """() => {
  const offer = new Event('beforeinstallprompt', { cancelable: true });
  window.__prompted = 0;
  offer.prompt = async () => { window.__prompted += 1; };
  offer.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' });
  window.dispatchEvent(offer);
  return offer.defaultPrevented;
}"""


@pytest.fixture(scope="session")
def clinic_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic's build, made as the README says: ``pwa build --clinic FILE --url URL``."""
    folder = tmp_path_factory.mktemp("clinic")
    clinic_file = folder / "clinic.json"
    clinic_file.write_text(json.dumps(CLINIC), encoding="utf-8")
    out = BUILD_ROOT / "clinic"
    argv = ["pwa", "build", "--out", str(out), "--clinic", str(clinic_file), "--url", SITE_URL, "--brotli-quality", "5"]
    assert cli_main(argv) == 0
    return out


def test_the_clinic_build_carries_its_name_and_clinic_and_the_qr_code_of_its_address(clinic_build):
    manifest = json.loads((clinic_build / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Aftercare · Clinique du Parc <Lyon>"
    page = (clinic_build / "index.html").read_text(encoding="utf-8")
    assert "<title>Aftercare · Clinique du Parc &lt;Lyon&gt;</title>" in page and "<Lyon>" not in page
    with zipfile.ZipFile(clinic_build / "app.zip") as archive:
        assert json.loads(archive.read("aftercare_app/content/clinic.json")) == CLINIC
    assert _qr_text(clinic_build / "qr.png") == SITE_URL  # what a patient's camera reads from the leaflet
    assert "<svg" in (clinic_build / "qr.svg").read_text(encoding="utf-8")
    service_worker = (clinic_build / "sw.js").read_text(encoding="utf-8")
    assert '"qr.png"' not in service_worker  # the QR code is the clinic's, not downloaded by phones


def _qr_text(png: Path) -> str:
    import zxingcpp
    from PIL import Image

    with Image.open(png) as image:
        [code] = zxingcpp.read_barcodes(image.convert("L"))
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    return code.text


@pytest.fixture
def served_clinic(clinic_build: Path) -> Iterator[str]:
    from aftercare_app.site.server import serving

    with serving(clinic_build) as url:
        yield url


@pytest.fixture
def phone_browser(playwright_session):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def open_phone(browser, url: str, user_agent: str):
    from tests.browser.conftest import TIMEZONE

    context = browser.new_context(**phone_options(user_agent), timezone_id=TIMEZONE, locale="en-GB")
    off_origin = OffOrigin(url.rstrip("/"))
    context.route("**/*", off_origin.handle)
    context.add_init_script(SHARE_STUB)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    tap_semantics_on(page)
    return context, page, off_origin


def field_value(page, label: str) -> str:
    """What the text field ``label`` holds: Flutter puts it in the page's input once the field has focus."""
    from tests.browser.conftest import reveal_role

    reveal_role(page, "textbox", label).tap()
    page.wait_for_timeout(500)
    return page.evaluate(
        "(label) => { const el = [...document.querySelectorAll('input,textarea')]"
        ".find((e) => e.getAttribute('aria-label') === label); return el ? el.value : null; }", label)


def test_a_patient_of_the_clinic_installs_onboards_and_shares_the_report_from_an_android_phone(
        phone_browser, served_clinic):
    from tests.browser.conftest import by_id, fill, press_until, reveal, reveal_role, screenshot, spoken, tab, wait_text

    context, page, off_origin = open_phone(phone_browser, served_clinic, ANDROID_UA)
    try:
        by_id(page, "screen-welcome").wait_for(state="attached", timeout=120_000)
        assert page.title() == "Aftercare · Clinique du Parc <Lyon>"
        assert field_value(page, "Clinic name") == "Clinique du Parc <Lyon>"
        assert field_value(page, "Clinic phone") == "+33 4 72 00 00 00"
        assert by_id(page, "install").count() == 0  # the browser has not offered to install yet

        assert page.evaluate(OFFER_INSTALL)  # the app keeps the prompt for its button (no mini-infobar)
        install = reveal(page, "install")
        assert "Install the app on this phone" in spoken(install)
        screenshot(page, "phone-clinic-welcome")
        page.get_by_role("button", name="Install app").tap()
        page.wait_for_timeout(1500)
        assert page.evaluate("window.__prompted") == 1
        wait_text_gone(page, "Install the app on this phone")

        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo

        treated = datetime.now(ZoneInfo("Europe/Paris")) - timedelta(hours=26)
        fill(page, "Treatment date", treated.strftime("%Y-%m-%d"))
        fill(page, "Treatment time", treated.strftime("%H:%M"))
        follow_up = field_value(page, "Follow-up date (optional)")
        treated = field_value(page, "Treatment date")
        assert follow_up and treated and _days_between(treated, follow_up) == 21
        assert "call 15" in spoken(page.locator("flt-semantics-host")).lower()
        assert page.evaluate("window.__persistAsked") == 0  # not at load: nothing is kept yet
        press_until(page, "Start my recovery plan", by_id(page, "screen-today"))
        page.wait_for_timeout(1000)
        asked = page.evaluate("async () => [window.__persistAsked, await navigator.storage.persisted()]")
        assert asked[0] == 1 or asked[1] is True, asked  # on the first save (unless already persistent)

        tab(page, "Diary")
        reveal_role(page, "checkbox", "Trouble breathing").click()
        reveal(page, "diary-save")
        page.get_by_role("button", name="Save entry").click()
        card = by_id(page, "triage-emergency")
        card.wait_for(timeout=30_000)
        said = spoken(card)
        assert "Call 15 now." in said and "After hours: call +33 6 12 34 56 78" in said
        assert "emergency services" not in said

        tab(page, "Follow-up")
        reveal_role(page, "button", "Make PDF").tap()
        share = reveal(page, "share-pdf")
        wait_text(page, ".pdf ·", timeout=60)
        screenshot(page, "phone-share-pdf")
        page.get_by_role("button", name="Share PDF").tap()
        page.wait_for_timeout(1500)
        shared = page.evaluate("window.__shared")
        assert len(shared) == 1, shared
        [handed] = shared[0]["files"]
        assert shared[0]["keys"] == ["files"] and shared[0]["activation"] is True
        assert handed["type"] == "application/pdf" and handed["head"] == "%PDF-" and handed["size"] > 1000
        assert re.fullmatch(r"aftercare-report-\d{4}-\d{2}-\d{2}\.pdf", handed["name"])
        assert share.count() == 1
        assert off_origin.urls == []
    finally:
        context.close()


def wait_text_gone(page, text: str, timeout_ms: int = 10_000) -> None:
    from tests.browser.conftest import spoken

    for _ in range(timeout_ms // 100):
        if text not in spoken(page.locator("flt-semantics-host")):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{text!r} still on screen")


def _days_between(first: str, second: str) -> int:
    from datetime import date

    return (date.fromisoformat(second) - date.fromisoformat(first)).days


def test_an_iphone_is_shown_how_to_add_the_app_to_its_home_screen_before_the_first_session(
        phone_browser, served_clinic):
    from tests.browser.conftest import by_id, reveal, screenshot, spoken

    context, page, _off_origin = open_phone(phone_browser, served_clinic, IPHONE_UA)
    try:
        by_id(page, "screen-welcome").wait_for(state="attached", timeout=120_000)
        said = spoken(reveal(page, "install"))
        assert "Add the app to your Home Screen" in said and "Add to Home Screen" in said
        assert "does not follow into the Home Screen app" in said
        assert page.get_by_role("button", name="Install app").count() == 0
        screenshot(page, "phone-iphone-welcome")
    finally:
        context.close()
