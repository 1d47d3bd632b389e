"""历史记录窗口与“校验审计日志”:一条记录的修改(谁、何时、改前 → 改后),以及被篡改的审计行被指出。"""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind
from desktop.store import absences, duty, people
from desktop.store.history import record_history
from desktop.ui.absences_page import AbsencesPage
from desktop.ui.history_dialog import HISTORY_SHORTCUT, HistoryDialog, verify_message
from desktop.ui.people_page import PeoplePage


def edit_phone(store, name, phone):
    p = people.find_person(store, name)
    draft = PersonDraft(name=p.name, role=p.role, title=p.title, phone=phone, unit=p.unit, note=p.note,
                        portfolio=tuple(people.portfolio_of(store, p.id)))
    return ops.people.update_person(store, p.id, draft, p.version).value


def test_person_history_lists_the_edit_newest_first_with_before_and_after(qtbot, session, shots):
    store = session.store
    old = people.find_person(store, "张丽华")
    store.operator = "李秘书"
    edit_phone(store, "张丽华", "13912345678")
    ops.people.move(store, old.id, -1)
    dialog = HistoryDialog(store, "person", old.id, "张丽华")
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    assert rows[0][:3] == ("2026-11-21 09:30", "李秘书", "调整排名")
    assert f"排名:{old.rank} → {old.rank - 1}" in rows[0][3]
    assert rows[1][:3] == ("2026-11-21 09:30", "李秘书", "修改")
    assert f"电话:{old.phone} → 13912345678" in rows[1][3].splitlines()
    assert rows[-1][2] == "新增"
    dialog.show()
    assert dialog.grab().save(str(shots / "history_person.png"))


def test_people_page_opens_the_history_of_the_selected_person_from_the_keyboard(qtbot, session, monkeypatch):
    page = PeoplePage(session)
    qtbot.addWidget(page)
    edit_phone(session.store, "陈明", "13700000000")
    page.select_id(people.find_person(session.store, "陈明").id)
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self.rows()) or 0)
    action = page.actions["history"]
    assert action.isEnabled() and action.shortcut() == QKeySequence(HISTORY_SHORTCUT)
    assert action in page.table.actions()  # the table's context menu
    action.trigger()
    assert shown and shown[0][0][2] == "修改" and "电话:" in shown[0][0][3]


def test_absence_history_shows_the_extension_and_the_step(qtbot, session, monkeypatch):
    store = session.store
    person = people.find_person(store, "陈明")
    draft = Absence(id=None, person_id=person.id, kind=AbsenceKind.trip, start=dt.date(2026, 12, 7),
                    end=dt.date(2026, 12, 9), destination="北京", reason="会议", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 11, 20, 9))
    record = ops.absences.add_absence(store, session.profile, draft).value.record
    step = next(s for s in absences.steps_of(store, record.id) if s.state.value == "pending")
    ops.absences.advance_absence(store, record.id, step.assignee_name or store.operator, comment="同意")
    while absences.get_absence(store, record.id).state.value != "approved":
        step = next(s for s in absences.steps_of(store, record.id) if s.state.value == "pending")
        ops.absences.advance_absence(store, record.id, step.assignee_name or store.operator)
    ops.absences.extend_absence(store, record.id, dt.date(2026, 12, 10), reason="会议延长")
    entries = record_history(store, "absence", record.id)
    assert entries[0].action_label == "延期"
    assert [str(c) for c in entries[0].changes] == ["结束日期 2026-12-09 → 2026-12-10", "延期理由 (空) → 会议延长"]
    assert entries[-1].action_label == "新增"
    assert any("意见 (空) → 同意" in [str(c) for c in e.changes] for e in entries)

    page = AbsencesPage(session)
    qtbot.addWidget(page)
    page.clear_filters()
    page.select_id(record.id)
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append((self.windowTitle(), self.rows())) or 0)
    page.actions["history"].trigger()
    title, rows = shown[0]
    assert f"编号 {record.id}" in title and rows[0][2] == "延期"
    assert "结束日期:2026-12-09 → 2026-12-10" in rows[0][3].splitlines()


def test_duty_plan_history_lists_the_pin(session):
    store = session.store
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    info = ops.duty.plan(store, session.profile, scope).value.info
    first = duty.load_plan(store, info.id).rows[0]
    ops.duty.pin(store, session.profile, info.id, first.date, first.person_id)
    entries = record_history(store, "duty_plan", info.id)
    assert [e.action_label for e in entries[:2]] == ["固定", "生成排班"]
    label = f"{first.date.month}月{first.date.day}日"
    assert [str(c) for c in entries[0].changes] == [f"{label} {first.name} → {first.name}(固定)"]


def test_verify_reports_ok_then_the_tampered_row_by_id(qtbot, session, db_path, shots):
    store = session.store
    edit_phone(store, "陈明", "13700000000")
    ok, message = verify_message(store)
    assert ok and message.startswith("审计日志完好:共 ")
    victim = store.conn.execute("SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    raw = sqlite3.connect(str(db_path))
    raw.execute("UPDATE audit SET summary = summary || '(改)' WHERE id = ?", (victim,))
    raw.commit()
    raw.close()
    ok, message = verify_message(store)
    assert not ok
    assert f"审计日志在编号 {victim} 的记录处断开" in message and "(改)" in message

    # the menu item of the main window shows the same message
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    seen = []

    def read_box():
        from desktop.ui.verify_dialog import VerifyDialog

        box = QApplication.activeModalWidget()
        assert isinstance(box, VerifyDialog)
        seen.append(box.report_text)
        assert box.grab().save(str(shots / "audit_verify_broken.png"))
        assert f"审计日志在编号 {victim} 的记录处断开" in box.summary.text()
        box.accept()

    QTimer.singleShot(0, read_box)
    window.verify_audit_action.trigger()
    assert seen == [message]
