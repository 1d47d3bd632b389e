"""GUI tests of the working-day calendar: month view, deadline calculator, notice import, reminder.

Every store here has a FixedClock (conftest: 2026-11-21), so nothing reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop import ops
from desktop.app import configure_app
from desktop.core.clock import FixedClock
from desktop.core.profile import DayUnit
from desktop.resources import available_profiles
from desktop.settings import Settings
from desktop.store.opening import open_store
from desktop.ui.calendar_page import CalendarPage, MonthModel, Roles
from desktop.ui.deadline_page import DeadlinePage
from desktop.ui.mainwindow import MainWindow
from desktop.ui.notice_dialog import NoticeDialog
from desktop.ui.session import Session

D = dt.date

# A 2027 notice typed in the official wording (the real one is not out on the tests' date);
# its dates fit 2027's calendar: 春节 is 2027-02-06 (Saturday), 除夕 2027-02-05.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕8号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天。
六、中秋节：9月15日（周三）放假1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2026年11月12日
"""
BAD_LINE = "四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）另行安排。"
BAD_NOTICE = NOTICE_2027.replace("四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。", BAD_LINE)


@pytest.fixture
def session(qapp, store):
    configure_app(qapp)
    return Session(store)


def make_session(qapp, tmp_path, today: dt.date) -> Session:
    store = open_store(tmp_path / f"db-{today.isoformat()}.db", FixedClock(dt.datetime.combine(today, dt.time(9))),
                       operator="测试员")
    ops.org.init_org(store, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    return Session(store)


@pytest.fixture
def page(qtbot, session):
    p = CalendarPage(session)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    return p


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    w.show()
    return w


def calendar_days(store, year: int) -> list[tuple]:
    return store.conn.execute("SELECT day, rest, name FROM calendar_day WHERE day LIKE ? ORDER BY day",
                              (f"{year}-%",)).fetchall()


# --------------------------------------------------------------------------- month view


def test_february_2026_shows_the_spring_festival(page):
    page.show_month(2026, 2)
    assert page.title.text() == "2026年2月"
    for day in range(15, 24):
        cell = page.cell(D(2026, 2, day))
        assert cell.mark == "休" and cell.caption == "春节" and cell.rest, day
    for day in (14, 28):
        cell = page.cell(D(2026, 2, day))
        assert cell.mark == "班" and cell.caption == "调休上班" and not cell.rest
    assert page.cell(D(2026, 2, 17)).lunar == "正月"
    assert page.cell(D(2026, 2, 4)).lunar == "立春"
    ordinary_saturday = page.cell(D(2026, 2, 7))
    assert ordinary_saturday.rest and ordinary_saturday.mark == ""
    assert page.cell(D(2026, 2, 10)).mark == "" and not page.cell(D(2026, 2, 10)).rest
    # the same facts through the model's roles, and a readable tooltip
    index = page.model.index_of(D(2026, 2, 17))
    assert index.data(Roles.Mark) == "休" and index.data(Roles.Lunar) == "正月"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "2026年2月17日 星期二 · 农历正月初一 · 休息(春节)"
    assert index.data(Roles.Date) == D(2026, 2, 17)
    # Monday-first columns; 2026-02-01 is a Sunday
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "星期一"
    assert page.model.index(0, 6).data(Roles.Date) == D(2026, 2, 1)
    assert page.source_label.text() == "2026年日历来源:正式(国务院通知,随程序提供)"
    assert not page.banner.isVisibleTo(page)


def test_today_is_highlighted_and_shown_first(page):
    assert (page.year.value(), page.month.currentIndex()) == (2026, 10)  # 2026-11-21
    assert page.cell(D(2026, 11, 21)).today
    assert not page.cell(D(2026, 11, 20)).today
    assert page.detail.text().startswith("2026年11月21日 星期六")
    assert sum(c.today for c in page.model.cells()) == 1


def test_month_navigation_buttons_pickers_and_keys(page, qtbot):
    page.show_month(2026, 2)
    page.next_button.click()
    assert page.title.text() == "2026年3月"
    page.prev_button.click()
    page.prev_button.click()
    assert page.title.text() == "2026年1月"
    page.year.setValue(2025)
    assert page.title.text() == "2025年1月"
    page.month.setCurrentIndex(9)
    assert page.title.text() == "2025年10月"
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_PageDown)
    assert page.title.text() == "2025年11月"
    qtbot.keyClick(page.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(page.view, Qt.Key.Key_PageUp)
    assert page.title.text() == "2025年9月"
    page.today_button.click()
    assert page.title.text() == "2026年11月"
    page.show_month(2025, 12)
    page.next_button.click()
    assert page.title.text() == "2026年1月"


def test_a_provisional_year_shows_the_banner(page):
    page.show_month(2027, 2)
    assert page.banner.isVisibleTo(page)
    assert page.banner.text().startswith("2027年尚无国务院放假通知:本月按暂定日历显示(只含法定节日,不含调休)")
    assert "暂定" in page.source_label.text()
    cell = page.cell(D(2027, 2, 6))
    assert cell.mark == "休" and cell.provisional and cell.caption == "春节" and cell.lunar == "正月"
    assert page.cell(D(2027, 2, 20)).mark == ""  # no make-up days in a provisional year
    # the last week of 2026 may still change with the 2027 notice
    page.show_month(2026, 12)
    assert page.banner.isVisibleTo(page) and "12月29日" in page.banner.text()
    assert page.cell(D(2026, 12, 29)).provisional and not page.cell(D(2026, 12, 28)).provisional
    page.show_month(2026, 2)
    assert not page.banner.isVisibleTo(page)


def test_month_model_passes_the_model_tester(qtmodeltester, page):
    page.show_month(2026, 2)
    qtmodeltester.check(page.model)
    empty = MonthModel()
    qtmodeltester.check(empty)


def test_print_renders_the_month(page, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    page.show_month(2026, 2)
    text = page.document().toPlainText()
    assert "2026年2月" in text and "正月" in text and "立春" in text
    assert "春节:2月15日至23日放假,共9天;2月14日(星期六)、2月28日(星期六)上班" in text
    assert "2026年日历来源:正式" in text and "攀枝花市人民政府办公室" in text
    printer = page.printer()
    assert printer.pageLayout().orientation().name == "Landscape"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "month.pdf"))
    page.print_to(printer)
    pdf = (tmp_path / "month.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one A4 page
    shown = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    page.print_preview()
    assert shown == ["打印预览 — 2026年2月"]
    page.show_month(2027, 2)
    assert "暂定" in page.document().toPlainText()


# --------------------------------------------------------------------------- deadline calculator


@pytest.fixture
def deadline(qtbot, session):
    p = DeadlinePage(session)
    qtbot.addWidget(p)
    p.show()
    return p


def test_deadline_presets_come_from_the_profile(deadline):
    items = [deadline.preset.itemText(i) for i in range(deadline.preset.count())]
    assert items == ["征求意见、会签回复 7个工作日 〔第四十九条〕", "自定义"]
    assert deadline.start.date().toPython() == D(2026, 11, 21)  # today, from the store's clock
    assert deadline.start.displayFormat() == "yyyy年M月d日"


def test_seven_working_days_across_national_day(deadline):
    deadline.set_start(D(2026, 9, 28))
    deadline.choose_preset("countersign")
    assert deadline.result.date == D(2026, 10, 13)
    assert deadline.result_date.text() == "2026年10月13日 星期二"
    detail = deadline.result_detail.text()
    assert "第7个工作日" in detail and "跳过8个休息日" in detail and "国庆节" in detail
    assert "10月10日(星期六)为调休上班日" in detail
    assert not deadline.warning.isVisibleTo(deadline)
    deadline.set_start(D(2026, 10, 1))  # a holiday: counting starts after it
    assert deadline.result.date == D(2026, 10, 15)
    assert deadline.result.skipped_rest_days == 7  # 10-02 to 10-07 and Sunday 10-11
    assert "休息日(国庆节)" in deadline.start_info.text()


def test_custom_negative_and_natural_days(deadline):
    deadline.set_start(D(2026, 10, 9))
    deadline.days.setValue(-3)
    assert deadline.preset.currentText() == "自定义"
    assert deadline.result.date == D(2026, 9, 29)  # 提前3个工作日: 10-08, 9-30, 9-29
    assert "之前(不含当日)的第3个工作日" in deadline.result_detail.text()
    deadline.days.setValue(3)
    deadline.unit.setCurrentIndex(deadline.unit.findData(DayUnit.natural))
    assert deadline.roll.isVisibleTo(deadline) and deadline.roll.isChecked()
    deadline.set_start(D(2026, 9, 28))
    assert deadline.result.date == D(2026, 10, 8)  # 10-01 is a holiday: rolled to the next workday
    assert deadline.result.skipped_rest_days == 7
    deadline.roll.setChecked(False)
    assert deadline.result.date == D(2026, 10, 1)
    assert "未顺延" in deadline.result_detail.text()
    deadline.unit.setCurrentIndex(deadline.unit.findData(DayUnit.workdays))
    assert not deadline.roll.isVisibleTo(deadline)
    deadline.choose_preset("countersign")
    assert deadline.days.value() == 7


def test_a_result_in_a_provisional_year_is_flagged(deadline):
    deadline.set_start(D(2027, 1, 25))
    deadline.choose_preset("countersign")
    assert deadline.result.provisional and deadline.result.provisional_years == (2027,)
    assert deadline.warning.isVisibleTo(deadline)
    assert "2027年的暂定日历" in deadline.warning.text()
    deadline.set_start(D(2026, 12, 29))  # the last days of 2026 wait for the 2027 notice too
    assert deadline.result.provisional and deadline.warning.isVisibleTo(deadline)
    deadline.set_start(D(2026, 6, 1))
    assert not deadline.result.provisional and not deadline.warning.isVisibleTo(deadline)


def test_outside_the_calendar_is_an_error_not_a_guess(deadline):
    deadline.set_start(D(2004, 1, 2))
    deadline.days.setValue(-5)
    assert deadline.result is None and deadline.result_date.text() == "—"
    assert "2004年开始" in deadline.error.text()


# --------------------------------------------------------------------------- notice import


def test_notice_dialog_refuses_a_bad_line_and_writes_nothing(qtbot, session):
    before = session.store.conn.execute("SELECT count(*) FROM calendar_day").fetchone()[0]
    dialog = NoticeDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isEnabled()
    dialog.text.setPlainText(BAD_NOTICE)  # QTest cannot type Chinese; parsed after a short pause
    qtbot.waitUntil(lambda: "无法解析" in dialog.status.text(), timeout=10_000)
    assert BAD_LINE in dialog.status.text()
    assert "第9行" in dialog.status.text()
    assert "color: #b3261e" in dialog.status.styleSheet()
    assert not dialog.import_button.isEnabled()
    assert dialog.table.rowCount() == 0
    dialog.do_import()  # even called directly, nothing happens without a parsed notice
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert session.store.conn.execute("SELECT count(*) FROM calendar_day").fetchone()[0] == before
    assert calendar_days(session.store, 2027) == []


def test_notice_dialog_previews_without_writing(qtbot, session):
    dialog = NoticeDialog(session)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(NOTICE_2027)
    dialog.parse_button.click()
    assert dialog.import_button.isEnabled()
    assert dialog.status.text().startswith("已解析:2027年,7个节日")
    preview = dialog.preview.toPlainText()
    assert "2月5日至12日,共8天" in preview and "1月31日(星期日)、2月20日(星期六)" in preview
    assert "2027年2月" in preview  # the mini month grids
    rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    assert rows["2027年2月20日 星期六"] == ("休息(周末)", "上班(春节调休上班)")
    assert rows["2027年2月9日 星期二"] == ("上班[暂定]", "休息(春节)")
    assert calendar_days(session.store, 2027) == []
    dialog.text.setPlainText(NOTICE_2027 + "\n")  # an edit makes the parsed result stale
    assert not dialog.import_button.isEnabled()


def test_importing_a_notice_updates_the_calendar_and_removes_the_banners(qtbot, window, session):
    page = window.pages["calendar"]
    page.show_month(2027, 2)
    assert page.banner.isVisibleTo(page)
    assert window.banner_area.isVisibleTo(window)
    dialog = NoticeDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(NOTICE_2027)
    dialog.parse_now()
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.imported
    stored = dict((day, (rest, name)) for day, rest, name in calendar_days(session.store, 2027))
    assert stored["2027-02-05"] == (1, "春节") and stored["2027-02-20"] == (0, "春节调休上班")
    for day in range(5, 13):
        assert page.cell(D(2027, 2, day)).mark == "休" and not page.cell(D(2027, 2, day)).provisional
    assert page.cell(D(2027, 2, 20)).mark == "班"
    assert not page.banner.isVisibleTo(page)
    assert page.source_label.text() == "2027年日历来源:正式(已导入国务院通知)"
    assert not window.banner_area.isVisibleTo(window)
    deadline = window.pages["deadline"]
    deadline.set_start(D(2027, 1, 25))
    deadline.choose_preset("countersign")
    assert not deadline.result.provisional  # 1-31 is now a make-up Sunday: 7 working days end on 2-3
    assert deadline.result.date == D(2027, 2, 2)


# --------------------------------------------------------------------------- main window


def test_sections_and_menu_action(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[5:9] == ["日历", "期限计算", "人员", "规则"]
    assert window.import_notice_action.text() == "导入放假通知…"


def test_menu_action_opens_the_notice_dialog(window, monkeypatch):
    opened = []
    monkeypatch.setattr("desktop.ui.notice_dialog.open_notice_dialog", lambda session, parent: opened.append(parent))
    window.import_notice_action.trigger()
    window.notice_banner.button.click()
    assert opened == [window, window]


def test_reminder_appears_from_november(window):
    assert window.banner_area.isVisibleTo(window)  # 2026-11-21
    assert window.notice_banner.text() == ("2027年的放假安排尚未导入。国务院办公厅的通知公布后,请在此导入,"
                                           "否则2027年的期限按暂定日历计算。")
    window.notice_banner.close_button.click()
    assert not window.banner_area.isVisibleTo(window)


def test_no_reminder_in_october(qtbot, qapp, tmp_path):
    session = make_session(qapp, tmp_path, D(2026, 10, 21))
    try:
        w = MainWindow(session, Settings())
        qtbot.addWidget(w)
        w.show()
        assert not w.banner_area.isVisibleTo(w)
        assert w.pages["calendar"].title.text() == "2026年10月"
    finally:
        session.store.close()


def test_notice_dialog_greys_out_a_year_that_cannot_be_imported_yet(qtbot, session):
    dialog = NoticeDialog(session)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("国务院办公厅关于2029年部分节假日安排的通知\n一、元旦:1月1日(周一)放假1天。")
    dialog.parse_button.click()
    assert "请先导入 2027 年" in dialog.status.text()
    assert not dialog.import_button.isEnabled()
