"""The list of travel reports and leave as an Excel workbook (外出报备及请假登记表.xlsx), print-ready.

One row a record, in date order (then protocol order): 编号 姓名 职务 类型 开始 结束 目的地 事由
离开辖区 报告时间 状态 代行. Dates are real dates shown as 2026年11月26日 — a half day keeps its
date value and shows 上午/下午 through the cell's number format, so the column still sorts and
filters by date in Excel and WPS; the report time likewise (with 紧急 for an urgent trip). The
状态 is the one the list shows (外出中, 逾期未销假 derived from the day of the export).

A4 landscape fitted to the width, the header row repeated on every page, a filter on the
header, the range and the count above the table, 制表 under it. A date or time cell does not wrap
(Excel and LibreOffice would cut it off or show ####): its column is as wide as its longest
shown value (2026年11月21日 09:30(紧急)); text columns wrap and their rows are as tall as it takes.

`AbsenceEntry` is the plain row every absence export reads (this workbook, desktop.export.
csv_export and desktop.export.ics): the record with its person's name and title, who acts and
the state as displayed, all loaded by desktop.export.exporter. No store, no widgets here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from desktop.core.absence import Absence, Half, effective_end, format_span
from desktop.core.profile import Profile
from desktop.export.absence_html import government_name
from desktop.export.duty_xlsx import DATE_FORMAT
from desktop.export.xlsx_style import (
    BODY_FONT,
    BORDER,
    TITLE_FONT,
    cn_font,
    header_row,
    keep_text,
    line_count,
    print_setup,
    stamp_row,
    stamp_text,
    text_units,
)

__all__ = [
    "ABSENCE_COLUMNS",
    "HEADER_ROW",
    "SHEET_TITLE",
    "TIME_FORMAT",
    "AbsenceEntry",
    "absences_title",
    "absences_workbook",
]

SHEET_TITLE = "外出报备及请假"
HEADER_ROW = 3
TIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'

#: (header, width in Excel character units)
ABSENCE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("编号", 6.0), ("姓名", 9.0), ("职务", 15.0), ("类型", 9.5), ("开始", 17.0), ("结束", 17.0),
    ("目的地", 13.0), ("事由", 20.0), ("离开辖区", 7.5), ("报告时间", 18.0), ("状态", 10.5), ("代行", 18.0),
)  # fmt: skip


@dataclass(frozen=True)
class AbsenceEntry:
    """One record as every absence export prints it."""

    record: Absence
    name: str
    title: str  # 副市长, 市教育和体育局局长
    acting: tuple[str, ...]  # who acts meanwhile: 周晓燕(副市长), or per run of days; () nobody needs to
    state: str  # 已批准, 外出中, 逾期未销假, 已销假(原计划至11月27日) …
    rank: int = 1 << 20  # the person's protocol rank (排名): the register's order

    @property
    def end(self) -> tuple[date, Half]:
        """The end that counts (the actual return of a returned record)."""
        return effective_end(self.record)

    @property
    def span_text(self) -> str:
        end, end_half = self.end
        return format_span(self.record.start, self.record.start_half, end, end_half)

    @property
    def leaves_text(self) -> str:
        return "是" if self.record.leaves_jurisdiction else "否"

    @property
    def acting_text(self) -> str:
        return "、".join(self.acting)


def absences_title(profile: Profile, org_name: str) -> str:
    """演示市人民政府外出报备及请假登记表"""
    return f"{government_name(profile, org_name)}外出报备及请假登记表"


def _half_format(half: Half) -> str:
    return DATE_FORMAT + (f'"{half.label}"' if half is not Half.full else "")


_DATE_COLUMNS = ("开始", "结束", "报告时间")


def _shown(entry: AbsenceEntry) -> dict[str, str]:
    """The date columns' text as Excel shows it through their number formats."""
    r = entry.record
    end_day, end_half = entry.end
    out = {"开始": f"{r.start.year}年{r.start.month}月{r.start.day}日" + (r.start_half.label if r.start_half is not Half.full else ""),
           "结束": f"{end_day.year}年{end_day.month}月{end_day.day}日" + (end_half.label if end_half is not Half.full else "")}  # fmt: skip
    if r.reported_at:
        t = r.reported_at
        out["报告时间"] = f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}" + ("(紧急)" if r.urgent else "")
    return out


def _fitted_columns(entries: Sequence[AbsenceEntry]) -> list[tuple[str, float]]:
    """`ABSENCE_COLUMNS` with each date column as wide as its longest shown value (10.5 pt text)."""
    widest: dict[str, float] = {}
    for entry in entries:
        for header, text in _shown(entry).items():
            widest[header] = max(widest.get(header, 0.0), text_units(text, 2.0) + 2.0)
    return [(h, max(w, widest.get(h, 0.0))) for h, w in ABSENCE_COLUMNS]


def absences_workbook(entries: Sequence[AbsenceEntry], profile: Profile, org_name: str, start: date, end: date, *,
                      printed_on: date | None = None) -> Workbook:  # fmt: skip
    """The records touching [start, end] as a workbook (one sheet), ready to save."""
    title = absences_title(profile, org_name)
    ncol = len(ABSENCE_COLUMNS)
    last = get_column_letter(ncol)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = title
    wb.properties.creator = "值班报备台 DutyDesk"

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = cn_font(TITLE_FONT, 20)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    ws.merge_cells("A2:F2")
    ws.merge_cells(f"G2:{last}2")
    ws["A2"] = f"时间范围:{format_span(start, Half.full, end, Half.full)}"
    ws["G2"] = f"共 {len(entries)} 条"
    ws["A2"].alignment = Alignment(horizontal="left", vertical="bottom")
    ws["G2"].alignment = Alignment(horizontal="right", vertical="bottom")
    for ref in ("A2", "G2"):
        ws[ref].font = cn_font(BODY_FONT, 11)
    ws.row_dimensions[2].height = 22

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    one_line = Alignment(horizontal="center", vertical="center", wrap_text=False)
    columns = _fitted_columns(entries)
    header_row(ws, HEADER_ROW, columns, size=11, height=24)

    body = cn_font(BODY_FONT, 10.5)
    row_no = HEADER_ROW
    wrapped = {"职务", "目的地", "事由", "状态", "代行"}
    for entry in entries:
        row_no += 1
        r = entry.record
        end_day, end_half = entry.end
        reported = r.reported_at.replace(second=0, microsecond=0) if r.reported_at else ""
        values: list[object] = [r.id, entry.name, entry.title, r.kind.label, r.start, end_day, r.destination,
                                r.reason, entry.leaves_text, reported, entry.state, "\n".join(entry.acting)]  # fmt: skip
        lines = 1
        for col, value in enumerate(values, start=1):
            header, width = columns[col - 1]
            cell = ws.cell(row_no, col, value)
            cell.font = body
            cell.border = BORDER
            cell.alignment = (left if header in ("目的地", "事由", "代行")
                              else one_line if header in _DATE_COLUMNS else centre)  # fmt: skip
            if header in wrapped and isinstance(value, str):
                lines = max(lines, line_count(value, width))
        ws.cell(row_no, 5).number_format = _half_format(r.start_half)
        ws.cell(row_no, 6).number_format = _half_format(end_half)
        if r.reported_at:
            ws.cell(row_no, 10).number_format = TIME_FORMAT + ('"(紧急)"' if r.urgent else "")
        ws.row_dimensions[row_no].height = max(22.0, 14.5 * lines + 6)
    if entries:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{row_no}"
    else:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
        ws.cell(row_no, 1, "这段时间没有外出报备或请假记录。").font = body
        for col in range(1, ncol + 1):
            ws.cell(row_no, col).border = BORDER

    row_no += 1
    stamp_row(ws, row_no, ncol, stamp_text(org_name or profile.office, printed_on))

    print_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", last_col=ncol, last_row=row_no)
    ws.freeze_panes = f"C{HEADER_ROW + 1}"  # a coordinate: the cell may be merged (no records)
    return keep_text(wb)
