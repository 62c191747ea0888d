"""Renderings of the follow-up report: the PDF report, the diary as CSV and the recovery calendar (.ics).

:func:`render` takes a :class:`~aftercare_app.domain.report.FollowUpReport` (made by
:meth:`aftercare_app.services.CareRecords.report`, the same for the app and the command line) and returns bytes;
writing them is the caller's business (an atomic file on disk, a download or the share sheet in the browser).
Nothing here reads the clock, the records or logs what it renders. The JSON backup is not a rendering of the
report: :meth:`~aftercare_app.services.CareRecords.export_backup` makes it.
"""

from __future__ import annotations

from datetime import datetime, time

from aftercare_app.domain.report import FollowUpReport

__all__ = ["FORMATS", "MEDIA_TYPES", "REPORT_FORMATS", "ExportUnavailable", "export_filename", "render"]

REPORT_FORMATS = ("pdf", "csv", "ics")
FORMATS = (*REPORT_FORMATS, "json")

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}


class ExportUnavailable(Exception):
    """A file this device cannot make now (its fonts were never downloaded and it is offline); the message says
    what to do."""


def render(fmt: str, report: FollowUpReport, *, check_in: time | None = None, check_in_days: int = 14) -> bytes:
    """The report as ``pdf``, its diary as ``csv``, or its calendar as ``ics`` (with ``check_in``: a daily
    reminder at that local time for ``check_in_days`` days). Each library loads only when its format is asked."""
    if fmt == "pdf":
        from aftercare_app.exports.pdf import report_pdf

        return report_pdf(report)
    if fmt == "csv":
        from aftercare_app.exports.diary_csv import diary_csv

        return diary_csv(report)
    if fmt == "ics":
        from aftercare_app.exports.ics import calendar_ics

        return calendar_ics(report, check_in=check_in, check_in_days=check_in_days)
    raise ValueError(f"unknown report format {fmt!r}; expected one of: {', '.join(REPORT_FORMATS)}")


def export_filename(fmt: str, report: FollowUpReport | None = None, *, today: datetime | None = None) -> str:
    """A file name such as ``aftercare-report-2026-05-01.pdf`` (the treatment date), or the backup's
    ``aftercare-backup-<today>.json``."""
    if fmt == "json" or report is None:
        stamp = f"-{today:%Y-%m-%d}" if today else ""
        return f"aftercare-backup{stamp}.json"
    kind = {"pdf": "report", "csv": "diary", "ics": "calendar"}[fmt]
    return f"aftercare-{kind}-{report.facts.treated_at:%Y-%m-%d}.{fmt}"
