"""The register of travel reports and leave for the files (外出报备及请假登记表), as PDF and Word.

The xlsx (desktop.export.absences_xlsx) is the working list, in date order, to sort and filter.
The register is what is filed for a period: the same records, grouped by person in protocol
order (排名: every list and printout is ordered by it), each person's records by date (drafts
left out: nothing was reported yet) — 序号,
姓名, 职务, 类型, 起止时间, 天数, 目的地, 事由, 离开辖区, 报告时间, 状态, 代行 — with the period and the
count above the table and 制表 under it.

* `register_html` — A4 landscape for Qt (desktop.ui.printing lays it out, ``register_pdf_job``):
  a long register runs over several pages, cut between records, the header row repeated, each
  page numbered 第 N 页 共 M 页, the 制表 line never alone on the last page;
* `write_register_docx` — the same table in Word (A4 landscape, GB/T 9704 fonts as the duty
  notice: title 小标宋, body 仿宋_GB2312, header 黑体; the header row repeated on each page, a row
  never split, 第 N 页 共 M 页 in the footer, the confidentiality mark in every page's header).

No store, no widgets: the entries (desktop.export.absences_xlsx.AbsenceEntry) are passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from html import escape
from pathlib import Path

from desktop.core.absence import AbsenceState, Half, cn_date, format_span, length_days
from desktop.core.citation import official_html
from desktop.core.profile import Profile
from desktop.export.absence_html import PrintFonts, government_name
from desktop.export.absences_xlsx import AbsenceEntry
from desktop.export.marking import mark_html
from desktop.export.pdf import PdfJob
from desktop.export.phones import phone_html

__all__ = ["REGISTER_COLUMNS", "register_html", "register_pdf_job", "register_rows", "register_title",
           "write_register_docx"]  # fmt: skip

#: (header, width %) of the landscape table.
REGISTER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 4.5), ("姓名", 6.5), ("职务", 9.5), ("类型", 6.5), ("起止时间", 14.0), ("天数", 4.5),
    ("目的地", 8.5), ("事由", 11.0), ("离开辖区", 6.5), ("报告时间", 9.5), ("状态", 8.5), ("代行", 10.5),
)  # fmt: skip


def register_title(profile: Profile, org_name: str) -> str:
    """演示市人民政府外出报备及请假登记表"""
    return f"{government_name(profile, org_name)}外出报备及请假登记表"


def _days(value: float) -> str:
    return f"{value:g}"


def _reported(entry: AbsenceEntry) -> str:
    t: datetime | None = entry.record.reported_at
    if t is None:
        return ""
    return f"{cn_date(t.date())} {t:%H:%M}" + ("(紧急)" if entry.record.urgent else "")


def register_rows(entries: Sequence[AbsenceEntry]) -> list[list[str]]:
    """The table's rows as text, by protocol order (排名), then date, then the record's number.
    Drafts are left out: nothing was reported yet (the xlsx working list shows them)."""
    filed = [x for x in entries if x.record.state is not AbsenceState.draft]
    ordered = sorted(filed, key=lambda x: (x.rank, x.record.start, x.record.start_half is Half.pm,
                                             x.record.id or 0))  # fmt: skip
    out = []
    for n, entry in enumerate(ordered, start=1):
        r = entry.record
        out.append([str(n), entry.name, entry.title, r.kind.label, entry.span_text,
                    _days(length_days(r, actual=True)), r.destination, r.reason, entry.leaves_text,
                    _reported(entry), entry.state, "、".join(entry.acting)])  # fmt: skip
    return out


def _period(start: date, end: date) -> str:
    return format_span(start, Half.full, end, Half.full)


def _stamp(org_name: str, printed_on: date | None) -> str:
    return f"制表:{org_name}" + (f"    制表日期:{cn_date(printed_on)}" if printed_on else "")


# --------------------------------------------------------------------------------------------
# HTML (A4 landscape) for the PDF
# --------------------------------------------------------------------------------------------


def register_html(entries: Sequence[AbsenceEntry], profile: Profile, org_name: str, start: date, end: date, *,
                  printed_on: date | None = None, fonts: PrintFonts | None = None,
                  page_breaks: Collection[int] = ()) -> str:  # fmt: skip
    """The register for Qt's QTextDocument; ``page_breaks`` are the rows that start a new page
    (desktop.ui.printing.table_page_breaks measures them), the header repeated there."""
    fonts = fonts or PrintFonts()
    e = escape
    weight = "bold" if fonts.title_bold else "normal"
    rows = register_rows(entries)
    breaks = {i for i in page_breaks if 0 < i < len(rows)}
    css = f"""
body {{ font-family: {fonts.css('body')}; font-size: 10pt; color: #000; }}
.title {{ font-family: {fonts.css('title')}; font-size: 20pt; font-weight: {weight}; }}
.sub {{ font-size: 11pt; }}
th {{ font-size: 10.5pt; font-weight: bold; }}
.foot {{ font-size: 10pt; }}
"""

    def head(new_page: bool) -> str:
        brk = "page-break-before: always; " if new_page else ""
        return (f'<table width="100%" border="1" cellspacing="0" cellpadding="3" '
                f'style="{brk}border-collapse: collapse; border-color: #000; border-style: solid;"><thead><tr>'
                + "".join(f'<th width="{w}%" bgcolor="#f2f2f2">{h}</th>' for h, w in REGISTER_COLUMNS)
                + "</tr></thead>")  # fmt: skip

    parts = [
        f"<html><head><style>{css}</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(register_title(profile, org_name))}</span></p>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 10px; margin-bottom: 6px;"><tr>'
        f'<td class="sub">时间范围:{e(_period(start, end))}</td>'
        f'<td class="sub" align="right">共 {len(rows)} 条</td></tr></table>',
        head(False),
    ]
    left = {"目的地", "事由", "代行"}
    for i, row in enumerate(rows):
        if i in breaks:
            parts.append("</table>" + head(True))
        cells = []
        for (header, _w), text in zip(REGISTER_COLUMNS, row, strict=True):
            align = "left" if header in left else "center"
            cells.append(f'<td align="{align}" valign="middle">{phone_html(text) if text else "&nbsp;"}</td>')
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        parts.append(f'<tr><td colspan="{len(REGISTER_COLUMNS)}" align="center">这段时间没有外出报备或请假记录。</td></tr>')
    parts.append("</table>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 10px;"><tr>'
                 f'<td class="foot" align="right">{e(_stamp(org_name or profile.office, printed_on))}</td>'
                 "</tr></table></body></html>")  # fmt: skip
    return official_html("".join(parts))  # official text: full-width punctuation (issue 14)


def register_pdf_job(entries: Sequence[AbsenceEntry], profile: Profile, org_name: str, start: date, end: date, *,
                     printed_on: date | None = None, mark: str = "") -> PdfJob:  # fmt: skip
    """The register's printout: A4 landscape, cut between records over as many pages as it takes."""
    rows = len(register_rows(entries))

    def html(fonts: PrintFonts, page_breaks: Sequence[int]) -> str:
        return mark_html(register_html(entries, profile, org_name, start, end, printed_on=printed_on, fonts=fonts,
                                       page_breaks=page_breaks), mark)  # fmt: skip

    return PdfJob(html, landscape=True, doc_name=f"{register_title(profile, org_name)} {_period(start, end)}",
                  fit_one_page=False, table_rows=rows if rows else 0)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Word (A4 landscape)
# --------------------------------------------------------------------------------------------


def write_register_docx(entries: Sequence[AbsenceEntry], path: Path | str, *, profile: Profile, org_name: str,
                        start: date, end: date, printed_on: date | None = None, mark: str = "") -> Path:  # fmt: skip
    """Write the register to ``path`` (.docx, written beside it and moved into place); return the path."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from desktop.export import duty_docx as d
    from desktop.export.duty_xlsx import save_atomically
    from desktop.export.marking import mark_document

    target = Path(path)
    rows = register_rows(entries)
    title = register_title(profile, org_name)
    doc = Document()
    d._defaults(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(15), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    doc.core_properties.title = title
    doc.core_properties.author = org_name or profile.office

    footer = section.footer.paragraphs[0]
    d._spacing(footer, None)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font = {"east_asia": d.BODY_FONT, "size": 10.5}
    d._run(footer, "第 ", **font)
    d._field(footer, "PAGE", "1", **font)
    d._run(footer, " 页 共 ", **font)
    d._field(footer, "NUMPAGES", "1", **font)
    d._run(footer, " 页", **font)

    p = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    d._spacing(p, 30.0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d._run(p, title, d.TITLE_FONT, 20.0)
    sub = doc.add_paragraph()
    d._spacing(sub, None)
    d._run(sub, f"时间范围:{_period(start, end)}    共 {len(rows)} 条", d.BODY_FONT, 12.0)

    width = 267.0  # mm between the margins
    table = doc.add_table(rows=1, cols=len(REGISTER_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    d._repeat_header(table.rows[0])
    widths = [width * w / 100 for _h, w in REGISTER_COLUMNS]
    for cell, (header, _w), mm in zip(table.rows[0].cells, REGISTER_COLUMNS, widths, strict=True):
        cell.width = Mm(mm)
        d._cell_text(cell, [header], east_asia=d.HEADING_FONT, size=10.5)
    for row in rows or [["这段时间没有外出报备或请假记录。", *[""] * (len(REGISTER_COLUMNS) - 1)]]:
        cells = table.add_row().cells
        for cell, (header, _w), mm, text in zip(cells, REGISTER_COLUMNS, widths, row, strict=True):
            cell.width = Mm(mm)
            left = header in ("目的地", "事由", "代行")
            d._cell_text(cell, [text], size=10.5, align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER)
    if not rows:
        first = table.rows[1].cells
        first[0].merge(first[-1])
    for column, mm in zip(table.columns, widths, strict=True):
        column.width = Mm(mm)
    for row in table.rows:
        d._no_split(row)
    for cell in table.rows[-1].cells:  # the 制表 line never alone on the last page
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True

    stamp = doc.add_paragraph()
    d._spacing(stamp, None)
    stamp.paragraph_format.space_before = Mm(3)
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d._run(stamp, _stamp(org_name or profile.office, printed_on), d.BODY_FONT, 11.0)
    stamp.paragraph_format.keep_together = True
    mark_document(doc, mark)
    return save_atomically(doc.save, target, "Word 或 WPS")
