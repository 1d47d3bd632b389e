"""保存冲突: another secretary saved the record after this one opened it (no lost update).

`Session.run` hands every `ConcurrentEdit` to `handle_conflict`: a dialog lists what the other
user changed (项目 / 您打开时 / 现在), who and when, and what this user tried to save (so it can be
entered again), with 重新载入 and 取消. 重新载入 calls ``reload_record(exc)`` on the nearest widget
up the parent chain that has one (the person dialog reloads its fields and stays open; a page
reloads its list and selects the record); 取消 leaves everything as it is. Nothing was saved
either way: the store refused the save as a whole.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import EMPTY, ConcurrentEdit
from desktop.ui.screen_fit import FittedDialog

RELOAD_TEXT = "重新载入(&R)"
CANCEL_TEXT = "取消"


def reload_target(parent: QObject | None) -> QObject | None:
    """The nearest object from ``parent`` upwards that can reload the record (``reload_record``)."""
    obj = parent
    while obj is not None:
        if callable(getattr(obj, "reload_record", None)):
            return obj
        obj = obj.parent()
    return None


def who_when(exc: ConcurrentEdit) -> str:
    who = "、".join(exc.by) if exc.by else "其他同事"
    when = f"于 {exc.at[:16].replace('T', ' ')} " if exc.at else ""
    return f"{who} {when}"


class ConflictDialog(FittedDialog):
    def __init__(self, exc: ConcurrentEdit, parent: QWidget | None = None, *, can_reload: bool = True):
        super().__init__(parent)
        self.exc = exc
        self.setWindowTitle("保存冲突:记录已被他人修改")
        self.setMinimumWidth(560)
        head = QLabel(f"<b>{exc.title}在您打开后已被 {who_when(exc)}修改。</b><br>"
                      "为避免覆盖对方的修改,您这次的修改<b>没有保存</b>。")
        head.setWordWrap(True)

        self.table = QTableWidget(len(exc.changes), 3)
        self.table.setHorizontalHeaderLabels(["项目", "您打开时", "现在(对方保存后)"])
        for row, change in enumerate(exc.changes):
            for col, text in enumerate((change.label, change.before, change.after)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(60 + 30 * max(len(exc.changes), 1))
        self.table.setAccessibleName("对方的修改")
        if not exc.changes:
            self.table.hide()

        self.yours = QPlainTextEdit("\n".join(f"{c.label}:{c.after}" + ("(原为空)" if c.before == EMPTY else f"(原为 {c.before})")
                                              for c in exc.yours) or "(无)")
        self.yours.setReadOnly(True)
        self.yours.setMaximumHeight(40 + 22 * max(len(exc.yours), 1))
        self.yours.setAccessibleName("您未保存的修改")

        hint = QLabel("点“重新载入”显示最新内容,再把您的修改重新填入并保存;点“取消”放弃这次修改。"
                      if can_reload else "请关闭此窗口,刷新后再修改。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")

        self.buttons = QDialogButtonBox()
        self.reload_button = self.buttons.addButton(RELOAD_TEXT, QDialogButtonBox.ButtonRole.AcceptRole)
        self.reload_button.setVisible(can_reload)
        self.reload_button.setDefault(can_reload)
        self.cancel_button = self.buttons.addButton(CANCEL_TEXT, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(head)
        if exc.changes:
            layout.addWidget(QLabel("对方的修改:"))
            layout.addWidget(self.table)
        layout.addWidget(QLabel("您这次填写、未保存的内容(可复制后重新填入):"))
        layout.addWidget(self.yours)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)


def handle_conflict(parent: QWidget | None, exc: ConcurrentEdit) -> bool:
    """Show the conflict; True when the user chose 重新载入 (and the record was reloaded)."""
    target = reload_target(parent)
    dialog = ConflictDialog(exc, parent, can_reload=target is not None)
    if dialog.exec() != QDialog.DialogCode.Accepted or target is None:
        return False
    target.reload_record(exc)  # type: ignore[attr-defined]
    return True
