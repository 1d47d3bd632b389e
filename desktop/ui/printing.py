"""Printing of travel reports and leave: the weekly board, the approval form, the notification text.

The HTML comes from desktop.export.absence_html / notify, loaded from the store by
desktop.export.absence_loaders (Qt-free, shared with the export); this module lays the HTML out on
A4 (QTextDocument on a QPrinter) and shows the preview.

`print_html` is the one place a printout is laid out: the preview's paintRequested and
`render_pdf` (tests, PDF export) both go through it, so the PDF is what the preview shows. The
document is laid out in the printer's own units (its layout's paint device is the printer), so
points print as points at any resolution; when ``fit_one_page`` is set and the content runs past
one page (very long destinations, many leaders), it is scaled down to fit one page instead of
spilling onto a second. `render_pdf(html, path, landscape)` can print any of our HTML
printouts, the calendar month (desktop.export.month_html.render_month) included.

`render_pdf_job(job, path)` is the one Qt PDF renderer that Qt-free code is handed
(desktop.export.pdf.PdfRenderer: the export, the roster, the command line's PDFs): it makes sure
there is a QApplication (the command line has none), supplies the fonts installed here and, for a
table that runs over several pages, the rows that start a page (`table_page_breaks`).

A PDF's text layer reads back as the text that was printed: Qt names a glyph in the PDF's
ToUnicode map by the lowest code point the font maps to it, and CJK fonts draw a radical and its
ideograph with one glyph (人 would extract as ⼈ U+2F08). `print_html` therefore hands a PDF it
wrote (an export, or the preview printed to a PDF file) to
desktop.export.pdf_unicode.remap_to_unicode with `radical_aliases`, read from the installed CJK
fonts' own cmaps: each radical that shares an ideograph's glyph reads as that ideograph.

Page setup is remembered (desktop.settings: one paper size, A4 or A3, and one set of margins for
every printout; an orientation per kind: weekly / approval / roster / month). A preview built
for a kind (`make_printer(kind=...)`, `preview_html(kind=...)`, `attach_page_setup`) starts from
it; its toolbar's 页面设置… opens `PageSetupDialog`, and whatever the user changes there or with
the toolbar's 纵向/横向 is saved at once. (Qt's own QPageSetupDialog refuses the PDF printer Qt
falls back to when no printer is installed, so the preview's page-setup button opens ours.) The
settings are the main window's (`settings_for(parent)`), so its own save on closing keeps them;
without a main window they are read from and written to the settings file. Exports (`render_pdf`
without a kind) stay on A4 with the standard margins: a file is the same on every machine.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QRawFont,
    QTextDocument,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.absence import AbsenceState
from desktop.core.errors import UserError
from desktop.core.profile import Profile
from desktop.export import absence_html
from desktop.export.absence_loaders import approval_form_for, notification_for, weekly_html_for
from desktop.export.duty_xlsx import save_atomically
from desktop.export.marking import mark_html
from desktop.export.pdf import PdfJob, page_number_text
from desktop.export.pdf_unicode import RADICALS, remap_to_unicode
from desktop.settings import DEFAULT_MARGINS_MM, PAGE_SIZES, PRINT_KINDS, Settings
from desktop.store import people as people_store
from desktop.ui import screen_fit
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error
from desktop.ui.widgets import date_edit, pydate, qdate

__all__ = [
    "MARGINS_MM",
    "NotificationDialog",
    "PageSetupDialog",
    "attach_page_setup",
    "edit_page_setup",
    "ensure_qt_app",
    "make_printer",
    "page_layout",
    "preview_approval_form",
    "preview_html",
    "preview_weekly",
    "print_fonts",
    "print_html",
    "radical_aliases",
    "remember_layout",
    "render_pdf",
    "render_pdf_job",
    "settings_for",
    "show_notification",
    "table_page_breaks",
]

#: Page margins (left, top, right, bottom) of the exports, the same as the calendar printout's
#: (and the default of the remembered page setup).
MARGINS_MM = DEFAULT_MARGINS_MM
_MAX_SHRINK = 3.0  # fit_one_page never scales below a third
#: Room kept free at the foot of each page when cutting a table (a fraction of the page height):
#: measuring and printing may round a row's height differently.
_PAGE_SLACK = 0.015
#: The page numbers' size (pt): a table's 五号, an official document's 4号 (GB/T 9704 §7.5).
_NUMBER_PT = {"table": 10.5, "official": 14.0}


# --------------------------------------------------------------------------------------------
# Layout and output
# --------------------------------------------------------------------------------------------


def print_fonts() -> absence_html.PrintFonts:
    """The GB/T 9704 font stacks reduced to the fonts installed here."""
    return absence_html.resolve_fonts(QFontDatabase.families())


_CJK_SYSTEMS = (QFontDatabase.WritingSystem.SimplifiedChinese, QFontDatabase.WritingSystem.TraditionalChinese,
                QFontDatabase.WritingSystem.Japanese, QFontDatabase.WritingSystem.Korean)  # fmt: skip
_RADICALS = "".join(map(chr, RADICALS))
_IDEOGRAPHS = "".join(map(chr, range(0x4E00, 0xA000)))  # CJK Unified Ideographs


@functools.cache
def radical_aliases() -> dict[int, int]:
    """Radical -> the unified ideograph an installed CJK font draws with the same glyph (U+2F08 ⼈ ->
    U+4EBA 人, U+2EA0 ⺠ -> U+6C11 民): what the PDF's ToUnicode map must say for that glyph. A radical
    that every font draws apart from the ideographs is not in it (its text is the radical itself).
    Read once a process from the fonts' cmaps (about 30 ms a font)."""
    aliases: dict[int, int] = {}
    for family in QFontDatabase.families():
        if not set(QFontDatabase.writingSystems(family)) & set(_CJK_SYSTEMS):
            continue
        raw = QRawFont.fromFont(QFont(family))
        if not raw.isValid():
            continue
        ideograph_of: dict[int, str] = {}
        for ch, glyph in zip(_IDEOGRAPHS, raw.glyphIndexesForString(_IDEOGRAPHS), strict=True):
            if glyph:
                ideograph_of.setdefault(glyph, ch)
        for ch, glyph in zip(_RADICALS, raw.glyphIndexesForString(_RADICALS), strict=True):
            if glyph in ideograph_of:
                aliases.setdefault(ord(ch), ord(ideograph_of[glyph]))
    return aliases


_PAGE_IDS = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}


def page_layout(settings: Settings, kind: str) -> QPageLayout:
    """The remembered page setup of a printout kind (`PRINT_KINDS`) as a Qt page layout."""
    orientation = QPageLayout.Orientation.Landscape if settings.landscape(kind) else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(_PAGE_IDS.get(settings.page_size, QPageSize.PageSizeId.A4)), orientation,
                       QMarginsF(*settings.margins_mm), QPageLayout.Unit.Millimeter)  # fmt: skip


def make_printer(landscape: bool = False, doc_name: str = "", *, kind: str | None = None,
                 settings: Settings | None = None) -> QPrinter:  # fmt: skip
    """A high-resolution printer. Without ``kind``: A4, portrait or landscape, with the standard
    margins (the exports). With ``kind`` (weekly / approval / roster / month): the remembered page
    setup of that printout (``settings``, by default the settings file), ``landscape`` unused."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if kind is not None:
        printer.setPageLayout(page_layout(settings if settings is not None else Settings.load(), kind))
    else:
        orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(*MARGINS_MM),
                                          QPageLayout.Unit.Millimeter))  # fmt: skip
    if doc_name:
        printer.setDocName(doc_name)
    return printer


def _document(html: str, printer: QPrinter, default_font: QFont | None) -> QTextDocument:
    doc = QTextDocument()
    if default_font is None:
        default_font = QFont()
        default_font.setFamilies(list(print_fonts().body))
        default_font.setPointSizeF(10.5)
    doc.setDefaultFont(default_font)
    doc.documentLayout().setPaintDevice(printer)
    doc.setHtml(html)
    return doc


def _number_font(style: str) -> QFont:
    font = QFont()
    font.setFamilies(list(print_fonts().body))
    font.setPointSizeF(_NUMBER_PT.get(style, 10.5))
    return font


def _page_box(printer: QPrinter, page_numbers: str) -> tuple[float, float, float]:
    """The content's width and height on a page of ``printer`` and the top of the page number's
    line (printer pixels, from the top of the content). The number sits centred in the bottom
    margin; a margin too small for it gives up the foot of the content area instead."""
    rect = printer.pageLayout().paintRectPixels(printer.resolution())
    width, height = float(rect.width()), float(rect.height())
    if not page_numbers:
        return width, height, height
    line = QFontMetricsF(_number_font(page_numbers), printer).height()
    bottom = float(printer.pageLayout().marginsPixels(printer.resolution()).bottom())
    if bottom >= line * 1.2:
        return width, height, height + (bottom - line) / 2
    return width, height - line * 1.2, height - line


def _draw_page_number(painter: QPainter, printer: QPrinter, style: str, page: int, pages: int, top: float) -> None:
    """Print ``page``'s number (1-based) in ``style`` at ``top`` (`_page_box`): a table's centred,
    an official document's on the right of an odd page and the left of an even one, one character
    in (GB/T 9704 §7.5)."""
    text = page_number_text(style, page, pages)
    if not text:
        return
    font = _number_font(style)
    metrics = QFontMetricsF(font, printer)
    width = float(printer.pageLayout().paintRectPixels(printer.resolution()).width())
    box = QRectF(0, top, width, metrics.height())
    align = Qt.AlignmentFlag.AlignHCenter
    if style == "official":
        inset = metrics.horizontalAdvance("一")
        box = box.adjusted(inset, 0, -inset, 0)
        align = Qt.AlignmentFlag.AlignRight if page % 2 else Qt.AlignmentFlag.AlignLeft
    painter.save()
    painter.resetTransform()
    painter.setClipping(False)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), text)
    painter.restore()


def print_html(printer: QPrinter, html: str, *, fit_one_page: bool = True, default_font: QFont | None = None,
               page_numbers: str = "table") -> int:  # fmt: skip
    """Lay ``html`` out on the printer's pages and print it; return the number of pages.

    With ``fit_one_page``, content longer than a page is scaled down (to at most 1/3) to fit one.
    Each page is numbered in the bottom margin in the style ``page_numbers``
    (desktop.export.pdf.PAGE_NUMBER_STYLES: "table" 第 N 页 共 M 页, "official" — N —, "" none).
    """
    doc = _document(html, printer, default_font)
    width, height, number_top = _page_box(printer, page_numbers)
    doc.setPageSize(QSizeF(width, height))
    k = 1.0
    if fit_one_page and doc.pageCount() > 1:
        while doc.pageCount() > 1 and k < _MAX_SHRINK:
            k = min(k * 1.04, _MAX_SHRINK)
            doc.setPageSize(QSizeF(width * k, height * k))
    pages = doc.pageCount()
    page_w, page_h = width * k, height * k
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("无法开始打印:打印机不可用或输出文件无法写入,请检查后重试。")
    try:
        painter.scale(1 / k, 1 / k)
        layout = doc.documentLayout()
        for i in range(pages):
            if i and not printer.newPage():
                raise UserError("打印中断:无法新建一页,请检查打印机后重试。")
            painter.save()
            painter.translate(0, -i * page_h)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, i * page_h, page_w, page_h)
            painter.setClipRect(context.clip)
            layout.draw(painter, context)
            painter.restore()
            _draw_page_number(painter, printer, page_numbers, i + 1, pages, number_top)
    finally:
        painter.end()
    if printer.outputFormat() is QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        remap_to_unicode(printer.outputFileName(), radical_aliases())  # the PDF's text as printed
    return pages


def render_pdf(html: str, path: Path | str, landscape: bool, *, doc_name: str = "", fit_one_page: bool = True,
               default_font: QFont | None = None, page_numbers: str = "table") -> Path:  # fmt: skip
    """Print ``html`` to a PDF file on A4 (the same layout as the preview); return the path.

    Written as every export is (desktop.export.duty_xlsx.save_atomically): beside the target first,
    readable by the user only, and a file that cannot be written leaves nothing half-written.

    Any of our printable HTML works, e.g. the calendar month: ``render_pdf(render_month(...), path,
    True, default_font=calendar_page.print_fonts(10))``.
    """
    target = Path(path)

    def write(tmp: str) -> None:
        printer = make_printer(landscape, doc_name or target.stem)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(tmp)
        print_html(printer, html, fit_one_page=fit_one_page, default_font=default_font, page_numbers=page_numbers)

    save_atomically(write, target, "PDF 阅读器")
    return target


_QT_APP: list = []  # the QApplication a PDF needs where there is none (the command line), kept for the process


def ensure_qt_app() -> None:
    """A QApplication for Qt's PDF layout when there is none (the command line); offscreen on a
    Linux machine without a display."""
    if QApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _QT_APP.append(QApplication(["dutydesk"]))


def _table_of(qdoc: QTextDocument, rows: int) -> QTextTable | None:
    for frame in qdoc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and frame.rows() == rows:
            return frame
    return None


def table_page_breaks(printer: QPrinter, html: str, rows: int, *, page_numbers: str = "table",
                      keep_tail: bool = True) -> list[int]:  # fmt: skip
    """The rows that start a new page when the table of ``rows`` rows (after its header) in
    ``html`` runs over several pages of ``printer``, so that no row is split between two pages.

    The HTML is laid out as `print_html` lays it out (the same document set-up, on the printer),
    on one endless page; the rows' heights are read from the layout and cut greedily into pages
    of the printer's height, the header repeated on each. With ``keep_tail``, what follows the
    table (the roster's 说明/依据/制表 lines) never starts a page of its own: when it would not fit
    under the last page's rows, the table's last row moves over to it.
    """
    qdoc = _document(html, printer, None)  # the very layout print_html uses
    page_w, page_h, _top = _page_box(printer, page_numbers)
    qdoc.setPageSize(QSizeF(page_w, page_h * (rows + 2)))
    table = _table_of(qdoc, rows + 1)
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
    if keep_tail:
        table_bottom = layout.frameBoundingRect(table).bottom()
        tail = layout.blockBoundingRect(qdoc.lastBlock()).bottom() + qdoc.documentMargin() - table_bottom
        last = len(heights) - 1
        top_of_page = qdoc.documentMargin() + header
        if y + tail > limit and last > (breaks[-1] if breaks else 0) and top_of_page + heights[last] + tail <= limit:
            breaks.append(last)
    return breaks


def render_pdf_job(job: PdfJob, path: Path | str, *, fonts: absence_html.PrintFonts | None = None) -> Path:
    """The Qt PDF renderer (desktop.export.pdf.PdfRenderer): lay ``job`` out on A4 as `render_pdf`
    does and write it to ``path``; return the path. ``fonts``: the print fonts (default: those
    installed here, `print_fonts`)."""
    ensure_qt_app()
    fonts = fonts or print_fonts()
    breaks: list[int] = []
    if job.table_rows:
        measure = make_printer(job.landscape, job.doc_name)
        measure.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # as render_pdf's printer
        breaks = table_page_breaks(measure, job.html(fonts, ()), job.table_rows, page_numbers=job.page_numbers)
    return render_pdf(job.html(fonts, breaks), path, job.landscape, doc_name=job.doc_name,
                      fit_one_page=job.fit_one_page, page_numbers=job.page_numbers)  # fmt: skip


def _print_or_warn(printer: QPrinter, html: str, parent: QWidget, page_numbers: str) -> None:
    try:
        print_html(printer, html, page_numbers=page_numbers)
    except UserError as exc:
        show_error(parent, str(exc), "无法打印")


def preview_html(html: str | Callable[[], str], *, landscape: bool, title: str, parent: QWidget | None = None,
                 kind: str | None = None, settings: Settings | None = None, page_numbers: str = "table",
                 before_exec: Callable[[QPrintPreviewDialog], None] | None = None) -> QPrintPreviewDialog:  # fmt: skip
    """Show the print preview of ``html`` (modal); printing from it uses `print_html`.

    With ``kind``, the preview starts from the remembered page setup of that printout (``settings``,
    by default the main window's: `settings_for`) and remembers the user's changes; ``landscape``
    is then unused. ``html`` may be a function, asked at every repaint (a preview whose content the
    user can change, e.g. the week of the weekly board); ``before_exec`` adds widgets to the dialog.
    """
    if kind is not None:
        settings = settings if settings is not None else settings_for(parent)
        landscape = settings.landscape(kind)
    printer = make_printer(landscape, title, kind=kind, settings=settings)
    dialog = screen_fit.watch(QPrintPreviewDialog(printer, parent))
    dialog.printer_ref = printer  # the dialog does not own its printer: keep it alive as long as the dialog
    dialog.setWindowTitle(f"打印预览 — {title}")
    if kind is not None and settings is not None:
        attach_page_setup(dialog, printer, kind, settings)
    dialog.paintRequested.connect(lambda p: _print_or_warn(p, html() if callable(html) else html, dialog, page_numbers))
    dialog.resize(1000 if landscape else 760, 760)
    if before_exec is not None:
        before_exec(dialog)
    dialog.exec()
    return dialog


# --------------------------------------------------------------------------------------------
# Page setup (remembered per printout kind)
# --------------------------------------------------------------------------------------------


def settings_for(parent: QWidget | None) -> Settings:
    """The settings the main window holds (and saves when it closes): found up ``parent``'s chain
    of parents (a page, or a dialog opened from one), else among the application's open
    top-level windows (a preview opened without a parent); without a main window (a test, a script), the
    settings file. Changing a copy read from the file while the main window holds its own would
    be undone when the window saves its copy on closing."""
    widget = parent
    while widget is not None:
        held = getattr(widget, "settings", None)
        if isinstance(held, Settings):
            return held
        widget = widget.parentWidget()
    for window in QApplication.topLevelWidgets():
        held = getattr(window, "settings", None)
        if isinstance(held, Settings) and window.isVisible():  # a closed window is gone
            return held
    return Settings.load()


def remember_layout(settings: Settings, kind: str, layout: QPageLayout) -> bool:
    """Remember ``layout`` as the page setup of ``kind`` and save the settings; True if it changed.
    A paper size other than A4/A3 is used for that printout but not remembered."""
    size = next((name for name, pid in _PAGE_IDS.items() if pid == layout.pageSize().id()), None)
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    changed = settings.set_page_setup(
        kind, page_size=size, landscape=layout.orientation() == QPageLayout.Orientation.Landscape,
        margins_mm=(margins.left(), margins.top(), margins.right(), margins.bottom()))
    if changed:
        with contextlib.suppress(OSError):  # settings are a convenience: never stop printing over them
            settings.save()
    return changed


class PageSetupDialog(FittedDialog):
    """页面设置: the paper (A4/A3), the orientation of each printout kind shown, the margins in mm."""

    def __init__(self, settings: Settings, kinds: tuple[str, ...] | list[str] = tuple(PRINT_KINDS),
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("页面设置")
        self.kinds = tuple(kinds)
        self.paper = QComboBox()
        for name, text in zip(PAGE_SIZES, ("A4(210×297 毫米)", "A3(297×420 毫米)"), strict=True):
            self.paper.addItem(text, name)
        self.paper.setCurrentIndex(max(self.paper.findData(settings.page_size), 0))
        self.orientation: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("纸张:", self.paper)
        for kind in self.kinds:
            combo = QComboBox()
            combo.addItem("纵向", False)
            combo.addItem("横向", True)
            combo.setCurrentIndex(1 if settings.landscape(kind) else 0)
            self.orientation[kind] = combo
            form.addRow(f"{PRINT_KINDS[kind][0]}:" if len(self.kinds) > 1 else "方向:", combo)
        self.margins: list[QDoubleSpinBox] = []
        grid = QGridLayout()
        for i, (label, value) in enumerate(zip(("左", "上", "右", "下"), settings.margins_mm, strict=True)):
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 60.0)
            spin.setDecimals(1)
            spin.setSingleStep(1.0)
            spin.setSuffix(" 毫米")
            spin.setValue(value)
            self.margins.append(spin)
            grid.addWidget(QLabel(f"{label}:"), i // 2, (i % 2) * 2)
            grid.addWidget(spin, i // 2, (i % 2) * 2 + 1)
        form.addRow("页边距:", grid)
        hint = QLabel("纸张和页边距用于所有打印件;方向按打印件分别记住。导出的 PDF 文件始终为 A4。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.defaults_button = buttons.addButton("恢复默认", QDialogButtonBox.ButtonRole.ResetRole)
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def restore_defaults(self) -> None:
        self.paper.setCurrentIndex(0)
        for kind, combo in self.orientation.items():
            combo.setCurrentIndex(1 if PRINT_KINDS[kind][1] == "landscape" else 0)
        for spin, value in zip(self.margins, DEFAULT_MARGINS_MM, strict=True):
            spin.setValue(value)

    def apply(self, settings: Settings) -> bool:
        """Write the choices into ``settings`` (not saved); True if anything changed."""
        margins = [s.value() for s in self.margins]
        changed = settings.set_page_setup(None, page_size=self.paper.currentData(), margins_mm=margins)
        for kind, combo in self.orientation.items():
            changed = settings.set_page_setup(kind, landscape=bool(combo.currentData())) or changed
        return changed


def edit_page_setup(settings: Settings, parent: QWidget | None = None,
                    kinds: tuple[str, ...] | list[str] = tuple(PRINT_KINDS)) -> bool:  # fmt: skip
    """The 页面设置… of the 打印 menu: show `PageSetupDialog`, save what changed; True if it did."""
    dialog = PageSetupDialog(settings, kinds, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.apply(settings):
        return False
    with contextlib.suppress(OSError):
        settings.save()
    return True


def _preview_actions(dialog: QPrintPreviewDialog) -> list:
    bar = dialog.findChild(QToolBar)
    return [a for a in bar.actions() if not a.isSeparator()] if bar is not None else []


def attach_page_setup(dialog: QPrintPreviewDialog, printer: QPrinter, kind: str, settings: Settings) -> None:
    """Let the preview remember its page setup: the toolbar's page-setup button opens
    `PageSetupDialog` for ``kind`` (applied to the preview at once), and any change of the
    printer's layout (that dialog, 纵向/横向) is saved as the kind's page setup."""
    preview = dialog.findChild(QPrintPreviewWidget)
    actions = _preview_actions(dialog)
    # Qt's toolbar ends with 页面设置 and 打印; the orientation pair are its only checkable
    # actions without an object name (the fit and view-mode actions have one).
    orientation = [a for a in actions if a.isCheckable() and not a.objectName()]

    def open_setup() -> None:
        setup = PageSetupDialog(settings, (kind,), dialog)
        dialog.page_setup_dialog = setup  # for tests and screenshots
        if setup.exec() != QDialog.DialogCode.Accepted:
            return
        if setup.apply(settings):
            with contextlib.suppress(OSError):
                settings.save()
        printer.setPageLayout(page_layout(settings, kind))
        if len(orientation) == 2:
            orientation[1 if settings.landscape(kind) else 0].setChecked(True)
        if preview is not None:
            if settings.landscape(kind):
                preview.setLandscapeOrientation()
            else:
                preview.setPortraitOrientation()
            preview.updatePreview()

    if len(actions) >= 2:
        setup_action = actions[-2]
        setup_action.triggered.disconnect()  # Qt's QPageSetupDialog: refused on the PDF printer
        setup_action.setText("页面设置…")
        setup_action.setToolTip("纸张、方向和页边距(会记住,下次打印沿用)")
        setup_action.triggered.connect(open_setup)
        dialog.page_setup_action = setup_action
    dialog.paintRequested.connect(lambda p: p is printer and remember_layout(settings, kind, p.pageLayout()))
    dialog.finished.connect(lambda _r: remember_layout(settings, kind, printer.pageLayout()))


# --------------------------------------------------------------------------------------------
# Entry points for the menus and pages
# --------------------------------------------------------------------------------------------


def _ready(session: Session, parent: QWidget | None) -> tuple[Profile, str] | None:
    profile = session.profile
    if profile is None:
        show_error(parent, "尚未设置单位和规则预设,请先完成初始设置。")
        return None
    org = session.org
    return profile, org.name if org else ""


def default_week_day(today: date) -> date:
    """The week the 一周领导在岗情况表 prints by default: this week until Wednesday, next week from
    Thursday on (secretaries post next week's board on Thursday or Friday)."""
    return today + timedelta(days=7) if today.weekday() >= 3 else today


class WeekPicker(QWidget):
    """上一周 / the week (any day of it, with a calendar) / 下一周, with the week's range beside it."""

    def __init__(self, day: date, today: date, on_change: Callable[[date], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self.on_change = on_change
        self.date = date_edit(day)
        self.date.setToolTip("选择要打印的那一周中的任意一天(可直接输入,如“12-8”)")
        self.prev = QToolButton()
        self.prev.setText("◀ 上一周")
        self.next = QToolButton()
        self.next.setText("下一周 ▶")
        self.this = QToolButton()
        self.this.setText("本周")
        self.range = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(QLabel("打印哪一周:"))
        for w in (self.prev, self.date, self.next, self.this, self.range):
            row.addWidget(w)
        row.addStretch(1)
        self.prev.clicked.connect(lambda: self.shift(-7))
        self.next.clicked.connect(lambda: self.shift(7))
        self.this.clicked.connect(lambda: self.date.setDate(qdate(today)))
        self.date.dateChanged.connect(lambda _d: self._changed())
        self._changed()

    def day(self) -> date:
        return pydate(self.date.date())

    def shift(self, days: int) -> None:
        self.date.setDate(qdate(self.day() + timedelta(days=days)))

    def _changed(self) -> None:
        monday = self.day() - timedelta(days=self.day().weekday())
        this_monday = self.today - timedelta(days=self.today.weekday())
        offset = (monday - this_monday).days // 7
        name = {0: "本周", 1: "下周", -1: "上周"}.get(offset, "")
        sunday = monday + timedelta(days=6)
        self.range.setText(f"{name}{' ' if name else ''}{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日"
                           f"(第{monday.isocalendar()[1]}周)")
        self.on_change(self.day())


def preview_weekly(session: Session, week_start_day: date | None = None,
                   parent: QWidget | None = None) -> QPrintPreviewDialog | None:
    """Preview (and print) the 一周领导在岗情况表 of the week holding ``week_start_day`` (by default
    `default_week_day`), A4 landscape unless the remembered page setup of ``weekly`` says otherwise.
    The preview's toolbar has a week picker: another week is shown at once."""
    ready = _ready(session, parent)
    if ready is None:
        return None
    profile, org_name = ready
    today = session.store.clock.today()
    day = week_start_day or default_week_day(today)
    current: dict[str, object] = {}

    def load(d: date) -> None:
        board, html = weekly_html_for(session.store, profile, org_name, d, print_fonts())
        current["board"], current["html"] = board, mark_html(html, profile.export.mark)

    load(day)

    def add_picker(dialog: QPrintPreviewDialog) -> None:
        preview = dialog.findChild(QPrintPreviewWidget)

        def show_week(d: date) -> None:
            if current.get("day") == d:
                return
            load(d)
            current["day"] = d
            dialog.setWindowTitle(f"打印预览 — 一周领导在岗情况表 {current['board'].range_text}")
            if preview is not None:
                preview.updatePreview()

        current["day"] = day
        picker = WeekPicker(day, today, show_week, dialog)
        layout = dialog.layout()  # a row of its own under Qt's toolbar (in the toolbar it would overflow)
        if layout is not None and hasattr(layout, "insertWidget"):
            layout.insertWidget(0, picker)
        else:
            bar = dialog.findChild(QToolBar)
            if bar is not None:
                bar.addWidget(picker)
        dialog.week_picker = picker  # for tests and screenshots

    return preview_html(lambda: current["html"], landscape=True,
                        title=f"一周领导在岗情况表 {current['board'].range_text}", parent=parent, kind="weekly",
                        before_exec=add_picker)


def preview_approval_form(session: Session, absence_id: int, parent: QWidget | None = None) -> QPrintPreviewDialog | None:
    """Preview (and print) the record's 外出报备审批表 / 请假审批单 (A4 portrait unless the
    remembered page setup of ``approval`` says otherwise)."""
    ready = _ready(session, parent)
    if ready is None:
        return None
    profile, org_name = ready
    try:
        record, html = approval_form_for(session.store, profile, org_name, absence_id, print_fonts())
    except UserError as exc:
        show_error(parent, str(exc))
        return None
    person = people_store.get_person(session.store, record.person_id)
    title = f"{absence_html.form_title(record)} — {person.name} {record.span_text}"
    html = mark_html(html, profile.export.mark)
    return preview_html(html, landscape=False, title=title, parent=parent, kind="approval",
                        page_numbers="official")  # fmt: skip


class NotificationDialog(FittedDialog):
    """The 通报 text, read-only, with a 复制 button that puts it on the clipboard."""

    def __init__(self, text: str, *, warning: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("通报文本")
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        font = self.text.font()
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.text.setFont(font)
        self.warning = QLabel(warning)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #7a4b00; background: #fff3cd; padding: 6px;")
        self.warning.setVisible(bool(warning))
        self.status = QLabel("")
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制通报文本,粘贴到消息或文档中")
        self.copy_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("以下通报文本可复制后发送给其他领导:"))
        layout.addWidget(self.warning)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(620, 380)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText("已复制到剪贴板。")


def show_notification(session: Session, absence_id: int, parent: QWidget | None = None) -> NotificationDialog | None:
    """Show the record's 通报 text in a dialog with a 复制 button (modal)."""
    ready = _ready(session, parent)
    if ready is None:
        return None
    profile, org_name = ready
    try:
        record, text = notification_for(session.store, profile, org_name, absence_id)
    except UserError as exc:
        show_error(parent, str(exc))
        return None
    warning = ""
    if record.state not in (AbsenceState.approved, AbsenceState.submitted, AbsenceState.returned):
        warning = f"此记录当前为“{record.state.label}”,尚未批准或报备完毕:通报前请确认。"
    dialog = NotificationDialog(text, warning=warning, parent=parent)
    dialog.exec()
    return dialog
