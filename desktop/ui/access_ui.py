"""The main window's side of operator accounts: 文件 menu entries, the status-bar operator, idle lock.

* 文件 → 切换操作员… / 锁定 / 操作员账户… (the last for 管理员; before sign-in is on, for anyone
  who wants to create the first 管理员).
* The status bar names the operator and role.
* Idle lock: with sign-in on, no keyboard or mouse input for `operators.idle_lock_minutes` (default
  10) covers every window of the application and asks for the same operator's password (or a
  管理员's, who then becomes the operator). An application event filter notes the time of the last
  input (a Python float, no Qt call: see `eventFilter`) and a QTimer checks it a few times per idle
  interval; tests set a short interval with `set_idle_interval_ms`.
* Menu entries that open writing dialogs are disabled for roles that may not use them; every
  operation refuses such writes anyway (its permission, checked at its entry: desktop.ops.base).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from desktop.ops.base import Changes, Entity
from desktop.store import operators
from desktop.ui.session import Session
from desktop.ui.signin import SignInDialog

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})

#: Main-window actions that open writing dialogs -> the permission they need (found by attribute name,
#: so entries added later by other parts of the window are covered when they follow the names).
GATED_ACTIONS = {
    "import_notice_action": "rules",
    "import_roster_action": "record",
    "backup_action": "maintain",
    "restore_action": "maintain",
}


class Cover(QWidget):
    """An opaque sheet over a locked window (its menus included), following the window's size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #e9eef5; }")
        label = QLabel("值班报备台已锁定")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #5f6b7a; font-size: 16pt;")
        hint = QLabel("请在解锁窗口中输入密码。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("color: #8a94a3;")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(hint)
        layout.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(obj.rect())
            self.raise_()
        return False


class AccessController(QObject):
    def __init__(self, window: QMainWindow, session: Session):
        super().__init__(window)
        self.window = window
        self.session = session
        self.locked = False
        self.lock_dialog: SignInDialog | None = None
        self.covers: list[Cover] = []
        self._interval_override: int | None = None
        self._idle_ms = 0
        self._filtering = False
        self._last_input = time.monotonic()
        self.timer = QTimer(self)  # checks for idleness; runs while idle lock is on and not locked
        self.timer.timeout.connect(self._check_idle)
        self.status_label = QLabel()
        self.status_label.setObjectName("operatorStatus")
        window.statusBar().addPermanentWidget(self.status_label)
        self.switch_action = QAction("切换操作员…", window)
        self.switch_action.setToolTip("以另一位操作员的账户登录")
        self.switch_action.triggered.connect(self.switch_operator)
        self.lock_action = QAction("锁定", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+Alt+L"))
        self.lock_action.setToolTip("离开座位时锁定窗口,回来后输入密码解锁(Ctrl+Alt+L)")
        self.lock_action.triggered.connect(self.lock)
        self.accounts_action = QAction("操作员账户…", window)
        self.accounts_action.setToolTip("新增操作员、重设密码、修改角色、停用账户(管理员)")
        self.accounts_action.triggered.connect(self.open_accounts)
        window.addAction(self.lock_action)  # the shortcut works wherever the focus is
        window.installEventFilter(self)  # its Close stops the watching
        self._add_to_file_menu()
        session.changed.connect(self._on_changed)
        self.refresh()

    # -- wiring
    def _file_menu(self) -> QMenu | None:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and menu.title().startswith("文件"):
                return menu
        return None

    def _add_to_file_menu(self) -> None:
        menu = self._file_menu()
        if menu is None:
            return
        separators = [a for a in menu.actions() if a.isSeparator()]
        before = separators[-1] if separators else None  # the group above 退出
        menu.insertSeparator(before) if before is not None else menu.addSeparator()
        for action in (self.switch_action, self.lock_action, self.accounts_action):
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)

    def set_session(self, session: Session) -> None:
        """The window attached another session (another database)."""
        self.session.changed.disconnect(self._on_changed)
        self.session = session
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.operator, Entity.operator_policy):
            self.refresh()

    # -- state
    @property
    def enabled(self) -> bool:
        return operators.accounts_enabled(self.session.store)

    def idle_interval_ms(self) -> int:
        if self._interval_override is not None:
            return self._interval_override
        return operators.idle_lock_minutes(self.session.store) * 60_000

    def set_idle_interval_ms(self, ms: int | None) -> None:
        """Override the idle time (tests; None: back to the database's setting)."""
        self._interval_override = ms
        self.refresh()

    def refresh(self) -> None:
        store = self.session.store
        enabled = self.enabled
        if enabled and store.role is not None:
            op = operators.current(store)
            shown = op.label if op else store.operator
            self.status_label.setText(f"操作员:{shown}")
            self.status_label.setToolTip("文件 → 切换操作员… 换人登录;离开座位时 Ctrl+Alt+L 锁定")
        else:
            self.status_label.setText(f"操作员:{store.operator}(未启用登录)")
            self.status_label.setToolTip("在 文件 → 操作员账户… 中新增第一位管理员即启用登录")
        self.switch_action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)
        self.accounts_action.setEnabled(not enabled or self.session.can("accounts"))
        for name, permission in GATED_ACTIONS.items():
            action = getattr(self.window, name, None)
            if isinstance(action, QAction):
                action.setEnabled(self.session.can(permission))
        banner = getattr(self.window, "notice_banner", None)  # 导入通知… on the next-year reminder
        if banner is not None and getattr(banner, "button", None) is not None:
            banner.button.setEnabled(self.session.can("rules"))
        self._idle_ms = self.idle_interval_ms()  # read once here: the check below runs every second
        self._watch(enabled and self._idle_ms > 0)

    def _watch(self, on: bool) -> None:
        """Filter the application's input only while idle lock is on (no cost otherwise)."""
        app = QApplication.instance()
        if on and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        elif not on and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False
        if on and not self.locked:
            self._last_input = time.monotonic()
            self.timer.start(max(10, min(1000, self._idle_ms // 4)))
        elif not on:
            self.timer.stop()

    def _check_idle(self) -> None:
        if not self.locked and (time.monotonic() - self._last_input) * 1000 >= self._idle_ms:
            self.lock()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Runs for every event of the application: only a float is stored here. (Calling a Qt method
        # such as QTimer.start per mouse move would also hit a PySide6 6.12 / Python 3.11 bug that
        # drops a reference to None on every call returning nothing, until the interpreter aborts.)
        kind = event.type()
        if kind in INPUT_EVENTS:
            self._last_input = time.monotonic()
        elif kind == QEvent.Type.Close and obj is self.window:
            self._watch(False)  # the window is going (its database closes after it)
        return False

    # -- actions
    def lock(self) -> None:
        """Cover every window and ask for the password (no-op while sign-in is off)."""
        if self.locked or not self.enabled:
            return
        self.locked = True
        self.timer.stop()
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                self.covers.append(Cover(widget))
        store = self.session.store
        who = operators.current(store)
        minutes = operators.idle_lock_minutes(store)
        dialog = SignInDialog(store, self.window, title="值班报备台已锁定", name=store.operator, lock_for=store.operator,
                              cancel_text="退出程序", how="解锁",
                              intro=f"为保护数据,窗口已锁定(空闲 {minutes} 分钟或手动锁定)。请{who.label if who else store.operator}"
                                    "输入密码解锁;管理员也可以用自己的账户解锁(将切换为该管理员)。")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._lock_finished)
        self.lock_dialog = dialog
        dialog.show()  # a new window comes up on top; raise_() is not needed (and offscreen warns)
        dialog.activateWindow()

    def _lock_finished(self, result: int) -> None:
        dialog = self.lock_dialog
        self.lock_dialog = None
        if dialog is not None and dialog.quit_requested:
            self.window.close()
            QApplication.quit()
            return
        for cover in self.covers:
            cover.deleteLater()
        self.covers = []
        self.locked = False
        if dialog is not None:
            dialog.deleteLater()
        if dialog is not None and dialog.sign_in_result is not None:
            self.session.apply(dialog.sign_in_result)  # another operator: everything (pages re-check what may be done)
        self.refresh()

    def switch_operator(self) -> None:
        if not self.enabled:
            return
        store = self.session.store
        dialog = SignInDialog(store, self.window, title="切换操作员", cancel_text="取消", how="切换操作员",
                              intro=f"当前操作员:{store.operator}。请输入要切换到的账户名和密码。")
        if dialog.exec() and dialog.sign_in_result is not None:
            self.session.apply(dialog.sign_in_result)
            self.refresh()

    def open_accounts(self) -> None:
        from desktop.ui.operators_dialog import OperatorsDialog

        OperatorsDialog(self.session, self.window).exec()  # each change emitted its own Changes


def install_access(window: QMainWindow, session: Session) -> AccessController:
    """The window's controller, created once and handed the new session on a later attach."""
    controller = getattr(window, "_access_controller", None)
    if isinstance(controller, AccessController):
        controller.set_session(session)
        return controller
    controller = AccessController(window, session)
    window._access_controller = controller
    return controller
