"""The data commands: ``session``, ``checklist``, ``diary``, ``export`` and ``import``.

Every command takes ``--data-dir DIR`` (default: ``AFTERCARE_DATA_DIR``, else the
user's data folder, e.g. ``~/.local/share/aftercare-companion``; :func:`aftercare_app.cli.main`
settles it before a command runs). Times are ISO
8601 with an offset. A refused command prints one line on stderr, exits 2 and
changes nothing; a command that saves exits 0 only once the data is durably stored.

JSON shapes (``--json``), a contract other tools depend on:

- ``diary list --json``: a list in time order of
  ``{"id", "session_id", "at" (ISO 8601 with the offset given), "day" (0-based
  recovery day within its session), "symptoms": {name: 0-3}, "signs": [name], "note",
  "triage": {"level": "normal"|"call_clinic"|"emergency", "reasons": [text]}}``, each
  entry's triage as assessed with the entries before it as history.
- ``checklist show --json``: ``{"session_id", "day", "items": [{"id", "text",
  "done"}], "done" (items ticked), "due" (items of the day)}``.
- ``session list --json``: a list, oldest first, of ``{"id", "treated_at", "area",
  "sensitive", "follow_up" (date or null), "current"}``.
- ``export --format json``: ``{"format": "aftercare-companion-export", "schema",
  "exported_at", "data": {"profile", "sessions", "ticks", "diary": [record]}}``;
  ``import`` takes that file back and restores everything it holds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aftercare_app.commands import UsageError, parse_date, parse_instant, parse_signs, parse_symptoms
from aftercare_app.domain.records import InvalidRecord
from aftercare_app.domain.report import AssessedEntry
from aftercare_app.domain.vocabulary import Area
from aftercare_app.services import CareError, CareRecords, system_clock
from aftercare_app.storage import FileTextStore, StorageError, open_repository

Handler = Callable[[argparse.Namespace, CareRecords], int]
T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction) -> None:
    session = _group(subparsers, "session", "treatment sessions")
    add = _command(session, "add", "record a treatment session (prints its id)", _session_add)
    add.add_argument("--treated", required=True, help="when the treatment happened, ISO 8601 with offset")
    add.add_argument("--area", choices=[a.value for a in Area], help="treated area (default: the profile's, face)")
    add.add_argument("--sensitive", action="store_true", default=None, help="sensitive or reactive skin")
    add.add_argument("--follow-up", help="follow-up date, e.g. 2026-05-15")
    add.add_argument("--clinic-phone", help="the clinic's phone number")
    _json_flag(_command(session, "list", "list the sessions", _session_list))

    checklist = _group(subparsers, "checklist", "the daily checklist")
    for action, text in (("tick", "tick a task off"), ("untick", "untick a task")):
        command = _command(checklist, action, text, _checklist_tick)
        command.add_argument("--day", type=_day_number, required=True, help="0-based recovery day")
        command.add_argument("--item", required=True, help="the task's id (see checklist show)")
    show = _command(checklist, "show", "the tasks of a day and which are done", _checklist_show)
    show.add_argument("--day", type=_day_number, help="0-based recovery day (default: today)")
    _json_flag(show)

    diary = _group(subparsers, "diary", "the symptom diary")
    _entry_options(_command(diary, "add", "add a diary entry (prints its id)", _diary_add), at_required=True)
    listing = _command(diary, "list", "list the diary entries", _diary_list)
    listing.add_argument("--day", type=_day_number, help="only this recovery day of the current session")
    _json_flag(listing)
    edit = _command(diary, "edit", "change a diary entry: each option given replaces that field", _diary_edit)
    edit.add_argument("id")
    _entry_options(edit, at_required=False)
    edit.add_argument("--no-signs", action="store_true", help="remove all warning signs")
    _command(diary, "delete", "delete a diary entry", _diary_delete).add_argument("id")

    export = _command(subparsers, "export", "write everything to stdout, to keep or move", _export)
    export.add_argument("--format", choices=["json"], default="json")
    restore = _command(subparsers, "import", "replace everything with an export file", _import)
    restore.add_argument("file", help="an export file (- for standard input)")


# -- parser building --------------------------------------------------------------------------


def _group(subparsers: argparse._SubParsersAction, name: str, help_text: str) -> argparse._SubParsersAction:
    parser = subparsers.add_parser(name, help=help_text)
    _data_dir_option(parser)  # accepted before the action too: "diary --data-dir D add ..."
    return parser.add_subparsers(dest=f"{name}_action", required=True, metavar="ACTION")


def _command(
    subparsers: argparse._SubParsersAction, name: str, help_text: str, run: Handler
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text)
    _data_dir_option(parser)
    parser.set_defaults(handler=lambda args: with_records(run, args))
    return parser


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,  # so an action's absent option does not hide its group's
        help="data folder (default: $AFTERCARE_DATA_DIR, else the user's data folder)",
    )


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _entry_options(parser: argparse.ArgumentParser, *, at_required: bool) -> None:
    parser.add_argument("--at", required=at_required, help="when, ISO 8601 with offset")
    parser.add_argument("--symptom", action="append", metavar="NAME=SEVERITY", help="e.g. swelling=2 (0-3); repeatable")
    parser.add_argument("--sign", action="append", metavar="NAME", help="warning sign, e.g. fever; repeatable")
    parser.add_argument("--note", help="free text")


def _day_number(text: str) -> int:
    try:
        day = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"day {text!r} must be a whole number from 0") from None
    if day < 0:
        raise argparse.ArgumentTypeError(f"day {day} must be a whole number from 0")
    return day


def with_records(run: Callable[[argparse.Namespace, CareRecords], T], args: argparse.Namespace) -> T:
    """Open the store of ``--data-dir``, run a command on it; every refusal becomes one line on stderr.

    A store recovered from a backup at opening is reported as a ``note:`` line.
    """
    try:
        records = CareRecords(open_repository(FileTextStore(args.data_dir)), system_clock)
        if records.startup_message():
            print(f"note: {records.startup_message()}", file=sys.stderr)
        return run(args, records)
    except (InvalidRecord, CareError, StorageError) as exc:
        raise UsageError(str(exc)) from None
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UsageError(f"could not use the data folder: {exc.strerror or exc}") from None


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# -- sessions ---------------------------------------------------------------------------------


def _session_add(args: argparse.Namespace, records: CareRecords) -> int:
    session = records.start_session(
        parse_instant(args.treated, "treatment time"),
        area=args.area,
        sensitive=args.sensitive,
        follow_up=parse_date(args.follow_up, "follow-up date") if args.follow_up else None,
        clinic_phone=args.clinic_phone,
    )
    print(session.id)
    return 0


def _session_list(args: argparse.Namespace, records: CareRecords) -> int:
    sessions = records.sessions()
    rows = [
        {
            "id": s.id,
            "treated_at": s.treated_at.isoformat(),
            "area": s.area.value,
            "sensitive": s.sensitive,
            "follow_up": s.follow_up.isoformat() if s.follow_up else None,
            "current": s is sessions[-1],
        }
        for s in sessions
    ]
    if args.json:
        _print_json(rows)
    for row in [] if args.json else rows:
        print(f"{row['id']}  {row['treated_at']}  {row['area']}{'  (current)' if row['current'] else ''}")
    return 0


# -- checklist --------------------------------------------------------------------------------


def _checklist_tick(args: argparse.Namespace, records: CareRecords) -> int:
    if args.checklist_action == "tick":
        records.tick(args.day, args.item)
    else:
        records.untick(args.day, args.item)
    return 0


def _checklist_show(args: argparse.Namespace, records: CareRecords) -> int:
    checklist = records.checklist(args.day)
    if args.json:
        _print_json(
            {
                "session_id": checklist.session_id,
                "day": checklist.day,
                "items": [{"id": i.id, "text": i.text, "done": i.done} for i in checklist.items],
                "done": checklist.done,
                "due": checklist.due,
            }
        )
        return 0
    print(f"Day {checklist.day}: {checklist.done} of {checklist.due} done")
    for item in checklist.items:
        print(f"[{'x' if item.done else ' '}] {item.id}: {item.text}")
    return 0


# -- diary ------------------------------------------------------------------------------------


def _diary_add(args: argparse.Namespace, records: CareRecords) -> int:
    entry = records.add_entry(
        parse_instant(args.at, "entry time"),
        parse_symptoms(args.symptom),
        parse_signs(args.sign),
        args.note or "",
    )
    print(entry.id)
    return 0


def _diary_edit(args: argparse.Namespace, records: CareRecords) -> int:
    signs = [] if args.no_signs else (parse_signs(args.sign) if args.sign else None)
    entry = records.edit_entry(
        args.id,
        at=parse_instant(args.at, "entry time") if args.at else None,
        symptoms=parse_symptoms(args.symptom) if args.symptom else None,
        signs=signs,
        note=args.note,
    )
    print(entry.id)
    return 0


def _diary_delete(args: argparse.Namespace, records: CareRecords) -> int:
    records.delete_entry(args.id)
    return 0


def _entry_json(assessed: AssessedEntry) -> dict[str, Any]:
    entry = assessed.entry
    return {
        "id": entry.id,
        "session_id": entry.session_id,
        "at": entry.at.isoformat(),
        "day": assessed.day,
        "symptoms": {symptom.value: int(level) for symptom, level in entry.symptoms.items()},
        "signs": sorted(sign.value for sign in entry.signs),
        "note": entry.note,
        "triage": {"level": assessed.level.code, "reasons": list(assessed.triage.reasons)},
    }


def _diary_list(args: argparse.Namespace, records: CareRecords) -> int:
    wanted = {e.id for e in records.entries(args.day)}
    assessed = [a for s in records.sessions() for a in records.assessed_entries(s.id) if a.entry.id in wanted]
    rows = [_entry_json(a) for a in sorted(assessed, key=lambda a: a.entry.at)]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        symptoms = ", ".join(f"{name} {level}" for name, level in row["symptoms"].items()) or "no symptoms"
        signs = f"; warning signs: {', '.join(row['signs'])}" if row["signs"] else ""
        note = f"; {row['note']}" if row["note"] else ""
        print(f"{row['id']}  day {row['day']}  {row['at']}  {symptoms}{signs}{note}")
    return 0


# -- export and import ------------------------------------------------------------------------


def _export(args: argparse.Namespace, records: CareRecords) -> int:
    sys.stdout.write(records.export_backup())
    return 0


def _import(args: argparse.Namespace, records: CareRecords) -> int:
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}; nothing was changed") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{args.file} is not UTF-8 text; nothing was changed") from None
    summary = records.import_backup(text)
    print(f"imported sessions: {summary.sessions}, diary entries: {summary.entries}, checklist ticks: {summary.ticks}")
    return 0
