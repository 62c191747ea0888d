"""A week of diary entries drawn as one compact chart per symptom, each announced in words."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import (
    PHONE,
    ROOT,
    TIMEZONE,
    by_id,
    open_app,
    reveal,
    screenshot,
    spoken,
    start_server,
    stop_server,
    tab,
)

pytestmark = pytest.mark.browser


def seed_a_week(data_dir) -> None:
    from aftercare_app.services import CareRecords, system_clock
    from aftercare_app.storage import FileTextStore, open_repository

    records = CareRecords(open_repository(FileTextStore(data_dir)), system_clock)
    records.update_profile(clinic_name="Clinique Lumière", clinic_phone="+33 1 23 45 67 89", timezone=TIMEZONE)
    treated = datetime.now(ZoneInfo(TIMEZONE)) - timedelta(days=7, hours=2)
    records.start_session(treated)
    for day, (redness, swelling) in enumerate([(3, 2), (2, 2), (2, 1), (None, None), (1, 0), (1, 0), (0, 0)]):
        if redness is not None:
            records.add_entry(treated + timedelta(days=day, hours=3), {"redness": redness, "swelling": swelling})
    for item in [t.id for t in records.checklist(6).items][:4]:
        records.tick(6, item)


def test_the_follow_up_view_draws_each_symptoms_week(browser, tmp_path):
    seed_a_week(tmp_path / "data")
    server = start_server(ROOT / "main.py", tmp_path / "data")
    context = browser.new_context(viewport=PHONE, timezone_id=TIMEZONE, locale="en-GB")
    try:
        page = context.new_page()
        open_app(page, server.url)
        tab(page, "Follow-up")
        redness = spoken(reveal(page, "chart-redness"))
        assert "Worst severe on day 1" in redness and "day 4" not in redness.split("Logged:")[1]
        screenshot(page, "22-follow-up-charts")
        assert "day 7 4 of" in spoken(reveal(page, "chart-adherence"))
        screenshot(page, "23-follow-up-adherence")
        assert by_id(page, "chart-swelling").count() == 1
    finally:
        context.close()
        stop_server(server)
