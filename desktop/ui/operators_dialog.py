"""操作员账户… (文件 menu): list the accounts, add one, reset a password, change a role, deactivate or
reactivate, and set the idle-lock time. For 管理员; before sign-in is on, for whoever creates the
first 管理员 (who is then signed in: from the next start the database asks for a password).

Every change is an operation (desktop.ops.operators) run through the session, so a refusal (last
管理员, weak password) shows its Chinese message and changes nothing; adding an account calls the
operation in its own dialog (a refusal is shown there) and hands the result to `Session.apply`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core import access
from desktop.core.access import OPERATOR_ROLE_DUTIES, OperatorRole
from desktop.core.errors import UserError
from desktop.ops.base import Result
from desktop.store import operators
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session
from desktop.ui.widgets import ok_cancel, readonly_table


def unit_combo(session: Session, current: str = "") -> QComboBox:
    """The departments and townships a 单位录入员 may be tied to (the unit table)."""
    from desktop.store.dept_rosters import units

    combo = QComboBox()
    combo.addItem("(请选择单位)", "")
    for u in units(session.store):
        combo.addItem(f"{u.name}({u.kind_label})", u.name)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class RoleDialog(FittedDialog):
    """修改角色: the role, and the unit when it is 单位录入员."""

    def __init__(self, session: Session, op: operators.Operator, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("修改角色")
        self.role_combo = QComboBox()
        for role in OperatorRole:
            self.role_combo.addItem(f"{role.label} — {OPERATOR_ROLE_DUTIES[role]}", role.value)
        self.role_combo.setCurrentIndex(list(OperatorRole).index(op.role))
        self.unit_combo = unit_combo(session, op.unit)
        self.role_combo.currentIndexChanged.connect(lambda _i: self.unit_combo.setEnabled(
            self.role() is OperatorRole.unit_clerk))
        self.unit_combo.setEnabled(op.role is OperatorRole.unit_clerk)
        form = QFormLayout()
        form.addRow(f"{op.name} 的角色", self.role_combo)
        form.addRow("所属单位", self.unit_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "确定"))

    def role(self) -> OperatorRole:
        return OperatorRole(self.role_combo.currentData())

    def unit(self) -> str:
        return self.unit_combo.currentData() or "" if self.role() is OperatorRole.unit_clerk else ""


def _password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(f"至少 {access.MIN_PASSWORD_LENGTH} 个字符")
    return edit


class AddOperatorDialog(FittedDialog):
    """Name, display name, role, password twice; the account is created on 确定 (errors shown inline)."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.created: operators.Operator | None = None
        self.added: Result[operators.Operator] | None = None  # the add operation's, for the session
        self.password = ""
        first = not operators.accounts_enabled(session.store)
        self.setWindowTitle("新增操作员")
        self.setMinimumWidth(420)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("登录时输入,例如 wangzr 或 王主任")
        self.display_edit = QLineEdit()
        self.display_edit.setPlaceholderText("可不填,例如“办公室 王主任”")
        self.role_combo = QComboBox()
        for role in OperatorRole:
            self.role_combo.addItem(role.label, role.value)
        self.duties = QLabel()
        self.duties.setWordWrap(True)
        self.duties.setStyleSheet("color: #5f6b7a;")
        self.unit_combo = unit_combo(session)
        self.role_combo.currentIndexChanged.connect(lambda _i: self._role_changed())
        self.duties.setText(OPERATOR_ROLE_DUTIES[OperatorRole.admin])
        self.password_edit = _password_field()
        self.again_edit = _password_field()
        self.again_edit.setPlaceholderText("再输入一次")
        form = QFormLayout()
        form.addRow("账户名", self.name_edit)
        form.addRow("显示名", self.display_edit)
        form.addRow("角色", self.role_combo)
        form.addRow("", self.duties)
        form.addRow("所属单位", self.unit_combo)
        self.unit_combo.setEnabled(False)
        form.addRow("密码", self.password_edit)
        form.addRow("确认密码", self.again_edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout = QVBoxLayout(self)
        if first:
            note = QLabel("这将是第一位管理员:保存后即启用操作员登录,以后打开这个数据库都需要输入账户名和密码。"
                          "请牢记密码(忘记时只能由另一位管理员重设)。")
            note.setWordWrap(True)
            note.setStyleSheet("background: #fff4d6; border: 1px solid #e8c766; padding: 6px;")
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "新增"))

    def role(self) -> OperatorRole:
        return OperatorRole(self.role_combo.currentData())

    def unit(self) -> str:
        return self.unit_combo.currentData() or "" if self.role() is OperatorRole.unit_clerk else ""

    def _role_changed(self) -> None:
        self.duties.setText(OPERATOR_ROLE_DUTIES[self.role()])
        self.unit_combo.setEnabled(self.role() is OperatorRole.unit_clerk)

    def accept(self) -> None:
        if self.password_edit.text() != self.again_edit.text():
            self._fail("两次输入的密码不一致,请重新输入。")
            return
        try:
            # Called here, not through Session.run: a refusal is shown in this dialog, which stays open.
            self.added = ops.operators.add_operator(self.session.store, self.name_edit.text(),
                                                     self.password_edit.text(), self.role(), self.display_edit.text(),
                                                     self.unit())
        except UserError as exc:
            self._fail(str(exc))
            return
        self.created = self.added.value
        self.password = self.password_edit.text()
        super().accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class PasswordDialog(FittedDialog):
    """A new password, twice."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"重设 {name} 的密码")
        self.password_edit = _password_field()
        self.again_edit = _password_field()
        self.again_edit.setPlaceholderText("再输入一次")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        form = QFormLayout()
        form.addRow("新密码", self.password_edit)
        form.addRow("确认密码", self.again_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"为账户 {name} 设置新密码;连续输错造成的等待随之清除。"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "重设"))

    def accept(self) -> None:
        if self.password_edit.text() != self.again_edit.text():
            self.error.setText("两次输入的密码不一致,请重新输入。")
            self.error.show()
            return
        super().accept()

    def password(self) -> str:
        return self.password_edit.text()


class OperatorsDialog(FittedDialog):
    HEADERS = ("账户名", "显示名", "角色", "状态", "上次登录")

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.signed_in_changed = False  # the first 管理员 was created and signed in here
        self.setWindowTitle("操作员账户")
        self.resize(680, 420)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table = readonly_table(self.HEADERS)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("新增…")
        self.add_button.clicked.connect(self.add)
        self.password_button = QPushButton("重设密码…")
        self.password_button.clicked.connect(self.reset_password)
        self.role_button = QPushButton("修改角色…")
        self.role_button.clicked.connect(self.change_role)
        self.active_button = QPushButton("停用")
        self.active_button.clicked.connect(self.toggle_active)
        side = QVBoxLayout()
        for button in (self.add_button, self.password_button, self.role_button, self.active_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSuffix(" 分钟")
        self.idle_spin.setSpecialValueText("不自动锁定")
        self.idle_button = QPushButton("设置")
        self.idle_button.clicked.connect(self.save_idle)
        idle = QHBoxLayout()
        idle.addWidget(QLabel("无人操作多久后锁定窗口:"))
        idle.addWidget(self.idle_spin)
        idle.addWidget(self.idle_button)
        idle.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        idle.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(middle, 1)
        layout.addLayout(idle)
        self.reload()

    # -- data
    def reload(self) -> None:
        store = self.session.store
        selected = self.selected_name()
        listed = operators.list_operators(store)
        self.table.setRowCount(len(listed))
        for row, op in enumerate(listed):
            cells = (op.name, op.display_name, op.role_text, "在用" if op.active else "已停用",
                     (op.last_login_at or "从未登录").replace("T", " ")[:16])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, op.name)
                if not op.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
        if selected is not None:
            self.select(selected)
        enabled = operators.accounts_enabled(store)
        if enabled:
            self.hint.setText(f"已启用操作员登录。当前操作员:{store.operator}。账户不会删除,停用后保留其审计记录。"
                              "管理员管理人员、规则和账户;录入员登记和办理;只读只能查看和打印。")
        else:
            self.hint.setText("尚未启用操作员登录:现在任何人打开都能修改数据,审计记录记为电脑登录名。"
                              "新增第一位管理员即启用登录。")
        self.idle_spin.setValue(operators.idle_lock_minutes(store))
        self.idle_spin.setEnabled(enabled)
        self.idle_button.setEnabled(enabled)
        self._update_buttons()

    def selected_name(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(row)
                return

    def _selected(self) -> operators.Operator | None:
        name = self.selected_name()
        return operators.find_operator(self.session.store, name) if name else None

    def _update_buttons(self) -> None:
        op = self._selected()
        for button in (self.password_button, self.role_button, self.active_button):
            button.setEnabled(op is not None)
        self.active_button.setText("启用" if op is not None and not op.active else "停用")

    # -- operations
    def add(self) -> None:
        store = self.session.store
        first = not operators.accounts_enabled(store)
        dialog = AddOperatorDialog(self.session, self)
        if not dialog.exec() or dialog.added is None:
            return
        created = self.session.apply(dialog.added)
        if first and operators.accounts_enabled(store) and store.role is None:
            # The one who created the first 管理员 goes on as that 管理员 (sign-in is on from now).
            self.session.apply(ops.operators.authenticate(store, created.name, dialog.password, "新增第一位管理员后登录"))
            self.signed_in_changed = True
            QMessageBox.information(self, "已启用操作员登录",
                                    f"已新增管理员 {created.label},并以该账户登录。以后打开这个数据库需要输入账户名和密码;"
                                    "离开座位时可用 文件 → 锁定(Ctrl+Alt+L)。")
        self.reload()
        self.select(created.name)

    def reset_password(self) -> None:
        op = self._selected()
        if op is None:
            return
        dialog = PasswordDialog(op.name, self)
        if dialog.exec() and self.session.run(self, ops.operators.set_password, op.name, dialog.password()):
            QMessageBox.information(self, "已重设密码", f"已重设 {op.name} 的密码。")
        self.reload()

    def change_role(self) -> None:
        op = self._selected()
        if op is None:
            return
        dialog = RoleDialog(self.session, op, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.session.run(self, ops.operators.set_role, op.name, dialog.role(), op.version, dialog.unit())
        self.reload()

    def toggle_active(self) -> None:
        op = self._selected()
        if op is None:
            return
        if op.active:
            answer = QMessageBox.question(self, "停用操作员",
                                          f"停用 {op.label}?停用后不能再登录;账户和审计记录保留,可以重新启用。")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.run(self, ops.operators.set_active, op.name, not op.active, op.version)
        self.reload()

    def save_idle(self) -> None:
        if self.session.run(self, ops.operators.set_idle_lock_minutes, self.idle_spin.value()) is not None:
            self.reload()
