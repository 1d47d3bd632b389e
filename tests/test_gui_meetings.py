"""The 会议 page (pytest-qt, offscreen) on the demo government (攀枝花 rules, today 2026-11-21).

Scenarios cite the articles: 000 art.42 (常务会议 半数以上组成人员到会方可召开), 000 art.43 (向市长
请假; 部门主要负责人指派人员代为参会), 000 art.10 (市长外出,常务副市长代行 — so he approves leave).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop import ops
from desktop.core import meetings as mt
from desktop.core.absence import Absence
from desktop.core.meetings import LeaveState
from desktop.core.roles import AbsenceKind
from desktop.ops.base import Changes, Entity
from desktop.store import meetings as ms
from desktop.store import people
from desktop.ui.meeting_dialog import LeaveDialog, MeetingDialog
from desktop.ui.meetings_page import DoneDialog, MeetingsPage

TUESDAY = dt.datetime(2026, 11, 24, 9, 0)


def accept_with(monkeypatch, cls, setup=lambda dialog: None):
    def fake_exec(dialog):
        setup(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cls, "exec", fake_exec)


def pid(session, name: str) -> int:
    return people.find_person(session.store, name).id


def add_meeting(session, type_id="executive", at=TUESDAY, **kw):
    everyone = people.list_people(session.store)
    profile = session.profile
    draft = mt.Meeting(id=None, type_id=type_id, title=kw.pop("title", ""), starts_at=at,
                       convener_id=mt.default_convener(profile, type_id, everyone).id,
                       member_ids=tuple(p.id for p in mt.default_members(profile, type_id, everyone)), **kw)
    return ops.meetings.add_meeting(session.store, profile, draft).value


def trip(session, name, start, end, dest="北京"):
    draft = Absence(id=None, person_id=pid(session, name), kind=AbsenceKind.trip, start=start, end=end,
                    destination=dest, reason="公务", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 20, 9))
    return ops.absences.add_absence(session.store, session.profile, draft).value.record


@pytest.fixture
def page(qtbot, session):
    p = MeetingsPage(session)
    qtbot.addWidget(p)
    p.resize(1400, 850)
    p.show()
    return p


def list_texts(page, col):
    return [page.list.item(r, col).text() for r in range(page.list.rowCount())]


def test_the_section_is_in_the_main_window(qtbot, session):
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    window.show_section("meetings")
    assert isinstance(window.pages["meetings"], MeetingsPage)


def test_000_art42_a_meeting_that_cannot_be_held_is_red_and_says_why(page, session):
    assert "还没有会议" in page.title.text()
    m = add_meeting(session, title="市政府第23次常务会议")
    for name in ("张丽华", "刘海峰", "孙卫东"):
        lv = ops.meetings.request_leave(session.store, session.profile, m.id, pid(session, name), "赴省开会").value
        ops.meetings.decide_leave(session.store, lv.id, "王建国", True)
    trip(session, "赵雪梅", dt.date(2026, 11, 23), dt.date(2026, 11, 25), "西昌")
    trip(session, "陈明", dt.date(2026, 11, 24), dt.date(2026, 11, 24), "成都")
    session.changed.emit(Changes.of(Entity.meeting))
    assert page.title.text().startswith("市政府第23次常务会议 — 2026年11月24日 09:00")
    assert list_texts(page, 4) == ["不能召开"]
    assert page.list.item(0, 4).foreground().color().name() == "#b3261e"
    assert page.quorum_label.text().startswith("不能召开:应到 9 人,预计实到 4 人")
    reasons = {page.attendance.item(r, 0).text(): page.attendance.item(r, 3).text()
               for r in range(page.attendance.rowCount())}
    assert "已准假(赴省开会" in reasons["张丽华"] and "出差 西昌" in reasons["赵雪梅"]
    # Both trips are on file without a leave request: 可能请假, each with 登记为请假.
    assert page.likely.rowCount() == 2 and page.likely.cellWidget(0, 2).text() == "登记为请假"
    page.likely.cellWidget(0, 2).click()  # 陈明, a deputy: no substitute needed, registered at once
    leave = ops.meetings.find_leave(session.store, m.id, pid(session, "陈明"))
    assert leave.absence_id is not None and leave.state is LeaveState.requested
    assert page.likely.rowCount() == 1


def test_new_meeting_through_the_form(page, session, monkeypatch):
    def fill(dialog: MeetingDialog):
        assert dialog.type_id == "plenary"  # first type of the profile
        dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("executive"))
        assert len(dialog.member_ids()) == 9  # 000 art.42: 市长、副市长、秘书长
        dialog.title.setText("市政府第24次常务会议")
        dialog.place.setText("第一会议室")
        dialog.set_ticked([p.name for p in dialog.people[:9]], ["郑文博"])
        dialog.add_topic("老旧小区改造方案", "住房和城乡建设局")

    accept_with(monkeypatch, MeetingDialog, fill)
    page.add_button.click()
    (m,) = ms.list_meetings(session.store)
    assert m.title == "市政府第24次常务会议" and m.place == "第一会议室"
    assert m.attendee_ids == (pid(session, "郑文博"),) and m.topics == (mt.Topic("老旧小区改造方案", "住房和城乡建设局"),)
    assert m.convener_id == pid(session, "王建国") and m.starts_at == dt.datetime(2026, 11, 21, 9, 0)
    assert list_texts(page, 1) == ["市政府第24次常务会议"]


def test_the_form_ticks_members_by_rank_and_edits_keep_the_version(page, session, monkeypatch):
    m = add_meeting(session)
    page.reload()
    dialog = MeetingDialog(session.profile, people.list_people(session.store), m)
    assert [p.rank for p in dialog.people] == sorted(p.rank for p in dialog.people)
    assert dialog.member_ids() == list(m.member_ids)
    # ticking a member as 列席 unticks him as a member
    row = next(r for r, p in enumerate(dialog.people) if p.name == "吴国栋")
    dialog.roster.item(row, 3).setCheckState(Qt.CheckState.Checked)
    assert pid(session, "吴国栋") not in dialog.member_ids() and pid(session, "吴国栋") in dialog.attendee_ids()
    dialog.deleteLater()
    accept_with(monkeypatch, MeetingDialog, lambda d: d.place.setText("市政府第二会议室"))
    page.edit_button.click()
    saved = ms.get_meeting(session.store, m.id)
    assert saved.place == "市政府第二会议室" and saved.version == m.version + 1


def test_000_art43_department_head_leave_needs_a_substitute(page, session, monkeypatch):
    m = add_meeting(session, "plenary", dt.datetime(2026, 11, 27, 15, 0))
    page.reload()
    errors = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": errors.append(message))
    shown = {}

    def ask(dialog: LeaveDialog):
        dialog.person.setCurrentIndex(dialog.person.findData(pid(session, "马晓东")))
        shown["policy"] = dialog.policy.text()
        dialog.reason.setText("参加全省教育督导会议")

    accept_with(monkeypatch, LeaveDialog, ask)
    page.request_button.click()
    assert "须填写代为参会人员" in shown["policy"] and "000 art.43" not in shown["policy"] and "(第四十三条)" in shown["policy"]
    assert "审批:市长 王建国" in shown["policy"]
    assert errors and "指派人员代为参会" in errors[0] and ms.leaves_of(session.store, m.id) == []

    accept_with(monkeypatch, LeaveDialog, lambda d: (ask(d), d.substitute.setText("钱进 副局长")))
    page.request_button.click()
    (lv,) = ms.leaves_of(session.store, m.id)
    assert lv.substitute == "钱进 副局长"
    page.leaves.selectRow(0)
    assert page.approve_button.isEnabled() and page.approve_button.text() == "准假(王建国)"
    page.approve_button.click()
    assert ms.get_leave(session.store, lv.id).state is LeaveState.approved
    assert page.leaves.item(0, 4).text() == "已准假(王建国)"


def test_000_art10_mayor_away_the_executive_deputy_approves(page, session, monkeypatch):
    trip(session, "王建国", dt.date(2026, 11, 21), dt.date(2026, 11, 22), "成都")
    m = add_meeting(session)
    page.reload()
    accept_with(monkeypatch, LeaveDialog, lambda d: (d.person.setCurrentIndex(d.person.findData(pid(session, "张丽华"))),
                                                     d.reason.setText("陪同省领导调研")))
    page.request_button.click()
    page.leaves.selectRow(0)
    assert page.approve_button.text() == "准假(李志强)"
    assert "代为审批" in page.leaves.item(0, 3).text()
    monkeypatch.setattr("desktop.ui.meetings_page.QInputDialog.getText", lambda *a, **k: ("须参加", True))
    page.reject_button.click()
    lv = ms.leaves_of(session.store, m.id)[0]
    assert lv.state is LeaveState.rejected and lv.decided_by == "李志强" and lv.comment == "须参加"


def test_withdraw_and_delete(page, session, monkeypatch):
    m = add_meeting(session)
    ops.meetings.request_leave(session.store, session.profile, m.id, pid(session, "周晓燕"), "接待检查组")
    session.changed.emit(Changes.of(Entity.meeting_leave))
    page.leaves.selectRow(0)
    page.withdraw_button.click()
    assert ms.leaves_of(session.store, m.id)[0].state is LeaveState.withdrawn
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert ms.list_meetings(session.store) == [] and page.list.rowCount() == 0
    assert "还没有会议" in page.title.text()


def test_minutes_marked_done_from_the_deadlines_panel(page, session, monkeypatch):
    m = add_meeting(session, at=dt.datetime(2026, 11, 17, 9, 0))
    page.reload()
    assert page.deadlines.item(0, 0).text() == "会议纪要印发" and page.deadlines.item(0, 1).text() == "规则未规定期限"
    accept_with(monkeypatch, DoneDialog, lambda d: d.on.setDate(d.on.date().addDays(-1)))
    page.done_button.click()
    assert ms.get_meeting(session.store, m.id).minutes_done == dt.date(2026, 11, 20)
    assert page.deadlines.item(0, 2).text() == "已印发" and page.deadlines.item(0, 3).text() == "2026-11-20"


def test_print_buttons_preview_the_sheet_and_the_summary(page, session, monkeypatch):
    m = add_meeting(session, "plenary", dt.datetime(2026, 11, 27, 15, 0))
    lv = ops.meetings.request_leave(session.store, session.profile, m.id, pid(session, "马晓东"), "参加全省会议", "钱进 副局长").value
    ops.meetings.decide_leave(session.store, lv.id, "王建国", True)
    session.changed.emit(Changes.of(Entity.meeting_leave))
    previews = []
    monkeypatch.setattr("desktop.ui.printing.preview_html",
                        lambda html, **kw: previews.append((html, kw["title"], kw["kind"])))
    page.sheet_button.click()
    page.summary_button.click()
    (sheet, title, kind), (summary, title2, _kind) = previews
    assert title == "市政府全体会议签到表" and kind == "approval"
    assert "代 钱进 副局长" in sheet and sheet.index("王建国") < sheet.index("李志强") < sheet.index("马晓东")
    assert title2 == "市政府全体会议请假汇总" and "参加全省会议" in summary and "批示" in summary
