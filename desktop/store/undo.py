"""Putting records back as an audit image shows them (desktop.store.images): what 撤销 writes.

An undo (desktop.ops.undo) restores the records one operation wrote to their images before it. This
module only reads the images the log holds and writes rows back; which records, whether a colleague
changed them meanwhile and the audit row are the operation's. The SQL is portable (named
parameters, no SQLite functions): it runs on the server mode's PostgreSQL too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.store import images
from desktop.store.db import Store

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Family:
    """How a record kind's rows are written back: its main table and its child tables."""

    table: str
    key: tuple[str, ...]  # the main row's key columns, in the order the image key joins them ("|")
    children: tuple[tuple[str, str, str | None], ...] = ()  # (image field, table, scalar column) keyed by parent id
    parent: str = ""  # the children's column holding the parent id


#: The record kinds an undo can put back (the others — people, accounts, the calendar, settings —
#: are changed through their own pages, where the history shows the earlier values).
FAMILIES: dict[str, Family] = {
    "absence": Family("absence", ("id",), (("acting", "absence_acting", "person_id"), ("steps", "absence_step", None)),
                      "absence_id"),
    "designation": Family("designation", ("id",), (("absent", "designation_absent", "person_id"),), "designation_id"),
    "warning_override": Family("warning_override", ("id",)),
    "duty_plan": Family("duty_plan", ("id",), (("assignments", "duty_assignment", None),), "plan_id"),
    "duty_quota": Family("duty_quota", ("person_id", "year", "slot")),
    "duty_unavailable": Family("duty_unavailable", ("person_id", "day")),
    "meeting": Family("meeting", ("id",), (("members", "meeting_member", None), ("topics", "meeting_topic", None)),
                      "meeting_id"),
    "meeting_leave": Family("meeting_leave", ("id",)),
}


def _names(columns: Iterable[str]) -> list[str]:
    out = list(columns)
    for c in out:
        if not _NAME.match(c):  # the images are our own SELECT *: anything else is a damaged log
            raise ValueError(f"not a column name: {c!r}")
    return out


def _key_values(family: Family, key: str) -> dict[str, Any]:
    parts = key.split("|")
    values: dict[str, Any] = {}
    for col, part in zip(family.key, parts, strict=True):
        values[f"k_{col}"] = int(part) if col in ("id", "person_id", "year") else part
    return values


def _where(family: Family) -> str:
    return " AND ".join(f"{c} = :k_{c}" for c in family.key)


def current(store: Store, kind: str, keys: Iterable[str]) -> dict[str, images.Image | None]:
    """The records as stored now, as the log writes their images (JSON-normalised)."""
    found = images.normalised(images.images_of(store, {kind: list(keys)}))
    return found.get(kind, {})


def image_before(store: Store, kind: str, keys: Iterable[str], before_audit: int) -> tuple[dict[str, Any], set[str]]:
    """The images of `keys` the log holds from before audit row `before_audit`: ({key: image or
    None when the record did not exist}, keys the log cannot tell).

    A record is found in the newest earlier row whose images hold it. A record in no earlier image
    did not exist, when the log has images from its start; on a log that began without images (an
    older DutyDesk) and has no earlier image at all, nothing can be told."""
    wanted = set(keys)
    out: dict[str, Any] = {}
    rows = store.conn.execute("SELECT id, image FROM audit WHERE id < :id AND image IS NOT NULL ORDER BY id DESC",
                              {"id": before_audit})
    for _rid, text in rows:
        if not wanted:
            break
        logged = json.loads(text).get(kind) or {}
        for key in list(wanted):
            if key in logged:
                out[key] = logged[key]
                wanted.discard(key)
    if wanted:
        first = store.conn.execute("SELECT MIN(id) FROM audit WHERE image IS NOT NULL").fetchone()[0]
        older = store.conn.execute("SELECT 1 FROM audit WHERE id < :id LIMIT 1", {"id": before_audit}).fetchone()
        if (first is not None and first < before_audit) or older is None:
            # the images (a baseline of every record first) cover the log before: it did not exist
            out.update({k: None for k in wanted})
            wanted = set()
    return out, wanted


def put(store: Store, kind: str, key: str, image: Mapping[str, Any] | None, *, version: int | None = None) -> None:
    """Write the record `key` of `kind` back as `image` (None: delete it), its child rows with it.
    ``version``: the version the main row gets (a new change: the current version + 1)."""
    family = FAMILIES[kind]
    where = _key_values(family, key)
    exists = store.conn.execute(f"SELECT 1 FROM {family.table} WHERE {_where(family)}", where).fetchone() is not None
    parent_id = where.get("k_id")
    for _field, table, _scalar in family.children:
        store.conn.execute(f"DELETE FROM {table} WHERE {family.parent} = :pid", {"pid": parent_id})
    if image is None:
        if exists:
            store.conn.execute(f"DELETE FROM {family.table} WHERE {_where(family)}", where)
        return
    child_fields = {f for f, _t, _s in family.children}
    row = {c: v for c, v in image.items() if c not in child_fields}
    if version is not None and "version" in row:
        row["version"] = version
    cols = _names(row)
    params = {f"v_{c}": row[c] for c in cols}
    if exists:
        sets = ", ".join(f"{c} = :v_{c}" for c in cols if c not in family.key)
        if sets:
            store.conn.execute(f"UPDATE {family.table} SET {sets} WHERE {_where(family)}", {**params, **where})
    else:
        store.conn.execute(f"INSERT INTO {family.table} ({', '.join(cols)}) VALUES ({', '.join(':v_' + c for c in cols)})",
                           params)
    for field_name, table, scalar in family.children:
        for child in image.get(field_name) or []:
            values = {scalar: child} if scalar else dict(child)
            values[family.parent] = parent_id
            ccols = _names(values)
            store.conn.execute(f"INSERT INTO {table} ({', '.join(ccols)}) VALUES ({', '.join(':c_' + c for c in ccols)})",
                               {f"c_{c}": values[c] for c in ccols})


def later_change(store: Store, kind: str, key: str, after_audit: int) -> tuple[str, str, str] | None:
    """(when, operator, summary) of the newest audit row after `after_audit` about this record."""
    family = FAMILIES[kind]
    if family.key != ("id",):
        row = store.conn.execute("SELECT at, operator, summary FROM audit WHERE id > :id AND entity = :e"
                                 " ORDER BY id DESC LIMIT 1", {"id": after_audit, "e": kind}).fetchone()
    else:
        row = store.conn.execute("SELECT at, operator, summary FROM audit WHERE id > :id AND entity = :e"
                                 " AND entity_id = :eid ORDER BY id DESC LIMIT 1",
                                 {"id": after_audit, "e": kind, "eid": int(key)}).fetchone()
    return (row[0], row[1], row[2]) if row else None
