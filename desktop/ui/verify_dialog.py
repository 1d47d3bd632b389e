"""帮助 → 校验审计日志…: what `audit verify` found, in a window, and the way back.

The dialog shows the report of desktop.store.audit_check.verify: the summary (hash chain, anchor,
signatures) and, when records were changed outside the program, a table of them (记录 / 项目 /
日志中 / 现在). When something is wrong it looks for the newest backup whose own log agrees with its
anchor and its data (audit_check.matching_backup) and offers to restore it; the restore asks for
confirmation first and keeps the current data as a 恢复前 backup (desktop/ui/backup_dialogs.py).
Nothing is changed unless the user confirms.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.screen_fit import FittedDialog

if TYPE_CHECKING:
    from desktop.store.audit_check import Report
    from desktop.store.backups import BackupInfo

GREEN, RED = "#1b5e20", "#b71c1c"


class VerifyDialog(FittedDialog):
    """The report; ``restore(path) -> bool`` restores a backup (the window's restore)."""

    def __init__(self, report: Report, backup: BackupInfo | None, restore: Callable[[Path], bool] | None,
                 parent: QWidget | None = None, *, searched: bool = True):
        super().__init__(parent)
        from desktop.store.audit_check import finding_row

        self.setWindowTitle("校验审计日志")
        self.report, self.backup, self._restore = report, backup, restore
        self.restored = False
        self.report_text = report.text()
        layout = QVBoxLayout(self)
        head = QLabel("审计日志完好" if report.ok else "发现在程序之外的改动")
        head.setObjectName("verifyHeading")
        head.setStyleSheet(f"font-size: 16px; font-weight: bold; color: {GREEN if report.ok else RED};")
        layout.addWidget(head)

        findings = report.data.findings
        summary = [line for line in report.lines() if not line.startswith("  ")
                   and not line.startswith("发现 ") and line != _restore_hint()]
        self.summary = QLabel("\n".join(summary))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(bool(summary))
        layout.addWidget(self.summary)

        self.table: QTableWidget | None = None
        if findings:
            layout.addWidget(QLabel(f"以下 {len(findings)} 处记录与审计日志不符,是在程序之外改动的:"))
            table = QTableWidget(len(findings), 4)
            table.setHorizontalHeaderLabels(["记录", "项目", "日志中", "现在"])
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            for r, f in enumerate(findings):
                for c, text in enumerate(finding_row(f)):
                    item = QTableWidgetItem(text)
                    item.setToolTip(f.message)
                    table.setItem(r, c, item)
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
            table.setMinimumHeight(min(60 + 30 * len(findings), 320))
            self.table = table
            layout.addWidget(table)

        self.restore_button: QPushButton | None = None
        if not report.ok:
            box = QLabel()
            box.setWordWrap(True)
            box.setObjectName("verifyBackup")
            box.setStyleSheet("QLabel#verifyBackup { background: #f5f5f5; border: 1px solid #ccc; padding: 8px; }")
            if backup is not None:
                box.setText(f"最新的与锚点相符的备份:{backup.describe()}({backup.path.name})。它的审计日志与锚点、"
                            "数据都一致。恢复它可以撤销此后的全部改动(包括此后在程序中保存的修改,需要重新录入);"
                            "恢复前,当前的数据会先另存为一份“恢复前”备份,不会丢失。")
            elif searched:
                box.setText("备份文件夹中没有与锚点相符的备份。请保留这个数据库文件(复制一份交给管理员),"
                            "如有其他位置(U盘、其他电脑)保存的备份,可用 文件 → 恢复备份… → 从其他文件恢复。")
            layout.addWidget(box)
            self.backup_label = box
            if backup is not None and restore is not None:
                self.restore_button = QPushButton("恢复此备份…")
                self.restore_button.clicked.connect(self.restore_backup)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        if self.restore_button is not None:
            row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(760, 420 if findings else 260)

    def restore_backup(self) -> None:
        """Confirmed first (the same question as 文件 → 恢复备份…); nothing changes on 取消."""
        from desktop.ui import backup_dialogs

        assert self.backup is not None and self._restore is not None
        what = f" {self.backup.describe()}({self.backup.path.name})"
        if not backup_dialogs._ask(self, "恢复备份", backup_dialogs._confirm_text(what)):
            return
        if self._restore(self.backup.path):
            self.restored = True
            self.accept()


def _restore_hint() -> str:
    from desktop.store.audit_check import RESTORE_HINT

    return RESTORE_HINT


def show_verify(window) -> VerifyDialog | None:
    """Run the check on the window's database and show it (the menu item)."""
    from desktop.store.audit_check import matching_backup, verify
    from desktop.ui.backup_dialogs import restore_in_window

    session = getattr(window, "session", None)
    if session is None:
        return None
    store = session.store
    report = verify(store)
    found = None
    if not report.ok and store.path is not None:
        found = matching_backup(store.path, store.clock)
    dialog = VerifyDialog(report, found[0] if found else None, lambda path: restore_in_window(window, path), window,
                          searched=store.path is not None)
    dialog.exec()
    return dialog
