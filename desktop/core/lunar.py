"""Lunar dates for the calendar views: the short label under a day number, and a full description.

A wall calendar prints under each day one short word: the solar term (节气) when the day is
one (立春, 清明 …), else the lunar month's name on its first day (正月, 腊月, 闰六月), else the
lunar day (初二 … 十五 … 三十). The lunar calendar and the solar terms come from lunar_python
(6tail's lunar calendar), the same source as the provisional holidays.

Pure Python: no Qt, no SQLite.
"""

from __future__ import annotations

import functools
from datetime import date

from lunar_python import Solar

__all__ = ["lunar_description", "lunar_label", "lunar_label_kind", "lunar_month_day"]


@functools.lru_cache(maxsize=4096)
def _lunar(d: date) -> tuple[str, str, int, str]:
    """(month name with 月, day name, lunar day number, solar term or "")."""
    lu = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"{lu.getMonthInChinese()}月", lu.getDayInChinese(), lu.getDay(), lu.getJieQi()


def lunar_month_day(d: date) -> str:
    """`正月初一`, `闰六月初一`, `腊月廿九`."""
    month, day, _n, _term = _lunar(d)
    return f"{month}{day}"


def lunar_label_kind(d: date) -> tuple[str, str]:
    """The word under the day number and what it is: ("立春", "term"), ("正月", "month"), ("十五", "day")."""
    month, day, number, term = _lunar(d)
    if term:
        return term, "term"
    return (month, "month") if number == 1 else (day, "day")


def lunar_label(d: date) -> str:
    """The word under the day number: the solar term, else the month name on 初一, else the day."""
    return lunar_label_kind(d)[0]


def lunar_description(d: date) -> str:
    """`农历正月初一`, with the solar term: `农历腊月十七 立春`."""
    _month, _day, _n, term = _lunar(d)
    text = f"农历{lunar_month_day(d)}"
    return f"{text} {term}" if term else text
