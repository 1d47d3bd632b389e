"""The meeting form (会议登记/修改) and the leave request dialog (会议请假) of the 会议 page.

The form lists every active person by protocol rank with two ticks: 组成人员 (member) and 列席
(attendee); choosing a type of a new meeting ticks the type's members (profile ``[[meetings]]``)
and picks its convener. Topics are rows of 议题 / 汇报单位. The dialogs only collect what was typed:
the page saves through Session.run.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core import meetings as mt
from desktop.core.meetings import Meeting, Topic
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.export.profile_html import article_text
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.widgets import date_edit, ok_cancel, pydate

MEMBER_COL, ATTENDEE_COL = 2, 3


def _time_edit(t: dt.time) -> QTimeEdit:
    edit = QTimeEdit(QTime(t.hour, t.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


def _pytime(edit: QTimeEdit) -> dt.time:
    t = edit.time()
    return dt.time(t.hour(), t.minute())


class MeetingDialog(FittedDialog):
    """新增会议 / 修改会议: type, date and time, convener, members and attendees, topics."""

    def __init__(self, profile: Profile, people: list[Person], meeting: Meeting | None = None,
                 day: dt.date | None = None, parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.profile = profile
        self.people = sorted((p for p in people if p.active or (meeting and meeting.role_of(p.id))),
                             key=lambda p: (p.rank, p.id))  # fmt: skip
        self.meeting = meeting
        self.setWindowTitle("修改会议" if meeting else "新增会议")

        self.type_combo = QComboBox()
        for m in profile.meetings:
            self.type_combo.addItem(m.label, m.id)
        self.title = QLineEdit()
        self.title.setPlaceholderText("默认为会议类型名称,如“市政府第12次常务会议”")
        if meeting is None and day is None:
            raise ValueError("a new meeting needs the day to start from (the session clock's today)")
        start = meeting.starts_at if meeting else dt.datetime.combine(day, dt.time(9, 0))
        self.day = date_edit(start.date())
        self.start = _time_edit(start.time())
        self.has_end = QCheckBox("结束时间")
        self.end = _time_edit(meeting.ends_at.time() if meeting and meeting.ends_at else dt.time(11, 30))
        self.has_end.setChecked(bool(meeting and meeting.ends_at))
        self.end.setEnabled(self.has_end.isChecked())
        self.has_end.toggled.connect(self.end.setEnabled)
        when = QHBoxLayout()
        for w in (self.day, self.start, self.has_end, self.end):
            when.addWidget(w)
        when.addStretch(1)
        self.place = QLineEdit()
        self.convener = QComboBox()
        self.convener.addItem("(未填)", None)
        for p in self.people:
            if p.role.is_leader:
                self.convener.addItem(f"{p.name}({p.title or profile.title(p.role)})", p.id)

        self.roster = QTableWidget(len(self.people), 4)
        self.roster.setHorizontalHeaderLabels(["姓名", "职务", "组成人员", "列席"])
        self.roster.verticalHeader().setVisible(False)
        self.roster.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roster.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.roster.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, p in enumerate(self.people):
            self.roster.setItem(row, 0, QTableWidgetItem(p.name))
            self.roster.setItem(row, 1, QTableWidgetItem(p.title or profile.title(p.role)))
            for col in (MEMBER_COL, ATTENDEE_COL):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.roster.setItem(row, col, item)
        self.roster.itemChanged.connect(self._exclusive)
        self.count = QLabel()

        self.topics = QTableWidget(0, 2)
        self.topics.setHorizontalHeaderLabels(["议题", "汇报单位"])
        self.topics.verticalHeader().setVisible(False)
        self.topics.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.topics.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.add_topic_button = QPushButton("添加议题")
        self.add_topic_button.clicked.connect(lambda: self.add_topic())
        self.remove_topic_button = QPushButton("删除所选议题")
        self.remove_topic_button.clicked.connect(self.remove_topic)
        topic_buttons = QHBoxLayout()
        topic_buttons.addWidget(self.add_topic_button)
        topic_buttons.addWidget(self.remove_topic_button)
        topic_buttons.addStretch(1)

        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #5f6b7a;")

        form = QFormLayout()
        form.addRow("会议类型", self.type_combo)
        form.addRow("会议名称", self.title)
        form.addRow("时间", when)
        form.addRow("地点", self.place)
        form.addRow("召集人", self.convener)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rule)
        layout.addWidget(QLabel("参会人员(按排名;勾选组成人员或列席):"))
        layout.addWidget(self.roster, 3)
        layout.addWidget(self.count)
        layout.addWidget(QLabel("议题及汇报单位:"))
        layout.addWidget(self.topics, 1)
        layout.addLayout(topic_buttons)
        layout.addWidget(ok_cancel(self, "保存"))
        self.resize(640, 720)

        if meeting is not None:
            self.type_combo.setCurrentIndex(max(self.type_combo.findData(meeting.type_id), 0))
            self.title.setText(meeting.title)
            self.place.setText(meeting.place)
            self._set_convener(meeting.convener_id)
            self._tick(meeting.member_ids, meeting.attendee_ids)
            for t in meeting.topics:
                self.add_topic(t.title, t.unit)
        else:
            self._apply_type()
        self._show_rule()
        self.type_combo.currentIndexChanged.connect(self._type_changed)

    # ---- type → members, convener ----------------------------------------------------------

    @property
    def type_id(self) -> str:
        return self.type_combo.currentData()

    def _type_changed(self) -> None:
        if self.meeting is None:
            self._apply_type()
        self._show_rule()

    def _apply_type(self) -> None:
        members = [p.id for p in mt.default_members(self.profile, self.type_id, self.people)]
        self._tick(members, self.attendee_ids())
        convener = mt.default_convener(self.profile, self.type_id, self.people)
        self._set_convener(convener.id if convener else None)

    def _show_rule(self) -> None:
        mtype = self.profile.meeting(self.type_id)
        if mtype is None:
            return
        who = "、".join(self.profile.title(r) for r in mtype.members) or "每次会议另行确定"
        quorum = mt.QUORUM_LABELS[mtype.quorum]
        self.rule.setText(f"{mtype.label}:组成人员 {who};{quorum}({article_text(mtype.article, self.profile)})。")

    def _set_convener(self, person_id: int | None) -> None:
        self.convener.setCurrentIndex(max(self.convener.findData(person_id), 0))

    def _tick(self, members, attendees) -> None:
        members, attendees = set(members), set(attendees)
        self.roster.blockSignals(True)
        for row, p in enumerate(self.people):
            self.roster.item(row, MEMBER_COL).setCheckState(
                Qt.CheckState.Checked if p.id in members else Qt.CheckState.Unchecked)
            self.roster.item(row, ATTENDEE_COL).setCheckState(
                Qt.CheckState.Checked if p.id in attendees and p.id not in members else Qt.CheckState.Unchecked)
        self.roster.blockSignals(False)
        self._count()

    def _exclusive(self, item: QTableWidgetItem) -> None:
        """A person is a member or an attendee, not both."""
        if item.column() in (MEMBER_COL, ATTENDEE_COL) and item.checkState() == Qt.CheckState.Checked:
            other = ATTENDEE_COL if item.column() == MEMBER_COL else MEMBER_COL
            self.roster.blockSignals(True)
            self.roster.item(item.row(), other).setCheckState(Qt.CheckState.Unchecked)
            self.roster.blockSignals(False)
        self._count()

    def _ticked(self, col: int) -> list[int]:
        return [p.id for row, p in enumerate(self.people)
                if self.roster.item(row, col).checkState() == Qt.CheckState.Checked]  # fmt: skip

    def member_ids(self) -> list[int]:
        return self._ticked(MEMBER_COL)

    def attendee_ids(self) -> list[int]:
        return self._ticked(ATTENDEE_COL)

    def set_ticked(self, names_members: list[str], names_attendees: list[str] = ()) -> None:
        """Tick people by name (tests and scripts)."""
        ids = {p.name: p.id for p in self.people}
        self._tick([ids[n] for n in names_members], [ids[n] for n in names_attendees])

    def _count(self) -> None:
        self.count.setText(f"组成人员 {len(self.member_ids())} 人,列席 {len(self.attendee_ids())} 人")

    # ---- topics ------------------------------------------------------------------------------

    def add_topic(self, title: str = "", unit: str = "") -> None:
        row = self.topics.rowCount()
        self.topics.insertRow(row)
        self.topics.setItem(row, 0, QTableWidgetItem(title))
        self.topics.setItem(row, 1, QTableWidgetItem(unit))
        if not title:
            self.topics.setCurrentCell(row, 0)

    def remove_topic(self) -> None:
        row = self.topics.currentRow()
        if row >= 0:
            self.topics.removeRow(row)

    # ---- result ------------------------------------------------------------------------------

    def draft(self) -> Meeting:
        day = pydate(self.day.date())
        starts = dt.datetime.combine(day, _pytime(self.start))
        ends = dt.datetime.combine(day, _pytime(self.end)) if self.has_end.isChecked() else None
        topics = []
        for row in range(self.topics.rowCount()):
            title = self.topics.item(row, 0).text() if self.topics.item(row, 0) else ""
            unit = self.topics.item(row, 1).text() if self.topics.item(row, 1) else ""
            topics.append(Topic(title, unit))
        base = dict(id=None, version=1, minutes_done=None, documents_done=None, note="")
        if self.meeting is not None:
            base = dict(id=self.meeting.id, version=self.meeting.version, minutes_done=self.meeting.minutes_done,
                        documents_done=self.meeting.documents_done, note=self.meeting.note)
        return Meeting(type_id=self.type_id, title=self.title.text(), starts_at=starts, ends_at=ends,
                       place=self.place.text(), convener_id=self.convener.currentData(),
                       member_ids=tuple(self.member_ids()), attendee_ids=tuple(self.attendee_ids()),
                       topics=tuple(topics), **base)  # fmt: skip


class LeaveDialog(FittedDialog):
    """会议请假: who, why, and who attends instead; shows who approves and what the rules ask."""

    def __init__(self, profile: Profile, view: mt.MeetingView, approver_of, person_id: int | None = None,
                 reason: str = "", parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.profile = profile
        self.view = view
        self.approver_of = approver_of  # person id -> mt.Approver (or raises UserError)
        self.setWindowTitle(f"会议请假 — {view.meeting.title}")
        m = view.meeting
        self.person = QComboBox()
        for pid in (*m.member_ids, *m.attendee_ids):
            p = view.people.get(pid)
            if p is not None:
                role = "组成人员" if pid in m.member_ids else "列席"
                self.person.addItem(f"{p.name}({p.title or profile.title(p.role)},{role})", pid)
        if person_id is not None:
            self.person.setCurrentIndex(max(self.person.findData(person_id), 0))
        self.reason = QLineEdit(reason)
        self.reason.setPlaceholderText("如:赴省参加全省经济工作会议")
        self.substitute = QLineEdit()
        self.substitute.setPlaceholderText("代为参会人员的姓名和职务,如“王五 副局长”")
        # 003 art.43 书面请假: the written request is on file before the request is registered.
        self.written = QCheckBox("已收到书面请假")
        self.policy = QLabel()
        self.policy.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("请假人", self.person)
        form.addRow("事由", self.reason)
        form.addRow("代为参会", self.substitute)
        form.addRow("", self.written)
        form.addRow(self.policy)
        form.addRow(ok_cancel(self, "登记请假"))
        self.person.currentIndexChanged.connect(self._show_policy)
        self._show_policy()
        self.resize(520, 260)

    @property
    def person_id(self) -> int:
        return self.person.currentData()

    def _show_policy(self) -> None:
        from desktop.core.errors import UserError

        p = self.view.people.get(self.person_id)
        if p is None:
            return
        policy = mt.leave_policy(self.profile, self.view.meeting, p)
        lines = []
        try:
            approver = self.approver_of(p.id)
            lines.append(f"审批:{approver.text}" + (f"({approver.note})" if approver.note else ""))
        except UserError as exc:
            lines.append(f"审批人无法确定:{exc}")
        if policy.approver_basis:
            lines.append(policy.approver_basis)
        where = article_text(policy.article, self.profile)
        self.written.setVisible(policy.written)
        # 001 art.42 经同意后,方可指定代替参加会议人员: the field waits until leave is granted.
        self.substitute.setEnabled(not policy.substitute_after_approval)
        if policy.substitute_after_approval:
            self.substitute.clear()
            self.substitute.setPlaceholderText("准假后再指定代为参会人员")
        else:
            self.substitute.setPlaceholderText("代为参会人员的姓名和职务,如“王五 副局长”")
        if policy.substitute_required:
            lines.append(f"<b>须填写代为参会人员</b>:{policy.note}({where})")
        elif policy.note:
            lines.append(f"{policy.note}({where})")
        if policy.substitute_deputy:
            lines.append("代为参会人员须是熟悉议题内容的其他<b>副职</b>(写明职务,如“王五 副局长”)")
        if policy.written:
            lines.append(f"<b>须书面请假</b>:收到书面请假材料后勾选“已收到书面请假”再登记({where})")
        steps = [policy.office_forward and f"{policy.office_forward}(办公室办理后再审批)",
                 policy.office_filing and f"准假后{policy.office_filing}"]
        if any(steps):
            lines.append("流程:" + ";".join(x for x in steps if x))
        if policy.in_advance:
            lines.append(f"须在会前({self.view.meeting.when_text}以前)报会议召集人同意")
        if policy.discouraged:
            lines.append('<span style="color: #b3261e;">规则要求原则上不得请假,除特殊原因外应确保参会。</span>')
        self.policy.setText("<br>".join(lines))
