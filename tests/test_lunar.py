"""The lunar label under each day of the month view (desktop.core.lunar)."""

from __future__ import annotations

from datetime import date

from lunar_python import Solar

from desktop.core.lunar import lunar_description, lunar_label, lunar_label_kind, lunar_month_day


def test_first_day_of_a_lunar_month_shows_the_month():
    assert lunar_label(date(2026, 2, 17)) == "正月"  # 春节 2026 = 正月初一
    assert lunar_label_kind(date(2026, 2, 17)) == ("正月", "month")
    assert lunar_label(date(2027, 2, 6)) == "正月"  # 春节 2027
    assert lunar_label(date(2026, 1, 19)) == "腊月"
    assert lunar_label(date(2025, 7, 25)) == "闰六月"  # 2025 has a leap sixth month


def test_ordinary_days_show_the_lunar_day():
    assert lunar_label(date(2026, 3, 3)) == "十五"  # 元宵 is 正月十五: the label is the day
    assert lunar_label(date(2026, 2, 16)) == "廿九"  # 除夕 2026 is 腊月廿九 (a short month)
    assert lunar_label_kind(date(2026, 3, 3)) == ("十五", "day")


def test_solar_terms_take_precedence():
    assert lunar_label(date(2026, 2, 4)) == "立春"
    assert lunar_label_kind(date(2026, 2, 4)) == ("立春", "term")
    assert lunar_label(date(2026, 4, 5)) == "清明"
    assert lunar_label(date(2025, 12, 21)) == "冬至"
    # 2025-08-23 is both 七月初一 and 处暑: the solar term wins
    assert lunar_label(date(2025, 8, 23)) == "处暑"


def test_national_day_2026_agrees_with_lunar_python():
    lunar = Solar.fromYmd(2026, 10, 1).getLunar()
    assert lunar.getJieQi() == "" and lunar.getDay() != 1
    assert lunar_label(date(2026, 10, 1)) == lunar.getDayInChinese() == "廿一"
    assert lunar_month_day(date(2026, 10, 1)) == "八月廿一"


def test_description():
    assert lunar_description(date(2026, 2, 17)) == "农历正月初一"
    assert lunar_description(date(2026, 2, 4)) == "农历腊月十七 立春"


def test_every_day_of_a_year_has_a_short_label():
    d = date(2026, 1, 1)
    while d.year == 2026:
        label = lunar_label(d)
        assert 2 <= len(label) <= 3, (d, label)
        d = date.fromordinal(d.toordinal() + 1)
