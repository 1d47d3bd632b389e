"""The window for a 单位录入员 (his unit's heads only, the government's rotation and meetings not shown)
and the 部门值班 page (departments' holiday rosters: enter a day, import a unit's template, who has not
sent one, the combined roster as PDF and xlsx). On a file and on a server database."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop import ops
from desktop.core import access
from desktop.core import meetings as mt
from desktop.export.dept_roster_doc import write_template
from desktop.settings import Settings
from desktop.store import people
from desktop.ui.dept_roster_page import DayDialog
from desktop.ui.mainwindow import MainWindow

pytestmark = pytest.mark.both_engines

PW = "Zhiban-2026!"
UNIT = "教育和体育局"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)


@pytest.fixture
def window(qtbot, session):
    store = session.store
    ops.operators.add_operator(store, "wang", PW, "admin")
    ops.operators.authenticate(store, "wang", PW)
    ops.operators.add_operator(store, "jiaoyu", PW, "unit_clerk", "教育局 小赵", unit=UNIT)
    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    return w


def _nav(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]


def test_a_unit_clerk_sees_his_units_heads_only(window):
    session = window.session
    everyone = len(_nav(window))
    session.run(window, ops.operators.authenticate, "jiaoyu", PW)
    assert "值班" not in _nav(window) and "部门值班" in _nav(window) and "会议" in _nav(window)
    assert not window.export_action.isEnabled() and not window.print_weekly_action.isEnabled()
    window.show_section("absences")
    page = window.pages["absences"]
    names = [page.person_filter.itemText(i) for i in range(page.person_filter.count())]
    assert names == ["全部人员", "马晓东"]
    assert page.actions["add"].isEnabled()
    window.show_section("people")
    people_page = window.pages["people"]
    assert [people_page.proxy.index(r, 1).data() for r in range(people_page.proxy.rowCount())] == ["马晓东"]
    window.show_section("today")
    today = window.pages["today"]
    assert [today.table.item(r, 0).text() for r in range(today.table.rowCount())] == ["马晓东"]
    assert today.summary.text().startswith(f"{UNIT}负责同志 1 人")
    session.run(window, ops.operators.authenticate, "wang", PW)  # the office again: everything
    assert len(_nav(window)) == everyone and window.export_action.isEnabled()
    assert len([today.table.item(r, 0) for r in range(today.table.rowCount())]) > 1


def test_a_unit_clerk_sees_the_meetings_his_units_heads_take_part_in(window, monkeypatch):
    session, store = window.session, window.session.store
    profile = session.profile
    leaders = tuple(p.id for p in mt.default_members(profile, "executive", people.list_people(store)))

    def add(title: str, attendee: str) -> mt.Meeting:
        draft = mt.Meeting(id=None, type_id="executive", title=title, starts_at=dt.datetime(2026, 11, 24, 9, 0),
                           member_ids=leaders, attendee_ids=(people.find_person(store, attendee).id,))
        return ops.meetings.add_meeting(store, profile, draft).value

    ours = add("研究教育工作", "马晓东")
    add("研究发展改革工作", "何振华")
    session.run(window, ops.operators.authenticate, "jiaoyu", PW)
    window.show_section("meetings")
    page = window.pages["meetings"]
    assert [page.list.item(r, 1).text() for r in range(page.list.rowCount())] == ["研究教育工作"]
    page.select_meeting(ours.id)
    assert page.attendance.rowCount() == 0  # the members are the government's leaders: none of his unit
    assert not page.scope_label.isHidden() and "只列出教育和体育局的人员:马晓东(列席)" in page.scope_label.text()
    assert page.list.item(0, 2).text() == str(len(leaders))  # 应到: the meeting's own count stays
    assert not page.sheet_button.isEnabled() and not page.summary_button.isEnabled()  # they list everyone
    assert not page.add_button.isEnabled() and not page.request_button.isEnabled()
    opened = []
    monkeypatch.setattr("desktop.ui.meetings_page.MeetingDialog", lambda *a, **k: opened.append(a))
    page.edit_meeting()  # a double click: the form with every person is not opened for him
    assert opened == []
    session.run(window, ops.operators.authenticate, "wang", PW)  # the office: every meeting, every member
    assert page.list.rowCount() == 2 and page.scope_label.isHidden()
    page.select_meeting(ours.id)
    assert page.attendance.rowCount() == len(leaders) and page.sheet_button.isEnabled()


def test_the_dept_roster_page(window, tmp_path, monkeypatch):
    session = window.session
    window.show_section("dept_duty")
    page = window.pages["dept_duty"]
    page.year.setValue(2026)
    page.holiday.setCurrentIndex(page.holiday.findData("国庆节"))
    units = [page.units.item(r, 0).text() for r in range(page.units.rowCount())]
    assert UNIT in units and "公安局" in units and "个尚未报送完整" in page.summary.text()
    page.units.selectRow(units.index(UNIT))
    page.days.selectRow(0)

    def fill(self):
        self.leader.setText("王志刚")
        self.title_edit.setText("副局长")
        self.phone.setText("0812-3331001")
        self.officers.setPlainText("李明 13908120001\n周婷:13908120002")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DayDialog, "exec", fill)
    page.buttons["enter"].click()
    row = [page.units.item(r, 0).text() for r in range(page.units.rowCount())].index(UNIT)
    assert page.units.item(row, 1).text() == "缺 6 天:10月2日、10月3日、10月4日、10月5日、10月6日、10月7日"
    assert page.days.item(0, 2).text() == "王志刚" and page.days.item(0, 5).text() == "李明 13908120001、周婷 13908120002"
    # the office imports 公安局's filled template
    path = write_template(tmp_path / "公安局.xlsx", 2026, "国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 7), "公安局")
    wb = openpyxl.load_workbook(path)
    for r in range(4, 11):
        for c, v in enumerate(("陈卫国", "政委", "0812-3332110", "赵磊", "13908120101"), start=2):
            wb.active.cell(r, c, v)
    wb.save(path)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.import_file(str(path))
    row = [page.units.item(r, 0).text() for r in range(page.units.rowCount())].index("公安局")
    assert page.units.item(row, 1).text() == "已报送(导入)"
    pdf = page.export_pdf(str(tmp_path / "all.pdf"))
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    xlsx = page.export_xlsx(str(tmp_path / "all.xlsx"))
    assert openpyxl.load_workbook(xlsx).active.cell(4, 1).value in (UNIT, "公安局")
    # a change made on another seat (a unit clerk's day) shows on this page when its change arrives
    other = ops.dept_rosters.set_day(session.store, 2026, "国庆节", dt.date(2026, 10, 2), "王志刚", "0812-3331001",
                                     [("李明", "13908120001")], unit=UNIT)
    session.changed.emit(other.changes)
    row = [page.units.item(r, 0).text() for r in range(page.units.rowCount())].index(UNIT)
    assert page.units.item(row, 1).text().startswith("缺 5 天")
