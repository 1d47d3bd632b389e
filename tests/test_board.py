"""The weekly whereabouts board as data (desktop.core.board) — pure, no Qt, no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import golden_government as golden
import pytest

from desktop.core import board as board_mod
from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.acting import ActingContext, Designation
from desktop.core.board import build_board, week_start
from desktop.core.calseed import seed_calendar
from desktop.core.cndate import cn_week as week_range_text
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role

pytestmark = pytest.mark.both_engines  # on a file and on a server database

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PANZHIHUA = load_profile(PROFILES / "panzhihua.toml")
CAL = seed_calendar()
WEEK = date(2026, 11, 23)  # a Monday, ISO week 48

PEOPLE = [
    Person(1, "王建国", Role.chief, "市长", 1),
    Person(2, "李志强", Role.executive_deputy, "常务副市长", 2),
    Person(3, "张丽华", Role.deputy, "副市长", 3),
    Person(4, "陈明", Role.deputy, "副市长", 4),
    Person(5, "刘海峰", Role.deputy, "副市长", 5),
    Person(6, "周晓燕", Role.deputy, "副市长", 8),
    Person(7, "吴国栋", Role.secretary_general, "市政府秘书长", 9),
    Person(8, "郑文博", Role.office_director, "市政府办公室主任", 10),
    Person(9, "马晓东", Role.dept_head, "市教育和体育局局长", 11),
    Person(10, "赵雪梅", Role.deputy, "副市长", 6),
    Person(11, "孙卫东", Role.deputy, "副市长", 7),
    Person(12, "钱退休", Role.deputy, "副市长", 12, active=False),
]
AB = [(3, 6), (4, 5), (10, 11)]

_ids = iter(range(100, 10**6))


def away(pid: int, start: date, end: date | None = None, kind: AbsenceKind = AbsenceKind.trip, **kw) -> Absence:
    base = dict(id=next(_ids), person_id=pid, kind=kind, start=start, end=end or start,
                destination="北京" if kind is AbsenceKind.trip else "", leaves_jurisdiction=True,
                reported_at=datetime(2026, 11, 20, 9, 0), state=AbsenceState.approved)  # fmt: skip
    base.update(kw)
    return Absence(**base)


def board(absences, start: date = WEEK, **kw):
    return build_board(start, PANZHIHUA, PEOPLE, absences, ab_pairs=AB, calendar=CAL, **kw)


def test_a_deputys_three_day_trip_fills_its_cells_with_the_ab_partner_acting():
    trip = away(3, date(2026, 11, 26), date(2026, 11, 28), destination="北京")
    b = board([trip])
    for d in (date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)):
        cell = b.cell(3, d)
        assert not cell.present
        assert cell.lines == ("出差 北京", "代:周晓燕")
        assert cell.parts[0].half is Half.full and cell.parts[0].absence is trip
    assert b.cell(3, date(2026, 11, 25)).present and b.cell(3, date(2026, 11, 25)).lines == ("在岗",)
    assert b.cell(3, date(2026, 11, 29)).present and b.cell(3, date(2026, 11, 29)).lines == ()  # Sunday
    assert b.cell(6, date(2026, 11, 26)).present  # the partner is at work
    row = next(r for r in b.rows if r.person.id == 3)
    assert row.away_days == 3 and row.title == "副市长"


def test_a_half_day_is_marked_morning_or_afternoon():
    morning = away(7, date(2026, 11, 24), kind=AbsenceKind.personal, end_half=Half.am)
    afternoon = away(8, date(2026, 11, 25), start_half=Half.pm, destination="米易县")
    b = board([morning, afternoon])
    cell = b.cell(7, date(2026, 11, 24))
    assert cell.parts[0].half is Half.am and cell.lines == ("上午 因私请假",)
    cell = b.cell(8, date(2026, 11, 25))
    assert cell.parts[0].half is Half.pm and cell.lines[0] == "下午 出差 米易县"
    assert b.cell(7, date(2026, 11, 25)).present


def test_the_chief_away_means_the_executive_deputy_acts():
    b = board([away(1, date(2026, 11, 24), date(2026, 11, 25), destination="成都")])
    assert b.cell(1, date(2026, 11, 24)).lines == ("出差 成都", "代:李志强")


def test_both_ab_partners_away_is_to_be_arranged_and_noted():
    b = board([away(10, date(2026, 11, 25), date(2026, 11, 26)), away(11, date(2026, 11, 26), date(2026, 11, 27))])
    assert b.cell(10, date(2026, 11, 25)).lines[-1] == "代:孙卫东"
    assert b.cell(10, date(2026, 11, 26)).lines[-1] == "代:待协调"
    assert b.cell(10, date(2026, 11, 26)).parts[0].to_arrange
    assert b.cell(11, date(2026, 11, 27)).lines[-1] == "代:赵雪梅"
    assert [(n.first, n.last) for n in b.notes] == [(date(2026, 11, 26), date(2026, 11, 26))]
    assert "赵雪梅、孙卫东" in b.notes[0].text and "市政府办公室" in b.notes[0].text


def test_a_designation_fills_the_gap():
    records = [away(10, date(2026, 11, 26)), away(11, date(2026, 11, 26))]
    d = Designation(date(2026, 11, 26), date(2026, 11, 26), frozenset({10, 11}), 5, "办公室协调")
    b = board(records, designations=[d])
    assert b.cell(10, date(2026, 11, 26)).lines[-1] == "代:刘海峰"
    assert b.notes == ()


def test_holiday_and_make_up_marks_of_national_day_2026():
    b = board([], start=date(2026, 9, 30))  # any day of the week: the board starts on its Monday
    assert b.start == date(2026, 9, 28)
    marks = [(d.day.day, d.mark, d.name, d.rest) for d in b.days]
    assert marks == [
        (28, "", "", False), (29, "", "", False), (30, "", "", False),
        (1, "休", "国庆节", True), (2, "休", "国庆节", True), (3, "休", "国庆节", True), (4, "休", "国庆节", True),
    ]  # fmt: skip
    assert b.days[3].caption == "休 国庆节" and b.days[3].weekday_label == "星期四"
    assert b.cell(3, date(2026, 10, 1)).lines == ()  # a rest day: blank, not 在岗
    nxt = board([], start=date(2026, 10, 5))
    saturday = nxt.days[5]
    assert saturday.day == date(2026, 10, 10) and saturday.mark == "班" and not saturday.rest
    assert saturday.caption == "班 调休上班" and saturday.name == "国庆节调休上班"
    assert nxt.cell(3, date(2026, 10, 10)).lines == ("在岗",)  # a make-up workday
    sunday = nxt.days[6]
    assert sunday.rest and sunday.weekend and sunday.mark == ""


def test_without_calendar_data_the_weekend_rule_applies_and_nothing_is_marked():
    b = build_board(date(2030, 1, 1), PANZHIHUA, PEOPLE, [], ab_pairs=AB, calendar=CAL)
    assert [d.covered for d in b.days] == [False] * 7
    assert [d.rest for d in b.days] == [False] * 5 + [True] * 2
    b = build_board(WEEK, PANZHIHUA, PEOPLE, [], calendar=None)
    assert not any(d.mark for d in b.days)


def test_leaders_in_protocol_order_only_active_leaders():
    b = board([])
    assert [r.person.name for r in b.rows] == ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅",
                                                "孙卫东", "周晓燕", "吴国栋", "郑文博"]  # fmt: skip


def test_drafts_and_closed_records_do_not_count_and_a_return_cuts_the_span():
    draft = away(3, date(2026, 11, 24), state=AbsenceState.draft)
    cancelled = away(4, date(2026, 11, 24), state=AbsenceState.cancelled)
    returned = away(5, date(2026, 11, 24), date(2026, 11, 27), state=AbsenceState.returned,
                    actual_return=date(2026, 11, 25))  # fmt: skip
    b = board([draft, cancelled, returned])
    assert b.cell(3, date(2026, 11, 24)).present and b.cell(4, date(2026, 11, 24)).present
    assert not b.cell(5, date(2026, 11, 25)).present and b.cell(5, date(2026, 11, 26)).present


def test_two_records_on_one_day_and_a_long_study_leave_across_the_week():
    morning = away(7, date(2026, 11, 26), kind=AbsenceKind.sick, end_half=Half.am)
    afternoon = away(7, date(2026, 11, 26), start_half=Half.pm, destination="盐边县")
    study = away(4, date(2026, 9, 1), date(2026, 12, 31), kind=AbsenceKind.study, destination="省委党校")
    b = board([morning, afternoon, study])
    assert b.cell(7, date(2026, 11, 26)).lines == ("上午 病假", "下午 出差 盐边县")
    assert all(b.cell(4, WEEK + timedelta(days=i)).lines == ("脱产学习 省委党校", "代:刘海峰") for i in range(7))


def test_acting_changes_within_a_day_show_both_actors():
    trip = away(3, date(2026, 11, 24), destination="北京")
    partner_pm = away(6, date(2026, 11, 24), start_half=Half.pm, destination="盐边县")
    b = board([trip, partner_pm])
    cell = b.cell(3, date(2026, 11, 24))
    assert cell.lines[0] == "出差 北京"
    assert cell.lines[1] == "代:上午周晓燕、下午待协调"  # in the afternoon both partners are away
    assert cell.parts[0].to_arrange


def test_the_acting_context_is_built_once_for_the_week(monkeypatch):
    built = []

    class Counting(ActingContext):
        def __init__(self, *a, **kw):
            built.append(1)
            super().__init__(*a, **kw)

    monkeypatch.setattr(board_mod, "ActingContext", Counting)
    board([away(3, date(2026, 11, 26), date(2026, 11, 28)), away(1, date(2026, 11, 24))])
    assert built == [1]


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 11, 23), "2026年11月23日—11月29日(第48周)"),
    (date(2026, 11, 29), "2026年11月23日—11月29日(第48周)"),
    (date(2026, 12, 30), "2026年12月28日—2027年1月3日(第53周)"),
    (date(2026, 9, 28), "2026年9月28日—10月4日(第40周)"),
])  # fmt: skip
def test_week_range_text(day, text):
    assert week_range_text(week_start(day)) == text
    assert build_board(day, PANZHIHUA, PEOPLE, []).range_text == text


@pytest.mark.parametrize("name", ["panzhihua", "turpan"])
def test_every_board_of_a_year_is_the_one_recorded_before_the_speed_work(name):
    """Every header, cell, line, note and acting report of the 53 boards of a random government's year
    is what it was before the board was made fast (see tests/golden_government.py)."""
    gov = golden.government()
    assert golden.boards_digest(gov, golden.profiles()[name]) == golden.GOLDEN[name][1]
