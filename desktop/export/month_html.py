"""A month of the working-day calendar: the grid's cells (shared with the 日历 page) and printable HTML.

`month_grid` computes the 6 × 7 cells (Monday first, like a paper wall calendar) from a
`WorkCalendar`; the 日历 page paints them and `render_month` turns them into HTML that Qt's
QTextDocument prints on A4 landscape. `notice_months_html` draws compact month grids of a
parsed notice for the import dialog's preview. No widgets here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from desktop.core.cndate import WEEKDAYS, WEEKDAYS_SHORT, cn_date, cn_date_weekday, cn_month_day, cn_weekday
from desktop.core.lunar import lunar_description, lunar_label_kind
from desktop.core.workcal import CalendarGapError, DayEntry, WorkCalendar

__all__ = [
    "DayInfo",
    "day_list_text",
    "describe_day",
    "month_grid",
    "month_holidays",
    "notice_months_html",
    "render_month",
]

ROWS = 6
_COLUMN_WIDTH = "14.2857%"

# Colours shared by the screen and the printout.
REST_BG = "#fdeceb"  # a holiday rest day
WEEKEND_BG = "#f7f2f2"  # an ordinary Saturday/Sunday
WORK_BG = "#ffffff"
MAKEUP_BG = "#eef3fa"  # 调休上班
OUTSIDE_BG = "#fafafa"
REST_FG = "#c0392b"
MAKEUP_FG = "#3b5a85"
PROVISIONAL_FG = "#b7791f"


@dataclass(frozen=True)
class DayInfo:
    """One cell of the month grid."""

    day: date
    in_month: bool
    covered: bool  # the calendar has data for the day's year
    rest: bool  # a rest day (weekend or holiday); for an uncovered day, the weekend rule
    mark: str  # "休" a holiday rest day, "班" a make-up workday (调休上班), "" otherwise
    name: str  # the entry's name: "春节", "春节调休上班", "" for an ordinary day
    lunar: str  # the short lunar label (立春, 正月, 十五)
    lunar_kind: str  # term (a solar term) | month (初一: the month's name) | day
    today: bool
    provisional: bool  # the day's status may still change (no notice yet)
    source: str  # official | notice | corrected | provisional | weekend | "" (not covered)

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def caption(self) -> str:
        """The holiday line of the cell: the holiday's name, or 调休上班 on a make-up day."""
        if self.mark == "休":
            return self.name
        if self.mark == "班":
            return "调休上班"
        return ""

    @property
    def status(self) -> str:
        if not self.covered:
            return "无日历数据"
        if self.mark == "班":
            return f"上班({self.name})" if self.name else "上班(调休)"
        if self.rest:
            return f"休息({self.name})" if self.name else "休息(周末)"
        return "工作日"


def describe_day(info: DayInfo) -> str:
    """One line about a day: `2026年2月17日 星期二 · 农历正月初一 · 休息(春节)`."""
    parts = [cn_date_weekday(info.day), lunar_description(info.day), info.status]
    if info.provisional and info.covered:
        parts.append("暂定,以国务院通知为准")
    return " · ".join(parts)


def month_grid(cal: WorkCalendar, year: int, month: int, today: date | None = None) -> list[list[DayInfo]]:
    """The 6 weeks (Monday to Sunday) that show the month, with the days of the neighbouring months."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    rows: list[list[DayInfo]] = []
    for week in range(ROWS):
        row = []
        for wd in range(7):
            d = start + timedelta(days=7 * week + wd)
            row.append(_info(cal, d, d.month == month and d.year == year, today))
        rows.append(row)
    return rows


def _info(cal: WorkCalendar, d: date, in_month: bool, today: date | None) -> DayInfo:
    lunar, kind = lunar_label_kind(d)
    try:
        entry = cal.entry(d)
    except CalendarGapError:
        return DayInfo(d, in_month, False, d.weekday() >= 5, "", "", lunar, kind, d == today, False, "")
    weekend = d.weekday() >= 5
    if entry.rest and (entry.name or not weekend):
        mark = "休"
    elif not entry.rest and weekend:
        mark = "班"
    else:
        mark = ""
    return DayInfo(d, in_month, True, entry.rest, mark, entry.name or "", lunar, kind, d == today,
                   cal.is_provisional(d), entry.source)


# --------------------------------------------------------------------------- text helpers


def day_list_text(days: Iterable[date], *, weekday: bool = False, year: int | None = None) -> str:
    """`2月15日至23日`, `2月14日、2月28日`: runs of consecutive days become ranges.

    A day outside `year` (default: the last day's year) is written with its year.
    """
    ds = sorted(set(days))
    if not ds:
        return ""
    ref = year if year is not None else ds[-1].year
    runs: list[list[date]] = []
    for d in ds:
        if runs and (d - runs[-1][-1]).days == 1 and not weekday:
            runs[-1].append(d)
        else:
            runs.append([d])

    def one(d: date, after: date | None = None) -> str:
        if after is not None and (after.year, after.month) == (d.year, d.month):
            text = f"{d.day}日"
        else:
            text = cn_date(d) if d.year != ref else cn_month_day(d)
        return text + (f"({cn_weekday(d)})" if weekday else "")

    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(one(run[0]))
        elif len(run) == 2:
            parts.append(f"{one(run[0])}、{one(run[1], run[0])}")
        else:
            parts.append(f"{one(run[0])}至{one(run[-1], run[0])}")
    return "、".join(parts)


def month_holidays(cal: WorkCalendar, year: int, month: int) -> list[tuple[str, list[date], list[date]]]:
    """(holiday, its rest days, its make-up workdays) for each holiday with a day in the month.

    Days of the same arrangement outside the month are included (within 40 days), so a line
    reads as the whole arrangement.
    """
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    lo, hi = first - timedelta(days=40), last + timedelta(days=40)
    named: dict[str, tuple[list[date], list[date]]] = {}
    touching: set[str] = set()
    for e in cal.entries():
        if not e.name or not lo <= e.day <= hi:
            continue
        name = e.name.removesuffix("调休上班")
        rest, work = named.setdefault(name, ([], []))
        (rest if e.rest else work).append(e.day)
        if first <= e.day <= last:
            touching.add(name)
    out = [(name, sorted(rest), sorted(work)) for name, (rest, work) in named.items() if name in touching and rest]
    out.sort(key=lambda t: t[1][0])
    return out


# --------------------------------------------------------------------------- printable month

_PRINT_CSS = """
body { font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', 'SimSun', sans-serif; color: #222; }
h1 { font-size: 20pt; margin: 0; }
.sub { font-size: 10pt; color: #555; }
th { font-size: 11pt; font-weight: bold; padding: 4px; background-color: #e9eef5; }
td.cell { padding: 3px 6px 3px 6px; }
.num { font-size: 22pt; font-weight: bold; }
.lunar { font-size: 10pt; color: #555; }
.name { font-size: 10pt; }
.pad { font-size: 14pt; }
.mark { font-size: 9pt; font-weight: bold; color: white; }
.foot { font-size: 10pt; color: #333; }
.warn { font-size: 10pt; color: #7a4b00; background-color: #fff3cd; }
"""


def _cell_html(info: DayInfo) -> str:
    if not info.in_month:
        bg, fg = OUTSIDE_BG, "#c4c4c4"
    elif info.mark == "班":
        bg, fg = MAKEUP_BG, "#222"
    elif info.mark == "休":
        bg, fg = REST_BG, REST_FG
    elif info.rest:
        bg, fg = WEEKEND_BG, REST_FG
    else:
        bg, fg = WORK_BG, "#222"
    mark = ""
    if info.mark and info.in_month:
        colour = PROVISIONAL_FG if info.provisional else (REST_FG if info.mark == "休" else MAKEUP_FG)
        text = f"{info.mark}{'(暂定)' if info.provisional else ''}"
        mark = f'<span class="mark" style="background-color:{colour};">&nbsp;{escape(text)}&nbsp;</span>'
    lunar_fg = "#c4c4c4" if not info.in_month else ("#2e7d32" if info.lunar_kind != "day" else "#555")
    caption = escape(info.caption) if info.in_month and info.caption else "&nbsp;"
    name_fg = REST_FG if info.mark == "休" else MAKEUP_FG
    today = ' style="border: 2px solid #1f5fa8;"' if info.today and info.in_month else ""
    return (
        f'<td class="cell" bgcolor="{bg}" width="{_COLUMN_WIDTH}" valign="top"{today}>'
        f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><span class="num" style="color:{fg};">{info.day.day}</span></td>'
        f'<td align="right" valign="top">{mark}</td></tr></table>'
        f'<div class="lunar" style="color:{lunar_fg};">{escape(info.lunar)}</div>'
        f'<div class="name" style="color:{name_fg};">{caption}</div>'
        f'<div class="pad">&nbsp;</div></td>'
    )


def render_month(cal: WorkCalendar, year: int, month: int, *, today: date | None = None,
                 org: str | None = None, source_label: str = "", printed_on: date | None = None) -> str:
    """The month as a printable page (A4 landscape): title, grid, the month's arrangements, source."""
    grid = month_grid(cal, year, month, today)
    # Drop a last week that holds no day of the month (a 5-week month prints 5 rows).
    rows = [row for row in grid if any(c.in_month for c in row)]
    e = escape
    parts = [f"<html><head><style>{_PRINT_CSS}</style></head><body>",
             '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
             f"<td><h1>{year}年{month}月</h1></td>"
             f'<td align="right" valign="bottom" class="sub">{e(org or "")}<br>工作日历(休=放假,班=调休上班)</td>'
             "</tr></table>",
             '<table width="100%" border="1" cellspacing="0" cellpadding="0" '
             'style="border-collapse: collapse; border-color: #7d8a9c; margin-top: 6px;">', "<tr>"]
    for i, head in enumerate(WEEKDAYS):
        colour = REST_FG if i >= 5 else "#22304a"
        parts.append(f'<th width="{_COLUMN_WIDTH}" style="color:{colour};">{head}</th>')
    parts.append("</tr>")
    for row in rows:
        parts.append("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>")
    parts.append("</table>")
    lines = []
    for name, rest, work in month_holidays(cal, year, month):
        text = f"{e(name)}:{day_list_text(rest)}放假,共{len(rest)}天"
        if work:
            text += f";{day_list_text(work, weekday=True)}上班"
        lines.append(text)
    parts.append('<p class="foot" style="margin-top: 6px;">')
    if lines:
        parts.append("本月放假安排:" + ";".join(lines) + "。<br>")
    source = f"{year}年日历来源:{e(source_label)}" if source_label else ""
    stamp = f"打印日期:{cn_date(printed_on)}" if printed_on else ""
    parts.append("&nbsp;&nbsp;&nbsp;&nbsp;".join(p for p in (source, stamp) if p) + "</p>")
    if any(c.provisional and c.in_month and c.covered for row in rows for c in row):
        parts.append('<p class="warn">&nbsp;注意:本月含暂定日期(尚无国务院放假通知,只含法定节日,不含调休),'
                     "以国务院办公厅正式通知为准。&nbsp;</p>")
    parts.append("</body></html>")
    return "".join(parts)


# --------------------------------------------------------------------------- notice preview


def notice_months_html(entries: Iterable[DayEntry], columns: int = 3) -> str:
    """Compact month grids of the months a notice touches: rest days red, make-up days blue."""
    by_day = {e.day: e for e in entries}
    months = sorted({(d.year, d.month) for d in by_day})
    cells = []
    for y, m in months:
        first = date(y, m, 1)
        start = first - timedelta(days=first.weekday())
        rows = ['<table cellspacing="0" cellpadding="2" style="border-collapse: collapse;">',
                f'<tr><td colspan="7" align="center"><b>{y}年{m}月</b></td></tr><tr>']
        for i, w in enumerate(WEEKDAYS_SHORT):
            rows.append(f'<td align="center" style="color:{REST_FG if i >= 5 else "#555"};">{w}</td>')
        rows.append("</tr>")
        d = start
        while d.month == m or d < first:
            rows.append("<tr>")
            for _ in range(7):
                if d.month != m:
                    rows.append("<td></td>")
                else:
                    e = by_day.get(d)
                    if e is None:
                        style = f"color:{REST_FG};" if d.weekday() >= 5 else ""
                        rows.append(f'<td align="center" style="{style}">{d.day}</td>')
                    elif e.rest:
                        rows.append(f'<td align="center" bgcolor="{REST_FG}" style="color:white;">{d.day}</td>')
                    else:
                        rows.append(f'<td align="center" bgcolor="{MAKEUP_FG}" style="color:white;">{d.day}</td>')
                d += timedelta(days=1)
            rows.append("</tr>")
        rows.append("</table>")
        cells.append("".join(rows))
    out = ['<table cellspacing="8" cellpadding="0">']
    for i in range(0, len(cells), columns):
        out.append("<tr>" + "".join(f'<td valign="top">{c}</td>' for c in cells[i:i + columns]) + "</tr>")
    out.append("</table>")
    out.append(f'<p><span style="background-color:{REST_FG}; color:white;">&nbsp;休&nbsp;</span> 放假 '
               f'&nbsp;&nbsp;<span style="background-color:{MAKEUP_FG}; color:white;">&nbsp;班&nbsp;</span> 调休上班</p>')
    return "".join(out)
