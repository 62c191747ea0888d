"""The diary as CSV: one row per entry, one column per symptom and per warning sign.

Columns, in order: ``entry_id``, ``instant`` (ISO 8601 in the patient's zone,
with offset), ``instant_utc``, ``hours_since_treatment``, ``recovery_day``
(1-based, as people read it: "Day 1" is the first 24 h), one column per
symptom (severity 0-3), one per warning sign (1 if present, else 0),
``triage_level`` (``normal``, ``call_clinic`` or ``emergency``, re-assessed with
the entries before it) and ``note``.

UTF-8 with a byte-order mark (so spreadsheet programs read accents and other
scripts right), CRLF rows. A note that a spreadsheet would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC

from aftercare_app.domain.report import FollowUpReport
from aftercare_app.domain.vocabulary import Symptom, WarningSign

__all__ = ["COLUMNS", "diary_csv"]

COLUMNS: tuple[str, ...] = (
    "entry_id",
    "instant",
    "instant_utc",
    "hours_since_treatment",
    "recovery_day",
    *(s.value for s in Symptom),
    *(w.value for w in WarningSign),
    "triage_level",
    "note",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def diary_csv(report: FollowUpReport) -> bytes:
    """The CSV of the report's diary entries, oldest first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    zone = report.generated_at.tzinfo
    for assessed in report.entries:
        entry = assessed.entry
        writer.writerow(
            (
                _cell_text(entry.id),
                entry.at.astimezone(zone).isoformat(timespec="seconds"),
                entry.at.astimezone(UTC).isoformat(timespec="seconds"),
                f"{assessed.hours_since:.2f}",
                assessed.day + 1,
                *(int(entry.severity(s)) for s in Symptom),
                *(int(w in entry.signs) for w in WarningSign),
                assessed.level.code,
                _cell_text(entry.note),
            )
        )
    return out.getvalue().encode("utf-8-sig")
