"""`dutydesk export` and desktop.export.exporter: every supported what × format, read back.

The demo government (desktop.store.demo) with a few records and the 2026 国庆 duty plans made
through the store API, on the clock of 2026-11-21 (a Saturday: this week is 11月16日—22日).
xlsx read back with openpyxl, csv with the csv module, ics with icalendar, pdf with poppler
(the helpers of test_printouts), docx with python-docx.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from icalendar import Calendar

# The PDF helpers of the other printouts: pdfinfo, pdftotext -layout, radicals read back.
from test_printouts import needs_poppler, pdf_info, pdf_text, squeezed

from desktop import ops
from desktop.core.absence import Absence, Half
from desktop.core.errors import UserError
from desktop.core.roles import AbsenceKind
from desktop.entry import main
from desktop.export.csv_export import BOM
from desktop.resources import available_profiles
from desktop.store import absences, demo, duty, people
from desktop.store.opening import open_store
from desktop.store.org import calendar_id, get_org
from desktop.ui import qt_export as exporter

ORG = demo.DEMO_ORG
GOV = "演示市人民政府(示例数据)"
GOV_OFFICIAL = "演示市人民政府（示例数据）"
ORG_OFFICIAL = "演示市人民政府办公室（示例数据）"  # as the board prints it: full-width (issue 14)
SUPPORTED = [(what, fmt) for what, fmts in exporter.FORMATS.items() for fmt in fmts]
REFUSED = [("weekly", "ics"), ("weekly", "docx")]


def _profile(store):
    from desktop.cli import _profile as load

    return load(store)


def _add(store, profile, name, kind, start, end, *, submit=True, **kw) -> int:
    person = people.find_person(store, name)
    draft = Absence(id=None, person_id=person.id, kind=kind, start=start, end=end, **kw)
    return ops.absences.add_absence(store, profile, draft, submit=submit).value.record.id


def _approve(store, rid: int) -> None:
    """Do every step of the record's chain (the 市长's steps by him, the office's by the clerk)."""
    while absences.get_absence(store, rid).state.value == "in_progress":
        step = next(s for s in absences.steps_of(store, rid) if s.state.value == "pending")
        ops.absences.advance_absence(store, rid, step.assignee_name or "测试员")


@pytest.fixture
def gov(db_path, clock):
    """The demo government: five records this month and the 2026 国庆 duty plans (leaders and officers).

    #1 张丽华 出差 北京 11月16日至18日, approved, back early on the 17th (销假);
    #2 陈明 因私请假 11月19日上午 (a half day), approved;
    #3 李志强 出差 成都 11月24日下午至26日 (under approval);
    #4 赵雪梅 休假 12月1日至3日, a draft;
    #5 孙卫东 出差 重庆 11月25日至27日, withdrawn.
    """
    store = open_store(db_path, clock, operator="测试员")
    ops.org.populate(store, available_profiles())
    profile = _profile(store)
    ids = [
        _add(store, profile, "张丽华", AbsenceKind.trip, date(2026, 11, 16), date(2026, 11, 18), destination="北京",
             reason="参加全国会议", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 14, 10, 0)),
        _add(store, profile, "陈明", AbsenceKind.personal, date(2026, 11, 19), date(2026, 11, 19), end_half=Half.am,
             reason="就医", reported_at=dt.datetime(2026, 11, 18, 16, 30)),
        _add(store, profile, "李志强", AbsenceKind.trip, date(2026, 11, 24), date(2026, 11, 26), start_half=Half.pm,
             destination="成都", reason="招商引资", leaves_jurisdiction=True, urgent=True),
        _add(store, profile, "赵雪梅", AbsenceKind.vacation, date(2026, 12, 1), date(2026, 12, 3), submit=False),
        _add(store, profile, "孙卫东", AbsenceKind.trip, date(2026, 11, 25), date(2026, 11, 27), destination="重庆",
             leaves_jurisdiction=True),
    ]  # fmt: skip
    _approve(store, ids[0])
    _approve(store, ids[1])
    ops.absences.return_absence(store, ids[0], date(2026, 11, 17))
    ops.absences.set_state(store, ids[4], "withdraw", "会议取消")
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    for slot in (duty.LEADER, duty.OFFICER):
        ops.duty.plan(store, profile, scope, slot)
    yield store
    store.close()


def export(store, what, fmt, path, **kw):
    return exporter.export(store, _profile(store), what, fmt, path, org_name=get_org(store).name, **kw)


@pytest.fixture
def cli(gov, db_path, clock, capsys):
    """Run the command line on the fixture's database (the store stays open: WAL readers)."""

    def run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    text = data[len(BOM):].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF only (no cell has a line break)
    return list(csv.reader(io.StringIO(text, newline="")))


def read_ics(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def sheet(path: Path):
    book = openpyxl.load_workbook(path)
    return book.active


def values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


# --------------------------------------------------------------------------------------------
# Which formats
# --------------------------------------------------------------------------------------------


def test_each_export_lists_its_formats():
    assert exporter.FORMATS == {"weekly": ("xlsx", "pdf", "csv"), "duty": ("xlsx", "pdf", "docx", "csv", "ics"),
                                "absences": ("xlsx", "pdf", "docx", "csv", "ics")}  # fmt: skip
    for what, fmt in SUPPORTED:
        exporter.check_format(what, fmt)
    with pytest.raises(UserError, match=r"一周领导在岗情况表不能导出为 ics 格式。可以导出为:xlsx\(Excel 工作簿\)、pdf"):
        exporter.check_format("weekly", "ics")
    with pytest.raises(UserError, match=r"外出报备及请假记录不能导出为 html 格式。可以导出为:xlsx.*pdf.*docx.*csv.*ics"):
        exporter.check_format("absences", "html")


# --------------------------------------------------------------------------------------------
# The weekly board
# --------------------------------------------------------------------------------------------

LEADERS = ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋", "郑文博"]


def test_weekly_xlsx_is_the_board_of_this_week(gov, tmp_path):
    result = export(gov, "weekly", "xlsx", tmp_path / "board.xlsx")
    assert (result.path, result.rows, result.provisional) == (tmp_path / "board.xlsx", 10, False)
    ws = sheet(result.path)
    assert ws["A1"].value == f"{GOV_OFFICIAL}一周领导在岗情况表"
    assert ws["A2"].value == "2026年11月16日—11月22日（第47周）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:I1", "A2:I2", "A3:A4", "B3:B4"} <= merged
    assert values(ws, 3) == ["姓名", "职务", *(f"11月{d}日" for d in range(16, 23))]
    assert values(ws, 4)[2:] == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    assert [ws.cell(r, 1).value for r in range(5, 15)] == LEADERS  # protocol order
    assert ws.cell(5, 2).value == "市长" and ws.cell(14, 2).value == "市政府办公室主任"
    # 张丽华: away 16–17 (back early on the 17th), merged into one cell; 在岗 from the 18th
    assert "C7:D7" in merged
    assert values(ws, 7)[2:7] == ["出差 北京  代：周晓燕", None, "在岗", "在岗", "在岗"]
    assert ws.cell(8, 6).value == "上午 因私请假\n代：刘海峰"  # 陈明, half a day
    assert values(ws, 5)[2:] == ["在岗"] * 5 + [None, None]  # the weekend: blank, as on paper
    assert ws.cell(7, 3).fill.fgColor.rgb.upper().endswith("FFF6DC")
    assert ws.cell(5, 8).fill.fgColor.rgb.upper().endswith("F3F3F3")
    assert ws.cell(15, 1).value.startswith("说明：“代”为外出期间代行职责的领导")
    assert ws.cell(16, 1).value == f"制表：{ORG_OFFICIAL}    制表日期：2026年11月21日"
    # print-ready: A4 landscape fitted to the width, the two header rows on every page
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$4"
    assert ws.cell(5, 3).border.left.style == "thin"
    assert ws["A1"].font.name == "方正小标宋简体" and ws["A3"].font.name == "黑体" and ws["C5"].font.name == "仿宋_GB2312"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_weekly_xlsx_rich_text_marks_who_acts_in_blue(gov, tmp_path):
    path = export(gov, "weekly", "xlsx", tmp_path / "board.xlsx").path
    book = openpyxl.load_workbook(path, rich_text=True)
    runs = list(book.active.cell(7, 3).value)
    assert [r.text for r in runs] == ["出差 北京", "  代：周晓燕"]
    assert runs[0].font.b and runs[1].font.color.rgb.upper().endswith("2F5589")
    assert {r.font.rFont for r in runs} == {"仿宋_GB2312"}


def test_weekly_exports_mark_holidays_and_make_up_days(gov, tmp_path):
    ws = sheet(export(gov, "weekly", "xlsx", tmp_path / "w40.xlsx", week=date(2026, 9, 28)).path)
    assert ws["A2"].value == "2026年9月28日—10月4日（第40周）"
    assert ws["F4"].value == "星期四\n休 国庆节" and ws["F3"].font.color.rgb.upper().endswith("B3261E")
    ws = sheet(export(gov, "weekly", "xlsx", tmp_path / "w41.xlsx", week=date(2026, 10, 10)).path)
    assert ws["H4"].value == "星期六\n班 调休上班"
    header = read_csv(export(gov, "weekly", "csv", tmp_path / "w40.csv", week=date(2026, 9, 30)).path)[0]
    assert header[5] == "10月1日 星期四 休 国庆节"


def test_weekly_csv(gov, tmp_path):
    result = export(gov, "weekly", "csv", tmp_path / "board.csv")
    rows = read_csv(result.path)
    assert rows[0] == ["姓名", "职务", "11月16日 星期一", "11月17日 星期二", "11月18日 星期三", "11月19日 星期四",
                       "11月20日 星期五", "11月21日 星期六", "11月22日 星期日"]  # fmt: skip
    assert [r[0] for r in rows[1:]] == LEADERS and result.rows == 10
    assert rows[3] == ["张丽华", "副市长", "出差 北京；代:周晓燕", "出差 北京；代:周晓燕", "在岗", "在岗", "在岗", "", ""]
    assert rows[4][5] == "上午 因私请假；代:刘海峰"


@needs_poppler
def test_weekly_pdf_is_the_printout(qapp, gov, tmp_path):
    result = export(gov, "weekly", "pdf", tmp_path / "board.pdf")
    info = pdf_info(result.path)
    assert info["Pages"] == "1" and info["Page size"] == "842 x 595 pts (A4)"  # landscape
    flat = squeezed(pdf_text(result.path))
    assert f"{GOV}一周领导在岗情况表" in flat and "2026年11月16日—11月22日(第47周)" in flat
    for name in LEADERS:
        assert name in flat
    assert "出差北京代:周晓燕" in flat and "上午因私请假" in flat and "制表日期:2026年11月21日" in flat


# --------------------------------------------------------------------------------------------
# The duty roster
# --------------------------------------------------------------------------------------------

DUTY_DAYS = [date(2026, 10, d) for d in (1, 2, 3)]  # 000 art.81 法定节假日当天: 10-03 is a Saturday, 05–07 moved


def stored_duty(store):
    leaders = duty.rows_between(store, date(2026, 1, 1), date(2026, 12, 31), duty.LEADER)
    officers = duty.rows_between(store, date(2026, 1, 1), date(2026, 12, 31), duty.OFFICER)
    return leaders, officers


def test_duty_xlsx_of_the_year_is_the_national_day_roster(gov, tmp_path):
    result = export(gov, "duty", "xlsx", tmp_path / "duty.xlsx")  # default: this year
    assert result.rows == 3 and not result.provisional
    ws = sheet(result.path)
    leaders, officers = stored_duty(gov)
    assert ws["A1"].value == "2026年国庆节期间领导带班及值班安排表" and "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert values(ws, 3) == ["日期", "星期", "带班领导", "联系电话", "值班员", "值班员电话", "备注"]
    assert [ws.cell(r, 1).value.date() for r in range(4, 7)] == DUTY_DAYS
    assert [ws.cell(r, 3).value for r in range(4, 7)] == [r.name for r in leaders]
    assert ws.cell(4, 5).value == "\n".join(o.name for o in officers if o.date == DUTY_DAYS[0])
    assert ws.cell(4, 7).value == "★国庆节"
    assert ws.page_setup.orientation == "portrait" and ws.print_title_rows == "$3:$3"


def test_duty_csv(gov, tmp_path):
    rows = read_csv(export(gov, "duty", "csv", tmp_path / "duty.csv", start=date(2026, 10, 1),
                           end=date(2026, 10, 31)).path)  # fmt: skip
    leaders, officers = stored_duty(gov)
    assert rows[0] == ["日期", "星期", "假期", "带班领导", "带班领导电话", "值班员", "值班员电话", "备注"]
    assert [r[0] for r in rows[1:]] == [d.isoformat() for d in DUTY_DAYS]
    first = rows[1]
    crew = [o for o in officers if o.date == DUTY_DAYS[0]]
    assert first == ["2026-10-01", "星期四", "国庆节", leaders[0].name, leaders[0].phone,
                     "、".join(o.name for o in crew), "、".join(o.phone for o in crew), "★国庆节"]  # fmt: skip


def test_duty_docx_is_the_notice_with_the_roster(gov, tmp_path):
    result = export(gov, "duty", "docx", tmp_path / "notice.docx", start=date(2026, 9, 1), end=date(2026, 10, 31))
    doc = Document(str(result.path))
    texts = [p.text for p in doc.paragraphs]
    assert "关于2026年国庆节期间值班安排的通知" in texts
    table = doc.tables[0]
    leaders, _officers = stored_duty(gov)
    assert [c.text for c in table.rows[0].cells][:3] == ["日期", "星期", "带班领导"]
    assert len(table.rows) == 1 + 3
    assert [row.cells[2].text for row in table.rows[1:]] == [r.name for r in leaders]


@needs_poppler
def test_duty_pdf_is_the_roster_printout(qapp, gov, tmp_path):
    result = export(gov, "duty", "pdf", tmp_path / "roster.pdf")
    info = pdf_info(result.path)
    assert info["Pages"] == "1" and info["Page size"] == "595 x 842 pts (A4)"  # portrait
    flat = squeezed(pdf_text(result.path))
    assert "2026年国庆节期间领导带班及值班安排表" in flat
    leaders, officers = stored_duty(gov)
    for r in leaders + officers:
        assert r.name in flat and r.phone in flat


def duty_events(path: Path) -> dict[str, object]:
    return {str(e["UID"]): e for e in read_ics(path).walk("VEVENT")}


def test_duty_ics_all_day_events_with_stable_uids(gov, tmp_path):
    first = export(gov, "duty", "ics", tmp_path / "a.ics")
    assert first.rows == 9  # 3 days × (1 leader + 2 officers)
    cal = read_ics(first.path)
    assert str(cal["PRODID"]).startswith("-//DutyDesk//") and str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == f"{GOV}值班安排(2026年国庆节)"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    events = duty_events(first.path)
    assert len(events) == 9  # unique UIDs
    leaders, officers = stored_duty(gov)
    by_day = {(str(e["SUMMARY"]), e.decoded("DTSTART")): e for e in events.values()}
    assert len(by_day) == 9
    for r in leaders:
        e = by_day[(f"带班:{r.name}", r.date)]
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is date and start == r.date and end == r.date + dt.timedelta(days=1)
        assert e["DTSTART"].params["VALUE"] == "DATE"
        assert str(e["UID"]) == exporter.ics.duty_uid(r.date, "leader", 0, calendar_id(gov))
        assert r.phone in str(e["DESCRIPTION"])
    assert {(s[len("值班:"):], d) for s, d in by_day if s.startswith("值班:")} == {(o.name, o.date) for o in officers}
    assert len(officers) == 6
    # the same data exported again: the same file
    again = export(gov, "duty", "ics", tmp_path / "b.ics")
    assert again.path.read_bytes() == first.path.read_bytes()


def test_a_swap_updates_the_duty_events_instead_of_adding_new_ones(gov, tmp_path):
    before = duty_events(export(gov, "duty", "ics", tmp_path / "a.ics").path)
    plan = duty.plan_on(gov, DUTY_DAYS[0], duty.LEADER)
    ops.duty.swap(gov, _profile(gov), plan.id, DUTY_DAYS[0], DUTY_DAYS[1])
    after = duty_events(export(gov, "duty", "ics", tmp_path / "b.ics").path)
    assert after.keys() == before.keys()
    token = calendar_id(gov)
    day1, day2 = (exporter.ics.duty_uid(d, "leader", 0, token) for d in DUTY_DAYS[:2])
    assert str(after[day1]["SUMMARY"]) == str(before[day2]["SUMMARY"])
    assert int(after[day1]["SEQUENCE"]) > int(before[day1]["SEQUENCE"])


# --------------------------------------------------------------------------------------------
# The absence list
# --------------------------------------------------------------------------------------------


def test_absences_xlsx_one_print_ready_row_a_record(gov, tmp_path):
    result = export(gov, "absences", "xlsx", tmp_path / "list.xlsx")
    assert (result.rows, result.provisional) == (5, False)
    ws = sheet(result.path)
    assert ws["A1"].value == f"{GOV}外出报备及请假登记表" and "A1:L1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "时间范围:2026年1月1日至12月31日" and ws["G2"].value == "共 5 条"
    assert values(ws, 3) == ["编号", "姓名", "职务", "类型", "开始", "结束", "目的地", "事由", "离开辖区", "报告时间",
                             "状态", "代行"]  # fmt: skip
    rows = [values(ws, r) for r in range(4, 9)]
    assert [r[1] for r in rows] == ["张丽华", "陈明", "李志强", "孙卫东", "赵雪梅"]  # by start date
    zhang, chen, li, sun, zhao = rows
    assert zhang[:9] == [1, "张丽华", "副市长", "出差", dt.datetime(2026, 11, 16), dt.datetime(2026, 11, 17), "北京",
                         "参加全国会议", "是"]  # fmt: skip
    assert zhang[9] == dt.datetime(2026, 11, 14, 10, 0)
    assert zhang[10] == "提前1天销假(2026年11月17日返回)" and zhang[11] == "周晓燕(副市长)"
    assert chen[3:6] == ["因私请假", dt.datetime(2026, 11, 19), dt.datetime(2026, 11, 19)]
    # approved, the day is past and nobody registered the return: 逾期未销假 (as the list shows it)
    assert chen[8] == "否" and chen[10] == "逾期未销假" and chen[11] == "刘海峰(副市长)"
    assert li[10] == "审批中" and li[2] == "常务副市长"
    assert sun[10] == "已撤回" and sun[11] is None
    assert zhao[10] == "草稿"
    # a half day keeps its date and shows 上午/下午 through the number format
    assert ws.cell(5, 6).number_format == 'yyyy"年"m"月"d"日""上午"'
    assert ws.cell(6, 5).number_format == 'yyyy"年"m"月"d"日""下午"'
    assert ws.cell(4, 5).number_format == 'yyyy"年"m"月"d"日"'
    assert ws.cell(6, 10).number_format.endswith('"(紧急)"')
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$3:$3" and ws.auto_filter.ref == "A3:L8"
    assert ws.cell(9, 1).value == f"制表:{ORG}    制表日期:2026年11月21日"


def test_absences_csv_and_its_range(gov, tmp_path):
    rows = read_csv(export(gov, "absences", "csv", tmp_path / "list.csv").path)
    assert rows[0] == ["编号", "姓名", "职务", "类型", "开始", "结束", "目的地", "事由", "离开辖区", "报告时间", "状态", "代行"]
    assert rows[1] == ["1", "张丽华", "副市长", "出差", "2026-11-16", "2026-11-17", "北京", "参加全国会议", "是",
                       "2026-11-14 10:00", "提前1天销假(2026年11月17日返回)", "周晓燕(副市长)"]  # fmt: skip
    assert rows[2][4:6] == ["2026-11-19", "2026-11-19 上午"]
    assert rows[3][4] == "2026-11-24 下午" and rows[3][9] == "2026-11-21 09:30 紧急"
    narrow = export(gov, "absences", "csv", tmp_path / "narrow.csv", start=date(2026, 11, 20), end=date(2026, 11, 30))
    assert [r[1] for r in read_csv(narrow.path)[1:]] == ["李志强", "孙卫东"] and narrow.rows == 2


def test_absences_ics(gov, tmp_path):
    result = export(gov, "absences", "ics", tmp_path / "away.ics")
    cal = read_ics(result.path)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    token = calendar_id(gov)
    assert set(events) == {exporter.ics.absence_uid(i, token) for i in (1, 2, 3, 5)}  # the draft is left out
    assert result.rows == 4
    zhang = events[exporter.ics.absence_uid(1, token)]
    assert str(zhang["SUMMARY"]) == "张丽华 出差 北京" and str(zhang["LOCATION"]) == "北京"
    assert zhang.decoded("DTSTART") == date(2026, 11, 16) and type(zhang.decoded("DTSTART")) is date
    assert zhang.decoded("DTEND") == date(2026, 11, 18)  # back early on the 17th: DTEND the day after
    assert zhang["DTSTART"].params["VALUE"] == "DATE"
    assert str(zhang["STATUS"]) == "CONFIRMED" and int(zhang["SEQUENCE"]) == absences.get_absence(gov, 1).version
    assert "代行:周晓燕(副市长)" in str(zhang["DESCRIPTION"])
    # half days: timed events in Beijing time, with the zone in the file
    shanghai = "Asia/Shanghai"
    chen = events[exporter.ics.absence_uid(2, token)]
    assert chen["DTSTART"].params["TZID"] == shanghai
    start, end = chen.decoded("DTSTART"), chen.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (dt.datetime(2026, 11, 19, 8, 30),
                                                                      dt.datetime(2026, 11, 19, 12, 0))  # fmt: skip
    assert start.utcoffset() == dt.timedelta(hours=8)
    li = events[exporter.ics.absence_uid(3, token)]
    assert li.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 11, 24, 14, 30)
    assert li.decoded("DTEND").replace(tzinfo=None) == dt.datetime(2026, 11, 26, 18, 0)
    assert str(li["STATUS"]) == "TENTATIVE"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [shanghai]
    assert str(events[exporter.ics.absence_uid(5, token)]["STATUS"]) == "CANCELLED"  # withdrawn: off the calendar
    assert str(cal["X-WR-TIMEZONE"]) == shanghai and str(cal["X-WR-CALNAME"]) == f"{GOV}外出报备及请假"
    # exported again: the same events (UIDs stable); a change raises the SEQUENCE
    _approve(gov, 3)
    ops.absences.extend_absence(gov, 3, date(2026, 11, 27), reason="会期延长")
    again = {str(e["UID"]): e for e in read_ics(export(gov, "absences", "ics", tmp_path / "again.ics").path).walk("VEVENT")}
    assert again.keys() == events.keys()
    li_again = again[exporter.ics.absence_uid(3, token)]
    assert int(li_again["SEQUENCE"]) > int(li["SEQUENCE"])
    assert li_again.decoded("DTEND").replace(tzinfo=None) == dt.datetime(2026, 11, 27, 18, 0)
    assert str(li_again["STATUS"]) == "CONFIRMED"


# --------------------------------------------------------------------------------------------
# Writing: atomic, refused targets
# --------------------------------------------------------------------------------------------


def test_a_locked_target_is_left_as_it_was(gov, tmp_path, monkeypatch):
    target = tmp_path / "list.xlsx"
    target.write_bytes(b"the old file")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    for fmt in ("xlsx", "csv", "ics"):
        path = target.with_suffix(f".{fmt}")
        if not path.exists():
            path.write_bytes(b"the old file")
        with pytest.raises(UserError, match=r"无法写入 .*请关闭该文件后重试"):
            export(gov, "absences", fmt, path)
        assert path.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".dutydesk-")) == []


def test_targets_that_cannot_be_written_are_refused_in_chinese(gov, tmp_path):
    with pytest.raises(UserError, match="是一个文件夹"):
        export(gov, "absences", "csv", tmp_path)
    with pytest.raises(UserError, match="不存在"):
        export(gov, "absences", "csv", tmp_path / "missing" / "list.csv")
    with pytest.raises(UserError, match=r"后缀与导出格式 csv 不一致"):
        export(gov, "absences", "csv", tmp_path / "list.xlsx")
    assert export(gov, "absences", "csv", tmp_path / "list").path == tmp_path / "list.csv"  # the suffix added
    assert list(tmp_path.glob(".dutydesk-*")) == []


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("what", "fmt"), SUPPORTED)
def test_cli_exports_every_supported_combination(qapp, cli, tmp_path, what, fmt):
    target = tmp_path / f"{what}.{fmt}"
    code, out, err = cli("export", what, "--format", fmt, "-o", str(target), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"what", "format", "path", "rows", "provisional"}
    assert (data["what"], data["format"], data["path"], data["provisional"]) == (what, fmt, str(target), False)
    assert data["rows"] == {"weekly": 10, "duty": 9 if fmt == "ics" else 3,
                            "absences": 4 if fmt in ("ics", "pdf", "docx") else 5}[what]  # no draft: ics, register
    assert target.stat().st_size > 0


def test_cli_text_output_and_options(cli, tmp_path):
    code, out, _ = cli("export", "weekly", "--format", "csv", "-o", str(tmp_path / "w.csv"), "--week", "2026-W49")
    assert code == 0 and out.startswith("已导出一周领导在岗情况表(CSV 表格,10 行):")
    assert read_csv(tmp_path / "w.csv")[0][2] == "11月30日 星期一"
    code, out, _ = cli("export", "absences", "--format", "ics", "-o", str(tmp_path / "a.ics"), "--from", "2026-11-20",
                       "--to", "2026-11-30")  # fmt: skip
    assert code == 0 and "2 个日程" in out


@pytest.mark.parametrize(("what", "fmt"), REFUSED)
def test_cli_refuses_formats_that_do_not_fit(cli, tmp_path, what, fmt):
    target = tmp_path / f"{what}.{fmt}"
    code, out, err = cli("export", what, "--format", fmt, "-o", str(target))
    assert code == 2 and out == ""
    assert "不能导出为" in err and "可以导出为:" in err and err.startswith("错误:")
    assert not target.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["weekly", "--format", "xlsx", "--from", "2026-11-01"], "按周导出"),
        (["duty", "--format", "csv", "--week", "2026-W40"], "--week 只用于 weekly"),
        (["weekly", "--format", "xlsx", "--week", "2026-W60"], "2026年没有第60周"),
        (["absences", "--format", "csv", "--from", "2026-12-01", "--to", "2026-11-01"], "早于开始日期"),
        (["duty", "--format", "xlsx", "--from", "2026-11-01", "--to", "2026-11-30"], "还没有值班安排"),
        (["duty", "--format", "pdf"], "后缀与导出格式 pdf 不一致"),
        (["weekly", "--format", "rtf"], "参数错误"),
    ],
)
def test_cli_errors_are_chinese_with_exit_2(cli, tmp_path, argv, message):
    target = tmp_path / "out.xlsx"
    code, out, err = cli("export", *argv, "-o", str(target))
    assert code == 2 and out == "" and message in err
    assert not target.exists() and list(tmp_path.glob(".dutydesk-*")) == []


def test_cli_says_when_the_calendar_is_provisional(cli, tmp_path):
    code, _out, _err = cli("duty", "plan", "2027", "--holiday", "元旦")
    assert code == 0
    code, out, err = cli("export", "duty", "--format", "csv", "-o", str(tmp_path / "d.csv"), "--from", "2027-01-01",
                         "--to", "2027-01-31", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["provisional"] is True and "暂定日历" in err
    assert "日期暂定" in read_csv(tmp_path / "d.csv")[1][-1]


def test_cli_needs_an_initialised_database(tmp_path, clock, capsys):
    code = main(["export", "weekly", "--format", "xlsx", "-o", str(tmp_path / "w.xlsx"), "--db", str(tmp_path / "new.db")],
                clock=clock)  # fmt: skip
    assert code == 2 and "dutydesk init" in capsys.readouterr().err


@needs_poppler
def test_the_command_makes_its_own_qt_application_for_a_pdf(gov, db_path, tmp_path):
    """A fresh process without a display: the command starts Qt offscreen by itself."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    target = tmp_path / "board.pdf"
    done = subprocess.run([sys.executable, "-m", "desktop", "export", "weekly", "--format", "pdf", "-o", str(target),
                           "--week", "2026-W47", "--db", str(db_path), "--json"],
                          capture_output=True, text=True, check=False, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 10
    assert "2026年11月16日—11月22日(第47周)" in squeezed(pdf_text(target))
