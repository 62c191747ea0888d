"""The served page: patched index, strict same-origin policy, fonts answered locally."""

from __future__ import annotations

from pathlib import Path

import pytest

from aftercare_app.ui.server import (
    TIMEZONE_PREF_KEY,
    build_asgi_app,
    fallback_font,
    patch_index,
)

INDEX = '<html>\n<head><meta name="description" content="Flet application."><title>Flet</title><!-- fletAppConfig --></head></html>'


def test_the_index_names_the_app_and_stores_the_browsers_timezone_before_the_client_starts():
    html = patch_index(INDEX, title="Aftercare Companion", description="Recovery")
    assert html.startswith('<html lang="en">') and "<title>Aftercare Companion</title>" in html
    assert f"localStorage.setItem('flutter.{TIMEZONE_PREF_KEY}'" in html and "resolvedOptions().timeZone" in html
    assert html.index("timeZone") < html.index("<!-- fletAppConfig -->")


def test_every_fallback_font_family_gets_a_local_answer():
    for family in ("notosansarabic", "notocoloremoji", "notosanssc", "some-future-family"):
        path = fallback_font(family)
        assert path is not None and path.is_file()
    assert fallback_font("no such family").name == "DejaVuSans.ttf"
    assert (Path(fallback_font("x")).parent / "DejaVuSans-LICENSE.txt").is_file()


def test_every_response_carries_the_same_origin_policy():
    testclient = pytest.importorskip("starlette.testclient")

    def main(page):  # pragma: no cover - no browser connects here
        pass

    with testclient.TestClient(build_asgi_app(main)) as client:
        index = client.get("/")
        font = client.get("/assets/fonts/notosansarabic/v28/abc.woff2")
    policy = index.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self' ws://testserver wss://testserver" in policy
    assert "https:" not in policy and "http:" not in policy
    assert index.status_code == 200 and "flutter.aftercare.device_timezone" in index.text
    assert font.status_code == 200 and font.headers["content-security-policy"] == policy
