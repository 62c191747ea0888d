"""Run as a script by the storage tests: adds diary entries, acknowledging each on stdout once stored.

Usage: python store_writer.py FOLDER ID_PREFIX COUNT
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from aftercare_app.domain.records import DiaryEntry
from aftercare_app.storage import FileTextStore, open_repository

TREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)


def main(folder: str, prefix: str, count: int) -> None:
    repo = open_repository(FileTextStore(folder))
    for n in range(count):
        entry = DiaryEntry(f"{prefix}{n}", "s1", TREATED + timedelta(minutes=n), {"redness": n % 4}, note="x" * 40)
        repo.add_entry(entry)
        print(entry.id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
