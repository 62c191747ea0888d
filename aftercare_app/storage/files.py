"""The store as files in a folder: atomic writes, rolling backups, a lock file.

Layout of the data folder::

    aftercare.json        the store (only ever replaced whole, never written in place)
    backups/<stamp>.json  rolling backups of earlier good states, newest kept
    damaged/<stamp>.json  unreadable stores set aside; never overwritten or deleted
    .lock                 taken with flock around every read-modify-write

Every write goes to a temporary file in the same folder, is fsynced, renamed
over the target with ``os.replace`` and the folder is fsynced, so a crash at
any moment leaves either the old or the new file, both whole.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from aftercare_app.storage.errors import SaveFailed
from aftercare_app.storage.text_store import BackupInfo, backup_name, backup_time

try:  # Pyodide and Windows have no usable flock: the lock degrades to in-process only.
    import fcntl
except ImportError:  # pragma: no cover - depends on the platform
    fcntl = None  # type: ignore[assignment]  # a missing module, as the code below checks

STORE_NAME = "aftercare.json"
APP_FOLDER = "aftercare-companion"
DEFAULT_KEEP_BACKUPS = 5
_TMP_SUFFIX = ".tmp"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """Where the patient's data lives: ``AFTERCARE_DATA_DIR`` of ``environ``, else the platform's user data folder.

    Only the entry points (the command line, ``main.py``) call it, with the process's environment."""
    override = environ.get("AFTERCARE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":  # pragma: no cover - platform specific
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / APP_FOLDER
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        return home / "Library" / "Application Support" / APP_FOLDER
    return Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / APP_FOLDER


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) durably."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    fsync_folder(folder.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temporary file, fsync, ``os.replace``, fsync of the folder."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


class FileTextStore:
    """A :class:`~aftercare_app.storage.text_store.TextStore` in a folder on disk."""

    def __init__(self, folder: Path | str, *, keep_backups: int = DEFAULT_KEEP_BACKUPS) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STORE_NAME
        self.backup_folder = self.folder / "backups"
        self.damaged_folder = self.folder / "damaged"
        self.keep_backups = keep_backups
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._lock_file: int | None = None

    def __repr__(self) -> str:
        return f"FileTextStore({str(self.folder)!r})"

    def read(self) -> str | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return raw.decode("utf-8")

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        with self.lock():
            try:
                atomic_write(self.path, data)
            except OSError as exc:
                raise SaveFailed(f"Could not save to {self.folder}: {exc.strerror or exc}. Nothing was changed.") from exc

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across threads, and across processes wherever ``flock`` works; reentrant."""
        with self._thread_lock:
            if self._depth == 0:
                self._acquire_file_lock()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release_file_lock()

    def _acquire_file_lock(self) -> None:
        make_folder(self.folder)
        if fcntl is None:
            return
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        with contextlib.suppress(OSError):  # pragma: no cover - e.g. Emscripten's stub: carry on unlocked
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock_file = fd
        self._remove_stale_temporaries()

    def _release_file_lock(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)  # closing releases the flock
            self._lock_file = None

    def _remove_stale_temporaries(self) -> None:
        # Every writer holds the lock, so a temporary file seen now belongs to a writer that died.
        for stale in self.folder.glob(f".{STORE_NAME}.*{_TMP_SUFFIX}"):
            stale.unlink(missing_ok=True)

    def save_backup(self, text: str, label: str = "") -> BackupInfo:
        name, saved_at = backup_name(label)
        with self.lock():
            make_folder(self.backup_folder)
            atomic_write(self.backup_folder / f"{name}.json", text.encode("utf-8"))
            for old in self.backups()[self.keep_backups :]:
                (self.backup_folder / f"{old.name}.json").unlink(missing_ok=True)
        return BackupInfo(name, saved_at)

    def backups(self) -> list[BackupInfo]:
        if not self.backup_folder.is_dir():
            return []
        names = sorted((p.stem for p in self.backup_folder.glob("*.json") if p.stem[:1].isdigit()), reverse=True)
        return [BackupInfo(name, backup_time(name)) for name in names]

    def read_backup(self, name: str) -> str:
        return (self.backup_folder / f"{name}.json").read_bytes().decode("utf-8")

    def forget_copies(self) -> None:
        with self.lock():
            for folder in (self.backup_folder, self.damaged_folder):
                if folder.is_dir():
                    for copy in folder.glob("*.json"):
                        copy.unlink()
                    fsync_folder(folder)

    def set_aside(self) -> str:
        """Link the current store into ``damaged/``; the next write replaces the store, the copy stays."""
        with self.lock():
            make_folder(self.damaged_folder)
            name, _ = backup_name("damaged")
            target = self.damaged_folder / f"{name}.json"
            try:
                os.link(self.path, target)  # the store is only ever replaced, so a link is a snapshot
            except OSError:
                atomic_write(target, self.path.read_bytes())
            fsync_folder(self.damaged_folder)
        return str(target)
