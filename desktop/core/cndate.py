"""Chinese dates and weekdays as screens, printouts, messages and the command line write them.

DESIGN.md "What the user sees": Chinese dates (2026年10月1日 星期四). One home for every form:

* `cn_date` 2026年10月1日, `cn_month_day` 10月1日;
* `cn_weekday` 星期四, `cn_weekday_short` 四 (and `WEEKDAYS`, `WEEKDAYS_SHORT` for headers);
* `cn_date_weekday` 2026年10月1日 星期四 (or 10月1日 星期四 without the year);
* `cn_span` two dates: 2026年10月1日至7日, 2026年9月30日至10月2日, 2026年12月31日至2027年1月1日,
  or without the year 10月1日至7日, 12月30日至1月2日; the end names only what differs from the start;
* `cn_week` a week: 2026年11月23日—11月29日(第48周);
* `parse_typed_date` what a person types into a date field: 28, 12-8, 12月8日, 2026-12-08.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = [
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "cn_date",
    "cn_date_weekday",
    "cn_month_day",
    "cn_span",
    "cn_week",
    "cn_weekday",
    "cn_weekday_short",
    "parse_typed_date",
]

#: Monday to Sunday, one character each: 一 … 日 (calendar headers, 星期X in a sentence).
WEEKDAYS_SHORT = "一二三四五六日"
#: Monday to Sunday: 星期一 … 星期日 (column headers, a weekday cell).
WEEKDAYS = tuple(f"星期{c}" for c in WEEKDAYS_SHORT)


def cn_date(d: date) -> str:
    """2026年10月1日"""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: date) -> str:
    """10月1日"""
    return f"{d.month}月{d.day}日"


def cn_weekday(d: date) -> str:
    """星期四"""
    return WEEKDAYS[d.weekday()]


def cn_weekday_short(d: date) -> str:
    """四 (for 周四, (星期四) and the like)."""
    return WEEKDAYS_SHORT[d.weekday()]


def cn_date_weekday(d: date, *, year: bool = True) -> str:
    """2026年10月1日 星期四; without the year 10月1日 星期四."""
    return f"{cn_date(d) if year else cn_month_day(d)} {cn_weekday(d)}"


def cn_span(first: date, last: date, *, year: bool = True, sep: str = "至",
            first_note: str = "", last_note: str = "") -> str:  # fmt: skip
    """Two dates, the end naming only what differs from the start.

    With the year: 2026年10月1日至7日, 2026年9月30日至10月2日, 2026年12月31日至2027年1月1日;
    without: 10月1日至7日, 9月30日至10月2日, 12月30日至1月2日 (a span across the new year names
    the end's month). One day is the date alone: 2026年10月1日 / 10月1日.
    ``sep`` stands between the dates (至, or — in a list); ``first_note`` and ``last_note`` follow
    the start and the end (下午 … 上午 of a half-day span) when the dates differ.
    """
    head = cn_date(first) if year else cn_month_day(first)
    if first == last:
        return head
    if year and last.year != first.year:
        tail = cn_date(last)
    elif (last.year, last.month) != (first.year, first.month):
        tail = cn_month_day(last)
    else:
        tail = f"{last.day}日"
    return f"{head}{first_note}{sep}{tail}{last_note}"


def cn_week(start: date) -> str:
    """2026年11月23日—11月29日(第48周): the seven days from ``start`` (a Monday) and the ISO week
    number of the Monday. A week across the new year names the end's year too:
    2026年12月28日—2027年1月3日(第53周)."""
    end = start + timedelta(days=6)
    tail = cn_date(end) if end.year != start.year else cn_month_day(end)
    return f"{cn_date(start)}—{tail}(第{start.isocalendar().week}周)"


_WIDE = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")
_TYPED_WEEKDAY = re.compile(r"\s*[(（]?\s*(星期|周)[一二三四五六日天][)）]?\s*$")
_TYPED = (  # (pattern, which groups are year, month, day)
    (re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$"), "md"),
    (re.compile(r"^(\d{1,2})\s*[日号]?$"), "d"),
)


def parse_typed_date(text: str, reference: date) -> date | None:
    """The date a person means by ``text`` typed into a date field, or None if it is no date.

    What is left out comes from ``reference`` (the field's date before typing): "28" is the 28th of
    its month, "12-8", "12/8", "12.8" and "12月8日" are in its year; "2026-12-08", "2026/12/8",
    "2026年12月8日" and "20261208" are complete. Full-width digits and a trailing weekday
    (星期二, 周二) are accepted; a day that does not exist (2月30日) is None.
    """
    bare = _TYPED_WEEKDAY.sub("", text.translate(_WIDE).strip())
    for pattern, parts in _TYPED:
        m = pattern.match(bare)
        if m is None:
            continue
        values = dict(zip(parts, (int(g) for g in m.groups()), strict=True))
        try:
            return date(values.get("y", reference.year), values.get("m", reference.month), values["d"])
        except ValueError:
            return None
    return None
