"""How fast the store opens, appends a diary entry and lists one day, against one plain json.dump.

Run: ``python bench/storage.py [--repeat N]``. For stores of 100, 1,000 and 10,000
diary entries it prints the median time of

- open: open the store and read it (recovery/migration check, parse);
- append: add one diary entry on an open store (reread, atomic durable write);
- first append: the same, for the first write after opening, which also keeps a backup;
- list day: the entries of one recovery day;
- dump: the same data written with one plain ``json.dump`` and ``fsync``, measured in the same run
  (and, stricter, with ``json.dumps``, whose encoder is in C where ``json.dump``'s is in Python),

and the ratios to the dump (goals: append within 3x, open within 2x). The file
backend is measured, in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aftercare_app.domain.records import DiaryEntry, TreatmentSession
from aftercare_app.storage import FileTextStore, open_repository
from aftercare_app.storage.documents import entry_to_doc, session_to_doc
from aftercare_app.storage.schema import decode_store, encode_store

TREATED = datetime(2026, 5, 1, 10, tzinfo=timezone(timedelta(hours=2)))
SIZES = (100, 1_000, 10_000)


def _entry(n: int) -> DiaryEntry:
    return DiaryEntry(
        f"e_{n:08d}",
        "s1",
        TREATED + timedelta(minutes=7 * n),
        {"redness": n % 4, "swelling": (n // 2) % 4, "pain": 1},
        ["fever"] if n % 97 == 0 else [],
        f"entry {n}: a little red around the injection points, cool compress helped",
    )


def _make_store(folder: Path, size: int) -> None:
    session = TreatmentSession("s1", TREATED)
    tables = {
        "sessions": {"s1": session_to_doc(session)},
        "diary": {doc["id"]: doc for doc in (entry_to_doc(_entry(n)) for n in range(size))},
    }
    FileTextStore(folder).write(encode_store(tables))


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _plain_dump(data: object, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())


def _plain_dumps(data: object, path: Path) -> None:
    """A stricter baseline: json.dump encodes in pure Python, json.dumps in C."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(data))
        out.flush()
        os.fsync(out.fileno())


def measure(size: int, repeat: int, root: Path) -> dict[str, float]:
    folder = root / f"store-{size}"
    _make_store(folder, size)
    data = decode_store((folder / "aftercare.json").read_text(encoding="utf-8"))[1]
    baseline = root / f"plain-{size}.json"

    def open_store() -> None:
        open_repository(FileTextStore(folder)).current_session()

    counter = iter(range(size, size + 10 * repeat + 10))
    repo = open_repository(FileTextStore(folder))

    def first_append() -> None:
        open_repository(FileTextStore(folder)).add_entry(_entry(next(counter)))

    def append() -> None:
        repo.add_entry(_entry(next(counter)))

    def list_day() -> None:
        repo.list_entries("s1", day=3)

    figures = {
        "dump": _median_ms(lambda: _plain_dump(data, baseline), repeat),
        "open": _median_ms(open_store, repeat),
        "first append": _median_ms(first_append, repeat),
        "append": _median_ms(append, repeat),
        "list day": _median_ms(list_day, repeat),
    }
    figures["dump again"] = _median_ms(lambda: _plain_dump(data, baseline), repeat)
    figures["dumps"] = _median_ms(lambda: _plain_dumps(data, baseline), repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per median (default 15)")
    args = parser.parse_args()
    header = ("entries", "open", "append", "1st append", "list day", "dump", "open/dump", "append/dump")
    print("median milliseconds; dump = one json.dump + fsync of the same data, measured in the same run")
    print("".join(f"{h:>12}" for h in header))
    strict = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            f = measure(size, args.repeat, Path(tmp))
            strict.append((size, f))
            dump = (f["dump"] + f["dump again"]) / 2  # before and after the store's runs, against drift
            row = (size, f["open"], f["append"], f["first append"], f["list day"], dump,
                   f["open"] / dump, f["append"] / dump)
            print(f"{row[0]:>12}" + "".join(f"{v:>12.2f}" for v in row[1:6]) + "".join(f"{v:>11.2f}x" for v in row[6:]))
    print("goals at 10,000 entries: append within 3x the dump, open within 2x")
    print("stricter baseline, one json.dumps (C encoder) + write + fsync:")
    for size, f in strict:
        print(f"{size:>12} entries: dumps {f['dumps']:.2f} ms, open/dumps {f['open'] / f['dumps']:.2f}x, "
              f"append/dumps {f['append'] / f['dumps']:.2f}x")


if __name__ == "__main__":
    main()
