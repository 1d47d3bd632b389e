"""Backups of one database: listing, checking, the automatic daily backup, retention and restore.

Where: ``backups/`` beside the database, named ``<stem>-<YYYYmmdd-HHMMSS>-<reason>.db`` (desktop.store.db
.backup). Reasons: ``daily`` (the first open of a day), ``pre-migration`` (before a schema upgrade),
``pre-restore`` (the state just before a restore, so every restore can be undone), ``manual``.

Retention (the number lives in the database's ``meta`` table, key ``backup_keep``, default 30, so the
GUI and the command line agree and it travels with the file): the automatic backups (daily,
pre-migration, pre-restore) are counted together and the newest N are kept; besides those, the newest
pre-restore and the newest pre-migration backup are always kept (the last restore and the last upgrade
can always be undone). Manual backups are never deleted automatically, nor are files in the folder
that do not follow the naming pattern.

Checking a backup: opened read-only and immutable (nothing is written beside it), ``PRAGMA
integrity_check`` (``quick_check`` for the listing), it must have DutyDesk's ``meta`` and migrations
tables and a schema version this DutyDesk knows.

Restore: the backup is checked first; then the current file is backed up (``pre-restore``: through
SQLite's backup API if it is healthy, as a plain file copy if it is damaged); then the contents are
replaced in one transaction with the backup API into the live file (a healthy file: other readers
see the old or the new database, never a mix, and SQLite keeps the -wal consistent), or, for a damaged
file, by writing a new file beside it, removing the old -wal/-shm (so no old page comes back) and
``os.replace``. Finally (desktop.ops.backups.restore) an audit row ``restore`` is appended to the restored file's own
hash chain (which stays valid: the restored file carries the chain as it was when the backup was taken).

A repository: backing up by hand, the number kept and restoring are operations in desktop.ops.backups
(the 备份或恢复 permission at their entry).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.core.clock import Clock
from desktop.store import anchors, private, schema
from desktop.store.db import (
    BUSY_TIMEOUT_S,
    SQLITE_HEADER,
    Store,
    backup,
    backup_dir,
    backup_target,
    default_operator,
    os_error,
    writable,
)
from desktop.store.errors import DatabaseDamaged, DatabaseReadOnly, StoreError, is_read_only, translate

KEEP_KEY = "backup_keep"
DEFAULT_KEEP = 30
MAX_KEEP = 999
REASON_LABELS = {"daily": "每日自动", "pre-migration": "升级前", "pre-restore": "恢复前", "manual": "手动"}
AUTOMATIC = ("daily", "pre-migration", "pre-restore")

_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z]+(?:-[a-z]+)*)(?:\.(?P<n>\d+))?\.db")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    checked: bool = False
    problem: str | None = None  # why it cannot be restored (when checked); None: good

    @property
    def ok(self) -> bool | None:
        return (self.problem is None) if self.checked else None

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    def describe(self) -> str:
        """“2026-11-21 09:30 的每日自动备份”."""
        return f"{self.taken_at:%Y-%m-%d %H:%M} 的{self.reason_label}备份"

    def as_json(self) -> dict:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(), "reason": self.reason,
                "size": self.size, "ok": self.ok, "problem": self.problem}


def list_backups(db_path: Path, *, check: bool = False) -> list[BackupInfo]:
    """This database's backups in its backups folder, newest first (check: quick_check each one)."""
    folder = backup_dir(db_path)
    prefix = f"{db_path.stem}-"
    found: list[tuple[dt.datetime, int, str, BackupInfo]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        m = _NAME.fullmatch(entry.name[len(prefix):])
        if m is None:
            continue
        try:
            taken = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        problem = check_backup(entry, thorough=False) if check else None
        info = BackupInfo(entry, taken, m["reason"], size, checked=check, problem=problem)
        found.append((taken, int(m["n"] or 1), entry.name, info))
    found.sort(key=lambda t: t[:3], reverse=True)
    return [t[3] for t in found]


def _open_backup(path: Path) -> sqlite3.Connection:
    """Read-only and immutable: a backup is never written, and no -wal/-shm appears beside it."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)


def check_backup(path: Path, *, thorough: bool = True) -> str | None:
    """Why this file cannot be restored (Chinese), or None if it is a good DutyDesk database.

    thorough: PRAGMA integrity_check (before a restore); otherwise quick_check (for a listing)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"无法读取({exc.strerror})"
    if head != SQLITE_HEADER:
        return "文件已损坏或不是数据库"
    try:
        conn = _open_backup(path)
    except sqlite3.Error as exc:
        return f"无法打开({exc})"
    try:
        rows = conn.execute("PRAGMA integrity_check" if thorough else "PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            return "文件已损坏(完整性检查未通过)"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "audit", schema.MIGRATIONS_TABLE} <= tables:
            return "不是 DutyDesk 的数据库"
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in conn.execute(f"SELECT name FROM {schema.MIGRATIONS_TABLE} "
                                            "WHERE migration_set = ?", (schema.MIGRATION_SET,))}
        if version > schema.SCHEMA_VERSION or names - set(schema.MIGRATION_NAMES):
            return f"由更新版本的 DutyDesk 创建(数据结构版本 {version},本程序支持到 {schema.SCHEMA_VERSION}),请先升级 DutyDesk"
    except sqlite3.DatabaseError as exc:
        return f"文件已损坏({exc})"
    finally:
        conn.close()
    if thorough:
        recorded = anchors.recorded_digest(path)
        try:
            if recorded is not None and anchors.file_digest(path) != recorded:
                return "备份文件在程序之外被修改过(与备份时记下的校验和不同)"
        except OSError as exc:
            return f"无法读取({exc.strerror})"
    return None


def looks_complete(path: Path) -> bool:
    """A cheap check (no page read): the SQLite header is there and the file is as long as it says.
    (An empty or cut-short file, from an older version killed mid-backup, does not count.)"""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or head[:16] != SQLITE_HEADER:
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    return pages > 0 and size >= page_size * pages


def newest_good(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes the thorough check (checking from the newest down)."""
    for info in list_backups(db_path):
        problem = check_backup(info.path, thorough=True)
        if problem is None:
            return BackupInfo(info.path, info.taken_at, info.reason, info.size, checked=True)
    return None


# ---------------------------------------------------------------- a damaged database at open

class DamagedDatabase(DatabaseDamaged):
    """The database file is damaged; `good_backup` is the newest backup that can replace it (or None)."""

    def __init__(self, message: str, db_path: Path, detail: str, good_backup: BackupInfo | None):
        super().__init__(message)
        self.db_path = db_path
        self.detail = detail
        self.good_backup = good_backup


def damaged_error(db_path: Path, detail: str) -> DamagedDatabase:
    good = newest_good(db_path)
    text = f"数据库文件 {db_path} 已损坏,无法打开(SQLite 报告:{detail})。"
    if good is not None:
        text += (f"最新的完好备份是 {good.describe()}({good.path.name})。可以在图形界面中直接恢复它,"
                 f"或运行:dutydesk restore --latest --db \"{db_path}\"。恢复前会先把损坏的文件另存到备份文件夹,不会丢失。")
    else:
        text += (f"备份文件夹 {backup_dir(db_path)} 中没有完好的备份。请不要删除这个文件,"
                 "把它复制一份交给维护人员;如有其他位置的备份,可用 dutydesk restore 备份文件 恢复。")
    return DamagedDatabase(text, db_path, detail, good)


# ---------------------------------------------------------------- retention and the daily backup

def backup_keep(store: Store) -> int:
    try:
        value = int(store.meta(KEEP_KEY) or DEFAULT_KEEP)
    except (ValueError, sqlite3.Error):
        return DEFAULT_KEEP
    return value if 1 <= value <= MAX_KEEP else DEFAULT_KEEP


def write_keep(store: Store, keep: int) -> None:
    store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       (KEEP_KEY, str(keep)))


def prune(db_path: Path, keep: int) -> list[Path]:
    """Apply the retention rule (module docstring); returns the files removed."""
    automatic = [b for b in list_backups(db_path) if b.reason in AUTOMATIC]
    kept = {b.path for b in automatic[:keep]}
    for reason in ("pre-restore", "pre-migration"):
        newest = next((b for b in automatic if b.reason == reason and looks_complete(b.path)), None)
        if newest is not None:
            kept.add(newest.path)
    removed = []
    for b in automatic:
        if b.path in kept:
            continue
        try:
            b.path.unlink()
            for side in ("-wal", "-shm", "-journal", anchors.SUFFIX):
                Path(f"{b.path}{side}").unlink(missing_ok=True)
        except OSError:
            continue  # tried again at the next prune
        removed.append(b.path)
    return removed


def daily_backup(store: Store) -> str | None:
    """The first open of a day (store.clock) backs up the database and prunes; returns why it failed, or None.

    A failed daily backup never stops the database from opening: the window shows the reason."""
    assert store.path is not None
    today = store.clock.today()
    if any(b.reason == "daily" and b.taken_at.date() == today and looks_complete(b.path)
           for b in list_backups(store.path)):
        return None
    try:
        backup(store, reason="daily")
        prune(store.path, backup_keep(store))
    except StoreError as exc:
        return f"今天的自动备份没有完成:{exc}"
    except (OSError, sqlite3.Error) as exc:
        return f"今天的自动备份没有完成:{exc}"
    return None


# ---------------------------------------------------------------- restore

@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    source: Path
    pre_restore: Path | None  # the state before the restore; restoring it undoes the restore

    def undo_hint(self) -> str:
        if self.pre_restore is None:
            return "恢复前数据库文件不存在,无需撤销。"
        return f"恢复前的数据已备份为 {self.pre_restore};要撤销这次恢复,恢复这个备份即可(dutydesk restore \"{self.pre_restore}\")。"


def healthy(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        # Read-only: a read-write connection's close would checkpoint the -wal into a damaged file
        # (and delete it) before the pre-restore copy keeps them as they were.
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False


def _pre_restore_copy(db_path: Path, clock: Clock, healthy: bool) -> Path:
    if healthy:
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
        try:
            store = Store(conn=conn, path=db_path, clock=clock)
            return backup(store, reason="pre-restore")
        finally:
            conn.close()
    # Damaged: keep the bytes as they are (with the -wal SQLite would read with them).
    target = backup_target(db_path, clock, "pre-restore")
    try:
        private.private_folder(target.parent)  # the backups folder: the user's only
        os.close(private.open_private(target, os.O_EXCL | os.O_WRONLY))
        shutil.copyfile(db_path, target)  # into the private file: copyfile keeps its permissions
        wal = Path(f"{db_path}-wal")
        if wal.exists() and wal.stat().st_size:
            os.close(private.open_private(f"{target}-wal", os.O_TRUNC | os.O_WRONLY))
            shutil.copyfile(wal, f"{target}-wal")
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink()


        raise os_error(exc, target) from exc
    return target


def _restore_into_live(db_path: Path, source: Path) -> None:
    """One write transaction on the live file: every other connection sees old or new, never a mix."""
    src = _open_backup(source)
    dest = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
    try:
        dest.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        src.backup(dest)
        dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dest.close()
        src.close()


def _replace_file(db_path: Path, source: Path) -> None:
    """For a damaged file: a new file beside it, the old -wal/-shm removed, then os.replace."""
    tmp = db_path.with_name(f".{db_path.name}.restoring")
    for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    os.close(private.open_private(tmp, os.O_WRONLY))
    src = _open_backup(source)
    dest = sqlite3.connect(str(tmp))
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        dest.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    dest.close()
    for side in ("-wal", "-shm"):  # the damaged file's log would be replayed onto the new file
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    os.replace(tmp, db_path)


def replace_database(db_path: Path, source: Path, clock: Clock) -> Path | None:
    """Replace the database at `db_path` with the backup `source`, reversibly (module docstring);
    returns the pre-restore backup (None: there was no database file).

    The file work of a restore: the operation desktop.ops.backups.restore checks the permission
    first and appends the audit row to the restored file afterwards. The database must not be open
    in this process (close the Store first, reopen afterwards)."""
    from desktop.store.db import os_error

    source = Path(source)
    if not source.is_file():
        raise StoreError(f"找不到备份文件 {source}。")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise StoreError("不能用数据库文件自己来恢复它自己,请选择备份文件夹中的一个备份。")
    problem = check_backup(source, thorough=True)
    if problem is not None:
        raise StoreError(f"备份文件 {source} 不能用来恢复:{problem}。当前数据库没有被改动。")
    exists = db_path.exists() and db_path.stat().st_size > 0
    if not db_path.parent.is_dir():
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, db_path.parent) from exc
    if not writable(db_path):
        raise DatabaseReadOnly(f"数据库文件 {db_path} 所在的位置只读或没有写入权限,无法恢复。请把备份复制到可写的位置再打开。")
    with contextlib.suppress(OSError):  # the file is about to change: its last close's checksum goes
        anchors.close_record_path(db_path).unlink(missing_ok=True)
    is_healthy = exists and healthy(db_path)
    pre = _pre_restore_copy(db_path, clock, is_healthy) if exists else None
    try:
        if is_healthy:
            try:
                _restore_into_live(db_path, source)
            except sqlite3.OperationalError as exc:
                if not is_read_only(exc):  # page sizes differ in WAL mode: replace the file
                    raise
                _replace_file(db_path, source)
        else:
            _replace_file(db_path, source)
    except sqlite3.Error as exc:
        failed = restore_failed(exc, db_path, pre)
        if failed is exc:
            raise
        raise failed from exc
    except OSError as exc:
        raise os_error(exc, db_path) from exc
    return pre


def restore_failed(exc: sqlite3.Error, db_path: Path, pre: Path | None) -> BaseException:
    """A restore that SQLite stopped, as a Chinese StoreError naming the pre-restore backup."""

    mapped = translate(exc, db_path)
    if mapped is None:
        return exc
    return StoreError(f"恢复没有完成:{mapped}" + (f" 恢复前的数据已备份为 {pre}。" if pre else ""))


def connect_file(db_path: Path, clock: Clock, operator: str | None = None, role: str | None = None) -> Store:
    """A plain Store on the file (no checks, no migrations, no daily backup): for a restore's own
    checks and its audit row, while the application has the database closed."""
    conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    return Store(conn=conn, path=db_path, clock=clock,
                 operator=operator or default_operator(), role=role)


def restore_summary(source: Path, pre: Path | None) -> tuple:
    """The audit row of a restore: (action, entity, id, summary, before, after)."""
    summary = f"从备份 {source.name} 恢复数据库" + (f";恢复前的数据已备份为 {pre.name}" if pre else "")
    return ("restore", "restore", None, summary, {"pre_restore": str(pre) if pre else None}, {"source": str(source)})


def last_restore(store: Store) -> tuple[Path, Path] | None:
    """(source, pre-restore backup) of the restore that produced this database, if its backup still exists."""
    try:
        row = store.conn.execute("SELECT before, after FROM audit WHERE action = 'restore' AND entity = 'restore'"
                                 " ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        pre = json.loads(row[0] or "{}").get("pre_restore")
        source = json.loads(row[1] or "{}").get("source")
    except (ValueError, AttributeError):
        return None
    if not pre or not Path(pre).is_file():
        return None
    return Path(source or ""), Path(pre)


# ---------------------------------------------------------------- reading a backup as a store

def open_backup_store(path: Path, clock: Clock) -> Store:
    """A backup as a read-only Store (immutable: nothing is written, no -wal appears beside it), for
    `audit verify` on a backup (desktop.store.audit_check.matching_backup). Close it when done."""
    return Store(conn=_open_backup(path), path=path, clock=clock, read_only=True)
