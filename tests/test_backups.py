"""备份与恢复:每日自动备份与保留份数、检查备份、可撤销的恢复、损坏文件、只读与磁盘已满(真实文件、真实 SQLite)。"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.roles import Role
from desktop.resources import available_profiles
from desktop.store import anchors, audit, backups, db, org, schema
from desktop.store.db import backup, backup_dir
from desktop.store.errors import DatabaseDamaged, DatabaseReadOnly, StoreError
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)


def _names(store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM person ORDER BY id")]


def _new_db(path: Path, clock, *names: str):
    s = open_store(path, clock, operator="测试员")
    ops.org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    for name in names:
        ops.people.add_person(s, PersonDraft(name=name, role=Role.deputy))
    return s


def _damage_middle(path: Path) -> None:
    """Overwrite pages of a real database file (the 100-byte header stays intact): the schema's
    first page after the header, and the page after it. (Not "the middle of the file": which table
    lives there moves with what a database holds, and a read that never touches it sees nothing.)"""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    assert pages >= 4
    data[100:2 * 4096] = b"\xa5" * (2 * 4096 - 100)
    path.write_bytes(bytes(data))


def _step(clock: FixedClock, days: int = 1) -> None:
    clock.moment += dt.timedelta(days=days)


# ---------------------------------------------------------------- backups, daily backup, retention

def test_a_backup_is_one_self_contained_private_file(store, db_path):
    ops.people.add_person(store, PersonDraft(name="李志强", role=Role.deputy))
    target = backup(store)
    assert target.parent == backup_dir(db_path)
    assert target.name == "test-20261121-093000-manual.db"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    assert target.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL: nothing beside it
    assert backups.check_backup(target) is None
    # beside it only its anchor (desktop.store.anchors): the audit chain's head in the copy, private too
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, target.name + ".anchor.json"]
    side = anchors.read(anchors.sidecar_path(target))
    assert side is not None and (side.rows, side.hash) == audit.head(store)
    assert oct(anchors.sidecar_path(target).stat().st_mode & 0o777) == oct(0o600)
    assert backup(store).name == "test-20261121-093000-manual.2.db"  # same second: a second name


def test_the_first_open_of_a_day_takes_the_daily_backup(db_path):
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一").close()
    assert backups.list_backups(db_path) == []  # a new database is not backed up
    open_store(db_path, clock).close()
    open_store(db_path, clock).close()  # the second open of the day: no second backup
    [daily] = backups.list_backups(db_path)
    assert (daily.reason, daily.taken_at, daily.reason_label) == ("daily", NOW, "每日自动")
    _step(clock)
    open_store(db_path, clock).close()
    assert [b.taken_at.date() for b in backups.list_backups(db_path)] == [dt.date(2026, 11, 22), dt.date(2026, 11, 21)]


def test_retention_keeps_the_newest_automatic_backups_and_never_manual_ones(db_path):
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一")
    backup(s)  # manual: never pruned
    removed = ops.backups.set_backup_keep(s, 3).value
    assert removed == [] and backups.backup_keep(s) == 3
    assert audit.history(s, "backup")[0].summary == "自动备份保留份数:30 → 3"
    s.close()
    for _ in range(6):
        _step(clock)
        open_store(db_path, clock).close()
    found = backups.list_backups(db_path)
    daily = [b.taken_at.date() for b in found if b.reason == "daily"]
    assert daily == [dt.date(2026, 11, 27), dt.date(2026, 11, 26), dt.date(2026, 11, 25)]
    assert [b.reason for b in found].count("manual") == 1


def test_the_newest_pre_restore_backup_outlives_the_count(db_path):
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一")
    ops.backups.set_backup_keep(s, 2)
    first = backup(s, reason="daily")
    s.close()
    _step(clock)
    result = ops.backups.restore(db_path, first, clock).value
    for _ in range(4):
        _step(clock)
        open_store(db_path, clock).close()
    reasons = [b.reason for b in backups.list_backups(db_path)]
    assert reasons == ["daily", "daily", "pre-restore"]
    assert result.pre_restore.exists()


def test_a_failed_daily_backup_does_not_stop_the_database_from_opening(db_path, monkeypatch):
    clock = FixedClock(NOW)
    _new_db(db_path, clock).close()

    def full(*_a, **_k):
        raise StoreError("磁盘已满,无法写入备份。")

    monkeypatch.setattr(backups, "backup", full)
    s = open_store(db_path, clock)
    assert s.backup_problem == "今天的自动备份没有完成:磁盘已满,无法写入备份。"
    assert org.get_org(s) is not None
    s.close()


# ---------------------------------------------------------------- checking backups

def test_listing_checks_each_backup_and_ignores_other_files(db_path, tmp_path):
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一", "张二", "刘三")
    good = backup(s, reason="daily")
    _step(clock)
    s.clock = clock
    bad = backup(s)
    s.close()
    _damage_middle(bad)
    (backup_dir(db_path) / "notes.txt").write_text("x", encoding="utf-8")
    (backup_dir(db_path) / "other-20261121-093000-daily.db").write_bytes(good.read_bytes())  # another database's
    listed = backups.list_backups(db_path, check=True)
    assert [(b.path, b.ok) for b in listed] == [(bad, False), (good, True)]
    assert "损坏" in listed[0].problem
    assert listed[1].size == good.stat().st_size
    assert backups.newest_good(db_path).path == good
    assert not any(Path(f"{p}{side}").exists() for p in (good, bad) for side in ("-wal", "-shm"))


def test_a_foreign_or_too_new_backup_is_named_as_such(tmp_path, store):
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    assert backups.check_backup(foreign) == "不是 DutyDesk 的数据库"
    newer = backup(store, tmp_path / "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert "更新版本" in backups.check_backup(newer)
    text = tmp_path / "text.db"
    text.write_text("hello", encoding="utf-8")
    assert backups.check_backup(text) == "文件已损坏或不是数据库"


# ---------------------------------------------------------------- restore

def test_restore_brings_the_backup_back_and_can_itself_be_undone(db_path):
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一")
    saved = backup(s)
    ops.people.add_person(s, PersonDraft(name="张二", role=Role.deputy))
    s.close()
    _step(clock)
    result = ops.backups.restore(db_path, saved, clock, "值班员甲").value
    assert result.pre_restore is not None and result.pre_restore.name == "test-20261122-093000-pre-restore.db"
    s = open_store(db_path, clock)
    assert _names(s) == ["王一"]
    last = audit.history(s)[0]
    assert (last.action, last.entity, last.operator) == ("restore", "restore", "值班员甲")
    assert saved.name in last.summary and result.pre_restore.name in last.summary
    assert audit.verify(s)[1] is None  # the restored file's own chain, with the restore appended
    assert backups.last_restore(s) == (saved, result.pre_restore)
    s.close()
    # Undo: restoring the pre-restore backup returns the state from before the restore.
    _step(clock)
    undo = ops.backups.restore(db_path, result.pre_restore, clock).value
    s = open_store(db_path, clock)
    assert _names(s) == ["王一", "张二"]
    assert audit.verify(s)[1] is None
    assert backups.last_restore(s) == (result.pre_restore, undo.pre_restore)
    s.close()


@pytest.mark.parametrize("kind", ["damaged", "foreign", "too_new"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(db_path, tmp_path, kind):
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一", "张二", "刘三")
    bad = backup(s, tmp_path / "bad.db")
    s.close()
    if kind == "damaged":
        _damage_middle(bad)
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("DROP TABLE meta")
        conn.commit()
        conn.close()
    else:
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"不能用来恢复.*当前数据库没有被改动"):
        ops.backups.restore(db_path, bad, clock)
    assert db_path.read_bytes() == before
    assert not backup_dir(db_path).exists()  # not even a pre-restore backup


def test_restore_into_a_database_another_connection_is_reading(db_path):
    """The backup API writes one transaction into the live file: a reader sees the new data after it."""
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一")
    saved = backup(s)
    ops.people.add_person(s, PersonDraft(name="张二", role=Role.deputy))
    s.close()
    reader = sqlite3.connect(db_path)
    assert reader.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 2
    ops.backups.restore(db_path, saved, clock)
    assert reader.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 1
    reader.close()


def test_restoring_a_damaged_file_never_brings_its_old_log_back(db_path):
    """A damaged file with a -wal beside it: the wal must not be replayed onto the restored file."""
    clock = FixedClock(NOW)
    s = _new_db(db_path, clock, "王一", "张二", "刘三")
    saved = backup(s)
    s.close()
    # A wal with committed frames (a person added) left beside the file, as after a crash.
    writer = sqlite3.connect(db_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO person (name, role, rank, created_at, updated_at) VALUES ('幽灵', 'deputy', 99, 'x', 'x')")
    writer.commit()
    shutil.copyfile(f"{db_path}-wal", db_path.with_name("saved-wal"))
    writer.close()
    _damage_middle(db_path)
    shutil.copyfile(db_path.with_name("saved-wal"), f"{db_path}-wal")
    with pytest.raises(DatabaseDamaged):
        open_store(db_path, clock)
    result = ops.backups.restore(db_path, saved, clock).value
    assert Path(f"{result.pre_restore}-wal").exists()  # the damaged file kept as it was, log included
    s = open_store(db_path, clock)
    assert _names(s) == ["王一", "张二", "刘三"]
    assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    s.close()


# ---------------------------------------------------------------- damaged files at open

def test_a_damaged_file_names_the_newest_good_backup(db_path):
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一", "张二", "刘三").close()
    _step(clock)
    open_store(db_path, clock).close()  # the daily backup of 2026-11-22
    _damage_middle(db_path)
    with pytest.raises(DatabaseDamaged) as caught:
        open_store(db_path, clock)
    exc = caught.value
    assert isinstance(exc, backups.DamagedDatabase)
    assert exc.good_backup is not None and exc.good_backup.reason == "daily"
    assert "已损坏" in str(exc) and "2026-11-22 09:30 的每日自动备份" in str(exc)
    assert "dutydesk restore --latest" in str(exc)
    result = ops.backups.restore_latest(db_path, clock).value
    s = open_store(db_path, clock)
    assert _names(s) == ["王一", "张二", "刘三"]
    assert audit.history(s)[0].action == "restore"
    s.close()
    assert backups.check_backup(result.pre_restore) is not None  # the damaged file, kept


def test_a_destroyed_header_is_damage_when_backups_exist(db_path):
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一").close()
    open_store(db_path, clock).close()  # a daily backup
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"\x00" * 16
    db_path.write_bytes(bytes(data))
    with pytest.raises(backups.DamagedDatabase, match="文件头已损坏") as caught:
        open_store(db_path, clock)
    assert caught.value.good_backup is not None
    ops.backups.restore_latest(db_path, clock)
    s = open_store(db_path, clock)
    assert _names(s) == ["王一"]
    s.close()


def test_a_damaged_file_without_backups_says_what_to_do(db_path):
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一", "张二", "刘三").close()
    _damage_middle(db_path)
    with pytest.raises(backups.DamagedDatabase, match=r"没有完好的备份.*不要删除") as caught:
        open_store(db_path, clock)
    assert caught.value.good_backup is None


# ---------------------------------------------------------------- read-only and full disk

def test_an_unwritable_database_opens_read_only_and_refuses_writes(db_path, monkeypatch):
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一").close()
    monkeypatch.setattr(db, "writable", lambda _path: False)
    s = open_store(db_path, clock)
    assert s.read_only
    assert _names(s) == ["王一"]
    with pytest.raises(DatabaseReadOnly, match="只读"):
        ops.people.add_person(s, PersonDraft(name="张二", role=Role.deputy))
    # the connection itself is read-only too (mode=ro), not only the check in atomic()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        s.conn.execute("DELETE FROM person")
    s.close()
    assert not backup_dir(db_path).exists()  # no daily backup from a read-only open
    monkeypatch.undo()
    s = open_store(db_path, clock)
    assert _names(s) == ["王一"] and not s.read_only
    s.close()


def test_a_read_only_database_that_needs_an_upgrade_is_refused_clearly(db_path, monkeypatch):
    clock = FixedClock(NOW)
    _new_db(db_path, clock).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (schema.MIGRATION_NAMES[-1],))
    monkeypatch.setattr(db, "writable", lambda _path: False)
    with pytest.raises(DatabaseReadOnly, match="需要先升级数据结构"):
        open_store(db_path, clock)


def test_a_full_disk_refuses_the_write_and_keeps_everything_as_it_was(store):
    """SQLite's max_page_count makes it raise "database or disk is full", as on a full disk."""
    ops.people.add_person(store, PersonDraft(name="王一", role=Role.deputy))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    audit_rows = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="磁盘已满") as caught:
        for n in range(2000):
            ops.people.add_person(store, PersonDraft(name=f"人员{n:04d}", role=Role.dept_head, unit="单位" * 50,
                                                 title="职务" * 40))
    assert "Traceback" not in str(caught.value)
    added = store.conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] - 1
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == audit_rows + added  # no half write
    assert audit.verify(store)[1] is None
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    ops.people.add_person(store, PersonDraft(name="赵二", role=Role.deputy))  # the store still works


def _can_mount_read_only() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt && mount -o remount,ro /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="需要 Linux、root 与 unshare/mount(CI 中可用)")
def test_real_read_only_media_opens_read_only_in_the_cli(db_path, tmp_path):
    """A real read-only mount (in a private mount namespace): even root cannot write there."""
    clock = FixedClock(NOW)
    _new_db(db_path, clock, "王一").close()
    media = tmp_path / "media"
    media.mkdir()
    cli = (f"{sys.executable} -c 'import sys; from desktop.cli import main; sys.exit(main(sys.argv[1:]))'")
    script = (f"mount -t tmpfs tmpfs {media} && cp {db_path} {media}/x.db && mount -o remount,ro {media} && "
              f"{cli} people list --json --db {media}/x.db > {tmp_path}/list.out 2> {tmp_path}/list.err; echo $? > {tmp_path}/list.rc; "
              f"{cli} people add 张二 --role deputy --db {media}/x.db > /dev/null 2> {tmp_path}/add.err; echo $? > {tmp_path}/add.rc")
    subprocess.run(["unshare", "-m", "sh", "-c", script], check=True, cwd=Path(__file__).parent.parent,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert (tmp_path / "list.rc").read_text().strip() == "0"
    assert [p["name"] for p in json.loads((tmp_path / "list.out").read_text(encoding="utf-8"))] == ["王一"]
    assert "只读" in (tmp_path / "list.err").read_text(encoding="utf-8")
    assert (tmp_path / "add.rc").read_text().strip() == "2"
    err = (tmp_path / "add.err").read_text(encoding="utf-8")
    assert "只读" in err and "Traceback" not in err


# ---------------------------------------------------------------- the command line

@pytest.fixture
def run(db_path, capsys):
    clock = FixedClock(NOW)

    def _run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    _run.clock = clock
    return _run


def test_cli_backup_list_keep_restore_and_undo(run, db_path):
    assert run("init", "--profile", "xiping")[0] == 0
    assert run("people", "add", "王县长", "--role", "chief")[0] == 0
    code, out, _ = run("backup", "--json")
    assert code == 0
    saved = Path(json.loads(out)["backup"])
    assert saved.parent == backup_dir(db_path)
    run.clock.moment += dt.timedelta(days=1)
    assert run("people", "add", "甲副县长", "--role", "deputy")[0] == 0  # also takes the daily backup
    code, out, _ = run("backup", "--list", "--json")
    listed = json.loads(out)
    assert code == 0 and all(b["ok"] for b in listed["backups"])
    assert sorted((b["taken_at"][:10], b["reason"]) for b in listed["backups"]) == [
        ("2026-11-21", "daily"), ("2026-11-21", "manual"), ("2026-11-22", "daily")]
    code, out, _ = run("backup", "--list")
    assert "每日自动" in out and "完好" in out
    code, out, _ = run("backup", "--keep", "5", "--json")
    assert code == 0 and json.loads(out)["keep"] == 5
    code, out, _ = run("restore", str(saved), "--json")
    result = json.loads(out)
    assert code == 0 and result["source"] == str(saved) and "pre-restore" in result["pre_restore"]
    assert result["undo"].startswith("dutydesk restore")
    code, out, _ = run("people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["王县长"]
    code, out, _ = run("restore", result["pre_restore"])
    assert code == 0 and "要撤销这次恢复" in out
    code, out, _ = run("people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["王县长", "甲副县长"]


def test_cli_restore_latest_repairs_a_damaged_database(run, db_path):
    assert run("init", "--profile", "xiping")[0] == 0
    for n in range(3):
        assert run("people", "add", f"副县长{n}", "--role", "deputy", "--title", "副县长" * 30)[0] == 0
    run.clock.moment += dt.timedelta(days=1)
    # the first write of the day takes the daily backup (of the three; a read takes none)
    assert run("people", "add", "副县长3", "--role", "deputy")[0] == 0
    _damage_middle(db_path)
    code, _, err = run("people", "list")
    assert code == 2 and "已损坏" in err and "restore --latest" in err and "Traceback" not in err
    code, out, _ = run("backup", "--list", "--json")  # works on the damaged database
    assert code == 0 and json.loads(out)["backups"][0]["ok"] is True
    code, out, err = run("restore", "--latest")
    assert code == 0, err
    assert "恢复前的数据已先备份为" in out
    code, out, _ = run("people", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 3


def test_cli_restore_refuses_a_bad_file_with_exit_2(run, tmp_path):
    assert run("init", "--profile", "xiping")[0] == 0
    bad = tmp_path / "bad.db"
    bad.write_text("not a database", encoding="utf-8")
    code, _, err = run("restore", str(bad))
    assert code == 2 and "不能用来恢复" in err
    code, _, err = run("restore")
    assert code == 2 and "参数错误" in err
    code, _, err = run("backup", "--keep", "0")
    assert code == 2 and "1 到 999" in err


def test_cli_on_a_read_only_database_reads_and_refuses_writes(run, monkeypatch):
    assert run("init", "--profile", "xiping")[0] == 0
    monkeypatch.setattr(db, "writable", lambda _path: False)
    code, out, err = run("people", "list", "--json")
    assert code == 0 and json.loads(out) == [] and "只读" in err
    code, _, err = run("people", "add", "王县长", "--role", "chief")
    assert code == 2 and "只读" in err and "Traceback" not in err
