"""A provisional calendar for a year whose State Council notice has not appeared yet.

It holds only the statutory holidays of 《全国年节及纪念日放假办法》 as revised by the State
Council on 2024-11-10 (in force from 2025-01-01), article 2 (全体公民放假的节日):

    元旦 1 day (1月1日); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day (清明当日);
    劳动节 2 days (5月1日、2日); 端午节 1 day (农历端午当日); 中秋节 1 day (农历中秋当日);
    国庆节 3 days (10月1日至3日).

No make-up workdays (调休上班) and no 补假 for a holiday that falls on a weekend: which
weekday the yearly notice picks for those is the notice's choice, so it is not guessed here.
Every entry has source "provisional" and the app shows it as such wherever it is used.

The lunar dates and the solar term 清明 come from lunar_python (6tail's lunar calendar).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from desktop.core.workcal import DayEntry

__all__ = ["FIRST_PROVISIONAL_YEAR", "provisional_entries", "statutory_holidays"]

#: The 2024 revision applies from 2025; earlier years have official data anyway.
FIRST_PROVISIONAL_YEAR = 2025


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # here: only a year without official data needs the lunar tables

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def qingming(year: int) -> date:
    """The day of the solar term 清明 in the given (Gregorian) year."""
    from lunar_python import Lunar

    # The jieqi table of a lunar year's first day covers the solar terms of that Gregorian year.
    s = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    d = date(s.getYear(), s.getMonth(), s.getDay())
    if d.year != year:  # pragma: no cover - guards against a change in lunar_python's tables
        raise ValueError(f"lunar_python 给出的{year}年清明日期有误:{d}")
    return d


def spring_festival(year: int) -> date:
    """正月初一 of the lunar year that starts in the given Gregorian year."""
    return _lunar_to_solar(year, 1, 1)


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """(day, holiday name) for every statutory rest day of the year, in date order.

    除夕 is the last day of the twelfth lunar month: 腊月三十, or 腊月廿九 when that month is short;
    it is computed as the day before 正月初一, which is right in both cases. Computed once per year
    (the lunar tables take ~35 ms a year; a calendar is rebuilt after every write)."""
    return list(_statutory_holidays(year))


@functools.lru_cache(maxsize=64)
def _statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    if year < FIRST_PROVISIONAL_YEAR:
        raise ValueError(
            f"{year}年早于2024年修订的放假办法施行年份({FIRST_PROVISIONAL_YEAR}年),应使用正式日历"
        )
    days: list[tuple[date, str]] = [(date(year, 1, 1), "元旦")]
    cny = spring_festival(year)
    days += [(cny + timedelta(days=k), "春节") for k in range(-1, 3)]
    days.append((qingming(year), "清明节"))
    days += [(date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days.append((_lunar_to_solar(year, 5, 5), "端午节"))
    days.append((_lunar_to_solar(year, 8, 15), "中秋节"))
    days += [(date(year, 10, k), "国庆节") for k in (1, 2, 3)]
    # 中秋 can fall on 10月1日–3日 (2020, 2031...): one day, both names.
    merged: dict[date, list[str]] = {}
    for d, name in days:
        names = merged.setdefault(d, [])
        if name not in names:
            names.append(name)
    return tuple((d, "、".join(sorted(merged[d], key=lambda x: x != "国庆节"))) for d in sorted(merged))


def provisional_entries(year: int) -> list[DayEntry]:
    """The statutory rest days of a year without a notice, as entries with source "provisional"."""
    return [
        DayEntry(d, True, name, "provisional", note="暂定:按《全国年节及纪念日放假办法》推算,未含调休")
        for d, name in statutory_holidays(year)
    ]
