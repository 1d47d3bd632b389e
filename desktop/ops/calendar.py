"""Operations on the calendar: import a State Council notice (国务院放假通知), correct one day.

Each is one transaction (desktop.ops.base): whether the year can take the notice or the correction,
what it changes (the audit row's before and after) and the write are all read under the write lock.
"""

from __future__ import annotations

import datetime as dt

from desktop.core.access import Permission
from desktop.core.errors import UserError
from desktop.core.notice import Notice
from desktop.ops.base import Entity, Tx, operation
from desktop.store import calendar as rows
from desktop.store.calendar import LAST_SUPPORTED_YEAR, DayChange, load_calendar, stored_years
from desktop.store.db import Store


def check_importable(store: Store, year: int) -> None:
    """Refuse, before anything is shown as importable, a notice year the calendar cannot take."""
    if year > LAST_SUPPORTED_YEAR:
        raise UserError(f"不支持 {year} 年:本程序的日历支持到 {LAST_SUPPORTED_YEAR} 年。")
    years = stored_years(store)
    if years and year > max(years) + 1:
        raise UserError(f"请先导入 {max(years) + 1} 年的放假通知,再导入 {year} 年的:日历不能有缺失的年份。")
    if years and year < min(years):  # before the first stored year nothing can be computed or compared
        raise UserError(f"不支持导入 {year} 年的通知:本数据库的日历从 {min(years)} 年开始。请检查通知的年份。")


def notice_changes(store: Store, notice: Notice) -> list[DayChange]:
    """What importing `notice` would change, day by day, against what is stored now (the preview;
    `import_notice` computes it again inside its transaction).

    Raises UserError if the notice's year cannot be imported (see `check_importable`).
    """
    check_importable(store, notice.year)
    cal = load_calendar(store, notice.year)
    new = {e.day: e for e in notice.entries}
    replaced = rows.replaced_days(store, notice)
    changes = []
    for day in sorted(set(new) | replaced):
        try:
            current = cal.entry(day)
        except ValueError:
            current = None
        before = None if current is None or current.source == "weekend" else current
        after = new.get(day)
        same = (before is None and after is None) or (
            before is not None and after is not None and before.rest == after.rest and before.name == after.name)
        if not same:
            changes.append(DayChange(day, before, after))
    return changes


@operation(Permission.rules)
def import_notice(tx: Tx, notice: Notice) -> list[DayChange]:
    """Apply a parsed notice: the year becomes `notice`; returns the changes made."""
    store = tx.store
    changes = notice_changes(store, notice)
    for day in rows.replaced_days(store, notice):
        rows.delete_day(store, day)
    rows.write_notice(store, notice)
    tx.audit("import_notice", Entity.calendar, notice.year, f"导入{notice.year}年放假通知,变更 {len(changes)} 天",
             before=[[c.day.isoformat(), DayChange.describe(c.before, c.day)] for c in changes],
             after=[[c.day.isoformat(), DayChange.describe(c.after, c.day)] for c in changes])
    return changes


@operation(Permission.rules)
def correct_day(tx: Tx, day: dt.date, rest: bool, name: str | None, note: str) -> None:
    """Fix one stored day by hand (source `corrected`); the note must say on what authority."""
    store = tx.store
    years = stored_years(store)
    if day.year not in years:
        raise UserError(f"{day.year}年还没有正式日历,不能更正单日。请先导入该年的国务院放假通知。")
    if not note.strip():
        raise UserError("请在说明中写明更正依据(例如通知的名称和日期)。")
    before = rows.day_row(store, day)
    if rest == (day.weekday() >= 5) and not name:
        rows.delete_day(store, day)
    else:
        rows.write_corrected_day(store, day, rest, name, note.strip())
    if years[day.year] == "official":
        rows.mark_year_corrected(store, day.year)
    tx.audit("correct_day", Entity.calendar, day.year, f"更正 {day.isoformat()} 为{'休息' if rest else '上班'}",
             before=list(before) if before else None, after=[day.isoformat(), rest, name, note.strip()])
