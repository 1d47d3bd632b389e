"""Benchmark: crash safety — SIGKILL during writes and migrations, and what synchronous=FULL costs (not a test).

    python bench/bench_crash.py [--kills 200] [--migration-kills 60] [--seed 20261121] [--writes 300]

Uses the harness of tests/test_crash.py (tests/crash_writer.py): a fork server with the store
imported forks one writer per run; the writer does real audited writes (people.add_person: person,
unit, 分管 link, audit row; absences.add_absence: absence, chain steps, audit row) and prints an
acknowledgement after each commit; it is SIGKILLed after a seeded random 1–4 acknowledged writes
plus a seeded random delay (0–80 ms) and the database is reopened with open_store and checked after
every kill (integrity_check, foreign_key_check, every acknowledged write present, nothing
half-written, audit chain verifies). The migration part copies databases left at each older schema
(with 60 people and their audit rows) and SIGKILLs open_store while it checks, backs up and migrates
them, 1–3 times in a row, then reopens: half the kills at a random moment, half where the writer
stops and says so (just before the first pending migration, just after the last) or 2–15 ms after it
goes on from there. (Until 2026-12-07 the write kills came after 0–80 ms without waiting for an
acknowledgement, and the migration kills 2–15 ms after the pre-migration backup file appeared.)
Last, the write cost of synchronous=NORMAL against FULL (the app's setting since this run), on a file in
the system temp folder (a real disk here, not tmpfs). Record the figures in bench/RESULTS.md
("Crash safety").
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import crash_writer as cw  # noqa: E402


def spawn_cost(n: int = 5) -> float:
    """ms for a new interpreter that imports the store (what a process per kill would pay)."""
    code = "import desktop.store.absences, desktop.store.people, desktop.store.db, desktop.core.profile"
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT))
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def fork_cost(server: cw.ForkServer, folder: Path, n: int = 9) -> float:
    """ms for one forked writer that opens the database, writes nothing, closes and exits."""
    db = folder / "fork.db"
    cw.make_crash_db(db)
    times = [server.run(f"write {db} f{i} 0 0", None).seconds for i in range(n)]
    return 1000 * statistics.median(times)


def sync_cost(folder: Path, writes: int, rounds: int = 3) -> dict[str, list[float]]:
    """ms per audited add_person, and per bare one-row commit, under synchronous NORMAL and FULL."""
    from desktop import ops
    from desktop.core.clock import FixedClock
    from desktop.core.people import PersonDraft
    from desktop.core.roles import Role
    from desktop.store.opening import open_store

    out: dict[str, list[float]] = {}
    for r in range(rounds):
        for mode in ("NORMAL", "FULL"):
            db = folder / f"sync-{mode}-{r}.db"
            cw.make_crash_db(db)
            store = open_store(db, FixedClock(cw.NOW), operator="bench")
            store.conn.execute(f"PRAGMA synchronous = {mode}")
            t = time.perf_counter()
            for i in range(writes):
                ops.people.add_person(store, PersonDraft(name=f"同步{mode}{r}-{i}", role=Role.staff))
            out.setdefault(f"add_person {mode}", []).append(1000 * (time.perf_counter() - t) / writes)
            t = time.perf_counter()
            for i in range(writes):
                with store.atomic():
                    store.conn.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (f"k{r}-{i}",))
            out.setdefault(f"one-row commit {mode}", []).append(1000 * (time.perf_counter() - t) / writes)
            store.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--migration-kills", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--writes", type=int, default=300, help="writes per synchronous mode and round")
    ap.add_argument("--skip-sync", action="store_true")
    args = ap.parse_args()
    import sqlite3

    print(f"Python {platform.python_version()} on {platform.machine()}, SQLite {sqlite3.sqlite_version}, seed {args.seed}")
    with tempfile.TemporaryDirectory() as tmp, cw.ForkServer() as server:
        folder = Path(tmp)
        print(f"new interpreter importing the store: {spawn_cost():7.1f} ms   forked writer (open+close): "
              f"{fork_cost(server, folder):5.1f} ms")

        t = cw.crash_kills(folder / "crash.db", args.kills, args.seed, server=server)
        print(f"\nSIGKILL during writes: {t.kills} kills ({t.finished} runs ended before their kill) in {t.seconds:.1f} s,"
              f" {t.kills / t.seconds:.1f} kills/s")
        print(f"  acknowledged writes {t.acked} ({len(t.acked_people)} people, {len(t.acked_absences)} absences),"
              f" committed but killed before the acknowledgement {t.committed_unacked}")
        print(f"  lost acknowledged writes {len(t.lost)}, integrity errors {len(t.integrity_errors)},"
              f" writer errors {len(t.child_errors)}")
        for line in (t.lost + t.integrity_errors + t.child_errors)[:10]:
            print("   ", line)

        m = cw.migration_kills(folder / "mig", args.migration_kills, args.seed, server=server)
        print(f"\nSIGKILL during migration: {m.kills} kills over {m.trials} files in {m.seconds:.1f} s"
              f" ({m.finished_before_kill} runs finished before their kill)")
        print(f"  state found after a kill: nothing migrated yet {m.killed_untouched}, part of the migrations"
              f" {m.killed_partway}, all migrated {m.killed_complete}; killed where the writer stopped:"
              f" {m.killed_paused}")
        print(f"  problems {len(m.problems)} (integrity, half-applied migration, data changed, no good"
              f" pre-migration backup, reopening failed), writer errors {len(m.child_errors)}")
        print(f"  incomplete files left under a backup's name: {len(m.partial_backups)}"
              f" (sizes: {sorted({x.rsplit('(', 1)[1].rstrip(')') for x in m.partial_backups})})")
        for line in (m.problems + m.child_errors)[:10]:
            print("   ", line)

        if not args.skip_sync:
            print(f"\nsynchronous NORMAL vs FULL ({args.writes} writes x 3 rounds, median ms per write):")
            cost = sync_cost(folder, args.writes)
            for what in ("add_person", "one-row commit"):
                normal = statistics.median(cost[f"{what} NORMAL"])
                full = statistics.median(cost[f"{what} FULL"])
                print(f"  {what:15s} NORMAL {normal:7.3f}   FULL {full:7.3f}   FULL/NORMAL {full / normal:5.2f}x")
    bad = t.lost or t.integrity_errors or t.child_errors or m.problems or m.child_errors
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
