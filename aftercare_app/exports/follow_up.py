"""Exports of the patient's records, as the app and the command line ask for them.

:func:`follow_up_report` builds the report of a session from the stored
records (what the follow-up view shows); :func:`export_bytes` gives one export
as bytes and :func:`export_filename` a name to save it under. The JSON format
is the storage's full backup (every session), which the app re-imports.
"""

from __future__ import annotations

from datetime import datetime, time, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aftercare_app.domain.report import FollowUpReport, build_report, utc_offset_label
from aftercare_app.services import CareRecords

__all__ = ["export_bytes", "export_filename", "follow_up_report", "profile_zone"]


def profile_zone(name: str) -> tzinfo:
    """The patient's zone by IANA name; UTC when unknown (times then carry their offset)."""
    try:
        return ZoneInfo(name) if name and name != "UTC" else timezone.utc
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return timezone.utc


def follow_up_report(records: CareRecords, session_id: str | None = None, *, now: datetime | None = None) -> FollowUpReport:
    """The report of ``session_id`` (default: the current session) as of ``now`` (default: the clock).

    Raises the storage's NotFound for an unknown session and the services' NoSession when there is none.
    """
    repository = records.repository
    session = repository.get_session(session_id) if session_id else records.current_session()
    profile = records.profile()
    zone = profile_zone(profile.timezone)
    zone_name = profile.timezone
    if zone is timezone.utc:
        # No zone known: show times at the offset the treatment was recorded with.
        zone = session.treated_at.tzinfo or timezone.utc
        zone_name = utc_offset_label(session.treated_at)
    now = now or records.now()
    return build_report(
        records.protocol,
        session,
        now=max(now, session.treated_at),  # a session recorded ahead of time reports as of its treatment
        entries=repository.list_entries(session.id),
        ticks=repository.list_ticks(session.id),
        sessions=repository.list_sessions(),
        profile=profile,
        zone=zone,
        zone_name=zone_name,
    )


def export_bytes(
    fmt: str,
    records: CareRecords,
    session_id: str | None = None,
    *,
    check_in: time | None = None,
    check_in_days: int = 14,
) -> bytes:
    """One export (``pdf``, ``csv``, ``ics`` or ``json``) as bytes."""
    if fmt == "json":
        return records.export_backup().encode("utf-8")
    report = follow_up_report(records, session_id)
    if fmt == "pdf":
        from aftercare_app.exports.pdf import report_pdf  # fpdf2 loads only when a PDF is asked for

        return report_pdf(report)
    if fmt == "csv":
        from aftercare_app.exports.diary_csv import diary_csv

        return diary_csv(report)
    if fmt == "ics":
        from aftercare_app.exports.ics import calendar_ics

        return calendar_ics(report, check_in=check_in, check_in_days=check_in_days)
    raise ValueError(f"unknown export format {fmt!r}; expected pdf, csv, ics or json")


def export_filename(fmt: str, report: FollowUpReport | None = None, *, today: datetime | None = None) -> str:
    """A file name such as ``aftercare-report-2026-05-01.pdf`` (the treatment date), or the backup's."""
    if fmt == "json" or report is None:
        stamp = f"-{today:%Y-%m-%d}" if today else ""
        return f"aftercare-backup{stamp}.json"
    kind = {"pdf": "report", "csv": "diary", "ics": "calendar"}[fmt]
    return f"aftercare-{kind}-{report.facts.treated_at:%Y-%m-%d}.{fmt}"
