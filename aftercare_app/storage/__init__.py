"""Local storage that never loses a patient's data.

One JSON text holds the whole store (TinyDB's layout). Where that text lives
is a seam, :class:`TextStore`: a folder on disk (:class:`FileTextStore`) or a
key-value store of strings such as the browser's localStorage
(:class:`KeyValueTextStore`). The in-browser build keeps the file backend on an
IndexedDB-backed mount (see :mod:`aftercare_app.pwa.browser_store`).
:func:`open_repository` opens either, recovering
a damaged store and migrating an old one, and returns a repository that speaks
domain records only.

Typical wiring::

    repo = open_repository(FileTextStore(default_data_dir()))
    if repo.startup.recovery:
        show(repo.startup.recovery.message)
"""

from aftercare_app.storage.documents import SCHEMA_VERSION
from aftercare_app.storage.errors import (
    ImportRefused,
    NotFound,
    SaveFailed,
    StorageError,
    StoreTooNew,
    StoreUnreadable,
)
from aftercare_app.storage.files import FileTextStore, default_data_dir
from aftercare_app.storage.key_value import KeyValue, KeyValueTextStore, MemoryLocalStorage, QuotaExceededError
from aftercare_app.storage.repository import (
    ImportSummary,
    Repository,
    TinyRepository,
    load_export,
    open_repository,
)
from aftercare_app.storage.startup import RecoveryReport, StartupReport
from aftercare_app.storage.text_store import BackupInfo, TextStore

__all__ = [
    "SCHEMA_VERSION",
    "BackupInfo",
    "FileTextStore",
    "ImportRefused",
    "ImportSummary",
    "KeyValue",
    "KeyValueTextStore",
    "MemoryLocalStorage",
    "NotFound",
    "QuotaExceededError",
    "RecoveryReport",
    "Repository",
    "SaveFailed",
    "StartupReport",
    "StorageError",
    "StoreTooNew",
    "StoreUnreadable",
    "TextStore",
    "TinyRepository",
    "default_data_dir",
    "load_export",
    "open_repository",
]
