"""Command groups of the command line (see :mod:`aftercare_app.cli`)."""

from __future__ import annotations

from datetime import date, datetime

from dateutil.parser import isoparse

from aftercare_app.domain.vocabulary import Symptom, WarningSign


class UsageError(Exception):
    """Bad input on the command line: shown as one line on stderr, exit code 2."""


def parse_instant(text: str, what: str = "time") -> datetime:
    """An ISO 8601 date-time with offset, or a UsageError saying what is wrong."""
    try:
        value = isoparse(text.strip())
    except (ValueError, OverflowError):
        raise UsageError(f"{what} {text!r} is not an ISO 8601 date-time such as 2026-05-01T10:30:00+02:00") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise UsageError(f"{what} {text!r} needs a UTC offset, e.g. 2026-05-01T10:30:00+02:00")
    return value


def parse_date(text: str, what: str = "date") -> date:
    """An ISO 8601 calendar date (a date-time is accepted and its date taken)."""
    try:
        value = isoparse(text.strip())
    except (ValueError, OverflowError):
        raise UsageError(f"{what} {text!r} is not an ISO 8601 date such as 2026-05-15") from None
    return value.date() if isinstance(value, datetime) else value


def parse_symptoms(pairs: list[str] | None) -> dict[str, int]:
    """``NAME=SEVERITY`` pairs into a mapping, refusing unknown names and severities outside 0-3."""
    symptoms: dict[str, int] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        name = name.strip().lower()
        if not sep:
            raise UsageError(f"symptom {pair!r} must be NAME=SEVERITY, e.g. swelling=2")
        if name not in {s.value for s in Symptom}:
            raise UsageError(f"unknown symptom {name!r}; expected one of: {', '.join(s.value for s in Symptom)}")
        try:
            severity = int(value.strip())
        except ValueError:
            raise UsageError(f"severity of {name} must be 0, 1, 2 or 3 (got {value!r})") from None
        if not 0 <= severity <= 3:
            raise UsageError(f"severity of {name} must be 0, 1, 2 or 3 (got {severity})")
        symptoms[name] = severity
    return symptoms


def parse_signs(names: list[str] | None) -> list[str]:
    signs = []
    for name in names or ():
        key = name.strip().lower()
        if key not in {s.value for s in WarningSign}:
            raise UsageError(f"unknown warning sign {name!r}; expected one of: {', '.join(s.value for s in WarningSign)}")
        signs.append(key)
    return signs
