"""The confidentiality mark (内部资料 注意保存) on exports and printouts.

Where it goes, by format (the profile's ``[export]`` decides the default, the export dialog and
``dutydesk export --mark/--no-mark`` override it for one file):

- printed HTML (previews, PDF): the first line, top left, in 黑体 — where GB/T 9704 places 密级
  and 保密期限 on an official document;
- xlsx: the page header, left (every printed page of every sheet, as Excel/WPS print it);
- docx: the section header, left, on every page: the odd pages' header, the even pages' when the
  document sets them apart (the duty notice does, for its — N — page numbers), the first page's
  when it has its own;
- CSV and ICS: none — they are data for other programs, with no page to print on.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from desktop.core.profile import Profile

__all__ = ["MARKED_FORMATS", "MARK_FONTS", "mark_document", "mark_html", "mark_workbook", "resolve_mark"]

#: 黑体 first (GB/T 9704: 密级 in 3号黑体), then the CJK sans fonts found on office machines.
MARK_FONTS = ("SimHei", "黑体", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
#: The formats that carry the mark (they have pages); CSV and ICS are data for other programs.
MARKED_FORMATS = ("xlsx", "pdf", "docx")
MARK_PT = 14  # 四号: one step under the 3号 of the document itself, it must not look like a title
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def resolve_mark(profile: Profile | None, override: bool | None = None) -> str:
    """The text to print: the profile's default (``override`` None), its text (True) or nothing (False)."""
    if profile is None:
        return ""
    if override is None:
        return profile.export.mark
    return profile.export.mark_text if override else ""


def mark_html(html: str, mark: str) -> str:
    """``html`` with ``mark`` as its first line, top left (unchanged when ``mark`` is empty)."""
    if not mark:
        return html
    fonts = ", ".join(f"'{f}'" for f in MARK_FONTS)
    line = (f'<p class="confidential-mark" align="left" style="margin: 0 0 4px 0; font-family: {fonts}; '
            f'font-size: {MARK_PT}pt; font-weight: bold;">{escape(mark)}</p>')
    found = _BODY.search(html)
    if found is None:
        return line + html
    return html[:found.end()] + line + html[found.end():]


def mark_workbook(book: Any, mark: str) -> None:
    """Put ``mark`` in the left page header of every sheet of an openpyxl workbook."""
    if not mark:
        return
    for ws in book.worksheets:
        for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            header.left.text = mark
            header.left.size = 12
            header.left.font = "黑体,常规"


def mark_document(doc: Any, mark: str) -> None:
    """Put ``mark`` at the left of the header of every page of every section of a python-docx
    Document (call it after the document's even-page and first-page settings are made)."""
    if not mark:
        return
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    headers = []
    for section in doc.sections:
        headers.append(section.header)
        if doc.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
    for header in headers:
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        run = paragraph.add_run(mark)
        run.font.size = Pt(12)
        run.font.name = "黑体"
        run.font.bold = True
        fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "黑体")
