"""Operator accounts and sign-in in the database: rows, queries and the writes' SQL (a repository).

Sign-in is on once an active 管理员 account exists; before that DutyDesk behaves as it always has
(the operator is the computer's login name and every write is allowed). After that:

* `authenticate` (desktop.ops.operators) signs a store in: ``store.operator`` becomes the account name (written on every
  audit row) and ``store.role`` its role. A wrong name and a wrong password get the same message;
  five failures in a row start a pause that doubles with each further failure (stored in the
  database, timed with ``store.clock``).
* Every operation checks the signed-in operator's permission at its entry, inside its transaction
  (desktop.ops.base.require): the role is read afresh from the table, so a demotion or a
  deactivation on another computer takes effect at the next write.
* Accounts are never deleted, and the last active 管理员 can be neither deactivated nor demoted.

Passwords and hashes never reach the audit log. The account changes, sign-in and its bookkeeping are
operations in desktop.ops.operators.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from dataclasses import dataclass

from desktop.core import access
from desktop.core.access import OperatorRole
from desktop.core.errors import NotFound
from desktop.store.db import Store, insert_id

DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_KEY = "idle_lock_minutes"
# Failures with names that have no account share one counter, so a pause does not tell
# whether a name exists.
UNKNOWN_FAILURES_KEY = "signin_unknown_failures"
UNKNOWN_UNTIL_KEY = "signin_unknown_until"


@dataclass(frozen=True)
class Operator:
    id: int
    name: str
    display_name: str
    role: OperatorRole
    active: bool
    created_at: str
    last_login_at: str | None
    failed_attempts: int
    locked_until: str | None
    version: int
    unit_id: int | None = None  # 单位录入员: the unit whose heads he files and sees
    unit: str = ""  # that unit's name

    @property
    def label(self) -> str:
        """张三(管理员), 李四(单位录入员 · 教育局), or the account name when there is no display name."""
        shown = self.display_name or self.name
        return f"{shown}({self.role_text})"

    @property
    def role_text(self) -> str:
        return f"{self.role.label} · {self.unit}" if self.unit else self.role.label


_COLUMNS = ("id, name, display_name, role, active, created_at, last_login_at, failed_attempts, locked_until,"
            " version, unit_id, COALESCE((SELECT u.name FROM unit u WHERE u.id = operator.unit_id), '')")


def _row(row) -> Operator:
    oid, name, display, role, active, created, last, failed, until, version, unit_id, unit = row
    return Operator(oid, name, display, OperatorRole(role), bool(active), created, last, failed, until, version,
                    unit_id, unit)


def snapshot(op: Operator) -> dict:
    out = {"name": op.name, "display_name": op.display_name, "role": op.role.value, "active": op.active}
    if op.unit:
        out["unit"] = op.unit
    return out


# ---------------------------------------------------------------- reading

def accounts_enabled(store: Store) -> bool:
    """Sign-in is on: at least one active 管理员 account exists."""
    try:
        row = store.conn.execute("SELECT 1 FROM operator WHERE role = 'admin' AND active = 1 LIMIT 1").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # a file from before operator accounts (e.g. a backup)
            return False
        raise
    return row is not None


def list_operators(store: Store, *, active_only: bool = False) -> list[Operator]:
    sql = f"SELECT {_COLUMNS} FROM operator"
    if active_only:
        sql += " WHERE active = 1"
    sql += " ORDER BY active DESC, CASE role WHEN 'admin' THEN 0 WHEN 'clerk' THEN 1 ELSE 2 END, name"
    return [_row(r) for r in store.conn.execute(sql)]


def find_operator(store: Store, name: str) -> Operator:
    found = maybe(store, name)
    if found is None:
        raise NotFound(f"没有名为“{name.strip()}”的操作员账户。用 dutydesk operator list 查看全部账户。")
    return found


def maybe(store: Store, name: str) -> Operator | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM operator WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
    return _row(row) if row else None


def hash_of(store: Store, operator_id: int) -> str:
    return store.conn.execute("SELECT password_hash FROM operator WHERE id = ?", (operator_id,)).fetchone()[0]


def current(store: Store) -> Operator | None:
    """The signed-in operator's account as it is now (None when nobody is signed in)."""
    if store.role is None:
        return None
    return maybe(store, store.operator)


# ---------------------------------------------------------------- policy and sign-in bookkeeping

def idle_lock_minutes(store: Store) -> int:
    """Minutes without input before the window locks (0: never)."""
    raw = store.meta(IDLE_KEY)
    try:
        value = int(raw) if raw is not None else DEFAULT_IDLE_LOCK_MINUTES
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return max(0, min(value, 24 * 60))


def admins_left(store: Store, excluding: int) -> int:
    """Active 管理员 accounts other than `excluding`."""
    return store.conn.execute("SELECT COUNT(*) FROM operator WHERE role = 'admin' AND active = 1 AND id != ?",
                              (excluding,)).fetchone()[0]


# ---------------------------------------------------------------- the writes' SQL

def insert_operator(store: Store, name: str, display_name: str, role: OperatorRole, hashed: str,
                    unit_id: int | None = None) -> int:
    now = store.clock.now().isoformat(timespec="seconds")
    return insert_id(store,
        "INSERT INTO operator (name, display_name, role, password_hash, created_at, unit_id)"
        " VALUES (:name, :display, :role, :hashed, :now, :unit_id)",
        {"name": name, "display": display_name, "role": role.value, "hashed": hashed, "now": now, "unit_id": unit_id})


def write_role_and_unit(store: Store, operator_id: int, role: OperatorRole, unit_id: int | None) -> None:
    """A new role with its unit (a 单位录入员's; None for the other roles)."""
    store.conn.execute("UPDATE operator SET role = :role, unit_id = :unit_id, version = version + 1 WHERE id = :id",
                       {"role": role.value, "unit_id": unit_id, "id": operator_id})


def unit_id_of(store: Store, unit_name: str) -> int | None:
    """The id of the unit named `unit_name` (departments and townships of the unit table)."""
    row = store.conn.execute("SELECT id FROM unit WHERE name = :name", {"name": unit_name.strip()}).fetchone()
    return row[0] if row else None


def write_password(store: Store, operator_id: int, hashed: str) -> None:
    """A new password: the failures are forgotten and the version bumped."""
    store.conn.execute("UPDATE operator SET password_hash = ?, failed_attempts = 0, locked_until = NULL,"
                       " version = version + 1 WHERE id = ?", (hashed, operator_id))


def rehash(store: Store, operator_id: int, hashed: str) -> None:
    """The same password with today's cost (no version bump: nothing the user sees changed)."""
    store.conn.execute("UPDATE operator SET password_hash = ? WHERE id = ?", (hashed, operator_id))


def write_role(store: Store, operator_id: int, role: OperatorRole) -> None:
    store.conn.execute("UPDATE operator SET role = ?, version = version + 1 WHERE id = ?", (role.value, operator_id))


def write_display_name(store: Store, operator_id: int, display_name: str) -> None:
    store.conn.execute("UPDATE operator SET display_name = ?, version = version + 1 WHERE id = ?",
                       (display_name, operator_id))


def write_active(store: Store, operator_id: int, active: bool) -> None:
    store.conn.execute("UPDATE operator SET active = ?, failed_attempts = 0, locked_until = NULL,"
                       " version = version + 1 WHERE id = ?", (int(active), operator_id))


def write_failures(store: Store, operator_id: int, failures: int, until: str | None) -> None:
    store.conn.execute("UPDATE operator SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                       (failures, until, operator_id))


def write_sign_in(store: Store, operator_id: int) -> None:
    """The last sign-in time; the account's failures and the unknown names' shared counter are reset."""
    now = store.clock.now().isoformat(timespec="seconds")
    store.conn.execute("UPDATE operator SET last_login_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
                       (now, operator_id))
    set_meta(store, UNKNOWN_FAILURES_KEY, None)
    set_meta(store, UNKNOWN_UNTIL_KEY, None)


def set_meta(store: Store, key: str, value: str | None) -> None:
    if value is None:
        store.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (key, value))



# ---------------------------------------------------------------- sign-in helpers

def seconds_left(store: Store, until: str | None) -> int:
    if not until:
        return 0
    try:
        moment = dt.datetime.fromisoformat(until)
    except ValueError:
        return 0
    left = (moment - store.clock.now()).total_seconds()
    return math.ceil(left) if left > 0 else 0


_DUMMY_HASH: dict[tuple[int, int, int], str] = {}


def spend_like_a_check(password: str) -> None:
    """Take as long as a real check, so timing does not tell whether a name exists."""
    key = (access.SCRYPT_N, access.SCRYPT_R, access.SCRYPT_P)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = access.hash_password("不存在的账户", salt=b"\0" * access.SALT_BYTES)
    access.verify_password(password, _DUMMY_HASH[key])


def until(store: Store, pause: int) -> str | None:
    if not pause:
        return None
    return (store.clock.now() + dt.timedelta(seconds=pause)).isoformat(timespec="seconds")
