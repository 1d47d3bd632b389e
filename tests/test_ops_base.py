"""一次修改就是一个操作:先取写锁,入口处检查权限,规则和写入在同一事务里,返回它自己记下的修改。

The machinery of desktop/ops/base.py, on small operations defined here.
"""

from __future__ import annotations

import pytest

from desktop.core.access import Permission, PermissionDenied
from desktop.core.errors import UserError
from desktop.ops.base import EVERYTHING, Changes, Entity, Tx, operation
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines  # on a file and on a server database


@operation(Permission.people)
def _note(tx: Tx, key: str, value: str, *, fail: bool = False) -> str:
    tx.store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
    tx.audit("edit", Entity.person, 7, f"记下 {key}", after={key: value})
    if fail:
        raise UserError("按规则不能保存。")
    return value


@operation(Permission.people)
def _two(tx: Tx) -> int:
    _note(tx.store, "a", "1")
    _inner_unit(tx.store)
    return 2


@operation(Permission.people)
def _inner_unit(tx: Tx) -> None:
    tx.touch(Entity.unit, 3)


@operation(Permission.people)
def _writes_what_it_may_not(tx: Tx) -> None:
    tx.audit("edit", Entity.designation, 1, "越权")


def _meta(store, key):
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def test_the_result_carries_the_value_and_the_changes_the_operation_recorded(store):
    result = _note(store, "k", "v")
    assert result.value == "v"
    assert result.changes == Changes(frozenset({Entity.person}), {Entity.person: frozenset({7})})
    assert result.changes.touches(Entity.absence, Entity.person) and not result.changes.touches(Entity.absence)
    assert store.conn.execute("SELECT entity, entity_id FROM audit ORDER BY id DESC LIMIT 1").fetchone() == ("person", 7)


def test_a_refused_operation_writes_nothing_not_even_its_audit_row(store):
    audit_rows = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    with pytest.raises(UserError, match="按规则不能保存"):
        _note(store, "k", "v", fail=True)
    assert _meta(store, "k") is None
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == audit_rows
    assert not store.conn.in_transaction


def test_an_operation_inside_another_joins_its_transaction_and_its_changes(store):
    result = _two(store)
    assert result.value == 2 and result.changes.entities == {Entity.person, Entity.unit}
    assert result.changes.ids_of(Entity.unit) == {3}


def test_an_inner_failure_rolls_back_the_whole_operation(store):
    @operation(Permission.people)
    def outer(tx: Tx) -> None:
        _note(tx.store, "x", "1")
        _note(tx.store, "y", "2", fail=True)

    with pytest.raises(UserError):
        outer(store)
    assert _meta(store, "x") is None and _meta(store, "y") is None


def test_permission_is_checked_at_the_entry_before_the_body_runs(db_path, clock, store):
    from desktop import ops

    ops.operators.add_operator(store, "管理员甲", "Abc12345!x", "admin")
    ops.operators.authenticate(store, "管理员甲", "Abc12345!x")
    viewer = ops.operators.add_operator(store, "只读乙", "Abc12345!x", "viewer").value
    other = open_store(db_path, clock, daily_backup=False)
    ops.operators.authenticate(other, viewer.name, "Abc12345!x")  # 只读: may not change people
    ran = []

    @operation(Permission.people)
    def body(tx: Tx) -> None:
        ran.append(1)

    with pytest.raises(PermissionDenied):
        body(other)
    assert ran == [] and not other.conn.in_transaction
    other.close()


def test_an_audit_row_the_declared_permission_does_not_cover_is_a_programming_error(store):
    with pytest.raises(AssertionError, match="needs record"):
        _writes_what_it_may_not(store)
    assert store.conn.execute("SELECT COUNT(*) FROM audit WHERE summary = '越权'").fetchone()[0] == 0


def test_everything_touches_every_entity():
    assert all(EVERYTHING.touches(e) for e in Entity)
    assert not Changes() and Changes.of(Entity.meeting)
