"""The recovery calendar, parsed with a calendar library and checked against the protocol."""

from datetime import UTC, date, time, timedelta

import icalendar
import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import Profile
from aftercare_app.domain.vocabulary import RestrictionId
from aftercare_app.exports.ics import calendar_ics
from tests.report.diaries import PARIS, TREATED, make_diary


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize("sensitive", [False, True])
def test_an_event_at_the_moment_each_restriction_lifts(sensitive):
    report = make_diary(3, sensitive=sensitive).report()
    found = {str(e["UID"]).split(".")[0]: e for e in events(calendar_ics(report))}
    treated_utc = TREATED.astimezone(UTC)
    for rule in default_protocol().restrictions:
        event = found[f"restriction-{rule.id.value}"]
        start = event.decoded("DTSTART")
        assert start == treated_utc + timedelta(hours=rule.window_hours(sensitive)), rule.id
        assert rule.title_for(report.facts.area) in str(event["SUMMARY"])
        alarms = event.walk("VALARM")
        assert alarms and str(alarms[0]["ACTION"]) == "DISPLAY"


def test_the_follow_up_is_an_all_day_event():
    report = make_diary(3).report()
    follow_up = next(e for e in events(calendar_ics(report)) if str(e["UID"]).startswith("follow-up"))
    assert follow_up.decoded("DTSTART") == date(2026, 4, 3)
    assert follow_up.decoded("DTEND") == date(2026, 4, 4)
    assert "Clinique du Parc" in str(follow_up["SUMMARY"])
    assert "+33 1 23 45 67 89" in str(follow_up["DESCRIPTION"])


def test_no_follow_up_date_no_follow_up_event():
    report = make_diary(3, follow_up_days=None).report()
    assert not [e for e in events(calendar_ics(report)) if str(e["UID"]).startswith("follow-up")]


def test_daily_check_ins_keep_their_local_time_across_the_dst_change_and_carry_an_alarm():
    report = make_diary(3).report()
    check_ins = [e for e in events(calendar_ics(report, check_in=time(20, 0), check_in_days=14)) if "check-in" in str(e["UID"])]
    assert len(check_ins) == 14
    local = [e.decoded("DTSTART").astimezone(PARIS) for e in check_ins]
    assert all(t.hour == 20 and t.minute == 0 for t in local)
    assert [t.date() for t in local] == [date(2026, 3, 20) + timedelta(days=i) for i in range(14)]
    assert all(e.walk("VALARM") for e in check_ins)


def test_uids_are_stable_across_exports_and_unique():
    early = make_diary(2).report()
    later = make_diary(9, red_flag_day=4).report()
    uids_early = [str(e["UID"]) for e in events(calendar_ics(early, check_in=time(9, 0)))]
    uids_later = [str(e["UID"]) for e in events(calendar_ics(later, check_in=time(9, 0)))]
    assert uids_early == uids_later
    assert len(set(uids_early)) == len(uids_early)


def with_profile(diary, profile):
    return diary.__class__(profile, diary.sessions, diary.session, diary.entries, diary.ticks, diary.now)


def test_lines_end_in_crlf_and_fold_within_75_octets_without_splitting_characters():
    data = calendar_ics(make_diary(1).report(), check_in=time(8, 30))
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    clinic = "é漢😀" * 40  # two, three and four octets a character
    data = calendar_ics(with_profile(make_diary(1), Profile(clinic_name=clinic)).report())
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode("utf-8") for line in lines[:-1])  # each physical line is whole characters
    assert f"SUMMARY:Follow-up visit at {clinic}\r\n" in data.replace(b"\r\n ", b"").decode("utf-8")


def test_text_values_are_escaped():
    profile = Profile(clinic_name="Dr. A; B, C\\D", clinic_phone="+1 555 0100")
    report = with_profile(make_diary(1), profile).report()
    follow_up = next(e for e in events(calendar_ics(report)) if str(e["UID"]).startswith("follow-up"))
    assert str(follow_up["SUMMARY"]) == "Follow-up visit at Dr. A; B, C\\D"


def test_every_restriction_has_one_event():
    uids = [str(e["UID"]) for e in events(calendar_ics(make_diary(0).report()))]
    assert sum(u.startswith("restriction-") for u in uids) == len(RestrictionId)
