"""Import the State Council's holiday notice: paste, check the parsed days and the changes, then import.

Nothing is written before the user clicks 导入: parsing and the comparison with the stored
calendar only read. The import itself is one store operation run through the session.
Also here: the yellow `Banner` the calendar views use to say a year is provisional.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.cndate import cn_date_weekday
from desktop.core.errors import UserError
from desktop.core.notice import Notice, NoticeError, parse_notice
from desktop.export.month_html import day_list_text, notice_months_html
from desktop.store.calendar import DayChange
from desktop.ui.banner import Banner  # noqa: F401 - re-exported for the pages
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session

PLACEHOLDER = """请粘贴国务院办公厅的通知全文,包括标题,例如:

国务院办公厅关于2027年部分节假日安排的通知
……
一、元旦:1月1日(周五)至3日(周日)放假,共3天。
二、春节:……"""


class NoticeDialog(FittedDialog):
    """Paste the notice; it is parsed as you type (or with 解析); 导入 applies it."""

    PARSE_DELAY_MS = 400

    def __init__(self, session: Session, parent: QWidget | None = None, text: str = ""):
        super().__init__(parent)
        self.session = session
        self.notice: Notice | None = None
        self.changes: list[DayChange] = []
        self.imported: list[DayChange] | None = None
        self.setWindowTitle("导入国务院放假通知")
        self.resize(1180, 780)

        intro = QLabel("国务院办公厅每年11—12月公布下一年的放假安排。请把通知全文(包括标题)粘贴到左边,"
                       "程序逐行解析;请核对右边的放假日期和对日历的改动。点击“导入”之前不会写入任何数据。")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(PLACEHOLDER)
        self.text.setTabChangesFocus(True)
        self.parse_button = QPushButton("解析")
        self.parse_button.setToolTip("解析通知(Ctrl+Enter);输入时也会自动解析")
        self.open_button = QPushButton("打开文本文件…")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.changes_label = QLabel("导入后日历的变化")
        self.changes_label.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "现在", "导入后"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.PARSE_DELAY_MS)
        self.timer.timeout.connect(self.parse_now)
        self.text.textChanged.connect(self._text_changed)
        self.parse_button.clicked.connect(self.parse_now)
        self.open_button.clicked.connect(lambda: self.open_file())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.parse_now)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("通知全文"))
        left_layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.parse_button)
        left_layout.addLayout(row)
        changes = QWidget()
        changes_layout = QVBoxLayout(changes)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        changes_layout.addWidget(self.changes_label)
        changes_layout.addWidget(self.table, 1)
        results = QSplitter(Qt.Orientation.Vertical)
        results.addWidget(self.preview)
        results.addWidget(changes)
        results.setStretchFactor(0, 3)
        results.setStretchFactor(1, 2)
        results.setChildrenCollapsible(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.status)
        right_layout.addWidget(results, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._show_empty()
        if text:
            self.text.setPlainText(text)
            self.parse_now()

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()  # a pending parse must not outlive the dialog
        super().closeEvent(event)

    # -- parsing
    def _text_changed(self) -> None:
        self.notice = None  # a stale result must not be imported
        self.import_button.setEnabled(False)
        self.timer.start()

    def _show_empty(self) -> None:
        self._set_status("请粘贴通知全文。", "#555")
        self.preview.clear()
        self.table.setRowCount(0)
        self.changes_label.setText("导入后日历的变化")

    def _set_status(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold; padding: 2px 0;")
        self.status.setText(text)

    def _mark_line(self, line_no: int) -> None:
        """Tint the line the parser could not read."""
        block = self.text.document().findBlockByNumber(line_no - 1)
        if not block.isValid():
            return
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fbdcdc"))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection = QTextEdit.ExtraSelection()
        selection.format = fmt
        selection.cursor = QTextCursor(block)
        self.text.setExtraSelections([selection])
        self.text.setTextCursor(QTextCursor(block))
        self.text.ensureCursorVisible()

    def parse_now(self) -> None:
        self.timer.stop()
        self.text.setExtraSelections([])
        self.notice, self.changes = None, []
        self.import_button.setEnabled(False)
        text = self.text.toPlainText()
        if not text.strip():
            self._show_empty()
            return
        try:
            notice = parse_notice(text)
            changes = ops.calendar.notice_changes(self.session.store, notice)
        except NoticeError as exc:
            self._show_error(f"无法解析通知:{exc}。请核对这一行(可与国务院办公厅网站上的原文比对)后再解析。")
            if exc.line_no is not None:
                self._mark_line(exc.line_no)
            return
        except UserError as exc:
            self._show_error(str(exc))
            return
        self.notice, self.changes = notice, changes
        rest = sum(len(h.rest_days) for h in notice.holidays)
        work = sum(len(h.work_days) for h in notice.holidays)
        summary = (f"已解析:{notice.year}年,{len(notice.holidays)}个节日,放假{rest}天,调休上班{work}天。"
                   + (f"导入后日历有{len(changes)}天变化。" if changes else "与现有日历一致,导入后该年标为“已导入国务院通知”。")
                   + "核对无误后请点击“导入”。")
        self._set_status(summary, "#1e6b2e")
        self.preview.setHtml(self._preview_html(notice))
        self._fill_changes(changes)
        self.import_button.setEnabled(True)

    def _show_error(self, message: str) -> None:
        self._set_status(message, "#b3261e")
        self.preview.clear()
        self.table.setRowCount(0)
        self.changes_label.setText("导入后日历的变化")

    @staticmethod
    def _preview_html(notice: Notice) -> str:
        e = escape
        title = notice.title or f"国务院办公厅关于{notice.year}年部分节假日安排的通知"
        parts = [f"<p><b>{e(title)}</b></p>",
                 '<table cellspacing="0" cellpadding="3" border="1" style="border-collapse: collapse; border-color: #c8ced8;">'
                 '<tr><th bgcolor="#eef2f7">节日</th><th bgcolor="#eef2f7">放假</th><th bgcolor="#eef2f7">调休上班</th></tr>']
        for h in notice.holidays:
            rest = f"{day_list_text(h.rest_days, year=notice.year)},共{len(h.rest_days)}天"
            work = day_list_text(h.work_days, weekday=True, year=notice.year) or "无"
            parts.append(f"<tr><td><b>{e(h.name)}</b></td><td>{e(rest)}</td><td>{e(work)}</td></tr>")
        parts.append("</table>")
        parts.append(notice_months_html(notice.entries, columns=4))
        return "".join(parts)

    def _fill_changes(self, changes: list[DayChange]) -> None:
        self.changes_label.setText(f"导入后日历的变化({len(changes)}天)" if changes else "导入后日历的变化:无")
        self.table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cells = (cn_date_weekday(change.day), DayChange.describe(change.before, change.day),
                     DayChange.describe(change.after, change.day))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1 and change.before is not None and change.before.source == "provisional":
                    item.setText(f"{text}[暂定]")
                self.table.setItem(row, col, item)

    def open_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "打开通知文本", "", "文本文件 (*.txt);;所有文件 (*)")
            if not path:
                return
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = Path(path).read_text(encoding="gb18030", errors="replace")
        except OSError as exc:
            self._show_error(f"无法读取文件 {path}:{exc.strerror or exc}")
            return
        self.text.setPlainText(text)
        self.parse_now()

    # -- import
    def do_import(self) -> None:
        if self.notice is None:
            return
        changes = self.session.run(self, ops.calendar.import_notice, self.notice)
        if changes is None:
            return
        self.imported = changes
        self.accept()


def open_notice_dialog(session: Session, parent: QWidget | None = None) -> list[DayChange] | None:
    """Show the import dialog; the changes made, or None if nothing was imported."""
    dialog = NoticeDialog(session, parent)
    dialog.exec()
    changes = dialog.imported
    if changes is not None and dialog.notice is not None:
        window = parent.window() if parent is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"已导入{dialog.notice.year}年放假通知,日历变更{len(changes)}天。", 10000)
    return changes
