"""Row images: each audited record as stored, the unit the audit log records and `audit verify` compares.

An *image* is one record of an audited table read as it is stored (``SELECT *``), with the rows
that belong to it (an absence's acting people and chain steps, a duty plan's assignments, a
meeting's members and topics, a person's 分管 units and AB partner), as a JSON-ready dict. Each
kind below names one record family and how its key is written ("12" for ids; "3|2026|leader" for
a duty quota; "2026" for a calendar year; the key for a setting).

Which records a transaction wrote is found by temporary triggers on the connection (`track`):
every insert, update or delete of an audited table notes the record's (kind, key) in
``temp.dd_dirty``; at the end of the operation (desktop.ops.base) the images of those records —
or ``None`` for a record that is gone — are stored on the operation's last audit row, inside the
hash chain. Nothing here decides what is allowed: a repository (reads, and the triggers).

Columns left out of an image are sign-in bookkeeping that changes without an audit row (an
operator's last sign-in time, failed attempts, lock-out) — nothing a record keeper certifies.
Settings are the ``meta`` keys that change what the program does (`SETTINGS`); counters are not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.store.db import Store

Image = dict[str, Any]
#: {kind: {key: image, or None for a record deleted}}
Images = dict[str, dict[str, Image | None]]

#: The meta keys that matter: who the government is, its rules, retention, sign-in policy, and
#: the longest span saved (range queries trust it: lowering it would hide long trips).
SETTINGS = ("org_name", "profile_id", "backup_keep", "idle_lock_minutes", "max_absence_span")


@dataclass(frozen=True)
class Child:
    """Rows belonging to a record: ``sql`` selects them with the parent's key in column ``k`` (the read filters on it)."""

    name: str
    sql: str
    order: str
    scalar: str | None = None  # a list of this column only (ids), not of row dicts
    drop: tuple[str, ...] = ()
    digest: bool = False  # keep only the SHA-256 of the rows (a year of calendar days: thousands of rows per baseline)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # 外出记录: “第 12 条外出记录”
    table: str
    key: str  # SQL: the record's key as text
    match: str  # SQL column the keys are compared with
    numeric: bool = True  # integer keys (ids): “第 12 条…”
    children: tuple[Child, ...] = ()
    omit: tuple[str, ...] = ()
    where: str = ""
    seeded: bool = False  # written by a migration before any operation (the calendar, settings)

    def param(self, key: str) -> Any:
        return int(key) if self.numeric else key


KINDS: tuple[Kind, ...] = (
    Kind("person", "人员", "person", "CAST(id AS TEXT)", "id", children=(
        Child("portfolio", "SELECT person_id AS k, unit_id FROM portfolio", "unit_id", scalar="unit_id"),
        Child("ab_partner", "SELECT a_id AS k, b_id AS partner FROM ab_pair UNION ALL SELECT b_id, a_id FROM ab_pair",
              "partner", scalar="partner"),
    )),
    Kind("unit", "单位", "unit", "CAST(id AS TEXT)", "id"),
    Kind("absence", "外出记录", "absence", "CAST(id AS TEXT)", "id", children=(
        Child("acting", "SELECT absence_id AS k, person_id FROM absence_acting", "person_id", scalar="person_id"),
        Child("steps", "SELECT absence_id AS k, * FROM absence_step", "seq", drop=("absence_id",)),
    )),
    Kind("designation", "代行指定", "designation", "CAST(id AS TEXT)", "id", children=(
        Child("absent", "SELECT designation_id AS k, person_id FROM designation_absent", "person_id",
              scalar="person_id"),
    )),
    Kind("warning_override", "同时外出理由", "warning_override", "CAST(id AS TEXT)", "id"),
    Kind("duty_plan", "值班安排", "duty_plan", "CAST(id AS TEXT)", "id", children=(
        Child("assignments", "SELECT plan_id AS k, * FROM duty_assignment", "day, slot, shift, seq",
              drop=("plan_id",)),
    )),
    Kind("duty_quota", "值班份额", "duty_quota", "person_id || '|' || year || '|' || slot",
         "person_id || '|' || year || '|' || slot", numeric=False),
    Kind("duty_unavailable", "不能值班登记", "duty_unavailable", "person_id || '|' || day", "person_id || '|' || day",
         numeric=False),
    Kind("meeting", "会议", "meeting", "CAST(id AS TEXT)", "id", children=(
        Child("members", "SELECT meeting_id AS k, * FROM meeting_member", "person_id", drop=("meeting_id",)),
        Child("topics", "SELECT meeting_id AS k, * FROM meeting_topic", "seq", drop=("meeting_id",)),
    )),
    Kind("meeting_leave", "会议请假", "meeting_leave", "CAST(id AS TEXT)", "id"),
    Kind("operator", "操作员账户", "operator", "CAST(id AS TEXT)", "id",
         omit=("last_login_at", "failed_attempts", "locked_until")),
    Kind("dept_roster", "部门值班表", "dept_roster", "CAST(id AS TEXT)", "id", children=(
        Child("entries", "SELECT roster_id AS k, * FROM dept_roster_entry", "day, slot, seq", drop=("roster_id",)),
    )),
    Kind("calendar", "日历", "calendar_year", "CAST(year AS TEXT)", "year", seeded=True, children=(
        Child("days", "SELECT CAST(substr(day, 1, 4) AS INTEGER) AS k, * FROM calendar_day", "day", digest=True),
    )),
    Kind("setting", "设置", "meta", "key", "key", numeric=False, seeded=True,
         where="key IN (" + ", ".join(f"'{k}'" for k in SETTINGS) + ")"),
)
BY_NAME = {k.name: k for k in KINDS}

# (table, kind, key expression over the row {r}): what each write of a table marks as changed.
TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    ("person", "person", "CAST({r}.id AS TEXT)", ""),
    ("portfolio", "person", "CAST({r}.person_id AS TEXT)", ""),
    ("ab_pair", "person", "CAST({r}.a_id AS TEXT)", ""),
    ("ab_pair", "person", "CAST({r}.b_id AS TEXT)", ""),
    ("unit", "unit", "CAST({r}.id AS TEXT)", ""),
    ("absence", "absence", "CAST({r}.id AS TEXT)", ""),
    ("absence_acting", "absence", "CAST({r}.absence_id AS TEXT)", ""),
    ("absence_step", "absence", "CAST({r}.absence_id AS TEXT)", ""),
    ("designation", "designation", "CAST({r}.id AS TEXT)", ""),
    ("designation_absent", "designation", "CAST({r}.designation_id AS TEXT)", ""),
    ("warning_override", "warning_override", "CAST({r}.id AS TEXT)", ""),
    ("duty_plan", "duty_plan", "CAST({r}.id AS TEXT)", ""),
    ("duty_assignment", "duty_plan", "CAST({r}.plan_id AS TEXT)", ""),
    ("duty_quota", "duty_quota", "{r}.person_id || '|' || {r}.year || '|' || {r}.slot", ""),
    ("duty_unavailable", "duty_unavailable", "{r}.person_id || '|' || {r}.day", ""),
    ("meeting", "meeting", "CAST({r}.id AS TEXT)", ""),
    ("meeting_member", "meeting", "CAST({r}.meeting_id AS TEXT)", ""),
    ("meeting_topic", "meeting", "CAST({r}.meeting_id AS TEXT)", ""),
    ("meeting_leave", "meeting_leave", "CAST({r}.id AS TEXT)", ""),
    ("operator", "operator", "CAST({r}.id AS TEXT)", ""),
    ("calendar_year", "calendar", "CAST({r}.year AS TEXT)", ""),
    ("calendar_day", "calendar", "CAST(CAST(substr({r}.day, 1, 4) AS INTEGER) AS TEXT)", ""),
    ("meta", "setting", "{r}.key", "{r}.key IN (" + ", ".join(f"'{k}'" for k in SETTINGS) + ")"),
    # added with s002 (a server database made before it gets these two from that revision)
    ("dept_roster", "dept_roster", "CAST({r}.id AS TEXT)", ""),
    ("dept_roster_entry", "dept_roster", "CAST({r}.roster_id AS TEXT)", ""),
)


def _trigger_sql() -> list[str]:
    out = ["CREATE TEMP TABLE IF NOT EXISTS dd_dirty (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key))"]
    for n, (table, kind, key, when) in enumerate(TRIGGERS):
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            # Not INSERT OR IGNORE: an outer statement's conflict clause (INSERT OR ROLLBACK…) overrides the trigger's.
            body = " ".join(f"INSERT INTO dd_dirty SELECT '{kind}', {key.format(r=r)} WHERE NOT EXISTS (SELECT 1 FROM"
                            f" dd_dirty WHERE kind = '{kind}' AND key = {key.format(r=r)});" for r in rows)
            cond = ""
            if when:
                cond = " WHEN " + " OR ".join(f"({when.format(r=r)})" for r in rows)
            out.append(f"CREATE TEMP TRIGGER IF NOT EXISTS dd_image_{n}_{event.lower()} AFTER {event} ON main.{table}"
                       f"{cond} BEGIN {body} END")
    return out


_SQL = _trigger_sql()


def track(store: Store) -> None:
    """Note, on this connection, every record an audited table's write touches (idempotent)."""
    if store.tracking:
        return
    # A server database has the triggers as part of its schema (desktop.store.server_schema); they
    # write to this connection's temporary table when it exists.
    for sql in _SQL[:1] if store.server else _SQL:
        store.conn.execute(sql)
    store.tracking = True


def start(store: Store) -> None:
    """Forget what earlier transactions wrote (call at the start of an operation's transaction)."""
    store.conn.execute("DELETE FROM dd_dirty")


def written(store: Store) -> dict[str, list[str]]:
    """{kind: [keys]} of the records the running transaction wrote."""
    out: dict[str, list[str]] = {}
    for kind, key in store.conn.execute("SELECT kind, key FROM dd_dirty ORDER BY kind, key"):
        out.setdefault(kind, []).append(key)
    return out


# ---------------------------------------------------------------- reading images

def _rows(store: Store, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = store.conn.execute(sql, list(args))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _read(store: Store, kind: Kind, keys: list[str] | None) -> dict[str, Image]:
    """Images of `keys` of `kind` (None: every record), as stored."""
    filters: list[str] = [kind.where] if kind.where else []
    args: list[Any] = []
    chunks: list[list[str] | None] = [None] if keys is None else [keys[i:i + 400] for i in range(0, len(keys), 400)]
    out: dict[str, Image] = {}
    for chunk in chunks:
        f = list(filters)
        a = list(args)
        if chunk is not None:
            f.append(f"{kind.match} IN ({','.join('?' * len(chunk))})")
            a += [kind.param(k) for k in chunk]
        where = f" WHERE {' AND '.join(f)}" if f else ""
        for row in _rows(store, f"SELECT {kind.key} AS dd_key, * FROM {kind.table}{where}", a):
            key = str(row.pop("dd_key"))
            for col in kind.omit:
                row.pop(col, None)
            out[key] = row
        for child in kind.children:
            cwhere, cargs = "", []
            if chunk is not None:
                cwhere = f" WHERE k IN ({','.join('?' * len(chunk))})"
                cargs = [kind.param(k) for k in chunk]
            for row in _rows(store, f"SELECT * FROM ({child.sql}) AS c{cwhere} ORDER BY k, {child.order}", cargs):
                parent = out.get(str(row.pop("k")))
                if parent is None:
                    continue
                value: Any = row[child.scalar] if child.scalar else {c: v for c, v in row.items() if c not in child.drop}
                parent.setdefault(child.name, []).append(value)
    for image in out.values():
        for child in kind.children:
            image.setdefault(child.name, [])
            if child.digest:
                text = json.dumps(image[child.name], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                image[child.name] = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def images_of(store: Store, keys: Mapping[str, Iterable[str]]) -> Images:
    """{kind: {key: image or None (gone)}} of the given records."""
    out: Images = {}
    for name, wanted in keys.items():
        wanted = sorted(set(wanted))
        found = _read(store, BY_NAME[name], wanted)
        out[name] = {k: found.get(k) for k in wanted}
    return out


def all_images(store: Store, kinds: Iterable[str] | None = None) -> Images:
    """Every record of every audited kind (or of `kinds`), as stored."""
    return {k.name: dict(_read(store, k, None)) for k in KINDS if kinds is None or k.name in kinds}


def dump(images: Images) -> str:
    return json.dumps(images, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def normalised(images: Images) -> Images:
    """As the log holds them (through JSON): what verify compares with."""
    return json.loads(dump(images))
