"""崩溃安全:进程被强行结束(SIGKILL)、升级中途被打断、数据库被他人锁住时,数据不丢、不残缺、说清楚。

The writer and the kill loop live in tests/crash_writer.py (a fork server: one warm interpreter,
one forked child per run, SIGKILLed at a seeded random moment after an event it reports). The tests
assert invariants only — never timings or throughput: every acknowledged write is there, nothing is
half-written, integrity_check and foreign_key_check are clean, the audit chain verifies, a migration
is all there or not at all. Where a kill must land (among real writes; before and after the
migrations) the harness waits for the child to report it got there, so a slow or busy machine
changes which writes are in flight, never the outcome.

What this proves: a committed transaction survives the death of the process (SIGKILL), with the
app's WAL + synchronous=FULL. A power cut cannot be simulated here (the OS page cache survives a
kill); FULL is what makes SQLite fsync the WAL at each commit for that (bench/RESULTS.md "Crash safety").

Kill counts: DUTYDESK_CRASH_KILLS (default 120) and DUTYDESK_MIGRATION_KILLS (default 40); bench/RESULTS.md
"Crash safety" records a longer run (set them higher for one).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import crash_writer as cw

from desktop import ops
from desktop.core.people import PersonDraft
from desktop.core.roles import Role
from desktop.store import audit, db, people
from desktop.store.errors import DatabaseLocked
from desktop.store.opening import open_store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL 与 fork 只在 POSIX 上测试")

SEED = 20261121
CRASH_KILLS = int(os.environ.get("DUTYDESK_CRASH_KILLS", "120"))
MIGRATION_KILLS = int(os.environ.get("DUTYDESK_MIGRATION_KILLS", "40"))


@pytest.fixture(scope="module")
def server():
    with cw.ForkServer() as s:
        yield s


# ---------------------------------------------------------------- 1. SIGKILL during writes

def test_强行结束写入进程_已确认的写入一条不丢_没有残缺(tmp_path, server):
    tally = cw.crash_kills(tmp_path / "crash.db", CRASH_KILLS, SEED, server=server)
    assert tally.child_errors == []
    assert tally.lost == []
    assert tally.integrity_errors == []
    assert tally.kills + tally.finished == CRASH_KILLS and tally.kills >= CRASH_KILLS * 0.95
    # The kills landed among real writes, not only before the first: each one waited for at least one
    # acknowledgement of its own child (counted, not timed).
    assert tally.killed_after_acks == tally.kills and tally.acked >= tally.kills


def test_写入程序不被打断时_每次写入都被确认并通过检查(tmp_path, server):
    """The harness itself: an uninterrupted child acknowledges everything, and the checks pass."""
    path = tmp_path / "calm.db"
    cw.make_crash_db(path)
    run = server.run(f"write {path} calm 0 6", None)
    assert run.errors == [] and run.lines[-1] == "done"
    tally = cw.CrashTally()
    cw._take_acks(tally, run.lines)
    assert len(tally.acked_people) == 6 and len(tally.acked_absences) == 6
    assert all(steps > 0 for _pid, steps in tally.acked_absences.values())
    assert cw.verify_crash_db(path, tally) == ([], [])


def test_检查能发现丢失和残缺的写入(tmp_path, server):
    """The checks are not vacuous: a removed acknowledged person and an absence without steps are caught."""
    path = tmp_path / "broken.db"
    cw.make_crash_db(path)
    run = server.run(f"write {path} br 0 2", None)
    tally = cw.CrashTally()
    cw._take_acks(tally, run.lines)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM absence_step")
        conn.execute("UPDATE person SET name = name || '改' WHERE role = 'dept_head'")
    conn.close()
    lost, bad = cw.verify_crash_db(path, tally)
    assert len(lost) == 4  # 2 people renamed away, 2 absences whose steps are gone
    assert any("without chain steps" in b for b in bad)


# ---------------------------------------------------------------- 2. interrupted migration

def test_升级数据结构中途被强行结束_重新打开后完整升级_数据和备份都在(tmp_path, server):
    tally = cw.migration_kills(tmp_path / "mig", MIGRATION_KILLS, SEED, server=server)
    assert tally.child_errors == []
    assert tally.problems == []
    assert tally.kills >= MIGRATION_KILLS
    # Kills landed before and after: some while the child was stopped just before its first pending
    # migration and just after its last (checked above: nothing more, and everything, recorded).
    assert tally.killed_paused.get("before", 0) > 0 and tally.killed_paused.get("after", 0) > 0
    assert tally.killed_untouched > 0 and tally.killed_complete > 0


# ---------------------------------------------------------------- 3. a locked database

@pytest.fixture
def short_busy(monkeypatch):
    """A 0.2 s busy timeout instead of 5 s, so the test is quick (BUSY_TIMEOUT_S is read at connect)."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)


def _holder(path: Path) -> sqlite3.Connection:
    """Another program holding the write lock (BEGIN IMMEDIATE) and not letting go."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES ('held-by-another', 'x')")
    return conn


def test_数据库被锁住时写入有限等待后说明原因_什么也没写(store, db_path, short_busy):
    store.close()
    s = open_store(db_path, store.clock, operator="测试员")
    holder = _holder(db_path)
    try:
        with pytest.raises(DatabaseLocked, match="正被另一个程序或另一位同事使用"):
            ops.people.add_person(s, PersonDraft(name="甲副市长", role=Role.deputy))
        with pytest.raises(DatabaseLocked, match="请稍后再试"), s.atomic():  # a write as its first statement
            s.conn.execute("INSERT INTO meta (key, value) VALUES ('mine', 'y')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert s.conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 0
    assert s.meta("mine") is None
    ops.people.add_person(s, PersonDraft(name="甲副市长", role=Role.deputy))  # free again: it works
    assert audit.verify(s) == (2, None)
    s.close()


def test_命令行遇到被锁住的数据库_退出码2_中文说明_没有堆栈(store, db_path, short_busy, clock, capsys):
    from desktop.cli import main

    store.close()
    holder = _holder(db_path)
    try:
        code = main(["people", "add", "甲副市长", "--role", "deputy", "--db", str(db_path)], clock=clock)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _out, err = capsys.readouterr()
    assert code == 2
    assert "正被另一个程序或另一位同事使用" in err and "Traceback" not in err and "内部错误" not in err


def test_另一个进程锁住数据库时_命令行进程退出码2_中文说明(store, db_path):
    """Two processes: this one holds the lock, a real `dutydesk people add` process is refused.

    The child shortens the busy timeout itself (there is no DUTYDESK_BUSY_TIMEOUT setting yet)."""
    store.close()
    holder = _holder(db_path)
    code = ("import sys; import desktop.store.db as d; d.BUSY_TIMEOUT_S = 0.3\n"
            "from desktop.cli import main\n"
            "sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, PYTHONPATH=str(cw.ROOT), PYTHONIOENCODING="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-c", code, "people", "add", "甲副市长", "--role", "deputy",
                               "--db", str(db_path)], capture_output=True, text=True, encoding="utf-8",
                              env=env, cwd=str(cw.ROOT), timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2, proc.stderr
    assert "正被另一个程序或另一位同事使用" in proc.stderr and "Traceback" not in proc.stderr


# (Was an xfail: Store.atomic now begins IMMEDIATE, desktop/store/db.py.)
def test_别人的写入很快结束时_等待后写入成功(store, db_path):
    """The busy timeout (5 s) is there so a colleague's short write does not refuse ours.

    The other program holds the write lock for 0.3 s, then commits; our add_person should wait
    and succeed. With a deferred BEGIN it reads first, and SQLite cannot upgrade a read
    transaction to a write one while another writer holds the lock: it fails at once (SQLITE_BUSY,
    the busy handler is not called), and after the other commits its snapshot is stale anyway."""
    holder = _holder(db_path)
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        ops.people.add_person(store, PersonDraft(name="甲副市长", role=Role.deputy))
    finally:
        release.join()
        holder.close()
    assert store.meta("held-by-another") == "x"
    assert people.find_person(store, "甲副市长")


# ---------------------------------------------------------------- backups cut short

def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the header, destroy the schema page
    path.write_bytes(bytes(data))


def test_被截断的备份不会被当作完好的备份(db_path, clock):
    """What a kill during a backup leaves (a file cut short) is never offered for restore."""
    import datetime as dt

    from desktop.core.clock import FixedClock
    from desktop.store import backups
    from desktop.store.db import backup

    s = open_store(db_path, clock, operator="测试员")
    ops.people.add_person(s, PersonDraft(name="王市长", role=Role.chief))
    good = backup(s, reason="daily")
    later = FixedClock(clock.now() + dt.timedelta(hours=1))
    cut = db.backup_target(db_path, later, "pre-migration")
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 2])  # newer, same name pattern, cut short
    empty = db.backup_target(db_path, FixedClock(clock.now() + dt.timedelta(hours=2)), "daily")
    empty.write_bytes(b"")  # killed before the first page was written
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    assert backups.check_backup(cut) is not None and backups.check_backup(empty) is not None
    assert backups.newest_good(db_path).path == good
    _damage(db_path)
    with pytest.raises(backups.DamagedDatabase) as err:
        open_store(db_path, clock)
    assert err.value.good_backup is not None and err.value.good_backup.path == good
    with pytest.raises(db.StoreError, match="不能用来恢复"):
        ops.backups.restore(db_path, cut, clock)


# (Was an xfail: backups are written under a temporary name and renamed; the daily check skips
# files that are empty or shorter than their header says, desktop/store/backups.looks_complete.)
def test_被打断的每日备份不算作今天已经备份(db_path, clock):
    from desktop.store import backups

    open_store(db_path, clock, operator="测试员").close()  # a new file: no daily backup
    left = db.backup_target(db_path, clock, "daily")
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"")  # what a kill between creating the file and copying into it leaves
    open_store(db_path, clock, operator="测试员").close()
    today = [b for b in backups.list_backups(db_path, check=True) if b.reason == "daily"]
    assert any(b.ok for b in today)
