"""The clinic a build is made for: its name, phones and emergency number, checked before they reach a page.

A clinic file (``pwa build --clinic FILE``) is a JSON object::

    {"name": "Clinique du Parc", "phone": "+33 1 23 45 67 89", "after_hours_phone": "+33 6 12 34 56 78",
     "emergency_number": "15", "follow_up_days": 14}

``after_hours_phone`` and ``follow_up_days`` (1 to 90, 14 when absent) are optional. The file comes from outside:
:func:`parse_clinic` refuses anything else with one :class:`ClinicFileError` naming the key at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from aftercare_app.domain.records import SHORT_TEXT_MAX_CHARS, InvalidRecord, clean_phone, clean_text

__all__ = ["CLINIC_KEYS", "DEFAULT_FOLLOW_UP_DAYS", "Clinic", "ClinicFileError", "name_the_number", "parse_clinic"]

DEFAULT_FOLLOW_UP_DAYS = 14
FOLLOW_UP_DAYS_RANGE = range(1, 91)
CLINIC_KEYS = ("name", "phone", "after_hours_phone", "emergency_number", "follow_up_days")
_REQUIRED = ("name", "phone", "emergency_number")
# What advice says where the clinic's build names its number ("call emergency services now" -> "call 15 now").
_CALL_EMERGENCY = re.compile(r"\b([Cc])all (?:emergency services|your local emergency number)")
# Emergency numbers are short and all digits (15, 112, 911, 999, 000, 1122).
_EMERGENCY = re.compile(r"[0-9]{2,6}")


class ClinicFileError(ValueError):
    """A clinic file that cannot be used; ``key`` names the key at fault ("" for the file as a whole)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f'clinic file: "{key}" {message}' if key else f"clinic file: {message}")
        self.key = key


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    emergency_number: str
    after_hours_phone: str = ""
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS

    def as_json(self) -> dict[str, object]:
        """The clinic as its file holds it (what :func:`parse_clinic` reads back)."""
        document: dict[str, object] = {
            "name": self.name, "phone": self.phone, "emergency_number": self.emergency_number,
            "follow_up_days": self.follow_up_days,
        }
        if self.after_hours_phone:
            document["after_hours_phone"] = self.after_hours_phone
        return document


def _text(document: Mapping[str, object], key: str) -> str:
    value = document[key]
    if not isinstance(value, str):
        raise ClinicFileError(key, f"must be text, not {type(value).__name__}")
    return value


def _phone(document: Mapping[str, object], key: str) -> str:
    value = _text(document, key)
    try:
        phone = clean_phone(value, "it", key)
    except InvalidRecord:
        phone = ""
    if not phone:
        raise ClinicFileError(
            key, f"must be a phone number: digits, spaces and + - ( ) . only, at least 3 digits (found {value[:40]!r})"
        )
    return phone


def parse_clinic(document: object) -> Clinic:
    """The clinic ``document`` (a parsed JSON value) describes; ClinicFileError naming the key otherwise."""
    if not isinstance(document, Mapping):
        raise ClinicFileError("", f"must hold a JSON object, not {type(document).__name__}")
    unknown = sorted(str(key) for key in document if key not in CLINIC_KEYS)
    if unknown:
        raise ClinicFileError(unknown[0], f"is not a key of a clinic file (expected {', '.join(CLINIC_KEYS)})")
    missing = [key for key in _REQUIRED if key not in document]
    if missing:
        raise ClinicFileError(missing[0], "is missing")
    try:
        name = clean_text(_text(document, "name"), "it", SHORT_TEXT_MAX_CHARS)
    except InvalidRecord as exc:
        raise ClinicFileError("name", f"must be the clinic's name: {exc}") from None
    if not name:
        raise ClinicFileError("name", "must not be empty")
    emergency = _text(document, "emergency_number").strip()
    if not _EMERGENCY.fullmatch(emergency):
        raise ClinicFileError("emergency_number", f"must be 2 to 6 digits, such as 112 (found {emergency!r})")
    days = document.get("follow_up_days", DEFAULT_FOLLOW_UP_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or days not in FOLLOW_UP_DAYS_RANGE:
        raise ClinicFileError("follow_up_days", f"must be a whole number of days from 1 to 90 (found {days!r})")
    return Clinic(
        name=name,
        phone=_phone(document, "phone"),
        emergency_number=emergency,
        after_hours_phone=_phone(document, "after_hours_phone") if "after_hours_phone" in document else "",
        follow_up_days=days,
    )


def name_the_number(text: str, number: str) -> str:
    """``text`` with each "call emergency services" naming ``number`` instead ("" leaves the text as it is)."""
    if not number:
        return text
    return _CALL_EMERGENCY.sub(lambda match: f"{match.group(1)}all {number}", text)
