"""今日在岗 page: where every government leader is on a date, who acts for whom, gaps and warnings.

The board is `absences.acting_on(store, profile, day)` (the core's `who_acts`) laid out in protocol
order. A gap (缺位: both AB partners away, nobody to act) offers 指定代行… (the office designates a
present leader, 000 art.61: `absences.designate`); a warning such as 市长与常务副市长同时外出 offers
记录理由… (`absences.override`). Both are store operations run through the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.absence import Half
from desktop.core.acting import (
    WARN_NOT_TOGETHER,
    ActingContext,
    ActingReport,
    ActingWarning,
    Designation,
    Gap,
    Override,
    acting_reports,
)
from desktop.core.cndate import cn_date_weekday, cn_month_day, cn_weekday_short
from desktop.core.people import Person
from desktop.core.profile import Profile, Severity
from desktop.core.roles import LEADER_ROLES, TRAVEL_KINDS, AbsenceKind
from desktop.export.profile_html import article_text
from desktop.ops.base import Changes, Entity
from desktop.store import absences, people
from desktop.store.db import Store
from desktop.ui.absence_form import basis_text, person_title
from desktop.ui.banner import BANNER_STYLE, GREY_STYLE, RED_STYLE, Banner
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session
from desktop.ui.widgets import date_edit, empty_hint, ok_cancel, pydate, qdate, readonly_table

RUN_LIMIT_DAYS = 62
COLUMNS = ("姓名", "职务", "今日", "代行人", "联系方式")
AWAY_BG = "#fdf1e3"

def away_text(kind: AbsenceKind, destination: str, half: Half) -> str:
    """外出:出差 北京 / 请假:休假, with (上午)/(下午) for half a day."""
    head = "外出" if kind in TRAVEL_KINDS else "请假"
    what = kind.label + (f" {destination}" if destination and kind in TRAVEL_KINDS else "")
    return f"{head}:{what}" + ("" if half is Half.full else f"({half.label})")


def run_of_days(store: Store, profile: Profile, day: dt.date, still: Callable[[ActingReport], bool]) -> dt.date:
    """The last day from ``day`` on (at most two months) on which ``still(report)`` holds."""
    last = day + dt.timedelta(days=RUN_LIMIT_DAYS - 1)
    roster = absences.roster(store, day, last)
    ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations, roster.overrides)
    end = day
    for report in acting_reports(ctx, roster.absences, [day + dt.timedelta(days=i) for i in range(1, RUN_LIMIT_DAYS)]):
        if not still(report):
            break
        end = report.date
    return end


# ------------------------------------------------------------------------------------------
# Dialogs
# ------------------------------------------------------------------------------------------


class DesignateDialog(FittedDialog):
    """指定代行: one of the suggested leaders (or any present leader), for a date range, with a reason."""

    def __init__(self, gap: Gap, present: list[Person], profile: Profile | None, first: dt.date, last: dt.date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.gap = gap
        self.setWindowTitle("指定代行")
        self.setMinimumWidth(520)
        names = "、".join(p.name for p in gap.absent)
        intro = QLabel(f"{escape(gap.reason)}<br><br>由{escape(profile.office if profile else '办公室')}"
                       f"指定一位在岗领导代行 <b>{escape(names)}</b> 的职责:")
        intro.setWordWrap(True)
        self.designee = QComboBox()
        suggested = [p for p in gap.suggestions if p.id not in gap.absent_ids]
        for i, p in enumerate(suggested):
            mark = "(建议)" if i < 3 else ""
            self.designee.addItem(f"{p.name}({person_title(profile, p)}){mark}", p.id)
        others = [p for p in present if p.id not in {s.id for s in suggested} and p.id not in gap.absent_ids]
        if others and suggested:
            self.designee.insertSeparator(self.designee.count())
        for p in others:
            self.designee.addItem(f"{p.name}({person_title(profile, p)})", p.id)
        self.date_from, self.date_to = date_edit(first), date_edit(last)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(f"例如:{names}同时外出,由办公室协调")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        row = QHBoxLayout()
        row.addWidget(self.date_from, 1)
        row.addWidget(QLabel("至"))
        row.addWidget(self.date_to, 1)
        form = QFormLayout()
        form.addRow("代行人 *", self.designee)
        form.addRow("日期 *", row)
        form.addRow("说明", self.reason)
        self.buttons = ok_cancel(self, "指定")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.date_from.dateChanged.connect(self._validate)
        self.date_to.dateChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> bool:
        problem = ""
        if self.designee.currentData() is None:
            problem = "当天没有其他在岗领导可以指定。"
        elif self.date_to.date() < self.date_from.date():
            problem = "结束日期早于开始日期。"
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def accept(self) -> None:
        if self._validate():
            super().accept()

    def designation(self) -> Designation:
        return Designation(date_from=pydate(self.date_from.date()), date_to=pydate(self.date_to.date()),
                           absent_ids=self.gap.absent_ids, designee_id=self.designee.currentData(),
                           reason=self.reason.text())


class OverrideDialog(FittedDialog):
    """记录理由: why two leaders who should not be away together are (e.g. a meeting both must attend)."""

    def __init__(self, warning: ActingWarning, roles: frozenset, first: dt.date, last: dt.date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.roles = roles
        self.setWindowTitle("记录同时外出的理由")
        self.setMinimumWidth(520)
        intro = QLabel(f"{escape(warning.message)}〔{escape(article_text(warning.article))}〕<br><br>"
                       "如确需同时外出,请记录理由(写入审计记录,今日在岗不再作为提醒):")
        intro.setWordWrap(True)
        self.date_from, self.date_to = date_edit(first), date_edit(last)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如:上级通知两人共同参加的会议")
        row = QHBoxLayout()
        row.addWidget(self.date_from, 1)
        row.addWidget(QLabel("至"))
        row.addWidget(self.date_to, 1)
        form = QFormLayout()
        form.addRow("日期 *", row)
        form.addRow("理由 *", self.reason)
        self.buttons = ok_cancel(self, "记录")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))

    def override(self) -> Override:
        return Override(roles=self.roles, date_from=pydate(self.date_from.date()), date_to=pydate(self.date_to.date()),
                        reason=self.reason.text())


# ------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------


class TodayPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.report: ActingReport | None = None
        self.gap_boxes: list[tuple[Gap, Banner]] = []
        self.warning_boxes: list[tuple[ActingWarning, Banner]] = []

        self.prev_button = QPushButton("◀ 前一天")
        self.next_button = QPushButton("后一天 ▶")
        self.today_button = QPushButton("今天")
        self.date = date_edit(self.store.clock.today())
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f2f46; padding: 0 10px 0 0;")
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #22304a;")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.date.dateChanged.connect(lambda _d: self.refresh())
        for key, text, shortcut, slot in (
            ("prev", "前一天", QKeySequence("Alt+Left"), lambda: self.step(-1)),
            ("next", "后一天", QKeySequence("Alt+Right"), lambda: self.step(1)),
            ("today", "回到今天", QKeySequence("Ctrl+Home"), self.go_today),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            setattr(self, f"{key}_action", action)
        self.prev_button.setToolTip("前一天(Alt+←)")
        self.next_button.setToolTip("后一天(Alt+→)")
        self.today_button.setToolTip("回到今天(Ctrl+Home)")

        self.table = readonly_table(COLUMNS)
        header = self.table.horizontalHeader()  # every column as wide as its content, the last takes the rest
        header.setStretchLastSection(True)
        empty_hint(self.table, "还没有政府领导。请到“人员”页(Ctrl+7)新增领导班子或导入名单,这里即显示每位领导当天在岗还是外出、"
                               "谁代行谁。")
        self.others = QLabel()
        self.others.setWordWrap(True)
        self.others.setStyleSheet("color: #4a5260;")

        self.notices = QWidget()  # gaps and warnings: a few a day at most, laid out under the table
        self.notices_layout = QVBoxLayout(self.notices)
        self.notices_layout.setContentsMargins(0, 0, 0, 0)
        self.notices_layout.setSpacing(6)

        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.prev_button)
        top.addWidget(self.date)
        top.addWidget(self.next_button)
        top.addWidget(self.today_button)
        top.addStretch(1)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.others)
        layout.addWidget(self.notices)

        session.changed.connect(self._on_changed)
        self.refresh()

    # -- navigation
    def day(self) -> dt.date:
        return pydate(self.date.date())

    def set_day(self, day: dt.date) -> None:
        if day == self.day():
            self.refresh()
        else:
            self.date.setDate(qdate(day))  # refreshes through dateChanged

    def step(self, days: int) -> None:
        self.set_day(self.day() + dt.timedelta(days=days))

    def go_today(self) -> None:
        self.set_day(self.store.clock.today())

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.absence, Entity.designation, Entity.warning_override, Entity.person, Entity.ab_pair,
                           Entity.org, Entity.calendar, Entity.duty_plan):
            self.refresh()

    # -- the board
    def refresh(self) -> None:
        day = self.day()
        profile = self.session.profile
        today = self.store.clock.today()
        self.title.setText(cn_date_weekday(day) + ("(今天)" if day == today else ""))
        self.table.horizontalHeaderItem(2).setText("今日" if day == today else f"{cn_month_day(day)}({cn_weekday_short(day)})")
        self._clear_notices()
        if profile is None:
            self.report = None
            self.table.setRowCount(0)
            self.summary.setText("尚未设置单位和规则。")
            return
        report = ops.absences.acting_on(self.store, profile, day)
        scope = ops.scope.of(self.store)
        unit = scope.unit
        if unit is None:
            leaders = people.list_people(self.store, active_only=True, roles=LEADER_ROLES)
        else:  # a 单位录入员: the heads of his own unit, and only what concerns them
            leaders = scope.people(people.list_people(self.store, active_only=True))
            report = scope.acting(report)
        self.report = report
        away = {e.person.id: e for e in report.away}
        acting_for: dict[int, list[str]] = {}
        for e in report.acting:
            if e.actor is not None:
                acting_for.setdefault(e.actor.id, []).append(e.absent_person.name)
        gap_ids = {pid for g in report.gaps for pid in g.absent_ids}

        self.table.setRowCount(len(leaders))
        for row, p in enumerate(leaders):
            entry = away.get(p.id)
            if entry is None:
                names = list(dict.fromkeys(acting_for.get(p.id, [])))
                status = "在岗" + (f" · 代行{'、'.join(names)}的职责" if names else "")
                actor_text = ""
                contact = p.phone
            else:
                a = entry.absence
                status = away_text(a.kind, a.destination, entry.half)
                if a.state.value == "in_progress":
                    status += "(审批中)"
                actor_text = self._actors_text(report, p, profile)
                if not actor_text and any(w.kind == "no_partner" and p.id in w.person_ids for w in report.warnings):
                    actor_text = "(未设置AB角,无人代行)"
                if p.id in gap_ids:
                    actor_text = "缺位:需办公室指定" + (f";{actor_text}" if actor_text else "")
                contact = a.contact or p.phone
                if a.contact and a.contact != p.phone:
                    contact = f"{a.contact}(外出期间)"
            cells = (p.name, person_title(profile, p), status, actor_text, contact)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                if entry is not None:
                    item.setBackground(QColor(AWAY_BG))
                    if col == 2:
                        item.setForeground(QColor("#a05a00"))
                        item.setToolTip(f"{a.kind.label} {a.span_text}" + (f",事由:{a.reason}" if a.reason else ""))
                if col == 3 and p.id in gap_ids:
                    item.setForeground(QColor("#b3261e"))
                elif col == 3 and text.startswith("("):
                    item.setForeground(QColor("#6b7380"))
                if col == 2 and entry is None and text != "在岗":
                    item.setForeground(QColor("#1f5fa8"))
                self.table.setItem(row, col, item)

        n_away = sum(1 for p in leaders if p.id in away)
        self.summary.setText(f"{unit + '负责同志' if unit else '政府领导'} {len(leaders)} 人:在岗 {len(leaders) - n_away} 人,外出 {n_away} 人"
                             + (f";缺位 {len(report.gaps)} 处" if report.gaps else ""))
        leader_ids = {p.id for p in leaders}
        others = [e for e in report.away if e.person.id not in leader_ids]
        if others:
            listed = ";".join(f"{e.person.name}({away_text(e.absence.kind, e.absence.destination, e.half)})"
                              for e in others)  # fmt: skip
            self.others.setText(f"其他外出人员:{listed}")
        self.others.setVisible(bool(others))
        self._fill_notices(report, profile, leaders)

    def _actors_text(self, report: ActingReport, p: Person, profile: Profile) -> str:
        parts = []
        for e in report.acting:
            if e.absent_person.id == p.id and e.actor is not None:
                half = "" if e.half is Half.full else f",{e.half.label}"
                parts.append(f"{e.actor.name}({basis_text(profile, p, e.basis)}{half})")
        return ";".join(dict.fromkeys(parts))

    def _clear_notices(self) -> None:
        self.notices.hide()
        while self.notices_layout.count():
            item = self.notices_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.gap_boxes, self.warning_boxes = [], []

    def _fill_notices(self, report: ActingReport, profile: Profile, leaders: list[Person]) -> None:
        if report.gaps:
            title = QLabel(f"缺位({len(report.gaps)})")
            title.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.notices_layout.addWidget(title)
        for gap in report.gaps:
            half = "" if gap.half is Half.full else f"【{gap.half.label}】"
            text = f"{half}{escape(gap.reason)}〔{escape(article_text(gap.article, profile))}〕"
            box = Banner(text, "指定代行…", style=RED_STYLE, icon=False)
            box.button.clicked.connect(lambda _=False, g=gap: self.designate(g))
            box.button.setEnabled(self.session.can("record"))  # not for 只读 (desktop.core.access)
            self.notices_layout.addWidget(box)
            self.gap_boxes.append((gap, box))
        shown = [w for w in report.warnings if w.kind == WARN_NOT_TOGETHER or w.severity != "info"]
        if shown:
            title = QLabel("提醒")
            title.setStyleSheet("color: #a05a00; font-weight: bold;")
            self.notices_layout.addWidget(title)
        for w in shown:
            cite = f"〔{escape(article_text(w.article, profile))}〕" if w.article else ""
            overridable = w.kind == WARN_NOT_TOGETHER and w.severity == Severity.warning.value and not w.overridden
            box = Banner(escape(w.message) + cite, "记录理由…" if overridable else None,
                         style=GREY_STYLE if w.overridden else BANNER_STYLE, icon=False)
            if box.button is not None:
                box.button.clicked.connect(lambda _=False, warning=w: self.record_reason(warning))
                box.button.setEnabled(self.session.can("record"))
            self.notices_layout.addWidget(box)
            self.warning_boxes.append((w, box))
        self.notices.setVisible(bool(report.gaps or shown))

    # -- operations
    def designate(self, gap: Gap) -> None:
        profile = self.session.profile
        if profile is None or self.report is None:
            return
        day = self.day()
        ids = gap.absent_ids

        def same_gap(r: ActingReport) -> bool:
            return any(g.absent_ids == ids for g in r.gaps)

        last = run_of_days(self.store, profile, day, same_gap)
        present = [p for p in people.list_people(self.store, active_only=True, roles=LEADER_ROLES)
                   if not self.report.is_away(p.id)]  # fmt: skip
        dialog = DesignateDialog(gap, present, profile, day, last, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.session.run(self, ops.absences.designate, dialog.designation())

    def record_reason(self, warning: ActingWarning) -> None:
        profile = self.session.profile
        if profile is None:
            return
        everyone = {p.id: p for p in people.list_people(self.store)}
        roles = frozenset(everyone[i].role for i in warning.person_ids if i in everyone)
        ids = set(warning.person_ids)

        def together(r: ActingReport) -> bool:
            return ids <= r.away_ids

        last = run_of_days(self.store, profile, self.day(), together)
        dialog = OverrideDialog(warning, roles, self.day(), last, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.session.run(self, ops.absences.override, dialog.override())
