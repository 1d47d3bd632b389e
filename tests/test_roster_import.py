"""Importing an existing duty roster (文件 → 导入值班表…): the core's dates, columns and name checks;
the store's all-or-nothing import as pinned assignments with the rest of the plan filled around
them; reading files (bad ones refused in Chinese); and the dialog (mapping, report, skipping rows)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.core.roster_import import (
    ColumnMap,
    find_header,
    guess_columns,
    guess_year,
    parse_date,
    parse_roster,
    split_names,
)
from desktop.export.tabular import read_roster_sheet as read_sheet
from desktop.ops.base import Entity
from desktop.ops.duty import import_roster
from desktop.ops.roster_import import RosterRejected, check_roster
from desktop.resources import profiles_dir
from desktop.store import audit, duty, people
from tests.test_duty_store import weekday_reading

D = dt.date
# 2 officers a day, duty on the weekday holidays: 000 art.81's other reading (holiday_weekdays), as an office that
# adjusted 攀枝花's rules would have it; the import is tested on the five days of the 2026 国庆 block.
PROFILE = weekday_reading(load_profile(profiles_dir() / "panzhihua.toml"))
HEADER = ["日期", "星期", "带班领导", "值班人员", "联系电话"]


# --------------------------------------------------------------------------------------------
# Core: dates, columns, names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 10, 1), D(2026, 10, 1), 46296, 46296.0, 46296.75, "46296",
    "2026年10月1日", "2026 年 10 月 1 日", "2026年10月1日（星期四）", "2026年10月01日 周四", "２０２６年１０月１日",
    "2026-10-01", "2026/10/1", "2026.10.1", "20261001", "2026-10-01 00:00:00",
    "10月1日", "10月1号", "10月1日 星期四", "10-01", "10/1",
])  # fmt: skip
def test_dates_in_the_forms_offices_write_them(value):
    assert parse_date(value, 2026)[0] == D(2026, 10, 1)


def test_a_date_without_a_year_takes_the_chosen_year():
    assert parse_date("10月1日", 2027) == (D(2027, 10, 1), False)
    assert parse_date("2026年10月1日", 2027) == (D(2026, 10, 1), True)
    with pytest.raises(UserError, match="没有年份"):
        parse_date("10月1日", None)


@pytest.mark.parametrize(("value", "message"), [
    ("国庆", "无法识别"), ("", "没有填写日期"), (3, "无法识别"), (True, "无法识别"),
    ("2026年2月30日", "不存在"), ("13月1日", "不存在"), (float("nan"), "无法识别"),
])  # fmt: skip
def test_bad_dates_are_refused_in_chinese(value, message):
    with pytest.raises(UserError, match=message):
        parse_date(value, 2026)


def test_columns_are_guessed_from_the_header_names():
    assert guess_columns(HEADER) == ColumnMap(date=0, leader=2, officers=3)
    assert guess_columns(["序号", "值班日期", "星期", "值班领导", "值班员", "备注"]) == ColumnMap(1, 3, 4)
    assert guess_columns(["时间", "带班", "值班人"]) == ColumnMap(0, 1, 2)
    assert guess_columns(["姓名", "电话"]) == ColumnMap(None, None, None)
    # under a title and a 单位 line, as our own roster export writes it
    rows = [["2026年国庆节期间领导带班及值班安排表", None], ["单位:演示市人民政府", None], HEADER, ["10月1日"]]
    assert find_header(rows) == 2
    assert find_header([[None], ["名单"], ["x"]]) == 1


def test_the_mapping_is_checked():
    with pytest.raises(UserError, match="日期"):
        ColumnMap(None, 2, 3).check(HEADER)
    with pytest.raises(UserError, match="至少"):
        ColumnMap(0, None, None).check(HEADER)
    with pytest.raises(UserError, match="同一列"):
        ColumnMap(0, 2, 2).check(HEADER)
    ColumnMap(0, 2, None).check(HEADER)


def test_names_in_a_cell():
    known = frozenset({"陈明", "杨帆", "朱琳"})
    assert split_names("杨帆、朱琳") == split_names("杨帆,朱琳") == split_names("杨帆\n朱琳") == ("杨帆", "朱琳")
    assert split_names("陈  明", known) == ("陈明",)  # padding inside a two-character name
    assert split_names("杨帆 朱琳", known) == ("杨帆", "朱琳")
    assert split_names("王建国（市长） 13908120001") == ("王建国",)
    assert split_names(None) == split_names("  ") == ()


def person(pid, name, role, active=True):
    return Person(pid, name, role, "", pid, active=active)


PEOPLE = [person(1, "王建国", Role.chief), person(2, "李志强", Role.executive_deputy), person(3, "张丽华", Role.deputy),
          person(4, "郑文博", Role.office_director), person(5, "何振华", Role.dept_head),
          person(6, "杨帆", Role.staff), person(7, "朱琳", Role.staff), person(8, "秦川", Role.staff),
          person(9, "老刘", Role.deputy, active=False)]  # fmt: skip


def parse(rows, **kw):
    kw.setdefault("officers_per_day", 2)
    return parse_roster(rows, ColumnMap(0, 2, 3), PEOPLE, year=2026, **kw)


def test_good_rows_become_days_with_their_people():
    parsed = parse([["10月1日", "星期四", "张丽华", "杨帆、朱琳"], ["2026-10-02", "", "李志强(常务副市长)", "秦川"],
                    [None, None, None, None], ["10月5日", "", "", "杨帆"], ["说明:带班领导须24小时保持通信畅通", "", "", ""]])  # fmt: skip
    assert parsed.ok and not parsed.warnings
    assert [(r.row, r.date, r.leader and r.leader.name, [o.name for o in r.officers]) for r in parsed.rows] == [
        (2, D(2026, 10, 1), "张丽华", ["杨帆", "朱琳"]), (3, D(2026, 10, 2), "李志强", ["秦川"]),
        (5, D(2026, 10, 5), None, ["杨帆"])]  # fmt: skip


def test_every_bad_row_is_reported_with_its_sheet_row():
    parsed = parse([
        ["10月1日", "", "王建果", ""],             # 2 unknown: close matches
        ["10月2日", "", "杨帆", ""],               # 3 staff cannot lead
        ["10月5日", "", "张丽华", "何振华"],        # 4 a department head is not a duty officer
        ["10月6日", "", "老刘", ""],               # 5 deactivated
        ["10月6日", "", "张丽华", ""],             # 6 date twice
        ["10月7日", "", "张丽华、李志强", ""],      # 7 two leaders
        ["10月8日", "", "", "杨帆、朱琳、秦川"],     # 8 three officers, two a day
        ["10月9日", "", "", "杨帆、杨帆"],          # 9 the same officer twice
        ["十月十日", "", "张丽华", ""],            # 10 unreadable date
    ])  # fmt: skip
    assert parsed.rows == ()
    messages = {e.row: e.message for e in parsed.errors}
    assert sorted(messages) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert messages[2] == "带班领导“王建果”不在人员名单中。您是不是指:王建国?"
    assert "不是政府领导,不能带班" in messages[3]
    assert "值班员应是工作人员" in messages[4]
    assert "已停用" in messages[5]
    assert messages[6] == "日期2026年10月6日与第 5 行重复。每天只能有一行。"
    assert "只能有一人" in messages[7] and "按规则每天 2 人" in messages[8] and "写了两次" in messages[9]
    assert "无法识别" in messages[10]
    assert str(parsed.errors[0]) == "第 2 行:带班领导“王建果”不在人员名单中。您是不是指:王建国?"


def test_a_day_that_is_not_a_duty_day_or_has_no_one_is_a_warning():
    parsed = parse([["10月1日", "", "张丽华", ""], ["10月3日", "", "李志强", ""], ["10月4日", "", "", ""]],
                   is_duty_day=lambda d: d.weekday() < 5, duty_rule="除双休日外的法定节假日")  # fmt: skip
    assert parsed.ok and [r.row for r in parsed.rows] == [2]
    assert [str(w) for w in parsed.warnings] == [
        "第 3 行:2026年10月3日星期六不是值班日(规则:除双休日外的法定节假日),此行不导入。",
        "第 4 行:2026年10月4日没有填写带班领导或值班员,此行不导入。"]  # fmt: skip


def test_someone_away_is_an_error_and_the_year_is_guessed():
    parsed = parse([["2026年10月1日", "", "张丽华", ""]],
                   unavailable=lambda p, d, slot: f"{p.name}外出" if p.name == "张丽华" else None)  # fmt: skip
    assert [e.message for e in parsed.errors] == ["张丽华外出"]
    rows = [["2025年10月1日"], ["2025-10-02"], ["10月3日"], ["2026-01-01"]]
    assert guess_year(rows, 0, 2030) == 2025 and guess_year([["10月1日"]], 0, 2030) == 2030


# --------------------------------------------------------------------------------------------
# Store: check against the database, import all or nothing
# --------------------------------------------------------------------------------------------


@pytest.fixture
def gov(demo_store):
    return demo_store


def sheet(rows, header=HEADER):
    return header, rows


def check(store, rows, year=2026):
    header, body = sheet(rows)
    return check_roster(store, PROFILE, header, body, guess_columns(header), year=year)


NATIONAL_DAY = [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]  # the weekday holidays (000 art.81)


def test_a_valid_file_is_stored_as_pins_and_the_rest_is_planned_around_them(gov):
    parsed = check(gov, [["10月1日", "星期四", "张丽华", "杨帆、朱琳"], ["10月2日", "星期五", "陈明", "秦川"]])
    assert parsed.ok and len(parsed.rows) == 2
    done = import_roster(gov, PROFILE, parsed, "国庆值班表.xlsx").value
    assert done.days == 2 and done.pins == 5 and done.skipped == ()
    assert "已导入 2 天的值班安排(5 人次,均已固定)" in done.summary
    leader = duty.plan_on(gov, D(2026, 10, 1), duty.LEADER)
    officer = duty.plan_on(gov, D(2026, 10, 1), duty.OFFICER)
    assert leader.label == officer.label == "2026年国庆节"
    rows = duty.load_plan(gov, leader.id).rows
    assert [r.date for r in rows] == NATIONAL_DAY  # the other days of the holiday are filled
    pinned = {(r.date, r.name, r.note) for r in rows if r.fixed == "pin"}
    assert pinned == {(D(2026, 10, 1), "张丽华", "导入自 国庆值班表.xlsx"), (D(2026, 10, 2), "陈明", "导入自 国庆值班表.xlsx")}
    assert all(r.fixed is None for r in rows if r.date not in (D(2026, 10, 1), D(2026, 10, 2)))
    officers = duty.load_plan(gov, officer.id).rows
    on_first = [(r.name, r.fixed) for r in officers if r.date == D(2026, 10, 1)]
    assert sorted(on_first) == [("朱琳", "pin"), ("杨帆", "pin")]
    on_second = sorted((r.name, r.fixed) for r in officers if r.date == D(2026, 10, 2))
    assert len(on_second) == 2 and ("秦川", "pin") in on_second  # the second officer chosen by the rotation
    assert any("导入值班表“国庆值班表.xlsx”" in e.summary for e in audit.history(gov, limit=100000))


def test_an_existing_plan_keeps_its_scope_and_the_import_replaces_the_day(gov):
    first = ops.duty.plan(gov, PROFILE, duty.holiday_plan_scope(gov, 2026, "国庆节")).value.info
    parsed = check(gov, [["2026-10-05", "", "孙卫东", ""]])
    done = import_roster(gov, PROFILE, parsed, "调整.xlsx").value
    assert [s.info.id for s in done.plans] == [first.id]
    stored = duty.load_plan(gov, first.id)
    assert stored.info.version == first.version + 1
    assert [(r.name, r.fixed) for r in stored.on(D(2026, 10, 5))] == [("孙卫东", "pin")]


def test_nothing_is_written_unless_every_row_is_good_or_skipped(gov):
    parsed = check(gov, [["10月1日", "", "张丽华", ""], ["10月2日", "", "王建果", ""], ["10月3日", "", "陈明", ""]])
    assert [e.row for e in parsed.errors] == [3] and [w.row for w in parsed.warnings] == [4]
    before = len(audit.history(gov, limit=100000))
    with pytest.raises(RosterRejected) as refused:
        import_roster(gov, PROFILE, parsed, "值班表.xlsx")
    assert "没有写入任何值班安排" in str(refused.value) and "第 3 行" in str(refused.value)
    assert duty.plans(gov) == [] and len(audit.history(gov, limit=100000)) == before
    done = import_roster(gov, PROFILE, parsed, "值班表.xlsx", skip_rows=[3]).value
    assert done.days == 1 and done.skipped == (3, 4) and "跳过第 3、4 行" in done.summary
    assert [(r.date, r.name) for r in duty.load_plan(gov, done.plans[0].info.id).rows if r.fixed] == [
        (D(2026, 10, 1), "张丽华")]


def test_a_failure_in_a_later_plan_rolls_the_whole_import_back(gov, monkeypatch):
    parsed = check(gov, [["10月1日", "", "张丽华", "杨帆"]])
    real = ops.duty._generate  # each scope is planned by the operation's body, in one transaction
    calls = []

    def plan_then_fail(*args, **kwargs):
        calls.append(args[3])
        if len(calls) == 2:
            raise UserError("无法排班")
        return real(*args, **kwargs)

    monkeypatch.setattr(ops.duty, "_generate", plan_then_fail)
    with pytest.raises(UserError, match="无法排班"):
        import_roster(gov, PROFILE, parsed, "值班表.xlsx")
    assert calls == [duty.LEADER, duty.OFFICER]
    assert duty.plans(gov) == [] and duty.rows_between(gov, D(2026, 1, 1), D(2026, 12, 31)) == []


def test_the_database_checks_duty_days_and_who_is_away(gov):
    zhang = people.find_person(gov, "张丽华")
    trip = Absence(id=None, person_id=zhang.id, kind=AbsenceKind.trip, start=D(2026, 10, 1), end=D(2026, 10, 2),
                   destination="成都", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 9, 20, 9, 0))  # fmt: skip
    record = ops.absences.add_absence(gov, PROFILE, trip).value.record
    ops.duty.set_unavailable(gov, people.find_person(gov, "杨帆").id, D(2026, 10, 5), "另有值守任务")
    parsed = check(gov, [["10月1日", "", "张丽华", ""], ["10月3日", "", "陈明", ""], ["10月5日", "", "", "杨帆"],
                         ["2100年10月1日", "", "陈明", ""]])  # fmt: skip
    messages = {e.row: e.message for e in parsed.errors}
    assert messages[2] == f"张丽华 2026年10月1日外出(出差 成都,编号 {record.id}),不能安排带班。"
    assert messages[4] == "杨帆 2026年10月5日已登记不能值班(另有值守任务),不能安排值班。"
    assert messages[5].startswith("2100年10月1日:")  # a year the calendar does not cover
    assert [w.row for w in parsed.warnings] == [3]


def test_our_own_roster_export_imports_back_as_pins(gov, tmp_path, qapp):
    from desktop.ui import duty_print
    from desktop.ui.session import Session

    session = Session(gov, demo=True)
    scope = duty.holiday_plan_scope(gov, 2026, "国庆节")
    leader = ops.duty.plan(gov, PROFILE, scope, duty.LEADER).value.info.id
    ops.duty.plan(gov, PROFILE, scope, duty.OFFICER)
    before = {(r.date, r.slot, r.name) for r in duty.rows_between(gov, scope.start, scope.end)}
    path = duty_print.write_export(duty_print.load_roster(session, leader), tmp_path / "国庆值班表.xlsx")
    read = read_sheet(path)
    assert read.header_row == 3 and read.header[:3] == ("日期", "星期", "带班领导")
    parsed = check_roster(gov, PROFILE, read.header, read.rows, guess_columns(read.header), year=2026,
                          first_row=read.first_row)  # fmt: skip
    assert parsed.ok and not parsed.warnings and len(parsed.rows) == 5  # the notes under the table are not rows
    import_roster(gov, PROFILE, parsed, path.name)
    after = duty.rows_between(gov, scope.start, scope.end)
    assert {(r.date, r.slot, r.name) for r in after} == before
    assert {(r.fixed, r.note) for r in after} == {("pin", "导入自 国庆值班表.xlsx")}


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_excel_date_cells_and_serial_numbers_are_read(tmp_path, gov):
    path = write_xlsx(tmp_path / "值班表.xlsx", [["国庆值班表"], HEADER, [dt.datetime(2026, 10, 1), "星期四", "张丽华", "杨帆"],
                                               [46297, "星期五", "陈明", "朱琳"]])  # fmt: skip
    read = read_sheet(path)
    assert (read.header_row, read.first_row, read.file_name) == (2, 3, "值班表.xlsx")
    parsed = check_roster(gov, PROFILE, read.header, read.rows, guess_columns(read.header), year=2026,
                          first_row=read.first_row)  # fmt: skip
    assert [(r.row, r.date) for r in parsed.rows] == [(3, D(2026, 10, 1)), (4, D(2026, 10, 2))]


def test_a_bad_file_is_refused_in_chinese(tmp_path):
    (tmp_path / "坏.xlsx").write_bytes(b"not a zip")
    (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "值班.txt").write_text("日期", encoding="utf-8")
    write_xlsx(tmp_path / "空.xlsx", [])
    for name, message in [("坏.xlsx", "无法作为 Excel 文件打开"), ("旧.xls", "另存为"), ("值班.txt", "只支持 .xlsx 和 .csv"),
                          ("空.xlsx", "是空的"), ("没有.xlsx", "找不到文件")]:  # fmt: skip
        with pytest.raises(UserError, match=message):
            read_sheet(tmp_path / name)


def test_a_gbk_csv_is_read(tmp_path, gov):
    path = tmp_path / "值班表.csv"
    path.write_bytes("日期,带班领导,值班员\n2026年10月1日,张丽华,杨帆 朱琳\n".encode("gb18030"))
    read = read_sheet(path)
    parsed = check_roster(gov, PROFILE, read.header, read.rows, guess_columns(read.header), year=2026,
                          first_row=read.first_row)  # fmt: skip
    assert parsed.ok and [o.name for o in parsed.rows[0].officers] == ["杨帆", "朱琳"]


# --------------------------------------------------------------------------------------------
# The dialog
# --------------------------------------------------------------------------------------------


@pytest.fixture
def session(qapp, gov):
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(gov, demo=True)


def test_the_dialog_maps_checks_and_imports_only_when_allowed(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.roster_import_dialog import open_roster_import

    path = write_xlsx(tmp_path / "国庆值班表.xlsx", [
        ["2026年国庆节期间领导带班及值班安排表"], ["日期", "星期", "带班领导", "值班人员", "备注"],
        ["10月1日", "星期四", "张丽华", "杨帆、朱琳", ""], ["10月2日", "星期五", "王建果", "秦川", ""],
        ["10月3日", "星期六", "陈明", "", "周末"], ["10月5日", "星期一", "刘海峰", "蒋悦", ""]])  # fmt: skip
    changed = []
    session.changed.connect(changed.append)
    dialog = open_roster_import(session, None, path, show=False)
    qtbot.addWidget(dialog)
    assert dialog.columns() == ColumnMap(0, 2, 3) and dialog.year.value() == 2026
    assert dialog.preview.rowCount() == 4 and dialog.preview.verticalHeaderItem(0).text() == "3"
    assert dialog.preview.horizontalHeaderItem(2).text() == "C 带班领导\n→ 带班领导"
    issues = [dialog.issues.item(i).text() for i in range(dialog.issues.count())]
    assert issues == ["✗ 第 4 行:带班领导“王建果”不在人员名单中。您是不是指:王建国?",
                      # 000 art.81 法定节假日当天: Saturday 10-03 is a duty day, the moved rest day 10-05 is not
                      "⚠ 第 6 行:2026年10月5日星期一不是值班日(规则:法定节假日当天(含落在双休日的)),此行不导入。"]  # fmt: skip
    assert "有 1 行无法导入" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and dialog.skip.text() == "跳过有错误的第 4 行,只导入其余 2 天"
    assert dialog.do_import() is None and duty.plans(session.store) == []  # nothing written
    # unmapping the leader column: the rows check again (the officers alone)
    dialog.set_column("leader", None)
    assert dialog.parsed.ok and dialog.import_button.isEnabled()
    dialog.set_column("leader", 2)
    assert not dialog.import_button.isEnabled()
    dialog.skip.setChecked(True)
    assert dialog.import_button.isEnabled()
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: told.append((title, text)))
    done = dialog.do_import()
    assert done is not None and done.days == 2 and [c.entities for c in changed] == [{Entity.duty_plan}]
    assert told[0][0] == "导入完成" and "跳过第 4、6 行" in told[0][1]
    pinned = [(r.date, r.name) for r in duty.rows_between(session.store, D(2026, 10, 1), D(2026, 10, 7), duty.LEADER)
              if r.fixed == "pin"]  # fmt: skip
    assert pinned == [(D(2026, 10, 1), "张丽华"), (D(2026, 10, 3), "陈明")]


def test_the_dialog_refuses_a_bad_file_in_chinese(qtbot, session, tmp_path, monkeypatch):
    from desktop.ui import roster_import_dialog

    shown = []
    monkeypatch.setattr(roster_import_dialog, "show_error", lambda _p, text, title: shown.append((title, text)))
    (tmp_path / "坏.xlsx").write_bytes(b"not a zip")
    assert roster_import_dialog.open_roster_import(session, None, tmp_path / "坏.xlsx", show=False) is None
    assert shown[0][0] == "无法导入" and "无法作为 Excel 文件打开" in shown[0][1]


def test_a_mapping_without_a_date_says_what_to_do(qtbot, session, tmp_path):
    from desktop.ui.roster_import_dialog import open_roster_import

    path = write_xlsx(tmp_path / "名单.xlsx", [["时段", "领导"], ["上午", "张丽华"]])
    dialog = open_roster_import(session, None, path, show=False)
    qtbot.addWidget(dialog)
    assert dialog.columns().date is None
    assert dialog.summary.text() == "请指定“日期”所在的列。" and not dialog.import_button.isEnabled()


def test_the_file_menu_has_the_roster_import(qtbot, session, monkeypatch):
    from desktop.settings import Settings
    from desktop.ui import roster_import_dialog
    from desktop.ui.mainwindow import MainWindow

    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(roster_import_dialog, "open_roster_import", lambda s, parent: opened.append(parent))
    window.import_roster_action.trigger()
    assert window.import_roster_action.text() == "导入值班表…" and opened == [window]
