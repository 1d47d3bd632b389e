"""The sign-in dialog: at start (when the database has operator accounts), to switch operator, and to
unlock the window after it locked itself when idle (desktop.ui.access_ui).

A refusal is shown in the dialog itself (red, under the fields) and the password is cleared: the
message never says whether the name or the password was wrong (desktop.ops.operators). The sign-in
operation's result is kept in `sign_in_result` for the window's session (`Session.apply`); at start there is
no session yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.access import OperatorRole
from desktop.core.errors import UserError
from desktop.ops.base import Result
from desktop.store import operators
from desktop.store.db import Store
from desktop.store.org import get_org
from desktop.ui.screen_fit import FittedDialog


class SignInDialog(FittedDialog):
    """Ask for an account name and password and sign the store in.

    ``lock_for``: the window is locked for this operator; only he or she, or a 管理员 (who then
    becomes the operator), may unlock it. A locked dialog cannot be dismissed with Esc: only
    退出程序 leaves it (``quit_requested`` tells the caller).
    """

    def __init__(self, store: Store, parent: QWidget | None = None, *, title: str = "登录值班报备台",
                 intro: str = "", name: str = "", lock_for: str | None = None, cancel_text: str = "退出",
                 how: str = "登录"):
        super().__init__(parent)
        self.store = store
        self.lock_for = lock_for
        self.how = how
        self.operator: operators.Operator | None = None
        self.sign_in_result: Result[operators.Operator] | None = None  # the sign-in operation's
        self.quit_requested = False
        self.setWindowTitle(title)
        self.setMinimumWidth(400)
        org = get_org(store)
        heading = QLabel(f"<b style='font-size:13pt; color:#1f4e8c;'>值班报备台</b>"
                         f"<br><span style='color:#5f6b7a;'>{org.name if org else ''}</span>")
        self.intro = QLabel(intro or "这个数据库已启用操作员登录。请输入您的账户名和密码。")
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("账户名")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("密码")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        form = QFormLayout()
        form.addRow("账户名", self.name_edit)
        form.addRow("密码", self.password_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("解锁" if lock_for else "登录")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password_edit if name else self.name_edit).setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password_edit.clear()
        self.password_edit.setFocus()

    def try_sign_in(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.show_error("请填写账户名。")
            self.name_edit.setFocus()
            return
        try:
            op = ops.operators.verify_credentials(self.store, name, self.password_edit.text())
            if (self.lock_for is not None and op.name.casefold() != self.lock_for.casefold()
                    and op.role is not OperatorRole.admin):
                raise UserError(f"窗口锁定期间,只能由 {self.lock_for} 本人或管理员解锁。")
            switching = self.lock_for is not None and op.name.casefold() != self.lock_for.casefold()
            self.sign_in_result = ops.operators.sign_in(self.store, op, "锁定后由管理员登录" if switching else self.how)
            self.operator = self.sign_in_result.value
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.accept()

    def _cancel(self) -> None:
        if self.lock_for is not None:
            self.quit_requested = True
        self.reject()

    def reject(self) -> None:
        # Locked: Esc and the title bar's close button do nothing; only 退出程序 leaves.
        if self.lock_for is not None and not self.quit_requested:
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.lock_for is not None and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)


def sign_in_at_start(store: Store, parent: QWidget | None = None) -> bool:
    """Before the main content is usable: sign in when the database has operator accounts.
    True when signed in or sign-in is off; False when the user chose 退出."""
    import os

    if not operators.accounts_enabled(store):
        return True
    if os.environ.get("DUTYDESK_SMOKE"):
        store.close()
        raise UserError("这个数据库已启用操作员登录,冒烟测试不能代为输入密码。")
    dialog = SignInDialog(store, parent)
    return bool(dialog.exec()) and dialog.operator is not None
