"""Anchors: the audit chain's head (rows, last id, hash) kept outside the database file.

Someone who edits the file with the ``sqlite3`` shell can delete the log's last rows, or recompute
the whole chain; the database alone cannot show it. An anchor, a small JSON file written by the
program, remembers how long the log was and the hash of its last row:

- ``<name>.anchor.json`` beside the ``backups`` folder (in the database's folder), written by
  every operation that wrote audit rows (desktop.ops.base), inside its transaction, atomically (a
  new file, fsync, ``os.replace``); bench/RESULTS.md has the cost;
- ``<backup>.db.anchor.json`` beside every backup, the head of the copy.

Writing an anchor checks that the log still begins with what the previous anchor recorded and
grew only by this operation's rows; otherwise it keeps a ``break`` (the first one stays) that
`audit verify` reports — a signed-in session cannot quietly make a shortened or extended log its
new anchor. A restore starts a new anchor (the restored file carries its own chain).

What an anchor cannot do: it lives on the same disk. Whoever edits the database and the anchor
files alike, knowing both formats, is not caught (README “审计日志能发现什么”). Nothing here goes
into exports or printouts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktop.core.clock import Clock
from desktop.store import private


class Store(Protocol):
    """What an anchor needs of desktop.store.db.Store (which builds on this module: no import of it here)."""

    conn: Any
    path: Path | None
    clock: Clock

SUFFIX = ".anchor.json"


@dataclass(frozen=True)
class Anchor:
    rows: int
    last_id: int
    hash: str
    at: str
    source: str  # where it was read: the anchor file or a backup's sidecar
    broken: dict[str, Any] | None = None  # the first write that found the log not as the anchor said
    prev: dict[str, Any] | None = None  # the head before the last write (that write may not have committed)

    def as_json(self) -> dict:
        return {"rows": self.rows, "last_id": self.last_id, "hash": self.hash, "at": self.at, "source": self.source,
                "break": self.broken}


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def sidecar_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + SUFFIX)


def read(path: Path) -> Anchor | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(int(data["rows"]), int(data["last_id"]), str(data["hash"]), str(data["at"]), str(path),
                      data.get("break") if isinstance(data.get("break"), dict) else None,
                      data.get("prev") if isinstance(data.get("prev"), dict) else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, data: dict) -> None:
    """A new file beside it, fsync, os.replace: an anchor is whole or the previous one. Readable by the user only."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = private.open_private(tmp, os.O_TRUNC | os.O_WRONLY)
    try:
        os.write(fd, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def head_of(conn) -> tuple[int, int, str]:
    """(rows, last id, hash of the last row) of the database on `conn` (counts the rows)."""
    n, last = conn.execute("SELECT count(*), max(id) FROM audit").fetchone()
    if not n:
        return 0, 0, "0" * 64
    return n, last, conn.execute("SELECT hash FROM audit WHERE id = ?", (last,)).fetchone()[0]


def last_row(store: Store) -> tuple[int, str]:
    """(last id, its hash): cheap (the primary key), taken at the start of each operation."""
    row = store.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, "0" * 64)


def advance(store: Store, before: tuple[int, str], *, fresh: bool = False,
            fallback: Anchor | None = None) -> str | None:
    """Inside an operation's transaction, after its audit rows (and under its write lock, so two
    seats never race): the anchor becomes the new head, and keeps the head before it as ``prev``
    (a transaction that dies between this write and its commit leaves the log at ``prev``: no alarm).

    ``before``: the log's last (id, hash) when the operation began. When the anchor (or its
    ``prev``) describes ``before``, the count is its count plus the rows written since; otherwise
    the rows are counted and the mismatch is kept as the anchor's ``break`` (the first one stays).
    ``fresh``: a restore, a new chain. ``fallback``: the newest backup's anchor, checked when the
    anchor file is missing (deleted with the log's last rows…): the log must still hold its head. Returns why the anchor could not be written (disk full…),
    or None; the operation goes on either way."""
    if store.path is None:
        return None
    path = anchor_path(store.path)
    old = None if fresh else read(path)
    last_id, digest = last_row(store)
    added = store.conn.execute("SELECT count(*) FROM audit WHERE id > ?", (before[0],)).fetchone()[0]
    broken = old.broken if old else None
    if old is not None and (old.last_id, old.hash) == before:
        base = old.rows
    elif old is not None and old.prev is not None and (old.prev["last_id"], old.prev["hash"]) == tuple(before):
        base = int(old.prev["rows"])
    else:
        base = store.conn.execute("SELECT count(*) FROM audit WHERE id <= ?", (before[0],)).fetchone()[0]
        if old is None and fallback is not None and not fresh:
            row = store.conn.execute("SELECT hash FROM audit ORDER BY id LIMIT 1 OFFSET ?",
                                     (max(fallback.rows - 1, 0),)).fetchone()
            if fallback.rows and (base < fallback.rows or row is None or row[0] != fallback.hash):
                old = fallback  # the log no longer holds what the backup's anchor saw
        if old is not None and broken is None:
            broken = {"at": store.clock.now().isoformat(timespec="seconds"), "anchor_rows": old.rows,
                      "anchor_at": old.at, "found_rows": base}
    data: dict[str, Any] = {"database": store.path.name, "rows": base + added, "last_id": last_id, "hash": digest,
                            "at": store.clock.now().isoformat(timespec="seconds"),
                            "prev": {"rows": base, "last_id": before[0], "hash": before[1]}}
    if broken:
        data["break"] = broken
    try:
        _write(path, data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.with_name(f".{path.name}.tmp").unlink()
        return f"审计日志的锚点文件 {path} 没有写入({exc.strerror}),数据已保存。请检查磁盘空间和写入权限。"
    return None


def write_sidecar(backup_path: Path, conn, at: str) -> None:
    """The head of a backup, beside it (`conn`: the copy, before it is closed), with the file's
    checksum: a backup changed afterwards is not restored unnoticed (desktop.store.backups)."""
    rows, last_id, digest = head_of(conn)
    _write(sidecar_path(backup_path), {"database": backup_path.name, "rows": rows, "last_id": last_id,
                                       "hash": digest, "at": at, "sha256": file_digest(backup_path),
                                       "size": backup_path.stat().st_size})


def file_digest(path: Path) -> str:
    """SHA-256 of a whole file (about 0.1 s for a 44 MB database)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def recorded_digest(path: Path) -> str | None:
    """The checksum a backup's sidecar recorded, or None (an older backup, or no sidecar)."""
    try:
        data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("sha256") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- the database at clean close

CLOSE_SUFFIX = ".closed.json"


def close_record_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + CLOSE_SUFFIX)


def write_close_record(db_path: Path, at: str) -> None:
    """The database file's checksum at a clean close (the last connection closed: no -wal left)."""
    _write(close_record_path(db_path), {"database": db_path.name, "sha256": file_digest(db_path),
                                         "size": db_path.stat().st_size, "at": at})


def read_close_record(db_path: Path) -> dict | None:
    try:
        data = json.loads(close_record_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("sha256"), str):
        return None
    return data
