"""The holiday duty roster (节假日领导带班及值班安排表): its rows and its printable HTML.

DESIGN.md "What the user sees": the roster prints on A4 portrait with the GB/T 9704 fonts (title in
小标宋, body in 仿宋, falling back to the installed CJK fonts, see absence_html.resolve_fonts), and
is exported as xlsx (desktop.export.duty_xlsx) and as the duty notice .docx
(desktop.export.duty_docx). All three are built from the same plain rows:

* `roster_rows` — one `RosterRow` a duty day from the solver's plans (the leader plan and, when
  officers are planned, the officer plan) and the people's phones; `rows_from_assignments` the
  same from stored assignments (desktop.store.duty's rows carry the name and phone);
* `roster_title`, `split_label`, `notice_title` — the titles from a plan scope's label
  (2026年国庆节 → 2026年国庆节期间领导带班及值班安排表, 关于2026年国庆节期间值班安排的通知);
* `duty_basis`, `default_notes` — the rule the roster follows, cited when the profile's duty
  article is the government's own (000 art.81 → 《攀枝花市人民政府工作规则》第八十一条);
* `roster_html` — the official roster for Qt's QTextDocument (desktop.ui.printing lays it out).
  A holiday block fits one page; a whole year runs over several pages, the header row repeated
  on each (QTextDocument repeats a table's ``<thead>`` rows).

No widgets, no store: everything is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Protocol

from desktop.core.citation import cite, cn_number, official_html
from desktop.core.cndate import cn_date, cn_span, cn_weekday
from desktop.core.duty import HEAVY_LABELS, OFFICER, DutyPlan
from desktop.core.profile import Level, Profile, split_article
from desktop.export.absence_html import PrintFonts, government_name
from desktop.export.phones import fitting_pt, phone_html, split_phones

__all__ = [
    "HEAVY_MARK",
    "MAKEUP_REMARK",
    "ONE_PAGE_ROWS",
    "PROVISIONAL_NOTE",
    "REMARK_LABELS",
    "Assigned",
    "RosterRow",
    "cn_number",
    "date_range_text",
    "default_notes",
    "duty_basis",
    "fits_one_page",
    "government_short",
    "is_holiday_name",
    "legend_lines",
    "notice_title",
    "period_text",
    "roster_html",
    "roster_rows",
    "roster_title",
    "rows_from_assignments",
    "scope_label_of",
    "split_label",
    "with_makeup",
]

#: Up to this many days the roster is printed on one page (shrunk if it must); longer rosters
#: (a year, a month of 24-hour duty) run over several pages with the header repeated.
ONE_PAGE_ROWS = 16
HEAVY_MARK = "★"
#: A make-up workday in the 备注 column (the weekly board's header says 班 调休上班).
MAKEUP_REMARK = "调休上班"
#: The heavy day in the 备注 column (short enough for one line); the legend spells it out.
REMARK_LABELS = {"eve": "除夕", "spring_day1": "春节初一", "national_day1": "国庆节"}


@dataclass(frozen=True)
class RosterRow:
    """One duty day of the roster, as printed.

    ``holiday`` is the holiday block's name (国庆节) or None; ``heavy`` the heavy-day kind (eve,
    spring_day1, national_day1) or None; ``officers`` the duty officers as (name, phone);
    ``shift`` the profile's shifts (全天, 白班、夜班); ``provisional`` True when the day comes from a
    provisional calendar.
    """

    date: date
    weekday: str
    holiday: str | None
    heavy: str | None
    leader: str
    leader_phone: str
    officers: tuple[tuple[str, str], ...] = ()
    shift: str = ""
    provisional: bool = False
    makeup: bool = False  # a make-up workday (调休上班): a weekend day the State Council made a workday

    @property
    def date_text(self) -> str:
        """2026年10月1日"""
        return cn_date(self.date)

    @property
    def heavy_label(self) -> str | None:
        return HEAVY_LABELS[self.heavy] if self.heavy else None

    def remarks(self, *, with_holiday: bool) -> list[str]:
        """What the 备注 column says: the holiday (when the roster spans several), ★ and the heavy
        day (★国庆节, ★除夕, ★春节初一), 调休上班 on a make-up workday (as the weekly board's 班),
        日期暂定 for a provisional day."""
        out: list[str] = []
        if self.makeup:
            out.append(MAKEUP_REMARK)
        mark = REMARK_LABELS.get(self.heavy, self.heavy_label or "") if self.heavy else ""
        if with_holiday and self.holiday and self.holiday != mark:  # not 国庆节 above ★国庆节
            out.append(self.holiday)
        if self.heavy:
            out.append(HEAVY_MARK + mark)
        if self.provisional:
            out.append("日期暂定")
        return out

    def officers_text(self, sep: str = "\n") -> str:
        """张三 13800000001 / 李四 13800000002, one officer a line."""
        return sep.join(f"{name} {phone}".strip() for name, phone in self.officers)


def roster_rows(
    plan: DutyPlan,
    phones: Mapping[int, str],
    *,
    officers: DutyPlan | None = None,
    shifts: Sequence[str] = (),
) -> list[RosterRow]:
    """One row a duty day, in date order, from the leader plan (and the officer plan, if any).

    ``phones`` maps a person id to the phone printed beside the name (missing: blank). A plan
    whose slot is "officer" given alone fills the officers and leaves the leader blank.
    """
    if plan.instance.slot == OFFICER and officers is None:
        leaders, officers = None, plan
    else:
        leaders = plan
    days = {}
    for p in (leaders, officers):
        if p is not None:
            for day in p.instance.days:
                days.setdefault(day.date, day)
    shift = "、".join(s.strip() for s in shifts if s.strip())
    rows: list[RosterRow] = []
    for d in sorted(days):
        day = days[d]
        leader_name, leader_phone = "", ""
        if leaders is not None:
            on = leaders.on(d)
            leader_name = "、".join(a.name for a in on)
            leader_phone = "、".join(p for p in (phones.get(a.person_id, "").strip() for a in on) if p)
        crew: tuple[tuple[str, str], ...] = ()
        if officers is not None:
            crew = tuple((a.name, phones.get(a.person_id, "").strip()) for a in officers.on(d))
        rows.append(
            RosterRow(
                d, cn_weekday(d), day.holiday, day.heavy, leader_name, leader_phone, crew,
                shift, day.provisional,
            )
        )  # fmt: skip
    return rows


class Assigned(Protocol):
    """One person on one day as the duty store keeps it (desktop.store.duty.DutyRow has these)."""

    date: date
    name: str
    phone: str
    shift: str
    holiday: str | None
    heavy: str | None
    provisional: bool


def _shift_order(shifts: Sequence[str], shift: str) -> int:
    return shifts.index(shift) if shift in shifts else len(shifts)


def rows_from_assignments(
    leaders: Iterable[Assigned],
    officers: Iterable[Assigned] = (),
    *,
    days: Iterable[date] | None = None,
    shifts: Sequence[str] = (),
) -> list[RosterRow]:
    """One row a day from stored assignments (in their order: the officers by ``seq``).

    ``days`` are the dates to print (the plan's own days; an assignment on another date is
    left out); by default every date that has an assignment. The phone is the one stored with
    the person.
    """
    by_day: dict[date, tuple[list[Assigned], list[Assigned]]] = {}
    for slot, items in ((0, leaders), (1, officers)):
        for a in items:
            by_day.setdefault(a.date, ([], []))[slot].append(a)
    wanted = sorted(set(days) if days is not None else by_day)
    shift = "、".join(s.strip() for s in shifts if s.strip())
    rows: list[RosterRow] = []
    for d in wanted:
        lead, crew = by_day.get(d, ([], []))
        first = (lead + crew)[:1]
        info = first[0] if first else None
        rows.append(
            RosterRow(
                d, cn_weekday(d),
                info.holiday if info else None, info.heavy if info else None,
                "、".join(a.name for a in lead), "、".join(a.phone.strip() for a in lead if a.phone.strip()),
                tuple((f"{a.shift} {a.name}" if len(shifts) > 1 and a.shift else a.name, a.phone.strip())
                      for a in sorted(crew, key=lambda a: _shift_order(shifts, a.shift))),
                shift, bool(info and info.provisional),
            )
        )  # fmt: skip
    return rows


def with_makeup(rows: Sequence[RosterRow], calendar: object | None) -> list[RosterRow]:
    """The rows with the make-up workdays (调休上班) marked, from the working calendar
    (desktop.core.workcal.WorkCalendar; None: unchanged) as the weekly board marks them (班)."""
    from dataclasses import replace

    from desktop.core.board import board_day

    if calendar is None:
        return list(rows)
    return [replace(r, makeup=board_day(calendar, r.date).mark == "班") for r in rows]  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Titles and wording
# --------------------------------------------------------------------------------------------

_LABEL_RE = re.compile(r"^\s*(\d{4})年(.*)$")
_PERIOD_RE = re.compile(r"^(\d{1,2}月|第\d{1,2}周)?$")


def split_label(label: str) -> tuple[int | None, str]:
    """A plan scope's label split into its year and the rest: 2026年国庆节 → (2026, 国庆节),
    2026年 → (2026, ""), 2026年10月 → (2026, 10月), 国庆节 → (None, 国庆节)."""
    m = _LABEL_RE.match(label)
    if m:
        return int(m.group(1)), m.group(2).strip()
    return None, label.strip()


def is_holiday_name(rest: str) -> bool:
    """True for 国庆节, 春节, 国庆节、中秋节; False for "", 10月, 第40周 and 节假日 itself."""
    return bool(rest) and rest != "节假日" and not _PERIOD_RE.match(rest)


def roster_title(label: str, *, officers: bool = True) -> str:
    """The roster's title from the plan scope's label.

    2026年国庆节 → 2026年国庆节期间领导带班及值班安排表; 2026年 → 2026年节假日领导带班及值班安排表;
    2026年10月 → 2026年10月节假日领导带班及值班安排表. Without officers: …领导带班安排表.
    """
    what = "领导带班及值班安排表" if officers else "领导带班安排表"
    year, rest = split_label(label)
    head = f"{year}年" if year is not None else ""
    if is_holiday_name(rest):
        return f"{head}{rest}期间{what}"
    return f"{head}{rest}节假日{what}"


def period_text(year: int, rest: str) -> str:
    """What the notice is about: 2026年国庆节 (a holiday), 2026年节假日 (a year), 2026年10月节假日."""
    rest = rest.strip()
    if is_holiday_name(rest):
        return f"{year}年{rest}"
    return f"{year}年{'' if rest == '节假日' else rest}节假日"


def notice_title(year: int, holiday_label: str) -> str:
    """关于2026年国庆节期间值班安排的通知; for a whole year (label "" or 节假日):
    关于2026年节假日值班安排的通知; for a month: 关于2026年10月节假日值班安排的通知."""
    during = "期间" if is_holiday_name(holiday_label.strip()) else ""
    return f"关于{period_text(year, holiday_label)}{during}值班安排的通知"


def scope_label_of(rows: Sequence[RosterRow]) -> str:
    """A label when the plan's scope is not known: 2026年国庆节 when every day belongs to one
    holiday of one year, else 2026年 (or 2025—2026年)."""
    if not rows:
        return ""
    years = sorted({r.date.year for r in rows})
    holidays = {r.holiday for r in rows}
    if len(years) == 1 and len(holidays) == 1 and None not in holidays:
        return f"{years[0]}年{next(iter(holidays))}"
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"


def date_range_text(rows: Sequence[RosterRow]) -> str:
    """2026年10月1日至7日, 2026年12月31日至2027年1月1日, 2026年10月1日 (one day)."""
    if not rows:
        return ""
    return cn_span(rows[0].date, rows[-1].date)


def duty_basis(profile: Profile) -> str | None:
    """《攀枝花市人民政府工作规则》第八十一条 when the profile's duty article is in its own
    government's rules; None when it cites another government's (a profile that borrows the
    default, like 吐鲁番's citing 000) or cannot be parsed: a notice never cites another city's rules."""
    try:
        seed, _number = split_article(profile.duty.article)
    except ValueError:
        return None
    if profile.seed is None or seed != profile.seed:
        return None
    return cite(profile.duty.article, profile)


_LEVEL_CHAR = {Level.city: "市", Level.county: "县", Level.district: "区"}


def government_short(profile: Profile) -> str:
    """市政府 / 县政府 / 区政府, by the profile's level."""
    return _LEVEL_CHAR.get(profile.level, "市") + "政府"


def default_notes(profile: Profile, org_name: str = "") -> list[str]:
    """The 说明 lines under the roster when the user adds none."""
    office = org_name.strip() or profile.office
    notes = [
        "说明：带班领导和值班人员须保持24小时通信畅通，坚守岗位，不得擅自离岗；因故不能带班、值班的，"
        f"须提前报告{office}调整。如遇重特大突发事件，须按规定及时报告并妥善处置。"
    ]
    basis = duty_basis(profile)
    if basis:
        notes.append(f"依据：{basis}。")
    return notes


PROVISIONAL_NOTE = "部分日期按暂定日历安排，以国务院放假通知为准，通知公布后请核对。"


def legend_lines(rows: Sequence[RosterRow]) -> list[str]:
    """The lines the rows themselves call for under the table: the ★ legend and the shifts
    (when the profile has several: 白班、夜班). The provisional warning is `PROVISIONAL_NOTE`."""
    out: list[str] = []
    heavy = list(dict.fromkeys(r.heavy_label for r in rows if r.heavy_label))
    if heavy:
        out.append(f"注：{HEAVY_MARK}为重点值班日（{'、'.join(heavy)}）。")
    shifts = list(dict.fromkeys(r.shift for r in rows if "、" in r.shift))
    if shifts:
        out.append(f"值班班次：{'；'.join(shifts)}。")
    return out


def fits_one_page(rows: Sequence[RosterRow]) -> bool:
    """Whether the roster is printed on one page (a holiday block) or may run over several."""
    return len(rows) <= ONE_PAGE_ROWS


# --------------------------------------------------------------------------------------------
# HTML (A4 portrait)
# --------------------------------------------------------------------------------------------


def _sizes(rows: int, officers: bool) -> dict[str, float]:
    """Font sizes (pt), cell padding and the extra space above and below a cell's text (px).

    A holiday block: 四号 (14 pt), or 小四 (12 pt) with the officers' column, so that a phone
    number never wraps (even in DejaVu's wide digits when Times New Roman is missing); long
    rosters smaller, to keep a page's worth of days. The padding is small (it narrows the
    columns too); rows get their height from the space around the text instead."""
    if rows <= 10:
        air = 14 if rows <= 7 else 9
        return {"body": 12.0 if officers else 14.0, "small": 10.5 if officers else 12.0, "pad": 3, "air": air}
    if rows <= ONE_PAGE_ROWS:
        return {"body": 12.0, "small": 10.5, "pad": 3, "air": 3}
    return {"body": 10.5, "small": 9.5, "pad": 2, "air": 0}


def _css(fonts: PrintFonts, sizes: dict[str, float], title_pt: float) -> str:
    weight = "bold" if fonts.title_bold else "normal"
    return f"""
body {{ font-family: {fonts.css('body')}; font-size: {sizes['body']}pt; color: #000; }}
.title {{ font-family: {fonts.css('title')}; font-size: {title_pt}pt; font-weight: {weight}; }}
.sub {{ font-size: {sizes['small']}pt; }}
th {{ font-size: {sizes['body']}pt; font-weight: bold; }}
.name {{ font-size: {sizes['body']}pt; }}
.tel {{ font-size: {sizes['tel']}pt; }}
.rmk {{ font-size: {sizes['small']}pt; }}
.foot {{ font-size: {sizes['small']}pt; }}
.warn {{ font-size: {sizes['small']}pt; color: #b3261e; }}
"""


#: The width of an A4 portrait page's content with the default margins (pt): 186 mm.
_PAGE_W_PT = 186 / 25.4 * 72


def _tel_pt(rows: Sequence[RosterRow], body_pt: float, officers: bool) -> float:
    """The phones' size: the body's, or smaller when the longest number would not fit its column
    (a number is never cut: desktop.export.phones)."""
    widths = dict(_widths(officers))
    leader = [p for r in rows for p in split_phones(r.leader_phone)]
    crew = [p for r in rows for _n, p in r.officers if p]
    size = fitting_pt(leader, _PAGE_W_PT * float(widths["联系电话"].rstrip("%")) / 100 - 8, body_pt)
    if officers:
        size = min(size, fitting_pt(crew, _PAGE_W_PT * float(widths["值班员"].rstrip("%")) / 100 - 8, body_pt))
    return size


def _widths(officers: bool) -> list[tuple[str, str]]:
    if officers:
        return [("日　期", "20%"), ("星　期", "10%"), ("带班领导", "13%"), ("联系电话", "19%"),
                ("值班员", "26%"), ("备　注", "12%")]  # fmt: skip
    return [("日　期", "25%"), ("星　期", "13%"), ("带班领导", "19%"), ("联系电话", "24%"), ("备　注", "19%")]


def roster_html(
    rows: Sequence[RosterRow],
    profile: Profile,
    org_name: str,
    title: str,
    *,
    printed_on: date | None = None,
    fonts: PrintFonts | None = None,
    notes: Iterable[str] = (),
    page_breaks: Collection[int] = (),
) -> str:
    """节假日领导带班及值班安排表 for A4 portrait.

    The title, the unit (单位) and the dates, a bordered table — 日期 | 星期 | 带班领导 | 联系电话
    | 值班员 (only when officers are planned) | 备注 (the holiday when the roster spans several,
    ★ for heavy days) — the ``notes`` (值班电话, 说明 …), the ★ legend, and 制表单位 with the
    制表日期 (``printed_on``: the clock's today, never the wall clock's).

    ``page_breaks`` are the indices of the rows that start a new page (desktop.ui.duty_print
    measures them on the printer): the table is cut there and goes on with its header on the
    next page, so that no day is split between two pages. Without them a long table still
    repeats its header on each page (QTextDocument repeats ``<thead>``), but a day's lines may
    be split.
    """
    fonts = fonts or PrintFonts()
    e = escape
    with_officers = any(r.officers for r in rows)
    with_holiday = len({r.holiday for r in rows}) > 1
    sizes = _sizes(len(rows), with_officers)
    sizes["tel"] = _tel_pt(rows, sizes["body"], with_officers)
    pad = int(sizes["pad"])
    title_pt = 22.0 if len(title) <= 20 else 18.0  # 二号; a long title (国庆节、中秋节) one line still
    gov = government_name(profile, org_name)
    columns = _widths(with_officers)

    def table_head(new_page: bool) -> str:
        brk = "page-break-before: always; " if new_page else ""
        return (f'<table width="100%" border="1" cellspacing="0" cellpadding="{pad}" '
                f'style="{brk}border-collapse: collapse; border-color: #000; border-style: solid;">'
                "<thead><tr>"
                + "".join(f'<th width="{w}" bgcolor="#f2f2f2" style="padding-top: {sizes["air"]}px; '
                          f'padding-bottom: {sizes["air"]}px;">{h}</th>' for h, w in columns)
                + "</tr></thead>")  # fmt: skip

    breaks = {i for i in page_breaks if 0 < i < len(rows)}
    parts = [
        f"<html><head><style>{_css(fonts, sizes, title_pt)}</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(title)}</span></p>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 12px; margin-bottom: 6px;"><tr>'
        f'<td class="sub">单位：{e(gov)}</td>'
        f'<td class="sub" align="right">{e(date_range_text(rows))}</td></tr></table>',
        table_head(False),
    ]
    air = int(sizes["air"])

    def cell(content: str) -> str:
        return (f'<td align="center" valign="middle" style="padding-top: {air}px; padding-bottom: {air}px;">'
                f'{content or "&nbsp;"}</td>')  # fmt: skip

    for i, r in enumerate(rows):
        if i in breaks:
            parts.append("</table>" + table_head(True))
        cells = [
            cell(e(r.date_text)),
            cell(e(r.weekday)),
            cell(f'<span class="name">{e(r.leader)}</span>' if r.leader else ""),
            cell("<br>".join(f'<span class="tel">{phone_html(p)}</span>' for p in split_phones(r.leader_phone))),
        ]
        if with_officers:
            cells.append(cell("<br>".join(
                f'<span class="name">{e(name)}</span>'
                + (f'&nbsp; <span class="tel">{phone_html(phone)}</span>' if phone else "")  # may break before the number
                for name, phone in r.officers
            )))  # fmt: skip
        remark = "<br>".join(e(x) for x in r.remarks(with_holiday=with_holiday))
        cells.append(cell(f'<span class="rmk">{remark}</span>' if remark else ""))
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        parts.append(f'<tr><td colspan="{len(columns)}" align="center">本次范围内没有需要值班的日期。</td></tr>')
    parts.append("</table>")
    foot = [e(n) for n in [*notes, *legend_lines(rows)] if n.strip()]
    for line in foot:
        parts.append(f'<p class="foot" style="margin-top: 6px; margin-bottom: 0;">{line}</p>')
    if any(r.provisional for r in rows):
        parts.append(f'<p class="warn" style="margin-top: 6px; margin-bottom: 0;">{PROVISIONAL_NOTE}</p>')
    stamp = f"制表日期：{cn_date(printed_on)}" if printed_on else ""
    parts.append(
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 14px;"><tr>'
        f'<td class="foot" align="right">制表单位：{e(org_name.strip() or profile.office)}'
        f"&nbsp;&nbsp;&nbsp;&nbsp;{stamp}</td></tr></table>"
    )
    parts.append("</body></html>")
    return official_html("".join(parts))  # official text: full-width punctuation (issue 14)

