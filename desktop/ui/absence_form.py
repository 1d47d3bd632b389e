"""The record form (新增外出/请假): as you type, what saving would do — who acts, the chain, the warnings.

Nothing is written until 保存并报送 / 存为草稿: the preview calls `absences.preview` (reads only)
and resolves acting with the draft counted as away (`acting_preview`), debounced while typing.
A refusal (overlap, end before start, nobody to approve) shows in red and disables saving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.absence import Absence, Half
from desktop.core.acting import (
    BASIS_AB,
    BASIS_CHIEF_RULE,
    BASIS_DELEGATE,
    BASIS_DESIGNATED,
    BASIS_EXPLICIT,
    BASIS_SUCCESSION,
    GAP_BOTH_AWAY,
    ActingContext,
    ActingReport,
    ActingWarning,
    day_runs,
    record_acting,
)
from desktop.core.chain import ResolvedStep
from desktop.core.cndate import cn_span
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.places import infer_leaves, leaves_matters, leaves_question
from desktop.core.profile import ActingRule, Profile
from desktop.core.roles import LEADER_ROLES, TRAVEL_KINDS, AbsenceKind
from desktop.export.profile_html import article_text
from desktop.ops.absences import Saved
from desktop.store import absences, people
from desktop.store.db import Store
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session
from desktop.ui.widgets import date_edit, pydate, qdate

SEVERITY_COLOURS = {"violation": "#b3261e", "warning": "#a05a00", "info": "#5f6b7a"}
SEVERITY_LABELS = {"violation": "违规", "warning": "提醒", "info": "说明"}
MAX_PREVIEW_DAYS = 62  # acting is shown day by day for at most two months


def person_title(profile: Profile | None, p: Person) -> str:
    return p.title or (profile.title(p.role) if profile else p.role.label)


# ------------------------------------------------------------------------------------------
# Who acts while the draft's person is away
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActingLine:
    days: str  # "" when it holds for the whole absence
    text: str
    gap: bool  # nobody acts: the office must designate someone


def basis_text(profile: Profile | None, absent: Person, basis: str) -> str:
    """How the acting person was chosen, as the 今日在岗 board says it: 代行市长职责 / AB角 / 办公室指定."""
    if basis == BASIS_CHIEF_RULE:
        return f"代行{person_title(profile, absent)}职责"
    if basis == BASIS_SUCCESSION:
        return f"按顺次递补代行{person_title(profile, absent)}职责"
    if basis == BASIS_DELEGATE:
        return f"{person_title(profile, absent)}授权委托"
    return {BASIS_AB: "AB角", BASIS_DESIGNATED: "办公室指定", BASIS_EXPLICIT: "报备时指定"}.get(basis, basis)


def describe_acting(report: ActingReport, person: Person, profile: Profile) -> tuple[str, bool]:
    """Who acts for ``person`` in a report: the text and whether it is a gap."""
    parts: list[str] = []
    for e in report.acting:
        if e.absent_person.id != person.id or e.actor is None:
            continue
        half = "" if e.half is Half.full else f"({e.half.label})"
        cite = f"〔{article_text(e.article, profile)}〕" if e.article else ""
        parts.append(f"{person_title(profile, e.actor)} {e.actor.name}{half}:{basis_text(profile, person, e.basis)},"
                     f"{e.scope}{cite}")
    gaps = [g for g in report.gaps if person.id in g.absent_ids]
    for g in gaps:
        half = "" if g.half is Half.full else f"({g.half.label})"
        if g.kind == GAP_BOTH_AWAY:
            parts.append(f"AB角同时外出,需办公室指定{half}")
        else:
            parts.append(f"代行人也外出,无人代行,需办公室指定{half}")
    if parts:
        return ";".join(parts), bool(gaps)
    if any(w.kind == "no_partner" and person.id in w.person_ids for w in report.warnings):
        return "未设置AB角,无人代行(可由办公室协调)", False
    return f"规则未规定{person_title(profile, person)}外出期间的代行人", False


def acting_preview(store: Store, profile: Profile, record: Absence) -> tuple[list[ActingLine], list[ActingWarning]]:
    """Who acts for the record's person on each day of the record (consecutive days merged), and the
    acting warnings that concern the person (e.g. 市长与常务副市长同时外出), with the draft counted."""
    person = people.get_person(store, record.person_id)
    last = min(record.end, record.start + dt.timedelta(days=MAX_PREVIEW_DAYS - 1))
    roster = absences.roster(store, record.start, last)
    ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations, roster.overrides)
    reports = record_acting(ctx, roster.absences, record, limit=MAX_PREVIEW_DAYS)
    warnings: dict[tuple, ActingWarning] = {}
    for report in reports:
        for w in report.warnings:
            if person.id in w.person_ids and w.kind != "no_partner":
                warnings.setdefault((w.kind, w.person_ids, w.overridden), w)
    # the same text on consecutive days is one line; a run keeps its first day's gap flag
    runs = day_runs(((r.date, describe_acting(r, person, profile)) for r in reports), key=lambda line: line[0])
    if len(runs) == 1:
        return [ActingLine("", *runs[0].value)], list(warnings.values())
    return [ActingLine(cn_span(r.first, r.last, year=False), *r.value) for r in runs], list(warnings.values())


# ------------------------------------------------------------------------------------------
# The form
# ------------------------------------------------------------------------------------------


class AbsenceForm(FittedDialog):
    PREVIEW_DELAY_MS = 250

    def __init__(self, session: Session, parent: QWidget | None = None, *, person_id: int | None = None):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.profile = session.profile
        self.setWindowTitle("新增外出/请假")
        self.resize(1060, 640)
        self.saved: Saved | None = None  # the result of saving
        self.preview: Saved | None = None  # the last preview (None: refused or not computed)
        self.acting_lines: list[ActingLine] = []
        self.acting_warnings: list[ActingWarning] = []
        self.error = ""
        self._leaves_touched = False
        self._last_phone = ""

        everyone = people.list_people(self.store, active_only=True)
        self._roles = {p.id: p.role for p in everyone}
        self.leaders = [p for p in everyone if p.role in LEADER_ROLES]
        today = self.store.clock.today()
        now = self.store.clock.now()
        label = self.profile.jurisdiction_label if self.profile and self.profile.jurisdiction_label else "离开辖区"

        self.person = QComboBox()
        self.person.setMaxVisibleItems(20)
        for p in ops.scope.visible_people(self.store, everyone):  # protocol order; 单位录入员: his unit's heads
            self.person.addItem(f"{p.name}({person_title(self.profile, p)})", p.id)
        self._phones = {p.id: p.phone for p in everyone}
        if person_id is not None:
            self.person.setCurrentIndex(max(self.person.findData(person_id), 0))
        self.kind = QComboBox()
        for kind in AbsenceKind:
            self.kind.addItem(kind.label, kind.value)
        self.start = date_edit(today)
        self.start_half = QComboBox()
        self.start_half.addItem("全天", Half.full.value)
        self.start_half.addItem("下午起", Half.pm.value)
        self.end = date_edit(today)
        self.end_half = QComboBox()
        self.end_half.addItem("全天", Half.full.value)
        self.end_half.addItem("上午止", Half.am.value)
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("例如:北京、成都(出差、出国(境)、脱产学习须填写)")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如:参加全国工作会议")
        self.leaves = QCheckBox(f"{label}(离开本行政区域)")
        self.reported_at = QDateTimeEdit(QDateTime(qdate(now.date()), QTime(now.hour, now.minute)))
        self.reported_at.setCalendarPopup(True)
        self.reported_at.setDisplayFormat("yyyy年M月d日 HH:mm")
        self.reported_at.setToolTip("本人报告的时间(电话报告的,填报告时的时间);用于核对是否按规定提前报告")
        self.urgent = QCheckBox("紧急(因紧急事项临时外出)")
        self.acting = QToolButton()
        self.acting.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.acting.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.acting.setToolTip("留空:按规则自动确定代行人(市长外出由常务副市长代行,副市长外出由AB角代行)")
        self.acting_menu = QMenu(self.acting)
        self.acting_actions: dict[int, QAction] = {}
        clear = self.acting_menu.addAction("按规则自动确定(清除指定)")
        clear.triggered.connect(lambda: self.set_acting([]))
        self.acting_menu.addSeparator()
        for p in self.leaders:
            action = self.acting_menu.addAction(f"{p.name}({person_title(self.profile, p)})")
            action.setCheckable(True)
            action.setData(p.id)
            action.toggled.connect(self._acting_toggled)
            self.acting_actions[p.id] = action
        self.acting.setMenu(self.acting_menu)
        # 授权委托 (a profile's ``delegates``): shown instead of 代行人 where the rule lets the leader name one.
        self.delegate = QComboBox()
        self.delegate.setToolTip("主要负责人授权委托的代行人(本级规则允许时才显示);须在外出期间在岗")
        self._delegate_key: tuple | None = None
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("外出期间的联系方式,如手机号")

        start_row = QHBoxLayout()
        start_row.addWidget(self.start, 1)
        start_row.addWidget(self.start_half)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end, 1)
        end_row.addWidget(self.end_half)
        form = QFormLayout()
        form.addRow("外出人员 *", self.person)
        form.addRow("类型 *", self.kind)
        form.addRow("开始 *", start_row)
        form.addRow("结束 *", end_row)
        form.addRow("目的地", self.destination)
        form.addRow("事由", self.reason)
        form.addRow("", self.leaves)
        form.addRow("报告时间", self.reported_at)
        form.addRow("", self.urgent)
        form.addRow("代行人", self.acting)
        form.addRow("受委托代行人", self.delegate)
        self._form = form
        form.addRow("联系方式", self.contact)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addStretch(1)
        left.setMinimumWidth(400)

        self.preview_view = QTextBrowser()
        self.preview_view.setOpenLinks(False)
        self.preview_view.setStyleSheet("QTextBrowser { background: #f7f9fc; border: 1px solid #d5dbe3; }")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("保存后将会:")
        heading.setStyleSheet("font-weight: bold; color: #22304a;")
        right_layout.addWidget(heading)
        right_layout.addWidget(self.preview_view, 1)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton("保存并报送", QDialogButtonBox.ButtonRole.AcceptRole)
        self.draft_button: QPushButton = self.buttons.addButton("存为草稿", QDialogButtonBox.ButtonRole.ActionRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("保存,并按规则进入报告/审批流程")
        self.draft_button.setToolTip("只保存,暂不报送(不计入外出,不进入流程)")
        self.save_button.clicked.connect(lambda: self.save(submit=True))
        self.draft_button.clicked.connect(lambda: self.save(submit=False))
        cancel.clicked.connect(self.reject)

        columns = QHBoxLayout()
        columns.addWidget(left, 5)
        columns.addWidget(right, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh_now)
        for edit in (self.destination, self.reason, self.contact):
            edit.textChanged.connect(self._changed)
        for combo in (self.start_half, self.end_half):
            combo.currentIndexChanged.connect(self._changed)
        self.person.currentIndexChanged.connect(self._person_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(self._changed)
        self.reported_at.dateTimeChanged.connect(self._changed)
        self.urgent.toggled.connect(self._changed)
        self.delegate.currentIndexChanged.connect(self._changed)
        self.leaves.checkStateChanged.connect(self._leaves_toggled)
        self._person_changed()
        self._kind_changed()
        self._update_acting_text()
        self.refresh_now()

    # -- editing helpers
    def _changed(self, *_args) -> None:
        self.timer.start()

    def _person_changed(self) -> None:
        pid = self.person.currentData()
        for aid, action in self.acting_actions.items():
            action.setEnabled(aid != pid)
            if aid == pid and action.isChecked():
                action.setChecked(False)
        phone = self._phones.get(pid, "")
        if not self.contact.text() or self.contact.text() == self._last_phone:
            self.contact.setText(phone)
        self._last_phone = phone
        self._changed()

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.leaves.blockSignals(True)
        if kind is AbsenceKind.abroad:
            self.leaves.setChecked(True)  # going abroad always leaves the jurisdiction
        elif not self._leaves_touched:
            self.leaves.setChecked(kind in TRAVEL_KINDS)
        self.leaves.setEnabled(kind is not AbsenceKind.abroad)
        self.leaves.blockSignals(False)
        self._changed()

    def _leaves_from_destination(self) -> str:
        """Until the secretary ticks or clears 离X, read it from the destination (desktop.core.places);
        where the text cannot tell and the answer changes a rule (004 art.69, 002 art.9), the question
        to answer ("" when there is none)."""
        if self.profile is None or self._leaves_touched:
            return ""
        kind = self.current_kind()
        inferred = infer_leaves(self.profile, self.destination.text(), kind)
        role = self._roles.get(self.person.currentData())
        ask = inferred is None and role is not None and leaves_matters(self.profile, role, kind)
        self.leaves.blockSignals(True)
        self.leaves.setTristate(ask)  # the third state, shown only while unanswered: 未确定
        if ask:
            self.leaves.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.leaves.setChecked(inferred if inferred is not None else kind in TRAVEL_KINDS)
        self.leaves.blockSignals(False)
        if ask:
            label = self.profile.jurisdiction_label or "离开辖区"
            return f"{leaves_question(self.profile, self.destination.text())}:请点选“{label}”(勾选为离开,不勾选为不离开)。"
        return ""

    def _leaves_toggled(self) -> None:
        self._leaves_touched = True
        if self.leaves.isTristate():
            self.leaves.blockSignals(True)
            self.leaves.setTristate(False)
            self.leaves.blockSignals(False)
        self._changed()

    def _start_changed(self, value: QDate) -> None:
        if self.end.date() < value:
            self.end.setDate(value)  # the usual intent: move the whole span
        self._changed()

    def _acting_toggled(self) -> None:
        self._update_acting_text()
        self._changed()

    def _update_acting_text(self) -> None:
        names = [a.text().split("(")[0] for a in self.acting_actions.values() if a.isChecked()]
        self.acting.setText("、".join(names) if names else "按规则自动确定")
        self.acting.setStyleSheet("" if names else "QToolButton { color: #6b7380; }")

    def set_acting(self, ids: list[int]) -> None:
        for pid, action in self.acting_actions.items():
            action.blockSignals(True)
            action.setChecked(pid in ids)
            action.blockSignals(False)
        self._update_acting_text()
        self._changed()

    def current_kind(self) -> AbsenceKind:
        return AbsenceKind(self.kind.currentData())

    def delegate_rule(self) -> ActingRule | None:
        """The acting rule of the absence as filled in, when it lets the leader name a delegate."""
        role = self._roles.get(self.person.currentData())
        if self.profile is None or role is None:
            return None
        kind = self.current_kind()
        rule = self.profile.acting_rule_for(role, kind, self.leaves.isChecked() or kind is AbsenceKind.abroad)
        return rule if rule is not None and rule.delegates else None

    def _update_delegate(self) -> None:
        """Show 受委托代行人 (the people of the allowed roles) instead of 代行人 where the rule allows it."""
        rule = self.delegate_rule()
        pid = self.person.currentData()
        key = (pid, rule.delegates, rule.actor_roles) if rule is not None else None
        if key != self._delegate_key:
            self._delegate_key = key
            keep = self.delegate.currentData()
            self.delegate.blockSignals(True)
            self.delegate.clear()
            if rule is not None:
                default = "、".join(self.profile.title(r) for r in rule.actor_roles)  # type: ignore[union-attr]
                self.delegate.addItem(f"不委托(按规则由{default}代行)", None)
                for p in self.leaders:
                    if p.role in rule.delegates and p.id != pid:
                        self.delegate.addItem(f"{p.name}({person_title(self.profile, p)})", p.id)
                self.delegate.setCurrentIndex(max(self.delegate.findData(keep), 0))
            self.delegate.blockSignals(False)
        self._form.setRowVisible(self.delegate, rule is not None)
        self._form.setRowVisible(self.acting, rule is None)

    def draft(self) -> Absence:
        pid = self.person.currentData()
        stamp = self.reported_at.dateTime()
        reported = dt.datetime.combine(pydate(stamp.date()), dt.time(stamp.time().hour(), stamp.time().minute()))
        return Absence(
            id=None, person_id=pid or 0, kind=self.current_kind(),
            start=pydate(self.start.date()), start_half=Half(self.start_half.currentData()),
            end=pydate(self.end.date()), end_half=Half(self.end_half.currentData()),
            destination=self.destination.text(), reason=self.reason.text(),
            leaves_jurisdiction=self.leaves.isChecked(), reported_at=reported, urgent=self.urgent.isChecked(),
            acting_ids=self._acting_ids(),
            contact=self.contact.text(),
        )

    def _acting_ids(self) -> tuple[int, ...]:
        if self.delegate_rule() is not None:  # the record's acting person is the chief's delegate, or none
            chosen = self.delegate.currentData()
            return (chosen,) if chosen else ()
        return tuple(pid for pid, a in self.acting_actions.items() if a.isChecked())

    # -- the preview
    def refresh_now(self) -> bool:
        """Compute what saving would do; show it; return whether saving is possible."""
        self.timer.stop()
        self.preview, self.acting_lines, self.acting_warnings, self.error = None, [], [], ""
        question = self._leaves_from_destination() if self.profile is not None else ""
        self._update_delegate()  # after 离X is read from the destination: the rule may depend on it
        if self.profile is None:
            self.error = "尚未设置单位和规则,请先完成初始设置。"
        elif question:
            self.error = question
        else:
            try:
                draft = self.draft()
                self.preview = ops.absences.preview(self.store, self.profile, draft)
                self.acting_lines, self.acting_warnings = acting_preview(self.store, self.profile,
                                                                         self.preview.record)
            except UserError as exc:
                self.preview, self.error = None, str(exc)
        ok = self.preview is not None
        self.problem.setText(self.error)
        self.problem.setVisible(bool(self.error))
        self.save_button.setEnabled(ok)
        self.draft_button.setEnabled(ok)
        self.preview_view.setHtml(self._preview_html())
        return ok

    def warnings(self) -> list[tuple[str, str, str]]:
        """(severity, message, article) of everything the preview warns about, worst first."""
        items = [(f.severity, f.message, f.article) for f in (self.preview.findings if self.preview else [])]
        items += [("info" if w.overridden else w.severity, w.message, w.article) for w in self.acting_warnings]
        order = {"violation": 0, "warning": 1, "info": 2}
        return sorted(items, key=lambda t: order.get(t[0], 3))

    def _preview_html(self) -> str:
        e = escape
        if self.preview is None:
            text = e(self.error) if self.error else "请填写外出人员、类型和时间。"
            return f'<p style="color:#b3261e;"><b>无法保存:</b>{text}</p>'
        record = self.preview.record
        parts = [f'<p style="color:#22304a;"><b>{e(self.person.currentText())}</b> {e(record.kind.label)} '
                 f'{e(record.span_text)}{(" · " + e(record.destination)) if record.destination else ""}</p>']
        parts.append('<h4 style="margin-bottom:2px;">代行</h4>')
        for line in self.acting_lines:
            colour = "#b3261e" if line.gap else "#1f2f46"
            days = f"{e(line.days)}:" if line.days else "外出期间:"
            parts.append(f'<p style="margin:2px 0; color:{colour};">{days}{e(line.text)}</p>')
        parts.append('<h4 style="margin-bottom:2px;">报告/审批流程</h4>')
        parts.append(steps_html(self.preview.steps) if self.preview.steps
                     else '<p style="color:#5f6b7a;">按规则无需报告或审批(报送后即为“已报送”)。</p>')
        warnings = self.warnings()
        parts.append('<h4 style="margin-bottom:2px;">提醒</h4>')
        if not warnings:
            parts.append('<p style="color:#1e6b2e;">未发现问题。</p>')
        for severity, message, article in warnings:
            cite = f"〔{e(article_text(article, self.profile))}〕" if article else ""
            parts.append(f'<p style="margin:3px 0; color:{SEVERITY_COLOURS.get(severity, "#333")};">'
                         f'<b>[{SEVERITY_LABELS.get(severity, severity)}]</b> {e(message)}{cite}</p>')
        return "".join(parts)

    # -- saving
    def save(self, submit: bool = True) -> None:
        if not self.refresh_now() or self.profile is None:
            return
        result = self.session.run(self, ops.absences.add_absence, self.profile, self.draft(), submit=submit)
        if result is None:
            self.refresh_now()
            return
        self.saved = result
        self.accept()

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)


def steps_html(steps: list[ResolvedStep], *, with_state: bool = False) -> str:
    """The chain as a numbered list: target, who did it and when, the substitution note."""
    e = escape
    rows = []
    for s in steps:
        who = s.target_text
        if s.assignee_name and s.assignee_name not in who:
            who += f" {s.assignee_name}"
        together = "(与上一步同时办理)" if any(o.stage == s.stage and o.seq < s.seq for o in steps) else ""
        state = ""
        if with_state:
            colour = {"done": "#1e6b2e", "rejected": "#b3261e", "skipped": "#8a8a8a"}.get(s.state.value, "#a05a00")
            state = f' <span style="color:{colour};">[{e(s.state.label)}]</span>'
            if s.done_by:
                when = s.done_at.strftime("%Y-%m-%d %H:%M") if s.done_at else ""
                state += f' <span style="color:#5f6b7a;">{e(s.done_by)} {e(when)}</span>'
            if s.comment:
                state += f' <span style="color:#5f6b7a;">意见:{e(s.comment)}</span>'
        note = f'<br><span style="color:#a05a00;">{e(s.note)}</span>' if s.note else ""
        rows.append(f'<p style="margin:2px 0;">{s.seq}. {e(s.label)} — <b>{e(who)}</b>{e(together)}{state}{note}</p>')
    return "".join(rows)
