"""``report``: the follow-up report and the exports, written to a file.

``python -m aftercare_app report --data-dir DIR [--session ID] --format pdf|csv|ics|json --output FILE``

- ``pdf``: the follow-up report of the session (default: the current one);
- ``csv``: its diary, one row per entry (columns in :mod:`aftercare_app.exports.diary_csv`);
- ``ics``: its calendar: each restriction's lift, the follow-up, and with
  ``--check-in HH:MM`` a daily reminder for ``--check-in-days`` days;
- ``json``: the full backup of every session (``--session`` does not narrow it).

``--data-dir`` defaults to ``AFTERCARE_DATA_DIR``, else the user's data folder.
The file is written atomically: a refused or failed export leaves no file
behind and an existing one untouched. ``--output -`` writes to standard output.
"""

from __future__ import annotations

import argparse
import sys
from datetime import time
from pathlib import Path

from aftercare_app.commands import UsageError
from aftercare_app.commands.records import with_records
from aftercare_app.exports import FORMATS, render
from aftercare_app.services import CareRecords
from aftercare_app.storage.files import atomic_write


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="write the follow-up report (pdf), diary (csv), calendar (ics) or backup (json)")
    report.add_argument("--data-dir", type=Path, help="data folder (default: $AFTERCARE_DATA_DIR or the user's)")
    report.add_argument("--session", help="the session's id (default: the current session)")
    report.add_argument("--format", required=True, choices=FORMATS)
    report.add_argument("--output", required=True, help="the file to write (- for standard output)")
    report.add_argument("--check-in", type=_time_of_day, metavar="HH:MM", help="ics: a daily check-in reminder at this local time")
    report.add_argument("--check-in-days", type=_day_count, default=14, metavar="N", help="ics: how many daily reminders (default 14)")
    report.set_defaults(handler=run_report)


def _time_of_day(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"time of day {text!r} must be HH:MM, e.g. 20:00") from None


def _day_count(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 366:
        raise argparse.ArgumentTypeError(f"--check-in-days {text!r} must be a whole number from 0 to 366")
    return days


def run_report(args: argparse.Namespace) -> int:
    output = None if args.output == "-" else Path(args.output)
    if output is not None:
        if output.is_dir():
            raise UsageError(f"--output {args.output!r} is a folder; give a file name")
        if not output.parent.is_dir():
            raise UsageError(f"--output {args.output!r}: the folder {str(output.parent)!r} does not exist")
    def export(_: argparse.Namespace, records: CareRecords) -> bytes:
        if args.format == "json":
            return records.export_backup().encode("utf-8")
        return render(args.format, records.report(args.session), check_in=args.check_in, check_in_days=args.check_in_days)

    data = with_records(export, args)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        atomic_write(output, data)
    except OSError as exc:
        raise UsageError(f"could not write {str(output)!r}: {exc.strerror or exc}") from None
    return 0
