"""Departments' holiday duty rosters (部门节假日值班表), the pure part.

001 art.57 (《日照市人民政府工作规则》第五十七条): 市政府各部门应当实行24小时值班和领导带班制度. Before
each holiday the general office collects every department's and township's roster: for each day of
the holiday, the leader on duty (带班领导) and the duty officers (值班员), each with a phone. A
department's clerk (单位录入员) enters his own unit's; the office may import each unit's xlsx (the
template `TEMPLATE_HEADER`); the office then sees which units have not sent theirs and prints the
combined city-wide roster.

Here: the lines of a roster and their checks (every message says what to fix), the template's
columns, and reading a filled template's rows. No Qt, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.cndate import cn_date_weekday
from desktop.core.errors import UserError
from desktop.core.people import clean_text
from desktop.core.roster_import import DATE_FORMS, parse_date

LEADER = "leader"
OFFICER = "officer"
SLOT_LABELS = {LEADER: "带班领导", OFFICER: "值班员"}
MAX_OFFICERS = 8
MAX_NAME = 20
MAX_TITLE = 40
_PHONE = re.compile(r"^[0-9+][0-9\- ]{4,22}[0-9]$")
_SPLIT = re.compile(r"[、,，;；/／\n\r]+")
#: The template's columns (one row per day of the holiday); officers and their phones are listed
#: in one cell each, separated by 、 in the same order.
TEMPLATE_HEADER = ("日期", "带班领导", "职务", "带班领导电话", "值班员", "值班员电话")
UNIT_LABEL = "单位:"
NOTES_PREFIX = "填写说明"
HOLIDAY_LABEL = "假期:"
_HOLIDAY_TEXT = re.compile(r"^\s*(\d{4})\s*年\s*(.+?)\s*$")


@dataclass(frozen=True)
class DutyLine:
    """One person on duty one day: the leader (带班领导, with his or her post) or an officer (值班员)."""

    day: dt.date
    slot: str  # LEADER or OFFICER
    name: str
    phone: str
    title: str = ""
    seq: int = 0  # officers' order within the day


def check_phone(phone: str, who: str) -> str:
    """A phone one can dial: digits, spaces and dashes (a leading + for 国际区号), 6 to 24 characters."""
    phone = clean_text(phone).replace("－", "-").replace("—", "-")
    if not phone:
        raise UserError(f"{who}没有填写联系电话:值班期间必须能联系到值班人员,请补上手机或座机号码。")
    if not _PHONE.match(phone):
        raise UserError(f"{who}的电话“{phone}”不像电话号码:请只写数字(可带区号的 - 或空格),例如 13800000000 或 0812-3330000。")
    return phone


def _name(name: str, who: str) -> str:
    name = clean_text(name)
    if not name:
        raise UserError(f"请填写{who}的姓名。")
    if len(name) > MAX_NAME:
        raise UserError(f"{who}的姓名“{name[:MAX_NAME]}…”太长(最多 {MAX_NAME} 个字),请只写姓名,职务写在“职务”中。")
    return name


def day_lines(day: dt.date, leader: str, leader_phone: str, title: str,
              officers: Sequence[tuple[str, str]]) -> list[DutyLine]:
    """One day's lines, checked: a leader with a phone, one to `MAX_OFFICERS` officers with phones,
    nobody twice."""
    when = cn_date_weekday(day, year=False)
    lead = _name(leader, f"{when}的带班领导")
    title = clean_text(title)
    if len(title) > MAX_TITLE:
        raise UserError(f"{when}带班领导的职务太长(最多 {MAX_TITLE} 个字),请简写。")
    out = [DutyLine(day, LEADER, lead, check_phone(leader_phone, f"{when}的带班领导{lead}"), title)]
    if not officers:
        raise UserError(f"{when}没有值班员:24小时值班须有值班员,请至少填写一位值班员及其电话。")
    if len(officers) > MAX_OFFICERS:
        raise UserError(f"{when}的值班员有 {len(officers)} 位,最多 {MAX_OFFICERS} 位;请只写当天的值班员。")
    seen = {lead}
    for i, (name, phone) in enumerate(officers):
        who = _name(name, f"{when}的第 {i + 1} 位值班员")
        if who in seen:
            raise UserError(f"{when}的值班安排中“{who}”出现了两次,请删去重复的一位。")
        seen.add(who)
        out.append(DutyLine(day, OFFICER, who, check_phone(phone, f"{when}的值班员{who}"), seq=i))
    return out


def check_days(lines: Sequence[DutyLine], start: dt.date, end: dt.date, holiday: str) -> None:
    """Every line's day lies in the holiday [start, end]."""
    for line in lines:
        if not start <= line.day <= end:
            raise UserError(f"{line.day.isoformat()} 不在{holiday}假期内({start.isoformat()} 至 {end.isoformat()}):"
                            "请只填写假期中的日期。")


def holiday_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def missing_days(lines: Sequence[DutyLine], start: dt.date, end: dt.date) -> list[dt.date]:
    """The days of the holiday that have no leader on duty yet."""
    covered = {line.day for line in lines if line.slot == LEADER}
    return [d for d in holiday_days(start, end) if d not in covered]


def parse_officers(text: str) -> tuple[str, str]:
    """``张三:13800000000`` (or 张三 13800000000) as given to ``--officer``."""
    raw = clean_text(text).replace(":", ":")
    if ":" in raw:
        name, _, phone = raw.partition(":")
    else:
        name, _, phone = raw.rpartition(" ")
    if not name.strip() or not phone.strip():
        raise UserError(f"值班员“{text}”应写成“姓名:电话”,例如 --officer 张三:13800000000。")
    return name.strip(), phone.strip()


def _cells(value: object) -> list[str]:
    return [p.strip() for p in _SPLIT.split(clean_text(value)) if p.strip()]


@dataclass(frozen=True)
class TemplateHead:
    """What a filled template says above its table: the unit and the holiday (2026年国庆节)."""

    unit: str
    year: int | None
    holiday: str


def read_head(rows: Sequence[Sequence[object]]) -> TemplateHead:
    """The 单位: and 假期: cells of the template (any row above the header)."""
    unit, year, holiday = "", None, ""
    for row in rows[:8]:
        cells = [clean_text(c) for c in row]
        for i, cell in enumerate(cells):
            nxt = next((c for c in cells[i + 1:] if c), "")
            if cell == UNIT_LABEL or cell.rstrip(":") == "单位":
                unit = nxt
            elif cell == HOLIDAY_LABEL or cell.rstrip(":") == "假期":
                m = _HOLIDAY_TEXT.match(nxt)
                if m:
                    year, holiday = int(m.group(1)), m.group(2)
                else:
                    holiday = nxt
    return TemplateHead(unit, year, holiday)


def header_row(rows: Sequence[Sequence[object]]) -> int:
    """The index of the template's column header (the row starting with 日期 and naming 带班领导)."""
    for i, row in enumerate(rows[:12]):
        cells = [clean_text(c) for c in row]
        if cells and cells[0] == "日期" and "带班领导" in cells:
            return i
    raise UserError("没有找到表头行(日期、带班领导、职务、带班领导电话、值班员、值班员电话):"
                    "请使用 dutydesk dept-roster template 生成的模板填写,不要改动表头。")


def parse_template(rows: Sequence[Sequence[object]], year: int, file_name: str) -> list[DutyLine]:
    """The lines of a filled template: one row per day; blank rows skipped. Every problem is one
    refusal naming the sheet row and what to fix (nothing is imported from a file with a mistake)."""
    at = header_row(rows)
    header = [clean_text(c) for c in rows[at]]
    col = {name: header.index(name) for name in TEMPLATE_HEADER if name in header}
    missing = [name for name in TEMPLATE_HEADER if name not in col and name != "职务"]
    if missing:
        raise UserError(f"{file_name} 的表头缺少“{'”“'.join(missing)}”列:请使用 dutydesk dept-roster template 生成的模板。")

    def cell(row: Sequence[object], name: str) -> object:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    out: list[DutyLine] = []
    days: set[dt.date] = set()
    for n, row in enumerate(rows[at + 1:], start=at + 2):
        if not any(clean_text(c) for c in row):
            continue
        if clean_text(row[0] if row else "").startswith(NOTES_PREFIX):
            break  # the template's 填写说明 under the table
        try:
            value = cell(row, "日期")
            if not clean_text(value):
                raise UserError(f"没有日期(请写成 {DATE_FORMS})。")
            day, _had_year = parse_date(value, year)
            if day in days:
                raise UserError(f"{day.isoformat()} 出现了两次,每天只写一行。")
            days.add(day)
            if not clean_text(cell(row, "带班领导")) and not clean_text(cell(row, "值班员")):
                continue  # a day of the template not filled in: left out (the office sees it as not sent)
            names, phones = _cells(cell(row, "值班员")), _cells(cell(row, "值班员电话"))
            if len(names) != len(phones):
                raise UserError(f"值班员有 {len(names)} 位,电话有 {len(phones)} 个:请按同样的顺序为每位值班员写一个电话,用“、”隔开。")
            out += day_lines(day, clean_text(cell(row, "带班领导")), clean_text(cell(row, "带班领导电话")),
                             clean_text(cell(row, "职务")), list(zip(names, phones, strict=True)))
        except UserError as exc:
            raise UserError(f"{file_name} 第 {n} 行:{exc}没有导入任何内容。") from None
    if not out:
        raise UserError(f"{file_name} 中没有填写任何一天的值班安排:请在模板中每天填写带班领导、值班员及电话后再导入。")
    return out
