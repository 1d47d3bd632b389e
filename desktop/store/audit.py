"""The audit log: one row per change, chained by hash so tampering shows.

Each row stores what changed (entity, id), the before and after JSON, when, by which
operator, and sha256(prev_hash + canonical row). `verify` finds the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from desktop.store.db import Store, insert_id

GENESIS = "0" * 64


def _canonical(at: str, operator: str, action: str, entity: str, entity_id: int | None, summary: str,
               before: str | None, after: str | None, image: str | None = None) -> str:
    """What a row's hash covers; the images (desktop.store.images) only on rows that have them, so
    the rows written before they existed keep their hashes."""
    fields = [at, operator, action, entity, entity_id, summary, before, after]
    if image is not None:
        fields.append(image)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _digest(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(store: Store, action: str, entity: str, entity_id: int | None, summary: str,
           before: Any = None, after: Any = None) -> int:
    """Append one audit row; call inside the transaction of the change it describes. Returns its id.

    Operations write their rows through `desktop.ops.base.Tx.audit`, which checked the signed-in
    operator's permission at the operation's entry (a repository checks no permission)."""
    at = store.clock.now().isoformat(timespec="seconds")
    row = store.conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    b, a = _dump(before), _dump(after)
    digest = _digest(prev, _canonical(at, store.operator, action, entity, entity_id, summary, b, a))
    audit_id = insert_id(
        store,
        "INSERT INTO audit (at, operator, action, entity, entity_id, summary, before, after, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, store.operator, action, entity, entity_id, summary, b, a, prev, digest),
    )
    _sign(store, audit_id, digest)
    return audit_id


def _sign(store: Store, audit_id: int, digest: str) -> None:
    """Where operator accounts are on, the row's HMAC with the key kept outside the file
    (desktop.store.auditkey): a chain recomputed from the file alone no longer verifies. Not on a
    server: its log is guarded by the server itself (desktop.store.server_schema.AUDIT_GUARD), and a
    key kept on one PC could not be checked on the others."""
    if store.server:
        return
    key = store.audit_key
    if key is None:
        from desktop.store.operators import accounts_enabled

        if not accounts_enabled(store):
            return
        from desktop.store import auditkey

        key, store.key_problem = auditkey.obtain(store, audit_id)
        store.audit_key = key
        if key is None:
            return
    store.conn.execute("UPDATE audit SET mac = :mac WHERE id = :id", {"mac": key.sign(digest), "id": audit_id})


def attach_images(store: Store, audit_id: int, image: str) -> None:
    """Store the images of what the operation wrote on its last audit row (the chain's head, in the
    same transaction) and hash that row again with them."""
    row = store.conn.execute(
        "SELECT at, operator, action, entity, entity_id, summary, before, after, prev_hash, image FROM audit"
        " WHERE id = ?", (audit_id,)).fetchone()
    assert row is not None and row[9] is None
    head = store.conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    assert head == audit_id, "images go on the chain's head"
    digest = _digest(row[8], _canonical(*row[:8], image))
    store.conn.execute("UPDATE audit SET image = ?, hash = ? WHERE id = ?", (image, digest, audit_id))
    _sign(store, audit_id, digest)


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


def has_images(store: Store) -> bool:
    if store.server:
        return True  # made from desktop.store.tables, which has the column
    return "image" in {r[1] for r in store.conn.execute("PRAGMA table_info(audit)")}


def has_macs(store: Store) -> bool:
    """The signature column (migration m008); a backup of an older version has none."""
    if store.server:
        return True  # made from desktop.store.tables, which has the column
    return "mac" in {r[1] for r in store.conn.execute("PRAGMA table_info(audit)")}


@dataclass(frozen=True)
class Chain:
    """The hash chain as read: rows, the first broken row, the head (count, hash), and each row's hash."""

    count: int
    first_broken: int | None
    head_hash: str
    hashes: list[str]  # hashes[i]: the hash of the (i+1)-th row
    ids: list[int]


def read_chain(store: Store) -> Chain:
    """Check every row's hash (no early stop: the head and the hashes are needed for the anchor)."""
    prev = GENESIS
    broken: int | None = None
    hashes: list[str] = []
    ids: list[int] = []
    image = "image" if has_images(store) else "NULL"
    for row in store.conn.execute(
        f"SELECT id, at, operator, action, entity, entity_id, summary, before, after, prev_hash, hash, {image}"
        " FROM audit ORDER BY id"
    ):
        rid, at, op, action, entity, eid, summary, before, after, prev_hash, digest, img = row
        if broken is None and (prev_hash != prev or digest != _digest(
                prev, _canonical(at, op, action, entity, eid, summary, before, after, img))):
            broken = rid
        hashes.append(digest)
        ids.append(rid)
        prev = digest
    return Chain(len(hashes), broken, hashes[-1] if hashes else GENESIS, hashes, ids)


def head(store: Store) -> tuple[int, str]:
    """(rows, hash of the last row) — what an anchor keeps. Cheap: no hash is recomputed."""
    n, last = store.conn.execute("SELECT count(*), max(id) FROM audit").fetchone()
    if not n:
        return 0, GENESIS
    return n, store.conn.execute("SELECT hash FROM audit WHERE id = ?", (last,)).fetchone()[0]


def verify(store: Store) -> tuple[int, int | None]:
    """Return (rows checked up to the first broken row, id of the first broken row or None)."""
    chain = read_chain(store)
    if chain.first_broken is None:
        return chain.count, None
    return chain.ids.index(chain.first_broken) + 1, chain.first_broken


def seal(store: Store, first_id: int, last_id: int) -> None:
    """At the end of an operation that wrote audit rows `first_id`..`last_id`: store the images of
    every audited record it wrote (desktop.store.images) on its last row.

    The first operation whose log has no image yet also stores a *baseline*: on a database an
    older DutyDesk wrote (audit rows without images before this operation), every record as it is
    now; on a new database, the records the migrations wrote (the calendar, the settings). Rows
    written with no audit row at all (a log emptied by hand) get no baseline: verify names them."""
    from desktop.store import images

    dirty = images.written(store)
    logged = store.conn.execute("SELECT 1 FROM audit WHERE image IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    found = images.images_of(store, dirty)
    if logged is None:
        older = store.conn.execute("SELECT 1 FROM audit WHERE id < ? LIMIT 1", (first_id,)).fetchone()
        base = images.all_images(store, None if older else [k.name for k in images.KINDS if k.seeded])
        for kind, records in found.items():
            base.setdefault(kind, {}).update(records)
        found = base
    found = {kind: records for kind, records in found.items() if records}
    if found:
        attach_images(store, last_id, images.dump(found))
