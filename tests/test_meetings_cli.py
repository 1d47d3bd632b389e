"""``dutydesk meeting …``: the secretary's whole job from the command line, on the real profiles.

Scenarios cite the articles (../shared/seeds): 004 伍家岗 art.48 (部门主要负责同志报会议召集人同意,
安排熟悉议题内容的其他副职参会) and art.49 (纪要5个工作日内印发); 000 攀枝花 art.42 (半数以上组成人员
到会方可召开) and art.43 (向市长请假).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from test_printouts import squeezed  # a PDF's text read back: never radicals

from desktop.entry import main


@pytest.fixture
def run(db_path, clock, capsys):
    def _run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def ok(run, *argv):
    code, out, err = run(*argv)
    assert code == 0, err
    return out


@pytest.fixture
def wujiagang(run):
    ok(run, "init", "--profile", "wujiagang", "--org", "伍家岗区人民政府办公室")
    for name, role, title, *unit in [("韩区长", "chief", "区长"), ("杨常务", "executive_deputy", "常务副区长"),
                                     ("朱副", "deputy", "副区长"), ("秦副", "deputy", "副区长"),
                                     ("尤主任", "office_director", "区政府办公室主任"),
                                     ("许局长", "dept_head", "区财政局局长", "财政局")]:
        ok(run, "people", "add", name, "--role", role, "--title", title, *(["--unit", unit[0]] if unit else []))
    return run


def test_004_art48_art49_executive_meeting_from_the_command_line(wujiagang):
    run = wujiagang
    data = json.loads(ok(run, "meeting", "add", "--type", "executive", "--at", "2026-09-28T09:00", "--place", "第一会议室",
                         "--topic", "预算调整方案:财政局", "--attendee", "许局长", "--json"))
    assert data["id"] == 1 and data["title"] == "区政府常务会议" and data["convener"] == "韩区长"
    assert data["members"] == ["韩区长", "杨常务", "朱副", "秦副", "尤主任"]  # 004 art.41 组成人员, by rank
    assert data["attendees"] == ["许局长"] and data["topics"] == [{"title": "预算调整方案", "unit": "财政局"}]
    assert data["provisional"] is False
    minutes = next(d for d in data["deadlines"] if d["what"] == "minutes")
    assert minutes["due"] == "2026-10-10" and minutes["article"] == "004 art.49" and minutes["status"] == "overdue"

    # 004 art.48 必须提前报会议召集人同意: the meeting of 09-28 is over (today 11-21), too late to ask.
    code, _, err = run("meeting", "leave", "1", "许局长", "--reason", "赴市财政局对接", "--substitute", "施副局长")
    assert code == 2 and "须在会前报会议召集人同意" in err
    ok(run, "meeting", "add", "--type", "executive", "--at", "2026-11-25T09:00", "--topic", "预算调整方案:财政局",
       "--attendee", "许局长")
    # 004 art.48: the department head must send a deputy who knows the topic, with the convener's consent.
    code, _, err = run("meeting", "leave", "2", "许局长", "--reason", "赴市财政局对接")
    assert code == 2 and "熟悉议题内容的其他副职参会" in err
    out = ok(run, "meeting", "leave", "2", "许局长", "--reason", "赴市财政局对接", "--substitute", "施副局长", "--json")
    leave = json.loads(out)
    assert leave["state"] == "requested" and leave["approver"] == "会议召集人 韩区长"
    code, _, err = run("meeting", "leave", "2", "许局长", "--approve", "--by", "朱副")
    assert code == 2 and "不能由 朱副 办理" in err
    code, _, err = run("meeting", "leave", "2", "许局长", "--approve")
    assert code == 2 and "--by" in err
    out = ok(run, "meeting", "leave", "2", "许局长", "--approve", "--by", "韩区长")
    assert "韩区长准假" in out

    out = ok(run, "meeting", "show", "2")
    assert "许局长:赴市财政局对接,代:施副局长 — 已准假(待书面报备)" in out and "议题1:预算调整方案(财政局汇报)" in out

    # Minutes issued on 10-09 (on time); the documents are still overdue.
    out = json.loads(ok(run, "meeting", "minutes", "1", "--done", "2026-10-09", "--json"))
    assert out["status"] == "done" and out["done"] == "2026-10-09"
    out = ok(run, "meeting", "list", "--from", "2026-09-01", "--to", "2026-09-30")
    assert "会议纪要印发已印发" in out and "会议决定的文件印发已逾期(期限 2026-10-10)" in out
    code, _, err = run("meeting", "documents", "1", "--done", "2026-09-01")
    assert code == 2 and "早于会议日期" in err

    verify = json.loads(ok(run, "audit", "verify", "--json"))
    assert verify["ok"] is True


def test_meeting_type_without_members_needs_member_and_convener_approves(wujiagang):
    """专题会议 (004 art.44) has no fixed members: --member names them; a deputy convenes it."""
    run = wujiagang
    code, _, err = run("meeting", "add", "--type", "special", "--at", "2026-11-25T15:00")
    assert code == 2 and "--member" in err
    data = json.loads(ok(run, "meeting", "add", "--type", "special", "--at", "2026-11-25T15:00", "--convener", "秦副",
                         "--member", "秦副", "--member", "许局长", "--title", "专项债券申报专题会议", "--json"))
    assert data["convener"] == "秦副" and data["members"] == ["秦副", "许局长"]
    leave = json.loads(ok(run, "meeting", "leave", str(data["id"]), "许局长", "--reason", "接待审计组",
                          "--substitute", "施副局长", "--approve", "--by", "秦副", "--json"))
    assert leave["state"] == "approved" and leave["decided_by"] == "秦副"
    out = ok(run, "meeting", "leave", str(data["id"]), "许局长", "--withdraw")
    assert "已撤回" in out


def test_errors_are_chinese_and_write_nothing(wujiagang, db_path):
    run = wujiagang
    code, _, err = run("meeting", "add", "--type", "weekly", "--at", "2026-11-25T09:00")
    assert code == 2 and "没有会议类型“weekly”" in err and "executive(区政府常务会议)" in err
    code, _, err = run("meeting", "add", "--type", "executive", "--at", "明天上午")
    assert code == 2 and "格式不对" in err
    code, _, err = run("meeting", "add", "--type", "executive", "--at", "2026-11-25T09:00", "--until", "08:00")
    assert code == 2 and "不晚于开始时间" in err
    code, _, err = run("meeting", "quorum", "9")
    assert code == 2 and "找不到编号为 9 的会议" in err
    code, _, err = run("meeting", "leave", "9", "许局长")
    assert code == 2
    assert json.loads(ok(run, "meeting", "list", "--json")) == []



def test_a_refused_decision_in_one_command_leaves_no_request_behind(wujiagang, db_path):
    """Issue 14: ``meeting leave … --reason X --approve --by WRONG`` saved the request, then refused
    the decision. The command is one operation now: refused, it writes nothing (no request, no audit)."""
    import sqlite3

    run = wujiagang
    ok(run, "meeting", "add", "--type", "executive", "--at", "2026-11-25T09:00", "--attendee", "许局长")

    def counts():
        with sqlite3.connect(db_path) as conn:
            return (conn.execute("SELECT COUNT(*) FROM meeting_leave").fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0])

    before = counts()
    code, _, err = run("meeting", "leave", "1", "许局长", "--reason", "赴市财政局对接", "--substitute", "施副局长",
                       "--approve", "--by", "朱副")
    assert code == 2 and "不能由 朱副 办理" in err
    assert counts() == before
    code, _, err = run("meeting", "leave", "1", "许局长", "--approve", "--by", "韩区长")
    assert code == 2 and "没有待批或已准的请假" in err
    out = ok(run, "meeting", "leave", "1", "许局长", "--reason", "赴市财政局对接", "--substitute", "施副局长",
             "--approve", "--by", "韩区长")
    assert "已登记请假 #1:许局长,待批,审批:会议召集人 韩区长。韩区长准假(请假 #1)" in out
    assert counts()[0] == 1

@pytest.fixture
def panzhihua(run):
    ok(run, "init", "--profile", "panzhihua", "--org", "攀枝花市人民政府办公室")
    ok(run, "people", "add", "王市长", "--role", "chief", "--title", "市长")
    ok(run, "people", "add", "李常务", "--role", "executive_deputy", "--title", "常务副市长")
    for name in ("张副", "陈副", "刘副", "赵副"):
        ok(run, "people", "add", name, "--role", "deputy", "--title", "副市长")
    ok(run, "people", "add", "吴秘书长", "--role", "secretary_general", "--title", "市政府秘书长")
    return run


def test_000_art42_quorum_before_the_meeting(panzhihua):
    """常务会议 7 名组成人员,半数以上 = 4 人:3 人请假时可以召开,4 人外出或请假时不能召开。"""
    run = panzhihua
    ok(run, "meeting", "add", "--type", "executive", "--at", "2026-11-26T09:00")
    for name in ("张副", "陈副", "刘副"):
        ok(run, "meeting", "leave", "1", name, "--reason", "赴省开会", "--approve", "--by", "王市长")
    q = json.loads(ok(run, "meeting", "quorum", "1", "--json"))
    assert (q["members"], q["present"], q["required"], q["can_hold"]) == (7, 4, 4, True)
    # 赵副's trip is on file (000 art.84 外出报备): it counts as away without any leave request.
    ok(run, "absence", "add", "赵副", "--kind", "trip", "--from", "2026-11-25", "--to", "2026-11-27", "--dest", "北京")
    q = json.loads(ok(run, "meeting", "quorum", "1", "--json"))
    assert (q["present"], q["can_hold"], q["rule"], q["article"]) == (3, False, "at_least_half", "000 art.42")
    row = next(r for r in q["rows"] if r["person"] == "赵副")
    assert row["status"] == "away" and "出差 北京" in row["reasons"][0]
    text = ok(run, "meeting", "quorum", "1")
    assert text.splitlines()[0].endswith("至少 4 人)") and "不能召开" in text
    assert "  外出  赵副 副市长  外出记录" in text
    listed = ok(run, "meeting", "list")
    assert "不能召开" in listed


def _pdf_text(path) -> str:
    """The PDF's text without layout spaces; it holds the ideographs printed, never radicals."""
    return squeezed(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout)  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_print_attendance_sheet_and_leave_summary(panzhihua, tmp_path):
    run = panzhihua
    ok(run, "people", "add", "何局长", "--role", "dept_head", "--title", "市财政局局长", "--unit", "财政局")
    ok(run, "meeting", "add", "--type", "plenary", "--at", "2026-11-26T09:00", "--topic", "年度预算执行情况:财政局")
    ok(run, "meeting", "leave", "1", "何局长", "--reason", "赴省财政厅汇报", "--substitute", "周五 副局长",
       "--approve", "--by", "王市长")
    ok(run, "meeting", "leave", "1", "陈副", "--reason", "陪同考察")
    sheet = tmp_path / "签到表.pdf"
    out = json.loads(ok(run, "meeting", "print", "1", "sheet", "-o", str(sheet), "--json"))
    assert out["path"] == str(sheet) and sheet.stat().st_size > 1000
    text = _pdf_text(sheet)
    assert "市政府全体会议签到表" in text
    assert text.index("王市长") < text.index("李常务") < text.index("吴秘书长") < text.index("何局长")  # by rank
    assert "代周五副局长" in text and "请假待批" in text
    assert text.startswith("内部资料注意保存")  # 000 art.82 保密纪律: the profile marks printouts
    summary = tmp_path / "请假汇总.pdf"
    ok(run, "meeting", "print", "1", "leave", "-o", str(summary))
    text = _pdf_text(summary)
    assert "市政府全体会议请假汇总" in text and "赴省财政厅汇报" in text and "陪同考察" in text
    assert "市长(王市长)批示" in text and "《攀枝花市人民政府工作规则》第四十三条" in text


def test_003_art43_written_request_and_office_step_from_the_command_line(run, clock):
    """003 art.43: 其他参会人员请假,向市政府办公室书面请假并由市政府办公室呈报市长审批."""
    ok(run, "init", "--profile", "turpan", "--org", "吐鲁番市人民政府办公室")
    for name, role, title, *unit in [("王市长", "chief", "市长"), ("张副", "deputy", "副市长"),
                                     ("艾局长", "dept_head", "市财政局局长", "财政局")]:
        ok(run, "people", "add", name, "--role", role, "--title", title, *(["--unit", unit[0]] if unit else []))
    at = dt.datetime.combine(clock.today() + dt.timedelta(days=3), dt.time(9, 0)).isoformat(timespec="minutes")
    ok(run, "meeting", "add", "--type", "plenary", "--at", at)
    code, _, err = run("meeting", "leave", "1", "艾局长", "--reason", "赴自治区财政厅汇报")
    assert code == 2 and "书面请假" in err and "--written" in err and "003 art" not in err
    out = ok(run, "meeting", "leave", "1", "艾局长", "--reason", "赴自治区财政厅汇报", "--written")
    assert "下一步:由市政府办公室呈报市长审批" in out
    code, _, err = run("meeting", "leave", "1", "艾局长", "--approve", "--by", "王市长")
    assert code == 2 and "须先“由市政府办公室呈报市长审批”" in err
    code, _, err = run("meeting", "leave", "1", "艾局长", "--forward")
    assert code == 2 and "经办人" in err
    out = ok(run, "meeting", "leave", "1", "艾局长", "--forward", "--by", "刘秘书")
    assert "刘秘书已办理“由市政府办公室呈报市长审批”" in out
    data = json.loads(ok(run, "meeting", "leave", "1", "艾局长", "--approve", "--by", "王市长", "--json"))
    assert data["state"] == "approved" and data["written"] is True and data["article"] == "003 art.43"
    assert [(s["kind"], s["done_by"]) for s in data["steps"]] == [("forward", "刘秘书"), ("decide", "王市长")]
    show = ok(run, "meeting", "show", "1")
    assert "书面请假:已收到;由市政府办公室呈报市长审批:刘秘书" in show
