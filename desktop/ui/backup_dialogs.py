"""Backups in the window: the damaged-database dialog at open, 文件 → 备份数据库… / 恢复备份… / 撤销上次恢复,
and the notices of a read-only database or a failed daily backup (desktop.store.backups does the work).

Only Qt is imported at module level (the main window imports this before the first paint); the store
is imported where it is used. A restore closes the store, restores, reopens it and rebuilds every page
(`reattach`), the simplest way to be sure nothing shows the data from before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.store import private
from desktop.ui.banner import GREY_STYLE, RED_STYLE, Banner
from desktop.ui.screen_fit import FittedDialog

if TYPE_CHECKING:
    from desktop.core.clock import Clock
    from desktop.store.backups import BackupInfo, DamagedDatabase
    from desktop.store.db import Store
    from desktop.ui.session import Session


# ---------------------------------------------------------------- small helpers (tests replace _ask/_inform)

def _ask(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def _inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def _error(parent: QWidget | None, text: str) -> None:
    from desktop.ui.session import show_error

    show_error(parent, text)


def _size(n: int) -> str:
    return f"{max(1, round(n / 1024))} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _confirm_text(what: str) -> str:
    return (f"将用{what}替换当前数据库的全部内容。\n\n"
            "恢复之前,当前的数据会先自动备份为一份“恢复前”备份,不会丢失。"
            "如需撤销这次恢复,使用 文件 → 撤销上次恢复(或在“恢复备份”中恢复那份“恢复前”备份)。\n\n确定恢复吗?")


# ---------------------------------------------------------------- the list of backups

class BackupsDialog(FittedDialog):
    """The backups of one database: time, reason, size, status; restore one (confirmed), restore from
    another file, undo the last restore, back up now, and the number of automatic backups kept.

    `restore(path) -> bool` does the restore (the window's, or the damaged-file flow's); `session`: the
    window's, which is told what 立即备份 and the number kept changed."""

    def __init__(self, db_path: Path, restore, parent: QWidget | None = None, *, store: Store | None = None,
                 session: Session | None = None):
        from desktop.store import backups
        from desktop.store.db import backup_dir

        super().__init__(parent)
        self.setWindowTitle("恢复备份")
        self.db_path = db_path
        self.store = store
        self.session = session
        self._restore = restore
        self.restored = False
        self.items: list[BackupInfo] = []
        column = QVBoxLayout(self)
        where = QLabel(f"数据库:{db_path}\n备份文件夹:{backup_dir(db_path)}")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: #4a5260;")
        column.addWidget(where)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["时间", "原因", "大小", "状态"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        column.addWidget(self.table, 1)
        keep = backups.backup_keep(store) if store is not None else backups.DEFAULT_KEEP
        self.help = QLabel(
            "恢复前,当前数据会先自动备份为一份“恢复前”备份;恢复那份备份即可撤销这次恢复。\n"
            f"每天第一次打开时自动备份;自动备份(每日、升级前、恢复前)保留最新 {keep} 份,"
            "另外总保留最新的一份“恢复前”和“升级前”备份;手动备份不会被自动删除。")
        self.help.setWordWrap(True)
        column.addWidget(self.help)
        self.keep_spin: QSpinBox | None = None
        if store is not None and not store.read_only:
            row = QHBoxLayout()
            row.addWidget(QLabel("自动备份保留"))
            self.keep_spin = QSpinBox()
            self.keep_spin.setRange(1, backups.MAX_KEEP)
            self.keep_spin.setValue(keep)
            self.keep_spin.setSuffix(" 份")
            row.addWidget(self.keep_spin)
            self.keep_button = QPushButton("应用")
            self.keep_button.clicked.connect(self.apply_keep)
            row.addWidget(self.keep_button)
            row.addStretch(1)
            column.addLayout(row)
        buttons = QHBoxLayout()
        self.backup_button: QPushButton | None = None
        if store is not None:
            self.backup_button = QPushButton("立即备份")
            self.backup_button.setToolTip("现在把数据库备份到备份文件夹(手动备份)")
            self.backup_button.clicked.connect(self.backup_now)
            buttons.addWidget(self.backup_button)
        self.undo_button: QPushButton | None = None
        last = backups.last_restore(store) if store is not None else None
        if last is not None:
            self.undo_button = QPushButton("撤销上次恢复")
            self.undo_button.setToolTip(f"恢复上次恢复之前的数据({last[1].name})")
            self.undo_button.clicked.connect(lambda: self._confirm_and_restore(last[1], "上次恢复之前的数据"))
            buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        self.other_button = QPushButton("从其他文件恢复…")
        self.other_button.clicked.connect(self.restore_other)
        buttons.addWidget(self.other_button)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.restore_button)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        column.addLayout(buttons)
        self.resize(760, 440)
        self.reload()

    def reload(self) -> None:
        from desktop.store import backups

        self.items = backups.list_backups(self.db_path, check=True)
        self.table.setRowCount(len(self.items))
        for row, info in enumerate(self.items):
            status = "完好" if info.ok else f"不可用:{info.problem}"
            cells = [f"{info.taken_at:%Y-%m-%d %H:%M:%S}", info.reason_label, _size(info.size), status]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not info.ok:
                    item.setForeground(QColor("#8c1d18"))
                self.table.setItem(row, col, item)
        first_good = next((n for n, info in enumerate(self.items) if info.ok), None)
        if first_good is not None:
            self.table.selectRow(first_good)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and bool(info.ok))

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not info.ok:
            return
        self._confirm_and_restore(info.path, f" {info.describe()}({info.path.name})")

    def restore_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.db_path.parent), "数据库备份 (*.db);;所有文件 (*)")
        if path:
            self._confirm_and_restore(Path(path), f"备份文件 {path} ")

    def _confirm_and_restore(self, path: Path, what: str) -> None:
        if not _ask(self, "恢复备份", _confirm_text(what)):
            return
        if self._restore(path):
            self.restored = True
            self.accept()

    def backup_now(self) -> None:
        from desktop.core.errors import UserError

        assert self.store is not None
        try:
            result = ops.backups.backup_now(self.store)
        except UserError as exc:
            _error(self, str(exc))
            return
        target = self._apply(result)
        self.reload()
        _inform(self, "备份完成", f"已备份到 {target}")

    def apply_keep(self) -> None:
        from desktop.core.errors import UserError

        assert self.store is not None and self.keep_spin is not None
        try:
            result = ops.backups.set_backup_keep(self.store, self.keep_spin.value())
        except UserError as exc:
            _error(self, str(exc))
            return
        removed = self._apply(result)
        self.reload()
        _inform(self, "已设置", f"自动备份今后保留最新 {self.keep_spin.value()} 份"
                + (f",已删除较早的 {len(removed)} 份。" if removed else "。"))

    def _apply(self, result):
        """The operation's value; its Changes go to the window's session (when there is one)."""
        return self.session.apply(result) if self.session is not None else result.value


# ---------------------------------------------------------------- a damaged database at open

class DamagedDialog(FittedDialog):
    """What happened, the newest good backup, and 恢复此备份 / 选择其他备份… / 退出."""

    RESTORE, CHOOSE, QUIT = 1, 2, 0

    def __init__(self, error: DamagedDatabase, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("数据库已损坏")
        self.choice = self.QUIT
        good = error.good_backup
        column = QVBoxLayout(self)
        head = QLabel("数据库文件已损坏,无法打开")
        head.setStyleSheet("font-size: 13pt; font-weight: bold; color: #8c1d18;")
        column.addWidget(head)
        what = QLabel(f"文件:{error.db_path}\n"
                      f"检查结果:{error.detail}\n\n"
                      "这通常是存放数据库的磁盘或U盘出错、复制时中断或断电造成的。")
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(what)
        if good is not None:
            offer = QLabel(f"最新的完好备份:{good.taken_at:%Y-%m-%d %H:%M}({good.reason_label}备份,{_size(good.size)})\n"
                           f"文件:{good.path.name}\n\n"
                           "恢复后,此后的修改需要重新录入。损坏的文件会先另存到备份文件夹(“恢复前”备份),不会被删除。")
        else:
            offer = QLabel("备份文件夹中没有完好的备份。可以选择其他位置的备份文件;"
                           "或者退出,把损坏的文件复制一份交给维护人员(请不要删除它)。")
        offer.setWordWrap(True)
        offer.setObjectName("offer")
        offer.setStyleSheet("#offer { background: #f2f4f7; border: 1px solid #d5dbe3; border-radius: 4px; padding: 8px; }")
        column.addWidget(offer)
        row = QHBoxLayout()
        row.addStretch(1)
        self.restore_button = QPushButton("恢复此备份")
        self.restore_button.setEnabled(good is not None)
        self.restore_button.setVisible(good is not None)
        self.restore_button.setDefault(good is not None)
        self.restore_button.clicked.connect(lambda: self._done(self.RESTORE))
        self.choose_button = QPushButton("选择其他备份…")
        self.choose_button.clicked.connect(lambda: self._done(self.CHOOSE))
        self.quit_button = QPushButton("退出")
        self.quit_button.clicked.connect(lambda: self._done(self.QUIT))
        for button in (self.restore_button, self.choose_button, self.quit_button):
            row.addWidget(button)
        column.addLayout(row)
        self.setMinimumWidth(560)

    def _done(self, choice: int) -> None:
        self.choice = choice
        self.accept() if choice else self.reject()


def recover_damaged(error: DamagedDatabase, clock: Clock, parent: QWidget | None = None) -> Store | None:
    """The damaged-file flow at open: the restored and reopened store, or None when the user quit."""
    import os

    from desktop.core.errors import UserError
    from desktop.store import backups
    from desktop.store.opening import open_store

    if os.environ.get("DUTYDESK_SMOKE"):
        raise error
    db_path = error.db_path
    while True:
        dialog = DamagedDialog(error, parent)
        dialog.exec()
        if dialog.choice == DamagedDialog.QUIT:
            return None
        if dialog.choice == DamagedDialog.RESTORE:
            assert error.good_backup is not None
            try:
                ops.backups.restore(db_path, error.good_backup.path, clock)
            except UserError as exc:
                _error(parent, str(exc))
                continue
        else:
            chooser = BackupsDialog(db_path, lambda path: _restore_damaged(db_path, path, clock, parent), parent)
            chooser.exec()
            if not chooser.restored:
                continue
        try:
            return open_store(db_path, clock, daily_backup=False)
        except backups.DamagedDatabase as again:
            error = again  # the chosen backup did not help: offer the next one
        except UserError as exc:
            _error(parent, str(exc))
            return None


def _restore_damaged(db_path: Path, source: Path, clock: Clock, parent: QWidget | None) -> bool:
    from desktop.core.errors import UserError

    try:
        ops.backups.restore(db_path, source, clock)
    except UserError as exc:
        _error(parent, str(exc))
        return False
    return True


# ---------------------------------------------------------------- the window's side

def update_undo_action(window) -> None:
    session = getattr(window, "session", None)
    enabled = False
    if session is not None:
        from desktop.store.backups import last_restore

        enabled = last_restore(session.store) is not None and not session.store.read_only
    window.undo_restore_action.setEnabled(enabled)
    window.restore_action.setEnabled(session is not None)


def open_backups_dialog(window) -> BackupsDialog | None:
    if window.session is None:
        return None
    store = window.session.store
    dialog = BackupsDialog(store.path, lambda path: restore_in_window(window, path), window, store=store,
                           session=window.session)
    dialog.exec()
    return dialog


def undo_last_restore(window) -> bool:
    from desktop.store.backups import last_restore

    if window.session is None:
        return False
    last = last_restore(window.session.store)
    if last is None:
        _inform(window, "撤销上次恢复", "没有可以撤销的恢复(或者那份“恢复前”备份已被删除)。")
        return False
    if not _ask(window, "撤销上次恢复", _confirm_text(f"上次恢复之前的数据({last[1].name})")):
        return False
    return restore_in_window(window, last[1])


def save_backup(window) -> None:
    """文件 → 备份数据库…: a file dialog starting at the backups folder with the usual name."""
    from desktop.core.errors import UserError
    from desktop.store.db import backup_target

    if window.session is None:
        return
    store = window.session.store
    if store.path is None:
        _error(window, "内存数据库没有文件,无法备份。")
        return
    suggested = backup_target(store.path, store.clock, "manual")
    private.private_folder(suggested.parent)  # the backups folder: the user's only
    path, _ = QFileDialog.getSaveFileName(window, "备份数据库", str(suggested), "数据库备份 (*.db)")
    if not path:
        return
    try:
        result = ops.backups.backup_now(store, Path(path))
    except (UserError, OSError) as exc:
        _error(window, str(exc))
        return
    target = window.session.apply(result)
    _inform(window, "备份完成", f"已备份到 {target}")


def restore_in_window(window, source: Path) -> bool:
    """Close the store, restore, reopen and rebuild the pages; True when the backup was restored."""
    from desktop.core.errors import UserError
    from desktop.store.opening import open_store
    from desktop.ui.session import Session

    session = window.session
    store = session.store
    try:
        ops.backups.allowed_to_restore(store)  # before closing the database (the restore checks it again)
    except UserError as exc:
        _error(window, str(exc))
        return False
    db_path, clock, operator, role = store.path, store.clock, store.operator, store.role
    store.close()
    result, problem = None, None
    try:
        result = ops.backups.restore(db_path, source, clock, operator, role)
    except UserError as exc:
        problem = str(exc)
    try:
        new_store = open_store(db_path, clock, operator, daily_backup=False)
    except UserError as exc:
        _error(window, f"{problem + chr(10) if problem else ''}无法重新打开数据库:{exc}")
        window.close()
        return False
    if operator and role is not None:
        new_store.operator = operator  # the sign-in carries over; the restored file's accounts decide writes
        new_store.role = role
    else:
        from desktop.ui.signin import sign_in_at_start

        if not sign_in_at_start(new_store, window):  # the restored file has accounts: sign in (or quit)
            new_store.close()
            window.close()
            return False
    new = Session(new_store, demo=session.demo)
    reattach(window, new)
    session.deleteLater()
    if problem is not None:
        _error(window, problem)
        return False
    assert result is not None
    restored = new.apply(result)  # EVERYTHING: every page re-reads
    _inform(window, "恢复完成", f"已从备份 {restored.source.name} 恢复数据库。\n\n{restored.undo_hint()}\n"
            "也可以使用 文件 → 撤销上次恢复。")
    return True


def reattach(window, session: Session) -> None:
    """Give the window a new session: every page is rebuilt from the reopened database."""
    window.remember()  # the current section stays shown
    stack = window.stack
    current = stack.currentIndex()
    for slot in range(stack.count()):
        old = stack.widget(slot)
        placeholder = QLabel("正在打开数据库…")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        stack.insertWidget(slot, placeholder)
        stack.removeWidget(old)
        old.deleteLater()
    stack.setCurrentIndex(current)
    window.attach(session)


def show_store_notices(window) -> None:
    """Banners over the window: 只读 (the database opened read-only), a file changed outside the
    program, an anchor not written, a failed daily backup, and a file that could not be made the
    user's only (desktop.store.private: once; closed, it stays closed)."""
    for banner in getattr(window, "store_banners", []):
        banner.hide()
        banner.deleteLater()
    window.store_banners = []
    store = window.session.store
    layout = window.centralWidget().layout()
    notes = []
    if store.read_only:
        notes.append(("只读:" + _read_only_text(store), RED_STYLE, "readOnlyBanner"))
    if store.changed_outside:
        notes.append((store.changed_outside, RED_STYLE, "changedOutsideBanner"))
    if store.anchor_problem:
        notes.append((store.anchor_problem, RED_STYLE, "anchorBanner"))
    if store.backup_problem:
        notes.append((store.backup_problem, GREY_STYLE, "backupBanner"))
    if private.notice() and not getattr(window, "private_notice_closed", False):
        notes.append((private.notice(), GREY_STYLE, "privateBanner"))
    for n, (text, style, name) in enumerate(notes):
        banner = Banner(text, closable=name in ("backupBanner", "privateBanner"), style=style)
        banner.setObjectName("banner")
        banner.setProperty("kind", name)
        holder = QWidget()
        holder.setObjectName(name)
        row = QHBoxLayout(holder)
        row.setContentsMargins(8, 6, 8, 0)
        row.addWidget(banner)
        banner.closed.connect(holder.hide)
        if name == "privateBanner":
            banner.closed.connect(lambda: setattr(window, "private_notice_closed", True))
        layout.insertWidget(n, holder)
        window.store_banners.append(holder)


def _read_only_text(store: Store) -> str:
    if store.disk_full:
        return (f"磁盘已满,数据库文件 {store.path} 以只读方式打开,现在只能查看,任何修改都不会保存。"
                "请清理磁盘空间后重新打开程序再修改。")
    return (f"数据库文件 {store.path} 不可写(只读介质或没有写入权限),现在只能查看,任何修改都不会保存。"
            "要修改,请把它复制到可写的位置后再打开。")
