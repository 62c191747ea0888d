"""The store's text format, its schema versions and the migrations between them.

The text is TinyDB's JSON layout (table name -> document id -> document) plus
a ``_meta`` table holding the schema version: ``{"_meta": {"1": {"schema": 2}}, ...}``.

Version history:

1. One treatment per install. The ``patient`` table held the treatment with
   the profile; ``ticks`` had ``day``/``task``/``ticked_at``; ``diary`` entries
   had ``when``, ``symptoms`` as a list of ``{"name", "level"}``,
   ``warning_signs`` and ``text``. Records had no ids of their own.
2. A course of sessions: ``profile`` and ``sessions`` tables, ticks and diary
   entries point at their session, every record carries ``id`` and ``v``
   (see :mod:`aftercare_app.storage.documents`).

Migrations are pure functions of the tables, run in order at start-up after a
backup of the old text. They are deterministic, so running one again after a
crash gives the same result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aftercare_app.storage.documents import PROFILE_ID, SCHEMA_VERSION, tick_id
from aftercare_app.storage.errors import StorageError, StoreTooNew, StoreUnreadable

META_TABLE = "_meta"
Tables = dict[str, dict[str, Any]]


def encode_store(tables: Tables, version: int = SCHEMA_VERSION) -> str:
    """The store's text: compact JSON, non-ASCII kept as is (localStorage counts characters)."""
    return json.dumps(
        {META_TABLE: {"1": {"schema": version}}, **tables}, ensure_ascii=False, separators=(",", ":")
    )


def json_object(text: str, error: type[StorageError], damaged: str, not_ours: str) -> dict[str, Any]:
    """The JSON object in ``text``, or ``error`` with ``damaged`` (its ``{reason}`` filled in) or ``not_ours``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(damaged.format(reason=f"{exc.msg} at line {exc.lineno}, column {exc.colno}")) from None
    except ValueError:  # Python's own limit on the digits of a number
        raise error(damaged.format(reason="a number in it is too long")) from None
    if not isinstance(data, dict):
        raise error(not_ours)
    return data


def decode_store(text: str) -> tuple[int, Tables]:
    """The schema version and tables of a store's text; StoreUnreadable if it is not one."""
    if not text.strip():
        raise StoreUnreadable("the saved data is empty (it was cut short)")
    data = json_object(text, StoreUnreadable, "the saved data is damaged ({reason})", "the saved data is not an aftercare store")
    if not data:
        return SCHEMA_VERSION, {}
    meta = data.pop(META_TABLE, None)
    try:
        version = meta["1"]["schema"]
    except (KeyError, TypeError):
        raise StoreUnreadable("the saved data has no schema version") from None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreUnreadable("the saved data has an invalid schema version")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise StoreUnreadable(f"the saved table {name!r} is malformed")
    return version, data


def check_version(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"This data was saved by a newer version of the app (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}). Update the app; nothing was changed."
        )


def _v1_to_v2(tables: Tables) -> Tables:
    patients = list(tables.get("patient", {}).values())
    patient = patients[0] if patients else None
    profile: Tables = {}
    sessions: Tables = {}
    ticks: Tables = {}
    diary: Tables = {}
    if patient is not None:
        profile[PROFILE_ID] = {
            "id": PROFILE_ID,
            "v": 2,
            "area": patient.get("area", "face"),
            "sensitive": bool(patient.get("reactive_skin", False)),
            "clinic_name": patient.get("clinic_name", ""),
            "clinic_phone": patient.get("clinic_phone", ""),
            "timezone": patient.get("timezone", "UTC"),
        }
        session_id = "s_v1"
        sessions[session_id] = {
            "id": session_id,
            "v": 2,
            "treated_at": patient["treated_at"],
            "area": patient.get("area", "face"),
            "sensitive": bool(patient.get("reactive_skin", False)),
            "follow_up": patient.get("follow_up"),
            "notes": "",
        }
        for old in tables.get("ticks", {}).values():
            new_id = tick_id(session_id, old["day"], old["task"])
            ticks[new_id] = {
                "id": new_id,
                "v": 2,
                "session_id": session_id,
                "day": old["day"],
                "item_id": old["task"],
                "ticked_at": old["ticked_at"],
            }
        for doc_id, old in tables.get("diary", {}).items():
            entry_id = f"e_v1_{doc_id}"
            diary[entry_id] = {
                "id": entry_id,
                "v": 2,
                "session_id": session_id,
                "at": old["when"],
                "symptoms": {s["name"]: s["level"] for s in old.get("symptoms", [])},
                "signs": list(old.get("warning_signs", [])),
                "note": old.get("text", ""),
            }
    return {"profile": profile, "sessions": sessions, "ticks": ticks, "diary": diary}


# MIGRATIONS[n] turns schema n into schema n + 1.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: _v1_to_v2}


def migrate(tables: Tables, version: int) -> Tables:
    """``tables`` of schema ``version`` brought to the current schema."""
    check_version(version)
    for step in range(version, SCHEMA_VERSION):
        try:
            tables = MIGRATIONS[step](tables)
        except KeyError as exc:
            raise StoreUnreadable(f"the saved data (schema {step}) is malformed: a record has no {exc.args[0]!r}") from None
        except (TypeError, AttributeError):
            raise StoreUnreadable(f"the saved data (schema {step}) is malformed: a record has a value of the wrong type") from None
    return tables
