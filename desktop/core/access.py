"""Operator accounts and access control, the pure part: roles, permissions, password policy and hashing.

Four roles (DESIGN.md has the people the app tracks; these are the people who *use* it):
管理员 ``admin`` manages people, rules, the calendar and accounts; 办公室录入员 ``clerk`` records absences,
designations, duty and meetings and moves them along their chains; 单位录入员 ``unit_clerk`` is a
department's or township's clerk, tied to one unit: he files the absences of his unit's heads and
his unit's holiday duty roster, and sees only those (desktop.ops.scope); 只读 ``viewer`` looks and prints.

Every store write names an entity and an action in its audit row; `permission_for` maps that to
the permission it needs; an operation (desktop.ops.base) checks its permission at its entry and
asserts that every audit row it writes is covered by it.

Passwords are hashed with scrypt (memory-hard), stored self-describing as
``scrypt$N$r$p$<salt b64>$<hash b64>`` so the cost can be raised later and old hashes still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from enum import StrEnum

from desktop.core.errors import UserError


class PermissionDenied(UserError):
    """The signed-in operator's role may not do this; nothing was written."""


class SignInRequired(PermissionDenied):
    """Sign-in is on and nobody has signed in."""


class OperatorRole(StrEnum):
    admin = "admin"
    clerk = "clerk"
    unit_clerk = "unit_clerk"
    viewer = "viewer"

    @property
    def label(self) -> str:
        return OPERATOR_ROLE_LABELS[self]


OPERATOR_ROLE_LABELS: dict[OperatorRole, str] = {
    OperatorRole.admin: "管理员",
    OperatorRole.clerk: "办公室录入员",
    OperatorRole.unit_clerk: "单位录入员",
    OperatorRole.viewer: "只读",
}

OPERATOR_ROLE_DUTIES: dict[OperatorRole, str] = {
    OperatorRole.admin: "管理人员、AB角、规则、日历和操作员账户,备份与恢复,也可登记和办理",
    OperatorRole.clerk: "登记和办理外出/请假、指定代行、值班排班与会议",
    OperatorRole.unit_clerk: "只登记和查看本单位负责同志的外出/请假和本单位的节假日值班表",
    OperatorRole.viewer: "查看和打印,不能修改数据",
}


def parse_operator_role(text: str) -> OperatorRole:
    raw = text.strip()
    for role in OperatorRole:
        if raw.lower() == role.value or raw in (role.label, f"{role.label}用户"):
            return role
    if raw == "录入员":  # the clerk's label before 单位录入员 existed
        return OperatorRole.clerk
    choices = "、".join(f"{r.value}({r.label})" for r in OperatorRole)
    raise UserError(f"未知的操作员角色“{text}”。可选:{choices}")


class Permission(StrEnum):
    record = "record"  # absences (every step), designations, overrides, duty, meetings
    people = "people"  # people, AB pairs, units
    rules = "rules"  # the organisation and its preset, calendar corrections and notices
    accounts = "accounts"  # operator accounts and the idle-lock policy
    maintain = "maintain"  # backup and restore
    unit_record = "unit_record"  # record, limited to one unit's heads and its duty roster (单位录入员)
    admin_only = "admin_only"  # a change this table does not know yet: the safe default


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.record: "登记和办理外出/请假、代行、值班与会议",
    Permission.people: "修改人员和AB角",
    Permission.rules: "修改单位、规则预设和节假日日历",
    Permission.accounts: "管理操作员账户",
    Permission.maintain: "备份或恢复数据库",
    Permission.unit_record: "登记本单位负责同志的外出/请假和本单位的节假日值班表",
    Permission.admin_only: "进行这项修改",
}

ROLE_PERMISSIONS: dict[OperatorRole, frozenset[Permission]] = {
    OperatorRole.admin: frozenset(Permission),
    OperatorRole.clerk: frozenset({Permission.record, Permission.unit_record}),
    OperatorRole.unit_clerk: frozenset({Permission.unit_record}),
    OperatorRole.viewer: frozenset(),
}

#: Audit entity -> the permission a write to it needs.
ENTITY_PERMISSIONS: dict[str, Permission] = {
    "person": Permission.people,
    "ab_pair": Permission.people,
    "unit": Permission.people,
    "org": Permission.rules,
    "profile": Permission.rules,
    "calendar": Permission.rules,
    "absence": Permission.unit_record,  # an absence of a unit's head: 单位录入员 too (desktop.ops.scope)
    "designation": Permission.record,
    "warning_override": Permission.record,
    "duty_plan": Permission.record,
    "duty_quota": Permission.record,
    "duty_unavailable": Permission.record,
    "dept_roster": Permission.unit_record,
    "operator": Permission.accounts,
    "operator_policy": Permission.accounts,
    "backup": Permission.maintain,
    "restore": Permission.maintain,
}
#: Entities named by a prefix (the meeting tables: meeting, meeting_leave, ...).
ENTITY_PREFIX_PERMISSIONS: tuple[tuple[str, Permission], ...] = (("meeting", Permission.record),)

#: Bookkeeping any operator's sign-in writes (no permission needed).
FREE_ACTIONS: frozenset[tuple[str, str]] = frozenset({
    ("operator", "sign_in"),
    ("operator", "sign_in_failed"),
    ("operator", "rehash"),  # a password re-hashed at sign-in with a raised cost (same password)
    ("operator", "own_password"),
    ("operator", "add_first_admin"),  # only while sign-in is off (desktop.store.operators.add_operator)
})


def permission_for(entity: str, action: str) -> Permission | None:
    """The permission a write of `action` on `entity` needs; None for sign-in bookkeeping."""
    if (entity, action) in FREE_ACTIONS:
        return None
    if entity in ENTITY_PERMISSIONS:
        return ENTITY_PERMISSIONS[entity]
    for prefix, permission in ENTITY_PREFIX_PERMISSIONS:
        if entity.startswith(prefix):
            return permission
    return Permission.admin_only


def covers(held: frozenset[Permission] | set[Permission], needed: Permission | str) -> bool:
    """Do the permissions an operation was checked for cover a write that needs `needed`? (登记和办理
    covers its part for one unit.)"""
    needed = Permission(needed)
    return needed in held or (needed is Permission.unit_record and Permission.record in held)


def allows(role: OperatorRole | str, permission: Permission | str) -> bool:
    return Permission(permission) in ROLE_PERMISSIONS[OperatorRole(role)]


def roles_allowed(permission: Permission | str) -> list[OperatorRole]:
    return [r for r in OperatorRole if Permission(permission) in ROLE_PERMISSIONS[r]]


def denial_message(operator: str, role: OperatorRole | str, permission: Permission | str) -> str:
    role = OperatorRole(role)
    permission = Permission(permission)
    who = "或".join(r.label for r in reversed(roles_allowed(permission)))
    scope = ("单位录入员只能登记本单位负责同志的外出/请假和本单位的节假日值班表;"
             if role is OperatorRole.unit_clerk else "")
    return (f"当前操作员“{operator}”的角色是{role.label},不能{PERMISSION_LABELS[permission]}。{scope}"
            f"这项操作需要{who}:请{who}登录后办理(文件 → 切换操作员)。没有修改任何数据。")


def unit_refusal(unit: str, what: str) -> str:
    """A 单位录入员's write outside his unit: what he tried, and what he may do."""
    return (f"{what}不属于本单位({unit}):单位录入员只能登记和查看本单位负责同志的外出/请假和本单位的节假日值班表。"
            "请由政府办公室的录入员办理。没有修改任何数据。")


# ---------------------------------------------------------------- names and passwords

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_NAME_LENGTH = 32


def check_account_name(name: str) -> str:
    """The account name people type to sign in: 1–32 characters, no spaces."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise UserError("请填写账户名(登录时输入的名字),例如“zhangsan”或“张三”。")
    if len(name) > MAX_NAME_LENGTH:
        raise UserError(f"账户名最长 {MAX_NAME_LENGTH} 个字符,请缩短。")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        raise UserError("账户名不能包含空格或控制字符,请去掉后重试。")
    return name


def check_password(password: str, name: str = "") -> None:
    """The password policy; the message says what to change."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码太短:至少需要 {MIN_PASSWORD_LENGTH} 个字符(现在 {len(password)} 个)。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"密码太长:最多 {MAX_PASSWORD_LENGTH} 个字符。")
    if len(set(password)) == 1:
        raise UserError("密码不能由同一个字符重复组成,请换一个不易猜到的密码。")
    if name and password.strip().casefold() == name.strip().casefold():
        raise UserError("密码不能与账户名相同,请换一个不易猜到的密码。")


# scrypt cost: N=2**14, r=8, p=1 takes about 16 MiB and tens of milliseconds per check.
# Tests lower SCRYPT_N through monkeypatch to stay fast; stored hashes carry their own parameters.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_MAX_N = 2**20  # refuse absurd parameters from a tampered file instead of exhausting memory


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$<salt>$<hash>`` (base64), with a fresh 16-byte salt."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    n, r, p = SCRYPT_N, SCRYPT_R, SCRYPT_P
    digest = _scrypt(password, salt, n, r, p, HASH_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and salt and 16 <= len(digest) <= 64):
        return None
    return n, r, p, salt, digest


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for a wrong password or a malformed hash."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(digest)), digest)


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with a lower cost than today's parameters."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    n, r, p, _salt, _digest = parsed
    return n < SCRYPT_N or r < SCRYPT_R or p < SCRYPT_P


# ---------------------------------------------------------------- sign-in throttling

FREE_FAILURES = 5  # failures in a row before a pause
FIRST_PAUSE_S = 30
MAX_PAUSE_S = 15 * 60


def pause_after(failures: int) -> int:
    """Seconds to wait after `failures` failed sign-ins in a row: none for the first four, then
    30 s, doubling with each further failure up to 15 minutes."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_PAUSE_S * 2 ** (failures - FREE_FAILURES), MAX_PAUSE_S)


def wait_text(seconds: int) -> str:
    seconds = max(1, int(seconds))
    if seconds < 60:
        return f"{seconds} 秒"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} 分 {rest} 秒" if rest else f"{minutes} 分钟"


SIGN_IN_FAILED = "账户名或密码不正确,请重新输入。连续输错 5 次后需要等待一段时间才能再试。"


def locked_message(seconds: int) -> str:
    return f"登录失败次数过多,请 {wait_text(seconds)}后再试。如忘记密码,请管理员重设。"
