"""Which days need holiday duty (节假日值班日), and the scope of a plan (DESIGN.md "Holiday duty").

The profile's ``[duty] days`` setting (`DutyDays`) says which days are rostered:

* ``holiday_weekdays`` — 除双休日外的法定节假日 (000 art.81): the rest days that carry a holiday's
  name and fall on Monday to Friday. The weekdays a holiday block takes off by 调休 (2026-10-05
  to 10-07) count: the calendar names them after the holiday, and they are not 双休日.
* ``statutory_days`` — 除双休日外的法定节假日 read the other way (issue 14): exactly the statutory
  holiday days the national regulation names (`statutory_dates`: 元旦, 春节 除夕至初三, 清明, 劳动节,
  端午, 中秋, 国庆 10月1日至3日 under the 2024 revision), duty days even on a Saturday or Sunday
  (2027 春节初一, Saturday 02-06); ordinary weekends and the rest days moved into a block are not.
* ``holiday_block`` — every day of a rest block that holds a holiday, the weekends inside the
  block included (2026 国庆: 10-01 to 10-07).
* ``rest_days`` — every rest day: the holidays and every ordinary weekend.
* ``every_day`` — every day (24小时值班, 001 art.57).

A *rest block* is a maximal run of consecutive rest days; it *holds a holiday* when one of its
days carries a holiday's name. Its name is the names of its days, in order, without repeats
("国庆节", "国庆节、中秋节"). A plan's scope (`PlanScope`) is a year, one named holiday block,
a month or an ISO week; the scope's days are cut out of the blocks, but whether a day belongs
to a block is always decided on the whole block (a month that starts inside a block still
sees the block's weekend as a block day).

Heavy days (重点日) are 除夕 (the last day of the lunar year, i.e. the day before 正月初一),
春节初一 and 国庆节 10月1日 — only when the day is a duty day under the profile's mode.

Pure Python: no Qt, no SQLite.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from lunar_python import Lunar

from desktop.core.errors import UserError
from desktop.core.profile import DutyDays, DutyRule, HeavyDays
from desktop.core.workcal import WorkCalendar

__all__ = [
    "HEAVY_KINDS",
    "HEAVY_LABELS",
    "READINGS",
    "DutyDay",
    "HolidayBlock",
    "PlanScope",
    "duty_days",
    "heavy_kind",
    "heavy_weight",
    "holiday_blocks",
    "holiday_scope",
    "lunar_new_year",
    "month_scope",
    "new_years_eve",
    "statutory_dates",
    "week_scope",
    "year_scope",
]

#: The heavy days, in the order of `HeavyDays`' fields.
HEAVY_KINDS: tuple[str, ...] = ("eve", "spring_day1", "national_day1")
HEAVY_LABELS: dict[str, str] = {"eve": "除夕", "spring_day1": "春节初一", "national_day1": "国庆10月1日"}

_ONE = timedelta(days=1)

#: Which days are rostered, in one sentence for the 值班 page and the 规则 page (issue 14: "show the reading").
READINGS: dict[DutyDays, str] = {
    DutyDays.statutory_days: "“除双休日外的法定节假日”按国家规定的法定节假日当天理解:元旦、春节(除夕至初三)、清明、"
                             "劳动节、端午、中秋、国庆(10月1日至3日)每天安排领导带班,落在星期六、星期日的也安排;"
                             "普通双休日和调休形成的休息日不安排。",
    DutyDays.holiday_weekdays: "“除双休日外的法定节假日”按放假期间星期一至星期五的休息日理解(含调休形成的休息日);"
                               "落在星期六、星期日的节日当天不安排领导带班。",
    DutyDays.holiday_block: "节假日放假期间的每一天(含其中的星期六、星期日)安排领导带班;普通双休日不安排。",
    DutyDays.rest_days: "所有休息日(双休日和节假日)都安排领导带班。",
    DutyDays.every_day: "每一天都安排值班(24小时值班)。",
}


@dataclass(frozen=True)
class DutyDay:
    """One day that needs duty.

    ``holiday`` is the name of the holiday block the day belongs to ("春节", "国庆节、中秋节"), None
    for a day outside any block (an ordinary weekend in ``rest_days``, a workday in ``every_day``);
    ``heavy`` is "eve", "spring_day1", "national_day1" or None; ``provisional`` is True when the
    day's status comes from a provisional calendar (it may still change).
    """

    date: date
    holiday: str | None = None
    heavy: str | None = None
    provisional: bool = False

    @property
    def heavy_label(self) -> str | None:
        return HEAVY_LABELS[self.heavy] if self.heavy else None


@dataclass(frozen=True)
class HolidayBlock:
    """A run of rest days that holds a holiday (e.g. 春节 2026-02-15 to 02-23)."""

    name: str
    start: date
    end: date
    provisional: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.name.split("、"))

    def matches(self, name: str) -> bool:
        """True if ``name`` is the block's name or one of the holidays in it (国庆节 in 国庆节、中秋节)."""
        name = name.strip()
        return name == self.name or name in self.names

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


@dataclass(frozen=True)
class PlanScope:
    """The dates a plan covers, both included, with a label for titles (2026年国庆节)."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserError(f"排班范围的结束日期早于开始日期({self.end} 早于 {self.start}),请改正。")


# --------------------------------------------------------------------------------------------
# Heavy days
# --------------------------------------------------------------------------------------------


@functools.cache
def lunar_new_year(year: int) -> date:
    """正月初一 of the lunar year that starts in the given Gregorian year (2026 -> 2026-02-17)."""
    s = Lunar.fromYmd(year, 1, 1).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def new_years_eve(year: int) -> date:
    """除夕 before 正月初一 of ``year``: 腊月三十, or 腊月廿九 when the month is short (2026 -> 02-16)."""
    return lunar_new_year(year) - _ONE


def heavy_kind(d: date) -> str | None:
    """Which heavy day d is: "eve" (除夕), "spring_day1" (春节初一), "national_day1" (10月1日) or None."""
    if d.month == 10 and d.day == 1:
        return "national_day1"
    if d.month <= 2:
        first = lunar_new_year(d.year)
        if d == first:
            return "spring_day1"
        if d == first - _ONE:
            return "eve"
    return None


def heavy_weight(weights: HeavyDays, kind: str | None) -> float:
    """The profile's weight of a heavy day (``[duty.heavy_days]``); 0 for an ordinary day."""
    if kind is None:
        return 0.0
    return float(getattr(weights, kind))


# --------------------------------------------------------------------------------------------
# Rest blocks
# --------------------------------------------------------------------------------------------


def _is_rest(calendar: WorkCalendar, d: date) -> bool:
    return not calendar.is_workday(d)


def _run_around(calendar: WorkCalendar, d: date) -> tuple[date, date]:
    """The run of rest days around rest day d, following it past the range but not past the
    calendar's coverage (a run cut by a year without data ends there)."""
    a = d
    while calendar.covers(a - _ONE) and _is_rest(calendar, a - _ONE):
        a -= _ONE
    b = d
    while calendar.covers(b + _ONE) and _is_rest(calendar, b + _ONE):
        b += _ONE
    return a, b


def _block_name(calendar: WorkCalendar, a: date, b: date) -> str | None:
    names: dict[str, None] = {}
    d = a
    while d <= b:
        name = calendar.entry(d).name
        if name:
            for part in name.split("、"):
                names[part] = None
        d += _ONE
    return "、".join(names) if names else None


def holiday_blocks(calendar: WorkCalendar, start: date, end: date) -> list[HolidayBlock]:
    """The holiday blocks that have at least one day in [start, end], whole (not cut to the range)."""
    out: list[HolidayBlock] = []
    d = start
    while d <= end:
        if not _is_rest(calendar, d):
            d += _ONE
            continue
        a, b = _run_around(calendar, d)
        name = _block_name(calendar, a, b)
        if name is not None:
            out.append(HolidayBlock(name, a, b, calendar.span_is_provisional(a, b)))
        d = b + _ONE
    return out


# --------------------------------------------------------------------------------------------
# Scopes
# --------------------------------------------------------------------------------------------


def year_scope(year: int) -> PlanScope:
    return PlanScope(date(year, 1, 1), date(year, 12, 31), f"{year}年")


def month_scope(year: int, month: int) -> PlanScope:
    if not 1 <= month <= 12:
        raise UserError(f"月份应为 1 到 12,而不是 {month}。")
    last = (date(year + (month == 12), month % 12 + 1, 1)) - _ONE
    return PlanScope(date(year, month, 1), last, f"{year}年{month}月")


def week_scope(iso_year: int, week: int) -> PlanScope:
    """ISO week (Monday to Sunday), as in ``--week 2026-W49``."""
    try:
        monday = date.fromisocalendar(iso_year, week, 1)
    except ValueError:
        raise UserError(f"{iso_year}年没有第{week}周(ISO 周次应为 1 到 52 或 53)。") from None
    return PlanScope(monday, monday + timedelta(days=6), f"{iso_year}年第{week}周")


def holiday_scope(calendar: WorkCalendar, year: int, name: str) -> PlanScope:
    """The holiday block named ``name`` in ``year`` (国庆节 also finds 国庆节、中秋节).

    A block belongs to the year of its last day: 元旦 2024 is the block 2023-12-30 to 2024-01-01.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    blocks = [b for b in holiday_blocks(calendar, start, end) if b.end.year == year]
    found = [b for b in blocks if b.matches(name)]
    if not found:
        names = "、".join(dict.fromkeys(b.name for b in blocks)) or "(无)"
        raise UserError(f"{year}年没有名为“{name.strip()}”的假期。{year}年的假期:{names}。")
    block = found[0]
    return PlanScope(block.start, block.end, f"{year}年{block.name}")


# --------------------------------------------------------------------------------------------
# Duty days
# --------------------------------------------------------------------------------------------


@functools.cache
def statutory_dates(year: int) -> frozenset[date]:
    """The statutory holiday days of a year (全体公民放假的节日) under the 《全国年节及纪念日放假办法》
    in force that year: the 2024 revision from 2025 (春节 除夕至初三, 劳动节 2 days), the 2013 revision
    for 2014–2024 (春节 初一至初三, 劳动节 1 day), the 2007 revision for 2008–2013 (春节 除夕至初二),
    the 1999 text before (春节 初一至初三, 劳动节、国庆节 3 days, no 清明/端午/中秋)."""
    from desktop.core.provisional import FIRST_PROVISIONAL_YEAR, qingming, statutory_holidays

    if year >= FIRST_PROVISIONAL_YEAR:
        return frozenset(d for d, _ in statutory_holidays(year))
    cny = lunar_new_year(year)

    def lunar(month: int, day: int) -> date:
        s = Lunar.fromYmd(year, month, day).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())

    days = {date(year, 1, 1), date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    if year >= 2014:
        days |= {cny, cny + _ONE, cny + 2 * _ONE, date(year, 5, 1)}
    elif year >= 2008:
        days |= {cny - _ONE, cny, cny + _ONE, date(year, 5, 1)}
    else:
        days |= {cny, cny + _ONE, cny + 2 * _ONE, date(year, 5, 1), date(year, 5, 2), date(year, 5, 3)}
    if year >= 2008:
        days |= {qingming(year), lunar(5, 5), lunar(8, 15)}
    return frozenset(days)


def duty_days(
    calendar: WorkCalendar, rule: DutyRule | DutyDays | str, start: date, end: date
) -> list[DutyDay]:
    """The days in [start, end] that need duty under the profile's mode, in date order.

    ``rule`` is the profile's `DutyRule` or just its ``days`` mode. Raises CalendarGapError for a
    day in a year the calendar does not cover.
    """
    mode = DutyDays(rule.days if isinstance(rule, DutyRule) else rule)
    if end < start:
        return []
    # The block of every rest day in the range (decided on the whole block).
    block_of: dict[date, HolidayBlock] = {}
    for block in holiday_blocks(calendar, start, end):
        d = max(block.start, start)
        while d <= min(block.end, end):
            block_of[d] = block
            d += _ONE
    out: list[DutyDay] = []
    d = start
    while d <= end:
        rest = _is_rest(calendar, d)
        block = block_of.get(d)
        if mode is DutyDays.every_day:
            wanted = True
        elif mode is DutyDays.rest_days:
            wanted = rest
        elif mode is DutyDays.holiday_block:
            wanted = block is not None
        elif mode is DutyDays.statutory_days:
            wanted = d in statutory_dates(d.year)
        else:  # holiday_weekdays: a named rest day, Monday to Friday
            wanted = block is not None and d.weekday() < 5 and calendar.entry(d).name is not None
        if wanted:
            out.append(DutyDay(d, block.name if block else None, heavy_kind(d), calendar.is_provisional(d)))
        d += _ONE
    return out
