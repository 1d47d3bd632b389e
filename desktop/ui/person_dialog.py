"""The person form (新增/编辑人员): validates as you type and shows what to fix before saving.

With a ``save`` callback the dialog saves itself and stays open when the save is refused; when
another secretary saved the person meanwhile, the conflict dialog's 重新载入 calls
`reload_record`, which fills the form with the stored person (via ``load``) and shows what this
user had typed, so it can be entered again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import UserError
from desktop.core.people import Person, PersonDraft, validate_draft
from desktop.core.profile import Profile
from desktop.core.roles import LEADER_ROLES, Role
from desktop.ui.screen_fit import FittedDialog


class PersonDialog(FittedDialog):
    def __init__(self, profile: Profile | None, units: list[str], leaders: list[Person], person: Person | None = None,
                 portfolio: list[str] | None = None, supervisor: str = "", parent: QWidget | None = None, *,
                 save: Callable[[PersonDialog], bool] | None = None,
                 load: Callable[[], tuple[Person, list[str], str]] | None = None):
        super().__init__(parent)
        self._save = save
        self._load = load
        self.setWindowTitle("编辑人员" if person else "新增人员")
        self.setMinimumWidth(460)
        self._profile = profile
        self.person = person

        self.name = QLineEdit(person.name if person else "")
        self.name.setPlaceholderText("例如:张丽华")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(self._role_text(role), role.value)
        if person:
            self.role.setCurrentIndex(list(Role).index(person.role))
        self.title = QLineEdit(person.title if person else "")
        self.phone = QLineEdit(person.phone if person else "")
        self.phone.setPlaceholderText("手机或座机,带班期间须保持联络畅通")
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(["", *units])
        self.unit.setCurrentText(person.unit if person else "")
        self.supervisor = QComboBox()
        self.supervisor.addItem("(未设置)", "")
        for leader in leaders:
            self.supervisor.addItem(f"{leader.name}({leader.display_title})", leader.name)
        index = self.supervisor.findData(supervisor)
        self.supervisor.setCurrentIndex(max(index, 0))
        self.portfolio = QListWidget()
        self.portfolio.setMaximumHeight(150)
        checked = set(portfolio or [])
        for unit in units:
            item = QListWidgetItem(unit)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit in checked else Qt.CheckState.Unchecked)
            self.portfolio.addItem(item)
        self.note = QLineEdit(person.note if person else "")
        self.active = QCheckBox("在任")
        self.active.setChecked(person.active if person else True)

        form = QFormLayout()
        form.addRow("姓名 *", self.name)
        form.addRow("角色 *", self.role)
        form.addRow("职务", self.title)
        form.addRow("电话", self.phone)
        form.addRow("所在单位", self.unit)
        self._supervisor_label = QLabel("分管领导")
        form.addRow(self._supervisor_label, self.supervisor)
        self._portfolio_label = QLabel("分管单位")
        form.addRow(self._portfolio_label, self.portfolio)
        form.addRow("备注", self.note)
        form.addRow("", self.active)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #1f4e8c;")
        self.notice.hide()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        for edit in (self.name, self.title, self.phone, self.note):
            edit.textChanged.connect(self._revalidate)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_text(self, role: Role) -> str:
        if self._profile is not None:
            title = self._profile.title(role)
            if title and title != role.label:
                return f"{role.label}({title})"
        return role.label

    def current_role(self) -> Role:
        return Role(self.role.currentData())

    def _role_changed(self) -> None:
        role = self.current_role()
        is_head = role in (Role.dept_head, Role.township_head)
        is_leader = role in LEADER_ROLES
        self._supervisor_label.setVisible(is_head)
        self.supervisor.setVisible(is_head)
        self._portfolio_label.setVisible(is_leader)
        self.portfolio.setVisible(is_leader)
        if self._profile is not None:
            self.title.setPlaceholderText(f"例如:{self._profile.title(role)}")
        self._revalidate()

    def draft(self) -> PersonDraft:
        role = self.current_role()
        checked = tuple(self.portfolio.item(i).text() for i in range(self.portfolio.count())
                        if self.portfolio.item(i).checkState() == Qt.CheckState.Checked)
        return PersonDraft(
            name=self.name.text(), role=role, title=self.title.text(), phone=self.phone.text(),
            unit=self.unit.currentText(), note=self.note.text(), active=self.active.isChecked(),
            portfolio=checked if role in LEADER_ROLES else (),
            supervisor=self.supervisor.currentData() if role in (Role.dept_head, Role.township_head) else "",
            rank=self.person.rank if self.person else None,
        )

    def _revalidate(self) -> bool:
        try:
            validate_draft(self.draft())
        except UserError as exc:
            self.problem.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return False
        self.problem.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        return True

    def accept(self) -> None:
        if self._revalidate() and (self._save is None or self._save(self)):
            super().accept()

    def fill(self, person: Person, portfolio: list[str], supervisor: str) -> None:
        """Show ``person`` as stored (after 重新载入)."""
        self.person = person
        self.name.setText(person.name)
        self.role.setCurrentIndex(list(Role).index(person.role))
        self.title.setText(person.title)
        self.phone.setText(person.phone)
        self.unit.setCurrentText(person.unit)
        self.supervisor.setCurrentIndex(max(self.supervisor.findData(supervisor), 0))
        checked = set(portfolio)
        for i in range(self.portfolio.count()):
            item = self.portfolio.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in checked else Qt.CheckState.Unchecked)
        self.note.setText(person.note)
        self.active.setChecked(person.active)
        self._role_changed()

    def reload_record(self, exc: ConcurrentEdit) -> None:
        """重新载入 after a refused save: the stored person in the form, the user's typing as a note."""
        if self._load is None:
            return
        self.fill(*self._load())
        mine = ";".join(f"{c.label}:{c.after}" for c in exc.yours)
        self.notice.setText(f"已载入 {'、'.join(exc.by) or '其他同事'} 保存的最新内容。"
                            + (f"您刚才填写、未保存的内容:{mine}。请核对后重新填写并保存。" if mine else ""))
        self.notice.show()
