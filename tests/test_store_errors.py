"""环境错误按 SQLite 的结果码识别(不看英文提示的措辞):被占用、损坏、只读、磁盘已满、无法打开。

Each error here is raised by SQLite itself, so it carries its result code.
"""

from __future__ import annotations

import sqlite3

import pytest

from desktop.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseReadOnly,
    StoreError,
    is_full,
    is_read_only,
    primary_code,
    translate,
)


def _raised(fn) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        fn()
    return caught.value


def test_a_colleagues_write_lock_is_locked(tmp_path):
    path = tmp_path / "a.db"
    a = sqlite3.connect(path, isolation_level=None)
    a.execute("CREATE TABLE t (x)")
    a.execute("BEGIN IMMEDIATE")
    b = sqlite3.connect(path, timeout=0, isolation_level=None)
    exc = _raised(lambda: b.execute("BEGIN IMMEDIATE"))
    mapped = translate(exc, path)
    assert isinstance(mapped, DatabaseLocked) and "正被另一个程序或另一位同事使用" in str(mapped)
    a.execute("ROLLBACK")


def test_a_text_file_is_damaged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"x" * 4096)
    exc = _raised(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall())
    assert isinstance(translate(exc, path), DatabaseDamaged)


def test_a_read_only_connection_is_read_only(tmp_path):
    path = tmp_path / "r.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)")
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    exc = _raised(lambda: ro.execute("INSERT INTO t VALUES (1)"))
    assert is_read_only(exc) and isinstance(translate(exc, path), DatabaseReadOnly)


def test_a_full_database_is_full(tmp_path):
    path = tmp_path / "f.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 3")  # what a full disk looks like to SQLite
    exc = _raised(lambda: conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100))
    assert is_full(exc)
    mapped = translate(exc, path)
    assert type(mapped) is StoreError and "磁盘已满" in str(mapped)


def test_a_folder_cannot_be_opened(tmp_path):
    exc = _raised(lambda: sqlite3.connect(tmp_path).execute("SELECT 1"))
    assert "无法打开数据库文件" in str(translate(exc, tmp_path))


def test_the_wording_alone_decides_nothing(tmp_path):
    """An error without SQLite's code is a bug to report, whatever its text says."""
    fake = sqlite3.OperationalError("database is locked")
    assert primary_code(fake) is None and translate(fake, tmp_path) is None
    real = _raised(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table"))
    assert translate(real, tmp_path) is None  # SQLITE_ERROR: a bug, not the environment
