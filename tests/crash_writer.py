"""SIGKILL harness for the crash-safety tests (tests/test_crash.py) and bench/bench_crash.py.

Two sides in one file:

* the writer: ``python tests/crash_writer.py serve`` is a fork server. It imports the store once
  (no Qt), then for every command on stdin forks a child that does real writes through the store
  API — ``people.add_person`` (person, unit, portfolio, audit row) and ``absences.add_absence``
  (absence, its chain steps, audit row) — or runs ``open_store`` on an older database (the
  migration). The child prints one acknowledgement line right after each commit (``os.write`` to
  the pipe: nothing is buffered). Forking a warm interpreter costs ~2 ms where a new interpreter
  with the store imported costs ~140 ms, which is what lets hundreds of kills fit in CI time.
* the parent: ``ForkServer`` sends a command, waits for an event the child reports (a number of
  acknowledged writes, or the child paused at a point of the migration), then a random (seeded)
  delay, SIGKILLs the child by its pid, and collects every line it wrote; ``verify_crash_db`` and
  ``migration_kills`` then reopen the file and check the invariants.

The kill schedule counts events, never speed: a kill that must land among real writes waits for
the child's acknowledgements, and the kills that must land just before and just after the
migrations wait for the child to stop there. How much the child gets done in a random delay on a
busy machine changes which writes are in flight at the kill, never whether a test passes.

The child is never reaped before the parent has killed it (the server waits for ``reap``), so a
pid is never reused under the parent's kill.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from desktop import ops

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOW = dt.datetime(2026, 11, 21, 9, 30)
SUPERVISOR = "张副"
OPERATOR = "崩溃测试"
# The table each known migration creates: it exists exactly when the migration is recorded.
MARKERS = {"m001_people_and_audit": "person", "m002_calendar": "calendar_day", "m003_absences": "absence",
           "m004_duty": "duty_plan", "m005_meetings": "meeting", "m006_operators": "operator"}


# ================================================================ child side (the fork server)

_QUIET = False


def _say(text: str) -> None:
    if _QUIET:
        return
    os.write(1, (text.replace("\n", " ") + "\n").encode("utf-8"))


def _clock(offset: int):
    from desktop.core.clock import FixedClock

    return FixedClock(NOW + dt.timedelta(seconds=offset))


def _write_loop(db: Path, tag: str, offset: int, limit: int, profile) -> None:
    from desktop.core.absence import Absence
    from desktop.core.people import PersonDraft
    from desktop.core.roles import AbsenceKind, Role
    from desktop.store.opening import open_store

    store = open_store(db, _clock(offset), operator=OPERATOR)
    _say("open")
    for i in range(limit):
        name = f"崩{tag}-{i}"
        person = ops.people.add_person(store, PersonDraft(name=name, role=Role.dept_head, unit=f"单位{tag}-{i}",
                                                      supervisor=SUPERVISOR)).value
        _say(f"person {person.id} {name}")
        draft = Absence(id=None, person_id=person.id, kind=AbsenceKind.trip, start=dt.date(2026, 12, 1),
                        end=dt.date(2026, 12, 3), destination="成都", leaves_jurisdiction=True,
                        reported_at=NOW - dt.timedelta(days=1))
        saved = ops.absences.add_absence(store, profile, draft).value
        _say(f"absence {saved.record.id} {person.id} {len(saved.steps)}")
        if i % 4 == 3:  # close (a checkpoint) and reopen, as the app does between sessions
            store.close()
            store = open_store(db, _clock(offset), operator=OPERATOR)
            _say("reopen")
    store.close()
    _say("done")


def _pause(point: str, go: Path) -> None:
    """Tell the parent where we are, then wait until it lets us go on (or kills us right here)."""
    _say(f"paused {point}")
    with open(go, "rb") as fifo:  # blocks until the parent opens the FIFO for writing
        fifo.read(1)


def _migrate(db: Path, offset: int, pause: str | None = None, go: Path | None = None) -> None:
    """``open_store`` on an older file. pause ``before``/``after``: stop (on the FIFO ``go``) just before
    the first pending migration runs (the pre-migration backup is complete) or just after the last one
    has committed (``user_version``, the daily backup and closing still to come)."""
    from desktop.store import schema
    from desktop.store.opening import open_store

    if pause is not None:
        assert go is not None and pause in ("before", "after"), pause
        apply = schema.MIGRATIONS.apply

        def paused_apply(*args, **kwargs):
            if pause == "before":
                _pause(pause, go)
            result = apply(*args, **kwargs)
            if pause == "after":
                _pause(pause, go)
            return result

        schema.MIGRATIONS.apply = paused_apply  # in this forked child only
    open_store(db, _clock(offset), operator=OPERATOR).close()
    _say("migrated")


def serve() -> None:
    """Read commands from stdin; fork one child per command; report its pid and how it ended."""
    from desktop.core.profile import load_profile
    from desktop.resources import profiles_dir
    from desktop.store import absences, people  # noqa: F401  (imported once, before forking)

    global _QUIET

    profile = load_profile(profiles_dir() / "panzhihua.toml")
    # One quiet warm-up run, so that what the store imports lazily is imported before forking.
    import tempfile

    with tempfile.TemporaryDirectory() as warm:
        _QUIET = True
        make_crash_db(Path(warm) / "warm.db")
        _write_loop(Path(warm) / "warm.db", "warm", 0, 2, profile)
        make_old_db(Path(warm) / "old.db", 1, 2)
        _migrate(Path(warm) / "old.db", 0)
        _QUIET = False
    _say("ready")
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "quit":
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                if cmd == "write":
                    _write_loop(Path(args[0]), args[1], int(args[2]), int(args[3]), profile)
                elif cmd == "migrate":
                    pause, go = (args[2], Path(args[3])) if len(args) > 3 else (None, None)
                    _migrate(Path(args[0]), int(args[1]), pause, go)
                else:
                    raise ValueError(cmd)
            except BaseException as exc:  # reported to the parent, which fails the test
                _say(f"error {type(exc).__name__}: {exc} | {traceback.format_exc()}")
                code = 1
            finally:
                os._exit(code)
        _say(f"pid {pid}")
        reap = sys.stdin.readline().split()
        if reap != ["reap", str(pid)]:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        _say(f"exit {pid} {status}")


# ================================================================ parent side

#: How long the parent waits for any line from the fork server before it calls the harness stuck: a guard
#: against a hang (a child that died without a word), never a measure of speed.
SILENCE_S = 300.0
ACK_PREFIXES = ("person ", "absence ")


def _ended(line: str) -> bool:
    """The child finished (or failed) on its own."""
    return line in ("done", "migrated") or line.startswith("error ")


@dataclass
class Run:
    lines: list[str]
    killed: bool  # False: the child had already finished (or failed) when the kill came
    seconds: float  # wall time from fork to kill: for scheduling and figures, never asserted
    waited: str = ""  # the event the kill waited for: "", "3 acks", "paused before", …

    @property
    def errors(self) -> list[str]:
        return [x for x in self.lines if x.startswith("error ")]

    @property
    def acks(self) -> int:
        return sum(x.startswith(ACK_PREFIXES) for x in self.lines)


class ForkServer:
    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=str(ROOT))
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        first = self._line()
        if first != "ready":
            self.close()
            raise RuntimeError(f"fork server did not start: {first!r}")

    def _line(self) -> str:
        """The next line from the server or its child (read unbuffered, so select() sees what is pending)."""
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._fd], [], [], SILENCE_S)
            if not ready:
                raise RuntimeError(f"fork server silent for {SILENCE_S:.0f} s (a child hung or died unheard)")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise RuntimeError("fork server exited")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\n")
        return raw.decode("utf-8")

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((text + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def run(self, command: str, delay: float | None, *, acks: int = 0, pause: Path | None = None,
            resume: bool = True) -> Run:
        """Start `command` in a fresh child; SIGKILL it `delay` s after an event (delay None: let it finish).

        The event: the command was sent (default); `acks` acknowledged writes were reported; or, with
        `pause` (the FIFO named in a ``migrate … before|after FIFO`` command), the child reported that it
        stopped at its pause point. A paused child is killed right there unless `resume`: then it is let
        go on and killed `delay` s later. A child that finishes or fails before the event is not waited for.
        """
        start = time.perf_counter()
        self._send(command)
        lines: list[str] = []
        pid = None
        while pid is None:  # the child may speak before the server has reported its pid
            line = self._line()
            if line.startswith("pid "):
                pid = int(line.split()[1])
            else:
                lines.append(line)

        def wait_for(reached) -> None:
            while not reached() and not any(_ended(x) for x in lines):
                lines.append(self._line())

        waited = ""
        if delay is None:
            wait_for(lambda: False)  # until the child says it finished (or failed)
        else:
            if acks:
                waited = f"{acks} acks"
                wait_for(lambda: sum(x.startswith(ACK_PREFIXES) for x in lines) >= acks)
            if pause is not None:
                waited = "paused"
                wait_for(lambda: any(x.startswith("paused ") for x in lines))
                if resume and not any(_ended(x) for x in lines):
                    with open(pause, "wb") as fifo:  # the child is blocked reading it: let it go on
                        fifo.write(b"g")
                    waited += ", resumed"
            if (pause is None or resume) and not any(_ended(x) for x in lines):
                time.sleep(delay)
            os.kill(pid, signal.SIGKILL)  # the child is unreaped until we say so: the pid is its own
        seconds = time.perf_counter() - start
        self._send(f"reap {pid}")
        while True:
            line = self._line()
            if line.startswith(f"exit {pid} "):
                status = int(line.split()[2])
                break
            lines.append(line)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        return Run(lines, killed and not any(x in ("done", "migrated") for x in lines), seconds, waited)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self._send("quit")
        except (BrokenPipeError, OSError):
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---------------------------------------------------------------- the write-crash run

def make_crash_db(path: Path) -> None:
    """The government the writer works in: panzhihua rules, a chief, an executive deputy and 张副."""
    from desktop.core.clock import FixedClock
    from desktop.core.people import PersonDraft
    from desktop.core.roles import Role
    from desktop.resources import available_profiles
    from desktop.store.opening import open_store

    store = open_store(path, FixedClock(NOW), operator=OPERATOR)
    try:
        ops.org.init_org(store, "panzhihua", "崩溃测试市人民政府办公室", available_profiles())
        for name, role in (("王市长", Role.chief), ("李常务", Role.executive_deputy), (SUPERVISOR, Role.deputy),
                           ("周副", Role.deputy)):
            ops.people.add_person(store, PersonDraft(name=name, role=role))
    finally:
        store.close()


@dataclass
class CrashTally:
    kills: int = 0
    finished: int = 0  # children that ended before the kill (should be none)
    acked_people: dict[str, int] = field(default_factory=dict)  # name -> id
    acked_absences: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (person id, steps)
    lost: list[str] = field(default_factory=list)
    integrity_errors: list[str] = field(default_factory=list)
    child_errors: list[str] = field(default_factory=list)
    committed_unacked: int = 0  # committed, killed before its acknowledgement: allowed
    killed_after_acks: int = 0  # kills that came after the acknowledgements they waited for
    seconds: float = 0.0

    @property
    def acked(self) -> int:
        return len(self.acked_people) + len(self.acked_absences)


def _take_acks(tally: CrashTally, lines: list[str]) -> None:
    for line in lines:
        parts = line.split()
        if parts[0] == "person":
            tally.acked_people[parts[2]] = int(parts[1])
        elif parts[0] == "absence":
            tally.acked_absences[int(parts[1])] = (int(parts[2]), int(parts[3]))


def verify_crash_db(path: Path, tally: CrashTally) -> tuple[list[str], list[str]]:
    """Reopen as the app does and check everything; returns (lost acknowledged writes, other problems)."""
    from desktop.core.clock import FixedClock
    from desktop.store import audit
    from desktop.store.opening import open_store

    lost: list[str] = []
    bad: list[str] = []
    store = open_store(path, FixedClock(NOW), operator="检查")
    try:
        q = store.conn.execute
        result = q("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            bad.append(f"integrity_check: {result[:5]}")
        fk = q("PRAGMA foreign_key_check").fetchall()
        if fk:
            bad.append(f"foreign_key_check: {fk[:5]}")
        people_by_name = dict(q("SELECT name, id FROM person"))
        for name, pid in tally.acked_people.items():
            if people_by_name.get(name) != pid:
                lost.append(f"person {name} (id {pid})")
        steps = dict(q("SELECT absence_id, COUNT(*) FROM absence_step GROUP BY absence_id"))
        absence_person = dict(q("SELECT id, person_id FROM absence"))
        for aid, (pid, nsteps) in tally.acked_absences.items():
            if absence_person.get(aid) != pid or steps.get(aid, 0) != nsteps:
                lost.append(f"absence {aid} of person {pid}")
        # Nothing half-written: each change is all there with its audit row, or not at all.
        for entity, table in (("person", "person"), ("absence", "absence")):
            orphans = q(f"SELECT id FROM {table} WHERE id NOT IN"
                        f" (SELECT entity_id FROM audit WHERE entity = ? AND action = 'add')", (entity,)).fetchall()
            ghosts = q(f"SELECT entity_id FROM audit WHERE entity = ? AND action = 'add' AND entity_id NOT IN"
                       f" (SELECT id FROM {table})", (entity,)).fetchall()
            if orphans or ghosts:
                bad.append(f"{entity}: rows without audit {orphans[:5]}, audit without rows {ghosts[:5]}")
        no_steps = q("SELECT id FROM absence WHERE id NOT IN (SELECT absence_id FROM absence_step)").fetchall()
        if no_steps:
            bad.append(f"absences without chain steps: {no_steps[:5]}")
        unlinked = q("SELECT p.name FROM person p WHERE p.role = 'dept_head' AND NOT EXISTS (SELECT 1 FROM unit u"
                     " JOIN portfolio f ON f.unit_id = u.id WHERE u.name = p.unit)").fetchall()
        if unlinked:
            bad.append(f"heads whose unit or 分管 link is missing: {unlinked[:5]}")
        checked, broken = audit.verify(store)
        if broken is not None:
            bad.append(f"audit chain broken at row {broken} of {checked}")
        tally.committed_unacked = (len(people_by_name) - 4 - len(tally.acked_people)) + (
            len(absence_person) - len(tally.acked_absences))
    finally:
        store.close()
    return lost, bad


def crash_kills(path: Path, kills: int, seed: int, max_delay: float = 0.08, server: ForkServer | None = None,
                verify_every: int = 1, max_acks: int = 4) -> CrashTally:
    """SIGKILL the writer `kills` times against one database file, each time after a seeded random
    number (1..`max_acks`) of acknowledged writes plus a seeded random 0..`max_delay` s, so every kill
    lands among real writes however fast or slow the machine is."""
    if not path.exists():
        make_crash_db(path)
    rng = random.Random(seed)
    tally = CrashTally()
    own = server is None
    server = server or ForkServer()
    start = time.perf_counter()
    try:
        for k in range(kills):
            acks = rng.randint(1, max_acks)
            run = server.run(f"write {path} k{seed}x{k} {k} 100000", rng.uniform(0.0, max_delay), acks=acks)
            tally.kills += run.killed
            tally.killed_after_acks += run.killed and run.acks >= acks
            tally.finished += not run.killed
            tally.child_errors += run.errors
            _take_acks(tally, run.lines)
            if (k + 1) % verify_every == 0 or k == kills - 1:
                lost, bad = verify_crash_db(path, tally)
                tally.lost += [f"after kill {k}: {x}" for x in lost]
                tally.integrity_errors += [f"after kill {k}: {x}" for x in bad]
    finally:
        if own:
            server.close()
    tally.seconds = time.perf_counter() - start
    return tally


# ---------------------------------------------------------------- the interrupted migration

def make_old_db(path: Path, applied: int, people_count: int = 60) -> None:
    """A database as an older DutyDesk left it: only the first `applied` migrations, with data.

    Written with plain SQL (today's store functions may need tables an old file does not have),
    audit rows chained exactly as desktop.store.audit chains them.
    """
    import sqlite_utils

    from desktop.store import audit, schema

    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        schema.MIGRATIONS.apply(db, stop_before=schema.MIGRATION_NAMES[applied:])
        with db.ensure_autocommit_on():
            conn.execute(f"PRAGMA user_version = {applied}")
        at = (NOW - dt.timedelta(days=30)).isoformat(timespec="seconds")
        prev = audit.GENESIS
        with db.atomic():
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                             [("profile_id", "panzhihua"), ("org_name", "旧版本市人民政府办公室")])
            rows = [("王市长", "chief", ""), (SUPERVISOR, "deputy", "")]
            rows += [(f"旧{i:03d}", "dept_head", f"旧单位{i:03d}") for i in range(people_count)]
            for rank, (name, role, unit) in enumerate(rows, start=1):
                pid = conn.execute(
                    "INSERT INTO person (name, role, rank, phone, unit, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)", (name, role, rank, f"1390000{rank:04d}", unit, at, at)).lastrowid
                if unit:
                    uid = conn.execute("INSERT INTO unit (name, rank) VALUES (?, ?)", (unit, rank)).lastrowid
                    conn.execute("INSERT INTO portfolio (person_id, unit_id) VALUES (2, ?)", (uid,))
                after = audit._dump({"name": name, "role": role, "unit": unit})
                digest = audit._digest(prev, audit._canonical(at, "旧版本", "add", "person", pid, f"新增人员 {name}",
                                                              None, after))
                conn.execute("INSERT INTO audit (at, operator, action, entity, entity_id, summary, before, after,"
                             " prev_hash, hash) VALUES (?, ?, 'add', 'person', ?, ?, NULL, ?, ?, ?)",
                             (at, "旧版本", pid, f"新增人员 {name}", after, prev, digest))
                prev = digest
    finally:
        conn.close()


def _snapshot(conn: sqlite3.Connection) -> dict:
    has = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    applied = [r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'dutydesk' ORDER BY id")] if "_sqlite_migrations" in has else []
    return {
        "tables": has,
        "applied": applied,
        "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
        "people": conn.execute("SELECT id, name, unit, phone FROM person ORDER BY id").fetchall() if "person" in has else None,
        "audit": conn.execute("SELECT COUNT(*), MAX(hash) FROM audit").fetchone() if "audit" in has else None,
        "calendar": conn.execute("SELECT COUNT(*) FROM calendar_day").fetchone()[0] if "calendar_day" in has else None,
    }


def read_snapshot(path: Path, *, immutable: bool = False) -> dict:
    """The file's state; immutable: read a backup as the app checks it (no journal rolled back)."""
    conn = (sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True) if immutable
            else sqlite3.connect(str(path)))
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        snap = _snapshot(conn)
        snap["integrity"] = check
        return snap
    finally:
        conn.close()


def backup_is_good(path: Path) -> bool:
    """What the app itself calls a good backup (desktop.store.backups.check_backup, thorough)."""
    from desktop.store import backups

    return backups.check_backup(path, thorough=True) is None


def backup_is_complete(path: Path, template: dict) -> bool:
    """A good pre-migration backup: opens, passes integrity_check, holds the old schema and all the data."""
    if not backup_is_good(path):
        return False
    try:
        snap = read_snapshot(path, immutable=True)
    except sqlite3.DatabaseError:
        return False
    return (snap["integrity"] == [("ok",)] and snap["applied"] == template["applied"]
            and snap["people"] == template["people"] and snap["audit"] == template["audit"])


@dataclass
class MigrationTally:
    kills: int = 0
    trials: int = 0
    finished_before_kill: int = 0
    killed_complete: int = 0  # the kill came after the migration had committed
    killed_partway: int = 0  # some but not all pending migrations had committed
    killed_untouched: int = 0  # nothing had committed yet
    killed_paused: dict[str, int] = field(default_factory=dict)  # kills of a child stopped before/after
    partial_backups: list[str] = field(default_factory=list)  # cut-short files under a backup's name
    seen_backups: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    child_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _check_after_kill(path: Path, template: dict, full: dict, applied0: int, where: str, tally: MigrationTally) -> int:
    """Check the file a kill left; returns how many migrations it has recorded."""
    from desktop.store import schema

    snap = read_snapshot(path)
    p = tally.problems
    if snap["integrity"] != [("ok",)]:
        p.append(f"{where}: integrity {snap['integrity'][:3]}")
    applied = snap["applied"]
    if applied != list(schema.MIGRATION_NAMES[:len(applied)]) or len(applied) < applied0:
        p.append(f"{where}: applied migrations {applied}")
    for name, table in MARKERS.items():
        if name in schema.MIGRATION_NAMES and (name in applied) != (table in snap["tables"]):
            p.append(f"{where}: {name} recorded={name in applied} but table {table} present={table in snap['tables']}")
    if snap["calendar"] is not None and snap["calendar"] != full["calendar"]:
        p.append(f"{where}: calendar seed half there ({snap['calendar']} of {full['calendar']} days)")
    if snap["people"] != template["people"] or snap["audit"] != template["audit"]:
        p.append(f"{where}: data changed")
    if snap["user_version"] not in (applied0, schema.SCHEMA_VERSION) or (
            snap["user_version"] == schema.SCHEMA_VERSION and len(applied) != len(schema.MIGRATION_NAMES)):
        p.append(f"{where}: user_version {snap['user_version']} with {len(applied)} migrations")
    if len(applied) == len(schema.MIGRATION_NAMES):
        tally.killed_complete += 1
    elif len(applied) > applied0:
        tally.killed_partway += 1
    else:
        tally.killed_untouched += 1
    complete = []
    for b in sorted((path.parent / "backups").glob("*.db")):
        if "pre-migration" in b.name and backup_is_complete(b, template):
            complete.append(b)
        elif "pre-migration" not in b.name and backup_is_good(b):
            pass  # a daily backup of the migrated file
        elif str(b) not in tally.seen_backups:
            tally.seen_backups.add(str(b))
            tally.partial_backups.append(f"{where}: {b.name} ({b.stat().st_size} bytes)")
    if len(applied) > applied0 and not complete:
        p.append(f"{where}: migrated without a complete pre-migration backup")
    return len(applied)


def _check_after_reopen(path: Path, template: dict, where: str, tally: MigrationTally, offset: int) -> None:
    from desktop.core.clock import FixedClock
    from desktop.store import audit, schema
    from desktop.store.opening import open_store

    try:
        store = open_store(path, FixedClock(NOW + dt.timedelta(seconds=offset)), operator="检查")
    except Exception as exc:  # reported, not raised: the tally shows every failing trial
        tally.problems.append(f"{where}: reopening failed: {type(exc).__name__}: {exc}")
        return
    try:
        snap = _snapshot(store.conn)
        if snap["applied"] != list(schema.MIGRATION_NAMES) or snap["user_version"] != schema.SCHEMA_VERSION:
            tally.problems.append(f"{where}: after reopening {snap['applied']} v{snap['user_version']}")
        if snap["people"] != template["people"] or snap["audit"] != template["audit"]:
            tally.problems.append(f"{where}: data changed by the migration")
        if store.conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)] or store.conn.execute(
                "PRAGMA foreign_key_check").fetchall():
            tally.problems.append(f"{where}: integrity or foreign keys after reopening")
        if audit.verify(store)[1] is not None:
            tally.problems.append(f"{where}: audit chain broken")
    finally:
        store.close()
    if not any(backup_is_complete(b, template) for b in (path.parent / "backups").glob("*pre-migration*.db")):
        tally.problems.append(f"{where}: no complete pre-migration backup in backups/")


# The kill moments of the migration runs, in turn: half at a random moment after the command (opening,
# checking, backing up, migrating, closing), half at or after a point the child stops at and reports —
# just before the first pending migration (the pre-migration backup is complete) and just after the last
# one committed. A kill at such a point does not depend on timing, so every run of `migration_kills` has
# kills with nothing migrated yet and with everything migrated, on any machine.
MIGRATION_SCHEDULE = (("before", False), ("after", False), None, ("before", True), None, ("after", True), None, None)


def migration_kills(workdir: Path, kills: int, seed: int, server: ForkServer | None = None,
                    people_count: int = 60) -> MigrationTally:
    """SIGKILL `open_store` while it migrates older files; each trial is killed 1–3 times in a row."""
    from desktop.store import schema

    rng = random.Random(seed)
    tally = MigrationTally()
    own = server is None
    server = server or ForkServer()
    start = time.perf_counter()
    everything = len(schema.MIGRATION_NAMES)
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        templates: dict[int, tuple[Path, dict, float]] = {}
        full_path = workdir / "full.db"
        make_old_db(full_path, everything, people_count=0)
        full = read_snapshot(full_path)
        for applied0 in range(1, everything):
            tpl = workdir / f"template-{applied0}.db"
            make_old_db(tpl, applied0, people_count)
            # How long an uninterrupted migration takes here: the random kills are spread over that window.
            durations = []
            for n in range(3):
                trial = workdir / f"calibrate-{applied0}-{n}" / "duty.db"
                trial.parent.mkdir()
                shutil.copy(tpl, trial)
                run = server.run(f"migrate {trial} {n}", None)
                tally.child_errors += run.errors
                durations.append(run.seconds)
            templates[applied0] = (tpl, read_snapshot(tpl), min(durations))
        t = 0
        n = 0  # kill attempts so far (the turn in MIGRATION_SCHEDULE)
        while tally.kills < kills:
            applied0 = 1 + t % (everything - 1)
            tpl, template, window = templates[applied0]
            trial = workdir / f"trial-{t}" / "duty.db"
            trial.parent.mkdir()
            shutil.copy(tpl, trial)
            offset = 1000 * t
            before = applied0  # migrations recorded in the file before this attempt
            for attempt in range(rng.choice((1, 1, 2, 3))):
                offset += 1
                where = f"trial {t} kill {attempt}"
                turn = MIGRATION_SCHEDULE[n % len(MIGRATION_SCHEDULE)]
                n += 1
                if turn is None:  # anywhere
                    run = server.run(f"migrate {trial} {offset}", rng.uniform(0.0, window))
                else:
                    point, resume = turn
                    go = trial.parent / f"go-{attempt}"
                    os.mkfifo(go)
                    # resumed after "before": within the migrations; after "after": user_version, the daily
                    # backup, closing
                    run = server.run(f"migrate {trial} {offset} {point} {go}", rng.uniform(0.002, 0.015), pause=go,
                                     resume=resume)
                tally.child_errors += run.errors
                tally.kills += run.killed
                tally.finished_before_kill += not run.killed
                applied = _check_after_kill(trial, template, full, applied0, where, tally)
                if turn is not None and not turn[1] and run.killed:  # killed where it stopped
                    point = turn[0]
                    tally.killed_paused[point] = tally.killed_paused.get(point, 0) + 1
                    expected = before if point == "before" else everything
                    if applied != expected:
                        tally.problems.append(f"{where}: killed while stopped {point} the migrations, but"
                                              f" {applied} migrations are recorded (expected {expected})")
                before = applied
            _check_after_reopen(trial, template, f"trial {t}", tally, offset + 1)
            tally.trials += 1
            shutil.rmtree(trial.parent)
            t += 1
    finally:
        if own:
            server.close()
    tally.seconds = time.perf_counter() - start
    return tally

if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    else:
        sys.exit("usage: crash_writer.py serve   (driven by tests/test_crash.py and bench/bench_crash.py)")
