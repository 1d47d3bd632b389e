"""操作员账户与权限:scrypt 密码哈希、密码规则、登录限速、按角色在存储层统一拦截写操作。"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from desktop import ops
from desktop.core import access
from desktop.core.absence import Absence
from desktop.core.access import OperatorRole, Permission, PermissionDenied, SignInRequired
from desktop.core.clock import FixedClock
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import profiles_dir
from desktop.store import audit, operators, people
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines  # on a file and on a server database

PASSWORD = "值班报备2026"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    """测试中降低 scrypt 成本(哈希串自带参数,校验不受影响);另有一个测试用真实参数。"""
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)


@pytest.fixture
def profile():
    return load_profile(profiles_dir() / "panzhihua.toml")


@pytest.fixture
def accounts(store):
    """一位管理员、一位录入员、一位只读;建好后以管理员身份登录。"""
    ops.operators.add_operator(store, "admin", PASSWORD, "admin", "办公室 王主任")
    ops.operators.authenticate(store, "admin", PASSWORD)  # sign-in is on from the first 管理员
    ops.operators.add_operator(store, "clerk", PASSWORD, "clerk", "李文书")
    ops.operators.add_operator(store, "viewer", PASSWORD, "viewer")
    return store


@pytest.fixture
def deputy(accounts):
    """人员:一位市长(外出流程要报告他)和一位副市长;返回副市长的 id。"""
    ops.people.add_person(accounts, PersonDraft(name="王市长", role=Role.chief))
    return ops.people.add_person(accounts, PersonDraft(name="张副", role=Role.deputy)).value.id


def _count(store, table):
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _trip(pid):
    return Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=dt.date(2026, 11, 26),
                   end=dt.date(2026, 11, 28), destination="北京", leaves_jurisdiction=True,
                   reported_at=dt.datetime(2026, 11, 20, 9))


# ---------------------------------------------------------------- hashing and policy

def test_hash_is_self_describing_and_verifies():
    stored = access.hash_password(PASSWORD)
    algo, n, r, p, salt, digest = stored.split("$")
    assert (algo, n, r, p) == ("scrypt", str(2**4), "8", "1")
    import base64

    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert access.verify_password(PASSWORD, stored)
    assert not access.verify_password(PASSWORD + "x", stored)
    assert access.hash_password(PASSWORD) != stored  # a fresh salt each time


def test_real_parameters_verify_and_older_hashes_are_flagged_for_rehash(monkeypatch):
    """生产参数 N=2**14, r=8, p=1;低成本哈希仍能校验,并提示需要重新哈希。"""
    monkeypatch.setattr(access, "SCRYPT_N", 2**14)
    stored = access.hash_password(PASSWORD)
    assert stored.startswith("scrypt$16384$8$1$")
    assert access.verify_password(PASSWORD, stored)
    assert not access.verify_password("wrong-password", stored)
    assert not access.needs_rehash(stored)
    cheap = "scrypt$16$8$1$" + stored.split("$", 4)[4]
    assert access.needs_rehash(cheap)


@pytest.mark.parametrize("bad", ["", "plain", "scrypt$16$8$1$!!$!!", "scrypt$17$8$1$AAAA$AAAA", "scrypt$2097152$8$1$AAAAAAAA$" + "A" * 44])
def test_malformed_hash_never_verifies(bad):
    assert not access.verify_password(PASSWORD, bad)


@pytest.mark.parametrize(("password", "name", "message"), [
    ("short1", "zhang", "至少需要 8 个字符"),
    ("aaaaaaaaaa", "zhang", "同一个字符"),
    ("Zhangsan99", "zhangsan99", "不能与账户名相同"),
])
def test_password_policy_messages(password, name, message):
    with pytest.raises(UserError, match=message):
        access.check_password(password, name)


def test_account_name_rules():
    assert access.check_account_name("  张三 ") == "张三"
    with pytest.raises(UserError, match="空格"):
        access.check_account_name("zhang san")
    with pytest.raises(UserError, match="请填写账户名"):
        access.check_account_name("  ")


def test_every_store_entity_has_an_explicit_permission():
    """每个可修改的实体(desktop.ops.base.Entity,审计记录的实体名)都在权限表中(新增实体时必须决定谁能改它)。"""
    from desktop.ops.base import Entity

    names = {e.value for e in Entity}
    for path in [*Path("desktop/store").glob("*.py"), *Path("desktop/ops").glob("*.py")]:  # not yet moved ones
        names |= set(re.findall(r"audit\.record\(\s*store,\s*[^,]+,\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert {"absence", "person", "duty_plan", "operator"} <= names
    unmapped = {n for n in names if access.permission_for(n, "x") is Permission.admin_only}
    assert unmapped == set()


def test_role_permissions():
    assert access.allows("admin", "people") and access.allows("admin", "record")
    assert access.allows("clerk", "record") and not access.allows("clerk", "people")
    assert not any(access.allows("viewer", p) for p in Permission)
    assert access.permission_for("meeting_leave", "add") is Permission.record
    assert access.permission_for("operator", "sign_in") is None


# ---------------------------------------------------------------- accounts

def test_sign_in_off_until_an_admin_exists(store):
    assert not operators.accounts_enabled(store)
    ops.operators.add_operator(store, "clerk", PASSWORD, "clerk")
    assert not operators.accounts_enabled(store)  # a 录入员 alone does not turn sign-in on
    ops.people.add_person(store, PersonDraft(name="王市长", role=Role.chief))  # as today: everything allowed
    ops.operators.add_operator(store, "admin", PASSWORD, "admin")
    assert operators.accounts_enabled(store)
    with pytest.raises(SignInRequired, match="请先登录"):
        ops.people.add_person(store, PersonDraft(name="李常务", role=Role.executive_deputy))
    assert [p.name for p in people.list_people(store)] == ["王市长"]


def test_authenticate_signs_in_and_audit_rows_carry_the_operator(accounts, deputy, profile):
    store = accounts
    assert (store.operator, store.role) == ("admin", "admin")
    pid = deputy
    assert audit.history(store, "person", pid)[0].operator == "admin"
    ops.operators.authenticate(store, "clerk", PASSWORD)
    saved = ops.absences.add_absence(store, profile, _trip(pid)).value
    row = audit.history(store, "absence", saved.record.id)[0]
    assert row.operator == "clerk"
    sign_ins = [r for r in audit.history(store, "operator") if r.action == "sign_in"]
    assert [r.operator for r in sign_ins][:2] == ["clerk", "admin"]
    assert audit.verify(store)[1] is None
    # neither passwords nor hashes in the log
    text = " ".join(f"{r.summary} {r.before} {r.after}" for r in audit.history(store, limit=1000))
    assert PASSWORD not in text and "scrypt$" not in text


def test_wrong_password_and_unknown_name_get_the_same_message(accounts):
    with pytest.raises(UserError) as wrong:
        ops.operators.authenticate(accounts, "clerk", "not-the-password")
    with pytest.raises(UserError) as unknown:
        ops.operators.authenticate(accounts, "nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == access.SIGN_IN_FAILED
    assert accounts.operator == "admin"  # still the admin


def test_deactivated_account_cannot_sign_in(accounts):
    ops.operators.deactivate(accounts, "clerk")
    with pytest.raises(UserError, match="账户名或密码不正确"):
        ops.operators.authenticate(accounts, "clerk", PASSWORD)


def test_failures_pause_and_the_pause_grows(db_path):
    clock = FixedClock(dt.datetime(2026, 11, 21, 9, 30))
    store = open_store(db_path, clock, operator="测试员")
    try:
        ops.operators.add_operator(store, "admin", PASSWORD, "admin")
        for _ in range(4):
            with pytest.raises(UserError, match="账户名或密码不正确"):
                ops.operators.authenticate(store, "admin", "wrong-password")
        with pytest.raises(UserError, match="请 30 秒后再试"):
            ops.operators.authenticate(store, "admin", "wrong-password")
        # paused: even the right password waits
        with pytest.raises(UserError, match="请 30 秒后再试"):
            ops.operators.authenticate(store, "admin", PASSWORD)
        clock.moment += dt.timedelta(seconds=31)
        with pytest.raises(UserError, match="请 1 分钟后再试"):  # the 6th failure doubles the pause
            ops.operators.authenticate(store, "admin", "wrong-password")
        assert operators.find_operator(store, "admin").failed_attempts == 6
        clock.moment += dt.timedelta(minutes=1)
        ops.operators.authenticate(store, "admin", PASSWORD)
        assert operators.find_operator(store, "admin").failed_attempts == 0
    finally:
        store.close()
    # stored in the database: a new process sees the same counter
    assert access.pause_after(4) == 0 and access.pause_after(5) == 30 and access.pause_after(30) == 15 * 60


def test_unknown_names_pause_too(accounts):
    for _ in range(4):
        with pytest.raises(UserError, match="不正确"):
            ops.operators.authenticate(accounts, f"nobody{_}", "whatever-pass")
    with pytest.raises(UserError, match="30 秒"):
        ops.operators.authenticate(accounts, "nobody", "whatever-pass")


def test_last_admin_cannot_be_deactivated_or_demoted(accounts):
    with pytest.raises(UserError, match="最后一位在用的管理员"):
        ops.operators.deactivate(accounts, "admin")
    with pytest.raises(UserError, match="最后一位在用的管理员"):
        ops.operators.set_role(accounts, "admin", "clerk")
    ops.operators.set_role(accounts, "clerk", "admin")
    ops.operators.set_role(accounts, "admin", "viewer")  # another admin exists now
    assert accounts.role == "viewer"  # the signed-in operator's own role follows
    assert operators.find_operator(accounts, "admin").active


def test_names_are_unique_and_accounts_are_never_deleted(accounts):
    with pytest.raises(UserError, match="已有名为“CLERK”"):
        ops.operators.add_operator(accounts, "CLERK", PASSWORD, "viewer")
    ops.operators.deactivate(accounts, "clerk")
    assert [o.name for o in operators.list_operators(accounts)][-1] == "clerk"
    assert not operators.find_operator(accounts, "clerk").active


def test_password_reset_and_own_password(accounts):
    ops.operators.set_password(accounts, "clerk", "新的密码123456")
    ops.operators.authenticate(accounts, "clerk", "新的密码123456")
    ops.operators.set_password(accounts, "clerk", "本人改的密码99")  # a 录入员 changes his own
    with pytest.raises(PermissionDenied, match="管理操作员账户"):
        ops.operators.set_password(accounts, "viewer", "别人的密码1234")
    assert audit.history(accounts, "operator")[0].action == "own_password"


# ---------------------------------------------------------------- enforcement on real tables

def test_viewer_cannot_add_an_absence_and_nothing_is_written(accounts, deputy, profile):
    pid = deputy
    ops.operators.authenticate(accounts, "viewer", PASSWORD)
    before = (_count(accounts, "absence"), _count(accounts, "audit"))
    with pytest.raises(PermissionDenied) as exc:
        ops.absences.add_absence(accounts, profile, _trip(pid))
    assert "只读" in str(exc.value) and "录入员或管理员" in str(exc.value)
    assert (_count(accounts, "absence"), _count(accounts, "audit")) == before
    assert not ops.base.allowed(accounts, "record")


def test_clerk_records_but_cannot_edit_people_rules_or_accounts(accounts, deputy, profile):
    pid = deputy
    ops.operators.authenticate(accounts, "clerk", PASSWORD)
    saved = ops.absences.add_absence(accounts, profile, _trip(pid)).value
    assert saved.record.id
    person = people.get_person(accounts, pid)
    with pytest.raises(PermissionDenied, match="录入员,不能修改人员和AB角。这项操作需要管理员"):
        ops.people.update_person(accounts, pid, PersonDraft(name="张副市长", role=Role.deputy), person.version)
    assert people.get_person(accounts, pid).name == "张副"
    with pytest.raises(PermissionDenied, match="节假日日历"):
        ops.calendar.correct_day(accounts, dt.date(2026, 1, 3), rest=False, name=None, note="测试")
    with pytest.raises(PermissionDenied, match="管理操作员账户"):
        ops.operators.add_operator(accounts, "other", PASSWORD, "viewer")
    with pytest.raises(PermissionDenied, match="备份或恢复"):
        ops.base.require(accounts, "maintain")


def test_people_import_is_refused_once_not_per_row(accounts):
    from desktop.core.people_import import ParsedPeople

    ops.operators.authenticate(accounts, "viewer", PASSWORD)
    parsed = ParsedPeople(drafts=(PersonDraft(name="甲", role=Role.staff),), rows=(2,), errors=(), ab=())
    with pytest.raises(PermissionDenied, match="只读"):
        ops.people.import_people(accounts, parsed)


def test_deactivated_operator_loses_rights_at_the_next_write(accounts):
    store2 = open_store(accounts.location, accounts.clock, operator="x")
    try:
        ops.operators.authenticate(store2, "clerk", PASSWORD)
        ops.operators.deactivate(accounts, "clerk")  # the admin, on another computer
        with pytest.raises(PermissionDenied, match="已被停用"):
            ops.operators.set_idle_lock_minutes(store2, 5)
    finally:
        store2.close()


def test_idle_lock_setting(accounts):
    assert operators.idle_lock_minutes(accounts) == 10
    ops.operators.set_idle_lock_minutes(accounts, 3)
    assert operators.idle_lock_minutes(accounts) == 3
    with pytest.raises(UserError, match="0 到 240"):
        ops.operators.set_idle_lock_minutes(accounts, 999)


def test_role_labels():
    assert [r.label for r in OperatorRole] == ["管理员", "办公室录入员", "单位录入员", "只读"]
    assert access.parse_operator_role("录入员") is OperatorRole.clerk
    with pytest.raises(UserError, match="可选"):
        access.parse_operator_role("boss")
