"""The calendar table: seeding, provisional years, notice import with its diff, corrections, status.

tests/data/notice_2027_sample.txt is a sample in the official wording (the real 2027 notice is
not out on the test's date); its dates are consistent with 2027's weekdays.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from desktop import ops
from desktop.core.errors import UserError
from desktop.core.notice import parse_notice
from desktop.store import audit, calendar

pytestmark = pytest.mark.both_engines  # on a file and on a server database

D = dt.date
SAMPLE_2027 = (Path(__file__).parent / "data" / "notice_2027_sample.txt").read_text(encoding="utf-8")


def test_seeded_years_and_the_2005_correction(store):
    years = calendar.stored_years(store)
    assert min(years) == 2004 and max(years) == 2026
    assert years[2005] == "corrected" and years[2026] == "official"
    cal = calendar.load_calendar(store, 2026)
    assert cal.is_workday(D(2005, 12, 31))  # a make-up Saturday; chinese-calendar says rest
    assert not chinese_calendar.is_workday(D(2005, 12, 31))


def test_seeded_table_equals_chinese_calendar_except_corrections(store):
    cal = calendar.load_calendar(store, 2026)
    differ = [d for d in (D(2004, 1, 1) + dt.timedelta(days=i) for i in range((D(2027, 1, 1) - D(2004, 1, 1)).days))
              if cal.is_workday(d) != chinese_calendar.is_workday(d)]
    assert differ == [D(2005, 12, 31)]


def test_years_after_the_last_notice_are_provisional(store):
    cal = calendar.load_calendar(store, 2028)
    assert cal.year_source(2027) == "provisional" and cal.year_source(2028) == "provisional"
    assert not cal.is_workday(D(2027, 10, 1)) and cal.is_provisional(D(2027, 10, 1))
    r = cal.add_workdays_ex(D(2026, 12, 28), 5)
    assert r.provisional


def test_importing_a_notice_shows_the_diff_then_applies_it(store):
    notice = parse_notice(SAMPLE_2027)
    changes = ops.calendar.notice_changes(store, notice)
    by_day = {c.day: c for c in changes}
    assert by_day[D(2027, 2, 20)].after is not None and not by_day[D(2027, 2, 20)].after.rest  # 调休上班
    assert by_day[D(2027, 2, 20)].before is None
    assert calendar.stored_years(store).get(2027) is None  # nothing written yet
    applied = ops.calendar.import_notice(store, notice).value
    assert applied == changes
    cal = calendar.load_calendar(store, 2027)
    assert cal.year_source(2027) == "notice" and not cal.is_provisional(D(2027, 6, 1))
    assert cal.is_workday(D(2027, 2, 20)) and not cal.is_workday(D(2027, 10, 7))
    assert cal.entry(D(2027, 10, 7)).name == "国庆节"
    assert audit.history(store, "calendar", 2027)[0].action == "import_notice"
    assert ops.calendar.notice_changes(store, notice) == []  # importing again changes nothing


def test_reimporting_an_official_year_changes_nothing(store):
    from test_notice import NOTICES  # the typed official notices of the parser's tests

    notice = parse_notice(NOTICES[2025])
    assert ops.calendar.notice_changes(store, notice) == []


def test_a_notice_cannot_skip_a_year(store):
    notice = parse_notice("国务院办公厅关于2029年部分节假日安排的通知\n一、元旦:1月1日(周一)放假1天。")
    with pytest.raises(UserError, match="请先导入 2027 年"):
        ops.calendar.import_notice(store, notice)
    assert 2029 not in calendar.stored_years(store)


def test_correct_day_needs_a_reason_and_is_audited(store):
    with pytest.raises(UserError, match="更正依据"):
        ops.calendar.correct_day(store, D(2026, 3, 2), rest=True, name="测试", note=" ")
    ops.calendar.correct_day(store, D(2026, 3, 2), rest=True, name="临时调整", note="某通知")
    cal = calendar.load_calendar(store, 2026)
    assert not cal.is_workday(D(2026, 3, 2)) and cal.entry(D(2026, 3, 2)).source == "corrected"
    assert calendar.stored_years(store)[2026] == "corrected"
    with pytest.raises(UserError, match="还没有正式日历"):
        ops.calendar.correct_day(store, D(2027, 3, 2), rest=True, name="x", note="y")


def test_year_status(store):
    rows = {r.year: r for r in calendar.year_status(store, 2027)}
    assert rows[2027].source == "provisional" and rows[2027].makeup_days == 0
    assert rows[2026].source == "official" and rows[2026].makeup_days > 0


def test_reminder_from_november_when_next_year_is_missing(store):
    assert calendar.missing_next_year(store, D(2026, 11, 21)) == 2027
    assert calendar.missing_next_year(store, D(2026, 10, 21)) is None
    ops.calendar.import_notice(store, parse_notice(SAMPLE_2027))
    assert calendar.missing_next_year(store, D(2026, 11, 21)) is None
