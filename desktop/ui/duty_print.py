"""Printing and exporting the holiday duty roster (节假日领导带班及值班安排表).

* `preview_roster` — the print preview (A4 portrait) of the official roster; printing from it
  goes through `desktop.ui.printing.print_html`, the one layout every printout shares, so the
  paper is what the preview shows. A holiday block is kept on one page; a longer roster (a
  whole year) runs over several pages with the table's header repeated on each.
* `export_roster` — asks where to save and in which format (Excel .xlsx, the duty notice as
  Word .docx, or PDF), writes the file and says where it went.

The roster as plain data (`RosterDoc`), its loaders and its writer are Qt-free, in
desktop/export/roster_doc.py; this module shows it and lays its PDF out with the one Qt PDF
renderer (`desktop.ui.printing.render_pdf_job`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from desktop import ops
from desktop.core.errors import UserError
from desktop.export.absence_html import PrintFonts
from desktop.export.roster_doc import RosterDoc, load_roster_doc, write_roster
from desktop.ui import printing, screen_fit
from desktop.ui.session import Session, show_error

__all__ = [
    "EXPORT_FILTERS",
    "export_roster",
    "load_roster",
    "page_breaks",
    "preview_roster",
    "print_roster",
    "write_export",
]

#: The save dialog's formats: (filter, suffix).
EXPORT_FILTERS: tuple[tuple[str, str], ...] = (
    ("Excel 工作簿 (*.xlsx)", ".xlsx"),
    ("值班通知 Word 文档 (*.docx)", ".docx"),
    ("PDF 文件 (*.pdf)", ".pdf"),
)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_roster(session: Session, plan_id: int) -> RosterDoc:
    """Load the plan (and the other slot's assignments on its days); UserError (Chinese) when
    there is no such plan or no organisation yet."""
    profile = session.profile
    if profile is None:
        raise UserError("尚未设置单位和规则预设,请先完成初始设置。")
    org = session.org
    return load_roster_doc(session.store, profile, org.name if org else "", plan_id)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def page_breaks(printer: QPrinter, doc: RosterDoc, fonts: PrintFonts | None = None) -> list[int]:
    """The rows that start a new page when the roster runs over several pages of ``printer``,
    so that no day is split between two pages ([] for a roster printed on one page): measured by
    `printing.table_page_breaks` on the very layout `printing.print_html` uses."""
    if doc.one_page or not doc.rows:
        return []
    return printing.table_page_breaks(printer, doc.html(fonts), len(doc.rows))


def print_roster(printer: QPrinter, doc: RosterDoc, fonts: PrintFonts | None = None) -> int:
    """Print the roster on ``printer`` (the preview's, or a PDF printer); return the page count.
    A long roster is cut into pages between days (`page_breaks`), a holiday block kept on one."""
    fonts = fonts or printing.print_fonts()
    html = doc.html(fonts, page_breaks(printer, doc, fonts))
    return printing.print_html(printer, html, fit_one_page=doc.one_page)


def write_export(doc: RosterDoc, path: Path | str, fonts: PrintFonts | None = None) -> Path:
    """Write the roster as .xlsx, the notice as .docx, or the printout as .pdf (by the suffix;
    desktop.export.roster_doc.write_roster with the Qt PDF renderer)."""
    return write_roster(doc, path, functools.partial(printing.render_pdf_job, fonts=fonts))


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
    dialog = screen_fit.watch(QPrintPreviewDialog(printer, parent))
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
    if dialog.exec() == QDialog.DialogCode.Accepted:  # printed (the preview accepts after printing)
        mark_issued(session, plan_id, "print", parent)
    return dialog


def mark_issued(session: Session, plan_id: int, how: str, parent: QWidget | None = None) -> None:
    """Record that the roster left the office (printed or exported): 生成排班 then offers 只补空缺
    first. An operator who may not change plans (查看) prints without the mark."""
    if session.can("record"):
        session.run(parent, ops.duty.mark_issued, plan_id, how)


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
    mark_issued(session, plan_id, "export", parent)
    _tell(parent, f"已导出{_KIND.get(written.suffix.lower(), '')}:\n{written}")
    return written
