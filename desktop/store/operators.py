"""Operator accounts, sign-in and the central permission check.

Sign-in is on once an active 管理员 account exists; before that DutyDesk behaves as it always has
(the operator is the computer's login name and every write is allowed). After that:

* `authenticate` signs a store in: ``store.operator`` becomes the account name (written on every
  audit row) and ``store.role`` its role. A wrong name and a wrong password get the same message;
  five failures in a row start a pause that doubles with each further failure (stored in the
  database, timed with ``store.clock``).
* `check_write` runs inside every audited write (desktop.store.audit.record): a write the role
  may not do raises `PermissionDenied` and the transaction rolls back, so the GUI and the CLI are
  held to the same rules. The role is read afresh from the table, so a demotion or a deactivation
  on another computer takes effect at the next write.
* Accounts are never deleted, and the last active 管理员 can be neither deactivated nor demoted.

Passwords and hashes never reach the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sqlite3
from dataclasses import dataclass, replace

from desktop.core import access
from desktop.core.access import OperatorRole, Permission, PermissionDenied, SignInRequired
from desktop.core.errors import NotFound, UserError
from desktop.store import audit
from desktop.store.db import Store

DEFAULT_IDLE_LOCK_MINUTES = 10
_IDLE_KEY = "idle_lock_minutes"
# Failures with names that have no account share one counter, so a pause does not tell
# whether a name exists.
_UNKNOWN_FAILURES_KEY = "signin_unknown_failures"
_UNKNOWN_UNTIL_KEY = "signin_unknown_until"


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

    @property
    def label(self) -> str:
        """张三(管理员), or the account name when there is no display name."""
        shown = self.display_name or self.name
        return f"{shown}({self.role.label})"


_COLUMNS = ("id, name, display_name, role, active, created_at, last_login_at, failed_attempts, locked_until,"
            " version")


def _row(row) -> Operator:
    oid, name, display, role, active, created, last, failed, until, version = row
    return Operator(oid, name, display, OperatorRole(role), bool(active), created, last, failed, until, version)


def _snapshot(op: Operator) -> dict:
    return {"name": op.name, "display_name": op.display_name, "role": op.role.value, "active": op.active}


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
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM operator WHERE name = ?", (name.strip(),)).fetchone()
    return _row(row) if row else None


def _hash_of(store: Store, operator_id: int) -> str:
    return store.conn.execute("SELECT password_hash FROM operator WHERE id = ?", (operator_id,)).fetchone()[0]


def current(store: Store) -> Operator | None:
    """The signed-in operator's account as it is now (None when nobody is signed in)."""
    if store.role is None:
        return None
    return maybe(store, store.operator)


# ---------------------------------------------------------------- permissions

def _effective_role(store: Store) -> OperatorRole | None:
    """The role writes are checked against; raises when sign-in is on and the store is not signed in
    (or its account was deactivated meanwhile). None when sign-in is off."""
    if store.role is None:
        if not accounts_enabled(store):
            return None
        raise SignInRequired("这个数据库已启用操作员登录,请先登录再修改数据。没有修改任何数据。")
    op = maybe(store, store.operator)
    if op is None or not op.active:
        raise PermissionDenied(f"操作员账户“{store.operator}”已被停用或不存在,不能再修改数据。请用其他账户登录。")
    return op.role


def check_write(store: Store, action: str, entity: str) -> None:
    """Refuse a write the signed-in operator's role may not do (called by audit.record)."""
    permission = access.permission_for(entity, action)
    if permission is not None:
        require(store, permission)


def require(store: Store, permission: Permission | str) -> None:
    """Refuse before starting when the operator may not do `permission` (backup, restore, ...)."""
    role = _effective_role(store)
    if role is not None and not access.allows(role, permission):
        raise PermissionDenied(access.denial_message(store.operator, role, permission))


def allowed(store: Store, permission: Permission | str) -> bool:
    """For the GUI to disable what the operator may not do (never raises)."""
    try:
        require(store, permission)
    except PermissionDenied:
        return False
    return True


# ---------------------------------------------------------------- account changes

def _admins_left(store: Store, excluding: int) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM operator WHERE role = 'admin' AND active = 1 AND id != ?",
                              (excluding,)).fetchone()[0]


def _bump(store: Store, op: Operator, expected_version: int | None) -> None:
    if expected_version is not None and op.version != expected_version:
        raise UserError(f"账户“{op.name}”在您打开后已被他人修改。请重新打开账户列表后再改,您的修改没有保存。")


def add_operator(store: Store, name: str, password: str, role: OperatorRole | str, display_name: str = "") -> Operator:
    """A new account. The first active 管理员 turns sign-in on."""
    name = access.check_account_name(name)
    role = OperatorRole(role)
    display_name = display_name.strip()
    access.check_password(password, name)
    hashed = access.hash_password(password)  # slow: before the transaction
    with store.atomic():
        if maybe(store, name) is not None:
            raise UserError(f"已有名为“{name}”的操作员账户(账户不会删除,停用的也算)。请换一个账户名。")
        # The first active 管理员 turns sign-in on: nobody could have signed in before it.
        first_admin = role is OperatorRole.admin and not accounts_enabled(store)
        now = store.clock.now().isoformat(timespec="seconds")
        oid = store.conn.execute(
            "INSERT INTO operator (name, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, display_name, role.value, hashed, now)).lastrowid
        op = find_operator(store, name)
        audit.record(store, "add_first_admin" if first_admin else "add", "operator", oid,
                     f"新增操作员 {op.label}" + (",启用操作员登录" if first_admin else ""), after=_snapshot(op))
    return op


def set_password(store: Store, name: str, password: str) -> Operator:
    """A 管理员 resets anyone's password; any signed-in operator may change his or her own."""
    op = find_operator(store, name)
    access.check_password(password, op.name)
    hashed = access.hash_password(password)
    own = store.role is not None and store.operator.casefold() == op.name.casefold()
    with store.atomic():
        store.conn.execute("UPDATE operator SET password_hash = ?, failed_attempts = 0, locked_until = NULL,"
                           " version = version + 1 WHERE id = ?", (hashed, op.id))
        audit.record(store, "own_password" if own else "password", "operator", op.id,
                     f"{'修改本人密码' if own else '重设密码'}:{op.label}")
    return find_operator(store, op.name)


def set_role(store: Store, name: str, role: OperatorRole | str, expected_version: int | None = None) -> Operator:
    op = find_operator(store, name)
    role = OperatorRole(role)
    with store.atomic():
        op = find_operator(store, name)
        _bump(store, op, expected_version)
        if op.role is role:
            return op
        if op.role is OperatorRole.admin and op.active and _admins_left(store, op.id) == 0:
            raise UserError(f"“{op.name}”是最后一位在用的管理员,不能改为{role.label}。请先为另一位操作员设置管理员角色。")
        # Audited before the update: the check must see the role the operator has now (an admin
        # may demote himself when another admin remains).
        audit.record(store, "role", "operator", op.id, f"操作员 {op.name} 的角色:{op.role.label} → {role.label}",
                     before=_snapshot(op), after=_snapshot(replace(op, role=role)))
        store.conn.execute("UPDATE operator SET role = ?, version = version + 1 WHERE id = ?", (role.value, op.id))
        after = find_operator(store, op.name)
    if store.role is not None and store.operator.casefold() == op.name.casefold():
        store.role = role.value
    return after


def set_display_name(store: Store, name: str, display_name: str) -> Operator:
    op = find_operator(store, name)
    with store.atomic():
        store.conn.execute("UPDATE operator SET display_name = ?, version = version + 1 WHERE id = ?",
                           (display_name.strip(), op.id))
        after = find_operator(store, op.name)
        audit.record(store, "edit", "operator", op.id, f"修改操作员 {op.name} 的显示名", before=_snapshot(op),
                     after=_snapshot(after))
    return after


def set_active(store: Store, name: str, active: bool, expected_version: int | None = None) -> Operator:
    """Deactivate (never delete) or reactivate an account."""
    with store.atomic():
        op = find_operator(store, name)
        _bump(store, op, expected_version)
        if op.active == active:
            return op
        if not active and op.role is OperatorRole.admin and _admins_left(store, op.id) == 0:
            raise UserError(f"“{op.name}”是最后一位在用的管理员,不能停用。请先新增或指定另一位管理员。")
        audit.record(store, "activate" if active else "deactivate", "operator", op.id,  # before: see set_role
                     f"{'启用' if active else '停用'}操作员 {op.label}", before=_snapshot(op),
                     after=_snapshot(replace(op, active=active)))
        store.conn.execute("UPDATE operator SET active = ?, failed_attempts = 0, locked_until = NULL,"
                           " version = version + 1 WHERE id = ?", (int(active), op.id))
        after = find_operator(store, op.name)
    return after


def deactivate(store: Store, name: str, expected_version: int | None = None) -> Operator:
    return set_active(store, name, False, expected_version)


def idle_lock_minutes(store: Store) -> int:
    """Minutes without input before the window locks (0: never)."""
    raw = store.meta(_IDLE_KEY)
    try:
        value = int(raw) if raw is not None else DEFAULT_IDLE_LOCK_MINUTES
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return max(0, min(value, 24 * 60))


def set_idle_lock_minutes(store: Store, minutes: int) -> int:
    if not 0 <= minutes <= 240:
        raise UserError("空闲锁定时间请填 0 到 240 分钟(0 表示不自动锁定)。")
    before = idle_lock_minutes(store)
    with store.atomic():
        _set_meta(store, _IDLE_KEY, str(minutes))
        audit.record(store, "idle_lock", "operator_policy", None,
                     f"空闲锁定时间:{before} → {minutes} 分钟" if minutes else "关闭空闲自动锁定",
                     before={"idle_lock_minutes": before}, after={"idle_lock_minutes": minutes})
    return minutes


def _set_meta(store: Store, key: str, value: str | None) -> None:
    if value is None:
        store.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (key, value))


# ---------------------------------------------------------------- sign-in

def _seconds_left(store: Store, until: str | None) -> int:
    if not until:
        return 0
    try:
        moment = dt.datetime.fromisoformat(until)
    except ValueError:
        return 0
    left = (moment - store.clock.now()).total_seconds()
    return math.ceil(left) if left > 0 else 0


_DUMMY_HASH: dict[tuple[int, int, int], str] = {}


def _spend_like_a_check(password: str) -> None:
    """Take as long as a real check, so timing does not tell whether a name exists."""
    key = (access.SCRYPT_N, access.SCRYPT_R, access.SCRYPT_P)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = access.hash_password("不存在的账户", salt=b"\0" * access.SALT_BYTES)
    access.verify_password(password, _DUMMY_HASH[key])


def verify_credentials(store: Store, name: str, password: str) -> Operator:
    """Check a name and password without signing in; counts failures and enforces the pause.

    The same message for an unknown name, a deactivated account and a wrong password.
    """
    name = name.strip()
    op = maybe(store, name) if name else None
    if op is None or not op.active:
        wait = _seconds_left(store, store.meta(_UNKNOWN_UNTIL_KEY))
        if wait:
            raise UserError(access.locked_message(wait))
        _spend_like_a_check(password)
        failures = int(store.meta(_UNKNOWN_FAILURES_KEY, "0") or 0) + 1
        pause = access.pause_after(failures)
        with _bookkeeping(store):
            _set_meta(store, _UNKNOWN_FAILURES_KEY, str(failures))
            _set_meta(store, _UNKNOWN_UNTIL_KEY, _until(store, pause))
            audit.record(store, "sign_in_failed", "operator", None, "登录失败:账户名或密码不正确")
        raise UserError(access.locked_message(pause) if pause else access.SIGN_IN_FAILED)
    wait = _seconds_left(store, op.locked_until)
    if wait:
        raise UserError(access.locked_message(wait))
    stored = _hash_of(store, op.id)
    if not access.verify_password(password, stored):
        failures = op.failed_attempts + 1
        pause = access.pause_after(failures)
        with _bookkeeping(store):
            store.conn.execute("UPDATE operator SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                               (failures, _until(store, pause), op.id))
            audit.record(store, "sign_in_failed", "operator", op.id,
                         f"账户“{op.name}”登录失败(连续第 {failures} 次)" + (f",暂停 {access.wait_text(pause)}" if pause else ""))
        raise UserError(access.locked_message(pause) if pause else access.SIGN_IN_FAILED)
    if access.needs_rehash(stored) and not store.read_only:  # the cost was raised since this password was set
        with store.atomic():
            store.conn.execute("UPDATE operator SET password_hash = ? WHERE id = ?", (access.hash_password(password), op.id))
    return op


def _until(store: Store, pause: int) -> str | None:
    if not pause:
        return None
    return (store.clock.now() + dt.timedelta(seconds=pause)).isoformat(timespec="seconds")


@contextlib.contextmanager
def _bookkeeping(store: Store):
    """A transaction for sign-in bookkeeping; a read-only database keeps none (and can take no writes)."""
    if store.read_only:
        yield
        return
    with store.atomic():
        yield


def sign_in(store: Store, op: Operator, how: str = "登录") -> Operator:
    """Make `op` the store's operator (after `verify_credentials`): audit rows carry the name."""
    if store.read_only:  # nothing can be written, sign-in included
        store.operator, store.role = op.name, op.role.value
        return op
    with store.atomic():
        now = store.clock.now().isoformat(timespec="seconds")
        store.conn.execute("UPDATE operator SET last_login_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
                           (now, op.id))
        _set_meta(store, _UNKNOWN_FAILURES_KEY, None)
        _set_meta(store, _UNKNOWN_UNTIL_KEY, None)
        previous = (store.operator, store.role)
        store.operator, store.role = op.name, op.role.value
        try:
            audit.record(store, "sign_in", "operator", op.id, f"{how}:{op.label}")
        except BaseException:
            store.operator, store.role = previous
            raise
    return find_operator(store, op.name)


def authenticate(store: Store, name: str, password: str, how: str = "登录") -> Operator:
    """Check the name and password and sign the store in; a Chinese UserError otherwise."""
    return sign_in(store, verify_credentials(store, name, password), how)
