r"""CSV exports for Excel on Chinese Windows: UTF-8 with a BOM, CRLF line ends, Chinese headers.

Without the BOM, Excel on a Chinese Windows reads a CSV as GBK and shows mojibake; with it, the
file opens straight away (WPS and LibreOffice read it too, and Python's ``utf-8-sig``). Every
field is quoted only when it must be (a comma, a quote, a line break). Dates are ISO
(2026-10-01), which Excel turns into dates; half days say 上午/下午 after the date.

Stored text never runs as a formula. Excel, WPS and LibreOffice evaluate a field that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (a leader named ``=1+1``, a destination
``=HYPERLINK(…)``, a DDE payload ``=cmd|' /C calc'!A0``; ``-2+3`` would show as 1). Every field
goes through desktop.export.formulas.neutralise: a ``'`` before such a field, as OWASP ("CSV
Injection") describes, no other field touched; the spreadsheet reads it as text, and DutyDesk's
importers (desktop.export.tabular) drop that one ``'`` again. A phone written ``+86 138 0000
0000`` is such a field: it is written ``'+86 138 0000 0000``, so Excel keeps the plus and shows
text instead of ``#NAME?`` or a number in E-notation. ``0812-3331234`` and ``13800000000`` start
with a digit and stay as they are, and so do the ISO dates. `defusedcsv` was weighed and not
taken: it leaves a leading tab or CR alone, and in the fields it escapes it also rewrites every
``|`` as ``\|``, so the stored text would not come back by dropping the ``'``.

* `weekly_table` — the board: 姓名 职务 and one column a day (10月1日 星期四 休 国庆节);
* `duty_table` — the roster: one row a duty day, as the printed roster;
* `absences_table` — the records, with the columns of the absence workbook;
* `csv_bytes` — the bytes of a table, ready to be written, each field through `neutralise`.

No store, no widgets: the rows are passed in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from desktop.core.absence import Half
from desktop.core.board import WeekBoard
from desktop.export.absences_xlsx import ABSENCE_COLUMNS, AbsenceEntry
from desktop.export.duty_roster import RosterRow
from desktop.export.formulas import neutralise

__all__ = [
    "BOM",
    "DUTY_HEADER",
    "Table",
    "absences_table",
    "csv_bytes",
    "duty_table",
    "weekly_table",
]

BOM = "\ufeff".encode()
#: (header, rows): every cell a string.
Table = tuple[list[str], list[list[str]]]

DUTY_HEADER = ["日期", "星期", "假期", "带班领导", "带班领导电话", "值班员", "值班员电话", "备注"]


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The table as UTF-8 with a BOM and CRLF line ends (what Excel on Chinese Windows opens),
    every field through `neutralise`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return BOM + buffer.getvalue().encode("utf-8")


def weekly_table(board: WeekBoard) -> Table:
    """姓名, 职务, then Monday–Sunday (10月1日 星期四, with 休 国庆节 / 班 调休上班): each cell the
    board's lines (在岗; 出差 北京;代:周晓燕), a rest day at work left blank as on paper."""
    header = ["姓名", "职务"]
    for day in board.days:
        caption = f" {day.caption}" + ("(暂定)" if day.provisional else "") if day.caption else ""
        header.append(f"{day.date_label} {day.weekday_label}{caption}")
    rows = [[row.person.name, row.title, *("；".join(cell.lines) for cell in row.cells)] for row in board.rows]
    return header, rows


def duty_table(rows: Sequence[RosterRow]) -> Table:
    """One row a duty day: 日期 星期 假期 带班领导 带班领导电话 值班员 值班员电话 备注 (★国庆节,
    日期暂定). Several officers are joined with 、 in the order of their phones."""
    out = []
    for r in rows:
        out.append([
            r.date.isoformat(), r.weekday, r.holiday or "", r.leader, r.leader_phone,
            "、".join(name for name, _phone in r.officers), "、".join(phone for _name, phone in r.officers),
            "、".join(r.remarks(with_holiday=False)),
        ])  # fmt: skip
    return list(DUTY_HEADER), out


def _day(d, half: Half) -> str:
    return d.isoformat() + (f" {half.label}" if half is not Half.full else "")


def absences_table(entries: Sequence[AbsenceEntry]) -> Table:
    """The absence workbook's columns: 编号 姓名 职务 类型 开始 结束 目的地 事由 离开辖区 报告时间 状态 代行."""
    out = []
    for e in entries:
        r = e.record
        end, end_half = e.end
        reported = r.reported_at.strftime("%Y-%m-%d %H:%M") + (" 紧急" if r.urgent else "") if r.reported_at else ""
        out.append([
            str(r.id), e.name, e.title, r.kind.label, _day(r.start, r.start_half), _day(end, end_half),
            r.destination, r.reason, e.leaves_text, reported, e.state, e.acting_text,
        ])  # fmt: skip
    return [h for h, _w in ABSENCE_COLUMNS], out
