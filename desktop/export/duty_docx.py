"""The duty notice as a Word document (关于2026年国庆节期间值班安排的通知.docx).

DESIGN.md "Exports": the notice the office sends out with the roster, laid out by the national
document conventions (GB/T 9704-2012) so that it needs no reformatting before it is issued:

* A4, margins 37 / 35 / 28 / 26 mm (top / bottom / left / right: the 156 × 225 mm text area),
  22 lines × 28 characters a page: the line grid (w:docGrid type "lines", pitch 28.95 pt: Word's
  文档网格 → 只指定行网格, 每页 22 行) with lines at a fixed 29 pt, and the body's characters set
  0.25 pt closer (w:spacing, 三号 16 pt → 15.75 pt: 28 of them fill the 156 mm line). Not the
  character grid (type "linesAndChars" with charSpace −848): Word compresses the characters to
  its pitch, but LibreOffice gives each character wider than the pitch two grid cells, 14 a line;
  the spacing makes the same 28 in Word, WPS and LibreOffice;
* the title in 小标宋 (方正小标宋简体) 二号 (22 pt), centred; the body in 仿宋_GB2312 三号 (16 pt);
  first-level headings (一、) in 黑体; digits and Latin letters in Times New Roman;
* 主送机关 on the line under the title (the addressees of a 市 / 县 / 区 government, by the
  profile's level), the body, the requirements (citing the profile's duty article when it is
  the government's own, e.g. 000 art.81 → 《攀枝花市人民政府工作规则》第八十一条), the roster as a
  table (日期 星期 带班领导 联系电话 值班员 备注, its header row repeated on each page; 备注 names
  each date's holiday, ★ for the heavy days, 日期暂定 for a day of a provisional calendar, as
  the PDF roster does), the ★ legend and the notes;
* phone numbers never break inside the number: a hyphen in one is Word's non-breaking hyphen
  (w:noBreakHyphen, read back as "-"), a space a no-break space;
* 发文机关署名 and 成文日期 (its first character two characters right of the name's), page
  numbers "— 1 —" in 宋体 四号, odd pages on the right and even pages on the left.

Chinese fonts are set with the ``w:eastAsia`` attribute on every run and in the document
defaults (Word and WPS read the East Asian font from there, not from the Latin ``w:ascii``); a
font that is not installed is substituted by Word/WPS as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from desktop.core.absence import cn_date
from desktop.core.citation import official_text
from desktop.core.profile import Level, Profile
from desktop.export.duty_roster import (
    RosterRow,
    date_range_text,
    duty_basis,
    government_short,
    is_holiday_name,
    legend_lines,
    notice_title,
    period_text,
)
from desktop.export.duty_xlsx import save_atomically
from desktop.export.marking import mark_document
from desktop.export.phones import fitting_pt, split_phones

__all__ = [
    "BODY_FONT",
    "HEADING_FONT",
    "LATIN_FONT",
    "PAGE_NUMBER_FONT",
    "TABLE_HEADERS",
    "TITLE_FONT",
    "addressees",
    "write_notice",
]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_PT = 22.0  # 二号
BODY_PT = 16.0  # 三号
TABLE_PT = 12.0  # 小四: a table may be set smaller than the body
PAGE_NUMBER_PT = 14.0  # 四号
LINE_PT = 29.0  # 225 mm / 22 lines
INDENT = Pt(2 * BODY_PT)  # 首行缩进二字

TABLE_HEADERS = ("日期", "星期", "带班领导", "联系电话", "值班员", "备注")
# Column widths (mm) across the 156 mm text area: a mobile number (11 digits) in 小四 Times New Roman
# fits its column with Word's cell margins (2 × 1.9 mm), and a name with it the 值班员 column; a
# longer number is set smaller (`fitting_pt`).
_WIDTHS_OFFICERS = (28.0, 12.0, 20.0, 28.0, 42.0, 26.0)
_WIDTHS_LEADERS = (38.0, 20.0, 30.0, 38.0, 30.0)
#: A Times New Roman digit's advance (em), and Word's default cell margin (1.9 mm a side, in pt).
TIMES_DIGIT_EM = 0.5
_CELL_MARGIN_PT = 5.4
#: 22 lines of 225 mm (the line grid's pitch, in twentieths of a point) and 28 characters of 156 mm.
GRID_LINES, GRID_CHARS = 22, 28
_TEXT_W_PT, _TEXT_H_PT = 156 / 25.4 * 72, 225 / 25.4 * 72
#: The body's character spacing (twentieths of a point): 28 三号 characters in the 156 mm line.
BODY_SPACING = -5
assert GRID_CHARS * (BODY_PT + BODY_SPACING / 20) <= _TEXT_W_PT < (GRID_CHARS + 1) * (BODY_PT + BODY_SPACING / 20)


def addressees(profile: Profile) -> str:
    """主送机关 of a notice from the government's office, by its level."""
    if profile.level is Level.county:
        return "各乡镇人民政府、街道办事处，县政府各部门："
    if profile.level is Level.district:
        return "各街道办事处、乡镇人民政府，区政府各部门："
    return "各县（市、区）人民政府，市政府各部门："


# --------------------------------------------------------------------------------------------
# Low-level: fonts, spacing, fields
# --------------------------------------------------------------------------------------------


#: What follows w:spacing in a run's properties, and w:snapToGrid in a paragraph's (ECMA-376 CT_RPr,
#: CT_PPr): a child out of order makes Word call the file damaged.
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                      "w:specVanish", "w:oMath")  # fmt: skip
_PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                   "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip


def _set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Latin and East Asian fonts on a run's or style's properties (w:rFonts), theme fonts removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")  # ambiguous characters (“”…) in the East Asian font


def _run(paragraph: Paragraph, text: str, east_asia: str = BODY_FONT, size: float = BODY_PT, bold: bool = False):
    run = paragraph.add_run(official_text(text))  # official text: full-width punctuation (issue 14)
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    _set_fonts(rpr, east_asia)
    if size == BODY_PT:  # 28 characters a line
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_SPACING))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)  # the schema's order: Word is strict
    return run


def _spacing(paragraph: Paragraph, line: float | None = LINE_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = Pt(line)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _para(doc, text: str = "", *, east_asia: str = BODY_FONT, size: float = BODY_PT,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, line: float | None = LINE_PT) -> Paragraph:  # fmt: skip
    p = doc.add_paragraph()
    _spacing(p, line)
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = INDENT
    if text:
        _run(p, text, east_asia, size)
    return p


def _defaults(doc) -> None:
    """Document defaults: Times New Roman + 仿宋_GB2312 三号, Chinese language, no spacing."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    for name in ("Header", "Footer"):
        _set_fonts(doc.styles[name].element.get_or_add_rPr(), PAGE_NUMBER_FONT)


def _field(paragraph: Paragraph, instruction: str, placeholder: str, **font) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, cached result, end."""
    def char(kind: str):
        run = _run(paragraph, "", **font)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._element.append(fld)

    char("begin")
    run = _run(paragraph, "", **font)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    char("separate")
    _run(paragraph, placeholder, **font)
    char("end")


def _page_numbers(doc, section) -> None:
    """— 1 — in 宋体 四号: odd pages right (空一字), even pages left (空一字)."""
    doc.settings.odd_and_even_pages_header_footer = True
    font = {"east_asia": PAGE_NUMBER_FONT, "size": PAGE_NUMBER_PT}
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        _spacing(p, None)
        p.alignment = align
        if align is WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        _run(p, "— ", **font)
        _field(p, "PAGE", "1", **font)
        _run(p, " —", **font)


def _doc_grid(section) -> None:
    """文档网格: 22 lines a page (GB/T 9704 §5.2.2); the 28 characters a line come from `BODY_SPACING`."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(_TEXT_H_PT / GRID_LINES * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)


def _phone_run(paragraph: Paragraph, text: str, east_asia: str, size: float) -> None:
    """A phone number that never breaks inside the number: each hyphen is Word's non-breaking
    hyphen, each space a no-break space."""
    text = text.replace(" ", "\u00a0")
    for i, part in enumerate(text.split("-")):
        if i:
            run = _run(paragraph, "", east_asia, size)
            run._element.append(OxmlElement("w:noBreakHyphen"))
        if part:
            _run(paragraph, part, east_asia, size)


def _off_grid(paragraph: Paragraph) -> None:
    """A paragraph not snapped to the document's line grid (不对齐网格): a table's 小四 lines stay
    single-spaced instead of taking a 29 pt grid line each."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = ppr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        ppr.insert_element_before(snap, *_PPR_AFTER_SNAP)  # the schema's order: Word is strict
    snap.set(qn("w:val"), "0")


def _cell_text(cell, lines: Sequence[str | tuple[str, str]], *, east_asia: str = BODY_FONT,
               phones: bool = False, phone_pt: float = TABLE_PT, size: float = TABLE_PT,
               align=WD_ALIGN_PARAGRAPH.CENTER) -> None:  # fmt: skip
    """A table cell's text, one paragraph a line, centred, single spacing. ``phones``: the lines are
    phone numbers, kept unbroken (`_phone_run`); a (name, phone) line is the name, a space where
    the line may break, and the phone."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    for i, line in enumerate(lines or [""]):
        p = first if i == 0 else cell.add_paragraph()
        _spacing(p, None)
        _off_grid(p)
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        if isinstance(line, tuple):
            name, phone = line
            _run(p, f"{name} " if phone else name, east_asia, size)
            if phone:
                _phone_run(p, phone, east_asia, phone_pt)
        elif line and phones:
            _phone_run(p, line, east_asia, phone_pt)
        elif line:
            _run(p, line, east_asia, size)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)


def _table(doc, rows: Sequence[RosterRow]) -> None:
    with_officers = any(r.officers for r in rows)
    headers = TABLE_HEADERS if with_officers else (*TABLE_HEADERS[:4], TABLE_HEADERS[-1])
    widths = _WIDTHS_OFFICERS if with_officers else _WIDTHS_LEADERS
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # a number longer than its column holds at 小四 is set smaller (Word would cut it)
    leader = [p for r in rows for p in split_phones(r.leader_phone)]
    crew = [p for r in rows for _n, p in r.officers if p]
    phone_pt = fitting_pt(leader, Mm(widths[3]).pt - 2 * _CELL_MARGIN_PT, TABLE_PT, TIMES_DIGIT_EM)
    if with_officers:
        phone_pt = min(phone_pt, fitting_pt(crew, Mm(widths[4]).pt - 2 * _CELL_MARGIN_PT, TABLE_PT, TIMES_DIGIT_EM))
    head = table.rows[0]
    _repeat_header(head)
    for cell, text, width in zip(head.cells, headers, widths, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, [text], east_asia=HEADING_FONT)
    for r in rows:
        cells = table.add_row().cells
        values: list[list] = [[r.date_text], [r.weekday], [r.leader], split_phones(r.leader_phone)]
        if with_officers:
            values.append(list(r.officers))
        values.append(r.remarks(with_holiday=True))
        for col, (cell, lines, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = Mm(width)
            _cell_text(cell, lines, phones=headers[col] == "联系电话", phone_pt=phone_pt)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # w:gridCol, which WPS and LibreOffice read
    for row in table.rows:
        _no_split(row)
        row.height = Mm(9)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _width_in_chars(text: str) -> float:
    """Width in body characters: a Chinese character 1, a digit or Latin letter ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


# --------------------------------------------------------------------------------------------
# The notice
# --------------------------------------------------------------------------------------------


def write_notice(
    rows: Sequence[RosterRow],
    path: Path | str,
    *,
    profile: Profile,
    org_name: str,
    holiday_label: str,
    year: int,
    notes: Iterable[str] = (),
    issued_on: date,
    mark: str = "",
) -> Path:
    """Write 关于{year}年{holiday_label}期间值班安排的通知 to ``path`` (.docx); return the path.

    ``holiday_label`` is the holiday's name (国庆节; "" for a whole year, 10月 for a month), ``org_name``
    the issuing office (it signs the notice; empty: the profile's office), ``notes`` extra
    lines under the table (值班电话 …), ``issued_on`` the 成文日期. Written beside the target
    and moved into place (UserError if the target is open in Word/WPS).
    """
    target = Path(path)
    signer = org_name.strip() or profile.office
    office = profile.office  # in the text: 市政府办公室 (the short form the rules use)
    gov = government_short(profile)
    holiday = holiday_label.strip()
    period = period_text(year, holiday)
    span = date_range_text(rows) if is_holiday_name(holiday) else ""
    with_officers = any(r.officers for r in rows)
    basis = duty_basis(profile)

    doc = Document()
    _defaults(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    _doc_grid(section)
    _page_numbers(doc, section)
    title = notice_title(year, holiday)
    doc.core_properties.title = title
    doc.core_properties.author = signer

    # Title (二号小标宋), a blank line, the addressees.
    p = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    _spacing(p, 36.0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, title, TITLE_FONT, TITLE_PT)
    _para(doc, indent=False)
    _para(doc, addressees(profile), indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)

    # The body.
    _para(doc, f"为做好{period}期间值班工作，确保节日期间各项工作正常运转，及时有效处置各类突发事件，"
               "现将值班安排及有关要求通知如下：")  # fmt: skip

    def item(number: str, heading: str, text: str) -> Paragraph:
        p = _para(doc)
        _run(p, f"{number}、{heading}", HEADING_FONT)
        _run(p, text)
        return p

    when = f"{span}期间" if span else "节假日期间"
    cite = f"按照{basis}规定，" if basis else ""
    item("一", "严格落实领导带班和24小时值班制度。",
         f"{cite}{when}，{gov}领导轮流在岗带班，负责处理紧急事务；{office}和各单位要实行24小时值班，"
         "值班人员要坚守岗位、认真履职，严禁空岗、脱岗。")  # fmt: skip
    item("二", "带班期间保持通信畅通。",
         "带班领导和值班人员要保持通信工具24小时畅通，确保随时联系得上、找得到人。带班领导因故不能带班的，"
         f"须提前告知{office}，由{office}协调调整并通知有关人员。")  # fmt: skip
    item("三", "遇重大突发事件及时报告。",
         f"如遇重特大突发事件和重要紧急情况，要按照有关规定第一时间向带班领导和{office}报告，"
         "迅速采取有效措施妥善处置，不得迟报、漏报、谎报、瞒报。")  # fmt: skip
    what = "领导带班及值班安排" if with_officers else "领导带班安排"
    item("四", "值班安排。", f"{period}期间{what}如下：")

    # The roster table.
    _table(doc, rows)
    extra = [n.strip() for n in notes if n.strip()] + legend_lines(rows)
    if any(r.provisional for r in rows):
        extra.append("部分日期按暂定日历安排，以国务院放假通知为准。")
    for line in extra:
        _para(doc, line)

    # Signature: a blank line, the office (右空二字), the date two characters right of its start.
    _para(doc, indent=False)
    _para(doc, indent=False)
    date_text = cn_date(issued_on)
    name_w, date_w = _width_in_chars(signer), _width_in_chars(date_text)
    name_right = 2.0 + max(0.0, date_w + 2.0 - name_w)  # a date longer than the name: more room
    date_right = name_right + name_w - 2.0 - date_w
    sign = _para(doc, signer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(BODY_PT * name_right)
    dated = _para(doc, date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    dated.paragraph_format.right_indent = Pt(BODY_PT * date_right)

    mark_document(doc, mark)  # 内部资料 注意保存 in the header (desktop.export.marking)
    return save_atomically(doc.save, target, "Word 或 WPS")
