"""The holiday duty roster as an Excel workbook (节假日领导带班及值班安排表.xlsx), print-ready.

DESIGN.md "Exports": opens cleanly in Excel and WPS and prints as it is — a title row merged
across the table (小标宋), the unit and the dates, a header row (黑体) repeated on every printed
page, bordered cells in 仿宋_GB2312 (Excel and WPS substitute an installed font when one is
missing), widths that hold Chinese text, dates stored as real dates shown as 2026年10月1日,
phones as text (no 1.38E+10), A4 portrait fitted to the page width, page numbers in the footer.

The rows come from desktop.export.duty_roster.roster_rows; nothing here knows the store.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from desktop.core.absence import cn_date
from desktop.core.errors import UserError
from desktop.export.duty_roster import PROVISIONAL_NOTE, RosterRow, date_range_text, legend_lines
from desktop.export.marking import mark_workbook
from desktop.export.phones import phone_units, split_phones
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
)
from desktop.store.private import make_private

__all__ = ["DATE_FORMAT", "HEADER_ROW", "SHEET_TITLE", "columns_for", "save_atomically", "write_roster"]

#: Excel's number format for 2026年10月1日 (Excel and WPS both read it).
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
SHEET_TITLE = "值班安排表"
#: The title is row 1, the unit and dates row 2, the header row 3 (repeated on every page).
HEADER_ROW = 3


# (header, width in Excel character units: a Chinese character takes about 2.2 at 12 pt)
_LEADER_COLUMNS = [("日期", 18.0), ("星期", 9.0), ("带班领导", 12.0), ("联系电话", 15.0)]
_OFFICER_COLUMNS = [("值班员", 11.0), ("值班员电话", 15.0)]
_REMARK_COLUMN = ("备注", 16.0)


def columns_for(rows: Sequence[RosterRow]) -> list[tuple[str, float]]:
    """The sheet's columns: the officers' two only when officers are planned; a phone column as
    wide as its longest number (one number a line: a number is never wrapped)."""
    with_officers = any(r.officers for r in rows)
    leader = [p for r in rows for p in split_phones(r.leader_phone)]
    crew = [p for r in rows for _n, p in r.officers if p]
    widths = {"联系电话": phone_units(leader), "值班员电话": phone_units(crew)}
    columns = _LEADER_COLUMNS + (_OFFICER_COLUMNS if with_officers else []) + [_REMARK_COLUMN]
    return [(h, max(w, widths.get(h, 0.0))) for h, w in columns]


def write_roster(
    rows: Sequence[RosterRow],
    path: Path | str,
    *,
    title: str,
    org_name: str,
    notes: Iterable[str] = (),
    unit: str = "",
    printed_on: date | None = None,
    mark: str = "",
) -> Path:
    """Write the roster to ``path`` (.xlsx) and return the path.

    ``mark``: the confidentiality mark for the page header (desktop.export.marking), "" for none.

    ``unit`` is printed as 单位 above the table (the government), ``org_name`` as 制表单位 at the
    foot with ``printed_on``; ``notes`` (值班电话, 说明 …) go under the table, one row each. The
    file is written beside the target and moved into place, so a failed write leaves no half
    file; a target that cannot be replaced (open in Excel) raises UserError.
    """
    target = Path(path)
    columns = columns_for(rows)
    with_officers = len(columns) > len(_LEADER_COLUMNS) + 1
    ncol = len(columns)
    last = get_column_letter(ncol)
    total_width = sum(w for _h, w in columns)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = title
    wb.properties.creator = "值班报备台 DutyDesk"

    border, centre = BORDER, CENTRE
    body_font = cn_font(BODY_FONT, 12)

    # Row 1: the title, merged across the table.
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = cn_font(TITLE_FONT, 20)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 40

    # Row 2: 单位 on the left, the dates on the right.
    split = 3 if ncol > 4 else 2
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    ws.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=ncol)
    ws.cell(2, 1, f"单位：{unit}" if unit else "")
    ws.cell(2, split + 1, date_range_text(rows))
    ws.cell(2, 1).alignment = Alignment(horizontal="left", vertical="bottom")
    ws.cell(2, split + 1).alignment = Alignment(horizontal="right", vertical="bottom")
    for col in (1, split + 1):
        ws.cell(2, col).font = body_font
    ws.row_dimensions[2].height = 22

    # Row 3: the header.
    header_row(ws, HEADER_ROW, columns, size=12, height=26)

    # One row a day.
    with_holiday = len({r.holiday for r in rows}) > 1
    row_no = HEADER_ROW
    for r in rows:
        row_no += 1
        values: list[object] = [r.date, r.weekday, r.leader, "\n".join(split_phones(r.leader_phone))]
        if with_officers:
            values += ["\n".join(n for n, _p in r.officers), "\n".join(p for _n, p in r.officers)]
        values.append("\n".join(r.remarks(with_holiday=with_holiday)))
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row_no, col, value)
            cell.font = body_font
            cell.alignment = centre
            cell.border = border
            if col == 1:
                cell.number_format = DATE_FORMAT
            else:
                cell.number_format = "@"  # text: phones stay as typed
                lines = max(lines, line_count(str(value), columns[col - 1][1], 2.2))
        ws.row_dimensions[row_no].height = max(24.0, 17.0 * lines + 6)
    if not rows:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
        ws.cell(row_no, 1, "本次范围内没有需要值班的日期。").font = body_font
        for col in range(1, ncol + 1):
            ws.cell(row_no, col).border = border

    # Notes and the 制表 line under the table.
    note_font = cn_font(BODY_FONT, 11)
    foot = [n for n in [*notes, *legend_lines(rows)] if n.strip()]
    if any(r.provisional for r in rows):
        foot.append(PROVISIONAL_NOTE)
    for text in foot:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
        cell = ws.cell(row_no, 1, text)
        cell.font = note_font
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[row_no].height = 16.0 * line_count(text, total_width, 2.2) + 4
    row_no += 1
    stamp = f"制表单位：{org_name}" + (f"　　制表日期：{cn_date(printed_on)}" if printed_on else "")
    stamp_row(ws, row_no, ncol, stamp, size=11, height=26)

    # Print-ready: A4 portrait, fitted to the width, the header row on every page.
    print_setup(ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", last_col=ncol, last_row=row_no,
                margins=(0.6, 0.7))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"

    mark_workbook(wb, mark)
    keep_text(wb)
    return save_atomically(wb.save, target, "Excel 或 WPS")


def save_atomically(save: Callable[[str], object], target: Path, app: str) -> Path:
    """Call ``save(temporary path)`` beside the target, then move the file into place: an
    error leaves no half-written file, and the file is readable by the user only (made so before it
    gets its name, desktop.store.private: where leaders are is sensitive). Every export is written so
    (nested calls too: the outermost makes the file private last). ``app`` names what may hold the
    target open (Excel 或 WPS)."""
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(suffix=target.suffix, prefix=".dutydesk-", dir=folder)
    except OSError as exc:
        raise UserError(f"无法在 {folder} 中写入文件({exc.strerror or exc})。请换一个文件夹再试。") from exc
    os.close(fd)
    try:
        save(tmp)
        make_private(tmp)  # after save: a saver may have put a new file in its place (pdf_unicode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError(f"磁盘已满,无法写入 {target}。没有留下不完整的文件;请清理磁盘空间或换一个磁盘后重试。") from exc
        raise UserError(f"无法写入 {target}:文件可能正在{app}中打开。请关闭该文件后重试,或另存为其他文件名。") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
