"""The combined city-wide roster of the departments' holiday duty (各部门节假日值班安排汇总表) and the
template a department fills in (001 art.57).

* `combined_job`: the A4 landscape printout (a PdfJob: Qt lays it out, 第 N 页 共 M 页 on every
  page, no unit's day split between pages) — every unit's days with the 带班领导, 值班员 and
  phones, then the units that have not sent theirs (or days missing);
* `write_combined_xlsx`: the same table as a print-ready xlsx (formula-safe text cells);
* `write_template`: the xlsx the office hands out, one row per day of the holiday, to be filled in
  and imported with ``dutydesk dept-roster import`` (desktop.core.dept_roster.parse_template).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from desktop.core.cndate import cn_date, cn_month_day, cn_span, cn_weekday
from desktop.core.dept_roster import (
    HOLIDAY_LABEL,
    LEADER,
    NOTES_PREFIX,
    TEMPLATE_HEADER,
    UNIT_LABEL,
    holiday_days,
)
from desktop.export.absence_html import PrintFonts
from desktop.export.pdf import PdfJob
from desktop.ops.dept_rosters import Combined


@dataclass(frozen=True)
class Line:
    """One row of the combined table: one unit's one day."""

    unit: str
    kind: str  # 部门 / 乡镇(街道)
    day: dt.date
    leader: str  # 张三(副局长)
    leader_phone: str
    officers: tuple[tuple[str, str], ...]  # (name, phone)


def lines_of(c: Combined) -> list[Line]:
    out: list[Line] = []
    for status in c.units:
        if status.roster is None:
            continue
        for day in c.days:
            found = status.roster.on(day)
            lead = next((x for x in found if x.slot == LEADER), None)
            if lead is None:
                continue
            out.append(Line(status.unit.name, status.unit.kind_label, day,
                            lead.name + (f"({lead.title})" if lead.title else ""), lead.phone,
                            tuple((x.name, x.phone) for x in found if x.slot != LEADER)))
    return out


def title_of(c: Combined, government: str) -> str:
    return f"{government}各部门{c.scope.label.removeprefix(f'{c.year}年')}期间值班安排汇总表"


PROVISIONAL_NOTE = "(日期按暂定日历:该年放假通知尚未公布,公布后请核对)"


def period_of(c: Combined) -> str:
    return f"{c.scope.label}:{cn_span(c.scope.start, c.scope.end)}" + (PROVISIONAL_NOTE if c.provisional else "")


def not_sent_text(c: Combined) -> list[str]:
    """未报送: 教育局、公安局; 部分未报: 民政局(缺 10月3日、10月4日)."""
    none = [u.unit.name for u in c.not_sent if u.roster is None]
    part = [f"{u.unit.name}(缺 {'、'.join(cn_month_day(d) for d in u.missing)})" for u in c.not_sent if u.roster is not None]
    out = []
    if none:
        out.append(f"未报送({len(none)} 个单位):" + "、".join(none))
    if part:
        out.append(f"部分未报({len(part)} 个单位):" + ";".join(part))
    if not out:
        out.append(f"全部 {len(c.units)} 个单位均已报送。")
    return out


_COLUMNS = (("单　位", "17%"), ("日　期", "12%"), ("星　期", "7%"), ("带班领导", "17%"), ("联系电话", "14%"),
            ("值班员及联系电话", "33%"))


def combined_html(c: Combined, government: str, printed_on: dt.date, fonts: PrintFonts | None = None,
                  page_breaks: Collection[int] = (), org_name: str = "") -> str:
    fonts = fonts or PrintFonts()
    e = escape
    lines = lines_of(c)
    weight = "bold" if fonts.title_bold else "normal"
    breaks = {i for i in page_breaks if 0 < i < len(lines)}

    def head(new_page: bool) -> str:
        brk = "page-break-before: always; " if new_page else ""
        return (f'<table width="100%" border="1" cellspacing="0" cellpadding="3" style="{brk}border-collapse: collapse;">'
                "<thead><tr>" + "".join(f'<th width="{w}" bgcolor="#f2f2f2">{h}</th>' for h, w in _COLUMNS)
                + "</tr></thead>")

    parts = [
        "<html><head><style>"
        f"body {{ font-family: {fonts.css('body')}; font-size: 11pt; color: #000; }}"
        f".title {{ font-family: {fonts.css('title')}; font-size: 20pt; font-weight: {weight}; }}"
        "th { font-size: 11pt; font-weight: bold; } .sub { font-size: 10.5pt; } .miss { font-size: 10.5pt; }"
        "</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(title_of(c, government))}</span></p>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 10px; margin-bottom: 6px;"><tr>'
        f'<td class="sub">汇总:{e(org_name or government)}</td>'
        f'<td class="sub" align="right">{e(period_of(c))}</td></tr></table>',
        head(False),
    ]
    previous = None
    for i, line in enumerate(lines):
        if i in breaks:
            parts.append("</table>" + head(True))
            previous = None
        officers = "<br>".join(f"{e(n)}　{e(p)}" for n, p in line.officers) or "&nbsp;"
        unit = e(line.unit) if line.unit != previous else "〃"
        previous = line.unit
        cells = [unit, e(cn_month_day(line.day)), e(cn_weekday(line.day)), e(line.leader), e(line.leader_phone), officers]
        parts.append("<tr>" + "".join(f'<td align="center" valign="middle">{x}</td>' for x in cells) + "</tr>")
    if not lines:
        parts.append(f'<tr><td colspan="{len(_COLUMNS)}" align="center">还没有单位报送值班表</td></tr>')
    parts.append("</table>")
    for text in not_sent_text(c):
        parts.append(f'<p class="miss" style="margin-top: 8px;">{e(text)}</p>')
    parts.append(f'<p class="sub" align="right" style="margin-top: 10px;">制表:{e(org_name or government)}'
                 f"　　制表日期:{e(cn_date(printed_on))}</p></body></html>")
    return "".join(parts)


def combined_job(c: Combined, government: str, printed_on: dt.date, org_name: str = "") -> PdfJob:
    """The combined roster as a PdfJob (A4 landscape, 第 N 页 共 M 页, a unit's day never split)."""
    rows = len(lines_of(c))

    def html(fonts: PrintFonts, page_breaks: Sequence[int]) -> str:
        return combined_html(c, government, printed_on, fonts, page_breaks, org_name)

    return PdfJob(html, landscape=True, doc_name=title_of(c, government), fit_one_page=False,
                  table_rows=rows, page_numbers="table")


def write_combined_xlsx(c: Combined, government: str, printed_on: dt.date, target: Path, org_name: str = "") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from desktop.export.duty_xlsx import save_atomically
    from desktop.export.xlsx_style import (
        BODY_FONT,
        BORDER,
        CENTRE,
        TITLE_FONT,
        cn_font,
        header_row,
        keep_text,
        line_count,
        print_setup,
        stamp_row,
        stamp_text,
    )

    wb = Workbook()
    ws = wb.active
    ws.title = "各部门值班表"
    columns = [("单位", 24.0), ("日期", 12.0), ("星期", 8.0), ("带班领导", 20.0), ("联系电话", 16.0), ("值班员", 16.0),
               ("值班员电话", 16.0)]
    ncol = len(columns)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1, title_of(c, government)).font = cn_font(TITLE_FONT, 18)
    ws.cell(1, 1).alignment = CENTRE
    ws.row_dimensions[1].height = 36
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(2, 1, period_of(c)).font = cn_font(BODY_FONT, 11)
    ws.cell(2, 1).alignment = Alignment(horizontal="right", vertical="center")
    header_row(ws, 3, columns, size=11, height=24)
    row = 4
    for line in lines_of(c):
        values = [line.unit, line.day.isoformat(), cn_weekday(line.day), line.leader, line.leader_phone,
                  "\n".join(n for n, _ in line.officers), "\n".join(p for _, p in line.officers)]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.font = cn_font(BODY_FONT, 11)
            cell.alignment = CENTRE
            cell.border = BORDER
        ws.row_dimensions[row].height = 18 * max(line_count(str(v), w) for v, (_, w) in zip(values, columns, strict=True)) + 6
        row += 1
    for text in not_sent_text(c):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        ws.cell(row, 1, text).font = cn_font(BODY_FONT, 11)
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[row].height = 18 * line_count(text, sum(w for _, w in columns)) + 6
        row += 1
    stamp_row(ws, row, ncol, stamp_text(org_name or government, printed_on))
    print_setup(ws, landscape=True, title_rows="3:3", last_col=ncol, last_row=row)
    keep_text(wb)
    return save_atomically(wb.save, target, "Excel 或 WPS")


def write_template(target: Path, year: int, holiday: str, start: dt.date, end: dt.date, unit: str = "") -> Path:
    """The xlsx a unit fills in: 单位 and 假期 above, one row per day of the holiday (dates filled)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from desktop.export.duty_xlsx import save_atomically
    from desktop.export.xlsx_style import (
        BODY_FONT,
        BORDER,
        CENTRE,
        TITLE_FONT,
        cn_font,
        header_row,
        keep_text,
    )

    wb = Workbook()
    ws = wb.active
    ws.title = "值班表"
    widths = (16.0, 12.0, 16.0, 16.0, 22.0, 28.0)
    ncol = len(TEMPLATE_HEADER)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1, f"{year}年{holiday}期间值班安排表").font = cn_font(TITLE_FONT, 16)
    ws.cell(1, 1).alignment = CENTRE
    ws.row_dimensions[1].height = 32
    for col, text in ((1, UNIT_LABEL), (2, unit), (4, HOLIDAY_LABEL), (5, f"{year}年{holiday}")):
        ws.cell(2, col, text).font = cn_font(BODY_FONT, 11, bold=col in (1, 4))
    header_row(ws, 3, list(zip(TEMPLATE_HEADER, widths, strict=True)), size=11, height=24)
    row = 4
    for day in holiday_days(start, end):
        ws.cell(row, 1, day.isoformat())
        for col in range(1, ncol + 1):
            ws.cell(row, col).font = cn_font(BODY_FONT, 11)
            ws.cell(row, col).border = BORDER
            ws.cell(row, col).alignment = CENTRE
            ws.cell(row, col).number_format = "@"  # phones stay text
        ws.row_dimensions[row].height = 22
        row += 1
    notes = (f"{NOTES_PREFIX}:每天一行;带班领导须写职务和电话;值班员可写多位,姓名和电话分别用“、”隔开,顺序一致。"
             "填好后交政府办公室导入(dutydesk dept-roster import)。")
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=ncol)
    ws.cell(row + 1, 1, notes).font = cn_font(BODY_FONT, 10)
    ws.cell(row + 1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row + 1].height = 40
    keep_text(wb)
    return save_atomically(wb.save, target, "Excel 或 WPS")
