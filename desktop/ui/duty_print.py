"""Printing and exporting the holiday duty roster (节假日领导带班及值班安排表).

* `preview_roster` — the print preview (A4 portrait) of the official roster; printing from it
  goes through `desktop.ui.printing.print_html`, the one layout every printout shares, so the
  paper is what the preview shows. A holiday block is kept on one page; a longer roster (a
  whole year) runs over several pages with the table's header repeated on each.
* `export_roster` — asks where to save and in which format (Excel .xlsx, the duty notice as
  Word .docx, or PDF), writes the file and says where it went.

The plan comes from the duty store, ``desktop.store.duty.load_plan(store, plan_id)``, imported
when it is needed. A stored plan holds one slot (带班领导 or 值班员); the other slot's assignments
on its days come from ``rows_between``, so the roster shows both (`stored_rows`). Everything after
loading works on plain data (`RosterDoc`, a list of `RosterRow`), which the tests and the
command line can build without a store: from stored assignments (`stored_rows`) or from the
solver's plans and the people's phones (`roster_doc`).
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSizeF, QStandardPaths
from PySide6.QtGui import QTextDocument, QTextTable
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core.duty import LEADER, OFFICER, DutyPlan
from desktop.core.errors import UserError
from desktop.core.profile import Profile
from desktop.export import duty_docx, duty_roster, duty_xlsx
from desktop.export.absence_html import PrintFonts, government_name
from desktop.export.duty_roster import RosterRow
from desktop.export.marking import mark_html
from desktop.ui import printing
from desktop.ui.session import Session, show_error

__all__ = [
    "EXPORT_FILTERS",
    "RosterDoc",
    "export_roster",
    "load_roster",
    "page_breaks",
    "preview_roster",
    "print_roster",
    "roster_doc",
    "stored_rows",
    "write_export",
]

#: The save dialog's formats: (filter, suffix).
EXPORT_FILTERS: tuple[tuple[str, str], ...] = (
    ("Excel 工作簿 (*.xlsx)", ".xlsx"),
    ("值班通知 Word 文档 (*.docx)", ".docx"),
    ("PDF 文件 (*.pdf)", ".pdf"),
)


@dataclass(frozen=True)
class RosterDoc:
    """Everything the roster's printout and exports need, loaded once."""

    rows: tuple[RosterRow, ...]
    label: str  # the plan scope's label: 2026年国庆节, 2026年
    profile: Profile
    org_name: str  # the office that makes the table / issues the notice
    printed_on: date  # the store clock's today
    notes: tuple[str, ...] = ()  # the user's lines (值班电话 …): on the roster and in the notice
    mark: str = ""  # the confidentiality mark (内部资料 注意保存) or "" (desktop.export.marking)

    @property
    def roster_notes(self) -> list[str]:
        """Under the roster: the user's lines, then the 说明 and the rule it follows."""
        return [*self.notes, *duty_roster.default_notes(self.profile)]

    @property
    def with_officers(self) -> bool:
        return any(r.officers for r in self.rows)

    @property
    def title(self) -> str:
        """2026年国庆节期间领导带班及值班安排表"""
        return duty_roster.roster_title(self.label, officers=self.with_officers)

    @property
    def year(self) -> int:
        year, _rest = duty_roster.split_label(self.label)
        if year is not None:
            return year
        return self.rows[0].date.year if self.rows else self.printed_on.year

    @property
    def holiday(self) -> str:
        """The label without its year, for the notice: 国庆节; "" for a year, 10月 for a month."""
        return duty_roster.split_label(self.label)[1]

    @property
    def unit(self) -> str:
        """Whose leaders are on duty: 攀枝花市人民政府."""
        return government_name(self.profile, self.org_name)

    @property
    def one_page(self) -> bool:
        return duty_roster.fits_one_page(self.rows)

    def html(self, fonts: PrintFonts | None = None, page_breaks: Sequence[int] = ()) -> str:
        return mark_html(duty_roster.roster_html(self.rows, self.profile, self.org_name or self.profile.office,
                                                 self.title, printed_on=self.printed_on, fonts=fonts,
                                                 notes=self.roster_notes, page_breaks=page_breaks), self.mark)

    @property
    def file_stem(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# From the store's plan to plain data
# --------------------------------------------------------------------------------------------


def roster_doc(
    leader: DutyPlan | None,
    officer: DutyPlan | None,
    label: str,
    phones: Mapping[int, str],
    profile: Profile,
    org_name: str,
    printed_on: date,
    notes: Iterable[str] = (),
) -> RosterDoc:
    """The roster of the plans (either may be None); ``notes`` are the user's extra lines."""
    main = leader or officer
    if main is None:
        raise UserError("这份值班安排是空的:请在“值班”页生成带班或值班安排后再打印。")
    rows = duty_roster.roster_rows(main, phones, officers=officer if leader is not None else None,
                                   shifts=profile.duty.shifts)  # fmt: skip
    label = label or duty_roster.scope_label_of(rows)
    return RosterDoc(tuple(rows), label, profile, org_name, printed_on, tuple(n for n in notes if n.strip()))


def stored_rows(duty_store: Any, store: Any, loaded: Any, shifts: Sequence[str] = ()) -> tuple[list[RosterRow], str]:
    """The roster rows and label of a stored plan (``desktop.store.duty.StoredPlan``: ``info`` and
    ``rows``; ``duty_store`` is that module, imported lazily). A stored plan holds one slot: the
    other slot's assignments on the plan's days (``rows_between``, from whichever plan holds
    them) fill the other columns, so a leader plan prints with its officers and an officer plan
    with its leaders."""
    info, own = loaded.info, list(loaded.rows)
    dates = sorted({r.date for r in own})
    other_slot = OFFICER if info.slot == LEADER else LEADER
    other: list[Any] = []
    if dates:
        wanted = set(dates)
        other = [r for r in duty_store.rows_between(store, dates[0], dates[-1], other_slot) if r.date in wanted]
    leaders, officers = (own, other) if info.slot == LEADER else (other, own)
    return duty_roster.rows_from_assignments(leaders, officers, days=dates, shifts=shifts), info.label


def load_roster(session: Session, plan_id: int) -> RosterDoc:
    """Load the plan (and the other slot's assignments on its days); UserError (Chinese) when
    there is no such plan or no organisation yet."""
    profile = session.profile
    if profile is None:
        raise UserError("尚未设置单位和规则预设,请先完成初始设置。")
    store = session.store
    duty_store = importlib.import_module("desktop.store.duty")  # lazily: the page opens without it
    rows, label = stored_rows(duty_store, store, duty_store.load_plan(store, plan_id), profile.duty.shifts)
    org = session.org
    return RosterDoc(tuple(rows), label or duty_roster.scope_label_of(rows), profile, org.name if org else "",
                     store.clock.today(), mark=profile.export.mark)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


#: Room kept free at the foot of each page when cutting the table (a fraction of the page
#: height): measuring and printing may round a row's height differently.
_PAGE_SLACK = 0.015


def _roster_table(qdoc: QTextDocument, rows: int) -> QTextTable | None:
    for frame in qdoc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and frame.rows() == rows:
            return frame
    return None


def page_breaks(printer: QPrinter, doc: RosterDoc, fonts: PrintFonts | None = None) -> list[int]:
    """The rows that start a new page when the roster runs over several pages of ``printer``,
    so that no day is split between two pages ([] for a roster printed on one page).

    The roster is laid out as `printing.print_html` lays it out (the same document set-up, on
    the printer), on one endless page; the rows' heights are read from the layout and cut
    greedily into pages of the printer's height, the header repeated on each.
    """
    if doc.one_page or not doc.rows:
        return []
    qdoc = printing._document(doc.html(fonts), printer, None)  # the very layout print_html uses
    rect = printer.pageLayout().paintRectPixels(printer.resolution())
    page_h = float(rect.height())
    qdoc.setPageSize(QSizeF(float(rect.width()), page_h * (len(doc.rows) + 2)))
    table = _roster_table(qdoc, len(doc.rows) + 1)
    if table is None:  # pragma: no cover - the roster always has its table
        return []
    layout = qdoc.documentLayout()

    def extent(row: int) -> tuple[float, float]:
        rects = [layout.blockBoundingRect(table.cellAt(row, c).firstCursorPosition().block())
                 for c in range(table.columns())]  # fmt: skip
        return min(r.top() for r in rects), max(r.bottom() for r in rects)

    tops = [extent(r)[0] for r in range(table.rows())]
    header = tops[1] - tops[0]
    heights = [b - a for a, b in itertools.pairwise(tops[1:])]
    # the last row: its text's height plus the room around the text (as in the header row)
    around = header - (extent(0)[1] - extent(0)[0])
    top, bottom = extent(table.rows() - 1)
    heights.append(bottom - top + around)
    limit = page_h * (1 - _PAGE_SLACK)
    breaks: list[int] = []
    y = tops[1]
    for i, h in enumerate(heights):
        if y + h > limit and i > (breaks[-1] if breaks else 0):
            breaks.append(i)
            y = qdoc.documentMargin() + header
        y += h
    return breaks


def print_roster(printer: QPrinter, doc: RosterDoc, fonts: PrintFonts | None = None) -> int:
    """Print the roster on ``printer`` (the preview's, or a PDF printer); return the page count.
    A long roster is cut into pages between days (`page_breaks`), a holiday block kept on one."""
    fonts = fonts or printing.print_fonts()
    html = doc.html(fonts, page_breaks(printer, doc, fonts))
    return printing.print_html(printer, html, fit_one_page=doc.one_page)


def write_export(doc: RosterDoc, path: Path | str, fonts: PrintFonts | None = None) -> Path:
    """Write the roster as .xlsx, the notice as .docx, or the printout as .pdf (by the suffix)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return duty_xlsx.write_roster(doc.rows, target, title=doc.title, org_name=doc.org_name or doc.profile.office,
                                      notes=doc.roster_notes, unit=doc.unit, printed_on=doc.printed_on,
                                      mark=doc.mark)  # fmt: skip
    if suffix == ".docx":
        return duty_docx.write_notice(doc.rows, target, profile=doc.profile, org_name=doc.org_name,
                                      holiday_label=doc.holiday, year=doc.year, notes=doc.notes,
                                      issued_on=doc.printed_on, mark=doc.mark)  # fmt: skip
    if suffix == ".pdf":
        fonts = fonts or printing.print_fonts()
        measure = printing.make_printer(False, doc.title)
        measure.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # as render_pdf's printer
        html = doc.html(fonts, page_breaks(measure, doc, fonts))
        return printing.render_pdf(html, target, False, doc_name=doc.title, fit_one_page=doc.one_page)
    raise UserError(f"无法导出为“{target.suffix or target.name}”:请选择 .xlsx、.docx 或 .pdf。")


# --------------------------------------------------------------------------------------------
# Entry points for the 值班 page and the menus
# --------------------------------------------------------------------------------------------


def _load(session: Session, plan_id: int, parent: QWidget | None) -> RosterDoc | None:
    try:
        return load_roster(session, plan_id)
    except UserError as exc:
        show_error(parent, str(exc))
        return None


def preview_roster(session: Session, plan_id: int, parent: QWidget | None = None) -> QPrintPreviewDialog | None:
    """Preview (and print) the plan's 领导带班及值班安排表, A4 portrait (modal)."""
    doc = _load(session, plan_id, parent)
    if doc is None:
        return None
    fonts = printing.print_fonts()
    settings = printing.settings_for(parent)
    printer = printing.make_printer(False, doc.title, kind="roster", settings=settings)
    dialog = QPrintPreviewDialog(printer, parent)
    printing.attach_page_setup(dialog, printer, "roster", settings)
    dialog.printer_ref = printer  # the dialog does not own its printer: keep it alive with the dialog
    dialog.setWindowTitle(f"打印预览 — {doc.title}")

    def paint(p: QPrinter) -> None:
        try:
            print_roster(p, doc, fonts)
        except UserError as exc:
            show_error(dialog, str(exc), "无法打印")

    dialog.paintRequested.connect(paint)
    dialog.resize(760, 900)
    dialog.exec()
    return dialog


def _documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def _ask_path(doc: RosterDoc, parent: QWidget | None) -> Path | None:
    filters = ";;".join(f for f, _s in EXPORT_FILTERS)
    start = str(_documents_folder() / f"{doc.file_stem}.xlsx")
    chosen, selected = QFileDialog.getSaveFileName(parent, "导出值班安排", start, filters, EXPORT_FILTERS[0][0])
    if not chosen:
        return None
    path = Path(chosen)
    suffixes = [s for _f, s in EXPORT_FILTERS]
    if path.suffix.lower() not in suffixes:
        wanted = next((s for f, s in EXPORT_FILTERS if f == selected), ".xlsx")
        path = path.with_name(path.name + wanted)
    return path


def _tell(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, "导出完成", message, QMessageBox.StandardButton.Ok, parent)
    box.exec()


_KIND = {".xlsx": "值班安排表(Excel)", ".docx": "值班通知(Word)", ".pdf": "值班安排表(PDF)"}


def export_roster(session: Session, plan_id: int, parent: QWidget | None = None, *,
                  path: Path | str | None = None) -> Path | None:  # fmt: skip
    """Export the plan's roster: ask for the file and its format (xlsx / docx / pdf) unless
    ``path`` is given, write it, and show where it went. Returns the path, None if cancelled or
    refused (the reason shown)."""
    doc = _load(session, plan_id, parent)
    if doc is None:
        return None
    target = Path(path) if path is not None else _ask_path(doc, parent)
    if target is None:
        return None
    try:
        written = write_export(doc, target)
    except UserError as exc:
        show_error(parent, str(exc), "无法导出")
        return None
    except OSError as exc:
        show_error(parent, f"无法写入 {target}({exc.strerror or exc})。请换一个文件夹或文件名再试。", "无法导出")
        return None
    _tell(parent, f"已导出{_KIND.get(written.suffix.lower(), '')}:\n{written}")
    return written
