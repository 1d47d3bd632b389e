"""What the audit log's record images and its anchor cost (issue 16): `audit verify` on a database of a
few thousand records, and one audited save with and without the images and the anchor.

    python bench/bench_audit.py [RECORDS]

Writes into a temporary folder; the clock is fixed (no wall-clock dates in the data).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import available_profiles
from desktop.store import anchors, audit, audit_check
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)


def build(path: Path, records: int):
    store = open_store(path, FixedClock(NOW), operator="测试员")
    ops.org.populate(store, available_profiles())
    profile = ops.org.profile_of(store)
    people = []
    for i in range(records // 20):
        people.append(ops.people.add_person(store, PersonDraft(name=f"测试{i}", role=Role.dept_head, unit=f"单位{i}",
                                                               supervisor="张丽华")).value.id)
    n = 0
    for pid in people:
        for k in range(19):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=9 * k)
            draft = Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=start, end=start + dt.timedelta(days=2),
                            destination="成都", reason="调研", leaves_jurisdiction=True,
                            reported_at=dt.datetime.combine(start, dt.time(9)) - dt.timedelta(days=5))
            ops.absences.add_absence(store, profile, draft)
            n += 1
    return store, profile, people, n + len(people)


def time_saves(store, profile, pid, count: int, day0: dt.date) -> float:
    times = []
    for k in range(count):
        start = day0 + dt.timedelta(days=5 * k)
        draft = Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=start, end=start + dt.timedelta(days=1),
                        destination="成都", leaves_jurisdiction=True,
                        reported_at=dt.datetime.combine(start, dt.time(9)) - dt.timedelta(days=5))
        t = time.perf_counter()
        ops.absences.add_absence(store, profile, draft)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        store, profile, people, n = build(path, records)
        print(f"built {n} records (people and absences with their steps) in {time.perf_counter() - t:.1f} s;"
              f" {store.conn.execute('SELECT count(*) FROM audit').fetchone()[0]} audit rows,"
              f" file {path.stat().st_size / 1e6:.1f} MB")
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            report = audit_check.verify(store)
            runs.append(time.perf_counter() - t)
        assert report.ok, report.text()
        t = time.perf_counter()
        audit.read_chain(store)
        chain_only = time.perf_counter() - t
        print(f"audit verify (chain + {report.data.checked} records + anchor): best {min(runs) * 1000:.0f} ms,"
              f" of which the hash chain {chain_only * 1000:.0f} ms")
        full = time_saves(store, profile, people[0], 30, dt.date(2024, 1, 1))
        real_advance, real_seal = anchors.advance, audit.seal
        anchors.advance = lambda *a, **k: None
        try:
            no_anchor = time_saves(store, profile, people[1], 30, dt.date(2024, 1, 1))
            audit.seal = lambda *a, **k: None
            bare = time_saves(store, profile, people[2], 30, dt.date(2024, 1, 1))
        finally:
            anchors.advance, audit.seal = real_advance, real_seal
        print(f"one audited save (add_absence, median of 30): {full:.2f} ms; without the anchor {no_anchor:.2f} ms;"
              f" without the anchor and the images {bare:.2f} ms")
        store.close()


if __name__ == "__main__":
    main()
