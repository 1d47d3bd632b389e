"""两位秘书同时修改人员、AB角、日历和操作员账户:两个写入者在同一瞬间开始(barrier),
规则在写锁内检查,恰好一个成功或两个依次生效,什么也不丢、不会出现规则不允许的结果。

The people, calendar and operator-account operations that check a rule or a version (the issue
"One write path"); each race runs `rounds` (tests/conftest.py) times on one database file.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from race import one_wins, race

from desktop import ops
from desktop.core import access
from desktop.core.access import OperatorRole, PermissionDenied
from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.roles import Role
from desktop.store import calendar, operators, people

pytestmark = pytest.mark.both_engines  # each race on a file and on a server database

PASSWORD = "值班报备2026"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)


def draft_of(p, **changes) -> PersonDraft:
    fields = {"name": p.name, "role": p.role, "title": p.title, "phone": p.phone, "unit": p.unit, "note": p.note,
              "active": p.active} | changes
    return PersonDraft(**fields)


# ---------------------------------------------------------------- people

def test_two_saves_of_one_person_from_the_same_version_one_is_refused(store, db_path, clock, rounds):
    pid = ops.people.add_person(store, PersonDraft(name="张副", role=Role.deputy)).value.id
    for i in range(rounds):
        seen = people.get_person(store, pid)
        _winner, loser = one_wins(race(
            db_path, clock,
            lambda s, v=seen, n=i: ops.people.update_person(s, pid, draft_of(v, phone=f"1390000{n:04d}"), v.version, seen=v),
            lambda s, v=seen, n=i: ops.people.update_person(s, pid, draft_of(v, note=f"第{n}轮"), v.version, seen=v)),
            ConcurrentEdit)
        assert "您的修改没有保存" in str(loser.error)
        now = people.get_person(store, pid)
        assert now.version == seen.version + 1  # one save, not two
        assert (now.phone == f"1390000{i:04d}") != (now.note == f"第{i}轮")  # exactly one of them is kept


def test_a_partner_deactivated_at_the_same_instant_is_never_paired(store, db_path, clock, rounds):
    """set_ab reads both people inside its transaction: a partner deactivated a moment earlier is refused."""
    a = ops.people.add_person(store, PersonDraft(name="张副", role=Role.deputy)).value
    for i in range(rounds):
        b = ops.people.add_person(store, PersonDraft(name=f"李副{i}", role=Role.deputy)).value
        outcomes = race(db_path, clock,
                        lambda s, x=a, y=b: ops.people.set_ab(s, x, y),
                        lambda s, y=b: ops.people.set_active(s, y.id, False))
        assert outcomes[1].won, outcomes[1].error
        if not outcomes[0].won:
            assert isinstance(outcomes[0].error, UserError) and "已停用" in str(outcomes[0].error)
        inactive = {p.id for p in people.list_people(store) if not p.active}
        assert all(x.id not in inactive and y.id not in inactive for x, y in people.ab_pairs(store))


def test_two_partners_set_for_one_person_at_once_leave_one_pair(store, db_path, clock, rounds):
    a = ops.people.add_person(store, PersonDraft(name="张副", role=Role.deputy)).value
    for i in range(rounds):
        b = ops.people.add_person(store, PersonDraft(name=f"李副{i}", role=Role.deputy)).value
        c = ops.people.add_person(store, PersonDraft(name=f"王副{i}", role=Role.deputy)).value
        outcomes = race(db_path, clock, lambda s, x=a, y=b: ops.people.set_ab(s, x, y),
                        lambda s, x=a, y=c: ops.people.set_ab(s, x, y))
        assert all(o.won for o in outcomes), [o.error for o in outcomes]  # the later one replaces the earlier
        pairs = store.conn.execute("SELECT a_id, b_id FROM ab_pair").fetchall()
        ids = [pid for pair in pairs for pid in pair]
        assert len(ids) == len(set(ids))  # nobody in two pairs
        assert people.ab_partner(store, a.id).id in (b.id, c.id)


def test_reorder_and_an_edit_of_a_moved_person_at_once(store, db_path, clock, rounds):
    """A reorder bumps the version of everyone it moves: an edit from before it is refused, never
    saved over the new rank; an edit first is kept and the reorder still applies."""
    ids = [ops.people.add_person(store, PersonDraft(name=f"副{n}", role=Role.deputy)).value.id for n in range(3)]
    for i in range(rounds):
        order = [p.id for p in people.list_people(store)]
        moved = order[0]
        seen = people.get_person(store, moved)
        outcomes = race(db_path, clock,
                        lambda s, o=order: ops.people.reorder(s, o[1:] + o[:1]),
                        lambda s, v=seen, n=i: ops.people.update_person(s, v.id, draft_of(v, note=f"第{n}轮"),
                                                                       v.version, seen=v))
        assert outcomes[0].won, outcomes[0].error
        now = people.get_person(store, moved)
        assert now.rank == len(ids)  # the reorder is never lost
        if outcomes[1].won:
            assert now.note == f"第{i}轮" and now.version == seen.version + 2
        else:
            assert isinstance(outcomes[1].error, ConcurrentEdit) and now.version == seen.version + 1


# ---------------------------------------------------------------- calendar

def test_two_corrections_of_one_day_at_once_are_applied_one_after_the_other(store, db_path, clock, rounds):
    """No version on a calendar day: the later correction wins, and its audit row's “before” is the
    earlier one's “after” (nothing read before the other wrote)."""
    first = dt.date(2026, 3, 2)
    for i in range(rounds):
        day = first + dt.timedelta(days=7 * (i % 40))
        outcomes = race(db_path, clock,
                        lambda s, d=day: ops.calendar.correct_day(s, d, True, "更正甲", "通知甲"),
                        lambda s, d=day: ops.calendar.correct_day(s, d, False, "更正乙", "通知乙"))
        assert all(o.won for o in outcomes), [o.error for o in outcomes]
        rows = store.conn.execute("SELECT before, after FROM audit WHERE action = 'correct_day'"
                                  " ORDER BY id DESC LIMIT 2").fetchall()
        (last_before, last_after), (_b, earlier_after) = [(json.loads(b) if b else None, json.loads(a)) for b, a in rows]
        assert last_before[:3] == earlier_after[:3]
        stored = calendar.day_row(store, day)
        assert [stored[0], bool(stored[1]), stored[2]] == last_after[:3]


# ---------------------------------------------------------------- operator accounts

def _as(fn):
    """Run `fn(store)` signed in (the race's stores carry the account name; the role read from the table)."""
    def act(s):
        s.role = operators.find_operator(s, s.operator).role.value
        return fn(s)
    return act


def _admin_pair(store, i: int) -> tuple[str, str]:
    """Two new 管理员, then every other 管理员 deactivated: these two are the only ones."""
    a, b = f"甲管理员{i}", f"乙管理员{i}"
    store.operator, store.role = _active_admins(store)[0], "admin"  # the one the last round left
    ops.operators.add_operator(store, a, PASSWORD, "admin")
    ops.operators.add_operator(store, b, PASSWORD, "admin")
    store.operator, store.role = a, "admin"
    for op in operators.list_operators(store, active_only=True):
        if op.role is OperatorRole.admin and op.name not in (a, b):
            ops.operators.set_active(store, op.name, False)
    return a, b


def _active_admins(store) -> list[str]:
    return [o.name for o in operators.list_operators(store, active_only=True) if o.role is OperatorRole.admin]


@pytest.fixture
def admin(store):
    ops.operators.add_operator(store, "admin", PASSWORD, "admin")
    store.operator, store.role = "admin", "admin"
    return store


def test_two_admins_deactivating_each_other_at_once_leave_one(admin, db_path, clock, rounds):
    for i in range(rounds):
        a, b = _admin_pair(admin, i)
        _winner, loser = one_wins(race(db_path, clock,
                                       _as(lambda s, x=b: ops.operators.set_active(s, x, False)),
                                       _as(lambda s, x=a: ops.operators.set_active(s, x, False)),
                                       operators=(a, b)),
                                  UserError)
        assert isinstance(loser.error, PermissionDenied)  # the loser's own account was deactivated first
        assert len(_active_admins(admin)) == 1


def test_two_admins_demoting_themselves_at_once_leave_one(admin, db_path, clock, rounds):
    """Each sees the other as the remaining 管理员; under the lock the second is the last one."""
    for i in range(rounds):
        a, b = _admin_pair(admin, i)
        _winner, loser = one_wins(race(db_path, clock,
                                       _as(lambda s, x=a: ops.operators.set_role(s, x, "clerk")),
                                       _as(lambda s, x=b: ops.operators.set_role(s, x, "clerk")),
                                       operators=(a, b)),
                                  UserError)
        assert "最后一位在用的管理员" in str(loser.error)
        assert len(_active_admins(admin)) == 1


def test_role_change_and_deactivation_of_the_last_admins_at_once_leave_one(admin, db_path, clock, rounds):
    """One 管理员 demotes the other while the other deactivates the first."""
    for i in range(rounds):
        a, b = _admin_pair(admin, i)
        _winner, _loser = one_wins(race(db_path, clock,
                                        _as(lambda s, x=b: ops.operators.set_role(s, x, "clerk")),
                                        _as(lambda s, x=a: ops.operators.set_active(s, x, False)),
                                        operators=(a, b)),
                                   UserError)
        assert len(_active_admins(admin)) == 1
