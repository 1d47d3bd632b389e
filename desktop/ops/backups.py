"""Operations on backups: back up now (手动备份), the number of automatic backups kept, restore.

Each checks 备份或恢复数据库 (Permission.maintain) at its entry. A backup and a restore work on the
database file, not in a transaction of it: a restore checks the permission against the database it
replaces (signed in as ``operator``), replaces the file (desktop.store.backups.replace_database,
which first keeps the state before as a 恢复前 backup), and appends its audit row to the restored
file's own chain. Its `Changes` are EVERYTHING: every page re-reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.access import Permission
from desktop.core.clock import Clock
from desktop.core.errors import UserError
from desktop.ops.base import EVERYTHING, Changes, Entity, Result, Tx, composite, operation, require
from desktop.store import backups as rows
from desktop.store.backups import RestoreResult
from desktop.store.db import Store, backup, backup_dir
from desktop.store.errors import StoreError
from desktop.store.location import ServerUrl


def allowed_to_restore(store: Store) -> None:
    """Refuse (PermissionDenied) when sign-in is on and the operator may not 备份或恢复数据库."""
    require(store, Permission.maintain)


@composite(Permission.maintain)
def backup_now(store: Store, target: Path | None = None) -> Result[Path]:
    """A manual backup (to `target`, or to the backups folder); never deleted automatically.

    On a server: a portable SQLite snapshot of the whole database (desktop.store.copy.snapshot),
    by default in this PC's backups folder (`server_backup_base`)."""
    require(store, Permission.maintain)
    if store.url is not None:
        return Result(_server_snapshot(store, target), Changes.of(Entity.backup))
    return Result(backup(store, target), Changes.of(Entity.backup))


def server_backup_base(url: ServerUrl) -> Path:
    """Where a server database's snapshots go on this PC: the data folder's backups/, named after the
    server and the database (the file itself is never created; `backup --list` lists beside it)."""
    import re

    from desktop.paths import data_dir

    tail = re.sub(r"^[^@/]*@", "", url.url.split("://", 1)[1]).split("?")[0]
    return data_dir() / ("server-" + re.sub(r"[^0-9A-Za-z._-]+", "_", tail).strip("_") + ".db")


def _server_snapshot(store: Store, target: Path | None) -> Path:
    import contextlib
    import os

    from desktop.store import copy
    from desktop.store.db import backup_target, os_error
    from desktop.store.private import private_folder

    if target is None:
        assert store.url is not None
        target = backup_target(server_backup_base(store.url), store.clock, "manual")
    elif target.exists():
        raise StoreError(f"备份文件 {target} 已存在,请换一个文件名。")
    partial = target.with_name(f".{target.name}.partial")
    try:
        private_folder(target.parent)  # the backups folder: the user's only (the snapshot file is made so)
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        copy.snapshot(store, partial, store.clock)
        os.replace(partial, target)
    except OSError as exc:
        raise os_error(exc, target) from exc
    finally:
        # (the copy's clean-close checksum is of the file under its temporary name: not kept)
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}.closed.json")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return target


@operation(Permission.maintain)
def _write_keep(tx: Tx, keep: int) -> None:
    if not 1 <= keep <= rows.MAX_KEEP:
        raise UserError(f"保留份数应在 1 到 {rows.MAX_KEEP} 之间,“{keep}”不行。")
    before = rows.backup_keep(tx.store)
    rows.write_keep(tx.store, keep)
    tx.audit("set_keep", Entity.backup, None, f"自动备份保留份数:{before} → {keep}",
             before={rows.KEEP_KEY: before}, after={rows.KEEP_KEY: keep})


@composite(Permission.maintain)
def set_backup_keep(store: Store, keep: int) -> Result[list[Path]]:
    """Keep the newest `keep` automatic backups from now on; the value is the backups removed now
    (after the setting is committed)."""
    result = _write_keep(store, keep)
    removed = rows.prune(store.path, keep) if store.path is not None else []
    return Result(removed, result.changes)


@operation()
def _append_restore_row(tx: Tx, source: Path, pre: Path | None) -> int:
    # The restore was allowed by the database it replaced; the restored file may not know this
    # operator (or has sign-in on while a damaged file could not be signed in to). Its record must
    # not be refused: it is appended to the chain without the role check.
    tx.permissions = tx.permissions | {Permission.maintain}
    tx.reanchor = True  # the restored file's own chain: the anchor starts again from it
    action, entity, entity_id, summary, before, after = rows.restore_summary(source, pre)
    tx.audit(action, Entity(entity), entity_id, summary, before, after)
    return rows.backup_keep(tx.store)


def _check_permission(db_path: Path, clock: Clock, operator: str | None, role: str | None) -> None:
    """The 备份或恢复 permission, checked against the database being replaced as `operator` signed in
    with `role`; a file that is missing or damaged cannot be signed in to and is not asked."""
    if not (db_path.exists() and db_path.stat().st_size > 0 and rows.healthy(db_path)):
        return
    try:
        store = rows.connect_file(db_path, clock, operator, role)
    except sqlite3.Error:
        return
    try:
        require(store, Permission.maintain)
    except sqlite3.DatabaseError:
        return  # not readable as DutyDesk's (no operator table…): nothing to ask
    finally:
        store.close()


@composite(Permission.maintain)
def restore(db_path: Path, source: Path, clock: Clock, operator: str | None = None,
            role: str | None = None) -> Result[RestoreResult]:
    """Replace the database at `db_path` with the backup `source`, reversibly (desktop.store.backups).

    The database must not be open in this process (close the Store first, reopen afterwards).
    `operator`/`role`: who restores, as signed in to the database being replaced: the permission is
    checked against it first."""
    _check_permission(db_path, clock, operator, role)
    pre = rows.replace_database(db_path, Path(source), clock)
    try:
        store = rows.connect_file(db_path, clock, operator, role)
        try:
            keep = _append_restore_row(store, Path(source), pre).value
        finally:
            store.close()
    except sqlite3.Error as exc:
        failed = rows.restore_failed(exc, db_path, pre)
        if failed is exc:
            raise
        raise failed from exc
    rows.prune(db_path, keep)
    return Result(RestoreResult(db_path, Path(source), pre), EVERYTHING)


@composite(Permission.maintain)
def restore_latest(db_path: Path, clock: Clock, operator: str | None = None,
                   role: str | None = None) -> Result[RestoreResult]:
    """Restore the newest backup that passes the thorough check."""
    _check_permission(db_path, clock, operator, role)
    good = rows.newest_good(db_path)
    if good is None:
        raise StoreError(f"备份文件夹 {backup_dir(db_path)} 中没有可用于恢复的完好备份。")
    return restore(db_path, good.path, clock, operator, role)
