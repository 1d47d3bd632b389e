"""A PDF to make, described without Qt; the renderer that lays it out is Qt's and is passed in.

PDFs are laid out by Qt (desktop.ui.printing.render_pdf_job: the same layout as the print preview),
which this package must not import. So whatever makes a PDF — the export (desktop.export.exporter),
the roster (desktop.export.roster_doc), the command line's meeting printouts — describes it as a
`PdfJob` and hands it to a `PdfRenderer` it was given: ``renderer(job, path) -> path``.

The job's HTML is built by the renderer's call of ``job.html(fonts, page_breaks)``: ``fonts`` are
the GB/T 9704 font stacks reduced to the fonts installed here (only Qt knows them), and
``page_breaks`` the rows of a long table that start a new page (only Qt's layout can measure them),
() unless ``table_rows`` asks for them.

Every page carries its number in the bottom margin (`page_number_text`), in one of two styles:

* ``"table"`` — 第 1 页 共 2 页, centred: the tables an office files or posts — the weekly board
  (一周领导在岗情况表), the duty roster, the absences register, the meeting sign-in sheet and leave
  summary, the month calendar;
* ``"official"`` — — 1 — (GB/T 9704-2012 §7.5: 4号 Arabic numerals between two 一字线, an odd
  page's on the right and an even page's on the left, one character in from the edge): the
  documents that go out as 公文 — the approval form (外出报备审批表 / 请假审批单), a notice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.export.absence_html import PrintFonts

__all__ = ["PAGE_NUMBER_STYLES", "PdfJob", "PdfRenderer", "page_number_text"]

#: How a printout numbers its pages (see the module's doc): a table's 第 N 页 共 M 页, an official
#: document's — N —, or "" for none.
PAGE_NUMBER_STYLES = ("table", "official", "")


def page_number_text(style: str, page: int, pages: int) -> str:
    """The number printed on ``page`` (1-based) of ``pages`` in ``style`` (`PAGE_NUMBER_STYLES`)."""
    if style == "table":
        return f"第 {page} 页 共 {pages} 页"
    if style == "official":
        return f"— {page} —"
    if style:
        raise ValueError(f"unknown page-number style {style!r}")
    return ""


@dataclass(frozen=True)
class PdfJob:
    html: Callable[[PrintFonts, Sequence[int]], str]  # (fonts, page_breaks) -> the printout's HTML
    landscape: bool  # A4 landscape, else portrait
    doc_name: str = ""  # the PDF's title (default: the file's name)
    fit_one_page: bool = True  # content longer than a page is scaled down to fit one
    #: > 0: the HTML holds a table of that many rows (after its header) that may run over several
    #: pages; the renderer lays it out once to find the rows that start a page, so no row is split
    table_rows: int = 0
    #: "table" (第 N 页 共 M 页: the weekly board, the duty roster, the meeting sign-in sheet / leave
    #: summary, the month calendar, a register) or "official" (— N —, GB/T 9704: the approval form
    #: 审批表/审批单, a notice); "" for none
    page_numbers: str = "table"


#: ``renderer(job, path) -> path``: lays the job out on A4 and writes the PDF to ``path``.
PdfRenderer = Callable[[PdfJob, Path], Path]
