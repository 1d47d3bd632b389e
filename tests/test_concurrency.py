"""两位秘书同时编辑同一条记录:后保存的一方被拒绝,提示对方改了什么、谁、何时,重新载入后再保存,不丢更新。

Two secretaries are two `open_store` connections on one database file (as on a shared folder);
one test has the second secretary be a real `python -m desktop` process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import ops
from desktop.core.absence import Absence, AbsenceState
from desktop.core.changes import ConcurrentEdit, diff
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import available_profiles, profiles_dir
from desktop.store import absences, duty, people
from desktop.store.db import default_operator
from desktop.store.opening import open_store

D = dt.date
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def profile():
    return load_profile(profiles_dir() / "panzhihua.toml")


@pytest.fixture
def two(db_path, clock):
    """王秘书 (A) and 李秘书 (B) on the same file, each with their own connection."""
    a = open_store(db_path, clock, operator="王秘书")
    ops.org.init_org(a, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    b = open_store(db_path, clock, operator="李秘书")
    yield a, b
    b.close()
    a.close()


def draft_of(p, **changes) -> PersonDraft:
    base = PersonDraft(name=p.name, role=p.role, title=p.title, phone=p.phone, unit=p.unit, note=p.note,
                       active=p.active, rank=p.rank)
    return dataclasses.replace(base, **changes)


def test_person_second_save_is_refused_with_what_changed_then_reload_keeps_both(two):
    a, b = two
    ops.people.add_person(a, PersonDraft(name="王市长", role=Role.chief))
    zhang = ops.people.add_person(a, PersonDraft(name="张三", role=Role.deputy, phone="13800000001")).value
    seen_a = people.get_person(a, zhang.id)
    seen_b = people.get_person(b, zhang.id)  # both opened version 1

    ops.people.update_person(a, zhang.id, draft_of(seen_a, phone="13900000002"), seen_a.version, seen=seen_a)
    with pytest.raises(ConcurrentEdit) as caught:
        ops.people.update_person(b, zhang.id, draft_of(seen_b, title="常务副市长"), seen_b.version, seen=seen_b)
    exc = caught.value
    assert (exc.entity, exc.entity_id, exc.had_version, exc.current_version) == ("person", zhang.id, 1, 2)
    assert [str(c) for c in exc.changes] == ["电话 13800000001 → 13900000002"]
    assert exc.by == ("王秘书",) and exc.at == "2026-11-21T09:30:00"
    assert [str(c) for c in exc.yours] == ["职务 (空) → 常务副市长"]
    assert str(exc) == ("“张三”的信息在您打开后已被 王秘书 于 2026-11-21 09:30 修改:电话 13800000001 → 13900000002。"
                        "您的修改没有保存。请点“重新载入”(或刷新)查看最新内容后再修改。")
    assert people.get_person(b, zhang.id).title == ""  # nothing of B's save was written

    fresh = people.get_person(b, zhang.id)  # 重新载入
    ops.people.update_person(b, zhang.id, draft_of(fresh, title="常务副市长"), fresh.version, seen=fresh)
    final = people.get_person(a, zhang.id)
    assert (final.phone, final.title, final.version) == ("13900000002", "常务副市长", 3)


def test_rank_moved_by_the_other_secretary_is_listed(two):
    a, b = two
    ops.people.add_person(a, PersonDraft(name="王市长", role=Role.chief))
    ops.people.add_person(a, PersonDraft(name="李四", role=Role.deputy))
    zhang = ops.people.add_person(a, PersonDraft(name="张三", role=Role.deputy)).value
    seen_b = people.get_person(b, zhang.id)
    ops.people.move(a, zhang.id, -1)  # 排名 3 → 2
    with pytest.raises(ConcurrentEdit, match="已被 王秘书 于 2026-11-21 09:30 修改:排名 3 → 2。") as caught:
        ops.people.update_person(b, zhang.id, draft_of(seen_b, phone="13700000000"), seen_b.version, seen=seen_b)
    assert [c.key for c in caught.value.changes] == ["rank"]


def test_without_the_loaded_person_the_changes_come_from_the_audit_rows(two):
    """The command line knows only the version: what changed is read from the newer audit rows."""
    a, b = two
    ops.people.add_person(a, PersonDraft(name="王市长", role=Role.chief))
    zhang = ops.people.add_person(a, PersonDraft(name="张三", role=Role.deputy, phone="13800000001")).value
    ops.people.update_person(a, zhang.id, draft_of(zhang, phone="13900000002", unit="市政府"), 1)
    with pytest.raises(ConcurrentEdit) as caught:
        ops.people.update_person(b, zhang.id, draft_of(zhang, note="x"), 1)
    assert [str(c) for c in caught.value.changes] == ["电话 13800000001 → 13900000002", "所在单位 (空) → 市政府"]


def _approved(store, profile, pid, start, end) -> Absence:
    draft = Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=start, end=end, destination="北京",
                    reason="全国会议", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 10, 9))
    record = ops.absences.add_absence(store, profile, draft).value.record
    for _ in range(5):
        steps = [s for s in absences.steps_of(store, record.id) if s.state.value == "pending"]
        if not steps:
            break
        record, _outcome = ops.absences.advance_absence(store, record.id, steps[0].assignee_name or store.operator).value
    assert record.state is AbsenceState.approved
    return record


@pytest.fixture
def gov(two):
    a, _b = two
    ids = {}
    for name, role in (("王市长", Role.chief), ("李常务", Role.executive_deputy), ("张副", Role.deputy),
                       ("周副", Role.deputy)):
        ids[name] = ops.people.add_person(a, PersonDraft(name=name, role=role)).value.id
    ops.people.set_ab(a, people.get_person(a, ids["张副"]), people.get_person(a, ids["周副"]))
    return ids


def test_absence_second_save_is_refused_then_reload_keeps_both(two, gov, profile):
    a, b = two
    record = _approved(a, profile, gov["张副"], D(2026, 11, 19), D(2026, 11, 25))
    seen_a, seen_b = absences.get_absence(a, record.id), absences.get_absence(b, record.id)

    ops.absences.extend_absence(a, record.id, D(2026, 11, 28), reason="会议延长", seen=seen_a)
    with pytest.raises(ConcurrentEdit) as caught:
        ops.absences.return_absence(b, record.id, D(2026, 11, 21), seen=seen_b)
    exc = caught.value
    assert exc.entity == "absence" and exc.by == ("王秘书",)
    assert "结束日期 2026-11-25 → 2026-11-28" in [str(c) for c in exc.changes]
    assert "原定结束日期 (空) → 2026-11-25" in [str(c) for c in exc.changes]
    assert "状态 已批准 → 已销假" in [str(c) for c in exc.yours]
    assert str(exc).startswith(f"编号 {record.id} 的记录(张副 出差 ")
    assert "已被 王秘书 于 2026-11-21 09:30 修改:结束日期 2026-11-25 → 2026-11-28" in str(exc)
    assert absences.get_absence(a, record.id).state is AbsenceState.approved  # B wrote nothing

    fresh = absences.get_absence(b, record.id)  # 重新载入
    ops.absences.return_absence(b, record.id, D(2026, 11, 21), seen=fresh)
    final = absences.get_absence(a, record.id)
    assert (final.end, final.original_end, final.state, final.actual_return) == (
        D(2026, 11, 28), D(2026, 11, 25), AbsenceState.returned, D(2026, 11, 21))


def test_withdraw_and_cancel_are_refused_on_a_stale_record_too(two, gov, profile):
    a, b = two
    record = _approved(a, profile, gov["张副"], D(2026, 12, 1), D(2026, 12, 3))
    seen_b = absences.get_absence(b, record.id)
    ops.absences.extend_absence(a, record.id, D(2026, 12, 4))
    with pytest.raises(ConcurrentEdit, match="结束日期 2026-12-03 → 2026-12-04"):
        ops.absences.set_state(b, record.id, "cancel", "行程取消", seen=seen_b)
    assert absences.get_absence(b, record.id).state is AbsenceState.approved


def test_duty_plan_change_is_refused_when_the_plan_moved_on(db_path, clock, profile):

    a = open_store(db_path, clock, operator="王秘书")
    ops.org.populate(a, available_profiles())
    b = open_store(db_path, clock, operator="李秘书")
    try:
        scope = duty.holiday_plan_scope(a, 2026, "国庆节")
        info = ops.duty.plan(a, profile, scope).value.info
        seen_b = duty.get_plan(b, info.id)
        day_a = duty.load_plan(a, info.id).rows[0]
        ops.duty.pin(a, profile, info.id, day_a.date, day_a.person_id, expected_version=info.version)
        rows = duty.load_plan(b, info.id).rows
        with pytest.raises(ConcurrentEdit) as caught:
            ops.duty.swap(b, profile, info.id, rows[1].date, rows[2].date, expected_version=seen_b.version)
        exc = caught.value
        label = f"{day_a.date.month}月{day_a.date.day}日"
        assert exc.by == ("王秘书",)
        assert f"{label} {day_a.name} → {day_a.name}(固定)" in [str(c) for c in exc.changes]
        assert str(exc).startswith(f"“{info.title}”在您打开后已被 王秘书 于 2026-11-21 09:30 修改:{label}")
        fresh = duty.get_plan(b, info.id)  # 重新载入
        ops.duty.swap(b, profile, info.id, rows[1].date, rows[2].date, expected_version=fresh.version)
        final = duty.load_plan(a, info.id)
        assert final.on(day_a.date)[0].fixed == "pin"  # A's pin survived B's swap
        assert {final.on(rows[1].date)[0].name, final.on(rows[2].date)[0].name} == {rows[1].name, rows[2].name}
        assert final.on(rows[1].date)[0].name == rows[2].name
    finally:
        b.close()
        a.close()


def test_a_real_second_process_writing_through_the_cli(two, gov, profile, db_path):
    """A loads the record; another DutyDesk process (the command line) extends it; A's 销假 is refused."""
    a, _b = two
    record = _approved(a, profile, gov["张副"], D(2026, 11, 19), D(2026, 11, 25))
    seen = absences.get_absence(a, record.id)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "desktop", "absence", "extend", str(record.id), "--to", "2026-11-27",
                           "--reason", "会议延长", "--db", str(db_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with pytest.raises(ConcurrentEdit) as caught:
        ops.absences.return_absence(a, record.id, D(2026, 11, 21), seen=seen)
    exc = caught.value
    assert exc.by == (default_operator(),)
    assert "结束日期 2026-11-25 → 2026-11-27" in str(exc)
    fresh = absences.get_absence(a, record.id)
    saved = ops.absences.return_absence(a, record.id, D(2026, 11, 21), seen=fresh).value
    assert (saved.end, saved.state) == (D(2026, 11, 27), AbsenceState.returned)


def test_diff_labels_and_values_in_chinese():
    before = {"role": "deputy", "active": 1, "phone": "1", "version": 1}
    after = {"role": "executive_deputy", "active": 0, "phone": "1", "version": 2}
    assert [str(c) for c in diff("person", before, after)] == ["角色 副职 → 常务副职", "在任 是 → 否"]
    assert [str(c) for c in diff("absence", {"acting_ids": [1]}, {"acting_ids": [1, 2]}, {1: "甲", 2: "乙"})] == [
        "代行人 甲 → 甲、乙"]
