"""Twenty seats at once: mixed operations with deliberate collisions, on a server and on a file.

    python bench/bench_server_load.py [--seats 20] [--seconds 120] [--url postgresql://…/postgres]

Each seat is a thread with its own connection (a secretary's PC), signed in as its own operator,
running for a bounded time a mix of the office's writes — 登记外出 (often overlapping another seat's
record for the same leader), 办理 the next pending step (often the step another seat is doing), 销假,
固定 a duty day and 调班 (on one shared holiday plan), 会议请假 — and every seat LISTENs (server
mode). Afterwards the data is checked: every change a seat saw succeed is stored exactly once, no
leader has overlapping records, each step was done once, the duty plan's version counts its
accepted changes, and `audit verify` is clean. Printed: operations, refusals (conflicts, in Chinese)
and other errors (goal 0), latency p50/p95 per operation, and on a server the time from a commit on
one seat to its NOTIFY arriving at the others (p50/p95/max; goal p95 ≤ 1 s). Without --url the
script starts a throwaway PostgreSQL cluster (scripts/pgcluster.py). bench/RESULTS.md keeps the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


from desktop import ops  # noqa: E402
from desktop.core.absence import Absence, AbsenceKind, AbsenceState  # noqa: E402
from desktop.core.changes import ConcurrentEdit  # noqa: E402
from desktop.core.clock import FixedClock  # noqa: E402
from desktop.core.errors import UserError  # noqa: E402
from desktop.core.profile import load_profile  # noqa: E402
from desktop.resources import available_profiles, profiles_dir  # noqa: E402
from desktop.store import absences, duty, people  # noqa: E402
from desktop.store.audit_check import verify  # noqa: E402
from desktop.store.opening import open_store  # noqa: E402

CLOCK = FixedClock(dt.datetime(2026, 11, 20, 9, 0))
PROFILE = load_profile(profiles_dir() / "panzhihua.toml")
PASSWORD = "Load-test-2026"


def prepare(location, seats: int) -> tuple[dict[str, int], int]:
    store = open_store(location, CLOCK, operator="准备")
    ops.org.populate(store, available_profiles())
    ops.operators.add_operator(store, "seat00", PASSWORD, "admin")  # the first 管理员 turns sign-in on
    admin = ops.operators.verify_credentials(store, "seat00", PASSWORD)
    store.operator, store.role = admin.name, admin.role
    for i in range(1, seats):
        ops.operators.add_operator(store, f"seat{i:02d}", PASSWORD, "clerk")
    plan = ops.duty.plan(store, PROFILE, duty.holiday_plan_scope(store, 2027, "春节")).value.info.id
    ids = {p.name: p.id for p in people.list_people(store) if p.role.value in ("deputy", "executive_deputy")}
    store.close()
    return ids, plan


class Seat(threading.Thread):
    def __init__(self, n: int, location, leaders: dict[str, int], plan_id: int, seconds: float, results, heard,
                 barrier: threading.Barrier):
        super().__init__(name=f"seat{n:02d}", daemon=True)
        self.n, self.location, self.leaders, self.plan_id, self.seconds = n, location, leaders, plan_id, seconds
        self.results, self.heard, self.barrier = results, heard, barrier
        self.rng = random.Random(n)

    def open(self) -> None:
        n, location = self.n, self.location
        self.store = open_store(location, CLOCK, operator=f"seat{n:02d}", daily_backup=False, check=False)
        op = ops.operators.verify_credentials(self.store, f"seat{n:02d}", PASSWORD)
        self.store.role = op.role
        self.listener = None
        if self.store.url is not None:  # each seat listens, as a PC of the office does
            from desktop.store.listen import Listener

            self.listener = Listener(self.store.url, self.store.seat, lambda _data: None)
            self.listener.ready.wait(30)

    def add(self):
        pid = self.rng.choice(list(self.leaders.values())[:4])  # four leaders: many collisions
        start = dt.date(2027, 3, 1) + dt.timedelta(days=self.rng.randrange(0, 120))
        record = Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=start,
                         end=start + dt.timedelta(days=self.rng.randrange(0, 3)), destination="成都", reason="会议",
                         leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 19, 9))
        return ("add", ops.absences.add_absence(self.store, PROFILE, record).value.record.id)

    def advance(self):
        waiting = [r for r in absences.list_absences(self.store) if r.state is AbsenceState.in_progress][:3]
        if not waiting:
            return self.add()
        r = self.rng.choice(waiting)  # three records: two seats often do the same step
        step = next((s for s in absences.steps_of(self.store, r.id) if s.state.value == "pending"), None)
        if step is None:  # done by another seat between the two reads: choose again
            return self.add()
        record, _ = ops.absences.advance_absence(self.store, r.id, step.assignee_name or "办公室", seen=r).value
        return ("advance", record.id)

    def back(self):
        rows = [r for r in absences.list_absences(self.store) if r.state is AbsenceState.approved and r.actual_return is None]
        if not rows:
            return self.add()
        r = self.rng.choice(rows[:5])
        ops.absences.return_absence(self.store, r.id, r.start, seen=r)
        return ("return", r.id)

    def pin(self):
        stored = duty.load_plan(self.store, self.plan_id)
        day = self.rng.choice(stored.dates())
        pid = self.rng.choice(list(self.leaders.values()))
        ops.duty.pin(self.store, PROFILE, self.plan_id, day, pid, expected_version=stored.info.version)
        return ("pin", self.plan_id)

    def swap(self):
        stored = duty.load_plan(self.store, self.plan_id)
        a, b = self.rng.sample(stored.dates(), 2)
        ops.duty.swap(self.store, PROFILE, self.plan_id, a, b, expected_version=stored.info.version)
        return ("swap", self.plan_id)

    def run(self) -> None:
        self.open()  # in this thread: a sqlite3 connection belongs to the thread that made it
        actions = [self.add, self.add, self.advance, self.advance, self.back, self.pin, self.swap]
        self.barrier.wait()  # every seat starts at once
        until = time.perf_counter() + self.seconds
        while time.perf_counter() < until:
            action = self.rng.choice(actions)
            t0 = time.perf_counter()
            try:
                wall0 = time.time()
                kind, ident = action()
                self.results.append((action.__name__, "ok", time.perf_counter() - t0, kind, ident, wall0,
                                     time.time(), self.store.seat))
            except (ConcurrentEdit, UserError) as exc:
                chinese = any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
                self.results.append((action.__name__, "refused" if chinese else "error", time.perf_counter() - t0,
                                     type(exc).__name__, str(exc)[:80], t0, time.perf_counter(), self.store.seat))
            except Exception as exc:  # counted: the goal is none
                self.results.append((action.__name__, "error", time.perf_counter() - t0, type(exc).__name__,
                                     str(exc)[:200], t0, time.perf_counter(), self.store.seat))
        if self.listener is not None:
            time.sleep(1.5)  # let the last messages arrive before closing (a bench, not a test)
            self.listener.close()
        self.store.close()


def observe(url: str, queue, stop) -> None:
    """Another PC: a process that only listens, and notes when each message arrives (wall time)."""
    import json

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("LISTEN dutydesk")
        queue.put(("ready", 0.0))
        while not stop.is_set():
            for note in conn.notifies(timeout=0.5):
                queue.put((json.loads(note.payload).get("seat"), time.time()))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def check(location, results) -> list[str]:
    problems = []
    store = open_store(location, CLOCK, operator="核对")
    try:
        added = [r[4] for r in results if r[1] == "ok" and r[3] == "add"]
        stored = {r.id for r in absences.list_absences(store)}
        if len(added) != len(set(added)) or not set(added) <= stored:
            problems.append(f"lost or doubled records: {len(added)} saved, {len(set(added) & stored)} stored")
        by_person = defaultdict(list)
        for r in absences.list_absences(store):
            if r.state.value not in ("withdrawn", "cancelled", "rejected"):
                by_person[r.person_id].append((r.start, r.actual_return or r.end))
        for spans in by_person.values():
            spans.sort()
            for (_a, b), (c, _d) in itertools.pairwise(spans):
                if c <= b:
                    problems.append("overlapping records for one leader")
        plan_changes = sum(1 for r in results if r[1] == "ok" and r[3] in ("pin", "swap"))
        version = duty.load_plan(store, duty.plans(store, 2027)[0].id).info.version
        if version != 1 + plan_changes:
            problems.append(f"plan version {version} != 1 + {plan_changes} accepted changes")
        report = verify(store)
        if not report.ok:
            problems.append("audit verify: " + report.text()[:200])
    finally:
        store.close()
    return problems


def run(location, seats: int, seconds: float, label: str) -> None:
    leaders, plan = prepare(location, seats)
    results: list = []
    heard: list = []
    observers, stop, queue = [], None, None
    if not isinstance(location, Path):
        import multiprocessing

        from desktop.store.server import libpq_url

        ctx = multiprocessing.get_context("spawn")
        stop, queue = ctx.Event(), ctx.Queue()
        observers = [ctx.Process(target=observe, args=(libpq_url(location), queue, stop)) for _ in range(3)]
        for o in observers:
            o.start()
        for _ in observers:
            queue.get(timeout=60)
    barrier = threading.Barrier(seats, timeout=300)
    threads = [Seat(i, location, leaders, plan, seconds, results, heard, barrier) for i in range(seats)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if observers:
        time.sleep(2)  # the last messages (a bench, not a test)
        stop.set()
        import queue as queues

        while True:
            try:
                heard.append(queue.get(timeout=1))
            except queues.Empty:
                break
        for o in observers:
            o.join(timeout=10)
    outcomes = Counter(r[1] for r in results)
    print(f"\n== {label}: {seats} seats, {seconds:.0f} s")
    print(f"operations {len(results)}: ok {outcomes['ok']}, refused in Chinese {outcomes['refused']}, "
          f"other errors {outcomes['error']}")
    for r in results:
        if r[1] == "error":
            print("   error:", r[0], r[3], r[4])
            break
    for name in ("add", "advance", "back", "pin", "swap"):
        lat = [r[2] * 1000 for r in results if r[0] == name]
        if lat:
            print(f"  {name:8s} n={len(lat):5d}  p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f} ms")
    if heard:
        ops_of: dict[str, list[tuple[float, float]]] = {}
        for r in results:
            if r[1] == "ok":
                ops_of.setdefault(r[7], []).append((r[5], r[6]))  # (start, return) in wall time
        delays = []
        for seat, arrived in heard:  # the seat's last operation started before the message arrived
            began = [(start, back) for start, back in ops_of.get(seat, []) if start <= arrived]
            if began:
                _start, back = max(began)
                delays.append(max(0.0, arrived - back) * 1000)  # before the saving seat got control back: 0
        print(f"  NOTIFY commit→3 listening processes: n={len(delays)}  p50 {pct(delays, 50):.1f} ms  p95 {pct(delays, 95):.1f} ms"
              f"  max {max(delays):.1f} ms")
    problems = check(location, results)
    print("  check:", problems or "0 lost or doubled changes, no overlap, plan version = accepted changes, audit verify clean")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--url", default=None, help="a PostgreSQL server's postgresql://…/postgres (default: a throwaway one)")
    parser.add_argument("--only", choices=("server", "file"), default=None)
    args = parser.parse_args()
    stop = None
    if args.only != "file":
        url = args.url
        if url is None:
            import pgcluster

            started = pgcluster.start()
            if started is None:
                sys.exit("PostgreSQL is not installed")
            url, stop = started
        import psycopg

        name = f"load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        from desktop.store import server, server_schema
        from desktop.store.location import ServerUrl

        target = ServerUrl(url.rsplit("/", 1)[0] + "/" + name)
        conn = server.connect_server(target)
        server_schema.create(conn)
        conn.close()
        try:
            run(target, args.seats, args.seconds, "PostgreSQL (server mode)")
        finally:
            if stop is not None:
                stop()
    if args.only != "server":
        with tempfile.TemporaryDirectory() as folder:
            run(Path(folder) / "load.db", args.seats, args.seconds, "SQLite file (one PC, same operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
