"""The seed: chinese-calendar's data, with exactly the listed corrections."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from desktop.core.calseed import (
    CORRECTIONS,
    OFFICIAL_YEARS,
    official_entries,
    seed_calendar,
    seed_entries,
    seed_year_sources,
)
from desktop.core.workcal import CalendarGapError, WorkCalendar


def _all_days():
    d = date(OFFICIAL_YEARS[0], 1, 1)
    end = date(OFFICIAL_YEARS[-1] + 1, 1, 1)
    while d < end:
        yield d
        d += timedelta(days=1)


def test_seed_equals_chinese_calendar_except_the_corrections() -> None:
    cal = WorkCalendar(seed_entries(), seed_year_sources())
    differ = {d for d in _all_days() if cal.is_workday(d) != chinese_calendar.is_workday(d)}
    assert differ == {c.day for c in CORRECTIONS}


def test_official_entries_equal_chinese_calendar() -> None:
    cal = WorkCalendar(official_entries(), {y: "official" for y in OFFICIAL_YEARS})
    assert all(cal.is_workday(d) == chinese_calendar.is_workday(d) for d in _all_days())
    listed = {e.day for e in official_entries()}
    expected = set(chinese_calendar.holidays) | set(chinese_calendar.workdays)
    assert listed == {d for d in expected if d.year in OFFICIAL_YEARS}


def test_corrections_cite_and_differ() -> None:
    assert CORRECTIONS, "the 2005-12-31 correction"
    for c in CORRECTIONS:
        assert c.source == "corrected"
        assert c.note and "通知" in c.note
        assert chinese_calendar.is_workday(c.day) == c.rest  # it really changes the day
    (c,) = (c for c in CORRECTIONS if c.day == date(2005, 12, 31))
    assert not c.rest and c.name == "元旦调休上班"


def test_names() -> None:
    by_day = {e.day: e for e in seed_entries()}
    assert by_day[date(2026, 10, 1)].name == "国庆节"
    assert by_day[date(2026, 2, 14)].name == "春节调休上班"
    assert not by_day[date(2026, 2, 14)].rest
    assert by_day[date(2023, 9, 29)].name == "中秋节、国庆节"
    assert by_day[date(2023, 10, 7)].name == "中秋节、国庆节调休上班"
    assert by_day[date(2025, 10, 1)].name == "国庆节、中秋节"
    # chinese-calendar names no 2020 day after 中秋 (10月1日); the lunar calendar does
    assert by_day[date(2020, 10, 8)].name == "国庆节、中秋节"
    assert by_day[date(2006, 10, 6)].name == "国庆节"  # 中秋 was not a holiday before 2008
    assert by_day[date(2024, 4, 4)].name == "清明节"
    assert by_day[date(2024, 6, 10)].name == "端午节"
    assert "70周年" in (by_day[date(2015, 9, 3)].name or "")
    assert by_day[date(2005, 12, 31)].source == "corrected"
    assert all(e.source == "official" for e in official_entries())
    assert all(e.name for e in seed_entries())


def test_year_sources() -> None:
    src = seed_year_sources()
    assert src[2005] == "corrected"
    assert src[2026] == "official"
    assert set(src) == set(OFFICIAL_YEARS)


def test_seed_calendar_with_provisional_year() -> None:
    cal = seed_calendar([2027])
    assert cal.years == (*OFFICIAL_YEARS, 2027)
    assert cal.year_source(2027) == "provisional"
    assert not cal.is_workday(date(2027, 2, 5))  # 除夕
    assert cal.entry(date(2027, 2, 5)).source == "provisional"
    with pytest.raises(CalendarGapError):
        cal.is_workday(date(2028, 1, 3))
    with pytest.raises(ValueError, match="正式数据"):
        seed_calendar([2026])


def test_uncovered_year_is_a_gap() -> None:
    with pytest.raises(CalendarGapError, match="2031年没有节假日数据"):
        official_entries([2031])


def test_the_shipped_seed_file_equals_the_computed_seed() -> None:
    """resources/calendar/seed.tsv is what new databases are seeded from; regenerate it with
    scripts/make_calendar_seed.py after upgrading chinese-calendar."""
    from pathlib import Path

    from desktop.core.calseed import dump_seed, parse_seed

    shipped = (Path(__file__).parents[1] / "resources" / "calendar" / "seed.tsv").read_text(encoding="utf-8")
    assert parse_seed(shipped) == seed_entries()
    assert dump_seed(parse_seed(shipped)) == shipped
