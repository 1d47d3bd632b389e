"""The audit log: one row per change, chained by hash so tampering shows.

Each row stores what changed (entity, id), the before and after JSON, when, by which
operator, and sha256(prev_hash + canonical row). `verify` finds the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from desktop.store.db import Store

GENESIS = "0" * 64


def _canonical(at: str, operator: str, action: str, entity: str, entity_id: int | None, summary: str,
               before: str | None, after: str | None) -> str:
    return json.dumps([at, operator, action, entity, entity_id, summary, before, after],
                      ensure_ascii=False, separators=(",", ":"))


def _digest(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(store: Store, action: str, entity: str, entity_id: int | None, summary: str,
           before: Any = None, after: Any = None) -> None:
    """Append one audit row; call inside the transaction of the change it describes.

    Operations write their rows through `desktop.ops.base.Tx.audit`, which checked the signed-in
    operator's permission at the operation's entry (a repository checks no permission)."""
    at = store.clock.now().isoformat(timespec="seconds")
    row = store.conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    b, a = _dump(before), _dump(after)
    digest = _digest(prev, _canonical(at, store.operator, action, entity, entity_id, summary, b, a))
    store.conn.execute(
        "INSERT INTO audit (at, operator, action, entity, entity_id, summary, before, after, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, store.operator, action, entity, entity_id, summary, b, a, prev, digest),
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    operator: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: str | None
    after: str | None


def history(store: Store, entity: str | None = None, entity_id: int | None = None, limit: int = 200) -> list[AuditRow]:
    sql = "SELECT id, at, operator, action, entity, entity_id, summary, before, after FROM audit"
    args: list[Any] = []
    if entity is not None:
        sql += " WHERE entity = ?"
        args.append(entity)
        if entity_id is not None:
            sql += " AND entity_id = ?"
            args.append(entity_id)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return [AuditRow(*r) for r in store.conn.execute(sql, args)]


def verify(store: Store) -> tuple[int, int | None]:
    """Return (rows checked, id of the first broken row or None)."""
    prev = GENESIS
    count = 0
    for row in store.conn.execute(
        "SELECT id, at, operator, action, entity, entity_id, summary, before, after, prev_hash, hash"
        " FROM audit ORDER BY id"
    ):
        count += 1
        rid, at, op, action, entity, eid, summary, before, after, prev_hash, digest = row
        if prev_hash != prev or digest != _digest(prev, _canonical(at, op, action, entity, eid, summary, before, after)):
            return count, rid
        prev = digest
    return count, None
