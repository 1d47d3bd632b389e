"""Working-day arithmetic: properties (hypothesis) and the DESIGN.md examples."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.calseed import seed_calendar
from desktop.core.cndate import cn_date_weekday as format_cn
from desktop.core.workcal import (
    CalendarGapError,
    DayEntry,
    WorkCalendar,
    WorkdayResult,
    overlay,
)

CAL = seed_calendar([2027])  # 2004–2026 official (2005 corrected), 2027 provisional

# Far enough from both ends that |n| <= 60 working days stays inside the calendar.
dates = st.dates(min_value=date(2004, 6, 1), max_value=date(2027, 6, 30))
steps = st.integers(min_value=1, max_value=60)
signed = st.integers(min_value=-60, max_value=60).filter(lambda n: n != 0)
SETTINGS = settings(deadline=None, max_examples=200)


def _walk(cal: WorkCalendar, d: date, n: int) -> date:
    """The slow, obvious definition: step day by day."""
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        d += timedelta(days=step)
        if cal.is_workday(d):
            left -= 1
    return d


# ------------------------------------------------------------------ properties


@SETTINGS
@given(dates, signed)
def test_add_matches_the_day_by_day_definition(d: date, n: int) -> None:
    assert CAL.add_workdays(d, n) == _walk(CAL, d, n)


@SETTINGS
@given(dates, signed)
def test_add_then_count_round_trips(d: date, n: int) -> None:
    assert CAL.count_workdays(d, CAL.add_workdays(d, n)) == n


@SETTINGS
@given(dates, steps)
def test_monotonic_in_n(d: date, n: int) -> None:
    assert CAL.add_workdays(d, n) < CAL.add_workdays(d, n + 1)
    assert CAL.add_workdays(d, -n - 1) < CAL.add_workdays(d, -n)
    assert CAL.add_workdays(d, -1) < d < CAL.add_workdays(d, 1)


@SETTINGS
@given(dates, st.integers(min_value=-60, max_value=60))
def test_never_lands_on_a_rest_day(d: date, n: int) -> None:
    assert CAL.is_workday(CAL.add_workdays(d, n))


@SETTINGS
@given(dates, steps)
def test_negative_mirrors_positive(d: date, n: int) -> None:
    w = CAL.add_workdays(d, 0)  # a working day
    assert CAL.add_workdays(CAL.add_workdays(w, n), -n) == w
    assert CAL.add_workdays(CAL.add_workdays(w, -n), n) == w
    # from a rest day, one step forward then back lands on the last working day before it
    assert CAL.add_workdays(CAL.add_workdays(d, 1), -1) == (
        d if CAL.is_workday(d) else CAL.add_workdays(d, -1)
    )


@SETTINGS
@given(dates, dates)
def test_count_is_the_number_of_working_days_between(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 400:
        hi = lo + timedelta(days=400)
        a, b = (lo, hi) if a <= b else (hi, lo)
    if b >= a:
        days = [a + timedelta(days=k) for k in range(1, (b - a).days + 1)]  # (a, b]
        assert CAL.count_workdays(a, b) == sum(CAL.is_workday(x) for x in days)
    else:
        days = [b + timedelta(days=k) for k in range((a - b).days)]  # [b, a)
        assert CAL.count_workdays(a, b) == -sum(CAL.is_workday(x) for x in days)


@SETTINGS
@given(st.dates(min_value=date(2004, 6, 1), max_value=date(2026, 6, 30)), st.integers(1, 60))
def test_agrees_with_chinese_calendar_from_a_workday(d: date, n: int) -> None:
    # chinese_calendar.find_workday(n, d) counts from the first workday on or after d, so the
    # two agree from a working day; within 60 working days of 2005-12-31 (corrected) they may not.
    if not chinese_calendar.is_workday(d) or date(2005, 9, 1) <= d <= date(2006, 4, 30):
        return
    assert CAL.add_workdays(d, n) == chinese_calendar.find_workday(n, d)
    assert CAL.add_workdays(d, -n) == chinese_calendar.find_workday(-n, d)


@SETTINGS
@given(dates, signed)
def test_ex_result(d: date, n: int) -> None:
    r = CAL.add_workdays_ex(d, n)
    assert r.date == CAL.add_workdays(d, n)
    lo, hi = (d, r.date) if n > 0 else (r.date, d)
    natural = (hi - lo).days
    assert r.skipped_rest_days == natural - abs(n)
    assert r.provisional == CAL.span_is_provisional(d, r.date)


# ------------------------------------------------------------------ DESIGN.md examples


def test_design_examples() -> None:
    assert CAL.add_workdays(date(2026, 9, 28), 7) == date(2026, 10, 13)
    assert CAL.add_workdays(date(2026, 10, 1), 7) == date(2026, 10, 15)
    r = CAL.add_workdays_ex(date(2026, 9, 28), 7)
    assert r == WorkdayResult(date(2026, 10, 13), False, 8)  # 10月1日–7日 and Sunday 10月11日
    assert CAL.is_workday(date(2026, 10, 10))  # make-up Saturday


def test_spring_festival_2026() -> None:
    for k in range(15, 24):
        d = date(2026, 2, k)
        assert not CAL.is_workday(d) and not chinese_calendar.is_workday(d)
    for d in (date(2026, 2, 14), date(2026, 2, 28)):
        assert d.weekday() == 5
        assert CAL.is_workday(d) and chinese_calendar.is_workday(d)
        assert CAL.entry(d).name == "春节调休上班"
    assert CAL.next_workday(date(2026, 2, 13)) == date(2026, 2, 14)
    assert CAL.next_workday(date(2026, 2, 14)) == date(2026, 2, 24)
    assert CAL.count_workdays(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24–27, 28


def test_corrected_2005_12_31() -> None:
    d = date(2005, 12, 31)
    assert CAL.is_workday(d)
    assert CAL.entry(d).source == "corrected"
    assert CAL.add_workdays(date(2005, 12, 30), 1) == d


def test_zero_steps() -> None:
    assert CAL.add_workdays(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert CAL.add_workdays(date(2026, 10, 1), 0) == date(2026, 10, 8)
    assert CAL.add_workdays_ex(date(2026, 10, 1), 0).skipped_rest_days == 7


def test_previous_workday() -> None:
    assert CAL.previous_workday(date(2026, 10, 8)) == date(2026, 9, 30)
    assert CAL.add_workdays(date(2026, 10, 15), -7) == date(2026, 9, 30)


def test_add_days_roll() -> None:
    d = date(2026, 9, 28)
    assert CAL.add_days(d, 5) == date(2026, 10, 3)
    assert CAL.add_days(d, 5, roll="forward") == date(2026, 10, 8)
    assert CAL.add_days(d, 5, roll="backward") == date(2026, 9, 30)
    assert CAL.add_days(d, 1, roll="forward") == date(2026, 9, 29)
    assert CAL.add_days(date(2040, 1, 1), 1) == date(2040, 1, 2)  # no roll, no data needed
    with pytest.raises(ValueError, match="roll"):
        CAL.add_days(d, 1, roll="sideways")


def test_entry() -> None:
    assert CAL.entry(date(2026, 10, 1)) == DayEntry(date(2026, 10, 1), True, "国庆节", "official")
    assert CAL.entry(date(2026, 11, 21)) == DayEntry(date(2026, 11, 21), True, None, "weekend")
    assert CAL.entry(date(2026, 11, 20)) == DayEntry(date(2026, 11, 20), False, None, "official")
    assert CAL.entry(date(2027, 3, 3)).source == "provisional"
    with pytest.raises(ValueError, match="来源"):
        DayEntry(date(2026, 1, 1), True, None, "rumour")


def test_format_cn() -> None:
    assert format_cn(date(2026, 10, 1)) == "2026年10月1日 星期四"
    assert format_cn(date(2026, 11, 22)) == "2026年11月22日 星期日"


# ------------------------------------------------------------------ provisional and gaps


def test_provisional_flag() -> None:
    assert CAL.add_workdays_ex(date(2027, 1, 10), 3).provisional
    assert not CAL.add_workdays_ex(date(2026, 6, 1), 5).provisional
    r = CAL.add_workdays_ex(date(2026, 12, 10), 30)
    assert r.date.year == 2027 and r.provisional
    assert CAL.count_workdays_ex(date(2026, 12, 1), date(2027, 1, 5)).provisional
    assert not CAL.count_workdays_ex(date(2026, 3, 1), date(2026, 4, 5)).provisional
    # the last days of December wait for the next year's notice (it may add make-up days); no notice
    # since 2004 changed a day before the 29th, so earlier results are firm (issue 14)
    assert CAL.is_provisional(date(2026, 12, 29))
    assert not CAL.is_provisional(date(2026, 12, 28))
    assert not CAL.add_workdays_ex(date(2026, 12, 18), 5).provisional  # 2026-12-25
    assert not CAL.is_provisional(date(2025, 12, 31))  # 2026 has its notice


def test_late_december_firm_once_the_next_notice_is_in() -> None:
    cal = WorkCalendar([], {2026: "official", 2027: "notice"})
    assert not cal.add_workdays_ex(date(2026, 12, 20), 10).provisional
    alone = WorkCalendar([], {2026: "official"})
    assert alone.add_workdays_ex(date(2026, 12, 20), 7).provisional  # 12月29日
    assert not alone.add_workdays_ex(date(2026, 12, 20), 6).provisional  # 12月28日


def test_gap_errors() -> None:
    with pytest.raises(CalendarGapError, match="2028年没有节假日数据") as ei:
        CAL.add_workdays(date(2027, 12, 1), 40)
    assert ei.value.year == 2028
    with pytest.raises(CalendarGapError, match="2003年"):
        CAL.add_workdays(date(2004, 1, 5), -5)
    with pytest.raises(
        CalendarGapError, match="2031年没有节假日数据:请导入国务院办公厅的放假通知,或使用暂定日历"
    ):
        CAL.is_workday(date(2031, 5, 1))
    with pytest.raises(CalendarGapError):
        CAL.entry(date(2003, 12, 31))
    with pytest.raises(CalendarGapError):
        CAL.count_workdays(date(2026, 1, 1), date(2028, 1, 1))
    with pytest.raises(CalendarGapError):
        CAL.year_source(2030)
    assert isinstance(CalendarGapError(2030), ValueError)


def test_gap_year_inside_the_range() -> None:
    cal = WorkCalendar(
        [DayEntry(date(2024, 12, 31), True, "x", "notice")], {2024: "official", 2026: "notice"}
    )
    assert not cal.is_workday(date(2024, 12, 31))
    with pytest.raises(CalendarGapError, match="2025年"):
        cal.is_workday(date(2025, 6, 2))
    with pytest.raises(CalendarGapError, match="2025年"):
        cal.add_workdays(date(2024, 12, 30), 3)
    with pytest.raises(CalendarGapError, match="2025年"):
        cal.add_workdays(date(2026, 1, 5), -10)
    with pytest.raises(CalendarGapError, match="2025年"):
        cal.count_workdays(date(2024, 12, 1), date(2026, 1, 5))
    assert cal.add_workdays(date(2026, 1, 5), 1) == date(2026, 1, 6)


def test_entries_outside_the_covered_years_are_not_used() -> None:
    cal = WorkCalendar([DayEntry(date(2025, 12, 27), False, "上班", "notice")], {2026: "notice"})
    assert cal.entries() == []
    assert cal.years == (2026,)


def test_invalid_construction() -> None:
    with pytest.raises(ValueError):
        WorkCalendar([], {})
    with pytest.raises(ValueError, match="来源"):
        WorkCalendar([], {2026: "weekend"})


def test_overlay_later_layer_wins() -> None:
    a = DayEntry(date(2005, 12, 31), True, None, "official")
    b = DayEntry(date(2005, 12, 31), False, "元旦调休上班", "corrected")
    c = DayEntry(date(2005, 1, 1), True, "元旦", "official")
    assert overlay([a, c], [b]) == [c, b]


# ------------------------------------------------------------------ the fast paths change nothing


def test_a_day_entry_is_still_a_checked_frozen_dataclass():
    import dataclasses

    e = DayEntry(day=date(2026, 10, 1), rest=True, name="国庆节", source="official")
    assert [f.name for f in dataclasses.fields(DayEntry)] == ["day", "rest", "name", "source", "note"]
    assert e.note is None and e == DayEntry(date(2026, 10, 1), True, "国庆节", "official", None)
    assert hash(e) == hash(DayEntry(date(2026, 10, 1), True, "国庆节", "official"))
    assert repr(e) == "DayEntry(day=datetime.date(2026, 10, 1), rest=True, name='国庆节', source='official', note=None)"
    assert dataclasses.replace(e, source="corrected", note="依据") == DayEntry(e.day, True, "国庆节", "corrected", "依据")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.rest = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="未知的日历来源"):
        DayEntry(date(2026, 10, 1), True, None, "guess")
    with pytest.raises(ValueError, match="未知的日历来源"):
        dataclasses.replace(e, source="guess")


def test_is_provisional_of_a_day_agrees_with_the_span_tables():
    """is_provisional reads the year sources directly; span_is_provisional the prefix table."""
    for cal in (CAL, seed_calendar([2027, 2028]),
                WorkCalendar([], {2024: "official", 2026: "notice", 2027: "provisional"})):  # fmt: skip
        for y in cal.years:
            d = date(y, 1, 1)
            while d.year == y:
                assert cal.is_provisional(d) == cal.span_is_provisional(d, d), d
                d += timedelta(days=1)


def test_reading_days_does_not_build_the_counting_tables():
    cal = seed_calendar([2027])
    cal.entry(date(2026, 10, 1))
    cal.is_provisional(date(2026, 12, 28))
    cal.is_workday(date(2026, 10, 9))
    assert cal._cum is None  # a weekly board reads days only
    assert cal.add_workdays(date(2026, 9, 28), 7) == date(2026, 10, 13)
    assert cal._cum is not None
