"""The repository: everything the patient records, in domain types.

:func:`open_repository` prepares the store (recovery, migration; see
:mod:`aftercare_app.storage.startup`) and returns a :class:`TinyRepository`.
TinyDB documents never leave this package: callers give and get
:class:`~aftercare_app.domain.records.Profile`,
:class:`~aftercare_app.domain.records.TreatmentSession`,
:class:`~aftercare_app.domain.records.ChecklistTick` and
:class:`~aftercare_app.domain.records.DiaryEntry`.

Every change runs under the store's lock and starts by rereading the store, so
two processes (or two tabs, given a shared lock) never lose each other's writes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from aftercare_app.domain.records import ChecklistTick, DiaryEntry, InvalidRecord, Profile, TreatmentSession
from aftercare_app.storage.documents import (
    DECODERS,
    ENCODERS,
    PROFILE_ID,
    SCHEMA_VERSION,
    Doc,
    entry_from_doc,
    entry_to_doc,
    profile_from_doc,
    profile_to_doc,
    session_from_doc,
    session_to_doc,
    tick_from_doc,
    tick_id,
    tick_to_doc,
)
from aftercare_app.storage.errors import ImportRefused, NotFound, StorageError, StoreTooNew, StoreUnreadable
from aftercare_app.storage.schema import Tables, encode_store, json_object, migrate
from aftercare_app.storage.startup import StartupReport, prepare
from aftercare_app.storage.text_store import TextStore
from aftercare_app.storage.tiny_storage import TextStoreStorage

EXPORT_FORMAT = "aftercare-companion-export"
TABLES = ("profile", "sessions", "ticks", "diary")
DAY = timedelta(hours=24)
R = TypeVar("R")


class Repository(Protocol):
    """What the app stores, in domain types (implemented by :class:`TinyRepository`)."""

    @property
    def startup(self) -> StartupReport: ...

    def get_profile(self) -> Profile | None: ...
    def save_profile(self, profile: Profile) -> None: ...
    def add_session(self, session: TreatmentSession) -> None: ...
    def save_session(self, session: TreatmentSession) -> None: ...
    def list_sessions(self) -> list[TreatmentSession]: ...
    def current_session(self) -> TreatmentSession | None: ...
    def get_session(self, session_id: str) -> TreatmentSession: ...
    def set_tick(self, tick: ChecklistTick) -> None: ...
    def unset_tick(self, session_id: str, day: int, item_id: str) -> bool: ...
    def list_ticks(self, session_id: str, day: int | None = None) -> list[ChecklistTick]: ...
    def add_entry(self, entry: DiaryEntry) -> None: ...
    def edit_entry(self, entry: DiaryEntry) -> None: ...
    def delete_entry(self, entry_id: str) -> None: ...
    def get_entry(self, entry_id: str) -> DiaryEntry: ...
    def list_entries(self, session_id: str | None = None, day: int | None = None) -> list[DiaryEntry]: ...
    def export_all(self, exported_at: datetime) -> dict[str, Any]: ...
    def import_all(self, document: Mapping[str, Any]) -> ImportSummary: ...
    def erase_all(self) -> None: ...


@dataclass(frozen=True)
class ImportSummary:
    sessions: int
    ticks: int
    entries: int
    migrated_from: int | None = None


class _RecordTable(Table):
    """Documents keyed by the record's own id; no query cache (another process may write)."""

    # TinyDB types document ids as int; these tables key each document by its record's id, a str.
    document_id_class = str  # type: ignore[assignment]
    default_query_cache_capacity = 0


def _doc_id(record_id: str) -> int:
    """A record id where TinyDB's signatures say int: :class:`_RecordTable` keys documents by str ids."""
    return cast(int, record_id)


class _Database(TinyDB):
    table_class = _RecordTable


def open_repository(store: TextStore, **storage_options: Any) -> TinyRepository:
    """Open the store behind ``store``: recover or migrate it if needed, then return the repository.

    ``repository.startup.recovery`` is set when damaged data was set aside: show its ``message``.
    Raises :class:`~aftercare_app.storage.errors.StoreTooNew` for data of a newer app version.
    """
    return TinyRepository(store, prepare(store), **storage_options)


class TinyRepository:
    """The repository on TinyDB over any :class:`~aftercare_app.storage.text_store.TextStore`."""

    def __init__(self, store: TextStore, startup: StartupReport | None = None, **storage_options: Any) -> None:
        self.store = store
        self.startup = startup or StartupReport()
        self._db = _Database(store, storage=TextStoreStorage, **storage_options)
        self._storage = cast(TextStoreStorage, self._db.storage)  # TinyDB made it from storage=TextStoreStorage
        self._profile, self._sessions, self._ticks, self._diary = (
            self._db.table(name, cache_size=0) for name in TABLES
        )

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the lock across a read-modify-write; a failure leaves no half-applied state cached."""
        with self.store.lock():
            try:
                yield
            except BaseException:
                self._storage.forget()
                raise

    @staticmethod
    def _put(table: Table, doc: Doc) -> None:
        if table.contains(doc_id=_doc_id(doc["id"])):
            table.update(_replaced_by(doc), doc_ids=[_doc_id(doc["id"])])
        else:
            table.insert(Document(doc, doc_id=_doc_id(doc["id"])))

    @staticmethod
    def _get(table: Table, record_id: str, decode: Callable[[Mapping[str, Any]], R], what: str) -> R:
        doc = table.get(doc_id=_doc_id(record_id)) if isinstance(record_id, str) else None
        if doc is None:
            raise NotFound(f"No {what} with id {record_id!r}")
        return _decoded(decode, doc)

    # -- profile and sessions -------------------------------------------------------------------

    def get_profile(self) -> Profile | None:
        doc = self._profile.get(doc_id=_doc_id(PROFILE_ID))
        return _decoded(profile_from_doc, doc) if doc is not None else None

    def save_profile(self, profile: Profile) -> None:
        with self._changing():
            self._put(self._profile, profile_to_doc(profile))

    def add_session(self, session: TreatmentSession) -> None:
        with self._changing():
            if self._sessions.contains(doc_id=_doc_id(session.id)):
                raise StorageError(f"A session with id {session.id!r} already exists")
            self._sessions.insert(Document(session_to_doc(session), doc_id=_doc_id(session.id)))

    def save_session(self, session: TreatmentSession) -> None:
        """Replace a recorded session with a corrected copy (same id); NotFound if there is none."""
        with self._changing():
            self.get_session(session.id)
            self._put(self._sessions, session_to_doc(session))

    def list_sessions(self) -> list[TreatmentSession]:
        sessions = [_decoded(session_from_doc, doc) for doc in self._sessions.all()]
        return sorted(sessions, key=lambda s: s.treated_at)

    def current_session(self) -> TreatmentSession | None:
        sessions = self.list_sessions()
        return sessions[-1] if sessions else None

    def get_session(self, session_id: str) -> TreatmentSession:
        return self._get(self._sessions, session_id, session_from_doc, "treatment session")

    # -- checklist ticks ------------------------------------------------------------------------

    def set_tick(self, tick: ChecklistTick) -> None:
        with self._changing():
            self.get_session(tick.session_id)
            self._put(self._ticks, tick_to_doc(tick))

    def unset_tick(self, session_id: str, day: int, item_id: str) -> bool:
        """Remove a tick; False if it was not ticked."""
        with self._changing():
            key = tick_id(session_id, day, item_id)
            if not self._ticks.contains(doc_id=_doc_id(key)):
                return False
            self._ticks.remove(doc_ids=[_doc_id(key)])
            return True

    def list_ticks(self, session_id: str, day: int | None = None) -> list[ChecklistTick]:
        docs = self._ticks.search(
            lambda d: d.get("session_id") == session_id and (day is None or d.get("day") == day)
        )
        return sorted((_decoded(tick_from_doc, d) for d in docs), key=lambda t: (t.day, t.ticked_at))

    # -- diary ----------------------------------------------------------------------------------

    def add_entry(self, entry: DiaryEntry) -> None:
        with self._changing():
            self.get_session(entry.session_id)
            if self._diary.contains(doc_id=_doc_id(entry.id)):
                raise StorageError(f"A diary entry with id {entry.id!r} already exists")
            self._diary.insert(Document(entry_to_doc(entry), doc_id=_doc_id(entry.id)))

    def edit_entry(self, entry: DiaryEntry) -> None:
        """Replace the stored entry of the same id."""
        with self._changing():
            self.get_entry(entry.id)
            self.get_session(entry.session_id)
            self._put(self._diary, entry_to_doc(entry))

    def delete_entry(self, entry_id: str) -> None:
        with self._changing():
            self.get_entry(entry_id)
            self._diary.remove(doc_ids=[_doc_id(entry_id)])

    def get_entry(self, entry_id: str) -> DiaryEntry:
        return self._get(self._diary, entry_id, entry_from_doc, "diary entry")

    def list_entries(self, session_id: str | None = None, day: int | None = None) -> list[DiaryEntry]:
        """Entries in time order: all, one session's, or one recovery day of one session."""
        if day is None:
            docs = self._diary.search(lambda d: session_id is None or d.get("session_id") == session_id)
        else:
            if session_id is None:
                raise ValueError("a day is counted within a session: give session_id")
            start = self.get_session(session_id).treated_at + day * DAY
            end = start + DAY
            docs = self._diary.search(
                lambda d: d.get("session_id") == session_id and start <= _instant_of(d) < end
            )
        return sorted((_decoded(entry_from_doc, d) for d in docs), key=lambda e: e.at)

    # -- export and import ----------------------------------------------------------------------

    def export_all(self, exported_at: datetime) -> dict[str, Any]:
        """Everything, as a JSON-ready document that :meth:`import_all` restores."""
        tables = copy.deepcopy(self._storage.read() or {})  # the caller may change it; the cache must not
        return {
            "format": EXPORT_FORMAT,
            "schema": SCHEMA_VERSION,
            "exported_at": exported_at.isoformat(),
            "data": {name: list(tables.get(name, {}).values()) for name in TABLES},
        }

    def import_all(self, document: Mapping[str, Any]) -> ImportSummary:
        """Replace everything with an export; checks all of it first, so a bad file changes nothing.

        The state it replaces is kept as a backup.
        """
        tables, migrated_from = _checked_import(document)
        self._replace_all(tables, "before-import")
        return ImportSummary(len(tables["sessions"]), len(tables["ticks"]), len(tables["diary"]), migrated_from)

    def erase_all(self) -> None:
        """Forget everything the patient recorded, backups and set-aside copies included.

        The patient asked for it: no copy of their health data may stay behind. The empty
        store is written first, so a crash midway leaves the copies, never a broken store.
        """
        with self._changing():
            self.store.write(encode_store({name: {} for name in TABLES}))
            self.store.forget_copies()
            self._storage.forget()

    def _replace_all(self, tables: Tables, backup_label: str) -> None:
        with self._changing():
            current = self.store.read()
            if current is not None:
                self.store.save_backup(current, label=backup_label)
            self.store.write(encode_store(tables))
            self._storage.forget()


def load_export(text: str) -> dict[str, Any]:
    """The export document in ``text``; ImportRefused saying why it is not one."""
    return json_object(
        text,
        ImportRefused,
        "The file is not valid JSON ({reason}); nothing was changed",
        "The file is not an aftercare export; nothing was changed",
    )


def _replaced_by(new: Doc) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(doc: MutableMapping[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return replace


def _instant_of(doc: Mapping[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(doc["at"])
    except (KeyError, TypeError, ValueError):
        raise StoreUnreadable(f"A stored diary entry has a malformed time: {doc.get('id')!r}") from None


def _decoded(decode: Callable[[Mapping[str, Any]], R], doc: Mapping[str, Any]) -> R:
    try:
        return decode(doc)
    except InvalidRecord as exc:
        raise StoreUnreadable(f"A stored record is invalid ({exc}): {doc.get('id')!r}") from None


def _checked_import(document: Mapping[str, Any]) -> tuple[Tables, int | None]:
    """Tables of the current schema from an export, every record checked; ImportRefused otherwise."""
    if document.get("format") != EXPORT_FORMAT:
        raise ImportRefused("The file is not an aftercare export (its 'format' is missing or wrong); nothing was changed")
    version = document.get("schema")
    data = document.get("data")
    if not isinstance(version, int) or isinstance(version, bool) or not isinstance(data, dict):
        raise ImportRefused("The export lacks its schema version or data; nothing was changed")
    raw: Tables = {}
    for name, docs in data.items():
        if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
            raise ImportRefused(f"The export's {name!r} is not a list of records; nothing was changed")
        raw[name] = {str(d.get("id", i)): d for i, d in enumerate(docs, 1)}
        if len(raw[name]) != len(docs):
            raise ImportRefused(f"The export's {name!r} holds two records with one id; nothing was changed")
    if version < 1:
        raise ImportRefused(f"The export's schema version ({version}) is not one this app knows; nothing was changed")
    try:
        migrated = migrate(raw, version)
    except StoreTooNew as exc:
        raise ImportRefused(str(exc)) from None  # its message already says nothing was changed
    except StoreUnreadable as exc:
        raise ImportRefused(f"{exc}; nothing was changed") from None
    tables: Tables = {name: {} for name in TABLES}
    for name in TABLES:
        for number, doc in enumerate(migrated.get(name, {}).values(), 1):
            where = _RECORD_WORDS[name].format(number=number)
            try:
                canonical = ENCODERS[name](DECODERS[name](doc))
            except (InvalidRecord, TypeError, AttributeError) as exc:
                raise ImportRefused(f"{where} is invalid: {exc}; nothing was changed") from None
            if doc.get("id") != canonical["id"]:
                raise ImportRefused(f"{where} has a wrong id; nothing was changed")
            if name in ("ticks", "diary") and canonical["session_id"] not in tables["sessions"]:
                raise ImportRefused(f"{where} belongs to no session in the file; nothing was changed")
            _check_reference(name, canonical, tables["sessions"], where)
            # The canonical document, so an import holds exactly what the app itself writes.
            tables[name][canonical["id"]] = canonical
    return tables, (version if version != SCHEMA_VERSION else None)


# How a refusal names the record at fault, numbered as in the file.
_RECORD_WORDS = {
    "profile": "The profile of the file",
    "sessions": "Session {number} of the file",
    "ticks": "Checklist tick {number} of the file",
    "diary": "Diary entry {number} of the file",
}
#: What a record id of an import may look like: the app's own (``s_3f9a0c1b2d4e``, ``e_v1_3``) and any short
#: word of letters, digits and ``_.:-``; never a path, a separator of tick ids (``/``) or a megabyte of text.
RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def _check_reference(name: str, doc: Doc, sessions: Mapping[str, Doc], where: str) -> None:
    """Refuse an imported record whose ids are not ids, or a diary entry dated before its session's treatment."""
    ids = [doc[key] for key in ("id", "session_id", "item_id") if key in doc and not (name == "ticks" and key == "id")]
    if not all(isinstance(value, str) and RECORD_ID.fullmatch(value) for value in ids):
        raise ImportRefused(f"{where} has a malformed id; nothing was changed")
    if name == "diary":
        treated_at = datetime.fromisoformat(sessions[doc["session_id"]]["treated_at"])
        if datetime.fromisoformat(doc["at"]) < treated_at:
            raise ImportRefused(f"{where} is dated before the treatment of its session; nothing was changed")


@dataclass(frozen=True)
class ExportContents:
    """The records of an export, each checked as :meth:`TinyRepository.import_all` checks it."""

    profile: Profile | None
    sessions: tuple[TreatmentSession, ...]
    ticks: tuple[ChecklistTick, ...]
    entries: tuple[DiaryEntry, ...]
    exported_at: str | None
    migrated_from: int | None


def read_export(document: Mapping[str, Any]) -> ExportContents:
    """What an export holds, in domain records; ImportRefused (nothing is read or written) when it would not import."""
    tables, migrated_from = _checked_import(document)
    profiles = [profile_from_doc(doc) for doc in tables["profile"].values()]
    exported_at = document.get("exported_at")
    return ExportContents(
        profile=profiles[0] if profiles else None,
        sessions=tuple(session_from_doc(doc) for doc in tables["sessions"].values()),
        ticks=tuple(tick_from_doc(doc) for doc in tables["ticks"].values()),
        entries=tuple(entry_from_doc(doc) for doc in tables["diary"].values()),
        exported_at=exported_at if isinstance(exported_at, str) else None,
        migrated_from=migrated_from,
    )
