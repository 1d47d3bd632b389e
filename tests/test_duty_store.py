"""Holiday duty plans in the database (desktop/store/duty.py): planning from the calendar, pins kept,
swaps, replacements, conflicts after planning, counts across plans, and the duty check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from desktop import ops
from desktop.core.absence import Absence, Half
from desktop.core.duty import year_scope
from desktop.core.errors import UserError
from desktop.core.profile import DutyDays, Profile, load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import available_profiles, profiles_dir
from desktop.store import audit, duty, people
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines  # on a file and on a server database

D = dt.date
NATIONAL_DAY = [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]  # the block's weekdays (reading holiday_weekdays)
STATUTORY_NATIONAL_DAY = [D(2026, 10, d) for d in (1, 2, 3)]  # 000 art.81 法定节假日当天: Saturday 10-03 too
POOL = ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋"]


@pytest.fixture
def gov(demo_store):
    return demo_store


def weekday_reading(profile: Profile) -> Profile:
    """The rules read the other way 000 art.81 allows (``holiday_weekdays``: the five weekdays of the
    2026 国庆 block). The tests of pins, swaps, conflicts and replanning need a block of several days
    around a weekend; 攀枝花's own reading (``statutory_days``, issue 14) is tested in
    test_national_day_plan_has_the_statutory_days_and_the_pool and tests/test_rules_scope.py."""
    return dataclasses.replace(profile, duty=dataclasses.replace(profile.duty, days=DutyDays.holiday_weekdays))


@pytest.fixture
def profile():
    return weekday_reading(load_profile(profiles_dir() / "panzhihua.toml"))


def pid(store, name):
    return people.find_person(store, name).id


def national_day(store):
    return duty.holiday_plan_scope(store, 2026, "国庆节")


def away(store, profile, name, start, end, *, kind=AbsenceKind.trip, dest="成都", start_half=Half.full,
         end_half=Half.full):
    person = people.find_person(store, name)
    draft = Absence(id=None, person_id=person.id, kind=kind, start=start, start_half=start_half, end=end,
                    end_half=end_half, destination=dest, reason="全省会议", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 9, 20, 9, 0))
    return ops.absences.add_absence(store, profile, draft).value.record


def names_by_day(stored):
    return {r.date: r.name for r in stored.rows}


def test_national_day_plan_has_the_statutory_days_and_the_pool(gov):
    """000 art.81 除双休日外的法定节假日, read as the statutory days (issue 14): 国庆 10-01 to 10-03, the
    Saturday 10-03 included; the Sunday and the moved rest days 10-05 to 10-07 are not duty days."""
    profile = load_profile(profiles_dir() / "panzhihua.toml")
    saved = ops.duty.plan(gov, profile, national_day(gov)).value
    info = saved.info
    assert (info.year, info.label, info.start, info.end, info.slot) == (2026, "2026年国庆节", D(2026, 10, 1),
                                                                       D(2026, 10, 7), "leader")
    assert not info.provisional and info.days == 3 and info.title == "2026年国庆节领导带班安排"
    stored = duty.load_plan(gov, info.id)
    assert stored.dates() == STATUTORY_NATIONAL_DAY
    assert len(set(names_by_day(stored).values())) == 3  # three days, three different leaders
    assert set(names_by_day(stored).values()) <= set(POOL)
    first = stored.on(D(2026, 10, 1))[0]
    assert first.heavy == "national_day1" and first.heavy_label == "国庆10月1日" and first.holiday == "国庆节"
    assert first.reasons and any(r.startswith("重点日(国庆10月1日)") for r in first.reasons)
    assert first.phone.startswith("1390812") and first.shift == "全天"
    assert [line.name for line in saved.plan.loads] == POOL
    row = audit.history(gov, "duty_plan", info.id)[0]
    assert row.action == "plan" and "生成2026年国庆节带班领导排班,3个值班日" in row.summary
    assert json.loads(row.after)["days"]["2026-10-01"] == [first.name]


def test_nobody_away_is_on_duty(gov, profile):
    away(gov, profile, "王建国", D(2026, 9, 28), D(2026, 10, 3))
    away(gov, profile, "李志强", D(2026, 10, 5), D(2026, 10, 5), start_half=Half.pm)
    away(gov, profile, "张丽华", D(2026, 10, 6), D(2026, 10, 9), kind=AbsenceKind.vacation, dest="")
    stored = duty.load_plan(gov, ops.duty.plan(gov, profile, national_day(gov)).value.info.id)
    by_day = names_by_day(stored)
    assert by_day[D(2026, 10, 1)] != "王建国" and by_day[D(2026, 10, 2)] != "王建国"
    assert by_day[D(2026, 10, 5)] != "李志强"  # away in the afternoon is away
    assert "张丽华" not in (by_day[D(2026, 10, 6)], by_day[D(2026, 10, 7)])
    assert ops.duty.conflicts(gov, stored.id) == []
    assert any("外出或不能带班" in r for row in stored.rows for r in row.reasons)


def test_a_pin_survives_replanning_and_release_lets_it_go(gov, profile):
    saved = ops.duty.plan(gov, profile, national_day(gov)).value
    plan_id = saved.info.id
    wu = pid(gov, "吴国栋")
    pinned = ops.duty.pin(gov, profile, plan_id, D(2026, 10, 1), wu).value
    assert pinned.info.id == plan_id  # the scope's plan is planned again, not a new one
    stored = duty.load_plan(gov, plan_id)
    first = stored.on(D(2026, 10, 1))[0]
    assert (first.name, first.fixed, first.fixed_label) == ("吴国栋", "pin", "固定")
    assert first.reasons[0] == "已手动指定(固定)"
    # an absence elsewhere changes the plan; the pin stays
    away(gov, profile, names_by_day(stored)[D(2026, 10, 6)], D(2026, 10, 6), D(2026, 10, 6))
    again = duty.load_plan(gov, ops.duty.plan(gov, profile, national_day(gov)).value.info.id)
    assert again.id == plan_id and again.on(D(2026, 10, 1))[0].person_id == wu
    assert again.on(D(2026, 10, 1))[0].fixed == "pin"
    assert ops.duty.conflicts(gov, plan_id) == []
    # pinning the person already on a day only marks it fixed
    day5 = again.on(D(2026, 10, 5))[0]
    ops.duty.pin(gov, profile, plan_id, D(2026, 10, 5), day5.person_id)
    assert duty.load_plan(gov, plan_id).on(D(2026, 10, 5))[0].fixed == "pin"
    with pytest.raises(UserError, match="已经固定"):
        ops.duty.pin(gov, profile, plan_id, D(2026, 10, 5), day5.person_id)
    ops.duty.release(gov, profile, plan_id, D(2026, 10, 1))
    assert duty.load_plan(gov, plan_id).on(D(2026, 10, 1))[0].fixed is None
    loose = ops.duty.plan(gov, profile, national_day(gov), keep_pins=False).value
    assert all(a.fixed is None for a in loose.plan.assignments)
    with pytest.raises(UserError, match="没有固定的安排"):
        ops.duty.release(gov, profile, plan_id, D(2026, 10, 1))


def test_swap_keeps_counts_and_marks_both(gov, profile):
    plan_id = ops.duty.plan(gov, profile, national_day(gov)).value.info.id
    before = duty.load_plan(gov, plan_id)
    a, b = before.on(D(2026, 10, 2))[0], before.on(D(2026, 10, 6))[0]
    loads_before = {y.person_id: y.days for y in ops.duty.year_loads(gov, profile, 2026)}
    ops.duty.swap(gov, profile, plan_id, D(2026, 10, 2), D(2026, 10, 6))
    after = duty.load_plan(gov, plan_id)
    x, y = after.on(D(2026, 10, 2))[0], after.on(D(2026, 10, 6))[0]
    assert (x.person_id, y.person_id) == (b.person_id, a.person_id)
    assert x.fixed == y.fixed == "swap" and x.fixed_label == "调班"
    assert x.note == f"与{a.name}互换(原定10月6日)" and x.reasons[0].startswith("调班:与")
    assert {y.person_id: y.days for y in ops.duty.year_loads(gov, profile, 2026)} == loads_before
    assert after.info.version == before.info.version + 1
    assert audit.history(gov, "duty_plan", plan_id)[0].action == "swap"
    # the swap is kept by a re-plan
    ops.duty.plan(gov, profile, national_day(gov))
    kept = duty.load_plan(gov, plan_id)
    assert kept.on(D(2026, 10, 2))[0].person_id == b.person_id and kept.on(D(2026, 10, 6))[0].fixed == "swap"


def test_absence_after_planning_is_a_conflict_and_a_check_violation(gov, profile):
    plan_id = ops.duty.plan(gov, profile, national_day(gov)).value.info.id
    leader = duty.load_plan(gov, plan_id).on(D(2026, 10, 5))[0]
    record = away(gov, profile, leader.name, D(2026, 10, 4), D(2026, 10, 5), dest="北京")
    found = ops.duty.conflicts(gov, plan_id)
    assert [(c.date, c.person_id, c.kind, c.absence_id) for c in found] == [
        (D(2026, 10, 5), leader.person_id, "away", record.id)]
    assert "北京" in found[0].message and "请调班或替换" in found[0].message
    assert duty.duty_assignments(gov, D(2026, 10, 5), D(2026, 10, 5)) == [(D(2026, 10, 5), leader.person_id)]
    findings = ops.absences.check(gov, profile, D(2026, 10, 1), D(2026, 10, 31))
    violations = [f for f in findings if f.kind == "duty_leader_absent"]
    assert len(violations) == 1
    v = violations[0]
    assert v.severity == "violation" and v.person_id == leader.person_id and v.date == D(2026, 10, 5)
    assert v.article == profile.duty.article == "000 art.81"
    assert "带班领导" in v.message
    # the other operations still work on a plan with a conflict, and 替换 resolves it
    cands = ops.duty.candidates(gov, profile, plan_id, D(2026, 10, 5), reason="临时出差")
    assert cands[0].available and leader.person_id not in [c.person_id for c in cands]
    assert cands[0].reasons[0] == f"原定{leader.name}:临时出差"
    ops.duty.replace(gov, profile, plan_id, D(2026, 10, 5), cands[0].person_id, "临时出差")
    fixed = duty.load_plan(gov, plan_id).on(D(2026, 10, 5))[0]
    assert fixed.person_id == cands[0].person_id and fixed.fixed == "replace"
    assert fixed.note == f"原定{leader.name}(临时出差)"
    assert ops.duty.conflicts(gov, plan_id) == []
    assert not [f for f in ops.absences.check(gov, profile, D(2026, 10, 1), D(2026, 10, 31)) if f.kind == "duty_leader_absent"]
    # the replaced leader is recorded as unavailable: a re-plan without pins does not bring him back
    assert duty.unavailable_between(gov, D(2026, 10, 5), D(2026, 10, 5))[leader.person_id][D(2026, 10, 5)] == "临时替换:临时出差"
    ops.duty.plan(gov, profile, national_day(gov), keep_pins=False)
    assert duty.load_plan(gov, plan_id).on(D(2026, 10, 5))[0].person_id != leader.person_id


def test_swap_resolves_a_conflict(gov, profile):
    plan_id = ops.duty.plan(gov, profile, national_day(gov)).value.info.id
    stored = duty.load_plan(gov, plan_id)
    leader = stored.on(D(2026, 10, 2))[0]
    away(gov, profile, leader.name, D(2026, 10, 2), D(2026, 10, 2))
    assert len(ops.duty.conflicts(gov, plan_id)) == 1
    with pytest.raises(UserError, match=r"2026年10月2日外出\(出差,编号 \d+\),不能安排带班"):  # no pin on an away day
        ops.duty.pin(gov, profile, plan_id, D(2026, 10, 2), leader.person_id)
    ops.duty.swap(gov, profile, plan_id, D(2026, 10, 2), D(2026, 10, 7))
    assert ops.duty.conflicts(gov, plan_id) == []
    assert duty.load_plan(gov, plan_id).on(D(2026, 10, 7))[0].person_id == leader.person_id


def test_prior_counts_carry_over_between_the_plans_of_a_year(gov, profile):
    spring = ops.duty.plan(gov, profile, duty.holiday_plan_scope(gov, 2026, "春节")).value
    assert len(spring.plan.assignments) == 6  # 02-16 … 02-20 and 02-23
    served = {a.person_id for a in spring.plan.assignments}
    national = ops.duty.plan(gov, profile, national_day(gov)).value
    prior = {line.person_id: line.prior for line in national.plan.loads}
    assert {p for p, n in prior.items() if n} == served and set(prior.values()) == {0, 1}
    # 6 + 5 days over 9 leaders: nobody gets a second day before everyone has had one
    totals = [line.total for line in national.plan.loads]
    assert sorted(totals) == [1] * 7 + [2] * 2
    assert {a.person_id for a in national.plan.assignments} >= set(prior) - served
    loads = ops.duty.year_loads(gov, profile, 2026)
    assert [y.name for y in loads] == POOL
    assert sum(y.days for y in loads) == 11
    assert float(sum(y.target for y in loads)) == pytest.approx(11)
    who = next(y for y in loads if y.days == 2)
    assert len(who.by_plan) == 2 and {label for _, label, _n in who.by_plan} == {"2026年春节", "2026年国庆节"}
    assert [p.label for p in duty.plans(gov, 2026)] == ["2026年春节", "2026年国庆节"]


def test_heavy_days_of_previous_years_are_history(gov, profile):
    first = ops.duty.plan(gov, profile, duty.holiday_plan_scope(gov, 2025, "国庆节")).value
    on_first = first.plan.on(D(2025, 10, 1))[0].person_id
    national = ops.duty.plan(gov, profile, national_day(gov)).value
    history = {line.person_id: line.heavy_history for line in national.plan.loads}
    assert history[on_first] == profile.duty.heavy_days.national_day1 == 2
    assert national.plan.on(D(2026, 10, 1))[0].person_id != on_first
    loads = {y.person_id: y for y in ops.duty.year_loads(gov, profile, 2026)}
    assert loads[on_first].heavy_history == 2 and loads[on_first].heavy_days == ()
    assert [p.label for p in duty.plans(gov, 2025)] == ["2025年国庆节、中秋节"]


def test_a_year_plan_takes_over_the_holiday_plans_and_keeps_their_pins(gov, profile):
    national = ops.duty.plan(gov, profile, national_day(gov)).value.info.id
    wu = pid(gov, "吴国栋")
    ops.duty.pin(gov, profile, national, D(2026, 10, 2), wu)
    year = ops.duty.plan(gov, profile, year_scope(2026)).value
    assert [p.id for p in duty.plans(gov, 2026)] == [year.info.id]  # the 国庆 plan was taken over
    stored = duty.load_plan(gov, year.info.id)
    assert stored.on(D(2026, 10, 2))[0].person_id == wu and stored.on(D(2026, 10, 2))[0].fixed == "pin"
    assert len(stored.dates()) == len({r.date for r in stored.rows})
    counts = sorted(y.days for y in ops.duty.year_loads(gov, profile, 2026))
    assert counts[-1] - counts[0] <= 1


def test_officers_are_a_second_plan_of_the_same_scope(gov, profile):
    leaders = ops.duty.plan(gov, profile, national_day(gov)).value
    officers = ops.duty.plan(gov, profile, national_day(gov), duty.OFFICER).value
    assert officers.info.id != leaders.info.id and officers.info.slot_label == "值班员"
    stored = duty.load_plan(gov, officers.info.id)
    assert all(len(stored.on(d)) == profile.duty.officers_per_day for d in NATIONAL_DAY)
    assert [r.seq for r in stored.on(D(2026, 10, 1))] == [0, 1]
    staff = {p.id for p in people.list_people(gov, roles=[Role.staff])}
    assert {r.person_id for r in stored.rows} <= staff
    # the duty check looks at leaders only
    assert len(duty.duty_assignments(gov, D(2026, 10, 1), D(2026, 10, 7))) == 5
    assert len(duty.duty_assignments(gov, D(2026, 10, 1), D(2026, 10, 7), duty.OFFICER)) == 10


def test_provisional_year_is_marked(gov, profile):
    saved = ops.duty.plan(gov, profile, duty.holiday_plan_scope(gov, 2027, "国庆节")).value
    assert saved.info.provisional and saved.plan.provisional
    assert all(r.provisional for r in duty.load_plan(gov, saved.info.id).rows)


def test_errors_are_chinese_and_write_nothing(gov, profile):
    with pytest.raises(UserError, match="2026年没有名为“国庆”的假期。2026年的假期:元旦、春节"):
        duty.holiday_plan_scope(gov, 2026, "国庆")
    plan_id = ops.duty.plan(gov, profile, national_day(gov)).value.info.id
    rows = duty.load_plan(gov, plan_id).rows
    n_audit = len(audit.history(gov))
    with pytest.raises(UserError, match="不在“2026年国庆节领导带班安排”中"):
        ops.duty.pin(gov, profile, plan_id, D(2026, 10, 3), pid(gov, "吴国栋"))
    with pytest.raises(UserError, match="调班的两天是同一天"):
        ops.duty.swap(gov, profile, plan_id, D(2026, 10, 2), D(2026, 10, 2))
    on5 = rows[2].name
    away(gov, profile, "吴国栋", D(2026, 10, 5), D(2026, 10, 5))
    n_audit += 1
    with pytest.raises(UserError, match="吴国栋 2026年10月5日外出"):
        ops.duty.replace(gov, profile, plan_id, D(2026, 10, 5), pid(gov, "吴国栋"), "临时")
    assert duty.load_plan(gov, plan_id).rows == rows and len(audit.history(gov)) == n_audit
    assert rows[2].name == on5


def test_day_and_night_shifts_split_the_officers(db_path, clock):
    """001 art.57 (24小时值班): with 白班/夜班, officers_per_day is per shift and the shifts rotate."""
    from desktop.core.duty import OFFICER, week_scope
    from desktop.core.people import PersonDraft
    from desktop.export.duty_roster import rows_from_assignments

    store = open_store(db_path, clock, operator="测试员")
    ops.org.init_org(store, "rizhao", "日照市人民政府办公室", available_profiles())
    import dataclasses

    from desktop.core.profile import DutyDays

    # 001 art.57 is the departments' 24-hour duty: the city roster of rizhao.toml does not use it (issue 14),
    # the solver still serves a profile that sets every day with two shifts
    shipped = load_profile(profiles_dir() / "rizhao.toml")
    rizhao = dataclasses.replace(shipped, duty=dataclasses.replace(shipped.duty, days=DutyDays.every_day,
                                                                   shifts=("白班", "夜班")))
    for n in range(8):
        ops.people.add_person(store, PersonDraft(name=f"值班员{n}", role=Role.staff))
    saved = ops.duty.plan(store, rizhao, week_scope(2026, 48), OFFICER).value  # every_day: 7 days
    rows = duty.load_plan(store, saved.info.id).rows
    by_day: dict = {}
    for r in rows:
        by_day.setdefault(r.date, []).append(r.shift)
    assert len(by_day) == 7
    assert all(sorted(shifts) == ["夜班", "夜班", "白班", "白班"] for shifts in by_day.values())
    first = [next(r.name for r in rows if r.date == d and r.seq == 0) for d in sorted(by_day)[:2]]
    seq0_shift = [next(r.shift for r in rows if r.date == d and r.seq == 0) for d in sorted(by_day)[:2]]
    assert seq0_shift[0] != seq0_shift[1] or first[0] != first[1]  # the first in rank does not always take 白班
    roster = rows_from_assignments([], rows, shifts=rizhao.duty.shifts)
    assert roster[0].officers[0][0].startswith("白班 ") and roster[0].officers[-1][0].startswith("夜班 ")
    store.close()
