"""Reading a duty roster the office already has (值班表 in Excel) into checked rows, with a per-row report.

The sheet has a header row and one row a day: a date, the leader on duty (带班领导) and the duty
officers (值班员); other columns (星期, 电话, 备注) are ignored. `guess_columns` maps the columns from
the usual header names; the user can change the mapping. `parse_roster` then checks every row
and reports each problem with its sheet row number, never guessing:

* dates in the forms offices write them: Excel dates (a date cell, or its serial number
  46296), 2026-10-01, 2026/10/1, 2026.10.1, 20261001, 2026年10月1日, and without a year 10月1日,
  10-01, 10/1 (the ``year`` chosen in the dialog); a weekday after the date (星期四, (周四)) is fine;
* names: the leader must be an active 政府领导 and the officers active 工作人员; an unknown name
  gets the close matches from the people list, a known one in the wrong role or deactivated
  says so; names may carry a title in brackets or a phone number, several officers are
  separated by 、 , ; / or line breaks (a space inside a two-character name, 陈 明, is padding);
* a date given twice, more officers than a day has, the same person twice on a day, and (from
  the caller) a person who is away or declared unavailable that day: errors;
* a date that is not a duty day under the profile's rule, or a day with no one written in: a
  warning — the row is left out (a plan has no place for it; there is nothing to keep);
* lines of text under the table (说明、制表单位: no date, no names) are not rows of the roster.

`find_header` finds the header row under a title and a 单位 line, as in our own roster export.

Pure: the caller passes the people, and callables for the duty days and for who is away.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop.core.cndate import cn_date, cn_weekday
from desktop.core.errors import UserError
from desktop.core.people import Person, clean_text
from desktop.core.roles import Role

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "HEADER_ALIASES",
    "ColumnMap",
    "ParsedRoster",
    "RosterRow",
    "RowIssue",
    "find_header",
    "guess_columns",
    "guess_year",
    "parse_date",
    "parse_roster",
    "split_names",
]

FIELDS = ("date", "leader", "officers")
FIELD_LABELS = {"date": "日期", "leader": "带班领导", "officers": "值班员"}
#: Header names by field, the most specific first: an exact match wins over a header that
#: only contains one of them (值班日期 contains 日期).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "值班日期", "带班日期", "值班时间", "时间", "date"),
    "leader": ("带班领导", "值班领导", "带班领导姓名", "领导带班", "带班", "领导", "leader"),
    "officers": ("值班员", "值班人员", "值班人", "值班干部", "工作人员", "值班", "officers", "officer"),
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug absorbed)
_SERIALS = (20000, 80000)  # 1954 to 2119: a number outside is not a date
_NAME_SEPARATORS = re.compile(r"[、,，;；/／\\|\n\r]+")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_PHONE = re.compile(r"\d[\d\- ]{4,}\d")
_WEEKDAY = re.compile(r"[(（]?\s*(星期|周|礼拜)[一二三四五六日天]\s*[)）]?")


@dataclass(frozen=True)
class ColumnMap:
    """The sheet column (0-based) of each field; None: not in the sheet."""

    date: int | None = None
    leader: int | None = None
    officers: int | None = None

    def of(self, field: str) -> int | None:
        return getattr(self, field)

    def check(self, header: Sequence[str]) -> None:
        """Raise UserError (Chinese) for a mapping that cannot be imported."""
        if self.date is None:
            raise UserError("请指定“日期”所在的列。")
        if self.leader is None and self.officers is None:
            raise UserError("请至少指定“带班领导”或“值班员”所在的列。")
        used = [(f, c) for f in FIELDS if (c := self.of(f)) is not None]
        for f, c in used:
            if not 0 <= c < len(header):
                raise UserError(f"“{FIELD_LABELS[f]}”指定的第 {c + 1} 列不存在。")
        seen: dict[int, str] = {}
        for f, c in used:
            if c in seen:
                raise UserError(f"“{FIELD_LABELS[seen[c]]}”和“{FIELD_LABELS[f]}”指定了同一列({_column_name(header, c)}),"
                                "请分别指定。")  # fmt: skip
            seen[c] = f


def _column_name(header: Sequence[str], column: int) -> str:
    name = header[column] if column < len(header) else ""
    return f"第 {column + 1} 列“{name}”" if name else f"第 {column + 1} 列"


@dataclass(frozen=True)
class RosterRow:
    """A row that can be imported: the day, its leader (or None) and its officers (may be empty)."""

    row: int  # the sheet row (header is row 1)
    date: dt.date
    leader: Person | None
    officers: tuple[Person, ...]


@dataclass(frozen=True)
class RowIssue:
    row: int
    message: str
    warning: bool = False  # a warning: the row is left out, the rest may be imported

    def __str__(self) -> str:
        return f"第 {self.row} 行:{self.message}"


@dataclass(frozen=True)
class ParsedRoster:
    """The checked sheet: the rows that can be imported, the errors, the warnings (rows left out)."""

    rows: tuple[RosterRow, ...]
    errors: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]
    year: int

    @property
    def ok(self) -> bool:
        return not self.errors

    def importable(self, skip: set[int] | frozenset[int] = frozenset()) -> tuple[RosterRow, ...]:
        return tuple(r for r in self.rows if r.row not in skip)

    @property
    def issues(self) -> tuple[RowIssue, ...]:
        """Errors and warnings by row."""
        return tuple(sorted(self.errors + self.warnings, key=lambda i: (i.row, i.warning)))


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return clean_text(text).replace(" ", "").lower()


def find_header(rows: Sequence[Sequence[object]], limit: int = 10) -> int:
    """The index of the header row: the first of the first ``limit`` rows in which a date column
    and a leader or officer column are found (a title and a 单位 line may come before it), else
    the first row that is not blank."""
    for i, raw in enumerate(rows[:limit]):
        found = guess_columns(raw)
        if found.date is not None and (found.leader is not None or found.officers is not None):
            return i
    return next((i for i, raw in enumerate(rows) if any(clean_text(c) for c in raw)), 0)


def guess_columns(header: Sequence[object]) -> ColumnMap:
    """The columns of 日期 / 带班领导 / 值班员 from the header names (None where none fits).

    For each field in turn, an exact header name first, then a header containing a name; a
    column is given to one field only.
    """
    names = [_norm(h) for h in header]
    taken: set[int] = set()
    found: dict[str, int | None] = {}
    for field in FIELDS:
        aliases = [a.lower() for a in HEADER_ALIASES[field]]
        hit = next((i for a in aliases for i, n in enumerate(names) if i not in taken and n == a), None)
        if hit is None:
            hit = next((i for a in aliases for i, n in enumerate(names) if i not in taken and n and a in n), None)
        if hit is not None:
            taken.add(hit)
        found[field] = hit
    return ColumnMap(**found)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_FULL = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_NO_YEAR = (
    re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{1,2})[-/.](\d{1,2})$"),
)
DATE_FORMS = "2026-10-01、2026年10月1日 或 10月1日"


def _bad_date(text: str) -> UserError:
    return UserError(f"日期“{text}”无法识别。请写成 {DATE_FORMS}(Excel 日期格式也可以)。")


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UserError(f"日期“{text}”不存在({year}年没有{month}月{day}日),请改正。") from None


def parse_date(value: object, year: int | None = None) -> tuple[dt.date, bool]:
    """The date of a cell and whether the cell gave its own year; raise UserError (Chinese).

    ``year`` completes a date written without one (10月1日); None refuses such a date.
    """
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, bool):
        raise _bad_date(str(value))
    if isinstance(value, int | float):
        if not math.isfinite(value) or not _SERIALS[0] <= value <= _SERIALS[1]:
            raise _bad_date(clean_text(value))
        return _EXCEL_EPOCH + dt.timedelta(days=int(value)), True  # a fraction is the time of day
    text = clean_text(value)
    if not text:
        raise UserError("没有填写日期。")
    bare = _WEEKDAY.sub("", text).strip()
    bare = bare.translate(str.maketrans("０１２３４５６７８９－／．", "0123456789-/."))
    if re.fullmatch(r"\d{5}(\.0)?", bare):  # a serial number that came through as text (CSV)
        return parse_date(int(float(bare)), year)
    for pattern in _FULL:
        m = pattern.match(bare)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return _make(y, mo, d, text), True
    for pattern in _NO_YEAR:
        m = pattern.match(bare)
        if m:
            if year is None:
                raise UserError(f"日期“{text}”没有年份:请在对话框中选择年份后再检查。")
            mo, d = (int(g) for g in m.groups())
            return _make(year, mo, d, text), False
    raise _bad_date(text)


def guess_year(rows: Sequence[Sequence[object]], column: int | None, default: int) -> int:
    """The year the dated rows mostly give (for dates written without one), else ``default``."""
    if column is None:
        return default
    years: Counter[int] = Counter()
    for raw in rows:
        if column < len(raw):
            try:
                day, own = parse_date(raw[column], None)
            except UserError:
                continue
            if own:
                years[day.year] += 1
    return years.most_common(1)[0][0] if years else default


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _clean_name(piece: str) -> str:
    piece = _BRACKETS.sub(" ", piece)
    piece = _PHONE.sub(" ", piece)
    return clean_text(piece)


def split_names(value: object, known: set[str] | frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names in a cell: split at 、 , ; / and line breaks; brackets (titles) and phone numbers
    dropped. Spaces inside a piece are padding (陈 明) unless the piece is two or more ``known``
    names side by side (杨帆 朱琳)."""
    out: list[str] = []
    for piece in _NAME_SEPARATORS.split(clean_text(value) if not isinstance(value, str) else value):
        piece = _clean_name(piece)
        if not piece:
            continue
        joined = piece.replace(" ", "")
        words = piece.split(" ")
        if joined not in known and len(words) > 1 and all(w in known for w in words):
            out.extend(words)
        else:
            out.append(joined)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------

_SLOT_TEXT = {"leader": ("带班领导", "带班"), "officers": ("值班员", "值班")}


def _wrong_person(name: str, field: str, by_name: dict[str, Person], eligible: list[str]) -> str | None:
    """Why ``name`` cannot take the slot, or None if he or she can."""
    label, verb = _SLOT_TEXT[field]
    person = by_name.get(name)
    if person is None:
        close = difflib.get_close_matches(name, eligible, n=3, cutoff=0.5)
        hint = f"您是不是指:{'、'.join(close)}?" if close else "请检查姓名,或先在“人员”中添加此人。"
        return f"{label}“{name}”不在人员名单中。{hint}"
    if not person.active:
        return f"{name}已停用,不能安排{verb}。请在“人员”中恢复,或改为其他人。"
    if field == "leader" and not person.role.is_leader:
        return f"{name}是{person.title or person.role.label},不是政府领导,不能带班。"
    if field == "officers" and person.role is not Role.staff:
        return f"{name}是{person.title or person.role.label},值班员应是工作人员。"
    return None


def parse_roster(
    rows: Sequence[Sequence[object]],
    columns: ColumnMap,
    people: Sequence[Person],
    *,
    year: int,
    first_row: int = 2,
    officers_per_day: int = 1,
    is_duty_day: Callable[[dt.date], bool] | None = None,
    duty_rule: str = "",
    unavailable: Callable[[Person, dt.date, str], str | None] | None = None,
) -> ParsedRoster:
    """Check every row of the sheet (``rows`` after the header; ``first_row`` is the sheet row
    of ``rows[0]``).

    ``is_duty_day(day)`` says whether the profile's rule needs duty that day (it may raise
    UserError, e.g. a year the calendar does not cover: reported on the row); ``duty_rule``
    names the rule in the warning. ``unavailable(person, day, slot)`` returns why the person
    cannot take that day (away, declared unavailable), or None. The mapping is checked against
    the header by the caller (`ColumnMap.check`).
    """
    by_name = {p.name: p for p in people}
    known = frozenset(by_name)
    leaders = [p.name for p in people if p.active and p.role.is_leader]
    staff = [p.name for p in people if p.active and p.role is Role.staff]
    good: list[RosterRow] = []
    errors: list[RowIssue] = []
    warnings: list[RowIssue] = []
    seen_dates: dict[dt.date, int] = {}

    def cell(raw: Sequence[object], field: str) -> object:
        c = columns.of(field)
        return raw[c] if c is not None and c < len(raw) else None

    for offset, raw in enumerate(rows):
        row_no = first_row + offset
        values = [cell(raw, f) for f in FIELDS]
        if all(clean_text(v) == "" for v in values):
            continue  # a blank line, or a row of another table under the roster
        problems: list[str] = []
        leader_names = split_names(values[1], known) if columns.leader is not None else ()
        officer_names = split_names(values[2], known) if columns.officers is not None else ()
        try:
            day, _own = parse_date(values[0], year)
        except UserError as exc:
            if leader_names or officer_names:
                errors.append(RowIssue(row_no, str(exc)))
            # else: a line of text under the table (说明、制表单位), not a day of the roster
            continue
        if day in seen_dates:
            errors.append(RowIssue(row_no, f"日期{cn_date(day)}与第 {seen_dates[day]} 行重复。每天只能有一行。"))
            continue
        seen_dates[day] = row_no
        if not leader_names and not officer_names:
            warnings.append(RowIssue(row_no, f"{cn_date(day)}没有填写带班领导或值班员,此行不导入。", warning=True))
            continue
        leader: Person | None = None
        if len(leader_names) > 1:
            problems.append(f"带班领导只能有一人,读到 {len(leader_names)} 人:{'、'.join(leader_names)}。")
        elif leader_names:
            why = _wrong_person(leader_names[0], "leader", by_name, leaders)
            if why:
                problems.append(why)
            else:
                leader = by_name[leader_names[0]]
        officers: list[Person] = []
        for name in officer_names:
            why = _wrong_person(name, "officers", by_name, staff)
            if why:
                problems.append(why)
            elif any(o.name == name for o in officers):
                problems.append(f"值班员“{name}”在同一天写了两次。")
            else:
                officers.append(by_name[name])
        if len(officer_names) > officers_per_day:
            problems.append(f"值班员有 {len(officer_names)} 人,按规则每天 {officers_per_day} 人。")
        if unavailable is not None:
            for person, slot in [(leader, "leader")] * (leader is not None) + [(o, "officers") for o in officers]:
                why = unavailable(person, day, slot)
                if why:
                    problems.append(why)
        if problems:
            errors.append(RowIssue(row_no, "".join(problems)))
            continue
        if is_duty_day is not None:
            try:
                needed = is_duty_day(day)
            except UserError as exc:
                errors.append(RowIssue(row_no, f"{cn_date(day)}:{exc}"))
                continue
            if not needed:
                rule = f"(规则:{duty_rule})" if duty_rule else ""
                warnings.append(RowIssue(row_no, f"{cn_date(day)}{cn_weekday(day)}不是值班日{rule},"
                                                 "此行不导入。", warning=True))  # fmt: skip
                continue
        good.append(RosterRow(row_no, day, leader, tuple(officers)))
    if not good and not errors and not warnings:
        errors.append(RowIssue(first_row, "表格中没有值班安排(日期下面没有内容)。"))
    return ParsedRoster(tuple(good), tuple(errors), tuple(warnings), year)
