"""Rule checks: lead time, overlaps, acting gaps, not_together, 销假, duty (desktop/core/checks.py)."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import golden_government as golden
import pytest

from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.acting import Designation, Override
from desktop.core.calseed import seed_calendar
from desktop.core.checks import (
    ACTING_GAP,
    DUTY_LEADER_ABSENT,
    LATE_REPORT,
    NO_REPORT_TIME,
    NO_SUPERVISOR,
    NOT_TOGETHER,
    OVERDUE_RETURN,
    OVERLAP,
    URGENT_REPORT,
    check_lead_time,
    check_range,
    check_record,
    duty_leader_absent,
    lead_deadline,
)
from desktop.core.people import Person
from desktop.core.profile import DayUnit, load_profile
from desktop.core.roles import AbsenceKind, Role

pytestmark = pytest.mark.both_engines  # on a file and on a server database

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PZH = load_profile(PROFILES / "panzhihua.toml")
XP = load_profile(PROFILES / "xiping.toml")
CAL = seed_calendar([2027])

PEOPLE = [
    Person(1, "王建国", Role.chief, "市长", 1),
    Person(2, "陈志强", Role.executive_deputy, "常务副市长", 2),
    Person(3, "张丽华", Role.deputy, "副市长", 3),
    Person(4, "李明", Role.deputy, "副市长", 4),
    Person(5, "赵六", Role.deputy, "副市长", 5),
    Person(20, "马晓东", Role.dept_head, "发改委主任", 20, unit="发改委"),
]
BY_ID = {p.id: p for p in PEOPLE}
PAIRS = [(3, 4)]
START = date(2026, 11, 26)

_ids = iter(range(1, 10**7))


def rec(pid: int, start: date = START, end: date | None = None, **kw) -> Absence:
    base = dict(id=next(_ids), person_id=pid, kind=AbsenceKind.trip, start=start, end=end or start,
                destination="北京", leaves_jurisdiction=True, state=AbsenceState.approved,
                reported_at=datetime(2026, 11, 20, 9, 0))  # fmt: skip
    base.update(kw)
    return Absence(**base)


def run(*absences, designations=(), overrides=(), duty=(), today=None, portfolios=None, profile=PZH,
        start=date(2026, 11, 1), end=date(2026, 12, 31)):  # fmt: skip
    return check_range(start, end, profile, CAL, PEOPLE, PAIRS, list(absences), designations, overrides, duty,
                       today=today, portfolios=portfolios)  # fmt: skip


# ------------------------------------------------------------------ lead time


def test_natural_day_notice():
    """000 art.84 提前1天: on time the day before, late the morning it starts."""
    ok = rec(3, reported_at=datetime(2026, 11, 25, 23, 59))
    assert check_lead_time(ok, BY_ID[3], PZH, CAL) is None
    late = check_lead_time(rec(3, reported_at=datetime(2026, 11, 26, 7, 30)), BY_ID[3], PZH, CAL)
    assert (late.kind, late.severity, late.article) == (LATE_REPORT, "violation", "000 art.84")
    assert "2026年11月26日 07:30才报告" in late.message and "至迟于2026年11月25日" in late.message
    assert "勾选“紧急”" in late.message


def test_urgent_is_flagged_urgent_not_late():
    urgent = check_lead_time(
        rec(3, urgent=True, reported_at=datetime(2026, 11, 26, 7, 30)), BY_ID[3], PZH, CAL
    )
    assert (urgent.kind, urgent.severity) == (URGENT_REPORT, "info")
    after = check_lead_time(rec(3, urgent=True, reported_at=datetime(2026, 11, 27, 9)), BY_ID[3], PZH, CAL)
    assert (after.kind, after.severity) == (URGENT_REPORT, "warning")


def test_missing_report_time():
    f = check_lead_time(rec(3, reported_at=None), BY_ID[3], PZH, CAL)
    assert (f.kind, f.severity) == (NO_REPORT_TIME, "warning")
    assert "未登记报告时间" in f.message


def test_no_notice_rule_no_finding():
    # 000 art.84: the mayor's trip is only filed; a dept head inside the city has no chain
    assert check_lead_time(rec(1, reported_at=datetime(2026, 11, 27)), BY_ID[1], PZH, CAL) is None
    assert check_lead_time(rec(20, leaves_jurisdiction=False, reported_at=None), BY_ID[20], PZH, CAL) is None


def test_working_day_notice_skips_the_holidays_and_marks_provisional_days():
    chain = PZH.chain_for(Role.deputy, AbsenceKind.trip, True)
    wd = dataclasses.replace(chain, lead_days=2, lead_unit=DayUnit.workdays)
    profile = dataclasses.replace(PZH, chains=(wd,))
    assert lead_deadline(wd, date(2026, 11, 30), CAL) == (date(2026, 11, 26), False)  # Mon → Thu
    assert lead_deadline(wd, date(2026, 10, 9), CAL) == (date(2026, 9, 30), False)  # over 国庆
    r = rec(3, date(2026, 10, 9), reported_at=datetime(2026, 10, 1, 10))
    f = check_lead_time(r, BY_ID[3], profile, CAL)
    assert f.kind == LATE_REPORT and "提前2个工作日报告" in f.message and "至迟于2026年9月30日" in f.message
    f = check_lead_time(rec(3, date(2027, 1, 4), reported_at=datetime(2027, 1, 1)), BY_ID[3], profile, CAL)
    assert f.provisional  # late December before a year without a notice
    gap = check_lead_time(rec(3, date(2031, 1, 6), reported_at=datetime(2031, 1, 5)), BY_ID[3], profile, CAL)
    assert gap.kind == "calendar_gap"


def test_before_departure_only_when_no_notice_period():
    """002 art.55 事先报告县长 (lead_days = 0): a report after the start is flagged."""
    people = [Person(1, "县长", Role.chief, "", 1), Person(3, "副县长", Role.deputy, "", 3)]
    ok = rec(3, reported_at=datetime(2026, 11, 26, 8))
    assert check_lead_time(ok, people[1], XP, CAL) is None
    late = check_lead_time(rec(3, reported_at=datetime(2026, 11, 27, 8)), people[1], XP, CAL)
    assert (late.kind, late.severity, late.article) == (LATE_REPORT, "warning", "002 art.55")


# ------------------------------------------------------------------ record form


def test_check_record_overlap_and_supervisor():
    draft = rec(20, state=AbsenceState.draft, id=None)
    existing = [rec(20, START - timedelta(days=1), START + timedelta(days=1), id=77)]
    findings = check_record(draft, BY_ID[20], PZH, CAL, existing=existing, people=PEOPLE, portfolios={})
    kinds = {f.kind for f in findings}
    assert kinds == {OVERLAP, NO_SUPERVISOR}
    assert any("编号 77" in f.message for f in findings)
    ok = check_record(draft, BY_ID[20], PZH, CAL, people=PEOPLE, portfolios={3: ["发改委"]})
    assert ok == []


# ------------------------------------------------------------------ range


def test_overlapping_records_are_a_data_error():
    a = rec(3, START, START + timedelta(days=2))
    b = rec(3, START + timedelta(days=2), START + timedelta(days=3))
    c = rec(3, START, START, state=AbsenceState.cancelled)
    found = [f for f in run(a, b, c) if f.kind == OVERLAP]
    assert len(found) == 1 and found[0].record_id == b.id and found[0].date == START + timedelta(days=2)
    half = rec(3, START + timedelta(days=3), START + timedelta(days=3), start_half=Half.pm)
    morning = rec(3, START + timedelta(days=3), START + timedelta(days=3), end_half=Half.am)
    assert not [f for f in run(half, morning) if f.kind == OVERLAP]


def test_ab_gap_merges_consecutive_days_and_a_designation_closes_it():
    """000 art.61: both partners away — one violation for the run of days."""
    a = rec(3, START, START + timedelta(days=3))
    b = rec(4, START + timedelta(days=1), START + timedelta(days=5))
    gaps = [f for f in run(a, b) if f.kind == ACTING_GAP]
    assert len(gaps) == 1
    (g,) = gaps
    assert (g.date, g.date_to, g.severity, g.article) == (START + timedelta(days=1), START + timedelta(days=3),
                                                          "violation", "000 art.61")  # fmt: skip
    assert g.message.startswith("2026年11月27日至29日:")
    assert set(g.person_ids) == {3, 4}
    d = Designation(START + timedelta(days=1), START + timedelta(days=2), frozenset({3, 4}), 5)
    (rest,) = [f for f in run(a, b, designations=[d]) if f.kind == ACTING_GAP]
    assert (rest.date, rest.date_to) == (START + timedelta(days=3), None)


def test_not_together_warning_and_override():
    """000 art.84: 市长与负责常务工作的副市长一般不同时外出."""
    a, b = rec(1), rec(2, START, START + timedelta(days=1))
    (nt,) = [f for f in run(a, b) if f.kind == NOT_TOGETHER]
    assert (nt.severity, nt.date, nt.date_to) == ("warning", START, None)
    o = Override(frozenset({Role.chief, Role.executive_deputy}), START, START, "共同参加省政府会议")
    (nt,) = [f for f in run(a, b, overrides=[o]) if f.kind == NOT_TOGETHER]
    assert nt.severity == "info" and "共同参加省政府会议" in nt.message


def test_overdue_return():
    a = rec(3, START, START + timedelta(days=2))
    assert not [f for f in run(a, today=START + timedelta(days=5)) if f.kind == OVERDUE_RETURN]
    (f,) = [f for f in run(a, today=START + timedelta(days=6)) if f.kind == OVERDUE_RETURN]
    assert f.severity == "warning" and "未销假" in f.message
    returned = dataclasses.replace(a, state=AbsenceState.returned, actual_return=START + timedelta(days=2))
    assert not [f for f in run(returned, today=START + timedelta(days=30)) if f.kind == OVERDUE_RETURN]


def test_duty_leader_absent():
    a = rec(3, START, START + timedelta(days=1), start_half=Half.pm)
    (f,) = duty_leader_absent([(START, 3), (START - timedelta(days=1), 3), (START, 4)], PEOPLE, [a])
    assert f.message.startswith("张丽华 是 2026年11月26日 的带班领导,但当天外出")
    in_range = [f for f in run(a, duty=[(START, 3)]) if f.kind == DUTY_LEADER_ABSENT]
    assert len(in_range) == 1 and in_range[0].article == "000 art.81"


def test_missing_supervisor_once_per_person():
    findings = run(rec(20), rec(20, START + timedelta(days=3)), portfolios={})
    assert len([f for f in findings if f.kind == NO_SUPERVISOR]) == 1
    assert not [f for f in run(rec(20), portfolios={3: ["发改委"]}) if f.kind == NO_SUPERVISOR]


def test_findings_are_sorted_by_date_then_severity():
    findings = run(rec(3, reported_at=None), rec(4), rec(1, START - timedelta(days=3)),
                   rec(2, START - timedelta(days=3)))  # fmt: skip
    keys = [(f.date, ("violation", "warning", "info").index(f.severity)) for f in findings]
    assert keys == sorted(keys)


# ------------------------------------------------------------------ the speed work changes nothing


@pytest.mark.parametrize("name", sorted(golden.GOLDEN))
def test_a_years_findings_are_those_recorded_before_the_speed_work(name):
    """Every finding and message of a year of a random government (2,000 records, half days, returns,
    acting people, designations, overrides, duty, overlaps) is what it was before check_range was made
    fast (tests/golden_government.py says how to update the digest when a change is intended)."""
    gov = golden.government()
    assert golden.findings_digest(gov, golden.profiles()[name], CAL) == golden.GOLDEN[name][0]


def test_a_year_of_a_large_government_is_fast(monkeypatch):
    """A year of 10,000 records of 612 people: the work grows with the days and with the records, never with
    their product. Counted, not timed (a busy machine must not fail it): acting is worked out at most once
    per day, from the records away that day only, and each record's lead time is checked once."""
    from desktop.core import checks as checks_module
    from desktop.core.acting import ActingContext

    rng = random.Random(7)
    people = [Person(1, "市长", Role.chief, "", 1), Person(2, "常务", Role.executive_deputy, "", 2)]
    people += [Person(i, f"副{i}", Role.deputy, "", i) for i in range(3, 13)]
    people += [Person(i, f"局长{i}", Role.dept_head, "", i, unit=f"单位{i}") for i in range(100, 700)]
    pairs = [(i, i + 1) for i in range(3, 13, 2)]
    portfolios = {
        i: [f"单位{u}" for u in range(100 + (i - 3) * 60, 160 + (i - 3) * 60)] for i in range(3, 13)
    }
    records = []
    for i in range(10_000):
        pid = rng.choice(people).id
        s = date(2026, 1, 1) + timedelta(days=rng.randrange(360))
        e = s + timedelta(days=rng.randrange(4))
        records.append(Absence(id=i + 1, person_id=pid, kind=rng.choice(list(AbsenceKind)), start=s, end=e,
                               destination="外地", leaves_jurisdiction=rng.random() < 0.7,
                               reported_at=datetime.combine(s - timedelta(days=rng.randrange(3)), datetime.min.time()),
                               state=AbsenceState.approved))  # fmt: skip
    work: Counter[str] = Counter()
    report, away_maps, lead_time = ActingContext.report, ActingContext.away_maps_of, checks_module._lead_time

    def counted_report(self, *args, **kwargs):
        work["reports"] += 1
        return report(self, *args, **kwargs)

    def counted_away_maps(self, spans, day):
        spans = list(spans)
        work["days looked at"] += 1
        work["records looked at"] += len(spans)
        return away_maps(self, spans, day)

    def counted_lead_time(*args, **kwargs):
        work["lead times"] += 1
        return lead_time(*args, **kwargs)

    monkeypatch.setattr(ActingContext, "report", counted_report)
    monkeypatch.setattr(ActingContext, "away_maps_of", counted_away_maps)
    monkeypatch.setattr(checks_module, "_lead_time", counted_lead_time)
    findings = check_range(date(2026, 1, 1), date(2026, 12, 31), PZH, CAL, people, pairs, records,
                           today=date(2026, 12, 31), portfolios=portfolios)  # fmt: skip
    assert findings
    days = (date(2026, 12, 31) - date(2026, 1, 1)).days + 1
    record_days = sum((a.end - a.start).days + 1 for a in records)
    assert 0 < work["reports"] <= days and work["days looked at"] <= days, work
    assert work["records looked at"] <= record_days, work  # each record only on the days it covers
    assert 0 < work["lead times"] <= len(records), work
