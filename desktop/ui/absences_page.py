"""外出/请假 page: the records with filters and search, the pending steps, and the lifecycle actions.

The list is lazy (`AbsenceListModel`: ids of the query, rows fetched by page), so a database of
200,000 records opens as fast as one of twenty. Every change is one store operation run through
`Session.run` (新增, 办理, 退回, 销假, 撤回, 取消); the page reloads on `session.changed`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.absence import (
    Absence,
    AbsenceState,
    DisplayState,
    Half,
    format_span,
    return_note,
)
from desktop.core.chain import (
    ResolvedStep,
    StepState,
    current_stage,
    only_notices_pending,
    outcome_label,
    pending_text,
    waiting_text,
)
from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import UserError
from desktop.core.profile import StepAction
from desktop.core.roles import AbsenceKind
from desktop.ops.base import Changes, Entity
from desktop.store import absences, people
from desktop.store.absences import AbsenceQuery, absence_ids
from desktop.ui.absence_form import AbsenceForm, steps_html
from desktop.ui.absence_model import (
    COL_ACTING,
    COL_DEST,
    COL_ID,
    COL_KIND,
    COL_LEAVES,
    COL_NAME,
    COL_REPORTED,
    COL_SPAN,
    COL_STATE,
    COL_TITLE,
    STATE_COLOURS,
    AbsenceListModel,
    AbsenceRow,
    Roles,
    RowSource,
    reported_text,
)
from desktop.ui.history_dialog import HISTORY_SHORTCUT, show_history
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error, warn_if_changed_elsewhere
from desktop.ui.widgets import date_edit, empty_hint, ok_cancel, pydate, qdate

ACTION_BY_LABEL = {a.label: a for a in StepAction}
SEARCH_DELAY_MS = 250
COLUMN_WIDTHS = {COL_ID: 50, COL_NAME: 64, COL_TITLE: 96, COL_KIND: 70, COL_SPAN: 180, COL_DEST: 70,
                 COL_LEAVES: 44, COL_ACTING: 112, COL_STATE: 82, COL_REPORTED: 170}
COLUMN_MAX_WIDTH = 360  # a column widened to its content stops here (a long 事由 or 目的地 is in the tooltip)


def _who(step: ResolvedStep) -> str:
    """市长 王建国 / 市政府办公室 / 常务副市长 李志强(代市长)."""
    if step.assignee_name and step.assignee_name not in step.target_text:
        return f"{step.target_text} {step.assignee_name}"
    return step.target_text


def record_title(row: AbsenceRow) -> str:
    r = row.record
    return f"{row.name}({row.title}) {r.kind.label} {format_span(r.start, r.start_half, r.end, r.end_half)}"


# ------------------------------------------------------------------------------------------
# Dialogs
# ------------------------------------------------------------------------------------------


class StepDialog(FittedDialog):
    """办理下一步 / 退回: who did the current step (its assignee, the away approver, or the office)."""

    def __init__(self, title: str, steps: list[ResolvedStep], doers: list[str], *, reject: bool, parent=None):
        super().__init__(parent)
        self.reject_mode = reject
        self.setWindowTitle("退回" if reject else "办理下一步")
        self.setMinimumWidth(520)
        stage = current_stage(steps)
        pending = [s for s in steps if s.stage == stage and s.state is StepState.pending]
        lines = "<br>".join(f"{s.seq}. {escape(s.label)} — <b>{escape(_who(s))}</b>"
                            + (f'<br><span style="color:#a05a00;">{escape(s.note)}</span>' if s.note else "")
                            for s in pending)  # fmt: skip
        intro = QLabel(f"{escape(title)}<br><br>当前待办:<br>{lines}")
        intro.setWordWrap(True)
        # Who may do it (ops.absences.step_doers): the acting leader first when the approver is away,
        # then the approver; for an office step the signed-in operator, and any clerk's name may be
        # typed (only an office step: a leader's step is done by a leader of the list).
        self.who = QComboBox()
        office = any(not s.is_person_step for s in pending)
        self.who.setEditable(office)
        for name in doers:
            self.who.addItem(name)
        self.who.setToolTip("实际签批(或办理)的人:审批人外出时,代行人列在前面,也可由本人远程办理"
                            + (";办公室的步骤默认为当前操作员,可改写为经办人姓名" if office else ""))
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("退回理由(将告知申请人)" if reject else "意见(可不填),如:同意")
        form = QFormLayout()
        form.addRow("办理人 *", self.who)
        form.addRow("退回理由 *" if reject else "意见", self.comment)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.buttons = ok_cancel(self, "退回" if reject else "办理")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.who.editTextChanged.connect(self._validate)
        self.comment.textChanged.connect(self._validate)
        self._validate()

    def values(self) -> tuple[str, str]:
        return self.who.currentText().strip(), self.comment.text().strip()

    def _validate(self) -> bool:
        who, comment = self.values()
        problem = "请填写办理人。" if not who else ("退回时请填写理由。" if self.reject_mode and not comment else "")
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def accept(self) -> None:
        if self._validate():
            super().accept()


class ReturnDialog(FittedDialog):
    """销假: the last day actually away, and whether back by noon."""

    def __init__(self, title: str, record: Absence, today: dt.date, parent=None):
        super().__init__(parent)
        self.record = record
        self.setWindowTitle("销假")
        self.setMinimumWidth(460)
        self.on = date_edit(max(record.start, min(today, record.end)))
        self.half = QComboBox()
        self.half.addItem("全天(当天晚上返回)", Half.full.value)
        self.half.addItem("上午(中午前返回)", Half.am.value)
        self.note = QLabel()
        intro = QLabel(f"{escape(title)}<br>计划:{escape(record.span_text)}")
        intro.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.on, 1)
        row.addWidget(self.half)
        form = QFormLayout()
        form.addRow("最后外出日 *", row)
        form.addRow("", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "销假"))
        self.on.dateChanged.connect(self._update)
        self.half.currentIndexChanged.connect(self._update)
        self._update()

    def values(self) -> tuple[dt.date, Half]:
        return pydate(self.on.date()), Half(self.half.currentData())

    def _update(self) -> None:
        on, half = self.values()
        done = dataclasses.replace(self.record, actual_return=on, actual_return_half=half)
        self.note.setText(return_note(done))


class ExtendDialog(FittedDialog):
    """延期: a new planned end for a granted record (the first plan stays in the record's history)."""

    def __init__(self, title: str, record: Absence, parent=None):
        super().__init__(parent)
        self.setWindowTitle("延期或提前结束")
        self.setMinimumWidth(460)
        self.end = date_edit(record.end)
        self.half = QComboBox()
        self.half.addItem("全天", Half.full.value)
        self.half.addItem("上午止", Half.am.value)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如:会议延长一天")
        intro = QLabel(f"{escape(title)}<br>现计划:{escape(record.span_text)}")
        intro.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.end, 1)
        row.addWidget(self.half)
        form = QFormLayout()
        form.addRow("新的结束日期 *", row)
        form.addRow("原因", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "修改"))

    def values(self) -> tuple[dt.date, Half, str]:
        return pydate(self.end.date()), Half(self.half.currentData()), self.reason.text()


class ReasonDialog(FittedDialog):
    """撤回 / 取消: the reason is required (kept with the record and in the audit log)."""

    def __init__(self, title: str, prompt: str, ok_text: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如:会议延期,行程取消")
        self.buttons = ok_cancel(self, ok_text)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._validate)
        self._validate()

    def text(self) -> str:
        return self.reason.text().strip()

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text()))


def record_html(row: AbsenceRow, steps: list[ResolvedStep], jurisdiction_label: str) -> str:
    """The record, its state and its chain with who did what when (查看流程 and the side panel)."""
    e = escape
    r = row.record
    colour = STATE_COLOURS[row.display]
    facts = [("类型", r.kind.label), ("时间", r.span_text), ("目的地", r.destination), ("事由", r.reason),
             (jurisdiction_label, "是" if r.leaves_jurisdiction else "否"),
             ("报告时间", reported_text(r) + (" (紧急)" if r.urgent else "")),
             ("代行", row.acting + (",按规则确定" if row.acting_by_rule and row.acting else "")),
             ("联系方式", r.contact)]
    if r.state is AbsenceState.returned:
        facts.append(("销假", return_note(r)))
    if r.state_note:
        facts.append(("理由", r.state_note))
    parts = [f'<p><b>{e(row.name)}</b>({e(row.title)}) 编号 {r.id} '
             f'<span style="color:{colour}; font-weight:bold;">{e(row.display.label)}</span></p>',
             '<table cellspacing="0" cellpadding="2">']
    parts += [f'<tr><td style="color:#5f6b7a;">{e(k)}</td><td>{e(v) or "—"}</td></tr>' for k, v in facts]
    parts.append("</table>")
    if row.late:
        parts.append(f'<p style="color:#b3261e;">[迟报] {e(row.late_text)}</p>')
    parts.append("<p><b>流程</b></p>")
    parts.append(steps_html(steps, with_state=True) if steps else '<p style="color:#5f6b7a;">无需报告或审批。</p>')
    return "".join(parts)


class StepsDialog(FittedDialog):
    """查看流程: the record and every step with who did it, when, the comments and substitution notes."""

    def __init__(self, html: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("查看流程")
        self.resize(640, 520)
        self.view = QTextBrowser()
        self.view.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


# ------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------


class AbsencesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        profile = session.profile
        self.jurisdiction_label = (profile.jurisdiction_label if profile and profile.jurisdiction_label
                                   else "离开辖区")  # fmt: skip
        self.source = RowSource(self.store, profile)
        self.model = AbsenceListModel(self.source.fetch, jurisdiction_label=self.jurisdiction_label, parent=self)
        self.pending_filter: tuple[str, StepAction] | None = None

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents: it reads rows
        empty_hint(self.table, lambda: "没有符合筛选条件的记录。点“显示全部”清除筛选。" if self._filtered() else
                   "还没有外出或请假记录。点“新增”(Ctrl+N)登记一次外出报备或请假:填写时即显示代行人、"
                   "按规则生成的报告和审批步骤以及迟报提醒。")
        header.setStretchLastSection(True)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _i: self.show_steps())

        # filters
        self.person_filter = QComboBox()
        self.person_filter.setMaxVisibleItems(20)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("全部类型", None)
        for kind in AbsenceKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.state_filter = QComboBox()
        self.state_filter.addItem("全部状态", None)
        for state in DisplayState:
            self.state_filter.addItem(state.label, state.value)
        self.month_check = QCheckBox("按月")
        self.month_edit = QDateEdit(qdate(self.store.clock.today()))
        self.month_edit.setDisplayFormat("yyyy年M月")
        self.month_edit.setEnabled(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索姓名、目的地、事由(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        for combo in (self.person_filter, self.kind_filter, self.state_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)
            combo.currentIndexChanged.connect(self.apply_filters)
        self.month_check.toggled.connect(self.month_edit.setEnabled)
        self.month_check.toggled.connect(self.apply_filters)
        self.month_edit.dateChanged.connect(lambda _d: self.month_check.isChecked() and self.apply_filters())

        # actions
        bar = QToolBar()
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("add", "新增", QKeySequence(QKeySequence.StandardKey.New), self.add),
            ("submit", "报送", QKeySequence("Ctrl+Shift+S"), self.submit_selected),
            ("advance", "办理下一步…", QKeySequence("Ctrl+Return"), self.advance_selected),
            ("reject", "退回…", QKeySequence("Ctrl+Shift+Return"), self.reject_selected),
            ("return", "销假…", QKeySequence("Ctrl+R"), self.return_selected),
            ("extend", "延期…", QKeySequence("Ctrl+Shift+Y"), self.extend_selected),
            ("withdraw", "撤回…", QKeySequence("Ctrl+Shift+W"), self.withdraw_selected),
            ("cancel", "取消…", QKeySequence("Ctrl+Shift+Del"), self.cancel_selected),
            ("steps", "查看流程", QKeySequence("Ctrl+L"), self.show_steps),
            ("print", "打印审批表…", QKeySequence(QKeySequence.StandardKey.Print), self.print_form),
            ("notify", "通报文本…", QKeySequence("Ctrl+T"), self.notification),
            ("history", "历史记录", QKeySequence(HISTORY_SHORTCUT), self.show_history),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setToolTip(f"{text.rstrip('…')}({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(slot)
            bar.addAction(action)
            self.actions[key] = action
            if key in ("add", "cancel", "steps"):
                bar.addSeparator()
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)
        refresh = QAction(self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.reload)
        self.addAction(refresh)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("人员"))
        filters.addWidget(self.person_filter)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.month_check)
        filters.addWidget(self.month_edit)
        filters.addWidget(self.search, 1)
        self.count_label = QLabel()
        self.filter_label = QLabel()
        self.filter_label.setStyleSheet("color: #a05a00;")
        self.clear_filter_button = QPushButton("显示全部")
        self.clear_filter_button.clicked.connect(self.clear_filters)
        bottom = QHBoxLayout()
        bottom.addWidget(self.filter_label)
        bottom.addWidget(self.clear_filter_button)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(bar)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(bottom)

        # the secretary's side panel: what waits for whom, and the selected record
        pending_title = QLabel("待办(点击筛选)")
        pending_title.setStyleSheet("font-weight: bold; color: #22304a;")
        self.pending_list = QListWidget()
        self.pending_list.setMaximumHeight(170)
        self.pending_list.itemClicked.connect(self._pending_clicked)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        detail_title = QLabel("所选记录")
        detail_title.setStyleSheet("font-weight: bold; color: #22304a;")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(pending_title)
        right_layout.addWidget(self.pending_list)
        right_layout.addWidget(detail_title)
        right_layout.addWidget(self.detail, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 280])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        session.changed.connect(self._on_changed)
        self._fill_people()
        self.reload()

    # -- data
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.person, Entity.ab_pair, Entity.org):
            self._fill_people()
        if changes.touches(Entity.absence, Entity.person, Entity.ab_pair, Entity.org, Entity.designation,
                           Entity.meeting_leave, Entity.calendar):
            self.reload()

    def _fill_people(self) -> None:
        current = self.person_filter.currentData()
        self.person_filter.blockSignals(True)
        self.person_filter.clear()
        self.person_filter.addItem("全部人员", None)
        for p in ops.scope.visible_people(self.store, people.list_people(self.store)):  # 单位录入员: his unit
            self.person_filter.addItem(p.name if p.active else f"{p.name}(已停用)", p.id)
        self.person_filter.setCurrentIndex(max(self.person_filter.findData(current), 0))
        self.person_filter.blockSignals(False)

    def query(self) -> AbsenceQuery:
        kind = self.kind_filter.currentData()
        state = self.state_filter.currentData()
        month = None
        if self.month_check.isChecked():
            m = self.month_edit.date()
            month = (m.year(), m.month())
        return AbsenceQuery(person_id=self.person_filter.currentData(), kind=AbsenceKind(kind) if kind else None,
                            state=DisplayState(state) if state else None, month=month, text=self.search.text(),
                            pending=self.pending_filter, unit=ops.scope.unit_of(self.store))

    def apply_filters(self) -> None:
        self.search_timer.stop()
        self.reload()

    def reload(self) -> None:
        selected = self.selected_id()
        self.source.refresh(self.session.profile)
        ids = absence_ids(self.store, self.query(), self.store.clock.today())
        self.model.set_ids(ids)
        self._fit_columns()
        unit = ops.scope.unit_of(self.store)
        if unit is None:
            total = self.store.conn.execute("SELECT COUNT(*) FROM absence").fetchone()[0]
        else:  # a 单位录入员 is told of his own unit's records only
            total = len(absence_ids(self.store, AbsenceQuery(unit=unit), self.store.clock.today()))
        shown = f"{len(ids):,}"
        self.count_label.setText(f"共 {shown} 条" if len(ids) == total else f"显示 {shown} 条(共 {total:,} 条)")
        self._fill_pending()
        if selected is not None:
            self.select_id(selected)
        self._selection_changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_columns)  # the rows on screen are known once the table is laid out

    def _fit_columns(self) -> None:
        """Widen a column to its content (the rows on screen: the model loads lazily, and a header in
        ResizeToContents mode would read every row), up to a cap; never narrow one the user widened."""
        if not self.table.isVisible():  # a hidden table's size hint reads every row; showEvent comes back
            return
        # sizeHintForColumn reads the rows on screen only (the horizontal header's precision: 0)
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        for col in range(self.model.columnCount()):
            wanted = min(self.table.sizeHintForColumn(col), COLUMN_MAX_WIDTH)
            if wanted > self.table.columnWidth(col):
                self.table.setColumnWidth(col, wanted)

    def _fill_pending(self) -> None:
        self.pending_list.blockSignals(True)
        self.pending_list.clear()
        rows = ops.absences.pending(self.store, self.session.profile)  # routed for today
        shown_as = {}
        for row in rows:
            item = QListWidgetItem(pending_text(row.row))
            item.setData(Qt.ItemDataRole.UserRole, (row.key[0], row.key[1].label))
            item.setToolTip("点击只显示等待这一步的记录")
            self.pending_list.addItem(item)
            shown_as.setdefault(row.key, row.target_text)
            if self.pending_filter == row.key:
                item.setSelected(True)
        if not rows:
            item = QListWidgetItem("没有待办的审批步骤")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.pending_list.addItem(item)
        self.pending_list.blockSignals(False)
        if self.pending_filter is not None:
            target, action = self.pending_filter
            self.filter_label.setText(f"仅显示:{waiting_text(shown_as.get(self.pending_filter, target), action.label)}")
        else:
            self.filter_label.setText("")
        self.clear_filter_button.setVisible(self.pending_filter is not None or self._filtered())

    def pending_rows(self) -> list[str]:
        return [self.pending_list.item(i).text() for i in range(self.pending_list.count())
                if self.pending_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]

    def _filtered(self) -> bool:
        q = self.query()
        return any((q.person_id, q.kind, q.state, q.month, q.text.strip()))

    def _pending_clicked(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data:
            return
        target, label = data
        self.filter_pending(target, ACTION_BY_LABEL[label])

    def filter_pending(self, target: str, action: StepAction) -> None:
        """Show only the records waiting for this step now (the other filters are cleared)."""
        self.pending_filter = (target, action)
        self._reset_filter_widgets()
        self.reload()

    def _reset_filter_widgets(self) -> None:
        for w in (self.person_filter, self.kind_filter, self.state_filter, self.month_check, self.search):
            w.blockSignals(True)
        self.person_filter.setCurrentIndex(0)
        self.kind_filter.setCurrentIndex(0)
        self.state_filter.setCurrentIndex(0)
        self.month_check.setChecked(False)
        self.month_edit.setEnabled(False)
        self.search.clear()
        for w in (self.person_filter, self.kind_filter, self.state_filter, self.month_check, self.search):
            w.blockSignals(False)

    def clear_filters(self) -> None:
        self.pending_filter = None
        self._reset_filter_widgets()
        self.reload()

    # -- selection
    def selected_id(self) -> int | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        return rows[0].data(Roles.AbsenceId) if rows else None

    def selected_row(self) -> AbsenceRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_id(self, absence_id: int) -> bool:
        row = self.model.row_of(absence_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        row = self.selected_row()
        record = row.record if row else None
        today = self.store.clock.today()
        state = record.state if record else None
        steps = self._steps(record) if record is not None else []
        # a returned record may still wait for its filing; one waiting only for a filing may be returned,
        # extended or cancelled
        open_chain = state is AbsenceState.returned and current_stage(steps) is not None
        notices_only = state is AbsenceState.in_progress and only_notices_pending(steps)
        enabled = {
            "submit": state is AbsenceState.draft,
            "advance": state is AbsenceState.in_progress or open_chain,
            "reject": state is AbsenceState.in_progress,
            "return": (state in (AbsenceState.approved, AbsenceState.submitted) or notices_only) and record.start <= today,
            "extend": state in (AbsenceState.approved, AbsenceState.submitted) or notices_only,
            "withdraw": state in (AbsenceState.draft, AbsenceState.submitted, AbsenceState.in_progress),
            "cancel": (state in (AbsenceState.approved, AbsenceState.submitted) or notices_only) and today < record.start,
            "steps": record is not None,
            "print": record is not None,
            "notify": record is not None,
            "history": record is not None,
        }
        can = self.session.can("record")  # 只读 may look and print, not record (desktop.core.access)
        files = self.session.can("unit_record")  # a 单位录入员 files his unit's records; the office does the steps
        for key in ("submit", "return", "extend", "withdraw", "cancel"):
            enabled[key] = enabled[key] and files
        for key in ("advance", "reject"):
            enabled[key] = enabled[key] and can
        self.actions["add"].setEnabled(files)
        for key, on in enabled.items():
            self.actions[key].setEnabled(bool(on))
        if row is None:
            self.detail.setHtml('<p style="color:#5f6b7a;">选择一条记录查看详情和流程。双击打开流程。</p>')
        else:
            self.detail.setHtml(record_html(row, steps, self.jurisdiction_label))

    def _steps(self, record: Absence) -> list[ResolvedStep]:
        """The record's steps as they stand today (a step whose approver is away today shows who acts)."""
        return ops.absences.steps_today(self.store, self.session.profile, record.id, record)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.select_id(index.data(Roles.AbsenceId))
        menu = QMenu(self)
        for key in ("submit", "advance", "reject", "return", "extend", "withdraw", "cancel", None, "steps", "history", "print", "notify", None, "add"):
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[key])
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def _current(self) -> tuple[AbsenceRow, Absence] | None:
        """The selected row and the record as stored now (the row may be a page read earlier)."""
        row = self.selected_row()
        if row is None:
            return None
        try:
            return row, absences.get_absence(self.store, row.record.id)
        except UserError as exc:
            show_error(self, str(exc))
            return None

    def show_history(self) -> None:
        """历史记录 of the selected record: every change, who and when (from the audit log)."""
        row = self.selected_row()
        if row is not None:
            show_history(self, self.store, "absence", row.record.id, f"编号 {row.record.id} {record_title(row)}")

    def reload_record(self, exc: ConcurrentEdit) -> None:
        """重新载入 after a refused save (someone else changed the record): the list and its detail."""
        self.reload()
        if exc.entity_id is not None and not self.select_id(exc.entity_id):
            self.clear_filters()
            self.select_id(exc.entity_id)
        self._status(f"已重新载入编号 {exc.entity_id} 的最新内容,请核对后再操作。")

    # -- operations
    def add(self) -> None:
        form = AbsenceForm(self.session, self, person_id=self.person_filter.currentData())
        if form.exec() == QDialog.DialogCode.Accepted and form.saved is not None:
            record = form.saved.record
            if not self.select_id(record.id):
                self.clear_filters()
                self.select_id(record.id)
            self._status(f"已登记编号 {record.id}:{record.kind.label} {record.span_text},{record.state.label}。")

    def advance_selected(self) -> None:
        self._step(reject=False)

    def reject_selected(self) -> None:
        self._step(reject=True)

    def _step(self, reject: bool) -> None:
        current = self._current()
        if current is None:
            return
        row, record = current
        steps = self._steps(record)
        dialog = StepDialog(record_title(row), steps, ops.absences.step_doers(self.store, steps), reject=reject,
                            parent=self)
        warn_if_changed_elsewhere(dialog, self.session, Entity.absence, record.id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        who, comment = dialog.values()
        result = self.session.run(self, ops.absences.advance_absence, record.id, who, reject=reject,
                                  comment=comment, seen=record, profile=self.session.profile)
        if result is not None:
            saved, outcome = result
            self._status(f"编号 {record.id}:{outcome_label(outcome, saved.state.value == 'approved')}。")

    def return_selected(self) -> None:
        current = self._current()
        if current is None:
            return
        row, record = current
        dialog = ReturnDialog(record_title(row), record, self.store.clock.today(), self)
        warn_if_changed_elsewhere(dialog, self.session, Entity.absence, record.id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        on, half = dialog.values()
        saved = self.session.run(self, ops.absences.return_absence, record.id, on, half, seen=record)
        if saved is not None:
            self._status(f"编号 {record.id} 已销假:{return_note(saved)}")

    def submit_selected(self) -> None:
        current = self._current()
        if current is None:
            return
        _row, record = current
        saved = self.session.run(self, ops.absences.submit_draft, self.session.profile, record.id, seen=record)
        if saved is not None:
            self._status(f"编号 {record.id} 已报送,状态:{saved.record.state.label}。")

    def extend_selected(self) -> None:
        current = self._current()
        if current is None:
            return
        row, record = current
        dialog = ExtendDialog(record_title(row), record, self)
        warn_if_changed_elsewhere(dialog, self.session, Entity.absence, record.id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        end, half, reason = dialog.values()
        saved = self.session.run(self, ops.absences.extend_absence, record.id, end, half, reason, seen=record)
        if saved is not None:
            self._status(f"编号 {record.id} 计划改为 {saved.span_text}。")

    def withdraw_selected(self) -> None:
        self._close_record("withdraw", "撤回", "撤回后记录保留,不再计入外出,流程终止。请填写撤回理由:")

    def cancel_selected(self) -> None:
        self._close_record("cancel", "取消", "取消尚未开始的外出。记录保留,不再计入外出。请填写取消理由:")

    def _close_record(self, action: str, verb: str, prompt: str) -> None:
        current = self._current()
        if current is None:
            return
        row, record = current
        dialog = ReasonDialog(f"{verb}外出/请假", f"{record_title(row)}\n\n{prompt}", verb, self)
        warn_if_changed_elsewhere(dialog, self.session, Entity.absence, record.id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        saved = self.session.run(self, ops.absences.set_state, record.id, action, dialog.text(), seen=record)
        if saved is not None:
            self._status(f"编号 {record.id} {saved.state.label}。")

    def show_steps(self) -> None:
        current = self._current()
        if current is None:
            return
        _row, record = current
        fresh = self.source.row(record)
        StepsDialog(record_html(fresh, self._steps(record), self.jurisdiction_label),
                    self).exec()

    def print_form(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        try:
            from desktop.ui.printing import preview_approval_form  # written separately; imported when used
        except ImportError:
            show_error(self, "打印功能尚未安装,暂时无法打印审批表。")
            return
        preview_approval_form(self.session, rid, self)

    def notification(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        try:
            from desktop.ui.printing import show_notification  # written separately; imported when used
        except ImportError:
            show_error(self, "通报文本功能尚未安装。")
            return
        show_notification(self.session, rid, self)

