"""示例数据是“活的一周”:相对今天的各种状态的外出、AB角缺位、代行市长、会议请假与能否召开、下一个假期的值班。

The living demo (issue 13, "First hour"): written through the operations, so the audit log verifies,
and relative to the injected clock, for any day of the week (a Saturday, a Monday, a day before a holiday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.absence import DisplayState, effective_state
from desktop.core.clock import FixedClock
from desktop.core.errors import UserError
from desktop.resources import available_profiles
from desktop.store import absences, audit_check, duty, meetings, people
from desktop.store.opening import open_store

DAYS = [dt.datetime(2026, 11, 21, 9, 30),  # a Saturday (the suite's clock)
        dt.datetime(2026, 12, 7, 8, 55),  # a Monday
        dt.datetime(2026, 9, 29, 17, 0),  # the Tuesday before 国庆节
        dt.datetime(2026, 2, 12, 10, 0)]  # before 春节


@pytest.fixture(params=DAYS, ids=lambda d: d.date().isoformat())
def week(request, tmp_path):
    store = open_store(tmp_path / "demo.db", FixedClock(request.param), operator="测试员")
    days = ops.demo.populate_week(store, available_profiles()).value
    yield store, days
    store.close()


def _states(store, today):
    names = {p.id: p.name for p in people.list_people(store)}
    records = absences.absences_between(store, today - dt.timedelta(days=40), today + dt.timedelta(days=60))
    return {names[a.person_id]: (a, effective_state(a, today)) for a in records}


def test_every_state_of_a_trip_is_there_relative_to_today(week):
    store, days = week
    states = _states(store, days.today)
    shown = {s for _a, s in states.values()}
    assert {DisplayState.draft, DisplayState.in_progress, DisplayState.approved, DisplayState.underway,
            DisplayState.returned, DisplayState.overdue_return} <= shown
    returned = states["吴国栋"][0]
    assert returned.actual_return < returned.end  # 提前返回
    extended = states["赵雪梅"][0]
    assert extended.original_end is not None and extended.end > extended.original_end  # 延期
    assert states["赵雪梅"][1] is DisplayState.underway
    assert states["王建国"][1] is DisplayState.underway  # the 市长 is away today


def test_the_chief_is_away_and_the_executive_deputy_acts(week):
    store, days = week
    profile = ops.org.profile_of(store)
    report = ops.absences.acting_on(store, profile, days.today)
    acting = {(e.absent_person.name, e.actor.name) for e in report.acting}
    assert ("王建国", "李志强") in acting  # 000 art.10
    assert ("陈明", "刘海峰") in acting  # AB角 000 art.61


def test_an_ab_gap_waits_for_a_designation(week):
    store, days = week
    report = ops.absences.acting_on(store, ops.org.profile_of(store), days.gap)
    gaps = [{p.name for p in g.absent} for g in report.gaps]
    assert {"赵雪梅", "孙卫东"} in gaps
    assert not absences.roster(store, days.gap, days.gap).designations


def test_pending_steps_include_the_chief_and_an_approver_who_is_away(week):
    store, _days = week
    waiting = {w.target_text for w in ops.absences.pending(store, ops.org.profile_of(store))}
    assert "常务副市长 李志强(代市长)" in waiting  # waiting for the 市长, who is away today
    # 陈明 is away and the step waits for him: his AB partner does not sign 分管领导同意 for him under
    # panzhihua's reading of 000 art.61 (部分政务活动职责; the profile's acting `approves` setting)
    assert "分管领导 陈明" in waiting


def test_the_meeting_this_week_has_two_leave_requests_and_a_quorum_question(week):
    store, days = week
    profile = ops.org.profile_of(store)
    (m,) = meetings.list_meetings(store, days.today, days.today + dt.timedelta(days=10))
    assert m.day == days.meeting and m.day.isocalendar()[:2] in {days.today.isocalendar()[:2],
                                                                 (days.today + dt.timedelta(days=7)).isocalendar()[:2]}
    leaves = meetings.leaves_of(store, m.id)
    assert sorted(lv.state.value for lv in leaves) == ["approved", "requested"]
    q = ops.meetings.quorum_of(store, profile, m.id)
    assert q.present == q.required  # it holds now, and fails if the waiting request is granted


def test_the_next_holiday_has_leaders_and_officers(week):
    store, days = week
    plans = [p for y in (days.today.year, days.today.year + 1) for p in duty.plans(store, y)]
    assert {p.slot for p in plans} == {duty.LEADER, duty.OFFICER}
    assert all(p.start > days.today for p in plans)


def test_the_audit_log_is_real_and_verifies(week):
    store, days = week
    report = audit_check.verify(store)
    assert report.ok, report.text()
    rows = store.conn.execute("SELECT at FROM audit ORDER BY id").fetchall()
    ats = [r[0] for r in rows]
    assert len(ats) > 40 and ats[0] < days.today.isoformat() and ats == sorted(ats)  # over the past days, in order


def test_demo_refuses_a_database_with_data(store):
    with pytest.raises(UserError, match="新的空数据库"):
        ops.demo.populate_week(store, available_profiles())


def test_cli_demo_writes_the_file_and_needs_db(tmp_path, clock, capsys):
    target = tmp_path / "示例.db"
    assert main(["--db", str(target), "demo"], clock=clock) == 0
    out = capsys.readouterr().out
    assert "已写入示例政府" in out and str(target) in out
    assert main(["--db", str(target), "absence", "list", "--json"], clock=clock) == 0
    assert '"state"' in capsys.readouterr().out
    assert main(["--db", str(target), "demo"], clock=clock) == 2
    assert "新的空数据库" in capsys.readouterr().err
    assert main(["demo"], clock=clock) == 2
    assert "--db" in capsys.readouterr().err
