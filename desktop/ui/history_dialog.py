"""历史记录: one record's audit rows, newest first, and 校验审计日志 (the audit log's hash chain).

The rows come from desktop.store.history.record_history (a person's edits, rank moves and AB
pairs; an absence record's steps, extensions and return; a duty plan's pins and swaps): time,
operator, action and the changed fields (before → after, Chinese labels from desktop.core.changes).
`verify_audit` runs desktop.store.audit.verify and says in Chinese whether the chain is whole or
which row is the first that was changed or removed after it was written.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.store.db import Store
from desktop.store.history import HistoryEntry, record_history
from desktop.ui.screen_fit import FittedDialog

COLUMNS = ("时间", "操作员", "操作", "改动内容")


def change_lines(entry: HistoryEntry) -> list[str]:
    """The lines of the 改动内容 column: the summary, then each field before → after."""
    return [entry.summary, *(f"{c.label}:{c.before} → {c.after}" for c in entry.changes)]


class HistoryDialog(FittedDialog):
    def __init__(self, store: Store, entity: str, entity_id: int, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"历史记录 — {title}")
        self.resize(820, 460)
        self.entries = record_history(store, entity, entity_id)
        head = QLabel(f"<b>{escape(title)}</b> 的修改记录(最新在前,共 {len(self.entries)} 条)。"
                      "记录来自审计日志,每条都与前一条以哈希相连,事后改动会被“帮助 → 校验审计日志”发现。")
        head.setWordWrap(True)

        self.table = QTableWidget(len(self.entries), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for row, e in enumerate(self.entries):
            for col, text in enumerate((e.time_text, e.operator, e.action_label, "\n".join(change_lines(e)))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.ToolTipRole, text)
                self.table.setItem(row, col, item)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.setAccessibleName("历史记录")
        if self.entries:
            self.table.selectRow(0)
        self.empty = QLabel("审计日志中没有这条记录的修改。")
        self.empty.setVisible(not self.entries)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.table.setFocus()

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.table.item(r, c).text() for c in range(len(COLUMNS))) for r in range(self.table.rowCount())]


def show_history(parent: QWidget | None, store: Store, entity: str, entity_id: int, title: str) -> HistoryDialog:
    dialog = HistoryDialog(store, entity, entity_id, title, parent)
    dialog.exec()
    return dialog


#: The shortcut of 历史记录 on the pages that offer it.
HISTORY_SHORTCUT = "Ctrl+Shift+H"


def verify_message(store: Store) -> tuple[bool, str]:
    """(whole, the Chinese report) of the audit log's hash chain and of the data against the log."""
    from desktop.store.audit_check import verify

    report = verify(store)
    return report.ok, report.text()


def verify_audit(parent: QWidget | None, store: Store) -> tuple[bool, str]:
    ok, message = verify_message(store)
    box = QMessageBox(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Critical, "校验审计日志", message,
                      QMessageBox.StandardButton.Ok, parent)
    box.exec()
    return ok, message
