"""The database connection: one SQLite file, WAL, foreign keys, the `Store` handle, and backup copies.

Opening, checking and migrating a file is `desktop.store.opening.open_store`; this module is what
the rest of the store (backups included) builds on. A file or folder that cannot be written
(`writable`, or SQLite saying so) is connected read-only (`Store.read_only`: every write is refused
with a Chinese message).
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.clock import Clock
from desktop.store import anchors, private
from desktop.store.errors import (
    DatabaseReadOnly,
    StoreError,
    cannot_open,
    is_full,
    is_read_only,
    primary_code,
    translate,
)

if TYPE_CHECKING:
    import sqlite_utils

    from desktop.store.location import ServerUrl

BUSY_TIMEOUT_S = 5.0
BACKUP_DIR = "backups"


def default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, odd environment)
        return "未知操作员"


@dataclass
class Store:
    """An open database with the clock and operator every write is stamped with.

    The queries use the sqlite3 connection itself; `db`, the sqlite-utils view of it (migrations,
    table helpers), is made when first asked for, so a command that only reads never imports
    sqlite-utils (bench/RESULTS.md: about a third of a read-only command's start)."""

    conn: sqlite3.Connection
    path: Path | None
    clock: Clock
    operator: str = field(default_factory=default_operator)
    role: str | None = None  # the signed-in operator's role (desktop.store.operators); None: not signed in
    #: Opened read-only (read-only media, no write permission): every write is refused.
    read_only: bool = False
    #: Opened read-only because the disk is full (`read_only` is True too): writes say so.
    disk_full: bool = False
    #: Why the automatic daily backup at open failed (disk full…), for the window to show; None if fine.
    backup_problem: str | None = None
    #: Why the audit anchor (desktop.store.anchors) was not written at the last save; None if fine.
    anchor_problem: str | None = None
    #: The file changed outside the program since its last clean close (a Chinese message); None if not.
    changed_outside: str | None = None
    #: Write the file's checksum at close (desktop.store.anchors.write_close_record): opened with the
    #: integrity check, or something was written.
    seal_at_close: bool = field(default=False, repr=False, compare=False)
    _unsealed: bool = field(default=False, repr=False, compare=False)
    #: The audit log's key (desktop.store.auditkey.Key) once a signed row needed it; why it could not be kept.
    audit_key: Any = field(default=None, repr=False, compare=False)
    key_problem: str | None = field(default=None, repr=False, compare=False)
    #: The temporary triggers noting which audited records a transaction writes (desktop.store.images).
    tracking: bool = field(default=False, repr=False, compare=False)
    #: Server mode: the PostgreSQL database (desktop.store.server); `conn` is then its ServerConnection.
    url: ServerUrl | None = None
    #: This connection among the seats of a server: its own published changes come back to it, and are skipped.
    seat: str = field(default_factory=lambda: os.urandom(6).hex(), compare=False)
    _db: sqlite_utils.Database | None = field(default=None, repr=False, compare=False)
    _savepoints: int = field(default=0, repr=False, compare=False)

    @property
    def server(self) -> bool:
        return self.url is not None

    @property
    def location(self) -> Path | ServerUrl | None:
        """What `desktop.store.opening.open_store` opens this database again from (a second connection)."""
        return self.url if self.url is not None else self.path

    @property
    def where(self) -> str:
        """The database as the user names it: the file, the server address, or 内存数据库."""
        if self.url is not None:
            return str(self.url)
        return str(self.path) if self.path is not None else "内存数据库"

    @property
    def db(self) -> sqlite_utils.Database:
        if self.url is not None:
            raise StoreError("服务器数据库不能用 SQLite 的工具打开。")  # a bug if reached
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()
        if self.seal_at_close and self.path is not None and not self.read_only:
            self._write_close_record()

    def _write_close_record(self) -> None:
        """The checksum of a cleanly closed file, compared at the next open (desktop.store.opening).
        Only when this was the last connection (SQLite then folds the -wal into the file and
        deletes it): with a colleague still working the file goes on changing."""
        assert self.path is not None
        if Path(f"{self.path}-wal").exists() or not self.path.exists():
            return
        with contextlib.suppress(OSError):
            anchors.write_close_record(self.path, self.clock.now().isoformat(timespec="seconds"))

    def unseal(self) -> None:
        """About to write: the checksum of the last close no longer describes the file (a crash from
        here on must not look like a change made outside the program)."""
        if self.path is not None and not self._unsealed:
            self._unsealed = self.seal_at_close = True
            with contextlib.suppress(OSError):
                anchors.close_record_path(self.path).unlink(missing_ok=True)

    @contextlib.contextmanager
    def _savepoint(self):
        self._savepoints += 1
        name = f"dutydesk_{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._savepoints -= 1
        self.conn.execute(f"RELEASE {name}")

    @contextlib.contextmanager
    def atomic(self):
        """One transaction; environment errors come out as StoreError with a Chinese message.

        The outermost one is BEGIN IMMEDIATE: it takes the write lock first, so a colleague's short
        write is waited for (busy timeout) instead of failing a read-then-write at once; nested ones
        are savepoints."""
        if self.read_only:
            raise DatabaseReadOnly(disk_full_message(self.path) if self.disk_full else read_only_message(self.path))
        self.unseal()
        try:
            if self.conn.in_transaction:
                with self._savepoint():
                    yield self
            else:
                if self.url is None:
                    self.conn.execute("BEGIN IMMEDIATE")
                else:
                    from desktop.store.server import WRITE_LOCK

                    self.conn.execute("BEGIN")
                    self.conn.execute(WRITE_LOCK)
                try:
                    yield self
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            mapped = translate(exc, self.path or ":memory:")
            if mapped is None:
                raise
            raise mapped from exc
        except Exception as exc:
            if self.url is None:
                raise
            from desktop.store.server import translate_server

            mapped = translate_server(exc, self.url)
            if mapped is None:
                raise
            raise mapped from exc

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default


def insert_id(store: Store, sql: str, params) -> int:
    """Run an INSERT of one row and return its id (``RETURNING id``: SQLite 3.35+ and PostgreSQL both
    take it; PostgreSQL has no lastrowid)."""
    return store.conn.execute(sql + " RETURNING id", params).fetchall()[0][0]


def writable(path: Path) -> bool:
    """Can the database file and its folder (where SQLite keeps the -wal and -shm files) be written?

    The probe behind read-only opening; tests replace it (CI runs as root, whom permission bits do
    not stop; a read-only mount stops even root, and os.access says so).
    """
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


def read_only_message(path: Path | None) -> str:
    return (f"数据库文件 {path} 是只读打开的(文件或所在文件夹不可写,例如光盘、只读U盘或没有写入权限),"
            "可以查看但不能保存修改。请把它复制到可写的位置后再打开,或检查文件夹的写入权限。")


def disk_full_message(path: Path | None) -> str:
    return (f"磁盘已满:数据库文件 {path} 所在的磁盘没有剩余空间,数据库以只读方式打开,可以查看但不能保存修改。"
            "没有改动任何内容;请清理磁盘空间(删除不需要的文件或旧的导出文件)后再修改。")


#: Below this much free space a failed open is taken for a full disk (SQLite needs 32 KiB for its -shm file).
FULL_BELOW = 1 << 20


def disk_is_full(path: Path, exc: sqlite3.Error | None = None) -> bool:
    """Did `exc` (SQLITE_FULL, or the I/O error SQLite gives when its -shm file cannot grow) come
    from a full disk? Without `exc`: is the disk holding `path` (nearly) full?"""
    if exc is not None and primary_code(exc) not in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        return False
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW
    except OSError:
        return False


def os_error(exc: OSError, path: Path) -> StoreError:
    """A file-system error while writing `path` as a StoreError with a Chinese message."""
    if exc.errno == errno.ENOSPC:
        return StoreError(f"磁盘已满,无法写入 {path}。没有保存任何内容;请清理磁盘空间后重试。")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DatabaseReadOnly(f"无法写入 {path}:该位置只读或没有写入权限。请换一个可写的位置。")
    return StoreError(f"无法写入 {path}:{exc.strerror}。请检查路径和磁盘。")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro; on read-only media a WAL file without its -shm cannot be opened so, then immutable=1
    (nobody can be writing a file on read-only media)."""
    base = path.resolve().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(base + query, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            conn.close()
            if cannot_open(exc) and "immutable" not in query:
                continue
            raise
        return conn
    raise AssertionError("unreachable")


def connect(path: Path | None) -> tuple[sqlite3.Connection, bool, bool]:
    """The connection, whether it is read-only, and whether that is because the disk is full
    (desktop.store.opening.open_store checks the file first).

    On a full disk SQLite cannot even set up WAL (its -shm file cannot grow): the file is read
    read-only instead, so reading works and every write says the disk is full. A -wal file still
    holding saved changes cannot be read so: that is refused with the same message."""
    read_only = full = False
    if path is None:
        conn = sqlite3.connect(":memory:", timeout=BUSY_TIMEOUT_S)
    else:
        if not path.parent.is_dir():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise os_error(exc, path.parent) from exc
        if not path.exists():
            if not writable(path):
                raise DatabaseReadOnly(f"无法在 {path.parent} 新建数据库:该位置只读或没有写入权限。请换一个可写的位置。")
            # Created readable by the user only: where leaders are is sensitive.
            try:
                fd = private.open_private(path, os.O_WRONLY)
            except OSError as exc:
                raise os_error(exc, path) from exc
            os.close(fd)
        read_only = not writable(path)
        if read_only:
            conn = _connect_read_only(path)
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:  # SQLite says read-only where the probe did not
                conn.close()
                if disk_is_full(path, exc):
                    conn, read_only, full = _connect_when_full(path), True, True
                elif not is_read_only(exc):
                    raise
                else:
                    conn, read_only = _connect_read_only(path), True
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if path is not None and not read_only:
        # FULL: a save the user saw succeed survives a power cut, not only a killed process (NORMAL
        # may lose the last commits then). bench/bench_crash.py: 3.3 ms per audited save instead of
        # 0.14 ms; nobody notices on a save, and imports and plans are one transaction each.
        conn.execute("PRAGMA synchronous = FULL")
    return conn, read_only, full


def _connect_when_full(path: Path) -> sqlite3.Connection:
    wal = Path(f"{path}-wal")
    try:
        pending = wal.exists() and wal.stat().st_size > 0
    except OSError:
        pending = True
    if pending:
        raise StoreError(f"磁盘已满,无法打开数据库文件 {path}:它的日志文件 {wal.name} 中还有已保存的修改,需要磁盘空间才能读出。"
                         "没有改动任何内容;请清理磁盘空间后再打开。")
    try:
        # mode=ro still needs to grow the -shm file; with no saved change pending in the -wal,
        # immutable=1 reads the file as it is (nobody can be writing: there is no space to).
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        raise StoreError(f"磁盘已满,无法打开数据库文件 {path}。没有改动任何内容;请清理磁盘空间后再打开。") from exc


SQLITE_HEADER = b"SQLite format 3\x00"


def backup_dir(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def backup_target(path: Path, clock: Clock, reason: str) -> Path:
    """backups/<stem>-<YYYYmmdd-HHMMSS>-<reason>.db, or <...>.2.db if that name is taken."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    folder, base = backup_dir(path), f"{path.stem}-{stamp}-{reason}"
    target, n = folder / f"{base}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{base}.{n}.db"
    return target


def backup(store: Store, target: Path | None = None, *, reason: str = "manual") -> Path:
    """Copy the whole database (consistent, even while in use) with SQLite's backup API.

    Without a target: backups/<stem>-<YYYYmmdd-HHMMSS>-<reason>.db beside the database (".2" before
    ".db" if that name is taken). The copy is one self-contained file (rollback journal, no -wal),
    readable by the user only; an incomplete copy (disk full) is removed.
    """
    if store.path is None and target is None:
        raise StoreError("内存数据库没有文件,无法备份。")
    if target is None:
        assert store.path is not None
        target = backup_target(store.path, store.clock, reason)
    else:
        try:
            taken = target.exists()
        except OSError as exc:  # a name the file system refuses (too long …)
            raise os_error(exc, target) from exc
        if taken:
            raise StoreError(f"备份文件 {target} 已存在,请换一个文件名。")
    partial = target.with_name(f".{target.name}.partial")  # renamed when complete: a kill leaves no half backup
    try:
        private.private_folder(target.parent)  # the backups folder: the user's only
        partial.unlink(missing_ok=True)
        fd = private.open_private(partial, os.O_EXCL | os.O_WRONLY)
        os.close(fd)
    except OSError as exc:
        raise os_error(exc, target) from exc
    dest = sqlite3.connect(str(partial))
    try:
        store.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.close()
        with partial.open("rb+") as fh:  # on disk before it gets its real name
            os.fsync(fh.fileno())
        if target.exists():
            raise StoreError(f"备份文件 {target} 已存在,请换一个文件名。")
        os.replace(partial, target)
        with contextlib.suppress(OSError, sqlite3.Error):  # a backup without its anchor is still a backup
            copy = sqlite3.connect(target.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
            try:
                anchors.write_sidecar(target, copy, store.clock.now().isoformat(timespec="seconds"))
            finally:
                copy.close()
    except (sqlite3.Error, OSError, StoreError) as exc:
        dest.close()
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(exc, StoreError):
            raise
        if isinstance(exc, OSError):
            raise os_error(exc, target) from exc
        if is_full(exc):
            raise StoreError(f"磁盘已满,无法写入备份 {target}。已删除不完整的备份文件;请清理磁盘空间后重试。") from exc
        mapped = translate(exc, target)
        if mapped is None:
            raise
        raise mapped from exc
    return target
