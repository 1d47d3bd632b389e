"""The calendar table: load a WorkCalendar, the year status, and the SQL of the calendar's writes.

A repository: importing a State Council notice and correcting a day are operations in
desktop.ops.calendar (the checks, the writes and the audit row in one transaction).

Stored years are `official` (seeded from chinese-calendar), `notice` (imported by the user)
or `corrected`. Years after the last stored one are computed as `provisional` on load
(statutory holidays only, no make-up days) and never stored: a notice replaces them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.errors import UserError
from desktop.core.provisional import provisional_entries
from desktop.core.workcal import LATE_DECEMBER_FROM, DayEntry, WorkCalendar
from desktop.store.db import Store

if TYPE_CHECKING:  # a type only: the notice parser is imported where a notice is read
    from desktop.core.notice import Notice

LAST_SUPPORTED_YEAR = 2099  # the lunar tables and the statutory rules we encode
SOURCE_LABELS = {"official": "正式(国务院通知,随程序提供)", "notice": "正式(已导入国务院通知)",
                 "corrected": "正式(含人工更正)", "provisional": "暂定(尚无国务院通知)"}


def _entry(row: tuple) -> DayEntry:
    day, rest, name, source, note = row
    return DayEntry(day=dt.date.fromisoformat(day), rest=bool(rest), name=name, source=source, note=note)


def stored_years(store: Store) -> dict[int, str]:
    return {y: s for y, s in store.conn.execute("SELECT year, source FROM calendar_year ORDER BY year")}


def load_calendar(store: Store, through_year: int) -> WorkCalendar:
    """The stored years plus provisional years after the last stored one, up to `through_year`."""
    years = stored_years(store)
    if not years:
        raise UserError("数据库中没有日历数据。请用 dutydesk calendar import-notice 导入国务院的放假通知。")
    entries = [_entry(r) for r in store.conn.execute("SELECT day, rest, name, source, note FROM calendar_day")]
    last = max(years)
    for year in range(last + 1, min(max(through_year, last), LAST_SUPPORTED_YEAR) + 1):
        entries += provisional_entries(year)
        years[year] = "provisional"
    return WorkCalendar(entries, years)


@dataclass(frozen=True)
class DayChange:
    day: dt.date
    before: DayEntry | None  # None: an ordinary day (weekend rule)
    after: DayEntry | None

    @staticmethod
    def describe(entry: DayEntry | None, day: dt.date) -> str:
        if entry is None:
            return "休息(周末)" if day.weekday() >= 5 else "上班"
        state = "休息" if entry.rest else "上班"
        return f"{state}({entry.name})" if entry.name else state


def day_row(store: Store, day: dt.date) -> tuple | None:
    """The stored row of `day` (day, rest, name, source, note), None for an ordinary day."""
    return store.conn.execute("SELECT day, rest, name, source, note FROM calendar_day WHERE day = ?",
                              (day.isoformat(),)).fetchone()


def replaced_days(store: Store, notice: Notice) -> set[dt.date]:
    """Stored days of the notice's year that the import removes (they become ordinary days).

    The last days of December stay unless the notice names them: they belong to the next
    year's notice (LATE_DECEMBER_FROM).
    """
    start = dt.date(notice.year, 1, 1).isoformat()
    end = dt.date(notice.year, 12, LATE_DECEMBER_FROM - 1).isoformat()
    rows = store.conn.execute("SELECT day FROM calendar_day WHERE day BETWEEN ? AND ?", (start, end))
    named = {e.day for e in notice.entries}
    days = {dt.date.fromisoformat(r[0]) for r in rows} - named
    # Provisional days of a computed year are replaced too (they were never stored).
    if notice.year not in stored_years(store):
        days |= {e.day for e in provisional_entries(notice.year)} - named
    return days


# ---------------------------------------------------------------- the writes' SQL

def delete_day(store: Store, day: dt.date) -> None:
    store.conn.execute("DELETE FROM calendar_day WHERE day = ?", (day.isoformat(),))


def write_notice(store: Store, notice: Notice) -> None:
    """The notice's days (source `notice`) and its year's row (the days it replaces: `delete_day`)."""
    store.conn.executemany(
        "INSERT INTO calendar_day (day, rest, name, source, note) VALUES (?, ?, ?, 'notice', ?)"
        " ON CONFLICT (day) DO UPDATE SET rest = excluded.rest, name = excluded.name,"
        " source = excluded.source, note = excluded.note",
        [(e.day.isoformat(), int(e.rest), e.name, notice.title) for e in notice.entries],
    )
    now = store.clock.now().isoformat(timespec="seconds")
    store.conn.execute(
        "INSERT INTO calendar_year (year, source, title, updated_at) VALUES (?, 'notice', ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET source = 'notice', title = excluded.title, updated_at = excluded.updated_at",
        (notice.year, notice.title or f"国务院办公厅关于{notice.year}年部分节假日安排的通知", now),
    )


def write_corrected_day(store: Store, day: dt.date, rest: bool, name: str | None, note: str) -> None:
    store.conn.execute(
        "INSERT INTO calendar_day (day, rest, name, source, note) VALUES (?, ?, ?, 'corrected', ?)"
        " ON CONFLICT (day) DO UPDATE SET rest = excluded.rest, name = excluded.name, source = 'corrected',"
        " note = excluded.note", (day.isoformat(), int(rest), name, note))


def mark_year_corrected(store: Store, year: int) -> None:
    store.conn.execute("UPDATE calendar_year SET source = 'corrected' WHERE year = ?", (year,))


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # official | notice | corrected | provisional
    title: str | None
    rest_days: int  # rest days of the year, weekends included
    holidays: int  # named holiday rest days
    makeup_days: int  # 调休上班

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]


def year_status(store: Store, through_year: int) -> list[YearStatus]:
    cal = load_calendar(store, through_year)
    titles = {y: t for y, t in store.conn.execute("SELECT year, title FROM calendar_year")}
    out = []
    for year in cal.years:
        entries = [e for e in cal.entries() if e.day.year == year]
        days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)]
        out.append(YearStatus(
            year=year, source=cal.year_source(year), title=titles.get(year),
            rest_days=sum(1 for d in days if not cal.is_workday(d)),
            holidays=sum(1 for e in entries if e.rest and e.name),
            makeup_days=sum(1 for e in entries if not e.rest),
        ))
    return out


def missing_next_year(store: Store, today: dt.date) -> int | None:
    """From 1 November, the next year if it has no official calendar yet (the app reminds the user)."""
    if today.month < 11:
        return None
    nxt = today.year + 1
    return None if nxt in stored_years(store) else nxt
