"""日历 page: a month like a paper wall calendar, with 休/班 marks, holidays and lunar dates.

The grid is a QTableView over `MonthModel` (6 weeks × Monday–Sunday); `DayDelegate` paints each
cell from the model's `DayInfo` (desktop.export.month_html.month_grid, shared with the printout).
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QMarginsF,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.cndate import WEEKDAYS
from desktop.core.errors import UserError
from desktop.core.workcal import LATE_DECEMBER_FROM, CalendarGapError, WorkCalendar
from desktop.export import month_html
from desktop.export.month_html import DayInfo, describe_day, month_grid
from desktop.ops.base import Changes, Entity
from desktop.store import calendar
from desktop.ui import screen_fit
from desktop.ui.notice_dialog import Banner, open_notice_dialog
from desktop.ui.session import Session

ModelIndex = QModelIndex | QPersistentModelIndex


class Roles(IntEnum):
    Date = Qt.ItemDataRole.UserRole + 1
    Info = Qt.ItemDataRole.UserRole + 2  # the DayInfo
    Mark = Qt.ItemDataRole.UserRole + 3  # 休 / 班 / ""
    Lunar = Qt.ItemDataRole.UserRole + 4
    Caption = Qt.ItemDataRole.UserRole + 5  # the holiday name shown in the cell
    InMonth = Qt.ItemDataRole.UserRole + 6


class MonthModel(QAbstractTableModel):
    """The weeks of one month; each cell is a DayInfo."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list[DayInfo]] = []

    def set_grid(self, rows: list[list[DayInfo]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def cells(self) -> list[DayInfo]:
        return [info for row in self._rows for info in row]

    def info(self, index: ModelIndex) -> DayInfo | None:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < 7):
            return None
        return self._rows[index.row()][index.column()]

    def index_of(self, day: date) -> QModelIndex:
        for r, row in enumerate(self._rows):
            for c, info in enumerate(row):
                if info.day == day:
                    return self.index(r, c)
        return QModelIndex()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        info = self.info(index)
        if info is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(info.day.day)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return describe_day(info)
        if role == Roles.Date:
            return info.day
        if role == Roles.Info:
            return info
        if role == Roles.Mark:
            return info.mark
        if role == Roles.Lunar:
            return info.lunar
        if role == Roles.Caption:
            return info.caption
        if role == Roles.InMonth:
            return info.in_month
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            if role == Qt.ItemDataRole.DisplayRole:
                return WEEKDAYS[section]
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(month_html.REST_FG if section >= 5 else "#22304a")
        return None


class DayDelegate(QStyledItemDelegate):
    """Paints a day like a wall calendar: number, lunar word, holiday name, 休/班 badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(96, 74)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        info: DayInfo | None = index.data(Roles.Info)
        if info is None:
            return
        r = option.rect  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not info.in_month:
            bg = month_html.OUTSIDE_BG
        elif info.mark == "班":
            bg = month_html.MAKEUP_BG
        elif info.mark == "休":
            bg = month_html.REST_BG
        elif info.rest:
            bg = month_html.WEEKEND_BG
        else:
            bg = month_html.WORK_BG
        painter.fillRect(r, QColor(bg))

        faded = not info.in_month
        rest_colour = QColor(month_html.REST_FG)
        number_colour = QColor("#c4c4c4") if faded else (rest_colour if info.rest else QColor("#1e2733"))
        base = QFont(option.font)  # type: ignore[attr-defined]

        # day number (today: white on a blue disc)
        number_font = QFont(base)
        number_font.setPointSizeF(base.pointSizeF() * 1.6)
        number_font.setBold(True)
        painter.setFont(number_font)
        number_rect = QRect(r.left() + 6, r.top() + 4, 34, 28)
        if info.today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#1f5fa8"))
            painter.drawEllipse(number_rect.adjusted(1, -1, -1, 1))
            number_colour = QColor("white")
        painter.setPen(number_colour)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignCenter, str(info.day.day))

        # badge
        if info.mark and not faded:
            badge = QRect(r.right() - 25, r.top() + 5, 21, 21)
            badge_font = QFont(base)
            badge_font.setBold(True)
            painter.setFont(badge_font)
            if info.provisional:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                pen = QPen(QColor(month_html.PROVISIONAL_FG), 1.5, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawRoundedRect(badge, 4, 4)
                painter.setPen(QColor(month_html.PROVISIONAL_FG))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(month_html.REST_FG if info.mark == "休" else month_html.MAKEUP_FG))
                painter.drawRoundedRect(badge, 4, 4)
                painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, info.mark)

        # lunar word and holiday name
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        painter.setFont(small)
        metrics = painter.fontMetrics()
        line = metrics.height()
        lunar_rect = QRect(r.left() + 8, r.top() + 34, r.width() - 14, line)
        if faded:
            lunar_colour = QColor("#c8c8c8")
        elif info.lunar_kind != "day":
            lunar_colour = QColor("#2e7d32")  # a solar term or a new lunar month
        else:
            lunar_colour = QColor("#6b7380")
        painter.setPen(lunar_colour)
        painter.drawText(lunar_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, info.lunar)
        if info.caption and not faded:
            caption_rect = QRect(r.left() + 8, min(r.bottom() - line - 4, lunar_rect.bottom() + 3), r.width() - 14, line)
            painter.setPen(rest_colour if info.mark == "休" else QColor(month_html.MAKEUP_FG))
            text = metrics.elidedText(info.caption, Qt.TextElideMode.ElideRight, caption_rect.width())
            painter.drawText(caption_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

        # selection frame
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            painter.fillRect(r, QColor(91, 143, 208, 28))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#5b8fd0"), 2))
            painter.drawRect(r.adjusted(1, 1, -2, -2))
        painter.restore()


def print_fonts(point_size: int) -> QFont:
    from desktop.ui.fonts import UI_FONTS

    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(point_size)
    return font


class CalendarPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._cal: WorkCalendar | None = None
        self._through = 0
        self._error: str | None = None
        today = self.today()
        self.year_value, self.month_value = today.year, today.month

        self.model = MonthModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(DayDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setStyleSheet("QTableView { gridline-color: #d5dbe3; }"
                                "QHeaderView::section { padding: 5px; background: #e9eef5; border: none;"
                                " border-right: 1px solid #d5dbe3; font-weight: bold; }")
        self.view.doubleClicked.connect(self._go_to_cell)

        self.prev_button = QPushButton("◀ 上月")
        self.next_button = QPushButton("下月 ▶")
        self.today_button = QPushButton("今天")
        self.year = QSpinBox()
        self.year.setSuffix(" 年")
        self.year.setAccelerated(True)
        self.year.setKeyboardTracking(False)  # typing "2027" must not jump through 2, 20, 202
        self.month = QComboBox()
        self.month.addItems([f"{m}月" for m in range(1, 13)])
        self.print_button = QPushButton("打印…")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f2f46; padding: 0 10px;")

        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.year.valueChanged.connect(lambda y: self.show_month(y, self.month_value))
        self.month.currentIndexChanged.connect(lambda i: self.show_month(self.year_value, i + 1))
        self.print_button.clicked.connect(self.print_preview)
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("prev", "上一个月", QKeySequence("PgUp"), lambda: self.step(-1)),
            ("next", "下一个月", QKeySequence("PgDown"), lambda: self.step(1)),
            ("today", "回到今天", QKeySequence("Ctrl+Home"), self.go_today),
            ("print", "打印本月", QKeySequence(QKeySequence.StandardKey.Print), self.print_preview),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions[key] = action
        self.prev_button.setToolTip("上一个月(PgUp)")
        self.next_button.setToolTip("下一个月(PgDn)")
        self.today_button.setToolTip("回到今天所在的月份(Ctrl+Home)")
        self.print_button.setToolTip("打印本月日历,A4横向(Ctrl+P)")

        top = QHBoxLayout()
        top.addWidget(self.prev_button)
        top.addWidget(self.year)
        top.addWidget(self.month)
        top.addWidget(self.next_button)
        top.addWidget(self.today_button)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.print_button)

        self.detail = QLabel()
        self.detail.setStyleSheet("color: #22304a; padding: 2px 0;")
        self.source_label = QLabel()
        self.source_label.setStyleSheet("color: #555;")
        legend = QLabel(f'<span style="background:{month_html.REST_FG}; color:white;">&nbsp;休&nbsp;</span> 放假'
                        f'&nbsp;&nbsp;<span style="background:{month_html.MAKEUP_FG}; color:white;">&nbsp;班&nbsp;</span>'
                        " 调休上班&nbsp;&nbsp;红色日期为休息日;虚线框为暂定")
        legend.setStyleSheet("color: #555;")
        self.banner = Banner(button_text="导入放假通知…")
        self.banner.action.connect(self.import_notice)

        bottom = QHBoxLayout()
        bottom.addWidget(self.source_label, 1)
        bottom.addWidget(legend)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.banner)
        layout.addLayout(bottom)

        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_detail())
        session.changed.connect(self._on_changed)
        self.reload()

    # -- data
    def today(self) -> date:
        return self.session.store.clock.today()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.calendar):
            self.reload()

    def reload(self) -> None:
        """Forget the loaded calendar (it changed) and show the month again."""
        self._cal = None
        self._through = 0
        years = calendar.stored_years(self.session.store)
        first = min(years) if years else self.today().year
        self.year.blockSignals(True)
        self.year.setRange(first, calendar.LAST_SUPPORTED_YEAR)
        self.year.blockSignals(False)
        self.show_month(self.year_value, self.month_value, self._selected_day())

    def calendar(self, through: int) -> WorkCalendar | None:
        if self._cal is None or through > self._through:
            try:
                self._cal = calendar.load_calendar(self.session.store, through)
                self._through = through
                self._error = None
            except UserError as exc:
                self._cal, self._error = None, str(exc)
        return self._cal

    # -- navigation
    def show_month(self, year: int, month: int, select: date | None = None) -> None:
        year = max(self.year.minimum(), min(self.year.maximum(), year))
        self.year_value, self.month_value = year, month
        for widget, value in ((self.year, year), (self.month, month - 1)):
            widget.blockSignals(True)
            if widget is self.year:
                self.year.setValue(value)
            else:
                self.month.setCurrentIndex(value)
            widget.blockSignals(False)
        self.title.setText(f"{year}年{month}月")
        today = self.today()
        cal = self.calendar(min(year + 1, calendar.LAST_SUPPORTED_YEAR))
        self.model.set_grid(month_grid(cal, year, month, today) if cal else [])
        self.prev_button.setEnabled((year, month) > (self.year.minimum(), 1))
        self.next_button.setEnabled((year, month) < (self.year.maximum(), 12))
        if select is None or (select.year, select.month) != (year, month):
            select = today if (today.year, today.month) == (year, month) else date(year, month, 1)
        index = self.model.index_of(select)
        if index.isValid():
            self.view.setCurrentIndex(index)
        self._update_notes(cal)
        self._update_detail()

    def step(self, months: int) -> None:
        n = self.year_value * 12 + self.month_value - 1 + months
        year, month = divmod(n, 12)
        if self.year.minimum() <= year <= self.year.maximum():
            day = self._selected_day()
            keep = None
            if day is not None:
                try:
                    keep = date(year, month + 1, day.day)
                except ValueError:
                    keep = None
            self.show_month(year, month + 1, keep)

    def go_today(self) -> None:
        today = self.today()
        self.show_month(today.year, today.month, today)
        self.view.setFocus()

    def _go_to_cell(self, index: QModelIndex) -> None:
        info = self.model.info(index)
        if info is not None and not info.in_month:
            self.show_month(info.day.year, info.day.month, info.day)

    def _selected_day(self) -> date | None:
        info = self.model.info(self.view.currentIndex()) if self.view.selectionModel() else None
        return info.day if info else None

    def cell(self, day: date) -> DayInfo | None:
        """The shown cell of a day (for tests and accessibility)."""
        return self.model.info(self.model.index_of(day))

    # -- notes under the grid
    def _update_detail(self) -> None:
        info = self.model.info(self.view.currentIndex())
        self.detail.setText(describe_day(info) if info else "")

    def _update_notes(self, cal: WorkCalendar | None) -> None:
        year, month = self.year_value, self.month_value
        if cal is None:
            self.source_label.setText(self._error or "")
            self.banner.hide()
            return
        try:
            source = cal.year_source(year)
        except CalendarGapError:
            source = None
        self.source_label.setText(f"{year}年日历来源:{calendar.SOURCE_LABELS[source]}" if source else "")
        if source == "provisional":
            self.banner.set_text(f"{year}年尚无国务院放假通知:本月按暂定日历显示(只含法定节日,不含调休),"
                                 "以国务院办公厅正式通知为准。通知公布后,请导入通知。")
            self.banner.show()
        elif month == 12 and any(c.provisional and c.in_month for c in self.model.cells()):
            self.banner.set_text(f"{year}年12月{LATE_DECEMBER_FROM}日以后的日期可能被{year + 1}年的放假通知调整"
                                 f"(例如元旦调休),目前按暂定显示。{year + 1}年的通知公布后,请导入通知。")
            self.banner.show()
        else:
            self.banner.hide()

    # -- actions
    def import_notice(self) -> None:
        open_notice_dialog(self.session, self)

    def document(self) -> QTextDocument:
        """The month as a printable document (A4 landscape)."""
        cal = self.calendar(min(self.year_value + 1, calendar.LAST_SUPPORTED_YEAR))
        org = self.session.org
        try:
            source = calendar.SOURCE_LABELS[cal.year_source(self.year_value)] if cal else ""
        except CalendarGapError:
            source = ""
        doc = QTextDocument(self)
        doc.setDefaultFont(print_fonts(10))
        self._html = ""
        if cal is None:
            doc.setPlainText(self._error or "")
        else:
            self._html = month_html.render_month(cal, self.year_value, self.month_value, today=None,
                                                 org=org.name if org else None, source_label=source,
                                                 printed_on=self.today())
            doc.setHtml(self._html)
        return doc

    def print_to(self, printer: QPrinter) -> None:
        """Print the month through desktop.ui.printing.print_html, the layout every printout shares:
        one page (shrunk if it must), numbered 第 1 页 共 1 页, and a PDF's text as printed."""
        from desktop.ui import printing

        doc = self.document()
        if self._html:
            printing.print_html(printer, self._html, default_font=print_fonts(10), page_numbers="table")
        else:  # no calendar for the year: the message, as the page shows it
            rect = printer.pageLayout().paintRect(QPageLayout.Unit.Point)
            scale = doc.documentLayout().paintDevice().logicalDpiY() / 72 if doc.documentLayout().paintDevice() else 96 / 72
            doc.setPageSize(QSizeF(rect.width() * scale, rect.height() * scale))
            doc.print_(printer)

    @staticmethod
    def printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                          QMarginsF(12, 10, 12, 10), QPageLayout.Unit.Millimeter))
        printer.setDocName("工作日历")
        return printer

    def print_preview(self) -> None:
        from desktop.ui import printing

        settings = printing.settings_for(self)
        printer = printing.make_printer(True, f"{self.year_value}年{self.month_value}月工作日历", kind="month",
                                        settings=settings)
        dialog = screen_fit.watch(QPrintPreviewDialog(printer, self))
        printing.attach_page_setup(dialog, printer, "month", settings)
        dialog.setWindowTitle(f"打印预览 — {self.year_value}年{self.month_value}月")
        dialog.paintRequested.connect(self.print_to)
        dialog.resize(1000, 720)
        dialog.exec()
