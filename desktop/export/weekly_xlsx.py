"""The weekly whereabouts board as an Excel workbook (一周领导在岗情况表.xlsx), print-ready.

DESIGN.md "Exports": opens cleanly in Excel and WPS and prints as it is — the same board as the
printout (desktop.export.absence_html.weekly_board_html), read from the same `WeekBoard`:

* row 1 the title (小标宋) merged across the table, row 2 the week (第48周) and the provisional
  warning when the calendar is provisional;
* two header rows (黑体), repeated on every printed page: the date, then the weekday with the
  calendar's mark (休 国庆节 / 班 调休上班); 姓名 and 职务 merged over both;
* one row a leader in protocol order (排名) × Monday–Sunday: 在岗 on a workday, the absence and
  who acts (代:周晓燕, in blue; 代:待协调 in red); consecutive days away with the same text merged
  into one cell, as on paper; rest days shaded, away cells tinted;
* the acting gaps (注), the legend and 制表 under the table; A4 landscape fitted to one page, tall
  as well as wide (the board is one sheet of paper, as the printout: up to 20 leaders).

Fonts are named by their Chinese names (仿宋_GB2312, 黑体, 方正小标宋简体) with the GB2312 charset:
Excel and WPS substitute an installed font when one is missing. The small style helpers here
(`cn_font`, `BORDER`, `line_count`, `print_setup`) are shared with the absence list
(desktop.export.absences_xlsx). No store, no widgets: the board is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from desktop.core.board import BoardCell, BoardDay, BoardNote, WeekBoard
from desktop.core.citation import official_text
from desktop.core.cndate import cn_span
from desktop.core.profile import Profile
from desktop.export.absence_html import (
    AWAY_BG,
    BLUE,
    HOLIDAY_BG,
    MAKEUP_BG,
    RED,
    REST_BG,
    government_name,
)
from desktop.export.xlsx_style import (
    BODY_FONT,
    BORDER,
    CENTRE,
    GB2312,
    HEAD_FILL,
    HEAD_FONT,
    TITLE_FONT,
    cn_font,
    keep_text,
    line_count,
    print_setup,
    stamp_row,
    stamp_text,
)

__all__ = [
    "HEADER_ROWS",
    "LEGEND",
    "SHEET_TITLE",
    "board_title",
    "day_header",
    "weekly_workbook",
]


SHEET_TITLE = "一周领导在岗情况"
#: The title is row 1, the week row 2, the two header rows 3 and 4 (repeated on every page).
HEADER_ROWS = (3, 4)
LEGEND = "说明：“代”为外出期间代行职责的领导；休=法定节假日放假，班=调休上班。"


# (header, width in Excel character units: a Chinese character takes about 2.2 at 11 pt)
_NAME_W, _TITLE_W, _DAY_W = 10.0, 15.0, 14.5


def _inline(size: float, bold: bool = False, color: str | None = None) -> InlineFont:
    """A rich-text run's font: a run without a font name falls back to the workbook's default
    (Calibri), not the cell's, so every run names 仿宋_GB2312 itself."""
    return InlineFont(rFont=BODY_FONT, charset=GB2312, sz=size, b=bold or None, color=color)


def _rgb(colour: str | None) -> str | None:
    """#b3261e -> B3261E (the printout's colours as Excel's hex)."""
    return colour.lstrip("#").upper() if colour else None


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=_rgb(colour))


def board_title(board: WeekBoard, profile: Profile, org_name: str) -> str:
    """攀枝花市人民政府一周领导在岗情况表 (the printout's title)."""
    return f"{government_name(profile, org_name)}一周领导在岗情况表"


def day_header(day: BoardDay) -> tuple[str, str]:
    """The two header lines of a day: 10月1日 / 星期四 休 国庆节 (暂定 when provisional)."""
    second = day.weekday_label
    if day.caption:
        second += "\n" + day.caption + ("(暂定)" if day.provisional else "")
    return day.date_label, second


def _notes(notes: Sequence[BoardNote]) -> str:
    return "注：" + " ".join(f"{cn_span(n.first, n.last, year=False)}：{n.text}。" for n in notes) if notes else ""


_RUN_STYLE = {"here": (False, "6B6B6B"), "away": (True, None), "acting": (False, BLUE), "gap": (True, RED)}


def _cell_value(cell: BoardCell, span: int, size: float) -> CellRichText | str:
    """The cell's lines as rich text: the absence bold, who acts in blue, a gap in red."""
    entries = cell.entries
    if not entries:
        return ""
    sep = "  " if span > 1 else "\n"
    blocks: list[str | TextBlock] = []
    for i, (text, kind) in enumerate(entries):
        bold, colour = _RUN_STYLE[kind]
        blocks.append(TextBlock(_inline(size, bold, _rgb(colour)),
                                (sep if i else "") + text))  # fmt: skip
    return CellRichText(blocks)


def weekly_workbook(board: WeekBoard, profile: Profile, org_name: str, *, printed_on: date | None = None) -> Workbook:
    """The board as a workbook (one sheet), ready to save."""
    title = board_title(board, profile, org_name)
    ncol = 2 + len(board.days)
    last = get_column_letter(ncol)
    body = 11.0 if len(board.rows) <= 14 else 10.0

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = f"{title} {board.range_text}"
    wb.properties.creator = "值班报备台 DutyDesk"

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = cn_font(TITLE_FONT, 20)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    ws.merge_cells(f"A2:{last}2")
    provisional = "(含暂定日期,以国务院放假通知为准)" if board.provisional else ""
    ws["A2"] = board.range_text + provisional
    ws["A2"].font = cn_font(BODY_FONT, 12, color=_rgb(RED) if provisional else None)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 22

    top, second = HEADER_ROWS
    head_fill = HEAD_FILL
    for col, (label, width) in enumerate((("姓名", _NAME_W), ("职务", _TITLE_W)), start=1):
        ws.merge_cells(start_row=top, start_column=col, end_row=second, end_column=col)
        ws.cell(top, col, label)
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, day in enumerate(board.days):
        col = 3 + i
        first_line, second_line = day_header(day)
        ws.cell(top, col, first_line)
        ws.cell(second, col, second_line)
        ws.column_dimensions[get_column_letter(col)].width = _DAY_W
    for row in HEADER_ROWS:
        for col in range(1, ncol + 1):
            cell = ws.cell(row, col)
            cell.font = cn_font(HEAD_FONT, body)
            cell.alignment = CENTRE
            cell.border = BORDER
            cell.fill = head_fill
    for i, day in enumerate(board.days):
        colour = HOLIDAY_BG if day.mark == "休" else MAKEUP_BG if day.mark == "班" else REST_BG if day.rest else None
        for row in HEADER_ROWS:
            cell = ws.cell(row, 3 + i)
            if colour:
                cell.fill = _fill(colour)
            if day.rest:
                cell.font = cn_font(HEAD_FONT, body, color=_rgb(RED))
    ws.row_dimensions[top].height = 20
    ws.row_dimensions[second].height = 34 if any(d.caption for d in board.days) else 20

    row_no = second
    for board_row in board.rows:
        row_no += 1
        ws.cell(row_no, 1, board_row.person.name).font = cn_font(BODY_FONT, body, bold=True)
        ws.cell(row_no, 2, board_row.title).font = cn_font(BODY_FONT, body - 1)
        lines = 1
        for first, span, cell_data in board_row.runs():
            col = 3 + first
            if span > 1:
                ws.merge_cells(start_row=row_no, start_column=col, end_row=row_no, end_column=col + span - 1)
            ws.cell(row_no, col).value = _cell_value(cell_data, span, body)
            text = ("  " if span > 1 else "\n").join(cell_data.lines)
            lines = max(lines, line_count(text, _DAY_W * span))
        for col in range(1, ncol + 1):
            cell = ws.cell(row_no, col)
            cell.alignment = CENTRE
            cell.border = BORDER
            if col > 2:
                day = board_row.cells[col - 3]
                if not day.present:
                    cell.fill = _fill(AWAY_BG)
                elif day.day.rest:
                    cell.fill = _fill(REST_BG)
                cell.font = cn_font(BODY_FONT, body)
        ws.row_dimensions[row_no].height = max(30.0, 15.0 * lines + 8)
    if not board.rows:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
        ws.cell(row_no, 1, "尚未登记政府领导:请在“人员”页添加。").font = cn_font(BODY_FONT, body)
        for col in range(1, ncol + 1):
            ws.cell(row_no, col).border = BORDER

    total_width = _NAME_W + _TITLE_W + _DAY_W * len(board.days)
    foot = [(text, RED) for text in [_notes(board.notes)] if text] + [(LEGEND, None)]
    for text, colour in foot:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
        cell = ws.cell(row_no, 1, text)
        cell.font = cn_font(BODY_FONT, 10, color=_rgb(colour))
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[row_no].height = 15.0 * line_count(text, total_width) + 4
    row_no += 1
    stamp_row(ws, row_no, ncol, stamp_text(org_name or profile.office, printed_on), height=20)

    print_setup(ws, landscape=True, title_rows=f"{top}:{second}", last_col=ncol, last_row=row_no, one_page=True)
    ws.freeze_panes = f"C{second + 1}"  # a coordinate: the cell may be merged (no leaders yet)
    ws.sheet_properties.tabColor = "2F5589"
    _official(ws)
    return keep_text(wb)


def _official(ws) -> None:
    """The board is an official text: full-width punctuation in every cell's Chinese (issue 14),
    rich text block by block so each keeps its colour."""
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, CellRichText):
                cell.value = CellRichText([TextBlock(b.font, official_text(b.text)) if isinstance(b, TextBlock)
                                           else official_text(b) for b in value])
            elif isinstance(value, str) and not value.startswith("="):
                cell.value = official_text(value)
