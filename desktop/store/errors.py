"""Known environment failures of the database file, each with a Chinese message.

These are not bugs: the file is locked, damaged, too new, read-only or the disk is full.
qutebrowser's misc/sql.py draws the same line between environment errors and bugs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.errors import UserError


class StoreError(UserError):
    """The database cannot be used as asked; the message says why and what to do."""


class DatabaseTooNew(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class DatabaseReadOnly(StoreError):
    pass


def primary_code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of `exc` (SQLITE_BUSY, SQLITE_FULL …; extended codes folded), or None
    for an error SQLite did not raise (no code attached)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


_LOCKED = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_READ_ONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM}


def is_read_only(exc: sqlite3.Error) -> bool:
    return primary_code(exc) in _READ_ONLY


def is_full(exc: sqlite3.Error) -> bool:
    return primary_code(exc) == sqlite3.SQLITE_FULL


def cannot_open(exc: sqlite3.Error) -> bool:
    return primary_code(exc) == sqlite3.SQLITE_CANTOPEN


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError | None:
    """Map a sqlite3 error caused by the environment to a StoreError; None for bugs.

    By SQLite's result code (``sqlite_errorcode``), not by the message's wording, which differs
    between SQLite versions."""
    code = primary_code(exc)
    if code in _LOCKED:
        return DatabaseLocked(f"数据库文件 {path} 正被另一个程序或另一位同事使用,等待后仍未释放。请稍后再试,或关闭其他正在使用它的 DutyDesk 窗口。")
    if code in _DAMAGED:
        return DatabaseDamaged(f"数据库文件 {path} 已损坏或不是 DutyDesk 的数据库。请从备份恢复(dutydesk restore 备份文件),或用 --db 指定正确的文件。")
    if code in _READ_ONLY:
        return DatabaseReadOnly(f"数据库文件 {path} 是只读的,无法保存修改。请检查文件或文件夹的写入权限,或把它复制到可写的位置。")
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"磁盘已满,无法写入 {path}。本次修改没有保存;请清理磁盘空间后重试。")
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreError(f"无法打开数据库文件 {path}。请检查路径是否存在、是否有访问权限。")
    return None
