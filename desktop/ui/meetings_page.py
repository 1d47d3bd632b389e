"""会议 page: meetings with whether they can be held, leave, likely leave, deadlines, printouts.

Left: the meetings in time order (能否召开 in red when the quorum is not met; the minutes and
documents status). Right, for the selected meeting: the quorum line, every member's expected
attendance and why; the leave requests with 准假 / 不准假 by the approver from the profile (the
person acting for him or her when away — decided in that person's name); the absences on file
shown as 可能请假 with one-click 登记为请假; the minutes/documents deadlines with 登记印发; and
print previews of the 签到表 and the 请假汇总. Every write goes through Session.run.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core import meetings as mt
from desktop.core.errors import UserError
from desktop.core.meetings import LeaveState, MeetingView
from desktop.export.profile_html import article_text
from desktop.ops.base import Changes, Entity
from desktop.store import meetings as ms
from desktop.store import people as people_store
from desktop.ui.meeting_dialog import LeaveDialog, MeetingDialog
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error, warn_if_changed_elsewhere
from desktop.ui.widgets import date_edit, empty_hint, ok_cancel, pydate, readonly_table

RED = QColor("#b3261e")
GREEN = QColor("#1e6b34")
#: Entity.operator: a sign-in as another operator (a 单位录入员 sees his unit's part only, desktop.ops.scope).
ENTITIES = (Entity.meeting, Entity.meeting_leave, Entity.person, Entity.absence, Entity.org, Entity.calendar,
            Entity.operator)


def _item(text: str, color: QColor | None = None, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if color is not None:
        item.setForeground(QBrush(color))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class DoneDialog(FittedDialog):
    """登记印发: the day the minutes or documents were issued."""

    def __init__(self, label: str, day: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"登记{label}")
        self.on = date_edit(day)
        form = QFormLayout(self)
        form.addRow("印发日期", self.on)
        form.addRow(ok_cancel(self, "登记"))


class MeetingsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.views: list[MeetingView] = []
        self.current: MeetingView | None = None
        self.scope = ops.scope.of(session.store)

        self.list = readonly_table(["时间", "会议", "应到", "预计实到", "能否召开", "纪要/文件"])
        self.list.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._selected)
        self.list.doubleClicked.connect(lambda _i: self.edit_meeting())

        self.add_button = QPushButton("新增会议…")
        self.add_button.clicked.connect(self.add_meeting)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit_meeting)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_meeting)
        self.sheet_button = QPushButton("打印签到表…")
        self.sheet_button.clicked.connect(lambda: self.preview("sheet"))
        self.summary_button = QPushButton("打印请假汇总…")
        self.summary_button.clicked.connect(lambda: self.preview("leave"))
        top = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.sheet_button, self.summary_button):
            top.addWidget(b)
        top.addStretch(1)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.quorum_label = QLabel()
        self.quorum_label.setWordWrap(True)
        self.scope_label = QLabel()  # a 单位录入员: whose part of the meeting he is shown
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet("color: #1f5fa8;")
        self.scope_label.hide()
        self.attendance = readonly_table(["姓名", "职务", "到会", "原因"])
        self.leaves = readonly_table(["姓名", "事由", "代为参会", "审批", "状态"])
        self.leaves.itemSelectionChanged.connect(self._update_buttons)
        self.request_button = QPushButton("请假…")
        self.request_button.clicked.connect(lambda: self.request_leave())
        self.approve_button = QPushButton("准假")
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton("不准假")
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.withdraw_button = QPushButton("撤回")
        self.withdraw_button.clicked.connect(self.withdraw)
        # The office's own step where the rules have one (003 art.43 呈报, 004 art.48 书面报备).
        self.office_button = QPushButton("办公室步骤…")
        self.office_button.clicked.connect(self.office_step)
        self.substitute_button = QPushButton("指定代会人员…")
        self.substitute_button.clicked.connect(self.name_substitute)
        leave_buttons = QHBoxLayout()
        for b in (self.request_button, self.approve_button, self.reject_button, self.office_button,
                  self.substitute_button, self.withdraw_button):
            leave_buttons.addWidget(b)
        leave_buttons.addStretch(1)
        self.likely = readonly_table(["姓名", "外出记录", ""])
        self.likely_label = QLabel("可能请假(外出报备在案、尚未请假):")
        self.deadlines = readonly_table(["事项", "期限", "状态", "印发日期"])
        self.deadlines.itemSelectionChanged.connect(self._update_buttons)
        self.done_button = QPushButton("登记印发…")
        self.done_button.clicked.connect(self.mark_done)
        empty_hint(self.list, lambda: "还没有登记会议。点“新增会议…”登记全体会议、常务会议或专题会议:程序按规则列出组成人员,"
                                      "会前判断能否召开,并管理会议请假和纪要印发期限。" if self.scope.everything else
                   f"没有{self.scope.unit}人员参加的会议。会议由政府办公室登记;本单位负责同志是组成人员或列席时,会议列在这里。")
        empty_hint(self.attendance, lambda: "在左侧列表中选择一个会议。" if self.current is None else
                   "这个会议没有组成人员。" if self.scope.everything else f"{self.scope.unit}没有人员是这个会议的组成人员。")
        empty_hint(self.leaves, lambda: "" if self.current is None else
                   "没有会议请假。要请假时点“请假…”,选择组成人员并填写事由。")
        empty_hint(self.likely, lambda: "" if self.current is None else "没有外出报备在案而尚未请假的组成人员。")
        empty_hint(self.deadlines, lambda: "" if self.current is None else "规则没有规定这类会议的纪要或文件印发期限。")
        self.provisional = QLabel("注意:期限用到了暂定日历(该年份尚无国务院放假通知,只含法定节日、不含调休)。")
        self.provisional.setStyleSheet("background: #fff4c2; padding: 4px;")
        self.provisional.setWordWrap(True)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.title)
        rl.addWidget(self.quorum_label)
        rl.addWidget(self.scope_label)
        rl.addWidget(self.attendance, 3)
        rl.addWidget(QLabel("会议请假:"))
        rl.addWidget(self.leaves, 2)
        rl.addLayout(leave_buttons)
        rl.addWidget(self.likely_label)
        rl.addWidget(self.likely, 1)
        rl.addWidget(QLabel("纪要和文件印发:"))
        rl.addWidget(self.provisional)
        rl.addWidget(self.deadlines, 1)
        dl = QHBoxLayout()
        dl.addWidget(self.done_button)
        dl.addStretch(1)
        rl.addLayout(dl)

        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 900])
        for table in (self.list, self.attendance, self.leaves, self.likely, self.deadlines):
            table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        session.changed.connect(self._on_changed)
        self.reload()

    # ---- loading ---------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(*ENTITIES):
            self.reload()

    @property
    def profile(self):
        return self.session.profile

    def reload(self) -> None:
        keep = self.current.meeting.id if self.current else None
        profile = self.profile
        if profile is None:
            self.views = []
        else:
            # a 单位录入员: the meetings his unit's people take part in, only those people in them
            self.scope = ops.scope.of(self.session.store)
            self.views = self.scope.meetings(ops.meetings.view(self.session.store, profile, m.id)
                                             for m in ms.list_meetings(self.session.store))
        self.list.blockSignals(True)
        self.list.setRowCount(len(self.views))
        row_to_select = None
        for row, v in enumerate(self.views):
            m, q = v.meeting, v.quorum
            color = None if q.can_hold else RED
            self.list.setItem(row, 0, _item(m.when_text, color, m.id))
            self.list.setItem(row, 1, _item(m.title, color))
            self.list.setItem(row, 2, _item(str(q.members), color))
            self.list.setItem(row, 3, _item(str(q.present) + (f"(须 {q.required})" if q.required else ""), color))
            self.list.setItem(row, 4, _item("可以召开" if q.can_hold else "不能召开", color))
            late = any(i.status == mt.OVERDUE for i in v.deadlines)
            self.list.setItem(row, 5, _item("、".join(i.status_label for i in v.deadlines if i.due or i.done),
                                            RED if late else None))
            if m.id == keep:
                row_to_select = row
        self.list.blockSignals(False)
        if row_to_select is None and self.views:
            row_to_select = len(self.views) - 1
        if row_to_select is not None:
            self.list.selectRow(row_to_select)
        self._selected()

    def _selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        self.current = self.views[rows[0].row()] if rows and rows[0].row() < len(self.views) else None
        self._show_current()

    def select_meeting(self, meeting_id: int) -> None:
        for row, v in enumerate(self.views):
            if v.meeting.id == meeting_id:
                self.list.selectRow(row)
                return

    def _show_current(self) -> None:
        self._fill_current()
        for table in (self.list, self.attendance, self.leaves, self.likely, self.deadlines):
            table.empty_hint.update_hint()  # what to do next, for this meeting (or none)

    def _fill_current(self) -> None:
        v = self.current
        profile = self.profile
        for table in (self.attendance, self.leaves, self.likely, self.deadlines):
            table.setRowCount(0)
        self.scope_label.setVisible(v is not None and not self.scope.everything)
        if v is None or profile is None:
            self.title.setText("" if self.views else "还没有会议:点击“新增会议…”登记。" if self.scope.everything
                               else f"没有{self.scope.unit}人员参加的会议。")
            self.quorum_label.setText("")
            self.provisional.setVisible(False)
            self._update_buttons()
            return
        m, q = v.meeting, v.quorum
        where = f" {m.place}" if m.place else ""
        self.title.setText(f"{m.title} — {m.when_text}{where}")
        self.quorum_label.setText(q.text)
        self.quorum_label.setStyleSheet(f"color: {(GREEN if q.can_hold else RED).name()}; font-weight: bold;")
        if not self.scope.everything:
            ours = [f"{v.name(i)}(组成人员)" for i in m.member_ids] + [f"{v.name(i)}(列席)" for i in m.attendee_ids]
            self.scope_label.setText(f"只列出{self.scope.unit}的人员:{'、'.join(ours)}。其他参会人员和签到表由政府办公室掌握。")
        for r in q.rows:
            row = self.attendance.rowCount()
            self.attendance.insertRow(row)
            color = None if r.present else RED
            self.attendance.setItem(row, 0, _item(r.person.name, color, r.person.id))
            self.attendance.setItem(row, 1, _item(r.person.title or profile.title(r.person.role)))
            self.attendance.setItem(row, 2, _item(r.status_label, color))
            self.attendance.setItem(row, 3, _item(";".join(r.reasons)))
        for lv in v.leaves:
            row = self.leaves.rowCount()
            self.leaves.insertRow(row)
            color = RED if lv.state is LeaveState.rejected else None
            policy = self._policy(lv)
            state = mt.leave_status(policy, lv) if policy else lv.state.label
            state += f"({lv.decided_by})" if lv.decided_by else ""
            if policy is not None and policy.written:
                state += ";" + mt.written_text(policy, lv)
            self.leaves.setItem(row, 0, _item(v.name(lv.person_id), color, lv.id))
            self.leaves.setItem(row, 1, _item(lv.reason))
            self.leaves.setItem(row, 2, _item(lv.substitute or "—"))
            approver = lv.approver_text + (f";{lv.approver_note}" if lv.approver_note else "")
            self.leaves.setItem(row, 3, _item(approver))
            self.leaves.setItem(row, 4, _item(state, color))
        for pid, a in v.likely:
            row = self.likely.rowCount()
            self.likely.insertRow(row)
            dest = f" {a.destination}" if a.destination else ""
            self.likely.setItem(row, 0, _item(v.name(pid), None, a.id))
            self.likely.setItem(row, 1, _item(f"#{a.id} {a.kind.label}{dest} {a.span_text}"))
            button = QPushButton("登记为请假")
            button.setEnabled(self.session.can("record"))
            button.clicked.connect(lambda _=False, absence_id=a.id, person_id=pid: self.register_absence(person_id, absence_id))
            self.likely.setCellWidget(row, 2, button)
        self.likely.setVisible(bool(v.likely))
        self.likely_label.setVisible(bool(v.likely))
        for item in v.deadlines:
            row = self.deadlines.rowCount()
            self.deadlines.insertRow(row)
            color = RED if item.status in (mt.OVERDUE, mt.DONE_LATE) else None
            due = f"{item.due}(会后{item.days}个工作日,{article_text(item.article)})" if item.due else "规则未规定期限"
            self.deadlines.setItem(row, 0, _item(item.label, None, item.what))
            self.deadlines.setItem(row, 1, _item(due))
            self.deadlines.setItem(row, 2, _item(item.status_label, color))
            self.deadlines.setItem(row, 3, _item(str(item.done) if item.done else ""))
        if self.deadlines.rowCount():
            self.deadlines.selectRow(0)
        self.provisional.setVisible(v.provisional)
        self._update_buttons()

    def _selected_leave(self):
        rows = self.leaves.selectionModel().selectedRows()
        if not rows or self.current is None:
            return None
        lid = self.leaves.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((lv for lv in self.current.leaves if lv.id == lid), None)

    def _update_buttons(self) -> None:
        has = self.current is not None
        can = self.session.can("record")  # 只读 may look and print, not record (desktop.core.access)
        self.add_button.setEnabled(can)
        for b in (self.sheet_button, self.summary_button):  # they list every participant: the office prints them
            b.setEnabled(has and self.scope.everything)
            b.setToolTip("" if self.scope.everything else "签到表和请假汇总列有全体参会人员,由政府办公室打印")
        for b in (self.edit_button, self.delete_button, self.request_button):
            b.setEnabled(has and can)
        lv = self._selected_leave()
        policy = self._policy(lv) if lv is not None else None
        waiting = mt.pending_office_step(policy, lv) if policy is not None else None
        # 003 art.43: the approver decides once the office has forwarded the request.
        pending = can and lv is not None and lv.state is LeaveState.requested and not (
            waiting is not None and waiting.kind == "forward")
        self.approve_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)
        self.office_button.setEnabled(can and waiting is not None)
        self.office_button.setText(f"{mt.short_step_label(waiting.label)}…" if waiting is not None else "办公室步骤…")
        self.office_button.setToolTip(waiting.label if waiting is not None else "规则规定的办公室步骤(呈报、书面报备)")
        self.substitute_button.setEnabled(can and lv is not None and lv.state in mt.OPEN_LEAVE and not (
            policy is not None and policy.substitute_after_approval and lv.state is not LeaveState.approved))
        self.withdraw_button.setEnabled(can and lv is not None and lv.state in mt.OPEN_LEAVE)
        who = self._approver_name(lv) if pending else ""
        self.approve_button.setText(f"准假({who})" if who else "准假")
        self.reject_button.setText(f"不准假({who})" if who else "不准假")
        self.done_button.setEnabled(can and has and bool(self.deadlines.selectionModel().selectedRows()))

    def _policy(self, lv):
        """What the rules say about this request (its office steps, substitute, written request)."""
        v = self.current
        p = v.people.get(lv.person_id) if v is not None and lv is not None else None
        if p is None or self.profile is None:
            return None
        return mt.leave_policy(self.profile, v.meeting, p)

    def _approver_name(self, lv) -> str:
        if lv is None or self.current is None:
            return ""
        return self.current.name(lv.approver_id) if lv.approver_id else ""

    # ---- meetings ----------------------------------------------------------------------------

    def _people(self):
        return people_store.list_people(self.session.store)

    def add_meeting(self) -> None:
        profile = self.profile
        if profile is None:
            return
        dialog = MeetingDialog(profile, self._people(), day=self.session.store.clock.today(), parent=self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            saved = self.session.run(self, ops.meetings.add_meeting, profile, dialog.draft())
            if saved is not None:
                self.select_meeting(saved.id)
                return

    def edit_meeting(self) -> None:
        # a double click too: not for who may not change it (a 单位录入员 holds a cut view of the meeting)
        if self.current is None or self.profile is None or not self.session.can("record"):
            return
        m = self.current.meeting
        dialog = MeetingDialog(self.profile, self._people(), m, parent=self)
        warn_if_changed_elsewhere(dialog, self.session, Entity.meeting, m.id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.session.run(self, ops.meetings.update_meeting, self.profile, dialog.draft(), m.version)

    def delete_meeting(self) -> None:
        if self.current is None:
            return
        m = self.current.meeting
        answer = QMessageBox.question(self, "删除会议", f"删除“{m.title}”({m.when_text})及其请假记录?删除会写入审计日志。")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.run(self, ops.meetings.delete_meeting, m.id, m.version)

    # ---- leave ---------------------------------------------------------------------------------

    def _approver_of(self, person_id: int):
        return ops.meetings.approver_for(self.session.store, self.profile, self.current.meeting.id, person_id)

    def request_leave(self, person_id: int | None = None, reason: str = "", absence_id: int | None = None) -> None:
        if self.current is None or self.profile is None:
            return
        dialog = LeaveDialog(self.profile, self.current, self._approver_of, person_id, reason, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        mid = self.current.meeting.id
        if absence_id is not None and dialog.person_id == person_id:
            self.session.run(self, ops.meetings.leave_from_absence, self.profile, mid, absence_id,
                             dialog.substitute.text(), written=dialog.written.isChecked())
        else:
            self.session.run(self, ops.meetings.request_leave, self.profile, mid, dialog.person_id,
                             dialog.reason.text(), dialog.substitute.text(), written=dialog.written.isChecked())

    def register_absence(self, person_id: int, absence_id: int) -> None:
        """登记为请假: at once when no substitute is needed, else ask for the substitute first."""
        v = self.current
        if v is None or self.profile is None:
            return
        person = v.people[person_id]
        policy = mt.leave_policy(self.profile, v.meeting, person)
        if policy.substitute_required or policy.written:
            a = next(a for pid, a in v.likely if a.id == absence_id)
            dest = f" {a.destination}" if a.destination else ""
            self.request_leave(person_id, f"{a.kind.label}{dest}({a.span_text})", absence_id)
            return
        self.session.run(self, ops.meetings.leave_from_absence, self.profile, v.meeting.id, absence_id)

    def decide(self, approve: bool) -> None:
        lv = self._selected_leave()
        if lv is None:
            return
        comment = ""
        if not approve:
            text, ok = QInputDialog.getText(self, "不准假", "意见(可不填):")
            if not ok:
                return
            comment = text
        self.session.run(self, ops.meetings.decide_leave, lv.id, self._approver_name(lv), approve, comment,
                         seen=lv, profile=self.profile)

    def office_step(self) -> None:
        """呈报 / 书面报备: done by the signed-in operator (or the clerk's name typed over it)."""
        lv = self._selected_leave()
        policy = self._policy(lv) if lv is not None else None
        waiting = mt.pending_office_step(policy, lv) if policy is not None else None
        if waiting is None:
            return
        name = self.current.name(lv.person_id)
        who, ok = QInputDialog.getText(self, waiting.label, f"{name}的请假:{waiting.label}。\n经办人:",
                                       text=ops.absences.office_actor(self.session.store))
        if ok:
            self.session.run(self, ops.meetings.office_step, self.profile, lv.id, waiting.kind, who, seen=lv)

    def name_substitute(self) -> None:
        lv = self._selected_leave()
        if lv is None:
            return
        text, ok = QInputDialog.getText(self, "指定代为参会人员", "代为参会人员的姓名和职务(如“王五 副局长”):",
                                        text=lv.substitute)
        if ok:
            self.session.run(self, ops.meetings.name_substitute, self.profile, lv.id, text, seen=lv)

    def withdraw(self) -> None:
        lv = self._selected_leave()
        if lv is not None:
            self.session.run(self, ops.meetings.withdraw_leave, lv.id, seen=lv)

    # ---- deadlines -----------------------------------------------------------------------------

    def mark_done(self) -> None:
        rows = self.deadlines.selectionModel().selectedRows()
        if self.current is None or not rows:
            return
        what = self.deadlines.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        item = next(i for i in self.current.deadlines if i.what == what)
        dialog = DoneDialog(item.label, item.done or self.session.store.clock.today(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.session.run(self, ops.meetings.mark_done, self.current.meeting.id, what, pydate(dialog.on.date()))

    # ---- printing --------------------------------------------------------------------------------

    def printout_html(self, what: str) -> str:
        from desktop.export.meeting_html import attendance_sheet_html, leave_summary_html
        from desktop.ui.printing import print_fonts

        v = ops.meetings.view(self.session.store, self.profile, self.current.meeting.id)
        build = attendance_sheet_html if what == "sheet" else leave_summary_html
        org = self.session.org
        return build(v, self.profile, org.name if org else "", printed_on=self.session.store.clock.today(),
                     fonts=print_fonts())  # fmt: skip

    def preview(self, what: str) -> None:
        if self.current is None or self.profile is None:
            return
        from desktop.ui import printing

        try:
            html = self.printout_html(what)
        except UserError as exc:
            show_error(self, str(exc))
            return
        label = "签到表" if what == "sheet" else "请假汇总"
        printing.preview_html(html, landscape=False, title=f"{self.current.meeting.title}{label}", parent=self,
                              kind="approval")
