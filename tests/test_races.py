"""两位秘书同时保存:每个检查规则的操作,两个写入者在同一瞬间开始(barrier),恰好一个成功,
另一个得到中文的冲突说明,什么也不丢。

The races the issue "One write path" found (20 of 20 overlapping trips saved twice, a step done
twice) and every other operation that checks a rule; each race runs `rounds` (tests/conftest.py) times on one
database file (a fresh record or fresh days each round).
"""

from __future__ import annotations

import datetime as dt

import pytest
from race import one_wins, race

from desktop import ops
from desktop.core.absence import Absence, AbsenceState
from desktop.core.acting import Designation
from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import profiles_dir
from desktop.store import absences

pytestmark = pytest.mark.both_engines  # each race on a file and on a server database

D = dt.date
PANZHIHUA = load_profile(profiles_dir() / "panzhihua.toml")


@pytest.fixture
def gov(store):
    ids = {}
    for name, role in (("王市长", Role.chief), ("李常务", Role.executive_deputy), ("张副", Role.deputy),
                       ("周副", Role.deputy), ("刘副", Role.deputy)):
        ids[name] = ops.people.add_person(store, PersonDraft(name=name, role=role)).value.id
    return ids


def trip(pid: int, start: dt.date, end: dt.date, dest: str = "北京") -> Absence:
    return Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=start, end=end, destination=dest,
                   reason="会议", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 10, 9))


def approved(store, pid: int, start: dt.date, end: dt.date) -> Absence:
    record = ops.absences.add_absence(store, PANZHIHUA, trip(pid, start, end)).value.record
    while record.state is AbsenceState.in_progress:
        step = next(s for s in absences.steps_of(store, record.id) if s.state.value == "pending")
        record, _ = ops.absences.advance_absence(store, record.id, step.assignee_name or "办公室").value
    assert record.state is AbsenceState.approved
    return record


FUTURE = D(2027, 1, 4)


def days(i: int, length: int = 2, first: dt.date = FUTURE) -> tuple[dt.date, dt.date]:
    start = first + dt.timedelta(days=4 * i)
    return start, start + dt.timedelta(days=length - 1)


def test_two_overlapping_trips_for_one_leader_one_is_saved(store, gov, db_path, clock, rounds):
    pid = gov["张副"]
    for i in range(rounds):
        start, end = days(i)
        outcomes = race(db_path, clock,
                        lambda s, a=start, b=end: ops.absences.add_absence(s, PANZHIHUA, trip(pid, a, b)),
                        lambda s, a=start, b=end: ops.absences.add_absence(s, PANZHIHUA, trip(pid, a, b + dt.timedelta(days=1),
                                                                                               "上海")))
        _winner, loser = one_wins(outcomes, UserError)
        assert "张副" in str(loser.error) and "重叠" in str(loser.error)
    assert len(absences.list_absences(store, person_id=pid)) == rounds


def test_one_step_is_done_once_when_two_secretaries_click_it(store, gov, db_path, clock, rounds):
    """Both saw the record waiting for the same step; the second click is refused, not done again."""
    for i in range(rounds):
        start, end = days(i)
        record = ops.absences.add_absence(store, PANZHIHUA, trip(gov["张副"], start, end)).value.record
        step = next(s for s in absences.steps_of(store, record.id) if s.state.value == "pending")
        who = step.assignee_name or "办公室"
        seen = absences.get_absence(store, record.id)
        _winner, loser = one_wins(race(db_path, clock,
                                      lambda s, r=record.id, w=who, v=seen: ops.absences.advance_absence(s, r, w, seen=v),
                                      lambda s, r=record.id, w=who, v=seen: ops.absences.advance_absence(s, r, w, seen=v)),
                                 ConcurrentEdit)
        assert loser.error.entity == "absence"
        done = [s for s in absences.steps_of(store, record.id) if s.state.value != "pending"]
        assert len(done) == 1  # one step done, by one secretary
        assert absences.get_absence(store, record.id).version == seen.version + 1


@pytest.mark.parametrize("what", ["return", "extend", "cancel"])
def test_return_extend_cancel_on_one_record_one_wins(store, gov, db_path, clock, what, rounds):
    rounds = rounds if what == "return" else rounds // 2
    for i in range(rounds):
        start, end = days(i, 3, D(2025, 3, 3) if what == "return" else FUTURE)  # 销假 after the fact
        record = approved(store, gov["周副"], start, end)
        seen = absences.get_absence(store, record.id)

        def act(s, r=record.id, v=seen, e=end):
            if what == "return":
                return ops.absences.return_absence(s, r, e - dt.timedelta(days=1), seen=v)
            if what == "extend":
                return ops.absences.extend_absence(s, r, e + dt.timedelta(days=1), reason="会议延长", seen=v)
            return ops.absences.set_state(s, r, "cancel", "行程取消", seen=v)

        _winner, loser = one_wins(race(db_path, clock, act, act), ConcurrentEdit)
        assert "您的修改没有保存" in str(loser.error)
        assert absences.get_absence(store, record.id).version == seen.version + 1


def test_extension_into_a_trip_saved_at_the_same_moment_is_refused(store, gov, db_path, clock, rounds):
    """延期 into days that a colleague fills with another trip of the same leader: never both."""
    pid = gov["刘副"]
    for i in range(rounds // 2):
        start, end = days(i)
        record = approved(store, pid, start, end)
        later = end + dt.timedelta(days=1)
        outcomes = race(db_path, clock,
                        lambda s, r=record.id, d=later: ops.absences.extend_absence(s, r, d, reason="延长"),
                        lambda s, d=later: ops.absences.add_absence(s, PANZHIHUA, trip(pid, d, d, "上海")))
        one_wins(outcomes, UserError)


def test_a_designee_is_never_designated_while_a_trip_saved_first_takes_him_away(store, gov, db_path, clock, rounds):
    """000 art.61: the office designates a leader who is present. A trip of the designee saved at the
    same moment either comes first (the designation is refused) or after it (both stand)."""
    for i in range(rounds):
        start, end = days(i)
        designation = Designation(date_from=start, date_to=end, absent_ids=frozenset({gov["张副"], gov["周副"]}),
                                  designee_id=gov["刘副"], reason="AB角均外出")
        outcomes = race(db_path, clock,
                        lambda s, d=designation: ops.absences.designate(s, d),
                        lambda s, a=start, b=end: ops.absences.add_absence(s, PANZHIHUA, trip(gov["刘副"], a, b)))
        designated, travelled = outcomes
        for o in outcomes:
            if o.error is not None and not isinstance(o.error, UserError):
                raise o.error
        assert travelled.won
        if designated.won:  # then the designation was written before the trip: its audit row is older
            rows = store.conn.execute(
                "SELECT entity FROM audit WHERE entity IN ('designation', 'absence') ORDER BY id DESC LIMIT 2").fetchall()
            assert [r[0] for r in rows] == ["absence", "designation"]
        else:
            assert "也外出" in str(designated.error)


def test_销假与办公室备案同时办理_两个都成功_备案不丢(store, gov, db_path, clock, rounds):
    """000 art.84: 市长外出 … 向市政府办公室备案. One secretary marks the mayor's trip returned while
    another files it: in either order both succeed (销假 never waits for the filing), and the record
    ends returned with its filing done."""
    for i in range(rounds // 2):
        start, end = days(i, 2, D(2025, 3, 3))
        record = ops.absences.add_absence(store, PANZHIHUA, trip(gov["王市长"], start, end)).value.record
        assert record.state is AbsenceState.in_progress
        first, second = race(db_path, clock,
                             lambda s, r=record.id, e=end: ops.absences.return_absence(s, r, e),
                             lambda s, r=record.id: ops.absences.advance_absence(s, r, "办公室", profile=PANZHIHUA))
        assert first.won and second.won, (first.error, second.error)
        assert absences.get_absence(store, record.id).state is AbsenceState.returned
        assert [s.state.value for s in absences.steps_of(store, record.id)] == ["done"]
