"""Departments' holiday duty rosters (001 art.57: 市政府各部门应当实行24小时值班和领导带班制度): a 单位录入员
enters his own unit's, the office imports each unit's filled template, sees who has not sent one, and
prints and exports the combined roster. On a file and on a server database."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from desktop import ops
from desktop.cli import main
from desktop.core import access
from desktop.core import dept_roster as core
from desktop.core.access import PermissionDenied
from desktop.core.errors import UserError
from desktop.export import dept_roster_doc as doc
from desktop.export.tabular import read_rows
from desktop.ops.base import Entity
from desktop.store.audit_check import verify

pytestmark = pytest.mark.both_engines

PASSWORD = "Zhiban-2026!"
UNIT = "教育和体育局"
OCT = [dt.date(2026, 10, d) for d in range(1, 8)]  # 2026年国庆节: 10月1日至7日


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)
    monkeypatch.setenv("DUTYDESK_PASSWORD", PASSWORD)


@pytest.fixture
def seat(demo_store, open_seat):
    ops.operators.add_operator(demo_store, "wang", PASSWORD, "admin")
    ops.operators.authenticate(demo_store, "wang", PASSWORD)
    ops.operators.add_operator(demo_store, "li", PASSWORD, "clerk")
    ops.operators.add_operator(demo_store, "jiaoyu", PASSWORD, "unit_clerk", unit=UNIT)
    ops.operators.add_operator(demo_store, "kan", PASSWORD, "viewer")
    return lambda name: open_seat(name, PASSWORD)


def _day(store, day: dt.date, unit: str | None = None, leader: str = "王副局长"):
    return ops.dept_rosters.set_day(store, 2026, "国庆节", day, leader, "13800001111",
                                    [("张三", "13900001111"), ("李四", "0812-3330000")], title="副局长", unit=unit)


def _rows(store) -> int:
    return store.conn.execute("SELECT count(*) FROM dept_roster_entry").fetchone()[0]


def test_a_unit_clerk_enters_his_own_units_roster_day_by_day(seat):
    clerk = seat("jiaoyu")
    result = _day(clerk, OCT[0])
    assert result.changes.touches(Entity.dept_roster)
    roster = result.value
    assert roster.unit.name == UNIT and (roster.start, roster.end) == (OCT[0], OCT[-1])
    assert [(x.slot, x.name, x.phone) for x in roster.on(OCT[0])] == [
        ("leader", "王副局长", "13800001111"), ("officer", "张三", "13900001111"), ("officer", "李四", "0812-3330000")]
    _day(clerk, OCT[0], leader="赵副局长")  # the same day again: replaced, not doubled
    again = _day(clerk, OCT[1]).value
    assert [x.name for x in again.on(OCT[0]) if x.slot == "leader"] == ["赵副局长"]
    assert core.missing_days(again.lines, again.start, again.end) == OCT[2:]
    assert verify(clerk).ok


def test_another_units_roster_is_refused_to_a_unit_clerk_and_to_a_viewer(seat):
    clerk, viewer, office = seat("jiaoyu"), seat("kan"), seat("li")
    with pytest.raises(PermissionDenied, match="单位“公安局”不属于本单位"):
        _day(clerk, OCT[0], unit="公安局")
    with pytest.raises(PermissionDenied, match="角色是只读"):
        _day(viewer, OCT[0], unit=UNIT)
    assert _rows(office) == 0
    assert _day(office, OCT[0], unit="公安局").value.unit.name == "公安局"  # the office: any unit
    with pytest.raises(UserError, match="请写明是哪个单位"):
        _day(office, OCT[0])


@pytest.mark.parametrize(("change", "message"), [
    ({"leader_phone": ""}, "没有填写联系电话"),
    ({"leader_phone": "打电话给我"}, "不像电话号码"),
    ({"officers": []}, "没有值班员"),
    ({"officers": [("王副局长", "13900001111")]}, "出现了两次"),
    ({"day": dt.date(2026, 10, 8)}, "不在2026年国庆节假期内"),
    ({"leader": ""}, "请填写"),
])
def test_bad_input_is_refused_and_writes_nothing(seat, change, message):
    clerk = seat("jiaoyu")
    args = {"day": OCT[0], "leader": "王副局长", "leader_phone": "13800001111", "officers": [("张三", "13900001111")]}
    args |= change
    with pytest.raises(UserError, match=message):
        ops.dept_rosters.set_day(clerk, 2026, "国庆节", args["day"], args["leader"], args["leader_phone"],
                                 args["officers"])
    assert _rows(clerk) == 0
    with pytest.raises(UserError, match="没有名为“端午节端午”的假期"):
        ops.dept_rosters.set_day(clerk, 2026, "端午节端午", OCT[0], "王", "13800001111", [("张三", "13900001111")])


def _fill(path, rows):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for r, values in rows.items():
        for c, v in enumerate(values, start=2):
            ws.cell(r, c, v)
    wb.save(path)


def test_the_office_imports_a_units_filled_template_and_sees_who_has_not_sent_one(seat, tmp_path):
    office = seat("li")
    scope = ops.dept_rosters.holiday(office, 2026, "国庆节")
    path = doc.write_template(tmp_path / "公安局.xlsx", 2026, "国庆节", scope.start, scope.end, "公安局")
    filled = {4 + i: ("罗副局长", "副局长", "0812-3330110", "值班甲、值班乙", "13900000001、13900000002") for i in range(7)}
    _fill(path, filled)
    rows = read_rows(path)
    head = core.read_head(rows)
    assert (head.unit, head.year, head.holiday) == ("公安局", 2026, "国庆节")
    lines = core.parse_template(rows, 2026, path.name)
    roster = ops.dept_rosters.import_roster(office, 2026, "国庆节", lines, unit=head.unit, file_name=path.name).value
    assert roster.source == "imported" and len(roster.lines) == 21
    combined = ops.dept_rosters.combined(office, 2026, "国庆节")
    late = {u.unit.name for u in combined.not_sent}
    assert "公安局" not in late and UNIT in late and len(combined.units) == len(late) + 1
    _day(seat("jiaoyu"), OCT[0])
    partly = next(u for u in ops.dept_rosters.combined(office, 2026, "国庆节").units if u.unit.name == UNIT)
    assert partly.roster is not None and partly.missing == tuple(OCT[1:]) and partly.text.startswith("缺 6 天")
    # the unit clerk sees his own unit only
    assert [u.unit.name for u in ops.dept_rosters.combined(seat("jiaoyu"), 2026, "国庆节").units] == [UNIT]


def test_a_template_with_a_mistake_imports_nothing(seat, tmp_path):
    office = seat("li")
    scope = ops.dept_rosters.holiday(office, 2026, "国庆节")
    path = doc.write_template(tmp_path / "t.xlsx", 2026, "国庆节", scope.start, scope.end, "公安局")
    _fill(path, {4: ("罗副局长", "", "0812-3330110", "值班甲、值班乙", "13900000001"),
                 5: ("罗副局长", "", "0812-3330110", "值班甲", "13900000001")})
    with pytest.raises(UserError, match=r"t\.xlsx 第 4 行:值班员有 2 位,电话有 1 个"):
        core.parse_template(read_rows(path), 2026, path.name)


def test_the_combined_roster_prints_and_exports_formula_safe(seat, tmp_path):
    office = seat("li")
    _day(office, OCT[0], unit="公安局", leader="=HYPERLINK(\"x\")")
    _day(office, OCT[1], unit=UNIT)
    combined = ops.dept_rosters.combined(office, 2026, "国庆节")
    job = doc.combined_job(combined, "演示市人民政府", dt.date(2026, 9, 20), "演示市人民政府办公室")
    assert job.landscape and job.page_numbers == "table" and job.table_rows == 2 and not job.fit_one_page
    html = job.html(doc.PrintFonts(), [])
    assert "演示市人民政府各部门国庆节期间值班安排汇总表" in html and "未报送" in html and "公安局" in html
    target = doc.write_combined_xlsx(combined, "演示市人民政府", dt.date(2026, 9, 20), tmp_path / "all.xlsx")
    ws = openpyxl.load_workbook(target).active
    cells = {ws.cell(r, 4).value: ws.cell(r, 4) for r in range(4, 6)}
    formula = cells['=HYPERLINK("x")(副局长)']
    assert formula.data_type == "s"  # stored text, never a live formula
    assert ws.oddFooter.center.text == "第 &P 页,共 &N 页"


def test_the_command_line(seat, db_path, tmp_path, capsys, clock, monkeypatch):
    seat("li")
    db = str(db_path)
    made = []

    def fake_pdf(job, path):
        made.append(job)
        path.write_bytes(b"%PDF-1.4")
        return path

    def cli(*argv):
        code = main([str(a) for a in argv], clock=clock, pdf=fake_pdf)
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = cli("--db", db, "--operator", "jiaoyu", "dept-roster", "add", "2026", "--holiday", "国庆节",
                         "--date", "2026-10-01", "--leader", "王副局长", "--title", "副局长", "--phone", "13800001111",
                         "--officer", "张三:13900001111", "--officer", "李四 13900002222")
    assert code == 0 and "还缺 6 天" in out, err
    code, _, err = cli("--db", db, "--operator", "jiaoyu", "dept-roster", "add", "2026", "--holiday", "国庆节",
                       "--date", "2026-10-02", "--leader", "王", "--phone", "13800001111", "--officer", "张三",
                       "--unit", "公安局")
    assert code == 2 and "姓名:电话" in err
    code, _, err = cli("--db", db, "--operator", "jiaoyu", "dept-roster", "add", "2026", "--holiday", "国庆节",
                       "--date", "2026-10-02", "--leader", "王", "--phone", "13800001111", "--officer", "张三:139",
                       "--unit", "公安局")
    assert code == 2 and "不属于本单位" in err
    tpl = tmp_path / "公安局.xlsx"
    code, out, err = cli("--db", db, "--operator", "li", "dept-roster", "template", "2026", "--holiday", "国庆节",
                         "--unit", "公安局", "-o", tpl)
    assert code == 0 and tpl.exists(), err
    _fill(tpl, {4 + i: ("罗副局长", "副局长", "0812-3330110", "值班甲", "13900000001") for i in range(7)})
    code, out, err = cli("--db", db, "--operator", "li", "dept-roster", "import", tpl)
    assert code == 0 and "已导入公安局 2026年国庆节值班表:7 天" in out, err
    code, out, err = cli("--db", db, "--operator", "li", "dept-roster", "missing", "2026", "--holiday", "国庆节", "--json")
    assert code == 0, err
    late = {u["unit"]: u for u in json.loads(out)["not_sent"]}
    assert "公安局" not in late and late[UNIT]["missing_days"][0] == "2026-10-02"
    code, out, _ = cli("--db", db, "--operator", "jiaoyu", "dept-roster", "missing", "2026", "--holiday", "国庆节", "--json")
    assert [u["unit"] for u in json.loads(out)["not_sent"]] == [UNIT]
    code, out, err = cli("--db", db, "--operator", "li", "dept-roster", "print", "2026", "--holiday", "国庆节",
                         "-o", tmp_path / "all.pdf")
    assert code == 0 and made and made[0].table_rows == 8, err
    code, out, err = cli("--db", db, "--operator", "li", "dept-roster", "export", "2026", "--holiday", "国庆节",
                         "-o", tmp_path / "all.xlsx")
    assert code == 0 and (tmp_path / "all.xlsx").exists(), err
    code, _, err = cli("--db", db, "--operator", "li", "dept-roster", "export", "2026", "--holiday", "国庆节",
                       "-o", tmp_path / "all.pdf")
    assert code == 2 and "应以 .xlsx 结尾" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = cli("--db", db, "--operator", "kan", "dept-roster", "import", tpl)
    assert code == 2 and "只读" in err
