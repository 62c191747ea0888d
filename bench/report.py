"""How long each export takes for 7, 30 and 90 days of diary entries, against one plain json.dumps.

Run: ``python bench/report.py [--repeat N] [--per-day K]``. For a data folder
holding a session with K entries a day (default 2, each with a note) and the
checklist ticked, it prints the median time of

- model: the report model alone (every entry re-triaged with its history);
- pdf, csv, ics, json: each export as the command builds it, from reading the
  store to the bytes (``ics`` with daily check-in reminders);
- dumps: ``json.dumps`` of the stored document, measured in the same run,

and each one's ratio to ``dumps`` (these machines are noisy: compare ratios).
Goal: every export of 90 days under one second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import time as time_of_day
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aftercare_app.content import default_protocol
from aftercare_app.domain.report import build_report
from aftercare_app.exports import render
from aftercare_app.services import CareRecords
from tests.report.diaries import make_diary, store_diary

DAYS = (7, 30, 90)
EXPORTS = ("pdf", "csv", "ics", "json")
GOAL_SECONDS = 1.0


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    work()  # warm: imports, font parsing caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(days: int, per_day: int, repeat: int, folder: Path) -> dict[str, float]:
    diary = make_diary(days, per_day=per_day, notes=["Slight tightness after washing; cool compress helped.", "ok"])
    repository = store_diary(diary, folder)
    records = CareRecords(repository, lambda: diary.now)
    document = repository.export_all(diary.now)
    results = {
        "dumps": median_seconds(lambda: json.dumps(document), repeat),
        "model": median_seconds(
            lambda: build_report(
                default_protocol(), diary.session, now=diary.now, entries=diary.entries, ticks=diary.ticks, profile=diary.profile
            ),
            repeat,
        ),
    }
    results["json"] = median_seconds(records.export_backup, repeat)
    for fmt in EXPORTS[:-1]:
        results[fmt] = median_seconds(lambda fmt=fmt: render(fmt, records.report(), check_in=time_of_day(20, 0)), repeat)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=2)
    args = parser.parse_args()
    columns = ("model", *EXPORTS)
    print(f"median of {args.repeat} runs, {args.per_day} entries a day; ratio to json.dumps of the store in brackets")
    print(f"{'days':>5} {'entries':>8} {'dumps':>9}  " + "  ".join(f"{c:>16}" for c in columns))
    slow = []
    for days in DAYS:
        with tempfile.TemporaryDirectory() as tmp:
            results = measure(days, args.per_day, args.repeat, Path(tmp) / "data")
        base = results["dumps"]
        cells = [f"{results[c] * 1000:8.1f} ms ({results[c] / base:5.0f}x)" for c in columns]
        print(f"{days:>5} {days * args.per_day:>8} {base * 1000:6.2f} ms  " + "  ".join(f"{c:>16}" for c in cells))
        slow += [f"{c} at {days} days" for c in EXPORTS if results[c] >= GOAL_SECONDS]
    print("goal met: every export of 90 days under 1 s" if not slow else "goal missed: " + ", ".join(slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
