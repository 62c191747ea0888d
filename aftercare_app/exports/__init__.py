"""Exports of the follow-up report: PDF, CSV of the diary, calendar (.ics) and the JSON backup.

Each builder takes a :class:`~aftercare_app.domain.report.FollowUpReport` (the
JSON backup takes the repository) and returns bytes; writing them is the
caller's business (:func:`aftercare_app.storage.files.atomic_write` on disk, a
download in the browser). Nothing here reads the clock or logs what it renders.
"""

from __future__ import annotations

FORMATS = ("pdf", "csv", "ics", "json")

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}

__all__ = ["FORMATS", "MEDIA_TYPES"]
