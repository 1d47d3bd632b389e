"""Opening a database file: refuse a foreign file, connect, check, migrate, and the daily backup.

The schema lives in `desktop.store.schema` as sqlite-utils Migrations. Opening a file that a newer
DutyDesk wrote is refused (qutebrowser's UserVersion idea); a file with pending migrations is backed
up first. The GUI's open and every command that writes run `PRAGMA quick_check` (a damaged file
raises DatabaseDamaged naming the newest good backup, see desktop.store.backups) and take the
automatic daily backup on the first open of a day; a command that only reads asks for neither
(``check=False, daily_backup=False``): it must answer at once, even on a 44 MB database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from desktop.core.clock import Clock
from desktop.store import anchors, backups, private, schema
from desktop.store.db import SQLITE_HEADER, Store, backup, connect, default_operator, disk_is_full
from desktop.store.errors import DatabaseDamaged, DatabaseReadOnly, DatabaseTooNew, StoreError, translate
from desktop.store.location import Location, ServerUrl, network_refusal, network_share, parse_location


def open_store(location: Location | str | None, clock: Clock, operator: str | None = None, *, migrate: bool = True,
               daily_backup: bool = True, check: bool = True) -> Store:
    """Open (creating if needed), check and migrate the database at `location` (None: in memory).

    A ``postgresql://`` address opens the server database (`open_server`). A file on a network
    share is refused (desktop.store.location). A damaged file raises DatabaseDamaged
    (desktop.store.backups.DamagedDatabase, naming the newest good backup); a file that cannot be
    written opens read-only (`Store.read_only`). ``check``: run `PRAGMA quick_check` first;
    ``daily_backup``: take the day's automatic backup.
    """
    if location is not None:
        location = parse_location(location)
    if isinstance(location, ServerUrl):
        return open_server(location, clock, operator, migrate=migrate)
    path = location
    where = path or ":memory:"
    conn = None
    try:
        if path is not None:
            share = network_share(path)
            if share is not None:
                raise StoreError(network_refusal(path, share))
            _refuse_foreign_file(path)
        outside = _changed_since_close(path) if path is not None and check else None
        checked = path is not None and check and _check_before_connecting(path)
        conn, read_only, full = connect(path)
        if path is not None and check and not checked:
            _check_integrity(conn, path)
        store = Store(conn=conn, path=path, clock=clock, operator=operator or default_operator(), read_only=read_only,
                      disk_full=full, changed_outside=outside, seal_at_close=check and not read_only)
        applied = schema.applied_names(conn)
        check_version(store, applied)
        fresh = not applied
        if migrate and set(schema.MIGRATION_NAMES) - set(applied):
            if full:
                raise StoreError(f"磁盘已满:数据库文件 {path} 需要先升级数据结构才能由本版本使用,磁盘上没有空间。"
                                 "没有改动任何内容;请清理磁盘空间后再打开。")
            if read_only:
                raise DatabaseReadOnly(f"数据库文件 {path} 需要先升级数据结构才能由本版本使用,但它是只读的"
                                       "(文件或所在文件夹不可写)。请把它复制到可写的位置后再打开。")
            if path is not None and not fresh:
                backup(store, reason="pre-migration")
            store.unseal()
            schema.MIGRATIONS.apply(store.db)
        if migrate and not read_only and conn.execute("PRAGMA user_version").fetchone()[0] != schema.SCHEMA_VERSION:
            # Outside the `pending` branch: a run killed after the last migration but before this
            # line left every migration applied and the old number (bench/bench_crash.py found it).
            store.unseal()
            with store.db.ensure_autocommit_on():
                conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        if daily_backup and path is not None and not read_only and not fresh:
            store.backup_problem = backups.daily_backup(store)
        if path is not None and not read_only:
            # SQLite makes them anew at each first open. On POSIX they take the database file's mode;
            # on Windows they would take the folder's permissions: the user's only, like the file.
            for side in ("-wal", "-shm"):
                private.make_private(f"{path}{side}")
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        mapped = translate(exc, where)
        if mapped is None:
            raise
        if isinstance(mapped, DatabaseDamaged) and path is not None:
            raise backups.damaged_error(path, str(exc)) from exc
        raise mapped from exc
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return store


def open_server(url: ServerUrl, clock: Clock, operator: str | None = None, *, migrate: bool = True) -> Store:
    """Open a server database (desktop.store.server) that `dutydesk server init` or `copy-to` prepared.

    Its schema is brought forward when this DutyDesk is newer (Alembic); a database a newer DutyDesk
    made is refused untouched."""
    from desktop.store import server, server_schema

    conn = server.connect_server(url)
    try:
        found = server_schema.version(conn)
        if found is None:
            raise StoreError(f"服务器数据库 {url} 还没有准备好(里面没有 DutyDesk 的数据)。请先运行 dutydesk server init {url} "
                             "建立,或用 dutydesk --db 本机数据库文件 copy-to 服务器地址 把已有数据复制过去。")
        if found not in server_schema.KNOWN:
            raise DatabaseTooNew(f"服务器数据库 {url} 由更新版本的 DutyDesk 建立(数据结构 {found})。请升级本机的 DutyDesk"
                                 "后再打开;为避免损坏数据,本程序不会修改它。")
        if found != server_schema.HEAD and migrate:
            server_schema.upgrade(conn)
        return Store(conn=conn, path=None, clock=clock, operator=operator or default_operator(), url=url)  # type: ignore[arg-type]
    except BaseException:
        conn.close()
        raise


def _refuse_foreign_file(path: Path) -> None:
    """Never turn someone's document into a database: a non-empty file must be SQLite already.

    (SQLite itself accepts a short text file and would write its pages over it.)
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"无法读取 {path}:{exc.strerror}。请检查路径和访问权限。") from exc
    head = header[:len(SQLITE_HEADER)]
    if not head and backups.list_backups(path):
        # SQLite would take an empty file for a new database and the log would read "完好:共 0 条";
        # beside backups it is a database that lost its content (a failed copy, a full disk).
        raise backups.damaged_error(path, "文件是空的(0 字节)")
    if head == SQLITE_HEADER and len(header) == 100 and not _wal_holds_pages(path):
        # With a -wal holding pages the file may be shorter than its header says: a checkpoint killed
        # half-way (the header written, the pages not yet) is finished from the -wal at the next open.
        short = _truncated(header, size)
        if short:
            raise backups.damaged_error(path, short)
    if head and head != SQLITE_HEADER:
        if backups.list_backups(path):  # a DutyDesk database whose header was destroyed
            raise backups.damaged_error(path, "文件头已损坏")
        raise DatabaseDamaged(f"文件 {path} 不是 DutyDesk 的数据库(也不是 SQLite 数据库),为避免覆盖它,程序没有打开。"
                              "请用 --db 指定正确的数据库文件,或换一个新文件名来新建数据库。")


def _changed_since_close(path: Path) -> str | None:
    """Compare the file with the checksum of its last clean close (desktop.store.db.Store.close):
    a difference means it was changed outside the program (another tool, a disk error that no
    integrity check sees). Not when a -wal holds changes (the last session did not close cleanly:
    nothing to compare with) or no checksum was recorded."""
    record = anchors.read_close_record(path)
    if record is None:
        return None
    wal = Path(f"{path}-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        same = path.stat().st_size == record.get("size") and anchors.file_digest(path) == record["sha256"]
    except OSError:
        return None
    if same:
        return None
    at = str(record.get("at", ""))[:16].replace("T", " ")
    return (f"文件在程序之外被修改过:数据库文件 {path.name} 与上次正常关闭时({at})记下的校验和不同。"
            "可能是磁盘出错,或有人用其他程序改动了它。请先用 帮助 → 校验审计日志…(dutydesk audit verify)核对;"
            "发现问题时从备份恢复。")


def _wal_holds_pages(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _truncated(header: bytes, size: int) -> str | None:
    """Why a file whose SQLite header promises more pages than it has is cut short, or None.

    The page count at offset 28 is valid when the change counter (24) equals the version-valid-for
    number (92); a page size of 1 means 65536."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or not pages or page_size < 512:
        return None
    if size < pages * page_size:
        return f"文件被截短:应有 {pages * page_size} 字节,只有 {size} 字节"
    return None


def _check_before_connecting(path: Path) -> bool:
    """quick_check on a read-only connection first (True: done). A read-write connection to a
    damaged file would, on closing, checkpoint its -wal into it and delete it: the pre-restore copy
    must keep both as they were. False when the file is new or cannot be opened so (checked later)."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return False
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) or "readonly" in str(exc) or disk_is_full(path, exc):
                return False  # connect() opens it read-only and the check runs there
            raise
        _check_integrity(conn, path)
    finally:
        conn.close()
    return True


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """PRAGMA quick_check (bench/RESULTS.md: 62 ms on a 44 MB database with 200,000 records, 0.6 s
    with a cold disk cache; integrity_check takes three times as long)."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise backups.damaged_error(path, ";".join(str(r[0]) for r in rows[:3]))


def check_version(store: Store, applied: list[str] | None = None) -> None:
    """Refuse a file a newer DutyDesk wrote (a higher user_version, or migrations we do not know)."""
    conn = store.conn
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    known = set(schema.MIGRATION_NAMES)
    unknown = sorted(set(schema.applied_names(conn) if applied is None else applied) - known)
    if user_version > schema.SCHEMA_VERSION or unknown:
        raise DatabaseTooNew(
            f"数据库文件 {store.path} 由更新版本的 DutyDesk 创建(数据结构版本 {user_version},"
            f"本程序支持到 {schema.SCHEMA_VERSION})。请升级 DutyDesk 后再打开;为避免损坏数据,本程序不会修改它。"
        )
