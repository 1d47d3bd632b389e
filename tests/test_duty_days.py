"""Which days need holiday duty, under each mode of the profile (desktop/core/duty/days.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.calseed import seed_calendar
from desktop.core.duty import (
    DutyDay,
    duty_days,
    heavy_kind,
    holiday_blocks,
    holiday_scope,
    lunar_new_year,
    month_scope,
    new_years_eve,
    week_scope,
    year_scope,
)
from desktop.core.errors import UserError
from desktop.core.profile import DutyDays, load_profile
from desktop.resources import profiles_dir

CAL = seed_calendar([2027])  # 2004–2026 official, 2027 provisional
Y2026 = year_scope(2026)


def _dates(days: list[DutyDay]) -> list[date]:
    return [d.date for d in days]


def _span(a: date, b: date) -> list[date]:
    return [a + timedelta(days=k) for k in range((b - a).days + 1)]


def test_national_day_2026_holiday_weekdays_are_the_weekday_holidays_only():
    scope = holiday_scope(CAL, 2026, "国庆节")
    assert (scope.start, scope.end, scope.label) == (date(2026, 10, 1), date(2026, 10, 7), "2026年国庆节")
    got = duty_days(CAL, "holiday_weekdays", scope.start, scope.end)
    # 10-03 and 10-04 are the weekend (双休日): 000 art.81 leaves them out.
    assert _dates(got) == [date(2026, 10, d) for d in (1, 2, 5, 6, 7)]
    assert all(d.holiday == "国庆节" and not d.provisional for d in got)
    assert [d.heavy for d in got] == ["national_day1", None, None, None, None]


def test_national_day_2026_holiday_block_includes_its_weekend():
    scope = holiday_scope(CAL, 2026, "国庆节")
    got = duty_days(CAL, DutyDays.holiday_block, scope.start, scope.end)
    assert _dates(got) == _span(date(2026, 10, 1), date(2026, 10, 7))


def test_spring_festival_2026_block_and_heavy_days():
    scope = holiday_scope(CAL, 2026, "春节")
    assert (scope.start, scope.end) == (date(2026, 2, 15), date(2026, 2, 23))
    got = duty_days(CAL, "holiday_block", scope.start, scope.end)
    assert _dates(got) == _span(date(2026, 2, 15), date(2026, 2, 23))
    heavy = {d.date: d.heavy for d in got if d.heavy}
    assert heavy == {date(2026, 2, 16): "eve", date(2026, 2, 17): "spring_day1"}
    assert {d.heavy_label for d in got if d.heavy} == {"除夕", "春节初一"}
    weekdays = duty_days(CAL, "holiday_weekdays", scope.start, scope.end)
    assert _dates(weekdays) == [date(2026, 2, d) for d in (16, 17, 18, 19, 20, 23)]


def test_lunar_new_year_and_eve():
    assert lunar_new_year(2026) == date(2026, 2, 17)
    assert new_years_eve(2026) == date(2026, 2, 16)
    # 2025: 腊月 was short (29 days), 除夕 = 腊月廿九 = 2025-01-28.
    assert new_years_eve(2025) == date(2025, 1, 28)
    assert heavy_kind(date(2025, 1, 28)) == "eve"
    assert heavy_kind(date(2026, 10, 1)) == "national_day1"
    assert heavy_kind(date(2026, 10, 2)) is None


def test_whole_year_2026_under_each_mode():
    counts = {m: len(duty_days(CAL, m, Y2026.start, Y2026.end)) for m in DutyDays}
    # Blocks: 元旦 3, 春节 9, 清明 3, 劳动节 5, 端午 3, 中秋 3, 国庆 7 = 33 days.
    assert counts[DutyDays.holiday_block] == 33
    assert counts[DutyDays.every_day] == 365
    assert counts[DutyDays.holiday_weekdays] == 19
    rest = [d for d in _span(Y2026.start, Y2026.end) if not CAL.is_workday(d)]
    assert counts[DutyDays.rest_days] == len(rest)
    block = duty_days(CAL, "holiday_block", Y2026.start, Y2026.end)
    assert {d.holiday for d in block} == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    heavy = [(d.date, d.heavy) for d in block if d.heavy]
    assert heavy == [
        (date(2026, 2, 16), "eve"),
        (date(2026, 2, 17), "spring_day1"),
        (date(2026, 10, 1), "national_day1"),
    ]


def test_rest_days_include_ordinary_weekends_without_a_holiday_name():
    got = duty_days(CAL, "rest_days", date(2026, 3, 1), date(2026, 3, 31))
    assert all(d.date.weekday() >= 5 and d.holiday is None for d in got)
    assert len(got) == 9  # 3-1 (Sunday) and four full weekends


def test_every_day_marks_workdays_without_a_holiday():
    got = duty_days(CAL, "every_day", date(2026, 9, 30), date(2026, 10, 1))
    assert [(d.date, d.holiday) for d in got] == [(date(2026, 9, 30), None), (date(2026, 10, 1), "国庆节")]


def test_profile_rules_are_accepted():
    panzhihua = load_profile(profiles_dir() / "panzhihua.toml").duty
    generic = load_profile(profiles_dir() / "generic.toml").duty
    # 000 art.81 read as the statutory days (issue 14): 10-01, 10-02 and Saturday 10-03, not the moved 05–07
    assert [d.date.day for d in duty_days(CAL, panzhihua, date(2026, 10, 1), date(2026, 10, 7))] == [1, 2, 3]
    assert len(duty_days(CAL, generic, date(2026, 10, 1), date(2026, 10, 7))) == 7


def test_merged_block_found_by_either_name():
    a = holiday_scope(CAL, 2025, "国庆节")
    b = holiday_scope(CAL, 2025, "中秋节")
    assert a == b
    assert (a.start, a.end) == (date(2025, 10, 1), date(2025, 10, 8))
    assert "国庆节" in a.label and "中秋节" in a.label


def test_new_year_block_belongs_to_the_year_it_ends_in():
    s = holiday_scope(CAL, 2024, "元旦")
    assert (s.start, s.end) == (date(2023, 12, 30), date(2024, 1, 1))


def test_unknown_holiday_names_the_holidays_of_the_year():
    with pytest.raises(UserError, match=r"2026年没有名为“圣诞节”的假期。.*国庆节"):
        holiday_scope(CAL, 2026, "圣诞节")


def test_month_scope_cuts_a_block_but_judges_it_whole():
    # 2025-01: the 春节 block 2025-01-28..02-04 starts in January.
    s = month_scope(2025, 1)
    got = duty_days(CAL, "holiday_block", s.start, s.end)
    assert [d.date for d in got if d.holiday == "春节"] == _span(date(2025, 1, 28), date(2025, 1, 31))
    feb = duty_days(CAL, "holiday_block", date(2025, 2, 1), date(2025, 2, 4))
    assert [d.holiday for d in feb] == ["春节"] * 4
    assert month_scope(2026, 12).end == date(2026, 12, 31)
    with pytest.raises(UserError):
        month_scope(2026, 13)


def test_week_scope():
    s = week_scope(2026, 40)
    assert (s.start, s.end) == (date(2026, 9, 28), date(2026, 10, 4))
    got = duty_days(CAL, "holiday_weekdays", s.start, s.end)
    assert _dates(got) == [date(2026, 10, 1), date(2026, 10, 2)]
    with pytest.raises(UserError):
        week_scope(2026, 60)


def test_provisional_year_is_marked_and_its_blocks_take_in_the_weekend():
    got = duty_days(CAL, "holiday_block", date(2027, 1, 1), date(2027, 1, 5))
    # 元旦 2027 is a Friday: the block runs over the weekend (no notice yet, no make-up days).
    assert _dates(got) == _span(date(2027, 1, 1), date(2027, 1, 3))
    assert all(d.provisional for d in got)
    spring = duty_days(CAL, "holiday_block", date(2027, 2, 1), date(2027, 2, 28))
    assert {d.date: d.heavy for d in spring if d.heavy} == {
        date(2027, 2, 5): "eve",
        date(2027, 2, 6): "spring_day1",
    }


def test_heavy_day_only_when_it_is_a_duty_day():
    # 2023: 初一 (01-22) and 10-01 were Sundays, 除夕 (01-21) a Saturday: no weekday heavy day.
    got = duty_days(CAL, "holiday_weekdays", date(2023, 1, 1), date(2023, 12, 31))
    assert [d.heavy for d in got if d.heavy] == []
    # 2024: 除夕 (Friday 02-09) was a workday outside the 春节 block 02-10..02-17.
    block = duty_days(CAL, "holiday_block", date(2024, 1, 1), date(2024, 12, 31))
    assert [(d.date, d.heavy) for d in block if d.heavy] == [
        (date(2024, 2, 10), "spring_day1"),
        (date(2024, 10, 1), "national_day1"),
    ]
    every = duty_days(CAL, "every_day", date(2024, 2, 9), date(2024, 2, 9))
    assert every[0].heavy == "eve" and every[0].holiday is None


@settings(deadline=None, max_examples=60)
@given(
    st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 1)),
    st.integers(min_value=0, max_value=40),
)
def test_modes_are_nested(start, length):
    end = min(start + timedelta(days=length), date(2026, 12, 31))
    sets = {m: set(_dates(duty_days(CAL, m, start, end))) for m in DutyDays}
    assert sets[DutyDays.holiday_weekdays] <= sets[DutyDays.holiday_block] <= sets[DutyDays.rest_days]
    assert sets[DutyDays.rest_days] <= sets[DutyDays.every_day]
    for d in sets[DutyDays.holiday_weekdays]:
        assert d.weekday() < 5 and CAL.entry(d).name and not CAL.is_workday(d)
    for b in holiday_blocks(CAL, start, end):
        inside = {d for d in _span(max(b.start, start), min(b.end, end))}
        assert inside <= sets[DutyDays.holiday_block]
