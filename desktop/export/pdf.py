"""A PDF to make, described without Qt; the renderer that lays it out is Qt's and is passed in.

PDFs are laid out by Qt (desktop.ui.printing.render_pdf_job: the same layout as the print preview),
which this package must not import. So whatever makes a PDF — the export (desktop.export.exporter),
the roster (desktop.export.roster_doc), the command line's meeting printouts — describes it as a
`PdfJob` and hands it to a `PdfRenderer` it was given: ``renderer(job, path) -> path``.

The job's HTML is built by the renderer's call of ``job.html(fonts, page_breaks)``: ``fonts`` are
the GB/T 9704 font stacks reduced to the fonts installed here (only Qt knows them), and
``page_breaks`` the rows of a long table that start a new page (only Qt's layout can measure them),
() unless ``table_rows`` asks for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.export.absence_html import PrintFonts

__all__ = ["PdfJob", "PdfRenderer"]


@dataclass(frozen=True)
class PdfJob:
    html: Callable[[PrintFonts, Sequence[int]], str]  # (fonts, page_breaks) -> the printout's HTML
    landscape: bool  # A4 landscape, else portrait
    doc_name: str = ""  # the PDF's title (default: the file's name)
    fit_one_page: bool = True  # content longer than a page is scaled down to fit one
    #: > 0: the HTML holds a table of that many rows (after its header) that may run over several
    #: pages; the renderer lays it out once to find the rows that start a page, so no row is split
    table_rows: int = 0


#: ``renderer(job, path) -> path``: lays the job out on A4 and writes the PDF to ``path``.
PdfRenderer = Callable[[PdfJob, Path], Path]
