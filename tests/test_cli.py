"""The command line contract of DESIGN.md: names, JSON, Chinese errors, exit codes, nothing half-written."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop import __version__, ops
from desktop.cli import main


@pytest.fixture
def run(db_path, clock, capsys):
    def _run(*argv, db=True):
        args = [*argv, "--db", str(db_path)] if db else list(argv)
        code = main(args, clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def initialised(run):
    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    return run


def test_version(run):
    code, out, _ = run("--version", db=False)
    assert code == 0 and __version__ in out


def test_init_then_people_and_ab(initialised, db_path):
    run = initialised
    assert run("people", "add", "王县长", "--role", "chief", "--title", "县长", "--phone", "13900000001")[0] == 0
    assert run("people", "add", "甲副县长", "--role", "deputy", "--portfolio", "教育局、卫健委")[0] == 0
    assert run("people", "add", "乙副县长", "--role", "副县长")[0] == 0
    code, out, _ = run("people", "add", "马局长", "--role", "dept_head", "--unit", "教育局", "--rank", "2", "--json")
    assert code == 0 and json.loads(out)["rank"] == 2
    code, out, _ = run("ab", "set", "甲副县长", "乙副县长", "--json")
    assert code == 0 and json.loads(out) == {"a": "甲副县长", "b": "乙副县长"}
    code, out, _ = run("people", "list", "--json")
    listed = json.loads(out)
    assert [p["name"] for p in listed] == ["王县长", "马局长", "甲副县长", "乙副县长"]
    assert listed[0]["role"] == "chief" and listed[0]["phone"] == "13900000001"
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)  # the contract's keys (more are added, none change)
    assert code == 0 and {k: report[k] for k in ("rows", "ok", "first_broken")} == {"rows": 6, "ok": True, "first_broken": None}
    assert report["findings"] == [] and report["records_checked"] > 0


def test_json_flag_works_before_the_subcommand_too(initialised, db_path, clock, capsys):
    assert main(["--json", "--db", str(db_path), "people", "list"], clock=clock) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_errors_are_chinese_on_stderr_with_exit_2_and_write_nothing(initialised, db_path):
    run = initialised
    run("people", "add", "王县长", "--role", "chief")
    code, out, err = run("people", "add", "李县长", "--role", "chief")
    assert code == 2 and out == "" and "已有在任的主要负责人“王县长”" in err
    code, _, err = run("people", "add", "张三", "--role", "boss")
    assert code == 2 and "未知的角色“boss”" in err
    code, _, err = run("ab", "set", "王县长", "无此人")
    assert code == 2 and "找不到人员“无此人”" in err
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM person").fetchall() == [("王县长",)]
    assert conn.execute("SELECT COUNT(*) FROM ab_pair").fetchone()[0] == 0


def test_argument_errors_are_in_chinese(run):
    code, _, err = run("people", "add", "张三")
    assert code == 2 and "缺少必需的参数:--role" in err
    code, _, err = run("init", "--profile", "beijing")
    assert code == 2 and "“beijing”无效" in err and "panzhihua" in err


def test_people_need_an_initialised_database(run):
    code, _, err = run("people", "add", "张三", "--role", "deputy")
    assert code == 2 and "dutydesk init" in err


def test_people_import_all_or_nothing(initialised, tmp_path):
    run = initialised
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,角色,电话\n甲,deputy,13900000001\n乙,领导,x\n", encoding="utf-8-sig")
    code, _, err = run("people", "import", str(bad))
    assert code == 2 and "第 3 行" in err and "没有写入任何人员" in err
    assert json.loads(run("people", "list", "--json")[1]) == []
    code, out, _ = run("people", "import", str(bad), "--skip-rows", "3", "--json")
    assert code == 0 and json.loads(out)["imported"] == 1


def test_backup(initialised, tmp_path):
    code, out, _ = initialised("backup", str(tmp_path / "b.db"), "--json")
    assert code == 0 and json.loads(out)["backup"].endswith("b.db")
    assert (tmp_path / "b.db").exists()


def test_tampered_audit_is_reported(initialised, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE audit SET operator = '某人' WHERE id = 1")
    conn.commit()
    conn.close()
    code, out, _ = initialised("audit", "verify")
    assert code == 2 and "第 1 条" in out


def test_python_dash_m_entry(db_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "DutyDesk" in done.stdout


# ---------------------------------------------------------------- working days and the calendar

def test_workdays_add_matches_design_examples(run):
    assert run("workdays", "add", "2026-09-28", "7")[1].strip() == "2026-10-13"
    code, out, err = run("workdays", "add", "2026-10-01", "7", "--json")
    data = json.loads(out)
    assert code == 0 and data["date"] == "2026-10-15" and data["provisional"] is False and err == ""
    assert data["weekday"] == "星期四" and data["skipped_rest_days"] == 7


def test_workdays_negative_count_and_is(run):
    assert run("workdays", "add", "2026-10-09", "-3")[1].strip() == "2026-09-29"
    assert json.loads(run("workdays", "count", "2026-09-28", "2026-10-13", "--json")[1])["workdays"] == 7
    data = json.loads(run("workdays", "is", "2026-02-28", "--json")[1])
    assert data["result"] == "workday" and data["reason"] == "春节调休上班" and data["provisional"] is False
    data = json.loads(run("workdays", "is", "2026-10-03", "--json")[1])
    assert data["result"] == "restday" and data["reason"] == "国庆节"
    assert json.loads(run("workdays", "is", "2026-11-21", "--json")[1])["reason"] == "周末"


def test_provisional_results_say_so_in_json_and_on_stderr(run):
    code, out, err = run("workdays", "add", "2026-12-28", "10", "--json")
    assert code == 0 and json.loads(out)["provisional"] is True
    assert "暂定日历" in err and "import-notice" in err
    code, out, err = run("workdays", "is", "2027-10-01", "--json")
    assert json.loads(out)["provisional"] is True and json.loads(out)["result"] == "restday"


def test_workdays_refuses_bad_input_in_chinese(run):
    code, _, err = run("workdays", "add", "2026-02-30", "3")
    assert code == 2 and "格式不对" in err
    code, _, err = run("workdays", "add", "2026-02-01", "abc")
    assert code == 2 and "不是整数" in err
    code, _, err = run("workdays", "is", "2003-05-01")
    assert code == 2 and "2003年没有节假日数据" in err


def test_calendar_status_and_import_notice(run, tmp_path):
    from pathlib import Path

    status = {r["year"]: r for r in json.loads(run("calendar", "status", "--json")[1])}
    assert status[2005]["source"] == "corrected" and status[2027]["provisional"] is True
    sample = Path(__file__).parent / "data" / "notice_2027_sample.txt"
    code, out, _ = run("calendar", "import-notice", str(sample), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["applied"] is False
    assert json.loads(run("calendar", "status", "2027", "--json")[1])[0]["source"] == "provisional"
    code, out, _ = run("calendar", "import-notice", str(sample), "--json")
    changes = {c["date"]: c for c in json.loads(out)["changes"]}
    assert changes["2027-02-20"]["after"].startswith("上班")
    assert json.loads(run("calendar", "status", "2027", "--json")[1])[0]["source"] == "notice"
    bad = tmp_path / "bad.txt"
    bad.write_text("国务院办公厅关于2028年部分节假日安排的通知\n一、元旦:1月1日(周六)放假1天。\n另:3月8日(周三)妇女节放假半天。\n",
                   encoding="utf-8")
    code, _, err = run("calendar", "import-notice", str(bad))
    assert code == 2 and "第2行" in err and "1月1日" in err  # the error quotes the line it cannot place


# ---------------------------------------------------------------- absences, acting, check

@pytest.fixture
def county(run):
    """A small 西平县 government (002 art.8, art.9, art.55)."""
    run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")
    for argv in (["王县长", "--role", "chief", "--title", "县长"], ["李常务", "--role", "executive_deputy"],
                 ["张副县长", "--role", "deputy", "--portfolio", "教育局"], ["周副县长", "--role", "deputy"],
                 ["郑主任", "--role", "office_director"],
                 ["马镇长", "--role", "township_head", "--unit", "出山镇", "--supervisor", "张副县长"]):
        assert run("people", "add", *argv)[0] == 0
    assert run("ab", "set", "张副县长", "周副县长")[0] == 0
    return run


def test_absence_chain_walks_the_township_head_steps(county):
    """002 art.55: 乡镇主要负责人请假,由县政府办公室汇总后报办公室主任,办公室主任签报县长同意后,按程序报备."""
    run = county
    code, out, _ = run("absence", "add", "马镇长", "--kind", "personal", "--from", "2026-12-01", "--to", "2026-12-02",
                       "--leaves", "--reported-at", "2026-11-21T09:00", "--json")
    data = json.loads(out)
    assert code == 0 and data["state"] == "in_progress"
    assert [s["action"] for s in data["steps"]] == ["summarize", "sign", "approve", "file"]
    rid = str(data["id"])
    assert json.loads(run("absence", "advance", rid, "--by", "办公室", "--json")[1])["outcome"] == "step_done"
    assert json.loads(run("absence", "advance", rid, "--by", "郑主任", "--json")[1])["outcome"] == "step_done"
    code, _, err = run("absence", "advance", rid, "--by", "张副县长")
    assert code == 2 and "县长" in err
    assert json.loads(run("absence", "advance", rid, "--by", "王县长", "--json")[1])["outcome"] == "step_done"
    final = json.loads(run("absence", "advance", rid, "--by", "办公室", "--json")[1])
    assert final["outcome"] == "approved" and final["state"] == "approved"
    listed = json.loads(run("absence", "list", "--state", "approved", "--json")[1])
    assert [r["id"] for r in listed] == [int(rid)]


def test_acting_and_return_from_the_cli(county):
    run = county
    out = json.loads(run("absence", "add", "张副县长", "--kind", "trip", "--from", "2026-11-23", "--to", "2026-11-25am",
                         "--dest", "郑州", "--reported-at", "2026-11-20T10:00", "--json")[1])
    acting = json.loads(run("acting", "2026-11-24", "--json")[1])
    assert acting["away"][0]["person"] == "张副县长"
    assert acting["acting"][0] == acting["acting"][0] | {"for": "张副县长", "actor": "周副县长", "basis": "ab_partner",
                                                        "article": "002 art.8"}
    code, _, err = run("absence", "return", str(out["id"]), "--on", "2026-11-21")
    # only a report (事先报告县长) and a 通报 wait (002 art.55): 销假 is not held back by them, the date is
    assert code == 2 and "早于外出开始日期" in err
    code, _, err = run("absence", "add", "张副县长", "--kind", "trip", "--from", "2026-11-25", "--to", "2026-11-26",
                       "--dest", "开封")
    assert code == 2 and "重叠" in err


def test_check_lists_violations_with_articles(county):
    run = county
    run("absence", "add", "张副县长", "--kind", "trip", "--from", "2026-11-26", "--to", "2026-11-27", "--dest", "郑州",
        "--reported-at", "2026-11-20T10:00")
    run("absence", "add", "周副县长", "--kind", "trip", "--from", "2026-11-27", "--to", "2026-11-27", "--dest", "洛阳",
        "--reported-at", "2026-11-20T10:00")
    data = json.loads(run("check", "--from", "2026-11-01", "--to", "2026-11-30", "--json")[1])
    kinds = {f["kind"]: f for f in data["findings"]}
    assert "acting_gap" in kinds and kinds["acting_gap"]["article"] == "002 art.8"
    assert data["provisional"] is False
    code, _, _ = run("designate", "李常务", "--for", "张副县长,周副县长", "--from", "2026-11-27", "--to", "2026-11-27")
    assert code == 0
    data = json.loads(run("check", "--from", "2026-11-01", "--to", "2026-11-30", "--json")[1])
    assert "acting_gap" not in {f["kind"] for f in data["findings"]}
    code, _, err = run("check", "--from", "2026-12-01", "--to", "2026-11-01")
    assert code == 2 and "早于" in err


def test_absence_add_refuses_bad_input(county):
    run = county
    code, _, err = run("absence", "add", "张副县长", "--kind", "trip", "--from", "2026-11-26", "--to", "2026-11-20")
    assert code == 2 and "早于" in err
    code, _, err = run("absence", "add", "无名氏", "--kind", "trip", "--from", "2026-11-26", "--to", "2026-11-27")
    assert code == 2 and "找不到人员" in err
    code, _, err = run("absence", "add", "张副县长", "--kind", "holiday", "--from", "2026-11-26", "--to", "2026-11-27")
    assert code == 2 and "“holiday”无效" in err
    assert json.loads(run("absence", "list", "--json")[1]) == []


# --------------------------------------------------------------------------- duty (节假日带班)


@pytest.fixture
def demo_gov(run, db_path, clock):
    from desktop.resources import available_profiles
    from desktop.store.opening import open_store

    s = open_store(db_path, clock, operator="测试员")
    ops.org.populate(s, available_profiles())  # the panzhihua profile: holiday weekdays only (000 art.81)
    s.close()
    return run


def test_duty_plan_national_day_json(demo_gov):
    run = demo_gov
    code, out, err = run("duty", "plan", "2026", "--holiday", "国庆节", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["year"], data["scope"], data["provisional"], data["slot"]) == (2026, "2026年国庆节", False, "leader")
    days = data["days"]
    assert [d["date"] for d in days] == ["2026-10-01", "2026-10-02", "2026-10-03"]  # 000 art.81 法定节假日当天
    assert [d["weekday"] for d in days] == ["星期四", "星期五", "星期六"]  # 10-03 is a Saturday
    assert {d["holiday"] for d in days} == {"国庆节"}
    assert [d["heavy"] for d in days] == [True, False, False]
    assert len({d["leader"] for d in days}) == 3 and all(d["fixed"] is None for d in days)
    assert any(r.startswith("重点日(国庆10月1日)") for r in days[0]["reasons"])
    loads = data["loads"]
    assert [x["name"] for x in loads] == ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋"]
    assert sum(x["count"] for x in loads) == 3 and all(x["prior"] == 0 for x in loads)
    assert sum(x["target"] for x in loads) == pytest.approx(3, abs=0.05)
    assert [x["heavy_days"] for x in loads if x["heavy_days"]] == [["2026-10-01"]]
    assert data["conflicts"] == []


def test_duty_plan_text_pin_swap_replace_and_list(demo_gov):
    run = demo_gov
    code, out, _ = run("duty", "plan", "2026", "--holiday", "国庆节")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2026年国庆节领导带班安排(共 3 个值班日)"
    assert lines[1].split() == ["日期", "星期", "节日", "带班领导"]
    assert lines[2].startswith("2026-10-01  星期四  国庆节  ★")
    assert "各人负荷:" in lines and any(x.strip().startswith("王建国:今年带班") for x in lines)
    code, out, _ = run("duty", "pin", "2026-10-02", "吴国栋")
    assert code == 0 and "2026-10-02  星期五  国庆节  吴国栋(固定)" in out
    code, out, _ = run("duty", "swap", "2026-10-01", "2026-10-03", "--json")
    assert code == 0
    days = {d["date"]: d for d in json.loads(out)["days"]}
    assert days["2026-10-01"]["fixed"] == days["2026-10-03"]["fixed"] == "swap"
    code, out, _ = run("duty", "plan", "2026", "--holiday", "国庆节", "--json")
    kept = {d["date"]: d for d in json.loads(out)["days"]}
    assert kept["2026-10-02"]["leader"] == "吴国栋" and kept["2026-10-01"]["leader"] == days["2026-10-01"]["leader"]
    # replace: without a name, the candidates; with a name, a reason is needed
    code, out, _ = run("duty", "replace", "2026-10-03", "--json")
    cands = json.loads(out)["candidates"]
    assert code == 0 and cands[0]["available"] and kept["2026-10-03"]["leader"] not in [c["name"] for c in cands]
    code, _, err = run("duty", "replace", "2026-10-03", cands[0]["name"])
    assert code == 2 and "请用 --reason 写明替换原因" in err
    code, out, _ = run("duty", "replace", "2026-10-03", cands[0]["name"], "--reason", "临时出差")
    assert code == 0 and f"{cands[0]['name']}(替换)" in out
    code, out, _ = run("duty", "list", "2026", "--json")
    listed = json.loads(out)
    assert [(p["scope"], p["slot"], p["days"], p["conflicts"]) for p in listed] == [("2026年国庆节", "leader", 3, 0)]


def test_duty_plan_bad_holiday_is_a_chinese_error_listing_the_year(demo_gov, db_path):
    run = demo_gov
    code, out, err = run("duty", "plan", "2026", "--holiday", "国庆")
    assert code == 2 and out == ""
    assert err.startswith("错误:2026年没有名为“国庆”的假期。")
    assert "2026年的假期:元旦、春节、清明节、劳动节、端午节、中秋节、国庆节。" in err
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM duty_plan").fetchone()[0] == 0
    con.close()
    code, _, err = run("duty", "plan", "--month", "2026-13")
    assert code == 2 and "月份“2026-13”格式不对" in err
    code, _, err = run("duty", "swap", "2026-10-01", "2026-10-02")
    assert code == 2 and "2026年10月1日还没有排带班领导" in err


def test_duty_officers_month_and_provisional_year(demo_gov):
    run = demo_gov
    code, out, _ = run("duty", "plan", "--month", "2026-10", "--officers", "--json")
    data = json.loads(out)
    assert code == 0 and data["slot"] == "officer" and data["scope"] == "2026年10月"
    assert all(len(d["officers"]) == 2 for d in data["days"])
    code, out, err = run("duty", "plan", "2027", "--holiday", "春节", "--json")
    assert code == 0 and json.loads(out)["provisional"] is True and "暂定日历" in err


def test_weekly_export_before_any_leader_is_entered(run, tmp_path):
    import openpyxl

    run("init", "--profile", "generic", "--org", "某县人民政府办公室")
    code, _, err = run("export", "weekly", "--format", "xlsx", "-o", str(tmp_path / "w.xlsx"))
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    assert sheet.freeze_panes is not None


def test_redirected_output_is_utf8(db_path, tmp_path):
    import subprocess
    import sys

    env = {"PYTHONIOENCODING": "cp1252", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "desktop", "workdays", "is", "2026-10-01", "--db", str(db_path)],
                          capture_output=True, check=False, env=env)
    assert done.returncode == 0 and "国庆节" in done.stdout.decode("utf-8")


def test_absence_export_with_no_records(run, tmp_path):
    run("init", "--profile", "generic", "--org", "某县人民政府办公室")
    code, _, err = run("export", "absences", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"))
    assert code == 0, err
