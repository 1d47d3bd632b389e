"""What every printable xlsx of DutyDesk shares: Chinese fonts (with the charset Excel records), thin
black borders, wrap estimates for row heights, A4 print setup, the 制表 line at the foot, and
`keep_text`: stored text never becomes a formula."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.absence import cn_date
from desktop.export.formulas import FORMULA_START

TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
GB2312 = 134  # the font charset Excel records for Simplified Chinese fonts

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def keep_text(book: Workbook) -> Workbook:
    """Every text cell of ``book`` is written as the text it holds, never as a formula.

    openpyxl takes a string that starts with ``=`` for a formula (a leader named ``=1+1``, a
    destination ``=HYPERLINK(…)`` would be live formulas) and one that reads like an error code
    (``#N/A``) for an error: such cells are turned back to text (``data_type`` ``"s"``, an inline
    string). Text that starts with a formula character also gets Excel's own quote prefix (the
    ``quotePrefix`` of the cell's format, what Excel saves for a typed ``'=1+1``), so editing the
    cell in Excel or WPS keeps it text; the stored text itself is unchanged. DutyDesk writes no
    formulas, so the builders call this on the finished workbook (after the last cell is set).
    """
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, CellRichText):
                    text = str(value)
                elif isinstance(value, str):
                    text = value
                    cell.data_type = "s"
                else:
                    continue
                if text.startswith(FORMULA_START):
                    cell.quotePrefix = True
    return book


def cn_font(name: str, size: float, bold: bool = False, color: str | None = None) -> Font:
    """A cell font named by its Chinese name, with the GB2312 charset Excel records for it."""
    return Font(name=name, size=size, bold=bold, charset=GB2312, color=color)


def text_units(text: str, cjk_units: float = 2.1) -> float:
    """The width of one line of ``text`` in Excel character units (a Chinese character ``cjk_units``)."""
    return sum(1.0 if ord(ch) < 0x2E80 else cjk_units for ch in text)


def line_count(text: str, width_units: float, cjk_units: float = 2.1) -> int:
    """About how many lines ``text`` wraps to in a cell ``width_units`` wide (a Chinese character
    takes ``cjk_units``: about 2.1 at 11 pt, 2.2 at 12 pt)."""
    per_line = max(1.0, width_units - 1.0)
    lines = 0
    for part in text.split("\n"):
        units = sum(1.0 if ord(ch) < 0x2E80 else cjk_units for ch in part)
        lines += max(1, -int(-units // per_line))
    return lines


HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")


def header_row(ws: Worksheet, row_no: int, columns: list[tuple[str, float]] | tuple[tuple[str, float], ...], *,
               size: float, height: float) -> None:
    """The table's header row (黑体, grey, bordered) and the columns' widths."""
    for col, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(row_no, col, header)
        cell.font = cn_font(HEAD_FONT, size)
        cell.alignment = CENTRE
        cell.border = BORDER
        cell.fill = HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row_no].height = height


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str, last_col: int, last_row: int,
                margins: tuple[float, float] = (0.5, 0.6), one_page: bool = False) -> None:
    """A4 (landscape or portrait) fitted to the page width (``one_page``: to one page, tall as
    well as wide), the header rows on every page, centred, page numbers in the footer.
    ``margins`` (sides, top and bottom) in inches."""
    side, top = margins
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=side, right=side, top=top, bottom=top, header=0.3, footer=0.3)
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"


def stamp_text(org_name: str, printed_on: date | None) -> str:
    """制表:攀枝花市人民政府办公室    制表日期:2026年11月21日"""
    return f"制表:{org_name}" + (f"    制表日期:{cn_date(printed_on)}" if printed_on else "")


def stamp_row(ws: Worksheet, row_no: int, ncol: int, text: str, *, size: float = 10, height: float = 22) -> None:
    """The right-aligned 制表 line under the table: who made it and when."""
    ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncol)
    cell = ws.cell(row_no, 1, text)
    cell.font = cn_font(BODY_FONT, size)
    cell.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[row_no].height = height
