"""撤销 (编辑 → 撤销, Ctrl+Z): the last operation of this seat undone by an audited operation that
restores the records as they were before it, refused when someone changed them since."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop import ops
from desktop.core.absence import Absence, AbsenceState
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.ops.base import seat_history
from desktop.resources import profiles_dir
from desktop.store import absences, audit, duty, people
from desktop.store.opening import open_store

D = dt.date
PROFILE = load_profile(profiles_dir() / "panzhihua.toml")


def pid(store, name):
    return people.find_person(store, name).id


LAST_WEEK = (D(2026, 11, 16), D(2026, 11, 20))  # today is 2026-11-21 (tests/conftest.py)


def _trip(store, name="张丽华", span=LAST_WEEK) -> Absence:
    start, end = span
    draft = Absence(id=None, person_id=pid(store, name), kind=AbsenceKind.trip, start=start, end=end,
                    destination="成都", leaves_jurisdiction=True)
    return ops.absences.add_absence(store, PROFILE, draft).value.record


def _done(store, rid):
    """Do every pending step of the record (by whoever may)."""
    while True:
        steps = ops.absences.steps_today(store, PROFILE, rid)
        pending = [s for s in steps if s.state.value == "pending"]
        if not pending:
            return absences.get_absence(store, rid)
        s = pending[0]
        ops.absences.advance_absence(store, rid, s.may_be_done_by[0] if s.may_be_done_by else "办公室",
                                     profile=PROFILE)


def test_undo_a_return_restores_the_record_with_a_new_version_and_audits_it(demo_store):
    store = demo_store
    record = _done(store, _trip(store).id)
    returned = ops.absences.return_absence(store, record.id, D(2026, 11, 18)).value
    assert returned.state is AbsenceState.returned
    result = ops.undo.undo_last(store)
    assert result.value.startswith("已撤销:销假")
    again = absences.get_absence(store, record.id)
    assert again.state is record.state and again.actual_return is None
    assert again.version == returned.version + 1  # a new change: a screen showing 已销假 is refused on save
    assert result.changes.touches(ops.base.Entity.absence) and record.id in result.changes.ids_of(ops.base.Entity.absence)
    row = audit.history(store, "absence", record.id, limit=1)[0]
    assert row.action == "undo" and row.summary.startswith("撤销“销假:")
    assert json.loads(row.before)["state"] == "returned" and json.loads(row.after)["state"] == record.state.value
    assert audit.verify(store)[1] is None


def test_undo_a_step_puts_the_step_back_pending(demo_store):
    store = demo_store
    rid = _trip(store).id
    before = absences.steps_of(store, rid)
    steps = ops.absences.steps_today(store, PROFILE, rid)
    s = next(x for x in steps if x.state.value == "pending")
    ops.absences.advance_absence(store, rid, s.may_be_done_by[0] if s.may_be_done_by else "办公室", profile=PROFILE)
    assert absences.steps_of(store, rid) != before
    ops.undo.undo_last(store)
    assert absences.steps_of(store, rid) == before


def test_undo_an_add_deletes_the_record_and_undo_again_goes_further_back(demo_store):
    store = demo_store
    first = _trip(store, "张丽华")
    second = _trip(store, "陈明")
    ops.undo.undo_last(store)
    assert [a.id for a in absences.absences_between(store, D(2026, 11, 1), D(2026, 11, 30))
            if a.id in (first.id, second.id)] == [first.id]
    ops.undo.undo_last(store)
    assert [a.id for a in absences.absences_between(store, D(2026, 11, 1), D(2026, 11, 30))
            if a.id in (first.id, second.id)] == []


def test_an_edit_and_then_its_undo_then_the_earlier_operation(demo_store):
    # 办理 then 销假 of one record: undo twice goes back through both (the versions moved on).
    store = demo_store
    record = _done(store, _trip(store).id)
    ops.absences.return_absence(store, record.id, D(2026, 11, 18))
    ops.undo.undo_last(store)  # the return
    assert absences.get_absence(store, record.id).state is record.state
    ops.undo.undo_last(store)  # the last step of the chain
    assert absences.get_absence(store, record.id).state is not AbsenceState.returned


def test_refused_when_another_seat_changed_the_record_since(demo_store, db_path, clock):
    store = demo_store
    record = _done(store, _trip(store).id)
    extended = ops.absences.extend_absence(store, record.id, D(2026, 11, 22)).value
    other = open_store(db_path, clock, operator="另一位秘书")
    try:
        ops.absences.return_absence(other, record.id, D(2026, 11, 19))  # 销假 at another seat
    finally:
        other.close()
    head = audit.head(store)
    with pytest.raises(UserError) as err:
        ops.undo.undo_last(store)
    text = str(err.value)
    assert f"第 {record.id} 条外出记录" in text and "另一位秘书" in text and "不能撤销" in text
    assert "没有修改任何数据" in text
    assert audit.head(store) == head  # nothing written
    now = absences.get_absence(store, record.id)
    assert now.actual_return == D(2026, 11, 19) and now.version == extended.version + 1
    assert seat_history(store)[-1].summary.startswith("延期")  # still there: not undone


def test_undo_a_pin_a_swap_and_a_replan(demo_store):
    store = demo_store
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    saved = ops.duty.plan(store, PROFILE, scope).value
    plan_id = saved.info.id
    planned = duty.load_plan(store, plan_id)
    first = [(r.date, r.person_id) for r in planned.rows]
    a, b = planned.rows[0], planned.rows[1]
    ops.duty.swap(store, PROFILE, plan_id, a.date, b.date)
    swapped = [(r.date, r.person_id, r.fixed) for r in duty.load_plan(store, plan_id).rows]
    assert swapped != [(d, p, None) for d, p in first]
    ops.undo.undo_last(store)
    assert [(r.date, r.person_id, r.fixed) for r in duty.load_plan(store, plan_id).rows] == \
        [(r.date, r.person_id, r.fixed) for r in planned.rows]
    # a re-plan that changed nothing but the version, then a pin: undo the pin
    other = next(p.id for p in people.list_people(store) if p.role.value == "deputy" and p.id != a.person_id)
    ops.duty.pin(store, PROFILE, plan_id, a.date, other)
    assert duty.load_plan(store, plan_id).on(a.date)[0].person_id == other
    ops.undo.undo_last(store)
    assert [(r.date, r.person_id, r.fixed) for r in duty.load_plan(store, plan_id).rows] == \
        [(r.date, r.person_id, r.fixed) for r in planned.rows]
    # undo the first plan: the plan is gone
    ops.undo.undo_last(store)
    assert duty.plan_for(store, scope.start, scope.end, "leader") is None


def test_nothing_to_undo_and_people_changes_are_refused(demo_store, db_path, clock):
    seat = open_store(db_path, clock, operator="新打开的窗口")
    try:
        with pytest.raises(UserError, match="没有可以撤销的操作"):
            ops.undo.undo_last(seat)
        assert ops.undo.action_text(seat) == "撤销"
        ops.people.add_person(seat, PersonDraft(name="新同志", role=Role.deputy, title="副市长"))
        with pytest.raises(UserError, match="修改了人员,这类修改不能撤销"):
            ops.undo.undo_last(seat)
    finally:
        seat.close()


def test_the_undo_itself_is_not_on_the_list(demo_store):
    store = demo_store
    _trip(store)
    n = len(seat_history(store))
    ops.undo.undo_last(store)
    assert len(seat_history(store)) == n - 1
    assert ops.undo.action_text(store) != "撤销" or n == 1


# ---------------------------------------------------------------- 编辑 → 撤销 in the window

@pytest.fixture
def window(qtbot, session):
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    w.show()
    return w


def test_edit_menu_undo_names_the_operation_and_ctrl_z_undoes_it(window, session):
    from PySide6.QtGui import QKeySequence

    store = session.store
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:2] == ["文件(&F)", "编辑(&E)"]
    assert window.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    # the demo's people import is the seat's last operation: it cannot be undone, the item says why
    assert not window.undo_action.isEnabled() and "不能撤销" in window.undo_action.toolTip()
    draft = Absence(id=None, person_id=pid(store, "张丽华"), kind=AbsenceKind.trip, start=D(2026, 11, 16),
                    end=D(2026, 11, 20), destination="成都", leaves_jurisdiction=True)
    saved = session.run(window, ops.absences.add_absence, PROFILE, draft)
    assert window.undo_action.isEnabled() and window.undo_action.text().startswith("撤销“新增外出/请假:张丽华")
    window.undo_action.trigger()
    assert all(a.id != saved.record.id for a in absences.absences_between(store, D(2026, 11, 1), D(2026, 11, 30)))
    assert window.statusBar().currentMessage().startswith("已撤销:新增外出/请假:张丽华")
    assert not window.undo_action.isEnabled()


def test_a_refused_undo_shows_why_and_writes_nothing(window, session, db_path, clock, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": shown.append(message))
    store = session.store
    record = _done(store, _trip(store).id)
    session.run(window, ops.absences.extend_absence, record.id, D(2026, 11, 22))
    other = open_store(db_path, clock, operator="另一位秘书")
    try:
        ops.absences.return_absence(other, record.id, D(2026, 11, 19))
    finally:
        other.close()
    head = audit.head(store)
    window.undo_action.trigger()
    assert len(shown) == 1 and "另一位秘书" in shown[0] and "不能撤销" in shown[0]
    assert audit.head(store) == head
