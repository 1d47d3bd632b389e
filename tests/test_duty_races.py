"""两位秘书同时修改同一份值班排班:两个写入者在同一瞬间开始(barrier),恰好一个成功,另一个得到中文的
冲突说明(谁在何时改了什么),什么也不丢。

The race the issue "One write path" found (two `duty pin` of the same day with the same expected
version were both accepted, 14 of 20) and every other duty operation that checks something: swap,
replace, pin against release, and declaring the same unavailable date twice.

Each race runs `rounds` (tests/conftest.py) times on ONE plan in one database: a round targets another day of
the plan (the days are used in turn) with the version the plan has now, so no plan is recreated.
The pins and swaps use the 国庆节 plan (5 duty days, re-planned in a few ms); the replacements use
the year's plan (19 duty days), because a replacement marks the replaced leader unavailable on
that day and five days would run out of leaders after a few rounds.
"""

from __future__ import annotations

import datetime as dt

import pytest
from race import one_wins, race

from desktop import ops
from desktop.core.changes import ConcurrentEdit
from desktop.core.duty import year_scope
from desktop.core.errors import UserError
from desktop.core.profile import load_profile
from desktop.resources import profiles_dir
from desktop.store import duty, people

pytestmark = pytest.mark.both_engines  # each race on a file and on a server database

PANZHIHUA = load_profile(profiles_dir() / "panzhihua.toml")
POOL = ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋"]


@pytest.fixture
def national(demo_store):
    return ops.duty.plan(demo_store, PANZHIHUA, duty.holiday_plan_scope(demo_store, 2026, "国庆节")).value.info.id


def audit_rows(store, plan_id: int) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM audit WHERE entity = 'duty_plan' AND entity_id = ?",
                              (plan_id,)).fetchone()[0]


def refused_as_stale(loser, plan_id: int) -> None:
    err = loser.error
    assert isinstance(err, ConcurrentEdit) and err.entity == "duty_plan" and err.entity_id == plan_id
    assert "您的修改没有保存" in str(err) and "2026年国庆节" in str(err), str(err)


def test_two_pins_of_one_day_with_the_same_version_one_is_kept(demo_store, national, db_path, clock, rounds):
    """The issue's race: each secretary pins another leader on the same day of the plan she sees."""
    store = demo_store
    ids = {name: people.find_person(store, name).id for name in POOL}
    for i in range(rounds):
        stored = duty.load_plan(store, national)
        day = stored.dates()[i % len(stored.dates())]
        on_day = stored.on(day)[0].person_id
        a, b = [ids[n] for n in POOL[i % 3::3] if ids[n] != on_day][:2]  # two leaders not on the day
        version, audits = stored.info.version, audit_rows(store, national)
        outcomes = race(db_path, clock,
                        lambda s, d=day, p=a, v=version: ops.duty.pin(s, PANZHIHUA, national, d, p, expected_version=v),
                        lambda s, d=day, p=b, v=version: ops.duty.pin(s, PANZHIHUA, national, d, p, expected_version=v))
        winner, loser = one_wins(outcomes, ConcurrentEdit)
        refused_as_stale(loser, national)
        kept = a if winner is outcomes[0] else b
        now = duty.load_plan(store, national)
        assert [(r.person_id, r.fixed) for r in now.on(day)] == [(kept, "pin")]  # the winner's pin, not lost
        assert now.info.version == version + 1 and audit_rows(store, national) == audits + 1


def test_two_swaps_with_the_same_version_one_is_done(demo_store, national, db_path, clock, rounds):
    store = demo_store
    for i in range(rounds):
        stored = duty.load_plan(store, national)
        dates = stored.dates()
        d = [dates[(i + k) % len(dates)] for k in range(4)]
        before = {r.date: r.person_id for r in stored.rows}
        version = stored.info.version
        outcomes = race(db_path, clock,
                        lambda s, v=version, x=d[0], y=d[1]: ops.duty.swap(s, PANZHIHUA, national, x, y, expected_version=v),
                        lambda s, v=version, x=d[2], y=d[3]: ops.duty.swap(s, PANZHIHUA, national, x, y, expected_version=v))
        winner, loser = one_wins(outcomes, ConcurrentEdit)
        refused_as_stale(loser, national)
        x, y = (d[0], d[1]) if winner is outcomes[0] else (d[2], d[3])
        after = {r.date: r.person_id for r in duty.load_plan(store, national).rows}
        expected = dict(before)
        expected[x], expected[y] = before[y], before[x]
        assert after == expected  # exactly the winner's swap
        assert duty.get_plan(store, national).version == version + 1


def test_two_replacements_of_one_day_one_is_done(demo_store, db_path, clock, rounds):
    store = demo_store
    plan_id = ops.duty.plan(store, PANZHIHUA, year_scope(2026)).value.info.id
    for i in range(rounds):
        stored = duty.load_plan(store, plan_id)
        day = stored.dates()[i % len(stored.dates())]
        gone = stored.on(day)[0].person_id
        cands = [c.person_id for c in ops.duty.candidates(store, PANZHIHUA, plan_id, day) if c.available]
        a, b = cands[i % 2], cands[i % 2 + 1]
        version = stored.info.version
        declared = duty.unavailable_between(store, day, day)
        outcomes = race(db_path, clock,
                        lambda s, p=a, v=version, d=day: ops.duty.replace(s, PANZHIHUA, plan_id, d, p, "临时出差",
                                                                          expected_version=v),
                        lambda s, p=b, v=version, d=day: ops.duty.replace(s, PANZHIHUA, plan_id, d, p, "临时出差",
                                                                          expected_version=v))
        winner, loser = one_wins(outcomes, ConcurrentEdit)
        assert isinstance(loser.error, ConcurrentEdit) and "您的修改没有保存" in str(loser.error)
        took = a if winner is outcomes[0] else b
        now = duty.load_plan(store, plan_id)
        assert [(r.person_id, r.fixed) for r in now.on(day)] == [(took, "replace")]
        # the replaced leader marked unavailable once, by the winner; the loser wrote nothing
        assert duty.unavailable_between(store, day, day).keys() - declared.keys() == {gone}
        assert now.info.version == version + 1


def test_pin_and_release_with_the_same_version_one_is_done(demo_store, national, db_path, clock, rounds):
    """One secretary pins a leader on a day while the other releases a pinned day of the same plan."""
    store = demo_store
    ids = [people.find_person(store, n).id for n in POOL]
    for i in range(rounds):
        stored = duty.load_plan(store, national)
        dates = stored.dates()
        fixed = next((r for r in stored.rows if r.fixed), None)
        if fixed is None:  # a pinned day to release: pin one first (not raced)
            first = stored.on(dates[0])[0]
            ops.duty.pin(store, PANZHIHUA, national, first.date, first.person_id)
            stored = duty.load_plan(store, national)
            fixed = stored.on(dates[0])[0]
        day = next(d for d in dates[(i % len(dates)):] + dates if d != fixed.date)
        on_day = {r.person_id for r in stored.on(day)}
        who = next(p for p in ids[i % len(ids):] + ids if p not in on_day and p != fixed.person_id)
        version = stored.info.version
        outcomes = race(db_path, clock,
                        lambda s, d=day, p=who, v=version: ops.duty.pin(s, PANZHIHUA, national, d, p, expected_version=v),
                        lambda s, d=fixed.date, p=fixed.person_id, v=version: ops.duty.release(
                            s, PANZHIHUA, national, d, p, expected_version=v))
        winner, loser = one_wins(outcomes, ConcurrentEdit)
        refused_as_stale(loser, national)
        now = duty.load_plan(store, national)
        if winner is outcomes[0]:  # the pin: the day holds it, the other pin was not released
            assert [(r.person_id, r.fixed) for r in now.on(day)] == [(who, "pin")]
            assert any(r.fixed for r in now.on(fixed.date))
        else:  # the release: the day is no longer fixed, the other day was not pinned
            assert all(r.fixed is None for r in now.on(fixed.date))
            assert all(r.person_id != who for r in now.on(day))
        assert now.info.version == version + 1


def test_the_same_unavailable_date_declared_twice_is_recorded_once(demo_store, db_path, clock, rounds):
    store = demo_store
    pid = people.find_person(store, "李志强").id
    for i in range(rounds):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i)
        outcomes = race(db_path, clock,
                        lambda s, d=day: ops.duty.set_unavailable(s, pid, d, "另有值守任务"),
                        lambda s, d=day: ops.duty.set_unavailable(s, pid, d, "参加应急演练"))
        _winner, loser = one_wins(outcomes, UserError)
        assert "已登记为不能值班" in str(loser.error)
        assert list(duty.unavailable_between(store, day, day)) == [pid]
    assert store.conn.execute("SELECT COUNT(*) FROM audit WHERE entity = 'duty_unavailable'").fetchone()[0] == rounds
