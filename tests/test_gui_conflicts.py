"""界面上的保存冲突:人员编辑窗口打开期间,另一位秘书改了此人;保存时弹出冲突窗口列出改动,“重新载入”把新值填入表单。

Also: a database locked by another program comes out of `Session.run` as the Chinese
DatabaseLocked message, not a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop import ops
from desktop.core.absence import Absence, AbsenceState
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind
from desktop.store import absences, people
from desktop.store.opening import open_store
from desktop.ui.absences_page import AbsencesPage
from desktop.ui.conflict_dialog import ConflictDialog
from desktop.ui.people_page import PeoplePage
from desktop.ui.person_dialog import PersonDialog


@pytest.fixture
def other(db_path, clock, demo_store):
    """李秘书: a second connection to the same database file."""
    s = open_store(db_path, clock, operator="李秘书")
    yield s
    s.close()


def modal(kind):
    w = QApplication.activeModalWidget()
    assert isinstance(w, kind), w
    return w


def test_person_dialog_conflict_lists_the_change_and_reload_fills_the_form(qtbot, session, other, shots):
    page = PeoplePage(session)
    qtbot.addWidget(page)
    target = people.find_person(session.store, "张丽华")
    page.select_id(target.id)
    seen: dict = {}

    def edit_underneath_then_save():
        dialog = modal(PersonDialog)
        theirs = people.get_person(other, target.id)
        ops.people.update_person(other, target.id, PersonDraft(
            name=theirs.name, role=theirs.role, title=theirs.title, phone="13912345678", unit=theirs.unit,
            note=theirs.note, portfolio=tuple(people.portfolio_of(other, target.id))), theirs.version)
        dialog.note.setText("周五起住院体检")
        QTimer.singleShot(0, press_reload)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        # back from the conflict: the form shows the stored phone, the dialog is still open
        seen["phone_after_reload"] = dialog.phone.text()
        seen["notice"] = dialog.notice.text()
        seen["open"] = dialog.isVisible()
        dialog.note.setText("周五起住院体检")  # entered again
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    def press_reload():
        conflict = modal(ConflictDialog)
        seen["rows"] = [tuple(conflict.table.item(r, c).text() for c in range(3)) for r in range(conflict.table.rowCount())]
        seen["yours"] = conflict.yours.toPlainText()
        seen["saved"] = conflict.grab().save(str(shots / "conflict_dialog.png"))
        conflict.reload_button.click()

    QTimer.singleShot(0, edit_underneath_then_save)
    page.edit_selected()

    assert seen["rows"] == [("电话", target.phone or "(空)", "13912345678")]
    assert seen["saved"]  # the screenshot, into the test's tmp folder
    assert "备注:周五起住院体检" in seen["yours"]
    assert seen["phone_after_reload"] == "13912345678" and seen["open"]
    assert "李秘书" in seen["notice"] and "周五起住院体检" in seen["notice"]
    final = people.get_person(session.store, target.id)
    assert (final.phone, final.note) == ("13912345678", "周五起住院体检")  # both changes kept


def test_cancel_leaves_the_form_and_the_database_alone(qtbot, session, other):
    page = PeoplePage(session)
    qtbot.addWidget(page)
    target = people.find_person(session.store, "张丽华")
    page.select_id(target.id)
    seen: dict = {}

    def change_and_save():
        dialog = modal(PersonDialog)
        theirs = people.get_person(other, target.id)
        ops.people.set_active(other, theirs.id, True)  # no change: version stays
        ops.people.move(other, target.id, 1)  # 排名 moved by 李秘书
        dialog.phone.setText("13000000000")
        QTimer.singleShot(0, cancel_conflict)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        seen["phone"] = dialog.phone.text()
        dialog.reject()

    def cancel_conflict():
        conflict = modal(ConflictDialog)
        seen["rows"] = [conflict.table.item(r, 0).text() for r in range(conflict.table.rowCount())]
        conflict.cancel_button.click()

    QTimer.singleShot(0, change_and_save)
    page.edit_selected()
    assert seen["rows"] == ["排名"] and seen["phone"] == "13000000000"
    assert people.get_person(session.store, target.id).phone == target.phone


def test_absence_page_conflict_offers_reload_of_the_record(qtbot, session, other, monkeypatch):
    from desktop.ui import absences_page

    store = session.store
    person = people.find_person(store, "陈明")
    draft = Absence(id=None, person_id=person.id, kind=AbsenceKind.trip, start=dt.date(2026, 12, 7),
                    end=dt.date(2026, 12, 9), destination="北京", reason="会议", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 11, 20, 9))
    record = ops.absences.add_absence(store, session.profile, draft).value.record
    while record.state is not AbsenceState.approved:
        steps = [s for s in absences.steps_of(store, record.id) if s.state.value == "pending"]
        record, _ = ops.absences.advance_absence(store, record.id, steps[0].assignee_name or store.operator).value
    page = AbsencesPage(session)
    qtbot.addWidget(page)
    page.clear_filters()
    assert page.select_id(record.id)
    seen: dict = {}

    def extend_underneath(dialog):
        ops.absences.extend_absence(other, record.id, dt.date(2026, 12, 10), reason="延长一天")
        return 1

    monkeypatch.setattr(absences_page.ReasonDialog, "exec", extend_underneath)
    monkeypatch.setattr(absences_page.ReasonDialog, "text", lambda self: "行程取消")

    def press_reload():
        conflict = modal(ConflictDialog)
        seen["rows"] = [tuple(conflict.table.item(r, c).text() for c in range(3)) for r in range(conflict.table.rowCount())]
        conflict.reload_button.click()

    QTimer.singleShot(0, press_reload)
    page.cancel_selected()
    assert ("结束日期", "2026-12-09", "2026-12-10") in seen["rows"]
    assert absences.get_absence(store, record.id).state is AbsenceState.approved  # the cancel was not saved
    assert page.selected_id() == record.id
    assert "2026年12月7日至10日" in page.detail.toPlainText()


def test_locked_database_is_a_chinese_message_not_a_traceback(session, db_path, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": shown.append(message))
    store = session.store
    store.conn.execute("PRAGMA busy_timeout = 50")
    target = people.find_person(store, "张丽华")
    holder = sqlite3.connect(str(db_path), timeout=0.05)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        draft = dataclasses.replace(PersonDraft(name=target.name, role=target.role), phone="13800000000")
        assert session.run(None, ops.people.update_person, target.id, draft, target.version) is None
    finally:
        holder.rollback()
        holder.close()
    assert len(shown) == 1 and "正被另一个程序或另一位同事使用" in shown[0]
    assert people.get_person(store, target.id).phone == target.phone
