"""The provisional calendar: statutory holidays of the 2024 revision, from the lunar calendar."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Solar

from desktop.core.provisional import provisional_entries, qingming, spring_festival, statutory_holidays


def _lunar(d: date) -> tuple[int, int]:
    lu = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return lu.getMonth(), lu.getDay()


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_rest_days_in_the_official_calendar(year: int) -> None:
    for e in provisional_entries(year):
        assert e.rest and e.source == "provisional"
        assert not chinese_calendar.is_workday(e.day), e


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_carry_the_official_holiday(year: int) -> None:
    names = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明节": "Tomb-sweeping Day",
             "劳动节": "Labour Day", "端午节": "Dragon Boat Festival", "国庆节": "National Day"}  # fmt: skip
    for d, name in statutory_holidays(year):
        _, raw = chinese_calendar.get_holiday_detail(d)
        if name in names:
            assert raw == names[name], (d, name, raw)
        else:  # 中秋节: chinese-calendar names it 中秋 or, in a merged block, 国庆
            assert raw in ("Mid-autumn Festival", "National Day"), (d, name, raw)


def test_2027() -> None:
    days = dict(statutory_holidays(2027))
    assert spring_festival(2027) == date(2027, 2, 6)
    assert [d for d, n in days.items() if n == "春节"] == [date(2027, 2, k) for k in (5, 6, 7, 8)]
    assert qingming(2027) == date(2027, 4, 5)
    assert days[date(2027, 4, 5)] == "清明节"
    assert [d for d, n in days.items() if n == "劳动节"] == [date(2027, 5, 1), date(2027, 5, 2)]
    assert [d for d, n in days.items() if n == "国庆节"] == [date(2027, 10, k) for k in (1, 2, 3)]
    assert days[date(2027, 1, 1)] == "元旦"
    assert len(days) == 13


@pytest.mark.parametrize("year", range(2025, 2041))
def test_lunar_days(year: int) -> None:
    days = statutory_holidays(year)
    by_name: dict[str, list[date]] = {}
    for d, name in days:
        for part in name.split("、"):
            by_name.setdefault(part, []).append(d)
    eve, *new_year = by_name["春节"]
    # 除夕 is the last day of the twelfth month, whether it is the 29th or the 30th
    assert _lunar(eve)[0] == 12 and _lunar(eve + timedelta(days=1)) == (1, 1)
    assert [_lunar(d) for d in new_year] == [(1, 1), (1, 2), (1, 3)]
    assert [_lunar(d) for d in by_name["端午节"]] == [(5, 5)]
    assert [_lunar(d) for d in by_name["中秋节"]] == [(8, 15)]
    assert by_name["清明节"][0].month == 4 and by_name["清明节"][0].day in (4, 5, 6)
    assert len({d for d, _ in days}) == len(days)


def test_short_and_long_twelfth_month() -> None:
    eve_2026 = dict(statutory_holidays(2026))
    assert eve_2026[date(2026, 2, 16)] == "春节"  # 腊月廿九: that 腊月 has 29 days
    assert _lunar(date(2026, 2, 16)) == (12, 29)
    assert date(2030, 2, 2) in dict(statutory_holidays(2030))  # 腊月三十
    assert _lunar(date(2030, 2, 2)) == (12, 30)


def test_mid_autumn_on_national_day_is_one_day_with_both_names() -> None:
    days = dict(statutory_holidays(2028))
    assert days[date(2028, 10, 3)] == "国庆节、中秋节"
    assert len(days) == 12


def test_before_the_revision_is_refused() -> None:
    with pytest.raises(ValueError, match="2024"):
        statutory_holidays(2024)
