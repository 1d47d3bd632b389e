"""Chinese dates and weekdays (desktop.core.cndate): every form the screens and printouts use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.core.cndate import (
    WEEKDAYS,
    WEEKDAYS_SHORT,
    cn_date,
    cn_date_weekday,
    cn_month_day,
    cn_span,
    cn_week,
    cn_weekday,
    cn_weekday_short,
)


def test_one_date() -> None:
    d = date(2026, 10, 1)
    assert cn_date(d) == "2026年10月1日"
    assert cn_month_day(d) == "10月1日"
    assert cn_weekday(d) == "星期四" and cn_weekday_short(d) == "四"
    assert cn_date_weekday(d) == "2026年10月1日 星期四"
    assert cn_date_weekday(date(2026, 11, 22), year=False) == "11月22日 星期日"


def test_weekdays_run_monday_to_sunday() -> None:
    monday = date(2026, 11, 23)
    assert [cn_weekday(monday + timedelta(days=i)) for i in range(7)] == list(WEEKDAYS)
    assert WEEKDAYS == ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
    assert "".join(cn_weekday_short(monday + timedelta(days=i)) for i in range(7)) == WEEKDAYS_SHORT == "一二三四五六日"


@pytest.mark.parametrize(
    ("first", "last", "full", "short"),
    [
        (date(2026, 10, 1), date(2026, 10, 1), "2026年10月1日", "10月1日"),
        (date(2026, 10, 1), date(2026, 10, 7), "2026年10月1日至7日", "10月1日至7日"),
        # a month boundary: the end names its month
        (date(2026, 9, 30), date(2026, 10, 2), "2026年9月30日至10月2日", "9月30日至10月2日"),
        (date(2026, 2, 28), date(2026, 3, 1), "2026年2月28日至3月1日", "2月28日至3月1日"),
        (date(2028, 2, 28), date(2028, 2, 29), "2028年2月28日至29日", "2月28日至29日"),
        # a year boundary: the full form names the end's year, the short one its month
        (date(2026, 12, 31), date(2027, 1, 1), "2026年12月31日至2027年1月1日", "12月31日至1月1日"),
        (date(2026, 12, 30), date(2027, 1, 2), "2026年12月30日至2027年1月2日", "12月30日至1月2日"),
        # the same month of the next year is another month
        (date(2026, 1, 5), date(2027, 1, 7), "2026年1月5日至2027年1月7日", "1月5日至1月7日"),
    ],
)
def test_span(first: date, last: date, full: str, short: str) -> None:
    assert cn_span(first, last) == full
    assert cn_span(first, last, year=False) == short


def test_span_separator_and_notes() -> None:
    assert cn_span(date(2026, 9, 30), date(2026, 10, 8), year=False, sep="—") == "9月30日—10月8日"
    assert cn_span(date(2026, 11, 26), date(2026, 12, 2), first_note="下午", last_note="上午") \
        == "2026年11月26日下午至12月2日上午"  # fmt: skip
    assert cn_span(date(2026, 12, 31), date(2027, 1, 1), first_note="下午") == "2026年12月31日下午至2027年1月1日"


@pytest.mark.parametrize(
    ("monday", "text"),
    [
        (date(2026, 11, 23), "2026年11月23日—11月29日(第48周)"),
        (date(2026, 9, 28), "2026年9月28日—10月4日(第40周)"),  # a month boundary
        (date(2026, 12, 28), "2026年12月28日—2027年1月3日(第53周)"),  # a year boundary
        (date(2025, 12, 29), "2025年12月29日—2026年1月4日(第1周)"),  # ISO week 1 starts in December
    ],
)
def test_week(monday: date, text: str) -> None:
    assert cn_week(monday) == text
