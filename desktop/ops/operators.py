"""Operations on operator accounts and sign-in: add, password, role, display name, 停用/启用, the
idle-lock policy, and sign-in with its bookkeeping (failures and pauses).

Each is one transaction (desktop.ops.base). The account changes need 管理操作员账户 (checked at the
entry); the rule "at least one active 管理员" is checked under the write lock, so two 管理员 demoting
or deactivating each other at the same instant leave one. Sign-in, its failures, a password change
of one's own and the first 管理员 (while sign-in is off) are free operations: their bodies check what
they need (desktop.core.access.FREE_ACTIONS).

The slow part of a password (scrypt) is computed before the transaction, so the write lock is held
for the writes only; these operations are plain functions that prepare and then run the operation.
"""

from __future__ import annotations

import dataclasses
from typing import ParamSpec, TypeVar

from desktop.core import access
from desktop.core.access import OperatorRole, Permission
from desktop.core.errors import UserError
from desktop.ops.base import EVERYTHING, Changes, Entity, Result, Tx, composite, operation, require
from desktop.store import operators as rows
from desktop.store.db import Store
from desktop.store.operators import Operator

P = ParamSpec("P")
T = TypeVar("T")


def _also_require(tx: Tx, permission: Permission) -> None:
    """A free operation that turns out to need `permission` (not the first 管理员, another's password)."""
    require(tx.store, permission)
    tx.permissions = tx.permissions | {permission}


def _check_version(op: Operator, expected_version: int | None) -> None:
    if expected_version is not None and op.version != expected_version:
        raise UserError(f"账户“{op.name}”在您打开后已被他人修改。请重新打开账户列表后再改,您的修改没有保存。")


# ---------------------------------------------------------------- account changes

def _unit_for(store: Store, role: OperatorRole, unit: str) -> int | None:
    """The unit id a 单位录入员 is tied to (a department or township of the unit table); None for
    the other roles, which have no unit."""
    unit = unit.strip()
    if role is not OperatorRole.unit_clerk:
        if unit:
            raise UserError(f"只有单位录入员才指定所属单位;{role.label}可以查看全部单位。请去掉单位“{unit}”,"
                            "或把角色改为单位录入员。账户没有改动。")
        return None
    if not unit:
        raise UserError("单位录入员必须指定所属单位(部门或乡镇,例如“教育局”):他只能登记和查看本单位负责同志。账户没有改动。")
    found = rows.unit_id_of(store, unit)
    if found is None:
        from desktop.store.people import list_units

        known = "、".join(name for name, _kind in list_units(store)[:12]) or "(还没有单位:请先在人员中填写所在单位)"
        raise UserError(f"没有名为“{unit}”的单位。单位录入员的单位须是人员名单中已有的部门或乡镇,例如:{known}。账户没有改动。")
    return found


@operation()
def _insert_operator(tx: Tx, name: str, hashed: str, role: OperatorRole, display_name: str,
                     unit: str = "") -> Operator:
    store = tx.store
    # The first active 管理员 turns sign-in on: nobody could have signed in before it (decided under the lock).
    first_admin = role is OperatorRole.admin and not rows.accounts_enabled(store)
    if not first_admin:
        _also_require(tx, Permission.accounts)
    if rows.maybe(store, name) is not None:
        raise UserError(f"已有名为“{name}”的操作员账户(账户不会删除,停用的也算)。请换一个账户名。")
    unit_id = _unit_for(store, role, unit)
    oid = rows.insert_operator(store, name, display_name, role, hashed, unit_id)
    op = rows.find_operator(store, name)
    tx.audit("add_first_admin" if first_admin else "add", Entity.operator, oid,
             f"新增操作员 {op.label}" + (",启用操作员登录" if first_admin else ""), after=rows.snapshot(op))
    return op


@composite(*_insert_operator.permissions)
def add_operator(store: Store, name: str, password: str, role: OperatorRole | str,
                 display_name: str = "", unit: str = "") -> Result[Operator]:
    """A new account. The first active 管理员 turns sign-in on (and needs no permission).
    ``unit``: a 单位录入员's department or township (required for that role, refused for the others)."""
    name = access.check_account_name(name)
    role = OperatorRole(role)
    access.check_password(password, name)
    return _insert_operator(store, name, access.hash_password(password), role, display_name.strip(), unit)


@operation()
def _write_password(tx: Tx, name: str, hashed: str) -> Operator:
    store = tx.store
    op = rows.find_operator(store, name)
    own = store.role is not None and store.operator.casefold() == op.name.casefold()
    if not own:
        _also_require(tx, Permission.accounts)
    rows.write_password(store, op.id, hashed)
    tx.audit("own_password" if own else "password", Entity.operator, op.id,
             f"{'修改本人密码' if own else '重设密码'}:{op.label}")
    return rows.find_operator(store, op.name)


@composite(*_write_password.permissions)
def set_password(store: Store, name: str, password: str) -> Result[Operator]:
    """A 管理员 resets anyone's password; any signed-in operator may change his or her own."""
    op = rows.find_operator(store, name)
    access.check_password(password, op.name)
    return _write_password(store, op.name, access.hash_password(password))


@operation(Permission.accounts)
def set_role(tx: Tx, name: str, role: OperatorRole | str, expected_version: int | None = None,
             unit: str = "") -> Operator:
    """A new role; ``unit``: the department or township of a 单位录入员 (required for that role)."""
    store = tx.store
    role = OperatorRole(role)
    op = rows.find_operator(store, name)
    _check_version(op, expected_version)
    unit_id = _unit_for(store, role, unit)
    if op.role is role and op.unit_id == unit_id:
        return op
    if op.role is OperatorRole.admin and op.active and rows.admins_left(store, op.id) == 0:
        raise UserError(f"“{op.name}”是最后一位在用的管理员,不能改为{role.label}。请先为另一位操作员设置管理员角色。")
    rows.write_role_and_unit(store, op.id, role, unit_id)
    after = rows.find_operator(store, op.name)
    tx.audit("role", Entity.operator, op.id, f"操作员 {op.name} 的角色:{op.role_text} → {after.role_text}",
             before=rows.snapshot(op), after=rows.snapshot(after))
    if store.role is not None and store.operator.casefold() == op.name.casefold():
        store.role = role.value
    return rows.find_operator(store, op.name)


@operation(Permission.accounts)
def set_display_name(tx: Tx, name: str, display_name: str) -> Operator:
    store = tx.store
    op = rows.find_operator(store, name)
    rows.write_display_name(store, op.id, display_name.strip())
    after = rows.find_operator(store, op.name)
    tx.audit("edit", Entity.operator, op.id, f"修改操作员 {op.name} 的显示名", before=rows.snapshot(op),
             after=rows.snapshot(after))
    return after


@operation(Permission.accounts)
def set_active(tx: Tx, name: str, active: bool, expected_version: int | None = None) -> Operator:
    """Deactivate (never delete) or reactivate an account; the last active 管理员 stays."""
    store = tx.store
    op = rows.find_operator(store, name)
    _check_version(op, expected_version)
    if op.active == active:
        return op
    if not active and op.role is OperatorRole.admin and rows.admins_left(store, op.id) == 0:
        raise UserError(f"“{op.name}”是最后一位在用的管理员,不能停用。请先新增或指定另一位管理员。")
    rows.write_active(store, op.id, active)
    tx.audit("activate" if active else "deactivate", Entity.operator, op.id,
             f"{'启用' if active else '停用'}操作员 {op.label}", before=rows.snapshot(op),
             after=rows.snapshot(dataclasses.replace(op, active=active)))
    return rows.find_operator(store, op.name)


@composite(Permission.accounts)
def deactivate(store: Store, name: str, expected_version: int | None = None) -> Result[Operator]:
    return set_active(store, name, False, expected_version)


@operation(Permission.accounts)
def set_idle_lock_minutes(tx: Tx, minutes: int) -> int:
    if not 0 <= minutes <= 240:
        raise UserError("空闲锁定时间请填 0 到 240 分钟(0 表示不自动锁定)。")
    before = rows.idle_lock_minutes(tx.store)
    rows.set_meta(tx.store, rows.IDLE_KEY, str(minutes))
    tx.audit("idle_lock", Entity.operator_policy, None,
             f"空闲锁定时间:{before} → {minutes} 分钟" if minutes else "关闭空闲自动锁定",
             before={"idle_lock_minutes": before}, after={"idle_lock_minutes": minutes})
    return minutes


# ---------------------------------------------------------------- sign-in

@operation()
def note_sign_in_failure(tx: Tx, name: str | None) -> int:
    """Count one failed sign-in (of the account `name`, or of a name without one (None): a shared counter, so a
    pause does not tell whether a name exists); returns the pause it starts, in seconds.

    The count is read under the write lock: two failures at once count two."""
    store = tx.store
    tx.bookkeeping = True
    if name is None:
        failures = int(store.meta(rows.UNKNOWN_FAILURES_KEY, "0") or 0) + 1
        pause = access.pause_after(failures)
        rows.set_meta(store, rows.UNKNOWN_FAILURES_KEY, str(failures))
        rows.set_meta(store, rows.UNKNOWN_UNTIL_KEY, rows.until(store, pause))
        tx.audit("sign_in_failed", Entity.operator, None, "登录失败:账户名或密码不正确")
        return pause
    op = rows.find_operator(store, name)
    failures = op.failed_attempts + 1
    pause = access.pause_after(failures)
    rows.write_failures(store, op.id, failures, rows.until(store, pause))
    tx.audit("sign_in_failed", Entity.operator, op.id,
             f"账户“{op.name}”登录失败(连续第 {failures} 次)" + (f",暂停 {access.wait_text(pause)}" if pause else ""))
    return pause


@operation()
def _rehash(tx: Tx, operator_id: int, hashed: str) -> None:
    rows.rehash(tx.store, operator_id, hashed)
    tx.audit("rehash", Entity.operator, operator_id, "登录时按新的强度重新计算了密码摘要(密码不变)")


def _failed(store: Store, op: Operator | None) -> UserError:
    """The refusal of a failed sign-in, after counting it (a read-only database keeps no count)."""
    if store.read_only:
        failures = (op.failed_attempts if op else int(store.meta(rows.UNKNOWN_FAILURES_KEY, "0") or 0)) + 1
        pause = access.pause_after(failures)
    else:
        pause = note_sign_in_failure(store, op.name if op else None).value
    return UserError(access.locked_message(pause) if pause else access.SIGN_IN_FAILED)


def verify_credentials(store: Store, name: str, password: str) -> Operator:
    """Check a name and password without signing in; counts failures (`note_sign_in_failure`) and
    enforces the pause. The same message for an unknown name, a deactivated account and a wrong password.
    """
    name = name.strip()
    op = rows.maybe(store, name) if name else None
    if op is None or not op.active:
        wait = rows.seconds_left(store, store.meta(rows.UNKNOWN_UNTIL_KEY))
        if wait:
            raise UserError(access.locked_message(wait))
        rows.spend_like_a_check(password)
        raise _failed(store, None)
    wait = rows.seconds_left(store, op.locked_until)
    if wait:
        raise UserError(access.locked_message(wait))
    stored = rows.hash_of(store, op.id)
    if not access.verify_password(password, stored):
        raise _failed(store, op)
    if access.needs_rehash(stored) and not store.read_only:  # the cost was raised since this password was set
        _rehash(store, op.id, access.hash_password(password))
    return op


@operation()
def _record_sign_in(tx: Tx, op: Operator, how: str) -> Operator:
    store = tx.store
    tx.bookkeeping = True
    rows.write_sign_in(store, op.id)
    store.operator, store.role = op.name, op.role.value  # the audit row carries the new operator
    tx.audit("sign_in", Entity.operator, op.id, f"{how}:{op.label}")
    return rows.find_operator(store, op.name)


@composite(*_record_sign_in.permissions)
def sign_in(store: Store, op: Operator, how: str = "登录") -> Result[Operator]:
    """Make `op` the store's operator (after `verify_credentials`): audit rows carry the name.

    Changes: everything when the operator (or role) is another one now (every page re-checks what
    may be done), else the account."""
    previous = (store.operator, store.role)
    if store.read_only:  # nothing can be written, sign-in included
        store.operator, store.role = op.name, op.role.value
        return Result(op, EVERYTHING if previous != (store.operator, store.role) else Changes())
    try:
        result = _record_sign_in(store, op, how)
    except BaseException:
        store.operator, store.role = previous
        raise
    return Result(result.value, EVERYTHING if previous != (store.operator, store.role) else result.changes)


@composite(*_record_sign_in.permissions)
def authenticate(store: Store, name: str, password: str, how: str = "登录") -> Result[Operator]:
    """Check the name and password and sign the store in; a Chinese UserError otherwise."""
    return sign_in(store, verify_credentials(store, name, password), how)
