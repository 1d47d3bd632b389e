"""Opening the database: one SQLite file, WAL, foreign keys, versioned schema, backups.

The schema lives in `desktop.store.schema` as sqlite-utils Migrations. Opening a file
that a newer DutyDesk wrote is refused (qutebrowser's UserVersion idea); a file with
pending migrations is backed up first.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from desktop.core.clock import Clock
from desktop.store import schema
from desktop.store.errors import DatabaseDamaged, DatabaseTooNew, StoreError, translate

BUSY_TIMEOUT_S = 5.0
BACKUP_DIR = "backups"


def default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, odd environment)
        return "未知操作员"


@dataclass
class Store:
    """An open database with the clock and operator every write is stamped with."""

    db: sqlite_utils.Database
    path: Path | None
    clock: Clock
    operator: str = field(default_factory=default_operator)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def atomic(self):
        """One transaction; environment errors come out as StoreError with a Chinese message."""
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.Error as exc:
            mapped = translate(exc, self.path or ":memory:")
            if mapped is None:
                raise
            raise mapped from exc

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is None:
        conn = sqlite3.connect(":memory:", timeout=BUSY_TIMEOUT_S)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_foreign_file(path)
        if not path.exists():
            # Created readable by the user only: where leaders are is sensitive.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


SQLITE_HEADER = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """Never turn someone's document into a database: a non-empty file must be SQLite already.

    (SQLite itself accepts a short text file and would write its pages over it.)
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"无法读取 {path}:{exc.strerror}。请检查路径和访问权限。") from exc
    if head and head != SQLITE_HEADER:
        raise DatabaseDamaged(f"文件 {path} 不是 DutyDesk 的数据库(也不是 SQLite 数据库),为避免覆盖它,程序没有打开。"
                              "请用 --db 指定正确的数据库文件,或换一个新文件名来新建数据库。")


def open_store(path: Path | None, clock: Clock, operator: str | None = None, *, migrate: bool = True) -> Store:
    """Open (creating if needed) and migrate the database at `path` (None: in memory)."""
    where = path or ":memory:"
    try:
        conn = _connect(path)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        store = Store(db=db, path=path, clock=clock, operator=operator or default_operator())
        check_version(store)
        if migrate:
            pending = schema.MIGRATIONS.pending(db)
            if pending and path is not None and schema.MIGRATIONS.applied(db):
                backup(store, reason="pre-migration")
            schema.MIGRATIONS.apply(db)
            with db.ensure_autocommit_on():
                conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        mapped = translate(exc, where)
        if mapped is None:
            raise
        raise mapped from exc
    return store


def check_version(store: Store) -> None:
    conn = store.conn
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    known = set(schema.MIGRATION_NAMES)
    applied = {m.name for m in schema.MIGRATIONS.applied(store.db)}
    unknown = sorted(applied - known)
    if user_version > schema.SCHEMA_VERSION or unknown:
        raise DatabaseTooNew(
            f"数据库文件 {store.path} 由更新版本的 DutyDesk 创建(数据结构版本 {user_version},"
            f"本程序支持到 {schema.SCHEMA_VERSION})。请升级 DutyDesk 后再打开;为避免损坏数据,本程序不会修改它。"
        )


def backup_dir(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def backup(store: Store, target: Path | None = None, *, reason: str = "manual") -> Path:
    """Copy the whole database (consistent, even while in use) with SQLite's backup API."""
    if store.path is None and target is None:
        raise StoreError("内存数据库没有文件,无法备份。")
    if target is None:
        assert store.path is not None
        stamp = store.clock.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir(store.path) / f"{store.path.stem}-{stamp}-{reason}.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise StoreError(f"备份文件 {target} 已存在,请换一个文件名。")
    fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    dest = sqlite3.connect(str(target))
    try:
        store.conn.backup(dest)
    finally:
        dest.close()
    return target
