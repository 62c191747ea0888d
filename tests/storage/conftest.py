"""One fixture runs the repository suite against every storage backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.storage import (
    FileTextStore,
    KeyValueTextStore,
    MemoryLocalStorage,
    TextStore,
    TinyRepository,
    open_repository,
)

PARIS = timezone(timedelta(hours=2))
TREATED = datetime(2026, 5, 1, 10, 0, tzinfo=PARIS)


class Backend:
    """A storage backend that can be opened again, as after a restart or a page reload."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind = kind
        self.folder = tmp_path / "data"
        self.local_storage = MemoryLocalStorage()

    def text_store(self) -> TextStore:
        if self.kind == "file":
            return FileTextStore(self.folder)
        return KeyValueTextStore(self.local_storage)

    def open(self) -> TinyRepository:
        return open_repository(self.text_store())

    def snapshot(self) -> dict[str, bytes | str]:
        """Everything the backend holds, byte for byte."""
        if self.kind == "file":
            if not self.folder.exists():
                return {}
            return {str(p.relative_to(self.folder)): p.read_bytes() for p in self.folder.rglob("*") if p.is_file()}
        return self.local_storage.snapshot()


@pytest.fixture(params=["file", "local_storage"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return Backend(request.param, tmp_path)


@pytest.fixture
def repo(backend: Backend) -> TinyRepository:
    return backend.open()


def session(session_id: str = "s1", treated_at: datetime = TREATED, **kwargs: object) -> TreatmentSession:
    return TreatmentSession(session_id, treated_at, **kwargs)  # type: ignore[arg-type]


def entry(entry_id: str, hours_after: float, session_id: str = "s1", **kwargs: object) -> DiaryEntry:
    return DiaryEntry(entry_id, session_id, TREATED + timedelta(hours=hours_after), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def make_session() -> Callable[..., TreatmentSession]:
    return session


@pytest.fixture
def make_entry() -> Callable[..., DiaryEntry]:
    return entry
