"""The seed of the app's calendar table: chinese-calendar's data, with its known errors corrected.

chinese-calendar (the `chinese_calendar` package) carries the State Council's arrangements
for 2004 to its last year and raises for other years. `official_entries` turns it into
`DayEntry` rows (holidays and make-up workdays only, with Chinese names); `CORRECTIONS`
lists the days it gets wrong, each citing the notice that settles it; `seed_entries` is the
two together, and `seed_calendar` a ready `WorkCalendar`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar
from lunar_python import Lunar

from desktop.core.provisional import provisional_entries
from desktop.core.workcal import CalendarGapError, DayEntry, WorkCalendar, overlay

__all__ = [
    "CORRECTIONS",
    "OFFICIAL_YEARS",
    "official_entries",
    "seed_calendar",
    "seed_entries",
    "seed_year_sources",
]

#: The years chinese-calendar 1.11 carries.
OFFICIAL_YEARS = range(2004, 2027)

_HOLIDAY_NAMES: dict[chinese_calendar.Holiday, str] = {
    chinese_calendar.Holiday.new_years_day: "元旦",
    chinese_calendar.Holiday.spring_festival: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day: "清明节",
    chinese_calendar.Holiday.labour_day: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival: "中秋节",
    chinese_calendar.Holiday.national_day: "国庆节",
    chinese_calendar.Holiday.anti_fascist_70th_day: "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

#: 中秋节 became a statutory holiday in 2008 (the 2007 revision of the 放假办法).
_MID_AUTUMN_FROM = 2008

#: Days chinese-calendar gets wrong. Each corrected day cites the notice it follows.
CORRECTIONS: tuple[DayEntry, ...] = (
    # 国务院办公厅关于2006年部分节假日安排的通知 (December 2005): 元旦 2006-01-01 (Sunday) to
    # 01-03 off; the weekend days 2005-12-31 (Saturday) and 2006-01-01 were moved to 01-02 and
    # 01-03, so Saturday 2005-12-31 was a working day (上班). chinese-calendar has it as a plain
    # Saturday (rest): reported upstream as LKI/chinese-calendar issues #17 and #125.
    DayEntry(
        date(2005, 12, 31),
        False,
        "元旦调休上班",
        "corrected",
        note="国务院办公厅关于2006年部分节假日安排的通知:2005年12月31日(星期六)上班",
    ),
)


def _cn_name(raw: str) -> str:
    try:
        return _HOLIDAY_NAMES[chinese_calendar.Holiday(raw)]
    except (ValueError, KeyError):
        # A holiday added by a newer chinese-calendar: its own Chinese name, else the raw one.
        for h in chinese_calendar.Holiday:
            if h.value == raw:
                return h.chinese
        return raw


def _mid_autumn(year: int) -> date:
    s = Lunar.fromYmd(year, 8, 15).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def official_entries(years: Iterable[int] = OFFICIAL_YEARS) -> list[DayEntry]:
    """chinese-calendar's holidays and make-up workdays for the given years, source "official".

    A rest block that holds two festivals is named after both in date order ("中秋节、国庆节"
    in 2023, "国庆节、中秋节" in 2025); chinese-calendar names each day after one of them
    only, and names no day after 中秋 in 2020 (中秋 was 10月1日), so 中秋's date is taken
    from the lunar calendar. A make-up workday is named after the nearest block it serves
    ("国庆节、中秋节调休上班").
    """
    return list(_official_entries(tuple(sorted(set(years)))))


@functools.cache
def _official_entries(years: tuple[int, ...]) -> tuple[DayEntry, ...]:
    days: list[tuple[date, bool, str]] = []  # (day, rest, raw chinese-calendar name)
    block_of: dict[date, int] = {}
    blocks: list[list[str]] = []  # festival names of each rest block, in order of appearance
    spans: list[tuple[date, date]] = []
    for y in years:
        d, end = date(y, 1, 1), date(y + 1, 1, 1)
        run: list[tuple[date, str | None]] = []  # the current run of rest days
        while d <= end:  # one day past the year closes a run that ends on 12-31
            try:
                rest, raw = chinese_calendar.get_holiday_detail(d) if d < end else (False, None)
            except NotImplementedError:  # a year chinese-calendar does not carry
                raise CalendarGapError(y) from None
            if d < end and raw is not None:
                days.append((d, rest, raw))
            if rest:
                run.append((d, _cn_name(raw) if raw is not None else None))
            elif run:
                names = list(dict.fromkeys(n for _, n in run if n is not None))
                if names:
                    blocks.append(names)
                    spans.append((run[0][0], run[-1][0]))
                    for rd, _ in run:
                        block_of[rd] = len(blocks) - 1
                run = []
            d += timedelta(days=1)
    for idx, (a, b) in enumerate(spans):
        if a.year >= _MID_AUTUMN_FROM and blocks[idx] == ["国庆节"]:
            m = _mid_autumn(a.year)
            if a <= m <= b:
                blocks[idx] = ["中秋节", "国庆节"] if m < date(m.year, 10, 1) else ["国庆节", "中秋节"]
    block_names = ["、".join(b) for b in blocks]

    out: list[DayEntry] = []
    for d, rest, raw in days:
        name = _cn_name(raw)
        if rest:
            out.append(DayEntry(d, True, block_names[block_of[d]], "official"))
            continue
        # A make-up workday: the nearest block holding its festival.
        best = min(
            (i for i, b in enumerate(blocks) if name in b),
            key=lambda i: min(abs((spans[i][0] - d).days), abs((spans[i][1] - d).days)),
            default=None,
        )
        label = block_names[best] if best is not None else name
        out.append(DayEntry(d, False, f"{label}调休上班", "official"))
    return tuple(out)


def seed_entries(years: Iterable[int] = OFFICIAL_YEARS) -> list[DayEntry]:
    """`official_entries` with `CORRECTIONS` applied (the corrections of those years)."""
    years = set(years)
    return overlay(official_entries(years), (c for c in CORRECTIONS if c.day.year in years))


def seed_year_sources(years: Iterable[int] = OFFICIAL_YEARS) -> dict[int, str]:
    """official per year, corrected for a year with a correction."""
    corrected = {c.day.year for c in CORRECTIONS}
    return {y: "corrected" if y in corrected else "official" for y in sorted(set(years))}


def seed_calendar(provisional_years: Iterable[int] = ()) -> WorkCalendar:
    """The seeded calendar (2004–2026), plus provisional calendars for the given years."""
    prov = sorted(set(provisional_years))
    clash = [y for y in prov if y in OFFICIAL_YEARS]
    if clash:
        raise ValueError(f"{clash[0]}年已有正式数据,不能使用暂定日历")
    entries = seed_entries()
    sources = seed_year_sources()
    for y in prov:
        entries += provisional_entries(y)
        sources[y] = "provisional"
    return WorkCalendar(entries, sources)


# --------------------------------------------------------------------------- the shipped seed file

#: The seed is computed once, when the program is built (scripts/make_calendar_seed.py), and
#: shipped as resources/calendar/seed.tsv: asking chinese-calendar day by day takes ~0.2 s, too
#: long for the first start. tests/test_calseed.py keeps the file equal to `seed_entries()`.
SEED_HEADER = "day\trest\tname\tsource\tnote"


def dump_seed(entries: Iterable[DayEntry]) -> str:
    lines = [SEED_HEADER]
    for e in entries:
        lines.append("\t".join([e.day.isoformat(), "1" if e.rest else "0", e.name or "", e.source, e.note or ""]))
    return "\n".join(lines) + "\n"


def parse_seed(text: str) -> list[DayEntry]:
    lines = text.splitlines()
    if not lines or lines[0] != SEED_HEADER:
        raise ValueError("日历种子文件格式不对:第一行应是表头 " + SEED_HEADER)
    out = []
    for line in lines[1:]:
        day, rest, name, source, note = line.split("\t")
        out.append(DayEntry(date.fromisoformat(day), rest == "1", name or None, source, note or None))
    return out
