"""人员 page: people in protocol order, with editing, rank moves, deactivation, AB pairs and import."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.people import Person
from desktop.core.roles import LEADER_ROLES, Role
from desktop.ops.base import Changes, Entity
from desktop.store import people
from desktop.ui.history_dialog import HISTORY_SHORTCUT, show_history
from desktop.ui.people_model import PeopleModel, PersonRow, Roles
from desktop.ui.person_dialog import PersonDialog
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error, warn_if_changed_elsewhere
from desktop.ui.widgets import empty_hint, ok_cancel


class PeoplePage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = PeopleModel(on_reorder=self._reorder, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setDropIndicatorShown(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        empty_hint(self.table, lambda: "没有符合搜索的人员。" if self.search.text().strip() else
                   "还没有人员。点“新增”(Ctrl+N)逐个录入领导班子,或点“导入名单…”(Ctrl+I)从 Excel/CSV 导入;"
                   "之后在这里调整排名、设置分管单位和AB角。")

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索姓名、职务、单位、电话(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.show_inactive = QCheckBox("显示已停用")
        self.show_inactive.toggled.connect(self.reload)
        self.count_label = QLabel()

        bar = QToolBar()
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("add", "新增", QKeySequence.StandardKey.New, self.add),
            ("edit", "编辑", QKeySequence("Ctrl+E"), self.edit_selected),
            ("up", "上移", QKeySequence("Ctrl+Up"), lambda: self.move(-1)),
            ("down", "下移", QKeySequence("Ctrl+Down"), lambda: self.move(1)),
            ("active", "停用/启用", QKeySequence("Ctrl+D"), self.toggle_active),
            ("ab", "设置AB角…", QKeySequence("Ctrl+B"), self.set_ab),
            ("import", "导入名单…", QKeySequence("Ctrl+I"), self.import_file),
            ("history", "历史记录", QKeySequence(HISTORY_SHORTCUT), self.show_history),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setToolTip(f"{text}({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(slot)
            bar.addAction(action)
            self.actions[key] = action
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.actions[k] for k in ("edit", "history", "active", "ab")])
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)

        top = QHBoxLayout()
        top.addWidget(bar)
        top.addStretch(1)
        top.addWidget(self.show_inactive)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        hint = QLabel("按排名排列;拖动行或用“上移/下移”调整排名。停用的人员保留全部历史记录。")
        hint.setStyleSheet("color: #666;")
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.count_label)
        layout.addLayout(bottom)

        session.changed.connect(self._on_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.reload()

    # -- data
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.person, Entity.ab_pair, Entity.unit, Entity.org, Entity.operator):
            self.reload()

    def reload(self) -> None:
        selected = self.selected_id()
        store = self.session.store
        profile = self.session.profile
        everyone = ops.scope.visible_people(store, people.list_people(store, active_only=not self.show_inactive.isChecked()))
        partner: dict[int, str] = {}
        for a, b in people.ab_pairs(store):
            partner[a.id], partner[b.id] = b.name, a.name
        units, supervisor = people.portfolios(store), people.supervisors(store)  # two queries, not two per row
        rows = []
        for p in everyone:
            if p.role in LEADER_ROLES:
                extra = "、".join(units.get(p.id, []))
                extra = f"分管:{extra}" if extra else ""
            elif p.unit and p.role in (Role.dept_head, Role.township_head):
                sup = supervisor.get(p.unit)
                extra = f"{p.unit}(分管领导:{sup})" if sup else p.unit
            else:
                extra = p.unit
            title = p.title or (profile.title(p.role) if profile else p.role.label)
            rows.append(PersonRow(person=p, title=title, portfolio=extra, partner=partner.get(p.id, "")))
        self.model.set_rows(rows)
        active = sum(1 for r in rows if r.person.active)
        self.count_label.setText(f"共 {len(rows)} 人(在任 {active} 人)")
        if selected is not None:
            self.select_id(selected)
        self._update_actions()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        # Drag-reordering a filtered view would move people relative to hidden rows.
        self.table.setDragEnabled(not text.strip() and self.session.can("people"))

    # -- selection
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(Roles.PersonId) if rows else None

    def select_id(self, person_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Roles.PersonId) == person_id:
                self.table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return

    def _update_actions(self) -> None:
        has = self.selected_id() is not None
        can = self.session.can("people")  # 管理员 only once sign-in is on (desktop.core.access)
        for key in ("edit", "up", "down", "active", "ab", "history"):
            self.actions[key].setEnabled(has and (can or key == "history"))
        for key in ("add", "import"):
            self.actions[key].setEnabled(can)
        self.table.setDragEnabled(can and not self.search.text().strip())

    # -- operations
    def _dialog(self, person=None, **hooks) -> PersonDialog:
        store = self.session.store
        units = [name for name, _kind in people.list_units(store)]
        leaders = people.list_people(store, active_only=True, roles=LEADER_ROLES)
        _person, portfolio, supervisor = self._stored(person.id) if person else (None, [], "")
        return PersonDialog(self.session.profile, units, leaders, person, portfolio, supervisor, self, **hooks)

    def _stored(self, pid: int) -> tuple[Person, list[str], str]:
        """The person as stored now, with his or her 分管单位 and 分管领导 (the form's extra fields)."""
        store = self.session.store
        person = people.get_person(store, pid)
        sup = people.supervisor_of_unit(store, person.unit) if person.unit else None
        return person, people.portfolio_of(store, pid), sup.name if sup else ""

    def add(self) -> None:
        dialog = self._dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            person = self.session.run(self, ops.people.add_person, dialog.draft())
            if person:
                self.select_id(person.id)

    def edit_selected(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        person = people.get_person(self.session.store, pid)

        def save(d: PersonDialog) -> bool:  # stays open when refused (重新载入 after a conflict)
            assert d.person is not None
            return self.session.run(d, ops.people.update_person, pid, d.draft(), d.person.version,
                                    seen=d.person) is not None

        dialog = self._dialog(person, save=save, load=lambda: self._stored(pid))
        warn_if_changed_elsewhere(dialog, self.session, Entity.person, pid)
        dialog.exec()

    def show_history(self) -> None:
        """历史记录 of the selected person: edits, rank moves, AB pairs — who, when, before → after."""
        pid = self.selected_id()
        if pid is not None:
            person = people.get_person(self.session.store, pid)
            show_history(self, self.session.store, "person", pid, f"{person.name}({person.display_title})")

    def move(self, delta: int) -> None:
        pid = self.selected_id()
        if pid is not None:
            self.session.run(self, ops.people.move, pid, delta)

    def _reorder(self, ids: list[int]) -> None:
        self.session.run(self, ops.people.reorder, ids)

    def toggle_active(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        person = people.get_person(self.session.store, pid)
        if person.active:
            answer = QMessageBox.question(
                self, "停用人员", f"停用“{person.name}”后,他/她不再出现在排班和报备中,历史记录全部保留,可随时启用。\n确定停用吗?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.run(self, ops.people.set_active, pid, not person.active)

    def set_ab(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        store = self.session.store
        person = people.get_person(store, pid)
        if person.role not in people.AB_ROLES:
            show_error(self, f"{person.name}是{person.role.label}。AB角在副职等政府领导之间设置,请选择一位副职。")
            return
        dialog = AbDialog(person, [p for p in people.list_people(store, active_only=True, roles=people.AB_ROLES)
                                   if p.id != pid], people.ab_partner(store, pid), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        partner_id = dialog.partner.currentData()
        if partner_id is None:
            self.session.run(self, ops.people.clear_ab, person)
        else:
            self.session.run(self, ops.people.set_ab, person, people.get_person(store, partner_id))

    def import_file(self, path: str | None = None) -> None:
        """Ask for the file (unless ``path``), then map, check and import it in one dialog."""
        from desktop.ui import people_import_dialog

        people_import_dialog.open_people_import(self.session, self, path or None)


class AbDialog(FittedDialog):
    def __init__(self, person, candidates, current, parent=None):
        super().__init__(parent)
        self.setWindowTitle("设置AB角")
        self.partner = QComboBox()
        self.partner.addItem("(不设AB角)", None)
        for c in candidates:
            self.partner.addItem(f"{c.name}({c.display_title})", c.id)
        if current is not None:
            self.partner.setCurrentIndex(max(self.partner.findData(current.id), 0))
        label = QLabel(f"与“{person.name}”互为AB角的领导:\n一方外出期间,由另一方代行公务接待、出席会议、参加活动、处置突发事件等职责。")
        label.setWordWrap(True)
        buttons = ok_cancel(self, "确定")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.partner)
        layout.addWidget(buttons)
